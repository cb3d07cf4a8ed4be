/* auth.c — passwords (argon2id through libsodium), session and CSRF
 * tokens, signing in and out, and the in-memory rate limiter used by
 * sign-in, sign-up and other submissions.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"

int auth_hash_password(const char *password, char out[128])
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return -1; /* out of memory */
	return 0;
}

bool auth_check_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
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
	/* A fresh CSRF token for the signed-in session. */
	char *csrf = auth_token(q->a);
	if (csrf) {
		q->csrf = csrf;
		http_set_cookie(q->r, q->s, "op_csrf", csrf, 365L * 86400, q->app->cfg.https);
	}
	return 0;
}

void auth_sign_out(app_req *q)
{
	if (q->session_hash)
		store_session_delete(q->app->db, q->session_hash);
	q->session_hash = NULL;
	q->me = NULL;
	http_set_cookie(q->r, q->s, "op_session", "", 0, q->app->cfg.https);
}

/* Double-submit: the form's token must equal the cookie's, compared in
 * constant time. The cookie is HttpOnly and SameSite=Lax, so another site
 * can neither read it nor make the browser send it with a POST. */
bool auth_csrf_ok(app_req *q)
{
	const char *cookie = http_cookie(q->r, "op_csrf");
	const char *sent = http_form(q->r, "_csrf");
	if (!sent)
		sent = http_header(q->r, "X-CSRF-Token");
	if (!cookie || !sent)
		return false;
	size_t n = strlen(cookie);
	if (n < 32 || n != strlen(sent))
		return false;
	return sodium_memcmp(cookie, sent, n) == 0;
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
