"""A new kind of document is one module and one entry point: a third-party package adds
``kind: checklist`` (tests/kind_pkg) and every format builds it, with no change to the
package. Its checks name exercises, which resolve like a workout's."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from webcheck import nu_messages, nu_problems

from kickback_export.document import kinds

from conftest import SOURCE
from test_cli import install, run
from test_epub import _assert_epubcheck_clean, read_zip, run_epubcheck

pytestmark = pytest.mark.slow

KIND_PKG = Path(__file__).parent / "kind_pkg"
KICK = SOURCE.stem
CHECKLIST: dict[str, Any] = {
    "kind": "checklist", "id": "before-training", "name": "Before training",
    "summary": "What to check before the first set.",
    "checks": [{"text": "Water bottle filled."},
               {"text": "Band looped at ankle height.", "exercise": KICK}],
    "kit": {"Band": "Bag, side pocket", "Mat": "By the door"},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    plugin = install(tmp_path_factory, KIND_PKG)
    src = tmp_path_factory.mktemp("src")
    shutil.copy(SOURCE, src / SOURCE.name)
    (src / "before-training.yaml").write_text(yaml.safe_dump(CHECKLIST, sort_keys=False))
    out = tmp_path_factory.mktemp("out")
    proc = run(["build", str(src), "-o", str(out)], plugin)
    return plugin, out, proc.stderr + f"\nexit {proc.returncode}"


def test_the_package_itself_knows_no_checklist() -> None:
    assert "checklist" not in kinds.names()


def test_every_format_builds_the_new_kind(built: tuple[Path, Path, str]) -> None:
    plugin, out, log = built
    assert log.endswith("exit 0"), log
    formats = run(["formats"], plugin).stdout
    assert "checklist" in formats.splitlines()[-1]
    rows = json.loads((out / "manifest.json").read_text())["outputs"]
    made = {r["exporter"] for r in rows if r["document"] == "before-training"}
    listed = {line.split()[0] for line in run(["formats"], plugin).stdout.split("\n\n")[0]
              .splitlines()}
    sources = json.loads((out / "manifest.json").read_text())["sources"]
    declined = {n for info in sources.values() if info.get("document") == "before-training"
                for n in info.get("declined", ())}
    assert declined == {"fit", "ics"}  # no plan to walk through, no schedule
    # every other format, the audio guide (its page read aloud) included
    assert made == listed - declined
    folder = out / "before-training"
    names = {p.name for p in folder.iterdir()}
    assert {"before-training.pdf", "before-training-large-print.pdf", "before-training.brf",
            "before-training.epub", "before-training.html", "before-training-guide.mp3",
            "before-training-guide.vtt"} <= names
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Checklists" in index and 'href="before-training/before-training.html"' in index


def test_its_page_and_its_book_pass_their_checkers(built: tuple[Path, Path, str]) -> None:
    _, out, _ = built
    folder = out / "before-training"
    page = folder / "before-training.html"
    assert nu_problems(nu_messages(page)) == []
    html = page.read_text(encoding="utf-8")
    assert f'href="../{KICK}/{KICK}.html"' in html  # the exercise it names, linked
    assert "<caption>Kit</caption>" in html and '<th scope="row">Band</th>' in html
    epub = folder / "before-training.epub"
    _assert_epubcheck_clean(run_epubcheck(epub))
    assert b"Band looped at ankle height." in read_zip(epub)["EPUB/text/before-training.xhtml"]
    vtt = (folder / "before-training-guide.vtt").read_text(encoding="utf-8")
    assert "Water bottle filled." in vtt


def test_its_references_are_checked_like_a_workouts(
        built: tuple[Path, Path, str], tmp_path: Path) -> None:
    plugin, _, _ = built
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SOURCE, src / SOURCE.name)
    bad = {**CHECKLIST, "checks": [{"text": "Band.", "exercise": "kickbak"}]}
    (src / "bad.yaml").write_text(yaml.safe_dump(bad, sort_keys=False))
    proc = run(["build", str(src), "-o", str(tmp_path / "out")], plugin)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0] == (
        f"{src / 'bad.yaml'}:7: checks[0].exercise: unknown exercise 'kickbak'")
    assert not (tmp_path / "out" / "before-training").exists()


def test_a_workout_cannot_name_a_checklist(built: tuple[Path, Path, str],
                                            tmp_path: Path) -> None:
    plugin, _, _ = built
    src = tmp_path / "src"
    src.mkdir()
    (src / "before-training.yaml").write_text(yaml.safe_dump(CHECKLIST, sort_keys=False))
    shutil.copy(SOURCE, src / SOURCE.name)
    workout = {"kind": "workout", "id": "day", "name": "Day", "summary": "A day.",
               "blocks": [{"exercise": "before-training"}]}
    (src / "day.yaml").write_text(yaml.safe_dump(workout, sort_keys=False))
    proc = subprocess.run([sys.executable, "-m", "kickback_export", "validate", str(src)],
                          capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "PYTHONPATH": str(plugin)})
    assert proc.returncode == 2
    assert "'before-training' is a checklist" in proc.stderr
