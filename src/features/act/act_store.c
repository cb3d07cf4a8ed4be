/* act_store.c — store queries for the action plan: action points, holders,
 * links, milestones, progress updates, adoption offers and versions.
 * Every change made by a person runs in one transaction with its version
 * row, so the history never misses a change. Validation of dates, status
 * transitions and rights happens in features/act_*.c, not here.
 */
#include <string.h>

#include "../../store/db.h"
#include "act.h"

/* Runs fn's statements and a version row in one transaction. */
static store_rc version(store *s, int64_t action_id, int64_t user_id, const char *kind,
                        const char *detail)
{
	db_arg a[] = { DB_I(action_id), user_id ? DB_I(user_id) : DB_NUL, DB_S(kind),
		       DB_S(detail ? detail : ""), DB_I(db_now()) };
	store_rc rc = db_exec(s, "INSERT INTO action_versions (action_id, user_id, kind, detail, "
	                         "created_at) VALUES ($1, $2, $3, $4, $5)",
	                      a, 5, NULL, NULL);
	if (rc != STORE_OK)
		return rc;
	db_arg t[] = { DB_I(db_now()), DB_I(action_id) };
	return db_exec(s, "UPDATE action_points SET updated_at = $1 WHERE id = $2", t, 2, NULL,
	               NULL);
}

static store_rc finish(store *s, store_rc rc)
{
	if (rc != STORE_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

/* Runs a change that must touch a row: STORE_NOTFOUND when it changed none. */
static store_rc exec_found(store *s, const char *sql, const db_arg *args, int nargs)
{
	int changes = 0;
	store_rc rc = db_exec(s, sql, args, nargs, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

/* Reads the one row of `sql` (one id parameter) through `row` into *out,
 * an item of `size` bytes; STORE_NOTFOUND when there is none. */
static store_rc get_one(store *s, arena *a, const char *sql, int64_t id, db_row_fn row,
                        size_t size, void *out)
{
	db_arg args[] = { DB_I(id) };
	db_vec v = { .a = a, .size = size };
	store_rc rc = db_query(s, sql, args, 1, row, &v);
	if (rc != STORE_OK)
		return rc;
	if (!v.len)
		return STORE_NOTFOUND;
	memcpy(out, v.items, size);
	return STORE_OK;
}

store_rc act_store_version_add(store *s, int64_t action_id, int64_t user_id, const char *kind,
                               const char *detail)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	return finish(s, version(s, action_id, user_id, kind, detail));
}

/* ---- action points ---- */

#define POINT_COLS                                                                            \
	"p.id, p.plan_id, p.theme_id, t.name, p.title, p.problem, p.status_quo, p.what, "      \
	"p.how_helps, p.ambition, p.ogp_values, p.minimal, p.maximal, p.needs, p.starts_on, "   \
	"p.ends_on, p.status, p.stop_reason, p.updated_at, "                                    \
	"COALESCE((SELECT h.organisation_id FROM action_holders h WHERE h.action_id = p.id "    \
	"AND h.role = 'lead'), 0), "                                                            \
	"COALESCE((SELECT o.name FROM action_holders h JOIN organisations o ON "                \
	"o.id = h.organisation_id WHERE h.action_id = p.id AND h.role = 'lead'), ''), "         \
	"COALESCE((SELECT u.percent FROM action_updates u WHERE u.action_id = p.id "            \
	"ORDER BY u.posted_on DESC, u.id DESC LIMIT 1), -1), "                                  \
	"(SELECT COUNT(*) FROM action_milestones m WHERE m.action_id = p.id), "                 \
	"(SELECT COUNT(*) FROM action_milestones m WHERE m.action_id = p.id AND m.done_on <> '') " \
	"FROM action_points p JOIN themes t ON t.id = p.theme_id "

static store_rc point_fill(const db_row *r, arena *a, act_point *p)
{
	p->id = db_int(r, 0);
	p->plan_id = db_int(r, 1);
	p->theme_id = db_int(r, 2);
	const char **txt[] = { &p->theme_name, &p->title, &p->problem, &p->status_quo, &p->what,
		               &p->how_helps, &p->ambition, &p->ogp_values, &p->minimal,
		               &p->maximal, &p->needs, &p->starts_on, &p->ends_on, &p->status,
		               &p->stop_reason };
	for (int i = 0; i < (int)(sizeof txt / sizeof *txt); i++)
		if (!(*txt[i] = db_text(a, r, 3 + i)))
			return STORE_ERROR;
	p->updated_at = db_int(r, 18);
	p->lead_org_id = db_int(r, 19);
	p->lead_name = db_text(a, r, 20);
	p->percent = (int)db_int(r, 21);
	p->milestones = (int)db_int(r, 22);
	p->milestones_done = (int)db_int(r, 23);
	return p->lead_name ? STORE_OK : STORE_ERROR;
}

static store_rc point_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_point *p = db_vec_push(v);
	return p ? point_fill(r, v->a, p) : STORE_ERROR;
}

store_rc act_store_list(store *s, arena *a, int64_t plan_id, act_point **out, size_t *n)
{
	db_arg args[] = { DB_I(plan_id) };
	db_vec v = { .a = a, .size = sizeof(act_point) };
	store_rc rc = db_query(s, "SELECT " POINT_COLS "WHERE p.plan_id = $1 "
	                          "ORDER BY t.position, t.id, p.id",
	                       args, 1, point_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc act_store_get(store *s, arena *a, int64_t id, act_point *out)
{
	return get_one(s, a, "SELECT " POINT_COLS "WHERE p.id = $1", id, point_row,
	               sizeof(act_point), out);
}

/* The theme must belong to the action point's plan. */
static store_rc theme_in_plan(store *s, int64_t plan_id, int64_t theme_id)
{
	db_arg a[] = { DB_I(theme_id), DB_I(plan_id) };
	int changes = 0;
	/* A no-op update tells whether the row exists without a row callback. */
	store_rc rc = db_exec(s, "UPDATE themes SET position = position WHERE id = $1 AND "
	                         "plan_id = $2",
	                      a, 2, NULL, &changes);
	return rc == STORE_OK && changes == 0 ? STORE_INVALID : rc;
}

store_rc act_store_create(store *s, const act_point *p, int64_t user_id, int64_t *id_out)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = theme_in_plan(s, p->plan_id, p->theme_id);
	int64_t now = db_now(), id = 0;
	db_arg a[] = { DB_I(p->plan_id), DB_I(p->theme_id), DB_S(p->title), DB_S(p->problem),
		       DB_S(p->status_quo), DB_S(p->what), DB_S(p->how_helps), DB_S(p->ambition),
		       DB_S(p->ogp_values), DB_S(p->minimal), DB_S(p->maximal), DB_S(p->needs),
		       DB_S(p->starts_on), DB_S(p->ends_on), DB_S(p->status),
		       DB_S(p->stop_reason ? p->stop_reason : ""), DB_I(now), DB_I(now) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO action_points (plan_id, theme_id, title, problem, "
		                "status_quo, what, how_helps, ambition, ogp_values, minimal, maximal, "
		                "needs, starts_on, ends_on, status, stop_reason, created_at, "
		                "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
		                "$12, $13, $14, $15, $16, $17, $18) RETURNING id",
		             a, 18, &id, NULL);
	if (rc == STORE_OK)
		rc = version(s, id, user_id, "created", p->title);
	if (rc == STORE_OK && id_out)
		*id_out = id;
	return finish(s, rc);
}

store_rc act_store_update(store *s, const act_point *p, int64_t user_id, const char *detail)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = theme_in_plan(s, p->plan_id, p->theme_id);
	db_arg a[] = { DB_I(p->theme_id), DB_S(p->title), DB_S(p->problem), DB_S(p->status_quo),
		       DB_S(p->what), DB_S(p->how_helps), DB_S(p->ambition), DB_S(p->ogp_values),
		       DB_S(p->minimal), DB_S(p->maximal), DB_S(p->needs), DB_S(p->starts_on),
		       DB_S(p->ends_on), DB_I(p->id) };
	if (rc == STORE_OK)
		rc = exec_found(s, "UPDATE action_points SET theme_id = $1, title = $2, problem = $3, "
		                   "status_quo = $4, what = $5, how_helps = $6, ambition = $7, "
		                   "ogp_values = $8, minimal = $9, maximal = $10, needs = $11, "
		                   "starts_on = $12, ends_on = $13 WHERE id = $14",
		                a, 14);
	if (rc == STORE_OK)
		rc = version(s, p->id, user_id, "edited", detail);
	return finish(s, rc);
}

store_rc act_store_set_status(store *s, int64_t id, const char *status, const char *reason,
                              int64_t user_id, const char *detail)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	db_arg a[] = { DB_S(status), DB_S(reason ? reason : ""), DB_I(id) };
	rc = exec_found(s, "UPDATE action_points SET status = $1, stop_reason = $2 WHERE id = $3",
	                a, 3);
	if (rc == STORE_OK)
		rc = version(s, id, user_id, "status", detail);
	return finish(s, rc);
}

static store_rc version_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_version *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	x->id = db_int(r, 0);
	x->user_name = db_text(v->a, r, 1);
	x->kind = db_text(v->a, r, 2);
	x->detail = db_text(v->a, r, 3);
	x->created_at = db_int(r, 4);
	return x->user_name && x->kind && x->detail ? STORE_OK : STORE_ERROR;
}

store_rc act_store_versions(store *s, arena *a, int64_t action_id, act_version **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id) };
	db_vec v = { .a = a, .size = sizeof(act_version) };
	store_rc rc = db_query(s, "SELECT v.id, COALESCE(u.name, ''), v.kind, v.detail, v.created_at "
	                          "FROM action_versions v LEFT JOIN users u ON u.id = v.user_id "
	                          "WHERE v.action_id = $1 ORDER BY v.id DESC",
	                       args, 1, version_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

/* ---- holders ---- */

static store_rc holder_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_holder *h = db_vec_push(v);
	if (!h)
		return STORE_ERROR;
	h->action_id = db_int(r, 0);
	h->org_id = db_int(r, 1);
	h->org_name = db_text(v->a, r, 2);
	h->role = db_text(v->a, r, 3);
	h->contact_id = db_int(r, 4);
	h->contact_name = db_text(v->a, r, 5);
	return h->org_name && h->role && h->contact_name ? STORE_OK : STORE_ERROR;
}

store_rc act_store_holders(store *s, arena *a, int64_t action_id, int64_t plan_id,
                           act_holder **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(plan_id) };
	db_vec v = { .a = a, .size = sizeof(act_holder) };
	store_rc rc = db_query(s, "SELECT h.action_id, h.organisation_id, o.name, h.role, "
	                          "COALESCE(h.contact_id, 0), COALESCE(u.name, '') "
	                          "FROM action_holders h JOIN organisations o ON o.id = h.organisation_id "
	                          "JOIN action_points p ON p.id = h.action_id "
	                          "LEFT JOIN users u ON u.id = h.contact_id "
	                          "WHERE h.action_id = $1 OR ($1 = 0 AND p.plan_id = $2) "
	                          "ORDER BY h.action_id, h.role, lower(o.name), o.name, o.id",
	                       args, 2, holder_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

static store_rc holder_set(store *s, int64_t action_id, int64_t org_id, const char *hrole,
                           int64_t contact_id)
{
	store_rc rc = STORE_OK;
	if (!strcmp(hrole, "lead")) {
		db_arg d[] = { DB_I(action_id), DB_I(org_id) };
		rc = db_exec(s, "UPDATE action_holders SET role = 'partner' WHERE action_id = $1 AND "
		                "role = 'lead' AND organisation_id <> $2",
		             d, 2, NULL, NULL);
	}
	db_arg a[] = { DB_S(hrole), contact_id ? DB_I(contact_id) : DB_NUL, DB_I(action_id),
		       DB_I(org_id) };
	int changes = 0;
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE action_holders SET role = $1, contact_id = $2 "
		                "WHERE action_id = $3 AND organisation_id = $4",
		             a, 4, NULL, &changes);
	if (rc == STORE_OK && !changes) {
		db_arg b[] = { DB_I(action_id), DB_I(org_id), DB_S(hrole),
			       contact_id ? DB_I(contact_id) : DB_NUL, DB_I(db_now()) };
		rc = db_exec(s, "INSERT INTO action_holders (action_id, organisation_id, role, "
		                "contact_id, created_at) VALUES ($1, $2, $3, $4, $5)",
		             b, 5, NULL, NULL);
	}
	/* The contact person acts for the organisation: make them a member. */
	if (rc == STORE_OK && contact_id) {
		db_arg m[] = { DB_I(contact_id), DB_I(org_id), DB_I(db_now()) };
		rc = db_exec(s, "INSERT INTO memberships (user_id, organisation_id, created_at) "
		                "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
		             m, 3, NULL, NULL);
	}
	return rc;
}

static const char *org_name(store *s, arena *a, int64_t org_id)
{
	organisation o;
	return store_org_get(s, a, org_id, &o) == STORE_OK ? o.name : "";
}

store_rc act_store_holder_set(store *s, int64_t action_id, int64_t org_id, const char *hrole,
                              int64_t contact_id, int64_t user_id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = holder_set(s, action_id, org_id, hrole, contact_id);
	arena a;
	arena_init(&a, 0);
	if (rc == STORE_OK)
		rc = version(s, action_id, user_id, strcmp(hrole, "lead") ? "partner" : "lead",
		             org_name(s, &a, org_id));
	arena_free(&a);
	return finish(s, rc);
}

store_rc act_store_holder_remove(store *s, int64_t action_id, int64_t org_id, int64_t user_id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	arena a;
	arena_init(&a, 0);
	const char *name = org_name(s, &a, org_id);
	db_arg d[] = { DB_I(action_id), DB_I(org_id) };
	rc = exec_found(s, "DELETE FROM action_holders WHERE action_id = $1 AND organisation_id = $2",
	                d, 2);
	if (rc == STORE_OK)
		rc = version(s, action_id, user_id, "holder_removed", name);
	arena_free(&a);
	return finish(s, rc);
}

static store_rc count_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

bool act_store_is_contact(store *s, int64_t action_id, int64_t user_id)
{
	int64_t n = 0;
	db_arg a[] = { DB_I(action_id), DB_I(user_id) };
	return db_query(s, "SELECT COUNT(*) FROM action_holders WHERE action_id = $1 AND "
	                   "contact_id = $2",
	                a, 2, count_row, &n) == STORE_OK && n > 0;
}

/* ---- links ---- */

static store_rc link_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_link *l = db_vec_push(v);
	if (!l)
		return STORE_ERROR;
	l->id = db_int(r, 0);
	l->title = db_text(v->a, r, 1);
	l->status = db_text(v->a, r, 2);
	return l->title && l->status ? STORE_OK : STORE_ERROR;
}

store_rc act_store_links(store *s, arena *a, int64_t action_id, act_link **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id) };
	db_vec v = { .a = a, .size = sizeof(act_link) };
	store_rc rc = db_query(s, "SELECT p.id, p.title, p.status FROM action_points p WHERE p.id IN "
	                          "(SELECT to_id FROM action_links WHERE from_id = $1 UNION "
	                          "SELECT from_id FROM action_links WHERE to_id = $1) "
	                          "ORDER BY lower(p.title), p.title, p.id",
	                       args, 1, link_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

static const char *point_title(store *s, arena *a, int64_t id)
{
	act_point p;
	return act_store_get(s, a, id, &p) == STORE_OK ? p.title : "";
}

/* A version row on both ends of a link, each naming the other point. */
static store_rc link_versions(store *s, int64_t from_id, int64_t to_id, int64_t user_id,
                              const char *kind)
{
	arena ar;
	arena_init(&ar, 0);
	store_rc rc = version(s, from_id, user_id, kind, point_title(s, &ar, to_id));
	if (rc == STORE_OK)
		rc = version(s, to_id, user_id, kind, point_title(s, &ar, from_id));
	arena_free(&ar);
	return rc;
}

store_rc act_store_link_add(store *s, int64_t from_id, int64_t to_id, int64_t user_id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	/* One link per pair, whichever way it was made. */
	int64_t n = 0;
	db_arg q[] = { DB_I(from_id), DB_I(to_id), DB_I(to_id), DB_I(from_id) };
	rc = db_query(s, "SELECT COUNT(*) FROM action_links WHERE (from_id = $1 AND to_id = $2) "
	                 "OR (from_id = $3 AND to_id = $4)",
	              q, 4, count_row, &n);
	if (rc == STORE_OK && n)
		rc = STORE_CONFLICT;
	db_arg a[] = { DB_I(from_id), DB_I(to_id), DB_I(db_now()) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO action_links (from_id, to_id, created_at) VALUES ($1, $2, $3)",
		             a, 3, NULL, NULL);
	if (rc == STORE_OK)
		rc = link_versions(s, from_id, to_id, user_id, "link");
	return finish(s, rc);
}

store_rc act_store_link_remove(store *s, int64_t from_id, int64_t to_id, int64_t user_id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	db_arg a[] = { DB_I(from_id), DB_I(to_id), DB_I(to_id), DB_I(from_id) };
	rc = exec_found(s, "DELETE FROM action_links WHERE (from_id = $1 AND to_id = $2) OR "
	                   "(from_id = $3 AND to_id = $4)",
	                a, 4);
	if (rc == STORE_OK)
		rc = link_versions(s, from_id, to_id, user_id, "unlink");
	return finish(s, rc);
}

/* ---- milestones ---- */

static store_rc milestone_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_milestone *m = db_vec_push(v);
	if (!m)
		return STORE_ERROR;
	m->id = db_int(r, 0);
	m->action_id = db_int(r, 1);
	m->action_title = db_text(v->a, r, 2);
	m->title = db_text(v->a, r, 3);
	m->output = db_text(v->a, r, 4);
	m->due_on = db_text(v->a, r, 5);
	m->done_on = db_text(v->a, r, 6);
	return m->action_title && m->title && m->output && m->due_on && m->done_on ? STORE_OK
	                                                                          : STORE_ERROR;
}

store_rc act_store_milestones(store *s, arena *a, int64_t action_id, int64_t plan_id,
                              act_milestone **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(plan_id) };
	db_vec v = { .a = a, .size = sizeof(act_milestone) };
	store_rc rc = db_query(s, "SELECT m.id, m.action_id, p.title, m.title, m.output, m.due_on, "
	                          "m.done_on FROM action_milestones m JOIN action_points p ON "
	                          "p.id = m.action_id WHERE m.action_id = $1 OR ($1 = 0 AND "
	                          "p.plan_id = $2) ORDER BY m.action_id, m.due_on, m.id",
	                       args, 2, milestone_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc act_store_milestone_add(store *s, const act_milestone *m, int64_t user_id,
                                 int64_t *id_out)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	db_arg a[] = { DB_I(m->action_id), DB_S(m->title), DB_S(m->output), DB_S(m->due_on),
		       DB_S(m->done_on), DB_I(db_now()) };
	rc = db_exec(s, "INSERT INTO action_milestones (action_id, title, output, due_on, done_on, "
	                "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	             a, 6, id_out, NULL);
	if (rc == STORE_OK)
		rc = version(s, m->action_id, user_id, "milestone_added", m->title);
	return finish(s, rc);
}

store_rc act_store_milestone_update(store *s, const act_milestone *m, int64_t user_id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	db_arg a[] = { DB_S(m->title), DB_S(m->output), DB_S(m->due_on), DB_S(m->done_on),
		       DB_I(m->id), DB_I(m->action_id) };
	rc = exec_found(s, "UPDATE action_milestones SET title = $1, output = $2, due_on = $3, "
	                   "done_on = $4 WHERE id = $5 AND action_id = $6",
	                a, 6);
	if (rc == STORE_OK)
		rc = version(s, m->action_id, user_id, "milestone_changed", m->title);
	return finish(s, rc);
}

store_rc act_store_milestone_delete(store *s, int64_t action_id, int64_t id, int64_t user_id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	arena ar;
	arena_init(&ar, 0);
	act_milestone *ms;
	size_t n;
	const char *title = NULL;
	rc = act_store_milestones(s, &ar, action_id, 0, &ms, &n);
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		if (ms[i].id == id)
			title = ms[i].title;
	if (rc == STORE_OK && !title)
		rc = STORE_NOTFOUND;
	db_arg a[] = { DB_I(id), DB_I(action_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM action_milestones WHERE id = $1 AND action_id = $2", a, 2,
		             NULL, NULL);
	if (rc == STORE_OK)
		rc = version(s, action_id, user_id, "milestone_removed", title);
	arena_free(&ar);
	return finish(s, rc);
}

/* ---- progress updates ---- */

static store_rc update_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_update *u = db_vec_push(v);
	if (!u)
		return STORE_ERROR;
	u->id = db_int(r, 0);
	u->action_id = db_int(r, 1);
	u->action_title = db_text(v->a, r, 2);
	u->posted_on = db_text(v->a, r, 3);
	u->body = db_text(v->a, r, 4);
	u->evidence_url = db_text(v->a, r, 5);
	u->percent = (int)db_int(r, 6);
	u->author_name = db_text(v->a, r, 7);
	u->created_at = db_int(r, 8);
	return u->action_title && u->posted_on && u->body && u->evidence_url && u->author_name
		? STORE_OK : STORE_ERROR;
}

store_rc act_store_updates(store *s, arena *a, int64_t action_id, int64_t plan_id, int limit,
                           act_update **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(plan_id), DB_I(limit > 0 ? limit : 1000000) };
	db_vec v = { .a = a, .size = sizeof(act_update) };
	store_rc rc = db_query(s, "SELECT u.id, u.action_id, p.title, u.posted_on, u.body, "
	                          "u.evidence_url, u.percent, COALESCE(us.name, ''), u.created_at "
	                          "FROM action_updates u JOIN action_points p ON p.id = u.action_id "
	                          "LEFT JOIN users us ON us.id = u.author_id "
	                          "WHERE u.action_id = $1 OR ($1 = 0 AND p.plan_id = $2) "
	                          "ORDER BY u.posted_on DESC, u.id DESC LIMIT $3",
	                       args, 3, update_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc act_store_update_add(store *s, const act_update *u, int64_t user_id, int64_t *id_out)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	db_arg a[] = { DB_I(u->action_id), user_id ? DB_I(user_id) : DB_NUL, DB_S(u->posted_on),
		       DB_S(u->body), DB_S(u->evidence_url), DB_I(u->percent), DB_I(db_now()) };
	rc = db_exec(s, "INSERT INTO action_updates (action_id, author_id, posted_on, body, "
	                "evidence_url, percent, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
	                "RETURNING id",
	             a, 7, id_out, NULL);
	if (rc == STORE_OK)
		rc = version(s, u->action_id, user_id, "update", u->posted_on);
	return finish(s, rc);
}

/* ---- adoption offers ---- */

#define OFFER_COLS                                                                             \
	"f.id, f.action_id, p.title, f.user_id, us.name, COALESCE(f.organisation_id, 0), "      \
	"COALESCE(o.name, f.new_org_name), f.new_org_sector, f.role, f.message, f.status, "      \
	"f.reason, f.created_at, f.decided_at FROM action_offers f "                             \
	"JOIN action_points p ON p.id = f.action_id JOIN users us ON us.id = f.user_id "         \
	"LEFT JOIN organisations o ON o.id = f.organisation_id "

static store_rc offer_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_offer *o = db_vec_push(v);
	if (!o)
		return STORE_ERROR;
	o->id = db_int(r, 0);
	o->action_id = db_int(r, 1);
	o->action_title = db_text(v->a, r, 2);
	o->user_id = db_int(r, 3);
	o->user_name = db_text(v->a, r, 4);
	o->org_id = db_int(r, 5);
	o->org_name = db_text(v->a, r, 6);
	o->new_org_sector = db_text(v->a, r, 7);
	o->role = db_text(v->a, r, 8);
	o->message = db_text(v->a, r, 9);
	o->status = db_text(v->a, r, 10);
	o->reason = db_text(v->a, r, 11);
	o->created_at = db_int(r, 12);
	o->decided_at = db_int(r, 13);
	return o->action_title && o->user_name && o->org_name && o->new_org_sector && o->role &&
	               o->message && o->status && o->reason ? STORE_OK : STORE_ERROR;
}

store_rc act_store_offer_create(store *s, const act_offer *o, int64_t *id_out)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	int64_t n = 0;
	db_arg q[] = { DB_I(o->action_id), DB_I(o->org_id), DB_S(o->org_id ? "" : o->org_name) };
	rc = db_query(s, "SELECT COUNT(*) FROM action_offers f LEFT JOIN organisations g ON "
	                 "g.id = f.organisation_id WHERE f.action_id = $1 AND f.status = 'open' AND "
	                 "(f.organisation_id = $2 OR LOWER(COALESCE(g.name, f.new_org_name)) = LOWER($3))",
	              q, 3, count_row, &n);
	if (rc == STORE_OK && n)
		rc = STORE_CONFLICT;
	db_arg a[] = { DB_I(o->action_id), DB_I(o->user_id), o->org_id ? DB_I(o->org_id) : DB_NUL,
		       DB_S(o->org_id ? "" : o->org_name),
		       DB_S(o->org_id ? "" : o->new_org_sector), DB_S(o->role), DB_S(o->message),
		       DB_I(db_now()) };
	int64_t id = 0;
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO action_offers (action_id, user_id, organisation_id, "
		                "new_org_name, new_org_sector, role, message, created_at) VALUES "
		                "($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
		             a, 8, &id, NULL);
	if (rc == STORE_OK)
		rc = version(s, o->action_id, o->user_id, "offer", o->org_name);
	if (rc == STORE_OK && id_out)
		*id_out = id;
	return finish(s, rc);
}

store_rc act_store_offer_get(store *s, arena *a, int64_t id, act_offer *out)
{
	return get_one(s, a, "SELECT " OFFER_COLS "WHERE f.id = $1", id, offer_row,
	               sizeof(act_offer), out);
}

store_rc act_store_offers(store *s, arena *a, int64_t action_id, int64_t user_id,
                          act_offer **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(user_id) };
	db_vec v = { .a = a, .size = sizeof(act_offer) };
	store_rc rc = db_query(s, "SELECT " OFFER_COLS "WHERE (f.action_id = $1 AND $1 > 0) OR "
	                          "(f.user_id = $2 AND $2 > 0) ORDER BY f.id DESC",
	                       args, 2, offer_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

static store_rc org_by_name(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

/* Tells the offerer what became of their offer, in the deciding
 * transaction (store.h: notification events). */
static store_rc offer_event(store *s, arena *a, const act_offer *o, int64_t actor,
                            const char *kind, const char *msgid)
{
	const char *url = arena_printf(a, "/actions/%lld", (long long)o->action_id);
	store_event e = { .kind = kind, .msgid = msgid, .subject = o->action_title,
		          .url = url ? url : "/account", .object_type = "action",
		          .object_id = o->action_id, .actor_id = actor };
	return store_event_add(s, &e, &o->user_id, 1, NULL);
}

typedef struct accept_ctx { int64_t offer_id, user_id; const char *role; } accept_ctx;

/* act_store_offer_accept's transaction (store_tx may run it more than once). */
static store_rc accept_tx(store *s, void *ctx)
{
	accept_ctx *c = ctx;
	arena ar;
	arena_init(&ar, 0);
	act_offer o;
	store_rc rc = act_store_offer_get(s, &ar, c->offer_id, &o);
	if (rc == STORE_OK && !strcmp(o.status, "accepted"))
		goto done; /* accepting twice changes nothing */
	if (rc == STORE_OK && strcmp(o.status, "open"))
		rc = STORE_INVALID;
	int64_t org = rc == STORE_OK ? o.org_id : 0;
	if (rc == STORE_OK && !org) {
		/* The organisation the offerer named; someone may have made it since. */
		db_arg q[] = { DB_S(o.org_name) };
		rc = db_query(s, "SELECT id FROM organisations WHERE LOWER(name) = LOWER($1)", q, 1,
		              org_by_name, &org);
		if (rc == STORE_OK && !org)
			rc = store_org_create(s, o.org_name, o.new_org_sector, &org);
	}
	if (rc == STORE_OK)
		rc = holder_set(s, o.action_id, org, c->role, o.user_id);
	db_arg u[] = { DB_I(org), DB_I(db_now()), DB_I(c->offer_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE action_offers SET status = 'accepted', organisation_id = $1, "
		                "decided_at = $2 WHERE id = $3",
		             u, 3, NULL, NULL);
	if (rc == STORE_OK && !strcmp(c->role, "lead")) {
		db_arg st[] = { DB_I(o.action_id) };
		rc = db_exec(s, "UPDATE action_points SET status = 'adopted' WHERE id = $1 AND "
		                "status IN ('idea', 'seeking')",
		             st, 1, NULL, NULL);
	}
	if (rc == STORE_OK)
		rc = version(s, o.action_id, c->user_id, "offer_accepted", o.org_name);
	if (rc == STORE_OK)
		rc = offer_event(s, &ar, &o, c->user_id, "act.offer_accepted",
		                 "Your offer to adopt “%s” was accepted.");
done:
	arena_free(&ar);
	return rc;
}

store_rc act_store_offer_accept(store *s, int64_t offer_id, const char *hrole, int64_t user_id)
{
	accept_ctx c = { offer_id, user_id, hrole };
	return store_tx(s, accept_tx, &c);
}

store_rc act_store_offer_decline(store *s, int64_t offer_id, const char *reason, int64_t user_id)
{
	arena ar;
	arena_init(&ar, 0);
	act_offer o;
	store_rc rc = store_begin(s);
	if (rc == STORE_OK)
		rc = act_store_offer_get(s, &ar, offer_id, &o);
	if (rc == STORE_OK && strcmp(o.status, "open"))
		rc = STORE_INVALID;
	db_arg u[] = { DB_S(reason), DB_I(db_now()), DB_I(offer_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE action_offers SET status = 'declined', reason = $1, "
		                "decided_at = $2 WHERE id = $3",
		             u, 3, NULL, NULL);
	if (rc == STORE_OK)
		rc = version(s, o.action_id, user_id, "offer_declined", o.org_name);
	if (rc == STORE_OK)
		rc = offer_event(s, &ar, &o, user_id, "act.offer_declined",
		                 "Your offer to adopt “%s” was declined. The reason is on your account page.");
	arena_free(&ar);
	return finish(s, rc);
}
