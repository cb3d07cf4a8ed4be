/* mail_events.c — the e-mails of notification events: one message for an
 * event a person wants at once, and the daily or weekly digest of those
 * they want collected; both built when sent, in the person's language,
 * with a one-click way to stop that kind of mail. Also when a digest is
 * due (local time, the digest hour; the weekly one from Monday).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../notify/notify.h"
#include "mail.h"

enum { DIGEST_MAX = 100 };

/* The text of a notification in lang: its msgid with the subject. */
static const char *note_text(arena *a, const char *lang, const mail_note *n)
{
	const char *fmt = i18n_get(lang, n->msgid);
	const char *pct = strstr(fmt, "%s");
	if (!pct || strchr(pct + 2, '%'))
		return fmt;
	const char *t = arena_printf(a, "%.*s%s%s", (int)(pct - fmt), fmt, n->subject, pct + 2);
	return t ? t : fmt;
}

static const char *abs_url(arena *a, const char *base, const char *path)
{
	if (!path || !*path)
		return base;
	return arena_printf(a, "%s%s", base, path[0] == '/' ? path : "/");
}

static int finish(const app *ap, const char *tpl, json_t *m, const mail_row *r, const char *to,
                  const char *name, const char *lang, const char *subject, const char *unsub,
                  sb *out)
{
	sb text, html;
	sb_init(&text);
	sb_init(&html);
	char mid[300];
	mail_row_message_id(r->id, mid, sizeof mid);
	char list[260];
	snprintf(list, sizeof list, "<notifications.%s>", mail_host());
	mail_head h = { .from_addr = mail_from_addr(), .from_name = "openplan", .to_addr = to,
		        .to_name = name, .subject = subject, .message_id = mid,
		        .date = r->created_at, .list_id = list, .unsubscribe = unsub };
	json_object_set_new(m, "subject", json_string(subject));
	int rc = mail_render(ap, tpl, m, lang, &text, &html) == 0 &&
	         mail_compose(out, &h, sb_str(&text), sb_str(&html)) == 0 ? 0 : -1;
	sb_free(&text);
	sb_free(&html);
	return rc;
}

int mail_build_event(const app *ap, store *s, arena *a, const mail_row *r, sb *out)
{
	mail_note n;
	store_rc rc = mail_store_note(s, a, r->notification_id, &n);
	if (rc == STORE_NOTFOUND)
		return 1;
	if (rc != STORE_OK)
		return -1;
	const char *lang = i18n_lang_valid(n.lang) ? n.lang : "nl";
	const char *base = mail_base_url(ap);
	const char *text = note_text(a, lang, &n);
	const char *unsub = notify_unsubscribe_url(a, base, n.user_id, n.kind);
	const char *cat = notify_category(n.kind), *label = NULL;
	for (size_t i = 0; i < notify_nkinds; i++)
		if (!strcmp(notify_kinds[i].prefix, cat))
			label = notify_kinds[i].label;
	json_t *m = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s}", "name", n.name, "text", text,
	                      "url", abs_url(a, base, n.url), "settings",
	                      abs_url(a, base, "/notifications/settings"), "unsubscribe",
	                      unsub ? unsub : "", "follow", !strcmp(n.reason, "follow"), "base", base,
	                      "lang", lang);
	if (m && label)
		json_object_set_new(m, "kind_label", json_string(i18n_get(lang, label)));
	int ret = m && unsub ? finish(ap, "mail_event", m, r, n.email, n.name, lang, text, unsub, out)
	                     : -1;
	json_decref(m);
	return ret;
}

int mail_build_digest(const app *ap, store *s, arena *a, const mail_row *r, sb *out)
{
	mail_note *ns;
	size_t n;
	int64_t total;
	user u;
	store_rc rc = store_user_by_id(s, a, r->user_id, &u);
	if (rc == STORE_NOTFOUND)
		return 1;
	if (rc == STORE_OK)
		rc = mail_store_digest_notes(s, a, r->id, DIGEST_MAX, &ns, &n, &total);
	if (rc != STORE_OK)
		return -1;
	if (n == 0)
		return 1;
	const char *lang = i18n_lang_valid(ns[0].lang) ? ns[0].lang : "nl";
	const char *base = mail_base_url(ap);
	bool weekly = !strcmp(r->subject, "weekly");
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s}", "text", note_text(a, lang, &ns[i]),
		                                       "url", abs_url(a, base, ns[i].url)));
	const char *fmt = weekly
		? i18n_nget(lang, "Your weekly summary from openplan: %d notification",
		            "Your weekly summary from openplan: %d notifications", (long long)total)
		: i18n_nget(lang, "Your daily summary from openplan: %d notification",
		            "Your daily summary from openplan: %d notifications", (long long)total);
	char subject[300];
	const char *pct = strstr(fmt, "%d");
	if (pct)
		snprintf(subject, sizeof subject, "%.*s%lld%s", (int)(pct - fmt), fmt, (long long)total,
		         pct + 2);
	else
		snprintf(subject, sizeof subject, "%s", fmt);
	/* A digest's one-click link turns off all notification e-mail ("*"). */
	const char *unsub = notify_unsubscribe_url(a, base, u.id, "*");
	json_t *m = json_pack("{s:s,s:o,s:b,s:I,s:s,s:s,s:s}", "name", u.name, "items", items,
	                      "weekly", weekly, "total", (json_int_t)total, "settings",
	                      abs_url(a, base, "/notifications/settings"), "all",
	                      abs_url(a, base, "/notifications"), "unsubscribe", unsub ? unsub : "");
	if (m && total > (int64_t)n)
		json_object_set_new(m, "more", json_integer((json_int_t)(total - (int64_t)n)));
	int ret = m && unsub ? finish(ap, "mail_digest", m, r, u.email, u.name, lang, subject, unsub,
	                              out)
	                     : -1;
	json_decref(m);
	return ret;
}

store_rc mail_digest_queue(store *s, const char *period, int64_t now, int64_t *n)
{
	return mail_store_digest_queue(s, period, now, n);
}

bool mail_digest_due(int64_t now, int hour, bool weekly, const char *last, char key[16])
{
	time_t t = (time_t)now;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(key, 16, weekly ? "%G-W%V" : "%Y-%m-%d", &tm);
	if (last && !strcmp(last, key))
		return false;
	/* The week's digest goes from Monday's digest hour on. */
	if (weekly && tm.tm_wday == 1)
		return tm.tm_hour >= hour;
	return weekly || tm.tm_hour >= hour;
}
