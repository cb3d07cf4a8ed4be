/* test_consultations.c — the consultation feature's analysis logic:
 * folding write-ins for grouping, percentages, the SVG bar chart and the
 * signed tokens (form and browser); and, on a temporary database, the
 * counts the store keeps as answers arrive and are replaced. */
#include "unit.h"

#include <sodium.h>
#include <unistd.h>

#include "features/cons/cons.h"
#include "store_target.h"

TEST(fold_groups_case_and_spaces)
{
	arena a;
	arena_init(&a, 0);
	assert_string_equal(cons_fold(&a, "  Open   Loket \n"), cons_fold(&a, "open loket"));
	assert_string_equal(cons_fold(&a, "OPEN LOKET"), "open loket");
	/* Unicode case folding, not only ASCII. */
	assert_string_equal(cons_fold(&a, "ÉÉN Thema"), cons_fold(&a, "één thema"));
	assert_string_equal(cons_fold(&a, "Straße"), cons_fold(&a, "STRASSE"));
	assert_string_equal(cons_fold(&a, "   "), "");
	assert_string_not_equal(cons_fold(&a, "Open Data"), cons_fold(&a, "Open Date"));
	arena_free(&a);
}

TEST(percent_rounds_half_up)
{
	assert_int_equal(cons_percent(0, 0), 0);
	assert_int_equal(cons_percent(3, 5), 60);
	assert_int_equal(cons_percent(1, 3), 33);
	assert_int_equal(cons_percent(2, 3), 67);
	assert_int_equal(cons_percent(1, 8), 13);  /* 12.5 up */
	assert_int_equal(cons_percent(31, 48), 65);
	assert_int_equal(cons_percent(48, 48), 100);
}

TEST(svg_chart_has_title_desc_and_escapes)
{
	sb out;
	sb_init(&out);
	const char *labels[] = { "Open <Technologie>", "B & C" };
	int64_t counts[] = { 31, 0 };
	web_svg_bars(&out, "chart-7", "Thema's \"kiezen\"", "Staafdiagram. A: 31.", labels, counts, 2);
	const char *s = sb_str(&out);
	assert_contains(s, "role=\"img\"");
	assert_contains(s, "aria-labelledby=\"chart-7-title chart-7-desc\"");
	assert_contains(s, "<title id=\"chart-7-title\">Thema&#39;s &quot;kiezen&quot;</title>");
	assert_contains(s, "<desc id=\"chart-7-desc\">Staafdiagram. A: 31.</desc>");
	assert_contains(s, "Open &lt;Technologie&gt;");
	assert_contains(s, "B &amp; C");
	assert_not_contains(s, "<Technologie>");
	/* The largest count gets the full width, zero a sliver. */
	assert_contains(s, "width=\"540\"");
	assert_contains(s, "width=\"1\"");
	assert_int_equal(count_occurrences(s, "<rect"), 2);
	assert_true(strncmp(s, "<svg", 4) == 0);
	assert_true(strcmp(s + strlen(s) - 6, "</svg>") == 0);
	sb_free(&out);
}

TEST(tokens_sign_and_check)
{
	assert_true(sodium_init() >= 0);
	arena a;
	arena_init(&a, 0);
	unsigned char key[32], other[32];
	memset(key, 7, sizeof key);
	memset(other, 8, sizeof other);
	char *t = cons_token_make(&a, key, "form:1");
	assert_non_null(t);
	assert_int_equal(strlen(t), 97);
	char *nonce = cons_token_check(&a, key, "form:1", t);
	assert_non_null(nonce);
	assert_int_equal(strncmp(nonce, t, 32), 0);
	/* Another purpose, another key, a changed nonce or mac: refused. */
	assert_null(cons_token_check(&a, key, "form:2", t));
	assert_null(cons_token_check(&a, other, "form:1", t));
	char *bad = arena_strdup(&a, t);
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	assert_null(cons_token_check(&a, key, "form:1", bad));
	bad = arena_strdup(&a, t);
	bad[96] = bad[96] == '0' ? '1' : '0';
	assert_null(cons_token_check(&a, key, "form:1", bad));
	assert_null(cons_token_check(&a, key, "form:1", NULL));
	assert_null(cons_token_check(&a, key, "form:1", ""));
	assert_null(cons_token_check(&a, key, "form:1", "x.y"));
	/* Two tokens differ. */
	assert_string_not_equal(t, cons_token_make(&a, key, "form:1"));
	arena_free(&a);
}

/* ---- the store's incremental counts ---- */

static const cons_cell *cell(const cons_cell *c, size_t n, int64_t qid, int64_t oid, int64_t v,
                             bool by_value)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].question_id == qid && c[i].option_id == oid && (!by_value || c[i].value == v))
			return &c[i];
	return NULL;
}

static int64_t count_of(const cons_cell *c, size_t n, int64_t qid, int64_t oid, int64_t v,
                        bool by_value)
{
	const cons_cell *x = cell(c, n, qid, oid, v, by_value);
	return x ? x->count : 0;
}

TEST(store_counts_follow_replaced_answers)
{
	char dir[] = "/tmp/openplan-cons-unit-XXXXXX", path[96], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	char target[512];
	store_target(path, target, sizeof target);
	store *s;
	assert_int_equal(store_target_open(target, &s, err, sizeof err), STORE_OK);
	arena a;
	arena_init(&a, 0);
	plan p = { .title = "P", .description = "", .period_start = "2020-01-01",
		   .period_end = "2020-12-31", .status = "draft" };
	int64_t pid, cid, qm, qr, qy;
	assert_int_equal(store_plan_create(s, &p, &pid), STORE_OK);
	consultation c = { .plan_id = pid, .title = "C", .intro = "", .opens_on = "2020-01-01",
		           .closes_on = "2099-01-01", .results_public = "while_open",
		           .status = "draft" };
	assert_int_equal(cons_store_create(s, &c, &cid), STORE_OK);
	/* A new consultation is a draft: not published without questions,
	 * and no answers while a draft. */
	assert_int_equal(cons_store_set_status(s, cid, "published", 0), STORE_INVALID);
	const char *labels[] = { "A", "B", "C" };
	cons_question m = { .kind = "multiple", .prompt = "M", .help = "", .allow_other = true,
		            .max_length = 100, .low_label = "", .high_label = "" };
	cons_question r = m, y = m;
	r.kind = "ranking";
	y.kind = "yesno";
	assert_int_equal(cons_store_question_add(s, cid, &m, labels, NULL, 3, &qm), STORE_OK);
	assert_int_equal(cons_store_question_add(s, cid, &r, labels, NULL, 3, &qr), STORE_OK);
	assert_int_equal(cons_store_question_add(s, cid, &y, NULL, NULL, 0, &qy), STORE_OK);
	consultation full;
	bool replaced0;
	assert_int_equal(cons_store_get(s, &a, cid, &full), STORE_OK);
	assert_string_equal(full.status, "draft");
	cons_answer_in early[] = { { .question_id = qy, .has_value = true, .value = 1 } };
	assert_int_equal(cons_store_respond(s, cid, 0, "b0", "n0", early, 1, &replaced0), STORE_INVALID);
	assert_int_equal(cons_store_set_status(s, cid, "published", 0), STORE_OK);
	int64_t ma = full.questions[0].options[0].id, mb = full.questions[0].options[1].id;
	int64_t ra = full.questions[1].options[0].id, rb = full.questions[1].options[1].id,
	        rc_ = full.questions[1].options[2].id;
	bool replaced;
	/* Browser 1: A, write-in "Open Loket"; ranking A1 B2 C3; yes "why". */
	cons_answer_in one[] = {
		{ .question_id = qm, .option_id = ma },
		{ .question_id = qm, .text = "Open Loket", .norm = cons_fold(&a, "Open Loket") },
		{ .question_id = qr, .option_id = ra, .has_value = true, .value = 1 },
		{ .question_id = qr, .option_id = rb, .has_value = true, .value = 2 },
		{ .question_id = qr, .option_id = rc_, .has_value = true, .value = 3 },
		{ .question_id = qy, .has_value = true, .value = 1, .text = "why" },
	};
	assert_int_equal(cons_store_respond(s, cid, 0, "b1", "n1", one, ARRAY_LEN(one), &replaced), STORE_OK);
	assert_false(replaced);
	/* The same nonce again: refused, nothing saved. */
	assert_int_equal(cons_store_respond(s, cid, 0, "b2", "n1", one, ARRAY_LEN(one), &replaced), STORE_CONFLICT);
	/* Browser 2: A and B, write-in " open loket "; ranking B1 A2 C3; no. */
	cons_answer_in two[] = {
		{ .question_id = qm, .option_id = ma },
		{ .question_id = qm, .option_id = mb },
		{ .question_id = qm, .text = " open loket ", .norm = cons_fold(&a, " open loket ") },
		{ .question_id = qr, .option_id = rb, .has_value = true, .value = 1 },
		{ .question_id = qr, .option_id = ra, .has_value = true, .value = 2 },
		{ .question_id = qr, .option_id = rc_, .has_value = true, .value = 3 },
		{ .question_id = qy, .has_value = true, .value = 0, .text = "" },
	};
	assert_int_equal(cons_store_respond(s, cid, 0, "b2", "n2", two, ARRAY_LEN(two), &replaced), STORE_OK);
	/* Answered: no deleting, no draft again. */
	assert_int_equal(cons_store_delete(s, cid), STORE_CONFLICT);
	assert_int_equal(cons_store_set_status(s, cid, "draft", 0), STORE_CONFLICT);
	/* Hiding browser 2's write-in takes it out of its group, once, however
	 * often it is hidden. */
	cons_text *wt;
	size_t nwt;
	assert_int_equal(cons_store_texts(s, &a, qm, 0, 10, &wt, &nwt), STORE_OK);
	assert_int_equal(nwt, 2);
	assert_string_equal(wt[0].text, " open loket ");
	int64_t hidden_id = wt[0].id;
	assert_int_equal(cons_store_answer_flag(s, cid, hidden_id, false, true), STORE_OK);
	assert_int_equal(cons_store_answer_flag(s, cid, hidden_id, false, true), STORE_OK);
	cons_results hr;
	assert_int_equal(cons_store_results(s, &a, &full, 10, false, &hr), STORE_OK);
	assert_int_equal(hr.nwriteins, 1);
	assert_int_equal(hr.writeins[0].count, 1);
	assert_string_equal(hr.wtext[0], "Open Loket");
	assert_int_equal(count_of(hr.hidden, hr.nhidden, qm, 0, 0, false), 1);
	/* Not an answer of this consultation. */
	assert_int_equal(cons_store_answer_flag(s, cid + 1, hidden_id, false, false), STORE_NOTFOUND);
	/* Questions are frozen now. */
	assert_int_equal(cons_store_question_add(s, cid, &y, NULL, NULL, 0, NULL), STORE_CONFLICT);
	assert_int_equal(cons_store_option_delete(s, cid, qm, mb), STORE_CONFLICT);
	/* Browser 1 replaces its answer: only B and "no". */
	cons_answer_in again[] = {
		{ .question_id = qm, .option_id = mb },
		{ .question_id = qy, .has_value = true, .value = 0, .text = "changed" },
	};
	assert_int_equal(cons_store_respond(s, cid, 0, "b1", "n3", again, ARRAY_LEN(again), &replaced), STORE_OK);
	assert_true(replaced);
	cons_results res;
	assert_int_equal(cons_store_get(s, &a, cid, &full), STORE_OK);
	assert_int_equal(cons_store_results(s, &a, &full, 10, false, &res), STORE_OK);
	assert_int_equal(res.respondents, 2);
	assert_int_equal(count_of(res.answered, res.nanswered, qm, 0, 0, false), 2);
	assert_int_equal(count_of(res.answered, res.nanswered, qr, 0, 0, false), 1);
	assert_int_equal(count_of(res.options, res.noptions, qm, ma, 0, false), 1);
	assert_int_equal(count_of(res.options, res.noptions, qm, mb, 0, false), 2);
	/* Ranking: only browser 2's is left (B1 A2 C3). */
	const cons_cell *x = cell(res.options, res.noptions, qr, ra, 0, false);
	assert_non_null(x);
	assert_int_equal(x->count, 1);
	assert_int_equal(x->sum, 2);
	assert_int_equal(count_of(res.values, res.nvalues, qr, rb, 1, true), 1);
	assert_int_equal(count_of(res.values, res.nvalues, qr, ra, 1, true), 0);
	/* Yes/no: two no, no yes. */
	assert_int_equal(count_of(res.values, res.nvalues, qy, 0, 0, true), 2);
	assert_int_equal(count_of(res.values, res.nvalues, qy, 0, 1, true), 0);
	/* The write-in of browser 1 is gone; browser 2's is hidden: no group is
	 * shown, and taking browser 1's out did not count the hidden one twice. */
	assert_int_equal(res.nwriteins, 0);
	assert_int_equal(count_of(res.hidden, res.nhidden, qm, 0, 0, false), 1);
	/* Shown again, it is its group's spelling. */
	assert_int_equal(cons_store_answer_flag(s, cid, hidden_id, false, false), STORE_OK);
	assert_int_equal(cons_store_results(s, &a, &full, 10, false, &res), STORE_OK);
	assert_int_equal(res.nwriteins, 1);
	assert_int_equal(res.writeins[0].count, 1);
	assert_string_equal(res.wtext[0], "open loket");
	/* Texts: the new reason only. */
	assert_int_equal(res.ntexts, 1);
	assert_string_equal(res.texts[0].text, "changed");
	/* Backdating moves every response into the window, and only there. */
	const int64_t sept = 1598918400, span = 30 * 86400;
	assert_int_equal(cons_store_backdate(s, cid, sept, span), STORE_OK);
	assert_int_equal(cons_store_backdate(s, cid, sept, 0), STORE_INVALID);
	static const char *const browsers[] = { "b1", "b2" };
	for (size_t i = 0; i < ARRAY_LEN(browsers); i++) {
		cons_answer_in *mine;
		size_t nm;
		int64_t at = 0;
		assert_int_equal(cons_store_my_answers(s, &a, cid, 0, browsers[i], &mine, &nm, &at), STORE_OK);
		assert_true(at >= sept && at < sept + span);
	}
	arena_free(&a);
	store_close(s);
	static const char *const suffix[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < ARRAY_LEN(suffix); i++) {
		char f[128];
		snprintf(f, sizeof f, "%s%s", path, suffix[i]);
		unlink(f);
	}
	rmdir(dir);
}

/* Exports write Europe/Amsterdam wall-clock time: +1 in winter, +2 in
 * summer, switching at 01:00 UTC on the last Sundays of March and October. */
TEST(export_time_is_amsterdam)
{
	char t[20];
	cons_export_time(1599134400, t); /* 2020-09-03 12:00:00 UTC */
	assert_string_equal(t, "2020-09-03 14:00:00");
	cons_export_time(1579089600, t); /* 2020-01-15 12:00:00 UTC */
	assert_string_equal(t, "2020-01-15 13:00:00");
	cons_export_time(1616893199, t); /* 2021-03-28 00:59:59 UTC */
	assert_string_equal(t, "2021-03-28 01:59:59");
	cons_export_time(1616893200, t); /* 2021-03-28 01:00:00 UTC */
	assert_string_equal(t, "2021-03-28 03:00:00");
	cons_export_time(1635641999, t); /* 2021-10-31 00:59:59 UTC */
	assert_string_equal(t, "2021-10-31 02:59:59");
	cons_export_time(1635642000, t); /* 2021-10-31 01:00:00 UTC */
	assert_string_equal(t, "2021-10-31 02:00:00");
	cons_export_time(1609459199, t); /* 2020-12-31 23:59:59 UTC: a new year there */
	assert_string_equal(t, "2021-01-01 00:59:59");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold_groups_case_and_spaces),
		cmocka_unit_test(percent_rounds_half_up),
		cmocka_unit_test(svg_chart_has_title_desc_and_escapes),
		cmocka_unit_test(tokens_sign_and_check),
		cmocka_unit_test(store_counts_follow_replaced_answers),
		cmocka_unit_test(export_time_is_amsterdam),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
