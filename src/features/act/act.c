/* act.c — the action plan feature as openplan sees it: its addresses
 * (holders' rights are checked per action point in the handlers) and its
 * section on the account page (a person's offers to adopt).
 */
#include "act.h"

/* The account page's section: the signed-in person's offers. */
static json_t *account_offers(app_req *q, int64_t user_id)
{
	(void)user_id; /* always the signed-in person */
	return act_account_offers(q);
}

static const app_route routes[] = {
	{ HTTP_GET, "/actions", act_plan, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/action-points", act_plan, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET, "/actions/state", act_state, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/actions/document", act_document, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/actions/action-points.csv", act_csv_points, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/actions/milestones.csv", act_csv_milestones, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET | HTTP_POST, "/actions/new", act_new, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_GET, "/actions/{id}", act_show, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/action-points/{id}", act_show, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET | HTTP_POST, "/actions/{id}/edit", act_edit, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/status", act_status, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/holders", act_holder_add, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/holders/{oid}/delete", act_holder_remove, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/links", act_link_add, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/links/{lid}/delete", act_link_remove, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/milestones", act_milestone_add, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/milestones/{mid}", act_milestone_update, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/milestones/{mid}/delete", act_milestone_delete, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/updates", act_update_add, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_GET | HTTP_POST, "/actions/{id}/adopt", act_adopt, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/offers/{oid}/accept", act_offer_accept, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/offers/{oid}/decline", act_offer_decline, ROLE_ORGANISER, false, R_CSRF },
};

static const app_section sections[] = {
	{ "account", "adoption_offers", "act_account_section", account_offers },
};

const app_feature act_feature = {
	.name = "act",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.demo = act_demo,
};
