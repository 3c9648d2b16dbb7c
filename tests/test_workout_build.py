"""Workouts and programs in the build: each format gets the documents it accepts, the manifest
lists every file a workout is made from, and a workout is remade when one of them changes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from same import same
from workouts import write_yaml

from kickback_export import fsutil, registry
from kickback_export.build import pipeline as build
from kickback_export.build import runner
from kickback_export.content.text import TextModel
from kickback_export.document.schema import schema_text
from kickback_export.registry import Options, Output

from conftest import ROOT, SOURCE

KICK = "resistance-band-one-leg-kickback-bent-position"
TIMED = {"sets": 2, "time": 30, "sides": "none", "rest": 30}


class PlanText:
    """Every document as text, from the views its text model offers: a workout's sheet
    (each entry and its dose), a program's book (each workout and how many exercises it
    uses), an exercise's card (its name and dose)."""

    name = "plan-text"
    description = "plain-text plan (test plug-in)"

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        if text.sheet is not None:
            lines = [f"{r.label} {r.name} {r.dose}" for g in text.sheet.groups for r in g.rows]
        elif text.book is not None:
            lines = [f"{w.slug}: {len(w.uses)}" for w in text.book.workouts]
        else:
            assert text.card is not None and text.card.dose
            lines = [f"{text.title} {text.card.dose[0]}"]
        path = fsutil.write_text(out_dir / f"{text.slug}.txt", "\n".join(lines) + "\n")
        return [Output(path, "text/plain")]


class Names:
    """A format of the documents with a cue card (exercises) only: ``accepts``."""

    name = "names"
    description = "the exercise's name (test plug-in)"

    @staticmethod
    def accepts(text: TextModel) -> bool:
        return text.card is not None

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        assert text.card is not None
        path = fsutil.write_text(out_dir / f"{text.slug}-name.txt", text.title + "\n")
        return [Output(path, "text/plain")]


class Plans:
    """A collection of the documents that are books (programs): one file listing each
    one's exercises and doses."""

    name = "plans"
    description = "every program's doses (test plug-in)"

    @staticmethod
    def accepts(text: TextModel) -> bool:
        return text.book is not None

    def part(self, text: TextModel, options: Options) -> str:
        assert text.book is not None
        doses = [f"{e.id} {e.card.dose[0] if e.card.dose else '-'}" for e in text.book.exercises]
        return f"{text.slug}: {', '.join(doses)}"

    def assemble(self, parts: Any, out_dir: Path, options: Options) -> list[Output]:
        path = fsutil.write_text(out_dir / "plans.txt", "\n".join(parts) + "\n")
        return [Output(path, "text/plain")]


PLUGINS: dict[str, Any] = {"plan-text": PlanText(), "names": Names(), "plans": Plans()}


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> registry.Plugins:
    """The two test formats, found by the build and by its (in-process) runner."""
    monkeypatch.setattr(runner, "plugin", lambda group, name: PLUGINS[name])
    return registry.Plugins(exporters={n: PLUGINS[n] for n in ("plan-text", "names")},
                            collections={"plans": PLUGINS["plans"]})


def _workout(**changes: Any) -> dict[str, Any]:
    return {"kind": "workout", "id": "leg-day", "name": "Leg day", "summary": "Legs.",
            "blocks": [{"exercise": KICK, "sets": 2}], **changes}


PROGRAM = {"kind": "program", "id": "leg-block", "name": "Leg block", "summary": "A week.",
           "weeks": [{"days": [{"workout": "leg-day"}, {"note": "Rest."}]}]}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SOURCE, src / SOURCE.name)
    seed = (src / SOURCE.name).read_text(encoding="utf-8")
    (src / "plank.yaml").write_text(seed.replace(f"id: {KICK}", "id: plank"), encoding="utf-8")
    write_yaml(src / "leg-day.yaml", _workout())
    write_yaml(src / "leg-block.yaml", PROGRAM)
    return src


def _build(folder: Path | list[Path], out: Path, plugins: registry.Plugins,
           formats: list[str] | None = None) -> build.Report:
    paths = folder if isinstance(folder, list) else [folder]
    return build.build(paths, formats, out, plugins=plugins)


def _written(report: build.Report) -> set[str]:
    return {e.path for e in report.written}


def test_each_format_gets_the_documents_it_accepts(folder: Path, tmp_path: Path,
                                                 plugins: registry.Plugins) -> None:
    out = tmp_path / "out"
    report = _build(folder, out, plugins)
    assert report.problems == [] and report.notes == [] and report.documents == 4
    assert _written(report) == {
        f"{KICK}/{KICK}.txt", f"{KICK}/{KICK}-name.txt", "plank/plank.txt",
        "plank/plank-name.txt", "leg-day/leg-day.txt", "leg-block/leg-block.txt"}
    assert (out / "leg-day/leg-day.txt").read_text() == (
        "A Resistance Band One Leg Kickback (Bent Position) 2 × 12 reps per leg, left first\n")
    assert (out / "leg-block/leg-block.txt").read_text() == "leg-day: 1\n"


def test_manifest_lists_every_file_a_workout_is_made_from(
        folder: Path, tmp_path: Path, plugins: registry.Plugins) -> None:
    out = tmp_path / "out"
    _build(folder, out, plugins)
    data = json.loads((out / "manifest.json").read_text())
    rows = {r["path"]: r for r in data["outputs"]}
    name = (folder / SOURCE.name).as_posix()
    workout, program = (folder / "leg-day.yaml").as_posix(), (folder / "leg-block.yaml").as_posix()
    assert rows["leg-day/leg-day.txt"]["source"] == [workout, name]
    assert rows["leg-block/leg-block.txt"]["source"] == [program, workout, name]
    import hashlib

    for file in (name, workout, program):
        digest = hashlib.sha256(Path(file).read_bytes()).hexdigest()
        assert data["sources"][file]["sha256"] == digest
    assert data["sources"][workout]["kind"] == "workout"
    assert data["sources"][program]["kind"] == "program"


def test_a_workout_is_remade_when_an_exercise_it_uses_changes(
        folder: Path, tmp_path: Path, plugins: registry.Plugins) -> None:
    out = tmp_path / "out"
    _build(folder, out, plugins)
    again = _build(folder, out, plugins)
    assert again.written == [] and len(again.unchanged) == 6 and again.problems == []
    plank = folder / "plank.yaml"  # not used by the workout: only its own outputs
    plank.write_text(plank.read_text().replace("sets: 3", "sets: 4"), encoding="utf-8")
    assert _written(_build(folder, out, plugins)) == {"plank/plank.txt",
                                                      "plank/plank-name.txt"}
    kick = folder / SOURCE.name
    kick.write_text(kick.read_text().replace("sets: 3", "sets: 5"), encoding="utf-8")
    remade = _build(folder, out, plugins)
    assert _written(remade) == {f"{KICK}/{KICK}.txt", f"{KICK}/{KICK}-name.txt",
                                "leg-day/leg-day.txt", "leg-block/leg-block.txt"}
    workout = folder / "leg-day.yaml"  # the workout's own change: it and its program
    write_yaml(workout, _workout(blocks=[{"exercise": KICK, "sets": 1}]))
    assert _written(_build(folder, out, plugins)) == {"leg-day/leg-day.txt",
                                                      "leg-block/leg-block.txt"}
    assert (out / "leg-day/leg-day.txt").read_text().endswith(" 1 × 12 reps per leg, left first\n")


def test_a_named_format_that_makes_no_workouts(folder: Path, tmp_path: Path,
                                                plugins: registry.Plugins) -> None:
    report = _build(folder, tmp_path / "a", plugins, ["names"])  # a folder: a note each
    assert report.exit_code == 0 and report.notes == [
        f"{(folder / n).as_posix()}: no {k} outputs in names; skipped"
        for n, k in (("leg-block.yaml", "program"), ("leg-day.yaml", "workout"))]
    named = _build([folder / SOURCE.name, folder / "leg-day.yaml"], tmp_path / "b", plugins,
                   ["names"])  # the workout named: nothing else was asked of it
    assert named.exit_code == 2 and [p.message for p in named.problems] == [
        f"{(folder / 'leg-day.yaml').as_posix()}: no workout outputs in names"]
    assert _written(named) == {f"{KICK}/{KICK}-name.txt"}


def test_a_bad_workout_is_one_line_and_the_rest_is_built(
        folder: Path, tmp_path: Path, plugins: registry.Plugins) -> None:
    out = tmp_path / "out"
    _build(folder, out, plugins)
    before = (out / "leg-day/leg-day.txt").read_bytes()
    write_yaml(folder / "leg-day.yaml", _workout(blocks=[{"exercise": "plnk", "reps": 3}]))
    report = _build(folder, out, plugins)
    workout = (folder / "leg-day.yaml").as_posix()
    assert [(p.message, p.code) for p in report.problems] == [
        (f"{workout}:6: blocks[0].exercise: unknown exercise 'plnk' — did you mean "
         "'plank'?", 2),
        (f"{(folder / 'leg-block.yaml').as_posix()}:7: weeks[0].days[0].workout: workout "
         f"'leg-day' cannot be used: {workout} has a problem of its own", 2)]
    assert report.written == [] and same(out / "leg-day/leg-day.txt", before)


def test_a_workout_built_alone_uses_the_documents_beside_it(
        folder: Path, tmp_path: Path, plugins: registry.Plugins) -> None:
    out = tmp_path / "out"
    program = folder / "leg-block.yaml"
    report = _build([program], out, plugins)
    assert report.problems == [] and _written(report) == {"leg-block/leg-block.txt"}
    data = json.loads((out / "manifest.json").read_text())
    kick = (folder / SOURCE.name).as_posix()
    assert data["outputs"][0]["source"] == [program.as_posix(),
                                            (folder / "leg-day.yaml").as_posix(), kick]
    assert data["sources"][kick]["document"] == KICK
    assert _build([program], out, plugins).written == []
    (folder / SOURCE.name).write_text(SOURCE.read_text().replace("reps: 12", "reps: 10"))
    assert _written(_build([program], out, plugins)) == {"leg-block/leg-block.txt"}


def test_a_collection_of_a_program_built_alone_follows_its_exercises(
        folder: Path, tmp_path: Path, plugins: registry.Plugins) -> None:
    out = tmp_path / "out"
    program = folder / "leg-block.yaml"
    first = _build([program], out, plugins, ["plans"])
    assert first.problems == [] and _written(first) == {"plans.txt"}
    assert (out / "plans.txt").read_text() == (
        f"leg-block: {KICK} 3 sets × 12 reps per leg, left first\n")
    row = json.loads((out / "manifest.json").read_text())["outputs"][0]
    assert row["source"] == [program.as_posix(), (folder / "leg-day.yaml").as_posix(),
                             (folder / SOURCE.name).as_posix()]  # the files beside it too
    assert _build([program], out, plugins, ["plans"]).written == []
    (folder / SOURCE.name).write_text(SOURCE.read_text().replace("reps: 12", "reps: 10"))
    assert _written(_build([program], out, plugins, ["plans"])) == {"plans.txt"}
    assert (out / "plans.txt").read_text() == (
        f"leg-block: {KICK} 3 sets × 10 reps per leg, left first\n")


def test_real_formats_in_worker_processes(tmp_path: Path) -> None:
    """The real page formats on a workout and a program, in a pool of spawned workers (the
    text models travel pickled): no failure, and every format wrote each document's files
    (each renders any document's page)."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SOURCE, src / SOURCE.name)
    write_yaml(src / "leg-day.yaml", _workout())
    write_yaml(src / "leg-block.yaml", PROGRAM)
    formats = ["large-print", "brf", "html"]
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kickback_export", "build", "-j", "2", "-f",
                           ",".join(formats), "-o", str(out), str(src)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    made = {(r["document"], r["exporter"])
            for r in json.loads((out / "manifest.json").read_text())["outputs"]}
    for slug in ("leg-day", "leg-block"):
        for name in formats:
            assert (slug, name) in made
    assert any(slug == "leg-day" for slug, _ in made)  # a workout did travel to a worker


@pytest.mark.parametrize("kind", ["exercise", "workout", "program"])
def test_schema_is_current(kind: str) -> None:
    published = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert published == schema_text(kind), (
        f"run: kickback-export schema --kind {kind} -o schema/{kind}.schema.json")


def test_validate_resolves_references(folder: Path) -> None:
    def validate(*paths: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kickback_export", "validate",
                               *map(str, paths)], capture_output=True, text=True, timeout=120)

    ok = validate(folder)
    assert ok.returncode == 0 and ok.stderr.splitlines() == ["4 valid, 0 problem(s)"]
    alone = validate(folder / "leg-block.yaml")  # its workout and exercise beside it
    assert alone.returncode == 0 and alone.stderr.splitlines() == ["1 valid, 0 problem(s)"]
    write_yaml(folder / "leg-day.yaml", _workout(blocks=[{"exercise": "squat"}]))
    bad = validate(folder)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.splitlines() == [
        f"{folder / 'leg-day.yaml'}:6: blocks[0].exercise: unknown exercise 'squat'",
        f"{folder / 'leg-block.yaml'}:7: weeks[0].days[0].workout: workout 'leg-day' cannot "
        f"be used: {folder / 'leg-day.yaml'} has a problem of its own",
        "2 valid, 2 problem(s)"]


def test_accepts_is_part_of_the_plugin_contract(folder: Path) -> None:
    """What a plug-in makes is said by ``accepts`` on a text model (default: everything)."""
    from workouts import resolved_workout

    from kickback_export.content.text import text_of

    workout = text_of(resolved_workout(folder / "leg-day.yaml"))
    assert registry.accepts(PlanText(), workout) and not registry.accepts(Names(), workout)
    assert registry.accepts(Names(), workout.uses[0])
    assert registry.contract_problem(registry.EXPORTERS, "plan-text", PlanText()) is None
    odd = type("Odd", (PlanText,), {"accepts": "workouts"})()
    assert registry.contract_problem(registry.EXPORTERS, "plan-text", odd) == (
        "'accepts' is str, not a method")
