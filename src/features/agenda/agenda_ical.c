/* agenda_ical.c — the agenda as iCalendar (RFC 5545): one session's .ics
 * file, and subscribable feeds of the whole agenda and of one theme. Each
 * session is a VEVENT whose UID stays the same for its life; its SEQUENCE
 * rises with every change and a cancelled session says STATUS:CANCELLED,
 * so calendar apps update what they have. Times are written in
 * Europe/Amsterdam with its VTIMEZONE. The meeting link is never in a
 * file (feeds are public; the link is for registered people).
 */
#include <string.h>

#include "../../web/ical.h"
#include "agenda.h"

/* The site's address: the configured base URL, else the Host the request
 * came to. */
static const char *base_url(app_req *q)
{
	const char *b = q->app->cfg.base_url;
	if (b && *b)
		return b;
	const char *host = http_header(q->r, "Host");
	return arena_printf(q->a, "%s://%s", q->app->cfg.https ? "https" : "http",
	                    host && *host && !strpbrk(host, " \"<>/") ? host : "localhost");
}

/* The host of the base URL, for UIDs: "openplan.example"; NULL when out
 * of memory. */
static const char *uid_host(app_req *q, const char *b)
{
	const char *h = strstr(b, "://");
	h = h ? h + 3 : b;
	size_t n = strcspn(h, ":/");
	return n ? arena_strndup(q->a, h, n) : "openplan";
}

/* Adds session x; false when the request ran out of memory. */
static bool vevent(app_req *q, sb *out, const agenda_session *x, const char *base,
                   const char *host)
{
	const char *url = arena_printf(q->a, "%s/sessions/%lld", base, (long long)x->id);
	const char *where = !strcmp(x->mode, "online") ? "Online"
	                  : !strcmp(x->mode, "both") ? arena_printf(q->a, "%s (%s)", x->address, "ook online")
	                                             : x->address;
	ical_event e = {
		.uid = arena_printf(q->a, "session-%lld@%s", (long long)x->id, host),
		.dtstamp = x->updated_at,
		.sequence = (int)x->sequence,
		.status = !strcmp(x->status, "cancelled") ? ICAL_CANCELLED : ICAL_CONFIRMED,
		.start = x->starts_at,
		.end = x->ends_at,
		.summary = x->title,
		.description = url ? arena_printf(q->a, "%s%s%s", x->description,
		                                  *x->description ? "\n\n" : "", url) : NULL,
		.location = where,
		.url = url,
	};
	if (!url || !where || !e.uid || !e.description)
		return false;
	ical_event_add(out, &e);
	return !sb_failed(out);
}

/* The calendar of sessions xs (a feed's name: NULL for one session's
 * file), or the busy answer when the request runs out of memory. */
static void feed(app_req *q, const char *name, const agenda_session *xs, size_t n,
                 const char *filename)
{
	const char *base = base_url(q);
	const char *host = base ? uid_host(q, base) : NULL;
	const char *disposition = filename ? arena_printf(q->a, "inline; filename=\"%s\"", filename)
	                                   : NULL;
	sb out;
	sb_init(&out);
	bool ok = host && disposition;
	if (ok)
		ical_begin(&out, "-//openplan//agenda//NL", name);
	for (size_t i = 0; ok && i < n; i++)
		ok = vevent(q, &out, &xs[i], base, host);
	if (ok)
		ical_end(&out);
	if (!ok || sb_failed(&out)) {
		sb_free(&out);
		agenda_busy(q);
		return;
	}
	sb_free(&q->s->body);
	q->s->body = out;
	q->s->status = 200;
	q->s->content_type = "text/calendar; charset=utf-8";
	http_resp_header(q->r, q->s, "Content-Disposition", disposition);
}

void agenda_ics_session(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	if (strcmp(x.status, "published") && strcmp(x.status, "cancelled")) {
		app_error(q, 404, "This session is not in the agenda (yet).");
		return;
	}
	feed(q, NULL, &x, 1, arena_printf(q->a, "session-%lld.ics", (long long)x.id));
}

/* Published and cancelled sessions (a cancelled one must reach the
 * calendars that have it). */
static bool list(app_req *q, int64_t theme_id, agenda_session **xs, size_t *n)
{
	agenda_filter f = { .theme_id = theme_id, .status = "published", .include_cancelled = true };
	store_rc rc = agenda_store_list(q->app->db, q->a, &f, xs, n);
	if (rc != STORE_OK)
		app_store_error(q, rc);
	return rc == STORE_OK;
}

void agenda_ics_all(app_req *q)
{
	agenda_session *xs;
	size_t n;
	if (list(q, 0, &xs, &n))
		feed(q, app_t(q, "Agenda"), xs, n, "agenda.ics");
}

void agenda_ics_theme(app_req *q)
{
	int64_t tid = app_param_id(q, "id");
	plan p;
	const char *name = NULL;
	if (store_plan_main(q->app->db, q->a, &p) == STORE_OK)
		for (size_t i = 0; i < p.nthemes; i++)
			if (p.themes[i].id == tid)
				name = p.themes[i].name;
	if (!name) {
		app_store_error(q, STORE_NOTFOUND);
		return;
	}
	agenda_session *xs;
	size_t n;
	if (!list(q, tid, &xs, &n))
		return;
	const char *title = arena_printf(q->a, "%s: %s", app_t(q, "Agenda"), name);
	if (!title)
		agenda_busy(q);
	else
		feed(q, title, xs, n, arena_printf(q->a, "theme-%lld.ics", (long long)tid));
}
