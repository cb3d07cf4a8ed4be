/* backend.h — private to src/store: the interface a database backend
 * implements (src/store/sqlite/ and src/store/pg/ with libpq), and what
 * the store's core lends to backends and tests.
 *
 * The core (store.c, db.c, migrate.c) owns what is the same on every
 * database: one connection per thread and store, the nesting of
 * transactions and their retries (store_tx), read scopes, fault injection,
 * and which migrations run in which order. A backend only talks to its
 * database, on the one thread that uses a connection at a time.
 *
 * What a backend implements (a const db_backend with these functions):
 *   open, close     what every connection needs (a path, a URL), kept for
 *                   the store's life; open checks nothing but its syntax
 *   connect         a ready connection (SQLite: WAL, foreign keys, busy
 *                   timeout; PostgreSQL: session settings) whose first use
 *                   proves that the target is a database of this kind;
 *                   NULL with one line in err (no password) otherwise
 *   disconnect      closes it, with every statement it kept
 *   exec, query     one statement with $1..$N parameters, bound by number
 *                   (every argument used, no $N beyond nargs); prepared
 *                   once per connection and kept, keyed by the SQL
 *                   pointer; query hands each row as a db_row (see below);
 *                   inside a write transaction, an exec without id_out
 *                   and changes may be sent later and its failure answered
 *                   by a later call or the commit (db.h)
 *   script          several statements without parameters (a migration)
 *   begin           DB_TX_WRITE: a write transaction that holds the write
 *                   right from its start (SQLite BEGIN IMMEDIATE; on
 *                   PostgreSQL BEGIN, with row locks or SERIALIZABLE as the
 *                   domain SQL needs); DB_TX_READ: a read-only snapshot
 *                   (SQLite deferred BEGIN; PostgreSQL REPEATABLE READ,
 *                   READ ONLY)
 *   commit, rollback  end either kind; rollback never fails
 *   savepoint       set, release or undo (roll back to and release) the
 *                   savepoint of nesting level `level` (2 and up)
 * and, where the database needs them (NULL otherwise):
 *   unavailable     true when the connection broke and cannot be opened
 *                   again right now (tried at most once a second)
 *   notify          sends a notification (PostgreSQL: pg_notify, held
 *                   back by the server until the transaction commits);
 *                   NULL: the core delivers in this process
 *   listen          starts listening on a channel (on a connection and
 *                   thread of the backend's own) and calls deliver for
 *                   each notification, with a NULL payload after a gap in
 *                   which notifications may have been lost
 *   listen_stop     stops listening, before close
 *   lock_schema     takes (on) or gives back a lock that lets one process
 *                   at a time migrate (PostgreSQL: an advisory lock)
 *   create_database makes the database a URL names when it is missing
 *   backup          writes a consistent copy of the database to a file
 *                   while others keep using it (SQLite's backup API)
 * and maps its failures to store_rc: a uniqueness violation STORE_CONFLICT;
 * another constraint (foreign key, check, not null) STORE_INVALID; one that
 * running the whole transaction again may cure STORE_RETRY (SQLite BUSY and
 * LOCKED; PostgreSQL 40001 serialization_failure and 40P01
 * deadlock_detected), not logged; anything else STORE_ERROR, logged and
 * counted through db_error(). On PostgreSQL a failed statement ends what
 * its transaction can do: after a failure inside a transaction, roll back
 * (to the savepoint, when nested), as every caller does.
 */
#ifndef OPENPLAN_BACKEND_H
#define OPENPLAN_BACKEND_H

#include "../util/embed.h"
#include "db.h"

/* A backend's connection. The core never looks inside; each backend casts
 * it to its own struct (the tag itself is never defined). */
typedef struct db_bconn db_bconn;

/* How a backend hands over a row: the core's accessors (db_int, db_text …)
 * call through ops. h is the backend's statement (SQLite) or result
 * (PostgreSQL), i the row within it where the backend needs that. text
 * never answers NULL: "" for a NULL value. */
typedef struct db_row_ops {
	int64_t     (*integer)(const db_row *r, int col);
	bool        (*isnull)(const db_row *r, int col);
	const char *(*text)(const db_row *r, int col, size_t *len);
	int         (*ncols)(const db_row *r);
} db_row_ops;

struct db_row {
	const db_row_ops *ops;
	void             *h;
	int               i;
};

typedef enum db_tx { DB_TX_WRITE, DB_TX_READ } db_tx;

/* How a backend hands a notification to the core (payload NULL: some may
 * have been lost). */
typedef void (*db_deliver_fn)(void *ctx, const char *channel, const char *payload);
typedef enum db_sp { DB_SP_SET, DB_SP_RELEASE, DB_SP_UNDO } db_sp;

typedef struct db_backend {
	const char *name;
	/* This backend's own spelling of a migration, used instead of the
	 * plain .sql file of the same name when present (".pg.sql"); NULL when
	 * it runs the plain files only. */
	const char *migration_twin;
	void      *(*open)(const char *target, char *err, size_t errlen);
	void       (*close)(void *shared);
	db_bconn  *(*connect)(void *shared, char *err, size_t errlen);
	void       (*disconnect)(db_bconn *c);
	store_rc   (*exec)(db_bconn *c, const char *sql, const db_arg *args, int nargs,
	                   int64_t *id_out, int *changes);
	store_rc   (*query)(db_bconn *c, const char *sql, const db_arg *args, int nargs,
	                    db_row_fn row, void *ctx);
	store_rc   (*script)(db_bconn *c, const char *sql, char *err, size_t errlen);
	store_rc   (*begin)(db_bconn *c, db_tx kind);
	store_rc   (*commit)(db_bconn *c);
	void       (*rollback)(db_bconn *c);
	store_rc   (*savepoint)(db_bconn *c, db_sp op, int level);
	bool       (*unavailable)(db_bconn *c);
	store_rc   (*notify)(db_bconn *c, const char *channel, const char *payload);
	store_rc   (*listen)(void *shared, const char *channel, db_deliver_fn deliver, void *ctx);
	void       (*listen_stop)(void *shared);
	store_rc   (*lock_schema)(db_bconn *c, bool on);
	store_rc   (*create_database)(void *shared, bool *created, char *err, size_t errlen);
	store_rc   (*backup)(void *shared, const char *to, char *err, size_t errlen);
} db_backend;

extern const db_backend db_backend_sqlite; /* sqlite/sqlite.c */
extern const db_backend db_backend_pg;     /* pg/pg.c */

/* ---- lent by the core ---------------------------------------------------------- */

/* Logs "database: what: msg", counts it in store_error_count(), and
 * returns STORE_ERROR. */
store_rc db_error(const char *what, const char *msg);

/* The backend a store runs on. */
const db_backend *store_backend(store *s);

/* Runs a script of statements on this thread's connection (migrations). */
store_rc db_script(store *s, const char *sql, char *err, size_t errlen);

/* Takes or gives back the migration lock (nothing where the backend has
 * none). */
store_rc db_lock_schema(store *s, bool on);

/* ---- migrations (migrate.c) -------------------------------------------------------
 * A migration is an embedded file whose name contains "/migrations/" and
 * ends in ".sql" — "store/migrations/001_foundation.sql",
 * "features/<feature>/migrations/005_sessions.sql" — and whose file name
 * starts with its number. Numbers are global across folders: every
 * migration not yet recorded in schema_migrations runs, in number order,
 * each in its own transaction. Files ending in ".pg.sql" are PostgreSQL's
 * twins of the plain file of the same name. */
typedef struct db_migration {
	int               version;
	const embed_file *file;
} db_migration;

/* Picks the migrations among files for a backend whose twin suffix is twin
 * (NULL: plain files only, twins skipped; ".pg.sql": the twin where there
 * is one), sorted by number, into out (room for n). Refuses (-1, err says
 * which files) a migration without a number and two migrations with the
 * same number. Returns how many it picked. */
int      db_migrations_pick(const embed_file *files, size_t n, const char *twin,
                            db_migration *out, char *err, size_t errlen);
/* Runs the migrations among files that schema_migrations does not list. */
store_rc db_migrate(store *s, const embed_file *files, size_t n, char *err, size_t errlen);

/* ---- fault injection (tests) -------------------------------------------------------
 * After store_fault_inject(s, n, rc), the n-th statement the store sends
 * from then on (exec, query, script, begin, commit, savepoint; not
 * rollback, not read scopes) is not run and answers rc instead (STORE_ERROR
 * for a failure, STORE_RETRY for a busy database); the ones after it run
 * again. n = 0 switches it off. store_fault_fired tells whether it struck.
 * Injected failures are not logged. */
void store_fault_inject(store *s, long n, store_rc rc);
bool store_fault_fired(store *s);

#endif
