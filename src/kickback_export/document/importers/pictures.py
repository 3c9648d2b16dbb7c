"""Pictures an importer copies beside a document, taken only from inside the data's folder.

An image path in someone else's data is input like any other: one that points outside
the data set's picture folder (``..``, an absolute path, a symlink out), is not a regular
file, is too large, or is neither PNG nor JPEG by its bytes is left out with a note, as is
one referenced but absent (most of free-exercise-db's photos are not in a shared copy).
The loader checks the copied pictures again, completely, when the document is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


@dataclass(frozen=True)
class Photo:
    index: int
    """Its position in the data's list (0: start position, 1: end position)."""
    source: Path
    file: str
    """Where it goes, relative to the document's folder: ``<id>/<index>.jpg``."""


def _problem(ref: str, root: Path) -> tuple[Path | None, str | None]:
    """The file ``ref`` names inside ``root``, or why it cannot be used."""
    pure = PurePosixPath(ref.replace("\\", "/"))
    if not ref.strip() or pure.is_absolute() or ".." in pure.parts or ":" in ref:
        return None, "points outside the data set's folder"
    path = root.joinpath(*pure.parts)
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, "absent"
    if not resolved.is_relative_to(root.resolve()):
        return None, "points outside the data set's folder"
    if not resolved.is_file():
        return None, "not a file"
    if resolved.stat().st_size > MAX_BYTES:
        return None, f"larger than {MAX_BYTES // 2**20} MB"
    return resolved, None


def _suffix(path: Path) -> str | None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    return next((sfx for sig, sfx in SIGNATURES.items() if head.startswith(sig)), None)


def photos(refs: list[str], root: Path, slug: str) -> tuple[list[Photo], list[str]]:
    """The usable pictures among ``refs`` and one note for the ones left out."""
    found: list[Photo] = []
    absent = 0
    other: list[str] = []
    for index, ref in enumerate(refs):
        path, why = _problem(ref, root)
        if path is None:
            if why == "absent":
                absent += 1
            else:
                other.append(f"{ref} ({why})")
            continue
        suffix = _suffix(path)
        if suffix is None:
            other.append(f"{ref} (neither PNG nor JPEG)")
            continue
        found.append(Photo(index, path, f"{slug}/{index}{suffix}"))
    notes = []
    if absent:
        notes.append(f"{absent} of {len(refs)} picture(s) referenced but absent")
    if other:
        notes.append("picture(s) left out: " + ", ".join(other))
    return found, notes
