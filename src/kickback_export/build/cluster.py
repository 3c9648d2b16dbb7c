"""Builds on a Dask cluster: ``build --dask tcp://HOST:PORT`` (an existing scheduler and its
workers) or ``build --dask local`` (a ``LocalCluster`` of ``--jobs`` worker processes here).

``distributed`` (the ``dask`` extra) is imported only when ``--dask`` is used. Each task
is one document; the workers stage and hash its outputs in the output folder, which they
must see at the same path as this process (a shared file system, or the same machine),
and this process publishes them and writes the manifest. A worker's clip cache is its own
``KICKBACK_EXPORT_CACHE`` (or its user cache folder). Dask retries the tasks of a worker
that dies on another; when the scheduler goes away the build stops with one line, after
writing the manifest of everything published (see :class:`~.runner.ExecutorLost`).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import functools
import importlib
import logging
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import errors
from .runner import ExecutorLost

LOCAL = "local"
INSTALL = "pip install 'kickback-export[dask]'"
WAIT_FOR_WORKERS = 60.0
"""Seconds to wait for a scheduler's first worker."""
_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?[^\s/:]+:\d+$|^[a-z][a-z0-9+.-]*://\S+$")
_LOGGERS = ("distributed", "tornado", "bokeh")
LOCAL_CONFIG = {
    # no dashboard is shown here: Dask's statistical profiler (sampling every worker thread
    # 100 times a second) and its monitors (event loop every 20 ms, memory every 100 ms,
    # system every 500 ms) only take the cores from the exports
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Dask settings for ``--dask local``."""


class DaskExecutor(cf.Executor):
    """A :class:`concurrent.futures.Executor` on a ``distributed.Client`` whose futures
    always settle: a task whose result cannot be had any more (the scheduler went away,
    even while its result was being fetched) ends in :class:`~.runner.ExecutorLost`, which
    the build counts as not run, instead of being waited for forever. Tasks are impure
    (never merged by key)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.remote: set[Any] = set()  # held until settled (a dropped one is released)
        self.lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        done: cf.Future[Any] = cf.Future()
        done.set_running_or_notify_cancel()
        remote = self.client.submit(fn, *args, pure=False, **kwargs)
        with self.lock:
            self.remote.add(remote)
        remote.add_done_callback(functools.partial(self.settle, done))
        return done

    def settle(self, done: cf.Future[Any], remote: Any) -> None:
        """Runs in Dask's callback thread once ``remote`` has finished, failed or been
        cancelled."""
        try:
            done.set_result(remote.result())
        except BaseException as exc:
            if remote.status == "error":  # the task itself failed (e.g. its workers died)
                done.set_exception(exc)
            else:
                done.set_exception(ExecutorLost(errors.one_line(exc)))
        finally:
            with self.lock:
                self.remote.discard(remote)
            if not done.done():
                done.set_exception(ExecutorLost("no result"))


@dataclass(frozen=True)
class Session:
    """A connected client's executor and what it has to run on."""

    executor: cf.Executor
    address: str
    workers: int
    threads: int


def check_address(address: str) -> None:
    """``local`` or a scheduler address (``tcp://HOST:PORT``, ``HOST:PORT``)."""
    if address != LOCAL and not _ADDRESS.match(address):
        raise errors.OptionError(
            f"--dask: '{address}' is neither 'local' nor a scheduler address (tcp://HOST:PORT)")


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Dask's own log lines (reconnect attempts, tracebacks of a lost scheduler) stay out of
    the command's output; ``KICKBACK_EXPORT_DEBUG`` lets them through."""
    if os.environ.get("KICKBACK_EXPORT_DEBUG"):
        yield
        return
    names = [n for n in list(logging.root.manager.loggerDict) if n.split(".")[0] in _LOGGERS]
    loggers = [logging.getLogger(n) for n in {*_LOGGERS, *names}]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"(distributed|dask)(\.|$)")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


@contextlib.contextmanager
def session(address: str, jobs: int) -> Iterator[Session]:
    """A client of the scheduler at ``address``, or of a new local cluster of ``jobs``
    single-threaded worker processes (``address`` = ``local``), closed afterwards."""
    check_address(address)
    try:
        dask = importlib.import_module("distributed")
    except ImportError as exc:
        raise errors.OptionError(f"--dask: Dask is not installed ({INSTALL})") from exc
    with contextlib.ExitStack() as stack:
        stack.enter_context(_quiet())
        target: object = address
        if address == LOCAL:
            config = importlib.import_module("dask.config")
            stack.enter_context(config.set(LOCAL_CONFIG))
            target = stack.enter_context(dask.LocalCluster(
                n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None, silence_logs=logging.CRITICAL,
                # its HTTP server (metrics) on any free port: no clash with another cluster
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}))
        try:
            client = stack.enter_context(dask.Client(target, set_as_default=False))
            client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
        except (OSError, TimeoutError) as exc:
            raise errors.ExportError(
                f"--dask: no Dask workers at {address}: {errors.one_line(exc)}") from exc
        nthreads = client.nthreads()
        where = str(client.scheduler.address)
        try:
            yield Session(DaskExecutor(client), where, len(nthreads),
                          sum(nthreads.values()))
        except ExecutorLost as exc:
            raise errors.ExportError(
                f"the Dask scheduler at {where} went away: {exc.detail}") from exc


@contextlib.contextmanager
def executor_for(address: str | None, jobs: int, say: Callable[[str], None] | None
                 ) -> Iterator[tuple[cf.Executor | None, int]]:
    """The executor and parallelism for a build: none and ``jobs`` without ``--dask``,
    else the cluster's, announced through ``say``."""
    if address is None:
        yield None, jobs
        return
    with session(address, jobs) as cluster:
        if say is not None:
            say(f"Dask: {cluster.workers} worker(s), {cluster.threads} thread(s) at "
                f"{cluster.address}")
        yield cluster.executor, cluster.threads
