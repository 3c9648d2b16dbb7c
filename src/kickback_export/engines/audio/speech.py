"""Speech synthesis: trimmed clips for a list of texts, cached, made in parallel.

The one entry point the renderers use, :func:`synthesize`, takes clips from the cache
(:mod:`.clips`) and has the missing ones spoken by child processes
(:mod:`.speech_worker`), each loading the voice of the chosen engine plug-in
(:mod:`.tts`: espeak-ng by default, Piper, or a third party's) once; the voice is
resolved and its engine checked first (:func:`resolve_voice`). This module also
re-exports what callers name through it (``speech.resolve_voice``,
``speech.EngineMissingError``, ``speech.SAMPLE_RATE`` …).

espeak carries a little pitch ("flutter") state from one utterance to the next, so a
clip's exact samples depend on what its process spoke before. Missing clips are
therefore split among the processes deterministically: builds from the same cache
state produce the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import speech_worker
from .clips import SAMPLE_RATE as SAMPLE_RATE
from .clips import TRIM_THRESHOLD as TRIM_THRESHOLD
from .clips import cache_root as cache_root
from .clips import check_utterance as check_utterance
from .clips import clip_key as clip_key
from .clips import clip_path as clip_path
from .clips import load_cached as load_cached
from .clips import read_wav as read_wav
from .clips import store
from .clips import trim as trim
from .clips import wav_bytes as wav_bytes
from .speech_worker import worker_main as worker_main
from .tts import resolve_voice as resolve_voice
from .voices import APT_PACKAGE as APT_PACKAGE
from .voices import DEFAULT_RATE as DEFAULT_RATE
from .voices import EngineMissingError as EngineMissingError
from .voices import SpeechError as SpeechError
from .voices import Voice as Voice
from .voices import VoiceError as VoiceError
from .voices import engine_version as engine_version

if TYPE_CHECKING:
    from .clips import Clip

MIN_PER_WORKER = 24  # missing utterances per process: with ~16, a second process lost time
ANSWER_SECONDS = 60.0  # a worker silent for this long is taken as hung


def rebuild_error(name: str, message: str) -> SpeechError | VoiceError:
    """The error a worker reported (by class name), raised again in the parent."""
    kinds: dict[str, type[SpeechError] | type[VoiceError]] = {
        c.__name__: c for c in (SpeechError, EngineMissingError, VoiceError)
    }
    return kinds.get(name, SpeechError)(message.splitlines()[0] if message else name)


def partition(texts: Sequence[str], parts: int) -> list[list[str]]:
    """Split ``texts`` into ``parts`` lists of similar total length, each in input order.

    Deterministic, so the same missing clips always go to the same worker in the same
    order (espeak carries a little pitch state from one utterance to the next).
    """
    loads = [0] * parts
    owner: dict[str, int] = {}
    for text in sorted(texts, key=lambda t: (-len(t), t)):
        i = loads.index(min(loads))
        owner[text] = i
        loads[i] += len(text) + 20
    return [b for b in ([t for t in texts if owner[t] == i] for i in range(parts)) if b]


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def synthesize(
    texts: Sequence[str],
    voice: Voice,
    *,
    workers: int | None = None,
    root: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Clip]:
    """Trimmed clips for ``texts``: from the cache, the missing ones synthesized in parallel."""
    root = cache_root() if root is None else root
    unique = list(dict.fromkeys(texts))
    clips: dict[str, Clip] = {}
    missing: list[str] = []
    for text in unique:
        clip = load_cached(root, text, voice)
        if clip is None:
            missing.append(text)
        else:
            clips[text] = clip
    if missing:
        n = max(1, min(workers or default_workers(), -(-len(missing) // MIN_PER_WORKER)))
        clips.update(run_workers(partition(missing, n), voice, root, progress))
    return {text: clips[text] for text in unique}


def _worker_env() -> dict[str, str]:
    """The child finds this package where the parent found it (also when it was put on
    ``sys.path`` by hand rather than installed)."""
    package_root = str(Path(__file__).resolve().parents[2])
    paths = [package_root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def _start(job: list[tuple[int, str]], voice: Voice, scratch: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", speech_worker.COMMAND],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, encoding="utf-8", env=_worker_env(),
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps({"jobs": job, "voice": voice.id, "rate": voice.rate,
                                 "scratch": scratch, "engine": voice.plugin,
                                 "source": voice.source}))
    proc.stdin.close()
    return proc


def _take_clip(wav: Path, text: str, engine: str) -> Clip:
    """A worker's file, checked, brought to the track's rate and trimmed (the scratch file
    is then removed)."""
    try:
        clip = trim(read_wav(wav, any_rate=True))
    except ValueError as exc:
        raise SpeechError(f'the clip for "{speech_worker.short(text)}": {exc}') from None
    if not clip.size:
        raise SpeechError(f'speech engine {engine} produced silence for '
                          f'"{speech_worker.short(text)}"')
    wav.unlink()
    return clip


def run_workers(
    batches: list[list[str]],
    voice: Voice,
    root: Path,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Clip]:
    """One child process per batch; each finished utterance is trimmed and cached here.

    Plain processes rather than a pool: each batch gets a fresh engine (reproducible
    output), and they also work inside another process pool (the build).
    """
    results: queue.Queue[tuple[int, str, Any]] = queue.Queue()
    total = sum(len(b) for b in batches)
    texts: dict[int, str] = {}
    jobs: list[list[tuple[int, str]]] = []
    for batch in batches:
        jobs.append([(len(texts) + i, t) for i, t in enumerate(batch)])
        texts.update(jobs[-1])
    clips: dict[str, Clip] = {}
    error: SpeechError | VoiceError | None = None

    def listen(k: int, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            with contextlib.suppress(ValueError):
                kind, value = json.loads(line)
                results.put((k, kind, value))
        results.put((k, "eof", None))

    # Scratch files live beside the cache: the export writes nowhere else but its output.
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kbx-tts-", dir=root / "tmp") as scratch:
        procs: list[subprocess.Popen[str]] = []
        try:
            for k, job in enumerate(jobs):
                procs.append(_start(job, voice, scratch))
                threading.Thread(target=listen, args=(k, procs[-1]), daemon=True).start()
            running = set(range(len(procs)))
            finished: set[int] = set()
            while running and error is None:
                try:
                    k, kind, value = results.get(timeout=ANSWER_SECONDS)
                except queue.Empty:
                    error = SpeechError("a speech worker process stopped answering")
                    continue
                if kind == "clip":
                    text = texts[value]
                    fresh = _take_clip(Path(scratch) / f"{value}.wav", text, voice.plugin)
                    clips[text] = store(root, text, voice, fresh)
                    if progress:
                        progress(len(clips), total)
                elif kind == "ok":
                    finished.add(k)
                elif kind == "eof":
                    running.discard(k)
                    if k not in finished:
                        code = procs[k].wait()
                        error = SpeechError(f"a speech worker process died (exit code {code})")
                else:
                    error = rebuild_error(*value)
        finally:
            for proc in procs:
                if error is not None and proc.poll() is None:
                    proc.kill()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    if error is not None:
        raise error
    if len(clips) != total:
        raise SpeechError(f"{total - len(clips)} clips are missing after synthesis")
    return clips
