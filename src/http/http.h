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
	bool        file;      /* a file part of a multipart form: bytes, not text */
} http_kv;

typedef struct http_kvlist {
	http_kv *items;
	size_t   len, cap;
} http_kvlist;

int         http_kv_add(arena *a, http_kvlist *l, const char *k, const char *v, size_t vlen);
const char *http_kv_get(const http_kvlist *l, const char *key);

/* Parsers; each returns 0, or -1 on malformed input or too many fields (a
 * 400), or HTTP_NOMEM when the arena ran out (a 503). http_kv_add likewise. */
enum { HTTP_NOMEM = -2 };
int http_parse_urlencoded(arena *a, const char *body, size_t len, http_kvlist *out);
int http_parse_cookies(arena *a, const char *header, http_kvlist *out);

/* The client behind a trusted reverse proxy: the right-most address in the
 * X-Forwarded-For header xff that is not the proxy itself, normalised, in
 * out. False when xff holds no such address (the peer is then the client).
 * Entries are plain IPv4 or IPv6 addresses ("[…]" allowed); the right-most
 * entry is the one our proxy added, so a bad one there stops the search. */
bool http_forwarded_for(const char *xff, const char *proxy, char *out, size_t outlen);

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
	bool         secure_cookies; /* cookies are __Host- prefixed (see http_config) */
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
	unsigned long arena_failed; /* test hook on: the request arena's failed allocations
	                             * (sent as X-Openplan-Arena-Failed) */
	struct http_stream *stream_obj;
	struct http_body   *body_obj; /* set by http_body_open: a streamed body */
} http_resp;

void http_resp_header(http_req *r, http_resp *s, const char *name, const char *value);
/* The same for a value that lives as long as the program (a literal): not
 * copied, and within the room every response has for a few headers, so it
 * needs no memory. */
void http_resp_header_lit(http_req *r, http_resp *s, const char *name, const char *value);
void http_redirect(http_req *r, http_resp *s, const char *location); /* 303 See Other */
/* Adds a Set-Cookie with HttpOnly, SameSite=Lax, Path=/ and, when secure,
 * Secure and the name __Host-NAME (a cookie no other site or subdomain can
 * set); http_cookie then reads only the prefixed name. */
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

/* ---- streamed bodies (exports) ------------------------------------------
 * For a body too large to build in memory: a producer function writes it
 * piece by piece on a thread of the server's job pool (never on a request
 * worker), and libmicrohttpd sends it with chunked encoding. Between the
 * two is a bounded buffer (HTTP_BODY_PENDING bytes): the producer waits
 * while it is full, and the connection is suspended (no thread, no
 * polling) while it is empty; so memory does not grow with the body.
 *
 *   http_body *b = http_body_open(r, s);                 (in the handler)
 *   job *j = arena_calloc(http_body_arena(b), 1, sizeof *j); ... fill j
 *   if (http_body_start(b, produce, j) != 0) -> answer 503 (busy)
 *
 *   static bool produce(http_body *b, void *arg)      (on a job thread)
 *   { ... while (rows) if (http_body_write(b, p, n) != 0) return false;
 *     return true; }
 *
 * The handler sets status, content type and headers on s as usual; they go
 * out when it returns. Errors after that cannot change the status: a
 * producer that returns false makes the connection close without the last
 * chunk, so the client sees an incomplete download, never a complete-looking
 * truncated one. */
enum { HTTP_BODY_PENDING = 256 * 1024 };
typedef struct http_body http_body;
typedef bool (*http_body_fn)(http_body *b, void *arg);

/* Makes s a streamed body. NULL when out of memory (then s is unchanged). */
http_body *http_body_open(http_req *r, http_resp *s);
/* Memory that lives as long as the producer: its arguments go here (the
 * request's arena is gone by the time the producer runs). */
arena     *http_body_arena(http_body *b);
/* Queues fn(b, arg) on the job pool. 0, or -1 when the pool is full, the
 * server is stopping or the request has already run out of memory: then
 * the body is released, s is a normal response again, and the handler
 * answers (503, "busy, try again"). */
int        http_body_start(http_body *b, http_body_fn fn, void *arg);
/* For the producer: appends n bytes, waiting while the buffer is full.
 * 0, or -1 when the client has gone or the server is stopping: stop then. */
int        http_body_write(http_body *b, const void *data, size_t n);
/* http_body_write with a void * first argument, for writers that take a
 * sink (csv_writer). */
int        http_body_sink(void *b, const void *data, size_t n);
/* For the producer: sends everything from fd's current offset to its end
 * (a temporary file libxlsxwriter wrote) in 64 KiB pieces. The caller
 * closes fd. 0, or -1 on a read error or when the client has gone. */
int        http_body_send_fd(http_body *b, int fd);

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
	unsigned         conn_limit;    /* lowered to what the descriptor limit allows */
	/* Hardening (0 = the default in brackets): */
	unsigned         per_ip_limit;  /* open connections per client address [256];
	                                 * 127.0.0.1, ::1 and the trusted proxy are exempt */
	size_t           bodies_limit;  /* bytes all request bodies being received may
	                                 * hold together; beyond: 503 at once [64 MiB] */
	unsigned         read_timeout;  /* seconds to receive a whole request, headers and
	                                 * body; trickled bytes do not extend it [30] */
	bool             fault_header;  /* test hook: a request's X-Openplan-Fault-Arena: N[+]
	                                 * makes its arena's Nth allocation fail (and every
	                                 * later one with +); off in production */
	bool             secure_cookies; /* served over HTTPS: cookies are Secure and
	                                  * named __Host-NAME (http_cookie reads those) */
	const char      *trusted_proxy; /* a reverse proxy's address: its X-Forwarded-For
	                                 * names the client; NULL = believe no header */
	unsigned         job_threads;   /* producers of streamed bodies [2] */
	unsigned         job_queue;     /* streamed bodies waiting for a producer [8] */
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

/* Longest query string we take apart: more parameters get a 414 at once.
 * libmicrohttpd keeps a record per parameter in the connection's 16 KiB
 * pool (server.c); 100 leave room for a browser's headers and cookies.
 * Our forms send at most a handful in a query (filters, paging). */
enum { HTTP_MAX_QUERY_PARAMS = 100 };

#endif
