"""EPUB 3 packaging: navigation, title page, accessibility metadata and the zip.

ebooklib writes the package (OPF, manifest, spine, zip). A small writer subclass
fixes what it gets wrong for a valid, reproducible EPUB 3: it writes our own
navigation document, drops ``spine@toc`` (there is no NCX), puts ``xml:lang`` on the
package element, and writes zip entries with one fixed timestamp so the same input
always gives the same bytes. Every word the package adds (contents, landmarks, the
title page, the accessibility summary) is a catalog message in the book's language.
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeAlias

from ebooklib import epub

from ... import fsutil
from ...content.phrases import Phrases, phrases
from ...content.text import TextModel, grouped
from ...errors import ExportError, InputError, OptionError
from ..web import xhtml
from . import a11y
from .narration import narrate
from .section import STYLESHEET_NAME, XHTML_TYPE, Resource, Section, build_section

MEDIA_TYPE = "application/epub+zip"
NAV_NAME = "nav.xhtml"
TITLEPAGE_NAME = "titlepage.xhtml"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
"""Default ``dcterms:modified`` and zip timestamp: fixed, so output depends only on input."""

_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://kickback-export.invalid/epub")
_ZIP_FILE_MODE = 0o100644 << 16

NavEntry: TypeAlias = tuple[str, str | None, "list[NavEntry]"]
"""``(label, href or None for a plain group heading, children)``."""


def _words(ph: Phrases, count: int) -> dict[str, str]:
    """The wording the package adds, by name (the English of each marks untranslated labels)."""
    return {
        "toc": ph._("Contents"),
        "landmarks": ph._("Landmarks"),
        "titlepage": ph._("Title page"),
        "bodymatter": ph._("Start of content"),
        "index": ph._("Index"),
        "count": ph.ngettext("{n} exercise", "{n} exercises", count),
    }


def _builder(where: str, language: str, count: int) -> tuple[xhtml.Builder, dict[str, str]]:
    return xhtml.Builder(where, language), _words(phrases(language), count)


def _entry_language(href: str | None, children: Sequence[NavEntry],
                    languages: Mapping[str, str]) -> str | None:
    """The language of an entry's label: its section's, or its members' when they agree."""
    if href is not None:
        return languages.get(href.split("#")[0])
    found = {_entry_language(h, c, languages) for _, h, c in children}
    return found.pop() if len(found) == 1 else None


def _nav_list(b: xhtml.Builder, parent: ET.Element, entries: Sequence[NavEntry],
              language: str, languages: Mapping[str, str]) -> None:
    ol = b.el(parent, "ol")
    for label, href, children in entries:
        li = b.el(ol, "li")
        node = b.el(li, "span", label) if href is None else b.el(li, "a", label, href=href)
        own = _entry_language(href, children, languages)
        if own and own != language:  # a title in another language is read in that one
            node.attrib.update({"lang": own, "xml:lang": own})
        if children:
            _nav_list(b, li, children, language, languages)


def _nav_document(title: str, language: str, count: int, toc: Sequence[NavEntry],
                  landmarks: Sequence[tuple[str, str]],
                  languages: Mapping[str, str] | None = None) -> bytes:
    """The navigation document; ``landmarks`` are ``(epub:type, href)``; ``languages``
    maps each section's file name to its language."""
    b, words = _builder("contents", language, count)
    html, body = xhtml.root(language, b.text(title), STYLESHEET_NAME)
    body.set("epub:type", "frontmatter")
    nav = b.el(body, "nav", id="toc", role="doc-toc", epub__type="toc", aria_labelledby="toc-h")
    b.label(nav, "h1", words["toc"], id="toc-h")
    _nav_list(b, nav, toc, language, languages or {})
    nav = b.el(body, "nav", id="landmarks", epub__type="landmarks", hidden="hidden",
               aria_labelledby="landmarks-h")
    b.label(nav, "h2", words["landmarks"], id="landmarks-h")
    ol = b.el(nav, "ol")
    for kind, href in landmarks:
        b.label(b.el(ol, "li"), "a", words[kind], epub__type=kind, href=href)
    return xhtml.serialise(html)


def title_page(title: str, author: str | None, language: str, count: int,
               summary: str | None = None, counted: str | None = None,
               audience: str | None = None) -> bytes:
    """The title page: the title, the author, whom it is for ("For Alex"), a summary, and
    how many exercises (or the ``counted`` line given) the book holds."""
    b, words = _builder("book", language, count)
    html, body = xhtml.root(language, b.text(title), STYLESHEET_NAME)
    body.set("epub:type", "frontmatter")
    sec = b.el(body, "section", epub__type="titlepage", class_="titlepage",
               aria_labelledby="book-title")
    b.el(sec, "h1", title, id="book-title")
    if author:
        b.el(sec, "p", author, class_="author")
    if audience:
        b.el(sec, "p", audience, class_="audience")
    if summary:
        b.el(sec, "p", summary, class_="summary")
    b.label(sec, "p", counted or words["count"], class_="count")
    return xhtml.serialise(html)


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


def utc(modified: datetime | None) -> datetime:
    """The modification date as written (UTC, whole seconds); :data:`EPOCH` by default."""
    if modified is None:
        return EPOCH
    if modified.tzinfo is None:
        raise OptionError("the modification date needs a time zone (UTC is written)")
    return modified.astimezone(UTC).replace(microsecond=0)


def package(sections: Sequence[Section], out_path: Path, *, title: str, author: str | None,
             identifier: str, modified: datetime, toc: Sequence[NavEntry],
             titlepage: bytes | None, language: str | None = None,
             front: Sequence[Section] = (), index: Section | None = None,
             note: str | None = None, audience: str | None = None) -> Path:
    """Write the EPUB. With a title page (a book) the contents are in the reading order;
    a one-exercise e-book keeps them out of it, after the text. The publication's
    language is ``language`` (default: the first section's), then the others'.
    ``front`` pages (a program's plan) come before the exercises and ``index`` after
    them; neither is narrated, and ``note`` describes them in the summary. ``audience``:
    whom the book is made for (an athlete), as ``dcterms:audience``."""
    language = language or sections[0].language
    pages = [*front, *sections, *([index] if index else [])]
    languages = list(dict.fromkeys([language, *(s.language for s in pages)]))
    book = epub.EpubBook()
    book.set_identifier(identifier)
    book.set_title(title)
    for lang in languages:
        book.set_language(lang)
    book.language = language
    if author:
        book.add_author(author)
    if audience:
        book.add_metadata(None, "meta", audience, {"property": "dcterms:audience"})
    a11y.metadata(book, sections, language, note, throughout=len(pages) == len(sections))

    resources: dict[str, Resource] = {}
    for section in pages:
        for res in section.resources:
            if resources.setdefault(res.file_name, res) != res:
                raise ExportError(f"two different resources named '{res.file_name}'")
    for res in resources.values():
        book.add_item(epub.EpubItem(uid=res.uid, file_name=res.file_name,
                                    media_type=res.media_type, content=res.data))

    landmarks = [("toc", f"{NAV_NAME}#toc")]
    spine: list[Any] = []
    if titlepage is not None:
        page = epub.EpubItem(uid="titlepage", file_name=TITLEPAGE_NAME,
                             media_type=XHTML_TYPE, content=titlepage)
        book.add_item(page)
        spine.append(page)
        landmarks.append(("titlepage", TITLEPAGE_NAME))
    landmarks.append(("bodymatter", pages[0].file_name))
    if index is not None:
        landmarks.append(("index", index.file_name))

    nav = epub.EpubNav(uid="nav", file_name=NAV_NAME)
    nav.content = _nav_document(title, language, len(sections), toc, landmarks,
                                {s.file_name: s.language for s in pages})
    book.add_item(nav)
    # In the spine either way, since landmarks link to it and links must reach spine items.
    if titlepage is not None:
        spine.append(nav)
    for section in pages:
        item = epub.EpubItem(uid=section.uid, file_name=section.file_name,
                             media_type=XHTML_TYPE, content=section.xhtml)
        if section.narration is not None:
            item.media_overlay = section.narration.overlay.uid  # written by ebooklib's manifest
        book.add_item(item)
        spine.append(item)
    if titlepage is None:
        spine.append((nav, "no"))
    book.spine = spine

    buffer = io.BytesIO()
    _Writer(buffer, book, language, modified).write()
    return fsutil.write_bytes(out_path, buffer.getvalue())


def book_id(kind: str, *parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(_ID_NAMESPACE, "\n".join((kind, *parts))))


def write_single(
    text: TextModel, out_path: Path, *, modified: datetime | None = None,
    narration: bool = False, speech_workers: int | None = None, engine: str | None = None,
) -> Path:
    """A complete EPUB holding one document; its contents list the document's parts.

    With ``narration`` the page is also read aloud (media overlay); that needs the speech
    engine, run in at most ``speech_workers`` processes (default: one per core).
    """
    section = build_section(text)
    if narration:
        [section] = narrate([text], [section], speech_workers, engine=engine)
    toc: list[NavEntry] = [(
        section.title,
        section.file_name,
        [(label, f"{section.file_name}#{ident}", []) for ident, label in section.headings],
    )]
    return package(
        [section], out_path,
        title=section.title, author=None, identifier=book_id(text.kind, section.slug),
        modified=utc(modified), toc=toc, titlepage=None,
    )


def book_title(title: str | None) -> str:
    """The title as written (whitespace folded); ``OptionError`` if there is none."""
    folded = xhtml.check_xml(" ".join((title or "").split()), "book title")
    if not folded:
        raise OptionError("--title: a book needs a title")
    return folded


def group_order(group_by: Any) -> Literal["muscle", "none"]:
    """The ``--group-by`` value, or ``OptionError``."""
    if group_by == "muscle" or group_by == "none":
        return group_by  # type: ignore[no-any-return]
    raise OptionError(f"--group-by: must be 'muscle' or 'none', not {group_by!r}")


def one_language(sections: Sequence[Section], allow_mixed: bool = False) -> str:
    """The book's language: the first exercise's. Exercises in another language
    (``de`` and ``en``; ``en-GB`` and ``en`` are one) are an ``OptionError`` unless
    ``allow_mixed``; the line names the languages found and the option."""
    found = list(dict.fromkeys(s.language for s in sections))
    if not allow_mixed and len({tag.split("-")[0].lower() for tag in found}) > 1:
        counts = ", ".join(
            f"{tag} ({sum(s.language == tag for s in sections)})" for tag in found)
        raise OptionError(
            f"the exercises are in more than one language: {counts}; a book is in one "
            "language unless --allow-mixed-languages is given")
    return sections[0].language


def write_book(sections: Sequence[Section], out_path: Path, *, title: str,
               author: str | None = None, group_by: Literal["muscle", "none"] = "muscle",
               modified: datetime | None = None, allow_mixed_languages: bool = False) -> Path:
    """Many exercises in one coaching e-book: title page, contents, one section each.

    With ``group_by="muscle"`` the contents (and the reading order) are grouped by
    each exercise's first primary muscle, groups in alphabetical order and exercises
    in the order given; with ``"none"`` the order given is kept as a flat list. The
    sections are narrated throughout or not at all. The book is in the first
    exercise's language; exercises in other languages are refused (see
    :func:`one_language`) unless ``allow_mixed_languages``, and then each section
    keeps its own ``xml:lang``.
    """
    title = book_title(title)
    author = xhtml.check_xml(" ".join(author.split()), "book author") if author else None
    if not sections:
        raise OptionError("a book needs at least one exercise")
    group_by = group_order(group_by)
    language = one_language(sections, allow_mixed_languages)
    seen: set[str] = set()
    for section in sections:
        if section.slug in seen:
            raise InputError(f"two exercises share the id '{section.slug}'; ids must be unique")
        seen.add(section.slug)

    toc: list[NavEntry]
    if group_by == "muscle":
        ordered = grouped(sections, lambda s: s.group)
        sections = [s for _, members in ordered for s in members]
        toc = [(label, None, [(s.title, s.file_name, []) for s in members])
               for label, members in ordered]
    else:
        toc = [(s.title, s.file_name, []) for s in sections]
    return package(
        sections, out_path,
        title=title, author=author,
        identifier=book_id("book", title, *(s.slug for s in sections)),
        modified=utc(modified), toc=toc,
        titlepage=title_page(title, author, language, len(sections)), language=language,
    )
