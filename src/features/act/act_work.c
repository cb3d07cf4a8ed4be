/* act_work.c — the holder's work on an action point: milestones (add,
 * change, mark done, remove) and progress updates, by the contact persons
 * of its holders and by organisers. The forms are tables checked before
 * the handler; the handler checks that the person holds this action point
 * (the route table only knows they are signed in). A progress update
 * tells the other holders' contact persons (act_store_update_add).
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "act.h"

static void milestone_check(app_req *q);
static void update_check(app_req *q);
static const char *evidence_ok(app_req *q, const char *v);

/* A failed form comes back on the action point page. */
static void work_reshow(app_req *q)
{
	act_render(q, 422, app_param_id(q, "id"), "act_show");
}

static const form_field milestone_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Title" },
	{ "output", F_MULTILINE, false, 2000, .label = "Expected output" },
	{ "due_on", F_DATE, true, 10, .label = "Due date" },
	{ "done_on", F_DATE, false, 10, .label = "Date done",
	  .help = "Leave empty while it is not done." },
};
static const form_field update_fields[] = {
	{ "posted_on", F_DATE, true, 10, .label = "Date" },
	{ "percent", F_INT, true, 100, .min = 0, .label = "Percent complete" },
	{ "body", F_MULTILINE, true, 10000, .label = "What happened",
	  .help = "You may use Markdown: **bold**, *italic*, lists with - and links like "
	          "[text](https://example.nl)." },
	{ "evidence_url", F_URL, false, 500, .label = "Evidence link (optional)",
	  .help = "A web address that starts with http:// or https://.", .check = evidence_ok,
	  .message = "Fill in a web address that starts with http:// or https://." },
};
const form_def act_milestone_new_form = FORM_DEF("new-milestone", milestone_fields,
                                                 milestone_check, work_reshow);
const form_def act_milestone_form = FORM_DEF("milestone", milestone_fields, milestone_check,
                                             work_reshow);
const form_def act_update_form = FORM_DEF("update", update_fields, update_check, work_reshow);

static const char *evidence_ok(app_req *q, const char *v)
{
	(void)q;
	return act_url_ok(v) ? NULL : "Fill in a web address that starts with http:// or https://.";
}

/* A due date inside the action point's period; done not in the future. */
static void milestone_check(app_req *q)
{
	act_point p;
	int64_t id = app_param_id(q, "id");
	if (!id || act_store_get(q->app->db, q->a, id, &p) != STORE_OK)
		return; /* the handler answers 404 */
	if (!act_date_within(form_text(q, "due_on"), p.starts_on, p.ends_on))
		form_fail(q, "due_on", "Choose a due date within the period of the action point.");
	int d;
	if (text_parse_date(form_text(q, "done_on"), &d) && d > act_today())
		form_fail(q, "done_on", "The date done cannot be in the future.");
}

static void update_check(app_req *q)
{
	int d;
	if (text_parse_date(form_text(q, "posted_on"), &d) && d > act_today())
		form_fail(q, "posted_on", "The date cannot be in the future.");
}

/* Loads the action point and checks that the signed-in person may work on
 * it; answers 404/403/409 itself. */
static bool load_work(app_req *q, act_point *p)
{
	if (!act_load(q, p))
		return false;
	if (p->archived_at) {
		app_error(q, 409, "This action point is archived: it can be read, not changed. "
		                  "An organiser can restore it.");
		return false;
	}
	if (!act_can_work(q, p)) {
		app_error(q, 403, "Only the holders of this action point and organisers may do this.");
		return false;
	}
	return true;
}

static void done(app_req *q, int64_t id, store_rc rc, const char *where, const char *flash)
{
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, id, where, flash);
}

void act_work_forms(app_req *q, json_t *m, json_t *point, const act_point *p, int today)
{
	int64_t posted = app_param_id(q, "mid");
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(point, "milestones"), i, o) {
		int64_t id = (int64_t)json_integer_value(json_object_get(o, "id"));
		json_t *v = json_pack("{s:O,s:O,s:O,s:O}", "title", json_object_get(o, "title"),
		                      "output", json_object_get(o, "output"), "due_on",
		                      json_object_get(o, "due_on"), "done_on",
		                      json_object_get(o, "done_on"));
		json_object_set_new(o, "edit", form_view(q, &act_milestone_form,
		                                         arena_printf(q->a, "ms-%lld", (long long)id),
		                                         v, id == posted));
	}
	json_object_set_new(m, "new_milestone", form_view(q, &act_milestone_new_form, "new-ms",
	                                                  NULL, true));
	char day[16];
	snprintf(day, sizeof day, "%04d-%02d-%02d", today / 10000, today / 100 % 100, today % 100);
	int progress = act_progress(p->status, p->percent, p->milestones, p->milestones_done);
	json_object_set_new(m, "new_update", form_view(q, &act_update_form, "upd",
	                                               json_pack("{s:s,s:i}", "posted_on", day,
	                                                         "percent", progress), true));
}

void act_milestone_add(app_req *q)
{
	act_point p;
	if (!load_work(q, &p))
		return;
	act_milestone m = { .action_id = p.id, .title = form_text(q, "title"),
		            .output = form_text(q, "output"), .due_on = form_text(q, "due_on"),
		            .done_on = form_text(q, "done_on") };
	done(q, p.id, act_store_milestone_add(q->app->db, &m, q->me->id, NULL), "#milestones",
	     "act_ms_added");
}

void act_milestone_update(app_req *q)
{
	act_point p;
	if (!load_work(q, &p))
		return;
	act_milestone m = { .id = app_param_id(q, "mid"), .action_id = p.id,
		            .title = form_text(q, "title"), .output = form_text(q, "output"),
		            .due_on = form_text(q, "due_on"), .done_on = form_text(q, "done_on") };
	done(q, p.id, m.id ? act_store_milestone_update(q->app->db, &m, q->me->id) : STORE_NOTFOUND,
	     "#milestones", "act_ms_saved");
}

void act_milestone_delete(app_req *q)
{
	act_point p;
	if (!load_work(q, &p))
		return;
	int64_t mid = app_param_id(q, "mid");
	done(q, p.id, mid ? act_store_milestone_delete(q->app->db, p.id, mid, q->me->id)
	                  : STORE_NOTFOUND,
	     "#milestones", "act_ms_removed");
}

void act_update_add(app_req *q)
{
	act_point p;
	if (!load_work(q, &p))
		return;
	act_update u = { .action_id = p.id, .posted_on = form_text(q, "posted_on"),
		         .body = form_text(q, "body"), .evidence_url = form_text(q, "evidence_url"),
		         .percent = (int)form_int(q, "percent") };
	done(q, p.id, act_store_update_add(q->app->db, &u, q->me->id, NULL), "#updates",
	     "act_update_posted");
}
