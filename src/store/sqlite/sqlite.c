/* sqlite.c — the store's SQLite backend (the contract is in ../backend.h):
 * a connection is one sqlite3 handle in WAL mode (readers run beside the
 * one writer) with foreign keys on and a busy timeout; statements are
 * prepared once per connection and kept, keyed by the SQL text's address;
 * $N parameters are bound by their name, not by their order of appearance;
 * SQLite's result codes become store_rc; backups use SQLite's online
 * backup API. The only file that includes sqlite3.h.
 */
#include <sqlite3.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend.h"

enum { STMT_CACHE = 128, BUSY_TIMEOUT_MS = 5000 };

typedef struct sq_conn {
	sqlite3 *db;
	struct {
		const char   *sql;
		sqlite3_stmt *stmt;
		bool          busy; /* stepping now (a row callback may run another query) */
	} cache[STMT_CACHE];
	int ncache;
} sq_conn;

/* ---- errors ------------------------------------------------------------------------ */

static store_rc fail(sq_conn *c, const char *what)
{
	int code = sqlite3_extended_errcode(c->db);
	if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
		return STORE_CONFLICT;
	if ((code & 0xff) == SQLITE_CONSTRAINT)
		return STORE_INVALID;
	/* Another connection held the database (the busy timeout ran out) or a
	 * write could not start from this snapshot: the transaction may run
	 * again. */
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return STORE_RETRY;
	return db_error(what, sqlite3_errmsg(c->db));
}

/* ---- statements ----------------------------------------------------------------------- */

/* The connection's statement for sql (slot >= 0: kept in the cache;
 * -1: prepared for this call only). NULL when it does not prepare. */
static sqlite3_stmt *prep(sq_conn *c, const char *sql, int *slot)
{
	*slot = -1;
	bool cacheable = c->ncache < STMT_CACHE;
	for (int i = 0; i < c->ncache; i++)
		if (c->cache[i].sql == sql) {
			if (!c->cache[i].busy) {
				c->cache[i].busy = true;
				*slot = i;
				return c->cache[i].stmt;
			}
			cacheable = false; /* in use further up this thread's stack */
			break;
		}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(c->db, sql, -1, cacheable ? SQLITE_PREPARE_PERSISTENT : 0, &st,
	                       NULL) != SQLITE_OK)
		return NULL;
	if (cacheable) {
		*slot = c->ncache++;
		c->cache[*slot].sql = sql;
		c->cache[*slot].stmt = st;
		c->cache[*slot].busy = true;
	}
	return st;
}

static void put(sq_conn *c, sqlite3_stmt *st, int slot)
{
	if (slot < 0) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	c->cache[slot].busy = false;
}

/* Binds args[k-1] to every parameter named $k. In SQLite a $k is a named
 * parameter whose index is its order of first appearance ("$2 … $1" makes
 * $2 index 1), so binding by index would swap values. Every argument must
 * be used and no $k may lie beyond nargs, as PostgreSQL demands. */
static store_rc bind(sqlite3_stmt *st, const char *sql, const db_arg *args, int nargs)
{
	if (nargs < 0 || nargs > 64)
		return db_error(sql, "more than 64 parameters");
	int np = sqlite3_bind_parameter_count(st);
	uint64_t used = 0;
	for (int p = 1; p <= np; p++) {
		const char *name = sqlite3_bind_parameter_name(st, p);
		char *end = NULL;
		long k = name && name[0] == '$' && name[1] >= '1' && name[1] <= '9'
			? strtol(name + 1, &end, 10) : 0;
		if (k < 1 || *end || k > nargs) {
			char msg[96];
			snprintf(msg, sizeof msg, "parameter %s is not one of $1 to $%d",
			         name ? name : "?", nargs);
			return db_error(sql, msg);
		}
		const db_arg *a = &args[k - 1];
		int rc;
		if (a->kind == DB_INT)
			rc = sqlite3_bind_int64(st, p, a->i);
		else if (a->kind == DB_NULL || !a->s)
			rc = sqlite3_bind_null(st, p);
		else
			rc = sqlite3_bind_text(st, p, a->s, -1, SQLITE_STATIC);
		if (rc != SQLITE_OK)
			return db_error(sql, sqlite3_errstr(rc));
		used |= 1ull << (k - 1);
	}
	if (used != (nargs == 64 ? ~0ull : (1ull << nargs) - 1)) {
		char msg[96];
		snprintf(msg, sizeof msg, "%d arguments given, not every one is used as $N", nargs);
		return db_error(sql, msg);
	}
	return STORE_OK;
}

static store_rc sq_exec(db_bconn *bc, const char *sql, const db_arg *args, int nargs,
                        int64_t *id_out, int *changes)
{
	sq_conn *c = (sq_conn *)bc;
	int slot;
	sqlite3_stmt *st = prep(c, sql, &slot);
	if (!st)
		return fail(c, sql);
	store_rc out = bind(st, sql, args, nargs);
	if (out != STORE_OK)
		goto done;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && id_out)
		*id_out = sqlite3_column_int64(st, 0);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		out = fail(c, sql);
	else if (changes)
		*changes = sqlite3_changes(c->db);
done:
	put(c, st, slot);
	return out;
}

/* ---- rows ------------------------------------------------------------------------------ */

static int64_t row_int(const db_row *r, int col)
{
	return sqlite3_column_int64(r->h, col);
}

static bool row_isnull(const db_row *r, int col)
{
	return sqlite3_column_type(r->h, col) == SQLITE_NULL;
}

static const char *row_text(const db_row *r, int col, size_t *len)
{
	const unsigned char *t = sqlite3_column_text(r->h, col);
	*len = t ? (size_t)sqlite3_column_bytes(r->h, col) : 0;
	return t ? (const char *)t : "";
}

static int row_ncols(const db_row *r)
{
	return sqlite3_column_count(r->h);
}

static const db_row_ops row_ops = { row_int, row_isnull, row_text, row_ncols };

static store_rc sq_query(db_bconn *bc, const char *sql, const db_arg *args, int nargs,
                         db_row_fn fn, void *ctx)
{
	sq_conn *c = (sq_conn *)bc;
	int slot;
	sqlite3_stmt *st = prep(c, sql, &slot);
	if (!st)
		return fail(c, sql);
	store_rc out = bind(st, sql, args, nargs);
	if (out != STORE_OK)
		goto done;
	db_row row = { &row_ops, st, 0 };
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out = fn(&row, ctx);
		if (out != STORE_OK)
			goto done;
		row.i++;
	}
	if (rc != SQLITE_DONE)
		out = fail(c, sql);
done:
	put(c, st, slot);
	return out;
}

static store_rc sq_script(db_bconn *bc, const char *sql, char *err, size_t errlen)
{
	sq_conn *c = (sq_conn *)bc;
	char *msg = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return STORE_OK;
	snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(c->db));
	sqlite3_free(msg);
	return STORE_ERROR;
}

/* ---- transactions ------------------------------------------------------------------------ */

/* Runs a statement without parameters; sql a static literal (kept). */
static store_rc simple(sq_conn *c, const char *sql)
{
	return sq_exec((db_bconn *)c, sql, NULL, 0, NULL, NULL);
}

static store_rc sq_begin(db_bconn *bc, db_tx kind)
{
	/* IMMEDIATE takes the write lock now, waiting up to the busy timeout,
	 * so a write transaction never fails halfway for want of it. */
	return simple((sq_conn *)bc, kind == DB_TX_WRITE ? "BEGIN IMMEDIATE" : "BEGIN");
}

static store_rc sq_commit(db_bconn *bc)
{
	return simple((sq_conn *)bc, "COMMIT");
}

static void sq_rollback(db_bconn *bc)
{
	sq_conn *c = (sq_conn *)bc;
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static store_rc sq_savepoint(db_bconn *bc, db_sp op, int level)
{
	sq_conn *c = (sq_conn *)bc;
	char sql[64];
	if (op == DB_SP_SET)
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", level);
	else if (op == DB_SP_RELEASE)
		snprintf(sql, sizeof sql, "RELEASE sp%d", level);
	else
		snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d", level, level);
	return sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK ? STORE_OK : fail(c, sql);
}

/* ---- connections ---------------------------------------------------------------------------- */

static void *sq_open(const char *path, char *err, size_t errlen)
{
	char *p = strdup(path);
	if (!p)
		snprintf(err, errlen, "out of memory");
	return p;
}

static void sq_close(void *shared)
{
	free(shared);
}

static void sq_disconnect(db_bconn *bc)
{
	sq_conn *c = (sq_conn *)bc;
	for (int i = 0; i < c->ncache; i++)
		sqlite3_finalize(c->cache[i].stmt);
	sqlite3_close_v2(c->db);
	free(c);
}

static db_bconn *sq_connect(void *shared, char *err, size_t errlen)
{
	const char *path = shared;
	sq_conn *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(c->db, 1);
	/* The pragmas read the file's header and the count reads its schema:
	 * a file that is not a database fails here. */
	if (sqlite3_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
	                        "PRAGMA synchronous=NORMAL; SELECT count(*) FROM sqlite_master",
	                 NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return (db_bconn *)c;
fail:
	snprintf(err, errlen, "cannot open database '%s': %s", path,
	         c->db ? sqlite3_errmsg(c->db) : "out of memory");
	sqlite3_close_v2(c->db);
	free(c);
	return NULL;
}

/* Copies the database page by page into a new file while other
 * connections keep reading and writing (in WAL mode the copy reads one
 * snapshot). The file must not exist; on failure nothing is left. */
static store_rc sq_backup(void *shared, const char *to, char *err, size_t errlen)
{
	const char *path = shared;
	int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create backup file '%s' (it must not exist yet)", to);
		return STORE_ERROR;
	}
	close(fd);
	sqlite3 *src = NULL, *dst = NULL;
	store_rc rc = STORE_ERROR;
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database '%s': %s", path,
		         src ? sqlite3_errmsg(src) : "out of memory");
		goto done;
	}
	sqlite3_busy_timeout(src, BUSY_TIMEOUT_MS);
	if (sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open backup file '%s': %s", to,
		         dst ? sqlite3_errmsg(dst) : "out of memory");
		goto done;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dst));
		goto done;
	}
	int step;
	do {
		step = sqlite3_backup_step(b, -1);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
	if (sqlite3_backup_finish(b) == SQLITE_OK && step == SQLITE_DONE)
		rc = STORE_OK;
	else
		snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dst));
done:
	sqlite3_close_v2(src);
	sqlite3_close_v2(dst);
	if (rc != STORE_OK)
		unlink(to);
	return rc;
}

const db_backend db_backend_sqlite = {
	.name = "sqlite",
	.migration_twin = NULL,
	.open = sq_open,
	.close = sq_close,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.exec = sq_exec,
	.query = sq_query,
	.script = sq_script,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.backup = sq_backup,
};
