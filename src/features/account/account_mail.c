/* account_mail.c — what accounts do through links by e-mail: confirming
 * the address after sign-up (the link shows a button; the POST confirms
 * and signs in), and a forgotten password (the answer never tells whether
 * the address has an account; the link works once, for an hour; a new
 * password signs out every other session). An expired or used link says
 * so and how to get a new one.
 */
#include <string.h>
#include <time.h>

#include "../../app/auth.h"
#include "../../util/text.h"
#include "../mail/mail.h"
#include "account.h"

/* The password policy (auth.c): long enough, not only spaces, not on the
 * list of passwords tried first, not the person's own name or address. */
const char *account_password_ok(app_req *q, const char *pw)
{
	if (q->me)
		return auth_password_problem(pw, q->me->email, q->me->name);
	return auth_password_problem(pw, form_text(q, "email"), form_text(q, "name"));
}

const char *account_email_ok(app_req *q, const char *v)
{
	(void)q;
	return mail_addr_valid(v) ? NULL
	                          : "This e-mail address cannot receive mail from us. Check it for typing errors.";
}

static char *new_token(app_req *q, char **hash)
{
	char *t = auth_token(q->a);
	*hash = t ? auth_token_hash(q->a, t) : NULL;
	return *hash ? t : NULL;
}

store_rc account_queue_confirm(app_req *q, const user *u, const char *lang)
{
	char *hash, *token = new_token(q, &hash);
	if (!token)
		return STORE_ERROR;
	store_rc rc = account_store_token_create(q->app->db, u->id, "confirm", hash,
	                                         (int64_t)time(NULL) + ACCOUNT_CONFIRM_TTL);
	if (rc != STORE_OK)
		return rc;
	json_t *m = json_pack("{s:s,s:s}", "name", u->name, "confirm",
	                      arena_printf(q->a, "%s/confirm/%s", mail_base_url(q->app), token));
	mail_out o = { .kind = "account.confirm", .user_id = u->id, .to_addr = u->email,
		       .to_name = u->name, .lang = lang,
		       .subject = i18n_get(lang, "Confirm your e-mail address for openplan"),
		       .tpl = "account_mail_confirm", .model = m };
	rc = m ? mail_queue(q->app, q->app->db, &o) : STORE_ERROR;
	json_decref(m);
	return rc;
}

static void message_page(app_req *q, int status, const char *title, const char *text)
{
	json_t *m = json_pack("{s:s,s:s}", "title", app_t(q, title), "text", app_t(q, text));
	app_page(q, status, "account_message", m);
}

void account_signup_sent(app_req *q)
{
	message_page(q, 200, "Check your e-mail",
	             "We sent an e-mail to the address you gave. Follow the link in it to finish. "
	             "No e-mail within a few minutes? Look in your spam folder.");
}

/* What a link that cannot be used says. */
static void bad_link(app_req *q, store_rc rc, bool reset)
{
	if (rc == STORE_CONFLICT)
		message_page(q, 410, "This link has been used already",
		             reset ? "A link to choose a new password works once. Ask for a new one if you still need it."
		                   : "Your address is confirmed already. Sign in with your e-mail address and password.");
	else if (rc == STORE_INVALID)
		message_page(q, 410, "This link has expired",
		             reset ? "A link to choose a new password works for one hour. Ask for a new one."
		                   : "Sign in with your e-mail address and password: we then send you a new link.");
	else if (rc == STORE_NOTFOUND)
		message_page(q, 404, "This link is not valid",
		             "Copy the whole link from the e-mail into the address bar, or ask for a new one.");
	else
		app_store_error(q, rc);
}

static const char *token_hash(app_req *q)
{
	const char *t = http_param(q->r, "token");
	return t && strlen(t) >= 32 && strlen(t) <= 64 ? auth_token_hash(q->a, t) : NULL;
}

/* GET /confirm/{token}: a button (a mail scanner following the link changes
 * nothing); POST: confirmed, and signed in. */
void account_confirm(app_req *q)
{
	const char *hash = token_hash(q);
	int64_t uid = 0;
	bool post = q->r->method == HTTP_POST;
	store_rc rc = hash ? account_store_token_check(q->app->db, hash, "confirm", (int64_t)time(NULL),
	                                               post, &uid)
	                   : STORE_NOTFOUND;
	if (rc == STORE_OK && post)
		rc = account_store_confirm(q->app->db, uid);
	if (rc != STORE_OK) {
		bad_link(q, rc, false);
		return;
	}
	if (post) {
		if (auth_sign_in(q, uid) != 0) {
			app_store_error(q, STORE_ERROR);
			return;
		}
		app_redirect(q, "/", "confirmed");
		return;
	}
	json_t *m = json_pack("{s:s,s:s}", "title", app_t(q, "Confirm your e-mail address"), "token",
	                      http_param(q->r, "token"));
	app_page(q, 200, "account_confirm", m);
}

/* ---- a forgotten password ---- */

static void forgot_page(app_req *q);
static bool forgot_allowed(app_req *q);
static const form_field forgot_fields[] = {
	{ "email", F_EMAIL, true, 254, .label = "E-mail address", .autocomplete = "email" },
};
const form_def account_forgot_form =
	FORM_DEF_GUARDED("forgot", forgot_fields, NULL, forgot_page, forgot_allowed);

static void reset_page(app_req *q);
static const form_field reset_fields[] = {
	{ "new_password", F_PASSWORD, true, 200, .label = "New password",
	  .help = "At least 10 characters.", .check = account_password_ok,
	  .autocomplete = "new-password" },
};
const form_def account_reset_form = FORM_DEF("reset", reset_fields, NULL, reset_page);

static bool forgot_allowed(app_req *q)
{
	char key[128];
	snprintf(key, sizeof key, "forgot-ip:%s", q->r->client_ip);
	if (ratelimit_hit(key, q->app->cfg.ip_limit, 600))
		return true;
	app_error(q, 429, "Too many attempts. Wait a quarter of an hour and try again.");
	return false;
}

static void forgot_page(app_req *q)
{
	json_t *m = json_pack("{s:s,s:o}", "title", app_t(q, "Forgot your password?"), "form",
	                      form_view(q, &account_forgot_form, "", NULL, true));
	app_page(q, form_failed(q) ? 422 : 200, "account_forgot", m);
}

/* POST: a link to the address when it has an account (at most three an
 * hour); the same answer when it has none. */
void account_forgot(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		forgot_page(q);
		return;
	}
	char *email = arena_strdup(q->a, form_text(q, "email"));
	if (!email) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	text_ascii_lower(email);
	user u;
	account_extra x;
	store_rc rc = store_user_by_email(q->app->db, q->a, email, &u);
	char key[300];
	snprintf(key, sizeof key, "forgot-account:%s", email);
	if (rc == STORE_OK)
		rc = account_store_extra(q->app->db, q->a, u.id, &x);
	if (rc == STORE_OK && ratelimit_hit(key, 3, 3600)) {
		char *hash, *token = new_token(q, &hash);
		json_t *m = token ? json_pack("{s:s,s:s}", "name", u.name, "reset",
		                              arena_printf(q->a, "%s/password/reset/%s",
		                                           mail_base_url(q->app), token))
		                  : NULL;
		mail_out o = { .kind = "account.reset", .user_id = u.id, .to_addr = u.email,
			       .to_name = u.name, .lang = x.lang,
			       .subject = i18n_get(x.lang, "Choose a new password for openplan"),
			       .tpl = "account_mail_reset", .model = m };
		rc = m ? store_begin(q->app->db) : STORE_ERROR;
		if (rc == STORE_OK)
			rc = account_store_token_create(q->app->db, u.id, "reset", hash,
			                                (int64_t)time(NULL) + ACCOUNT_RESET_TTL);
		if (rc == STORE_OK)
			rc = mail_queue(q->app, q->app->db, &o);
		if (rc == STORE_OK)
			rc = store_commit(q->app->db);
		else if (m)
			store_rollback(q->app->db);
		json_decref(m);
		mail_kick();
	} else if (rc == STORE_NOTFOUND || rc == STORE_OK) {
		rc = STORE_OK;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/password/sent", NULL);
}

void account_forgot_sent(app_req *q)
{
	message_page(q, 200, "Check your e-mail",
	             "If this address has an account, we sent it a link to choose a new password. "
	             "The link works for one hour.");
}

/* The form, after checking the link; a form that failed its checks is
 * shown again first (the link is checked again when it is sent right). */
static void reset_page(app_req *q)
{
	const char *hash = token_hash(q);
	int64_t uid;
	store_rc rc = form_failed(q) ? STORE_OK
	            : hash ? account_store_token_check(q->app->db, hash, "reset", (int64_t)time(NULL),
	                                               false, &uid)
	                   : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		bad_link(q, rc, true);
		return;
	}
	json_t *m = json_pack("{s:s,s:s,s:o}", "title", app_t(q, "Choose a new password"), "token",
	                      http_param(q->r, "token"), "form",
	                      form_view(q, &account_reset_form, "", NULL, true));
	app_page(q, form_failed(q) ? 422 : 200, "account_reset", m);
}

/* GET: the form; POST: the new password, once. */
void account_reset(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		reset_page(q);
		return;
	}
	char pw[128];
	if (auth_hash_try(form_text(q, "new_password"), pw) != AUTH_OK) {
		http_resp_header(q->r, q->s, "Retry-After", "5");
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	const char *hash = token_hash(q);
	int64_t uid = 0;
	store *s = q->app->db;
	store_rc rc = hash ? store_begin(s) : STORE_NOTFOUND;
	bool open = rc == STORE_OK;
	if (rc == STORE_OK)
		rc = account_store_token_check(s, hash, "reset", (int64_t)time(NULL), true, &uid);
	if (rc == STORE_OK)
		rc = store_user_set_password(s, uid, pw);
	if (rc == STORE_OK)
		rc = store_session_delete_user(s, uid, NULL);
	/* Following the link proved the address. */
	if (rc == STORE_OK)
		rc = account_store_confirm(s, uid);
	if (rc == STORE_OK)
		rc = store_commit(s);
	else if (open)
		store_rollback(s);
	if (rc != STORE_OK) {
		bad_link(q, rc, true);
		return;
	}
	q->session_hash = NULL;
	if (auth_sign_in(q, uid) != 0) {
		app_store_error(q, STORE_ERROR);
		return;
	}
	app_redirect(q, "/", "password_reset");
}
