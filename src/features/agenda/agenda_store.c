/* agenda_store.c — store queries for sessions: the session itself with its
 * themes, action points and attached poll reports, the agenda's filtered
 * lists, status changes (publish, cancel, approve, reject) with their
 * notification events, the report, and registrations with the waitlist.
 *
 * Every registration change of a session first takes the session's row
 * lock with an UPDATE of its reg_seq (the same on SQLite, where a write
 * transaction is exclusive, and PostgreSQL, where the UPDATE locks the
 * row), then counts and writes: so 200 people registering at once for 50
 * places get exactly 50 places and 150 waitlist entries, in the order in
 * which they got the lock. The board and the table conversation are in
 * agenda_store_board.c.
 */
#include <stdio.h>
#include <string.h>

#include "../../store/db.h"
#include "agenda.h"

#define SESSION_COLS \
	"s.id, s.plan_id, s.kind, s.title, s.description, s.starts_at, s.ends_at, s.mode, " \
	"s.meeting_url, s.address, s.capacity, s.waitlist, s.reg_opens_at, s.reg_closes_at, " \
	"s.attendees_public, s.status, s.organiser_name, s.reject_reason, " \
	"COALESCE(s.submitted_by, 0), COALESCE(s.created_by, 0), s.sequence, s.registered, " \
	"(SELECT COUNT(*) FROM agenda_registrations w WHERE w.session_id = s.id " \
	"AND w.status = 'waitlist'), s.report, s.report_published, s.report_board, s.report_at, " \
	"s.created_at, s.updated_at, " \
	"CASE WHEN EXISTS (SELECT 1 FROM agenda_boards b WHERE b.session_id = s.id) THEN 1 ELSE 0 END "

static store_rc session_row(const db_row *r, arena *a, agenda_session *x)
{
	memset(x, 0, sizeof *x);
	x->id = db_int(r, 0);
	x->plan_id = db_int(r, 1);
	x->kind = db_text(a, r, 2);
	x->title = db_text(a, r, 3);
	x->description = db_text(a, r, 4);
	x->starts_at = db_int(r, 5);
	x->ends_at = db_int(r, 6);
	x->mode = db_text(a, r, 7);
	x->meeting_url = db_text(a, r, 8);
	x->address = db_text(a, r, 9);
	x->capacity = db_int(r, 10);
	x->waitlist = db_bool(r, 11);
	x->opens_at = db_int(r, 12);
	x->closes_at = db_int(r, 13);
	x->attendees_public = db_bool(r, 14);
	x->status = db_text(a, r, 15);
	x->organiser_name = db_text(a, r, 16);
	x->reject_reason = db_text(a, r, 17);
	x->submitted_by = db_int(r, 18);
	x->created_by = db_int(r, 19);
	x->sequence = db_int(r, 20);
	x->registered = db_int(r, 21);
	x->waiting = db_int(r, 22);
	x->report = db_text(a, r, 23);
	x->report_published = db_bool(r, 24);
	x->report_board = db_bool(r, 25);
	x->report_at = db_int(r, 26);
	x->created_at = db_int(r, 27);
	x->updated_at = db_int(r, 28);
	x->has_board = db_bool(r, 29);
	return x->kind && x->title && x->description && x->mode && x->meeting_url && x->address &&
	       x->status && x->organiser_name && x->reject_reason && x->report
	       ? STORE_OK : STORE_ERROR;
}

typedef struct one_ctx { arena *a; agenda_session *x; bool found; } one_ctx;

static store_rc one_row(const db_row *r, void *ctx)
{
	one_ctx *c = ctx;
	c->found = true;
	return session_row(r, c->a, c->x);
}

static store_rc list_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	agenda_session *x = db_vec_push(v);
	return x ? session_row(r, v->a, x) : STORE_ERROR;
}

static store_rc ref_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	agenda_ref *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	x->id = db_int(r, 0);
	x->name = db_text(v->a, r, 1);
	return x->name ? STORE_OK : STORE_ERROR;
}

static store_rc load_themes(store *s, arena *a, agenda_session *x)
{
	db_arg id[] = { DB_I(x->id) };
	db_vec v = { .a = a, .size = sizeof(agenda_ref) };
	store_rc rc = db_query(s, "SELECT t.id, t.name FROM agenda_session_themes st "
	                          "JOIN themes t ON t.id = st.theme_id WHERE st.session_id = $1 "
	                          "ORDER BY t.position, t.id",
	                       id, 1, ref_row, &v);
	x->themes = v.items;
	x->nthemes = v.len;
	return rc;
}

static store_rc load_links(store *s, arena *a, agenda_session *x)
{
	store_rc rc = load_themes(s, a, x);
	db_arg id[] = { DB_I(x->id) };
	db_vec v = { .a = a, .size = sizeof(agenda_ref) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT p.id, p.title FROM agenda_session_actions sa "
		                 "JOIN action_points p ON p.id = sa.action_id WHERE sa.session_id = $1 "
		                 "AND p.published_at <> 0 AND p.archived_at = 0 "
		                 "ORDER BY lower(p.title), p.title, p.id",
		              id, 1, ref_row, &v);
	x->actions = v.items;
	x->nactions = v.len;
	db_vec pv = { .a = a, .size = sizeof(agenda_ref) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT p.id, p.title FROM agenda_session_polls sp "
		                 "JOIN polls p ON p.id = sp.poll_id WHERE sp.session_id = $1 "
		                 "ORDER BY p.created_at, p.id",
		              id, 1, ref_row, &pv);
	x->polls = pv.items;
	x->npolls = pv.len;
	return rc;
}

store_rc agenda_store_get(store *s, arena *a, int64_t id, agenda_session *out)
{
	one_ctx c = { a, out, false };
	db_arg args[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT " SESSION_COLS "FROM agenda_sessions s WHERE s.id = $1",
	                       args, 1, one_row, &c);
	if (rc == STORE_OK && !c.found)
		return STORE_NOTFOUND;
	return rc == STORE_OK ? load_links(s, a, out) : rc;
}

store_rc agenda_store_list(store *s, arena *a, const agenda_filter *f, agenda_session **out,
                           size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(agenda_session) };
	db_arg args[] = { DB_S(f->status ? f->status : ""), DB_I(f->theme_id), DB_I(f->action_id),
		          DB_S(f->kind ? f->kind : ""), DB_S(f->mode ? f->mode : ""), DB_I(f->when),
		          DB_I(f->now), DB_I(f->now), DB_I(f->with_report), DB_I(f->include_cancelled),
		          DB_I(f->when), DB_I(f->limit > 0 ? f->limit : 1000000) };
	store_rc rc = db_query(
		s, "SELECT " SESSION_COLS "FROM agenda_sessions s "
		   "WHERE ($1 = '' OR s.status = $1 OR ($10 = 1 AND s.status = 'cancelled')) "
		   "AND ($2 = 0 OR EXISTS (SELECT 1 FROM agenda_session_themes st "
		   "WHERE st.session_id = s.id AND st.theme_id = $2)) "
		   "AND ($3 = 0 OR EXISTS (SELECT 1 FROM agenda_session_actions sa "
		   "WHERE sa.session_id = s.id AND sa.action_id = $3)) "
		   "AND ($4 = '' OR s.kind = $4) "
		   "AND ($5 = '' OR s.mode = $5 OR s.mode = 'both') "
		   "AND ($6 = 0 OR ($6 = 1 AND s.ends_at > $7) OR ($6 = -1 AND s.ends_at <= $8)) "
		   "AND ($9 = 0 OR s.report_published = 1) "
		   "ORDER BY CASE WHEN $11 < 0 THEN -s.starts_at ELSE s.starts_at END, s.id "
		   "LIMIT $12",
		args, 12, list_row, &v);
	agenda_session *xs = v.items;
	for (size_t i = 0; rc == STORE_OK && i < v.len; i++)
		rc = load_links(s, a, &xs[i]);
	*out = xs;
	*n = v.len;
	return rc;
}

store_rc agenda_store_submissions(store *s, arena *a, int64_t user_id, agenda_session **out,
                                  size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(agenda_session) };
	db_arg args[] = { DB_I(user_id), DB_I(user_id) };
	store_rc rc = db_query(
		s, "SELECT " SESSION_COLS "FROM agenda_sessions s WHERE s.submitted_by IS NOT NULL AND "
		   "(($1 = 0 AND s.status = 'submitted') OR ($2 <> 0 AND s.submitted_by = $2)) "
		   "ORDER BY s.created_at DESC, s.id DESC",
		args, 2, list_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

/* ---- writing a session ---- */

typedef struct save_ctx {
	const agenda_session *x;
	const int64_t *themes, *actions;
	size_t         nthemes, nactions;
	int64_t        actor, id;
	bool           create;
} save_ctx;

static store_rc write_links(store *s, save_ctx *c)
{
	db_arg id[] = { DB_I(c->id) };
	store_rc rc = db_exec(s, "DELETE FROM agenda_session_themes WHERE session_id = $1", id, 1,
	                      NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM agenda_session_actions WHERE session_id = $1", id, 1, NULL,
		             NULL);
	for (size_t i = 0; rc == STORE_OK && i < c->nthemes; i++) {
		/* only the session's plan's themes */
		db_arg a[] = { DB_I(c->id), DB_I(c->themes[i]), DB_I(c->x->plan_id) };
		int changes = 0;
		rc = db_exec(s, "INSERT INTO agenda_session_themes (session_id, theme_id) "
		                "SELECT $1, t.id FROM themes t WHERE t.id = $2 AND t.plan_id = $3 "
		                "ON CONFLICT DO NOTHING",
		             a, 3, NULL, &changes);
		if (rc == STORE_OK && !changes)
			rc = STORE_INVALID;
	}
	for (size_t i = 0; rc == STORE_OK && i < c->nactions; i++) {
		db_arg a[] = { DB_I(c->id), DB_I(c->actions[i]), DB_I(c->x->plan_id) };
		int changes = 0;
		rc = db_exec(s, "INSERT INTO agenda_session_actions (session_id, action_id) "
		                "SELECT $1, p.id FROM action_points p WHERE p.id = $2 AND p.plan_id = $3 "
		                "ON CONFLICT DO NOTHING",
		             a, 3, NULL, &changes);
		if (rc == STORE_OK && !changes)
			rc = STORE_INVALID;
	}
	return rc;
}


/* What the registration rules need of a session, read after its row lock. */
typedef struct reg_facts {
	bool        found;
	const char *status, *title;
	int64_t     starts_at, opens_at, closes_at, capacity, registered, waiting, reg_seq;
	bool        waitlist;
	arena      *a;
} reg_facts;

static store_rc facts_row(const db_row *r, void *ctx)
{
	reg_facts *f = ctx;
	f->found = true;
	f->status = db_text(f->a, r, 0);
	f->title = db_text(f->a, r, 1);
	f->starts_at = db_int(r, 2);
	f->opens_at = db_int(r, 3);
	f->closes_at = db_int(r, 4);
	f->capacity = db_int(r, 5);
	f->registered = db_int(r, 6);
	f->waiting = db_int(r, 7);
	f->waitlist = db_bool(r, 8);
	f->reg_seq = db_int(r, 9);
	return f->status && f->title ? STORE_OK : STORE_ERROR;
}

/* Takes the session's row lock (raising reg_seq) and reads its facts. */
static store_rc lock_session(store *s, int64_t id, reg_facts *f)
{
	db_arg a[] = { DB_I(id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE agenda_sessions SET reg_seq = reg_seq + 1 WHERE id = $1", a,
	                      1, NULL, &changes);
	if (rc != STORE_OK)
		return rc;
	if (!changes)
		return STORE_NOTFOUND;
	f->found = false;
	rc = db_query(s, "SELECT s.status, s.title, s.starts_at, s.reg_opens_at, s.reg_closes_at, "
	                 "s.capacity, s.registered, (SELECT COUNT(*) FROM agenda_registrations r "
	                 "WHERE r.session_id = s.id AND r.status = 'waitlist'), s.waitlist, s.reg_seq "
	                 "FROM agenda_sessions s WHERE s.id = $1",
	              a, 1, facts_row, f);
	return rc == STORE_OK && !f->found ? STORE_NOTFOUND : rc;
}

static store_rc id_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	int64_t *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = db_int(r, 0);
	return STORE_OK;
}

/* Moves the first on the waitlist up while places are free, telling each;
 * inside the caller's transaction, after lock_session filled f. */
static store_rc promote(store *s, int64_t session_id, reg_facts *f, int64_t actor)
{
	int64_t n = agenda_promotions(f->capacity, f->registered, f->waiting);
	if (n <= 0)
		return STORE_OK;
	db_vec v = { .a = f->a, .size = sizeof(int64_t) };
	db_arg a[] = { DB_I(session_id), DB_I(n) };
	store_rc rc = db_query(s, "SELECT user_id FROM agenda_registrations WHERE session_id = $1 "
	                          "AND status = 'waitlist' ORDER BY seq, id LIMIT $2",
	                       a, 2, id_row, &v);
	int64_t *users = v.items;
	int64_t now = db_now();
	const char *url = arena_printf(f->a, "/sessions/%lld", (long long)session_id);
	for (size_t i = 0; rc == STORE_OK && i < v.len; i++) {
		db_arg u[] = { DB_I(now), DB_I(session_id), DB_I(users[i]) };
		rc = db_exec(s, "UPDATE agenda_registrations SET status = 'registered', updated_at = $1 "
		                "WHERE session_id = $2 AND user_id = $3 AND status = 'waitlist'",
		             u, 3, NULL, NULL);
		if (rc != STORE_OK)
			break;
		store_event e = { .kind = "agenda.seat",
			          .msgid = "A place came free for “%s”: you are registered now.",
			          .subject = f->title, .url = url ? url : "/agenda",
			          .object_type = "session", .object_id = session_id, .actor_id = actor };
		rc = store_event_add(s, &e, &users[i], 1, NULL);
	}
	if (rc == STORE_OK && v.len) {
		db_arg c[] = { DB_I((int64_t)v.len), DB_I(session_id) };
		rc = db_exec(s, "UPDATE agenda_sessions SET registered = registered + $1 WHERE id = $2",
		             c, 2, NULL, NULL);
		f->registered += (int64_t)v.len;
		f->waiting -= (int64_t)v.len;
	}
	return rc;
}

static store_rc create_tx(store *s, void *ctx)
{
	save_ctx *c = ctx;
	const agenda_session *x = c->x;
	int64_t now = db_now();
	c->id = 0;
	db_arg a[] = { DB_I(x->plan_id), DB_S(x->kind), DB_S(x->title), DB_S(x->description),
		       DB_I(x->starts_at), DB_I(x->ends_at), DB_S(x->mode), DB_S(x->meeting_url),
		       DB_S(x->address), DB_I(x->capacity), DB_I(x->waitlist), DB_I(x->opens_at),
		       DB_I(x->closes_at), DB_I(x->attendees_public), DB_S(x->status),
		       DB_S(x->organiser_name ? x->organiser_name : ""),
		       x->submitted_by ? DB_I(x->submitted_by) : DB_NUL,
		       x->created_by ? DB_I(x->created_by) : DB_NUL, DB_I(now), DB_I(now) };
	store_rc rc = db_exec(s, "INSERT INTO agenda_sessions (plan_id, kind, title, description, "
	                         "starts_at, ends_at, mode, meeting_url, address, capacity, waitlist, "
	                         "reg_opens_at, reg_closes_at, attendees_public, status, "
	                         "organiser_name, submitted_by, created_by, created_at, updated_at) "
	                         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
	                         "$14, $15, $16, $17, $18, $19, $20) RETURNING id",
	                      a, 20, &c->id, NULL);
	return rc == STORE_OK ? write_links(s, c) : rc;
}

store_rc agenda_store_create(store *s, const agenda_session *x, const int64_t *theme_ids,
                             size_t nthemes, const int64_t *action_ids, size_t nactions,
                             int64_t *id_out)
{
	save_ctx c = { x, theme_ids, action_ids, nthemes, nactions, x->created_by, 0, true };
	store_rc rc = store_tx(s, create_tx, &c);
	if (rc == STORE_OK && id_out)
		*id_out = c.id;
	return rc;
}

static bool differs(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

static store_rc update_tx(store *s, void *ctx)
{
	save_ctx *c = ctx;
	const agenda_session *x = c->x;
	arena a;
	arena_init(&a, 1u << 20);
	reg_facts f = { .a = &a };
	store_rc rc = lock_session(s, x->id, &f);
	if (rc == STORE_OK && x->capacity > 0 && x->capacity < f.registered)
		rc = STORE_INVALID;
	agenda_session old;
	memset(&old, 0, sizeof old);
	if (rc == STORE_OK)
		rc = agenda_store_get(s, &a, x->id, &old);
	int64_t now = db_now();
	db_arg u[] = { DB_S(x->kind), DB_S(x->title), DB_S(x->description), DB_I(x->starts_at),
		       DB_I(x->ends_at), DB_S(x->mode), DB_S(x->meeting_url), DB_S(x->address),
		       DB_I(x->capacity), DB_I(x->waitlist), DB_I(x->opens_at), DB_I(x->closes_at),
		       DB_I(x->attendees_public), DB_S(x->organiser_name ? x->organiser_name : ""),
		       DB_I(now), DB_I(x->id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_sessions SET kind = $1, title = $2, description = $3, "
		                "starts_at = $4, ends_at = $5, mode = $6, meeting_url = $7, address = $8, "
		                "capacity = $9, waitlist = $10, reg_opens_at = $11, reg_closes_at = $12, "
		                "attendees_public = $13, organiser_name = $14, updated_at = $15, "
		                "sequence = sequence + 1 WHERE id = $16",
		             u, 16, NULL, NULL);
	if (rc == STORE_OK) {
		c->id = x->id;
		rc = write_links(s, c);
	}
	if (rc == STORE_OK) {
		f.capacity = x->capacity;
		f.title = x->title;
		rc = promote(s, x->id, &f, c->actor);
	}
	/* A published session whose time or place changed: the people
	 * registered or waiting, and its followers, hear of it. */
	if (rc == STORE_OK && !strcmp(old.status, "published") &&
	    (old.starts_at != x->starts_at || old.ends_at != x->ends_at ||
	     differs(old.mode, x->mode) || differs(old.address, x->address) ||
	     differs(old.meeting_url, x->meeting_url))) {
		db_vec v = { .a = &a, .size = sizeof(int64_t) };
		db_arg id[] = { DB_I(x->id) };
		rc = db_query(s, "SELECT user_id FROM agenda_registrations WHERE session_id = $1 AND "
		                 "status IN ('registered', 'waitlist') ORDER BY id",
		              id, 1, id_row, &v);
		const char *url = arena_printf(&a, "/sessions/%lld", (long long)x->id);
		store_event e = { .kind = "agenda.changed",
			          .msgid = "“%s” has changed: check its date, time and place.",
			          .subject = x->title, .url = url ? url : "/agenda",
			          .object_type = "session", .object_id = x->id, .actor_id = c->actor };
		if (rc == STORE_OK)
			rc = store_event_add(s, &e, v.items, v.len, NULL);
	}
	arena_free(&a);
	return rc;
}

store_rc agenda_store_update(store *s, const agenda_session *x, const int64_t *theme_ids,
                             size_t nthemes, const int64_t *action_ids, size_t nactions,
                             int64_t actor_id)
{
	save_ctx c = { x, theme_ids, action_ids, nthemes, nactions, actor_id, x->id, false };
	return store_tx(s, update_tx, &c);
}

typedef struct status_ctx {
	int64_t     id, actor;
	const char *status, *reason;
} status_ctx;

static store_rc status_tx(store *s, void *ctx)
{
	status_ctx *c = ctx;
	arena a;
	arena_init(&a, 1u << 20);
	reg_facts f = { .a = &a };
	store_rc rc = lock_session(s, c->id, &f);
	int64_t submitter = 0;
	agenda_session x;
	memset(&x, 0, sizeof x);
	if (rc == STORE_OK) {
		rc = agenda_store_get(s, &a, c->id, &x);
		submitter = rc == STORE_OK ? x.submitted_by : 0;
	}
	/* Which changes are allowed from which status. */
	const char *from = f.status;
	if (rc == STORE_OK) {
		bool ok = false;
		if (!strcmp(c->status, "published"))
			ok = !strcmp(from, "draft") || !strcmp(from, "submitted");
		else if (!strcmp(c->status, "cancelled"))
			ok = !strcmp(from, "published");
		else if (!strcmp(c->status, "rejected"))
			ok = !strcmp(from, "submitted");
		else if (!strcmp(c->status, "draft"))
			ok = !strcmp(from, "published") && f.registered == 0 && f.waiting == 0;
		if (!ok)
			rc = STORE_CONFLICT;
	}
	db_arg u[] = { DB_S(c->status), DB_S(c->reason ? c->reason : ""), DB_I(db_now()),
		       DB_I(c->id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_sessions SET status = $1, reject_reason = $2, "
		                "updated_at = $3, sequence = sequence + 1 WHERE id = $4",
		             u, 4, NULL, NULL);
	const char *url = arena_printf(&a, "/sessions/%lld", (long long)c->id);
	if (rc == STORE_OK && !strcmp(c->status, "cancelled")) {
		/* Everyone registered or waiting hears it. */
		db_vec v = { .a = &a, .size = sizeof(int64_t) };
		db_arg id[] = { DB_I(c->id) };
		rc = db_query(s, "SELECT user_id FROM agenda_registrations WHERE session_id = $1 AND "
		                 "status IN ('registered', 'waitlist') ORDER BY id",
		              id, 1, id_row, &v);
		/* …and so does everyone who follows it. */
		store_event e = { .kind = "agenda.cancelled", .msgid = "“%s” is cancelled.",
			          .subject = f.title, .url = url ? url : "/agenda",
			          .object_type = "session", .object_id = c->id, .actor_id = c->actor };
		if (rc == STORE_OK)
			rc = store_event_add(s, &e, v.items, v.len, NULL);
	}
	if (rc == STORE_OK && !strcmp(c->status, "published")) {
		/* A new session in the agenda (published, or a submitted event
		 * approved): the followers of its plan and of each of its themes
		 * hear of it. */
		store_object *also = arena_calloc(&a, x.nthemes + 1, sizeof *also);
		if (!also)
			rc = STORE_ERROR;
		size_t nalso = 0;
		if (also) {
			also[nalso++] = (store_object){ "plan", x.plan_id };
			for (size_t i = 0; i < x.nthemes; i++)
				also[nalso++] = (store_object){ "theme", x.themes[i].id };
		}
		store_event e = { .kind = "plan.session", .msgid = "New in the agenda: “%s”.",
			          .subject = f.title, .url = url ? url : "/agenda",
			          .object_type = "session", .object_id = c->id, .actor_id = c->actor,
			          .also = also, .nalso = nalso };
		if (rc == STORE_OK)
			rc = store_event_add(s, &e, NULL, 0, NULL);
	}
	if (rc == STORE_OK && submitter && !strcmp(from, "submitted")) {
		bool yes = !strcmp(c->status, "published");
		store_event e = {
			.kind = yes ? "agenda.approved" : "agenda.rejected",
			.msgid = yes ? "Your event “%s” is in the agenda now."
			             : "Your event “%s” was not added to the agenda. The reason is on your account page.",
			.subject = f.title, .url = yes && url ? url : "/account",
			.object_type = "session", .object_id = c->id, .actor_id = c->actor };
		rc = store_event_add(s, &e, &submitter, 1, NULL);
	}
	arena_free(&a);
	return rc;
}

store_rc agenda_store_set_status(store *s, int64_t id, const char *status, const char *reason,
                                 int64_t actor_id)
{
	status_ctx c = { id, actor_id, status, reason };
	return store_tx(s, status_tx, &c);
}

store_rc agenda_store_report_save(store *s, int64_t id, const char *report, bool published,
                                  bool board)
{
	int64_t now = db_now();
	db_arg a[] = { DB_S(report), DB_I(published), DB_I(board), DB_I(now), DB_I(published),
		       DB_I(now), DB_I(id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE agenda_sessions SET report = $1, report_published = $2, "
	                         "report_board = $3, report_at = CASE WHEN $5 = 1 AND "
	                         "report_published = 0 THEN $4 ELSE report_at END, updated_at = $6 "
	                         "WHERE id = $7",
	                      a, 7, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

store_rc agenda_store_poll_attach(store *s, int64_t id, int64_t poll_id, bool attach)
{
	db_arg a[] = { DB_I(id), DB_I(poll_id) };
	int changes = 0;
	store_rc rc = attach
		? db_exec(s, "INSERT INTO agenda_session_polls (session_id, poll_id) SELECT $1, p.id "
		             "FROM polls p WHERE p.id = $2 ON CONFLICT DO NOTHING",
		          a, 2, NULL, &changes)
		: db_exec(s, "DELETE FROM agenda_session_polls WHERE session_id = $1 AND poll_id = $2",
		          a, 2, NULL, &changes);
	if (rc == STORE_OK && !changes && !attach)
		return STORE_NOTFOUND;
	return rc;
}

/* ---- registrations ---- */

typedef struct reg_ctx {
	int64_t            session, user, now, promoted;
	bool               show_name;
	agenda_reg_verdict verdict;
} reg_ctx;

typedef struct mine { bool found; char status[16]; } mine;

static store_rc mine_row(const db_row *r, void *ctx)
{
	mine *m = ctx;
	m->found = true;
	const char *st = db_text_ref(r, 0);
	snprintf(m->status, sizeof m->status, "%s", st ? st : "");
	return STORE_OK;
}

static store_rc my_status(store *s, int64_t session, int64_t user_id, mine *m)
{
	db_arg a[] = { DB_I(session), DB_I(user_id) };
	m->found = false;
	m->status[0] = '\0';
	return db_query(s, "SELECT status FROM agenda_registrations WHERE session_id = $1 AND "
	                   "user_id = $2",
	                a, 2, mine_row, m);
}

static store_rc register_tx(store *s, void *ctx)
{
	reg_ctx *c = ctx;
	arena a;
	arena_init(&a, 1u << 20);
	reg_facts f = { .a = &a };
	mine m;
	store_rc rc = lock_session(s, c->session, &f);
	if (rc == STORE_OK)
		rc = my_status(s, c->session, c->user, &m);
	if (rc == STORE_OK && m.found && strcmp(m.status, "cancelled")) {
		/* Already in: the same answer again, and the consent as now given. */
		c->verdict = !strcmp(m.status, "registered") ? AGENDA_REG_REGISTER : AGENDA_REG_WAITLIST;
		db_arg u[] = { DB_I(c->show_name), DB_I(c->session), DB_I(c->user) };
		rc = db_exec(s, "UPDATE agenda_registrations SET show_name = $1 WHERE session_id = $2 "
		                "AND user_id = $3",
		             u, 3, NULL, NULL);
		arena_free(&a);
		return rc;
	}
	if (rc == STORE_OK) {
		agenda_reg_facts rf = { f.status, c->now, f.starts_at, f.opens_at, f.closes_at,
			                f.capacity, f.registered, f.waitlist };
		c->verdict = agenda_reg_decide(&rf);
		if (c->verdict != AGENDA_REG_REGISTER && c->verdict != AGENDA_REG_WAITLIST)
			rc = STORE_CONFLICT;
	}
	bool seat = c->verdict == AGENDA_REG_REGISTER;
	int64_t now = db_now();
	db_arg ins[] = { DB_I(c->session), DB_I(c->user), DB_S(seat ? "registered" : "waitlist"),
		         DB_I(f.reg_seq), DB_I(c->show_name), DB_I(now), DB_I(now) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO agenda_registrations (session_id, user_id, status, seq, "
		                "show_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
		                "ON CONFLICT (session_id, user_id) DO UPDATE SET status = excluded.status, "
		                "seq = excluded.seq, show_name = excluded.show_name, attended = -1, "
		                "updated_at = excluded.updated_at",
		             ins, 7, NULL, NULL);
	if (rc == STORE_OK && seat) {
		db_arg u[] = { DB_I(c->session) };
		rc = db_exec(s, "UPDATE agenda_sessions SET registered = registered + 1 WHERE id = $1",
		             u, 1, NULL, NULL);
	}
	/* Who registers follows the session (changes, cancellation), unless
	 * they stopped following it before. */
	if (rc == STORE_OK)
		rc = store_follow_auto(s, c->user, "session", c->session);
	arena_free(&a);
	return rc;
}

store_rc agenda_store_register(store *s, int64_t session_id, int64_t user_id, bool show_name,
                               int64_t now, agenda_reg_verdict *verdict)
{
	reg_ctx c = { session_id, user_id, now, 0, show_name, AGENDA_REG_UNAVAILABLE };
	store_rc rc = store_tx(s, register_tx, &c);
	*verdict = c.verdict;
	return rc;
}

static store_rc cancel_tx(store *s, void *ctx)
{
	reg_ctx *c = ctx;
	c->promoted = 0;
	arena a;
	arena_init(&a, 1u << 20);
	reg_facts f = { .a = &a };
	mine m;
	store_rc rc = lock_session(s, c->session, &f);
	if (rc == STORE_OK)
		rc = my_status(s, c->session, c->user, &m);
	if (rc == STORE_OK && (!m.found || !strcmp(m.status, "cancelled")))
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK && !agenda_can_cancel(c->now, f.starts_at))
		rc = STORE_CONFLICT;
	db_arg u[] = { DB_I(db_now()), DB_I(c->session), DB_I(c->user) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_registrations SET status = 'cancelled', updated_at = $1 "
		             "WHERE session_id = $2 AND user_id = $3",
		             u, 3, NULL, NULL);
	if (rc == STORE_OK && !strcmp(m.status, "registered")) {
		db_arg d[] = { DB_I(c->session) };
		rc = db_exec(s, "UPDATE agenda_sessions SET registered = registered - 1 WHERE id = $1",
		             d, 1, NULL, NULL);
		f.registered--;
		if (rc == STORE_OK && !strcmp(f.status, "published")) {
			/* Who moves up (the first in arrival order), for the caller. */
			db_vec v = { .a = &a, .size = sizeof(int64_t) };
			db_arg q[] = { DB_I(c->session) };
			if (agenda_promotions(f.capacity, f.registered, f.waiting) > 0)
				rc = db_query(s, "SELECT user_id FROM agenda_registrations WHERE "
				                 "session_id = $1 AND status = 'waitlist' ORDER BY seq, id "
				                 "LIMIT 1",
				              q, 1, id_row, &v);
			if (rc == STORE_OK && v.len)
				c->promoted = ((int64_t *)v.items)[0];
			if (rc == STORE_OK)
				rc = promote(s, c->session, &f, c->user);
		}
	}
	arena_free(&a);
	return rc;
}

store_rc agenda_store_cancel(store *s, int64_t session_id, int64_t user_id, int64_t now,
                             int64_t *promoted)
{
	reg_ctx c = { session_id, user_id, now, 0, false, AGENDA_REG_UNAVAILABLE };
	store_rc rc = store_tx(s, cancel_tx, &c);
	if (promoted)
		*promoted = rc == STORE_OK ? c.promoted : 0;
	return rc;
}

#define REG_COLS \
	"r.id, r.session_id, r.user_id, r.status, r.seq, " \
	"CASE WHEN r.status = 'waitlist' THEN (SELECT COUNT(*) FROM agenda_registrations w " \
	"WHERE w.session_id = r.session_id AND w.status = 'waitlist' AND (w.seq < r.seq OR " \
	"(w.seq = r.seq AND w.id <= r.id))) ELSE 0 END, r.show_name, r.attended, u.name, u.email, " \
	"s.title, s.starts_at, r.created_at "

static store_rc reg_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	agenda_reg *g = db_vec_push(v);
	if (!g)
		return STORE_ERROR;
	g->id = db_int(r, 0);
	g->session_id = db_int(r, 1);
	g->user_id = db_int(r, 2);
	g->status = db_text(v->a, r, 3);
	g->seq = db_int(r, 4);
	g->place = db_int(r, 5);
	g->show_name = db_bool(r, 6);
	g->attended = (int)db_int(r, 7);
	g->name = db_text(v->a, r, 8);
	g->email = db_text(v->a, r, 9);
	g->session_title = db_text(v->a, r, 10);
	g->session_starts = db_int(r, 11);
	g->created_at = db_int(r, 12);
	return g->status && g->name && g->email && g->session_title ? STORE_OK : STORE_ERROR;
}

store_rc agenda_store_reg_get(store *s, arena *a, int64_t session_id, int64_t user_id,
                              agenda_reg *out)
{
	db_vec v = { .a = a, .size = sizeof(agenda_reg) };
	db_arg args[] = { DB_I(session_id), DB_I(user_id) };
	store_rc rc = db_query(s, "SELECT " REG_COLS "FROM agenda_registrations r "
	                          "JOIN users u ON u.id = r.user_id "
	                          "JOIN agenda_sessions s ON s.id = r.session_id "
	                          "WHERE r.session_id = $1 AND r.user_id = $2",
	                       args, 2, reg_row, &v);
	if (rc == STORE_OK && !v.len)
		return STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = ((agenda_reg *)v.items)[0];
	return rc;
}

store_rc agenda_store_regs(store *s, arena *a, int64_t session_id, agenda_reg **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(agenda_reg) };
	db_arg args[] = { DB_I(session_id) };
	store_rc rc = db_query(s, "SELECT " REG_COLS "FROM agenda_registrations r "
	                          "JOIN users u ON u.id = r.user_id "
	                          "JOIN agenda_sessions s ON s.id = r.session_id "
	                          "WHERE r.session_id = $1 ORDER BY CASE r.status WHEN 'registered' "
	                          "THEN 0 WHEN 'waitlist' THEN 1 ELSE 2 END, r.seq, r.id",
	                       args, 1, reg_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc agenda_store_user_regs(store *s, arena *a, int64_t user_id, agenda_reg **out,
                                size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(agenda_reg) };
	db_arg args[] = { DB_I(user_id) };
	store_rc rc = db_query(s, "SELECT " REG_COLS "FROM agenda_registrations r "
	                          "JOIN users u ON u.id = r.user_id "
	                          "JOIN agenda_sessions s ON s.id = r.session_id "
	                          "WHERE r.user_id = $1 AND r.status <> 'cancelled' "
	                          "AND s.status IN ('published', 'cancelled') "
	                          "ORDER BY s.starts_at DESC, s.id DESC",
	                       args, 1, reg_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc agenda_store_attendance(store *s, int64_t session_id, int64_t reg_id, int attended)
{
	db_arg a[] = { DB_I(attended), DB_I(db_now()), DB_I(reg_id), DB_I(session_id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE agenda_registrations SET attended = $1, updated_at = $2 "
	                         "WHERE id = $3 AND session_id = $4 AND status = 'registered'",
	                      a, 4, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}
