"""Loudness people can set once: speech at one integrated loudness, peaks below a ceiling.

Every guide's speech is brought to :data:`TARGET_LUFS` integrated loudness (ITU-R
BS.1770-4, measured by ``pyloudnorm``, gated as the standard says), whatever the engine,
voice or language, with its true peak (four-times oversampled) at most :data:`CEILING_DBTP`:
an athlete sets the volume once and every guide, track and read-aloud plays at it.
Speech at -16 LUFS peaks above -1 dBTP now and then, so each distinct clip goes through
a look-ahead limiter after the one gain (a clip is limited once, however often it is said,
and the same clip gives the same samples everywhere).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

TARGET_LUFS = -16.0
CEILING_DBTP = -2.0
"""dBTP the speech peaks at most: 1 dB under the -1 dBTP every guide must keep, for the MP3
encoder, which overshoots peaks by about half a decibel."""
OVERSAMPLE = 4  # true peak: the peak of the signal four times oversampled (BS.1770 annex 2)
LOOKAHEAD = 0.002  # seconds the limiter sees ahead (a peak is reached without a click)
RELEASE = 0.015  # seconds the gain takes to come back

Float = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Measured:
    """What a guide measures: its integrated loudness and true peak, and the gain its
    speech got."""

    integrated_lufs: float
    true_peak_dbtp: float
    gain_db: float


def integrated(signal: Float, rate: int) -> float:
    """The integrated loudness of ``signal`` (full scale 1.0), LUFS."""
    import pyloudnorm

    if signal.size < rate // 2:  # the meter needs one 400 ms block
        signal = np.concatenate([signal, np.zeros(rate // 2 - signal.size + 1)])
    return float(pyloudnorm.Meter(rate).integrated_loudness(signal))


def true_peak(signal: Float) -> float:
    """The true peak of ``signal`` (full scale 1.0), dBTP."""
    from scipy.signal import resample_poly

    if not signal.size:
        return -np.inf
    peak = float(np.max(np.abs(resample_poly(signal, OVERSAMPLE, 1))))
    return 20 * np.log10(peak) if peak > 0 else -np.inf


@functools.cache
def _oversampler() -> Float:
    """The interpolation filter of BS.1770-4 annex 2's true-peak meter: four phases of 12
    taps each (a windowed sinc here, the same length and cut-off)."""
    taps = np.arange(-24, 24) + 0.5
    kernel: Float = np.sinc(taps / OVERSAMPLE) * np.kaiser(taps.size, 5.0)
    scaled: Float = kernel / kernel.sum() * OVERSAMPLE
    return scaled


def peaks(signal: Float) -> Float:
    """Each sample's true peak: the largest magnitude of its four oversampled values (the
    peaks scale with any gain applied later, so a clip is oversampled once)."""
    from scipy.signal import upfirdn

    if not signal.size:
        return signal
    upsampled = np.abs(upfirdn(_oversampler(), signal, OVERSAMPLE))
    delay = (_oversampler().size - 1) // 2
    upsampled = upsampled[delay:delay + signal.size * OVERSAMPLE]
    out: Float = np.maximum(upsampled.reshape(-1, OVERSAMPLE).max(axis=1), np.abs(signal))
    return out


def limit(signal: Float, sample_peaks: Float, rate: int,
          ceiling_db: float = CEILING_DBTP) -> Float:
    """``signal`` with its true peaks (``sample_peaks``, as :func:`peaks` gives them) held
    under ``ceiling_db`` by a look-ahead limiter: the gain reduction each sample needs is
    held around it (look-ahead before, release after) and smoothed, so it is reached before
    the peak and let go gently, and is never less than needed."""
    from scipy.ndimage import maximum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20) * 0.985  # a margin for the peak between samples
    reduction = 1.0 - np.minimum(1.0, ceiling / np.maximum(sample_peaks, 1e-12))
    if not reduction.size or reduction.max() <= 0.0:
        return signal
    ahead, release = max(1, round(LOOKAHEAD * rate)), round(RELEASE * rate)
    held = maximum_filter1d(reduction, size=2 * (ahead + release) + 1, mode="constant")
    smooth: Float = uniform_filter1d(held, size=2 * ahead + 1, mode="constant")
    return signal * (1.0 - np.maximum(smooth, reduction))


def _k_weighted(signal: Float, rate: int) -> Float:
    """``signal`` through BS.1770's K-weighting, pyloudnorm's own two filters (the shelf
    and the high-pass its meter uses)."""
    import pyloudnorm

    out = signal
    for args in ((4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
                 (0.0, 0.5, 38.0, rate, "high_pass")):
        out = pyloudnorm.IIRfilter(*args).apply_filter(out)
    return out


def _power(signal: Float, rate: int) -> float:
    return float(np.mean(_k_weighted(signal, rate) ** 2)) if signal.size else 0.0


LIMITED = 10 ** (CEILING_DBTP / 20) * 0.985
"""A true peak above this is limited (the limiter's ceiling, with its margin)."""

PAUSES_LU = 1.8
"""How much lower a guide measures than its speech alone, to begin with: the 400 ms
blocks that straddle speech and pause count at partial power (1.6–2.1 LU on the samples);
the track is measured and, when it missed, made again with what it measured."""


def normalise(clips: dict[str, Float], occurrences: Sequence[str], rate: int,
              target: float = TARGET_LUFS, offset: float = PAUSES_LU
              ) -> tuple[dict[str, Float], float, float]:
    """Clips at the one gain that brings the speech said in ``occurrences`` (each text as
    often as it is said) to ``target`` plus ``offset``, each then limited; the gain in
    dB; and the speech's true peak (full scale 1.0). The speech's loudness is its
    K-weighted power over the time it is spoken, each distinct clip filtered once (a guide
    says "3", "2", "1" hundreds of times); the track itself is measured by the library
    afterwards (:func:`integrated`)."""
    count: dict[str, int] = {}
    for t in occurrences:
        if clips[t].size:
            count[t] = count.get(t, 0) + 1
    if not count:
        return dict(clips), 0.0, 0.0
    spoken = sum(n * clips[t].size for t, n in count.items())

    def level(power: dict[str, float]) -> float:
        mean = sum(n * clips[t].size * power[t] for t, n in count.items()) / spoken
        return float(-0.691 + 10 * np.log10(max(mean, 1e-20)))

    power = {t: _power(clips[t], rate) for t in count}
    goal = target + offset
    gain_db = goal - level(power)
    tops = {t: peaks(c) for t, c in clips.items()}
    out: dict[str, Float] = dict(clips)
    for _round in range(3):  # limiting takes a little loudness back: predict and correct
        factor = 10 ** (gain_db / 20)
        out = {t: limit(c * factor, tops[t] * factor, rate) for t, c in clips.items()}
        # a clip the limiter left alone keeps its power, times the gain
        now = level({t: _power(out[t], rate) if tops[t].max() * factor > LIMITED else
                     power[t] * factor ** 2 for t in count})
        if abs(now - goal) < 0.1:
            break
        gain_db += goal - now
    peak = max(min(float(tops[t].max()) * factor, LIMITED) for t in count)
    return out, round(gain_db, 2), peak


def measure(track: Float, rate: int, speech_peak: float) -> Measured:
    """The finished track's integrated loudness, by the library; its true peak is its
    speech's (``speech_peak``, from the clips' own peaks: the floor and tones are far
    below), not oversampled again over the whole track."""
    peak = 20 * np.log10(speech_peak) if speech_peak > 0 else -np.inf
    return Measured(round(integrated(track, rate), 2), round(float(peak), 2), 0.0)


__all__ = ["CEILING_DBTP", "TARGET_LUFS", "Measured", "integrated", "limit", "measure",
           "normalise", "peaks", "true_peak"]
