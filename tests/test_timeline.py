"""The timeline on its own: layout rules checked with made-up speech durations (no synthesis)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kickback_export import Exercise
from kickback_export.content.exercise_text import build_timeline, spoken_texts
from kickback_export.content.script import reading
from kickback_export.content.text import text_of
from kickback_export.content.timeline import (
    SlotOverflowError,
    Timeline,
    TimelineError,
    TimelineOptions,
    sentences,
)
from kickback_export.document.tempo import CUE
from kickback_export.engines.epub.section import build_section
from kickback_export.registry import ContentError

from strategies import documents
from test_epub import covered, normalised, said, text_bearing, xml

READ_ALOUD = TimelineOptions(read_aloud=True, tail=0.0)


def fake(text: str) -> float:
    """Roughly espeak's pace at 175 wpm, short enough for every slot of the seed."""
    return 0.05 + 0.03 * len(text)


def check_layout(tl: Timeline) -> None:
    segs = tl.segments
    assert segs[0].start == 0.0
    for seg in segs:
        assert seg.end > seg.start, seg
    for a, b in itertools.pairwise(segs):
        assert a.end == b.start, (a, b)  # contiguous: no gaps, no overlaps
    chapters = tl.chapters
    assert chapters[0].start == 0.0
    assert chapters[-1].end == tl.duration
    for c, d in itertools.pairwise(chapters):
        assert c.end == d.start
        assert c.end > c.start
    for seg in segs:
        ch = next(c for c in chapters if c.id == seg.chapter)
        assert ch.start <= seg.start and seg.end <= ch.end


PHASE_ROLES = ("lift", "hold", "lower")


def sets_of(tl: Timeline) -> dict[tuple[Any, Any], list[Any]]:
    groups: dict[tuple[Any, Any], list[Any]] = {}
    for seg in tl.speech():
        if seg.role in (*PHASE_ROLES, "count-in"):
            groups.setdefault((seg.set, seg.side), []).append(seg)
    return groups


def check_rep_grid(segs: list[Any], rx: Any) -> None:
    """Each rep is its phases in the order done from ``tempo_start``: every cue at its
    phase's absolute start, phase lengths exactly the notation's, the number on the last."""
    cues = [s for s in segs if s.role in PHASE_ROLES]
    phases = rx.phases
    assert len(cues) == rx.reps * len(phases)
    start = cues[0].start
    for k, seg in enumerate(cues):
        rep, i = divmod(k, len(phases))
        offset = sum(seconds for _, seconds in phases[:i])
        assert seg.start == start + rep * rx.tempo.rep_seconds + offset, (k, seg)
        assert seg.role == CUE[phases[i][0]] and seg.rep == rep + 1
        assert seg.text.endswith(f", {rep + 1}") == (i == len(phases) - 1 and rep + 2 != rx.reps)
    lengths = [b.start - a.start for a, b in itertools.pairwise(cues[:len(phases) + 1])]
    assert lengths == pytest.approx([seconds for _, seconds in phases][:len(lengths)])
    assert sum(seconds for _, seconds in phases) == rx.tempo.rep_seconds


def test_seed_layout_and_chapters(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake)
    check_layout(tl)
    assert [c.id for c in tl.chapters] == ["intro", "technique", "sets"]
    assert [c.title for c in tl.chapters] == ["Introduction", "Setup and technique", "Guided sets"]


def test_rep_cues_sit_on_the_tempo_grid_exactly(seed_doc: Exercise) -> None:
    p = seed_doc.prescription
    assert p is not None and p.tempo is not None
    assert (p.tempo.notation, p.tempo_start) == ("2-0-1-1", "lifting")
    tl = build_timeline(seed_doc, fake)
    groups = sets_of(tl)
    assert len(groups) == p.sets * 2  # both sides
    rep_s = p.tempo.rep_seconds
    for (_set, side), segs in groups.items():
        assert side in ("left", "right")
        counts = [s for s in segs if s.role == "count-in"]
        assert [s.text for s in counts] == ["3", "2", "1"]
        start = counts[0].start + 3 * 1.0
        lifts = [s for s in segs if s.role == "lift"]
        holds = [s for s in segs if s.role == "hold"]
        lowers = [s for s in segs if s.role == "lower"]
        assert len(lifts) == len(holds) == len(lowers) == p.reps
        for k, (lift, hold, lower) in enumerate(zip(lifts, holds, lowers, strict=True)):
            t0 = start + k * rep_s
            assert lift.start == t0
            assert hold.start == t0 + p.tempo.lifting
            assert lower.start == t0 + p.tempo.lifting + p.tempo.top
            assert lift.rep == hold.rep == lower.rep == k + 1
            assert lift.text == "kick" and hold.text == "squeeze"
            assert lower.text.startswith(f"lower, {k + 1}")
        assert lowers[-2].text == f"lower, {p.reps - 1}, last rep"
        check_rep_grid(segs, p)


@pytest.mark.parametrize(("tempo", "start", "order"), [
    ("3-1-1-0", "lowering", ["lower", "hold", "lift"]),  # a squat: 3 s down, 1 s at the bottom
    ("3110", "lowering", ["lower", "hold", "lift"]),
    ("2-0-1-1", "lifting", ["lift", "hold", "lower"]),  # a kickback: the kick first
    ("3-1-X-2", "lifting", ["lift", "hold", "lower", "hold"]),  # X: 1 s; both pauses
    ("4-0-2-0", "lowering", ["lower", "lift"]),
])
def test_the_rep_follows_the_notation(make_doc: Callable[..., Exercise], tempo: str,
                                      start: str, order: list[str]) -> None:
    doc = make_doc(prescription={"sets": 1, "reps": 3, "sides": "none", "rest": 30,
                                 "tempo": tempo, "tempo_start": start,
                                 "cues": {"lower": "down", "lift": "up"}})
    rx = doc.prescription
    assert rx is not None
    tl = build_timeline(doc, fake)
    check_layout(tl)
    cues = [s for s in tl.speech() if s.role in PHASE_ROLES]
    assert [s.role for s in cues[:len(order)]] == order
    check_rep_grid(cues, rx)
    words = {"lower": "down", "lift": "up", "hold": "hold"}
    assert [s.text for s in cues[:len(order) - 1]] == [words[r] for r in order[:-1]]
    assert cues[len(order) - 1].text == f"{words[order[-1]]}, 1"
    assert cues[-1].text == f"{words[order[-1]]}, 3"
    assert cues[-len(order) - 1].text == f"{words[order[-1]]}, 2, last rep"


def test_phase_words_default_to_the_language(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(prescription={"sets": 1, "reps": 3, "sides": "none", "rest": 30,
                                 "tempo": "2-1-1-0"})
    said = [s.text for s in build_timeline(doc, fake).speech() if s.role in PHASE_ROLES]
    assert said[:3] == ["lower", "hold", "lift, 1"]  # tempo_start: lowering, the default


def test_cadence_does_not_depend_on_speech_length(seed_doc: Exercise) -> None:
    """Longer (but fitting) cues must not move any later rep: times are absolute."""
    short = build_timeline(seed_doc, fake)
    slow = build_timeline(seed_doc, lambda t: 0.9 if len(t) < 25 else fake(t))
    for a, b in zip(sets_of(short).values(), sets_of(slow).values(), strict=True):
        start_a, start_b = a[0].start, b[0].start
        assert [s.start - start_a for s in a] == pytest.approx(
            [s.start - start_b for s in b], abs=1e-9
        )


def test_slot_overflow_names_cue_and_slot(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(prescription={
        "sets": 2, "reps": 4, "sides": "none", "tempo": "2-0-0.1-0", "tempo_start": "lifting",
        "rest": 20, "cues": {"lift": "kick"},
    })
    with pytest.raises(SlotOverflowError) as err:
        build_timeline(doc, fake)
    msg = str(err.value)
    assert '"kick"' in msg and "lifting phase of rep 1" in msg and "0.10 s" in msg
    assert "\n" not in msg
    assert isinstance(err.value, ContentError)  # the build reports it as bad input


def test_rest_and_switch_overflow_are_errors_too(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(prescription={
        "sets": 2, "reps": 2, "sides": "both", "switch": 0.5,
        "tempo": "2-0-1-1", "tempo_start": "lifting", "rest": 30,
    })
    with pytest.raises(SlotOverflowError, match="side switch"):
        build_timeline(doc, fake)


def test_no_guided_and_no_prescription(
    seed_doc: Exercise, make_doc: Callable[..., Exercise]
) -> None:
    for tl in (
        build_timeline(seed_doc, fake, TimelineOptions(guided=False)),
        build_timeline(make_doc(prescription=None), fake),
    ):
        check_layout(tl)
        assert [c.id for c in tl.chapters] == ["intro", "technique"]
        assert not any(s.role in ("lift", "rest", "announce") for s in tl.segments)
        assert [p.kind for p in tl.parts] == ["intro"]
    assert "kick" not in spoken_texts(seed_doc, TimelineOptions(guided=False))


def test_step_pauses(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(steps=[{"text": "Do this. Then that.", "pause": 7}, {"text": "Hold it."}])
    tl = build_timeline(doc, fake, TimelineOptions(default_pause=4.5))
    pauses = [s for s in tl.segments if s.role == "pause"]
    assert [round(p.duration, 9) for p in pauses] == [7, 4.5]
    step1 = [s for s in tl.speech() if s.element == "step-1"]
    assert [s.text for s in step1] == ["Do this.", "Then that."]  # sentence by sentence
    # each pause follows its step's last sentence
    idx = tl.segments.index(step1[-1])
    assert tl.segments[idx + 1].role == "pause"


def test_elements_for_read_aloud(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake)
    spans = tl.element_spans()
    ids = [e for e, _, _ in spans]
    expected = ["name", "summary"] + [f"step-{i}" for i in range(1, 9)]
    expected += [f"tip-{i}" for i in range(1, 9)]
    for e in expected:
        assert e in ids
    assert ids.index("name") < ids.index("summary") < ids.index("step-1") < ids.index("tip-1")
    # an element's segments are one unbroken run, so a SMIL clip can cover it
    for element, start, end in spans:
        inside = [s for s in tl.segments if s.start >= start and s.end <= end]
        assert all(s.element == element for s in inside), element
        assert sum(s.duration for s in inside) == pytest.approx(end - start)


def test_rest_countdown(seed_doc: Exercise) -> None:
    """A rest lasts its seconds from "Rest for …" to the next set's first rep: marks, then
    the next set's naming and its count-in, which ends the rest."""
    tl = build_timeline(seed_doc, fake)
    rests = [s for s in tl.speech() if s.role == "rest"]
    assert [s.text for s in rests] == ["Rest for 45 seconds."] * 2
    for n, rest in enumerate(rests, 2):
        end = rest.start + 45
        inside = [s for s in tl.speech() if rest.start < s.start < end]
        assert [(m.text, round(end - m.start, 9)) for m in inside if m.role != "announce"] == [
            ("30 seconds", 30), ("10 seconds", 10), ("3", 3), ("2", 2), ("1", 1)]
        [naming] = [s for s in inside if s.role == "announce"]
        assert naming.text == (f"{seed_doc.name}, set {n} of 3, left leg, 12 reps.")
        assert naming.end == pytest.approx(end - 3 - TimelineOptions().sentence_gap)
        following = next(s for s in tl.speech() if s.start >= end)
        assert following.start == pytest.approx(end)
        assert following.role == "lift" and following.text == "kick"


def test_switch_and_announcements(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake)
    texts = [s.text for s in tl.speech()]
    assert f"{seed_doc.name}, set 1 of 3, left leg, 12 reps." in texts
    assert f"{seed_doc.name}, set 3 of 3, right leg, 12 reps." in texts
    assert "Set 1 of 3, left leg, 12 reps." not in texts  # every set names what starts
    switches = [s for s in tl.speech() if s.role == "switch"]
    assert len(switches) == 3
    for sw in switches:
        nxt = next(s for s in tl.speech() if s.start > sw.start)
        assert nxt.start == pytest.approx(sw.start + 10)  # prescription.switch
        assert nxt.role == "announce" and nxt.text.endswith(", right leg, 12 reps.")
    assert texts[-1] == "Well done."


def test_each_set_is_named_as_the_last_words_before_its_count_in(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake)
    speech = list(tl.speech())
    counts = [i for i, s in enumerate(speech) if s.role == "count-in" and s.text == "3"]
    assert len(counts) == 6
    for i in counts:
        assert speech[i - 1].role == "announce" and speech[i - 1].text.startswith(seed_doc.name)


def test_bilateral_has_no_sides(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(prescription={
        "sets": 2, "reps": 3, "sides": "none", "tempo": "1.5-0-1-0", "tempo_start": "lifting",
        "rest": 8,
    })
    tl = build_timeline(doc, fake)
    check_layout(tl)
    texts = [s.text for s in tl.speech()]
    assert f"{doc.name}, set 1 of 2, 3 reps." in texts
    assert not any(s.role in ("switch", "hold") for s in tl.segments)
    # a short rest gets no 30/10 s marks, only the count-in of the next set
    assert [s.text for s in tl.speech() if s.role == "countdown"] == []
    assert [s.text for s in tl.speech() if s.role == "count-in"] == ["3", "2", "1"] * 2


def test_tone_option(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake, TimelineOptions(tone=True))
    check_layout(tl)
    tones = [s for s in tl.segments if s.kind == "tone"]
    assert len(tones) == 3 * 2 + 1  # each set's naming and the closing line
    for tone in tones:
        assert tone.duration == pytest.approx(0.15)
        after = tl.segments[tl.segments.index(tone) + 2]
        assert after.kind == "speech" and after.role in ("announce", "closing")
    # a set's part starts at the tone before its naming
    assert {p.start for p in tl.parts if p.kind == "set"} == {
        t.start for t in tones[:-1]}


def check_parts(tl: Timeline, gap: float = 0.35) -> None:
    """Parts cover the guide, start at segment starts, and each set and rest starts after
    ``gap`` seconds without speech."""
    parts = tl.parts
    assert parts[0].start == 0.0 and parts[-1].end == tl.duration
    for a, b in itertools.pairwise(parts):
        assert a.end == b.start and a.end > a.start
    starts = {s.start for s in tl.segments}
    for k, part in enumerate(parts):
        assert part.start in starts, part
        before = [s for s in tl.speech() if s.start < part.start]
        if part.kind in ("set", "rest") and before:
            assert part.start - max(s.end for s in before) >= gap - 1e-9, part
        first = next(s for s in tl.segments if s.start >= part.start)
        if part.kind == "rest":
            assert first.kind == "speech" and first.role == "rest"
        inside = [s for s in tl.segments if part.start <= s.start < part.end]
        assert {s.part for s in inside} == {k}


def test_parts_of_the_guide(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake)
    check_parts(tl)
    assert [(p.kind, p.title) for p in tl.parts] == [
        ("intro", "Introduction"),
        ("set", "Set 1 of 3 — left leg"), ("set", "Set 1 of 3 — right leg"),
        ("rest", "Rest — next: set 2 of 3"),
        ("set", "Set 2 of 3 — left leg"), ("set", "Set 2 of 3 — right leg"),
        ("rest", "Rest — next: set 3 of 3"),
        ("set", "Set 3 of 3 — left leg"), ("set", "Set 3 of 3 — right leg"),
        ("closing", "Closing")]
    for part in tl.parts:
        first = next(s for s in tl.speech() if s.start >= part.start)
        if part.kind == "set":  # a set's track starts with its naming
            assert first.role == "announce" and first.start == part.start
            assert (first.set, first.side) == (part.set, part.side)
    data = json.loads(tl.to_json())
    assert data["parts"][1] == {"kind": "set", "start": round(tl.parts[1].start, 6),
                                "end": round(tl.parts[1].end, 6),
                                "title": "Set 1 of 3 — left leg", "until_ready": False,
                                "set": 1, "side": "left"}


def test_a_set_must_leave_quiet_before_what_follows(make_doc: Callable[..., Exercise]) -> None:
    """The last cue of a set ends ``track_gap`` before the set does; if it cannot, the set
    is too fast for the guide to be cut there."""
    doc = make_doc(prescription={"sets": 2, "reps": 2, "sides": "none", "rest": 30,
                                 "tempo": "0.5-0-0.5-0", "tempo_start": "lifting"})
    with pytest.raises(SlotOverflowError, match=r'cue "lower, 2" .* \(lowering phase of rep 2\)'):
        build_timeline(doc, lambda t: 0.2)
    check_parts(build_timeline(doc, lambda t: 0.1))


def test_metronome_ticks_each_second_of_each_phase(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(prescription={"sets": 1, "reps": 2, "sides": "none", "rest": 30,
                                 "tempo": "2.5-1-1-0", "tempo_start": "lowering"})
    plain = build_timeline(doc, fake)
    tl = build_timeline(doc, fake, TimelineOptions(metronome=True))
    assert plain.ticks == () and tl.segments == plain.segments  # mixed under, not in line
    cues = [s for s in tl.speech() if s.role in PHASE_ROLES]
    # lowering 2.5 s: ticks at 0, 1, 2; the bottom pause and the lift: one each
    expected = [c.start + k for c in cues for k in {"lower": (0, 1, 2)}.get(c.role, (0,))]
    assert [t.start for t in tl.ticks] == pytest.approx(expected)
    assert all(t.kind == "tick" and t.role == "tick" for t in tl.ticks)
    data = json.loads(tl.to_json())
    assert len(data["ticks"]) == 2 * (3 + 1 + 1) and data["ticks"][0]["kind"] == "tick"
    assert {s["kind"] for s in data["segments"]} == {"speech", "silence"}


def test_a_rest_until_ready(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(prescription={"sets": 2, "reps": 2, "sides": "none", "rest": "until-ready",
                                 "tempo": "2-0-1-0", "tempo_start": "lifting"})
    tl = build_timeline(doc, fake)
    check_layout(tl)
    check_parts(tl)
    [rest] = [p for p in tl.parts if p.kind == "rest"]
    assert rest.until_ready and rest.end - rest.start < 90 < rest.end - rest.start + 10
    said = [s for s in tl.speech() if rest.start <= s.start < rest.end]
    assert said[0].text == "Rest until you are ready." and said[0].until_ready
    assert [s.start - rest.start for s in said if s.role == "reminder"] == pytest.approx(
        [30, 60])
    assert {s.text for s in said if s.role == "reminder"} == {
        "Start the next set when you are ready."}
    assert all(s.until_ready for s in tl.segments if rest.start <= s.start < rest.end)
    assert not any(s.until_ready for s in tl.segments if s.start >= rest.end)
    data = json.loads(tl.to_json())
    assert [p["until_ready"] for p in data["parts"]].count(True) == 1
    assert "until_ready" in data["segments"][[s.start for s in tl.segments].index(
        said[0].start)]


def test_json_contract_and_determinism(seed_doc: Exercise) -> None:
    a = build_timeline(seed_doc, fake).to_json()
    b = build_timeline(seed_doc, fake).to_json()
    assert a == b
    data = json.loads(a)
    assert data["format"] == "kickback-export/timeline" and data["version"] == 1
    assert data["id"] == seed_doc.slug
    assert data["duration"] == data["segments"][-1]["end"] == data["chapters"][-1]["end"]
    assert {"id", "title", "start", "end"} == set(data["chapters"][0])
    first = data["segments"][0]
    assert first["kind"] == "speech" and first["element"] == "name" and first["start"] == 0
    kinds = {s["kind"] for s in data["segments"]}
    assert kinds == {"speech", "silence"}
    for seg in data["segments"]:
        assert seg["chapter"] in {"intro", "technique", "sets"}
        assert ("text" in seg) == (seg["kind"] == "speech")


def test_spoken_texts_match_the_timeline(seed_doc: Exercise) -> None:
    """Every sentence said, in first-use order; besides them only the short namings a rest
    would fall back on (known before synthesis only as candidates)."""
    texts = spoken_texts(seed_doc)
    tl = build_timeline(seed_doc, fake)
    used = list(dict.fromkeys(s.text for s in tl.speech()))
    assert [t for t in texts if t in set(used)] == used
    assert set(texts) - set(used) == {f"{seed_doc.name}, set {n} of 3." for n in (2, 3)}
    assert len(texts) == len(set(texts))


def test_bad_durations_and_options(seed_doc: Exercise) -> None:
    with pytest.raises(TimelineError, match="must be > 0"):
        build_timeline(seed_doc, lambda t: 0.0)
    with pytest.raises(TimelineError, match="default_pause"):
        TimelineOptions(default_pause=-1)


def test_sentences() -> None:
    assert sentences("One. Two? Three!  Four") == ["One.", "Two?", "Three!", "Four"]
    assert sentences("e.g. a band") == ["e.g. a band"]
    assert sentences("Go. ... Stop.") == ["Go. ...", "Stop."]
    assert sentences("... Go. Stop.") == ["... Go.", "Stop."]
    assert sentences("—") == ["—"]


@settings(max_examples=40, deadline=None)
@given(
    sets=st.integers(1, 4),
    reps=st.integers(1, 15),
    sides=st.sampled_from(["both", "none"]),
    kick=st.sampled_from([0.5, 0.75, 1.0, 1.3]),
    hold=st.sampled_from([0.0, 0.5, 1.0]),
    back=st.sampled_from([0.5, 1.0, 2.2]),
    rest=st.sampled_from([0.0, 4.0, 7.0, 15.0, 40.0, 75.0]),
)
def test_invariants_hold_for_any_prescription(
    seed_data: dict[str, Any], sets: int, reps: int, sides: str, kick: float, hold: float,
    back: float, rest: float,
) -> None:
    data = dict(seed_data)
    data["prescription"] = {
        "sets": sets, "reps": reps, "sides": sides, "switch": 5, "rest": rest,
        "tempo": f"{back:g}-0-{kick:g}-{hold:g}", "tempo_start": "lifting",
    }
    doc = Exercise.model_validate(data)
    tl = build_timeline(doc, lambda t: 0.05 if len(t) < 30 else fake(t))
    check_layout(tl)
    check_parts(tl)
    for segs in sets_of(tl).values():
        kicks = [s for s in segs if s.role == "lift"]
        start = kicks[0].start
        assert [s.start for s in kicks] == [start + k * (kick + hold + back) for k in range(reps)]
        assert doc.prescription is not None
        check_rep_grid(segs, doc.prescription)


# --- the read-aloud (EPUB media overlays) --------------------------------------------------


def check_read_aloud(doc: Exercise) -> None:
    tl = build_timeline(doc, fake, READ_ALOUD)
    check_layout(tl)
    # a block with nothing to pronounce (say, a lone ":") is shown but not spoken
    blocks = [b for b in reading(text_of(doc).page) if any(c.isalnum() for c in " ".join(b.pieces))]
    ids = [b.id for b in blocks]
    assert len(set(ids)) == len(ids)
    # every block once, in reading order, never overlapping, item_gap apart
    spans = tl.element_spans()
    assert [e for e, _, _ in spans] == ids
    for (_, _, end), (_, start, _) in itertools.pairwise(spans):
        assert start - end == pytest.approx(READ_ALOUD.item_gap)
    # the EPUB page has those ids in the same order ...
    page = xml(build_section(text_of(doc)).xhtml)
    by_id = {el.get("id"): el for el in page.iter("{*}*") if el.get("id")}
    assert [i for i in by_id if i in set(ids)] == ids  # dicts keep document order
    # ... says exactly what each element shows ...
    spoken = said(tl)
    assert spoken == {b.id: " ".join(p for p in b.pieces if any(c.isalnum() for c in p))
                      for b in blocks}
    for b in blocks:
        if all(any(c.isalnum() for c in p) for p in b.pieces):
            assert normalised(by_id[b.id]) == spoken[b.id], b.id
    # ... and leaves no text of the page out
    missing = [normalised(el) for el in text_bearing(page) if not covered(el, set(ids))
               and any(c.isalnum() for c in normalised(el))]
    assert missing == []
    assert [c.id for c in tl.chapters] == ["intro"] + [b.chapter[0] for b in blocks
                                                        if b.chapter]
    assert set(spoken_texts(doc, READ_ALOUD)) == {s.text for s in tl.speech()}


def test_read_aloud_is_the_whole_page_in_order(
    seed_doc: Exercise, seed_data: dict[str, Any], make_doc: Callable[..., Exercise]
) -> None:
    check_read_aloud(seed_doc)
    bare = {k: v for k, v in seed_data.items()
            if k not in ("aliases", "setup", "tips", "cautions", "faq", "image_description",
                         "prescription")}
    check_read_aloud(Exercise.model_validate(
        {**bare, "muscles": {"primary": [{"name": "core"}]}}))
    check_read_aloud(make_doc(prescription={**seed_data["prescription"], "sides": "none"}))
    ids = [b.id for b in reading(text_of(seed_doc).page)]
    assert ids[:6] == ["name", "aliases", "summary", "level", "overview-heading", "overview-1"]
    for expected in ("image-description", "muscles-primary-heading", "muscles-primary-1",
                     "muscles-secondary-3", "equipment-2", "setup-3", "instructions-heading",
                     "step-8", "prescription-sets", "prescription-switch", "tips-heading",
                     "tip-8", "caution-4", "faq-heading", "faq-8-q", "faq-8-a"):
        assert expected in ids, expected


def test_read_aloud_says_labels_on_their_own(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake, READ_ALOUD)
    level = [s.text for s in tl.speech() if s.element == "level"]
    assert level == ["Level:", "Beginner"]
    sets = [s.text for s in tl.speech() if s.element == "prescription-sets"]
    assert sets == ["Sets", "3"]
    inside = [s for s in tl.segments if s.element == "level" and s.kind == "silence"]
    assert [round(s.duration, 9) for s in inside] == [READ_ALOUD.sentence_gap]


@settings(max_examples=40, deadline=None)
@given(documents())
def test_read_aloud_matches_the_page_for_any_document(data: dict[str, Any]) -> None:
    check_read_aloud(Exercise.model_validate(data))


def test_text_with_nothing_to_pronounce_is_not_spoken(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(tips=["[", "Keep going."], faq=[{"question": "Why?", "answer": "—"}])
    for options in (TimelineOptions(), TimelineOptions(read_aloud=True)):
        tl = build_timeline(doc, fake, options)
        spoken = [seg.text for seg in tl.speech()]
        assert "[" not in spoken and "—" not in spoken
        assert "Keep going." in spoken
        assert "[" not in spoken_texts(doc, options)
