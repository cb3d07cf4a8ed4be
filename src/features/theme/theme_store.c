/* theme_store.c — reading a theme for its page: the theme, the title of
 * its plan and the plan's themes in their order (for the page's own
 * navigation). Themes are made and changed by the plan feature.
 */
#include <string.h>

#include "../../store/db.h"
#include "theme.h"

typedef struct one_ctx {
	arena      *a;
	theme_page *out;
	bool        found;
} one_ctx;

static store_rc theme_row(const db_row *r, void *ctx)
{
	one_ctx *c = ctx;
	c->out->id = db_int(r, 0);
	c->out->plan_id = db_int(r, 1);
	c->out->name = db_text(c->a, r, 2);
	c->out->description = db_text(c->a, r, 3);
	c->out->plan_title = db_text(c->a, r, 4);
	c->found = c->out->name && c->out->description && c->out->plan_title;
	return c->found ? STORE_OK : STORE_ERROR;
}

static store_rc sibling_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	theme_sibling *t = db_vec_push(v);
	if (!t)
		return STORE_ERROR;
	t->id = db_int(r, 0);
	t->name = db_text(v->a, r, 1);
	return t->name ? STORE_OK : STORE_ERROR;
}

store_rc theme_store_get(store *s, arena *a, int64_t id, theme_page *out)
{
	memset(out, 0, sizeof *out);
	one_ctx c = { a, out, false };
	db_arg args[] = { DB_I(id) };
	store_rc rc = db_query(s, "SELECT t.id, t.plan_id, t.name, t.description, p.title "
	                          "FROM themes t JOIN plans p ON p.id = t.plan_id WHERE t.id = $1",
	                       args, 1, theme_row, &c);
	if (rc != STORE_OK)
		return rc;
	if (!c.found)
		return STORE_NOTFOUND;
	db_vec v = { .a = a, .size = sizeof(theme_sibling) };
	db_arg pargs[] = { DB_I(out->plan_id) };
	rc = db_query(s, "SELECT id, name FROM themes WHERE plan_id = $1 ORDER BY position, id",
	              pargs, 1, sibling_row, &v);
	out->themes = v.items;
	out->nthemes = v.len;
	return rc;
}
