/* pg_pipe.c — fewer round trips for the PostgreSQL backend, with libpq's
 * pipeline mode (pg.h says what it is for): a pending BEGIN goes out with
 * its transaction's first statement; inside a write transaction, the
 * statements whose caller wants no result are queued and sent with the
 * next statement that needs an answer, or with the COMMIT. Their results
 * are read in order at that sync point; the first failure is that
 * statement's answer. It does not decide what may be queued (pg.c does).
 */
#include <libpq-fe.h>

#include <string.h>

#include "pg.h"

const char *pg_pending_begin(const pg_conn *c)
{
	/* READ COMMITTED for writes: counters change with n = n + 1 and rows
	 * are locked before they are read for a change (see store.h), so
	 * writers wait for each other instead of failing. */
	return c->tx == TX_READ_PENDING ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	     : c->tx == TX_WRITE_PENDING ? "BEGIN ISOLATION LEVEL READ COMMITTED" : NULL;
}

static bool enter(pg_conn *c)
{
	if (c->pipeline)
		return true;
	if (!PQenterPipelineMode(c->pg))
		return false;
	c->pipeline = true;
	c->synced = false;
	c->nqueue = 0;
	return true;
}

/* Queues the pending BEGIN, if any; the transaction counts as begun (a
 * failure of BEGIN fails everything after it in the pipeline). */
static bool queue_begin(pg_conn *c)
{
	const char *b = pg_pending_begin(c);
	if (!b)
		return true;
	if (!PQsendQueryParams(c->pg, b, 0, NULL, NULL, NULL, NULL, 0))
		return false;
	c->queue[c->nqueue++] = (pg_queued){ b, Q_BEGIN };
	c->tx = c->tx == TX_READ_PENDING ? TX_READ : TX_WRITE;
	return true;
}

/* Reads the results of the queued statements, in order. */
static store_rc read_queue(pg_conn *c)
{
	store_rc rc = STORE_OK;
	for (int i = 0; i < c->nqueue && !pg_broken(c); i++) {
		PGresult *res;
		while ((res = PQgetResult(c->pg))) {
			ExecStatusType es = PQresultStatus(res);
			if (rc != STORE_OK || es == PGRES_SINGLE_TUPLE) {
				/* after the first failure: aborted, not news; or a row of
				 * a RETURNING nobody asked for, in the single-row mode
				 * libpq keeps from the last query for the head of a new
				 * pipeline */
			} else if (es == PGRES_PIPELINE_ABORTED) {
				rc = STORE_ERROR;
			} else if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK) {
				rc = pg_fail(c, res, c->queue[i].what);
			} else if (c->queue[i].kind == Q_COMMIT && !strcmp(PQcmdStatus(res), "ROLLBACK")) {
				rc = db_error("COMMIT", "the transaction had failed and was rolled back");
			}
			PQclear(res);
		}
	}
	if (rc == STORE_OK && pg_broken(c))
		rc = pg_fail(c, NULL, "pipeline");
	c->nqueue = 0;
	return rc;
}

store_rc pg_pipe_end(pg_conn *c)
{
	if (!c->pipeline)
		return STORE_OK;
	store_rc rc = STORE_OK;
	if (!c->synced && !PQpipelineSync(c->pg))
		rc = pg_fail(c, NULL, "pipeline sync");
	c->synced = true;
	store_rc q = read_queue(c);
	if (rc == STORE_OK)
		rc = q;
	/* Up to the sync point (two NULLs in a row: nothing more to come). */
	for (int nulls = 0; nulls < 2 && !pg_broken(c);) {
		PGresult *res = PQgetResult(c->pg);
		if (!res) {
			nulls++;
			continue;
		}
		nulls = 0;
		bool sync = PQresultStatus(res) == PGRES_PIPELINE_SYNC;
		PQclear(res);
		if (sync)
			break;
	}
	PQexitPipelineMode(c->pg);
	c->pipeline = false;
	c->synced = false;
	return rc;
}

store_rc pg_pipe_defer(pg_conn *c, const char *sql, const char *name, int nargs,
                       const char *const *vals)
{
	if (c->nqueue >= PG_QUEUE - 2) {
		/* A long run of them: send what there is first. */
		store_rc rc = pg_pipe_end(c);
		if (rc != STORE_OK)
			return rc;
	}
	if (!enter(c) || !queue_begin(c) ||
	    !PQsendQueryPrepared(c->pg, name, nargs, vals, NULL, NULL, 0)) {
		store_rc rc = pg_fail(c, NULL, sql);
		pg_pipe_end(c);
		return rc;
	}
	c->queue[c->nqueue++] = (pg_queued){ sql, Q_EXEC };
	return STORE_OK;
}

store_rc pg_pipe_send_last(pg_conn *c, const char *name, int nargs, const char *const *vals)
{
	if (!enter(c) || !queue_begin(c) ||
	    !PQsendQueryPrepared(c->pg, name, nargs, vals, NULL, NULL, 0) ||
	    !PQpipelineSync(c->pg)) {
		store_rc rc = pg_fail(c, NULL, name);
		pg_pipe_end(c);
		return rc;
	}
	c->synced = true;
	return read_queue(c);
}

store_rc pg_pipe_commit(pg_conn *c)
{
	if (!enter(c) || !PQsendQueryParams(c->pg, "COMMIT", 0, NULL, NULL, NULL, NULL, 0)) {
		store_rc rc = pg_fail(c, NULL, "COMMIT");
		pg_pipe_end(c);
		return rc;
	}
	c->queue[c->nqueue++] = (pg_queued){ "COMMIT", Q_COMMIT };
	return pg_pipe_end(c);
}
