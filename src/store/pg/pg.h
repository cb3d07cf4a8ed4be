/* pg.h — private to src/store/pg: what pg.c (statements, transactions),
 * pg_url.c (settings, connections) and pg_listen.c (LISTEN/NOTIFY,
 * creating the database) share: the connection settings parsed from the
 * URL, and helpers that keep the password out of every message.
 */
#ifndef OPENPLAN_PG_H
#define OPENPLAN_PG_H

#include <libpq-fe.h>
#include <stdatomic.h>
#include <time.h>

#include "../backend.h"

typedef struct pg_listener pg_listener;

/* What every connection of one store needs, from the URL (open). */
typedef struct pg_shared {
	char       **keys, **vals; /* for PQconnectdbParams; NULL-terminated */
	size_t       nkw;
	char        *password;     /* from the URL, to be kept out of messages */
	atomic_bool  checked;      /* the database's version, encoding and locale were checked */
	pg_listener *listener;     /* pg_listen.c; NULL until something listens */
} pg_shared;

/* Replaces every occurrence of the password in msg by "***". */
void    pg_redact(const pg_shared *sh, char *msg);
/* msg on one line (white space runs become one space), redacted, in out. */
void    pg_one_line(const pg_shared *sh, const char *msg, char *out, size_t outlen);
/* A notice processor that drops notices (they are not errors). */
void    pg_quiet(void *arg, const char *message);
/* A new connection with the store's settings; NULL with one line in err. */
PGconn *pg_connect_raw(pg_shared *sh, char *err, size_t errlen);

/* ---- a connection (pg.c) ---------------------------------------------------------- */

typedef struct pg_stmt {
	const char *sql;  /* the key: the address of a static literal */
	unsigned    name; /* prepared as "s<name>" */
} pg_stmt;

/* A query being read; outer is the query whose row callback started it. */
typedef struct pg_stream {
	PGresult        **buf; /* results drained ahead, read from head */
	size_t            n, cap, head;
	bool              done; /* libpq has handed over its last result */
	bool              piped; /* sent in pipeline mode, which it ends */
	struct pg_stream *outer;
} pg_stream;

/* A transaction that begin asked for is "pending" until its first
 * statement, which carries the BEGIN with it (pg_pipe.c). */
typedef enum pg_tx { TX_NONE, TX_READ_PENDING, TX_READ, TX_WRITE_PENDING, TX_WRITE } pg_tx;

enum { PG_QUEUE = 64 };

/* A statement sent in pipeline mode whose result is read later. */
typedef struct pg_queued {
	const char *what; /* its SQL, for the log */
	enum { Q_BEGIN, Q_EXEC, Q_COMMIT } kind;
} pg_queued;

typedef struct pg_conn {
	pg_shared *sh;
	PGconn    *pg;
	pg_stmt   *stmts; /* open addressing by sql pointer; cap a power of two */
	size_t     nstmts, cap;
	unsigned   next_name;
	pg_stream *active;
	pg_tx      tx;
	bool       lost;       /* the connection broke inside a write transaction */
	bool       ending;     /* a read snapshot's COMMIT is sent, its answer unread */
	bool       pipeline;   /* in libpq's pipeline mode (pg_pipe.c) */
	bool       synced;     /* the pipeline's sync is sent */
	pg_queued  queue[PG_QUEUE]; /* sent in the pipeline, results not read yet */
	int        nqueue;
	bool       down;       /* unreachable: logged once until it is back */
	time_t     last_reset;
} pg_conn;

bool     pg_broken(const pg_conn *c);
/* Maps a failed result (res may be NULL: the connection's error) of what
 * to store_rc, logging what is an error. */
store_rc pg_fail(pg_conn *c, const PGresult *res, const char *what);

/* ---- pipelines (pg_pipe.c) ----------------------------------------------------------
 * Inside a write transaction, statements whose caller wants no result
 * (no id, no count of changed rows) are sent without waiting: they go out
 * with the next statement that needs an answer, or with the COMMIT, in one
 * round trip (libpq's pipeline mode), so the row locks they take are held
 * for the server's work only, not for round trips to this node. A failure
 * among them is answered by that next statement (or the commit) instead,
 * and the transaction fails as a whole, as it would on PostgreSQL anyway.
 * A pending BEGIN travels the same way with the first statement. */
const char *pg_pending_begin(const pg_conn *c);
/* Queues a statement that wants no result. */
store_rc    pg_pipe_defer(pg_conn *c, const char *sql, const char *name, int nargs,
                          const char *const *vals);
/* Sends a statement after what is queued (and a pending BEGIN), syncs and
 * reads the queued results: their first failure, or STORE_OK. The
 * statement's own results come next, then pg_pipe_end. */
store_rc    pg_pipe_send_last(pg_conn *c, const char *name, int nargs, const char *const *vals);
/* Sends COMMIT after what is queued and reads every result. */
store_rc    pg_pipe_commit(pg_conn *c);
/* Reads what is left up to the sync point and leaves pipeline mode; the
 * first failure of what was queued, or STORE_OK. */
store_rc    pg_pipe_end(pg_conn *c);

/* pg_url.c: the backend's open and close; the check that the database
 * is one openplan can use (PostgreSQL 12+, UTF-8, "C"), one line in err. */
void   *pg_open(const char *url, char *err, size_t errlen);
void    pg_close(void *shared);
bool    pg_check_database(pg_shared *sh, PGconn *pg, char *err, size_t errlen);

/* pg_listen.c: the backend's listen, listen_stop and create_database. */
store_rc pg_listen_add(void *shared, const char *channel, db_deliver_fn deliver, void *ctx);
void     pg_listen_stop(void *shared);
store_rc pg_create_database(void *shared, bool *created, char *err, size_t errlen);

#endif
