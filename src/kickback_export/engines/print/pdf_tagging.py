"""Shared PDF machinery for reportlab-drawn documents: embedded fonts and a tagged structure.

reportlab writes neither a structure tree nor marked content, so a reportlab PDF is
untagged and screen readers fall back to guessing. Here drawing code wraps every
block it draws in marked content (:class:`Tagger`), remembering which logical
structure element (:class:`Node`) each marked sequence belongs to; after reportlab
has saved, :func:`finish` builds the StructTreeRoot, the ParentTree and the
catalogue entries (MarkInfo, Lang, ViewerPreferences, XMP claiming PDF/UA-1: see
docs/pdf-ua.md) with pikepdf.

Fonts and line breaking live here too: any exporter drawing PDF text needs the same
embedded DejaVu faces, the same "is every character drawable" check and the same
fast, markup-free line breaker.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...errors import ContentError, MissingPieceError

# Debian's fonts-dejavu-core location; KICKBACK_EXPORT_FONT_DIR points elsewhere (other systems).
FONT_DIR = Path(os.environ.get("KICKBACK_EXPORT_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONT_PACKAGE = "fonts-dejavu-core"
FONT_FAMILY = "DejaVu Sans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

# reportlab's invariant mode stamps this creation date; the XMP copy must agree with it.
INVARIANT_DATE = "2000-01-01T00:00:00+00:00"


class FontMissingError(MissingPieceError):
    """The embedded font files are not installed."""


class UnsupportedCharacterError(ContentError):
    """Text holds a character the embedded font has no glyph for (it would print as a box)."""


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    family: str
    glyphs: frozenset[int]


@cache
def _register(font_dir: Path) -> Fonts:
    glyphs: frozenset[int] | None = None
    for name in (REGULAR, BOLD):
        path = font_dir / f"{name}.ttf"
        if not path.is_file():
            raise FontMissingError(
                f"font file {path} is missing: install the Debian package {FONT_PACKAGE} "
                f"(apt-get install {FONT_PACKAGE})"
            )
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        have = frozenset(font.face.charToGlyph)
        glyphs = have if glyphs is None else glyphs & have
    assert glyphs is not None
    return Fonts(REGULAR, BOLD, FONT_FAMILY, glyphs)


def load_fonts(font_dir: Path | None = None) -> Fonts:
    """Register DejaVu Sans (regular and bold) with reportlab, once per folder."""
    return _register(font_dir or FONT_DIR)


def check_text(fonts: Fonts, where: str, text: str) -> str:
    """Return ``text`` if every character is drawable, else raise naming the field."""
    for ch in text:
        if ord(ch) not in fonts.glyphs and ch not in "\t\n\r":
            raise UnsupportedCharacterError(
                f"{where}: character '{ch}' (U+{ord(ch):04X}) is not in the card font "
                f"{fonts.family}"
            )
    return text


# --- measuring and breaking lines ------------------------------------------------------

EPS = 1e-6


@lru_cache(maxsize=8)
def _widths(font: str) -> tuple[dict[int, float], float]:
    face = pdfmetrics.getFont(font).face
    return face.charWidths, face.defaultWidth


@lru_cache(maxsize=65536)
def text_width(font: str, word: str) -> float:
    """Advance width of ``word`` at 1 pt in a registered font (words recur, so cached)."""
    widths, default = _widths(font)
    return sum(widths.get(ord(c), default) for c in word) / 1000.0


def break_lines(
    text: str, font: str, size: float, width: float, anywhere: bool = False
) -> list[str]:
    """Greedy left-aligned line breaking at spaces (``anywhere``: between any characters).

    Every line but the last keeps the space the break consumed: left-aligned, it is
    invisible on paper, and without it text extraction and the structure tree would
    read "One" + "Leg" as "OneLeg". Words too long for a line are broken by character.
    """
    limit = width / size + EPS
    if anywhere:
        words, space, glue = list(text), 0.0, ""
    else:
        words, space, glue = text.split(" "), text_width(font, " "), " "
    lines: list[str] = []
    cur: list[str] = []
    used = 0.0
    for word in words:
        w = text_width(font, word)
        if w > limit and not anywhere:
            for piece in break_lines(word, font, size, width, anywhere=True):
                pw = text_width(font, piece)
                if cur and used + space + pw > limit:
                    lines.append(glue.join(cur) + glue)
                    cur, used = [], 0.0
                used += (space if cur else 0.0) + pw
                cur.append(piece)
                if used > limit - EPS:
                    lines.append(glue.join(cur))
                    cur, used = [], 0.0
            continue
        if cur and used + space + w > limit:
            lines.append(glue.join(cur) + glue)
            cur, used = [word], w
        else:
            used += (space if cur else 0.0) + w
            cur.append(word)
    if cur:
        lines.append(glue.join(cur))
    return lines or [""]


# --- structure --------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkedRef:
    """One marked-content sequence: page index, MCID, and a key giving its reading order."""

    page: int
    mcid: int
    order: tuple[int, ...]


@dataclass(eq=False)
class Node:
    """A structure element (Document, H1, P, L, LI, Lbl, LBody, Figure …)."""

    role: str
    alt: str | None = None
    kids: list[Node] = field(default_factory=list)
    marks: list[MarkedRef] = field(default_factory=list)
    # structure attributes (/A), e.g. {"O": "Table", "Scope": "Column", "RowSpan": 2}:
    # a str value is written as a PDF name, a number as a number
    attributes: dict[str, str | int] = field(default_factory=dict)

    def add(self, role: str, alt: str | None = None) -> Node:
        child = Node(role, alt)
        self.kids.append(child)
        return child

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


class Tagger:
    """Wraps drawing on a reportlab canvas in marked content tied to structure nodes.

    reportlab's ``addLiteral`` appends to the page stream in drawing order, so a
    ``BDC`` written before a text object (or ``Paragraph.drawOn``) and an ``EMC``
    after it enclose the whole ``BT … ET``. MCIDs are numbered per page, as the
    ParentTree that :func:`finish` builds requires.
    """

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self._next: dict[int, int] = {}

    def _page(self) -> int:
        return int(self.canvas.getPageNumber()) - 1

    @contextlib.contextmanager
    def marked(self, node: Node, order: tuple[int, ...] = ()) -> Iterator[None]:
        """Content drawn inside belongs to ``node`` (a leaf such as P, H1, LBody)."""
        page = self._page()
        mcid = self._next.get(page, 0)
        self._next[page] = mcid + 1
        self.canvas.addLiteral(f"/{node.role} <</MCID {mcid}>> BDC")
        yield
        self.canvas.addLiteral("EMC")
        node.marks.append(MarkedRef(page, mcid, order or (page, mcid)))

    @contextlib.contextmanager
    def artifact(self, kind: str = "Layout", subtype: str | None = None) -> Iterator[None]:
        """Content drawn inside is decoration (rules, crop marks) or page furniture (a
        running footer: ``kind`` Pagination, ``subtype`` Footer) that readers skip."""
        sub = f" /Subtype /{subtype}" if subtype else ""
        self.canvas.addLiteral(f"/Artifact <</Type /{kind}{sub}>> BDC")
        yield
        self.canvas.addLiteral("EMC")


PRODUCT = "kickback-export"  # the author and creator tool of every PDF: a name, not prose


@dataclass(frozen=True)
class Metadata:
    """Document information, written both to /Info and to the XMP packet (kept in step).

    ``subject`` and ``keywords`` are words readers see in a viewer's properties, so they
    come from the phrase catalog like the page text.
    """

    title: str
    lang: str
    subject: str
    keywords: tuple[str, ...]

    @property
    def keyword_line(self) -> str:
        return ", ".join(self.keywords)


# the PDF/UA identification schema (ISO 14289-1 §5): pdfuaid:part 1 claims PDF/UA-1
# (Matterhorn 06-002); no PDF/A extension schema describes it, as no file claims PDF/A
PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
PDFUA_PART = 1


def _xmp(meta: Metadata, producer: str) -> bytes:
    def alt(text: str) -> str:
        return (
            '<rdf:Alt><rdf:li xml:lang="x-default">' + escape(text) + "</rdf:li></rdf:Alt>"
        )

    parts = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        f' xmlns:pdfuaid="{PDFUA_NS}">',
        "<dc:format>application/pdf</dc:format>",
        f"<dc:title>{alt(meta.title)}</dc:title>",
        f"<dc:language><rdf:Bag><rdf:li>{escape(meta.lang)}</rdf:li></rdf:Bag></dc:language>",
    ]
    parts += [
        f"<dc:creator><rdf:Seq><rdf:li>{PRODUCT}</rdf:li></rdf:Seq></dc:creator>",
        f"<dc:description>{alt(meta.subject)}</dc:description>",
        f"<pdf:Keywords>{escape(meta.keyword_line)}</pdf:Keywords>",
        f"<pdf:Producer>{escape(producer)}</pdf:Producer>",
        f"<xmp:CreatorTool>{PRODUCT}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{INVARIANT_DATE}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{INVARIANT_DATE}</xmp:ModifyDate>",
        f"<pdfuaid:part>{PDFUA_PART}</pdfuaid:part>",
        "</rdf:Description>",
        "</rdf:RDF>",
        "</x:xmpmeta>",
        '<?xpacket end="w"?>',
    ]
    return "\n".join(parts).encode("utf-8")


def _set_info(pdf: pikepdf.Pdf, meta: Metadata) -> str:
    info = pdf.docinfo
    info[Name.Title] = String(meta.title)
    info[Name.Author] = String(PRODUCT)
    info[Name.Subject] = String(meta.subject)
    info[Name.Keywords] = String(meta.keyword_line)
    info[Name.Creator] = String(PRODUCT)
    return str(info.get(Name.Producer, ""))


def finish(
    data: bytes,
    root: Node,
    meta: Metadata,
    outline: Iterable[tuple[str, int]] = (),
) -> bytes:
    """Turn reportlab's untagged output into a tagged PDF, deterministically.

    ``root`` is the Document node whose leaves recorded their marked content while
    drawing; ``outline`` lists (title, page index) bookmarks in order.
    """
    pdf = pikepdf.open(io.BytesIO(data))
    pages = [page.obj for page in pdf.pages]
    parents: dict[int, dict[int, pikepdf.Object]] = {i: {} for i in range(len(pages))}
    tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))

    firsts: dict[int, tuple[int, ...] | None] = {}

    def first(node: Node) -> tuple[int, ...] | None:
        """The reading-order key of the first content drawn for ``node`` or below it."""
        keys = [m.order for m in node.marks] + [k for k in map(first, node.kids) if k]
        firsts[id(node)] = min(keys) if keys else None
        return firsts[id(node)]

    first(root)

    def build(node: Node, parent: pikepdf.Object) -> pikepdf.Object | None:
        if firsts[id(node)] is None:
            return None  # an element that drew nothing would be an empty tag
        elem = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent)
        )
        # reading order is drawing order of the logical content, not page order: duplex
        # sheets draw side 3 before side 2
        ordered = sorted((k for k in node.kids if firsts[id(k)] is not None),
                         key=lambda k: firsts[id(k)] or ())
        kids: list[Any] = [build(kid, elem) for kid in ordered]
        marks = sorted(node.marks, key=lambda m: m.order)
        home = marks[0].page if marks else None
        for mark in marks:
            # a bare MCID refers to the element's own /Pg; other pages need an MCR
            if mark.page == home:
                kids.append(mark.mcid)
            else:
                kids.append(Dictionary(Type=Name.MCR, Pg=pages[mark.page], MCID=mark.mcid))
            parents[mark.page][mark.mcid] = elem
        if home is not None:
            elem.Pg = pages[home]
        if node.alt:
            elem.Alt = String(node.alt)
        if node.attributes:
            elem.A = Dictionary({f"/{k}": Name(f"/{v}") if isinstance(v, str) else v
                                 for k, v in node.attributes.items()})
        # one kid is written bare, as many producers do (ISO 32000-1 Table 323 allows
        # either); pdfua 0.1.x's empty-heading check (UA-14-001) cannot read an array /K
        elem.K = kids[0] if len(kids) == 1 else Array(kids)
        return elem

    document = build(root, tree_root)
    tree_root.K = Array([document]) if document is not None else Array()
    nums = Array()
    for index in range(len(pages)):
        mcids = parents[index]
        if sorted(mcids) != list(range(len(mcids))):
            raise RuntimeError(f"page {index + 1}: marked content without a structure element")
        nums.append(index)
        nums.append(pdf.make_indirect(Array([mcids[m] for m in range(len(mcids))])))
        pages[index].StructParents = index
        pages[index].Tabs = Name.S
    tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    tree_root.ParentTreeNextKey = len(pages)

    producer = _set_info(pdf, meta)
    catalog = pdf.Root
    catalog.StructTreeRoot = tree_root
    catalog.MarkInfo = Dictionary(Marked=True)
    catalog.Lang = String(meta.lang)
    catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    xmp = pikepdf.Stream(pdf, _xmp(meta, producer))
    xmp.Type = Name.Metadata
    xmp.Subtype = Name.XML
    catalog.Metadata = pdf.make_indirect(xmp)

    entries = list(outline)
    if entries:
        with pdf.open_outline() as tree:
            tree.root.clear()
            for title, page in entries:
                tree.root.append(pikepdf.OutlineItem(title, page))

    out = io.BytesIO()
    # the XMP written above is final; pikepdf would otherwise re-parse it to stamp a version
    # page /Tabs and the structure features used here need PDF 1.5+; 1.7 is ISO 32000-1
    pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False,
             min_version="1.7")
    return out.getvalue()
