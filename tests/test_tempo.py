"""Tempo in lifters' notation and rests until ready: reading, wording, deprecation.

``bad_inputs_tempo/expected.json`` pins each bad tempo (or tempo-related field) to its
exact one line after the file's name, from the loader and ``validate`` alike (exit 2). The
deprecated ``kick/hold/return`` forms still load, each with one warning line naming the
file, the line, the field and what to write instead.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from kickback_export import Exercise, load
from kickback_export.content import prescription as words
from kickback_export.content.phrases import phrases
from kickback_export.content.workout_list import workout_text
from kickback_export.document.model import Prescription, Tempo
from kickback_export.document.plan import READY, plan
from kickback_export.document.workout import ResolvedWorkout, Workout
from kickback_export.errors import DocumentError, DocumentWarning

from conftest import ROOT, SOURCE

BAD = Path("tests") / "bad_inputs_tempo"  # relative to ROOT: messages name the file so
EXPECTED: dict[str, str] = json.loads((ROOT / BAD / "expected.json").read_text())
EN = phrases("en")


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kickback_export", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


# -- the notation ----------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "seconds", "notation"), [
    ("3-1-1-0", (3, 1, 1, 0), "3-1-1-0"),
    ("3110", (3, 1, 1, 0), "3-1-1-0"),
    (" 3 - 1 - X - 0 ", (3, 1, 1, 0), "3-1-X-0"),
    ("31x0", (3, 1, 1, 0), "3-1-X-0"),
    ("2.5-0-0.75-10", (2.5, 0, 0.75, 10), "2.5-0-0.75-10"),
    (3110, (3, 1, 1, 0), "3-1-1-0"),  # unquoted in YAML: a number
])
def test_the_notation_is_read_and_written_back(written: object, seconds: tuple[float, ...],
                                               notation: str) -> None:
    tempo = Tempo.model_validate(written)
    assert tempo.seconds == seconds and tempo.notation == notation
    assert Tempo.model_validate(tempo.model_dump()) == tempo  # dumps as its notation


def test_tempo_start_orders_the_phases() -> None:
    def rx(**more: Any) -> Prescription:
        return Prescription.model_validate({"sets": 1, "reps": 5, "sides": "none", "rest": 30,
                                            "tempo": "3-1-2-0", **more})

    assert rx().phases == (("lowering", 3), ("bottom", 1), ("lifting", 2))
    assert rx(tempo_start="lifting").phases == (("lifting", 2), ("lowering", 3), ("bottom", 1))
    assert rx().work_seconds == 5 * 6


def test_the_old_mapping_means_lifting_first() -> None:
    old = Prescription.model_validate({
        "sets": 1, "reps": 5, "sides": "none", "rest": 30,
        "tempo": {"kick": 1, "hold": 2, "return": 3},
        "cues": {"kick": "kick", "hold": "squeeze", "return": "lower"}})
    new = Prescription.model_validate({
        "sets": 1, "reps": 5, "sides": "none", "rest": 30, "tempo": "3-0-1-2",
        "tempo_start": "lifting", "cues": {"lift": "kick", "hold": "squeeze", "lower": "lower"}})
    assert old == new
    assert [p for p, _ in old.phases] == ["lifting", "top", "lowering"]


# -- bad inputs --------------------------------------------------------------------------------


def test_corpus_is_large_enough_and_every_case_is_pinned() -> None:
    assert len(EXPECTED) >= 12
    assert sorted(EXPECTED) == sorted(p.name for p in (ROOT / BAD).glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_case_gives_its_one_line(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(DocumentError) as info:
        load(BAD / name)
    assert str(info.value) == f"{BAD / name}{EXPECTED[name]}"


def test_validate_prints_each_line_and_exits_2() -> None:
    cases = [str(BAD / name) for name in sorted(EXPECTED)]
    proc = _run("validate", *cases)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert sorted(lines[:-1]) == sorted(f"{c}{EXPECTED[Path(c).name]}" for c in cases)
    assert lines[-1] == f"0 valid, {len(cases)} problem(s)"


# -- the deprecated forms ----------------------------------------------------------------------


OLD = {"tempo": ('  tempo: "2-0-1-1"\n  tempo_start: lifting\n',
                 "  tempo:\n    kick: 1\n    hold: 1\n    return: 2\n"),
       "cues": ("  cues:\n    lift: kick\n    hold: squeeze\n    lower: lower",
                "  cues:\n    kick: kick\n    hold: squeeze\n    return: lower")}


def old_copy(folder: Path) -> Path:
    """The seed written the old way: its tempo and cues as before the notation."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SOURCE.read_text(encoding="utf-8")
    for new, old in OLD.values():
        assert new in text
        text = text.replace(new, old)
    path = folder / SOURCE.name
    path.write_text(text, encoding="utf-8")
    return path


def advice(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    tempo = lines.index("  tempo:") + 1
    cues = lines.index("  cues:") + 1
    return [f'{path}:{tempo}: prescription.tempo: kick/hold/return is deprecated; write '
            'tempo: "2-0-1-1" with tempo_start: lifting',
            f"{path}:{cues}: prescription.cues: kick and return are deprecated; write "
            "cues: {lift: kick, hold: squeeze, lower: lower}"]


def test_an_old_document_loads_the_same_with_a_warning_per_field(tmp_path: Path) -> None:
    path = old_copy(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = load(path)
    assert old == load(SOURCE)
    said = [str(w.message) for w in caught if issubclass(w.category, DocumentWarning)]
    assert said == advice(path)


def test_the_command_line_prints_each_warning_once_as_its_line(tmp_path: Path) -> None:
    path = old_copy(tmp_path / "old")
    validated = _run("validate", str(path))
    assert validated.returncode == 0
    assert validated.stderr.splitlines() == [*advice(path), "1 valid, 0 problem(s)"]
    built = _run("build", "-q", "-f", "brf", "-o", str(tmp_path / "out"), str(path))
    assert built.returncode == 0, built.stderr
    assert built.stderr.splitlines() == advice(path)


def test_the_samples_are_written_the_new_way() -> None:
    proc = _run("validate", "source")
    assert proc.returncode == 0
    assert "deprecated" not in proc.stderr
    assert proc.stderr.splitlines()[-1].endswith("valid, 0 problem(s)")


def test_a_workout_override_in_the_old_form_warns_too(tmp_path: Path) -> None:
    shutil.copy(SOURCE, tmp_path / SOURCE.name)
    workout = tmp_path / "w.yaml"
    workout.write_text(
        "kind: workout\nid: w\nname: W\nsummary: S.\nblocks:\n"
        f"  - exercise: {SOURCE.stem}\n    tempo: {{kick: 1, hold: 0, return: 3}}\n",
        encoding="utf-8")
    proc = _run("validate", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        f'{workout}:7: blocks[0].tempo: kick/hold/return is deprecated; write tempo: '
        '"3-0-1-0" with tempo_start: lifting', "2 valid, 0 problem(s)"]


# -- wording -------------------------------------------------------------------------------------


def squat(**more: Any) -> Prescription:
    return Prescription.model_validate({"sets": 3, "reps": 10, "sides": "none", "rest": 60,
                                        "tempo": "3-1-1-0", **more})


def test_tempo_and_rest_in_words(seed_doc: Exercise) -> None:
    rx = seed_doc.prescription
    assert rx is not None
    assert words.dose_lines(rx, EN)[1:] == [  # a card has no room for "Tempo: "
        "2-0-1-1 (kick 1\u00a0s · squeeze 1\u00a0s · lower 2\u00a0s)",
        "Rest: 45\u00a0s between sets"]
    assert words.dose_lines(squat(), EN)[1] == (
        "3-1-1-0 (lower 3\u00a0s · hold 1\u00a0s · lift 1\u00a0s)")
    tempo = next(e for e in words.entries(squat(), EN) if e.key == "tempo")
    assert tempo.value == ("3-1-1-0 (lower 3 seconds, hold 1 second, lift 1 second; "
                           "5 seconds per rep)")
    assert tempo.spoken == ("Tempo: lower 3 seconds, hold 1 second, lift 1 second, "
                            "5 seconds per rep.")
    ready = squat(rest="until-ready")
    assert words.dose_lines(ready, EN)[-1] == "Rest: until ready"
    rest = next(e for e in words.entries(ready, EN) if e.key == "rest")
    assert (rest.value, rest.spoken) == ("until ready", "Rest between sets until you are ready.")
    assert words.overview(ready, EN) == (
        "3 sets of 10 reps, resting until you are ready between sets.")
    assert words.rest_cue(90, True, EN) == "Rest until you are ready."
    assert words.ready_reminder(EN) == "Start the next set when you are ready."


# -- rests until ready in the plan ---------------------------------------------------------------


def _workout(exercises: dict[str, Exercise], **data: Any) -> ResolvedWorkout:
    w = Workout.model_validate({"kind": "workout", "id": "w", "name": "W", "summary": "S.",
                                "changeover": 30, **data})
    return ResolvedWorkout(w, exercises)


@pytest.fixture
def library(make_doc: Any) -> dict[str, Exercise]:
    kick = make_doc()  # rest 45
    bridge = make_doc(id="bridge", name="Bridge", prescription={
        "sets": 2, "reps": 5, "sides": "none", "tempo": "2-0-1-1", "tempo_start": "lifting",
        "rest": "until-ready"})
    return {e.id: e for e in (kick, bridge)}


def rests(w: ResolvedWorkout) -> list[tuple[str, float, bool]]:
    return [(i.kind, i.seconds, i.until_ready) for i in plan(w).intervals
            if i.kind in ("rest", "round-rest", "transition")]


def test_until_ready_rests_in_the_plan(library: dict[str, Exercise]) -> None:
    kick = next(k for k in library if k != "bridge")
    # the exercise's own rest: planned for READY seconds
    assert rests(_workout(library, blocks=[{"exercise": "bridge"}])) == [("rest", READY, True)]
    # an override: planned for the exercise's own rest (45 s)
    assert rests(_workout(library, blocks=[{"exercise": kick, "sets": 2,
                                            "rest": "until-ready"}])) == [("rest", 45, True)]
    superset = _workout(library, blocks=[{"superset": [{"exercise": kick, "sets": 2},
                                                       {"exercise": "bridge"}],
                                          "transition": 10}])
    assert rests(superset) == [("transition", 10, False), ("rest", READY, True),
                               ("transition", 10, False)]
    circuit = _workout(library, blocks=[{"circuit": [{"exercise": kick}, {"exercise": "bridge"}],
                                         "rounds": 2, "rest": "until-ready",
                                         "round_rest": "until-ready"}])
    assert rests(circuit) == [("rest", READY, True), ("round-rest", READY, True),
                              ("rest", READY, True)]
    sheet = workout_text(circuit)
    assert sheet.blocks[0].rest == "rest until ready between rounds"
    assert [r.rest for r in sheet.blocks[0].rows] == ["until ready", "until ready"]


def test_parts_of_the_seed_guide_have_titles_and_marks(seed_doc: Exercise) -> None:
    from kickback_export.content.exercise_text import build_timeline

    tl = build_timeline(seed_doc, lambda t: 0.05 + 0.03 * len(t))
    data = json.loads(tl.to_json())
    kinds = [p["kind"] for p in data["parts"]]
    assert kinds[0] == "intro" and kinds[-1] == "closing" and kinds.count("set") == 6
    assert all(s["part"] in range(len(kinds)) for s in data["segments"])
