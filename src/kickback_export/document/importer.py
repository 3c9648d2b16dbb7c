"""Importer for the plain-text exercise page layout.

A page is: a title line; overview paragraphs; a line ``Instructions`` with
``- `` bullets; a line ``Tips & Tricks`` with ``- `` bullets; a line
``Frequently Asked Questions`` with alternating question and answer lines.
Every sentence of the page lands in the document, in order. What a page cannot
give (cues, prescription, cautions, image description) is left out; fields the
format requires but the page only implies (muscles, equipment, level) are read
from the usual phrasings when present and otherwise filled with defaults that
the written YAML flags in a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .loader import DocumentError, _decode
from .model import Exercise

SECTIONS = ("Instructions", "Tips & Tricks", "Frequently Asked Questions")
EQUIPMENT_WORDS = {
    "resistance band": "resistance band",
    "band": "resistance band",
    "dumbbell": "dumbbell",
    "kettlebell": "kettlebell",
    "barbell": "barbell",
    "cable": "cable machine",
    "bench": "bench",
    "smith machine": "Smith machine",
    "medicine ball": "medicine ball",
    "pull-up bar": "pull-up bar",
}


@dataclass
class Imported:
    """The document data plus the names of the fields filled with defaults."""

    data: dict[str, Any]
    defaulted: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        head = "# yaml-language-server: $schema=../schema/exercise.schema.json\n"
        head += "# Imported from an exercise page."
        if self.defaulted:
            head += " Defaults to check: " + ", ".join(self.defaulted) + "."
        body = yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True, width=88)
        return head + "\n" + body


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100].strip("-")


def _full_name(title: str, text: str) -> str:
    """The title as the page writes it in prose, e.g. with its parenthesis restored."""
    words = re.findall(r"[\w'’]+", title)
    if not words:
        return title
    pattern = r"[\s(),\-–]*".join(re.escape(w) for w in words) + r"\)?"
    match = re.search(pattern, text)
    if match and match.group(0).count("(") == match.group(0).count(")"):
        return match.group(0)
    return title


def _split_list(phrase: str) -> list[str]:
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", phrase)
    return [re.sub(r"^(?:the|your)\s+", "", p.strip(" .")) for p in parts if p.strip(" .")]


def _muscles(text: str) -> dict[str, Any] | None:
    plain = re.search(
        r"primarily targets the ([^,.]+?), with (?:the )?(.+?) (?:contributing|helping|assisting)",
        text,
    )
    anatomy = re.search(r"main demand falls on the ([^,.]+?), with help from the (.+?)\.", text)
    if not plain:
        return None
    primary = _split_list(plain.group(1))
    secondary = _split_list(plain.group(2))
    a_primary = _split_list(anatomy.group(1)) if anatomy else []
    a_secondary = _split_list(anatomy.group(2)) if anatomy else []

    def pair(names: list[str], anat: list[str]) -> list[dict[str, Any]]:
        same = len(names) == len(anat)
        return [{"name": n, "anatomy": [anat[i]] if same else []} for i, n in enumerate(names)]

    muscles: dict[str, Any] = {"primary": pair(primary, a_primary)}
    if secondary:
        muscles["secondary"] = pair(secondary, a_secondary)
    return muscles


def _equipment(title: str, text: str) -> list[str]:
    found: list[str] = []
    low_title = title.lower()
    for word, name in EQUIPMENT_WORDS.items():
        if word in low_title and name not in found:
            found.append(name)
    if "bench" in text.lower() and "bench" not in found and found:
        found.append("bench or other support")
    return found


def _first_sentence(paragraph: str) -> str:
    match = re.match(r"(.+?[.!?])(?:\s|$)", paragraph)
    return match.group(1) if match else paragraph


def parse_page(text: str, file: str) -> Imported:
    """Turn page text into document data, or raise :class:`DocumentError`."""
    lines = [ln.strip() for ln in text.split("\n")]
    numbered = [(i + 1, ln) for i, ln in enumerate(lines) if ln]
    if not numbered:
        raise DocumentError(file, "empty page")
    heads: dict[str, int] = {}
    for pos, (lineno, ln) in enumerate(numbered):
        if ln in SECTIONS:
            if ln in heads:
                raise DocumentError(file, f"section '{ln}' appears twice", line=lineno)
            heads[ln] = pos
    for name in SECTIONS:
        if name not in heads:
            raise DocumentError(file, f"missing the '{name}' section line (page layout)")
    order = [heads[s] for s in SECTIONS]
    if order != sorted(order):
        raise DocumentError(file, "sections must come in the order: " + ", ".join(SECTIONS))

    title_line, title = numbered[0]
    if title in SECTIONS:
        raise DocumentError(file, "the first line must be the exercise title", line=title_line)
    overview = [ln for _, ln in numbered[1 : order[0]]]
    if not overview:
        raise DocumentError(file, "no overview paragraphs before 'Instructions'", line=title_line)

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

    steps = bullets(order[0], order[1], "Instructions")
    tips = bullets(order[1], order[2], "Tips & Tricks")
    faq_lines = numbered[order[2] + 1 :]
    if len(faq_lines) % 2:
        raise DocumentError(
            file, "Frequently Asked Questions: a question has no answer", line=faq_lines[-1][0]
        )
    faq = [
        {"question": q, "answer": a}
        for (_, q), (_, a) in zip(faq_lines[::2], faq_lines[1::2], strict=True)
    ]

    prose = " ".join(overview + [f["question"] for f in faq])
    name = _full_name(title, prose)
    defaulted: list[str] = []
    muscles = _muscles(" ".join(overview))
    if muscles is None:
        muscles = {"primary": [{"name": "unspecified"}]}
        defaulted.append("muscles")
    equipment = _equipment(title, prose)
    if not equipment:
        equipment = ["none"]
        defaulted.append("equipment")
    low = prose.lower()
    level = "beginner" if "beginner" in low else "intermediate"
    if "beginner" not in low:
        defaulted.append("level")

    data: dict[str, Any] = {"id": slugify(name) or "exercise", "name": name}
    if name != title:
        data["aliases"] = [title]
    data.update(
        {
            "language": "en",
            "summary": _first_sentence(overview[0]),
            "overview": overview,
            "muscles": muscles,
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
    return Imported(data, defaulted)


def import_page(path: str | Path) -> Imported:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), exc.strerror or str(exc)) from None
    return parse_page(_decode(raw, str(path)), str(path))
