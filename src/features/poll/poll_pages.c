/* poll_pages.c — the organiser's side of live polls: the list of polls and
 * a new poll, the poll's page (its settings, the controls to run it, its
 * questions, a new question), removing a question or a poll nobody
 * answered, and the controls: open, close (a poll is a draft, visible
 * only to organisers, until it opens), show or hide results, attach the
 * report to the plan, the open question, lock, reset a test run. Every
 * form is a declared table; a failed one comes back with a message at its
 * field. The same handlers answer /api/v1/polls with data.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "poll.h"

/* ---- the forms ---- */

static const char *const kinds[] = { "single", "multiple", "open", "words", "ranking", "scale", NULL };
static const char *const kind_labels[] = { "Multiple choice, one answer",
	                                   "Multiple choice, several answers", "Open answer",
	                                   "Word cloud", "Ranking", "Scale" };
static const char *const modes[] = { "presenter", "self", NULL };
static const char *const mode_labels[] = { "One question at a time, chosen by the presenter",
	                                   "At their own pace" };
static const char *const actions[] = { "open", "close", "show", "hide", "attach", "detach", "next",
	                               "previous", "current", "lock", "unlock", "reset", NULL };
static const char *const yes[] = { "yes", NULL };
static const char *const backs[] = { "poll", "present", NULL };

static void check_plan_id(app_req *q);
static void check_question(app_req *q);
static void check_control(app_req *q);
static void control_reshow(app_req *q);

static const form_field new_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Title" },
	{ "mode", F_CHOICE, true, 20, modes, .label = "How do participants go through the questions?",
	  .choice_labels = mode_labels },
	{ "plan_id", F_ID, false, 20, .label = "Plan" },
};
const form_def poll_new_form = FORM_DEF("new", new_fields, check_plan_id, poll_list_reshow);

static const form_field settings_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Title" },
	{ "mode", F_CHOICE, true, 20, modes, .label = "How do participants go through the questions?",
	  .choice_labels = mode_labels },
	{ "plan_id", F_ID, false, 20, .label = "Plan" },
	{ "shared_network", F_BOOL, false, 5,
	  .label = "Many participants share one internet connection (the venue's Wi-Fi)",
	  .help = "Without this, one network counts for a room's worth of answers per question, so that one computer cannot vote for a hall. The network of your presenter screen always counts as the hall." },
};
const form_def poll_settings_form = FORM_DEF("settings", settings_fields, check_plan_id,
                                             poll_show_reshow);

static const form_field question_fields[] = {
	{ "kind", F_CHOICE, true, 20, kinds, .label = "Kind of question", .choice_labels = kind_labels },
	{ "prompt", F_TEXT, true, 300, .label = "Question" },
	{ "options", F_MULTILINE, false, 4000, .label = "Options, one per line",
	  .help = "For multiple choice and ranking: from 2 to 20 options." },
	{ "scale_min", F_INT, false, 10, .min = 0, .label = "Scale from" },
	{ "scale_max", F_INT, false, 10, .min = 1, .label = "Scale to" },
};
const form_def poll_question_form = FORM_DEF("question", question_fields, check_question,
                                             poll_show_reshow);

static const form_field control_fields[] = {
	{ "action", F_CHOICE, true, 20, actions, .label = "Action" },
	{ "question", F_ID, false, 20, .label = "Question" },
	{ "confirm", F_CHOICE, false, 5, yes, .label = "Yes, remove all answers of this poll" },
	{ "back", F_CHOICE, false, 10, backs, .label = "Back to" },
};
const form_def poll_control_form = FORM_DEF("control", control_fields, check_control,
                                            control_reshow);

static void check_plan_id(app_req *q)
{
	int64_t id = form_int(q, "plan_id");
	plan pl;
	if (id && store_plan_get(q->app->db, q->a, id, &pl) != STORE_OK)
		form_fail(q, "plan_id", "Choose one of the options.");
}

static bool choice_kind(const char *k)
{
	return !strcmp(k, "single") || !strcmp(k, "multiple") || !strcmp(k, "ranking");
}

/* The options typed, one per line, blank lines left out; false with a
 * message when they are not 2 to 20 lines of at most 120 characters. */
static bool parse_options(app_req *q, const char **opts, size_t *n, const char **msgid)
{
	*n = 0;
	char *all = arena_strdup(q->a, form_text(q, "options"));
	if (!all) {
		*msgid = "The server is too busy right now. Please try again in a minute.";
		return false;
	}
	char *save = NULL;
	for (char *line = strtok_r(all, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *t = text_trim(q->a, line);
		if (!t) {
			*msgid = "The server is too busy right now. Please try again in a minute.";
			return false;
		}
		if (!*t)
			continue;
		if (text_utf8_len(t) > 120) {
			*msgid = "Keep each option to at most 120 characters.";
			return false;
		}
		if (*n == POLL_OPTIONS_MAX) {
			*msgid = "Give at most 20 options.";
			return false;
		}
		for (size_t i = 0; i < *n; i++)
			if (!strcmp(opts[i], t)) {
				*msgid = "Give every option only once.";
				return false;
			}
		opts[(*n)++] = t;
	}
	if (*n < 2) {
		*msgid = "Give at least two options, one per line.";
		return false;
	}
	return true;
}

static void check_question(app_req *q)
{
	const char *kind = form_text(q, "kind");
	if (choice_kind(kind)) {
		const char *opts[POLL_OPTIONS_MAX];
		size_t n;
		const char *msgid = NULL;
		if (!parse_options(q, opts, &n, &msgid))
			form_fail(q, "options", msgid);
	}
	if (!strcmp(kind, "scale")) {
		long long lo = *form_text(q, "scale_min") ? form_int(q, "scale_min") : 1;
		long long hi = *form_text(q, "scale_max") ? form_int(q, "scale_max") : 5;
		if (hi <= lo)
			form_fail(q, "scale_max", "The scale must end higher than it starts.");
	}
}

static void check_control(app_req *q)
{
	const char *a = form_text(q, "action");
	if ((!strcmp(a, "current") || !strcmp(a, "lock") || !strcmp(a, "unlock")) &&
	    !form_int(q, "question"))
		form_fail(q, "question", "Choose a question.");
	if (!strcmp(a, "reset") && strcmp(form_text(q, "confirm"), "yes"))
		form_fail(q, "confirm", "Tick the box to confirm that all answers may be removed. Nothing was removed.");
}

/* ---- the list and a new poll ---- */

static json_t *brief(app_req *q, const poll *p)
{
	json_t *d = poll_data(p);
	if (d && !q->want_json) {
		json_object_set_new(d, "status_label", json_string(app_t(q, poll_status_label(p->status))));
		json_object_set_new(d, "questions", json_integer((json_int_t)p->nquestions));
	}
	return d;
}

static void list_page(app_req *q, int status)
{
	poll *ps = NULL;
	size_t n = 0;
	if (poll_store_list(q->app->db, q->a, &ps, &n) != STORE_OK) {
		poll_busy(q);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; list && i < n; i++)
		if (json_array_append_new(list, brief(q, &ps[i])))
			list = NULL;
	if (!list) {
		poll_busy(q);
		return;
	}
	if (q->want_json && !form_failed(q)) {
		app_json(q, status, json_pack("{s:o}", "polls", list));
		return;
	}
	plan pl;
	bool has_plan = store_plan_main(q->app->db, q->a, &pl) == STORE_OK;
	json_t *form = form_view(q, &poll_new_form, "new",
	                         json_pack("{s:s,s:s}", "mode", "presenter", "plan_id",
	                                   has_plan ? arena_printf(q->a, "%lld", (long long)pl.id) : ""),
	                         true);
	json_t *m = json_pack("{s:s,s:o,s:o}", "title", app_t(q, "Live polls"), "polls", list, "form",
	                      form);
	if (!m) {
		poll_busy(q);
		return;
	}
	const char *mode = json_string_value(json_object_get(json_object_get(json_object_get(
		form, "f"), "mode"), "value"));
	json_object_set_new(m, "mode_self", json_boolean(mode && !strcmp(mode, "self")));
	if (has_plan) {
		const char *pid = json_string_value(json_object_get(json_object_get(json_object_get(
			form, "f"), "plan_id"), "value"));
		json_object_set_new(m, "plan", json_pack("{s:I,s:s,s:b}", "id", (json_int_t)pl.id,
		                                         "title", pl.title, "selected",
		                                         pid && *pid));
	}
	app_page(q, status, "poll_list", m);
}

void poll_list(app_req *q)
{
	list_page(q, 200);
}

void poll_list_reshow(app_req *q)
{
	list_page(q, 422);
}

void poll_create(app_req *q)
{
	int64_t id = 0;
	store_rc rc = STORE_CONFLICT;
	/* A random code not in use: a clash with an existing one tries again. */
	for (int tries = 0; tries < 20 && rc == STORE_CONFLICT; tries++) {
		char code[8];
		snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
		rc = poll_store_create(q->app->db, form_int(q, "plan_id"), form_text(q, "title"), code,
		                       form_text(q, "mode"), q->me->id, &id);
	}
	if (rc != STORE_OK) {
		poll_busy(q);
		return;
	}
	const char *to = arena_printf(q->a, "/polls/%lld", (long long)id);
	if (!to) {
		poll_busy(q);
		return;
	}
	app_redirect(q, to, "poll_created");
}

/* ---- the poll's page ---- */

/* The poll's page: settings, controls, questions with their counts, a new
 * question; as JSON the Poll and its Questions with counts. */
static void show_page(app_req *q, int status, const poll *p)
{
	json_t *qs = json_array();
	for (size_t i = 0; qs && i < p->nquestions; i++)
		if (json_array_append_new(qs, poll_question_data(q->app->db, q->a, &p->questions[i],
		                                                 POLL_R_LIVE)))
			qs = NULL;
	json_t *pd = poll_data(p);
	if (!qs || !pd) {
		poll_busy(q);
		return;
	}
	if (q->want_json && !form_failed(q)) {
		app_json(q, status, json_pack("{s:o,s:o}", "poll", pd, "questions", qs));
		return;
	}
	size_t i;
	json_t *jq;
	const poll_question *cur = poll_current(p);
	json_array_foreach(qs, i, jq) {
		const poll_question *pq = &p->questions[i];
		json_object_set_new(jq, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(jq, "kind_label", json_string(app_t(q, poll_kind_label(pq->kind))));
		json_object_set_new(jq, "is_current", json_boolean(cur == pq));
		json_object_set_new(jq, "typed", json_boolean(!strcmp(pq->kind, "open") ||
		                                              !strcmp(pq->kind, "words")));
	}
	json_object_set_new(pd, "status_label", json_string(app_t(q, poll_status_label(p->status))));
	json_object_set_new(pd, "is_open", json_boolean(!strcmp(p->status, "open")));
	json_object_set_new(pd, "is_draft", json_boolean(!strcmp(p->status, "draft")));
	json_object_set_new(pd, "is_closed", json_boolean(!strcmp(p->status, "closed")));
	json_object_set_new(pd, "self", json_boolean(!strcmp(p->mode, "self")));
	json_object_set_new(pd, "public", json_boolean(poll_report_public(p)));
	plan pl;
	if (p->plan_id && store_plan_get(q->app->db, q->a, p->plan_id, &pl) == STORE_OK)
		json_object_set_new(pd, "plan_title", json_string(pl.title));
	bool answered = false;
	poll_store_has_answers(q->app->db, p->id, &answered);
	json_object_set_new(pd, "can_delete", json_boolean(!answered));

	json_t *m = json_pack("{s:s,s:o,s:o}", "title", p->title, "poll", pd, "questions", qs);
	if (!m) {
		poll_busy(q);
		return;
	}
	/* The forms: settings (from the poll), a new question, the controls. */
	json_t *sv = json_pack("{s:s,s:s,s:s,s:b}", "title", p->title, "mode", p->mode, "plan_id",
	                       p->plan_id ? arena_printf(q->a, "%lld", (long long)p->plan_id) : "",
	                       "shared_network", p->shared_network);
	json_t *sf = form_view(q, &poll_settings_form, "settings", sv, true);
	json_t *plans = json_array();
	if (store_plan_main(q->app->db, q->a, &pl) == STORE_OK) {
		json_t *f = json_object_get(json_object_get(sf, "f"), "plan_id");
		const char *v = json_string_value(json_object_get(f, "value"));
		json_array_append_new(plans, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)pl.id, "title",
		                                       pl.title, "selected", v && *v));
	}
	json_object_set_new(sf, "plans", plans);
	const char *mode = json_string_value(json_object_get(json_object_get(json_object_get(sf, "f"),
	                                                                     "mode"), "value"));
	json_object_set_new(sf, "mode_self", json_boolean(mode && !strcmp(mode, "self")));
	json_object_set_new(m, "settings", sf);
	json_object_set_new(m, "new_question", form_view(q, &poll_question_form, "question",
	                                                 json_pack("{s:s,s:s,s:s}", "kind", "single",
	                                                           "scale_min", "1", "scale_max", "5"),
	                                                 true));
	json_t *cf = form_view(q, &poll_control_form, "control", NULL, true);
	json_object_set_new(m, "control", cf);
	if (form_failed(q))
		json_object_set_new(m, "has_errors", json_true());
	app_page(q, status, "poll_edit", m);
}

void poll_show(app_req *q)
{
	poll p;
	if (poll_load(q, POLL_COUNTS_ALL, &p))
		show_page(q, 200, &p);
}

void poll_show_reshow(app_req *q)
{
	poll p;
	if (poll_load(q, POLL_COUNTS_ALL, &p))
		show_page(q, 422, &p);
}

static void back_to(app_req *q, const poll *p, const char *flash)
{
	bool present = !strcmp(form_text(q, "back"), "present");
	const char *to = arena_printf(q->a, present ? "/polls/%lld/present" : "/polls/%lld",
	                              (long long)p->id);
	if (!to) {
		poll_busy(q);
		return;
	}
	/* The projector screen shows no flash messages. */
	app_redirect(q, to, present ? NULL : flash);
}

void poll_settings(app_req *q)
{
	poll p;
	if (!poll_load(q, POLL_COUNTS_NONE, &p))
		return;
	bool was_self = !strcmp(p.mode, "self");
	p.title = form_text(q, "title");
	p.mode = form_text(q, "mode");
	p.plan_id = form_int(q, "plan_id");
	p.shared_network = form_bool(q, "shared_network");
	if (!p.plan_id)
		p.attached = false;
	/* One question at a time needs an open question. */
	if (was_self && !strcmp(p.mode, "presenter") && !p.current_question && p.nquestions)
		p.current_question = p.questions[0].id;
	store_rc rc = poll_store_update(q->app->db, &p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	poll_live_changed(q->app, p.id);
	back_to(q, &p, "poll_saved");
}

void poll_delete(app_req *q)
{
	poll p;
	if (!poll_load(q, POLL_COUNTS_NONE, &p))
		return;
	store_rc rc = poll_store_delete(q->app->db, p.id);
	if (rc == STORE_CONFLICT) {
		app_error(q, 409, "People answered this poll, so it stays: close it instead. Its report keeps what they said.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	poll_live_changed(q->app, p.id);
	app_redirect(q, "/polls", "poll_deleted");
}

void poll_question_add(app_req *q)
{
	poll p;
	if (!poll_load(q, POLL_COUNTS_NONE, &p))
		return;
	if (!strcmp(p.status, "closed")) {
		form_fail(q, "prompt", "This poll is closed; questions can no longer be added.");
		form_reshow(q);
		return;
	}
	const char *kind = form_text(q, "kind");
	const char *opts[POLL_OPTIONS_MAX];
	size_t nopts = 0;
	const char *msgid = NULL;
	if (choice_kind(kind) && !parse_options(q, opts, &nopts, &msgid)) {
		poll_busy(q); /* checked before: only memory can fail now */
		return;
	}
	int lo = *form_text(q, "scale_min") ? (int)form_int(q, "scale_min") : 1;
	int hi = *form_text(q, "scale_max") ? (int)form_int(q, "scale_max") : 5;
	int64_t qid = 0;
	store_rc rc = poll_store_question_add(q->app->db, p.id, kind, form_text(q, "prompt"), lo, hi,
	                                      nopts ? opts : NULL, nopts, &qid);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	/* One question at a time: the first question added to an open poll is
	 * the open one. */
	if (!p.current_question && !p.nquestions && !strcmp(p.status, "open")) {
		p.current_question = qid;
		poll_store_update(q->app->db, &p);
	}
	poll_live_changed(q->app, p.id);
	const char *to = arena_printf(q->a, "/polls/%lld#q%lld", (long long)p.id, (long long)qid);
	if (!to) {
		poll_busy(q);
		return;
	}
	app_redirect(q, to, "question_added");
}

void poll_question_delete(app_req *q)
{
	poll p;
	if (!poll_load(q, POLL_COUNTS_NONE, &p))
		return;
	int64_t qid = app_param_id(q, "qid");
	size_t at = 0;
	for (size_t i = 0; i < p.nquestions; i++)
		if (p.questions[i].id == qid)
			at = i;
	store_rc rc = poll_store_question_delete(q->app->db, p.id, qid);
	if (rc == STORE_CONFLICT) {
		app_error(q, 409, "People answered this question, so it stays in the report. If this was a test run, reset the poll first.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	/* The question on the screen went: the one after it (or before) shows. */
	if (p.current_question == qid && strcmp(p.status, "draft") &&
	    poll_store_get(q->app->db, q->a, p.id, POLL_COUNTS_NONE, &p) == STORE_OK && p.nquestions) {
		p.current_question = p.questions[at < p.nquestions ? at : p.nquestions - 1].id;
		poll_store_update(q->app->db, &p);
	}
	poll_live_changed(q->app, p.id);
	const char *to = arena_printf(q->a, "/polls/%lld", (long long)p.id);
	if (!to) {
		poll_busy(q);
		return;
	}
	app_redirect(q, to, "question_deleted");
}

/* ---- the controls ---- */

static void control_reshow(app_req *q)
{
	if (!strcmp(form_text(q, "back"), "present")) {
		q->s->status = 422;
		poll_present(q);
		return;
	}
	poll_show_reshow(q);
}

/* A control that cannot be done now: the message at the controls. */
static void refuse(app_req *q, const char *msgid)
{
	form_fail(q, "action", msgid);
	form_reshow(q);
}

void poll_control(app_req *q)
{
	poll p;
	if (!poll_load(q, POLL_COUNTS_NONE, &p))
		return;
	const char *action = form_text(q, "action");
	int64_t qid = form_int(q, "question");
	const poll_question *pq = poll_question_of(&p, qid);
	if (qid && !pq) {
		app_error(q, 404, "This question is not part of this poll.");
		return;
	}
	store_rc rc = STORE_OK;
	const char *flash = "poll_saved";
	if (!strcmp(action, "open")) {
		if (!p.nquestions) {
			refuse(q, "Add a question before you open the poll.");
			return;
		}
		p.status = "open";
		if (!poll_current(&p))
			p.current_question = p.questions[0].id;
		flash = "poll_opened";
	} else if (!strcmp(action, "close")) {
		p.status = "closed";
		flash = "poll_closed";
	} else if (!strcmp(action, "show") || !strcmp(action, "hide")) {
		p.show_results = action[0] == 's';
		flash = p.show_results ? "poll_results_shown" : "poll_results_hidden";
	} else if (!strcmp(action, "attach")) {
		if (!strcmp(p.status, "draft")) {
			refuse(q, "Open the poll first: the report of a poll that never opened cannot be published.");
			return;
		}
		if (!p.plan_id) {
			plan pl;
			if (store_plan_main(q->app->db, q->a, &pl) != STORE_OK) {
				refuse(q, "There is no plan to attach this report to.");
				return;
			}
			p.plan_id = pl.id;
		}
		p.attached = true;
		flash = "poll_attached";
	} else if (!strcmp(action, "detach")) {
		p.attached = false;
		flash = "poll_detached";
	} else if (!strcmp(action, "next") || !strcmp(action, "previous")) {
		/* From no question shown, either goes to the first. */
		size_t at = 0;
		bool shown = false;
		for (size_t i = 0; i < p.nquestions; i++)
			if (p.questions[i].id == p.current_question) {
				at = i;
				shown = true;
			}
		if (shown && action[0] == 'n' && at + 1 < p.nquestions)
			at++;
		else if (shown && action[0] == 'p' && at > 0)
			at--;
		p.current_question = p.nquestions ? p.questions[at].id : 0;
		flash = "poll_question_open";
	} else if (!strcmp(action, "current")) {
		p.current_question = pq->id;
		flash = "poll_question_open";
	} else if (!strcmp(action, "lock") || !strcmp(action, "unlock")) {
		rc = poll_store_question_lock(q->app->db, p.id, pq->id, action[0] == 'l');
		flash = action[0] == 'l' ? "poll_locked" : "poll_unlocked";
	} else if (!strcmp(action, "reset")) {
		rc = poll_store_reset(q->app->db, p.id);
		flash = "poll_reset";
	}
	if (rc == STORE_OK)
		rc = poll_store_update(q->app->db, &p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	poll_live_changed(q->app, p.id);
	back_to(q, &p, flash);
}
