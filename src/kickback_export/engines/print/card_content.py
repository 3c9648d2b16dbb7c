"""A cue card's text as blocks to flow: the front to glance at mid-set, the back with the
instructions.

What the card says is the exercise's card view (:class:`~...content.card.CardText`),
worded in the content layer; this module turns it into the blocks the fit places, each
with its structure leaf, and checks every character against the card font on the way,
naming the field it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...content.phrases import phrases
from . import pdf_page
from .pdf_page import check_words, list_labels
from .pdf_tagging import Fonts, Metadata, Node, check_text

if TYPE_CHECKING:
    from ...content.card import CardText, Line
    from ...content.phrases import Phrases
    from ...content.text import TextModel


def metadata(text: TextModel) -> Metadata:
    """The card PDFs' title, language, subject and keywords."""
    ph = phrases(text.language)
    return pdf_page.metadata(text, ph._("Cue card: {summary}",
                                        summary=text.meta.summary or text.title),
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

    def __init__(self, card: CardText, fonts: Fonts, root: Node, ph: Phrases) -> None:
        self.card, self.fonts, self.root, self.ph = card, fonts, root, ph
        for line in card.checks:  # document words inside composed lines, field by field
            check_text(fonts, line.field, line.text)

    def check(self, line: Line) -> str:
        return check_text(self.fonts, line.field, line.text) if line.field else check_words(
            self.fonts, line.text)

    def para(self, style: str, line: Line, role: str = "P", space: float = 0.0) -> Block:
        """A paragraph of document text or catalog words."""
        return Block(style, self.check(line), self.root.add(role), space=space,
                     keep=role.startswith("H"))

    def head(self, style: str, words: str, space: float) -> Block:
        from ...content.card import Line

        return self.para(style, Line(words), "H2", space)

    def items(self, style: str, entries: Sequence[Line], numbered: bool,
              start: int = 1) -> list[Block]:
        lst = self.root.add("L")
        labels = list_labels(len(entries), numbered, self.ph, start)
        out = []
        for i, line in enumerate(entries):
            li = lst.add("LI")
            out.append(Block(style, self.check(line), Node("LBody"),
                             label=check_words(self.fonts, labels[i]),
                             label_node=li.add("Lbl"), space=0.3 if i else 0.15))
            li.kids.append(out[-1].node)
        return out

    @property
    def cued(self) -> bool:
        """Whether the front lists cues (the back then has the steps in full). Without
        cues the steps are printed once: the front takes those that fit, the back the rest."""
        return self.card.cues is not None

    def front_head(self) -> list[Block]:
        """The name and the targets: what the pictures come after."""
        from ...content.card import Line

        blocks = [self.para("title", self.card.name, "H1")]
        if self.card.targets:
            blocks.append(self.para("meta", Line(self.card.targets), space=0.9))
        return blocks

    def dose(self) -> list[Block]:
        from ...content.card import Line

        if not self.card.dose:
            return []
        return [self.head("fhead", self.card.words["dose"], 0.6),
                *(self.para("dose", Line(line), space=0.2) for line in self.card.dose)]

    def front_rest(self, steps: int) -> list[Block]:
        """After the head (and pictures): the cues and the dose; without cues, the dose
        and the first ``steps`` steps."""
        card = self.card
        if card.cues is None:
            blocks = self.dose()
            if steps:
                blocks.append(self.head("fhead", card.words["steps"], 0.6))
                blocks += self.items("cue", card.steps[:steps], True)
            return blocks
        blocks = [self.head("fhead", card.words["cues"], 0.6)]
        blocks += self.items("cue", card.cues, numbered=True)
        return blocks + self.dose()

    def front(self) -> list[Block]:
        return self.front_head() + self.front_rest(len(self.card.steps))

    def back(self, front_steps: int = 0) -> tuple[list[Block], list[Block], Block]:
        """The required back content, the FAQ (optional) and the "more" line.

        Without cues the back starts with the steps the front could not take (all of
        them from ``front_steps``).
        """
        from ...content.card import Line

        card, words = self.card, self.card.words
        summary = [self.para("body", card.summary)] if card.summary else []
        if self.cued:
            blocks = [*summary, self.head("head", words["steps"], 0.7),
                      *self.items("body", card.steps, True)]
        else:  # the steps the front began go on first, then the summary
            left = card.steps[front_steps:]
            blocks = []
            if left:
                title = words["steps-continued"] if front_steps else words["steps"]
                blocks = [self.head("head", title, 0.0),
                          *self.items("body", left, True, start=front_steps + 1)]
            if card.summary:
                blocks.append(self.para("body", card.summary, space=0.7 if blocks else 0.0))
        if card.tips:
            blocks.append(self.head("head", words["tips"], 0.7))
            blocks += self.items("body", card.tips, numbered=False)
        if card.cautions:
            blocks.append(self.head("head", words["cautions"], 0.7))
            blocks += self.items("body", card.cautions, False)
        faq: list[Block] = []
        if card.faq:
            faq.append(self.head("head", words["faq"], 0.7))
            for question, answer in card.faq:
                faq.append(self.para("bold", question, "H3", space=0.4))
                faq.append(self.para("body", answer))
        more = self.para("body", Line(words["more"]), space=0.7)
        return blocks, faq, more
