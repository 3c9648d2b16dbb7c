"""A program's progression as written: its units, rounding, bands, deload weeks and one
rule per exercise (docs/programs.md has the format and the arithmetic).

Coaches write programs week by week ("+5 kg a week", "65, 70, 75 % of the training
max", "8 to 15 reps, then a heavier band"), so a rule says how one exercise's dose
changes over the weeks, and :mod:`.targets` works out every week's numbers from it once.
Loads are :class:`~decimal.Decimal` in the program's units, so rounding is exact: a
program in kilograms never prints 47.499999 kg. A load may be written with its own unit
("60 kg" in a program in pounds): it is converted, never printed in two units.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, model_validator

from .model import _SLUG, Short, _Model, _slug

Units = Literal["kg", "lb"]
KG_PER_LB = Decimal("0.45359237")
"""Kilograms in a pound, exactly (by definition)."""
DEFAULT_ROUNDING: dict[str, Decimal] = {"kg": Decimal("2.5"), "lb": Decimal("5")}
DELOAD_SHARE = Decimal("0.6")
"""The share of its sets a deload week keeps (rounded half up, at least one)."""

_MASS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(kg|lb)\s*$")


def _mass_kind(value: object) -> str:
    return "<mass>" if isinstance(value, str) else "<number>"


_TEXT = Annotated[str, Field(pattern=_MASS.pattern, max_length=20), Tag("<mass>")]
Mass = Annotated[Annotated[float, Field(gt=0, lt=10000), Tag("<number>")] | _TEXT,
                 Discriminator(_mass_kind)]
"""A load: a number in the program's (or the athlete's) units, or "60 kg", "135 lb"."""
Step = Annotated[Annotated[float, Field(gt=-1000, lt=1000), Tag("<number>")] | _TEXT,
                 Discriminator(_mass_kind)]
"""A change of load: a number (less than 0 to go down), or "2.5 kg"."""


def _weeks(value: object) -> str:
    return "<weeks>" if isinstance(value, list) else "<one>"


def _reps(value: object) -> str:
    return "<range>" if isinstance(value, dict) else _weeks(value)


Count = Annotated[int, Field(ge=1, le=100)]
Sets = Annotated[int, Field(ge=1, le=20)]
Rir = Annotated[int, Field(ge=0, le=10)]
Percent = Annotated[float, Field(gt=0, le=150)]
PerWeekSets = Annotated[Annotated[Sets, Tag("<one>")]
                        | Annotated[list[Sets], Field(min_length=1, max_length=52),
                                    Tag("<weeks>")], Discriminator(_weeks)]
PerWeekRir = Annotated[Annotated[Rir, Tag("<one>")]
                       | Annotated[list[Rir], Field(min_length=1, max_length=52),
                                   Tag("<weeks>")], Discriminator(_weeks)]
PerWeekPercent = Annotated[Annotated[Percent, Tag("<one>")]
                           | Annotated[list[Percent], Field(min_length=1, max_length=52),
                                       Tag("<weeks>")], Discriminator(_weeks)]
PerWeekBand = Annotated[Annotated[Short, Tag("<one>")]
                        | Annotated[list[Short], Field(min_length=1, max_length=52),
                                    Tag("<weeks>")], Discriminator(_weeks)]


class LoadSteps(_Model):
    """A load that grows by the same step each week (or, with a double progression, each
    time the reps start again)."""

    start: Mass = Field(description="Week 1's load: a number in the program's units, or "
                        "'60 kg' / '135 lb'.")
    step: Step = Field(default=0, description="Added each week (a number below 0 takes "
                       "it off).")


class DoubleProgression(_Model):
    """Reps grow by ``step`` a week through ``range``; past its top they start again at its
    bottom with the next load step or band."""

    range: tuple[Count, Count] = Field(description="The lowest and the highest reps.")
    step: Count = Field(default=1, description="Reps added each week.")

    @model_validator(mode="after")
    def _rising(self) -> DoubleProgression:
        if self.range[0] >= self.range[1]:
            raise ValueError(f"range: {self.range[0]} is not lower than {self.range[1]}; "
                             "give the lowest reps, then the highest")
        return self


Reps = Annotated[Annotated[Count, Tag("<one>")]
                 | Annotated[list[Count], Field(min_length=1, max_length=52), Tag("<weeks>")]
                 | Annotated[DoubleProgression, Tag("<range>")], Discriminator(_reps)]


class Rule(_Model):
    """How one exercise's dose changes from week to week, for every entry of it in the
    blocks of the program's workouts (their warm-ups and cool-downs keep their own)."""

    exercise: Annotated[str, Field(pattern=_SLUG, max_length=100), AfterValidator(_slug)] = (
        Field(description="The id of an exercise the program's workouts use."))
    implement: Literal["barbell", "dumbbell"] | None = Field(
        default=None, description="What the load is lifted with: with an athlete's "
        "equipment, loads round to the bar and pairs of plates, or to a dumbbell owned.")
    load: LoadSteps | None = Field(default=None, description="{start, step} in the units.")
    percent: PerWeekPercent | None = Field(
        default=None, description="Of the athlete's training max, per week (or one value).")
    band: PerWeekBand | None = Field(
        default=None, description="One of the program's bands, per week (or one value).")
    reps: Reps | None = Field(
        default=None, description="Per week, one value, or {range: [8, 15], step: 2}.")
    sets: PerWeekSets | None = None
    rir: PerWeekRir | None = Field(default=None, description="Reps in reserve, per week.")

    @model_validator(mode="after")
    def _one_load(self) -> Rule:
        given = [name for name in ("load", "percent", "band") if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError(f"give one of load, percent or band, not {' and '.join(given)}")
        return self


def mass(value: float | str, units: str) -> tuple[Decimal, str]:
    """A written load as a number and its unit (a bare number takes ``units``)."""
    if isinstance(value, str):
        match = _MASS.match(value)
        assert match is not None  # the model's pattern
        return Decimal(match.group(1)), match.group(2)
    return Decimal(str(value)), units


def convert(value: Decimal, unit: str, units: str) -> Decimal:
    """``value`` in ``unit`` as ``units``."""
    if unit == units:
        return value
    return value * KG_PER_LB if unit == "lb" else value / KG_PER_LB


def in_units(value: float | str, units: str, own: str | None = None) -> Decimal:
    """A written load in ``units`` (a bare number is in ``own``, default ``units``)."""
    number, unit = mass(value, own or units)
    return convert(number, unit, units)


def round_to(value: Decimal, step: Decimal) -> Decimal:
    """The nearest multiple of ``step`` (a tie goes up)."""
    return (value / step).quantize(Decimal(1), ROUND_HALF_UP) * step


def nearest(value: Decimal, choices: list[Decimal]) -> Decimal:
    """The nearest of ``choices`` (a tie goes to the heavier)."""
    return min(choices, key=lambda c: (abs(c - value), -c))


def deloaded(sets: int) -> int:
    """A deload week's sets: 60 % of them, rounded half up, at least one."""
    return max(1, int((sets * DELOAD_SHARE).quantize(Decimal(1), ROUND_HALF_UP)))


def week_value(values: object, week: int) -> object:
    """A per-week value for ``week`` (from 1): the list's, or the one value."""
    return values[week - 1] if isinstance(values, list) else values


def double_step(rule: DoubleProgression, week: int) -> tuple[int, int]:
    """Week ``week``'s reps and how many times the reps have started again."""
    low, high = rule.range
    length = (high - low) // rule.step + 1
    cycle, place = divmod(week - 1, length)
    return low + place * rule.step, cycle


__all__ = ["DEFAULT_ROUNDING", "KG_PER_LB", "DoubleProgression", "LoadSteps", "Mass", "Rule",
           "Units", "convert", "deloaded", "double_step", "in_units", "mass", "nearest",
           "round_to", "week_value"]
