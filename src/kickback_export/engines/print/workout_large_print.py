"""Large print of a workout: the sheet's content as a plain list, 18 pt and up.

No table and no log grid (a grid of small cells is what large print avoids): the
name, summary, notes and length, then each block as a heading ("Block B: superset of
3 rounds") with its rest between rounds, and each entry as a list item labelled
A1, A2, … whose bold lead is the exercise's name and whose lines are its dose, tempo,
rest and load. Words are :mod:`.workout_list`'s; pages, fonts, tagging and drawing
are the exercise large print's (:mod:`.large_print_layout`), so the same rules hold:
18 pt body, an item never split across pages, "Page N of M" on each.
"""

from __future__ import annotations

from ...content.phrases import cap, phrases
from ...content.workout_list import WorkoutText, workout_text
from ...document.workout import ResolvedWorkout
from . import pdf_page
from .large_print_layout import LABEL_GAP, MARGIN, PARA_GAP, Layout, PageBuilder, footer_height
from .large_print_pages import BODY_PT, Block, Piece, paginate
from .pdf_tagging import Fonts, Metadata, load_fonts, text_width


class _Builder(PageBuilder):
    def build(self, t: WorkoutText) -> list[Block]:
        ph = self.ph
        self.heading(self.text("name", t.name), "H1")
        self.blocks[-1].pieces.append(Piece(None, [], "", 0.0, 0.0))  # the rule
        self.para("summary", t.summary)
        for i, note in enumerate(t.notes):
            self.para(f"notes[{i}]", note)
        self.para("", t.length)
        for group in t.groups:
            self.heading(self.text("", group.title), "H2")
            if group.rest:  # kept with the heading and the first entry, as a heading is
                piece = self.piece(self.root.add("P"), self.text("", cap(group.rest)))
                self.blocks.append(Block([piece], PARA_GAP, keep_next=True))
            lst = self.root.add("L")
            labels = [self.text("", r.label) if r.label else pdf_page.BULLET
                      for r in group.rows]
            indent = max(text_width(self.fonts.bold, lab) for lab in labels) * BODY_PT
            indent += LABEL_GAP
            for label, row in zip(labels, group.rows, strict=True):
                li = lst.add("LI")
                lbl, body = li.add("Lbl"), li.add("LBody")
                pieces = [self.piece(body.add("P"), self.text(f"exercise {row.key}: name",
                                                               row.name), bold=True,
                                     indent=indent)]
                pieces += [self.piece(body.add("P"), self.text("", line), indent=indent)
                           for line in row.details(ph)]
                pieces[0].label, pieces[0].label_node = label, lbl
                self.blocks.append(Block(pieces, PARA_GAP))
        return self.blocks


def layout(workout: ResolvedWorkout, paper: str = "a4", fonts: Fonts | None = None) -> Layout:
    """Break and paginate the workout's list (pure: draws nothing)."""
    fonts = fonts or load_fonts()
    ph = phrases(workout.language)
    size = pdf_page.PAPERS[paper]
    room = size[1] - 2 * MARGIN - footer_height()
    builder = _Builder(fonts, size[0] - 2 * MARGIN, ph)
    blocks = builder.build(workout_text(workout))
    pages, outline = paginate(blocks, room)
    total = ph.number(len(pages))
    footers = [builder.text("", ph._("Page {n} of {total}", n=ph.number(n), total=total))
               for n in range(1, len(pages) + 1)]
    return Layout(size, room, blocks, pages, outline, footers, builder.root, fonts)


def metadata(workout: ResolvedWorkout) -> Metadata:
    ph = phrases(workout.language)
    names = (workout.exercises[i].name for i in workout.workout.exercise_ids())
    return Metadata(workout.name, workout.language,
                    ph._("Large print: {summary}", summary=workout.workout.summary),
                    (ph.pgettext("PDF keyword", "workout"),
                     ph.pgettext("PDF keyword", "large print"), *names))


__all__ = ["layout", "metadata"]
