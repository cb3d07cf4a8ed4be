/* monitor_store_forum.c — SQL for the stakeholder forum of a plan: its
 * settings (the composition rule and how often it meets), its members
 * (a person for an organisation, a role, from and until), its rules of
 * procedure in numbered versions, and its meetings (the agenda's sessions
 * of kind "forum"). A change to the forum first takes the forum's own row
 * (an UPDATE, a row lock on every backend), so overlapping memberships and
 * version numbers are decided one writer at a time. The meetings are read
 * from the agenda's table (src/features/agenda): a forum meeting is a
 * session, with its registrations and report, like any other.
 */
#include <stdio.h>
#include <string.h>

#include "../../store/db.h"
#include "monitor.h"

static store_rc count_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

/* The forum's row, made when missing and locked until the transaction
 * ends. */
static store_rc lock_forum(store *s, int64_t plan_id)
{
	int64_t now = db_now();
	db_arg a[] = { DB_I(plan_id), DB_I(now) };
	store_rc rc = db_exec(s, "INSERT INTO monitor_forums (plan_id, updated_at) VALUES ($1, $2) "
	                         "ON CONFLICT (plan_id) DO NOTHING",
	                      a, 2, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE monitor_forums SET updated_at = $2 WHERE plan_id = $1", a, 2,
		             NULL, NULL);
	return rc;
}

static store_rc forum_row(const db_row *r, void *ctx)
{
	monitor_forum *f = ctx;
	f->min_nongov = (int)db_int(r, 0);
	f->per_year = (int)db_int(r, 1);
	return STORE_OK;
}

store_rc monitor_store_forum(store *s, int64_t plan_id, monitor_forum *out)
{
	*out = (monitor_forum){ .plan_id = plan_id, .min_nongov = 50, .per_year = 4 };
	db_arg a[] = { DB_I(plan_id) };
	return db_query(s, "SELECT min_nongov, meetings_per_year FROM monitor_forums WHERE "
	                   "plan_id = $1",
	                a, 1, forum_row, out);
}

typedef struct settings_ctx {
	int64_t plan_id;
	int min_nongov, per_year;
} settings_ctx;

static store_rc settings_tx(store *s, void *ctx)
{
	settings_ctx *c = ctx;
	store_rc rc = lock_forum(s, c->plan_id);
	db_arg a[] = { DB_I(c->min_nongov), DB_I(c->per_year), DB_I(c->plan_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE monitor_forums SET min_nongov = $1, meetings_per_year = $2 "
		                "WHERE plan_id = $3",
		             a, 3, NULL, NULL);
	return rc;
}

store_rc monitor_store_forum_set(store *s, int64_t plan_id, int min_nongov, int per_year)
{
	settings_ctx c = { plan_id, min_nongov, per_year };
	return store_tx(s, settings_tx, &c);
}

/* ---- members ---- */

#define MEMBER_COLS                                                                            \
	"m.id, m.plan_id, m.user_id, u.name, m.org_id, o.name, o.sector, m.role, m.from_on, "   \
	"m.until_on FROM monitor_members m JOIN users u ON u.id = m.user_id JOIN organisations o " \
	"ON o.id = m.org_id "

static store_rc member_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_member *m = db_vec_push(v);
	if (!m)
		return STORE_ERROR;
	m->id = db_int(r, 0);
	m->plan_id = db_int(r, 1);
	m->user_id = db_int(r, 2);
	m->org_id = db_int(r, 4);
	const char **txt[] = { &m->name, NULL, &m->org_name, &m->sector, &m->role, &m->from_on,
		               &m->until_on };
	for (int i = 0; i < (int)(sizeof txt / sizeof *txt); i++)
		if (txt[i] && !(*txt[i] = db_text(v->a, r, 3 + i)))
			return STORE_ERROR;
	return STORE_OK;
}

store_rc monitor_store_members(store *s, arena *a, int64_t plan_id, monitor_member **out,
                               size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(monitor_member) };
	db_arg args[] = { DB_I(plan_id) };
	store_rc rc = db_query(s, "SELECT " MEMBER_COLS "WHERE m.plan_id = $1 ORDER BY CASE m.role "
	                          "WHEN 'chair' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, "
	                          "lower(u.name), u.name, m.from_on, m.id",
	                       args, 1, member_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc monitor_store_member_get(store *s, arena *a, int64_t id, monitor_member *out)
{
	db_vec v = { .a = a, .size = sizeof(monitor_member) };
	db_arg args[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " MEMBER_COLS "WHERE m.id = $1", args, 1, member_row, &v);
	if (rc == STORE_OK && !v.len)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(monitor_member *)v.items;
	return rc;
}

typedef struct member_ctx {
	const monitor_member *x;
	int64_t id;
} member_ctx;

static store_rc member_tx(store *s, void *ctx)
{
	member_ctx *c = ctx;
	const monitor_member *x = c->x;
	c->id = 0;
	store_rc rc = lock_forum(s, x->plan_id);
	if (rc != STORE_OK)
		return rc;
	/* Another period of the same person that overlaps this one. */
	int64_t overlap = 0;
	db_arg o[] = { DB_I(x->plan_id), DB_I(x->user_id), DB_I(x->id), DB_S(x->from_on),
		       DB_S(x->until_on) };
	rc = db_query(s, "SELECT COUNT(*) FROM monitor_members WHERE plan_id = $1 AND user_id = $2 "
	                 "AND id <> $3 AND (until_on = '' OR until_on >= $4) AND "
	                 "($5 = '' OR from_on <= $5)",
	              o, 5, count_row, &overlap);
	if (rc != STORE_OK)
		return rc;
	if (overlap)
		return STORE_CONFLICT;
	int64_t now = db_now();
	if (x->id) {
		int changes = 0;
		db_arg a[] = { DB_I(x->org_id), DB_S(x->role), DB_S(x->from_on), DB_S(x->until_on),
			       DB_I(now), DB_I(x->id), DB_I(x->plan_id), DB_I(x->user_id) };
		rc = db_exec(s, "UPDATE monitor_members SET org_id = $1, role = $2, from_on = $3, "
		                "until_on = $4, updated_at = $5 WHERE id = $6 AND plan_id = $7 AND "
		                "user_id = $8",
		             a, 8, NULL, &changes);
		c->id = x->id;
		return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
	}
	db_arg a[] = { DB_I(x->plan_id), DB_I(x->user_id), DB_I(x->org_id), DB_S(x->role),
		       DB_S(x->from_on), DB_S(x->until_on), DB_I(now) };
	return db_exec(s, "INSERT INTO monitor_members (plan_id, user_id, org_id, role, from_on, "
	                  "until_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) "
	                  "RETURNING id",
	               a, 7, &c->id, NULL);
}

store_rc monitor_store_member_save(store *s, const monitor_member *x, int64_t *id_out)
{
	member_ctx c = { x, 0 };
	store_rc rc = store_tx(s, member_tx, &c);
	if (id_out)
		*id_out = rc == STORE_OK ? c.id : 0;
	return rc;
}

store_rc monitor_store_member_delete(store *s, int64_t plan_id, int64_t id)
{
	int changes = 0;
	db_arg a[] = { DB_I(id), DB_I(plan_id) };
	store_rc rc = db_exec(s, "DELETE FROM monitor_members WHERE id = $1 AND plan_id = $2", a, 2,
	                      NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

typedef struct org_ctx {
	bool found;
	int64_t org_id;
} org_ctx;

static store_rc member_org_row(const db_row *r, void *ctx)
{
	org_ctx *c = ctx;
	c->found = true;
	c->org_id = db_int(r, 0);
	return STORE_OK;
}

bool monitor_store_is_member(store *s, int64_t plan_id, int64_t user_id, int today,
                             int64_t *org_id)
{
	char day[16];
	snprintf(day, sizeof day, "%04d-%02d-%02d", today / 10000 % 10000, today / 100 % 100,
	         today % 100);
	org_ctx c = { false, 0 };
	db_arg a[] = { DB_I(plan_id), DB_I(user_id), DB_S(day) };
	store_rc rc = db_query(s, "SELECT org_id FROM monitor_members WHERE plan_id = $1 AND "
	                          "user_id = $2 AND from_on <= $3 AND (until_on = '' OR until_on >= $3) "
	                          "ORDER BY CASE role WHEN 'chair' THEN 0 WHEN 'member' THEN 1 ELSE 2 "
	                          "END, id LIMIT 1",
	                       a, 3, member_org_row, &c);
	if (org_id)
		*org_id = c.org_id;
	return rc == STORE_OK && c.found;
}

/* ---- rules of procedure ---- */

static store_rc rules_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_rules *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	x->id = db_int(r, 0);
	x->version = (int)db_int(r, 1);
	x->body = db_text(v->a, r, 2);
	x->note = db_text(v->a, r, 3);
	x->published_at = db_int(r, 4);
	return x->body && x->note ? STORE_OK : STORE_ERROR;
}

store_rc monitor_store_rules(store *s, arena *a, int64_t plan_id, monitor_rules **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(monitor_rules) };
	db_arg args[] = { DB_I(plan_id) };
	store_rc rc = db_query(s, "SELECT id, version, body, note, published_at FROM "
	                          "monitor_forum_rules WHERE plan_id = $1 ORDER BY version DESC",
	                       args, 1, rules_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

typedef struct rules_ctx {
	int64_t plan_id, user_id;
	const char *body, *note;
	int version;
} rules_ctx;

static store_rc version_row(const db_row *r, void *ctx)
{
	*(int *)ctx = (int)db_int(r, 0);
	return STORE_OK;
}

static store_rc rules_tx(store *s, void *ctx)
{
	rules_ctx *c = ctx;
	c->version = 0;
	store_rc rc = lock_forum(s, c->plan_id);
	db_arg p[] = { DB_I(c->plan_id) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT COALESCE(MAX(version), 0) + 1 FROM monitor_forum_rules WHERE "
		                 "plan_id = $1",
		              p, 1, version_row, &c->version);
	db_arg a[] = { DB_I(c->plan_id), DB_I(c->version), DB_S(c->body), DB_S(c->note),
		       c->user_id ? DB_I(c->user_id) : DB_NUL, DB_I(db_now()) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO monitor_forum_rules (plan_id, version, body, note, "
		                "published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6)",
		             a, 6, NULL, NULL);
	return rc;
}

store_rc monitor_store_rules_publish(store *s, int64_t plan_id, const char *body,
                                     const char *note, int64_t user_id, int *version_out)
{
	rules_ctx c = { plan_id, user_id, body, note, 0 };
	store_rc rc = store_tx(s, rules_tx, &c);
	if (version_out)
		*version_out = rc == STORE_OK ? c.version : 0;
	return rc;
}

/* ---- meetings ---- */

static store_rc meeting_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_meeting *m = db_vec_push(v);
	if (!m)
		return STORE_ERROR;
	m->id = db_int(r, 0);
	m->title = db_text(v->a, r, 1);
	m->starts_at = db_int(r, 2);
	m->ends_at = db_int(r, 3);
	m->cancelled = db_bool(r, 4);
	m->has_report = db_bool(r, 5);
	return m->title ? STORE_OK : STORE_ERROR;
}

store_rc monitor_store_meetings(store *s, arena *a, int64_t plan_id, monitor_meeting **out,
                                size_t *n)
{
	/* The agenda's sessions of kind "forum" that the public sees: published
	 * ones, and cancelled ones (a cancelled meeting did not happen). */
	db_vec v = { .a = a, .size = sizeof(monitor_meeting) };
	db_arg args[] = { DB_I(plan_id) };
	store_rc rc = db_query(s, "SELECT id, title, starts_at, ends_at, "
	                          "CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END, "
	                          "CASE WHEN report_published <> 0 AND report <> '' THEN 1 ELSE 0 END "
	                          "FROM agenda_sessions WHERE plan_id = $1 AND kind = 'forum' AND "
	                          "status IN ('published', 'cancelled') ORDER BY starts_at, id",
	                       args, 1, meeting_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}
