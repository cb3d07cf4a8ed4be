/* agenda_live.c — live idea boards over Server-Sent Events. Each board
 * that has open screens has a hub: their streams and the board version
 * last sent. A note, move or dot only marks the hub dirty; one thread
 * (started and stopped by the feature's hooks) wakes every 100 ms, reads
 * each dirty board's notes changed since the version last sent (one query)
 * and hands the same bytes to every stream, so a burst of changes costs
 * one message. A message carries full note states ("from" and "version":
 * the notes changed after from, up to version), so applying one twice is
 * harmless. A stream keeps one message waiting and a newer one replaces
 * it, so each message covers the last second of changes (from = the
 * version sent WINDOW ticks ago): a slow screen that lost a message finds
 * its changes in the next. Only a screen that sees a gap (from beyond its
 * version: it fell more than a second behind) loads the board again. Streams are
 * suspended connections in the HTTP layer (no thread each); every 15 s a
 * comment line finds clients that left. Several nodes: each tick also tells
 * the other nodes which boards changed here (one store notification on
 * channel openplan_board, "id,id,…"); a node that hears it marks those
 * hubs dirty, and their next tick reads the changes from the database.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agenda.h"

enum { TICK_MS = 200, WINDOW = 5, PING_S = 15, MAX_DIRTY = 256 };

typedef struct listener {
	http_stream     *st;
	struct listener *next;
} listener;

typedef struct hub {
	int64_t     session_id;
	int64_t     sent;        /* the board version the last message went up to */
	int64_t     hist[WINDOW];/* the versions sent by the last WINDOW messages, oldest first */
	listener   *ls;
	bool        dirty;
	struct hub *next;
} hub;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  cv = PTHREAD_COND_INITIALIZER;
static hub            *hubs;
static int64_t         changed[MAX_DIRTY]; /* boards changed here since the last tick */
static size_t          nchanged;
static bool            changed_all;        /* more than fit: every node reads every hub */
static app            *g_app;
static pthread_t       thread;
static bool            running, stopping;

/* An SSE message "event: board" with the changes after `from`. */
static http_msg *changes_msg(app *ap, int64_t session_id, int64_t from, const char *prefix,
                             int64_t *version)
{
	arena a;
	arena_init(&a, 64u << 20);
	http_msg *m = NULL;
	agenda_board b;
	if (agenda_store_board(ap->db, &a, session_id, from, &b) == STORE_OK) {
		json_t *d = agenda_board_data(NULL, &b, false);
		json_object_set_new(d, "from", json_integer(from));
		char *txt = d ? json_dumps(d, JSON_COMPACT) : NULL;
		json_decref(d);
		if (txt) {
			sb s;
			sb_init(&s);
			sb_printf(&s, "%sevent: board\ndata: %s\n\n", prefix, txt);
			app_json_free(txt);
			if (!sb_failed(&s))
				m = http_msg_new(sb_str(&s), s.len);
			sb_free(&s);
		}
		*version = b.version;
	}
	arena_free(&a);
	return m;
}

/* ---- hubs (mu held) ---- */

static hub *hub_find(int64_t session_id, bool create)
{
	for (hub *h = hubs; h; h = h->next)
		if (h->session_id == session_id)
			return h;
	if (!create)
		return NULL;
	hub *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->session_id = session_id;
	h->sent = -1;
	h->next = hubs;
	hubs = h;
	return h;
}

static void post_all(hub *h, http_msg *m, bool ping)
{
	listener **pp = &h->ls;
	while (*pp) {
		listener *l = *pp;
		bool alive = m ? (ping ? http_stream_post_idle(l->st, m) : http_stream_post(l->st, m))
		               : http_stream_alive(l->st);
		if (!alive) {
			*pp = l->next;
			http_stream_release(l->st);
			free(l);
			continue;
		}
		pp = &l->next;
	}
}

static void *broadcaster(void *arg)
{
	(void)arg;
	http_msg *ping = http_msg_new(": ping\n\n", 8);
	struct timespec last_ping;
	clock_gettime(CLOCK_MONOTONIC, &last_ping);
	pthread_mutex_lock(&mu);
	while (!stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&cv, &mu, &until);
		if (stopping)
			break;
		int64_t ids[MAX_DIRTY], from[MAX_DIRTY], to[MAX_DIRTY];
		size_t n = 0;
		for (hub *h = hubs; h && n < MAX_DIRTY; h = h->next)
			if (h->dirty && h->ls) {
				h->dirty = false;
				ids[n] = h->session_id;
				from[n++] = h->hist[0];
			}
		/* What changed here, for the other nodes. */
		char note[MAX_DIRTY * 21 + 4] = "";
		size_t len = 0;
		for (size_t i = 0; i < nchanged; i++)
			len += (size_t)snprintf(note + len, sizeof note - len, "%s%lld", i ? "," : "",
			                        (long long)changed[i]);
		if (changed_all)
			snprintf(note, sizeof note, "*");
		bool tell = nchanged || changed_all;
		nchanged = 0;
		changed_all = false;
		pthread_mutex_unlock(&mu);
		if (tell)
			store_notify(g_app->db, "openplan_board", note);
		http_msg *msgs[MAX_DIRTY];
		for (size_t i = 0; i < n; i++) {
			to[i] = from[i];
			msgs[i] = changes_msg(g_app, ids[i], from[i], "", &to[i]);
		}
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		bool do_ping = now.tv_sec - last_ping.tv_sec >= PING_S;
		if (do_ping)
			last_ping = now;
		pthread_mutex_lock(&mu);
		for (size_t i = 0; i < n; i++) {
			hub *h = hub_find(ids[i], false);
			if (h && msgs[i]) {
				post_all(h, msgs[i], false);
				if (to[i] > h->sent)
					h->sent = to[i];
				memmove(h->hist, h->hist + 1, (WINDOW - 1) * sizeof *h->hist);
				h->hist[WINDOW - 1] = h->sent;
			}
			http_msg_unref(msgs[i]);
		}
		hub **hp = &hubs;
		while (*hp) {
			hub *h = *hp;
			if (do_ping && ping)
				post_all(h, ping, true);
			if (!h->ls) {
				*hp = h->next;
				free(h);
				continue;
			}
			hp = &h->next;
		}
	}
	pthread_mutex_unlock(&mu);
	http_msg_unref(ping);
	return NULL;
}

/* mu held */
static void ensure_running(app *ap)
{
	if (running || stopping)
		return;
	g_app = ap;
	if (pthread_create(&thread, NULL, broadcaster, NULL) == 0)
		running = true;
}

void agenda_live_changed(app *ap, int64_t session_id)
{
	pthread_mutex_lock(&mu);
	hub *h = hub_find(session_id, false);
	if (h)
		h->dirty = true;
	bool known = changed_all;
	for (size_t i = 0; i < nchanged && !known; i++)
		known = changed[i] == session_id;
	if (!known && nchanged < MAX_DIRTY)
		changed[nchanged++] = session_id;
	else if (!known)
		changed_all = true;
	ensure_running(ap);
	pthread_mutex_unlock(&mu);
}

/* Another node's tick: its changed boards ("*": all), or NULL when some
 * may have been missed. Runs on the store's listener thread. */
static void board_heard(const char *payload, bool local, void *ctx)
{
	(void)ctx;
	if (local)
		return;
	bool all = !payload || !strcmp(payload, "*");
	pthread_mutex_lock(&mu);
	if (all) {
		for (hub *h = hubs; h; h = h->next)
			h->dirty = true;
	} else {
		for (const char *p = payload; *p;) {
			char *end;
			long long id = strtoll(p, &end, 10);
			hub *h = end > p ? hub_find(id, false) : NULL;
			if (h)
				h->dirty = true;
			p = *end == ',' ? end + 1 : end + (*end != '\0');
		}
	}
	pthread_mutex_unlock(&mu);
}

void agenda_live_stream(app_req *q, int64_t session_id, int64_t since)
{
	int64_t version = 0;
	http_msg *first = changes_msg(q->app, session_id, since, "retry: 2000\n", &version);
	listener *l = calloc(1, sizeof *l);
	http_stream *st = first && l ? http_stream_open(q->r, q->s) : NULL;
	if (!st) {
		free(l);
		http_msg_unref(first);
		app_error(q, 500, "Something went wrong on our side. Please try again later.");
		return;
	}
	q->s->status = 200;
	q->s->content_type = "text/event-stream; charset=utf-8";
	http_resp_header(q->r, q->s, "Cache-Control", "no-store");
	http_stream_post(st, first);
	http_msg_unref(first);
	l->st = st;
	pthread_mutex_lock(&mu);
	hub *h = stopping ? NULL : hub_find(session_id, true);
	if (h) {
		if (h->sent < 0) {
			h->sent = version;
			for (int k = 0; k < WINDOW; k++)
				h->hist[k] = version;
		}
		else if (h->sent < version)
			h->dirty = true; /* changes this screen has and the others not yet */
		l->next = h->ls;
		h->ls = l;
		ensure_running(q->app);
		pthread_mutex_unlock(&mu);
		return;
	}
	pthread_mutex_unlock(&mu);
	http_stream_end(st);
	http_stream_release(st);
	free(l);
}

int agenda_live_start(app *ap, char *err, size_t errlen)
{
	pthread_mutex_lock(&mu);
	g_app = ap;
	stopping = false;
	pthread_mutex_unlock(&mu);
	if (store_listen(ap->db, "openplan_board", board_heard, NULL) != STORE_OK) {
		snprintf(err, errlen, "idea boards cannot listen for other nodes' changes");
		return -1;
	}
	return 0;
}

void agenda_live_stop(app *ap)
{
	store_unlisten(ap->db, "openplan_board", board_heard, NULL);
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_broadcast(&cv);
	bool join = running;
	pthread_mutex_unlock(&mu);
	if (join)
		pthread_join(thread, NULL);
	pthread_mutex_lock(&mu);
	while (hubs) {
		hub *h = hubs;
		hubs = h->next;
		while (h->ls) {
			listener *l = h->ls;
			h->ls = l->next;
			http_stream_end(l->st);
			http_stream_release(l->st);
			free(l);
		}
		free(h);
	}
	running = false;
	nchanged = 0;
	changed_all = false;
	pthread_mutex_unlock(&mu);
}
