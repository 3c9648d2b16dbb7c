"""The state of one build, from the old manifest to the new one: what is unchanged, what
each document still needs, what was published, and the problems, each with its exit code.
:mod:`.build` drives it; this module only keeps the accounts.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import errors, fsutil, registry
from . import manifest
from .manifest import MANIFEST
from .manifest import Entry as Entry
from .runner import Failure, Result, Staged, Task

if TYPE_CHECKING:
    from ..content.text import Context, TextModel
    from ..document.loader import Loaded
    from ..exporters import Collection, Exporter


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


def _sha256(name: str) -> str:
    """The hash of a file's bytes ("" when it cannot be read: then it counts as changed)."""
    try:
        return hashlib.sha256(Path(name).read_bytes()).hexdigest()
    except OSError:
        return ""


def where_prefix(exc: BaseException, source: Source) -> str:
    """The prefix naming the file (a DocumentError names it itself, with the line)."""
    return "" if isinstance(exc, errors.DocumentError) else f"{source.name}: "


@dataclass
class Gathering:
    """A collection being made: its manifest key, input hash and the parts that arrived."""

    collection: Collection
    document: str
    key: str
    parts: dict[int, Any] = field(default_factory=dict)
    failed: bool = False

    @property
    def pair(self) -> str:
        return f"{self.document}/{self.collection.name}"


@dataclass
class Resolved:
    """What :meth:`BuildState.resolve` found: each document that resolved (its place in the
    build, source, resolved document, the hash of every file it is made from, the names of
    the others) and the ids of the documents with outputs in ``OUT`` after the build
    (its pages may link to those)."""

    documents: list[tuple[int, Source, Any, str, tuple[str, ...]]]
    linked: frozenset[str]


def collection_document(collection: object, values: Mapping[str, Any]) -> str:
    """A collection's manifest name: ``<name>:<file>`` when it is given a file name (so two
    books in one folder are two rows), else its name."""
    name = str(getattr(collection, "name", ""))
    declared = {opt.dest for opt in registry.options_of(collection)}
    file = values.get("file") if "file" in declared else None
    return f"{name}:{file}" if file else name


class BuildState:
    """The state of one build, from the old manifest to the new one."""

    def __init__(self, out: Path, values: Mapping[str, Any], force: bool,
                 exporters: Sequence[Exporter], report: Report,
                 progress: Callable[[str], None] | None, named: set[Path] | None = None) -> None:
        self.out, self.values, self.force = out, values, force
        self.exporters = exporters
        self.named = named  # the files given by name when formats were (None: no formats)
        self.kinds: dict[str, str] = {}  # source name → the kind of its document
        self.texts: dict[str, TextModel] = {}  # source name → its text model
        self.digests: list[tuple[str, str]] = []  # each source and its hash, as read
        self.borrowed: dict[str, str] = {}  # a used file outside the build → its hash
        self.report = report
        self.progress = progress
        self.old = manifest.read(out)
        self.sources: dict[str, dict[str, Any]] = {}
        self.seen: dict[str, str] = {}  # document id → the source that has it
        self.done: dict[str, list[Entry]] = {}
        self.keys: dict[str, str] = {}
        self.failed: set[str] = set()
        self.gathering: dict[str, Gathering] = {}

    def problem(self, exc: BaseException, prefix: str = "") -> None:
        """One line for ``exc``, with the exit code the error rule gives it."""
        message = f"{prefix}{errors.one_line(exc)}"
        self.report.problems.append(Problem(message, errors.exit_code(exc)))

    def plan_collections(self, collections: Sequence[Collection],
                         sources: Sequence[Source], complete: bool) -> None:
        """Skip each collection whose documents and options are unchanged; gather the
        others' parts (none when a document is missing or unreadable: it cannot be made)."""
        self.digests = named = [(s.name, s.digest) for s in sources]
        own = {s.name for s in sources}
        for collection in collections:
            document = collection_document(collection, self.values)
            pair = f"{document}/{collection.name}"
            previous = self.old.rows.get(pair, [])
            # the files outside the build its workouts used last time are inputs too
            extra = sorted({n for e in previous for n in e.sources} - own)
            key = manifest.input_key(named + [(n, _sha256(n)) for n in extra], collection,
                                     self.values)
            if (complete and not self.force and self.old.inputs.get(pair) == key
                    and manifest.still_there(self.out, previous)):
                self.report.unchanged.extend(previous)
                continue
            self.gathering[collection.name] = Gathering(collection, document, key,
                                                         failed=not complete)

    def unchanged(self, source: Source) -> bool:
        """The source's bytes and every export's inputs are as the manifest says (or the
        exporter made nothing of it for the same inputs), its files are in place and no
        collection needs it: not even parsed again. Only a document that names no other
        can be: the others depend on more files than their own."""
        from ..document import kinds

        known = self.old.sources.get(source.name, {})
        document = known.get("document")
        kind = kinds.registered().found.get(str(known.get("kind", kinds.DEFAULT)))
        if (self.force or known.get("sha256") != source.digest or not isinstance(document, str)
                or kind is None or kind.references is not None
                or document in self.seen or any(not g.failed for g in self.gathering.values())):
            return False
        declined: dict[str, str] = known.get("declined") or {}
        pairs = [(e, f"{document}/{e.name}") for e in self.exporters]
        made = [(e, pair) for e, pair in pairs
                if declined.get(e.name) != input_key(source.digest, e, self.values)]
        if not all(self.old.inputs.get(pair) == input_key(source.digest, e, self.values)
                   and manifest.still_there(self.out, self.old.rows.get(pair, []))
                   for e, pair in made):
            return False
        self.seen[document] = source.name
        self.sources[source.name] = known
        self.kinds[source.name] = kind.name
        self.count(kind.name)
        for _, pair in made:
            self.report.unchanged.extend(self.old.rows[pair])
        return True

    def text(self, source: Source, document: Any, context: Context) -> TextModel | None:
        """The document's text model, made once (None: it cannot be, reported)."""
        try:
            text = context.text(document)
        except Exception as exc:
            self.problem(exc, f"{source.name}: ")
            self.failed.add(source.name)
            self.spoil()
            return None
        self.texts[source.name] = text
        return text

    def todo(self, text: TextModel, source: Source, inputs: str = ""
             ) -> tuple[list[str], list[str]]:
        """The exports and collection parts still to make from a document's text model;
        ``inputs``: the hash of every file a document that names others is made from."""
        key_of = inputs or source.digest
        self.seen[text.slug] = source.name
        declined = {e.name: input_key(key_of, e, self.values) for e in self.exporters
                    if not registry.accepts(e, text)}
        self.sources[source.name] = {
            "sha256": source.digest, "document": text.slug,
            **({} if text.kind == "exercise" else {"kind": text.kind}),
            **({"declined": declined} if declined else {})}
        self.kinds[source.name] = text.kind
        self.count(text.kind)
        if declined:
            self.skip(source, list(declined), text.kind)
        exports: list[str] = []
        for exporter in self.exporters:
            if exporter.name in declined:
                continue
            pair = f"{text.slug}/{exporter.name}"
            key = input_key(key_of, exporter, self.values)
            previous = self.old.rows.get(pair, [])
            if (not self.force and self.old.inputs.get(pair) == key
                    and manifest.still_there(self.out, previous)):
                self.report.unchanged.extend(previous)
                continue
            self.keys[pair] = key
            exports.append(exporter.name)
        parts = [name for name, g in self.gathering.items()
                 if not g.failed and registry.accepts(g.collection, text)]
        return exports, parts

    def count(self, kind: str) -> None:
        self.report.documents += 1
        self.report.kinds[kind] = self.report.kinds.get(kind, 0) + 1

    def skip(self, source: Source, names: Sequence[str], kind: str) -> None:
        """Formats named on the command line that make nothing of this kind: one line, an
        error when the file was named too and none of them makes its kind."""
        if self.named is None:
            return  # the default build: formats skip the kinds they do not make, silently
        line = f"{source.name}: no {kind} outputs in {', '.join(names)}"
        if source.file.resolve() in self.named and len(names) == len(self.exporters):
            self.report.problems.append(Problem(line, 2))
        else:
            self.report.notes.append(line + "; skipped")

    def parse(self, source: Source) -> Loaded | None:
        """The source's document; None when it is bad (reported: no collection is complete)."""
        from ..document.loader import load_loaded_bytes

        assert source.raw is not None
        try:
            return load_loaded_bytes(source.raw, str(source.file))
        except Exception as exc:
            self.problem(exc, where_prefix(exc, source))
            self.spoil()
            return None

    def duplicate(self, source: Source, slug: str, line: int | None = None) -> bool:
        """Another source of the build already has this id: reported."""
        if slug not in self.seen:
            return False
        self.problem(errors.DocumentError(
            source.name, f"'{slug}' is already used by {self.seen[slug]}", field="id",
            line=line))
        self.spoil()
        return True

    def resolve(self, held: Sequence[tuple[int, Source, Loaded]], alone: Sequence[Loaded],
                sources: Sequence[Source]) -> Resolved:
        """Each held document that resolves, with the hash of every file it is made from and
        the names of the others; a line for each that does not."""
        from ..document.resolve import neighbours, resolve_all

        fresh = [(i, s, d) for i, s, d in held
                 if not self.duplicate(s, d.document.id, d.lines.get("id"))]
        library: dict[str, tuple[Source, Loaded]] = {}  # named documents beside them
        building = [*alone, *(d for _, _, d in fresh)]
        extra = neighbours(building, lambda file: self.borrow(file, library))
        resolution = resolve_all([*building, *extra])
        for problem in resolution.problems:
            self.problem(problem)
            self.spoil()
        by_file = {str(s.file): s for s in sources}
        linked = self.exported({d.document.id for d in building}, library)
        for name, (source, loaded) in library.items():
            by_file.setdefault(name, source)
            info = {"sha256": source.digest, "document": loaded.document.id}
            self.sources.setdefault(source.name, info)
        out = []
        for index, source, loaded in fresh:
            document = resolution.documents.get(loaded.document.id)
            if document is None:
                continue
            uses = resolution.uses.get(loaded.document.id, ())
            used = [by_file[f] for f in resolution.files_of(loaded.document.id)[1:]]
            for other in used:
                if str(other.file) in library and other.raw is not None:
                    self.borrowed[other.name] = hashlib.sha256(other.raw).hexdigest()
            named = [(s.name, s.digest) for s in (source, *used)]
            # its pages link to those with outputs: one linked later is remade
            named += [("without outputs", i) for i in uses if i not in linked]
            inputs = hashlib.sha256(repr(named).encode("utf-8")).hexdigest()
            out.append((index, source, document, inputs, tuple(s.name for s in used)))
        return Resolved(out, linked)

    def exported(self, building: set[str], library: dict[str, tuple[Source, Loaded]]
                 ) -> frozenset[str]:
        """The documents whose outputs are in ``OUT`` after this build: those it builds, and
        those only read from a document's folder that an earlier build left there (every
        format of this build that made something of them)."""
        def left(doc_id: str) -> bool:
            rows = [self.old.rows.get(f"{doc_id}/{e.name}", []) for e in self.exporters]
            made = [r for r in rows if r]
            return bool(made) and all(manifest.still_there(self.out, r) for r in made)

        earlier = {d.document.id for _, d in library.values() if left(d.document.id)}
        return frozenset(building | earlier)

    def borrow(self, file: Path, library: dict[str, tuple[Source, Loaded]]) -> Loaded | None:
        """A document outside the build that a workout or program names: read for its
        content and hash, never exported (None when it cannot be used)."""
        from ..document import images
        from ..document.loader import load_loaded_bytes, read

        source = Source(file, display(file))
        try:
            source.raw = read(file)
            loaded = load_loaded_bytes(source.raw, str(file))
        except Exception:  # not named by anything the build uses: not its problem
            return None
        source.digest = images.digest(hashlib.sha256(source.raw).hexdigest(), loaded.document)
        library[str(file)] = (source, loaded)
        return loaded

    def spoil(self) -> None:
        """A document of the build is bad: no collection can be made complete."""
        for gathering in self.gathering.values():
            gathering.failed = True

    def finish(self, task: Task, results: Result) -> None:
        for kind, name, result in results:
            if isinstance(result, Failure):
                where = f"{name}: " if result.option else f"{task.source}: {name}: "
                problem = Problem(where + result.message, result.code)
                if problem not in self.report.problems:
                    self.report.problems.append(problem)
                if kind == "export":
                    self.failed.add(task.source)
                else:
                    self.gathering[name].failed = True
            elif kind == "export":
                self.published(task, name, result)
            else:
                self.gathering[name].parts[task.index] = result
            if self.progress:
                self.progress(f"{task.text.slug}/{name}")

    def published(self, task: Task, name: str, staged: Staged) -> None:
        """Publish what a worker staged (here, so the manifest lists all that is published)."""
        try:
            rows = staged.publish(self.out)
        except Exception as exc:
            self.problem(exc, f"{task.source}: {name}: ")
            self.failed.add(task.source)
            return
        self.done[f"{task.text.slug}/{name}"] = rows
        self.report.written.extend(rows)

    def assemble(self, sources: Sequence[Source]) -> None:
        """Assemble every collection whose parts all arrived (one per document of a kind
        it makes), in this process."""
        extra = sorted(self.borrowed)  # what workouts used from outside the build
        names = (*(s.name for s in sources), *extra)
        key = [*self.digests, *((n, self.borrowed[n]) for n in extra)]
        for gathering in self.gathering.values():
            expected = sum(1 for s in sources if s.name in self.texts
                           and registry.accepts(gathering.collection, self.texts[s.name]))
            if gathering.failed or len(gathering.parts) != expected:
                continue
            collection = gathering.collection
            parts = [gathering.parts[i] for i in sorted(gathering.parts)]
            try:
                with fsutil.staging_dir(self.out, collection.name) as stage:
                    options = registry.Options(self.values)
                    result = collection.assemble(parts, stage, options)
                    outputs = registry.check_outputs(f"collection '{collection.name}'",
                                                     result, stage)
                    rows = manifest.publish(outputs, stage, self.out, ".",
                                            document=gathering.document, source=names,
                                            exporter=collection.name)
            except Exception as exc:
                self.problem(exc, f"{collection.name}: ")
                continue
            self.done[gathering.pair] = rows
            self.keys[gathering.pair] = manifest.input_key(key, collection, self.values)
            self.report.written.extend(rows)
            if self.progress:
                self.progress(collection.name)

    def write_manifest(self) -> None:
        entries: list[Entry] = []
        inputs: dict[str, str] = {}
        for pair, rows in self.old.rows.items():
            if pair in self.done:
                continue
            kept = [e for e in rows if (self.out / e.path).is_file()]
            entries.extend(kept)  # earlier outputs stay listed, also when remaking them failed
            if kept and pair in self.old.inputs:
                inputs[pair] = self.old.inputs[pair]
        for pair, rows in self.done.items():
            entries.extend(rows)
            inputs[pair] = self.keys[pair]
        listed = {name for e in entries for name in e.sources}
        sources = dict(self.sources)
        for name in self.failed:  # a failed export keeps what the manifest said before
            sources.pop(name, None)
        for name, info in self.old.sources.items():
            sources.setdefault(name, info)
        sources = {name: info for name, info in sources.items() if name in listed}
        if entries or (self.out / MANIFEST).exists():  # a build that made nothing leaves no trace
            manifest.write(self.out, entries, inputs, sources)
