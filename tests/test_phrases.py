"""The phrase catalogs: current with the code, CLDR formatting, plurals, fallbacks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kickback_export import Exercise
from kickback_export.content import catalogs
from kickback_export.content.phrases import DOMAIN, phrases


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


# --- the catalogs are complete --------------------------------------------------------------

LANGUAGES = ("de", "es", "fr")


def test_every_language_catalog_is_complete() -> None:
    """No message missing, untranslated or stale, and every translation keeps its fields."""
    assert set(LANGUAGES) <= set(catalogs.languages())
    pot = catalogs.template()
    for language in catalogs.languages():
        path = catalogs.LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        assert catalogs.problems(path, pot) == [], language


def _broken_catalog(tmp_path: Path) -> Path:
    """The German catalog with one defect of each kind the check must find."""
    from babel.messages.pofile import read_po, write_po

    source = catalogs.LOCALES / "de" / "LC_MESSAGES" / f"{DOMAIN}.po"
    with open(source, "rb") as fh:
        catalog = read_po(fh, locale="de", domain=DOMAIN)
    catalog.delete("Sets")  # missing
    catalog["Tips"].string = ""  # untranslated
    catalog["Cues"].flags.add("fuzzy")  # not used at run time: untranslated
    catalog["Rest for {time}."].string = "{zeit} Pause."  # a renamed field
    catalog["Step {n}."].string = "Schritt {n."  # not a template
    catalog[("{n} set", "{n} sets")].string = ("{n} Satz", "")  # a plural form left empty
    catalog[("{n} rep", "{n} reps")].string = ("{n} Wiederholung",)  # a plural form short
    catalog.add("Gone", "Weg")  # stale: the code no longer has it
    path = tmp_path / "de" / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as fh:
        write_po(fh, catalog)
    return path


def test_the_completeness_check_finds_every_defect(tmp_path: Path) -> None:
    found = catalogs.problems(_broken_catalog(tmp_path), catalogs.template())
    text = "\n".join(found)
    for expected in ("missing 'Sets'", "untranslated 'Tips'", "untranslated 'Cues'",
                     "stale 'Gone'", "untranslated '{n} set'",
                     "'Rest for {time}.' translated as '{zeit} Pause.': fields ['zeit']",
                     "'Step {n}.' translated as 'Schritt {n.': fields no valid template",
                     "untranslated '{n} rep'"):
        assert expected in text, text
    assert len(found) == 8, text
    assert all(line.startswith(f"{tmp_path}/de/LC_MESSAGES/{DOMAIN}.po: ") for line in found)


def test_check_command_fails_on_an_incomplete_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _broken_catalog(tmp_path)
    monkeypatch.setattr(catalogs, "LOCALES", tmp_path)
    assert catalogs.main(["--check"]) == 1
    assert "missing 'Sets'" in capsys.readouterr().err


def test_the_limb_is_the_language_s_word_for_leg_unless_given(
    seed_data: dict[str, Any], make_doc: Callable[..., Exercise]
) -> None:
    from kickback_export.content import prescription

    rx = {k: v for k, v in seed_data["prescription"].items() if k != "limb"}
    for language, word in (("en", "leg"), ("de", "Bein"), ("es", "pierna")):
        doc = make_doc(language=language, prescription=rx)
        assert doc.prescription is not None and doc.prescription.limb is None
        said = prescription.switch_cue(doc.prescription, phrases(language), "right")
        assert word in said.rstrip(".").split(), said
    arm = make_doc(language="de", prescription={**rx, "limb": "Arm"})
    assert arm.prescription is not None
    assert "Arm" in prescription.switch_cue(arm.prescription, phrases("de"), "right")
