/* test_input.c — unit tests of input's red threads and of the shared Dutch
 * word helper: the clustering on a fixture of 160 Dutch texts in eight
 * known topics (purity 0.8 or more, most texts placed, about as many
 * threads as topics), its characteristic terms and quotes, likely
 * duplicates, splitting a thread in two, the degenerate inputs, and the
 * search terms built from a query; and the store's rules on two plans
 * (links, duplicates, groups and merges stay within a plan; a response
 * needs a status; versions; copied statuses; who is told and who follows
 * what; hidden and removed input; search; keyset paging). Speed is
 * measured by make bench, not here.
 */
#include <unistd.h>

#include "unit.h"
#include "features/act/act.h"
#include "features/input/input.h"
#include "util/words.h"
#include "input_fixture.h"
#include "store_target.h"

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


/* ---- the store's rules, on two plans ---- */

static store *S;
static char dbpath[64];
static int64_t plan_a, plan_b, theme_a, theme_b, act_a, act_b, organiser, pia, piet;

static int64_t new_action(int64_t plan_id, int64_t theme_id, const char *title)
{
	act_point p = { .plan_id = plan_id, .theme_id = theme_id, .title = title, .problem = "",
		        .status_quo = "", .what = "", .how_helps = "", .ambition = "",
		        .ogp_values = "", .minimal = "", .maximal = "", .needs = "", .starts_on = "",
		        .ends_on = "", .status = "idea", .stop_reason = "", .published_at = 1 };
	int64_t id = 0;
	assert_int_equal(act_store_create(S, &p, 0, &id), STORE_OK);
	return id;
}

static int store_setup(void **state)
{
	(void)state;
	snprintf(dbpath, sizeof dbpath, "/tmp/openplan-test-input-%d.db", (int)getpid());
	unlink(dbpath);
	char err[256], target[512];
	store_target(dbpath, target, sizeof target);
	if (store_target_open(target, &S, err, sizeof err) != STORE_OK)
		return -1;
	plan a = { .title = "Plan A", .description = "", .period_start = "2020-01-01",
		   .period_end = "2022-12-31", .status = "cocreation" };
	plan b = a;
	b.title = "Plan B";
	if (store_plan_create(S, &a, &plan_a) || store_plan_create(S, &b, &plan_b) ||
	    store_theme_add(S, plan_a, "Open Inkoop", "", &theme_a) ||
	    store_theme_add(S, plan_b, "Open Wijk", "", &theme_b) ||
	    store_user_create(S, "o@test.example", "Olga", "x", ROLE_ORGANISER, &organiser) ||
	    store_user_create(S, "pia@test.example", "Pia", "x", ROLE_PARTICIPANT, &pia) ||
	    store_user_create(S, "piet@test.example", "Piet", "x", ROLE_PARTICIPANT, &piet))
		return -1;
	act_a = new_action(plan_a, theme_a, "Contractregister");
	act_b = new_action(plan_b, theme_b, "Wijkbudget");
	return 0;
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
	(void)state;
	return 0;
}

static int64_t idea(int64_t plan_id, int64_t author, const char *text)
{
	int64_t id = 0;
	assert_int_equal(input_store_idea_add(S, plan_id, 0, author, text, &id), STORE_OK);
	return id;
}

static input_item get(int64_t id)
{
	input_item it;
	assert_int_equal(input_store_get(S, &A, id, &it), STORE_OK);
	return it;
}

static size_t unread_of(int64_t who)
{
	store_notification *ns;
	size_t n = 0, u = 0;
	assert_int_equal(store_notifications(S, &A, who, 0, 100, &ns, &n), STORE_OK);
	for (size_t i = 0; i < n; i++)
		u += !ns[i].read;
	return u;
}

TEST(links_stay_within_a_plan_and_their_people_follow)
{
	int64_t x = idea(plan_a, pia, "Publiceer alle contracten van de gemeente.");
	input_refusal why;
	assert_int_equal(input_store_link(S, x, 0, act_b, true, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_OTHER_PLAN);
	assert_int_equal(input_store_link(S, x, 0, 999999, true, &why), STORE_NOTFOUND);
	assert_int_equal(why, INPUT_GONE);
	bool on = true;
	assert_int_equal(store_follows(S, pia, "action", act_a, &on), STORE_OK);
	assert_false(on);
	size_t before = unread_of(pia);
	assert_int_equal(input_store_link(S, x, 0, act_a, true, &why), STORE_OK);
	assert_int_equal(store_follows(S, pia, "action", act_a, &on), STORE_OK);
	assert_true(on); /* the action plan's own events reach her now */
	assert_int_equal(unread_of(pia), before + 1);
	/* the action point changes status: she hears of it */
	assert_int_equal(act_store_set_status(S, act_a, "seeking", "", organiser, "idea>seeking"),
	                 STORE_OK);
	assert_int_equal(unread_of(pia), before + 2);
	input_link *ls;
	size_t nl;
	assert_int_equal(input_store_item_links(S, &A, x, &ls, &nl), STORE_OK);
	assert_int_equal(nl, 1);
	assert_string_equal(ls[0].status, "seeking");
	assert_int_equal(ls[0].percent, -1);
	/* linking twice changes nothing and tells nobody again */
	assert_int_equal(input_store_link(S, x, 0, act_a, true, &why), STORE_OK);
	assert_int_equal(unread_of(pia), before + 2);
	assert_int_equal(input_store_link(S, x, 0, act_a, false, &why), STORE_OK);
	assert_int_equal(input_store_link(S, x, 0, act_a, false, &why), STORE_NOTFOUND);
}

TEST(a_response_needs_a_status_and_keeps_its_versions)
{
	int64_t x = idea(plan_a, pia, "Meer inspraak in de wijk.");
	input_refusal why;
	assert_int_equal(input_store_respond(S, x, 0, "new", "Nog niet.", organiser, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_NO_STATUS);
	assert_int_equal(input_store_respond(S, x, 0, NULL, "Nog niet.", organiser, &why), STORE_INVALID);
	assert_int_equal(input_store_respond(S, x, 0, "bogus", "Nog niet.", organiser, &why), STORE_INVALID);
	size_t before = unread_of(pia);
	assert_int_equal(input_store_respond(S, x, 0, "considering", "We kijken ernaar.", organiser, &why), STORE_OK);
	assert_int_equal(input_store_respond(S, x, 0, "taken_up", "Het komt in het plan.", organiser, &why), STORE_OK);
	input_item it = get(x);
	assert_string_equal(it.status, "taken_up");
	assert_int_equal(it.answer_version, 2);
	assert_string_equal(it.answer_body, "Het komt in het plan.");
	input_response *rs;
	size_t n;
	assert_int_equal(input_store_responses(S, &A, x, 0, &rs, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rs[0].version, 2);
	assert_string_equal(rs[1].status, "considering");
	assert_string_equal(rs[1].author_name, "Olga");
	assert_int_equal(unread_of(pia), before + 2);
	/* an organiser answering their own input is not told */
	int64_t own = idea(plan_a, organiser, "Mijn eigen idee.");
	size_t mine = unread_of(organiser);
	assert_int_equal(input_store_respond(S, own, 0, "partly", "Deels.", organiser, &why), STORE_OK);
	assert_int_equal(unread_of(organiser), mine);
}

TEST(duplicates_stay_within_a_plan_and_follow_their_original)
{
	int64_t a = idea(plan_a, pia, "Open data over inkoop.");
	int64_t b = idea(plan_a, piet, "Inkoopdata als open data.");
	int64_t c = idea(plan_a, piet, "Open inkoopdata graag.");
	int64_t other = idea(plan_b, piet, "Een idee in een ander plan.");
	input_refusal why;
	assert_int_equal(input_store_duplicate(S, a, a, organiser, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_SELF);
	assert_int_equal(input_store_duplicate(S, a, other, organiser, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_OTHER_PLAN);
	assert_int_equal(input_store_respond(S, a, 0, "partly", "Deels.", organiser, &why), STORE_OK);
	assert_int_equal(input_store_duplicate(S, b, a, organiser, &why), STORE_OK);
	/* a duplicate of a duplicate points at the original */
	assert_int_equal(input_store_duplicate(S, c, b, organiser, &why), STORE_OK);
	assert_int_equal(get(c).duplicate_of, a);
	assert_string_equal(get(c).status, "partly");
	assert_int_equal(get(c).answer_version, 1);
	/* the original cannot become a duplicate of its duplicate */
	assert_int_equal(input_store_duplicate(S, a, c, organiser, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_SELF);
	/* the original's new status reaches its duplicates */
	assert_int_equal(input_store_triage(S, a, theme_a, "taken_up", organiser), STORE_OK);
	assert_string_equal(get(b).status, "taken_up");
	/* a duplicate is answered through its original */
	assert_int_equal(input_store_respond(S, b, 0, "taken_up", "Los.", organiser, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_IN_GROUP);
	assert_int_equal(input_store_duplicate(S, b, 0, organiser, &why), STORE_OK);
	assert_int_equal(get(b).duplicate_of, 0);
}

TEST(groups_answer_their_members_and_do_not_contain_themselves)
{
	int64_t a = idea(plan_a, pia, "Sessies in de avond.");
	int64_t b = idea(plan_a, piet, "Sessies op zaterdag.");
	int64_t d = idea(plan_a, piet, "Sessies ook online.");
	int64_t other = idea(plan_b, pia, "Ander plan.");
	int64_t ids[] = { a, b };
	int64_t g = 0, g2 = 0, gb = 0;
	input_refusal why;
	int64_t mixed[] = { a, other };
	assert_int_equal(input_store_group_create(S, plan_a, "Gemengd", 0, "", 0, mixed, 2, organiser, &g, &why),
	                 STORE_INVALID);
	assert_int_equal(why, INPUT_OTHER_PLAN);
	assert_int_equal(get(a).group_id, 0); /* nothing half-done */
	assert_int_equal(input_store_group_create(S, plan_a, "Buiten kantoortijd", theme_a, "", a, ids, 2,
	                                          organiser, &g, &why), STORE_OK);
	assert_int_equal(input_store_duplicate(S, d, b, organiser, &why), STORE_OK);
	size_t pia0 = unread_of(pia), piet0 = unread_of(piet);
	assert_int_equal(input_store_respond(S, 0, g, "considering", "We plannen avondsessies.", organiser, &why),
	                 STORE_OK);
	assert_string_equal(get(a).status, "considering");
	assert_string_equal(get(b).status, "considering");
	assert_string_equal(get(d).status, "considering"); /* a member's duplicate too */
	assert_true(get(d).answer_of_group);
	assert_int_equal(unread_of(pia), pia0 + 1);
	assert_int_equal(unread_of(piet), piet0 + 1); /* once, though two of his are in it */
	/* a member answers through its group */
	assert_int_equal(input_store_respond(S, a, 0, "taken_up", "Los.", organiser, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_IN_GROUP);
	assert_int_equal(input_store_triage(S, a, 0, "taken_up", organiser), STORE_INVALID);
	/* merges: not into itself, not across plans, not an answered group away */
	assert_int_equal(input_store_group_merge(S, g, g, organiser, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_SELF);
	int64_t ob[] = { other };
	assert_int_equal(input_store_group_create(S, plan_b, "B", 0, "", 0, ob, 1, organiser, &gb, &why), STORE_OK);
	assert_int_equal(input_store_group_merge(S, g, gb, organiser, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_OTHER_PLAN);
	assert_int_equal(input_store_group_item(S, other, g, organiser, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_OTHER_PLAN);
	int64_t e = idea(plan_a, pia, "Sessies in de zomer.");
	int64_t one[] = { e };
	assert_int_equal(input_store_group_create(S, plan_a, "Zomer", 0, "", 0, one, 1, organiser, &g2, &why), STORE_OK);
	assert_int_equal(input_store_group_merge(S, g, g2, organiser, &why), STORE_CONFLICT);
	assert_int_equal(input_store_group_merge(S, g2, g, organiser, &why), STORE_OK);
	assert_int_equal(get(e).group_id, g);
	assert_string_equal(get(e).status, "considering");
	input_group gg;
	assert_int_equal(input_store_group_get(S, &A, g2, &gg), STORE_NOTFOUND);
	assert_int_equal(input_store_group_delete(S, g), STORE_INVALID); /* answered: it stays */
	/* a group link makes its members' authors follow the action point */
	assert_int_equal(input_store_link(S, 0, g, act_a, true, &why), STORE_OK);
	bool on = false;
	assert_int_equal(store_follows(S, piet, "action", act_a, &on), STORE_OK);
	assert_true(on);
	assert_int_equal(input_store_link(S, 0, g, act_b, true, &why), STORE_INVALID);
	assert_int_equal(why, INPUT_OTHER_PLAN);
}

TEST(removed_and_hidden_input_counts_without_its_text)
{
	int64_t x = idea(plan_b, pia, "Bel me op 0612345678.");
	int64_t y = idea(plan_b, piet, "Dit trek ik in.");
	input_counts c0, c1;
	assert_int_equal(input_store_counts(S, plan_b, NULL, 0, true, &c0), STORE_OK);
	assert_int_equal(input_store_hide(S, x, true), STORE_OK);
	assert_int_equal(input_store_remove(S, y, pia), STORE_NOTFOUND); /* not hers */
	assert_int_equal(input_store_remove(S, y, piet), STORE_OK);
	assert_int_equal(input_store_remove(S, y, piet), STORE_INVALID);
	assert_int_equal(input_store_counts(S, plan_b, NULL, 0, true, &c1), STORE_OK);
	assert_int_equal(c1.total, c0.total);
	assert_string_equal(get(y).text, "");
	assert_int_equal(get(y).removed, 1);
	input_filter f = { .plan_id = plan_b, .public_only = true };
	input_item *items;
	size_t n;
	bool more;
	assert_int_equal(input_store_list(S, &A, &f, &items, &n, &more), STORE_OK);
	for (size_t i = 0; i < n; i++)
		assert_true(items[i].id != x);
	assert_false(get(x).is_public);
	assert_true(get(x).hidden_here);
}

TEST(search_with_stems_and_keyset_paging)
{
	int64_t ids[7];
	for (int i = 0; i < 7; i++) {
		char t[80];
		snprintf(t, sizeof t, "Workshops organiseren over klachten, nummer %d", i);
		ids[i] = idea(plan_a, pia, t);
	}
	int done = 0;
	assert_int_equal(input_store_index(S, 1000, &done), STORE_OK);
	assert_true(done >= 7);
	input_filter f = { .plan_id = plan_a, .query = "klacht workshop", .limit = 3 };
	input_item *items;
	size_t n;
	bool more;
	assert_int_equal(input_store_list(S, &A, &f, &items, &n, &more), STORE_OK);
	assert_int_equal(n, 3);
	assert_true(more);
	assert_int_equal(items[0].id, ids[6]); /* newest first */
	f.before_id = items[2].id;
	assert_int_equal(input_store_list(S, &A, &f, &items, &n, &more), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(items[0].id, ids[3]);
	f.before_id = items[2].id;
	assert_int_equal(input_store_list(S, &A, &f, &items, &n, &more), STORE_OK);
	assert_int_equal(n, 1);
	assert_false(more);
	/* a changed text is indexed again */
	assert_int_equal(input_store_remove(S, ids[0], pia), STORE_OK);
	assert_int_equal(input_store_index(S, 1000, &done), STORE_OK);
	f.before_id = 0;
	f.limit = 50;
	assert_int_equal(input_store_list(S, &A, &f, &items, &n, &more), STORE_OK);
	assert_int_equal(n, 6);
	f.query = "de het";
	assert_int_equal(input_store_list(S, &A, &f, &items, &n, &more), STORE_OK);
	assert_int_equal(n, 0);
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
		/* each on a fresh store with two plans */
		cmocka_unit_test_setup_teardown(links_stay_within_a_plan_and_their_people_follow, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(a_response_needs_a_status_and_keeps_its_versions, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(duplicates_stay_within_a_plan_and_follow_their_original, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(groups_answer_their_members_and_do_not_contain_themselves, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(removed_and_hidden_input_counts_without_its_text, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(search_with_stems_and_keyset_paging, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
