/* cons_store_results.c — store queries behind a consultation's results:
 * the counts kept as answers arrive (cons_tally, cons_writeins), a few rows
 * per question; the newest open answers per question; organisers' hide and
 * quote flags and their page through every written answer; and the export,
 * which streams every answer row by row.
 */
#include <string.h>

#include "../../store/db.h"
#include "cons.h"

/* ---- results ---- */


typedef struct win_ctx { db_vec cells; db_vec texts; } win_ctx;

static store_rc writein_row(const db_row *r, void *ctx)
{
	win_ctx *w = ctx;
	cons_cell *c = db_vec_push(&w->cells);
	const char **t = db_vec_push(&w->texts);
	if (!c || !t)
		return STORE_ERROR;
	c->question_id = db_int(r, 0);
	c->count = db_int(r, 1);
	*t = db_text(w->texts.a, r, 2);
	return *t ? STORE_OK : STORE_ERROR;
}

static store_rc text_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	cons_text *t = db_vec_push(v);
	if (!t)
		return STORE_ERROR;
	t->id = db_int(r, 0);
	t->question_id = db_int(r, 1);
	t->has_value = !db_isnull(r, 2);
	t->value = db_int(r, 2);
	t->hidden = db_bool(r, 3);
	t->quoted = db_bool(r, 4);
	t->text = db_text(v->a, r, 5);
	return t->text ? STORE_OK : STORE_ERROR;
}

static store_rc hidden_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	cons_cell *c = db_vec_push(v);
	if (!c)
		return STORE_ERROR;
	*c = (cons_cell){ .question_id = db_int(r, 0), .count = db_int(r, 1) };
	return STORE_OK;
}

typedef struct tally_ctx { db_vec answered, options, values; } tally_ctx;

/* Sorts the tally rows into the three kinds of cells. */
static store_rc tally_row(const db_row *r, void *ctx)
{
	tally_ctx *t = ctx;
	int64_t qid = db_int(r, 0), oid = db_int(r, 1);
	int64_t value = db_int(r, 2), n = db_int(r, 3);
	if (oid == -1 || oid == -2) {
		cons_cell *c = NULL, *cells = t->answered.items;
		for (size_t i = 0; i < t->answered.len; i++)
			if (cells[i].question_id == qid)
				c = &cells[i];
		if (!c && !(c = db_vec_push(&t->answered)))
			return STORE_ERROR;
		c->question_id = qid;
		if (oid == -1)
			c->count = n;
		else
			c->sum = n;
		return STORE_OK;
	}
	if (oid > 0) {
		/* Rows come ordered by question and option: extend the last cell. */
		cons_cell *cells = t->options.items, *c = t->options.len
			? &cells[t->options.len - 1] : NULL;
		if (!c || c->option_id != oid) {
			if (!(c = db_vec_push(&t->options)))
				return STORE_ERROR;
			c->question_id = qid;
			c->option_id = oid;
		}
		c->count += n;
		if (value > 0)
			c->sum += value * n;
	}
	if (value >= 0) {
		cons_cell *c = db_vec_push(&t->values);
		if (!c)
			return STORE_ERROR;
		*c = (cons_cell){ qid, oid, value, n, 0 };
	}
	return STORE_OK;
}

store_rc cons_store_results(store *s, arena *a, const consultation *c, size_t text_limit,
                            bool include_hidden, cons_results *out)
{
	memset(out, 0, sizeof *out);
	db_arg id[] = { DB_I(c->id) };
	out->respondents = c->responses;
	store_rc rc;
	/* The counts, kept in cons_tally as answers arrive. */
	tally_ctx t = { { .a = a, .size = sizeof(cons_cell) }, { .a = a, .size = sizeof(cons_cell) },
		        { .a = a, .size = sizeof(cons_cell) } };
	rc = db_query(s, "SELECT t.question_id, t.option_id, t.value, t.n FROM cons_tally t "
	                 "JOIN cons_questions q ON q.id = t.question_id "
	                 "WHERE q.consultation_id = $1 AND t.n <> 0 "
	                 "ORDER BY t.question_id, t.option_id, t.value",
	              id, 1, tally_row, &t);
	if (rc != STORE_OK)
		return rc;
	out->answered = t.answered.items;
	out->nanswered = t.answered.len;
	out->options = t.options.items;
	out->noptions = t.options.len;
	out->values = t.values.items;
	out->nvalues = t.values.len;
	/* Write-ins grouped by their folded text, counted as they arrive. */
	win_ctx w = { { .a = a, .size = sizeof(cons_cell) }, { .a = a, .size = sizeof(char *) } };
	rc = db_query(s, "SELECT w.question_id, w.n, w.text FROM cons_writeins w "
	                 "JOIN cons_questions q ON q.id = w.question_id "
	                 "WHERE q.consultation_id = $1 AND w.n > 0 "
	                 "ORDER BY w.question_id, w.n DESC, w.text, w.norm",
	              id, 1, writein_row, &w);
	if (rc != STORE_OK)
		return rc;
	out->writeins = w.cells.items;
	out->nwriteins = w.cells.len;
	out->wtext = w.texts.items;
	/* Open answers and reasons: the newest few per question, and every quote. */
	db_vec tv = { .a = a, .size = sizeof(cons_text) };
	for (size_t i = 0; rc == STORE_OK && i < c->nquestions; i++) {
		const cons_question *qn = &c->questions[i];
		if (strcmp(qn->kind, "text") && strcmp(qn->kind, "yesno"))
			continue;
		db_arg ta[] = { DB_I(qn->id), DB_I(include_hidden), DB_I((int64_t)text_limit) };
		rc = db_query(s, "SELECT id, question_id, value, hidden, quoted, text FROM cons_answers "
		                 "WHERE question_id = $1 AND text <> '' AND (hidden = 0 OR $2 = 1) "
		                 "ORDER BY id DESC LIMIT $3", ta, 3, text_row, &tv);
		size_t got = tv.len;
		db_arg qa[] = { DB_I(qn->id), DB_I(include_hidden),
			        DB_I(got ? ((cons_text *)tv.items)[got - 1].id : INT64_MAX) };
		if (rc == STORE_OK)
			rc = db_query(s, "SELECT id, question_id, value, hidden, quoted, text FROM "
			                 "cons_answers WHERE question_id = $1 AND quoted = 1 AND "
			                 "(hidden = 0 OR $2 = 1) AND id < $3 ORDER BY id DESC",
			              qa, 3, text_row, &tv);
	}
	out->texts = tv.items;
	out->ntexts = tv.len;
	if (rc != STORE_OK)
		return rc;
	/* How many written answers organisers hid, per question. */
	db_vec hv = { .a = a, .size = sizeof(cons_cell) };
	rc = db_query(s, "SELECT a.question_id, COUNT(*) FROM cons_answers a "
	                 "JOIN cons_questions q ON q.id = a.question_id "
	                 "WHERE q.consultation_id = $1 AND a.hidden = 1 GROUP BY a.question_id",
	              id, 1, hidden_row, &hv);
	out->hidden = hv.items;
	out->nhidden = hv.len;
	return rc;
}

typedef struct flag_ctx {
	int64_t cons_id, answer_id;
	bool    quoted, on;
	/* the answer as it was */
	bool    found, was;
	int64_t question_id;
	char    norm[1024];
	bool    long_norm;
} flag_ctx;

static store_rc flag_row(const db_row *r, void *ctx)
{
	flag_ctx *f = ctx;
	f->found = true;
	f->question_id = db_int(r, 0);
	f->was = db_bool(r, 1);
	const char *n = db_text_ref(r, 2);
	size_t len = n ? strlen(n) : 0;
	f->long_norm = len >= sizeof f->norm;
	if (!f->long_norm)
		memcpy(f->norm, n ? n : "", len + 1);
	return STORE_OK;
}

/* cons_store_answer_flag's transaction: the flag, and for a write-in that
 * is hidden or shown again its group's count and shown spelling. */
static store_rc flag_tx(store *s, void *ctx)
{
	flag_ctx *f = ctx;
	f->found = false;
	db_arg k[] = { DB_I(f->answer_id), DB_I(f->cons_id) };
	store_rc rc = db_query(s, f->quoted
	                       ? "SELECT a.question_id, a.quoted, CASE WHEN a.option_id IS NULL "
	                         "THEN a.norm ELSE '' END FROM cons_answers a JOIN cons_questions q "
	                         "ON q.id = a.question_id WHERE a.id = $1 AND a.text <> '' AND "
	                         "q.consultation_id = $2"
	                       : "SELECT a.question_id, a.hidden, CASE WHEN a.option_id IS NULL "
	                         "THEN a.norm ELSE '' END FROM cons_answers a JOIN cons_questions q "
	                         "ON q.id = a.question_id WHERE a.id = $1 AND a.text <> '' AND "
	                         "q.consultation_id = $2", k, 2, flag_row, f);
	if (rc != STORE_OK)
		return rc;
	if (!f->found)
		return STORE_NOTFOUND;
	if (f->long_norm)
		return STORE_ERROR;
	if (f->was == f->on)
		return STORE_OK; /* already so: nothing to count twice */
	db_arg a[] = { DB_I(f->on), DB_I(f->answer_id) };
	rc = db_exec(s, f->quoted ? "UPDATE cons_answers SET quoted = $1 WHERE id = $2"
	                          : "UPDATE cons_answers SET hidden = $1 WHERE id = $2",
	             a, 2, NULL, NULL);
	if (rc == STORE_OK && !f->quoted && f->norm[0])
		rc = cons_store_writein_regroup(s, f->question_id, f->norm, f->on ? -1 : 1);
	db_arg t[] = { DB_I(db_now()), DB_I(f->cons_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE cons_consultations SET updated_at = $1 WHERE id = $2", t, 2,
		             NULL, NULL);
	return rc;
}

store_rc cons_store_answer_flag(store *s, int64_t cons_id, int64_t answer_id, bool quoted,
                                bool on)
{
	flag_ctx f = { .cons_id = cons_id, .answer_id = answer_id, .quoted = quoted, .on = on };
	return store_tx(s, flag_tx, &f);
}

store_rc cons_store_texts(store *s, arena *a, int64_t qid, int64_t before_id, size_t limit,
                          cons_text **out, size_t *n)
{
	db_vec tv = { .a = a, .size = sizeof(cons_text) };
	db_arg ta[] = { DB_I(qid), DB_I(before_id > 0 ? before_id : INT64_MAX), DB_I((int64_t)limit) };
	store_rc rc = db_query(s, "SELECT id, question_id, value, hidden, quoted, text FROM "
	                          "cons_answers WHERE question_id = $1 AND text <> '' AND id < $2 "
	                          "ORDER BY id DESC LIMIT $3", ta, 3, text_row, &tv);
	*out = tv.items;
	*n = tv.len;
	return rc;
}

/* ---- export ---- */

typedef struct exp_ctx { cons_export_fn fn; void *ctx; } exp_ctx;

/* Texts are borrowed from the row (db_text_ref): valid during the call
 * only, so an export of any size allocates nothing per row. */
static store_rc export_row(const db_row *r, void *ctx)
{
	exp_ctx *e = ctx;
	cons_export_row x = {
		.response_id = db_int(r, 0),
		.created_at = db_int(r, 1),
		.updated_at = db_int(r, 2),
		.user_name = db_text_ref(r, 3),
		.user_email = db_text_ref(r, 4),
		.question_id = db_int(r, 5),
		.option_id = db_int(r, 6),
		.has_value = !db_isnull(r, 7),
		.value = db_int(r, 7),
		.text = db_text_ref(r, 8),
		.hidden = db_bool(r, 9),
	};
	return e->fn(&x, e->ctx);
}

store_rc cons_store_export(store *s, int64_t cons_id, cons_export_fn fn, void *ctx)
{
	exp_ctx e = { fn, ctx };
	db_arg id[] = { DB_I(cons_id) };
	return db_query(s, "SELECT r.id, r.created_at, r.updated_at, COALESCE(u.name, ''), "
	                   "COALESCE(u.email, ''), a.question_id, COALESCE(a.option_id, 0), a.value, "
	                   "a.text, a.hidden FROM cons_responses r "
	                   "LEFT JOIN users u ON u.id = r.user_id "
	                   "JOIN cons_answers a ON a.response_id = r.id "
	                   "JOIN cons_questions q ON q.id = a.question_id "
	                   "LEFT JOIN cons_options o ON o.id = a.option_id "
	                   "WHERE r.consultation_id = $1 "
	                   "ORDER BY r.id, q.position, q.id, a.value NULLS FIRST, "
	                   "o.position NULLS FIRST, a.id",
	                id, 1, export_row, &e);
}
