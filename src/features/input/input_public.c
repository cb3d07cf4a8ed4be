/* input_public.c — "What we did with your input", for a plan and for one
 * consultation: counts per status (an SVG chart with the same numbers in a
 * table), every red thread (group) with its response and the action
 * points it led to, and every public item, searchable (Dutch full-text
 * search) and paged newest first. The same as JSON (/api/v1/input/…) and
 * as CSV for Dutch Excel, streamed from the job pool as the action plan's
 * exports are (src/web/csv.h, http_body). Hidden input (personal data)
 * never shows; input its author deleted shows as deleted and still counts.
 * No names of the people who gave input.
 */
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "../../web/csv.h"
#include "input.h"

enum { PAGE = 50 };

/* Which page: a plan's, one consultation's or one session's. */
typedef struct scope {
	plan        p;
	const char *source;          /* NULL: the plan's page; "cons"; "board" */
	int64_t     container_id;
	const char *container_title;
} scope;

static bool load_scope(app_req *q, scope *sc)
{
	memset(sc, 0, sizeof *sc);
	int64_t cid = app_param_id(q, "cid"), sid = app_param_id(q, "sid");
	if (!cid && !sid)
		return input_load_plan(q, &sc->p);
	sc->source = cid ? "cons" : "board";
	sc->container_id = cid ? cid : sid;
	int64_t plan_id = 0;
	store_rc rc = input_store_container(q->app->db, q->a, sc->source, sc->container_id, &plan_id,
	                                    &sc->container_title);
	if (rc == STORE_OK)
		rc = store_plan_get(q->app->db, q->a, plan_id, &sc->p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

static const char *chart(app_req *q, const input_counts *c)
{
	const char *labels[8];
	int64_t counts[8];
	size_t n = 0;
	sb desc;
	sb_init(&desc);
	for (int i = 0; input_statuses[i]; i++) {
		labels[n] = app_t(q, input_status_labels[i]);
		counts[n] = c->by_status[i];
		sb_printf(&desc, "%s%s: %lld", n ? "; " : "", labels[n], (long long)counts[n]);
		n++;
	}
	sb out;
	sb_init(&out);
	web_svg_bars(&out, "input-status-chart", app_t(q, "Input per status"), sb_str(&desc), labels,
	             counts, n);
	const char *r = sb_failed(&out) || sb_failed(&desc) ? NULL : arena_strdup(q->a, sb_str(&out));
	sb_free(&out);
	sb_free(&desc);
	return r;
}

static json_t *links_json(app_req *q, const input_link *ls, size_t n, bool view)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = input_link_data(&ls[i]);
		if (view)
			input_link_view(q, o, &ls[i]);
		json_array_append_new(a, o);
	}
	return a;
}

static void public_page(app_req *q)
{
	scope sc;
	if (!load_scope(q, &sc))
		return;
	const char *query = http_query(q->r, "q");
	if (query && (!*query || text_utf8_len(query) > 200 || text_has_control(query, false)))
		query = NULL;
	const char *status = http_query(q->r, "status");
	if (status && !input_status_valid(status))
		status = NULL;
	long long before = 0;
	const char *bs = http_query(q->r, "before");
	if (bs && !text_parse_int(bs, 1, INT64_MAX, &before))
		before = 0;
	if (query)
		input_store_index(q->app->db, 5000, NULL);
	input_counts counts;
	input_group *gs;
	input_item *items;
	size_t ng = 0, ni = 0;
	bool more = false;
	input_filter f = { .plan_id = sc.p.id, .source = sc.source, .container_id = sc.container_id,
		           .public_only = true, .query = query, .status = status,
		           .before_id = before, .limit = PAGE };
	store_rc rc = input_store_counts(q->app->db, sc.p.id, sc.source, sc.container_id, true, &counts);
	if (rc == STORE_OK)
		rc = input_store_groups(q->app->db, q->a, sc.p.id, sc.source, sc.container_id, &gs, &ng);
	if (rc == STORE_OK)
		rc = input_store_list(q->app->db, q->a, &f, &items, &ni, &more);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	bool view = !q->want_json;
	json_t *groups = json_array();
	for (size_t i = 0; i < ng; i++) {
		json_t *o = input_group_data(&gs[i]);
		input_link *ls;
		size_t nl = 0;
		if (input_store_group_links(q->app->db, q->a, gs[i].id, &ls, &nl) != STORE_OK)
			nl = 0;
		json_object_set_new(o, "links", links_json(q, ls, nl, view));
		if (view) {
			input_group_view(q, o, &gs[i]);
			input_item quote;
			if (gs[i].quote_item_id &&
			    input_store_get(q->app->db, q->a, gs[i].quote_item_id, &quote) == STORE_OK &&
			    quote.is_public && !quote.removed)
				json_object_set_new(o, "quote", json_string(quote.text));
		}
		json_array_append_new(groups, o);
	}
	json_t *list = json_array();
	for (size_t i = 0; i < ni; i++) {
		json_t *o = input_item_data(&items[i], false);
		input_link *ls;
		size_t nl = 0;
		if (input_store_item_links(q->app->db, q->a, items[i].id, &ls, &nl) != STORE_OK)
			nl = 0;
		json_object_set_new(o, "links", links_json(q, ls, nl, view));
		if (view)
			input_item_view(q, o, &items[i]);
		json_array_append_new(list, o);
	}
	json_t *next = more && ni ? json_integer((json_int_t)items[ni - 1].id) : json_null();
	json_t *cj = input_counts_data(&counts);
	if (!view) {
		json_t *m = json_pack("{s:{s:I,s:s},s:o,s:o,s:o,s:o}", "plan", "id", (json_int_t)sc.p.id,
		                      "title", sc.p.title, "counts", cj, "groups", groups, "items", list,
		                      "next_before", next);
		if (sc.container_id)
			json_object_set_new(m, !strcmp(sc.source, "cons") ? "consultation" : "session",
			                    json_pack("{s:I,s:s}", "id", (json_int_t)sc.container_id,
			                              "title", sc.container_title));
		app_json(q, 200, m);
		return;
	}
	json_decref(next);
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(cj, "by_status"), i, o)
		json_object_set_new(o, "label", json_string(app_t(q, input_status_labels[i])));
	const char *base = !sc.source ? arena_printf(q->a, "/input/plans/%lld", (long long)sc.p.id)
	                   : arena_printf(q->a, "/input/%s/%lld",
	                                  !strcmp(sc.source, "cons") ? "consultations" : "sessions",
	                                  (long long)sc.container_id);
	if (!base) {
		json_decref(cj);
		json_decref(groups);
		json_decref(list);
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	sb qs;
	sb_init(&qs);
	if (query) {
		sb_puts(&qs, "q=");
		sb_urlenc(&qs, query);
	}
	if (status)
		sb_printf(&qs, "%sstatus=%s", qs.len ? "&" : "", status);
	const char *fq = sb_failed(&qs) ? "" : arena_strdup(q->a, sb_str(&qs));
	sb_free(&qs);
	json_t *m = json_pack("{s:s,s:{s:I,s:s},s:o,s:o,s:o,s:s,s:s,s:o}", "title",
	                      app_t(q, "What we did with your input"), "plan", "id",
	                      (json_int_t)sc.p.id, "title", sc.p.title, "counts", cj, "groups", groups,
	                      "items", list, "q", query ? query : "", "base", base,
	                      "statuses", input_status_options(q, status, true));
	if (sc.container_id)
		json_object_set_new(m, "container", json_pack("{s:I,s:s,s:s}", "id",
		                                              (json_int_t)sc.container_id, "title",
		                                              sc.container_title, "url",
		                                              !strcmp(sc.source, "cons")
		                                              ? arena_printf(q->a, "/consultations/%lld/results",
		                                                             (long long)sc.container_id)
		                                              : arena_printf(q->a, "/sessions/%lld",
		                                                             (long long)sc.container_id)));
	const char *svg = chart(q, &counts);
	if (svg)
		json_object_set_new(m, "chart", json_string(svg));
	json_object_set_new(m, "searched", json_boolean(query || status));
	json_object_set_new(m, "shown", json_integer((json_int_t)ni));
	if (more && ni)
		json_object_set_new(m, "next_url", json_string(arena_printf(q->a, "%s?%s%sbefore=%lld",
		                                                            base, fq, *fq ? "&" : "",
		                                                            (long long)items[ni - 1].id)));
	if (before)
		json_object_set_new(m, "first_url", json_string(arena_printf(q->a, "%s%s%s", base,
		                                                             *fq ? "?" : "", fq)));
	json_object_set_new(m, "json_url", json_string(arena_printf(q->a, "/api/v1%s", base)));
	json_object_set_new(m, "csv_url", json_string(arena_printf(q->a, "%s/items.csv", base)));
	json_object_set_new(m, "can_share", json_boolean(!sc.source));
	if (input_is_organiser(q))
		json_object_set_new(m, "inbox_url", json_string(arena_printf(q->a,
		                                                             "/input/plans/%lld/inbox",
		                                                             (long long)sc.p.id)));
	app_page(q, 200, "input_public", m);
}

void input_public_plan(app_req *q)
{
	public_page(q);
}

void input_public_cons(app_req *q)
{
	public_page(q);
}

void input_public_session(app_req *q)
{
	public_page(q);
}

/* ---- CSV ----------------------------------------------------------------------------------------- */

typedef struct export_job {
	store      *db;
	const char *lang;
	const char *source;     /* NULL: the whole plan */
	int64_t     plan_id, container_id;
} export_job;

typedef struct export_ctx {
	const export_job *j;
	csv_writer  csv;
	input_link *links;
	size_t      nlinks;
	sb          scratch;
	bool        failed;
} export_ctx;

static const char *tr(const export_ctx *x, const char *msgid)
{
	return i18n_get(x->j->lang, msgid);
}

/* The titles of the action points an item led to (its own links and its
 * group's), each once, "; " between them, in x->scratch. */
static void add_links(export_ctx *x, int64_t item_id, int64_t group_id)
{
	int64_t seen[64];
	size_t ns = 0;
	for (size_t i = 0; i < x->nlinks; i++) {
		const input_link *l = &x->links[i];
		if (!((item_id && l->item_id == item_id) || (group_id && l->group_id == group_id)))
			continue;
		bool dup = false;
		for (size_t k = 0; k < ns && !dup; k++)
			dup = seen[k] == l->action_id;
		if (dup)
			continue;
		if (ns < 64)
			seen[ns++] = l->action_id;
		if (x->scratch.len)
			sb_puts(&x->scratch, "; ");
		sb_puts(&x->scratch, l->title);
	}
}

static store_rc item_row(const input_item *it, void *ctx)
{
	export_ctx *x = ctx;
	char day[16];
	time_t t = (time_t)it->created_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	bool show = !it->removed && !it->hidden && !it->hidden_here;
	csv_int(&x->csv, it->id);
	csv_cell(&x->csv, tr(x, input_source_label(it->source)));
	csv_cell(&x->csv, tr(x, input_kind_label(it->kind)));
	csv_cell(&x->csv, it->container_title);
	csv_cell(&x->csv, it->part_title);
	csv_cell(&x->csv, show ? it->text : "");
	csv_cell(&x->csv, it->removed ? tr(x, "yes") : tr(x, "no"));
	csv_cell(&x->csv, tr(x, input_status_label(it->status)));
	csv_cell(&x->csv, it->theme_name);
	csv_cell(&x->csv, it->group_title);
	csv_cell(&x->csv, it->answer_id ? it->answer_body : "");
	if (it->answer_id)
		csv_int(&x->csv, it->answer_version);
	else
		csv_cell(&x->csv, "");
	x->scratch.len = 0;
	sb_puts(&x->scratch, "");
	add_links(x, it->duplicate_of ? it->duplicate_of : it->id,
	          it->duplicate_of ? it->original_group_id : it->group_id);
	csv_cell(&x->csv, sb_str(&x->scratch));
	csv_cell(&x->csv, day);
	csv_row_end(&x->csv);
	return x->csv.failed || sb_failed(&x->scratch) ? STORE_ERROR : STORE_OK;
}

static const char *const heads[] = {
	"ID", "Source", "Kind", "Where", "Question", "Text", "Deleted by its author", "Status",
	"Theme", "Group", "The response", "Response version", "Action points", "Given on", NULL
};

static bool produce_csv(http_body *b, void *arg)
{
	const export_job *j = arg;
	export_ctx x = { .j = j };
	sb_init(&x.scratch);
	csv_init(&x.csv, ';', true, http_body_sink, b);
	for (const char *const *h = heads; *h; h++)
		csv_cell(&x.csv, tr(&x, *h));
	csv_row_end(&x.csv);
	arena a;
	arena_init(&a, 0);
	store_read_begin(j->db);
	store_rc rc = input_store_plan_links(j->db, &a, j->plan_id, &x.links, &x.nlinks);
	input_filter f = { .plan_id = j->plan_id, .source = j->source,
		           .container_id = j->container_id, .public_only = true };
	if (rc == STORE_OK)
		rc = input_store_each(j->db, &f, item_row, &x);
	store_read_end(j->db);
	bool ok = rc == STORE_OK && csv_finish(&x.csv) == 0;
	csv_free(&x.csv);
	sb_free(&x.scratch);
	arena_free(&a);
	return ok;
}

static bool produce_nothing(http_body *b, void *arg)
{
	(void)b;
	(void)arg;
	return false;
}

static void export(app_req *q)
{
	scope sc;
	if (!load_scope(q, &sc))
		return;
	http_body *b = http_body_open(q->r, q->s);
	export_job *j = b ? arena_calloc(http_body_arena(b), 1, sizeof *j) : NULL;
	if (j) {
		*j = (export_job){ q->app->db, arena_strdup(http_body_arena(b), q->lang), sc.source,
			           sc.p.id, sc.container_id };
		q->s->status = 200;
		q->s->content_type = "text/csv; charset=utf-8";
		http_resp_header(q->r, q->s, "Content-Disposition",
		                 !sc.source ? arena_printf(q->a, "attachment; filename=\"input-plan-%lld.csv\"",
		                                           (long long)sc.p.id)
		                 : arena_printf(q->a, "attachment; filename=\"input-%s-%lld.csv\"",
		                                !strcmp(sc.source, "cons") ? "consultation" : "session",
		                                (long long)sc.container_id));
	}
	if (b && (!j || !j->lang)) {
		if (http_body_start(b, produce_nothing, NULL) == 0)
			return;
		b = NULL;
	}
	if (!b || http_body_start(b, produce_csv, j) != 0)
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
}

void input_csv_plan(app_req *q)
{
	export(q);
}

void input_csv_cons(app_req *q)
{
	export(q);
}

void input_csv_session(app_req *q)
{
	export(q);
}
