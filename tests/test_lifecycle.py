"""The plug-in contract and collections through the build: every broken plug-in is named with
its reason, a collection is staged, published, listed and skipped like an export, and the
commands that need no engine start without loading one."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from same import same_files

from conftest import SOURCE
from test_cli import doc_copy, install, plugin_path, run

__all__ = ["plugin_path"]  # a fixture, used by name

BAD = Path(__file__).parent / "plugin_bad"
SLUG = "resistance-band-one-leg-kickback-bent-position"
ENGINES = ("reportlab", "pikepdf", "numpy", "ebooklib", "lameenc", "pyttsx3", "mutagen")
REASONS = [
    "exporter 'blurbless' (kx_bad:Blurbless): no 'description' attribute",
    "exporter 'crashes' (kx_bad:Crashes): Crashes() failed: RuntimeError: no licence key",
    "exporter 'exportless' (kx_bad:Exportless): no 'export' method",
    "exporter 'loose-options' (kx_bad:LooseOptions): 'options' holds str, "
    "expected kickback_export.registry.Option",
    "exporter 'nameless' (kx_bad:Nameless): no 'name' attribute",
    "exporter 'nowhere' (kx_nowhere:Exporter): cannot be imported: "
    "ModuleNotFoundError: No module named 'kx_nowhere'",
    "exporter 'shade-b' (kx_bad:ShadeB): option '--shade' is also declared by "
    "exporter 'shade-a' (kx_bad:ShadeA); 'shade-b' is left out",
    "exporter 'stringly' (kx_bad:Stringly): 'export' is str, not a method",
    "exporter 'wordcount' (kx_bad:WordCount): export() takes 2 arguments, "
    "expected (document, out_dir, options)",
    "collection 'halfbook' (kx_bad:HalfBook): assemble() takes 2 arguments, "
    "expected (parts, out_dir, options)",
    "exporter 'txt' (kx_bad:Plain): the name is already taken by exporter 'txt' "
    "(kickback_export_txt:TextExporter); 'kx_bad:Plain' is left out",
    "collection 'pdf' (kx_bad:Plain): the name is already taken by exporter 'pdf' "
    "(kickback_export.exporters.pdf:PdfExporter); 'kx_bad:Plain' is left out",
]


@pytest.fixture(scope="session")
def both(tmp_path_factory: pytest.TempPathFactory, plugin_path: Path) -> str:
    """PYTHONPATH with the good test plug-ins and the broken ones."""
    return os.pathsep.join([str(plugin_path), str(install(tmp_path_factory, BAD))])


def documents(folder: Path, count: int) -> list[Path]:
    """``count`` valid documents ``d0.yaml``… with ids ``exercise-0``…"""
    made = []
    for i in range(count):
        path = doc_copy(folder / f"d{i}", **{f"id: {SLUG}": f"id: exercise-{i}",
                                             "name: Resistance": f"name: Number {i} Resistance"})
        made.append(path.rename(folder / f"d{i}.yaml"))
        (folder / f"d{i}").rmdir()
    return made


def manifest(out: Path) -> dict[str, object]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def snapshot(out: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in out.rglob("*") if p.is_file()
            and not any(part.startswith(".kbx-tmp-") for part in p.relative_to(out).parts)}


# --- the plug-in contract ---------------------------------------------------------------


def test_every_broken_plugin_is_named_with_its_reason(both: str) -> None:
    proc = run(["formats"], both)
    assert proc.returncode == 0, proc.stderr
    warnings = [ln.removeprefix("kickback-export: warning: ") for ln in proc.stderr.splitlines()]
    assert sorted(warnings) == sorted(REASONS)
    listed = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    assert {"plain", "paths", "shade-a", "txt", "digest", "pdf"} <= listed
    assert not listed & {"wordcount", "nameless", "blurbless", "exportless", "stringly",
                         "loose-options", "crashes", "nowhere", "shade-b", "halfbook"}
    assert "--shade" in run(["build", "--help"], both).stdout  # shade-a keeps its option


@pytest.mark.parametrize("name", ["wordcount", "halfbook", "shade-b", "nowhere"])
def test_choosing_a_broken_plugin_says_why(both: str, tmp_path: Path, name: str) -> None:
    proc = run(["build", str(SOURCE), "-f", f"plain,{name}", "-o", str(tmp_path / "o")], both)
    assert proc.returncode == 2
    [reason] = [r for r in REASONS if r.split("'")[1] == name]
    assert proc.stderr.splitlines()[-1] == reason
    assert "unknown format" not in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


def test_an_export_that_returns_a_path_fails_that_document_only(both: str,
                                                                tmp_path: Path) -> None:
    src = tmp_path / "src"
    documents(src, 2)
    out = tmp_path / "out"
    proc = run(["build", str(src), "-f", "paths,plain", "-o", str(out), "-j", "1"], both)
    assert proc.returncode == 1
    for i in range(2):
        line = (f"{src / f'd{i}.yaml'}: paths: exporter 'paths' returned PosixPath, "
                "expected a list of kickback_export.registry.Output")
        assert line in proc.stderr.splitlines()
    assert "Traceback" not in proc.stderr
    rows = manifest(out)["outputs"]
    assert isinstance(rows, list)
    assert sorted(row["path"] for row in rows) == [
        f"exercise-{i}/exercise-{i}.plain.txt" for i in range(2)]  # options may be omitted
    assert not list(out.rglob("*.path.txt"))


# --- collections through the build ------------------------------------------------------


def test_collection_is_staged_published_listed_and_skipped(plugin_path: Path,
                                                           tmp_path: Path) -> None:
    src = tmp_path / "src"
    paths = documents(src, 4)
    out = tmp_path / "out"
    build = ["build", str(src), "-f", "txt,digest", "-o", str(out), "-j", "2"]
    proc = run(build, plugin_path)
    assert proc.returncode == 0, proc.stderr
    assert "4 document(s): 5 file(s) written, 0 unchanged" in proc.stderr
    text = (out / "digest.txt").read_text(encoding="utf-8").splitlines()
    assert text[:5] == ["Exercises", *(f"exercise-{i}: Number {i} Resistance Band One Leg "
                                      "Kickback (Bent Position)" for i in range(4))]
    parts = {ln.split()[-1] for ln in text if ln.startswith("part pid")}
    [assembled] = [ln.split()[-1] for ln in text if ln.startswith("assemble pid")]
    assert assembled not in parts  # parts ran in the worker processes, assembly here
    [row] = [r for r in manifest(out)["outputs"] if r["exporter"] == "digest"]  # type: ignore[attr-defined]
    assert row["document"] == "digest" and row["path"] == "digest.txt"
    assert row["source"] == [str(p) for p in paths]
    assert row["size"] == (out / "digest.txt").stat().st_size
    assert not list(out.rglob(".kbx-tmp-*"))

    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = run(build, plugin_path)
    assert "0 file(s) written, 5 unchanged" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    heading = run([*build, "--digest-heading", "All"], plugin_path)
    assert "1 file(s) written, 4 unchanged" in heading.stderr
    assert (out / "digest.txt").read_text().startswith("All\n")
    paths[2].write_text(paths[2].read_text().replace("Brace, ribs down", "Brace hard"))
    edited = run([*build, "--digest-heading", "All"], plugin_path)
    assert "2 file(s) written, 3 unchanged" in edited.stderr  # that document's txt + digest
    forced = run([*build, "--digest-heading", "All", "--force"], plugin_path)
    assert "5 file(s) written, 0 unchanged" in forced.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_document_leaves_the_collection_unwritten(plugin_path: Path, tmp_path: Path,
                                                        jobs: str) -> None:
    src = tmp_path / "src"
    documents(src, 4)
    out = tmp_path / "out"
    build = ["build", str(src), "-f", "digest", "-o", str(out), "-j", jobs]
    assert run(build, plugin_path).returncode == 0
    before = snapshot(out)
    bad = src / "d9.yaml"
    bad.write_text("id: broken\nname: [\n", encoding="utf-8")
    proc = run(build, plugin_path)
    assert proc.returncode == 2
    [line] = [ln for ln in proc.stderr.splitlines() if "problem" not in ln]
    assert line.startswith(f"{bad}:3: YAML syntax error")
    assert same_files(snapshot(out), before)
    bad.write_text((src / "d1.yaml").read_text(), encoding="utf-8")  # the same id twice
    proc = run(build, plugin_path)
    assert proc.returncode == 2 and "id: 'exercise-1' is already used by" in proc.stderr
    assert same_files(snapshot(out), before)
    bad.unlink()
    proc = run([*build, "--force"], plugin_path, KBX_DIGEST_REFUSE="exercise-3")
    assert proc.returncode == 2
    assert [ln for ln in proc.stderr.splitlines() if "problem" not in ln] == [
        f"{src / 'd3.yaml'}: digest: name: 'Number 3 Resistance Band One Leg Kickback "
        "(Bent Position)' cannot go in a digest"]
    assert "Traceback" not in proc.stderr
    assert same_files(snapshot(out), before)
    proc = run(["build", str(src), str(tmp_path / "gone"), "-f", "digest", "-o", str(out)],
               plugin_path)
    assert proc.returncode == 2 and same_files(snapshot(out), before)


def test_killed_assembly_leaves_nothing_truncated(plugin_path: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    documents(src, 2)
    out = tmp_path / "out"
    build = ["build", str(src), "-f", "digest", "-o", str(out)]
    assert run(build, plugin_path).returncode == 0
    before = snapshot(out)
    env = {**os.environ, "PYTHONPATH": str(plugin_path), "KBX_DIGEST_STALL": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "kickback_export", *build, "--force",
                             "--digest-heading", "Changed"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(out.glob(".kbx-tmp-*/half.txt")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(out.glob(".kbx-tmp-digest-*")), "the kill should have left a staging folder"
    assert same_files(snapshot(out), before)
    again = run([*build, "--digest-heading", "Changed"], plugin_path)
    assert again.returncode == 0 and not list(out.rglob(".kbx-tmp-*"))
    assert (out / "digest.txt").read_text().startswith("Changed\n")


def test_an_option_refused_by_a_collection_is_one_line(plugin_path: Path,
                                                       tmp_path: Path) -> None:
    src = tmp_path / "src"
    documents(src, 3)
    proc = run(["build", str(src), "-f", "book", "-o", str(tmp_path / "out")], plugin_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == "book: --title: a book needs a title"
    assert len(proc.stderr.splitlines()) == 2  # and the summary
    assert not (tmp_path / "out").exists()


def test_html_also_builds_the_index_of_every_document(tmp_path: Path) -> None:
    src = tmp_path / "src"
    documents(src, 2)
    out = tmp_path / "out"
    proc = run(["build", str(src), "-f", "html", "-o", str(out), "-j", "1"])
    assert proc.returncode == 0, proc.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    for i in range(2):
        assert f'href="exercise-{i}/exercise-{i}.html"' in index
        assert (out / f"exercise-{i}" / f"exercise-{i}.html").is_file()
    [row] = [r for r in manifest(out)["outputs"] if r["exporter"] == "html-index"]  # type: ignore[attr-defined]
    assert row["path"] == "index.html" and row["source"] == [str(src / "d0.yaml"),
                                                            str(src / "d1.yaml")]


def test_a_damaged_manifest_is_rebuilt_not_trusted(plugin_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    (out / "manifest.json").write_text(json.dumps({
        "outputs": [1, {"path": "x"}], "inputs": [],
        "sources": {"src/a.yaml": {"sha256": digest}, "src/b.yaml": 3}}))
    (tmp_path / "src").mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(SOURCE, tmp_path / "src" / name)
    (tmp_path / "src" / "b.yaml").write_text(SOURCE.read_text().replace(
        f"id: {SLUG}", "id: other"))
    proc = run(["build", "src", "-f", "txt,digest", "-o", str(out)], plugin_path, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "3 file(s) written, 0 unchanged" in proc.stderr
    rows = manifest(out)["outputs"]
    assert isinstance(rows, list)
    assert sorted(r["exporter"] for r in rows) == ["digest", "txt", "txt"]


# --- fast start -------------------------------------------------------------------------


def imported(*args: str) -> set[str]:
    """The modules a command imports (``python -X importtime``)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "kickback_export", *args],
                          capture_output=True, text=True, timeout=120, check=True)
    return {m.group(1).strip() for m in re.finditer(r"^import time:[^|]+\|[^|]+\|(.+)$",
                                                     proc.stderr, re.M)}


PLUGINS = sorted({ep.value.split(":")[0] for group in ("kickback_export.exporters",
                                                       "kickback_export.collections")
                  for ep in entry_points(group=group) if ep.value.startswith("kickback_export.")})


@pytest.mark.parametrize("module", PLUGINS)
def test_a_plugin_module_loads_no_engine(module: str) -> None:
    """Listing formats imports every plug-in module: each imports its engines, the content
    layer and the document model only inside ``export``/``part``/``assemble``."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                          capture_output=True, text=True, timeout=120, check=True)
    modules = {m.group(1).strip() for m in re.finditer(r"^import time:[^|]+\|[^|]+\|(.+)$",
                                                        proc.stderr, re.M)}
    assert module in modules  # the parse found something
    heavy = {m for m in modules if m.split(".")[0] in {*ENGINES, "pydantic", "lxml"}
             or m.startswith(("kickback_export.engines", "kickback_export.content",
                              "kickback_export.document"))}
    assert not heavy


@pytest.mark.parametrize("args", [["--help"], ["formats"], ["build", "--help"]])
def test_listing_commands_load_no_engine(args: list[str]) -> None:
    modules = imported(*args)
    assert "kickback_export.cli" in modules  # the parse found something
    loaded = {m.split(".")[0] for m in modules}
    assert not loaded & {*ENGINES, "pydantic", "rich", "yaml"}
    if args == ["--help"]:
        assert not [m for m in modules if m.startswith("kickback_export.exporters")]
