"""The web page plays the guide: built with ``audio``, an exercise's and a workout's page
carry an ``<audio controls>`` of the MP3, its captions and links that seek it. Checked in
real Chromium (scripts/media-check.js: the media loads, its duration is the guide's, the
captions' cues load, each link moves the player without leaving the page), by axe-core
and by the Nu HTML Checker, on pages the build made (both exports in one task, each
page handed the guide's files)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from same import same
from webcheck import axe_reports, nu_messages, nu_problems

from kickback_export.build import pipeline as build

from conftest import ROOT, missing_tool

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

DOCS = {
    "seed": "resistance-band-one-leg-kickback-bent-position",
    "de": "resistance-band-one-leg-kickback-bent-position-de",
    "workout": "glute-day",
}
IDS = {"seed": DOCS["seed"], "de": "resistance-band-one-leg-kickback-bent-position-de",
       "workout": "glute-day"}
MEDIA_SCRIPT = ROOT / "scripts" / "media-check.js"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed, its German version and a workout (the exercises it names beside it), built
    with html and audio by two worker processes: few documents, so a task per output, the
    page's with the guide's."""
    root = tmp_path_factory.mktemp("player")
    files = [ROOT / "source" / f"{name}.yaml" for name in DOCS.values()]
    report = build.build(files, ["html", "audio"], root / "out", jobs=2)
    assert report.exit_code == 0, report.problems
    return root / "out"


def page(out: Path, which: str) -> Path:
    slug = timeline(out, which)["_slug"]
    return out / slug / f"{slug}.html"


def timeline(out: Path, which: str) -> dict[str, Any]:
    found = sorted((out).glob("*/*.timeline.json"))
    for path in found:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if data["id"] == IDS[which]:
            return {**data, "_slug": path.parent.name, "_dir": path.parent}
    raise AssertionError(f"no timeline for {DOCS[which]} among {[p.name for p in found]}")


@pytest.fixture(scope="module")
def media(out: Path) -> dict[str, Any]:
    """What Chromium makes of each page's player, from one browser run."""
    if shutil.which("node") is None or not Path("/usr/bin/chromium").exists():
        missing_tool("the page's player is checked in Debian's chromium: run scripts/setup-ace.sh")
    pages = {k: page(out, k) for k in DOCS}
    proc = subprocess.run(["node", str(MEDIA_SCRIPT), *(str(p) for p in pages.values())],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    return {k: report[str(p)] for k, p in pages.items()}


@pytest.mark.parametrize("which", list(DOCS))
def test_the_player_loads_the_whole_guide(which: str, out: Path, media: dict[str, Any]) -> None:
    got = media[which]
    data = timeline(out, which)
    assert got["error"] is None
    assert got["src"].endswith(".mp3")
    # the MP3's LAME tag gives its exact length: the player's is the timeline's
    assert got["duration"] == pytest.approx(data["duration"], abs=0.005)


@pytest.mark.parametrize("which", list(DOCS))
def test_the_captions_are_the_guides_in_its_language(which: str, out: Path,
                                                     media: dict[str, Any]) -> None:
    tracks = media[which]["tracks"]
    assert [t["kind"] for t in tracks] == ["captions"]
    vtt = next(timeline(out, which)["_dir"].glob("*.vtt")).read_text(encoding="utf-8")
    cues = len(re.findall(r"^\d\d:\d\d:\d\d\.\d{3} --> ", vtt, flags=re.M))
    assert tracks[0]["cues"] == cues > 10
    assert tracks[0]["language"] == ("de" if which == "de" else "en")
    assert tracks[0]["label"] == ("Deutsch" if which == "de" else "English")


@pytest.mark.parametrize("which", list(DOCS))
def test_each_chapter_link_seeks_the_player(which: str, out: Path,
                                            media: dict[str, Any]) -> None:
    chapters = timeline(out, which)["chapters"]
    seeks = media[which]["seeks"]
    assert [s["start"] for s in seeks] == pytest.approx([c["start"] for c in chapters],
                                                        abs=0.001)
    for seek in seeks:
        assert seek["at"] == pytest.approx(seek["start"], abs=0.05)
        assert seek["stayed"]  # the page stays; the player moves
        assert seek["playing"]


def test_a_workouts_chapters_nest_its_exercises(out: Path) -> None:
    html = page(out, "workout").read_text(encoding="utf-8")
    chapters = timeline(out, "workout")["chapters"]
    assert any("parent" in c for c in chapters)
    lists = html.split('aria-labelledby="guide-chapters"', 1)[1].split("</ol>\n", 1)[0]
    assert lists.count("<ol>") >= 1  # a block's exercises in a list inside its item
    for chapter in chapters:
        assert f'data-start="{chapter["start"]:.3f}"' in html


def test_the_pages_with_players_pass_axe_and_the_nu_checker(out: Path, tmp_path: Path) -> None:
    pages = [page(out, k) for k in DOCS]
    problems = nu_problems(nu_messages(*pages))
    assert problems == []
    reports = axe_reports(*pages)
    for path in pages:
        assert reports[str(path)]["violations"] == []
        assert reports[str(path)]["passes"] >= 10


def test_a_page_built_again_alone_still_plays_the_guide_made_before(out: Path) -> None:
    """The page is remade (its file was lost) while the audio is unchanged: the build hands
    it the published guide, and the page is as it was."""
    target = page(out, "seed")
    before = target.read_bytes()
    target.unlink()
    report = build.build([ROOT / "source" / f"{DOCS['seed']}.yaml"], ["html", "audio"], out)
    assert report.exit_code == 0, report.problems
    assert {e.exporter for e in report.written} == {"html"}  # the page and its stylesheet
    assert same(target, before)


def test_without_audio_in_the_build_the_page_has_no_player(tmp_path: Path) -> None:
    report = build.build([ROOT / "source" / f"{DOCS['seed']}.yaml"], ["html"], tmp_path)
    assert report.exit_code == 0, report.problems
    html = (tmp_path / DOCS["seed"] / f"{DOCS['seed']}.html").read_text(encoding="utf-8")
    assert "<audio" not in html and "guide-player" not in html


def test_a_program_page_plays_none_of_its_days_guides(tmp_path: Path) -> None:
    """A program has a guide per training day, none of them the page's own: its page
    carries no player, though the audio is built with it."""
    report = build.build([ROOT / "source" / "glute-program.yaml"], ["html", "audio"],
                         tmp_path, weeks="1")
    assert report.exit_code == 0, report.problems
    assert len(list((tmp_path / "glute-program").glob("*-guide.mp3"))) == 2  # two days
    html = (tmp_path / "glute-program" / "glute-program.html").read_text(encoding="utf-8")
    assert "<audio" not in html and "guide-player" not in html
