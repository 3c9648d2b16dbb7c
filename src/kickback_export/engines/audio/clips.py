"""Speech clips: WAV files read and checked, trimmed to their speech, cached on disk.

espeak pads each clip with silence (~15 ms before, ~250 ms after); clips are trimmed
to their speech so the track can place exact silences between them (so are Piper's,
whose lead silence varies); an engine's clips at another sample rate are resampled.
Trimmed clips are cached by text, engine, voice, rate and engine version (with the model
file's hash for a model voice), so a cache never mixes voices, and a rebuild after a
small edit synthesizes only what changed. The checks a worker process runs use the standard
library only; numpy is imported where samples are computed.
"""

from __future__ import annotations

import array
import hashlib
import io
import json
import os
import sys
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from ... import fsutil
from .voices import Voice

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Clip = npt.NDArray[np.int16]

SAMPLE_RATE = 22050  # what espeak-ng produces and the master track uses
TRIM_THRESHOLD = 100  # |sample| above this (about -50 dBFS) counts as speech
CACHE_FORMAT = 1


def _samples(path: Path, rate: int | None = SAMPLE_RATE) -> tuple[bytes, int]:
    """The sample bytes and rate of a mono 16-bit WAV (at ``rate`` unless that is None);
    ``ValueError`` naming the file and what is wrong otherwise (a cut-off file included:
    never use part of a clip)."""
    try:
        with wave.open(str(path), "rb") as w:
            shape = (w.getnchannels(), w.getsampwidth(), w.getframerate())
            if shape[:2] != (1, 2) or (rate is not None and shape[2] != rate):
                raise ValueError(
                    f"{path.name}: {w.getnchannels()} ch, {8 * w.getsampwidth()} bit, "
                    f"{w.getframerate()} Hz; expected mono 16-bit {rate or 'any'} Hz"
                )
            frames = w.getnframes()
            data = w.readframes(frames)
    except (OSError, EOFError, wave.Error) as exc:
        raise ValueError(f"{path.name}: not a readable WAV ({exc})") from None
    if len(data) != 2 * frames:
        raise ValueError(f"{path.name}: {len(data) // 2} of {frames} samples")
    return data, shape[2]


def read_wav(path: Path, *, any_rate: bool = False) -> Clip:
    """A mono 16-bit WAV at :data:`SAMPLE_RATE` as samples; ``ValueError`` if it is not one.
    With ``any_rate`` another rate is accepted and resampled (an engine's own rate)."""
    data, rate = _samples(path, None if any_rate else SAMPLE_RATE)
    import numpy as np

    samples = np.frombuffer(data, dtype="<i2").astype(np.int16)
    return resample(samples, rate) if rate != SAMPLE_RATE else samples


def resample(samples: Clip, rate: int) -> Clip:
    """``samples`` at ``rate`` brought to :data:`SAMPLE_RATE` (linear interpolation: a
    16 kHz voice loses nothing it had)."""
    import numpy as np

    count = round(samples.size * SAMPLE_RATE / rate)
    at = np.arange(count) * (rate / SAMPLE_RATE)
    out = np.interp(at, np.arange(samples.size), samples.astype(np.float64))
    resampled: Clip = np.rint(out).astype(np.int16)
    return resampled


def check_utterance(path: Path, threshold: int = TRIM_THRESHOLD, *,
                    rate: int | None = SAMPLE_RATE) -> None:
    """``ValueError`` unless ``path`` is a mono 16-bit WAV (at ``rate`` unless that is None)
    holding some speech.

    Runs in the worker with the standard library only, so a bad file is retried there.
    """
    if not path.exists():
        raise ValueError("no file was written")
    samples = array.array("h", _samples(path, rate)[0])
    if sys.byteorder == "big":  # pragma: no cover
        samples.byteswap()
    if not samples or (max(samples) <= threshold and -min(samples) <= threshold):
        raise ValueError("the file holds no speech")


def trim(samples: Clip, threshold: int = TRIM_THRESHOLD) -> Clip:
    """The clip from its first to its last sample louder than ``threshold`` (empty if none)."""
    import numpy as np

    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0] : loud[-1] + 1]


def wav_bytes(samples: Clip) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


# -- the cache ---------------------------------------------------------------------------


def cache_root() -> Path:
    """``$KICKBACK_EXPORT_CACHE`` or the per-user cache folder."""
    env = os.environ.get("KICKBACK_EXPORT_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kickback-export"))


def clip_key(text: str, voice: Voice) -> str:
    blob = json.dumps(
        [CACHE_FORMAT, text, voice.plugin, voice.id, voice.rate, voice.engine, TRIM_THRESHOLD,
         SAMPLE_RATE],
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def clip_path(root: Path, key: str) -> Path:
    return root / "clips" / key[:2] / f"{key}.wav"


def load_cached(root: Path, text: str, voice: Voice) -> Clip | None:
    path = clip_path(root, clip_key(text, voice))
    try:
        clip = read_wav(path)
    except ValueError:
        return None
    return clip if clip.size else None


def store(root: Path, text: str, voice: Voice, clip: Clip) -> Clip:
    """Cache a trimmed clip and return the clip the cache holds for the sentence.

    The first process to cache a sentence wins: espeak-ng's clips of one sentence differ
    by a few samples from process to process, so a build that synthesized a sentence
    another process cached meanwhile uses the cached clip — a cold build then matches a
    warm one. No fsync: an entry lost in a crash is synthesized again, and a cut-off one is
    refused by :func:`read_wav` (and replaced).
    """
    path = clip_path(root, clip_key(text, voice))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{fsutil.TMP_PREFIX}{os.getpid()}-{path.name}")
    tmp.write_bytes(wav_bytes(clip))
    try:
        os.link(tmp, path)  # atomic, and fails when the sentence is cached already
    except FileExistsError:
        cached = load_cached(root, text, voice)
        if cached is not None:
            return cached
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return clip
