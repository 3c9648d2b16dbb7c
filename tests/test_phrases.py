"""The phrase catalogs: current with the code, CLDR formatting, plurals, fallbacks."""

from __future__ import annotations

from kickback_export.content import catalogs
from kickback_export.content.phrases import phrases


def test_catalogs_are_current() -> None:
    """Every marked message is in every catalog (run the module without --check to fix)."""
    assert catalogs.main(["--check"]) == 0


def test_numbers_durations_and_lists_follow_cldr() -> None:
    en, de = phrases("en"), phrases("de")
    assert en.number(1.5) == "1.5" and de.number(1.5) == "1,5"
    assert en.number(3.0) == "3"
    assert en.seconds(1) == "1 second" and en.seconds(45) == "45 seconds"
    assert de.seconds(45) == "45 Sekunden"
    assert en.join(["a", "b"]) == "a and b" and de.join(["a", "b"]) == "a und b"
    assert en.seconds(2, short=True) == "2\u00a0s"


def test_plurals_use_the_catalog_rule() -> None:
    en = phrases("en")
    assert en.ngettext("{n} set", "{n} sets", 1) == "1 set"
    assert en.ngettext("{n} set", "{n} sets", 3) == "3 sets"
    assert en.ngettext("{n} set", "{n} sets", 1.5) == "1.5 sets"


def test_unknown_language_falls_back_to_english_words() -> None:
    ph = phrases("sw-KE")
    assert ph._("Tips") == "Tips"
    assert ph.number(2.5) == "2.5"  # Swahili CLDR: a point, as in English


def test_values_are_inserted_not_parsed() -> None:
    en = phrases("en")
    assert en._("Rest: {time} between sets", time="{0.__class__} {x}") == (
        "Rest: {0.__class__} {x} between sets"
    )
