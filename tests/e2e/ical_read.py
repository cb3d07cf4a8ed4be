#!/usr/bin/python3
# ical_read.py — reads an iCalendar file on standard input with a real
# parser (Debian's python3-icalendar) and prints what the tests check, as
# JSON: the calendar's name and time zones, and per event its UID, SEQUENCE,
# STATUS, SUMMARY, LOCATION, URL and DTSTART/DTEND as UTC ISO times with the
# TZID they were written in. A file the parser refuses exits 1.
import json, sys
from datetime import timezone
from icalendar import Calendar

cal = Calendar.from_ical(sys.stdin.buffer.read())
def when(p):
    v = p.dt
    return {"utc": v.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tzid": p.params.get("TZID", "")}
events = []
for e in cal.walk("VEVENT"):
    events.append({
        "uid": str(e.get("UID")), "sequence": int(e.get("SEQUENCE", 0)),
        "status": str(e.get("STATUS", "")), "summary": str(e.get("SUMMARY", "")),
        "location": str(e.get("LOCATION", "")), "url": str(e.get("URL", "")),
        "description": str(e.get("DESCRIPTION", "")),
        "dtstamp": e.decoded("DTSTAMP").strftime("%Y%m%dT%H%M%SZ"),
        "start": when(e["DTSTART"]), "end": when(e["DTEND"]),
    })
print(json.dumps({
    "version": str(cal.get("VERSION")), "prodid": str(cal.get("PRODID")),
    "name": str(cal.get("X-WR-CALNAME", "")),
    "timezones": [str(t.get("TZID")) for t in cal.walk("VTIMEZONE")],
    "events": events,
}))
