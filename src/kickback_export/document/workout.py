"""Workouts and programs: documents that put exercise documents together.

A workout names exercises by ``id`` and may override their prescription per entry; a
program names workouts by ``id`` per week and day. Both are typed here with the same
rules as exercises (frozen, unknown keys refused, text cleaned); references are
checked later, against the documents of a build (:mod:`.resolve`), because a single
file cannot know its neighbours. :class:`ResolvedWorkout` and :class:`ResolvedProgram`
are what exporters receive: the document with every document it uses.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from .kinds import Kind, Reference, Target, Unresolved
from .model import (
    _BCP47,
    _SLUG,
    MAX_ITEMS,
    Exercise,
    Prescription,
    Rest,
    Seconds,
    Short,
    Tempo,
    Text,
    _Model,
    _slug,
)
from .progression import Rule, Units
from .tempo import TEMPO_SCHEMA, TempoStart, legacy_start

if TYPE_CHECKING:
    from .athlete import Athlete
    from .plan import Plan
    from .targets import Progression

Slug = Annotated[str, Field(pattern=_SLUG, max_length=100), AfterValidator(_slug)]
"""The ``id`` of a document (exercise, workout or program)."""


class _Overrides(_Model):
    """What an entry may change in the exercise's own prescription (left out: kept)."""

    reps: int | None = Field(default=None, ge=1, le=100, description="Repetitions per set.")
    time: float | None = Field(
        default=None, gt=0, le=600, description="Seconds of work per set, instead of reps."
    )
    tempo: Annotated[Tempo | None, WithJsonSchema(TEMPO_SCHEMA)] = None
    tempo_start: TempoStart | None = Field(
        default=None, description="The phase a rep starts with ('lowering' or 'lifting'); "
        "left out, the exercise's.")
    rest: Rest | None = Field(
        default=None, description="Seconds of rest between sets, or 'until-ready'.")
    load: Short | None = None

    _legacy_start = model_validator(mode="before")(legacy_start)


class Entry(_Overrides):
    """One exercise in a workout: a reference by ``id`` and its overrides."""

    exercise: Slug = Field(description="The id of an exercise document.")
    sets: int | None = Field(default=None, ge=1, le=20)


class CircuitEntry(_Overrides):
    """One station of a circuit: done once per round, for reps or for time."""

    exercise: Slug = Field(description="The id of an exercise document.")


class TimedItem(_Model):
    """A warm-up or cool-down item that needs no exercise document: "march in place, 60 s"."""

    name: Short
    seconds: float = Field(gt=0, le=600)


class Superset(_Model):
    """Exercises done alternately (A1, A2, …): a short ``transition`` between them, the
    full ``rest`` only after the last one of each round."""

    superset: list[Entry] = Field(min_length=2, max_length=6)
    transition: Seconds = Field(default=10, description="Seconds between members of a round.")
    rest: Rest | None = Field(
        default=None,
        description="Seconds after the last member of a round, or 'until-ready'; left out, "
        "the longest rest of its members.",
    )


class Circuit(_Model):
    """``rounds`` passes over its stations, each for reps or for time."""

    circuit: list[CircuitEntry] = Field(min_length=1, max_length=20)
    rounds: int = Field(ge=1, le=20)
    rest: Rest = Field(default=15, description="Seconds between stations, or 'until-ready'.")
    round_rest: Rest = Field(default=60, description="Seconds between rounds, or "
                             "'until-ready'.")


def effective_prescription(
    exercise: Exercise, entry: Entry | CircuitEntry, sets: int | None = None
) -> Prescription:
    """The exercise's prescription with the entry's overrides (``sets`` fixes the number
    of sets, as a circuit's rounds do). Reps replace time and the reverse; a ValueError
    says why the result is not a prescription."""
    if exercise.prescription is None:
        raise ValueError(f"exercise '{exercise.id}' has no prescription to train from")
    data = exercise.prescription.model_dump(by_alias=True, exclude_none=True)
    over = entry.model_dump(by_alias=True, exclude_none=True, exclude={"exercise"})
    if "time" in over:
        data.pop("reps", None)
        data.pop("tempo", None)
        data.pop("tempo_start", None)
    if "reps" in over:
        data.pop("time", None)
    data.update(over)
    if sets is not None:
        data["sets"] = sets
    try:
        return Prescription.model_validate(data)
    except ValidationError as exc:
        reason = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise ValueError(f"exercise '{exercise.id}' with these overrides: {reason}") from None


def _block_kind(value: object) -> str:
    keys = value if isinstance(value, dict) else vars(value) if hasattr(value, "__dict__") else {}
    return next((f"<{k}>" for k in ("superset", "circuit") if k in keys), "<exercise>")


def _warm_kind(value: object) -> str:
    keys = value if isinstance(value, dict) else vars(value) if hasattr(value, "__dict__") else {}
    return "<exercise>" if "exercise" in keys else "<timed>"


# The key a block is written with says what it is, so an error names that kind's field
# rather than listing how the block fails every kind. Tags (in <>) are left out of the
# field paths in error lines.
Block = Annotated[
    Annotated[Entry, Tag("<exercise>")]
    | Annotated[Superset, Tag("<superset>")]
    | Annotated[Circuit, Tag("<circuit>")],
    Discriminator(_block_kind),
]
WarmItem = Annotated[
    Annotated[Entry, Tag("<exercise>")] | Annotated[TimedItem, Tag("<timed>")],
    Discriminator(_warm_kind),
]


class Workout(_Model):
    """One training session: blocks in order, optionally framed by a warm-up and cool-down."""

    kind: Literal["workout"]
    id: Slug = Field(description="Stable slug; names the outputs.")
    name: Short
    language: str = Field(default="en", pattern=_BCP47, description="BCP 47 language tag.")
    summary: Text
    warm_up: list[WarmItem] = Field(default_factory=list, max_length=20)
    blocks: list[Block] = Field(min_length=1, max_length=26)
    cool_down: list[WarmItem] = Field(default_factory=list, max_length=20)
    changeover: Seconds = Field(
        default=60, description="Seconds between blocks, to move to the next exercise."
    )
    notes: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)

    @property
    def slug(self) -> str:
        return self.id

    def exercise_ids(self) -> list[str]:
        """Every exercise the workout uses, in first-use order, each once."""
        seen: dict[str, None] = {}
        for item in [*self.warm_up, *self.blocks, *self.cool_down]:
            members = (item.superset if isinstance(item, Superset)
                       else item.circuit if isinstance(item, Circuit)
                       else [] if isinstance(item, TimedItem) else [item])
            for entry in members:
                seen.setdefault(entry.exercise, None)
        return list(seen)


class Day(_Model):
    """One training day of a week: a workout by id, or a rest day with a note."""

    workout: Slug | None = Field(default=None, description="The id of a workout document.")
    name: Short | None = Field(default=None, description="E.g. 'Monday' or 'Day 1'.")
    note: Text | None = None

    @model_validator(mode="after")
    def _something(self) -> Day:
        if self.workout is None and self.note is None:
            raise ValueError("a day names a workout, or is a rest day with a note")
        return self


class Week(_Model):
    days: list[Day] = Field(min_length=1, max_length=7)
    notes: list[Text] = Field(
        default_factory=list, max_length=20, description="Progression, deload, …"
    )


class Program(_Model):
    """Weeks of days, each day a workout, and how each exercise progresses week by week
    (:mod:`.progression`): the plan of a training block."""

    kind: Literal["program"]
    id: Slug = Field(description="Stable slug; names the outputs.")
    name: Short
    language: str = Field(default="en", pattern=_BCP47, description="BCP 47 language tag.")
    summary: Text
    units: Units = Field(default="kg", description="Loads without a unit take it.")
    rounding: float | None = Field(default=None, gt=0, le=100, description="Loads round to "
                                   "the nearest multiple (default 2.5 kg, or 5 lb).")
    bands: list[Short] = Field(default_factory=list, max_length=20,
                               description="Resistance bands, lightest first.")
    deload: list[Annotated[int, Field(ge=1, le=52)]] = Field(
        default_factory=list, max_length=52, description="Weeks whose sets are cut to 60 %.")
    progression: list[Rule] = Field(default_factory=list, max_length=100)
    weeks: list[Week] = Field(min_length=1, max_length=52)

    @model_validator(mode="after")
    def _trains(self) -> Program:
        if not any(d.workout for w in self.weeks for d in w.days):
            raise ValueError("no day of any week names a workout")
        return self

    @property
    def slug(self) -> str:
        return self.id

    def workout_ids(self) -> list[str]:
        seen = {d.workout: None for w in self.weeks for d in w.days if d.workout}
        return list(seen)


@dataclass(frozen=True)
class ResolvedWorkout:
    """A workout with the exercise documents it uses, by id: what its text model is made
    from. Its :attr:`plan` is computed once, when it is resolved."""

    workout: Workout
    exercises: Mapping[str, Exercise]
    kind: ClassVar[str] = "workout"

    @property
    def id(self) -> str:
        return self.workout.id

    @property
    def slug(self) -> str:
        return self.workout.id

    @property
    def language(self) -> str:
        return self.workout.language

    @property
    def name(self) -> str:
        return self.workout.name

    @functools.cached_property
    def plan(self) -> Plan:
        """What is done, in which order, for how long (:mod:`.plan`)."""
        from .plan import plan

        return plan(self)


@dataclass(frozen=True)
class ResolvedProgram:
    """A program with its workouts, each resolved, and the athlete it is built for (None:
    loads as written, percentages of a training max as percentages). Its
    :attr:`progression` (every week's targets) is worked out once, when it is resolved."""

    program: Program
    workouts: Mapping[str, ResolvedWorkout]
    athlete: Athlete | None = None
    kind: ClassVar[str] = "program"

    @property
    def id(self) -> str:
        return self.program.id

    @property
    def slug(self) -> str:
        return self.program.id

    @property
    def language(self) -> str:
        return self.program.language

    @property
    def name(self) -> str:
        return self.program.name

    def exercises(self) -> dict[str, Exercise]:
        """Every exercise of every workout, each once, in first-use order."""
        out: dict[str, Exercise] = {}
        for wid in self.program.workout_ids():
            out.update({k: v for k, v in self.workouts[wid].exercises.items() if k not in out})
        return out

    @functools.cached_property
    def progression(self) -> Progression:
        """Every week's targets (:mod:`.targets`)."""
        from .targets import progression

        return progression(self)


# --- the kinds ---------------------------------------------------------------------------


def entries(w: Workout) -> Iterator[tuple[str, Entry | CircuitEntry, int | None]]:
    """Every exercise entry in the order of the file, with its field path and the sets a
    circuit's rounds fix."""
    def framing(name: str, items: list[Entry | TimedItem]) -> Iterator[
            tuple[str, Entry | CircuitEntry, int | None]]:
        for i, item in enumerate(items):
            if not isinstance(item, TimedItem):
                yield f"{name}[{i}]", item, None

    yield from framing("warm_up", w.warm_up)
    for i, block in enumerate(w.blocks):
        if isinstance(block, Superset):
            for j, entry in enumerate(block.superset):
                yield f"blocks[{i}].superset[{j}]", entry, None
        elif isinstance(block, Circuit):
            for j, station in enumerate(block.circuit):
                yield f"blocks[{i}].circuit[{j}]", station, block.rounds
        else:
            yield f"blocks[{i}]", block, None
    yield from framing("cool_down", w.cool_down)


def _workout_references(w: Workout) -> Iterator[Reference]:
    for where, entry, _ in entries(w):
        yield Reference(f"{where}.exercise", entry.exercise, "exercise")


def _resolve_workout(w: Workout, targets: Mapping[str, Target]) -> ResolvedWorkout:
    """Every entry trains from its exercise's prescription with its overrides, and the
    plan can be made: every output reads it, so one that cannot be is this file's problem,
    found here so that validate and build refuse it alike."""
    problems: list[tuple[str, str]] = []
    for where, entry, sets in entries(w):
        target = targets.get(entry.exercise)
        if target is None:
            continue  # the resolver reported it
        if target.document.prescription is None:
            problems.append((f"{where}.exercise", f"exercise '{entry.exercise}' has no "
                             f"prescription to train from (add one to {target.file})"))
            continue
        try:
            effective_prescription(target.document, entry, sets)
        except ValueError as exc:
            problems.append((where, str(exc)))
    if problems or any(i not in targets for i in w.exercise_ids()):
        raise Unresolved(problems)
    resolved = ResolvedWorkout(w, {i: targets[i].document for i in w.exercise_ids()})
    try:
        resolved.plan  # noqa: B018 - computed once, here
    except ValueError as exc:
        raise Unresolved([("blocks", str(exc))]) from None
    return resolved


WORKOUT = Kind("workout", Workout, "kickback_export.content.workout_text:text",
               "a training session: exercises in blocks, supersets and circuits",
               uses=("exercise",), references=_workout_references, resolve=_resolve_workout)
