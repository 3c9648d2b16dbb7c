"""``OUT/manifest.json``: every output with its checksum, and the hash of the inputs that made
it, so an unchanged document (or collection) skips re-exporting; and the parts of the
collections kept per folder (:class:`Part`). Files reach their place through
:func:`publish`: staged first, then one atomic rename each.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import __version__, fsutil, registry

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Entry:
    """One row of ``manifest.json``. A collection's row names ``<collection>:<file>`` as its
    document and every document it was made from as its source."""

    document: str
    source: str | tuple[str, ...]
    exporter: str
    path: str
    media_type: str
    size: int
    sha256: str

    @property
    def key(self) -> str:
        """What made the row: ``<document>/<exporter>``."""
        return f"{self.document}/{self.exporter}"

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source

    @classmethod
    def from_row(cls, row: object) -> Entry | None:
        """The row as an Entry; None for a row this version cannot read."""
        if not isinstance(row, dict):
            return None
        if isinstance(row.get("source"), list):
            row = {**row, "source": tuple(map(str, row["source"]))}
        try:
            return cls(**row)
        except TypeError:
            return None


@dataclass(frozen=True)
class Part:
    """A folder collection's part for one document, kept in the manifest so that a build of
    some documents assembles it from every document in the folder: the document's source,
    the hash of the inputs that made the part, and the part (JSON data)."""

    source: str
    inputs: str
    part: Any

    @classmethod
    def from_record(cls, record: object) -> Part | None:
        if not isinstance(record, dict) or "part" not in record or not all(
                isinstance(record.get(k), str) for k in ("source", "inputs")):
            return None
        return cls(record["source"], record["inputs"], record["part"])


@dataclass
class Manifest:
    """What the last build left: rows by :attr:`Entry.key`, input hashes by the same key,
    each source file's hash and document id, and the folder collections' parts by
    collection and document."""

    rows: dict[str, list[Entry]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    parts: dict[str, dict[str, Part]] = field(default_factory=dict)


def read_manifest(out: Path) -> dict[str, Any]:
    """The manifest as JSON data, with empty parts for whatever is missing or damaged."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict):
        data = {}
    for key in ("outputs", "inputs", "sources", "parts"):
        if not isinstance(data.get(key), list if key == "outputs" else dict):
            data[key] = [] if key == "outputs" else {}
    return data


def read(out: Path) -> Manifest:
    data = read_manifest(out)
    sources = {k: v for k, v in data["sources"].items() if isinstance(v, dict)}
    found = Manifest(inputs=dict(data["inputs"]), sources=sources)
    for row in data["outputs"]:
        entry = Entry.from_row(row)
        if entry is not None:
            found.rows.setdefault(entry.key, []).append(entry)
    for name, records in data["parts"].items():
        if isinstance(records, dict):
            parts = {str(doc): Part.from_record(r) for doc, r in records.items()}
            found.parts[name] = {doc: p for doc, p in parts.items() if p is not None}
    return found


def write(out: Path, entries: Sequence[Entry], inputs: Mapping[str, str],
          sources: Mapping[str, Any],
          parts: Mapping[str, Mapping[str, Part]] | None = None) -> None:
    """Write the manifest atomically; an unchanged one is left alone (and its mtime)."""
    manifest: dict[str, Any] = {
        "generator": f"kickback-export {__version__}",
        "outputs": [asdict(e) for e in sorted(entries, key=lambda e: (e.path, e.exporter))],
        "inputs": dict(sorted(inputs.items())),
        "sources": dict(sorted(sources.items())),
    }
    kept = {name: {doc: asdict(p) for doc, p in sorted(records.items())}
            for name, records in sorted((parts or {}).items()) if records}
    if kept:
        manifest["parts"] = kept
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    try:
        if (out / MANIFEST).read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    fsutil.write_text(out / MANIFEST, text)


def input_key(source: str | Sequence[tuple[str, str]], plugin: object,
              values: Mapping[str, Any]) -> str:
    """Hash of everything an output depends on: the source bytes (a collection: every
    source's name and hash, in order), the plug-in, its version and its own options."""
    own = {opt.dest: values.get(opt.dest) for opt in registry.options_of(plugin)}
    name = str(getattr(plugin, "name", ""))
    blob: dict[str, Any] = {
        "package": __version__,
        "version": getattr(plugin, "version", __version__),
        "options": own,
    }
    if isinstance(source, str):
        blob.update(source=source, exporter=name)
    else:
        blob.update(sources=[list(pair) for pair in source], collection=name)
    text = json.dumps(blob, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def still_there(out: Path, entries: Sequence[Entry]) -> bool:
    """Every listed file is in place with its listed size (and there is at least one)."""
    for entry in entries:
        path = out / entry.path
        if not path.is_file() or path.stat().st_size != entry.size:
            return False
    return bool(entries)


def stage_rows(
    outputs: Sequence[registry.Output], stage: Path, folder: str, *,
    document: str, source: str | tuple[str, ...], exporter: str,
) -> list[tuple[str, Entry]]:
    """The manifest rows of the staged ``outputs``, each with its path inside ``stage``
    (computed where the files were made, so a cluster worker hashes its own outputs)."""
    staged: list[tuple[str, Entry]] = []
    for output in outputs:
        path = Path(output.path)
        rel = path.resolve().relative_to(stage.resolve())
        staged.append((rel.as_posix(), Entry(
            document=document, source=source, exporter=exporter,
            path=(Path(folder) / rel).as_posix(), media_type=output.media_type,
            size=path.stat().st_size, sha256=sha256(path),
        )))
    return staged


Stamp = tuple[int, int, int, int]


def stamp(path: Path) -> Stamp | None:
    """What tells one file from another put at the same path (kept by a rename)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def place(stage: Path, staged: Sequence[tuple[str, Entry]], out: Path,
          stamps: dict[str, Stamp | None] | None = None) -> list[Entry]:
    """Move staged files into ``out`` (one atomic rename each); return their rows.
    ``stamps`` receives each file's :func:`stamp` by its path in ``out``."""
    for rel, entry in staged:
        target = out / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if stamps is not None:
            stamps[entry.path] = stamp(stage / rel)
        os.replace(stage / rel, target)
    return [entry for _, entry in staged]


def intact(out: Path, ours: Sequence[Entry], stamps: Mapping[str, Stamp | None]) -> bool:
    """Every file of ``ours`` is still the one this build published (by :func:`place`)."""
    return all(stamps.get(e.path) == stamp(out / e.path) for e in ours)


def as_on_disk(out: Path, ours: Sequence[Entry], theirs: Sequence[Entry]
               ) -> tuple[list[Entry], bool]:
    """The rows of one output some of whose files another build published after this one
    (``theirs``: that output's rows in the manifest now): each file still in place, as it
    is on disk; True when the files are all and only those of ``theirs`` (so its input
    hash holds too)."""
    listed = {e.path: e for e in theirs}
    rows: list[Entry] = []
    same = bool(theirs)
    for path, row in {**{e.path: e for e in ours}, **listed}.items():
        target = out / path
        if not target.is_file():
            same = same and path not in listed
            continue
        digest, size = sha256(target), target.stat().st_size
        same = same and path in listed and (row.sha256, row.size) == (digest, size)
        rows.append(replace(row, sha256=digest, size=size))
    return rows, same


def publish(
    outputs: Sequence[registry.Output], stage: Path, out: Path, folder: str, *,
    document: str, source: str | tuple[str, ...], exporter: str,
) -> list[Entry]:
    """Move the staged ``outputs`` into ``out/folder`` (one atomic rename each) and return
    their manifest rows. Every row is computed before the first file moves."""
    staged = stage_rows(outputs, stage, folder, document=document, source=source,
                        exporter=exporter)
    return place(stage, staged, out)
