"""The default engine: espeak-ng through pyttsx3 (:mod:`..voices` asks espeak-ng which voices
there are; :mod:`..speech_worker` drives its racy pyttsx3 driver safely)."""

from __future__ import annotations

import os
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path

from .. import voices
from ..clips import SAMPLE_RATE
from .base import VoiceInfo


class EspeakSynthesizer:
    """One pyttsx3 espeak engine; each sentence saved, checked (retried) and read back."""

    sample_rate = SAMPLE_RATE

    def __init__(self, voice: str, rate: int) -> None:
        from ..speech_worker import Engine

        self.engine = Engine(voice, rate)
        # in the worker's scratch folder (it points tempfile there), by full path: a
        # TemporaryDirectory's clean-up would remove it relative to a folder descriptor
        self.path = Path(tempfile.gettempdir()) / f"espeak-{os.getpid()}.wav"

    def synthesize(self, text: str) -> bytes:
        from ..speech_worker import synthesize_one

        synthesize_one(self.engine, text, self.path)
        try:
            with wave.open(str(self.path), "rb") as w:
                return w.readframes(w.getnframes())
        finally:
            self.path.unlink(missing_ok=True)


class EspeakEngine:
    """espeak-ng: about a hundred languages, tiny, instant, robotic."""

    description = "espeak-ng through pyttsx3: many languages, tiny and instant (the default)"

    def version(self) -> str:
        return voices.engine_version()

    def voices(self) -> Sequence[VoiceInfo]:
        langs: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        for row in voices.espeak_voices():
            langs.setdefault(row["file"], []).append(row["language"])
            names[row["file"]] = row["name"]
        return [VoiceInfo(file, names[file], tuple(langs[file])) for file in langs]

    def resolve(self, language: str, voice: str | None) -> VoiceInfo:
        chosen = voices.resolve_voice(language, voice)
        return VoiceInfo(chosen.id, chosen.name, (language,))

    def synthesizer(self, voice: str, rate: int) -> EspeakSynthesizer:
        return EspeakSynthesizer(voice, rate)
