"""The timeline's data: segments, chapters, parts and ticks of a track, and its JSON form.

Kept apart from the layout (:mod:`.timeline`) because every timed output reads it —
the audio renderer, captions, chapters and EPUB media overlays — without laying out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Kind = Literal["speech", "silence", "tone", "tick"]
PartKind = Literal["intro", "set", "rest", "closing"]

FORMAT = "kickback-export/timeline"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of the track. Segments are contiguous and cover ``[0, duration]``.

    ``element`` ties narration to a document element ("name", "summary", "step-1",
    "tip-1" …; in the read-aloud, every id of :mod:`kickback_export.content.reading`) for EPUB
    media overlays; sentence gaps inside an element carry it too, so an element's
    segments form one unbroken span. ``role`` says what the segment is for ("lift",
    "rest", "pause" …); ``set``, ``side`` and ``rep`` locate guided cues. In a workout's
    track ``block`` and ``exercise`` name the plan's block ("A") and entry ("A1").
    ``until_ready`` marks the segments of a rest that lasts until the athlete is ready;
    ``part`` is the index of the :class:`Part` the segment belongs to.
    """

    kind: Kind
    start: float
    end: float
    chapter: str
    text: str = ""
    element: str | None = None
    role: str | None = None
    set: int | None = None
    side: str | None = None
    rep: int | None = None
    block: str | None = None
    exercise: str | None = None
    until_ready: bool = False
    part: int | None = None

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "start": _t(self.start),
            "end": _t(self.end),
            "chapter": self.chapter,
        }
        if self.text:
            out["text"] = self.text
        for name in ("element", "role", "set", "side", "rep", "block", "exercise", "part"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.until_ready:
            out["until_ready"] = True
        return out


@dataclass(frozen=True, slots=True)
class Chapter:
    """A titled span. A chapter with a ``parent`` is a part of that chapter (a workout's
    exercise inside its block); chapters of one parent are contiguous, as top-level ones are.
    """

    id: str
    title: str
    start: float
    end: float
    parent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "title": self.title, "start": _t(self.start), "end": _t(self.end)}
        return out if self.parent is None else {**out, "parent": self.parent}


@dataclass(frozen=True, slots=True)
class Part:
    """A stretch of the guide that is one track when the guide is cut: the introduction, a
    set (from the words naming it), a rest (from "Rest for …"), the closing. ``title`` is
    the track's ("Set 2 of 3 — left leg"); ``set``, ``side``, ``block`` and ``exercise``
    locate a set (or what a rest leads into) as the segments do."""

    kind: PartKind
    start: float
    end: float
    title: str
    until_ready: bool = False
    set: int | None = None
    side: str | None = None
    block: str | None = None
    exercise: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "start": _t(self.start), "end": _t(self.end),
                               "title": self.title, "until_ready": self.until_ready}
        for name in ("set", "side", "block", "exercise"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


@dataclass(frozen=True)
class Timeline:
    """The whole guide; ``chapters`` are contiguous and cover the same span as ``segments``,
    and so are ``parts`` (when laid out: a page read aloud has none). ``ticks`` (the
    metronome) overlap the segments and are mixed under them, so they are kept apart."""

    segments: tuple[Segment, ...]
    chapters: tuple[Chapter, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    parts: tuple[Part, ...] = ()
    ticks: tuple[Segment, ...] = ()

    @property
    def duration(self) -> float:
        return self.segments[-1].end if self.segments else 0.0

    def speech(self) -> Iterator[Segment]:
        return (s for s in self.segments if s.kind == "speech")

    def led_in(self, seconds: float) -> Timeline:
        """The timeline with at least ``seconds`` of quiet before its first sound: a
        device that wakes up on sound loses none of it. Everything after moves by what is
        added; the first chapter and part start at 0 still, now with the lead-in."""
        first = next((s.start for s in self.segments if s.kind != "silence"), None)
        shift = 0.0 if first is None else max(0.0, seconds - first)
        if shift <= 0:
            return self

        def moved(x: Any) -> Any:
            return replace(x, start=x.start + shift, end=x.end + shift)

        head = self.segments[0] if self.segments else None
        lead = (Segment("silence", 0.0, shift, head.chapter, role="lead-in", part=head.part)
                if head is not None else None)
        return replace(
            self,
            segments=(*((lead,) if lead else ()), *map(moved, self.segments)),
            chapters=tuple(replace(c, start=0.0, end=c.end + shift) if i == 0 else moved(c)
                           for i, c in enumerate(self.chapters)),
            parts=tuple(replace(p, start=0.0, end=p.end + shift) if i == 0 else moved(p)
                        for i, p in enumerate(self.parts)),
            ticks=tuple(map(moved, self.ticks)),
            meta={**self.meta, "lead_in": round(shift, 6)},
        )

    def element_spans(self) -> list[tuple[str, float, float]]:
        """``(element, start, end)`` for each narrated element, in order (for EPUB SMIL)."""
        spans: dict[str, tuple[float, float]] = {}
        for seg in self.segments:
            if seg.element is None:
                continue
            start, end = spans.get(seg.element, (seg.start, seg.end))
            spans[seg.element] = (min(start, seg.start), max(end, seg.end))
        return [(el, s, e) for el, (s, e) in spans.items()]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            **self.meta,
            "duration": _t(self.duration),
            "chapters": [c.to_dict() for c in self.chapters],
            "parts": [p.to_dict() for p in self.parts],
            "segments": [s.to_dict() for s in self.segments],
            "ticks": [t.to_dict() for t in self.ticks],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"


def _t(seconds: float) -> float:
    """Times in the JSON: microsecond precision, finer than one sample at 22050 Hz."""
    return round(seconds, 6) + 0.0  # + 0.0 turns -0.0 into 0.0


