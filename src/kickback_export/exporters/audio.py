"""The spoken audio guide: master WAV, chaptered MP3, WebVTT captions and the timeline JSON.

A document with a spoken guide (its text model's ``script``: an exercise's guided sets,
a workout's session) gets one, and one per guide it offers besides (``guides``: a
program's, ``<program>-w3-monday-guide.mp3`` for each training day of each week). Every
output is derived from one
:class:`~kickback_export.content.timeline.Timeline`, rendered to samples and MP3 by
:mod:`kickback_export.engines.audio.render` (shared with the EPUB read-aloud). What is
said and the chapter titles come from the timeline (catalog words); the MP3's own titles
are catalog messages too. Engines load inside :meth:`AudioExporter.export`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.script import Script
    from ..content.text import TextModel
    from ..content.timeline import TimelineOptions
    from ..engines.audio.render import Rendered

READY = 90.0
"""Seconds an until-ready rest without seconds of its own lasts in the continuous guide
(``document.plan.READY``; a test keeps them equal)."""
DEFAULT_RATE = 175
"""Words per minute, espeak-ng's own default (``speech.DEFAULT_RATE``; a test keeps them equal)."""



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
    floor: float | None = -65.0  # the noise floor's level in dBFS (None: true silence)
    metronome: bool = False  # a soft tick on each second of each phase of a rep
    tracks: bool = False  # also a track per part and their playlist

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
            floor=floor_level(options.get("floor")),
            metronome=bool(options.get("metronome", False)),
            tracks=bool(options.get("tracks", False)),
            # documents exported in parallel share the cores: one synthesis process each
            workers=options.get("tts-workers")
            or (max(1, default_workers() // options.jobs) if options.jobs > 1 else None),
        )

    def timeline_options(self) -> TimelineOptions:
        from ..content.timeline import TimelineOptions

        return TimelineOptions(default_pause=self.default_pause, guided=self.guided,
                               tone=self.tone, full_technique=self.full_technique,
                               metronome=self.metronome)


def floor_level(value: object) -> float | None:
    """``--floor``: "off" (true silence), a level in dBFS, or the default (None given)."""
    from ..engines.audio import floor

    if value is None:
        return floor.DEFAULT_DBFS
    if str(value).strip().lower() == "off":
        return None
    try:
        level = float(str(value).strip().removesuffix("dBFS").strip())
    except ValueError:
        raise ValueError(f"'{value}' is not 'off' or a level in dBFS such as -65") from None
    floor.check_level(level)
    return level


def render(text: TextModel, settings: AudioSettings, script: Script | None = None
           ) -> Rendered:
    """Synthesize (or load cached) clips, lay out the timeline and build the track of the
    document's guide (``script``: one of its several guides)."""
    from ..content.script import spoken_script
    from ..engines.audio import render as rendering

    options = settings.timeline_options()
    [rendered] = rendering.render_many(
        [(script or spoken_script(text, options), text.language)], options,
        voice=settings.voice, rate=settings.rate, workers=settings.workers,
        engine=settings.engine, sound=rendering.Sound(settings.floor))
    return rendered


class AudioExporter:
    """Spoken guide with timed pauses and guided sets (espeak-ng by default)."""

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
        Option("floor", "the quiet noise floor under every pause, in dBFS from -80 to -55 "
               "(default -65), or 'off' for true digital silence. On by default: Bluetooth "
               "earphones and speakers switch off during digital silence and cut the first "
               "syllable after it", check=floor_level),
        Option("tracks", "also cut the guide into tracks, one per part (introduction, each "
               "set, each rest, closing), in <slug>-tracks/ with the playlist <slug>.m3u8: "
               "'next track' skips a rest, 'previous track' repeats a set. A rest written "
               f"'until-ready' lasts {READY:g} s in the continuous guide (or the "
               "prescription's own rest) and up to 5 minutes as a track, with a reminder "
               "every 30 s", flag=True, default=False),
        Option("metronome", "a soft tick on each second of each phase of a rep, 12 LU "
               "below the speech", flag=True, default=False),
    )

    @staticmethod
    def accepts(text: TextModel) -> bool:
        """A document with a spoken guide of its own, or several (a program's days)."""
        return text.script is not None or bool(text.guides)

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        return write_guide(text, out_dir, AudioSettings.from_options(options))


PLAYLIST_TYPE = "audio/x-mpegurl"


def _mp3(path: Path, data: bytes, tags: Any) -> Path:
    from .. import fsutil

    with fsutil.atomic_path(path) as tmp:
        tmp.write_bytes(data)
        tags.save(str(tmp), v2_version=4)
    return path


def write_guide(text: TextModel, out_dir: Path, settings: AudioSettings) -> list[Output]:
    """The guide's files (``<slug>-guide.mp3`` …), then each of the document's other
    guides' (``<stem>-guide.mp3`` …); with ``settings.tracks`` their tracks and playlists."""
    outputs: list[Output] = []
    if len(text.guides) > 1:  # every guide's sentences in one batch, then a guide at a time
        from ..engines.audio import render as rendering

        options = settings.timeline_options()
        rendering.synthesize([(g.script, text.language) for g in text.guides], options,
                             voice=settings.voice, rate=settings.rate,
                             workers=settings.workers, engine=settings.engine)
    if text.script is not None or not text.guides:
        outputs += _write(text, text.slug, text.title, None, out_dir, settings)
    for guide in text.guides:
        outputs += _write(text, guide.stem, guide.title, guide.script, out_dir, settings)
    return outputs


def _write(text: TextModel, slug: str, title: str, script: Script | None, out_dir: Path,
           settings: AudioSettings) -> list[Output]:
    """One guide's files, named from ``slug``."""
    import dataclasses

    from .. import fsutil
    from ..engines.audio import mp3, tags, tracks
    from ..engines.audio.clips import wav_bytes
    from ..engines.audio.render import spans

    guide = render(text, settings, script)
    stem = f"{slug}-guide"
    stream = mp3.encode_frames(guide.pcm, spans(guide.timeline), guide.floor_dbfs)
    timeline = guide.timeline
    outputs = [Output(fsutil.write_bytes(out_dir / f"{stem}.wav", wav_bytes(guide.pcm)),
                      "audio/wav"),
               Output(_mp3(out_dir / f"{stem}.mp3",
                           mp3.tagged(stream, mp3.DELAY, guide.pcm.size),
                           tags.guide_tags(title, text.language, timeline)),
                      "audio/mpeg")]
    if settings.tracks and timeline.parts:
        planned = tracks.plan(timeline)
        folder = f"{slug}-tracks"
        for track, data in zip(planned, tracks.encode(guide, planned, stream), strict=True):
            tagged = tags.track_tags(track.title, title, track.number, len(planned))
            outputs.append(Output(_mp3(out_dir / folder / track.file, data, tagged),
                                  "audio/mpeg"))
        playlist = tracks.playlist(title, folder, planned)
        outputs.append(Output(fsutil.write_text(out_dir / f"{slug}.m3u8", playlist),
                              PLAYLIST_TYPE))
        timeline = dataclasses.replace(timeline, meta={
            **timeline.meta, "tracks": [t.to_dict() for t in planned]})
    outputs += [
        Output(fsutil.write_text(out_dir / f"{stem}.vtt", tags.vtt_text(timeline)), "text/vtt"),
        Output(fsutil.write_text(out_dir / f"{stem}.timeline.json", timeline.to_json()),
               "application/json"),
    ]
    return outputs
