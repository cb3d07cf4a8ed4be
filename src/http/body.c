/* body.c — streamed response bodies (see http.h): a ring buffer between a
 * producer on a job thread and libmicrohttpd's content reader on a request
 * worker. The producer waits on a condition variable while the ring is
 * full; the reader suspends the connection while it is empty and the next
 * write resumes it (the same suspend/resume as the event streams in
 * server.c). Both ends hold a reference; the last one frees the body.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct http_body {
	pthread_mutex_t        mu;
	pthread_cond_t         room;      /* the producer waits here while full */
	atomic_int             refs;      /* the response's and the producer's */
	struct MHD_Connection *conn;
	http_server           *srv;
	http_resp             *resp;      /* until started: to undo http_body_open */
	const arena           *req_arena; /* until started: the request's, to see if it ran out */
	arena                  a;         /* the producer's memory */
	char                  *ring;
	size_t                 cap, head, len;
	bool                   suspended;
	bool                   started, linked;
	bool                   done;      /* the producer finished */
	bool                   ok;        /* ... and the body is complete */
	bool                   gone;      /* the client left, or the server stops */
	http_body_fn           fn;
	void                  *arg;
	http_body             *prev, *next;
};

static void body_unref(http_body *b)
{
	if (atomic_fetch_sub(&b->refs, 1) != 1)
		return;
	arena_free(&b->a);
	free(b->ring);
	pthread_cond_destroy(&b->room);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

/* Called with b->mu held. */
static void wake_reader(http_body *b)
{
	if (b->suspended && b->conn) {
		b->suspended = false;
		MHD_resume_connection(b->conn);
	}
}

http_body *http_body_open(http_req *r, http_resp *s)
{
	http_body *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->cap = HTTP_BODY_PENDING;
	b->ring = malloc(b->cap);
	if (!b->ring) {
		free(b);
		return NULL;
	}
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->room, NULL);
	atomic_init(&b->refs, 2);
	arena_init(&b->a, 64u << 20);
	b->conn = r->conn;
	b->srv = r->server;
	b->req_arena = r->a;
	b->resp = s;
	s->body_obj = b;
	return b;
}

arena *http_body_arena(http_body *b) { return &b->a; }

bool http_body_started(const http_body *b) { return b->started; }

void http_body_discard(http_body *b)
{
	if (b->resp && b->resp->body_obj == b)
		b->resp->body_obj = NULL;
	b->resp = NULL;
	body_unref(b); /* the producer's */
	body_unref(b); /* the response's */
}

/* Runs on a job thread. */
static void run_producer(void *arg)
{
	http_body *b = arg;
	bool ok = b->fn(b, b->arg);
	pthread_mutex_lock(&b->mu);
	b->done = true;
	b->ok = ok;
	wake_reader(b);
	pthread_mutex_unlock(&b->mu);
	body_unref(b);
}

int http_body_start(http_body *b, http_body_fn fn, void *arg)
{
	b->fn = fn;
	b->arg = arg;
	b->started = true;
	http_server *srv = b->srv;
	bool stopping;
	pthread_mutex_lock(&srv->streams_mu);
	stopping = srv->stopping;
	pthread_mutex_unlock(&srv->streams_mu);
	/* A request that already ran out of memory (a header, an argument)
	 * may be incomplete: it answers "busy" instead of streaming. */
	bool ran_out = b->req_arena && b->req_arena->nfailed > 0;
	if (stopping || ran_out || !srv->jobs || jobs_submit(srv->jobs, run_producer, b) != 0) {
		b->started = false;
		http_body_discard(b);
		return -1;
	}
	b->resp = NULL;
	return 0;
}

int http_body_write(http_body *b, const void *data, size_t n)
{
	const char *p = data;
	pthread_mutex_lock(&b->mu);
	while (n > 0) {
		if (b->gone) {
			pthread_mutex_unlock(&b->mu);
			return -1;
		}
		if (b->len == b->cap) {
			pthread_cond_wait(&b->room, &b->mu);
			continue;
		}
		size_t tail = (b->head + b->len) % b->cap;
		size_t k = b->cap - b->len;          /* room in total */
		if (k > b->cap - tail)
			k = b->cap - tail;                 /* contiguous room */
		if (k > n)
			k = n;
		memcpy(b->ring + tail, p, k);
		b->len += k;
		p += k;
		n -= k;
		wake_reader(b);
	}
	pthread_mutex_unlock(&b->mu);
	return 0;
}

int http_body_sink(void *b, const void *data, size_t n) { return http_body_write(b, data, n); }

int http_body_send_fd(http_body *b, int fd)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		if (http_body_write(b, buf, (size_t)n) != 0)
			return -1;
	}
}

/* libmicrohttpd's content reader, on a request worker. */
static ssize_t body_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	http_body *b = cls;
	pthread_mutex_lock(&b->mu);
	if (b->len > 0) {
		size_t n = b->len;
		if (n > b->cap - b->head)
			n = b->cap - b->head;
		if (n > max)
			n = max;
		memcpy(buf, b->ring + b->head, n);
		b->head = (b->head + n) % b->cap;
		b->len -= n;
		if (b->len == 0)
			b->head = 0;
		pthread_cond_signal(&b->room);
		pthread_mutex_unlock(&b->mu);
		return (ssize_t)n;
	}
	if (b->gone || b->done) {
		bool ok = b->done && b->ok && !b->gone;
		pthread_mutex_unlock(&b->mu);
		return ok ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
	}
	b->suspended = true;
	MHD_suspend_connection(b->conn);
	pthread_mutex_unlock(&b->mu);
	return 0;
}

/* The response is gone: sent, the client left, or the server stopped. */
static void body_gone(void *cls)
{
	http_body *b = cls;
	http_server *srv = b->srv;
	pthread_mutex_lock(&srv->streams_mu);
	if (b->linked) {
		if (b->prev)
			b->prev->next = b->next;
		else
			srv->bodies = b->next;
		if (b->next)
			b->next->prev = b->prev;
		b->linked = false;
	}
	pthread_mutex_unlock(&srv->streams_mu);
	pthread_mutex_lock(&b->mu);
	b->gone = true;
	b->suspended = false;
	b->conn = NULL;
	pthread_cond_broadcast(&b->room);
	pthread_mutex_unlock(&b->mu);
	body_unref(b);
}

struct MHD_Response *http_body_response(http_server *srv, http_body *b)
{
	struct MHD_Response *mr =
		MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, body_read, b, body_gone);
	if (!mr) {
		/* The producer may already run: end it as if the client had left. */
		pthread_mutex_lock(&b->mu);
		b->gone = true;
		pthread_cond_broadcast(&b->room);
		pthread_mutex_unlock(&b->mu);
		body_unref(b);
		return NULL;
	}
	pthread_mutex_lock(&srv->streams_mu);
	b->linked = true;
	b->prev = NULL;
	b->next = srv->bodies;
	if (srv->bodies)
		srv->bodies->prev = b;
	srv->bodies = b;
	if (srv->stopping) {
		pthread_mutex_lock(&b->mu);
		b->gone = true;
		pthread_cond_broadcast(&b->room);
		pthread_mutex_unlock(&b->mu);
	}
	pthread_mutex_unlock(&srv->streams_mu);
	return mr;
}

void http_body_abort_all(http_server *srv)
{
	pthread_mutex_lock(&srv->streams_mu);
	for (http_body *b = srv->bodies; b; b = b->next) {
		pthread_mutex_lock(&b->mu);
		b->gone = true;
		pthread_cond_broadcast(&b->room);
		wake_reader(b);
		pthread_mutex_unlock(&b->mu);
	}
	pthread_mutex_unlock(&srv->streams_mu);
}
