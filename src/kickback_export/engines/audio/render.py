"""Timelines turned into sound: clips placed sample-exactly on a quiet floor, at one
loudness, MP3 encoding.

Shared by every exporter that plays a timeline (the audio guide, the EPUB read-aloud),
so the samples and every time written beside them (chapters, captions, SMIL clips)
come from one placement rule. Each clip (trimmed to its speech) starts at the sample
index of its segment's start, rounded once; between clips lies the noise floor
(:mod:`.floor`: never digital silence, which Bluetooth earphones mistake for the end),
so every pause is exactly as long as the timeline says and measurable against that
floor. The speech is brought to one integrated loudness with its true peaks under a
ceiling (:mod:`.loudness`); tones sit below it.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ...content.script import Script
from ...content.timeline import Timeline, TimelineOptions
from . import floor, gating, loudness, mp3, speech

SR = speech.SAMPLE_RATE
TONE_HZ = 880.0
TONE_BELOW = 3.0
"""LU the tones sit below the speech (a sine's loudness is its peak in dBFS minus 3 LU)."""
FADE_SECONDS = 0.005
TICK_BELOW = 12.0
"""LU the metronome's ticks sit below the speech: heard under it, never over it."""
TICK_HZ = 1000.0  # where K-weighting is flat: a sine's loudness is its peak minus 3 LU
LEAD_IN = 0.35
"""Seconds of floor before the first sound of every file: earphones that wake on sound
lose the lead-in, not the first syllable (at least 0.3 s, and the MP3's pre-echo may be
heard a few milliseconds early)."""


@dataclass(frozen=True)
class Sound:
    """How a track sounds besides what it says: the floor's level (None: true silence)
    and the speech's integrated loudness."""

    floor_dbfs: float | None = floor.DEFAULT_DBFS
    target_lufs: float = loudness.TARGET_LUFS

PCM = npt.NDArray[np.int16]


@dataclass(frozen=True)
class Rendered:
    """A rendered timeline in memory: the timeline and its normalised 16-bit track."""

    timeline: Timeline
    pcm: PCM
    voice: speech.Voice
    measured: loudness.Measured | None = None
    floor_dbfs: float | None = None
    level: dict[str, npt.NDArray[np.float64]] = dataclasses.field(default_factory=dict)
    """Each clip as mixed (normalised, limited): what :func:`mix` lays on another
    timeline of the same guide (a track of its own) so that it sounds the same."""
    sound: Sound = Sound()


def sample_index(seconds: float) -> int:
    """Where a time falls in the track: the one rounding every consumer shares."""
    return round(seconds * SR)


def _tone(n: int, target_lufs: float) -> npt.NDArray[np.float64]:
    """A faded sine ``n`` samples long, :data:`TONE_BELOW` LU under the speech."""
    t = np.arange(n) / SR
    peak = 32767 * 10 ** ((target_lufs - TONE_BELOW + 3.0) / 20)
    wave = np.sin(2 * np.pi * TONE_HZ * t) * peak
    fade = min(n // 2, round(FADE_SECONDS * SR))
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        wave[:fade] *= ramp
        wave[n - fade :] *= ramp[::-1]
    return wave


def _add(track: PCM, start: int, samples: npt.NDArray[np.integer] | npt.NDArray[np.floating]
         ) -> None:
    """Mix ``samples`` into the track from ``start`` (over the floor), cut at its end."""
    end = min(start + samples.size, track.size)
    if end <= start:
        return
    part = samples[: end - start]
    if not np.issubdtype(part.dtype, np.integer):
        part = np.rint(part)
    mixed = track[start:end].astype(np.int32) + part.astype(np.int32)
    track[start:end] = np.clip(mixed, -32768, 32767).astype(np.int16)


def _tick(n: int, target_lufs: float) -> npt.NDArray[np.float64]:
    """A soft tick: a short sine dying away, as loud over its length as a steady sine
    :data:`TICK_BELOW` LU under the speech (whose loudness is its peak minus 3 LU)."""
    t = np.arange(n) / SR
    wave = np.sin(2 * np.pi * TICK_HZ * t) * np.exp(-t / (n / SR / 4))
    steady = 32767 * 10 ** ((target_lufs - TICK_BELOW + 3.0) / 20)  # that sine's peak
    out: npt.NDArray[np.float64] = wave * steady * np.sqrt(0.5 / np.mean(wave**2))
    return out


def assemble(timeline: Timeline, clips: dict[str, PCM], sound: Sound = Sound()
             ) -> tuple[PCM, loudness.Measured, dict[str, npt.NDArray[np.float64]]]:
    """Lay the floor, bring the speech to its loudness, mix every clip and tone in at its
    absolute sample index. Each distinct clip is scaled and limited once; the track is
    measured, and made once more at the corrected gain when it missed by more than
    :data:`TOLERANCE_LU`."""
    said = [seg.text for seg in timeline.speech()]
    unit = {t: clips[t].astype(np.float64) / 32768 for t in dict.fromkeys(said)}
    placed = [(sample_index(seg.start), seg.text) for seg in timeline.speech()]
    total = sample_index(timeline.duration)
    aim = sound.target_lufs + AIM_ABOVE_LU
    measured_clips = loudness.Clips.of(unit, SR)  # once, whatever the gains tried
    gain_db = loudness.speech_gain(measured_clips, said, aim + loudness.PAUSES_LU)
    for _attempt in range(ATTEMPTS):
        tried: list[tuple[float, float]] = []
        for _guess in range(GUESSES):  # the gain the track will measure right at
            level, peak = loudness.limited(measured_clips, gain_db, SR)
            energy = gating.sub_block_energy(placed, level, total, SR,
                                             _floor_power(sound.floor_dbfs))
            predicted = gating.integrated(energy, SR)
            if not np.isfinite(predicted) or abs(aim - predicted) < 0.1:
                break
            tried.append((gain_db, predicted))
            gain_db += (aim - predicted) / _slope(tried)
        track = mix(timeline, level, sound)
        measured = loudness.measure(track.astype(np.float64) / 32768, SR, peak)
        missed = aim - measured.integrated_lufs  # the library's figure, the one reported
        if not np.isfinite(missed) or abs(missed) <= TOLERANCE_LU:
            break
        gain_db += missed
    return track, dataclasses.replace(measured, gain_db=round(gain_db, 2)), level


def _slope(tried: Sequence[tuple[float, float]]) -> float:
    """LU the track gains per dB of gain, from the last two tries (less than one where
    the limiter holds the peaks back)."""
    if len(tried) < 2 or tried[-1][0] == tried[-2][0]:
        return 1.0
    (o1, m1), (o2, m2) = tried[-2:]
    return min(1.5, max(0.2, (m2 - m1) / (o2 - o1)))


GUESSES = 4
"""Gains tried on the prediction (:mod:`.gating`) before the track is mixed and measured."""


@functools.cache
def _floor_power(level_dbfs: float | None) -> float:
    """The floor's K-weighted power (full scale 1.0)."""
    if level_dbfs is None:
        return 0.0
    return loudness.k_power(floor.floor(floor.LOOP, level_dbfs) / 32768, SR)


AIM_ABOVE_LU = 0.25
TOLERANCE_LU = 0.5
"""A track is aimed :data:`AIM_ABOVE_LU` above its loudness and made again at a corrected
gain when it misses that by more than this: the MP3 measures about half a unit lower than
its master, and both stay within the promised ±1 LU."""
ATTEMPTS = 4


def mix(timeline: Timeline, level: dict[str, npt.NDArray[np.float64]], sound: Sound) -> PCM:
    """The track: the floor, each clip as mixed (``level``) at its segment's sample
    index, the tones and the metronome's ticks."""
    total = sample_index(timeline.duration)
    scaled = {t: np.rint(c * 32767).astype(np.int32) for t, c in level.items()}
    if sound.floor_dbfs is None:
        track = np.zeros(total, dtype=np.int16)
    else:
        track = floor.floor16(total, sound.floor_dbfs)
    for seg in timeline.segments:
        start = sample_index(seg.start)
        if seg.kind == "speech":
            _add(track, start, scaled[seg.text])
        elif seg.kind == "tone":
            _add(track, start, _tone(sample_index(seg.end) - start, sound.target_lufs))
    for tick in timeline.ticks:
        start = sample_index(tick.start)
        _add(track, start, _tick(sample_index(tick.end) - start, sound.target_lufs))
    return track


def synthesize(
    scripts: Sequence[tuple[Script, str]],
    options: TimelineOptions,
    *,
    voice: str | None = None,
    rate: int = speech.DEFAULT_RATE,
    workers: int | None = None,
    engine: str | None = None,
) -> tuple[dict[str, speech.Voice], dict[speech.Voice, dict[str, PCM]]]:
    """Every sentence of the scripts (each with its language), one batch per voice: the
    voice of each language and the clips of each voice. A caller that renders many
    guides one at a time calls it first, so the speech processes start once."""
    voices: dict[str, speech.Voice] = {}
    for _, language in scripts:
        if language not in voices:
            voices[language] = speech.resolve_voice(language, voice, rate, engine=engine)
    clips: dict[speech.Voice, dict[str, PCM]] = {}
    for v in dict.fromkeys(voices.values()):
        texts = [t for script, language in scripts if voices[language] == v
                 for t in script.texts(options)]
        clips[v] = speech.synthesize(texts, v, workers=workers)
    return voices, clips


def render_many(
    scripts: Sequence[tuple[Script, str]],
    options: TimelineOptions,
    *,
    voice: str | None = None,
    rate: int = speech.DEFAULT_RATE,
    workers: int | None = None,
    engine: str | None = None,
    sound: Sound = Sound(),
) -> list[Rendered]:
    """Synthesize (or load cached) clips, lay out each script's timeline and build each
    track; each script comes with its language.

    The sentences of all scripts that share a voice are synthesized in one batch, so a
    book starts one set of speech processes rather than one per exercise.
    """
    threading.Thread(target=loudness.preload, daemon=True).start()  # meanwhile: synthesis
    voices, clips = synthesize(scripts, options, voice=voice, rate=rate, workers=workers,
                               engine=engine)
    out = []
    for script, language in scripts:
        v = voices[language]
        own = clips[v]

        def seconds(text: str, own: dict[str, PCM] = own) -> float:
            return own[text].size / SR

        timeline = script.timeline(options, seconds).led_in(LEAD_IN)
        pcm, measured, level = assemble(timeline, own, sound)
        meta = {**timeline.meta, "voice": v.id, "rate": v.rate, "sample_rate": SR,
                "loudness": {"integrated_lufs": measured.integrated_lufs,
                             "true_peak_dbtp": measured.true_peak_dbtp,
                             "target_lufs": sound.target_lufs,
                             "floor_dbfs": sound.floor_dbfs}}
        out.append(Rendered(dataclasses.replace(timeline, meta=meta), pcm, v, measured,
                            sound.floor_dbfs, level, sound))
    return out


def spans(timeline: Timeline) -> mp3.Spans:
    """Where the track holds more than its floor: its speech and tones, in samples."""
    return mp3.Spans([(sample_index(seg.start), sample_index(seg.end))
                      for seg in (*timeline.segments, *timeline.ticks)
                      if seg.kind != "silence"])


def mp3_bytes(rendered: Rendered | PCM) -> bytes:
    """Mono CBR MP3 (LAME): a rendered track frame by frame from its floor and its busy
    stretches (:mod:`.mp3`), raw samples in one encode; the same samples always give the
    same bytes."""
    if isinstance(rendered, Rendered):
        return mp3.encode(rendered.pcm, spans(rendered.timeline), rendered.floor_dbfs)
    return mp3.encode(rendered)
