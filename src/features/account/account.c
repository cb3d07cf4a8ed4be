/* account.c — signing up, in and out, the account page and changing the
 * password. Messages never tell whether an e-mail address has an account;
 * sign-in is rate-limited per IP address and per account.
 */
#include <string.h>

#include "../../util/text.h"
#include "account.h"

enum { PASSWORD_MIN = 10 };

static const char *password_ok(app_req *q, const char *pw)
{
	(void)q;
	return text_utf8_len(pw) < PASSWORD_MIN ? "Choose a password of at least 10 characters."
	                                        : NULL;
}

static void signup_reshow(app_req *q);
static void signin_reshow(app_req *q);
static void password_reshow(app_req *q);
static bool signup_allowed(app_req *q);
static bool signin_allowed(app_req *q);

static const form_field signup_fields[] = {
	{ "name", F_TEXT, true, 100, .label = "Your name", .autocomplete = "name" },
	{ "email", F_EMAIL, true, 254, .label = "E-mail address", .autocomplete = "email" },
	{ "password", F_PASSWORD, true, 200, .label = "Password", .help = "At least 10 characters.",
	  .check = password_ok, .autocomplete = "new-password" },
};
static const form_field signin_fields[] = {
	{ "email", F_EMAIL, true, 254, .label = "E-mail address", .autocomplete = "username" },
	{ "password", F_PASSWORD, true, 200, .label = "Password", .autocomplete = "current-password" },
};
static const form_field password_fields[] = {
	{ "current_password", F_PASSWORD, true, 200, .label = "Current password",
	  .autocomplete = "current-password" },
	{ "new_password", F_PASSWORD, true, 200, .label = "New password",
	  .help = "At least 10 characters.", .check = password_ok, .autocomplete = "new-password" },
};
static const form_def signup_form =
	FORM_DEF_GUARDED("signup", signup_fields, NULL, signup_reshow, signup_allowed);
static const form_def signin_form =
	FORM_DEF_GUARDED("signin", signin_fields, NULL, signin_reshow, signin_allowed);
static const form_def password_form = FORM_DEF("password", password_fields, NULL, password_reshow);

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

static void form_page(app_req *q, int status, const char *tpl, const char *title,
                      const form_def *def)
{
	json_t *m = json_pack("{s:s,s:o}", "title", app_t(q, title), "form",
	                      form_view(q, def, "", NULL, true));
	const char *next = http_query(q->r, "next");
	if (!next)
		next = http_form(q->r, "next");
	json_object_set_new(m, "next", json_string(safe_next(next)));
	app_page(q, status, tpl, m);
}

static void signup_reshow(app_req *q)
{
	form_page(q, 422, "account_signup", "Create an account", &signup_form);
}

static void signin_reshow(app_req *q)
{
	form_page(q, 422, "account_signin", "Sign in", &signin_form);
}

static void too_many(app_req *q)
{
	app_error(q, 429, "Too many attempts. Wait a quarter of an hour and try again.");
}

/* Every attempt from an address counts, even a malformed one. */
static bool signup_allowed(app_req *q)
{
	if (ip_allowed(q, "signup"))
		return true;
	too_many(q);
	return false;
}

static bool signin_allowed(app_req *q)
{
	if (ip_allowed(q, "signin"))
		return true;
	too_many(q);
	return false;
}

static void account_signup(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		form_page(q, 200, "account_signup", "Create an account", &signup_form);
		return;
	}
	char *email = arena_strdup(q->a, form_text(q, "email"));
	if (!email) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	text_ascii_lower(email);
	char hash[128];
	if (auth_hash_password(form_text(q, "password"), hash) != 0) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	int64_t id = 0;
	store_rc rc = store_user_create(q->app->db, email, form_text(q, "name"), hash,
	                                ROLE_PARTICIPANT, &id);
	if (rc == STORE_CONFLICT) {
		form_fail(q, "email", "An account could not be made with this e-mail address. "
		                      "If it is yours, sign in instead.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK || auth_sign_in(q, id) != 0) {
		app_store_error(q, rc == STORE_OK ? STORE_ERROR : rc);
		return;
	}
	app_redirect(q, safe_next(http_form(q->r, "next")), "welcome");
}

static void account_signin(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		form_page(q, 200, "account_signin", "Sign in", &signin_form);
		return;
	}
	char *email = arena_strdup(q->a, form_text(q, "email"));
	if (!email) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	text_ascii_lower(email);
	char key[300];
	snprintf(key, sizeof key, "signin-account:%s", email);
	/* Counts failures only: a locked account stays locked for everyone,
	 * right password or not, until the window passes. */
	if (!ratelimit_hit(key, q->app->cfg.account_limit, 900)) {
		too_many(q);
		return;
	}
	user u;
	store_rc rc = store_user_by_email(q->app->db, q->a, email, &u);
	const char *pw = form_text(q, "password");
	bool ok = rc == STORE_OK && auth_check_password(u.password_hash, pw);
	if (rc == STORE_NOTFOUND) {
		/* Spend the same time as a real check, so timing tells nothing. */
		static const char dummy[] =
			"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
			"9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
		auth_check_password(dummy, pw);
	} else if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (!ok) {
		form_fail(q, "password", "The e-mail address or the password is not right.");
		form_reshow(q);
		return;
	}
	/* Undo this attempt's count: only failures lock an account. */
	ratelimit_reset(key);
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

static void account_page(app_req *q, int status)
{
	organisation *orgs;
	size_t n;
	store_rc rc = store_user_orgs(q->app->db, q->a, q->me->id, &orgs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *oj = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(oj, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)orgs[i].id, "name",
		                                    orgs[i].name, "sector", orgs[i].sector));
	json_t *m = json_pack("{s:{s:I,s:s,s:s,s:s},s:o}", "account", "id", (json_int_t)q->me->id,
	                      "name", q->me->name, "email", q->me->email, "role",
	                      role_name(q->me->role), "organisations", oj);
	app_sections(q, "account", q->me->id, m);
	if (!q->want_json) {
		json_object_set_new(m, "title", json_string(app_t(q, "Your account")));
		json_object_set_new(m, "password_form", form_view(q, &password_form, "", NULL, true));
	}
	app_page(q, status, "account_show", m);
}

static void account_show(app_req *q)
{
	account_page(q, 200);
}

static void password_reshow(app_req *q)
{
	account_page(q, 422);
}

static void account_password(app_req *q)
{
	if (!auth_check_password(q->me->password_hash, form_text(q, "current_password"))) {
		form_fail(q, "current_password", "This is not your current password.");
		form_reshow(q);
		return;
	}
	char hash[128];
	if (auth_hash_password(form_text(q, "new_password"), hash) != 0) {
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
	{ HTTP_GET | HTTP_POST, "/signup", account_signup, ROLE_PARTICIPANT, true, R_CSRF, &signup_form },
	{ HTTP_GET | HTTP_POST, "/signin", account_signin, ROLE_PARTICIPANT, true, R_CSRF, &signin_form },
	{ HTTP_POST, "/signout", account_signout, ROLE_PARTICIPANT, true, R_CSRF },
	{ HTTP_GET, "/account", account_show, ROLE_PARTICIPANT, false, 0 },
	{ HTTP_POST, "/account/password", account_password, ROLE_PARTICIPANT, false, R_CSRF, &password_form },
};

const app_feature account_feature = {
	.name = "account",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
};
