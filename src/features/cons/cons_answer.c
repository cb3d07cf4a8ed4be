/* consultations_answer.c — a participant answers a consultation: the one
 * page with every question (works without JavaScript), checking each answer
 * (a message at each question, everything entered kept), the one-time form
 * token against double clicks and replays, one response per signed-in
 * person or signed browser token (a second one replaces the first), a rate
 * limit per IP for anonymous answers, and the confirmation page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "cons.h"

/* What a person gave for one question, from a posted form or the store. */
typedef struct given {
	int64_t    *opts;      /* chosen options (single, multiple) */
	size_t      nopts;
	bool        other;
	const char *other_text;
	const char *text;      /* open text, or the why of yes/no */
	int         yes;       /* -1 none, 0 no, 1 yes */
	int         scale;     /* 0 none */
	int        *rank;      /* per option: its place, 0 none */
} given;

static bool has_opt(const given *g, int64_t id)
{
	for (size_t i = 0; i < g->nopts; i++)
		if (g->opts[i] == id)
			return true;
	return false;
}

static int option_index(const cons_question *qn, int64_t id)
{
	for (size_t i = 0; i < qn->noptions; i++)
		if (qn->options[i].id == id)
			return (int)i;
	return -1;
}

static given *given_new(app_req *q, const consultation *c)
{
	given *g = arena_calloc(q->a, c->nquestions ? c->nquestions : 1, sizeof *g);
	for (size_t i = 0; g && i < c->nquestions; i++) {
		size_t no = c->questions[i].noptions;
		g[i].opts = arena_calloc(q->a, no + 1, sizeof *g[i].opts);
		g[i].rank = arena_calloc(q->a, no + 1, sizeof *g[i].rank);
		g[i].yes = -1;
		g[i].text = g[i].other_text = "";
		if (!g[i].opts || !g[i].rank)
			return NULL;
	}
	return g;
}

/* Parses the posted form; values that name no option set *unknown. */
static given *given_from_form(app_req *q, const consultation *c, bool *unknown)
{
	given *g = given_new(q, c);
	if (!g)
		return NULL;
	for (size_t i = 0; i < c->nquestions; i++) {
		const cons_question *qn = &c->questions[i];
		given *x = &g[i];
		char key[48];
		snprintf(key, sizeof key, "q%lld", (long long)qn->id);
		bool choice = !strcmp(qn->kind, "single") || !strcmp(qn->kind, "multiple");
		for (size_t k = 0; k < q->r->form.len; k++) {
			const http_kv *kv = &q->r->form.items[k];
			if (strcmp(kv->key, key))
				continue;
			const char *v = kv->value;
			if (choice) {
				long long id;
				if (!strcmp(v, "other") && qn->allow_other)
					x->other = true;
				else if (text_parse_int(v, 1, INT64_MAX, &id) && option_index(qn, id) >= 0) {
					if (!has_opt(x, id) && x->nopts < qn->noptions)
						x->opts[x->nopts++] = id;
				} else if (*v)
					unknown[i] = true;
			} else if (!strcmp(qn->kind, "yesno")) {
				if (!strcmp(v, "yes"))
					x->yes = 1;
				else if (!strcmp(v, "no"))
					x->yes = 0;
				else if (*v)
					unknown[i] = true;
			} else if (!strcmp(qn->kind, "scale")) {
				long long n;
				if (text_parse_int(v, 1, 5, &n))
					x->scale = (int)n;
				else if (*v)
					unknown[i] = true;
			} else if (!strcmp(qn->kind, "text")) {
				x->text = text_trim(q->a, v);
			}
		}
		if (!strcmp(qn->kind, "single") && x->nopts + x->other > 1)
			unknown[i] = true; /* one choice only */
		snprintf(key, sizeof key, "q%lld_other", (long long)qn->id);
		const char *ot = http_form(q->r, key);
		if (ot && qn->allow_other)
			x->other_text = text_trim(q->a, ot);
		snprintf(key, sizeof key, "q%lld_why", (long long)qn->id);
		const char *why = http_form(q->r, key);
		if (why && !strcmp(qn->kind, "yesno"))
			x->text = text_trim(q->a, why);
		if (!strcmp(qn->kind, "ranking"))
			for (size_t o = 0; o < qn->noptions; o++) {
				snprintf(key, sizeof key, "q%lld_o%lld", (long long)qn->id,
				         (long long)qn->options[o].id);
				const char *v = http_form(q->r, key);
				long long n;
				if (v && text_parse_int(v, 1, (long long)qn->noptions, &n))
					x->rank[o] = (int)n;
				else if (v && *v)
					unknown[i] = true;
			}
		if (!x->text || !x->other_text)
			return NULL;
	}
	return g;
}

static given *given_from_store(app_req *q, const consultation *c, const cons_answer_in *a,
                               size_t n)
{
	given *g = given_new(q, c);
	for (size_t i = 0; g && i < c->nquestions; i++) {
		const cons_question *qn = &c->questions[i];
		given *x = &g[i];
		for (size_t k = 0; k < n; k++) {
			if (a[k].question_id != qn->id)
				continue;
			int oi = a[k].option_id ? option_index(qn, a[k].option_id) : -1;
			if (!strcmp(qn->kind, "ranking")) {
				if (oi >= 0)
					x->rank[oi] = (int)a[k].value;
			} else if (!strcmp(qn->kind, "single") || !strcmp(qn->kind, "multiple")) {
				if (oi >= 0)
					x->opts[x->nopts++] = a[k].option_id;
				else {
					x->other = true;
					x->other_text = a[k].text;
				}
			} else if (!strcmp(qn->kind, "yesno")) {
				x->yes = (int)a[k].value;
				x->text = a[k].text;
			} else if (!strcmp(qn->kind, "scale")) {
				x->scale = (int)a[k].value;
			} else {
				x->text = a[k].text;
			}
		}
	}
	return g;
}

/* The message for one question, or NULL when its answer is fine. */
static const char *check_one(app_req *q, const cons_question *qn, const given *x, bool unknown)
{
	if (unknown)
		return app_t(q, "Choose one of the options.");
	const char *k = qn->kind;
	bool empty;
	if (!strcmp(k, "single") || !strcmp(k, "multiple"))
		empty = x->nopts == 0 && !x->other;
	else if (!strcmp(k, "text"))
		empty = !*x->text;
	else if (!strcmp(k, "yesno"))
		empty = x->yes < 0 && !*x->text;
	else if (!strcmp(k, "scale"))
		empty = x->scale == 0;
	else {
		empty = true;
		for (size_t o = 0; o < qn->noptions; o++)
			empty &= x->rank[o] == 0;
	}
	if (empty)
		return qn->required ? app_t(q, "Answer this question; it is required.") : NULL;
	if (!strcmp(k, "multiple") && qn->max_choices > 0 &&
	    x->nopts + (x->other ? 1 : 0) > (size_t)qn->max_choices)
		return arena_printf(q->a, app_t(q, "Choose at most %d options."), qn->max_choices);
	if (x->other && !*x->other_text)
		return app_t(q, "Write what you mean by other, or untick it.");
	if (!x->other && *x->other_text)
		return app_t(q, "Tick other too, or clear what you wrote there.");
	if (!strcmp(k, "yesno") && x->yes < 0)
		return app_t(q, "Choose yes or no.");
	if (!strcmp(k, "ranking")) {
		for (size_t o = 0; o < qn->noptions; o++) {
			if (x->rank[o] == 0)
				return app_t(q, "Give every option a place, or none at all.");
			for (size_t p = 0; p < o; p++)
				if (x->rank[p] == x->rank[o])
					return app_t(q, "Give each option a different place.");
		}
	}
	const char *t = *x->text ? x->text : x->other_text;
	if (*t) {
		size_t len = text_utf8_len(t);
		if (qn->max_length > 0 && len > (size_t)qn->max_length)
			return arena_printf(q->a, app_t(q, "Use at most %zu characters; now there are %zu."),
			                    (size_t)qn->max_length, len);
		if (text_has_control(t, true))
			return app_t(q, "Remove the invisible control characters from this field.");
	}
	return NULL;
}

/* Turns checked answers into rows. */
static cons_answer_in *to_rows(app_req *q, const consultation *c, const given *g, size_t *n)
{
	size_t cap = 0;
	for (size_t i = 0; i < c->nquestions; i++)
		cap += c->questions[i].noptions + 2;
	cons_answer_in *a = arena_calloc(q->a, cap + 1, sizeof *a);
	*n = 0;
	for (size_t i = 0; a && i < c->nquestions; i++) {
		const cons_question *qn = &c->questions[i];
		const given *x = &g[i];
		const char *k = qn->kind;
		if (!strcmp(k, "single") || !strcmp(k, "multiple")) {
			for (size_t o = 0; o < x->nopts; o++)
				a[(*n)++] = (cons_answer_in){ .question_id = qn->id, .option_id = x->opts[o] };
			if (x->other)
				a[(*n)++] = (cons_answer_in){ .question_id = qn->id, .text = x->other_text,
				                              .norm = cons_fold(q->a, x->other_text) };
		} else if (!strcmp(k, "text") && *x->text) {
			a[(*n)++] = (cons_answer_in){ .question_id = qn->id, .text = x->text };
		} else if (!strcmp(k, "yesno") && x->yes >= 0) {
			a[(*n)++] = (cons_answer_in){ .question_id = qn->id, .has_value = true,
			                              .value = x->yes, .text = x->text };
		} else if (!strcmp(k, "scale") && x->scale) {
			a[(*n)++] = (cons_answer_in){ .question_id = qn->id, .has_value = true,
			                              .value = x->scale };
		} else if (!strcmp(k, "ranking")) {
			for (size_t o = 0; o < qn->noptions; o++)
				if (x->rank[o])
					a[(*n)++] = (cons_answer_in){ .question_id = qn->id,
					                              .option_id = qn->options[o].id,
					                              .has_value = true, .value = x->rank[o] };
		}
	}
	return a;
}

/* The questions as the form shows them, with what was given and messages. */
static json_t *questions_json(app_req *q, const consultation *c, const given *g,
                              const char *const *errors)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < c->nquestions; i++) {
		const cons_question *qn = &c->questions[i];
		const given *x = g ? &g[i] : NULL;
		json_t *o = json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:b,s:i,s:b,s:i,s:s,s:s,s:b}",
		                      "id", (json_int_t)qn->id, "number", (int)i + 1, "kind", qn->kind,
		                      "kind_label", cons_kind_label(qn->kind), "prompt", qn->prompt,
		                      "help", qn->help, "required", qn->required,
		                      "max_choices", qn->max_choices, "allow_other", qn->allow_other,
		                      "max_length", qn->max_length, "low_label", qn->low_label,
		                      "high_label", qn->high_label,
		                      "has_hint", qn->max_choices > 0 || *qn->help);
		json_object_set_new(o, arena_printf(q->a, "is_%s", qn->kind), json_true());
		json_t *opts = json_array();
		for (size_t k = 0; k < qn->noptions; k++) {
			const cons_option *op = &qn->options[k];
			json_t *oj = json_pack("{s:I,s:I,s:s,s:s,s:b}", "id", (json_int_t)op->id, "qid",
			                       (json_int_t)qn->id, "label", op->label, "theme",
			                       op->theme_name, "checked", x && has_opt(x, op->id));
			if (!strcmp(qn->kind, "ranking")) {
				json_t *pos = json_array();
				for (size_t p = 1; p <= qn->noptions; p++)
					json_array_append_new(pos, json_pack("{s:i,s:b}", "value", (int)p,
					                                     "selected", x && x->rank[k] == (int)p));
				json_object_set_new(oj, "places", pos);
			}
			json_array_append_new(opts, oj);
		}
		json_object_set_new(o, "options", opts);
		if (!strcmp(qn->kind, "scale")) {
			json_t *sc = json_array();
			for (int v = 1; v <= 5; v++)
				json_array_append_new(sc, json_pack("{s:i,s:b}", "value", v, "checked",
				                                    x && x->scale == v));
			json_object_set_new(o, "points", sc);
		}
		if (x) {
			json_object_set_new(o, "other_checked", json_boolean(x->other));
			json_object_set_new(o, "other_text", json_string(x->other_text));
			json_object_set_new(o, "text", json_string(x->text));
			json_object_set_new(o, "yes_checked", json_boolean(x->yes == 1));
			json_object_set_new(o, "no_checked", json_boolean(x->yes == 0));
		}
		if (errors && errors[i])
			json_object_set_new(o, "error", json_string(errors[i]));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* A question as data (the API's "Question"): codes, no labels. */
static json_t *question_data(const cons_question *qn, int position)
{
	json_t *opts = json_array();
	for (size_t k = 0; opts && k < qn->noptions; k++) {
		const cons_option *op = &qn->options[k];
		json_t *o = json_pack("{s:I,s:i,s:s,s:s}", "id", (json_int_t)op->id, "position",
		                      (int)k + 1, "label", op->label, "theme", op->theme_name);
		if (!o || json_object_set_new(o, "theme_id", op->theme_id
		                              ? json_integer((json_int_t)op->theme_id) : json_null()) ||
		    json_array_append_new(opts, o)) {
			json_decref(opts);
			return NULL;
		}
	}
	return json_pack("{s:I,s:i,s:s,s:s,s:s,s:b,s:i,s:b,s:i,s:s,s:s,s:o}",
	                 "id", (json_int_t)qn->id, "position", position, "kind", qn->kind,
	                 "prompt", qn->prompt, "help", qn->help, "required", qn->required,
	                 "max_choices", qn->max_choices, "allow_other", qn->allow_other,
	                 "max_length", qn->max_length, "scale_low", qn->low_label,
	                 "scale_high", qn->high_label, "options", opts);
}

/* The questionnaire as data (the API's "Questionnaire"). */
static json_t *questionnaire_data(app_req *q, const consultation *c)
{
	json_t *qs = json_array();
	for (size_t i = 0; qs && i < c->nquestions; i++)
		if (json_array_append_new(qs, question_data(&c->questions[i], (int)i + 1))) {
			json_decref(qs);
			return NULL;
		}
	return json_pack("{s:o,s:o}", "consultation", cons_data(q, c), "questions", qs);
}

static const char *browser_cookie = "op_cons_b";

/* The signed browser token of an anonymous visitor (made when absent). */
static const char *browser_nonce(app_req *q, const unsigned char key[32])
{
	const char *tok = http_cookie(q->r, browser_cookie);
	char *nonce = cons_token_check(q->a, key, "browser", tok);
	if (nonce)
		return nonce;
	char *fresh = cons_token_make(q->a, key, "browser");
	if (!fresh)
		return NULL;
	http_set_cookie(q->r, q->s, browser_cookie, fresh, 400L * 86400, q->app->cfg.https);
	return cons_token_check(q->a, key, "browser", fresh);
}

static void page(app_req *q, int status, const consultation *c, const given *g,
                 const char *const *errors, const char *form_token, const char *notice,
                 int64_t answered_at)
{
	json_t *m = json_pack("{s:s,s:o,s:o}", "title", c->title, "consultation",
	                      cons_summary_json(q, c), "questions", questions_json(q, c, g, errors));
	char *intro = m ? cons_markdown(q, c->intro) : NULL;
	if (!intro) {
		json_decref(m);
		cons_oom(q);
		return;
	}
	json_object_set_new(m, "intro_html", json_string(intro));
	bool open = cons_accepting(c);
	bool may = q->me || c->allow_anonymous;
	json_object_set_new(m, "can_answer", json_boolean(open && may));
	json_object_set_new(m, "needs_signin", json_boolean(open && !may));
	/* A draft: organisers see the questions as people will, without sending. */
	json_object_set_new(m, "preview", json_boolean(!strcmp(c->status, "draft")));
	if (form_token)
		json_object_set_new(m, "form_token", json_string(form_token));
	if (notice)
		json_object_set_new(m, "notice", json_string(notice));
	if (errors)
		json_object_set_new(m, "has_errors", json_true());
	if (answered_at) {
		json_object_set_new(m, "answered_before", json_true());
		char ymd[16];
		time_t t = (time_t)answered_at;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
		json_object_set_new(m, "answered_label", json_string(app_date(q, ymd)));
	}
	if (cons_is_organiser(q))
		json_object_set_new(m, "can_edit", json_true());
	cons_page(q, status, "cons_show", m);
}

static void closed_answer(app_req *q, const consultation *c)
{
	if (q->want_json) {
		app_error(q, 410, "This consultation does not accept answers now: it is not open yet, or it has closed.");
		return;
	}
	page(q, 410, c, NULL, NULL, NULL,
	     app_t(q, "This consultation does not accept answers now: it is not open yet, or it has closed."),
	     0);
}

static unsigned ip_limit(void)
{
	const char *s = getenv("OPENPLAN_CONS_IP_LIMIT");
	long long v;
	return s && text_parse_int(s, 1, 1000000000, &v) ? (unsigned)v : 60;
}

/* GET shows the page (or the questionnaire as data); POST answers. */
void cons_show(app_req *q)
{
	consultation c;
	if (!cons_load_visible(q, &c))
		return;
	if (q->want_json && q->r->method != HTTP_POST) {
		json_t *d = questionnaire_data(q, &c);
		if (!d) {
			cons_oom(q);
			return;
		}
		cons_json(q, 200, d);
		return;
	}
	unsigned char key[32];
	if (!cons_secret(q, key)) {
		app_store_error(q, STORE_ERROR);
		return;
	}
	bool open = cons_accepting(&c);
	char *purpose = arena_printf(q->a, "form:%lld", (long long)c.id);
	if (!purpose) {
		cons_oom(q);
		return;
	}
	if (q->r->method != HTTP_POST) {
		given *g = NULL;
		int64_t at = 0;
		if (q->me) {
			cons_answer_in *a;
			size_t n;
			if (cons_store_my_answers(q->app->db, q->a, c.id, q->me->id, NULL, &a, &n, &at) ==
			    STORE_OK)
				g = given_from_store(q, &c, a, n);
		} else if (open && c.allow_anonymous) {
			browser_nonce(q, key); /* the cookie the answer will be tied to */
		}
		page(q, 200, &c, g, NULL, open ? cons_token_make(q->a, key, purpose) : NULL, NULL, at);
		return;
	}
	if (!strcmp(c.status, "draft")) {
		app_error(q, 409, "This consultation is a draft. Publish it before people can answer.");
		return;
	}
	if (!open) {
		closed_answer(q, &c);
		return;
	}
	if (!q->me && !c.allow_anonymous) {
		app_error(q, 401, "Sign in first to answer this consultation.");
		return;
	}
	const char *bnonce = NULL;
	if (!q->me) {
		char *rk = arena_printf(q->a, "cons:%s", q->r->client_ip ? q->r->client_ip : "?");
		if (!rk || !ratelimit_hit(rk, ip_limit(), 600)) {
			app_error(q, 429, "Too many answers from your network in a short time. Wait ten minutes and try again.");
			return;
		}
		bnonce = browser_nonce(q, key);
	}
	bool *unknown = arena_calloc(q->a, c.nquestions + 1, sizeof *unknown);
	const char **errors = arena_calloc(q->a, c.nquestions + 1, sizeof *errors);
	given *g = unknown && errors ? given_from_form(q, &c, unknown) : NULL;
	if (!g) {
		cons_oom(q);
		return;
	}
	int bad = 0;
	for (size_t i = 0; i < c.nquestions; i++)
		bad += (errors[i] = check_one(q, &c.questions[i], &g[i], unknown[i])) != NULL;
	const char *token = http_form(q->r, "form_token");
	char *nonce = cons_token_check(q->a, key, purpose, token);
	if (bad || !nonce) {
		const char *fresh = nonce ? token : cons_token_make(q->a, key, purpose);
		const char *notice = bad ? app_t(q, "Not everything is filled in correctly. Look at the messages at the questions. Nothing was saved yet.")
		                         : app_t(q, "This form could not be checked. Your answers are kept: send them again.");
		if (q->want_json) {
			json_t *e = json_object();
			for (size_t i = 0; i < c.nquestions; i++)
				if (errors[i])
					json_object_set_new(e, arena_printf(q->a, "q%lld",
					                    (long long)c.questions[i].id), json_string(errors[i]));
			json_t *m = json_pack("{s:{s:i,s:s,s:o},s:s}", "error", "status", 422, "message",
			                      notice, "fields", e, "form_token", fresh ? fresh : "");
			cons_json(q, 422, m);
			return;
		}
		page(q, 422, &c, g, bad ? errors : NULL, fresh, notice, 0);
		return;
	}
	size_t n = 0;
	cons_answer_in *rows = to_rows(q, &c, g, &n);
	if (!rows) {
		cons_oom(q);
		return;
	}
	bool replaced = false;
	store_rc rc = cons_store_respond(q->app->db, c.id, q->me ? q->me->id : 0,
	                                 bnonce ? auth_token_hash(q->a, bnonce) : NULL, nonce, rows,
	                                 n, &replaced);
	if (rc == STORE_INVALID) { /* archived or made a draft meanwhile */
		closed_answer(q, &c);
		return;
	}
	if (rc == STORE_CONFLICT) {
		if (q->want_json) {
			app_error(q, 409, "This form was already sent. Your answer is saved once.");
			return;
		}
		json_t *m = json_pack("{s:s,s:o,s:b,s:s}", "title", c.title, "consultation",
		                      cons_summary_json(q, &c), "already_sent", 1, "notice",
		                      app_t(q, "This form was already sent. Your answer is saved once."));
		cons_page(q, 409, "cons_thanks", m);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	char *to = arena_printf(q->a, "/consultations/%lld/thanks%s", (long long)c.id,
	                        replaced ? "?changed=1" : "");
	if (q->want_json) {
		json_t *m = json_pack("{s:b,s:b,s:s}", "ok", 1, "replaced", replaced, "location",
		                      to ? to : "/");
		cons_json(q, 201, m);
		return;
	}
	app_redirect(q, to ? to : "/", NULL);
}

void cons_thanks(app_req *q)
{
	consultation c;
	if (!cons_load_visible(q, &c))
		return;
	json_t *m = json_pack("{s:s,s:o,s:b,s:b}", "title", c.title, "consultation",
	                      cons_summary_json(q, &c), "changed",
	                      http_query(q->r, "changed") != NULL, "signed_in", q->me != NULL);
	cons_page(q, 200, "cons_thanks", m);
}
