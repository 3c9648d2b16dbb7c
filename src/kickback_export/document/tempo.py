"""Tempo in lifters' notation: ``"3-1-1-0"`` is lowering, pause at the bottom, lifting,
pause at the top, in seconds (``X``: explosive, taken as :data:`EXPLOSIVE` s).

Kept apart from the models (:mod:`.model`) because the notation is read in three places
— the document's field, a workout entry's override, the loader's deprecation advice —
and written back by all of them the same way. The notation always reads lowering first;
which phase a rep *starts* with is ``tempo_start`` (a squat lowers first, a kickback or
a row lifts first), so the order the phases are done in is :func:`sequence`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Phase = Literal["lowering", "bottom", "lifting", "top"]
TempoStart = Literal["lowering", "lifting"]

PHASES: tuple[Phase, ...] = ("lowering", "bottom", "lifting", "top")
"""The notation's order."""
PHASE_NAMES: dict[Phase, str] = {"lowering": "lowering phase", "bottom": "pause at the bottom",
                                 "lifting": "lifting phase", "top": "pause at the top"}
"""How error lines name each position of the notation."""
CUE: dict[Phase, Literal["lower", "lift", "hold"]] = {
    "lowering": "lower", "bottom": "hold", "lifting": "lift", "top": "hold"}
"""The cue (and timeline role) of each phase: both pauses are a hold."""
MAX_PHASE = 30.0
EXPLOSIVE = 1.0
"""Seconds an ``X`` (explosive) phase is given on the rep grid."""
LEGACY = frozenset({"kick", "hold", "return"})
"""The keys of the deprecated tempo mapping (lifting, top pause, lowering)."""

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_EXAMPLE = 'e.g. "3-1-1-0"'
_FOUR = ("a tempo has four phases (lowering, pause at the bottom, lifting, pause at the "
         f"top), {_EXAMPLE}")


def parse(value: object) -> tuple[tuple[float, ...], tuple[Phase, ...]]:
    """The four phase lengths of a written tempo and which of them are explosive; a
    ValueError says what is wrong in the writer's terms."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        value = str(value)  # tempo: 3110, unquoted: YAML reads a number
    if not isinstance(value, str):
        raise ValueError(f"a tempo is text: write it in quotes, {_EXAMPLE} (YAML read this "
                         f"one as {value!r})")
    text = value.strip()
    if "-" in text:
        parts = [p.strip() for p in text.split("-")]
        if len(parts) != 4:
            raise ValueError(f"{_FOUR}; got {len(parts)}")
    elif text and all(c.isdigit() or c in "xX" for c in text):
        parts = list(text)
        if len(parts) != 4:
            raise ValueError(f'without hyphens each digit is one phase and "{text}" has '
                             f"{len(parts)}; {_FOUR}, and a phase of 10 s or more needs the "
                             'hyphens ("3-1-10-0")')
    else:
        raise ValueError(f"write the four phases as seconds joined by hyphens, {_EXAMPLE} "
                         f"(got {value!r})")
    seconds: list[float] = []
    explosive: list[Phase] = []
    for phase, part in zip(PHASES, parts, strict=True):
        if part in ("x", "X"):
            explosive.append(phase)
            seconds.append(EXPLOSIVE)
        elif not part:
            raise ValueError(f"the {PHASE_NAMES[phase]} is empty (a phase is never negative); "
                             f"write its seconds from 0 to 30, or X, {_EXAMPLE}")
        elif not _NUMBER.fullmatch(part):
            raise ValueError(f"{part!r} is not a phase length: write seconds from 0 to 30, "
                             "or X for explosive")
        else:
            seconds.append(float(part))
            if seconds[-1] > MAX_PHASE:
                raise ValueError(f"the {PHASE_NAMES[phase]} is {part} s; a phase lasts at "
                                 f"most {MAX_PHASE:g} s")
    if not any(seconds):
        raise ValueError("every phase is 0 s; a rep needs time in at least one phase")
    return tuple(seconds), tuple(explosive)


def number(seconds: float) -> str:
    """A phase length as written: 2, 1.5, 0.25 (no exponent, no trailing zeros)."""
    return format(Decimal(repr(float(seconds))).normalize(), "f")


def notation(seconds: tuple[float, ...], explosive: tuple[str, ...] = ()) -> str:
    """``"3-1-X-0"``: lowering first, as lifters write it."""
    return "-".join("X" if phase in explosive else number(s)
                    for phase, s in zip(PHASES, seconds, strict=True))


def sequence(seconds: tuple[float, ...], start: TempoStart) -> tuple[tuple[Phase, float], ...]:
    """The phases in the order a rep does them, from ``start``, zero-length ones left out."""
    order = PHASES if start == "lowering" else PHASES[2:] + PHASES[:2]
    by_phase = dict(zip(PHASES, seconds, strict=True))
    return tuple((p, by_phase[p]) for p in order if by_phase[p] > 0)


class LegacyTempo(BaseModel):
    """The deprecated tempo mapping, read only to be turned into the notation's phases."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kick: float = Field(gt=0, le=30)
    hold: float = Field(ge=0, le=30)
    return_: float = Field(alias="return", gt=0, le=30)


def legacy_start(data: Any) -> Any:
    """A deprecated tempo mapping starts with its kick: ``tempo_start: lifting``, unless
    the document says otherwise (a prescription's or an override's data, before it is
    validated)."""
    if isinstance(data, dict) and is_legacy(data.get("tempo")) and "tempo_start" not in data:
        return {**data, "tempo_start": "lifting"}
    return data


def is_legacy(value: object) -> bool:
    """The deprecated ``{kick, hold, return}`` mapping."""
    return isinstance(value, dict) and bool(LEGACY & value.keys())


def legacy_notation(value: dict[str, Any]) -> str:
    """What to write instead of a ``{kick, hold, return}`` mapping (lifting = kick, top
    pause = hold, lowering = return, no bottom pause)."""
    def get(key: str) -> float:
        try:
            return float(value.get(key, 0))
        except (TypeError, ValueError):
            return 0.0
    return notation((get("return"), 0.0, get("kick"), get("hold")))


_PHASE_DOC = ("Seconds of one repetition in lifters' notation, lowering first: lowering, "
              "pause at the bottom, lifting, pause at the top, e.g. \"3-1-1-0\" (or \"3110\"); "
              "X is explosive (1 s). Which phase a rep starts with is tempo_start.")
TEMPO_SCHEMA: dict[str, Any] = {"anyOf": [
    {"type": "string", "description": _PHASE_DOC,
     "pattern": r"^\s*(([0-9]+(\.[0-9]+)?|[xX])\s*-\s*){3}([0-9]+(\.[0-9]+)?|[xX])\s*$"
                r"|^[0-9xX]{4}$"},
    {"type": "object", "deprecated": True, "additionalProperties": False,
     "description": "Deprecated: kick (lifting), hold (pause at the top), return (lowering), "
                    "in seconds, starting with the kick; write the notation with tempo_start: "
                    "lifting instead.",
     "properties": {"kick": {"type": "number", "exclusiveMinimum": 0, "maximum": 30},
                    "hold": {"type": "number", "minimum": 0, "maximum": 30},
                    "return": {"type": "number", "exclusiveMinimum": 0, "maximum": 30}},
     "required": ["kick", "hold", "return"]},
    {"type": "null"}]}
"""The published schema of a tempo: the notation, or the deprecated mapping."""
