/* plans.c — store queries for plans, their ordered phases and themes, and
 * the small key/value meta table (demo marker, server secret).
 */
#include <string.h>

#include "db.h"

bool plan_status_valid(const char *s)
{
	static const char *const st[] = { "draft", "cocreation", "implementation", "evaluation",
		                          "closed" };
	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		if (s && strcmp(s, st[i]) == 0)
			return true;
	return false;
}

typedef struct plan_ctx { arena *a; plan *p; bool found; } plan_ctx;

static store_rc plan_row(const db_row *r, void *ctx)
{
	plan_ctx *c = ctx;
	plan *p = c->p;
	c->found = true;
	p->id = db_int(r, 0);
	p->title = db_text(c->a, r, 1);
	p->description = db_text(c->a, r, 2);
	p->period_start = db_text(c->a, r, 3);
	p->period_end = db_text(c->a, r, 4);
	p->status = db_text(c->a, r, 5);
	p->current_phase = db_int(r, 6);
	p->updated_at = db_int(r, 7);
	return p->title && p->description && p->status ? STORE_OK : STORE_ERROR;
}

static store_rc phase_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	phase *ph = db_vec_push(v);
	if (!ph)
		return STORE_ERROR;
	ph->id = db_int(r, 0);
	ph->position = (int)db_int(r, 1);
	ph->name = db_text(v->a, r, 2);
	ph->starts_on = db_text(v->a, r, 3);
	ph->ends_on = db_text(v->a, r, 4);
	return ph->name && ph->starts_on && ph->ends_on ? STORE_OK : STORE_ERROR;
}

static store_rc theme_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	theme *t = db_vec_push(v);
	if (!t)
		return STORE_ERROR;
	t->id = db_int(r, 0);
	t->name = db_text(v->a, r, 1);
	t->description = db_text(v->a, r, 2);
	return t->name && t->description ? STORE_OK : STORE_ERROR;
}

static store_rc plan_load(store *s, arena *a, const char *sql, const db_arg *args, int n,
                          plan *out)
{
	memset(out, 0, sizeof *out);
	plan_ctx c = { a, out, false };
	store_rc rc = db_query(s, sql, args, n, plan_row, &c);
	if (rc != STORE_OK)
		return rc;
	if (!c.found)
		return STORE_NOTFOUND;
	db_arg id[] = { DB_I(out->id) };
	db_vec ph = { .a = a, .size = sizeof(phase) };
	rc = db_query(s, "SELECT id, position, name, starts_on, ends_on FROM phases "
	                 "WHERE plan_id = $1 ORDER BY position, id",
	              id, 1, phase_row, &ph);
	if (rc != STORE_OK)
		return rc;
	db_vec th = { .a = a, .size = sizeof(theme) };
	rc = db_query(s, "SELECT id, name, description FROM themes WHERE plan_id = $1 "
	                 "ORDER BY position, id",
	              id, 1, theme_row, &th);
	out->phases = ph.items;
	out->nphases = ph.len;
	out->themes = th.items;
	out->nthemes = th.len;
	return rc;
}

#define PLAN_COLS "id, title, description, period_start, period_end, status, " \
	"COALESCE(current_phase_id, 0), updated_at"

store_rc store_plan_main(store *s, arena *a, plan *out)
{
	return plan_load(s, a, "SELECT " PLAN_COLS " FROM plans ORDER BY created_at DESC, id DESC "
	                       "LIMIT 1", NULL, 0, out);
}

store_rc store_plan_get(store *s, arena *a, int64_t id, plan *out)
{
	db_arg args[] = { DB_I(id) };
	return plan_load(s, a, "SELECT " PLAN_COLS " FROM plans WHERE id = $1", args, 1, out);
}

store_rc store_plan_create(store *s, const plan *p, int64_t *id_out)
{
	int64_t now = db_now();
	db_arg a[] = { DB_S(p->title), DB_S(p->description), DB_S(p->period_start),
		       DB_S(p->period_end), DB_S(p->status), DB_I(now), DB_I(now) };
	return db_exec(s, "INSERT INTO plans (title, description, period_start, period_end, "
	                  "status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
	                  "RETURNING id",
	               a, 7, id_out, NULL);
}

store_rc store_plan_update(store *s, const plan *p)
{
	db_arg a[] = { DB_S(p->title), DB_S(p->description), DB_S(p->period_start),
		       DB_S(p->period_end), DB_S(p->status),
		       p->current_phase ? DB_I(p->current_phase) : DB_NUL, DB_I(db_now()),
		       DB_I(p->id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE plans SET title = $1, description = $2, "
	                         "period_start = $3, period_end = $4, status = $5, "
	                         "current_phase_id = $6, updated_at = $7 WHERE id = $8",
	                      a, 8, NULL, &changes);
	return rc == STORE_OK && changes == 0 ? STORE_NOTFOUND : rc;
}

static store_rc touch(store *s, int64_t plan_id)
{
	db_arg a[] = { DB_I(db_now()), DB_I(plan_id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE plans SET updated_at = $1 WHERE id = $2", a, 2, NULL,
	                      &changes);
	return rc == STORE_OK && changes == 0 ? STORE_NOTFOUND : rc;
}

/* Runs one change to a plan's child row and bumps the plan's updated_at,
 * together, so a cached page never outlives its data. */
static store_rc child_change(store *s, int64_t plan_id, const char *sql, const db_arg *a, int n,
                             int64_t *id_out)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	int changes = 0;
	rc = touch(s, plan_id);
	if (rc == STORE_OK)
		rc = db_exec(s, sql, a, n, id_out, &changes);
	if (rc == STORE_OK && changes == 0)
		rc = STORE_NOTFOUND;
	if (rc != STORE_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

store_rc store_phase_add(store *s, int64_t plan_id, const char *name, const char *starts_on,
                         const char *ends_on, int64_t *id_out)
{
	db_arg a[] = { DB_I(plan_id), DB_I(plan_id), DB_S(name), DB_S(starts_on), DB_S(ends_on) };
	return child_change(s, plan_id,
	                    "INSERT INTO phases (plan_id, position, name, starts_on, ends_on) "
	                    "VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM phases "
	                    "WHERE plan_id = $2), $3, $4, $5) RETURNING id",
	                    a, 5, id_out);
}

store_rc store_phase_update(store *s, int64_t plan_id, int64_t id, const char *name,
                            const char *starts_on, const char *ends_on)
{
	db_arg a[] = { DB_S(name), DB_S(starts_on), DB_S(ends_on), DB_I(id), DB_I(plan_id) };
	return child_change(s, plan_id,
	                    "UPDATE phases SET name = $1, starts_on = $2, ends_on = $3 "
	                    "WHERE id = $4 AND plan_id = $5",
	                    a, 5, NULL);
}

store_rc store_phase_delete(store *s, int64_t plan_id, int64_t id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	db_arg clear[] = { DB_I(plan_id), DB_I(id) };
	rc = db_exec(s, "UPDATE plans SET current_phase_id = NULL "
	                "WHERE id = $1 AND current_phase_id = $2", clear, 2, NULL, NULL);
	if (rc == STORE_OK) {
		db_arg a[] = { DB_I(id), DB_I(plan_id) };
		rc = child_change(s, plan_id, "DELETE FROM phases WHERE id = $1 AND plan_id = $2",
		                  a, 2, NULL);
	}
	if (rc != STORE_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

store_rc store_phase_move(store *s, int64_t plan_id, int64_t id, int dir)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	bool moved = false;
	rc = db_move_position(s, "SELECT id, position FROM phases WHERE id = $1 AND plan_id = $2",
	                      "SELECT id, position FROM phases WHERE plan_id = $1 AND "
	                      "(position < $2 OR (position = $3 AND id < $4)) "
	                      "ORDER BY position DESC, id DESC LIMIT 1",
	                      "SELECT id, position FROM phases WHERE plan_id = $1 AND "
	                      "(position > $2 OR (position = $3 AND id > $4)) "
	                      "ORDER BY position, id LIMIT 1",
	                      "UPDATE phases SET position = $1 WHERE id = $2", plan_id, id, dir,
	                      &moved);
	if (rc == STORE_OK && moved)
		rc = touch(s, plan_id);
	if (rc != STORE_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

store_rc store_theme_add(store *s, int64_t plan_id, const char *name, const char *description,
                         int64_t *id_out)
{
	db_arg a[] = { DB_I(plan_id), DB_S(name), DB_S(description), DB_I(plan_id) };
	return child_change(s, plan_id,
	                    "INSERT INTO themes (plan_id, name, description, position) "
	                    "VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 "
	                    "FROM themes WHERE plan_id = $4)) RETURNING id",
	                    a, 4, id_out);
}

store_rc store_theme_update(store *s, int64_t plan_id, int64_t id, const char *name,
                            const char *description)
{
	db_arg a[] = { DB_S(name), DB_S(description), DB_I(id), DB_I(plan_id) };
	return child_change(s, plan_id,
	                    "UPDATE themes SET name = $1, description = $2 "
	                    "WHERE id = $3 AND plan_id = $4",
	                    a, 4, NULL);
}

store_rc store_theme_delete(store *s, int64_t plan_id, int64_t id)
{
	db_arg a[] = { DB_I(id), DB_I(plan_id) };
	return child_change(s, plan_id, "DELETE FROM themes WHERE id = $1 AND plan_id = $2",
	                    a, 2, NULL);
}

typedef struct count_ctx { int64_t n; } count_ctx;

static store_rc count_row(const db_row *r, void *ctx)
{
	((count_ctx *)ctx)->n = db_int(r, 0);
	return STORE_OK;
}

bool store_is_empty(store *s)
{
	count_ctx c = { 0 };
	if (db_query(s, "SELECT COUNT(*) FROM plans", NULL, 0, count_row, &c) != STORE_OK)
		return false;
	return c.n == 0;
}

typedef struct meta_ctx { arena *a; const char *v; } meta_ctx;

static store_rc meta_row(const db_row *r, void *ctx)
{
	meta_ctx *m = ctx;
	m->v = db_text(m->a, r, 0);
	return m->v ? STORE_OK : STORE_ERROR;
}

store_rc store_meta_get(store *s, arena *a, const char *key, const char **value)
{
	meta_ctx m = { a, NULL };
	db_arg args[] = { DB_S(key) };
	store_rc rc = db_query(s, "SELECT value FROM meta WHERE key = $1", args, 1, meta_row, &m);
	if (rc == STORE_OK && !m.v)
		return STORE_NOTFOUND;
	*value = m.v;
	return rc;
}

store_rc store_meta_add(store *s, const char *key, const char *value)
{
	db_arg a[] = { DB_S(key), DB_S(value) };
	return db_exec(s, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
	               a, 2, NULL, NULL);
}

store_rc store_meta_set(store *s, const char *key, const char *value)
{
	db_arg a[] = { DB_S(key), DB_S(value) };
	return db_exec(s, "INSERT INTO meta (key, value) VALUES ($1, $2) "
	                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	               a, 2, NULL, NULL);
}

store_rc store_meta_init(store *s, arena *a, const char *key, const char *value,
                         const char **kept)
{
	/* Of two first writers (two nodes starting at once) one inserts and
	 * the other does nothing; both then read the one value kept. */
	store_rc rc = store_meta_add(s, key, value);
	return rc == STORE_OK ? store_meta_get(s, a, key, kept) : rc;
}
