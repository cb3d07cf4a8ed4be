/* poll_live.c — live results over Server-Sent Events, sending only what
 * changed. Each poll with listeners has a hub: its presenters' and its
 * participants' streams (suspended connections in the HTTP layer, no thread
 * each; per stream only a pointer here). A change only marks the hub
 * (poll_live_changed, the one entry point: votes, the organiser's
 * controls, and later notes from other nodes). One broadcaster thread
 * reads a marked poll at most every TICK_MS, builds one event for each
 * kind of listener — the poll's state and the current question's counts
 * (never every question's) — and posts it to that kind's streams only
 * when its bytes differ from the last one posted: a vote while results
 * are hidden sends participants nothing. Participants' events come at
 * most every part_interval (longer for big rooms; a change of state goes
 * at once); a burst of votes is one event. Every PING_S an idle stream
 * gets a comment line, which finds clients that left. A poll that closes
 * sends its last event and ends its streams.
 * Several nodes: the broadcaster also tells the other nodes, at most once
 * per TICK_MS, which polls changed here (one store notification on
 * channel openplan_poll, "id,id,…", or "*" for more than fit); a node that
 * hears it marks those hubs as a change here would (poll_heard), so its
 * own coalesced broadcast follows. Broadcasts stay coalesced per node.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "poll.h"

enum { TICK_MS = 100, PART_MIN_MS = 250, PART_MAX_MS = 1500, PING_S = 15, PARTICIPANT_WORDS = 20 };

typedef struct listener {
	http_stream     *st;
	struct listener *next;
} listener;

typedef struct hub {
	int64_t     poll_id;
	listener   *pres, *part;
	size_t      npart;
	bool        dirty;         /* changed since the last build */
	bool        held;          /* participants' event waits for its interval */
	bool        ending;        /* the poll closed or went: end every stream */
	bool        closed;        /* as last seen: only a poll that closes now ends them */
	int64_t     built_ms, part_ms;
	uint64_t    pres_hash, part_hash;
	char        part_sig[96];  /* the state participants last got */
	http_msg   *held_part;     /* participants' event waiting for its interval */
	struct hub *next;
} hub;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  cv;
static hub            *hubs;
static app            *g_app;
static pthread_t       thread;
static bool            running, stopping, cv_ready;
static int64_t         changed[256]; /* polls changed here, not yet told to other nodes */
static size_t          nchanged;
static bool            changed_all;  /* more than fit: every node rebuilds every hub */
static int64_t         told_ms;      /* when the other nodes were last told */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* ---- events ---- */

const char *poll_sig(arena *a, const poll *p, bool presenter)
{
	/* Participants at their own pace do not follow the presenter's screen:
	 * another question there must not reload the page they type in. */
	bool follow = presenter || strcmp(p->mode, "self") != 0;
	sb sig;
	sb_init(&sig);
	sb_printf(&sig, "%s|%s|%lld|%d", p->status, p->mode, follow ? (long long)p->current_question : 0,
	          p->show_results);
	for (size_t i = 0; i < p->nquestions; i++)
		sb_printf(&sig, "|%lld:%d", (long long)p->questions[i].id, p->questions[i].locked);
	/* short and opaque: a hash of the state */
	const char *out = sb_failed(&sig) ? NULL
	                                  : arena_printf(a, "%016llx",
	                                                 (unsigned long long)fnv(sig.data, sig.len));
	sb_free(&sig);
	return out;
}

/* The current question's counts as screens show them: shares that add
 * up, average places for a ranking, a cloud's layout for presenters. */
static json_t *live_question(store *s, arena *a, const poll_question *q, bool presenter)
{
	json_t *jq = poll_question_data(s, a, q, POLL_R_LIVE);
	if (!jq)
		return NULL;
	/* The page has the texts and the kind: events carry numbers, and a
	 * room's phones only the ones they show. */
	json_object_del(jq, "prompt");
	json_object_del(jq, "position");
	if (!presenter) {
		json_object_del(jq, "kind");
		json_object_del(jq, "locked");
		json_object_del(jq, "scale_min");
		json_object_del(jq, "scale_max");
	}
	size_t k;
	json_t *o;
	json_t *opts = json_object_get(jq, "options");
	int64_t n[64];
	int pct[64];
	size_t no = q->noptions < 64 ? q->noptions : 64;
	for (k = 0; k < no; k++)
		n[k] = q->options[k].n;
	poll_shares(n, no, q->voters, pct);
	bool rank = !strcmp(q->kind, "ranking");
	json_array_foreach(opts, k, o) {
		json_object_del(o, "label");
		if (!rank)
			json_object_del(o, "points");
		if (k < no && !rank)
			json_object_set_new(o, "pct", json_integer(pct[k]));
		if (rank && q->voters)
			json_object_set_new(o, "place", json_real((double)(q->noptions + 1) -
			                                          (double)q->options[k].points / (double)q->voters));
	}
	json_t *sc = json_object_get(jq, "scale");
	if (sc) {
		int64_t sn[16];
		int sp[16];
		size_t ns = json_array_size(sc) < 16 ? json_array_size(sc) : 16;
		for (k = 0; k < ns; k++)
			sn[k] = json_integer_value(json_object_get(json_array_get(sc, k), "n"));
		int64_t total = 0;
		for (k = 0; k < ns; k++)
			total += sn[k];
		poll_shares(sn, ns, total, sp);
		for (k = 0; k < ns; k++)
			json_object_set_new(json_array_get(sc, k), "pct", json_integer(sp[k]));
	}
	if (!strcmp(q->kind, "words")) {
		if (presenter) {
			poll_cloud_word cw[POLL_CLOUD_WORDS];
			size_t nc = poll_cloud(q->tallies, q->ntallies, cw, POLL_CLOUD_WORDS);
			json_t *cl = json_array();
			for (size_t i = 0; cl && i < nc; i++)
				if (json_array_append_new(cl, json_pack("{s:s,s:I,s:i,s:i,s:i,s:i}", "word",
				                                        cw[i].word, "n", (json_int_t)cw[i].n,
				                                        "x", cw[i].x, "y", cw[i].y, "size",
				                                        cw[i].size, "tone", cw[i].tone)))
					cl = NULL;
			if (json_object_set_new(jq, "cloud", cl))
				return NULL;
			json_object_del(jq, "words");
		} else {
			json_t *w = json_object_get(jq, "words");
			while (json_array_size(w) > PARTICIPANT_WORDS)
				json_array_remove(w, json_array_size(w) - 1);
		}
	}
	return jq;
}

json_t *poll_event_data(store *s, arena *a, const poll *p, bool presenter)
{
	bool results = presenter || p->show_results;
	const char *sig = poll_sig(a, p, presenter);
	json_t *d = json_pack("{s:I,s:s,s:b,s:s}", "poll", (json_int_t)p->id, "status", p->status,
	                      "show_results", p->show_results, "sig", sig ? sig : "");
	if (!d || !sig)
		return NULL;
	if (presenter)
		json_object_set_new(d, "mode", json_string(p->mode));
	const poll_question *cur = poll_current(p);
	if (json_object_set_new(d, "current_question_id",
	                        cur ? json_integer((json_int_t)cur->id) : json_null()))
		return NULL;
	if (results && cur && cur->counted) {
		json_t *jq = live_question(s, a, cur, presenter);
		if (!jq || json_object_set_new(d, "question", jq))
			return NULL;
	}
	return d;
}

/* "event: poll" with the data, and the hash of the data; NULL when out of
 * memory. */
static http_msg *event_msg(json_t *data, const char *prefix, uint64_t *hash)
{
	char *txt = data ? json_dumps(data, JSON_COMPACT) : NULL;
	if (!txt)
		return NULL;
	if (hash) /* of the data: the same event with or without a retry line */
		*hash = fnv(txt, strlen(txt));
	sb b;
	sb_init(&b);
	sb_printf(&b, "%sevent: poll\ndata: %s\n\n", prefix, txt);
	app_json_free(txt);
	http_msg *m = sb_failed(&b) ? NULL : http_msg_new(sb_str(&b), b.len);
	sb_free(&b);
	return m;
}

/* What a build made of a poll. */
typedef struct built {
	int64_t   poll_id;
	bool      ok, gone, closed;
	http_msg *pres, *part;
	uint64_t  pres_hash, part_hash;
	char      sig[96];
} built;

/* Reads the poll (one snapshot) and builds both events; on the
 * broadcaster's thread, its JSON from a scratch arena. */
static void build(app *ap, built *b)
{
	arena a;
	arena_init(&a, 16u << 20);
	arena *before = app_memory_use(&a);
	store_read_begin(ap->db);
	poll p;
	store_rc rc = poll_store_get(ap->db, &a, b->poll_id, POLL_COUNTS_NONE, &p);
	const poll_question *cur = rc == STORE_OK ? poll_current(&p) : NULL;
	if (cur) /* again with that question's counts, in the same snapshot */
		rc = poll_store_get(ap->db, &a, b->poll_id, cur->id, &p);
	if (rc == STORE_NOTFOUND) {
		b->gone = true;
	} else if (rc == STORE_OK) {
		const char *sig = poll_sig(&a, &p, false);
		b->pres = event_msg(poll_event_data(ap->db, &a, &p, true), "", &b->pres_hash);
		b->part = event_msg(poll_event_data(ap->db, &a, &p, false), "", &b->part_hash);
		b->ok = b->pres && b->part && sig;
		b->closed = !strcmp(p.status, "closed");
		snprintf(b->sig, sizeof b->sig, "%s", sig ? sig : "");
	}
	store_read_end(ap->db);
	app_memory_use(before);
	arena_free(&a);
	if (!b->ok) {
		http_msg_unref(b->pres);
		http_msg_unref(b->part);
		b->pres = b->part = NULL;
	}
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

/* Posts m to every stream of the list (ping: only where nothing waits),
 * or ends them all (end); drops streams whose client left. */
static void post_list(listener **head, http_msg *m, bool ping, bool end)
{
	listener **pp = head;
	while (*pp) {
		listener *l = *pp;
		bool alive = m ? (ping ? http_stream_post_idle(l->st, m) : http_stream_post(l->st, m))
		               : http_stream_alive(l->st);
		if (!alive || end) {
			if (end)
				http_stream_end(l->st);
			*pp = l->next;
			http_stream_release(l->st);
			free(l);
			continue;
		}
		pp = &l->next;
	}
}

static size_t count_list(const listener *l)
{
	size_t n = 0;
	for (; l; l = l->next)
		n++;
	return n;
}

/* How long participants' events wait for each other: longer for a big
 * room, where every event is thousands of writes (5,000 phones: under a
 * second; never more than PART_MAX_MS). */
static int64_t part_interval(const hub *h)
{
	int64_t ms = PART_MIN_MS + (int64_t)(h->npart / 8);
	return ms < PART_MAX_MS ? ms : PART_MAX_MS;
}

static void set_msg(http_msg **slot, http_msg *m)
{
	http_msg_unref(*slot);
	*slot = m ? http_msg_ref(m) : NULL;
}

static void post_part(hub *h, http_msg *m, int64_t now)
{
	post_list(&h->part, m, false, false);
	h->npart = count_list(h->part);
	h->part_ms = now;
	set_msg(&h->held_part, NULL);
	h->held = false;
}

/* Hands a build's events to the hub's streams: each kind only when its
 * event differs from the last one it got. */
static void deliver(hub *h, built *b, int64_t now)
{
	if (b->gone) {
		h->ending = true;
		return;
	}
	if (!b->ok)
		return;
	if (b->pres_hash != h->pres_hash) {
		post_list(&h->pres, b->pres, false, false);
		h->pres_hash = b->pres_hash;
	}
	if (b->part_hash != h->part_hash) {
		h->part_hash = b->part_hash;
		/* A new state (another question, closed, results shown) goes at
		 * once; new counts wait for the participants' interval. */
		if (strcmp(b->sig, h->part_sig) || now - h->part_ms >= part_interval(h)) {
			snprintf(h->part_sig, sizeof h->part_sig, "%s", b->sig);
			post_part(h, b->part, now);
		} else {
			set_msg(&h->held_part, b->part);
			h->held = true;
		}
	}
	if (b->closed && !h->closed)
		h->ending = true;
	h->closed = b->closed;
}

/* ---- the broadcaster ---- */

/* When the broadcaster must look again (ms on the monotonic clock), given
 * the hubs and the next ping. */
static int64_t next_wake(int64_t next_ping)
{
	int64_t at = hubs ? next_ping : INT64_MAX;
	if ((nchanged || changed_all) && told_ms + TICK_MS < at)
		at = told_ms + TICK_MS;
	for (hub *h = hubs; h; h = h->next) {
		if (h->dirty && h->built_ms + TICK_MS < at)
			at = h->built_ms + TICK_MS;
		if (h->held && h->part_ms + part_interval(h) < at)
			at = h->part_ms + part_interval(h);
		if (h->ending)
			at = 0;
	}
	return at;
}

static void wait_until(int64_t at)
{
	if (at == INT64_MAX) {
		pthread_cond_wait(&cv, &mu);
		return;
	}
	int64_t ms = at - now_ms();
	if (ms <= 0)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&cv, &mu, &ts);
}

static void *broadcaster(void *arg)
{
	(void)arg;
	http_msg *ping = http_msg_new(": ping\n\n", 8);
	int64_t next_ping = now_ms() + PING_S * 1000;
	built *work = NULL;
	size_t cap = 0;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		wait_until(next_wake(next_ping));
		if (stopping)
			break;
		int64_t now = now_ms();
		/* What changed here, for the other nodes, once per tick. */
		char note[sizeof changed / sizeof *changed * 21 + 2];
		bool tell = (nchanged || changed_all) && now - told_ms >= TICK_MS;
		if (tell) {
			size_t len = 0;
			note[0] = '\0';
			for (size_t i = 0; i < nchanged && !changed_all; i++)
				len += (size_t)snprintf(note + len, sizeof note - len, "%s%lld", i ? "," : "",
				                        (long long)changed[i]);
			if (changed_all)
				snprintf(note, sizeof note, "*");
			nchanged = 0;
			changed_all = false;
			told_ms = now;
		}
		/* Which polls to read again: marked ones whose tick came. */
		size_t n = 0;
		for (hub *h = hubs; h; h = h->next)
			n++;
		if (n > cap) {
			built *w = realloc(work, n * sizeof *w);
			if (w) {
				work = w;
				cap = n;
			}
		}
		size_t nw = 0;
		for (hub *h = hubs; h && nw < cap; h = h->next)
			if (h->dirty && now - h->built_ms >= TICK_MS) {
				h->dirty = false;
				h->built_ms = now;
				work[nw++] = (built){ .poll_id = h->poll_id };
			}
		pthread_mutex_unlock(&mu);
		if (tell)
			store_notify(g_app->db, "openplan_poll", note);
		for (size_t i = 0; i < nw; i++)
			build(g_app, &work[i]);
		pthread_mutex_lock(&mu);
		now = now_ms();
		for (size_t i = 0; i < nw; i++) {
			hub *h = hub_find(work[i].poll_id, false);
			if (h)
				deliver(h, &work[i], now);
			http_msg_unref(work[i].pres);
			http_msg_unref(work[i].part);
		}
		bool do_ping = now >= next_ping;
		if (do_ping)
			next_ping = now + PING_S * 1000;
		hub **hp = &hubs;
		while (*hp) {
			hub *h = *hp;
			if (h->held && now - h->part_ms >= part_interval(h))
				post_part(h, h->held_part, now);
			if (h->ending) {
				post_list(&h->pres, NULL, false, true);
				post_list(&h->part, NULL, false, true);
				h->npart = 0;
				h->ending = false;
			} else if (do_ping && ping) {
				post_list(&h->pres, ping, true, false);
				post_list(&h->part, ping, true, false);
				h->npart = count_list(h->part);
			}
			if (!h->pres && !h->part && !h->dirty) {
				*hp = h->next;
				set_msg(&h->held_part, NULL);
				free(h);
				continue;
			}
			hp = &h->next;
		}
	}
	pthread_mutex_unlock(&mu);
	free(work);
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

void poll_live_changed(app *ap, int64_t poll_id)
{
	pthread_mutex_lock(&mu);
	hub *h = hub_find(poll_id, false);
	bool wake = h && !h->dirty;
	if (h)
		h->dirty = true;
	/* Noted for the other nodes (which may have this poll's listeners). */
	bool known = changed_all;
	for (size_t i = 0; i < nchanged && !known; i++)
		known = changed[i] == poll_id;
	wake |= !known && !nchanged && !changed_all;
	if (!known && nchanged < sizeof changed / sizeof *changed)
		changed[nchanged++] = poll_id;
	else if (!known)
		changed_all = true;
	if (wake && cv_ready) {
		ensure_running(ap);
		pthread_cond_signal(&cv);
	}
	pthread_mutex_unlock(&mu);
}

/* Another node's note: the polls that changed there ("*": all), or NULL
 * when some may have been missed. On the store's listener thread. */
static void poll_heard(const char *payload, bool local, void *ctx)
{
	(void)ctx;
	if (local)
		return;
	bool all = !payload || !strcmp(payload, "*"), wake = false;
	pthread_mutex_lock(&mu);
	if (all) {
		for (hub *h = hubs; h; h = h->next) {
			wake |= !h->dirty;
			h->dirty = true;
		}
	} else {
		for (const char *p = payload; *p;) {
			char *end;
			long long id = strtoll(p, &end, 10);
			hub *h = end > p ? hub_find(id, false) : NULL;
			if (h) {
				wake |= !h->dirty;
				h->dirty = true;
			}
			p = *end == ',' ? end + 1 : end + (*end != '\0');
		}
	}
	if (wake && cv_ready && running)
		pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

void poll_live_stream(app_req *q, const poll *p, bool presenter)
{
	listener *l = calloc(1, sizeof *l);
	if (!l) {
		poll_busy(q);
		return;
	}
	/* The first event, with the state as it is now and how long a browser
	 * waits before it connects again. */
	poll cp;
	const poll_question *cur = poll_current(p);
	if (cur && !cur->counted &&
	    poll_store_get(q->app->db, q->a, p->id, cur->id, &cp) == STORE_OK)
		p = &cp;
	uint64_t hash = 0;
	http_msg *first = event_msg(poll_event_data(q->app->db, q->a, p, presenter),
	                            "retry: 2000\n", &hash);
	const char *sig = presenter ? NULL : poll_sig(q->a, p, false);
	http_stream *st = first ? http_stream_open(q->r, q->s) : NULL;
	if (!st) {
		free(l);
		http_msg_unref(first);
		poll_busy(q);
		return;
	}
	q->s->status = 200;
	q->s->content_type = "text/event-stream; charset=utf-8";
	if (!q->want_json)
		http_resp_header(q->r, q->s, "Cache-Control", "no-store");
	http_stream_post(st, first);
	http_msg_unref(first);
	l->st = st;
	pthread_mutex_lock(&mu);
	hub *h = stopping ? NULL : hub_find(p->id, true);
	if (h && !h->pres && !h->part) /* new: a presenter may watch a closed poll */
		h->closed = !strcmp(p->status, "closed");
	if (h) {
		/* A new hub has sent nothing yet: what this listener got counts as
		 * sent, so the first broadcast does not repeat it. */
		if (presenter && !h->pres_hash)
			h->pres_hash = hash;
		if (!presenter && !h->part_hash && sig) {
			h->part_hash = hash;
			snprintf(h->part_sig, sizeof h->part_sig, "%s", sig);
		}
		listener **list = presenter ? &h->pres : &h->part;
		l->next = *list;
		*list = l;
		if (!presenter)
			h->npart++;
		ensure_running(q->app);
		pthread_cond_signal(&cv);
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
	if (!cv_ready) {
		/* timed waits on the monotonic clock: a clock change does not
		 * stall the broadcaster */
		pthread_condattr_t ca;
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		int rc = pthread_cond_init(&cv, &ca);
		pthread_condattr_destroy(&ca);
		if (rc != 0) {
			pthread_mutex_unlock(&mu);
			snprintf(err, errlen, "live polls: cannot make a condition variable");
			return -1;
		}
		cv_ready = true;
	}
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
	if (cv_ready)
		pthread_cond_broadcast(&cv);
	bool join = running;
	pthread_mutex_unlock(&mu);
	if (join)
		pthread_join(thread, NULL);
	pthread_mutex_lock(&mu);
	while (hubs) {
		hub *h = hubs;
		hubs = h->next;
		post_list(&h->pres, NULL, false, true);
		post_list(&h->part, NULL, false, true);
		set_msg(&h->held_part, NULL);
		free(h);
	}
	running = false;
	nchanged = 0;
	changed_all = false;
	if (cv_ready) {
		pthread_cond_destroy(&cv);
		cv_ready = false;
	}
	pthread_mutex_unlock(&mu);
}
