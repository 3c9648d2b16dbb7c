"""An exercise's reading order: every piece of text its page shows, in order, each with a stable id.

The EPUB page is built from these blocks (each becomes one element carrying the
block's id) and the read-aloud timeline speaks the same blocks under the same ids, so
a media overlay can only point at elements that exist, in page order, and each clip
says exactly what its element shows. Nothing here knows about XHTML or timing.

Ids (all stable: they depend only on the document's structure, never on its text):

- ``name``, ``aliases``, ``summary``, ``level`` — the page head;
- ``<part>-heading`` — a part's heading; the part itself is ``overview``, ``muscles``,
  ``equipment``, ``setup``, ``instructions``, ``prescription``, ``tips``, ``cautions``
  or ``faq``;
- ``figure-N`` — the document's pictures, after the page head (text: the alt text, label:
  the caption, detail: the credit line; read aloud as shown, caption and credit, the alt
  text being the picture's own); they take the place of the ``image-description``, which
  is the first picture's alt text then;
- ``overview-N``, ``image-description``, ``muscles-primary-heading`` and
  ``muscles-primary-N`` (likewise ``secondary``), ``equipment-N``, ``setup-N``,
  ``step-N``, ``prescription-sets`` / ``-reps`` / ``-tempo`` / ``-rest`` / ``-switch``,
  ``tip-N``, ``caution-N``, ``faq-N-q`` and ``faq-N-a`` (N from 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..document.model import Exercise, Muscle, Picture
from . import prescription
from .phrases import N_, Phrases, cap, phrases

__all__ = [
    "HEADINGS", "Block", "Kind", "cap", "credit_line", "heading", "item_number", "level_name",
    "reading_order",
]

Kind = Literal[
    "name", "aliases", "summary", "level", "figure", "heading", "subheading", "overview",
    "image-description", "muscle", "equipment", "setup", "step", "prescription", "tip",
    "caution", "question", "answer",
]


@dataclass(frozen=True, slots=True)
class Block:
    """One element's worth of text.

    ``label`` is wording from the phrase catalog printed before the text ("Level:", "Sets");
    ``detail`` is printed right after it in a quieter style (a muscle's anatomy).
    ``part`` is the part the block sits in ("" for the page head) and ``group`` the
    list it is an item of: consecutive blocks with the same group share one list.
    """

    id: str
    kind: Kind
    text: str
    label: str = ""
    detail: str = ""
    part: str = ""
    group: str = ""

    @property
    def spoken(self) -> tuple[str, ...]:
        """What is said, in order: the label on its own (so it is heard as a label),
        then the text with its detail."""
        if self.kind == "figure":  # what the page shows; the alt text is the picture's
            return tuple(piece for piece in (self.label, self.detail) if piece)
        body = self.text + self.detail
        return (self.label, body) if self.label else (body,)

    @property
    def full_text(self) -> str:
        """The element's text with whitespace folded: what the page shows and is said."""
        return " ".join(self.spoken)



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
"""The page's part headings, shared by every output that shows parts (catalog messages)."""

LEVELS: dict[str, str] = {
    "beginner": N_("beginner"), "intermediate": N_("intermediate"), "advanced": N_("advanced"),
}


def heading(part: str, ph: Phrases) -> str:
    """A part's heading in the reader's language."""
    return ph._(HEADINGS[part])


def level_name(level: str, ph: Phrases) -> str:
    return ph._(LEVELS[level])


def item_number(n: int, ph: Phrases) -> str:
    """The label of item ``n`` of a numbered list, as printed ("1.")."""
    # TRANSLATORS: the label of an item in a numbered list ("1.")
    return ph._("{n}.", n=ph.number(n))


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


def _muscles(which: str, muscles: list[Muscle], ph: Phrases) -> list[Block]:
    part, group = "muscles", f"muscles-{which}"
    out = [Block(f"{group}-heading", "subheading", heading(group, ph), part=part)]
    for i, m in enumerate(muscles, 1):
        out.append(Block(f"{group}-{i}", "muscle", cap(m.name), detail=anatomy(m.anatomy, ph),
                         part=part, group=group))
    return out


def reading_order(document: Exercise) -> list[Block]:
    """Every text block of the exercise's page, in reading order (see the module docstring)."""
    d = document
    ph = phrases(d.language)
    out = [Block("name", "name", d.name)]
    if d.aliases:
        out.append(Block("aliases", "aliases", "; ".join(d.aliases),
                         label=ph._("Also known as:")))
    if d.summary:
        out.append(Block("summary", "summary", d.summary))
    if d.level:
        out.append(Block("level", "level", cap(level_name(d.level, ph)), label=ph._("Level:")))

    for i, picture in enumerate(d.images, 1):
        out.append(Block(f"figure-{i}", "figure", picture.alt or "", label=picture.caption or "",
                         detail=credit_line(picture, ph)))

    def part(ident: str) -> None:
        out.append(Block(f"{ident}-heading", "heading", heading(ident, ph), part=ident))

    def items(ident: str, kind: Kind, texts: list[str], prefix: str, group: str = "") -> None:
        for i, text in enumerate(texts, 1):
            out.append(Block(f"{prefix}-{i}", kind, text, part=ident, group=group))

    described = d.image_description and not d.images  # else it is figure 1's alt text
    if d.overview or described:
        part("overview")
    items("overview", "overview", d.overview, "overview")
    if described and d.image_description:
        out.append(Block("image-description", "image-description", d.image_description,
                         label=ph._("Image description:"), part="overview"))

    if d.muscles:
        part("muscles")
        out += _muscles("primary", d.muscles.primary, ph)
        if d.muscles.secondary:
            out += _muscles("secondary", d.muscles.secondary, ph)

    if d.equipment:
        part("equipment")
        items("equipment", "equipment", [cap(e) for e in d.equipment], "equipment", "equipment")

    if d.setup:
        part("setup")
        items("setup", "setup", d.setup, "setup")

    part("instructions")
    items("instructions", "step", [s.text for s in d.steps], "step", "steps")

    if d.prescription:
        part("prescription")
        for entry in prescription.entries(d.prescription, ph):
            out.append(Block(f"prescription-{entry.key}", "prescription", entry.value,
                             label=entry.term, part="prescription", group="prescription"))

    if d.tips:
        part("tips")
        items("tips", "tip", d.tips, "tip", "tips")

    if d.cautions:
        part("cautions")
        items("cautions", "caution", d.cautions, "caution", "cautions")

    if d.faq:
        part("faq")
        for i, qa in enumerate(d.faq, 1):
            out.append(Block(f"faq-{i}-q", "question", qa.question, part="faq", group="faq"))
            out.append(Block(f"faq-{i}-a", "answer", qa.answer, part="faq", group="faq"))
    return out
