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
from .phrases import Phrases, cap


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
    """The words said on each phase of a repetition (the document's, else the catalog's)."""

    kick: str
    hold: str
    return_: str


def cue_words(rx: Prescription, ph: Phrases) -> CueWords:
    c = rx.cues
    return CueWords(
        c.kick or ph.pgettext("rep phase", "kick"),
        c.hold or ph.pgettext("rep phase", "squeeze"),
        c.return_ or ph.pgettext("rep phase", "lower"),
    )


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
    words, t = cue_words(rx, ph), rx.tempo
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
    if t is not None:
        phases = [f"{words.kick} {ph.seconds(t.kick)}"]
        if t.hold:
            phases.append(f"{words.hold} {ph.seconds(t.hold)}")
        phases.append(f"{words.return_} {ph.seconds(t.return_)}")
        tempo = ph._("{phases} ({rep} per rep)", phases=cap(ph.join(phases, "unit")),
                     rep=ph.seconds(t.rep_seconds))
        out.append(Entry("tempo", ph._("Tempo"), tempo, ph._("Tempo: {tempo}.", tempo=tempo)))
    out.append(Entry("rest", ph._("Rest between sets"), ph.seconds(rx.rest),
                     ph._("Rest {time} between sets.", time=ph.seconds(rx.rest))))
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
    words, t = cue_words(rx, ph), rx.tempo
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
    if t is not None:
        phases = [f"{words.kick} {ph.seconds(t.kick, short=True)}"]
        phases.append(f"{words.hold} {ph.seconds(t.hold, short=True)}")
        phases.append(f"{words.return_} {ph.seconds(t.return_, short=True)}")
        lines.append(ph._("Tempo: {phases}", phases=" · ".join(phases)))
    lines.append(ph._("Rest: {time} between sets", time=ph.seconds(rx.rest, short=True)))
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
    if rx.rest and rx.sets > 1:
        return ph._("{dose}, with {time} rest between sets.", dose=text,
                    time=ph.seconds(rx.rest))
    return ph._("{dose}.", dose=text)


def set_announcement(rx: Prescription, ph: Phrases, n: int, side: str | None) -> str:
    """"Set 1 of 3, left leg, 12 reps, light band." (or "…, 30 seconds, …")"""
    reps = work_words(rx, ph)
    if rx.load:
        reps = ph._("{reps}, {load}", reps=reps, load=rx.load)
    if side:
        return ph._("Set {n} of {total}, {side} {limb}, {reps}.", n=ph.number(n),
                    total=ph.number(rx.sets), side=side_name(side, ph), limb=limb_word(rx, ph),
                    reps=reps)
    return ph._("Set {n} of {total}, {reps}.", n=ph.number(n), total=ph.number(rx.sets),
                reps=reps)


def session_announcement(rx: Prescription, ph: Phrases, n: int, side: str | None, *,
                         rounds: bool = False) -> str:
    """What a workout's guide says before a block's first set: as :func:`set_announcement`,
    but "Round 1 of 3, …" in a circuit, and no count at all for a lone set (a warm-up
    item's "60 seconds.", not "Set 1 of 1, 60 seconds.")."""
    if rx.sets > 1 and not rounds:
        return set_announcement(rx, ph, n, side)
    reps = work_words(rx, ph)
    if rx.load:
        reps = ph._("{reps}, {load}", reps=reps, load=rx.load)
    limb = limb_word(rx, ph)
    if rx.sets <= 1:
        if side:
            return cap(ph._("{side} {limb}, {reps}.", side=side_name(side, ph), limb=limb,
                            reps=reps))
        return cap(ph._("{dose}.", dose=reps))
    if side:
        return ph._("Round {n} of {total}, {side} {limb}, {reps}.", n=ph.number(n),
                    total=ph.number(rx.sets), side=side_name(side, ph), limb=limb, reps=reps)
    return ph._("Round {n} of {total}, {reps}.", n=ph.number(n), total=ph.number(rx.sets),
                reps=reps)


def timed_cue(rx: Prescription, ph: Phrases) -> str:
    """Said as a timed set starts: "Keep going for 30 seconds." (a hold or a movement)."""
    return ph._("Keep going for {time}.", time=ph.seconds(rx.work_seconds))


def switch_cue(rx: Prescription, ph: Phrases, side: str) -> str:
    return ph._("Switch to your {side} {limb}.", side=side_name(side, ph), limb=limb_word(rx, ph))


def closing(rx: Prescription, ph: Phrases) -> str:
    return ph.ngettext("That's all {n} set. Well done.", "That's all {n} sets. Well done.",
                       rx.sets)
