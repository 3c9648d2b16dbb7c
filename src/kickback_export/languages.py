"""Where a language's files are: its phrase catalog and its one metadata block.

A language is its catalog (``locales/<lang>/LC_MESSAGES/kickback_export.po``, read by
:mod:`~kickback_export.content.phrases`) and one block of ``locales/languages.yaml``
(:class:`Language`: its braille table, how an exercise page in it is written). Folders
named in ``KICKBACK_EXPORT_LOCALES`` (a translator's work in progress, a test's language)
have the same layout and come first. Nothing else lists languages.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOCALES = Path(__file__).resolve().parent / "locales"
ENV = "KICKBACK_EXPORT_LOCALES"
METADATA = "languages.yaml"


def folders() -> list[Path]:
    """The locale folders, searched in order: those of the environment, then the package's."""
    extra = [Path(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p]
    return [*extra, LOCALES]


@dataclass(frozen=True)
class Language:
    """A language's metadata block (``code`` is its primary subtag, e.g. ``de``)."""

    code: str
    braille: str | None = None
    """The liblouis table of its grade 2 braille."""
    page: Mapping[str, Any] = field(default_factory=dict)
    """How an exercise page in it writes its headings and phrasings (the page importer)."""


@functools.cache
def _known(paths: tuple[Path, ...]) -> dict[str, Language]:
    import yaml

    found: dict[str, Language] = {}
    for folder in paths:
        file = folder / METADATA
        if not file.is_file():
            continue
        for code, block in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items():
            found.setdefault(str(code), Language(str(code), block.get("braille"),
                                                 block.get("page") or {}))
    return found


def known() -> dict[str, Language]:
    """Every language with a metadata block, by code."""
    return _known(tuple(folders()))


def language(tag: str) -> Language | None:
    """The metadata of a BCP 47 tag's language (``de-AT`` → ``de``), None without any."""
    return known().get(tag.split("-")[0].split("_")[0].lower())


__all__ = ["ENV", "LOCALES", "Language", "folders", "known", "language"]
