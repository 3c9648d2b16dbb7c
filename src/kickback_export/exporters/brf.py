"""Braille Ready File (BRF) exporter: contracted braille for embossers and braille displays.

Translation is done by liblouis (Unified English Braille grade 2 for English,
the national grade 2 table for German, French and Spanish); the page layout is
done here, on braille cells, following BANA *Braille Formats* where it applies:

* 40 cells × 25 lines. Lines 1–24 carry text; line 25 carries only the braille
  page number, right-aligned (bottom right, the BANA position for braille
  page numbers), written in the table's own number notation (French braille
  uses Antoine digits). There are no print pages, so no print-page line.
* Every page is padded to 25 lines; pages are separated by a form feed; lines
  end in CRLF, which embossers and braille editors expect in a BRF.
* Title centred (lines of at most 34 cells, leaving three blank cells either
  side), then a blank line. Section headings start in cell 5 (runovers in
  cell 5) after a blank line and are never left alone at the foot of a page.
* Lists (muscles, equipment, setup, steps, tips, cautions, prescription) use
  1-3 format (first line cell 1, runovers cell 3); FAQ questions 1-3 with their
  answers nested in 3-5; the summary is a 3-1 paragraph.
* Each paragraph is translated whole (contractions depend on context) and then
  wrapped at the spaces of the *braille*, so no word is split across lines. A
  single braille word wider than the line is split with a hyphen as a last
  resort (a long URL, say; ordinary prose never needs it).

Content order follows how the page reads: what it is (summary, level), what it
works and needs (muscles, equipment), how to do it (setup, steps), how to do it
well and safely (tips, cautions), questions, and finally the dose to train.
Headings and the prescription's labels are in the document's language.
The long overview and the image description are left out: they restate the
list sections, and braille volume is costly to read and to emboss.

Characters are fitted to the table before translation (see :func:`prepare`):
invisible format characters (bidi marks, zero-width joiners, variation
selectors) are dropped, since braille is read in logical order and has no use
for them; every kind of space becomes a plain space; a character the table
cannot write in 6-dot ASCII braille becomes its base letter (accent dropped) or
else its Unicode name in parentheses, e.g. ``(flexed biceps)`` for the emoji;
names are English whatever the document language. Only a character with
neither (unassigned or private-use code points) can still fail, as a content
error naming the field and the character.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import fsutil
from ..document.model import Exercise, Prescription
from ..engines import louis
from ..registry import ContentError, Option, Options, Output

CELLS = 40
LINES = 25
TEXT_LINES = LINES - 1  # line 25 holds the braille page number
CENTRE_MARGIN = 3  # blank cells either side of a centred line
EOL = "\r\n"
FORM_FEED = "\f"
DISPLAY_TABLE = "en-us-brf.dis"  # dots → North American Braille ASCII, the BRF encoding

MEDIA_TYPE = "text/plain"
"""BRF has no registered media type; its bytes are plain ASCII text, so ``text/plain``
is the accurate registered type (``application/x-brf`` is unregistered and unknown to
most software, which identifies BRF by its ``.brf`` suffix anyway)."""

TABLES = {
    "en": "en-ueb-g2.ctb",
    "de": "de-g2.ctb",
    "fr": "fr-bfu-g2.ctb",
    "es": "es-g2.ctb",
}
"""Grade 2 translation table per primary language subtag."""


@dataclass(frozen=True)
class Labels:
    summary: str
    level: str
    levels: dict[str, str]
    muscles: str
    primary: str
    secondary: str
    equipment: str
    setup: str
    steps: str
    tips: str
    cautions: str
    faq: str
    prescription: str
    sets: str
    reps: str
    reps_sides: str
    sides: dict[str, str]
    tempo: str
    rest: str
    switch: str
    decimal: str


LABELS: dict[str, Labels] = {
    "en": Labels(
        summary="Summary", level="Level",
        levels={"beginner": "beginner", "intermediate": "intermediate", "advanced": "advanced"},
        muscles="Muscles", primary="Primary", secondary="Secondary",
        equipment="Equipment", setup="Setup", steps="Steps", tips="Tips", cautions="Cautions",
        faq="Questions and answers", prescription="Sets and repetitions",
        sets="Sets: {n}", reps="Repetitions: {n}",
        reps_sides="Repetitions: {n} per side ({limb}), {side} side first",
        sides={"left": "left", "right": "right"},
        tempo="Tempo: {phases}", rest="Rest between sets: {s} seconds",
        switch="Time to switch sides: {s} seconds", decimal=".",
    ),
    "de": Labels(
        summary="Kurzbeschreibung", level="Niveau",
        levels={"beginner": "Einsteiger", "intermediate": "Mittelstufe",
                "advanced": "Fortgeschrittene"},
        muscles="Muskeln", primary="Hauptsächlich", secondary="Unterstützend",
        equipment="Ausrüstung", setup="Vorbereitung", steps="Ausführung", tips="Tipps",
        cautions="Vorsicht", faq="Fragen und Antworten", prescription="Sätze und Wiederholungen",
        sets="Sätze: {n}", reps="Wiederholungen: {n}",
        reps_sides="Wiederholungen: {n} je Seite ({limb}), zuerst {side}",
        sides={"left": "links", "right": "rechts"},
        tempo="Tempo: {phases}", rest="Pause zwischen den Sätzen: {s} Sekunden",
        switch="Seitenwechsel: {s} Sekunden", decimal=",",
    ),
    "fr": Labels(
        summary="Résumé", level="Niveau",
        levels={"beginner": "débutant", "intermediate": "intermédiaire", "advanced": "avancé"},
        muscles="Muscles", primary="Principaux", secondary="Secondaires",
        equipment="Matériel", setup="Mise en place", steps="Exécution", tips="Conseils",
        cautions="Précautions", faq="Questions et réponses",
        prescription="Séries et répétitions",
        sets="Séries : {n}", reps="Répétitions : {n}",
        reps_sides="Répétitions : {n} par côté ({limb}), {side} d'abord",
        sides={"left": "gauche", "right": "droite"},
        tempo="Tempo : {phases}", rest="Repos entre les séries : {s} secondes",
        switch="Changement de côté : {s} secondes", decimal=",",
    ),
    "es": Labels(
        summary="Resumen", level="Nivel",
        levels={"beginner": "principiante", "intermediate": "intermedio",
                "advanced": "avanzado"},
        muscles="Músculos", primary="Principales", secondary="Secundarios",
        equipment="Material", setup="Preparación", steps="Ejecución", tips="Consejos",
        cautions="Precauciones", faq="Preguntas y respuestas",
        prescription="Series y repeticiones",
        sets="Series: {n}", reps="Repeticiones: {n}",
        reps_sides="Repeticiones: {n} por lado ({limb}), primero {side}",
        sides={"left": "izquierda", "right": "derecha"},
        tempo="Tempo: {phases}", rest="Descanso entre series: {s} segundos",
        switch="Cambio de lado: {s} segundos", decimal=",",
    ),
}


# --- text preparation ---------------------------------------------------------------------

_SPACES = re.compile(r" {2,}")


def _invisible(char: str) -> bool:
    """Format characters and variation selectors: no meaning in braille, read in logical order."""
    code = ord(char)
    return (
        unicodedata.category(char) == "Cf"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin-tone modifiers
    )


@functools.cache
def _writable(tables: str, char: str) -> bool:
    """Whether the table defines ``char`` and writes it within 6-dot ASCII braille."""
    if louis.translate(tables, char, mode=louis.NO_UNDEFINED).strip() == "":
        return False
    return _is_ascii_braille(louis.translate(tables, char))


def _symbol_name(char: str) -> str:
    """How a braille reader learns what a character was: its Unicode name, or ''."""
    label: str = unicodedata.name(char, "")
    return label.lower()


def _base_letters(char: str) -> str | None:
    """``char`` without accents or styling (``à`` → ``a``, ``𝐀`` → ``A``), if that differs."""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and base != char else None


def prepare(text: str, tables: str) -> str:
    """Make print text fit what the braille table can write, without losing what it says.

    NFC first, so decomposed accents reach liblouis as the letters it knows. Other
    spaces (no-break, thin …) become plain spaces: braille has one space, and some
    tables write U+00A0 with dot 7. A character the table cannot write becomes its
    base letter (accent dropped) or else its Unicode name in parentheses; only a
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
        elif label := _symbol_name(char):
            symbol = unicodedata.category(char)[0] in "SP"
            out.append(f" ({label})" if symbol else f"({label})")
        else:
            out.append(char)
    return _SPACES.sub(" ", "".join(out)).strip()


def _is_ascii_braille(text: str) -> bool:
    return all(0x20 <= ord(c) <= 0x5F for c in text)


# --- blocks and layout --------------------------------------------------------------------


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


def _num(value: float, decimal: str) -> str:
    text = f"{value:g}"
    return text.replace(".", decimal)


def _prescription(p: Prescription, labels: Labels) -> list[Block]:
    items = [labels.sets.format(n=p.sets)]
    if p.sides == "both":
        items.append(
            labels.reps_sides.format(n=p.reps, limb=p.limb, side=labels.sides[p.first_side])
        )
    else:
        items.append(labels.reps.format(n=p.reps))
    phases = [f"{p.cues.kick} {_num(p.tempo.kick, labels.decimal)} s"]
    if p.tempo.hold:
        phases.append(f"{p.cues.hold} {_num(p.tempo.hold, labels.decimal)} s")
    phases.append(f"{p.cues.return_} {_num(p.tempo.return_, labels.decimal)} s")
    items.append(labels.tempo.format(phases=", ".join(phases)))
    items.append(labels.rest.format(s=_num(p.rest, labels.decimal)))
    if p.sides == "both":
        items.append(labels.switch.format(s=_num(p.switch, labels.decimal)))
    return [Block("prescription", item, 0, 2) for item in items]


def _muscle_line(label: str, muscles: Iterable[tuple[str, Sequence[str]]]) -> str:
    parts = [f"{name} ({', '.join(anatomy)})" if anatomy else name for name, anatomy in muscles]
    return f"{label}: {'; '.join(parts)}"


def blocks(document: Exercise, labels: Labels) -> list[Block]:
    """The document as an ordered list of formatted text blocks."""

    def heading(text: str) -> Block:
        return Block("heading", text, 4, 4, heading=True, blank_before=True)

    out = [Block("name", document.name, centred=True)]
    out += [
        heading(labels.summary),
        Block("summary", document.summary, 2, 0),
        Block("level", f"{labels.level}: {labels.levels[document.level]}", 2, 0),
        heading(labels.muscles),
        Block("muscles.primary", _muscle_line(
            labels.primary, ((m.name, m.anatomy) for m in document.muscles.primary)), 0, 2),
    ]
    if document.muscles.secondary:
        out.append(Block("muscles.secondary", _muscle_line(
            labels.secondary, ((m.name, m.anatomy) for m in document.muscles.secondary)), 0, 2))
    out.append(heading(labels.equipment))
    out += [Block(f"equipment[{i}]", item, 0, 2) for i, item in enumerate(document.equipment)]
    if document.setup:
        out.append(heading(labels.setup))
        out += [Block(f"setup[{i}]", item, 0, 2) for i, item in enumerate(document.setup)]
    out.append(heading(labels.steps))
    out += [
        Block(f"steps[{i}].text", f"{i + 1}. {step.text}", 0, 2)
        for i, step in enumerate(document.steps)
    ]
    if document.tips:
        out.append(heading(labels.tips))
        out += [Block(f"tips[{i}]", item, 0, 2) for i, item in enumerate(document.tips)]
    if document.cautions:
        out.append(heading(labels.cautions))
        out += [Block(f"cautions[{i}]", item, 0, 2) for i, item in enumerate(document.cautions)]
    if document.faq:
        out.append(heading(labels.faq))
        for i, qa in enumerate(document.faq):
            out.append(Block(f"faq[{i}].question", qa.question, 0, 2))
            out.append(Block(f"faq[{i}].answer", qa.answer, 2, 4))
    if document.prescription:
        out.append(heading(labels.prescription))
        out += _prescription(document.prescription, labels)
    return out


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


# --- the exporter ---------------------------------------------------------------------------


def tables_for(language: str) -> str:
    """The liblouis table list for a BCP 47 tag, or a :class:`ContentError` naming it."""
    primary = language.split("-")[0].lower()
    table = TABLES.get(primary)
    if table is None:
        raise ContentError(
            f"language: no braille table for language '{language}' "
            f"(supported: {', '.join(sorted(TABLES))})"
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


def _translate(block: Block, tables: str) -> str:
    text = prepare(block.text, tables)
    try:
        braille = louis.translate(tables, text)
    except louis.TranslationError as exc:
        raise ContentError(f"{block.field}: {exc}") from None
    if _is_ascii_braille(braille):
        return braille
    for char in dict.fromkeys(text):
        if not _is_ascii_braille(louis.translate(tables, char)):
            raise ContentError(
                f"{block.field}: character {char!r} (U+{ord(char):04X}) has no 6-dot "
                f"ASCII braille form in {tables.split(',')[-1]}"
            )
    raise ContentError(f"{block.field}: text has no 6-dot ASCII braille form")


def render(document: Exercise) -> bytes:
    """The whole BRF file for ``document``; deterministic for a given liblouis version."""
    tables = tables_for(document.language)
    labels = LABELS[document.language.split("-")[0].lower()]
    rendered: list[tuple[Block, list[str]]] = []
    for block in blocks(document, labels):
        braille = _translate(block, tables)
        if block.centred:
            lines = centre(braille)
        else:
            lines = wrap(braille, CELLS, block.first, block.runover)
        rendered.append((block, lines))

    pages = paginate(rendered)
    numbers = [_translate(Block("page number", str(n)), tables) for n in range(1, len(pages) + 1)]
    text = compose(pages, numbers)
    data = text.encode("ascii")  # every piece was checked; this guards the layout code
    if any(not (0x20 <= b <= 0x5F or b in b"\r\n\f") for b in data):
        raise RuntimeError("BRF layout produced bytes outside ASCII braille")
    return data


class BrfExporter:
    """Writes ``<slug>.brf``: contracted braille formatted for 40 × 25 embossed pages."""

    name = "brf"
    description = "Braille Ready File (contracted braille, 40 cells × 25 lines) via liblouis"
    options: Sequence[Option] = ()

    def export(self, document: Exercise, out_dir: Path, options: Options) -> list[Output]:
        data = render(document)
        path = out_dir / f"{document.slug}.brf"
        fsutil.write_bytes(path, data)
        return [Output(path=path, media_type=MEDIA_TYPE)]
