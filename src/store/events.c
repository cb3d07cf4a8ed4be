/* events.c — store queries for notification events: one event per change
 * that people should hear about, written inside the change's own
 * transaction, and a notification row per person it concerns; the list a
 * person reads, its unread count, and marking it read. What an event says
 * is an English msgid with the subject for its %s, translated when read,
 * so each reader gets their own language.
 */
#include <string.h>

#include "db.h"

store_rc store_event_add(store *s, const store_event *e, const int64_t *users, size_t nusers,
                         int64_t *id_out)
{
	int64_t id = 0, now = db_now();
	db_arg a[] = { DB_S(e->kind), DB_S(e->msgid), DB_S(e->subject ? e->subject : ""),
		       DB_S(e->url ? e->url : ""), DB_S(e->object_type ? e->object_type : ""),
		       DB_I(e->object_id), e->actor_id ? DB_I(e->actor_id) : DB_NUL, DB_I(now) };
	store_rc rc = store_begin(s);
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO events (kind, msgid, subject, url, object_type, object_id, "
		                "actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
		             a, 8, &id, NULL);
	for (size_t i = 0; rc == STORE_OK && i < nusers; i++) {
		if (!users[i])
			continue;
		db_arg n[] = { DB_I(id), DB_I(users[i]), DB_I(now) };
		rc = db_exec(s, "INSERT INTO notifications (event_id, user_id, created_at) "
		                "VALUES ($1, $2, $3) ON CONFLICT (event_id, user_id) DO NOTHING",
		             n, 3, NULL, NULL);
	}
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
	store_rc rc = db_query(s, "SELECT n.id, e.kind, e.msgid, e.subject, e.url, n.created_at, "
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
