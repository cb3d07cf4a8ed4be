/* copy.c — store_copy: moves a deployment's data from its SQLite file into
 * a PostgreSQL database for `openplan copy`. It reads
 * the tables and their foreign keys from SQLite's catalogue, copies the
 * tables parents first, every row with its id, in one transaction on the
 * target and from one snapshot of the source; sets PostgreSQL's id
 * sequences past the copied ids; then compares the row count of every
 * table on both sides. It does not migrate (store_open did that to both)
 * and does not copy schema_migrations (both are at the same version).
 *
 * The rows go in as they are: the target's own triggers (which make
 * input items from answers, keep counts, note changes for the search) are
 * switched off during the copy (ALTER TABLE … DISABLE TRIGGER USER, which
 * the tables' owner may do; foreign keys stay checked), since what they
 * would make is in the source already.
 *
 * What each backend keeps for itself is not copied: SQLite's virtual
 * tables and their shadow tables (FTS5), the tables and the meta keys a
 * backend's migrations fill in its own spelling (own[], BACKEND_META: how
 * a search is made). Rows a migration seeds on both backends (seeded[]:
 * defaults, not data) do not count as data already there and are replaced
 * by the source's. After the check, rebuild[] asks features to rebuild
 * what PostgreSQL keeps in its own form (the search index: every indexed
 * thing is marked, and the nodes index it again on their first requests).
 */
#include "core.h"

#include <stdarg.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/sb.h"

enum { MAX_TABLES = 256, MAX_COLS = 64 };

/* Tables each backend's migrations fill in its own spelling. */
static const char *const own[] = { "input_meta" };
/* meta keys whose value differs per backend (how the search index stems). */
#define BACKEND_META "('search_stems')"
/* Tables whose migration seeds a row of defaults on both backends. */
static const char *const seeded[] = { "site_settings" };
/* After the copy: what PostgreSQL keeps in its own form is made again. */
static const char *const rebuild[] = {
	"INSERT INTO search_dirty (kind, ref_id) SELECT kind, ref_id FROM search_docs",
};

static bool listed(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

typedef struct table {
	char  *name;
	char  *cols[MAX_COLS];
	int    ncols;
	char  *deps[16];
	int    ndeps;
	bool   has_id, placed;
	int64_t rows_from, rows_to;
} table;

typedef struct copy_ctx {
	store          *from, *to;
	table           t[MAX_TABLES];
	int             n;
	table          *order[MAX_TABLES];
	store_report_fn report;
	void           *rctx;
	char           *err;
	size_t          errlen;
} copy_ctx;

static void say(copy_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(copy_ctx *c, const char *fmt, ...)
{
	if (!c->report)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	c->report(line, c->rctx);
}

/* ---- the source's catalogue ------------------------------------------------------------ */

static store_rc table_row(const db_row *r, void *ctx)
{
	copy_ctx *c = ctx;
	if (listed(db_text_ref(r, 0), own, sizeof own / sizeof *own))
		return STORE_OK;
	if (c->n == MAX_TABLES)
		return STORE_ERROR;
	if (!(c->t[c->n].name = strdup(db_text_ref(r, 0))))
		return STORE_ERROR;
	c->n++;
	return STORE_OK;
}

static store_rc col_row(const db_row *r, void *ctx)
{
	table *t = ctx;
	if (t->ncols == MAX_COLS || !(t->cols[t->ncols] = strdup(db_text_ref(r, 0))))
		return STORE_ERROR;
	t->has_id |= !strcmp(t->cols[t->ncols], "id");
	t->ncols++;
	return STORE_OK;
}

static store_rc dep_row(const db_row *r, void *ctx)
{
	table *t = ctx;
	const char *d = db_text_ref(r, 0);
	if (!strcmp(d, t->name))
		return STORE_OK; /* a reference to itself orders nothing */
	for (int i = 0; i < t->ndeps; i++)
		if (!strcmp(t->deps[i], d))
			return STORE_OK;
	if (t->ndeps == 16 || !(t->deps[t->ndeps] = strdup(d)))
		return STORE_ERROR;
	t->ndeps++;
	return STORE_OK;
}

static store_rc read_catalogue(copy_ctx *c)
{
	store_rc rc = db_query(c->from, "SELECT name FROM pragma_table_list WHERE schema = 'main' "
	                                "AND type = 'table' AND name NOT LIKE 'sqlite%' AND "
	                                "name <> 'schema_migrations' ORDER BY name",
	                       NULL, 0, table_row, c);
	for (int i = 0; rc == STORE_OK && i < c->n; i++) {
		db_arg a[] = { DB_S(c->t[i].name) };
		rc = db_query(c->from, "SELECT name FROM pragma_table_info($1) ORDER BY cid", a, 1,
		              col_row, &c->t[i]);
		if (rc == STORE_OK)
			rc = db_query(c->from, "SELECT \"table\" FROM pragma_foreign_key_list($1)", a, 1,
			              dep_row, &c->t[i]);
	}
	if (rc != STORE_OK) {
		snprintf(c->err, c->errlen, "cannot read the tables of the source database");
		return rc;
	}
	/* Parents first: a table after every table it references. */
	for (int k = 0; k < c->n; k++) {
		table *next = NULL;
		for (int i = 0; i < c->n && !next; i++) {
			table *t = &c->t[i];
			bool ready = !t->placed;
			for (int d = 0; ready && d < t->ndeps; d++)
				for (int j = 0; j < c->n; j++)
					if (!strcmp(c->t[j].name, t->deps[d]) && !c->t[j].placed)
						ready = false;
			if (ready)
				next = t;
		}
		if (!next) {
			snprintf(c->err, c->errlen, "the tables reference each other in a circle");
			return STORE_ERROR;
		}
		next->placed = true;
		c->order[k] = next;
	}
	return STORE_OK;
}

/* ---- statements built per table ---------------------------------------------------------- */

/* "SELECT COUNT(*) FROM t" and the like, interned in s. */
static const char *sql_for(store *s, const char *fmt, const table *t)
{
	/* meta: the rows both backends share */
	const char *only = !strcmp(t->name, "meta") ? " WHERE key NOT IN " BACKEND_META : "";
	sb q;
	sb_init(&q);
	if (!strcmp(fmt, "insert")) {
		sb_printf(&q, "INSERT INTO \"%s\" (", t->name);
		for (int i = 0; i < t->ncols; i++)
			sb_printf(&q, "%s\"%s\"", i ? ", " : "", t->cols[i]);
		sb_puts(&q, ") VALUES (");
		for (int i = 0; i < t->ncols; i++)
			sb_printf(&q, "%s$%d", i ? ", " : "", i + 1);
		sb_puts(&q, ")");
	} else if (!strcmp(fmt, "select")) {
		sb_puts(&q, "SELECT ");
		for (int i = 0; i < t->ncols; i++)
			sb_printf(&q, "%s\"%s\"", i ? ", " : "", t->cols[i]);
		sb_printf(&q, " FROM \"%s\"%s", t->name, only);
	} else if (!strcmp(fmt, "count")) {
		sb_printf(&q, "SELECT COUNT(*) FROM \"%s\"%s", t->name, only);
	} else if (!strcmp(fmt, "delete")) {
		sb_printf(&q, "DELETE FROM \"%s\"%s", t->name, only);
	} else if (!strcmp(fmt, "triggers off")) {
		sb_printf(&q, "ALTER TABLE \"%s\" DISABLE TRIGGER USER", t->name);
	} else if (!strcmp(fmt, "triggers on")) {
		sb_printf(&q, "ALTER TABLE \"%s\" ENABLE TRIGGER USER", t->name);
	} else { /* PostgreSQL: the id sequence past the largest id */
		sb_printf(&q, "SELECT setval(pg_get_serial_sequence($1, 'id'), "
		              "COALESCE((SELECT MAX(id) FROM \"%s\"), 0) + 1, false)", t->name);
	}
	const char *out = sb_failed(&q) ? NULL : db_intern(s, sb_str(&q));
	sb_free(&q);
	return out;
}

static store_rc count_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

static store_rc count(store *s, const table *t, int64_t *n)
{
	const char *sql = sql_for(s, "count", t);
	*n = -1;
	return sql ? db_query(s, sql, NULL, 0, count_row, n) : STORE_ERROR;
}

typedef struct row_ctx { copy_ctx *c; const table *t; const char *insert; int64_t n; } row_ctx;

/* One source row into the target: every value as text (or NULL), which
 * takes the type of its column there. */
static store_rc copy_row(const db_row *r, void *ctx)
{
	row_ctx *x = ctx;
	db_arg a[MAX_COLS];
	for (int i = 0; i < x->t->ncols; i++)
		a[i] = db_isnull(r, i) ? DB_NUL : DB_S(db_text_ref(r, i));
	store_rc rc = db_exec(x->c->to, x->insert, a, x->t->ncols, NULL, NULL);
	if (rc == STORE_OK)
		x->n++;
	return rc;
}

static store_rc copy_all(copy_ctx *c, bool force)
{
	store_rc rc = store_begin(c->to);
	for (int k = 0; rc == STORE_OK && k < c->n; k++) {
		const char *off = sql_for(c->to, "triggers off", c->order[k]);
		rc = off ? db_exec(c->to, off, NULL, 0, NULL, NULL) : STORE_ERROR;
		if (rc != STORE_OK)
			snprintf(c->err, c->errlen, "cannot switch off the triggers of table %s (only its "
			                            "owner, the user that ran openplan init, may)",
			         c->order[k]->name);
	}
	for (int k = c->n - 1; rc == STORE_OK && k >= 0; k--) {
		if (!force && !listed(c->order[k]->name, seeded, sizeof seeded / sizeof *seeded))
			continue;
		const char *del = sql_for(c->to, "delete", c->order[k]);
		rc = del ? db_exec(c->to, del, NULL, 0, NULL, NULL) : STORE_ERROR;
	}
	for (int k = 0; rc == STORE_OK && k < c->n; k++) {
		table *t = c->order[k];
		row_ctx x = { c, t, sql_for(c->to, "insert", t), 0 };
		const char *sel = sql_for(c->from, "select", t);
		rc = x.insert && sel ? db_query(c->from, sel, NULL, 0, copy_row, &x) : STORE_ERROR;
		if (rc != STORE_OK)
			snprintf(c->err, c->errlen, "copying table %s stopped after %lld rows: %s", t->name,
			         (long long)x.n, store_rc_name(rc));
		if (rc == STORE_OK && t->has_id && !strcmp(store_kind(c->to), "postgresql")) {
			const char *seq = sql_for(c->to, "sequence", t);
			db_arg a[] = { DB_S(t->name) };
			int64_t ignored;
			rc = seq ? db_query(c->to, seq, a, 1, count_row, &ignored) : STORE_ERROR;
		}
	}
	for (int k = 0; rc == STORE_OK && k < c->n; k++) {
		const char *on = sql_for(c->to, "triggers on", c->order[k]);
		rc = on ? db_exec(c->to, on, NULL, 0, NULL, NULL) : STORE_ERROR;
	}
	if (rc != STORE_OK) {
		store_rollback(c->to);
		if (!*c->err)
			snprintf(c->err, c->errlen, "the copy failed: %s", store_rc_name(rc));
		return rc;
	}
	rc = store_commit(c->to);
	if (rc != STORE_OK)
		snprintf(c->err, c->errlen, "the copy could not be committed: %s", store_rc_name(rc));
	return rc;
}

store_rc store_copy(store *from, store *to, bool force, store_report_fn report, void *rctx,
                    char *err, size_t errlen)
{
	copy_ctx *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	*c = (copy_ctx){ .from = from, .to = to, .report = report, .rctx = rctx, .err = err,
		         .errlen = errlen };
	*err = '\0';
	store_rc rc = STORE_INVALID;
	if (from->be != &db_backend_sqlite) {
		snprintf(err, errlen, "copy reads from a SQLite file (--from FILE.db)");
		goto done;
	}
	if (strcmp(store_kind(to), "postgresql") != 0) {
		snprintf(err, errlen, "copy writes into PostgreSQL (--to postgresql://…); for a copy of "
		                      "a SQLite file use openplan backup");
		goto done;
	}
	/* One snapshot of the source for the whole copy and its check. */
	store_read_begin(from);
	rc = read_catalogue(c);
	for (int k = 0; rc == STORE_OK && k < c->n; k++) {
		table *t = c->order[k];
		rc = count(to, t, &t->rows_to);
		if (rc != STORE_OK)
			snprintf(err, errlen, "table %s is missing in the target database", t->name);
		else if (t->rows_to > 0 && !force &&
		         !listed(t->name, seeded, sizeof seeded / sizeof *seeded)) {
			snprintf(err, errlen, "the target database has data already (table %s has %lld "
			                      "rows); give --force to replace all of it",
			         t->name, (long long)t->rows_to);
			rc = STORE_CONFLICT;
		}
	}
	if (rc == STORE_OK)
		rc = copy_all(c, force);
	/* The check: every table has as many rows on both sides. */
	int bad = 0;
	for (int k = 0; rc == STORE_OK && k < c->n; k++) {
		table *t = c->order[k];
		rc = count(from, t, &t->rows_from);
		if (rc == STORE_OK)
			rc = count(to, t, &t->rows_to);
		if (rc == STORE_OK) {
			bool same = t->rows_from == t->rows_to;
			bad += !same;
			say(c, "%-24s %10lld rows  %10lld copied  %s", t->name, (long long)t->rows_from,
			    (long long)t->rows_to, same ? "ok" : "DIFFERENT");
		}
	}
	if (rc == STORE_OK && bad) {
		snprintf(err, errlen, "%d tables have a different number of rows after the copy", bad);
		rc = STORE_ERROR;
	}
	for (size_t i = 0; rc == STORE_OK && i < sizeof rebuild / sizeof *rebuild; i++) {
		rc = db_exec(to, rebuild[i], NULL, 0, NULL, NULL);
		if (rc != STORE_OK)
			snprintf(err, errlen, "the copy is complete, but marking it for the search index "
			                      "failed: %s", store_rc_name(rc));
	}
	store_read_end(from);
done:
	for (int i = 0; i < c->n; i++) {
		free(c->t[i].name);
		for (int k = 0; k < c->t[i].ncols; k++)
			free(c->t[i].cols[k]);
		for (int k = 0; k < c->t[i].ndeps; k++)
			free(c->t[i].deps[k]);
	}
	free(c);
	return rc;
}
