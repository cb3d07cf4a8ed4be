/* server.c — libmicrohttpd glue: starts an epoll thread-pool daemon, turns
 * each connection's request into an http_req (arena, headers, query, body,
 * cookies, forms), calls the application's dispatch function, and queues
 * its http_resp with the security headers every response carries.
 * Graceful stop: quiesce the listener, close every open stream (resuming
 * the suspended ones), wait for in-flight requests, stop.
 *
 * Streams (Server-Sent Events): the response reads from a callback; when
 * nothing is queued the callback suspends the connection (MHD_suspend_
 * connection) and a post from any thread resumes it (MHD_resume_connection),
 * so thousands of open streams hold no thread and no busy loop.
 */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct http_server {
	struct MHD_Daemon *d;
	http_config        cfg;
	atomic_int         inflight;
	uint16_t           port;
	pthread_mutex_t    streams_mu;   /* guards the list and stopping */
	http_stream       *streams;
	bool               stopping;
};

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

typedef struct conn_state {
	arena     a;
	http_req  req;
	char     *body;
	size_t    body_len, body_cap;
	bool      too_large;
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

static enum MHD_Result queue(struct MHD_Connection *c, http_resp *s, size_t *bytes)
{
	struct MHD_Response *mr;
	if (s->stream_obj) {
		http_stream *st = s->stream_obj;
		*bytes = 0;
		mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 2048, stream_read, st,
		                                       stream_gone);
		if (!mr) {
			s->stream_obj = NULL;
			stream_gone(st);
			return MHD_NO;
		}
		http_server *srv = st->srv;
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
		if (!data) { /* out of memory while building: a bare 500 */
			s->status = 500;
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

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	http_req *r = cls;
	const char *k = arena_strndup(r->a, key ? key : "", key ? key_size : 0);
	char *v = arena_strndup(r->a, value ? value : "", value ? value_size : 0);
	if (!k || !v || http_kv_add(r->a, &r->query, k, v, value ? value_size : 0) != 0)
		return MHD_NO;
	return MHD_YES;
}

/* Multipart fields arrive in pieces; append each piece to the last field
 * of the same name. Files are kept as bytes like any other value. */
static enum MHD_Result collect_post(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *filename, const char *content_type,
                                    const char *transfer_encoding, const char *data,
                                    uint64_t off, size_t size)
{
	(void)kind; (void)filename; (void)content_type; (void)transfer_encoding;
	http_req *r = cls;
	http_kvlist *l = &r->form;
	if (off > 0 && l->len > 0 && strcmp(l->items[l->len - 1].key, key) == 0) {
		http_kv *kv = &l->items[l->len - 1];
		char *v = arena_alloc(r->a, kv->value_len + size + 1);
		if (!v)
			return MHD_NO;
		memcpy(v, kv->value, kv->value_len);
		memcpy(v + kv->value_len, data, size);
		v[kv->value_len + size] = '\0';
		kv->value = v;
		kv->value_len += size;
		return MHD_YES;
	}
	const char *k = arena_strdup(r->a, key);
	char *v = arena_strndup(r->a, data ? data : "", size);
	if (!k || !v || http_kv_add(r->a, l, k, v, size) != 0)
		return MHD_NO;
	return MHD_YES;
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
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return http_parse_urlencoded(r->a, r->body, r->body_len, &r->form) == 0 ? 0 : 400;
	if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
		struct MHD_PostProcessor *pp = MHD_create_post_processor(c, 16384, collect_post, r);
		if (!pp)
			return 400;
		enum MHD_Result ok = MHD_post_process(pp, r->body, r->body_len);
		enum MHD_Result done = MHD_destroy_post_processor(pp);
		return ok == MHD_YES && done == MHD_YES ? 0 : 400;
	}
	return 0; /* JSON and others: the handler reads r->body */
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	http_server *srv = cls;
	conn_state *st = *con_cls;
	if (!st) {
		st = calloc(1, sizeof *st);
		if (!st)
			return MHD_NO;
		*con_cls = st;
		atomic_fetch_add(&srv->inflight, 1);
		st->counted = true;
		arena_init(&st->a, srv->cfg.body_limit * 4 + (16u << 20));
		http_req *r = &st->req;
		r->a = &st->a;
		r->conn = c;
		r->started_ns = now_ns();
		r->method = method_id(method);
		r->method_name = arena_strdup(&st->a, method);
		r->path = arena_strdup(&st->a, url);
		r->route = -1;
		r->server = srv;
		const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		r->content_type = ct ? arena_strdup(&st->a, ct) : NULL;
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
		r->client_ip = st->ip;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > srv->cfg.body_limit)
			st->too_large = true;
		return MHD_YES;
	}
	http_req *r = &st->req;
	if (*upload_size > 0) {
		if (!st->too_large && st->body_len + *upload_size > srv->cfg.body_limit)
			st->too_large = true;
		if (!st->too_large) {
			if (st->body_len + *upload_size + 1 > st->body_cap) {
				size_t cap = st->body_cap ? st->body_cap : 4096;
				while (cap < st->body_len + *upload_size + 1)
					cap *= 2;
				char *b = arena_alloc(&st->a, cap);
				if (!b)
					return MHD_NO;
				if (st->body_len)
					memcpy(b, st->body, st->body_len);
				st->body = b;
				st->body_cap = cap;
			}
			memcpy(st->body + st->body_len, upload, *upload_size);
			st->body_len += *upload_size;
			st->body[st->body_len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}

	http_resp resp = { .status = 200 };
	sb_init(&resp.body);
	r->body = st->body ? st->body : "";
	r->body_len = st->body_len;
	int bad = 0;
	/* Cookies first, so even an error page speaks the visitor's language. */
	const char *ck = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	if (http_parse_cookies(r->a, ck, &r->cookies) != 0)
		bad = 400;
	if (st->too_large) {
		bad = 413;
	} else if (!bad) {
		if (MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_arg, r) < 0)
			bad = 400;
		if (!bad)
			bad = parse_body(c, r);
	}
	r->app = NULL;
	if (bad) {
		/* The application still renders these, so they look like the site. */
		r->route = bad == 413 ? -413 : -400;
	}
	srv->cfg.dispatch(r, &resp, srv->cfg.ctx);
	if (resp.status == 0)
		simple(&resp, 500, "Internal Server Error");
	size_t bytes = 0;
	enum MHD_Result ret = queue(c, &resp, &bytes);
	if (srv->cfg.done)
		srv->cfg.done(r, &resp, bytes, srv->cfg.ctx);
	sb_free(&resp.body);
	if (resp.stream_obj) {
		/* A stream stays open for long: give back the request's memory now. */
		arena_free(&st->a);
		arena_init(&st->a, 1);
		st->body = NULL;
		st->body_len = st->body_cap = 0;
	}
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)c; (void)toe;
	http_server *srv = cls;
	conn_state *st = *con_cls;
	if (!st)
		return;
	if (st->counted)
		atomic_fetch_sub(&srv->inflight, 1);
	arena_free(&st->a);
	free(st);
	*con_cls = NULL;
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
		free(s);
		return NULL;
	}
	unsigned threads = cfg->threads ? cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC;
	s->d = MHD_start_daemon(flags, cfg->port, NULL, NULL, on_request, s,
	                        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	                        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	                        MHD_OPTION_THREAD_POOL_SIZE, threads,
	                        MHD_OPTION_CONNECTION_LIMIT, cfg->conn_limit ? cfg->conn_limit : 16384u,
	                        MHD_OPTION_CONNECTION_TIMEOUT, 60u,
	                        /* Per connection; half of it holds the request
	                         * line and headers (16 KiB). Thousands of open
	                         * event streams each keep this: 64 KiB cost
	                         * ~40 KiB resident each, 32 KiB ~25 KiB. */
	                        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
	                        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
	                        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	                        MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "cannot listen on %s:%u (address in use or not allowed)",
		         cfg->listen_host, cfg->port);
		free(s);
		return NULL;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : cfg->port;
	return s;
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
	for (unsigned waited = 0; waited < grace_ms && atomic_load(&s->inflight) > 0; waited += 10)
		usleep(10000);
	MHD_stop_daemon(s->d);
	pthread_mutex_destroy(&s->streams_mu);
	free(s);
}

const char *http_header(const http_req *r, const char *name)
{
	if (!r->conn)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}
