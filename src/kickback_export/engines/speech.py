"""Speech synthesis with espeak-ng (through pyttsx3), trimmed clips and an on-disk clip cache.

pyttsx3's espeak driver is racy on Linux: ``runAndWait()`` returns before the WAV is
written, a run started while espeak is still busy cancels the previous utterance, and
several ``save_to_file`` calls before one run keep only the last (nateshmbhat/pyttsx3
#219, #194, #142). So every utterance here is its own save-and-run, bracketed by waits
until espeak is idle and until the driver reports the utterance finished, and every
file is checked (exists, valid WAV, non-empty speech) and retried before it is used.

espeak pads each clip with silence (~15 ms before, ~250 ms after); clips are trimmed
to their speech so the track can place exact silences between them. Trimmed clips
are cached by text, voice, rate and engine version, so a rebuild after a small edit
synthesizes only what changed. Synthesis runs in spawned processes (pyttsx3 hangs if
forked after initialising espeak), each with its own engine.

espeak carries a little pitch ("flutter") state from one utterance to the next, so a
clip's exact samples depend on what its process spoke before. Missing clips are
therefore split among the processes deterministically: builds from the same cache
state produce the same bytes.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import io
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import fsutil
from ..procutil import die_with_parent

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Clip = npt.NDArray[np.int16]

SAMPLE_RATE = 22050  # what espeak-ng produces and the master track uses
APT_PACKAGE = "espeak-ng"
TRIM_THRESHOLD = 100  # |sample| above this (about -50 dBFS) counts as speech
CACHE_FORMAT = 1
DEFAULT_RATE = 175  # words per minute, espeak's default
ATTEMPTS = 3
MIN_PER_WORKER = 24  # missing utterances per process: with ~16, a second process lost time


class SpeechError(RuntimeError):
    """Synthesis failed; ``str()`` is one line for the build log."""


class EngineMissingError(SpeechError):
    """espeak-ng (the program, its library or its voice data) is not installed."""


class VoiceError(SpeechError):
    """No espeak-ng voice for the requested language or voice name."""


def _missing(what: str) -> EngineMissingError:
    return EngineMissingError(
        f"{what}: spoken audio needs espeak-ng — install the apt package "
        f"'{APT_PACKAGE}' (sudo apt-get install {APT_PACKAGE})"
    )


@dataclass(frozen=True)
class Voice:
    """A resolved espeak-ng voice and speaking rate, plus what identifies the engine build."""

    id: str  # espeak-ng voice file, e.g. "gmw/en-US" (optionally "+variant")
    name: str
    rate: int
    engine: str  # e.g. "espeak-ng 1.51; pyttsx3 2.99"


def _run_espeak(args: Sequence[str]) -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise _missing("espeak-ng was not found on PATH")
    return _query(exe, tuple(args))


@functools.lru_cache(maxsize=32)
def _query(exe: str, args: tuple[str, ...]) -> str:
    """espeak-ng's answer to a version or voice query (asked once per process)."""
    try:
        done = subprocess.run(
            [exe, *args], capture_output=True, text=True, timeout=30, check=False,
            encoding="utf-8", errors="replace",
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _missing(f"espeak-ng could not be run ({exc})") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise _missing(f"espeak-ng failed ({detail})")
    return done.stdout


def _voices(language: str | None = None) -> list[dict[str, str]]:
    """espeak-ng's voice list (optionally for one language), mbrola voices and variants left out."""
    out = _run_espeak([f"--voices={language}"] if language else ["--voices"])
    rows = []
    for line in out.splitlines()[1:]:
        cols = line.split()
        if len(cols) < 5:
            continue
        file = cols[4]
        if file.startswith(("mb/", "!v/")):  # mbrola needs extra data; variants are not voices
            continue
        rows.append({"language": cols[1], "name": cols[3], "file": file})
    return rows


def engine_version() -> str:
    out = _run_espeak(["--version"])
    words = out.split()
    ver = next((w for w in words if w[:1].isdigit()), "unknown")
    data = out.split("Data at:")[-1].strip() if "Data at:" in out else ""
    if data and not Path(data).is_dir():
        raise _missing(f"espeak-ng voice data is missing ({data})")
    try:
        pyttsx3_version = version("pyttsx3")
    except PackageNotFoundError:  # pragma: no cover - a declared dependency
        pyttsx3_version = "unknown"
    return f"espeak-ng {ver}; pyttsx3 {pyttsx3_version}"


def resolve_voice(language: str, voice: str | None = None, rate: int = DEFAULT_RATE) -> Voice:
    """Check espeak-ng is usable and pick the voice: ``voice`` if given, else by ``language``."""
    engine = engine_version()
    if not 80 <= rate <= 500:
        raise VoiceError(f"speech rate {rate} is outside 80–500 words per minute")
    every = _voices()
    if not every:
        raise _missing("espeak-ng lists no voices (voice data missing)")
    if voice:
        base, plus, variant = voice.partition("+")
        wanted = base.lower()
        match = next(
            (v for v in every if wanted in (v["file"].lower(), v["name"].lower())), None
        ) or next((v for v in every if v["language"].lower() == wanted), None)
        if match is None:
            raise VoiceError(
                f"espeak-ng has no voice '{voice}' ('espeak-ng --voices' lists the installed ones)"
            )
        return Voice(match["file"] + plus + variant, match["name"], rate, engine)
    tag = language.lower()
    candidates = _voices(tag)
    exact = [v for v in candidates if v["language"].lower() == tag]
    primary = tag.split("-")[0]
    chosen = (exact or candidates or [v for v in every if v["language"].lower() == primary])
    if not chosen:
        raise VoiceError(
            f"espeak-ng has no voice for the document language '{language}' "
            "(choose one with --voice; 'espeak-ng --voices' lists them)"
        )
    return Voice(chosen[0]["file"], chosen[0]["name"], rate, engine)


# -- clips -------------------------------------------------------------------------------


def trim(samples: Clip, threshold: int = TRIM_THRESHOLD) -> Clip:
    """The clip from its first to its last sample louder than ``threshold`` (empty if none)."""
    import numpy as np

    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0] : loud[-1] + 1]


def read_wav(path: Path) -> Clip:
    """A mono 16-bit WAV at :data:`SAMPLE_RATE` as samples; ``ValueError`` if it is not one."""
    try:
        with wave.open(str(path), "rb") as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, SAMPLE_RATE):
                raise ValueError(
                    f"{path.name}: {w.getnchannels()} ch, {8 * w.getsampwidth()} bit, "
                    f"{w.getframerate()} Hz; expected mono 16-bit {SAMPLE_RATE} Hz"
                )
            frames = w.getnframes()
            data = w.readframes(frames)
            if len(data) != 2 * frames:  # a cut-off file: never use part of a clip
                raise ValueError(f"{path.name}: {len(data) // 2} of {frames} samples")
    except (OSError, EOFError, wave.Error) as exc:
        raise ValueError(f"{path.name}: not a readable WAV ({exc})") from None
    import numpy as np

    return np.frombuffer(data, dtype="<i2").astype(np.int16)


def wav_bytes(samples: Clip) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


def cache_root() -> Path:
    """``$KICKBACK_EXPORT_CACHE`` or the per-user cache folder."""
    env = os.environ.get("KICKBACK_EXPORT_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kickback-export"))


def clip_key(text: str, voice: Voice) -> str:
    blob = json.dumps(
        [CACHE_FORMAT, text, voice.id, voice.rate, voice.engine, TRIM_THRESHOLD, SAMPLE_RATE],
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def clip_path(root: Path, key: str) -> Path:
    return root / "clips" / key[:2] / f"{key}.wav"


def load_cached(root: Path, text: str, voice: Voice) -> Clip | None:
    path = clip_path(root, clip_key(text, voice))
    try:
        clip = read_wav(path)
    except ValueError:
        return None
    return clip if clip.size else None


# -- the worker --------------------------------------------------------------------------


def _drop_loop_sleep(engine: Any) -> None:
    """pyttsx3 2.99's espeak run loop sleeps 10 ms after every pass, and synthesis into a
    file finishes within the first pass: that sleep was a third of the cold synthesis time.
    Replace the loop by one that polls every millisecond; leave other versions alone."""
    driver = getattr(getattr(engine, "proxy", None), "_driver", None)
    if driver is None or not all(
        hasattr(driver, name) for name in ("_start_synthesis", "_text_to_say", "iterate")
    ):
        return

    def start_loop() -> None:
        driver._looping = True
        driver._proxy.setBusy(False)
        if driver._text_to_say:
            driver._start_synthesis(driver._text_to_say)
        while driver._looping:
            driver.iterate()
            if driver._looping:
                time.sleep(0.001)

    driver.startLoop = start_loop


class _Engine:
    """One pyttsx3 espeak engine, used one utterance at a time."""

    def __init__(self, voice_id: str, rate: int) -> None:
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
        except Exception as exc:  # the driver raises when libespeak-ng is absent
            raise _missing(f"the espeak-ng library could not be loaded ({exc})") from None
        self._espeak: Any = _espeak
        try:
            self.engine: Any = pyttsx3.init("espeak")
        except Exception as exc:
            raise _missing(f"espeak-ng could not be initialised ({exc})") from None
        _drop_loop_sleep(self.engine)
        self.finished = threading.Event()
        self.errors: list[BaseException] = []
        self.engine.connect("finished-utterance", self._on_finished)
        self.engine.connect("error", self._on_error)
        # Properties are queued until the first run: flush them now and check they took.
        self.engine.setProperty("voice", voice_id)
        self.engine.setProperty("rate", rate)
        self.engine.runAndWait()
        self.wait_idle()
        if self.errors:
            raise VoiceError(f"espeak-ng rejected voice '{voice_id}': {self.errors[0]}")

    def _on_finished(self, name: Any = None, completed: Any = True) -> None:
        self.finished.set()

    def _on_error(self, name: Any = None, exception: BaseException | None = None) -> None:
        self.errors.append(exception or RuntimeError("unknown pyttsx3 error"))

    def wait_idle(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self._espeak.IsPlaying():
            if time.monotonic() > deadline:
                raise SpeechError("espeak-ng stayed busy for 30 s")
            time.sleep(0.002)

    def save(self, text: str, path: Path) -> None:
        timeout = 20.0 + len(text) / 10
        self.wait_idle()
        self.finished.clear()
        self.errors.clear()
        self.engine.save_to_file(text, str(path))
        self.engine.runAndWait()
        if not self.finished.wait(timeout):
            raise SpeechError(f'espeak-ng did not finish "{_short(text)}" within {timeout:.0f} s')
        self.wait_idle()
        if self.errors:
            raise SpeechError(f'espeak-ng failed on "{_short(text)}": {self.errors[0]}')


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_utterance(path: Path, threshold: int = TRIM_THRESHOLD) -> None:
    """``ValueError`` unless ``path`` is a mono 16-bit WAV holding some speech.

    Runs in the worker with the standard library only, so a bad file is retried there.
    """
    try:
        with wave.open(str(path), "rb") as w:
            params = (w.getnchannels(), w.getsampwidth(), w.getframerate())
            frames = w.readframes(w.getnframes())
    except FileNotFoundError:
        raise ValueError("no file was written") from None
    except (OSError, EOFError, wave.Error) as exc:
        raise ValueError(f"not a readable WAV ({exc})") from None
    if params != (1, 2, SAMPLE_RATE):
        raise ValueError(f"unexpected format {params}")
    samples = array.array("h", frames)
    if sys.byteorder == "big":  # pragma: no cover
        samples.byteswap()
    if not samples or (max(samples) <= threshold and -min(samples) <= threshold):
        raise ValueError("the file holds no speech")


def _synthesize_one(engine: _Engine, text: str, path: Path) -> None:
    problem = ""
    for _attempt in range(ATTEMPTS):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        try:
            engine.save(text, path)
            check_utterance(path)
            return
        except (ValueError, SpeechError) as exc:
            problem = str(exc)
    raise SpeechError(
        f'espeak-ng produced no usable audio for "{_short(text)}" after {ATTEMPTS} attempts '
        f"({problem})"
    )


def _worker(jobs: list[tuple[int, str]], voice_id: str, rate: int, scratch: str,
            report: Callable[[str, Any], None]) -> None:
    """Synthesize each ``(n, text)`` to ``scratch/n.wav``, in order.

    Reports ``("clip", n)`` per checked file and ends with ``("ok", None)`` or
    ``("error", (kind, message))``, so the parent never waits on a silent failure. The
    parent trims and caches each clip as it arrives, while this process goes on.
    """
    try:
        engine = _Engine(voice_id, rate)
        for n, text in jobs:
            _synthesize_one(engine, text, Path(scratch) / f"{n}.wav")
            report("clip", n)
    except Exception as exc:
        kind = type(exc).__name__ if isinstance(exc, SpeechError) else ""
        report("error", (kind, str(exc) if kind else f"{type(exc).__name__}: {exc}"))
    else:
        report("ok", None)


def _worker_env() -> dict[str, str]:
    """The child finds this package where the parent found it (also when it was put on
    ``sys.path`` by hand rather than installed)."""
    package_root = str(Path(__file__).resolve().parents[2])
    paths = [package_root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def worker_main() -> None:
    """Entry of a synthesis process (``python -c``): its job as JSON on stdin, one JSON line
    per event on stdout. A plain child process rather than multiprocessing: it starts
    without re-importing the caller's main module, and with a fresh engine per batch."""
    die_with_parent()  # end with the export that started it
    job = json.load(sys.stdin)
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the driver prints per saved file

    def report(kind: str, value: Any) -> None:
        channel.write(json.dumps([kind, value]) + "\n")
        channel.flush()

    _worker([tuple(j) for j in job["jobs"]], job["voice"], job["rate"], job["scratch"], report)


def _rebuild(name: str, message: str) -> SpeechError:
    kinds: dict[str, type[SpeechError]] = {
        c.__name__: c for c in (SpeechError, EngineMissingError, VoiceError)
    }
    return kinds.get(name, SpeechError)(message.splitlines()[0] if message else name)


def _partition(texts: Sequence[str], parts: int) -> list[list[str]]:
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
        clips.update(_run_workers(_partition(missing, n), voice, root, progress))
    return {text: clips[text] for text in unique}


def _run_workers(
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
    error: SpeechError | None = None

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
                proc = subprocess.Popen(
                    [sys.executable, "-c",
                     "from kickback_export.engines.speech import worker_main; "
                     "worker_main()"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    text=True, encoding="utf-8", env=_worker_env(),
                )
                assert proc.stdin is not None
                proc.stdin.write(json.dumps({"jobs": job, "voice": voice.id,
                                             "rate": voice.rate, "scratch": scratch}))
                proc.stdin.close()
                procs.append(proc)
                threading.Thread(target=listen, args=(k, proc), daemon=True).start()
            running = set(range(len(procs)))
            finished: set[int] = set()
            while running and error is None:
                try:
                    k, kind, value = results.get(timeout=60.0)
                except queue.Empty:
                    error = SpeechError("a speech worker process stopped answering")
                    continue
                if kind == "clip":
                    text = texts[value]
                    wav = Path(scratch) / f"{value}.wav"
                    try:
                        clip = trim(read_wav(wav))
                    except ValueError as exc:
                        raise SpeechError(f'the clip for "{_short(text)}": {exc}') from None
                    if not clip.size:
                        raise SpeechError(f'espeak-ng produced silence for "{_short(text)}"')
                    wav.unlink()
                    # no fsync: a cache entry lost in a crash is synthesized again, and a
                    # cut-off one is refused by read_wav
                    fsutil.write_bytes(clip_path(root, clip_key(text, voice)), wav_bytes(clip),
                                       durable=False)
                    clips[text] = clip
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
                    error = _rebuild(*value)
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
