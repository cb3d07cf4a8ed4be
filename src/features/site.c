/* site.c — small site-wide routes: the language switch, the health check
 * and the metrics endpoint; and the date formatting pages share.
 */
#include <string.h>

#include "../util/text.h"
#include "features.h"

const char *feature_date(app_req *q, const char *ymd)
{
	static const char *const nl[] = { "januari", "februari", "maart", "april", "mei", "juni",
		                          "juli", "augustus", "september", "oktober", "november",
		                          "december" };
	static const char *const en[] = { "January", "February", "March", "April", "May", "June",
		                          "July", "August", "September", "October", "November",
		                          "December" };
	int v;
	if (!ymd || !text_parse_date(ymd, &v))
		return "";
	const char *const *months = strcmp(q->lang, "en") == 0 ? en : nl;
	return arena_printf(q->a, "%d %s %d", v % 100, months[(v / 100) % 100 - 1], v / 10000);
}

/* GET /lang/{code}?next=/path — remembers the language in a cookie and goes
 * back. Only local paths are followed, so this is no open redirect. */
void site_lang(app_req *q)
{
	const char *code = http_param(q->r, "code");
	if (!i18n_lang_valid(code)) {
		app_error(q, 404, "This language is not available.");
		return;
	}
	const char *next = http_query(q->r, "next");
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strpbrk(next, "\r\n"))
		next = "/";
	http_set_cookie(q->r, q->s, "op_lang", code, 365L * 86400, q->app->cfg.https);
	q->want_json = false;
	app_redirect(q, next, NULL);
}

void site_healthz(app_req *q)
{
	bool ok = store_schema_version(q->app->db) > 0;
	q->s->status = ok ? 200 : 503;
	q->s->content_type = "text/plain; charset=utf-8";
	sb_puts(&q->s->body, ok ? "ok\n" : "database unavailable\n");
}

void site_metrics(app_req *q)
{
	app_metrics(q);
}
