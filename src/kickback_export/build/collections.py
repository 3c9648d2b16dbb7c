"""Collections through the build: which ones to make, their parts as they arrive, and their
assembly in the calling process (under the folder's lock, :mod:`.lock`).

A collection's ``scope`` says what it is made from. ``"build"`` (the default, the coaching
book): the documents of this build, all of them or it is not made. ``"folder"`` (the web
index): every document in the output folder. Its part for each document is kept in the
manifest with the hash of what made it, so an unchanged document is not read again, and
a build of some documents assembles it from their parts and the kept ones (in the order of
their sources' names). A kept part goes once the manifest no longer lists that document's
outputs by an exporter that makes the collection. It is assembled again only when its
parts or options changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import fsutil, registry
from . import manifest
from .manifest import Entry, Part

if TYPE_CHECKING:
    from ..content.text import TextModel
    from ..exporters import Collection as Plugin

BUILD, FOLDER = "build", "folder"
SCOPES = (BUILD, FOLDER)


def scope_of(collection: object) -> str:
    return str(getattr(collection, "scope", BUILD))


def collection_document(collection: object, values: Mapping[str, Any]) -> str:
    """A collection's manifest name: ``<name>:<file>`` when it is given a file name (so two
    books in one folder are two rows), else its name."""
    name = str(getattr(collection, "name", ""))
    declared = {opt.dest for opt in registry.options_of(collection)}
    file = values.get("file") if "file" in declared else None
    return f"{name}:{file}" if file else name


@dataclass
class Gathering:
    """A collection being made: its manifest key, input hash (of a build's collection) and
    the parts: a build's by the document's place in it; a folder's by document, those
    asked of the workers (source and input hash), made, and kept from the manifest."""

    collection: Plugin
    document: str
    key: str
    owners: frozenset[str] = frozenset()
    parts: dict[int, Any] = field(default_factory=dict)
    asked: dict[str, tuple[str, str]] = field(default_factory=dict)
    made: dict[str, Part] = field(default_factory=dict)
    kept: dict[str, Part] = field(default_factory=dict)
    failed: bool = False

    @property
    def pair(self) -> str:
        return f"{self.document}/{self.collection.name}"

    @property
    def folder(self) -> bool:
        return scope_of(self.collection) == FOLDER


Made = tuple[str, list[Entry], str]
"""A collection assembled: its ``<document>/<collection>`` key, rows and input hash."""


class Collections:
    """The collections of one build (the accounts; :class:`.state.BuildState` drives them)."""

    def __init__(self, out: Path, values: Mapping[str, Any], force: bool,
                 old: manifest.Manifest, problem: Callable[[BaseException, str], None],
                 progress: Callable[[str], None] | None, unchanged: list[Entry]) -> None:
        self.out, self.values, self.force, self.old = out, values, force, old
        self.problem, self.progress = problem, progress
        self.unchanged = unchanged  # the report's
        self.gathering: dict[str, Gathering] = {}

    def active(self) -> list[Gathering]:
        return [g for g in self.gathering.values() if not g.failed]

    def key(self, collection: object, key_of: str) -> str:
        return manifest.input_key(key_of, collection, self.values)

    def reusable(self, document: str, key_of: str) -> dict[str, Part] | None:
        """The kept parts of every folder collection for an unchanged document (None: a
        collection needs it read, to make its part)."""
        found: dict[str, Part] = {}
        for g in self.active():
            stored = self.old.parts.get(g.collection.name, {}).get(document)
            if (not g.folder or self.force or stored is None
                    or stored.inputs != self.key(g.collection, key_of)):
                return None
            found[g.collection.name] = stored
        return found

    def keep(self, document: str, parts: Mapping[str, Part]) -> None:
        for name, part in parts.items():
            self.gathering[name].kept[document] = part

    def wanted(self, text: TextModel, source: str, key_of: str) -> list[str]:
        """The collections that need a part made of this document."""
        names = []
        for g in self.active():
            if not registry.accepts(g.collection, text):
                continue
            if g.folder:
                key = self.key(g.collection, key_of)
                stored = self.old.parts.get(g.collection.name, {}).get(text.slug)
                if not self.force and stored is not None and stored.inputs == key:
                    g.kept[text.slug] = stored
                    continue
                g.asked[text.slug] = (source, key)
            names.append(g.collection.name)
        return names

    def arrived(self, name: str, index: int, slug: str, part: Any) -> str | None:
        """A part made by a worker; a line when a folder collection's is not JSON data."""
        g = self.gathering[name]
        if not g.folder:
            g.parts[index] = part
            return None
        try:
            data = json.loads(json.dumps(part, ensure_ascii=False, allow_nan=False))
        except (TypeError, ValueError) as exc:
            g.failed = True
            return f"its part is not JSON data, which a folder collection keeps ({exc})"
        source, key = g.asked[slug]
        g.made[slug] = Part(source, key, data)
        return None

    def spoil(self) -> None:
        """A document of the build is bad: no collection can be made complete."""
        for g in self.gathering.values():
            g.failed = True

    def assemble(self, texts: Mapping[str, TextModel], sources: Sequence[str],
                 key: Sequence[tuple[str, str]], rows: Mapping[str, Sequence[Entry]],
                 fresh: manifest.Manifest) -> tuple[list[Made], dict[str, dict[str, Part]]]:
        """Assemble every collection whose parts all arrived (a build's: one per document of
        the build it makes, named by ``sources`` and hashed in ``key``). ``rows``: the
        manifest's rows now, ``fresh``: the manifest as read under the lock. Returns what
        was made and the folder collections' parts to keep."""
        made: list[Made] = []
        parts = dict(fresh.parts)
        for g in self.gathering.values():
            if g.failed:
                continue
            if not g.folder:
                expected = sum(1 for text in texts.values()
                               if registry.accepts(g.collection, text))
                if len(g.parts) == expected:
                    ordered = [g.parts[i] for i in sorted(g.parts)]
                    hashed = manifest.input_key(key, g.collection, self.values)
                    made += self.publish(g, ordered, list(sources), hashed)
                continue
            if set(g.asked) - set(g.made):
                continue  # a part failed (reported)
            records = self.records(g, rows, fresh.parts.get(g.collection.name, {}))
            parts[g.collection.name] = records
            if not records:
                continue
            order = sorted(records, key=lambda doc: (records[doc].source, doc))
            hashed = manifest.input_key(
                [(records[doc].source, f"{doc} {_digest(records[doc].part)}") for doc in order],
                g.collection, self.values)
            previous = rows.get(g.pair, [])
            if (not self.force and fresh.inputs.get(g.pair) == hashed
                    and manifest.still_there(self.out, previous)):
                self.unchanged.extend(previous)
                continue
            made += self.publish(g, [records[doc].part for doc in order],
                                 list(dict.fromkeys(records[doc].source for doc in order)),
                                 hashed)
        return made, parts

    def records(self, g: Gathering, rows: Mapping[str, Sequence[Entry]],
                stored: Mapping[str, Part]) -> dict[str, Part]:
        """A folder collection's parts: this build's, and those kept while the manifest
        lists that document's outputs by an exporter that makes the collection (any
        output, when none does)."""
        listed = {e.document for pair in rows.values() for e in pair
                  if not g.owners or e.exporter in g.owners}
        return {**g.kept, **{d: p for d, p in stored.items() if d in listed or d in g.kept},
                **g.made}

    def publish(self, g: Gathering, parts: list[Any], names: list[str], key: str
                ) -> list[Made]:
        collection = g.collection
        try:
            with fsutil.staging_dir(self.out, collection.name) as stage:
                options = registry.Options(self.values)
                result = collection.assemble(parts, stage, options)
                outputs = registry.check_outputs(f"collection '{collection.name}'",
                                                 result, stage)
                rows = manifest.publish(outputs, stage, self.out, ".",
                                        document=g.document, source=tuple(names),
                                        exporter=collection.name)
        except Exception as exc:
            self.problem(exc, f"{collection.name}: ")
            return []
        if self.progress:
            self.progress(collection.name)
        return [(g.pair, rows, key)]

    def plan(self, chosen: Sequence[Plugin], digests: list[tuple[str, str]],
             complete: bool, owners: Mapping[str, Collection[str]]) -> None:
        """Skip each build's collection whose documents and options are unchanged; gather
        the others' parts (none when a document is missing or unreadable: it cannot be
        made). ``owners``: the exporters that make each collection."""
        own = {name for name, _ in digests}
        for collection in chosen:
            document = collection_document(collection, self.values)
            gathering = Gathering(collection, document, "", frozenset(
                owners.get(collection.name, ())), failed=not complete)
            if not gathering.folder:
                previous = self.old.rows.get(gathering.pair, [])
                # the files outside the build its workouts used last time are inputs too
                extra = sorted({n for e in previous for n in e.sources} - own)
                gathering.key = manifest.input_key(
                    digests + [(n, _sha256(n)) for n in extra], collection, self.values)
                if (complete and not self.force
                        and self.old.inputs.get(gathering.pair) == gathering.key
                        and manifest.still_there(self.out, previous)):
                    self.unchanged.extend(previous)
                    continue
            self.gathering[collection.name] = gathering


def _digest(part: Any) -> str:
    text = json.dumps(part, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sha256(name: str) -> str:
    """The hash of a file's bytes ("" when it cannot be read: then it counts as changed)."""
    try:
        return hashlib.sha256(Path(name).read_bytes()).hexdigest()
    except OSError:
        return ""
