/* notify_settings.c — how a person hears of each kind of notification by
 * e-mail (at once, in a daily or weekly digest, or not at all; the
 * standard: at once when it is about them, daily when they follow it), and
 * the one-click way out that every notification e-mail carries
 * (List-Unsubscribe with List-Unsubscribe-Post, RFC 8058): a link signed
 * with the site's secret, so it works without signing in and cannot be
 * made for someone else.
 */
#include <string.h>

#include "../../util/text.h"
#include "../mail/mail.h"
#include "notify_pages.h"

const notify_kind notify_kinds[] = {
	{ "act.offer_", "Your offers to adopt an action point" },
	{ "act.", "Action points: progress, status and milestones" },
	{ "agenda.", "Sessions: registration, waiting list and changes" },
	{ "input.", "Your input: what is done with it" },
	{ "cons.", "Consultations" },
	{ "plan.", "Plans and themes: new sessions and consultations" },
};
const size_t notify_nkinds = sizeof notify_kinds / sizeof *notify_kinds;

const char *notify_category(const char *kind)
{
	const char *best = NULL;
	for (size_t i = 0; i < notify_nkinds; i++) {
		size_t l = strlen(notify_kinds[i].prefix);
		if (!strncmp(kind, notify_kinds[i].prefix, l) && (!best || l > strlen(best)))
			best = notify_kinds[i].prefix;
	}
	return best ? best : kind;
}

static const char *mac_input(arena *a, int64_t user_id, const char *kind)
{
	return arena_printf(a, "unsubscribe:%lld:%s", (long long)user_id, kind);
}

const char *notify_unsubscribe_url(arena *a, const char *base, int64_t user_id, const char *kind)
{
	const char *cat = strcmp(kind, "*") ? notify_category(kind) : "*";
	const char *what = mac_input(a, user_id, cat);
	if (!what)
		return NULL;
	char mac[33];
	mail_mac(what, mac);
	sb k;
	sb_init(&k);
	sb_urlenc(&k, cat);
	const char *url = arena_printf(a, "%s/notifications/unsubscribe?u=%lld&k=%s&m=%s", base,
	                               (long long)user_id, sb_str(&k), mac);
	sb_free(&k);
	return url;
}

/* ---- the settings page ---- */

static const char *const choices[] = { "standard", "now", "daily", "weekly", "none", NULL };
static const char *const choice_labels[] = {
	"Standard",
	"At once", "In the daily digest", "In the weekly digest", "No e-mail", NULL,
};
/* One field per kind in notify_kinds, in the same order. */
static const form_field settings_fields[] = {
	{ "k0", F_CHOICE, true, 10, choices, .choice_labels = choice_labels },
	{ "k1", F_CHOICE, true, 10, choices, .choice_labels = choice_labels },
	{ "k2", F_CHOICE, true, 10, choices, .choice_labels = choice_labels },
	{ "k3", F_CHOICE, true, 10, choices, .choice_labels = choice_labels },
	{ "k4", F_CHOICE, true, 10, choices, .choice_labels = choice_labels },
	{ "k5", F_CHOICE, true, 10, choices, .choice_labels = choice_labels },
};
_Static_assert(sizeof settings_fields / sizeof *settings_fields ==
               sizeof notify_kinds / sizeof *notify_kinds, "a field per kind");
void notify_settings(app_req *q);
const form_def notify_settings_form = FORM_DEF("settings", settings_fields, NULL, notify_settings);

void notify_settings(app_req *q)
{
	json_t *values = json_object(), *rows = json_array();
	for (size_t i = 0; i < notify_nkinds; i++) {
		const char *mail;
		store_rc rc = notify_store_pref_get(q->app->db, q->a, q->me->id, notify_kinds[i].prefix,
		                                    &mail);
		if (rc != STORE_OK) {
			json_decref(values);
			json_decref(rows);
			app_store_error(q, rc);
			return;
		}
		json_object_set_new(values, settings_fields[i].name, json_string(*mail ? mail : "standard"));
		json_array_append_new(rows, json_pack("{s:s,s:s,s:s}", "kind", notify_kinds[i].prefix,
		                                      "label", app_t(q, notify_kinds[i].label), "field",
		                                      settings_fields[i].name));
	}
	if (q->want_json && !form_failed(q)) {
		json_t *d = json_object();
		size_t i = 0;
		json_t *row;
		json_array_foreach(rows, i, row)
			json_object_set(d, json_string_value(json_object_get(row, "kind")),
			                json_object_get(values, settings_fields[i].name));
		json_decref(values);
		json_decref(rows);
		app_json(q, 200, json_pack("{s:o}", "mail", d));
		return;
	}
	json_t *form = form_view(q, &notify_settings_form, "ns", values, true);
	/* Each row carries its own field for the partial. */
	json_t *f = json_object_get(form, "f");
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		json_t *fld = json_object_get(f, settings_fields[i].name);
		if (fld) {
			json_object_set_new(fld, "label", json_string(json_string_value(json_object_get(row, "label"))));
			json_object_set(row, "f", fld);
		}
	}
	json_t *m = json_pack("{s:s,s:o,s:o,s:b}", "title", app_t(q, "E-mail about notifications"),
	                      "rows", rows, "form", form, "confirmed", true);
	app_page(q, form_failed(q) ? 422 : 200, "notify_settings", m);
}

void notify_settings_post(app_req *q)
{
	for (size_t i = 0; i < notify_nkinds; i++) {
		const char *v = form_text(q, settings_fields[i].name);
		store_rc rc = notify_store_pref_set(q->app->db, q->me->id, notify_kinds[i].prefix,
		                                    strcmp(v, "standard") ? v : "");
		if (rc != STORE_OK) {
			app_store_error(q, rc);
			return;
		}
	}
	app_redirect(q, "/notifications/settings", "notify_settings");
}

/* ---- one-click unsubscribe ---- */

typedef struct unsub { int64_t user_id; const char *kind, *mac; } unsub;

static bool unsub_read(app_req *q, unsub *u)
{
	long long v;
	const char *uid = http_query(q->r, "u");
	u->kind = http_query(q->r, "k");
	u->mac = http_query(q->r, "m");
	if (!uid || !text_parse_int(uid, 1, INT64_MAX, &v) || !u->kind || !u->mac ||
	    strlen(u->kind) > 40)
		return false;
	u->user_id = (int64_t)v;
	const char *what = mac_input(q->a, u->user_id, u->kind);
	return what && mail_mac_ok(what, u->mac);
}

static const char *kind_label(app_req *q, const char *kind)
{
	for (size_t i = 0; i < notify_nkinds; i++)
		if (!strcmp(kind, notify_kinds[i].prefix))
			return app_t(q, notify_kinds[i].label);
	return !strcmp(kind, "*") ? app_t(q, "All notifications") : kind;
}

/* GET: what the link would do, with a button (a mail scanner that follows
 * links changes nothing). POST: done — also the mail program's one-click
 * POST. Doing it twice says the same. */
void notify_unsubscribe(app_req *q)
{
	unsub u;
	if (!unsub_read(q, &u)) {
		app_error(q, 404, "This link is not valid. Copy the whole link from the e-mail, or change your e-mail settings after signing in.");
		return;
	}
	bool post = q->r->method == HTTP_POST;
	if (post) {
		store_rc rc = STORE_OK;
		if (!strcmp(u.kind, "*")) {
			rc = store_begin(q->app->db);
			for (size_t i = 0; rc == STORE_OK && i < notify_nkinds; i++)
				rc = notify_store_pref_set(q->app->db, u.user_id, notify_kinds[i].prefix, "none");
			if (rc == STORE_OK)
				rc = notify_store_pref_set(q->app->db, u.user_id, "", "none");
			if (rc == STORE_OK)
				rc = store_commit(q->app->db);
			else
				store_rollback(q->app->db);
		} else {
			rc = notify_store_pref_set(q->app->db, u.user_id, u.kind, "none");
		}
		/* A person erased since: nothing to turn off; the answer is the same. */
		if (rc == STORE_INVALID)
			rc = STORE_OK;
		if (rc != STORE_OK) {
			app_store_error(q, rc);
			return;
		}
	}
	json_t *m = json_pack("{s:s,s:b,s:s,s:s,s:I,s:s}", "title",
	                      app_t(q, post ? "You are unsubscribed" : "Unsubscribe"), "done", post,
	                      "kind_label", kind_label(q, u.kind), "kind", u.kind, "user",
	                      (json_int_t)u.user_id, "mac", u.mac);
	app_page(q, 200, "notify_unsubscribe", m);
}
