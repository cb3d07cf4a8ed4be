/* monitor.c — monitoring and accountability as openplan sees it: its
 * addresses with the form each one takes (holders' rights, forum
 * membership and drafts are checked per object in the handlers), its
 * sections on the action point's page and the plan's page, the messages
 * its redirects say, its demo, and its background work (monitor_due.c).
 */
#include "monitor.h"

/* /monitor/criteria: the list with its forms, and adding one. */
static void criteria(app_req *q)
{
	if (q->r->method == HTTP_POST)
		monitor_criterion_add(q);
	else
		monitor_criteria_page(q);
}

static const app_route routes[] = {
	/* The dashboard, the report and the forum depend on the day and the
	 * visitor's role only: cached per role. */
	{ HTTP_GET, "/monitor", monitor_dashboard, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/monitor", monitor_dashboard, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET, "/monitor/report", monitor_report, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/monitor/report", monitor_report, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET | HTTP_POST, "/monitor/criteria", criteria, ROLE_ORGANISER, false, R_CSRF, &monitor_criterion_new_form },
	{ HTTP_POST, "/monitor/criteria/{cid}", monitor_criterion_update, ROLE_ORGANISER, false, R_CSRF, &monitor_criterion_form },
	{ HTTP_POST, "/monitor/criteria/{cid}/delete", monitor_criterion_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_GET, "/forum", monitor_forum_page, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/forum", monitor_forum_page, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET, "/forum/rules", monitor_rules_page, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/forum/rules", monitor_rules_page, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET, "/forum/edit", monitor_forum_edit, ROLE_ORGANISER, false, 0 },
	{ HTTP_POST, "/forum/members", monitor_member_add, ROLE_ORGANISER, false, R_CSRF, &monitor_member_new_form },
	{ HTTP_POST, "/forum/members/{mid}", monitor_member_update, ROLE_ORGANISER, false, R_CSRF, &monitor_member_form },
	{ HTTP_POST, "/forum/members/{mid}/delete", monitor_member_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/forum/settings", monitor_settings_save, ROLE_ORGANISER, false, R_CSRF, &monitor_settings_form },
	{ HTTP_POST, "/forum/rules/publish", monitor_rules_publish, ROLE_ORGANISER, false, R_CSRF, &monitor_rules_form },
	/* On an action point: who holds it, who is in the forum and who
	 * organises is checked per action point by the handlers. */
	{ HTTP_GET, "/api/v1/action-points/{id}/monitoring", monitor_point_api, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_POST, "/actions/{id}/indicators", monitor_indicator_add, ROLE_PARTICIPANT, false, R_CSRF, &monitor_indicator_new_form },
	{ HTTP_POST, "/actions/{id}/indicators/{iid}", monitor_indicator_update, ROLE_PARTICIPANT, false, R_CSRF, &monitor_indicator_form },
	{ HTTP_POST, "/actions/{id}/indicators/{iid}/delete", monitor_indicator_delete, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/indicators/{iid}/measurements", monitor_measurement_add, ROLE_PARTICIPANT, false, R_CSRF, &monitor_measurement_form },
	{ HTTP_POST, "/actions/{id}/indicators/{iid}/measurements/{mid}/delete", monitor_measurement_delete, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/assessments/{voice}", monitor_assessment_save, ROLE_PARTICIPANT, false, R_CSRF, &monitor_assessment_form },
	{ HTTP_POST, "/actions/{id}/review", monitor_review_save, ROLE_PARTICIPANT, false, R_CSRF, &monitor_review_form },
	{ HTTP_POST, "/actions/{id}/reaction", monitor_reaction_save, ROLE_PARTICIPANT, false, R_CSRF, &monitor_reaction_form },
	{ HTTP_POST, "/actions/{id}/concerns", monitor_concern_add, ROLE_PARTICIPANT, false, R_CSRF, &monitor_concern_form },
	{ HTTP_POST, "/actions/{id}/concerns/{cid}/answer", monitor_concern_answer, ROLE_PARTICIPANT, false, R_CSRF, &monitor_answer_form },
	{ HTTP_POST, "/actions/{id}/concerns/{cid}/close", monitor_concern_close, ROLE_ORGANISER, false, R_CSRF, &monitor_close_form },
};

static const app_section sections[] = {
	{ "action", "monitoring", "monitor_action_section", monitor_action_section },
	{ "plan", "monitoring", "monitor_plan_section", monitor_plan_section },
	/* a person's own data: memberships, measurements, reviews, concerns */
	{ "mydata", "monitoring", NULL, monitor_mydata },
};

/* What happened, said on the page a change leads to. */
static const app_flash flashes[] = {
	{ "monitor_criterion_added", "The criterion is added." },
	{ "monitor_criterion_saved", "The criterion is saved." },
	{ "monitor_criterion_removed", "The criterion is removed." },
	{ "monitor_indicator_added", "The indicator is added. Record its measurements below it." },
	{ "monitor_indicator_saved", "The indicator is saved." },
	{ "monitor_indicator_removed", "The indicator and its measurements are removed." },
	{ "monitor_measured", "The measurement is saved. The chart shows it." },
	{ "monitor_measurement_removed", "The measurement is removed." },
	{ "monitor_assessed", "The assessment is saved." },
	{ "monitor_reviewed", "Your review is saved. The holders are told." },
	{ "monitor_reacted", "Your reaction to the finding is saved." },
	{ "monitor_concern_flagged", "Your concern is posted. The holders and organisers are told." },
	{ "monitor_concern_answered", "Your answer is posted. The member who flagged the concern is told." },
	{ "monitor_concern_closed", "The concern is closed." },
	{ "monitor_member_added", "The member is added to the forum." },
	{ "monitor_member_saved", "The membership is saved." },
	{ "monitor_member_removed", "The membership is removed." },
	{ "monitor_settings_saved", "The forum's rules for composition and meetings are saved." },
	{ "monitor_rules_published", "The new version of the rules of procedure is published." },
};

const app_feature monitor_feature = {
	.name = "monitor",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.demo = monitor_demo,
	.start = monitor_due_start,
	.stop = monitor_due_stop,
};
