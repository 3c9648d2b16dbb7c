"""References between documents: each document gets the documents it names.

A file alone cannot know whether the ``id`` it names exists, so the documents of a
build are loaded first and resolved together here. Every problem is one
:class:`~..errors.DocumentError` naming the file, the field and the line, as for a
bad field. One bad document does not stop the others: :func:`resolve_all` returns what
resolved and the problems; a document that names a bad one is reported and left out.

What a kind names, and how its documents are put together, is the kind's
(:mod:`.kinds`); the checks every reference gets are here: the id exists (else a
guess at the one meant), it is a document of the kind the field wants (so a document
naming itself, or a kind naming its own kind, is refused: no reference can form a
cycle), in the same language, and it resolved itself. Kinds resolve in the order their
``uses`` give, so what a document names is resolved before it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from . import kinds
from .kinds import Target, Unresolved, kind_of
from .loader import Document, Loaded

Resolved = Any
"""A document with what it uses: an exercise, a resolved workout, a resolved program, or
what another kind's ``resolve`` returns."""


@dataclass
class Resolution:
    """The documents that resolved, by id; the problems; what each document was made from."""

    documents: dict[str, Resolved] = field(default_factory=dict)
    problems: list[DocumentError] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    """The file of each document id."""
    uses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Every document id a document is made from (a program: its workouts and their
    exercises), in first-use order."""

    def files_of(self, document_id: str) -> tuple[str, ...]:
        """The files a document is made from: its own, then those of what it uses."""
        return (self.files[document_id], *(self.files[u] for u in self.uses.get(document_id, ())))


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


def _guess(name: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" — did you mean '{match[0]}'?" if match else ""


def _a(kind: str) -> str:
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


class _Resolver:
    def __init__(self, inputs: Sequence[Loaded] = ()) -> None:
        self.out = Resolution()
        self.loaded: dict[str, Loaded] = {}
        self.inputs = list(inputs)
        for given in self.inputs:
            self.out.files.setdefault(given.document.id, given.file)

    def error(self, src: Loaded, where: str, reason: str) -> None:
        self.out.problems.append(DocumentError(src.file, reason, field=where,
                                               line=src.lines.get(where)))

    def add(self, src: Loaded) -> None:
        doc_id = src.document.id
        if doc_id in self.loaded:
            self.error(src, "id", f"'{doc_id}' is already used by {self.loaded[doc_id].file}")
            return
        self.loaded[doc_id] = src
        self.out.files[doc_id] = src.file

    def of_kind(self, kind: str) -> list[str]:
        return [i for i, s in self.loaded.items() if kind_of(s.document) == kind]

    def unusable(self, src: Loaded, ref: str) -> str | None:
        """The file named ``ref`` beside ``src`` that did not load (its own problem was
        reported), so a missing id there is not called unknown."""
        loaded = {Path(s.file).resolve() for s in self.loaded.values()}
        for suffix in (".yaml", ".yml"):
            file = Path(src.file).with_name(ref + suffix)
            if file.is_file() and file.resolve() not in loaded:
                return str(file)
        return None

    def reference(self, src: Loaded, where: str, ref: str, kind: str) -> Target | None:
        """The resolved document ``ref`` names, when it is of ``kind``; else one problem."""
        target = self.loaded.get(ref)
        this = kind_of(src.document)
        if target is None:
            if broken := self.unusable(src, ref):
                self.error(src, where, f"{kind} '{ref}' cannot be used: {broken} has a "
                           "problem of its own")
            else:
                self.error(src, where,
                           f"unknown {kind} '{ref}'{_guess(ref, self.of_kind(kind))}")
            return None
        found = kind_of(target.document)
        if target is src:
            self.error(src, where, f"'{ref}' is this {this} itself (a reference cycle); "
                       f"name {_a(kind)}")
            return None
        if found != kind:
            self.error(src, where, f"'{ref}' is {_a(found)} ({target.file}); a {this} "
                       f"names {kind}s here")
            return None
        if _primary(target.document.language) != _primary(src.document.language):
            self.error(src, where, f"{kind} '{ref}' is in '{target.document.language}', "
                       f"this {this} in '{src.document.language}'")
            return None
        resolved = self.out.documents.get(ref)
        if resolved is None:
            self.error(src, where, f"{kind} '{ref}' cannot be used: {target.file} has a "
                       "problem of its own")
            return None
        return Target(resolved, target.file)

    def resolve(self, kind: kinds.Kind, src: Loaded) -> Resolved | None:
        """The document with what it names, or None (its problems reported)."""
        if kind.references is None:
            return src.document
        problems = len(self.out.problems)
        targets: dict[str, Target] = {}
        for ref in kind.references(src.document):
            target = self.reference(src, ref.where, ref.id, ref.kind)
            if target is not None:
                targets[ref.id] = target
        for given in self.inputs:  # the build's inputs of a kind it uses (an athlete)
            if kind_of(given.document) in kind.uses:
                targets[given.document.id] = Target(given.document, given.file)
        resolved: Resolved | None = None
        try:  # asked even after a bad reference: its own problems are reported too
            resolved = kind.resolve(src.document, targets) if kind.resolve else src.document
        except Unresolved as exc:
            for where, reason in exc.problems:
                self.error(src, where, reason)
        if len(self.out.problems) > problems:  # in the order of the file's lines
            mine = self.out.problems[problems:]
            mine.sort(key=lambda p: p.line if p.line is not None else 1 << 30)
            self.out.problems[problems:] = mine
            return None
        uses = dict.fromkeys(targets)  # what it names, then what those use
        for named in targets:
            uses.update(dict.fromkeys(self.out.uses.get(named, ())))
        self.out.uses[src.document.id] = tuple(uses)
        return resolved

    def run(self) -> Resolution:
        for kind in kinds.registered().ordered():
            for doc_id in self.of_kind(kind.name):
                resolved = self.resolve(kind, self.loaded[doc_id])
                if resolved is not None:
                    self.out.documents[doc_id] = resolved
        return self.out


def references(document: Document) -> list[str]:
    """The ids a document names (a workout's exercises, a program's workouts)."""
    found = kinds.registered().found.get(kind_of(document))
    if found is None or found.references is None:
        return []
    return list(dict.fromkeys(ref.id for ref in found.references(document)))


def neighbours(documents: Sequence[Loaded], load: Callable[[Path], Loaded | None],
               suffixes: tuple[str, ...] = (".yaml", ".yml")) -> list[Loaded]:
    """The documents beside a document that names others, that it names (directly or
    through what it names) and ``documents`` lack, so a workout file built or checked
    alone finds its exercises in its own folder. ``load`` reads a file (None: unusable,
    left out)."""
    have = {d.document.id for d in documents}
    wanted = [r for d in documents for r in references(d.document) if r not in have]
    if not wanted:
        return []
    seen = {Path(d.file).resolve() for d in documents}
    pool: dict[str, Loaded] = {}
    for folder in sorted({Path(d.file).parent for d in documents if references(d.document)}):
        for file in sorted(folder.iterdir()):
            if file.suffix in suffixes and file.is_file() and file.resolve() not in seen:
                seen.add(file.resolve())
                loaded = load(file)
                if loaded is not None:
                    pool.setdefault(loaded.document.id, loaded)
    found: dict[str, Loaded] = {}
    while wanted:
        name = wanted.pop()
        if name in pool and name not in found and name not in have:
            found[name] = pool[name]
            wanted += references(pool[name].document)
    return list(found.values())


def _loaded(item: Loaded | tuple[str, Document]) -> Loaded:
    return item if isinstance(item, Loaded) else Loaded(item[0], item[1])


def resolve_all(documents: Iterable[Loaded | tuple[str, Document]],
                inputs: Sequence[Loaded] = ()) -> Resolution:
    """Resolve the documents of one build, given as :class:`Loaded` (with field lines) or
    ``(file, document)`` pairs: everything that resolved, and a problem per reference
    that did not (the first document with an id keeps it). ``inputs`` are documents of
    kinds that are not exported (the athlete of ``--athlete``), offered to each document
    whose kind uses theirs; they are among what its outputs are made from."""
    resolver = _Resolver(inputs)
    for item in documents:
        resolver.add(_loaded(item))
    return resolver.run()


def resolve(documents: Iterable[Loaded | tuple[str, Document]]) -> dict[str, Resolved]:
    """Every document by id, resolved; raises the first problem as a DocumentError."""
    resolution = resolve_all(documents)
    if resolution.problems:
        raise resolution.problems[0]
    return resolution.documents


__all__ = ["Resolution", "Resolved", "neighbours", "references", "resolve", "resolve_all"]
