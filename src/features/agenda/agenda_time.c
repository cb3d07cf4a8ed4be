/* agenda_time.c — Europe/Amsterdam wall-clock time and UTC seconds, both
 * ways, without the C library's time zone state (not thread-safe, and not
 * every machine has tzdata). The rule is the EU's, in force since 1996:
 * summer time (UTC+2) from the last Sunday of March 01:00 UTC to the last
 * Sunday of October 01:00 UTC, else UTC+1. Sessions before 1996 would get
 * today's rule; the platform's plans start in 2016.
 */
#include <stdio.h>
#include <string.h>

#include "agenda.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* The day (days since the epoch) of the last Sunday of month m. */
static int64_t last_sunday(int y, int m)
{
	int64_t last = days_from_civil(y, m, days_in_month(y, m));
	/* 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) % 7. */
	int64_t wd = ((last + 4) % 7 + 7) % 7;
	return last - wd;
}

/* Summer time holds at UTC seconds t? */
static bool summer(int64_t t)
{
	int y, m, d;
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	civil_from_days(day, &y, &m, &d);
	int64_t from = last_sunday(y, 3) * 86400 + 3600;
	int64_t to = last_sunday(y, 10) * 86400 + 3600;
	return t >= from && t < to;
}

void agenda_to_local(int64_t t, agenda_local *out)
{
	out->offset = summer(t) ? 7200 : 3600;
	int64_t l = t + out->offset;
	int64_t day = l >= 0 ? l / 86400 : (l - 86399) / 86400;
	int64_t sec = l - day * 86400;
	civil_from_days(day, &out->y, &out->m, &out->d);
	out->hh = (int)(sec / 3600);
	out->mm = (int)(sec % 3600 / 60);
	out->ss = (int)(sec % 60);
}

int agenda_from_local(int y, int m, int d, int hh, int mm, int64_t *out)
{
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) || hh < 0 ||
	    hh > 23 || mm < 0 || mm > 59)
		return -1;
	int64_t wall = days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60;
	/* Try summer time first: in the autumn's double hour it is the first. */
	int64_t t = wall - 7200;
	if (summer(t)) {
		*out = t;
		return 0;
	}
	t = wall - 3600;
	if (!summer(t)) {
		*out = t;
		return 0;
	}
	return -2; /* the hour the clocks skip */
}

static bool digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

int agenda_parse_local(const char *date, const char *time, int64_t *out)
{
	int y, m, d, hh, mm, ss = 0;
	if (!date || !time || strlen(date) != 10 || date[4] != '-' || date[7] != '-' ||
	    !digits(date, 4, &y) || !digits(date + 5, 2, &m) || !digits(date + 8, 2, &d))
		return -1;
	size_t tl = strlen(time);
	if ((tl != 5 && tl != 8) || time[2] != ':' || !digits(time, 2, &hh) || !digits(time + 3, 2, &mm))
		return -1;
	if (tl == 8 && (time[5] != ':' || !digits(time + 6, 2, &ss) || ss != 0))
		return -1;
	return agenda_from_local(y, m, d, hh, mm, out);
}

void agenda_local_date(int64_t t, char out[11])
{
	agenda_local l;
	agenda_to_local(t, &l);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)l.y % 10000u, (unsigned)l.m % 100u, (unsigned)l.d % 100u);
}

void agenda_local_time(int64_t t, char out[6])
{
	agenda_local l;
	agenda_to_local(t, &l);
	snprintf(out, 6, "%02u:%02u", (unsigned)l.hh % 100u, (unsigned)l.mm % 100u);
}

void agenda_iso(int64_t t, char out[26])
{
	agenda_local l;
	agenda_to_local(t, &l);
	snprintf(out, 26, "%04u-%02u-%02uT%02u:%02u:%02u+%02u:00", (unsigned)l.y % 10000u, (unsigned)l.m % 100u, (unsigned)l.d % 100u,
	         (unsigned)l.hh % 100u, (unsigned)l.mm % 100u, (unsigned)l.ss % 100u, (unsigned)l.offset / 3600u % 100u);
}
