/* test_polls.c — unit tests of live polls: word-cloud normalisation (case,
 * punctuation, Dutch stop words, Dutch stems, one count per word per
 * answer), checking answers against a question, vote counting in the store
 * (a changed vote replaces the old one; concurrent voters all counted), and
 * the signed participant cookie.
 */
#include <pthread.h>
#include <sodium.h>
#include <unistd.h>

#include "unit.h"
#include "features/poll/poll.h"
#include "store_target.h"

static arena A;

static int setup(void **state)
{
	(void)state;
	arena_init(&A, 1u << 24);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&A);
	return 0;
}

static const char *item_of(poll_item *it, size_t n, const char *label)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(it[i].label, label))
			return it[i].item;
	return NULL;
}

TEST(words_normalise_case_and_punctuation)
{
	poll_item it[8];
	size_t n = poll_words(&A, "Workshops, WORKSHOP! en de Nieuwsbrief.", it, 8);
	/* "en" and "de" are stop words; both spellings of workshop count once. */
	assert_int_equal(n, 2);
	assert_string_equal(it[0].label, "workshops");
	assert_string_equal(it[1].label, "nieuwsbrief");
	assert_string_equal(it[0].item, "w:workshop");
}

TEST(words_dutch_stems_join_forms)
{
	poll_item a[4], b[4];
	assert_int_equal(poll_words(&A, "bijeenkomsten", a, 4), 1);
	assert_int_equal(poll_words(&A, "bijeenkomst", b, 4), 1);
	assert_string_equal(a[0].item, b[0].item);
	assert_int_equal(poll_words(&A, "resultaten", a, 4), 1);
	assert_int_equal(poll_words(&A, "resultaat", b, 4), 1);
	assert_string_equal(a[0].item, b[0].item);
}

TEST(words_stop_words_and_short_words_left_out)
{
	poll_item it[8];
	assert_true(poll_stop_word("het"));
	assert_true(poll_stop_word("zij"));
	assert_false(poll_stop_word("quiz"));
	assert_int_equal(poll_words(&A, "de het een en van ik je", it, 8), 0);
	assert_int_equal(poll_words(&A, "a b c", it, 8), 0);
	assert_int_equal(poll_words(&A, "", it, 8), 0);
	assert_int_equal(poll_words(&A, "   ...   ", it, 8), 0);
}

TEST(words_unicode_and_limit)
{
	poll_item it[8];
	size_t n = poll_words(&A, "ÉÉN Café; café", it, 8);
	assert_non_null(item_of(it, n, "één"));
	assert_non_null(item_of(it, n, "café"));
	assert_int_equal(n, 2);
	n = poll_words(&A, "quiz podcast filmpje design sessie teambuilding spreker", it, 3);
	assert_int_equal(n, 3);
}

static poll_question choice_q(const char *kind)
{
	static poll_option opts[3] = { { 11, "A", 0, 0 }, { 12, "B", 0, 0 }, { 13, "C", 0, 0 } };
	poll_question q = { .id = 1, .kind = kind, .prompt = "?", .scale_min = 1, .scale_max = 5,
		            .options = opts, .noptions = 3 };
	return q;
}

TEST(answer_check_choices)
{
	poll_answer pa;
	int st;
	const char *msg;
	poll_question q = choice_q("single");
	int64_t one[] = { 12 }, two[] = { 11, 12 }, other[] = { 99 }, dup[] = { 11, 11 };
	assert_true(poll_answer_check(&A, &q, one, 1, NULL, 0, false, &pa, &st, &msg));
	assert_string_equal(pa.answer, "12");
	assert_int_equal(pa.nitems, 1);
	assert_string_equal(pa.items[0].item, "o:12");
	assert_false(poll_answer_check(&A, &q, two, 2, NULL, 0, false, &pa, &st, &msg));
	assert_int_equal(st, 422);
	assert_false(poll_answer_check(&A, &q, other, 1, NULL, 0, false, &pa, &st, &msg));
	assert_string_equal(msg, "This answer is not one of the options of this question.");
	assert_false(poll_answer_check(&A, &q, NULL, 0, NULL, 0, false, &pa, &st, &msg));
	assert_string_equal(msg, "Choose an answer.");
	q = choice_q("multiple");
	assert_true(poll_answer_check(&A, &q, two, 2, NULL, 0, false, &pa, &st, &msg));
	assert_int_equal(pa.nitems, 2);
	assert_false(poll_answer_check(&A, &q, dup, 2, NULL, 0, false, &pa, &st, &msg));
	assert_string_equal(msg, "Choose each answer only once.");
}

TEST(answer_check_ranking_points)
{
	poll_answer pa;
	int st;
	const char *msg;
	poll_question q = choice_q("ranking");
	int64_t all[] = { 13, 11, 12 }, part[] = { 13, 11 }, dup[] = { 13, 13, 12 };
	assert_true(poll_answer_check(&A, &q, all, 3, NULL, 0, false, &pa, &st, &msg));
	assert_string_equal(pa.answer, "13,11,12");
	assert_int_equal(pa.items[0].points, 3);
	assert_int_equal(pa.items[2].points, 1);
	assert_false(poll_answer_check(&A, &q, part, 2, NULL, 0, false, &pa, &st, &msg));
	assert_string_equal(msg, "Put every option in a different place.");
	assert_false(poll_answer_check(&A, &q, dup, 3, NULL, 0, false, &pa, &st, &msg));
	assert_string_equal(msg, "Put every option in a different place.");
}

TEST(answer_check_scale_open_words)
{
	poll_answer pa;
	int st;
	const char *msg;
	poll_question q = { .id = 2, .kind = "scale", .prompt = "?", .scale_min = 1, .scale_max = 5 };
	assert_true(poll_answer_check(&A, &q, NULL, 0, NULL, 4, true, &pa, &st, &msg));
	assert_string_equal(pa.items[0].item, "s:4");
	assert_false(poll_answer_check(&A, &q, NULL, 0, NULL, 6, true, &pa, &st, &msg));
	assert_false(poll_answer_check(&A, &q, NULL, 0, NULL, 0, false, &pa, &st, &msg));
	assert_string_equal(msg, "Choose a value on the scale.");
	q.kind = "open";
	assert_true(poll_answer_check(&A, &q, NULL, 0, "  Workshops organiseren  ", 0, false, &pa, &st, &msg));
	assert_string_equal(pa.answer, "Workshops organiseren");
	assert_int_equal(pa.nitems, 0);
	char long_text[600];
	memset(long_text, 'x', 501);
	long_text[501] = '\0';
	assert_false(poll_answer_check(&A, &q, NULL, 0, long_text, 0, false, &pa, &st, &msg));
	assert_string_equal(msg, "Your answer is too long: at most 500 characters.");
	assert_false(poll_answer_check(&A, &q, NULL, 0, "   ", 0, false, &pa, &st, &msg));
	q.kind = "words";
	assert_true(poll_answer_check(&A, &q, NULL, 0, "quiz, podcast", 0, false, &pa, &st, &msg));
	assert_int_equal(pa.nitems, 2);
	assert_false(poll_answer_check(&A, &q, NULL, 0, "de het", 0, false, &pa, &st, &msg));
	assert_int_equal(st, 422);
}

/* ---- the store ---- */

static store *S;
static char dbpath[64];

static int store_setup(void **state)
{
	setup(state);
	snprintf(dbpath, sizeof dbpath, "/tmp/openplan-test-polls-%d.db", (int)getpid());
	unlink(dbpath);
	char err[256], target[512];
	store_target(dbpath, target, sizeof target);
	return store_target_open(target, &S, err, sizeof err) == STORE_OK ? 0 : -1;
}

static int store_teardown(void **state)
{
	store_close(S);
	char p[80];
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
	return teardown(state);
}

static int64_t make_poll(const char *code, const char *kind, int64_t *qid)
{
	int64_t id = 0;
	assert_int_equal(poll_store_create(S, 0, "Test", code, "self", 0, &id), STORE_OK);
	const char *opts[] = { "Workshops", "Nieuwsbrief", "Quiz" };
	bool choice = !strcmp(kind, "single") || !strcmp(kind, "multiple");
	assert_int_equal(poll_store_question_add(S, id, kind, "Vraag", 1, 5, choice ? opts : NULL,
	                                         choice ? 3 : 0, qid), STORE_OK);
	return id;
}

static poll_question *q_of(poll *p) { return &p->questions[0]; }

TEST(vote_counts_and_replaces)
{
	int64_t qid;
	int64_t pid = make_poll("111111", "single", &qid);
	poll p;
	assert_int_equal(poll_store_get(S, &A, pid, false, &p), STORE_OK);
	int64_t o1 = q_of(&p)->options[0].id, o2 = q_of(&p)->options[1].id;
	poll_item a = { arena_printf(&A, "o:%lld", (long long)o1), "Workshops", 0 };
	poll_item b = { arena_printf(&A, "o:%lld", (long long)o2), "Nieuwsbrief", 0 };
	bool replaced = true;
	assert_int_equal(poll_store_vote(S, qid, "p1", "x", &a, 1, &replaced), STORE_OK);
	assert_false(replaced);
	assert_int_equal(poll_store_vote(S, qid, "p2", "x", &a, 1, &replaced), STORE_OK);
	/* p1 changes their mind: the old vote is taken back. */
	assert_int_equal(poll_store_vote(S, qid, "p1", "y", &b, 1, &replaced), STORE_OK);
	assert_true(replaced);
	assert_int_equal(poll_store_get(S, &A, pid, true, &p), STORE_OK);
	assert_int_equal(q_of(&p)->voters, 2);
	assert_int_equal(q_of(&p)->options[0].n, 1);
	assert_int_equal(q_of(&p)->options[1].n, 1);
	assert_int_equal(q_of(&p)->options[2].n, 0);
	/* reset: a test run leaves nothing */
	assert_int_equal(poll_store_reset(S, pid), STORE_OK);
	assert_int_equal(poll_store_get(S, &A, pid, true, &p), STORE_OK);
	assert_int_equal(q_of(&p)->voters, 0);
	assert_int_equal(q_of(&p)->options[0].n, 0);
}

TEST(vote_words_counted_by_stem)
{
	int64_t qid;
	int64_t pid = make_poll("222222", "words", &qid);
	const char *answers[] = { "Workshops en quiz", "workshop", "Quiz!", "teambuilding" };
	for (int i = 0; i < 4; i++) {
		poll_item it[5];
		size_t n = poll_words(&A, answers[i], it, 5);
		assert_int_equal(poll_store_vote(S, qid, arena_printf(&A, "w%d", i), answers[i], it, n,
		                                 NULL), STORE_OK);
	}
	poll p;
	assert_int_equal(poll_store_get(S, &A, pid, true, &p), STORE_OK);
	poll_question *q = q_of(&p);
	assert_int_equal(q->ntallies, 3);
	/* Most counted first; the label is the first spelling seen. */
	assert_int_equal(q->tallies[0].n, 2);
	assert_int_equal(q->tallies[1].n, 2);
	assert_int_equal(q->tallies[2].n, 1);
	assert_string_equal(q->tallies[2].label, "teambuilding");
}

enum { THREADS = 8, VOTES = 50 };
static int64_t conc_qid;
static int64_t conc_items[3];

static void *voter(void *arg)
{
	long t = (long)arg;
	arena a;
	arena_init(&a, 1u << 20);
	for (int i = 0; i < VOTES; i++) {
		int64_t oid = conc_items[(t + i) % 3];
		poll_item it = { arena_printf(&a, "o:%lld", (long long)oid), "x", 0 };
		const char *who = arena_printf(&a, "t%ld-%d", t, i);
		if (poll_store_vote(S, conc_qid, who, "x", &it, 1, NULL) != STORE_OK)
			fail_msg("vote failed");
	}
	arena_free(&a);
	return NULL;
}

TEST(concurrent_voters_all_counted)
{
	int64_t pid = make_poll("333333", "single", &conc_qid);
	poll p;
	assert_int_equal(poll_store_get(S, &A, pid, false, &p), STORE_OK);
	for (int i = 0; i < 3; i++)
		conc_items[i] = q_of(&p)->options[i].id;
	pthread_t th[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, voter, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(poll_store_get(S, &A, pid, true, &p), STORE_OK);
	int64_t sum = 0;
	for (size_t i = 0; i < 3; i++)
		sum += q_of(&p)->options[i].n;
	assert_int_equal(sum, THREADS * VOTES);
	assert_int_equal(q_of(&p)->voters, THREADS * VOTES);
}

TEST(participant_cookie_signed)
{
	app ap;
	memset(&ap, 0, sizeof ap);
	ap.db = S;
	const char *c = poll_cookie_new(&ap, &A);
	assert_non_null(c);
	const char *id = poll_cookie_check(&ap, &A, c);
	assert_non_null(id);
	assert_int_equal(strlen(id), 32);
	/* Another id with the same signature, a changed signature, junk: refused. */
	char *forged = arena_strdup(&A, c);
	forged[0] = forged[0] == 'a' ? 'b' : 'a';
	assert_null(poll_cookie_check(&ap, &A, forged));
	forged = arena_strdup(&A, c);
	forged[40] = forged[40] == '0' ? '1' : '0';
	assert_null(poll_cookie_check(&ap, &A, forged));
	assert_null(poll_cookie_check(&ap, &A, "nonsense"));
	assert_null(poll_cookie_check(&ap, &A, NULL));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(words_normalise_case_and_punctuation, setup, teardown),
		cmocka_unit_test_setup_teardown(words_dutch_stems_join_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(words_stop_words_and_short_words_left_out, setup, teardown),
		cmocka_unit_test_setup_teardown(words_unicode_and_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_check_choices, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_check_ranking_points, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_check_scale_open_words, setup, teardown),
		cmocka_unit_test_setup_teardown(vote_counts_and_replaces, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(vote_words_counted_by_stem, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(concurrent_voters_all_counted, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(participant_cookie_signed, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
