"""The athlete a program is built for (``--athlete FILE``, ``kind: athlete``).

A percentage means nothing until it meets a training max, and "52.3 kg" means nothing in
a gym whose lightest plates are 1.25 kg: the athlete file gives the training maxes and,
optionally, the equipment, so every load printed or spoken is one this athlete can put
on the bar (the bar and pairs of plates) or pick up (a dumbbell owned). It is an input
of a build, not a document: the ``athlete`` kind is registered so that its files load
and validate like any other, but nothing is exported from it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .kinds import Kind
from .model import _SLUG, Short, _Model, _slug
from .progression import Mass, Units, in_units

BARS: dict[str, Decimal] = {"kg": Decimal(20), "lb": Decimal(45)}
"""The bar when the athlete gives none: a standard barbell."""
PRECISION = Decimal("0.1")
"""Equipment in other units than the program's is converted to this precision."""

Slug = Annotated[str, Field(pattern=_SLUG, max_length=100), AfterValidator(_slug)]


class Equipment(_Model):
    """What the athlete can load: loads round to it instead of the program's step."""

    bar: Mass | None = Field(default=None, description="The barbell's own weight (default "
                             "20 kg, or 45 lb in pounds).")
    plates: list[Mass] = Field(default_factory=list, max_length=40, description="The "
                               "plates, one entry per pair (write 20 twice for two pairs).")
    dumbbells: list[Mass] = Field(default_factory=list, max_length=100,
                                  description="Each dumbbell weight owned.")
    bands: list[Short] = Field(default_factory=list, max_length=20, description="The bands "
                               "owned, named as the program's bands are.")


class Athlete(_Model):
    """One athlete: training maxes by exercise id, and optionally the equipment."""

    kind: Literal["athlete"]
    id: Slug = Field(description="Stable slug; outputs go to OUT/<id>/.")
    name: Short
    units: Units = Field(default="kg", description="The units of the numbers below.")
    training_max: dict[Slug, Mass] = Field(
        default_factory=dict, max_length=500,
        description="By exercise id: the load percentages are taken of.")
    equipment: Equipment = Field(default_factory=Equipment)

    @property
    def slug(self) -> str:
        return self.id


def _owned(value: float | str, athlete: Athlete, units: str) -> Decimal:
    number = in_units(value, units, athlete.units)
    if athlete.units != units or (isinstance(value, str) and not value.strip().endswith(units)):
        return number.quantize(PRECISION)
    return number


def loadable(athlete: Athlete, implement: str | None, units: str) -> list[Decimal] | None:
    """Every load the athlete can make with ``implement`` in ``units``, lightest first (None:
    no such equipment given; the program's rounding applies)."""
    kit = athlete.equipment
    if implement == "dumbbell" and kit.dumbbells:
        return sorted({_owned(d, athlete, units) for d in kit.dumbbells})
    if implement == "barbell" and kit.plates:
        bar = _owned(kit.bar if kit.bar is not None else str(BARS[athlete.units]) +
                     athlete.units, athlete, units)
        sums = {Decimal(0)}
        for plate in kit.plates:
            pair = 2 * _owned(plate, athlete, units)
            sums |= {s + pair for s in sums}
        return sorted(bar + s for s in sums)
    return None


ATHLETE = Kind("athlete", Athlete, "", "the athlete a program is built for (--athlete): "
               "training maxes and equipment; an input, not exported", exported=False)

__all__ = ["ATHLETE", "Athlete", "Equipment", "loadable"]
