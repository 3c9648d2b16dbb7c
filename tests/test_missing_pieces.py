"""A machine without a system piece: one clear line naming what to install; the exporters
(and checks) that can run still run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SOURCE

HIDE_LOUIS = '''
import ctypes, ctypes.util
_find, _init = ctypes.util.find_library, ctypes.CDLL.__init__
ctypes.util.find_library = lambda name: None if "louis" in name else _find(name)
def _cdll(self, name, *a, **k):
    if name and "louis" in str(name):
        raise OSError(f"{name}: cannot open shared object file: No such file or directory")
    _init(self, name, *a, **k)
ctypes.CDLL.__init__ = _cdll
'''


def build(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "kickback_export", "build", str(SOURCE), "-o", str(out), "-q"],
        capture_output=True, text=True, timeout=600, env={**os.environ, **env},
    )
    manifest = json.loads((out / "manifest.json").read_text())
    return proc, {row["exporter"] for row in manifest["outputs"]}


def test_without_the_card_font(tmp_path: Path) -> None:
    proc, built = build(tmp_path, KICKBACK_EXPORT_FONT_DIR=str(tmp_path / "no-fonts"))
    assert proc.returncode == 1
    [line] = [ln for ln in proc.stderr.splitlines() if ": pdf: " in ln]
    assert "install the Debian package fonts-dejavu-core" in line
    assert "Traceback" not in proc.stderr
    assert {"epub", "brf", "audio"} <= built and "pdf" not in built


def test_without_espeak_ng(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    proc, built = build(tmp_path, PATH=str(empty))
    assert proc.returncode == 1
    [line] = [ln for ln in proc.stderr.splitlines() if ": audio: " in ln]
    assert "espeak-ng" in line and "apt" in line
    assert {"pdf", "epub", "brf"} <= built and "audio" not in built


def test_without_liblouis(tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(HIDE_LOUIS)
    proc, built = build(tmp_path, PYTHONPATH=str(hooks))
    assert proc.returncode == 1
    [line] = [ln for ln in proc.stderr.splitlines() if ": brf: " in ln]
    assert "liblouis20" in line
    assert {"pdf", "epub", "audio"} <= built and "brf" not in built


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("check") / "out"
    subprocess.run([sys.executable, "-m", "kickback_export", "build", str(SOURCE), "-o",
                    str(out), "-q", "-f", "pdf,epub"], check=True, timeout=600)
    return out


def check(out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kickback_export", "check", str(out)],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env})


def test_check_runs_epubcheck_and_qpdf(built: Path) -> None:
    proc = check(built)
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr
    assert proc.stderr.strip().endswith("output(s) checked, 0 problem(s)")


def test_check_without_java_names_it_and_still_verifies_checksums(built: Path,
                                                                  tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = check(built, PATH=str(empty))
    assert proc.returncode == 0
    assert "EPUBCheck needs a Java runtime: apt-get install default-jre-headless" in proc.stderr
    assert "qpdf" in proc.stderr  # also hidden by the empty PATH


def test_check_finds_a_changed_output(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(built), str(copy)], check=True)
    pdf = next(copy.rglob("*-card.pdf"))
    pdf.write_bytes(pdf.read_bytes()[:-100])
    proc = check(copy)
    assert proc.returncode == 1
    assert f"{pdf}: sha256 differs from the manifest" in proc.stderr
