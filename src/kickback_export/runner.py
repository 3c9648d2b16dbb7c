"""Where the per-document work runs: inline, on the caller's executor, or on a pool of
spawned worker processes. A task is one document with some of its exports and collection
parts (several share one process hop); whatever fails comes back as a :class:`Failure`
line, so one failing export never stops the next.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import multiprocessing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import errors, fsutil, manifest, registry
from .procutil import die_with_parent

if TYPE_CHECKING:
    from .document.model import Exercise

Kind = Literal["export", "part"]


@dataclass(frozen=True)
class Task:
    """One document with the exports and collection parts to make from it."""

    document: Exercise
    source: str
    index: int  # the document's place in the build, which orders a collection's parts
    exports: tuple[str, ...]
    parts: tuple[str, ...]
    out: Path
    values: Mapping[str, Any]
    jobs: int = 1

    def units(self) -> list[tuple[Kind, str]]:
        return [*(("export", n) for n in self.exports), *(("part", n) for n in self.parts)]


@dataclass(frozen=True)
class Failure:
    """An exception reduced to what the report needs (crosses process bounds)."""

    message: str
    code: int
    option: bool = False
    """An option value was refused: the same for every document, so reported once."""

    @classmethod
    def of(cls, exc: BaseException) -> Failure:
        option = isinstance(exc, errors.OptionError)
        return cls(errors.one_line(exc), errors.exit_code(exc), option)


Result = list[tuple[Kind, str, Any]]
"""Per unit: its kind, its plug-in's name, and its rows, its part or a Failure."""


@functools.cache
def plugin(group: str, name: str) -> Any:
    """Plug-ins are looked up once per process (entry points cost a scan each time)."""
    return registry.lookup(group, name)


def run(task: Task) -> Result:
    """Make the task's exports and parts one after another (runs in a worker)."""
    results: Result = []
    options = registry.Options(task.values, task.jobs)
    for kind, name in task.units():
        try:
            if kind == "export":
                results.append((kind, name, export(task, name, options)))
            else:
                collection = plugin(registry.COLLECTIONS, name)
                results.append((kind, name, collection.part(task.document, options)))
        except Exception as exc:
            results.append((kind, name, Failure.of(exc)))
    return results


def export(task: Task, name: str, options: registry.Options) -> list[manifest.Entry]:
    """Export one document with one exporter into a staging folder, then publish it."""
    exporter = plugin(registry.EXPORTERS, name)
    slug = task.document.slug
    with fsutil.staging_dir(task.out, f"{slug}-{name}") as stage:
        result = exporter.export(task.document, stage, options)
        outputs = registry.check_outputs(f"exporter '{name}'", result, stage)
        rows = manifest.publish(outputs, stage, task.out, slug, document=slug,
                                source=task.source, exporter=name)
    (task.out / slug).mkdir(parents=True, exist_ok=True)
    return rows


class Runner:
    """Runs tasks inline, on the caller's executor, or on a process pool that is started
    only once there are two tasks to share it (one task alone runs inline)."""

    def __init__(self, jobs: int, executor: cf.Executor | None,
                 finish: Callable[[Task, Result], None]) -> None:
        self.jobs = jobs
        self.executor = executor
        self.finish = finish
        self.own: cf.ProcessPoolExecutor | None = None
        self.held: Task | None = None
        self.futures: dict[cf.Future[Result], Task] = {}

    def __enter__(self) -> Runner:
        return self

    def submit(self, task: Task) -> None:
        if self.executor is None and self.jobs <= 1:
            self.finish(task, run(task))
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
            self.futures[self.executor.submit(run, held)] = held
        self.futures[self.executor.submit(run, task)] = task

    def __exit__(self, *exc_info: object) -> None:
        try:
            if exc_info[0] is None:
                if self.held is not None:
                    self.finish(self.held, run(self.held))
                for future in cf.as_completed(self.futures):
                    task = self.futures[future]
                    error = future.exception()  # the worker process itself died
                    self.finish(task, future.result() if error is None else [
                        (kind, name, Failure.of(error)) for kind, name in task.units()])
        finally:
            if self.own is not None:
                self.own.shutdown(cancel_futures=True)
