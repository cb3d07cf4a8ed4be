/* mail_store.c — the outbox's SQL: queueing a row, the due rows the
 * sender takes, marking a row sent, failed or for another try, the admin's
 * list and counts, and purging rows that are done. Through db.h only.
 */
#include <string.h>

#include "../../store/db.h"
#include "mail.h"

/* to_addr: the row's own address, else its person's (users.email). */
#define ROW_COLS "o.id, o.kind, COALESCE(o.user_id, 0), CASE WHEN o.to_addr <> '' THEN " \
	"o.to_addr ELSE COALESCE(u.email, '') END, o.subject, o.message, " \
	"COALESCE(o.notification_id, 0), COALESCE(o.issue_id, 0), COALESCE(o.subscriber_id, 0), " \
	"o.status, o.attempts, o.next_at, o.last_error, o.created_at, o.done_at " \
	"FROM mail_outbox o LEFT JOIN users u ON u.id = o.user_id"

static store_rc read_row(const db_row *r, arena *a, mail_row *m, bool body)
{
	m->id = db_int(r, 0);
	m->kind = db_text(a, r, 1);
	m->user_id = db_int(r, 2);
	m->to_addr = db_text(a, r, 3);
	m->subject = db_text(a, r, 4);
	m->message = body && !db_isnull(r, 5) ? db_text(a, r, 5) : NULL;
	m->notification_id = db_int(r, 6);
	m->issue_id = db_int(r, 7);
	m->subscriber_id = db_int(r, 8);
	m->status = db_text(a, r, 9);
	m->attempts = db_int(r, 10);
	m->next_at = db_int(r, 11);
	m->last_error = db_text(a, r, 12);
	m->created_at = db_int(r, 13);
	m->done_at = db_int(r, 14);
	if (body && !db_isnull(r, 5) && !m->message)
		return STORE_ERROR;
	return m->kind && m->to_addr && m->subject && m->status && m->last_error ? STORE_OK
	                                                                          : STORE_ERROR;
}

typedef struct rows_ctx { db_vec v; bool body; } rows_ctx;

static store_rc rows_row(const db_row *r, void *ctx)
{
	rows_ctx *c = ctx;
	mail_row *m = db_vec_push(&c->v);
	return m ? read_row(r, c->v.a, m, c->body) : STORE_ERROR;
}

store_rc mail_store_insert(store *s, const mail_row *r, int64_t *id_out)
{
	int64_t now = db_now();
	db_arg a[] = { DB_S(r->kind), r->user_id ? DB_I(r->user_id) : DB_NUL,
		       DB_S(r->to_addr ? r->to_addr : ""), DB_S(r->subject ? r->subject : ""),
		       DB_S(r->message), r->notification_id ? DB_I(r->notification_id) : DB_NUL,
		       r->issue_id ? DB_I(r->issue_id) : DB_NUL,
		       r->subscriber_id ? DB_I(r->subscriber_id) : DB_NUL, DB_I(now) };
	return db_exec(s, "INSERT INTO mail_outbox (kind, user_id, to_addr, subject, message, "
	                  "notification_id, issue_id, subscriber_id, next_at, created_at) "
	                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
	               a, 9, id_out, NULL);
}

store_rc mail_store_get(store *s, arena *a, int64_t id, mail_row *out)
{
	rows_ctx c = { { .a = a, .size = sizeof(mail_row) }, true };
	db_arg args[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " ROW_COLS " WHERE o.id = $1", args, 1,
	                       rows_row, &c);
	if (rc == STORE_OK && c.v.len == 0)
		return STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(mail_row *)c.v.items;
	return rc;
}

store_rc mail_store_due(store *s, arena *a, int64_t now, int limit, mail_row **out, size_t *n)
{
	rows_ctx c = { { .a = a, .size = sizeof(mail_row) }, true };
	db_arg args[] = { DB_I(now), DB_I(limit) };
	store_rc rc = db_query(s, "SELECT " ROW_COLS " WHERE o.status = 'queued' AND "
	                          "o.next_at <= $1 ORDER BY o.next_at, o.id LIMIT $2",
	                       args, 2, rows_row, &c);
	*out = c.v.items;
	*n = c.v.len;
	return rc;
}

store_rc mail_store_list(store *s, arena *a, const char *status, int64_t before_id, int limit,
                         mail_row **out, size_t *n)
{
	rows_ctx c = { { .a = a, .size = sizeof(mail_row) }, false };
	db_arg args[] = { DB_S(status ? status : ""), DB_I(before_id > 0 ? before_id : INT64_MAX),
		          DB_I(limit) };
	store_rc rc = db_query(s, "SELECT " ROW_COLS " WHERE ($1 = '' OR o.status = $1) "
	                          "AND o.id < $2 ORDER BY o.id DESC LIMIT $3",
	                       args, 3, rows_row, &c);
	*out = c.v.items;
	*n = c.v.len;
	return rc;
}

typedef struct counts { int64_t *q, *s, *f; } counts;

static store_rc count_row(const db_row *r, void *ctx)
{
	counts *c = ctx;
	const char *st = db_text_ref(r, 0);
	int64_t v = db_int(r, 1);
	if (!strcmp(st, "queued"))
		*c->q = v;
	else if (!strcmp(st, "sent"))
		*c->s = v;
	else if (!strcmp(st, "failed"))
		*c->f = v;
	return STORE_OK;
}

store_rc mail_store_counts(store *s, int64_t *queued, int64_t *sent, int64_t *failed)
{
	*queued = *sent = *failed = 0;
	counts c = { queued, sent, failed };
	return db_query(s, "SELECT status, COUNT(*) FROM mail_outbox GROUP BY status", NULL, 0,
	                count_row, &c);
}

/* A row that is done keeps no body: links in it may hold tokens. */
store_rc mail_store_sent(store *s, int64_t id, int64_t now)
{
	db_arg a[] = { DB_I(now), DB_I(id) };
	return db_exec(s, "UPDATE mail_outbox SET status = 'sent', done_at = $1, message = NULL, "
	                  "attempts = attempts + 1, last_error = '' WHERE id = $2 AND status = 'queued'",
	               a, 2, NULL, NULL);
}

store_rc mail_store_failed(store *s, int64_t id, int64_t now, const char *why)
{
	db_arg a[] = { DB_I(now), DB_S(why), DB_I(id) };
	return db_exec(s, "UPDATE mail_outbox SET status = 'failed', done_at = $1, message = NULL, "
	                  "attempts = attempts + 1, last_error = $2 WHERE id = $3 AND status = 'queued'",
	               a, 3, NULL, NULL);
}

store_rc mail_store_retry(store *s, int64_t id, int64_t next_at, const char *why)
{
	db_arg a[] = { DB_I(next_at), DB_S(why), DB_I(id) };
	return db_exec(s, "UPDATE mail_outbox SET next_at = $1, last_error = $2, "
	                  "attempts = attempts + 1 WHERE id = $3 AND status = 'queued'",
	               a, 3, NULL, NULL);
}

store_rc mail_store_purge(store *s, int64_t before)
{
	db_arg a[] = { DB_I(before) };
	return db_exec(s, "DELETE FROM mail_outbox WHERE status <> 'queued' AND done_at < $1", a, 1,
	               NULL, NULL);
}

store_rc mail_store_retry_now(store *s, int64_t now)
{
	db_arg a[] = { DB_I(now) };
	return db_exec(s, "UPDATE mail_outbox SET next_at = $1 WHERE status = 'queued' AND next_at > $1",
	               a, 1, NULL, NULL);
}

/* ---- the events' mails ---- */

#define NOTE_COLS "n.id, n.user_id, e.kind, CASE WHEN n.reason = 'follow' AND " \
	"e.follow_msgid <> '' THEN e.follow_msgid ELSE e.msgid END, e.subject, e.url, n.reason, " \
	"u.email, u.name, u.lang, n.created_at"

static store_rc note_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	mail_note *m = db_vec_push(v);
	if (!m)
		return STORE_ERROR;
	m->id = db_int(r, 0);
	m->user_id = db_int(r, 1);
	m->kind = db_text(v->a, r, 2);
	m->msgid = db_text(v->a, r, 3);
	m->subject = db_text(v->a, r, 4);
	m->url = db_text(v->a, r, 5);
	m->reason = db_text(v->a, r, 6);
	m->email = db_text(v->a, r, 7);
	m->name = db_text(v->a, r, 8);
	m->lang = db_text(v->a, r, 9);
	m->created_at = db_int(r, 10);
	return m->kind && m->msgid && m->subject && m->url && m->reason && m->email && m->name &&
	               m->lang ? STORE_OK : STORE_ERROR;
}

store_rc mail_store_note(store *s, arena *a, int64_t notification_id, mail_note *out)
{
	db_vec v = { .a = a, .size = sizeof(mail_note) };
	db_arg args[] = { DB_I(notification_id) };
	store_rc rc = db_query(s, "SELECT " NOTE_COLS " FROM notifications n JOIN events e ON "
	                          "e.id = n.event_id JOIN users u ON u.id = n.user_id WHERE n.id = $1",
	                       args, 1, note_row, &v);
	if (rc == STORE_OK && !v.len)
		return STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(mail_note *)v.items;
	return rc;
}

static store_rc int_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

store_rc mail_store_digest_notes(store *s, arena *a, int64_t digest_id, int limit,
                                 mail_note **out, size_t *n, int64_t *total)
{
	db_vec v = { .a = a, .size = sizeof(mail_note) };
	db_arg args[] = { DB_I(digest_id), DB_I(limit) };
	store_rc rc = db_query(s, "SELECT " NOTE_COLS " FROM notifications n JOIN events e ON "
	                          "e.id = n.event_id JOIN users u ON u.id = n.user_id "
	                          "WHERE n.digest_id = $1 ORDER BY n.id LIMIT $2",
	                       args, 2, note_row, &v);
	*out = v.items;
	*n = v.len;
	*total = 0;
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT COUNT(*) FROM notifications WHERE digest_id = $1", args, 1,
		              int_row, total);
	return rc;
}

typedef struct digest_ctx { const char *period; int64_t now, made; } digest_ctx;

static store_rc ids_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	int64_t *p = db_vec_push(v);
	if (!p)
		return STORE_ERROR;
	*p = db_int(r, 0);
	return STORE_OK;
}

static store_rc digest_tx(store *s, void *ctx)
{
	digest_ctx *c = ctx;
	c->made = 0;
	arena a;
	arena_init(&a, MAIL_WORK_BUDGET);
	db_vec v = { .a = &a, .size = sizeof(int64_t) };
	db_arg q[] = { DB_S(c->period) };
	store_rc rc = db_query(s, "SELECT DISTINCT n.user_id FROM notifications n JOIN users u ON "
	                          "u.id = n.user_id WHERE n.mail = $1 AND n.digest_id IS NULL AND "
	                          "u.email_confirmed = 1 ORDER BY n.user_id",
	                       q, 1, ids_row, &v);
	for (size_t i = 0; rc == STORE_OK && i < v.len; i++) {
		int64_t uid = ((int64_t *)v.items)[i], id = 0;
		mail_row r = { .kind = "notify.digest", .user_id = uid, .subject = c->period };
		rc = mail_store_insert(s, &r, &id);
		db_arg u[] = { DB_I(id), DB_I(uid), DB_S(c->period) };
		if (rc == STORE_OK)
			rc = db_exec(s, "UPDATE notifications SET digest_id = $1 WHERE user_id = $2 AND "
			                "mail = $3 AND digest_id IS NULL",
			             u, 3, NULL, NULL);
		if (rc == STORE_OK)
			c->made++;
	}
	arena_free(&a);
	return rc;
}

store_rc mail_store_digest_queue(store *s, const char *period, int64_t now, int64_t *n)
{
	digest_ctx c = { period, now, 0 };
	store_rc rc = store_tx(s, digest_tx, &c);
	*n = rc == STORE_OK ? c.made : 0;
	return rc;
}
