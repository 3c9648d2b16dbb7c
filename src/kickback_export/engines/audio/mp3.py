"""MP3 from a guide's samples, encoded once per distinct piece and put together frame by frame.

A guide is mostly the quiet floor between cues, and the floor is one loop a whole number
of frames long (:mod:`.floor`), so a frame of pure floor is one of :data:`LOOP_FRAMES`
frames whatever the guide: those are encoded once per process and copied. Only the
stretches around speech and tones are encoded, each by its own encoder given a little
of the track before and after it. LAME's bit reservoir is switched off (libmp3lame
through ctypes: lameenc cannot), so no frame borrows bytes from another and any run of
frames is a valid stream; every frame keeps its place on the frame grid of one whole
encode (frame k holds input samples from ``k*576 - 576``), so the decoded guide is timed
exactly as a whole encode would be. Splices fall deep inside the floor, where every
frame is a long block, so the overlap between frames from different encoders adds two
close approximations of the same floor. The tracks are cut from the same frames.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ...errors import MissingPieceError

RATE = 22050
KBPS = 64
QUALITY = 7  # LAME -q 7 ("fast")
FRAME = 576  # samples in an MPEG-2 layer III frame
LAME_PACKAGE = "lame"
PREROLL, POSTROLL = 2, 3  # frames of context an encoder gets before and after its stretch
MARGIN = 2  # frames around speech or a tone that are not taken from the floor's frames

PCM = npt.NDArray[np.int16]


class _Lame:
    """libmp3lame, set up once per process."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("mp3lame") or "libmp3lame.so.0"
        try:
            lib = ctypes.CDLL(name)
        except OSError as exc:
            raise MissingPieceError(
                f"MP3 encoding needs libmp3lame ({exc}): install the apt package "
                f"'{LAME_PACKAGE}'") from None
        void, c_int = ctypes.c_void_p, ctypes.c_int
        lib.lame_init.restype = void
        for name, args in (
            ("lame_set_in_samplerate", [void, c_int]), ("lame_set_out_samplerate", [void, c_int]),
            ("lame_set_num_channels", [void, c_int]), ("lame_set_mode", [void, c_int]),
            ("lame_set_brate", [void, c_int]), ("lame_set_quality", [void, c_int]),
            ("lame_set_disable_reservoir", [void, c_int]),
            ("lame_set_bWriteVbrTag", [void, c_int]), ("lame_init_params", [void]),
            ("lame_get_encoder_delay", [void]), ("lame_close", [void]),
            ("lame_encode_buffer", [void, void, void, c_int, void, c_int]),
            ("lame_encode_flush", [void, void, c_int]),
            ("lame_get_lametag_frame", [void, void, ctypes.c_size_t]),
        ):
            getattr(lib, name).argtypes = args
        self.lib = lib

    def encode(self, pcm: PCM, flush: bool = True, tag: bool = False) -> bytes:
        """One stream of ``pcm`` (mono 16-bit at :data:`RATE`) without reservoir; with
        ``tag``, LAME's own Info frame alone instead (the template of :func:`info_frame`)."""
        lib = self.lib
        gfp = lib.lame_init()
        for setter, value in (("in_samplerate", RATE), ("out_samplerate", RATE),
                              ("num_channels", 1), ("mode", 3), ("brate", KBPS),
                              ("quality", QUALITY), ("disable_reservoir", 1),
                              ("bWriteVbrTag", int(tag))):
            getattr(lib, f"lame_set_{setter}")(gfp, value)
        try:
            if lib.lame_init_params(gfp) != 0:
                raise MissingPieceError("libmp3lame refused the guide's settings")
            samples = np.ascontiguousarray(pcm, dtype=np.int16)
            size = int(1.25 * samples.size) + 7200
            buf = ctypes.create_string_buffer(size)
            n = lib.lame_encode_buffer(gfp, samples.ctypes.data, samples.ctypes.data,
                                       samples.size, buf, size)
            out = buf.raw[:n]
            if flush:
                n = lib.lame_encode_flush(gfp, buf, size)  # (before ``buf.raw`` is read)
                out += buf.raw[:n]
            if tag:
                n = lib.lame_get_lametag_frame(gfp, buf, size)
                return buf.raw[:n]
            return out
        finally:
            lib.lame_close(gfp)


@functools.cache
def lame() -> _Lame:
    return _Lame()


_KBPS = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)  # MPEG-2 layer III
_RATES = (22050, 24000, 16000)


def frames(data: bytes) -> list[bytes]:
    """The frames of an MPEG-2 layer III stream, each as its bytes (headers read, not
    trusted blindly: a stream that does not parse is an error)."""
    out, at = [], 0
    while at + 4 <= len(data):
        head = int.from_bytes(data[at:at + 4], "big")
        if head >> 21 != 0x7FF or (head >> 17) & 0x3 != 1:
            raise ValueError(f"no MP3 frame header at byte {at}")
        kbps, rate = _KBPS[(head >> 12) & 0xF], _RATES[(head >> 10) & 0x3]
        length = 72_000 * kbps // rate + ((head >> 9) & 1)
        out.append(data[at:at + length])
        at += length
    return out


DELAY = 576
"""LAME's encoder delay at this rate: frame k holds input samples from ``k*576 - 576``."""
_INFO, _LAME = 13, 133  # offsets in a mono MPEG-2 frame: after header and side information


def _crc16(data: bytes, crc: int = 0) -> int:
    """CRC-16 (polynomial 0x8005, reflected), as the LAME tag's checksums."""
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


@functools.cache
def _template() -> bytes:
    return lame().encode(np.zeros(FRAME * 4, dtype=np.int16), tag=True)


def info_frame(audio: Sequence[bytes], delay: int, samples: int) -> bytes:
    """The Info frame (Xing header with LAME's extension) that makes ``audio``'s frames a
    gapless stream of ``samples`` samples: decoders skip ``delay`` samples (besides their
    own 529) and the padding after the last, so the decoded stream is exactly the PCM it
    was cut from (every player built on FFmpeg, ``lame --decode``, most phones)."""
    frame = bytearray(_template())
    if frame[_INFO:_INFO + 4] != b"Info" or frame[_LAME:_LAME + 4] != b"LAME":
        raise MissingPieceError("libmp3lame wrote an Info frame of another layout")
    size = len(frame) + sum(map(len, audio))
    padding = len(audio) * FRAME - delay - samples
    if not 0 <= delay < 4096 or not 0 <= padding < 4096:
        raise ValueError(f"delay {delay} or padding {padding} does not fit the LAME tag")
    frame[_INFO + 4:_INFO + 16] = b"".join(n.to_bytes(4, "big") for n in (
        int.from_bytes(frame[_INFO + 4:_INFO + 8], "big") | 3, len(audio), size))
    frame[_INFO + 16:_INFO + 116] = bytes(i * 256 // 100 for i in range(100))  # CBR: linear
    frame[_LAME + 21:_LAME + 24] = (delay << 12 | padding).to_bytes(3, "big")
    frame[_LAME + 28:_LAME + 32] = size.to_bytes(4, "big")
    frame[_LAME + 32:_LAME + 34] = bytes(2)  # the music's CRC: optional, read by no player
    frame[_LAME + 34:_LAME + 36] = _crc16(bytes(frame[:_LAME + 34])).to_bytes(2, "big")
    return bytes(frame)


def tagged(audio: Sequence[bytes], delay: int, samples: int) -> bytes:
    """The stream of ``audio``'s frames after its Info frame (:func:`info_frame`)."""
    return info_frame(audio, delay, samples) + b"".join(audio)


@dataclass(frozen=True)
class Spans:
    """Where a track is not pure floor: ``(start, end)`` sample ranges of speech and tones."""

    ranges: Sequence[tuple[int, int]]


@functools.cache
def _floor_frames(level_dbfs: float | None) -> tuple[bytes, ...]:
    """The frames of the floor at each of its loop's phases (frame k of a guide holds the
    floor's phase ``k mod LOOP_FRAMES`` when it holds nothing else)."""
    from . import floor

    loop_frames = floor.LOOP // FRAME
    loop = (np.zeros(floor.LOOP) if level_dbfs is None
            else floor.floor(floor.LOOP, level_dbfs))
    samples = np.rint(np.tile(loop, 2)).astype(np.int16)
    start = floor.LOOP - PREROLL * FRAME  # frame j holds phase (j - PREROLL)
    piece = samples[start:start + floor.LOOP + (PREROLL + POSTROLL) * FRAME]
    found = frames(lame().encode(piece))
    return tuple(found[PREROLL:PREROLL + loop_frames])


def encode(pcm: PCM, spans: Spans | None = None, floor_dbfs: float | None = None) -> bytes:
    """The MP3 of ``pcm``, tagged (:func:`info_frame`). With ``spans`` (where the track is
    more than its floor at ``floor_dbfs``, None for digital silence), frames of pure floor
    are copied and only the rest is encoded (see the module docstring); without, one
    whole encode."""
    return tagged(encode_frames(pcm, spans, floor_dbfs), DELAY, pcm.size)


def encode_frames(pcm: PCM, spans: Spans | None = None, floor_dbfs: float | None = None
                  ) -> list[bytes]:
    """The frames of :func:`encode`'s stream, untagged (to cut tracks from)."""
    return frames(lame().encode(pcm)) if spans is None else _frames(pcm, spans, floor_dbfs)


SETTLE = 2
"""Frames a cut stream starts before its first sample's frame: the decoder's overlap and
filter bank are settled by then, so a track decodes as the whole stream did there."""


def cut(stream: Sequence[bytes], start: int, end: int) -> bytes:
    """Samples ``start`` to ``end`` of a whole stream (``stream``: its frames, as
    :func:`encode_frames` gave them) as a gapless stream of their own: the frames that
    hold them and a few before, tagged with the delay and padding that trim the decoded
    result to exactly those samples. Played in order, cuts that meet sound as the whole."""
    first = max(0, start // FRAME - SETTLE)
    delay = start - first * FRAME + DELAY
    needed = -(-(delay + end - start + DELAY + 529) // FRAME)  # and the decoder's delay
    last = min(len(stream), first + needed)
    return tagged(stream[first:last], delay, end - start)


def _busy(total_frames: int, spans: Spans) -> npt.NDArray[np.bool_]:
    """Frames that must be encoded: those whose samples (and a margin) touch a span, and
    the first and last few (a stream's start and its flush)."""
    mark = np.zeros(total_frames + 1, dtype=np.int32)
    for start, end in spans.ranges:  # frame k holds samples k*FRAME - FRAME … k*FRAME
        first = max(0, (start + FRAME) // FRAME - MARGIN)
        last = min(total_frames, (end + FRAME) // FRAME + MARGIN + 1)
        mark[first] += 1
        mark[last] -= 1
    busy = np.cumsum(mark[:-1]) > 0
    busy[: PREROLL + MARGIN] = True
    busy[-(POSTROLL + MARGIN + 1):] = True
    return busy


def _frames(pcm: PCM, spans: Spans, floor_dbfs: float | None) -> list[bytes]:
    """Every frame of the stream in order: the floor's where a frame is pure floor, the
    rest from one encode per busy stretch (in threads: libmp3lame runs without the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    from .speech import default_workers

    total = -(-(pcm.size + FRAME) // FRAME) + 1  # what a whole encode emits, flush included
    busy = _busy(total, spans)
    pool = _floor_frames(floor_dbfs)
    runs: list[tuple[int, int]] = []  # busy stretches, first and last frame
    k = 0
    while k < total:
        if busy[k]:
            end = k
            while end + 1 < total and busy[end + 1]:
                end += 1
            runs.append((k, end))
            k = end + 1
        else:
            k += 1

    def encoded(run: tuple[int, int]) -> list[bytes]:
        first, end = run
        start = max(0, first - PREROLL)
        got = frames(lame().encode(pcm[start * FRAME:(end + 1 + POSTROLL) * FRAME]))
        if end == total - 1:  # the stream's end: its flush frames, as a whole encode's
            return got[first - start:]
        return got[first - start:end - start + 1]

    with ThreadPoolExecutor(max_workers=max(1, min(default_workers(), len(runs)))) as threads:
        pieces = dict(zip(runs, threads.map(encoded, runs), strict=True))
    out: list[bytes] = []
    k = 0
    for run in runs:
        out += [pool[i % len(pool)] for i in range(k, run[0])]
        out += pieces[run]
        k = run[1] + 1
    return out


__all__ = ["DELAY", "FRAME", "Spans", "cut", "encode", "encode_frames", "frames", "tagged"]
