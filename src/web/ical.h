/* ical.h — an iCalendar (RFC 5545) writer for calendar feeds of sessions
 * and events: a VCALENDAR with the VTIMEZONE of Europe/Amsterdam and one
 * VEVENT per event (UID, DTSTAMP, SEQUENCE, STATUS, DTSTART and DTEND in
 * Amsterdam time with TZID, SUMMARY, DESCRIPTION, LOCATION, URL). Text is
 * escaped as TEXT values are (\\ ; , and newlines), and every line is
 * folded at 75 octets without splitting a UTF-8 character.
 */
#ifndef OPENPLAN_ICAL_H
#define OPENPLAN_ICAL_H

#include <stdint.h>

#include "../util/sb.h"

typedef enum { ICAL_CONFIRMED, ICAL_TENTATIVE, ICAL_CANCELLED } ical_status;

typedef struct ical_event {
	const char *uid;         /* stable and globally unique: "session-12@openplan.example.nl" */
	int64_t     dtstamp;     /* when this version was made (UTC seconds): the last change */
	int         sequence;    /* raise on every change that matters to attendees */
	ical_status status;      /* a cancelled event stays in the feed as CANCELLED */
	int64_t     start, end;  /* UTC seconds; written as Amsterdam wall-clock time */
	const char *summary;     /* the following may be NULL: left out */
	const char *description;
	const char *location;
	const char *url;
} ical_event;

/* Opens the calendar: VERSION, PRODID ("-//openplan//NL"), CALSCALE,
 * METHOD:PUBLISH, X-WR-CALNAME when name is given, and the VTIMEZONE. */
void ical_begin(sb *out, const char *prodid, const char *name);
void ical_event_add(sb *out, const ical_event *e);
void ical_end(sb *out);

/* Amsterdam's offset from UTC at utc (3600 or 7200 seconds): the EU rule
 * in force since 1996, summer time from the last Sunday of March to the
 * last Sunday of October, 01:00 UTC. */
int  ical_amsterdam_offset(int64_t utc);

#endif
