"""The loudness a track will measure, predicted from its clips before it is mixed.

A guide's integrated loudness (BS.1770's gated mean over 400 ms blocks) depends on where
its speech falls: a short cue alone in a pause fills only part of the blocks around it, so
a sparse workout guide measures several units below its speech. Finding the speech gain
by mixing and measuring the whole track each time costs a full pass of the meter per try.
K-weighting is linear and the clips never overlap, so each block's K-weighted energy is
the sum of what each clip puts into it (every distinct clip filtered once) plus the
floor's: the prediction takes milliseconds, and the library measures the finished track
once, for the figures the timeline reports (:func:`.loudness.measure`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .loudness import k_filtered

Float = npt.NDArray[np.float64]
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0


def sub_block_energy(placed: Sequence[tuple[int, str]], clips: dict[str, Float],
                     total: int, rate: int, floor_power: float = 0.0) -> Float:
    """K-weighted energy in each 100 ms of a track of ``total`` samples holding each clip
    of ``placed`` (start sample, text) and a floor of ``floor_power`` (K-weighted)."""
    hop = rate // 10
    count = -(-total // hop)
    energy = np.full(count, floor_power * hop)
    cumulative = {t: np.concatenate(([0.0], np.cumsum(k_filtered(clips[t], rate) ** 2)))
                  for t in dict.fromkeys(t for _, t in placed) if clips[t].size}
    for start, text in placed:
        cum = cumulative.get(text)
        if cum is None:
            continue
        end = min(start + cum.size - 1, total)
        first, last = start // hop, (end - 1) // hop
        edges = np.clip(np.arange(first, last + 2) * hop - start, 0, cum.size - 1)
        energy[first:last + 1] += np.diff(cum[edges])
    return energy


def integrated(energy: Float, rate: int) -> float:
    """The gated integrated loudness (LUFS) of 100 ms energies: 400 ms blocks, 75 %
    overlap, the absolute and the relative gate."""
    hop = rate // 10
    if energy.size < 4:
        return float("-inf")
    blocks = (energy[:-3] + energy[1:-2] + energy[2:-1] + energy[3:]) / (4 * hop)
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(blocks)
    kept = blocks[loud > ABSOLUTE_GATE]
    if not kept.size:
        return float("-inf")
    gate = -0.691 + 10 * np.log10(kept.mean()) + RELATIVE_GATE
    final = blocks[(loud > ABSOLUTE_GATE) & (loud > gate)]
    return float(-0.691 + 10 * np.log10(final.mean())) if final.size else float("-inf")
