"""The pictures of a cue card: one band of up to two pictures (start and end side by side),
each with its caption and credit under it.

The band is sized by the card's fit (:mod:`.card_layout`): text keeps its minimum
sizes, so the band is tried from its largest height down to :data:`MIN_SHARE` of the
side, and when even that would push text below its minimum it goes to the back. Each
picture is a Figure carrying its alt text, its caption a Caption, in the structure tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.units import mm

from .pdf_page import fitted
from .pdf_tagging import Fonts, Node, break_lines, check_text

if TYPE_CHECKING:
    from ...content.text import Figure
    from ...document.images import Loaded
    from .card_layout import Placed

CAPTION_PT = 10.0  # above the 9 pt floor of any card text
GAP = 2.5 * mm
MAX_SHARE, MIN_SHARE = 0.42, 0.15  # of a side's content height, for the pictures alone
SHRINK = 0.85  # each smaller try


@dataclass(frozen=True)
class Band:
    pictures: list[Loaded]
    slot_w: float
    captions: list[list[str]]  # per picture: caption lines, then credit lines
    font: str

    @property
    def leading(self) -> float:
        return CAPTION_PT * 1.2

    @property
    def caption_h(self) -> float:
        lines = max(len(c) for c in self.captions)
        return lines * self.leading + (GAP / 2 if lines else 0.0)

    def height(self, image_h: float) -> float:
        """The room the band takes from a side: the pictures, captions and a gap on
        each side."""
        return float(GAP + image_h + self.caption_h + GAP)

    def tries(self, content_h: float) -> list[float]:
        """Picture heights to try, largest first: the pictures' own proportions at the
        slot width, capped at :data:`MAX_SHARE` of the side, down to :data:`MIN_SHARE`."""
        natural = max(fitted(p.width, p.height, self.slot_w, 10_000)[1] for p in self.pictures)
        top, low = min(natural, MAX_SHARE * content_h), MIN_SHARE * content_h
        out = [top]
        while out[-1] * SHRINK > low:
            out.append(out[-1] * SHRINK)
        if top > low:
            out.append(low)
        return out


def band(figures: Sequence[Figure], fonts: Fonts, width: float) -> Band | None:
    """The card's picture band for a content ``width`` (None without pictures)."""
    if not figures:
        return None
    slot_w = (width - GAP * (len(figures) - 1)) / len(figures)
    captions = []
    for f in figures:
        lines: list[str] = []
        for where, text in ((f"images[{f.number - 1}].caption", f.caption),
                            (f"images[{f.number - 1}].credit", f.credit)):
            if text:
                lines += break_lines(check_text(fonts, where, text), fonts.regular, CAPTION_PT,
                                     slot_w)
        captions.append(lines)
    return Band([f.picture for f in figures], slot_w, captions, fonts.regular)


def place(b: Band, image_h: float, top: float, root: Node) -> list[Placed]:
    """The band's items from ``top`` down (after a gap), in reading order: each picture
    (a Figure with its alt text), then its caption."""
    from .card_layout import Placed

    out = []
    y = top + GAP
    for i, (picture, lines) in enumerate(zip(b.pictures, b.captions, strict=True)):
        x = i * (b.slot_w + GAP)
        out.append(Placed("image", x, y, b.slot_w, image_h, root.add("Figure", alt=picture.alt),
                          image=picture))
        if lines:
            out.append(Placed("text", x, y + image_h + GAP / 2, b.slot_w,
                              len(lines) * b.leading, root.add("Caption"), lines, b.font,
                              CAPTION_PT, b.leading))
    return out
