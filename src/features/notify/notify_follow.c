/* notify_follow.c — following: the follow button that the notify feature
 * adds to the pages of what can be followed (the plan page, with its
 * themes; an action point; a session — each page calls
 * app_sections(q, "<type>", id, model)), the POST that follows or stops,
 * and the list of what a person follows on their account page. People
 * also follow automatically what they took part in (store_follow_auto);
 * they stop here like from anything else.
 */
#include <string.h>

#include "../../util/text.h"
#include "notify_pages.h"

static const char *const types[] = { "plan", "theme", "action", "session", "consultation", NULL };
static const form_field follow_fields[] = {
	{ "type", F_CHOICE, true, 20, types, .label = "What to follow" },
	{ "id", F_ID, true, 20, .label = "What to follow" },
	{ "follow", F_BOOL, false, 1, .label = "Follow" },
	{ "next", F_TEXT, false, 300, .label = "Back to" },
};
/* The follow button is a form of hidden fields: when they are wrong, the
 * page says so (a JSON client gets the message per field). */
static void follow_reshow(app_req *q)
{
	json_t *m = json_pack("{s:i,s:s,s:s,s:s}", "status", 422, "title",
	                      app_t(q, "This request could not be read"), "heading",
	                      app_t(q, "This request could not be read"), "message",
	                      app_t(q, "This cannot be followed. Go back to the page and try again."));
	app_page(q, 422, "error", m);
}
const form_def notify_follow_form = FORM_DEF("follow", follow_fields, NULL, follow_reshow);

static const char *safe_next(const char *next, const char *fallback)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strpbrk(next, "\r\n"))
		return fallback;
	return next;
}

/* POST /follow: follow (follow=1) or stop following an object. */
void notify_follow_post(app_req *q)
{
	const char *type = form_text(q, "type");
	int64_t id = form_int(q, "id");
	bool on = form_bool(q, "follow");
	const char *title;
	store_rc rc = notify_store_object(q->app->db, q->a, type, id, &title);
	if (rc == STORE_OK)
		rc = store_follow_set(q->app->db, q->me->id, type, id, on);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, safe_next(form_text(q, "next"), "/account#following"),
	             on ? "following" : "unfollowed");
}

/* One follow button's data. */
static json_t *button(app_req *q, const char *type, int64_t id, const char *title)
{
	bool on = false;
	if (q->me && store_follows(q->app->db, q->me->id, type, id, &on) != STORE_OK)
		return NULL;
	return json_pack("{s:s,s:I,s:s,s:b,s:b,s:s}", "type", type, "id", (json_int_t)id, "title",
	                 title, "following", on, "signed_in", q->me != NULL, "next", q->r->path);
}

/* The plan page's section: a way to the page where a person follows the
 * plan and its themes. The plan page is cached per role (R_CACHE), so the
 * section says nothing about the visitor and holds no form. */
json_t *notify_plan_section(app_req *q, int64_t plan_id)
{
	if (q->want_json)
		return NULL;
	return json_pack("{s:s,s:I}", "type", "plan", "id", (json_int_t)plan_id);
}

/* GET /follow/plan/{id}: follow the plan, and each of its themes. */
void notify_follow_plan_page(app_req *q)
{
	plan p;
	store_rc rc = store_plan_get(q->app->db, q->a, app_param_id(q, "id"), &p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *pb = button(q, "plan", p.id, p.title);
	json_t *themes = json_array();
	for (size_t i = 0; pb && i < p.nthemes; i++) {
		json_t *t = button(q, "theme", p.themes[i].id, p.themes[i].name);
		if (t)
			json_array_append_new(themes, t);
	}
	json_t *m = pb ? json_pack("{s:s,s:o,s:o,s:I}", "title", app_t(q, "Stay informed"), "plan", pb,
	                           "themes", themes, "plan_id", (json_int_t)p.id)
	               : NULL;
	if (!m)
		json_decref(themes);
	app_page(q, 200, "notify_follow_plan_page", m);
}

static json_t *object_section(app_req *q, const char *type, int64_t id)
{
	if (q->want_json)
		return NULL;
	const char *title;
	if (notify_store_object(q->app->db, q->a, type, id, &title) != STORE_OK)
		return NULL;
	return button(q, type, id, title);
}

json_t *notify_action_section(app_req *q, int64_t id)
{
	return object_section(q, "action", id);
}

json_t *notify_session_section(app_req *q, int64_t id)
{
	return object_section(q, "session", id);
}

static const char *object_url(arena *a, const char *type, int64_t id)
{
	if (!strcmp(type, "plan"))
		return arena_printf(a, "/plans/%lld", (long long)id);
	if (!strcmp(type, "action"))
		return arena_printf(a, "/actions/%lld", (long long)id);
	if (!strcmp(type, "consultation"))
		return arena_printf(a, "/consultations/%lld", (long long)id);
	if (!strcmp(type, "session"))
		return arena_printf(a, "/sessions/%lld", (long long)id);
	if (!strcmp(type, "theme"))
		return arena_printf(a, "/actions?theme=%lld", (long long)id);
	return "";
}

static const char *type_label(const char *type)
{
	static const char *const labels[][2] = {
		{ "plan", "Plan" }, { "theme", "Theme" }, { "action", "Action point" },
		{ "session", "Session" }, { "consultation", "Consultation" },
	};
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (!strcmp(type, labels[i][0]))
			return labels[i][1];
	return type;
}

/* The account page's section: what the person follows, each with a way
 * out. */
json_t *notify_account_section(app_req *q, int64_t user_id)
{
	notify_follow *fs;
	size_t n;
	if (notify_store_follows(q->app->db, q->a, user_id, &fs, &n) != STORE_OK)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		if (!*fs[i].title)
			continue; /* the object is gone (a deleted draft) */
		json_t *o = json_pack("{s:s,s:I,s:s,s:b}", "type", fs[i].object_type, "id",
		                      (json_int_t)fs[i].object_id, "title", fs[i].title, "automatic",
		                      fs[i].automatic);
		if (!q->want_json) {
			json_object_set_new(o, "type_label", json_string(app_t(q, type_label(fs[i].object_type))));
			json_object_set_new(o, "url", json_string(object_url(q->a, fs[i].object_type,
			                                                     fs[i].object_id)));
		}
		json_array_append_new(list, o);
	}
	return list;
}
