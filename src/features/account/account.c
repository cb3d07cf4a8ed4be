/* account.c — the account feature's descriptor; signing up, in and out,
 * the account page, the language of e-mails and changing the password.
 * Messages never tell whether an e-mail address has an account: sign-up
 * answers the same for a new and a known address (the known one's owner
 * gets a mail instead); sign-in is rate-limited per IP address and per
 * account, and an account whose address is not confirmed yet gets a new
 * confirmation link instead of a session. Links by e-mail are in
 * account_mail.c, a person's own data in account_data.c.
 */
#include <string.h>

#include "../../app/auth.h"
#include "../../util/text.h"
#include "../mail/mail.h"
#include "account.h"


static void signup_reshow(app_req *q);
static void signin_reshow(app_req *q);
static void password_reshow(app_req *q);
static bool signup_allowed(app_req *q);
static bool signin_allowed(app_req *q);
static bool password_allowed(app_req *q);

static const form_field signup_fields[] = {
	{ "name", F_TEXT, true, 100, .label = "Your name", .autocomplete = "name" },
	{ "email", F_EMAIL, true, 254, .label = "E-mail address", .autocomplete = "email",
	  .check = account_email_ok, .help = "We send a link to this address to confirm it." },
	{ "password", F_PASSWORD, true, 200, .label = "Password", .help = "At least 10 characters.",
	  .check = account_password_ok, .autocomplete = "new-password" },
};
static const form_field signin_fields[] = {
	{ "email", F_EMAIL, true, 254, .label = "E-mail address", .autocomplete = "username" },
	{ "password", F_PASSWORD, true, 200, .label = "Password", .autocomplete = "current-password" },
};
static const form_field password_fields[] = {
	{ "current_password", F_PASSWORD, true, 200, .label = "Current password",
	  .autocomplete = "current-password" },
	{ "new_password", F_PASSWORD, true, 200, .label = "New password",
	  .help = "At least 10 characters.", .check = account_password_ok, .autocomplete = "new-password" },
};
static const form_def signup_form =
	FORM_DEF_GUARDED("signup", signup_fields, NULL, signup_reshow, signup_allowed);
static const form_def signin_form =
	FORM_DEF_GUARDED("signin", signin_fields, NULL, signin_reshow, signin_allowed);
static const form_def password_form =
	FORM_DEF_GUARDED("password", password_fields, NULL, password_reshow, password_allowed);
static const char *const langs[] = { "nl", "en", NULL };
static const char *const lang_labels[] = { "Nederlands", "English", NULL };
static const form_field lang_fields[] = {
	{ "lang", F_CHOICE, true, 2, langs, .label = "Language of e-mails",
	  .choice_labels = lang_labels },
};
static const form_def lang_form = FORM_DEF("lang", lang_fields, NULL, password_reshow);

/* Only local paths: never send a person to another site after sign-in. */
static const char *safe_next(const char *next)
{
	return text_local_path(next);
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

/* Changing a password runs argon2id twice: a few tries per session and per
 * address per 10 minutes, so nobody can keep the hashing pool busy. */
static bool password_allowed(app_req *q)
{
	char key[160];
	snprintf(key, sizeof key, "pwchange-session:%.100s", q->session_hash ? q->session_hash : "");
	bool ok = ratelimit_hit(key, 5, 600);
	snprintf(key, sizeof key, "pwchange-ip:%s", q->r->client_ip);
	ok = ratelimit_hit(key, 20, 600) && ok;
	if (!ok)
		too_many(q);
	return ok;
}

static void busy(app_req *q)
{
	http_resp_header(q->r, q->s, "Retry-After", "5");
	app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
}

/* The owner of an address that someone tried to sign up with hears of it
 * (at most once an hour), with the way in: sign in or reset the password. */
static store_rc queue_exists(app_req *q, const char *email)
{
	char key[300];
	snprintf(key, sizeof key, "signup-exists:%s", email);
	user u;
	account_extra x;
	store_rc rc = store_user_by_email(q->app->db, q->a, email, &u);
	if (rc == STORE_OK)
		rc = account_store_extra(q->app->db, q->a, u.id, &x);
	if (rc != STORE_OK || !ratelimit_hit(key, 1, 3600))
		return rc;
	const char *base = mail_base_url(q->app);
	json_t *m = json_pack("{s:s,s:s,s:s}", "name", u.name, "signin",
	                      arena_printf(q->a, "%s/signin", base), "forgot",
	                      arena_printf(q->a, "%s/password/forgot", base));
	mail_out o = { .kind = "account.exists", .user_id = u.id, .to_addr = u.email,
		       .to_name = u.name, .lang = x.lang,
		       .subject = i18n_get(x.lang, "Someone tried to make an openplan account with your address"),
		       .tpl = "account_mail_exists", .model = m };
	rc = m ? mail_queue(q->app, q->app->db, &o) : STORE_ERROR;
	json_decref(m);
	return rc;
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
	/* The password is hashed either way: the answer takes as long. */
	char hash[128];
	if (auth_hash_try(form_text(q, "password"), hash) != AUTH_OK) {
		busy(q);
		return;
	}
	store *s = q->app->db;
	int64_t id = 0;
	store_rc rc = store_begin(s);
	if (rc == STORE_OK)
		rc = store_user_create(s, email, form_text(q, "name"), hash, ROLE_PARTICIPANT, &id);
	if (rc == STORE_OK) {
		user u = { .id = id, .email = email, .name = form_text(q, "name") };
		rc = account_store_unconfirmed(s, id, q->lang);
		if (rc == STORE_OK)
			rc = account_queue_confirm(q, &u, q->lang);
	} else if (rc == STORE_CONFLICT) {
		/* The address has an account: the same answer, and a mail to it. */
		store_rollback(s);
		rc = store_begin(s);
		if (rc == STORE_OK)
			rc = queue_exists(q, email);
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
	app_redirect(q, "/signup/sent", NULL);
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
	/* Guessing is slowed down per address and per account, but a right
	 * password from an address without failures always gets in: nobody
	 * can lock the owner out (auth.c, the sign-in throttle). */
	unsigned wait = auth_signin_allowed(email, q->r->client_ip);
	if (wait) {
		char secs[16];
		snprintf(secs, sizeof secs, "%u", wait);
		http_resp_header(q->r, q->s, "Retry-After", secs);
		too_many(q);
		return;
	}
	user u;
	store_rc rc = store_user_by_email(q->app->db, q->a, email, &u);
	const char *pw = form_text(q, "password");
	auth_rc v;
	if (rc == STORE_OK) {
		v = auth_verify_try(u.password_hash, pw);
	} else if (rc == STORE_NOTFOUND) {
		/* Spend the same time as a real check, so timing tells nothing. */
		static const char dummy[] =
			"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
			"9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
		v = auth_verify_try(dummy, pw);
		if (v != AUTH_BUSY)
			v = AUTH_WRONG;
	} else {
		app_store_error(q, rc);
		return;
	}
	if (v == AUTH_BUSY) {
		busy(q); /* not counted: the server was busy, not the guess wrong */
		return;
	}
	if (v != AUTH_OK) {
		auth_signin_failed(email, q->r->client_ip);
		form_fail(q, "password", "The e-mail address or the password is not right.");
		form_reshow(q);
		return;
	}
	auth_signin_succeeded(email, q->r->client_ip);
	account_extra x;
	rc = account_store_extra(q->app->db, q->a, u.id, &x);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (!x.confirmed) {
		/* Only someone with the password gets here: a new link, no session. */
		char ck[300];
		snprintf(ck, sizeof ck, "confirm-again:%s", email);
		if (ratelimit_hit(ck, 3, 3600)) {
			rc = account_queue_confirm(q, &u, q->lang);
			if (rc != STORE_OK) {
				app_store_error(q, rc);
				return;
			}
			mail_kick();
		}
		form_fail(q, "email", "Confirm your e-mail address first: follow the link in the e-mail we sent you. We sent you a new one.");
		form_reshow(q);
		return;
	}
	/* Mail from now on in the language the person uses. */
	account_store_set_lang(q->app->db, u.id, q->lang);
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
	account_extra x;
	store_rc rc = store_user_orgs(q->app->db, q->a, q->me->id, &orgs, &n);
	if (rc == STORE_OK)
		rc = account_store_extra(q->app->db, q->a, q->me->id, &x);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *oj = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(oj, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)orgs[i].id, "name",
		                                    orgs[i].name, "sector", orgs[i].sector));
	json_t *m = json_pack("{s:{s:I,s:s,s:s,s:s,s:s,s:b},s:o}", "account", "id",
	                      (json_int_t)q->me->id, "name", q->me->name, "email", q->me->email,
	                      "role", role_name(q->me->role), "lang", x.lang, "email_confirmed",
	                      x.confirmed, "organisations", oj);
	app_sections(q, "account", q->me->id, m);
	if (!q->want_json) {
		json_object_set_new(m, "title", json_string(app_t(q, "Your account")));
		json_object_set_new(m, "password_form", form_view(q, &password_form, "", NULL, true));
		json_object_set_new(m, "lang_form", form_view(q, &lang_form, "ml",
		                                              json_pack("{s:s}", "lang", x.lang), true));
	}
	app_page(q, status, "account_show", m);
}

/* POST /account/language: the language of the person's e-mails. */
static void account_language(app_req *q)
{
	store_rc rc = account_store_set_lang(q->app->db, q->me->id, form_text(q, "lang"));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/account", "saved");
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
	auth_rc v = auth_verify_try(q->me->password_hash, form_text(q, "current_password"));
	if (v == AUTH_BUSY) {
		busy(q);
		return;
	}
	if (v != AUTH_OK) {
		form_fail(q, "current_password", "This is not your current password.");
		form_reshow(q);
		return;
	}
	char hash[128];
	if (auth_hash_try(form_text(q, "new_password"), hash) != AUTH_OK) {
		busy(q);
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
	{ HTTP_GET, "/signup/sent", account_signup_sent, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET | HTTP_POST, "/confirm/{token}", account_confirm, ROLE_PARTICIPANT, true, R_CSRF },
	{ HTTP_GET | HTTP_POST, "/signin", account_signin, ROLE_PARTICIPANT, true, R_CSRF, &signin_form },
	{ HTTP_POST, "/signout", account_signout, ROLE_PARTICIPANT, true, R_CSRF },
	{ HTTP_GET | HTTP_POST, "/password/forgot", account_forgot, ROLE_PARTICIPANT, true, R_CSRF,
	  &account_forgot_form },
	{ HTTP_GET, "/password/sent", account_forgot_sent, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET | HTTP_POST, "/password/reset/{token}", account_reset, ROLE_PARTICIPANT, true,
	  R_CSRF, &account_reset_form },
	{ HTTP_GET, "/account", account_show, ROLE_PARTICIPANT, false, 0 },
	{ HTTP_POST, "/account/password", account_password, ROLE_PARTICIPANT, false, R_CSRF, &password_form },
	{ HTTP_POST, "/account/language", account_language, ROLE_PARTICIPANT, false, R_CSRF, &lang_form },
	{ HTTP_GET, "/account/data", account_data, ROLE_PARTICIPANT, false, 0 },
	{ HTTP_GET | HTTP_POST, "/account/erase", account_erase, ROLE_PARTICIPANT, false, R_CSRF,
	  &account_erase_form },
	{ HTTP_GET, "/privacy", account_privacy, ROLE_PARTICIPANT, true, R_CACHE },
};

static const app_section sections[] = {
	{ "mydata", "account", NULL, account_mydata },
};

static const app_flash flashes[] = {
	{ "confirmed", "Your e-mail address is confirmed. Welcome: you are signed in." },
	{ "password_reset", "Your password is changed and you are signed in. Other sessions are signed out." },
	{ "erased", "Your account is erased. We sent a confirmation to your e-mail address." },
};

const app_feature account_feature = {
	.name = "account",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
};
