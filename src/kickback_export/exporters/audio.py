"""The spoken audio guide: master WAV, chaptered MP3, WebVTT captions and the timeline JSON.

Every output is derived from one :class:`~kickback_export.timeline.Timeline`. The track is
assembled sample-exactly: each clip (trimmed to its speech) is placed at the sample index
of its absolute start time, rounded once, and everything between clips is digital
silence, so every pause is exactly as long as the timeline says. One gain for the whole
track brings its peak to -1 dBFS.
"""

from __future__ import annotations

import dataclasses
import html
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import __version__, fsutil, speech
from ..model import Exercise
from ..registry import Option, Options, Output
from ..timeline import Timeline, TimelineOptions, build_timeline, spoken_texts

SR = speech.SAMPLE_RATE
PEAK_DBFS = -1.0
MP3_KBPS = 64
MP3_QUALITY = 7  # LAME -q 7 ("fast"); encoding is most of a warm export, -q 5 took ~1.5x longer
TONE_HZ = 880.0
TONE_LEVEL = 0.3  # of full scale, before normalisation
FADE_SECONDS = 0.005


@dataclass(frozen=True)
class AudioSettings:
    voice: str | None = None
    rate: int = speech.DEFAULT_RATE
    default_pause: float = 3.0
    guided: bool = True
    tone: bool = False
    workers: int | None = None

    @classmethod
    def from_options(cls, options: Options) -> AudioSettings:
        return cls(
            voice=options.get("voice"),
            rate=int(options.get("rate", speech.DEFAULT_RATE)),
            default_pause=float(options.get("default-pause", 3.0)),
            guided=not options.get("no-guided", False),
            tone=bool(options.get("tone", False)),
            workers=options.get("tts-workers"),
        )

    def timeline_options(self) -> TimelineOptions:
        return TimelineOptions(default_pause=self.default_pause, guided=self.guided,
                               tone=self.tone)


@dataclass(frozen=True)
class Guide:
    """A rendered guide in memory: the timeline and the normalised 16-bit track."""

    timeline: Timeline
    pcm: npt.NDArray[np.int16]
    voice: speech.Voice


def _index(seconds: float) -> int:
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


def assemble(timeline: Timeline, clips: dict[str, npt.NDArray[np.int16]]) -> npt.NDArray[np.int16]:
    """Place every clip and tone at its absolute sample index; peak-normalise the whole track.

    The gain comes from the loudest clip or tone used (the rest of the track is digital
    silence), so each clip is scaled once instead of passing over the whole track.
    """
    total = _index(timeline.duration)
    used = {seg.text for seg in timeline.speech()}
    has_tone = any(seg.kind == "tone" for seg in timeline.segments)
    peak = max([float(np.max(np.abs(clips[t].astype(np.int32)))) for t in used if clips[t].size]
               + [TONE_LEVEL * 32767 if has_tone else 0.0])
    gain = (32767 * 10 ** (PEAK_DBFS / 20)) / peak if peak > 0 else 1.0
    scaled = {t: np.rint(clips[t] * gain).astype(np.int16) for t in used}
    track = np.zeros(total, dtype=np.int16)
    for seg in timeline.segments:
        start = _index(seg.start)
        if seg.kind == "speech":
            clip = scaled[seg.text]
            end = min(start + clip.size, total)
            track[start:end] = clip[: end - start]
        elif seg.kind == "tone":
            end = min(_index(seg.end), total)
            track[start:end] = np.rint(_tone(end - start) * gain).astype(np.int16)
    return track


def render(document: Exercise, settings: AudioSettings) -> Guide:
    """Synthesize (or load cached) clips, lay out the timeline and build the track."""
    voice = speech.resolve_voice(document.language, settings.voice, settings.rate)
    options = settings.timeline_options()
    clips = speech.synthesize(spoken_texts(document, options), voice, workers=settings.workers)
    timeline = build_timeline(document, lambda text: clips[text].size / SR, options)
    meta = {**timeline.meta, "voice": voice.id, "rate": voice.rate, "sample_rate": SR}
    timeline = dataclasses.replace(timeline, meta=meta)
    return Guide(timeline, assemble(timeline, clips), voice)


# -- file formats ------------------------------------------------------------------------


def wav_bytes(pcm: npt.NDArray[np.int16]) -> bytes:
    return speech.wav_bytes(pcm)


def mp3_bytes(pcm: npt.NDArray[np.int16]) -> bytes:
    import lameenc

    enc = lameenc.Encoder()
    enc.set_bit_rate(MP3_KBPS)
    enc.set_in_sample_rate(SR)
    enc.set_channels(1)
    enc.set_quality(MP3_QUALITY)
    return bytes(enc.encode(pcm.astype("<i2").tobytes())) + bytes(enc.flush())


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def id3_tags(document: Exercise, timeline: Timeline) -> Any:
    """Title/artist/album and one CHAP frame per chapter under a top-level CTOC."""
    id3: Any = importlib.import_module("mutagen.id3")  # its partial type hints stop at calls
    CHAP, CTOC, TALB, TIT2, TPE1, CTOCFlags = (
        id3.CHAP, id3.CTOC, id3.TALB, id3.TIT2, id3.TPE1, id3.CTOCFlags
    )
    tags = id3.ID3()
    tags.add(TIT2(encoding=3, text=[f"{document.name}: audio guide"]))
    tags.add(TPE1(encoding=3, text=["kickback-export"]))
    tags.add(TALB(encoding=3, text=[document.name]))
    ids = [f"chp{i}" for i in range(len(timeline.chapters))]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=["Chapters"])],
        )
    )
    for cid, chapter in zip(ids, timeline.chapters, strict=True):
        tags.add(
            CHAP(
                element_id=cid,
                start_time=_ms(chapter.start),
                end_time=_ms(chapter.end),
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    return tags


def _vtt_time(seconds: float) -> str:
    ms = _ms(seconds)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def vtt_text(timeline: Timeline) -> str:
    """WebVTT: one cue per spoken segment at its real time."""
    lines = ["WEBVTT", ""]
    for i, seg in enumerate(timeline.speech(), 1):
        text = html.escape(seg.text, quote=False)
        lines += [str(i), f"{_vtt_time(seg.start)} --> {_vtt_time(seg.end)}", text, ""]
    return "\n".join(lines)


class AudioExporter:
    """Spoken guide with timed pauses and guided sets (espeak-ng through pyttsx3)."""

    name = "audio"
    description = "Spoken audio guide: WAV + chaptered MP3, WebVTT captions, timeline JSON"
    version = f"{__version__}+audio1"
    options: Sequence[Option] = (
        Option("voice", "espeak-ng voice (default: from the document language)"),
        Option("rate", "speech rate in words per minute", default=speech.DEFAULT_RATE,
               type=int),
        Option("default-pause", "seconds of silence after a step without its own pause",
               default=3.0, type=float),
        Option("no-guided", "instructions only: leave out the guided sets", flag=True,
               default=False),
        Option("tone", "a short tone before each set announcement and the closing line",
               flag=True, default=False),
        Option("tts-workers", "at most this many speech synthesis processes (default: cores)",
               type=int),
    )

    def export(self, document: Exercise, out_dir: Path, options: Options) -> list[Output]:
        return write_guide(document, out_dir, AudioSettings.from_options(options))


def write_guide(document: Exercise, out_dir: Path, settings: AudioSettings) -> list[Output]:
    guide = render(document, settings)
    stem = f"{document.slug}-guide"
    wav = fsutil.write_bytes(out_dir / f"{stem}.wav", wav_bytes(guide.pcm))
    mp3 = out_dir / f"{stem}.mp3"
    with fsutil.atomic_path(mp3) as tmp:
        tmp.write_bytes(mp3_bytes(guide.pcm))
        id3_tags(document, guide.timeline).save(str(tmp), v2_version=4)
    vtt = fsutil.write_text(out_dir / f"{stem}.vtt", vtt_text(guide.timeline))
    js = fsutil.write_text(out_dir / f"{stem}.timeline.json", guide.timeline.to_json())
    return [
        Output(wav, "audio/wav"),
        Output(mp3, "audio/mpeg"),
        Output(vtt, "text/vtt"),
        Output(js, "application/json"),
    ]
