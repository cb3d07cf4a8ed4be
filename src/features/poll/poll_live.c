/* polls_live.c — live results over Server-Sent Events. Each poll that has
 * listeners has a hub: its presenter and participant streams. A vote only
 * marks the hub dirty; one broadcaster thread wakes every 150 ms, builds
 * each dirty poll's snapshot once (one serialized message for presenters,
 * one for participants) and hands the same bytes to every stream, so a burst
 * of votes costs one broadcast. Streams are suspended connections in the
 * HTTP layer (no thread each); every 15 s a comment line checks that the
 * client is still there, and closed streams are dropped.
 * Several nodes: the same tick also tells the other nodes which polls
 * changed here (one store notification per tick on channel openplan_poll,
 * "id,id,…"); a node that hears it marks those hubs dirty, so their next
 * tick rebuilds from the database. Broadcasts stay coalesced per node.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "poll.h"

enum { TICK_MS = 150, PING_S = 15, WORDS_SHOWN = 40, ANSWERS_SHOWN = 20 };

typedef struct listener {
	http_stream     *st;
	bool             presenter;
	struct listener *next;
} listener;

typedef struct hub {
	int64_t     poll_id;
	listener   *ls;
	size_t      n;
	bool        dirty, state;
	struct hub *next;
} hub;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  cv = PTHREAD_COND_INITIALIZER;
static hub            *hubs;
static int64_t         changed[256]; /* polls changed here since the last tick */
static size_t          nchanged;
static bool            changed_all;  /* more than fit: every node rebuilds every hub */
static app            *g_app;
static pthread_t       thread;
static bool            running, stopping;

/* ---- snapshots ---- */

json_t *poll_snapshot(const poll *p, bool results, store *s, arena *a)
{
	json_t *qs = json_array();
	for (size_t i = 0; i < p->nquestions; i++) {
		const poll_question *q = &p->questions[i];
		json_t *jq = json_pack("{s:I,s:s,s:s,s:b}", "id", (json_int_t)q->id, "kind", q->kind,
		                       "prompt", q->prompt, "locked", q->locked);
		json_t *opts = json_array();
		for (size_t k = 0; k < q->noptions; k++) {
			json_t *o = json_pack("{s:I,s:s}", "id", (json_int_t)q->options[k].id, "label",
			                      q->options[k].label);
			if (results) {
				json_object_set_new(o, "n", json_integer(q->options[k].n));
				json_object_set_new(o, "points", json_integer(q->options[k].points));
			}
			json_array_append_new(opts, o);
		}
		json_object_set_new(jq, "options", opts);
		if (!strcmp(q->kind, "scale")) {
			json_object_set_new(jq, "scale_min", json_integer(q->scale_min));
			json_object_set_new(jq, "scale_max", json_integer(q->scale_max));
		}
		if (results) {
			json_object_set_new(jq, "voters", json_integer(q->voters));
			if (!strcmp(q->kind, "scale")) {
				json_t *sc = json_array();
				int64_t sum = 0, cnt = 0;
				for (int v = q->scale_min; v <= q->scale_max; v++) {
					int64_t n = 0;
					char item[32];
					snprintf(item, sizeof item, "s:%d", v);
					for (size_t t = 0; t < q->ntallies; t++)
						if (!strcmp(q->tallies[t].item, item))
							n = q->tallies[t].n;
					sum += n * v;
					cnt += n;
					json_array_append_new(sc, json_pack("{s:i,s:I}", "value", v, "n", (json_int_t)n));
				}
				json_object_set_new(jq, "scale", sc);
				json_object_set_new(jq, "average", cnt ? json_real((double)sum / (double)cnt)
				                                       : json_null());
			}
			if (!strcmp(q->kind, "words")) {
				json_t *w = json_array();
				for (size_t t = 0; t < q->ntallies && t < WORDS_SHOWN; t++)
					json_array_append_new(w, json_pack("{s:s,s:I}", "word", q->tallies[t].label,
					                                   "n", (json_int_t)q->tallies[t].n));
				json_object_set_new(jq, "words", w);
			}
			if (!strcmp(q->kind, "open") && s) {
				const char **ans = NULL;
				size_t na = 0;
				json_t *ja = json_array();
				if (poll_store_answers(s, a, q->id, ANSWERS_SHOWN, &ans, &na) == STORE_OK)
					for (size_t t = 0; t < na; t++)
						json_array_append_new(ja, json_string(ans[t]));
				json_object_set_new(jq, "answers", ja);
			}
		}
		json_array_append_new(qs, jq);
	}
	/* What the page was built from: when it changes, pages load again. */
	sb sig;
	sb_init(&sig);
	sb_printf(&sig, "%s|%s|%lld|%d", p->status, p->mode, (long long)p->current_question,
	          p->show_results);
	for (size_t i = 0; i < p->nquestions; i++)
		sb_printf(&sig, "|%lld:%d", (long long)p->questions[i].id, p->questions[i].locked);
	json_t *out = json_pack("{s:I,s:s,s:s,s:s,s:I,s:b,s:b,s:s,s:o}", "poll", (json_int_t)p->id,
	                        "title", p->title, "status", p->status, "mode", p->mode, "current",
	                        (json_int_t)p->current_question, "show_results", p->show_results,
	                        "results", results, "sig", sb_str(&sig), "questions", qs);
	sb_free(&sig);
	return out;
}

void poll_bars(json_t *jq, const poll_question *pq)
{
	bool rank = !strcmp(pq->kind, "ranking");
	int64_t max = 1;
	for (size_t t = 0; t < pq->noptions; t++) {
		int64_t v = rank ? pq->options[t].points : pq->options[t].n;
		if (v > max)
			max = v;
	}
	size_t k;
	json_t *o;
	json_array_foreach(json_object_get(jq, "options"), k, o) {
		int64_t v = rank ? pq->options[k].points : pq->options[k].n;
		json_object_set_new(o, "value", json_integer(v));
		json_object_set_new(o, "width", json_integer((json_int_t)(100 * v / max)));
	}
	max = 1;
	json_array_foreach(json_object_get(jq, "scale"), k, o)
		if (json_integer_value(json_object_get(o, "n")) > max)
			max = json_integer_value(json_object_get(o, "n"));
	json_array_foreach(json_object_get(jq, "scale"), k, o) {
		int64_t n = json_integer_value(json_object_get(o, "n"));
		json_object_set_new(o, "width", json_integer((json_int_t)(100 * n / max)));
	}
}

static http_msg *event_msg(json_t *snap, const char *prefix)
{
	char *txt = json_dumps(snap, JSON_COMPACT);
	json_decref(snap);
	if (!txt)
		return NULL;
	sb b;
	sb_init(&b);
	sb_printf(&b, "%sevent: poll\ndata: %s\n\n", prefix, txt);
	app_json_free(txt);
	http_msg *m = sb_failed(&b) ? NULL : http_msg_new(sb_str(&b), b.len);
	sb_free(&b);
	return m;
}

/* The two messages of a poll now: for presenters (always with results) and
 * for participants (with results only when shown). */
static int build(app *ap, int64_t poll_id, http_msg **pres, http_msg **part)
{
	arena a;
	arena_init(&a, 64u << 20);
	poll p;
	int rc = -1;
	if (poll_store_get(ap->db, &a, poll_id, true, &p) == STORE_OK) {
		*pres = event_msg(poll_snapshot(&p, true, ap->db, &a), "");
		*part = event_msg(poll_snapshot(&p, p.show_results, ap->db, &a), "");
		rc = *pres && *part ? 0 : -1;
		if (rc) {
			http_msg_unref(*pres);
			http_msg_unref(*part);
		}
	}
	arena_free(&a);
	return rc;
}

/* ---- hubs (mu held) ---- */

static hub *hub_find(int64_t poll_id, bool create)
{
	for (hub *h = hubs; h; h = h->next)
		if (h->poll_id == poll_id)
			return h;
	if (!create)
		return NULL;
	hub *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->poll_id = poll_id;
	h->next = hubs;
	hubs = h;
	return h;
}

/* Posts to every listener (presenters get pres, participants part, when
 * given); drops closed streams. ping: only where nothing is waiting. */
static void post_all(hub *h, http_msg *pres, http_msg *part, bool ping)
{
	listener **pp = &h->ls;
	while (*pp) {
		listener *l = *pp;
		http_msg *m = l->presenter ? pres : part;
		bool alive = m ? (ping ? http_stream_post_idle(l->st, m) : http_stream_post(l->st, m))
		               : http_stream_alive(l->st);
		if (!alive) {
			*pp = l->next;
			http_stream_release(l->st);
			free(l);
			h->n--;
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
		/* Which polls changed; build their messages without the lock. */
		int64_t ids[256];
		size_t nids = 0;
		for (hub *h = hubs; h && nids < 256; h = h->next)
			if (h->dirty) {
				h->dirty = false;
				ids[nids++] = h->poll_id;
			}
		/* What changed here, for the other nodes. */
		char note[256 * 21 + 4] = "";
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
			store_notify(g_app->db, "openplan_poll", note);
		http_msg *pres[256], *part[256];
		bool ok[256];
		for (size_t i = 0; i < nids; i++)
			ok[i] = build(g_app, ids[i], &pres[i], &part[i]) == 0;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		bool do_ping = now.tv_sec - last_ping.tv_sec >= PING_S;
		if (do_ping)
			last_ping = now;
		pthread_mutex_lock(&mu);
		for (size_t i = 0; i < nids; i++) {
			hub *h = hub_find(ids[i], false);
			if (h && ok[i])
				post_all(h, pres[i], part[i], false);
			if (ok[i]) {
				http_msg_unref(pres[i]);
				http_msg_unref(part[i]);
			}
		}
		/* Heartbeats find clients that left; empty hubs go. */
		hub **hp = &hubs;
		while (*hp) {
			hub *h = *hp;
			if (do_ping && ping)
				post_all(h, ping, ping, true);
			if (!h->ls && !h->dirty) {
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

void poll_live_changed(app *ap, int64_t poll_id, bool state)
{
	pthread_mutex_lock(&mu);
	hub *h = hub_find(poll_id, false);
	if (h) {
		h->dirty = true;
		h->state |= state;
	}
	bool known = changed_all;
	for (size_t i = 0; i < nchanged && !known; i++)
		known = changed[i] == poll_id;
	if (!known && nchanged < sizeof changed / sizeof *changed)
		changed[nchanged++] = poll_id;
	else if (!known)
		changed_all = true;
	ensure_running(ap);
	pthread_mutex_unlock(&mu);
}

/* Another node's tick: its changed polls ("*": all), or NULL when some may
 * have been missed. Runs on the store's listener thread. */
static void poll_heard(const char *payload, bool local, void *ctx)
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

void poll_live_stream(app_req *q, const poll *p, bool presenter)
{
	json_t *snap = poll_snapshot(p, presenter || p->show_results, q->app->db, q->a);
	http_msg *first = event_msg(snap, "retry: 2000\n");
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
	if (!q->want_json)
		http_resp_header(q->r, q->s, "Cache-Control", "no-store");
	http_stream_post(st, first);
	http_msg_unref(first);
	l->st = st;
	l->presenter = presenter;
	pthread_mutex_lock(&mu);
	hub *h = stopping ? NULL : hub_find(p->id, true);
	if (h) {
		l->next = h->ls;
		h->ls = l;
		h->n++;
		ensure_running(q->app);
		pthread_mutex_unlock(&mu);
		return;
	}
	pthread_mutex_unlock(&mu);
	http_stream_end(st);
	http_stream_release(st);
	free(l);
}

int poll_live_start(app *ap, char *err, size_t errlen)
{
	pthread_mutex_lock(&mu);
	g_app = ap;
	stopping = false;
	pthread_mutex_unlock(&mu);
	if (store_listen(ap->db, "openplan_poll", poll_heard, NULL) != STORE_OK) {
		snprintf(err, errlen, "live polls cannot listen for other nodes' votes");
		return -1;
	}
	return 0;
}

void poll_live_stop(app *ap)
{
	store_unlisten(ap->db, "openplan_poll", poll_heard, NULL);
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
