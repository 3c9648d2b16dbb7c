"""The semantic page of one exercise, shared by the e-book and the web page.

Every text block comes from :func:`~kickback_export.content.reading.reading_order` and
becomes one element carrying the block's id, in that order, so a read-aloud laid out
from the same blocks always points at existing elements in page order. Pages are
element trees serialised by ElementTree, as XHTML for EPUB or as HTML5 for the web:
document text is escaped once, by the serialiser, so markup in the text stays text.

Wording the page adds (labels, headings) is in the reader's language from the phrase
catalog. A language without a catalog reads these words in English, and then such
labels carry ``lang="en"`` so a screen reader switches voice for them (a catalog is
complete, so a translation that happens to equal the English — "Tempo" — is not marked).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from ...content.phrases import Phrases, cap, phrases
from ...content.reading import Block, credit_line, reading_order
from ...document.model import Exercise, Picture
from ...errors import ContentError

T = TypeVar("T")

_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BLOCKS = frozenset({"html", "head", "body", "main", "article", "section", "nav", "aside",
                     "ol", "ul", "dl", "div"})
_LIST_TAG = {"steps": "ol", "prescription": "dl", "faq": "dl"}
"""The element of each list group; any other group is a ``ul``."""


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
    """Builds one page; every string goes through :meth:`text` to be checked.

    ``english`` maps a key (a block id, a word's name) to the English the same place
    would show; a label equal to it, on a page in a language without a catalog, is
    English.
    ``xml`` writes ``xml:lang`` beside ``lang`` (XHTML; HTML has ``lang`` only).
    """

    def __init__(self, where: str, language: str, english: Mapping[str, str] | None = None,
                 xml: bool = True) -> None:
        self.where = where
        self.english = dict(english or {}) if words_in_english(language) else {}
        self.xml = xml

    def text(self, value: str) -> str:
        return check_xml(value, self.where)

    def el(self, parent: ET.Element, tag: str, text: str | None = None, **attrs: str
           ) -> ET.Element:
        """A child element. Keyword names become attribute names: a trailing ``_`` is
        dropped, ``__`` becomes ``:`` and ``_`` becomes ``-`` (``class_``, ``epub__type``,
        ``aria_labelledby``). Prefixed names are written literally; the root declares them.
        """
        names = {k: k.rstrip("_").replace("__", ":").replace("_", "-") for k in attrs}
        node = ET.SubElement(parent, tag, {names[k]: v for k, v in attrs.items()})
        if text is not None:
            node.text = self.text(text)
        return node

    def label(self, parent: ET.Element, tag: str, text: str, key: str, **attrs: str
              ) -> ET.Element:
        """Wording the page adds, marked English when it is the untranslated message."""
        node = self.el(parent, tag, text, **attrs)
        if self.english.get(key) == text:
            self.lang(node, "en")
        return node

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


def group_label(document: Exercise) -> str:
    """An exercise's group in a book or an index: its first primary muscle, capitalised
    (the language's "Exercises" for a document that names no muscles)."""
    if document.muscles is None:
        return phrases(document.language)._("Exercises")
    return cap(document.muscles.primary[0].name)


def grouped(items: Iterable[T], label: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Items under their group labels: groups alphabetical (ignoring case), items in
    the order given. The book's contents and the web index share this order."""
    groups: dict[str, tuple[str, list[T]]] = {}
    for item in items:
        name = label(item)
        groups.setdefault(name.casefold(), (name, []))[1].append(item)
    return [groups[key] for key in sorted(groups)]


def _english_labels(document: Exercise) -> dict[str, str]:
    """What each block's label would say in English, by block id (for :class:`Builder`)."""
    if not words_in_english(document.language):
        return {}  # nothing will be marked: no second reading order
    blocks = reading_order(document.model_copy(update={"language": "en"}))
    return {b.id: b.label or b.text for b in blocks}


def _figure(b: Builder, parent: ET.Element, block: Block, picture: Picture, href: str,
            size: tuple[int, int], ph: Phrases) -> None:
    """``<figure>`` with the picture, its alt text, and its caption and credit line."""
    fig = b.el(parent, "figure", id=block.id, class_="picture")
    b.el(fig, "img", src=href, alt=b.text(block.text), width=str(size[0]),
         height=str(size[1]))
    credit = credit_line(picture, ph)
    if block.label or credit:
        caption = b.el(fig, "figcaption", block.label or None)
        if credit:
            if caption.text:  # read as two phrases without the style sheet too
                caption.text += " "
            span = b.el(caption, "span", credit, class_="credit")
            if b.english:  # "Credit:" reads in English on a page in a language without words
                b.lang(span, "en")


def chapter(document: Exercise, *, xml: bool = True,
            pictures: Sequence[tuple[str, tuple[int, int]]] = ()
            ) -> tuple[ET.Element, tuple[tuple[str, str], ...]]:
    """The exercise as one ``<section>`` labelled by its name, and the ``(fragment id,
    heading)`` of each part for a detailed table of contents. ``pictures``: the address
    and pixel size of each of the document's pictures, as the page links them.

    Raises :class:`~kickback_export.errors.ContentError` naming the exercise when a
    text holds a character XML cannot carry (the model admits U+FFFE and U+FFFF).
    """
    d = document
    b = Builder(f"exercise '{d.slug}'", d.language, _english_labels(d), xml)
    chapter = ET.Element("section", {"aria-labelledby": "name"})
    headings: list[tuple[str, str]] = []
    parent = chapter  # the current part's section
    container: ET.Element | None = None  # the list the previous block was an item of
    group = ""

    def labelled(node: ET.Element, block: Block) -> None:
        b.label(node, "span", f"{block.label} ", block.id, class_="label").tail = b.text(
            block.text)

    for block in reading_order(d):
        if block.group != group:
            container = None
            group = block.group
        if block.group and container is None:
            cls = "muscles" if block.kind == "muscle" else block.group
            container = b.el(parent, _LIST_TAG.get(block.group, "ul"), class_=cls)
        kind = block.kind
        if kind == "name":
            b.el(chapter, "h1", block.text, id=block.id)
        elif kind in ("aliases", "level"):
            labelled(b.el(chapter, "p", id=block.id, class_=kind), block)
        elif kind == "summary":
            b.el(chapter, "p", block.text, id=block.id, class_="summary")
        elif kind == "figure":
            n = int(block.id.rsplit("-", 1)[1]) - 1
            if n >= len(pictures):
                raise ContentError(f"images[{n}]: the picture was not given to the page")
            _figure(b, parent, block, d.images[n], *pictures[n], phrases(d.language))
        elif kind == "heading":
            headings.append((block.part, block.text))
            parent = b.el(chapter, "section", id=block.part, aria_labelledby=block.id)
            b.label(parent, "h2", block.text, block.id, id=block.id)
        elif kind == "subheading":
            b.label(parent, "h3", block.text, block.id, id=block.id)
        elif kind in ("overview", "setup"):
            b.el(parent, "p", block.text, id=block.id)
        elif kind == "image-description":
            aside = b.el(parent, "aside", id=block.id, class_="image-description",
                         aria_label=b.text(phrases(d.language)._("Image description")))
            labelled(b.el(aside, "p"), block)
        elif kind == "prescription":
            assert container is not None
            # A div groups a term with its value, so one element holds the whole line.
            entry = b.el(container, "div", id=block.id)
            b.label(entry, "dt", block.label, block.id)
            b.el(entry, "dd", block.text)
        elif kind in ("question", "answer"):
            assert container is not None
            b.el(container, "dt" if kind == "question" else "dd", block.text, id=block.id)
        else:  # a list item: muscle, equipment, step, tip, caution
            assert container is not None
            li = b.el(container, "li", block.text, id=block.id)
            if block.detail:
                b.el(li, "span", block.detail, class_="anatomy")
    return chapter, tuple(headings)

