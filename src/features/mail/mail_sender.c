/* mail_sender.c — the sender thread, owned by the mail feature's start
 * and stop hooks. It wakes when kicked or every poll interval, and in
 * turn: fans out newsletters being sent (news feature), queues digests
 * when their hour has come, removes rows done 30 days ago, and — when an
 * SMTP server is configured — delivers due outbox rows through libcurl on
 * one reused connection.
 *
 * Delivery: a 2xx after the message is sent marks the row sent at once (in
 * its own small transaction, so a kill -9 right after a delivery resends at
 * most that one message, with the same Message-ID); a 5xx marks it failed
 * with the server's answer; anything else (no connection, a 4xx, a time-
 * out) tries the row again after a pause that doubles each attempt (the
 * whole sender pauses too while the server is unreachable), and gives up
 * after MAX_ATTEMPTS. Rows are never held in memory between rounds, so a
 * restart simply continues with what is queued. One sender per database:
 * on several nodes, each round is done by the node that holds the store's
 * lock "mail_sender" (store_lock_try); the others skip that round.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../news/news.h"
#include "mail.h"

enum { BATCH = 50, MAX_ATTEMPTS = 12, KEEP_DAYS = 30 };

typedef enum { SEND_OK, SEND_RETRY, SEND_FAILED, SEND_DOWN } send_result;

static struct sender {
	app            *ap;
	pthread_t       thread;
	bool            running;
	atomic_bool     stop;
	pthread_mutex_t lock;
	pthread_cond_t  cond;
	bool            kicked;
	/* settings */
	const char     *url, *user, *password;
	long            tls;         /* CURLUSESSL_* */
	long            retry_base;  /* seconds */
	long            poll_ms;
	int             digest_hour;
	/* the SMTP connection, reused between messages */
	CURL           *curl;
	char            answer[512]; /* the server's last answer */
	int64_t         pause_until;
	int             down_count;
	int64_t         last_purge;
} S = { .lock = PTHREAD_MUTEX_INITIALIZER };

void mail_kick(void)
{
	pthread_mutex_lock(&S.lock);
	S.kicked = true;
	pthread_cond_signal(&S.cond);
	pthread_mutex_unlock(&S.lock);
}

/* ---- SMTP through libcurl ---- */

typedef struct upload { const char *data; size_t len, off; } upload;

static size_t read_cb(char *buf, size_t size, size_t nitems, void *ud)
{
	upload *u = ud;
	size_t room = size * nitems, left = u->len - u->off;
	size_t n = left < room ? left : room;
	memcpy(buf, u->data + u->off, n);
	u->off += n;
	return n;
}

/* Keeps the server's first refusal (a 4xx or 5xx line) of a transfer:
 * libcurl shows the server's responses as incoming headers, and the
 * "221 Bye" after a refusal must not hide it. */
static int debug_cb(CURL *c, curl_infotype type, char *data, size_t size, void *ud)
{
	(void)c;
	(void)ud;
	if (type != CURLINFO_HEADER_IN || size == 0 || S.answer[0] || (data[0] != '4' && data[0] != '5'))
		return 0;
	size_t n = size < sizeof S.answer - 1 ? size : sizeof S.answer - 1;
	memcpy(S.answer, data, n);
	while (n && (S.answer[n - 1] == '\n' || S.answer[n - 1] == '\r'))
		n--;
	S.answer[n] = '\0';
	return 0;
}

/* Aborts a transfer when the sender is asked to stop. */
static int progress_cb(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)ud, (void)a, (void)b, (void)c, (void)d;
	return atomic_load(&S.stop) ? 1 : 0;
}

static send_result smtp_send(const char *to, const char *msg, size_t len, char *why, size_t whylen)
{
	if (!S.curl && !(S.curl = curl_easy_init())) {
		snprintf(why, whylen, "out of memory");
		return SEND_RETRY;
	}
	CURL *c = S.curl;
	char from[300], rcpt[300];
	snprintf(from, sizeof from, "<%s>", mail_from_addr());
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	if (!rcpts) {
		snprintf(why, whylen, "out of memory");
		return SEND_RETRY;
	}
	upload u = { msg, len, 0 };
	char errbuf[CURL_ERROR_SIZE] = "";
	S.answer[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, S.url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, S.tls);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (S.user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, S.user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, S.password ? S.password : "");
	}
	CURLcode cc = curl_easy_perform(c);
	curl_slist_free_all(rcpts);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	if (cc == CURLE_OK)
		return SEND_OK;
	/* The server's own refusal when it answered one, else libcurl's words. */
	long code = S.answer[0] ? strtol(S.answer, NULL, 10) : 0;
	snprintf(why, whylen, "%s", S.answer[0] ? S.answer
	                          : errbuf[0] ? errbuf : curl_easy_strerror(cc));
	/* The connection is not trusted after a failure: a new one next time. */
	curl_easy_cleanup(c);
	S.curl = NULL;
	if (code >= 500 && code < 600 && cc != CURLE_LOGIN_DENIED)
		return SEND_FAILED;
	if (code >= 400 && code < 500 && code != 421)
		return SEND_RETRY;
	return SEND_DOWN; /* no answer, 421 or a refused login: the server, not the message */
}

/* ---- one round ---- */

static int64_t backoff(long attempts)
{
	int64_t d = S.retry_base;
	for (long i = 1; i < attempts && d < 6 * 3600; i++)
		d *= 2;
	return d < 6 * 3600 ? d : 6 * 3600;
}

/* Builds the message of a row that was not built when queued. 0, 1 when
 * there is nothing to send any more, -1 on failure. */
static int build(store *s, arena *a, const mail_row *r, sb *out)
{
	if (!strcmp(r->kind, "notify.event"))
		return mail_build_event(S.ap, s, a, r, out);
	if (!strcmp(r->kind, "notify.digest"))
		return mail_build_digest(S.ap, s, a, r, out);
	if (!strcmp(r->kind, "news.issue"))
		return news_build_delivery(S.ap, s, a, r, out);
	return -1;
}

static int deliver(store *s)
{
	int64_t now = (int64_t)time(NULL);
	if (now < S.pause_until)
		return 0;
	arena a;
	arena_init(&a, MAIL_WORK_BUDGET);
	mail_row *rows;
	size_t n;
	int done = 0;
	if (mail_store_due(s, &a, now, BATCH, &rows, &n) != STORE_OK)
		n = 0;
	for (size_t i = 0; i < n && !atomic_load(&S.stop); i++) {
		const mail_row *r = &rows[i];
		arena ra;
		arena_init(&ra, MAIL_WORK_BUDGET);
		sb built;
		sb_init(&built);
		const char *msg = r->message;
		const char *to = r->to_addr && *r->to_addr ? r->to_addr : NULL;
		int b = 0;
		if (!msg) {
			b = build(s, &ra, r, &built);
			msg = sb_str(&built);
		}
		char why[600] = "";
		now = (int64_t)time(NULL);
		if (b == 1 || !to) {
			mail_store_failed(s, r->id, now, "nothing to send any more (the person or the item is gone)");
		} else if (!mail_addr_valid(to)) {
			mail_store_failed(s, r->id, now, "the address is not valid");
		} else if (b < 0 || (!r->message && sb_failed(&built))) {
			/* Out of memory, or the store was busy: nothing is wrong with
			 * the message itself, so it waits and is tried again (and
			 * given up after MAX_ATTEMPTS, like a refusing server). */
			const char *why_b = "the message could not be built now (out of memory or the "
			                    "database was busy)";
			if (r->attempts + 1 >= MAX_ATTEMPTS) {
				char gave[200];
				snprintf(gave, sizeof gave, "gave up: %s", why_b);
				mail_store_failed(s, r->id, now, gave);
			} else {
				mail_store_retry(s, r->id, now + backoff(r->attempts + 1), why_b);
			}
		} else {
			send_result res = smtp_send(to, msg, strlen(msg), why, sizeof why);
			now = (int64_t)time(NULL);
			if (res == SEND_OK) {
				/* Delivered: it must not be sent again, so marking it
				 * waits out a busy database rather than give up. */
				for (int t = 0; t < 20 && mail_store_sent(s, r->id, now) != STORE_OK; t++)
					usleep(50000u * (unsigned)(t + 1));
				S.down_count = 0;
			} else if (res == SEND_FAILED || r->attempts + 1 >= MAX_ATTEMPTS) {
				char gave[700];
				snprintf(gave, sizeof gave, "%s%s", res == SEND_FAILED ? "" : "gave up: ", why);
				mail_store_failed(s, r->id, now, gave);
			} else {
				mail_store_retry(s, r->id, now + backoff(r->attempts + 1), why);
				if (res == SEND_DOWN) {
					/* The server is away: wait before trying anything else. */
					S.pause_until = now + backoff(++S.down_count);
					fprintf(stderr, "level=warn msg=\"mail: the SMTP server did not take "
					                "mail (%s); trying again in %lld s\"\n",
					        why, (long long)(S.pause_until - now));
					sb_free(&built);
					arena_free(&ra);
					break;
				}
			}
		}
		done++;
		sb_free(&built);
		arena_free(&ra);
	}
	arena_free(&a);
	return done;
}

static int round_work(store *s)
{
	int64_t now = (int64_t)time(NULL);
	int work = news_fanout_step(s);
	/* Digests: the daily one at the digest hour, the weekly one on Monday. */
	static const char *const periods[] = { "daily", "weekly" };
	for (int i = 0; i < 2; i++) {
		char key[16], mkey[40];
		const char *last = NULL;
		arena a;
		arena_init(&a, MAIL_WORK_BUDGET);
		snprintf(mkey, sizeof mkey, "mail.digest.%s", periods[i]);
		store_rc rc = store_meta_get(s, &a, mkey, &last);
		if ((rc == STORE_OK || rc == STORE_NOTFOUND) &&
		    mail_digest_due(now, S.digest_hour, i == 1, rc == STORE_OK ? last : "", key)) {
			int64_t made = 0;
			if (mail_digest_queue(s, periods[i], now, &made) == STORE_OK)
				store_meta_set(s, mkey, key);
			work += (int)made;
		}
		arena_free(&a);
	}
	if (now - S.last_purge > 3600) {
		mail_store_purge(s, now - KEEP_DAYS * 86400);
		S.last_purge = now;
	}
	if (S.url)
		work += deliver(s);
	news_finish_step(s);
	return work;
}

static int round_once(store *s)
{
	bool mine = false;
	if (store_lock_try(s, "mail_sender", &mine) != STORE_OK || !mine)
		return 0;
	int work = round_work(s);
	store_unlock(s, "mail_sender");
	return work;
}

static void *sender_main(void *arg)
{
	(void)arg;
	app_memory_use(NULL);
	while (!atomic_load(&S.stop)) {
		int work = round_once(S.ap->db);
		pthread_mutex_lock(&S.lock);
		if (!work && !S.kicked && !atomic_load(&S.stop)) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			long ms = S.poll_ms;
			if (S.url && S.pause_until > (int64_t)ts.tv_sec) {
				long left = (long)(S.pause_until - ts.tv_sec) * 1000;
				ms = left < ms ? left : ms;
			}
			ts.tv_sec += ms / 1000;
			ts.tv_nsec += (ms % 1000) * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&S.cond, &S.lock, &ts);
		}
		S.kicked = false;
		pthread_mutex_unlock(&S.lock);
	}
	if (S.curl)
		curl_easy_cleanup(S.curl);
	S.curl = NULL;
	return NULL;
}

static long env_long(const char *name, long def, long min, long max)
{
	const char *v = getenv(name);
	char *end;
	long n = v ? strtol(v, &end, 10) : def;
	return v && *v && !*end && n >= min && n <= max ? n : def;
}

int mail_sender_start(app *ap, char *err, size_t errlen)
{
	S.ap = ap;
	S.url = ap->cfg.smtp_url;
	S.user = getenv("OPENPLAN_SMTP_USER");
	S.password = getenv("OPENPLAN_SMTP_PASSWORD");
	S.retry_base = env_long("OPENPLAN_MAIL_RETRY", 60, 1, 86400);
	S.poll_ms = env_long("OPENPLAN_MAIL_POLL_MS", 1000, 10, 60000);
	S.digest_hour = (int)env_long("OPENPLAN_DIGEST_HOUR", 7, 0, 23);
	S.pause_until = 0;
	S.down_count = 0;
	if (S.url) {
		if (strncmp(S.url, "smtp://", 7) && strncmp(S.url, "smtps://", 8)) {
			snprintf(err, errlen, "--smtp-url must start with smtp:// or smtps://");
			return -1;
		}
		const char *auth = S.url + (S.url[4] == 's' ? 8 : 7);
		if (strchr(auth, '@')) {
			snprintf(err, errlen, "--smtp-url: put the user name and password in "
			                      "OPENPLAN_SMTP_USER and OPENPLAN_SMTP_PASSWORD, not in the URL");
			return -1;
		}
		const char *t = getenv("OPENPLAN_SMTP_STARTTLS");
		S.tls = !t || !strcmp(t, "try") ? CURLUSESSL_TRY : !strcmp(t, "require") ? CURLUSESSL_ALL
		      : !strcmp(t, "off") ? CURLUSESSL_NONE : -1;
		if (S.tls < 0) {
			snprintf(err, errlen, "OPENPLAN_SMTP_STARTTLS must be try, require or off");
			return -1;
		}
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			snprintf(err, errlen, "libcurl could not start");
			return -1;
		}
	}
	atomic_store(&S.stop, false);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_cond_init(&S.cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&S.thread, NULL, sender_main, NULL) != 0) {
		snprintf(err, errlen, "mail: could not start the sender thread");
		pthread_cond_destroy(&S.cond);
		if (S.url)
			curl_global_cleanup();
		return -1;
	}
	S.running = true;
	return 0;
}

void mail_sender_stop(void)
{
	if (!S.running)
		return;
	atomic_store(&S.stop, true);
	mail_kick();
	pthread_join(S.thread, NULL);
	pthread_cond_destroy(&S.cond);
	if (S.url)
		curl_global_cleanup();
	S.running = false;
}
