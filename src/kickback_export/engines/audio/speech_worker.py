"""A speech synthesis process: one engine's voice loaded once, one checked utterance at a time.

Any engine plug-in (:mod:`.tts`) runs here; what follows is about the default one,
espeak-ng through pyttsx3 (:class:`Engine`).

pyttsx3's espeak driver is racy on Linux: ``runAndWait()`` returns before the WAV is
written, a run started while espeak is still busy cancels the previous utterance, and
several ``save_to_file`` calls before one run keep only the last (nateshmbhat/pyttsx3
#219, #194, #142). So every utterance here is its own save-and-run, bracketed by waits
until espeak is idle and until the driver reports the utterance finished, and every
file is checked (exists, valid WAV, non-empty speech) and retried before it is used.

Started by :mod:`.speech` as a plain child process (``python -c``, :func:`worker_main`),
since pyttsx3 hangs if forked after initialising espeak. It imports the standard
library, the engine and nothing heavy of this package.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...errors import ExportError, InputError
from ...procutil import die_with_parent
from .clips import check_utterance
from .voices import SpeechError, VoiceError, missing

ATTEMPTS = 3
COMMAND = "from kickback_export.engines.audio.speech_worker import worker_main; worker_main()"
"""What the parent runs with ``python -c``."""


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


class Engine:
    """One pyttsx3 espeak engine, used one utterance at a time."""

    def __init__(self, voice_id: str, rate: int) -> None:
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
        except Exception as exc:  # the driver raises when libespeak-ng is absent
            raise missing(f"the espeak-ng library could not be loaded ({exc})") from None
        self._espeak: Any = _espeak
        try:
            self.engine: Any = pyttsx3.init("espeak")
        except Exception as exc:
            raise missing(f"espeak-ng could not be initialised ({exc})") from None
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
            raise SpeechError(f'espeak-ng did not finish "{short(text)}" within {timeout:.0f} s')
        self.wait_idle()
        if self.errors:
            raise SpeechError(f'espeak-ng failed on "{short(text)}": {self.errors[0]}')


def short(text: str, limit: int = 60) -> str:
    """A text as quoted in a one-line error."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def synthesize_one(engine: Engine, text: str, path: Path) -> None:
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
        f'espeak-ng produced no usable audio for "{short(text)}" after {ATTEMPTS} attempts '
        f"({problem})"
    )


def save_clip(synth: Any, engine: str, text: str, path: Path) -> None:
    """One sentence from any engine's synthesizer, written as a WAV at its rate and checked."""
    pcm = synth.synthesize(text)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(synth.sample_rate))
        w.writeframes(pcm)
    try:
        check_utterance(path, rate=None)
    except ValueError as exc:
        raise SpeechError(f'speech engine {engine} produced no usable audio for '
                          f'"{short(text)}" ({exc})') from None


def work(jobs: list[tuple[int, str]], voice_id: str, rate: int, scratch: str,
         report: Callable[[str, Any], None], *, engine: str = "espeak",
         source: str = "") -> None:
    """Synthesize each ``(n, text)`` to ``scratch/n.wav``, in order, with the ``engine``
    plug-in's voice ``voice_id`` (loaded from ``source`` when given).

    Reports ``("clip", n)`` per checked file and ends with ``("ok", None)`` or
    ``("error", (kind, message))`` (``kind`` names one of the speech errors, or is ""),
    so the parent never waits on a silent failure. The parent trims and caches each
    clip as it arrives, while this process goes on.
    """
    try:
        from .tts import load

        synth = load(engine).synthesizer(source or voice_id, rate)
        for n, text in jobs:
            save_clip(synth, engine, text, Path(scratch) / f"{n}.wav")
            report("clip", n)
    except Exception as exc:
        known = isinstance(exc, (SpeechError, VoiceError, InputError, ExportError))
        kind = type(exc).__name__ if known else ""
        report("error", (kind, str(exc) if known else f"{type(exc).__name__}: {exc}"))
    else:
        report("ok", None)


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

    tempfile.tempdir = job["scratch"]  # an engine's own files too go where the parent sweeps
    work([tuple(j) for j in job["jobs"]], job["voice"], job["rate"], job["scratch"], report,
         engine=job.get("engine", "espeak"), source=job.get("source", ""))
