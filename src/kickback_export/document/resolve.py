"""References between documents: each workout gets its exercises, each program its workouts.

A file alone cannot know whether the ``id`` it names exists, so the documents of a
build are loaded first and resolved together here. Every problem is one
:class:`~..errors.DocumentError` naming the file, the field and the line, as for a
bad field. One bad document does not stop the others: :func:`resolve_all` returns what
resolved and the problems; a workout whose exercise is bad, or a program whose workout
is, is reported and left out. Kinds do not nest (a workout's entries name exercises, a
program's days name workouts), so a reference to a document of another kind, the
document itself included, is refused: no reference can form a cycle.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DocumentError
from .loader import Document, Loaded, kind_of
from .model import Exercise
from .workout import (
    Circuit,
    CircuitEntry,
    Entry,
    Program,
    ResolvedProgram,
    ResolvedWorkout,
    Superset,
    TimedItem,
    Workout,
    effective_prescription,
)

Resolved = Exercise | ResolvedWorkout | ResolvedProgram
"""What an exporter receives: an exercise, or a workout or program with what it uses."""


@dataclass
class Resolution:
    """The documents that resolved, by id; the problems; what each document was made from."""

    documents: dict[str, Resolved] = field(default_factory=dict)
    problems: list[DocumentError] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    """The file of each document id."""
    uses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Every document id a workout or program is made from (a program: its workouts and
    their exercises), in first-use order."""

    def files_of(self, document_id: str) -> tuple[str, ...]:
        """The files a document is made from: its own, then those of what it uses."""
        return (self.files[document_id], *(self.files[u] for u in self.uses.get(document_id, ())))


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


def _guess(name: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" — did you mean '{match[0]}'?" if match else ""


def _entries(w: Workout) -> Iterator[tuple[str, Entry | CircuitEntry, int | None]]:
    """Every exercise entry with its field path and the sets a circuit's rounds fix."""
    for name, items in (("warm_up", w.warm_up), ("cool_down", w.cool_down)):
        for i, item in enumerate(items):
            if not isinstance(item, TimedItem):
                yield f"{name}[{i}]", item, None
    for i, block in enumerate(w.blocks):
        if isinstance(block, Superset):
            for j, entry in enumerate(block.superset):
                yield f"blocks[{i}].superset[{j}]", entry, None
        elif isinstance(block, Circuit):
            for j, station in enumerate(block.circuit):
                yield f"blocks[{i}].circuit[{j}]", station, block.rounds
        else:
            yield f"blocks[{i}]", block, None


class _Resolver:
    def __init__(self) -> None:
        self.out = Resolution()
        self.loaded: dict[str, Loaded] = {}

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

    def reference(self, src: Loaded, where: str, ref: str, kind: str) -> Loaded | None:
        """The document ``ref`` names, when it is of ``kind``; else one problem."""
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
                       f"name {'an' if kind == 'exercise' else 'a'} {kind}")
            return None
        if found != kind:
            self.error(src, where, f"'{ref}' is {'an' if found == 'exercise' else 'a'} {found} "
                       f"({target.file}); a {this} names {kind}s here")
            return None
        if _primary(target.document.language) != _primary(src.document.language):
            self.error(src, where, f"{kind} '{ref}' is in '{target.document.language}', "
                       f"this {this} in '{src.document.language}'")
            return None
        return target

    def workout(self, src: Loaded, w: Workout) -> ResolvedWorkout | None:
        problems = len(self.out.problems)
        for where, entry, sets in _entries(w):
            target = self.reference(src, f"{where}.exercise", entry.exercise, "exercise")
            if target is None:
                continue
            assert isinstance(target.document, Exercise)
            if target.document.prescription is None:
                self.error(src, f"{where}.exercise", f"exercise '{entry.exercise}' has no "
                           f"prescription to train from (add one to {target.file})")
                continue
            try:
                effective_prescription(target.document, entry, sets)
            except ValueError as exc:
                self.error(src, where, str(exc))
        if len(self.out.problems) > problems:
            return None
        exercises = {i: self.out.documents[i] for i in w.exercise_ids()}
        resolved = ResolvedWorkout(w, exercises)  # type: ignore[arg-type]
        # Every output reads the plan: one that cannot be made is this file's problem,
        # found here so validate and build refuse it alike.
        from ..content.workout_plan import plan

        try:
            plan(resolved)
        except ValueError as exc:
            self.error(src, "blocks", str(exc))
            return None
        self.out.uses[w.id] = tuple(exercises)
        return resolved

    def program(self, src: Loaded, p: Program) -> ResolvedProgram | None:
        problems = len(self.out.problems)
        workouts: dict[str, ResolvedWorkout] = {}
        seen: set[str] = set()  # each workout is checked (and reported) once
        for i, week in enumerate(p.weeks):
            for j, day in enumerate(week.days):
                where = f"weeks[{i}].days[{j}].workout"
                if day.workout is None or day.workout in seen:
                    continue
                seen.add(day.workout)
                target = self.reference(src, where, day.workout, "workout")
                if target is None:
                    continue
                resolved = self.out.documents.get(day.workout)
                if not isinstance(resolved, ResolvedWorkout):
                    self.error(src, where, f"workout '{day.workout}' cannot be used: "
                               f"{target.file} has a problem of its own")
                    continue
                workouts[day.workout] = resolved
        if len(self.out.problems) > problems:
            return None
        uses = {w: None for w in workouts}
        for w in workouts:
            uses.update(dict.fromkeys(self.out.uses[w]))
        self.out.uses[p.id] = tuple(uses)
        return ResolvedProgram(p, workouts)

    def run(self) -> Resolution:
        for kind in ("exercise", "workout", "program"):
            for doc_id in self.of_kind(kind):
                src = self.loaded[doc_id]
                doc = src.document
                resolved: Resolved | None = (
                    self.workout(src, doc) if isinstance(doc, Workout)
                    else self.program(src, doc) if isinstance(doc, Program) else doc)
                if resolved is not None:
                    self.out.documents[doc_id] = resolved
        return self.out


def references(document: Document) -> list[str]:
    """The ids a document names: a workout's exercises, a program's workouts."""
    if isinstance(document, Workout):
        return document.exercise_ids()
    return document.workout_ids() if isinstance(document, Program) else []


def neighbours(documents: Sequence[Loaded], load: Callable[[Path], Loaded | None],
               suffixes: tuple[str, ...] = (".yaml", ".yml")) -> list[Loaded]:
    """The documents beside a workout or program that it names (directly or through a
    workout) and ``documents`` lack, so a workout file built or checked alone finds its
    exercises in its own folder. ``load`` reads a file (None: unusable, left out)."""
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


def resolve_all(documents: Iterable[Loaded | tuple[str, Document]]) -> Resolution:
    """Resolve the documents of one build, given as :class:`Loaded` (with field lines) or
    ``(file, document)`` pairs: everything that resolved, and a problem per reference
    that did not (the first document with an id keeps it)."""
    resolver = _Resolver()
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
