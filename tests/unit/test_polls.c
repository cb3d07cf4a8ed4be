/* test_polls.c — unit tests of live polls: word-cloud entries (whole
 * phrases, case, punctuation, Dutch stop words and stems, one count per
 * entry per answer), checking answers against a question, shares that add
 * up, the word cloud's layout, vote counting in the store (a changed vote
 * replaces the old one; concurrent voters all counted; a network's
 * allowance; the spelling typed most often), networks as keyed hashes, and
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

static int words(const char *text, poll_item *it, size_t max)
{
	const char *msgid = NULL;
	return poll_words(&A, text, it, max, &msgid);
}

TEST(words_keep_phrases_whole)
{
	poll_item it[8];
	/* Commas, semicolons and line breaks part entries; spaces do not. */
	assert_int_equal(words("open source, Transparantie; open data\nWoo", it, 8), 4);
	assert_string_equal(it[0].label, "open source");
	assert_string_equal(it[1].label, "Transparantie");
	assert_string_equal(it[2].label, "open data");
	assert_string_equal(it[3].label, "Woo");
	/* Spellings of one entry share its key; the label is as typed. */
	poll_item a[2], b[2], c[2], d[2];
	assert_int_equal(words("Open Source!", a, 2), 1);
	assert_int_equal(words("  open   source ", b, 2), 1);
	assert_int_equal(words("open-source", c, 2), 1);
	assert_int_equal(words("de open source", d, 2), 1);
	assert_string_equal(a[0].item, b[0].item);
	assert_string_equal(a[0].item, c[0].item);
	assert_string_equal(a[0].item, d[0].item);
	assert_string_equal(a[0].label, "Open Source");
	assert_string_equal(b[0].label, "open source");
	assert_string_equal(c[0].label, "open-source");
	/* the same entry twice in one answer counts once */
	assert_int_equal(words("quiz, Quiz, QUIZ", it, 8), 1);
}

TEST(words_dutch_stems_join_forms)
{
	poll_item a[4], b[4];
	assert_int_equal(words("bijeenkomsten", a, 4), 1);
	assert_int_equal(words("bijeenkomst", b, 4), 1);
	assert_string_equal(a[0].item, b[0].item);
	assert_int_equal(words("mooie resultaten", a, 4), 1);
	assert_int_equal(words("mooi resultaat", b, 4), 1);
	assert_string_equal(a[0].item, b[0].item);
	/* "open source" and "source open" are different entries */
	assert_int_equal(words("source open", b, 4), 1);
	assert_int_equal(words("open source", a, 4), 1);
	assert_string_not_equal(a[0].item, b[0].item);
}

TEST(words_stop_words_count_for_nothing)
{
	poll_item it[8];
	const char *msgid = NULL;
	assert_true(poll_stop_word("het"));
	assert_true(poll_stop_word("zij"));
	assert_false(poll_stop_word("quiz"));
	assert_int_equal(poll_words(&A, "de het een, en van ik je", it, 8, &msgid), 0);
	assert_string_equal(msgid, "Write one or more words (common words like 'de' and 'het' do not count).");
	assert_int_equal(words("", it, 8), 0);
	assert_int_equal(words(" ... , ;;; ", it, 8), 0);
}

TEST(words_unicode_and_limit)
{
	poll_item it[8];
	assert_int_equal(words("ÉÉN Café; café", it, 8), 2);
	assert_string_equal(it[0].label, "ÉÉN Café");
	assert_string_equal(it[1].label, "café");
	assert_int_equal(words("quiz, podcast, filmpje, design, teambuilding, spreker", it, 3), 3);
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
	const char *msg, *field;
	poll_question q = choice_q("single");
	int64_t one[] = { 12 }, two[] = { 11, 12 }, other[] = { 99 }, dup[] = { 11, 11 };
	assert_true(poll_answer_check(&A, &q, one, 1, NULL, 0, false, &pa, &st, &field, &msg));
	assert_string_equal(pa.answer, "12");
	assert_int_equal(pa.nitems, 1);
	assert_string_equal(pa.items[0].item, "o:12");
	assert_false(poll_answer_check(&A, &q, two, 2, NULL, 0, false, &pa, &st, &field, &msg));
	assert_int_equal(st, 422);
	assert_string_equal(field, "options");
	assert_false(poll_answer_check(&A, &q, other, 1, NULL, 0, false, &pa, &st, &field, &msg));
	assert_string_equal(msg, "This answer is not one of the options of this question.");
	assert_false(poll_answer_check(&A, &q, NULL, 0, NULL, 0, false, &pa, &st, &field, &msg));
	assert_string_equal(msg, "Choose an answer.");
	q = choice_q("multiple");
	assert_true(poll_answer_check(&A, &q, two, 2, NULL, 0, false, &pa, &st, &field, &msg));
	assert_int_equal(pa.nitems, 2);
	assert_false(poll_answer_check(&A, &q, dup, 2, NULL, 0, false, &pa, &st, &field, &msg));
	assert_string_equal(msg, "Choose each answer only once.");
}

TEST(answer_check_ranking_points)
{
	poll_answer pa;
	int st;
	const char *msg, *field;
	poll_question q = choice_q("ranking");
	int64_t all[] = { 13, 11, 12 }, part[] = { 13, 11 }, dup[] = { 13, 13, 12 };
	assert_true(poll_answer_check(&A, &q, all, 3, NULL, 0, false, &pa, &st, &field, &msg));
	assert_string_equal(pa.answer, "13,11,12");
	assert_int_equal(pa.items[0].points, 3);
	assert_int_equal(pa.items[2].points, 1);
	assert_false(poll_answer_check(&A, &q, part, 2, NULL, 0, false, &pa, &st, &field, &msg));
	assert_string_equal(msg, "Give every option its own place.");
	assert_false(poll_answer_check(&A, &q, dup, 3, NULL, 0, false, &pa, &st, &field, &msg));
	assert_string_equal(msg, "Give every option its own place.");
}

TEST(answer_check_scale_open_words)
{
	poll_answer pa;
	int st;
	const char *msg, *field;
	poll_question q = { .id = 2, .kind = "scale", .prompt = "?", .scale_min = 1, .scale_max = 5 };
	assert_true(poll_answer_check(&A, &q, NULL, 0, NULL, 4, true, &pa, &st, &field, &msg));
	assert_string_equal(pa.items[0].item, "s:4");
	assert_false(poll_answer_check(&A, &q, NULL, 0, NULL, 6, true, &pa, &st, &field, &msg));
	assert_string_equal(field, "value");
	assert_false(poll_answer_check(&A, &q, NULL, 0, NULL, 0, false, &pa, &st, &field, &msg));
	assert_string_equal(msg, "Choose a value on the scale.");
	q.kind = "open";
	assert_true(poll_answer_check(&A, &q, NULL, 0, "  Workshops organiseren  ", 0, false, &pa, &st,
	                              &field, &msg));
	assert_string_equal(pa.answer, "Workshops organiseren");
	assert_int_equal(pa.nitems, 0);
	char long_text[600];
	memset(long_text, 'x', 501);
	long_text[501] = '\0';
	assert_false(poll_answer_check(&A, &q, NULL, 0, long_text, 0, false, &pa, &st, &field, &msg));
	assert_string_equal(msg, "Your answer is too long: at most 500 characters.");
	assert_string_equal(field, "text");
	assert_false(poll_answer_check(&A, &q, NULL, 0, "   ", 0, false, &pa, &st, &field, &msg));
	q.kind = "words";
	assert_true(poll_answer_check(&A, &q, NULL, 0, "quiz, open source", 0, false, &pa, &st, &field,
	                              &msg));
	assert_int_equal(pa.nitems, 2);
	assert_false(poll_answer_check(&A, &q, NULL, 0, "de het", 0, false, &pa, &st, &field, &msg));
	assert_int_equal(st, 422);
}

TEST(shares_add_up)
{
	int pct[4];
	int64_t thirds[] = { 1, 1, 1 };
	poll_shares(thirds, 3, 3, pct);
	assert_int_equal(pct[0] + pct[1] + pct[2], 100);
	assert_int_equal(pct[0], 34); /* the earlier of equal remainders */
	int64_t uneven[] = { 12, 6, 3, 2 };
	poll_shares(uneven, 4, 23, pct);
	/* 52.17, 26.09, 13.04, 8.70: floors 52 26 13 8 make 99; 8.70 has the
	 * largest remainder */
	assert_int_equal(pct[0], 52);
	assert_int_equal(pct[1], 26);
	assert_int_equal(pct[2], 13);
	assert_int_equal(pct[3], 9);
	/* several answers each: every share on its own */
	int64_t several[] = { 15, 8, 15 };
	poll_shares(several, 3, 23, pct);
	assert_int_equal(pct[0], 65);
	assert_int_equal(pct[1], 35);
	assert_int_equal(pct[2], 65);
	int64_t none[] = { 0, 0 };
	poll_shares(none, 2, 0, pct);
	assert_int_equal(pct[0] + pct[1], 0);
}

TEST(cloud_places_words_apart_biggest_first)
{
	poll_tally t[30];
	const char *w[] = { "open source", "transparantie", "open data", "meedoen", "vertrouwen",
		            "inspraak", "participatie", "Woo", "eerlijk", "samenwerken" };
	for (int i = 0; i < 30; i++)
		t[i] = (poll_tally){ "w:x", w[i % 10], 30 - i, 0 };
	poll_cloud_word cw[POLL_CLOUD_WORDS];
	size_t n = poll_cloud(t, 30, cw, POLL_CLOUD_WORDS);
	assert_true(n >= 20);
	/* the most named word in the middle, in the biggest type */
	assert_string_equal(cw[0].word, "open source");
	assert_true(cw[0].x > POLL_CLOUD_W / 2 - 60 && cw[0].x < POLL_CLOUD_W / 2 + 60);
	for (size_t i = 1; i < n; i++)
		assert_true(cw[i].size <= cw[0].size);
	/* inside the box, and no two boxes overlap (the layout's own estimate) */
	for (size_t i = 0; i < n; i++) {
		double wi = (double)strlen(cw[i].word) * cw[i].size * 0.68 / 2, hi = cw[i].size * 0.6;
		assert_true(cw[i].x - wi >= 0 && cw[i].x + wi <= POLL_CLOUD_W);
		assert_true(cw[i].y - hi >= 0 && cw[i].y + hi <= POLL_CLOUD_H);
		for (size_t j = 0; j < i; j++) {
			double wj = (double)strlen(cw[j].word) * cw[j].size * 0.68 / 2, hj = cw[j].size * 0.6;
			bool apart = cw[i].x + wi <= cw[j].x - wj || cw[j].x + wj <= cw[i].x - wi ||
			             cw[i].y + hi <= cw[j].y - hj || cw[j].y + hj <= cw[i].y - hi;
			assert_true(apart);
		}
	}
	assert_int_equal(poll_cloud(t, 0, cw, POLL_CLOUD_WORDS), 0);
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

static store_rc cast(int64_t qid, const char *who, const poll_item *it, size_t n, const char *net,
                     int64_t cap, bool *replaced, bool *capped)
{
	poll_vote_in v = { qid, who, "x", it, n, net, cap };
	return poll_store_vote(S, &v, replaced, capped);
}

TEST(vote_counts_and_replaces)
{
	int64_t qid;
	int64_t pid = make_poll("111111", "single", &qid);
	poll p;
	assert_int_equal(poll_store_get(S, &A, pid, POLL_COUNTS_NONE, &p), STORE_OK);
	int64_t o1 = q_of(&p)->options[0].id, o2 = q_of(&p)->options[1].id;
	poll_item a = { arena_printf(&A, "o:%lld", (long long)o1), "Workshops", 0 };
	poll_item b = { arena_printf(&A, "o:%lld", (long long)o2), "Nieuwsbrief", 0 };
	bool replaced = true;
	assert_int_equal(cast(qid, "p1", &a, 1, NULL, 0, &replaced, NULL), STORE_OK);
	assert_false(replaced);
	assert_int_equal(cast(qid, "p2", &a, 1, NULL, 0, &replaced, NULL), STORE_OK);
	/* p1 changes their mind: the old vote is taken back. */
	assert_int_equal(cast(qid, "p1", &b, 1, NULL, 0, &replaced, NULL), STORE_OK);
	assert_true(replaced);
	assert_int_equal(poll_store_get(S, &A, pid, POLL_COUNTS_ALL, &p), STORE_OK);
	assert_int_equal(q_of(&p)->voters, 2);
	assert_int_equal(q_of(&p)->options[0].n, 1);
	assert_int_equal(q_of(&p)->options[1].n, 1);
	assert_int_equal(q_of(&p)->options[2].n, 0);
	/* counts of one question only */
	assert_int_equal(poll_store_get(S, &A, pid, qid, &p), STORE_OK);
	assert_true(q_of(&p)->counted);
	assert_int_equal(q_of(&p)->options[0].n, 1);
	/* reset: a test run leaves nothing */
	assert_int_equal(poll_store_reset(S, pid), STORE_OK);
	assert_int_equal(poll_store_get(S, &A, pid, POLL_COUNTS_ALL, &p), STORE_OK);
	assert_int_equal(q_of(&p)->voters, 0);
	assert_int_equal(q_of(&p)->options[0].n, 0);
}

TEST(a_network_counts_for_its_allowance)
{
	int64_t qid;
	make_poll("121212", "open", &qid);
	bool replaced, capped;
	for (int i = 0; i < 3; i++) {
		char who[16];
		snprintf(who, sizeof who, "n%d", i);
		assert_int_equal(cast(qid, who, NULL, 0, "net-a", 3, &replaced, &capped), STORE_OK);
		assert_false(capped);
	}
	/* the fourth participant of that network: refused, nothing recorded */
	assert_int_equal(cast(qid, "n3", NULL, 0, "net-a", 3, &replaced, &capped), STORE_CONFLICT);
	assert_true(capped);
	/* an earlier participant may still change their answer */
	assert_int_equal(cast(qid, "n0", NULL, 0, "net-a", 3, &replaced, &capped), STORE_OK);
	assert_true(replaced);
	assert_false(capped);
	/* another network has its own allowance; a bigger one lets more in */
	assert_int_equal(cast(qid, "m0", NULL, 0, "net-b", 3, &replaced, &capped), STORE_OK);
	assert_int_equal(cast(qid, "n3", NULL, 0, "net-a", 10, &replaced, &capped), STORE_OK);
	poll p;
	int64_t id = 0;
	assert_int_equal(poll_store_by_code(S, &A, "121212", POLL_COUNTS_ALL, &p), STORE_OK);
	assert_int_equal(q_of(&p)->voters, 5);
	(void)id;
}

TEST(word_clouds_show_the_spelling_typed_most)
{
	int64_t qid;
	int64_t pid = make_poll("222222", "words", &qid);
	const char *answers[] = { "open source, quiz", "Open Source", "Open Source", "open-source",
		                  "Quiz!", "teambuilding" };
	for (int i = 0; i < 6; i++) {
		poll_item it[5];
		int n = words(answers[i], it, 5);
		assert_true(n > 0);
		assert_int_equal(cast(qid, arena_printf(&A, "w%d", i), it, (size_t)n, NULL, 0, NULL, NULL),
		                 STORE_OK);
	}
	poll p;
	assert_int_equal(poll_store_get(S, &A, pid, POLL_COUNTS_ALL, &p), STORE_OK);
	poll_question *q = q_of(&p);
	assert_int_equal(q->ntallies, 3);
	assert_int_equal(q->tallies[0].n, 4);
	assert_string_equal(q->tallies[0].label, "Open Source"); /* twice, against once and once */
	assert_int_equal(q->tallies[1].n, 2);
	assert_string_equal(q->tallies[1].label, "quiz"); /* once each: the first */
	assert_string_equal(q->tallies[2].label, "teambuilding");
	/* A changed answer takes its spelling back. */
	poll_item it[5];
	int n = words("open-source", it, 5);
	assert_int_equal(cast(qid, "w1", it, (size_t)n, NULL, 0, NULL, NULL), STORE_OK);
	n = words("open-source", it, 5);
	assert_int_equal(cast(qid, "w2", it, (size_t)n, NULL, 0, NULL, NULL), STORE_OK);
	assert_int_equal(poll_store_get(S, &A, pid, POLL_COUNTS_ALL, &p), STORE_OK);
	assert_string_equal(q_of(&p)->tallies[0].label, "open-source");
	assert_int_equal(q_of(&p)->tallies[0].n, 4);
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
		poll_vote_in v = { conc_qid, who, "x", &it, 1, "one-net", THREADS * VOTES };
		if (poll_store_vote(S, &v, NULL, NULL) != STORE_OK)
			fail_msg("vote failed");
	}
	arena_free(&a);
	return NULL;
}

TEST(concurrent_voters_all_counted)
{
	int64_t pid = make_poll("333333", "single", &conc_qid);
	poll p;
	assert_int_equal(poll_store_get(S, &A, pid, POLL_COUNTS_NONE, &p), STORE_OK);
	for (int i = 0; i < 3; i++)
		conc_items[i] = q_of(&p)->options[i].id;
	pthread_t th[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, voter, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(poll_store_get(S, &A, pid, POLL_COUNTS_ALL, &p), STORE_OK);
	int64_t sum = 0;
	for (size_t i = 0; i < 3; i++)
		sum += q_of(&p)->options[i].n;
	assert_int_equal(sum, THREADS * VOTES);
	assert_int_equal(q_of(&p)->voters, THREADS * VOTES);
}

TEST(a_draft_with_answers_cannot_be_deleted)
{
	int64_t qid;
	int64_t pid = make_poll("444444", "open", &qid);
	assert_int_equal(cast(qid, "d1", NULL, 0, NULL, 0, NULL, NULL), STORE_OK);
	assert_int_equal(poll_store_delete(S, pid), STORE_CONFLICT);
	int64_t other = make_poll("444445", "open", &qid);
	assert_int_equal(poll_store_delete(S, other), STORE_OK);
	assert_int_equal(poll_store_delete(S, other), STORE_NOTFOUND);
}

TEST(participant_cookie_signed_and_networks_hashed)
{
	app ap;
	memset(&ap, 0, sizeof ap);
	ap.db = S;
	const char *c = poll_cookie_new(&ap, &A);
	assert_non_null(c);
	const char *id = poll_cookie_check(&ap, &A, c);
	assert_non_null(id);
	assert_int_equal(strlen(id), 32);
	char *forged = arena_strdup(&A, c);
	forged[0] = forged[0] == 'a' ? 'b' : 'a';
	assert_null(poll_cookie_check(&ap, &A, forged));
	forged = arena_strdup(&A, c);
	forged[40] = forged[40] == '0' ? '1' : '0';
	assert_null(poll_cookie_check(&ap, &A, forged));
	assert_null(poll_cookie_check(&ap, &A, "nonsense"));
	assert_null(poll_cookie_check(&ap, &A, NULL));
	/* A network: an IPv4 address, or the /64 of an IPv6 one; never the
	 * address itself in what is kept. */
	const char *a = poll_net(&ap, &A, "192.0.2.10");
	assert_int_equal(strlen(a), 16);
	assert_null(strstr(a, "192"));
	assert_string_not_equal(a, poll_net(&ap, &A, "192.0.2.11"));
	assert_string_equal(a, poll_net(&ap, &A, "::ffff:192.0.2.10"));
	assert_string_equal(poll_net(&ap, &A, "2001:db8:1:2::1"), poll_net(&ap, &A, "2001:db8:1:2:ffff::9"));
	assert_string_not_equal(poll_net(&ap, &A, "2001:db8:1:2::1"), poll_net(&ap, &A, "2001:db8:1:3::1"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(words_keep_phrases_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(words_dutch_stems_join_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(words_stop_words_count_for_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(words_unicode_and_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_check_choices, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_check_ranking_points, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_check_scale_open_words, setup, teardown),
		cmocka_unit_test_setup_teardown(shares_add_up, setup, teardown),
		cmocka_unit_test_setup_teardown(cloud_places_words_apart_biggest_first, setup, teardown),
		cmocka_unit_test_setup_teardown(vote_counts_and_replaces, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(a_network_counts_for_its_allowance, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(word_clouds_show_the_spelling_typed_most, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(concurrent_voters_all_counted, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(a_draft_with_answers_cannot_be_deleted, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(participant_cookie_signed_and_networks_hashed, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
