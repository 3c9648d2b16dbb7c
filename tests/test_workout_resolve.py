"""Workouts and programs: loaded by kind, resolved against the other documents, one line
per problem."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from workouts import resolved_program, resolved_workout, write_yaml

from kickback_export import DocumentError, Exercise, load
from kickback_export.document.loader import kind_of, load_any, load_loaded
from kickback_export.document.plan import FINISH, plan
from kickback_export.document.resolve import resolve, resolve_all
from kickback_export.document.workout import Program, ResolvedProgram, ResolvedWorkout, Workout

from conftest import SOURCE

KICK = "resistance-band-one-leg-kickback-bent-position"
TIMED = {"sets": 2, "time": 30, "sides": "none", "rest": 30}


def _workout(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": "workout", "id": "leg-day", "name": "Leg day",
                            "summary": "Legs.", "blocks": [{"exercise": KICK, "sets": 2}]}
    data.update(changes)
    return data


def _program(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": "program", "id": "leg-block", "name": "Leg block",
                            "summary": "Two weeks.", "weeks": [
                                {"days": [{"workout": "leg-day"}, {"note": "Walk."}],
                                 "notes": ["Learn the moves."]},
                                {"days": [{"workout": "leg-day"}]}]}
    data.update(changes)
    return data


@pytest.fixture
def folder(tmp_path: Path, make_doc: Callable[..., Exercise]) -> Path:
    """The seed exercise, a timed plank, one without a prescription, and a workout."""
    import shutil

    shutil.copy(SOURCE, tmp_path / SOURCE.name)
    seed = load(SOURCE).model_dump(by_alias=True, exclude_none=True, mode="json")
    write_yaml(tmp_path / "plank.yaml", {**seed, "id": "plank", "name": "Plank",
                                         "prescription": TIMED})
    bare = {k: v for k, v in seed.items() if k != "prescription"}
    write_yaml(tmp_path / "bare.yaml", {**bare, "id": "bare", "name": "Bare"})
    write_yaml(tmp_path / "leg-day.yaml", _workout())
    return tmp_path


def _problem(folder: Path, name: str, data: dict[str, Any]) -> DocumentError:
    path = write_yaml(folder / name, data)
    resolution = resolve_all(load_loaded(p) for p in sorted(folder.glob("*.yaml")))
    mine = [p for p in resolution.problems if p.file == str(path)]
    assert len(mine) == 1, resolution.problems
    assert "\n" not in str(mine[0])
    return mine[0]


def test_kind_decides_the_model(folder: Path) -> None:
    assert isinstance(load_any(SOURCE), Exercise) and kind_of(load_any(SOURCE)) == "exercise"
    workout = load_any(folder / "leg-day.yaml")
    assert isinstance(workout, Workout) and kind_of(workout) == "workout"
    program = load_any(write_yaml(folder / "p.yaml", _program()))
    assert isinstance(program, Program) and kind_of(program) == "program"
    with pytest.raises(DocumentError) as info:
        load(folder / "leg-day.yaml")
    assert str(info.value).endswith("kind: this is a workout; an exercise is expected here")


def test_unknown_kind_names_its_line(folder: Path) -> None:
    path = write_yaml(folder / "x.yaml", _workout(kind="routine"))
    with pytest.raises(DocumentError) as info:
        load_any(path)
    assert str(info.value) == (f"{path}:1: kind: must be 'exercise', 'program' or 'workout' "
                               "(got 'routine')")


def test_model_errors_name_the_field_without_union_tags(folder: Path) -> None:
    path = write_yaml(folder / "x.yaml", _workout(blocks=[
        {"exercise": KICK}, {"superset": [{"exercise": KICK}]}]))
    with pytest.raises(DocumentError) as info:
        load_any(path)
    assert str(info.value) == (f"{path}:8: blocks[1].superset: a superset needs at least 2 "
                               "exercises (got 1)")


def test_workout_and_program_resolve_and_pickle(folder: Path) -> None:
    write_yaml(folder / "p.yaml", _program())
    docs = resolve(load_loaded(p) for p in sorted(folder.glob("*.yaml")))
    workout, program = docs["leg-day"], docs["leg-block"]
    assert isinstance(workout, ResolvedWorkout) and list(workout.exercises) == [KICK]
    assert isinstance(program, ResolvedProgram) and list(program.workouts) == ["leg-day"]
    assert kind_of(workout) == "workout" and kind_of(program) == "program"
    assert plan(workout).total_seconds == 60 + 2 * 106 + 45 + FINISH
    assert pickle.loads(pickle.dumps(program)) == program


def test_what_each_document_is_made_from(folder: Path) -> None:
    write_yaml(folder / "p.yaml", _program())
    resolution = resolve_all(load_loaded(p) for p in sorted(folder.glob("*.yaml")))
    assert resolution.uses["leg-block"] == ("leg-day", KICK)
    assert resolution.files_of("leg-day") == (str(folder / "leg-day.yaml"),
                                              str(folder / SOURCE.name))


def test_unknown_exercise_with_a_guess_and_its_line(folder: Path) -> None:
    err = _problem(folder, "w.yaml", _workout(id="w", blocks=[
        {"exercise": "plank"}, {"circuit": [{"exercise": "plnk"}], "rounds": 2}]))
    assert str(err) == (f"{folder / 'w.yaml'}:8: blocks[1].circuit[0].exercise: unknown "
                        "exercise 'plnk' — did you mean 'plank'?")


@pytest.mark.parametrize(("data", "field", "reason"), [
    (_workout(id="w", blocks=[{"exercise": "leg-day"}]), "blocks[0].exercise",
     "'leg-day' is a workout ({folder}/leg-day.yaml); a workout names exercises here"),
    (_workout(id="w", warm_up=[{"exercise": "w"}]), "warm_up[0].exercise",
     "'w' is this workout itself (a reference cycle); name an exercise"),
    (_workout(id="w", blocks=[{"exercise": "plank", "reps": 10}]), "blocks[0]",
     "exercise 'plank' with these overrides: tempo is required with reps"),
    (_workout(id="w", blocks=[{"superset": [{"exercise": KICK, "time": 20, "tempo": "1-0-1-0"},
                                            {"exercise": "plank"}]}]), "blocks[0].superset[0]",
     "exercise '" + KICK + "' with these overrides: tempo applies to reps only; leave it out "
     "with time"),
    (_workout(id="w", blocks=[{"exercise": "bare"}]), "blocks[0].exercise",
     "exercise 'bare' has no prescription to train from (add one to {folder}/bare.yaml)"),
    (_workout(id="w", language="de"), "blocks[0].exercise",
     f"exercise '{KICK}' is in 'en', this workout in 'de'"),
    (_workout(), "id", "'leg-day' is already used by {folder}/leg-day.yaml"),
    (_program(id="p", weeks=[{"days": [{"workout": "p"}]}]), "weeks[0].days[0].workout",
     "'p' is this program itself (a reference cycle); name a workout"),
    (_program(id="p", weeks=[{"days": [{"workout": "plank"}]}]), "weeks[0].days[0].workout",
     "'plank' is an exercise ({folder}/plank.yaml); a program names workouts here"),
    (_program(id="p", weeks=[{"days": [{"workout": "leg-dya"}]}]), "weeks[0].days[0].workout",
     "unknown workout 'leg-dya' — did you mean 'leg-day'?"),
])
def test_reference_problems(folder: Path, data: dict[str, Any], field: str,
                            reason: str) -> None:
    err = _problem(folder, "z.yaml", data)
    assert err.field == field and err.line is not None
    assert err.reason == reason.format(folder=folder)


def test_program_of_a_bad_workout_is_not_built(folder: Path) -> None:
    write_yaml(folder / "leg-day.yaml", _workout(blocks=[{"exercise": "nope"}]))
    write_yaml(folder / "p.yaml", _program())
    resolution = resolve_all(load_loaded(p) for p in sorted(folder.glob("*.yaml")))
    assert [(p.file, p.field) for p in resolution.problems] == [
        (str(folder / "leg-day.yaml"), "blocks[0].exercise"),
        (str(folder / "p.yaml"), "weeks[0].days[0].workout")]
    assert resolution.problems[1].reason == (
        f"workout 'leg-day' cannot be used: {folder / 'leg-day.yaml'} has a problem of its own")
    assert "leg-block" not in resolution.documents and KICK in resolution.documents


def test_helpers_resolve_files_and_data(folder: Path) -> None:
    workout = resolved_workout(folder / "leg-day.yaml")
    assert list(workout.exercises) == [KICK]
    timed = resolved_workout(_workout(id="t", blocks=[{"exercise": "plank"}]), folder)
    assert timed.exercises["plank"].prescription is not None
    program = resolved_program(write_yaml(folder / "p.yaml", _program()))
    assert program.workouts["leg-day"] == workout
    with pytest.raises(DocumentError, match="unknown exercise 'nope'"):
        resolved_workout(_workout(blocks=[{"exercise": "nope"}]), folder)
