/* input.c — the input feature as openplan sees it: its addresses with the
 * form each takes (who may triage is checked in the route table and, per
 * object, in the handlers), its sections on the plan's page (what was done
 * with the input; share an idea), an action point's page (the input that
 * led to it) and the account page (a link to one's own input), the
 * messages its redirects say, its demo and its background work (the red
 * thread jobs and the search indexer, input_threads.c).
 */
#include "input.h"

static const app_route routes[] = {
	/* What we did with your input: public, per plan, consultation and
	 * session. Not in the page cache: a vote or a board note (which do
	 * not empty the cache) brings new input. */
	{ HTTP_GET, "/input/plans/{id}", input_public_plan, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/input/plans/{id}", input_public_plan, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET, "/input/plans/{id}/items.csv", input_csv_plan, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/input/consultations/{cid}", input_public_cons, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/input/consultations/{cid}", input_public_cons, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET, "/input/consultations/{cid}/items.csv", input_csv_cons, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/input/sessions/{sid}", input_public_session, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/input/sessions/{sid}", input_public_session, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET, "/input/sessions/{sid}/items.csv", input_csv_session, ROLE_PARTICIPANT, true, 0 },
	/* One item, one group: public when public; the author and organisers
	 * see more. */
	{ HTTP_GET, "/input/items/{iid}", input_item_page, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/input/items/{iid}", input_item_page, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET, "/input/groups/{gid}", input_group_page, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/input/groups/{gid}", input_group_page, ROLE_PARTICIPANT, true, R_API },
	/* A signed-in person: their own input, sharing an idea, deleting
	 * what they wrote. */
	{ HTTP_GET, "/input/mine", input_mine, ROLE_PARTICIPANT, false, 0 },
	{ HTTP_GET, "/api/v1/input/mine", input_mine, ROLE_PARTICIPANT, false, R_API },
	{ HTTP_GET | HTTP_POST, "/input/plans/{id}/ideas", input_idea, ROLE_PARTICIPANT, false, R_CSRF, &input_idea_form },
	{ HTTP_POST, "/input/items/{iid}/delete", input_item_remove, ROLE_PARTICIPANT, false, R_CSRF },
	/* Organisers: the inbox, triage, responses, groups, red threads. */
	{ HTTP_GET | HTTP_POST, "/input/plans/{id}/inbox", input_inbox, ROLE_ORGANISER, false, R_CSRF, &input_bulk_form },
	{ HTTP_GET, "/api/v1/input/plans/{id}/inbox", input_inbox, ROLE_ORGANISER, false, R_API },
	{ HTTP_POST, "/input/items/{iid}/triage", input_item_triage, ROLE_ORGANISER, false, R_CSRF, &input_triage_form },
	{ HTTP_POST, "/input/items/{iid}/response", input_item_respond, ROLE_ORGANISER, false, R_CSRF, &input_respond_form },
	{ HTTP_POST, "/input/items/{iid}/links", input_item_link, ROLE_ORGANISER, false, R_CSRF, &input_link_form },
	{ HTTP_POST, "/input/items/{iid}/links/{aid}/delete", input_item_unlink, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/input/items/{iid}/duplicate", input_item_duplicate, ROLE_ORGANISER, false, R_CSRF, &input_duplicate_form },
	{ HTTP_POST, "/input/items/{iid}/group", input_item_group, ROLE_ORGANISER, false, R_CSRF, &input_group_item_form },
	{ HTTP_POST, "/input/items/{iid}/hide", input_item_hide, ROLE_ORGANISER, false, R_CSRF, &input_hide_form },
	{ HTTP_POST, "/input/groups/{gid}", input_group_update, ROLE_ORGANISER, false, R_CSRF, &input_group_form },
	{ HTTP_POST, "/input/groups/{gid}/response", input_group_respond, ROLE_ORGANISER, false, R_CSRF, &input_group_respond_form },
	{ HTTP_POST, "/input/groups/{gid}/links", input_group_link, ROLE_ORGANISER, false, R_CSRF, &input_group_link_form },
	{ HTTP_POST, "/input/groups/{gid}/links/{aid}/delete", input_group_unlink, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/input/groups/{gid}/merge", input_group_merge, ROLE_ORGANISER, false, R_CSRF, &input_merge_form },
	{ HTTP_POST, "/input/groups/{gid}/delete", input_group_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_GET | HTTP_POST, "/input/plans/{id}/threads", input_threads, ROLE_ORGANISER, false, R_CSRF, &input_run_form },
	{ HTTP_GET, "/api/v1/input/plans/{id}/threads", input_threads, ROLE_ORGANISER, false, R_API },
	{ HTTP_POST, "/input/threads/{tid}/accept", input_thread_accept, ROLE_ORGANISER, false, R_CSRF, &input_thread_form },
	{ HTTP_POST, "/input/threads/{tid}/rename", input_thread_rename, ROLE_ORGANISER, false, R_CSRF, &input_rename_form },
	{ HTTP_POST, "/input/threads/{tid}/merge", input_thread_merge, ROLE_ORGANISER, false, R_CSRF, &input_thread_merge_form },
	{ HTTP_POST, "/input/threads/{tid}/split", input_thread_split, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/input/threads/{tid}/dismiss", input_thread_dismiss, ROLE_ORGANISER, false, R_CSRF },
};

static const app_section sections[] = {
	{ "plan", "input", "input_plan_section", input_plan_section },
	{ "action", "input_led_to_it", "input_action_section", input_action_section },
	{ "account", "my_input", "input_account_section", input_account_section },
	{ "mydata", "input_items", NULL, input_mydata },
};

/* What happened, said on the page a change leads to. */
static const app_flash flashes[] = {
	{ "input_idea", "Thank you! Your idea is shared. You can follow what happens with it under “My input”." },
	{ "input_triaged", "The theme and status are saved." },
	{ "input_responded", "The response is published. The people who gave this input are told." },
	{ "input_linked", "The link to the action point is saved." },
	{ "input_unlinked", "The link is removed." },
	{ "input_duplicate", "Marked as a duplicate: it follows its original now." },
	{ "input_not_duplicate", "It is not a duplicate any more." },
	{ "input_grouped", "The input is in the group now." },
	{ "input_ungrouped", "The input left its group." },
	{ "input_hidden", "The input is hidden everywhere: nobody but organisers sees its text." },
	{ "input_shown", "The input is shown again." },
	{ "input_removed", "Your input is deleted. It still counts in the numbers, without its text." },
	{ "input_group_saved", "The group is saved." },
	{ "input_merged", "The groups are merged." },
	{ "input_group_deleted", "The group is dissolved; its input stays." },
	{ "input_bulk", "The change is made for every input you chose." },
	{ "input_run", "Looking for red threads. This takes a moment; the page shows them when they are ready." },
	{ "input_accepted", "The red thread is a group now. Write its response on the group's page." },
	{ "input_renamed", "The red thread is renamed." },
	{ "input_thread_merged", "The red threads are merged." },
	{ "input_split", "The red thread is split in two." },
	{ "input_dismissed", "The red thread is dismissed." },
};

const app_feature input_feature = {
	.name = "input",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.demo = input_demo,
	.start = input_start,
	.stop = input_stop,
};
