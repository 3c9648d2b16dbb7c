"""The guide cut into tracks, and their playlist: a rest can wait until the athlete is ready.

A file cannot wait, but a playlist can: "next track" (a double tap on most earphones) is
the one control an athlete has mid-set. Each part of the timeline (the introduction,
each set from the words naming it, each rest, the closing) becomes a track that starts
:data:`TRACK_LEAD` before its first words, inside the quiet the layout leaves
before every part, so each track opens on the floor as the whole guide does.

The tracks are cut from the continuous guide's own MP3 frames (:func:`.mp3.cut`): each is
tagged with the delay and padding that make its decoded samples exactly its stretch of
the guide, so played in order they sound like the guide. A rest that lasts until the
athlete is ready is the exception: its track is the rest said once and its reminder
repeated every :data:`~kickback_export.content.prescription.READY_EVERY` seconds for up
to :data:`READY_SECONDS`, mixed from the guide's own clips, so the athlete skips it
whenever ready.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...content.prescription import READY_EVERY
from ...content.track import Chapter, Segment, Timeline
from . import mp3
from .render import SR, Rendered, mix, sample_index, spans

TRACK_LEAD = 0.33
"""Seconds of the quiet before a part (the layout leaves at least 0.35 s, ``track_gap``)
that open its track: 0.3 s of floor, and room for the MP3's pre-echo."""
READY_SECONDS = 300.0
"""How long an until-ready rest's track lasts: long enough for any rest, short enough
that a forgotten player stops."""


@dataclass(frozen=True)
class Track:
    """One track: its number, title, file name, where it lies in the continuous guide
    (``start``, ``end``) and how long it lasts itself (longer for an until-ready rest)."""

    number: int
    title: str
    file: str
    start: float
    end: float
    seconds: float
    until_ready: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"number": self.number, "title": self.title, "file": self.file,
                "start": round(self.start, 6), "end": round(self.end, 6),
                "seconds": round(self.seconds, 6), "until_ready": self.until_ready}


def _name(number: int, title: str) -> str:
    """``07-set-2-of-3-left-leg.mp3``: the number first, so any player sorts them."""
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:48].rstrip("-")
    return f"{number:02d}-{words or 'part'}.mp3"


def _cut(timeline: Timeline, at: float) -> float:
    """Where the track of a part starting at ``at`` starts: :data:`TRACK_LEAD` before the
    first sound it is heard with. A sound that runs up to the part (the tone ending a
    timed set) opens the track after it, so no track starts in the middle of a sound."""
    sounds = [s for s in (*timeline.segments, *timeline.ticks) if s.kind != "silence"]
    start = at
    while True:
        touching = [s.start for s in sounds if s.start < start and s.end > start - TRACK_LEAD]
        if not touching:
            return max(0.0, start - TRACK_LEAD)
        start = min(touching)


def plan(timeline: Timeline) -> list[Track]:
    """The tracks of a guide: a part each, cut :data:`TRACK_LEAD` before it is heard."""
    parts = timeline.parts
    cuts = [0.0, *(_cut(timeline, p.start) for p in parts[1:]), timeline.duration]
    out = []
    for i, part in enumerate(parts):
        start, end = cuts[i], cuts[i + 1]
        seconds = max(READY_SECONDS, end - start) if part.until_ready else end - start
        out.append(Track(i + 1, part.title, _name(i + 1, part.title), start, end, seconds,
                         part.until_ready))
    return out


def _ready_timeline(timeline: Timeline, track: Track) -> Timeline:
    """An until-ready rest as a track: what it says before its first reminder, then the
    reminder every :data:`READY_EVERY` seconds from the rest's start while it fits."""
    index = track.number - 1
    part = timeline.parts[index]
    said = [s for s in timeline.segments
            if s.part == index and s.kind == "speech" and s.start >= track.start]
    reminders = [s for s in said if s.role == "reminder"]
    kept = [s for s in said if s.role != "reminder"
            and (not reminders or s.start < reminders[0].start)]
    placed = [replace(s, start=s.start - track.start, end=s.end - track.start) for s in kept]
    if reminders:
        clip = reminders[0].duration
        rest0 = part.start - track.start
        k = 1
        while rest0 + k * READY_EVERY + clip <= track.seconds - TRACK_LEAD:
            at = rest0 + k * READY_EVERY
            placed.append(replace(reminders[0], start=at, end=at + clip))
            k += 1
    segments: list[Segment] = []
    t = 0.0
    for seg in sorted(placed, key=lambda s: s.start):
        if seg.start > t:
            segments.append(Segment("silence", t, seg.start, seg.chapter, role="rest",
                                    part=0, until_ready=True))
        segments.append(replace(seg, part=0))
        t = seg.end
    segments.append(Segment("silence", t, track.seconds, part.title, role="rest", part=0,
                            until_ready=True))
    return Timeline(tuple(segments), (Chapter("track", track.title, 0.0, track.seconds),),
                    parts=(replace(part, start=0.0, end=track.seconds),))


def encode(rendered: Rendered, tracks: Sequence[Track], stream: Sequence[bytes]
           ) -> list[bytes]:
    """Each track's MP3 (untagged by ID3): cut from the guide's frames (``stream``), or,
    for an until-ready rest, mixed and encoded on its own."""
    out = []
    for track in tracks:
        if track.until_ready:
            own = _ready_timeline(rendered.timeline, track)
            pcm = mix(own, rendered.level, rendered.sound)
            out.append(mp3.encode(pcm, spans(own), rendered.floor_dbfs))
        else:
            out.append(mp3.cut(stream, sample_index(track.start), sample_index(track.end)))
    return out


def playlist(title: str, folder: str, tracks: Sequence[Track]) -> str:
    """An extended M3U playlist (UTF-8): each track's length and title, its path relative
    to the playlist."""
    lines = ["#EXTM3U", f"#PLAYLIST:{_line(title)}"]
    for track in tracks:
        lines += [f"#EXTINF:{track.seconds:.3f},{_line(track.title)}", f"{folder}/{track.file}"]
    return "\n".join(lines) + "\n"


def _line(text: str) -> str:
    """A title on one line (a playlist is line-based)."""
    return " ".join(text.split())


__all__ = ["READY_SECONDS", "SR", "Track", "encode", "plan", "playlist"]
