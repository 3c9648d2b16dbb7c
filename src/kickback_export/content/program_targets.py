"""A program's progression on its page: each rule in words, and each week's targets as a
table (read by the e-book's plan, the web page, large print and braille alike).

The rules are said once ("60 kg in week 1, then +5 kg a week; reps week by week: 10,
10, 8 and 8"), with what applies to all of them (the athlete, the rounding, the deload
weeks); each week's table then gives every exercise with a rule its sets, reps, load and
reps in reserve as that week's workouts have them — the same values the sheet and the
guide give, since all of them read the week's workouts.
"""

from __future__ import annotations

from ..document.workout import ResolvedProgram
from .phrases import Phrases
from .prescription import limb_word
from .program_days import Day
from .targets_text import load_text, rounding_words, rule_words, work
from .text import Cell, Context, Heading, Item, Items, Para, Part, Ref, Table


def progression_part(p: ResolvedProgram, ph: Phrases, context: Context) -> Part:
    """The rules in words, then what applies to all of them."""
    prog = p.progression
    names = {i: e.name for i, e in p.exercises().items()}
    rules = tuple(Item(text=rule_words(r, prog, ph), title=names[r.exercise],
                       ref=Ref(r.exercise, "exercise", context.available(r.exercise)),
                       catalog=True, field=f"progression[{i}]")
                  for i, r in enumerate(prog.rules))
    blocks: list[Items | Para] = [Items(rules, role="progression")] if rules else []
    blocks += [Para(line, role="rounding", catalog=True) for line in rounding_words(prog, ph)]
    return Part(Heading(ph._("Progression"), 2, "progression", catalog=True), tuple(blocks))


def targets_table(p: ResolvedProgram, week: int, days: list[Day], ph: Phrases) -> Table:
    """The week's targets of the exercises with a rule, one row each (one per workout when
    its workouts give it different targets)."""
    prog = p.progression
    rir = any(r.rir is not None for r in prog.rules)
    found: dict[str, dict[tuple[str, ...], list[str]]] = {r.exercise: {} for r in prog.rules}
    names: dict[str, str] = {}
    for day in days:
        for block in day.model.plan.blocks:
            if block.kind in ("warm-up", "cool-down"):
                continue
            for entry in block.entries:
                ex = entry.exercise
                if ex is None or ex.id not in found:
                    continue
                rx, target = entry.prescription, prog.target(week, ex.id)
                reps = work(rx, ph)
                if rx.sides == "both":
                    reps = ph._("{reps} per {limb}", reps=reps, limb=limb_word(rx, ph))
                load = (load_text(target.load, prog.units, ph) if target and target.load
                        else rx.load)
                values: tuple[str, ...] = (ph.number(rx.sets), reps, load or "")  # "": none
                if rir:
                    values += (ph.number(target.rir) if target and target.rir is not None
                               else "",)
                where = found[ex.id].setdefault(values, [])
                if day.model.title not in where:
                    where.append(day.model.title)
                names[ex.id] = entry.name
    head = [Cell(ph.pgettext("workout sheet", "Exercise"), True, catalog=True),
            Cell(ph._("Sets"), True, catalog=True), Cell(ph._("Reps"), True, catalog=True),
            Cell(ph._("Load"), True, catalog=True)]
    if rir:
        head.append(Cell(ph._("Reps in reserve"), True, catalog=True))
    rows = []
    for ex, targets in found.items():
        for values, workouts in targets.items():
            name = names[ex] if len(targets) == 1 else ph._(
                "{name} ({workouts})", name=names[ex], workouts=ph.join(workouts))
            rows.append((Cell(name, True), *(Cell(v) for v in values)))
    caption = ph._("Targets for week {n}", n=ph.number(week))
    return Table(caption, tuple(head), tuple(rows), f"week-{week}-targets", "targets",
                 catalog=True)


__all__ = ["progression_part", "targets_table"]
