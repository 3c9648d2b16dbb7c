"""Workouts, programs and their outputs tried as their users make them, through the
command line: the mistakes a coach makes in a workout file, a German workout read in
braille, and a program's book made from the program file alone.

One library folder (the exercises of ``source/`` and the trial documents) is validated
once and built once; each test reads those runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from workouts import resolved_workout, session_texts, session_timeline, write_yaml

from kickback_export.content.timeline import SlotOverflowError, TimelineOptions
from kickback_export.engines.braille.braille import prepare
from kickback_export.languages import language

from conftest import ROOT
from test_cli import run
from test_epub import _assert_epubcheck_clean, run_epubcheck

SOURCE = ROOT / "source"
KICKBACK_DE = "resistance-band-one-leg-kickback-bent-position-de"


def _workout(wid: str, blocks: list[Any], **more: Any) -> dict[str, Any]:
    return {"kind": "workout", "id": wid, "name": wid.replace("-", " ").capitalize(),
            "summary": "A trial.", **more, "blocks": blocks}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lib = tmp_path_factory.mktemp("trials") / "lib"
    lib.mkdir()
    for file in SOURCE.glob("*.yaml"):
        if not file.read_text(encoding="utf-8").startswith("kind:"):
            shutil.copy(file, lib / file.name)
    # 20 stations of 10 minutes, 20 rounds: 67 hours, each field within the schema
    stations = [{"exercise": "glute-bridge", "time": 600} for _ in range(20)]
    write_yaml(lib / "endless.yaml",
               _workout("endless", [{"circuit": stations, "rounds": 20}]))
    (lib / "tabbed.yaml").write_text(
        "kind: workout\nid: tabbed\nname: Tabbed\nsummary: x\nblocks:\n"
        "\t- exercise: glute-bridge\n", encoding="utf-8")
    write_yaml(lib / "eight-days.yaml", {
        "kind": "program", "id": "eight-days", "name": "Eight days", "summary": "x",
        "weeks": [{"days": [{"workout": "bein-tag"} for _ in range(8)]}]})
    (lib / "bare.yaml").write_text(
        "kind: workout\nid: bare\nname: Bare\nsummary: x\nblocks:\n- glute-bridge\n",
        encoding="utf-8")
    (lib / "capitals.yaml").write_text(
        "kind: workout\nid: capitals\nname: Capitals\nsummary: x\nblocks:\n"
        "- exercise: Glute_Bridge\n", encoding="utf-8")
    (lib / "broken-move.yaml").write_text("id: broken-move\nname: [\n", encoding="utf-8")
    write_yaml(lib / "uses-broken.yaml", _workout("uses-broken", [
        {"exercise": "broken-move"}, {"exercise": "glute-bridge"}]))
    write_yaml(lib / "bein-tag.yaml", _workout("bein-tag", [
        {"exercise": KICKBACK_DE},
        {"circuit": [{"exercise": KICKBACK_DE, "time": 20}], "rounds": 2}], language="de"))
    return lib


@pytest.fixture(scope="module")
def validated(library: Path) -> subprocess.CompletedProcess[str]:
    return run(["validate", str(library)])


@pytest.fixture(scope="module")
def built(library: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = library.parent / "out"
    return run(["build", str(library), "-f", "brf", "-o", str(out), "-j", "1"]), out


def _line(stderr: str, file: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.startswith(str(file))]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(("name", "where", "reason"), [
    ("endless", ":6: blocks:",
     "the session would last 68.6 hours; a workout lasts at most 4 hours"),
    ("bare", ":6: blocks[0]:",
     "an entry is fields, not a bare value: write 'exercise: glute-bridge'"),
    ("capitals", ":6: blocks[0].exercise:", "must be a document's id: lower-case letters and "
     "digits joined by single hyphens (got 'Glute_Bridge')"),
    ("eight-days", ":7: weeks[0].days:", "at most 7 items (got 8)"),
    ("tabbed", ":6: YAML syntax error:", "a tab indents this line; indent with spaces"),
    ("uses-broken", ":6: blocks[0].exercise:",
     "exercise 'broken-move' cannot be used: {lib}/broken-move.yaml has a problem of its own"),
])
def test_a_mistake_is_one_line_from_validate_and_build_alike(
        validated: subprocess.CompletedProcess[str],
        built: tuple[subprocess.CompletedProcess[str], Path], library: Path,
        name: str, where: str, reason: str) -> None:
    build, out = built
    assert validated.returncode == 2 and build.returncode == 2
    expected = f"{library / name}.yaml{where} {reason.format(lib=library)}"
    assert _line(validated.stderr, f"{library / name}.yaml") == expected
    assert _line(build.stderr, f"{library / name}.yaml") == expected
    assert "Traceback" not in validated.stderr + build.stderr
    assert not (out / name).exists()


def test_a_german_workout_in_braille_has_no_english_character_names(
        built: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    """The tempo's separator dots, which German braille has no sign for, read as commas."""
    _, out = built
    brf = (out / "bein-tag" / "bein-tag.brf").read_text(encoding="ascii")
    assert "MIDDLE" not in brf and "DOT" not in brf
    assert prepare("hoch 1 s · halten 1 s · zurück 2 s", language("de").braille) == (
        "hoch 1 s, halten 1 s, zurück 2 s")


@pytest.fixture(scope="module")
def program_alone(tmp_path_factory: pytest.TempPathFactory
                  ) -> tuple[subprocess.CompletedProcess[str], Path]:
    book = tmp_path_factory.mktemp("program-alone") / "glute.epub"
    return run(["book", str(SOURCE / "glute-program.yaml"), "--title", "Glute program",
                "-o", str(book), "-j", "1"]), book


def test_a_program_named_alone_makes_its_book(
        program_alone: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    """Its exercises, read beside it and not exported, are still the book's sections."""
    proc, book = program_alone
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == f"wrote {book} (a program)"
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
    for slug in ("barbell-hip-thrust", "goblet-squat", "glute-bridge",
                 "resistance-band-one-leg-kickback-bent-position"):
        assert any(n.endswith(f"/{slug}.xhtml") for n in names), (slug, names)


@pytest.mark.slow
def test_the_book_of_a_program_named_alone_passes_epubcheck(
        program_alone: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _assert_epubcheck_clean(run_epubcheck(program_alone[1]))


@pytest.mark.parametrize(("workout", "said", "unsaid"), [
    (SOURCE / "glute-day.yaml", ["March in place, 60 seconds.",
                                 "Glute Bridge, round 1 of 3, 40 seconds.",
                                 "Forearm Plank, round 2 of 3, 30 seconds.", "Go."],
     "Set 1 of 1"),
    ({"kind": "workout", "id": "kreis", "name": "Kreis", "language": "de", "summary": "x",
      "blocks": [{"circuit": [{"exercise": KICKBACK_DE, "time": 20}], "rounds": 2}]},
     ["Einbeiniger Kickback mit Widerstandsband (vorgebeugt), Runde 1 von 2, Bein links, "
      "20 Sekunden.", "Los."], "Satz 1 von"),
])
def test_the_guide_counts_rounds_in_a_circuit_and_no_lone_set(
        workout: Path | dict[str, Any], said: list[str], unsaid: str) -> None:
    """Every set or station is named with what starts: a circuit's station "round 1 of 3"
    as its rests say; a warm-up item (one set) by its name and work alone; a timed set
    starts with "Go."."""
    texts = session_texts(resolved_workout(workout).plan)
    assert set(said) <= set(texts), texts
    assert not [t for t in texts if t.startswith(unsaid) or t.startswith("Keep going")]


def test_every_set_is_named_right_before_its_count_in() -> None:
    """Listened through, the sample workout names each set or station as the last words
    before its count-in, after the changeover as after a rest ("60 seconds. Get into
    position." no longer stands alone), and leaves quiet before each part."""
    workout = resolved_workout(SOURCE / "glute-day.yaml").plan
    track = session_timeline(workout, lambda text: 0.06 * len(text))
    speech = [s for s in track.segments if s.kind == "speech"]
    works = [iv for iv in workout.intervals if iv.kind == "work"]
    for iv in works:
        before = [s for s in speech if s.end <= iv.start + 1e-9]
        counts = [s.text for s in before[-3:]]
        if counts == ["3", "2", "1"]:
            named = before[-4]
            assert (named.set, named.side) == (iv.set, iv.side)
            if named.role == "switch":  # the other side is named by the switch
                assert named.text == f"Switch to your {iv.side} leg.", (iv, named)
                continue
            assert named.role == "announce", (iv, named)
            assert named.text.startswith(workout.entries[iv.entry].name), (iv, named)
    first = next(s for s in speech if s.role == "announce" and s.text != "Get into position.")
    assert first.text == "March in place, 60 seconds."
    for part in track.parts:
        if part.kind in ("set", "rest"):
            ended = max(s.end for s in speech if s.start < part.start)
            assert part.start - ended >= TimelineOptions().track_gap - 1e-9, part
    assert track.duration == pytest.approx(workout.total_seconds, abs=1e-9)


def _full_technique(data: dict[str, Any], changeover: int) -> None:
    session_timeline(resolved_workout({**data, "changeover": changeover}).plan,
                     lambda text: 0.08 * len(text), TimelineOptions(), True)


def test_a_changeover_too_short_for_the_full_technique_says_how_long_it_must_be() -> None:
    """The coach gets the changeover that fits the block, and which words are too long."""
    data = yaml.safe_load((SOURCE / "glute-day.yaml").read_text(encoding="utf-8"))
    with pytest.raises(SlotOverflowError) as err:
        _full_technique(data, 20)
    found = re.search(r"block (\S+) .* lengthen the changeover \(20 s\) to at least (\d+) s, "
                      r"shorten the steps' texts \(--full-technique\) or raise the rate$",
                      str(err.value))
    assert found, err.value
    block, needed = found.group(1), int(found.group(2))
    try:  # enough for that block: it builds, or a later block is the one too short
        _full_technique(data, needed)
    except SlotOverflowError as later:
        assert f"block {block} " not in str(later), later
    with pytest.raises(SlotOverflowError, match=f"block {block} "):
        _full_technique(data, needed - 1)


def test_a_changeover_counts_down_after_the_introduction() -> None:
    """Marks as in a rest, where the introduction has ended: no minute of silence after
    "Get into position." in the earphones, and none said over the introduction."""
    workout = resolved_workout(SOURCE / "glute-day.yaml").plan
    track = session_timeline(workout, lambda text: 0.06 * len(text))
    speech = [s for s in track.segments if s.kind == "speech"]
    changeovers = [iv for iv in workout.intervals if iv.kind == "changeover"]
    assert len(changeovers) == 5
    for iv in changeovers:
        inside = [s for s in speech if iv.start <= s.start < iv.end]
        ready = max(s.end for s in inside if s.text == "Get into position.")
        named = next(s.start for s in inside if s.role == "announce" and s.start > ready)
        marks = [(s.start, s.text) for s in inside if s.role == "countdown"
                 and s.text.endswith("seconds")]
        room = ready + TimelineOptions().sentence_gap
        quiet = named - TimelineOptions().track_gap  # the naming's part starts after it
        expected = [(iv.end - m, f"{m} seconds") for m in (30, 10) if iv.end - m >= room
                    and iv.end - m + 0.06 * len(f"{m} seconds") <= quiet]
        assert marks == expected and marks, (iv.block, ready, marks)
