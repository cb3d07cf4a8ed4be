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
	bool        stream;       /* reserved for Server-Sent Events */
} http_resp;

void http_resp_header(http_req *r, http_resp *s, const char *name, const char *value);
void http_redirect(http_req *r, http_resp *s, const char *location); /* 303 See Other */
/* Adds a Set-Cookie with HttpOnly, SameSite=Lax, Path=/ and Secure when set. */
void http_set_cookie(http_req *r, http_resp *s, const char *name, const char *value,
                     long max_age, bool secure);

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
