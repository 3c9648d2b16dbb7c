"""Files compared by digest: a failure says which bytes differ in a line, in milliseconds.

Comparing two multi-megabyte byte strings with ``==`` makes pytest's assertion rewriting
diff them byte by byte, which can run for many minutes before anything is reported. Here
a comparison is one SHA-256 per side; only on a mismatch are the sizes and the first
differing offset worked out (one pass, with NumPy).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np

Data = bytes | Path


def _bytes(x: Data) -> bytes:
    return x.read_bytes() if isinstance(x, Path) else x


def digest(x: Data) -> str:
    return hashlib.sha256(_bytes(x)).hexdigest()


def first_difference(a: bytes, b: bytes) -> str:
    """Where ``a`` and ``b`` part: sizes and the first differing offset."""
    n = min(len(a), len(b))
    diff = np.flatnonzero(np.frombuffer(a, np.uint8, n) != np.frombuffer(b, np.uint8, n))
    at = int(diff[0]) if diff.size else n
    return f"{len(a)} vs {len(b)} bytes, first difference at offset {at}"


def same(a: Data, b: Data, what: str = "") -> bool:
    """Whether ``a`` and ``b`` hold the same bytes; raises AssertionError saying where they
    differ when not (use as ``assert same(a, b)``)."""
    x, y = _bytes(a), _bytes(b)
    if hashlib.sha256(x).digest() == hashlib.sha256(y).digest():
        return True
    label = what or (str(a) if isinstance(a, Path) else "bytes")
    raise AssertionError(f"{label}: {first_difference(x, y)}")


def same_files(a: Mapping[str, bytes], b: Mapping[str, bytes]) -> bool:
    """Two snapshots (name → bytes) hold the same files with the same bytes; raises
    AssertionError naming the first difference when not."""
    if sorted(a) != sorted(b):
        raise AssertionError(f"files differ: only in the first {sorted(set(a) - set(b))}, "
                             f"only in the second {sorted(set(b) - set(a))}")
    for name in sorted(a):
        same(a[name], b[name], name)
    return True
