"""An exercise's guide laid out: introduction, technique, then its guided sets.

The sets run on the exercise's own clock: "Get into position.", then per set and side
the naming ("Side-lying clamshell, set 1 of 3, left leg, 15 reps.") and count-in, the
reps on the tempo grid (:mod:`.rep_grid`); the other side after "Switch to your right
leg." and the switch time; between sets a rest of exactly the prescription's rest, from
"Rest for …" to the next set's first rep, whose naming and count-in end it.
"""

from __future__ import annotations

from ..document.model import Prescription
from . import prescription as rx_words
from .phrases import phrases
from .rep_grid import Naming, _SetBuilder
from .timeline import Narration, SpeechDuration, Timeline, TimelineOptions


class _GuideBuilder(_SetBuilder):
    tone_before_sets = True

    def naming(self, p: Prescription, name: str, n: int, side: str | None) -> Naming:
        return Naming(rx_words.naming(p, self.ph, name, n, side),
                      rx_words.set_title(p, self.ph, n, side),
                      rx_words.naming(p, self.ph, name, n, side, short=True),
                      {"set": n, "side": side})

    def guided(self, p: Prescription, name: str) -> None:
        o, ph = self.options, self.ph
        self.begin_chapter("sets", ph._("Guided sets"))
        self.say(ph._("Guided sets."), role="heading")
        self.silence(o.item_gap)
        self.say(rx_words.overview(p, ph), role="overview")
        self.silence(o.item_gap)
        self.say(ph._("Get into position."), role="announce")
        self.silence(o.settle)
        sides = rx_words.sides(p)
        for n in range(1, p.sets + 1):
            for k, side in enumerate(sides):
                nxt = self.naming(p, name, n, side)
                if k and side and p.switch > 0:  # the switch cue has the switch time as slot
                    self.where = dict(nxt.where)
                    start = self.t
                    self.cue_at(start, rx_words.switch_cue(p, ph, side), start + p.switch,
                                "side switch", role="switch")
                    self.wait_until(start + p.switch, role="switch")
                if n == 1 or k or p.rest_seconds <= 0:
                    self.lead_in(nxt)
                if p.reps is None or p.tempo is None:
                    self.timed_set(p, self.t)
                else:
                    self.rep_grid(p, self.t)
            if n < p.sets and p.rest_seconds > 0:
                nxt = self.naming(p, name, n + 1, sides[0])
                then = ph.pgettext("track", "set {n} of {total}", n=ph.number(n + 1),
                                   total=ph.number(p.sets))
                self.rest(p.rest_seconds, self.t + p.rest_seconds, nxt,
                          rx_words.rest_title(ph, then), ready=p.until_ready)
        self.where = {}
        self.begin_part("closing", ph.pgettext("track", "Closing"))
        self.silence(o.item_gap)
        self.tone()
        self.say(rx_words.closing(p, ph), role="closing")


def lay_out_guide(n: Narration, speech_duration: SpeechDuration,
                  options: TimelineOptions, check: bool = True) -> Timeline:
    """An exercise's guide: introduction, technique and (``options.guided``) its sets.
    Raises :class:`~.timeline.SlotOverflowError` if a timed cue cannot fit."""
    b = _GuideBuilder(speech_duration, options, check)
    b.ph = phrases(n.language)
    b.intro(n)
    b.technique(n)
    if options.guided and n.prescription is not None:
        b.guided(n.prescription, n.title)
    return b.finish({"id": n.id, "title": n.title, "language": n.language})


__all__ = ["lay_out_guide"]
