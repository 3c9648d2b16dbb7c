"""Exporter registry: formats are discovered through the ``kickback_export.exporters``
entry-point group, so a third-party package adds a format without touching this one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .document.model import Exercise
from .errors import ContentError as ContentError

GROUP = "kickback_export.exporters"


@dataclass(frozen=True)
class Option:
    """An exporter-specific setting, offered on the command line as ``--<name>``."""

    name: str
    help: str
    default: Any = None
    type: type = str
    choices: Sequence[str] | None = None
    flag: bool = False  # a boolean switch (``--name``) rather than ``--name VALUE``

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")


@dataclass(frozen=True)
class Output:
    """One file an exporter wrote."""

    path: Path
    media_type: str


@dataclass(frozen=True)
class Options:
    """Settings handed to ``export``; each exporter reads the ones it declared."""

    values: Mapping[str, Any] = field(default_factory=dict)
    jobs: int = 1
    """Documents being exported in parallel: an exporter that starts processes of its own
    shares the cores with the other documents (``cores // jobs``)."""

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name.replace("-", "_"))
        return default if value is None else value


@runtime_checkable
class Exporter(Protocol):
    """What a format plug-in provides. ``export`` writes files atomically and lists them."""

    name: str
    description: str
    options: Sequence[Option]

    def export(self, document: Exercise, out_dir: Path, options: Options) -> list[Output]: ...



class UnknownFormat(LookupError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        guess = difflib.get_close_matches(name, known, n=1)
        hint = f" — did you mean '{guess[0]}'?" if guess else ""
        super().__init__(f"unknown format '{name}'{hint} (known: {', '.join(known) or 'none'})")


def discover(problems: list[str] | None = None) -> dict[str, Exporter]:
    """Load every registered exporter, keyed by name, in name order.

    A plug-in that fails to load is left out (and described in ``problems``) so
    that one broken package cannot take the other formats down.
    """
    found: dict[str, Exporter] = {}
    for ep in entry_points(group=GROUP):
        try:
            obj = ep.load()
            exporter = obj() if isinstance(obj, type) else obj
        except Exception as exc:
            if problems is not None:
                problems.append(f"exporter '{ep.name}' ({ep.value}) failed to load: {exc}")
            continue
        if not isinstance(exporter, Exporter):
            if problems is not None:
                problems.append(f"exporter '{ep.name}' ({ep.value}) lacks name/description/export")
            continue
        found[ep.name] = exporter
    return dict(sorted(found.items()))


def select(names: Sequence[str] | None, available: Mapping[str, Exporter]) -> list[Exporter]:
    """The exporters named (all when ``names`` is empty), or ``UnknownFormat``."""
    if not names:
        return list(available.values())
    chosen = []
    for name in names:
        if name not in available:
            raise UnknownFormat(name, list(available))
        chosen.append(available[name])
    return chosen
