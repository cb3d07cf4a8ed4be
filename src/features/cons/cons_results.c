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

static void choice_question(app_req *q, const cons_question *qn, const cons_results *r,
                            int64_t answered, json_t *o)
{
	size_t n = qn->noptions;
	row *rows = arena_calloc(q->a, n + 2, sizeof *rows);
	if (!rows)
		return;
	for (size_t i = 0; i < n; i++) {
		const cons_option *op = &qn->options[i];
		const cons_cell *c = find_cell(r->options, r->noptions, qn->id, op->id);
		rows[i] = (row){ op->label, op->theme_name, op->id, c ? c->count : 0, 0 };
	}
	/* Write-ins: grouped, and one row "Other" with their total. */
	int64_t other = 0;
	json_t *groups = json_array(), *once = json_array();
	for (size_t i = 0; i < r->nwriteins; i++) {
		if (r->writeins[i].question_id != qn->id)
			continue;
		other += r->writeins[i].count;
		json_array_append_new(groups, json_pack("{s:s,s:I}", "text", r->wtext[i], "count",
		                                        (json_int_t)r->writeins[i].count));
		if (r->writeins[i].count == 1)
			json_array_append_new(once, json_string(r->wtext[i]));
	}
	if (qn->allow_other)
		rows[n++] = (row){ app_t(q, "Other (written in)"), "", INT64_MAX, other, 0 };
	qsort(rows, n, sizeof *rows, by_count);
	json_t *opts = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:I,s:i,s:b}", "label", rows[i].label,
		                                      "theme", rows[i].theme, "count",
		                                      (json_int_t)rows[i].count, "percent",
		                                      cons_percent(rows[i].count, answered), "is_other",
		                                      rows[i].id == INT64_MAX));
	json_object_set_new(o, "options", opts);
	json_object_set_new(o, "writeins", groups);
	json_object_set_new(o, "named_once", once);
	if (!q->want_json) { /* the page lists groups named more than once; the rest as "named once" */
		json_t *multi = json_array(), *g;
		size_t gi;
		json_array_foreach(groups, gi, g)
			if (json_integer_value(json_object_get(g, "count")) > 1)
				json_array_append(multi, g);
		json_object_set_new(o, "grouped", multi);
	}
	if (!q->want_json) {
		char *svg = chart(q, qn, rows, n, answered);
		json_object_set_new(o, "chart_svg", json_string(svg ? svg : ""));
	}
}

static void yesno_question(app_req *q, const cons_question *qn, const cons_results *r,
                           int64_t answered, json_t *o)
{
	static const char *const side[2] = { "no", "yes" };
	for (int v = 1; v >= 0; v--) {
		int64_t n = cell_count(r->values, r->nvalues, qn->id, 0, v, true);
		json_t *reasons = json_array();
		for (size_t i = 0; i < r->ntexts; i++)
			if (r->texts[i].question_id == qn->id && r->texts[i].has_value &&
			    r->texts[i].value == v)
				json_array_append_new(reasons, text_json(&r->texts[i]));
		json_object_set_new(o, side[v], json_pack("{s:I,s:i,s:o}", "count", (json_int_t)n,
		                                           "percent", cons_percent(n, answered),
		                                           "reasons", reasons));
	}
	if (!q->want_json) {
		row rows[2] = {
			{ app_t(q, "Yes"), "", 1, cell_count(r->values, r->nvalues, qn->id, 0, 1, true), 0 },
			{ app_t(q, "No"), "", 0, cell_count(r->values, r->nvalues, qn->id, 0, 0, true), 0 },
		};
		char *svg = chart(q, qn, rows, 2, answered);
		json_object_set_new(o, "chart_svg", json_string(svg ? svg : ""));
	}
}

static void ranking_question(app_req *q, const cons_question *qn, const cons_results *r,
                             json_t *o)
{
	size_t n = qn->noptions;
	row *rows = arena_calloc(q->a, n + 1, sizeof *rows);
	if (!rows)
		return;
	for (size_t i = 0; i < n; i++) {
		const cons_option *op = &qn->options[i];
		const cons_cell *c = find_cell(r->options, r->noptions, qn->id, op->id);
		rows[i] = (row){ op->label, op->theme_name, op->id, c ? c->count : 0, c ? c->sum : 0 };
	}
	qsort(rows, n, sizeof *rows, by_average);
	json_t *opts = json_array(), *places = json_array();
	for (size_t p = 1; p <= n; p++)
		json_array_append_new(places, json_integer((json_int_t)p));
	for (size_t i = 0; i < n; i++) {
		json_t *dist = json_array();
		for (size_t p = 1; p <= n; p++)
			json_array_append_new(dist, json_integer(cell_count(r->values, r->nvalues, qn->id,
			                                                    rows[i].id, (int64_t)p, true)));
		/* Borda: a first place earns n points, the last one 1. */
		int64_t borda = rows[i].count * ((int64_t)n + 1) - rows[i].sum;
		char avg[16] = "";
		if (rows[i].count)
			snprintf(avg, sizeof avg, "%.2f", (double)rows[i].sum / (double)rows[i].count);
		json_array_append_new(opts, json_pack("{s:i,s:s,s:s,s:I,s:s,s:I,s:o}", "rank", (int)i + 1,
		                                      "label", rows[i].label, "theme", rows[i].theme,
		                                      "count", (json_int_t)rows[i].count,
		                                      "average_place", avg, "borda",
		                                      (json_int_t)borda, "distribution", dist));
	}
	json_object_set_new(o, "options", opts);
	json_object_set_new(o, "places", places);
	if (!q->want_json) {
		row *br = arena_calloc(q->a, n + 1, sizeof *br);
		for (size_t i = 0; br && i < n; i++)
			br[i] = (row){ rows[i].label, "", rows[i].id,
			               rows[i].count * ((int64_t)n + 1) - rows[i].sum, 0 };
		char *svg = br ? chart(q, qn, br, n, cell_count(r->answered, r->nanswered, qn->id, 0, 0,
		                                                  false)) : NULL;
		json_object_set_new(o, "chart_svg", json_string(svg ? svg : ""));
	}
}

static void scale_question(app_req *q, const cons_question *qn, const cons_results *r,
                           int64_t answered, json_t *o)
{
	row rows[5];
	json_t *pts = json_array();
	int64_t sum = 0, n = 0;
	for (int v = 1; v <= 5; v++) {
		int64_t c = cell_count(r->values, r->nvalues, qn->id, 0, v, true);
		sum += c * v;
		n += c;
		const char *label = v == 1 && *qn->low_label ? arena_printf(q->a, "1 (%s)", qn->low_label)
		                  : v == 5 && *qn->high_label ? arena_printf(q->a, "5 (%s)", qn->high_label)
		                  : arena_printf(q->a, "%d", v);
		rows[v - 1] = (row){ label, "", v, c, 0 };
		json_array_append_new(pts, json_pack("{s:i,s:s,s:I,s:i}", "value", v, "label", label,
		                                     "count", (json_int_t)c, "percent",
		                                     cons_percent(c, answered)));
	}
	json_object_set_new(o, "points", pts);
	char avg[16] = "";
	if (n)
		snprintf(avg, sizeof avg, "%.2f", (double)sum / (double)n);
	json_object_set_new(o, "average", json_string(avg));
	if (!q->want_json) {
		char *svg = chart(q, qn, rows, 5, answered);
		json_object_set_new(o, "chart_svg", json_string(svg ? svg : ""));
	}
}

void cons_results_page(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
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
	json_t *qs = json_array(), *quotes = json_array();
	for (size_t i = 0; i < c.nquestions; i++) {
		const cons_question *qn = &c.questions[i];
		const cons_cell *ac = find_cell(r.answered, r.nanswered, qn->id, 0);
		int64_t answered = ac ? ac->count : 0;
		json_t *o = json_pack("{s:I,s:i,s:s,s:s,s:s,s:I,s:i}", "id", (json_int_t)qn->id,
		                      "number", (int)i + 1, "kind", qn->kind, "kind_label",
		                      cons_kind_label(qn->kind), "prompt", qn->prompt, "answered",
		                      (json_int_t)answered, "answered_percent",
		                      cons_percent(answered, r.respondents));
		json_object_set_new(o, arena_printf(q->a, "is_%s", qn->kind), json_true());
		if (org && (!strcmp(qn->kind, "text") || !strcmp(qn->kind, "yesno")))
			json_object_set_new(o, "all_texts", json_integer(ac ? ac->sum : 0));
		if (!strcmp(qn->kind, "single") || !strcmp(qn->kind, "multiple"))
			choice_question(q, qn, &r, answered, o);
		else if (!strcmp(qn->kind, "yesno"))
			yesno_question(q, qn, &r, answered, o);
		else if (!strcmp(qn->kind, "ranking"))
			ranking_question(q, qn, &r, o);
		else if (!strcmp(qn->kind, "scale"))
			scale_question(q, qn, &r, answered, o);
		if (!strcmp(qn->kind, "text")) {
			json_t *texts = json_array();
			int64_t shown = 0;
			for (size_t k = 0; k < r.ntexts; k++)
				if (r.texts[k].question_id == qn->id) {
					json_array_append_new(texts, text_json(&r.texts[k]));
					shown++;
				}
			json_object_set_new(o, "texts", texts);
			int64_t total = ac ? ac->sum : 0;
			if (total > shown && !org)
				json_object_set_new(o, "more", json_integer(total - shown));
		}
		for (size_t k = 0; k < r.ntexts; k++)
			if (r.texts[k].question_id == qn->id && r.texts[k].quoted && !r.texts[k].hidden)
				json_array_append_new(quotes, json_pack("{s:s,s:s}", "text", r.texts[k].text,
				                                        "question", qn->prompt));
		json_array_append_new(qs, o);
	}
	json_t *m = json_pack("{s:s,s:o,s:I,s:o,s:o}", "title", c.title, "consultation",
	                      cons_summary_json(q, &c), "respondents", (json_int_t)r.respondents,
	                      "questions", qs, "quotes", quotes);
	if (org)
		json_object_set_new(m, "can_edit", json_true());
	app_page(q, 200, "cons_results", m);
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
			                                 !strcmp(c.questions[i].kind, "yesno")))
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
	app_page(q, 200, "cons_answers", m);
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
