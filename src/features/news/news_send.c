/* news_send.c — building one newsletter message for one subscriber: the
 * issue's Markdown as HTML and as plain text, the frame in the
 * subscriber's language, and a one-click unsubscribe link signed with the
 * site's secret (List-Unsubscribe and List-Unsubscribe-Post, RFC 8058).
 * Built when sent, from the rows, so memory does not grow with the number
 * of subscribers.
 */
#include <stdio.h>
#include <string.h>

#include "news.h"

const char *news_unsubscribe_url(arena *a, const char *base, int64_t subscriber_id)
{
	char what[64], mac[33];
	snprintf(what, sizeof what, "news-unsubscribe:%lld", (long long)subscriber_id);
	mail_mac(what, mac);
	return arena_printf(a, "%s/news/unsubscribe?s=%lld&m=%s", base, (long long)subscriber_id, mac);
}

/* The issue's parts: its Markdown rendered (HTML), and the Markdown as the
 * text part. Shared with the test message and the preview. */
json_t *news_issue_model(const news_issue *is, const char *base)
{
	sb html;
	sb_init(&html);
	if (web_markdown(&html, is->body) != 0) {
		sb_free(&html);
		return NULL;
	}
	json_t *m = json_pack("{s:s,s:s,s:s,s:s}", "subject", is->subject, "body_html", sb_str(&html),
	                      "body_text", is->body, "archive",
	                      "");
	sb_free(&html);
	if (m)
		json_object_set_new(m, "archive", json_sprintf("%s/news/%lld", base, (long long)is->id));
	return m;
}

int news_build_delivery(const app *ap, store *s, arena *a, const mail_row *r, sb *out)
{
	news_issue is;
	news_subscriber u;
	store_rc rc = news_store_issue_get(s, a, r->issue_id, &is);
	if (rc == STORE_OK)
		rc = news_store_subscriber(s, a, r->subscriber_id, &u);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && strcmp(u.status, "active")))
		return 1;
	if (rc != STORE_OK)
		return -1;
	const char *base = mail_base_url(ap);
	const char *lang = i18n_lang_valid(u.lang) ? u.lang : "nl";
	const char *unsub = news_unsubscribe_url(a, base, u.id);
	json_t *m = news_issue_model(&is, base);
	if (!m || !unsub) {
		json_decref(m);
		return -1;
	}
	json_object_set_new(m, "unsubscribe", json_string(unsub));
	json_object_set_new(m, "lang", json_string(lang));
	json_object_set_new(m, "base", json_string(base));
	json_object_set_new(m, "footer", json_string(i18n_get(lang, "You get this newsletter because you subscribed to it on openplan.")));
	sb text, html;
	sb_init(&text);
	sb_init(&html);
	char mid[300], list[260];
	mail_row_message_id(r->id, mid, sizeof mid);
	snprintf(list, sizeof list, "<newsletter.%s>", mail_host());
	mail_head h = { .from_addr = mail_from_addr(), .from_name = "openplan", .to_addr = u.email,
		        .subject = is.subject, .message_id = mid, .date = r->created_at,
		        .list_id = list, .unsubscribe = unsub, .bulk = true };
	int ret = mail_render(ap, "news_mail", m, lang, &text, &html) == 0 &&
	          mail_compose(out, &h, sb_str(&text), sb_str(&html)) == 0 ? 0 : -1;
	sb_free(&text);
	sb_free(&html);
	json_decref(m);
	return ret;
}
