"""The spoken audio guide: master WAV, chaptered MP3, WebVTT captions and the timeline JSON.

A document with a spoken guide (its text model's ``script``: an exercise's guided sets,
a workout's session) gets one. Every output is derived from one
:class:`~kickback_export.content.timeline.Timeline`, rendered to samples and MP3 by
:mod:`kickback_export.engines.audio.render` (shared with the EPUB read-aloud). What is
said and the chapter titles come from the timeline (catalog words); the MP3's own titles
are catalog messages too. Engines load inside :meth:`AudioExporter.export`.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.text import TextModel
    from ..content.timeline import Timeline, TimelineOptions
    from ..engines.audio.render import Rendered

DEFAULT_RATE = 175
"""Words per minute, espeak-ng's own default (``speech.DEFAULT_RATE``; a test keeps them equal)."""

ARTIST = "kickback-export"  # the program that made the file: a name, not a phrase


@dataclass(frozen=True)
class AudioSettings:
    voice: str | None = None
    engine: str | None = None
    rate: int = DEFAULT_RATE
    default_pause: float = 3.0
    guided: bool = True
    tone: bool = False
    workers: int | None = None
    full_technique: bool = False  # a workout's introductions: the steps' texts, not cues

    @classmethod
    def from_options(cls, options: Options) -> AudioSettings:
        from ..engines.audio.speech import default_workers

        return cls(
            voice=options.get("voice"),
            engine=options.get("engine"),
            rate=int(options.get("rate", DEFAULT_RATE)),
            default_pause=float(options.get("default-pause", 3.0)),
            guided=not options.get("no-guided", False),
            tone=bool(options.get("tone", False)),
            full_technique=bool(options.get("full-technique", False)),
            # documents exported in parallel share the cores: one synthesis process each
            workers=options.get("tts-workers")
            or (max(1, default_workers() // options.jobs) if options.jobs > 1 else None),
        )

    def timeline_options(self) -> TimelineOptions:
        from ..content.timeline import TimelineOptions

        return TimelineOptions(default_pause=self.default_pause, guided=self.guided,
                               tone=self.tone, full_technique=self.full_technique)


def render(text: TextModel, settings: AudioSettings) -> Rendered:
    """Synthesize (or load cached) clips, lay out the timeline and build the track."""
    from ..content.script import spoken_script
    from ..engines.audio import render as rendering

    options = settings.timeline_options()
    return rendering.render(spoken_script(text, options), text.language, options,
                            voice=settings.voice, rate=settings.rate,
                            workers=settings.workers, engine=settings.engine)


# -- file formats ------------------------------------------------------------------------


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def id3_tags(text: TextModel, timeline: Timeline) -> Any:
    """Title/artist/album and one CHAP frame per chapter under a top-level CTOC.

    A chapter with parts (a workout's block) is a CTOC of its parts' CHAP frames
    instead, so players that only read CHAP frames list each part once.
    """
    from ..content.phrases import phrases

    ph = phrases(text.language)
    id3: Any = importlib.import_module("mutagen.id3")  # its partial type hints stop at calls
    CHAP, CTOC, TALB, TIT2, TPE1, CTOCFlags = (
        id3.CHAP, id3.CTOC, id3.TALB, id3.TIT2, id3.TPE1, id3.CTOCFlags
    )
    tags = id3.ID3()
    tags.add(TIT2(encoding=3, text=[ph._("{name}: audio guide", name=text.title)]))
    tags.add(TPE1(encoding=3, text=[ARTIST]))
    tags.add(TALB(encoding=3, text=[text.title]))
    ids = [f"chp{i}" for i in range(len(timeline.chapters))]
    parts = {i: [ids[k] for k, c in enumerate(timeline.chapters) if c.parent == chapter.id]
             for i, chapter in enumerate(timeline.chapters)}
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=[f"toc{i}" if parts[i] else ids[i]
                               for i, c in enumerate(timeline.chapters) if c.parent is None],
            sub_frames=[TIT2(encoding=3, text=[ph._("Chapters")])],
        )
    )
    for i, chapter in enumerate(timeline.chapters):
        if parts[i]:
            tags.add(CTOC(element_id=f"toc{i}", flags=CTOCFlags.ORDERED,
                          child_element_ids=parts[i],
                          sub_frames=[TIT2(encoding=3, text=[chapter.title])]))
    for i, (cid, chapter) in enumerate(zip(ids, timeline.chapters, strict=True)):
        if parts[i]:
            continue
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
    """WebVTT: one cue per spoken segment at its real time (``WEBVTT`` is the format's
    signature, not a phrase)."""
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
        Option("engine", "speech engine for the audio guide and the EPUB read-aloud: espeak "
               "(default) or piper, or a plug-in's ('kickback-export voices' lists them)"),
        Option("voice", "the engine's voice, or a Piper model file PATH.onnx (default: from "
               "the document language)"),
        Option("rate", "speech rate in words per minute", default=DEFAULT_RATE, type=int),
        Option("default-pause", "seconds of silence after a step without its own pause "
               "(an exercise's guide)",
               default=3.0, type=float),
        Option("no-guided", "instructions only: leave out the guided sets (an exercise's "
               "guide; a workout's guide is its guided sets)", flag=True, default=False),
        Option("tone", "a short tone before each set announcement and the closing line",
               flag=True, default=False),
        Option("tts-workers", "at most this many speech synthesis processes (default: cores)",
               type=int),
        Option("full-technique", "a workout's introductions say each step's text instead of "
               "its short cue", flag=True, default=False),
    )

    @staticmethod
    def accepts(text: TextModel) -> bool:
        """A document with a spoken guide of its own (not a program, yet)."""
        return text.script is not None

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        return write_guide(text, out_dir, AudioSettings.from_options(options))


def write_guide(text: TextModel, out_dir: Path, settings: AudioSettings) -> list[Output]:
    from .. import fsutil
    from ..engines.audio.clips import wav_bytes
    from ..engines.audio.render import mp3_bytes

    guide = render(text, settings)
    stem = f"{text.slug}-guide"
    wav = fsutil.write_bytes(out_dir / f"{stem}.wav", wav_bytes(guide.pcm))
    mp3 = out_dir / f"{stem}.mp3"
    with fsutil.atomic_path(mp3) as tmp:
        tmp.write_bytes(mp3_bytes(guide.pcm))
        id3_tags(text, guide.timeline).save(str(tmp), v2_version=4)
    vtt = fsutil.write_text(out_dir / f"{stem}.vtt", vtt_text(guide.timeline))
    js = fsutil.write_text(out_dir / f"{stem}.timeline.json", guide.timeline.to_json())
    return [
        Output(wav, "audio/wav"),
        Output(mp3, "audio/mpeg"),
        Output(vtt, "text/vtt"),
        Output(js, "application/json"),
    ]
