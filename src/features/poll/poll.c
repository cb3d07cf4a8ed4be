/* poll.c — the live polls feature as openplan sees it: its addresses, each
 * with who may call it and the form it takes (docs/polls-api.md describes
 * the participant's JSON API, openapi.json all of /api/v1/polls and
 * /api/v1/p), its section on the plan's page (public poll reports), what
 * its redirects may say, and the hub it owns (started and stopped here).
 * Also the few helpers every poll file uses.
 */
#include <string.h>

#include "poll.h"

extern const form_def poll_new_form, poll_settings_form, poll_question_form, poll_control_form,
	poll_join_form, poll_vote_form, poll_hide_form;

static const app_route routes[] = {
	/* organisers */
	{ HTTP_GET, "/polls", poll_list, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/api/v1/polls", poll_list, ROLE_ORGANISER, false, R_API },
	{ HTTP_POST, "/polls", poll_create, ROLE_ORGANISER, false, R_CSRF, &poll_new_form },
	{ HTTP_GET, "/polls/{id}", poll_show, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/api/v1/polls/{id}", poll_show, ROLE_ORGANISER, false, R_API },
	{ HTTP_POST, "/polls/{id}/settings", poll_settings, ROLE_ORGANISER, false, R_CSRF, &poll_settings_form },
	{ HTTP_POST, "/polls/{id}/delete", poll_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/polls/{id}/questions", poll_question_add, ROLE_ORGANISER, false, R_CSRF, &poll_question_form },
	{ HTTP_POST, "/polls/{id}/questions/{qid}/delete", poll_question_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/polls/{id}/control", poll_control, ROLE_ORGANISER, false, R_CSRF, &poll_control_form },
	{ HTTP_GET, "/polls/{id}/present", poll_present, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/polls/{id}/qr.svg", poll_qr, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/polls/{id}/stream", poll_stream, ROLE_ORGANISER, false, 0 },
	/* typed answers: hiding personal data (the poll's maker and admins) */
	{ HTTP_GET, "/polls/{id}/answers", poll_answers_page, ROLE_ORGANISER, false, 0 },
	{ HTTP_POST, "/polls/{id}/answers/{aid}/hide", poll_answer_hide, ROLE_ORGANISER, false, R_CSRF, &poll_hide_form },
	/* reports: public once attached to the plan */
	{ HTTP_GET, "/polls/{id}/report", poll_report, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/polls/{id}/report", poll_report, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET, "/polls/{id}/report.csv", poll_report_csv, ROLE_PARTICIPANT, true, 0 },
	/* participants: no account */
	{ HTTP_GET | HTTP_POST, "/p", poll_join, ROLE_PARTICIPANT, true, R_CSRF | R_KEEPCACHE, &poll_join_form },
	{ HTTP_GET, "/p/{code}", poll_participate, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/p/{code}", poll_participate, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_POST, "/p/{code}/vote", poll_vote, ROLE_PARTICIPANT, true, R_CSRF | R_KEEPCACHE, &poll_vote_form },
	{ HTTP_POST, "/api/v1/p/{code}/vote", poll_vote_api, ROLE_PARTICIPANT, true, R_API | R_CSRF | R_KEEPCACHE },
	{ HTTP_GET, "/p/{code}/stream", poll_part_stream, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/p/{code}/stream", poll_part_stream, ROLE_PARTICIPANT, true, R_API },
};

static const app_section sections[] = {
	{ "plan", "polls", "poll_plan_section", poll_plan_reports },
};

/* What happened, said on the next page. */
static const app_flash flashes[] = {
	{ "poll_created", "The poll is made. Add its questions, then open it." },
	{ "poll_saved", "The poll's settings are saved." },
	{ "poll_deleted", "The poll is removed." },
	{ "question_added", "The question is added." },
	{ "question_deleted", "The question is removed." },
	{ "poll_opened", "The poll is open: participants can join with its code." },
	{ "poll_closed", "The poll is closed. Participants see that it has ended." },
	{ "poll_results_shown", "Participants now see the results." },
	{ "poll_results_hidden", "Participants no longer see the results." },
	{ "poll_attached", "The report is on the plan's page now." },
	{ "poll_detached", "The report is no longer on the plan's page." },
	{ "poll_question_open", "Participants now see this question." },
	{ "poll_locked", "Voting on this question has stopped." },
	{ "poll_unlocked", "Voting on this question is possible again." },
	{ "poll_reset", "Every answer of this poll is removed." },
	{ "poll_answer_hidden", "The answer is hidden. It is no longer shown anywhere; the results say how many answers are not shown." },
	{ "poll_answer_shown", "The answer is shown again." },
};

const app_feature poll_feature = {
	.name = "poll",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.demo = poll_demo,
	.start = poll_live_start,
	.stop = poll_live_stop,
};

/* ---- what every poll file uses ---- */

void poll_busy(app_req *q)
{
	app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
}

bool poll_load(app_req *q, int64_t counts, poll *p)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? poll_store_get(q->app->db, q->a, id, counts, p) : STORE_NOTFOUND;
	if (rc == STORE_OK)
		return true;
	if (rc == STORE_NOTFOUND)
		app_store_error(q, rc);
	else
		poll_busy(q);
	return false;
}

const poll_question *poll_question_of(const poll *p, int64_t id)
{
	for (size_t i = 0; id && i < p->nquestions; i++)
		if (p->questions[i].id == id)
			return &p->questions[i];
	return NULL;
}

const poll_question *poll_current(const poll *p)
{
	return poll_question_of(p, p->current_question);
}

bool poll_report_public(const poll *p)
{
	return p->attached && strcmp(p->status, "draft") != 0;
}

const char *poll_status_label(const char *s)
{
	return !strcmp(s, "open") ? "Open" : !strcmp(s, "closed") ? "Closed" : "Draft";
}

static const char *const kinds[] = { "single", "multiple", "open", "words", "ranking", "scale" };
static const char *const kind_labels[] = { "Multiple choice, one answer",
	                                   "Multiple choice, several answers", "Open answer",
	                                   "Word cloud", "Ranking", "Scale" };

const char *poll_kind_label(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(kinds[i], kind))
			return kind_labels[i];
	return kind;
}

/* A Host header we may print: letters, digits, dots, dashes, a port, an
 * IPv6 literal in brackets. */
static bool host_ok(const char *h)
{
	if (!h || !*h || strlen(h) > 255)
		return false;
	for (const char *c = h; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '.' || *c == '-' || *c == ':' || *c == '[' || *c == ']'))
			return false;
	return true;
}

const char *poll_join_base(app_req *q, bool display)
{
	const char *base = q->app->cfg.base_url;
	const char *url;
	if (base && *base) {
		size_t n = strlen(base);
		while (n && base[n - 1] == '/')
			n--;
		url = arena_printf(q->a, "%.*s/p", (int)n, base);
	} else {
		const char *host = http_header(q->r, "Host");
		url = arena_printf(q->a, "%s://%s/p", q->app->cfg.https ? "https" : "http",
		                   host_ok(host) ? host : "localhost");
	}
	if (url && display && !strncmp(url, "https://", 8))
		url += 8;
	return url;
}
