/* events.c — store queries for notification events: one event per change
 * that people should hear about, written inside the change's own
 * transaction, and a notification row per person it concerns — the people
 * it names and the followers of its objects — with how each wants it by
 * e-mail, and the outbox rows of the e-mails to send now; following; the
 * list a person reads, its unread count, and marking it read. What an
 * event says is an English msgid with the subject for its %s, translated
 * when read, so each reader gets their own language. The tables it writes
 * besides events and notifications come from the notify feature's
 * migration (follows, notify_prefs: 020) and the mail feature's (the
 * outbox: 023).
 */
#include <string.h>

#include "db.h"

/* How a person wants this kind by e-mail: their most specific preference
 * whose kind is a prefix of the event's kind (notify_prefs), else the
 * default for why they have it. */
#define PREF(user, kind, dflt) \
	"COALESCE((SELECT p.mail FROM notify_prefs p WHERE p.user_id = " user " AND p.kind = " \
	"substr(" kind ", 1, length(p.kind)) ORDER BY length(p.kind) DESC LIMIT 1), '" dflt "')"

/* The followers of one object get the notification, except the actor. */
static store_rc add_followers(store *s, int64_t event_id, int64_t now, const char *kind,
                              const char *type, int64_t id, int64_t actor)
{
	if (!type || !*type)
		return STORE_OK;
	db_arg a[] = { DB_I(event_id), DB_I(now), DB_S(kind), DB_S(type), DB_I(id), DB_I(actor) };
	return db_exec(s, "INSERT INTO notifications (event_id, user_id, created_at, reason, mail) "
	                  "SELECT CAST($1 AS BIGINT), f.user_id, CAST($2 AS BIGINT), 'follow', " PREF("f.user_id", "$3", "daily")
	                  " FROM follows f WHERE f.object_type = $4 AND f.object_id = $5 AND "
	                  "f.active = 1 AND f.user_id <> $6 ON CONFLICT (event_id, user_id) DO NOTHING",
	               a, 6, NULL, NULL);
}

store_rc store_event_add(store *s, const store_event *e, const int64_t *users, size_t nusers,
                         int64_t *id_out)
{
	int64_t id = 0, now = db_now();
	const char *fmsg = e->follower_msgid;
	bool followers = !fmsg || *fmsg;
	db_arg a[] = { DB_S(e->kind), DB_S(e->msgid), DB_S(e->subject ? e->subject : ""),
		       DB_S(e->url ? e->url : ""), DB_S(e->object_type ? e->object_type : ""),
		       DB_I(e->object_id), e->actor_id ? DB_I(e->actor_id) : DB_NUL, DB_I(now),
		       DB_S(fmsg && strcmp(fmsg, e->msgid) ? fmsg : "") };
	store_rc rc = store_begin(s);
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO events (kind, msgid, subject, url, object_type, object_id, "
		                "actor_id, created_at, follow_msgid) "
		                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
		             a, 9, &id, NULL);
	for (size_t i = 0; rc == STORE_OK && i < nusers; i++) {
		if (!users[i])
			continue;
		db_arg n[] = { DB_I(id), DB_I(users[i]), DB_I(now), DB_S(e->kind) };
		rc = db_exec(s, "INSERT INTO notifications (event_id, user_id, created_at, reason, mail) "
		                "SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), 'named', " PREF("$2", "$4", "now")
		                " WHERE 1 = 1 ON CONFLICT (event_id, user_id) DO NOTHING",
		             n, 4, NULL, NULL);
	}
	if (rc == STORE_OK && followers)
		rc = add_followers(s, id, now, e->kind, e->object_type, e->object_id, e->actor_id);
	for (size_t i = 0; rc == STORE_OK && followers && i < e->nalso; i++)
		rc = add_followers(s, id, now, e->kind, e->also[i].type, e->also[i].id, e->actor_id);
	/* The e-mails to send now: the mail feature's outbox (023_outbox.sql). */
	db_arg m[] = { DB_I(id), DB_I(now) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO mail_outbox (kind, user_id, notification_id, next_at, "
		                "created_at) SELECT 'notify.event', n.user_id, n.id, CAST($2 AS BIGINT), "
		                "CAST($2 AS BIGINT) "
		                "FROM notifications n JOIN users u ON u.id = n.user_id "
		                "WHERE n.event_id = $1 AND n.mail = 'now' AND u.email_confirmed = 1",
		             m, 2, NULL, NULL);
	if (rc == STORE_OK)
		rc = store_commit(s);
	if (rc != STORE_OK) {
		store_rollback(s);
		return rc;
	}
	if (id_out)
		*id_out = id;
	return STORE_OK;
}

store_rc store_follow_auto(store *s, int64_t user_id, const char *object_type, int64_t object_id)
{
	if (!user_id)
		return STORE_OK;
	db_arg a[] = { DB_I(user_id), DB_S(object_type), DB_I(object_id), DB_I(db_now()) };
	return db_exec(s, "INSERT INTO follows (user_id, object_type, object_id, active, automatic, "
	                  "created_at) VALUES ($1, $2, $3, 1, 1, $4) "
	                  "ON CONFLICT (user_id, object_type, object_id) DO NOTHING",
	               a, 4, NULL, NULL);
}

store_rc store_follow_set(store *s, int64_t user_id, const char *object_type, int64_t object_id,
                          bool on)
{
	db_arg a[] = { DB_I(user_id), DB_S(object_type), DB_I(object_id), DB_I(on), DB_I(db_now()) };
	return db_exec(s, "INSERT INTO follows (user_id, object_type, object_id, active, automatic, "
	                  "created_at) VALUES ($1, $2, $3, $4, 0, $5) "
	                  "ON CONFLICT (user_id, object_type, object_id) DO UPDATE SET "
	                  "active = excluded.active, automatic = 0",
	               a, 5, NULL, NULL);
}

static store_rc bool_row(const db_row *r, void *ctx)
{
	*(bool *)ctx = db_bool(r, 0);
	return STORE_OK;
}

store_rc store_follows(store *s, int64_t user_id, const char *object_type, int64_t object_id,
                       bool *on)
{
	*on = false;
	db_arg a[] = { DB_I(user_id), DB_S(object_type), DB_I(object_id) };
	return db_query(s, "SELECT active FROM follows WHERE user_id = $1 AND object_type = $2 AND "
	                   "object_id = $3",
	                a, 3, bool_row, on);
}

typedef struct list_ctx { db_vec v; } list_ctx;

static store_rc note_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	store_notification *n = db_vec_push(v);
	if (!n)
		return STORE_ERROR;
	n->id = db_int(r, 0);
	n->kind = db_text(v->a, r, 1);
	n->msgid = db_text(v->a, r, 2);
	n->subject = db_text(v->a, r, 3);
	n->url = db_text(v->a, r, 4);
	n->created_at = db_int(r, 5);
	n->read = !db_isnull(r, 6);
	return n->kind && n->msgid && n->subject && n->url ? STORE_OK : STORE_ERROR;
}

store_rc store_notifications(store *s, arena *a, int64_t user_id, int64_t before_id, int limit,
                             store_notification **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof **out };
	db_arg args[] = { DB_I(user_id), DB_I(before_id > 0 ? before_id : INT64_MAX), DB_I(limit) };
	store_rc rc = db_query(s, "SELECT n.id, e.kind, CASE WHEN n.reason = 'follow' AND "
	                          "e.follow_msgid <> '' THEN e.follow_msgid ELSE e.msgid END, "
	                          "e.subject, e.url, n.created_at, "
	                          "n.read_at FROM notifications n JOIN events e ON e.id = n.event_id "
	                          "WHERE n.user_id = $1 AND n.id < $2 ORDER BY n.id DESC LIMIT $3",
	                       args, 3, note_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

static store_rc count_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

store_rc store_notifications_unread(store *s, int64_t user_id, int64_t *count)
{
	*count = 0;
	db_arg a[] = { DB_I(user_id) };
	return db_query(s, "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
	                a, 1, count_row, count);
}

store_rc store_notifications_read(store *s, int64_t user_id, int64_t upto_id)
{
	db_arg a[] = { DB_I(db_now()), DB_I(user_id), DB_I(upto_id) };
	return db_exec(s, "UPDATE notifications SET read_at = $1 "
	                  "WHERE user_id = $2 AND id <= $3 AND read_at IS NULL",
	               a, 3, NULL, NULL);
}
