/* test_monitor.c — monitoring's rules without a server: numbers as people
 * type them and as pages write them, calendar arithmetic, the on-track
 * rule (the straight path from baseline to target, both directions, after
 * the target date, rounding), when a measurement is due, the forum's
 * cadence against its own rule and the OGP's six months, and its
 * composition rule.
 */
#include "unit.h"

#include "features/monitor/monitor.h"

TEST(numbers_parse_to_canonical_form)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "12,5", "12.5" },   { "12.5", "12.5" },     { "0", "0" },       { "-0", "0" },
		{ "007", "7" },       { "1,250", "1.25" },    { "-3", "-3" },     { ",5", "0.5" },
		{ "100", "100" },     { "0.000001", "0.000001" }, { "-0,50", "-0.5" },
		{ "999999999999999", "999999999999999" }, { "12.000", "12" },
	};
	char c[MONITOR_NUM_MAX];
	for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
		assert_true(monitor_number_parse(ok[i].in, c));
		assert_string_equal(c, ok[i].out);
	}
	static const char *const bad[] = {
		"", "abc", "12abc", "1.000,5", "1,2,3", "12,", "-", "+5", " 5", "5 ", "1e3", "0x10",
		"1 000", "0.0000001", "1234567890123456", "12..5", NULL,
	};
	for (size_t i = 0; bad[i]; i++)
		assert_false(monitor_number_parse(bad[i], c));
	assert_false(monitor_number_parse(NULL, c));
}

TEST(numbers_written_per_language)
{
	char out[MONITOR_NUM_MAX];
	monitor_number_format("12.5", "nl", out);
	assert_string_equal(out, "12,5");
	monitor_number_format("12.5", "en", out);
	assert_string_equal(out, "12.5");
	monitor_number_format("1234", "nl", out); /* four digits: no grouping */
	assert_string_equal(out, "1234");
	monitor_number_format("-1234567.25", "nl", out);
	assert_string_equal(out, "-1.234.567,25");
	monitor_number_format("1234567.25", "en", out);
	assert_string_equal(out, "1,234,567.25");
	monitor_number_format("12345", "en", out);
	assert_string_equal(out, "12,345");
	assert_true(monitor_number_value("12.5") == 12.5);
	assert_true(monitor_number_value("-3") == -3.0);
	assert_true(monitor_number_value("nonsense") == 0.0);
}

TEST(calendar)
{
	assert_int_equal(monitor_days(19700101), 0);
	assert_int_equal(monitor_days(19700102), 1);
	assert_int_equal(monitor_days(20000301) - monitor_days(20000228), 2); /* 2000 is a leap year */
	assert_int_equal(monitor_days(19000301) - monitor_days(19000228), 1); /* 1900 is not */
	assert_int_equal(monitor_days(20220630) - monitor_days(20210104), 542);
	assert_int_equal(monitor_add_months(20210131, 1), 20210228);
	assert_int_equal(monitor_add_months(20240131, 1), 20240229);
	assert_int_equal(monitor_add_months(20211130, 3), 20220228);
	assert_int_equal(monitor_add_months(20210630, 6), 20211230);
	assert_int_equal(monitor_add_months(20211015, 12), 20221015);
	int t = monitor_today();
	assert_true(t > 20200101 && t < 21000101);
}

/* The demo's Contract Register: 0 categorieplannen on 4 January 2021, 12
 * by 30 June 2022. */
static const monitor_path cr = { true, 20210104, 0, 20220630, 12 };

TEST(expected_value_on_the_straight_path)
{
	assert_true(monitor_expected(&cr, 20210104) == 0);
	assert_true(monitor_expected(&cr, 20201231) == 0);   /* before the baseline */
	assert_true(monitor_expected(&cr, 20220630) == 12);
	assert_true(monitor_expected(&cr, 20250101) == 12);  /* after the target date */
	double mid = monitor_expected(&cr, 20210919);        /* 258 of 542 days */
	assert_true(mid > 5.71 && mid < 5.72);
}

TEST(on_track_rule_higher_is_better)
{
	/* 31 March 2022: the path expects 9.99; 5 is behind, 10 is on it */
	assert_int_equal(monitor_track_of(&cr, true, 20220331, 5), MONITOR_OFF_TRACK);
	assert_int_equal(monitor_track_of(&cr, true, 20220331, 10), MONITOR_ON_TRACK);
	assert_int_equal(monitor_track_of(&cr, true, 20220331, 12), MONITOR_ACHIEVED);
	assert_int_equal(monitor_track_of(&cr, true, 20220331, 13), MONITOR_ACHIEVED);
	/* exactly on the path counts as on track, rounding included */
	monitor_path p = { true, 20210101, 0, 20210111, 1 }; /* 0.1 a day */
	assert_int_equal(monitor_track_of(&p, true, 20210104, 0.3), MONITOR_ON_TRACK);
	assert_int_equal(monitor_track_of(&p, true, 20210104, 0.299), MONITOR_OFF_TRACK);
	/* at the baseline date itself: the baseline is on track */
	assert_int_equal(monitor_track_of(&cr, true, 20210104, 0), MONITOR_ON_TRACK);
	/* after the target date, short of the target: off track */
	assert_int_equal(monitor_track_of(&cr, true, 20221231, 11), MONITOR_OFF_TRACK);
	assert_int_equal(monitor_track_of(&cr, false, 0, 0), MONITOR_NOT_MEASURED);
}

TEST(on_track_rule_lower_is_better)
{
	/* waiting days from 40 down to 10 in a year */
	monitor_path p = { false, 20210101, 40, 20220101, 10 };
	double half = monitor_expected(&p, 20210702);        /* 182 of 365 days */
	assert_true(half > 25.0 && half < 25.1);
	assert_int_equal(monitor_track_of(&p, true, 20210702, 24), MONITOR_ON_TRACK);
	assert_int_equal(monitor_track_of(&p, true, 20210702, 30), MONITOR_OFF_TRACK);
	assert_int_equal(monitor_track_of(&p, true, 20210702, 10), MONITOR_ACHIEVED);
	assert_int_equal(monitor_track_of(&p, true, 20210702, 9), MONITOR_ACHIEVED);
	/* negative values work the same way */
	monitor_path n = { true, 20210101, -10, 20220101, -2 };
	assert_int_equal(monitor_track_of(&n, true, 20210702, -5), MONITOR_ON_TRACK);
	assert_int_equal(monitor_track_of(&n, true, 20210702, -7), MONITOR_OFF_TRACK);
}

TEST(next_measurement_due)
{
	/* quarterly from the last measurement, never past the target date */
	assert_int_equal(monitor_next_due(20220331, 20220630, 3), 20220630);
	assert_int_equal(monitor_next_due(20210104, 20220630, 3), 20210404);
	assert_int_equal(monitor_next_due(20220401, 20220630, 3), 20220630);
	assert_int_equal(monitor_next_due(20210630, 20221231, 6), 20211230);
	assert_int_equal(monitor_next_due(20211130, 20221231, 1), 20211230);
	/* measured on or after the target date: nothing is due any more */
	assert_int_equal(monitor_next_due(20220630, 20220630, 3), 0);
	assert_int_equal(monitor_next_due(20221231, 20220630, 3), 0);
	assert_int_equal(monitor_next_due(20210101, 20220101, 0), 0);
	assert_int_equal(monitor_frequency_months("quarterly"), 3);
	assert_int_equal(monitor_frequency_months("half_yearly"), 6);
	assert_int_equal(monitor_frequency_months("yearly"), 12);
	assert_int_equal(monitor_frequency_months("monthly"), 1);
	assert_int_equal(monitor_frequency_months("weekly"), 0);
	assert_int_equal(monitor_frequency_months(NULL), 0);
}

TEST(cadence_against_the_rule_and_the_ogp)
{
	monitor_cadence c;
	int64_t today = monitor_days(20210601);
	/* four a year: at most 92 days apart */
	monitor_cadence_of(monitor_days(20210318), monitor_days(20210617), today, 4, &c);
	assert_int_equal(c.rule_days, 92);
	assert_int_equal(c.gap_days, 91);
	assert_false(c.rule_broken);
	assert_false(c.ogp_broken);
	assert_false(c.none_planned);
	/* 120 days: the forum's rule is broken, the OGP's is not */
	monitor_cadence_of(monitor_days(20210318), monitor_days(20210716), today, 4, &c);
	assert_int_equal(c.gap_days, 120);
	assert_true(c.rule_broken);
	assert_false(c.ogp_broken);
	/* more than six months: both */
	monitor_cadence_of(monitor_days(20210318), monitor_days(20211001), today, 4, &c);
	assert_true(c.rule_broken);
	assert_true(c.ogp_broken);
	/* nothing planned: the gap runs to today */
	monitor_cadence_of(monitor_days(20210318), -1, monitor_days(20260101), 4, &c);
	assert_true(c.none_planned);
	assert_true(c.rule_broken);
	assert_true(c.ogp_broken);
	monitor_cadence_of(monitor_days(20210318), -1, monitor_days(20210401), 4, &c);
	assert_true(c.none_planned);
	assert_false(c.rule_broken);
	/* none held, one planned: measured from today */
	monitor_cadence_of(-1, monitor_days(20210701), today, 2, &c);
	assert_int_equal(c.rule_days, 183);
	assert_int_equal(c.gap_days, 30);
	assert_false(c.rule_broken);
	/* none at all */
	monitor_cadence_of(-1, -1, today, 4, &c);
	assert_true(c.no_meetings);
	assert_true(c.rule_broken && c.ogp_broken);
}

TEST(composition_rule)
{
	/* the demo: 5 of 8 from government; the rule asks half from outside */
	assert_true(monitor_composition_broken(5, 8, 50));
	assert_false(monitor_composition_broken(4, 8, 50));
	assert_false(monitor_composition_broken(3, 8, 50));
	assert_true(monitor_composition_broken(4, 8, 51));
	assert_false(monitor_composition_broken(8, 8, 0));
	assert_false(monitor_composition_broken(0, 0, 50));  /* no members: no verdict */
	assert_true(monitor_composition_broken(1, 1, 1));
}

TEST(membership_is_current)
{
	assert_true(monitor_member_current("2020-12-01", "", 20210318));
	assert_true(monitor_member_current("2020-12-01", "2021-12-31", 20211231));
	assert_false(monitor_member_current("2020-12-01", "2021-12-31", 20220101));
	assert_false(monitor_member_current("2021-03-19", "", 20210318));
	assert_false(monitor_member_current("nonsense", "", 20210318));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_parse_to_canonical_form),
		cmocka_unit_test(numbers_written_per_language),
		cmocka_unit_test(calendar),
		cmocka_unit_test(expected_value_on_the_straight_path),
		cmocka_unit_test(on_track_rule_higher_is_better),
		cmocka_unit_test(on_track_rule_lower_is_better),
		cmocka_unit_test(next_measurement_due),
		cmocka_unit_test(cadence_against_the_rule_and_the_ogp),
		cmocka_unit_test(composition_rule),
		cmocka_unit_test(membership_is_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
