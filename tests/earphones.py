"""What an athlete's earphones get, measured: the WAV master and the MP3 as a player
decodes it (``lame --decode``), against the quiet floor rather than against zero.

Each measure is computed here from the samples alone (pyloudnorm for loudness, SciPy's
polyphase resampler for true peak), never by calling the code under test, so a test
that uses them can fail.
"""

from __future__ import annotations

import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

SR = 22050
SOUND = 250
"""A sample above this (about -42 dBFS) is sound: over the loudest floor allowed
(-55 dBFS RMS, peaks about 4 times that), under the start of every word."""
ZERO_RUN_MAX = 0.010  # seconds of exact zeros allowed anywhere
FLOOR_RANGE = (-80.0, -55.0)  # dBFS RMS
LEAD_IN = 0.300  # seconds of floor before the first sound of a file or a track (at least)
TARGET_LUFS, LU = -16.0, 1.0
TRUE_PEAK_MAX = -1.0  # dBTP

Samples = npt.NDArray[np.int16]


def read_wav(path: Path) -> Samples:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, SR), path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.int16)


def decode(mp3: Path, into: Path) -> Samples:
    """The MP3 as a gapless player plays it (its LAME tag's delay and padding trimmed)."""
    into.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["lame", "--quiet", "--decode", str(mp3), str(into)], check=True,
                   timeout=300)
    return read_wav(into)


def longest_zero_run(pcm: Samples) -> float:
    """Seconds of the longest run of exact zero samples."""
    z = np.concatenate(([0], (pcm == 0).astype(np.int8), [0]))
    edges = np.diff(z)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return float((ends - starts).max()) / SR if starts.size else 0.0


def dbfs(pcm: Samples) -> float:
    """RMS level in dBFS (-inf for digital silence)."""
    rms = float(np.sqrt(np.mean(pcm.astype(np.float64) ** 2))) if pcm.size else 0.0
    return 20 * np.log10(rms / 32768) if rms > 0 else float("-inf")


def first_sound(pcm: Samples) -> float:
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > SOUND)
    assert loud.size, "no sound at all"
    return float(loud[0]) / SR


def loudness(pcm: Samples) -> float:
    """Integrated loudness, LUFS (ITU-R BS.1770-4, pyloudnorm)."""
    import pyloudnorm

    return float(pyloudnorm.Meter(SR).integrated_loudness(pcm.astype(np.float64) / 32768))


def true_peak(pcm: Samples) -> float:
    """dBTP: the peak of the signal oversampled four times (BS.1770 annex 2)."""
    from scipy.signal import resample_poly

    up = resample_poly(pcm.astype(np.float64) / 32768, 4, 1)
    return float(20 * np.log10(np.abs(up).max()))


@dataclass(frozen=True)
class Heard:
    """One file's figures."""

    zero_run: float
    lead_in: float
    lead_in_dbfs: float
    lufs: float
    dbtp: float

    def problems(self, floor: bool = True, lead_in: float = LEAD_IN) -> list[str]:
        """What an athlete's earphones would get wrong (empty: nothing)."""
        out = []
        if floor and self.zero_run > ZERO_RUN_MAX:
            out.append(f"{self.zero_run * 1000:.0f} ms of digital silence")
        if self.lead_in < lead_in - 1 / SR:
            out.append(f"only {self.lead_in * 1000:.0f} ms before the first sound")
        lo, hi = FLOOR_RANGE
        if floor and not lo <= self.lead_in_dbfs <= hi:
            out.append(f"the floor before the first sound is at {self.lead_in_dbfs:.1f} dBFS")
        if not abs(self.lufs - TARGET_LUFS) <= LU:
            out.append(f"integrated loudness {self.lufs:.2f} LUFS")
        if self.dbtp > TRUE_PEAK_MAX:
            out.append(f"true peak {self.dbtp:.2f} dBTP")
        return out


def heard(pcm: Samples, loud: bool = True) -> Heard:
    """The figures of one file (``loud``: measure loudness and true peak too)."""
    lead = first_sound(pcm)
    return Heard(longest_zero_run(pcm), lead, dbfs(pcm[: int(lead * SR)]),
                 loudness(pcm) if loud else TARGET_LUFS,
                 true_peak(pcm) if loud else -99.0)
