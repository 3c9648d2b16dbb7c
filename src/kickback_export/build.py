"""The build lifecycle: collect documents → load → export each (staged) → publish → manifest.

Exporters write into a private staging folder; only when an exporter has
finished are its files moved into ``OUT/<slug>/`` (one atomic rename each), so
a failed or killed export never leaves a truncated file or a half-updated set.
``OUT/manifest.json`` lists every output with its checksum and the hash of the
inputs that made it, which lets an unchanged document skip re-exporting.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, errors, fsutil, registry
from .document.loader import DocumentError, load_bytes, read
from .document.model import Exercise
from .procutil import die_with_parent

MANIFEST = "manifest.json"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Entry:
    """One row of ``manifest.json``."""

    document: str
    source: str
    exporter: str
    path: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Problem:
    """A document or an export that failed; ``invalid`` marks bad input (exit code 2)."""

    message: str
    invalid: bool = False


@dataclass
class Report:
    written: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    documents: int = 0

    @property
    def exit_code(self) -> int:
        if any(p.invalid for p in self.problems):
            return 2
        return 1 if self.problems else 0


@dataclass(frozen=True)
class _Task:
    """One document with one or more of its exports (several share the process hop)."""

    document: Exercise
    source: str
    exporters: tuple[str, ...]
    out: Path
    values: Mapping[str, Any]
    jobs: int = 1


@dataclass(frozen=True)
class _Failure:
    """An export's exception, reduced to what the report needs (crosses process bounds)."""

    message: str
    invalid: bool


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
            problems.append(Problem(f"{path}: no such file or folder", invalid=True))
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


def input_key(source_sha256: str, exporter: registry.Exporter, values: Mapping[str, Any]) -> str:
    """Hash of everything an export depends on: the source bytes, the exporter and its options."""
    own = {opt.dest: values.get(opt.dest) for opt in exporter.options}
    blob = json.dumps(
        {
            "source": source_sha256,
            "exporter": exporter.name,
            "package": __version__,
            "version": getattr(exporter, "version", __version__),
            "options": own,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@functools.cache
def _exporter(name: str) -> registry.Exporter:
    """Exporters are looked up once per process (entry points cost a scan each time)."""
    return registry.discover()[name]


def _run(task: _Task) -> list[tuple[str, list[Entry] | _Failure]]:
    """Run the task's exports one after another; one failing does not stop the next."""
    results: list[tuple[str, list[Entry] | _Failure]] = []
    for name in task.exporters:
        try:
            results.append((name, _export(task, name)))
        except Exception as exc:
            results.append((name, _Failure(errors.one_line(exc), errors.exit_code(exc) == 2)))
    return results


def _export(task: _Task, name: str) -> list[Entry]:
    """Export one document with one exporter and publish its files (runs in a worker)."""
    exporter = _exporter(name)
    slug = task.document.slug
    final_dir = task.out / slug
    with fsutil.staging_dir(task.out, f"{slug}-{name}") as stage:
        outputs = exporter.export(task.document, stage, registry.Options(task.values, task.jobs))
        staged: list[tuple[Path, Entry]] = []
        for output in outputs:
            path = Path(output.path)
            try:
                rel = path.resolve().relative_to(stage.resolve())
            except ValueError:
                raise RuntimeError(f"wrote {path} outside its output folder") from None
            staged.append(
                (
                    path,
                    Entry(
                        document=slug,
                        source=task.source,
                        exporter=name,
                        path=(Path(slug) / rel).as_posix(),
                        media_type=output.media_type,
                        size=path.stat().st_size,
                        sha256=_sha256(path),
                    ),
                )
            )
        for path, entry in staged:
            target = task.out / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    final_dir.mkdir(parents=True, exist_ok=True)
    return [entry for _, entry in staged]


def read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict):
        data = {}
    for key in ("outputs", "inputs", "sources"):
        if not isinstance(data.get(key), list if key == "outputs" else dict):
            data[key] = [] if key == "outputs" else {}
    return data


def _write_manifest(
    out: Path, entries: Sequence[Entry], inputs: Mapping[str, str], sources: Mapping[str, Any]
) -> None:
    manifest = {
        "generator": f"kickback-export {__version__}",
        "outputs": [asdict(e) for e in sorted(entries, key=lambda e: (e.path, e.exporter))],
        "inputs": dict(sorted(inputs.items())),
        "sources": dict(sorted(sources.items())),
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    try:
        if (out / MANIFEST).read_text(encoding="utf-8") == text:
            return  # nothing changed: leave the file (and its mtime) alone
    except OSError:
        pass
    fsutil.write_text(out / MANIFEST, text)


def _still_there(out: Path, entries: Sequence[Entry]) -> bool:
    for entry in entries:
        path = out / entry.path
        if not path.is_file() or path.stat().st_size != entry.size:
            return False
    return bool(entries)


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
) -> Report:
    """Export every document under ``paths`` with the chosen formats into ``out``.

    One document's failure does not stop the others. ``executor`` may be any
    :class:`concurrent.futures.Executor` (a Dask or Ray one included); otherwise
    ``jobs`` > 1 uses a pool of spawned worker processes.
    """
    out = Path(out)
    values = dict(options or {})
    available = registry.discover()
    report = Report()
    exporters = registry.select(formats, available)
    files, missing = collect(paths)
    report.problems.extend(missing)
    fsutil.sweep_temporaries(out)

    old = read_manifest(out)
    old_inputs: dict[str, str] = dict(old["inputs"])
    old_entries: dict[str, list[Entry]] = {}
    for row in old["outputs"]:
        try:
            entry = Entry(**row)
        except TypeError:
            continue
        old_entries.setdefault(f"{entry.document}/{entry.exporter}", []).append(entry)

    old_sources: dict[str, Any] = dict(old.get("sources", {}))
    sources: dict[str, dict[str, str]] = {}
    seen: dict[str, str] = {}
    done: dict[str, list[Entry]] = {}
    keys: dict[str, str] = {}
    failed: set[str] = set()

    def finish(task: _Task, results: list[tuple[str, list[Entry] | _Failure]]) -> None:
        for name, result in results:
            pair = f"{task.document.slug}/{name}"
            if isinstance(result, _Failure):
                failed.add(task.source)
                report.problems.append(
                    Problem(f"{task.source}: {name}: {result.message}", invalid=result.invalid)
                )
            else:
                done[pair] = result
                report.written.extend(result)
            if progress:
                progress(pair)

    parallel = jobs if executor is None else getattr(executor, "_max_workers", jobs)
    by_document = len(files) >= 2 * parallel
    with _Runner(jobs, executor, finish) as runner:
        for file in files:  # each document is handed out as soon as it is read
            source = _display(file)
            try:
                raw = read(file)
                digest = hashlib.sha256(raw).hexdigest()
                known = old_sources.get(source, {})
                pairs = [(e, f"{known.get('document')}/{e.name}") for e in exporters]
                if (
                    not force
                    and known.get("sha256") == digest
                    and known.get("document") not in seen
                    and all(
                        old_inputs.get(pair) == input_key(digest, e, values)
                        and _still_there(out, old_entries.get(pair, []))
                        for e, pair in pairs
                    )
                ):  # unchanged since the last build: not even parsed again
                    seen[known["document"]] = source
                    sources[source] = known
                    report.documents += 1
                    for _, pair in pairs:
                        report.unchanged.extend(old_entries[pair])
                    continue
                document = load_bytes(raw, str(file))
            except DocumentError as exc:
                report.problems.append(Problem(str(exc), invalid=True))
                continue
            if document.slug in seen:
                report.problems.append(Problem(
                    f"{source}: id: '{document.slug}' is already used by {seen[document.slug]}",
                    invalid=True,
                ))
                continue
            seen[document.slug] = source
            sources[source] = {"sha256": digest, "document": document.slug}
            report.documents += 1
            todo: list[str] = []
            for exporter in exporters:
                pair = f"{document.slug}/{exporter.name}"
                key = input_key(digest, exporter, values)
                previous = old_entries.get(pair, [])
                if not force and old_inputs.get(pair) == key and _still_there(out, previous):
                    report.unchanged.extend(previous)
                    continue
                keys[pair] = key
                todo.append(exporter.name)
            # many documents: one task each (fewer process hops); few: one per format
            groups = [tuple(todo)] if by_document else [(name,) for name in todo]
            for group in filter(None, groups):
                runner.submit(_Task(document, source, group, out, values, max(1, parallel)))

    entries: list[Entry] = []
    inputs: dict[str, str] = {}
    for pair, rows in old_entries.items():
        if pair in done:
            continue
        kept = [e for e in rows if (out / e.path).is_file()]
        entries.extend(kept)  # earlier outputs stay listed, also when their re-export failed
        if kept and pair in old_inputs:
            inputs[pair] = old_inputs[pair]
    for pair, rows in done.items():
        entries.extend(rows)
        inputs[pair] = keys[pair]
    listed = {e.source for e in entries}
    for name in failed:  # a failed export keeps what the manifest said of its earlier outputs
        sources.pop(name, None)
    for name, info in old_sources.items():
        sources.setdefault(name, info)
    sources = {name: info for name, info in sources.items() if name in listed}
    if entries or (out / MANIFEST).exists():  # a build that made nothing leaves no trace
        _write_manifest(out, entries, inputs, sources)
    return report


class _Runner:
    """Runs export tasks inline, on the caller's executor, or on a process pool that is
    started only once there are two tasks to share it (one task runs inline)."""

    def __init__(
        self,
        jobs: int,
        executor: cf.Executor | None,
        finish: Callable[[_Task, list[tuple[str, list[Entry] | _Failure]]], None],
    ) -> None:
        self.jobs = jobs
        self.executor = executor
        self.finish = finish
        self.own: cf.ProcessPoolExecutor | None = None
        self.held: _Task | None = None
        self.futures: dict[cf.Future[list[tuple[str, list[Entry] | _Failure]]], _Task] = {}

    def __enter__(self) -> _Runner:
        return self

    def submit(self, task: _Task) -> None:
        if self.executor is None and self.jobs <= 1:
            self._inline(task)
            return
        if self.executor is None:
            if self.held is None:
                self.held = task
                return
            ctx = multiprocessing.get_context("spawn")
            self.own = cf.ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx,
                                              initializer=die_with_parent)
            self.executor = self.own
        if self.held is not None:
            held, self.held = self.held, None
            self.futures[self.executor.submit(_run, held)] = held
        self.futures[self.executor.submit(_run, task)] = task

    def _inline(self, task: _Task) -> None:
        self.finish(task, _run(task))

    def __exit__(self, *exc_info: object) -> None:
        try:
            if exc_info[0] is None:
                if self.held is not None:
                    self._inline(self.held)
                for future in cf.as_completed(self.futures):
                    task = self.futures[future]
                    error = future.exception()  # the worker process itself died
                    self.finish(task, future.result() if error is None else [
                        (name, _Failure(errors.one_line(error), False)) for name in task.exporters])
        finally:
            if self.own is not None:
                self.own.shutdown(cancel_futures=True)
