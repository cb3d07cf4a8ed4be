/* polls_load.c — load tool for live polls (make bench-polls). One thread,
 * epoll, non-blocking sockets:
 *   1. signs in as an organiser, creates a self-paced poll with enough
 *      single-choice questions that every vote is a new (participant,
 *      question) pair, opens it (blocking HTTP, before the clock starts);
 *   2. connects N participants to the poll's event stream (each gets its
 *      signed participant cookie from the stream's response) and one
 *      presenter stream;
 *   3. casts R votes per second for S seconds over the JSON API, on a pool
 *      of keep-alive connections, each vote for the next participant;
 *   4. measures vote-to-screen delay: the time from sending a vote until
 *      the presenter's stream shows a count that includes it;
 *   5. checks the server's report: every vote answered 200 must be counted.
 * Ends with one line:
 *   participants=N votes_sent=N votes_counted=N p50_ms=X p99_ms=X rss_mb=X
 * and exits 1 when a vote was lost (or refused), 2 on bad usage or setup.
 *
 *   polls_load --url http://127.0.0.1:8080 --email E --password P
 *              [--participants N] [--seconds S] [--rate R] [--server-pid PID]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { VOTE_CONNS = 64, MAXQ = 400 };

static struct sockaddr_in addr;
static char host[128];

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *msg)
{
	fprintf(stderr, "polls_load: %s\n", msg);
	exit(2);
}

/* ---- a growing buffer ---- */
typedef struct buf { char *p; size_t len, cap; } buf;

static void buf_add(buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			die("out of memory");
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_drop(buf *b, size_t n)
{
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
	b->p[b->len] = '\0';
}

static int connect_to(bool nonblock)
{
	int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- blocking HTTP for setup (Connection: close) ---- */
typedef struct resp { int status; buf head, body; } resp;

static char cookies[1024]; /* "op_csrf=…; op_session=…" */

static void take_cookies(const char *head, char *jar, size_t jarlen)
{
	for (const char *p = head; (p = strcasestr(p, "\nSet-Cookie: ")); ) {
		p += 13;
		const char *eq = strchr(p, '='), *end = strpbrk(p, ";\r\n");
		if (!eq || !end || eq > end)
			continue;
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
		/* replace or append name=value */
		char out[1024] = "";
		char *save = NULL, copy[1024];
		snprintf(copy, sizeof copy, "%s", jar);
		for (char *c = strtok_r(copy, "; ", &save); c; c = strtok_r(NULL, "; ", &save))
			if (strncmp(c, name, strlen(name)) || c[strlen(name)] != '=')
				snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", *out ? "; " : "", c);
		if (end > eq + 1)
			snprintf(out + strlen(out), sizeof out - strlen(out), "%s%.*s", *out ? "; " : "",
			         (int)(end - p), p);
		snprintf(jar, jarlen, "%s", out);
	}
}

static const char *jar_get(const char *jar, const char *name, char *out, size_t n)
{
	const char *p = jar;
	size_t nl = strlen(name);
	while ((p = strstr(p, name))) {
		if ((p == jar || p[-1] == ' ') && p[nl] == '=') {
			const char *e = strchr(p, ';');
			int len = e ? (int)(e - p - (long)nl - 1) : (int)strlen(p + nl + 1);
			snprintf(out, n, "%.*s", len, p + nl + 1);
			return out;
		}
		p += nl;
	}
	return NULL;
}

static resp http(const char *method, const char *path, const char *ctype, const char *body)
{
	resp r = { 0 };
	int fd = connect_to(false);
	if (fd < 0)
		die("cannot connect to the server");
	char csrf[128] = "";
	jar_get(cookies, "op_csrf", csrf, sizeof csrf);
	char req[8192];
	int n = snprintf(req, sizeof req,
	                 "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nAccept: application/json\r\n"
	                 "Cookie: %s\r\nX-CSRF-Token: %s\r\n%s%s%sContent-Length: %zu\r\n\r\n%s",
	                 method, path, host, cookies, csrf, ctype ? "Content-Type: " : "",
	                 ctype ? ctype : "", ctype ? "\r\n" : "", body ? strlen(body) : 0,
	                 body ? body : "");
	if (write(fd, req, (size_t)n) != n)
		die("cannot send a request");
	buf all = { 0 };
	char tmp[65536];
	ssize_t k;
	while ((k = read(fd, tmp, sizeof tmp)) > 0)
		buf_add(&all, tmp, (size_t)k);
	close(fd);
	if (!all.p || sscanf(all.p, "HTTP/1.%*d %d", &r.status) != 1)
		die("no answer from the server");
	char *sep = strstr(all.p, "\r\n\r\n");
	if (!sep)
		die("a malformed answer");
	buf_add(&r.head, all.p, (size_t)(sep - all.p + 2));
	/* Bodies are chunked or plain; setup answers are small JSON. */
	const char *b = sep + 4;
	if (strcasestr(r.head.p, "Transfer-Encoding: chunked")) {
		while (*b) {
			size_t len = strtoul(b, NULL, 16);
			b = strstr(b, "\r\n");
			if (!len || !b)
				break;
			buf_add(&r.body, b + 2, len);
			b += 2 + len + 2;
		}
	} else {
		buf_add(&r.body, b, strlen(b));
	}
	if (!r.body.p)
		buf_add(&r.body, "", 0);
	take_cookies(r.head.p, cookies, sizeof cookies);
	free(all.p);
	return r;
}

static void resp_free(resp *r)
{
	free(r->head.p);
	free(r->body.p);
}

static char *urlenc(const char *s)
{
	static char out[4096];
	size_t j = 0;
	for (; *s && j < sizeof out - 4; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')
			out[j++] = (char)c;
		else
			j += (size_t)snprintf(out + j, 4, "%%%02X", c);
	}
	out[j] = '\0';
	return out;
}

/* ---- the load ---- */

typedef enum { C_SSE_PART, C_SSE_PRES, C_VOTE } ckind;

typedef struct conn {
	int     fd;
	ckind   kind;
	bool    connected, headers_done, busy, chunked;
	buf     out, in;
	size_t  out_off;
	char    cookie[640];   /* participant: op_poll=…; op_csrf=…; op_pre=… */
	char    csrf[200];
	int     status;
	size_t  chunk_left;
	buf     payload;       /* de-chunked stream bytes */
} conn;

typedef struct question { long long id, option; size_t sent, seen; double *t_sent; } question;

static int           ep;
static conn         *parts;
static size_t        nparts, connected_parts, failed_parts;
static conn          pres, votes[VOTE_CONNS];
static question      qs[MAXQ];
static size_t        nq;
static char          code[16];
static unsigned long votes_ok, votes_err, votes_inflight;
static double       *lat;
static size_t        nlat, caplat;
static long long     pres_total;

static void watch(conn *c, uint32_t ev, int op)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };
	epoll_ctl(ep, op, c->fd, &e);
}

static void conn_send(conn *c, const char *s, size_t n)
{
	buf_add(&c->out, s, n);
	watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
}

static void open_conn(conn *c, ckind kind, const char *request)
{
	c->fd = connect_to(true);
	if (c->fd < 0)
		die("cannot open a connection (file descriptor limit?)");
	c->kind = kind;
	watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
	if (request)
		buf_add(&c->out, request, strlen(request));
}

/* The presenter's stream: each event's counts mark votes as seen. */
static void on_event(const char *data)
{
	json_error_t err;
	json_t *j = json_loads(data, 0, &err);
	if (!j)
		return;
	double t = now_ms();
	size_t i;
	json_t *jq;
	long long total = 0;
	json_array_foreach(json_object_get(j, "questions"), i, jq) {
		long long id = json_integer_value(json_object_get(jq, "id"));
		long long v = json_integer_value(json_object_get(jq, "voters"));
		total += v;
		for (size_t k = 0; k < nq; k++)
			if (qs[k].id == id) {
				while (qs[k].seen < (size_t)v && qs[k].seen < qs[k].sent) {
					if (nlat == caplat) {
						caplat = caplat ? caplat * 2 : 65536;
						lat = realloc(lat, caplat * sizeof *lat);
						if (!lat)
							die("out of memory");
					}
					lat[nlat++] = t - qs[k].t_sent[qs[k].seen++];
				}
			}
	}
	pres_total = total;
	json_decref(j);
}

static void sse_data(conn *c)
{
	/* events end with a blank line; only the presenter's are parsed */
	char *end;
	while ((end = strstr(c->payload.p ? c->payload.p : "", "\n\n"))) {
		*end = '\0';
		if (c->kind == C_SSE_PRES) {
			char *d = strstr(c->payload.p, "data: ");
			if (d)
				on_event(d + 6);
		}
		buf_drop(&c->payload, (size_t)(end - c->payload.p) + 2);
	}
}

static void dechunk(conn *c)
{
	for (;;) {
		if (c->chunk_left == 0) {
			char *nl = strstr(c->in.p ? c->in.p : "", "\r\n");
			if (!nl)
				return;
			if (nl == c->in.p) { /* the CRLF after a chunk */
				buf_drop(&c->in, 2);
				continue;
			}
			c->chunk_left = strtoul(c->in.p, NULL, 16);
			buf_drop(&c->in, (size_t)(nl - c->in.p) + 2);
			if (c->chunk_left == 0)
				return;
		}
		size_t n = c->in.len < c->chunk_left ? c->in.len : c->chunk_left;
		if (!n)
			return;
		buf_add(&c->payload, c->in.p, n);
		buf_drop(&c->in, n);
		c->chunk_left -= n;
	}
}

static void on_readable(conn *c)
{
	char tmp[16384];
	ssize_t k;
	while ((k = read(c->fd, tmp, sizeof tmp)) > 0)
		buf_add(&c->in, tmp, (size_t)k);
	if (k == 0 || (k < 0 && errno != EAGAIN)) {
		if (c->kind == C_SSE_PART && c->headers_done)
			connected_parts--;
		if (c->kind == C_VOTE && c->busy) {
			votes_err++;
			votes_inflight--;
		}
		epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
		c->busy = false;
		return;
	}
	for (;;) {
		if (!c->headers_done) {
			char *sep = c->in.p ? strstr(c->in.p, "\r\n\r\n") : NULL;
			if (!sep)
				return;
			*sep = '\0';
			sscanf(c->in.p, "HTTP/1.%*d %d", &c->status);
			c->chunked = strcasestr(c->in.p, "Transfer-Encoding: chunked") != NULL;
			if (c->kind == C_SSE_PART) {
				char jar[512] = "", v[200];
				take_cookies(c->in.p, jar, sizeof jar);
				char cp[200] = "", cc[200] = "", pre[200] = "";
				if (jar_get(jar, "op_poll", v, sizeof v))
					snprintf(cp, sizeof cp, "%s", v);
				if (jar_get(jar, "op_csrf", v, sizeof v))
					snprintf(cc, sizeof cc, "%s", v);
				/* the form token is bound to the pre-session cookie */
				if (jar_get(jar, "op_pre", v, sizeof v))
					snprintf(pre, sizeof pre, "%s", v);
				snprintf(c->cookie, sizeof c->cookie, "op_poll=%s; op_csrf=%s; op_pre=%s", cp, cc,
				         pre);
				snprintf(c->csrf, sizeof c->csrf, "%s", cc);
				if (c->status == 200 && *cp && *cc)
					connected_parts++;
				else
					failed_parts++;
			}
			size_t hl = (size_t)(sep - c->in.p) + 4;
			const char *cl = strcasestr(c->in.p, "Content-Length: ");
			size_t blen = cl ? strtoul(cl + 16, NULL, 10) : 0;
			buf_drop(&c->in, hl);
			if (c->kind != C_VOTE) {
				c->headers_done = true;
				continue;
			}
			/* a vote's answer: wait for its body, then the connection is free */
			if (c->in.len < blen) {
				/* put the headers back is not needed: remember the length */
				c->chunk_left = blen;
				c->headers_done = true;
				return;
			}
			buf_drop(&c->in, blen);
			if (c->status == 200)
				votes_ok++;
			else
				votes_err++;
			votes_inflight--;
			c->busy = false;
			continue;
		}
		if (c->kind == C_VOTE) {
			if (c->in.len < c->chunk_left)
				return;
			buf_drop(&c->in, c->chunk_left);
			c->chunk_left = 0;
			c->headers_done = false;
			if (c->status == 200)
				votes_ok++;
			else
				votes_err++;
			votes_inflight--;
			c->busy = false;
			continue;
		}
		if (c->chunked)
			dechunk(c);
		else if (c->in.len) {
			buf_add(&c->payload, c->in.p, c->in.len);
			buf_drop(&c->in, c->in.len);
		}
		sse_data(c);
		return;
	}
}

static void on_writable(conn *c)
{
	while (c->out_off < c->out.len) {
		ssize_t k = write(c->fd, c->out.p + c->out_off, c->out.len - c->out_off);
		if (k <= 0)
			return;
		c->out_off += (size_t)k;
	}
	c->out.len = c->out_off = 0;
	watch(c, EPOLLIN, EPOLL_CTL_MOD);
}

static void poll_events(int timeout_ms)
{
	struct epoll_event ev[512];
	int n = epoll_wait(ep, ev, 512, timeout_ms);
	for (int i = 0; i < n; i++) {
		conn *c = ev[i].data.ptr;
		if (c->fd < 0)
			continue;
		if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			on_readable(c);
		if (c->fd >= 0 && (ev[i].events & EPOLLOUT))
			on_writable(c);
	}
}

static bool send_vote(unsigned long k)
{
	conn *c = NULL;
	for (int i = 0; i < VOTE_CONNS && !c; i++) {
		conn *v = &votes[(k + (unsigned long)i) % VOTE_CONNS];
		if (v->fd < 0) {
			memset(v, 0, sizeof *v);
			open_conn(v, C_VOTE, NULL);
		}
		if (!v->busy)
			c = v;
	}
	if (!c)
		return false;
	size_t p = k % nparts, qi = (k / nparts) % nq;
	conn *pp = &parts[p];
	char body[128], req[1024];
	int bl = snprintf(body, sizeof body, "{\"question\":%lld,\"options\":[%lld]}", qs[qi].id, qs[qi].option);
	int n = snprintf(req, sizeof req,
	                 "POST /api/v1/p/%s/vote HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
	                 "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
	                 code, host, pp->cookie, pp->csrf, bl, body);
	c->busy = true;
	c->headers_done = false;
	votes_inflight++;
	qs[qi].t_sent[qs[qi].sent++] = now_ms();
	conn_send(c, req, (size_t)n);
	return true;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double rss_mb(long pid)
{
	if (pid <= 0)
		return 0;
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%ld/status", pid);
	FILE *f = fopen(path, "r");
	double kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = atof(line + 6);
	if (f)
		fclose(f);
	return kb / 1024.0;
}

int main(int argc, char **argv)
{
	const char *url = NULL, *email = NULL, *password = NULL;
	long participants = 1000, seconds = 10, rate = 500, server_pid = 0;
	static const struct option lo[] = {
		{ "url", 1, NULL, 'u' }, { "email", 1, NULL, 'e' }, { "password", 1, NULL, 'p' },
		{ "participants", 1, NULL, 'n' }, { "seconds", 1, NULL, 's' }, { "rate", 1, NULL, 'r' },
		{ "server-pid", 1, NULL, 'P' }, { NULL, 0, NULL, 0 },
	};
	int o;
	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'u': url = optarg; break;
		case 'e': email = optarg; break;
		case 'p': password = optarg; break;
		case 'n': participants = atol(optarg); break;
		case 's': seconds = atol(optarg); break;
		case 'r': rate = atol(optarg); break;
		case 'P': server_pid = atol(optarg); break;
		default: die("usage: polls_load --url URL --email E --password P [--participants N] [--seconds S] [--rate R] [--server-pid PID]");
		}
	}
	if (!url || !email || !password || participants < 1 || seconds < 1 || rate < 1)
		die("usage: polls_load --url URL --email E --password P [--participants N] [--seconds S] [--rate R] [--server-pid PID]");
	int port = 0;
	if (sscanf(url, "http://%127[^:]:%d", host, &port) != 2)
		die("--url must look like http://127.0.0.1:8080");
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
		die("--url needs an IPv4 address");
	snprintf(host + strlen(host), sizeof host - strlen(host), ":%d", port);
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	/* 1. setup: sign in, a poll with enough questions, open it */
	resp r = http("GET", "/signin", NULL, NULL);
	resp_free(&r);
	char form[1024], csrf[128] = "";
	jar_get(cookies, "op_csrf", csrf, sizeof csrf);
	snprintf(form, sizeof form, "_csrf=%s&email=%s", csrf, urlenc(email));
	snprintf(form + strlen(form), sizeof form - strlen(form), "&password=%s", urlenc(password));
	r = http("POST", "/signin", "application/x-www-form-urlencoded", form);
	if (r.status != 200 && r.status != 303)
		die("cannot sign in (status not 303)");
	resp_free(&r);
	jar_get(cookies, "op_csrf", csrf, sizeof csrf);
	snprintf(form, sizeof form, "_csrf=%s&title=Load+test&mode=self", csrf);
	r = http("POST", "/polls", "application/x-www-form-urlencoded", form);
	json_t *j = json_loads(r.body.p, 0, NULL);
	const char *loc = json_string_value(json_object_get(j, "location"));
	long long poll_id = loc ? atoll(loc + 7) : 0;
	json_decref(j);
	resp_free(&r);
	if (!poll_id)
		die("cannot create the poll (is the user an organiser?)");
	nq = (size_t)((rate * seconds) / participants + 2);
	if (nq > MAXQ)
		die("too many votes per participant: raise --participants or lower --rate/--seconds");
	char path[128];
	for (size_t i = 0; i < nq; i++) {
		snprintf(form, sizeof form, "_csrf=%s&kind=single&prompt=Vraag+%zu&options=Workshops%%0AQuiz%%0APodcast%%0ATeambuilding", csrf, i + 1);
		snprintf(path, sizeof path, "/polls/%lld/questions", poll_id);
		r = http("POST", path, "application/x-www-form-urlencoded", form);
		if (r.status != 200)
			die("cannot add a question");
		resp_free(&r);
	}
	snprintf(path, sizeof path, "/polls/%lld/control", poll_id);
	snprintf(form, sizeof form, "_csrf=%s&action=open", csrf);
	r = http("POST", path, "application/x-www-form-urlencoded", form);
	resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/polls/%lld", poll_id);
	r = http("GET", path, NULL, NULL);
	j = json_loads(r.body.p, 0, NULL);
	snprintf(code, sizeof code, "%s", json_string_value(json_object_get(json_object_get(j, "poll"), "code")) ?: "");
	size_t i;
	json_t *jq;
	size_t per_q = (size_t)(rate * seconds) / nq + participants + 16;
	json_array_foreach(json_object_get(j, "questions"), i, jq) {
		if (i >= nq)
			break;
		qs[i].id = json_integer_value(json_object_get(jq, "id"));
		/* spread the votes over the options */
		json_t *opts = json_object_get(jq, "options");
		qs[i].option = json_integer_value(json_object_get(json_array_get(opts, i % json_array_size(opts)), "id"));
		qs[i].t_sent = calloc(per_q, sizeof(double));
	}
	json_decref(j);
	resp_free(&r);
	if (strlen(code) != 6 || !qs[0].id)
		die("cannot read the poll back");

	/* 2. streams */
	ep = epoll_create1(0);
	for (int k = 0; k < VOTE_CONNS; k++)
		votes[k].fd = -1;
	char req[2048];
	snprintf(req, sizeof req, "GET /polls/%lld/stream HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\nCookie: %s\r\n\r\n",
	         poll_id, host, cookies);
	open_conn(&pres, C_SSE_PRES, req);
	nparts = (size_t)participants;
	parts = calloc(nparts, sizeof *parts);
	snprintf(req, sizeof req, "GET /api/v1/p/%s/stream HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", code, host);
	double t0 = now_ms();
	for (size_t k = 0; k < nparts; k++) {
		open_conn(&parts[k], C_SSE_PART, req);
		if (k % 200 == 199)
			poll_events(0);
	}
	while (connected_parts + failed_parts < nparts && now_ms() - t0 < 60000)
		poll_events(50);
	fprintf(stderr, "polls_load: %zu of %zu participants connected in %.1f s (%zu failed)\n",
	        connected_parts, nparts, (now_ms() - t0) / 1000, failed_parts);
	if (connected_parts < nparts)
		die("not every participant could connect");
	fprintf(stderr, "polls_load: server peak memory so far %.1f MB\n", rss_mb(server_pid));

	/* 3. votes at the rate */
	unsigned long total = (unsigned long)(rate * seconds), k = 0;
	double start = now_ms(), end = start + (double)seconds * 1000;
	while (k < total && now_ms() < end + 5000) {
		unsigned long due = (unsigned long)((now_ms() - start) * (double)rate / 1000.0) + 1;
		while (k < due && k < total && send_vote(k))
			k++;
		poll_events(1);
	}
	double sent_s = (now_ms() - start) / 1000;
	/* 4. wait for answers and for the presenter's screen to catch up */
	double wait0 = now_ms();
	while ((votes_inflight > 0 || pres_total < (long long)votes_ok) && now_ms() - wait0 < 10000)
		poll_events(20);
	fprintf(stderr, "polls_load: %lu votes in %.1f s (%.0f/s), %lu refused; %zu participants still connected\n",
	        k, sent_s, (double)k / sent_s, votes_err, connected_parts);

	/* 5. the server's report */
	snprintf(path, sizeof path, "/api/v1/polls/%lld/report", poll_id);
	r = http("GET", path, NULL, NULL);
	j = json_loads(r.body.p, 0, NULL);
	long long counted = 0;
	json_array_foreach(json_object_get(j, "questions"), i, jq)
		counted += json_integer_value(json_object_get(jq, "voters"));
	json_decref(j);
	resp_free(&r);

	qsort(lat, nlat, sizeof *lat, cmp_d);
	double p50 = nlat ? lat[nlat / 2] : -1, p99 = nlat ? lat[(size_t)((double)nlat * 0.99)] : -1;
	if (nlat < (size_t)votes_ok)
		fprintf(stderr, "polls_load: the presenter's screen showed %zu of %lu votes\n", nlat, votes_ok);
	printf("participants=%zu votes_sent=%lu votes_counted=%lld p50_ms=%.1f p99_ms=%.1f rss_mb=%.1f\n",
	       connected_parts, votes_ok + votes_err, counted, p50, p99, rss_mb(server_pid));
	for (size_t q = 0; q < nparts; q++)
		if (parts[q].fd >= 0)
			close(parts[q].fd);
	return (votes_err == 0 && counted == (long long)votes_ok && k == total) ? 0 : 1;
}
