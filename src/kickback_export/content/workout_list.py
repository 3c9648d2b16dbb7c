"""A workout's printed content in words, once, for the sheet, large print, braille and web.

The workout sheet, the large print, the BRF and the web page show the same thing: the
workout's name, summary and notes, its length, and each block of the plan
(:mod:`~kickback_export.document.plan`) with every entry's label, name and dose.
They read it from :func:`workout_text`, so the four never word a dose differently; the
sheet adds its log grid, the others list it plainly.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document.model import Prescription
from ..document.plan import Plan, PlanBlock, PlanEntry
from ..document.workout import ResolvedWorkout
from .phrases import Phrases, phrases
from .prescription import limb_word, rest_value, side_name, tempo_line, work_words


@dataclass(frozen=True, slots=True)
class Row:
    """One entry of a block: what the sheet prints in its columns (empty: no value)."""

    key: str  # the plan's key: "A1", "warm-up-2"
    label: str  # "A1", "B"; "" in the warm-up and cool-down
    name: str
    dose: str  # "3 × 12 reps per leg, left first", "3 × 30 s"
    tempo: str  # "2-0-1-1 (kick 1 s · squeeze 1 s · lower 2 s)"
    rest: str  # what follows one of its sets: "45 s", "until ready"
    load: str
    sets: int  # sets to log
    exercise: str = ""  # the exercise document's id ("" for a timed warm-up item)
    targets: tuple[str, ...] = ()  # each set's target (load, reps, RIR) on a program's page

    def details(self, ph: Phrases) -> list[str]:
        """The dose and each other value as "term: value", for a plain list."""
        out = [self.dose]
        for term, value in ((ph._("Tempo"), self.tempo),
                            (ph.pgettext("workout sheet", "Rest"), self.rest),
                            (ph._("Load"), self.load)):
            if value:
                out.append(ph._("{term}: {value}", term=term, value=value))
        return out


@dataclass(frozen=True, slots=True)
class Group:
    """A block of the plan (or the warm-up or cool-down) with its heading."""

    key: str  # "A", "warm-up", "cool-down"
    kind: str
    title: str  # "Block A: superset of 3 rounds"
    rest: str  # "rest 90 seconds after each round" ("" when nothing to say)
    rows: tuple[Row, ...]

    def line(self, ph: Phrases) -> str:
        """The heading with its rest: "Block A: superset of 3 rounds, rest 90 seconds …"."""
        return ph._("{title}, {rest}", title=self.title, rest=self.rest) if self.rest else (
            self.title)


@dataclass(frozen=True, slots=True)
class WorkoutText:
    name: str
    language: str
    summary: str
    notes: tuple[str, ...]
    length: str  # "About 34 minutes"
    groups: tuple[Group, ...]
    log: tuple[str, ...] = ()
    """The log's column groups when not weeks: ("Target", "Done"), the first filled from
    each row's ``targets`` (a program's training day)."""

    @property
    def blocks(self) -> tuple[Group, ...]:
        """The labelled blocks: what the sheet's table holds."""
        return tuple(g for g in self.groups if g.kind not in ("warm-up", "cool-down"))

    def framing(self, kind: str, ph: Phrases) -> str:
        """The warm-up (or cool-down) as one line: "Warm-up: March in place: 60 s; …"."""
        group = next((g for g in self.groups if g.kind == kind), None)
        if group is None:
            return ""
        items = "; ".join(ph.pgettext("workout item", "{name}, {dose}", name=r.name,
                                      dose=r.dose) for r in group.rows)
        return ph._("{term}: {value}", term=group.title, value=items)


@dataclass(frozen=True, slots=True)
class SheetPages:
    """A sheet of several pages, each a workout to train from (a program's training days,
    each on its own page): the title, lines under it ("For Alex") and the pages."""

    name: str
    language: str
    summary: str
    lines: tuple[str, ...]
    pages: tuple[WorkoutText, ...]


def tempo_words(rx: Prescription, ph: Phrases) -> str:
    """The tempo as on the card, "2-0-1-1 (kick 1 s · squeeze 1 s · lower 2 s)": the
    notation as written, the phases in the order they are done ("" for timed work)."""
    return tempo_line(rx, ph)


def dose_words(rx: Prescription, ph: Phrases) -> str:
    """Sets × reps (or time), per side when both sides work: "3 × 12 reps per leg, left
    first"; a single timed item reads as its time alone ("60 s")."""
    work = work_words(rx, ph, short=True)
    sets = ph.number(rx.sets)
    if rx.sides == "both":
        return ph._("{sets} × {reps} per {limb}, {side} first", sets=sets, reps=work,
                    limb=limb_word(rx, ph), side=side_name(rx.first_side, ph))
    if rx.sets == 1 and rx.reps is None:
        return work
    return ph._("{sets} × {reps}", sets=sets, reps=work)


def _row(e: PlanEntry, ph: Phrases, after: tuple[float, bool] | None = None) -> Row:
    """``after``: what follows its sets when not the plan's ``rest_after`` (the last
    station of a circuit is followed by the rest between rounds)."""
    rx = e.prescription
    seconds, ready = (e.rest_after, e.rest_ready) if after is None else after
    rest = rest_value(seconds, ready, ph, short=True) if seconds and e.exercise else ""
    return Row(e.key, e.label, e.name, dose_words(rx, ph), tempo_words(rx, ph), rest,
               rx.load or "", rx.sets, e.exercise.id if e.exercise else "")


def _title(b: PlanBlock, ph: Phrases) -> tuple[str, str]:
    """The block's heading and what rest it has between rounds."""
    rest = ""
    if b.kind == "warm-up":
        return ph._("Warm-up"), rest
    if b.kind == "cool-down":
        return ph._("Cool-down"), rest
    if b.kind == "superset":
        title = ph.ngettext("Block {label}: superset of {n} round",
                            "Block {label}: superset of {n} rounds", b.rounds, label=b.label)
        if b.rounds > 1:
            rest = (ph._("rest until ready after each round") if b.round_ready else
                    ph._("rest {time} after each round", time=ph.seconds(b.round_rest)))
        return title, rest
    if b.kind == "circuit":
        title = ph.ngettext("Block {label}: circuit of {n} round",
                            "Block {label}: circuit of {n} rounds", b.rounds, label=b.label)
        if b.rounds > 1:
            rest = (ph._("rest until ready between rounds") if b.round_ready else
                    ph._("rest {time} between rounds", time=ph.seconds(b.round_rest)))
        return title, rest
    return ph._("Block {label}", label=b.label), rest


def workout_text(workout: ResolvedWorkout | Plan) -> WorkoutText:
    """The workout's content in its language (from its plan)."""
    p = workout if isinstance(workout, Plan) else workout.plan
    w = p.workout
    ph = phrases(w.language)
    minutes = p.minutes
    groups = []
    for b in p.blocks:
        title, rest = _title(b, ph)
        rows = [_row(e, ph) for e in b.entries]
        if b.kind == "circuit" and b.rounds > 1:
            rows[-1] = _row(b.entries[-1], ph, (b.round_rest, b.round_ready))
        if b.kind in ("warm-up", "cool-down", "exercise"):  # no rest after a lone set
            rows = [_row(e, ph, (0.0, False)) if e.prescription.sets == 1 else r
                    for e, r in zip(b.entries, rows, strict=True)]
        groups.append(Group(b.key, b.kind, title, rest, tuple(rows)))
    return WorkoutText(
        w.name, w.language, w.summary, tuple(w.notes),
        ph.ngettext("About {n} minute", "About {n} minutes", minutes), tuple(groups))


__all__ = ["Group", "Row", "SheetPages", "WorkoutText", "dose_words", "tempo_words",
           "workout_text"]
