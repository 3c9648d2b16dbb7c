"""What machine a benchmark ran on, and where its results are written."""

from __future__ import annotations

import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def write_section(heading: str, section: str) -> None:
    """Replace the ``heading`` section of docs/benchmarks.md (or append it)."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    start = text.find(heading + "\n")
    if start < 0:
        new = text.rstrip("\n") + "\n\n" + section
    else:
        nxt = text.find("\n## ", start + len(heading))
        rest = text[nxt + 1 :] if nxt >= 0 else ""
        new = text[:start] + section + ("\n" + rest if rest else "")
    tmp = DOC.with_suffix(".md.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(DOC)
