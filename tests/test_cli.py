"""The CLI and build lifecycle: plug-ins, manifest, errors, atomic and incremental builds."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from same import same_files

from kickback_export import registry
from kickback_export.build import pipeline as build

from conftest import ROOT, SOURCE

PLUGIN = Path(__file__).parent / "plugin_pkg"


def install(factory: pytest.TempPathFactory, package: Path) -> Path:
    """Pip-install a test plug-in package into a private folder (its entry points are what
    discovery reads); put the folder on PYTHONPATH to use it."""
    target = factory.mktemp(package.name)
    work = factory.mktemp(f"{package.name}-src")
    shutil.copytree(package, work / "pkg")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(work / "pkg")],
        check=True, capture_output=True, timeout=300,
    )
    return target


@pytest.fixture(scope="session")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The third-party test exporter (``txt``) and collection (``digest``)."""
    return install(tmp_path_factory, PLUGIN)


def run(args: list[str], plugin: Path | str | None = None, cwd: Path | None = None,
        **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **env}
    if plugin is not None:
        environ["PYTHONPATH"] = str(plugin)
    return subprocess.run([sys.executable, "-m", "kickback_export", *args], capture_output=True,
                          text=True, timeout=600, env=environ, cwd=cwd, stdin=subprocess.DEVNULL)


def doc_copy(folder: Path, **replace: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SOURCE.read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new)
    path = folder / SOURCE.name
    path.write_text(text, encoding="utf-8")
    return path


def test_help_on_every_command() -> None:
    for cmd in ([], ["build"], ["formats"], ["validate"], ["import"], ["book"], ["schema"]):
        proc = run([*cmd, "--help"])
        assert proc.returncode == 0, proc.stderr
        assert "usage: kickback-export" in proc.stdout


def test_unknown_format_suggests(tmp_path: Path) -> None:
    proc = run(["build", str(SOURCE), "--format", "pfd", "--out", str(tmp_path / "o")])
    assert proc.returncode == 2
    assert "unknown format 'pfd' — did you mean 'pdf'?" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


def test_plugin_is_discovered_and_its_options_reach_it(plugin_path: Path, tmp_path: Path) -> None:
    formats = run(["formats"], plugin_path)
    assert "txt" in formats.stdout and "third-party test plug-in" in formats.stdout
    out = tmp_path / "out"
    proc = run(["build", str(SOURCE), "-f", "txt", "-o", str(out), "--txt-heading", "Do this"],
               plugin_path)
    assert proc.returncode == 0, proc.stderr
    slug = "resistance-band-one-leg-kickback-bent-position"
    text = (out / slug / f"{slug}-steps.txt").read_text(encoding="utf-8")
    assert text.splitlines()[2] == "Do this"
    assert "8. Exhale on the kickback" in text
    manifest = json.loads((out / "manifest.json").read_text())
    [row] = manifest["outputs"]
    assert row["exporter"] == "txt" and row["path"] == f"{slug}/{slug}-steps.txt"
    assert row["size"] == len(text.encode()) and row["media_type"] == "text/plain"
    import hashlib

    assert row["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert not list(out.rglob(".kbx-tmp-*")), "staging left behind"
    assert not (out / slug / f"{slug}-partial.txt").exists()


def test_failed_export_keeps_earlier_outputs_byte_identical(plugin_path: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(["build", str(SOURCE), "-f", "txt", "-o", str(out)], plugin_path).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edited = doc_copy(tmp_path / "src", **{"Brace, ribs down": "Brace hard"})
    proc = run(["build", str(edited), "-f", "txt", "-o", str(out)], plugin_path, KBX_TXT_FAIL="1")
    assert proc.returncode == 1
    assert "txt: simulated failure" in proc.stderr and "Traceback" not in proc.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert same_files({str(p): b for p, b in after.items()},
                      {str(p): b for p, b in before.items()})


def test_killed_build_leaves_nothing_truncated(plugin_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(["build", str(SOURCE), "-f", "txt", "-o", str(out)], plugin_path).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edited = doc_copy(tmp_path / "src", **{"Brace, ribs down": "Brace hard"})
    env = {**os.environ, "PYTHONPATH": str(plugin_path), "KBX_TXT_STALL": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "kickback_export", "build", str(edited),
                             "-f", "txt", "-o", str(out), "-j", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(out.rglob("*partial.txt")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    visible = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()
               and not any(part.startswith(".kbx-tmp-") for part in p.relative_to(out).parts)}
    assert same_files({str(p): b for p, b in visible.items()},
                      {str(p): b for p, b in before.items()})
    assert list(out.rglob(".kbx-tmp-*")), "the kill should have left a staging folder"
    again = run(["build", str(edited), "-f", "txt", "-o", str(out)], plugin_path)
    assert again.returncode == 0
    assert not list(out.rglob(".kbx-tmp-*"))
    slug = "resistance-band-one-leg-kickback-bent-position"
    assert "Brace your midsection" in (out / slug / f"{slug}-steps.txt").read_text()


def test_unchanged_rebuild_rewrites_nothing_and_force_does(plugin_path: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(["build", str(SOURCE), "-f", "txt", "-o", str(out)], plugin_path).returncode == 0
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    time.sleep(0.05)
    again = run(["build", str(SOURCE), "-f", "txt", "-o", str(out)], plugin_path)
    assert again.returncode == 0 and "0 file(s) written, 1 unchanged" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    changed_option = run(["build", str(SOURCE), "-f", "txt", "-o", str(out),
                          "--txt-heading", "Other"], plugin_path)
    assert "1 file(s) written" in changed_option.stderr
    forced = run(["build", str(SOURCE), "-f", "txt", "-o", str(out), "--txt-heading", "Other",
                  "--force"], plugin_path)
    assert "1 file(s) written" in forced.stderr


def test_one_bad_document_does_not_stop_the_others(plugin_path: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    doc_copy(src)
    (src / "broken.yaml").write_text("id: broken\nname: [\n", encoding="utf-8")
    dup = src / "dup.yaml"
    dup.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    proc = run(["build", str(src), "-f", "txt", "-o", str(out)], plugin_path)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert any(ln.startswith(f"{src / 'broken.yaml'}:3: YAML syntax error") for ln in lines)
    assert any("id: 'resistance-band-one-leg-kickback-bent-position' is already used" in ln
               for ln in lines)
    assert not (out / "broken").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["outputs"]) == 1


def test_default_build_lists_every_registered_exporter(plugin_path: Path, tmp_path: Path) -> None:
    """The main job: `build` with defaults, from a project folder, into outputs/."""
    project = tmp_path / "project"
    doc_copy(project / "source")
    proc = run(["build", "--quiet"], plugin_path, cwd=project)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((project / "outputs" / "manifest.json").read_text())
    exporters, collections = registered(plugin_path)
    attached = {name for names in exporters.values() for name in names}
    assert attached <= set(collections)
    declined = set(manifest["sources"]["source/" + SOURCE.name].get("declined", ()))
    assert declined == {"ics"}  # a calendar needs a program's schedule
    assert {row["exporter"] for row in manifest["outputs"]} == (set(exporters) - declined
                                                                  | attached)
    for row in manifest["outputs"]:
        path = project / "outputs" / row["path"]
        assert path.stat().st_size == row["size"] > 0
        if row["exporter"] in attached:  # made from every document of the build
            assert row["source"] == ["source/" + SOURCE.name] and row["path"].count("/") == 0
        else:
            assert row["source"] == "source/" + SOURCE.name


def registered(plugin: Path | None = None) -> tuple[dict[str, set[str]], list[str]]:
    """What `formats` lists: each exporter with the collections it also makes, then the
    collections (after a blank line and a heading)."""
    exporters, _, rest = run(["formats"], plugin).stdout.partition("\n\n")
    made = {line.split()[0]: set(re.findall(r"\(also makes: (.*)\)$", line)[0].split(", "))
            if "(also makes: " in line else set() for line in exporters.splitlines()}
    collections = rest.partition("\n\n")[0]  # the document kinds follow
    return made, [line.split()[0] for line in collections.splitlines()[1:]]


def test_python_api_builds_with_an_executor(plugin_path: Path, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    sys.path.insert(0, str(plugin_path))
    try:
        import importlib

        importlib.invalidate_caches()
        assert "txt" in registry.discover()
        with ThreadPoolExecutor(2) as pool:
            report = build.build([SOURCE], ["txt"], tmp_path / "o", executor=pool)
        assert report.exit_code == 0 and len(report.written) == 1
    finally:
        sys.path.remove(str(plugin_path))


def test_schema_is_current() -> None:
    from kickback_export.document.schema import schema_text

    published = (ROOT / "schema" / "exercise.schema.json").read_text(encoding="utf-8")
    assert published == schema_text(), "run: kickback-export schema -o schema/exercise.schema.json"


def test_nothing_to_build_leaves_no_trace(tmp_path: Path) -> None:
    proc = run(["build", "--out", str(tmp_path / "out")], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == "source: no such file or folder"
    assert not (tmp_path / "out").exists()


def test_parallel_batch_validates_in_the_workers(plugin_path: Path, tmp_path: Path) -> None:
    """With many documents, validation moves to the workers: same errors, same outputs."""
    src = tmp_path / "src"
    text = SOURCE.read_text(encoding="utf-8")
    for i in range(5):
        doc_copy(src / f"d{i}", **{"id: resistance-band-one-leg-kickback-bent-position":
                                   f"id: exercise-{i}"}).rename(src / f"d{i}.yaml")
    (src / "bad.yaml").write_text(text.replace("id: resistance-band-one-leg-kickback-bent-position",
                                               "id: bad-one").replace("sets: 3", "sets: three"))
    (src / "twin.yaml").write_text(text.replace(
        "id: resistance-band-one-leg-kickback-bent-position", "id: exercise-0"))
    out = tmp_path / "out"
    proc = run(["build", str(src), "-f", "txt", "-o", str(out), "-j", "2"], plugin_path)
    assert proc.returncode == 2
    assert f"{src / 'bad.yaml'}:" in proc.stderr and "prescription.sets" in proc.stderr
    assert "id: 'exercise-0' is already used by" in proc.stderr
    assert "Traceback" not in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(row["document"] for row in manifest["outputs"]) == [
        f"exercise-{i}" for i in range(5)]
    assert not (out / "bad-one").exists()
