"""Workouts and programs: documents that put exercise documents together.

A workout names exercises by ``id`` and may override their prescription per entry; a
program names workouts by ``id`` per week and day. Both are typed here with the same
rules as exercises (frozen, unknown keys refused, text cleaned); references are
checked later, against the documents of a build (:mod:`.resolve`), because a single
file cannot know its neighbours. :class:`ResolvedWorkout` and :class:`ResolvedProgram`
are what exporters receive: the document with every document it uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, ValidationError, model_validator

from .model import (
    _BCP47,
    _SLUG,
    MAX_ITEMS,
    Exercise,
    Prescription,
    Seconds,
    Short,
    Tempo,
    Text,
    _Model,
    _slug,
)

Slug = Annotated[str, Field(pattern=_SLUG, max_length=100), AfterValidator(_slug)]
"""The ``id`` of a document (exercise, workout or program)."""


class _Overrides(_Model):
    """What an entry may change in the exercise's own prescription (left out: kept)."""

    reps: int | None = Field(default=None, ge=1, le=100, description="Repetitions per set.")
    time: float | None = Field(
        default=None, gt=0, le=600, description="Seconds of work per set, instead of reps."
    )
    tempo: Tempo | None = None
    rest: Seconds | None = Field(default=None, description="Seconds of rest between sets.")
    load: Short | None = None


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
    rest: Seconds | None = Field(
        default=None,
        description="Seconds after the last member of a round; left out, the longest rest "
        "of its members.",
    )


class Circuit(_Model):
    """``rounds`` passes over its stations, each for reps or for time."""

    circuit: list[CircuitEntry] = Field(min_length=1, max_length=20)
    rounds: int = Field(ge=1, le=20)
    rest: Seconds = Field(default=15, description="Seconds between stations.")
    round_rest: Seconds = Field(default=60, description="Seconds between rounds.")


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
    """Weeks of days, each day a workout: the plan of a training block."""

    kind: Literal["program"]
    id: Slug = Field(description="Stable slug; names the outputs.")
    name: Short
    language: str = Field(default="en", pattern=_BCP47, description="BCP 47 language tag.")
    summary: Text
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
    """A workout with the exercise documents it uses, by id: what an exporter receives."""

    workout: Workout
    exercises: Mapping[str, Exercise]
    exported: frozenset[str] | None = None
    """The exercises whose own outputs are in the build's output too, so its pages may link
    to them (None: every one); one read only from the workout's folder is not."""

    @property
    def slug(self) -> str:
        return self.workout.id

    def has_outputs(self, exercise_id: str) -> bool:
        """Whether the exercise's own outputs (its page) are in the output beside this one."""
        return self.exported is None or exercise_id in self.exported

    @property
    def language(self) -> str:
        return self.workout.language

    @property
    def name(self) -> str:
        return self.workout.name


@dataclass(frozen=True)
class ResolvedProgram:
    """A program with its workouts, each resolved: what an exporter receives."""

    program: Program
    workouts: Mapping[str, ResolvedWorkout]

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
