/* test_agenda.c — the agenda's pure logic without a server: Europe/
 * Amsterdam time both ways (summer and winter time, the hour the clocks
 * skip and the hour they repeat), registration decisions, how many move up
 * from the waitlist and a place on it, the board's ranked list with
 * groups, and the session as an iCalendar event through the shared writer
 * (whose own tests cover escaping and folding).
 */
#include "unit.h"

#include "features/agenda/agenda.h"
#include "web/ical.h"

static int64_t local(const char *d, const char *t)
{
	int64_t v = 0;
	assert_int_equal(agenda_parse_local(d, t, &v), 0);
	return v;
}

TEST(summer_and_winter_time)
{
	/* 14 October 2020 10:00 CEST is 08:00 UTC; 1 December 15:00 CET is 14:00 UTC. */
	assert_int_equal(local("2020-10-14", "10:00"), 1602662400);
	assert_int_equal(local("2020-12-01", "15:00"), 1606831200);
	char iso[26];
	agenda_iso(1602662400, iso);
	assert_string_equal(iso, "2020-10-14T10:00:00+02:00");
	agenda_iso(1606831200, iso);
	assert_string_equal(iso, "2020-12-01T15:00:00+01:00");
	char d[11], t[6];
	agenda_local_date(1606831200, d);
	agenda_local_time(1606831200, t);
	assert_string_equal(d, "2020-12-01");
	assert_string_equal(t, "15:00");
}

TEST(the_switch_nights)
{
	int64_t v;
	/* 28 March 2021: 02:00–02:59 does not exist. */
	assert_int_equal(agenda_parse_local("2021-03-28", "02:30", &v), -2);
	assert_int_equal(local("2021-03-28", "01:59"), 1616893140);  /* 00:59 UTC, CET */
	assert_int_equal(local("2021-03-28", "03:00"), 1616893200);  /* 01:00 UTC, CEST */
	/* 31 October 2021: 02:30 happens twice; the first (CEST) is taken. */
	assert_int_equal(local("2021-10-31", "02:30"), 1635640200);  /* 00:30 UTC */
	assert_int_equal(local("2021-10-31", "03:00"), 1635645600);  /* 02:00 UTC, CET */
	/* Round trips over a whole year, every 37 minutes. */
	for (int64_t x = 1609459200; x < 1640995200; x += 37 * 60) {
		agenda_local l;
		agenda_to_local(x, &l);
		int64_t back;
		assert_int_equal(agenda_from_local(l.y, l.m, l.d, l.hh, l.mm, &back), 0);
		/* the repeated hour maps to its first occurrence */
		assert_true(back == x - l.ss || back == x - l.ss - 3600);
	}
}

TEST(bad_dates_and_times)
{
	int64_t v;
	assert_int_equal(agenda_parse_local("2021-02-30", "10:00", &v), -1);
	assert_int_equal(agenda_parse_local("2021-02-28", "24:00", &v), -1);
	assert_int_equal(agenda_parse_local("2021-02-28", "9:00", &v), -1);
	assert_int_equal(agenda_parse_local("28-02-2021", "09:00", &v), -1);
	assert_int_equal(agenda_parse_local("2021-02-28", "09:00:30", &v), -1);
	assert_int_equal(agenda_parse_local("2020-02-29", "09:00", &v), 0);
	assert_int_equal(agenda_parse_local("2021-02-29", "09:00", &v), -1);
}

TEST(registration_decisions)
{
	agenda_reg_facts f = { "published", 1000, 2000, 0, 0, 50, 49, true };
	assert_int_equal(agenda_reg_decide(&f), AGENDA_REG_REGISTER);
	f.registered = 50;
	assert_int_equal(agenda_reg_decide(&f), AGENDA_REG_WAITLIST);
	f.waitlist = false;
	assert_int_equal(agenda_reg_decide(&f), AGENDA_REG_FULL);
	f.capacity = 0;
	assert_int_equal(agenda_reg_decide(&f), AGENDA_REG_REGISTER);
	f.opens_at = 1500;
	assert_int_equal(agenda_reg_decide(&f), AGENDA_REG_NOT_YET);
	f.opens_at = 0;
	f.closes_at = 1000;
	assert_int_equal(agenda_reg_decide(&f), AGENDA_REG_CLOSED);
	f.closes_at = 0;
	f.now = 2000;
	assert_int_equal(agenda_reg_decide(&f), AGENDA_REG_STARTED);
	f.now = 1000;
	f.status = "draft";
	assert_int_equal(agenda_reg_decide(&f), AGENDA_REG_UNAVAILABLE);
	f.status = "cancelled";
	assert_int_equal(agenda_reg_decide(&f), AGENDA_REG_UNAVAILABLE);
	assert_true(agenda_can_cancel(1999, 2000));
	assert_false(agenda_can_cancel(2000, 2000));
}

TEST(waitlist_order)
{
	assert_int_equal(agenda_promotions(50, 49, 150), 1);
	assert_int_equal(agenda_promotions(50, 50, 150), 0);
	assert_int_equal(agenda_promotions(50, 40, 3), 3);
	assert_int_equal(agenda_promotions(0, 40, 3), 3);
	assert_int_equal(agenda_promotions(50, 60, 3), 0);
	assert_int_equal(agenda_promotions(50, 10, 0), 0);
	/* Places follow arrival stamps, whatever order they come in. */
	int64_t waiting[] = { 71, 12, 40, 33 };
	assert_int_equal(agenda_waitlist_place(waiting, 4, 12), 1);
	assert_int_equal(agenda_waitlist_place(waiting, 4, 33), 2);
	assert_int_equal(agenda_waitlist_place(waiting, 4, 40), 3);
	assert_int_equal(agenda_waitlist_place(waiting, 4, 71), 4);
	assert_int_equal(agenda_waitlist_place(waiting, 4, 50), 0);
}

TEST(board_ranking_counts_groups)
{
	agenda_rank_in in[] = {
		{ 1, 0, 3, 10 },   /* a: 3 + its group's 4 = 7 */
		{ 2, 0, 5, 11 },   /* b: 5 */
		{ 3, 1, 4, 12 },   /* grouped under a */
		{ 4, 0, 5, 9 },    /* c: 5, older than b */
		{ 5, 99, 1, 13 },  /* grouped under a note that is not there: stands alone */
	};
	size_t order[5];
	int64_t totals[5];
	size_t k = agenda_rank(in, 5, order, totals);
	assert_int_equal(k, 4);
	assert_int_equal(in[order[0]].id, 1);
	assert_int_equal(totals[order[0]], 7);
	assert_int_equal(in[order[1]].id, 4);  /* a tie goes to the older note */
	assert_int_equal(in[order[2]].id, 2);
	assert_int_equal(in[order[3]].id, 5);
}

TEST(codes_links_and_csv)
{
	assert_true(agenda_kind_valid("thinkalong"));
	assert_false(agenda_kind_valid("party"));
	assert_true(agenda_mode_matches("both", "online"));
	assert_true(agenda_mode_matches("both", "physical"));
	assert_false(agenda_mode_matches("online", "physical"));
	assert_true(agenda_mode_matches("physical", ""));
	assert_true(agenda_url_ok("https://meet.example/x"));
	assert_false(agenda_url_ok("javascript:alert(1)"));
	assert_false(agenda_url_ok("https:///x"));
	sb b;
	sb_init(&b);
	agenda_csv_field(&b, "=SUM(A1)");
	sb_putc(&b, '|');
	agenda_csv_field(&b, "a \"b\", c");
	assert_string_equal(sb_str(&b), "\"'=SUM(A1)\"|\"a \"\"b\"\", c\"");
	sb_free(&b);
}

/* The agenda's feeds go through the shared writer: a session's times come
 * out in Amsterdam time, and both clocks agree on every hour of a year. */
TEST(ical_event_in_amsterdam_time)
{
	sb b;
	sb_init(&b);
	ical_begin(&b, "-//openplan//agenda//NL", "Agenda");
	ical_event e = { .uid = "session-3@openplan.example", .dtstamp = 1602662400, .sequence = 2,
		         .status = ICAL_CANCELLED, .start = 1602662400, .end = 1602669600,
		         .summary = "Meedenksessie Open Inkoop; deel 1", .location = "Online" };
	ical_event_add(&b, &e);
	ical_end(&b);
	assert_contains(sb_str(&b), "DTSTART;TZID=Europe/Amsterdam:20201014T100000\r\n");
	assert_contains(sb_str(&b), "DTEND;TZID=Europe/Amsterdam:20201014T120000\r\n");
	assert_contains(sb_str(&b), "SEQUENCE:2\r\n");
	assert_contains(sb_str(&b), "STATUS:CANCELLED\r\n");
	assert_contains(sb_str(&b), "SUMMARY:Meedenksessie Open Inkoop\\; deel 1\r\n");
	sb_free(&b);
	for (int64_t t = 1609459200; t < 1640995200; t += 3600) {
		agenda_local l;
		agenda_to_local(t, &l);
		assert_int_equal(l.offset, ical_amsterdam_offset(t));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summer_and_winter_time),
		cmocka_unit_test(the_switch_nights),
		cmocka_unit_test(bad_dates_and_times),
		cmocka_unit_test(registration_decisions),
		cmocka_unit_test(waitlist_order),
		cmocka_unit_test(board_ranking_counts_groups),
		cmocka_unit_test(codes_links_and_csv),
		cmocka_unit_test(ical_event_in_amsterdam_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
