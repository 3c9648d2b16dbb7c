"""A program's targets in words, printed and spoken, in the program's language.

One place words a week's load ("70 kg", "70% TM", "medium band"; spoken "70
kilograms", "70% of your training max"), a rule ("60 kg in week 1, then +5 kg a week")
and a day's targets as its guide opens with them ("Barbell Hip Thrust: 3 sets of 8 reps
at 70 kilograms, 1 rep in reserve."), so the sheet, the e-book, the web page and the
audio never word a target differently. Numbers and units are CLDR's (:class:`Phrases`);
every load is in the program's units, so a program in pounds never says kilograms.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..document.model import Prescription
from ..document.progression import DoubleProgression, Rule
from ..document.targets import Load, Progression, Target
from .phrases import Phrases
from .prescription import limb_word, work_words


def load_text(load: Load, units: str, ph: Phrases) -> str:
    """A week's load as printed: "70 kg", "70% TM", "medium band"."""
    if load.band is not None:
        return ph.pgettext("load", "{band} band", band=load.band)
    if load.mass is not None:
        return ph.mass(float(load.mass), units, short=True)
    assert load.percent is not None  # a load is one of the three
    # TRANSLATORS: a percentage of the athlete's training max, where no athlete is given
    return ph._("{percent} TM", percent=ph.percent(float(load.percent)))


def load_spoken(load: Load, units: str, ph: Phrases) -> str:
    """A week's load as said: "70 kilograms", "70% of your training max", "medium band"."""
    if load.mass is not None:
        return ph.mass(float(load.mass), units)
    if load.percent is not None and load.band is None:
        return ph._("{percent} of your training max", percent=ph.percent(float(load.percent)))
    return load_text(load, units, ph)


def _values(ph: Phrases, values: Sequence[str]) -> str:
    return ph.join(list(values))


def _step(value: Decimal, units: str, ph: Phrases) -> str:
    amount = ph.mass(float(abs(value)), units, short=True)
    return ph._("+{load}", load=amount) if value >= 0 else ph._("−{load}", load=amount)


def _load_words(rule: Rule, p: Progression, ph: Phrases) -> str:
    double = isinstance(rule.reps, DoubleProgression)
    first = p.target(1, rule.exercise)
    if rule.load is not None and first is not None and first.load is not None:
        start = load_text(first.load, p.units, ph)
        step = p.steps.get(rule.exercise, Decimal(0))
        if not step:
            return ph._("{load} every week", load=start)
        if double:
            return ph._("{load} at first, then {step} each time the reps start again",
                        load=start, step=_step(step, p.units, ph))
        return ph._("{load} in week 1, then {step} a week", load=start,
                    step=_step(step, p.units, ph))
    if rule.percent is not None:
        values = rule.percent if isinstance(rule.percent, list) else [rule.percent]
        shown = [ph.percent(v) for v in values]
        words = (ph._("{values} of the training max, week by week", values=_values(ph, shown))
                 if len(shown) > 1 else
                 ph._("{values} of the training max every week", values=shown[0]))
        tm = p.maxes.get(rule.exercise)
        if tm is not None:
            words = ph._("{words} (training max: {load})", words=words,
                         load=ph.mass(float(tm), p.units, short=True))
        return words
    if rule.band is not None:
        if isinstance(rule.band, list) and len(rule.band) > 1:
            return ph._("bands week by week: {values}", values=_values(ph, rule.band))
        band = rule.band[0] if isinstance(rule.band, list) else rule.band
        if double:
            return ph._("the {band} band at first, then the next band each time the reps "
                        "start again", band=band)
        return ph._("the {band} band every week", band=band)
    return ""


def _numbers(ph: Phrases, values: list[int] | int) -> list[str]:
    items = values if isinstance(values, list) else [values]
    return [ph.number(v) for v in items]


def rule_words(rule: Rule, p: Progression, ph: Phrases) -> str:
    """The rule in words: its load, then its reps, sets and reps in reserve."""
    parts = [_load_words(rule, p, ph)]
    if isinstance(rule.reps, DoubleProgression):  # the reps first: the load follows them
        low, high = rule.reps.range
        parts.insert(0, ph.ngettext(
            "{low} to {high} reps, {n} more each week, then {low} again",
            "{low} to {high} reps, {n} more each week, then {low} again", rule.reps.step,
            low=ph.number(low), high=ph.number(high)))
    elif isinstance(rule.reps, list) and len(rule.reps) > 1:
        parts.append(ph._("reps week by week: {values}",
                          values=_values(ph, _numbers(ph, rule.reps))))
    elif rule.reps is not None:
        reps = rule.reps[0] if isinstance(rule.reps, list) else rule.reps
        parts.append(ph.ngettext("{n} rep every week", "{n} reps every week", reps))
    if isinstance(rule.sets, list) and len(rule.sets) > 1:
        parts.append(ph._("sets week by week: {values}",
                          values=_values(ph, _numbers(ph, rule.sets))))
    elif rule.sets is not None:
        sets = rule.sets[0] if isinstance(rule.sets, list) else rule.sets
        parts.append(ph.ngettext("{n} set every week", "{n} sets every week", sets))
    if isinstance(rule.rir, list) and len(rule.rir) > 1:
        parts.append(ph._("reps in reserve week by week: {values}",
                          values=_values(ph, _numbers(ph, rule.rir))))
    elif rule.rir is not None:
        rir = rule.rir[0] if isinstance(rule.rir, list) else rule.rir
        parts.append(ph.ngettext("{n} rep in reserve every week",
                                 "{n} reps in reserve every week", rir))
    return "; ".join(part for part in parts if part)


def rounding_words(p: Progression, ph: Phrases) -> list[str]:
    """What applies to every rule: the athlete, the rounding, the deload weeks, "TM"."""
    out: list[str] = []
    step = ph.mass(float(p.rounding), p.units, short=True)
    loads = any(r.load is not None or r.percent is not None for r in p.rules)
    if p.athlete and p.fitted:
        out.append(ph._("For {name}: loads are rounded to what {name} can load, otherwise to "
                        "the nearest {step}.", name=p.athlete, step=step))
    elif p.athlete:
        out.append(ph._("For {name}: loads are rounded to the nearest {step}.",
                        name=p.athlete, step=step))
    elif loads:
        out.append(ph._("Loads are rounded to the nearest {step}.", step=step))
    if p.deload:
        weeks = sorted(p.deload)
        out.append(ph.ngettext(
            "Deload week {weeks}: the sets of each block are cut to 60%, at least one, "
            "unless the progression gives them.",
            "Deload weeks {weeks}: the sets of each block are cut to 60%, at least one, "
            "unless the progression gives them.", len(weeks),
            weeks=ph.join([ph.number(w) for w in weeks])))
    if any(t.load is not None and t.load.mass is None and t.load.percent is not None
           for t in p.targets.values()):
        out.append(ph._("TM: the training max, which the percentages are taken of."))
    return out


def work(rx: Prescription, ph: Phrases) -> str:
    """One set's work as a target cell shows it: "8", or its time ("40 s")."""
    return ph.number(rx.reps) if rx.reps is not None else ph.seconds(rx.work_seconds, True)


def spoken_target(name: str, rx: Prescription, target: Target, units: str,
                  ph: Phrases) -> str:
    """A day's target as its guide says it: "Barbell Hip Thrust: 3 sets of 8 reps at 70
    kilograms, 1 rep in reserve."."""
    sets = ph.ngettext("{n} set", "{n} sets", rx.sets)
    reps = work_words(rx, ph)
    dose = (ph._("{sets} of {reps} on each {limb}", sets=sets, reps=reps,
                 limb=limb_word(rx, ph)) if rx.sides == "both" else
            ph._("{sets} of {reps}", sets=sets, reps=reps))
    load = target.load
    if load is not None and load.band is not None:
        dose = ph._("{dose} with the {band}", dose=dose, band=load_text(load, units, ph))
    elif load is not None:
        dose = ph._("{dose} at {load}", dose=dose, load=load_spoken(load, units, ph))
    if target.rir is not None:
        dose = ph._("{dose}, {rir}", dose=dose, rir=ph.ngettext(
            "{n} rep in reserve", "{n} reps in reserve", target.rir))
    return ph._("{name}: {dose}.", name=name, dose=dose)


__all__ = ["load_spoken", "load_text", "rounding_words", "rule_words", "spoken_target", "work"]
