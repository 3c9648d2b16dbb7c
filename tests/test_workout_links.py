"""Every link of a workout's web page, the HTML index and a program's e-book leads to a
file of the output (and to an id in it): a workout built alone names the exercises it only
read from its folder without a link, and links them once their pages are in the output."""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kickback_export.build import pipeline as build

from conftest import ROOT

WORKOUT = "glute-day"
EXERCISES = ("glute-bridge", "bodyweight-squat", "resistance-band-one-leg-kickback-bent-position",
             "side-lying-clamshell", "forearm-plank")


class Links(HTMLParser):
    """The hrefs and ids of one page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag in ("a", "link") and found.get("href"):
            self.hrefs.append(str(found["href"]))


def broken(files: dict[str, str]) -> list[str]:
    """Each link of the pages (by path inside the output) whose file or id is missing."""
    pages = {name: Links(text) for name, text in files.items()}
    out = []
    for name, page in pages.items():
        for href in page.hrefs:
            target, _, fragment = href.partition("#")
            if "://" in target or target.startswith("mailto:"):
                continue  # not a file of the output
            path = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            if not target:
                path = name
            if path not in files:
                out.append(f"{name}: {href}: no such file")
            elif fragment and fragment not in pages[path].ids:
                out.append(f"{name}: {href}: no such id")
    return out


def output(out: Path) -> dict[str, str]:
    """Every page and stylesheet of a build's output, by path inside it."""
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*")) if p.suffix in (".html", ".css")}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workout beside its exercises, as in ``source/``."""
    src = tmp_path_factory.mktemp("source")
    for slug in (WORKOUT, *EXERCISES):
        shutil.copy(ROOT / "source" / f"{slug}.yaml", src)
    return src


@pytest.fixture(scope="module")
def builds(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """One output folder built three times: the workout alone, then with its exercises,
    then alone again; its pages after each."""
    out = tmp_path_factory.mktemp("out")
    workout = folder / f"{WORKOUT}.yaml"
    seen = {}
    for step, paths in (("alone", [workout]), ("with", [folder]), ("again", [workout])):
        report = build.build(paths, ["html"], out)
        assert report.exit_code == 0, report.problems
        seen[step] = output(out)
    return seen


def exercise_links(pages: dict[str, str]) -> list[str]:
    return [h for h in Links(pages[f"{WORKOUT}/{WORKOUT}.html"]).hrefs if h.startswith("../")]


def test_workout_alone_names_its_exercises_without_links(builds: dict[str, dict[str, str]]
                                                         ) -> None:
    pages = builds["alone"]
    assert not any(name.startswith(EXERCISES) for name in pages)  # read, not exported
    assert broken(pages) == []
    assert exercise_links(pages) == []
    page = pages[f"{WORKOUT}/{WORKOUT}.html"]
    for name in ("Glute Bridge", "Bodyweight Squat", "Side-Lying Clamshell", "Forearm Plank",
                 "Resistance Band One Leg Kickback (Bent Position)"):  # named, with its dose
        assert re.search(rf'<span>{re.escape(name)}</span><ul class="dose"><li>\d', page), name


def test_workout_with_its_exercises_links_each_page(builds: dict[str, dict[str, str]]) -> None:
    pages = builds["with"]
    assert broken(pages) == []
    links = exercise_links(pages)
    assert {h.split("/")[1] for h in links} == set(EXERCISES)  # remade: its links are new
    index = Links(pages["index.html"]).hrefs
    assert f"{WORKOUT}/{WORKOUT}.html" in index and len(index) == 1 + len(EXERCISES)


def test_workout_alone_links_the_pages_an_earlier_build_left(
        builds: dict[str, dict[str, str]]) -> None:
    pages = builds["again"]
    assert broken(pages) == []
    assert exercise_links(pages) == exercise_links(builds["with"])


def test_broken_finds_a_missing_page_and_id() -> None:
    pages = {"a/a.html": '<a href="../b/b.html">b</a><a href="#x">x</a><p id="y"></p>'}
    assert broken(pages) == ["a/a.html: ../b/b.html: no such file", "a/a.html: #x: no such id"]


def test_program_book_alone_links_inside_itself(tmp_path: Path) -> None:
    report = build.build([ROOT / "source" / "glute-program.yaml"], ["epub"], tmp_path)
    assert report.exit_code == 0, report.problems
    with zipfile.ZipFile(tmp_path / "glute-program" / "glute-program.epub") as book:
        files = {n: book.read(n).decode("utf-8") for n in book.namelist()
                 if n.endswith((".xhtml", ".css"))}
    sections = [n for n in files if n.endswith(".xhtml")]
    assert len(sections) > len(EXERCISES)
    assert broken(files) == []
    assert sum(len(Links(files[n]).hrefs) for n in sections) > len(EXERCISES)
