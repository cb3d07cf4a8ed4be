/* agenda_store_board.c — store queries for a session's idea board and its
 * table conversation. Every board change runs in one transaction that
 * first raises the board's version (its row lock, the same on SQLite and
 * PostgreSQL) and stamps the changed note with it: live screens ask for
 * "notes changed after version V" and miss nothing. Dots are counted under
 * that lock, so nobody spends more than the board's budget, and a note's
 * vote count changes only as votes = votes ± 1 in SQL.
 */
#include <stdio.h>
#include <string.h>

#include "../../store/db.h"
#include "../act/act.h"
#include "agenda.h"

/* ---- board ---- */

typedef struct board_head { bool found; int64_t id, dots, version; bool open; } board_head;

static store_rc head_row(const db_row *r, void *ctx)
{
	board_head *h = ctx;
	h->found = true;
	h->id = db_int(r, 0);
	h->dots = db_int(r, 1);
	h->open = db_bool(r, 2);
	h->version = db_int(r, 3);
	return STORE_OK;
}

/* Raises the board's version (its row lock) and reads it back. */
static store_rc lock_board(store *s, int64_t board_id, board_head *h)
{
	db_arg a[] = { DB_I(board_id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE agenda_boards SET version = version + 1 WHERE id = $1", a, 1,
	                      NULL, &changes);
	if (rc == STORE_OK && !changes)
		return STORE_NOTFOUND;
	h->found = false;
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT id, dots, is_open, version FROM agenda_boards WHERE id = $1", a,
		              1, head_row, h);
	return rc == STORE_OK && !h->found ? STORE_NOTFOUND : rc;
}

static store_rc finish(store *s, store_rc rc)
{
	if (rc == STORE_OK)
		return store_commit(s);
	store_rollback(s);
	return rc;
}

store_rc agenda_store_board_create(store *s, int64_t session_id, int64_t dots,
                                   const char *const *columns, size_t ncolumns, int64_t *id_out)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	int64_t id = 0;
	db_arg a[] = { DB_I(session_id), DB_I(dots), DB_I(db_now()) };
	rc = db_exec(s, "INSERT INTO agenda_boards (session_id, dots, created_at) VALUES ($1, $2, $3) "
	                "ON CONFLICT (session_id) DO NOTHING RETURNING id",
	             a, 3, &id, NULL);
	if (rc == STORE_OK && !id)
		rc = STORE_CONFLICT;
	for (size_t i = 0; rc == STORE_OK && i < ncolumns; i++) {
		db_arg c[] = { DB_I(id), DB_I((int64_t)i + 1), DB_S(columns[i]) };
		rc = db_exec(s, "INSERT INTO agenda_columns (board_id, position, name) VALUES ($1, $2, $3)",
		             c, 3, NULL, NULL);
	}
	if (rc == STORE_OK && id_out)
		*id_out = id;
	return finish(s, rc);
}

static store_rc column_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	agenda_column *c = db_vec_push(v);
	if (!c)
		return STORE_ERROR;
	c->id = db_int(r, 0);
	c->position = (int)db_int(r, 1);
	c->name = db_text(v->a, r, 2);
	return c->name ? STORE_OK : STORE_ERROR;
}

#define NOTE_COLS \
	"n.id, n.column_id, n.group_id, COALESCE(n.theme_id, 0), COALESCE(n.author_id, 0), n.votes, " \
	"n.version, n.created_at, n.body, COALESCE(t.name, ''), COALESCE(u.name, ''), n.hidden "

static store_rc note_into(const db_row *r, arena *a, agenda_note *n)
{
	n->id = db_int(r, 0);
	n->column_id = db_int(r, 1);
	n->group_id = db_int(r, 2);
	n->theme_id = db_int(r, 3);
	n->author_id = db_int(r, 4);
	n->votes = db_int(r, 5);
	n->version = db_int(r, 6);
	n->created_at = db_int(r, 7);
	n->body = db_text(a, r, 8);
	n->theme_name = db_text(a, r, 9);
	n->author_name = db_text(a, r, 10);
	n->hidden = db_bool(r, 11);
	return n->body && n->theme_name && n->author_name ? STORE_OK : STORE_ERROR;
}

static store_rc note_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	agenda_note *n = db_vec_push(v);
	return n ? note_into(r, v->a, n) : STORE_ERROR;
}

store_rc agenda_store_board(store *s, arena *a, int64_t session_id, int64_t since,
                            agenda_board *out)
{
	memset(out, 0, sizeof *out);
	board_head h = { 0 };
	db_arg sid[] = { DB_I(session_id) };
	store_rc rc = db_query(s, "SELECT id, dots, is_open, version FROM agenda_boards "
	                          "WHERE session_id = $1",
	                       sid, 1, head_row, &h);
	if (rc != STORE_OK)
		return rc;
	if (!h.found)
		return STORE_NOTFOUND;
	out->id = h.id;
	out->session_id = session_id;
	out->dots = h.dots;
	out->open = h.open;
	out->version = h.version;
	db_arg bid[] = { DB_I(h.id) };
	db_vec cv = { .a = a, .size = sizeof(agenda_column) };
	rc = db_query(s, "SELECT id, position, name FROM agenda_columns WHERE board_id = $1 "
	                 "ORDER BY position, id",
	              bid, 1, column_row, &cv);
	out->columns = cv.items;
	out->ncolumns = cv.len;
	db_vec nv = { .a = a, .size = sizeof(agenda_note) };
	db_arg nargs[] = { DB_I(h.id), DB_I(since), DB_I(since) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT " NOTE_COLS "FROM agenda_notes n "
		                 "LEFT JOIN themes t ON t.id = n.theme_id "
		                 "LEFT JOIN users u ON u.id = n.author_id "
		                 "WHERE n.board_id = $1 AND n.version > $2 AND ($3 > 0 OR n.hidden = 0) "
		                 "ORDER BY n.created_at, n.id",
		              nargs, 3, note_row, &nv);
	out->notes = nv.items;
	out->nnotes = nv.len;
	return rc;
}

store_rc agenda_store_board_settings(store *s, int64_t board_id, int64_t dots, bool open)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	board_head h;
	rc = lock_board(s, board_id, &h);
	db_arg a[] = { DB_I(dots), DB_I(open), DB_I(board_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_boards SET dots = $1, is_open = $2 WHERE id = $3", a, 3,
		             NULL, NULL);
	return finish(s, rc);
}

store_rc agenda_store_column_add(store *s, int64_t board_id, const char *name, int64_t *id_out)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	board_head h;
	rc = lock_board(s, board_id, &h);
	db_arg a[] = { DB_I(board_id), DB_S(name), DB_I(board_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO agenda_columns (board_id, position, name) SELECT $1, "
		                "COALESCE(MAX(position), 0) + 1, $2 FROM agenda_columns WHERE board_id = $3 "
		                "RETURNING id",
		             a, 3, id_out, NULL);
	return finish(s, rc);
}

store_rc agenda_store_column_rename(store *s, int64_t board_id, int64_t column_id,
                                    const char *name)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	board_head h;
	rc = lock_board(s, board_id, &h);
	db_arg a[] = { DB_S(name), DB_I(column_id), DB_I(board_id) };
	int changes = 0;
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_columns SET name = $1 WHERE id = $2 AND board_id = $3", a,
		             3, NULL, &changes);
	if (rc == STORE_OK && !changes)
		rc = STORE_NOTFOUND;
	return finish(s, rc);
}

typedef struct found_ctx { bool found; int64_t a, b; } found_ctx;

static store_rc found_row(const db_row *r, void *ctx)
{
	found_ctx *f = ctx;
	f->found = true;
	f->a = db_ncols(r) > 0 ? db_int(r, 0) : 0;
	f->b = db_ncols(r) > 1 ? db_int(r, 1) : 0;
	return STORE_OK;
}

/* STORE_INVALID unless the column is on the board. */
static store_rc has_column(store *s, int64_t board_id, int64_t column_id)
{
	found_ctx f = { 0 };
	db_arg a[] = { DB_I(column_id), DB_I(board_id) };
	store_rc rc = db_query(s, "SELECT id FROM agenda_columns WHERE id = $1 AND board_id = $2", a,
	                       2, found_row, &f);
	return rc == STORE_OK && !f.found ? STORE_INVALID : rc;
}

store_rc agenda_store_note_add(store *s, int64_t board_id, int64_t column_id, const char *body,
                               int64_t theme_id, int64_t author_id, int64_t *id_out)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	board_head h;
	rc = lock_board(s, board_id, &h);
	if (rc == STORE_OK)
		rc = has_column(s, board_id, column_id);
	if (rc == STORE_OK && theme_id) {
		/* a theme of the session's plan */
		found_ctx f = { 0 };
		db_arg a[] = { DB_I(theme_id), DB_I(board_id) };
		rc = db_query(s, "SELECT t.id FROM themes t JOIN agenda_sessions x ON x.plan_id = t.plan_id "
		                 "JOIN agenda_boards b ON b.session_id = x.id WHERE t.id = $1 AND b.id = $2",
		              a, 2, found_row, &f);
		if (rc == STORE_OK && !f.found)
			rc = STORE_INVALID;
	}
	db_arg a[] = { DB_I(board_id), DB_I(column_id), DB_S(body), theme_id ? DB_I(theme_id) : DB_NUL,
		       author_id ? DB_I(author_id) : DB_NUL, DB_I(h.version), DB_I(db_now()) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO agenda_notes (board_id, column_id, body, theme_id, author_id, "
		                "version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		             a, 7, id_out, NULL);
	return finish(s, rc);
}

store_rc agenda_store_note_move(store *s, int64_t board_id, int64_t note_id, int64_t column_id,
                                int64_t group_id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	board_head h;
	rc = lock_board(s, board_id, &h);
	found_ctx note = { 0 };
	db_arg na[] = { DB_I(note_id), DB_I(board_id) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT id, group_id FROM agenda_notes WHERE id = $1 AND board_id = $2 "
		                 "AND hidden = 0",
		              na, 2, found_row, &note);
	if (rc == STORE_OK && !note.found)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc = has_column(s, board_id, column_id);
	if (rc == STORE_OK && group_id) {
		/* The group is a visible note of this board; grouping is one level
		 * deep, so grouping under a grouped note joins its group. */
		found_ctx g = { 0 };
		db_arg ga[] = { DB_I(group_id), DB_I(board_id) };
		rc = db_query(s, "SELECT id, group_id FROM agenda_notes WHERE id = $1 AND board_id = $2 "
		                 "AND hidden = 0",
		              ga, 2, found_row, &g);
		if (rc == STORE_OK && !g.found)
			rc = STORE_INVALID;
		if (rc == STORE_OK && g.b)
			group_id = g.b;
		if (rc == STORE_OK && group_id == note_id)
			rc = STORE_INVALID;
	}
	db_arg a[] = { DB_I(column_id), DB_I(group_id), DB_I(h.version), DB_I(note_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_notes SET column_id = $1, group_id = $2, version = $3 "
		                "WHERE id = $4",
		             a, 4, NULL, NULL);
	/* The notes grouped under this one follow it (and stay one level deep). */
	db_arg f[] = { DB_I(column_id), group_id ? DB_I(group_id) : DB_I(note_id), DB_I(h.version),
		       DB_I(board_id), DB_I(note_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_notes SET column_id = $1, group_id = $2, version = $3 "
		                "WHERE board_id = $4 AND group_id = $5",
		             f, 5, NULL, NULL);
	return finish(s, rc);
}

store_rc agenda_store_note_hide(store *s, int64_t board_id, int64_t note_id)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	board_head h;
	rc = lock_board(s, board_id, &h);
	db_arg a[] = { DB_I(h.version), DB_I(note_id), DB_I(board_id) };
	int changes = 0;
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_notes SET hidden = 1, version = $1 WHERE id = $2 AND "
		                "board_id = $3 AND hidden = 0",
		             a, 3, NULL, &changes);
	if (rc == STORE_OK && !changes)
		rc = STORE_NOTFOUND;
	/* Its group falls apart: the notes under it stand on their own. */
	db_arg g[] = { DB_I(h.version), DB_I(board_id), DB_I(note_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_notes SET group_id = 0, version = $1 WHERE board_id = $2 "
		                "AND group_id = $3",
		             g, 3, NULL, NULL);
	return finish(s, rc);
}

typedef struct vote_ctx {
	int64_t board, note, user, left;
	int     delta;
} vote_ctx;

static store_rc vote_tx(store *s, void *ctx)
{
	vote_ctx *c = ctx;
	board_head h;
	store_rc rc = lock_board(s, c->board, &h);
	found_ctx note = { 0 }, used = { 0 }, mine = { 0 };
	db_arg na[] = { DB_I(c->note), DB_I(c->board) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT id FROM agenda_notes WHERE id = $1 AND board_id = $2 AND "
		                 "hidden = 0",
		              na, 2, found_row, &note);
	if (rc == STORE_OK && !note.found)
		rc = STORE_NOTFOUND;
	db_arg ua[] = { DB_I(c->board), DB_I(c->user) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT COALESCE(SUM(n), 0) FROM agenda_votes WHERE board_id = $1 AND "
		                 "user_id = $2",
		              ua, 2, found_row, &used);
	db_arg ma[] = { DB_I(c->note), DB_I(c->user) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT n FROM agenda_votes WHERE note_id = $1 AND user_id = $2", ma, 2,
		              found_row, &mine);
	if (rc == STORE_OK && c->delta > 0 && (!h.open || used.a >= h.dots))
		rc = STORE_CONFLICT;
	if (rc == STORE_OK && c->delta < 0 && (!h.open || mine.a <= 0))
		rc = STORE_CONFLICT;
	db_arg ins[] = { DB_I(c->note), DB_I(c->board), DB_I(c->user), DB_I(c->delta) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO agenda_votes (note_id, board_id, user_id, n) "
		                "VALUES ($1, $2, $3, $4) ON CONFLICT (note_id, user_id) "
		                "DO UPDATE SET n = agenda_votes.n + excluded.n",
		             ins, 4, NULL, NULL);
	if (rc == STORE_OK && c->delta < 0)
		rc = db_exec(s, "DELETE FROM agenda_votes WHERE note_id = $1 AND user_id = $2 AND n <= 0",
		             ma, 2, NULL, NULL);
	db_arg up[] = { DB_I(c->delta), DB_I(h.version), DB_I(c->note) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_notes SET votes = votes + $1, version = $2 WHERE id = $3",
		             up, 3, NULL, NULL);
	c->left = h.dots - used.a - (rc == STORE_OK ? c->delta : 0);
	return rc;
}

store_rc agenda_store_vote(store *s, int64_t board_id, int64_t note_id, int64_t user_id,
                           int delta, int64_t *left)
{
	vote_ctx c = { board_id, note_id, user_id, 0, delta };
	store_rc rc = store_tx(s, vote_tx, &c);
	if (left)
		*left = c.left;
	return rc;
}

typedef struct dots_ctx { db_vec ids, counts; int64_t used; } dots_ctx;

static store_rc dots_row(const db_row *r, void *ctx)
{
	dots_ctx *d = ctx;
	int64_t *id = db_vec_push(&d->ids), *n = db_vec_push(&d->counts);
	if (!id || !n)
		return STORE_ERROR;
	*id = db_int(r, 0);
	*n = db_int(r, 1);
	d->used += *n;
	return STORE_OK;
}

store_rc agenda_store_my_dots(store *s, arena *a, int64_t board_id, int64_t user_id,
                              int64_t *used, int64_t **note_ids, int64_t **counts, size_t *n)
{
	dots_ctx d = { { .a = a, .size = sizeof(int64_t) }, { .a = a, .size = sizeof(int64_t) }, 0 };
	db_arg args[] = { DB_I(board_id), DB_I(user_id) };
	store_rc rc = db_query(s, "SELECT note_id, n FROM agenda_votes WHERE board_id = $1 AND "
	                          "user_id = $2 ORDER BY note_id",
	                       args, 2, dots_row, &d);
	*used = d.used;
	*note_ids = d.ids.items;
	*counts = d.counts.items;
	*n = d.ids.len;
	return rc;
}

typedef struct export_ctx {
	arena *a;
	store_rc (*row)(const agenda_note *n, void *ctx);
	void  *ctx;
} export_ctx;

static store_rc export_row(const db_row *r, void *ctx)
{
	export_ctx *e = ctx;
	agenda_note n;
	store_rc rc = note_into(r, e->a, &n);
	return rc == STORE_OK ? e->row(&n, e->ctx) : rc;
}

store_rc agenda_store_board_export(store *s, arena *a, int64_t board_id,
                                   store_rc (*row)(const agenda_note *n, void *ctx), void *ctx)
{
	export_ctx e = { a, row, ctx };
	db_arg args[] = { DB_I(board_id) };
	return db_query(s, "SELECT " NOTE_COLS "FROM agenda_notes n "
	                   "LEFT JOIN themes t ON t.id = n.theme_id "
	                   "LEFT JOIN users u ON u.id = n.author_id "
	                   "JOIN agenda_columns c ON c.id = n.column_id "
	                   "WHERE n.board_id = $1 AND n.hidden = 0 "
	                   "ORDER BY c.position, c.id, n.votes DESC, n.created_at, n.id",
	                args, 1, export_row, &e);
}

/* ---- table conversation ---- */

static store_rc person_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	agenda_person *p = db_vec_push(v);
	if (!p)
		return STORE_ERROR;
	p->id = db_int(r, 0);
	p->name = db_text(v->a, r, 1);
	p->organisation = db_text(v->a, r, 2);
	p->consent = db_bool(r, 3);
	return p->name && p->organisation ? STORE_OK : STORE_ERROR;
}

store_rc agenda_store_people(store *s, arena *a, int64_t session_id, agenda_person **out,
                             size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(agenda_person) };
	db_arg args[] = { DB_I(session_id) };
	store_rc rc = db_query(s, "SELECT id, name, organisation, consent FROM agenda_table_people "
	                          "WHERE session_id = $1 ORDER BY id",
	                       args, 1, person_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc agenda_store_person_add(store *s, int64_t session_id, const char *name,
                                 const char *org_name, bool consent, int64_t *id_out)
{
	db_arg a[] = { DB_I(session_id), DB_S(name), DB_S(org_name), DB_I(consent),
		       DB_I(db_now()) };
	return db_exec(s, "INSERT INTO agenda_table_people (session_id, name, organisation, consent, "
	                  "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
	               a, 5, id_out, NULL);
}

store_rc agenda_store_person_delete(store *s, int64_t session_id, int64_t id)
{
	db_arg a[] = { DB_I(id), DB_I(session_id) };
	int changes = 0;
	store_rc rc = db_exec(s, "DELETE FROM agenda_table_people WHERE id = $1 AND session_id = $2",
	                      a, 2, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

#define TASK_COLS \
	"k.id, k.session_id, k.position, k.title, k.minimal, k.maximal, k.involve, k.needs, " \
	"COALESCE(k.lead_org_id, 0), COALESCE(k.action_id, 0), COALESCE(o.name, ''), " \
	"COALESCE(p.title, ''), CASE WHEN p.published_at <> 0 AND p.archived_at = 0 THEN 1 ELSE 0 END " \
	"FROM agenda_tasks k " \
	"LEFT JOIN organisations o ON o.id = k.lead_org_id " \
	"LEFT JOIN action_points p ON p.id = k.action_id "

static store_rc task_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	agenda_task *t = db_vec_push(v);
	if (!t)
		return STORE_ERROR;
	t->id = db_int(r, 0);
	t->session_id = db_int(r, 1);
	t->position = (int)db_int(r, 2);
	t->title = db_text(v->a, r, 3);
	t->minimal = db_text(v->a, r, 4);
	t->maximal = db_text(v->a, r, 5);
	t->involve = db_text(v->a, r, 6);
	t->needs = db_text(v->a, r, 7);
	t->lead_org_id = db_int(r, 8);
	t->action_id = db_int(r, 9);
	t->lead_name = db_text(v->a, r, 10);
	t->action_title = db_text(v->a, r, 11);
	t->action_public = db_bool(r, 12);
	return t->title && t->minimal && t->maximal && t->involve && t->needs && t->lead_name &&
	       t->action_title ? STORE_OK : STORE_ERROR;
}

store_rc agenda_store_tasks(store *s, arena *a, int64_t session_id, agenda_task **out,
                            size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(agenda_task) };
	db_arg args[] = { DB_I(session_id) };
	store_rc rc = db_query(s, "SELECT " TASK_COLS "WHERE k.session_id = $1 "
	                          "ORDER BY k.position, k.id",
	                       args, 1, task_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc agenda_store_task_get(store *s, arena *a, int64_t session_id, int64_t id,
                               agenda_task *out)
{
	db_vec v = { .a = a, .size = sizeof(agenda_task) };
	db_arg args[] = { DB_I(id), DB_I(session_id) };
	store_rc rc = db_query(s, "SELECT " TASK_COLS "WHERE k.id = $1 AND k.session_id = $2", args,
	                       2, task_row, &v);
	if (rc == STORE_OK && !v.len)
		return STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = ((agenda_task *)v.items)[0];
	return rc;
}

store_rc agenda_store_action_tasks(store *s, arena *a, int64_t action_id, agenda_task **out,
                                   size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(agenda_task) };
	db_arg args[] = { DB_I(action_id) };
	store_rc rc = db_query(s, "SELECT " TASK_COLS "WHERE k.action_id = $1 ORDER BY k.id", args,
	                       1, task_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc agenda_store_task_save(store *s, const agenda_task *t, int64_t *id_out)
{
	if (t->id) {
		db_arg a[] = { DB_S(t->title), DB_S(t->minimal), DB_S(t->maximal),
			       t->lead_org_id ? DB_I(t->lead_org_id) : DB_NUL, DB_S(t->involve),
			       DB_S(t->needs), DB_I(t->id), DB_I(t->session_id) };
		int changes = 0;
		store_rc rc = db_exec(s, "UPDATE agenda_tasks SET title = $1, minimal = $2, maximal = $3, "
		                         "lead_org_id = $4, involve = $5, needs = $6 WHERE id = $7 AND "
		                         "session_id = $8",
		                      a, 8, NULL, &changes);
		if (rc == STORE_OK && id_out)
			*id_out = t->id;
		return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
	}
	db_arg a[] = { DB_I(t->session_id), DB_I(t->session_id), DB_S(t->title), DB_S(t->minimal),
		       DB_S(t->maximal), t->lead_org_id ? DB_I(t->lead_org_id) : DB_NUL,
		       DB_S(t->involve), DB_S(t->needs), DB_I(db_now()) };
	return db_exec(s, "INSERT INTO agenda_tasks (session_id, position, title, minimal, maximal, "
	                  "lead_org_id, involve, needs, created_at) SELECT $1, "
	                  "COALESCE(MAX(position), 0) + 1, $3, $4, $5, $6, $7, $8, $9 "
	                  "FROM agenda_tasks WHERE session_id = $2 RETURNING id",
	               a, 9, id_out, NULL);
}

store_rc agenda_store_task_move(store *s, int64_t session_id, int64_t id, int dir)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	rc = db_move_position(
		s, "SELECT id, position FROM agenda_tasks WHERE id = $1 AND session_id = $2",
		"SELECT id, position FROM agenda_tasks WHERE session_id = $1 AND "
		"(position < $2 OR (position = $3 AND id < $4)) ORDER BY position DESC, id DESC LIMIT 1",
		"SELECT id, position FROM agenda_tasks WHERE session_id = $1 AND "
		"(position > $2 OR (position = $3 AND id > $4)) ORDER BY position, id LIMIT 1",
		"UPDATE agenda_tasks SET position = $1 WHERE id = $2", session_id, id, dir, NULL);
	return finish(s, rc);
}

typedef struct task_action_ctx {
	int64_t session, task, theme, user, action;
} task_action_ctx;

static store_rc task_action_tx(store *s, void *ctx)
{
	task_action_ctx *c = ctx;
	c->action = 0;
	arena a;
	arena_init(&a, 1u << 20);
	agenda_task t;
	agenda_session x;
	store_rc rc = agenda_store_task_get(s, &a, c->session, c->task, &t);
	if (rc == STORE_OK && t.action_id)
		rc = STORE_CONFLICT;
	if (rc == STORE_OK)
		rc = agenda_store_get(s, &a, c->session, &x);
	if (rc == STORE_OK) {
		/* What the table said, carried into the action point's fields. */
		const char *needs = arena_printf(
			&a, "%s%s%s%s%s%s%s%s", t.needs, *t.needs ? "\n\n" : "",
			*t.lead_name ? "Mogelijke trekker: " : "", t.lead_name, *t.lead_name ? "\n" : "",
			*t.involve ? "Betrekken: " : "", t.involve, *t.involve ? "\n" : "");
		const char *what = arena_printf(&a, "Opgave uit het tafelgesprek “%s” (plaats %d in de "
		                                    "volgorde van de groep).",
		                                x.title, t.position);
		act_point p = { .plan_id = x.plan_id, .theme_id = c->theme, .title = t.title,
			        .problem = "", .status_quo = "", .what = what ? what : "",
			        .how_helps = "", .ambition = "", .ogp_values = "",
			        .minimal = t.minimal, .maximal = t.maximal,
			        .needs = needs ? needs : t.needs, .starts_on = "", .ends_on = "",
			        .status = "idea", .stop_reason = "" };
		rc = act_store_create(s, &p, c->user, &c->action);
	}
	db_arg u[] = { DB_I(c->action), DB_I(c->task), DB_I(c->session) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE agenda_tasks SET action_id = $1 WHERE id = $2 AND session_id = $3 "
		                "AND action_id IS NULL",
		             u, 3, NULL, NULL);
	db_arg l[] = { DB_I(c->session), DB_I(c->action) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO agenda_session_actions (session_id, action_id) "
		                "VALUES ($1, $2) ON CONFLICT DO NOTHING",
		             l, 2, NULL, NULL);
	arena_free(&a);
	return rc;
}

store_rc agenda_store_task_action(store *s, int64_t session_id, int64_t task_id,
                                  int64_t theme_id, int64_t user_id, int64_t *action_id)
{
	task_action_ctx c = { session_id, task_id, theme_id, user_id, 0 };
	store_rc rc = store_tx(s, task_action_tx, &c);
	if (rc == STORE_OK && action_id)
		*action_id = c.action;
	return rc;
}
