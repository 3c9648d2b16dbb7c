"""The text model as a page: one writer for the e-book's XHTML and the web page's HTML.

Every block of the text model (:mod:`~kickback_export.content.text`) becomes one
element carrying the block's id, in the model's order, so a read-aloud laid out from the
same blocks always points at existing elements in page order. Pages are element trees
serialised by ElementTree, as XHTML for EPUB or as HTML5 for the web: document text is
escaped once, by the serialiser, so markup in the text stays text.

Words the package adds are flagged ``catalog`` in the model. A language without a
catalog reads them in English, and then they carry ``lang="en"`` so a screen reader
switches voice for them (a catalog is complete, so a translated page marks nothing).
Links name documents (:class:`~kickback_export.content.text.Ref`); the caller says
where each one's page is in its medium, and a document without one is named unlinked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...content.phrases import phrases
from ...content.text import (
    Aside,
    Block,
    Figure,
    Heading,
    Item,
    Items,
    Para,
    Part,
    Ref,
    Table,
    Terms,
)
from ...errors import ContentError

_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BLOCKS = frozenset({"html", "head", "body", "main", "article", "section", "nav", "aside",
                     "ol", "ul", "dl", "div", "table", "thead", "tbody", "tr"})

Href = Callable[[Ref], str | None]
"""Where a document's page is from this page (None: it has none here)."""
Picture = Callable[[Figure], tuple[str, tuple[int, int]]]
"""A figure's address from this page and its pixel size."""


def check_xml(value: str, where: str) -> str:
    """Refuse text XML cannot hold. Document text is already clean (the model refuses
    control characters and noncharacters); this guards what comes from elsewhere, such
    as a book title from the command line."""
    bad = _XML_BAD.search(value)
    if bad:
        raise ContentError(
            f"{where}: character U+{ord(bad.group()):04X} cannot be stored in XHTML or HTML text"
        )
    return value


def is_english(language: str) -> bool:
    return language.lower().split("-")[0] == "en"


def words_in_english(language: str) -> bool:
    """Whether the words a page adds read in English although the page is not: a language
    without a catalog (a catalog is complete, so its words are never marked English)."""
    return not is_english(language) and not phrases(language).has_catalog


class Builder:
    """Builds one page; every string goes through :meth:`text` to be checked. ``xml``
    writes ``xml:lang`` beside ``lang`` (XHTML; HTML has ``lang`` only)."""

    def __init__(self, where: str, language: str, xml: bool = True) -> None:
        self.where = where
        self.english = words_in_english(language)
        self.xml = xml

    def text(self, value: str) -> str:
        return check_xml(value, self.where)

    def el(self, parent: ET.Element, tag: str, text: str | None = None, **attrs: str
           ) -> ET.Element:
        """A child element. Keyword names become attribute names: a trailing ``_`` is
        dropped, ``__`` becomes ``:`` and ``_`` becomes ``-`` (``class_``, ``epub__type``,
        ``aria_labelledby``); an empty value leaves the attribute out."""
        names = {k: k.rstrip("_").replace("__", ":").replace("_", "-") for k in attrs}
        node = ET.SubElement(parent, tag, {names[k]: v for k, v in attrs.items() if v})
        if text is not None:
            node.text = self.text(text)
        return node

    def label(self, parent: ET.Element, tag: str, text: str, catalog: bool = True,
              **attrs: str) -> ET.Element:
        """An element of the package's words (``catalog``), marked English when they are."""
        node = self.el(parent, tag, text, **attrs)
        self.mark(node, catalog)
        return node

    def mark(self, node: ET.Element, catalog: bool) -> None:
        if catalog and self.english:
            self.lang(node, "en")

    def lang(self, node: ET.Element, language: str) -> None:
        node.set("lang", language)
        if self.xml:
            node.set("xml:lang", language)


def root(language: str, title: str, stylesheet: str | None = None, *, xml: bool = True
         ) -> tuple[ET.Element, ET.Element]:
    """``<html>`` with its head (charset, title, the stylesheet's link) and an empty body."""
    attrs = {"lang": language}
    if xml:
        attrs = {"xmlns": "http://www.w3.org/1999/xhtml",
                 "xmlns:epub": "http://www.idpf.org/2007/ops", **attrs, "xml:lang": language}
    html = ET.Element("html", attrs)
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", {"charset": "utf-8"})
    ET.SubElement(head, "title").text = title
    if stylesheet:
        ET.SubElement(head, "link", {"rel": "stylesheet", "type": "text/css",
                                     "href": stylesheet})
    return html, ET.SubElement(html, "body")


def _indent(node: ET.Element, level: int = 0) -> None:
    """Line up block containers only: whitespace inside a paragraph would be content."""
    if node.tag not in _BLOCKS or len(node) == 0 or (node.text or "").strip():
        return
    node.text = "\n" + " " * (level + 1)
    for child in node:
        _indent(child, level + 1)
        child.tail = "\n" + " " * (level + 1)
    node[-1].tail = "\n" + " " * level


def serialise(html: ET.Element, *, xml: bool = True) -> bytes:
    """The page as UTF-8: XHTML (``xml``) or the HTML5 syntax."""
    _indent(html)
    if xml:
        body = ET.tostring(html, encoding="unicode", short_empty_elements=True)
        head = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
    else:
        body, head = ET.tostring(html, encoding="unicode", method="html"), "<!DOCTYPE html>\n"
    return (head + body + "\n").encode("utf-8")


def _append(node: ET.Element, text: str) -> None:
    """Text after what ``node`` holds already."""
    if len(node):
        node[-1].tail = (node[-1].tail or "") + text
    else:
        node.text = (node.text or "") + text


@dataclass
class Writer:
    """Writes a text model's blocks as elements (see the module docstring)."""

    b: Builder
    href: Href
    picture: Picture

    def page(self, part: Part, tag: str) -> ET.Element:
        """The whole page as one element labelled by its title."""
        heading = part.heading
        node = ET.Element(tag, {"aria-labelledby": heading.id} if heading and heading.id
                          else {})
        if heading is not None:
            self.b.label(node, "h1", heading.text, heading.catalog, id=heading.id)
        self.blocks(node, part.blocks)
        return node

    def blocks(self, parent: ET.Element, blocks: Sequence[Block]) -> None:
        for block in blocks:
            self.block(parent, block)

    def block(self, parent: ET.Element, block: Block) -> None:
        b = self.b
        if isinstance(block, Part):
            if block.heading is None:
                self.blocks(parent, block.blocks)
                return
            sec = b.el(parent, "section", id=block.id, aria_labelledby=block.heading.id)
            self.block(sec, block.heading)
            self.blocks(sec, block.blocks)
        elif isinstance(block, Heading):
            b.label(parent, f"h{min(block.level, 6)}", block.text, block.catalog, id=block.id)
        elif isinstance(block, Para):
            if block.label:
                self.labelled(b.el(parent, "p", id=block.id, class_=block.role), block.label,
                              block.text)
            else:
                b.label(parent, "p", block.text, block.catalog, id=block.id,
                        class_=block.role)
        elif isinstance(block, Items):
            tag = "ol" if block.ordered else "ul"
            listing = b.el(parent, tag, class_=block.role,
                           aria_label=b.text(block.name) if block.name else "")
            for item in block.items:
                self.item(listing, item)
        elif isinstance(block, Terms):
            listing = b.el(parent, "dl", class_=block.role)
            for term in block.terms:
                if term.id:  # a div groups a term with its value: one element, one line
                    pair = b.el(listing, "div", id=term.id)
                    b.label(pair, "dt", term.term, term.catalog)
                    b.el(pair, "dd", term.value)
                else:
                    b.label(listing, "dt", term.term, term.catalog, id=term.term_id)
                    b.el(listing, "dd", term.value, id=term.value_id)
        elif isinstance(block, Figure):
            self.figure(parent, block)
        elif isinstance(block, Aside):
            aside = b.el(parent, "aside", id=block.id, class_=block.role,
                         aria_label=b.text(block.name))
            self.labelled(b.el(aside, "p"), block.label, block.text)
        elif isinstance(block, Table):
            self.table(parent, block)

    def labelled(self, node: ET.Element, label: str, text: str) -> None:
        self.b.label(node, "span", f"{label} ", class_="label").tail = self.b.text(text)

    def linked(self, parent: ET.Element, text: str, ref: Ref | None) -> ET.Element:
        """A document's name: a link to its page where there is one."""
        href = self.href(ref) if ref is not None else None
        return self.b.el(parent, "a", text, href=href) if href else self.b.el(parent, "span",
                                                                              text)

    def item(self, parent: ET.Element, item: Item) -> None:
        b = self.b
        li = b.el(parent, "li", id=item.id)
        if item.label:
            b.el(li, "span", item.label, class_="label").tail = " "
        if item.title:
            self.linked(li, item.title, item.ref)
        if item.text:
            _append(li, b.text(item.text))
        if item.detail:
            b.el(li, "span", item.detail, class_=item.detail_role or "detail")
        if item.sub is not None:
            self.block(li, item.sub)
        b.mark(li, item.catalog)

    def figure(self, parent: ET.Element, figure: Figure) -> None:
        """``<figure>`` with the picture, its alt text, and its caption and credit line."""
        b = self.b
        href, (width, height) = self.picture(figure)
        fig = b.el(parent, "figure", id=figure.id, class_="picture")
        b.el(fig, "img", src=href, alt=b.text(figure.alt), width=str(width), height=str(height))
        if figure.caption or figure.credit:
            caption = b.el(fig, "figcaption", figure.caption or None)
            if figure.credit:
                if caption.text:  # read as two phrases without the style sheet too
                    caption.text += " "
                b.label(caption, "span", figure.credit, class_="credit")

    def table(self, parent: ET.Element, table: Table) -> None:
        b = self.b
        node = b.el(parent, "table", id=table.id, class_=table.role)
        b.label(node, "caption", table.caption, table.catalog)
        row = b.el(b.el(node, "thead"), "tr")
        for cell in table.head:
            b.label(row, "th", cell.text, cell.catalog, scope="col")
        body = b.el(node, "tbody")
        for cells in table.rows:
            row = b.el(body, "tr")
            for cell in cells:
                if cell.header:
                    node = b.label(row, "th", cell.text, cell.catalog, scope="row")
                elif cell.ref is not None:
                    self.linked(b.el(row, "td"), cell.text, cell.ref)
                else:
                    b.label(row, "td", cell.text, cell.catalog)


__all__ = ["Builder", "Href", "Picture", "Writer", "check_xml", "is_english", "root",
           "serialise", "words_in_english"]
