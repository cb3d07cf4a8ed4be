/* test_input.c — unit tests of input's red threads and of the shared Dutch
 * word helper: the clustering on a fixture of 160 Dutch texts in eight
 * known topics (purity 0.8 or more, most texts placed, about as many
 * threads as topics), its characteristic terms and quotes, likely
 * duplicates, splitting a thread in two, the degenerate inputs, and the
 * search terms built from a query. Speed is measured by make bench, not
 * here.
 */
#include "unit.h"
#include "features/input/input.h"
#include "util/words.h"
#include "input_fixture.h"

static arena A;

static int setup(void **state)
{
	(void)state;
	arena_init(&A, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&A);
	return 0;
}

#define NFIX ARRAY_LEN(input_fixture)

static input_doc *fixture_docs(void)
{
	input_doc *d = arena_calloc(&A, NFIX, sizeof *d);
	for (size_t i = 0; i < NFIX; i++)
		d[i] = (input_doc){ (int64_t)i + 1, input_fixture[i].text };
	return d;
}

/* Purity: for each thread the count of its most common topic, summed, over
 * the texts placed in threads. */
static double purity(const input_clusters *c, size_t *placed)
{
	size_t sum = 0, n = 0;
	for (size_t t = 0; t < c->nthreads; t++) {
		size_t per[T_COUNT] = { 0 }, best = 0;
		for (size_t k = 0; k < c->threads[t].n; k++) {
			size_t topic = (size_t)input_fixture[c->threads[t].members[k]].topic;
			if (++per[topic] > best)
				best = per[topic];
		}
		sum += best;
		n += c->threads[t].n;
	}
	*placed = n;
	return n ? (double)sum / (double)n : 0;
}

TEST(fixture_has_enough_texts_in_known_topics)
{
	assert_true(NFIX >= 150);
	size_t per[T_COUNT] = { 0 };
	for (size_t i = 0; i < NFIX; i++)
		per[input_fixture[i].topic]++;
	for (int t = 0; t < T_COUNT; t++)
		assert_true(per[t] >= 15);
}

TEST(clusters_the_fixture_by_topic)
{
	input_clusters c;
	assert_int_equal(input_cluster(&A, fixture_docs(), NFIX, &c), 0);
	size_t placed = 0;
	double p = purity(&c, &placed);
	/* The line the issue sets, and the ones that keep it honest: a
	 * clustering that placed few texts, or made a thread per text, would
	 * pass purity alone. */
	print_message("purity %.3f, %zu of %zu texts in %zu threads\n", p, placed, NFIX, c.nthreads);
	for (size_t t = 0; t < c.nthreads; t++)
		print_message("  %zu: %s (%zu) — %s\n", t, c.threads[t].label, c.threads[t].n,
		              input_fixture[c.threads[t].quote].text);
	assert_true(p >= 0.8);
	assert_true(placed >= NFIX * 7 / 10);
	assert_true(c.nthreads >= 6 && c.nthreads <= 14);
	assert_int_equal(placed + c.unclustered, NFIX);
	/* Each topic is the main topic of some thread. */
	bool seen[T_COUNT] = { false };
	for (size_t t = 0; t < c.nthreads; t++) {
		size_t per[T_COUNT] = { 0 }, best = 0, topic = 0;
		for (size_t k = 0; k < c.threads[t].n; k++) {
			size_t x = (size_t)input_fixture[c.threads[t].members[k]].topic;
			if (++per[x] > best) {
				best = per[x];
				topic = x;
			}
		}
		seen[topic] = true;
	}
	for (int t = 0; t < T_COUNT; t++)
		if (!seen[t])
			fail_msg("no thread is about %s", input_fixture_topics[t]);
}

TEST(threads_have_terms_a_quote_and_ordered_members)
{
	input_clusters c;
	assert_int_equal(input_cluster(&A, fixture_docs(), NFIX, &c), 0);
	assert_true(c.nthreads > 0);
	for (size_t t = 0; t < c.nthreads; t++) {
		const input_cthread *th = &c.threads[t];
		assert_true(th->n >= 2);
		assert_true(strlen(th->terms) > 0);
		assert_true(strlen(th->label) > 0);
		bool member = false;
		for (size_t k = 0; k < th->n; k++) {
			member = member || th->members[k] == th->quote;
			if (k)
				assert_true(th->scores[k - 1] >= th->scores[k]);
			assert_true(th->scores[k] >= 0 && th->scores[k] <= 1000);
		}
		assert_true(member);
		if (t)
			assert_true(c.threads[t - 1].n >= th->n);
	}
	/* The thread about complaints names them. */
	bool found = false;
	for (size_t t = 0; t < c.nthreads && !found; t++)
		found = strstr(c.threads[t].terms, "klachten") != NULL;
	assert_true(found);
}

TEST(likely_duplicates)
{
	static const char *const texts[] = {
		"Maak de broncode van overheidsapps standaard openbaar.",
		"Schrijf brieven in gewone taal.",
		"Maak de broncode van overheidsapps standaard openbaar!",
		"Broncode van overheidsapps: maak die standaard openbaar",
		"Betrek jongeren bij het actieplan via scholen.",
		"Publiceer alle contracten van het Rijk.",
	};
	input_doc d[ARRAY_LEN(texts)];
	for (size_t i = 0; i < ARRAY_LEN(texts); i++)
		d[i] = (input_doc){ (int64_t)i + 1, texts[i] };
	input_clusters c;
	assert_int_equal(input_cluster(&A, d, ARRAY_LEN(texts), &c), 0);
	bool p02 = false, p03 = false, p23 = false;
	for (size_t i = 0; i < c.ndups; i++) {
		assert_true(c.dups[i].a < c.dups[i].b);
		assert_true(c.dups[i].score >= 800);
		p02 |= c.dups[i].a == 0 && c.dups[i].b == 2;
		p03 |= c.dups[i].a == 0 && c.dups[i].b == 3;
		p23 |= c.dups[i].a == 2 && c.dups[i].b == 3;
		/* nothing else is a duplicate */
		assert_true(c.dups[i].a != 1 && c.dups[i].b != 1 && c.dups[i].b != 4 && c.dups[i].b != 5);
	}
	assert_true(p02 && p03 && p23);
	assert_int_equal(c.ndups, 3);
}

TEST(fixture_duplicates_are_few)
{
	/* The fixture has no two texts that say the same: a clustering that
	 * calls everything a duplicate fails here. */
	input_clusters c;
	assert_int_equal(input_cluster(&A, fixture_docs(), NFIX, &c), 0);
	assert_true(c.ndups <= 2);
}

TEST(split_in_two)
{
	static const char *const texts[] = {
		"Maak klachten over de gemeente openbaar.",
		"Een algoritmeregister voor elke gemeente.",
		"Publiceer hoeveel klachten er binnenkomen.",
		"Leg uit welke algoritmes de gemeente gebruikt.",
		"Klachten openbaar maken helpt leren.",
		"Algoritmes moeten uitlegbaar zijn in het register.",
	};
	input_doc d[ARRAY_LEN(texts)];
	for (size_t i = 0; i < ARRAY_LEN(texts); i++)
		d[i] = (input_doc){ (int64_t)i + 1, texts[i] };
	input_clusters c;
	assert_int_equal(input_cluster_split(&A, d, ARRAY_LEN(texts), &c), 0);
	assert_int_equal(c.nthreads, 2);
	assert_int_equal(c.threads[0].n + c.threads[1].n, ARRAY_LEN(texts));
	for (size_t t = 0; t < 2; t++) {
		bool even = c.threads[t].members[0] % 2 == 0;
		for (size_t k = 0; k < c.threads[t].n; k++)
			assert_int_equal(c.threads[t].members[k] % 2 == 0, even);
	}
}

TEST(degenerate_inputs)
{
	input_clusters c;
	assert_int_equal(input_cluster(&A, NULL, 0, &c), 0);
	assert_int_equal(c.nthreads, 0);
	assert_int_equal(c.ndups, 0);
	input_doc one[] = { { 1, "Open data graag" } };
	assert_int_equal(input_cluster(&A, one, 1, &c), 0);
	assert_int_equal(c.nthreads, 0);
	assert_int_equal(c.unclustered, 1);
	/* only stop words, empty, and bytes that are not UTF-8 */
	input_doc odd[] = { { 1, "de het een" }, { 2, "" }, { 3, "\xff\xfe" }, { 4, NULL },
		            { 5, "de het een" } };
	assert_int_equal(input_cluster(&A, odd, 5, &c), 0);
	assert_int_equal(c.nthreads, 0);
	assert_int_equal(c.unclustered, 5);
	assert_int_equal(input_cluster_split(&A, odd, 1, &c), 0);
	assert_int_equal(c.nthreads, 0);
}

static int collect(void *ctx, const char *w, size_t wl, const char *s, size_t sl)
{
	sb *b = ctx;
	sb_printf(b, "%.*s/%.*s ", (int)wl, w, (int)sl, s);
	return 0;
}

TEST(words_split_fold_and_stem)
{
	words_stemmer *st = words_stemmer_new();
	assert_non_null(st);
	sb b;
	sb_init(&b);
	assert_int_equal(words_each(st, "De Workshops en het open-source WORKSHOP; één x", collect, &b), 0);
	assert_string_equal(sb_str(&b), "workshops/workshop open/open source/sourc workshop/workshop één/een ");
	assert_true(words_stop("het"));
	assert_false(words_stop("quiz"));
	assert_int_equal(words_each(st, "\xff", collect, &b), -1);
	sb_free(&b);
	words_stemmer_free(st);
}

TEST(search_terms_from_a_query)
{
	assert_string_equal(input_search_terms(&A, "Klachten publiceren", false), "\"klacht\"* \"publicer\"*");
	assert_string_equal(input_search_terms(&A, "Klachten publiceren", true), "klachten:* & publiceren:*");
	/* nothing that counts, and characters the query languages would read */
	assert_null(input_search_terms(&A, "de het", false));
	assert_null(input_search_terms(&A, "\" * : & | !", true));
	assert_string_equal(input_search_terms(&A, "open\"data*", false), "\"open\"* \"data\"*");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixture_has_enough_texts_in_known_topics),
		cmocka_unit_test(clusters_the_fixture_by_topic),
		cmocka_unit_test(threads_have_terms_a_quote_and_ordered_members),
		cmocka_unit_test(likely_duplicates),
		cmocka_unit_test(fixture_duplicates_are_few),
		cmocka_unit_test(split_in_two),
		cmocka_unit_test(degenerate_inputs),
		cmocka_unit_test(words_split_fold_and_stem),
		cmocka_unit_test(search_terms_from_a_query),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
