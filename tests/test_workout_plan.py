"""The workout plan: labels, effective prescriptions, the order and length of every interval."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kickback_export import Exercise
from kickback_export.document.plan import FINISH, Plan, plan
from kickback_export.document.workout import ResolvedWorkout, Workout

BILATERAL = {"sets": 2, "reps": 10, "sides": "none", "tempo": {"kick": 1, "hold": 0,
             "return": 2}, "rest": 60}
TIMED = {"sets": 2, "time": 30, "sides": "none", "rest": 30}


@pytest.fixture
def exercises(make_doc: Callable[..., Exercise]) -> dict[str, Exercise]:
    kick = make_doc()  # 3 sets × 12 reps per leg, 4 s a rep, 10 s switch, 45 s rest
    bridge = make_doc(id="glute-bridge", name="Glute bridge", prescription=BILATERAL)
    plank = make_doc(id="plank", name="Plank", prescription=TIMED)
    return {e.id: e for e in (kick, bridge, plank)}


def _plan(exercises: dict[str, Exercise], **workout: Any) -> Plan:
    doc = Workout.model_validate({"kind": "workout", "id": "w", "name": "W",
                                  "summary": "S.", "changeover": 20, **workout})
    return plan(ResolvedWorkout(doc, exercises))


def test_single_unilateral_exercise(exercises: dict[str, Exercise]) -> None:
    kick = exercises["resistance-band-one-leg-kickback-bent-position"].id
    p = _plan(exercises, blocks=[{"exercise": kick}])
    kinds = [(i.kind, i.seconds, i.set, i.side) for i in p.intervals]
    per_set = [("work", 48.0), ("switch", 10.0), ("work", 48.0)]
    assert [k[:2] for k in kinds] == [("changeover", 20.0), *per_set, ("rest", 45.0),
                                      *per_set, ("rest", 45.0), *per_set, ("finish", FINISH)]
    assert [k[3] for k in kinds if k[0] == "work"] == ["left", "right"] * 3
    assert p.total_seconds == 20 + 3 * 106 + 2 * 45 + FINISH
    assert [i.last_set for i in p.intervals if i.kind == "work"] == [False] * 4 + [True] * 2
    assert p.blocks[0].label == "A" and p.blocks[0].entries[0].label == "A"


def test_superset_alternates_with_transition_and_full_rest(
        exercises: dict[str, Exercise]) -> None:
    p = _plan(exercises, blocks=[
        {"exercise": "plank", "sets": 1},
        {"superset": [{"exercise": "glute-bridge", "sets": 3},
                      {"exercise": "plank", "time": 20, "sets": 2}],
         "transition": 15, "rest": 90}])
    b = p.blocks[1]
    assert b.kind == "superset" and [e.label for e in b.entries] == ["B1", "B2"]
    assert b.rounds == 3 and b.round_rest == 90
    seq = [(i.kind, i.entry, i.set, i.seconds) for i in p.intervals if i.block == "B"]
    assert seq == [
        ("changeover", "B1", 0, 20.0),
        ("work", "B1", 1, 30.0), ("transition", "B2", 1, 15.0), ("work", "B2", 1, 20.0),
        ("rest", "B1", 2, 90.0),
        ("work", "B1", 2, 30.0), ("transition", "B2", 2, 15.0), ("work", "B2", 2, 20.0),
        ("rest", "B1", 3, 90.0),
        ("work", "B1", 3, 30.0),  # B2 has only two sets: it drops out of round 3
        ("finish", "B1", 0, FINISH),
    ]
    # the plank override: time replaces nothing (it was timed), sets come from the entry
    assert p.entries["B2"].prescription.time == 20 and p.entries["B2"].prescription.sets == 2
    assert p.entries["B1"].rest_after == 15 and p.entries["B2"].rest_after == 90


def test_circuit_rounds_stations_and_rests(exercises: dict[str, Exercise]) -> None:
    p = _plan(exercises, blocks=[{"circuit": [
        {"exercise": "glute-bridge", "time": 40},
        {"exercise": "plank"}], "rounds": 2, "rest": 10, "round_rest": 50}])
    seq = [(i.kind, i.entry, i.set, i.sets, i.seconds) for i in p.intervals]
    assert seq == [
        ("changeover", "A1", 0, 0, 20.0),
        ("work", "A1", 1, 2, 40.0), ("rest", "A2", 1, 2, 10.0), ("work", "A2", 1, 2, 30.0),
        ("round-rest", "A1", 2, 2, 50.0),
        ("work", "A1", 2, 2, 40.0), ("rest", "A2", 2, 2, 10.0), ("work", "A2", 2, 2, 30.0),
        ("finish", "A2", 0, 0, FINISH),
    ]
    # time given to a rep exercise: reps and tempo give way
    bridge = p.entries["A1"].prescription
    assert bridge.reps is None and bridge.tempo is None and bridge.sets == 2
    assert p.total_seconds == sum(i.seconds for i in p.intervals) == 230 + FINISH


def test_warm_up_cool_down_and_next_work(exercises: dict[str, Exercise]) -> None:
    p = _plan(exercises,
              warm_up=[{"name": "March in place", "seconds": 60},
                       {"exercise": "glute-bridge", "sets": 1, "reps": 5}],
              blocks=[{"exercise": "plank"}],
              cool_down=[{"name": "Breathe", "seconds": 30}])
    assert [b.key for b in p.blocks] == ["warm-up", "A", "cool-down"]
    assert [b.label for b in p.blocks] == ["", "A", ""]
    warm = [(i.kind, i.entry, i.seconds) for i in p.intervals if i.block == "warm-up"]
    assert warm == [("changeover", "warm-up-1", 20.0), ("work", "warm-up-1", 60.0),
                    ("transition", "warm-up-2", 10.0), ("work", "warm-up-2", 15.0)]
    assert p.entries["warm-up-1"].exercise is None and p.entries["warm-up-1"].name == \
        "March in place"
    rest = next(k for k, i in enumerate(p.intervals) if i.kind == "rest")
    nxt = p.next_work(rest)
    assert nxt is not None and (nxt.entry, nxt.set) == ("A", 2)
    assert p.next_work(len(p.intervals) - 1) is None
    assert p.exercise_count == 2
    starts = [i.start for i in p.intervals]
    assert starts == sorted(starts) and all(
        a.end == pytest.approx(b.start) for a, b in zip(p.intervals, p.intervals[1:], strict=False))


def test_overrides_that_make_no_prescription_are_refused(
        exercises: dict[str, Exercise]) -> None:
    with pytest.raises(ValueError, match=r"plank.*tempo is required with reps"):
        _plan(exercises, blocks=[{"exercise": "plank", "reps": 10}])
    with pytest.raises(ValueError, match="tempo applies to reps only"):
        _plan(exercises, blocks=[{"exercise": "plank", "tempo": {"kick": 1, "hold": 0,
                                                                 "return": 1}}])
