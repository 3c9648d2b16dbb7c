"""FIT workout files, read back with Garmin's own decoder (``garmin-fit-sdk``).

Every sample with a plan is built once (the command line, into one folder) and each file
decoded: header and CRC valid, no decode error, one workout of sport training /
strength training, and its steps, walked as a watch walks them (repeats repeated), the
plan's intervals one for one — the only steps the plan does not have being the rest
after a repeat's last round (FIT repeats a whole body; docs/watch-and-calendar.md).
Edge cases are small documents of the test's own.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from garmin_fit_sdk import Decoder, Stream
from same import same
from workouts import resolved_program, resolved_workout, write_yaml

from kickback_export import load
from kickback_export.content.phrases import ENV, phrases
from kickback_export.content.text import TextModel, text_of
from kickback_export.document.targets import week_workout
from kickback_export.engines.watch import categories
from kickback_export.engines.watch.files import files, program_name
from kickback_export.engines.watch.fit import encode
from kickback_export.engines.watch.steps import NAME_BYTES, NOTE_BYTES, fit_text, workout_steps
from kickback_export.errors import ContentError
from kickback_export.exporters.fit import FitExporter
from kickback_export.registry import Options

from conftest import ROOT
from conftest import cli as run
from test_pseudo_locale import DOCUMENT, english_messages, fragments, write_pseudo_catalog

# the exercises these tests write use the tempo mapping every version of the model reads
pytestmark = pytest.mark.filterwarnings("ignore:.*kick/hold/return is deprecated")

SOURCE = ROOT / "source"
EXERCISES = sorted(p.stem for p in SOURCE.glob("*.yaml")
                   if "kind:" not in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fit") / "out"
    proc = run("build", "source", "-o", str(out), "-f", "fit", "-q", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    return out


def decode(data: bytes) -> dict[str, Any]:
    """The messages of a FIT file, after checking it as the reference decoder does."""
    assert data[8:12] == b".FIT" and data[0] in (12, 14)
    assert Decoder(Stream.from_byte_array(bytearray(data))).is_fit()
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()  # header, CRC
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    assert [m["type"] for m in messages["file_id_mesgs"]] == ["workout"]
    workout = messages["workout_mesgs"]
    assert len(workout) == 1 and workout[0]["sport"] == "training"
    assert workout[0]["sub_sport"] == "strength_training"
    steps = messages["workout_step_mesgs"]
    assert workout[0]["num_valid_steps"] == len(steps)
    assert [s["message_index"] for s in steps] == list(range(len(steps)))
    for s in steps:
        for key in ("wkt_step_name", "notes"):
            assert len(s.get(key, "").encode("utf-8")) <= (NAME_BYTES if key != "notes"
                                                          else NOTE_BYTES)
    return messages


def walk(steps: list[dict[str, Any]]) -> list[tuple[dict[str, Any], bool]]:
    """The steps as a watch does them, each with whether it may be left out of a
    comparison with the plan: a rest after the last work step of a repeat's last round."""
    out: list[tuple[dict[str, Any], bool]] = []
    done: dict[int, int] = {}
    n = 0
    while n < len(steps):
        step = steps[n]
        if step["duration_type"] != "repeat_until_steps_cmplt":
            out.append((step, False))
            n += 1
            continue
        done[n] = done.get(n, 1) + 1
        if done[n] <= step["repeat_steps"]:
            n = step["duration_step"]
            continue
        last = max(k for k in range(step["duration_step"], n)
                   if steps[k].get("intensity") != "rest")
        trailing = n - last - 1  # the body's rests after its last work step, last round
        for k in range(len(out) - trailing, len(out)):
            out[k] = (out[k][0], True)
        del done[n]
        n += 1
    return out


def planned(plan: Any) -> list[Any]:
    """The plan's intervals a watch walks: not the first changeover, not the finish."""
    intervals = [i for i in plan.intervals if i.kind != "finish"]
    return intervals[1:] if intervals and intervals[0].kind == "changeover" else intervals


def matches(step: dict[str, Any], interval: Any, plan: Any) -> bool:
    """Whether the step is the interval: a rest of its kind and length, or the set of its
    entry (on its side) for its reps or time."""
    ph = phrases(plan.workout.language)
    if interval.kind != "work":
        word = {"changeover": "Get ready", "switch": "Switch sides"}.get(interval.kind, "Rest")
        if step.get("intensity") != "rest" or step.get("wkt_step_name") != ph.pgettext(
                "watch step", word):
            return False
        if getattr(interval, "until_ready", False) or interval.seconds is None:
            return bool(step["duration_type"] == "open")
        return bool(step.get("duration_time") == interval.seconds)
    entry = plan.entries[interval.entry]
    name = step.get("wkt_step_name", "")
    if interval.side is not None:
        side = ph.pgettext("watch step side", "L" if interval.side == "left" else "R")
        if not name.endswith(f" ({side})"):
            return False
        name = name.removesuffix(f" ({side})")
    if not (name and entry.name.startswith(name)):
        return False
    if entry.prescription.reps is not None:
        return step["duration_type"] == "reps" and step["duration_reps"] == (
            entry.prescription.reps)
    return step["duration_type"] == "time" and step["duration_time"] == interval.seconds


def assert_walks_the_plan(messages: dict[str, Any], plan: Any) -> None:
    walked = walk(messages["workout_step_mesgs"])
    wanted = planned(plan)
    n = 0
    for step, extra in walked:
        if n < len(wanted) and matches(step, wanted[n], plan):
            n += 1
        else:
            assert extra, (step, wanted[n] if n < len(wanted) else None)
    assert n == len(wanted)


def active(messages: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in messages["workout_step_mesgs"] if s.get("intensity") == "active"]


def exported(text: TextModel, folder: Path, **options: Any) -> list[Path]:
    outputs = FitExporter().export(text, folder, Options(options))
    assert all(o.media_type == "application/vnd.ant.fit" for o in outputs)
    return [o.path for o in outputs]


# --- the samples -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["glute-day", "glute-basics", *EXERCISES])
def test_every_sample_decodes_and_walks_its_plan(built: Path, name: str) -> None:
    path = SOURCE / f"{name}.yaml"
    text = text_of(load(path) if name in EXERCISES else resolved_workout(path))
    messages = decode((built / name / f"{name}.fit").read_bytes())
    assert messages["workout_mesgs"][0]["wkt_name"] == fit_text(text.title, NAME_BYTES)
    assert_walks_the_plan(messages, text.plan)


def test_glute_day_steps(built: Path) -> None:
    """Repeats of the plan's rounds, the rests it plans, the profile's exercises."""
    plan = resolved_workout(SOURCE / "glute-day.yaml").plan
    steps = decode((built / "glute-day" / "glute-day.fit").read_bytes())["workout_step_mesgs"]
    repeats = [s["repeat_steps"] for s in steps
               if s["duration_type"] == "repeat_until_steps_cmplt"]
    assert repeats == [b.rounds for b in plan.blocks if b.rounds > 1] == [3, 3, 3]
    assert [s["intensity"] for s in steps[:5]] == ["warmup", "rest", "warmup", "rest",
                                                   "warmup"]
    assert steps[-1]["intensity"] == "cooldown"
    work = {s["wkt_step_name"]: s for s in steps if s.get("intensity") == "active"}
    assert work["Bodyweight"]["exercise_category"] == "squat"
    assert work["Forearm Plank"]["exercise_category"] == "plank"
    assert work["Forearm Plank"]["duration_time"] == 30
    assert work["Side-Lying (L)"]["exercise_category"] == "hip_raise"
    assert work["Glute Bridge"]["notes"].startswith("On your back, knees bent")
    assert all("exercise_weight" not in s for s in steps)  # no load in the samples
    rests = sorted({s["duration_time"] for s in steps if s.get("intensity") == "rest"})
    assert rests == [10, 15, 45, 60]


def test_the_program_has_a_file_per_training_day_that_sorts(built: Path) -> None:
    program = resolved_program(SOURCE / "glute-program.yaml")
    found = sorted(p.name for p in (built / "glute-program").glob("*.fit"))
    assert found == [f"glute-program-w{w}-d{d}-{wid}.fit" for w in range(1, 5)
                     for d, wid in ((1, "thrust-day"), (2, "squat-day"))]
    for path in (built / "glute-program").glob("*.fit"):
        messages = decode(path.read_bytes())
        week, workout = int(path.stem.split("-")[2][1:]), path.stem.split("-", 4)[-1]
        # each day as its week does it: the week's sets and reps (week 4: a deload)
        assert_walks_the_plan(messages, week_workout(program.workouts[workout], week,
                                                     program.progression).plan)
    w2 = decode((built / "glute-program" / "glute-program-w2-d1-thrust-day.fit").read_bytes())
    assert w2["workout_mesgs"][0]["wkt_name"] == "Thrust day W2D1"
    # the week's load reaches the watch: 60 kg in week 1, +5 kg a week
    assert {s.get("exercise_weight") for s in active(w2)
            if s["wkt_step_name"].startswith("Barbell")} == {65.0}
    serials = {decode(p.read_bytes())["file_id_mesgs"][0]["serial_number"]
               for p in (built / "glute-program").glob("*.fit")}
    assert len(serials) == 8  # a watch tells each file apart


def test_manifest_lists_the_files_and_a_rebuild_is_identical(built: Path,
                                                            tmp_path: Path) -> None:
    rows = json.loads((built / "manifest.json").read_text())["outputs"]
    assert {r["path"] for r in rows} == {str(p.relative_to(built))
                                         for p in built.rglob("*.fit")}
    assert {r["media_type"] for r in rows} == {"application/vnd.ant.fit"}
    proc = run("build", "source/glute-day.yaml", "-o", str(tmp_path), "-f", "fit", "-q")
    assert proc.returncode == 0, proc.stderr
    assert same(tmp_path / "glute-day" / "glute-day.fit", built / "glute-day" / "glute-day.fit")


# --- edge cases ------------------------------------------------------------------------


def workout(tmp_path: Path, blocks: list[Any], **extra: Any) -> Any:
    data = {"kind": "workout", "id": "edge", "name": "Edge", "language": "en",
            "summary": "An edge case.", "blocks": blocks, **extra}
    return resolved_workout(write_yaml(tmp_path / "edge.yaml", data), tmp_path, SOURCE)


def fit_of(resolved: Any, tmp_path: Path) -> dict[str, Any]:
    (path,) = exported(text_of(resolved), tmp_path)
    messages = decode(path.read_bytes())
    assert_walks_the_plan(messages, resolved.plan)
    return messages


def exercise(tmp_path: Path, ident: str, name: str, **prescription: Any) -> None:
    rx = {"sets": 2, "reps": 8, "sides": "none", "tempo": {"kick": 1, "hold": 0, "return": 1},
          "rest": 30, **prescription}
    if "time" in prescription:
        rx.pop("reps")
        rx.pop("tempo")
    write_yaml(tmp_path / f"{ident}.yaml", {
        "id": ident, "name": name, "language": "en", "overview": ["Edge."],
        "steps": [{"text": "Do it.", "cue": "Steady"}], "prescription": rx})


def test_a_long_name_is_cut_at_a_word_boundary_never_refused(tmp_path: Path) -> None:
    exercise(tmp_path, "long", "Überkopf-Kniebeugenvariante mit Langhantel und Pause")
    exercise(tmp_path, "word", "Supercalifragilisticexpialidocious")
    resolved = workout(tmp_path, [{"exercise": "long"}, {"exercise": "word"}],
                       name="A workout whose name is far longer than a watch shows")
    messages = fit_of(resolved, tmp_path)
    assert messages["workout_mesgs"][0]["wkt_name"] == "A workout whose"
    # no word boundary within 15 bytes: whole characters, never half of "Ü"
    assert [s["wkt_step_name"] for s in active(messages)] == ["Überkopf-Knieb",
                                                              "Supercalifragil"]
    assert fit_text("Kniebeuge ÜÜÜÜÜÜÜ", 15) == "Kniebeuge"
    assert fit_text("ÜÜÜÜÜÜÜÜÜ", 15) == "ÜÜÜÜÜÜÜ"  # whole characters of a long word


def test_twenty_sets_are_one_repeat(tmp_path: Path) -> None:
    exercise(tmp_path, "many", "Goblet squat", sets=20, rest=45)
    steps = fit_of(workout(tmp_path, [{"exercise": "many"}]), tmp_path)["workout_step_mesgs"]
    assert [s["duration_type"] for s in steps] == ["reps", "time", "repeat_until_steps_cmplt"]
    assert steps[2]["repeat_steps"] == 20 and steps[2]["duration_step"] == 0
    assert steps[0]["exercise_category"] == "squat"


def test_a_circuit_of_twenty_stations(tmp_path: Path) -> None:
    for n in range(20):
        exercise(tmp_path, f"station-{n}", f"Station {n}", time=20)
    resolved = workout(tmp_path, [{"circuit": [{"exercise": f"station-{n}"} for n in range(20)],
                                   "rounds": 3, "rest": 10, "round_rest": 90}])
    steps = fit_of(resolved, tmp_path)["workout_step_mesgs"]
    assert len(steps) == 20 + 19 + 1 + 1
    assert steps[-1]["repeat_steps"] == 3 and steps[-1]["duration_step"] == 0
    assert steps[-2]["duration_time"] == 90 and steps[1]["notes"] == "Next: Station 1"


def test_timed_and_rep_entries_and_an_unknown_category(tmp_path: Path) -> None:
    exercise(tmp_path, "zorbel", "Zorbel vantic", sets=1)
    resolved = workout(tmp_path, [{"exercise": "zorbel"}, {"exercise": "zorbel", "time": 25}])
    steps = active(fit_of(resolved, tmp_path))
    assert [(s["duration_type"], s.get("duration_reps"), s.get("duration_time"))
            for s in steps] == [("reps", 8, None), ("time", None, 25.0)]
    assert all(s["exercise_category"] == "unknown" and "exercise_name" not in s
               for s in steps)
    assert categories.names(None, "Zorbel vantic") == (categories.UNKNOWN, None)


def test_loads_a_number_and_a_unit_are_weights_others_are_notes(tmp_path: Path) -> None:
    exercise(tmp_path, "press", "Floor press", sets=1)
    resolved = workout(tmp_path, [{"exercise": "press", "load": load_}
                                  for load_ in ("35 lb", "16 kg", "12,5kg", "light band")])
    steps = active(fit_of(resolved, tmp_path))
    assert [(s.get("exercise_weight"), s.get("weight_display_unit")) for s in steps] == [
        (15.88, "pound"), (16.0, "kilogram"), (12.5, "kilogram"), (None, None)]
    assert steps[3]["notes"] == "light band · Steady"
    assert steps[0]["notes"] == "Steady"


def test_an_until_ready_rest_is_an_open_step_the_lap_button_ends(tmp_path: Path) -> None:
    exercise(tmp_path, "hold", "Wall sit", sets=3, time=40)
    plan = workout(tmp_path, [{"exercise": "hold"}]).plan
    open_rest = {"seconds": None}
    if any(f.name == "until_ready" for f in dataclasses.fields(plan.intervals[0])):
        open_rest = {"until_ready": True}  # the model's own way, where it has one
    intervals = tuple(dataclasses.replace(i, **open_rest) if i.kind == "rest" else i
                      for i in plan.intervals)
    plan = dataclasses.replace(plan, intervals=intervals)
    steps = workout_steps(plan, phrases("en"))
    assert [(s.kind, s.seconds) for s in steps] == [("exercise", 40), ("rest", None),
                                                    ("repeat", None)]
    messages = decode(encode("Wall sit", steps, "wall-sit.fit"))
    rest = messages["workout_step_mesgs"][1]
    assert rest["duration_type"] == "open" and rest["intensity"] == "rest"
    assert_walks_the_plan(messages, plan)


def test_a_superset_of_unequal_sets_repeats_what_is_repeated(tmp_path: Path) -> None:
    exercise(tmp_path, "one", "Split squat", sets=3, sides="both", limb="leg")
    exercise(tmp_path, "two", "Hip thrust", sets=2)
    resolved = workout(tmp_path, [{"superset": [{"exercise": "one"}, {"exercise": "two"}],
                                   "transition": 20, "rest": 75}])
    steps = fit_of(resolved, tmp_path)["workout_step_mesgs"]
    kinds = [s.get("wkt_step_name") or f"repeat {s['repeat_steps']}" for s in steps]
    assert kinds == ["Split squat (L)", "Switch sides", "Split squat (R)", "Rest",
                     "Hip thrust", "Rest", "repeat 2", "Split squat (L)", "Switch sides",
                     "Split squat (R)"]


def test_too_many_steps_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="takes 31 FIT steps; a FIT workout holds at most 30"):
        files(text_of(resolved_workout(SOURCE / "glute-day.yaml")), limit=30)
    proc = run("build", "source/glute-day.yaml", "-o", str(tmp_path / "o"), "-f", "fit",
               "--fit-max-steps", "20", "-q")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "takes 31 FIT steps" in lines[0], proc.stderr
    bad = run("build", "source/glute-day.yaml", "-o", str(tmp_path / "p"), "-f", "fit",
              "--fit-max-steps", "0")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "--fit-max-steps" in bad.stderr


def test_a_long_program_sorts_and_keeps_week_and_day_in_the_name(tmp_path: Path) -> None:
    weeks = [{"days": [{"name": "Monday", "workout": "glute-day"},
                       {"name": "Tuesday", "note": "Walk."}]} for _ in range(10)]
    data = {"kind": "program", "id": "long-block", "name": "Ten weeks", "language": "en",
            "summary": "Ten weeks.", "weeks": weeks}
    program = resolved_program(write_yaml(tmp_path / "long.yaml", data), tmp_path, SOURCE)
    made = [f.name for f in files(text_of(program))]
    assert made == sorted(made) and len(made) == 10  # the rest days have none
    assert made[0] == "long-block-w01-d1-glute-day.fit" and made[-1].startswith(
        "long-block-w10-")
    assert program_name("Glute day", 10, 1, "en") == "Glute day W10D1"
    assert program_name("Lower body strength", 12, 3, "en") == "Lower W12D3"  # 15 bytes


def test_step_words_come_from_the_catalog(tmp_path: Path) -> None:
    """A German workout's rests read in German on the watch."""
    data = {"kind": "workout", "id": "kick-de", "name": "Po-Tag", "language": "de",
            "summary": "Kurz.", "blocks": [{"exercise":
                                            "resistance-band-one-leg-kickback-bent-position-de"}]}
    resolved = resolved_workout(write_yaml(tmp_path / "de.yaml", data), tmp_path, SOURCE)
    messages = fit_of(resolved, tmp_path)
    names = [s.get("wkt_step_name") for s in messages["workout_step_mesgs"]]
    assert "Seitenwechsel" in names and "Pause" in names
    assert names[0] == "Einbeiniger (L)"
    assert messages["workout_step_mesgs"][0]["exercise_category"] == "hip_stability"


def test_no_english_on_the_watch_in_another_language(tmp_path: Path) -> None:
    """In a pseudo-locale every word the package adds is a catalog word."""
    write_pseudo_catalog(tmp_path / "locales")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "zorbel.yaml").write_text(yaml.safe_dump(DOCUMENT, allow_unicode=True),
                                                   encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kickback_export", "build",
                           str(tmp_path / "src"), "-o", str(tmp_path / "out"), "-f", "fit", "-q"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, ENV: str(tmp_path / "locales")})
    assert proc.returncode == 0, proc.stderr
    messages = decode((tmp_path / "out" / "zorbel-vantic" / "zorbel-vantic.fit").read_bytes())
    shown = [messages["workout_mesgs"][0]["wkt_name"]]
    shown += [s.get(k, "") for s in messages["workout_step_mesgs"]
              for k in ("wkt_step_name", "notes")]
    text = "\n".join(shown)
    assert "⟦" in text  # the catalog's words, cut to FIT's sizes
    for message in english_messages():
        for fragment in fragments(message):
            assert not re.search(r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])", text), (
                fragment, message)
