"""Accessible EPUB 3: one exercise as a standalone e-book, or many as a coaching book.

Every exercise becomes one XHTML content document built by :func:`build_section`;
the standalone export and :func:`build_book` share it, so a section reads the same
wherever it appears. The XHTML is serialised here with an XML serialiser (so all
document text is escaped once, by construction) and handed to ebooklib as finished
bytes: ebooklib's own ``EpubHtml`` would re-parse it with lxml's lenient HTML parser,
which turns stray markup in the text into elements and broken markup into nothing.

With narration (:func:`narrate_section`), each exercise also carries an MP3 read-aloud
and a SMIL media overlay whose clip times are the element spans of the very timeline
the MP3 was rendered from (:mod:`kickback_export.engines.render`), so highlighting and audio
cannot drift apart.

ebooklib packages the result (OPF, manifest, spine, zip). A small writer subclass
fixes what it gets wrong for a valid, reproducible EPUB 3: it writes our own
navigation document, drops ``spine@toc`` (there is no NCX), puts ``xml:lang`` on the
package element, and writes zip entries with one fixed timestamp so the same input
always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from ebooklib import epub

from .. import fsutil
from ..content.reading import Block, cap, reading_order
from ..content.timeline import TimelineOptions
from ..document.model import Exercise
from ..registry import ContentError, Option, Options, Output

if TYPE_CHECKING:
    from ..engines.render import Rendered

MEDIA_TYPE = "application/epub+zip"
XHTML_TYPE = "application/xhtml+xml"

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
"""Default ``dcterms:modified`` and zip timestamp: fixed, so output depends only on input."""

TEXT_DIR = "text"
STYLESHEET_NAME = "styles/kickback.css"
NAV_NAME = "nav.xhtml"
TITLEPAGE_NAME = "titlepage.xhtml"
AUDIO_DIR = "audio"
OVERLAY_DIR = "overlays"
SMIL_TYPE = "application/smil+xml"
MP3_TYPE = "audio/mpeg"  # an EPUB core media type; WAV is not one
ACTIVE_CLASS = "-epub-media-overlay-active"

READ_ALOUD = TimelineOptions(read_aloud=True, tail=0.0)
"""The narration's layout: all the page's text as printed, short gaps, no trailing silence."""

_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://kickback-export.invalid/epub")
_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ZIP_FILE_MODE = 0o100644 << 16

STYLESHEET = """\
/* Relative units only and no fonts or colours: the reader's font, size, spacing,
   and day/night theme stay in charge. */
body { line-height: 1.4; }
h1 { font-size: 1.6em; line-height: 1.2; margin: 0 0 0.6em; }
h2 { font-size: 1.25em; line-height: 1.25; margin: 1.4em 0 0.5em; }
h3 { font-size: 1.05em; margin: 1em 0 0.3em; }
p { margin: 0.5em 0; }
.summary { font-style: italic; }
.aliases, .level { margin: 0.3em 0; }
.label { font-weight: bold; }
ol.steps > li, ul.tips > li, ul.cautions > li { margin: 0 0 0.5em; }
dl { margin: 0.5em 0; }
dt { font-weight: bold; margin: 0.8em 0 0.2em; }
dd { margin: 0 0 0 1.5em; }
dl.prescription dt { margin-top: 0.4em; }
aside.image-description {
  margin: 1em 0;
  padding: 0 0 0 1em;
  border-left: 0.2em solid currentColor;
}
.titlepage { text-align: center; margin-top: 20%; }
.titlepage h1 { font-size: 2em; }
nav ol { list-style-type: none; padding-left: 1em; }
"""

NARRATED_STYLESHEET = STYLESHEET + f"""\
/* The element being read aloud: outlined in the text colour, so the reader's theme
   still decides how it looks. */
.{ACTIVE_CLASS} {{ outline: 0.1em solid currentColor; outline-offset: 0.1em; }}
"""

A11Y_SUMMARY = (
    "{content}{images} Each "
    "exercise is one section with headings, numbered steps and lists in a logical "
    "reading order, and the table of contents links to every exercise. No fonts or "
    "colours are fixed, so reading-system settings for size, spacing and theme apply."
)
_IMAGES_DESCRIBED = " The picture each exercise refers to is described in words."
_TEXT_ONLY = "This publication is text only, with no images, audio or video."
_NARRATED = (
    "This publication is text with synchronized narration in a synthetic voice: the "
    "whole text of each exercise, headings included, is read aloud in reading order and "
    "highlighted as it is spoken. It has no images or video."
)


@dataclass(frozen=True)
class Resource:
    """A file inside the publication (path relative to the package document)."""

    uid: str
    file_name: str
    media_type: str
    data: bytes


STYLESHEET_RESOURCE = Resource("css", STYLESHEET_NAME, "text/css", STYLESHEET.encode("utf-8"))
NARRATED_STYLESHEET_RESOURCE = dataclasses.replace(
    STYLESHEET_RESOURCE, data=NARRATED_STYLESHEET.encode("utf-8")
)


@dataclass(frozen=True)
class Narration:
    """An exercise's read-aloud: the MP3, its media overlay and the overlay's length.

    ``duration_ms`` is the sum of the overlay's clip lengths in whole milliseconds, the
    same rounded values the SMIL carries, so the per-overlay and total durations in the
    package add up exactly.
    """

    audio: Resource
    overlay: Resource
    duration_ms: int


@dataclass(frozen=True)
class Section:
    """One exercise as a finished XHTML content document, plus what it links to.

    ``file_name`` and resource paths are relative to the package document; the
    XHTML refers to the stylesheet relatively, so a section can be put into any
    book that also carries its ``resources``.
    """

    slug: str
    title: str
    language: str
    group: str
    file_name: str
    xhtml: bytes
    stylesheet: Resource
    headings: tuple[tuple[str, str], ...]
    """``(fragment id, label)`` of each part, in reading order, for a detailed table of contents."""
    image_described: bool = False
    """Whether the exercise's picture is given as a text description (for the a11y summary)."""
    narration: Narration | None = None

    @property
    def uid(self) -> str:
        """Manifest id: prefixed, since a slug may start with a digit (not an XML name)."""
        return f"x-{self.slug}"

    @property
    def resources(self) -> tuple[Resource, ...]:
        if self.narration is None:
            return (self.stylesheet,)
        return (self.stylesheet, self.narration.audio, self.narration.overlay)


# --- XHTML building --------------------------------------------------------------------


def _check_xml(value: str, where: str) -> str:
    """Refuse text XML cannot hold. Document text is already clean (the model refuses
    control characters and noncharacters); this guards the book title and author, which come
    from the command line, and every string the builder writes."""
    bad = _XML_BAD.search(value)
    if bad:
        raise ContentError(
            f"{where}: character U+{ord(bad.group()):04X} cannot be stored in EPUB (XML) text"
        )
    return value


def group_label(document: Exercise) -> str:
    """The book's group for an exercise: its first primary muscle, capitalised."""
    return cap(document.muscles.primary[0].name)


class _Builder:
    """Builds one content document; every string goes through :meth:`text` to be checked."""

    def __init__(self, where: str, language: str) -> None:
        self.where = where
        self.language = language
        # Fixed labels are English; mark them so when the document is in another language.
        self.label_lang = None if language.lower().split("-")[0] == "en" else "en"

    def text(self, value: str) -> str:
        return _check_xml(value, self.where)

    def el(
        self, parent: ET.Element, tag: str, text: str | None = None, **attrs: str
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

    def label(
        self, parent: ET.Element, tag: str, text: str, **attrs: str
    ) -> ET.Element:
        node = self.el(parent, tag, text, **attrs)
        if self.label_lang:
            node.set("lang", self.label_lang)
            node.set("xml:lang", self.label_lang)
        return node


def _html(language: str, title: str, stylesheet_href: str) -> tuple[ET.Element, ET.Element]:
    html = ET.Element(
        "html",
        {
            "xmlns": "http://www.w3.org/1999/xhtml",
            "xmlns:epub": "http://www.idpf.org/2007/ops",
            "lang": language,
            "xml:lang": language,
        },
    )
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", {"charset": "utf-8"})
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "link", {"rel": "stylesheet", "type": "text/css", "href": stylesheet_href})
    body = ET.SubElement(html, "body")
    return html, body


_BLOCKS = frozenset({"html", "head", "body", "section", "nav", "aside", "ol", "ul", "dl", "div"})


def _indent(node: ET.Element, level: int = 0) -> None:
    """Line up block containers only: whitespace inside a paragraph would be content."""
    if node.tag not in _BLOCKS or len(node) == 0 or (node.text or "").strip():
        return
    node.text = "\n" + " " * (level + 1)
    for child in node:
        _indent(child, level + 1)
        child.tail = "\n" + " " * (level + 1)
    node[-1].tail = "\n" + " " * level


def _serialise(html: ET.Element) -> bytes:
    _indent(html)
    body = ET.tostring(html, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + body + "\n").encode(
        "utf-8"
    )


_LIST_TAG = {"steps": "ol", "prescription": "dl", "faq": "dl"}
"""The element of each list group; any other group is a ``ul``."""


def build_section(document: Exercise) -> Section:
    """The exercise as one semantic XHTML content document.

    Raises :class:`~kickback_export.registry.ContentError` naming the field when a
    text holds a character XML cannot carry (the model admits U+FFFE and U+FFFF).

    Every text block comes from :func:`~kickback_export.content.reading.reading_order` and is
    one element carrying the block's id, in that order, so a read-aloud laid out from
    the same blocks always points at existing elements in page order.
    """
    d = document
    b = _Builder(f"exercise '{d.slug}'", d.language)
    html, body = _html(d.language, b.text(d.name), f"../{STYLESHEET_NAME}")
    body.set("epub:type", "bodymatter")
    chapter = b.el(
        body, "section", epub__type="chapter", role="doc-chapter", aria_labelledby="name"
    )
    headings: list[tuple[str, str]] = []
    parent = chapter  # the current part's section
    container: ET.Element | None = None  # the list the previous block was an item of
    group = ""

    def labelled(node: ET.Element, block: Block) -> None:
        b.label(node, "span", f"{block.label} ", class_="label").tail = b.text(block.text)

    for block in reading_order(d):
        if block.group != group:
            container = None
            group = block.group
        if block.group and container is None:
            tag = _LIST_TAG.get(block.group, "ul")
            cls = "muscles" if block.kind == "muscle" else block.group
            container = b.el(parent, tag, class_=cls)
        kind = block.kind
        if kind == "name":
            b.el(chapter, "h1", block.text, id=block.id)
        elif kind in ("aliases", "level"):
            labelled(b.el(chapter, "p", id=block.id, class_=kind), block)
        elif kind == "summary":
            b.el(chapter, "p", block.text, id=block.id, class_="summary")
        elif kind == "heading":
            headings.append((block.part, block.text))
            parent = b.el(chapter, "section", id=block.part, aria_labelledby=block.id)
            b.label(parent, "h2", block.text, id=block.id)
        elif kind == "subheading":
            b.label(parent, "h3", block.text, id=block.id)
        elif kind in ("overview", "setup"):
            b.el(parent, "p", block.text, id=block.id)
        elif kind == "image-description":
            aside = b.el(parent, "aside", id=block.id, class_="image-description",
                         aria_label="Image description")
            labelled(b.el(aside, "p"), block)
        elif kind == "prescription":
            assert container is not None
            # A div groups a term with its value, so one element holds the whole line.
            entry = b.el(container, "div", id=block.id)
            b.label(entry, "dt", block.label)
            b.el(entry, "dd", block.text)
        elif kind in ("question", "answer"):
            assert container is not None
            b.el(container, "dt" if kind == "question" else "dd", block.text, id=block.id)
        else:  # a list item: muscle, equipment, step, tip, caution
            assert container is not None
            li = b.el(container, "li", block.text, id=block.id)
            if block.detail:
                b.el(li, "span", block.detail, class_="anatomy")

    return Section(
        slug=d.slug,
        title=d.name,
        language=d.language,
        group=group_label(d),
        file_name=f"{TEXT_DIR}/{d.slug}.xhtml",
        xhtml=_serialise(html),
        stylesheet=STYLESHEET_RESOURCE,
        headings=tuple(headings),
        image_described=d.image_description is not None,
    )


# --- narration -------------------------------------------------------------------------


def clock(ms: int) -> str:
    """A SMIL full clock value, ``H:MM:SS.mmm``."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    sec, ms = divmod(rest, 1000)
    return f"{h}:{m:02d}:{sec:02d}.{ms:03d}"


def _relative(from_dir: str, file_name: str) -> str:
    return "../" * len(from_dir.split("/")) + file_name


def _reads_out(pieces: Sequence[str], shown: str) -> bool:
    """Every spoken piece is the element's text, in order; only what has nothing to
    pronounce (a lone ":" after a label, say) may be left unsaid."""
    at = 0
    for piece in pieces:
        found = shown.find(piece, at)
        if found < 0:
            return False
        if any(c.isalnum() for c in shown[at:found]):
            return False
        at = found + len(piece)
    return not any(c.isalnum() for c in shown[at:])


def narrate_section(section: Section, rendered: Rendered) -> Section:
    """The section with its read-aloud: ``rendered`` (a :data:`READ_ALOUD` timeline and its
    track) becomes the MP3, and each element span of that timeline becomes one SMIL
    ``par`` pointing at the element with that id.

    Raises ``ValueError`` if the timeline narrates an element the page does not have,
    in another order than the page's (a media overlay must follow the reading order),
    or says something else than the element shows (the highlight would mislead).
    """
    from ..engines.render import mp3_bytes

    html = ET.fromstring(section.xhtml)
    order = {el.get("id"): i for i, el in enumerate(html.iter()) if el.get("id")}
    spans = rendered.timeline.element_spans()
    unknown = [el for el, _, _ in spans if el not in order]
    if unknown:
        raise ValueError(f"{section.file_name}: narration refers to missing id '{unknown[0]}'")
    if [order[el] for el, _, _ in spans] != sorted(order[el] for el, _, _ in spans):
        raise ValueError(f"{section.file_name}: narration is not in reading order")
    said: dict[str, list[str]] = {}
    for seg in rendered.timeline.speech():
        if seg.element is not None:
            said.setdefault(seg.element, []).append(seg.text)
    for node in html.iter():
        ident = node.get("id")
        shown = " ".join("".join(node.itertext()).split())
        if ident in said and not _reads_out(said[ident], shown):
            raise ValueError(f"{section.file_name}: narration of '{ident}' is not its text")

    audio = Resource(f"{section.uid}-audio", f"{AUDIO_DIR}/{section.slug}.mp3", MP3_TYPE,
                     mp3_bytes(rendered.pcm))
    overlay_name = f"{OVERLAY_DIR}/{section.slug}.smil"
    text_href = _relative(OVERLAY_DIR, section.file_name)
    audio_href = _relative(OVERLAY_DIR, audio.file_name)
    smil = ET.Element("smil", {"xmlns": "http://www.w3.org/ns/SMIL",
                               "xmlns:epub": "http://www.idpf.org/2007/ops", "version": "3.0"})
    body = ET.SubElement(smil, "body")
    total = 0
    for element, start, end in spans:
        begin_ms, end_ms = round(start * 1000), round(end * 1000)
        total += end_ms - begin_ms
        par = ET.SubElement(body, "par", {"id": f"par-{element}"})
        ET.SubElement(par, "text", {"src": f"{text_href}#{element}"})
        ET.SubElement(par, "audio", {"src": audio_href, "clipBegin": clock(begin_ms),
                                     "clipEnd": clock(end_ms)})
    ET.indent(smil, " ")
    data = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(smil, encoding="unicode")
    overlay = Resource(f"{section.uid}-overlay", overlay_name, SMIL_TYPE,
                       (data + "\n").encode("utf-8"))
    return dataclasses.replace(section, stylesheet=NARRATED_STYLESHEET_RESOURCE,
                               narration=Narration(audio, overlay, total))


def _narrate(
    documents: Sequence[Exercise], sections: Sequence[Section], workers: int | None = None
) -> list[Section]:
    """Read-aloud for every section; espeak-ng, numpy and LAME are loaded only here.

    ``workers`` caps the speech processes (default: one per core).
    """
    from ..engines.render import render_many

    rendered = render_many(documents, READ_ALOUD, workers=workers)
    return [narrate_section(s, r) for s, r in zip(sections, rendered, strict=True)]


# --- navigation and title page ---------------------------------------------------------

NavEntry: TypeAlias = tuple[str, str | None, "list[NavEntry]"]
"""``(label, href or None for a plain group heading, children)``."""


def _nav_list(b: _Builder, parent: ET.Element, entries: Sequence[NavEntry]) -> None:
    ol = b.el(parent, "ol")
    for label, href, children in entries:
        li = b.el(ol, "li")
        if href is None:
            b.el(li, "span", label)
        else:
            b.el(li, "a", label, href=href)
        if children:
            _nav_list(b, li, children)


def _nav_document(
    *,
    title: str,
    language: str,
    toc: Sequence[NavEntry],
    landmarks: Sequence[tuple[str, str, str]],
) -> bytes:
    b = _Builder("contents", language)
    html, body = _html(language, b.text(title), STYLESHEET_NAME)
    body.set("epub:type", "frontmatter")
    nav = b.el(body, "nav", id="toc", role="doc-toc", epub__type="toc", aria_labelledby="toc-h")
    b.label(nav, "h1", "Contents", id="toc-h")
    _nav_list(b, nav, toc)
    nav = b.el(body, "nav", id="landmarks", epub__type="landmarks", hidden="hidden",
               aria_labelledby="landmarks-h")
    b.label(nav, "h2", "Landmarks", id="landmarks-h")
    ol = b.el(nav, "ol")
    for kind, label, href in landmarks:
        b.label(b.el(ol, "li"), "a", label, epub__type=kind, href=href)
    return _serialise(html)


def _title_page(title: str, author: str | None, language: str, count: int) -> bytes:
    b = _Builder("book", language)
    html, body = _html(language, b.text(title), STYLESHEET_NAME)
    body.set("epub:type", "frontmatter")
    sec = b.el(body, "section", epub__type="titlepage", class_="titlepage",
               aria_labelledby="book-title")
    b.el(sec, "h1", title, id="book-title")
    if author:
        b.el(sec, "p", author, class_="author")
    b.label(sec, "p", f"{count} exercise{'' if count == 1 else 's'}", class_="count")
    return _serialise(html)


# --- packaging -------------------------------------------------------------------------


class _FixedTimeZip:
    """What ebooklib's writer calls on its zip: ``writestr`` with one fixed timestamp."""

    def __init__(self, zf: zipfile.ZipFile, when: datetime) -> None:
        self._zf = zf
        self._date_time = (max(when.year, 1980), when.month, when.day,
                           when.hour, when.minute, when.second)

    def writestr(self, name: str, data: str | bytes, compress_type: int | None = None) -> None:
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress_type is None else compress_type
        info.create_system = 3
        info.external_attr = _ZIP_FILE_MODE
        self._zf.writestr(info, data)


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer with the fixes described in the module docstring."""

    def __init__(self, target: Any, book: Any, language: str, modified: datetime) -> None:
        super().__init__(target, book, {"epub3_pages": False, "epub2_guide": False,
                                        "epub3_landmark": False, "mtime": modified})
        self._language = language
        self._modified = modified

    def _get_nav(self, item: Any) -> bytes:
        content: bytes = item.content
        return content

    def _write_opf_spine(self, root: Any, ncx_id: Any) -> None:
        super()._write_opf_spine(root, ncx_id)
        spine = root.find("spine")
        spine.attrib.pop("toc", None)

    def _write_opf_file(self, root: Any) -> None:
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self._language)
        super()._write_opf_file(root)

    def write(self) -> None:
        with zipfile.ZipFile(self.file_name, "w", zipfile.ZIP_DEFLATED,
                             compresslevel=self.options["compresslevel"]) as zf:
            self.out = _FixedTimeZip(zf, self._modified)
            self.out.writestr("mimetype", MEDIA_TYPE, compress_type=zipfile.ZIP_STORED)
            self._write_container()
            self._write_opf()
            self._write_items()


def _utc(modified: datetime | None) -> datetime:
    if modified is None:
        return EPOCH
    if modified.tzinfo is None:
        raise ValueError("the modification date needs a time zone (UTC is written)")
    return modified.astimezone(UTC).replace(microsecond=0)


def _package(
    sections: Sequence[Section],
    out_path: Path,
    *,
    title: str,
    author: str | None,
    identifier: str,
    modified: datetime,
    toc: Sequence[NavEntry],
    titlepage: bytes | None,
    nav_in_spine: bool,
) -> Path:
    languages = list(dict.fromkeys(s.language for s in sections))
    language = languages[0]
    book = epub.EpubBook()
    book.set_identifier(identifier)
    book.set_title(title)
    for lang in languages:
        book.set_language(lang)
    book.language = language
    if author:
        book.add_author(author)
    narrations = [s.narration for s in sections if s.narration is not None]
    if narrations and len(narrations) != len(sections):
        raise ValueError("a book is narrated throughout or not at all")
    for prop, value in _a11y_metadata(all(s.image_described for s in sections),
                                      narrated=bool(narrations)):
        book.add_metadata(None, "meta", value, {"property": prop})
    if narrations:
        for n in narrations:
            book.add_metadata(None, "meta", clock(n.duration_ms),
                              {"property": "media:duration", "refines": f"#{n.overlay.uid}"})
        book.add_metadata(None, "meta", clock(sum(n.duration_ms for n in narrations)),
                          {"property": "media:duration"})
        book.add_metadata(None, "meta", ACTIVE_CLASS, {"property": "media:active-class"})

    resources: dict[str, Resource] = {}
    for section in sections:
        for res in section.resources:
            if resources.setdefault(res.file_name, res) != res:
                raise ValueError(f"two different resources named '{res.file_name}'")
    for res in resources.values():
        book.add_item(epub.EpubItem(uid=res.uid, file_name=res.file_name,
                                    media_type=res.media_type, content=res.data))

    landmarks = [("toc", "Contents", f"{NAV_NAME}#toc")]
    spine: list[Any] = []
    if titlepage is not None:
        page = epub.EpubItem(uid="titlepage", file_name=TITLEPAGE_NAME,
                             media_type=XHTML_TYPE, content=titlepage)
        book.add_item(page)
        spine.append(page)
        landmarks.append(("titlepage", "Title page", TITLEPAGE_NAME))
    landmarks.append(("bodymatter", "Start of content", sections[0].file_name))

    nav = epub.EpubNav(uid="nav", file_name=NAV_NAME)
    nav.content = _nav_document(title=title, language=language, toc=toc, landmarks=landmarks)
    book.add_item(nav)
    # In the spine either way, since landmarks link to it and links must reach spine
    # items; a one-exercise book keeps it out of the reading order, after the text.
    if nav_in_spine:
        spine.append(nav)

    for section in sections:
        item = epub.EpubItem(uid=section.uid, file_name=section.file_name,
                             media_type=XHTML_TYPE, content=section.xhtml)
        if section.narration is not None:
            item.media_overlay = section.narration.overlay.uid  # written by ebooklib's manifest
        book.add_item(item)
        spine.append(item)
    if not nav_in_spine:
        spine.append((nav, "no"))
    book.spine = spine

    buffer = io.BytesIO()
    _Writer(buffer, book, language, modified).write()
    return fsutil.write_bytes(out_path, buffer.getvalue())


def _a11y_metadata(images_described: bool, narrated: bool = False) -> Iterator[tuple[str, str]]:
    """EPUB Accessibility 1.1 discovery metadata; Ace checks each of these is present."""
    yield "schema:accessMode", "textual"
    if narrated:
        yield "schema:accessMode", "auditory"
    yield "schema:accessModeSufficient", "textual"
    if narrated:
        yield "schema:accessModeSufficient", "auditory"
    for feature in (
        "structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability",
    ):
        yield "schema:accessibilityFeature", feature
    if narrated:
        yield "schema:accessibilityFeature", "synchronizedAudioText"
    yield "schema:accessibilityHazard", "none"
    summary = A11Y_SUMMARY.format(content=_NARRATED if narrated else _TEXT_ONLY,
                                  images=_IMAGES_DESCRIBED if images_described else "")
    yield "schema:accessibilitySummary", summary
    yield "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def _identifier(kind: str, *parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(_ID_NAMESPACE, "\n".join((kind, *parts))))


def write_single(
    document: Exercise, out_path: Path, *, modified: datetime | None = None,
    narration: bool = False, speech_workers: int | None = None,
) -> Path:
    """A complete EPUB holding one exercise; its contents list the exercise's parts.

    With ``narration`` the exercise is also read aloud (media overlay); that needs
    espeak-ng, run in at most ``speech_workers`` processes (default: one per core).
    """
    section = build_section(document)
    if narration:
        [section] = _narrate([document], [section], speech_workers)
    toc: list[NavEntry] = [(
        section.title,
        section.file_name,
        [(label, f"{section.file_name}#{ident}", []) for ident, label in section.headings],
    )]
    return _package(
        [section], out_path,
        title=section.title, author=None, identifier=_identifier("exercise", section.slug),
        modified=_utc(modified), toc=toc, titlepage=None, nav_in_spine=False,
    )


def build_book(
    documents: Sequence[Exercise],
    out_path: Path,
    *,
    title: str,
    author: str | None = None,
    group_by: Literal["muscle", "none"] = "muscle",
    modified: datetime | None = None,
    narration: bool = False,
) -> Path:
    """Many exercises in one coaching e-book: title page, contents, one section each.

    With ``group_by="muscle"`` the contents (and the reading order) are grouped by
    each exercise's first primary muscle, groups in alphabetical order and exercises
    in the order given; with ``"none"`` the order given is kept as a flat list. With
    ``narration`` every exercise is also read aloud (media overlays; needs espeak-ng).
    """
    title = _check_xml(" ".join(title.split()), "book title")
    author = _check_xml(" ".join(author.split()), "book author") if author else None
    if not title:
        raise ValueError("a book needs a title")
    if not documents:
        raise ValueError("a book needs at least one exercise")
    if group_by not in ("muscle", "none"):
        raise ValueError(f"group_by must be 'muscle' or 'none', not {group_by!r}")
    seen: set[str] = set()
    for doc in documents:
        if doc.slug in seen:
            raise ValueError(f"two exercises share the id '{doc.slug}'; ids must be unique")
        seen.add(doc.slug)

    sections = []
    for doc in documents:
        try:
            sections.append(build_section(doc))
        except ContentError as exc:
            raise ContentError(f"exercise '{doc.slug}': {exc}") from None
    if narration:
        sections = _narrate(documents, sections)
    toc: list[NavEntry]
    if group_by == "muscle":
        groups: dict[str, tuple[str, list[Section]]] = {}
        for section in sections:
            groups.setdefault(section.group.casefold(), (section.group, []))[1].append(section)
        ordered = [groups[key] for key in sorted(groups)]
        sections = [s for _, members in ordered for s in members]
        toc = [(label, None, [(s.title, s.file_name, []) for s in members])
               for label, members in ordered]
    else:
        toc = [(s.title, s.file_name, []) for s in sections]

    return _package(
        sections, out_path,
        title=title, author=author,
        identifier=_identifier("book", title, *(s.slug for s in sections)),
        modified=_utc(modified), toc=toc,
        titlepage=_title_page(title, author, sections[0].language, len(sections)),
        nav_in_spine=True,
    )


def _parse_modified(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"--epub-modified: '{value}' is not a date and time like 2024-05-01T12:00:00Z"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


class Timestamp(str):
    """The ``--epub-modified`` value: checked when the command line is parsed, so a bad
    date is a usage error there rather than a failed export later."""

    __slots__ = ()

    def __new__(cls, value: str) -> Timestamp:
        _parse_modified(value)
        return super().__new__(cls, value)


class EpubExporter:
    """The ``epub`` format: ``OUT/<slug>/<slug>.epub``, one exercise per e-book."""

    name = "epub"
    description = "Accessible EPUB 3 e-book (EPUB Accessibility 1.1, WCAG 2.1 AA)"
    options: Sequence[Option] = (
        Option(
            name="epub-modified",
            help="last-modified date written into the EPUB, e.g. 2024-05-01T12:00:00Z, UTC "
            "unless an offset is given (default: a fixed date, so output depends only on "
            "the document)",
            type=Timestamp,
        ),
        Option(
            name="epub-narration",
            help="read each exercise aloud in sync with the text (EPUB media overlays: "
            "the whole text, headings included; needs espeak-ng)",
            flag=True,
            default=False,
        ),
    )

    def export(self, document: Exercise, out_dir: Path, options: Options) -> list[Output]:
        # Documents exported side by side share the cores for speech synthesis.
        workers = None
        if options.jobs > 1:
            from ..engines.speech import default_workers

            workers = max(1, default_workers() // options.jobs)
        path = write_single(
            document,
            out_dir / f"{document.slug}.epub",
            modified=_parse_modified(options.get("epub-modified")),
            narration=bool(options.get("epub-narration", False)),
            speech_workers=workers,
        )
        return [Output(path, MEDIA_TYPE)]
