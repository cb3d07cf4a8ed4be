/* migrate.c — the migration runner: finds the migrations among the
 * embedded files, wherever they live (store/migrations/ for the core,
 * features/<feature>/migrations/ for a feature), orders them by their
 * global number, refuses duplicates, and applies those that
 * schema_migrations does not list yet, each in its own transaction. The
 * SQL of a migration is the backend's business (plain .sql for SQLite; a
 * .pg.sql twin where PostgreSQL needs other spelling).
 */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

/* The length of a migration's name without its suffix (".sql" or the
 * twin's), the same for a file and its twin. */
static size_t stem_len(const char *name, const char *twin)
{
	size_t n = strlen(name);
	return twin && ends_with(name, twin) ? n - strlen(twin) : n - 4;
}

/* "…/migrations/012_name.sql" → 12; -1 without a number. */
static int number_of(const char *name)
{
	const char *base = strrchr(name, '/') + 1;
	if (*base < '0' || *base > '9')
		return -1;
	char *end;
	long v = strtol(base, &end, 10);
	return (*end == '_' || *end == '.') && v > 0 && v < 1000000 ? (int)v : -1;
}

static int by_version(const void *a, const void *b)
{
	const db_migration *x = a, *y = b;
	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	return strcmp(x->file->name, y->file->name);
}

int db_migrations_pick(const embed_file *files, size_t n, const char *twin, db_migration *out,
                       char *err, size_t errlen)
{
	size_t got = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = files[i].name;
		if (!strstr(name, "/migrations/") || !ends_with(name, ".sql"))
			continue;
		bool is_twin = ends_with(name, ".pg.sql");
		if (is_twin && !(twin && ends_with(name, twin)))
			continue;
		int v = number_of(name);
		if (v < 0) {
			snprintf(err, errlen, "migration %s has no number (NNN_name.sql)", name);
			return -1;
		}
		out[got++] = (db_migration){ v, &files[i] };
	}
	qsort(out, got, sizeof *out, by_version);
	/* One migration per number: a file and its twin count as one (the twin
	 * wins); anything else with the same number is a clash. */
	size_t kept = 0;
	for (size_t i = 0; i < got; i++) {
		if (kept && out[kept - 1].version == out[i].version) {
			const char *a = out[kept - 1].file->name, *b = out[i].file->name;
			size_t la = stem_len(a, twin), lb = stem_len(b, twin);
			if (la != lb || strncmp(a, b, la)) {
				snprintf(err, errlen, "migrations %s and %s both carry number %d: "
				                      "give one of them the next free number",
				         a, b, out[i].version);
				return -1;
			}
			if (twin && ends_with(b, twin))
				out[kept - 1] = out[i];
			continue;
		}
		out[kept++] = out[i];
	}
	return (int)kept;
}

typedef struct applied { int *v; size_t n, cap; bool oom; } applied;

static store_rc applied_row(const db_row *r, void *ctx)
{
	applied *a = ctx;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		int *v = realloc(a->v, cap * sizeof *v);
		if (!v) {
			a->oom = true;
			return STORE_ERROR;
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = (int)db_int(r, 0);
	return STORE_OK;
}

static bool is_applied(const applied *a, int v)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] == v)
			return true;
	return false;
}

/* Runs one migration and records it, in one transaction. */
static store_rc apply(store *s, const db_migration *m, char *err, size_t errlen)
{
	char msg[384] = "";
	store_rc rc = store_begin(s);
	if (rc == STORE_OK)
		rc = db_script(s, (const char *)m->file->data, msg, sizeof msg);
	if (rc != STORE_OK) {
		store_rollback(s);
		snprintf(err, errlen, "migration %s failed: %s", m->file->name,
		         *msg ? msg : store_rc_name(rc));
		return STORE_ERROR;
	}
	db_arg a[] = { DB_I(m->version), DB_I(db_now()) };
	rc = db_exec(s, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", a, 2,
	             NULL, NULL);
	if (rc == STORE_OK)
		rc = store_commit(s);
	else
		store_rollback(s);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "migration %s could not be recorded", m->file->name);
		return STORE_ERROR;
	}
	return STORE_OK;
}

store_rc db_migrate(store *s, const embed_file *files, size_t n, char *err, size_t errlen)
{
	db_migration *list = calloc(n ? n : 1, sizeof *list);
	applied done = { 0 };
	store_rc rc = STORE_ERROR;
	bool locked = false;
	if (!list) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	int count = db_migrations_pick(files, n, store_backend(s)->migration_twin, list, err, errlen);
	if (count < 0)
		goto fail;
	/* Nodes that start together migrate one after another: the later
	 * ones find the work done. */
	if (db_lock_schema(s, true) != STORE_OK) {
		snprintf(err, errlen, "cannot take the migration lock");
		goto fail;
	}
	locked = true;
	char msg[256] = "";
	if (db_script(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                 "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
	              msg, sizeof msg) != STORE_OK) {
		snprintf(err, errlen, "cannot create schema_migrations: %s", msg);
		goto fail;
	}
	if (db_query(s, "SELECT version FROM schema_migrations", NULL, 0, applied_row, &done) !=
	    STORE_OK) {
		snprintf(err, errlen, "cannot read schema_migrations%s", done.oom ? ": out of memory" : "");
		goto fail;
	}
	for (int i = 0; i < count; i++)
		if (!is_applied(&done, list[i].version) && apply(s, &list[i], err, errlen) != STORE_OK)
			goto fail;
	rc = STORE_OK;
fail:
	if (locked)
		db_lock_schema(s, false);
	free(done.v);
	free(list);
	return rc;
}
