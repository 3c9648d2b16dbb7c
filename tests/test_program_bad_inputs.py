"""Bad progressions and athlete files: each case of the corpus gets its exact one-line
message (file, line, field, reason), exit code 2 and no output, from the resolver,
``validate`` and ``build`` alike.

``bad_inputs_programs/expected.json`` pins each message after the file's name. A program
case is resolved against ``source/`` for the athlete ``source/athletes/alex.yaml``; an
``athlete-*`` case is given as the athlete of a build (``--athlete``), which then writes
nothing at all.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kickback_export.document.loader import load_input, load_loaded
from kickback_export.document.resolve import resolve_all
from kickback_export.errors import DocumentError

from conftest import ROOT

BAD = Path("tests") / "bad_inputs_programs"  # relative to ROOT: messages name the file so
EXPECTED: dict[str, str] = json.loads((ROOT / BAD / "expected.json").read_text())
ALEX = "source/athletes/alex.yaml"
PROGRAMS = sorted(n for n in EXPECTED if not n.startswith("athlete-"))
ATHLETES = sorted(n for n in EXPECTED if n.startswith("athlete-"))
SOURCES = sorted(p.relative_to(ROOT) for p in (ROOT / "source").glob("*.yaml"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kickback_export", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


def test_corpus_is_large_enough_and_every_case_is_pinned() -> None:
    assert len(PROGRAMS) >= 15 and len(ATHLETES) >= 5
    assert sorted(EXPECTED) == sorted(p.name for p in (ROOT / BAD).glob("*.yaml"))
    for name, message in EXPECTED.items():  # the line, the field, the reason
        assert re.fullmatch(r":\d+: [\w.\[\] -]+?: \S.*", message), name


@pytest.mark.parametrize("name", PROGRAMS)
def test_each_program_case_gives_its_one_line(name: str, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.chdir(ROOT)
    sources = [load_loaded(p) for p in SOURCES]
    path = BAD / name
    try:
        problems = [p for p in resolve_all([*sources, load_loaded(path)],
                                           [load_input(ALEX, "athlete")]).problems
                    if p.file == str(path)]
    except DocumentError as exc:
        problems = [exc]
    assert [str(p) for p in problems] == [f"{path}{EXPECTED[name]}"]


@pytest.mark.parametrize("name", ATHLETES)
def test_each_athlete_case_gives_its_one_line(name: str, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(DocumentError) as info:
        load_input(BAD / name, "athlete")
    assert str(info.value) == f"{BAD / name}{EXPECTED[name]}"


def test_validate_prints_each_line_and_exits_2() -> None:
    cases = [str(BAD / name) for name in PROGRAMS]
    proc = _run("validate", "source", *cases, "--athlete", ALEX)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert sorted(lines[:-1]) == sorted(f"{c}{EXPECTED[Path(c).name]}" for c in cases)
    assert lines[-1] == f"{len(SOURCES)} valid, {len(cases)} problem(s)"


def test_build_writes_nothing_of_them_and_exits_2(tmp_path: Path) -> None:
    cases = [str(BAD / name) for name in PROGRAMS]
    proc = _run("build", "-q", "-f", "brf", "-o", str(tmp_path), "source", *cases,
                "--athlete", ALEX)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if not line.endswith("; skipped")]
    assert sorted(lines) == sorted(f"{c}{EXPECTED[Path(c).name]}" for c in cases)
    out = tmp_path / "alex"
    rows = json.loads((out / "manifest.json").read_text())["outputs"]
    ids = {line.removeprefix("id: ") for c in cases
           for line in (ROOT / c).read_text().splitlines() if line.startswith("id: ")}
    assert len(ids) == len(cases)
    assert ids.isdisjoint({r["document"] for r in rows})
    assert ids.isdisjoint(p.name for p in out.iterdir())
    assert "glute-program" in {r["document"] for r in rows}  # the good ones are built


@pytest.mark.parametrize("name", ATHLETES)
def test_a_bad_athlete_stops_the_build_before_anything_is_written(
        name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _run("build", "source/glute-program.yaml", "-o", str(out), "--athlete",
                str(BAD / name))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"{BAD / name}{EXPECTED[name]}"]
    assert not out.exists()


def test_a_missing_training_max_is_named_by_its_exercise(tmp_path: Path) -> None:
    """Sam has no training max for the goblet squat of the kilogram sample: the program is
    refused, naming the exercise; a program that needs none is built for Sam."""
    proc = _run("build", "source", "-q", "-f", "brf", "-o", str(tmp_path), "--athlete",
                "source/athletes/sam.yaml")
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "source/glute-program.yaml:22: progression[1].percent: needs a training max for "
        "'goblet-squat': athlete 'sam' has none (add it under training_max)"]
    assert not (tmp_path / "sam" / "glute-program").exists()
    assert (tmp_path / "sam" / "thrust-day" / "thrust-day.brf").is_file()
