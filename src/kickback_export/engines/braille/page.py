"""The text model as braille blocks, in BANA formats.

* The title centred, then a blank line. Headings start in cell 5 after a blank line
  (runovers in cell 5); a heading inside a part starts in cell 5 without one.
* Paragraphs are 3-1 paragraphs (first line cell 3, runovers cell 1); list items,
  terms and their values, pictures and table rows use 1-3 format (first line cell 1,
  runovers cell 3); an item's own list and the answer to a question nest in 3-5.
* A numbered list's items start with their number ("1."), an item with its label; a
  term reads "term: value"; a table row "row header: cell; cell", under the table's
  caption as a heading; a picture is a described figure ("Picture, caption: alt").

Prose flagged ``extended`` (an overview that restates the lists, a picture described
in words) is left out: braille volume is costly to read and to emboss.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ...content.phrases import Phrases
from ...content.text import (
    Aside,
    Block,
    Figure,
    Heading,
    Item,
    Items,
    Para,
    Part,
    Table,
    Terms,
    TextModel,
    linear_rows,
)
from .braille import Block as Braille


def _picture(figure: Figure, ph: Phrases) -> str:
    """A described figure: the picture's alt text, after its caption when it has one."""
    if figure.caption:
        return ph._("Picture, {caption}: {description}", caption=figure.caption,
                    description=figure.alt)
    return ph._("Picture: {description}", description=figure.alt)


def _item(item: Item, number: str, ph: Phrases) -> str:
    head = " ".join(filter(None, (number or item.label, item.title, item.text + item.detail)))
    if item.sub is None:
        return head
    return ph._("{term}: {value}", term=head, value="; ".join(
        " ".join(filter(None, (s.label, s.title, s.text + s.detail))) for s in item.sub.items))


def _where(field: str, fallback: str) -> str:
    return field or fallback


def _blocks(block: Block, ph: Phrases, depth: int) -> Iterator[Braille]:
    if isinstance(block, Part):
        inner = [b for child in block.blocks for b in _blocks(child, ph, depth + 1)]
        if inner and block.heading is not None:  # a part left out whole has no heading
            yield from _blocks(block.heading, ph, depth + 1)
        yield from inner
    elif isinstance(block, Heading):
        yield Braille(_where(block.field, "heading"), block.text, 4, 4, heading=True,
                      blank_before=block.level <= 2)
    elif isinstance(block, Para) and not block.extended:
        text = f"{block.label} {block.text}" if block.label else block.text
        yield Braille(_where(block.field, block.id or "paragraph"), text, 2, 0)
    elif isinstance(block, Items):
        for i, item in enumerate(block.items, 1):
            number = ph.item_number(i) if block.ordered else ""
            yield Braille(_where(item.field, item.id or "item"), _item(item, number, ph), 0, 2)
    elif isinstance(block, Terms):
        for term in block.terms:
            if term.id or not term.term_id:
                yield Braille(_where(term.field, term.id or "term"),
                              ph._("{term}: {value}", term=term.term, value=term.value), 0, 2)
            else:
                yield Braille(_where(term.term_field, term.term_id), term.term, 0, 2)
                yield Braille(_where(term.field, term.value_id), term.value, 2, 4)
    elif isinstance(block, Figure):
        yield Braille(f"images[{block.number - 1}]", _picture(block, ph), 0, 2)
    elif isinstance(block, Aside) and not block.extended:
        yield Braille(_where(block.field, block.id or "aside"), f"{block.label} {block.text}",
                      2, 0)
    elif isinstance(block, Table):
        yield Braille(_where("", block.id or "table"), block.caption, 4, 4, heading=True)
        for header, cells in linear_rows(block, ph):
            text = ph._("{term}: {value}", term=header, value=cells) if (
                header and cells) else header or cells
            yield Braille(block.id or "table", text, 0, 2)


def blocks(text: TextModel, ph: Phrases) -> list[Braille]:
    """The document as braille blocks: its title centred, then every block in order."""
    page = text.page
    out = [Braille(page.heading.field or "name", page.heading.text, centred=True)
           ] if page.heading else []
    for block in page.blocks:
        out.extend(_blocks(block, ph, 0))
    if len(out) > 1:  # a blank line after the title
        out[1] = replace(out[1], blank_before=True)
    return out


__all__ = ["blocks"]
