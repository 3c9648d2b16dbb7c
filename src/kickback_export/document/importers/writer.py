"""Writing what importers made: the YAML a person would write, never an invalid document.

Shared by every importer, so each keeps the same promises: a header comment lists what
was set to a default, left out, repaired or made up for review; a document the model
refuses is not written (its one-line reason is reported instead); an existing file is
kept unless ``force``; pictures are copied beside the document before the YAML appears,
each file atomically.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from ... import fsutil
from ...errors import InputError
from ..model import Exercise
from . import Imported, Refusal, Result

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/exercise.schema.json"
STDOUT = "-"
SUFFIXES = (".yaml", ".yml")


def _sentence(label: str, items: Sequence[str]) -> str:
    return f"{label}: {'; '.join(items)}." if items else ""


def render(doc: Imported) -> str:
    """The document as YAML, under a comment saying what a reviewer should check."""
    head = f"Imported from {doc.origin}."
    if doc.defaulted:
        head += " Defaults to check: " + ", ".join(doc.defaulted) + "."
    parts = [
        head,
        _sentence("Left out", doc.left_out),
        _sentence("Changed", doc.changes),
        _sentence("Review", doc.review),
    ]
    lines = [SCHEMA_LINE]
    for part in filter(None, parts):
        lines += ["# " + line for line in textwrap.wrap(part, 86, break_on_hyphens=False)]
    body = yaml.safe_dump(doc.data, sort_keys=False, allow_unicode=True, width=88)
    return "\n".join(lines) + "\n" + body


def problem(exc: ValidationError) -> str:
    """A pydantic error as ``field: reason`` (the first one)."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


@dataclass
class Written:
    path: Path
    doc: Imported


@dataclass
class Report:
    """What a write did: documents written and the exercises refused, in source order."""

    written: list[Written] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when anything was written (refusals are reported); 2 when nothing could be."""
        return 0 if self.written or not self.refused else 2


def destination(output: str | None, default: Path, results: Sequence[Result]) -> Path | None:
    """Where documents go: a folder, or a single ``.yaml`` file; None for standard output.

    Checked before anything is written, so a bad ``-o`` leaves nothing behind.
    """
    docs = [r for r in results if isinstance(r, Imported)]
    if output == STDOUT or (output or "").lower().endswith(SUFFIXES):
        if len(docs) > 1:
            raise InputError(f"-o {output}: {len(docs)} documents need a folder, not one file")
        if output == STDOUT:
            if any(d.files for d in docs):
                raise InputError("-o -: the document has pictures to copy; give a folder")
            return None
        target = Path(str(output))
        if target.is_dir():
            raise InputError(f"{target}: is a folder, expected a file name ending .yaml")
        return target
    folder = Path(output) if output else default
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, expected the folder to write documents into")
    return folder


def _target(dest: Path, doc: Imported) -> Path:
    return dest if dest.suffix.lower() in SUFFIXES else dest / f"{doc.data['id']}.yaml"


def write(results: Sequence[Result], dest: Path | None, *, force: bool = False,
          progress: Callable[[str], None] | None = None) -> Report:
    """Write every valid document (``dest`` None: to standard output); refuse the rest."""
    report = Report()
    for result in results:
        if isinstance(result, Refusal):
            report.refused.append(result)
        else:
            _write_one(result, dest, force, report)
        if progress is not None:
            progress(str(result.data["id"]) if isinstance(result, Imported) else result.label)
    return report


def _write_one(doc: Imported, dest: Path | None, force: bool, report: Report) -> None:
    label = str(doc.data.get("id", "?"))
    try:
        Exercise.model_validate(doc.data)
    except ValidationError as exc:
        report.refused.append(Refusal(label, problem(exc)))
        return
    if dest is None:
        sys.stdout.write(render(doc))
        report.written.append(Written(Path(STDOUT), doc))
        return
    target = _target(dest, doc)
    if target.exists() and not force:
        report.refused.append(Refusal(str(target), "already exists (use --force to overwrite)"))
        return
    try:
        for relative, source in doc.files.items():
            fsutil.write_bytes(target.parent / relative, source.read_bytes())
        fsutil.write_text(target, render(doc))
    except OSError as exc:
        raise InputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    report.written.append(Written(target, doc))
