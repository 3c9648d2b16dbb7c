"""The guided set, laid out the same in an exercise's guide and a workout's session.

A set opens with the words naming what starts ("Glute bridge, set 2 of 3, left leg, 12
reps.") as the last words before its count-in; a rep is its tempo's phases in the order
they are done, from ``tempo_start``, each phase's cue at the phase's absolute start
(``set_start + k * rep_seconds + the phases before it``), the rep's number riding on its
last phase ("lower, 3"; "lower, 11, last rep" on the rep before the last); work by the
clock starts with "Go." and ends with "3, 2, 1" and a tone. A rest says "Rest for …"
(or "Rest until you are ready."), what its caller adds ("Next: …"), countdown marks
where they fit, then the next set's naming and count-in, ending as the set starts.

Each set and each rest is a part (a track when the guide is cut), after at least
``track_gap`` seconds without speech: the last cue of a set must end that long before
the set does. With ``metronome`` a tick sits at each whole second of each phase.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..document.model import Prescription
from ..document.tempo import CUE, PHASE_NAMES
from . import prescription as rx_words
from .timeline import SlotOverflowError, _Builder

SHORT_REST = 6.0
"""A rest shorter than this has no "Rest for …" and no count-in: only the next set's naming."""

MARKS = (60, 30, 10)
"""Countdown marks of a rest, said where they fit (a rest at least 5 s longer than the mark)."""


@dataclass(frozen=True)
class Naming:
    """What starts next: its naming (``short``: the name and the set only, said when the
    full one does not fit a rest), its part's title, and where its segments belong."""

    text: str
    title: str
    short: str = ""
    where: dict[str, Any] = field(default_factory=dict)


class _SetBuilder(_Builder):
    """The set and rest layouts both guides share."""

    tone_before_sets = False  # an exercise's guide with ``tone``: a tone before each naming

    def count_in(self, end: float | None = None) -> float:
        """The count-in ("3, 2, 1") ending as the set starts at ``end`` (default: one
        starting now); returns when the set starts."""
        o = self.options
        start = self.t if end is None else end - o.count_in * o.count_beat
        for i in range(o.count_in):
            at = start + i * o.count_beat if end is None else end - (o.count_in - i) * o.count_beat
            self.cue_at(at, self.ph.number(o.count_in - i), at + o.count_beat,
                        "count-in beat", role="count-in")
        return start + o.count_in * o.count_beat if end is None else end

    def _lead(self) -> float:
        """Seconds the tone before a naming takes (0 without one)."""
        o = self.options
        return o.tone_seconds + o.tone_gap if self.tone_before_sets and o.tone else 0.0

    def name_set(self, nxt: Naming, text: str, at: float, slot_end: float) -> None:
        """The set's part starts (at its tone, if any), then its naming at ``at``."""
        self.where = dict(nxt.where)
        lead = self._lead()
        self.begin_part("set", nxt.title, at - lead, **nxt.where)
        if lead:
            self.wait_until(at - lead)
            self.tone()
        self.cue_at(at, text, slot_end, "set announcement", role="announce")

    def lead_in(self, nxt: Naming) -> None:
        """Sequentially, where nothing is timed yet: the naming, then the count-in."""
        o = self.options
        self.wait_until(self.spoken[0] + o.track_gap)
        at = self.t + self._lead()
        self.name_set(nxt, nxt.text, at, at + self._measure(nxt.text))
        self.silence(o.sentence_gap)
        self.wait_until(self.count_in())

    # -- work ---------------------------------------------------------------------------
    def rep_grid(self, p: Prescription, start: float) -> None:
        """Every rep of one set on the tempo grid from ``start``: each phase's cue at its
        absolute start, the rep's number on its last phase, ticks with ``metronome``."""
        o, ph = self.options, self.ph
        assert p.reps is not None and p.tempo is not None  # a set by reps has a tempo
        rep_s, words, phases = p.tempo.rep_seconds, rx_words.cue_words(p, ph), p.phases
        offsets = [sum(s for _, s in phases[:k]) for k in range(len(phases))]
        for r in range(p.reps):
            rep = r + 1
            for k, ((phase, seconds), offset) in enumerate(zip(phases, offsets, strict=True)):
                at = start + r * rep_s + offset
                text, end = words.of(phase), at + seconds
                if k == len(phases) - 1:
                    # the rep before the last also says so, so "last rep" comes in time
                    text = (ph._("{word}, {n}, last rep", word=text, n=ph.number(rep))
                            if rep == p.reps - 1 else
                            ph._("{word}, {n}", word=text, n=ph.number(rep)))
                    if rep == p.reps:
                        end -= o.track_gap  # quiet before the part that follows
                self.cue_at(at, text, end, f"{PHASE_NAMES[phase]} of rep {rep}",
                            role=CUE[phase], rep=rep)
                if o.metronome:
                    for beat in range(math.ceil(seconds - 1e-9)):
                        self.tick(at + beat, rep=rep)
        self.wait_until(start + p.reps * rep_s)

    def timed_set(self, p: Prescription, start: float, tone_inside: bool = False) -> None:
        """Work by the clock: "Go.", "3, 2, 1" before the end, a tone exactly at it
        (``tone_inside``: a tone ending exactly at it, when the next set starts there)."""
        o = self.options
        end = start + p.work_seconds
        ring = end - o.tone_seconds if tone_inside else end
        beats = [(end - c, self.ph.number(c)) for c in (3, 2, 1)] if p.work_seconds >= 6 else []
        quiet = end - o.track_gap  # before the part that follows
        self.cue_at(start, rx_words.go(self.ph), beats[0][0] if beats else quiet,
                    "timed set", role="timed")
        for at, text in beats:
            self.cue_at(at, text, min(at + 1, ring, quiet), f"timed set countdown at {text}",
                        role="countdown")
        self.wait_until(ring)
        self._add("tone", ring, ring + o.tone_seconds, role="end-tone")

    # -- rests --------------------------------------------------------------------------
    def rest(self, seconds: float, end: float, nxt: Naming, title: str,
             then: Sequence[tuple[str, str]] = (), ready: bool = False) -> None:
        """A rest from now until ``end`` (``seconds`` as said), leading into ``nxt``.

        "Rest for …" (or "Rest until you are ready."), each ``(text, role)`` of ``then``,
        the countdown marks that fit (in an until-ready rest, a reminder every 30 s
        instead), then ``nxt``'s naming and the count-in ending at ``end``. The naming is
        its short form when the full one does not fit; a rest under :data:`SHORT_REST`
        has the naming alone.
        """
        o, ph = self.options, self.ph
        r0 = self.t
        if seconds < SHORT_REST:
            text = self._fitting(nxt, end - r0 - self._lead(), "short rest")
            self.name_set(nxt, text, r0 + self._lead(), end)
            return
        self.where = {**nxt.where, "until_ready": ready}
        self.begin_part("rest", title, until_ready=ready, **nxt.where)
        announce = rx_words.rest_cue(seconds, ready, ph)
        said = r0 + self._measure(announce) + sum(
            o.sentence_gap + self._measure(text) for text, _ in then)
        if ready:
            marks = [(r0 + k * rx_words.READY_EVERY, rx_words.ready_reminder(ph))
                     for k in range(1, int(seconds // rx_words.READY_EVERY) + 1)]
        else:
            marks = [(end - m, ph.seconds(m)) for m in MARKS if seconds >= m + 5]
        lengths = {mark: self._measure(mark) for _, mark in marks}  # measured in order said
        counted = end - o.count_in * o.count_beat
        room = counted - o.sentence_gap - said - o.track_gap - self._lead()
        text = self._fitting(nxt, room, "set announcement after a rest")
        named = counted - o.sentence_gap - self._measure(text)
        quiet = named - self._lead() - o.track_gap  # the naming's part starts after it
        marks = [(at, mark) for at, mark in marks if at >= said and at + lengths[mark] <= quiet]
        first = marks[0][0] if marks else quiet
        self.cue_at(r0, announce, first, "rest announcement", role="rest")
        for text_, role in then:
            self.silence(o.sentence_gap)
            self.cue_at(self.t, text_, first, "rest announcement", role=role)
        for i, (at, mark) in enumerate(marks):
            until = marks[i + 1][0] if i + 1 < len(marks) else quiet
            role = "reminder" if ready else "countdown"
            self.cue_at(at, mark, until, f"rest countdown at {mark}", role=role)
        self.wait_until(named - self._lead(), role="rest")
        self.name_set(nxt, text, named, counted - o.sentence_gap)
        self.count_in(end)
        self.wait_until(end)

    def _fitting(self, nxt: Naming, room: float, slot: str) -> str:
        """The naming that fits ``room`` seconds: the full one, else the short one (both
        are measured when only recording, so both are synthesized)."""
        full = self._measure(nxt.text)
        if not self.check:
            if nxt.short:
                self._measure(nxt.short)
            return nxt.text
        if full <= room + 1e-6 or not nxt.short:
            return nxt.text
        short = self._measure(nxt.short)
        if short > room + 1e-6:
            raise SlotOverflowError(
                f'prescription: cue "{nxt.short}" takes {short:.2f} s but its slot ({slot}) '
                f"is {max(room, 0):.2f} s; lengthen the rest, shorten the name or raise the "
                "rate")
        return nxt.short
