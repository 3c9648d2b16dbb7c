"""Builds into one output folder at once, as real processes: each waits for the others where
they would clash, none loses another's manifest rows or staging folder, a file two of them
publish is listed as it is on disk, and the web index covers every page in the folder,
whichever build made it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.html
import pytest

from kickback_export import registry

from test_cli import doc_copy, plugin_path, run
from test_lifecycle import documents

__all__ = ["plugin_path"]  # a fixture, used by name

SLUG = "resistance-band-one-leg-kickback-bent-position"
LOCKS = {".kbx-tmp-lock", ".kbx-tmp-running"}
TMP = ".kbx-tmp-"


STARTED: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def _no_build_outlives_its_test() -> Iterator[None]:
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def start(args: list[str], plugin: Path | None = None, **env: str) -> subprocess.Popen[str]:
    environ = {**os.environ, **env}
    if plugin is not None:
        environ["PYTHONPATH"] = str(plugin)
    proc = subprocess.Popen([sys.executable, "-m", "kickback_export", *args], env=environ,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    STARTED.append(proc)
    return proc


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def rows(out: Path) -> list[dict[str, object]]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(data["outputs"], list)
    return data["outputs"]


def assert_listed_as_on_disk(out: Path) -> list[dict[str, object]]:
    """Every file under OUT (but the manifest and the locks) is listed with its sha256 and
    size, every listed file is there, and no staging is left."""
    listed = rows(out)
    files = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    files.pop("manifest.json")
    left = [k for k in files if TMP in k and k not in LOCKS]
    assert not left, f"temporaries left: {left}"
    assert sorted(str(r["path"]) for r in listed) == sorted(k for k in files if k not in LOCKS)
    for row in listed:
        data = files[str(row["path"])].read_bytes()
        assert (row["sha256"], row["size"]) == (hashlib.sha256(data).hexdigest(), len(data)), row
    return listed


def index_links(out: Path) -> dict[str, str]:
    """The index's links and their text."""
    page = lxml.html.document_fromstring((out / "index.html").read_bytes())
    return {str(a.get("href")): a.text_content() for a in page.iter("a")}


def copies(folder: Path, prefix: str, count: int) -> list[Path]:
    """``count`` copies of the sample with ids ``<prefix>-0``…"""
    made = []
    for i in range(count):
        path = doc_copy(folder / f"{prefix}{i}", **{f"id: {SLUG}": f"id: {prefix}-{i}"})
        made.append(path.rename(folder / f"{prefix}{i}.yaml"))
        (folder / f"{prefix}{i}").rmdir()
    return made


# --- many builds at once ----------------------------------------------------------------


def test_three_builds_at_once_list_every_file(tmp_path: Path) -> None:
    src, other, out = tmp_path / "src", tmp_path / "other", tmp_path / "out"
    documents(src, 40)  # enough for each to take a while (html alone is fast)
    copies(other, "other", 200)
    builds = {"pdf,epub,brf": src, "html,large-print": src, "html": other}
    started = time.monotonic()
    procs = [start(["build", str(folder), "-f", formats, "-o", str(out), "-j", "1"])
             for formats, folder in builds.items()]
    ended = []
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        ended.append(time.monotonic() - started)
        assert proc.returncode == 0, err
    listed = assert_listed_as_on_disk(out)

    # the three were exporting at once: the times their outputs were written overlap
    written: dict[str, list[int]] = {}
    for row in listed:
        if row["exporter"] == "html-index":
            continue
        build = ("html" if str(row["document"]).startswith("other") else
                 next(f for f in builds if str(row["exporter"]) in f.split(",")))
        written.setdefault(build, []).append((out / str(row["path"])).stat().st_mtime_ns)
    spans = {build: (min(times), max(times)) for build, times in written.items()}
    assert len(spans) == 3
    assert max(lo for lo, _ in spans.values()) < min(hi for _, hi in spans.values()), spans
    assert {str(r["exporter"]) for r in listed} == {
        "pdf", "epub", "brf", "html", "large-print", "html-index"}

    pages = {p.relative_to(out).as_posix() for p in out.glob("*/*.html")}
    assert len(pages) == 240 and set(index_links(out)) == pages
    first = min(lo for lo, _ in spans.values())
    print("three builds at once, writing (s):", {b: (round((lo - first) / 1e9, 2),
          round((hi - first) / 1e9, 2)) for b, (lo, hi) in spans.items()},
          f"ended after {', '.join(f'{t:.1f}' for t in ended)} s")


def test_a_build_that_must_wait_says_so_then_succeeds(plugin_path: Path,
                                                      tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    documents(src, 2)
    # the first holds the folder's lock while it assembles its digest, stalled for a minute
    first = start(["build", str(src), "-f", "digest", "-o", str(out)], plugin_path,
                  KBX_DIGEST_STALL="60")
    wait_for(lambda: list(out.glob(f"{TMP}digest-*/half.txt")), "the digest's assembly")
    second = start(["build", str(src), "-f", "txt", "-o", str(out)], plugin_path)
    assert second.stderr is not None
    line = f"kickback-export: waiting for another build into {out} to finish…\n"
    lines = []
    while line not in lines and (got := second.stderr.readline()):  # "" once it has ended
        lines.append(got)
    assert line in lines, lines
    assert first.poll() is None and second.poll() is None
    first.kill()  # a killed build's locks go with it
    first.wait()
    _, rest = second.communicate(timeout=120)
    assert second.returncode == 0, rest
    assert rest.splitlines()[-1].startswith(
        "2 document(s): 2 file(s) written, 0 unchanged, 0 problem(s)"), rest
    assert line not in rest  # said once
    listed = assert_listed_as_on_disk(out)  # the killed build's staging is swept too
    assert sorted(str(r["exporter"]) for r in listed) == ["txt", "txt"]


def test_a_build_never_sweeps_the_staging_of_one_still_running(plugin_path: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    slow_doc = doc_copy(tmp_path / "a")
    quick_doc = doc_copy(tmp_path / "b", **{f"id: {SLUG}": "id: quick"})
    slow_build = ["build", str(slow_doc), "-f", "txt", "-o", str(out)]
    slow = start(slow_build, plugin_path, KBX_TXT_STALL="60")
    wait_for(lambda: list(out.glob(f"{TMP}*/*partial.txt")), "the first build's staging")
    [staging] = [p.parent for p in out.glob(f"{TMP}*/*partial.txt")]
    quick = run(["build", str(quick_doc), "-f", "txt", "-o", str(out)], plugin_path)
    assert quick.returncode == 0, quick.stderr
    assert slow.poll() is None, slow.communicate()[1]
    assert staging.is_dir() and list(staging.iterdir()), "a running build's staging was swept"
    slow.kill()
    slow.wait()
    assert staging.is_dir()
    again = run(slow_build, plugin_path)  # alone now: it sweeps what the killed one left
    assert again.returncode == 0, again.stderr
    listed = assert_listed_as_on_disk(out)
    assert sorted(str(r["path"]) for r in listed) == [
        "quick/quick-steps.txt", f"{SLUG}/{SLUG}-steps.txt"]


def test_a_file_two_builds_publish_is_listed_as_it_is_on_disk(plugin_path: Path,
                                                              tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    paths = documents(src, 8)
    # the first publishes exercise-0's file after 1.25 s, then makes 7 more before its merge
    first = start(["build", str(src), "-f", "txt", "--txt-heading", "First", "-o", str(out),
                   "-j", "1"], plugin_path, KBX_TXT_STALL="1.25")
    target = out / "exercise-0" / "exercise-0-steps.txt"
    wait_for(target.is_file, "the first build's file")
    second = ["build", str(paths[0]), "-f", "txt", "--txt-heading", "Second", "-o", str(out)]
    done = run(second, plugin_path)  # publishes the same file again, and merges first
    assert done.returncode == 0, done.stderr
    assert first.poll() is None, "the first build ended before the second: nothing was tried"
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert target.read_text(encoding="utf-8").splitlines()[2] == "Second"
    assert len(assert_listed_as_on_disk(out)) == 8
    again = run(second, plugin_path)  # the row is the second build's, its inputs too
    assert "1 document(s): 0 file(s) written, 1 unchanged" in again.stderr, again.stderr


# --- the index covers the folder --------------------------------------------------------


def test_a_build_of_one_page_keeps_every_other_in_the_index(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    paths = documents(src, 3)
    assert run(["build", str(src), "-f", "html", "-o", str(out)]).returncode == 0
    pages = {f"exercise-{i}/exercise-{i}.html" for i in range(3)}
    assert set(index_links(out)) == pages

    paths[1].write_text(paths[1].read_text().replace("name: Number 1", "name: Renamed 1"))
    one = run(["build", str(paths[1]), "-f", "html", "-o", str(out)])
    assert one.returncode == 0, one.stderr
    assert "1 document(s): 3 file(s) written, 0 unchanged" in one.stderr  # page, css, index
    links = index_links(out)
    assert set(links) == pages and links["exercise-1/exercise-1.html"].startswith("Renamed 1")
    [row] = [r for r in rows(out) if r["exporter"] == "html-index"]
    assert row["source"] == [str(p) for p in paths]

    index = out / "index.html"
    stamp = index.stat().st_mtime_ns, index.stat().st_ino
    for again in ([str(paths[1])], [str(src)]):  # nothing changed: the index stays as it is
        proc = run(["build", *again, "-f", "html", "-o", str(out)])
        assert " 0 file(s) written" in proc.stderr, proc.stderr
        assert (index.stat().st_mtime_ns, index.stat().st_ino) == stamp

    added = copies(tmp_path / "more", "added", 1)
    assert run(["build", str(added[0]), "-f", "html", "-o", str(out)]).returncode == 0
    assert set(index_links(out)) == {*pages, "added-0/added-0.html"}
    shutil.rmtree(out / "exercise-0")  # a page gone from the folder leaves the index
    proc = run(["build", str(added[0]), "-f", "html", "-o", str(out)])
    assert "1 file(s) written, 2 unchanged" in proc.stderr, proc.stderr  # the index
    assert set(index_links(out)) == {*pages, "added-0/added-0.html"} - {
        "exercise-0/exercise-0.html"}
    assert_listed_as_on_disk(out)


def test_a_collection_is_made_per_build_or_per_folder() -> None:
    class Everywhere:
        name, description, scope = "everywhere", "an index of everything", "everything"

        def part(self, text: object, options: object) -> None: ...

        def assemble(self, parts: object, out_dir: object, options: object) -> None: ...

    assert registry.contract_problem(registry.COLLECTIONS, "everywhere", Everywhere()) == (
        "'scope' is 'everything', expected 'build' or 'folder'")
    found = registry.plugins().collections
    assert found["html-index"].scope == "folder" and not hasattr(found["book"], "scope")
