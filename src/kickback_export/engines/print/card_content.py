"""What a cue card says: the front to glance at mid-set, the back with the instructions.

The words are the document's and the phrase catalog's: headings from the content
layer, the dose from :func:`~kickback_export.content.prescription.dose_lines`, the
card's own words ("Cues", "Dose", "More in the e-book") as catalog messages. Every
character is checked against the card font on the way, naming the field it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...content.phrases import phrases
from ...content.prescription import dose_lines
from ...content.reading import heading
from . import pdf_page
from .pdf_page import check_prescription, check_words, list_labels
from .pdf_tagging import Fonts, Metadata, Node, check_text

if TYPE_CHECKING:
    from ...content.phrases import Phrases
    from ...document.model import Exercise

TOP_TIPS = 3  # tips are listed most important first; the card keeps the first three


def metadata(doc: Exercise) -> Metadata:
    """The card PDFs' title, language, subject and keywords."""
    ph = phrases(doc.language)
    return pdf_page.metadata(doc, ph, ph._("Cue card: {summary}", summary=doc.summary or doc.name),
                             ph.pgettext("PDF keyword", "cue card"))


@dataclass(eq=False)
class Block:
    """One paragraph to flow: its text, style key and structure leaf."""

    style: str
    text: str
    node: Node
    label: str | None = None
    label_node: Node | None = None
    space: float = 0.0  # space before, in multiples of the font size
    keep: bool = False  # keep with the next block (headings)


class CardContent:
    """Builds the front and back blocks under one structure root."""

    def __init__(self, doc: Exercise, fonts: Fonts, root: Node, ph: Phrases) -> None:
        self.doc, self.fonts, self.root, self.ph = doc, fonts, root, ph

    def para(self, style: str, where: str, value: str, role: str = "P", space: float = 0.0
             ) -> Block:
        """A paragraph of document text (``where`` names its field) or catalog words."""
        text = check_text(self.fonts, where, value) if where else check_words(self.fonts, value)
        return Block(style, text, self.root.add(role), space=space, keep=role.startswith("H"))

    def head(self, style: str, words: str, space: float) -> Block:
        return self.para(style, "", words, "H2", space)

    def items(self, style: str, entries: Sequence[tuple[str, str]], numbered: bool,
              start: int = 1) -> list[Block]:
        lst = self.root.add("L")
        labels = list_labels(len(entries), numbered, self.ph, start)
        out = []
        for i, (where, value) in enumerate(entries):
            li = lst.add("LI")
            out.append(Block(style, check_text(self.fonts, where, value), Node("LBody"),
                             label=check_words(self.fonts, labels[i]),
                             label_node=li.add("Lbl"), space=0.3 if i else 0.15))
            li.kids.append(out[-1].node)
        return out

    def targets(self) -> str | None:
        """"Targets: glutes · helped by hamstrings, core" (names checked field by field);
        None for a document that names no muscles."""
        ph, muscles = self.ph, self.doc.muscles
        if muscles is None:
            return None
        names = {
            group: ph.join([check_text(self.fonts, f"muscles.{group}[{i}].name", m.name)
                            for i, m in enumerate(getattr(muscles, group))], "unit")
            for group in ("primary", "secondary")
        }
        if muscles.secondary:
            return ph._("Targets: {primary} · helped by {secondary}", **names)
        return ph._("Targets: {primary}", primary=names["primary"])

    @property
    def cued(self) -> bool:
        """Whether the front lists cues (the back then has the steps in full). Without
        cues the steps are printed once: the front takes those that fit, the back the rest."""
        return any(step.cue for step in self.doc.steps)

    def front_head(self) -> list[Block]:
        """The name and the targets: what the pictures come after."""
        targets = self.targets()
        blocks = [self.para("title", "name", self.doc.name, "H1")]
        if targets:
            blocks.append(self.para("meta", "", targets, space=0.9))
        return blocks

    def dose(self) -> list[Block]:
        rx = self.doc.prescription
        if rx is None:
            return []
        check_prescription(self.fonts, rx)
        return [self.head("fhead", self.ph._("Dose"), 0.6),
                *(self.para("dose", "", line, space=0.2) for line in dose_lines(rx, self.ph))]

    def front_rest(self, steps: int) -> list[Block]:
        """After the head (and pictures): the cues and the dose; without cues, the dose
        and the first ``steps`` steps."""
        doc, ph = self.doc, self.ph
        if not self.cued:
            blocks = self.dose()
            if steps:
                blocks.append(self.head("fhead", ph._("How to do it"), 0.6))
                blocks += self.items("cue", [(f"steps[{i}].text", s.text)
                                             for i, s in enumerate(doc.steps[:steps])], True)
            return blocks
        blocks = [self.head("fhead", ph._("Cues"), 0.6)]
        blocks += self.items("cue", [
            (f"steps[{i}].cue", step.cue) if step.cue else (f"steps[{i}].text", step.text)
            for i, step in enumerate(doc.steps)
        ], numbered=True)
        return blocks + self.dose()

    def front(self) -> list[Block]:
        return self.front_head() + self.front_rest(len(self.doc.steps))

    def back(self, front_steps: int = 0) -> tuple[list[Block], list[Block], Block]:
        """The required back content, the FAQ (optional) and the "more" line.

        Without cues the back starts with the steps the front could not take (all of
        them from ``front_steps``). Tips that repeat a caution word for word are printed
        once, under Cautions.
        """
        doc, ph = self.doc, self.ph
        summary = [self.para("body", "summary", doc.summary)] if doc.summary else []
        if self.cued:
            blocks = [*summary, self.head("head", ph._("How to do it"), 0.7), *self.items(
                "body", [(f"steps[{i}].text", s.text) for i, s in enumerate(doc.steps)], True)]
        else:  # the steps the front began go on first, then the summary
            left = range(front_steps, len(doc.steps))
            blocks = []
            if left:
                title = ph._("How to do it (continued)") if front_steps else ph._(
                    "How to do it")
                blocks = [self.head("head", title, 0.0), *self.items(
                    "body", [(f"steps[{i}].text", doc.steps[i].text) for i in left], True,
                    start=front_steps + 1)]
            if doc.summary:
                blocks.append(self.para("body", "summary", doc.summary,
                                        space=0.7 if blocks else 0.0))
        caution_set = set(doc.cautions)
        tips = [(f"tips[{i}]", t) for i, t in enumerate(doc.tips) if t not in caution_set]
        if tips:
            blocks.append(self.head("head", heading("tips", ph), 0.7))
            blocks += self.items("body", tips[:TOP_TIPS], numbered=False)
        if doc.cautions:
            blocks.append(self.head("head", heading("cautions", ph), 0.7))
            blocks += self.items(
                "body", [(f"cautions[{i}]", c) for i, c in enumerate(doc.cautions)], False
            )
        faq: list[Block] = []
        if doc.faq:
            faq.append(self.head("head", heading("faq", ph), 0.7))
            for i, qa in enumerate(doc.faq):
                faq.append(self.para("bold", f"faq[{i}].question", qa.question, "H3",
                                     space=0.4))
                faq.append(self.para("body", f"faq[{i}].answer", qa.answer))
        more = self.para("body", "", ph._("More in the e-book"), space=0.7)
        return blocks, faq, more
