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


def preload() -> None:
    """Import the meter (pyloudnorm brings SciPy's signal module: most of a second), so a
    caller can do it while the speech is synthesized."""
    import pyloudnorm  # noqa: F401


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
    if not signal.size:
        return signal
    kernel = _oversampler()
    delay = (kernel.size - 1) // 2
    out: Float = np.abs(signal).copy()
    for phase in range(OVERSAMPLE):  # polyphase: each phase is a short convolution
        # its output j is oversampled value 4j + phase, which (the kernel centred)
        # lies within input sample (4j + phase - delay) // 4
        values = np.abs(np.convolve(signal, kernel[phase::OVERSAMPLE]))
        start = (delay - phase + OVERSAMPLE - 1) // OVERSAMPLE
        mine = values[start:start + signal.size]
        np.maximum(out[:mine.size], mine, out=out[:mine.size])
    return out


def _running_max(x: Float, size: int) -> Float:
    """The maximum over a centred window of ``size`` (odd) samples, zeros outside: van
    Herk/Gil-Werman with NumPy's accumulate, linear in the length."""
    half = size // 2
    padded = np.pad(x, (half, half + (-(x.size + 2 * half)) % size))
    blocks = padded.reshape(-1, size)
    ahead = np.maximum.accumulate(blocks, axis=1).ravel()
    behind = np.maximum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    idx = np.arange(x.size)
    out: Float = np.maximum(behind[idx], ahead[idx + size - 1])
    return out


def _running_mean(x: Float, size: int) -> Float:
    """The mean over a centred window of ``size`` (odd) samples, zeros outside."""
    half = size // 2
    total = np.concatenate(([0.0], np.cumsum(np.pad(x, (half, half)))))
    out: Float = (total[size:] - total[:-size]) / size
    return out


def limit(signal: Float, sample_peaks: Float, rate: int,
          ceiling_db: float = CEILING_DBTP) -> Float:
    """``signal`` with its true peaks (``sample_peaks``, as :func:`peaks` gives them) held
    under ``ceiling_db`` by a look-ahead limiter: the gain reduction each sample needs is
    held around it (look-ahead before, release after) and smoothed, so it is reached before
    the peak and let go gently, and is never less than needed."""
    ceiling = 10 ** (ceiling_db / 20) * 0.985  # a margin for the peak between samples
    reduction = 1.0 - np.minimum(1.0, ceiling / np.maximum(sample_peaks, 1e-12))
    if not reduction.size or reduction.max() <= 0.0:
        return signal
    ahead, release = max(1, round(LOOKAHEAD * rate)), round(RELEASE * rate)
    held = _running_max(reduction, 2 * (ahead + release) + 1)
    smooth = _running_mean(held, 2 * ahead + 1)
    return signal * (1.0 - np.maximum(smooth, reduction))


@functools.cache
def _k_response(size: int, rate: int) -> Float:
    """|H|² of BS.1770's K-weighting (its shelf and high-pass, as pyloudnorm designs them
    for any rate) at the ``size``-point real FFT's frequencies."""
    w = 2 * np.pi * np.fft.rfftfreq(size, 1 / rate) / rate
    z = np.exp(-1j * w)
    total = np.ones(w.size)
    for gain, q, fc, kind in ((4.0, 1 / np.sqrt(2), 1500.0, "high_shelf"),
                              (0.0, 0.5, 38.0, "high_pass")):
        b, a = _biquad(gain, q, fc, rate, kind)
        total *= np.abs((b[0] + b[1] * z + b[2] * z**2) / (a[0] + a[1] * z + a[2] * z**2)) ** 2
    return total


def _biquad(gain: float, q: float, fc: float, rate: int, kind: str
            ) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """pyloudnorm's ``IIRfilter`` design (RBJ cookbook) for the two K-weighting stages."""
    a_ = 10 ** (gain / 40)
    w0 = 2 * np.pi * fc / rate
    alpha = np.sin(w0) / (2 * q)
    cos = np.cos(w0)
    if kind == "high_shelf":
        root = 2 * np.sqrt(a_) * alpha
        b = (a_ * ((a_ + 1) + (a_ - 1) * cos + root), -2 * a_ * ((a_ - 1) + (a_ + 1) * cos),
             a_ * ((a_ + 1) + (a_ - 1) * cos - root))
        a = ((a_ + 1) - (a_ - 1) * cos + root, 2 * ((a_ - 1) - (a_ + 1) * cos),
             (a_ + 1) - (a_ - 1) * cos - root)
    else:
        b = ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2)
        a = (1 + alpha, -2 * cos, 1 - alpha)
    return (b[0] / a[0], b[1] / a[0], b[2] / a[0]), (1.0, a[1] / a[0], a[2] / a[0])


@functools.cache
def _k_filter(size: int, rate: int) -> npt.NDArray[np.complex128]:
    """H of the K-weighting at the ``size``-point real FFT's frequencies."""
    z = np.exp(-1j * 2 * np.pi * np.fft.rfftfreq(size, 1 / rate) / rate)
    total = np.ones(z.size, dtype=np.complex128)
    for gain, q, fc, kind in ((4.0, 1 / np.sqrt(2), 1500.0, "high_shelf"),
                              (0.0, 0.5, 38.0, "high_pass")):
        b, a = _biquad(gain, q, fc, rate, kind)
        total *= (b[0] + b[1] * z + b[2] * z**2) / (a[0] + a[1] * z + a[2] * z**2)
    return total


def k_filtered(signal: Float, rate: int) -> Float:
    """``signal`` through the K-weighting, its filters' tail (0.1 s) included."""
    if not signal.size:
        return signal
    size = 1 << int(np.ceil(np.log2(signal.size + rate // 10)))
    out: Float = np.fft.irfft(np.fft.rfft(signal, size) * _k_filter(size, rate), size)
    return out[:signal.size + rate // 10]


def k_power(signal: Float, rate: int) -> float:
    """Mean K-weighted power of a clip, from its spectrum (the filters' tails fit in the
    padding): the speech's level before the track exists, as the meter will weigh it."""
    if not signal.size:
        return 0.0
    size = 1 << int(np.ceil(np.log2(signal.size + rate // 10)))
    spectrum = np.abs(np.fft.rfft(signal, size)) ** 2 * _k_response(size, rate)
    spectrum[1:-1] *= 2  # each inner bin stands for its negative frequency too
    return float(spectrum.sum() / size / signal.size)


LIMITED = 10 ** (CEILING_DBTP / 20) * 0.985
"""A true peak above this is limited (the limiter's ceiling, with its margin)."""

PAUSES_LU = 1.8
"""How much lower a guide measures than its speech alone, to begin with: the 400 ms
blocks that straddle speech and pause count at partial power (1.6–2.1 LU on the samples);
the track is measured and, when it missed, made again with what it measured."""


@dataclass(frozen=True)
class Clips:
    """A guide's distinct clips (full scale 1.0) with what the gain search needs of each,
    measured once: its K-weighted power and its per-sample true peaks."""

    signal: dict[str, Float]
    power: dict[str, float]
    peaks: dict[str, Float]

    @classmethod
    def of(cls, clips: dict[str, Float], rate: int) -> Clips:
        return cls(clips, {t: k_power(c, rate) for t, c in clips.items()},
                   {t: peaks(c) for t, c in clips.items()})


def speech_gain(clips: Clips, occurrences: Sequence[str], goal: float) -> float:
    """The gain (dB) that brings the speech said in ``occurrences`` (each text as often as
    it is said) to ``goal`` LUFS of K-weighted power over the time it is spoken, before any
    limiting: where a guide's search for its gain starts."""
    count: dict[str, int] = {}
    for t in occurrences:
        if clips.signal[t].size:
            count[t] = count.get(t, 0) + 1
    if not count:
        return 0.0
    spoken = sum(n * clips.signal[t].size for t, n in count.items())
    mean = sum(n * clips.signal[t].size * clips.power[t] for t, n in count.items()) / spoken
    return float(goal - (-0.691 + 10 * np.log10(max(mean, 1e-20))))


def limited(clips: Clips, gain_db: float, rate: int) -> tuple[dict[str, Float], float]:
    """Every clip at the one gain, its true peaks held under the ceiling by the limiter
    (a clip the limiter leaves alone is only scaled); and the speech's true peak after it
    (full scale 1.0)."""
    factor = 10 ** (gain_db / 20)
    out = {t: limit(c * factor, clips.peaks[t] * factor, rate) for t, c in clips.signal.items()}
    peak = max((min(float(p.max(initial=0.0)) * factor, LIMITED) for p in clips.peaks.values()),
               default=0.0)
    return out, peak


def measure(track: Float, rate: int, speech_peak: float) -> Measured:
    """The finished track's integrated loudness, by the library; its true peak is its
    speech's (``speech_peak``, from the clips' own peaks: the floor and tones are far
    below), not oversampled again over the whole track."""
    peak = 20 * np.log10(speech_peak) if speech_peak > 0 else -np.inf
    return Measured(round(integrated(track, rate), 2), round(float(peak), 2), 0.0)


__all__ = ["CEILING_DBTP", "TARGET_LUFS", "Clips", "Measured", "integrated", "limit",
           "limited", "measure", "peaks", "speech_gain", "true_peak"]
