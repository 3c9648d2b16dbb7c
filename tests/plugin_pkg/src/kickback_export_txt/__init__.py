"""A minimal third-party exporter: proves a format can be added from outside the package."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kickback_export import fsutil
from kickback_export.document.model import Exercise
from kickback_export.registry import Option, Options, Output


class TextExporter:
    name = "txt"
    description = "Plain-text step list (third-party test plug-in)"
    options = (Option("txt-heading", "text written above the steps", default="Steps"),)

    def export(self, document: Exercise, out_dir: Path, options: Options) -> list[Output]:
        lines = [document.name, "", options.get("txt-heading", "Steps")]
        lines += [f"{i}. {step.text}" for i, step in enumerate(document.steps, 1)]
        path = fsutil.write_text(out_dir / f"{document.slug}-steps.txt", "\n".join(lines) + "\n")
        # Hooks for the test suite: fail or stall after a first file is written.
        (out_dir / f"{document.slug}-partial.txt").write_text("half of a fil")
        if os.environ.get("KBX_TXT_FAIL"):
            raise RuntimeError("simulated failure after writing part of the output")
        if os.environ.get("KBX_TXT_STALL"):
            time.sleep(float(os.environ["KBX_TXT_STALL"]))
        (out_dir / f"{document.slug}-partial.txt").unlink()
        return [Output(path, "text/plain")]
