/* app.c — the request pipeline. For every request: reject what is not
 * UTF-8, serve the embedded stylesheet, find the route (404/405), load the
 * session and language, check sign-in, role and CSRF token, then call the
 * handler. Also: answering helpers (pages, JSON, errors, redirects), the
 * access log line and the Prometheus metrics.
 */
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/embed.h"
#include "../util/text.h"
#include "app.h"
#include "auth.h"

/* ---- metrics ---- */
enum { MAX_ROUTES = 400, R_STATIC = MAX_ROUTES, R_NONE, R_ALL };
static const int status_codes[] = { 200, 303, 304, 400, 401, 403, 404, 405, 409, 410,
	                            413, 422, 429, 500, 503 };
enum { NSTATUS = sizeof status_codes / sizeof *status_codes };
static const double buckets[] = { 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
	                          0.025, 0.05, 0.1, 0.25, 0.5, 1 };
enum { NBUCKETS = sizeof buckets / sizeof *buckets };
static atomic_uint_fast64_t m_requests[R_ALL][NSTATUS + 1];
static atomic_uint_fast64_t m_latency[NBUCKETS + 1];
static atomic_uint_fast64_t m_latency_sum_us;

static const char *const flash_msgs[][2] = {
	{ "saved", "Your changes are saved." },
	{ "welcome", "Welcome! Your account is ready and you are signed in." },
	{ "signed_in", "You are signed in." },
	{ "signed_out", "You are signed out." },
	{ "password", "Your password is changed. Other sessions are signed out." },
	{ "deleted", "It is removed." },
};

const char *app_t(app_req *q, const char *msgid)
{
	return i18n_get(q->lang, msgid);
}

const char *app_tn(app_req *q, const char *msgid, const char *plural, long long n)
{
	return i18n_nget(q->lang, msgid, plural, n);
}

const char *app_date(app_req *q, const char *ymd)
{
	return web_date(q->a, q->lang, ymd);
}

int64_t app_param_id(app_req *q, const char *name)
{
	long long v;
	const char *s = http_param(q->r, name);
	return s && text_parse_int(s, 1, INT64_MAX, &v) ? (int64_t)v : 0;
}

static json_t *chrome(app_req *q, const char *title)
{
	json_t *c = json_object();
	json_object_set_new(c, "page_title", json_string(title ? title : ""));
	json_object_set_new(c, "css", json_string(q->app->css_path));
	json_object_set_new(c, "lang", json_string(q->lang));
	bool nl = strcmp(q->lang, "nl") == 0;
	json_object_set_new(c, "other_lang", json_string(nl ? "en" : "nl"));
	json_object_set_new(c, "other_lang_name", json_string(nl ? "English" : "Nederlands"));
	sb here;
	sb_init(&here);
	sb_urlenc(&here, q->r->path);
	json_object_set_new(c, "here", json_string(sb_str(&here)));
	sb_free(&here);
	json_object_set_new(c, "csrf", json_string(q->csrf ? q->csrf : ""));
	if (q->personal_slot)
		json_object_set_new(c, "personal_slot", json_true());
	/* {{js.poll}} is the address of src/web/static/poll.js */
	json_t *js = json_object();
	for (size_t i = 0; i < q->app->nscripts; i++)
		json_object_set_new(js, q->app->scripts[i].name, json_string(q->app->scripts[i].url));
	json_object_set_new(c, "js", js);
	if (q->me) {
		json_t *me = json_object();
		json_object_set_new(me, "name", json_string(q->me->name));
		json_object_set_new(me, "is_organiser", json_boolean(q->me->role >= ROLE_ORGANISER));
		json_object_set_new(me, "is_admin", json_boolean(q->me->role == ROLE_ADMIN));
		int64_t unread = 0;
		if (store_notifications_unread(q->app->db, q->me->id, &unread) == STORE_OK && unread)
			json_object_set_new(me, "unread", json_integer((json_int_t)unread));
		json_object_set_new(c, "me", me);
	}
	for (size_t f = 0; f < q->app->nfeatures; f++)
		if (q->app->features[f]->chrome)
			q->app->features[f]->chrome(q, c);
	const char *flash = http_cookie(q->r, "op_flash");
	const char *said = NULL;
	for (size_t i = 0; flash && !said && i < sizeof flash_msgs / sizeof *flash_msgs; i++)
		if (strcmp(flash, flash_msgs[i][0]) == 0)
			said = flash_msgs[i][1];
	for (size_t f = 0; flash && !said && f < q->app->nfeatures; f++)
		for (size_t i = 0; !said && i < q->app->features[f]->nflashes; i++)
			if (strcmp(flash, q->app->features[f]->flashes[i].key) == 0)
				said = q->app->features[f]->flashes[i].msgid;
	if (said) {
		json_object_set_new(c, "flash", json_string(app_t(q, said)));
		http_set_cookie(q->r, q->s, "op_flash", "", 0, q->app->cfg.https);
	}
	return c;
}

static int dump_to_sb(const char *buf, size_t size, void *data)
{
	sb_append(data, buf, size);
	return sb_failed(data) ? -1 : 0;
}

void app_json(app_req *q, int status, json_t *model)
{
	q->s->status = status;
	q->s->content_type = "application/json";
	if (model && json_dump_callback(model, dump_to_sb, &q->s->body, JSON_COMPACT) == 0 &&
	    !sb_failed(&q->s->body)) {
		/* written straight into the body */
	} else {
		q->s->body.len = 0;
		q->s->body.failed = false;
		q->s->status = 503;
		sb_puts(&q->s->body, "{\"error\":{\"status\":503,\"message\":\"The server is too busy "
		                     "right now. Please try again in a minute.\"}}");
	}
	json_decref(model);
}

static void render(app_req *q, int status, const char *tpl, const char *title, json_t *model)
{
	/* One context: the page chrome, with the model's keys over it. */
	json_t *c = chrome(q, title);
	json_object_update(c, model);
	q->s->status = status;
	q->s->content_type = "text/html; charset=utf-8";
	q->s->body.len = 0;
	if (tpl_render(q->app->tpl, tpl, c, q->lang, &q->s->body) != 0) {
		fprintf(stderr, "level=error msg=\"template %s failed\"\n", tpl);
		sb_free(&q->s->body);
		q->s->status = 500;
		q->s->content_type = "text/plain; charset=utf-8";
		sb_puts(&q->s->body, "Internal Server Error");
	}
	json_decref(c);
	json_decref(model);
}

void app_page(app_req *q, int status, const char *tpl, json_t *model)
{
	if (!model) {
		app_error(q, 500, "Something went wrong on our side. Please try again later.");
		return;
	}
	if (q->want_json && form_failed(q)) {
		/* A JSON client of a form gets the messages, not the page. */
		json_decref(model);
		json_t *e = json_pack("{s:{s:i,s:s,s:O}}", "error", "status", 422, "message",
		                      i18n_get("en", "Not everything is filled in correctly. Look at the messages at the fields."),
		                      "fields", q->form->errors);
		app_json(q, 422, e);
		return;
	}
	if (q->want_json) {
		app_json(q, status, model);
		return;
	}
	const char *title = json_string_value(json_object_get(model, "title"));
	render(q, status, tpl, title, model);
}

static const char *error_title(int status)
{
	switch (status) {
	case 400: return "This request could not be read";
	case 401: return "Sign in first";
	case 403: return "You may not do this";
	case 404: return "Page not found";
	case 405: return "This action is not possible here";
	case 413: return "What you sent is too large";
	case 429: return "Too many attempts";
	case 503: return "Temporarily unavailable";
	default: return "Something went wrong";
	}
}

void app_error(app_req *q, int status, const char *msgid)
{
	if (q->want_json) {
		json_t *e = json_pack("{s:{s:i,s:s}}", "error", "status", status, "message",
		                      i18n_get("en", msgid));
		app_json(q, status, e);
		return;
	}
	json_t *m = json_pack("{s:i,s:s,s:s}", "status", status, "message", app_t(q, msgid),
	                      "heading", app_t(q, error_title(status)));
	render(q, status, "error", app_t(q, error_title(status)), m);
}

void app_store_error(app_req *q, store_rc rc)
{
	if (rc == STORE_NOTFOUND)
		app_error(q, 404, "This page does not exist (any more). Check the address or start at the home page.");
	else if (rc == STORE_INVALID || rc == STORE_CONFLICT)
		/* A rule of the data refused it: something else still refers to
		 * it, or it already exists. Nothing was changed. */
		app_error(q, 409, "This cannot be done: other things still refer to it, or it already exists. Change those first. Nothing was changed.");
	else
		app_error(q, 500, "Something went wrong on our side. Please try again later.");
}

void app_redirect(app_req *q, const char *location, const char *flash)
{
	if (flash)
		http_set_cookie(q->r, q->s, "op_flash", flash, 60, q->app->cfg.https);
	if (q->want_json) {
		json_t *m = json_pack("{s:b,s:s}", "ok", 1, "location", location);
		app_json(q, 200, m);
		http_resp_header(q->r, q->s, "Location", location);
		return;
	}
	http_redirect(q->r, q->s, location);
}

void app_sections(app_req *q, const char *page, int64_t id, json_t *model)
{
	json_t *list = json_array();
	for (size_t f = 0; f < q->app->nfeatures; f++) {
		const app_feature *ft = q->app->features[f];
		for (size_t i = 0; i < ft->nsections; i++) {
			const app_section *sec = &ft->sections[i];
			if (strcmp(sec->page, page) != 0)
				continue;
			json_t *data = sec->build(q, id);
			if (!data)
				continue;
			json_object_set_new(model, sec->key, data);
			if (sec->tpl)
				json_array_append_new(list, json_pack("{s:s}", "tpl", sec->tpl));
		}
	}
	if (q->want_json)
		json_decref(list);
	else
		json_object_set_new(model, "sections", list);
}

/* ---- page cache ----
 * What an anonymous visitor gets from a public page (R_CACHE) depends only
 * on the address, the language and the data. It is kept until the next
 * state change (any POST bumps the generation), so the busiest pages skip
 * the store and the template. Each node has its own cache; a POST on one
 * node tells the others through the store's notifications (channel
 * openplan_cache), and each bumps its generation when it hears it, or
 * hears that it may have missed some. */
#include <pthread.h>
enum { CACHE_SLOTS = 256 };
typedef struct cache_entry {
	char    *key;
	uint64_t gen;
	char    *body;
	size_t   len;
	bool     json;
} cache_entry;
static cache_entry     page_cache[CACHE_SLOTS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint_fast64_t data_gen = 1;

static unsigned cache_slot(const char *key)
{
	unsigned h = 2166136261u;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h % CACHE_SLOTS;
}

static bool cache_get(app_req *q, const char *key)
{
	bool hit = false;
	unsigned i = cache_slot(key);
	pthread_mutex_lock(&cache_lock);
	cache_entry *e = &page_cache[i];
	if (e->key && e->gen == atomic_load(&data_gen) && !strcmp(e->key, key)) {
		sb_append(&q->s->body, e->body, e->len);
		q->s->status = 200;
		q->s->content_type = e->json ? "application/json" : "text/html; charset=utf-8";
		hit = !sb_failed(&q->s->body);
	}
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

static void cache_put(app_req *q, const char *key, uint64_t gen)
{
	char *k = strdup(key);
	char *b = malloc(q->s->body.len + 1);
	if (!k || !b) {
		free(k);
		free(b);
		return;
	}
	memcpy(b, sb_str(&q->s->body), q->s->body.len + 1);
	unsigned i = cache_slot(key);
	pthread_mutex_lock(&cache_lock);
	cache_entry *e = &page_cache[i];
	free(e->key);
	free(e->body);
	*e = (cache_entry){ k, gen, b, q->s->body.len, q->want_json };
	pthread_mutex_unlock(&cache_lock);
}

uint64_t app_data_gen(void)
{
	return atomic_load(&data_gen);
}

/* The store's notification: another node changed data. */
static void cache_heard(const char *payload, bool local, void *ctx)
{
	(void)payload;
	(void)ctx;
	if (!local)
		atomic_fetch_add(&data_gen, 1);
}

static void cache_free(void)
{
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(page_cache[i].key);
		free(page_cache[i].body);
		page_cache[i] = (cache_entry){ 0 };
	}
	pthread_mutex_unlock(&cache_lock);
}

/* ---- pipeline ---- */

static bool kv_utf8(const http_kvlist *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (!text_utf8_valid(l->items[i].key, strlen(l->items[i].key)) ||
		    (!l->items[i].file && !text_utf8_valid(l->items[i].value, l->items[i].value_len)))
			return false;
	return true;
}

/* File parts of a multipart form (their bytes skip the UTF-8 check) only
 * where the route's form takes a file (F_FILE). */
static bool files_declared(const http_req *r, const form_def *def)
{
	for (size_t i = 0; i < r->form.len; i++) {
		if (!r->form.items[i].file)
			continue;
		bool ok = false;
		for (size_t k = 0; def && k < def->nfields && !ok; k++)
			ok = def->fields[k].type == F_FILE && !strcmp(def->fields[k].name, r->form.items[i].key);
		if (!ok)
			return false;
	}
	return true;
}

/* Path parameters named id or ending in "id" are positive integers. */
static bool ids_valid(http_req *r)
{
	for (int i = 0; i < r->nparams; i++) {
		const char *n = r->param_names[i];
		size_t len = strlen(n);
		long long v;
		if (len >= 2 && !strcmp(n + len - 2, "id") &&
		    !text_parse_int(r->params[i], 1, INT64_MAX, &v))
			return false;
	}
	return true;
}

static bool accepts_json(const http_req *r)
{
	const char *acc = http_header(r, "Accept");
	if (!acc)
		return false;
	const char *j = strstr(acc, "application/json");
	const char *h = strstr(acc, "text/html");
	return j && (!h || j < h);
}

static void load_session(app_req *q)
{
	const char *tok = http_cookie(q->r, "op_session");
	if (!tok || strlen(tok) < 32 || strlen(tok) > 64)
		return;
	char *hash = auth_token_hash(q->a, tok);
	if (!hash)
		return;
	if (store_session_user(q->app->db, q->a, hash, (int64_t)time(NULL), &q->me_store) == STORE_OK) {
		q->me = &q->me_store;
		q->session_hash = hash;
	}
}


/* Puts the signed-in person's part of the header (head_me.html) where the
 * role's cached page has its marker. Escaped page content can never hold
 * the marker itself, and the header comes first, so the first one is it. */
static void fill_personal(app_req *q)
{
	static const char mark[] = "<!--op:me-->";
	sb *body = &q->s->body;
	const char *at = body->data && q->s->status == 200 ? strstr(body->data, mark) : NULL;
	if (!at)
		return;
	json_t *c = chrome(q, NULL);
	json_object_del(c, "personal_slot");
	sb part, out;
	sb_init(&part);
	sb_init(&out);
	size_t before = (size_t)(at - body->data);
	if (tpl_render(q->app->tpl, "head_me", c, q->lang, &part) == 0) {
		sb_append(&out, body->data, before);
		sb_append(&out, part.data ? part.data : "", part.len);
		sb_append(&out, at + sizeof mark - 1, body->len - before - (sizeof mark - 1));
	}
	json_decref(c);
	sb_free(&part);
	if (out.len && !sb_failed(&out)) {
		sb_free(body);
		*body = out;
	} else {
		sb_free(&out);
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
	}
}

static void serve_css(app_req *q)
{
	q->s->status = 200;
	q->s->content_type = "text/css; charset=utf-8";
	q->s->static_body = q->app->css;
	q->s->static_len = q->app->css_len;
	http_resp_header(q->r, q->s, "Cache-Control", "public, max-age=31536000, immutable");
}

static void dispatch(http_req *r, http_resp *s, app *ap);

/* The request ran out of memory somewhere (its budget, or the fault hook):
 * whatever the handler made of it may be incomplete, so the answer is the
 * "busy, try again" page made at start — no allocation needed. A change
 * that was saved and redirected (303) keeps its redirect; streams that
 * already started keep going. */
static void answer_busy(http_req *r, http_resp *s, app *ap)
{
	if (s->stream_obj || s->body_obj || (r->method == HTTP_POST && s->status == 303))
		return;
	const char *lang = http_cookie(r, "op_lang");
	bool json = strncmp(r->path, "/api/", 5) == 0 ||
	            (http_header(r, "Accept") && strstr(http_header(r, "Accept"), "application/json"));
	sb_free(&s->body);
	s->headers.len = 0;
	s->status = 503;
	s->content_type = json ? "application/json" : "text/html; charset=utf-8";
	s->static_body = json ? ap->busy_json : ap->busy_html[lang && !strcmp(lang, "en")];
	s->static_len = s->static_body ? strlen(s->static_body) : 0;
	if (!s->static_body)
		s->content_type = "text/plain; charset=utf-8";
}

/* Makes the busy pages (see answer_busy). */
static int busy_build(app *ap)
{
	static const char *const langs[] = { "nl", "en" };
	for (int i = 0; i < 2; i++) {
		const char *l = langs[i];
		sb b;
		sb_init(&b);
		sb_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		              "<title>", l);
		sb_html(&b, i18n_get(l, "Something went wrong"));
		sb_printf(&b, " · openplan</title>\n<link rel=\"stylesheet\" href=\"%s\">\n</head>\n"
		              "<body class=\"rhc-theme utrecht-document utrecht-document--surface\">\n"
		              "<main id=\"main\" class=\"op-main op-wrap\">\n"
		              "<h1 class=\"nl-heading nl-heading--level-1\">", ap->css_path);
		sb_html(&b, i18n_get(l, "Something went wrong"));
		sb_puts(&b, "</h1>\n<p class=\"nl-paragraph\">");
		sb_html(&b, i18n_get(l, "The server is too busy right now. Please try again in a minute."));
		sb_puts(&b, "</p>\n<p class=\"nl-paragraph\"><a class=\"nl-link\" href=\"/\">");
		sb_html(&b, i18n_get(l, "Action plan"));
		sb_puts(&b, "</a></p>\n</main>\n</body>\n</html>\n");
		if (sb_failed(&b)) {
			sb_free(&b);
			return -1;
		}
		ap->busy_html[i] = sb_take(&b);
	}
	sb j;
	sb_init(&j);
	sb_puts(&j, "{\"error\":{\"status\":503,\"message\":\"The server is too busy right now. "
	            "Please try again in a minute.\"}}");
	ap->busy_json = sb_failed(&j) ? NULL : sb_take(&j);
	return ap->busy_json ? 0 : -1;
}

/* 503 while the database cannot be reached (the store reconnects by
 * itself when it is back). */
static void unavailable(app_req *q)
{
	q->s->body.len = 0;
	q->s->body.failed = false;
	q->s->static_body = NULL;
	app_error(q, 503, "The database cannot be reached right now. Nothing was lost; please try again in a minute.");
	http_resp_header(q->r, q->s, "Retry-After", "10");
	http_resp_header(q->r, q->s, "Cache-Control", "no-store");
}

void app_dispatch(http_req *r, http_resp *s, void *ctx)
{
	/* The request's JSON (view models, API answers) lives in its arena. */
	arena *before = app_memory_use(r->a);
	/* A page reads from one snapshot: consistent, and one lock instead of
	 * one per query. A write inside it ends the snapshot (see store.h). */
	app *ap = ctx;
	bool reading = (r->method & (HTTP_GET | HTTP_HEAD)) && ap->db;
	if (reading)
		store_read_begin(ap->db);
	dispatch(r, s, ap);
	if (reading)
		store_read_end(ap->db);
	/* A request that failed because the database went away says so. */
	app_req *q = r->app;
	if (q && s->status >= 500 && s->status != 503 && ap->db && store_unavailable(ap->db))
		unavailable(q);
	app_memory_use(before);
	if (r->a->nfailed > 0)
		answer_busy(r, s, ap);
}

static void dispatch(http_req *r, http_resp *s, app *ap)
{
	app_req *q = arena_calloc(r->a, 1, sizeof *q);
	if (!q) {
		s->status = 500;
		return;
	}
	r->app = q;
	q->app = ap;
	q->r = r;
	q->s = s;
	q->a = r->a;
	const char *lang = http_cookie(r, "op_lang");
	q->lang = i18n_lang_valid(lang) ? lang : "nl";
	q->want_json = accepts_json(r) || strncmp(r->path, "/api/", 5) == 0;

	if (r->route == -413) {
		r->route = R_NONE;
		app_error(q, 413, "What you sent is larger than this site accepts. Make it shorter, or send it in parts.");
		return;
	}
	if (r->route == -400) {
		r->route = R_NONE;
		app_error(q, 400, "Your browser sent something this site cannot read. Try again from the form.");
		return;
	}
	r->route = R_NONE;
	if (!text_utf8_valid(r->path, strlen(r->path)) || !kv_utf8(&r->query) ||
	    !kv_utf8(&r->form) || !kv_utf8(&r->cookies)) {
		app_error(q, 400, "What you sent contains characters that are not valid text (UTF-8). Check what you typed or pasted and try again.");
		return;
	}
	if (strcmp(r->path, ap->css_path) == 0 && (r->method & (HTTP_GET | HTTP_HEAD))) {
		r->route = R_STATIC;
		serve_css(q);
		return;
	}
	for (size_t i = 0; i < ap->nscripts; i++)
		if (strcmp(r->path, ap->scripts[i].url) == 0 && (r->method & (HTTP_GET | HTTP_HEAD))) {
			r->route = R_STATIC;
			s->status = 200;
			s->content_type = "text/javascript; charset=utf-8";
			s->static_body = ap->scripts[i].data;
			s->static_len = ap->scripts[i].len;
			http_resp_header(r, s, "Cache-Control", "public, max-age=31536000, immutable");
			return;
		}

	if (ap->db && store_unavailable(ap->db)) {
		unavailable(q);
		return;
	}
	/* The cache generation before the first read: a write that lands
	 * after it makes what this request caches stale, never the reverse. */
	uint64_t gen = atomic_load(&data_gen);
	int allowed = 0;
	int ri = http_route_match(ap->patterns, ap->nroutes, r, &allowed);
	load_session(q);
	if (ri == -1) {
		app_error(q, 404, "This page does not exist (any more). Check the address or start at the home page.");
		return;
	}
	if (ri == -2) {
		char allow[64] = "";
		if (allowed & HTTP_GET)
			strcat(allow, "GET, HEAD");
		if (allowed & HTTP_POST)
			strcat(allow, allow[0] ? ", POST" : "POST");
		http_resp_header(r, s, "Allow", allow);
		app_error(q, 405, "This address does not take this kind of request.");
		return;
	}
	r->route = ri;
	const app_route *rt = ap->routes[ri].route;
	if (!ids_valid(r)) {
		app_error(q, 404, "This page does not exist (any more). Check the address or start at the home page.");
		return;
	}
	if (rt->flags & R_API)
		q->want_json = true;
	if (!files_declared(r, rt->form)) {
		app_error(q, 400, "This form does not take files. Try again from the form.");
		return;
	}
	auth_csrf_ensure(q);
	if (!rt->public && !q->me) {
		if (q->want_json || r->method == HTTP_POST) {
			app_error(q, 401, "Sign in first to do this.");
		} else {
			sb loc;
			sb_init(&loc);
			sb_puts(&loc, "/signin?next=");
			sb_urlenc(&loc, r->path);
			app_redirect(q, sb_str(&loc), NULL);
			sb_free(&loc);
		}
		return;
	}
	if (!rt->public && q->me->role < rt->min_role) {
		app_error(q, 403, "Your account may not do this. Ask an organiser if you think it should.");
		return;
	}
	if ((rt->flags & R_CSRF) && r->method == HTTP_POST && !auth_csrf_check(q)) {
		app_error(q, 403, "This form has expired or did not come from this site. Go back, reload the page and try again. Nothing was saved.");
		return;
	}
	/* A public page without a query or a flash message is the same for
	 * everyone of a role: anonymous visitors, participants, organisers,
	 * admins. Signed-in visitors get the cached page with the personal
	 * part of the header (name, unread count, sign-out form) filled in. */
	char *ckey = NULL;
	if ((rt->flags & R_CACHE) && r->method != HTTP_POST && r->query.len == 0 &&
	    !http_cookie(r, "op_flash")) {
		/* The day is part of the key: pages say what is open today. */
		time_t now = time(NULL);
		ckey = arena_printf(q->a, "%s|%s|%d|%lld|%s", r->path, q->lang, q->want_json,
		                    (long long)(now / 86400), q->me ? role_name(q->me->role) : "-");
		q->personal_slot = q->me && !q->want_json;
	}
	if (rt->form && r->method == HTTP_POST) {
		/* The declared form is checked before the handler; a failed one
		 * goes back to its page. */
		if (rt->form->before && !rt->form->before(q))
			goto done;
		int bad = form_validate(q, rt->form);
		if (bad < 0) {
			app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
			goto done;
		}
		if (bad > 0) {
			form_reshow(q);
			goto done;
		}
	}
	if (!(ckey && cache_get(q, ckey))) {
		rt->handler(q);
		if (ckey && q->s->status == 200 && !sb_failed(&q->s->body))
			cache_put(q, ckey, gen);
	}
	if (q->personal_slot)
		fill_personal(q);
done:
	if (r->method == HTTP_POST && !(rt->flags & R_KEEPCACHE)) {
		atomic_fetch_add(&data_gen, 1);
		store_notify(ap->db, "openplan_cache", "");
	}
	if (q->want_json || s->content_type == NULL || strncmp(s->content_type, "text/html", 9) == 0)
		http_resp_header_lit(r, s, "Cache-Control", "no-store");
	http_resp_header_lit(r, s, "Vary", "Accept, Cookie");
	if (ap->cfg.https)
		http_resp_header_lit(r, s, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

void app_done(http_req *r, http_resp *s, size_t bytes, void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	double secs = (double)(now - r->started_ns) / 1e9;
	int route = r->route >= 0 && r->route < R_ALL ? r->route : R_NONE;
	int si = NSTATUS;
	for (int i = 0; i < NSTATUS; i++)
		if (status_codes[i] == s->status)
			si = i;
	atomic_fetch_add(&m_requests[route][si], 1);
	int b = NBUCKETS;
	for (int i = 0; i < NBUCKETS; i++)
		if (secs <= buckets[i]) {
			b = i;
			break;
		}
	atomic_fetch_add(&m_latency[b], 1);
	atomic_fetch_add(&m_latency_sum_us, (uint64_t)(secs * 1e6));
	if (getenv("OPENPLAN_QUIET"))
		return;
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char when[32];
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* The path is printed escaped: it comes from the network. */
	char path[256];
	size_t j = 0;
	for (const char *p = r->path; *p && j < sizeof path - 5; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 33 || c == '"' || c == '\\' || c >= 127)
			j += (size_t)snprintf(path + j, sizeof path - j, "%%%02X", c);
		else
			path[j++] = (char)c;
	}
	path[j] = '\0';
	fprintf(stderr, "time=%s method=%s path=\"%s\" status=%d bytes=%zu duration_ms=%.3f\n", when,
	        r->method_name ? r->method_name : "?", path, s->status, bytes, secs * 1000);
}

void app_metrics(app_req *q)
{
	sb *o = &q->s->body;
	sb_puts(o, "# HELP openplan_requests_total HTTP requests by route and status.\n"
	           "# TYPE openplan_requests_total counter\n");
	for (int rt = 0; rt < R_ALL; rt++) {
		const char *name = rt == R_STATIC ? "static" : rt == R_NONE ? "none"
		                 : (size_t)rt < q->app->nroutes ? q->app->routes[rt].route->pattern : NULL;
		if (!name)
			continue;
		for (int si = 0; si <= NSTATUS; si++) {
			uint64_t v = atomic_load(&m_requests[rt][si]);
			if (!v)
				continue;
			if (si < NSTATUS)
				sb_printf(o, "openplan_requests_total{route=\"%s\",status=\"%d\"} %llu\n", name,
				          status_codes[si], (unsigned long long)v);
			else
				sb_printf(o, "openplan_requests_total{route=\"%s\",status=\"other\"} %llu\n", name,
				          (unsigned long long)v);
		}
	}
	sb_puts(o, "# HELP openplan_request_duration_seconds Time to answer a request.\n"
	           "# TYPE openplan_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (int i = 0; i <= NBUCKETS; i++) {
		cum += atomic_load(&m_latency[i]);
		if (i < NBUCKETS)
			sb_printf(o, "openplan_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[i],
			          (unsigned long long)cum);
		else
			sb_printf(o, "openplan_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
			          (unsigned long long)cum);
	}
	sb_printf(o, "openplan_request_duration_seconds_sum %.6f\n",
	          (double)atomic_load(&m_latency_sum_us) / 1e6);
	sb_printf(o, "openplan_request_duration_seconds_count %llu\n", (unsigned long long)cum);
	sb_printf(o, "# HELP openplan_db_errors_total Database errors.\n"
	             "# TYPE openplan_db_errors_total counter\nopenplan_db_errors_total %llu\n",
	          (unsigned long long)store_error_count());
	q->s->status = 200;
	q->s->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

/* The key CSRF tokens are signed with lives in the database, so every
 * node (and the same node after a restart) accepts the forms it served. */
static int csrf_key_load(app *ap, char *err, size_t errlen)
{
	arena a;
	arena_init(&a, 0);
	const char *hex = NULL;
	unsigned char key[32];
	size_t len = 0;
	store_rc rc = store_meta_get(ap->db, &a, "csrf_key", &hex);
	if (rc == STORE_OK && sodium_hex2bin(key, sizeof key, hex, strlen(hex), NULL, &len, NULL) == 0 &&
	    len == sizeof key) {
		auth_csrf_key_set(key, sizeof key);
		arena_free(&a);
		return 0;
	}
	char fresh[65];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(fresh, sizeof fresh, key, sizeof key);
	rc = store_meta_add(ap->db, "csrf_key", fresh);
	/* Another node may have written one first: use whatever is stored. */
	if (rc == STORE_OK && store_meta_get(ap->db, &a, "csrf_key", &hex) == STORE_OK &&
	    sodium_hex2bin(key, sizeof key, hex, strlen(hex), NULL, &len, NULL) == 0 && len == sizeof key) {
		auth_csrf_key_set(key, sizeof key);
		arena_free(&a);
		return 0;
	}
	arena_free(&a);
	snprintf(err, errlen, "cannot keep the form-signing key in the database");
	return -1;
}

/* Flattens the features' routes into one table, in list order. */
static int routes_build(app *ap, char *err, size_t errlen)
{
	size_t n = 0;
	for (size_t f = 0; f < ap->nfeatures; f++)
		n += ap->features[f]->nroutes;
	if (n > MAX_ROUTES) {
		snprintf(err, errlen, "too many routes (%zu) for the metrics table", n);
		return -1;
	}
	ap->routes = calloc(n ? n : 1, sizeof *ap->routes);
	ap->patterns = calloc(n ? n : 1, sizeof *ap->patterns);
	if (!ap->routes || !ap->patterns) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t f = 0; f < ap->nfeatures; f++)
		for (size_t i = 0; i < ap->features[f]->nroutes; i++) {
			const app_route *rt = &ap->features[f]->routes[i];
			ap->routes[ap->nroutes] = (app_route_ref){ rt, ap->features[f] };
			ap->patterns[ap->nroutes] = (http_route_pattern){ rt->methods, rt->pattern };
			ap->nroutes++;
		}
	return 0;
}

int app_init(app *ap, const app_config *cfg, const app_feature *const *features,
             size_t nfeatures, char *err, size_t errlen)
{
	memset(ap, 0, sizeof *ap);
	ap->cfg = *cfg;
	ap->features = features;
	ap->nfeatures = nfeatures;
	if (routes_build(ap, err, errlen) != 0) {
		app_free(ap);
		return -1;
	}
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium could not start");
		return -1;
	}
	/* Password hashing (64 MiB each) in a small pool: never every worker. */
	auth_hash_setup(cfg->threads, 2000);
	if (i18n_load(err, errlen) != 0)
		return -1;
	if (tpl_load(&ap->tpl, err, errlen) != 0) {
		i18n_free();
		return -1;
	}
	const embed_file *css = embed_find("static/app.css");
	if (!css) {
		snprintf(err, errlen, "the stylesheet is not built in");
		app_free(ap);
		return -1;
	}
	ap->css = css->data;
	ap->css_len = css->len;
	unsigned char h[8];
	crypto_generichash(h, sizeof h, css->data, css->len, NULL, 0);
	char hex[17];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(ap->css_path, sizeof ap->css_path, "/static/app-%s.css", hex);
	/* Scripts: web/static/NAME.js and features/F/static/NAME.js. */
	for (size_t i = 0; i < embed_count && ap->nscripts < sizeof ap->scripts / sizeof *ap->scripts; i++) {
		const embed_file *f = &embed_files[i];
		const char *dir = strstr(f->name, "/static/");
		size_t nl = strlen(f->name);
		if (!dir || nl < 4 || strcmp(f->name + nl - 3, ".js") ||
		    (strncmp(f->name, "web/", 4) && strncmp(f->name, "features/", 9)))
			continue;
		const char *base = dir + 8;
		int bl = (int)(nl - (size_t)(base - f->name) - 3);
		if (strchr(base, '/') || bl <= 0)
			continue;
		app_script *sc = &ap->scripts[ap->nscripts++];
		crypto_generichash(h, sizeof h, f->data, f->len, NULL, 0);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		snprintf(sc->name, sizeof sc->name, "%.*s", bl, base);
		snprintf(sc->url, sizeof sc->url, "/static/%.*s-%s.js", bl, base, hex);
		sc->data = f->data;
		sc->len = f->len;
	}
	if (busy_build(ap) != 0) {
		snprintf(err, errlen, "out of memory");
		app_free(ap);
		return -1;
	}
	if (app_openapi_build(ap, err, errlen) != 0) {
		app_free(ap);
		return -1;
	}
	if (store_open(cfg->db_path, &ap->db, err, errlen) != STORE_OK) {
		app_free(ap);
		return -1;
	}
	if (csrf_key_load(ap, err, errlen) != 0) {
		app_free(ap);
		return -1;
	}
	if (store_listen(ap->db, "openplan_cache", cache_heard, NULL) != STORE_OK) {
		snprintf(err, errlen, "cannot listen for other nodes' changes");
		app_free(ap);
		return -1;
	}
	return 0;
}

void app_metrics_dispatch(http_req *r, http_resp *s, void *ctx)
{
	if (strcmp(r->path, "/metrics") != 0 || !(r->method & (HTTP_GET | HTTP_HEAD))) {
		s->status = 404;
		s->content_type = "text/plain; charset=utf-8";
		sb_puts(&s->body, "not found\n");
		return;
	}
	app_req q = { .app = ctx, .r = r, .s = s, .a = r->a, .lang = "en" };
	app_metrics(&q);
}

int app_start(app *ap, char *err, size_t errlen)
{
	for (; ap->started < ap->nfeatures; ap->started++) {
		const app_feature *f = ap->features[ap->started];
		if (f->start && f->start(ap, err, errlen) != 0)
			return -1;
	}
	return 0;
}

void app_free(app *ap)
{
	/* Background work uses the store: stop it first, newest first. */
	while (ap->started > 0) {
		const app_feature *f = ap->features[--ap->started];
		if (f->stop)
			f->stop(ap);
	}
	free(ap->routes);
	free(ap->patterns);
	ap->routes = NULL;
	ap->patterns = NULL;
	ap->nroutes = 0;
	if (ap->db)
		store_unlisten(ap->db, "openplan_cache", cache_heard, NULL);
	store_close(ap->db);
	ap->db = NULL;
	app_json_free(ap->openapi);
	ap->openapi = NULL;
	for (int i = 0; i < 2; i++) {
		free(ap->busy_html[i]);
		ap->busy_html[i] = NULL;
	}
	free(ap->busy_json);
	ap->busy_json = NULL;
	tpl_free(ap->tpl);
	ap->tpl = NULL;
	i18n_free();
	ratelimit_free();
	cache_free();
}
