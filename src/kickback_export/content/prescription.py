"""The prescription in words: the one place a dose is turned into text, printed or spoken.

Every output takes its prescription wording from here: the e-book, web page, large
print and braille list :func:`entries` (term, value and spoken form); the cue card
prints the compact :func:`dose_lines`; the audio guide says the sentences below. A
new prescription field is added here once and appears in every output.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document.model import Prescription
from ..document.model import sides as sides
from ..document.tempo import CUE, Phase
from .phrases import Phrases


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the prescription: ``key`` is stable (ids), the rest is in the reader's
    language. ``spoken`` is a whole sentence for a listener."""

    key: str
    term: str
    value: str
    spoken: str


@dataclass(frozen=True, slots=True)
class CueWords:
    """The words said as each phase of a repetition starts (the document's, else the
    catalog's); both pauses are a hold."""

    lower: str
    lift: str
    hold: str

    def of(self, phase: Phase) -> str:
        return {"lower": self.lower, "lift": self.lift, "hold": self.hold}[CUE[phase]]


def cue_words(rx: Prescription, ph: Phrases) -> CueWords:
    c = rx.cues
    return CueWords(
        c.lower or ph.pgettext("rep phase", "lower"),
        c.lift or ph.pgettext("rep phase", "lift"),
        c.hold or ph.pgettext("rep phase", "hold"),
    )


def tempo_phases(rx: Prescription, ph: Phrases, short: bool = False) -> list[str]:
    """Each phase of a rep in the order it is done, with its length: "lower 3 s"."""
    words = cue_words(rx, ph)
    return [ph.pgettext("tempo phase", "{cue} {time}", cue=words.of(phase),
                        time=ph.seconds(seconds, short=short)) for phase, seconds in rx.phases]


def tempo_line(rx: Prescription, ph: Phrases) -> str:
    """The tempo as a card and a sheet show it: "3-1-1-0 (lower 3 s · hold 1 s · lift 1 s)"
    ("" for work by the clock)."""
    if rx.tempo is None or rx.reps is None:
        return ""
    return ph._("{notation} ({phases})", notation=rx.tempo.notation,
                phases=" · ".join(tempo_phases(rx, ph, short=True)))


def tempo_words(rx: Prescription, ph: Phrases) -> str:
    """The tempo in words, as lists show it: "3-1-1-0 (lower 3 seconds, hold 1 second,
    lift 1 second; 5 seconds per rep)" ("" for work by the clock)."""
    if rx.tempo is None or rx.reps is None:
        return ""
    return ph._("{notation} ({phases}; {rep} per rep)", notation=rx.tempo.notation,
                phases=ph.join(tempo_phases(rx, ph), "unit"),
                rep=ph.seconds(rx.tempo.rep_seconds))


def rest_value(seconds: float, ready: bool, ph: Phrases, short: bool = False) -> str:
    """A rest as a value: "45 seconds" ("45 s" when ``short``), or "until ready"."""
    return ph.pgettext("rest", "until ready") if ready else ph.seconds(seconds, short=short)


def limb_word(rx: Prescription, ph: Phrases) -> str:
    """What a side names: the document's word, else the language's word for leg."""
    return rx.limb or ph.pgettext("limb", "leg")


def side_name(side: str, ph: Phrases) -> str:
    return ph.pgettext("side", "left") if side == "left" else ph.pgettext("side", "right")


def _time_entry(rx: Prescription, time: float, ph: Phrases) -> Entry:
    """The work of a timed set: "30 seconds per leg, left leg first"."""
    when = ph.seconds(time)
    if rx.sides == "both":
        limb, side = limb_word(rx, ph), side_name(rx.first_side, ph)
        return Entry("time", ph._("Time per side"),
                     ph._("{time} per {limb}, {side} {limb} first", time=when, limb=limb,
                          side=side),
                     ph._("{time} on each {limb}, {side} {limb} first.", time=when,
                          limb=limb, side=side))
    return Entry("time", ph._("Time"), when, ph._("{time} of work per set.", time=when))


def entries(rx: Prescription, ph: Phrases) -> list[Entry]:
    """Every line of the prescription, in order."""
    t = rx.tempo
    first = side_name(rx.first_side, ph)
    out = [Entry("sets", ph._("Sets"), ph.number(rx.sets),
                 ph.ngettext("{n} set.", "{n} sets.", rx.sets))]
    if rx.time is not None or rx.reps is None or t is None:
        out.append(_time_entry(rx, rx.work_seconds, ph))
    elif rx.sides == "both":
        out.append(Entry(
            "reps", ph._("Reps per side"),
            ph._("{reps} per {limb}, {side} {limb} first", reps=ph.number(rx.reps),
                 limb=limb_word(rx, ph), side=first),
            ph.ngettext("{n} rep on each {limb}, {side} {limb} first.",
                        "{n} reps on each {limb}, {side} {limb} first.", rx.reps,
                        limb=limb_word(rx, ph), side=first)))
    else:
        out.append(Entry("reps", ph._("Reps"), ph.number(rx.reps),
                         ph.ngettext("{n} rep.", "{n} reps.", rx.reps)))
    if t is not None and rx.reps is not None:
        spoken = ph._("Tempo: {phases}, {rep} per rep.",
                      phases=ph.join(tempo_phases(rx, ph), "unit"), rep=ph.seconds(t.rep_seconds))
        out.append(Entry("tempo", ph._("Tempo"), tempo_words(rx, ph), spoken))
    if rx.until_ready:
        out.append(Entry("rest", ph._("Rest between sets"), rest_value(0, True, ph),
                         ph._("Rest between sets until you are ready.")))
    else:
        out.append(Entry("rest", ph._("Rest between sets"), ph.seconds(rx.rest_seconds),
                         ph._("Rest {time} between sets.", time=ph.seconds(rx.rest_seconds))))
    if rx.sides == "both":
        out.append(Entry("switch", ph._("Switching sides"), ph.seconds(rx.switch),
                         ph._("{time} to switch sides.", time=ph.seconds(rx.switch))))
    if rx.load:
        out.append(Entry("load", ph._("Load"), rx.load, ph._("Load: {load}.", load=rx.load)))
    return out


def work_words(rx: Prescription, ph: Phrases, short: bool = False) -> str:
    """One set's work: "12 reps", or its time ("30 seconds"; "30 s" when ``short``)."""
    if rx.reps is not None:
        return ph.ngettext("{n} rep", "{n} reps", rx.reps)
    return ph.seconds(rx.work_seconds, short=short)


def dose_lines(rx: Prescription, ph: Phrases) -> list[str]:
    """The compact dose for a small card: sets × reps (or time), tempo, rest."""
    sets = ph.ngettext("{n} set", "{n} sets", rx.sets)
    reps = work_words(rx, ph, short=True)
    if rx.sides == "both":
        dose = ph._("{sets} × {reps} per {limb}, {side} first", sets=sets, reps=reps,
                    limb=limb_word(rx, ph), side=side_name(rx.first_side, ph))
    else:
        dose = ph._("{sets} × {reps}", sets=sets, reps=reps)
    if rx.load:  # on the dose line: a card has no room for a line of its own
        dose = ph._("{dose}, {load}", dose=dose, load=rx.load)
    lines = [dose]
    if rx.tempo is not None and rx.reps is not None:
        lines.append(tempo_line(rx, ph))  # unlabelled: "Tempo: " would take a card a side
    if rx.until_ready:
        lines.append(ph._("Rest: until ready"))
    else:
        lines.append(ph._("Rest: {time} between sets",
                          time=ph.seconds(rx.rest_seconds, short=True)))
    return lines


# --- spoken, for the guided sets --------------------------------------------------------


def overview(rx: Prescription, ph: Phrases) -> str:
    """Said before the first set: "3 sets of 12 reps on each leg, with 45 seconds rest…"."""
    sets = ph.ngettext("{n} set", "{n} sets", rx.sets)
    reps = work_words(rx, ph)
    if rx.sides == "both":
        text = ph._("{sets} of {reps} on each {limb}", sets=sets, reps=reps, limb=limb_word(rx, ph))
    else:
        text = ph._("{sets} of {reps}", sets=sets, reps=reps)
    if rx.until_ready and rx.sets > 1:
        return ph._("{dose}, resting until you are ready between sets.", dose=text)
    if rx.rest_seconds and rx.sets > 1:
        return ph._("{dose}, with {time} rest between sets.", dose=text,
                    time=ph.seconds(rx.rest_seconds))
    return ph._("{dose}.", dose=text)


def naming(rx: Prescription, ph: Phrases, name: str, n: int, side: str | None, *,
           rounds: bool = False, short: bool = False) -> str:
    """The last words before a set's count-in, naming what starts: "Glute bridge, set 2
    of 3, left leg, 12 reps."; "round" in a circuit; a lone set (a warm-up item) by its
    work alone: "March in place, 60 seconds.". ``short``: the name and the set only, for
    a transition too short for more ("Glute bridge, set 2 of 3.")."""
    reps = work_words(rx, ph)
    if rx.load:
        reps = ph._("{reps}, {load}", reps=reps, load=rx.load)
    limb, num, total = limb_word(rx, ph), ph.number(n), ph.number(rx.sets)
    where = {"side": side_name(side, ph), "limb": limb} if side else {}
    if rx.sets <= 1:
        if short:
            return ph._("{name}.", name=name)
        if side:
            return ph._("{name}, {side} {limb}, {reps}.", name=name, reps=reps, **where)
        return ph._("{name}, {reps}.", name=name, reps=reps)
    if rounds:
        if short:
            return ph._("{name}, round {n} of {total}.", name=name, n=num, total=total)
        if side:
            return ph._("{name}, round {n} of {total}, {side} {limb}, {reps}.", name=name,
                        n=num, total=total, reps=reps, **where)
        return ph._("{name}, round {n} of {total}, {reps}.", name=name, n=num, total=total,
                    reps=reps)
    if short:
        return ph._("{name}, set {n} of {total}.", name=name, n=num, total=total)
    if side:
        return ph._("{name}, set {n} of {total}, {side} {limb}, {reps}.", name=name, n=num,
                    total=total, reps=reps, **where)
    return ph._("{name}, set {n} of {total}, {reps}.", name=name, n=num, total=total, reps=reps)


def set_title(rx: Prescription, ph: Phrases, n: int, side: str | None, name: str = "", *,
              rounds: bool = False) -> str:
    """A set's title as its track shows it: "Set 2 of 3 — left leg" in an exercise's guide,
    "A1 Glute bridge — set 2 of 3 — left leg" (``name``) in a workout's."""
    num, total = ph.number(n), ph.number(rx.sets)
    if rx.sets <= 1:
        title = name or ph.pgettext("track", "Set {n} of {total}", n=num, total=total)
    elif not name:
        title = ph.pgettext("track", "Set {n} of {total}", n=num, total=total)
    elif rounds:
        title = ph.pgettext("track", "{name} — round {n} of {total}", name=name, n=num,
                            total=total)
    else:
        title = ph.pgettext("track", "{name} — set {n} of {total}", name=name, n=num,
                            total=total)
    if side:
        return ph.pgettext("track", "{title} — {side} {limb}", title=title,
                           side=side_name(side, ph), limb=limb_word(rx, ph))
    return title


def rest_title(ph: Phrases, then: str) -> str:
    """A rest's title as its track shows it: "Rest — next: Glute bridge"."""
    return ph.pgettext("track", "Rest — next: {then}", then=then)


def rest_cue(seconds: float, ready: bool, ph: Phrases) -> str:
    """What starts a rest: "Rest for 45 seconds." or "Rest until you are ready."."""
    if ready:
        return ph._("Rest until you are ready.")
    return ph._("Rest for {time}.", time=ph.seconds(seconds))


READY_EVERY = 30.0
"""Seconds between reminders in a rest that lasts until the athlete is ready."""


def ready_reminder(ph: Phrases) -> str:
    """Said every :data:`READY_EVERY` seconds of an until-ready rest."""
    return ph._("Start the next set when you are ready.")


def go(ph: Phrases) -> str:
    """Said as a timed set starts (its time was said in its naming)."""
    return ph._("Go.")


def switch_cue(rx: Prescription, ph: Phrases, side: str) -> str:
    return ph._("Switch to your {side} {limb}.", side=side_name(side, ph), limb=limb_word(rx, ph))


def closing(rx: Prescription, ph: Phrases) -> str:
    return ph.ngettext("That's all {n} set. Well done.", "That's all {n} sets. Well done.",
                       rx.sets)
