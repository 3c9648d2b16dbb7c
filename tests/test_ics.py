"""A program's schedule as iCalendar, parsed back with ``icalendar``.

The sample program is built once from a fixed Monday (the command line) and its
calendar read: one event per training day on the dates of the rule
(docs/watch-and-calendar.md), each lasting its workout's planned length, titled and
described in the document's language, with UIDs that a rebuild (or another start date)
keeps. Other programs, start dates and languages are small documents of the test's own.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from icalendar import Calendar
from same import same
from workouts import resolved_program, resolved_workout, write_yaml

from kickback_export.content.text import text_of
from kickback_export.content.workout_list import workout_text
from kickback_export.document.targets import week_workout
from kickback_export.engines.calendar.dates import day_date, next_monday, start_date
from kickback_export.engines.calendar.ics import calendar, uid
from kickback_export.exporters.ics import IcsExporter
from kickback_export.registry import Options

from conftest import ROOT
from conftest import cli as run

SOURCE = ROOT / "source"
START = date(2025, 3, 3)  # a Monday


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ics") / "out"
    proc = run("build", "source", "-o", str(out), "-f", "ics", "-q", "-j", "1",
               "--start-date", START.isoformat())
    assert proc.returncode == 0, proc.stderr
    return out


def events(data: bytes) -> list[Any]:
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"])
    return list(cal.walk("VEVENT"))


def test_one_event_per_training_day_on_the_rule_s_dates(built: Path) -> None:
    program = resolved_program(SOURCE / "glute-program.yaml")
    found = events((built / "glute-program" / "glute-program.ics").read_bytes())
    assert [e.decoded("DTSTART") for e in found] == [
        datetime.combine(START + timedelta(weeks=w, days=d), time(18))
        for w in range(4) for d in (0, 3)]  # Monday and Thursday of each week
    assert [e.decoded("DURATION") for e in found] == [  # as each week does the workout
        timedelta(minutes=week_workout(program.workouts[i], w, program.progression
                                       ).plan.minutes)
        for w in range(1, 5) for i in ("thrust-day", "squat-day")]
    assert found[3]["SUMMARY"] == "Squat day — week 2"
    assert found[3]["SUMMARY"].params["LANGUAGE"] == "en"
    assert len({str(e["UID"]) for e in found}) == 8
    assert all(e.decoded("DTSTAMP").tzinfo is not None for e in found)  # RFC 5545: UTC


def test_the_description_lists_exercises_doses_and_the_week_s_notes(built: Path) -> None:
    program = resolved_program(SOURCE / "glute-program.yaml")
    found = events((built / "glute-program" / "glute-program.ics").read_bytes())
    text = str(found[2]["DESCRIPTION"])  # week 2, Monday: thrust day
    sheet = workout_text(week_workout(program.workouts["thrust-day"], 2, program.progression))
    assert text.startswith(sheet.length)
    for group in sheet.blocks:
        for row in group.rows:
            assert row.name in text and row.dose in text
    said = " ".join(text.split())  # no-break spaces as spaces
    assert "3 × 10 reps" in said and "Load: 65 kg" in said  # week 2's targets
    assert "Load: medium band" in said
    assert program.program.weeks[1].notes[0] in text
    assert program.program.weeks[0].notes[0] not in text
    assert "Notes for week 2" in text


def test_uids_are_stable_across_builds_and_start_dates(built: Path, tmp_path: Path) -> None:
    first = (built / "glute-program" / "glute-program.ics").read_bytes()
    proc = run("build", "source", "-o", str(tmp_path / "a"), "-f", "ics", "-q",
               "--start-date", START.isoformat())
    assert proc.returncode == 0, proc.stderr
    assert same(tmp_path / "a" / "glute-program" / "glute-program.ics", first)
    proc = run("build", "source", "-o", str(tmp_path / "b"), "-f", "ics", "-q",
               "--start-date", "2025-04-07", "--start-time", "07:30")
    assert proc.returncode == 0, proc.stderr
    later = events((tmp_path / "b" / "glute-program" / "glute-program.ics").read_bytes())
    assert [str(e["UID"]) for e in later] == [str(e["UID"]) for e in events(first)]
    assert later[0].decoded("DTSTART") == datetime(2025, 4, 7, 7, 30)
    assert str(later[0]["UID"]) == uid("glute-program", 1, 1)


def test_the_file_keeps_rfc_5545_lines(built: Path) -> None:
    raw = (built / "glute-program" / "glute-program.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75  # octets, folded
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")


def test_workouts_and_exercises_have_no_calendar(built: Path) -> None:
    assert [p.relative_to(built).as_posix() for p in built.rglob("*.ics")] == [
        "glute-program/glute-program.ics"]
    text = text_of(resolved_workout(SOURCE / "glute-day.yaml"))
    assert not IcsExporter.accepts(text)


# --- dates ----------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "names"), [
    ("en", ["Monday", "wednesday", "Fri"]),
    ("de", ["Montag", "Mittwoch", "Fr"]),
    ("fr", ["lundi", "Mercredi", "ven."]),
    ("es", ["lunes", "miércoles", "vie"]),
])
def test_weekday_names_in_the_document_s_language(language: str, names: list[str]) -> None:
    locale = Locale.parse(language)
    assert [day_date(START, 2, k, n, locale) for k, n in enumerate(names, 1)] == [
        date(2025, 3, 10), date(2025, 3, 12), date(2025, 3, 14)]


def test_days_without_a_weekday_and_a_start_mid_week() -> None:
    en = Locale.parse("en")
    assert [day_date(START, 1, k, n, en) for k, n in ((1, None), (2, "Day 2"), (3, "Legs"))] \
        == [date(2025, 3, 3), date(2025, 3, 4), date(2025, 3, 5)]
    wednesday = date(2025, 3, 5)
    assert day_date(wednesday, 1, 1, "Monday", en) == date(2025, 3, 10)  # never before
    assert day_date(wednesday, 1, 2, "Wednesday", en) == wednesday
    assert day_date(wednesday, 2, 3, None, en) == date(2025, 3, 14)
    assert day_date(START, 1, 1, "Montag", en) == START  # another language's name: its place


def test_next_monday_and_bad_dates() -> None:
    assert next_monday(date(2025, 3, 3)) == date(2025, 3, 10)  # a Monday: the next one
    assert next_monday(date(2025, 3, 9)) == date(2025, 3, 10)
    assert start_date("2025-03-03") == START
    with pytest.raises(ValueError, match="is not a date like"):
        start_date("2025-13-40")
    option = next(o for o in IcsExporter.options if o.name == "start-date")
    default = date.fromisoformat(option.default)  # worked out when the module was loaded
    assert default.weekday() == 0 and 0 < (default - date.today()).days <= 7


@pytest.mark.parametrize(("option", "value"), [("--start-date", "next week"),
                                               ("--start-date", "2025-02-30"),
                                               ("--start-time", "25:00")])
def test_a_bad_option_is_one_line_and_exit_2(option: str, value: str, tmp_path: Path) -> None:
    proc = run("build", "source/glute-program.yaml", "-o", str(tmp_path), "-f", "ics",
               option, value)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{option}: "), proc.stderr
    assert not list(tmp_path.rglob("*.ics"))


# --- other programs ----------------------------------------------------------------------


def test_a_german_program_reads_in_german(tmp_path: Path) -> None:
    kick = "resistance-band-one-leg-kickback-bent-position-de"
    write_yaml(tmp_path / "po-tag.yaml", {
        "kind": "workout", "id": "po-tag", "name": "Po-Tag", "language": "de",
        "summary": "Kurz.", "blocks": [{"exercise": kick}]})
    write_yaml(tmp_path / "plan.yaml", {
        "kind": "program", "id": "po-plan", "name": "Zwei Wochen Po", "language": "de",
        "summary": "Zwei Wochen.",
        "weeks": [{"notes": ["Leichtes Band."],
                   "days": [{"name": "Dienstag", "workout": "po-tag"},
                            {"name": "Mittwoch", "note": "Spazieren gehen."},
                            {"name": "Donnerstag", "workout": "po-tag", "note": "Langsam."}]}
                  for _ in range(2)]})
    program = resolved_program(tmp_path / "plan.yaml", tmp_path, SOURCE)
    found = events(calendar(text_of(program), START, time(6, 45)))
    assert [e.decoded("DTSTART") for e in found] == [
        datetime(2025, 3, 4, 6, 45), datetime(2025, 3, 6, 6, 45),
        datetime(2025, 3, 11, 6, 45), datetime(2025, 3, 13, 6, 45)]  # no rest-day event
    assert [str(e["SUMMARY"]) for e in found][:2] == ["Po-Tag — Woche 1"] * 2
    text = str(found[1]["DESCRIPTION"])
    assert found[1]["DESCRIPTION"].params["LANGUAGE"] == "de"
    assert "Notiz: Langsam." in text and "Leichtes Band." in text
    assert "Einbeiniger Kickback mit Widerstandsband (vorgebeugt)" in text
    assert "Pause" in text or "Satz" in text or "Wdh" in text
    assert "week" not in text.casefold() and "Rest" not in text


def test_the_exporter_writes_the_file_with_its_media_type(tmp_path: Path) -> None:
    program = resolved_program(SOURCE / "glute-program.yaml")
    (output,) = IcsExporter().export(text_of(program), tmp_path,
                                     Options({"start_date": "2025-03-05"}))
    assert output.media_type == "text/calendar" and output.path.name == "glute-program.ics"
    first = events(output.path.read_bytes())[0]
    assert first.decoded("DTSTART") == datetime(2025, 3, 10, 18)  # its Monday, after the start
