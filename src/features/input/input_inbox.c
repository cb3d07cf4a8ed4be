/* input_inbox.c — the organisers' inbox of a plan's input: filters by
 * source, theme, status, group and text (Dutch full-text search), newest
 * first in pages of 50 with keyset paging ("after this one": every page
 * costs what the first costs, also at 100,000 items), counts per status,
 * and bulk actions on the items ticked: a status, a theme, into a group,
 * into a new group, hide. Filters are a GET form and links: the page works
 * without JavaScript. Also as JSON (/api/v1/input/plans/{id}/inbox).
 */
#include <string.h>

#include "../../util/text.h"
#include "input.h"

enum { PAGE = 50, BULK_MAX = 500 };

static const char *const bulk_actions[] = { "status", "theme", "group", "new_group", "hide",
	                                    NULL };
static const char *const bulk_action_labels[] = { "Set the status", "Set the theme",
	                                          "Put in a group", "Put in a new group",
	                                          "Hide (personal data)", NULL };
/* What each action needs besides the items. */
static void bulk_check(app_req *q)
{
	const char *a = form_text(q, "action");
	if (!strcmp(a, "status") && !*form_text(q, "status"))
		form_fail(q, "status", "Choose the status to give.");
	if (!strcmp(a, "theme") && !form_int(q, "theme"))
		form_fail(q, "theme", "Choose the theme to give.");
	if (!strcmp(a, "group") && !form_int(q, "group"))
		form_fail(q, "group", "Choose the group.");
	if (!strcmp(a, "new_group") && !*form_text(q, "title"))
		form_fail(q, "title", "Give the new group a name.");
}

static const form_field bulk_fields[] = {
	{ "action", F_CHOICE, true, 20, bulk_actions, .label = "What to do with the chosen input",
	  .choice_labels = bulk_action_labels },
	{ "status", F_CHOICE, false, 20, input_statuses, .label = "Status",
	  .choice_labels = input_status_labels },
	{ "theme", F_ID, false, 20, .label = "Theme", .message = "Choose one of the themes." },
	{ "group", F_ID, false, 20, .label = "Group", .message = "Choose one of the groups." },
	{ "title", F_TEXT, false, 200, .label = "Name of the new group" },
	{ "item", F_ID, true, 20, .label = "Input", .message = "Choose the input to change." },
};
const form_def input_bulk_form = FORM_DEF("bulk", bulk_fields, bulk_check, input_inbox);

/* The filters of the page, from its query string; a value that is not
 * valid filters nothing. */
typedef struct filters {
	const char *source, *status, *query;
	int64_t     theme, group, before;
} filters;

static int64_t query_id(app_req *q, const char *name, long long min)
{
	long long v;
	const char *s = http_query(q->r, name);
	return s && *s && text_parse_int(s, min, INT64_MAX, &v) ? (int64_t)v : 0;
}

static void read_filters(app_req *q, filters *f)
{
	memset(f, 0, sizeof *f);
	f->source = http_query(q->r, "source");
	if (f->source && !input_source_valid(f->source))
		f->source = NULL;
	f->status = http_query(q->r, "status");
	if (f->status && !input_status_valid(f->status))
		f->status = NULL;
	f->query = http_query(q->r, "q");
	if (f->query && (!*f->query || text_utf8_len(f->query) > 200 ||
	                 text_has_control(f->query, false)))
		f->query = NULL;
	f->theme = query_id(q, "theme", -1);
	f->group = query_id(q, "group", 1);
	f->before = query_id(q, "before", 1);
}

/* The filters as a query string ("" or "source=cons&…"), without paging. */
static const char *filters_query(app_req *q, const filters *f)
{
	sb b;
	sb_init(&b);
	const char *keys[] = { "source", "status", "q" };
	const char *vals[] = { f->source, f->status, f->query };
	for (int i = 0; i < 3; i++)
		if (vals[i]) {
			sb_printf(&b, "%s%s=", b.len ? "&" : "", keys[i]);
			sb_urlenc(&b, vals[i]);
		}
	if (f->theme)
		sb_printf(&b, "%stheme=%lld", b.len ? "&" : "", (long long)f->theme);
	if (f->group)
		sb_printf(&b, "%sgroup=%lld", b.len ? "&" : "", (long long)f->group);
	const char *out = sb_failed(&b) ? "" : arena_strdup(q->a, sb_str(&b));
	sb_free(&b);
	return out ? out : "";
}

static json_t *choice_list(app_req *q, const char *const *codes, const char *const *labels,
                           const char *selected)
{
	json_t *a = json_array();
	for (int i = 0; codes[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", codes[i], "label",
		                                   app_t(q, labels[i]), "selected",
		                                   selected && !strcmp(selected, codes[i])));
	return a;
}

void input_inbox(app_req *q)
{
	if (q->r->method == HTTP_POST && !form_failed(q)) {
		input_bulk(q);
		return;
	}
	plan p;
	if (!input_load_plan(q, &p))
		return;
	filters fl;
	read_filters(q, &fl);
	if (fl.query)
		input_store_index(q->app->db, 5000, NULL); /* what arrived just now is searchable */
	input_filter f = { .plan_id = p.id, .source = fl.source, .status = fl.status,
		           .query = fl.query, .theme_id = fl.theme, .group_id = fl.group,
		           .before_id = fl.before, .limit = PAGE };
	input_item *items;
	size_t n = 0;
	bool more = false;
	input_counts counts;
	store_rc rc = input_store_list(q->app->db, q->a, &f, &items, &n, &more);
	if (rc == STORE_OK)
		rc = input_store_counts(q->app->db, p.id, NULL, 0, false, &counts);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	bool view = !q->want_json || form_failed(q);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = input_item_data(&items[i], true);
		if (view)
			input_item_view(q, o, &items[i]);
		json_array_append_new(list, o);
	}
	json_t *next = more && n ? json_integer((json_int_t)items[n - 1].id) : json_null();
	if (!view) {
		app_json(q, 200, json_pack("{s:{s:I,s:s},s:o,s:o,s:o}", "plan", "id", (json_int_t)p.id,
		                           "title", p.title, "counts", input_counts_data(&counts),
		                           "items", list, "next_before", next));
		return;
	}
	const char *fq = filters_query(q, &fl);
	json_t *cj = input_counts_data(&counts);
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(cj, "by_status"), i, o) {
		json_object_set_new(o, "label", json_string(app_t(q, input_status_labels[i])));
		json_object_set_new(o, "selected", json_boolean(fl.status &&
		                                                !strcmp(fl.status, input_statuses[i])));
	}
	input_group *gs;
	size_t ng = 0;
	json_t *groups = json_array();
	if (input_store_groups(q->app->db, q->a, p.id, NULL, 0, &gs, &ng) == STORE_OK)
		for (size_t k = 0; k < ng; k++)
			json_array_append_new(groups, json_pack("{s:I,s:s,s:b}", "value",
			                                        (json_int_t)gs[k].id, "label", gs[k].title,
			                                        "selected", gs[k].id == fl.group));
	json_t *themes = input_theme_options(q, &p, fl.theme);
	json_array_append_new(themes, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)-1, "label",
	                                        app_t(q, "Without a theme"), "selected",
	                                        fl.theme == -1));
	json_t *m = json_pack("{s:s,s:{s:I,s:s},s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s}",
	                      "title", app_t(q, "Input inbox"), "plan", "id", (json_int_t)p.id,
	                      "title", p.title, "counts", cj, "items", list,
	                      "sources", choice_list(q, input_sources, input_source_labels, fl.source),
	                      "statuses", input_status_options(q, fl.status, true), "themes", themes,
	                      "groups", groups, "q", fl.query ? fl.query : "", "filters", fq);
	json_object_set_new(m, "filtered", json_boolean(*fq != 0));
	json_object_set_new(m, "shown", json_integer((json_int_t)n));
	if (more && n)
		json_object_set_new(m, "next_url",
		                    json_string(arena_printf(q->a, "/input/plans/%lld/inbox?%s%sbefore=%lld",
		                                             (long long)p.id, fq, *fq ? "&" : "",
		                                             (long long)items[n - 1].id)));
	if (fl.before)
		json_object_set_new(m, "first_url",
		                    json_string(arena_printf(q->a, "/input/plans/%lld/inbox%s%s",
		                                             (long long)p.id, *fq ? "?" : "", fq)));
	/* the bulk form: its fields keep what was chosen when it failed */
	json_object_set_new(m, "bulk", form_view(q, &input_bulk_form, "bulk", NULL, true));
	json_object_set_new(m, "bulk_themes", input_theme_options(q, &p, form_int(q, "theme")));
	json_object_set_new(m, "bulk_groups", groups ? json_deep_copy(groups) : json_array());
	json_object_set_new(m, "bulk_statuses", input_status_options(q, form_text(q, "status"), true));
	json_object_set_new(m, "bulk_actions", choice_list(q, bulk_actions, bulk_action_labels,
	                                                   form_text(q, "action")));
	if (form_failed(q))
		json_object_set_new(m, "errors", json_true());
	app_page(q, form_failed(q) ? 422 : 200, "input_inbox", m);
}

void input_bulk(app_req *q)
{
	plan p;
	if (!input_load_plan(q, &p))
		return;
	/* Every ticked item: the field "item" repeats. */
	int64_t *ids = arena_calloc(q->a, BULK_MAX, sizeof *ids);
	size_t n = 0;
	bool bad = !ids;
	for (size_t i = 0; ids && i < q->r->form.len; i++) {
		const http_kv *kv = &q->r->form.items[i];
		if (strcmp(kv->key, "item"))
			continue;
		long long v;
		if (n == BULK_MAX || !text_parse_int(kv->value, 1, INT64_MAX, &v)) {
			bad = true;
			break;
		}
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = ids[k] == v;
		if (!seen)
			ids[n++] = (int64_t)v;
	}
	if (bad) {
		form_fail(q, "item", n == BULK_MAX ? "Choose at most 500 input items at once."
		                                   : "Choose the input to change.");
		form_reshow(q);
		return;
	}
	const char *action = form_text(q, "action");
	input_bulk_op op = !strcmp(action, "status") ? INPUT_BULK_STATUS
	                   : !strcmp(action, "theme") ? INPUT_BULK_THEME
	                   : !strcmp(action, "group") ? INPUT_BULK_GROUP
	                   : !strcmp(action, "new_group") ? INPUT_BULK_NEW_GROUP
	                                                  : INPUT_BULK_HIDE;
	int64_t arg = op == INPUT_BULK_THEME ? form_int(q, "theme")
	              : op == INPUT_BULK_GROUP ? form_int(q, "group") : 0;
	if (op == INPUT_BULK_THEME) {
		bool ok = false;
		for (size_t t = 0; t < p.nthemes && !ok; t++)
			ok = p.themes[t].id == arg;
		if (!ok) {
			form_fail(q, "theme", "Choose one of the themes.");
			form_reshow(q);
			return;
		}
	}
	if (op == INPUT_BULK_GROUP) {
		input_group g;
		store_rc grc = input_store_group_get(q->app->db, q->a, arg, &g);
		if (grc != STORE_OK || g.plan_id != p.id) {
			form_fail(q, "group", grc == STORE_OK
			                              ? "This group belongs to another plan: a group holds input of one plan."
			                              : "Choose one of the groups.");
			form_reshow(q);
			return;
		}
	}
	input_refusal why = INPUT_OK;
	int64_t group = 0;
	store_rc rc = input_store_bulk(q->app->db, p.id, ids, n, op, form_text(q, "status"), arg,
	                               form_text(q, "title"), q->me->id, &group, &why);
	if (rc == STORE_INVALID || rc == STORE_NOTFOUND) {
		form_fail(q, "item", why == INPUT_OTHER_PLAN
		                  ? "Something you chose belongs to another plan: one plan's input stays together."
		                  : "Something you chose does not exist (any more). Reload the page and try again.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (op == INPUT_BULK_NEW_GROUP && group) {
		input_go(q, arena_printf(q->a, "/input/groups/%lld", (long long)group), "input_bulk");
		return;
	}
	/* Back to the same view: the filters came along as a hidden field. */
	const char *fq = http_form(q->r, "filters");
	bool fq_ok = fq && *fq && text_utf8_len(fq) < 600 && !text_has_control(fq, false) &&
	             !strchr(fq, '#');
	input_go(q, arena_printf(q->a, "/input/plans/%lld/inbox%s%s", (long long)p.id,
	                             fq_ok ? "?" : "", fq_ok ? fq : ""),
	             "input_bulk");
}
