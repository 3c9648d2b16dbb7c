"""Braille Ready File (BRF) exporter: contracted braille for embossers and braille displays.

Translation is done by liblouis (Unified English Braille grade 2 for English, the
national grade 2 table for German, French and Spanish); pages are laid out on braille
cells by :mod:`kickback_export.engines.braille.braille` (40 × 25, BANA formats). This module
decides what the pages say and in which format:

* Title centred, then a blank line. Section headings start in cell 5 after a
  blank line (runovers in cell 5).
* Lists (muscles, equipment, setup, steps, tips, cautions, prescription) use
  1-3 format (first line cell 1, runovers cell 3); FAQ questions 1-3 with their
  answers nested in 3-5; the summary and level are 3-1 paragraphs.

Content order follows how the page reads: what it is (summary, level), what it
works and needs (muscles, equipment), how to do it (setup, steps), how to do it
well and safely (tips, cautions), questions, and finally the dose to train.
Every heading and label comes from the phrase catalog in the document's language,
and the prescription is every line of :func:`~kickback_export.content.prescription.entries`
as "term: value". The long overview and the image description are left out: they
restate the list sections, and braille volume is costly to read and to emboss.
The document's pictures are described figures after the summary ("Picture: " and the
picture's alt text), since a reader of the card beside it would see them there.
A workout is its sheet's content without the log cells (:func:`workout_blocks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.phrases import Phrases
    from ..document.model import Exercise, Muscle, Picture
    from ..document.workout import ResolvedWorkout
    from ..engines.braille.braille import Block

MEDIA_TYPE = "text/plain"
"""BRF has no registered media type; its bytes are plain ASCII text, so ``text/plain``
is the accurate registered type (``application/x-brf`` is unregistered and unknown to
most software, which identifies BRF by its ``.brf`` suffix anyway)."""


def _picture_line(picture: Picture, ph: Phrases) -> str:
    """A described figure: the picture's alt text, after its caption when it has one."""
    if picture.caption:
        return ph._("Picture, {caption}: {description}", caption=picture.caption,
                    description=picture.alt or "")
    return ph._("Picture: {description}", description=picture.alt or "")


def _muscle_line(group: str, muscles: Sequence[Muscle], ph: Phrases) -> str:
    from ..content.phrases import cap
    from ..content.reading import anatomy, heading

    names = "; ".join(cap(m.name) + anatomy(m.anatomy, ph) for m in muscles)
    return ph._("{term}: {value}", term=heading(group, ph), value=names)


def blocks(document: Exercise, ph: Phrases) -> list[Block]:
    """The document as an ordered list of formatted text blocks."""
    from ..content import prescription
    from ..content.phrases import cap
    from ..content.reading import heading, item_number, level_name
    from ..engines.braille.braille import Block

    def part(name: str) -> Block:
        return Block("heading", heading(name, ph), 4, 4, heading=True, blank_before=True)

    def items(field: str, texts: Sequence[str]) -> list[Block]:
        return [Block(f"{field}[{i}]", text, 0, 2) for i, text in enumerate(texts)]

    d = document
    head = ([Block("summary", d.summary, 2, 0)] if d.summary else []) + (
        [Block("level", f"{ph._('Level:')} {cap(level_name(d.level, ph))}", 2, 0)]
        if d.level else [])
    out = [Block("name", d.name, centred=True)]
    if head:
        out += [Block("heading", ph._("Summary"), 4, 4, heading=True, blank_before=True), *head]
    out += [Block(f"images[{i}]", _picture_line(p, ph), 0, 2) for i, p in enumerate(d.images)]
    if d.muscles:
        out += [part("muscles"), Block("muscles.primary", _muscle_line(
            "muscles-primary", d.muscles.primary, ph), 0, 2)]
        if d.muscles.secondary:
            out.append(Block("muscles.secondary",
                             _muscle_line("muscles-secondary", d.muscles.secondary, ph), 0, 2))
    if d.equipment:
        out += [part("equipment"), *items("equipment", d.equipment)]
    if d.setup:
        out += [part("setup"), *items("setup", d.setup)]
    out.append(part("instructions"))
    out += [Block(f"steps[{i}].text", f"{item_number(i + 1, ph)} {step.text}", 0, 2)
            for i, step in enumerate(d.steps)]
    if d.tips:
        out += [part("tips"), *items("tips", d.tips)]
    if d.cautions:
        out += [part("cautions"), *items("cautions", d.cautions)]
    if d.faq:
        out.append(part("faq"))
        for i, qa in enumerate(d.faq):
            out.append(Block(f"faq[{i}].question", qa.question, 0, 2))
            out.append(Block(f"faq[{i}].answer", qa.answer, 2, 4))
    if d.prescription:
        out.append(part("prescription"))
        out += [Block(f"prescription.{e.key}", ph._("{term}: {value}", term=e.term,
                                                    value=e.value), 0, 2)
                for e in prescription.entries(d.prescription, ph)]
    return out


def workout_blocks(workout: ResolvedWorkout, ph: Phrases) -> list[Block]:
    """A workout as the sheet lists it, without its log cells: name, summary, notes and
    length, then each block under its heading, one 1-3 item per entry ("A1 Glute bridge:
    3 × 12 reps; Tempo: …; Rest: …")."""
    from ..content.phrases import cap
    from ..content.workout_list import workout_text
    from ..engines.braille.braille import Block

    t = workout_text(workout)
    out = [Block("name", t.name, centred=True), Block("summary", t.summary, 2, 0)]
    out += [Block(f"notes[{i}]", note, 2, 0) for i, note in enumerate(t.notes)]
    out.append(Block("length", t.length, 2, 0))
    for group in t.groups:
        out.append(Block(group.key, group.title, 4, 4, heading=True, blank_before=True))
        if group.rest:
            out.append(Block(f"{group.key}.rest", cap(group.rest), 2, 0))
        for row in group.rows:
            name = " ".join(filter(None, (row.label, row.name)))
            out.append(Block(row.key, ph._("{term}: {value}", term=name,
                                           value="; ".join(row.details(ph))), 0, 2))
    return out


def render(document: Exercise | ResolvedWorkout) -> bytes:
    """The whole BRF file for ``document``; deterministic for a given liblouis version."""
    from ..content.phrases import phrases
    from ..document.workout import ResolvedWorkout
    from ..engines.braille.braille import emboss

    ph = phrases(document.language)
    if isinstance(document, ResolvedWorkout):
        return emboss(workout_blocks(document, ph), document.language)
    return emboss(blocks(document, ph), document.language)


class BrfExporter:
    """Writes ``<slug>.brf``: contracted braille formatted for 40 × 25 embossed pages."""

    name = "brf"
    description = "Braille Ready File (contracted braille, 40 cells × 25 lines) via liblouis"
    kinds = ("exercise", "workout")
    options: Sequence[Option] = ()

    def export(self, document: Exercise | ResolvedWorkout, out_dir: Path, options: Options
               ) -> list[Output]:
        from .. import fsutil

        data = render(document)
        path = out_dir / f"{document.slug}.brf"
        fsutil.write_bytes(path, data)
        return [Output(path=path, media_type=MEDIA_TYPE)]
