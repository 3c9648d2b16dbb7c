"""Builds on a real Dask cluster (``distributed.LocalCluster`` of worker processes, and a
scheduler with workers started as their own processes): the same bytes as a local build,
a worker killed mid-build, the scheduler going away and the rerun that continues."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kickback_export.build import pipeline as build
from kickback_export.build.cluster import DaskExecutor

from test_cli import run
from test_lifecycle import imported

try:  # the test profile installs the dask extra; CI must not skip these tests
    import distributed
except ImportError:
    if os.environ.get("CI"):
        raise
    pytest.skip("Dask is not installed: pip install 'kickback-export[dask]'",
                allow_module_level=True)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from corpus import seed_variants

VISUAL = ["pdf", "epub", "brf", "large-print", "html"]
DOCS = 50
AUDIO_DOCS = 3


def digests(out: Path) -> dict[str, str]:
    """sha256 of every visible file under ``out`` (staging left-overs would show here)."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def published(out: Path) -> int:
    return sum(1 for p in out.glob("exercise-*/*") if p.is_file())


def manifest(out: Path) -> dict[str, Any]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


class _NoAliases(yaml.SafeDumper):
    """Documents may not use anchors: repeated steps are written out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Variants of the seed document (names, muscles, 4–12 steps, tips)."""
    folder = tmp_path_factory.mktemp("corpus")
    for doc in seed_variants(DOCS):
        text = yaml.dump(doc, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
        (folder / f"{doc['id']}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def audio_corpus(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audio-corpus")
    for path in sorted(corpus.glob("*.yaml"))[:AUDIO_DOCS]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def cli_build(paths: Path, formats: list[str], out: Path, *how: str) -> list[str]:
    """``kickback-export build`` (exit 0), its standard error lines."""
    proc = run(["build", str(paths), "-f", ",".join(formats), "-o", str(out), *how])
    assert proc.returncode == 0, proc.stderr
    return proc.stderr.splitlines()


@pytest.fixture(scope="module")
def reference(corpus: Path, audio_corpus: Path,
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The local ``--jobs 2`` build. Audio is compared for the same clip cache (the
    session's), filled first: a clip synthesized cold may differ from the cached one (the
    first utterance of a fresh speech process), so both builds read it warm."""
    out = tmp_path_factory.mktemp("reference")
    cli_build(corpus, VISUAL, out / "visual", "-j", "2")
    cli_build(audio_corpus, ["audio"], out / "warm-up", "-j", "2")
    cli_build(audio_corpus, ["audio"], out / "audio", "-j", "2")
    return {"visual": out / "visual", "audio": out / "audio"}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """One LocalCluster of two single-threaded worker processes for the module (they inherit
    this process's environment, so the session's clip cache)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                  silence_logs=logging.ERROR) as lc, \
            distributed.Client(lc, set_as_default=False) as c:
        yield c


def test_a_dask_build_makes_the_same_bytes_as_a_local_one(
        client: Any, corpus: Path, audio_corpus: Path, reference: dict[str, Path],
        tmp_path: Path) -> None:
    pids = set(client.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids  # worker processes, not threads
    address = client.scheduler.address
    lines = cli_build(corpus, VISUAL, tmp_path / "visual", "--dask", address)
    cli_build(audio_corpus, ["audio"], tmp_path / "audio", "--dask", address)
    for kind in ("visual", "audio"):
        assert digests(tmp_path / kind) == digests(reference[kind])
        assert manifest(tmp_path / kind) == manifest(reference[kind])
    files = len(manifest(reference["visual"])["outputs"])
    assert files > DOCS * len(VISUAL)
    assert {p.rsplit(".", 1)[-1] for p in digests(tmp_path / "audio")} >= {"mp3", "wav", "vtt"}
    assert lines == [f"kickback-export: Dask: 2 worker(s), 2 thread(s) at {address}",
                     f"{DOCS} document(s): {files} file(s) written, 0 unchanged, 0 problem(s) "
                     f"→ {tmp_path / 'visual' / 'manifest.json'}"]
    again = cli_build(corpus, VISUAL, tmp_path / "visual", "--dask", address, "-q")
    assert again == []
    again = cli_build(corpus, VISUAL, tmp_path / "visual", "--dask", address)
    assert f"0 file(s) written, {files} unchanged" in again[-1]


def test_progress_on_dask_as_on_a_local_build(client: Any, corpus: Path,
                                               reference: dict[str, Path],
                                               tmp_path: Path) -> None:
    steps: dict[str, list[str]] = {"local": [], "dask": []}
    for how, executor in (("local", None), ("dask", DaskExecutor(client))):
        report = build.build([corpus], ["pdf", "html"], tmp_path / how, jobs=2,
                             executor=executor, progress=steps[how].append)
        assert report.exit_code == 0, report.problems
    assert sorted(steps["dask"]) == sorted(steps["local"])
    assert len(steps["dask"]) == DOCS * 3 + 1  # pdf, html and its index part; the index
    assert steps["dask"][-1] == "html-index"
    want = digests(reference["visual"])
    got = digests(tmp_path / "dask")
    assert got.pop("manifest.json") and got == {k: want[k] for k in got}
    assert manifest(tmp_path / "dask") == manifest(tmp_path / "local")


def test_a_worker_killed_mid_build_has_its_tasks_retried(
        client: Any, corpus: Path, reference: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    pids = client.run(os.getpid)
    killed: dict[str, Any] = {}

    def kill_one_busy_worker() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            busy = [addr for addr, keys in client.processing().items() if keys and addr in pids]
            if published(out) >= 10 and busy:
                killed.update(pid=pids[busy[0]], manifest=(out / "manifest.json").exists(),
                              published=published(out))
                os.kill(pids[busy[0]], signal.SIGKILL)
            time.sleep(0.02)

    killer = threading.Thread(target=kill_one_busy_worker)
    killer.start()
    try:
        report = build.build([corpus], VISUAL, out, jobs=2, executor=DaskExecutor(client))
    finally:
        killer.join()
    assert killed, "no worker was killed"
    assert not killed["manifest"] and killed["published"] < len(report.written)  # mid-build
    assert report.exit_code == 0, report.problems
    got, want = digests(out), digests(reference["visual"])
    assert got.pop("manifest.json") and want.pop("manifest.json")
    assert got == want  # nothing partial, nothing missing
    assert manifest(out)["outputs"] == manifest(reference["visual"])["outputs"]
    client.wait_for_workers(2, timeout=60)  # the nanny started a new worker process
    assert killed["pid"] not in client.run(os.getpid).values()


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes],
                                                 subprocess.Popen[bytes]]]:
    """A scheduler and two worker processes, each its own process (so it can be killed)."""
    file = tmp_path / "scheduler.json"
    sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler",
                              "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                              "--scheduler-file", str(file)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker",
                                "--scheduler-file", str(file), "--nworkers", "2",
                                "--nthreads", "1", "--no-dashboard"], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.2)
        address = json.loads(file.read_text(encoding="utf-8"))["address"]
        with distributed.Client(address, set_as_default=False) as probe:
            probe.wait_for_workers(2, timeout=60)
        yield address, sched, workers
    finally:
        stop(workers)
        if sched.poll() is None:
            sched.kill()
        sched.wait()


def stop(workers: subprocess.Popen[bytes]) -> None:
    """End the worker processes (their nanny and the workers it started)."""
    if workers.poll() is None:
        os.killpg(workers.pid, signal.SIGKILL)
    workers.wait()


def test_the_scheduler_going_away_stops_the_build_and_a_rerun_continues(
        scheduler: tuple[str, subprocess.Popen[bytes], subprocess.Popen[bytes]], corpus: Path,
        reference: dict[str, Path], tmp_path: Path) -> None:
    address, sched, workers = scheduler
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kickback_export", "build", str(corpus),
           "-f", ",".join(VISUAL), "-o", str(out), "--dask", address, "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while published(out) < 30 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    sched.kill()
    _, stderr = proc.communicate(timeout=120)
    stop(workers)  # they would still be finishing their task (never to be published)
    assert proc.returncode == 1, stderr
    [line] = stderr.splitlines()
    assert line.startswith(f"kickback-export: error: the Dask scheduler at {address} went "
                           "away: ")
    assert line.endswith(f"task(s) not run; the finished outputs are listed in "
                         f"{out / 'manifest.json'} and a rerun continues from them")

    # what was published is complete and listed; nothing else is visible
    rows = manifest(out)["outputs"]
    listed = {row["path"]: row["sha256"] for row in rows}
    visible = {k: v for k, v in digests(out).items() if not k.startswith(".")
               and "/.kbx-tmp-" not in k and k != "manifest.json"}
    want = digests(reference["visual"])
    assert visible == listed
    assert all(want[path] == sha for path, sha in listed.items())
    assert 30 <= len(listed) < len(want) - 1

    rerun = run(["build", str(corpus), "-f", ",".join(VISUAL), "-o", str(out), "-j", "2"])
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(want) - 1 - len(listed)} file(s) written, {len(listed)} unchanged" \
        in rerun.stderr
    assert manifest(out) == manifest(reference["visual"])
    assert digests(out) == want


# --- without the extra, and bad addresses ------------------------------------------------


def test_start_up_does_not_import_dask() -> None:
    for args in (["--help"], ["formats"], ["build", "--help"]):
        modules = imported(*args)
        assert "kickback_export.cli" in modules
        assert not {m.split(".")[0] for m in modules} & {"dask", "distributed"}
        assert "kickback_export.build.cluster" not in modules


def test_without_the_extra_dask_is_named_with_its_install(tmp_path: Path, corpus: Path) -> None:
    shim = tmp_path / "shim" / "distributed"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError(\"No module named 'distributed'\")\n")
    out = tmp_path / "out"
    proc = run(["build", str(corpus), "-o", str(out), "--dask", "local"], tmp_path / "shim")
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "--dask: Dask is not installed (pip install 'kickback-export[dask]')"]
    assert not out.exists()


@pytest.mark.parametrize("address", ["nowhere", "tcp://", "local:", "-x"])
def test_a_bad_address_is_one_line(tmp_path: Path, corpus: Path, address: str) -> None:
    proc = run(["build", str(corpus), "-o", str(tmp_path / "out"), f"--dask={address}"])
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"--dask: '{address}' is neither 'local' nor a scheduler address (tcp://HOST:PORT)"]
    assert not (tmp_path / "out").exists()


def test_dask_local_starts_worker_processes(tmp_path: Path, corpus: Path,
                                            reference: dict[str, Path]) -> None:
    one = tmp_path / "src"
    one.mkdir()
    for path in sorted(corpus.glob("*.yaml"))[:3]:
        (one / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    proc = run(["build", str(one), "-f", "pdf", "-o", str(out), "--dask", "local", "-j", "2"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[0].startswith(
        "kickback-export: Dask: 2 worker(s), 2 thread(s) at tcp://127.0.0.1:")
    want = digests(reference["visual"])
    got = digests(out)
    got.pop("manifest.json")
    assert got and all(want[k] == v for k, v in got.items())
