/* notify.c — the notify feature's descriptor, and the list of a person's
 * notifications (newest first, in pages of 50), as a page and as JSON, and
 * marking them read. Each text is the event's msgid (for a follower its
 * follower text) translated into the reader's language with the subject
 * filled in; the link goes where the change happened. Following is in
 * notify_follow.c, e-mail settings and unsubscribing in notify_settings.c.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "notify.h"
#include "notify_pages.h"

enum { PAGE = 50 };

static const form_field read_fields[] = {
	{ "upto", F_ID, true, 20, .label = "Notifications" },
};
static void notify_list(app_req *q);
static const form_def read_form = FORM_DEF("read", read_fields, NULL, notify_list);

/* When it happened, in Amsterdam time (web/date.c). */
static const char *when(app_req *q, int64_t t)
{
	return web_datetime(q->a, q->lang, t);
}

/* The text of a notification in the reader's language. */
static const char *text_of(app_req *q, const store_notification *n)
{
	const char *fmt = app_t(q, n->msgid);
	const char *pct = strstr(fmt, "%s");
	if (!pct || strchr(pct + 2, '%'))
		return fmt; /* no subject, or a text we will not format */
	const char *t = arena_printf(q->a, "%.*s%s%s", (int)(pct - fmt), fmt, n->subject, pct + 2);
	return t ? t : fmt;
}

static void notify_list(app_req *q)
{
	int64_t before = 0;
	long long v;
	const char *b = http_query(q->r, "before");
	if (b && text_parse_int(b, 1, INT64_MAX, &v))
		before = (int64_t)v;
	store_notification *ns;
	size_t n;
	store_rc rc = store_notifications(q->app->db, q->a, q->me->id, before, PAGE, &ns, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:I,s:b}", "id", (json_int_t)ns[i].id, "kind",
		                      ns[i].kind, "text", text_of(q, &ns[i]), "url", ns[i].url,
		                      "created_at", (json_int_t)ns[i].created_at, "read", ns[i].read);
		if (!q->want_json)
			json_object_set_new(o, "when", json_string(when(q, ns[i].created_at)));
		json_array_append_new(list, o);
	}
	json_t *m = json_pack("{s:o}", "notifications", list);
	if (!q->want_json)
		json_object_set_new(m, "title", json_string(app_t(q, "Notifications")));
	if (n)
		json_object_set_new(m, "upto", json_integer((json_int_t)ns[0].id));
	if (n == PAGE)
		json_object_set_new(m, "older", json_integer((json_int_t)ns[n - 1].id));
	app_page(q, form_failed(q) ? 422 : 200, "notify_list", m);
}

/* POST /notifications/read: everything up to the newest shown is read. */
static void notify_read(app_req *q)
{
	store_rc rc = store_notifications_read(q->app->db, q->me->id, form_int(q, "upto"));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/notifications", "notifications_read");
}

/* ---- a person's own data ("mydata" section): notifications, follows,
 * e-mail preferences ---- */
static json_t *mydata_section(app_req *q, int64_t user_id)
{
	json_t *notes = json_array(), *prefs = json_object();
	int64_t before = 0;
	for (;;) {
		store_notification *ns;
		size_t n;
		if (store_notifications(q->app->db, q->a, user_id, before, 500, &ns, &n) != STORE_OK)
			goto fail;
		for (size_t i = 0; i < n; i++)
			json_array_append_new(notes, json_pack("{s:I,s:s,s:s,s:s,s:I,s:b}", "id",
			                                       (json_int_t)ns[i].id, "kind", ns[i].kind, "text",
			                                       text_of(q, &ns[i]), "url", ns[i].url,
			                                       "created_at", (json_int_t)ns[i].created_at,
			                                       "read", ns[i].read));
		if (n < 500)
			break;
		before = ns[n - 1].id;
	}
	for (size_t i = 0; i < notify_nkinds; i++) {
		const char *mail;
		if (notify_store_pref_get(q->app->db, q->a, user_id, notify_kinds[i].prefix, &mail) != STORE_OK)
			goto fail;
		if (*mail)
			json_object_set_new(prefs, notify_kinds[i].prefix, json_string(mail));
	}
	json_t *following = notify_account_section(q, user_id);
	if (!following)
		goto fail;
	return json_pack("{s:o,s:o,s:o}", "notifications", notes, "following", following,
	                 "email_preferences", prefs);
fail:
	json_decref(notes);
	json_decref(prefs);
	return NULL;
}

static const app_route routes[] = {
	{ HTTP_GET, "/notifications", notify_list, ROLE_PARTICIPANT, false, 0 },
	{ HTTP_GET, "/api/v1/notifications", notify_list, ROLE_PARTICIPANT, false, R_API },
	{ HTTP_POST, "/notifications/read", notify_read, ROLE_PARTICIPANT, false, R_CSRF, &read_form },
	{ HTTP_GET, "/notifications/settings", notify_settings, ROLE_PARTICIPANT, false, 0 },
	{ HTTP_POST, "/notifications/settings", notify_settings_post, ROLE_PARTICIPANT, false, R_CSRF,
	  &notify_settings_form },
	/* One-click (RFC 8058): the mail program posts without a session or
	 * CSRF token; the signed link is the authority. */
	{ HTTP_GET | HTTP_POST, "/notifications/unsubscribe", notify_unsubscribe, ROLE_PARTICIPANT,
	  true, 0 },
	{ HTTP_POST, "/follow", notify_follow_post, ROLE_PARTICIPANT, false, R_CSRF,
	  &notify_follow_form },
	{ HTTP_GET, "/follow/plan/{id}", notify_follow_plan_page, ROLE_PARTICIPANT, false, 0 },
};

static const app_section sections[] = {
	{ "plan", "follow", "notify_follow_plan", notify_plan_section },
	{ "action", "follow", "notify_follow", notify_action_section },
	{ "session", "follow", "notify_follow", notify_session_section },
	{ "account", "following", "notify_account_following", notify_account_section },
	{ "mydata", "notifications", NULL, mydata_section },
};

static const app_flash flashes[] = {
	{ "notifications_read", "Your notifications are marked as read." },
	{ "following", "You follow this now. You hear of what changes." },
	{ "unfollowed", "You no longer follow this." },
	{ "notify_settings", "Your e-mail settings are saved." },
};

const app_feature notify_feature = {
	.name = "notify",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
};
