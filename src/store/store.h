/* store.h — the one interface to openplan's data. All SQL lives behind it,
 * in the store files of the core (src/store/accounts.c, plans.c) and of
 * the features (src/features/F/F_store*.c) that reach a database only
 * through the backend-neutral db.h; the backends live in src/store/sqlite/
 * and src/store/pg/. Handlers never see a database handle.
 *
 * Conventions: functions return a store_rc; rows come back in structs
 * whose strings are allocated from the arena passed in; ids are int64_t;
 * every change of more than one row runs in one transaction.
 *
 * Text order, the same on every backend: text compares and sorts in byte
 * order of its UTF-8 (SQLite's BINARY collation; PostgreSQL's "C"
 * collation, which the PostgreSQL backend must give every text column).
 * Lists that people read by name (users, organisations, holders, linked
 * action points) sort by lower(name), name, id: ASCII letters without case
 * first (lower() folds only ASCII on both: SQLite without ICU, PostgreSQL
 * under "C"), then byte order, then id, so equal names keep a stable
 * order. Letters outside ASCII sort after 'z' ("Zeta" < "Éclair"); a Dutch
 * collation would need ICU on both backends and is not attempted. The
 * PostgreSQL backend refuses a database whose collation or character
 * classes are not "C" (openplan init creates it so).
 *
 * Concurrent writers. SQLite has one writer at a time (a write transaction
 * takes the write lock at BEGIN), so nothing below can interleave there.
 * PostgreSQL runs write transactions at READ COMMITTED, side by side; what
 * keeps every count exact there:
 *   - counters change only by arithmetic in SQL, never by writing back a
 *     value read earlier: n = n + 1, n = n - 1 (poll_tallies, voters,
 *     cons_tally, cons_writeins, cons_consultations.responses). A row
 *     lock holds each such row from the update to the commit, so two
 *     votes for one option wait for each other and both count. Those
 *     updates need no answer, so they travel with the COMMIT in one round
 *     trip (db.h, db_exec): the lock lasts the server's work, not a round
 *     trip to the node, and a busy poll question does not queue votes.
 *   - a change that depends on what it read locks that row first, with
 *     the statement that changes it: a vote takes its (question,
 *     participant) row before it reads the earlier answer it replaces
 *     (INSERT … ON CONFLICT DO NOTHING, then UPDATE … RETURNING), a
 *     consultation response likewise its response row; so a participant
 *     who votes twice at once is counted once, with the later answer.
 *   - one-time things are unique keys: a used form token is an INSERT
 *     into cons_used_tokens (primary key): of two requests with the same
 *     token, the second waits for the first and then fails with
 *     STORE_CONFLICT. Capacity (session registration) is one conditional
 *     update: UPDATE … SET taken = taken + 1 WHERE id = $1 AND taken <
 *     capacity, which takes no place when it changed no row.
 *   - deadlocks between such row locks (40P01), and serialization
 *     failures should a transaction ask for SERIALIZABLE (40001), are
 *     retried by store_tx: a change that can meet them runs in store_tx.
 */
#ifndef OPENPLAN_STORE_H
#define OPENPLAN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

typedef enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND,   /* no such row */
	STORE_CONFLICT,   /* a uniqueness rule refused the change */
	STORE_INVALID,    /* a reference or check refused the change */
	STORE_ERROR,      /* the database failed; logged and counted */
	STORE_RETRY,      /* internal to src/store: the backend asks for the whole
	                   * transaction to run again (SQLite BUSY; PostgreSQL
	                   * serialization_failure, deadlock_detected). store_tx
	                   * retries; no public function returns it. */
} store_rc;

typedef struct store store;

/* Opens and migrates a database: a postgresql:// (or postgres://) URL
 * selects PostgreSQL, anything else is the path of a SQLite file, created
 * when absent. Several processes may open one PostgreSQL database at once:
 * they migrate one after another. On failure *out is NULL and err says why
 * in one line (never a password). */
store_rc    store_open(const char *url_or_path, store **out, char *err, size_t errlen);
void        store_close(store *s);
/* For `openplan init`: makes the PostgreSQL database a URL names when it
 * is missing (UTF-8, "C" collation; the user needs CREATEDB), *created
 * telling whether it did. A SQLite path needs nothing (store_open makes
 * the file). */
store_rc    store_create(const char *url_or_path, bool *created, char *err, size_t errlen);
/* url_or_path as it may be printed: a URL without its password. */
void        store_target_display(const char *url_or_path, char *out, size_t outlen);
/* The backend's name: "sqlite" or "postgresql". */
const char *store_kind(store *s);
/* True when the database cannot be reached right now (PostgreSQL: this
 * thread's connection broke and opening it again failed; tried at most
 * once a second). Requests answer 503 meanwhile; the store reconnects by
 * itself when the server is back. */
bool        store_unavailable(store *s);
int         store_schema_version(store *s);
uint64_t    store_error_count(void);
const char *store_rc_name(store_rc rc);

/* ---- users, sessions ------------------------------------------------------ */
typedef enum role { ROLE_PARTICIPANT = 0, ROLE_ORGANISER = 1, ROLE_ADMIN = 2 } role;
const char *role_name(role r);
bool        role_parse(const char *s, role *out);

typedef struct user {
	int64_t     id;
	const char *email;
	const char *name;
	const char *password_hash;
	role        role;
	int64_t     created_at;
} user;

store_rc store_user_create(store *s, const char *email, const char *name,
                           const char *password_hash, role r, int64_t *id_out);
store_rc store_user_by_email(store *s, arena *a, const char *email, user *out);
store_rc store_user_by_id(store *s, arena *a, int64_t id, user *out);
store_rc store_user_set_password(store *s, int64_t id, const char *password_hash);
store_rc store_user_set_role(store *s, int64_t id, role r);
store_rc store_user_list(store *s, arena *a, user **out, size_t *n);

/* Sessions are stored by a hash of their token, never the token itself. */
store_rc store_session_create(store *s, const char *token_hash, int64_t user_id,
                              int64_t expires_at);
store_rc store_session_user(store *s, arena *a, const char *token_hash, int64_t now,
                            user *out);
store_rc store_session_delete(store *s, const char *token_hash);
/* Signs a user out everywhere except the session kept (NULL: everywhere). */
store_rc store_session_delete_user(store *s, int64_t user_id, const char *keep_hash);

/* ---- organisations ---------------------------------------------------------- */
typedef struct organisation {
	int64_t     id;
	const char *name;
	const char *sector;  /* government, civil_society, business, academia, other */
	int64_t     members;
} organisation;

bool     org_sector_valid(const char *sector);
store_rc store_org_create(store *s, const char *name, const char *sector, int64_t *id_out);
store_rc store_org_update(store *s, int64_t id, const char *name, const char *sector);
store_rc store_org_get(store *s, arena *a, int64_t id, organisation *out);
store_rc store_org_list(store *s, arena *a, organisation **out, size_t *n);
store_rc store_org_members(store *s, arena *a, int64_t org_id, user **out, size_t *n);
store_rc store_user_orgs(store *s, arena *a, int64_t user_id, organisation **out, size_t *n);
store_rc store_membership_add(store *s, int64_t user_id, int64_t org_id);
store_rc store_membership_remove(store *s, int64_t user_id, int64_t org_id);

/* ---- plan, phases, themes --------------------------------------------------- */
typedef struct phase {
	int64_t     id;
	int         position;
	const char *name;
	const char *starts_on; /* "YYYY-MM-DD" or "" */
	const char *ends_on;
} phase;

typedef struct theme {
	int64_t     id;
	const char *name;
	const char *description;
} theme;

typedef struct plan {
	int64_t     id;
	const char *title;
	const char *description;
	const char *period_start;
	const char *period_end;
	const char *status;        /* draft, cocreation, implementation, evaluation, closed */
	int64_t     current_phase; /* 0 when none chosen */
	int64_t     updated_at;
	phase      *phases;
	size_t      nphases;
	theme      *themes;
	size_t      nthemes;
} plan;

bool     plan_status_valid(const char *status);
/* The plan the home page shows: the most recently created one. */
store_rc store_plan_main(store *s, arena *a, plan *out);
store_rc store_plan_get(store *s, arena *a, int64_t id, plan *out);
store_rc store_plan_create(store *s, const plan *p, int64_t *id_out);
store_rc store_plan_update(store *s, const plan *p);
store_rc store_phase_add(store *s, int64_t plan_id, const char *name, const char *starts_on,
                         const char *ends_on, int64_t *id_out);
store_rc store_phase_update(store *s, int64_t plan_id, int64_t id, const char *name,
                            const char *starts_on, const char *ends_on);
store_rc store_phase_delete(store *s, int64_t plan_id, int64_t id);
/* Moves a phase one place up (dir < 0) or down (dir > 0). */
store_rc store_phase_move(store *s, int64_t plan_id, int64_t id, int dir);
store_rc store_theme_add(store *s, int64_t plan_id, const char *name, const char *description,
                         int64_t *id_out);
store_rc store_theme_update(store *s, int64_t plan_id, int64_t id, const char *name,
                            const char *description);
store_rc store_theme_delete(store *s, int64_t plan_id, int64_t id);

/* ---- transactions and read scopes -------------------------------------------
 * store_begin/commit/rollback: a write transaction on this thread's
 * connection. They nest: an inner begin is a savepoint, an inner rollback
 * undoes only the inner work, and only the outermost commit makes the work
 * durable. commit without begin is a no-op. */
store_rc store_begin(store *s);
store_rc store_commit(store *s);
void     store_rollback(store *s);

/* Runs fn in one write transaction and commits when it returns STORE_OK
 * (rolls back and returns its code otherwise). When the backend reports a
 * failure that a new attempt may cure (another writer held the database;
 * PostgreSQL's serialization failures and deadlocks) it rolls back and runs
 * fn again, a few times with a short growing pause. So fn must be safe to
 * run again: it resets what it hands back through ctx and does nothing
 * outside the store that it cannot repeat. Inside another transaction
 * (store_begin or store_tx) fn runs in a savepoint and is not retried: the
 * outermost transaction is what a retry must repeat. */
store_rc store_tx(store *s, store_rc (*fn)(store *s, void *ctx), void *ctx);

/* One read snapshot for a run of reads on this thread, for example a whole
 * GET request: between store_read_begin and store_read_end every query
 * sees the database as it was at the scope's first query, and takes no
 * lock of its own (a quarter of a signed-in page's time went to per-query
 * locking). Call store_read_end exactly once for every store_read_begin,
 * whatever begin returned (an error only means that the reads run without a
 * shared snapshot). Scopes nest; only the outermost one counts.
 *
 * Writes inside a scope are allowed and see the newest data, not the
 * snapshot: store_begin/store_tx (and a single-statement change) first end
 * the snapshot, then take the write transaction; after it ends, later reads
 * in the scope see a fresh snapshot that includes the write. A scope opened
 * inside a write transaction reads that transaction's data. Keep scopes
 * short (one request; never an event stream): a SQLite snapshot keeps the
 * write-ahead log from being checkpointed past it. */
store_rc store_read_begin(store *s);
void     store_read_end(store *s);

/* ---- notification events (events.c) -----------------------------------------
 * A change someone should hear about writes one event, in the same
 * transaction as the change (call it between the change's store_begin and
 * store_commit, or inside its store_tx), and a notification for each person
 * in `users` (0 entries are skipped; each person once). The event's text is
 * an English msgid with one %s for `subject`, translated when it is read.
 *
 * How a feature names its object: object_type is a lower-case word of its
 * own and object_id that object's id, the same pair every event about it
 * uses and the same pair people follow (store_follow_*): "plan" (plans.id),
 * "theme" (themes.id), "action" (action_points.id), "session" (agenda's
 * sessions), "consultation" (cons_consultations.id). The followers of the
 * object — and of each object in `also` (a new session's theme, an action
 * point's plan) — get a notification too, except the actor. Followers read
 * follower_msgid when it is set: a text written to the person it names
 * ("Your offer to adopt “%s” was accepted.") must give followers their own
 * ("“%s” has a new holder."), or STORE_EVENT_PERSONAL when they are not to
 * hear of it at all (a waitlist place, a reply to someone's input).
 *
 * Each notification also goes by e-mail as its person chose for the kind
 * (src/features/notify: now, daily or weekly digest, none; by default now
 * for the people the event names and the daily digest for followers). An
 * e-mail to send now is an outbox row written here, in the same
 * transaction (only to confirmed addresses); the mail feature's sender
 * builds and delivers it. */
#define STORE_EVENT_PERSONAL ""

typedef struct store_object {
	const char *type;        /* "theme" */
	int64_t     id;
} store_object;

typedef struct store_event {
	const char *kind;        /* "<feature>.<what>": "act.offer_accepted" (for preferences) */
	const char *msgid;       /* "Your offer to adopt “%s” was accepted." */
	const char *subject;     /* the title for %s */
	const char *url;         /* a local path to look at */
	const char *object_type; /* "action", "session", … ("" when none) */
	int64_t     object_id;
	int64_t     actor_id;    /* who made the change (0: the system) */
	const char *follower_msgid;  /* what followers read (NULL: msgid; STORE_EVENT_PERSONAL:
	                              * followers are not told) */
	const store_object *also;    /* more objects whose followers hear of it */
	size_t      nalso;
} store_event;

typedef struct store_notification {
	int64_t     id;
	const char *kind, *msgid, *subject, *url;
	int64_t     created_at;
	bool        read;
} store_notification;

store_rc store_event_add(store *s, const store_event *e, const int64_t *users, size_t nusers,
                         int64_t *id_out);
/* A person's notifications, newest first, with ids below before_id (0:
 * from the newest), at most limit. */
store_rc store_notifications(store *s, arena *a, int64_t user_id, int64_t before_id, int limit,
                             store_notification **out, size_t *n);
store_rc store_notifications_unread(store *s, int64_t user_id, int64_t *count);
/* Marks a person's notifications up to and including upto_id read. */
store_rc store_notifications_read(store *s, int64_t user_id, int64_t upto_id);

/* ---- following (events.c) ------------------------------------------------------
 * A feature makes a person follow what they took part in — created,
 * offered on, registered for, gave input on — with store_follow_auto in
 * the same transaction; a person who stopped following it stays stopped.
 * store_follow_set is the person's own choice (follow or stop). */
store_rc store_follow_auto(store *s, int64_t user_id, const char *object_type, int64_t object_id);
store_rc store_follow_set(store *s, int64_t user_id, const char *object_type, int64_t object_id,
                          bool on);
/* Whether the person follows the object now. */
store_rc store_follows(store *s, int64_t user_id, const char *object_type, int64_t object_id,
                       bool *on);

/* ---- messages between the processes on one database (LISTEN/NOTIFY) ---------
 * Not the notification events above, which people read: these tell other
 * openplan nodes that something changed. store_notify(s, channel, payload)
 * reaches the handlers that store_listen registered for channel in every
 * openplan process on the same database
 * (PostgreSQL: NOTIFY, received on one listener thread per store; SQLite,
 * one process: in this process, on the sender's thread). Inside a write
 * transaction it goes out when the outermost transaction commits, and not
 * at all when it rolls back. A handler learns whether the message came
 * from this process (local); a NULL payload means that messages may have
 * been lost (the listener's connection broke and came back): act as if
 * everything changed. Handlers must be quick, must not block, and must not
 * call store_listen, store_unlisten or store_notify; after store_unlisten
 * returns, its handler is not running and will not run. channel: [a-z0-9_],
 * 1 to 63 bytes; payload at most 7,900 bytes. */
typedef void (*store_notify_fn)(const char *payload, bool local, void *ctx);
store_rc store_listen(store *s, const char *channel, store_notify_fn fn, void *ctx);
void     store_unlisten(store *s, const char *channel, store_notify_fn fn, void *ctx);
store_rc store_notify(store *s, const char *channel, const char *payload);

/* Work that one process at a time may do for the whole database (the mail
 * sender: several nodes must not send the same message): store_lock_try
 * sets *held when this thread now holds the lock called name, and
 * store_unlock lets it go. PostgreSQL: a session advisory lock on this
 * thread's connection (a node that dies lets go with its connection);
 * SQLite (one process per database): always held. Outside transactions;
 * take it for one round of work, not for ever. */
store_rc store_lock_try(store *s, const char *name, bool *held);
void     store_unlock(store *s, const char *name);

/* ---- copies -------------------------------------------------------------------
 * store_backup writes a consistent copy of a SQLite database to the file
 * `to` (which must not exist) while others keep using it (SQLite's online
 * backup API). On PostgreSQL it refuses: use pg_dump (docs/deploy.md). */
store_rc store_backup(store *s, const char *to, char *err, size_t errlen);

/* store_copy copies every row of every table of `from` (a SQLite store)
 * into `to` (another store, PostgreSQL as a rule) in one transaction, from
 * one snapshot of `from`, keeping ids; then checks the row count of every
 * table on both sides. It refuses (STORE_CONFLICT) when `to` has rows
 * already, unless force, which first empties it. Both stores are at the
 * same schema version (store_open migrated them). report (may be NULL)
 * hears one line per table and the outcome. */
typedef void (*store_report_fn)(const char *line, void *ctx);
store_rc store_copy(store *from, store *to, bool force, store_report_fn report, void *ctx,
                    char *err, size_t errlen);

/* ---- demo and generic ------------------------------------------------------- */
bool     store_is_empty(store *s);   /* no plan yet */
store_rc store_meta_get(store *s, arena *a, const char *key, const char **value);
store_rc store_meta_set(store *s, const char *key, const char *value);
/* Sets key only when it has no value yet (the first of several nodes wins). */
store_rc store_meta_add(store *s, const char *key, const char *value);
/* Sets key to value unless it has a value already, and hands back the
 * value it has afterwards: the first writer's, the same for every process
 * (the way a secret that every node signs with is made once). */
store_rc store_meta_init(store *s, arena *a, const char *key, const char *value,
                         const char **kept);

#endif
