"""Reading a PDF back with poppler: shared by the card and the large-print tests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def run(*cmd: str | Path) -> str:
    return subprocess.run(
        [str(c) for c in cmd], check=True, capture_output=True, text=True
    ).stdout


def struct_leaves(path: Path) -> list[str]:
    """Text of each structure leaf, in tree order (pdfinfo prints one line per MCR)."""
    leaves: list[str] = []
    quoted = False
    for line in run("pdfinfo", "-struct-text", path).splitlines():
        match = re.fullmatch(r'\s+"(.*)"', line)
        if match and quoted:
            leaves[-1] += match.group(1)
        elif match:
            leaves.append(match.group(1))
        quoted = bool(match)
    return leaves
