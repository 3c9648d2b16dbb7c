"""Kinds of document, each registered once: its model, what it names, how it resolves,
and where its text model is built.

A kind is an entry point of the group ``kickback_export.kinds`` whose object is a
:class:`Kind`, so a package adds a kind of document (an athlete file, say) with one
module and one registration line: the loader picks its model by the file's top-level
``kind``, the resolver checks what it names, ``schema`` publishes it, and the build hands
its text model (built by the function ``text`` names) to every exporter. Nothing else in
the package lists the kinds.

A kind that names other documents says so in ``references`` (every id with the field it
is written in and the kind it must be) and puts them together in ``resolve``, which gets
the documents that resolved, by id, and raises :class:`Unresolved` for what it cannot
use. The generic checks — unknown ids, other kinds, other languages, documents with
problems of their own — are the resolver's (:mod:`.resolve`).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import PluginError, one_line

GROUP = "kickback_export.kinds"
DEFAULT = "exercise"
"""The kind of a document that names none (``kind`` is optional in an exercise)."""


@dataclass(frozen=True)
class Reference:
    """An id a document names: the field it is written in and the kind it must be."""

    where: str
    id: str
    kind: str


@dataclass(frozen=True)
class Target:
    """A named document that resolved, and its file (for messages)."""

    document: Any
    file: str


class Unresolved(Exception):
    """What a kind's ``resolve`` raises: ``(field, reason)`` for each problem."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{w}: {r}" for w, r in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Kind:
    """One kind of document (see the module docstring).

    ``model`` is a pydantic model with ``id`` and ``language`` fields; its JSON Schema is
    the kind's published schema. ``text`` is ``"module:function"``: the function takes the
    resolved document and a :class:`~kickback_export.content.text.Context` and returns its
    text model; it is imported only when a text model is built. ``uses`` lists the kinds
    its documents name, which are resolved first. A kind that is not ``exported`` (an
    athlete) is an input of a build: its files load and validate, a kind that ``uses`` it
    gets the one given to the build (``--athlete``) among its targets, and no format makes
    anything of it (it needs no ``text`` builder).
    """

    name: str
    model: type[Any]
    text: str
    description: str = ""
    uses: tuple[str, ...] = ()
    references: Callable[[Any], Iterable[Reference]] | None = None
    resolve: Callable[[Any, Mapping[str, Target]], Any] | None = None
    exported: bool = True

    def builder(self) -> Callable[..., Any]:
        """The text model builder ``text`` names."""
        module, _, name = self.text.partition(":")
        try:
            found: Callable[..., Any] = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as exc:
            raise PluginError(f"kind '{self.name}': its text builder '{self.text}' cannot "
                              f"be imported: {one_line(exc)}") from None
        return found


def _problem(name: str, kind: object) -> str | None:
    if not isinstance(kind, Kind):
        return f"is {type(kind).__name__}, expected {Kind.__module__}.Kind"
    if kind.name != name:
        return f"its name '{kind.name}' differs from its entry point name"
    fields = getattr(kind.model, "model_fields", None)
    wanted = {"id", "language"} if kind.exported else {"id"}
    if not isinstance(fields, dict) or not wanted <= set(fields):
        return (f"its model is not a pydantic model with "
                f"{' and '.join(repr(f) for f in sorted(wanted))} field{'s' * (len(wanted) > 1)}")
    if kind.exported and ":" not in kind.text:
        return f"'text' is {kind.text!r}, expected 'module:function'"
    return None


@dataclass(frozen=True)
class Kinds:
    """Every usable kind by name (the default first, then by name) and why others were
    left out."""

    found: Mapping[str, Kind]
    problems: tuple[str, ...] = ()

    def ordered(self) -> list[Kind]:
        """Kinds in the order they resolve: a kind after every kind it uses."""
        done: dict[str, Kind] = {}

        def visit(kind: Kind, path: tuple[str, ...]) -> None:
            if kind.name in done or kind.name in path:
                return
            for used in kind.uses:
                if used in self.found:
                    visit(self.found[used], (*path, kind.name))
            done[kind.name] = kind

        for kind in self.found.values():
            visit(kind, ())
        return list(done.values())


@functools.cache
def registered() -> Kinds:
    """Load every registered kind once per process."""
    from importlib.metadata import entry_points

    found: dict[str, Kind] = {}
    problems: list[str] = []
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.name != DEFAULT, e.name)):
        label = f"kind '{ep.name}' ({ep.value})"
        if ep.name in found:
            problems.append(f"{label}: the name is already taken; left out")
            continue
        try:
            kind = ep.load()
        except Exception as exc:
            problems.append(f"{label}: cannot be imported: {type(exc).__name__}: "
                            f"{one_line(exc)}")
            continue
        problem = _problem(ep.name, kind)
        if problem:
            problems.append(f"{label}: {problem}")
        else:
            found[ep.name] = kind
    return Kinds(found, tuple(problems))


def names() -> list[str]:
    return list(registered().found)


def exported(name: str) -> bool:
    """Whether documents of the kind ``name`` are exported (not an input such as an
    athlete); an unknown kind is."""
    found = registered().found.get(name)
    return found is None or found.exported


def get(name: str) -> Kind:
    """The kind called ``name``; a :class:`PluginError` for one that is not registered."""
    try:
        return registered().found[name]
    except KeyError:
        raise PluginError(f"kind '{name}' is not registered") from None


def kind_of(document: object) -> str:
    """The kind's name of a document, resolved or not (its ``kind``)."""
    return str(getattr(document, "kind", DEFAULT))


__all__ = ["DEFAULT", "GROUP", "Kind", "Kinds", "Reference", "Target", "Unresolved",
           "exported", "get", "kind_of", "names", "registered"]
