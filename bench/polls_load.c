/* polls_load.c — load tool for live polls (make bench-polls): a room as the
 * server meets it. C, epoll, non-blocking sockets:
 *   1. signs in as an organiser, makes a poll of one question at a time
 *      with enough single-choice questions for the run, opens it and shows
 *      the results to participants (unless --hidden);
 *   2. N participants join (GET /api/v1/p/{code}: each gets its signed
 *      cookie) and open the participant's event stream; the streams are
 *      held by worker processes (a process may hold only so many
 *      descriptors), which count every byte the server sends them;
 *   3. the presenter's stream is opened, then the room votes R times a
 *      second over the JSON API (keep-alive connections), question after
 *      question: every participant once per question, then the presenter
 *      moves to the next question, as in a session;
 *   4. vote-to-screen delay: from sending a vote until the presenter's
 *      stream shows a count that includes it;
 *   5. the server's report: every vote answered 200 must be counted.
 * Ends with one line:
 *   participants=N votes_sent=N votes_counted=N p50_ms=X p99_ms=X rss_mb=X
 *   bytes_per_participant_s=X sent_mb=X server_cpu_s=X
 * (bytes and MB: what the participants' streams received while the votes
 * came, headers and framing included) and exits 1 when a vote was lost or
 * refused, 2 on bad usage or a failed setup.
 *
 *   polls_load --url http://127.0.0.1:8080 --email E --password P
 *              [--participants N] [--seconds S] [--rate R] [--hidden]
 *              [--server-pid PID]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { VOTE_CONNS = 64, MAXQ = 400, PER_WORKER = 8000, MAXW = 16 };

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
		size_t cap = b->cap ? b->cap * 2 : 1024;
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

/* ---- cookies ---- */

/* Takes name=value of every Set-Cookie in head into jar ("a=1; b=2"). */
static void take_cookies(const char *head, char *jar, size_t jarlen)
{
	for (const char *p = head; (p = strcasestr(p, "\nSet-Cookie: ")); ) {
		p += 13;
		const char *eq = strchr(p, '='), *end = strpbrk(p, ";\r\n");
		if (!eq || !end || eq > end)
			continue;
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
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

/* ---- blocking HTTP for setup: one keep-alive connection ---- */
typedef struct resp { int status; buf head, body; } resp;

static char org_jar[1024]; /* the organiser: "op_csrf=…; op_session=…" */
static int  setup_fd = -1;

static void resp_free(resp *r)
{
	free(r->head.p);
	free(r->body.p);
}

/* Sends one request on the setup connection (reconnecting when the server
 * closed it) and reads the answer: headers, then a Content-Length or
 * chunked body. jar: the cookies to send and to update. */
static resp http(const char *method, const char *path, const char *ctype, const char *body,
                 char *jar, size_t jarlen)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (setup_fd < 0 && (setup_fd = connect_to(false)) < 0)
			die("cannot connect to the server");
		char csrf[128] = "";
		jar_get(jar, "op_csrf", csrf, sizeof csrf);
		char req[8192];
		int n = snprintf(req, sizeof req,
		                 "%s %s HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\n"
		                 "Cookie: %s\r\nX-CSRF-Token: %s\r\n%s%s%sContent-Length: %zu\r\n\r\n%s",
		                 method, path, host, jar, csrf, ctype ? "Content-Type: " : "",
		                 ctype ? ctype : "", ctype ? "\r\n" : "", body ? strlen(body) : 0,
		                 body ? body : "");
		if (write(setup_fd, req, (size_t)n) != n) {
			close(setup_fd);
			setup_fd = -1;
			continue;
		}
		resp r = { 0 };
		buf in = { 0 };
		char tmp[65536];
		char *sep = NULL;
		ssize_t k = 1;
		while (!(sep = in.p ? strstr(in.p, "\r\n\r\n") : NULL) &&
		       (k = read(setup_fd, tmp, sizeof tmp)) > 0)
			buf_add(&in, tmp, (size_t)k);
		if (!sep) {
			free(in.p);
			close(setup_fd);
			setup_fd = -1;
			continue;
		}
		size_t hl = (size_t)(sep - in.p) + 4;
		buf_add(&r.head, in.p, hl - 2);
		if (sscanf(r.head.p, "HTTP/1.%*d %d", &r.status) != 1)
			die("a malformed answer");
		buf_drop(&in, hl);
		const char *cl = strcasestr(r.head.p, "\nContent-Length: ");
		if (cl) {
			size_t want = strtoul(cl + 17, NULL, 10);
			while (in.len < want && (k = read(setup_fd, tmp, sizeof tmp)) > 0)
				buf_add(&in, tmp, (size_t)k);
			buf_add(&r.body, in.p ? in.p : "", want < in.len ? want : in.len);
		} else if (strcasestr(r.head.p, "Transfer-Encoding: chunked")) {
			for (;;) {
				char *nl;
				while (!(nl = in.p ? strstr(in.p, "\r\n") : NULL) &&
				       (k = read(setup_fd, tmp, sizeof tmp)) > 0)
					buf_add(&in, tmp, (size_t)k);
				if (!nl)
					break;
				size_t len = strtoul(in.p, NULL, 16);
				buf_drop(&in, (size_t)(nl - in.p) + 2);
				while (in.len < len + 2 && (k = read(setup_fd, tmp, sizeof tmp)) > 0)
					buf_add(&in, tmp, (size_t)k);
				if (!len)
					break;
				buf_add(&r.body, in.p, len);
				buf_drop(&in, len + 2);
			}
		}
		if (!r.body.p)
			buf_add(&r.body, "", 0);
		take_cookies(r.head.p, jar, jarlen);
		if (strcasestr(r.head.p, "\nConnection: close")) {
			close(setup_fd);
			setup_fd = -1;
		}
		free(in.p);
		return r;
	}
	die("the server closed the connection");
	return (resp){ 0 };
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

/* ---- participants ---- */
typedef struct participant {
	char cookie[512]; /* op_poll=…; op_csrf=…; op_pre=… */
	char csrf[64];
} participant;

static participant *parts;
static size_t       nparts;
static char         code[16];

/* ---- connections ---- */
typedef enum { C_SSE_PART, C_SSE_PRES, C_VOTE } ckind;

typedef struct conn {
	int      fd;
	ckind    kind;
	bool     headers_done, busy, chunked;
	buf      out, in, payload;
	size_t   out_off, chunk_left;
	int      status;
	uint64_t bytes;
} conn;

static int ep;

static void watch(conn *c, uint32_t ev, int op)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };
	epoll_ctl(ep, op, c->fd, &e);
}

static bool open_conn(conn *c, ckind kind, const char *request)
{
	c->fd = connect_to(true);
	if (c->fd < 0)
		return false;
	c->kind = kind;
	watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
	if (request)
		buf_add(&c->out, request, strlen(request));
	return true;
}

static void conn_close(conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
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

/* De-chunks what came in into payload. */
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

/* ---- a worker: holds participants' streams, counts their bytes ---- */

static volatile sig_atomic_t worker_stop;
static void on_term(int sig) { (void)sig; worker_stop = 1; }

/* Reports "connected failed bytes" lines to fd out every 100 ms until
 * told to stop (SIGTERM); the last line comes after the stop. */
static void worker(size_t from, size_t to, int out)
{
	signal(SIGTERM, on_term);
	ep = epoll_create1(0);
	size_t n = to - from;
	conn *cs = calloc(n, sizeof *cs);
	if (!cs)
		die("out of memory");
	size_t connected = 0, failed = 0;
	uint64_t bytes = 0;
	char req[1024];
	size_t opened = 0;
	double last = 0;
	struct epoll_event ev[512];
	char tmp[65536];
	while (!worker_stop) {
		/* A room arrives over some seconds, not in one burst of connects:
		 * 50 more every 20 ms from each worker. */
		for (size_t b = 0; b < 50 && opened < n; b++, opened++) {
			snprintf(req, sizeof req, "GET /api/v1/p/%s/stream HTTP/1.1\r\nHost: %s\r\n"
			                          "Accept: text/event-stream\r\nCookie: %s\r\n\r\n",
			         code, host, parts[from + opened].cookie);
			if (!open_conn(&cs[opened], C_SSE_PART, req))
				failed++;
		}
		int k = epoll_wait(ep, ev, 512, opened < n ? 20 : 50);
		for (int e = 0; e < k; e++) {
			conn *c = ev[e].data.ptr;
			if (c->fd < 0)
				continue;
			if (ev[e].events & EPOLLOUT)
				on_writable(c);
			if (!(ev[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				continue;
			ssize_t r;
			while ((r = read(c->fd, tmp, sizeof tmp)) > 0) {
				bytes += (uint64_t)r;
				if (!c->headers_done) {
					buf_add(&c->in, tmp, (size_t)r);
					char *sep = strstr(c->in.p, "\r\n\r\n");
					if (sep) {
						c->headers_done = true;
						sscanf(c->in.p, "HTTP/1.%*d %d", &c->status);
						if (c->status == 200)
							connected++;
						else
							failed++;
						c->in.len = 0; /* the events themselves are not read */
					}
				}
			}
			if (r == 0 || (r < 0 && errno != EAGAIN)) {
				if (c->headers_done && c->status == 200)
					connected--;
				failed++;
				conn_close(c);
			}
		}
		double t = now_ms();
		if (t - last >= 100) {
			last = t;
			dprintf(out, "%zu %zu %llu\n", connected, failed, (unsigned long long)bytes);
		}
	}
	dprintf(out, "%zu %zu %llu\n", connected, failed, (unsigned long long)bytes);
	exit(0);
}

typedef struct wstate { pid_t pid; int fd; size_t connected, failed; uint64_t bytes; buf in; } wstate;
static wstate workers[MAXW];
static size_t nworkers;

/* Reads what the workers reported since the last call. */
static void read_workers(void)
{
	char tmp[4096];
	for (size_t w = 0; w < nworkers; w++) {
		ssize_t k;
		while ((k = read(workers[w].fd, tmp, sizeof tmp)) > 0)
			buf_add(&workers[w].in, tmp, (size_t)k);
		char *nl;
		while (workers[w].in.p && (nl = strchr(workers[w].in.p, '\n'))) {
			unsigned long long b;
			if (sscanf(workers[w].in.p, "%zu %zu %llu", &workers[w].connected,
			           &workers[w].failed, &b) == 3)
				workers[w].bytes = b;
			buf_drop(&workers[w].in, (size_t)(nl - workers[w].in.p) + 1);
		}
	}
}

static void totals(size_t *connected, size_t *failed, uint64_t *bytes)
{
	*connected = *failed = 0;
	*bytes = 0;
	for (size_t w = 0; w < nworkers; w++) {
		*connected += workers[w].connected;
		*failed += workers[w].failed;
		*bytes += workers[w].bytes;
	}
}

/* ---- the presenter and the votes (the main process) ---- */

typedef struct question { long long id, options[4]; size_t sent, seen; double *t_sent; } question;

static conn          pres, votes[VOTE_CONNS];
static question      qs[MAXQ];
static size_t        nq, cur_q;
static unsigned long votes_ok, votes_err, votes_inflight;
static double       *lat;
static size_t        nlat, caplat;
static long long     pres_seen_q = -1, pres_voters = -1;

/* A presenter's event: the current question's count marks its votes seen. */
static void on_event(const char *data)
{
	json_error_t err;
	json_t *j = json_loads(data, 0, &err);
	if (!j)
		return;
	double t = now_ms();
	json_t *jq = json_object_get(j, "question");
	long long id = json_integer_value(json_object_get(jq, "id"));
	long long v = json_integer_value(json_object_get(jq, "voters"));
	if (jq) {
		pres_seen_q = id;
		pres_voters = v;
	}
	for (size_t k = 0; jq && k < nq; k++)
		if (qs[k].id == id)
			while (qs[k].seen < (size_t)v && qs[k].seen < qs[k].sent) {
				if (nlat == caplat) {
					caplat = caplat ? caplat * 2 : 65536;
					lat = realloc(lat, caplat * sizeof *lat);
					if (!lat)
						die("out of memory");
				}
				lat[nlat++] = t - qs[k].t_sent[qs[k].seen++];
			}
	json_decref(j);
}

static void pres_data(conn *c)
{
	char *end;
	while ((end = strstr(c->payload.p ? c->payload.p : "", "\n\n"))) {
		*end = '\0';
		char *d = strstr(c->payload.p, "data: ");
		if (d)
			on_event(d + 6);
		buf_drop(&c->payload, (size_t)(end - c->payload.p) + 2);
	}
}

static void vote_done(conn *c)
{
	if (c->status == 200)
		votes_ok++;
	else
		votes_err++;
	votes_inflight--;
	c->busy = false;
	c->headers_done = false;
}

static void on_readable(conn *c)
{
	char tmp[16384];
	ssize_t k;
	while ((k = read(c->fd, tmp, sizeof tmp)) > 0)
		buf_add(&c->in, tmp, (size_t)k);
	if (k == 0 || (k < 0 && errno != EAGAIN)) {
		if (c->kind == C_VOTE && c->busy) {
			votes_err++;
			votes_inflight--;
		}
		conn_close(c);
		c->busy = false;
		c->in.len = 0;
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
			const char *cl = strcasestr(c->in.p, "Content-Length: ");
			size_t blen = cl ? strtoul(cl + 16, NULL, 10) : 0;
			buf_drop(&c->in, (size_t)(sep - c->in.p) + 4);
			c->headers_done = true;
			c->chunk_left = c->kind == C_VOTE ? blen : 0;
		}
		if (c->kind == C_VOTE) {
			if (c->in.len < c->chunk_left)
				return;
			buf_drop(&c->in, c->chunk_left);
			c->chunk_left = 0;
			vote_done(c);
			if (!c->in.len)
				return;
			continue;
		}
		if (c->chunked)
			dechunk(c);
		else if (c->in.len) {
			buf_add(&c->payload, c->in.p, c->in.len);
			buf_drop(&c->in, c->in.len);
		}
		pres_data(c);
		return;
	}
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

/* Vote number k of the current question: participant k, option by turn. */
static bool send_vote(size_t k)
{
	conn *c = NULL;
	for (int i = 0; i < VOTE_CONNS && !c; i++) {
		conn *v = &votes[(k + (size_t)i) % VOTE_CONNS];
		if (v->fd < 0) {
			free(v->in.p);
			free(v->out.p);
			memset(v, 0, sizeof *v);
			if (!open_conn(v, C_VOTE, NULL))
				die("cannot open a vote connection");
		}
		if (!v->busy)
			c = v;
	}
	if (!c)
		return false;
	question *q = &qs[cur_q];
	participant *pp = &parts[k];
	char body[128], req[1024];
	int bl = snprintf(body, sizeof body, "{\"question\":%lld,\"options\":[%lld]}", q->id,
	                  q->options[(k + cur_q) % 4]);
	int n = snprintf(req, sizeof req,
	                 "POST /api/v1/p/%s/vote HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
	                 "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
	                 code, host, pp->cookie, pp->csrf, bl, body);
	c->busy = true;
	c->headers_done = false;
	votes_inflight++;
	q->t_sent[q->sent++] = now_ms();
	buf_add(&c->out, req, (size_t)n);
	watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
	return true;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double proc_status(long pid, const char *key)
{
	if (pid <= 0)
		return 0;
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%ld/status", pid);
	FILE *f = fopen(path, "r");
	double kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, key, strlen(key)))
			kb = atof(line + strlen(key));
	if (f)
		fclose(f);
	return kb / 1024.0;
}

/* The server's CPU time so far (user + system), seconds. */
static double cpu_s(long pid)
{
	if (pid <= 0)
		return 0;
	char path[64], line[4096];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f || !fgets(line, sizeof line, f)) {
		if (f)
			fclose(f);
		return 0;
	}
	fclose(f);
	const char *p = strrchr(line, ')');
	unsigned long ut = 0, st = 0;
	/* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime stime */
	if (p)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void post_form(const char *path, const char *form)
{
	resp r = http("POST", path, "application/x-www-form-urlencoded", form, org_jar, sizeof org_jar);
	if (r.status != 200 && r.status != 303) {
		fprintf(stderr, "polls_load: POST %s: %d %s\n", path, r.status, r.body.p);
		die("a setup step failed");
	}
	resp_free(&r);
}

int main(int argc, char **argv)
{
	const char *url = NULL, *email = NULL, *password = NULL;
	long participants = 1000, seconds = 10, rate = 500, server_pid = 0;
	bool hidden = false;
	static const struct option lo[] = {
		{ "url", 1, NULL, 'u' }, { "email", 1, NULL, 'e' }, { "password", 1, NULL, 'p' },
		{ "participants", 1, NULL, 'n' }, { "seconds", 1, NULL, 's' }, { "rate", 1, NULL, 'r' },
		{ "server-pid", 1, NULL, 'P' }, { "hidden", 0, NULL, 'H' }, { NULL, 0, NULL, 0 },
	};
	const char *usage = "usage: polls_load --url URL --email E --password P [--participants N] "
	                    "[--seconds S] [--rate R] [--hidden] [--server-pid PID]";
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
		case 'H': hidden = true; break;
		default: die(usage);
		}
	}
	if (!url || !email || !password || participants < 1 || seconds < 1 || rate < 1 ||
	    participants > (long)PER_WORKER * MAXW)
		die(usage);
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
	signal(SIGPIPE, SIG_IGN);

	/* 1. setup: sign in, a poll of one question at a time, open, results shown */
	resp r = http("GET", "/signin", NULL, NULL, org_jar, sizeof org_jar);
	resp_free(&r);
	char form[2048], csrf[128] = "", path[128];
	jar_get(org_jar, "op_csrf", csrf, sizeof csrf);
	snprintf(form, sizeof form, "_csrf=%s&email=%s", csrf, urlenc(email));
	snprintf(form + strlen(form), sizeof form - strlen(form), "&password=%s", urlenc(password));
	post_form("/signin", form);
	jar_get(org_jar, "op_csrf", csrf, sizeof csrf);
	snprintf(form, sizeof form, "_csrf=%s&title=Load+test&mode=presenter", csrf);
	r = http("POST", "/polls", "application/x-www-form-urlencoded", form, org_jar, sizeof org_jar);
	json_t *j = json_loads(r.body.p, 0, NULL);
	const char *loc = json_string_value(json_object_get(j, "location"));
	long long poll_id = loc ? atoll(loc + 7) : 0;
	json_decref(j);
	resp_free(&r);
	if (!poll_id)
		die("cannot make the poll (is the user an organiser?)");
	unsigned long total = (unsigned long)(rate * seconds);
	nq = (size_t)((total + (unsigned long)participants - 1) / (unsigned long)participants);
	if (nq > MAXQ)
		die("too many votes per participant: raise --participants or lower --rate/--seconds");
	snprintf(path, sizeof path, "/polls/%lld/questions", poll_id);
	for (size_t i = 0; i < nq; i++) {
		snprintf(form, sizeof form, "_csrf=%s&kind=single&prompt=Vraag+%zu&"
		         "options=Workshops%%0AQuiz%%0APodcast%%0ATeambuilding", csrf, i + 1);
		post_form(path, form);
	}
	snprintf(path, sizeof path, "/polls/%lld/control", poll_id);
	snprintf(form, sizeof form, "_csrf=%s&action=open", csrf);
	post_form(path, form);
	if (!hidden) {
		snprintf(form, sizeof form, "_csrf=%s&action=show", csrf);
		post_form(path, form);
	}
	snprintf(path, sizeof path, "/api/v1/polls/%lld", poll_id);
	r = http("GET", path, NULL, NULL, org_jar, sizeof org_jar);
	j = json_loads(r.body.p, 0, NULL);
	snprintf(code, sizeof code, "%s",
	         json_string_value(json_object_get(json_object_get(j, "poll"), "code")) ?: "");
	size_t i;
	json_t *jq;
	json_array_foreach(json_object_get(j, "questions"), i, jq) {
		if (i >= nq)
			break;
		qs[i].id = json_integer_value(json_object_get(jq, "id"));
		json_t *opts = json_object_get(jq, "options");
		for (size_t k = 0; k < 4; k++)
			qs[i].options[k] = json_integer_value(json_object_get(json_array_get(opts, k), "id"));
		qs[i].t_sent = calloc((size_t)participants + 1, sizeof(double));
	}
	json_decref(j);
	resp_free(&r);
	if (strlen(code) != 6 || !qs[0].id)
		die("cannot read the poll back");

	/* 2. the room joins, then holds its streams in worker processes */
	nparts = (size_t)participants;
	parts = calloc(nparts, sizeof *parts);
	if (!parts)
		die("out of memory");
	double t0 = now_ms();
	snprintf(path, sizeof path, "/api/v1/p/%s", code);
	for (size_t k = 0; k < nparts; k++) {
		char jar[512] = "", v[200];
		r = http("GET", path, NULL, NULL, jar, sizeof jar);
		if (r.status != 200 || !jar_get(jar, "op_poll", v, sizeof v)) {
			fprintf(stderr, "polls_load: join %zu: %d %s\n", k, r.status, r.body.p);
			die("a participant cannot join (raise OPENPLAN_POLL_JOIN_LIMIT?)");
		}
		char c[64] = "";
		jar_get(jar, "op_csrf", c, sizeof c);
		/* every cookie it got: the participant, the CSRF token's binding */
		snprintf(parts[k].cookie, sizeof parts[k].cookie, "%s", jar);
		snprintf(parts[k].csrf, sizeof parts[k].csrf, "%s", c);
		resp_free(&r);
	}
	fprintf(stderr, "polls_load: %zu participants joined in %.1f s\n", nparts, (now_ms() - t0) / 1000);
	nworkers = (nparts + PER_WORKER - 1) / PER_WORKER;
	for (size_t w = 0; w < nworkers; w++) {
		int pfd[2];
		if (pipe(pfd) != 0)
			die("cannot make a pipe");
		size_t from = w * nparts / nworkers, to = (w + 1) * nparts / nworkers;
		pid_t pid = fork();
		if (pid < 0)
			die("cannot start a worker");
		if (pid == 0) {
			close(pfd[0]);
			worker(from, to, pfd[1]);
		}
		close(pfd[1]);
		fcntl(pfd[0], F_SETFL, O_NONBLOCK);
		workers[w] = (wstate){ .pid = pid, .fd = pfd[0] };
	}
	size_t connected = 0, failed = 0;
	uint64_t bytes0 = 0, bytes1 = 0;
	t0 = now_ms();
	while (now_ms() - t0 < 120000) {
		usleep(100000);
		read_workers();
		totals(&connected, &failed, &bytes0);
		if (connected + failed >= nparts)
			break;
	}
	fprintf(stderr, "polls_load: %zu of %zu participants connected in %.1f s (%zu failed)\n",
	        connected, nparts, (now_ms() - t0) / 1000, failed);
	if (connected < nparts) {
		for (size_t w = 0; w < nworkers; w++)
			kill(workers[w].pid, SIGTERM);
		die("not every participant could connect (the server's descriptor limit?)");
	}
	fprintf(stderr, "polls_load: server memory with every stream open: %.1f MB\n",
	        proc_status(server_pid, "VmRSS:"));

	/* 3. the presenter's stream, then the votes, question after question */
	ep = epoll_create1(0);
	for (int k = 0; k < VOTE_CONNS; k++)
		votes[k].fd = -1;
	char req[2048];
	snprintf(req, sizeof req, "GET /polls/%lld/stream HTTP/1.1\r\nHost: %s\r\n"
	                          "Accept: text/event-stream\r\nCookie: %s\r\n\r\n",
	         poll_id, host, org_jar);
	if (!open_conn(&pres, C_SSE_PRES, req))
		die("cannot open the presenter's stream");
	while (pres_seen_q != qs[0].id && now_ms() - t0 < 180000)
		poll_events(20);
	usleep(300000); /* the participants' first events */
	read_workers();
	totals(&connected, &failed, &bytes0);
	double cpu0 = cpu_s(server_pid);
	unsigned long k = 0;
	double start = now_ms(), paused = 0;
	snprintf(path, sizeof path, "/polls/%lld/control", poll_id);
	for (cur_q = 0; cur_q < nq && k < total; cur_q++) {
		if (cur_q > 0) {
			/* the room answered: wait for the screen, then the next question */
			double w0 = now_ms();
			while ((votes_inflight || pres_voters < (long long)qs[cur_q - 1].sent) &&
			       now_ms() - w0 < 5000)
				poll_events(5);
			snprintf(form, sizeof form, "_csrf=%s&action=next", csrf);
			post_form(path, form);
			while (pres_seen_q != qs[cur_q].id && now_ms() - w0 < 10000)
				poll_events(5);
			paused += now_ms() - w0;
		}
		size_t in_q = 0;
		while (in_q < nparts && k < total) {
			double busy = now_ms() - start - paused;
			unsigned long due = (unsigned long)(busy * (double)rate / 1000.0) + 1;
			while (k < due && in_q < nparts && k < total && send_vote(in_q)) {
				k++;
				in_q++;
			}
			poll_events(1);
		}
	}
	double sent_s = (now_ms() - start - paused) / 1000;
	/* 4. answers, and the presenter's screen catching up */
	double w0 = now_ms();
	size_t last = cur_q ? cur_q - 1 : 0;
	while ((votes_inflight || pres_voters < (long long)qs[last].sent) && now_ms() - w0 < 10000)
		poll_events(20);
	double vote_s = (now_ms() - start) / 1000;
	double cpu1 = cpu_s(server_pid);
	read_workers();
	totals(&connected, &failed, &bytes1);
	fprintf(stderr, "polls_load: %lu votes on %zu questions in %.1f s (%.0f/s), %lu refused; "
	        "%zu participants still connected\n", k, cur_q, sent_s, (double)k / sent_s, votes_err,
	        connected);

	/* 5. the server's report */
	snprintf(path, sizeof path, "/api/v1/polls/%lld/report", poll_id);
	r = http("GET", path, NULL, NULL, org_jar, sizeof org_jar);
	j = json_loads(r.body.p, 0, NULL);
	long long counted = 0;
	json_array_foreach(json_object_get(j, "questions"), i, jq)
		counted += json_integer_value(json_object_get(jq, "voters"));
	json_decref(j);
	resp_free(&r);
	for (size_t w = 0; w < nworkers; w++) {
		kill(workers[w].pid, SIGTERM);
		waitpid(workers[w].pid, NULL, 0);
	}

	qsort(lat, nlat, sizeof *lat, cmp_d);
	double p50 = nlat ? lat[nlat / 2] : -1, p99 = nlat ? lat[(size_t)((double)nlat * 0.99)] : -1;
	if (nlat < (size_t)votes_ok)
		fprintf(stderr, "polls_load: the presenter's screen showed %zu of %lu votes\n", nlat, votes_ok);
	double got = (double)(bytes1 - bytes0);
	printf("participants=%zu votes_sent=%lu votes_counted=%lld p50_ms=%.1f p99_ms=%.1f rss_mb=%.1f "
	       "bytes_per_participant_s=%.0f sent_mb=%.1f server_cpu_s=%.1f\n",
	       connected, votes_ok + votes_err, counted, p50, p99, proc_status(server_pid, "VmHWM:"),
	       got / (double)nparts / vote_s, got / 1e6, cpu1 - cpu0);
	return (votes_err == 0 && counted == (long long)votes_ok && k == total &&
	        nlat >= (size_t)votes_ok) ? 0 : 1;
}
