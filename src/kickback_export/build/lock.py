"""Many builds into one output folder: each waits for the others where they would clash.

Two ``flock`` locks on files in ``OUT`` (the kernel drops them when their process ends,
even on SIGKILL, so a crash never leaves a folder locked):

- ``.kbx-tmp-running``, shared by every build for its whole run (staging included); a
  build sweeps the temporaries a killed run left only when it can hold it alone, so it
  never removes a running build's staging folder.
- ``.kbx-tmp-lock``, exclusive, around reading, merging and writing the manifest and
  assembling the collections, so no build's rows are lost to another's write.

They are temporaries too: the last build to end removes them (and the folder it created,
if it is left empty: a build that made nothing leaves no trace). Whoever opened a lock
file before it was removed finds, once it holds the lock, that the path now names another
file (or none), and opens it afresh.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import errors, fsutil

RUNNING = f"{fsutil.TMP_PREFIX}running"
LOCK = f"{fsutil.TMP_PREFIX}lock"
NOTICE = 1.0
"""Seconds of waiting before the build says that it waits."""
POLL = 0.02
ATTEMPTS = 100
"""Times a lock file is opened afresh (another build removed it) before giving up."""


class FolderLock:
    """The locks of one build into ``out``; ``waiting`` hears one line when a wait is
    noticeable."""

    def __init__(self, out: Path, waiting: Callable[[str], None] | None = None) -> None:
        self.out = out
        self.waiting = waiting
        self.created = False  # this build made the folder (removed again if left empty)
        self.running: int | None = None

    def __enter__(self) -> FolderLock:
        fd = self.take(RUNNING, fcntl.LOCK_EX, blocking=False)
        if fd is not None:  # no other build runs: what is staged was left by a killed one
            fsutil.sweep_temporaries(self.out, (LOCK, RUNNING))
            self.flock(fd, fcntl.LOCK_SH)
        else:
            fd = self.take(RUNNING, fcntl.LOCK_SH)
        self.running = fd
        return self

    def __exit__(self, *exc_info: object) -> None:
        fd, self.running = self.running, None
        if fd is None:
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another build runs; the last one to end sweeps
            fsutil.sweep_temporaries(self.out, (LOCK, RUNNING))  # a killed worker staged
            for name in (LOCK, RUNNING):
                with contextlib.suppress(FileNotFoundError):
                    (self.out / name).unlink()
            if self.created:
                with contextlib.suppress(OSError):
                    self.out.rmdir()  # only when empty
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """This build alone updates the manifest and the collections."""
        fd = self.take(LOCK, fcntl.LOCK_EX)
        assert fd is not None
        try:
            yield
        finally:
            os.close(fd)

    def take(self, name: str, mode: int, blocking: bool = True) -> int | None:
        """A descriptor of ``OUT/name`` locked in ``mode`` (None: not without waiting)."""
        path = self.out / name
        for _ in range(ATTEMPTS):
            try:
                self.out.mkdir(parents=True)
                self.created = True
            except FileExistsError:
                pass
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except FileNotFoundError:  # the folder was removed meanwhile: make it again
                continue
            try:
                if blocking:
                    self.flock(fd, mode)
                else:
                    fcntl.flock(fd, mode | fcntl.LOCK_NB)
                here, held = os.stat(path), os.fstat(fd)
                if (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino):
                    return fd
            except BlockingIOError:
                os.close(fd)
                return None
            except FileNotFoundError:
                pass
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # removed by a build that ended: open the new one
        raise errors.ExportError(f"{path}: cannot be opened to lock the output folder")

    def flock(self, fd: int, mode: int) -> None:
        """Lock, saying so once the wait passes :data:`NOTICE` seconds."""
        deadline = time.monotonic() + NOTICE
        while time.monotonic() < deadline:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                time.sleep(POLL)
        if self.waiting is not None:
            self.waiting(f"waiting for another build into {self.out} to finish…")
        fcntl.flock(fd, mode)
