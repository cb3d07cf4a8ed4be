/* account_data.c — a person's own data (AVG/GDPR): downloading all of it
 * as one JSON file, erasing the account, and the privacy statement.
 *
 * The download asks every feature for its part: a feature adds an
 * app_section on the page "mydata" whose build(q, user_id) returns the
 * person's data it keeps (JSON; codes, not labels), under its key. The
 * account's own part is the account and its memberships.
 *
 * Erasing removes the users row. Every table that points at a person says
 * what happens then: ON DELETE CASCADE for what is personal (sessions,
 * memberships, notifications, follows, offers, e-mail waiting to be sent),
 * ON DELETE SET NULL for contributions that stay, anonymised, so counts
 * and results stay right (consultation responses, progress updates, the
 * history of action points, events). A newsletter subscription of the
 * same address goes too. A confirmation goes to the address, and then
 * nothing of it is kept but that message until it is sent.
 */
#include <string.h>
#include <time.h>

#include "../../app/auth.h"
#include "../mail/mail.h"
#include "../news/news.h"
#include "account.h"

json_t *account_mydata(app_req *q, int64_t user_id)
{
	user u;
	account_extra x;
	organisation *orgs;
	size_t n;
	if (store_user_by_id(q->app->db, q->a, user_id, &u) != STORE_OK ||
	    account_store_extra(q->app->db, q->a, user_id, &x) != STORE_OK ||
	    store_user_orgs(q->app->db, q->a, user_id, &orgs, &n) != STORE_OK)
		return NULL;
	json_t *oj = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(oj, json_pack("{s:I,s:s}", "id", (json_int_t)orgs[i].id, "name",
		                                    orgs[i].name));
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:I,s:o}", "id", (json_int_t)u.id, "name", u.name,
	                 "email", u.email, "role", role_name(u.role), "language", x.lang,
	                 "email_confirmed", x.confirmed, "created_at", (json_int_t)u.created_at,
	                 "memberships", oj);
}

/* GET /account/data: everything, as a file to keep. */
void account_data(app_req *q)
{
	q->want_json = true;
	time_t now = time(NULL);
	json_t *m = json_pack("{s:s,s:I}", "about",
	                      "Everything openplan keeps about you, from each part of the site.",
	                      "made_at", (json_int_t)now);
	app_sections(q, "mydata", q->me->id, m);
	app_json(q, 200, m);
	http_resp_header(q->r, q->s, "Content-Disposition",
	                 "attachment; filename=\"openplan-my-data.json\"");
}

static void erase_page(app_req *q);
static const form_field erase_fields[] = {
	{ "password", F_PASSWORD, true, 200, .label = "Your password",
	  .help = "To be sure it is you.", .autocomplete = "current-password" },
	{ "understood", F_BOOL, false, 1,
	  .label = "I understand that my account and personal data are removed and that this cannot be undone." },
};
static void erase_check(app_req *q)
{
	if (!form_bool(q, "understood"))
		form_fail(q, "understood", "Tick this box if you want to erase your account.");
}
const form_def account_erase_form = FORM_DEF("erase", erase_fields, erase_check, erase_page);

static void erase_page(app_req *q)
{
	json_t *m = json_pack("{s:s,s:o}", "title", app_t(q, "Erase your account"), "form",
	                      form_view(q, &account_erase_form, "", NULL, true));
	app_page(q, form_failed(q) ? 422 : 200, "account_erase", m);
}

typedef struct erase_ctx {
	app_req    *q;
	const char *email, *name, *lang;
	int64_t     id;
} erase_ctx;

static store_rc erase_tx(store *s, void *ctx)
{
	erase_ctx *c = ctx;
	store_rc rc = news_store_forget(s, c->email);
	if (rc == STORE_OK)
		rc = account_store_erase(s, c->id);
	json_t *m = json_pack("{s:s,s:s}", "name", c->name, "privacy",
	                      arena_printf(c->q->a, "%s/privacy", mail_base_url(c->q->app)));
	mail_out o = { .kind = "account.erased", .to_addr = c->email, .to_name = c->name,
		       .lang = c->lang, .subject = i18n_get(c->lang, "Your openplan account is erased"),
		       .tpl = "account_mail_erased", .model = m };
	if (rc == STORE_OK)
		rc = m ? mail_queue(c->q->app, s, &o) : STORE_ERROR;
	json_decref(m);
	return rc;
}

/* GET: what erasing means, and the form; POST: erased, signed out. */
void account_erase(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		erase_page(q);
		return;
	}
	auth_rc v = auth_verify_try(q->me->password_hash, form_text(q, "password"));
	if (v == AUTH_BUSY) {
		http_resp_header(q->r, q->s, "Retry-After", "5");
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	if (v != AUTH_OK) {
		form_fail(q, "password", "This is not your current password.");
		form_reshow(q);
		return;
	}
	account_extra x;
	store_rc rc = account_store_extra(q->app->db, q->a, q->me->id, &x);
	if (rc == STORE_OK && q->me->role == ROLE_ADMIN && x.admins <= 1) {
		app_error(q, 409, "You are the only administrator. Give another person the admin role first, then erase your account.");
		return;
	}
	erase_ctx c = { q, q->me->email, q->me->name, x.lang, q->me->id };
	if (rc == STORE_OK)
		rc = store_tx(q->app->db, erase_tx, &c);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	mail_kick();
	q->session_hash = NULL; /* gone with the account */
	auth_sign_out(q);
	app_redirect(q, "/", "erased");
}

void account_privacy(app_req *q)
{
	json_t *m = json_pack("{s:s}", "title", app_t(q, "Privacy statement"));
	/* The organisation's own statement (the site's settings) comes first. */
	if (m)
		app_sections(q, "privacy", 0, m);
	app_page(q, 200, "account_privacy", m);
}
