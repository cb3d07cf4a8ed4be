/* input_store_groups.c — store queries for triage: an item's theme and
 * status, duplicates, groups (one response answers every member), the
 * reasoned responses with every version kept, links to action points, and
 * bulk changes. The rules of the data are checked here, in the change's
 * transaction, and a refusal says why (input_refusal): a link to an action
 * point of another plan, a duplicate of itself, a group merged into
 * itself or across plans, a response without a status.
 *
 * Status is copied where people read it: a group's status to its members,
 * an item's to its duplicates, so lists and counts read one column. Who
 * hears of a change (store_event_add, in the change's transaction): the
 * authors of the items it changes, never the organiser who made it. The
 * people whose input leads to an action point follow it (store_follow_auto,
 * when the link, the group or the duplicate is made), so the action
 * plan's own events about it (status, progress) reach them too.
 */
#include <string.h>

#include "../../store/db.h"
#include "input.h"

static store_rc int_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

static store_rc ids_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	int64_t *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = db_int(r, 0);
	return STORE_OK;
}

/* What the rules need to know of an item. */
typedef struct brief {
	int64_t id, plan_id, group_id, duplicate_of, author_id;
	char    status[16];
	char    text[200];
	bool    found;
} brief;

static store_rc brief_row(const db_row *r, void *ctx)
{
	brief *b = ctx;
	b->found = true;
	b->id = db_int(r, 0);
	b->plan_id = db_int(r, 1);
	b->group_id = db_int(r, 2);
	b->duplicate_of = db_int(r, 3);
	b->author_id = db_int(r, 4);
	snprintf(b->status, sizeof b->status, "%s", db_text_ref(r, 5));
	snprintf(b->text, sizeof b->text, "%s", db_text_ref(r, 6));
	return STORE_OK;
}

/* Loads an item's brief and takes its row lock (PostgreSQL; SQLite has
 * one writer), so changes that read before they write do not interleave. */
static store_rc item_brief(store *s, int64_t id, brief *b)
{
	memset(b, 0, sizeof *b);
	db_arg a[] = { DB_I(id) };
	store_rc rc = db_exec(s, "UPDATE input_items SET updated_at = updated_at WHERE id = $1", a,
	                      1, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT id, plan_id, COALESCE(group_id, 0), COALESCE(duplicate_of, 0), "
		                 "COALESCE(author_id, 0), status, text FROM input_items WHERE id = $1",
		              a, 1, brief_row, b);
	return rc == STORE_OK && !b->found ? STORE_NOTFOUND : rc;
}

typedef struct gbrief {
	int64_t id, plan_id;
	char    status[16];
	char    title[200];
	bool    found;
} gbrief;

static store_rc gbrief_row(const db_row *r, void *ctx)
{
	gbrief *g = ctx;
	g->found = true;
	g->id = db_int(r, 0);
	g->plan_id = db_int(r, 1);
	snprintf(g->status, sizeof g->status, "%s", db_text_ref(r, 2));
	snprintf(g->title, sizeof g->title, "%s", db_text_ref(r, 3));
	return STORE_OK;
}

static store_rc group_brief(store *s, int64_t id, gbrief *g)
{
	memset(g, 0, sizeof *g);
	db_arg a[] = { DB_I(id) };
	store_rc rc = db_exec(s, "UPDATE input_groups SET updated_at = updated_at WHERE id = $1", a,
	                      1, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT id, plan_id, status, title FROM input_groups WHERE id = $1", a,
		              1, gbrief_row, g);
	return rc == STORE_OK && !g->found ? STORE_NOTFOUND : rc;
}

/* ---- telling the authors ---------------------------------------------------------------------- */

/* The authors of an item and of its duplicates. */
static const char *const item_authors_sql =
	"SELECT DISTINCT author_id FROM input_items WHERE (id = $1 OR duplicate_of = $1) "
	"AND author_id IS NOT NULL AND removed = 0";
/* The authors of a group's members and of their duplicates. */
static const char *const group_authors_sql =
	"SELECT DISTINCT i.author_id FROM input_items i LEFT JOIN input_items o ON "
	"o.id = i.duplicate_of WHERE (i.group_id = $1 OR o.group_id = $1) "
	"AND i.author_id IS NOT NULL AND i.removed = 0";

/* One event to the authors `who_sql` finds for id, except the actor;
 * nothing when nobody is left. */
static store_rc tell(store *s, const char *who_sql, int64_t id, const char *kind,
                     const char *msgid, const char *subject, const char *url,
                     const char *object_type, int64_t object_id, int64_t actor)
{
	arena a;
	arena_init(&a, 0);
	db_vec v = { .a = &a, .size = sizeof(int64_t) };
	db_arg k[] = { DB_I(id) };
	store_rc rc = db_query(s, who_sql, k, 1, ids_row, &v);
	int64_t *to = v.items;
	size_t n = 0;
	for (size_t i = 0; i < v.len; i++)
		if (to[i] != actor)
			to[n++] = to[i];
	if (rc == STORE_OK && n) {
		/* Written to the people whose input it is; nobody else hears of it. */
		store_event e = { .kind = kind, .msgid = msgid, .subject = subject, .url = url,
			          .object_type = object_type, .object_id = object_id,
			          .actor_id = actor, .follower_msgid = STORE_EVENT_PERSONAL };
		rc = store_event_add(s, &e, to, n, NULL);
	}
	arena_free(&a);
	return rc;
}

static store_rc tell_item(store *s, const brief *b, const char *kind, const char *msgid,
                          int64_t actor)
{
	arena a;
	arena_init(&a, 0);
	const char *url = arena_printf(&a, "/input/items/%lld", (long long)b->id);
	const char *subject = input_excerpt(&a, b->text, 60);
	store_rc rc = url && subject ? tell(s, item_authors_sql, b->id, kind, msgid, subject, url,
	                                    "input", b->id, actor)
	                             : STORE_ERROR;
	arena_free(&a);
	return rc;
}

static store_rc tell_group(store *s, const gbrief *g, const char *kind, const char *msgid,
                           int64_t actor)
{
	arena a;
	arena_init(&a, 0);
	const char *url = arena_printf(&a, "/input/groups/%lld", (long long)g->id);
	store_rc rc = url ? tell(s, group_authors_sql, g->id, kind, msgid, g->title, url,
	                         "input_group", g->id, actor)
	                  : STORE_ERROR;
	arena_free(&a);
	return rc;
}

/* ---- following what one's input led to ------------------------------------------------ */

typedef struct pair { int64_t user, action; } pair;

static store_rc pair_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	pair *p = db_vec_push(v);
	if (!p)
		return STORE_ERROR;
	p->user = db_int(r, 0);
	p->action = db_int(r, 1);
	return STORE_OK;
}

/* The authors of item id and of its duplicates follow every action point
 * it leads to (its own links and its group's), so the action plan's own
 * events — a new status, a progress update — reach them too
 * (store_follow_auto: whoever stopped following stays stopped). */
static store_rc follow_item(store *s, int64_t id)
{
	arena a;
	arena_init(&a, 0);
	db_vec v = { .a = &a, .size = sizeof(pair) };
	db_arg k[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT DISTINCT a.author_id, l.action_id FROM input_items a, "
	                          "input_item_links l WHERE (a.id = $1 OR a.duplicate_of = $1) AND "
	                          "l.item_id = $1 AND a.author_id IS NOT NULL AND a.removed = 0",
	                       k, 1, pair_row, &v);
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT DISTINCT a.author_id, l.action_id FROM input_items a, "
		                 "input_items x, input_group_links l WHERE x.id = $1 AND (a.id = $1 OR "
		                 "a.duplicate_of = $1) AND l.group_id = x.group_id AND "
		                 "a.author_id IS NOT NULL AND a.removed = 0",
		              k, 1, pair_row, &v);
	for (size_t i = 0; rc == STORE_OK && i < v.len; i++) {
		const pair *p = &((pair *)v.items)[i];
		rc = store_follow_auto(s, p->user, "action", p->action);
	}
	arena_free(&a);
	return rc;
}

/* follow_item for every member of a group. */
static store_rc follow_group(store *s, int64_t group_id)
{
	arena a;
	arena_init(&a, 0);
	db_vec v = { .a = &a, .size = sizeof(int64_t) };
	db_arg k[] = { DB_I(group_id) };
	store_rc rc = db_query(s, "SELECT id FROM input_items WHERE group_id = $1 ORDER BY id", k, 1,
	                       ids_row, &v);
	for (size_t i = 0; rc == STORE_OK && i < v.len; i++)
		rc = follow_item(s, ((int64_t *)v.items)[i]);
	arena_free(&a);
	return rc;
}

/* ---- status copies ------------------------------------------------------------------------------ */

static store_rc set_item_status(store *s, int64_t id, const char *status)
{
	db_arg a[] = { DB_S(status), DB_I(id), DB_I(db_now()) };
	return db_exec(s, "UPDATE input_items SET status = $1, updated_at = $3 WHERE id = $2 OR "
	                  "duplicate_of = $2", a, 3, NULL, NULL);
}

static store_rc set_group_status(store *s, int64_t group_id, const char *status)
{
	db_arg a[] = { DB_S(status), DB_I(group_id), DB_I(db_now()) };
	store_rc rc = db_exec(s, "UPDATE input_groups SET status = $1, updated_at = $3 WHERE id = $2",
	                      a, 3, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE input_items SET status = $1, updated_at = $3 WHERE group_id = $2 "
		                "OR duplicate_of IN (SELECT id FROM input_items WHERE group_id = $2)",
		             a, 3, NULL, NULL);
	return rc;
}

/* ---- triage -------------------------------------------------------------------------------------- */

typedef struct triage_ctx {
	int64_t     id, theme_id, actor;
	const char *status;
	input_refusal why;
} triage_ctx;

static store_rc triage_tx(store *s, void *ctx)
{
	triage_ctx *c = ctx;
	c->why = INPUT_OK;
	brief b;
	store_rc rc = item_brief(s, c->id, &b);
	if (rc != STORE_OK)
		return rc;
	bool changes = c->status && strcmp(c->status, b.status) != 0;
	if (changes && (b.group_id || b.duplicate_of)) {
		c->why = INPUT_IN_GROUP;
		return STORE_INVALID;
	}
	db_arg a[] = { c->theme_id ? DB_I(c->theme_id) : DB_NUL, DB_I(c->id), DB_I(db_now()) };
	rc = db_exec(s, "UPDATE input_items SET theme_id = $1, updated_at = $3 WHERE id = $2", a, 3,
	             NULL, NULL);
	if (rc == STORE_OK && changes)
		rc = set_item_status(s, c->id, c->status);
	if (rc == STORE_OK && changes)
		rc = tell_item(s, &b, "input.status", "The status of your input “%s” has changed.",
		               c->actor);
	return rc;
}

store_rc input_store_triage(store *s, int64_t id, int64_t theme_id, const char *status,
                            int64_t actor_id)
{
	triage_ctx c = { id, theme_id, actor_id, status, INPUT_OK };
	return store_tx(s, triage_tx, &c);
}

/* ---- responses ------------------------------------------------------------------------------------ */

typedef struct respond_ctx {
	int64_t     item_id, group_id, actor;
	const char *status, *body;
	input_refusal why;
} respond_ctx;

static store_rc respond_tx(store *s, void *ctx)
{
	respond_ctx *c = ctx;
	c->why = INPUT_OK;
	if (!c->status || !strcmp(c->status, "new") || !input_status_valid(c->status)) {
		c->why = INPUT_NO_STATUS;
		return STORE_INVALID;
	}
	int64_t version = 0;
	store_rc rc;
	if (c->item_id) {
		brief b;
		rc = item_brief(s, c->item_id, &b);
		if (rc != STORE_OK) {
			c->why = INPUT_GONE;
			return rc;
		}
		if (b.group_id || b.duplicate_of) {
			c->why = INPUT_IN_GROUP;
			return STORE_INVALID;
		}
		db_arg k[] = { DB_I(c->item_id) };
		rc = db_query(s, "SELECT COALESCE(max(version), 0) FROM input_responses WHERE item_id = $1",
		              k, 1, int_row, &version);
		db_arg a[] = { DB_I(c->item_id), DB_I(version + 1), DB_S(c->status), DB_S(c->body),
			       c->actor ? DB_I(c->actor) : DB_NUL, DB_I(db_now()) };
		if (rc == STORE_OK)
			rc = db_exec(s, "INSERT INTO input_responses (item_id, version, status, body, "
			                "author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
			             a, 6, NULL, NULL);
		if (rc == STORE_OK)
			rc = set_item_status(s, c->item_id, c->status);
		if (rc == STORE_OK)
			rc = tell_item(s, &b, "input.response", "Your input “%s” has a response.",
			               c->actor);
		return rc;
	}
	gbrief g;
	rc = group_brief(s, c->group_id, &g);
	if (rc != STORE_OK) {
		c->why = INPUT_GONE;
		return rc;
	}
	db_arg k[] = { DB_I(c->group_id) };
	rc = db_query(s, "SELECT COALESCE(max(version), 0) FROM input_responses WHERE group_id = $1",
	              k, 1, int_row, &version);
	db_arg a[] = { DB_I(c->group_id), DB_I(version + 1), DB_S(c->status), DB_S(c->body),
		       c->actor ? DB_I(c->actor) : DB_NUL, DB_I(db_now()) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO input_responses (group_id, version, status, body, author_id, "
		                "created_at) VALUES ($1, $2, $3, $4, $5, $6)",
		             a, 6, NULL, NULL);
	if (rc == STORE_OK)
		rc = set_group_status(s, c->group_id, c->status);
	if (rc == STORE_OK)
		rc = tell_group(s, &g, "input.group_response",
		                "“%s”, where your input belongs, has a response.", c->actor);
	return rc;
}

store_rc input_store_respond(store *s, int64_t item_id, int64_t group_id, const char *status,
                             const char *body, int64_t actor_id, input_refusal *why)
{
	respond_ctx c = { item_id, group_id, actor_id, status, body, INPUT_OK };
	store_rc rc = store_tx(s, respond_tx, &c);
	if (why)
		*why = c.why;
	return rc;
}

static store_rc response_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	input_response *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = (input_response){ .id = db_int(r, 0), .item_id = db_int(r, 1),
		               .group_id = db_int(r, 2), .version = (int)db_int(r, 3),
		               .status = db_text(v->a, r, 4), .body = db_text(v->a, r, 5),
		               .author_name = db_text(v->a, r, 6), .created_at = db_int(r, 7) };
	return x->status && x->body && x->author_name ? STORE_OK : STORE_ERROR;
}

store_rc input_store_responses(store *s, arena *a, int64_t item_id, int64_t group_id,
                               input_response **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg k[] = { DB_I(item_id), DB_I(group_id) };
	store_rc rc = db_query(s, "SELECT r.id, COALESCE(r.item_id, 0), COALESCE(r.group_id, 0), "
	                          "r.version, r.status, r.body, COALESCE(u.name, ''), r.created_at "
	                          "FROM input_responses r LEFT JOIN users u ON u.id = r.author_id "
	                          "WHERE ($1 <> 0 AND r.item_id = $1) OR ($2 <> 0 AND r.group_id = $2) "
	                          "ORDER BY r.version DESC",
	                       k, 2, response_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

/* ---- links to action points ---------------------------------------------------------------------- */

int64_t input_store_action_plan(store *s, int64_t action_id)
{
	int64_t plan_id = 0;
	db_arg a[] = { DB_I(action_id) };
	if (db_query(s, "SELECT plan_id FROM action_points WHERE id = $1 AND published_at > 0", a, 1,
	             int_row, &plan_id) != STORE_OK)
		return 0;
	return plan_id;
}

typedef struct link_ctx {
	int64_t item_id, group_id, action_id;
	bool    on;
	input_refusal why;
} link_ctx;

static store_rc title_row(const db_row *r, void *ctx)
{
	snprintf(ctx, 200, "%s", db_text_ref(r, 0));
	return STORE_OK;
}

static store_rc link_tx(store *s, void *ctx)
{
	link_ctx *c = ctx;
	c->why = INPUT_OK;
	int64_t plan_id = 0;
	brief b = { 0 };
	gbrief g = { 0 };
	store_rc rc = c->item_id ? item_brief(s, c->item_id, &b) : group_brief(s, c->group_id, &g);
	if (rc != STORE_OK) {
		c->why = INPUT_GONE;
		return rc;
	}
	plan_id = c->item_id ? b.plan_id : g.plan_id;
	db_arg a[] = { c->item_id ? DB_I(c->item_id) : DB_I(c->group_id), DB_I(c->action_id),
		       DB_I(db_now()) };
	if (!c->on) {
		int changes = 0;
		rc = db_exec(s, c->item_id ? "DELETE FROM input_item_links WHERE item_id = $1 AND "
		                             "action_id = $2 AND $3 = $3"
		                           : "DELETE FROM input_group_links WHERE group_id = $1 AND "
		                             "action_id = $2 AND $3 = $3",
		             a, 3, NULL, &changes);
		if (rc == STORE_OK && !changes) {
			c->why = INPUT_GONE;
			rc = STORE_NOTFOUND;
		}
		return rc;
	}
	int64_t action_plan = input_store_action_plan(s, c->action_id);
	if (!action_plan) {
		c->why = INPUT_GONE;
		return STORE_NOTFOUND;
	}
	if (action_plan != plan_id) {
		c->why = INPUT_OTHER_PLAN;
		return STORE_INVALID;
	}
	int changes = 0;
	rc = db_exec(s, c->item_id ? "INSERT INTO input_item_links (item_id, action_id, created_at) "
	                             "VALUES ($1, $2, $3) ON CONFLICT (item_id, action_id) DO NOTHING"
	                           : "INSERT INTO input_group_links (group_id, action_id, created_at) "
	                             "VALUES ($1, $2, $3) ON CONFLICT (group_id, action_id) DO NOTHING",
	             a, 3, NULL, &changes);
	if (rc != STORE_OK || !changes)
		return rc;
	rc = c->item_id ? follow_item(s, c->item_id) : follow_group(s, c->group_id);
	if (rc != STORE_OK)
		return rc;
	/* The people whose input it is hear which action point it led to. */
	char title[200] = "";
	db_arg t[] = { DB_I(c->action_id) };
	rc = db_query(s, "SELECT title FROM action_points WHERE id = $1", t, 1, title_row, title);
	char url[64];
	snprintf(url, sizeof url, "/actions/%lld", (long long)c->action_id);
	if (rc == STORE_OK)
		rc = c->item_id ? tell(s, item_authors_sql, c->item_id, "input.linked",
		                       "Your input led to the action point “%s”.", title, url,
		                       "action", c->action_id, 0)
		                : tell(s, group_authors_sql, c->group_id, "input.linked",
		                       "Your input led to the action point “%s”.", title, url,
		                       "action", c->action_id, 0);
	return rc;
}

store_rc input_store_link(store *s, int64_t item_id, int64_t group_id, int64_t action_id,
                          bool on, input_refusal *why)
{
	link_ctx c = { item_id, group_id, action_id, on, INPUT_OK };
	store_rc rc = store_tx(s, link_tx, &c);
	if (why)
		*why = c.why;
	return rc;
}

static store_rc link_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	input_link *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = (input_link){ .item_id = db_int(r, 0), .group_id = db_int(r, 1),
		           .action_id = db_int(r, 2), .title = db_text(v->a, r, 3),
		           .status = db_text(v->a, r, 4), .percent = (int)db_int(r, 5),
		           .published_at = db_int(r, 6) };
	return x->title && x->status ? STORE_OK : STORE_ERROR;
}

/* An action point's columns for a link: title, status, the latest update's
 * percent (-1 without updates; 100 once completed), published. */
#define ACTION_COLS \
	"p.id, p.title, p.status, CASE WHEN p.status = 'completed' THEN 100 ELSE COALESCE(" \
	"(SELECT u.percent FROM action_updates u WHERE u.action_id = p.id ORDER BY u.posted_on " \
	"DESC, u.id DESC LIMIT 1), -1) END, p.published_at"

store_rc input_store_item_links(store *s, arena *a, int64_t item_id, input_link **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg k[] = { DB_I(item_id) };
	store_rc rc = db_query(
		s, "SELECT $1, 0, " ACTION_COLS " FROM action_points p WHERE p.published_at > 0 AND "
		   "p.id IN (SELECT l.action_id FROM input_item_links l, input_items i WHERE i.id = $1 "
		   "AND l.item_id = COALESCE(i.duplicate_of, i.id) UNION SELECT l.action_id FROM "
		   "input_group_links l, input_items i LEFT JOIN input_items o ON o.id = i.duplicate_of "
		   "WHERE i.id = $1 AND l.group_id = CASE WHEN i.duplicate_of IS NULL THEN i.group_id "
		   "ELSE o.group_id END) ORDER BY lower(p.title), p.title, p.id",
		k, 1, link_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc input_store_group_links(store *s, arena *a, int64_t group_id, input_link **out,
                                 size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg k[] = { DB_I(group_id) };
	store_rc rc = db_query(s, "SELECT 0, $1, " ACTION_COLS " FROM action_points p WHERE "
	                          "p.published_at > 0 AND p.id IN (SELECT action_id FROM "
	                          "input_group_links WHERE group_id = $1) "
	                          "ORDER BY lower(p.title), p.title, p.id",
	                       k, 1, link_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc input_store_links_of(store *s, arena *a, const int64_t *ids, size_t nids,
                              input_link **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < nids; i++) {
		input_link *ls;
		size_t nl;
		rc = input_store_item_links(s, a, ids[i], &ls, &nl);
		for (size_t k = 0; rc == STORE_OK && k < nl; k++) {
			input_link *x = db_vec_push(&v);
			if (!x)
				rc = STORE_ERROR;
			else
				*x = ls[k];
		}
	}
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc input_store_plan_links(store *s, arena *a, int64_t plan_id, input_link **out,
                                size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg k[] = { DB_I(plan_id) };
	store_rc rc = db_query(s, "SELECT l.item_id, 0, " ACTION_COLS " FROM input_item_links l, "
	                          "action_points p WHERE p.id = l.action_id AND p.published_at > 0 "
	                          "AND p.plan_id = $1 UNION ALL SELECT 0, l.group_id, " ACTION_COLS
	                          " FROM input_group_links l, action_points p WHERE p.id = l.action_id "
	                          "AND p.published_at > 0 AND p.plan_id = $1 ORDER BY 1, 2, 4",
	                       k, 1, link_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc input_store_actions(store *s, arena *a, int64_t plan_id, input_link **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg k[] = { DB_I(plan_id) };
	store_rc rc = db_query(s, "SELECT 0, 0, " ACTION_COLS " FROM action_points p WHERE "
	                          "p.plan_id = $1 AND p.published_at > 0 AND p.archived_at = 0 "
	                          "ORDER BY lower(p.title), p.title, p.id",
	                       k, 1, link_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

/* ---- duplicates and groups -------------------------------------------------------------------- */

typedef struct dup_ctx {
	int64_t id, of, actor;
	input_refusal why;
} dup_ctx;

static store_rc dup_tx(store *s, void *ctx)
{
	dup_ctx *c = ctx;
	c->why = INPUT_OK;
	brief b, o;
	store_rc rc = item_brief(s, c->id, &b);
	if (rc != STORE_OK) {
		c->why = INPUT_GONE;
		return rc;
	}
	if (!c->of) {
		db_arg a[] = { DB_I(c->id) };
		return db_exec(s, "UPDATE input_items SET duplicate_of = NULL WHERE id = $1", a, 1, NULL,
		               NULL);
	}
	if (c->of == c->id) {
		c->why = INPUT_SELF;
		return STORE_INVALID;
	}
	rc = item_brief(s, c->of, &o);
	if (rc != STORE_OK) {
		c->why = INPUT_GONE;
		return rc;
	}
	if (o.duplicate_of) { /* the original of a duplicate is the original */
		int64_t root = o.duplicate_of;
		rc = item_brief(s, root, &o);
		if (rc != STORE_OK) {
			c->why = INPUT_GONE;
			return rc;
		}
	}
	if (o.id == c->id) {
		c->why = INPUT_SELF;
		return STORE_INVALID;
	}
	if (o.plan_id != b.plan_id) {
		c->why = INPUT_OTHER_PLAN;
		return STORE_INVALID;
	}
	/* Its own duplicates now point at the original too; it leaves its
	 * group (the original carries the grouping) and takes the original's
	 * status. */
	db_arg a[] = { DB_I(o.id), DB_I(c->id), DB_S(o.status), DB_I(db_now()) };
	rc = db_exec(s, "UPDATE input_items SET duplicate_of = $1, status = $3, updated_at = $4 "
	                "WHERE duplicate_of = $2", a, 4, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE input_items SET duplicate_of = $1, group_id = NULL, status = $3, "
		                "updated_at = $4 WHERE id = $2", a, 4, NULL, NULL);
	if (rc == STORE_OK)
		rc = follow_item(s, o.id);
	if (rc == STORE_OK && strcmp(b.status, o.status))
		rc = tell_item(s, &b, "input.status", "The status of your input “%s” has changed.",
		               c->actor);
	return rc;
}

store_rc input_store_duplicate(store *s, int64_t id, int64_t of, int64_t actor_id,
                               input_refusal *why)
{
	dup_ctx c = { id, of, actor_id, INPUT_OK };
	store_rc rc = store_tx(s, dup_tx, &c);
	if (why)
		*why = c.why;
	return rc;
}

/* Puts item b in group g (inside a transaction): it stops being a
 * duplicate, and takes the group's status once the group has one. */
static store_rc join_group(store *s, const brief *b, const gbrief *g, int64_t actor)
{
	db_arg a[] = { DB_I(g->id), DB_I(b->id), DB_I(db_now()) };
	store_rc rc = db_exec(s, "UPDATE input_items SET group_id = $1, duplicate_of = NULL, "
	                         "updated_at = $3 WHERE id = $2", a, 3, NULL, NULL);
	if (rc == STORE_OK)
		rc = follow_item(s, b->id);
	if (rc == STORE_OK && strcmp(g->status, "new") && strcmp(g->status, b->status)) {
		rc = set_item_status(s, b->id, g->status);
		if (rc == STORE_OK)
			rc = tell_item(s, b, "input.status", "The status of your input “%s” has changed.",
			               actor);
	}
	return rc;
}

typedef struct gi_ctx {
	int64_t id, group_id, actor;
	input_refusal why;
} gi_ctx;

static store_rc group_item_tx(store *s, void *ctx)
{
	gi_ctx *c = ctx;
	c->why = INPUT_OK;
	brief b;
	store_rc rc = item_brief(s, c->id, &b);
	if (rc != STORE_OK) {
		c->why = INPUT_GONE;
		return rc;
	}
	if (!c->group_id) {
		db_arg a[] = { DB_I(c->id) };
		return db_exec(s, "UPDATE input_items SET group_id = NULL WHERE id = $1", a, 1, NULL,
		               NULL);
	}
	gbrief g;
	rc = group_brief(s, c->group_id, &g);
	if (rc != STORE_OK) {
		c->why = INPUT_GONE;
		return rc;
	}
	if (g.plan_id != b.plan_id) {
		c->why = INPUT_OTHER_PLAN;
		return STORE_INVALID;
	}
	return join_group(s, &b, &g, c->actor);
}

store_rc input_store_group_item(store *s, int64_t id, int64_t group_id, int64_t actor_id,
                                input_refusal *why)
{
	gi_ctx c = { id, group_id, actor_id, INPUT_OK };
	store_rc rc = store_tx(s, group_item_tx, &c);
	if (why)
		*why = c.why;
	return rc;
}

typedef struct gc_ctx {
	int64_t plan_id, theme_id, quote, actor;
	const char *title, *terms;
	const int64_t *items;
	size_t nitems;
	int64_t id;
	input_refusal why;
} gc_ctx;

static store_rc group_create_tx(store *s, void *ctx)
{
	gc_ctx *c = ctx;
	c->why = INPUT_OK;
	int64_t now = db_now();
	db_arg a[] = { DB_I(c->plan_id), DB_S(c->title), c->theme_id ? DB_I(c->theme_id) : DB_NUL,
		       DB_S(c->terms ? c->terms : ""), DB_I(c->quote),
		       c->actor ? DB_I(c->actor) : DB_NUL, DB_I(now) };
	store_rc rc = db_exec(s, "INSERT INTO input_groups (plan_id, title, theme_id, terms, "
	                         "quote_item_id, created_by, created_at, updated_at) VALUES ($1, $2, "
	                         "$3, $4, $5, $6, $7, $7) RETURNING id",
	                      a, 7, &c->id, NULL);
	gbrief g;
	if (rc == STORE_OK)
		rc = group_brief(s, c->id, &g);
	for (size_t i = 0; rc == STORE_OK && i < c->nitems; i++) {
		brief b;
		rc = item_brief(s, c->items[i], &b);
		if (rc != STORE_OK) {
			c->why = INPUT_GONE;
			break;
		}
		if (b.plan_id != c->plan_id) {
			c->why = INPUT_OTHER_PLAN;
			rc = STORE_INVALID;
			break;
		}
		rc = join_group(s, &b, &g, c->actor);
	}
	return rc;
}

store_rc input_store_group_create(store *s, int64_t plan_id, const char *title, int64_t theme_id,
                                  const char *terms, int64_t quote_item_id, const int64_t *items,
                                  size_t nitems, int64_t actor_id, int64_t *id_out,
                                  input_refusal *why)
{
	gc_ctx c = { plan_id, theme_id, quote_item_id, actor_id, title, terms, items, nitems, 0,
		     INPUT_OK };
	store_rc rc = store_tx(s, group_create_tx, &c);
	if (why)
		*why = c.why;
	if (id_out)
		*id_out = rc == STORE_OK ? c.id : 0;
	return rc;
}

#define GROUP_COLS \
	"g.id, g.plan_id, g.title, g.terms, g.status, COALESCE(g.theme_id, 0), " \
	"COALESCE(t.name, ''), g.quote_item_id, (SELECT count(*) FROM input_items m WHERE " \
	"m.group_id = g.id), g.created_at, g.updated_at, COALESCE(r.id, 0), COALESCE(r.version, 0), " \
	"COALESCE(r.status, ''), COALESCE(r.body, ''), COALESCE(r.created_at, 0)"
#define GROUP_JOINS \
	" LEFT JOIN themes t ON t.id = g.theme_id LEFT JOIN input_responses r ON r.id = " \
	"(SELECT max(x.id) FROM input_responses x WHERE x.group_id = g.id)"

static store_rc group_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	input_group *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = (input_group){ .id = db_int(r, 0), .plan_id = db_int(r, 1),
		            .title = db_text(v->a, r, 2), .terms = db_text(v->a, r, 3),
		            .status = db_text(v->a, r, 4), .theme_id = db_int(r, 5),
		            .theme_name = db_text(v->a, r, 6), .quote_item_id = db_int(r, 7),
		            .members = db_int(r, 8), .created_at = db_int(r, 9),
		            .updated_at = db_int(r, 10), .answer_id = db_int(r, 11),
		            .answer_version = (int)db_int(r, 12), .answer_status = db_text(v->a, r, 13),
		            .answer_body = db_text(v->a, r, 14), .answer_at = db_int(r, 15) };
	return x->title && x->terms && x->status && x->theme_name && x->answer_status &&
	               x->answer_body ? STORE_OK : STORE_ERROR;
}

store_rc input_store_group_get(store *s, arena *a, int64_t id, input_group *out)
{
	db_vec v = { .a = a, .size = sizeof *out };
	db_arg k[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " GROUP_COLS " FROM input_groups g" GROUP_JOINS
	                          " WHERE g.id = $1", k, 1, group_row, &v);
	if (rc == STORE_OK && !v.len)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(input_group *)v.items;
	return rc;
}

store_rc input_store_groups(store *s, arena *a, int64_t plan_id, const char *source,
                            int64_t container_id, input_group **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg k[] = { DB_I(plan_id), DB_S(source ? source : ""), DB_I(container_id) };
	store_rc rc = db_query(s, "SELECT " GROUP_COLS " FROM input_groups g" GROUP_JOINS
	                          " WHERE g.plan_id = $1 AND (CAST($2 AS TEXT) = '' OR EXISTS "
	                          "(SELECT 1 FROM input_items m WHERE m.group_id = g.id AND "
	                          "m.source = $2 AND ($3 = 0 OR m.container_id = $3))) "
	                          "ORDER BY g.id DESC",
	                       k, 3, group_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

typedef struct gu_ctx {
	int64_t id, theme_id, actor;
	const char *title, *status;
} gu_ctx;

static store_rc group_update_tx(store *s, void *ctx)
{
	gu_ctx *c = ctx;
	gbrief g;
	store_rc rc = group_brief(s, c->id, &g);
	if (rc != STORE_OK)
		return rc;
	db_arg a[] = { DB_S(c->title), c->theme_id ? DB_I(c->theme_id) : DB_NUL, DB_I(c->id),
		       DB_I(db_now()) };
	rc = db_exec(s, "UPDATE input_groups SET title = $1, theme_id = $2, updated_at = $4 WHERE "
	                "id = $3", a, 4, NULL, NULL);
	/* The members take the group's theme. */
	if (rc == STORE_OK && c->theme_id)
		rc = db_exec(s, "UPDATE input_items SET theme_id = $2, updated_at = $4 WHERE group_id = "
		                "$3 AND $1 = $1", a, 4, NULL, NULL);
	if (rc == STORE_OK && c->status && strcmp(c->status, g.status)) {
		rc = set_group_status(s, c->id, c->status);
		snprintf(g.title, sizeof g.title, "%s", c->title);
		if (rc == STORE_OK)
			rc = tell_group(s, &g, "input.group_status",
			                "The status of “%s”, where your input belongs, has changed.",
			                c->actor);
	}
	return rc;
}

store_rc input_store_group_update(store *s, int64_t id, const char *title, int64_t theme_id,
                                  const char *status, int64_t actor_id)
{
	gu_ctx c = { id, theme_id, actor_id, title, status };
	return store_tx(s, group_update_tx, &c);
}

static store_rc has_responses(store *s, int64_t group_id, bool *yes)
{
	int64_t n = 0;
	db_arg k[] = { DB_I(group_id) };
	store_rc rc = db_query(s, "SELECT count(*) FROM input_responses WHERE group_id = $1", k, 1,
	                       int_row, &n);
	*yes = n > 0;
	return rc;
}

typedef struct gm_ctx {
	int64_t from, into, actor;
	input_refusal why;
} gm_ctx;

static store_rc group_merge_tx(store *s, void *ctx)
{
	gm_ctx *c = ctx;
	c->why = INPUT_OK;
	if (c->from == c->into) {
		c->why = INPUT_SELF;
		return STORE_INVALID;
	}
	gbrief f, t;
	store_rc rc = group_brief(s, c->from, &f);
	if (rc == STORE_OK)
		rc = group_brief(s, c->into, &t);
	if (rc != STORE_OK) {
		c->why = INPUT_GONE;
		return rc;
	}
	if (f.plan_id != t.plan_id) {
		c->why = INPUT_OTHER_PLAN;
		return STORE_INVALID;
	}
	bool answered;
	rc = has_responses(s, c->from, &answered);
	if (rc == STORE_OK && answered)
		return STORE_CONFLICT; /* its response would be lost: answer in the other group */
	/* Each member joins the other group (taking its status, telling its
	 * author when that changes), the links move along. */
	arena a;
	arena_init(&a, 0);
	db_vec v = { .a = &a, .size = sizeof(int64_t) };
	db_arg k[] = { DB_I(c->from) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT id FROM input_items WHERE group_id = $1 ORDER BY id", k, 1,
		              ids_row, &v);
	for (size_t i = 0; rc == STORE_OK && i < v.len; i++) {
		brief b;
		rc = item_brief(s, ((int64_t *)v.items)[i], &b);
		if (rc == STORE_OK)
			rc = join_group(s, &b, &t, c->actor);
	}
	arena_free(&a);
	db_arg m[] = { DB_I(c->from), DB_I(c->into) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO input_group_links (group_id, action_id, created_at) "
		                "SELECT $2, action_id, created_at FROM input_group_links WHERE "
		                "group_id = $1 ON CONFLICT (group_id, action_id) DO NOTHING",
		             m, 2, NULL, NULL);
	if (rc == STORE_OK)
		rc = follow_group(s, c->into);
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE input_threads SET group_id = $2 WHERE group_id = $1", m, 2, NULL,
		             NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM input_groups WHERE id = $1 AND $2 = $2", m, 2, NULL, NULL);
	return rc;
}

store_rc input_store_group_merge(store *s, int64_t from, int64_t into, int64_t actor_id,
                                 input_refusal *why)
{
	gm_ctx c = { from, into, actor_id, INPUT_OK };
	store_rc rc = store_tx(s, group_merge_tx, &c);
	if (why)
		*why = c.why;
	return rc;
}

static store_rc group_delete_tx(store *s, void *ctx)
{
	int64_t id = *(int64_t *)ctx;
	gbrief g;
	store_rc rc = group_brief(s, id, &g);
	bool answered = false;
	if (rc == STORE_OK)
		rc = has_responses(s, id, &answered);
	if (rc == STORE_OK && answered)
		return STORE_INVALID;
	db_arg k[] = { DB_I(id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM input_groups WHERE id = $1", k, 1, NULL, NULL);
	return rc;
}

store_rc input_store_group_delete(store *s, int64_t id)
{
	return store_tx(s, group_delete_tx, &id);
}

/* ---- what led to an action point ------------------------------------------------------------------ */

store_rc input_store_for_action(store *s, arena *a, int64_t action_id, input_group **gs,
                                size_t *ng, input_item **is, size_t *ni)
{
	db_vec v = { .a = a, .size = sizeof **gs };
	db_arg k[] = { DB_I(action_id) };
	store_rc rc = db_query(s, "SELECT " GROUP_COLS " FROM input_groups g" GROUP_JOINS
	                          " WHERE g.id IN (SELECT group_id FROM input_group_links WHERE "
	                          "action_id = $1) ORDER BY g.id",
	                       k, 1, group_row, &v);
	*gs = v.items;
	*ng = v.len;
	*is = NULL;
	*ni = 0;
	if (rc != STORE_OK)
		return rc;
	db_vec ids = { .a = a, .size = sizeof(int64_t) };
	rc = db_query(s, "SELECT item_id FROM input_item_links WHERE action_id = $1 ORDER BY item_id",
	              k, 1, ids_row, &ids);
	input_item *items = ids.len ? arena_calloc(a, ids.len, sizeof *items) : NULL;
	if (ids.len && !items)
		rc = STORE_ERROR;
	size_t n = 0;
	for (size_t i = 0; rc == STORE_OK && i < ids.len; i++) {
		rc = input_store_get(s, a, ((int64_t *)ids.items)[i], &items[n]);
		if (rc == STORE_OK)
			n++;
		else if (rc == STORE_NOTFOUND)
			rc = STORE_OK;
	}
	*is = items;
	*ni = n;
	return rc;
}

/* ---- bulk ------------------------------------------------------------------------------------------ */

typedef struct bulk_ctx {
	int64_t plan_id, id_arg, actor, group;
	const int64_t *ids;
	size_t n;
	input_bulk_op op;
	const char *status, *title;
	input_refusal why;
} bulk_ctx;

static store_rc bulk_tx(store *s, void *ctx)
{
	bulk_ctx *c = ctx;
	c->why = INPUT_OK;
	c->group = 0;
	store_rc rc = STORE_OK;
	/* Every item must be of the plan. */
	for (size_t i = 0; rc == STORE_OK && i < c->n; i++) {
		brief b;
		rc = item_brief(s, c->ids[i], &b);
		if (rc != STORE_OK)
			c->why = INPUT_GONE;
		else if (b.plan_id != c->plan_id) {
			c->why = INPUT_OTHER_PLAN;
			rc = STORE_INVALID;
		}
	}
	if (rc != STORE_OK)
		return rc;
	if (c->op == INPUT_BULK_NEW_GROUP) {
		gc_ctx g = { c->plan_id, 0, c->ids[0], c->actor, c->title, "", c->ids, c->n, 0,
			     INPUT_OK };
		rc = group_create_tx(s, &g);
		c->why = g.why;
		c->group = g.id;
		return rc;
	}
	gbrief g;
	if (c->op == INPUT_BULK_GROUP) {
		rc = group_brief(s, c->id_arg, &g);
		if (rc != STORE_OK) {
			c->why = INPUT_GONE;
			return rc;
		}
		if (g.plan_id != c->plan_id) {
			c->why = INPUT_OTHER_PLAN;
			return STORE_INVALID;
		}
		c->group = g.id;
	}
	for (size_t i = 0; rc == STORE_OK && i < c->n; i++) {
		brief b;
		rc = item_brief(s, c->ids[i], &b);
		if (rc != STORE_OK)
			break;
		switch (c->op) {
		case INPUT_BULK_STATUS:
			/* Items in a group or duplicates follow their group or
			 * original: left as they are. */
			if (b.group_id || b.duplicate_of || !strcmp(b.status, c->status))
				break;
			rc = set_item_status(s, b.id, c->status);
			if (rc == STORE_OK)
				rc = tell_item(s, &b, "input.status",
				               "The status of your input “%s” has changed.", c->actor);
			break;
		case INPUT_BULK_THEME: {
			db_arg a[] = { c->id_arg ? DB_I(c->id_arg) : DB_NUL, DB_I(b.id) };
			rc = db_exec(s, "UPDATE input_items SET theme_id = $1 WHERE id = $2", a, 2, NULL,
			             NULL);
			break;
		}
		case INPUT_BULK_GROUP:
			rc = join_group(s, &b, &g, c->actor);
			break;
		case INPUT_BULK_HIDE: {
			db_arg a[] = { DB_I(b.id) };
			rc = db_exec(s, "UPDATE input_items SET hidden_here = 1 WHERE id = $1", a, 1, NULL,
			             NULL);
			break;
		}
		default:
			break;
		}
	}
	return rc;
}

store_rc input_store_bulk(store *s, int64_t plan_id, const int64_t *ids, size_t n,
                          input_bulk_op op, const char *status, int64_t id_arg,
                          const char *title, int64_t actor_id, int64_t *group_out,
                          input_refusal *why)
{
	bulk_ctx c = { .plan_id = plan_id, .id_arg = id_arg, .actor = actor_id, .ids = ids, .n = n,
		       .op = op, .status = status, .title = title };
	store_rc rc = n ? store_tx(s, bulk_tx, &c) : STORE_OK;
	if (why)
		*why = c.why;
	if (group_out)
		*group_out = rc == STORE_OK ? c.group : 0;
	return rc;
}

store_rc input_store_demo_dates(store *s, int64_t input_before, int64_t answered_at)
{
	/* Responses to input that came in before input_before are dated from
	 * answered_at on, a minute apart in the order they were written. */
	db_arg a[] = { DB_I(answered_at), DB_I(input_before) };
	return db_exec(s, "UPDATE input_responses SET created_at = $1 + 60 * id WHERE "
	                  "item_id IN (SELECT id FROM input_items WHERE created_at < $2) OR "
	                  "group_id IN (SELECT g.id FROM input_groups g WHERE NOT EXISTS (SELECT 1 "
	                  "FROM input_items i WHERE i.group_id = g.id AND i.created_at >= $2))",
	               a, 2, NULL, NULL);
}
