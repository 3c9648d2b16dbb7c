"""A speech synthesis process: one engine's voice loaded once, one checked utterance at a time.

Any engine plug-in (:mod:`.tts`) runs here. Started by :mod:`.speech` as a plain child
process (``python -c``, :func:`worker_main`): it imports the standard library, the engine
and nothing heavy of this package, and reports each clip as a JSON line, so the parent
trims and caches it while this process goes on.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...errors import ExportError, InputError
from ...procutil import die_with_parent
from .clips import check_utterance
from .voices import SpeechError, VoiceError

COMMAND = "from kickback_export.engines.audio.speech_worker import worker_main; worker_main()"
"""What the parent runs with ``python -c``."""


def short(text: str, limit: int = 60) -> str:
    """A text as quoted in a one-line error."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
