/* guard.c — what keeps many or slow clients from wearing the server down:
 *   - the descriptor limit raised at start, and the connection limit kept
 *     below it with headroom (database, logs, temporary export files);
 *   - open connections per client address (the accept policy), with the
 *     loopback address and the trusted proxy exempt;
 *   - a deadline to receive a whole request, counted from its first byte:
 *     libmicrohttpd's idle timeout is reset by every byte, so a client that
 *     trickles one byte a second could hold a connection for ever. A
 *     sweeper thread wakes once a second and shuts down the sockets of
 *     connections past the deadline (libmicrohttpd then closes them);
 *     under pressure (three quarters of the connection limit in use) the
 *     deadline shrinks to five seconds;
 *   - the budget of memory that request bodies being received may hold.
 * Connections whose request has been read (pages being sent, event
 * streams) are not timed here.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { IP_BUCKETS = 4096, FD_HEADROOM = 256 };

typedef struct ip_count {
	unsigned char    addr[16];
	unsigned         len;
	unsigned         n;
	struct ip_count *next;
} ip_count;

typedef struct tracked {
	struct guard    *g;
	int              fd;
	unsigned char    addr[16];
	unsigned         alen;
	bool             reading;   /* a request is being received */
	bool             cut;       /* shut down by the sweeper */
	time_t           since;     /* when it began (monotonic seconds) */
	struct tracked  *prev, *next;
} tracked;

struct guard {
	http_server    *srv;
	pthread_mutex_t mu;
	pthread_cond_t  wake;
	pthread_t       sweeper;
	bool            stop, running;
	unsigned        per_ip, read_timeout, conn_limit, open;
	ip_count       *ips[IP_BUCKETS];
	tracked        *conns;
	unsigned char   proxy[16];
	unsigned        proxy_len;
};

static time_t mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

unsigned guard_nofile(unsigned wanted)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		fprintf(stderr, "level=warn msg=\"cannot read the descriptor limit; "
		        "up to %u connections\"\n", wanted);
		return wanted;
	}
	rlim_t before = rl.rlim_cur;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t want = rl.rlim_max;
		if (want == RLIM_INFINITY || want > 1048576)
			want = 1048576;
		if (want > rl.rlim_cur) {
			struct rlimit nl = { want, rl.rlim_max };
			if (setrlimit(RLIMIT_NOFILE, &nl) == 0)
				rl.rlim_cur = want;
		}
	}
	unsigned long long have = rl.rlim_cur == RLIM_INFINITY ? 1048576ull : (unsigned long long)rl.rlim_cur;
	unsigned long long room = have > 2 * FD_HEADROOM ? have - FD_HEADROOM : have / 2;
	unsigned limit = room < wanted ? (unsigned)room : wanted;
	if (rl.rlim_cur > before)
		fprintf(stderr, "level=info msg=\"descriptor limit raised from %llu to %llu; "
		        "up to %u connections\"\n", (unsigned long long)before, have, limit);
	else if (limit < wanted)
		fprintf(stderr, "level=warn msg=\"cannot raise the descriptor limit above %llu "
		        "(hard limit %llu); up to %u connections instead of %u\"\n", have,
		        rl.rlim_max == RLIM_INFINITY ? 0ull : (unsigned long long)rl.rlim_max, limit,
		        wanted);
	else
		fprintf(stderr, "level=info msg=\"descriptor limit %llu; up to %u connections\"\n",
		        have, limit);
	return limit;
}

/* The address bytes of sa (4 or 16); 0 when another family. */
static unsigned addr_bytes(const struct sockaddr *sa, unsigned char out[16])
{
	if (sa->sa_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 4;
	}
	if (sa->sa_family == AF_INET6) {
		memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return 16;
	}
	return 0;
}

static bool exempt(const guard *g, const unsigned char *a, unsigned len)
{
	static const unsigned char lo4[4] = { 127, 0, 0, 1 };
	static const unsigned char lo6[16] = { [15] = 1 };
	if ((len == 4 && !memcmp(a, lo4, 4)) || (len == 16 && !memcmp(a, lo6, 16)))
		return true;
	return g->proxy_len == len && !memcmp(g->proxy, a, len);
}

static unsigned ip_hash(const unsigned char *a, unsigned len)
{
	unsigned h = 2166136261u;
	for (unsigned i = 0; i < len; i++)
		h = (h ^ a[i]) * 16777619u;
	return h % IP_BUCKETS;
}

/* Called with g->mu held. */
static ip_count **ip_find(guard *g, const unsigned char *a, unsigned len)
{
	ip_count **pp = &g->ips[ip_hash(a, len)];
	while (*pp && ((*pp)->len != len || memcmp((*pp)->addr, a, len)))
		pp = &(*pp)->next;
	return pp;
}

enum MHD_Result guard_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)len;
	guard *g = cls;
	unsigned char a[16];
	unsigned n = addr_bytes(addr, a);
	if (n == 0 || exempt(g, a, n))
		return MHD_YES;
	pthread_mutex_lock(&g->mu);
	ip_count *c = *ip_find(g, a, n);
	bool ok = !c || c->n < g->per_ip;
	pthread_mutex_unlock(&g->mu);
	return ok ? MHD_YES : MHD_NO;
}

static void *sweep(void *arg)
{
	guard *g = arg;
	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&g->wake, &g->mu, &ts);
		if (g->stop)
			break;
		time_t now = mono_s();
		unsigned limit = g->read_timeout;
		if (g->open * 4 >= g->conn_limit * 3 && limit > 5)
			limit = 5;
		for (tracked *t = g->conns; t; t = t->next)
			if (t->reading && !t->cut && now - t->since >= (time_t)limit) {
				/* The descriptor stays libmicrohttpd's: it sees the
				 * end of the stream and closes it (CLOSED removes t,
				 * under this lock, before the descriptor is closed). */
				shutdown(t->fd, SHUT_RDWR);
				t->cut = true;
			}
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

guard *guard_new(http_server *srv, unsigned per_ip, unsigned read_timeout_s, unsigned conn_limit)
{
	guard *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->srv = srv;
	g->per_ip = per_ip;
	g->read_timeout = read_timeout_s;
	g->conn_limit = conn_limit;
	const char *p = srv->cfg.trusted_proxy;
	if (p && *p) {
		if (inet_pton(AF_INET, p, g->proxy) == 1)
			g->proxy_len = 4;
		else if (inet_pton(AF_INET6, p, g->proxy) == 1)
			g->proxy_len = 16;
	}
	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_cond_init(&g->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&g->sweeper, NULL, sweep, g) != 0) {
		guard_free(g);
		return NULL;
	}
	g->running = true;
	return g;
}

void guard_free(guard *g)
{
	if (!g)
		return;
	if (g->running) {
		pthread_mutex_lock(&g->mu);
		g->stop = true;
		pthread_cond_signal(&g->wake);
		pthread_mutex_unlock(&g->mu);
		pthread_join(g->sweeper, NULL);
	}
	for (unsigned b = 0; b < IP_BUCKETS; b++)
		while (g->ips[b]) {
			ip_count *c = g->ips[b];
			g->ips[b] = c->next;
			free(c);
		}
	while (g->conns) {
		tracked *t = g->conns;
		g->conns = t->next;
		free(t);
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                  enum MHD_ConnectionNotificationCode code)
{
	guard *g = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		tracked *t = calloc(1, sizeof *t);
		if (!t)
			return; /* untracked: only libmicrohttpd's idle timeout applies */
		const union MHD_ConnectionInfo *fi =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ai =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		t->g = g;
		t->fd = fi ? fi->connect_fd : -1;
		t->alen = ai && ai->client_addr ? addr_bytes(ai->client_addr, t->addr) : 0;
		t->reading = t->fd >= 0;
		t->since = mono_s();
		pthread_mutex_lock(&g->mu);
		t->next = g->conns;
		if (g->conns)
			g->conns->prev = t;
		g->conns = t;
		g->open++;
		if (t->alen && !exempt(g, t->addr, t->alen)) {
			ip_count **pp = ip_find(g, t->addr, t->alen);
			if (!*pp && (*pp = calloc(1, sizeof **pp))) {
				memcpy((*pp)->addr, t->addr, t->alen);
				(*pp)->len = t->alen;
			}
			if (*pp)
				(*pp)->n++;
			else
				t->alen = 0; /* not counted, so not uncounted either */
		}
		pthread_mutex_unlock(&g->mu);
		*socket_context = t;
		return;
	}
	tracked *t = *socket_context;
	if (code != MHD_CONNECTION_NOTIFY_CLOSED || !t)
		return;
	pthread_mutex_lock(&g->mu);
	if (t->prev)
		t->prev->next = t->next;
	else
		g->conns = t->next;
	if (t->next)
		t->next->prev = t->prev;
	g->open--;
	if (t->alen && !exempt(g, t->addr, t->alen)) {
		ip_count **pp = ip_find(g, t->addr, t->alen);
		if (*pp && --(*pp)->n == 0) {
			ip_count *dead = *pp;
			*pp = dead->next;
			free(dead);
		}
	}
	pthread_mutex_unlock(&g->mu);
	free(t);
	*socket_context = NULL;
}

void guard_reading(struct MHD_Connection *c, bool done)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	tracked *t = ci ? ci->socket_context : NULL;
	if (!t)
		return;
	pthread_mutex_lock(&t->g->mu);
	t->reading = !done && t->fd >= 0;
	t->since = mono_s();
	pthread_mutex_unlock(&t->g->mu);
}

bool guard_body_take(http_server *srv, size_t n)
{
	size_t cur = atomic_load(&srv->body_bytes);
	do {
		if (cur + n > srv->bodies_limit || cur + n < cur)
			return false;
	} while (!atomic_compare_exchange_weak(&srv->body_bytes, &cur, cur + n));
	return true;
}

void guard_body_give(http_server *srv, size_t n)
{
	if (n)
		atomic_fetch_sub(&srv->body_bytes, n);
}
