"""Each offer's calendar (kalender.ics) parsed with PyPI icalendar: one event per run still to come, times in
Europe/Oslo, the offer's page as URL, and a link to it on the page."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

try:
    import icalendar
except ImportError:  # a missing validator fails the suite rather than skipping it
    pytest.fail("PyPI icalendar is needed: run e2e/setup.sh feed", pytrace=False)

OSLO = ZoneInfo("Europe/Oslo")


def test_every_calendar_parses_and_matches_its_offer(site):
    files = sorted(site.root.glob("tilbud/*/*/kalender.ics"))
    assert len(files) >= 10, "the bundled catalog has dated courses"
    today = datetime.date(2026, 11, 27)
    for path in files:
        raw = path.read_bytes()
        assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n")), path
        cal = icalendar.Calendar.from_ical(raw)
        assert cal["VERSION"] == "2.0"
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
        provider, slug = path.parts[-3], path.parts[-2]
        doc = site.json(f"api/v1/offers/{provider}/{slug}.json")
        events = cal.walk("VEVENT")
        upcoming = [r for r in doc["schedule"] if (r.get("end") or r["start"])[:10] >= today.isoformat()]
        # One event per run, or one per time of day of a run with weekly times.
        assert len(events) >= len(upcoming) > 0, path
        uids = [str(e["UID"]) for e in events]
        assert len(set(uids)) == len(uids)
        for e in events:
            assert str(e["URL"]) == doc["url"]
            assert str(e["SUMMARY"]) == doc["title"]
            start = e["DTSTART"].dt
            if isinstance(start, datetime.datetime):
                assert start.tzinfo is not None and start.utcoffset() == start.astimezone(OSLO).utcoffset(), path
        page = site.url_to_path(doc["url"]).read_text(encoding="utf-8")
        assert f'href="/tilbud/{provider}/{slug}/kalender.ics"' in page


def test_weekly_times_keep_their_local_time_across_the_change_to_summer_time(site):
    """A weekly session at 18:00 stays at 18:00 in Oslo before and after the last Sunday of March."""
    checked = 0
    for path in sorted(site.root.glob("tilbud/*/*/kalender.ics")):
        for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            if "RRULE" not in e or not isinstance(e["DTSTART"].dt, datetime.datetime):
                continue
            start = e["DTSTART"].dt
            assert start.tzinfo is not None
            assert re.fullmatch(r"\d{2}:\d{2}:00", start.strftime("%H:%M:%S"))
            checked += 1
    assert checked > 0, "the bundled catalog has weekly sessions"
