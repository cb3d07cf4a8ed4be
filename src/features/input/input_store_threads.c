/* input_store_threads.c — store queries for red threads: a run over a set
 * of items (a plan, a consultation, one question, a live poll's question,
 * a session's board, a theme), the texts it clusters, what it proposed (threads with their
 * members, terms and quote; likely duplicates), and the organiser's
 * decisions on a proposed thread: accept (it becomes a group), rename,
 * merge into another thread of the same run, split in two, dismiss.
 * The clustering itself is input_cluster.c; the job that runs it is in
 * input_threads.c.
 */
#include <string.h>

#include "../../store/db.h"
#include "input.h"

bool input_scope_valid(const char *scope)
{
	static const char *const scopes[] = { "plan", "consultation", "question", "poll_question",
		                              "session", "theme", NULL };
	for (int i = 0; scope && scopes[i]; i++)
		if (!strcmp(scopes[i], scope))
			return true;
	return false;
}

store_rc input_store_run_create(store *s, int64_t plan_id, const char *scope, int64_t scope_id,
                                int64_t actor_id, int64_t *id_out)
{
	db_arg a[] = { DB_I(plan_id), DB_S(scope), DB_I(scope_id),
		       actor_id ? DB_I(actor_id) : DB_NUL, DB_I(db_now()) };
	return db_exec(s, "INSERT INTO input_runs (plan_id, scope, scope_id, created_by, created_at) "
	                  "VALUES ($1, $2, $3, $4, $5) RETURNING id",
	               a, 5, id_out, NULL);
}

static store_rc run_row(const db_row *r, void *ctx)
{
	void **c = ctx;
	arena *a = c[0];
	input_run *x = c[1];
	*x = (input_run){ .id = db_int(r, 0), .plan_id = db_int(r, 1), .scope = db_text(a, r, 2),
		          .scope_id = db_int(r, 3), .status = db_text(a, r, 4),
		          .items = (int)db_int(r, 5), .millis = (int)db_int(r, 6),
		          .created_at = db_int(r, 7), .finished_at = db_int(r, 8) };
	*(bool *)c[2] = true;
	return x->scope && x->status ? STORE_OK : STORE_ERROR;
}

store_rc input_store_run_get(store *s, arena *a, int64_t id, input_run *out)
{
	bool found = false;
	void *c[] = { a, out, &found };
	db_arg k[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT id, plan_id, scope, scope_id, status, items, millis, "
	                          "created_at, finished_at FROM input_runs WHERE id = $1",
	                       k, 1, run_row, c);
	return rc == STORE_OK && !found ? STORE_NOTFOUND : rc;
}

static store_rc int_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

store_rc input_store_run_latest(store *s, int64_t plan_id, int64_t *id)
{
	*id = 0;
	db_arg k[] = { DB_I(plan_id) };
	return db_query(s, "SELECT id FROM input_runs WHERE plan_id = $1 ORDER BY id DESC LIMIT 1",
	                k, 1, int_row, id);
}

typedef struct docs_ctx { db_vec v; } docs_ctx;

static store_rc doc_item(const input_item *it, void *ctx)
{
	db_vec *v = ctx;
	if (!*it->text)
		return STORE_OK;
	input_doc *d = db_vec_push(v);
	if (!d)
		return STORE_ERROR;
	d->id = it->id;
	d->text = arena_strdup(v->a, it->text);
	return d->text ? STORE_OK : STORE_ERROR;
}

store_rc input_store_run_docs(store *s, arena *a, const input_run *r, input_doc **out, size_t *n)
{
	input_filter f = { .plan_id = r->plan_id, .ungrouped = true };
	if (!strcmp(r->scope, "consultation")) {
		f.source = "cons";
		f.container_id = r->scope_id;
	} else if (!strcmp(r->scope, "question")) {
		f.source = "cons";
		f.part_id = r->scope_id;
	} else if (!strcmp(r->scope, "poll_question")) {
		f.source = "poll";
		f.part_id = r->scope_id;
	} else if (!strcmp(r->scope, "session")) {
		f.source = "board";
		f.container_id = r->scope_id;
	} else if (!strcmp(r->scope, "theme")) {
		f.theme_id = r->scope_id;
	}
	db_vec v = { .a = a, .size = sizeof **out };
	store_rc rc = input_store_each(s, &f, doc_item, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc input_store_run_status(store *s, int64_t id, const char *status, int items, int millis)
{
	db_arg a[] = { DB_S(status), DB_I(items), DB_I(millis), DB_I(db_now()), DB_I(id) };
	return db_exec(s, "UPDATE input_runs SET status = $1, items = $2, millis = $3, "
	                  "finished_at = CASE WHEN $1 IN ('done', 'failed') THEN $4 ELSE 0 END "
	                  "WHERE id = $5",
	               a, 5, NULL, NULL);
}

/* Writes one proposed thread with its members (inside a transaction). */
static store_rc save_thread(store *s, int64_t run_id, int position, const input_doc *docs,
                            const input_cthread *t)
{
	int64_t tid = 0;
	db_arg a[] = { DB_I(run_id), DB_I(position), DB_S(t->label), DB_S(t->terms),
		       DB_I(docs[t->quote].id) };
	store_rc rc = db_exec(s, "INSERT INTO input_threads (run_id, position, label, terms, "
	                         "quote_item_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
	                      a, 5, &tid, NULL);
	for (size_t k = 0; rc == STORE_OK && k < t->n; k++) {
		db_arg m[] = { DB_I(tid), DB_I(docs[t->members[k]].id), DB_I(t->scores[k]) };
		rc = db_exec(s, "INSERT INTO input_thread_items (thread_id, item_id, score) VALUES "
		                "($1, $2, $3) ON CONFLICT (thread_id, item_id) DO NOTHING",
		             m, 3, NULL, NULL);
	}
	return rc;
}

typedef struct save_ctx {
	int64_t run_id;
	const input_doc *docs;
	const input_clusters *c;
	int millis;
	size_t ndocs;
} save_ctx;

static store_rc save_tx(store *s, void *ctx)
{
	save_ctx *c = ctx;
	store_rc rc = STORE_OK;
	for (size_t t = 0; rc == STORE_OK && t < c->c->nthreads; t++)
		rc = save_thread(s, c->run_id, (int)t + 1, c->docs, &c->c->threads[t]);
	for (size_t d = 0; rc == STORE_OK && d < c->c->ndups; d++) {
		const input_cdup *x = &c->c->dups[d];
		db_arg a[] = { DB_I(c->run_id), DB_I(c->docs[x->a].id), DB_I(c->docs[x->b].id),
			       DB_I(x->score) };
		rc = db_exec(s, "INSERT INTO input_dups (run_id, item_id, other_id, score) VALUES "
		                "($1, $2, $3, $4) ON CONFLICT (run_id, item_id, other_id) DO NOTHING",
		             a, 4, NULL, NULL);
	}
	if (rc == STORE_OK)
		rc = input_store_run_status(s, c->run_id, "done", (int)c->ndocs, c->millis);
	return rc;
}

store_rc input_store_run_save(store *s, int64_t run_id, const input_doc *docs,
                              const input_clusters *c, int millis)
{
	size_t nd = 0;
	for (size_t t = 0; t < c->nthreads; t++)
		nd += c->threads[t].n;
	save_ctx x = { run_id, docs, c, millis, nd + c->unclustered };
	return store_tx(s, save_tx, &x);
}

#define THREAD_COLS \
	"t.id, t.run_id, COALESCE(t.group_id, 0), t.quote_item_id, t.position, t.label, t.terms, " \
	"t.state, COALESCE((SELECT i.text FROM input_items i WHERE i.id = t.quote_item_id), ''), " \
	"(SELECT count(*) FROM input_thread_items m WHERE m.thread_id = t.id)"

static store_rc thread_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	input_thread *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = (input_thread){ .id = db_int(r, 0), .run_id = db_int(r, 1), .group_id = db_int(r, 2),
		             .quote_item_id = db_int(r, 3), .position = (int)db_int(r, 4),
		             .label = db_text(v->a, r, 5), .terms = db_text(v->a, r, 6),
		             .state = db_text(v->a, r, 7), .quote_text = db_text(v->a, r, 8),
		             .size = db_int(r, 9) };
	return x->label && x->terms && x->state && x->quote_text ? STORE_OK : STORE_ERROR;
}

store_rc input_store_threads(store *s, arena *a, int64_t run_id, input_thread **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg k[] = { DB_I(run_id) };
	store_rc rc = db_query(s, "SELECT " THREAD_COLS " FROM input_threads t WHERE t.run_id = $1 "
	                          "ORDER BY t.position, t.id",
	                       k, 1, thread_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc input_store_thread_get(store *s, arena *a, int64_t id, input_thread *out)
{
	db_vec v = { .a = a, .size = sizeof *out };
	db_arg k[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " THREAD_COLS " FROM input_threads t WHERE t.id = $1", k, 1,
	                       thread_row, &v);
	if (rc == STORE_OK && !v.len)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(input_thread *)v.items;
	return rc;
}

typedef struct member_ctx { store *s; arena *a; db_vec v; } member_ctx;

static store_rc id_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	int64_t *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = db_int(r, 0);
	return STORE_OK;
}

store_rc input_store_thread_items(store *s, arena *a, int64_t thread_id, input_item **out,
                                  size_t *n)
{
	db_vec ids = { .a = a, .size = sizeof(int64_t) };
	db_arg k[] = { DB_I(thread_id) };
	store_rc rc = db_query(s, "SELECT item_id FROM input_thread_items WHERE thread_id = $1 "
	                          "ORDER BY score DESC, item_id",
	                       k, 1, id_row, &ids);
	input_item *items = ids.len ? arena_calloc(a, ids.len, sizeof *items) : NULL;
	if (ids.len && !items)
		rc = STORE_ERROR;
	size_t m = 0;
	for (size_t i = 0; rc == STORE_OK && i < ids.len; i++) {
		rc = input_store_get(s, a, ((int64_t *)ids.items)[i], &items[m]);
		if (rc == STORE_OK)
			m++;
		else if (rc == STORE_NOTFOUND)
			rc = STORE_OK;
	}
	*out = items;
	*n = m;
	return rc;
}

static store_rc dup_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	input_dup *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = (input_dup){ .item_id = db_int(r, 0), .other_id = db_int(r, 1),
		          .text = db_text(v->a, r, 2), .other_text = db_text(v->a, r, 3),
		          .score = (int)db_int(r, 4) };
	return x->text && x->other_text ? STORE_OK : STORE_ERROR;
}

store_rc input_store_dups(store *s, arena *a, int64_t run_id, input_dup **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg k[] = { DB_I(run_id) };
	/* Pairs already settled (one marked a duplicate, or grouped) drop out. */
	store_rc rc = db_query(s, "SELECT d.item_id, d.other_id, x.text, y.text, d.score FROM "
	                          "input_dups d, input_items x, input_items y WHERE d.run_id = $1 AND "
	                          "x.id = d.item_id AND y.id = d.other_id AND x.duplicate_of IS NULL "
	                          "AND y.duplicate_of IS NULL AND x.removed = 0 AND y.removed = 0 "
	                          "ORDER BY d.score DESC, d.item_id, d.other_id LIMIT 100",
	                       k, 1, dup_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

/* ---- decisions on a proposed thread ----------------------------------------------------------- */

typedef struct tbrief {
	int64_t id, run_id, plan_id, quote;
	char    state[16];
	char    terms[400];
	bool    found;
} tbrief;

static store_rc tbrief_row(const db_row *r, void *ctx)
{
	tbrief *t = ctx;
	t->found = true;
	t->id = db_int(r, 0);
	t->run_id = db_int(r, 1);
	t->plan_id = db_int(r, 2);
	t->quote = db_int(r, 3);
	snprintf(t->state, sizeof t->state, "%s", db_text_ref(r, 4));
	snprintf(t->terms, sizeof t->terms, "%s", db_text_ref(r, 5));
	return STORE_OK;
}

static store_rc thread_brief(store *s, int64_t id, tbrief *t)
{
	memset(t, 0, sizeof *t);
	db_arg k[] = { DB_I(id) };
	store_rc rc = db_exec(s, "UPDATE input_threads SET position = position WHERE id = $1", k, 1,
	                      NULL, NULL);
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT t.id, t.run_id, r.plan_id, t.quote_item_id, t.state, t.terms "
		                 "FROM input_threads t, input_runs r WHERE t.id = $1 AND r.id = t.run_id",
		              k, 1, tbrief_row, t);
	return rc == STORE_OK && !t->found ? STORE_NOTFOUND : rc;
}

typedef struct accept_ctx {
	int64_t id, actor, group;
	const char *title;
	input_refusal why;
} accept_ctx;

static store_rc accept_tx(store *s, void *ctx)
{
	accept_ctx *c = ctx;
	c->why = INPUT_OK;
	tbrief t;
	store_rc rc = thread_brief(s, c->id, &t);
	if (rc != STORE_OK) {
		c->why = INPUT_GONE;
		return rc;
	}
	if (strcmp(t.state, "proposed"))
		return STORE_CONFLICT;
	/* Its members that are still free to join: not grouped since, not a
	 * duplicate, not removed. */
	arena a;
	arena_init(&a, 0);
	db_vec v = { .a = &a, .size = sizeof(int64_t) };
	db_arg k[] = { DB_I(c->id) };
	rc = db_query(s, "SELECT m.item_id FROM input_thread_items m, input_items i WHERE "
	                 "m.thread_id = $1 AND i.id = m.item_id AND i.group_id IS NULL AND "
	                 "i.duplicate_of IS NULL AND i.removed = 0 ORDER BY m.score DESC, m.item_id",
	              k, 1, id_row, &v);
	if (rc == STORE_OK) {
		input_refusal why = INPUT_OK;
		rc = input_store_group_create(s, t.plan_id, c->title, 0, t.terms, t.quote, v.items,
		                              v.len, c->actor, &c->group, &why);
		c->why = why;
	}
	arena_free(&a);
	db_arg u[] = { DB_I(c->group), DB_S(c->title), DB_I(c->id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE input_threads SET state = 'accepted', group_id = $1, label = $2 "
		                "WHERE id = $3", u, 3, NULL, NULL);
	return rc;
}

store_rc input_store_thread_accept(store *s, int64_t id, const char *title, int64_t actor_id,
                                   int64_t *group_out, input_refusal *why)
{
	accept_ctx c = { id, actor_id, 0, title, INPUT_OK };
	store_rc rc = store_tx(s, accept_tx, &c);
	if (why)
		*why = c.why;
	if (group_out)
		*group_out = rc == STORE_OK ? c.group : 0;
	return rc;
}

store_rc input_store_thread_rename(store *s, int64_t id, const char *title)
{
	int changes = 0;
	db_arg a[] = { DB_S(title), DB_I(id) };
	store_rc rc = db_exec(s, "UPDATE input_threads SET label = $1 WHERE id = $2 AND "
	                         "state = 'proposed'", a, 2, NULL, &changes);
	if (rc == STORE_OK && !changes) {
		int64_t n = 0;
		db_arg k[] = { DB_I(id) };
		rc = db_query(s, "SELECT count(*) FROM input_threads WHERE id = $1", k, 1, int_row, &n);
		if (rc == STORE_OK)
			rc = n ? STORE_CONFLICT : STORE_NOTFOUND;
	}
	return rc;
}

typedef struct tmerge_ctx {
	int64_t id, into;
	input_refusal why;
} tmerge_ctx;

static store_rc tmerge_tx(store *s, void *ctx)
{
	tmerge_ctx *c = ctx;
	c->why = INPUT_OK;
	if (c->id == c->into) {
		c->why = INPUT_SELF;
		return STORE_INVALID;
	}
	tbrief f, t;
	store_rc rc = thread_brief(s, c->id, &f);
	if (rc == STORE_OK)
		rc = thread_brief(s, c->into, &t);
	if (rc != STORE_OK) {
		c->why = INPUT_GONE;
		return rc;
	}
	if (f.plan_id != t.plan_id) {
		c->why = INPUT_OTHER_PLAN;
		return STORE_INVALID;
	}
	if (f.run_id != t.run_id || strcmp(f.state, "proposed") || strcmp(t.state, "proposed"))
		return STORE_CONFLICT;
	db_arg a[] = { DB_I(c->id), DB_I(c->into) };
	rc = db_exec(s, "INSERT INTO input_thread_items (thread_id, item_id, score) SELECT $2, "
	                "item_id, score FROM input_thread_items WHERE thread_id = $1 "
	                "ON CONFLICT (thread_id, item_id) DO NOTHING", a, 2, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE input_threads SET state = 'merged', group_id = NULL WHERE id = $1 "
		                "AND $2 = $2", a, 2, NULL, NULL);
	/* The thread that takes them keeps its name; its terms say both. */
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE input_threads SET terms = terms || ', ' || (SELECT terms FROM "
		                "input_threads WHERE id = $1) WHERE id = $2", a, 2, NULL, NULL);
	return rc;
}

store_rc input_store_thread_merge(store *s, int64_t id, int64_t into, input_refusal *why)
{
	tmerge_ctx c = { id, into, INPUT_OK };
	store_rc rc = store_tx(s, tmerge_tx, &c);
	if (why)
		*why = c.why;
	return rc;
}

store_rc input_store_thread_dismiss(store *s, int64_t id)
{
	int changes = 0;
	db_arg a[] = { DB_I(id) };
	store_rc rc = db_exec(s, "UPDATE input_threads SET state = 'dismissed' WHERE id = $1 AND "
	                         "state = 'proposed'", a, 1, NULL, &changes);
	if (rc == STORE_OK && !changes) {
		int64_t n = 0;
		rc = db_query(s, "SELECT count(*) FROM input_threads WHERE id = $1", a, 1, int_row, &n);
		if (rc == STORE_OK)
			rc = n ? STORE_CONFLICT : STORE_NOTFOUND;
	}
	return rc;
}

typedef struct split_ctx {
	int64_t id;
	const input_doc *docs;
	const input_clusters *c;
} split_ctx;

static store_rc split_tx(store *s, void *ctx)
{
	split_ctx *c = ctx;
	tbrief t;
	store_rc rc = thread_brief(s, c->id, &t);
	if (rc != STORE_OK)
		return rc;
	if (strcmp(t.state, "proposed") || c->c->nthreads != 2)
		return STORE_CONFLICT;
	int64_t last = 0;
	db_arg k[] = { DB_I(t.run_id) };
	rc = db_query(s, "SELECT COALESCE(max(position), 0) FROM input_threads WHERE run_id = $1", k,
	              1, int_row, &last);
	for (size_t i = 0; rc == STORE_OK && i < 2; i++)
		rc = save_thread(s, t.run_id, (int)last + 1 + (int)i, c->docs, &c->c->threads[i]);
	db_arg a[] = { DB_I(c->id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE input_threads SET state = 'split' WHERE id = $1", a, 1, NULL,
		             NULL);
	return rc;
}

store_rc input_store_thread_split(store *s, int64_t id, const input_doc *docs,
                                  const input_clusters *c)
{
	split_ctx x = { id, docs, c };
	return store_tx(s, split_tx, &x);
}

store_rc input_store_runs_abandon(store *s)
{
	/* A run queued or running for ten minutes was left by a server that
	 * stopped (a run takes seconds). */
	db_arg a[] = { DB_I(db_now() - 600) };
	return db_exec(s, "UPDATE input_runs SET status = 'failed' WHERE status IN ('queued', "
	                  "'running') AND created_at < $1", a, 1, NULL, NULL);
}

static store_rc scope_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	input_scope *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = (input_scope){ .scope = db_text(v->a, r, 0), .id = db_int(r, 1),
		            .label = db_text(v->a, r, 2), .items = db_int(r, 3) };
	return x->scope && x->label ? STORE_OK : STORE_ERROR;
}

store_rc input_store_scopes(store *s, arena *a, int64_t plan_id, input_scope **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg k[] = { DB_I(plan_id) };
	store_rc rc = db_query(
		s, "SELECT 'consultation', i.container_id, COALESCE((SELECT c.title FROM "
		   "cons_consultations c WHERE c.id = i.container_id), ''), count(*) FROM input_items i "
		   "WHERE i.plan_id = $1 AND i.source = 'cons' AND i.removed = 0 GROUP BY i.container_id "
		   "UNION ALL SELECT 'question', i.part_id, COALESCE((SELECT q.prompt FROM cons_questions "
		   "q WHERE q.id = i.part_id), ''), count(*) FROM input_items i WHERE i.plan_id = $1 AND "
		   "i.source = 'cons' AND i.removed = 0 GROUP BY i.part_id "
		   "UNION ALL SELECT 'poll_question', i.part_id, COALESCE((SELECT q.prompt FROM "
		   "poll_questions q WHERE q.id = i.part_id), ''), count(*) FROM input_items i WHERE "
		   "i.plan_id = $1 AND i.source = 'poll' AND i.removed = 0 GROUP BY i.part_id "
		   "UNION ALL SELECT 'session', i.container_id, COALESCE((SELECT x.title FROM "
		   "agenda_sessions x WHERE x.id = i.container_id), ''), count(*) FROM input_items i "
		   "WHERE i.plan_id = $1 AND i.source = 'board' AND i.removed = 0 GROUP BY "
		   "i.container_id "
		   "UNION ALL SELECT 'theme', t.id, t.name, (SELECT count(*) FROM input_items i WHERE "
		   "i.theme_id = t.id AND i.removed = 0) FROM themes t WHERE t.plan_id = $1 "
		   "ORDER BY 1, 2",
		k, 1, scope_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}
