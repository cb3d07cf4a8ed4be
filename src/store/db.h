/* db.h — private to src/store: the backend-neutral way the domain store
 * files (accounts.c, plans.c, consultations*.c, actions.c, polls.c) run SQL
 * and read rows. It names no database library: the backend behind it is
 * chosen by store_open (src/store/sqlite/ today, src/store/pg/ next; see
 * backend.h). Nothing outside src/store includes this file.
 *
 * SQL is written once for every backend: parameters are $1, $2 … (each
 * argument used at least once, none missing: PostgreSQL refuses anything
 * else, and the SQLite backend does too), and the SQL text must be a static
 * string literal, because backends keep prepared statements by its address
 * (SQL built at run time goes through db_intern first). Integer arguments
 * reach PostgreSQL as bigint, text ones as untyped literals that take the
 * type of what they are compared with or stored in.
 *
 * Where both backends differ, the SQL says which way it wants it: NULLs
 * sort first in ascending order on SQLite and last on PostgreSQL, so an
 * ORDER BY on a column that may be NULL says NULLS FIRST (or LAST).
 */
#ifndef OPENPLAN_DB_H
#define OPENPLAN_DB_H

#include "store.h"

/* ---- parameters ---------------------------------------------------------------- */
typedef struct db_arg {
	enum { DB_NULL, DB_INT, DB_TEXT } kind;
	int64_t     i;
	const char *s;
} db_arg;
#define DB_I(v) ((db_arg){ .kind = DB_INT, .i = (int64_t)(v) })
#define DB_S(v) ((db_arg){ .kind = DB_TEXT, .s = (v) }) /* NULL binds NULL */
#define DB_NUL  ((db_arg){ .kind = DB_NULL })

/* ---- rows ---------------------------------------------------------------------------
 * A row handed to a db_row_fn, valid during that call only. Columns count
 * from 0. A NULL reads as 0, false or "" (ask db_isnull to tell). */
typedef struct db_row db_row;
typedef store_rc (*db_row_fn)(const db_row *r, void *ctx);

int64_t     db_int(const db_row *r, int col);
bool        db_bool(const db_row *r, int col);   /* a non-zero integer */
bool        db_isnull(const db_row *r, int col);
int         db_ncols(const db_row *r);
/* The text copied into the arena; NULL only when the arena is out of memory. */
const char *db_text(arena *a, const db_row *r, int col);
/* The text borrowed from the backend: valid until the callback returns, so
 * a caller that streams rows (exports) allocates nothing per row. */
const char *db_text_ref(const db_row *r, int col);

/* ---- statements ------------------------------------------------------------------
 * Both run on this thread's connection, inside its transaction if one is
 * open. */

/* Runs one statement that changes rows. id_out (may be NULL) receives the
 * first column of the first row it returns (INSERT … RETURNING id);
 * changes (may be NULL) the number of rows it changed. Inside a read scope
 * and outside a transaction it ends the snapshot first (see
 * store_read_begin). Inside a write transaction, a statement with neither
 * id_out nor changes may go out later, with the next statement that needs
 * an answer or with the commit (PostgreSQL, to save round trips): its
 * failure (STORE_CONFLICT too) is then what that later call, or the
 * commit, answers. The transaction fails either way; a caller that must
 * know at once which statement failed asks for changes. */
store_rc db_exec(store *s, const char *sql, const db_arg *args, int nargs, int64_t *id_out,
                 int *changes);
/* Runs a query and calls row for each row; a code other than STORE_OK
 * from row stops the query and is returned. */
store_rc db_query(store *s, const char *sql, const db_arg *args, int nargs, db_row_fn row,
                  void *ctx);

int64_t db_now(void); /* seconds since the epoch */

/* SQL built at run time (the copy command's per-table statements): a copy
 * owned by the store, the same address for the same text, kept until
 * store_close, so it may be used where a static literal is expected. NULL
 * when out of memory. */
const char *db_intern(store *s, const char *sql);

/* A growing array in the arena, for list queries. */
typedef struct db_vec {
	arena *a;
	void  *items;
	size_t len, cap, size;
} db_vec;
void *db_vec_push(db_vec *v); /* a zeroed new slot, or NULL */

/* Moves row `id` of parent `parent_id` one place up (dir < 0) or down in
 * its position order, swapping positions with its neighbour; equal
 * positions get distinct ones first. Runs inside the caller's transaction.
 * The four SQL texts must be static literals:
 *   sql_get   SELECT id, position ... WHERE id = $1 AND <parent> = $2
 *   sql_prev  SELECT id, position ... WHERE <parent> = $1 AND
 *             (position < $2 OR (position = $3 AND id < $4))
 *             ORDER BY position DESC, id DESC LIMIT 1
 *   sql_next  the same with > and ORDER BY position, id LIMIT 1
 *   sql_set   UPDATE ... SET position = $1 WHERE id = $2
 * STORE_NOTFOUND when sql_get finds no row. *moved (may be NULL) tells
 * whether a neighbour was found and the positions were swapped. */
store_rc db_move_position(store *s, const char *sql_get, const char *sql_prev,
                          const char *sql_next, const char *sql_set, int64_t parent_id,
                          int64_t id, int dir, bool *moved);

#endif
