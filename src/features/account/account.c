/* accounts.c — signing up, in and out, the account page and changing the
 * password. Messages never tell whether an e-mail address has an account;
 * sign-in is rate-limited per IP address and per account.
 */
#include <string.h>

#include "../../util/text.h"
#include "account.h"

static const form_field signup_fields[] = {
	{ "name", F_TEXT, true, 100, NULL },
	{ "email", F_EMAIL, true, 254, NULL },
	{ "password", F_PASSWORD, true, 200, NULL },
};
static const form_field signin_fields[] = {
	{ "email", F_TEXT, true, 254, NULL },
	{ "password", F_PASSWORD, true, 200, NULL },
};
static const form_field password_fields[] = {
	{ "current_password", F_PASSWORD, true, 200, NULL },
	{ "new_password", F_PASSWORD, true, 200, NULL },
};
#define NF(a) (sizeof a / sizeof *a)
enum { PASSWORD_MIN = 10 };

/* Only local paths: never send a person to another site after sign-in. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strpbrk(next, "\r\n"))
		return "/";
	return next;
}

static bool ip_allowed(app_req *q, const char *what)
{
	char key[128];
	snprintf(key, sizeof key, "%s-ip:%s", what, q->r->client_ip);
	return ratelimit_hit(key, q->app->cfg.ip_limit, 600);
}

static void form_page(app_req *q, int status, const char *tpl, const char *title, json_t *v,
                      json_t *e)
{
	json_t *m = json_pack("{s:s,s:o,s:o}", "title", app_t(q, title), "form",
	                      v ? v : json_object(), "errors", e ? e : json_object());
	const char *next = http_query(q->r, "next");
	if (!next)
		next = http_form(q->r, "next");
	json_object_set_new(m, "next", json_string(safe_next(next)));
	app_page(q, status, tpl, m);
}

static void too_many(app_req *q)
{
	app_error(q, 429, "Too many attempts. Wait a quarter of an hour and try again.");
}

static void account_signup(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		form_page(q, 200, "account_signup", "Create an account", NULL, NULL);
		return;
	}
	if (!ip_allowed(q, "signup")) {
		too_many(q);
		return;
	}
	json_t *v, *e;
	form_check(q, signup_fields, NF(signup_fields), &v, &e);
	const char *pw = http_form(q->r, "password");
	if (!json_object_get(e, "password") && text_utf8_len(pw) < PASSWORD_MIN)
		form_error(q, e, "password", "Choose a password of at least 10 characters.");
	if (json_object_size(e)) {
		form_page(q, 422, "account_signup", "Create an account", v, e);
		return;
	}
	char *email = arena_strdup(q->a, form_str(v, "email"));
	text_ascii_lower(email);
	char hash[128];
	if (auth_hash_password(pw, hash) != 0) {
		json_decref(v);
		json_decref(e);
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	int64_t id = 0;
	store_rc rc = store_user_create(q->app->db, email, form_str(v, "name"), hash,
	                                ROLE_PARTICIPANT, &id);
	if (rc == STORE_CONFLICT) {
		form_error(q, e, "email", "An account could not be made with this e-mail address. "
		                          "If it is yours, sign in instead.");
		form_page(q, 422, "account_signup", "Create an account", v, e);
		return;
	}
	json_decref(e);
	if (rc != STORE_OK || auth_sign_in(q, id) != 0) {
		json_decref(v);
		app_store_error(q, rc == STORE_OK ? STORE_ERROR : rc);
		return;
	}
	json_decref(v);
	app_redirect(q, safe_next(http_form(q->r, "next")), "welcome");
}

static void account_signin(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		form_page(q, 200, "account_signin", "Sign in", NULL, NULL);
		return;
	}
	if (!ip_allowed(q, "signin")) {
		too_many(q);
		return;
	}
	json_t *v, *e;
	form_check(q, signin_fields, NF(signin_fields), &v, &e);
	if (json_object_size(e)) {
		form_page(q, 422, "account_signin", "Sign in", v, e);
		return;
	}
	char *email = arena_strdup(q->a, form_str(v, "email"));
	text_ascii_lower(email);
	char key[300];
	snprintf(key, sizeof key, "signin-account:%s", email);
	/* Counts failures only: a locked account stays locked for everyone,
	 * right password or not, until the window passes. */
	if (!ratelimit_hit(key, q->app->cfg.account_limit, 900)) {
		json_decref(v);
		json_decref(e);
		too_many(q);
		return;
	}
	user u;
	store_rc rc = store_user_by_email(q->app->db, q->a, email, &u);
	const char *pw = http_form(q->r, "password");
	bool ok = rc == STORE_OK && auth_check_password(u.password_hash, pw);
	if (rc == STORE_NOTFOUND) {
		/* Spend the same time as a real check, so timing tells nothing. */
		static const char dummy[] =
			"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
			"9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
		auth_check_password(dummy, pw);
	} else if (rc != STORE_OK) {
		json_decref(v);
		json_decref(e);
		app_store_error(q, rc);
		return;
	}
	if (!ok) {
		form_error(q, e, "password", "The e-mail address or the password is not right.");
		form_page(q, 422, "account_signin", "Sign in", v, e);
		return;
	}
	/* Undo this attempt's count: only failures lock an account. */
	ratelimit_reset(key);
	json_decref(v);
	json_decref(e);
	if (auth_sign_in(q, u.id) != 0) {
		app_store_error(q, STORE_ERROR);
		return;
	}
	app_redirect(q, safe_next(http_form(q->r, "next")), "signed_in");
}

static void account_signout(app_req *q)
{
	auth_sign_out(q);
	app_redirect(q, "/", "signed_out");
}

static void account_page(app_req *q, int status, json_t *e)
{
	organisation *orgs;
	size_t n;
	store_rc rc = store_user_orgs(q->app->db, q->a, q->me->id, &orgs, &n);
	if (rc != STORE_OK) {
		json_decref(e);
		app_store_error(q, rc);
		return;
	}
	json_t *oj = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(oj, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)orgs[i].id, "name",
		                                    orgs[i].name, "sector", orgs[i].sector));
	json_t *m = json_pack("{s:s,s:{s:I,s:s,s:s,s:s},s:o,s:o}", "title", app_t(q, "Your account"),
	                      "account", "id", (json_int_t)q->me->id, "name", q->me->name, "email",
	                      q->me->email, "role", role_name(q->me->role), "organisations", oj,
	                      "errors", e ? e : json_object());
	app_sections(q, "account", q->me->id, m);
	app_page(q, status, "account_show", m);
}

static void account_show(app_req *q)
{
	account_page(q, 200, NULL);
}

static void account_password(app_req *q)
{
	json_t *v, *e;
	form_check(q, password_fields, NF(password_fields), &v, &e);
	json_decref(v);
	const char *cur = http_form(q->r, "current_password");
	const char *nw = http_form(q->r, "new_password");
	if (!json_object_get(e, "new_password") && text_utf8_len(nw) < PASSWORD_MIN)
		form_error(q, e, "new_password", "Choose a password of at least 10 characters.");
	if (!json_object_get(e, "current_password") && !auth_check_password(q->me->password_hash, cur))
		form_error(q, e, "current_password", "This is not your current password.");
	if (json_object_size(e)) {
		account_page(q, 422, e);
		return;
	}
	json_decref(e);
	char hash[128];
	if (auth_hash_password(nw, hash) != 0) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	store_rc rc = store_user_set_password(q->app->db, q->me->id, hash);
	if (rc == STORE_OK)
		rc = store_session_delete_user(q->app->db, q->me->id, q->session_hash);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/account", "password");
}

/* ---- the feature ---- */

static const app_route routes[] = {
	{ HTTP_GET | HTTP_POST, "/signup", account_signup, ROLE_PARTICIPANT, true, R_CSRF },
	{ HTTP_GET | HTTP_POST, "/signin", account_signin, ROLE_PARTICIPANT, true, R_CSRF },
	{ HTTP_POST, "/signout", account_signout, ROLE_PARTICIPANT, true, R_CSRF },
	{ HTTP_GET, "/account", account_show, ROLE_PARTICIPANT, false, 0 },
	{ HTTP_POST, "/account/password", account_password, ROLE_PARTICIPANT, false, R_CSRF },
};

const app_feature account_feature = {
	.name = "account",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
};
