/* auth.c — passwords (argon2id through libsodium, in a small bounded
 * pool), the password policy, the sign-in throttle, session and CSRF
 * tokens, signing in and out, and the in-memory rate limiter used by
 * sign-in, sign-up and other submissions. All state is in this process:
 * with several nodes, each throttles on its own.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../util/embed.h"
#include "../util/text.h"
#include "auth.h"

/* ---- the hashing pool ----
 * argon2id as we use it takes 64 MiB for about 50-100 ms. At most `slots`
 * hashes run at once, so memory is bounded whatever the number of
 * simultaneous sign-ins. The _try functions also bound how many request
 * workers may be inside (hashing or waiting their turn) to fewer than all
 * of them, and wait at most wait_ms: beyond that they answer AUTH_BUSY. */
static pthread_mutex_t hash_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  hash_cv = PTHREAD_COND_INITIALIZER;
static unsigned        hash_slots, hash_inside_max, hash_wait_ms;
static unsigned        hash_running, hash_inside;

void auth_hash_setup(unsigned workers, unsigned wait_ms)
{
	if (workers == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		workers = n > 0 ? (unsigned)n : 1;
	}
	pthread_mutex_lock(&hash_mu);
	hash_inside_max = workers > 1 ? workers - 1 : 1;
	hash_slots = hash_inside_max < 2 ? hash_inside_max : 2;
	hash_wait_ms = wait_ms;
	pthread_cond_broadcast(&hash_cv);
	pthread_mutex_unlock(&hash_mu);
}

/* Waits for a slot: forever when bounded is false, else within the limits
 * above. Returns false when busy. */
static bool hash_enter(bool bounded)
{
	pthread_mutex_lock(&hash_mu);
	if (hash_slots == 0) {
		pthread_mutex_unlock(&hash_mu);
		auth_hash_setup(0, 2000);
		pthread_mutex_lock(&hash_mu);
	}
	if (bounded && hash_inside >= hash_inside_max) {
		pthread_mutex_unlock(&hash_mu);
		return false;
	}
	hash_inside++;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += hash_wait_ms / 1000;
	until.tv_nsec += (long)(hash_wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (hash_running >= hash_slots) {
		int rc = bounded ? pthread_cond_timedwait(&hash_cv, &hash_mu, &until)
		                 : pthread_cond_wait(&hash_cv, &hash_mu);
		if (rc == ETIMEDOUT && hash_running >= hash_slots) {
			hash_inside--;
			pthread_mutex_unlock(&hash_mu);
			return false;
		}
	}
	hash_running++;
	pthread_mutex_unlock(&hash_mu);
	return true;
}

static void hash_leave(void)
{
	pthread_mutex_lock(&hash_mu);
	hash_running--;
	hash_inside--;
	pthread_cond_signal(&hash_cv);
	pthread_mutex_unlock(&hash_mu);
}

static auth_rc hash_now(const char *password, char out[128], bool bounded)
{
	if (!hash_enter(bounded))
		return AUTH_BUSY;
	int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
	hash_leave();
	return rc == 0 ? AUTH_OK : AUTH_NOMEM;
}

static auth_rc verify_now(const char *hash, const char *password, bool bounded)
{
	if (!hash_enter(bounded))
		return AUTH_BUSY;
	int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
	hash_leave();
	return rc == 0 ? AUTH_OK : AUTH_WRONG;
}

auth_rc auth_hash_try(const char *password, char out[128]) { return hash_now(password, out, true); }
auth_rc auth_verify_try(const char *hash, const char *password) { return verify_now(hash, password, true); }

int auth_hash_password(const char *password, char out[128])
{
	return hash_now(password, out, false) == AUTH_OK ? 0 : -1; /* -1: out of memory */
}

bool auth_check_password(const char *hash, const char *password)
{
	return verify_now(hash, password, false) == AUTH_OK;
}

/* ---- password policy ---- */
static char         **common;      /* sorted, lower case */
static size_t         ncommon;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads app/common_passwords.txt (embedded): one password a line; lines
 * starting with "#!" are comments. */
static void common_load(void)
{
	const embed_file *f = embed_find("app/common_passwords.txt");
	if (!f)
		return;
	size_t lines = 1;
	for (size_t i = 0; i < f->len; i++)
		lines += f->data[i] == '\n';
	common = calloc(lines, sizeof *common);
	if (!common)
		return;
	const char *p = (const char *)f->data, *end = p + f->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n && !(n >= 2 && p[0] == '#' && p[1] == '!')) {
			char *w = strndup(p, n);
			if (w) {
				text_ascii_lower(w);
				common[ncommon++] = w;
			}
		}
		p += n + 1;
		if (nl && p < end && p[-1] == '\r')
			p++;
	}
	qsort(common, ncommon, sizeof *common, cmp_str);
}

static bool is_common(const char *lower)
{
	pthread_once(&common_once, common_load);
	return ncommon && bsearch(&lower, common, ncommon, sizeof *common, cmp_str);
}

const char *auth_password_problem(const char *pw, const char *email, const char *name)
{
	size_t len = strlen(pw);
	if (!text_utf8_valid(pw, len) || text_utf8_len(pw) < 10)
		return N_("Choose a password of at least 10 characters.");
	if (len > 1000)
		return N_("Choose a password of at most 1000 characters.");
	bool blank = true, same = true;
	for (size_t i = 0; i < len; i++) {
		blank = blank && isspace((unsigned char)pw[i]);
		same = same && pw[i] == pw[0];
	}
	if (blank)
		return N_("A password of only spaces is not safe. Choose one with letters, digits or other characters.");
	char low[1001];
	memcpy(low, pw, len + 1);
	text_ascii_lower(low);
	/* The whole, and the base without trailing digits and punctuation
	 * ("Welkom2024!" is "welkom"). */
	size_t base = len;
	while (base > 0 && (isdigit((unsigned char)low[base - 1]) || ispunct((unsigned char)low[base - 1]) ||
	                    low[base - 1] == ' '))
		base--;
	bool listed = is_common(low);
	if (!listed && base >= 4 && base < len) {
		char b[1001];
		memcpy(b, low, base);
		b[base] = '\0';
		listed = is_common(b);
	}
	if (same || listed)
		return N_("This password is on the list of passwords that are tried first. Choose another one.");
	char mine[320];
	for (int k = 0; k < 3; k++) {
		const char *w = k == 0 ? email : k == 1 ? name : NULL;
		if (k == 2 && email && strchr(email, '@')) { /* the e-mail address's name part */
			size_t n = (size_t)(strchr(email, '@') - email);
			snprintf(mine, sizeof mine, "%.*s", (int)n, email);
			w = mine;
		} else if (w) {
			snprintf(mine, sizeof mine, "%s", w);
			w = mine;
		}
		if (!w || strlen(w) < 4)
			continue;
		text_ascii_lower(mine);
		if (strstr(low, mine) && strlen(mine) * 2 >= len)
			return N_("Your password may not be (mostly) your name or e-mail address.");
	}
	return NULL;
}

/* ---- sign-in throttle ----
 * Counts failures in fixed 15-minute windows, in one small table keyed by
 * kind: per IP, per account, and per (account, IP). A correct password
 * from an IP without recent failures always passes, so an attacker cannot
 * lock the owner out; a guessing IP meets, in this order:
 *   - per IP: after SI_IP_MAX failures (any accounts) it waits out its window;
 *   - per (account, IP): after SI_PAIR_MAX failures, likewise;
 *   - per account: after SI_ACCOUNT_SOFT failures from anywhere, each
 *     further attempt from an IP with failures waits 1, 2, 4 … up to
 *     SI_DELAY_MAX seconds after the account's last failure: a slowdown,
 *     not a lock. */
enum { SI_WINDOW = 900, SI_IP_MAX = 30, SI_PAIR_MAX = 5, SI_ACCOUNT_SOFT = 5,
       SI_DELAY_MAX = 60, SI_BUCKETS = 4096, SI_MAX_ENTRIES = 300000 };

typedef struct si_entry {
	char            *key;
	int64_t          start, last;
	unsigned         fails;
	struct si_entry *next;
} si_entry;

static si_entry       *si_table[SI_BUCKETS];
static unsigned        si_size;
static pthread_mutex_t si_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t       (*si_clock)(void);

void auth_clock_set(int64_t (*now)(void)) { si_clock = now; }
static int64_t si_now(void) { return si_clock ? si_clock() : (int64_t)time(NULL); }

static unsigned si_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % SI_BUCKETS;
}

/* The live entry for key, created when create; NULL when none (or the
 * table is full). Called with si_lock held; drops expired entries. */
static si_entry *si_get(const char *key, int64_t now, bool create)
{
	si_entry **pp = &si_table[si_hash(key)];
	si_entry *found = NULL;
	while (*pp) {
		si_entry *e = *pp;
		if (now - e->start >= SI_WINDOW) {
			*pp = e->next;
			free(e->key);
			free(e);
			si_size--;
			continue;
		}
		if (!strcmp(e->key, key))
			found = e;
		pp = &e->next;
	}
	if (found || !create || si_size >= SI_MAX_ENTRIES)
		return found;
	si_entry *e = calloc(1, sizeof *e);
	if (!e || !(e->key = strdup(key))) {
		free(e);
		return NULL;
	}
	e->start = now;
	e->next = si_table[si_hash(key)];
	si_table[si_hash(key)] = e;
	si_size++;
	return e;
}

/* The three keys; account lower-cased. */
static void si_keys(const char *account, const char *ip, char k[3][400])
{
	char acc[300];
	snprintf(acc, sizeof acc, "%s", account ? account : "");
	text_ascii_lower(acc);
	snprintf(k[0], 400, "i|%s", ip ? ip : "");
	snprintf(k[1], 400, "a|%s", acc);
	snprintf(k[2], 400, "p|%s|%s", acc, ip ? ip : "");
}

unsigned auth_signin_allowed(const char *account, const char *ip)
{
	char k[3][400];
	si_keys(account, ip, k);
	int64_t now = si_now(), wait = 0;
	pthread_mutex_lock(&si_lock);
	si_entry *by_ip = si_get(k[0], now, false);
	if (by_ip && by_ip->fails > 0) { /* only an IP with recent failures is held back */
		si_entry *pair = si_get(k[2], now, false), *acc = si_get(k[1], now, false);
		if (by_ip->fails >= SI_IP_MAX)
			wait = by_ip->start + SI_WINDOW - now;
		if (pair && pair->fails >= SI_PAIR_MAX && pair->start + SI_WINDOW - now > wait)
			wait = pair->start + SI_WINDOW - now;
		if (acc && acc->fails >= SI_ACCOUNT_SOFT) {
			unsigned x = acc->fails - SI_ACCOUNT_SOFT;
			int64_t delay = x >= 6 ? SI_DELAY_MAX : (int64_t)1 << x;
			if (delay > SI_DELAY_MAX)
				delay = SI_DELAY_MAX;
			if (acc->last + delay - now > wait)
				wait = acc->last + delay - now;
		}
	}
	pthread_mutex_unlock(&si_lock);
	return wait > 0 ? (unsigned)wait : 0;
}

void auth_signin_failed(const char *account, const char *ip)
{
	char k[3][400];
	si_keys(account, ip, k);
	int64_t now = si_now();
	pthread_mutex_lock(&si_lock);
	for (int i = 0; i < 3; i++) {
		si_entry *e = si_get(k[i], now, true);
		if (e) {
			e->fails++;
			e->last = now;
		}
	}
	pthread_mutex_unlock(&si_lock);
}

void auth_signin_succeeded(const char *account, const char *ip)
{
	char k[3][400];
	si_keys(account, ip, k);
	int64_t now = si_now();
	pthread_mutex_lock(&si_lock);
	si_entry *pair = si_get(k[2], now, false);
	if (pair)
		pair->fails = 0; /* this IP guessed right: its own slate is clean */
	pthread_mutex_unlock(&si_lock);
}

void auth_signin_reset(void)
{
	pthread_mutex_lock(&si_lock);
	for (unsigned b = 0; b < SI_BUCKETS; b++)
		while (si_table[b]) {
			si_entry *e = si_table[b];
			si_table[b] = e->next;
			free(e->key);
			free(e);
		}
	si_size = 0;
	pthread_mutex_unlock(&si_lock);
}

char *auth_token(arena *a)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	size_t n = sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, n);
	if (out)
		sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

char *auth_token_hash(arena *a, const char *token)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	char *out = arena_alloc(a, sizeof h * 2 + 1);
	if (out)
		sodium_bin2hex(out, sizeof h * 2 + 1, h, sizeof h);
	return out;
}

int auth_sign_in(app_req *q, int64_t user_id)
{
	char *token = auth_token(q->a);
	char *hash = token ? auth_token_hash(q->a, token) : NULL;
	if (!hash)
		return -1;
	long ttl = q->app->cfg.session_ttl;
	if (store_session_create(q->app->db, hash, user_id, (int64_t)time(NULL) + ttl) != STORE_OK)
		return -1;
	/* A signed-out session, if any, ends here: no fixation. */
	if (q->session_hash)
		store_session_delete(q->app->db, q->session_hash);
	q->session_hash = hash;
	http_set_cookie(q->r, q->s, "op_session", token, ttl, q->app->cfg.https);
	/* From now on forms carry the token bound to this session. */
	auth_csrf_publish(q, auth_csrf_token_for(q->a, hash));
	return 0;
}

void auth_sign_out(app_req *q)
{
	if (q->session_hash)
		store_session_delete(q->app->db, q->session_hash);
	q->session_hash = NULL;
	q->me = NULL;
	http_set_cookie(q->r, q->s, "op_session", "", 0, q->app->cfg.https);
	/* Back to the token bound to the anonymous pre-session cookie. */
	auth_csrf_ensure(q);
}

/* ---- CSRF tokens bound to the session ----
 * The token is HMAC-SHA-256(server key, "csrf|" binding), base64url: the
 * binding is the session (its token's hash) when signed in, else the
 * anonymous pre-session cookie op_pre. The op_csrf cookie only mirrors the
 * current token for clients that read it; the check never trusts it, so a
 * cookie planted by someone else
 * (a sibling subdomain can set cookies) no longer passes by itself: the
 * form must carry the HMAC of it, which only this server can make. The key
 * is random per process unless auth_csrf_key_set gives one (several nodes,
 * or forms that survive a restart, need the same key everywhere). */
static unsigned char  csrf_key[crypto_auth_hmacsha256_KEYBYTES];
static pthread_once_t csrf_once = PTHREAD_ONCE_INIT;
static bool           csrf_key_given;

static void csrf_key_init(void)
{
	if (!csrf_key_given)
		crypto_auth_hmacsha256_keygen(csrf_key);
}

void auth_csrf_key_set(const unsigned char *key, size_t len)
{
	crypto_generichash(csrf_key, sizeof csrf_key, key, len, (const unsigned char *)"openplan-csrf", 13);
	csrf_key_given = true;
	pthread_once(&csrf_once, csrf_key_init);
}

char *auth_csrf_token_for(arena *a, const char *binding)
{
	if (!binding || strlen(binding) < 32)
		return NULL;
	pthread_once(&csrf_once, csrf_key_init);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, csrf_key, sizeof csrf_key);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"csrf|", 5);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)binding, strlen(binding));
	crypto_auth_hmacsha256_final(&st, mac);
	size_t n = sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, n);
	if (out)
		sodium_bin2base64(out, n, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* The anonymous binding: the op_pre cookie as sent, or the one this
 * response sets (q->pre). */
static const char *pre_session(app_req *q)
{
	if (q->pre)
		return q->pre;
	const char *b = http_cookie(q->r, "op_pre");
	return b && strlen(b) >= 32 && strlen(b) <= 64 ? b : NULL;
}

char *auth_csrf_token(app_req *q)
{
	return auth_csrf_token_for(q->a, q->session_hash ? q->session_hash : pre_session(q));
}

void auth_csrf_publish(app_req *q, const char *token)
{
	if (!token)
		return;
	q->csrf = token;
	const char *mirror = http_cookie(q->r, "op_csrf");
	if (!mirror || strcmp(mirror, token) != 0)
		http_set_cookie(q->r, q->s, "op_csrf", token, 365L * 86400, q->app->cfg.https);
}

void auth_csrf_ensure(app_req *q)
{
	if (!q->session_hash && !pre_session(q)) {
		q->pre = auth_token(q->a);
		if (q->pre)
			http_set_cookie(q->r, q->s, "op_pre", q->pre, 365L * 86400, q->app->cfg.https);
	}
	auth_csrf_publish(q, auth_csrf_token(q));
}

bool auth_csrf_check(app_req *q)
{
	const char *sent = http_form(q->r, "_csrf");
	if (!sent)
		sent = http_header(q->r, "X-CSRF-Token");
	const char *want = auth_csrf_token(q);
	if (!sent || !want)
		return false;
	size_t n = strlen(want);
	if (strlen(sent) != n)
		return false;
	return sodium_memcmp(want, sent, n) == 0;
}

/* ---- rate limiter: fixed windows in a small open-hashing table ---- */
typedef struct rl_entry {
	char            *key;
	time_t           window_start;
	unsigned         window_s;
	unsigned         hits;
	struct rl_entry *next;
} rl_entry;

enum { RL_BUCKETS = 4096 };
static rl_entry       *rl_table[RL_BUCKETS];
static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned        rl_size;

static unsigned rl_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % RL_BUCKETS;
}

/* Drops expired entries of one bucket; called with the lock held. */
static void rl_sweep(unsigned b, time_t now)
{
	rl_entry **pp = &rl_table[b];
	while (*pp) {
		rl_entry *e = *pp;
		if (now - e->window_start >= (time_t)e->window_s) {
			*pp = e->next;
			free(e->key);
			free(e);
			rl_size--;
		} else {
			pp = &e->next;
		}
	}
}

bool ratelimit_hit(const char *key, unsigned limit, unsigned window_s)
{
	time_t now = time(NULL);
	unsigned b = rl_hash(key);
	pthread_mutex_lock(&rl_lock);
	rl_sweep(b, now);
	rl_entry *e = rl_table[b];
	while (e && strcmp(e->key, key) != 0)
		e = e->next;
	if (!e && rl_size < 1000000) {
		e = calloc(1, sizeof *e);
		if (e && !(e->key = strdup(key))) {
			free(e);
			e = NULL;
		}
		if (e) {
			e->window_start = now;
			e->window_s = window_s;
			e->next = rl_table[b];
			rl_table[b] = e;
			rl_size++;
		}
	}
	bool ok = true;
	if (e) {
		if (e->hits >= limit)
			ok = false;
		else
			e->hits++;
	}
	pthread_mutex_unlock(&rl_lock);
	return ok;
}

void ratelimit_reset(const char *key)
{
	unsigned b = rl_hash(key);
	pthread_mutex_lock(&rl_lock);
	for (rl_entry *e = rl_table[b]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			e->hits = 0;
	pthread_mutex_unlock(&rl_lock);
}

void ratelimit_free(void)
{
	pthread_mutex_lock(&rl_lock);
	for (unsigned b = 0; b < RL_BUCKETS; b++) {
		rl_entry *e = rl_table[b];
		while (e) {
			rl_entry *next = e->next;
			free(e->key);
			free(e);
			e = next;
		}
		rl_table[b] = NULL;
	}
	rl_size = 0;
	pthread_mutex_unlock(&rl_lock);
}
