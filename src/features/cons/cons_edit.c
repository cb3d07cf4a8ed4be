/* consultations_edit.c — organisers set up a consultation on a plan: its
 * title, Markdown introduction, dates, anonymous answers and when results
 * are public; and its questions (add, fix wording, reorder, remove) and
 * options (tied to a theme when a line names one of the plan's themes).
 * After the first response only wording may change (409 otherwise). Also
 * the plan page's list of consultations (cons_plan_summary).
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "cons.h"

static const char *const kinds[] = { "single", "multiple", "text", "yesno", "ranking", "scale",
	                             NULL };
static const char *const publics[] = { "while_open", "after_close", NULL };

static const form_field cons_fields[] = {
	{ "title", F_TEXT, true, 200, NULL },
	{ "intro", F_MULTILINE, false, 10000, NULL },
	{ "opens_on", F_DATE, true, 10, NULL },
	{ "closes_on", F_DATE, true, 10, NULL },
	{ "results_public", F_CHOICE, true, 20, publics },
	{ "allow_anonymous", F_TEXT, false, 1, NULL },
};
static const form_field question_fields[] = {
	{ "kind", F_CHOICE, true, 20, kinds },
	{ "prompt", F_TEXT, true, 500, NULL },
	{ "help", F_MULTILINE, false, 1000, NULL },
	{ "required", F_TEXT, false, 1, NULL },
	{ "max_choices", F_TEXT, false, 3, NULL },
	{ "allow_other", F_TEXT, false, 1, NULL },
	{ "max_length", F_TEXT, false, 5, NULL },
	{ "low_label", F_TEXT, false, 80, NULL },
	{ "high_label", F_TEXT, false, 80, NULL },
	{ "options", F_MULTILINE, false, 5000, NULL },
};
static const form_field option_fields[] = {
	{ "label", F_TEXT, true, 200, NULL },
};
#define NF(a) (sizeof a / sizeof *a)

json_t *cons_plan_summary(app_req *q, int64_t plan_id)
{
	consultation *list;
	size_t n;
	json_t *arr = json_array();
	if (cons_store_list(q->app->db, q->a, plan_id, &list, &n) != STORE_OK)
		return arr;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, cons_summary_json(q, &list[i]));
	return arr;
}

static bool plan_load(app_req *q, plan *p)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? store_plan_get(q->app->db, q->a, id, p) : STORE_NOTFOUND;
	if (rc != STORE_OK)
		app_store_error(q, rc);
	return rc == STORE_OK;
}

static void check_dates(app_req *q, json_t *v, json_t *e)
{
	int a, b;
	if (!json_object_get(e, "opens_on") && !json_object_get(e, "closes_on") &&
	    text_parse_date(form_str(v, "opens_on"), &a) &&
	    text_parse_date(form_str(v, "closes_on"), &b) && b < a)
		form_error(q, e, "closes_on", "The end date must be on or after the start date.");
}

static json_t *publics_json(const char *sel)
{
	static const char *const labels[] = { "While it is open, and after", "Only after it closes" };
	json_t *a = json_array();
	for (int i = 0; publics[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", publics[i], "label",
		                                   labels[i], "selected", !strcmp(sel, publics[i])));
	return a;
}

static json_t *kinds_json(const char *sel)
{
	json_t *a = json_array();
	for (int i = 0; kinds[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", kinds[i], "label",
		                                   cons_kind_label(kinds[i]), "selected",
		                                   !strcmp(sel, kinds[i])));
	return a;
}

void cons_new(app_req *q)
{
	plan p;
	if (!plan_load(q, &p))
		return;
	json_t *v, *e;
	if (q->r->method != HTTP_POST) {
		v = json_pack("{s:s,s:s}", "results_public", "after_close", "allow_anonymous", "1");
		e = json_object();
	} else {
		form_check(q, cons_fields, NF(cons_fields), &v, &e);
		check_dates(q, v, e);
		if (!json_object_size(e)) {
			consultation c = { .plan_id = p.id, .title = form_str(v, "title"),
				           .intro = form_str(v, "intro"), .opens_on = form_str(v, "opens_on"),
				           .closes_on = form_str(v, "closes_on"),
				           .allow_anonymous = !strcmp(form_str(v, "allow_anonymous"), "1"),
				           .results_public = form_str(v, "results_public") };
			int64_t id = 0;
			store_rc rc = cons_store_create(q->app->db, &c, &id);
			json_decref(v);
			json_decref(e);
			if (rc != STORE_OK) {
				app_store_error(q, rc);
				return;
			}
			char *to = arena_printf(q->a, "/consultations/%lld/edit", (long long)id);
			app_redirect(q, to ? to : "/", "saved");
			return;
		}
	}
	json_t *m = json_pack("{s:s,s:I,s:s,s:O,s:o,s:o,s:b}", "title",
	                      app_t(q, "New consultation"), "plan_id", (json_int_t)p.id,
	                      "plan_title", p.title, "form", v, "errors", e, "public_options",
	                      publics_json(form_str(v, "results_public")), "has_errors",
	                      json_object_size(e) > 0);
	json_object_set_new(m, "anonymous_checked",
	                    json_boolean(!strcmp(form_str(v, "allow_anonymous"), "1")));
	json_decref(v);
	app_page(q, json_object_size(e) ? 422 : 200, "cons_new", m);
}

/* The edit page; focus names the form that has values and errors to show. */
static void edit_page(app_req *q, int status, const consultation *c, const char *focus,
                      int64_t fid, json_t *v, json_t *e)
{
	json_t *sum = cons_summary_json(q, c);
	bool frozen = c->responses > 0;
	json_t *cf = !strcmp(focus, "cons") ? json_incref(v)
		: json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "title", c->title, "intro", c->intro,
		            "opens_on", c->opens_on, "closes_on", c->closes_on, "results_public",
		            c->results_public, "allow_anonymous", c->allow_anonymous ? "1" : "");
	json_t *m = json_pack("{s:s,s:o,s:b,s:o,s:o,s:o,s:b}", "title", c->title, "consultation", sum,
	                      "frozen", frozen, "form", cf, "errors",
	                      !strcmp(focus, "cons") ? json_incref(e) : json_object(),
	                      "public_options", publics_json(form_str(cf, "results_public")),
	                      "anonymous_checked", !strcmp(form_str(cf, "allow_anonymous"), "1"));
	json_t *qs = json_array();
	for (size_t i = 0; i < c->nquestions; i++) {
		const cons_question *qn = &c->questions[i];
		bool mine = !strcmp(focus, "question") && fid == qn->id;
		json_t *qf = mine ? json_incref(v)
			: json_pack("{s:s,s:s,s:s,s:s}", "prompt", qn->prompt, "help", qn->help,
			            "low_label", qn->low_label, "high_label", qn->high_label);
		json_t *opts = json_array();
		for (size_t k = 0; k < qn->noptions; k++)
			json_array_append_new(opts, json_pack("{s:I,s:s,s:s,s:I}", "id",
			                                      (json_int_t)qn->options[k].id, "label",
			                                      qn->options[k].label, "theme",
			                                      qn->options[k].theme_name, "qid",
			                                      (json_int_t)qn->id));
		json_t *o = json_pack("{s:I,s:i,s:s,s:s,s:b,s:i,s:b,s:i,s:o,s:o,s:o,s:b,s:b,s:b}",
		                      "id", (json_int_t)qn->id, "number", (int)i + 1, "kind", qn->kind,
		                      "kind_label", cons_kind_label(qn->kind), "required", qn->required,
		                      "max_choices", qn->max_choices, "allow_other", qn->allow_other,
		                      "max_length", qn->max_length, "form", qf, "errors",
		                      mine ? json_incref(e) : json_object(), "options", opts, "first",
		                      i == 0, "last", i + 1 == c->nquestions, "has_options",
		                      !strcmp(qn->kind, "single") || !strcmp(qn->kind, "multiple") ||
		                      !strcmp(qn->kind, "ranking"));
		json_object_set_new(o, "is_scale", json_boolean(!strcmp(qn->kind, "scale")));
		json_object_set_new(o, "is_multiple", json_boolean(!strcmp(qn->kind, "multiple")));
		json_object_set_new(o, "is_choice", json_boolean(!strcmp(qn->kind, "single") ||
		                                                 !strcmp(qn->kind, "multiple")));
		json_array_append_new(qs, o);
	}
	json_object_set_new(m, "questions", qs);
	bool nq = !strcmp(focus, "new_question");
	json_t *nf = nq ? json_incref(v) : json_pack("{s:s,s:s}", "kind", "single", "max_length",
	                                             "1000");
	json_object_set_new(m, "new_question", json_pack("{s:o,s:o,s:o,s:b,s:b}", "form", nf,
	                    "errors", nq ? json_incref(e) : json_object(), "kind_options",
	                    kinds_json(form_str(nf, "kind")), "required_checked",
	                    !strcmp(form_str(nf, "required"), "1"), "other_checked",
	                    !strcmp(form_str(nf, "allow_other"), "1")));
	if (e && json_object_size(e))
		json_object_set_new(m, "has_errors", json_true());
	app_page(q, status, "cons_edit", m);
}

static void reshow(app_req *q, const consultation *c, const char *focus, int64_t fid, json_t *v,
                   json_t *e)
{
	edit_page(q, 422, c, focus, fid, v, e);
	json_decref(v);
	json_decref(e);
}

static void done(app_req *q, const consultation *c, store_rc rc)
{
	if (rc == STORE_CONFLICT) {
		app_error(q, 409, "People have answered already, so questions and options can no longer be added, removed, moved or changed in meaning. Only wording can be fixed.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	char *to = arena_printf(q->a, "/consultations/%lld/edit", (long long)c->id);
	app_redirect(q, to ? to : "/", "saved");
}

void cons_edit(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	if (q->r->method != HTTP_POST) {
		edit_page(q, 200, &c, "", 0, NULL, NULL);
		return;
	}
	json_t *v, *e;
	form_check(q, cons_fields, NF(cons_fields), &v, &e);
	check_dates(q, v, e);
	if (json_object_size(e)) {
		reshow(q, &c, "cons", 0, v, e);
		return;
	}
	consultation n = c;
	n.title = form_str(v, "title");
	n.intro = form_str(v, "intro");
	n.opens_on = form_str(v, "opens_on");
	n.closes_on = form_str(v, "closes_on");
	n.allow_anonymous = !strcmp(form_str(v, "allow_anonymous"), "1");
	n.results_public = form_str(v, "results_public");
	done(q, &c, cons_store_update(q->app->db, &n));
	json_decref(v);
	json_decref(e);
}

/* Reads an optional whole number field; false (with a message) when bad. */
static bool num_field(app_req *q, json_t *v, json_t *e, const char *name, long long min,
                      long long max, long long dflt, long long *out)
{
	const char *s = form_str(v, name);
	*out = dflt;
	if (!*s)
		return true;
	if (!text_parse_int(s, min, max, out)) {
		form_error(q, e, name, "Fill in a whole number in the allowed range.");
		return false;
	}
	return true;
}

void cons_question_add(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	plan p;
	if (store_plan_get(q->app->db, q->a, c.plan_id, &p) != STORE_OK) {
		app_store_error(q, STORE_ERROR);
		return;
	}
	json_t *v, *e;
	form_check(q, question_fields, NF(question_fields), &v, &e);
	long long maxc = 0, maxl = 1000;
	num_field(q, v, e, "max_choices", 0, 100, 0, &maxc);
	num_field(q, v, e, "max_length", 1, 10000, 1000, &maxl);
	const char *kind = form_str(v, "kind");
	bool with_options = !strcmp(kind, "single") || !strcmp(kind, "multiple") ||
	                    !strcmp(kind, "ranking");
	/* Options: one per line; a line that names a theme is tied to it. */
	const char *labels[100];
	int64_t themes[100];
	size_t nopt = 0;
	char *text = arena_strdup(q->a, form_str(v, "options"));
	for (char *save = NULL, *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *t = text_trim(q->a, line);
		if (!t || !*t)
			continue;
		if (nopt == 100 || text_utf8_len(t) > 200) {
			form_error(q, e, "options", "Use at most 100 options of at most 200 characters each.");
			break;
		}
		themes[nopt] = 0;
		char *ft = cons_fold(q->a, t);
		for (size_t i = 0; ft && i < p.nthemes; i++) {
			char *fn = cons_fold(q->a, p.themes[i].name);
			if (fn && !strcmp(fn, ft))
				themes[nopt] = p.themes[i].id;
		}
		labels[nopt++] = t;
	}
	if (with_options && nopt < 2 && !json_object_get(e, "options"))
		form_error(q, e, "options", "Give at least two options, one per line.");
	if (json_object_size(e)) {
		reshow(q, &c, "new_question", 0, v, e);
		return;
	}
	cons_question qn = { .kind = kind, .prompt = form_str(v, "prompt"),
		             .help = form_str(v, "help"),
		             .required = !strcmp(form_str(v, "required"), "1"),
		             .max_choices = !strcmp(kind, "multiple") ? (int)maxc : 0,
		             .allow_other = (!strcmp(kind, "single") || !strcmp(kind, "multiple")) &&
		                            !strcmp(form_str(v, "allow_other"), "1"),
		             .max_length = (int)maxl, .low_label = form_str(v, "low_label"),
		             .high_label = form_str(v, "high_label") };
	done(q, &c, cons_store_question_add(q->app->db, c.id, &qn, labels, themes,
	                                    with_options ? nopt : 0, NULL));
	json_decref(v);
	json_decref(e);
}

static const cons_question *find_q(const consultation *c, int64_t qid)
{
	for (size_t i = 0; i < c->nquestions; i++)
		if (c->questions[i].id == qid)
			return &c->questions[i];
	return NULL;
}

void cons_question_update(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	const cons_question *old = find_q(&c, app_param_id(q, "qid"));
	if (!old) {
		app_store_error(q, STORE_NOTFOUND);
		return;
	}
	static const form_field f[] = {
		{ "prompt", F_TEXT, true, 500, NULL },
		{ "help", F_MULTILINE, false, 1000, NULL },
		{ "low_label", F_TEXT, false, 80, NULL },
		{ "high_label", F_TEXT, false, 80, NULL },
		{ "settings", F_TEXT, false, 1, NULL },
		{ "required", F_TEXT, false, 1, NULL },
		{ "max_choices", F_TEXT, false, 3, NULL },
		{ "allow_other", F_TEXT, false, 1, NULL },
		{ "max_length", F_TEXT, false, 5, NULL },
	};
	json_t *v, *e;
	form_check(q, f, NF(f), &v, &e);
	/* settings=1: the form also changes what the question means (only
	 * before the first answer; the store refuses it after). */
	bool settings = !strcmp(form_str(v, "settings"), "1");
	long long maxc = old->max_choices, maxl = old->max_length;
	if (settings) {
		num_field(q, v, e, "max_choices", 0, 100, 0, &maxc);
		num_field(q, v, e, "max_length", 1, 10000, 1000, &maxl);
	}
	if (json_object_size(e)) {
		reshow(q, &c, "question", old->id, v, e);
		return;
	}
	cons_question qn = *old;
	qn.prompt = form_str(v, "prompt");
	qn.help = form_str(v, "help");
	qn.low_label = form_str(v, "low_label");
	qn.high_label = form_str(v, "high_label");
	if (settings) {
		bool choice = !strcmp(old->kind, "single") || !strcmp(old->kind, "multiple");
		qn.required = !strcmp(form_str(v, "required"), "1");
		qn.max_choices = !strcmp(old->kind, "multiple") ? (int)maxc : 0;
		qn.allow_other = choice && !strcmp(form_str(v, "allow_other"), "1");
		qn.max_length = (int)maxl;
	}
	done(q, &c, cons_store_question_update(q->app->db, c.id, &qn, !settings));
	json_decref(v);
	json_decref(e);
}

void cons_question_move(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	const char *dir = http_form(q->r, "direction");
	if (!dir || (strcmp(dir, "up") && strcmp(dir, "down"))) {
		app_error(q, 400, "Choose whether to move the question up or down.");
		return;
	}
	done(q, &c, cons_store_question_move(q->app->db, c.id, app_param_id(q, "qid"),
	                                     !strcmp(dir, "up") ? -1 : 1));
}

void cons_question_delete(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	done(q, &c, cons_store_question_delete(q->app->db, c.id, app_param_id(q, "qid")));
}

void cons_option_add(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	json_t *v, *e;
	form_check(q, option_fields, NF(option_fields), &v, &e);
	int64_t qid = app_param_id(q, "qid");
	if (json_object_size(e)) {
		reshow(q, &c, "question", qid, v, e);
		return;
	}
	done(q, &c, cons_store_option_add(q->app->db, c.id, qid, form_str(v, "label"), 0));
	json_decref(v);
	json_decref(e);
}

void cons_option_update(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	json_t *v, *e;
	form_check(q, option_fields, NF(option_fields), &v, &e);
	int64_t qid = app_param_id(q, "qid");
	if (json_object_size(e)) {
		reshow(q, &c, "question", qid, v, e);
		return;
	}
	done(q, &c, cons_store_option_update(q->app->db, c.id, qid, app_param_id(q, "oid"),
	                                     form_str(v, "label")));
	json_decref(v);
	json_decref(e);
}

void cons_option_delete(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	done(q, &c, cons_store_option_delete(q->app->db, c.id, app_param_id(q, "qid"),
	                                     app_param_id(q, "oid")));
}
