/* test_actions.c — the action plan's rules without a server: the status
 * machine (which changes make sense), when a milestone is late, how
 * progress is computed, dates inside a period, evidence links, safe
 * Markdown for progress updates, and CSV quoting.
 */
#include "unit.h"

#include "features/act/act.h"

TEST(status_codes_known)
{
	const char *ok[] = { "idea", "seeking", "adopted", "in_progress", "completed", "stopped" };
	for (size_t i = 0; i < ARRAY_LEN(ok); i++)
		assert_true(act_status_valid(ok[i]));
	assert_false(act_status_valid("done"));
	assert_false(act_status_valid(""));
	assert_false(act_status_valid(NULL));
	assert_false(act_status_valid("Idea"));
}

/* Every pair of statuses with the answer the life cycle gives. */
TEST(transitions_table)
{
	static const struct { const char *from, *to; bool ok; } t[] = {
		{ "idea", "seeking", true },       { "idea", "adopted", true },
		{ "idea", "in_progress", false },  { "idea", "completed", false },
		{ "idea", "stopped", true },       { "idea", "idea", false },
		{ "seeking", "idea", true },       { "seeking", "adopted", true },
		{ "seeking", "in_progress", false }, { "seeking", "completed", false },
		{ "seeking", "stopped", true },
		{ "adopted", "seeking", true },    { "adopted", "in_progress", true },
		{ "adopted", "completed", false }, { "adopted", "idea", false },
		{ "adopted", "stopped", true },
		{ "in_progress", "completed", true }, { "in_progress", "adopted", true },
		{ "in_progress", "idea", false },  { "in_progress", "seeking", false },
		{ "in_progress", "stopped", true },
		{ "completed", "idea", false },    { "completed", "seeking", false },
		{ "completed", "adopted", false }, { "completed", "stopped", false },
		{ "completed", "in_progress", true },
		{ "stopped", "idea", true },       { "stopped", "seeking", true },
		{ "stopped", "completed", false }, { "stopped", "in_progress", false },
		{ "idea", "bogus", false },        { "bogus", "idea", false },
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (act_transition_ok(t[i].from, t[i].to) != t[i].ok)
			fail_msg("%s -> %s: want %s", t[i].from, t[i].to, t[i].ok ? "allowed" : "refused");
}

TEST(statuses_needing_a_lead)
{
	assert_true(act_status_needs_lead("adopted"));
	assert_true(act_status_needs_lead("in_progress"));
	assert_true(act_status_needs_lead("completed"));
	assert_false(act_status_needs_lead("idea"));
	assert_false(act_status_needs_lead("seeking"));
	assert_false(act_status_needs_lead("stopped"));
}

TEST(late_milestones)
{
	int today = 20210601;
	assert_true(act_milestone_late("2021-05-31", "", today));      /* yesterday, not done */
	assert_false(act_milestone_late("2021-06-01", "", today));     /* due today: not late yet */
	assert_false(act_milestone_late("2021-06-02", "", today));     /* future */
	assert_false(act_milestone_late("2021-01-01", "2021-02-01", today)); /* done (late, but done) */
	assert_false(act_milestone_late("", "", today));               /* no date: never late */
	assert_false(act_milestone_late("2021-02-30", "", today));     /* no such date */
	assert_true(act_milestone_late("2020-12-31", NULL, today));
}

TEST(progress_computation)
{
	/* completed is always 100 */
	assert_int_equal(act_progress("completed", 40, 4, 1), 100);
	/* the latest update's percent wins over milestones */
	assert_int_equal(act_progress("in_progress", 45, 4, 2), 45);
	assert_int_equal(act_progress("in_progress", 0, 4, 4), 0);
	/* without updates: the share of milestones done, rounded down */
	assert_int_equal(act_progress("in_progress", -1, 3, 1), 33);
	assert_int_equal(act_progress("adopted", -1, 4, 4), 100);
	/* neither */
	assert_int_equal(act_progress("idea", -1, 0, 0), 0);
	/* never above 100 */
	assert_int_equal(act_progress("in_progress", 150, 0, 0), 100);
}

TEST(dates_within_period)
{
	assert_true(act_date_within("2021-06-01", "2021-01-01", "2022-12-31"));
	assert_true(act_date_within("2021-01-01", "2021-01-01", "2022-12-31"));
	assert_true(act_date_within("2022-12-31", "2021-01-01", "2022-12-31"));
	assert_false(act_date_within("2020-12-31", "2021-01-01", "2022-12-31"));
	assert_false(act_date_within("2023-01-01", "2021-01-01", "2022-12-31"));
	assert_true(act_date_within("2030-01-01", "", ""));             /* open period */
	assert_true(act_date_within("2030-01-01", "2021-01-01", ""));
	assert_false(act_date_within("2020-01-01", "2021-01-01", ""));
	assert_false(act_date_within("nonsense", "", ""));
}

TEST(evidence_links)
{
	assert_true(act_url_ok("https://www.open-overheid.nl/verslag"));
	assert_true(act_url_ok("http://example.nl"));
	assert_true(act_url_ok("HTTPS://EXAMPLE.NL/a?b=c"));
	assert_false(act_url_ok("javascript:alert(1)"));
	assert_false(act_url_ok("ftp://example.nl/x"));
	assert_false(act_url_ok("https://"));
	assert_false(act_url_ok("https:///path"));
	assert_false(act_url_ok("https://exa mple.nl"));
	assert_false(act_url_ok("https://example.nl/\"onmouseover"));
	assert_false(act_url_ok("//example.nl"));
	assert_false(act_url_ok("example.nl"));
	assert_false(act_url_ok(NULL));
}

static char *md(const char *in)
{
	sb b;
	sb_init(&b);
	assert_int_equal(web_markdown(&b, in), 0);
	return sb_take(&b);
}

TEST(markdown_renders_and_is_safe)
{
	char *h = md("**bold** and *italic*\n\n- one\n- two\n");
	assert_contains(h, "<strong>bold</strong>");
	assert_contains(h, "<em>italic</em>");
	assert_contains(h, "<li>one</li>");
	free(h);
	/* Raw HTML is shown as text, never as markup. */
	h = md("<script>alert(1)</script> <img src=x onerror=alert(1)>");
	assert_not_contains(h, "<script");
	assert_not_contains(h, "<img");
	assert_contains(h, "&lt;script&gt;");
	free(h);
	/* Links and images may only point to http(s), mailto or paths. */
	h = md("[a](javascript:alert(1)) [b](https://example.nl/x) [c](JavaScript:x) "
	       "![i](data:image/png;base64,AAAA) [d](/actions/1) [e](mailto:a@b.nl) [f](vbscript:x)");
	assert_not_contains(h, "javascript:");
	assert_not_contains(h, "JavaScript:");
	assert_not_contains(h, "data:");
	assert_not_contains(h, "vbscript:");
	assert_contains(h, "href=\"https://example.nl/x\"");
	assert_contains(h, "href=\"/actions/1\"");
	assert_contains(h, "href=\"mailto:a@b.nl\"");
	assert_int_equal(count_occurrences(h, "href=\"#\""), 3);
	free(h);
	/* Quotes in text cannot break out of an attribute. */
	h = md("[x](https://e.nl/\"onclick=\"alert(1))");
	assert_not_contains(h, "\"onclick=\"");
	free(h);
	h = md("");
	assert_string_equal(h, "");
	free(h);
}

static char *csv(const char *in)
{
	sb b;
	sb_init(&b);
	act_csv_field(&b, in);
	return sb_take(&b);
}

TEST(csv_fields)
{
	static const struct { const char *in, *out; } t[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "=SUM(A1)", "\"'=SUM(A1)\"" },
		{ "+31 6", "\"'+31 6\"" },
		{ "-1", "\"'-1\"" },
		{ "@cmd", "\"'@cmd\"" },
		{ "a;b", "\"a;b\"" },
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		char *s = csv(t[i].in);
		assert_string_equal(s, t[i].out);
		free(s);
	}
	char *s = csv(NULL);
	assert_string_equal(s, "");
	free(s);
}

TEST(today_is_a_date)
{
	int t = act_today();
	assert_true(t > 20200101 && t < 21000101);
	assert_true(t % 100 >= 1 && t % 100 <= 31);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_codes_known),
		cmocka_unit_test(transitions_table),
		cmocka_unit_test(statuses_needing_a_lead),
		cmocka_unit_test(late_milestones),
		cmocka_unit_test(progress_computation),
		cmocka_unit_test(dates_within_period),
		cmocka_unit_test(evidence_links),
		cmocka_unit_test(markdown_renders_and_is_safe),
		cmocka_unit_test(csv_fields),
		cmocka_unit_test(today_is_a_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
