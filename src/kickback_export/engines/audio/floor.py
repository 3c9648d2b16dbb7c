"""The quiet floor under every guide: pink noise well below hearing, never digital silence.

Bluetooth earphones and speakers power their audio path down during exact digital
silence and wake up late, so the first syllable after a pause is lost ("n left" for
"turn left"); the remedy their users settled on is a very quiet noise floor and a short
lead-in before speech. The floor is pink noise (equal energy per octave, the least
noticeable kind) at :data:`DEFAULT_DBFS` RMS by default, between -80 and -55 dBFS: at
normal volume nobody hears it, and LAME keeps it through the MP3 (brown noise at this
level is coded as silence). It is one deterministic loop, tiled: the same guide gives the
same samples on every build, and the loop's length is a whole number of MP3 frames.
``--floor off`` gives true silence.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

DEFAULT_DBFS = -65.0
RANGE = (-80.0, -55.0)
LOOP = 576 * 128  # samples: 128 MP3 frames at 22.05 kHz, 3.3 s
SEED = 20261206
# Paul Kellet's three-pole approximation of a -3 dB/octave (pink) filter
_B = (0.049922035, -0.095993537, 0.050612699, -0.004408786)
_A = (1.0, -2.494956002, 2.017265875, -0.522189400)


@functools.cache
def _loop(level_dbfs: float) -> npt.NDArray[np.float64]:
    from scipy.signal import lfilter

    white = np.random.default_rng(SEED).standard_normal(LOOP * 2)
    pink = lfilter(_B, _A, white)[LOOP:]  # past the filter's start-up
    scaled: npt.NDArray[np.float64] = pink / np.sqrt(np.mean(pink ** 2)) * (
        32767 * 10 ** (level_dbfs / 20))
    return scaled


def floor(samples: int, level_dbfs: float) -> npt.NDArray[np.float64]:
    """``samples`` of the floor at ``level_dbfs`` RMS (16-bit sample units), from sample 0
    of the loop: a track's floor at sample i is the loop's at i mod :data:`LOOP`."""
    loop = _loop(float(level_dbfs))
    reps = -(-samples // LOOP)
    return np.tile(loop, reps)[:samples]


@functools.cache
def _loop16(level_dbfs: float) -> npt.NDArray[np.int16]:
    return np.rint(_loop(level_dbfs)).astype(np.int16)


def floor16(samples: int, level_dbfs: float) -> npt.NDArray[np.int16]:
    """:func:`floor` as 16-bit samples (rounded once per level: a track is laid fast)."""
    out: npt.NDArray[np.int16] = np.resize(_loop16(float(level_dbfs)), samples)
    return out


def check_level(level: float) -> None:
    """ValueError unless ``level`` is a floor level this module makes."""
    if not RANGE[0] <= level <= RANGE[1]:
        raise ValueError(f"{level:g} dBFS is outside {RANGE[0]:g} to {RANGE[1]:g} dBFS")


__all__ = ["DEFAULT_DBFS", "LOOP", "RANGE", "check_level", "floor", "floor16"]
