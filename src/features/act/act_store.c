/* act_store.c — store queries for the action plan: action points (drafts,
 * published, archived), holders, links, milestones (and telling holders
 * when one is late), progress updates and versions. Every change made by
 * a person runs in one transaction with its version row, so the history
 * never misses a change, and with the notification event it causes.
 * Offers are in act_store_offers.c. Validation of dates, status
 * transitions and rights happens in the handlers, not here.
 */
#include <stdio.h>
#include <string.h>

#include "../../store/db.h"
#include "act.h"

store_rc act_store_version(store *s, int64_t action_id, int64_t user_id, const char *kind,
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

static store_rc count_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

store_rc act_store_version_add(store *s, int64_t action_id, int64_t user_id, const char *kind,
                               const char *detail)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	return finish(s, act_store_version(s, action_id, user_id, kind, detail));
}

/* The SQL condition for the kinds `which` of action point p, as three
 * parameters $A (archived), $B (published), $C (drafts): see VISIBLE. */
#define VISIBLE(a, b, c)                                                                       \
	"((p.archived_at <> 0 AND " a " = 1) OR (p.archived_at = 0 AND p.published_at <> 0 AND " \
	b " = 1) OR (p.archived_at = 0 AND p.published_at = 0 AND " c " = 1))"
#define WHICH_ARGS(w)                                                                           \
	DB_I(((w) & ACT_ARCHIVED) != 0), DB_I(((w) & ACT_PUBLISHED) != 0), DB_I(((w) & ACT_DRAFTS) != 0)

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
	"(SELECT COUNT(*) FROM action_milestones m WHERE m.action_id = p.id AND m.done_on <> ''), " \
	"p.published_at, p.archived_at "                                                        \
	"FROM action_points p JOIN themes t ON t.id = p.theme_id "

/* A text column: copied into a, or (a NULL) borrowed for the row's callback. */
static const char *col_text(arena *a, const db_row *r, int col)
{
	return a ? db_text(a, r, col) : db_text_ref(r, col);
}

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
		if (!(*txt[i] = col_text(a, r, 3 + i)))
			return STORE_ERROR;
	p->updated_at = db_int(r, 18);
	p->lead_org_id = db_int(r, 19);
	p->lead_name = col_text(a, r, 20);
	p->percent = (int)db_int(r, 21);
	p->milestones = (int)db_int(r, 22);
	p->milestones_done = (int)db_int(r, 23);
	p->published_at = db_int(r, 24);
	p->archived_at = db_int(r, 25);
	return p->lead_name ? STORE_OK : STORE_ERROR;
}

static store_rc point_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_point *p = db_vec_push(v);
	return p ? point_fill(r, v->a, p) : STORE_ERROR;
}

store_rc act_store_list(store *s, arena *a, int64_t plan_id, int which, act_point **out,
                        size_t *n)
{
	db_arg args[] = { DB_I(plan_id), WHICH_ARGS(which) };
	db_vec v = { .a = a, .size = sizeof(act_point) };
	store_rc rc = db_query(s, "SELECT " POINT_COLS "WHERE p.plan_id = $1 AND "
	                          VISIBLE("$2", "$3", "$4") " ORDER BY t.position, t.id, p.id",
	                       args, 4, point_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc act_store_get(store *s, arena *a, int64_t id, act_point *out)
{
	return get_one(s, a, "SELECT " POINT_COLS "WHERE p.id = $1", id, point_row,
	               sizeof(act_point), out);
}

typedef struct each_ctx {
	store_rc (*point)(const act_point *p, void *ctx);
	store_rc (*milestone)(const act_milestone *m, void *ctx);
	void *ctx;
} each_ctx;

static store_rc each_point_row(const db_row *r, void *ctx)
{
	each_ctx *c = ctx;
	act_point p = { 0 };
	store_rc rc = point_fill(r, NULL, &p);
	return rc == STORE_OK ? c->point(&p, c->ctx) : rc;
}

store_rc act_store_each_point(store *s, int64_t plan_id, int which,
                              store_rc (*fn)(const act_point *p, void *ctx), void *ctx)
{
	db_arg args[] = { DB_I(plan_id), WHICH_ARGS(which) };
	each_ctx c = { .point = fn, .ctx = ctx };
	return db_query(s, "SELECT " POINT_COLS "WHERE p.plan_id = $1 AND "
	                   VISIBLE("$2", "$3", "$4") " ORDER BY t.position, t.id, p.id",
	                args, 4, each_point_row, &c);
}

/* The theme must belong to the action point's plan. */
static store_rc theme_in_plan(store *s, int64_t plan_id, int64_t theme_id)
{
	int64_t n = 0;
	db_arg a[] = { DB_I(theme_id), DB_I(plan_id) };
	store_rc rc = db_query(s, "SELECT COUNT(*) FROM themes WHERE id = $1 AND plan_id = $2", a,
	                       2, count_row, &n);
	return rc == STORE_OK && n == 0 ? STORE_INVALID : rc;
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
		       DB_S(p->stop_reason ? p->stop_reason : ""), DB_I(now), DB_I(now),
		       DB_I(p->published_at) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO action_points (plan_id, theme_id, title, problem, "
		                "status_quo, what, how_helps, ambition, ogp_values, minimal, maximal, "
		                "needs, starts_on, ends_on, status, stop_reason, created_at, "
		                "updated_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
		                "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
		             a, 19, &id, NULL);
	if (rc == STORE_OK)
		rc = act_store_version(s, id, user_id, "created", p->title);
	if (rc == STORE_OK && p->published_at)
		rc = act_store_version(s, id, user_id, "published", "");
	/* Its author hears of what happens with it (store.h: following). */
	if (rc == STORE_OK)
		rc = store_follow_auto(s, user_id, "action", id);
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
		rc = act_store_version(s, p->id, user_id, "edited", detail);
	return finish(s, rc);
}

static store_rc id_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	int64_t *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = db_int(r, 0);
	return STORE_OK;
}

store_rc act_store_contacts(store *s, arena *a, int64_t action_id, int64_t except,
                            int64_t **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(except) };
	db_vec v = { .a = a, .size = sizeof(int64_t) };
	store_rc rc = db_query(s, "SELECT DISTINCT contact_id FROM action_holders WHERE "
	                          "action_id = $1 AND contact_id IS NOT NULL AND contact_id <> $2 "
	                          "ORDER BY contact_id",
	                       args, 2, id_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

/* One event about action point p, to its holders' contact persons except
 * the actor, inside the caller's transaction; its followers hear of it too
 * (store_event_add), so the event is written even without a contact. */
static store_rc tell_contacts(store *s, int64_t action_id, int64_t actor, const char *kind,
                              const char *msgid, const char *where)
{
	arena ar;
	arena_init(&ar, 0);
	act_point p;
	int64_t *to = NULL;
	size_t n = 0;
	store_rc rc = act_store_get(s, &ar, action_id, &p);
	if (rc == STORE_OK)
		rc = act_store_contacts(s, &ar, action_id, actor, &to, &n);
	if (rc == STORE_OK) {
		const char *url = arena_printf(&ar, "/actions/%lld%s", (long long)action_id, where);
		store_event e = { .kind = kind, .msgid = msgid, .subject = p.title,
			          .url = url ? url : "/actions", .object_type = "action",
			          .object_id = action_id, .actor_id = actor };
		rc = url ? store_event_add(s, &e, to, n, NULL) : STORE_ERROR;
	}
	arena_free(&ar);
	return rc;
}

typedef struct status_ctx {
	int64_t id, user_id;
	const char *status, *reason, *detail;
} status_ctx;

static store_rc status_tx(store *s, void *ctx)
{
	status_ctx *c = ctx;
	db_arg a[] = { DB_S(c->status), DB_S(c->reason ? c->reason : ""), DB_I(c->id) };
	store_rc rc = exec_found(s, "UPDATE action_points SET status = $1, stop_reason = $2 "
	                            "WHERE id = $3",
	                         a, 3);
	if (rc == STORE_OK)
		rc = act_store_version(s, c->id, c->user_id, "status", c->detail);
	if (rc == STORE_OK)
		rc = tell_contacts(s, c->id, c->user_id, "act.status",
		                   "The status of “%s” has changed.", "");
	return rc;
}

store_rc act_store_set_status(store *s, int64_t id, const char *status, const char *reason,
                              int64_t user_id, const char *detail)
{
	status_ctx c = { id, user_id, status, reason, detail };
	return store_tx(s, status_tx, &c);
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

store_rc act_store_versions(store *s, arena *a, int64_t action_id, bool private,
                            act_version **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(private) };
	db_vec v = { .a = a, .size = sizeof(act_version) };
	store_rc rc = db_query(s, "SELECT v.id, COALESCE(u.name, ''), v.kind, v.detail, v.created_at "
	                          "FROM action_versions v LEFT JOIN users u ON u.id = v.user_id "
	                          "WHERE v.action_id = $1 AND ($2 = 1 OR v.kind NOT IN "
	                          "('offer', 'offer_declined', 'offer_confirmed', 'offer_refused')) "
	                          "ORDER BY v.id DESC",
	                       args, 2, version_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

typedef struct life_ctx { int64_t id, user_id; int what; } life_ctx;
enum { LIFE_PUBLISH, LIFE_ARCHIVE, LIFE_RESTORE, LIFE_DELETE };

/* Publishing, archiving, restoring and deleting: one transaction each. */
static store_rc life_tx(store *s, void *ctx)
{
	life_ctx *c = ctx;
	arena ar;
	arena_init(&ar, 0);
	act_point p;
	store_rc rc = act_store_get(s, &ar, c->id, &p);
	db_arg a[] = { DB_I(db_now()), DB_I(c->id) };
	if (rc != STORE_OK)
		goto done;
	switch (c->what) {
	case LIFE_PUBLISH:
		rc = p.published_at || p.archived_at ? STORE_INVALID
			: db_exec(s, "UPDATE action_points SET published_at = $1 WHERE id = $2", a, 2,
			          NULL, NULL);
		if (rc == STORE_OK)
			rc = act_store_version(s, c->id, c->user_id, "published", "");
		break;
	case LIFE_ARCHIVE:
		rc = p.archived_at ? STORE_INVALID
			: db_exec(s, "UPDATE action_points SET archived_at = $1 WHERE id = $2", a, 2,
			          NULL, NULL);
		if (rc == STORE_OK)
			rc = act_store_version(s, c->id, c->user_id, "archived", "");
		break;
	case LIFE_RESTORE: {
		db_arg b[] = { DB_I(c->id) };
		rc = !p.archived_at ? STORE_INVALID
			: db_exec(s, "UPDATE action_points SET archived_at = 0 WHERE id = $1", b, 1, NULL,
			          NULL);
		if (rc == STORE_OK)
			rc = act_store_version(s, c->id, c->user_id, "restored", "");
		break;
	}
	case LIFE_DELETE: {
		int64_t n = 0;
		db_arg b[] = { DB_I(c->id), DB_I(c->id), DB_I(c->id) };
		if (p.published_at) {
			rc = STORE_INVALID;
			break;
		}
		rc = db_query(s, "SELECT (SELECT COUNT(*) FROM action_holders WHERE action_id = $1) + "
		                 "(SELECT COUNT(*) FROM action_updates WHERE action_id = $2) + "
		                 "(SELECT COUNT(*) FROM action_offers WHERE action_id = $3)",
		              b, 3, count_row, &n);
		if (rc == STORE_OK && n)
			rc = STORE_CONFLICT;
		db_arg d[] = { DB_I(c->id) };
		if (rc == STORE_OK)
			rc = exec_found(s, "DELETE FROM action_points WHERE id = $1", d, 1);
		break;
	}
	}
done:
	arena_free(&ar);
	return rc;
}

static store_rc life(store *s, int64_t id, int what, int64_t user_id)
{
	life_ctx c = { id, user_id, what };
	return store_tx(s, life_tx, &c);
}

store_rc act_store_publish(store *s, int64_t id, int64_t user_id)
{
	return life(s, id, LIFE_PUBLISH, user_id);
}

store_rc act_store_archive(store *s, int64_t id, bool archive, int64_t user_id)
{
	return life(s, id, archive ? LIFE_ARCHIVE : LIFE_RESTORE, user_id);
}

store_rc act_store_delete(store *s, int64_t id)
{
	return life(s, id, LIFE_DELETE, 0);
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

store_rc act_store_holders(store *s, arena *a, int64_t action_id, int64_t plan_id, int which,
                           act_holder **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(plan_id), WHICH_ARGS(which) };
	db_vec v = { .a = a, .size = sizeof(act_holder) };
	store_rc rc = db_query(s, "SELECT h.action_id, h.organisation_id, o.name, h.role, "
	                          "COALESCE(h.contact_id, 0), COALESCE(u.name, '') "
	                          "FROM action_holders h JOIN organisations o ON o.id = h.organisation_id "
	                          "JOIN action_points p ON p.id = h.action_id "
	                          "LEFT JOIN users u ON u.id = h.contact_id "
	                          "WHERE h.action_id = $1 OR ($1 = 0 AND p.plan_id = $2 AND "
	                          VISIBLE("$3", "$4", "$5") ") "
	                          "ORDER BY h.action_id, h.role, lower(o.name), o.name, o.id",
	                       args, 5, holder_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

/* Used by accepting an offer too (act_store_offers.c), inside its transaction. */
store_rc act_store_holder_put(store *s, int64_t action_id, int64_t org_id, const char *hrole,
                              int64_t contact_id);
store_rc act_store_holder_put(store *s, int64_t action_id, int64_t org_id, const char *hrole,
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
	rc = act_store_holder_put(s, action_id, org_id, hrole, contact_id);
	arena a;
	arena_init(&a, 0);
	if (rc == STORE_OK)
		rc = act_store_version(s, action_id, user_id, strcmp(hrole, "lead") ? "partner" : "lead",
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
		rc = act_store_version(s, action_id, user_id, "holder_removed", name);
	arena_free(&a);
	return finish(s, rc);
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

store_rc act_store_links(store *s, arena *a, int64_t action_id, bool drafts, act_link **out,
                         size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(drafts) };
	db_vec v = { .a = a, .size = sizeof(act_link) };
	store_rc rc = db_query(s, "SELECT p.id, p.title, p.status FROM action_points p WHERE p.id IN "
	                          "(SELECT to_id FROM action_links WHERE from_id = $1 UNION "
	                          "SELECT from_id FROM action_links WHERE to_id = $1) "
	                          "AND (p.published_at <> 0 OR $2 = 1) "
	                          "ORDER BY lower(p.title), p.title, p.id",
	                       args, 2, link_row, &v);
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
	store_rc rc = act_store_version(s, from_id, user_id, kind, point_title(s, &ar, to_id));
	if (rc == STORE_OK)
		rc = act_store_version(s, to_id, user_id, kind, point_title(s, &ar, from_id));
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

static store_rc milestone_fill(const db_row *r, arena *a, act_milestone *m)
{
	m->id = db_int(r, 0);
	m->action_id = db_int(r, 1);
	m->action_title = col_text(a, r, 2);
	m->title = col_text(a, r, 3);
	m->output = col_text(a, r, 4);
	m->due_on = col_text(a, r, 5);
	m->done_on = col_text(a, r, 6);
	return m->action_title && m->title && m->output && m->due_on && m->done_on ? STORE_OK
	                                                                          : STORE_ERROR;
}

static store_rc milestone_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_milestone *m = db_vec_push(v);
	return m ? milestone_fill(r, v->a, m) : STORE_ERROR;
}

static store_rc each_milestone_row(const db_row *r, void *ctx)
{
	each_ctx *c = ctx;
	act_milestone m = { 0 };
	store_rc rc = milestone_fill(r, NULL, &m);
	return rc == STORE_OK ? c->milestone(&m, c->ctx) : rc;
}

#define MILESTONE_SQL                                                                          \
	"SELECT m.id, m.action_id, p.title, m.title, m.output, m.due_on, m.done_on "            \
	"FROM action_milestones m JOIN action_points p ON p.id = m.action_id "                  \
	"WHERE m.action_id = $1 OR ($1 = 0 AND p.plan_id = $2 AND " VISIBLE("$3", "$4", "$5") ") " \
	"ORDER BY m.action_id, m.due_on, m.id"

store_rc act_store_each_milestone(store *s, int64_t plan_id, int which,
                                  store_rc (*fn)(const act_milestone *m, void *ctx), void *ctx)
{
	db_arg args[] = { DB_I(0), DB_I(plan_id), WHICH_ARGS(which) };
	each_ctx c = { .milestone = fn, .ctx = ctx };
	return db_query(s, MILESTONE_SQL, args, 5, each_milestone_row, &c);
}

store_rc act_store_milestones(store *s, arena *a, int64_t action_id, int64_t plan_id, int which,
                              act_milestone **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(plan_id), WHICH_ARGS(which) };
	db_vec v = { .a = a, .size = sizeof(act_milestone) };
	store_rc rc = db_query(s, MILESTONE_SQL, args, 5, milestone_row, &v);
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
		rc = act_store_version(s, m->action_id, user_id, "milestone_added", m->title);
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
		rc = act_store_version(s, m->action_id, user_id, "milestone_changed", m->title);
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
	rc = act_store_milestones(s, &ar, action_id, 0, 0, &ms, &n);
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
		rc = act_store_version(s, action_id, user_id, "milestone_removed", title);
	arena_free(&ar);
	return finish(s, rc);
}

/* ---- late milestones ---- */

static void ymd_text(int ymd, char out[16])
{
	unsigned y = (unsigned)ymd / 10000 % 10000, m = (unsigned)ymd / 100 % 100, d = (unsigned)ymd % 100;
	snprintf(out, 16, "%04u-%02u-%02u", y, m, d);
}

/* Milestones of published, not archived action points that are late on
 * `today` and were not yet told for their due date. */
#define LATE_SQL                                                                               \
	"SELECT m.id, m.action_id, p.title, m.title, m.output, m.due_on, m.done_on "            \
	"FROM action_milestones m JOIN action_points p ON p.id = m.action_id "                  \
	"WHERE m.done_on = '' AND m.due_on < $1 AND m.due_on <> '' AND m.late_told_due <> m.due_on " \
	"AND p.published_at <> 0 AND p.archived_at = 0 ORDER BY m.id"

typedef struct late_ctx { const act_milestone *m; } late_ctx;

/* Tells one late milestone and marks it, unless another node did first. */
static store_rc late_tx(store *s, void *ctx)
{
	const act_milestone *m = ((late_ctx *)ctx)->m;
	db_arg a[] = { DB_S(m->due_on), DB_I(m->id), DB_S(m->due_on) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE action_milestones SET late_told_due = $1 WHERE id = $2 "
	                         "AND late_told_due <> $3 AND done_on = ''",
	                      a, 3, NULL, &changes);
	if (rc != STORE_OK || !changes)
		return rc;
	arena ar;
	arena_init(&ar, 0);
	int64_t *to = NULL;
	size_t n = 0;
	rc = act_store_contacts(s, &ar, m->action_id, 0, &to, &n);
	const char *url = arena_printf(&ar, "/actions/%lld#milestones", (long long)m->action_id);
	const char *subject = arena_printf(&ar, "%s — %s", m->title, m->action_title);
	if (rc == STORE_OK && n) {
		store_event e = { .kind = "act.milestone_late",
			          .msgid = "A milestone is late: “%s”. Its due date has passed.",
			          .subject = subject ? subject : m->title, .url = url ? url : "/actions",
			          .object_type = "action", .object_id = m->action_id };
		rc = store_event_add(s, &e, to, n, NULL);
	}
	arena_free(&ar);
	return rc;
}

store_rc act_store_tell_late(store *s, int today, int *told)
{
	char day[16];
	ymd_text(today, day);
	arena ar;
	arena_init(&ar, 0);
	db_arg args[] = { DB_S(day) };
	db_vec v = { .a = &ar, .size = sizeof(act_milestone) };
	store_rc rc = db_query(s, LATE_SQL, args, 1, milestone_row, &v);
	int count = 0;
	act_milestone *ms = v.items;
	for (size_t i = 0; rc == STORE_OK && i < v.len; i++) {
		late_ctx c = { &ms[i] };
		rc = store_tx(s, late_tx, &c);
		count += rc == STORE_OK;
	}
	arena_free(&ar);
	if (told)
		*told = count;
	return rc;
}

store_rc act_store_late_told(store *s, int today)
{
	char day[16];
	ymd_text(today, day);
	db_arg a[] = { DB_S(day) };
	return db_exec(s, "UPDATE action_milestones SET late_told_due = due_on WHERE done_on = '' "
	                  "AND due_on < $1",
	               a, 1, NULL, NULL);
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
	                          "WHERE u.action_id = $1 OR ($1 = 0 AND p.plan_id = $2 AND "
	                          "p.published_at <> 0 AND p.archived_at = 0) "
	                          "ORDER BY u.posted_on DESC, u.id DESC LIMIT $3",
	                       args, 3, update_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

typedef struct update_ctx { const act_update *u; int64_t user_id, *id_out; } update_ctx;

static store_rc update_tx(store *s, void *ctx)
{
	update_ctx *c = ctx;
	const act_update *u = c->u;
	db_arg a[] = { DB_I(u->action_id), c->user_id ? DB_I(c->user_id) : DB_NUL,
		       DB_S(u->posted_on), DB_S(u->body), DB_S(u->evidence_url), DB_I(u->percent),
		       DB_I(db_now()) };
	int64_t id = 0;
	store_rc rc = db_exec(s, "INSERT INTO action_updates (action_id, author_id, posted_on, body, "
	                         "evidence_url, percent, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
	                         "$7) RETURNING id",
	                      a, 7, &id, NULL);
	if (rc == STORE_OK)
		rc = act_store_version(s, u->action_id, c->user_id, "update", u->posted_on);
	if (rc == STORE_OK && !u->quiet)
		rc = tell_contacts(s, u->action_id, c->user_id, "act.update",
		                   "A progress update was posted on “%s”.", "#updates");
	if (rc == STORE_OK && c->id_out)
		*c->id_out = id;
	return rc;
}

store_rc act_store_update_add(store *s, const act_update *u, int64_t user_id, int64_t *id_out)
{
	update_ctx c = { u, user_id, id_out };
	return store_tx(s, update_tx, &c);
}
