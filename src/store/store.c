/* store.c — the store's core, the same for every backend: opening a store
 * on the backend its target names, one connection per thread and store,
 * write transactions (nesting as savepoints; store_tx with retries), read
 * scopes, the statement entry points db_exec/db_query/db_script, fault
 * injection for tests, and the error count. The backends (backend.h) only
 * talk to their database; the domain files only see db.h. Notifications
 * between processes are in notify.c.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TX_TRIES = 5 };

static atomic_uint_fast64_t store_serials = 1;
static atomic_bool          connect_failing;
static atomic_uint_fast64_t db_errors;

/* A thread's connections, by store serial (a closed store's serial is
 * never reused, so a stale slot cannot answer for a new store). */
static _Thread_local struct {
	uint64_t serial;
	db_conn *conn;
} tl[TL_SLOTS];

uint64_t store_error_count(void) { return atomic_load(&db_errors); }

const char *store_rc_name(store_rc rc)
{
	switch (rc) {
	case STORE_OK: return "ok";
	case STORE_NOTFOUND: return "not found";
	case STORE_CONFLICT: return "conflict";
	case STORE_INVALID: return "invalid";
	case STORE_RETRY: return "database busy";
	default: return "database error";
	}
}

store_rc db_error(const char *what, const char *msg)
{
	atomic_fetch_add(&db_errors, 1);
	fprintf(stderr, "level=error msg=\"database: %s: %s\"\n", what, msg);
	return STORE_ERROR;
}

/* ---- connections -------------------------------------------------------------------- */

static db_conn *conn_open(store *s, char *err, size_t errlen)
{
	db_conn *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!(c->be = s->be->connect(s->shared, err, errlen))) {
		free(c);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	c->next = s->conns;
	s->conns = c;
	pthread_mutex_unlock(&s->lock);
	return c;
}

/* This thread's connection to s, opened on first use; NULL (logged) when
 * none can be opened. */
static db_conn *conn_err(store *s, char *err, size_t errlen)
{
	for (int i = 0; i < TL_SLOTS; i++)
		if (tl[i].serial == s->serial)
			return tl[i].conn;
	/* A free slot, else one whose connection is idle: forgetting that one
	 * only costs a reconnect. */
	int slot = -1;
	for (int i = 0; i < TL_SLOTS && slot < 0; i++)
		if (tl[i].serial == 0)
			slot = i;
	for (int i = 0; i < TL_SLOTS && slot < 0; i++)
		if (tl[i].conn->tx_depth == 0 && tl[i].conn->read_depth == 0)
			slot = i;
	if (slot < 0) {
		snprintf(err, errlen, "this thread has %d stores in use at once", TL_SLOTS);
		return NULL;
	}
	db_conn *c = conn_open(s, err, errlen);
	if (!c)
		return NULL;
	tl[slot].serial = s->serial;
	tl[slot].conn = c;
	return c;
}

db_conn *conn(store *s)
{
	/* While the database cannot be reached, each thread tries again at
	 * most once a second, and only the first failure is logged. */
	static _Thread_local time_t last_try;
	time_t now = time(NULL);
	if (atomic_load(&connect_failing) && now == last_try) {
		for (int i = 0; i < TL_SLOTS; i++)
			if (tl[i].serial == s->serial)
				return tl[i].conn;
		return NULL;
	}
	last_try = now;
	char err[256];
	db_conn *c = conn_err(s, err, sizeof err);
	if (!c && !atomic_exchange(&connect_failing, true))
		db_error("connect", err);
	else if (c && atomic_load(&connect_failing))
		atomic_store(&connect_failing, false);
	return c;
}

/* ---- fault injection ----------------------------------------------------------------- */

void store_fault_inject(store *s, long n, store_rc rc)
{
	atomic_store(&s->fault_rc, (int)rc);
	atomic_store(&s->fault_fired, false);
	atomic_store(&s->fault_countdown, n > 0 ? n : 0);
}

bool store_fault_fired(store *s) { return atomic_load(&s->fault_fired); }

/* True (with the code to answer) when this statement is the one to fail. */
static bool fault(store *s, store_rc *rc)
{
	if (atomic_load_explicit(&s->fault_countdown, memory_order_relaxed) <= 0)
		return false;
	if (atomic_fetch_sub(&s->fault_countdown, 1) != 1)
		return false;
	atomic_store(&s->fault_fired, true);
	*rc = (store_rc)atomic_load(&s->fault_rc);
	return true;
}

/* STORE_RETRY may only leave the core towards store_tx, when the outermost
 * transaction is its own; anywhere else the busy database is an error. */
static store_rc settle(const db_conn *c, store_rc rc, bool retryable, const char *what)
{
	if (rc == STORE_RETRY && !retryable)
		return db_error(what, "the database stayed busy");
	return rc;
}

static bool retryable(const db_conn *c) { return c->tx_depth > 0 && c->tx_retry; }

/* ---- read scopes --------------------------------------------------------------------- */

static void read_open(store *s, db_conn *c)
{
	if (!c->reading)
		c->reading = s->be->begin(c->be, DB_TX_READ) == STORE_OK;
}

static void read_close(store *s, db_conn *c)
{
	if (c->reading && s->be->commit(c->be) != STORE_OK)
		s->be->rollback(c->be);
	c->reading = false;
}

store_rc store_read_begin(store *s)
{
	db_conn *c = conn(s);
	if (!c)
		return STORE_ERROR;
	if (c->read_depth++ > 0 || c->tx_depth > 0)
		return STORE_OK;
	read_open(s, c);
	return c->reading ? STORE_OK : STORE_ERROR;
}

void store_read_end(store *s)
{
	db_conn *c = conn(s);
	if (!c || c->read_depth == 0 || --c->read_depth > 0)
		return;
	read_close(s, c);
}

/* After a write transaction ends inside a read scope, later reads get a
 * fresh snapshot. Notifications held back for it go out when it
 * committed. */
static void tx_ended(store *s, db_conn *c, bool committed)
{
	notify_tx_end(s, c, 0, committed);
	c->tx_depth = 0;
	c->tx_retry = false;
	if (c->read_depth > 0)
		read_open(s, c);
}

/* ---- write transactions ----------------------------------------------------------------- */

static store_rc tx_begin(store *s, db_conn *c, bool retry)
{
	/* A snapshot cannot become a write transaction safely (SQLite answers
	 * BUSY_SNAPSHOT when another writer came between): end it first. */
	read_close(s, c);
	store_rc rc;
	if (!fault(s, &rc))
		rc = s->be->begin(c->be, DB_TX_WRITE);
	if (rc == STORE_OK) {
		c->tx_depth = 1;
		c->tx_retry = retry;
		return STORE_OK;
	}
	tx_ended(s, c, false);
	return settle(c, rc, retry, "begin");
}

store_rc store_begin(store *s)
{
	db_conn *c = conn(s);
	if (!c)
		return STORE_ERROR;
	if (c->tx_depth == 0)
		return tx_begin(s, c, false);
	store_rc rc;
	if (!fault(s, &rc))
		rc = s->be->savepoint(c->be, DB_SP_SET, c->tx_depth + 1);
	if (rc == STORE_OK)
		c->tx_depth++;
	return settle(c, rc, retryable(c), "savepoint");
}

store_rc store_commit(store *s)
{
	db_conn *c = conn(s);
	if (!c)
		return STORE_ERROR;
	if (c->tx_depth == 0)
		return STORE_OK;
	store_rc rc;
	if (c->tx_depth > 1) {
		if (!fault(s, &rc))
			rc = s->be->savepoint(c->be, DB_SP_RELEASE, c->tx_depth);
		if (rc != STORE_OK)
			s->be->savepoint(c->be, DB_SP_UNDO, c->tx_depth);
		notify_tx_end(s, c, c->tx_depth, rc == STORE_OK);
		rc = settle(c, rc, retryable(c), "release");
		c->tx_depth--;
		return rc;
	}
	if (!fault(s, &rc))
		rc = s->be->commit(c->be);
	if (rc != STORE_OK)
		s->be->rollback(c->be);
	rc = settle(c, rc, retryable(c), "commit");
	tx_ended(s, c, rc == STORE_OK);
	return rc;
}

void store_rollback(store *s)
{
	db_conn *c = conn(s);
	if (!c || c->tx_depth == 0)
		return;
	if (c->tx_depth > 1) {
		s->be->savepoint(c->be, DB_SP_UNDO, c->tx_depth);
		notify_tx_end(s, c, c->tx_depth, false);
		c->tx_depth--;
		return;
	}
	s->be->rollback(c->be);
	tx_ended(s, c, false);
}

/* A pause before attempt n (1, 2 …): about 1, 4, 16, 64 ms, with jitter so
 * that two writers that collided do not collide again. */
static void backoff(int n)
{
	static _Thread_local unsigned seed;
	if (!seed)
		seed = (unsigned)(uintptr_t)&seed ^ (unsigned)time(NULL);
	seed = seed * 1103515245u + 12345u;
	long us = (1000L << (2 * (n - 1))) / 2;
	us += (long)((seed >> 8) % (unsigned long)(us + 1));
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

store_rc store_tx(store *s, store_rc (*fn)(store *s, void *ctx), void *ctx)
{
	db_conn *c = conn(s);
	if (!c)
		return STORE_ERROR;
	if (c->tx_depth > 0) {
		store_rc rc = store_begin(s);
		if (rc != STORE_OK)
			return rc;
		rc = fn(s, ctx);
		if (rc != STORE_OK) {
			store_rollback(s);
			return settle(c, rc, retryable(c), "transaction");
		}
		return store_commit(s);
	}
	for (int attempt = 1; attempt <= TX_TRIES; attempt++) {
		if (attempt > 1)
			backoff(attempt - 1);
		store_rc rc = tx_begin(s, c, true);
		if (rc == STORE_OK) {
			rc = fn(s, ctx);
			if (rc == STORE_OK && c->tx_depth != 1) {
				/* fn left a store_begin open: nothing it did is kept. */
				db_error("transaction", "a nested store_begin was not ended");
				rc = STORE_ERROR;
			}
			if (rc == STORE_OK)
				rc = store_commit(s); /* rolls back itself when it fails */
			else if (c->tx_depth > 0) { /* unless fn ended it already */
				s->be->rollback(c->be);
				tx_ended(s, c, false);
			}
		}
		if (rc != STORE_RETRY)
			return rc;
	}
	return db_error("transaction", "the database stayed busy after every retry");
}

/* ---- statements ------------------------------------------------------------------------ */

store_rc db_exec(store *s, const char *sql, const db_arg *args, int nargs, int64_t *id_out,
                 int *changes)
{
	if (changes)
		*changes = 0;
	db_conn *c = conn(s);
	if (!c)
		return STORE_ERROR;
	store_rc rc;
	if (fault(s, &rc))
		return settle(c, rc, retryable(c), sql);
	/* A change outside a transaction, inside a read scope: the snapshot
	 * ends first, so the change commits at once on its own. */
	bool paused = c->reading && c->tx_depth == 0;
	if (paused)
		read_close(s, c);
	rc = s->be->exec(c->be, sql, args, nargs, id_out, changes);
	if (paused)
		read_open(s, c);
	return settle(c, rc, retryable(c), sql);
}

store_rc db_query(store *s, const char *sql, const db_arg *args, int nargs, db_row_fn row,
                  void *ctx)
{
	db_conn *c = conn(s);
	if (!c)
		return STORE_ERROR;
	store_rc rc;
	if (fault(s, &rc))
		return settle(c, rc, retryable(c), sql);
	rc = s->be->query(c->be, sql, args, nargs, row, ctx);
	return settle(c, rc, retryable(c), sql);
}

store_rc db_script(store *s, const char *sql, char *err, size_t errlen)
{
	db_conn *c = conn_err(s, err, errlen);
	if (!c)
		return STORE_ERROR;
	store_rc rc;
	if (fault(s, &rc)) {
		snprintf(err, errlen, "injected fault");
		return settle(c, rc, retryable(c), "script");
	}
	return s->be->script(c->be, sql, err, errlen);
}

static store_rc version_row(const db_row *r, void *ctx)
{
	*(int *)ctx = (int)db_int(r, 0);
	return STORE_OK;
}

int store_schema_version(store *s)
{
	int v = -1;
	if (db_query(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0,
	             version_row, &v) != STORE_OK)
		return -1;
	return v;
}

store_rc db_lock_schema(store *s, bool on)
{
	db_conn *c = conn(s);
	if (!c)
		return STORE_ERROR;
	return s->be->lock_schema ? s->be->lock_schema(c->be, on) : STORE_OK;
}

const db_backend *store_backend(store *s) { return s->be; }

const char *store_kind(store *s) { return s->be->name; }

bool store_unavailable(store *s)
{
	db_conn *c = conn(s);
	if (!c)
		return true;
	return s->be->unavailable && s->be->unavailable(c->be);
}

const char *db_intern(store *s, const char *sql)
{
	pthread_mutex_lock(&s->lock);
	const char *out = NULL;
	for (interned *i = s->interned; i && !out; i = i->next)
		if (!strcmp(i->sql, sql))
			out = i->sql;
	size_t n = strlen(sql);
	interned *i = out ? NULL : malloc(sizeof *i + n + 1);
	if (i) {
		memcpy(i->sql, sql, n + 1);
		i->next = s->interned;
		s->interned = i;
		out = i->sql;
	}
	pthread_mutex_unlock(&s->lock);
	return out;
}

/* ---- opening and closing ----------------------------------------------------------------- */

static bool is_url(const char *target)
{
	return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11);
}

static const db_backend *backend_for(const char *target)
{
	return is_url(target) ? &db_backend_pg : &db_backend_sqlite;
}

void store_target_display(const char *target, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", target);
	if (!is_url(target))
		return;
	/* postgresql://user:PASSWORD@host…: the password becomes ***. */
	char *auth = strstr(out, "://") + 3;
	size_t alen = strcspn(auth, "/?");
	char *at = NULL;
	for (char *p = auth; p < auth + alen; p++)
		if (*p == '@')
			at = p;
	char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		memmove(colon + 4, at, strlen(at) + 1);
		memcpy(colon + 1, "***", 3);
	}
	/* …?password=PASSWORD&… likewise. */
	for (char *q = strchr(out, '?'); q && (q = strstr(q, "password=")); q += 9) {
		if (q[-1] != '?' && q[-1] != '&')
			continue;
		char *v = q + 9;
		size_t vl = strcspn(v, "&");
		if (vl + 1 + (size_t)(v - out) > outlen)
			break;
		memmove(v + 3, v + vl, strlen(v + vl) + 1);
		memcpy(v, "***", 3);
	}
}

store_rc store_create(const char *target, bool *created, char *err, size_t errlen)
{
	*created = false;
	const db_backend *be = backend_for(target);
	if (!be->create_database)
		return STORE_OK;
	void *shared = be->open(target, err, errlen);
	if (!shared)
		return STORE_ERROR;
	store_rc rc = be->create_database(shared, created, err, errlen);
	be->close(shared);
	return rc;
}

store_rc store_backup(store *s, const char *to, char *err, size_t errlen)
{
	if (!s->be->backup) {
		snprintf(err, errlen, "openplan backup copies SQLite files; for PostgreSQL use pg_dump "
		                      "(see docs/deploy.md)");
		return STORE_INVALID;
	}
	return s->be->backup(s->shared, to, err, errlen);
}

store_rc store_open(const char *target, store **out, char *err, size_t errlen)
{
	*out = NULL;
	const db_backend *be = backend_for(target);
	store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	s->be = be;
	s->serial = atomic_fetch_add(&store_serials, 1);
	pthread_mutex_init(&s->lock, NULL);
	notify_init(s);
	if (!(s->shared = be->open(target, err, errlen)) || !conn_err(s, err, errlen) ||
	    db_migrate(s, embed_files, embed_count, err, errlen) != STORE_OK) {
		store_close(s);
		return STORE_ERROR;
	}
	*out = s;
	return STORE_OK;
}

void store_close(store *s)
{
	if (!s)
		return;
	/* The listener thread first: it calls into the registry. */
	if (s->shared && s->be->listen_stop)
		s->be->listen_stop(s->shared);
	notify_free(s);
	for (int i = 0; i < TL_SLOTS; i++)
		if (tl[i].serial == s->serial)
			tl[i].serial = 0;
	db_conn *c = s->conns;
	while (c) {
		db_conn *next = c->next;
		notify_tx_end(s, c, 0, false);
		s->be->disconnect(c->be);
		free(c);
		c = next;
	}
	if (s->shared)
		s->be->close(s->shared);
	while (s->interned) {
		interned *i = s->interned;
		s->interned = i->next;
		free(i);
	}
	pthread_mutex_destroy(&s->lock);
	free(s);
}
