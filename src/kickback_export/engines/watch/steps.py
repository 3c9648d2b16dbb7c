"""The steps of a FIT workout, made from a session's plan.

Read from the plan's intervals — the same ones the audio guide times — so the watch
walks the session the guide speaks: every set on each side, the switch between sides,
the transitions of a superset, the rests of a circuit, the changeover to each block
(as a rest step called "Get ready"; the first is left out: the watch starts when you
do, and the plan's closing "finish" too). Each set, or round of a superset or circuit,
is one pass of a FIT repeat step: consecutive rounds that are the same become one
repeat over the round's steps and the rest that follows it. FIT repeats a whole
body, so like Garmin's own strength workouts a repeat also rests after its last round
(the lap button skips it); everything else matches the plan interval for interval.

A rest that lasts until the athlete is ready (an interval with ``until_ready``, or one
without planned ``seconds``) is an open step that the lap button ends. Strings keep
FIT's sizes (:data:`NAME_BYTES`, :data:`NOTE_BYTES`) and are cut at a word boundary,
never refused; a workout with more steps than allowed is a
:class:`~kickback_export.errors.ContentError` (one line, exit 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...content.phrases import Phrases
from ...errors import ContentError
from .categories import UNKNOWN, names

NAME_BYTES = 15
"""Bytes of a workout's or step's name: FIT's profile gives ``wkt_name`` and
``wkt_step_name`` 16 bytes (``FIT_WORKOUT_MESG_WKT_NAME_COUNT`` and
``FIT_WORKOUT_STEP_MESG_WKT_STEP_NAME_COUNT`` in the FIT SDK's C profile), the last one
the terminating zero; a watch shows no more."""
NOTE_BYTES = 49
"""Bytes of a step's notes (``FIT_WORKOUT_STEP_MESG_NOTES_COUNT`` = 50)."""
MAX_STEPS = 4096
"""FIT numbers a step by its ``message_index``, whose index bits are ``0x0FFF``."""
LB = 0.45359237
"""Kilograms in a pound (exact, by definition)."""
MAX_KG = 655.34
"""``exercise_weight`` is a uint16 in hundredths of a kilogram (0xFFFF: no value)."""

_LOAD = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*(kg|kgs|lb|lbs)\.?\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Step:
    """One FIT workout step. ``kind``: exercise, warm-up, cool-down, rest or repeat.
    Work lasts ``reps`` repetitions or ``seconds``; a rest without ``seconds`` is open
    (ended by the lap button). A repeat goes back to step ``back_to`` until done
    ``times`` times."""

    kind: str
    name: str = ""
    reps: int | None = None
    seconds: float | None = None
    category: str = UNKNOWN
    exercise: str | None = None
    weight_kg: float | None = None
    unit: str | None = None  # "kg" or "lb": how the watch shows the weight
    note: str = ""
    back_to: int = 0
    times: int = 0


def fit_text(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` UTF-8 bytes: whole words while they fit (trailing
    punctuation dropped), else as many whole characters of the first word as fit."""
    if len(text.encode("utf-8")) <= limit:
        return text
    if limit <= 0:
        return ""
    out = ""
    for word in text.split():
        candidate = f"{out} {word}" if out else word
        if len(candidate.encode("utf-8")) > limit:
            break
        out = candidate
    if out.count("(") > out.count(")"):  # no half of a parenthesis
        out = out[:out.rindex("(")]
    out = out.rstrip(" ,;:·-–—(/")
    if not out:
        out = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore").rstrip()
    return out


def fit_parts(parts: list[str], limit: int, sep: str = " · ") -> str:
    """As many whole ``parts`` as fit in ``limit`` bytes; the first cut if it alone does not."""
    out = ""
    for part in parts:
        candidate = f"{out}{sep}{part}" if out else part
        if len(candidate.encode("utf-8")) > limit:
            break
        out = candidate
    return out or (fit_text(parts[0], limit) if parts else "")


def weight(load: str | None) -> tuple[float, str] | None:
    """Kilograms and the unit shown, when ``load`` is a number and a unit ("16 kg",
    "35 lb", "12,5kg") that FIT can hold; None otherwise (the load is then words)."""
    match = _LOAD.fullmatch(load or "")
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    unit = "lb" if match.group(2).lower().startswith("lb") else "kg"
    kg = round(value * LB, 2) if unit == "lb" else value
    return (kg, unit) if kg <= MAX_KG else None


def until_ready(interval: Any) -> bool:
    """Whether a rest lasts until the athlete is ready rather than its planned seconds."""
    return bool(getattr(interval, "until_ready", False)) or interval.seconds is None


class _Maker:
    """Steps for one plan (see the module docstring)."""

    def __init__(self, plan: Any, ph: Phrases) -> None:
        self.plan = plan
        self.ph = ph
        self.kinds = {b.key: b.kind for b in plan.blocks}
        self.out: list[Step] = []

    # -- one step --------------------------------------------------------------------
    def work(self, interval: Any) -> Step:
        entry = self.plan.entries[interval.entry]
        rx = entry.prescription
        ph = self.ph
        name = entry.name
        if interval.side is not None:
            side = ph.pgettext("watch step side", "L") if interval.side == "left" else (
                ph.pgettext("watch step side", "R"))
            suffix = ph.pgettext("watch step", "{name} ({side})", name="", side=side)
            room = NAME_BYTES - len(suffix.encode("utf-8"))
            name = ph.pgettext("watch step", "{name} ({side})", side=side,
                               name=fit_text(name, max(room, 1)))
        exercise = entry.exercise
        category, fit_name = names(exercise.id if exercise else None, entry.name)
        found = weight(rx.load)
        notes = [rx.load] if rx.load and found is None else []
        if exercise is not None:
            notes += [s.cue for s in exercise.steps if s.cue]
        elif len(entry.name.encode("utf-8")) > NAME_BYTES:  # a timed item: its whole name
            notes.append(entry.name)
        block = self.kinds.get(interval.block, "exercise")
        return Step(kind=block if block in ("warm-up", "cool-down") else "exercise",
                    name=fit_text(name, NAME_BYTES), reps=rx.reps,
                    seconds=None if rx.reps is not None else interval.seconds,
                    category=category, exercise=fit_name,
                    weight_kg=found[0] if found else None, unit=found[1] if found else None,
                    note=fit_parts([n for n in notes if n], NOTE_BYTES))

    def rest(self, interval: Any, following: Any | None) -> Step:
        """A rest step; ``following``: the work interval it leads into, named in its note
        (None: the note would not always be true, as in a repeated round's last rest)."""
        ph = self.ph
        if interval.kind == "changeover":
            name = ph.pgettext("watch step", "Get ready")
        elif interval.kind == "switch":
            name = ph.pgettext("watch step", "Switch sides")
        else:
            name = ph.pgettext("watch step", "Rest")
        note = ""
        if following is not None and interval.kind != "switch":
            note = fit_text(ph.pgettext("watch step", "Next: {name}",
                                        name=self.plan.entries[following.entry].name),
                            NOTE_BYTES)
        return Step(kind="rest", name=fit_text(name, NAME_BYTES), note=note,
                    seconds=None if until_ready(interval) else interval.seconds)

    # -- a block ---------------------------------------------------------------------
    def block(self, intervals: list[Any]) -> None:
        """Its steps: what leads into it, then its rounds, equal ones as repeats."""
        sequential = self.kinds.get(intervals[0].block) in ("exercise", "warm-up", "cool-down")

        def key(i: Any) -> tuple[str, int]:
            return (i.entry, i.set) if sequential else ("", i.set)

        ahead: list[Any] = [None] * len(intervals)  # the next work interval of each
        nxt = None
        for n in range(len(intervals) - 1, -1, -1):
            ahead[n] = nxt
            if intervals[n].kind == "work":
                nxt = intervals[n]
        rounds: list[tuple[tuple[str, int], list[Any], list[Any]]] = []
        for n, i in enumerate(intervals):
            if i.kind == "work":
                if not rounds or rounds[-1][0] != key(i) or rounds[-1][2]:
                    rounds.append((key(i), [], []))
                rounds[-1][1].append(i)
            elif not rounds:  # a changeover: before the block's first round
                self.out.append(self.rest(i, ahead[n]))
            elif ahead[n] is not None and key(ahead[n]) == rounds[-1][0]:
                rounds[-1][1].append(i)  # inside the round (a switch, a transition)
            else:
                rounds[-1][2].append(i)  # between this round and the next
        self.rounds(rounds)

    def body(self, intervals: list[Any]) -> list[Step]:
        out = []
        for n, i in enumerate(intervals):
            if i.kind == "work":
                out.append(self.work(i))
            else:
                following = next((j for j in intervals[n + 1:] if j.kind == "work"), None)
                out.append(self.rest(i, following))
        return out

    def rounds(self, rounds: list[tuple[Any, list[Any], list[Any]]]) -> None:
        def same(a: list[Any], b: list[Any]) -> bool:  # the same entries, sides, times
            return ([(x.kind, x.entry, x.side, x.seconds, until_ready(x)) for x in a]
                    == [(x.kind, x.entry, x.side, x.seconds, until_ready(x)) for x in b])

        def leading(n: int) -> Any | None:  # the work that round n leads into
            return rounds[n][1][0] if n < len(rounds) else None

        start = 0
        while start < len(rounds):
            first = self.body(rounds[start][1])
            between = rounds[start][2]
            end = start + 1
            while (end < len(rounds) and same(rounds[end][1], rounds[start][1])
                   and same(rounds[end - 1][2], between)):
                end += 1
            last = rounds[end - 1][2]
            if end - start == 1:  # done once: its steps and what follows it
                self.out += first
                self.out += [self.rest(i, leading(end)) for i in last]
            else:
                back_to = len(self.out)
                self.out += first
                self.out += [self.rest(i, None) for i in between]
                self.out.append(Step(kind="repeat", back_to=back_to, times=end - start))
                if last and not same(last, between):
                    self.out += [self.rest(i, leading(end)) for i in last]
            start = end


def workout_steps(plan: Any, ph: Phrases, limit: int = MAX_STEPS) -> list[Step]:
    """The FIT steps of ``plan`` (a :class:`~kickback_export.document.plan.Plan`, read by
    its attributes) with names and notes in ``ph``'s language; a ContentError when they
    are more than ``limit``."""
    intervals = [i for i in plan.intervals if i.kind != "finish"]
    if intervals and intervals[0].kind == "changeover":
        intervals = intervals[1:]
    maker = _Maker(plan, ph)
    start = 0
    for n in range(1, len(intervals) + 1):
        if n == len(intervals) or intervals[n].block != intervals[start].block:
            maker.block(intervals[start:n])
            start = n
    if len(maker.out) > limit:
        raise ContentError(f"the workout takes {len(maker.out)} FIT steps; a FIT workout "
                           f"holds at most {limit}")
    return maker.out


__all__ = ["MAX_STEPS", "NAME_BYTES", "NOTE_BYTES", "Step", "fit_parts", "fit_text",
           "until_ready", "weight", "workout_steps"]
