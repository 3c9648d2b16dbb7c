"""The spoken guide as a timeline: every cue, silence and tone with its exact start and end.

Computed once from the document and consumed by everything timed (the audio track,
captions, MP3 chapters, EPUB read-aloud), so no consumer re-derives timing. It knows
nothing about any speech engine: the caller supplies ``speech_duration(text) -> seconds``
(measured from the synthesized clips), which keeps it testable without synthesizing.

Two kinds of time are used. Narration (intro, steps, tips, announcements) is laid out
sequentially, each part starting where the previous ended. Guided-set cues (count-in,
rep phases, side switches, rest countdowns) are placed at *absolute* times computed
from the tempo (``set_start + k * rep_seconds``), so the cadence never drifts however
long the speech is; a cue longer than its slot raises :class:`SlotOverflowError`
instead of stretching the set.

This module holds the primitives every layout shares (:class:`_Builder`) and the
narration before the sets; the sets themselves (naming, count-in, rep grid, rests) are
:mod:`.rep_grid`'s, an exercise's guided sets :mod:`.guided`'s, a workout's session
:mod:`.workout_timeline`'s. A laid-out guide is also cut into parts (:class:`~.track.Part`:
introduction, each set from the words naming it, each rest from "Rest for …", the
closing), each after at least ``track_gap`` seconds without speech, so a track cut there
starts cleanly.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .script import Spoken

from ..document.model import Prescription
from ..errors import ContentError
from .phrases import Phrases, phrases
from .track import FORMAT as FORMAT
from .track import FORMAT_VERSION as FORMAT_VERSION
from .track import Chapter, Kind, Part, PartKind, Segment
from .track import Timeline as Timeline

SpeechDuration = Callable[[str], float]
"""Seconds a text takes when spoken (as measured from its synthesized, trimmed clip)."""

# A sentence ends at . ! or ? followed by space and a character that is not lower case
# (so "e.g. a band" stays whole).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\sa-zß-ÿ])")
_EPS = 1e-9


class TimelineError(ContentError):
    """The document cannot be turned into a timeline (one line, for the build log)."""


class SlotOverflowError(TimelineError):
    """A timed cue is longer than the slot it has to fit in."""


@dataclass(frozen=True)
class TimelineOptions:
    """How the guide is paced. Defaults suit a listener following along in real time."""

    default_pause: float = 3.0  # after a step whose document gives no pause
    guided: bool = True  # False: intro and technique only (``--no-guided``)
    # The EPUB read-aloud: all the text the page shows, headings included, exactly as
    # printed, in page order and item_gap apart; no "Step N." labels, step pauses or
    # guided sets (``guided`` ignored).
    read_aloud: bool = False
    tone: bool = False  # a short tone before each set's naming and the closing line
    full_technique: bool = False  # a workout's introductions: the steps' texts, not cues
    tone_seconds: float = 0.15
    tone_gap: float = 0.1
    sentence_gap: float = 0.3  # between sentences of one paragraph
    item_gap: float = 0.7  # between paragraphs, list items, headings
    settle: float = 2.0  # after "Get into position." before the count-in
    count_in: int = 3  # "3, 2, 1" before the first rep
    count_beat: float = 1.0  # seconds per count-in number
    tail: float = 1.0  # silence at the very end
    track_gap: float = 0.35  # without speech before each part (a set's naming, "Rest for …")
    metronome: bool = False  # a tick at each whole second of each phase of a rep
    tick_seconds: float = 0.05

    def __post_init__(self) -> None:
        for name in ("default_pause", "tone_seconds", "tone_gap", "sentence_gap", "item_gap",
                     "settle", "count_beat", "tail", "track_gap", "tick_seconds"):
            value = getattr(self, name)
            if not 0 <= value <= 600:
                raise TimelineError(f"timeline option {name} must be 0–600 seconds, not {value}")
        if not 0 <= self.count_in <= 10:
            raise TimelineError(f"timeline option count_in must be 0–10, not {self.count_in}")


@dataclass(frozen=True)
class Narration:
    """What an exercise's guide says before its guided sets, worded (see
    :func:`~.exercise_text.narration`): the introduction's sentences with their elements
    and roles, the steps with their pauses, the tips."""

    id: str
    title: str
    language: str
    intro: tuple[tuple[str, str], ...]  # (text, element: also its role)
    steps: tuple[tuple[str, float | None], ...]
    tips: tuple[str, ...]
    prescription: Prescription | None


def _speakable(text: str) -> bool:
    return any(c.isalnum() for c in text)


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences: each is synthesized (and cached) on its own.

    A piece with nothing to pronounce ("…", "—") stays with its neighbour: alone it
    would be a silent clip, which the renderer rejects.
    """
    out: list[str] = []
    for piece in (p.strip() for p in _SENTENCE_END.split(text)):
        if not piece:
            continue
        if out and not (_speakable(piece) and _speakable(out[-1])):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


class _Builder:
    def __init__(self, duration: SpeechDuration, options: TimelineOptions, check: bool) -> None:
        self.duration = duration
        self.options = options
        self.check = check
        self.t = 0.0
        self.segments: list[Segment] = []
        self.chapters: list[tuple[str, str, float]] = []
        self.chapter = ""
        self.where: dict[str, Any] = {}
        self.ph: Phrases = phrases("en")
        self.parts: list[tuple[PartKind, float, str, dict[str, Any]]] = []
        self.ticks: list[Segment] = []
        self.spoken = (0.0, "")  # where the last speech ends, and what it said

    # -- parts and ticks --------------------------------------------------------------
    def begin_part(self, kind: PartKind, title: str, at: float | None = None,
                   **info: Any) -> None:
        """A part (a track, once the guide is cut) starts ``at`` (default: now); a set or
        a rest only after ``track_gap`` seconds without speech."""
        at = self.t if at is None else at
        ended, said = self.spoken
        if self.check and kind in ("set", "rest") and said and (
                at - ended < self.options.track_gap - 1e-6):
            raise SlotOverflowError(
                f'prescription: cue "{said}" ends at {ended:.3f} s, {at - ended:.2f} s before '
                f'the {kind} that starts at {at:.3f} s; a track starts there and needs '
                f"{self.options.track_gap:g} s without speech before it")
        self.parts.append((kind, at, title, info))

    def tick(self, at: float, **kw: Any) -> None:
        """A metronome tick: mixed under the speech, so kept out of the segments."""
        self.ticks.append(Segment("tick", at, at + self.options.tick_seconds, self.chapter,
                                  role="tick", **{**self.where, **kw}))

    # -- primitives -------------------------------------------------------------------
    def begin_chapter(self, cid: str, title: str) -> None:
        self.chapter = cid
        self.chapters.append((cid, title, self.t))

    def _measure(self, text: str) -> float:
        seconds = float(self.duration(text))
        if self.check and not seconds > 0:
            raise TimelineError(f'speech duration for "{text}" is {seconds} s; it must be > 0')
        return max(seconds, 0.0)

    def _add(self, kind: Kind, start: float, end: float, **kw: Any) -> None:
        self.segments.append(Segment(kind, start, end, self.chapter, **{**self.where, **kw}))
        self.t = end
        if kind == "speech":
            self.spoken = (end, str(kw.get("text", "")))

    def silence(self, seconds: float, **kw: Any) -> None:
        if seconds > 0:
            self._add("silence", self.t, self.t + seconds, **kw)

    def wait_until(self, when: float, **kw: Any) -> None:
        if when > self.t + _EPS:
            self._add("silence", self.t, when, **kw)
        self.t = max(self.t, when)

    def tone(self) -> None:
        if self.options.tone:
            self._add("tone", self.t, self.t + self.options.tone_seconds, role="tone")
            self.silence(self.options.tone_gap)

    def say(self, text: str, **kw: Any) -> None:
        """Sequential narration: sentence by sentence, short gaps inside one element.

        Text with nothing to pronounce (a lone "[" or "—") is not spoken: espeak-ng would
        give a silent clip. Such an element simply has no span.
        """
        parts = [part for part in sentences(text) if _speakable(part)]
        for i, part in enumerate(parts):
            if i:
                self.silence(self.options.sentence_gap, element=kw.get("element"))
            self._add("speech", self.t, self.t + self._measure(part), text=part, **kw)

    def cue_at(self, when: float, text: str, slot_end: float, slot: str, **kw: Any) -> None:
        """A timed cue: starts exactly at ``when`` and must end by ``slot_end``."""
        if self.check and self.t > when + 1e-6:
            raise SlotOverflowError(
                f'prescription: cue "{text}" ({slot}) should start at {when:.3f} s but '
                f"the previous speech runs until {self.t:.3f} s"
            )
        self.wait_until(when)
        seconds = self._measure(text)
        if self.check and when + seconds > slot_end + 1e-6:
            raise SlotOverflowError(
                f'prescription: cue "{text}" takes {seconds:.2f} s but its slot ({slot}) is '
                f"{slot_end - when:.2f} s; slow the tempo, shorten the cue or raise the rate"
            )
        self.segments.append(
            Segment("speech", when, when + seconds, self.chapter, text, **{**self.where, **kw})
        )
        self.t = when + seconds
        self.spoken = (self.t, text)

    # -- chapters ---------------------------------------------------------------------
    def intro(self, n: Narration) -> None:
        self.begin_chapter("intro", self.ph._("Introduction"))
        self.begin_part("intro", self.ph._("Introduction"))
        for text, element in n.intro:  # nothing is said of what a document does not name
            self.say(text, element=element, role=element)
            self.silence(self.options.item_gap)

    def technique(self, n: Narration) -> None:
        ph = self.ph
        self.begin_chapter("technique", ph._("Setup and technique"))
        self.say(ph._("Setup and technique."), role="heading")
        self.silence(self.options.item_gap)
        for i, (text, pause) in enumerate(n.steps, 1):
            self.say(ph._("Step {n}.", n=ph.number(i)), role="step-label")
            self.silence(self.options.sentence_gap)
            self.say(text, element=f"step-{i}", role="step")
            self.silence(pause if pause is not None else self.options.default_pause,
                         role="pause")
        if n.tips:
            self.say(ph._("Tips."), role="heading")
            self.silence(self.options.item_gap)
            for i, tip in enumerate(n.tips, 1):
                self.say(tip, element=f"tip-{i}", role="tip")
                self.silence(self.options.item_gap)

    def read_aloud(self, blocks: Sequence[Spoken]) -> None:
        """The page's every element once, as shown and in its order (the blocks the EPUB
        page is built from): every second of audio belongs to one element or to the gap
        after it, so a SMIL clip per element covers all the speech. A label is said on
        its own, a sentence gap before its text; each part of the page is a chapter."""
        o = self.options
        self.begin_chapter("intro", self.ph._("Introduction"))
        for block in blocks:
            if block.chapter:
                self.begin_chapter(*block.chapter)
            pieces = [piece for piece in block.pieces if _speakable(piece)]
            if not pieces:
                continue  # shown on the page, nothing to say (a lone ":" or "—")
            for i, piece in enumerate(pieces):
                if i:
                    self.silence(o.sentence_gap, element=block.id)
                self.say(piece, element=block.id, role=block.role)
            self.silence(o.item_gap)

    def finish(self, meta: dict[str, Any]) -> Timeline:
        self.silence(self.options.tail)
        bounds = [c[2] for c in self.chapters[1:]] + [self.t]
        chapters = tuple(
            Chapter(cid, title, start, end)
            for (cid, title, start), end in zip(self.chapters, bounds, strict=True)
        )
        return self.timeline(chapters, meta)

    def timeline(self, chapters: tuple[Chapter, ...], meta: dict[str, Any]) -> Timeline:
        """The timeline with its parts, each segment numbered with the part it is in."""
        ends = [p[1] for p in self.parts[1:]] + [self.t]
        parts = tuple(Part(kind, start, end, title, **info)
                      for (kind, start, title, info), end in zip(self.parts, ends, strict=False))
        starts = [p.start for p in parts]
        segments = tuple(replace(s, part=bisect_right(starts, s.start + 1e-9) - 1)
                         for s in self.segments) if parts else tuple(self.segments)
        return Timeline(segments, chapters, dict(meta), parts, tuple(self.ticks))


def lay_out_reading(blocks: Sequence[Spoken], meta: dict[str, Any],
                    speech_duration: SpeechDuration, options: TimelineOptions,
                    check: bool = True) -> Timeline:
    """A page read aloud, element by element (see :meth:`_Builder.read_aloud`)."""
    b = _Builder(speech_duration, options, check)
    b.ph = phrases(meta["language"])
    b.read_aloud(blocks)
    return b.finish(meta)


def recorded(lay_out: Callable[[SpeechDuration], object]) -> list[str]:
    """Every distinct text a layout speaks, in first-use order: what is said never
    depends on how long it takes to say, so this is known before synthesis."""
    seen: dict[str, None] = {}

    def record(text: str) -> float:
        seen.setdefault(text, None)
        return 0.0

    lay_out(record)
    return list(seen)

