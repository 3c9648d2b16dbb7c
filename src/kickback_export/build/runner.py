"""Where the per-document work runs: inline, on the caller's executor, or on a pool of
spawned worker processes. A task is one document with some of its exports and collection
parts (several share one process hop); whatever fails comes back as a :class:`Failure`
line, so one failing export never stops the next.

A worker only stages: it exports into a hidden folder inside ``OUT`` and hashes the files
there. The calling process publishes them (:meth:`Staged.publish`) when the result has
reached it, so whatever is published is also in the manifest it writes, even when a worker
or a whole cluster is lost mid-build (the staged left-overs are swept).
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import multiprocessing
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .. import errors, fsutil, registry
from ..procutil import die_with_parent
from . import manifest

if TYPE_CHECKING:
    from ..content.text import TextModel

Kind = Literal["export", "part"]


@dataclass(frozen=True)
class Task:
    """One document's text model with the exports and collection parts to make from it.
    ``made_from``: the other sources a document uses, listed in its manifest rows."""

    text: TextModel
    source: str
    index: int  # the document's place in the build, which orders a collection's parts
    exports: tuple[str, ...]
    parts: tuple[str, ...]
    out: Path
    values: Mapping[str, Any]
    jobs: int = 1
    made_from: tuple[str, ...] = ()
    companions: Mapping[str, tuple[registry.Companion, ...]] = field(default_factory=dict)
    """Published files of the exporters the exports use that are not made again."""

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


@dataclass(frozen=True)
class Staged:
    """One export's files, made and hashed in ``OUT/<stage>`` and not yet published."""

    stage: str
    folder: str
    files: tuple[tuple[str, manifest.Entry], ...]

    def publish(self, out: Path, stamps: dict[str, manifest.Stamp | None] | None = None
                ) -> list[manifest.Entry]:
        """Move the files into ``out`` (one atomic rename each); return their rows
        (``stamps``: see :func:`.manifest.place`)."""
        try:
            rows = manifest.place(out / self.stage, self.files, out, stamps)
            (out / self.folder).mkdir(parents=True, exist_ok=True)
        finally:
            shutil.rmtree(out / self.stage, ignore_errors=True)
        return rows


class ExecutorLost(errors.ExportError):
    """The executor stopped taking work (a cluster's scheduler went away); ``detail`` says
    what was left undone and where the finished work is listed."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"the executor stopped: {detail}")
        self.detail = detail


GRACE = 5.0
"""Seconds a build still waits for results once its executor has dropped a task."""

Result = list[tuple[Kind, str, Any]]
"""Per unit: its kind, its plug-in's name, and its Staged files, its part or a Failure."""


@functools.cache
def plugin(group: str, name: str) -> Any:
    """Plug-ins are looked up once per process (entry points cost a scan each time)."""
    return registry.lookup(group, name)


def run(task: Task) -> Result:
    """Make the task's exports and parts one after another (runs in a worker)."""
    results: Result = []
    options = registry.Options(task.values, task.jobs)
    made = dict(task.companions)  # and what this task makes, for the exports after it
    for kind, name in task.units():
        try:
            if kind == "export":
                uses = registry.uses_of(plugin(registry.EXPORTERS, name))
                handed = {n: made[n] for n in uses if n in made}
                staged = export(task, name, registry.Options(task.values, task.jobs, handed))
                made[name] = tuple(registry.Companion(task.out / staged.stage / rel, rel,
                                                      row.media_type)
                                   for rel, row in staged.files)
                results.append((kind, name, staged))
            else:
                collection = plugin(registry.COLLECTIONS, name)
                results.append((kind, name, collection.part(task.text, options)))
        except Exception as exc:
            results.append((kind, name, Failure.of(exc)))
    return results


def run_all(tasks: tuple[Task, ...]) -> list[Result]:
    """Several tasks in one hop (a cluster's per-task cost is paid once for them)."""
    return [run(task) for task in tasks]


def export(task: Task, name: str, options: registry.Options) -> Staged:
    """Export one document with one exporter into a staging folder inside ``OUT``."""
    exporter = plugin(registry.EXPORTERS, name)
    slug = task.text.slug
    task.out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{fsutil.TMP_PREFIX}{slug}-{name}-", dir=task.out))
    try:
        result = exporter.export(task.text, stage, options)
        outputs = registry.check_outputs(f"exporter '{name}'", result, stage)
        source = (task.source, *task.made_from) if task.made_from else task.source
        files = manifest.stage_rows(outputs, stage, slug, document=slug,
                                    source=source, exporter=name)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return Staged(stage.name, slug, tuple(files))


class Runner:
    """Runs tasks inline, on the caller's executor, or on a process pool that is started
    only once there are two tasks to share it (one task alone runs inline). On the caller's
    executor, ``batch`` tasks go in one submission. A task the executor drops (its future
    cancelled, or refused at submission) is kept in :attr:`lost`.
    """

    def __init__(self, jobs: int, executor: cf.Executor | None,
                 finish: Callable[[Task, Result], None], batch: int = 1) -> None:
        self.jobs = jobs
        self.executor = executor
        self.finish = finish
        self.batch = batch if executor is not None else 1
        self.own: cf.ProcessPoolExecutor | None = None
        self.held: list[Task] = []
        self.futures: dict[cf.Future[list[Result]], tuple[Task, ...]] = {}
        self.lost: list[Task] = []
        self.reason = ""
        self.sent = 0

    def __enter__(self) -> Runner:
        return self

    def submit(self, task: Task) -> None:
        if self.executor is None and self.jobs <= 1:
            self.finish(task, run(task))
            return
        self.held.append(task)
        if self.executor is None:
            if len(self.held) < 2:  # a pool only once two tasks can share it
                return
            ctx = multiprocessing.get_context("spawn")
            self.own = cf.ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx,
                                              initializer=die_with_parent)
            self.executor = self.own
        if len(self.held) >= self.batch:
            self.flush(self.executor)

    def flush(self, executor: cf.Executor) -> None:
        """Send the held tasks, ``batch`` at a time."""
        held, self.held = self.held, []
        for start in range(0, len(held), self.batch):
            self.send(executor, tuple(held[start:start + self.batch]))

    def send(self, executor: cf.Executor, tasks: tuple[Task, ...]) -> None:
        self.sent += len(tasks)
        if self.lost:  # the executor is gone: what is left is not even offered
            self.lost.extend(tasks)
            return
        try:
            self.futures[executor.submit(run_all, tasks)] = tasks
        except Exception as exc:  # shut down, broken, or its cluster is unreachable
            self.lost.extend(tasks)
            self.reason = errors.one_line(exc)

    def __exit__(self, *exc_info: object) -> None:
        try:
            if exc_info[0] is None:
                if self.held and self.executor is None:  # one task alone runs inline
                    [task] = self.held
                    self.held = []
                    self.finish(task, run(task))
                elif self.held and self.executor is not None:
                    self.flush(self.executor)
                self.collect()
        finally:
            if self.own is not None:
                self.own.shutdown(cancel_futures=True)

    def collect(self) -> None:
        """Finish each task as its future completes. Once the executor has dropped one,
        nothing more is waited for than :data:`GRACE` seconds without a result (a lost
        cluster may leave a future that never completes)."""
        order = {future: i for i, future in enumerate(self.futures)}
        pending = set(self.futures)
        while pending:
            done, pending = cf.wait(pending, timeout=GRACE if self.lost else None,
                                    return_when=cf.FIRST_COMPLETED)
            if not done:
                for future in pending:
                    future.cancel()
                    self.lost.extend(self.futures[future])
                return
            for future in sorted(done, key=order.__getitem__):
                tasks = self.futures[future]
                error = None if future.cancelled() else future.exception()
                if future.cancelled() or isinstance(error, ExecutorLost):  # not run
                    self.lost.extend(tasks)
                elif error is not None:  # the worker process itself died
                    for task in tasks:
                        self.finish(task, [(kind, name, Failure.of(error))
                                           for kind, name in task.units()])
                else:
                    for task, result in zip(tasks, future.result(), strict=True):
                        self.finish(task, result)

    def check(self, manifest_path: Path) -> None:
        """Raise :class:`ExecutorLost` when tasks were dropped (after the manifest is written)."""
        if not self.lost:
            return
        why = f" ({self.reason})" if self.reason else ""
        raise ExecutorLost(
            f"{len(self.lost)} of {self.sent} task(s) not run{why}; the finished outputs "
            f"are listed in {manifest_path} and a rerun continues from them")
