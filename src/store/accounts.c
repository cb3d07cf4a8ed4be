/* accounts.c — store queries for users, sessions, organisations and
 * memberships. Passwords arrive here already hashed; session tokens
 * arrive already hashed.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"

static const char *const role_names[] = { "participant", "organiser", "admin" };

const char *role_name(role r)
{
	return (unsigned)r < 3 ? role_names[r] : "participant";
}

bool role_parse(const char *s, role *out)
{
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, role_names[i]) == 0) {
			*out = (role)i;
			return true;
		}
	return false;
}

bool org_sector_valid(const char *s)
{
	static const char *const sectors[] = { "government", "civil_society", "business",
		                               "academia", "other" };
	for (size_t i = 0; i < sizeof sectors / sizeof *sectors; i++)
		if (s && strcmp(s, sectors[i]) == 0)
			return true;
	return false;
}

#define USER_COLS "u.id, u.email, u.name, u.password_hash, u.role, u.created_at"

static store_rc read_user(const db_row *r, arena *a, user *u)
{
	u->id = db_int(r, 0);
	u->email = db_text(a, r, 1);
	u->name = db_text(a, r, 2);
	u->password_hash = db_text(a, r, 3);
	role_parse(db_text_ref(r, 4), &u->role);
	u->created_at = db_int(r, 5);
	return u->email && u->name && u->password_hash ? STORE_OK : STORE_ERROR;
}

typedef struct one_user { arena *a; user *u; bool found; } one_user;

static store_rc one_user_row(const db_row *r, void *ctx)
{
	one_user *o = ctx;
	o->found = true;
	return read_user(r, o->a, o->u);
}

static store_rc users_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	user *u = db_vec_push(v);
	return u ? read_user(r, v->a, u) : STORE_ERROR;
}

store_rc store_user_create(store *s, const char *email, const char *name,
                           const char *password_hash, role r, int64_t *id_out)
{
	db_arg a[] = { DB_S(email), DB_S(name), DB_S(password_hash), DB_S(role_name(r)),
		       DB_I(db_now()) };
	return db_exec(s, "INSERT INTO users (email, name, password_hash, role, created_at) "
	                  "VALUES ($1, $2, $3, $4, $5) RETURNING id",
	               a, 5, id_out, NULL);
}

store_rc store_user_by_email(store *s, arena *a, const char *email, user *out)
{
	one_user o = { a, out, false };
	db_arg args[] = { DB_S(email) };
	store_rc rc = db_query(s, "SELECT " USER_COLS " FROM users u WHERE u.email = $1",
	                       args, 1, one_user_row, &o);
	return rc == STORE_OK && !o.found ? STORE_NOTFOUND : rc;
}

store_rc store_user_by_id(store *s, arena *a, int64_t id, user *out)
{
	one_user o = { a, out, false };
	db_arg args[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " USER_COLS " FROM users u WHERE u.id = $1",
	                       args, 1, one_user_row, &o);
	return rc == STORE_OK && !o.found ? STORE_NOTFOUND : rc;
}

static store_rc exec_one(store *s, const char *sql, const db_arg *a, int n)
{
	int changes = 0;
	store_rc rc = db_exec(s, sql, a, n, NULL, &changes);
	return rc == STORE_OK && changes == 0 ? STORE_NOTFOUND : rc;
}

store_rc store_user_set_password(store *s, int64_t id, const char *password_hash)
{
	db_arg a[] = { DB_S(password_hash), DB_I(id) };
	return exec_one(s, "UPDATE users SET password_hash = $1 WHERE id = $2", a, 2);
}

store_rc store_user_set_role(store *s, int64_t id, role r)
{
	db_arg a[] = { DB_S(role_name(r)), DB_I(id) };
	return exec_one(s, "UPDATE users SET role = $1 WHERE id = $2", a, 2);
}

store_rc store_user_list(store *s, arena *a, user **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(user) };
	store_rc rc = db_query(s, "SELECT " USER_COLS " FROM users u "
	                          "ORDER BY lower(u.name), u.name, u.id",
	                       NULL, 0, users_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc store_session_create(store *s, const char *token_hash, int64_t user_id,
                              int64_t expires_at)
{
	db_arg a[] = { DB_S(token_hash), DB_I(user_id), DB_I(db_now()), DB_I(expires_at) };
	return db_exec(s, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) "
	                  "VALUES ($1, $2, $3, $4)",
	               a, 4, NULL, NULL);
}

store_rc store_session_user(store *s, arena *a, const char *token_hash, int64_t now, user *out)
{
	one_user o = { a, out, false };
	db_arg args[] = { DB_S(token_hash), DB_I(now) };
	store_rc rc = db_query(s, "SELECT " USER_COLS " FROM sessions se "
	                          "JOIN users u ON u.id = se.user_id "
	                          "WHERE se.token_hash = $1 AND se.expires_at > $2",
	                       args, 2, one_user_row, &o);
	return rc == STORE_OK && !o.found ? STORE_NOTFOUND : rc;
}

store_rc store_session_delete(store *s, const char *token_hash)
{
	db_arg a[] = { DB_S(token_hash) };
	return db_exec(s, "DELETE FROM sessions WHERE token_hash = $1", a, 1, NULL, NULL);
}

store_rc store_session_delete_user(store *s, int64_t user_id, const char *keep_hash)
{
	db_arg a[] = { DB_I(user_id), DB_S(keep_hash ? keep_hash : "") };
	return db_exec(s, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
	               a, 2, NULL, NULL);
}

/* ---- organisations ---- */

#define ORG_COLS "o.id, o.name, o.sector, " \
	"(SELECT COUNT(*) FROM memberships m WHERE m.organisation_id = o.id)"

static store_rc read_org(const db_row *r, arena *a, organisation *o)
{
	o->id = db_int(r, 0);
	o->name = db_text(a, r, 1);
	o->sector = db_text(a, r, 2);
	o->members = db_int(r, 3);
	return o->name && o->sector ? STORE_OK : STORE_ERROR;
}

static store_rc orgs_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	organisation *o = db_vec_push(v);
	return o ? read_org(r, v->a, o) : STORE_ERROR;
}

store_rc store_org_create(store *s, const char *name, const char *sector, int64_t *id_out)
{
	db_arg a[] = { DB_S(name), DB_S(sector), DB_I(db_now()) };
	return db_exec(s, "INSERT INTO organisations (name, sector, created_at) "
	                  "VALUES ($1, $2, $3) RETURNING id",
	               a, 3, id_out, NULL);
}

store_rc store_org_update(store *s, int64_t id, const char *name, const char *sector)
{
	db_arg a[] = { DB_S(name), DB_S(sector), DB_I(id) };
	return exec_one(s, "UPDATE organisations SET name = $1, sector = $2 WHERE id = $3", a, 3);
}

store_rc store_org_get(store *s, arena *a, int64_t id, organisation *out)
{
	db_vec v = { .a = a, .size = sizeof(organisation) };
	db_arg args[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " ORG_COLS " FROM organisations o WHERE o.id = $1",
	                       args, 1, orgs_row, &v);
	if (rc != STORE_OK)
		return rc;
	if (v.len == 0)
		return STORE_NOTFOUND;
	*out = *(organisation *)v.items;
	return STORE_OK;
}

store_rc store_org_list(store *s, arena *a, organisation **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(organisation) };
	store_rc rc = db_query(s, "SELECT " ORG_COLS " FROM organisations o "
	                          "ORDER BY lower(o.name), o.name, o.id",
	                       NULL, 0, orgs_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc store_org_members(store *s, arena *a, int64_t org_id, user **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(user) };
	db_arg args[] = { DB_I(org_id) };
	store_rc rc = db_query(s, "SELECT " USER_COLS " FROM memberships m "
	                          "JOIN users u ON u.id = m.user_id "
	                          "WHERE m.organisation_id = $1 "
	                          "ORDER BY lower(u.name), u.name, u.id",
	                       args, 1, users_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc store_user_orgs(store *s, arena *a, int64_t user_id, organisation **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(organisation) };
	db_arg args[] = { DB_I(user_id) };
	store_rc rc = db_query(s, "SELECT " ORG_COLS " FROM memberships mm "
	                          "JOIN organisations o ON o.id = mm.organisation_id "
	                          "WHERE mm.user_id = $1 "
	                          "ORDER BY lower(o.name), o.name, o.id",
	                       args, 1, orgs_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc store_membership_add(store *s, int64_t user_id, int64_t org_id)
{
	db_arg a[] = { DB_I(user_id), DB_I(org_id), DB_I(db_now()) };
	return db_exec(s, "INSERT INTO memberships (user_id, organisation_id, created_at) "
	                  "VALUES ($1, $2, $3)",
	               a, 3, NULL, NULL);
}

store_rc store_membership_remove(store *s, int64_t user_id, int64_t org_id)
{
	db_arg a[] = { DB_I(user_id), DB_I(org_id) };
	return exec_one(s, "DELETE FROM memberships WHERE user_id = $1 AND organisation_id = $2",
	                a, 2);
}
