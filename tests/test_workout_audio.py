"""The workout audio guide: one real track rendered with espeak-ng, then measured.

A small workout (a superset of two exercises × 2 sets, a timed circuit of 2 rounds,
one single exercise, short rests) is exported once per module; every check reads the
WAV, MP3 and VTT back and compares them with the plan and the timeline JSON. The
layout rules that need no sound (halfway, a changeover too short, the full technique)
are checked with made-up speech durations.
"""

from __future__ import annotations

import copy
import itertools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import earphones
import numpy as np
import numpy.typing as npt
import pytest
from same import same
from workouts import session_texts, session_timeline, write_yaml

from kickback_export import Exercise, load
from kickback_export.build import pipeline as build
from kickback_export.content.text import text_of
from kickback_export.content.timeline import SlotOverflowError
from kickback_export.content.workout_list import workout_text
from kickback_export.content.workout_timeline import CLOSING, NEXT_REST
from kickback_export.document.plan import Interval, Plan, plan
from kickback_export.document.tempo import CUE
from kickback_export.document.workout import ResolvedWorkout, Workout
from kickback_export.engines.audio import speech
from kickback_export.errors import exit_code
from kickback_export.exporters.audio import AudioExporter
from kickback_export.registry import Options

from conftest import SOURCE
from test_audio import SR, TOL, assert_vtt_matches, idx, onset, read_pcm

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

STEM = "glute-test-day-guide"
RESTS = ("rest", "round-rest", "transition")
KICK = "resistance-band-one-leg-kickback-bent-position"

WORKOUT: dict[str, Any] = {
    "kind": "workout", "id": "glute-test-day", "name": "Glute test day",
    "summary": "A short session for the tests.", "changeover": 45,
    "blocks": [
        {"superset": [{"exercise": "glute-bridge", "sets": 2},
                      {"exercise": KICK, "sets": 2, "reps": 2}],
         "transition": 10, "rest": 20},
        {"circuit": [{"exercise": "plank"}, {"exercise": "glute-bridge", "time": 10}],
         "rounds": 2, "rest": 10, "round_rest": 15},
        {"exercise": KICK, "sets": 2, "reps": 2, "rest": 15},
    ],
}


def short_exercises(seed: dict[str, Any]) -> list[dict[str, Any]]:
    """Two short exercises made from the seed document, as data."""

    def variant(**changes: Any) -> dict[str, Any]:
        data = copy.deepcopy(seed)
        data.update(changes)
        data["steps"] = [{"text": "Lie on your back, knees bent.", "cue": "Knees bent"},
                         {"text": "Lift the hips, then lower them.", "cue": "Hips up"}]
        return data

    return [
        variant(id="glute-bridge", name="Glute bridge", prescription={
            "sets": 2, "reps": 3, "sides": "none",
            "tempo": "2-0-1-0", "tempo_start": "lifting", "rest": 30}),
        variant(id="plank", name="Plank", prescription={
            "sets": 2, "time": 10, "sides": "none", "rest": 20}),
    ]


def exercises(seed: dict[str, Any]) -> dict[str, Exercise]:
    """The kickback from ``source/`` and the two short exercises."""
    docs = [load(SOURCE), *(Exercise.model_validate(d) for d in short_exercises(seed))]
    return {e.id: e for e in docs}


def resolved(seed: dict[str, Any], **changes: Any) -> ResolvedWorkout:
    return ResolvedWorkout(Workout.model_validate({**WORKOUT, **changes}), exercises(seed))


@dataclass
class Track:
    out: Path
    plan: Plan
    timeline: dict[str, Any]
    pcm: npt.NDArray[np.int16]
    outputs: list[Any]
    synthesized: list[list[str]]


@pytest.fixture(scope="module")
def track(seed_data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Track:
    workout = resolved(seed_data)
    out = tmp_path_factory.mktemp("workout-audio") / workout.slug
    calls: list[list[str]] = []
    inner = speech.synthesize

    def recording(texts: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(list(texts))
        return inner(texts, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(speech, "synthesize", recording)
        outputs = AudioExporter().export(text_of(workout), out, Options({}))
    timeline = json.loads((out / f"{STEM}.timeline.json").read_text(encoding="utf-8"))
    pcm = read_pcm(out / f"{STEM}.wav")
    lead = timeline["lead_in"]
    assert lead >= earphones.LEAD_IN
    # on the plan's clock from here: the lead-in of floor before it is checked apart
    return Track(out, workout.plan, on_plan_clock(timeline, lead), pcm[idx(lead):], outputs,
                 calls)


def on_plan_clock(timeline: dict[str, Any], lead: float) -> dict[str, Any]:
    """The timeline without its lead-in: every time ``lead`` earlier."""
    def moved(item: dict[str, Any]) -> dict[str, Any]:
        return {**item, "start": round(max(0.0, item["start"] - lead), 6),
                "end": round(item["end"] - lead, 6)}

    return {**timeline, "duration": round(timeline["duration"] - lead, 6),
            **{key: [moved(x) for x in timeline[key] if x.get("role") != "lead-in"]
               for key in ("segments", "chapters", "parts", "ticks")}}


def segments(t: Track, **match: Any) -> list[dict[str, Any]]:
    return [s for s in t.timeline["segments"]
            if all(s.get(k) == v for k, v in match.items())]


def inside(seg: dict[str, Any], iv: Interval) -> bool:
    return iv.start - 1e-6 <= seg["start"] and seg["end"] <= iv.end + 1e-6


def test_outputs_and_length(track: Track) -> None:
    names = sorted(o.path.name for o in track.outputs)
    assert names == sorted(f"{STEM}{ext}" for ext in (".wav", ".mp3", ".vtt", ".timeline.json"))
    planned = sum(i.seconds for i in track.plan.intervals)
    assert track.timeline["plan_seconds"] == pytest.approx(planned, abs=1e-6)
    # the plan to the millisecond, its finish ("Workout complete.") included
    assert track.plan.intervals[-1].kind == "finish"
    assert track.plan.intervals[-1].seconds == CLOSING
    assert abs(track.timeline["duration"] - planned) <= 0.001
    assert abs(track.pcm.size / SR - planned) <= 0.001  # after the lead-in


def test_the_earphones_get_a_lead_in_steady_loudness_and_no_silence(track: Track) -> None:
    whole = read_pcm(track.out / f"{STEM}.wav")
    got = earphones.heard(whole)
    assert got.problems() == []
    assert got.lead_in >= earphones.LEAD_IN


def test_segments_are_contiguous_and_located(track: Track) -> None:
    segs = track.timeline["segments"]
    assert segs[0]["start"] == 0 and segs[-1]["end"] == track.timeline["duration"]
    for a, b in itertools.pairwise(segs):
        assert a["end"] == b["start"]
    keys = {e.key for e in track.plan.entries.values()}
    assert all(s["block"] in {"A", "B", "C"} and s["exercise"] in keys for s in segs)
    for iv in track.plan.intervals:  # what is said in an interval belongs to its block
        for s in segs:
            if s["kind"] == "speech" and inside(s, iv) and s.get("role") != "cue":
                assert s["block"] == iv.block, (s, iv)


def rest_intervals(t: Track) -> list[tuple[int, Interval]]:
    return [(k, iv) for k, iv in enumerate(t.plan.intervals) if iv.kind in RESTS]


def test_rests_last_as_planned(track: Track) -> None:
    """Each rest is measured in the WAV: from the sound that starts it (its announcement,
    or the tone ending a timed set) to the first cue of the next set, with silence
    before both: within ±20 ms of the plan."""
    kinds = set()
    for _, iv in rest_intervals(track):
        kinds.add((track.plan.blocks[ord(iv.block) - 65].kind, iv.kind))
        for edge in (iv.start, iv.end):
            before = np.abs(track.pcm[idx(edge - 0.2):idx(edge)].astype(np.int32))
            assert before.max() <= earphones.SOUND, f"sound before {edge:.3f}"
        began = onset(track.pcm, iv.start, window=0.0)
        ended = onset(track.pcm, iv.end, window=0.0)
        assert began == pytest.approx(iv.start, abs=TOL)
        assert ended - began == pytest.approx(iv.seconds, abs=TOL), iv
    assert kinds == {("superset", "transition"), ("superset", "rest"), ("circuit", "rest"),
                     ("circuit", "round-rest"), ("exercise", "rest")}


def test_sets_start_on_the_plan(track: Track) -> None:
    works = [iv for iv in track.plan.intervals if iv.kind == "work"]
    assert len(works) == 2 * (1 + 2) + 4 + 2 * 2  # A1, A2 (both sides); circuit; C
    for iv in works:
        first = next(s for s in track.timeline["segments"]
                     if s["kind"] == "speech" and s["start"] >= iv.start - 1e-6)
        assert first["start"] == pytest.approx(iv.start, abs=1e-6)
        rx = track.plan.entries[iv.entry].prescription
        assert first["role"] == (CUE[rx.phases[0][0]] if rx.tempo else "timed")
        assert first["exercise"] == iv.entry
        assert onset(track.pcm, iv.start, window=0.0) == pytest.approx(iv.start, abs=TOL)
        if rx.tempo is not None:
            cues = [s for s in track.timeline["segments"] if s.get("rep") and inside(s, iv)
                    and s["kind"] == "speech"]
            assert len(cues) == rx.reps * len(rx.phases)
            offset = 0.0
            for k, seg in enumerate(cues):  # each phase's cue at its start, as heard
                phase, seconds = rx.phases[k % len(rx.phases)]
                at = iv.start + (k // len(rx.phases)) * rx.tempo.rep_seconds + offset
                assert seg["role"] == CUE[phase] and seg["start"] == pytest.approx(at, abs=1e-6)
                assert onset(track.pcm, at, window=0.0) == pytest.approx(at, abs=TOL)
                offset = 0.0 if k % len(rx.phases) == len(rx.phases) - 1 else offset + seconds


def test_every_rest_ends_naming_what_starts(track: Track) -> None:
    """Inside every rest the next set is named, as the last words before its count-in;
    "Next: …" early, only in a rest long enough for both."""
    p = track.plan
    for k, iv in rest_intervals(track):
        nxt = p.next_work(k)
        assert nxt is not None
        name = p.entries[nxt.entry].name
        word = "round" if p.blocks[ord(nxt.block) - 65].kind == "circuit" else "set"
        said = [s for s in segments(track, kind="speech") if inside(s, iv)]
        named = [s for s in said if s["role"] == "announce"]
        assert len(named) == 1, iv
        assert named[0]["text"].startswith(f"{name}, {word} {nxt.set} of {nxt.sets}")
        assert [s["text"] for s in said[-3:]] == ["3", "2", "1"]
        assert said[-4] == named[0] and named[0]["exercise"] == nxt.entry
        a, b = idx(named[0]["start"]), idx(named[0]["end"])
        assert np.abs(track.pcm[a:b].astype(np.int32)).max() > earphones.SOUND
        assert onset(track.pcm, named[0]["start"]) == pytest.approx(named[0]["start"], abs=TOL)
        early = [s for s in said if s["role"] == "next"]
        assert len(early) == (1 if iv.seconds >= NEXT_REST else 0), iv
        if early:
            assert early[0]["text"] == f"Next: {name}, {word} {nxt.set} of {nxt.sets}."
    assert len(segments(track, role="next")) == 1  # the superset's 20 s rest


def test_last_set_is_announced_in_a_long_rest_before_each_last_set(track: Track) -> None:
    p = track.plan
    last = [(k, iv) for k, iv in enumerate(p.intervals)
            if iv.last_set and iv.sets > 1 and p.intervals[k - 1].kind != "switch"
            and p.intervals[k - 1].seconds >= NEXT_REST]
    assert len(last) == 1  # A1, after the superset's 20 s rest
    said = segments(track, role="last-set")
    assert len(said) == len(last)
    for (k, iv), seg in zip(last, said, strict=True):
        before = p.intervals[k - 1]
        assert seg["text"] == "Last set."
        assert inside(seg, before) and seg["exercise"] == iv.entry
        assert onset(track.pcm, seg["start"]) == pytest.approx(seg["start"], abs=TOL)


def test_parts_cut_where_a_track_can_start(track: Track) -> None:
    """Parts cover the session; each set or rest starts at its first words after at least
    0.35 s without speech (a timed set's end tone may ring into it), so the tracks cut
    there need no guessing."""
    parts, segs = track.timeline["parts"], track.timeline["segments"]
    assert parts[0]["start"] == 0 and parts[-1]["end"] == track.timeline["duration"]
    assert all(a["end"] == b["start"] for a, b in itertools.pairwise(parts))
    kinds = [p["kind"] for p in parts]
    assert kinds[0] == "intro" and kinds[-1] == "closing"
    assert kinds.count("rest") == len(rest_intervals(track))
    for k, part in enumerate(parts):
        first = next(s for s in segs if s["start"] >= part["start"])
        assert first["start"] == part["start"] and first["part"] == k
        if part["kind"] in ("set", "rest"):
            quiet = [s for s in segs if s["end"] > part["start"] - 0.35
                     and s["start"] < part["start"]]
            assert {s["kind"] for s in quiet} <= {"silence", "tone"}, part
            assert first["role"] in ("announce", "switch", "rest"), part
    assert parts[1]["title"] == "A1 Glute bridge — set 1 of 2"
    assert {p["title"] for p in parts if p["kind"] == "rest"} >= {
        "Rest — next: Plank", "Rest — next: Glute bridge"}


def test_every_timed_set_ends_with_a_tone(track: Track) -> None:
    timed = [iv for iv in track.plan.intervals if iv.kind == "work"
             and track.plan.entries[iv.entry].prescription.time is not None]
    assert len(timed) == 4
    tones = segments(track, kind="tone")
    assert [t["start"] for t in tones] == pytest.approx([iv.end for iv in timed], abs=1e-6)
    for tone in tones:
        part = track.pcm[idx(tone["start"]):idx(tone["end"])]
        assert np.abs(part.astype(np.int32)).max() > 1000
        crossings = int(np.count_nonzero(np.diff(np.signbit(part[10:-10]))))
        assert 200 <= crossings <= 280  # 880 Hz for 0.15 s


def test_opening_and_closing(track: Track) -> None:
    said = [s["text"] for s in segments(track, kind="speech")]
    minutes = round(track.plan.total_seconds / 60)
    assert said[:3] == ["Glute test day", "3 exercises.", f"About {minutes} minutes."]
    assert said[-1] == "Workout complete."
    closing = segments(track, role="closing")[0]
    finish = track.plan.intervals[-1]
    assert finish.kind == "finish" and inside(closing, finish)
    intro = [s["text"] for s in segments(track, role="cue", block="A")]
    assert intro[:2] == ["Knees bent", "Hips up"]  # short cues, not the step texts


def test_shared_sentences_are_synthesized_once(track: Track) -> None:
    assert len(track.synthesized) == 1
    texts = track.synthesized[0]
    assert len(texts) == len(set(texts))
    said = [s["text"] for s in segments(track, kind="speech")]
    assert set(said) <= set(texts)
    # besides them only the short namings a rest would have fallen back on
    assert all(t.endswith((" of 2.", " of 3.")) for t in set(texts) - set(said))
    assert said.count("Rest for 10 seconds.") >= 2 and said.count("3") > 10


def test_chapters_per_block_and_exercise(track: Track) -> None:
    chapters = track.timeline["chapters"]
    tops = [c for c in chapters if "parent" not in c]
    assert [c["id"] for c in tops] == ["opening", "A", "B", "C", "closing"]
    # worded once, as the sheet, large print, braille and web page title the blocks
    assert [c["title"] for c in tops[1:4]] == [
        g.title for g in workout_text(track.plan).groups if g.kind not in ("warm-up",
                                                                          "cool-down")]
    assert tops[1]["title"].startswith("Block A: superset of ")
    assert tops[0]["start"] == 0 and tops[-1]["end"] == track.timeline["duration"]
    for a, b in itertools.pairwise(tops):
        assert a["end"] == b["start"]
    parts = {c["id"]: [p for p in chapters if p.get("parent") == c["id"]] for c in tops}
    assert [p["id"] for p in parts["A"]] == ["A1.1", "A2.1", "A1.2", "A2.2"]
    assert [p["title"] for p in parts["B"]] == ["B1 Plank, round 1", "B2 Glute bridge, round 1",
                                                "B1 Plank, round 2", "B2 Glute bridge, round 2"]
    for top in tops[1:4]:
        mine = parts[top["id"]]
        assert mine[0]["start"] == top["start"] and mine[-1]["end"] == top["end"]
        for a, b in itertools.pairwise(mine):
            assert a["end"] == b["start"]
    for seg in track.timeline["segments"]:  # each segment lies in its (finest) chapter
        ch = next(c for c in chapters if c["id"] == seg["chapter"])
        assert ch["start"] <= seg["start"] and seg["end"] <= ch["end"]


def test_mp3_chapters_match_the_timeline(track: Track) -> None:
    import mutagen.id3

    ID3: Any = mutagen.id3.ID3
    tags: Any = ID3(str(track.out / f"{STEM}.mp3"))
    chapters = as_written(track)["chapters"]  # the file's times: its lead-in included
    assert str(tags["TIT2"]) == "Glute test day: audio guide"
    by_id = {c.element_id: c for c in tags.getall("CTOC")}
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    parents = {c.get("parent") for c in chapters}
    top = by_id["toc"]
    expected_top = [f"toc{i}" if c["id"] in parents else f"chp{i}"
                    for i, c in enumerate(chapters) if "parent" not in c]
    assert list(top.child_element_ids) == expected_top
    for i, c in enumerate(chapters):
        if c["id"] in parents:  # a block: a table of its exercises' chapters
            toc = by_id[f"toc{i}"]
            assert str(toc.sub_frames["TIT2"]) == c["title"]
            assert list(toc.child_element_ids) == [
                f"chp{k}" for k, p in enumerate(chapters) if p.get("parent") == c["id"]]
            assert f"chp{i}" not in chaps
        else:
            frame = chaps[f"chp{i}"]
            assert str(frame.sub_frames["TIT2"]) == c["title"]
            assert (frame.start_time, frame.end_time) == (round(c["start"] * 1000),
                                                          round(c["end"] * 1000))
    assert len(chaps) == len(chapters) - 3  # every chapter but the three blocks


def as_written(track: Track) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((track.out / f"{STEM}.timeline.json").read_text(
        encoding="utf-8"))
    return data


def test_vtt_matches_the_timeline(track: Track) -> None:
    assert_vtt_matches(track.out / f"{STEM}.vtt",
                       [s for s in as_written(track)["segments"] if s["kind"] == "speech"])


# -- layout rules, with made-up speech durations -------------------------------------------


def fake(text: str) -> float:
    return 0.05 + 0.06 * len(text)


def circuit_alone(seed: dict[str, Any], **spacing: int) -> ResolvedWorkout:
    """The workout with only its circuit's stations (a plank, a timed bridge), with other
    rounds and rests."""
    return resolved(seed, blocks=[{"circuit": [{"exercise": "plank"},
                                               {"exercise": "glute-bridge", "time": 10}],
                                   **spacing}])


def test_halfway_in_a_long_circuit(seed_data: dict[str, Any]) -> None:
    p = plan(circuit_alone(seed_data, rounds=4, rest=8, round_rest=12))
    tl = session_timeline(p, fake)
    halfway = [s for s in tl.segments if s.role == "halfway"]
    assert [s.text for s in halfway] == ["Halfway."]
    rest = next(iv for iv in p.intervals if iv.start <= halfway[0].start < iv.end)
    assert (rest.kind, rest.set) == ("round-rest", 3)  # after 4 of the 8 station sets
    short = plan(resolved(seed_data))  # two rounds of two stations: no halfway
    assert not [s for s in session_timeline(short, fake).segments if s.role == "halfway"]


def test_full_technique_says_the_steps(seed_data: dict[str, Any]) -> None:
    p = plan(resolved(seed_data))
    cues, full = session_texts(p), session_texts(p, full_technique=True)
    assert "Knees bent" in cues and "Lie on your back, knees bent." not in cues
    assert "Lie on your back, knees bent." in full and "Knees bent" not in full
    assert "full-technique" in [o.name for o in AudioExporter.options]
    assert AudioExporter.accepts(text_of(resolved(seed_data)))


def test_full_technique_option_of_the_exporter(seed_data: dict[str, Any],
                                               tmp_path: Path) -> None:
    """The step texts take longer than the cues: a changeover long enough for them."""
    workout = resolved(seed_data, changeover=150)
    AudioExporter().export(text_of(workout), tmp_path, Options({"full_technique": True}))
    tl = json.loads((tmp_path / f"{STEM}.timeline.json").read_text(encoding="utf-8"))
    steps = [s["text"] for s in tl["segments"] if s.get("role") == "step"]
    assert steps[:2] == ["Lie on your back, knees bent.", "Lift the hips, then lower them."]
    assert not [s for s in tl["segments"] if s.get("role") == "cue"]
    assert abs(tl["duration"] - tl["lead_in"] - workout.plan.total_seconds) <= 0.001


def test_a_changeover_too_short_fails_clearly(seed_data: dict[str, Any],
                                              tmp_path: Path) -> None:
    workout = resolved(seed_data, changeover=15)
    with pytest.raises(SlotOverflowError) as err:
        session_timeline(workout.plan, fake)
    assert str(err.value).startswith("changeover: the introduction of block A runs until")
    assert "lengthen the changeover (15 s)" in str(err.value)
    assert exit_code(err.value) == 2
    with pytest.raises(SlotOverflowError):  # the real export: nothing written
        AudioExporter().export(text_of(workout), tmp_path / "out", Options({}))
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_the_build_makes_the_workout_guide(track: Track, seed_data: dict[str, Any],
                                           tmp_path: Path) -> None:
    """A workout file among its exercises' files: the build hands the resolved workout to
    the audio format, which writes the same track as the exporter called directly."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SOURCE, src / SOURCE.name)
    for data in short_exercises(seed_data):
        write_yaml(src / f"{data['id']}.yaml", data)
    write_yaml(src / "glute-test-day.yaml", WORKOUT)
    report = build.build([src], ["audio"], tmp_path / "out")
    assert report.problems == []
    written = {e.path for e in report.written}
    assert {f"glute-test-day/{STEM}{ext}" for ext in (".wav", ".mp3", ".vtt", ".timeline.json")
            } <= written
    for ext in (".wav", ".timeline.json", ".vtt"):
        built = (tmp_path / "out" / "glute-test-day" / f"{STEM}{ext}").read_bytes()
        assert same(built, track.out / f"{STEM}{ext}", ext)


def test_a_rest_too_short_for_what_comes_next_fails_clearly(seed_data: dict[str, Any]) -> None:
    short = resolved(seed_data, blocks=[{"exercise": KICK, "sets": 2, "reps": 2, "rest": 6}])
    with pytest.raises(SlotOverflowError, match=r'cue "Resistance Band .*, set 2 of 2\." '
                       r"takes .* its slot \(set announcement after a rest\)"):
        session_timeline(short.plan, fake)
    # a little longer: the name and the set only, as the full naming does not fit
    longer = resolved(seed_data, blocks=[{"exercise": KICK, "sets": 2, "reps": 2, "rest": 9}])
    said = [s.text for s in session_timeline(longer.plan, fake).speech()]
    assert f"{longer.exercises[KICK].name}, set 2 of 2." in said


def test_warm_up_and_cool_down_items(seed_data: dict[str, Any]) -> None:
    w = resolved(seed_data, warm_up=[{"name": "March in place", "seconds": 30},
                                     {"name": "Leg swings", "seconds": 20}],
                 cool_down=[{"name": "Breathe slowly", "seconds": 30}])
    p = plan(w)
    tl = session_timeline(p, fake)
    assert tl.duration == pytest.approx(p.total_seconds, abs=1e-9)
    tops = [c for c in tl.chapters if c.parent is None]
    assert [c.title for c in tops] == ["Introduction", "Warm-up",
                                       "Block A: superset of 2 rounds",
                                       "Block B: circuit of 2 rounds", "Block C", "Cool-down",
                                       "Workout complete"]
    said = [s.text for s in tl.speech()]
    assert said[3:6] == ["Warm-up.", "March in place", "Leg swings"]
    assert "March in place, 30 seconds." in said and "Leg swings, 20 seconds." in said
    assert "Breathe slowly, 30 seconds." in said and "Cool-down." in said
    assert "Go." in said and not [t for t in said if t.startswith("Keep going")]
    items = [iv for iv in p.intervals if iv.kind == "work" and iv.block in ("warm-up",
                                                                              "cool-down")]
    tones = {s.start for s in tl.segments if s.kind == "tone"}
    assert all(any(abs(t - iv.end) < 1e-9 for t in tones) for iv in items)
    assert {s.exercise for s in tl.segments if s.block == "warm-up"} == {"warm-up-1",
                                                                          "warm-up-2"}


def test_a_german_workout_speaks_german() -> None:
    """Every sentence of a German workout comes from the German catalog (or the documents)."""
    kick = load(SOURCE.with_name(SOURCE.stem + "-de.yaml"))
    w = ResolvedWorkout(Workout.model_validate({
        "kind": "workout", "id": "beintag", "name": "Beintag", "language": "de",
        "summary": "Beine.", "changeover": 90,
        "blocks": [{"exercise": kick.id, "sets": 2, "reps": 2, "rest": 30},
                   {"circuit": [{"exercise": kick.id, "time": 20}], "rounds": 2,
                    "rest": 10, "round_rest": 20}]}), {kick.id: kick})
    p = plan(w)
    tl = session_timeline(p, fake)
    said = [s.text for s in tl.speech()]
    assert said[:3] == ["Beintag", "1 Übung.", f"Etwa {round(p.total_seconds / 60)} Minuten."]
    assert f"Als Nächstes: {kick.name}, Satz 2 von 2." in said
    assert f"Als Nächstes: {kick.name}, Runde 2 von 2." in said
    assert "Letzter Satz." in said and "Letzte Runde." in said
    assert said[-1] == "Training beendet."
    assert not [t for t in said if t.startswith(("Next", "Last", "Rest for", "Workout"))]
    assert [c.title for c in tl.chapters if c.parent is None][1:3] == [
        "Block A", "Block B: Zirkel mit 2 Runden"]


def test_stations_without_rest(seed_data: dict[str, Any]) -> None:
    """No rest between two timed stations: the tone ends as the next station starts, whose
    first cue is on time; nothing is announced between them."""
    p = plan(circuit_alone(seed_data, rounds=2, rest=0, round_rest=0))
    tl = session_timeline(p, fake)
    works = [iv for iv in p.intervals if iv.kind == "work"]
    assert len(works) == 4 and all(a.end == b.start for a, b in itertools.pairwise(works))
    tones = [s for s in tl.segments if s.kind == "tone"]
    assert [t.end for t in tones[:3]] == pytest.approx([iv.end for iv in works[:3]], abs=1e-9)
    assert tones[3].start == pytest.approx(works[3].end, abs=1e-9)  # the last: after its end
    for iv in works:
        first = next(s for s in tl.speech() if s.start >= iv.start - 1e-9)
        assert first.start == pytest.approx(iv.start, abs=1e-9) and first.role == "timed"


def test_a_short_transition_says_only_what_comes_next(seed_data: dict[str, Any]) -> None:
    w = resolved(seed_data, blocks=[{"superset": [{"exercise": "glute-bridge"},
                                                  {"exercise": "plank"}],
                                     "transition": 4, "rest": 20}])
    p = plan(w)
    tl = session_timeline(p, fake)
    for iv in (i for i in p.intervals if i.kind == "transition"):
        said = [s for s in tl.speech() if iv.start <= s.start < iv.end]
        assert [s.role for s in said] == ["announce"]
        assert said[0].text == f"Plank, set {iv.set} of 2, 10 seconds."
        assert said[-1].end <= iv.end
        part = next(p for p in tl.parts if p.start == said[0].start)
        assert part.kind == "set" and part.title == f"A2 Plank — set {iv.set} of 2"
