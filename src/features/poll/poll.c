/* poll.c — the live polls feature as openplan sees it: its addresses
 * (docs/polls-api.md describes the participant's JSON API), its section on
 * the plan's page (attached poll reports) and the broadcaster it owns.
 */
#include "poll.h"

static const app_route routes[] = {
	{ HTTP_GET, "/polls", poll_list, ROLE_ORGANISER, false, 0 },
	{ HTTP_POST, "/polls", poll_create, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_GET, "/polls/{id}", poll_show, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/api/v1/polls/{id}", poll_show, ROLE_ORGANISER, false, R_API },
	{ HTTP_POST, "/polls/{id}/questions", poll_question_add, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/polls/{id}/questions/{qid}/delete", poll_question_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/polls/{id}/control", poll_control, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_GET, "/polls/{id}/present", poll_present, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/polls/{id}/qr.svg", poll_qr, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/polls/{id}/stream", poll_stream, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/polls/{id}/report", poll_report, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/polls/{id}/report", poll_report, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET, "/polls/{id}/report.csv", poll_report_csv, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET | HTTP_POST, "/p", poll_join, ROLE_PARTICIPANT, true, R_CSRF | R_KEEPCACHE },
	{ HTTP_GET, "/p/{code}", poll_participate, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/p/{code}", poll_participate, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_POST, "/p/{code}/vote", poll_vote, ROLE_PARTICIPANT, true, R_CSRF | R_KEEPCACHE },
	{ HTTP_POST, "/api/v1/p/{code}/vote", poll_vote, ROLE_PARTICIPANT, true, R_API | R_CSRF | R_KEEPCACHE },
	{ HTTP_GET, "/p/{code}/stream", poll_part_stream, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/p/{code}/stream", poll_part_stream, ROLE_PARTICIPANT, true, R_API },
};

static const app_section sections[] = {
	{ "plan", "polls", "poll_plan_section", poll_plan_reports },
};

const app_feature poll_feature = {
	.name = "poll",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.demo = poll_demo,
	.start = poll_live_start,
	.stop = poll_live_stop,
};
