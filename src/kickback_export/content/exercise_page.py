"""An exercise's page in the text model: every piece of text, in reading order, each with
a stable id.

Every medium reads this one tree: the e-book and web page make each block an element
carrying its id, the read-aloud speaks the same blocks under the same ids (so a media
overlay can only point at elements that exist, in page order), large print and braille
walk it too. Nothing here knows about XHTML, paper or timing.

Ids (all stable: they depend only on the document's structure, never on its text):

- ``name``, ``aliases``, ``summary``, ``level`` — the page head;
- ``figure-N`` — the document's pictures, after the page head (caption and credit line;
  the alt text is the picture's own); they take the place of the
  ``image-description``, which is the first picture's alt text then;
- ``<part>`` and ``<part>-heading`` — a part and its heading; the parts are ``overview``,
  ``muscles``, ``equipment``, ``setup``, ``instructions``, ``prescription``, ``tips``,
  ``cautions`` and ``faq``;
- ``overview-N``, ``image-description``, ``muscles-primary-heading`` and
  ``muscles-primary-N`` (likewise ``secondary``), ``equipment-N``, ``setup-N``,
  ``step-N``, ``prescription-sets`` / ``-reps`` / ``-tempo`` / ``-rest`` / ``-switch``,
  ``tip-N``, ``caution-N``, ``faq-N-q`` and ``faq-N-a`` (N from 1).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..document import images
from ..document.model import Exercise, Muscle, Picture
from . import prescription
from .phrases import N_, Phrases, cap
from .text import Aside, Block, Figure, Heading, Item, Items, Para, Part, Term, Terms

__all__ = ["HEADINGS", "anatomy", "credit_line", "heading", "level_name", "page"]

HEADINGS: dict[str, str] = {
    "overview": N_("Overview"),
    "muscles": N_("Target muscles"),
    "muscles-primary": N_("Primary"),
    "muscles-secondary": N_("Secondary"),
    "equipment": N_("Equipment"),
    "setup": N_("Setup"),
    "instructions": N_("Instructions"),
    "prescription": N_("Prescription"),
    "tips": N_("Tips"),
    "cautions": N_("Cautions"),
    "faq": N_("Frequently asked questions"),
}
"""The page's part headings (catalog messages)."""

LEVELS: dict[str, str] = {
    "beginner": N_("beginner"), "intermediate": N_("intermediate"), "advanced": N_("advanced"),
}


def heading(part: str, ph: Phrases) -> str:
    """A part's heading in the reader's language."""
    return ph._(HEADINGS[part])


def level_name(level: str, ph: Phrases) -> str:
    return ph._(LEVELS[level])


def credit_line(picture: Picture, ph: Phrases) -> str:
    """Who made a picture and under which licence, in the reader's language ("" if unknown)."""
    if picture.credit and picture.license:
        return ph._("Credit: {credit} ({license})", credit=picture.credit,
                    license=picture.license)
    if picture.credit:
        return ph._("Credit: {credit}", credit=picture.credit)
    return ph._("Licence: {license}", license=picture.license) if picture.license else ""


def anatomy(names: Sequence[str], ph: Phrases) -> str:
    """A muscle's anatomical names as printed after its plain name: " (a, b)"."""
    return ph._(" ({names})", names=ph.join(names, "unit")) if names else ""


def _part(ident: str, blocks: Sequence[Block], ph: Phrases) -> Part:
    title = Heading(heading(ident, ph), 2, f"{ident}-heading", catalog=True)
    return Part(title, tuple(blocks), ident)


def _muscles(which: str, muscles: list[Muscle], ph: Phrases) -> list[Block]:
    group = f"muscles-{which}"
    items = tuple(
        Item(cap(m.name), f"{group}-{i}", detail=anatomy(m.anatomy, ph), detail_role="anatomy",
             field=f"muscles.{which}[{i - 1}].name")
        for i, m in enumerate(muscles, 1))
    return [Heading(heading(group, ph), 3, f"{group}-heading", catalog=True),
            Items(items, role="muscles")]


def _items(texts: Sequence[str], prefix: str, role: str, name: str,
           ordered: bool = False) -> Items:
    return Items(tuple(Item(t, f"{prefix}-{i}", field=f"{name}[{i - 1}]")
                       for i, t in enumerate(texts, 1)), ordered, role)


def page(d: Exercise, ph: Phrases) -> Part:
    """Every text block of the exercise's page, in reading order (see the module docstring)."""
    head: list[Block] = []
    if d.aliases:
        head.append(Para("; ".join(d.aliases), "aliases", "aliases", ph._("Also known as:"),
                         field="aliases"))
    if d.summary:
        head.append(Para(d.summary, "summary", "summary", field="summary"))
    if d.level:
        head.append(Para(cap(level_name(d.level, ph)), "level", "level", ph._("Level:"),
                         catalog=True))
    for i, loaded in enumerate(images.loaded(d), 1):
        head.append(Figure(loaded, i, f"figure-{i}", loaded.picture.caption or "",
                           credit_line(loaded.picture, ph)))

    parts: list[Block] = []
    overview: list[Block] = [Para(t, f"overview-{i}", extended=True, field=f"overview[{i - 1}]")
                             for i, t in enumerate(d.overview, 1)]
    if d.image_description and not d.images:  # else it is figure 1's alt text
        overview.append(Aside(d.image_description, ph._("Image description:"),
                              ph._("Image description"), "image-description",
                              "image-description", extended=True, field="image_description"))
    if overview:
        parts.append(_part("overview", overview, ph))
    if d.muscles:
        muscles = _muscles("primary", d.muscles.primary, ph)
        if d.muscles.secondary:
            muscles += _muscles("secondary", d.muscles.secondary, ph)
        parts.append(_part("muscles", muscles, ph))
    if d.equipment:
        parts.append(_part("equipment", [_items([cap(e) for e in d.equipment], "equipment",
                                                "equipment", "equipment")], ph))
    if d.setup:
        parts.append(_part("setup", [Para(t, f"setup-{i}", field=f"setup[{i - 1}]")
                                     for i, t in enumerate(d.setup, 1)], ph))
    steps = tuple(Item(s.text, f"step-{i}", lead=s.cue or "", lead_field=f"steps[{i - 1}].cue",
                       field=f"steps[{i - 1}].text")
                  for i, s in enumerate(d.steps, 1))
    parts.append(_part("instructions", [Items(steps, True, "steps")], ph))
    if d.prescription:
        terms = tuple(Term(e.term, e.value, f"prescription-{e.key}", catalog=True)
                      for e in prescription.entries(d.prescription, ph))
        parts.append(_part("prescription", [Terms(terms, "prescription")], ph))
    if d.tips:
        parts.append(_part("tips", [_items(d.tips, "tip", "tips", "tips")], ph))
    if d.cautions:
        parts.append(_part("cautions", [_items(d.cautions, "caution", "cautions", "cautions")],
                           ph))
    if d.faq:
        faq = tuple(Term(qa.question, qa.answer, term_id=f"faq-{i}-q", value_id=f"faq-{i}-a",
                         field=f"faq[{i - 1}].answer", term_field=f"faq[{i - 1}].question")
                    for i, qa in enumerate(d.faq, 1))
        parts.append(_part("faq", [Terms(faq, "faq")], ph))
    return Part(Heading(d.name, 1, "name", field="name"), (*head, *parts))
