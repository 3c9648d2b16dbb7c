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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .script import Spoken

from ..document.model import Prescription
from ..errors import ContentError
from . import prescription as rx_words
from .phrases import Phrases, phrases
from .track import FORMAT as FORMAT
from .track import FORMAT_VERSION as FORMAT_VERSION
from .track import Chapter, Kind, Segment
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
    tone: bool = False  # a short tone before each set announcement and the closing line
    full_technique: bool = False  # a workout's introductions: the steps' texts, not cues
    tone_seconds: float = 0.15
    tone_gap: float = 0.1
    sentence_gap: float = 0.3  # between sentences of one paragraph
    item_gap: float = 0.7  # between paragraphs, list items, headings
    settle: float = 2.0  # after "Get into position." before the count-in
    count_in: int = 3  # "3, 2, 1" before the first rep
    count_beat: float = 1.0  # seconds per count-in number
    tail: float = 1.0  # silence at the very end

    def __post_init__(self) -> None:
        for name in ("default_pause", "tone_seconds", "tone_gap", "sentence_gap", "item_gap",
                     "settle", "count_beat", "tail"):
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

    # -- chapters ---------------------------------------------------------------------
    def intro(self, n: Narration) -> None:
        self.begin_chapter("intro", self.ph._("Introduction"))
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

    def guided(self, p: Prescription) -> None:
        o, ph = self.options, self.ph
        self.begin_chapter("sets", ph._("Guided sets"))
        self.say(ph._("Guided sets."), role="heading")
        self.silence(o.item_gap)
        self.say(rx_words.overview(p, ph), role="overview")
        self.silence(o.item_gap)
        for n in range(1, p.sets + 1):
            for k, side in enumerate(rx_words.sides(p)):
                self.where = {"set": n, "side": side}
                if k and side and p.switch > 0:
                    # The switch cue has the whole switch period as its slot.
                    start = self.t
                    self.cue_at(start, rx_words.switch_cue(p, ph, side), start + p.switch,
                                "side switch", role="switch")
                    self.wait_until(start + p.switch, role="switch")
                self.one_set(p, n, side)
            self.where = {"set": n}
            if n < p.sets and p.rest > 0:
                self.rest(p.rest)
        self.where = {}
        self.silence(o.item_gap)
        self.tone()
        self.say(rx_words.closing(p, ph), role="closing")

    def one_set(self, p: Prescription, n: int, side: str | None) -> None:
        o, ph = self.options, self.ph
        self.tone()
        self.say(rx_words.set_announcement(p, ph, n, side), role="announce")
        self.silence(o.sentence_gap)
        self.say(ph._("Get into position."), role="announce")
        self.silence(o.settle)
        count0 = self.t
        for i in range(o.count_in):
            at = count0 + i * o.count_beat
            self.cue_at(at, ph.number(o.count_in - i), at + o.count_beat, "count-in beat",
                        role="count-in")
        start = count0 + o.count_in * o.count_beat
        if p.reps is None or p.tempo is None:
            self.timed_set(p, start)
        else:
            self.rep_grid(p, start)

    def rep_grid(self, p: Prescription, start: float) -> None:
        """Every rep of one set on the tempo grid from ``start`` (its first kick)."""
        ph, tempo = self.ph, p.tempo
        assert p.reps is not None and tempo is not None  # a set by reps has a tempo
        rep_s = tempo.rep_seconds
        words = rx_words.cue_words(p, ph)
        for r in range(p.reps):
            rep = r + 1
            t0 = start + r * rep_s
            self.cue_at(t0, words.kick, t0 + tempo.kick, f"kick phase of rep {rep}",
                        role="kick", rep=rep)
            if tempo.hold > 0:
                t1 = t0 + tempo.kick
                self.cue_at(t1, words.hold, t1 + tempo.hold, f"hold phase of rep {rep}",
                            role="hold", rep=rep)
            t2 = t0 + tempo.kick + tempo.hold
            # The rep number rides on the return, the longest and calmest phase; the
            # rep before the last one also announces it, so "last rep" comes in time.
            back = (ph._("{word}, {n}, last rep", word=words.return_, n=ph.number(rep))
                    if rep == p.reps - 1 else
                    ph._("{word}, {n}", word=words.return_, n=ph.number(rep)))
            self.cue_at(t2, back, t0 + rep_s,
                        f"return phase of rep {rep}", role="return", rep=rep)
        self.wait_until(start + p.reps * rep_s)

    def timed_set(self, p: Prescription, start: float, tone_inside: bool = False) -> None:
        """Work by the clock: one cue, "3, 2, 1" before the end, a tone exactly at it
        (``tone_inside``: a tone ending exactly at it, when the next set starts there)."""
        end = start + p.work_seconds
        ring = end - self.options.tone_seconds if tone_inside else end
        beats = [(end - c, self.ph.number(c)) for c in (3, 2, 1)] if p.work_seconds >= 6 else []
        self.cue_at(start, rx_words.timed_cue(p, self.ph), beats[0][0] if beats else ring,
                    "timed set", role="timed")
        for at, text in beats:
            self.cue_at(at, text, min(at + 1, ring), f"timed set countdown at {text}",
                        role="countdown")
        self.wait_until(ring)
        self._add("tone", ring, ring + self.options.tone_seconds, role="end-tone")

    def rest(self, seconds: float, then: Sequence[tuple[str, str]] = (),
             end: float | None = None) -> None:
        """"Rest for …", then each ``(text, role)`` of ``then``, then the countdown marks.

        ``end`` (default: now + ``seconds``) is when the rest ends on an absolute clock
        (a workout's plan), which may be a moment less than ``seconds`` away. What
        ``then`` says (what comes next) matters more than an early mark ("10 seconds"),
        so marks it would run into are left out; "3, 2, 1" always stays.
        """
        ph = self.ph
        r0 = self.t
        end = r0 + seconds if end is None else end
        announce = ph._("Rest for {time}.", time=ph.seconds(seconds))
        marks: list[tuple[float, str]] = [
            (end - m, ph.seconds(m)) for m in (60, 30, 10) if seconds >= m + 5
        ]
        if then:
            said = r0 + self._measure(announce) + sum(
                self.options.sentence_gap + self._measure(text) for text, _ in then)
            marks = [(at, text) for at, text in marks if at >= said]
        if seconds >= 6:
            marks += [(end - c, ph.number(c)) for c in (3, 2, 1)]
        first = marks[0][0] if marks else end
        self.cue_at(r0, announce, first, "rest announcement", role="rest")
        for text, role in then:
            self.silence(self.options.sentence_gap)
            self.cue_at(self.t, text, first, "rest announcement", role=role)
        for i, (at, text) in enumerate(marks):
            until = marks[i + 1][0] if i + 1 < len(marks) else end
            self.cue_at(at, text, until, f"rest countdown at {text}", role="countdown")
        self.wait_until(end, role="rest")

    def finish(self, meta: dict[str, Any]) -> Timeline:
        self.silence(self.options.tail)
        bounds = [c[2] for c in self.chapters[1:]] + [self.t]
        chapters = tuple(
            Chapter(cid, title, start, end)
            for (cid, title, start), end in zip(self.chapters, bounds, strict=True)
        )
        return Timeline(tuple(self.segments), chapters, dict(meta))


def lay_out_guide(n: Narration, speech_duration: SpeechDuration,
                  options: TimelineOptions, check: bool = True) -> Timeline:
    """An exercise's guide: introduction, technique and (``options.guided``) its sets.
    Raises :class:`SlotOverflowError` if a timed cue cannot fit."""
    b = _Builder(speech_duration, options, check)
    b.ph = phrases(n.language)
    b.intro(n)
    b.technique(n)
    if options.guided and n.prescription is not None:
        b.guided(n.prescription)
    return b.finish({"id": n.id, "title": n.title, "language": n.language})


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

