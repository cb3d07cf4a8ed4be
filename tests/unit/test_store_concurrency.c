/* test_store_concurrency.c — the counts that must stay exact under
 * concurrent writers (store.h, "Concurrent writers"), on SQLite and, with
 * OPENPLAN_TEST_PG set, on PostgreSQL: many threads voting at once, one
 * participant voting from several threads at once, one person answering a
 * consultation from several threads at once, one form token used twice at
 * once, a secret made by two nodes at once; and the backend mechanics
 * behind them: deadlocks and serialization failures retried by store_tx,
 * notifications between stores, rows streamed without being held, a query
 * inside another's row callback.
 */
#include "unit.h"

#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "features/cons/cons.h"
#include "features/poll/poll.h"
#include "store/db.h"
#include "store_target.h"

enum { THREADS = 8 };

typedef struct fx {
	char   dir[64];
	char   target[192];
	store *s;
	arena  a;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/openplan-conc-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	char file[96], err[256] = "";
	snprintf(file, sizeof file, "%s/test.db", f->dir);
	store_target(file, f->target, sizeof f->target);
	if (store_target_open(f->target, &f->s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		rmdir(f->dir);
		free(f);
		return -1;
	}
	arena_init(&f->a, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	store_close(f->s);
	arena_free(&f->a);
	static const char *const suffix[] = { "/test.db", "/test.db-wal", "/test.db-shm" };
	for (size_t i = 0; i < ARRAY_LEN(suffix); i++) {
		char p[128];
		snprintf(p, sizeof p, "%s%s", f->dir, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

#define FX fx *f = *state; store *s = f->s; arena *a = &f->a; (void)s; (void)a

/* Runs fn(i) on THREADS threads at once. */
typedef struct run_arg { void *(*fn)(void *); void *ctx; int i; } run_arg;

static void run_n(void *(*fn)(void *), void *ctx, run_arg *args, int n)
{
	pthread_t t[THREADS];
	for (int i = 0; i < n; i++) {
		args[i] = (run_arg){ fn, ctx, i };
		assert_int_equal(pthread_create(&t[i], NULL, fn, &args[i]), 0);
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

static void run_threads(void *(*fn)(void *), void *ctx, run_arg *args)
{
	run_n(fn, ctx, args, THREADS);
}

/* ---- live-poll votes ------------------------------------------------------------------- */

typedef struct poll_fx {
	store  *s;
	int64_t question;
	int64_t options[3];
	int     votes_each;
	atomic_int ok, failed;
} poll_fx;

static void make_poll(store *s, arena *a, poll_fx *p)
{
	int64_t pid, qid;
	assert_int_equal(poll_store_create(s, 0, "Concurrency", "123456", "presenter", 0, &pid),
	                 STORE_OK);
	const char *opts[] = { "A", "B", "C" };
	assert_int_equal(poll_store_question_add(s, pid, "single", "Which?", 1, 5, opts, 3, &qid),
	                 STORE_OK);
	poll got;
	assert_int_equal(poll_store_get(s, a, pid, POLL_COUNTS_NONE, &got), STORE_OK);
	p->s = s;
	p->question = qid;
	for (int i = 0; i < 3; i++)
		p->options[i] = got.questions[0].options[i].id;
}

static void vote(poll_fx *p, const char *participant, int option)
{
	char item[32];
	snprintf(item, sizeof item, "o:%lld", (long long)p->options[option]);
	poll_item it = { item, "x", 0 };
	poll_vote_in v = { .question_id = p->question, .participant = participant, .answer = item,
		           .items = &it, .nitems = 1 };
	bool replaced, capped;
	if (poll_store_vote(p->s, &v, &replaced, &capped) == STORE_OK)
		atomic_fetch_add(&p->ok, 1);
	else
		atomic_fetch_add(&p->failed, 1);
}

static void *many_voters(void *arg)
{
	run_arg *r = arg;
	poll_fx *p = r->ctx;
	for (int k = 0; k < p->votes_each; k++) {
		char who[32];
		snprintf(who, sizeof who, "p%d-%d", r->i, k);
		vote(p, who, k % 3);
	}
	return NULL;
}

static void *one_voter(void *arg)
{
	run_arg *r = arg;
	poll_fx *p = r->ctx;
	for (int k = 0; k < p->votes_each; k++)
		vote(p, "the-same-participant", (k + r->i) % 3);
	return NULL;
}

static void counts(store *s, arena *a, poll_fx *p, int64_t *voters, int64_t n[3])
{
	poll got;
	int64_t poll_id = 0;
	/* the poll of the question: the only one */
	poll *all;
	size_t np;
	assert_int_equal(poll_store_list(s, a, &all, &np), STORE_OK);
	assert_int_equal(np, 1);
	poll_id = all[0].id;
	assert_int_equal(poll_store_get(s, a, poll_id, POLL_COUNTS_ALL, &got), STORE_OK);
	*voters = got.questions[0].voters;
	for (int i = 0; i < 3; i++)
		n[i] = got.questions[0].options[i].n;
}

TEST(votes_of_many_threads_all_count)
{
	FX;
	poll_fx p = { .votes_each = 60 };
	make_poll(s, a, &p);
	run_arg args[THREADS];
	run_threads(many_voters, &p, args);
	assert_int_equal(p.failed, 0);
	assert_int_equal(p.ok, THREADS * 60);
	int64_t voters, n[3];
	counts(s, a, &p, &voters, n);
	assert_int_equal(voters, THREADS * 60);
	assert_int_equal(n[0] + n[1] + n[2], THREADS * 60);
	assert_int_equal(n[0], THREADS * 20);
	assert_int_equal(n[1], THREADS * 20);
}

TEST(one_participant_voting_at_once_counts_once)
{
	FX;
	poll_fx p = { .votes_each = 25 };
	make_poll(s, a, &p);
	run_arg args[THREADS];
	run_threads(one_voter, &p, args);
	assert_int_equal(p.failed, 0);
	int64_t voters, n[3];
	counts(s, a, &p, &voters, n);
	assert_int_equal(voters, 1);
	assert_int_equal(n[0] + n[1] + n[2], 1);
	/* and the count is the answer kept */
	int64_t *qids;
	const char **answers;
	size_t na;
	poll *all;
	size_t np;
	assert_int_equal(poll_store_list(s, a, &all, &np), STORE_OK);
	assert_int_equal(poll_store_my_answers(s, a, all[0].id, "the-same-participant", &qids,
	                                       &answers, &na), STORE_OK);
	assert_int_equal(na, 1);
	for (int i = 0; i < 3; i++) {
		char item[32];
		snprintf(item, sizeof item, "o:%lld", (long long)p.options[i]);
		assert_int_equal(n[i], !strcmp(answers[0], item));
	}
}

/* ---- consultation responses and one-time tokens ------------------------------------------ */

typedef struct cons_fx {
	store     *s;
	int64_t    cons, question, options[2], users[THREADS];
	bool       same_nonce;
	atomic_int ok, conflict, other;
} cons_fx;

static void make_consultation(store *s, arena *a, cons_fx *c)
{
	plan p = { .title = "P", .description = "", .period_start = "2020-01-01",
		   .period_end = "2020-12-31", .status = "draft" };
	int64_t pid;
	assert_int_equal(store_plan_create(s, &p, &pid), STORE_OK);
	consultation k = { .plan_id = pid, .title = "C", .intro = "", .opens_on = "2020-01-01",
		           .closes_on = "2099-01-01", .results_public = "while_open" };
	assert_int_equal(cons_store_create(s, &k, &c->cons), STORE_OK);
	const char *labels[] = { "Yes", "No" };
	cons_question q = { .kind = "single", .prompt = "Q", .help = "", .max_length = 100,
		            .low_label = "", .high_label = "" };
	assert_int_equal(cons_store_question_add(s, c->cons, &q, labels, NULL, 2, &c->question),
	                 STORE_OK);
	consultation full;
	assert_int_equal(cons_store_get(s, a, c->cons, &full), STORE_OK);
	c->options[0] = full.questions[0].options[0].id;
	c->options[1] = full.questions[0].options[1].id;
	c->s = s;
}

static void *answer(void *arg)
{
	run_arg *r = arg;
	cons_fx *c = r->ctx;
	for (int k = 0; k < (c->same_nonce ? 1 : 10); k++) {
		char nonce[48];
		snprintf(nonce, sizeof nonce, c->same_nonce ? "the-one-nonce" : "nonce-%d-%d", r->i, k);
		cons_answer_in x = { .question_id = c->question, .option_id = c->options[(r->i + k) % 2],
			             .text = "", .norm = "" };
		bool replaced;
		store_rc rc = cons_store_respond(c->s, c->cons, c->same_nonce ? c->users[r->i]
		                                                               : c->users[0],
		                                 NULL, nonce, &x, 1, &replaced);
		atomic_fetch_add(rc == STORE_OK ? &c->ok : rc == STORE_CONFLICT ? &c->conflict
		                                                                 : &c->other, 1);
	}
	return NULL;
}

static void tallies(store *s, arena *a, cons_fx *c, int64_t *respondents, int64_t *answered,
                    int64_t *chosen)
{
	consultation k;
	assert_int_equal(cons_store_get(s, a, c->cons, &k), STORE_OK);
	cons_results res;
	assert_int_equal(cons_store_results(s, a, &k, 10, true, &res), STORE_OK);
	*respondents = res.respondents;
	*answered = res.nanswered ? res.answered[0].count : 0;
	*chosen = 0;
	for (size_t i = 0; i < res.noptions; i++)
		*chosen += res.options[i].count;
}

TEST(one_person_answering_at_once_is_one_response)
{
	FX;
	cons_fx c = { 0 };
	make_consultation(s, a, &c);
	assert_int_equal(store_user_create(s, "one@example.org", "One", "h", ROLE_PARTICIPANT,
	                                   &c.users[0]), STORE_OK);
	run_arg args[THREADS];
	run_threads(answer, &c, args);
	assert_int_equal(c.other, 0);
	assert_int_equal(c.conflict, 0);
	assert_int_equal(c.ok, THREADS * 10);
	int64_t respondents, answered, chosen;
	tallies(s, a, &c, &respondents, &answered, &chosen);
	assert_int_equal(respondents, 1);
	assert_int_equal(answered, 1);
	assert_int_equal(chosen, 1);
}

TEST(one_form_token_used_at_once_counts_once)
{
	FX;
	cons_fx c = { .same_nonce = true };
	make_consultation(s, a, &c);
	for (int i = 0; i < THREADS; i++) {
		char email[64];
		snprintf(email, sizeof email, "u%d@example.org", i);
		assert_int_equal(store_user_create(s, email, "U", "h", ROLE_PARTICIPANT, &c.users[i]),
		                 STORE_OK);
	}
	run_arg args[THREADS];
	run_threads(answer, &c, args);
	assert_int_equal(c.ok, 1);
	assert_int_equal(c.conflict, THREADS - 1);
	assert_int_equal(c.other, 0);
	int64_t respondents, answered, chosen;
	tallies(s, a, &c, &respondents, &answered, &chosen);
	assert_int_equal(respondents, 1);
	assert_int_equal(chosen, 1);
}

/* ---- a secret made by several nodes at once --------------------------------------------- */

typedef struct secret_fx { store *s; const char *kept[THREADS]; arena a[THREADS]; } secret_fx;

static void *make_secret(void *arg)
{
	run_arg *r = arg;
	secret_fx *x = r->ctx;
	char mine[32];
	snprintf(mine, sizeof mine, "secret-of-%d", r->i);
	arena_init(&x->a[r->i], 0);
	if (store_meta_init(x->s, &x->a[r->i], "test_secret", mine, &x->kept[r->i]) != STORE_OK)
		x->kept[r->i] = NULL;
	return NULL;
}

TEST(a_secret_made_at_once_is_one_secret)
{
	FX;
	secret_fx x = { .s = s };
	run_arg args[THREADS];
	run_threads(make_secret, &x, args);
	for (int i = 0; i < THREADS; i++) {
		assert_non_null(x.kept[i]);
		assert_string_equal(x.kept[i], x.kept[0]);
	}
	const char *v;
	assert_int_equal(store_meta_get(s, a, "test_secret", &v), STORE_OK);
	assert_string_equal(v, x.kept[0]);
	for (int i = 0; i < THREADS; i++)
		arena_free(&x.a[i]);
}

/* ---- retries: deadlocks and serialization failures --------------------------------------- */

typedef struct lock_fx { store *s; int64_t org[2]; atomic_int ok, failed; } lock_fx;

static store_rc crosswise_tx(store *s, void *ctx)
{
	/* Thread parity decides the order: even threads lock org 0 then 1,
	 * odd ones 1 then 0; on PostgreSQL they meet in a deadlock, and the
	 * one the server picks fails with 40P01. */
	run_arg *r = ctx;
	lock_fx *l = r->ctx;
	int first = r->i % 2;
	for (int k = 0; k < 2; k++) {
		db_arg u[] = { DB_I(l->org[(first + k) % 2]) };
		store_rc rc = db_exec(s, "UPDATE organisations SET created_at = created_at + 1 "
		                         "WHERE id = $1", u, 1, NULL, NULL);
		if (rc != STORE_OK)
			return rc;
		if (k == 0 && on_pg()) {
			struct timespec ts = { 0, 50 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	return STORE_OK;
}

static void *crosswise(void *arg)
{
	run_arg *r = arg;
	lock_fx *l = r->ctx;
	atomic_fetch_add(store_tx(l->s, crosswise_tx, r) == STORE_OK ? &l->ok : &l->failed, 1);
	return NULL;
}

static store_rc created_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx += db_int(r, 0);
	return STORE_OK;
}

TEST(deadlocks_are_retried)
{
	FX;
	lock_fx l = { .s = s };
	assert_int_equal(store_org_create(s, "Left", "other", &l.org[0]), STORE_OK);
	assert_int_equal(store_org_create(s, "Right", "other", &l.org[1]), STORE_OK);
	int64_t before = 0, after = 0;
	assert_int_equal(db_query(s, "SELECT SUM(created_at) FROM organisations", NULL, 0,
	                          created_row, &before), STORE_OK);
	run_arg args[THREADS];
	for (int round = 0; round < 3; round++)
		run_n(crosswise, &l, args, 2);
	assert_int_equal(l.failed, 0);
	assert_int_equal(l.ok, 6);
	assert_int_equal(db_query(s, "SELECT SUM(created_at) FROM organisations", NULL, 0,
	                          created_row, &after), STORE_OK);
	assert_int_equal(after - before, 2 * 6);
}

typedef struct serial_fx { store *s; atomic_int ok, failed; } serial_fx;

/* A rule no row lock can keep: at most 3 organisations named "Seat …". At
 * SERIALIZABLE, writers that would together break it fail with 40001 and
 * store_tx runs them again. */
static store_rc seat_tx(store *s, void *ctx)
{
	run_arg *r = ctx;
	int64_t n = 0;
	store_rc rc = db_exec(s, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", NULL, 0, NULL,
	                      NULL);
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT COUNT(*) FROM organisations WHERE name LIKE 'Seat %'", NULL, 0,
		              created_row, &n);
	if (rc != STORE_OK || n >= 3)
		return rc;
	struct timespec ts = { 0, 10 * 1000000L };
	nanosleep(&ts, NULL);
	char name[32];
	snprintf(name, sizeof name, "Seat %d", r->i);
	return store_org_create(s, name, "other", NULL);
}

static void *take_seat(void *arg)
{
	run_arg *r = arg;
	serial_fx *x = r->ctx;
	atomic_fetch_add(store_tx(x->s, seat_tx, r) == STORE_OK ? &x->ok : &x->failed, 1);
	return NULL;
}

TEST(serialization_failures_are_retried)
{
	FX;
	if (!on_pg())
		skip(); /* SQLite has one writer at a time: nothing to retry */
	serial_fx x = { .s = s };
	run_arg args[THREADS];
	run_threads(take_seat, &x, args);
	int64_t n = 0;
	assert_int_equal(db_query(s, "SELECT COUNT(*) FROM organisations WHERE name LIKE 'Seat %'",
	                          NULL, 0, created_row, &n), STORE_OK);
	assert_int_equal(n, 3);
	/* a few may run out of tries under this much contention; none breaks the rule */
	assert_int_equal(x.ok + x.failed, THREADS);
	assert_true(x.ok >= 3);
}

/* ---- notifications ---------------------------------------------------------------------- */

typedef struct heard {
	pthread_mutex_t mu;
	int             n, local, missed;
	char            last[64];
} heard;

static void on_note(const char *payload, bool local, void *ctx)
{
	heard *h = ctx;
	pthread_mutex_lock(&h->mu);
	if (!payload) {
		h->missed++;
	} else {
		h->n++;
		h->local += local;
		snprintf(h->last, sizeof h->last, "%s", payload);
	}
	pthread_mutex_unlock(&h->mu);
}

static int heard_n(heard *h)
{
	pthread_mutex_lock(&h->mu);
	int n = h->n;
	pthread_mutex_unlock(&h->mu);
	return n;
}

/* PostgreSQL's listener reports a gap once it has connected and listens:
 * what is sent before then is not heard. Waits up to 3 s for that. */
static void wait_listening(heard *h)
{
	for (int i = 0; on_pg() && i < 300; i++) {
		pthread_mutex_lock(&h->mu);
		int m = h->missed;
		pthread_mutex_unlock(&h->mu);
		if (m)
			break;
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

/* Waits up to 3 s for h to have heard n messages. */
static void wait_heard(heard *h, int n)
{
	for (int i = 0; i < 300 && heard_n(h) < n; i++) {
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

TEST(notifications_go_out_when_the_transaction_commits)
{
	FX;
	heard h = { .mu = PTHREAD_MUTEX_INITIALIZER };
	assert_int_equal(store_listen(s, "test_channel", on_note, &h), STORE_OK);
	wait_listening(&h);
	/* a bad channel name is refused */
	assert_int_equal(store_notify(s, "Bad-Name", "x"), STORE_ERROR);
	/* rolled back: never sent */
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_notify(s, "test_channel", "rolled back"), STORE_OK);
	store_rollback(s);
	/* in a savepoint that is undone: never sent either */
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_notify(s, "test_channel", "inner undone"), STORE_OK);
	store_rollback(s);
	assert_int_equal(store_notify(s, "test_channel", "committed"), STORE_OK);
	if (!on_pg())
		assert_int_equal(heard_n(&h), 0); /* not before the commit */
	assert_int_equal(store_commit(s), STORE_OK);
	wait_heard(&h, 1);
	struct timespec ts = { 0, 100 * 1000000L };
	nanosleep(&ts, NULL);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.last, "committed");
	assert_int_equal(h.local, 1);
	store_unlisten(s, "test_channel", on_note, &h);
}

TEST(notifications_reach_another_node)
{
	FX;
	if (!on_pg())
		skip(); /* SQLite serves one process: nothing to reach */
	store *other = NULL;
	char err[256];
	assert_int_equal(store_open(f->target, &other, err, sizeof err), STORE_OK);
	heard mine = { .mu = PTHREAD_MUTEX_INITIALIZER }, theirs = { .mu = PTHREAD_MUTEX_INITIALIZER };
	assert_int_equal(store_listen(s, "test_nodes", on_note, &mine), STORE_OK);
	assert_int_equal(store_listen(other, "test_nodes", on_note, &theirs), STORE_OK);
	wait_listening(&mine);
	wait_listening(&theirs);
	assert_int_equal(store_notify(s, "test_nodes", "poll 42"), STORE_OK);
	wait_heard(&mine, 1);
	wait_heard(&theirs, 1);
	assert_int_equal(theirs.n, 1);
	assert_int_equal(theirs.local, 0);
	assert_string_equal(theirs.last, "poll 42");
	assert_int_equal(mine.n, 1);
	assert_int_equal(mine.local, 1);
	store_close(other);
	store_unlisten(s, "test_nodes", on_note, &mine);
}

/* One node at a time holds a named lock (the mail sender's round): the
 * other is refused until it is let go, and a node that goes away lets go. */
TEST(a_lock_is_held_by_one_node_at_a_time)
{
	FX;
	bool held = false;
	assert_int_equal(store_lock_try(s, "test_round", &held), STORE_OK);
	assert_true(held);
	if (!on_pg()) { /* SQLite serves one process: always its own */
		store_unlock(s, "test_round");
		return;
	}
	store *other = NULL, *third = NULL;
	char err[256];
	assert_int_equal(store_open(f->target, &other, err, sizeof err), STORE_OK);
	assert_int_equal(store_lock_try(other, "test_round", &held), STORE_OK);
	assert_false(held);
	assert_int_equal(store_lock_try(other, "another_round", &held), STORE_OK);
	assert_true(held);
	store_unlock(other, "another_round");
	store_unlock(s, "test_round");
	assert_int_equal(store_lock_try(other, "test_round", &held), STORE_OK);
	assert_true(held);
	assert_int_equal(store_lock_try(s, "test_round", &held), STORE_OK);
	assert_false(held);
	/* other goes away holding it: its connection closes, the lock is free */
	store_close(other);
	assert_int_equal(store_open(f->target, &third, err, sizeof err), STORE_OK);
	for (int i = 0; i < 50 && !held; i++) {
		assert_int_equal(store_lock_try(third, "test_round", &held), STORE_OK);
		if (!held)
			usleep(20000);
	}
	assert_true(held);
	store_unlock(third, "test_round");
	store_close(third);
}

/* ---- rows ---------------------------------------------------------------------------------- */

typedef struct big_ctx { int64_t rows, sum; size_t peak, base; } big_ctx;

static size_t heap_in_use(void)
{
	struct mallinfo2 m = mallinfo2();
	return m.uordblks + m.hblkhd;
}

static store_rc big_row(const db_row *r, void *ctx)
{
	big_ctx *b = ctx;
	b->rows++;
	b->sum += db_int(r, 0);
	if (strlen(db_text_ref(r, 1)) != 100)
		return STORE_ERROR;
	if ((b->rows & 1023) == 0) {
		size_t h = heap_in_use();
		if (h > b->peak)
			b->peak = h;
	}
	return STORE_OK;
}

/* 200,000 rows of ~100 bytes (20 MB) pass through a callback while the
 * heap stays within a few megabytes: the rows stream (PostgreSQL's
 * single-row mode), none is held. */
TEST(large_results_stream)
{
	FX;
	big_ctx b = { 0 };
	b.base = b.peak = heap_in_use();
	db_arg n[] = { DB_I(200000) };
	assert_int_equal(db_query(s, "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
	                             "FROM k WHERE i < $1) SELECT i, "
	                             "'0123456789012345678901234567890123456789012345678901234567890"
	                             "123456789012345678901234567890123456789' FROM k",
	                          n, 1, big_row, &b), STORE_OK);
	assert_int_equal(b.rows, 200000);
	assert_true(b.sum == INT64_C(200000) * 200001 / 2);
#if !defined(__SANITIZE_ADDRESS__)
	if (b.peak - b.base > (size_t)8 << 20)
		fail_msg("the heap grew by %zu bytes while rows streamed", b.peak - b.base);
#endif
}

typedef struct nest_ctx { store *s; int outer, inner; } nest_ctx;

static store_rc inner_row(const db_row *r, void *ctx)
{
	((nest_ctx *)ctx)->inner += (int)db_int(r, 0);
	return STORE_OK;
}

static store_rc outer_row(const db_row *r, void *ctx)
{
	nest_ctx *n = ctx;
	n->outer++;
	db_arg k[] = { DB_I(db_int(r, 0)) };
	return db_query(n->s, "SELECT $1 * 10", k, 1, inner_row, n);
}

TEST(a_query_inside_a_row_callback)
{
	FX;
	nest_ctx n = { .s = s };
	assert_int_equal(db_query(s, "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
	                             "FROM k WHERE i < 5) SELECT i FROM k",
	                          NULL, 0, outer_row, &n), STORE_OK);
	assert_int_equal(n.outer, 5);
	assert_int_equal(n.inner, 150);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(votes_of_many_threads_all_count),
		T(one_participant_voting_at_once_counts_once),
		T(one_person_answering_at_once_is_one_response),
		T(one_form_token_used_at_once_counts_once),
		T(a_secret_made_at_once_is_one_secret),
		T(deadlocks_are_retried),
		T(serialization_failures_are_retried),
		T(notifications_go_out_when_the_transaction_commits),
		T(notifications_reach_another_node),
		T(a_lock_is_held_by_one_node_at_a_time),
		T(large_results_stream),
		T(a_query_inside_a_row_callback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
