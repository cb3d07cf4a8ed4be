/* test_mail.c — keeping people informed without a server: addresses the
 * sender accepts, RFC 2047 header values (Dutch characters, folding, CR/LF
 * that must never start a header), quoted-printable, the Date header, a
 * whole message; when a digest is due; and in a real store: an event
 * reaching the people it names and the followers of its objects (never
 * the actor; personal events not to followers), e-mail now or in a digest
 * as each person chose, only to confirmed addresses, an automatic follow
 * that does not come back after "stop", digests taking their
 * notifications once, and single-use tokens that expire.
 */
#include "unit.h"

#include <sodium.h>
#include <time.h>
#include <unistd.h>

#include "features/account/account.h"
#include "features/mail/mail.h"
#include "features/notify/notify.h"
#include "util/text.h"
#include "store_target.h"

/* ---- addresses ---- */

TEST(addresses)
{
	static const struct { const char *a; bool ok; } t[] = {
		{ "jan@example.org", true }, { "jan.de.vries+plan@sub.example.nl", true },
		{ "o'brien@example.ie", true }, { "a@b.co", true },
		{ "jan@localhost", false }, { "jan@example", false }, { "@example.org", false },
		{ "jan@", false }, { "jan@@example.org", false }, { "jan@exa mple.org", false },
		{ "jan@-bad.example", false }, { "jan@bad-.example", false }, { "jan@ex..ample", false },
		{ ".jan@example.org", false }, { "jan.@example.org", false }, { "j..an@example.org", false },
		{ "\"jan\"@example.org", false }, { "jan@example.org>", false },
		{ "jan@example.org\r\nRCPT TO:<x@y.z>", false }, { "jan,piet@example.org", false },
		{ "jän@example.org", false }, { "", false }, { NULL, false },
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (mail_addr_valid(t[i].a) != t[i].ok)
			fail_msg("%s: want %s", t[i].a ? t[i].a : "(null)", t[i].ok ? "valid" : "refused");
	char long_local[80];
	memset(long_local, 'a', 65);
	strcpy(long_local + 65, "@example.org");
	assert_false(mail_addr_valid(long_local));
}

/* ---- header values ---- */

/* Decodes the B encoded-words of a header value back to text. */
static void decode_words(const char *v, char *out, size_t n)
{
	size_t o = 0;
	const char *p = v;
	while ((p = strstr(p, "=?UTF-8?B?"))) {
		p += 10;
		const char *e = strstr(p, "?=");
		assert_non_null(e);
		size_t got = 0;
		assert_int_equal(sodium_base642bin((unsigned char *)out + o, n - o - 1, p, (size_t)(e - p),
		                                   NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
		o += got;
		p = e + 2;
	}
	out[o] = '\0';
}

TEST(plain_ascii_stays_as_it_is)
{
	sb b;
	sb_init(&b);
	mail_header_value(&b, "Confirm your e-mail address");
	assert_string_equal(sb_str(&b), "Confirm your e-mail address");
	sb_free(&b);
}

TEST(dutch_characters_are_encoded_words_that_fold)
{
	const char *subject = "Je aanbod om “Contract Register: open inkoopinformatie van het Rijk” "
	                      "te adopteren is aangenomen — één, vóór, ideeën";
	sb b;
	sb_init(&b);
	mail_header_value(&b, subject);
	const char *v = sb_str(&b);
	assert_true(strncmp(v, "=?UTF-8?B?", 10) == 0);
	/* Every line of the value: one encoded word under 76 characters. */
	const char *line = v;
	for (;;) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		assert_true(len <= 75);
		if (!end)
			break;
		assert_true(end[2] == ' '); /* folded: the next line starts with white space */
		line = end + 2;
	}
	char back[512];
	decode_words(v, back, sizeof back);
	assert_string_equal(back, subject);
	/* No word splits a character: each decodes to valid UTF-8 on its own. */
	for (const char *p = v; (p = strstr(p, "=?UTF-8?B?"));) {
		p += 10;
		const char *e = strstr(p, "?=");
		unsigned char w[64];
		size_t got;
		sodium_base642bin(w, sizeof w, p, (size_t)(e - p), NULL, &got, NULL,
		                  sodium_base64_VARIANT_ORIGINAL);
		assert_true(text_utf8_valid((const char *)w, got));
		p = e;
	}
	sb_free(&b);
}

TEST(cr_lf_never_starts_a_header)
{
	const char *evil[] = { "Hallo\r\nBcc: victim@example.org", "Hallo\nBcc: x@y.z", "Hallo\rX-Evil: 1",
		               "één\r\nBcc: x@y.z", "=?UTF-8?B?QmNjOiB4QHkueg==?=" };
	for (size_t i = 0; i < ARRAY_LEN(evil); i++) {
		sb b;
		sb_init(&b);
		mail_header_value(&b, evil[i]);
		const char *v = sb_str(&b);
		/* A line break only as folding (CRLF + space), never a bare CR or LF. */
		for (const char *p = v; *p; p++) {
			if (*p == '\r') {
				assert_true(p[1] == '\n' && p[2] == ' ');
			} else if (*p == '\n') {
				assert_true(p > v && p[-1] == '\r');
			}
		}
		assert_null(strstr(v, "\r\nBcc"));
		assert_null(strstr(v, "\nBcc"));
		sb_free(&b);
	}
	/* A value that looks encoded is encoded itself: it cannot smuggle words. */
	sb b;
	sb_init(&b);
	mail_header_value(&b, "=?UTF-8?B?QmNjOiB4QHkueg==?=");
	char back[128];
	decode_words(sb_str(&b), back, sizeof back);
	assert_string_equal(back, "=?UTF-8?B?QmNjOiB4QHkueg==?=");
	sb_free(&b);
}

/* ---- a whole message ---- */

static int count_lines_starting(const char *msg, const char *prefix)
{
	int n = 0;
	const char *body = strstr(msg, "\r\n\r\n");
	for (const char *p = msg; p && p < body; p = strstr(p, "\r\n"), p = p ? p + 2 : NULL)
		if (!strncmp(p, prefix, strlen(prefix)))
			n++;
	return n;
}

TEST(a_message_has_its_headers_and_two_parts)
{
	mail_head h = { .from_addr = "openplan@example.nl", .from_name = "openplan",
		        .to_addr = "jan@example.org", .to_name = "Jan de Vriës\r\nBcc: victim@example.org",
		        .subject = "Nieuwsbrief: één plan\r\nX-Injected: yes", .message_id = "<openplan.1.ab@example.nl>",
		        .date = 1602748800, .list_id = "<newsletter.example.nl>",
		        .unsubscribe = "https://example.nl/news/unsubscribe?s=1&m=ab", .bulk = true };
	sb b;
	sb_init(&b);
	assert_int_equal(mail_compose(&b, &h, "Tekst met een . punt\n.begint met een punt\nFrom here\n",
	                              "<p>één</p>"), 0);
	const char *m = sb_str(&b);
	assert_int_equal(count_lines_starting(m, "Bcc:"), 0);
	assert_int_equal(count_lines_starting(m, "X-Injected:"), 0);
	assert_int_equal(count_lines_starting(m, "Subject:"), 1);
	assert_int_equal(count_lines_starting(m, "To:"), 1);
	assert_contains(m, "\r\nDate: Thu, 15 Oct 2020 08:00:00 +0000\r\n");
	assert_contains(m, "\r\nMessage-ID: <openplan.1.ab@example.nl>\r\n");
	assert_contains(m, "\r\nList-Id: <newsletter.example.nl>\r\n");
	assert_contains(m, "\r\nList-Unsubscribe: <https://example.nl/news/unsubscribe?s=1&m=ab>\r\n");
	assert_contains(m, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	assert_contains(m, "\r\nPrecedence: bulk\r\n");
	assert_contains(m, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable");
	assert_contains(m, "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable");
	assert_contains(m, "<p>=C3=A9=C3=A9n</p>");
	/* Lines that start with a dot or "From " are encoded. */
	assert_contains(m, "\r\n=2Ebegint met een punt");
	assert_contains(m, "\r\n=46rom here");
	/* The text part decodes back. */
	sb t;
	sb_init(&t);
	mail_text_part(&t, m);
	assert_string_equal(sb_str(&t), "Tekst met een . punt\n.begint met een punt\nFrom here\n");
	sb_free(&t);
	/* No bare LF anywhere; no line longer than 78 characters in the body. */
	for (const char *p = m; *p; p++)
		if (*p == '\n')
			assert_true(p > m && p[-1] == '\r');
	sb_free(&b);
	/* An address that could inject a recipient is refused. */
	mail_head bad = h;
	bad.to_addr = "jan@example.org\r\nRCPT TO:<x@y.z>";
	sb_init(&b);
	assert_int_equal(mail_compose(&b, &bad, "x", "y"), -1);
	sb_free(&b);
	bad = h;
	bad.unsubscribe = "https://x.example/\r\nBcc: y@z.example";
	sb_init(&b);
	assert_int_equal(mail_compose(&b, &bad, "x", "y"), -1);
	sb_free(&b);
}

TEST(quoted_printable_keeps_lines_short)
{
	char longline[400];
	memset(longline, 'x', 300);
	strcpy(longline + 300, " é \n");
	sb b;
	sb_init(&b);
	mail_qp(&b, longline);
	const char *v = sb_str(&b);
	for (const char *line = v; *line;) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		assert_true(len <= 76);
		if (!end)
			break;
		line = end + 2;
	}
	assert_contains(v, "=C3=A9=20\r\n"); /* a space at the end of a line is encoded */
	sb_free(&b);
}

/* ---- digests ---- */

TEST(digest_hours)
{
	setenv("TZ", "UTC", 1);
	tzset();
	char key[16];
	/* Sunday 29 November 2026, 06:30 and 07:30 UTC. */
	int64_t before = 1795933800, after = before + 3600;
	assert_false(mail_digest_due(before, 7, false, "", key));
	assert_true(mail_digest_due(after, 7, false, "", key));
	assert_string_equal(key, "2026-11-29");
	assert_false(mail_digest_due(after, 7, false, "2026-11-29", key));
	assert_true(mail_digest_due(after, 7, false, "2026-11-28", key));
	/* The week's digest: from Monday's digest hour on, once per week. */
	assert_true(mail_digest_due(after, 7, true, "2026-W47", key));
	assert_string_equal(key, "2026-W48");
	assert_false(mail_digest_due(after, 7, true, "2026-W48", key));
	int64_t monday_early = before + 86400; /* Monday 30 November 06:30 */
	assert_false(mail_digest_due(monday_early, 7, true, "2026-W48", key));
	assert_false(mail_digest_due(monday_early, 7, true, "", key));
	assert_true(mail_digest_due(monday_early + 3600, 7, true, "2026-W48", key));
	assert_string_equal(key, "2026-W49");
}

/* ---- in a real store ---- */

typedef struct fx {
	char    path[64];
	store  *s;
	int64_t actor, named, follower, unconfirmed, stopped;
} fx;

static int64_t new_user(store *s, const char *email)
{
	int64_t id = 0;
	assert_int_equal(store_user_create(s, email, "Iemand", "x", ROLE_PARTICIPANT, &id), STORE_OK);
	return id;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	snprintf(f->path, sizeof f->path, "/tmp/openplan-mail-%d.db", (int)getpid());
	unlink(f->path);
	char err[256], target[512];
	store_target(f->path, target, sizeof target);
	if (store_target_open(target, &f->s, err, sizeof err) != STORE_OK)
		fail_msg("%s", err);
	f->actor = new_user(f->s, "actor@example.org");
	f->named = new_user(f->s, "named@example.org");
	f->follower = new_user(f->s, "follower@example.org");
	f->unconfirmed = new_user(f->s, "unconfirmed@example.org");
	f->stopped = new_user(f->s, "stopped@example.org");
	assert_int_equal(account_store_unconfirmed(f->s, f->unconfirmed, "en"), STORE_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	store_close(f->s);
	unlink(f->path);
	char wal[80];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", f->path);
	unlink(wal);
	free(f);
	return 0;
}

static int64_t notes(store *s, int64_t uid)
{
	arena a;
	arena_init(&a, 0);
	store_notification *ns;
	size_t n;
	assert_int_equal(store_notifications(s, &a, uid, 0, 100, &ns, &n), STORE_OK);
	arena_free(&a);
	return (int64_t)n;
}

static int64_t outbox_for(store *s, int64_t uid)
{
	arena a;
	arena_init(&a, 0);
	mail_row *rows;
	size_t n;
	int64_t c = 0;
	assert_int_equal(mail_store_list(s, &a, "", 0, 1000, &rows, &n), STORE_OK);
	for (size_t i = 0; i < n; i++)
		c += rows[i].user_id == uid;
	arena_free(&a);
	return c;
}

TEST(events_reach_named_people_and_followers)
{
	fx *f = *state;
	store *s = f->s;
	/* Followers of the action point and of its theme. */
	assert_int_equal(store_follow_set(s, f->follower, "action", 7, true), STORE_OK);
	assert_int_equal(store_follow_set(s, f->unconfirmed, "theme", 3, true), STORE_OK);
	assert_int_equal(store_follow_set(s, f->actor, "action", 7, true), STORE_OK);
	/* An automatic follow after a "stop" stays stopped. */
	assert_int_equal(store_follow_set(s, f->stopped, "action", 7, false), STORE_OK);
	assert_int_equal(store_follow_auto(s, f->stopped, "action", 7), STORE_OK);
	bool on = true;
	assert_int_equal(store_follows(s, f->stopped, "action", 7, &on), STORE_OK);
	assert_false(on);
	store_object also[] = { { "theme", 3 } };
	store_event e = { .kind = "act.offer_accepted", .msgid = "Your offer to adopt “%s” was accepted.",
		          .subject = "Contract Register", .url = "/actions/7", .object_type = "action",
		          .object_id = 7, .actor_id = f->actor,
		          .follower_msgid = "“%s” has a new holder.", .also = also, .nalso = 1 };
	int64_t named[] = { f->named, 0, f->named };
	assert_int_equal(store_event_add(s, &e, named, 3, NULL), STORE_OK);
	assert_int_equal(notes(s, f->named), 1);
	assert_int_equal(notes(s, f->follower), 1);
	assert_int_equal(notes(s, f->unconfirmed), 1);
	assert_int_equal(notes(s, f->actor), 0);   /* not told of their own change */
	assert_int_equal(notes(s, f->stopped), 0);
	/* The follower reads the follower text. */
	arena a;
	arena_init(&a, 0);
	store_notification *ns;
	size_t n;
	assert_int_equal(store_notifications(s, &a, f->follower, 0, 10, &ns, &n), STORE_OK);
	assert_string_equal(ns[0].msgid, "“%s” has a new holder.");
	assert_int_equal(store_notifications(s, &a, f->named, 0, 10, &ns, &n), STORE_OK);
	assert_string_equal(ns[0].msgid, "Your offer to adopt “%s” was accepted.");
	arena_free(&a);
	/* E-mail now for the named person (the standard), a digest for followers. */
	assert_int_equal(outbox_for(s, f->named), 1);
	assert_int_equal(outbox_for(s, f->follower), 0);
	int64_t made = 0;
	assert_int_equal(mail_store_digest_queue(s, "daily", 0, &made), STORE_OK);
	assert_int_equal(made, 1); /* the follower; not the unconfirmed address */
	assert_int_equal(outbox_for(s, f->follower), 1);
	assert_int_equal(outbox_for(s, f->unconfirmed), 0);
	assert_int_equal(mail_store_digest_queue(s, "daily", 0, &made), STORE_OK);
	assert_int_equal(made, 0); /* a notification goes in one digest only */
	/* A personal event does not reach followers. */
	store_event p = e;
	p.follower_msgid = STORE_EVENT_PERSONAL;
	assert_int_equal(store_event_add(s, &p, &f->named, 1, NULL), STORE_OK);
	assert_int_equal(notes(s, f->named), 2);
	assert_int_equal(notes(s, f->follower), 1);
}

TEST(preferences_choose_per_kind)
{
	fx *f = *state;
	store *s = f->s;
	/* Named, but no e-mail for offers; followed, and at once for action points. */
	assert_int_equal(notify_store_pref_set(s, f->named, "act.offer_", "none"), STORE_OK);
	assert_int_equal(notify_store_pref_set(s, f->follower, "act.", "now"), STORE_OK);
	assert_int_equal(store_follow_set(s, f->follower, "action", 8, true), STORE_OK);
	store_event e = { .kind = "act.offer_accepted", .msgid = "m %s", .subject = "x", .url = "/",
		          .object_type = "action", .object_id = 8 };
	assert_int_equal(store_event_add(s, &e, &f->named, 1, NULL), STORE_OK);
	assert_int_equal(outbox_for(s, f->named), 0);
	assert_int_equal(outbox_for(s, f->follower), 1);
	/* The most specific preference wins. */
	assert_int_equal(notify_store_pref_set(s, f->follower, "act.offer_", "weekly"), STORE_OK);
	assert_int_equal(store_event_add(s, &e, NULL, 0, NULL), STORE_OK);
	assert_int_equal(outbox_for(s, f->follower), 1);
	int64_t made = 0;
	assert_int_equal(mail_store_digest_queue(s, "weekly", 0, &made), STORE_OK);
	assert_int_equal(made, 1);
}

TEST(tokens_work_once_until_they_expire)
{
	fx *f = *state;
	store *s = f->s;
	int64_t now = (int64_t)time(NULL), uid = 0;
	assert_int_equal(account_store_token_create(s, f->named, "reset", "hash-1", now + 3600), STORE_OK);
	assert_int_equal(account_store_token_check(s, "hash-1", "confirm", now, false, &uid), STORE_NOTFOUND);
	assert_int_equal(account_store_token_check(s, "hash-1", "reset", now + 3600, false, &uid), STORE_INVALID);
	assert_int_equal(account_store_token_check(s, "hash-1", "reset", now, false, &uid), STORE_OK);
	assert_int_equal(uid, f->named);
	assert_int_equal(account_store_token_check(s, "hash-1", "reset", now, true, &uid), STORE_OK);
	assert_int_equal(account_store_token_check(s, "hash-1", "reset", now, true, &uid), STORE_CONFLICT);
	assert_int_equal(account_store_token_check(s, "nope", "reset", now, false, &uid), STORE_NOTFOUND);
}

/* ---- running out of memory outside a request ---- */

/* The first outbox row of a kind, with its ids (no body). */
static mail_row outbox_row(store *s, arena *a, const char *kind, int64_t uid)
{
	mail_row *rows;
	size_t n;
	assert_int_equal(mail_store_list(s, a, "", 0, 1000, &rows, &n), STORE_OK);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].kind, kind) && rows[i].user_id == uid)
			return rows[i];
	fail_msg("no %s row for user %lld", kind, (long long)uid);
	return rows[0];
}

/* Builds a row with allocation N (and every later one) failing, for N from
 * 1 until it no longer runs out: each attempt fails cleanly (-1, never a
 * crash or a sanitizer report), and the last one is a whole message. */
static int build_until_it_fits(const app *ap, store *s, const mail_row *r, bool digest)
{
	int failed = 0;
	for (unsigned long n = 1; n < 2000; n++) {
		arena a;
		arena_init(&a, MAIL_WORK_BUDGET);
		sb out;
		sb_init(&out);
		arena_fault_set(n, 1);
		int rc = digest ? mail_build_digest(ap, s, &a, r, &out) : mail_build_event(ap, s, &a, r, &out);
		arena_fault_set(0, 0);
		bool ran_out = a.nfailed > 0;
		arena_free(&a);
		if (rc == 0) {
			assert_false(ran_out);
			assert_non_null(strstr(sb_str(&out), "\r\nSubject: "));
			assert_non_null(strstr(sb_str(&out), "Content-Type: text/html"));
			sb_free(&out);
			return failed;
		}
		assert_int_equal(rc, -1);
		assert_true(ran_out);
		failed++;
		sb_free(&out);
	}
	fail_msg("never built");
	return failed;
}

TEST(building_mail_survives_running_out_of_memory)
{
	fx *f = *state;
	store *s = f->s;
	char err[256] = "";
	tpl_set *t = NULL;
	assert_int_equal(i18n_load(err, sizeof err), 0);
	assert_int_equal(tpl_load(&t, err, sizeof err), 0);
	app ap = { .db = s, .tpl = t };
	ap.cfg.base_url = "https://openplan.example";
	/* The sender's settings (address, site secret) as serving sets them;
	 * its thread is stopped again before anything is queued. */
	assert_int_equal(mail_feature.start(&ap, err, sizeof err), 0);
	mail_feature.stop(&ap);
	/* An event for a person who wants it at once, and one for a follower
	 * in the daily digest. */
	assert_int_equal(store_follow_set(s, f->follower, "action", 9, true), STORE_OK);
	store_event e = { .kind = "act.offer_accepted", .msgid = "Your offer to adopt “%s” was accepted.",
		          .subject = "Open data over subsidies", .url = "/actions/9", .object_type = "action",
		          .object_id = 9, .follower_msgid = "“%s” has a new holder." };
	assert_int_equal(store_event_add(s, &e, &f->named, 1, NULL), STORE_OK);
	/* Queueing the digests running out: nothing half-done, then once. */
	int64_t made = 0;
	store_rc rc = STORE_ERROR;
	int refused = 0;
	for (unsigned long n = 1; n < 200 && rc != STORE_OK; n++) {
		arena_fault_set(n, 1);
		rc = mail_store_digest_queue(s, "daily", 0, &made);
		arena_fault_set(0, 0);
		if (rc != STORE_OK) {
			refused++;
			assert_int_equal(outbox_for(s, f->follower), 0);
		}
	}
	assert_int_equal(rc, STORE_OK);
	assert_true(refused > 0);
	assert_int_equal(made, 1);
	arena a;
	arena_init(&a, 0);
	mail_row ev = outbox_row(s, &a, "notify.event", f->named);
	mail_row dg = outbox_row(s, &a, "notify.digest", f->follower);
	assert_true(build_until_it_fits(&ap, s, &ev, false) > 0);
	assert_true(build_until_it_fits(&ap, s, &dg, true) > 0);
	arena_free(&a);
	tpl_free(t);
	i18n_free();
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addresses),
		cmocka_unit_test(plain_ascii_stays_as_it_is),
		cmocka_unit_test(dutch_characters_are_encoded_words_that_fold),
		cmocka_unit_test(cr_lf_never_starts_a_header),
		cmocka_unit_test(a_message_has_its_headers_and_two_parts),
		cmocka_unit_test(quoted_printable_keeps_lines_short),
		cmocka_unit_test(digest_hours),
		cmocka_unit_test_setup_teardown(events_reach_named_people_and_followers, setup, teardown),
		cmocka_unit_test_setup_teardown(preferences_choose_per_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(tokens_work_once_until_they_expire, setup, teardown),
		cmocka_unit_test_setup_teardown(building_mail_survives_running_out_of_memory, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
