"""A speech engine plug-in as a third party would write one: a "voice" that says each
sentence as a sine tone, a fixed time per word, at its own sample rate (16 kHz), padded
with silence the package must trim. What the tests can predict exactly."""

from __future__ import annotations

import math
import struct

from kickback_export.engines.audio.tts.base import VoiceInfo

SAMPLE_RATE = 16000
PAD = 0.1  # seconds of silence before and after each "sentence"


def seconds(text: str, rate: int) -> float:
    """How long the tone voice says ``text`` at ``rate`` words per minute."""
    return len(text.split()) * 60 / rate


class ToneSynthesizer:
    sample_rate = SAMPLE_RATE

    def __init__(self, hertz: float, rate: int) -> None:
        self.hertz = hertz
        self.rate = rate

    def synthesize(self, text: str) -> bytes:
        pad = [0] * round(PAD * SAMPLE_RATE)
        n = round(seconds(text, self.rate) * SAMPLE_RATE)
        tone = [round(12000 * math.sin(2 * math.pi * self.hertz * i / SAMPLE_RATE))
                for i in range(n)]
        samples = pad + tone + pad
        return struct.pack(f"<{len(samples)}h", *samples)


class ToneEngine:
    description = "sine tones for testing (one tone per sentence, a fixed time per word)"

    def version(self) -> str:
        return "tone 1"

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("a440", "A 440 Hz", ("en", "de")),
                VoiceInfo("a880", "A 880 Hz", ("en",))]

    def synthesizer(self, voice: str, rate: int) -> ToneSynthesizer:
        return ToneSynthesizer(440.0 if voice == "a440" else 880.0, rate)
