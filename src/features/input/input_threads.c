/* input_threads.c — red threads for organisers: the page that proposes
 * them for a set of items (the plan, a consultation, one question, a live
 * poll's question, a theme), the run that finds them, and the decisions on
 * each proposal (accept as a group, rename, merge, split, dismiss). A run
 * is long work: it goes to this feature's own job pool (src/util/jobs.h),
 * never to a request worker; the page shows it as busy until it is done
 * (a small script reloads it; without JavaScript a link does).
 *
 * Also the feature's background work: the job pool, and a thread that
 * stems and indexes new input for search every few seconds (new answers
 * arrive through the sources' triggers, which cannot stem).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../util/jobs.h"
#include "../../util/text.h"
#include "input.h"

enum { SPLIT_MAX = 5000, INDEX_EVERY_S = 2 };

/* ---- background work ---------------------------------------------------------------------- */

static jobs *pool;
static store *pool_db;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_t indexer;
static bool indexing, stopping;

static void *index_loop(void *arg)
{
	store *s = arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		pthread_mutex_unlock(&mu);
		int done = 0;
		do {
			if (input_store_index(s, 2000, &done) != STORE_OK)
				break;
		} while (done > 0 && !jobs_stopping(pool));
		pthread_mutex_lock(&mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += INDEX_EVERY_S;
		while (!stopping && pthread_cond_timedwait(&wake, &mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

int input_start(app *ap, char *err, size_t errlen)
{
	/* One thread at low priority: clustering never takes the CPU from
	 * requests; a few runs may wait their turn. */
	pool = jobs_new(1, 8, 10);
	if (!pool) {
		snprintf(err, errlen, "cannot start the red-thread job pool");
		return -1;
	}
	pool_db = ap->db;
	/* Runs that a stopped server left behind never finish. */
	input_store_runs_abandon(ap->db);
	pthread_mutex_lock(&mu);
	stopping = false;
	indexing = pthread_create(&indexer, NULL, index_loop, ap->db) == 0;
	pthread_mutex_unlock(&mu);
	if (!indexing) {
		jobs_free(pool);
		pool = NULL;
		snprintf(err, errlen, "cannot start the input search indexer");
		return -1;
	}
	return 0;
}

void input_stop(app *ap)
{
	(void)ap;
	pthread_mutex_lock(&mu);
	bool was = indexing;
	stopping = true;
	indexing = false;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&mu);
	if (was)
		pthread_join(indexer, NULL);
	if (pool)
		jobs_free(pool);
	pool = NULL;
	pool_db = NULL;
}

/* A red-thread run on a pool thread. */
typedef struct run_job {
	store  *db;
	int64_t run_id;
} run_job;

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void input_run_now(store *s, int64_t run_id)
{
	arena a;
	arena_init(&a, 0);
	input_run r;
	long long t0 = now_ms();
	store_rc rc = input_store_run_get(s, &a, run_id, &r);
	if (rc == STORE_OK)
		rc = input_store_run_status(s, run_id, "running", 0, 0);
	input_doc *docs = NULL;
	size_t n = 0;
	if (rc == STORE_OK) {
		store_read_begin(s);
		rc = input_store_run_docs(s, &a, &r, &docs, &n);
		store_read_end(s);
	}
	input_clusters c;
	if (rc == STORE_OK && input_cluster(&a, docs, n, &c) != 0)
		rc = STORE_ERROR;
	if (rc == STORE_OK)
		rc = input_store_run_save(s, run_id, docs, &c, (int)(now_ms() - t0));
	if (rc != STORE_OK) {
		fprintf(stderr, "level=warn msg=\"red threads: run %lld failed: %s\"\n",
		        (long long)run_id, store_rc_name(rc));
		input_store_run_status(s, run_id, "failed", (int)n, (int)(now_ms() - t0));
	}
	arena_free(&a);
}

static void run_job_fn(void *arg)
{
	run_job *j = arg;
	if (!jobs_stopping(pool))
		input_run_now(j->db, j->run_id);
	else
		input_store_run_status(j->db, j->run_id, "failed", 0, 0);
	free(j);
}

int input_jobs_submit_run(store *s, int64_t run_id)
{
	run_job *j = malloc(sizeof *j);
	if (!j || !pool) {
		free(j);
		return -1;
	}
	*j = (run_job){ s, run_id };
	if (jobs_submit(pool, run_job_fn, j) != 0) {
		free(j);
		return -1;
	}
	return 0;
}

/* ---- forms ------------------------------------------------------------------------------------ */

/* "plan", or "<scope>:<id>" with a known scope. */
static const char *scope_check(app_req *q, const char *v)
{
	(void)q;
	char name[32];
	long long id = 0;
	const char *colon = strchr(v, ':');
	size_t len = colon ? (size_t)(colon - v) : strlen(v);
	if (len >= sizeof name)
		return "Choose one of the options.";
	memcpy(name, v, len);
	name[len] = '\0';
	if (!input_scope_valid(name))
		return "Choose one of the options.";
	if (strcmp(name, "plan") && (!colon || !text_parse_int(colon + 1, 1, INT64_MAX, &id)))
		return "Choose one of the options.";
	return NULL;
}

static const form_field run_fields[] = {
	{ "scope", F_TEXT, true, 40, .label = "Which input", .check = scope_check },
};
const form_def input_run_form = FORM_DEF("run", run_fields, NULL, input_threads);

static const form_field accept_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Name of the group" },
};
const form_def input_thread_form = FORM_DEF("accept", accept_fields, NULL, input_threads);

static const form_field rename_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "New name" },
};
const form_def input_rename_form = FORM_DEF("rename", rename_fields, NULL, input_threads);

static const form_field tmerge_fields[] = {
	{ "into", F_ID, true, 20, .label = "Merge into the red thread" },
};
const form_def input_thread_merge_form = FORM_DEF("tmerge", tmerge_fields, NULL, input_threads);

/* ---- the page ----------------------------------------------------------------------------------- */

static const char *scope_label(app_req *q, const char *scope)
{
	static const char *const labels[][2] = {
		{ "plan", "All input of the plan" }, { "consultation", "Consultation" },
		{ "question", "Question" }, { "poll_question", "Live poll question" },
		{ "theme", "Theme" },
	};
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (!strcmp(labels[i][0], scope))
			return app_t(q, labels[i][1]);
	return scope;
}

static const char *state_label(const char *state)
{
	if (!strcmp(state, "accepted"))
		return "Accepted";
	if (!strcmp(state, "dismissed"))
		return "Dismissed";
	if (!strcmp(state, "merged"))
		return "Merged";
	if (!strcmp(state, "split"))
		return "Split";
	return "Proposed";
}

/* The plan of the page: {id} on the plan's addresses, the thread's run's
 * plan on a thread's (a failed form shows the plan's page again). */
static bool page_plan(app_req *q, plan *p, int64_t *run_id)
{
	*run_id = 0;
	int64_t tid = app_param_id(q, "tid");
	if (tid) {
		input_thread t;
		input_run r;
		store_rc rc = input_store_thread_get(q->app->db, q->a, tid, &t);
		if (rc == STORE_OK)
			rc = input_store_run_get(q->app->db, q->a, t.run_id, &r);
		if (rc == STORE_OK)
			rc = store_plan_get(q->app->db, q->a, r.plan_id, p);
		if (rc != STORE_OK) {
			app_store_error(q, rc);
			return false;
		}
		*run_id = t.run_id;
		return true;
	}
	return input_load_plan(q, p);
}

static void threads_page(app_req *q)
{
	plan p;
	int64_t run_id = 0;
	if (!page_plan(q, &p, &run_id))
		return;
	const char *rs = http_query(q->r, "run");
	long long v;
	if (!run_id && rs && text_parse_int(rs, 1, INT64_MAX, &v))
		run_id = (int64_t)v;
	if (!run_id && input_store_run_latest(q->app->db, p.id, &run_id) != STORE_OK)
		run_id = 0;
	input_run run = { 0 };
	input_thread *ts = NULL;
	input_dup *ds = NULL;
	size_t nt = 0, nd = 0;
	store_rc rc = STORE_OK;
	if (run_id) {
		rc = input_store_run_get(q->app->db, q->a, run_id, &run);
		if (rc == STORE_OK && run.plan_id != p.id)
			rc = STORE_NOTFOUND;
		if (rc == STORE_OK && !strcmp(run.status, "done"))
			rc = input_store_threads(q->app->db, q->a, run_id, &ts, &nt);
		if (rc == STORE_OK && !strcmp(run.status, "done"))
			rc = input_store_dups(q->app->db, q->a, run_id, &ds, &nd);
	}
	input_scope *sc;
	size_t ns = 0;
	if (rc == STORE_OK)
		rc = input_store_scopes(q->app->db, q->a, p.id, &sc, &ns);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	bool view = !q->want_json || form_failed(q);
	json_t *threads = json_array(), *dups = json_array();
	for (size_t i = 0; i < nt; i++) {
		json_t *o = input_thread_data(&ts[i]);
		if (view) {
			json_object_set_new(o, "state_label", json_string(app_t(q, state_label(ts[i].state))));
			json_object_set_new(o, "quote", json_string(ts[i].quote_text));
			json_object_set_new(o, "proposed", json_boolean(!strcmp(ts[i].state, "proposed")));
			input_item *items;
			size_t ni = 0;
			json_t *members = json_array();
			if (!strcmp(ts[i].state, "proposed") &&
			    input_store_thread_items(q->app->db, q->a, ts[i].id, &items, &ni) == STORE_OK)
				for (size_t k = 0; k < ni && k < 200; k++)
					json_array_append_new(members, json_pack("{s:I,s:s}", "id",
					                                         (json_int_t)items[k].id, "text",
					                                         items[k].text));
			json_object_set_new(o, "members", members);
			json_t *others = json_array();
			for (size_t k = 0; k < nt; k++)
				if (k != i && !strcmp(ts[k].state, "proposed"))
					json_array_append_new(others, json_pack("{s:I,s:s}", "value",
					                                        (json_int_t)ts[k].id, "label",
					                                        ts[k].label));
			json_object_set_new(o, "others", others);
			json_object_set_new(o, "can_split", json_boolean(ts[i].size >= 2 &&
			                                                 ts[i].size <= SPLIT_MAX));
		}
		json_array_append_new(threads, o);
	}
	for (size_t i = 0; i < nd; i++) {
		json_t *o = json_pack("{s:I,s:I,s:i}", "item_id", (json_int_t)ds[i].item_id, "other_id",
		                      (json_int_t)ds[i].other_id, "score", ds[i].score);
		if (view) {
			json_object_set_new(o, "text", json_string(ds[i].text));
			json_object_set_new(o, "other_text", json_string(ds[i].other_text));
			json_object_set_new(o, "percent", json_integer(ds[i].score / 10));
		}
		json_array_append_new(dups, o);
	}
	json_t *runj = json_null();
	if (run_id)
		runj = json_pack("{s:I,s:s,s:I,s:s,s:i,s:i}", "id", (json_int_t)run.id, "scope",
		                 run.scope, "scope_id", (json_int_t)run.scope_id, "status", run.status,
		                 "items", run.items, "millis", run.millis);
	if (!view) {
		app_json(q, 200, json_pack("{s:{s:I,s:s},s:o,s:o,s:o}", "plan", "id", (json_int_t)p.id,
		                           "title", p.title, "run", runj, "threads", threads,
		                           "duplicates", dups));
		return;
	}
	json_t *scopes = json_array();
	const char *chosen = form_text(q, "scope");
	json_array_append_new(scopes, json_pack("{s:s,s:s,s:b}", "value", "plan", "label",
	                                        app_t(q, "All input of the plan"), "selected",
	                                        !strcmp(chosen, "plan")));
	for (size_t i = 0; i < ns; i++) {
		const char *val = arena_printf(q->a, "%s:%lld", sc[i].scope, (long long)sc[i].id);
		const char *lab = arena_printf(q->a, "%s: %s (%lld)", scope_label(q, sc[i].scope),
		                               sc[i].label, (long long)sc[i].items);
		json_array_append_new(scopes, json_pack("{s:s,s:s,s:b}", "value", val ? val : "",
		                                        "label", lab ? lab : "", "selected",
		                                        val && !strcmp(chosen, val)));
	}
	json_t *m = json_pack("{s:s,s:{s:I,s:s},s:o,s:o,s:o,s:o}", "title", app_t(q, "Red threads"),
	                      "plan", "id", (json_int_t)p.id, "title", p.title, "run", runj,
	                      "threads", threads, "duplicates", dups, "scopes", scopes);
	json_object_set_new(m, "form", form_view(q, &input_run_form, "run", NULL, true));
	if (run_id) {
		const char *what = !strcmp(run.scope, "plan") ? app_t(q, "All input of the plan") : NULL;
		for (size_t i = 0; !what && i < ns; i++)
			if (!strcmp(sc[i].scope, run.scope) && sc[i].id == run.scope_id)
				what = arena_printf(q->a, "%s: %s", scope_label(q, run.scope), sc[i].label);
		json_object_set_new(m, "run_what", json_string(what ? what : scope_label(q, run.scope)));
		bool busy = !strcmp(run.status, "queued") || !strcmp(run.status, "running");
		json_object_set_new(m, "busy", json_boolean(busy));
		json_object_set_new(m, "failed", json_boolean(!strcmp(run.status, "failed")));
		json_object_set_new(m, "run_url", json_string(arena_printf(q->a,
		                                                           "/input/plans/%lld/threads?run=%lld",
		                                                           (long long)p.id,
		                                                           (long long)run.id)));
		json_object_set_new(m, "took", json_string(run.millis < 1000
		                                           ? arena_printf(q->a, "%d ms", run.millis)
		                                           : arena_printf(q->a, "%.1f s",
		                                                          run.millis / 1000.0)));
		if (busy)
			json_object_set_new(m, "refresh", json_string("3"));
	}
	json_object_set_new(m, "inbox_url", json_string(arena_printf(q->a, "/input/plans/%lld/inbox",
	                                                             (long long)p.id)));
	if (form_failed(q)) {
		/* The decisions are small forms on every thread: their messages
		 * are said at the top. */
		json_object_set_new(m, "errors", json_true());
		json_t *msgs = json_array();
		const char *key;
		json_t *msg;
		json_object_foreach(q->form->errors, key, msg)
			json_array_append(msgs, msg);
		json_object_set_new(m, "error_messages", msgs);
	}
	app_page(q, form_failed(q) ? 422 : 200, "input_threads", m);
}

void input_threads(app_req *q)
{
	if (q->r->method != HTTP_POST || form_failed(q) || app_param_id(q, "tid")) {
		threads_page(q);
		return;
	}
	plan p;
	if (!input_load_plan(q, &p))
		return;
	const char *scope = form_text(q, "scope");
	char name[32] = "plan";
	int64_t scope_id = 0;
	const char *colon = strchr(scope, ':');
	if (colon) {
		snprintf(name, sizeof name, "%.*s", (int)(colon - scope), scope);
		long long v = 0;
		text_parse_int(colon + 1, 1, INT64_MAX, &v);
		scope_id = (int64_t)v;
	}
	int64_t run_id = 0;
	store_rc rc = input_store_run_create(q->app->db, p.id, name, scope_id, q->me->id, &run_id);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (input_jobs_submit_run(q->app->db, run_id) != 0) {
		input_store_run_status(q->app->db, run_id, "failed", 0, 0);
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	input_go(q, arena_printf(q->a, "/input/plans/%lld/threads?run=%lld", (long long)p.id,
	                             (long long)run_id),
	             "input_run");
}

/* ---- decisions ------------------------------------------------------------------------------------ */

static bool load_thread(app_req *q, input_thread *t, int64_t *plan_id)
{
	int64_t id = app_param_id(q, "tid");
	input_run r;
	store_rc rc = id ? input_store_thread_get(q->app->db, q->a, id, t) : STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc = input_store_run_get(q->app->db, q->a, t->run_id, &r);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	*plan_id = r.plan_id;
	return true;
}

static void back(app_req *q, int64_t plan_id, int64_t run_id, const char *flash)
{
	input_go(q, arena_printf(q->a, "/input/plans/%lld/threads?run=%lld", (long long)plan_id,
	                             (long long)run_id),
	             flash);
}

static void not_proposed(app_req *q)
{
	app_error(q, 409, "This red thread was decided on already (accepted, merged, split or dismissed). Nothing was changed.");
}

void input_thread_accept(app_req *q)
{
	input_thread t;
	int64_t plan_id;
	if (!load_thread(q, &t, &plan_id))
		return;
	int64_t group = 0;
	input_refusal why;
	store_rc rc = input_store_thread_accept(q->app->db, t.id, form_text(q, "title"), q->me->id,
	                                        &group, &why);
	if (rc == STORE_CONFLICT) {
		not_proposed(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	input_go(q, arena_printf(q->a, "/input/groups/%lld", (long long)group), "input_accepted");
}

void input_thread_rename(app_req *q)
{
	input_thread t;
	int64_t plan_id;
	if (!load_thread(q, &t, &plan_id))
		return;
	store_rc rc = input_store_thread_rename(q->app->db, t.id, form_text(q, "title"));
	if (rc == STORE_CONFLICT) {
		not_proposed(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, plan_id, t.run_id, "input_renamed");
}

void input_thread_merge(app_req *q)
{
	input_thread t;
	int64_t plan_id;
	if (!load_thread(q, &t, &plan_id))
		return;
	input_refusal why;
	store_rc rc = input_store_thread_merge(q->app->db, t.id, form_int(q, "into"), &why);
	if (rc == STORE_INVALID || rc == STORE_NOTFOUND || rc == STORE_CONFLICT) {
		form_fail(q, "into", why == INPUT_SELF ? "A red thread cannot be merged into itself."
		                     : why == INPUT_OTHER_PLAN
		                             ? "That red thread belongs to another plan: red threads merge only within one plan."
		                     : rc == STORE_CONFLICT
		                             ? "Only red threads that are still proposed, from the same run, can be merged."
		                             : "Choose one of the red threads.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, plan_id, t.run_id, "input_thread_merged");
}

void input_thread_split(app_req *q)
{
	input_thread t;
	int64_t plan_id;
	if (!load_thread(q, &t, &plan_id))
		return;
	if (strcmp(t.state, "proposed")) {
		not_proposed(q);
		return;
	}
	if (t.size < 2 || t.size > SPLIT_MAX) {
		app_error(q, 409, "This red thread cannot be split: it has fewer than two items, or too many to split at once (accept it and take input out instead).");
		return;
	}
	input_item *items;
	size_t n = 0;
	store_rc rc = input_store_thread_items(q->app->db, q->a, t.id, &items, &n);
	input_doc *docs = n ? arena_calloc(q->a, n, sizeof *docs) : NULL;
	if (rc == STORE_OK && n && !docs)
		rc = STORE_ERROR;
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		docs[i] = (input_doc){ items[i].id, items[i].text };
	input_clusters c;
	if (rc == STORE_OK && input_cluster_split(q->a, docs, n, &c) != 0)
		rc = STORE_ERROR;
	if (rc == STORE_OK && c.nthreads != 2) {
		app_error(q, 409, "This red thread cannot be split: its texts are all alike.");
		return;
	}
	if (rc == STORE_OK)
		rc = input_store_thread_split(q->app->db, t.id, docs, &c);
	if (rc == STORE_CONFLICT) {
		not_proposed(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, plan_id, t.run_id, "input_split");
}

void input_thread_dismiss(app_req *q)
{
	input_thread t;
	int64_t plan_id;
	if (!load_thread(q, &t, &plan_id))
		return;
	store_rc rc = input_store_thread_dismiss(q->app->db, t.id);
	if (rc == STORE_CONFLICT) {
		not_proposed(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, plan_id, t.run_id, "input_dismissed");
}
