"""Programs that progress: the sample program's targets worked out by hand here, read back
from every output that shows them — the sheet (pdftotext), the e-book's plan (its XHTML)
and the audio guides (their WebVTT captions and timelines) — for every week each output
has (the guides: weeks 1 to 3, ``--weeks 1-3``).

The sample is ``source/glute-program.yaml`` built for ``source/athletes/alex.yaml``;
the arithmetic below is the one docs/programs.md gives, done with literal numbers, not
with the package's code. Each output is built once, through the command line.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from conftest import ROOT

SHEET = "glute-program/glute-program-sheet.pdf"
BOOK = "glute-program/glute-program.epub"
KICK = "Resistance Band One Leg Kickback (Bent Position)"
XHTML = {"x": "http://www.w3.org/1999/xhtml"}

# --- the targets, by hand ------------------------------------------------------------------
# Barbell hip thrust, load {start: 60, step: 5}: week n lifts 60 + 5·(n − 1) kg = 60, 65, 70,
#   75 (multiples of 2.5 kg; for Alex each is the 20 kg bar and pairs of the 20, 10, 5 and
#   2.5 kg plates: 60 = 20 + 2·20, 65 = 20 + 2·(20 + 2.5), 70 = 20 + 2·(20 + 5),
#   75 = 20 + 2·(20 + 5 + 2.5)); reps [10, 10, 8, 8]; reps in reserve [3, 2, 1, 3].
# Goblet squat, percent [65, 70, 75, 60] of Alex's training max, 28 kg: 18.2, 19.6, 21.0
#   and 16.8 kg, each to the nearest dumbbell Alex owns (8 to 24 kg in steps of 2; a tie
#   goes up): 18, 20, 22 (21 lies between 20 and 22) and 16; sets [3, 3, 4, 2], given, so
#   not cut in the deload week. Without an athlete: "65% TM", "70% TM", …
# Kickback, band [light, medium, medium, light]: the workout's 2 × 10 per leg.
# Glute bridge, reps {range: [10, 14], step: 2} with band light: 10, 12, 14, then 10 again
#   with the next band, medium.
# Deload week 4: each block's sets × 0.6, rounded half up, at least 1: hip thrust 3 → 2
#   (1.8), kickback 2 → 1 (1.2), bridge 3 → 2 (1.8).
TARGETS: dict[int, dict[str, tuple[int, int, str, int | None]]] = {
    # week: exercise: (sets, reps, load, reps in reserve)
    1: {"Barbell Hip Thrust": (3, 10, "60 kg", 3), KICK: (2, 10, "light band", None),
        "Goblet Squat": (3, 10, "18 kg", None), "Glute Bridge": (3, 10, "light band", None)},
    2: {"Barbell Hip Thrust": (3, 10, "65 kg", 2), KICK: (2, 10, "medium band", None),
        "Goblet Squat": (3, 10, "20 kg", None), "Glute Bridge": (3, 12, "light band", None)},
    3: {"Barbell Hip Thrust": (3, 8, "70 kg", 1), KICK: (2, 10, "medium band", None),
        "Goblet Squat": (4, 10, "22 kg", None), "Glute Bridge": (3, 14, "light band", None)},
    4: {"Barbell Hip Thrust": (2, 8, "75 kg", 3), KICK: (1, 10, "light band", None),
        "Goblet Squat": (2, 10, "16 kg", None), "Glute Bridge": (2, 10, "medium band", None)},
}
WITHOUT_ATHLETE = {1: "65% TM", 2: "70% TM", 3: "75% TM", 4: "60% TM"}
DAYS = {"Monday": ("Thrust day", ["Barbell Hip Thrust", KICK]),
        "Thursday": ("Squat day", ["Goblet Squat", "Glute Bridge"])}
SPOKEN = {"60 kg": "at 60 kilograms", "65 kg": "at 65 kilograms", "70 kg": "at 70 kilograms",
          "18 kg": "at 18 kilograms", "20 kg": "at 20 kilograms", "22 kg": "at 22 kilograms",
          "light band": "with the light band", "medium band": "with the medium band"}

# What Alex can load (source/athletes/alex.yaml), worked out here: the 20 kg bar with any
# of the pairs of 20, 10, 5 and 2.5 kg plates, and each dumbbell.
PLATES = (20, 10, 5, 2.5)
LOADABLE = {20 + 2 * sum(c) for k in range(len(PLATES) + 1)
            for c in itertools.combinations(PLATES, k)} | set(range(8, 25, 2))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kickback_export", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900,
                          stdin=subprocess.DEVNULL)


def built(out: Path, *args: str) -> Path:
    proc = run("build", "source/glute-program.yaml", "-o", str(out), "-q", *args)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def alex(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every printed format, for Alex: ``OUT/alex/``."""
    out = tmp_path_factory.mktemp("alex")
    built(out, "-f", "pdf,epub", "--athlete", "source/athletes/alex.yaml")
    return out / "alex"


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sheet and the e-book with no athlete: percentages as percentages."""
    return built(tmp_path_factory.mktemp("plain"), "-f", "pdf,epub")


@pytest.fixture(scope="module")
def guides(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The audio guides of weeks 1 to 3, for Alex, each cut into tracks too."""
    out = tmp_path_factory.mktemp("guides")
    built(out, "-f", "audio", "--weeks", "1-3", "--tracks", "--athlete",
          "source/athletes/alex.yaml")
    return out / "alex" / "glute-program"


def folded(text: str) -> str:
    return re.sub(r"[ \u00a0]+", " ", text)


def sheet_days(path: Path) -> dict[tuple[int, str], str]:
    """The sheet as pdftotext lays it out, by training day (a day may take more pages)."""
    text = folded(subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                                 capture_output=True, text=True).stdout)
    out: dict[tuple[int, str], str] = {}
    key = None
    for page in text.split("\f"):
        found = re.search(r"Week (\d+), (\w+): ", page)
        if found:
            key = (int(found.group(1)), found.group(2))
        if key is not None:
            out[key] = out.get(key, "") + page
    return out


def set_rows(page: str, load: str, reps: int, rir: int | None) -> list[int]:
    """The set numbers of the rows printing this target (load, reps, reps in reserve)."""
    mark = "–" if rir is None else str(rir)
    pattern = rf"(?m)\s(\d+) {re.escape(load)} +{reps} +{re.escape(mark)}\s*$"
    return [int(n) for n in re.findall(pattern, page.replace("  ", " ").replace("  ", " "))
            if n]


def targets_tables(book: Path) -> dict[int, list[list[str]]]:
    """The e-book plan's target tables by week: each row's cells, as read."""
    with zipfile.ZipFile(book) as z:
        page = etree.fromstring(z.read("EPUB/program/plan.xhtml"))
    out = {}
    for table in page.iterfind(".//x:table", XHTML):
        caption = " ".join("".join(table.find("x:caption", XHTML).itertext()).split())
        found = re.fullmatch(r"Targets for week (\d+)", caption)
        if found:
            out[int(found.group(1))] = [
                [" ".join("".join(cell.itertext()).split()) for cell in row]
                for row in table.iterfind("x:tbody/x:tr", XHTML)]
    return out


# --- the sheet ------------------------------------------------------------------------------


def test_the_sheet_prints_each_set_s_target_every_week(alex: Path) -> None:
    """A page per training day and week, each set's row with its load, reps and reps in
    reserve; the deload week marked."""
    days = sheet_days(alex / SHEET)
    assert sorted(days) == sorted((w, d) for w in range(1, 5) for d in DAYS)
    for (week, day), page in days.items():
        workout, names = DAYS[day]
        assert f"Week {week}, {day}: {workout}" in page
        assert ("Deload week: fewer sets." in page) == (week == 4)
        for name in names:
            sets, reps, load, rir = TARGETS[week][name]
            rows = set_rows(page, load, reps, rir)
            assert rows == list(range(1, sets + 1)), (week, day, name, rows)


def test_without_an_athlete_percentages_print_as_such(plain: Path) -> None:
    days = sheet_days(plain / SHEET)
    for week, percent in WITHOUT_ATHLETE.items():
        sets, reps, _, _ = TARGETS[week]["Goblet Squat"]
        rows = set_rows(days[(week, "Thursday")], percent, reps, None)
        assert rows == list(range(1, sets + 1))
        assert " kg" not in days[(week, "Thursday")].split("Goblet Squat")[1].split("\n")[0]
    # a load rule is a load still: 60 kg in week 1, +5 kg a week, to the nearest 2.5 kg
    assert set_rows(days[(3, "Monday")], "70 kg", 8, 1) == [1, 2, 3]


def test_every_printed_load_can_be_loaded(alex: Path, plain: Path) -> None:
    """Alex's sheet: every load in a target cell is the bar and pairs of plates Alex has,
    or a dumbbell Alex owns; without an athlete, a multiple of the rounding step."""
    # every set of the hip thrust (3 + 3 + 3 + 2) and, for Alex, of the goblet squat too
    for folder, ok, count in ((alex, lambda kg: kg in LOADABLE, 11 + 12),
                              (plain, lambda kg: kg % 2.5 == 0, 11)):
        text = "\n".join(sheet_days(folder / SHEET).values())
        loads = [float(kg) for kg in re.findall(r"\s\d+ (\d+(?:\.\d+)?) kg +\d+ ", text)]
        assert len(loads) == count
        assert all(ok(kg) for kg in loads), loads


def test_the_sheet_is_tagged_and_clean(alex: Path) -> None:
    path = alex / SHEET
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], check=True,
                          capture_output=True, text=True).stdout
    roles = re.findall(r"^\s*(\w+)", tree, re.M)
    assert roles.count("Table") == 8 and roles.count("H2") == 8 and roles.count("H1") == 1
    assert "TH" in roles and "TD" in roles
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    assert "Tagged:          yes" in info and "For Alex" in info


# --- the e-book ------------------------------------------------------------------------------


def test_the_book_gives_each_week_s_targets(alex: Path, plain: Path) -> None:
    kick_reps = "10 per leg"
    for folder in (alex, plain):
        tables = targets_tables(folder / BOOK)
        assert sorted(tables) == [1, 2, 3, 4]
        for week, rows in tables.items():
            want = []
            for name in ("Barbell Hip Thrust", "Goblet Squat", KICK, "Glute Bridge"):
                sets, reps, load, rir = TARGETS[week][name]
                if name == "Goblet Squat" and folder is plain:
                    load = WITHOUT_ATHLETE[week]
                want.append([name, str(sets), kick_reps if name == KICK else str(reps), load,
                             "" if rir is None else str(rir)])
            assert rows == want, week


def test_the_book_says_each_rule_in_words(alex: Path, plain: Path) -> None:
    with zipfile.ZipFile(alex / BOOK) as z:
        plan = " ".join(etree.fromstring(z.read("EPUB/program/plan.xhtml")).itertext())
        package = z.read("EPUB/content.opf").decode()
        title_page = z.read("EPUB/titlepage.xhtml").decode()
    said = " ".join(folded(plan).split())
    for words in ("60 kg in week 1, then +5 kg a week",
                  "reps week by week: 10, 10, 8, and 8",
                  "65%, 70%, 75%, and 60% of the training max, week by week "
                  "(training max: 28 kg)",
                  "bands week by week: light, medium, medium, and light",
                  "10 to 14 reps, 2 more each week, then 10 again; the light band at first, "
                  "then the next band each time the reps start again",
                  "Deload week 4", "For Alex: loads are rounded to what Alex can load"):
        assert words in said, words
    assert '<meta property="dcterms:audience">For Alex</meta>' in package
    assert "For Alex" in title_page
    with zipfile.ZipFile(plain / BOOK) as z:
        plain_plan = " ".join(etree.fromstring(z.read("EPUB/program/plan.xhtml")).itertext())
    assert "TM: the training max" in " ".join(folded(plain_plan).split())


@pytest.mark.slow
def test_the_book_passes_epubcheck_and_ace(alex: Path, tmp_path: Path) -> None:
    from test_epub import _assert_epubcheck_clean, ace_violations, run_ace, run_epubcheck

    _assert_epubcheck_clean(run_epubcheck(alex / BOOK))
    report = run_ace(alex / BOOK, tmp_path)
    assert ace_violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"


# --- the guides ------------------------------------------------------------------------------


def cues(path: Path) -> list[str]:
    """The captions of a guide's WebVTT file, in order."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")[1:]
    return [" ".join(b.splitlines()[2:]) for b in blocks if b.strip()]


@pytest.mark.slow
def test_a_guide_per_training_day_opens_with_the_week_and_its_targets(guides: Path) -> None:
    names = sorted(p.name for p in guides.glob("*-guide.mp3"))
    assert names == sorted(f"glute-program-w{w}-{d.lower()}-guide.mp3"
                           for w in (1, 2, 3) for d in DAYS)
    for name in names:  # with --tracks, a playlist per training day and its tracks
        stem = name.removesuffix("-guide.mp3")
        playlist = (guides / f"{stem}.m3u8").read_text(encoding="utf-8")
        tracks = [line for line in playlist.splitlines() if line.endswith(".mp3")]
        assert tracks and all((guides / t).is_file() and t.startswith(f"{stem}-tracks/")
                              for t in tracks)
    for week in (1, 2, 3):
        for day, (_, exercises) in DAYS.items():
            said = [folded(c) for c in cues(guides / f"glute-program-w{week}-"
                                                     f"{day.lower()}-guide.vtt")]
            opening = [f"Week {week}, {day}."]
            for name in exercises:
                sets, reps, load, rir = TARGETS[week][name]
                dose = (f"{sets} sets of {reps} reps on each leg" if name == KICK else
                        f"{sets} sets of {reps} reps")
                extra = "" if rir is None else f", {rir} rep{'s' * (rir != 1)} in reserve"
                opening.append(f"{name}: {dose} {SPOKEN[load]}{extra}.")
            assert said[:len(opening)] == opening, (week, day)
            for name in exercises:  # each set is named with its target, spoken
                sets, reps, load, _ = TARGETS[week][name]
                spoken = SPOKEN[load].removeprefix("at ").removeprefix("with the ")
                side = ", left leg" if name == KICK else ""
                named = [c for c in said if c.startswith(f"{name}, set ")]
                assert named == [f"{name}, set {n} of {sets}{side}, {reps} reps, {spoken}."
                                 for n in range(1, sets + 1)], (week, name)
            assert not any(re.search(r"\d kg\b", c) for c in said)  # kilograms, said


@pytest.mark.slow
def test_the_guide_s_timeline_holds_the_targets_and_the_plan(guides: Path) -> None:
    data: dict[str, Any] = json.loads((guides / "glute-program-w3-monday-guide.timeline.json")
                                      .read_text(encoding="utf-8"))
    assert data["id"] == "glute-program-w3-monday"
    assert data["title"] == "Four weeks of glutes, week 3, Monday"
    texts = [s["text"] for s in data["segments"] if s["kind"] == "speech"]
    assert texts[1] == ("Barbell Hip Thrust: 3 sets of 8 reps at 70 kilograms, 1 rep in "
                        "reserve.")
    reps = [s for s in data["segments"] if s.get("role") == "lower" and s.get("rep")
            and s.get("exercise") == "A"]
    assert max(s["rep"] for s in reps) == 8  # week 3's reps, on the grid
