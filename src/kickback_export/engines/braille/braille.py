"""Braille pages from print text: liblouis translation, text fitted to the table, 40 × 25 layout.

The exporter decides what is said (:mod:`kickback_export.exporters.brf`); this module
makes it braille, following BANA *Braille Formats* where it applies:

* 40 cells × 25 lines. Lines 1–24 carry text; line 25 carries only the braille
  page number, right-aligned (bottom right, the BANA position for braille
  page numbers), written in the table's own number notation (French braille
  uses Antoine digits). There are no print pages, so no print-page line.
* Every page is padded to 25 lines; pages are separated by a form feed; lines
  end in CRLF, which embossers and braille editors expect in a BRF.
* A centred block (the title) has lines of at most 34 cells, leaving three blank
  cells either side. A heading block is never left alone at the foot of a page.
* Each block is translated whole (contractions depend on context) and then
  wrapped at the spaces of the *braille*, so no word is split across lines. A
  single braille word wider than the line is split with a hyphen as a last
  resort (a long URL, say; ordinary prose never needs it).

Characters are fitted to the table before translation (see :func:`prepare`):
invisible format characters (bidi marks, zero-width joiners, variation
selectors) are dropped, since braille is read in logical order and has no use
for them; every kind of space becomes a plain space; a character the table
cannot write in 6-dot ASCII braille becomes its base letter (accent dropped), a
bracket it cannot write a round one, or else its Unicode name in parentheses,
e.g. ``(flexed biceps)`` for the emoji; names are English whatever the document
language. Only a character with neither (unassigned or private-use code points)
can still fail, as a content error naming the field and the character.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ... import languages
from ...errors import ContentError, ExportError
from . import louis

CELLS = 40
LINES = 25
TEXT_LINES = LINES - 1  # line 25 holds the braille page number
CENTRE_MARGIN = 3  # blank cells either side of a centred line
EOL = "\r\n"
FORM_FEED = "\f"
DISPLAY_TABLE = "en-us-brf.dis"  # dots → North American Braille ASCII, the BRF encoding




@dataclass(frozen=True)
class Block:
    """One unit of print text with its braille format (cells are 0-based indents)."""

    field: str  # where the text came from, for error messages
    text: str
    first: int = 0
    runover: int = 0
    centred: bool = False
    heading: bool = False
    blank_before: bool = False


# --- text preparation ---------------------------------------------------------------------

_SPACES = re.compile(r" {2,}")
_BRACKETS = {"Ps": "(", "Pe": ")"}  # any opening or closing bracket, as the reader expects
_SEPARATORS = frozenset("\u00b7\u2022\u2027\u22c5")  # "kick 1 s · hold 1 s": a list's commas


def _invisible(char: str) -> bool:
    """Format characters and variation selectors: no meaning in braille, read in logical order."""
    code = ord(char)
    return (
        unicodedata.category(char) == "Cf"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin-tone modifiers
    )


def is_ascii_braille(text: str) -> bool:
    return all(0x20 <= ord(c) <= 0x5F for c in text)


@functools.cache
def _writable(tables: str, char: str) -> bool:
    """Whether the table defines ``char`` and writes it within 6-dot ASCII braille."""
    if louis.translate(tables, char, mode=louis.NO_UNDEFINED).strip() == "":
        return False
    return is_ascii_braille(louis.translate(tables, char))


def _base_letters(char: str) -> str | None:
    """``char`` without accents or styling (``à`` → ``a``, ``𝐀`` → ``A``), if that differs."""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and base != char else None


def prepare(text: str, tables: str) -> str:
    """Make print text fit what the braille table can write, without losing what it says.

    NFC first, so decomposed accents reach liblouis as the letters it knows. Other
    spaces (no-break, thin …) become plain spaces: braille has one space, and some
    tables write U+00A0 with dot 7. A character the table cannot write becomes its
    base letter (accent dropped), a bracket a round one, a separator dot a comma (its
    name would be English words in any language), or else its Unicode name in
    parentheses; only a
    character with neither (unassigned, private use) is left to liblouis, whose
    escape notation is either ASCII braille or caught as an error by the caller.
    """

    def fits(char: str) -> bool:
        return char == " " or (char.isascii() and char.isalnum()) or _writable(tables, char)

    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if unicodedata.category(char) == "Zs":
            out.append(" ")
        elif _invisible(char):
            continue
        elif fits(char):
            out.append(char)
        elif (base := _base_letters(char)) and all(fits(c) for c in base):
            out.append(base)
        elif (bracket := _BRACKETS.get(unicodedata.category(char))) and fits(bracket):
            out.append(bracket)
        elif char in _SEPARATORS:
            while out and out[-1] == " ":
                out.pop()
            out.append(",")
        elif label := unicodedata.name(char, "").lower():
            symbol = unicodedata.category(char)[0] in "SP"
            out.append(f" ({label})" if symbol else f"({label})")
        else:
            out.append(char)
    return _SPACES.sub(" ", "".join(out)).strip()


def tables_for(language: str) -> str:
    """The liblouis table list for a BCP 47 tag, or a :class:`ContentError` naming it."""
    found = languages.language(language)
    table = found.braille if found else None
    if table is None:
        supported = sorted(code for code, lang in languages.known().items() if lang.braille)
        raise ContentError(
            f"language: no braille table for language '{language}' "
            f"(supported: {', '.join(supported)})"
        )
    tables = f"{DISPLAY_TABLE},{table}"
    try:
        louis.check_table(tables)
    except louis.TableNotFound as exc:
        raise louis.TableNotFound(
            f"braille table {table} for language '{language}' is not available "
            f"(install the Debian package {louis.TABLES_PACKAGE}): {exc}"
        ) from None
    return tables


def translate(block: Block, tables: str) -> str:
    """The block's text in 6-dot ASCII braille, or a :class:`ContentError` naming its field."""
    text = prepare(block.text, tables)
    try:
        braille = louis.translate(tables, text)
    except louis.TranslationError as exc:
        raise ContentError(f"{block.field}: {exc}") from None
    if is_ascii_braille(braille):
        return braille
    for char in dict.fromkeys(text):
        if not is_ascii_braille(louis.translate(tables, char)):
            raise ContentError(
                f"{block.field}: character {char!r} (U+{ord(char):04X}) has no 6-dot "
                f"ASCII braille form in {tables.split(',')[-1]}"
            )
    raise ContentError(f"{block.field}: text has no 6-dot ASCII braille form")


# --- layout -------------------------------------------------------------------------------


def wrap(braille: str, width: int, first: int = 0, runover: int = 0) -> list[str]:
    """Fill lines of at most ``width`` cells, breaking only at spaces of the braille.

    A word longer than a whole line is split with a hyphen (``-``, dots 3-6) at
    the end of each full piece, the last resort BANA allows.
    """
    lines: list[str] = []
    indent = first
    current: list[str] = []
    used = indent

    def flush() -> None:
        nonlocal indent, current, used
        lines.append(" " * indent + " ".join(current))
        indent, current = runover, []
        used = indent

    for word in braille.split():
        need = len(word) + (1 if current else 0)
        if used + need <= width:
            current.append(word)
            used += need
            continue
        if current:
            flush()
        while indent + len(word) > width:
            room = width - indent - 1
            current = [word[:room] + "-"]
            flush()
            word = word[room:]
        current.append(word)
        used = indent + len(word)
    if current or not lines:
        flush()
    return lines


def centre(braille: str) -> list[str]:
    width = CELLS - 2 * CENTRE_MARGIN
    out = []
    for line in wrap(braille, width):
        pad = (CELLS - len(line)) // 2
        out.append(" " * pad + line)
    return out


def paginate(rendered: Sequence[tuple[Block, list[str]]]) -> list[list[str]]:
    """Lay formatted lines on pages of ``TEXT_LINES`` lines (the page number comes later)."""
    pages: list[list[str]] = []
    page: list[str] = []
    for block, lines in rendered:
        blank = 1 if block.blank_before and page else 0
        # A heading needs its own lines plus the first line of what follows.
        if block.heading and page and len(page) + blank + len(lines) + 1 > TEXT_LINES:
            pages.append(page)
            page, blank = [], 0
        if blank:
            page.append("")
        for line in lines:
            if len(page) == TEXT_LINES:
                pages.append(page)
                page = []
            page.append(line.rstrip())
    if page:
        pages.append(page)
    return pages


def compose(pages: Sequence[Sequence[str]], numbers: Sequence[str]) -> str:
    """Pad each page to 25 lines, the braille page number right-aligned on line 25."""
    out = []
    for body, number in zip(pages, numbers, strict=True):
        lines = [*body, *[""] * (TEXT_LINES - len(body)), " " * (CELLS - len(number)) + number]
        out.append("".join(line + EOL for line in lines))
    return FORM_FEED.join(out)


def emboss(blocks: Sequence[Block], language: str) -> bytes:
    """The whole BRF for ``blocks`` in ``language``; deterministic for a liblouis version."""
    tables = tables_for(language)
    rendered: list[tuple[Block, list[str]]] = []
    for block in blocks:
        braille = translate(block, tables)
        if block.centred:
            lines = centre(braille)
        else:
            lines = wrap(braille, CELLS, block.first, block.runover)
        rendered.append((block, lines))

    pages = paginate(rendered)
    # Braille page numbers are bare digits (no grouping sign), so not a locale number.
    numbers = [translate(Block("page number", str(n)), tables) for n in range(1, len(pages) + 1)]
    data = compose(pages, numbers).encode("ascii")  # every piece was checked; guards layout
    if any(not (0x20 <= b <= 0x5F or b in b"\r\n\f") for b in data):
        raise ExportError("BRF layout produced bytes outside ASCII braille")
    return data
