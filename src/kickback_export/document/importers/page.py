"""The ``page`` importer: the plain-text exercise page layout.

A page is: a title line; overview paragraphs; a line ``Instructions`` with
``- `` bullets; a line ``Tips & Tricks`` with ``- `` bullets; a line
``Frequently Asked Questions`` with alternating question and answer lines.
Every sentence of the page lands in the document, in order. What a page cannot
give (cues, prescription, cautions, image description) is left out, and so are the
muscles when the page does not name them in the usual phrasing; equipment and level
are read from the usual phrasings when present and otherwise filled with defaults
that the written YAML flags in a comment.

A page in German, French or Spanish has the same layout with that language's
headings ("Anleitung", "Tipps & Tricks", "Häufig gestellte Fragen"; "Instructions",
"Trucs et astuces", "Questions fréquentes"; "Instrucciones", "Consejos y trucos",
"Preguntas frecuentes") and phrasings (see :func:`page_languages`); the caller says
which language the page is in, and the document gets that ``language``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import languages
from ...errors import OptionError
from ..loader import DocumentError, decode
from ..model import Exercise
from . import Imported, ImportOptions, Result

ORIGIN = "an exercise page"


@dataclass(frozen=True)
class PageLanguage:
    """How a page in one language writes its headings and the phrases the importer reads.

    ``muscles`` and ``anatomy`` are patterns with two groups (the primary and the
    secondary muscles); ``joiner`` splits a list; ``articles`` is stripped from the
    front of each listed name; ``equipment`` maps a word of the title to its name.
    """

    sections: tuple[str, str, str]
    muscles: str
    anatomy: str
    joiner: str
    articles: str
    equipment: dict[str, str]
    bench: tuple[str, str]
    beginner: tuple[str, ...]


def _page_language(entry: Mapping[str, Any]) -> PageLanguage:
    return PageLanguage(
        sections=tuple(entry["sections"]),
        muscles=entry["muscles"], anatomy=entry["anatomy"], joiner=entry["joiner"],
        articles=entry["articles"], equipment=dict(entry["equipment"]),
        bench=tuple(entry["bench"]),
        beginner=tuple(entry["beginner"]),
    )


def page_languages() -> dict[str, PageLanguage]:
    """Every language whose metadata says how its pages are written (the ``page`` of its
    block in ``locales/languages.yaml``: a new page language is that block)."""
    return {code: _page_language(lang.page) for code, lang in languages.known().items()
            if lang.page}


def page_language(code: str) -> PageLanguage:
    """The headings and phrasings of a page language, or :class:`OptionError` (exit 2)."""
    found = page_languages()
    try:
        return found[code]
    except KeyError:
        known = ", ".join(sorted(found))
        raise OptionError(f"--language: unknown page language {code!r} (known: {known})") from None


def slugify(text: str) -> str:
    """ASCII id from a name in any Latin-script language: accents folded, ß as ss."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:100].strip("-")


def _full_name(title: str, text: str) -> str:
    """The title as the page writes it in prose, e.g. with its parenthesis restored.

    The prose may start the name in lower case ("la patada de glúteo…"); the title's
    capital is kept.
    """
    words = re.findall(r"[\w'’]+", title)
    if not words:
        return title
    pattern = r"[\s(),\-–]*".join(re.escape(w) for w in words) + r"\)?"
    match = re.search(pattern, text, re.IGNORECASE)
    if match and match.group(0).count("(") == match.group(0).count(")"):
        found = match.group(0)
        return title[0] + found[1:] if found[0].lower() == title[0].lower() else found
    return title


def _split_list(phrase: str, lang: PageLanguage) -> list[str]:
    parts = re.split(lang.joiner, phrase)
    return [re.sub("^" + lang.articles, "", p.strip(" .")) for p in parts if p.strip(" .")]


def _muscles(text: str, lang: PageLanguage) -> dict[str, Any] | None:
    plain = re.search(lang.muscles, text)
    anatomy = re.search(lang.anatomy, text)
    if not plain:
        return None
    primary = _split_list(plain.group(1), lang)
    secondary = _split_list(plain.group(2), lang)

    def latin(names: list[str]) -> list[str]:  # German capitalises "Gluteus maximus"
        return [n[:1].lower() + n[1:] for n in names]

    a_primary = latin(_split_list(anatomy.group(1), lang)) if anatomy else []
    a_secondary = latin(_split_list(anatomy.group(2), lang)) if anatomy else []

    def pair(names: list[str], anat: list[str]) -> list[dict[str, Any]]:
        same = len(names) == len(anat)
        return [{"name": n, "anatomy": [anat[i]] if same else []} for i, n in enumerate(names)]

    muscles: dict[str, Any] = {"primary": pair(primary, a_primary)}
    if secondary:
        muscles["secondary"] = pair(secondary, a_secondary)
    return muscles


def _equipment(title: str, text: str, lang: PageLanguage) -> list[str]:
    found: list[str] = []
    low_title = title.lower()
    for word, name in lang.equipment.items():
        if word in low_title and name not in found:
            found.append(name)
    bench_word, bench = lang.bench
    if re.search(r"\b" + bench_word, text.lower()) and found and not any(
        bench_word in name.lower() for name in found
    ):
        found.append(bench)
    return found


def _other_language(heads: set[str], lang: PageLanguage) -> str:
    """A hint when the page's headings are those of another language."""
    for code, other in page_languages().items():
        if other != lang and set(other.sections) <= heads:
            return f"; the headings are {code!r}: use --language {code}"
    return ""


def parse_page(text: str, file: str, language: str = "en") -> Imported:
    """Turn page text into document data, or raise :class:`DocumentError`."""
    lang = page_language(language)
    sections = lang.sections
    lines = [ln.strip() for ln in text.split("\n")]
    numbered = [(i + 1, ln) for i, ln in enumerate(lines) if ln]
    if not numbered:
        raise DocumentError(file, "empty page")
    heads: dict[str, int] = {}
    for pos, (lineno, ln) in enumerate(numbered):
        if ln in sections:
            if ln in heads:
                raise DocumentError(file, f"section '{ln}' appears twice", line=lineno)
            heads[ln] = pos
    for name in sections:
        if name not in heads:
            hint = _other_language({ln for _, ln in numbered}, lang)
            raise DocumentError(file, f"missing the '{name}' section line (page layout){hint}")
    order = [heads[s] for s in sections]
    if order != sorted(order):
        raise DocumentError(file, "sections must come in the order: " + ", ".join(sections))

    title_line, title = numbered[0]
    if title in sections:
        raise DocumentError(file, "the first line must be the exercise title", line=title_line)
    overview = [ln for _, ln in numbered[1 : order[0]]]
    if not overview:
        raise DocumentError(
            file, f"no overview paragraphs before '{sections[0]}'", line=title_line
        )

    def bullets(start: int, end: int, section: str) -> list[str]:
        items = []
        for lineno, ln in numbered[start + 1 : end]:
            if not ln.startswith("- "):
                raise DocumentError(
                    file, f"{section}: expected a '- ' bullet, got {ln[:40]!r}", line=lineno
                )
            items.append(ln[2:].strip())
        if not items:
            raise DocumentError(file, f"{section}: no bullets", line=numbered[start][0])
        return items

    steps = bullets(order[0], order[1], sections[0])
    tips = bullets(order[1], order[2], sections[1])
    faq_lines = numbered[order[2] + 1 :]
    if len(faq_lines) % 2:
        raise DocumentError(
            file, f"{sections[2]}: a question has no answer", line=faq_lines[-1][0]
        )
    faq = [
        {"question": q, "answer": a}
        for (_, q), (_, a) in zip(faq_lines[::2], faq_lines[1::2], strict=True)
    ]

    prose = " ".join(overview + [f["question"] for f in faq])
    name = _full_name(title, prose)
    defaulted: list[str] = []
    left_out: list[str] = []
    muscles = _muscles(" ".join(overview), lang)
    if muscles is None:
        left_out.append("muscles (the page does not name them)")
    # a summary made of the overview's first sentence would be read twice in a row
    left_out.append("summary (the page has none; its overview opens the document)")
    equipment = _equipment(title, prose, lang)
    if not equipment:
        equipment = ["none"]
        defaulted.append("equipment")
    low = prose.lower()
    beginner = any(word in low for word in lang.beginner)
    level = "beginner" if beginner else "intermediate"
    if not beginner:
        defaulted.append("level")

    data: dict[str, Any] = {"id": slugify(name) or "exercise", "name": name}
    if name != title:
        data["aliases"] = [title]
    data.update(
        {
            "language": language,
            "overview": overview,
            **({"muscles": muscles} if muscles else {}),
            "equipment": equipment,
            "level": level,
            "steps": [{"text": s} for s in steps],
            "tips": tips,
            "faq": faq,
        }
    )
    try:
        Exercise.model_validate(data)
    except Exception as exc:  # keep the one-line promise even for odd pages
        reason = f"page does not make a valid document: {exc}".splitlines()[0]
        raise DocumentError(file, reason) from None
    return Imported(data, ORIGIN, defaulted=defaulted, left_out=left_out)


def import_page(path: str | Path, language: str = "en") -> Imported:
    """Read a page written in ``language`` (its headings and phrasings: see page_languages)."""
    page_language(language)  # an unknown language is refused before the file is read
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), exc.strerror or str(exc)) from None
    return parse_page(decode(raw, str(path)), str(path), language)


class PageImporter:
    """``import PAGE.txt``: one page, one document (see the module docstring)."""

    name = "page"
    description = "an exercise page in the plain-text layout (English, German, French, Spanish)"

    def run(self, source: Path, options: ImportOptions) -> Sequence[Result]:
        if options.ids or options.every:
            raise OptionError("--id/--all: a page is one exercise; they are for collections "
                              "such as --from free-exercise-db")
        return [import_page(source, options.language or "en")]
