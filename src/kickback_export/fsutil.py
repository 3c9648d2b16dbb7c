"""Atomic file writes: a reader (or a crash) never sees a half-written output.

Every file is written to a hidden temporary file in its own folder, flushed
and fsynced, then renamed over the target. Left-over temporaries from a killed
run carry a recognisable prefix and are swept by :func:`sweep_temporaries`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path

TMP_PREFIX = ".kbx-tmp-"


@contextlib.contextmanager
def atomic_path(target: Path, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place on success.

    ``durable`` flushes the data to disk before the rename (outputs); a cache that can be
    rebuilt may skip it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if durable:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_bytes(target: Path, data: bytes, durable: bool = True) -> Path:
    with atomic_path(target, durable) as tmp:
        tmp.write_bytes(data)
    return target


def write_text(target: Path, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))


def sweep_temporaries(root: Path, keep: Collection[str] = ()) -> int:
    """Delete temporaries a killed run left in ``root`` or its folders, but for the names
    in ``keep`` (in ``root``: the build's locks); return how many. The caller makes sure
    that no running build owns them (:mod:`.build.lock`).

    Only two levels are searched: staging folders and atomic writes sit there, and the
    output folder may be a large one (a book written into the home folder)."""
    if not root.is_dir():
        return 0
    count = 0
    found = [*(p for p in root.glob(TMP_PREFIX + "*") if p.name not in keep),
             *root.glob(f"*/{TMP_PREFIX}*")]
    for path in sorted(found, reverse=True):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            count += 1
    return count


@contextlib.contextmanager
def staging_dir(parent: Path, label: str) -> Iterator[Path]:
    """A scratch folder beside the outputs, removed afterwards whatever happens."""
    parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{label}-", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
