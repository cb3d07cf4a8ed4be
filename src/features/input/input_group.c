/* input_group.c — a group of input items that one response answers (an
 * accepted red thread, or items an organiser put together): its page
 * (public: its title, status, response with every version, the action
 * points it led to, its public members) and what organisers do there
 * (name, theme and status; the response; links; merge into another group
 * of the same plan; take a member out; dissolve a group without a
 * response).
 */
#include <string.h>

#include "input.h"

static const form_field group_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Name" },
	{ "theme", F_ID, false, 20, .label = "Theme", .message = "Choose one of the themes." },
	{ "status", F_CHOICE, true, 20, input_statuses, .label = "Status",
	  .choice_labels = input_status_labels },
};
const form_def input_group_form = FORM_DEF("groupedit", group_fields, NULL, input_group_page);

static const form_field respond_fields[] = {
	{ "status", F_CHOICE, false, 20, input_statuses, .label = "Status",
	  .choice_labels = input_status_labels,
	  .message = "A response needs a status: choose what happens with this input." },
	{ "body", F_MULTILINE, false, 10000, .label = "The response",
	  .help = "One response answers every input in the group. Markdown: **bold**, *italic*, lists, links." },
};
const form_def input_group_respond_form = FORM_DEF("grespond", respond_fields, input_respond_check,
                                                   input_group_page);

static const form_field link_fields[] = {
	{ "action", F_ID, true, 20, .label = "Action point" },
};
const form_def input_group_link_form = FORM_DEF("glink", link_fields, NULL, input_group_page);

static const form_field merge_fields[] = {
	{ "into", F_ID, true, 20, .label = "Merge into the group" },
};
const form_def input_merge_form = FORM_DEF("merge", merge_fields, NULL, input_group_page);

static bool load_group(app_req *q, input_group *g)
{
	int64_t id = app_param_id(q, "gid");
	store_rc rc = id ? input_store_group_get(q->app->db, q->a, id, g) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

void input_group_page(app_req *q)
{
	input_group g;
	if (!load_group(q, &g))
		return;
	bool org = input_is_organiser(q);
	bool view = !q->want_json || form_failed(q);
	input_response *rs;
	input_link *ls;
	input_item *items;
	size_t nr = 0, nl = 0, ni = 0;
	bool more = false;
	input_filter f = { .plan_id = g.plan_id, .group_id = g.id, .public_only = !org,
		           .limit = 500 };
	store_rc rc = input_store_responses(q->app->db, q->a, 0, g.id, &rs, &nr);
	if (rc == STORE_OK)
		rc = input_store_group_links(q->app->db, q->a, g.id, &ls, &nl);
	if (rc == STORE_OK)
		rc = input_store_list(q->app->db, q->a, &f, &items, &ni, &more);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *gj = input_group_data(&g);
	json_t *history = json_array(), *links = json_array(), *members = json_array();
	for (size_t i = 0; i < nr; i++) {
		json_t *o = input_response_data(&rs[i]);
		if (view)
			input_response_view(q, o, &rs[i]);
		json_array_append_new(history, o);
	}
	for (size_t i = 0; i < nl; i++) {
		json_t *o = input_link_data(&ls[i]);
		if (view)
			input_link_view(q, o, &ls[i]);
		json_array_append_new(links, o);
	}
	const char *quote = "";
	for (size_t i = 0; i < ni; i++) {
		json_t *o = input_item_data(&items[i], org);
		if (view)
			input_item_view(q, o, &items[i]);
		json_array_append_new(members, o);
		if (items[i].id == g.quote_item_id && !items[i].removed &&
		    (org || (!items[i].hidden && !items[i].hidden_here)))
			quote = items[i].text;
	}
	if (!view) {
		app_json(q, 200, json_pack("{s:o,s:o,s:o,s:o}", "group", gj, "history", history,
		                           "links", links, "members", members));
		return;
	}
	input_group_view(q, gj, &g);
	json_t *m = json_pack("{s:s,s:o,s:o,s:o,s:o,s:s,s:b,s:i}", "title", g.title, "group", gj,
	                      "history", history, "links", links, "input_members", members, "quote", quote,
	                      "is_organiser", org, "hidden_members",
	                      (int)(g.members - (int64_t)ni));
	json_object_set_new(m, "plan_url", json_string(arena_printf(q->a, "/input/plans/%lld",
	                                                            (long long)g.plan_id)));
	if (org) {
		bool posted = q->form != NULL;
		plan p;
		if (store_plan_get(q->app->db, q->a, g.plan_id, &p) != STORE_OK)
			p.nthemes = 0;
		json_object_set_new(m, "edit", form_view(q, &input_group_form, "groupedit",
		                                         json_pack("{s:s,s:s,s:s}", "title", g.title,
		                                                   "theme", g.theme_id
		                                                   ? arena_printf(q->a, "%lld",
		                                                                  (long long)g.theme_id)
		                                                   : "", "status", g.status),
		                                         posted));
		json_object_set_new(m, "themes", input_theme_options(q, &p, g.theme_id));
		json_object_set_new(m, "statuses", input_status_options(q, g.status, true));
		json_object_set_new(m, "respond", form_view(q, &input_group_respond_form, "grespond",
		                                            json_pack("{s:s,s:s}", "status",
		                                                      strcmp(g.status, "new") ? g.status : "",
		                                                      "body", g.answer_body),
		                                            posted));
		json_object_set_new(m, "answer_statuses",
		                    input_status_options(q, strcmp(g.status, "new") ? g.status : NULL,
		                                         false));
		input_link *acts;
		size_t na = 0;
		json_t *opts = json_array();
		if (input_store_actions(q->app->db, q->a, g.plan_id, &acts, &na) == STORE_OK)
			for (size_t i = 0; i < na; i++) {
				bool linked = false;
				for (size_t k = 0; k < nl && !linked; k++)
					linked = ls[k].action_id == acts[i].action_id;
				if (!linked)
					json_array_append_new(opts, json_pack("{s:I,s:s}", "value",
					                                      (json_int_t)acts[i].action_id,
					                                      "label", acts[i].title));
			}
		json_object_set_new(m, "link", form_view(q, &input_group_link_form, "glink", NULL, posted));
		json_object_set_new(m, "actions", opts);
		input_group *gs;
		size_t ng = 0;
		json_t *gopts = json_array();
		if (input_store_groups(q->app->db, q->a, g.plan_id, NULL, 0, &gs, &ng) == STORE_OK)
			for (size_t i = 0; i < ng; i++)
				if (gs[i].id != g.id)
					json_array_append_new(gopts, json_pack("{s:I,s:s}", "value",
					                                       (json_int_t)gs[i].id, "label",
					                                       gs[i].title));
		json_object_set_new(m, "merge", form_view(q, &input_merge_form, "merge", NULL, posted));
		json_object_set_new(m, "other_groups", gopts);
		json_object_set_new(m, "can_merge", json_boolean(json_array_size(gopts) > 0));
		json_object_set_new(m, "answered", json_boolean(nr > 0));
		json_object_set_new(m, "can_dissolve", json_boolean(nr == 0));
		json_object_set_new(m, "inbox_url",
		                    json_string(arena_printf(q->a, "/input/plans/%lld/inbox?group=%lld",
		                                             (long long)g.plan_id, (long long)g.id)));
	}
	if (form_failed(q))
		json_object_set_new(m, "errors", json_true());
	app_page(q, form_failed(q) ? 422 : 200, "input_group", m);
}

static void back(app_req *q, int64_t id, const char *where, const char *flash)
{
	input_go(q, arena_printf(q->a, "/input/groups/%lld%s", (long long)id, where), flash);
}

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

void input_group_update(app_req *q)
{
	input_group g;
	if (!load_group(q, &g))
		return;
	int64_t theme_id = form_int(q, "theme");
	if (theme_id && !theme_of_plan(q, g.plan_id, theme_id)) {
		form_fail(q, "theme", "Choose one of the themes.");
		form_reshow(q);
		return;
	}
	store_rc rc = input_store_group_update(q->app->db, g.id, form_text(q, "title"), theme_id,
	                                       form_text(q, "status"), q->me->id);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, g.id, "", "input_group_saved");
}

void input_group_respond(app_req *q)
{
	input_group g;
	if (!load_group(q, &g))
		return;
	input_refusal why;
	store_rc rc = input_store_respond(q->app->db, 0, g.id, form_text(q, "status"),
	                                  form_text(q, "body"), q->me->id, &why);
	if (rc == STORE_INVALID) {
		form_fail(q, "status", "A response needs a status: choose what happens with this input.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, g.id, "#response", "input_responded");
}

void input_group_link(app_req *q)
{
	input_group g;
	if (!load_group(q, &g))
		return;
	input_refusal why;
	store_rc rc = input_store_link(q->app->db, 0, g.id, form_int(q, "action"), true, &why);
	if (rc == STORE_INVALID || (rc == STORE_NOTFOUND && why == INPUT_GONE)) {
		input_link_refused(q, why);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, g.id, "#links", "input_linked");
}

void input_group_unlink(app_req *q)
{
	input_group g;
	if (!load_group(q, &g))
		return;
	store_rc rc = input_store_link(q->app->db, 0, g.id, app_param_id(q, "aid"), false, NULL);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, g.id, "#links", "input_unlinked");
}

void input_group_merge(app_req *q)
{
	input_group g;
	if (!load_group(q, &g))
		return;
	int64_t into = form_int(q, "into");
	input_refusal why;
	store_rc rc = input_store_group_merge(q->app->db, g.id, into, q->me->id, &why);
	if (rc == STORE_INVALID || rc == STORE_NOTFOUND || rc == STORE_CONFLICT) {
		form_fail(q, "into", why == INPUT_SELF ? "A group cannot be merged into itself: a group cannot contain itself."
		                     : why == INPUT_OTHER_PLAN
		                             ? "That group belongs to another plan: groups merge only within one plan."
		                     : rc == STORE_CONFLICT
		                             ? "This group has a response already: merge the other group into this one instead."
		                             : "Choose one of the groups.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, into, "", "input_merged");
}

void input_group_delete(app_req *q)
{
	input_group g;
	if (!load_group(q, &g))
		return;
	store_rc rc = input_store_group_delete(q->app->db, g.id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, "This group has a response: it stays, so everyone can read what was answered. Take input out of it instead.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	input_go(q, arena_printf(q->a, "/input/plans/%lld/inbox", (long long)g.plan_id),
	             "input_group_deleted");
}
