"""Importers: plug-ins that turn someone else's exercise data into documents.

An importer is found through the entry-point group ``kickback_export.importers``, like an
exporter, so a package adds one (wger, a spreadsheet …) without touching this one. It
reads its source and returns, per exercise, the document data it could make and what it
had to infer, leave out or flag — or a one-line refusal. The shared writer
(:mod:`.writer`) checks each document against the model and writes the YAML a person
would write, so everything after loading is the same as for a hand-written document.

Nothing heavy is imported here: ``import --help`` must not load the model or YAML.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ... import registry
from ...errors import OptionError

IMPORTERS = registry.IMPORTERS
DEFAULT = "page"


@dataclass(frozen=True)
class ImportOptions:
    """What the command line asks of an importer; each reads what applies to it."""

    ids: tuple[str, ...] = ()
    """Exercises to take from a collection (its own ids); empty with ``every``: all."""
    every: bool = False
    language: str | None = None
    """The source's language, when the importer cannot tell it."""


@dataclass
class Imported:
    """One document made by an importer, with what a reviewer should know about it.

    ``files`` maps a path relative to the document's folder to the file to copy there
    (pictures). The notes end up in the comment at the top of the written YAML.
    """

    data: dict[str, Any]
    origin: str
    """Where it came from, for the header: "an exercise page", "free-exercise-db (…)"."""
    defaulted: list[str] = field(default_factory=list)
    """Fields set to a default the source only implies: check them."""
    left_out: list[str] = field(default_factory=list)
    """Fields (and why) the source could not fill, left out of the document."""
    review: list[str] = field(default_factory=list)
    """Text the importer made up from the data (alt texts): review it."""
    changes: list[str] = field(default_factory=list)
    """What was moved or repaired (whitespace, "Tip:" sentences moved to tips)."""
    files: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """This document's own gaps, printed in one line when it is written."""

    def to_yaml(self) -> str:
        from .writer import render

        return render(self)


@dataclass(frozen=True)
class Refusal:
    """An exercise that does not make a valid document: printed as one line, not written."""

    label: str
    reason: str

    def __str__(self) -> str:
        return f"{self.label}: not written: {self.reason}"


Result = Imported | Refusal


@runtime_checkable
class Importer(Protocol):
    """What an importer plug-in provides: ``run`` reads ``source`` and returns a result per
    exercise it was asked for, in a stable order. A source that cannot be read at all is an
    :class:`~kickback_export.errors.InputError` (one line, exit 2)."""

    name: str
    description: str

    def run(self, source: Path, options: ImportOptions) -> Sequence[Result]: ...


class UnknownImporter(OptionError):
    """``--from`` names no registered importer."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        guess = difflib.get_close_matches(name, known, n=1)
        hint = f" — did you mean '{guess[0]}'?" if guess else ""
        super().__init__(
            f"--from: unknown importer '{name}'{hint} (known: {', '.join(known) or 'none'})"
        )


def names() -> list[str]:
    """The registered importers' names (their modules are not imported)."""
    from importlib.metadata import entry_points

    return sorted({ep.name for ep in entry_points(group=IMPORTERS)})


def importer(name: str) -> Importer:
    """The importer called ``name``, loaded and checked; an unknown name is an OptionError."""
    known = names()
    if name not in known:
        raise UnknownImporter(name, known)
    plugin: Importer = registry.lookup(IMPORTERS, name)
    return plugin
