"""The build lifecycle: collect documents → read → export each (staged) → publish → manifest.

Exporters write into a private staging folder; only when an exporter has finished are
its files moved into ``OUT/<slug>/`` (one atomic rename each), so a failed or killed
export never leaves a truncated file or a half-updated set. A collection (the coaching
e-book, the HTML index) makes its parts per document the same way, then is assembled in
this process into a staging folder and published into ``OUT`` itself. It is made from
all of its documents or not at all: one bad document leaves it unwritten.
``OUT/manifest.json`` (:mod:`.manifest`) lists every output with its checksum and the
hash of the inputs that made it, which lets unchanged work be skipped.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import errors, fsutil, manifest, registry
from .manifest import MANIFEST as MANIFEST
from .manifest import Entry as Entry
from .manifest import read_manifest as read_manifest
from .runner import Failure, Result, Runner, Staged, Task

if TYPE_CHECKING:
    from .document.model import Exercise

SUFFIXES = (".yaml", ".yml")
BATCH = 8
"""At most this many documents share one submission to the caller's executor."""


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

    @property
    def exit_code(self) -> int:
        return max((p.code for p in self.problems), default=0)


def collect(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders to the documents in them (sorted); report paths that do not exist."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            missing = errors.InputError(f"{path}: no such file or folder")
            problems.append(Problem(str(missing), errors.exit_code(missing)))
    unique: dict[Path, Path] = {}
    for file in files:  # a file named both alone and through its folder counts once
        unique.setdefault(file.resolve(), file)
    return list(unique.values()), problems


def _display(path: Path) -> str:
    """The path as the user would type it: relative below the current folder, else as given."""
    try:
        rel = Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if rel.parts[:1] == ("..",) else rel.as_posix()


def input_key(source_sha256: str, exporter: object, values: Mapping[str, Any]) -> str:
    """Hash of everything an export depends on: the source bytes, the exporter and its options."""
    return manifest.input_key(source_sha256, exporter, values)


@dataclass
class _Source:
    """One document file as read: its bytes and their hash (None when it could not be read)."""

    file: Path
    name: str
    raw: bytes | None = None
    digest: str = ""


def _where(exc: BaseException, source: _Source) -> str:
    """The prefix naming the file (a DocumentError names it itself, with the line)."""
    return "" if isinstance(exc, errors.DocumentError) else f"{source.name}: "


@dataclass
class _Gathering:
    """A collection being made: its manifest key, input hash and the parts that arrived."""

    collection: registry.Collection
    document: str
    key: str
    parts: dict[int, Any] = field(default_factory=dict)
    failed: bool = False

    @property
    def pair(self) -> str:
        return f"{self.document}/{self.collection.name}"


def collection_document(collection: object, values: Mapping[str, Any]) -> str:
    """A collection's manifest name: ``<name>:<file>`` when it is given a file name (so two
    books in one folder are two rows), else its name."""
    name = str(getattr(collection, "name", ""))
    declared = {opt.dest for opt in registry.options_of(collection)}
    file = values.get("file") if "file" in declared else None
    return f"{name}:{file}" if file else name


class _Build:
    """The state of one build, from the old manifest to the new one."""

    def __init__(self, out: Path, values: Mapping[str, Any], force: bool,
                 exporters: Sequence[registry.Exporter], report: Report,
                 progress: Callable[[str], None] | None) -> None:
        self.out, self.values, self.force = out, values, force
        self.exporters = exporters
        self.report = report
        self.progress = progress
        self.old = manifest.read(out)
        self.sources: dict[str, dict[str, str]] = {}
        self.seen: dict[str, str] = {}  # document id → the source that has it
        self.done: dict[str, list[Entry]] = {}
        self.keys: dict[str, str] = {}
        self.failed: set[str] = set()
        self.gathering: dict[str, _Gathering] = {}

    def problem(self, exc: BaseException, prefix: str = "") -> None:
        """One line for ``exc``, with the exit code the error rule gives it."""
        message = f"{prefix}{errors.one_line(exc)}"
        self.report.problems.append(Problem(message, errors.exit_code(exc)))

    def plan_collections(self, collections: Sequence[registry.Collection],
                         sources: Sequence[_Source], complete: bool) -> None:
        """Skip each collection whose documents and options are unchanged; gather the
        others' parts (none when a document is missing or unreadable: it cannot be made)."""
        named = [(s.name, s.digest) for s in sources]
        for collection in collections:
            document = collection_document(collection, self.values)
            key = manifest.input_key(named, collection, self.values)
            pair = f"{document}/{collection.name}"
            previous = self.old.rows.get(pair, [])
            if (complete and not self.force and self.old.inputs.get(pair) == key
                    and manifest.still_there(self.out, previous)):
                self.report.unchanged.extend(previous)
                continue
            self.gathering[collection.name] = _Gathering(collection, document, key,
                                                         failed=not complete)

    def unchanged(self, source: _Source) -> bool:
        """The source's bytes and every export's inputs are as the manifest says, its files
        are in place and no collection needs it: not even parsed again."""
        known = self.old.sources.get(source.name, {})
        document = known.get("document")
        if (self.force or known.get("sha256") != source.digest or not isinstance(document, str)
                or document in self.seen or any(not g.failed for g in self.gathering.values())):
            return False
        pairs = [(e, f"{document}/{e.name}") for e in self.exporters]
        if not all(self.old.inputs.get(pair) == input_key(source.digest, e, self.values)
                   and manifest.still_there(self.out, self.old.rows.get(pair, []))
                   for e, pair in pairs):
            return False
        self.seen[document] = source.name
        self.sources[source.name] = known
        self.report.documents += 1
        for _, pair in pairs:
            self.report.unchanged.extend(self.old.rows[pair])
        return True

    def todo(self, document: Exercise, source: _Source) -> tuple[list[str], list[str]]:
        """The exports and collection parts still to make from a parsed document."""
        self.seen[document.slug] = source.name
        self.sources[source.name] = {"sha256": source.digest, "document": document.slug}
        self.report.documents += 1
        exports: list[str] = []
        for exporter in self.exporters:
            pair = f"{document.slug}/{exporter.name}"
            key = input_key(source.digest, exporter, self.values)
            previous = self.old.rows.get(pair, [])
            if (not self.force and self.old.inputs.get(pair) == key
                    and manifest.still_there(self.out, previous)):
                self.report.unchanged.extend(previous)
                continue
            self.keys[pair] = key
            exports.append(exporter.name)
        parts = [name for name, g in self.gathering.items() if not g.failed]
        return exports, parts

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
                self.progress(f"{task.document.slug}/{name}")

    def published(self, task: Task, name: str, staged: Staged) -> None:
        """Publish what a worker staged (here, so the manifest lists all that is published)."""
        try:
            rows = staged.publish(self.out)
        except Exception as exc:
            self.problem(exc, f"{task.source}: {name}: ")
            self.failed.add(task.source)
            return
        self.done[f"{task.document.slug}/{name}"] = rows
        self.report.written.extend(rows)

    def assemble(self, sources: Sequence[_Source]) -> None:
        """Assemble every collection whose parts all arrived, in this process."""
        names = tuple(s.name for s in sources)
        for gathering in self.gathering.values():
            if gathering.failed or len(gathering.parts) != len(sources):
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
            self.keys[gathering.pair] = gathering.key
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


def build(
    paths: Sequence[str | Path],
    formats: Sequence[str] | None = None,
    out: str | Path = "outputs",
    options: Mapping[str, Any] | None = None,
    *,
    force: bool = False,
    jobs: int = 1,
    executor: cf.Executor | None = None,
    progress: Callable[[str], None] | None = None,
    plugins: registry.Plugins | None = None,
) -> Report:
    """Make every chosen format (exporters and collections; default: every exporter) from the
    documents under ``paths`` into ``out``.

    One document's failure does not stop the others. ``executor`` may be any
    :class:`concurrent.futures.Executor` (a Dask or Ray one included); otherwise ``jobs`` > 1
    uses a pool of spawned worker processes. Raises :class:`~.errors.OptionError` for a
    format that is unknown or cannot be used, before anything is written. When the executor
    drops tasks (a cluster whose scheduler went away), the manifest of what was finished is
    written, then :class:`~.runner.ExecutorLost` is raised. ``plugins``: the discovered
    plug-ins, when the caller has them already.
    """
    from .document import images
    from .document.loader import load_bytes, read

    out = Path(out)
    values = dict(options or {})
    found = registry.plugins() if plugins is None else plugins
    exporters, collections = found.select(formats)
    report = Report()
    files, missing = collect(paths)
    report.problems.extend(missing)
    fsutil.sweep_temporaries(out)
    state = _Build(out, values, force, exporters, report, progress)

    sources: list[_Source] = []
    for file in files:
        source = _Source(file, _display(file))
        try:
            source.raw = read(file)
        except Exception as exc:
            state.problem(exc, _where(exc, source))
        else:
            source.digest = hashlib.sha256(source.raw).hexdigest()
        sources.append(source)
    if files:
        attached, unavailable = found.attached(exporters)
        for line in unavailable:
            state.problem(errors.PluginError(line))
        chosen = list({c.name: c for c in [*collections, *attached]}.values())
        complete = not missing and all(s.raw is not None for s in sources)
        state.plan_collections(chosen, sources, complete)

    where = Path(os.path.abspath(out))  # workers may start elsewhere (a cluster's)
    parallel = jobs if executor is None else getattr(executor, "_max_workers", jobs)
    by_document = len(files) >= 2 * parallel
    # on a cluster, a few documents per submission (its per-task cost is milliseconds)
    batch = max(1, min(BATCH, len(files) // (8 * max(1, parallel))))
    with Runner(jobs, executor, state.finish, batch) as runner:
        for index, source in enumerate(sources):  # each document is handed out once parsed
            if source.raw is None or state.unchanged(source):
                continue
            try:
                document = load_bytes(source.raw, str(source.file))
            except Exception as exc:
                state.problem(exc, _where(exc, source))
                state.spoil()
                continue
            source.digest = images.digest(source.digest, document)  # pictures are input
            if document.slug in state.seen:
                state.problem(errors.DocumentError(
                    source.name, f"'{document.slug}' is already used by "
                    f"{state.seen[document.slug]}", field="id"))
                state.spoil()
                continue
            exports, parts = state.todo(document, source)
            # many documents: one task each (fewer process hops); few: one per output
            units = [(exports, parts)] if by_document else [
                *(([name], []) for name in exports), *(([], [name]) for name in parts)]
            for some_exports, some_parts in units:
                if some_exports or some_parts:
                    runner.submit(Task(document, source.name, index, tuple(some_exports),
                                       tuple(some_parts), where, values, max(1, parallel)))
    state.assemble([s for s in sources if s.raw is not None])
    state.write_manifest()
    runner.check(out / MANIFEST)  # a lost executor ends the build once the manifest is written
    fsutil.sweep_temporaries(out)  # what a worker killed mid-export staged
    return report
