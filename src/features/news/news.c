/* news.c — the newsletter feature's descriptor and its public side: the
 * archive of sent issues (page and JSON), one issue, subscribing with
 * only an e-mail address (double opt-in: a confirmation link by e-mail;
 * the answer is the same whether the address was new, pending or already
 * subscribed), confirming, and unsubscribing with one click (the signed
 * link in every issue; the mail program's one-click POST needs no session).
 * The organisers' side is news_admin.c.
 */
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "news.h"

enum { CONFIRM_TTL = 7 * 86400 };

static const char *email_ok(app_req *q, const char *v)
{
	(void)q;
	return mail_addr_valid(v) ? NULL
	                          : "This e-mail address cannot receive mail from us. Check it for typing errors.";
}

static void news_archive(app_req *q);
static bool subscribe_allowed(app_req *q);
static const form_field subscribe_fields[] = {
	{ "email", F_EMAIL, true, 254, .label = "E-mail address", .check = email_ok,
	  .autocomplete = "email" },
};
static const form_def subscribe_form =
	FORM_DEF_GUARDED("subscribe", subscribe_fields, NULL, news_archive, subscribe_allowed);

static const char *day(app_req *q, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	char ymd[16];
	strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
	return app_date(q, ymd);
}

static json_t *issue_data(const news_issue *is)
{
	return json_pack("{s:I,s:s,s:I}", "id", (json_int_t)is->id, "subject", is->subject, "sent_at",
	                 (json_int_t)is->sent_at);
}

/* GET /news, /api/v1/newsletters: the sent issues and the subscribe form. */
static void news_archive(app_req *q)
{
	news_issue *is;
	size_t n;
	store_rc rc = news_store_issues(q->app->db, q->a, false, &is, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = issue_data(&is[i]);
		if (!q->want_json)
			json_object_set_new(o, "date", json_string(day(q, is[i].sent_at)));
		json_array_append_new(list, o);
	}
	json_t *m = json_pack("{s:o}", "newsletters", list);
	if (!q->want_json) {
		json_object_set_new(m, "title", json_string(app_t(q, "Newsletter")));
		json_object_set_new(m, "form", form_view(q, &subscribe_form, "sub", NULL, true));
		json_object_set_new(m, "organiser", json_boolean(q->me && q->me->role >= ROLE_ORGANISER));
	}
	app_page(q, form_failed(q) ? 422 : 200, "news_archive", m);
}

/* GET /news/{id}: a sent issue (organisers also see drafts here). */
static void news_issue_page(app_req *q)
{
	news_issue is;
	store_rc rc = news_store_issue_get(q->app->db, q->a, app_param_id(q, "id"), &is);
	bool organiser = q->me && q->me->role >= ROLE_ORGANISER;
	if (rc == STORE_OK && strcmp(is.status, "sent") && !organiser)
		rc = STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (q->want_json) {
		json_t *d = issue_data(&is);
		json_object_set_new(d, "body", json_string(is.body));
		app_json(q, 200, json_pack("{s:o}", "newsletter", d));
		return;
	}
	json_t *m = news_issue_model(&is, "");
	if (!m) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	json_object_set_new(m, "title", json_string(is.subject));
	json_object_set_new(m, "date", json_string(is.sent_at ? day(q, is.sent_at) : ""));
	json_object_set_new(m, "id", json_integer((json_int_t)is.id));
	app_page(q, 200, "news_issue", m);
}

static bool subscribe_allowed(app_req *q)
{
	char key[128];
	snprintf(key, sizeof key, "news-subscribe-ip:%s", q->r->client_ip);
	if (ratelimit_hit(key, q->app->cfg.ip_limit, 600))
		return true;
	app_error(q, 429, "Too many attempts. Wait a quarter of an hour and try again.");
	return false;
}

/* POST /news/subscribe: a pending subscription and a confirmation mail;
 * for an address already subscribed nothing changes. The same answer. */
static void news_subscribe(app_req *q)
{
	char *email = arena_strdup(q->a, form_text(q, "email"));
	char *token = auth_token(q->a);
	char *hash = token ? auth_token_hash(q->a, token) : NULL;
	if (!email || !hash) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	text_ascii_lower(email);
	bool active = false;
	int64_t id = 0;
	store *s = q->app->db;
	store_rc rc = store_begin(s);
	if (rc == STORE_OK)
		rc = news_store_subscribe(s, email, q->lang, hash, (int64_t)time(NULL) + CONFIRM_TTL,
		                          &active, &id);
	if (rc == STORE_OK && !active) {
		json_t *m = json_pack("{s:s}", "confirm",
		                      arena_printf(q->a, "%s/news/confirm/%s", mail_base_url(q->app), token));
		mail_out o = { .kind = "news.confirm", .to_addr = email, .lang = q->lang,
			       .subject = app_t(q, "Confirm your subscription to the openplan newsletter"),
			       .tpl = "news_mail_confirm", .model = m };
		rc = m ? mail_queue(q->app, s, &o) : STORE_ERROR;
		json_decref(m);
	}
	if (rc == STORE_OK)
		rc = store_commit(s);
	else
		store_rollback(s);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	mail_kick();
	app_redirect(q, "/news", "news_check_mail");
}

/* GET /news/confirm/{token}: a button (link scanners change nothing);
 * POST: subscribed. A used or expired link says so. */
static void news_confirm(app_req *q)
{
	const char *token = http_param(q->r, "token");
	char *hash = token && strlen(token) <= 64 ? auth_token_hash(q->a, token) : NULL;
	news_subscriber u;
	store_rc rc = hash ? news_store_pending(q->app->db, q->a, hash, &u) : STORE_NOTFOUND;
	if (rc == STORE_OK && u.confirm_expires < (int64_t)time(NULL))
		rc = STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) {
		app_error(q, 410, "This link has been used already or has expired. You may be subscribed already; if not, subscribe again and you get a new link.");
		return;
	}
	if (rc == STORE_OK && q->r->method == HTTP_POST)
		rc = news_store_confirm(q->app->db, u.id, (int64_t)time(NULL));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	bool done = q->r->method == HTTP_POST;
	json_t *m = json_pack("{s:s,s:b,s:s,s:s}", "title",
	                      app_t(q, done ? "You are subscribed" : "Confirm your subscription"),
	                      "done", done, "email", u.email, "token", token);
	app_page(q, 200, "news_confirm", m);
}

/* GET /news/unsubscribe?s=&m=: a button; POST: unsubscribed (also the mail
 * program's one-click POST). Twice says the same. */
static void news_unsubscribe(app_req *q)
{
	long long v;
	const char *sid = http_query(q->r, "s"), *mac = http_query(q->r, "m");
	char what[64];
	bool ok = sid && text_parse_int(sid, 1, INT64_MAX, &v);
	if (ok) {
		snprintf(what, sizeof what, "news-unsubscribe:%lld", v);
		ok = mail_mac_ok(what, mac);
	}
	if (!ok) {
		app_error(q, 404, "This link is not valid. Copy the whole link from the e-mail.");
		return;
	}
	bool done = q->r->method == HTTP_POST;
	if (done) {
		store_rc rc = news_store_unsubscribe(q->app->db, (int64_t)v, (int64_t)time(NULL));
		if (rc != STORE_OK) {
			app_store_error(q, rc);
			return;
		}
	}
	json_t *m = json_pack("{s:s,s:b,s:I,s:s}", "title",
	                      app_t(q, done ? "You are unsubscribed" : "Unsubscribe from the newsletter"),
	                      "done", done, "s", (json_int_t)v, "m", mac);
	app_page(q, 200, "news_unsubscribe", m);
}

/* A person's own data ("mydata"): a newsletter subscription of their
 * address. */
static json_t *news_mydata(app_req *q, int64_t user_id)
{
	(void)user_id; /* the address is the signed-in person's */
	news_subscriber u;
	store_rc rc = news_store_subscriber_by_email(q->app->db, q->a, q->me->email, &u);
	if (rc == STORE_NOTFOUND)
		return json_pack("{s:b}", "subscribed", false);
	if (rc != STORE_OK)
		return NULL;
	return json_pack("{s:b,s:s,s:s,s:s}", "subscribed", !strcmp(u.status, "active"), "status",
	                 u.status, "email", u.email, "language", u.lang);
}

static const app_section sections[] = {
	{ "mydata", "newsletter", NULL, news_mydata },
};

/* ---- the feature ---- */

static const app_route routes[] = {
	{ HTTP_GET, "/news", news_archive, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/newsletters", news_archive, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_POST, "/news/subscribe", news_subscribe, ROLE_PARTICIPANT, true, R_CSRF, &subscribe_form },
	{ HTTP_GET | HTTP_POST, "/news/confirm/{token}", news_confirm, ROLE_PARTICIPANT, true, R_CSRF },
	/* One-click (RFC 8058): no session, no CSRF token; the signed link is
	 * the authority, and it only ever unsubscribes. */
	{ HTTP_GET | HTTP_POST, "/news/unsubscribe", news_unsubscribe, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/news/issues", news_admin_list, ROLE_ORGANISER, false, 0 },
	{ HTTP_POST, "/news/issues", news_admin_create, ROLE_ORGANISER, false, R_CSRF, &news_new_form },
	{ HTTP_GET, "/news/issues/{id}", news_admin_show, ROLE_ORGANISER, false, 0 },
	{ HTTP_POST, "/news/issues/{id}", news_admin_save, ROLE_ORGANISER, false, R_CSRF, &news_issue_form },
	{ HTTP_POST, "/news/issues/{id}/test", news_admin_test, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/news/issues/{id}/send", news_admin_send, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_GET, "/news/{id}", news_issue_page, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/newsletters/{id}", news_issue_page, ROLE_PARTICIPANT, true, R_API },
};

static const app_flash flashes[] = {
	{ "news_check_mail", "Check your e-mail: follow the link in it to confirm your subscription." },
	{ "news_saved", "The newsletter is saved." },
	{ "news_test", "A test is on its way to your e-mail address." },
	{ "news_sending", "The newsletter is being sent. This page shows how far it is." },
};

const app_feature news_feature = {
	.name = "news",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.demo = news_demo,
};
