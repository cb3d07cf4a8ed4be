/* input_mine.c — input for the person who gave it: "My input" (every item
 * they gave, from every source, with its status, the response that
 * answers it and the action points it led to with their status and
 * progress), sharing an idea on a plan or one of its themes ("Deel een
 * idee"), and the sections this feature adds to other pages: the plan's
 * (what was done with the input, share an idea; for organisers the inbox
 * and red threads), an action point's (the input that led to it) and the
 * account page's (a link to one's own input).
 */
#include <string.h>

#include "../../util/text.h"
#include "input.h"

enum { PAGE = 50, IDEAS_PER_10_MIN = 20 };

/* ---- my input -------------------------------------------------------------------------------------- */

void input_mine(app_req *q)
{
	long long before = 0;
	const char *bs = http_query(q->r, "before");
	if (bs && !text_parse_int(bs, 1, INT64_MAX, &before))
		before = 0;
	input_filter f = { .author_id = q->me->id, .before_id = before, .limit = PAGE };
	input_item *items;
	size_t n = 0;
	bool more = false;
	store_rc rc = input_store_list(q->app->db, q->a, &f, &items, &n, &more);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	bool view = !q->want_json;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = input_item_data(&items[i], true); /* their own: hidden ones too */
		json_object_del(o, "hidden");
		json_object_del(o, "anonymous");
		input_link *ls;
		size_t nl = 0;
		if (input_store_item_links(q->app->db, q->a, items[i].id, &ls, &nl) != STORE_OK)
			nl = 0;
		json_t *links = json_array();
		for (size_t k = 0; k < nl; k++) {
			json_t *l = input_link_data(&ls[k]);
			if (view)
				input_link_view(q, l, &ls[k]);
			json_array_append_new(links, l);
		}
		json_object_set_new(o, "links", links);
		if (view) {
			input_item_view(q, o, &items[i]);
			json_object_set_new(o, "hidden_note", json_boolean(items[i].hidden ||
			                                                   items[i].hidden_here));
			json_object_set_new(o, "can_delete", json_boolean(!items[i].removed));
		}
		json_array_append_new(list, o);
	}
	json_t *next = more && n ? json_integer((json_int_t)items[n - 1].id) : json_null();
	if (!view) {
		app_json(q, 200, json_pack("{s:o,s:o}", "items", list, "next_before", next));
		return;
	}
	json_decref(next);
	json_t *m = json_pack("{s:s,s:o,s:i}", "title", app_t(q, "My input"), "items", list, "shown",
	                      (int)n);
	if (more && n)
		json_object_set_new(m, "next_url", json_string(arena_printf(q->a, "/input/mine?before=%lld",
		                                                            (long long)items[n - 1].id)));
	if (before)
		json_object_set_new(m, "first_url", json_string("/input/mine"));
	plan p;
	if (store_plan_main(q->app->db, q->a, &p) == STORE_OK)
		json_object_set_new(m, "share_url", json_string(arena_printf(q->a, "/input/plans/%lld/ideas",
		                                                             (long long)p.id)));
	app_page(q, 200, "input_mine", m);
}

/* ---- sharing an idea ------------------------------------------------------------------------------ */

/* Counts every attempt, also a malformed one: a person shares at most
 * IDEAS_PER_10_MIN ideas in ten minutes. */
static bool idea_allowed(app_req *q)
{
	char key[48];
	snprintf(key, sizeof key, "input-idea:%lld", q->me ? (long long)q->me->id : 0LL);
	if (ratelimit_hit(key, IDEAS_PER_10_MIN, 600))
		return true;
	app_error(q, 429, "You shared many ideas in a short time. Please wait a few minutes and try again.");
	return false;
}

static const form_field idea_fields[] = {
	{ "text", F_MULTILINE, true, 2000, .label = "Your idea",
	  .help = "What should the plan do, and why? Do not write personal data of others." },
	{ "theme", F_ID, false, 20, .label = "Theme (if you know it)",
	  .message = "Choose one of the themes." },
};
const form_def input_idea_form = FORM_DEF_GUARDED("idea", idea_fields, NULL, input_idea,
                                                  idea_allowed);

void input_idea(app_req *q)
{
	plan p;
	if (!input_load_plan(q, &p))
		return;
	if (q->r->method == HTTP_POST && !form_failed(q)) {
		int64_t theme_id = form_int(q, "theme");
		bool ok = theme_id == 0;
		for (size_t t = 0; t < p.nthemes && !ok; t++)
			ok = p.themes[t].id == theme_id;
		if (!ok) {
			form_fail(q, "theme", "Choose one of the themes.");
			form_reshow(q);
			return;
		}
		int64_t id = 0;
		store_rc rc = input_store_idea_add(q->app->db, p.id, theme_id, q->me->id,
		                                   form_text(q, "text"), &id);
		if (rc != STORE_OK) {
			app_store_error(q, rc);
			return;
		}
		input_go(q, arena_printf(q->a, "/input/items/%lld", (long long)id), "input_idea");
		return;
	}
	long long theme_id = 0;
	const char *ts = http_query(q->r, "theme");
	if (ts && !text_parse_int(ts, 1, INT64_MAX, &theme_id))
		theme_id = 0;
	json_t *m = json_pack("{s:s,s:{s:I,s:s}}", "title", app_t(q, "Share an idea"), "plan", "id",
	                      (json_int_t)p.id, "title", p.title);
	json_object_set_new(m, "form", form_view(q, &input_idea_form, "idea",
	                                         json_pack("{s:s}", "theme", theme_id
	                                                   ? arena_printf(q->a, "%lld", theme_id) : ""),
	                                         true));
	json_object_set_new(m, "themes", input_theme_options(q, &p, form_failed(q)
	                                                            ? form_int(q, "theme") : theme_id));
	if (form_failed(q))
		json_object_set_new(m, "errors", json_true());
	app_page(q, form_failed(q) ? 422 : 200, "input_idea", m);
}

/* ---- sections on other pages ------------------------------------------------------------------ */

json_t *input_plan_section(app_req *q, int64_t plan_id)
{
	input_counts c;
	if (input_store_counts(q->app->db, plan_id, NULL, 0, true, &c) != STORE_OK)
		return NULL;
	int64_t answered = c.total - c.by_status[0];
	json_t *o = json_pack("{s:I,s:I,s:s,s:s}", "total", (json_int_t)c.total, "answered",
	                      (json_int_t)answered, "public_url",
	                      arena_printf(q->a, "/input/plans/%lld", (long long)plan_id), "ideas_url",
	                      arena_printf(q->a, "/input/plans/%lld/ideas", (long long)plan_id));
	/* The plan's page is cached per role: this depends on the role only. */
	if (o && input_is_organiser(q)) {
		json_object_set_new(o, "inbox_url", json_string(arena_printf(q->a,
		                                                             "/input/plans/%lld/inbox",
		                                                             (long long)plan_id)));
		json_object_set_new(o, "threads_url", json_string(arena_printf(q->a,
		                                                               "/input/plans/%lld/threads",
		                                                               (long long)plan_id)));
	}
	return o;
}

json_t *input_action_section(app_req *q, int64_t action_id)
{
	input_group *gs;
	input_item *is;
	size_t ng = 0, ni = 0;
	if (input_store_for_action(q->app->db, q->a, action_id, &gs, &ng, &is, &ni) != STORE_OK)
		return NULL;
	bool org = input_is_organiser(q);
	json_t *groups = json_array(), *items = json_array();
	for (size_t i = 0; i < ng; i++) {
		json_t *o = input_group_data(&gs[i]);
		input_group_view(q, o, &gs[i]);
		json_array_append_new(groups, o);
	}
	size_t hidden = 0;
	for (size_t i = 0; i < ni; i++) {
		if (!org && !is[i].is_public) {
			hidden++;
			continue;
		}
		json_t *o = input_item_data(&is[i], org);
		input_item_view(q, o, &is[i]);
		json_array_append_new(items, o);
	}
	return json_pack("{s:o,s:o,s:i,s:b}", "groups", groups, "items", items, "not_public",
	                 (int)hidden, "any", ng + ni > 0);
}

json_t *input_account_section(app_req *q, int64_t user_id)
{
	(void)user_id; /* always the signed-in person */
	if (!q->me)
		return NULL;
	input_filter f = { .author_id = q->me->id, .limit = 200 };
	input_item *items;
	size_t n = 0;
	bool more = false;
	if (input_store_list(q->app->db, q->a, &f, &items, &n, &more) != STORE_OK)
		return NULL;
	size_t answered = 0;
	for (size_t i = 0; i < n; i++)
		answered += items[i].answer_id != 0;
	return json_pack("{s:i,s:i,s:b,s:s}", "items", (int)n, "answered", (int)answered, "more",
	                 more, "url", "/input/mine");
}

json_t *input_mydata(app_req *q, int64_t user_id)
{
	/* Everything the person gave, with its status and response; the
	 * organisers' names are not theirs to get. */
	input_filter f = { .author_id = user_id, .limit = 100000 };
	input_item *items;
	size_t n = 0;
	bool more = false;
	if (input_store_list(q->app->db, q->a, &f, &items, &n, &more) != STORE_OK)
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = input_item_data(&items[i], true);
		json_object_del(o, "hidden");
		json_object_del(o, "anonymous");
		json_array_append_new(a, o);
	}
	return a;
}
