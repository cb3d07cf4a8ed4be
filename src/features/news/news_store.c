/* news_store.c — the newsletter's SQL: issues (drafts, sending, sent),
 * subscribers (pending, active, unsubscribed), the fan-out of an issue to
 * outbox rows in batches by subscriber id, and the counts of a sending.
 * Through db.h only.
 */
#include <string.h>

#include "../../store/db.h"
#include "news.h"

enum { FANOUT_BATCH = 2000 };

#define ISSUE_COLS "id, subject, body, status, created_at, updated_at, sent_at, finished_at, " \
	"recipients, delivered, failed, fanout_done"

static store_rc issue_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	news_issue *i = db_vec_push(v);
	if (!i)
		return STORE_ERROR;
	i->id = db_int(r, 0);
	i->subject = db_text(v->a, r, 1);
	i->body = db_text(v->a, r, 2);
	i->status = db_text(v->a, r, 3);
	i->created_at = db_int(r, 4);
	i->updated_at = db_int(r, 5);
	i->sent_at = db_int(r, 6);
	i->finished_at = db_int(r, 7);
	i->recipients = db_int(r, 8);
	i->delivered = db_int(r, 9);
	i->failed = db_int(r, 10);
	i->fanout_done = db_bool(r, 11);
	return i->subject && i->body && i->status ? STORE_OK : STORE_ERROR;
}

store_rc news_store_issue_create(store *s, const char *subject, const char *body, int64_t author,
                                 int64_t *id_out)
{
	int64_t now = db_now();
	db_arg a[] = { DB_S(subject), DB_S(body), author ? DB_I(author) : DB_NUL, DB_I(now) };
	return db_exec(s, "INSERT INTO news_issues (subject, body, author_id, created_at, updated_at) "
	                  "VALUES ($1, $2, $3, $4, $4) RETURNING id",
	               a, 4, id_out, NULL);
}

store_rc news_store_issue_update(store *s, int64_t id, const char *subject, const char *body)
{
	db_arg a[] = { DB_S(subject), DB_S(body), DB_I(db_now()), DB_I(id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE news_issues SET subject = $1, body = $2, updated_at = $3 "
	                         "WHERE id = $4 AND status = 'draft'",
	                      a, 4, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_INVALID : rc;
}

store_rc news_store_issue_get(store *s, arena *a, int64_t id, news_issue *out)
{
	db_vec v = { .a = a, .size = sizeof(news_issue) };
	db_arg args[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " ISSUE_COLS " FROM news_issues WHERE id = $1", args, 1,
	                       issue_row, &v);
	if (rc == STORE_OK && !v.len)
		return STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(news_issue *)v.items;
	return rc;
}

store_rc news_store_issues(store *s, arena *a, bool all, news_issue **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(news_issue) };
	db_arg args[] = { DB_I(all) };
	store_rc rc = db_query(s, "SELECT " ISSUE_COLS " FROM news_issues WHERE $1 = 1 OR "
	                          "status = 'sent' ORDER BY CASE status WHEN 'sent' THEN sent_at "
	                          "ELSE updated_at END DESC, id DESC",
	                       args, 1, issue_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc news_store_issue_send(store *s, int64_t id, int64_t now)
{
	db_arg a[] = { DB_I(now), DB_I(id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE news_issues SET status = 'sending', sent_at = $1 "
	                         "WHERE id = $2 AND status = 'draft' AND body <> ''",
	                      a, 2, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_INVALID : rc;
}

typedef struct prog_ctx { news_progress *p; } prog_ctx;

static store_rc prog_row(const db_row *r, void *ctx)
{
	news_progress *p = ctx;
	const char *st = db_text_ref(r, 0);
	int64_t n = db_int(r, 1);
	if (!strcmp(st, "queued"))
		p->queued = n;
	else if (!strcmp(st, "sent"))
		p->sent = n;
	else if (!strcmp(st, "failed"))
		p->failed = n;
	return STORE_OK;
}

store_rc news_store_progress(store *s, int64_t issue_id, news_progress *out)
{
	*out = (news_progress){ 0 };
	db_arg a[] = { DB_I(issue_id) };
	return db_query(s, "SELECT status, COUNT(*) FROM mail_outbox WHERE issue_id = $1 "
	                   "GROUP BY status",
	                a, 1, prog_row, out);
}

static store_rc int_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_isnull(r, 0) ? -1 : db_int(r, 0);
	return STORE_OK;
}

store_rc news_store_active_count(store *s, int64_t *n)
{
	*n = 0;
	return db_query(s, "SELECT COUNT(*) FROM news_subscribers WHERE status = 'active'", NULL, 0,
	                int_row, n);
}

/* ---- the fan-out, run by the sender thread ---- */

typedef struct fan_ctx { int64_t added; } fan_ctx;

static store_rc fanout_tx(store *s, void *ctx)
{
	fan_ctx *c = ctx;
	c->added = 0;
	arena a;
	arena_init(&a, MAIL_WORK_BUDGET);
	db_vec v = { .a = &a, .size = sizeof(news_issue) };
	store_rc rc = db_query(s, "SELECT " ISSUE_COLS " FROM news_issues WHERE status = 'sending' "
	                          "AND fanout_done = 0 ORDER BY id LIMIT 1",
	                       NULL, 0, issue_row, &v);
	if (rc != STORE_OK || !v.len)
		goto done;
	news_issue *is = v.items;
	int64_t upto = 0, next = -1;
	db_arg q[] = { DB_I(is->id) };
	rc = db_query(s, "SELECT fanout_upto FROM news_issues WHERE id = $1", q, 1, int_row, &upto);
	db_arg b[] = { DB_I(upto), DB_I(FANOUT_BATCH) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT MAX(id) FROM (SELECT id FROM news_subscribers WHERE "
		                 "status = 'active' AND id > $1 ORDER BY id LIMIT $2) t",
		              b, 2, int_row, &next);
	if (rc != STORE_OK)
		goto done;
	if (next < 0) {
		db_arg d[] = { DB_I(is->id) };
		rc = db_exec(s, "UPDATE news_issues SET fanout_done = 1 WHERE id = $1", d, 1, NULL, NULL);
		goto done;
	}
	int64_t now = db_now();
	int changes = 0;
	db_arg ins[] = { DB_S(is->subject), DB_I(is->id), DB_I(now), DB_I(upto), DB_I(next) };
	rc = db_exec(s, "INSERT INTO mail_outbox (kind, to_addr, subject, issue_id, subscriber_id, "
	                "next_at, created_at) SELECT 'news.issue', email, $1, $2, id, $3, $3 "
	                "FROM news_subscribers WHERE status = 'active' AND id > $4 AND id <= $5",
	             ins, 5, NULL, &changes);
	db_arg up[] = { DB_I(next), DB_I(changes), DB_I(is->id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE news_issues SET fanout_upto = $1, recipients = recipients + $2 "
		                "WHERE id = $3",
		             up, 3, NULL, NULL);
	c->added = changes;
done:
	arena_free(&a);
	return rc;
}

int news_fanout_step(store *s)
{
	fan_ctx c = { 0 };
	return store_tx(s, fanout_tx, &c) == STORE_OK ? (int)c.added : 0;
}

void news_finish_step(store *s)
{
	db_arg a[] = { DB_I(db_now()) };
	db_exec(s, "UPDATE news_issues SET status = 'sent', finished_at = $1, "
	           "delivered = (SELECT COUNT(*) FROM mail_outbox o WHERE o.issue_id = news_issues.id "
	           "AND o.status = 'sent'), "
	           "failed = (SELECT COUNT(*) FROM mail_outbox o WHERE o.issue_id = news_issues.id "
	           "AND o.status = 'failed') "
	           "WHERE status = 'sending' AND fanout_done = 1 AND NOT EXISTS (SELECT 1 FROM "
	           "mail_outbox o WHERE o.issue_id = news_issues.id AND o.status = 'queued')",
	        a, 1, NULL, NULL);
}

/* ---- subscribers ---- */

static store_rc sub_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	news_subscriber *u = db_vec_push(v);
	if (!u)
		return STORE_ERROR;
	u->id = db_int(r, 0);
	u->email = db_text(v->a, r, 1);
	u->lang = db_text(v->a, r, 2);
	u->status = db_text(v->a, r, 3);
	u->confirm_expires = db_int(r, 4);
	return u->email && u->lang && u->status ? STORE_OK : STORE_ERROR;
}

static store_rc one_sub(store *s, arena *a, const char *sql, const db_arg *args,
                        news_subscriber *out)
{
	db_vec v = { .a = a, .size = sizeof(news_subscriber) };
	store_rc rc = db_query(s, sql, args, 1, sub_row, &v);
	if (rc == STORE_OK && !v.len)
		return STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(news_subscriber *)v.items;
	return rc;
}

typedef struct subscribe_ctx {
	const char *email, *lang, *hash;
	int64_t     expires, id;
	bool        active;
} subscribe_ctx;

static store_rc subscribe_tx(store *s, void *ctx)
{
	subscribe_ctx *c = ctx;
	arena a;
	arena_init(&a, MAIL_WORK_BUDGET);
	news_subscriber u;
	db_arg q[] = { DB_S(c->email) };
	store_rc rc = one_sub(s, &a, "SELECT id, email, lang, status, confirm_expires FROM "
	                             "news_subscribers WHERE email = $1", q, &u);
	c->active = rc == STORE_OK && !strcmp(u.status, "active");
	int64_t now = db_now();
	if (rc == STORE_NOTFOUND) {
		db_arg ins[] = { DB_S(c->email), DB_S(c->lang), DB_S(c->hash), DB_I(c->expires),
			         DB_I(now) };
		rc = db_exec(s, "INSERT INTO news_subscribers (email, lang, status, confirm_hash, "
		                "confirm_expires, created_at) VALUES ($1, $2, 'pending', $3, $4, $5) "
		                "RETURNING id",
		             ins, 5, &c->id, NULL);
	} else if (rc == STORE_OK && !c->active) {
		c->id = u.id;
		db_arg up[] = { DB_S(c->lang), DB_S(c->hash), DB_I(c->expires), DB_I(u.id) };
		rc = db_exec(s, "UPDATE news_subscribers SET status = 'pending', lang = $1, "
		                "confirm_hash = $2, confirm_expires = $3 WHERE id = $4",
		             up, 4, NULL, NULL);
	} else if (rc == STORE_OK) {
		c->id = u.id;
	}
	arena_free(&a);
	return rc;
}

store_rc news_store_subscribe(store *s, const char *email, const char *lang,
                              const char *token_hash, int64_t expires, bool *active,
                              int64_t *id_out)
{
	subscribe_ctx c = { email, lang, token_hash, expires, 0, false };
	store_rc rc = store_tx(s, subscribe_tx, &c);
	*active = c.active;
	*id_out = c.id;
	return rc;
}

store_rc news_store_pending(store *s, arena *a, const char *token_hash, news_subscriber *out)
{
	db_arg q[] = { DB_S(token_hash) };
	return one_sub(s, a, "SELECT id, email, lang, status, confirm_expires FROM news_subscribers "
	                     "WHERE confirm_hash = $1 AND status = 'pending'", q, out);
}

store_rc news_store_confirm(store *s, int64_t id, int64_t now)
{
	db_arg a[] = { DB_I(now), DB_I(id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE news_subscribers SET status = 'active', confirm_hash = '', "
	                         "confirmed_at = $1 WHERE id = $2 AND status = 'pending'",
	                      a, 2, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

store_rc news_store_subscriber(store *s, arena *a, int64_t id, news_subscriber *out)
{
	db_arg q[] = { DB_I(id) };
	return one_sub(s, a, "SELECT id, email, lang, status, confirm_expires FROM news_subscribers "
	                     "WHERE id = $1", q, out);
}

/* Unsubscribing keeps no address: the row stays (so a second click says
 * the same), its address replaced, and what was still to be sent to it is
 * dropped. */
store_rc news_store_unsubscribe(store *s, int64_t id, int64_t now)
{
	db_arg a[] = { DB_I(now), DB_I(id) };
	db_arg b[] = { DB_I(id) };
	store_rc rc = store_begin(s);
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE news_subscribers SET status = 'unsubscribed', confirm_hash = '', "
		                "email = 'removed-' || CAST(id AS TEXT) || '@unsubscribed.invalid', "
		                "unsubscribed_at = $1 WHERE id = $2 AND status <> 'unsubscribed'",
		             a, 2, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM mail_outbox WHERE subscriber_id = $1 AND status = 'queued'",
		             b, 1, NULL, NULL);
	if (rc == STORE_OK)
		rc = store_commit(s);
	else
		store_rollback(s);
	return rc;
}

store_rc news_store_forget(store *s, const char *email)
{
	db_arg a[] = { DB_S(email) };
	return db_exec(s, "DELETE FROM news_subscribers WHERE email = $1", a, 1, NULL, NULL);
}

store_rc news_store_issue_mark_sent(store *s, int64_t id, int64_t when)
{
	db_arg a[] = { DB_I(when), DB_I(id) };
	return db_exec(s, "UPDATE news_issues SET status = 'sent', sent_at = $1, finished_at = $1, "
	                  "fanout_done = 1 WHERE id = $2",
	               a, 2, NULL, NULL);
}

store_rc news_store_subscriber_by_email(store *s, arena *a, const char *email,
                                        news_subscriber *out)
{
	db_arg q[] = { DB_S(email) };
	return one_sub(s, a, "SELECT id, email, lang, status, confirm_expires FROM news_subscribers "
	                     "WHERE email = $1", q, out);
}
