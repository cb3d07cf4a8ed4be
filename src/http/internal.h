/* internal.h — what the files of the HTTP layer share and handlers never
 * see: the server object, and the hooks between server.c (libmicrohttpd
 * glue), body.c (streamed bodies) and guard.c (connection limits, the
 * request-read deadline, the request-body memory budget, descriptors).
 */
#ifndef OPENPLAN_HTTP_INTERNAL_H
#define OPENPLAN_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include "../util/jobs.h"
#include "http.h"

typedef struct guard guard;

struct http_server {
	struct MHD_Daemon *d;
	http_config        cfg;
	atomic_int         inflight;
	uint16_t           port;
	pthread_mutex_t    streams_mu;   /* guards both lists and stopping */
	http_stream       *streams;
	http_body         *bodies;
	bool               stopping;
	jobs              *jobs;         /* producers of streamed bodies */
	guard             *guard;
	atomic_size_t      body_bytes;   /* request bodies held now, all connections */
	size_t             bodies_limit;
};

/* ---- body.c ---- */
/* The MHD response for a body opened by the handler; NULL when out of
 * memory (the body is then released). Links it into the server's list. */
struct MHD_Response *http_body_response(http_server *srv, http_body *b);
/* Ends every body (their producers' writes fail) and wakes suspended ones. */
void http_body_abort_all(http_server *srv);
/* Releases a body that was opened but never started. */
void http_body_discard(http_body *b);
bool http_body_started(const http_body *b);

/* ---- guard.c ---- */
/* Raises RLIMIT_NOFILE as far as allowed and logs what it got; returns the
 * number of connections that leaves room for (with headroom for the
 * database, logs and temporary files). */
unsigned guard_nofile(unsigned wanted);
guard   *guard_new(http_server *srv, unsigned per_ip, unsigned read_timeout_s,
                   unsigned conn_limit);
void     guard_free(guard *g);
/* libmicrohttpd callbacks: the accept policy (per-IP limit) and the
 * connection notifications (tracking for the read deadline). */
enum MHD_Result guard_accept(void *cls, const struct sockaddr *addr, socklen_t len);
void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                  enum MHD_ConnectionNotificationCode code);
/* The request on c has been read whole (true) or a new one begins on the
 * same connection (false): only connections still reading are timed. */
void guard_reading(struct MHD_Connection *c, bool done);
/* Takes n bytes from the budget for request bodies; false when over it. */
bool guard_body_take(http_server *srv, size_t n);
void guard_body_give(http_server *srv, size_t n);

#endif
