"""A minimal third-party exporter and collection: proves both can be added from outside."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kickback_export import fsutil
from kickback_export.content.text import Items, TextModel, walk
from kickback_export.errors import ContentError, OptionError
from kickback_export.registry import Option, Options, Output


class TextExporter:
    name = "txt"
    description = "Plain-text step list (third-party test plug-in)"
    options = (Option("txt-heading", "text written above the steps", default="Steps"),)

    def export(self, document: TextModel, out_dir: Path, options: Options) -> list[Output]:
        steps = [item.text for block in walk(document.page)
                 if isinstance(block, Items) and block.ordered for item in block.items]
        lines = [document.title, "", options.get("txt-heading", "Steps")]
        lines += [f"{i}. {text}" for i, text in enumerate(steps, 1)]
        path = fsutil.write_text(out_dir / f"{document.slug}-steps.txt", "\n".join(lines) + "\n")
        # Hooks for the test suite: fail or stall after a first file is written.
        (out_dir / f"{document.slug}-partial.txt").write_text("half of a fil")
        if os.environ.get("KBX_TXT_FAIL"):
            raise RuntimeError("simulated failure after writing part of the output")
        if os.environ.get("KBX_TXT_STALL"):
            time.sleep(float(os.environ["KBX_TXT_STALL"]))
        (out_dir / f"{document.slug}-partial.txt").unlink()
        return [Output(path, "text/plain")]


class Digest:
    """One text file listing every document: ``part`` runs wherever the build runs it and
    notes its process, ``assemble`` notes its own (so a test can see where each ran)."""

    name = "digest"
    description = "Plain-text list of every exercise (third-party test collection)"
    options = (Option("digest-heading", "text written above the list", default="Exercises"),)

    def part(self, document: TextModel, options: Options) -> tuple[str, str, int]:
        if document.slug == os.environ.get("KBX_DIGEST_REFUSE"):
            raise ContentError(f"name: '{document.title}' cannot go in a digest")
        return document.slug, document.title, os.getpid()

    def assemble(self, parts: list[tuple[str, str, int]], out_dir: Path,
                 options: Options) -> list[Output]:
        if not parts:
            raise OptionError("a digest needs at least one exercise")
        lines = [options.get("digest-heading"), *(f"{slug}: {name}" for slug, name, _ in parts)]
        lines += [f"part pid {pid}" for _, _, pid in parts] + [f"assemble pid {os.getpid()}"]
        if os.environ.get("KBX_DIGEST_STALL"):
            (out_dir / "half.txt").write_text("half of a fil")
            time.sleep(float(os.environ["KBX_DIGEST_STALL"]))
        path = fsutil.write_text(out_dir / "digest.txt", "\n".join(lines) + "\n")
        return [Output(path, "text/plain")]
