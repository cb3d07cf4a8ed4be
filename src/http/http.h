/* http.h — the HTTP layer: libmicrohttpd glue, the request and response
 * objects handlers see, the router, and parsing of query strings, forms
 * (url-encoded and multipart) and cookies.
 *
 * It knows nothing of openplan's domain: the application gives it one
 * dispatch function (http_dispatch_fn) and gets a filled request back.
 */
#ifndef OPENPLAN_HTTP_H
#define OPENPLAN_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/sb.h"

/* ---- key/value lists (query, form, cookies) ---------------------------- */
typedef struct http_kv {
	const char *key;
	const char *value;
	size_t      value_len; /* values may hold bytes a C string cannot (checked later) */
} http_kv;

typedef struct http_kvlist {
	http_kv *items;
	size_t   len, cap;
} http_kvlist;

int         http_kv_add(arena *a, http_kvlist *l, const char *k, const char *v, size_t vlen);
const char *http_kv_get(const http_kvlist *l, const char *key);

/* Parsers; each returns 0, or -1 on malformed input (a 400). */
int http_parse_urlencoded(arena *a, const char *body, size_t len, http_kvlist *out);
int http_parse_cookies(arena *a, const char *header, http_kvlist *out);

/* ---- methods ------------------------------------------------------------ */
enum http_method { HTTP_GET = 1, HTTP_HEAD = 2, HTTP_POST = 4, HTTP_OTHER = 8 };

/* ---- request ------------------------------------------------------------- */
typedef struct http_req {
	arena       *a;
	void        *conn;        /* struct MHD_Connection *, opaque to handlers */
	int          method;
	const char  *method_name;
	const char  *path;        /* as received, without the query string */
	const char  *content_type;
	const char  *body;
	size_t       body_len;
	http_kvlist  query, form, cookies;
	const char  *params[8];   /* path parameters, in pattern order */
	const char  *param_names[8];
	int          nparams;
	const char  *client_ip;
	uint64_t     started_ns;
	int          route;       /* index of the matched route, -1 when none */
	void        *app;         /* per-request application state */
	struct http_server *server;
} http_req;

const char *http_header(const http_req *r, const char *name);
const char *http_query(const http_req *r, const char *name);
const char *http_form(const http_req *r, const char *name);
const char *http_cookie(const http_req *r, const char *name);
const char *http_param(const http_req *r, const char *name);

/* ---- response ------------------------------------------------------------ */
typedef struct http_resp {
	int         status;
	const char *content_type;
	sb          body;
	http_kvlist headers;      /* extra headers: Set-Cookie, Location, Cache-Control … */
	const void *static_body;  /* set instead of body for embedded assets */
	size_t      static_len;
	bool        stream;       /* set by http_stream_open: the body is a stream */
	struct http_stream *stream_obj;
} http_resp;

void http_resp_header(http_req *r, http_resp *s, const char *name, const char *value);
void http_redirect(http_req *r, http_resp *s, const char *location); /* 303 See Other */
/* Adds a Set-Cookie with HttpOnly, SameSite=Lax, Path=/ and Secure when set. */
void http_set_cookie(http_req *r, http_resp *s, const char *name, const char *value,
                     long max_age, bool secure);

/* ---- streams (Server-Sent Events) ----------------------------------------
 * A handler turns its response into a stream with http_stream_open: the
 * status and headers go out, then the connection is suspended (no thread
 * waits for it) until the application posts a message from any thread,
 * which resumes it. Messages are shared, reference-counted byte strings, so
 * one serialized event can go to thousands of streams without copies. A
 * stream holds at most one message being sent and one waiting: a newer
 * post replaces the waiting one (each message must be a full snapshot).
 * When the client goes away or the server stops, the stream is closed;
 * posts then return false and the application drops its reference. */
typedef struct http_msg    http_msg;
typedef struct http_stream http_stream;

http_msg *http_msg_new(const char *data, size_t len); /* one reference; NULL when out of memory */
http_msg *http_msg_ref(http_msg *m);
void      http_msg_unref(http_msg *m);

/* Makes s a stream; the caller owns one reference (http_stream_release).
 * NULL when out of memory. */
http_stream *http_stream_open(http_req *r, http_resp *s);
/* Queues m (replacing a waiting message); false when the stream is closed. */
bool http_stream_post(http_stream *st, http_msg *m);
/* Queues m only when nothing is waiting or being sent (heartbeats). */
bool http_stream_post_idle(http_stream *st, http_msg *m);
bool http_stream_alive(http_stream *st);
/* Ends the response once what is queued has been sent. */
void http_stream_end(http_stream *st);
void http_stream_release(http_stream *st);

/* ---- router -------------------------------------------------------------- */
/* Patterns are literal segments and {name} segments ("/plans/{id}/edit").
 * Returns the index of the first route whose pattern and method match;
 * -1 when no pattern matches (404); -2 when a pattern matches but not the
 * method (405), with *allowed set to the methods that would. */
typedef struct http_route_pattern {
	int         methods;  /* HTTP_GET | HTTP_POST … (GET implies HEAD) */
	const char *pattern;
} http_route_pattern;

int http_route_match(const http_route_pattern *routes, size_t n, http_req *r,
                     int *allowed);

/* ---- server -------------------------------------------------------------- */
typedef void (*http_dispatch_fn)(http_req *req, http_resp *resp, void *ctx);
typedef void (*http_done_fn)(http_req *req, http_resp *resp, size_t bytes, void *ctx);

typedef struct http_config {
	const char      *listen_host;   /* "127.0.0.1" */
	uint16_t         port;
	size_t           body_limit;    /* bytes; larger bodies get 413 */
	unsigned         threads;       /* 0 = number of cores */
	unsigned         conn_limit;
	http_dispatch_fn dispatch;
	http_done_fn     done;          /* after the response is queued: logs, metrics */
	void            *ctx;
} http_config;

typedef struct http_server http_server;

http_server *http_start(const http_config *cfg, char *err, size_t errlen);
uint16_t     http_port(const http_server *s);
/* Stops accepting, lets in-flight requests finish (up to grace_ms), stops. */
void         http_stop(http_server *s, unsigned grace_ms);

const char *http_status_text(int status);

#endif
