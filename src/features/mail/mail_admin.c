/* mail_admin.c — the administrator's view of the outbox: counts, the
 * messages newest first (filter by status, pages of 50), one message as it
 * is (or will be) sent — without a mail server this is where mail is read
 * — and two actions: try every waiting message again now, and queue the
 * daily or weekly digests now (after the server was down at digest time).
 */
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "../news/news.h"
#include "mail.h"

enum { PAGE = 50 };

static const char *const periods[] = { "daily", "weekly", NULL };
static const char *const period_labels[] = { "Daily digest", "Weekly digest", NULL };
static const form_field digest_fields[] = {
	{ "period", F_CHOICE, true, 10, periods, .label = "Digest", .choice_labels = period_labels },
};
const form_def mail_digest_form = FORM_DEF("digest", digest_fields, NULL, mail_admin_outbox);

static const char *when(app_req *q, int64_t t)
{
	if (!t)
		return "";
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
	return arena_strdup(q->a, buf);
}

static json_t *row_data(const mail_row *r)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:I,s:I}", "id", (json_int_t)r->id,
	                 "kind", r->kind, "to", r->to_addr, "subject", r->subject, "status",
	                 r->status, "attempts", (json_int_t)r->attempts, "next_at",
	                 (json_int_t)r->next_at, "last_error", r->last_error, "created_at",
	                 (json_int_t)r->created_at, "done_at", (json_int_t)r->done_at);
}

static const char *const statuses[] = { "queued", "sent", "failed", NULL };
static const char *const status_labels[] = { "Waiting", "Sent", "Failed", NULL };

void mail_admin_outbox(app_req *q)
{
	const char *st = http_query(q->r, "status");
	bool known = false;
	for (int i = 0; st && statuses[i]; i++)
		known |= !strcmp(st, statuses[i]);
	if (!known)
		st = "";
	int64_t before = 0;
	long long v;
	const char *b = http_query(q->r, "before");
	if (b && text_parse_int(b, 1, INT64_MAX, &v))
		before = (int64_t)v;
	mail_row *rows;
	size_t n;
	int64_t cq, cs, cf;
	store_rc rc = mail_store_list(q->app->db, q->a, st, before, PAGE, &rows, &n);
	if (rc == STORE_OK)
		rc = mail_store_counts(q->app->db, &cq, &cs, &cf);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = row_data(&rows[i]);
		if (!q->want_json) {
			for (int k = 0; statuses[k]; k++)
				if (!strcmp(rows[i].status, statuses[k]))
					json_object_set_new(o, "status_label", json_string(app_t(q, status_labels[k])));
			json_object_set_new(o, "when", json_string(when(q, rows[i].done_at ? rows[i].done_at
			                                                                    : rows[i].created_at)));
			if (!strcmp(rows[i].status, "queued") && rows[i].attempts)
				json_object_set_new(o, "next", json_string(when(q, rows[i].next_at)));
		}
		json_array_append_new(list, o);
	}
	json_t *m = json_pack("{s:{s:I,s:I,s:I},s:b,s:o}", "counts", "queued", (json_int_t)cq, "sent",
	                      (json_int_t)cs, "failed", (json_int_t)cf, "smtp",
	                      mail_smtp_configured(), "messages", list);
	if (n == PAGE)
		json_object_set_new(m, "older", json_integer((json_int_t)rows[n - 1].id));
	if (!q->want_json) {
		json_object_set_new(m, "title", json_string(app_t(q, "Outbox")));
		json_object_set_new(m, "status", json_string(st));
		json_t *filters = json_array();
		json_array_append_new(filters, json_pack("{s:s,s:s,s:b}", "code", "", "label",
		                                         app_t(q, "All"), "current", !*st));
		for (int k = 0; statuses[k]; k++)
			json_array_append_new(filters, json_pack("{s:s,s:s,s:b}", "code", statuses[k], "label",
			                                         app_t(q, status_labels[k]), "current",
			                                         !strcmp(st, statuses[k])));
		json_object_set_new(m, "filters", filters);
		json_object_set_new(m, "digest_form", form_view(q, &mail_digest_form, "dg", NULL, true));
	}
	app_page(q, form_failed(q) ? 422 : 200, "mail_outbox", m);
}

/* GET /admin/outbox/{id}: the message as it is sent. A message built when
 * it is sent is built here the same way (its Message-ID too). */
void mail_admin_message(app_req *q)
{
	mail_row r;
	store_rc rc = mail_store_get(q->app->db, q->a, app_param_id(q, "id"), &r);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	sb built;
	sb_init(&built);
	const char *raw = r.message;
	if (!raw && !strcmp(r.status, "queued")) {
		int b = !strcmp(r.kind, "notify.event")    ? mail_build_event(q->app, q->app->db, q->a, &r, &built)
		      : !strcmp(r.kind, "notify.digest")   ? mail_build_digest(q->app, q->app->db, q->a, &r, &built)
		      : !strcmp(r.kind, "news.issue")      ? news_build_delivery(q->app, q->app->db, q->a, &r, &built)
		                                           : -1;
		raw = b == 0 ? arena_strdup(q->a, sb_str(&built)) : NULL;
	}
	sb_free(&built);
	json_t *d = row_data(&r);
	json_object_set_new(d, "raw", raw ? json_string(raw) : json_null());
	if (raw) {
		sb t;
		sb_init(&t);
		mail_text_part(&t, raw);
		json_object_set_new(d, "text", json_string(sb_str(&t)));
		sb_free(&t);
	}
	json_t *m = json_pack("{s:o}", "message", d);
	if (!q->want_json) {
		json_object_set_new(m, "title", json_string(app_t(q, "Message in the outbox")));
		json_object_set_new(m, "created", json_string(when(q, r.created_at)));
	}
	app_page(q, 200, "mail_message", m);
}

void mail_admin_retry(app_req *q)
{
	store_rc rc = mail_store_retry_now(q->app->db, (int64_t)time(NULL));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	mail_kick();
	app_redirect(q, "/admin/outbox", "outbox_retry");
}

void mail_admin_digest(app_req *q)
{
	int64_t n = 0;
	store_rc rc = mail_digest_queue(q->app->db, form_text(q, "period"), (int64_t)time(NULL), &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	mail_kick();
	app_redirect(q, "/admin/outbox", "digest_queued");
}
