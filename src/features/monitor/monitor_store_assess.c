/* monitor_store_assess.c — SQL for the OGP's assessment of action points
 * (the holder's self-assessment, the organiser's final text and the
 * independent reviewer's finding, one row per voice; each forum member's
 * own review), the holder's reaction to the finding, and the concerns
 * that forum members flag. Each change that someone should hear about
 * writes its event in the same transaction. Rights are the handlers'.
 */
#include <string.h>

#include "../../store/db.h"
#include "monitor.h"

const char *const monitor_voices[] = { "holder", "forum", "organiser", "irm", NULL };

static store_rc id_row(const db_row *r, void *ctx)
{
	int64_t *v = db_vec_push(ctx);
	if (!v)
		return STORE_ERROR;
	*v = db_int(r, 0);
	return STORE_OK;
}

/* The contact persons of the action point's holders (except `except`),
 * and with `organisers` every organiser and admin too, each once. */
static store_rc people_of(store *s, arena *a, int64_t action_id, int64_t except, bool organisers,
                          int64_t **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(int64_t) };
	db_arg args[] = { DB_I(action_id), DB_I(except), DB_I(organisers) };
	store_rc rc = db_query(s, "SELECT contact_id FROM action_holders WHERE action_id = $1 AND "
	                          "contact_id IS NOT NULL AND contact_id <> $2 UNION "
	                          "SELECT id FROM users WHERE $3 = 1 AND role IN ('organiser', 'admin') "
	                          "AND id <> $2 ORDER BY 1",
	                       args, 3, id_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

/* One event about action point action_id to the people in to, and to
 * the action point's followers (who read follower_msgid: NULL for the same
 * text), inside the caller's transaction. */
static store_rc tell(store *s, int64_t action_id, int64_t actor, const char *kind,
                     const char *msgid, const char *follower_msgid, const char *where,
                     const int64_t *to, size_t n)
{
	arena ar;
	arena_init(&ar, 0);
	act_point p;
	store_rc rc = act_store_get(s, &ar, action_id, &p);
	const char *url = arena_printf(&ar, "/actions/%lld%s", (long long)action_id, where);
	if (rc == STORE_OK) {
		store_event e = { .kind = kind, .msgid = msgid, .subject = p.title,
			          .url = url ? url : "/actions", .object_type = "action",
			          .object_id = action_id, .actor_id = actor,
			          .follower_msgid = follower_msgid };
		rc = store_event_add(s, &e, to, n, NULL);
	}
	arena_free(&ar);
	return rc;
}

/* ---- assessments ---- */

static store_rc assessment_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_assessment *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	x->action_id = db_int(r, 0);
	x->review_id = db_int(r, 3);
	x->reviewer_id = db_int(r, 4);
	x->org_id = db_int(r, 6);
	const char **txt[] = { &x->action_title, &x->voice, NULL, NULL, &x->reviewer_name, NULL,
		               &x->org_name, &x->verifiable, &x->lens, &x->ogp_values,
		               &x->potential, &x->design_note, &x->completion, &x->opened,
		               &x->end_note };
	for (int i = 0; i < (int)(sizeof txt / sizeof *txt); i++)
		if (txt[i] && !(*txt[i] = db_text(v->a, r, 1 + i)))
			return STORE_ERROR;
	x->updated_at = db_int(r, 16);
	return STORE_OK;
}

#define ASSESS_FIELDS "verifiable, lens, ogp_values, potential, design_note, completion, " \
	"opened, end_note, "
#define ASSESS_SELECT(where)                                                                  \
	"SELECT a.action_id, p.title, a.voice, 0, 0, '', 0, '', a.verifiable, a.lens, "      \
	"a.ogp_values, a.potential, a.design_note, a.completion, a.opened, a.end_note, "      \
	"a.updated_at FROM monitor_assessments a JOIN action_points p ON p.id = a.action_id " \
	"WHERE " where " UNION ALL "                                                          \
	"SELECT r.action_id, p.title, 'forum', r.id, COALESCE(r.reviewer_id, 0), "            \
	"COALESCE(u.name, ''), COALESCE(r.org_id, 0), COALESCE(o.name, ''), r.verifiable, "   \
	"r.lens, r.ogp_values, r.potential, r.design_note, r.completion, r.opened, "          \
	"r.end_note, r.updated_at FROM monitor_reviews r JOIN action_points p ON "           \
	"p.id = r.action_id LEFT JOIN users u ON u.id = r.reviewer_id LEFT JOIN "             \
	"organisations o ON o.id = r.org_id WHERE " where " ORDER BY 1, 3, 4"

store_rc monitor_store_assessments(store *s, arena *a, int64_t action_id, int64_t plan_id,
                                   monitor_assessment **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(monitor_assessment) };
	store_rc rc;
	if (action_id) {
		db_arg args[] = { DB_I(action_id) };
		rc = db_query(s, ASSESS_SELECT("p.id = $1"), args, 1, assessment_row, &v);
	} else {
		db_arg args[] = { DB_I(plan_id) };
		rc = db_query(s, ASSESS_SELECT("p.plan_id = $1 AND p.published_at <> 0 AND "
		                               "p.archived_at = 0"),
		              args, 1, assessment_row, &v);
	}
	*out = v.items;
	*n = v.len;
	return rc;
}

typedef struct assess_ctx {
	const monitor_assessment *x;
	int64_t user_id;
} assess_ctx;

static store_rc assessment_tx(store *s, void *ctx)
{
	assess_ctx *c = ctx;
	const monitor_assessment *x = c->x;
	store_rc rc;
	if (!strcmp(x->voice, "forum")) {
		db_arg a[] = { DB_I(x->action_id), DB_I(x->reviewer_id), x->org_id ? DB_I(x->org_id) : DB_NUL,
			       DB_S(x->verifiable), DB_S(x->lens), DB_S(x->ogp_values),
			       DB_S(x->potential), DB_S(x->design_note), DB_S(x->completion),
			       DB_S(x->opened), DB_S(x->end_note), DB_I(db_now()) };
		rc = db_exec(s, "INSERT INTO monitor_reviews (action_id, reviewer_id, org_id, "
		                ASSESS_FIELDS "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
		                "$10, $11, $12) ON CONFLICT (action_id, reviewer_id) DO UPDATE SET "
		                "org_id = excluded.org_id, verifiable = excluded.verifiable, "
		                "lens = excluded.lens, ogp_values = excluded.ogp_values, "
		                "potential = excluded.potential, design_note = excluded.design_note, "
		                "completion = excluded.completion, opened = excluded.opened, "
		                "end_note = excluded.end_note, updated_at = excluded.updated_at",
		             a, 12, NULL, NULL);
	} else {
		db_arg a[] = { DB_I(x->action_id), DB_S(x->voice), DB_S(x->verifiable), DB_S(x->lens),
			       DB_S(x->ogp_values), DB_S(x->potential), DB_S(x->design_note),
			       DB_S(x->completion), DB_S(x->opened), DB_S(x->end_note),
			       c->user_id ? DB_I(c->user_id) : DB_NUL, DB_I(db_now()) };
		rc = db_exec(s, "INSERT INTO monitor_assessments (action_id, voice, " ASSESS_FIELDS
		                "updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
		                "$10, $11, $12) ON CONFLICT (action_id, voice) DO UPDATE SET "
		                "verifiable = excluded.verifiable, lens = excluded.lens, "
		                "ogp_values = excluded.ogp_values, potential = excluded.potential, "
		                "design_note = excluded.design_note, completion = excluded.completion, "
		                "opened = excluded.opened, end_note = excluded.end_note, "
		                "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
		             a, 12, NULL, NULL);
	}
	/* The holders hear of the reviewer's finding (they may react) and of a
	 * forum member's review; a reviewer follows what they reviewed. */
	if (rc == STORE_OK && !strcmp(x->voice, "forum") && x->reviewer_id && !x->quiet)
		rc = store_follow_auto(s, x->reviewer_id, "action", x->action_id);
	bool irm = !strcmp(x->voice, "irm"), forum = !strcmp(x->voice, "forum");
	if (rc == STORE_OK && (irm || forum) && !x->quiet) {
		arena ar;
		arena_init(&ar, 0);
		int64_t *to = NULL;
		size_t n = 0;
		rc = people_of(s, &ar, x->action_id, c->user_id, false, &to, &n);
		if (rc == STORE_OK)
			rc = irm ? tell(s, x->action_id, c->user_id, "monitor.finding",
			                N_("The independent reviewer's finding on “%s” is in. You can react to it."),
			                N_("The independent reviewer's finding on “%s” is in."),
			                "#assessment", to, n)
			         : tell(s, x->action_id, c->user_id, "monitor.review",
			                N_("A member of the stakeholder forum reviewed “%s”."), NULL,
			                "#assessment", to, n);
		arena_free(&ar);
	}
	return rc;
}

store_rc monitor_store_assessment_set(store *s, const monitor_assessment *x, int64_t user_id)
{
	assess_ctx c = { x, user_id };
	return store_tx(s, assessment_tx, &c);
}

/* ---- reactions ---- */

static store_rc reaction_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_reaction *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	x->action_id = db_int(r, 0);
	x->body = db_text(v->a, r, 1);
	x->updated_at = db_int(r, 2);
	return x->body ? STORE_OK : STORE_ERROR;
}

store_rc monitor_store_reactions(store *s, arena *a, int64_t action_id, int64_t plan_id,
                                 monitor_reaction **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(monitor_reaction) };
	db_arg args[] = { DB_I(action_id), DB_I(plan_id) };
	store_rc rc = db_query(s, "SELECT x.action_id, x.body, x.updated_at FROM monitor_reactions x "
	                          "JOIN action_points p ON p.id = x.action_id WHERE "
	                          "(($1 <> 0 AND p.id = $1) OR ($1 = 0 AND p.plan_id = $2 AND "
	                          "p.published_at <> 0 AND p.archived_at = 0)) ORDER BY x.action_id",
	                       args, 2, reaction_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc monitor_store_reaction_set(store *s, int64_t action_id, const char *body,
                                    int64_t user_id)
{
	db_arg a[] = { DB_I(action_id), DB_S(body), user_id ? DB_I(user_id) : DB_NUL,
		       DB_I(db_now()) };
	return db_exec(s, "INSERT INTO monitor_reactions (action_id, body, updated_by, updated_at) "
	                  "VALUES ($1, $2, $3, $4) ON CONFLICT (action_id) DO UPDATE SET "
	                  "body = excluded.body, updated_by = excluded.updated_by, "
	                  "updated_at = excluded.updated_at",
	               a, 4, NULL, NULL);
}

/* ---- concerns ---- */

#define CONCERN_COLS                                                                           \
	"c.id, c.action_id, p.title, COALESCE(c.author_id, 0), COALESCE(u.name, ''), "          \
	"COALESCE(c.org_id, 0), COALESCE(o.name, ''), c.body, c.status, c.answer, c.close_note, " \
	"c.answered_at, c.closed_at, c.created_at FROM monitor_concerns c JOIN action_points p " \
	"ON p.id = c.action_id LEFT JOIN users u ON u.id = c.author_id LEFT JOIN organisations o " \
	"ON o.id = c.org_id "

static store_rc concern_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_concern *c = db_vec_push(v);
	if (!c)
		return STORE_ERROR;
	c->id = db_int(r, 0);
	c->action_id = db_int(r, 1);
	c->author_id = db_int(r, 3);
	c->org_id = db_int(r, 5);
	const char **txt[] = { &c->action_title, NULL, &c->author_name, NULL, &c->org_name,
		               &c->body, &c->status, &c->answer, &c->close_note };
	for (int i = 0; i < (int)(sizeof txt / sizeof *txt); i++)
		if (txt[i] && !(*txt[i] = db_text(v->a, r, 2 + i)))
			return STORE_ERROR;
	c->answered_at = db_int(r, 11);
	c->closed_at = db_int(r, 12);
	c->created_at = db_int(r, 13);
	return STORE_OK;
}

store_rc monitor_store_concerns(store *s, arena *a, int64_t action_id, int64_t plan_id,
                                monitor_concern **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(monitor_concern) };
	store_rc rc;
	if (action_id) {
		db_arg args[] = { DB_I(action_id) };
		rc = db_query(s, "SELECT " CONCERN_COLS "WHERE c.action_id = $1 ORDER BY c.id DESC",
		              args, 1, concern_row, &v);
	} else {
		db_arg args[] = { DB_I(plan_id) };
		rc = db_query(s, "SELECT " CONCERN_COLS "WHERE p.plan_id = $1 AND c.status <> 'closed' "
		                 "AND p.published_at <> 0 AND p.archived_at = 0 ORDER BY c.id",
		              args, 1, concern_row, &v);
	}
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc monitor_store_concern_get(store *s, arena *a, int64_t id, monitor_concern *out)
{
	db_vec v = { .a = a, .size = sizeof(monitor_concern) };
	db_arg args[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " CONCERN_COLS "WHERE c.id = $1", args, 1, concern_row, &v);
	if (rc == STORE_OK && !v.len)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(monitor_concern *)v.items;
	return rc;
}

typedef struct concern_ctx {
	const monitor_concern *c;
	int64_t id, action_id, user_id;
	const char *text;
	bool quiet;
} concern_ctx;

static store_rc concern_add_tx(store *s, void *ctx)
{
	concern_ctx *k = ctx;
	const monitor_concern *c = k->c;
	k->id = 0;
	db_arg a[] = { DB_I(c->action_id), c->author_id ? DB_I(c->author_id) : DB_NUL,
		       c->org_id ? DB_I(c->org_id) : DB_NUL, DB_S(c->body), DB_I(db_now()) };
	store_rc rc = db_exec(s, "INSERT INTO monitor_concerns (action_id, author_id, org_id, body, "
	                         "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
	                      a, 5, &k->id, NULL);
	arena ar;
	arena_init(&ar, 0);
	int64_t *to = NULL;
	size_t n = 0;
	if (rc == STORE_OK && !c->quiet)
		rc = people_of(s, &ar, c->action_id, c->author_id, true, &to, &n);
	if (rc == STORE_OK && !c->quiet)
		rc = tell(s, c->action_id, c->author_id, "monitor.concern",
		          N_("A member of the stakeholder forum flagged a concern about “%s”."), NULL,
		          "#concerns", to, n);
	/* the member follows what they flagged: they hear of the answer */
	if (rc == STORE_OK && c->author_id && !c->quiet)
		rc = store_follow_auto(s, c->author_id, "action", c->action_id);
	arena_free(&ar);
	return rc;
}

store_rc monitor_store_concern_add(store *s, const monitor_concern *c, int64_t *id_out)
{
	concern_ctx k = { .c = c };
	store_rc rc = store_tx(s, concern_add_tx, &k);
	if (id_out)
		*id_out = rc == STORE_OK ? k.id : 0;
	return rc;
}

/* The concern's author, or 0; STORE_NOTFOUND when the concern is not on
 * the action point. */
static store_rc concern_author(store *s, int64_t action_id, int64_t id, int64_t *author)
{
	arena ar;
	arena_init(&ar, 0);
	monitor_concern c;
	store_rc rc = monitor_store_concern_get(s, &ar, id, &c);
	if (rc == STORE_OK && c.action_id != action_id)
		rc = STORE_NOTFOUND;
	*author = rc == STORE_OK ? c.author_id : 0;
	arena_free(&ar);
	return rc;
}

static store_rc concern_answer_tx(store *s, void *ctx)
{
	concern_ctx *k = ctx;
	int64_t author = 0;
	store_rc rc = concern_author(s, k->action_id, k->id, &author);
	if (rc != STORE_OK)
		return rc;
	int changes = 0;
	db_arg a[] = { DB_S(k->text), DB_I(k->user_id), DB_I(db_now()), DB_I(k->id) };
	rc = db_exec(s, "UPDATE monitor_concerns SET answer = $1, answered_by = $2, answered_at = $3, "
	                "status = 'answered' WHERE id = $4 AND status <> 'closed'",
	             a, 4, NULL, &changes);
	if (rc == STORE_OK && !changes)
		return STORE_INVALID;
	if (rc == STORE_OK && author && author != k->user_id && !k->quiet)
		rc = tell(s, k->action_id, k->user_id, "monitor.concern_answered",
		          N_("A holder answered your concern about “%s”."),
		          N_("A holder answered a concern about “%s”."), "#concerns", &author, 1);
	return rc;
}

store_rc monitor_store_concern_answer(store *s, int64_t action_id, int64_t id,
                                      const char *answer, int64_t user_id, bool quiet)
{
	concern_ctx k = { .id = id, .action_id = action_id, .user_id = user_id, .text = answer,
		          .quiet = quiet };
	return store_tx(s, concern_answer_tx, &k);
}

static store_rc concern_close_tx(store *s, void *ctx)
{
	concern_ctx *k = ctx;
	int64_t author = 0;
	store_rc rc = concern_author(s, k->action_id, k->id, &author);
	if (rc != STORE_OK)
		return rc;
	int changes = 0;
	db_arg a[] = { DB_S(k->text), DB_I(k->user_id), DB_I(db_now()), DB_I(k->id) };
	rc = db_exec(s, "UPDATE monitor_concerns SET close_note = $1, closed_by = $2, closed_at = $3, "
	                "status = 'closed' WHERE id = $4 AND status <> 'closed'",
	             a, 4, NULL, &changes);
	if (rc == STORE_OK && !changes)
		return STORE_INVALID;
	arena ar;
	arena_init(&ar, 0);
	int64_t *to = NULL;
	size_t n = 0;
	if (rc == STORE_OK)
		rc = people_of(s, &ar, k->action_id, k->user_id, false, &to, &n);
	/* the member who flagged it, and the holders, each once */
	int64_t *all = rc == STORE_OK ? arena_alloc(&ar, (n + 1) * sizeof *all) : NULL;
	size_t m = 0;
	if (rc == STORE_OK && !all)
		rc = STORE_ERROR;
	if (rc == STORE_OK) {
		if (author && author != k->user_id)
			all[m++] = author;
		for (size_t i = 0; i < n; i++)
			if (to[i] != author)
				all[m++] = to[i];
		rc = tell(s, k->action_id, k->user_id, "monitor.concern_closed",
		          N_("A concern about “%s” was closed."), NULL, "#concerns", all, m);
	}
	arena_free(&ar);
	return rc;
}

store_rc monitor_store_concern_close(store *s, int64_t action_id, int64_t id, const char *note,
                                     int64_t user_id)
{
	concern_ctx k = { .id = id, .action_id = action_id, .user_id = user_id, .text = note };
	return store_tx(s, concern_close_tx, &k);
}
