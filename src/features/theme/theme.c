/* theme.c — the theme feature: /themes/{id} and /api/v1/themes/{id}. The
 * page is the theme (name, description, its plan) with what the features
 * give for page "theme" (each its own section); the same handler answers
 * JSON with the theme as data and each section under its key.
 */
#include "theme.h"

/* The theme as data (the API's "Theme"). */
static json_t *theme_data(const theme_page *t)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)t->id, "plan_id",
	                 (json_int_t)t->plan_id, "name", t->name, "description", t->description,
	                 "plan_title", t->plan_title);
}

static void theme_show(app_req *q)
{
	int64_t id = app_param_id(q, "id");
	theme_page t;
	store_rc rc = id ? theme_store_get(q->app->db, q->a, id, &t) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (q->want_json) {
		json_t *d = json_pack("{s:o}", "theme", theme_data(&t));
		app_sections(q, "theme", t.id, d);
		app_json(q, 200, d);
		return;
	}
	json_t *others = json_array();
	for (size_t i = 0; i < t.nthemes; i++)
		json_array_append_new(others, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)t.themes[i].id,
		                                        "name", t.themes[i].name, "current",
		                                        t.themes[i].id == t.id));
	json_t *m = json_pack("{s:s,s:o,s:o}", "title", t.name, "theme", theme_data(&t), "themes",
	                      others);
	app_sections(q, "theme", t.id, m);
	app_page(q, 200, "theme_show", m);
}

static const app_route routes[] = {
	/* Depends only on the data and the visitor's role (sections may show
	 * organisers more): cached per role. */
	{ HTTP_GET, "/themes/{id}", theme_show, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/themes/{id}", theme_show, ROLE_PARTICIPANT, true, R_API | R_CACHE },
};

const app_feature theme_feature = {
	.name = "theme",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
};
