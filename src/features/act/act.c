/* act.c — the action plan feature as openplan sees it: its addresses with
 * the form each one takes (holders' rights, drafts and membership are
 * checked per object in the handlers), its section on the account page (a
 * person's offers and the ones waiting for their confirmation), the
 * messages its redirects say, and its background work (act_late.c).
 */
#include "act.h"

/* The account page's section: the signed-in person's offers. */
static json_t *account_offers(app_req *q, int64_t user_id)
{
	(void)user_id; /* always the signed-in person */
	return act_account_offers(q);
}

static const app_route routes[] = {
	/* The plan and the state depend on the visitor's role only (organisers
	 * also see drafts and the offers inbox link): cached per role. */
	{ HTTP_GET, "/actions", act_plan, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/action-points", act_plan, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET, "/api/v1/action-points/state", act_state, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET, "/actions/state", act_state, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/actions/document", act_document, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/actions/action-points.csv", act_csv_points, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/actions/action-points.xlsx", act_xlsx_points, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/actions/milestones.csv", act_csv_milestones, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET | HTTP_POST, "/actions/new", act_new, ROLE_ORGANISER, false, R_CSRF, &act_point_new_form },
	{ HTTP_GET, "/actions/offers", act_offers_inbox, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/actions/offers/{oid}", act_offer_confirm_page, ROLE_PARTICIPANT, false, 0 },
	{ HTTP_POST, "/actions/offers/{oid}/confirm", act_offer_confirm, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_POST, "/actions/offers/{oid}/refuse", act_offer_refuse, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_GET, "/actions/{id}", act_show, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/action-points/{id}", act_show, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET | HTTP_POST, "/actions/{id}/edit", act_edit, ROLE_ORGANISER, false, R_CSRF, &act_point_form },
	{ HTTP_POST, "/actions/{id}/status", act_status, ROLE_ORGANISER, false, R_CSRF, &act_status_form },
	{ HTTP_POST, "/actions/{id}/publish", act_publish, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/archive", act_archive, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/restore", act_restore, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/delete", act_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/holders", act_holder_add, ROLE_ORGANISER, false, R_CSRF, &act_holder_form },
	{ HTTP_POST, "/actions/{id}/holders/{oid}/delete", act_holder_remove, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/links", act_link_add, ROLE_ORGANISER, false, R_CSRF, &act_link_form },
	{ HTTP_POST, "/actions/{id}/links/{lid}/delete", act_link_remove, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/milestones", act_milestone_add, ROLE_PARTICIPANT, false, R_CSRF, &act_milestone_new_form },
	{ HTTP_POST, "/actions/{id}/milestones/{mid}", act_milestone_update, ROLE_PARTICIPANT, false, R_CSRF, &act_milestone_form },
	{ HTTP_POST, "/actions/{id}/milestones/{mid}/delete", act_milestone_delete, ROLE_PARTICIPANT, false, R_CSRF },
	{ HTTP_POST, "/actions/{id}/updates", act_update_add, ROLE_PARTICIPANT, false, R_CSRF, &act_update_form },
	{ HTTP_GET | HTTP_POST, "/actions/{id}/adopt", act_adopt, ROLE_PARTICIPANT, false, R_CSRF, &act_adopt_form },
	{ HTTP_POST, "/actions/{id}/offers/{oid}/accept", act_offer_accept, ROLE_ORGANISER, false, R_CSRF, &act_accept_form },
	{ HTTP_POST, "/actions/{id}/offers/{oid}/decline", act_offer_decline, ROLE_ORGANISER, false, R_CSRF, &act_decline_form },
};

/* A person's own data ("mydata"): their offers to adopt action points. */
static json_t *act_mydata(app_req *q, int64_t user_id)
{
	act_offer *os;
	size_t n;
	if (act_store_offers(q->app->db, q->a, 0, user_id, &os, &n) != STORE_OK)
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "id",
		                                   (json_int_t)os[i].id, "action_id",
		                                   (json_int_t)os[i].action_id, "action_title",
		                                   os[i].action_title, "organisation", os[i].org_name,
		                                   "role", os[i].role, "message", os[i].message,
		                                   "status", os[i].status, "reason", os[i].reason,
		                                   "created_at", (json_int_t)os[i].created_at,
		                                   "decided_at", (json_int_t)os[i].decided_at));
	return a;
}

static const app_section sections[] = {
	{ "account", "adoption_offers", "act_account_section", account_offers },
	{ "mydata", "adoption_offers", NULL, act_mydata },
};

/* What happened, said on the page a change leads to. */
static const app_flash flashes[] = {
	{ "act_created", "The action point is saved as a draft. Only organisers see it until you publish it." },
	{ "act_saved", "The description of the action point is saved." },
	{ "act_status", "The status is changed." },
	{ "act_holder", "The holder is saved." },
	{ "act_holder_removed", "The holder is removed." },
	{ "act_linked", "The action points are linked." },
	{ "act_unlinked", "The link is removed." },
	{ "act_published", "The action point is published: everyone can see it now." },
	{ "act_archived", "The action point is archived. It stays readable at its address." },
	{ "act_restored", "The action point is back in the action plan." },
	{ "act_deleted", "The draft is deleted." },
	{ "act_ms_added", "The milestone is added." },
	{ "act_ms_saved", "The milestone is saved." },
	{ "act_ms_removed", "The milestone is removed." },
	{ "act_update_posted", "Your progress update is posted." },
	{ "act_offer_sent", "Your offer is sent. An organiser answers it; you see the answer here." },
	{ "act_offer_to_confirm", "Your offer is sent. A member of the organisation confirms it first; then an organiser answers it." },
	{ "act_offer_accepted", "The offer is accepted: the organisation now holds the action point." },
	{ "act_offer_declined", "The offer is declined. The person who offered sees your reason." },
	{ "act_offer_confirmed", "You confirmed the offer. An organiser answers it next." },
	{ "act_offer_refused", "You did not confirm the offer. The person who offered is told." },
};

const app_feature act_feature = {
	.name = "act",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.demo = act_demo,
	.start = act_late_start,
	.stop = act_late_stop,
};
