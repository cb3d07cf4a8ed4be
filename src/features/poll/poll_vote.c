/* poll_vote.c — the participant's side of a live poll, on a phone: /p
 * where the 6-digit code is typed, the page with the open question (or
 * every question when participants go at their own pace), voting through
 * the page's form or the JSON API (/api/v1/p/{code}), the page that says
 * a poll has ended (with its report when public), and the participant's
 * stream. No account: a participant is the signed cookie of poll_limit.c.
 * A wrong answer (checked in poll_answer.c) comes back at its field: a
 * ranking that gives two options the same place says which; a question
 * that closed meanwhile says so.
 * Limits (poll_limit.c): wrong codes and new participants per address,
 * votes per participant, participants per network and question.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/text.h"
#include "poll.h"

#define BUSY "The server is too busy right now. Please try again in a minute."

#define COOKIE "op_poll"

/* ---- the forms ---- */

/* "123 456" and "123-456" are the same code: the digits, or NULL. */
static char *code_digits(arena *a, const char *v)
{
	char *c = arena_strdup(a, v ? v : "");
	if (!c)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; c[i]; i++)
		if (c[i] != ' ' && c[i] != '-')
			c[j++] = c[i];
	c[j] = '\0';
	return c;
}

static bool code_valid(const char *c)
{
	if (!c || strlen(c) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (c[i] < '0' || c[i] > '9')
			return false;
	return true;
}

static const char *check_code(app_req *q, const char *v)
{
	return code_valid(code_digits(q->a, v)) ? NULL : "Type the 6 digits of the code.";
}

static const form_field join_fields[] = {
	{ "code", F_TEXT, true, 20, .label = "Code of the poll (6 digits)", .check = check_code,
	  .autocomplete = "off" },
};
const form_def poll_join_form = FORM_DEF_GUARDED("join", join_fields, NULL, poll_join_reshow,
                                                 poll_join_allowed);

static const form_field vote_fields[] = {
	{ "question", F_ID, true, 20, .label = "Question" },
	{ "option", F_ID, false, 20, .label = "Answer" },
	{ "value", F_INT, false, 10, .min = 0, .label = "Value" },
	{ "text", F_MULTILINE, false, POLL_OPEN_MAX, .label = "Your answer" },
};
const form_def poll_vote_form = FORM_DEF_GUARDED("vote", vote_fields, NULL, poll_vote_reshow,
                                                 poll_vote_allowed);

/* Too many wrong codes from this address: nothing is looked up. */
static bool codes_allowed(app_req *q)
{
	if (poll_limit_code_ok(q))
		return true;
	http_resp_header(q->r, q->s, "Retry-After", "600");
	app_error(q, 429, "Too many wrong codes came from your network. Wait ten minutes and try again.");
	return false;
}

bool poll_join_allowed(app_req *q)
{
	return codes_allowed(q);
}

bool poll_vote_allowed(app_req *q)
{
	return codes_allowed(q);
}

/* ---- loading a poll by its code ---- */

static void join_page(app_req *q, int status, const char *code, const char *msg);
static void ended_page(app_req *q, const poll *p);

/* The poll with this code, if participants may use it now; else the
 * answer (HTML: a page that says why; JSON: an error) is given. */
static bool load_open(app_req *q, const char *code, int64_t counts, poll *p, bool closed_ok)
{
	if (!codes_allowed(q))
		return false;
	store_rc rc = code_valid(code) ? poll_store_by_code(q->app->db, q->a, code, counts, p)
	                               : STORE_NOTFOUND;
	const char *msg = NULL;
	int status = 0;
	if (rc == STORE_NOTFOUND) {
		poll_limit_code_miss(q);
		msg = "There is no poll with this code. Check the code and try again.";
		status = 404;
	} else if (rc != STORE_OK) {
		poll_busy(q);
		return false;
	} else if (!strcmp(p->status, "draft")) {
		msg = "This poll has not started yet. Wait until the presenter opens it.";
		status = 409;
	} else if (!strcmp(p->status, "closed") && !closed_ok) {
		if (!q->want_json) {
			ended_page(q, p);
			return false;
		}
		msg = "This poll has ended. Thank you for taking part.";
		status = 410;
	}
	if (!msg)
		return true;
	if (q->want_json)
		app_error(q, status, msg);
	else
		join_page(q, status, code, msg);
	return false;
}

/* The participant id; a new one (with its cookie) when absent or not
 * valid and issue is set. NULL, with the answer given, when no id can be
 * had (too many new participants from this address, out of memory). */
static const char *participant(app_req *q, bool issue)
{
	const char *id = poll_cookie_check(q->app, q->a, http_cookie(q->r, COOKIE));
	if (id || !issue)
		return id;
	if (!poll_limit_join(q)) {
		http_resp_header(q->r, q->s, "Retry-After", "60");
		app_error(q, 429, "Very many people joined from your network just now. Wait a minute and try again.");
		return NULL;
	}
	const char *c = poll_cookie_new(q->app, q->a);
	id = c ? arena_strndup(q->a, c, 32) : NULL;
	if (!id) {
		poll_busy(q);
		return NULL;
	}
	http_set_cookie(q->r, q->s, COOKIE, c, 86400, q->app->cfg.https);
	return id;
}

/* ---- /p ---- */

/* The page where the code is typed; msg (a msgid) at the field. */
static void join_page(app_req *q, int status, const char *code, const char *msg)
{
	if (msg && q->form)
		form_fail(q, "code", msg);
	json_t *form = form_view(q, &poll_join_form, "join", json_pack("{s:s}", "code", code ? code : ""),
	                         true);
	json_t *f = json_object_get(json_object_get(form, "f"), "code");
	if (msg && !json_object_get(f, "error")) {
		/* no posted form (a GET): the message all the same */
		json_object_set_new(f, "error", json_string(app_t(q, msg)));
		json_object_set_new(f, "value", json_string(code ? code : ""));
	}
	json_t *m = json_pack("{s:s,s:o}", "title", app_t(q, "Join a poll"), "form", form);
	if (!m) {
		poll_busy(q);
		return;
	}
	app_page(q, status, "poll_join", m);
}

void poll_join_reshow(app_req *q)
{
	join_page(q, 422, NULL, NULL);
}

void poll_join(app_req *q)
{
	bool post = q->r->method == HTTP_POST;
	const char *raw = post ? form_text(q, "code") : http_query(q->r, "code");
	if (!raw) {
		join_page(q, 200, NULL, NULL);
		return;
	}
	char *c = code_digits(q->a, raw);
	if (!c) {
		poll_busy(q);
		return;
	}
	if (!code_valid(c)) {
		join_page(q, 422, raw, "Type the 6 digits of the code.");
		return;
	}
	if (!codes_allowed(q))
		return;
	poll p;
	store_rc rc = poll_store_by_code(q->app->db, q->a, c, POLL_COUNTS_NONE, &p);
	if (rc == STORE_NOTFOUND) {
		poll_limit_code_miss(q);
		join_page(q, 404, raw, "There is no poll with this code. Check the code and try again.");
		return;
	}
	if (rc != STORE_OK) {
		poll_busy(q);
		return;
	}
	if (!strcmp(p.status, "draft")) {
		join_page(q, 409, raw, "This poll has not started yet. Wait until the presenter opens it.");
		return;
	}
	if (!strcmp(p.status, "closed")) {
		ended_page(q, &p);
		return;
	}
	const char *to = arena_printf(q->a, "/p/%s", c);
	if (!to) {
		poll_busy(q);
		return;
	}
	app_redirect(q, to, NULL);
}

/* A poll that has ended: says so, and links to its report when public. */
static void ended_page(app_req *q, const poll *p)
{
	json_t *m = json_pack("{s:s,s:s}", "title", p->title, "code", p->code);
	if (!m) {
		poll_busy(q);
		return;
	}
	if (poll_report_public(p))
		json_object_set_new(m, "report", json_string(arena_printf(q->a, "/polls/%lld/report",
		                                                          (long long)p->id)));
	app_page(q, 410, "poll_ended", m);
}

/* ---- the phone page ---- */

/* My answer to question id, or NULL. */
static const char *mine(const int64_t *qids, const char **ans, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (qids[i] == id)
			return ans[i];
	return NULL;
}

/* The ids in "12,14,13", in their order; how many. */
static size_t id_list(const char *list, int64_t *out, size_t max)
{
	size_t n = 0;
	char *end;
	for (const char *s = list; s && *s && n < max;) {
		long long v = strtoll(s, &end, 10);
		if (end == s)
			break;
		out[n++] = v;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

/* My answer as data: {"options":[…]}, {"value":N} or {"text":"…"}. */
static json_t *answer_data(const poll_question *pq, const char *my)
{
	if (!my)
		return json_null();
	if (pq->noptions) {
		int64_t ids[64];
		size_t n = id_list(my, ids, 64);
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_integer(ids[i]));
		return json_pack("{s:o}", "options", a);
	}
	if (!strcmp(pq->kind, "scale"))
		return json_pack("{s:i}", "value", atoi(my));
	return json_pack("{s:s}", "text", my);
}

/* The questions a participant sees now, as data, with their answers. */
static json_t *questions_data(app_req *q, const poll *p, const int64_t *qids, const char **ans,
                              size_t nans)
{
	bool self = !strcmp(p->mode, "self");
	json_t *qs = json_array();
	for (size_t i = 0; qs && i < p->nquestions; i++) {
		const poll_question *pq = &p->questions[i];
		if (!self && pq->id != p->current_question)
			continue;
		json_t *jq = poll_question_data(q->app->db, q->a, pq,
		                                p->show_results ? POLL_R_LIVE : POLL_R_NONE);
		if (!jq || json_object_set_new(jq, "my_answer", answer_data(pq, mine(qids, ans, nans, pq->id))) ||
		    json_array_append_new(qs, jq))
			qs = NULL;
	}
	return qs;
}

/* The phone page's view of one question: the form (with what was posted
 * when this question's answer came back with a message) and the results. */
static json_t *question_view(app_req *q, const poll *p, const poll_question *pq, int number,
                             const char *my, const poll_posted *in)
{
	const char *k = pq->kind;
	json_t *jq = json_pack("{s:I,s:i,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b}",
	                       "id", (json_int_t)pq->id, "number", number, "prompt", pq->prompt,
	                       "kind", k,
	                       "is_single", !strcmp(k, "single"), "is_multiple", !strcmp(k, "multiple"),
	                       "is_ranking", !strcmp(k, "ranking"), "is_scale", !strcmp(k, "scale"),
	                       "is_open", !strcmp(k, "open"), "is_words", !strcmp(k, "words"),
	                       "answered", my != NULL, "can_vote", !pq->locked,
	                       "self", !strcmp(p->mode, "self"));
	if (!jq)
		return NULL;
	/* The values to show: as posted (a failed vote), else my answer. */
	int64_t ids[64];
	size_t nids = in ? in->nopts : my && pq->noptions ? id_list(my, ids, 64) : 0;
	if (in)
		memcpy(ids, in->opts, nids * sizeof *ids);
	json_t *opts = json_array();
	for (size_t k2 = 0; opts && k2 < pq->noptions; k2++) {
		const poll_option *o = &pq->options[k2];
		int place = 0;
		for (size_t j = 0; j < nids; j++)
			if (ids[j] == o->id)
				place = in && in->ranked ? in->places[j] : (int)j + 1;
		if (!place && !strcmp(k, "ranking"))
			place = (int)k2 + 1; /* the order given, as a start */
		json_t *ranks = json_array();
		for (size_t r = 1; ranks && r <= pq->noptions; r++)
			if (json_array_append_new(ranks, json_pack("{s:I,s:b}", "value", (json_int_t)r,
			                                           "selected", (int)r == place)))
				ranks = NULL;
		if (json_array_append_new(opts, json_pack("{s:I,s:s,s:b,s:o}", "id", (json_int_t)o->id,
		                                          "label", o->label, "checked", place > 0,
		                                          "ranks", ranks)))
			opts = NULL;
	}
	if (json_object_set_new(jq, "options", opts))
		return NULL;
	if (!strcmp(k, "scale")) {
		long long chosen = in ? (in->has_value ? in->value : -1) : my ? atoll(my) : -1;
		json_t *vals = json_array();
		for (int v = pq->scale_min; vals && v <= pq->scale_max; v++)
			if (json_array_append_new(vals, json_pack("{s:i,s:b}", "value", v, "checked",
			                                          v == chosen)))
				vals = NULL;
		if (json_object_set_new(jq, "values", vals))
			return NULL;
		json_object_set_new(jq, "scale_min", json_integer(pq->scale_min));
		json_object_set_new(jq, "scale_max", json_integer(pq->scale_max));
	}
	const char *text = in ? (in->text ? in->text : "") : my && !pq->noptions ? my : "";
	json_object_set_new(jq, "text", json_string(text));
	if (p->show_results) {
		json_t *chart = poll_chart(q, pq, false);
		if (!chart || json_object_set_new(jq, "chart", chart))
			return NULL;
	}
	return jq;
}

/* The page with the open question (or every question at one's own pace).
 * After a vote that came back, its messages at its fields and the values
 * as posted. */
static void phone_page(app_req *q, int status, const poll *p, const char *me)
{
	int64_t *qids = NULL;
	const char **ans = NULL;
	size_t nans = 0;
	if (poll_store_my_answers(q->app->db, q->a, p->id, me, &qids, &ans, &nans) != STORE_OK) {
		poll_busy(q);
		return;
	}
	if (q->want_json) {
		json_t *qs = questions_data(q, p, qids, ans, nans);
		json_t *d = json_pack("{s:o,s:o,s:n}", "poll", poll_data(p), "questions", qs, "report");
		if (!qs || !d) {
			poll_busy(q);
			return;
		}
		app_json(q, status, d);
		return;
	}
	/* what was posted, when a vote came back */
	poll_posted in;
	bool failed = form_failed(q) && q->form->def == &poll_vote_form;
	if (failed)
		poll_posted_form(q, &in);
	bool self = !strcmp(p->mode, "self");
	json_t *shown = json_array();
	bool waiting = true;
	for (size_t i = 0; shown && i < p->nquestions; i++) {
		const poll_question *pq = &p->questions[i];
		if (!self && pq->id != p->current_question)
			continue;
		const char *my = mine(qids, ans, nans, pq->id);
		bool this = failed && in.question == pq->id;
		json_t *jq = question_view(q, p, pq, (int)i + 1, my, this ? &in : NULL);
		if (jq && this) {
			/* the messages at this question's fields */
			const char *key;
			json_t *v;
			json_t *errs = json_object();
			json_object_foreach(q->form->errors, key, v)
				json_object_set(errs, !strcmp(key, "options") ? (pq->noptions &&
				                !strcmp(pq->kind, "ranking") ? "rank" : "option") : key, v);
			json_object_set_new(jq, "errors", errs);
		}
		if (!my && !pq->locked)
			waiting = false;
		if (json_array_append_new(shown, jq))
			shown = NULL;
	}
	const char *stream = arena_printf(q->a, "/p/%s/stream", p->code), *sig = poll_sig(q->a, p, false);
	json_t *m = json_pack("{s:s,s:s,s:o,s:b,s:b,s:b,s:s,s:s}", "title", p->title, "code", p->code,
	                      "questions", shown, "self", self, "show_results", p->show_results,
	                      "waiting", !self && waiting, "stream", stream ? stream : "",
	                      "sig", sig ? sig : "");
	if (!m || !stream || !sig) {
		poll_busy(q);
		return;
	}
	json_object_set_new(m, "has_current", json_boolean(p->current_question != 0));
	/* A question that moved on, or a network at its limit: said on top. */
	const char *general = failed ? json_string_value(json_object_get(q->form->errors, "question"))
	                             : NULL;
	if (general)
		json_object_set_new(m, "notice", json_string(general));
	if (failed && json_object_size(q->form->errors))
		json_object_set_new(m, "has_errors", json_true());
	/* Without JavaScript the page looks again now and then, but not while
	 * someone may be typing an answer. */
	if (!self && waiting)
		json_object_set_new(m, "refresh", json_integer(5));
	app_page(q, status, "poll_participant", m);
}

void poll_participate(app_req *q)
{
	poll p;
	const char *code = http_param(q->r, "code");
	if (!load_open(q, code, POLL_COUNTS_NONE, &p, q->want_json))
		return;
	if (!strcmp(p.status, "closed")) {
		/* JSON: the poll has ended; the report when public */
		json_t *d = json_pack("{s:o,s:[],s:s?}", "poll", poll_data(&p), "questions", "report",
		                      poll_report_public(&p)
		                      ? arena_printf(q->a, "/api/v1/polls/%lld/report", (long long)p.id) : NULL);
		if (!d) {
			poll_busy(q);
			return;
		}
		app_json(q, 200, d);
		return;
	}
	const char *me = participant(q, true);
	if (!me)
		return;
	if (p.show_results && poll_store_get(q->app->db, q->a, p.id, POLL_COUNTS_ALL, &p) != STORE_OK) {
		poll_busy(q);
		return;
	}
	phone_page(q, 200, &p, me);
}

void poll_vote_reshow(app_req *q)
{
	/* A client of the form's JSON gets the messages at its fields, however
	 * the poll is doing. */
	if (q->want_json) {
		app_page(q, 422, "poll_participant", json_object());
		return;
	}
	poll p;
	if (!load_open(q, http_param(q->r, "code"), POLL_COUNTS_NONE, &p, false))
		return;
	const char *me = participant(q, false);
	if (p.show_results && poll_store_get(q->app->db, q->a, p.id, POLL_COUNTS_ALL, &p) != STORE_OK) {
		poll_busy(q);
		return;
	}
	phone_page(q, q->s->status ? q->s->status : 422, &p, me ? me : "");
}

/* ---- voting ---- */

typedef struct cast {
	int         status;      /* 200, or the error's */
	const char *field;       /* where the message belongs */
	const char *msgid;
	bool        replaced;
	int64_t     question;
} cast;

/* Checks and records one vote; both the form and the JSON API come here. */
static void vote_cast(app_req *q, const poll *p, const char *me, const poll_posted *in, cast *out)
{
	memset(out, 0, sizeof *out);
	out->field = "question";
	const poll_question *pq = poll_question_of(p, in->question);
	if (!pq) {
		out->status = 404;
		out->msgid = "This question is not part of this poll.";
		return;
	}
	out->question = pq->id;
	if (strcmp(p->mode, "self") && pq->id != p->current_question) {
		out->status = 409;
		out->msgid = "This question is not open for voting now.";
		return;
	}
	if (pq->locked) {
		out->status = 409;
		out->msgid = "This question is locked: voting has stopped.";
		return;
	}
	if (in->ranked && (out->msgid = poll_ranking_tie(q, pq, in))) {
		out->status = 422;
		out->field = "options";
		return;
	}
	poll_answer pa;
	if (!poll_answer_check(q->a, pq, in->opts, in->nopts, in->text, in->value, in->has_value, &pa,
	                       &out->status, &out->field, &out->msgid))
		return;
	const char *net = poll_net(q->app, q->a, q->r->client_ip);
	if (!net) {
		out->status = 503;
		out->msgid = BUSY;
		return;
	}
	poll_vote_in v = { pq->id, me, pa.answer, pa.items, pa.nitems, net, poll_net_cap(p, net) };
	bool capped = false;
	store_rc rc = poll_store_vote(q->app->db, &v, &out->replaced, &capped);
	if (capped) {
		out->status = 429;
		out->field = "question";
		out->msgid = "Too many answers to this question came from your network. In a hall where everyone shares the Wi-Fi, the presenter can allow that on the poll's page.";
		return;
	}
	if (rc != STORE_OK) {
		out->status = 503;
		out->msgid = BUSY;
		return;
	}
	out->status = 200;
	poll_live_changed(q->app, p->id);
}

/* The participant of a vote, within the per-participant limit; else the
 * answer is given. */
static const char *voter(app_req *q)
{
	const char *cookie = http_cookie(q->r, COOKIE);
	const char *me = poll_cookie_check(q->app, q->a, cookie);
	if (!me) {
		app_error(q, 403, cookie ? "Your participant cookie is not valid. Open the poll again with its code."
		                         : "Join the poll first: open it with its code.");
		return NULL;
	}
	const char *key = arena_printf(q->a, "pollvote:%s", me);
	if (!key) {
		poll_busy(q);
		return NULL;
	}
	if (!ratelimit_hit(key, POLL_VOTE_LIMIT, POLL_VOTE_WINDOW)) {
		http_resp_header(q->r, q->s, "Retry-After", "10");
		app_error(q, 429, "You are voting too fast. Wait a moment and try again.");
		return NULL;
	}
	return me;
}

void poll_vote(app_req *q)
{
	poll p;
	const char *code = http_param(q->r, "code");
	if (!load_open(q, code, POLL_COUNTS_NONE, &p, false))
		return;
	const char *me = voter(q);
	if (!me)
		return;
	poll_posted in;
	if (!poll_posted_form(q, &in)) {
		app_error(q, 400, "Your vote could not be read. Answer from the poll's page.");
		return;
	}
	cast c;
	vote_cast(q, &p, me, &in, &c);
	if (c.status == 200) {
		const char *to = arena_printf(q->a, "/p/%s#q%lld", p.code, (long long)c.question);
		if (!to)
			poll_busy(q);
		else
			app_redirect(q, to, NULL);
		return;
	}
	if (c.status == 404 || c.status == 503) {
		app_error(q, c.status, c.msgid);
		return;
	}
	/* The page again, with the message where it belongs. */
	form_fail(q, c.field, c.msgid);
	if (p.show_results && poll_store_get(q->app->db, q->a, p.id, POLL_COUNTS_ALL, &p) != STORE_OK) {
		poll_busy(q);
		return;
	}
	if (c.status == 429)
		http_resp_header(q->r, q->s, "Retry-After", "60");
	phone_page(q, c.status, &p, me);
}

void poll_vote_api(app_req *q)
{
	poll p;
	if (!load_open(q, http_param(q->r, "code"), POLL_COUNTS_NONE, &p, false))
		return;
	const char *me = voter(q);
	if (!me)
		return;
	poll_posted in;
	if (!poll_posted_json(q, &in)) {
		app_error(q, 400, "Your vote could not be read. Answer from the poll's page.");
		return;
	}
	cast c;
	vote_cast(q, &p, me, &in, &c);
	if (c.status == 200) {
		app_json(q, 200, json_pack("{s:b,s:I,s:b}", "ok", 1, "question", (json_int_t)c.question,
		                           "replaced", c.replaced));
		return;
	}
	if (c.status == 429)
		http_resp_header(q->r, q->s, "Retry-After", "60");
	if (c.status == 422) {
		/* the message, and at which field */
		const char *english = i18n_get("en", c.msgid);
		app_json(q, 422, json_pack("{s:{s:i,s:s,s:{s:s}}}", "error", "status", 422, "message",
		                           english, "fields", c.field, english));
		return;
	}
	app_error(q, c.status, c.msgid);
}

void poll_part_stream(app_req *q)
{
	poll p;
	if (!load_open(q, http_param(q->r, "code"), POLL_COUNTS_NONE, &p, false))
		return;
	/* Opening the stream also joins: a participant without a valid cookie
	 * gets one with the stream's headers. */
	if (participant(q, true))
		poll_live_stream(q, &p, false);
}
