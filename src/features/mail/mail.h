/* mail.h — openplan's e-mail: the outbox (every message is first a row,
 * written in the transaction of the change that causes it), the sender
 * thread that delivers it over SMTP through libcurl with retries, the
 * building of messages (multipart/alternative text and HTML from
 * templates, in the recipient's language, with safe headers), and the
 * admin's view of the outbox. Other features queue mail through this
 * header; the events' mails (notify.event, notify.digest) are built here
 * from the notification rows, newsletters by the news feature.
 */
#ifndef OPENPLAN_MAIL_H
#define OPENPLAN_MAIL_H

#include "../../app/app.h"

extern const app_feature mail_feature;

/* The memory budget of the sender's and the digests' work arenas (one
 * round, one message), as a request has its own: a message that would need
 * more fails cleanly and waits for another try, and the fault-injection
 * hook (arena_fault_set, OPENPLAN_FAULT_ARENA) reaches them too. */
enum { MAIL_WORK_BUDGET = 32 << 20 };

/* ---- message building (mail_msg.c): pure functions, no store ---------------- */

/* An address the sender can use: ASCII, one '@', a dotted domain, nothing
 * that could end a header or an SMTP command (no space, control, quote,
 * angle bracket or comma). */
bool mail_addr_valid(const char *addr);

typedef struct mail_head {
	const char *from_addr, *from_name;
	const char *to_addr, *to_name;    /* to_name may be NULL */
	const char *subject;
	const char *message_id;           /* "<…@host>" */
	int64_t     date;                 /* seconds since the epoch */
	const char *list_id;              /* "<notifications.host>" or NULL */
	const char *unsubscribe;          /* one-click URL (RFC 8058) or NULL */
	bool        bulk;                 /* a newsletter: Precedence: bulk */
} mail_head;

/* Appends the whole message (CRLF line ends): headers, then the text and
 * HTML parts as multipart/alternative, quoted-printable. Every header
 * value is cleaned of control characters (CR and LF become spaces, so
 * nothing can start a header of its own) and RFC 2047-encoded when it is
 * not plain ASCII. -1 when an address is not valid or out of memory. */
int  mail_compose(sb *out, const mail_head *h, const char *text, const char *html);
/* An unstructured header value (a subject), encoded and folded. */
void mail_header_value(sb *out, const char *value);
/* Quoted-printable (RFC 2045) with CRLF line ends. */
void mail_qp(sb *out, const char *s);
/* The decoded text part of a message built by mail_compose. */
void mail_text_part(sb *out, const char *msg);
/* "Sun, 29 Nov 2026 23:05:00 +0000" */
void mail_date(sb *out, int64_t t);

/* ---- what the feature knows (mail.c) ----------------------------------------- */

/* The site's public address, without a trailing slash: --base-url, else
 * http:// and the listen address. */
const char *mail_base_url(const app *ap);
/* The sender's address and the host part used in Message-IDs and List-Ids. */
const char *mail_from_addr(void);
const char *mail_host(void);
/* Whether an SMTP server is configured (else mail waits in the outbox). */
bool        mail_smtp_configured(void);
/* A keyed hash (hex, 32 characters) of what, with the site's own secret:
 * unsubscribe links and Message-IDs that need no stored token. */
void        mail_mac(const char *what, char out[33]);
bool        mail_mac_ok(const char *what, const char *mac);
/* Wakes the sender (something was queued). */
void        mail_kick(void);

/* Renders template tpl as the text part (tpl.txt) and the HTML part
 * (tpl.html) in lang, with model (borrowed). 0 or -1. */
int mail_render(const app *ap, const char *tpl, json_t *model, const char *lang, sb *text,
                sb *html);

/* Builds a message now and queues it in the caller's transaction (or its
 * own): to_addr/to_name/lang of the recipient, user_id when it is a
 * person with an account (0 otherwise), subject already in lang. The
 * model gets "base" (the site's address) and "lang". */
typedef struct mail_out {
	const char *kind;        /* "account.confirm" */
	int64_t     user_id;
	const char *to_addr, *to_name, *lang, *subject;
	const char *tpl;
	json_t     *model;       /* borrowed */
	const char *list_id;     /* NULL for personal mail */
	const char *unsubscribe;
	bool        bulk;
} mail_out;
store_rc mail_queue(const app *ap, store *s, const mail_out *m);

/* ---- the outbox (mail_store.c) -------------------------------------------------- */
typedef struct mail_row {
	int64_t     id;
	const char *kind;
	int64_t     user_id;
	const char *to_addr;
	const char *subject;
	const char *message;         /* NULL: built when sent */
	int64_t     notification_id, issue_id, subscriber_id;
	const char *status;          /* queued, sent, failed */
	int64_t     attempts, next_at;
	const char *last_error;
	int64_t     created_at, done_at;
} mail_row;

store_rc mail_store_insert(store *s, const mail_row *r, int64_t *id_out);
store_rc mail_store_get(store *s, arena *a, int64_t id, mail_row *out);
/* Due rows (queued, next_at <= now), oldest first, at most limit. */
store_rc mail_store_due(store *s, arena *a, int64_t now, int limit, mail_row **out, size_t *n);
/* The admin's list: newest first, below before_id (0: from the newest). */
store_rc mail_store_list(store *s, arena *a, const char *status, int64_t before_id, int limit,
                         mail_row **out, size_t *n);
store_rc mail_store_counts(store *s, int64_t *queued, int64_t *sent, int64_t *failed);
store_rc mail_store_sent(store *s, int64_t id, int64_t now);
store_rc mail_store_failed(store *s, int64_t id, int64_t now, const char *why);
store_rc mail_store_retry(store *s, int64_t id, int64_t next_at, const char *why);
/* Removes rows done before `before`; drops bodies of rows done. */
store_rc mail_store_purge(store *s, int64_t before);
/* Makes every queued row due now (an admin's "try again now"). */
store_rc mail_store_retry_now(store *s, int64_t now);

/* A notification as its e-mail shows it: the text's msgid (the follower
 * text for a follower), subject, kind, url, why the person has it, and the
 * person. */
typedef struct mail_note {
	int64_t     id, user_id;
	const char *kind, *msgid, *subject, *url, *reason;
	const char *email, *name, *lang;
	int64_t     created_at;
} mail_note;
store_rc mail_store_note(store *s, arena *a, int64_t notification_id, mail_note *out);
/* The notifications a digest row took, oldest first (at most limit). */
store_rc mail_store_digest_notes(store *s, arena *a, int64_t digest_id, int limit,
                                 mail_note **out, size_t *n, int64_t *total);
/* Queues one digest row per person with notifications waiting for period
 * and a confirmed address, and gives the notifications to it. */
store_rc mail_store_digest_queue(store *s, const char *period, int64_t now, int64_t *n);

/* ---- the events' mails (mail_events.c) ------------------------------------------ */
/* Builds an outbox row of kind notify.event or notify.digest. 0, 1 when
 * the row has nothing to send any more (the notification is gone), -1 on
 * failure. */
int      mail_build_event(const app *ap, store *s, arena *a, const mail_row *r, sb *out);
int      mail_build_digest(const app *ap, store *s, arena *a, const mail_row *r, sb *out);
/* Queues the digests of one period ("daily" or "weekly") for everyone who
 * has notifications waiting for it; *n gets how many. */
store_rc mail_digest_queue(store *s, const char *period, int64_t now, int64_t *n);
/* Whether the daily (weekly) digest of local time `now` is due, given the
 * period key of the last run ("2026-11-29", "2026-W48"); fills key. */
bool     mail_digest_due(int64_t now, int hour, bool weekly, const char *last, char key[16]);

/* ---- the sender (mail_sender.c) ---------------------------------------------------- */
int  mail_sender_start(app *ap, char *err, size_t errlen);
void mail_sender_stop(void);
/* Message-ID of an outbox row: the same on every try. */
void mail_row_message_id(int64_t id, char *out, size_t n);

/* ---- admin pages (mail_admin.c) --------------------------------------------------- */
void mail_admin_outbox(app_req *q);
void mail_admin_message(app_req *q);
void mail_admin_retry(app_req *q);
void mail_admin_digest(app_req *q);
extern const struct form_def mail_digest_form;

#endif
