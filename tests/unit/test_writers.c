/* test_writers.c — the CSV writer (src/web/csv.c: what Dutch Excel needs,
 * formulas made inert, streaming through a sink in bounded pieces) and the
 * iCalendar writer (src/web/ical.c: Amsterdam time, TEXT escaping, folding
 * without splitting characters), the latter also read back by a real
 * iCalendar parser (tests/unit/ical_check.py, python3-icalendar). */
#include "unit.h"

#include <jansson.h>
#include <time.h>
#include <unistd.h>

#include "util/text.h"
#include "web/csv.h"
#include "web/ical.h"

/* ---- CSV ---- */

static char *csv_of(char sep, void (*fill)(csv_writer *))
{
	csv_writer w;
	csv_init(&w, sep, true, NULL, NULL);
	fill(&w);
	assert_int_equal(csv_finish(&w), 0);
	char *s = sb_take(&w.buf);
	csv_free(&w);
	return s;
}

static void fill_basic(csv_writer *w)
{
	csv_cell(w, "naam");
	csv_cell(w, "antwoord");
	csv_cell(w, "aantal");
	csv_row_end(w);
	csv_cell(w, "Jansen; J.");
	csv_cell(w, "zei \"ja\"\nen nee");
	csv_int(w, -5);
	csv_row_end(w);
	csv_cell(w, "=HYPERLINK(\"http://evil\")");
	csv_cell(w, "+31 6 1234");
	csv_cell(w, "-2+3");
	csv_row_end(w);
	csv_cell(w, "@SUM(A1)");
	csv_cell(w, "\t=1");
	csv_cell(w, "\r=1");
	csv_row_end(w);
	csv_cell(w, NULL);
	csv_cell(w, " spatie ");
	csv_decimal(w, 3.25, 2);
	csv_row_end(w);
}

TEST(csv_for_dutch_excel)
{
	char *s = csv_of(';', fill_basic);
	assert_memory_equal(s, "\xEF\xBB\xBFnaam;antwoord;aantal\r\n", 25);
	assert_contains(s, "\"Jansen; J.\";\"zei \"\"ja\"\"\nen nee\";-5\r\n");
	assert_contains(s, "\"'=HYPERLINK(\"\"http://evil\"\")\";\"'+31 6 1234\";\"'-2+3\"\r\n");
	assert_contains(s, "\"'@SUM(A1)\";\"'\t=1\";\"'\r=1\"\r\n");
	assert_contains(s, ";\" spatie \";3,25\r\n");
	free(s);
	s = csv_of(',', fill_basic);
	assert_contains(s, "Jansen; J.,");   /* no quotes needed with ',' */
	assert_contains(s, ",3.25\r\n");
	free(s);
}

typedef struct counting {
	size_t bytes, calls, biggest;
	int    refuse_after;
} counting;

static int count_sink(void *ctx, const void *data, size_t n)
{
	(void)data;
	counting *c = ctx;
	c->bytes += n;
	c->calls++;
	if (n > c->biggest)
		c->biggest = n;
	return c->refuse_after && (int)c->calls >= c->refuse_after ? -1 : 0;
}

TEST(csv_streams_in_bounded_pieces)
{
	counting c = { 0 };
	csv_writer w;
	csv_init(&w, ';', true, count_sink, &c);
	size_t expect = 3;
	for (int i = 0; i < 100000; i++) {
		csv_int(&w, i);
		csv_cell(&w, "een antwoord van gemiddelde lengte");
		csv_row_end(&w);
		char num[16];
		expect += (size_t)snprintf(num, sizeof num, "%d", i) + 1 + 34 + 2;
	}
	assert_int_equal(csv_finish(&w), 0);
	assert_int_equal(c.bytes, expect);
	assert_true(c.calls > 50);
	assert_true(c.biggest < 70 * 1024);
	assert_true(w.buf.cap < 256 * 1024);
	csv_free(&w);
	/* A sink that refuses (the client left) stops the writer. */
	counting r = { .refuse_after = 2 };
	csv_init(&w, ',', false, count_sink, &r);
	for (int i = 0; i < 100000; i++) {
		csv_cell(&w, "x");
		csv_row_end(&w);
	}
	assert_int_equal(csv_finish(&w), -1);
	assert_int_equal(r.calls, 2);
	csv_free(&w);
}

/* ---- iCalendar ---- */

static int64_t utc(int y, int m, int d, int hh, int mm)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = hh, .tm_min = mm };
	return (int64_t)timegm(&tm);
}

TEST(ical_amsterdam_offsets_follow_the_eu_rule)
{
	assert_int_equal(ical_amsterdam_offset(utc(2024, 1, 15, 12, 0)), 3600);
	assert_int_equal(ical_amsterdam_offset(utc(2024, 3, 31, 0, 59)), 3600);
	assert_int_equal(ical_amsterdam_offset(utc(2024, 3, 31, 1, 0)), 7200);
	assert_int_equal(ical_amsterdam_offset(utc(2024, 10, 27, 0, 59)), 7200);
	assert_int_equal(ical_amsterdam_offset(utc(2024, 10, 27, 1, 0)), 3600);
	assert_int_equal(ical_amsterdam_offset(utc(2021, 3, 28, 1, 0)), 7200);
	assert_int_equal(ical_amsterdam_offset(utc(2021, 3, 27, 23, 0)), 3600);
	assert_int_equal(ical_amsterdam_offset(utc(2030, 10, 27, 0, 30)), 7200);
}

static const char long_text[] =
	"Meedenksessie Open Overheid: wat zou jij doen? Één idee per persoon; "
	"graag kort, helder en concreet — met een voorbeeld uit je eigen werk, "
	"bijvoorbeeld 😀 of ☕, en back\\slashes.\nTweede regel,\r\nderde regel.";

TEST(ical_escapes_and_folds_without_splitting_characters)
{
	sb o;
	sb_init(&o);
	ical_begin(&o, "-//openplan//NL", "Agenda");
	ical_event_add(&o, &(ical_event){ .uid = "s1@x", .dtstamp = utc(2024, 5, 1, 8, 0),
	                                  .start = utc(2024, 6, 1, 8, 0), .end = utc(2024, 6, 1, 10, 0),
	                                  .summary = "a;b,c\\d\ne", .description = long_text });
	ical_end(&o);
	const char *s = sb_str(&o);
	assert_contains(s, "SUMMARY:a\\;b\\,c\\\\d\\ne\r\n");
	assert_contains(s, "DTSTART;TZID=Europe/Amsterdam:20240601T100000\r\n");
	assert_contains(s, "DTSTAMP:20240501T080000Z\r\n");
	for (const char *p = s; *p; ) {
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_true(e - p <= 75);
		assert_true(text_utf8_valid(p, (size_t)(e - p)));
		p = e + 2;
	}
	sb_free(&o);
}

TEST(ical_is_read_back_by_python_icalendar)
{
	struct { const char *uid; int seq; ical_status st; const char *stname; int64_t start, end;
	         const char *summary, *local; } evs[] = {
		{ "session-1@openplan.test", 0, ICAL_CONFIRMED, "CONFIRMED", utc(2020, 9, 14, 13, 0),
		  utc(2020, 9, 14, 15, 30), "Meedenksessie Open Informatie", "2020-09-14 15:00" },
		{ "session-2@openplan.test", 3, ICAL_CANCELLED, "CANCELLED", utc(2021, 3, 18, 9, 0),
		  utc(2021, 3, 18, 11, 0), "Stakeholderforum; vergadering, 18 maart", "2021-03-18 10:00" },
		{ "session-3@openplan.test", 1, ICAL_TENTATIVE, "TENTATIVE", utc(2024, 10, 27, 0, 30),
		  utc(2024, 10, 27, 2, 0), long_text, NULL }, /* 02:30 happens twice that night */
	};
	sb o;
	sb_init(&o);
	json_t *want = json_array();
	ical_begin(&o, "-//openplan//NL", "Open Overheid");
	for (size_t i = 0; i < ARRAY_LEN(evs); i++) {
		int64_t stamp = utc(2024, 1, 2, 3, 4) + (int64_t)i;
		ical_event_add(&o, &(ical_event){ .uid = evs[i].uid, .dtstamp = stamp, .sequence = evs[i].seq,
		                                  .status = evs[i].st, .start = evs[i].start, .end = evs[i].end,
		                                  .summary = evs[i].summary, .description = long_text,
		                                  .location = "Den Haag, Turfmarkt 147",
		                                  .url = "https://openplan.test/sessions/1" });
		/* A parser gives back the text with CR LF as LF. */
		char desc[sizeof long_text];
		size_t k = 0;
		for (const char *p = long_text; *p; p++)
			if (!(*p == '\r' && p[1] == '\n'))
				desc[k++] = *p;
		desc[k] = '\0';
		char summary[sizeof long_text];
		k = 0;
		for (const char *p = evs[i].summary; *p; p++)
			if (!(*p == '\r' && p[1] == '\n'))
				summary[k++] = *p;
		summary[k] = '\0';
		json_array_append_new(want, json_pack("{s:s,s:i,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s}",
			"uid", evs[i].uid, "sequence", evs[i].seq, "status", evs[i].stname,
			"dtstamp", (json_int_t)stamp, "start", (json_int_t)evs[i].start, "end", (json_int_t)evs[i].end,
			"summary", summary, "description", desc, "location", "Den Haag, Turfmarkt 147",
			"url", "https://openplan.test/sessions/1"));
		json_t *last = json_array_get(want, json_array_size(want) - 1);
		if (evs[i].local)
			json_object_set_new(last, "local_start", json_string(evs[i].local));
		else
			json_object_set_new(last, "utc", json_true());
	}
	ical_end(&o);
	assert_false(sb_failed(&o));
	char ics[64], exp[64], cmd[256];
	snprintf(ics, sizeof ics, "/tmp/openplan-ical-%d.ics", (int)getpid());
	snprintf(exp, sizeof exp, "/tmp/openplan-ical-%d.json", (int)getpid());
	FILE *f = fopen(ics, "wb");
	fwrite(sb_str(&o), 1, o.len, f);
	fclose(f);
	assert_int_equal(json_dump_file(want, exp, JSON_ENSURE_ASCII), 0);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/unit/ical_check.py %s %s", ics, exp);
	int rc = system(cmd);
	unlink(ics);
	unlink(exp);
	json_decref(want);
	sb_free(&o);
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_for_dutch_excel),
		cmocka_unit_test(csv_streams_in_bounded_pieces),
		cmocka_unit_test(ical_amsterdam_offsets_follow_the_eu_rule),
		cmocka_unit_test(ical_escapes_and_folds_without_splitting_characters),
		cmocka_unit_test(ical_is_read_back_by_python_icalendar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
