"""Every word a program's progression adds is a catalog message: in a pseudo-locale (each
message wrapped and accented, tests/test_pseudo_locale.py) no English catalog message is
left in its page (the e-book's plan, the web page, large print, braille), its sheet's
pages or its guides' sentences, and the progression's own words are there; numbers and
units in German follow CLDR."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kickback_export.content.phrases import ENV, phrases
from kickback_export.content.text import Heading, Items, Para, Table, text_of, walk
from kickback_export.content.timeline import TimelineOptions
from kickback_export.document.loader import parse_loaded
from kickback_export.document.resolve import resolve_all

from test_pseudo_locale import DOCUMENT, english_messages, fragments, pseudo, write_pseudo_catalog

LANG = "en-XQ"  # a tag of this test's own: phrases are cached per language


def _docs(athlete: bool) -> list[Any]:
    rx = DOCUMENT["prescription"]
    exercises = [{**DOCUMENT, "id": f"zorb-{k}", "name": f"Zorb {k}", "language": LANG,
                  "prescription": {**rx, "sides": "none" if k != "b" else "both"}}
                 for k in "abc"]
    workout = {"kind": "workout", "id": "plib-day", "name": "Plib", "language": LANG,
               "summary": "Wemb.", "blocks": [{"exercise": f"zorb-{k}"} for k in "abc"]}
    program = {
        "kind": "program", "id": "flenk", "name": "Flenk", "language": LANG,
        "summary": "Drib vonk.", "bands": ["vorp", "zib", "quon"], "deload": [3],
        "progression": [
            {"exercise": "zorb-a", "implement": "barbell", "load": {"start": 40, "step": 5},
             "rir": [2, 1, 3]},
            {"exercise": "zorb-b", "band": ["vorp", "zib", "vorp"], "sets": 1},
            {"exercise": "zorb-c", "percent": [60, 70, 50],
             "reps": {"range": [2, 4], "step": 1}},
        ],
        "weeks": [{"notes": ["Krob."], "days": [{"name": "Plonkday", "workout": "plib-day"}]}
                  for _ in range(3)]}
    docs: list[Any] = [*exercises, workout, program]
    if athlete:
        docs.append({"kind": "athlete", "id": "quib", "name": "Quib",
                     "training_max": {"zorb-c": 30}})
    return [parse_loaded(yaml.safe_dump(d, allow_unicode=True), f"{d['id']}.yaml")
            for d in docs]


def _texts(athlete: bool) -> list[str]:
    loaded = _docs(athlete)
    inputs = [d for d in loaded if d.document.id == "quib"]
    resolution = resolve_all([d for d in loaded if d not in inputs], inputs)
    assert resolution.problems == []
    text = text_of(resolution.documents["flenk"])
    out = [text.title]
    for block in walk(text.page):
        if isinstance(block, Table):
            out += [block.caption, *(c.text for row in (block.head, *block.rows) for c in row)]
        elif isinstance(block, Items):
            out += [f"{i.title} {i.text}" for i in block.items]
        elif isinstance(block, Para | Heading):
            out.append(block.text)
    out += [*text.sheets.lines, *text.book.words.values()]
    for page in text.sheets.pages:
        out += [page.name, *page.notes, *page.log,
                *(t for g in page.groups for r in g.rows for t in (r.load, *r.targets))]
    for guide in text.guides:
        out += [guide.title, *guide.script.texts(TimelineOptions())]
    return out


@pytest.mark.parametrize("athlete", [False, True])
def test_the_progression_s_words_are_the_catalog_s(
        athlete: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_pseudo_catalog(tmp_path / "locales", "en_XQ")
    monkeypatch.setenv(ENV, str(tmp_path / "locales"))
    phrases.cache_clear()
    try:
        text = "\n".join(_texts(athlete))
    finally:
        phrases.cache_clear()
    leaks = {(fragment, message) for message in english_messages()
             for fragment in fragments(message)
             if re.search(r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])", text)}
    assert not leaks, sorted(leaks)
    for message, values in (("Progression", {}), ("Targets for week {n}", {"n": 2}),
                            ("{load} in week 1, then {step} a week", None),
                            ("Week {n}, {day}.", {"n": 1, "day": "Plonkday"}),
                            ("Deload week: fewer sets.", {}), ("{band} band", {"band": "zib"})):
        wanted = pseudo(message)
        if values is None:
            assert wanted.split("{")[-1].split("}")[-1] in text, message
        else:
            assert wanted.format(**values) in text, message
    if athlete:
        assert pseudo("For {name}").format(name="Quib") in text
    else:
        assert pseudo("{percent} TM").format(percent="60%") in text


def test_numbers_and_units_follow_the_language() -> None:
    de, fr, en = phrases("de"), phrases("fr"), phrases("en")
    assert en.mass(47.5, "kg") == "47.5 kilograms" and en.mass(1, "lb") == "1 pound"
    assert en.mass(47.5, "kg", short=True) == "47.5\u00a0kg"
    assert de.mass(47.5, "kg", short=True) == "47,5\u00a0kg"
    assert de.mass(2.5, "lb") == "2,5 Pfund"
    assert fr.mass(20, "kg") == "20\u00a0kilogrammes"
    assert fr.mass(20, "kg", short=True) == "20\u00a0kg"  # no narrow space: braille reads it
    assert en.percent(72.5) == "72.5%" and de.percent(70) == "70\u00a0%"
