"""A workout's guided track as one timeline, laid out on the workout plan's clock.

Every cue sits inside the plan interval it belongs to, at an absolute time, so the
track keeps the plan's length and pace however long the speech is: the opening and the
introductions are said during a block's changeover and end with the count-in on the
first rep; rests say "Rest for …", what comes next ("Next: Glute bridge, set 2 of 3"),
"Last set." before an exercise's last set, "Halfway." in long circuits, and count
down to the next set; sets run on the tempo grid (or the clock, with a tone at the
end) exactly as in an exercise's own guide, whose builder this one extends. The plan's
``finish`` (:data:`CLOSING` seconds) says "Workout complete.". A cue that does
not fit its slot raises :class:`~.timeline.SlotOverflowError`, as for an exercise.

Chapters are per block (top level) and, inside each block, per exercise: a new one
where the plan moves to another entry (a superset's A1, A2, A1 …). Every segment
carries the plan's ``block`` ("A") and ``exercise`` entry key ("A1").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..document.plan import FINISH, Interval, Plan, PlanBlock, PlanEntry
from . import prescription as rx_words
from .phrases import Phrases, phrases
from .timeline import SlotOverflowError, SpeechDuration, TimelineOptions, _Builder
from .track import Chapter, Timeline

CLOSING = FINISH
"""Seconds of the plan's finish: the last end tone, then "Workout complete."."""

HALFWAY_ROUNDS = 4
HALFWAY_STATIONS = 8
"""A circuit of at least this many rounds, or of stations, hears "Halfway." once."""

SHORT_REST = 6.0
"""A rest shorter than this (a quick superset transition) says only what comes next."""

_RESTS = ("rest", "round-rest", "transition")


def halfway_before(p: Plan) -> set[int]:
    """Indices of the work intervals before which "Halfway." is said: in each long
    circuit, the first set after half of its station visits (a unilateral set is one
    visit, both sides) are done."""
    out: set[int] = set()
    for block in p.blocks:
        if block.kind != "circuit" or (block.rounds < HALFWAY_ROUNDS
                                       and len(block.entries) < HALFWAY_STATIONS):
            continue
        visits = [i for i, iv in enumerate(p.intervals) if iv.block == block.key
                  and iv.kind == "work" and p.intervals[i - 1].kind != "switch"]
        if len(visits) > 1:
            out.add(visits[len(visits) // 2])
    return out


class _WorkoutBuilder(_Builder):
    def __init__(self, p: Plan, titles: dict[str, str], duration: SpeechDuration,
                 options: TimelineOptions, check: bool) -> None:
        super().__init__(duration, options, check)
        self.plan = p
        self.titles = titles
        self.full_technique = options.full_technique
        self.ph: Phrases = phrases(p.workout.language)
        self.blocks = {b.key: b for b in p.blocks}
        self.tops: list[tuple[str, str, float]] = []
        self.leaves: list[tuple[str, str, float, str]] = []
        self.runs: dict[str, int] = {}

    # -- chapters ---------------------------------------------------------------------
    def top(self, cid: str, title: str) -> None:
        self.tops.append((cid, title, self.t))
        self.chapter = cid

    def leaf(self, entry: PlanEntry, block: PlanBlock, n: int) -> None:
        run = self.runs[entry.key] = self.runs.get(entry.key, 0) + 1
        cid = f"{entry.key}.{run}"
        name = f"{entry.label} {entry.name}" if entry.label else entry.name
        if block.kind == "superset":
            name = self.ph._("{name}, set {n}", name=name, n=self.ph.number(max(n, 1)))
        elif block.kind == "circuit":
            name = self.ph._("{name}, round {n}", name=name, n=self.ph.number(max(n, 1)))
        self.leaves.append((cid, name, self.t, self.tops[-1][0]))
        self.chapter = cid

    # -- what is said -----------------------------------------------------------------
    def opening(self) -> None:
        p, ph = self.plan, self.ph
        self.top("opening", ph._("Introduction"))
        self.say(p.workout.name, role="name")
        self.silence(self.options.sentence_gap)
        self.say(ph.ngettext("{n} exercise.", "{n} exercises.", p.exercise_count),
                 role="overview")
        self.silence(self.options.sentence_gap)
        minutes = p.minutes
        self.say(ph.ngettext("About {n} minute.", "About {n} minutes.", minutes),
                 role="overview")
        self.silence(self.options.item_gap)

    def introduce(self, block: PlanBlock) -> None:
        """The block in a sentence, then each exercise: its name and step cues (with
        ``full_technique`` the steps' full texts)."""
        ph, o = self.ph, self.options
        names = ph.join([e.name for e in block.entries])
        if block.kind == "superset":
            self.say(ph._("Superset, done alternately: {names}.", names=names), role="block")
            self.silence(o.item_gap)
        elif block.kind == "circuit":
            self.say(ph.ngettext("Circuit of {n} round: {names}.",
                                 "Circuit of {n} rounds: {names}.", block.rounds, names=names),
                     role="block")
            self.silence(o.item_gap)
        elif block.kind in ("warm-up", "cool-down"):
            self.say(ph._("Warm-up.") if block.kind == "warm-up" else ph._("Cool-down."),
                     role="block")
            self.silence(o.item_gap)
        for entry in block.entries:
            self.where = {"block": block.key, "exercise": entry.key}
            self.say(entry.name, role="name")
            steps = entry.exercise.steps if entry.exercise else []
            for step in steps:
                text = step.text if self.full_technique else step.cue
                if text:
                    self.silence(o.sentence_gap)
                    self.say(text, role="step" if self.full_technique else "cue")
            self.silence(o.item_gap)

    def count_in(self, end: float) -> None:
        o = self.options
        for i in range(o.count_in):
            at = end - (o.count_in - i) * o.count_beat
            self.cue_at(at, self.ph.number(o.count_in - i), at + o.count_beat,
                        "count-in beat", role="count-in")

    def next_words(self, nxt: Interval) -> str:
        ph, entry = self.ph, self.plan.entries[nxt.entry]
        if nxt.sets <= 1:
            return ph._("Next: {name}.", name=entry.name)
        if self.blocks[nxt.block].kind == "circuit":
            return ph._("Next: {name}, round {n} of {total}.", name=entry.name,
                        n=ph.number(nxt.set), total=ph.number(nxt.sets))
        return ph._("Next: {name}, set {n} of {total}.", name=entry.name,
                    n=ph.number(nxt.set), total=ph.number(nxt.sets))

    def changeover(self, iv: Interval, nxt: Interval | None) -> None:
        self.introduce(self.blocks[iv.block])
        if nxt is None:
            return
        entry = self.plan.entries[nxt.entry]
        self.where = {"block": nxt.block, "exercise": nxt.entry}
        circuit = self.blocks[nxt.block].kind == "circuit"
        self.say(rx_words.session_announcement(entry.prescription, self.ph, nxt.set, nxt.side,
                                               rounds=circuit), role="announce")
        self.silence(self.options.sentence_gap)
        self.say(self.ph._("Get into position."), role="announce")
        counted = iv.end - self.options.count_in * self.options.count_beat
        if self.check and self.t > counted + 1e-6:
            needed = math.ceil(iv.seconds + self.t - counted)
            words = "steps' texts (--full-technique)" if self.full_technique else "cues"
            raise SlotOverflowError(
                f"changeover: the introduction of block {iv.block} runs until {self.t:.3f} s, "
                f"past the count-in at {counted:.3f} s; lengthen the changeover "
                f"({iv.seconds:g} s) to at least {needed} s, shorten the {words} or raise "
                "the rate")
        self.marks(iv.end, counted)
        self.count_in(iv.end)

    def marks(self, end: float, counted: float) -> None:
        """"30 seconds", "10 seconds" before a set where the introduction leaves room, as in
        a rest: a long silence after "Get into position." sounds like a stopped track."""
        gap = self.options.sentence_gap
        due = [(end - m, m) for m in (30, 10) if end - m >= self.t + gap]
        for i, (at, m) in enumerate(due):
            until = due[i + 1][0] if i + 1 < len(due) else counted
            self.cue_at(at, self.ph.seconds(m), until, "changeover countdown", role="countdown")

    def rest_between(self, iv: Interval, nxt: Interval | None, halfway: bool) -> None:
        then: list[tuple[str, str]] = []
        if halfway:
            then.append((self.ph._("Halfway."), "halfway"))
        if nxt is not None:
            then.append((self.next_words(nxt), "next"))
            if nxt.last_set and nxt.sets > 1:
                last = (self.ph._("Last round.") if self.blocks[nxt.block].kind == "circuit"
                        else self.ph._("Last set."))
                then.append((last, "last-set"))
        if iv.seconds >= SHORT_REST:
            self.rest(iv.seconds, then, end=iv.end)
            return
        for k, (text, role) in enumerate(then):  # too short for "Rest for …" and a countdown
            if k:
                self.silence(self.options.sentence_gap)
            self.cue_at(self.t, text, iv.end, "short rest", role=role)

    def switch(self, iv: Interval) -> None:
        rx = self.plan.entries[iv.entry].prescription
        counted = iv.seconds >= 6 and self.options.count_in > 0
        slot_end = iv.end - self.options.count_in * self.options.count_beat if counted else iv.end
        assert iv.side is not None  # a switch leads into a side
        self.cue_at(self.t, rx_words.switch_cue(rx, self.ph, iv.side), slot_end, "side switch",
                    role="switch")
        if counted:
            self.count_in(iv.end)

    def work(self, iv: Interval, then: Interval | None) -> None:
        """One set on one side. With no rest before the next set (``then`` is work), a
        timed set's tone ends as the next set starts instead of beginning there."""
        rx = self.plan.entries[iv.entry].prescription
        if rx.reps is None or rx.tempo is None:
            self.timed_set(rx, iv.start, tone_inside=then is not None and then.kind == "work")
        else:
            self.rep_grid(rx, iv.start)

    def closing(self) -> None:
        end = self.plan.total_seconds
        self.top("closing", self.ph._("Workout complete"))
        self.silence(self.options.item_gap)
        self.tone()
        self.cue_at(self.t, self.ph._("Workout complete."), end, "closing", role="closing")
        self.wait_until(end)

    # -- the whole track --------------------------------------------------------------
    def lay_out(self) -> None:
        p = self.plan
        halfway = halfway_before(p)
        current = ""
        for i, iv in enumerate(p.intervals):
            if iv.kind == "finish":
                break
            block = self.blocks[iv.block]
            self.wait_until(iv.start)
            self.where = {"block": iv.block, "exercise": iv.entry}
            if iv.kind == "changeover":
                if i == 0:
                    self.opening()
                self.top(block.key, self.titles[block.key])
                current = ""
            if iv.entry != current:
                self.leaf(p.entries[iv.entry], block, iv.set)
                current = iv.entry
            if iv.kind in ("work", "switch"):
                self.where = {**self.where, "set": iv.set, "side": iv.side}
            nxt = p.next_work(i)
            if iv.kind == "changeover":
                self.changeover(iv, nxt)
            elif iv.kind == "work":
                self.work(iv, p.intervals[i + 1] if i + 1 < len(p.intervals) else None)
            elif iv.kind == "switch":
                self.switch(iv)
            elif iv.kind in _RESTS:
                self.rest_between(iv, nxt, i + 1 in halfway)
            self.wait_until(iv.end)
        self.where = {"block": p.intervals[-1].block, "exercise": p.intervals[-1].entry}
        self.closing()

    def timeline(self) -> Timeline:
        chapters: list[Chapter] = []
        top_ends = [t[2] for t in self.tops[1:]] + [self.t]
        for (cid, title, start), end in zip(self.tops, top_ends, strict=True):
            chapters.append(Chapter(cid, title, start, end))
            mine = [leaf for leaf in self.leaves if leaf[3] == cid]
            ends = [leaf[2] for leaf in mine[1:]] + [end] if mine else []
            chapters += [Chapter(lid, part, s, e, parent=cid)
                         for (lid, part, s, _), e in zip(mine, ends, strict=True)]
        w = self.plan.workout
        meta: dict[str, Any] = {"id": w.id, "title": w.name, "language": w.language,
                                "plan_seconds": round(self.plan.total_seconds, 6)}
        return Timeline(tuple(self.segments), tuple(chapters), meta)


def lay_out_session(p: Plan, titles: dict[str, str], speech_duration: SpeechDuration,
                    options: TimelineOptions, check: bool = True) -> Timeline:
    """The whole session's track; its length is ``p.total_seconds``, the finish included.
    ``titles`` are the blocks' titles (the chapters'), by block key."""
    b = _WorkoutBuilder(p, titles, speech_duration, options, check)
    b.lay_out()
    return b.timeline()


__all__: Sequence[str] = ["CLOSING", "halfway_before", "lay_out_session"]
