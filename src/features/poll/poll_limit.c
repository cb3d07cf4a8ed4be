/* poll_limit.c — who a participant is, and how much one network may do.
 * A participant is a random id in a cookie signed with HMAC-SHA256 under a
 * server secret kept in the meta table; forged cookies are refused. A
 * network is the client's IPv4 address or IPv6 /64, kept only as a keyed
 * hash. Per address, in fixed ten-minute windows: wrong codes (so codes
 * cannot be guessed), and new participants (so one machine cannot mint
 * cookies without end). Per question and network the store counts the
 * participants who answered (poll_store_vote); poll_net_cap says how many
 * may: a room's worth, or a hall's for the hall's network. The counters
 * here are a fixed table (no allocation per address); one process each,
 * which docs/polls-api.md says.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "poll.h"

/* ---- the server secret ---- */

static pthread_mutex_t secret_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char   secret[crypto_auth_hmacsha256_KEYBYTES];
static bool            have_secret;

static bool load_secret(app *ap)
{
	pthread_mutex_lock(&secret_mu);
	if (!have_secret) {
		arena a;
		arena_init(&a, 1u << 16);
		const char *hex = NULL;
		store_rc rc = store_meta_get(ap->db, &a, "poll_secret", &hex);
		if (rc == STORE_OK && hex && strlen(hex) == 2 * sizeof secret) {
			have_secret = sodium_hex2bin(secret, sizeof secret, hex, strlen(hex), NULL, NULL,
			                             NULL) == 0;
		} else if (rc == STORE_NOTFOUND) {
			/* Nodes that start together keep the first one made. */
			char buf[2 * sizeof secret + 1];
			randombytes_buf(secret, sizeof secret);
			sodium_bin2hex(buf, sizeof buf, secret, sizeof secret);
			have_secret = store_meta_init(ap->db, &a, "poll_secret", buf, &hex) == STORE_OK &&
			              strlen(hex) == 2 * sizeof secret &&
			              sodium_hex2bin(secret, sizeof secret, hex, strlen(hex), NULL, NULL,
			                             NULL) == 0;
		}
		arena_free(&a);
	}
	bool ok = have_secret;
	pthread_mutex_unlock(&secret_mu);
	return ok;
}

static void mac_hex(const char *msg, size_t len, char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, len, secret);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

/* ---- the participant cookie ---- */

const char *poll_cookie_new(app *ap, arena *a)
{
	if (!load_secret(ap))
		return NULL;
	unsigned char raw[16];
	char id[33], mac[65];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(id, sizeof id, raw, sizeof raw);
	mac_hex(id, 32, mac);
	return arena_printf(a, "%s.%s", id, mac);
}

const char *poll_cookie_check(app *ap, arena *a, const char *cookie)
{
	if (!cookie || strlen(cookie) != 32 + 1 + 64 || cookie[32] != '.')
		return NULL;
	for (int i = 0; i < 32; i++)
		if (!((cookie[i] >= '0' && cookie[i] <= '9') || (cookie[i] >= 'a' && cookie[i] <= 'f')))
			return NULL;
	if (!load_secret(ap))
		return NULL;
	char mac[65];
	mac_hex(cookie, 32, mac);
	if (sodium_memcmp(mac, cookie + 33, 64) != 0)
		return NULL;
	return arena_strndup(a, cookie, 32);
}

/* ---- networks ---- */

/* The network an address belongs to, as bytes: IPv4 whole, IPv6 its first
 * 64 bits (a device may take any address in its /64; a venue's devices
 * share one). Returns the length, 0 when ip is not an address. */
static size_t net_bytes(const char *ip, unsigned char out[17])
{
	struct in_addr v4;
	struct in6_addr v6;
	if (ip && inet_pton(AF_INET, ip, &v4) == 1) {
		out[0] = 4;
		memcpy(out + 1, &v4, 4);
		return 5;
	}
	if (ip && inet_pton(AF_INET6, ip, &v6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&v6)) {
			out[0] = 4;
			memcpy(out + 1, v6.s6_addr + 12, 4);
			return 5;
		}
		out[0] = 6;
		memcpy(out + 1, v6.s6_addr, 8);
		return 9;
	}
	return 0;
}

const char *poll_net(app *ap, arena *a, const char *ip)
{
	unsigned char nb[17] = { 0 };
	size_t len = net_bytes(ip, nb);
	if (!len) {
		/* Not an address (a test's socket): one network of its own. */
		nb[0] = 0;
		len = 1;
	}
	if (!load_secret(ap))
		return NULL;
	char mac[65];
	char msg[32] = "net:";
	memcpy(msg + 4, nb, len);
	mac_hex(msg, 4 + len, mac);
	return arena_strndup(a, mac, 16);
}

/* ---- configuration ---- */

static poll_limits     limits;
static pthread_once_t  limits_once = PTHREAD_ONCE_INIT;

static long long env_num(const char *name, long long def, long long lo, long long hi)
{
	const char *v = getenv(name);
	char *end;
	long long n = v && *v ? strtoll(v, &end, 10) : def;
	if (v && *v && (*end || n < lo || n > hi)) {
		fprintf(stderr, "level=warn msg=\"%s=%s is not a number from %lld to %lld; using %lld\"\n",
		        name, v, lo, hi, def);
		n = def;
	}
	return n;
}

static void limits_read(void)
{
	limits.code_misses = (unsigned)env_num("OPENPLAN_POLL_CODE_LIMIT", 60, 1, 1000000);
	limits.joins = (unsigned)env_num("OPENPLAN_POLL_JOIN_LIMIT", 3000, 1, 10000000);
	limits.net_voters = env_num("OPENPLAN_POLL_NET_VOTERS", 60, 1, 10000000);
	limits.hall_voters = env_num("OPENPLAN_POLL_HALL_VOTERS", 3000, 1, 10000000);
	if (limits.hall_voters < limits.net_voters)
		limits.hall_voters = limits.net_voters;
}

const poll_limits *poll_limits_get(void)
{
	pthread_once(&limits_once, limits_read);
	return &limits;
}

int64_t poll_net_cap(const poll *p, const char *net)
{
	const poll_limits *l = poll_limits_get();
	bool hall = p->shared_network || (net && p->hall_net && *p->hall_net &&
	                                  !strcmp(net, p->hall_net));
	return hall ? l->hall_voters : l->net_voters;
}

/* ---- counters per address ----
 * A fixed table of fixed windows, keyed by a hash of (what, network). A
 * full neighbourhood gives its oldest slot to the newcomer: under a flood
 * of addresses a counter may restart early, never grow memory. */
enum { SLOTS = 16384, PROBE = 8 };
typedef struct slot {
	uint64_t key;
	int64_t  window;  /* the window's number (time / POLL_LIMIT_WINDOW) */
	uint32_t hits;
} slot;
static slot            table[SLOTS];
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;

static uint64_t slot_key(char what, const char *ip)
{
	unsigned char nb[17] = { 0 };
	size_t len = net_bytes(ip, nb);
	unsigned char h[8];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)&what, 1);
	crypto_generichash_update(&st, nb, len ? len : 1);
	crypto_generichash_final(&st, h, sizeof h);
	uint64_t k;
	memcpy(&k, h, sizeof k);
	return k ? k : 1;
}

/* Adds add (0: only looks) to the counter of (what, ip); true while it is
 * below limit (before adding). */
static bool count(char what, const char *ip, unsigned limit, unsigned add)
{
	uint64_t key = slot_key(what, ip);
	int64_t now = (int64_t)time(NULL) / POLL_LIMIT_WINDOW;
	pthread_mutex_lock(&table_mu);
	slot *found = NULL, *oldest = NULL;
	for (unsigned i = 0; i < PROBE && !found; i++) {
		slot *s = &table[(key + i) % SLOTS];
		if (s->key == key)
			found = s;
		else if (!oldest || s->window < oldest->window)
			oldest = s;
	}
	if (!found) {
		found = oldest;
		*found = (slot){ key, now, 0 };
	}
	if (found->window != now)
		*found = (slot){ key, now, 0 };
	bool ok = found->hits < limit;
	if (ok)
		found->hits += add;
	pthread_mutex_unlock(&table_mu);
	return ok;
}

bool poll_limit_code_ok(app_req *q)
{
	return count('c', q->r->client_ip, poll_limits_get()->code_misses, 0);
}

void poll_limit_code_miss(app_req *q)
{
	count('c', q->r->client_ip, poll_limits_get()->code_misses, 1);
}

bool poll_limit_join(app_req *q)
{
	return count('j', q->r->client_ip, poll_limits_get()->joins, 1);
}
