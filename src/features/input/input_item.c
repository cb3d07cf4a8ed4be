/* input_item.c — one input item: its page (public when its source is
 * public and it is not hidden; its author and organisers always), with the
 * response that answers it, every earlier version, the action points it
 * led to; and what organisers do there (theme and status, a reasoned
 * response, links to action points, duplicate, group, hide) and what its
 * author does (delete it). Each change is a form of its own, checked before
 * its handler; a refusal by the rules of the data comes back at the field
 * that caused it.
 */
#include <string.h>

#include "../../util/text.h"
#include "input.h"

bool input_is_organiser(const app_req *q)
{
	return q->me && q->me->role >= ROLE_ORGANISER;
}

void input_go(app_req *q, const char *location, const char *flash)
{
	if (!location) { /* the request's memory ran out */
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	app_redirect(q, location, flash);
}

bool input_load_plan(app_req *q, plan *p)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? store_plan_get(q->app->db, q->a, id, p) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

/* ---- forms ------------------------------------------------------------------------------------- */

static const form_field triage_fields[] = {
	{ "theme", F_ID, false, 20, .label = "Theme", .message = "Choose one of the themes." },
	{ "status", F_CHOICE, true, 20, input_statuses, .label = "Status",
	  .choice_labels = input_status_labels },
};
const form_def input_triage_form = FORM_DEF("triage", triage_fields, NULL, input_item_page);

/* A response says what happens with the input: a status other than "new",
 * and why. Both are checked here, so both messages come at once. */
void input_respond_check(app_req *q)
{
	const char *st = form_text(q, "status");
	if (!*st || !strcmp(st, "new"))
		form_fail(q, "status", "A response needs a status: choose what happens with this input.");
	if (!*form_text(q, "body"))
		form_fail(q, "body", "Write the response: what happens with this input, and why.");
}

static const form_field respond_fields[] = {
	{ "status", F_CHOICE, false, 20, input_statuses, .label = "Status",
	  .choice_labels = input_status_labels,
	  .message = "A response needs a status: choose what happens with this input." },
	{ "body", F_MULTILINE, false, 10000, .label = "The response",
	  .help = "Why this status? Write it for the people who gave the input. Markdown: **bold**, *italic*, lists, links." },
};
const form_def input_respond_form = FORM_DEF("respond", respond_fields, input_respond_check,
                                             input_item_page);

static const form_field link_fields[] = {
	{ "action", F_ID, true, 20, .label = "Action point" },
};
const form_def input_link_form = FORM_DEF("link", link_fields, NULL, input_item_page);

static const form_field duplicate_fields[] = {
	{ "of", F_ID, false, 20, .label = "Duplicate of",
	  .help = "The number of the original input. Leave empty when it is not a duplicate.",
	  .message = "Fill in the number of an input, like 12." },
};
const form_def input_duplicate_form = FORM_DEF("duplicate", duplicate_fields, NULL,
                                               input_item_page);

static const form_field group_item_fields[] = {
	{ "group", F_ID, false, 20, .label = "Group", .help = "Leave empty to take it out of its group." },
};
const form_def input_group_item_form = FORM_DEF("group", group_item_fields, NULL,
                                                input_item_page);

static const form_field hide_fields[] = {
	{ "hidden", F_BOOL, false, 5, .label = "Hidden (personal data)" },
};
const form_def input_hide_form = FORM_DEF("hide", hide_fields, NULL, input_item_page);

/* ---- the page ------------------------------------------------------------------------------------ */

/* May the visitor see this item? Organisers and its author always; others
 * when it is public (a removed one shows as removed). */
static bool may_see(app_req *q, const input_item *it)
{
	if (input_is_organiser(q))
		return true;
	if (q->me && it->author_id && q->me->id == it->author_id)
		return true;
	return it->is_public;
}

static bool load_item(app_req *q, input_item *it)
{
	int64_t id = app_param_id(q, "iid");
	store_rc rc = id ? input_store_get(q->app->db, q->a, id, it) : STORE_NOTFOUND;
	if (rc == STORE_OK && !may_see(q, it))
		rc = STORE_NOTFOUND; /* not public: as if it did not exist */
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

static json_t *versions(app_req *q, int64_t item_id, int64_t group_id, bool view)
{
	input_response *rs;
	size_t n;
	json_t *a = json_array();
	if (input_store_responses(q->app->db, q->a, item_id, group_id, &rs, &n) != STORE_OK)
		return a;
	for (size_t i = 0; i < n; i++) {
		json_t *o = input_response_data(&rs[i]);
		if (view)
			input_response_view(q, o, &rs[i]);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *links_json(app_req *q, const input_link *ls, size_t n, bool view)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = input_link_data(&ls[i]);
		if (view)
			input_link_view(q, o, &ls[i]);
		json_array_append_new(a, o);
	}
	return a;
}

/* The organiser's forms on the item page. */
static void organiser_forms(app_req *q, json_t *m, const input_item *it, const input_link *ls,
                            size_t nl)
{
	bool posted = q->form != NULL;
	plan p;
	if (store_plan_get(q->app->db, q->a, it->plan_id, &p) != STORE_OK)
		p.nthemes = 0;
	json_t *tv = json_pack("{s:s,s:s}", "theme", it->theme_id ? arena_printf(q->a, "%lld",
	                                                               (long long)it->theme_id) : "",
	                       "status", it->status);
	json_object_set_new(m, "triage", form_view(q, &input_triage_form, "triage", tv, posted));
	json_object_set_new(m, "themes", input_theme_options(q, &p, it->theme_id));
	json_object_set_new(m, "statuses", input_status_options(q, it->status, true));
	json_object_set_new(m, "respond", form_view(q, &input_respond_form, "respond",
	                                            json_pack("{s:s,s:s}", "status",
	                                                      strcmp(it->status, "new") ? it->status : "",
	                                                      "body", it->answer_of_group ? ""
	                                                                                  : it->answer_body),
	                                            posted));
	json_object_set_new(m, "answer_statuses",
	                    input_status_options(q, strcmp(it->status, "new") ? it->status : NULL, false));
	json_object_set_new(m, "can_respond", json_boolean(!it->group_id && !it->duplicate_of));
	/* action points of the plan that it is not linked to yet */
	input_link *acts;
	size_t na = 0;
	json_t *opts = json_array();
	if (input_store_actions(q->app->db, q->a, it->plan_id, &acts, &na) == STORE_OK)
		for (size_t i = 0; i < na; i++) {
			bool linked = false;
			for (size_t k = 0; k < nl && !linked; k++)
				linked = ls[k].action_id == acts[i].action_id;
			if (!linked)
				json_array_append_new(opts, json_pack("{s:I,s:s}", "value",
				                                      (json_int_t)acts[i].action_id, "label",
				                                      acts[i].title));
		}
	json_object_set_new(m, "link", form_view(q, &input_link_form, "link", NULL, posted));
	json_object_set_new(m, "actions", opts);
	json_object_set_new(m, "duplicate",
	                    form_view(q, &input_duplicate_form, "duplicate",
	                              json_pack("{s:s}", "of", it->duplicate_of
	                                                 ? arena_printf(q->a, "%lld",
	                                                                (long long)it->duplicate_of)
	                                                 : ""),
	                              posted));
	input_group *gs;
	size_t ng = 0;
	json_t *gopts = json_array();
	if (input_store_groups(q->app->db, q->a, it->plan_id, NULL, 0, &gs, &ng) == STORE_OK)
		for (size_t i = 0; i < ng; i++)
			json_array_append_new(gopts, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)gs[i].id,
			                                       "label", gs[i].title, "selected",
			                                       gs[i].id == it->group_id));
	json_object_set_new(m, "group", form_view(q, &input_group_item_form, "group", NULL, posted));
	json_object_set_new(m, "groups", gopts);
	json_object_set_new(m, "is_hidden", json_boolean(it->hidden_here));
	json_object_set_new(m, "hidden_at_source", json_boolean(it->hidden));
	json_object_set_new(m, "author_name", json_string(*it->author_name ? it->author_name
	                                                                   : app_t(q, "anonymous")));
	json_object_set_new(m, "inbox_url", json_string(arena_printf(q->a, "/input/plans/%lld/inbox",
	                                                             (long long)it->plan_id)));
}

void input_item_page(app_req *q)
{
	input_item it;
	if (!load_item(q, &it))
		return;
	bool org = input_is_organiser(q);
	bool mine = q->me && it.author_id && q->me->id == it.author_id;
	input_link *ls;
	size_t nl = 0;
	store_rc rc = input_store_item_links(q->app->db, q->a, it.id, &ls, &nl);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	bool view = !q->want_json || form_failed(q);
	json_t *item = input_item_data(&it, org || mine);
	/* The history of whatever answers it: its group, its original, itself. */
	int64_t answer_item = it.duplicate_of ? it.duplicate_of : it.id;
	json_t *history = it.answer_of_group ? versions(q, 0, it.group_id ? it.group_id : 0, view)
	                                     : versions(q, answer_item, 0, view);
	if (it.answer_of_group && !it.group_id) {
		/* a duplicate whose original's group answers: find that group */
		input_item orig;
		if (input_store_get(q->app->db, q->a, it.duplicate_of, &orig) == STORE_OK) {
			json_decref(history);
			history = versions(q, 0, orig.group_id, view);
		}
	}
	json_t *links = links_json(q, ls, nl, view);
	if (!view) {
		app_json(q, 200, json_pack("{s:o,s:o,s:o}", "item", item, "history", history, "links",
		                           links));
		return;
	}
	input_item_view(q, item, &it);
	const char *title = *it.text && ((!it.hidden_here && !it.hidden) || org || mine)
	                            ? input_excerpt(q->a, it.text, 60)
	                            : arena_printf(q->a, "%s %lld", app_t(q, "Input"), (long long)it.id);
	json_t *m = json_pack("{s:s,s:o,s:o,s:o,s:b,s:b}", "title", title, "item", item, "history",
	                      history, "links", links, "is_organiser", org, "is_mine", mine);
	json_object_set_new(m, "plan_url", json_string(arena_printf(q->a, "/input/plans/%lld",
	                                                            (long long)it.plan_id)));
	if (org)
		organiser_forms(q, m, &it, ls, nl);
	if (mine && !it.removed)
		json_object_set_new(m, "can_delete", json_true());
	if (form_failed(q))
		json_object_set_new(m, "errors", json_true());
	app_page(q, form_failed(q) ? 422 : 200, "input_item", m);
}

/* ---- organisers' changes ---------------------------------------------------------------------- */

static void back(app_req *q, int64_t id, const char *where, const char *flash)
{
	input_go(q, arena_printf(q->a, "/input/items/%lld%s", (long long)id, where), flash);
}

/* Loads the item named by {iid} for a change; answers 404 itself. */
static bool change_target(app_req *q, input_item *it)
{
	int64_t id = app_param_id(q, "iid");
	store_rc rc = id ? input_store_get(q->app->db, q->a, id, it) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

/* Is theme id one of plan_id's themes? */
static bool theme_of_plan(app_req *q, int64_t plan_id, int64_t theme_id)
{
	plan p;
	if (store_plan_get(q->app->db, q->a, plan_id, &p) != STORE_OK)
		return false;
	for (size_t t = 0; t < p.nthemes; t++)
		if (p.themes[t].id == theme_id)
			return true;
	return false;
}

void input_item_triage(app_req *q)
{
	input_item it;
	if (!change_target(q, &it))
		return;
	int64_t theme_id = form_int(q, "theme");
	if (theme_id && !theme_of_plan(q, it.plan_id, theme_id)) {
		form_fail(q, "theme", "Choose one of the themes.");
		form_reshow(q);
		return;
	}
	const char *status = form_text(q, "status");
	store_rc rc = input_store_triage(q->app->db, it.id, theme_id, status, q->me->id);
	if (rc == STORE_INVALID) {
		form_fail(q, "status", "This input follows its group or its original: change the status there.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, it.id, "#triage", "input_triaged");
}

void input_item_respond(app_req *q)
{
	input_item it;
	if (!change_target(q, &it))
		return;
	input_refusal why;
	store_rc rc = input_store_respond(q->app->db, it.id, 0, form_text(q, "status"),
	                                  form_text(q, "body"), q->me->id, &why);
	if (rc == STORE_INVALID) {
		if (why == INPUT_NO_STATUS)
			form_fail(q, "status", "A response needs a status: choose what happens with this input.");
		else
			form_fail(q, "body", "This input belongs to a group or is a duplicate: respond on the group or the original, so one response answers them all.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, it.id, "#response", "input_responded");
}

/* A refused link, said at the field. */
void input_link_refused(app_req *q, input_refusal why)
{
	form_fail(q, "action", why == INPUT_OTHER_PLAN
	                               ? "This action point belongs to another plan. Link input only to action points of its own plan."
	                               : "Choose one of the action points.");
	form_reshow(q);
}

void input_item_link(app_req *q)
{
	input_item it;
	if (!change_target(q, &it))
		return;
	input_refusal why;
	store_rc rc = input_store_link(q->app->db, it.id, 0, form_int(q, "action"), true, &why);
	if (rc == STORE_INVALID || (rc == STORE_NOTFOUND && why == INPUT_GONE)) {
		input_link_refused(q, why);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, it.id, "#links", "input_linked");
}

void input_item_unlink(app_req *q)
{
	input_item it;
	if (!change_target(q, &it))
		return;
	store_rc rc = input_store_link(q->app->db, it.id, 0, app_param_id(q, "aid"), false, NULL);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, it.id, "#links", "input_unlinked");
}

void input_item_duplicate(app_req *q)
{
	input_item it;
	if (!change_target(q, &it))
		return;
	int64_t of = form_int(q, "of");
	input_refusal why;
	store_rc rc = input_store_duplicate(q->app->db, it.id, of, q->me->id, &why);
	if (rc == STORE_INVALID || rc == STORE_NOTFOUND) {
		form_fail(q, "of", why == INPUT_SELF ? "Input cannot be a duplicate of itself."
		                   : why == INPUT_OTHER_PLAN
		                           ? "The original belongs to another plan: duplicates stay within one plan."
		                           : "There is no input with this number.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	/* From the red threads' page, back there. */
	const char *next = http_form(q->r, "next");
	if (next && !strncmp(next, "/input/plans/", 13)) {
		app_redirect(q, text_local_path(next), of ? "input_duplicate" : "input_not_duplicate");
		return;
	}
	back(q, it.id, "", of ? "input_duplicate" : "input_not_duplicate");
}

void input_item_group(app_req *q)
{
	input_item it;
	if (!change_target(q, &it))
		return;
	int64_t g = form_int(q, "group");
	input_refusal why;
	store_rc rc = input_store_group_item(q->app->db, it.id, g, q->me->id, &why);
	if (rc == STORE_INVALID || rc == STORE_NOTFOUND) {
		form_fail(q, "group", why == INPUT_OTHER_PLAN
		                              ? "This group belongs to another plan: a group holds input of one plan."
		                              : "Choose one of the groups.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	/* From a group's page, back to the group. */
	const char *next = http_form(q->r, "next");
	if (next && !strncmp(next, "/input/groups/", 14)) {
		app_redirect(q, text_local_path(next), g ? "input_grouped" : "input_ungrouped");
		return;
	}
	back(q, it.id, "", g ? "input_grouped" : "input_ungrouped");
}

void input_item_hide(app_req *q)
{
	input_item it;
	if (!change_target(q, &it))
		return;
	bool hidden = form_bool(q, "hidden");
	store_rc rc = input_store_hide(q->app->db, it.id, hidden);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, it.id, "", hidden ? "input_hidden" : "input_shown");
}

/* ---- the author ---------------------------------------------------------------------------------- */

void input_item_remove(app_req *q)
{
	input_item it;
	if (!change_target(q, &it))
		return;
	if (it.author_id != q->me->id) {
		app_error(q, 403, "You can only delete input you gave yourself.");
		return;
	}
	store_rc rc = input_store_remove(q->app->db, it.id, q->me->id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, "This input is deleted already.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/input/mine", "input_removed");
}
