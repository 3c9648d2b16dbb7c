"""The build lifecycle: collect documents → read → export each (staged) → publish → manifest.

Exporters write into a private staging folder; only when an exporter has finished are
its files moved into ``OUT/<slug>/`` (one atomic rename each), so a failed or killed
export never leaves a truncated file or a half-updated set. A collection (the coaching
e-book, the HTML index) makes its parts per document the same way, then is assembled in
this process into a staging folder and published into ``OUT`` itself. It is made from
all of its documents or not at all: one bad document leaves it unwritten.
``OUT/manifest.json`` (:mod:`.manifest`) lists every output with its checksum and the
hash of the inputs that made it, which lets unchanged work be skipped. Builds into one
folder may run at once (:mod:`.lock`): each merges its rows into the manifest as it is
when it ends, and a collection kept per folder (the HTML index) is made from every
document in it (:mod:`.collections`).

Each document becomes its text model here, once (:mod:`..content.text`), and that is
what every exporter and collection part receives. A document that names no other
(an exercise) is handed out as soon as it is parsed; the others (workouts, programs)
wait for every document, are resolved against the build's documents
(:mod:`..document.resolve`), and their inputs are their own file and every file they
use, so a workout is remade when one of its exercises changes. A plug-in that does not
``accept`` a text model (a calendar of an exercise) makes nothing of it. An athlete file
(``--athlete``) is an input the programs are resolved with, never exported itself.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import errors, registry
from .collections import collection_document as collection_document
from .lock import FolderLock
from .manifest import MANIFEST as MANIFEST
from .manifest import Entry as Entry
from .manifest import read_manifest as read_manifest
from .report import Problem as Problem
from .report import Report as Report
from .report import Source, display, where_prefix
from .report import input_key as input_key
from .runner import Runner, Task
from .state import BuildState

if TYPE_CHECKING:
    from ..content.text import Context
    from ..document.loader import Loaded

SUFFIXES = (".yaml", ".yml")
BATCH = 8
"""At most this many documents share one submission to the caller's executor."""


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
    waiting: Callable[[str], None] | None = None,
    athlete: str | Path | None = None,
    weeks: str | None = None,
) -> Report:
    """Make every chosen format (exporters and collections; default: every exporter) from the
    documents under ``paths`` into ``out``.

    One document's failure does not stop the others. ``executor`` may be any
    :class:`concurrent.futures.Executor` (a Dask or Ray one included); otherwise ``jobs`` > 1
    uses a pool of spawned worker processes. Raises :class:`~.errors.OptionError` for a
    format that is unknown or cannot be used, before anything is written. When the executor
    drops tasks (a cluster whose scheduler went away), the manifest of what was finished is
    written, then :class:`~.runner.ExecutorLost` is raised. ``plugins``: the discovered
    plug-ins, when the caller has them already. Another build into ``out`` is waited for
    where the two would clash; ``waiting`` hears one line when that wait is noticeable.
    ``athlete``: the athlete file programs are built for (``OUT/<athlete id>/`` is then
    the output folder); ``weeks``: the weeks of programs whose sheet pages and guides are
    made ("1-3", "2,4"). A bad athlete file or weeks value is refused before anything is
    written.
    """
    from ..content.text import Context
    from ..document import images, kinds
    from ..document.loader import load_input, read

    chosen_weeks = parse_weeks(weeks)
    given = load_input(athlete, "athlete") if athlete is not None else None
    # an athlete's outputs go to a folder of their own: two athletes never share one
    out = Path(out) / given.document.id if given is not None else Path(out)
    found = registry.plugins() if plugins is None else plugins
    exporters, collections = found.select(formats)
    attached, unavailable = found.attached(exporters)
    values = registry.check_values([*exporters, *collections, *attached], options or {})
    report = Report(out=out)
    files, missing = collect(paths)
    report.problems.extend(missing)
    with FolderLock(out, waiting) as lock:  # shared with other builds; sweeps if alone
        explicit = {Path(p).resolve() for p in paths if Path(p).is_file()}
        named = explicit if formats else None
        state = BuildState(out, values, force, exporters, report, progress, named)

        sources: list[Source] = []
        for file in files:
            source = Source(file, display(file))
            try:
                source.raw = read(file)
            except Exception as exc:
                state.problem(exc, where_prefix(exc, source))
            else:
                source.digest = hashlib.sha256(source.raw).hexdigest()
            sources.append(source)
        if files:
            for line in unavailable:
                state.problem(errors.PluginError(line))
            chosen = list({c.name: c for c in [*collections, *attached]}.values())
            complete = not missing and all(s.raw is not None for s in sources)
            owners = {c.name: [e.name for e in found.exporters.values()
                               if c.name in registry.collections_of(e)] for c in chosen}
            state.plan_collections(chosen, sources, complete, owners)

        where = Path(os.path.abspath(out))  # workers may start elsewhere (a cluster's)
        parallel = jobs if executor is None else getattr(executor, "_max_workers", jobs)
        by_document = len(files) >= 2 * parallel
        # on a cluster, a few documents per submission (its per-task cost is milliseconds)
        batch = max(1, min(BATCH, len(files) // (8 * max(1, parallel))))
        with Runner(jobs, executor, state.finish, batch) as runner:

            def submit(index: int, source: Source, document: object, context: Context,
                       inputs: str = "", made_from: tuple[str, ...] = ()) -> None:
                text = state.text(source, document, context)
                if text is None:
                    return
                exports, parts, companions = state.todo(text, source, inputs)
                # many documents: one task each (fewer process hops); few: one per output,
                # an export with those it uses (made first, in the same task)
                units = [(exports, parts)] if by_document else [
                    *((group, []) for group in _together(exports, found.exporters)),
                    *(([], [name]) for name in parts)]
                for some_exports, some_parts in units:
                    if some_exports or some_parts:
                        runner.submit(Task(text, source.name, index, tuple(some_exports),
                                           tuple(some_parts), where, values, max(1, parallel),
                                           made_from, companions))

            context = Context(weeks=chosen_weeks)
            given_inputs = _inputs(given, state, chosen_weeks)
            alone: list[Loaded] = []  # documents that name no other (exercises)
            held: list[tuple[int, Source, Loaded]] = []  # the others (workouts, programs)
            skipped: list[Source] = []
            for index, source in enumerate(sources):  # each exercise is handed out once parsed
                if source.raw is None:
                    continue
                if state.unchanged(source):
                    skipped.append(source)
                    continue
                loaded = state.parse(source)
                if loaded is None:
                    continue
                document = loaded.document
                kind = kinds.kind_of(document)
                if not kinds.exported(kind):  # an input (an athlete): nothing to make
                    if source.file.resolve() in explicit:
                        report.notes.append(f"{source.name}: a file of kind '{kind}' is an "
                                            f"input, not exported: give it with --{kind}")
                    continue
                if kinds.get(kind).references is not None:
                    held.append((index, source, loaded))
                    continue
                source.digest = images.digest(source.digest, document)  # pictures are input
                if not state.duplicate(source, document.id):
                    alone.append(loaded)
                    submit(index, source, document, context)
            if held:  # the unchanged exercises are not exported again, but workouts use them
                alone += [d for d in map(state.parse, skipped) if d is not None]
                resolved = state.resolve(held, alone, sources, *given_inputs)
                linked = Context(resolved.linked, context.cache, chosen_weeks)
                for index, source, document, inputs, used in resolved.documents:
                    submit(index, source, document, linked, inputs, used)
        with lock.exclusive():
            state.conclude([s for s in sources if s.raw is not None])
        runner.check(out / MANIFEST)  # a lost executor ends it once the manifest is written
    return report


def parse_weeks(value: str | None) -> frozenset[int] | None:
    """``--weeks``: "3", "1-3", "1,3-4" (None: every week); an OptionError otherwise."""
    if value is None:
        return None
    out: set[int] = set()
    for item in str(value).split(","):
        low, dash, high = item.strip().partition("-")
        try:
            first, last = int(low), int(high if dash else low)
        except ValueError:
            first = last = 0
        if not 1 <= first <= last <= 52:
            raise errors.OptionError(f"--weeks: '{value}' is not weeks such as 1-3 or 1,3 "
                                     "(from 1 to 52)")
        out.update(range(first, last + 1))
    return frozenset(out)


def _inputs(given: Loaded | None, state: BuildState, weeks: frozenset[int] | None
            ) -> tuple[list[Loaded], list[Source], list[tuple[str, str]]]:
    """What documents that name others are also made from: the athlete (its file is one of
    their sources) and the weeks asked for (part of their outputs' input hash)."""
    salt = [("weeks", ",".join(map(str, sorted(weeks))))] if weeks is not None else []
    if given is None:
        return [], [], salt
    source = Source(Path(given.file), display(Path(given.file)))
    source.raw = Path(given.file).read_bytes()
    source.digest = hashlib.sha256(source.raw).hexdigest()
    state.borrowed[source.name] = source.digest  # a book made for the athlete is remade too
    return [given], [source], salt


def _together(exports: Sequence[str], plugins: Mapping[str, Any]) -> list[list[str]]:
    """The exports in groups: each with the exports it uses, in the order given."""
    groups: list[list[str]] = []
    for name in exports:
        uses = set(registry.uses_of(plugins[name]))
        joined = [g for g in groups if uses & set(g)]
        for g in joined:
            groups.remove(g)
        groups.append([n for g in joined for n in g] + [name])
    return groups


def validate(paths: Sequence[str | Path], athlete: str | Path | None = None
             ) -> tuple[int, list[Problem]]:
    """Check documents without exporting: each alone, then the references of workouts and
    programs among them (and beside them), for ``athlete`` when given. How many are
    valid, and a line per problem."""
    from ..document.loader import load_input, load_loaded
    from ..document.resolve import neighbours, resolve_all

    given = [load_input(athlete, "athlete")] if athlete is not None else []

    def quiet(file: Path) -> Loaded | None:  # a neighbour's problems are its own
        try:
            return load_loaded(file)
        except Exception:
            return None

    files, problems = collect(paths)
    loaded: list[Loaded] = []
    for file in files:
        try:
            loaded.append(load_loaded(file))
        except Exception as exc:
            problems.append(Problem(errors.one_line(exc), errors.exit_code(exc)))
    files_given = {Path(g.file).resolve() for g in given}
    resolution = resolve_all([*(d for d in loaded if Path(d.file).resolve() not in files_given),
                              *neighbours(loaded, quiet)], given)
    problems += [Problem(errors.one_line(p), errors.exit_code(p)) for p in resolution.problems]
    bad = {p.file for p in resolution.problems}
    return sum(1 for d in loaded if d.file not in bad), problems
