/* sqlite.c — the store's SQLite backend: connections, prepared-statement
 * cache, transactions and migrations. Domain queries live in the
 * store_*.c files beside it and reach SQLite only through db.h.
 *
 * Each thread gets its own connection (WAL lets readers run beside the
 * one writer); statements are prepared once per connection and reused.
 */
#include "db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/embed.h"

enum { STMT_CACHE = 128, TL_SLOTS = 16 };

struct db_conn {
	sqlite3      *db;
	struct {
		const char   *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	int           ncache;
	int           tx_depth;
	db_conn      *next;
};

struct store {
	char           *path;
	uint64_t        serial;
	pthread_mutex_t lock;
	db_conn        *conns;
};

static atomic_uint_fast64_t store_serials = 1;
static atomic_uint_fast64_t db_errors;

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
	default: return "database error";
	}
}

store_rc db_fail(db_conn *c, const char *what)
{
	int code = sqlite3_extended_errcode(c->db);
	if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
		return STORE_CONFLICT;
	if ((code & 0xff) == SQLITE_CONSTRAINT)
		return STORE_INVALID;
	atomic_fetch_add(&db_errors, 1);
	fprintf(stderr, "level=error msg=\"database: %s: %s\"\n", what, sqlite3_errmsg(c->db));
	return STORE_ERROR;
}

static db_conn *conn_open(store *s)
{
	db_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(s->path, &c->db, flags, NULL) != SQLITE_OK) {
		if (c->db)
			sqlite3_close(c->db);
		free(c);
		return NULL;
	}
	sqlite3_busy_timeout(c->db, 5000);
	sqlite3_extended_result_codes(c->db, 1);
	const char *setup = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
	                    "PRAGMA synchronous=NORMAL;";
	if (sqlite3_exec(c->db, setup, NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(c->db);
		free(c);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	c->next = s->conns;
	s->conns = c;
	pthread_mutex_unlock(&s->lock);
	return c;
}

db_conn *db_get(store *s)
{
	for (int i = 0; i < TL_SLOTS; i++)
		if (tl[i].serial == s->serial)
			return tl[i].conn;
	/* A free slot, else one whose connection is not inside a transaction:
	 * forgetting that one only costs a reconnect. */
	int slot = -1;
	for (int i = 0; i < TL_SLOTS && slot < 0; i++)
		if (tl[i].serial == 0)
			slot = i;
	for (int i = 0; i < TL_SLOTS && slot < 0; i++)
		if (tl[i].conn->tx_depth == 0)
			slot = i;
	if (slot < 0)
		return NULL;
	db_conn *c = conn_open(s);
	if (!c)
		return NULL;
	tl[slot].serial = s->serial;
	tl[slot].conn = c;
	return c;
}

sqlite3_stmt *db_prep(db_conn *c, const char *sql)
{
	for (int i = 0; i < c->ncache; i++)
		if (c->cache[i].sql == sql) {
			sqlite3_reset(c->cache[i].stmt);
			sqlite3_clear_bindings(c->cache[i].stmt);
			return c->cache[i].stmt;
		}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_fail(c, sql);
		return NULL;
	}
	if (c->ncache < STMT_CACHE) {
		c->cache[c->ncache].sql = sql;
		c->cache[c->ncache].stmt = st;
		c->ncache++;
	}
	return st;
}

void db_done(db_conn *c, sqlite3_stmt *st)
{
	for (int i = 0; i < c->ncache; i++)
		if (c->cache[i].stmt == st) {
			sqlite3_reset(st);
			return;
		}
	sqlite3_finalize(st);
}

const char *db_text(arena *a, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	int n = sqlite3_column_bytes(st, col);
	return arena_strndup(a, t ? (const char *)t : "", (size_t)n);
}

int64_t db_now(void)
{
	return (int64_t)time(NULL);
}

store_rc db_exec(store *s, const char *sql, const db_arg *args, int nargs, int64_t *id_out,
                 int *changes)
{
	db_conn *c = db_get(s);
	if (!c)
		return STORE_ERROR;
	sqlite3_stmt *st = db_prep(c, sql);
	if (!st)
		return STORE_ERROR;
	if (db_bind(st, args, nargs) != 0) {
		db_done(c, st);
		return db_fail(c, "bind");
	}
	int rc = sqlite3_step(st);
	store_rc out = STORE_OK;
	if (rc == SQLITE_ROW && id_out) {
		*id_out = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		out = db_fail(c, sql);
	if (changes)
		*changes = sqlite3_changes(c->db);
	db_done(c, st);
	return out;
}

int db_bind(sqlite3_stmt *st, const db_arg *args, int nargs)
{
	for (int i = 0; i < nargs; i++) {
		int rc;
		if (args[i].kind == DB_INT)
			rc = sqlite3_bind_int64(st, i + 1, args[i].i);
		else if (args[i].kind == DB_NULL || !args[i].s)
			rc = sqlite3_bind_null(st, i + 1);
		else
			rc = sqlite3_bind_text(st, i + 1, args[i].s, -1, SQLITE_STATIC);
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

static store_rc tx_exec(store *s, const char *sql)
{
	db_conn *c = db_get(s);
	if (!c)
		return STORE_ERROR;
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(c, sql);
	return STORE_OK;
}

store_rc store_begin(store *s)
{
	db_conn *c = db_get(s);
	if (!c)
		return STORE_ERROR;
	if (c->tx_depth++ > 0)
		return STORE_OK;
	store_rc rc = tx_exec(s, "BEGIN IMMEDIATE");
	if (rc != STORE_OK)
		c->tx_depth = 0;
	return rc;
}

store_rc store_commit(store *s)
{
	db_conn *c = db_get(s);
	if (!c)
		return STORE_ERROR;
	if (c->tx_depth == 0 || --c->tx_depth > 0)
		return STORE_OK;
	store_rc rc = tx_exec(s, "COMMIT");
	if (rc != STORE_OK)
		store_rollback(s);
	return rc;
}

void store_rollback(store *s)
{
	db_conn *c = db_get(s);
	if (!c)
		return;
	c->tx_depth = 0;
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Applies the embedded migrations above the recorded version, each in its
 * own transaction, in number order. */
static store_rc migrate(store *s, char *err, size_t errlen)
{
	db_conn *c = db_get(s);
	if (!c)
		return STORE_ERROR;
	if (sqlite3_exec(c->db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                        "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
	                 NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot create schema_migrations: %s", sqlite3_errmsg(c->db));
		return STORE_ERROR;
	}
	int have = store_schema_version(s);
	for (size_t i = 0; i < embed_count; i++) {
		const embed_file *f = &embed_files[i];
		if (strncmp(f->name, "store/migrations/", 17) != 0)
			continue;
		int version = atoi(f->name + 17);
		if (version <= have)
			continue;
		char *msg = NULL;
		if (store_begin(s) != STORE_OK ||
		    sqlite3_exec(c->db, (const char *)f->data, NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errlen, "migration %s failed: %s", f->name,
			         msg ? msg : sqlite3_errmsg(c->db));
			sqlite3_free(msg);
			store_rollback(s);
			return STORE_ERROR;
		}
		db_arg a[] = { DB_I(version), DB_I(db_now()) };
		if (db_exec(s, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
		            a, 2, NULL, NULL) != STORE_OK || store_commit(s) != STORE_OK) {
			store_rollback(s);
			snprintf(err, errlen, "migration %s could not be recorded", f->name);
			return STORE_ERROR;
		}
	}
	return STORE_OK;
}

int store_schema_version(store *s)
{
	db_conn *c = db_get(s);
	if (!c)
		return -1;
	sqlite3_stmt *st = db_prep(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
	if (!st)
		return -1;
	int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	db_done(c, st);
	return v;
}

store_rc store_open(const char *path, store **out, char *err, size_t errlen)
{
	*out = NULL;
	store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	s->serial = atomic_fetch_add(&store_serials, 1);
	pthread_mutex_init(&s->lock, NULL);
	db_conn *c = db_get(s);
	if (!c) {
		snprintf(err, errlen, "cannot open database '%s'", path);
		store_close(s);
		return STORE_ERROR;
	}
	/* A file that is not a database fails here, on its first read. */
	if (sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database '%s': %s", path, sqlite3_errmsg(c->db));
		store_close(s);
		return STORE_ERROR;
	}
	if (migrate(s, err, errlen) != STORE_OK) {
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
	for (int i = 0; i < TL_SLOTS; i++)
		if (tl[i].serial == s->serial)
			tl[i].serial = 0;
	db_conn *c = s->conns;
	while (c) {
		db_conn *next = c->next;
		for (int i = 0; i < c->ncache; i++)
			sqlite3_finalize(c->cache[i].stmt);
		sqlite3_close(c->db);
		free(c);
		c = next;
	}
	pthread_mutex_destroy(&s->lock);
	free(s->path);
	free(s);
}

store_rc db_query(store *s, const char *sql, const db_arg *args, int nargs, db_row_fn row,
                  void *ctx)
{
	db_conn *c = db_get(s);
	if (!c)
		return STORE_ERROR;
	sqlite3_stmt *st = db_prep(c, sql);
	if (!st)
		return STORE_ERROR;
	store_rc out = STORE_OK;
	if (db_bind(st, args, nargs) != 0) {
		out = db_fail(c, "bind");
		goto done;
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out = row(st, ctx);
		if (out != STORE_OK)
			goto done;
	}
	if (rc != SQLITE_DONE)
		out = db_fail(c, sql);
done:
	db_done(c, st);
	return out;
}

void *db_vec_push(db_vec *v)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = arena_alloc(v->a, cap * v->size);
		if (!p)
			return NULL;
		if (v->len)
			memcpy(p, v->items, v->len * v->size);
		v->items = p;
		v->cap = cap;
	}
	void *slot = (char *)v->items + v->len++ * v->size;
	memset(slot, 0, v->size);
	return slot;
}

typedef struct pos_ctx { int64_t id; int position; bool found; } pos_ctx;

static store_rc pos_row(sqlite3_stmt *st, void *ctx)
{
	pos_ctx *p = ctx;
	p->id = sqlite3_column_int64(st, 0);
	p->position = sqlite3_column_int(st, 1);
	p->found = true;
	return STORE_OK;
}

store_rc db_move_position(store *s, const char *sql_get, const char *sql_prev,
                          const char *sql_next, const char *sql_set, int64_t parent_id,
                          int64_t id, int dir, bool *moved)
{
	if (moved)
		*moved = false;
	pos_ctx me = { 0 }, other = { 0 };
	db_arg a[] = { DB_I(id), DB_I(parent_id) };
	store_rc rc = db_query(s, sql_get, a, 2, pos_row, &me);
	if (rc == STORE_OK && !me.found)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK) {
		db_arg b[] = { DB_I(parent_id), DB_I(me.position), DB_I(me.position), DB_I(id) };
		rc = db_query(s, dir < 0 ? sql_prev : sql_next, b, 4, pos_row, &other);
	}
	if (rc != STORE_OK || !other.found)
		return rc;
	/* Swap positions; equal positions get distinct ones first. */
	int mine = me.position, theirs = other.position;
	if (mine == theirs)
		theirs = dir < 0 ? mine - 1 : mine + 1;
	db_arg x[] = { DB_I(theirs), DB_I(me.id) };
	db_arg y[] = { DB_I(mine), DB_I(other.id) };
	rc = db_exec(s, sql_set, x, 2, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, sql_set, y, 2, NULL, NULL);
	if (rc == STORE_OK && moved)
		*moved = true;
	return rc;
}
