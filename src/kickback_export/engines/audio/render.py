"""Timelines turned into sound: clips placed sample-exactly, one gain, MP3 encoding.

Shared by every exporter that plays a timeline (the audio guide, the EPUB read-aloud),
so the samples and every time written beside them (chapters, captions, SMIL clips)
come from one placement rule. Each clip (trimmed to its speech) starts at the sample
index of its segment's start, rounded once; everything between clips is digital
silence, so every pause is exactly as long as the timeline says. One gain for the
whole track brings its peak to -1 dBFS.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ...content.script import Script
from ...content.timeline import Timeline, TimelineOptions
from . import speech

SR = speech.SAMPLE_RATE
PEAK_DBFS = -1.0
MP3_KBPS = 64
MP3_QUALITY = 7  # LAME -q 7 ("fast"); encoding is most of a warm export, -q 5 took ~1.5x longer
TONE_HZ = 880.0
TONE_LEVEL = 0.3  # of full scale, before normalisation
FADE_SECONDS = 0.005

PCM = npt.NDArray[np.int16]


@dataclass(frozen=True)
class Rendered:
    """A rendered timeline in memory: the timeline and its normalised 16-bit track."""

    timeline: Timeline
    pcm: PCM
    voice: speech.Voice


def sample_index(seconds: float) -> int:
    """Where a time falls in the track: the one rounding every consumer shares."""
    return round(seconds * SR)


def _tone(n: int) -> npt.NDArray[np.float64]:
    t = np.arange(n) / SR
    wave = np.sin(2 * np.pi * TONE_HZ * t) * TONE_LEVEL * 32767
    fade = min(n // 2, round(FADE_SECONDS * SR))
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        wave[:fade] *= ramp
        wave[n - fade :] *= ramp[::-1]
    return wave


def assemble(timeline: Timeline, clips: dict[str, PCM]) -> PCM:
    """Place every clip and tone at its absolute sample index; peak-normalise the whole track.

    The gain comes from the loudest clip or tone used (the rest of the track is digital
    silence), so each clip is scaled once instead of passing over the whole track.
    """
    total = sample_index(timeline.duration)
    used = {seg.text for seg in timeline.speech()}
    has_tone = any(seg.kind == "tone" for seg in timeline.segments)
    peak = max([float(np.max(np.abs(clips[t].astype(np.int32)))) for t in used if clips[t].size]
               + [TONE_LEVEL * 32767 if has_tone else 0.0])
    gain = (32767 * 10 ** (PEAK_DBFS / 20)) / peak if peak > 0 else 1.0
    scaled = {t: np.rint(clips[t] * gain).astype(np.int16) for t in used}
    track = np.zeros(total, dtype=np.int16)
    for seg in timeline.segments:
        start = sample_index(seg.start)
        if seg.kind == "speech":
            clip = scaled[seg.text]
            end = min(start + clip.size, total)
            track[start:end] = clip[: end - start]
        elif seg.kind == "tone":
            end = min(sample_index(seg.end), total)
            track[start:end] = np.rint(_tone(end - start) * gain).astype(np.int16)
    return track


def render_many(
    scripts: Sequence[tuple[Script, str]],
    options: TimelineOptions,
    *,
    voice: str | None = None,
    rate: int = speech.DEFAULT_RATE,
    workers: int | None = None,
    engine: str | None = None,
) -> list[Rendered]:
    """Synthesize (or load cached) clips, lay out each script's timeline and build each
    track; each script comes with its language.

    The sentences of all scripts that share a voice are synthesized in one batch, so a
    book starts one set of speech processes rather than one per exercise.
    """
    voices: dict[str, speech.Voice] = {}
    for _, language in scripts:
        if language not in voices:
            voices[language] = speech.resolve_voice(language, voice, rate, engine=engine)
    clips: dict[speech.Voice, dict[str, PCM]] = {}
    for v in dict.fromkeys(voices.values()):
        texts = [t for script, language in scripts if voices[language] == v
                 for t in script.texts(options)]
        clips[v] = speech.synthesize(texts, v, workers=workers)
    out = []
    for script, language in scripts:
        v = voices[language]
        own = clips[v]

        def seconds(text: str, own: dict[str, PCM] = own) -> float:
            return own[text].size / SR

        timeline = script.timeline(options, seconds)
        meta = {**timeline.meta, "voice": v.id, "rate": v.rate, "sample_rate": SR}
        timeline = dataclasses.replace(timeline, meta=meta)
        out.append(Rendered(timeline, assemble(timeline, own), v))
    return out


def render(
    script: Script,
    language: str,
    options: TimelineOptions,
    *,
    voice: str | None = None,
    rate: int = speech.DEFAULT_RATE,
    workers: int | None = None,
    engine: str | None = None,
) -> Rendered:
    """One script's timeline as a track (see :func:`render_many`)."""
    return render_many([(script, language)], options, voice=voice, rate=rate, workers=workers,
                       engine=engine)[0]


def mp3_bytes(pcm: PCM) -> bytes:
    """Mono CBR MP3 from LAME; the same samples always give the same bytes."""
    import lameenc

    enc = lameenc.Encoder()
    enc.set_bit_rate(MP3_KBPS)
    enc.set_in_sample_rate(SR)
    enc.set_channels(1)
    enc.set_quality(MP3_QUALITY)
    return bytes(enc.encode(pcm.astype("<i2").tobytes())) + bytes(enc.flush())
