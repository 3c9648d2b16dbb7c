"""Bad workouts and programs: each file of the corpus gets its exact one-line message, exit
code 2 and no output, from the loader, ``validate`` and ``build`` alike.

``bad_inputs_workouts/expected.json`` pins each message after the file's name. Every case
is resolved against ``source/``, so references to the real exercise documents are real.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kickback_export.document.loader import load_loaded
from kickback_export.document.resolve import resolve_all
from kickback_export.errors import DocumentError

from conftest import ROOT

BAD = Path("tests") / "bad_inputs_workouts"  # relative to ROOT: messages name the file so
EXPECTED: dict[str, str] = json.loads((ROOT / BAD / "expected.json").read_text())
SOURCES = sorted(p.relative_to(ROOT) for p in (ROOT / "source").glob("*.yaml"))


def test_corpus_is_large_enough_and_every_case_is_pinned() -> None:
    assert len(EXPECTED) >= 15
    assert sorted(EXPECTED) == sorted(p.name for p in (ROOT / BAD).glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_case_gives_its_one_line(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    sources = [load_loaded(p) for p in sorted(Path("source").glob("*.yaml"))]
    path = BAD / name
    try:
        problems = [p for p in resolve_all([*sources, load_loaded(path)]).problems
                    if p.file == str(path)]
    except DocumentError as exc:
        problems = [exc]
    assert [str(p) for p in problems][:1] == [f"{path}{EXPECTED[name]}"]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kickback_export", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def cases() -> list[str]:
    return [str(BAD / name) for name in sorted(EXPECTED)]


def test_validate_prints_each_line_and_exits_2(cases: list[str]) -> None:
    proc = _run("validate", "source", *cases, cwd=ROOT)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert sorted(lines[:-1]) == sorted(f"{c}{EXPECTED[Path(c).name]}" for c in cases)
    assert lines[-1] == f"{len(SOURCES)} valid, {len(cases)} problem(s)"


def test_build_writes_nothing_of_them_and_exits_2(cases: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _run("build", "-q", "-f", "brf", "-o", str(out), "source", *cases, cwd=ROOT)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if not line.endswith("; skipped")]
    assert sorted(lines) == sorted(f"{c}{EXPECTED[Path(c).name]}" for c in cases)
    rows = json.loads((out / "manifest.json").read_text())["outputs"]
    ids = (re.search(r"^id: (\S+)$", (ROOT / c).read_text(), re.M) for c in cases)
    bad = {m.group(1) for m in ids if m and m.group(1).startswith("bad-")}
    assert len(bad) >= len(cases) - 1  # all but the one whose id an exercise has
    assert bad.isdisjoint({r["document"] for r in rows})  # nothing of them, not even a part
    assert bad.isdisjoint(p.name for p in out.iterdir())
