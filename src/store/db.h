/* db.h — private to src/store: the SQLite connection, statement cache and
 * small binding helpers the store_*.c files share. Nothing outside
 * src/store includes this file.
 */
#ifndef OPENPLAN_DB_H
#define OPENPLAN_DB_H

#include <sqlite3.h>

#include "store.h"

typedef struct db_conn db_conn;

typedef struct db_arg {
	enum { DB_NULL, DB_INT, DB_TEXT } kind;
	int64_t     i;
	const char *s;
} db_arg;
#define DB_I(v) ((db_arg){ .kind = DB_INT, .i = (int64_t)(v) })
#define DB_S(v) ((db_arg){ .kind = DB_TEXT, .s = (v) })
#define DB_NUL  ((db_arg){ .kind = DB_NULL })

db_conn      *db_get(store *s);                    /* this thread's connection */
sqlite3_stmt *db_prep(db_conn *c, const char *sql); /* cached by the sql pointer */
void          db_done(db_conn *c, sqlite3_stmt *st);
int           db_bind(sqlite3_stmt *st, const db_arg *args, int nargs);
store_rc      db_fail(db_conn *c, const char *what);
const char   *db_text(arena *a, sqlite3_stmt *st, int col);
int64_t       db_now(void);
/* Runs one statement; with id_out, reads the first column of a RETURNING row. */
store_rc      db_exec(store *s, const char *sql, const db_arg *args, int nargs,
                      int64_t *id_out, int *changes);

/* Steps a query that returns rows; `row` is called for each. */
typedef store_rc (*db_row_fn)(sqlite3_stmt *st, void *ctx);
store_rc      db_query(store *s, const char *sql, const db_arg *args, int nargs,
                       db_row_fn row, void *ctx);

/* A growing array in the arena, for list queries. */
typedef struct db_vec {
	arena *a;
	void  *items;
	size_t len, cap, size;
} db_vec;
void         *db_vec_push(db_vec *v); /* a zeroed new slot, or NULL */

/* Moves row `id` of parent `parent_id` one place up (dir < 0) or down in
 * its position order, swapping positions with its neighbour; equal
 * positions get distinct ones first. Runs inside the caller's transaction.
 * The four SQL texts must be static literals (statements are cached by
 * pointer):
 *   sql_get   SELECT id, position ... WHERE id = $1 AND <parent> = $2
 *   sql_prev  SELECT id, position ... WHERE <parent> = $1 AND
 *             (position < $2 OR (position = $3 AND id < $4))
 *             ORDER BY position DESC, id DESC LIMIT 1
 *   sql_next  the same with > and ORDER BY position, id LIMIT 1
 *   sql_set   UPDATE ... SET position = $1 WHERE id = $2
 * STORE_NOTFOUND when sql_get finds no row. *moved (may be NULL) tells
 * whether a neighbour was found and the positions were swapped. */
store_rc      db_move_position(store *s, const char *sql_get, const char *sql_prev,
                               const char *sql_next, const char *sql_set, int64_t parent_id,
                               int64_t id, int dir, bool *moved);

#endif
