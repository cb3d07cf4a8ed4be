/* notify.c — notifications between the openplan processes on one
 * database (store.h: store_listen, store_unlisten, store_notify). The
 * registry of handlers is the store's; a backend with notify/listen
 * (PostgreSQL: NOTIFY and a listener thread) carries the messages between
 * processes, each marked with the sending process's random node id so a
 * handler can tell its own; without them (SQLite, one process) the core
 * delivers in this process, holding back what a transaction sends until
 * it commits.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

enum { PAYLOAD_MAX = 7900 };

void notify_init(store *s)
{
	pthread_mutex_init(&s->nlock, NULL);
	uint64_t id = 0;
	if (getrandom(&id, sizeof id, 0) != (ssize_t)sizeof id)
		id = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)s;
	snprintf(s->node, sizeof s->node, "%016llx", (unsigned long long)id);
}

void notify_free(store *s)
{
	pthread_mutex_lock(&s->nlock);
	while (s->listeners) {
		listener_reg *r = s->listeners;
		s->listeners = r->next;
		free(r);
	}
	pthread_mutex_unlock(&s->nlock);
	pthread_mutex_destroy(&s->nlock);
}

static bool channel_ok(const char *ch)
{
	size_t n = ch ? strlen(ch) : 0;
	if (n == 0 || n > 63)
		return false;
	for (const char *p = ch; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* Calls every handler of channel; payload NULL: messages may be lost. */
static void dispatch(store *s, const char *channel, const char *payload, bool local)
{
	pthread_mutex_lock(&s->nlock);
	for (listener_reg *r = s->listeners; r; r = r->next)
		if (!strcmp(r->channel, channel))
			r->fn(payload, local, r->ctx);
	pthread_mutex_unlock(&s->nlock);
}

/* From the backend's listener: "<node>:<payload>", or NULL after a gap. */
static void deliver(void *ctx, const char *channel, const char *msg)
{
	store *s = ctx;
	if (!msg) {
		dispatch(s, channel, NULL, false);
		return;
	}
	const char *colon = strchr(msg, ':');
	if (!colon || colon - msg != 16)
		return; /* not ours */
	dispatch(s, channel, colon + 1, !strncmp(msg, s->node, 16));
}

store_rc store_listen(store *s, const char *channel, store_notify_fn fn, void *ctx)
{
	if (!channel_ok(channel))
		return db_error("listen", "a channel name is [a-z0-9_], 1 to 63 bytes");
	listener_reg *r = calloc(1, sizeof *r);
	if (!r)
		return db_error("listen", "out of memory");
	snprintf(r->channel, sizeof r->channel, "%s", channel);
	r->fn = fn;
	r->ctx = ctx;
	pthread_mutex_lock(&s->nlock);
	r->next = s->listeners;
	s->listeners = r;
	pthread_mutex_unlock(&s->nlock);
	if (s->be->listen && s->be->listen(s->shared, channel, deliver, s) != STORE_OK) {
		store_unlisten(s, channel, fn, ctx);
		return STORE_ERROR;
	}
	return STORE_OK;
}

void store_unlisten(store *s, const char *channel, store_notify_fn fn, void *ctx)
{
	pthread_mutex_lock(&s->nlock);
	for (listener_reg **pp = &s->listeners; *pp; pp = &(*pp)->next) {
		listener_reg *r = *pp;
		if (r->fn == fn && r->ctx == ctx && !strcmp(r->channel, channel)) {
			*pp = r->next;
			free(r);
			break;
		}
	}
	pthread_mutex_unlock(&s->nlock);
}

store_rc store_notify(store *s, const char *channel, const char *payload)
{
	if (!channel_ok(channel))
		return db_error("notify", "a channel name is [a-z0-9_], 1 to 63 bytes");
	if (!payload)
		payload = "";
	if (strlen(payload) > PAYLOAD_MAX)
		return db_error("notify", "the payload is longer than 7,900 bytes");
	db_conn *c = conn(s);
	if (!c)
		return STORE_ERROR;
	if (s->be->notify) {
		/* The server holds it back until the transaction commits. */
		size_t n = strlen(payload) + 18;
		char *msg = malloc(n);
		if (!msg)
			return db_error("notify", "out of memory");
		snprintf(msg, n, "%s:%s", s->node, payload);
		store_rc rc = s->be->notify(c->be, channel, msg);
		free(msg);
		return rc;
	}
	if (c->tx_depth == 0) {
		dispatch(s, channel, payload, true);
		return STORE_OK;
	}
	db_pending *p = calloc(1, sizeof *p);
	if (p && (!(p->channel = strdup(channel)) || !(p->payload = strdup(payload)))) {
		free(p->channel);
		free(p);
		p = NULL;
	}
	if (!p)
		return db_error("notify", "out of memory");
	p->depth = c->tx_depth;
	db_pending **tail = &c->pending;
	while (*tail)
		tail = &(*tail)->next;
	*tail = p;
	return STORE_OK;
}

/* ---- one process at a time ---- */

enum { LOCK_CLASS = 0x6f70 }; /* "op": openplan's advisory locks */

static store_rc lock_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

store_rc store_lock_try(store *s, const char *name, bool *held)
{
	*held = false;
	if (strcmp(store_kind(s), "postgresql") != 0) {
		*held = true;
		return STORE_OK;
	}
	db_arg a[] = { DB_I(LOCK_CLASS), DB_S(name) };
	int64_t got = 0;
	store_rc rc = db_query(s, "SELECT CASE WHEN pg_try_advisory_lock($1::integer, hashtext($2)) "
	                          "THEN 1 ELSE 0 END",
	                       a, 2, lock_row, &got);
	*held = rc == STORE_OK && got == 1;
	return rc;
}

void store_unlock(store *s, const char *name)
{
	if (strcmp(store_kind(s), "postgresql") != 0)
		return;
	db_arg a[] = { DB_I(LOCK_CLASS), DB_S(name) };
	int64_t ignored = 0;
	/* A connection that broke meanwhile has let go already. */
	(void)db_query(s, "SELECT CASE WHEN pg_advisory_unlock($1::integer, hashtext($2)) THEN 1 "
	                  "ELSE 0 END",
	               a, 2, lock_row, &ignored);
}

void notify_tx_end(store *s, db_conn *c, int depth, bool committed)
{
	db_pending *out = NULL, **out_tail = &out;
	for (db_pending **pp = &c->pending; *pp;) {
		db_pending *p = *pp;
		if (p->depth < depth) {
			pp = &p->next;
			continue;
		}
		if (committed && depth > 0) { /* a released savepoint: its parent's now */
			p->depth = depth - 1;
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		p->next = NULL;
		if (committed) {
			*out_tail = p;
			out_tail = &p->next;
		} else {
			free(p->channel);
			free(p->payload);
			free(p);
		}
	}
	while (out) {
		db_pending *p = out;
		out = p->next;
		dispatch(s, p->channel, p->payload, true);
		free(p->channel);
		free(p->payload);
		free(p);
	}
}
