/* site.c — the site feature as openplan sees it: its addresses (the
 * language switch, the health check, metrics, the accessibility
 * statement, the admin's settings and the logo), its section on the
 * privacy page (the admin's privacy statement), the messages its
 * redirects say, and the frame hook that puts the site's name, logo,
 * organisation and contact details on every page.
 *
 * The frame's settings are kept per process and compared with the
 * database's version at most every FRAME_CHECK seconds, and at once when
 * data may have changed (the page cache's generation moved: a write here,
 * or one on another node heard through the store), so every page does not
 * cost a query, a change made on another node shows on the next page, and
 * no cached page keeps an old frame.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "site.h"

enum { FRAME_CHECK = 3 };

const char *const site_a11y_statuses[] = { "full", "partial", "first_measures", "no_measures",
	                                   NULL };
const char *const site_a11y_status_labels[] = {
	"A. Fully compliant", "B. Partially compliant", "C. First measures taken",
	"D. First measures not yet taken",
};

/* ---- the frame: settings every page shows ---- */

typedef struct frame {
	int64_t version;
	char   *name, *org, *email, *phone, *address, *url, *logo_url;
} frame;

static pthread_mutex_t frame_lock = PTHREAD_MUTEX_INITIALIZER;
static frame          *frame_cur;     /* NULL until first loaded */
static int64_t         frame_checked; /* monotonic seconds of the last version check */
static uint64_t        frame_gen;     /* app_data_gen() at the last version check */
static atomic_int_fast64_t frame_want; /* a version this node saved: show it at once */

static int64_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

static void frame_free(frame *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->org);
	free(f->email);
	free(f->phone);
	free(f->address);
	free(f->url);
	free(f->logo_url);
	free(f);
}

static frame *frame_load(app_req *q)
{
	site_settings st;
	if (site_store_get(q->app->db, q->a, &st) != STORE_OK)
		return NULL;
	frame *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->version = st.version;
	f->name = strdup(st.site_name);
	f->org = strdup(st.org_name);
	f->email = strdup(st.contact_email);
	f->phone = strdup(st.contact_phone);
	f->address = strdup(st.contact_address);
	f->url = strdup(st.contact_url);
	const char *logo = *st.logo_type ? arena_printf(q->a, "/site/logo/%s%s", st.logo_hash,
	                                                !strcmp(st.logo_type, "image/png") ? ".png"
	                                                                                  : ".svg")
	                                 : "";
	f->logo_url = strdup(logo ? logo : "");
	if (!f->name || !f->org || !f->email || !f->phone || !f->address || !f->url ||
	    !f->logo_url) {
		frame_free(f);
		return NULL;
	}
	return f;
}

void site_frame_want(int64_t version)
{
	int_fast64_t have = atomic_load(&frame_want);
	while (have < version && !atomic_compare_exchange_weak(&frame_want, &have, version))
		;
}

/* Brings the process's copy up to date when it is due. A failed read keeps
 * the copy there is: a page never fails for its frame. */
static void frame_refresh(app_req *q)
{
	int64_t now = mono_now();
	uint64_t gen = app_data_gen(); /* before the read: a later change moves it again */
	pthread_mutex_lock(&frame_lock);
	int64_t have = frame_cur ? frame_cur->version : -1;
	bool due = !frame_cur || have < atomic_load(&frame_want) || now - frame_checked >= FRAME_CHECK ||
	           gen != frame_gen;
	pthread_mutex_unlock(&frame_lock);
	if (!due)
		return;
	int64_t v = 0;
	if (site_store_version(q->app->db, &v) != STORE_OK)
		return;
	frame *fresh = v != have ? frame_load(q) : NULL;
	frame *old = NULL;
	pthread_mutex_lock(&frame_lock);
	frame_checked = now;
	frame_gen = gen;
	/* Two threads may load at once: the newer version wins. */
	if (fresh && (!frame_cur || fresh->version > frame_cur->version)) {
		old = frame_cur;
		frame_cur = fresh;
		fresh = NULL;
	}
	pthread_mutex_unlock(&frame_lock);
	frame_free(old);
	frame_free(fresh);
}

/* "070 123 45 67" → "0701234567"; "+31 70 …" keeps its plus. */
static const char *tel_href(arena *a, const char *phone)
{
	char *out = arena_alloc(a, strlen(phone) + 1);
	if (!out)
		return "";
	size_t n = 0;
	for (const char *p = phone; *p; p++)
		if ((*p >= '0' && *p <= '9') || (*p == '+' && n == 0))
			out[n++] = *p;
	out[n] = '\0';
	return out;
}

/* The address's lines, without empty ones. */
static json_t *lines(const char *text)
{
	json_t *a = json_array();
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\r\n");
		size_t b = 0, e = n;
		while (b < e && (p[b] == ' ' || p[b] == '\t'))
			b++;
		while (e > b && (p[e - 1] == ' ' || p[e - 1] == '\t'))
			e--;
		if (e > b)
			json_array_append_new(a, json_stringn(p + b, e - b));
		p += n;
		while (*p == '\r' || *p == '\n')
			p++;
	}
	return a;
}

/* The frame hook: "site" in every page's model (head.html, foot.html). */
static void site_chrome(app_req *q, json_t *c)
{
	frame_refresh(q);
	json_t *site = NULL;
	pthread_mutex_lock(&frame_lock);
	const frame *f = frame_cur;
	if (f) {
		site = json_pack("{s:s,s:s,s:s}", "name", f->name, "org_name", f->org, "logo_url",
		                 f->logo_url);
		if (*f->email || *f->phone || *f->address || *f->url)
			json_object_set_new(site, "contact",
			                    json_pack("{s:o,s:s,s:s,s:s,s:s}", "address", lines(f->address),
			                              "email", f->email, "phone", f->phone, "phone_href",
			                              tel_href(q->a, f->phone), "url", f->url));
	}
	pthread_mutex_unlock(&frame_lock);
	if (site)
		json_object_set_new(c, "site", site);
}

static void site_stop(app *ap)
{
	(void)ap;
	pthread_mutex_lock(&frame_lock);
	frame *f = frame_cur;
	frame_cur = NULL;
	pthread_mutex_unlock(&frame_lock);
	frame_free(f);
}

/* ---- small site-wide routes ---- */

/* GET /lang/{code}?next=/path — remembers the language in a cookie and goes
 * back. Only local paths are followed, so this is no open redirect. */
static void site_lang(app_req *q)
{
	const char *code = http_param(q->r, "code");
	if (!i18n_lang_valid(code)) {
		app_error(q, 404, "This language is not available.");
		return;
	}
	const char *next = http_query(q->r, "next");
	next = text_local_path(next);
	http_set_cookie(q->r, q->s, "op_lang", code, 365L * 86400, q->app->cfg.https);
	q->want_json = false;
	app_redirect(q, next, NULL);
}

static void site_healthz(app_req *q)
{
	bool ok = store_schema_version(q->app->db) > 0;
	q->s->status = ok ? 200 : 503;
	q->s->content_type = "text/plain; charset=utf-8";
	sb_puts(&q->s->body, ok ? "ok\n" : "database unavailable\n");
}

static void site_metrics(app_req *q)
{
	app_metrics(q);
}

static void site_openapi(app_req *q)
{
	app_openapi(q);
}

/* ---- the feature ---- */

static const app_route routes[] = {
	{ HTTP_GET, "/api/v1/openapi.json", site_openapi, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET, "/lang/{code}", site_lang, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/healthz", site_healthz, ROLE_PARTICIPANT, true, 0 },
	/* for admins; Prometheus scrapes the --metrics-listen address */
	{ HTTP_GET, "/metrics", site_metrics, ROLE_ADMIN, false, 0 },
	/* the accessibility statement every Dutch government site has, linked in
	 * the footer beside the privacy statement (the account feature's
	 * /privacy, which shows the admin's statement: site_privacy_section) */
	{ HTTP_GET, "/accessibility", site_accessibility, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/site/logo/{file}", site_logo_serve, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET | HTTP_POST, "/admin/site", site_admin, ROLE_ADMIN, false, R_CSRF, &site_settings_form },
	{ HTTP_POST, "/admin/site/logo", site_logo_upload, ROLE_ADMIN, false, R_CSRF, &site_logo_form },
	{ HTTP_POST, "/admin/site/logo/delete", site_logo_delete, ROLE_ADMIN, false, R_CSRF },
};

/* The privacy statement the admin wrote, on the privacy page (in front of
 * what each feature says it keeps). */
static const app_section sections[] = {
	{ "privacy", "statement", "site_privacy_section", site_privacy_section },
};

/* What happened, said on the page a change leads to. */
static const app_flash flashes[] = {
	{ "site_saved", "The site's settings are saved: every page shows them now." },
	{ "site_logo", "The logo is saved: it is at the top of every page now." },
	{ "site_logo_removed", "The logo is removed: the top of every page shows the site's name only." },
};

const app_feature site_feature = {
	.name = "site",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.demo = site_demo,
	.stop = site_stop,
	.chrome = site_chrome,
};
