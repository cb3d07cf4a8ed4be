/* cons_edit.c — organisers set up a consultation on a plan: its title,
 * Markdown introduction, dates, anonymous answers and when results are
 * public; and its questions (add, fix wording, reorder, remove) and options
 * (tied to a theme when a line names one of the plan's themes). Every form
 * here is a declared table (form_def) named in its route: the pipeline
 * checks it before the handler runs, and a failed one comes back on the
 * edit page (reshow) with the values as typed and a message per field.
 * After the first response only wording may change (409 otherwise).
 * Publishing, archiving and deleting live in cons_publish.c.
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "cons.h"

static const char *const kinds[] = { "single", "multiple", "text", "yesno", "ranking", "scale",
	                             NULL };
static const char *const kind_labels[] = { "Single choice", "Multiple choice", "Open text",
	                                   "Yes or no, and why", "Ranking", "Scale from 1 to 5" };
static const char *const publics[] = { "while_open", "after_close", NULL };
static const char *const public_labels[] = { "While it is open, and after",
	                                     "Only after it closes" };

enum { MAX_OPTIONS = 100, OPTION_LEN = 200 };
#define NUMBER_MSG "Fill in a whole number in the allowed range."

static void check_dates(app_req *q);
static void check_new_question(app_req *q);
static void new_reshow(app_req *q);
static void edit_reshow(app_req *q);

static const form_field cons_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Title" },
	{ "intro", F_MULTILINE, false, 10000, .label = "Introduction (Markdown)" },
	{ "opens_on", F_DATE, true, 10, .label = "Opens on" },
	{ "closes_on", F_DATE, true, 10, .label = "Closes after" },
	{ "results_public", F_CHOICE, true, 20, publics, .label = "Results are public",
	  .choice_labels = public_labels },
	{ "allow_anonymous", F_BOOL, false, 5, .label = "Allow answers without an account" },
};
static const form_field question_fields[] = {
	{ "kind", F_CHOICE, true, 20, kinds, .label = "Kind of question", .choice_labels = kind_labels },
	{ "prompt", F_TEXT, true, 500, .label = "Question" },
	{ "help", F_MULTILINE, false, 1000, .label = "Explanation" },
	{ "options", F_MULTILINE, false, 5000,
	  .label = "Options, one per line (a line with the name of a theme is tied to that theme)" },
	{ "max_choices", F_INT, false, 100, .min = 0,
	  .label = "Multiple choice: at most this many (empty: no limit)", .message = NUMBER_MSG },
	{ "max_length", F_INT, false, 10000, .min = 1, .label = "Longest answer in characters",
	  .message = NUMBER_MSG },
	{ "low_label", F_TEXT, false, 80, .label = "What 1 means" },
	{ "high_label", F_TEXT, false, 80, .label = "What 5 means" },
	{ "required", F_BOOL, false, 5, .label = "An answer is required" },
	{ "allow_other", F_BOOL, false, 5, .label = "Choice: allow writing in another answer" },
};
/* settings=1: the form changes what the question means too (only before
 * the first answer; the store refuses it after). */
static const form_field question_update_fields[] = {
	{ "prompt", F_TEXT, true, 500, .label = "Question" },
	{ "help", F_MULTILINE, false, 1000, .label = "Explanation" },
	{ "low_label", F_TEXT, false, 80, .label = "What 1 means" },
	{ "high_label", F_TEXT, false, 80, .label = "What 5 means" },
	{ "settings", F_BOOL, false, 5, .label = "Settings" },
	{ "max_length", F_INT, false, 10000, .min = 1, .label = "Longest answer in characters",
	  .message = NUMBER_MSG },
	{ "max_choices", F_INT, false, 100, .min = 0,
	  .label = "Multiple choice: at most this many (empty: no limit)", .message = NUMBER_MSG },
	{ "required", F_BOOL, false, 5, .label = "An answer is required" },
	{ "allow_other", F_BOOL, false, 5, .label = "Choice: allow writing in another answer" },
};
static const form_field option_fields[] = {
	{ "label", F_TEXT, true, OPTION_LEN, .label = "Option" },
};
static const form_field new_option_fields[] = {
	{ "label", F_TEXT, true, OPTION_LEN, .label = "New option" },
};

const form_def cons_new_form = FORM_DEF("cons-new", cons_fields, check_dates, new_reshow);
const form_def cons_settings_form = FORM_DEF("cons", cons_fields, check_dates, edit_reshow);
const form_def cons_question_form =
	FORM_DEF("question", question_fields, check_new_question, edit_reshow);
const form_def cons_question_update_form =
	FORM_DEF("question-update", question_update_fields, NULL, edit_reshow);
const form_def cons_option_form = FORM_DEF("option", option_fields, NULL, edit_reshow);
const form_def cons_new_option_form = FORM_DEF("new-option", new_option_fields, NULL, edit_reshow);

static bool has_options(const char *kind)
{
	return !strcmp(kind, "single") || !strcmp(kind, "multiple") || !strcmp(kind, "ranking");
}

static bool is_choice(const char *kind)
{
	return !strcmp(kind, "single") || !strcmp(kind, "multiple");
}

static void check_dates(app_req *q)
{
	int a, b;
	if (text_parse_date(form_text(q, "opens_on"), &a) &&
	    text_parse_date(form_text(q, "closes_on"), &b) && b < a)
		form_fail(q, "closes_on", "The end date must be on or after the start date.");
}

/* The options of a new question, one per line (blank lines skipped); the
 * msgid of what is wrong, or NULL. labels holds MAX_OPTIONS entries. */
static const char *split_options(app_req *q, const char **labels, size_t *n)
{
	*n = 0;
	char *text = arena_strdup(q->a, form_text(q, "options"));
	if (!text)
		return NULL; /* the caller finds out: cons_oom */
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *t = text_trim(q->a, line);
		if (!t)
			return NULL;
		if (!*t)
			continue;
		if (*n == MAX_OPTIONS || text_utf8_len(t) > OPTION_LEN)
			return "Use at most 100 options of at most 200 characters each.";
		labels[(*n)++] = t;
	}
	return NULL;
}

static void check_new_question(app_req *q)
{
	const char *labels[MAX_OPTIONS];
	size_t n;
	const char *msg = split_options(q, labels, &n);
	if (msg)
		form_fail(q, "options", msg);
	else if (has_options(form_text(q, "kind")) && n < 2)
		form_fail(q, "options", "Give at least two options, one per line.");
}

json_t *cons_plan_summary(app_req *q, int64_t plan_id)
{
	consultation *list;
	size_t n;
	json_t *arr = json_array();
	if (!arr || cons_store_list(q->app->db, q->a, plan_id, &list, &n) != STORE_OK)
		return arr;
	/* Every consultation the reader may see (drafts only for organisers),
	 * the archived ones last. */
	for (int archived = 0; archived < 2; archived++)
		for (size_t i = 0; i < n; i++)
			if (cons_visible(q, &list[i]) &&
			    !strcmp(list[i].status, "archived") == (archived == 1))
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

static void new_page(app_req *q, int status)
{
	plan p;
	if (!plan_load(q, &p))
		return;
	json_t *v = json_pack("{s:s,s:b}", "results_public", "after_close", "allow_anonymous", 1);
	json_t *m = json_pack("{s:s,s:I,s:s,s:o}", "title", app_t(q, "New consultation"), "plan_id",
	                      (json_int_t)p.id, "plan_title", p.title, "form",
	                      form_view(q, &cons_new_form, "cons", v, true));
	if (!m) {
		cons_oom(q);
		return;
	}
	cons_page(q, status, "cons_new", m);
}

static void new_reshow(app_req *q)
{
	new_page(q, 422);
}

void cons_new(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		new_page(q, 200);
		return;
	}
	plan p;
	if (!plan_load(q, &p))
		return;
	consultation c = { .plan_id = p.id, .title = form_text(q, "title"),
		           .intro = form_text(q, "intro"), .opens_on = form_text(q, "opens_on"),
		           .closes_on = form_text(q, "closes_on"),
		           .allow_anonymous = form_bool(q, "allow_anonymous"),
		           .results_public = form_text(q, "results_public"), .status = "draft" };
	int64_t id = 0;
	store_rc rc = cons_store_create(q->app->db, &c, &id);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	char *to = arena_printf(q->a, "/consultations/%lld/edit", (long long)id);
	if (!to) {
		cons_oom(q);
		return;
	}
	app_redirect(q, to, "cons_created");
}

/* The stored question as its update form shows it. */
static json_t *question_values(const cons_question *qn)
{
	char maxc[16] = "";
	if (qn->max_choices > 0)
		snprintf(maxc, sizeof maxc, "%d", qn->max_choices);
	return json_pack("{s:s,s:s,s:s,s:s,s:b,s:I,s:s,s:b,s:b}", "prompt", qn->prompt, "help",
	                 qn->help, "low_label", qn->low_label, "high_label", qn->high_label,
	                 "settings", 1, "max_length", (json_int_t)qn->max_length, "max_choices", maxc,
	                 "required", qn->required, "allow_other", qn->allow_other);
}

/* The edit page: every form of the consultation. The one that was posted
 * and failed (q->form) keeps what was typed and its messages. */
void cons_edit_page(app_req *q, int status, const consultation *c)
{
	bool frozen = c->responses > 0;
	int64_t posted_q = app_param_id(q, "qid"), posted_o = app_param_id(q, "oid");
	json_t *settings = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "title", c->title, "intro",
	                             c->intro, "opens_on", c->opens_on, "closes_on", c->closes_on,
	                             "results_public", c->results_public, "allow_anonymous",
	                             c->allow_anonymous);
	json_t *m = json_pack("{s:s,s:o,s:b,s:o}", "title", c->title, "consultation",
	                      cons_summary_json(q, c), "frozen", frozen, "form",
	                      form_view(q, &cons_settings_form, "cons", settings, true));
	json_t *qs = json_array();
	if (!m || !qs)
		goto oom;
	json_object_set_new(m, "questions", qs);
	for (size_t i = 0; i < c->nquestions; i++) {
		const cons_question *qn = &c->questions[i];
		json_t *opts = json_array();
		if (!opts)
			goto oom;
		for (size_t k = 0; k < qn->noptions; k++) {
			const cons_option *op = &qn->options[k];
			char *prefix = arena_printf(q->a, "opt%lld", (long long)op->id);
			json_t *o = prefix ? json_pack("{s:I,s:I,s:s,s:s,s:o}", "id", (json_int_t)op->id,
			                               "qid", (json_int_t)qn->id, "label", op->label,
			                               "theme", op->theme_name, "form",
			                               form_view(q, &cons_option_form, prefix,
			                                         json_pack("{s:s}", "label", op->label),
			                                         op->id == posted_o))
			                   : NULL;
			if (!o || json_array_append_new(opts, o))
				goto oom;
		}
		char *prefix = arena_printf(q->a, "eq%lld", (long long)qn->id);
		char *nprefix = arena_printf(q->a, "eq%lld-newopt", (long long)qn->id);
		json_t *o = prefix && nprefix
			? json_pack("{s:I,s:i,s:s,s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:b,s:b,s:b,s:b,s:b}",
			            "id", (json_int_t)qn->id, "number", (int)i + 1, "prompt", qn->prompt,
			            "kind", qn->kind, "kind_label", cons_kind_label(qn->kind), "options",
			            opts, "form", form_view(q, &cons_question_update_form, prefix,
			                                    question_values(qn), qn->id == posted_q),
			            "new_option", form_view(q, &cons_new_option_form, nprefix, NULL,
			                                    qn->id == posted_q),
			            "first", i == 0, "last", i + 1 == c->nquestions, "has_options",
			            has_options(qn->kind), "is_scale", !strcmp(qn->kind, "scale"),
			            "is_multiple", !strcmp(qn->kind, "multiple"), "is_choice",
			            is_choice(qn->kind), "is_required", qn->required)
			: NULL;
		if (!o)
			goto oom;
		if (qn->max_choices > 0)
			json_object_set_new(o, "max_choices", json_integer(qn->max_choices));
		if (qn->allow_other)
			json_object_set_new(o, "allow_other", json_true());
		if (json_array_append_new(qs, o))
			goto oom;
	}
	json_t *nq = form_view(q, &cons_question_form, "nq",
	                       json_pack("{s:s,s:s}", "kind", "single", "max_length", "1000"), true);
	if (!nq)
		goto oom;
	json_object_set_new(m, "new_question", nq);
	cons_publish_view(q, c, m);
	if (form_failed(q))
		json_object_set_new(m, "has_errors", json_true());
	cons_page(q, status, "cons_edit", m);
	return;
oom:
	json_decref(m);
	cons_oom(q);
}

static void edit_reshow(app_req *q)
{
	consultation c;
	if (cons_load(q, &c))
		cons_edit_page(q, 422, &c);
}

/* Back to the edit page, or the store's refusal. */
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
	if (!to) {
		cons_oom(q);
		return;
	}
	app_redirect(q, to, "saved");
}

void cons_edit(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	if (q->r->method != HTTP_POST) {
		cons_edit_page(q, 200, &c);
		return;
	}
	consultation n = c;
	n.title = form_text(q, "title");
	n.intro = form_text(q, "intro");
	n.opens_on = form_text(q, "opens_on");
	n.closes_on = form_text(q, "closes_on");
	n.allow_anonymous = form_bool(q, "allow_anonymous");
	n.results_public = form_text(q, "results_public");
	done(q, &c, cons_store_update(q->app->db, &n));
}

/* A whole number field that may be empty: dflt then. */
static int int_or(app_req *q, const char *name, int dflt)
{
	return *form_text(q, name) ? (int)form_int(q, name) : dflt;
}

void cons_question_add(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	plan p;
	store_rc rc = store_plan_get(q->app->db, q->a, c.plan_id, &p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	const char *kind = form_text(q, "kind");
	const char *labels[MAX_OPTIONS];
	int64_t themes[MAX_OPTIONS];
	size_t nopt = 0;
	split_options(q, labels, &nopt); /* checked by check_new_question */
	/* A line that names one of the plan's themes is tied to it. */
	for (size_t k = 0; k < nopt; k++) {
		themes[k] = 0;
		char *ft = cons_fold(q->a, labels[k]);
		if (!ft) {
			cons_oom(q);
			return;
		}
		for (size_t i = 0; i < p.nthemes; i++) {
			char *fn = cons_fold(q->a, p.themes[i].name);
			if (!fn) {
				cons_oom(q);
				return;
			}
			if (!strcmp(fn, ft))
				themes[k] = p.themes[i].id;
		}
	}
	cons_question qn = { .kind = kind, .prompt = form_text(q, "prompt"),
		             .help = form_text(q, "help"), .required = form_bool(q, "required"),
		             .max_choices = !strcmp(kind, "multiple") ? int_or(q, "max_choices", 0) : 0,
		             .allow_other = is_choice(kind) && form_bool(q, "allow_other"),
		             .max_length = int_or(q, "max_length", 1000),
		             .low_label = form_text(q, "low_label"),
		             .high_label = form_text(q, "high_label") };
	done(q, &c, cons_store_question_add(q->app->db, c.id, &qn, labels, themes,
	                                    has_options(kind) ? nopt : 0, NULL));
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
	bool settings = form_bool(q, "settings");
	cons_question qn = *old;
	qn.prompt = form_text(q, "prompt");
	qn.help = form_text(q, "help");
	qn.low_label = form_text(q, "low_label");
	qn.high_label = form_text(q, "high_label");
	if (settings) {
		qn.required = form_bool(q, "required");
		qn.max_choices = !strcmp(old->kind, "multiple") ? int_or(q, "max_choices", 0) : 0;
		qn.allow_other = is_choice(old->kind) && form_bool(q, "allow_other");
		qn.max_length = int_or(q, "max_length", 1000);
	}
	done(q, &c, cons_store_question_update(q->app->db, c.id, &qn, !settings));
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
	done(q, &c, cons_store_option_add(q->app->db, c.id, app_param_id(q, "qid"),
	                                  form_text(q, "label"), 0));
}

void cons_option_update(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	done(q, &c, cons_store_option_update(q->app->db, c.id, app_param_id(q, "qid"),
	                                     app_param_id(q, "oid"), form_text(q, "label")));
}

void cons_option_delete(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	done(q, &c, cons_store_option_delete(q->app->db, c.id, app_param_id(q, "qid"),
	                                     app_param_id(q, "oid")));
}
