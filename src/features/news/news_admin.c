/* news_admin.c — the organisers' side of the newsletter: the list of
 * issues (drafts, being sent with progress, sent with how many were
 * delivered and failed), writing a new one, editing a draft with a
 * preview, sending a test to oneself and sending to every subscriber.
 * Sending only marks the issue: the mail feature's sender thread does the
 * work, so the request answers at once.
 */
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "news.h"

static const char *body_ok(app_req *q, const char *v)
{
	(void)q;
	for (; *v; v++)
		if (*v != ' ' && *v != '\n' && *v != '\r' && *v != '\t')
			return NULL;
	return "Write the newsletter before you save it.";
}

static const form_field issue_fields[] = {
	{ "subject", F_TEXT, true, 200, .label = "Subject",
	  .help = "The subject line of the e-mail and the title in the archive." },
	{ "body", F_MULTILINE, true, 100000, .label = "Text", .check = body_ok,
	  .help = "In Markdown: a blank line between paragraphs, # for a heading, [text](https://…) for a link." },
};
const form_def news_new_form = FORM_DEF("new", issue_fields, NULL, news_admin_list);
const form_def news_issue_form = FORM_DEF("issue", issue_fields, NULL, news_admin_show);

static const char *when(app_req *q, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	char ymd[16], hm[8];
	strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
	strftime(hm, sizeof hm, "%H:%M", &tm);
	return arena_printf(q->a, "%s %s", app_date(q, ymd), hm);
}

static json_t *progress_data(app_req *q, const news_issue *is)
{
	news_progress p = { 0 };
	if (!strcmp(is->status, "sending") &&
	    news_store_progress(q->app->db, is->id, &p) != STORE_OK)
		return NULL;
	bool sent = !strcmp(is->status, "sent");
	int64_t delivered = sent ? is->delivered : p.sent, failed = sent ? is->failed : p.failed;
	int64_t total = is->recipients;
	int pct = total ? (int)((delivered + failed) * 100 / total) : 0;
	return json_pack("{s:I,s:I,s:I,s:I,s:i,s:b}", "recipients", (json_int_t)total, "delivered",
	                 (json_int_t)delivered, "failed", (json_int_t)failed, "waiting",
	                 (json_int_t)(sent ? 0 : p.queued), "percent", pct, "counting",
	                 !sent && !is->fanout_done);
}

static json_t *issue_json(app_req *q, const news_issue *is)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:I,s:I}", "id", (json_int_t)is->id, "subject",
	                      is->subject, "status", is->status, "updated_at",
	                      (json_int_t)is->updated_at, "sent_at", (json_int_t)is->sent_at);
	json_t *p = strcmp(is->status, "draft") ? progress_data(q, is) : NULL;
	if (p)
		json_object_set_new(o, "progress", p);
	if (!q->want_json) {
		json_object_set_new(o, "when", json_string(when(q, is->sent_at ? is->sent_at : is->updated_at)));
		json_object_set_new(o, is->status, json_true());
	}
	return o;
}

void news_admin_list(app_req *q)
{
	news_issue *is;
	size_t n;
	int64_t subs = 0;
	store_rc rc = news_store_issues(q->app->db, q->a, true, &is, &n);
	if (rc == STORE_OK)
		rc = news_store_active_count(q->app->db, &subs);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, issue_json(q, &is[i]));
	json_t *m = json_pack("{s:o,s:I}", "issues", list, "subscribers", (json_int_t)subs);
	if (!q->want_json) {
		json_object_set_new(m, "title", json_string(app_t(q, "Newsletters")));
		json_object_set_new(m, "form", form_view(q, &news_new_form, "new", NULL, true));
	}
	app_page(q, form_failed(q) ? 422 : 200, "news_admin_list", m);
}

void news_admin_create(app_req *q)
{
	int64_t id = 0;
	store_rc rc = news_store_issue_create(q->app->db, form_text(q, "subject"), form_text(q, "body"),
	                                      q->me->id, &id);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, arena_printf(q->a, "/news/issues/%lld", (long long)id), "news_saved");
}

void news_admin_show(app_req *q)
{
	news_issue is;
	int64_t subs = 0;
	store_rc rc = news_store_issue_get(q->app->db, q->a, app_param_id(q, "id"), &is);
	if (rc == STORE_OK)
		rc = news_store_active_count(q->app->db, &subs);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *m = json_pack("{s:o}", "issue", issue_json(q, &is));
	if (!q->want_json) {
		json_t *prev = news_issue_model(&is, "");
		json_object_set_new(m, "title", json_string(is.subject));
		json_object_set_new(m, "preview", prev ? prev : json_null());
		json_object_set_new(m, "subscribers", json_integer((json_int_t)subs));
		json_object_set_new(m, "my_email", json_string(q->me->email));
		bool draft = !strcmp(is.status, "draft");
		if (draft)
			json_object_set_new(m, "form", form_view(q, &news_issue_form, "is",
			                                         json_pack("{s:s,s:s}", "subject", is.subject,
			                                                   "body", is.body), true));
		if (!strcmp(is.status, "sending"))
			json_object_set_new(m, "refresh", json_integer(3));
	}
	app_page(q, form_failed(q) ? 422 : 200, "news_admin_issue", m);
}

void news_admin_save(app_req *q)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = news_store_issue_update(q->app->db, id, form_text(q, "subject"),
	                                      form_text(q, "body"));
	if (rc == STORE_INVALID) {
		news_issue is;
		rc = news_store_issue_get(q->app->db, q->a, id, &is);
		if (rc == STORE_OK) {
			app_error(q, 409, "This newsletter is already sent and cannot change any more.");
			return;
		}
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, arena_printf(q->a, "/news/issues/%lld", (long long)id), "news_saved");
}

/* A test goes to the organiser alone, built like the real one but
 * without an unsubscribe link (there is no subscription). */
void news_admin_test(app_req *q)
{
	news_issue is;
	int64_t id = app_param_id(q, "id");
	store_rc rc = news_store_issue_get(q->app->db, q->a, id, &is);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *m = news_issue_model(&is, mail_base_url(q->app));
	if (!m) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	json_object_set_new(m, "test", json_true());
	json_object_set_new(m, "footer", json_string(app_t(q, "This is a test. Subscribers get an unsubscribe link here.")));
	const char *subject = arena_printf(q->a, "[%s] %s", app_t(q, "Test"), is.subject);
	mail_out o = { .kind = "news.test", .user_id = q->me->id, .to_addr = q->me->email,
		       .to_name = q->me->name, .lang = q->lang, .subject = subject, .tpl = "news_mail",
		       .model = m };
	rc = subject ? mail_queue(q->app, q->app->db, &o) : STORE_ERROR;
	json_decref(m);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	mail_kick();
	app_redirect(q, arena_printf(q->a, "/news/issues/%lld", (long long)id), "news_test");
}

void news_admin_send(app_req *q)
{
	int64_t id = app_param_id(q, "id");
	news_issue is;
	store_rc rc = news_store_issue_get(q->app->db, q->a, id, &is);
	if (rc == STORE_OK && strcmp(is.status, "draft")) {
		app_error(q, 409, "This newsletter is already being sent or was sent.");
		return;
	}
	if (rc == STORE_OK && body_ok(q, is.body)) {
		app_error(q, 422, "Write the newsletter before you send it.");
		return;
	}
	if (rc == STORE_OK)
		rc = news_store_issue_send(q->app->db, id, (int64_t)time(NULL));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	mail_kick();
	app_redirect(q, arena_printf(q->a, "/news/issues/%lld", (long long)id), "news_sending");
}
