/* site.c — small site-wide routes: the language switch, the health check
 * and the metrics endpoint; and the date formatting pages share.
 */
#include <string.h>

#include "../../util/text.h"
#include "site.h"

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

/* ---- the feature ---- */

static void site_openapi(app_req *q)
{
	app_openapi(q);
}

static const app_route routes[] = {
	{ HTTP_GET, "/api/v1/openapi.json", site_openapi, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_GET, "/lang/{code}", site_lang, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/healthz", site_healthz, ROLE_PARTICIPANT, true, 0 },
	/* for admins; Prometheus scrapes the --metrics-listen address */
	{ HTTP_GET, "/metrics", site_metrics, ROLE_ADMIN, false, 0 },
};

const app_feature site_feature = {
	.name = "site",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
};
