/* account.h — the account feature: signing up (with a confirmation of the
 * e-mail address; an address that already has an account gets the same
 * answer and its owner a mail instead), signing in and out, forgetting and
 * resetting a password by e-mail, the account page (where other features
 * add their sections) with the language of e-mails and the password, and a
 * person's own data: downloading it all as JSON (every feature adds its
 * part through an app_section on the page "mydata"), erasing the account,
 * and the privacy statement.
 */
#ifndef OPENPLAN_ACCOUNT_H
#define OPENPLAN_ACCOUNT_H

#include "../../app/app.h"

extern const app_feature account_feature;

/* ---- what the feature's files share ---- */
enum { ACCOUNT_CONFIRM_TTL = 7 * 86400, ACCOUNT_RESET_TTL = 3600 };

/* account_mail.c: links by e-mail */
void account_signup_sent(app_req *q);
void account_confirm(app_req *q);
void account_forgot(app_req *q);
void account_forgot_sent(app_req *q);
void account_reset(app_req *q);
extern const form_def account_forgot_form;
extern const form_def account_reset_form;
/* Queues a confirmation link for the person, in the caller's transaction
 * (or its own). */
store_rc account_queue_confirm(app_req *q, const user *u, const char *lang);
/* The form check of addresses we must be able to send to. */
const char *account_email_ok(app_req *q, const char *value);
const char *account_password_ok(app_req *q, const char *value);

/* account_data.c: a person's own data */
void account_data(app_req *q);
void account_erase(app_req *q);
void account_privacy(app_req *q);
json_t *account_mydata(app_req *q, int64_t user_id);
extern const form_def account_erase_form;

/* ---- its store (account_store.c) ---- */
typedef struct account_extra {
	const char *lang;
	bool        confirmed;
	int64_t     admins;   /* how many admins the site has */
} account_extra;

store_rc account_store_token_create(store *s, int64_t user_id, const char *purpose,
                                    const char *token_hash, int64_t expires_at);
/* Checks a token of purpose (and with use, spends it, once): STORE_OK with
 * its person, STORE_NOTFOUND (no such token), STORE_CONFLICT (used
 * already), STORE_INVALID (expired). */
store_rc account_store_token_check(store *s, const char *token_hash, const char *purpose,
                                   int64_t now, bool use, int64_t *user_id);
store_rc account_store_confirm(store *s, int64_t user_id);
/* A new sign-up: the address waits for its confirmation. */
store_rc account_store_unconfirmed(store *s, int64_t user_id, const char *lang);
store_rc account_store_set_lang(store *s, int64_t user_id, const char *lang);
store_rc account_store_extra(store *s, arena *a, int64_t user_id, account_extra *out);
store_rc account_store_erase(store *s, int64_t user_id);

#endif
