/* ical.c — the iCalendar writer behind ical.h. Each content line is built
 * whole, then folded into the output (RFC 5545 3.1: lines of at most 75
 * octets, continued on lines that start with a space). Times are converted
 * to Amsterdam time here, by the EU rule (web_amsterdam_offset in date.c),
 * so the output does not depend on the server's time zone or tz database.
 */
#include "ical.h"
#include "web.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char vtimezone[] =
	"BEGIN:VTIMEZONE\r\n"
	"TZID:Europe/Amsterdam\r\n"
	"X-LIC-LOCATION:Europe/Amsterdam\r\n"
	"BEGIN:DAYLIGHT\r\n"
	"TZOFFSETFROM:+0100\r\n"
	"TZOFFSETTO:+0200\r\n"
	"TZNAME:CEST\r\n"
	"DTSTART:19700329T020000\r\n"
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
	"END:DAYLIGHT\r\n"
	"BEGIN:STANDARD\r\n"
	"TZOFFSETFROM:+0200\r\n"
	"TZOFFSETTO:+0100\r\n"
	"TZNAME:CET\r\n"
	"DTSTART:19701025T030000\r\n"
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
	"END:STANDARD\r\n"
	"END:VTIMEZONE\r\n";

int ical_amsterdam_offset(int64_t utc)
{
	return web_amsterdam_offset(utc);
}

/* Appends the content line line[0..n) folded, with CR LF. */
static void fold(sb *out, const char *line, size_t n)
{
	size_t room = 75;
	while (n > room) {
		size_t cut = room;
		/* Never inside a UTF-8 character: back up over continuation
		 * bytes (at most three; beyond that the text is not UTF-8). */
		for (int k = 0; k < 3 && cut > 1 && ((unsigned char)line[cut] & 0xC0) == 0x80; k++)
			cut--;
		sb_append(out, line, cut);
		sb_append(out, "\r\n ", 3);
		line += cut;
		n -= cut;
		room = 74; /* the leading space counts */
	}
	sb_append(out, line, n);
	sb_append(out, "\r\n", 2);
}

/* Appends s as a TEXT value: \\ \; \, and \n; other control characters
 * (which TEXT may not hold) are left out. */
static void text_value(sb *l, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '\\': sb_puts(l, "\\\\"); break;
		case ';': sb_puts(l, "\\;"); break;
		case ',': sb_puts(l, "\\,"); break;
		case '\n': sb_puts(l, "\\n"); break;
		case '\r':
			if (s[1] != '\n')
				sb_puts(l, "\\n");
			break;
		default:
			if ((c < 0x20 && c != '\t') || c == 0x7F)
				break;
			sb_putc(l, (char)c);
		}
	}
}

static void prop_text(sb *out, const char *name, const char *value)
{
	if (!value)
		return;
	sb l;
	sb_init(&l);
	sb_puts(&l, name);
	sb_putc(&l, ':');
	text_value(&l, value);
	fold(out, sb_str(&l), l.len);
	if (sb_failed(&l))
		out->failed = true;
	sb_free(&l);
}

static void utc_stamp(char buf[20], int64_t utc)
{
	time_t t = (time_t)utc;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 20, "%Y%m%dT%H%M%SZ", &tm);
}

/* Writes a time as Amsterdam wall-clock time with TZID; a time in the hour
 * that repeats when summer time ends is written in UTC instead, since its
 * wall-clock time names two moments and readers disagree on which. */
static void local_time(sb *out, const char *name, int64_t utc)
{
	int off = ical_amsterdam_offset(utc);
	if ((off == 7200 && ical_amsterdam_offset(utc + 3600) == 3600) ||
	    (off == 3600 && ical_amsterdam_offset(utc - 3600) == 7200)) {
		char z[20];
		utc_stamp(z, utc);
		sb_printf(out, "%s:%s\r\n", name, z);
		return;
	}
	time_t t = (time_t)(utc + off);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[20];
	strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
	sb_printf(out, "%s;TZID=Europe/Amsterdam:%s\r\n", name, buf);
}

void ical_begin(sb *out, const char *prodid, const char *name)
{
	sb_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	prop_text(out, "PRODID", prodid ? prodid : "-//openplan//NL");
	sb_puts(out, "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	prop_text(out, "X-WR-CALNAME", name);
	prop_text(out, "X-WR-TIMEZONE", "Europe/Amsterdam");
	sb_puts(out, vtimezone);
}

void ical_event_add(sb *out, const ical_event *e)
{
	static const char *const status[] = { "CONFIRMED", "TENTATIVE", "CANCELLED" };
	char stamp[20];
	sb_puts(out, "BEGIN:VEVENT\r\n");
	prop_text(out, "UID", e->uid ? e->uid : "");
	utc_stamp(stamp, e->dtstamp);
	sb_printf(out, "DTSTAMP:%s\r\n", stamp);
	sb_printf(out, "SEQUENCE:%d\r\n", e->sequence < 0 ? 0 : e->sequence);
	sb_printf(out, "STATUS:%s\r\n", status[(unsigned)e->status <= ICAL_CANCELLED ? e->status : 0]);
	local_time(out, "DTSTART", e->start);
	local_time(out, "DTEND", e->end > e->start ? e->end : e->start);
	prop_text(out, "SUMMARY", e->summary);
	prop_text(out, "DESCRIPTION", e->description);
	prop_text(out, "LOCATION", e->location);
	if (e->url && *e->url) {
		/* A URI, not TEXT: only printable ASCII is written; others end it. */
		sb l;
		sb_init(&l);
		sb_puts(&l, "URL:");
		for (const char *p = e->url; *p > 0x20 && *p < 0x7F; p++)
			sb_putc(&l, *p);
		fold(out, sb_str(&l), l.len);
		sb_free(&l);
	}
	sb_puts(out, "END:VEVENT\r\n");
}

void ical_end(sb *out)
{
	sb_puts(out, "END:VCALENDAR\r\n");
}
