/* monitor_rules.c — the rules of monitoring that need no server, so unit
 * tests check them alone: numbers as people type them (a comma or a point)
 * and as pages write them, calendar arithmetic, whether an indicator is on
 * track (the straight path from baseline to target), when its next
 * measurement is due, the forum's cadence against its own rule and the
 * OGP's minimum, and its composition rule. No store, no request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "monitor.h"

/* ---- numbers ---- */

bool monitor_number_parse(const char *s, char out[MONITOR_NUM_MAX])
{
	if (!s)
		return false;
	bool neg = false;
	if (*s == '-') {
		neg = true;
		s++;
	}
	char ip[24], fp[24];
	size_t ni = 0, nf = 0;
	while (*s >= '0' && *s <= '9') {
		if (ni >= 16)
			return false;
		ip[ni++] = *s++;
	}
	if (*s == ',' || *s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			if (nf >= 7)
				return false;
			fp[nf++] = *s++;
		}
		if (!nf)
			return false; /* "12," */
	}
	if (*s || (!ni && !nf))
		return false;
	/* leading zeros of the whole part, trailing zeros of the decimals */
	size_t i0 = 0;
	while (i0 < ni && ip[i0] == '0')
		i0++;
	while (nf && fp[nf - 1] == '0')
		nf--;
	size_t whole = ni - i0;
	if (nf > 6 || whole + nf > 15)
		return false;
	char *o = out;
	bool zero = !whole && !nf;
	if (neg && !zero)
		*o++ = '-';
	if (!whole)
		*o++ = '0';
	memcpy(o, ip + i0, whole);
	o += whole;
	if (nf) {
		*o++ = '.';
		memcpy(o, fp, nf);
		o += nf;
	}
	*o = '\0';
	return true;
}

double monitor_number_value(const char *canonical)
{
	char buf[MONITOR_NUM_MAX];
	if (!monitor_number_parse(canonical, buf))
		return 0;
	return strtod(buf, NULL); /* the C locale: openplan never calls setlocale */
}

void monitor_number_format(const char *canonical, const char *lang, char out[MONITOR_NUM_MAX])
{
	char c[MONITOR_NUM_MAX];
	if (!monitor_number_parse(canonical, c)) {
		snprintf(out, MONITOR_NUM_MAX, "%s", canonical ? canonical : "");
		return;
	}
	bool nl = !lang || strcmp(lang, "en") != 0;
	char group = nl ? '.' : ',', dec = nl ? ',' : '.';
	const char *p = c;
	char *o = out;
	if (*p == '-')
		*o++ = *p++;
	size_t whole = strcspn(p, ".");
	/* group thousands only from five digits on: "1000" reads better than "1.000" */
	bool grouped = whole > 4;
	for (size_t i = 0; i < whole; i++) {
		if (grouped && i && (whole - i) % 3 == 0)
			*o++ = group;
		*o++ = p[i];
	}
	if (p[whole] == '.') {
		*o++ = dec;
		strcpy(o, p + whole + 1);
	} else {
		*o = '\0';
	}
}

/* ---- dates ---- */

int64_t monitor_days(int ymd)
{
	/* days_from_civil (H. Hinnant) */
	int64_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_length(int y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : len[m - 1];
}

int monitor_add_months(int ymd, int months)
{
	int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	int len = month_length(y, m);
	return y * 10000 + m * 100 + (d > len ? len : d);
}

int monitor_today(void)
{
	int ymd;
	const char *pin = getenv("OPENPLAN_MONITOR_TODAY");
	if (pin && text_parse_date(pin, &ymd))
		return ymd;
	return act_today();
}

/* ---- indicators ---- */

const char *const monitor_frequencies[] = { "monthly", "quarterly", "half_yearly", "yearly",
	                                    NULL };
const char *const monitor_frequency_labels[] = { "Every month", "Every quarter",
	                                         "Every half year", "Every year", NULL };

int monitor_frequency_months(const char *code)
{
	static const int months[] = { 1, 3, 6, 12 };
	for (int i = 0; code && monitor_frequencies[i]; i++)
		if (!strcmp(code, monitor_frequencies[i]))
			return months[i];
	return 0;
}

const char *const monitor_track_codes[] = { "not_measured", "on_track", "off_track", "achieved",
	                                    NULL };
const char *const monitor_track_labels[] = { "Not measured yet", "On track", "Off track",
	                                     "Target reached", NULL };

double monitor_expected(const monitor_path *p, int ymd)
{
	int64_t b = monitor_days(p->base_ymd), t = monitor_days(p->target_ymd);
	int64_t d = monitor_days(ymd);
	if (d <= b || t <= b)
		return d >= t && t > b ? p->target : p->base;
	if (d >= t)
		return p->target;
	return p->base + (p->target - p->base) * (double)(d - b) / (double)(t - b);
}

static double absval(double v)
{
	return v < 0 ? -v : v;
}

/* a >= b in the better direction, with room for rounding: values are
 * decimals with at most 15 digits, the path is computed in doubles. */
static bool at_least(bool higher, double a, double b, double scale)
{
	double eps = 1e-9 * (scale > 1 ? scale : 1);
	return higher ? a >= b - eps : a <= b + eps;
}

monitor_track monitor_track_of(const monitor_path *p, bool measured, int ymd, double value)
{
	if (!measured)
		return MONITOR_NOT_MEASURED;
	double scale = absval(p->base) > absval(p->target) ? absval(p->base) : absval(p->target);
	if (at_least(p->higher, value, p->target, scale))
		return MONITOR_ACHIEVED;
	return at_least(p->higher, value, monitor_expected(p, ymd), scale) ? MONITOR_ON_TRACK
	                                                                     : MONITOR_OFF_TRACK;
}

int monitor_next_due(int last_ymd, int target_ymd, int months)
{
	if (months <= 0 || !last_ymd || !target_ymd || last_ymd >= target_ymd)
		return 0;
	int due = monitor_add_months(last_ymd, months);
	return due > target_ymd ? target_ymd : due;
}

/* ---- the forum ---- */

void monitor_cadence_of(int64_t last_day, int64_t next_day, int64_t today_day, int per_year,
                        monitor_cadence *out)
{
	if (per_year < 1)
		per_year = 1;
	memset(out, 0, sizeof *out);
	/* the longest gap: a year of 366 days shared out, rounded up (four a
	 * year: 92 days, the longest quarter) */
	out->rule_days = (366 + per_year - 1) / per_year;
	if (last_day < 0 && next_day < 0) {
		out->no_meetings = out->none_planned = true;
		out->rule_broken = out->ogp_broken = true;
		return;
	}
	out->none_planned = next_day < 0;
	int64_t from = last_day >= 0 ? last_day : today_day;
	int64_t to = next_day >= 0 ? next_day : today_day;
	int64_t gap = to > from ? to - from : 0;
	out->gap_days = gap > 100000 ? 100000 : (int)gap;
	out->rule_broken = out->gap_days > out->rule_days;
	out->ogp_broken = out->gap_days > MONITOR_OGP_MAX_DAYS;
}

bool monitor_composition_broken(int government, int total, int min_pct)
{
	if (total <= 0)
		return false;
	int others = total - government;
	return (long long)others * 100 < (long long)min_pct * total;
}

bool monitor_member_current(const char *from_on, const char *until_on, int today)
{
	int from, until;
	if (!text_parse_date(from_on, &from) || from > today)
		return false;
	return !until_on || !*until_on || (text_parse_date(until_on, &until) && until >= today);
}
