"""What the cue card, the sheet and the large print share on paper.

Paper sizes, the canvas (drawn uncompressed, tagged and saved by
:func:`~kickback_export.engines.print.pdf_tagging.finish`), the document's metadata, list
labels, the character check for the words a page prints, and the one rule for
breaking a paragraph between pages or card sides: at least two lines on each side.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from .pdf_tagging import Fonts, Metadata, Node, Tagger, check_text, finish

if TYPE_CHECKING:
    from ...content.phrases import Phrases
    from ...content.text import TextModel
    from ...document.images import Loaded

PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
MIN_LINES = 2  # a paragraph that breaks leaves at least this many lines on each side
BULLET = "•"
CATALOG = "phrase catalog"  # where catalog words come from, for the character check

Draw = Callable[[Any, Tagger, int], None]
"""Draws page ``index`` on the canvas, wrapping what it draws with the tagger."""


def lines_to_take(fit: int, total: int) -> int:
    """How many of a paragraph's ``total`` lines to place where ``fit`` lines fit: all of
    them, a share leaving at least :data:`MIN_LINES` on each side of the break, or none
    (the paragraph moves on whole)."""
    if fit >= total:
        return total
    take = min(fit, total - MIN_LINES)
    return take if take >= MIN_LINES else 0


def list_labels(count: int, numbered: bool, ph: Phrases, start: int = 1) -> list[str]:
    """The labels of a list's items: "1.", "2." … (from ``start``) or bullets."""
    if not numbered:
        return [BULLET] * count
    return [ph.item_number(i) for i in range(start, start + count)]


def check_words(fonts: Fonts, words: str) -> str:
    """The catalog's words (and lines they build) must be drawable as much as the document's."""
    return check_text(fonts, CATALOG, words)


def metadata(text: TextModel, subject: str, medium: str) -> Metadata:
    """Title and language from the text model; ``subject`` and the ``medium`` keyword
    ("cue card") are catalog words of the caller."""
    return Metadata(text.title, text.language, subject,
                    (text.meta.kind_word, medium, *text.meta.keywords))


def render(size: tuple[float, float], fonts: Fonts, pages: int, draw: Draw, root: Node,
           meta: Metadata, outline: Iterable[tuple[str, int]] = (), font_size: float = 12
           ) -> bytes:
    """Draw ``pages`` pages and tag the result (byte-reproducible: invariant mode).

    ``root`` may have been drawn before (one card, two PDFs): its marks start afresh.
    """
    for node in root.walk():
        node.marks.clear()
    buf = io.BytesIO()
    # uncompressed here: pikepdf compresses once when it saves the tagged result, and
    # reportlab would also ASCII85-encode every stream in pure Python
    canvas = Canvas(buf, pagesize=size, invariant=1, initialFontName=fonts.regular,
                    initialFontSize=font_size, pageCompression=0)
    canvas.setFillColor(black)
    canvas.setStrokeColor(black)
    tagger = Tagger(canvas)
    for index in range(pages):
        draw(canvas, tagger, index)
        canvas.showPage()
    canvas.save()
    return finish(buf.getvalue(), root, meta, outline)


def rule(canvas: Any, tagger: Tagger, width: float, x: float, y: float, length: float) -> None:
    """A horizontal rule: decoration, so an artifact a screen reader skips."""
    with tagger.artifact():
        canvas.setStrokeColor(black)
        canvas.setLineWidth(width)
        canvas.line(x, y, x + length, y)


def text_lines(canvas: Any, x: float, y: float, font: str, size: float, leading: float,
               lines: Sequence[str]) -> None:
    """Lines of plain text from the first baseline at (x, y) down, one text object."""
    text = canvas.beginText()
    text.setTextOrigin(x, y)
    text.setFont(font, size, leading)
    for line in lines:
        text.textLine(line)
    canvas.drawText(text)


def fitted(width: int, height: int, box_w: float, box_h: float) -> tuple[float, float]:
    """A picture's size scaled to fit a box, keeping its proportions."""
    scale = min(box_w / width, box_h / height)
    return width * scale, height * scale


def picture(canvas: Any, tagger: Tagger, node: Node, image: Loaded, x: float, y: float,
            w: float, h: float, order: tuple[int, ...] = ()) -> None:
    """Draw a loaded picture in the box with lower-left corner (x, y), centred and kept in
    proportion, as the content of its Figure ``node`` (which carries the alt text)."""
    from reportlab.lib.utils import ImageReader

    dw, dh = fitted(image.width, image.height, w, h)
    with tagger.marked(node, order):
        canvas.drawImage(ImageReader(io.BytesIO(image.data)), x + (w - dw) / 2,
                         y + (h - dh) / 2, dw, dh, mask="auto" if image.media_type ==
                         "image/png" else None)
