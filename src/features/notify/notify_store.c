/* notify_store.c — the notify feature's SQL: what a person follows (with
 * each object's title), their e-mail preferences per kind, whether a
 * followable object exists, and their notifications for the download of
 * their own data. Through db.h only.
 */
#include <string.h>

#include "../../store/db.h"
#include "notify.h"

/* The title of a followable object, per type. A feature whose objects can
 * be followed adds its type here (one query). */
#define TITLE_SQL \
	"CASE f.object_type " \
	"WHEN 'plan' THEN (SELECT title FROM plans WHERE id = f.object_id) " \
	"WHEN 'theme' THEN (SELECT name FROM themes WHERE id = f.object_id) " \
	"WHEN 'action' THEN (SELECT title FROM action_points WHERE id = f.object_id) " \
	"WHEN 'consultation' THEN (SELECT title FROM cons_consultations WHERE id = f.object_id) " \
	"WHEN 'session' THEN (SELECT title FROM agenda_sessions WHERE id = f.object_id) " \
	"END"

static store_rc follow_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	notify_follow *f = db_vec_push(v);
	if (!f)
		return STORE_ERROR;
	f->object_type = db_text(v->a, r, 0);
	f->object_id = db_int(r, 1);
	f->title = db_text(v->a, r, 2);
	f->automatic = db_bool(r, 3);
	return f->object_type && f->title ? STORE_OK : STORE_ERROR;
}

store_rc notify_store_follows(store *s, arena *a, int64_t user_id, notify_follow **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(notify_follow) };
	db_arg args[] = { DB_I(user_id) };
	store_rc rc = db_query(s, "SELECT f.object_type, f.object_id, COALESCE(" TITLE_SQL ", ''), "
	                          "f.automatic FROM follows f WHERE f.user_id = $1 AND f.active = 1 "
	                          "ORDER BY f.object_type, f.object_id",
	                       args, 1, follow_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

typedef struct text_ctx { arena *a; const char *v; bool found; } text_ctx;

static store_rc text_row(const db_row *r, void *ctx)
{
	text_ctx *t = ctx;
	t->found = true;
	t->v = db_text(t->a, r, 0);
	return t->v ? STORE_OK : STORE_ERROR;
}

store_rc notify_store_pref_get(store *s, arena *a, int64_t user_id, const char *kind,
                               const char **mail)
{
	text_ctx t = { a, "", false };
	db_arg args[] = { DB_I(user_id), DB_S(kind) };
	store_rc rc = db_query(s, "SELECT mail FROM notify_prefs WHERE user_id = $1 AND kind = $2",
	                       args, 2, text_row, &t);
	*mail = t.found ? t.v : "";
	return rc;
}

store_rc notify_store_pref_set(store *s, int64_t user_id, const char *kind, const char *mail)
{
	if (!*mail) {
		db_arg a[] = { DB_I(user_id), DB_S(kind) };
		return db_exec(s, "DELETE FROM notify_prefs WHERE user_id = $1 AND kind = $2", a, 2,
		               NULL, NULL);
	}
	db_arg a[] = { DB_I(user_id), DB_S(kind), DB_S(mail) };
	return db_exec(s, "INSERT INTO notify_prefs (user_id, kind, mail) VALUES ($1, $2, $3) "
	                  "ON CONFLICT (user_id, kind) DO UPDATE SET mail = excluded.mail",
	               a, 3, NULL, NULL);
}

store_rc notify_store_object(store *s, arena *a, const char *type, int64_t id, const char **title)
{
	text_ctx t = { a, NULL, false };
	db_arg args[] = { DB_S(type), DB_I(id) };
	store_rc rc = db_query(s, "SELECT " TITLE_SQL " FROM (SELECT CAST($1 AS TEXT) AS object_type, "
	                          "CAST($2 AS BIGINT) AS object_id) f",
	                       args, 2, text_row, &t);
	if (rc == STORE_OK && (!t.v || !*t.v))
		return STORE_NOTFOUND;
	*title = t.v;
	return rc;
}
