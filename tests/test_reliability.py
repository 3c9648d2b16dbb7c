"""Reliability across all exporters: no side doors, kills lose nothing, builds are deterministic."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from same import digest, same

from conftest import SOURCE

SLUG = "resistance-band-one-leg-kickback-bent-position"

AUDIT = r'''
import os, sys
_fd = os.open(os.environ["KBX_AUDIT_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
_W = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

def _hook(event, args):
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(flags & _W)
        line = f"open\t{'w' if writes else 'r'}\t{os.fsdecode(path)}\n"
    elif event in ("socket.connect", "socket.sendto", "urllib.Request", "http.client.connect"):
        line = f"net\t{event}\t{args!r}\n"
    elif event in ("os.rename", "os.replace", "os.remove", "os.rmdir", "os.mkdir", "shutil.rmtree"):
        target = args[1] if event in ("os.rename", "os.replace") else args[0]
        line = f"open\tw\t{os.fsdecode(target)}\n"
    else:
        return
    os.write(_fd, line.encode("utf-8", "replace"))

sys.addaudithook(_hook)
'''


def _hostile_document(folder: Path, canary: Path, port: int) -> Path:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    data["tips"] = [
        f'<img src="{canary}"/> and <a href="file://{canary}">link</a>',
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"/> &amp; &#x41; ]]>',
        f'<script src="http://127.0.0.1:{port}/x.js"></script></section><font size=80>big</font>',
        f"url(http://127.0.0.1:{port}/bg.png) @import 'http://127.0.0.1:{port}/y.css';",
    ]
    data["image_description"] = f"See {canary} — ![x]({canary}) <object data='{canary}'>"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{SLUG}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_content_opens_no_side_doors(tmp_path: Path) -> None:
    """Hostile text causes no file read, image load or network request; only out/ and the
    cache are written."""
    canary = tmp_path / "canary" / "secret.png"
    canary.parent.mkdir()
    canary.write_bytes(b"\x89PNG not really")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    doc = _hostile_document(tmp_path / "src", canary, port)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(AUDIT)
    log = tmp_path / "audit.log"
    out = tmp_path / "out"
    cache = Path(os.environ["KICKBACK_EXPORT_CACHE"])
    env = {**os.environ, "PYTHONPATH": str(hooks), "KBX_AUDIT_LOG": str(log),
           "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "-m", "kickback_export", "build", str(doc), "-o",
                           str(out), "-j", "2", "-q"], capture_output=True, text=True, env=env,
                          timeout=900, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    with pytest.raises(BlockingIOError):
        listener.accept()
    listener.close()
    lines = [ln.split("\t", 2) for ln in log.read_text().splitlines()]
    assert not [ln for ln in lines if ln[0] == "net"], "a network call was made"
    opened = [ln[2] for ln in lines if ln[0] == "open"]
    assert not [p for p in opened if "canary" in p], "document text made a file be read"
    allowed = (str(out.resolve()), str(out), str(cache), "/dev/")
    stray = sorted({p for ln in lines if ln[0] == "open" and ln[1] == "w"
                    for p in [ln[2]] if not p.startswith(allowed)})
    assert not stray, f"written outside the output folder and the cache: {stray[:5]}"
    manifest = json.loads((out / "manifest.json").read_text())
    assert {row["exporter"] for row in manifest["outputs"]} >= {
        "pdf", "epub", "audio", "brf", "html", "html-index"}
    _assert_markup_shown_literally(out, yaml.safe_load(doc.read_text(encoding="utf-8")))


def _assert_markup_shown_literally(out: Path, data: dict[str, Any]) -> None:
    """The web page shows the hostile text as text: no element, link or resource from it."""
    import lxml.html

    page = lxml.html.document_fromstring((out / SLUG / f"{SLUG}.html").read_bytes())
    tips = page.findall(".//section[@id='tips']/ul/li")
    assert ["".join(li.itertext()) for li in tips] == data["tips"]
    image = page.find(".//aside[@id='image-description']/p")
    assert "".join(image.itertext()).endswith(str(data["image_description"]))
    # the page's own player (built with the audio): its links go to the guide, its one
    # script is the package's; nothing else is an element, link or resource
    guide = page.find(".//section[@class='guide']")
    assert guide is not None
    guide.getparent().remove(guide)
    mp3 = f"{SLUG}-guide.mp3"
    assert {a.get("href").split("#")[0] for a in guide.iter("a")} == {mp3}
    assert [s.text.strip().splitlines()[0] for s in guide.iter("script")] == [
        'document.addEventListener("click", function (event) {']
    assert not page.xpath("//img | //script | //object | //font | //a | //*[@style]")
    assert [link.get("href") for link in page.iter("link")] == [f"{SLUG}.css"]
    index = lxml.html.document_fromstring((out / "index.html").read_bytes())
    assert [a.get("href") for a in index.iter("a")] == [f"{SLUG}/{SLUG}.html"]


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()
            and not any(part.startswith(".kbx-tmp-") for part in p.relative_to(out).parts)}


@pytest.mark.slow
def test_sigkill_at_random_points_never_corrupts(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    doc = src / SOURCE.name
    doc.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kickback_export", "build", str(src), "-o", str(out), "-q",
           "-f", "pdf,epub,brf,audio"]
    assert subprocess.run(cmd, capture_output=True, timeout=900).returncode == 0
    before = _snapshot(out)
    doc.write_text(doc.read_text().replace("Brace, ribs down", "Brace hard"), encoding="utf-8")
    reference = tmp_path / "reference"
    started = time.monotonic()  # a cold build (empty clip cache), as the killed ones are
    assert subprocess.run([*cmd[:-3], "-f", "pdf,epub,brf,audio", "-o", str(reference)],
                          capture_output=True, timeout=900, env={
                              **os.environ, "KICKBACK_EXPORT_CACHE": str(tmp_path / "cold")},
                          ).returncode == 0
    cold = time.monotonic() - started
    after = _snapshot(reference)
    after.pop("manifest.json")
    rng = random.Random(20261125)
    interrupted = 0
    for attempt in range(6):
        # an empty clip cache makes the audio export slow enough to be caught mid-way
        env = {**os.environ, "KICKBACK_EXPORT_CACHE": str(tmp_path / f"cache-{attempt}")}
        proc = subprocess.Popen([*cmd, "--force"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env)
        time.sleep(rng.uniform(0.1, 0.8) * cold)
        interrupted += proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name, data in _snapshot(out).items():
            if name == "manifest.json":
                json.loads(data)  # whole, parseable
                continue
            assert digest(data) in {digest(x) for x in (before.get(name), after.get(name))
                                    if x is not None}, f"{name} is corrupt"
    assert interrupted >= 3, "the builds finished before they could be killed"
    # from an empty clip cache too: audio is reproducible from scratch, and timings in the
    # captions and timeline depend on the clips
    final = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env={
        **os.environ, "KICKBACK_EXPORT_CACHE": str(tmp_path / "final-cache")})
    assert final.returncode == 0, final.stderr
    assert not list(out.rglob(".kbx-tmp-*"))
    now = _snapshot(out)
    for name, data in after.items():
        assert same(now[name], data, name)


@pytest.mark.slow
def test_builds_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    digests = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "kickback_export", "build", str(SOURCE),
                               "-o", str(out), "-q", "-f", "pdf,epub,brf"],
                              capture_output=True, text=True, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr
        manifest = json.loads((out / "manifest.json").read_text())
        digests.append({row["path"]: row["sha256"] for row in manifest["outputs"]})
    assert digests[0] == digests[1]
    assert len(digests[0]) >= 3
