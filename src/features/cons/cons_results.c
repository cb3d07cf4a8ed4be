/* consultations_results.c — the results of a consultation: the number of
 * respondents; per choice question a server-rendered SVG bar chart and a
 * table sorted by count; write-ins grouped with those named once; open
 * answers (organisers hide or quote them); yes/no with the reasons per side;
 * ranking by average place (Borda) with the distribution; scales. The
 * same model is the JSON at /api/v1/consultations/{id}/results. Everything
 * comes from the store's GROUP BY aggregates, never from every answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/text.h"
#include "cons.h"

enum { TEXT_LIMIT = 10, PAGE = 100 }; /* texts on the results page; per page of all answers */

typedef struct row { const char *label, *theme; int64_t id, count, sum; } row;

static int by_count(const void *a, const void *b)
{
	const row *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Ranking: lower average place first; unranked options last. */
static int by_average(const void *a, const void *b)
{
	const row *x = a, *y = b;
	double ax = x->count ? (double)x->sum / (double)x->count : 1e9;
	double ay = y->count ? (double)y->sum / (double)y->count : 1e9;
	if (ax != ay)
		return ax < ay ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int64_t cell_count(const cons_cell *cells, size_t n, int64_t qid, int64_t oid,
                          int64_t value, bool match_value)
{
	for (size_t i = 0; i < n; i++)
		if (cells[i].question_id == qid && cells[i].option_id == oid &&
		    (!match_value || cells[i].value == value))
			return cells[i].count;
	return 0;
}

static const cons_cell *find_cell(const cons_cell *cells, size_t n, int64_t qid, int64_t oid)
{
	for (size_t i = 0; i < n; i++)
		if (cells[i].question_id == qid && cells[i].option_id == oid)
			return &cells[i];
	return NULL;
}

static char *chart(app_req *q, const cons_question *qn, const row *rows, size_t n,
                   int64_t answered)
{
	const char **labels = arena_calloc(q->a, n + 1, sizeof *labels);
	int64_t *counts = arena_calloc(q->a, n + 1, sizeof *counts);
	if (!labels || !counts)
		return NULL;
	sb desc;
	sb_init(&desc);
	sb_printf(&desc, app_t(q, "Bar chart of %lld answers."), (long long)answered);
	for (size_t i = 0; i < n; i++) {
		labels[i] = rows[i].label;
		counts[i] = rows[i].count;
		sb_printf(&desc, " %s: %lld.", rows[i].label, (long long)rows[i].count);
	}
	sb out;
	sb_init(&out);
	char id[32];
	snprintf(id, sizeof id, "chart-%lld", (long long)qn->id);
	web_svg_bars(&out, id, qn->prompt, sb_str(&desc), labels, counts, n);
	char *r = sb_failed(&out) || sb_failed(&desc) ? NULL : arena_strdup(q->a, sb_str(&out));
	sb_free(&out);
	sb_free(&desc);
	return r;
}

static json_t *text_json(const cons_text *t)
{
	return json_pack("{s:I,s:s,s:b,s:b}", "id", (json_int_t)t->id, "text", t->text, "hidden",
	                 t->hidden, "quoted", t->quoted);
}

/* Appends v to arr (stolen); false when either is missing. */
static bool push(json_t *arr, json_t *v)
{
	return arr && v && json_array_append_new(arr, v) == 0;
}

static bool put(json_t *o, const char *key, json_t *v)
{
	return o && v && json_object_set_new(o, key, v) == 0;
}

/* A choice question: each option's count (most chosen first), the
 * write-ins grouped by their folded text and their total ("other"). The
 * page adds the "Other" row among the options, the groups named more than
 * once and the chart. */
static bool choice_question(app_req *q, const cons_question *qn, const cons_results *r,
                            int64_t answered, int64_t written, json_t *o)
{
	size_t n = qn->noptions;
	row *rows = arena_calloc(q->a, n + 2, sizeof *rows);
	if (!rows)
		return false;
	for (size_t i = 0; i < n; i++) {
		const cons_option *op = &qn->options[i];
		const cons_cell *c = find_cell(r->options, r->noptions, qn->id, op->id);
		rows[i] = (row){ op->label, op->theme_name, op->id, c ? c->count : 0, 0 };
	}
	qsort(rows, n, sizeof *rows, by_count);
	json_t *opts = json_array(), *groups = json_array(), *once = json_array();
	bool ok = put(o, "options", opts) && put(o, "writeins", groups) && put(o, "named_once", once);
	for (size_t i = 0; ok && i < n; i++)
		ok = push(opts, json_pack("{s:I,s:s,s:s,s:I,s:i}", "id", (json_int_t)rows[i].id,
		                          "label", rows[i].label, "theme", rows[i].theme, "count",
		                          (json_int_t)rows[i].count, "percent",
		                          cons_percent(rows[i].count, answered)));
	/* Write-ins that are shown (hidden ones left their group). */
	for (size_t i = 0; ok && i < r->nwriteins; i++) {
		if (r->writeins[i].question_id != qn->id)
			continue;
		ok = push(groups, json_pack("{s:s,s:I}", "text", r->wtext[i], "count",
		                            (json_int_t)r->writeins[i].count));
		if (ok && r->writeins[i].count == 1)
			ok = push(once, json_string(r->wtext[i]));
	}
	/* Everyone who wrote something in under "other", hidden ones too. */
	if (ok && qn->allow_other)
		ok = put(o, "other", json_pack("{s:I,s:i}", "count", (json_int_t)written, "percent",
		                               cons_percent(written, answered)));
	if (!ok || q->want_json)
		return ok;
	/* The page: "Other" among the options, by count; groups named more
	 * than once (the rest are listed as named once); the chart. */
	if (qn->allow_other) {
		rows[n++] = (row){ app_t(q, "Other (written in)"), "", INT64_MAX, written, 0 };
		qsort(rows, n, sizeof *rows, by_count);
	}
	json_t *view = json_array(), *multi = json_array(), *g;
	ok = put(o, "options", view) && put(o, "grouped", multi);
	for (size_t i = 0; ok && i < n; i++)
		ok = push(view, json_pack("{s:s,s:s,s:I,s:i,s:b}", "label", rows[i].label, "theme",
		                          rows[i].theme, "count", (json_int_t)rows[i].count, "percent",
		                          cons_percent(rows[i].count, answered), "is_other",
		                          rows[i].id == INT64_MAX));
	size_t gi;
	json_array_foreach(groups, gi, g)
		if (ok && json_integer_value(json_object_get(g, "count")) > 1)
			ok = json_array_append(multi, g) == 0;
	char *svg = ok ? chart(q, qn, rows, n, answered) : NULL;
	return svg && put(o, "chart_svg", json_string(svg));
}

static bool yesno_question(app_req *q, const cons_question *qn, const cons_results *r,
                           int64_t answered, json_t *o)
{
	static const char *const side[2] = { "no", "yes" };
	bool ok = true;
	for (int v = 1; ok && v >= 0; v--) {
		int64_t n = cell_count(r->values, r->nvalues, qn->id, 0, v, true);
		json_t *reasons = json_array();
		for (size_t i = 0; reasons && i < r->ntexts; i++)
			if (r->texts[i].question_id == qn->id && r->texts[i].has_value &&
			    r->texts[i].value == v && !push(reasons, text_json(&r->texts[i]))) {
				json_decref(reasons);
				reasons = NULL;
			}
		ok = reasons && put(o, side[v], json_pack("{s:I,s:i,s:o}", "count", (json_int_t)n,
		                                          "percent", cons_percent(n, answered),
		                                          "reasons", reasons));
	}
	if (!ok || q->want_json)
		return ok;
	row rows[2] = {
		{ app_t(q, "Yes"), "", 1, cell_count(r->values, r->nvalues, qn->id, 0, 1, true), 0 },
		{ app_t(q, "No"), "", 0, cell_count(r->values, r->nvalues, qn->id, 0, 0, true), 0 },
	};
	char *svg = chart(q, qn, rows, 2, answered);
	return svg && put(o, "chart_svg", json_string(svg));
}

static bool ranking_question(app_req *q, const cons_question *qn, const cons_results *r,
                             json_t *o)
{
	size_t n = qn->noptions;
	row *rows = arena_calloc(q->a, n + 1, sizeof *rows);
	if (!rows)
		return false;
	for (size_t i = 0; i < n; i++) {
		const cons_option *op = &qn->options[i];
		const cons_cell *c = find_cell(r->options, r->noptions, qn->id, op->id);
		rows[i] = (row){ op->label, op->theme_name, op->id, c ? c->count : 0, c ? c->sum : 0 };
	}
	qsort(rows, n, sizeof *rows, by_average);
	json_t *opts = json_array();
	bool ok = put(o, "options", opts);
	for (size_t i = 0; ok && i < n; i++) {
		json_t *dist = json_array();
		for (size_t p = 1; dist && p <= n; p++)
			if (json_array_append_new(dist, json_integer(cell_count(r->values, r->nvalues, qn->id,
			                                                        rows[i].id, (int64_t)p, true)))) {
				json_decref(dist);
				dist = NULL;
			}
		/* Borda: a first place earns n points, the last one 1. */
		int64_t borda = rows[i].count * ((int64_t)n + 1) - rows[i].sum;
		char avg[16] = "";
		if (rows[i].count)
			snprintf(avg, sizeof avg, "%.2f", (double)rows[i].sum / (double)rows[i].count);
		ok = dist && push(opts, json_pack("{s:I,s:i,s:s,s:s,s:I,s:s,s:I,s:o}", "id",
		                                  (json_int_t)rows[i].id, "rank", (int)i + 1, "label",
		                                  rows[i].label, "theme", rows[i].theme, "count",
		                                  (json_int_t)rows[i].count, "average_place", avg,
		                                  "borda", (json_int_t)borda, "distribution", dist));
	}
	if (!ok || q->want_json)
		return ok;
	json_t *places = json_array();
	ok = put(o, "places", places);
	for (size_t p = 1; ok && p <= n; p++)
		ok = push(places, json_integer((json_int_t)p));
	row *br = ok ? arena_calloc(q->a, n + 1, sizeof *br) : NULL;
	for (size_t i = 0; br && i < n; i++)
		br[i] = (row){ rows[i].label, "", rows[i].id,
		               rows[i].count * ((int64_t)n + 1) - rows[i].sum, 0 };
	char *svg = br ? chart(q, qn, br, n, cell_count(r->answered, r->nanswered, qn->id, 0, 0,
	                                                false)) : NULL;
	return svg && put(o, "chart_svg", json_string(svg));
}

static bool scale_question(app_req *q, const cons_question *qn, const cons_results *r,
                           int64_t answered, json_t *o)
{
	row rows[5];
	json_t *pts = json_array();
	bool ok = put(o, "points", pts) && put(o, "scale_low", json_string(qn->low_label)) &&
	          put(o, "scale_high", json_string(qn->high_label));
	int64_t sum = 0, n = 0;
	for (int v = 1; ok && v <= 5; v++) {
		int64_t c = cell_count(r->values, r->nvalues, qn->id, 0, v, true);
		sum += c * v;
		n += c;
		json_t *pt = json_pack("{s:i,s:I,s:i}", "value", v, "count", (json_int_t)c, "percent",
		                       cons_percent(c, answered));
		const char *label = v == 1 && *qn->low_label ? arena_printf(q->a, "1 (%s)", qn->low_label)
		                  : v == 5 && *qn->high_label ? arena_printf(q->a, "5 (%s)", qn->high_label)
		                  : arena_printf(q->a, "%d", v);
		rows[v - 1] = (row){ label ? label : "", "", v, c, 0 };
		if (!q->want_json && !put(pt, "label", json_string(label ? label : ""))) {
			json_decref(pt);
			pt = NULL;
		}
		ok = push(pts, pt) && label;
	}
	char avg[16] = "";
	if (n)
		snprintf(avg, sizeof avg, "%.2f", (double)sum / (double)n);
	ok = ok && put(o, "average", json_string(avg));
	if (!ok || q->want_json)
		return ok;
	char *svg = chart(q, qn, rows, 5, answered);
	return svg && put(o, "chart_svg", json_string(svg));
}

/* One question's results: data, and for the page what it shows beside. */
static json_t *question_results(app_req *q, const consultation *c, size_t i,
                                const cons_results *r, bool org)
{
	const cons_question *qn = &c->questions[i];
	const cons_cell *ac = find_cell(r->answered, r->nanswered, qn->id, 0);
	const cons_cell *hc = find_cell(r->hidden, r->nhidden, qn->id, 0);
	int64_t answered = ac ? ac->count : 0, written = ac ? ac->sum : 0;
	int64_t hidden = hc ? hc->count : 0;
	json_t *o = json_pack("{s:I,s:i,s:s,s:s,s:I,s:i,s:I}", "id", (json_int_t)qn->id,
	                      "position", (int)i + 1, "kind", qn->kind, "prompt", qn->prompt,
	                      "answered", (json_int_t)answered, "answered_percent",
	                      cons_percent(answered, r->respondents), "hidden", (json_int_t)hidden);
	bool ok = o != NULL;
	if (ok && (!strcmp(qn->kind, "single") || !strcmp(qn->kind, "multiple")))
		ok = choice_question(q, qn, r, answered, written, o);
	else if (ok && !strcmp(qn->kind, "yesno"))
		ok = yesno_question(q, qn, r, answered, o);
	else if (ok && !strcmp(qn->kind, "ranking"))
		ok = ranking_question(q, qn, r, o);
	else if (ok && !strcmp(qn->kind, "scale"))
		ok = scale_question(q, qn, r, answered, o);
	int64_t shown = 0;
	if (ok && !strcmp(qn->kind, "text")) {
		json_t *texts = json_array();
		ok = put(o, "texts", texts);
		for (size_t k = 0; ok && k < r->ntexts; k++)
			if (r->texts[k].question_id == qn->id) {
				ok = push(texts, text_json(&r->texts[k]));
				shown++;
			}
		/* Written answers that are shown to this reader, all told. */
		ok = ok && put(o, "texts_total", json_integer(org ? written : written - hidden));
	}
	if (!ok || q->want_json) {
		if (!ok)
			json_decref(o);
		return ok ? o : NULL;
	}
	/* The page: labels and flags, the "more" line, the organiser's link. */
	ok = put(o, "number", json_integer((json_int_t)i + 1)) &&
	     put(o, "kind_label", json_string(cons_kind_label(qn->kind))) &&
	     put(o, arena_printf(q->a, "is_%s", qn->kind), json_true());
	bool writes = !strcmp(qn->kind, "text") || !strcmp(qn->kind, "yesno") || qn->allow_other;
	if (ok && org && writes)
		ok = put(o, "all_texts", json_integer(written));
	if (ok && !org && !strcmp(qn->kind, "text") && written - hidden > shown)
		ok = put(o, "more", json_integer(written - hidden - shown));
	if (ok && !org && hidden)
		ok = put(o, "hidden_count", json_integer(hidden));
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void cons_results_page(app_req *q)
{
	consultation c;
	if (!cons_load_visible(q, &c))
		return;
	if (!cons_results_visible(q, &c)) {
		app_error(q, 403, "The results of this consultation are not public yet.");
		return;
	}
	bool org = cons_is_organiser(q);
	cons_results r;
	store_rc rc = cons_store_results(q->app->db, q->a, &c, TEXT_LIMIT, org, &r);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *m = json_pack("{s:o,s:I}", "consultation", cons_summary_json(q, &c), "respondents",
	                      (json_int_t)r.respondents);
	json_t *qs = json_array(), *quotes = json_array();
	bool ok = put(m, "questions", qs) && put(m, "quotes", quotes);
	for (size_t i = 0; ok && i < c.nquestions; i++) {
		const cons_question *qn = &c.questions[i];
		ok = push(qs, question_results(q, &c, i, &r, org));
		for (size_t k = 0; ok && k < r.ntexts; k++)
			if (r.texts[k].question_id == qn->id && r.texts[k].quoted && !r.texts[k].hidden)
				ok = push(quotes, q->want_json
				          ? json_pack("{s:I,s:I,s:s}", "answer_id", (json_int_t)r.texts[k].id,
				                      "question_id", (json_int_t)qn->id, "text",
				                      r.texts[k].text)
				          : json_pack("{s:s,s:s}", "text", r.texts[k].text, "question",
				                      qn->prompt));
	}
	if (!ok) {
		json_decref(m);
		cons_oom(q);
		return;
	}
	if (q->want_json) {
		cons_json(q, 200, m);
		return;
	}
	put(m, "title", json_string(c.title));
	if (org)
		put(m, "can_edit", json_true());
	cons_page(q, 200, "cons_results", m);
}

/* GET /consultations/{cid}/answers?question=QID&before=ID — organisers go
 * through every open answer or reason of a question, to hide or quote. */
void cons_answers_page(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	long long qid = 0, before = 0;
	const char *qs = http_query(q->r, "question"), *bs = http_query(q->r, "before");
	const cons_question *qn = NULL;
	if (qs && text_parse_int(qs, 1, INT64_MAX, &qid))
		for (size_t i = 0; i < c.nquestions; i++)
			if (c.questions[i].id == qid && (!strcmp(c.questions[i].kind, "text") ||
			                                 !strcmp(c.questions[i].kind, "yesno") ||
			                                 c.questions[i].allow_other))
				qn = &c.questions[i];
	if (!qn || (bs && !text_parse_int(bs, 1, INT64_MAX, &before))) {
		app_error(q, 404, "This page does not exist (any more). Check the address or start at the home page.");
		return;
	}
	cons_text *t;
	size_t n;
	store_rc rc = cons_store_texts(q->app->db, q->a, qn->id, before, PAGE, &t, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *texts = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = text_json(&t[i]);
		if (t[i].has_value)
			json_object_set_new(o, "side", json_string(t[i].value ? "yes" : "no"));
		json_array_append_new(texts, o);
	}
	json_t *m = json_pack("{s:s,s:o,s:s,s:I,s:o,s:b}", "title", c.title, "consultation",
	                      cons_summary_json(q, &c), "prompt", qn->prompt, "question_id",
	                      (json_int_t)qn->id, "texts", texts, "can_edit", 1);
	json_object_set_new(m, "back", json_string(arena_printf(q->a,
	                    "/consultations/%lld/answers?question=%lld%s", (long long)c.id,
	                    (long long)qn->id, before ? arena_printf(q->a, "&before=%lld", before) : "")));
	if (n == PAGE)
		json_object_set_new(m, "next_before", json_integer(t[n - 1].id));
	cons_page(q, 200, "cons_answers", m);
}

/* POST /consultations/{cid}/answers/{aid}/hide or /quote, with on=1|0. */
static void flag(app_req *q, bool quoted)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	const char *on = http_form(q->r, "on");
	if (!on || (strcmp(on, "1") && strcmp(on, "0"))) {
		app_error(q, 400, "Choose whether to switch this on or off.");
		return;
	}
	store_rc rc = cons_store_answer_flag(q->app->db, c.id, app_param_id(q, "aid"), quoted,
	                                     !strcmp(on, "1"));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	/* Back where the organiser was: the results or a page of all answers. */
	char *to = arena_printf(q->a, "/consultations/%lld/", (long long)c.id);
	const char *back = http_form(q->r, "back");
	if (to && back && !strncmp(back, to, strlen(to)) && !strchr(back, '\\') &&
	    !text_has_control(back, false))
		to = arena_strdup(q->a, back);
	else
		to = arena_printf(q->a, "/consultations/%lld/results", (long long)c.id);
	app_redirect(q, to ? to : "/", "saved");
}

void cons_answer_hide(app_req *q) { flag(q, false); }
void cons_answer_quote(app_req *q) { flag(q, true); }
