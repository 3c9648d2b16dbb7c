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


def sets_of(tl: Timeline) -> dict[tuple[Any, Any], list[Any]]:
    groups: dict[tuple[Any, Any], list[Any]] = {}
    for seg in tl.speech():
        if seg.role in ("kick", "hold", "return", "count-in"):
            groups.setdefault((seg.set, seg.side), []).append(seg)
    return groups


def test_seed_layout_and_chapters(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake)
    check_layout(tl)
    assert [c.id for c in tl.chapters] == ["intro", "technique", "sets"]
    assert [c.title for c in tl.chapters] == ["Introduction", "Setup and technique", "Guided sets"]


def test_rep_cues_sit_on_the_tempo_grid_exactly(seed_doc: Exercise) -> None:
    p = seed_doc.prescription
    assert p is not None
    tl = build_timeline(seed_doc, fake)
    groups = sets_of(tl)
    assert len(groups) == p.sets * 2  # both sides
    rep_s = p.tempo.rep_seconds
    for (_set, side), segs in groups.items():
        assert side in ("left", "right")
        counts = [s for s in segs if s.role == "count-in"]
        assert [s.text for s in counts] == ["3", "2", "1"]
        start = counts[0].start + 3 * 1.0
        kicks = [s for s in segs if s.role == "kick"]
        holds = [s for s in segs if s.role == "hold"]
        returns = [s for s in segs if s.role == "return"]
        assert len(kicks) == len(holds) == len(returns) == p.reps
        for k, (kick, hold, back) in enumerate(zip(kicks, holds, returns, strict=True)):
            t0 = start + k * rep_s
            assert kick.start == t0
            assert hold.start == t0 + p.tempo.kick
            assert back.start == t0 + p.tempo.kick + p.tempo.hold
            assert kick.rep == hold.rep == back.rep == k + 1
            assert kick.text == "kick" and hold.text == "squeeze"
            assert back.text.startswith(f"lower, {k + 1}")
        assert returns[-2].text == f"lower, {p.reps - 1}, last rep"


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
        "sets": 2, "reps": 4, "sides": "none",
        "tempo": {"kick": 0.1, "hold": 0, "return": 2}, "rest": 20,
    })
    with pytest.raises(SlotOverflowError) as err:
        build_timeline(doc, fake)
    msg = str(err.value)
    assert '"kick"' in msg and "kick phase of rep 1" in msg and "0.10 s" in msg
    assert "\n" not in msg
    assert isinstance(err.value, ContentError)  # the build reports it as bad input


def test_rest_and_switch_overflow_are_errors_too(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(prescription={
        "sets": 2, "reps": 2, "sides": "both", "switch": 0.5,
        "tempo": {"kick": 1, "hold": 1, "return": 2}, "rest": 30,
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
        assert not any(s.role in ("kick", "rest", "announce") for s in tl.segments)
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
    tl = build_timeline(seed_doc, fake)
    rests = [s for s in tl.speech() if s.role == "rest"]
    assert [s.text for s in rests] == ["Rest for 45 seconds."] * 2
    for rest in rests:
        end = rest.start + 45
        marks = [s for s in tl.speech() if s.role == "countdown" and rest.start < s.start < end]
        assert [(m.text, round(end - m.start, 9)) for m in marks] == [
            ("30 seconds", 30), ("10 seconds", 10), ("3", 3), ("2", 2), ("1", 1)
        ]
        following = next(s for s in tl.speech() if s.start >= end)
        assert following.start == pytest.approx(end)
        assert following.role == "announce" and following.text.startswith("Set ")


def test_switch_and_announcements(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake)
    texts = [s.text for s in tl.speech()]
    assert "Set 1 of 3, left leg, 12 reps." in texts
    assert "Set 3 of 3, right leg, 12 reps." in texts
    switches = [s for s in tl.speech() if s.role == "switch"]
    assert len(switches) == 3
    for sw in switches:
        nxt = next(s for s in tl.speech() if s.start > sw.start)
        assert nxt.start == pytest.approx(sw.start + 10)  # prescription.switch
    assert texts[-1] == "Well done."


def test_bilateral_has_no_sides(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(prescription={
        "sets": 2, "reps": 3, "sides": "none",
        "tempo": {"kick": 1, "hold": 0, "return": 1.5}, "rest": 8,
    })
    tl = build_timeline(doc, fake)
    check_layout(tl)
    texts = [s.text for s in tl.speech()]
    assert "Set 1 of 2, 3 reps." in texts
    assert not any(s.role in ("switch", "hold") for s in tl.segments)
    # a short rest gets no 30/10 s marks, only the final count
    assert [s.text for s in tl.speech() if s.role == "countdown"] == ["3", "2", "1"]


def test_tone_option(seed_doc: Exercise) -> None:
    tl = build_timeline(seed_doc, fake, TimelineOptions(tone=True))
    check_layout(tl)
    tones = [s for s in tl.segments if s.kind == "tone"]
    assert len(tones) == 3 * 2 + 1  # each set announcement and the closing line
    for tone in tones:
        assert tone.duration == pytest.approx(0.15)
        after = tl.segments[tl.segments.index(tone) + 2]
        assert after.kind == "speech" and after.role in ("announce", "closing")


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
    texts = spoken_texts(seed_doc)
    tl = build_timeline(seed_doc, fake)
    used = list(dict.fromkeys(s.text for s in tl.speech()))
    assert texts == used
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
        "tempo": {"kick": kick, "hold": hold, "return": back},
    }
    doc = Exercise.model_validate(data)
    tl = build_timeline(doc, lambda t: 0.05 if len(t) < 30 else fake(t))
    check_layout(tl)
    for segs in sets_of(tl).values():
        kicks = [s for s in segs if s.role == "kick"]
        start = kicks[0].start
        assert [s.start for s in kicks] == [start + k * (kick + hold + back) for k in range(reps)]


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
