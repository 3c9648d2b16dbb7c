"""A workout's guided track as one timeline, laid out on the workout plan's clock.

Every cue sits inside the plan interval it belongs to, at an absolute time, so the
track keeps the plan's length and pace however long the speech is: the opening and the
introductions are said during a block's changeover; every set or station opens with
its naming ("Glute bridge, round 2 of 3, 40 seconds.") as the last words before its
count-in, after a changeover as after a rest; rests say "Rest for …", "Halfway." in
long circuits, and in a long rest what comes next early ("Next: Glute bridge, set 2 of
3", "Last set."), then count down to the next set; sets run on the tempo grid (or the
clock: "Go.", a tone at the end) exactly as in an exercise's own guide, whose set
builder (:mod:`.rep_grid`) this one extends. The plan's ``finish`` (:data:`CLOSING`
seconds) says "Workout complete.". A cue that does not fit its slot raises
:class:`~.timeline.SlotOverflowError`, as for an exercise.

Parts (the tracks the guide is cut into): the introduction and each later changeover's
(titled with the block), each set from its naming (the other side from "Switch to your
right leg."), each rest from "Rest for …", the closing.

Chapters are per block (top level) and, inside each block, per exercise: a new one
where the plan moves to another entry (a superset's A1, A2, A1 …). Every segment
carries the plan's ``block`` ("A") and ``exercise`` entry key ("A1").
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

from ..document.plan import FINISH, Interval, Plan, PlanBlock, PlanEntry
from . import prescription as rx_words
from .phrases import Phrases, phrases
from .rep_grid import SHORT_REST, Naming, _SetBuilder
from .script import Opening
from .timeline import SlotOverflowError, SpeechDuration, TimelineOptions
from .track import Chapter, Timeline

CLOSING = FINISH
"""Seconds of the plan's finish: the last end tone, then "Workout complete."."""

HALFWAY_ROUNDS = 4
HALFWAY_STATIONS = 8
"""A circuit of at least this many rounds, or of stations, hears "Halfway." once."""

NEXT_REST = 20.0
"""A rest at least this long says early what comes next ("Next: …", "Last set."): the
naming before the count-in comes late in it."""

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


class _WorkoutBuilder(_SetBuilder):
    def __init__(self, p: Plan, titles: dict[str, str], duration: SpeechDuration,
                 options: TimelineOptions, check: bool, extra: Opening | None = None) -> None:
        super().__init__(duration, options, check)
        self.plan = p
        self.extra = extra or Opening()
        self.minutes = p.minutes  # the session's, whatever a program's day says first
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
    def preface(self) -> None:
        """A program's day: the week and its targets, before the session's clock starts
        (its plan moves on by as long as they take)."""
        o, first = self.options, self.plan.intervals[0]
        self.where = {"block": first.block, "exercise": first.entry}
        self.top("opening", self.ph._("Introduction"))
        self.begin_part("intro", self.ph._("Introduction"))
        for i, text in enumerate(self.extra.sentences):
            if i:
                self.silence(o.sentence_gap)
            self.say(text, role="target" if i else "week")
        self.silence(o.item_gap)
        lead = self.t
        self.plan = dataclasses.replace(self.plan, intervals=tuple(
            dataclasses.replace(iv, start=iv.start + lead) for iv in self.plan.intervals))

    def opening(self) -> None:
        p, ph = self.plan, self.ph
        if not self.tops:  # else a program's day opened it
            self.top("opening", ph._("Introduction"))
            self.begin_part("intro", ph._("Introduction"))
        self.say(p.workout.name, role="name")
        self.silence(self.options.sentence_gap)
        self.say(ph.ngettext("{n} exercise.", "{n} exercises.", p.exercise_count),
                 role="overview")
        self.silence(self.options.sentence_gap)
        minutes = self.minutes
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

    def naming(self, iv: Interval) -> Naming:
        """What the work interval ``iv`` is named by, and its part's title."""
        entry, ph = self.plan.entries[iv.entry], self.ph
        rounds = self.blocks[iv.block].kind == "circuit"
        rx = entry.prescription
        said = rx if rx.load not in self.extra.spoken else rx.model_copy(
            update={"load": self.extra.spoken[rx.load]})
        label = f"{entry.label} {entry.name}" if entry.label else entry.name
        return Naming(
            rx_words.naming(said, ph, entry.name, iv.set, iv.side, rounds=rounds),
            rx_words.set_title(rx, ph, iv.set, iv.side, label, rounds=rounds),
            rx_words.naming(said, ph, entry.name, iv.set, iv.side, rounds=rounds, short=True),
            {"block": iv.block, "exercise": iv.entry, "set": iv.set, "side": iv.side})

    def next_words(self, nxt: Interval) -> str:
        ph, entry = self.ph, self.plan.entries[nxt.entry]
        if nxt.sets <= 1:
            return ph._("Next: {name}.", name=entry.name)
        if self.blocks[nxt.block].kind == "circuit":
            return ph._("Next: {name}, round {n} of {total}.", name=entry.name,
                        n=ph.number(nxt.set), total=ph.number(nxt.sets))
        return ph._("Next: {name}, set {n} of {total}.", name=entry.name,
                    n=ph.number(nxt.set), total=ph.number(nxt.sets))

    def changeover(self, iv: Interval, nxt: Interval | None, first: bool) -> None:
        if not first:
            self.begin_part("intro", self.titles[iv.block], block=iv.block)
        self.introduce(self.blocks[iv.block])
        if nxt is None:
            return
        o = self.options
        naming = self.naming(nxt)
        self.where = {"block": nxt.block, "exercise": nxt.entry}
        self.say(self.ph._("Get into position."), role="announce")
        due = [(iv.end - m, self.ph.seconds(m)) for m in (30, 10)
               if iv.end - m >= self.t + o.sentence_gap]
        lengths = {text: self._measure(text) for _, text in due}  # measured in order said
        counted = iv.end - o.count_in * o.count_beat
        named = counted - o.sentence_gap - self._measure(naming.text)
        limit = named - o.track_gap  # quiet before the first set's naming
        if self.check and self.t > limit + 1e-6:
            needed = math.ceil(iv.seconds + self.t - limit)
            words = "steps' texts (--full-technique)" if self.full_technique else "cues"
            raise SlotOverflowError(
                f"changeover: the introduction of block {iv.block} runs until {self.t:.3f} s, "
                f"past {limit:.3f} s, when it must end for its first set to be named; "
                f"lengthen the changeover ({iv.seconds:g} s) to at least {needed} s, shorten "
                f"the {words} or raise the rate")
        self.marks(due, lengths, limit)
        self.wait_until(named)
        self.name_set(naming, naming.text, named, counted - o.sentence_gap)
        self.count_in(iv.end)

    def marks(self, due: list[tuple[float, str]], lengths: dict[str, float],
              quiet: float) -> None:
        """"30 seconds", "10 seconds" before a set where the introduction and the naming
        leave room, as in a rest: a long silence after "Get into position." sounds like a
        stopped track."""
        due = [(at, text) for at, text in due if at + lengths[text] <= quiet]
        for i, (at, text) in enumerate(due):
            until = due[i + 1][0] if i + 1 < len(due) else quiet
            self.cue_at(at, text, until, "changeover countdown", role="countdown")

    def rest_between(self, iv: Interval, nxt: Interval | None, halfway: bool) -> None:
        if nxt is None:  # a plan's rests always lead into work
            return
        then: list[tuple[str, str]] = []
        if halfway:
            then.append((self.ph._("Halfway."), "halfway"))
        if iv.seconds >= NEXT_REST:
            then.append((self.next_words(nxt), "next"))
            if nxt.last_set and nxt.sets > 1:
                last = (self.ph._("Last round.") if self.blocks[nxt.block].kind == "circuit"
                        else self.ph._("Last set."))
                then.append((last, "last-set"))
        name = self.plan.entries[nxt.entry].name
        self.rest(iv.seconds, iv.end, self.naming(nxt), rx_words.rest_title(self.ph, name),
                  then, ready=iv.until_ready)

    def switch(self, iv: Interval) -> None:
        """The other side's part starts at "Switch to your right leg.", the words naming
        it (a switch has no room for more); the count-in when the switch is 6 s or more."""
        rx = self.plan.entries[iv.entry].prescription
        counted = iv.seconds >= SHORT_REST and self.options.count_in > 0
        slot_end = iv.end - self.options.count_in * self.options.count_beat if counted else iv.end
        assert iv.side is not None  # a switch leads into a side
        naming = self.naming(iv)
        self.begin_part("set", naming.title, **naming.where)
        self.cue_at(self.t, rx_words.switch_cue(rx, self.ph, iv.side), slot_end, "side switch",
                    role="switch")
        if counted:
            self.count_in(iv.end)

    def work(self, iv: Interval, before: Interval | None, then: Interval | None) -> None:
        """One set on one side. With no rest before the next set (``then`` is work), a
        timed set's tone ends as the next set starts instead of beginning there; a set
        that follows another so (``before`` is work) starts its part with its first cue."""
        rx = self.plan.entries[iv.entry].prescription
        if before is not None and before.kind == "work":
            naming = self.naming(iv)
            self.begin_part("set", naming.title, **naming.where)
        if rx.reps is None or rx.tempo is None:
            self.timed_set(rx, iv.start, tone_inside=then is not None and then.kind == "work")
        else:
            self.rep_grid(rx, iv.start)

    def closing(self) -> None:
        end = self.plan.total_seconds
        self.top("closing", self.ph._("Workout complete"))
        self.begin_part("closing", self.ph._("Workout complete"))
        self.silence(self.options.item_gap)
        self.tone()
        self.cue_at(self.t, self.ph._("Workout complete."), end, "closing", role="closing")
        self.wait_until(end)

    # -- the whole track --------------------------------------------------------------
    def lay_out(self) -> None:
        if self.extra.sentences:
            self.preface()
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
                self.changeover(iv, nxt, i == 0)
            elif iv.kind == "work":
                self.work(iv, p.intervals[i - 1] if i else None,
                          p.intervals[i + 1] if i + 1 < len(p.intervals) else None)
            elif iv.kind == "switch":
                self.switch(iv)
            elif iv.kind in _RESTS:
                self.rest_between(iv, nxt, i + 1 in halfway)
            self.wait_until(iv.end)
        self.where = {"block": p.intervals[-1].block, "exercise": p.intervals[-1].entry}
        self.closing()

    def session(self) -> Timeline:
        chapters: list[Chapter] = []
        top_ends = [t[2] for t in self.tops[1:]] + [self.t]
        for (cid, title, start), end in zip(self.tops, top_ends, strict=True):
            chapters.append(Chapter(cid, title, start, end))
            mine = [leaf for leaf in self.leaves if leaf[3] == cid]
            ends = [leaf[2] for leaf in mine[1:]] + [end] if mine else []
            chapters += [Chapter(lid, part, s, e, parent=cid)
                         for (lid, part, s, _), e in zip(mine, ends, strict=True)]
        w = self.plan.workout
        meta: dict[str, Any] = {"id": self.extra.id or w.id, "title": self.extra.title or w.name,
                                "language": w.language,
                                "plan_seconds": round(self.plan.total_seconds, 6)}
        return self.timeline(tuple(chapters), meta)


def lay_out_session(p: Plan, titles: dict[str, str], speech_duration: SpeechDuration,
                    options: TimelineOptions, check: bool = True,
                    opening: Opening | None = None) -> Timeline:
    """The whole session's track; its length is ``p.total_seconds``, the finish included
    (and what ``opening`` says first). ``titles`` are the blocks' titles (the chapters'),
    by block key."""
    b = _WorkoutBuilder(p, titles, speech_duration, options, check, opening)
    b.lay_out()
    return b.session()


__all__: Sequence[str] = ["CLOSING", "halfway_before", "lay_out_session"]
