/* pg.c — the store's PostgreSQL backend (the contract is in ../backend.h),
 * through libpq: a connection is one PGconn; statements are prepared once
 * per connection (keyed by the SQL text's address) with integer parameters
 * typed bigint and the rest left for the server to infer; every query
 * streams in single-row mode, so an export of any size holds one row at a
 * time (a query started inside another's row callback first drains the
 * outer one into memory, the only case that buffers). SQLSTATEs become
 * store_rc. A connection that breaks is opened again on a later call, at
 * most once a second, and its failures are logged once per outage.
 * The URL and the settings are read in pg_url.c, notifications are
 * listened for in pg_listen.c; only src/store/pg includes libpq-fe.h.
 */
#include <libpq-fe.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg.h"

enum { BOOLOID = 16, INT8OID = 20, MAX_ARGS = 64 };

/* ---- connections --------------------------------------------------------------------- */

static void stmts_clear(pg_conn *c)
{
	free(c->stmts);
	c->stmts = NULL;
	c->nstmts = c->cap = 0;
}

static size_t ptr_hash(const char *p, size_t cap)
{
	uintptr_t v = (uintptr_t)p;
	v ^= v >> 17;
	v *= 0x9E3779B97F4A7C15ull;
	return (size_t)(v >> 7) & (cap - 1);
}

static pg_stmt *stmt_find(pg_conn *c, const char *sql)
{
	if (!c->cap)
		return NULL;
	for (size_t i = ptr_hash(sql, c->cap);; i = (i + 1) & (c->cap - 1)) {
		if (c->stmts[i].sql == sql)
			return &c->stmts[i];
		if (!c->stmts[i].sql)
			return NULL;
	}
}

static bool stmt_add(pg_conn *c, const char *sql, unsigned name)
{
	if ((c->nstmts + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		pg_stmt *t = calloc(cap, sizeof *t);
		if (!t)
			return false;
		for (size_t i = 0; i < c->cap; i++)
			if (c->stmts[i].sql) {
				size_t k = ptr_hash(c->stmts[i].sql, cap);
				while (t[k].sql)
					k = (k + 1) & (cap - 1);
				t[k] = c->stmts[i];
			}
		free(c->stmts);
		c->stmts = t;
		c->cap = cap;
	}
	size_t k = ptr_hash(sql, c->cap);
	while (c->stmts[k].sql)
		k = (k + 1) & (c->cap - 1);
	c->stmts[k] = (pg_stmt){ sql, name };
	c->nstmts++;
	return true;
}

/* ---- errors ---------------------------------------------------------------------------- */

bool pg_broken(const pg_conn *c)
{
	return PQstatus(c->pg) == CONNECTION_BAD;
}

/* A failure that broke the connection: logged once per outage. */
static store_rc lost(pg_conn *c, const char *msg)
{
	/* A pending transaction has done nothing yet: it stays pending. */
	if (c->tx == TX_WRITE)
		c->lost = true;
	if (c->tx == TX_WRITE || c->tx == TX_READ)
		c->tx = TX_NONE;
	if (!c->down) {
		c->down = true;
		char line[512];
		pg_one_line(c->sh, msg, line, sizeof line);
		db_error("connection lost", line);
	}
	return STORE_ERROR;
}

store_rc pg_fail(pg_conn *c, const PGresult *res, const char *what)
{
	if (pg_broken(c))
		return lost(c, res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state && !strcmp(state, "23505"))
		return STORE_CONFLICT;
	if (state && !strncmp(state, "23", 2))
		return STORE_INVALID;
	/* serialization_failure, deadlock_detected: the whole transaction may
	 * run again. */
	if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01")))
		return STORE_RETRY;
	char line[512];
	pg_one_line(c->sh, res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg), line,
	            sizeof line);
	return db_error(what, line);
}

/* ---- the connection before a statement ------------------------------------------------ */

/* Reads every result of the query being streamed into its buffer, so the
 * connection is free for another statement (a row callback's). */
static void quiesce(pg_conn *c)
{
	if (c->ending) {
		/* The answer to the COMMIT that ended the last read snapshot. */
		PGresult *res;
		while ((res = PQgetResult(c->pg)))
			PQclear(res);
		c->ending = false;
	}
	pg_stream *s = c->active;
	if (!s || s->done)
		return;
	PGresult *res;
	while ((res = PQgetResult(c->pg))) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 64;
			PGresult **b = realloc(s->buf, cap * sizeof *b);
			if (!b) {
				/* Keep what fits no more: the outer query answers an error. */
				PQclear(res);
				continue;
			}
			s->buf = b;
			s->cap = cap;
		}
		s->buf[s->n++] = res;
	}
	s->done = true;
	if (s->piped) {
		s->piped = false;
		pg_pipe_end(c);
	}
}

static store_rc run_simple(pg_conn *c, const char *sql);

/* Opens a broken connection again (at most once a second unless now). */
static bool reconnect(pg_conn *c, bool now)
{
	time_t t = time(NULL);
	if (!now && t == c->last_reset)
		return false;
	c->last_reset = t;
	PQreset(c->pg);
	if (pg_broken(c)) {
		lost(c, PQerrorMessage(c->pg));
		return false;
	}
	stmts_clear(c);
	c->pipeline = c->synced = false;
	c->nqueue = 0;
	if (c->tx != TX_READ_PENDING && c->tx != TX_WRITE_PENDING)
		c->tx = TX_NONE;
	if (c->down) {
		c->down = false;
		fprintf(stderr, "level=info msg=\"database: connection restored\"\n");
	}
	return true;
}

/* After a statement failed: true when it found the connection broken
 * outside a write transaction, and it is open again, so a read (or the
 * first statement of a transaction, sent with its BEGIN: it cannot have
 * committed) may be sent once more. A write outside a transaction is never
 * sent twice: the server may have done it before the connection broke. */
static bool again(pg_conn *c, int attempt)
{
	return attempt == 0 && pg_broken(c) && !c->lost && reconnect(c, true);
}

/* Makes the connection ready for a statement: the last one's results
 * read, and open again when it broke (at most once a second). */
static store_rc ready(pg_conn *c)
{
	quiesce(c);
	if (c->lost)
		return STORE_ERROR; /* the transaction is gone: only rollback helps */
	if (pg_broken(c) && !reconnect(c, false))
		return STORE_ERROR;
	return STORE_OK;
}

/* Sends a pending BEGIN on its own (before a script or a savepoint). */
static store_rc begin_now(pg_conn *c)
{
	const char *b = pg_pending_begin(c);
	if (!b)
		return STORE_OK;
	pg_tx to = c->tx == TX_READ_PENDING ? TX_READ : TX_WRITE;
	store_rc rc = run_simple(c, b);
	if (rc != STORE_OK && again(c, 0))
		rc = run_simple(c, b);
	if (rc == STORE_OK)
		c->tx = to;
	return rc;
}

static store_rc run_simple(pg_conn *c, const char *sql)
{
	PGresult *res = PQexec(c->pg, sql);
	store_rc rc = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK
		? STORE_OK : pg_fail(c, res, sql);
	PQclear(res);
	return rc;
}

/* The store's rule, which PostgreSQL alone would not keep: every argument
 * is used as $N and no $N lies beyond them (an unused argument would be
 * accepted silently). Quoted text and identifiers are skipped. */
static bool params_match(const char *sql, int nargs, char *msg, size_t msglen)
{
	uint64_t used = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			const char *q = strchr(p + 1, *p);
			if (!q)
				break;
			p = q;
			continue;
		}
		if (*p != '$' || p[1] < '1' || p[1] > '9')
			continue;
		char *end;
		long k = strtol(p + 1, &end, 10);
		if (k > nargs) {
			snprintf(msg, msglen, "parameter $%ld is not one of $1 to $%d", k, nargs);
			return false;
		}
		used |= 1ull << (k - 1);
		p = end - 1;
	}
	if (used != (nargs == 64 ? ~0ull : (1ull << nargs) - 1)) {
		snprintf(msg, msglen, "%d arguments given, not every one is used as $N", nargs);
		return false;
	}
	return true;
}

/* The prepared statement for sql, prepared on first use. */
static const pg_stmt *prepared(pg_conn *c, const char *sql, const db_arg *args, int nargs,
                               store_rc *rc)
{
	pg_stmt *st = stmt_find(c, sql);
	if (st)
		return st;
	/* Preparing waits for its answer: what is queued goes first. */
	if (c->pipeline && (*rc = pg_pipe_end(c)) != STORE_OK)
		return NULL;
	char msg[96];
	if (!params_match(sql, nargs, msg, sizeof msg)) {
		*rc = db_error(sql, msg);
		return NULL;
	}
	unsigned types[MAX_ARGS];
	for (int i = 0; i < nargs; i++)
		types[i] = args[i].kind == DB_INT ? INT8OID : 0;
	char name[16];
	snprintf(name, sizeof name, "s%u", c->next_name);
	PGresult *res = PQprepare(c->pg, name, sql, nargs, types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		*rc = pg_fail(c, res, sql);
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	if (!stmt_add(c, sql, c->next_name)) {
		*rc = db_error(sql, "out of memory");
		return NULL;
	}
	c->next_name++;
	return stmt_find(c, sql);
}

/* The arguments as text; ints written into room (24 bytes each). */
static store_rc values(const char *sql, const db_arg *args, int nargs, const char **out,
                       char (*room)[24])
{
	if (nargs < 0 || nargs > MAX_ARGS)
		return db_error(sql, "more than 64 parameters");
	for (int i = 0; i < nargs; i++) {
		if (args[i].kind == DB_INT) {
			snprintf(room[i], sizeof room[i], "%lld", (long long)args[i].i);
			out[i] = room[i];
		} else {
			out[i] = args[i].kind == DB_TEXT ? args[i].s : NULL;
		}
	}
	return STORE_OK;
}

/* ---- statements ---------------------------------------------------------------------- */

/* Runs one prepared statement that needs its answer: on its own, or after
 * what is queued (and a pending BEGIN) in one round trip. */
static PGresult *exec_one(pg_conn *c, const char *name, int nargs, const char *const *vals,
                          store_rc *rc)
{
	if (!c->pipeline && !pg_pending_begin(c))
		return PQexecPrepared(c->pg, name, nargs, vals, NULL, NULL, 0);
	*rc = pg_pipe_send_last(c, name, nargs, vals);
	PGresult *res = c->pipeline ? PQgetResult(c->pg) : NULL, *more;
	while (c->pipeline && (more = PQgetResult(c->pg)))
		PQclear(more);
	pg_pipe_end(c);
	if (*rc != STORE_OK) {
		PQclear(res);
		return NULL;
	}
	return res;
}

static store_rc pg_exec(db_bconn *bc, const char *sql, const db_arg *args, int nargs,
                        int64_t *id_out, int *changes)
{
	pg_conn *c = (pg_conn *)bc;
	const char *vals[MAX_ARGS];
	char room[MAX_ARGS][24];
	store_rc rc = values(sql, args, nargs, vals, room);
	for (int attempt = 0; rc == STORE_OK; attempt++) {
		if ((rc = ready(c)) != STORE_OK)
			break;
		const pg_stmt *st = prepared(c, sql, args, nargs, &rc);
		if (!st) {
			if (again(c, attempt)) {
				rc = STORE_OK;
				continue;
			}
			break;
		}
		char name[16];
		snprintf(name, sizeof name, "s%u", st->name);
		/* In a write transaction, a statement that needs no answer waits
		 * to go out with the next one that does, or with the commit. */
		if (!id_out && !changes && (c->tx == TX_WRITE || c->tx == TX_WRITE_PENDING))
			return pg_pipe_defer(c, sql, name, nargs, vals);
		pg_tx before = c->tx;
		bool first = pg_pending_begin(c) != NULL;
		PGresult *res = exec_one(c, name, nargs, vals, &rc);
		ExecStatusType es = PQresultStatus(res);
		if (rc != STORE_OK) {
			/* what was queued before it failed; rc says why */
		} else if (es == PGRES_TUPLES_OK || es == PGRES_COMMAND_OK) {
			if (id_out && es == PGRES_TUPLES_OK && PQntuples(res) > 0 && PQnfields(res) > 0)
				*id_out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
			if (changes)
				*changes = atoi(PQcmdTuples(res));
		} else {
			rc = pg_fail(c, res, sql);
		}
		PQclear(res);
		/* Sent again only as the first statement of its transaction: the
		 * transaction began with it and cannot have committed. */
		if (rc == STORE_OK || !first || !pg_broken(c))
			break;
		c->lost = false;
		c->tx = before;
		if (!again(c, attempt))
			break;
		rc = STORE_OK;
	}
	return rc;
}

/* ---- rows ------------------------------------------------------------------------------ */

static int64_t row_int(const db_row *r, int col)
{
	const PGresult *res = r->h;
	if (PQgetisnull(res, r->i, col))
		return 0;
	const char *v = PQgetvalue(res, r->i, col);
	if (PQftype(res, col) == BOOLOID)
		return *v == 't';
	return strtoll(v, NULL, 10);
}

static bool row_isnull(const db_row *r, int col)
{
	return PQgetisnull(r->h, r->i, col);
}

static const char *row_text(const db_row *r, int col, size_t *len)
{
	*len = (size_t)PQgetlength(r->h, r->i, col);
	return PQgetvalue(r->h, r->i, col); /* "" for NULL */
}

static int row_ncols(const db_row *r)
{
	return PQnfields(r->h);
}

static const db_row_ops row_ops = { row_int, row_isnull, row_text, row_ncols };

static PGresult *next_result(pg_conn *c, pg_stream *s)
{
	if (s->head < s->n)
		return s->buf[s->head++];
	if (s->done)
		return NULL;
	PGresult *res = PQgetResult(c->pg);
	if (!res)
		s->done = true;
	return res;
}

/* Sends the query and hands its rows to fn as they arrive; *rows counts
 * the rows handed. */
static store_rc stream(pg_conn *c, const char *sql, const db_arg *args, int nargs,
                       const char *const *vals, db_row_fn fn, void *ctx, size_t *rows)
{
	store_rc rc = STORE_OK;
	const pg_stmt *st = prepared(c, sql, args, nargs, &rc);
	if (!st)
		return rc;
	char name[16];
	snprintf(name, sizeof name, "s%u", st->name);
	bool piped = c->pipeline || pg_pending_begin(c);
	if (piped) {
		/* After what is queued; a snapshot's BEGIN travels with its first
		 * query. */
		rc = pg_pipe_send_last(c, name, nargs, vals);
		if (rc != STORE_OK) {
			PGresult *res;
			while (c->pipeline && (res = PQgetResult(c->pg)))
				PQclear(res);
			pg_pipe_end(c);
			return rc;
		}
	} else if (!PQsendQueryPrepared(c->pg, name, nargs, vals, NULL, NULL, 0)) {
		return pg_fail(c, NULL, sql);
	}
	PQsetSingleRowMode(c->pg);
	pg_stream s = { .outer = c->active, .piped = piped };
	c->active = &s;
	PGresult *res;
	while ((res = next_result(c, &s))) {
		ExecStatusType es = PQresultStatus(res);
		if (es == PGRES_SINGLE_TUPLE) {
			if (rc == STORE_OK) {
				db_row row = { &row_ops, res, 0 };
				(*rows)++;
				rc = fn(&row, ctx);
			}
		} else if (es != PGRES_TUPLES_OK && es != PGRES_COMMAND_OK && rc == STORE_OK) {
			rc = pg_fail(c, res, sql);
		}
		/* On a failure or a callback's stop, the rest is read and dropped:
		 * the connection must be free for the next statement. */
		PQclear(res);
	}
	c->active = s.outer;
	if (s.piped)
		pg_pipe_end(c);
	for (size_t i = s.head; i < s.n; i++)
		PQclear(s.buf[i]);
	free(s.buf);
	return rc;
}

static store_rc pg_query(db_bconn *bc, const char *sql, const db_arg *args, int nargs,
                         db_row_fn fn, void *ctx)
{
	pg_conn *c = (pg_conn *)bc;
	const char *vals[MAX_ARGS];
	char room[MAX_ARGS][24];
	store_rc rc = values(sql, args, nargs, vals, room);
	for (int attempt = 0; rc == STORE_OK; attempt++) {
		if ((rc = ready(c)) != STORE_OK)
			break;
		size_t rows = 0;
		rc = stream(c, sql, args, nargs, vals, fn, ctx, &rows);
		/* A read that found the connection broken before its first row
		 * runs once more on a new one (a restarted server). */
		if (rc == STORE_OK || rows || !again(c, attempt))
			break;
	}
	return rc;
}

static store_rc pg_script(db_bconn *bc, const char *sql, char *err, size_t errlen)
{
	pg_conn *c = (pg_conn *)bc;
	store_rc rc = ready(c);
	if (rc == STORE_OK)
		rc = pg_pipe_end(c);
	if (rc == STORE_OK)
		rc = begin_now(c);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "an earlier statement failed, or the database cannot be reached");
		return rc;
	}
	PGresult *res = PQexec(c->pg, sql);
	ExecStatusType es = PQresultStatus(res);
	if (es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK || es == PGRES_EMPTY_QUERY) {
		PQclear(res);
		return STORE_OK;
	}
	pg_one_line(c->sh, res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg), err, errlen);
	if (pg_broken(c))
		lost(c, err);
	PQclear(res);
	return STORE_ERROR;
}

/* ---- transactions ----------------------------------------------------------------------- */

static store_rc pg_begin(db_bconn *bc, db_tx kind)
{
	pg_conn *c = (pg_conn *)bc;
	/* Sent with the first statement: a page served from the cache costs
	 * no round trip, and a change one round trip less. */
	store_rc rc = kind == DB_TX_READ ? STORE_OK : ready(c);
	if (rc == STORE_OK)
		c->tx = kind == DB_TX_READ ? TX_READ_PENDING : TX_WRITE_PENDING;
	return rc;
}

static store_rc pg_commit(db_bconn *bc)
{
	pg_conn *c = (pg_conn *)bc;
	if (c->tx == TX_READ_PENDING || c->tx == TX_WRITE_PENDING ||
	    (c->tx == TX_NONE && !c->lost)) {
		c->tx = TX_NONE; /* nothing was sent */
		return STORE_OK;
	}
	quiesce(c);
	if (c->lost)
		return STORE_ERROR;
	if (c->pipeline) {
		/* The queued statements and the COMMIT in one round trip. */
		store_rc rc = pg_pipe_commit(c);
		c->tx = TX_NONE;
		return rc;
	}
	if (c->tx == TX_READ && PQsendQuery(c->pg, "COMMIT")) {
		/* A read snapshot ends without waiting for the answer (a request
		 * needs no round trip for it); the next statement reads it. */
		c->ending = true;
		c->tx = TX_NONE;
		return STORE_OK;
	}
	PGresult *res = PQexec(c->pg, "COMMIT");
	store_rc rc = STORE_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_fail(c, res, "COMMIT");
	else if (!strcmp(PQcmdStatus(res), "ROLLBACK"))
		/* COMMIT of a transaction that failed earlier rolls it back. */
		rc = db_error("COMMIT", "the transaction had failed and was rolled back");
	PQclear(res);
	c->tx = TX_NONE;
	return rc;
}

static void pg_rollback(db_bconn *bc)
{
	pg_conn *c = (pg_conn *)bc;
	quiesce(c);
	pg_pipe_end(c); /* what was queued: undone below */
	c->lost = false;
	if (c->tx == TX_READ_PENDING || c->tx == TX_WRITE_PENDING)
		c->tx = TX_NONE;
	if (!pg_broken(c) && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		PQclear(PQexec(c->pg, "ROLLBACK"));
	c->tx = TX_NONE;
}

static store_rc pg_savepoint(db_bconn *bc, db_sp op, int level)
{
	pg_conn *c = (pg_conn *)bc;
	char sql[96];
	if (op == DB_SP_SET)
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", level);
	else if (op == DB_SP_RELEASE)
		snprintf(sql, sizeof sql, "RELEASE SAVEPOINT sp%d", level);
	else
		snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT sp%d; RELEASE SAVEPOINT sp%d", level,
		         level);
	quiesce(c);
	if (c->lost || pg_broken(c))
		return op == DB_SP_UNDO ? STORE_OK : STORE_ERROR;
	/* What the savepoint's work queued is answered before it ends. */
	store_rc rc = pg_pipe_end(c);
	if (rc != STORE_OK && op != DB_SP_UNDO)
		return rc;
	rc = begin_now(c);
	return rc == STORE_OK ? run_simple(c, sql) : rc;
}

/* ---- connections ------------------------------------------------------------------------- */

static void pg_disconnect(db_bconn *bc)
{
	pg_conn *c = (pg_conn *)bc;
	if (!c)
		return;
	PQfinish(c->pg);
	stmts_clear(c);
	free(c);
}

static db_bconn *pg_connect(void *shared, char *err, size_t errlen)
{
	pg_shared *sh = shared;
	pg_conn *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->sh = sh;
	if (!(c->pg = pg_connect_raw(sh, err, errlen)))
		goto fail;
	PQsetNoticeProcessor(c->pg, pg_quiet, NULL);
	if (!atomic_load(&sh->checked)) {
		if (!pg_check_database(sh, c->pg, err, errlen))
			goto fail;
		atomic_store(&sh->checked, true);
	}
	return (db_bconn *)c;
fail:
	pg_disconnect((db_bconn *)c);
	return NULL;
}

static bool pg_unavailable(db_bconn *bc)
{
	pg_conn *c = (pg_conn *)bc;
	if (!pg_broken(c) && !c->down)
		return false;
	/* Not in the middle of something: try to open it again (a read
	 * snapshot asked for but not begun yet begins on the new one). */
	if (c->active || c->tx == TX_WRITE || c->tx == TX_READ || c->lost)
		return true; /* pending transactions have sent nothing: open it again */
	return ready(c) != STORE_OK;
}

static store_rc pg_notify(db_bconn *bc, const char *channel, const char *payload)
{
	db_arg a[] = { DB_S(channel), DB_S(payload) };
	return pg_exec(bc, "SELECT pg_notify($1, $2)", a, 2, NULL, NULL);
}

static store_rc pg_lock_schema(db_bconn *bc, bool on)
{
	/* One migrating process at a time: nodes that start together wait
	 * for the first, then find its work done. */
	return pg_exec(bc, on ? "SELECT pg_advisory_lock(7226837734)"
	                      : "SELECT pg_advisory_unlock(7226837734)",
	               NULL, 0, NULL, NULL);
}

const db_backend db_backend_pg = {
	.name = "postgresql",
	.migration_twin = ".pg.sql",
	.open = pg_open,
	.close = pg_close,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.query = pg_query,
	.script = pg_script,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.unavailable = pg_unavailable,
	.notify = pg_notify,
	.listen = pg_listen_add,
	.listen_stop = pg_listen_stop,
	.lock_schema = pg_lock_schema,
	.create_database = pg_create_database,
};
