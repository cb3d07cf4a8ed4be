/* date.c — dates and times as pages show them, always in Europe/Amsterdam:
 * "3 september 2020" in Dutch, "3 September 2020" in English from the
 * "YYYY-MM-DD" the store keeps; a moment (UTC seconds) as the Amsterdam
 * wall-clock date and time, with summer time by the EU rule, so a page
 * never depends on the server's time zone or its tz database.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../util/text.h"
#include "web.h"

static const char *const months_nl[] = { "januari", "februari", "maart", "april", "mei", "juni",
	                                 "juli", "augustus", "september", "oktober", "november",
	                                 "december" };
static const char *const months_en[] = { "January", "February", "March", "April", "May", "June",
	                                 "July", "August", "September", "October", "November",
	                                 "December" };

static const char *const *months(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? months_en : months_nl;
}

const char *web_date(arena *a, const char *lang, const char *ymd)
{
	int v;
	if (!ymd || !text_parse_date(ymd, &v))
		return "";
	const char *s = arena_printf(a, "%d %s %d", v % 100, months(lang)[(v / 100) % 100 - 1],
	                             v / 10000);
	return s ? s : "";
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* 01:00 UTC on the last Sunday of month m (March or October: 31 days). */
static int64_t last_sunday_0100(int64_t y, unsigned m)
{
	int64_t d31 = days_from_civil(y, m, 31);
	int64_t dow = ((d31 % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday (4); Sunday = 0 */
	return (d31 - dow) * 86400 + 3600;
}

int web_amsterdam_offset(int64_t utc)
{
	time_t t = (time_t)utc;
	struct tm tm;
	gmtime_r(&t, &tm);
	int64_t y = (int64_t)tm.tm_year + 1900;
	return utc >= last_sunday_0100(y, 3) && utc < last_sunday_0100(y, 10) ? 7200 : 3600;
}

/* The Amsterdam wall-clock fields of utc. */
static void amsterdam_tm(int64_t utc, struct tm *tm)
{
	time_t t = (time_t)(utc + web_amsterdam_offset(utc));
	gmtime_r(&t, tm);
}

void web_amsterdam_ymd(int64_t utc, char out[11])
{
	struct tm tm;
	amsterdam_tm(utc, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int web_amsterdam_today(void)
{
	struct tm tm;
	amsterdam_tm((int64_t)time(NULL), &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

const char *web_datetime(arena *a, const char *lang, int64_t utc)
{
	struct tm tm;
	amsterdam_tm(utc, &tm);
	bool en = lang && strcmp(lang, "en") == 0;
	/* Dutch as the government writes it: "3 september 2020, 14.05 uur". */
	const char *s = en ? arena_printf(a, "%d %s %d, %02d:%02d", tm.tm_mday, months_en[tm.tm_mon],
	                                  tm.tm_year + 1900, tm.tm_hour, tm.tm_min)
	                   : arena_printf(a, "%d %s %d, %02d.%02d uur", tm.tm_mday,
	                                  months_nl[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
	                                  tm.tm_min);
	return s ? s : "";
}

const char *web_datetime_iso(arena *a, int64_t utc)
{
	struct tm tm;
	amsterdam_tm(utc, &tm);
	int off = web_amsterdam_offset(utc) / 3600;
	const char *s = arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00", tm.tm_year + 1900,
	                             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off);
	return s ? s : "";
}
