/* cons_store.c — store queries for consultations: the questionnaire
 * (questions, options tied to themes) and responses with their answers.
 * Structural changes to the questions refuse (STORE_CONFLICT) once a
 * response exists. Saving a response also updates the counts (cons_tally,
 * cons_writeins) in the same transaction; cons_store_results.c reads them.
 */
#include <string.h>

#include "../../store/db.h"
#include "cons.h"

/* ---- small row helpers ---- */

typedef struct one_ctx { int64_t v; bool found; } one_ctx;

static store_rc one_row(const db_row *r, void *ctx)
{
	one_ctx *c = ctx;
	c->v = db_int(r, 0);
	c->found = true;
	return STORE_OK;
}

static store_rc one_int(store *s, const char *sql, const db_arg *a, int n, one_ctx *out)
{
	*out = (one_ctx){ 0 };
	return db_query(s, sql, a, n, one_row, out);
}

/* Fails with `rc` after rolling back; commits otherwise. */
static store_rc finish(store *s, store_rc rc)
{
	if (rc != STORE_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

/* STORE_CONFLICT when the consultation has a response, NOTFOUND when the
 * question does not belong to it (qid 0: not checked). */
static store_rc check_editable(store *s, int64_t cons_id, int64_t qid, bool structural)
{
	one_ctx c;
	db_arg a[] = { DB_I(cons_id) };
	store_rc rc = one_int(s, "SELECT (SELECT COUNT(*) FROM cons_responses WHERE consultation_id = $1)",
	                      a, 1, &c);
	if (rc != STORE_OK)
		return rc;
	if (structural && c.v > 0)
		return STORE_CONFLICT;
	if (qid) {
		db_arg b[] = { DB_I(qid), DB_I(cons_id) };
		rc = one_int(s, "SELECT id FROM cons_questions WHERE id = $1 AND consultation_id = $2",
		             b, 2, &c);
		if (rc == STORE_OK && !c.found)
			rc = STORE_NOTFOUND;
	}
	return rc;
}

static store_rc touch(store *s, int64_t cons_id)
{
	int changes = 0;
	db_arg a[] = { DB_I(db_now()), DB_I(cons_id) };
	store_rc rc = db_exec(s, "UPDATE cons_consultations SET updated_at = $1 WHERE id = $2", a, 2,
	                      NULL, &changes);
	return rc == STORE_OK && changes == 0 ? STORE_NOTFOUND : rc;
}

/* ---- consultations ---- */

store_rc cons_store_create(store *s, const consultation *c, int64_t *id_out)
{
	int64_t now = db_now();
	db_arg a[] = { DB_I(c->plan_id), DB_S(c->title), DB_S(c->intro), DB_S(c->opens_on),
		       DB_S(c->closes_on), DB_I(c->allow_anonymous), DB_S(c->results_public),
		       DB_I(now), DB_I(now), DB_S(c->status ? c->status : "published") };
	return db_exec(s, "INSERT INTO cons_consultations (plan_id, title, intro, opens_on, "
	                  "closes_on, allow_anonymous, results_public, created_at, updated_at, "
	                  "status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
	               a, 10, id_out, NULL);
}

store_rc cons_store_update(store *s, const consultation *c)
{
	int changes = 0;
	db_arg a[] = { DB_S(c->title), DB_S(c->intro), DB_S(c->opens_on), DB_S(c->closes_on),
		       DB_I(c->allow_anonymous), DB_S(c->results_public), DB_I(db_now()),
		       DB_I(c->id) };
	store_rc rc = db_exec(s, "UPDATE cons_consultations SET title = $1, intro = $2, "
	                         "opens_on = $3, closes_on = $4, allow_anonymous = $5, "
	                         "results_public = $6, updated_at = $7 WHERE id = $8",
	                      a, 8, NULL, &changes);
	return rc == STORE_OK && changes == 0 ? STORE_NOTFOUND : rc;
}

#define CONS_COLS "c.id, c.plan_id, c.title, c.intro, c.opens_on, c.closes_on, " \
	"c.allow_anonymous, c.results_public, c.responses, c.status"

static store_rc cons_fill(const db_row *r, arena *a, consultation *c)
{
	c->id = db_int(r, 0);
	c->plan_id = db_int(r, 1);
	c->title = db_text(a, r, 2);
	c->intro = db_text(a, r, 3);
	c->opens_on = db_text(a, r, 4);
	c->closes_on = db_text(a, r, 5);
	c->allow_anonymous = db_bool(r, 6);
	c->results_public = db_text(a, r, 7);
	c->responses = db_int(r, 8);
	c->status = db_text(a, r, 9);
	return c->title && c->intro && c->opens_on && c->closes_on && c->results_public && c->status
		? STORE_OK : STORE_ERROR;
}

typedef struct cons_ctx { arena *a; consultation *c; bool found; } cons_ctx;

static store_rc cons_row(const db_row *r, void *ctx)
{
	cons_ctx *c = ctx;
	c->found = true;
	return cons_fill(r, c->a, c->c);
}

static store_rc cons_list_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	consultation *c = db_vec_push(v);
	return c ? cons_fill(r, v->a, c) : STORE_ERROR;
}

static store_rc question_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	cons_question *q = db_vec_push(v);
	if (!q)
		return STORE_ERROR;
	q->id = db_int(r, 0);
	q->position = (int)db_int(r, 1);
	q->kind = db_text(v->a, r, 2);
	q->prompt = db_text(v->a, r, 3);
	q->help = db_text(v->a, r, 4);
	q->required = db_bool(r, 5);
	q->max_choices = (int)db_int(r, 6);
	q->allow_other = db_bool(r, 7);
	q->max_length = (int)db_int(r, 8);
	q->low_label = db_text(v->a, r, 9);
	q->high_label = db_text(v->a, r, 10);
	return q->kind && q->prompt && q->help && q->low_label && q->high_label ? STORE_OK
	                                                                       : STORE_ERROR;
}

static store_rc option_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	cons_option *o = db_vec_push(v);
	if (!o)
		return STORE_ERROR;
	o->id = db_int(r, 0);
	o->question_id = db_int(r, 1);
	o->position = (int)db_int(r, 2);
	o->label = db_text(v->a, r, 3);
	o->theme_id = db_int(r, 4);
	o->theme_name = db_text(v->a, r, 5);
	return o->label && o->theme_name ? STORE_OK : STORE_ERROR;
}

store_rc cons_store_get(store *s, arena *a, int64_t id, consultation *out)
{
	memset(out, 0, sizeof *out);
	cons_ctx c = { a, out, false };
	db_arg args[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " CONS_COLS " FROM cons_consultations c WHERE c.id = $1",
	                       args, 1, cons_row, &c);
	if (rc != STORE_OK)
		return rc;
	if (!c.found)
		return STORE_NOTFOUND;
	db_vec qv = { .a = a, .size = sizeof(cons_question) };
	rc = db_query(s, "SELECT id, position, kind, prompt, help, required, max_choices, "
	                 "allow_other, max_length, low_label, high_label FROM cons_questions "
	                 "WHERE consultation_id = $1 ORDER BY position, id",
	              args, 1, question_row, &qv);
	if (rc != STORE_OK)
		return rc;
	db_vec ov = { .a = a, .size = sizeof(cons_option) };
	rc = db_query(s, "SELECT o.id, o.question_id, o.position, o.label, COALESCE(o.theme_id, 0), "
	                 "COALESCE(t.name, '') FROM cons_options o "
	                 "JOIN cons_questions q ON q.id = o.question_id "
	                 "LEFT JOIN themes t ON t.id = o.theme_id "
	                 "WHERE q.consultation_id = $1 ORDER BY o.question_id, o.position, o.id",
	              args, 1, option_row, &ov);
	if (rc != STORE_OK)
		return rc;
	out->questions = qv.items;
	out->nquestions = qv.len;
	cons_option *opts = ov.items;
	for (size_t i = 0; i < qv.len; i++) {
		cons_question *q = &out->questions[i];
		for (size_t j = 0; j < ov.len; j++)
			if (opts[j].question_id == q->id) {
				if (!q->options)
					q->options = &opts[j];
				q->noptions++;
			}
	}
	return STORE_OK;
}

store_rc cons_store_list(store *s, arena *a, int64_t plan_id, consultation **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(consultation) };
	db_arg args[] = { DB_I(plan_id) };
	store_rc rc = db_query(s, "SELECT " CONS_COLS " FROM cons_consultations c "
	                          "WHERE c.plan_id = $1 ORDER BY c.opens_on DESC, c.id DESC",
	                       args, 1, cons_list_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

typedef struct status_ctx {
	int64_t     id, actor;
	const char *status;
} status_ctx;

typedef struct pub_ctx { arena *a; const char *title; int64_t plan_id; const char *was; } pub_ctx;

static store_rc pub_row(const db_row *r, void *ctx)
{
	pub_ctx *p = ctx;
	p->title = db_text(p->a, r, 0);
	p->plan_id = db_int(r, 1);
	p->was = db_text(p->a, r, 2);
	return p->title && p->was ? STORE_OK : STORE_ERROR;
}

static store_rc theme_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	store_object *o = db_vec_push(v);
	if (!o)
		return STORE_ERROR;
	o->type = "theme";
	o->id = db_int(r, 0);
	return STORE_OK;
}

/* The first publication of a consultation: an event ("plan.consultation")
 * for the followers of the consultation, its plan and each theme its
 * options are tied to. Publishing again after it was a draft once more
 * tells nobody twice. */
static store_rc tell_published(store *s, arena *a, int64_t id, const char *title,
                               int64_t plan_id, int64_t actor)
{
	one_ctx told;
	db_arg k[] = { DB_I(id) };
	store_rc rc = one_int(s, "SELECT id FROM events WHERE kind = 'plan.consultation' AND "
	                         "object_type = 'consultation' AND object_id = $1 LIMIT 1",
	                      k, 1, &told);
	if (rc != STORE_OK || told.found)
		return rc;
	db_vec v = { .a = a, .size = sizeof(store_object) };
	store_object *po = db_vec_push(&v);
	if (!po)
		return STORE_ERROR;
	po->type = "plan";
	po->id = plan_id;
	rc = db_query(s, "SELECT DISTINCT o.theme_id FROM cons_options o JOIN cons_questions q ON "
	                 "q.id = o.question_id WHERE q.consultation_id = $1 AND o.theme_id IS NOT NULL "
	                 "ORDER BY o.theme_id",
	              k, 1, theme_row, &v);
	const char *url = arena_printf(a, "/consultations/%lld", (long long)id);
	if (rc != STORE_OK || !url)
		return rc != STORE_OK ? rc : STORE_ERROR;
	store_event e = { .kind = "plan.consultation",
		          .msgid = "There is a new consultation: “%s”. Give your opinion.",
		          .subject = title, .url = url, .object_type = "consultation",
		          .object_id = id, .actor_id = actor, .also = v.items, .nalso = v.len };
	return store_event_add(s, &e, NULL, 0, NULL);
}

static store_rc status_tx(store *s, void *ctx)
{
	status_ctx *c = ctx;
	arena a;
	arena_init(&a, 0);
	pub_ctx p = { .a = &a };
	db_arg k[] = { DB_I(c->id) };
	store_rc rc = db_query(s, "SELECT title, plan_id, status FROM cons_consultations WHERE id = $1",
	                       k, 1, pub_row, &p);
	if (rc == STORE_OK && !p.was)
		rc = STORE_NOTFOUND;
	int changes = 0;
	db_arg u[] = { DB_S(c->status), DB_I(db_now()), DB_I(c->id), DB_S(c->status),
		       DB_S(c->status) };
	/* One statement, so a question removed or an answer given meanwhile
	 * cannot slip between the check and the change. */
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE cons_consultations SET status = $1, updated_at = $2 "
		                "WHERE id = $3 AND ($4 <> 'published' OR EXISTS (SELECT 1 FROM "
		                "cons_questions q WHERE q.consultation_id = cons_consultations.id)) "
		                "AND ($5 <> 'draft' OR responses = 0)",
		             u, 5, NULL, &changes);
	if (rc == STORE_OK && !changes) {
		one_ctx r;
		rc = one_int(s, "SELECT responses FROM cons_consultations WHERE id = $1", k, 1, &r);
		if (rc == STORE_OK)
			rc = !r.found ? STORE_NOTFOUND
			   : !strcmp(c->status, "draft") ? STORE_CONFLICT : STORE_INVALID;
	}
	if (rc == STORE_OK && !strcmp(p.was, "draft") && !strcmp(c->status, "published"))
		rc = tell_published(s, &a, c->id, p.title, p.plan_id, c->actor);
	arena_free(&a);
	return rc;
}

store_rc cons_store_set_status(store *s, int64_t id, const char *status, int64_t actor)
{
	status_ctx c = { id, actor, status };
	return store_tx(s, status_tx, &c);
}

store_rc cons_store_delete(store *s, int64_t id)
{
	int changes = 0;
	db_arg a[] = { DB_I(id) };
	store_rc rc = db_exec(s, "DELETE FROM cons_consultations WHERE id = $1 AND responses = 0 "
	                         "AND NOT EXISTS (SELECT 1 FROM cons_responses r WHERE "
	                         "r.consultation_id = $1)", a, 1, NULL, &changes);
	if (rc != STORE_OK || changes)
		return rc;
	one_ctx c;
	rc = one_int(s, "SELECT id FROM cons_consultations WHERE id = $1", a, 1, &c);
	if (rc != STORE_OK)
		return rc;
	return c.found ? STORE_CONFLICT : STORE_NOTFOUND;
}

/* ---- questions and options ---- */

typedef struct qadd_ctx {
	int64_t              cons_id;
	const cons_question *qn;
	const char *const   *labels;
	const int64_t       *theme_ids;
	size_t               nopt;
	int64_t              id;
} qadd_ctx;

static store_rc question_add_tx(store *s, void *ctx)
{
	qadd_ctx *c = ctx;
	const cons_question *qn = c->qn;
	store_rc rc = check_editable(s, c->cons_id, 0, true);
	if (rc == STORE_OK)
		rc = touch(s, c->cons_id);
	if (rc == STORE_OK) {
		db_arg a[] = { DB_I(c->cons_id), DB_S(qn->kind), DB_S(qn->prompt), DB_S(qn->help),
			       DB_I(qn->required), DB_I(qn->max_choices), DB_I(qn->allow_other),
			       DB_I(qn->max_length), DB_S(qn->low_label), DB_S(qn->high_label) };
		rc = db_exec(s, "INSERT INTO cons_questions (consultation_id, position, kind, prompt, "
		                "help, required, max_choices, allow_other, max_length, low_label, "
		                "high_label) VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM "
		                "cons_questions WHERE consultation_id = $1), $2, $3, $4, $5, $6, $7, "
		                "$8, $9, $10) RETURNING id",
		             a, 10, &c->id, NULL);
	}
	for (size_t i = 0; rc == STORE_OK && i < c->nopt; i++) {
		db_arg a[] = { DB_I(c->id), DB_I((int64_t)i + 1), DB_S(c->labels[i]),
			       c->theme_ids && c->theme_ids[i] ? DB_I(c->theme_ids[i]) : DB_NUL };
		rc = db_exec(s, "INSERT INTO cons_options (question_id, position, label, theme_id) "
		                "VALUES ($1, $2, $3, $4)", a, 4, NULL, NULL);
	}
	return rc;
}

store_rc cons_store_question_add(store *s, int64_t cons_id, const cons_question *qn,
                                 const char *const *labels, const int64_t *theme_ids,
                                 size_t nopt, int64_t *id_out)
{
	qadd_ctx c = { cons_id, qn, labels, theme_ids, nopt, 0 };
	store_rc rc = store_tx(s, question_add_tx, &c);
	if (id_out)
		*id_out = rc == STORE_OK ? c.id : 0;
	return rc;
}

store_rc cons_store_question_update(store *s, int64_t cons_id, const cons_question *qn,
                                    bool wording_only)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = check_editable(s, cons_id, qn->id, !wording_only);
	if (rc == STORE_OK)
		rc = touch(s, cons_id);
	if (rc == STORE_OK && wording_only) {
		db_arg a[] = { DB_S(qn->prompt), DB_S(qn->help), DB_S(qn->low_label),
			       DB_S(qn->high_label), DB_I(qn->id) };
		rc = db_exec(s, "UPDATE cons_questions SET prompt = $1, help = $2, low_label = $3, "
		                "high_label = $4 WHERE id = $5", a, 5, NULL, NULL);
	} else if (rc == STORE_OK) {
		db_arg a[] = { DB_S(qn->prompt), DB_S(qn->help), DB_S(qn->low_label),
			       DB_S(qn->high_label), DB_I(qn->required), DB_I(qn->max_choices),
			       DB_I(qn->allow_other), DB_I(qn->max_length), DB_I(qn->id) };
		rc = db_exec(s, "UPDATE cons_questions SET prompt = $1, help = $2, low_label = $3, "
		                "high_label = $4, required = $5, max_choices = $6, allow_other = $7, "
		                "max_length = $8 WHERE id = $9", a, 9, NULL, NULL);
	}
	return finish(s, rc);
}

store_rc cons_store_question_delete(store *s, int64_t cons_id, int64_t qid)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = check_editable(s, cons_id, qid, true);
	if (rc == STORE_OK)
		rc = touch(s, cons_id);
	if (rc == STORE_OK) {
		db_arg a[] = { DB_I(qid) };
		rc = db_exec(s, "DELETE FROM cons_questions WHERE id = $1", a, 1, NULL, NULL);
	}
	return finish(s, rc);
}

store_rc cons_store_question_move(store *s, int64_t cons_id, int64_t qid, int dir)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = check_editable(s, cons_id, qid, true);
	bool moved = false;
	if (rc == STORE_OK)
		rc = db_move_position(
			s, "SELECT id, position FROM cons_questions WHERE id = $1 AND consultation_id = $2",
			"SELECT id, position FROM cons_questions WHERE consultation_id = $1 AND "
			"(position < $2 OR (position = $3 AND id < $4)) "
			"ORDER BY position DESC, id DESC LIMIT 1",
			"SELECT id, position FROM cons_questions WHERE consultation_id = $1 AND "
			"(position > $2 OR (position = $3 AND id > $4)) "
			"ORDER BY position, id LIMIT 1",
			"UPDATE cons_questions SET position = $1 WHERE id = $2", cons_id, qid, dir, &moved);
	if (rc == STORE_OK && moved)
		rc = touch(s, cons_id);
	return finish(s, rc);
}

store_rc cons_store_option_add(store *s, int64_t cons_id, int64_t qid, const char *label,
                               int64_t theme_id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = check_editable(s, cons_id, qid, true);
	if (rc == STORE_OK)
		rc = touch(s, cons_id);
	if (rc == STORE_OK) {
		db_arg a[] = { DB_I(qid), DB_I(qid), DB_S(label), theme_id ? DB_I(theme_id) : DB_NUL };
		rc = db_exec(s, "INSERT INTO cons_options (question_id, position, label, theme_id) "
		                "VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM cons_options "
		                "WHERE question_id = $2), $3, $4)", a, 4, NULL, NULL);
	}
	return finish(s, rc);
}

store_rc cons_store_option_update(store *s, int64_t cons_id, int64_t qid, int64_t oid,
                                  const char *label)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = check_editable(s, cons_id, qid, false);
	if (rc == STORE_OK)
		rc = touch(s, cons_id);
	if (rc == STORE_OK) {
		int changes = 0;
		db_arg a[] = { DB_S(label), DB_I(oid), DB_I(qid) };
		rc = db_exec(s, "UPDATE cons_options SET label = $1 WHERE id = $2 AND question_id = $3",
		             a, 3, NULL, &changes);
		if (rc == STORE_OK && !changes)
			rc = STORE_NOTFOUND;
	}
	return finish(s, rc);
}

store_rc cons_store_option_delete(store *s, int64_t cons_id, int64_t qid, int64_t oid)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = check_editable(s, cons_id, qid, true);
	if (rc == STORE_OK)
		rc = touch(s, cons_id);
	if (rc == STORE_OK) {
		int changes = 0;
		db_arg a[] = { DB_I(oid), DB_I(qid) };
		rc = db_exec(s, "DELETE FROM cons_options WHERE id = $1 AND question_id = $2", a, 2,
		             NULL, &changes);
		if (rc == STORE_OK && !changes)
			rc = STORE_NOTFOUND;
	}
	return finish(s, rc);
}

/* ---- responses ---- */

store_rc cons_store_writein_regroup(store *s, int64_t qid, const char *norm, int d)
{
	db_arg w[] = { DB_I(d), DB_I(qid), DB_S(norm), DB_I(qid), DB_S(norm) };
	return db_exec(s, "UPDATE cons_writeins SET n = n + $1, text = COALESCE(("
	                  "SELECT MIN(TRIM(a.text)) FROM cons_answers a WHERE a.question_id = $2 "
	                  "AND a.option_id IS NULL AND a.norm = $3 AND a.hidden = 0), '') "
	                  "WHERE question_id = $4 AND norm = $5", w, 5, NULL, NULL);
}

/* Adds d to the count under (question, option, value). */
static store_rc tally(store *s, int64_t qid, int64_t oid, int64_t value, int d)
{
	db_arg a[] = { DB_I(qid), DB_I(oid), DB_I(value), DB_I(d), DB_I(d) };
	return db_exec(s, "INSERT INTO cons_tally (question_id, option_id, value, n) "
	                  "VALUES ($1, $2, $3, $4) ON CONFLICT (question_id, option_id, value) "
	                  "DO UPDATE SET n = cons_tally.n + $5", a, 5, NULL, NULL);
}

/* The counts one set of answers contributes to, added with d (+1 or -1). */
static store_rc tally_answers(store *s, const cons_answer_in *ans, size_t n, int d)
{
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < n; i++) {
		const cons_answer_in *x = &ans[i];
		bool first = true;
		for (size_t k = 0; k < i; k++)
			first &= ans[k].question_id != x->question_id;
		if (first)
			rc = tally(s, x->question_id, -1, -1, d);
		if (rc == STORE_OK && (x->option_id || x->has_value))
			rc = tally(s, x->question_id, x->option_id, x->has_value ? x->value : -1, d);
		if (rc == STORE_OK && !x->option_id && x->text && *x->text)
			rc = tally(s, x->question_id, -2, -1, d);
		if (rc == STORE_OK && x->norm && *x->norm && d < 0) {
			/* Taken out (after the answer row is gone): the group keeps a
			 * spelling that is still in use and shown. A hidden write-in
			 * was taken out of its group when it was hidden. */
			rc = cons_store_writein_regroup(s, x->question_id, x->norm, x->hidden ? 0 : d);
		} else if (rc == STORE_OK && x->norm && *x->norm) {
			db_arg w[] = { DB_I(x->question_id), DB_S(x->norm), DB_S(x->text ? x->text : ""),
				       DB_I(d), DB_I(d) };
			rc = db_exec(s, "INSERT INTO cons_writeins (question_id, norm, text, n) "
			                "VALUES ($1, $2, TRIM($3), $4) ON CONFLICT (question_id, norm) "
			                "DO UPDATE SET n = cons_writeins.n + $5, text = CASE WHEN "
			                "cons_writeins.text = '' OR excluded.text < cons_writeins.text "
			                "THEN excluded.text ELSE cons_writeins.text END", w, 5, NULL, NULL);
		}
	}
	return rc;
}

static store_rc old_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	cons_answer_in *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	x->question_id = db_int(r, 0);
	x->option_id = db_int(r, 1);
	x->has_value = !db_isnull(r, 2);
	x->value = db_int(r, 2);
	x->text = db_bool(r, 3) ? "x" : "";
	x->norm = db_text(v->a, r, 4);
	x->hidden = db_bool(r, 5);
	return x->norm ? STORE_OK : STORE_ERROR;
}

typedef struct respond_ctx {
	int64_t               cons_id, user_id;
	const char           *browser_hash, *nonce;
	const cons_answer_in *ans;
	size_t                n;
	bool                  replaced;
} respond_ctx;

/* cons_store_respond's transaction (store_tx may run it more than once). */
static store_rc respond_tx(store *s, void *ctx)
{
	respond_ctx *c = ctx;
	c->replaced = false;
	int64_t now = db_now();
	one_ctx pub;
	db_arg p[] = { DB_I(c->cons_id) };
	store_rc prc = one_int(s, "SELECT 1 FROM cons_consultations WHERE id = $1 AND "
	                          "status = 'published'", p, 1, &pub);
	if (prc != STORE_OK)
		return prc;
	if (!pub.found)
		return STORE_INVALID; /* a draft, or archived meanwhile */
	db_arg t[] = { DB_S(c->nonce), DB_I(c->cons_id), DB_I(now) };
	store_rc rc = db_exec(s, "INSERT INTO cons_used_tokens (nonce, consultation_id, used_at) "
	                         "VALUES ($1, $2, $3)", t, 3, NULL, NULL);
	/* The response row is locked before its earlier answers are read (the
	 * insert, or the update that returns its id), so two answers of one
	 * person at once take turns on PostgreSQL too and the counts stay
	 * exact. */
	int64_t rid = 0;
	if (rc == STORE_OK) {
		db_arg a[] = { DB_I(c->cons_id), c->user_id ? DB_I(c->user_id) : DB_NUL,
			       c->user_id ? DB_NUL : DB_S(c->browser_hash), DB_I(now), DB_I(now) };
		rc = db_exec(s, "INSERT INTO cons_responses (consultation_id, user_id, browser_hash, "
		                "created_at, updated_at) VALUES ($1, $2, $3, $4, $5) "
		                "ON CONFLICT DO NOTHING RETURNING id",
		             a, 5, &rid, NULL);
	}
	one_ctx prev = { 0 };
	if (rc == STORE_OK && !rid) {
		if (c->user_id) {
			db_arg a[] = { DB_I(now), DB_I(c->cons_id), DB_I(c->user_id) };
			rc = one_int(s, "UPDATE cons_responses SET updated_at = $1 WHERE "
			                "consultation_id = $2 AND user_id = $3 RETURNING id", a, 3, &prev);
		} else {
			db_arg a[] = { DB_I(now), DB_I(c->cons_id), DB_S(c->browser_hash) };
			rc = one_int(s, "UPDATE cons_responses SET updated_at = $1 WHERE "
			                "consultation_id = $2 AND browser_hash = $3 RETURNING id", a, 3, &prev);
		}
		if (rc == STORE_OK && !prev.found)
			rc = STORE_INVALID;
		rid = prev.v;
	}
	if (rc == STORE_OK && prev.found) {
		/* Replace: take the earlier answers out of the counts first. */
		c->replaced = true;
		arena a;
		arena_init(&a, 0);
		db_vec old = { .a = &a, .size = sizeof(cons_answer_in) };
		db_arg r[] = { DB_I(rid) };
		rc = db_query(s, "SELECT question_id, COALESCE(option_id, 0), value, "
		                 "CASE WHEN text <> '' THEN 1 ELSE 0 END, norm, hidden FROM cons_answers "
		                 "WHERE response_id = $1 ORDER BY id", r, 1, old_row, &old);
		if (rc == STORE_OK)
			rc = db_exec(s, "DELETE FROM cons_answers WHERE response_id = $1", r, 1, NULL, NULL);
		if (rc == STORE_OK)
			rc = tally_answers(s, old.items, old.len, -1);
		arena_free(&a);
	} else if (rc == STORE_OK) {
		/* A signed-in respondent hears of what becomes of it (store.h). */
		if (c->user_id)
			rc = store_follow_auto(s, c->user_id, "consultation", c->cons_id);
		db_arg k[] = { DB_I(c->cons_id) };
		if (rc == STORE_OK)
			rc = db_exec(s, "UPDATE cons_consultations SET responses = responses + 1 "
			             "WHERE id = $1", k, 1, NULL, NULL);
	}
	for (size_t i = 0; rc == STORE_OK && i < c->n; i++) {
		const cons_answer_in *x = &c->ans[i];
		db_arg a[] = { DB_I(rid), DB_I(x->question_id),
			       x->option_id ? DB_I(x->option_id) : DB_NUL,
			       x->has_value ? DB_I(x->value) : DB_NUL, DB_S(x->text ? x->text : ""),
			       DB_S(x->norm ? x->norm : "") };
		rc = db_exec(s, "INSERT INTO cons_answers (response_id, question_id, option_id, value, "
		                "text, norm) VALUES ($1, $2, $3, $4, $5, $6)", a, 6, NULL, NULL);
	}
	if (rc == STORE_OK)
		rc = tally_answers(s, c->ans, c->n, +1);
	return rc;
}

store_rc cons_store_respond(store *s, int64_t cons_id, int64_t user_id, const char *browser_hash,
                            const char *nonce, const cons_answer_in *ans, size_t n,
                            bool *replaced)
{
	respond_ctx c = { cons_id, user_id, browser_hash, nonce, ans, n, false };
	store_rc rc = store_tx(s, respond_tx, &c);
	*replaced = rc == STORE_OK && c.replaced;
	return rc;
}

store_rc cons_store_backdate(store *s, int64_t cons_id, int64_t from, int64_t span)
{
	if (span <= 0)
		return STORE_INVALID;
	/* A spread that looks like people answering over the weeks, the same
	 * on every load: a multiplicative hash of the row id. */
	db_arg a[] = { DB_I(from), DB_I(span), DB_I(from), DB_I(span), DB_I(cons_id) };
	return db_exec(s, "UPDATE cons_responses SET created_at = $1 + (id * 2654435761) % $2, "
	                  "updated_at = $3 + (id * 2654435761) % $4 WHERE consultation_id = $5",
	               a, 5, NULL, NULL);
}

typedef struct ans_ctx { db_vec v; int64_t updated; } ans_ctx;

static store_rc ans_row(const db_row *r, void *ctx)
{
	ans_ctx *c = ctx;
	cons_answer_in *x = db_vec_push(&c->v);
	if (!x)
		return STORE_ERROR;
	x->id = db_int(r, 0);
	x->question_id = db_int(r, 1);
	x->option_id = db_int(r, 2);
	x->has_value = !db_isnull(r, 3);
	x->value = db_int(r, 3);
	x->text = db_text(c->v.a, r, 4);
	c->updated = db_int(r, 5);
	return x->text ? STORE_OK : STORE_ERROR;
}

store_rc cons_store_my_answers(store *s, arena *a, int64_t cons_id, int64_t user_id,
                               const char *browser_hash, cons_answer_in **out, size_t *n,
                               int64_t *updated_at)
{
	ans_ctx c = { .v = { .a = a, .size = sizeof(cons_answer_in) } };
	one_ctx r;
	store_rc rc;
	if (user_id) {
		db_arg k[] = { DB_I(cons_id), DB_I(user_id) };
		rc = one_int(s, "SELECT updated_at FROM cons_responses WHERE consultation_id = $1 AND "
		                "user_id = $2", k, 2, &r);
	} else {
		db_arg k[] = { DB_I(cons_id), DB_S(browser_hash ? browser_hash : "") };
		rc = one_int(s, "SELECT updated_at FROM cons_responses WHERE consultation_id = $1 AND "
		                "browser_hash = $2", k, 2, &r);
	}
	if (rc != STORE_OK)
		return rc;
	if (!r.found)
		return STORE_NOTFOUND;
	if (user_id) {
		db_arg k[] = { DB_I(cons_id), DB_I(user_id) };
		rc = db_query(s, "SELECT a.id, a.question_id, COALESCE(a.option_id, 0), a.value, a.text, "
		                 "r.updated_at FROM cons_answers a JOIN cons_responses r ON "
		                 "r.id = a.response_id WHERE r.consultation_id = $1 AND r.user_id = $2 "
		                 "ORDER BY a.id", k, 2, ans_row, &c);
	} else {
		db_arg k[] = { DB_I(cons_id), DB_S(browser_hash) };
		rc = db_query(s, "SELECT a.id, a.question_id, COALESCE(a.option_id, 0), a.value, a.text, "
		                 "r.updated_at FROM cons_answers a JOIN cons_responses r ON "
		                 "r.id = a.response_id WHERE r.consultation_id = $1 AND "
		                 "r.browser_hash = $2 ORDER BY a.id", k, 2, ans_row, &c);
	}
	*out = c.v.items;
	*n = c.v.len;
	*updated_at = r.v;
	return rc;
}

static store_rc mine_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	cons_mine *m = db_vec_push(v);
	if (!m)
		return STORE_ERROR;
	m->id = db_int(r, 0);
	m->title = db_text(v->a, r, 1);
	m->created_at = db_int(r, 2);
	m->updated_at = db_int(r, 3);
	return m->title ? STORE_OK : STORE_ERROR;
}

store_rc cons_store_mine(store *s, arena *a, int64_t user_id, cons_mine **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(cons_mine) };
	db_arg k[] = { DB_I(user_id) };
	store_rc rc = db_query(s, "SELECT c.id, c.title, r.created_at, r.updated_at FROM "
	                          "cons_responses r JOIN cons_consultations c ON c.id = "
	                          "r.consultation_id WHERE r.user_id = $1 ORDER BY r.id",
	                       k, 1, mine_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}
