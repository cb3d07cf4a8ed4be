#!/usr/bin/python3
"""ical_check.py — reads a calendar written by src/web/ical.c with a real
iCalendar parser (Debian's python3-icalendar) and compares every event with
what the C test meant to write (a JSON file), field by field. Also checks
that the VTIMEZONE, turned into a Python tzinfo, agrees with the system's
Europe/Amsterdam zone, and that every line has at most 75 octets and is
valid UTF-8 on its own. Usage: ical_check.py FILE.ics EXPECTED.json
Prints "ok" and exits 0, or the first difference and exits 1."""
import datetime
import json
import sys

import icalendar

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover
    ZoneInfo = None


def fail(msg):
    print("ical_check: " + msg)
    sys.exit(1)


raw = open(sys.argv[1], "rb").read()
want = json.load(open(sys.argv[2], encoding="utf-8"))
if not raw.endswith(b"\r\n"):
    fail("does not end with CR LF")
for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
    if len(line) > 75:
        fail("line %d has %d octets" % (n, len(line)))
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        fail("line %d splits a UTF-8 character" % n)
    if b"\n" in line or b"\r" in line:
        fail("line %d holds a bare line break" % n)

cal = icalendar.Calendar.from_ical(raw)
if str(cal.get("VERSION")) != "2.0":
    fail("VERSION is not 2.0")
events = [c for c in cal.walk("VEVENT")]
tzs = [c for c in cal.walk("VTIMEZONE")]
if len(tzs) != 1 or str(tzs[0]["TZID"]) != "Europe/Amsterdam":
    fail("expected one VTIMEZONE Europe/Amsterdam")
if len(events) != len(want):
    fail("%d events, expected %d" % (len(events), len(want)))

# The VTIMEZONE as a tzinfo must agree with the tz database.
mytz = tzs[0].to_tz()
if ZoneInfo is not None:
    ams = ZoneInfo("Europe/Amsterdam")
    t = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    while t.year < 2037:  # icalendar expands the RRULEs up to 2037
        mine, theirs = t.astimezone(mytz).utcoffset(), t.astimezone(ams).utcoffset()
        if mine != theirs:
            fail("VTIMEZONE offset %s at %s UTC, tz database %s" % (mine, t, theirs))
        t += datetime.timedelta(hours=61)


def epoch(v):
    d = v.dt
    if d.tzinfo is None:
        fail("a time without time zone: %r" % d)
    return int(d.timestamp())


for ev, w in zip(events, want):
    checks = [
        ("UID", str(ev.get("UID")), w["uid"]),
        ("SEQUENCE", int(ev.get("SEQUENCE")), w["sequence"]),
        ("STATUS", str(ev.get("STATUS")), w["status"]),
        ("DTSTAMP", epoch(ev.get("DTSTAMP")), w["dtstamp"]),
        ("DTSTART", epoch(ev.get("DTSTART")), w["start"]),
        ("DTEND", epoch(ev.get("DTEND")), w["end"]),
    ]
    if w.get("utc"):  # in the repeated hour: written in UTC
        checks.append(("DTSTART in UTC", ev.get("DTSTART").dt.utcoffset(), datetime.timedelta(0)))
    else:
        checks.append(("DTSTART TZID", ev.get("DTSTART").params.get("TZID"), "Europe/Amsterdam"))
    for key in ("summary", "description", "location", "url"):
        if key in w:
            checks.append((key.upper(), str(ev.get(key.upper())), w[key]))
    if "local_start" in w:
        checks.append(("local DTSTART", ev.get("DTSTART").dt.strftime("%Y-%m-%d %H:%M"), w["local_start"]))
    for name, got, exp in checks:
        if got != exp:
            fail("%s of %s: got %r, expected %r" % (name, w["uid"], got, exp))
print("ok")
