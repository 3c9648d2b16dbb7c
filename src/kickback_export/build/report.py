"""What a build reports (the files written and kept, the problems with their exit codes)
and the small values its steps pass around: a source as read, a path as the user types
it, an output's input hash."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from . import manifest
from .manifest import Entry


@dataclass(frozen=True)
class Problem:
    """A document or an output that failed, with the exit code it calls for."""

    message: str
    code: int = 1


@dataclass
class Report:
    written: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    documents: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    """Documents of each kind (exercise, workout, program)."""
    notes: list[str] = field(default_factory=list)
    """Lines that change nothing in the exit code (a named format skipping a kind)."""
    out: Path | None = None
    """The output folder (``OUT/<athlete id>`` for an athlete's build)."""

    @property
    def exit_code(self) -> int:
        return max((p.code for p in self.problems), default=0)


def input_key(source_sha256: str, exporter: object, values: Mapping[str, Any]) -> str:
    """Hash of everything an export depends on: the source bytes, the exporter and its options."""
    return manifest.input_key(source_sha256, exporter, values)


@dataclass
class Source:
    """One document file as read: its bytes and their hash (None when it could not be read)."""

    file: Path
    name: str
    raw: bytes | None = None
    digest: str = ""


def display(path: Path) -> str:
    """The path as the user would type it: relative below the current folder, else as given."""
    try:
        rel = Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if rel.parts[:1] == ("..",) else rel.as_posix()


def where_prefix(exc: BaseException, source: Source) -> str:
    """The prefix naming the file (a DocumentError names it itself, with the line)."""
    return "" if isinstance(exc, errors.DocumentError) else f"{source.name}: "
