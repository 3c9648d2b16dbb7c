"""What a cue card says: the front to glance at mid-set, the back with the instructions.

A view of an exercise's text model (:attr:`~.text.TextModel.card`), worded here once;
the print engine fits it on card sides (``engines/print/card_*``). Every text keeps
the field it came from, so a character the card font cannot draw is named there.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document.model import Exercise
from .exercise_page import heading
from .phrases import Phrases
from .prescription import dose_lines
from .text import Figure

TOP_TIPS = 3  # tips are listed most important first; the card keeps the first three
PICTURES = 2  # start and end; further pictures are in the e-book, web page and large print


@dataclass(frozen=True, slots=True)
class Line:
    """A text and the document field it came from ("" for the package's words)."""

    text: str
    field: str = ""


@dataclass(frozen=True)
class CardText:
    """Every text the card may show; :attr:`cues` is None when the steps have none (the
    front then takes as many steps as fit, the back the rest)."""

    language: str
    name: Line
    targets: str | None
    pictures: tuple[Figure, ...]
    cues: tuple[Line, ...] | None
    steps: tuple[Line, ...]
    dose: tuple[str, ...]
    summary: Line | None
    tips: tuple[Line, ...]
    cautions: tuple[Line, ...]
    faq: tuple[tuple[Line, Line], ...]
    words: dict[str, str]
    """The card's own headings: ``dose``, ``cues``, ``steps``, ``steps-continued``,
    ``tips``, ``cautions``, ``faq``, ``more``."""
    checks: tuple[Line, ...] = ()
    """Document words inside composed lines (muscle names, rep cue words): each is
    checked against the font in its own field."""


def _targets(d: Exercise, ph: Phrases) -> str | None:
    """"Targets: glutes · helped by hamstrings, core"; None without muscles."""
    if d.muscles is None:
        return None
    names = {group: ph.join([m.name for m in getattr(d.muscles, group)], "unit")
             for group in ("primary", "secondary")}
    if d.muscles.secondary:
        return ph._("Targets: {primary} · helped by {secondary}", **names)
    return ph._("Targets: {primary}", primary=names["primary"])


def _checks(d: Exercise) -> tuple[Line, ...]:
    out = [Line(m.name, f"muscles.{group}[{i}].name") for group in ("primary", "secondary")
           for i, m in enumerate(getattr(d.muscles, group) if d.muscles else [])]
    rx = d.prescription
    if rx is not None:
        if rx.limb:
            out.append(Line(rx.limb, "prescription.limb"))
        for name, value in (("lower", rx.cues.lower), ("lift", rx.cues.lift),
                            ("hold", rx.cues.hold)):
            if value:
                out.append(Line(value, f"prescription.cues.{name}"))
    return tuple(out)


def card(d: Exercise, figures: tuple[Figure, ...], ph: Phrases) -> CardText:
    """The card's text for ``d``; ``figures`` are the page's pictures."""
    steps = tuple(Line(s.text, f"steps[{i}].text") for i, s in enumerate(d.steps))
    cues = None
    if any(s.cue for s in d.steps):
        cues = tuple(Line(s.cue, f"steps[{i}].cue") if s.cue else steps[i]
                     for i, s in enumerate(d.steps))
    caution_set = set(d.cautions)  # a tip that repeats a caution is printed once, there
    tips = [Line(t, f"tips[{i}]") for i, t in enumerate(d.tips) if t not in caution_set]
    words = {
        "dose": ph._("Dose"), "cues": ph._("Cues"), "steps": ph._("How to do it"),
        "steps-continued": ph._("How to do it (continued)"), "tips": heading("tips", ph),
        "cautions": heading("cautions", ph), "faq": heading("faq", ph),
        "more": ph._("More in the e-book"),
    }
    return CardText(
        language=d.language, name=Line(d.name, "name"), targets=_targets(d, ph),
        pictures=figures[:PICTURES], cues=cues, steps=steps,
        dose=tuple(dose_lines(d.prescription, ph)) if d.prescription else (),
        summary=Line(d.summary, "summary") if d.summary else None,
        tips=tuple(tips[:TOP_TIPS]),
        cautions=tuple(Line(c, f"cautions[{i}]") for i, c in enumerate(d.cautions)),
        faq=tuple((Line(qa.question, f"faq[{i}].question"), Line(qa.answer, f"faq[{i}].answer"))
                  for i, qa in enumerate(d.faq)),
        words=words, checks=_checks(d))


__all__ = ["PICTURES", "TOP_TIPS", "CardText", "Line", "card"]
