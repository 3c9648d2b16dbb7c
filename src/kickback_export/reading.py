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
- ``overview-N``, ``image-description``, ``muscles-primary-heading`` and
  ``muscles-primary-N`` (likewise ``secondary``), ``equipment-N``, ``setup-N``,
  ``step-N``, ``prescription-sets`` / ``-reps`` / ``-tempo`` / ``-rest`` / ``-switch``,
  ``tip-N``, ``caution-N``, ``faq-N-q`` and ``faq-N-a`` (N from 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import Exercise, Muscle, Prescription

Kind = Literal[
    "name", "aliases", "summary", "level", "heading", "subheading", "overview",
    "image-description", "muscle", "equipment", "setup", "step", "prescription", "tip",
    "caution", "question", "answer",
]


@dataclass(frozen=True, slots=True)
class Block:
    """One element's worth of text.

    ``label`` is fixed English wording printed before the text ("Level:", "Sets");
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
        body = self.text + self.detail
        return (self.label, body) if self.label else (body,)

    @property
    def full_text(self) -> str:
        """The element's text with whitespace folded: what the page shows and is said."""
        return " ".join(self.spoken)


def _num(value: float) -> str:
    return f"{value:g}"


def _seconds(value: float) -> str:
    return f"{_num(value)} second{'' if value == 1 else 's'}"


def cap(text: str) -> str:
    """Upper-case the first letter only ('lower back' → 'Lower back', 'ACL' stays)."""
    return text[:1].upper() + text[1:]


def _muscles(part: str, which: str, heading: str, muscles: list[Muscle]) -> list[Block]:
    group = f"{part}-{which}"
    out = [Block(f"{group}-heading", "subheading", heading, part=part)]
    for i, m in enumerate(muscles, 1):
        detail = f" ({', '.join(m.anatomy)})" if m.anatomy else ""
        out.append(Block(f"{group}-{i}", "muscle", cap(m.name), detail=detail, part=part,
                         group=group))
    return out


def prescription_entries(rx: Prescription) -> list[tuple[str, str, str]]:
    """``(id suffix, term, value)`` for each line of the prescription, in order."""
    t, cues = rx.tempo, rx.cues
    out = [("sets", "Sets", str(rx.sets))]
    if rx.sides == "both":
        out.append(("reps", "Reps per side",
                    f"{rx.reps} per {rx.limb}, {rx.first_side} {rx.limb} first"))
    else:
        out.append(("reps", "Reps", str(rx.reps)))
    out.append(("tempo", "Tempo",
                f"{cap(cues.kick)} {_seconds(t.kick)}, {cues.hold} {_seconds(t.hold)}, "
                f"{cues.return_} {_seconds(t.return_)} ({_seconds(t.rep_seconds)} per rep)"))
    out.append(("rest", "Rest between sets", _seconds(rx.rest)))
    if rx.sides == "both":
        out.append(("switch", "Switching sides", _seconds(rx.switch)))
    return out


def reading_order(document: Exercise) -> list[Block]:
    """Every text block of the exercise's page, in reading order (see the module docstring)."""
    d = document
    out = [Block("name", "name", d.name)]
    if d.aliases:
        out.append(Block("aliases", "aliases", "; ".join(d.aliases), label="Also known as:"))
    out.append(Block("summary", "summary", d.summary))
    out.append(Block("level", "level", cap(d.level), label="Level:"))

    def part(ident: str, heading: str) -> None:
        out.append(Block(f"{ident}-heading", "heading", heading, part=ident))

    def items(ident: str, kind: Kind, texts: list[str], prefix: str, group: str = "") -> None:
        for i, text in enumerate(texts, 1):
            out.append(Block(f"{prefix}-{i}", kind, text, part=ident, group=group))

    part("overview", "Overview")
    items("overview", "overview", d.overview, "overview")
    if d.image_description:
        out.append(Block("image-description", "image-description", d.image_description,
                         label="Image description:", part="overview"))

    part("muscles", "Target muscles")
    out += _muscles("muscles", "primary", "Primary", d.muscles.primary)
    if d.muscles.secondary:
        out += _muscles("muscles", "secondary", "Secondary", d.muscles.secondary)

    part("equipment", "Equipment")
    items("equipment", "equipment", [cap(e) for e in d.equipment], "equipment", "equipment")

    if d.setup:
        part("setup", "Setup")
        items("setup", "setup", d.setup, "setup")

    part("instructions", "Instructions")
    items("instructions", "step", [s.text for s in d.steps], "step", "steps")

    if d.prescription:
        part("prescription", "Prescription")
        for suffix, term, value in prescription_entries(d.prescription):
            out.append(Block(f"prescription-{suffix}", "prescription", value, label=term,
                             part="prescription", group="prescription"))

    if d.tips:
        part("tips", "Tips")
        items("tips", "tip", d.tips, "tip", "tips")

    if d.cautions:
        part("cautions", "Cautions")
        items("cautions", "caution", d.cautions, "caution", "cautions")

    if d.faq:
        part("faq", "Frequently asked questions")
        for i, qa in enumerate(d.faq, 1):
            out.append(Block(f"faq-{i}-q", "question", qa.question, part="faq", group="faq"))
            out.append(Block(f"faq-{i}-a", "answer", qa.answer, part="faq", group="faq"))
    return out
