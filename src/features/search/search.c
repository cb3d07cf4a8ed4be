/* search.c — the search feature as openplan sees it: the page /search (a
 * GET form, no JavaScript), the API /api/v1/search, and its section on the
 * theme page. Results come grouped by kind, the group with the best match
 * first; each result has its title, address and an excerpt around the
 * first word that matched.
 */
#include <string.h>

#include "../../util/text.h"
#include "search.h"

enum { PER_GROUP = 5, PER_KIND = 100, FIND_MAX = 500, EXCERPT_WORDS = 28 };

/* The kinds the index holds, in the order a tie between groups takes; the
 * feature that owns each (see theme_section); where its things are. */
typedef struct kind {
	const char *code;
	const char *owner;
	const char *url;     /* printf format with the id */
	const char *name;    /* msgid: what a group of them is called */
	const char *more;    /* msgid: the link to all of them */
} kind;

static const kind kinds[] = {
	{ "action", "act", "/actions/%lld", N_("Action points"), N_("Show every action point found") },
	{ "consultation", "cons", "/consultations/%lld", N_("Consultations"),
	  N_("Show every consultation found") },
	{ "poll", "poll", "/polls/%lld/report", N_("Live poll reports"),
	  N_("Show every live poll report found") },
	{ "session", "agenda", "/sessions/%lld", N_("Sessions"), N_("Show every session found") },
	{ "theme", "plan", "/themes/%lld", N_("Themes"), N_("Show every theme found") },
};
enum { NKINDS = sizeof kinds / sizeof *kinds };

static const kind *kind_of(const char *code)
{
	for (size_t i = 0; code && i < NKINDS; i++)
		if (!strcmp(kinds[i].code, code))
			return &kinds[i];
	return NULL;
}

static const char *url_of(app_req *q, const kind *k, int64_t id)
{
	const char *u = arena_printf(q->a, k->url, (long long)id);
	return u ? u : "/";
}

/* ---- the page and the API ---- */

/* A refused query: 422 with the message at q (JSON: error.fields.q). */
static void refuse(app_req *q, const char *typed, const char *kind_code, const char *msgid)
{
	if (q->want_json) {
		json_t *e = json_pack("{s:{s:i,s:s,s:{s:s}}}", "error", "status", 422, "message",
		                      i18n_get("en", msgid), "fields", "q", i18n_get("en", msgid));
		app_json(q, 422, e);
		return;
	}
	json_t *m = json_pack("{s:s,s:s,s:s,s:s}", "title", app_t(q, "Search"), "query", typed,
	                      "search_q", typed, "error", app_t(q, msgid));
	if (kind_code)
		json_object_set_new(m, "kind", json_string(kind_code));
	app_page(q, 422, "search_page", m);
}

static void search_page(app_req *q)
{
	const char *raw = http_query(q->r, "q");
	const char *typed = text_trim(q->a, raw ? raw : "");
	const char *kind_code = http_query(q->r, "kind");
	if (kind_code && !*kind_code)
		kind_code = NULL;
	if (!typed) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	if (text_utf8_len(typed) > SEARCH_Q_MAX || text_has_control(typed, false)) {
		refuse(q, "", NULL, N_("Use at most 200 characters, without control characters, to search."));
		return;
	}
	const kind *only = kind_of(kind_code);
	if (kind_code && !only) {
		refuse(q, typed, NULL, N_("Choose one of the kinds of results: action points, consultations, live poll reports, sessions or themes."));
		return;
	}
	if (!*typed && q->want_json) {
		refuse(q, typed, kind_code, N_("Fill in what to search for."));
		return;
	}
	bool here = true;
	store_rc rc = search_store_stems_here(q->app->db, &here);
	const char **stems = NULL;
	size_t nstems = 0;
	const char *expr = *typed ? search_query_expr(q->a, typed, here, &stems, &nstems) : NULL;
	search_doc *docs = NULL;
	size_t n = 0;
	/* The index first takes in what changed since the last search. */
	if (rc == STORE_OK && expr)
		rc = search_store_sync(q->app->db);
	if (rc == STORE_OK && expr)
		rc = search_store_find(q->app->db, q->a, expr, only ? only->code : NULL,
		                       only ? PER_KIND : FIND_MAX, &docs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	/* Groups in the order of their best result. */
	size_t order[NKINDS], ngroups = 0, count[NKINDS] = { 0 };
	for (size_t i = 0; i < n; i++) {
		const kind *k = kind_of(docs[i].kind);
		if (!k)
			continue;
		size_t ki = (size_t)(k - kinds);
		if (!count[ki]++)
			order[ngroups++] = ki;
	}
	size_t per = only ? PER_KIND : PER_GROUP;
	json_t *groups = json_array();
	size_t total = 0;
	for (size_t g = 0; g < ngroups; g++) {
		const kind *k = &kinds[order[g]];
		json_t *results = json_array();
		size_t shown = 0;
		for (size_t i = 0; i < n && shown < per; i++) {
			if (strcmp(docs[i].kind, k->code))
				continue;
			shown++;
			json_t *pieces = search_excerpt(q->a, docs[i].body, stems, nstems, EXCERPT_WORDS);
			json_t *r = json_pack("{s:s,s:I,s:s,s:s}", "kind", k->code, "id",
			                      (json_int_t)docs[i].ref_id, "title", docs[i].title, "url",
			                      url_of(q, k, docs[i].ref_id));
			if (q->want_json) {
				sb t;
				sb_init(&t);
				size_t pi;
				json_t *p;
				json_array_foreach(pieces, pi, p)
					sb_puts(&t, json_string_value(json_object_get(p, "text")));
				json_object_set_new(r, "excerpt", json_string(sb_failed(&t) ? "" : sb_str(&t)));
				sb_free(&t);
				json_decref(pieces);
			} else {
				json_object_set_new(r, "excerpt", pieces);
			}
			json_array_append_new(results, r);
		}
		total += count[order[g]];
		json_t *grp = json_pack("{s:s,s:I,s:o}", "kind", k->code, "total",
		                        (json_int_t)count[order[g]], "results", results);
		if (!q->want_json) {
			json_object_set_new(grp, "label", json_string(app_t(q, k->name)));
			if (count[order[g]] > shown) {
				sb u;
				sb_init(&u);
				sb_puts(&u, "/search?q=");
				sb_urlenc(&u, typed);
				sb_printf(&u, "&kind=%s", k->code);
				json_object_set_new(grp, "more_url", json_string(sb_str(&u)));
				json_object_set_new(grp, "more_label", json_string(app_t(q, k->more)));
				sb_free(&u);
			}
		}
		json_array_append_new(groups, grp);
	}
	if (q->want_json) {
		app_json(q, 200, json_pack("{s:s,s:o,s:I,s:o}", "query", typed, "kind",
		                           only ? json_string(only->code) : json_null(), "total",
		                           (json_int_t)total, "groups", groups));
		return;
	}
	json_t *m = json_pack("{s:s,s:s,s:s,s:b,s:I,s:o}", "title",
	                      *typed ? arena_printf(q->a, "%s: %s", app_t(q, "Search"), typed)
	                             : app_t(q, "Search"),
	                      "query", typed, "search_q", typed, "searched", *typed != '\0', "total",
	                      (json_int_t)total, "groups", groups);
	if (only) {
		json_object_set_new(m, "kind", json_string(only->code));
		json_object_set_new(m, "kind_label", json_string(app_t(q, only->name)));
		sb u;
		sb_init(&u);
		sb_puts(&u, "/search?q=");
		sb_urlenc(&u, typed);
		json_object_set_new(m, "all_url", json_string(sb_str(&u)));
		sb_free(&u);
	}
	app_page(q, 200, "search_page", m);
}

/* ---- the theme page's section ---- */

/* Whether the feature named owner gives the theme page a section of its
 * own: then it shows its things there itself, in its own way. */
static bool shows_itself(app_req *q, const char *owner)
{
	for (size_t f = 0; f < q->app->nfeatures; f++) {
		const app_feature *ft = q->app->features[f];
		if (strcmp(ft->name, owner))
			continue;
		for (size_t i = 0; i < ft->nsections; i++)
			if (!strcmp(ft->sections[i].page, "theme"))
				return true;
	}
	return false;
}

/* What the index knows is linked to theme id: action points of the theme,
 * consultations whose options are tied to it; by kind. NULL when none. */
static json_t *theme_section(app_req *q, int64_t theme_id)
{
	search_doc *docs;
	size_t n;
	store_rc rc = search_store_sync(q->app->db);
	if (rc == STORE_OK)
		rc = search_store_theme(q->app->db, q->a, theme_id, &docs, &n);
	if (rc != STORE_OK)
		return NULL;
	json_t *groups = json_array();
	for (size_t k = 0; k < NKINDS; k++) {
		if (shows_itself(q, kinds[k].owner))
			continue;
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++)
			if (!strcmp(docs[i].kind, kinds[k].code)) {
				json_t *it = json_pack("{s:s,s:I,s:s,s:s}", "kind", kinds[k].code, "id",
				                       (json_int_t)docs[i].ref_id, "title", docs[i].title,
				                       "url", url_of(q, &kinds[k], docs[i].ref_id));
				if (!q->want_json)
					json_object_set_new(it, "snippet",
					                    json_string(search_snippet(q->a, docs[i].body, 30)));
				json_array_append_new(items, it);
			}
		if (!json_array_size(items)) {
			json_decref(items);
			continue;
		}
		json_t *g = json_pack("{s:s,s:I,s:o}", "kind", kinds[k].code, "total",
		                      (json_int_t)json_array_size(items), "items", items);
		if (!q->want_json)
			json_object_set_new(g, "label", json_string(app_t(q, kinds[k].name)));
		json_array_append_new(groups, g);
	}
	if (!json_array_size(groups)) {
		json_decref(groups);
		return NULL;
	}
	return json_pack("{s:o}", "groups", groups);
}

/* ---- the feature ---- */

static const app_route routes[] = {
	{ HTTP_GET, "/search", search_page, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/api/v1/search", search_page, ROLE_PARTICIPANT, true, R_API },
};

static const app_section sections[] = {
	{ "theme", "linked", "search_theme_section", theme_section },
};

const app_feature search_feature = {
	.name = "search",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
};
