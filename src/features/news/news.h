/* news.h — the newsletter: organisers write an issue in Markdown, preview
 * it, send a test to themselves and send it to every subscriber; anyone
 * subscribes with only an e-mail address (double opt-in) and leaves with
 * one click from any issue; sent issues form a public archive. Sending is
 * done by the mail feature's sender thread: it fans an issue out to one
 * outbox row per subscriber in batches (news_fanout_step), builds each
 * message when it sends it (news_build_delivery), and closes the issue
 * with its counts when the last row is done (news_finish_step).
 */
#ifndef OPENPLAN_NEWS_H
#define OPENPLAN_NEWS_H

#include "../../app/app.h"
#include "../mail/mail.h"

extern const app_feature news_feature;

/* ---- for the sender thread (news_send.c) ---- */
/* Adds the next batch of outbox rows of an issue being sent; returns how
 * many (0: nothing to do). */
int  news_fanout_step(store *s);
/* Marks issues whose every row is done as sent, with their counts. */
void news_finish_step(store *s);
/* Builds the message of a news.issue outbox row. 0, 1 when there is
 * nothing to send any more, -1 on failure. */
int  news_build_delivery(const app *ap, store *s, arena *a, const mail_row *r, sb *out);

/* ---- its store (news_store.c) ---- */
typedef struct news_issue {
	int64_t     id;
	const char *subject, *body, *status;
	int64_t     created_at, updated_at, sent_at, finished_at;
	int64_t     recipients, delivered, failed;
	bool        fanout_done;
} news_issue;

typedef struct news_subscriber {
	int64_t     id;
	const char *email, *lang, *status;
	int64_t     confirm_expires;
} news_subscriber;

typedef struct news_progress { int64_t queued, sent, failed; } news_progress;

store_rc news_store_issue_create(store *s, const char *subject, const char *body, int64_t author,
                                 int64_t *id_out);
/* Only a draft changes (STORE_INVALID otherwise). */
store_rc news_store_issue_update(store *s, int64_t id, const char *subject, const char *body);
store_rc news_store_issue_get(store *s, arena *a, int64_t id, news_issue *out);
/* Newest first; only sent ones when all is false. */
store_rc news_store_issues(store *s, arena *a, bool all, news_issue **out, size_t *n);
/* Draft to sending (STORE_INVALID when not a draft). */
store_rc news_store_issue_send(store *s, int64_t id, int64_t now);
store_rc news_store_progress(store *s, int64_t issue_id, news_progress *out);
store_rc news_store_active_count(store *s, int64_t *n);

/* Subscribes (or again asks to confirm) an address not already active:
 * stores the hash of the confirmation token; *active tells that it was
 * already active (nothing changed). The subscriber's id in *id_out. */
store_rc news_store_subscribe(store *s, const char *email, const char *lang,
                              const char *token_hash, int64_t expires, bool *active,
                              int64_t *id_out);
/* The pending subscriber whose token hash this is (NOTFOUND otherwise). */
store_rc news_store_pending(store *s, arena *a, const char *token_hash, news_subscriber *out);
store_rc news_store_confirm(store *s, int64_t id, int64_t now);
store_rc news_store_subscriber(store *s, arena *a, int64_t id, news_subscriber *out);
store_rc news_store_unsubscribe(store *s, int64_t id, int64_t now);
/* An issue sent on `when` without a sending (the demo's archive). */
store_rc news_store_issue_mark_sent(store *s, int64_t id, int64_t when);
store_rc news_store_subscriber_by_email(store *s, arena *a, const char *email,
                                        news_subscriber *out);
/* Its part of the demo (news_demo.c). */
int      news_demo(store *s, char *err, size_t errlen);
/* Removes a subscription by address (an erased account). */
store_rc news_store_forget(store *s, const char *email);

/* An issue's model for news_mail and the pages: subject, body_html (the
 * Markdown rendered safely), body_text (the Markdown), archive (its
 * address). NULL when out of memory. */
json_t *news_issue_model(const news_issue *is, const char *base);

/* ---- its pages (news_admin.c), named by the descriptor in news.c ---- */
void news_admin_list(app_req *q);
void news_admin_create(app_req *q);
void news_admin_show(app_req *q);
void news_admin_save(app_req *q);
void news_admin_test(app_req *q);
void news_admin_send(app_req *q);
extern const form_def news_issue_form;
extern const form_def news_new_form;

/* The unsubscribe link of a subscriber (absolute, from the arena). */
const char *news_unsubscribe_url(arena *a, const char *base, int64_t subscriber_id);

#endif
