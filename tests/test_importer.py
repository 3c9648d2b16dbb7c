"""The page importer: lossless for what a page contains, clear about what it cannot give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from same import same

from kickback_export import DocumentError, load
from kickback_export.document.importers.page import import_page, page_languages

from conftest import ROOT, SOURCE

PAGES = Path(__file__).parent / "pages"
SEED_PAGE = PAGES / "resistance-band-one-leg-kickback-bent-position.txt"
# The kickback translated: the page in each language and the document it was written from.
TRANSLATED = {
    "de": ROOT / "source" / "resistance-band-one-leg-kickback-bent-position-de.yaml",
    "es": ROOT / "source" / "resistance-band-one-leg-kickback-bent-position-es.yaml",
    "fr": ROOT / "tests" / "languages" / "resistance-band-one-leg-kickback-bent-position-fr.yaml",
}


def _language(page: Path) -> str:
    """A page's language from its name: ``…-de.txt`` is German, no suffix is English."""
    suffix = page.stem.rsplit("-", 1)[-1]
    return suffix if suffix in page_languages() else "en"


def _page_lines(page: Path, headings: tuple[str, ...]) -> list[str]:
    lines = [ln.strip() for ln in page.read_text(encoding="utf-8").splitlines()]
    return [ln.removeprefix("- ") for ln in lines[1:] if ln and ln not in headings]


def _document_text(data: dict[str, object]) -> list[str]:
    out = list(data["overview"])  # type: ignore[call-overload]
    out += [s["text"] for s in data["steps"]]  # type: ignore[attr-defined]
    out += list(data["tips"])  # type: ignore[call-overload]
    for qa in data["faq"]:  # type: ignore[attr-defined]
        out += [qa["question"], qa["answer"]]
    return out


def test_seed_page_round_trips_to_the_source_document() -> None:
    imported = import_page(SEED_PAGE).data
    source = load(SOURCE).model_dump(mode="json", by_alias=True, exclude_none=True)
    for key in ("id", "name", "aliases", "language", "overview", "muscles", "tips", "faq", "level"):
        assert imported[key] == source[key], key
    assert [s["text"] for s in imported["steps"]] == [s["text"] for s in source["steps"]]
    assert "resistance band" in imported["equipment"]


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.txt")), ids=lambda p: p.stem)
def test_every_sentence_lands_in_order(page: Path, tmp_path: Path) -> None:
    language = _language(page)
    imported = import_page(page, language)
    out = tmp_path / "doc.yaml"
    out.write_text(imported.to_yaml(), encoding="utf-8")
    doc = load(out)  # the written YAML is itself a valid document
    assert _document_text(imported.data) == _page_lines(page, page_languages()[language].sections)
    assert doc.name and doc.steps and doc.language == language


@pytest.mark.parametrize("language", sorted(TRANSLATED))
def test_translated_pages_read_headings_muscles_equipment_and_level(language: str) -> None:
    page = PAGES / f"resistance-band-one-leg-kickback-bent-position-{language}.txt"
    imported = import_page(page, language)
    source = load(TRANSLATED[language]).model_dump(mode="json", by_alias=True, exclude_none=True)
    assert imported.defaulted == []
    for key in ("language", "overview", "muscles", "tips", "faq", "level"):
        assert imported.data[key] == source[key], key
    assert [s["text"] for s in imported.data["steps"]] == [s["text"] for s in source["steps"]]
    assert imported.data["equipment"][0] == source["equipment"][0]
    assert len(imported.data["steps"]) == 8 and len(imported.data["faq"]) == 8
    if language != "de":  # German inflects the name in prose ("der einbeinige Kickback")
        assert imported.data["name"] == source["name"]
    assert imported.data["id"].isascii()


def test_a_page_read_in_the_wrong_language_names_the_right_one() -> None:
    page = PAGES / "resistance-band-one-leg-kickback-bent-position-de.txt"
    with pytest.raises(DocumentError) as info:
        import_page(page)
    message = str(info.value)
    assert "'Instructions'" in message and "--language de" in message and "\n" not in message
    with pytest.raises(DocumentError, match="'Instrucciones'"):
        import_page(page, "es")


def test_pages_of_other_exercises_keep_typography_and_flag_defaults() -> None:
    abduction = import_page(PAGES / "cable-standing-hip-abduction.txt")
    assert abduction.data["muscles"]["primary"][0] == {
        "name": "glute medius", "anatomy": ["gluteus medius"]}
    assert "about 30°" in abduction.data["steps"][2]["text"]
    assert "cable’s pull" in abduction.data["overview"][0]
    assert "level" in abduction.defaulted
    assert "Defaults to check: level" in abduction.to_yaml()
    rdl = import_page(PAGES / "dumbbell-romanian-deadlift.txt")
    assert rdl.data["equipment"] == ["dumbbell"]
    assert "prescription" not in rdl.data and "cue" not in rdl.data["steps"][0]


def test_cli_import_writes_refuses_overwrite_and_prints(tmp_path: Path) -> None:
    out = tmp_path / "kickback.yaml"
    cmd = [sys.executable, "-m", "kickback_export", "import", str(SEED_PAGE), "-o", str(out)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert load(out).name == "Resistance Band One Leg Kickback (Bent Position)"
    before = out.read_bytes()
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert same(out, before)
    stdout = subprocess.run([*cmd[:-1], "-"], capture_output=True, text=True, timeout=60)
    assert stdout.returncode == 0 and stdout.stdout.startswith("# yaml-language-server")


def test_cli_import_reads_the_page_language_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    page = PAGES / "resistance-band-one-leg-kickback-bent-position-es.txt"
    out = tmp_path / "patada.yaml"
    cmd = [sys.executable, "-m", "kickback_export", "import", str(page), "-o", str(out)]
    done = subprocess.run([*cmd, "--language", "es"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    doc = load(out)
    assert doc.language == "es" and doc.steps[0].text.startswith("Coloca la banda")
    bad = subprocess.run([*cmd[:-1], str(tmp_path / "x.yaml"), "--language", "xx"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "--language" in bad.stderr
    assert "'xx'" in bad.stderr and "de, en, es, fr" in bad.stderr
    assert not (tmp_path / "x.yaml").exists()
