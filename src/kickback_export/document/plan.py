"""The plan of a workout: what is done, in which order, for how long.

Every workout output reads this one plan, so the sheet's labels, the audio's timing and
the e-book's lists never disagree. :func:`plan` turns a resolved workout into labelled
blocks (A, B, C…; superset and circuit members A1, A2…) with each entry's effective
prescription, and into the flat sequence of intervals as they are done: each set per
side, side switches, superset transitions and full rests, circuit stations and rounds,
and a ``changeover`` before every block (the time to get ready, in which the audio
introduces what comes next), and a short ``finish`` after the last set (the audio's
"Workout complete."). Durations are the planned ones; nothing here speaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .model import READY_SECONDS, UNTIL_READY, Exercise, Prescription, sides
from .workout import (
    Circuit,
    CircuitEntry,
    Entry,
    Superset,
    TimedItem,
    Workout,
    effective_prescription,
)

if TYPE_CHECKING:
    from .workout import ResolvedWorkout

ITEM_GAP = 10.0
"""Seconds between warm-up (or cool-down) items."""

BlockKind = Literal["warm-up", "exercise", "superset", "circuit", "cool-down"]
IntervalKind = Literal["work", "switch", "transition", "rest", "round-rest", "changeover",
                       "finish"]

FINISH = 5.0
"""Seconds after the last set: the last end tone, then "Workout complete." in the audio."""

READY = READY_SECONDS
"""Seconds planned for an until-ready rest that has no seconds of its own to fall back on
(an until-ready override falls back on the exercise's own rest)."""

MAX_HOURS = 4
"""The longest session planned: its audio guide is one track (a 67-hour circuit the
schema allows would overflow a WAV file), and no class or athlete trains longer."""


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One exercise (or timed warm-up item) of a block, with its effective dose."""

    key: str  # unique in the workout: "A1", "B", "warm-up-2"
    label: str  # printed: "A1", "B"; "" in the warm-up and cool-down
    name: str
    exercise: Exercise | None  # None for a timed item ("march in place")
    prescription: Prescription  # the exercise's, with the entry's overrides
    rest_after: float  # what follows one of its sets inside the block (0: nothing)
    rest_ready: bool = False  # that rest lasts until the athlete is ready (rest_after: planned)


@dataclass(frozen=True, slots=True)
class PlanBlock:
    key: str  # "A", "warm-up", "cool-down"
    label: str  # "A" or ""
    kind: BlockKind
    entries: tuple[PlanEntry, ...]
    rounds: int  # sets of a single exercise, rounds of a superset or circuit
    round_rest: float  # after each round but the last (a superset's full rest)
    round_ready: bool = False  # that rest lasts until the athlete is ready


@dataclass(frozen=True, slots=True)
class Interval:
    """A stretch of the session. ``set``/``sets`` count the sets of ``entry`` (a circuit
    station's rounds); rests and changeovers carry the block and entry they lead into. A
    rest with ``until_ready`` lasts until the athlete is ready: ``seconds`` is its planned
    length, what a continuous guide gives it."""

    kind: IntervalKind
    start: float
    seconds: float
    block: str
    entry: str
    set: int = 0
    sets: int = 0
    side: str | None = None
    until_ready: bool = False

    @property
    def end(self) -> float:
        return self.start + self.seconds

    @property
    def last_set(self) -> bool:
        return self.kind == "work" and self.set == self.sets


@dataclass(frozen=True, slots=True)
class Plan:
    workout: Workout
    blocks: tuple[PlanBlock, ...]
    intervals: tuple[Interval, ...]
    entries: dict[str, PlanEntry] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        """Planned length of the session, first changeover to the finish."""
        return self.intervals[-1].end if self.intervals else 0.0

    @property
    def minutes(self) -> int:
        """The length as said and printed: whole minutes, at least one."""
        return max(1, round(self.total_seconds / 60))

    @property
    def exercise_count(self) -> int:
        """Distinct exercise documents used (warm-up and cool-down included)."""
        return len({e.exercise.id for b in self.blocks for e in b.entries if e.exercise})

    def next_work(self, index: int) -> Interval | None:
        """The first work interval after ``intervals[index]`` ("Next: …" during a rest)."""
        return next((i for i in self.intervals[index + 1:] if i.kind == "work"), None)


def block_label(n: int) -> str:
    """A, B, … Z for the blocks in order (a workout has at most 26)."""
    return chr(ord("A") + n)


class _Sequencer:
    def __init__(self) -> None:
        self.t = 0.0
        self.out: list[Interval] = []

    def add(self, kind: IntervalKind, seconds: float, block: str, entry: str,
            set_: int = 0, sets: int = 0, side: str | None = None, ready: bool = False) -> None:
        if seconds > 0:
            self.out.append(Interval(kind, self.t, seconds, block, entry, set_, sets, side,
                                     ready))
            self.t += seconds

    def one_set(self, block: str, e: PlanEntry, n: int, total: int) -> None:
        """One set of an entry: each side in turn, the switch time between them."""
        rx = e.prescription
        for k, side in enumerate(sides(rx)):
            if k:
                self.add("switch", rx.switch, block, e.key, n, total, side)
            self.add("work", rx.work_seconds, block, e.key, n, total, side)


def _timed(item: TimedItem) -> Prescription:
    return Prescription(sets=1, time=item.seconds, sides="none", rest=0)


Pause = tuple[float, bool]
"""A rest as planned: seconds, and whether it lasts until the athlete is ready."""


def _pause(value: float | str, fallback: float = READY) -> Pause:
    """A rest as written: its seconds, or until-ready planned for ``fallback`` seconds."""
    return (fallback or READY, True) if value == UNTIL_READY else (float(value), False)


def _blocks(w: ResolvedWorkout) -> list[PlanBlock]:
    ex = w.exercises

    def entry(key: str, label: str, item: Entry | CircuitEntry | TimedItem,
              rest: Pause | None = None, sets: int | None = None) -> PlanEntry:
        if isinstance(item, TimedItem):
            return PlanEntry(key, label, item.name, None, _timed(item), ITEM_GAP)
        rx = effective_prescription(ex[item.exercise], item, sets)
        own = ex[item.exercise].prescription
        assert own is not None  # effective_prescription refuses an exercise without one
        seconds, ready = _pause(rx.rest, own.rest_seconds) if rest is None else rest
        return PlanEntry(key, label, ex[item.exercise].name, ex[item.exercise], rx, seconds,
                         ready)

    def rest_of(item: Entry | CircuitEntry) -> Pause:
        """An entry's rest override (or the exercise's rest), until-ready falling back on
        the exercise's own seconds."""
        own = ex[item.exercise].prescription
        assert own is not None
        return _pause(item.rest if item.rest is not None else own.rest, own.rest_seconds)

    out: list[PlanBlock] = []
    for kind, items in (("warm-up", w.workout.warm_up), ("cool-down", w.workout.cool_down)):
        if items:
            entries = tuple(entry(f"{kind}-{i}", "", it) for i, it in enumerate(items, 1))
            out.append(PlanBlock(kind, "", kind, entries, 1, 0))  # type: ignore[arg-type]
    cool = [b for b in out if b.kind == "cool-down"]
    out = [b for b in out if b.kind == "warm-up"]
    for n, block in enumerate(w.workout.blocks):
        label = block_label(n)
        if isinstance(block, Superset):
            rxs = [effective_prescription(ex[m.exercise], m) for m in block.superset]
            rests = [rest_of(m) for m in block.superset]
            full = _pause(block.rest) if block.rest is not None else (
                max(s for s, _ in rests), any(r for _, r in rests))
            last = len(block.superset)
            members = tuple(
                entry(f"{label}{i}", f"{label}{i}", m,
                      full if i == last else (block.transition, False))
                for i, m in enumerate(block.superset, 1))
            out.append(PlanBlock(label, label, "superset", members,
                                 max(rx.sets for rx in rxs), *full))
        elif isinstance(block, Circuit):
            stations = tuple(
                entry(f"{label}{i}", f"{label}{i}", s,
                      rest_of(s) if s.rest is not None else _pause(block.rest), block.rounds)
                for i, s in enumerate(block.circuit, 1))
            out.append(PlanBlock(label, label, "circuit", stations, block.rounds,
                                 *_pause(block.round_rest)))
        else:
            single = entry(label, label, block)
            out.append(PlanBlock(label, label, "exercise", (single,),
                                 single.prescription.sets, single.rest_after,
                                 single.rest_ready))
    return out + cool


def _sequence(blocks: list[PlanBlock], w: Workout) -> list[Interval]:
    s = _Sequencer()
    for block in blocks:
        s.add("changeover", w.changeover, block.key, block.entries[0].key)
        if block.kind in ("exercise", "warm-up", "cool-down"):
            for i, e in enumerate(block.entries):  # every set of one entry, then the next
                if i:
                    s.add("transition", ITEM_GAP, block.key, e.key, 1, e.prescription.sets)
                for n in range(1, e.prescription.sets + 1):
                    if n > 1:
                        s.add("rest", e.rest_after, block.key, e.key, n, e.prescription.sets,
                              ready=e.rest_ready)
                    s.one_set(block.key, e, n, e.prescription.sets)
            continue
        for r in range(1, block.rounds + 1):  # supersets and circuits alternate
            if r > 1:
                first = block.entries[0]
                kind: IntervalKind = "round-rest" if block.kind == "circuit" else "rest"
                s.add(kind, block.round_rest, block.key, first.key, r, first.prescription.sets,
                      ready=block.round_ready)
            active = [e for e in block.entries if e.prescription.sets >= r]
            for i, e in enumerate(active):
                if i:  # what the previous entry is followed by inside the round
                    kind = "rest" if block.kind == "circuit" else "transition"
                    s.add(kind, active[i - 1].rest_after, block.key, e.key, r,
                          e.prescription.sets, ready=active[i - 1].rest_ready)
                s.one_set(block.key, e, r, e.prescription.sets)
    if s.out:
        s.add("finish", FINISH, s.out[-1].block, s.out[-1].entry)
    return s.out


def plan(workout: ResolvedWorkout) -> Plan:
    """The plan of a resolved workout (raises ValueError for an entry whose overrides do
    not make a prescription, or a session over :data:`MAX_HOURS`; resolution reports
    both before any export)."""
    blocks = _blocks(workout)
    entries = {e.key: e for b in blocks for e in b.entries}
    out = Plan(workout.workout, tuple(blocks), tuple(_sequence(blocks, workout.workout)),
               entries)
    if out.total_seconds > MAX_HOURS * 3600:
        raise ValueError(f"the session would last {out.total_seconds / 3600:.1f} hours; "
                         f"a workout lasts at most {MAX_HOURS} hours")
    return out


__all__ = ["FINISH", "MAX_HOURS", "READY", "Interval", "Plan", "PlanBlock", "PlanEntry",
           "block_label", "plan"]
