/* db.c — the backend-neutral helpers of db.h that need no connection
 * state: the row accessors (which call the backend's row ops), the arena
 * vector for list queries, the clock, and the move-by-position helper
 * shared by phases and consultation questions. store.c runs the
 * statements.
 */
#include "backend.h"

#include <string.h>
#include <time.h>

int64_t db_int(const db_row *r, int col) { return r->ops->integer(r, col); }

bool db_bool(const db_row *r, int col) { return r->ops->integer(r, col) != 0; }

bool db_isnull(const db_row *r, int col) { return r->ops->isnull(r, col); }

int db_ncols(const db_row *r) { return r->ops->ncols(r); }

const char *db_text_ref(const db_row *r, int col)
{
	size_t n;
	return r->ops->text(r, col, &n);
}

const char *db_text(arena *a, const db_row *r, int col)
{
	size_t n;
	const char *t = r->ops->text(r, col, &n);
	return arena_strndup(a, t, n);
}

int64_t db_now(void)
{
	return (int64_t)time(NULL);
}

void *db_vec_push(db_vec *v)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = arena_alloc(v->a, cap * v->size);
		if (!p)
			return NULL;
		if (v->len)
			memcpy(p, v->items, v->len * v->size);
		v->items = p;
		v->cap = cap;
	}
	void *slot = (char *)v->items + v->len++ * v->size;
	memset(slot, 0, v->size);
	return slot;
}

typedef struct pos_ctx { int64_t id; int position; bool found; } pos_ctx;

static store_rc pos_row(const db_row *r, void *ctx)
{
	pos_ctx *p = ctx;
	p->id = db_int(r, 0);
	p->position = (int)db_int(r, 1);
	p->found = true;
	return STORE_OK;
}

store_rc db_move_position(store *s, const char *sql_get, const char *sql_prev,
                          const char *sql_next, const char *sql_set, int64_t parent_id,
                          int64_t id, int dir, bool *moved)
{
	if (moved)
		*moved = false;
	pos_ctx me = { 0 }, other = { 0 };
	db_arg a[] = { DB_I(id), DB_I(parent_id) };
	store_rc rc = db_query(s, sql_get, a, 2, pos_row, &me);
	if (rc == STORE_OK && !me.found)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK) {
		db_arg b[] = { DB_I(parent_id), DB_I(me.position), DB_I(me.position), DB_I(id) };
		rc = db_query(s, dir < 0 ? sql_prev : sql_next, b, 4, pos_row, &other);
	}
	if (rc != STORE_OK || !other.found)
		return rc;
	/* Swap positions; equal positions get distinct ones first. */
	int mine = me.position, theirs = other.position;
	if (mine == theirs)
		theirs = dir < 0 ? mine - 1 : mine + 1;
	db_arg x[] = { DB_I(theirs), DB_I(me.id) };
	db_arg y[] = { DB_I(mine), DB_I(other.id) };
	rc = db_exec(s, sql_set, x, 2, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, sql_set, y, 2, NULL, NULL);
	if (rc == STORE_OK && moved)
		*moved = true;
	return rc;
}
