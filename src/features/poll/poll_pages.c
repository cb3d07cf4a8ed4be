/* polls.c — the organiser's side of live polls: the list of polls and a new
 * poll (optionally tied to the plan), the poll's page with its questions and
 * controls (open, close, one question at a time or self-paced, lock, show or
 * hide results, reset a test run, attach the report to the plan), the
 * full-screen presenter view with the join code and a QR code (SVG from
 * libqrencode), the presenter's stream, and the report (page, CSV, JSON).
 */
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/text.h"
#include "poll.h"

#define NF(a) (sizeof a / sizeof *a)

static const char *const kinds[] = { "single", "multiple", "open", "words", "ranking", "scale", NULL };
static const char *const kind_labels[] = { "Multiple choice, one answer", "Multiple choice, several answers",
	                                   "Open answer", "Word cloud", "Ranking", "Scale" };
static const char *const modes[] = { "presenter", "self", NULL };

const char *poll_kind_label(const char *kind)
{
	for (int i = 0; kinds[i]; i++)
		if (!strcmp(kinds[i], kind))
			return kind_labels[i];
	return kind;
}

static const char *status_label(const char *s)
{
	return !strcmp(s, "open") ? "Open" : !strcmp(s, "closed") ? "Closed" : "Not started";
}

static json_t *poll_brief(app_req *q, const poll *p)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:I}", "id", (json_int_t)p->id, "title", p->title,
	                 "code", p->code, "status", p->status, "status_label",
	                 app_t(q, status_label(p->status)), "mode", p->mode, "attached", p->attached,
	                 "plan_id", (json_int_t)p->plan_id);
}

/* ---- list and create ---- */

static const form_field poll_fields[] = {
	{ "title", F_TEXT, true, 200, NULL },
	{ "mode", F_CHOICE, true, 20, modes },
	{ "plan_id", F_TEXT, false, 20, NULL },
};

static void list_page(app_req *q, int status, json_t *form, json_t *errors)
{
	poll *ps = NULL;
	size_t n = 0;
	store_rc rc = poll_store_list(q->app->db, q->a, &ps, &n);
	if (rc != STORE_OK) {
		json_decref(form);
		json_decref(errors);
		app_store_error(q, rc);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, poll_brief(q, &ps[i]));
	json_t *m = json_pack("{s:s,s:o,s:o,s:o}", "title", app_t(q, "Live polls"), "polls", list,
	                      "form", form ? form : json_pack("{s:s}", "mode", "presenter"), "errors",
	                      errors ? errors : json_object());
	const char *mode = form_str(json_object_get(m, "form"), "mode");
	json_object_set_new(m, "mode_self", json_boolean(mode && !strcmp(mode, "self")));
	plan pl;
	if (store_plan_main(q->app->db, q->a, &pl) == STORE_OK)
		json_object_set_new(m, "plan", json_pack("{s:I,s:s}", "id", (json_int_t)pl.id, "title", pl.title));
	app_page(q, status, "poll_list", m);
}

void poll_list(app_req *q)
{
	list_page(q, 200, NULL, NULL);
}

void poll_create(app_req *q)
{
	json_t *v, *e;
	int bad = form_check(q, poll_fields, NF(poll_fields), &v, &e);
	long long plan_id = 0;
	const char *pid = form_str(v, "plan_id");
	plan pl;
	if (pid && *pid && (!text_parse_int(pid, 1, INT64_MAX, &plan_id) ||
	                    store_plan_get(q->app->db, q->a, plan_id, &pl) != STORE_OK)) {
		form_error(q, e, "plan_id", "Choose one of the options.");
		bad++;
	}
	if (bad) {
		list_page(q, 422, v, e);
		return;
	}
	int64_t id = 0;
	store_rc rc = STORE_CONFLICT;
	for (int tries = 0; tries < 20 && rc == STORE_CONFLICT; tries++) {
		char code[8];
		snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
		rc = poll_store_create(q->app->db, plan_id, form_str(v, "title"), code,
		                       form_str(v, "mode"), q->me->id, &id);
	}
	json_decref(v);
	json_decref(e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, arena_printf(q->a, "/polls/%lld", (long long)id), "saved");
}

/* ---- the poll's page ---- */

static bool load(app_req *q, bool counts, poll *p)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? poll_store_get(q->app->db, q->a, id, counts, p) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

static const form_field question_fields[] = {
	{ "kind", F_CHOICE, true, 20, kinds },
	{ "prompt", F_TEXT, true, 300, NULL },
	{ "options", F_MULTILINE, false, 4000, NULL },
	{ "scale_min", F_TEXT, false, 3, NULL },
	{ "scale_max", F_TEXT, false, 3, NULL },
};

static void show_page(app_req *q, int status, poll *p, json_t *form, json_t *errors)
{
	json_t *snap = poll_snapshot(p, true, q->app->db, q->a);
	json_t *qs = json_object_get(snap, "questions");
	size_t i;
	json_t *jq;
	json_array_foreach(qs, i, jq) {
		json_object_set_new(jq, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(jq, "kind_label", json_string(app_t(q, poll_kind_label(p->questions[i].kind))));
		json_object_set_new(jq, "is_current", json_boolean(p->questions[i].id == p->current_question));
	}
	json_t *kl = json_array();
	for (int k = 0; kinds[k]; k++)
		json_array_append_new(kl, json_pack("{s:s,s:s,s:b}", "value", kinds[k], "label",
		                                    app_t(q, kind_labels[k]), "selected",
		                                    form && !strcmp(form_str(form, "kind") ? form_str(form, "kind") : "", kinds[k])));
	json_t *m = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "title", p->title, "poll", poll_brief(q, p),
	                      "questions", json_incref(qs), "kinds", kl,
	                      "form", form ? form : json_pack("{s:s,s:s}", "scale_min", "1", "scale_max", "5"),
	                      "errors", errors ? errors : json_object());
	json_decref(snap);
	json_t *pb = json_object_get(m, "poll");
	json_object_set_new(pb, "is_open", json_boolean(!strcmp(p->status, "open")));
	json_object_set_new(pb, "is_draft", json_boolean(!strcmp(p->status, "draft")));
	json_object_set_new(pb, "is_closed", json_boolean(!strcmp(p->status, "closed")));
	json_object_set_new(pb, "self", json_boolean(!strcmp(p->mode, "self")));
	json_object_set_new(pb, "show_results", json_boolean(p->show_results));
	json_object_set_new(pb, "current", json_integer(p->current_question));
	plan pl;
	if (p->plan_id && store_plan_get(q->app->db, q->a, p->plan_id, &pl) == STORE_OK)
		json_object_set_new(pb, "plan_title", json_string(pl.title));
	app_page(q, status, "poll_edit", m);
}

void poll_show(app_req *q)
{
	poll p;
	if (load(q, true, &p))
		show_page(q, 200, &p, NULL, NULL);
}

void poll_question_add(app_req *q)
{
	poll p;
	if (!load(q, true, &p))
		return;
	json_t *v, *e;
	int bad = form_check(q, question_fields, NF(question_fields), &v, &e);
	const char *kind = form_str(v, "kind");
	const char *opts[20];
	size_t nopts = 0;
	long long lo = 1, hi = 5;
	bool choice = kind && (!strcmp(kind, "single") || !strcmp(kind, "multiple") ||
	                       !strcmp(kind, "ranking"));
	if (choice && !json_object_get(e, "options")) {
		char *all = arena_strdup(q->a, form_str(v, "options") ? form_str(v, "options") : "");
		char *save = NULL;
		bool too_long = false, too_many = false;
		for (char *line = strtok_r(all, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
			char *t = text_trim(q->a, line);
			if (!t || !*t)
				continue;
			if (text_utf8_len(t) > 120)
				too_long = true;
			else if (nopts == NF(opts))
				too_many = true;
			else
				opts[nopts++] = t;
		}
		if (too_long)
			form_error(q, e, "options", "Keep each option to at most 120 characters.");
		else if (too_many)
			form_error(q, e, "options", "Give at most 20 options.");
		else if (nopts < 2)
			form_error(q, e, "options", "Give at least two options, one per line.");
		bad += too_long || too_many || nopts < 2;
	}
	if (kind && !strcmp(kind, "scale")) {
		const char *a = form_str(v, "scale_min"), *b = form_str(v, "scale_max");
		if (!text_parse_int(a && *a ? a : "1", 0, 10, &lo) || !text_parse_int(b && *b ? b : "5", 1, 10, &hi) ||
		    hi <= lo) {
			form_error(q, e, "scale_max", "Give a scale from a lower to a higher number, from 0 up to 10.");
			bad++;
		}
	}
	if (!strcmp(p.status, "closed")) {
		form_error(q, e, "prompt", "This poll is closed; questions can no longer be added.");
		bad++;
	}
	if (bad) {
		show_page(q, 422, &p, v, e);
		return;
	}
	store_rc rc = poll_store_question_add(q->app->db, p.id, kind, form_str(v, "prompt"), (int)lo,
	                                      (int)hi, choice ? opts : NULL, choice ? nopts : 0, NULL);
	json_decref(v);
	json_decref(e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	poll_live_changed(q->app, p.id, true);
	app_redirect(q, arena_printf(q->a, "/polls/%lld", (long long)p.id), "saved");
}

void poll_question_delete(app_req *q)
{
	poll p;
	if (!load(q, false, &p))
		return;
	store_rc rc = poll_store_question_delete(q->app->db, p.id, app_param_id(q, "qid"));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	poll_live_changed(q->app, p.id, true);
	app_redirect(q, arena_printf(q->a, "/polls/%lld", (long long)p.id), "deleted");
}

static const poll_question *question(const poll *p, int64_t id)
{
	for (size_t i = 0; i < p->nquestions; i++)
		if (p->questions[i].id == id)
			return &p->questions[i];
	return NULL;
}

void poll_control(app_req *q)
{
	poll p;
	if (!load(q, false, &p))
		return;
	const char *action = http_form(q->r, "action");
	const char *qs = http_form(q->r, "question");
	long long qid = 0;
	const poll_question *pq = qs && text_parse_int(qs, 1, INT64_MAX, &qid) ? question(&p, qid) : NULL;
	store_rc rc = STORE_OK;
	if (!action) {
		app_error(q, 400, "Your browser sent something this site cannot read. Try again from the form.");
		return;
	}
	if (!strcmp(action, "open") || !strcmp(action, "close")) {
		p.status = action[0] == 'o' ? "open" : "closed";
		if (action[0] == 'o' && !p.current_question && p.nquestions && strcmp(p.mode, "self"))
			p.current_question = p.questions[0].id;
	} else if (!strcmp(action, "show") || !strcmp(action, "hide")) {
		p.show_results = action[0] == 's';
	} else if (!strcmp(action, "self") || !strcmp(action, "presenter")) {
		p.mode = action[0] == 's' ? "self" : "presenter";
		if (action[0] == 'p' && !p.current_question && p.nquestions)
			p.current_question = p.questions[0].id;
	} else if (!strcmp(action, "attach") || !strcmp(action, "detach")) {
		p.attached = action[0] == 'a';
		if (p.attached && !p.plan_id) {
			plan pl;
			if (store_plan_main(q->app->db, q->a, &pl) != STORE_OK) {
				app_error(q, 409, "There is no plan to attach this report to.");
				return;
			}
			p.plan_id = pl.id;
		}
	} else if (!strcmp(action, "next") || !strcmp(action, "previous")) {
		size_t at = 0;
		for (size_t i = 0; i < p.nquestions; i++)
			if (p.questions[i].id == p.current_question)
				at = i;
		if (action[0] == 'n' && at + 1 < p.nquestions)
			at++;
		else if (action[0] == 'p' && at > 0)
			at--;
		p.current_question = p.nquestions ? p.questions[at].id : 0;
	} else if (!strcmp(action, "current") || !strcmp(action, "lock") || !strcmp(action, "unlock")) {
		if (!pq) {
			app_error(q, 404, "This question is not part of this poll.");
			return;
		}
		if (action[0] == 'c')
			p.current_question = pq->id;
		else
			rc = poll_store_question_lock(q->app->db, p.id, pq->id, action[0] == 'l');
	} else if (!strcmp(action, "reset")) {
		/* Removing every answer cannot be undone: the form asks to confirm. */
		const char *confirm = http_form(q->r, "confirm");
		if (!confirm || strcmp(confirm, "yes")) {
			app_error(q, 422, "Tick the box to confirm that all answers may be removed. Nothing was removed.");
			return;
		}
		rc = poll_store_reset(q->app->db, p.id);
	} else {
		app_error(q, 400, "Your browser sent something this site cannot read. Try again from the form.");
		return;
	}
	if (rc == STORE_OK)
		rc = poll_store_update(q->app->db, &p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	poll_live_changed(q->app, p.id, true);
	const char *back = http_form(q->r, "back");
	app_redirect(q, back && !strcmp(back, "present")
	                ? arena_printf(q->a, "/polls/%lld/present", (long long)p.id)
	                : arena_printf(q->a, "/polls/%lld", (long long)p.id), "saved");
}

/* ---- presenter view, QR code, stream ---- */

static const char *join_url(app_req *q, const poll *p)
{
	const char *base = q->app->cfg.base_url;
	const char *host = http_header(q->r, "Host");
	if (base && *base)
		return arena_printf(q->a, "%s/p?code=%s", base, p->code);
	return arena_printf(q->a, "http://%s/p?code=%s", host && *host ? host : "localhost", p->code);
}

void poll_present(app_req *q)
{
	poll p;
	if (!load(q, true, &p))
		return;
	json_t *snap = poll_snapshot(&p, true, q->app->db, q->a);
	json_t *cur = NULL;
	size_t i;
	json_t *jq;
	json_array_foreach(json_object_get(snap, "questions"), i, jq) {
		const poll_question *pq = &p.questions[i];
		json_object_set_new(jq, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(jq, "kind_label", json_string(app_t(q, poll_kind_label(pq->kind))));
		json_object_set_new(jq, "is_choice", json_boolean(pq->noptions > 0));
		json_object_set_new(jq, "is_ranking", json_boolean(!strcmp(pq->kind, "ranking")));
		poll_bars(jq, pq);
		if (!strcmp(p.mode, "self") || pq->id == p.current_question) {
			json_object_set_new(jq, "shown", json_true());
			if (!cur)
				cur = jq;
		}
	}
	json_t *m = json_pack("{s:s,s:o,s:s,s:s,s:O,s:s,s:s}", "title", p.title, "poll", poll_brief(q, &p),
	                      "join_url", join_url(q, &p), "code_spaced",
	                      arena_printf(q->a, "%.3s %.3s", p.code, p.code + 3),
	                      "questions", json_object_get(snap, "questions"),
	                      "stream", arena_printf(q->a, "/polls/%lld/stream", (long long)p.id),
	                      "short_url", q->app->cfg.base_url && *q->app->cfg.base_url
	                      ? arena_printf(q->a, "%s/p", q->app->cfg.base_url) : "/p");
	json_t *pb = json_object_get(m, "poll");
	json_object_set_new(pb, "is_open", json_boolean(!strcmp(p.status, "open")));
	json_object_set_new(pb, "self", json_boolean(!strcmp(p.mode, "self")));
	json_object_set_new(pb, "show_results", json_boolean(p.show_results));
	json_object_set_new(m, "has_current", json_boolean(cur != NULL));
	json_object_set_new(m, "sig", json_incref(json_object_get(snap, "sig")));
	json_object_set_new(m, "refresh", json_integer(3));
	json_decref(snap);
	app_page(q, 200, "poll_present", m);
}

void poll_qr(app_req *q)
{
	poll p;
	if (!load(q, false, &p))
		return;
	const char *url = join_url(q, &p);
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr) {
		app_error(q, 500, "Something went wrong on our side. Please try again later.");
		return;
	}
	int w = qr->width, size = w + 8;
	sb *o = &q->s->body;
	sb_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	             "shape-rendering=\"crispEdges\" role=\"img\" aria-labelledby=\"qr-title qr-desc\">"
	             "<title id=\"qr-title\">", size, size);
	sb_html(o, app_t(q, "QR code to join the poll"));
	sb_puts(o, "</title><desc id=\"qr-desc\">");
	sb_html(o, url);
	sb_printf(o, "</desc><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1)
				sb_printf(o, "M%d %dh1v1h-1z", x + 4, y + 4);
	sb_puts(o, "\"/></svg>\n");
	QRcode_free(qr);
	q->s->status = 200;
	q->s->content_type = "image/svg+xml";
}

void poll_stream(app_req *q)
{
	poll p;
	if (load(q, true, &p))
		poll_live_stream(q, &p, true);
}

/* ---- report ---- */

/* Reports are public once attached to the plan; before, organisers only. */
static bool load_report(app_req *q, poll *p)
{
	if (!load(q, true, p))
		return false;
	if (!p->attached && !(q->me && q->me->role >= ROLE_ORGANISER)) {
		app_error(q, 404, "This page does not exist (any more). Check the address or start at the home page.");
		return false;
	}
	return true;
}

void poll_report(app_req *q)
{
	poll p;
	if (!load_report(q, &p))
		return;
	json_t *snap = poll_snapshot(&p, true, q->app->db, q->a);
	size_t i;
	json_t *jq;
	json_array_foreach(json_object_get(snap, "questions"), i, jq) {
		const poll_question *pq = &p.questions[i];
		json_object_set_new(jq, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(jq, "kind_label", json_string(app_t(q, poll_kind_label(pq->kind))));
		json_object_set_new(jq, "is_ranking", json_boolean(!strcmp(pq->kind, "ranking")));
		size_t k;
		json_t *o;
		json_array_foreach(json_object_get(jq, "options"), k, o)
			json_object_set_new(o, "pct", json_integer(pq->voters ? (json_int_t)(100 * pq->options[k].n / pq->voters) : 0));
		if (!strcmp(pq->kind, "open")) {
			const char **ans = NULL;
			size_t na = 0;
			json_t *all = json_array();
			if (poll_store_answers(q->app->db, q->a, pq->id, 10000, &ans, &na) == STORE_OK)
				for (size_t t = 0; t < na; t++)
					json_array_append_new(all, json_string(ans[t]));
			json_object_set_new(jq, "answers", all);
		}
		if (!strcmp(pq->kind, "words")) {
			json_t *all = json_array();
			for (size_t t = 0; t < pq->ntallies; t++)
				json_array_append_new(all, json_pack("{s:s,s:I}", "word", pq->tallies[t].label,
				                                     "n", (json_int_t)pq->tallies[t].n));
			json_object_set_new(jq, "words", all);
		}
		if (json_is_real(json_object_get(jq, "average")))
			json_object_set_new(jq, "average_label", json_string(arena_printf(q->a, "%.1f",
				json_real_value(json_object_get(jq, "average")))));
	}
	json_t *m = json_pack("{s:s,s:o,s:O}", "title", p.title, "poll", poll_brief(q, &p), "questions",
	                      json_object_get(snap, "questions"));
	json_decref(snap);
	json_object_set_new(m, "can_edit", json_boolean(q->me && q->me->role >= ROLE_ORGANISER));
	app_page(q, 200, "poll_report", m);
}

static void csv_field(sb *o, const char *s)
{
	sb_putc(o, '"');
	/* A leading = + - @ would be a formula in a spreadsheet. */
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
		sb_putc(o, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			sb_putc(o, '"');
		sb_putc(o, *s);
	}
	sb_putc(o, '"');
}

static void csv_row(sb *o, int number, const poll_question *pq, const char *item, int64_t n,
                    int64_t points)
{
	sb_printf(o, "%d,", number);
	csv_field(o, pq->prompt);
	sb_printf(o, ",%s,", pq->kind);
	csv_field(o, item);
	sb_printf(o, ",%lld,%lld\r\n", (long long)n, (long long)points);
}

void poll_report_csv(app_req *q)
{
	poll p;
	if (!load_report(q, &p))
		return;
	sb *o = &q->s->body;
	sb_puts(o, "question_number,question,kind,answer,count,points\r\n");
	for (size_t i = 0; i < p.nquestions; i++) {
		const poll_question *pq = &p.questions[i];
		int num = (int)i + 1;
		if (pq->noptions)
			for (size_t k = 0; k < pq->noptions; k++)
				csv_row(o, num, pq, pq->options[k].label, pq->options[k].n, pq->options[k].points);
		else if (!strcmp(pq->kind, "open")) {
			const char **ans = NULL;
			size_t na = 0;
			if (poll_store_answers(q->app->db, q->a, pq->id, 100000, &ans, &na) == STORE_OK)
				for (size_t t = 0; t < na; t++)
					csv_row(o, num, pq, ans[t], 1, 0);
		} else if (!strcmp(pq->kind, "scale")) {
			for (int v = pq->scale_min; v <= pq->scale_max; v++) {
				int64_t n = 0;
				const char *item = arena_printf(q->a, "s:%d", v);
				for (size_t t = 0; t < pq->ntallies; t++)
					if (!strcmp(pq->tallies[t].item, item))
						n = pq->tallies[t].n;
				csv_row(o, num, pq, arena_printf(q->a, "%d", v), n, 0);
			}
		} else {
			for (size_t t = 0; t < pq->ntallies; t++)
				csv_row(o, num, pq, pq->tallies[t].label, pq->tallies[t].n, 0);
		}
	}
	q->s->status = 200;
	q->s->content_type = "text/csv; charset=utf-8";
	http_resp_header(q->r, q->s, "Content-Disposition",
	                 arena_printf(q->a, "attachment; filename=\"poll-%lld.csv\"", (long long)p.id));
}

json_t *poll_plan_reports(app_req *q, int64_t plan_id)
{
	poll *ps = NULL;
	size_t n = 0;
	json_t *list = json_array();
	if (poll_store_list_plan(q->app->db, q->a, plan_id, &ps, &n) == STORE_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(list, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)ps[i].id,
			                                      "title", ps[i].title, "url",
			                                      arena_printf(q->a, "/polls/%lld/report", (long long)ps[i].id)));
	return list;
}
