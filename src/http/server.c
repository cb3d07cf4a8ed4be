/* server.c — libmicrohttpd glue: starts an epoll thread-pool daemon, turns
 * each connection's request into an http_req (arena, headers, query, body,
 * cookies, forms), calls the application's dispatch function, and queues
 * its http_resp with the security headers every response carries.
 * What the HTTP layer itself cannot do for lack of memory (an arena
 * allocation, the request-body budget) is answered with a 503 here; too
 * many query parameters with a 414 and a too large body with a 413, at
 * once, before the body is read. Limits on connections live in guard.c,
 * streamed bodies in body.c.
 * Graceful stop: quiesce the listener, close every open stream (resuming
 * the suspended ones), wait for in-flight requests, end streamed bodies and
 * their producers, stop.
 *
 * Streams (Server-Sent Events): the response reads from a callback; when
 * nothing is queued the callback suspends the connection (MHD_suspend_
 * connection) and a post from any thread resumes it (MHD_resume_connection),
 * so thousands of open streams hold no thread and no busy loop.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct http_msg {
	atomic_int refs;
	size_t     len;
	char       data[];
};

struct http_stream {
	pthread_mutex_t        mu;
	atomic_int             refs;      /* the response's and the application's */
	struct MHD_Connection *conn;
	http_server           *srv;
	http_msg              *cur, *next;
	size_t                 off;       /* bytes of cur already sent */
	bool                   suspended, closed, linked;
	http_stream           *prev, *lnext;
};


http_msg *http_msg_new(const char *data, size_t len)
{
	http_msg *m = malloc(sizeof *m + len + 1);
	if (!m)
		return NULL;
	atomic_init(&m->refs, 1);
	m->len = len;
	memcpy(m->data, data, len);
	m->data[len] = '\0';
	return m;
}

http_msg *http_msg_ref(http_msg *m)
{
	if (m)
		atomic_fetch_add(&m->refs, 1);
	return m;
}

void http_msg_unref(http_msg *m)
{
	if (m && atomic_fetch_sub(&m->refs, 1) == 1)
		free(m);
}

static void stream_unref(http_stream *st)
{
	if (atomic_fetch_sub(&st->refs, 1) != 1)
		return;
	http_msg_unref(st->cur);
	http_msg_unref(st->next);
	pthread_mutex_destroy(&st->mu);
	free(st);
}

/* Called with st->mu held. */
static void stream_wake(http_stream *st)
{
	if (st->suspended) {
		st->suspended = false;
		MHD_resume_connection(st->conn);
	}
}

http_stream *http_stream_open(http_req *r, http_resp *s)
{
	http_stream *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	pthread_mutex_init(&st->mu, NULL);
	atomic_init(&st->refs, 2);
	st->conn = r->conn;
	st->srv = r->server;
	s->stream = true;
	s->stream_obj = st;
	return st;
}

static bool post(http_stream *st, http_msg *m, bool only_idle)
{
	pthread_mutex_lock(&st->mu);
	bool ok = !st->closed;
	if (ok && (!only_idle || (!st->cur && !st->next))) {
		http_msg_unref(st->next);
		st->next = http_msg_ref(m);
		stream_wake(st);
	}
	pthread_mutex_unlock(&st->mu);
	return ok;
}

bool http_stream_post(http_stream *st, http_msg *m) { return post(st, m, false); }
bool http_stream_post_idle(http_stream *st, http_msg *m) { return post(st, m, true); }

bool http_stream_alive(http_stream *st)
{
	pthread_mutex_lock(&st->mu);
	bool ok = !st->closed;
	pthread_mutex_unlock(&st->mu);
	return ok;
}

void http_stream_end(http_stream *st)
{
	pthread_mutex_lock(&st->mu);
	st->closed = true;
	stream_wake(st);
	pthread_mutex_unlock(&st->mu);
}

void http_stream_release(http_stream *st)
{
	if (st)
		stream_unref(st);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	http_stream *st = cls;
	pthread_mutex_lock(&st->mu);
	if (!st->cur && st->next) {
		st->cur = st->next;
		st->next = NULL;
		st->off = 0;
	}
	if (st->cur) {
		size_t n = st->cur->len - st->off;
		if (n > max)
			n = max;
		memcpy(buf, st->cur->data + st->off, n);
		st->off += n;
		if (st->off >= st->cur->len) {
			http_msg_unref(st->cur);
			st->cur = NULL;
		}
		pthread_mutex_unlock(&st->mu);
		return (ssize_t)n;
	}
	if (st->closed) {
		pthread_mutex_unlock(&st->mu);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	st->suspended = true;
	MHD_suspend_connection(st->conn);
	pthread_mutex_unlock(&st->mu);
	return 0;
}

/* The response is gone (sent, client left, or server stopped). */
static void stream_gone(void *cls)
{
	http_stream *st = cls;
	http_server *srv = st->srv;
	if (srv && st->linked) {
		pthread_mutex_lock(&srv->streams_mu);
		if (st->prev)
			st->prev->lnext = st->lnext;
		else
			srv->streams = st->lnext;
		if (st->lnext)
			st->lnext->prev = st->prev;
		st->linked = false;
		pthread_mutex_unlock(&srv->streams_mu);
	}
	pthread_mutex_lock(&st->mu);
	st->closed = true;
	st->suspended = false;
	st->conn = NULL;
	http_msg_unref(st->cur);
	http_msg_unref(st->next);
	st->cur = st->next = NULL;
	pthread_mutex_unlock(&st->mu);
	stream_unref(st);
}

/* One request's state, from its first byte to its completion. Created by
 * the URI callback (so a request with too many query parameters is known
 * before libmicrohttpd takes them apart) or else by the first call. */
typedef struct conn_state {
	arena     a;
	http_req  req;
	char     *body;
	size_t    body_len, body_cap;
	size_t    reserved;     /* bytes taken from the request-body budget */
	bool      started;      /* the first call has run */
	bool      too_large;    /* 413 */
	bool      far_too_large;/* 413 at once, without reading the body */
	bool      over_budget;  /* 503: the bodies of all requests hold too much */
	bool      no_memory;    /* 503: an allocation of this layer failed */
	bool      too_many;     /* 414: too many query parameters */
	bool      counted;
	char      ip[INET6_ADDRSTRLEN];
} conn_state;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *const security_headers[][2] = {
	{ "Content-Security-Policy",
	  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "same-origin" },
	{ "X-Frame-Options", "DENY" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
};

static enum MHD_Result queue(struct MHD_Connection *c, http_server *srv, http_resp *s,
                             size_t *bytes)
{
	struct MHD_Response *mr;
	if (s->body_obj && !http_body_started(s->body_obj)) {
		/* Opened and then not started: a handler bug; do not hang. */
		http_body_discard(s->body_obj);
		s->status = 500;
	}
	if (s->body_obj) {
		*bytes = 0;
		http_body *b = s->body_obj;
		s->body_obj = NULL;
		mr = http_body_response(srv, b);
		if (mr)
			MHD_add_response_header(mr, "X-Accel-Buffering", "no");
	} else if (s->stream_obj) {
		http_stream *st = s->stream_obj;
		*bytes = 0;
		mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 2048, stream_read, st,
		                                       stream_gone);
		if (!mr) {
			s->stream_obj = NULL;
			stream_gone(st);
			return MHD_NO;
		}
		pthread_mutex_lock(&srv->streams_mu);
		st->linked = true;
		st->lnext = srv->streams;
		if (srv->streams)
			srv->streams->prev = st;
		srv->streams = st;
		if (srv->stopping) {
			pthread_mutex_lock(&st->mu);
			st->closed = true;
			pthread_mutex_unlock(&st->mu);
		}
		pthread_mutex_unlock(&srv->streams_mu);
		MHD_add_response_header(mr, "X-Accel-Buffering", "no");
	} else if (s->static_body) {
		mr = MHD_create_response_from_buffer(s->static_len, (void *)s->static_body,
		                                     MHD_RESPMEM_PERSISTENT);
		*bytes = s->static_len;
	} else {
		size_t len = s->body.len;
		char *data = sb_take(&s->body);
		if (!data) { /* out of memory while building: a bare 503 */
			s->status = 503;
			len = 0;
		}
		*bytes = len;
		mr = MHD_create_response_from_buffer(len, data ? data : (void *)"",
		                                     data ? MHD_RESPMEM_MUST_FREE
		                                          : MHD_RESPMEM_PERSISTENT);
		if (!mr)
			free(data);
	}
	if (!mr)
		return MHD_NO;
	if (s->arena_failed) {
		char n[24];
		snprintf(n, sizeof n, "%lu", s->arena_failed);
		MHD_add_response_header(mr, "X-Openplan-Arena-Failed", n);
	}
	for (size_t i = 0; i < sizeof security_headers / sizeof *security_headers; i++)
		MHD_add_response_header(mr, security_headers[i][0], security_headers[i][1]);
	if (s->content_type)
		MHD_add_response_header(mr, "Content-Type", s->content_type);
	for (size_t i = 0; i < s->headers.len; i++)
		MHD_add_response_header(mr, s->headers.items[i].key, s->headers.items[i].value);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)s->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

/* Query arguments; an allocation failure is remembered (a 503, not a 400). */
typedef struct arg_ctx {
	http_req *r;
	bool      no_memory;
} arg_ctx;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	arg_ctx *x = cls;
	http_req *r = x->r;
	const char *k = arena_strndup(r->a, key ? key : "", key ? key_size : 0);
	char *v = arena_strndup(r->a, value ? value : "", value ? value_size : 0);
	int rc = !k || !v ? HTTP_NOMEM : http_kv_add(r->a, &r->query, k, v, value ? value_size : 0);
	if (rc == HTTP_NOMEM)
		x->no_memory = true;
	return rc == 0 ? MHD_YES : MHD_NO;
}

/* Multipart fields arrive in pieces; append each piece to the last field
 * of the same name. Files are kept as bytes like any other value. */
typedef struct post_ctx {
	http_req *r;
	bool      no_memory;
} post_ctx;

static enum MHD_Result collect_post(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *filename, const char *content_type,
                                    const char *transfer_encoding, const char *data,
                                    uint64_t off, size_t size)
{
	(void)kind; (void)content_type; (void)transfer_encoding;
	post_ctx *x = cls;
	http_req *r = x->r;
	http_kvlist *l = &r->form;
	if (off > 0 && l->len > 0 && strcmp(l->items[l->len - 1].key, key) == 0) {
		http_kv *kv = &l->items[l->len - 1];
		char *v = arena_alloc(r->a, kv->value_len + size + 1);
		if (!v) {
			x->no_memory = true;
			return MHD_NO;
		}
		memcpy(v, kv->value, kv->value_len);
		memcpy(v + kv->value_len, data, size);
		v[kv->value_len + size] = '\0';
		kv->value = v;
		kv->value_len += size;
		return MHD_YES;
	}
	const char *k = arena_strdup(r->a, key);
	char *v = arena_strndup(r->a, data ? data : "", size);
	int rc = !k || !v ? HTTP_NOMEM : http_kv_add(r->a, l, k, v, size);
	if (rc == HTTP_NOMEM)
		x->no_memory = true;
	else if (rc == 0)
		l->items[l->len - 1].file = filename != NULL;
	return rc == 0 ? MHD_YES : MHD_NO;
}

static int method_id(const char *m)
{
	if (strcmp(m, "GET") == 0) return HTTP_GET;
	if (strcmp(m, "HEAD") == 0) return HTTP_HEAD;
	if (strcmp(m, "POST") == 0) return HTTP_POST;
	return HTTP_OTHER;
}

static void simple(http_resp *s, int status, const char *text)
{
	s->status = status;
	s->content_type = "text/plain; charset=utf-8";
	sb_puts(&s->body, text);
}

/* Parses the body by content type. Returns 0, or an HTTP status to send. */
static int parse_body(struct MHD_Connection *c, http_req *r)
{
	if (r->body_len == 0)
		return 0;
	const char *ct = r->content_type ? r->content_type : "";
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
		int rc = http_parse_urlencoded(r->a, r->body, r->body_len, &r->form);
		return rc == 0 ? 0 : rc == HTTP_NOMEM ? 503 : 400;
	}
	if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
		struct MHD_PostProcessor *pp;
		post_ctx x = { r, false };
		pp = MHD_create_post_processor(c, 16384, collect_post, &x);
		if (!pp)
			return 400;
		enum MHD_Result ok = MHD_post_process(pp, r->body, r->body_len);
		enum MHD_Result done = MHD_destroy_post_processor(pp);
		if (x.no_memory)
			return 503;
		return ok == MHD_YES && done == MHD_YES ? 0 : 400;
	}
	return 0; /* JSON and others: the handler reads r->body */
}

/* An answer of this layer's own, without the application: for when there
 * is no memory to run it (503), or nothing it should see (414). */
static enum MHD_Result answer_plain(struct MHD_Connection *c, int status, const char *text,
                                    const arena *a)
{
	struct MHD_Response *mr = MHD_create_response_from_buffer(strlen(text), (void *)text,
	                                                          MHD_RESPMEM_PERSISTENT);
	if (!mr)
		return MHD_NO;
	if (a && a->fail_at && a->nfailed) { /* the test hook is on for this request */
		char n[24];
		snprintf(n, sizeof n, "%lu", a->nfailed);
		MHD_add_response_header(mr, "X-Openplan-Arena-Failed", n);
	}
	for (size_t i = 0; i < sizeof security_headers / sizeof *security_headers; i++)
		MHD_add_response_header(mr, security_headers[i][0], security_headers[i][1]);
	MHD_add_response_header(mr, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(mr, "Cache-Control", "no-store");
	if (status == 503)
		MHD_add_response_header(mr, "Retry-After", "5");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, mr);
	MHD_destroy_response(mr);
	return ret;
}

static const char busy_text[] =
	"503 Service Unavailable\n\nThe server is busy right now. Please try again in a moment.\n"
	"De server heeft het nu te druk. Probeer het zo opnieuw.\n";
static const char too_many_text[] =
	"414 URI Too Long\n\nThis address has more query parameters than this site accepts.\n";

/* The URI callback runs before libmicrohttpd splits the query string into
 * its per-connection pool, which a few hundred parameters exhaust (and the
 * client then waits for a timeout). Past HTTP_MAX_QUERY_PARAMS the query is
 * cut off in libmicrohttpd's buffer, so nothing is split, and the request
 * is answered 414. Returns the request's state (becomes *con_cls). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls; (void)c;
	conn_state *st = calloc(1, sizeof *st);
	char *q = strchr(uri, '?');
	if (q) {
		size_t n = 1;
		for (const char *p = q + 1; *p && *p != ' '; p++)
			n += *p == '&';
		if (n > HTTP_MAX_QUERY_PARAMS) {
			/* The buffer is libmicrohttpd's own, writable read buffer;
			 * it parses the arguments from just after the '?'. */
			q[1] = '\0';
			if (st)
				st->too_many = true;
		}
	}
	return st;
}

static void client_address(http_server *srv, struct MHD_Connection *c, conn_state *st)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	strcpy(st->ip, "unknown");
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, st->ip, sizeof st->ip);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, st->ip, sizeof st->ip);
	}
	const char *proxy = srv->cfg.trusted_proxy;
	if (proxy && *proxy && strcmp(st->ip, proxy) == 0) {
		const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
		char fwd[INET6_ADDRSTRLEN];
		if (xff && http_forwarded_for(xff, proxy, fwd, sizeof fwd))
			strcpy(st->ip, fwd);
	}
}

/* The first call: the request line and headers are in. */
static void request_begin(http_server *srv, struct MHD_Connection *c, conn_state *st,
                          const char *url, const char *method)
{
	st->started = true;
	atomic_fetch_add(&srv->inflight, 1);
	st->counted = true;
	arena_init(&st->a, srv->cfg.body_limit * 4 + (16u << 20));
	if (srv->cfg.fault_header) {
		const char *f = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Openplan-Fault-Arena");
		char *end = NULL;
		unsigned long n = f ? strtoul(f, &end, 10) : 0;
		if (n)
			arena_fault_arena(&st->a, n, end && *end == '+');
	}
	http_req *r = &st->req;
	r->a = &st->a;
	r->conn = c;
	r->started_ns = now_ns();
	r->method = method_id(method);
	r->route = -1;
	r->server = srv;
	r->secure_cookies = srv->cfg.secure_cookies;
	r->method_name = arena_strdup(&st->a, method);
	r->path = arena_strdup(&st->a, url);
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	r->content_type = ct ? arena_strdup(&st->a, ct) : NULL;
	if (!r->method_name || !r->path || (ct && !r->content_type))
		st->no_memory = true;
	client_address(srv, c, st);
	r->client_ip = st->ip;
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl) {
		unsigned long long n = strtoull(cl, NULL, 10);
		if (n > srv->cfg.body_limit) {
			/* A little over: the body is read and dropped, so the
			 * browser, still sending, gets to show the 413 page. Far
			 * over: answered at once and closed. */
			st->too_large = true;
			st->far_too_large = n / 16 > srv->cfg.body_limit;
		} else if (n > 0) {
			/* Take the announced size from the budget now: a thousand
			 * held uploads cannot add up beyond it. */
			if (guard_body_take(srv, (size_t)n))
				st->reserved = (size_t)n;
			else
				st->over_budget = true;
		}
	}
}

/* Appends a piece of the body; false when out of memory. */
static bool body_append(http_server *srv, conn_state *st, const char *data, size_t n)
{
	if (st->body_len + n > srv->cfg.body_limit) {
		st->too_large = true;
		return true;
	}
	size_t need = st->body_len + n + 1;
	if (need > st->reserved) { /* chunked, or more than announced */
		if (!guard_body_take(srv, need - st->reserved)) {
			st->over_budget = true;
			return true;
		}
		st->reserved = need;
	}
	if (need > st->body_cap) {
		size_t cap = st->body_cap ? st->body_cap : 4096;
		while (cap < need)
			cap *= 2;
		char *b = arena_alloc(&st->a, cap);
		if (!b)
			return false;
		if (st->body_len)
			memcpy(b, st->body, st->body_len);
		st->body = b;
		st->body_cap = cap;
	}
	memcpy(st->body + st->body_len, data, n);
	st->body_len += n;
	st->body[st->body_len] = '\0';
	return true;
}

/* The request is in (or refused early): dispatch it and queue the answer. */
static enum MHD_Result request_answer(http_server *srv, struct MHD_Connection *c, conn_state *st)
{
	guard_reading(c, true);
	if (st->too_many)
		return answer_plain(c, 414, too_many_text, &st->a);
	if (st->no_memory || st->over_budget)
		return answer_plain(c, 503, busy_text, &st->a);
	http_req *r = &st->req;
	http_resp resp = { .status = 200 };
	sb_init(&resp.body);
	/* Room for the usual headers up front: the last ones a response gets
	 * (http_resp_header_lit) then need no memory. */
	resp.headers.items = arena_alloc(r->a, 16 * sizeof *resp.headers.items);
	resp.headers.cap = resp.headers.items ? 16 : 0;
	r->body = st->body ? st->body : "";
	r->body_len = st->body_len;
	int bad = 0;
	/* Cookies first, so even an error page speaks the visitor's language. */
	const char *ck = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	int rc = http_parse_cookies(r->a, ck, &r->cookies);
	if (rc != 0)
		bad = rc == HTTP_NOMEM ? 503 : 400;
	if (st->too_large) {
		bad = 413;
	} else if (!bad) {
		arg_ctx x = { r, false };
		if (MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_arg, &x) < 0 ||
		    x.no_memory)
			bad = x.no_memory ? 503 : 400;
		if (!bad)
			bad = parse_body(c, r);
	}
	if (bad == 503)
		return answer_plain(c, 503, busy_text, &st->a);
	r->app = NULL;
	if (bad) {
		/* The application still renders these, so they look like the site. */
		r->route = bad == 413 ? -413 : -400;
	}
	srv->cfg.dispatch(r, &resp, srv->cfg.ctx);
	if (resp.status == 0)
		simple(&resp, 500, "Internal Server Error");
	if (st->a.fail_at)
		resp.arena_failed = st->a.nfailed ? st->a.nfailed : 0;
	if (resp.status >= 500 && st->a.nfailed > 0 && !resp.stream_obj && !resp.body_obj &&
	    !resp.static_body) {
		/* The handler failed because the request's memory ran out
		 * (its budget, or the fault hook): that is "busy", not a bug. */
		sb_free(&resp.body);
		if (srv->cfg.done)
			srv->cfg.done(r, &(http_resp){ .status = 503 }, 0, srv->cfg.ctx);
		return answer_plain(c, 503, busy_text, &st->a);
	}
	size_t bytes = 0;
	bool long_lived = resp.stream_obj || resp.body_obj;
	enum MHD_Result ret = queue(c, srv, &resp, &bytes);
	if (srv->cfg.done)
		srv->cfg.done(r, &resp, bytes, srv->cfg.ctx);
	sb_free(&resp.body);
	if (long_lived) {
		/* A stream or a streamed body stays open for long: give back
		 * the request's memory and its share of the body budget now. */
		arena_free(&st->a);
		arena_init(&st->a, 1);
		st->body = NULL;
		st->body_len = st->body_cap = 0;
		guard_body_give(srv, st->reserved);
		st->reserved = 0;
	}
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	http_server *srv = cls;
	conn_state *st = *con_cls;
	if (!st) { /* no URI callback ran, or it had no memory */
		st = calloc(1, sizeof *st);
		if (!st)
			return MHD_NO;
		*con_cls = st;
	}
	if (!st->started) {
		request_begin(srv, c, st, url, method);
		/* Refusals that need not wait for the body are answered now;
		 * libmicrohttpd then discards the body and closes. */
		if (st->too_many || st->no_memory || st->over_budget || st->far_too_large)
			return request_answer(srv, c, st);
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!st->too_large && !st->over_budget && !st->no_memory &&
		    !body_append(srv, st, upload, *upload_size))
			st->no_memory = true;
		*upload_size = 0;
		return MHD_YES;
	}
	return request_answer(srv, c, st);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	http_server *srv = cls;
	conn_state *st = *con_cls;
	if (!st)
		return;
	if (st->counted)
		atomic_fetch_sub(&srv->inflight, 1);
	guard_body_give(srv, st->reserved);
	arena_free(&st->a);
	free(st);
	*con_cls = NULL;
	guard_reading(c, false); /* a next request on the connection is timed anew */
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	fprintf(stderr, "level=warn msg=\"libmicrohttpd: %s\"\n", line);
}

http_server *http_start(const http_config *cfg, char *err, size_t errlen)
{
	http_server *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	pthread_mutex_init(&s->streams_mu, NULL);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(cfg->port) };
	if (inet_pton(AF_INET, cfg->listen_host, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "cannot listen on '%s': not an IPv4 address", cfg->listen_host);
		goto fail;
	}
	if (cfg->trusted_proxy && *cfg->trusted_proxy) {
		unsigned char bin[16];
		if (inet_pton(AF_INET, cfg->trusted_proxy, bin) != 1 &&
		    inet_pton(AF_INET6, cfg->trusted_proxy, bin) != 1) {
			snprintf(err, errlen, "trusted proxy '%s' is not an IP address", cfg->trusted_proxy);
			goto fail;
		}
	}
	unsigned threads = cfg->threads ? cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	s->bodies_limit = cfg->bodies_limit ? cfg->bodies_limit : (size_t)64 << 20;
	if (s->bodies_limit < cfg->body_limit)
		s->bodies_limit = cfg->body_limit;
	unsigned conn_limit = guard_nofile(cfg->conn_limit ? cfg->conn_limit : 16384u);
	s->jobs = jobs_new(cfg->job_threads ? cfg->job_threads : 2,
	                   cfg->job_queue ? cfg->job_queue : 8, 5);
	s->guard = guard_new(s, cfg->per_ip_limit ? cfg->per_ip_limit : 256,
	                     cfg->read_timeout ? cfg->read_timeout : 30, conn_limit);
	if (!s->jobs || !s->guard) {
		snprintf(err, errlen, "out of memory or threads");
		goto fail;
	}
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC;
	s->d = MHD_start_daemon(flags, cfg->port, guard_accept, s->guard, on_request, s,
	                        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	                        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	                        MHD_OPTION_THREAD_POOL_SIZE, threads,
	                        MHD_OPTION_CONNECTION_LIMIT, conn_limit,
	                        MHD_OPTION_CONNECTION_TIMEOUT, 60u,
	                        /* Per connection; half of it holds the request
	                         * line and headers (8 KiB, nginx's default for
	                         * large headers; bodies stream, see body.c).
	                         * Every open event stream keeps this: 32 KiB
	                         * cost ~25 KiB resident each (510 MB at 19,500
	                         * live-poll participants), 16 KiB ~17 KiB
	                         * (357 MB; make bench-polls). */
	                        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
	                        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
	                        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
	                        MHD_OPTION_NOTIFY_CONNECTION, guard_notify, s->guard,
	                        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	                        MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "cannot listen on %s:%u (address in use or not allowed)",
		         cfg->listen_host, cfg->port);
		goto fail;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : cfg->port;
	return s;
fail:
	guard_free(s->guard);
	jobs_free(s->jobs);
	pthread_mutex_destroy(&s->streams_mu);
	free(s);
	return NULL;
}

uint16_t http_port(const http_server *s) { return s->port; }

void http_stop(http_server *s, unsigned grace_ms)
{
	if (!s)
		return;
	MHD_socket ls = MHD_quiesce_daemon(s->d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	/* Every open stream ends; suspended ones are resumed to notice. MHD
	 * must not be stopped while a connection is suspended. */
	pthread_mutex_lock(&s->streams_mu);
	s->stopping = true;
	for (http_stream *st = s->streams; st; st = st->lnext) {
		pthread_mutex_lock(&st->mu);
		st->closed = true;
		stream_wake(st);
		pthread_mutex_unlock(&st->mu);
	}
	pthread_mutex_unlock(&s->streams_mu);
	/* Requests and streamed bodies in flight may finish within the grace. */
	for (unsigned waited = 0; waited < grace_ms && atomic_load(&s->inflight) > 0; waited += 10)
		usleep(10000);
	/* Then the bodies still going end (their producers' writes fail), the
	 * producers return, and the suspended connections are resumed. */
	http_body_abort_all(s);
	jobs_free(s->jobs);
	s->jobs = NULL;
	http_body_abort_all(s);
	MHD_stop_daemon(s->d);
	guard_free(s->guard);
	pthread_mutex_destroy(&s->streams_mu);
	free(s);
}

const char *http_header(const http_req *r, const char *name)
{
	if (!r->conn)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}
