"""A program in pounds prints and speaks pounds, everywhere: the sample
``source/pounds/hinge-program.yaml`` built for ``source/athletes/sam.yaml`` (whose numbers
are in pounds too), its targets worked out by hand here and read back from the sheet,
the e-book and a guide; no output says kilograms, though the deadlift's start is written
in kilograms (and converted).
"""

from __future__ import annotations

import ctypes.util
import itertools
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from test_brf import EN, body_lines
from test_progression import cues, folded, run, set_rows, sheet_days

FOLDER = "hinge-program"
XHTML = {"x": "http://www.w3.org/1999/xhtml"}

# Romanian deadlift, load {start: "60 kg", step: 10} in pounds: 60 kg is 60 / 0.45359237 =
#   132.28 lb; weeks 1 to 3 lift 132.28, 142.28 and 152.28 lb. Sam's bar is 45 lb with one
#   pair each of 45, 25, 10, 5 and 2.5 lb plates, so the nearest loads are 130 (45 + 2·42.5:
#   25 + 10 + 5 + 2.5), 140 (45 + 2·47.5: 45 + 2.5) and 150 (45 + 2·52.5) — the nearest
#   multiples of the 5 lb rounding too. Reps 8 (the exercise's); reps in reserve 3, 2, 3.
# Dumbbell step-up, percent [50, 55, 45] of Sam's training max, 60 lb: 30, 33 and 27 lb, to
#   the nearest dumbbell Sam owns (15 to 50 lb in steps of 5): 30, 35 and 25; reps 8, 10, 8.
# Deload week 3: 3 sets × 0.6 = 1.8 → 2 deadlift sets; 2 × 0.6 = 1.2 → 1 step-up set.
TARGETS = {
    1: {"Romanian Deadlift": (3, 8, "130 lb", 3), "Dumbbell Step-Up": (2, 8, "30 lb", None)},
    2: {"Romanian Deadlift": (3, 8, "140 lb", 2), "Dumbbell Step-Up": (2, 10, "35 lb", None)},
    3: {"Romanian Deadlift": (2, 8, "150 lb", 3), "Dumbbell Step-Up": (1, 8, "25 lb", None)},
}
PLATES = (45, 25, 10, 5, 2.5)
LOADABLE = {45 + 2 * sum(c) for k in range(len(PLATES) + 1)
            for c in itertools.combinations(PLATES, k)} | set(range(15, 51, 5))
KILOGRAMS = re.compile(r"\bkg\b|kilogram", re.IGNORECASE)


@pytest.fixture(scope="module")
def sam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every format of the program for Sam (the audio: the first week's guides)."""
    out = tmp_path_factory.mktemp("sam")
    for extra in (["-f", "pdf,epub,html,large-print,brf"], ["-f", "audio", "--weeks", "1"]):
        proc = run("build", "source/pounds/hinge-program.yaml", "-o", str(out), "-q",
                   "--athlete", "source/athletes/sam.yaml", *extra)
        assert proc.returncode == 0, proc.stderr
    return out / "sam" / FOLDER


def pdf_text(path: Path) -> str:
    return folded(subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                                 capture_output=True, text=True).stdout)


def test_the_sheet_prints_each_week_s_targets_in_pounds(sam: Path) -> None:
    days = sheet_days(sam / f"{FOLDER}-sheet.pdf")
    assert sorted(days) == [(w, d) for w in (1, 2, 3) for d in ("Saturday", "Tuesday")]
    for (week, _), page in days.items():
        for sets, reps, load, rir in TARGETS[week].values():
            assert set_rows(page, load, reps, rir) == list(range(1, sets + 1)), (week, load)
        loads = [float(n) for n in re.findall(r"\s\d+ (\d+(?:\.\d+)?) lb +\d+ ", page)]
        assert len(loads) == sum(t[0] for t in TARGETS[week].values())
        assert all(lb in LOADABLE for lb in loads), loads


def test_the_book_gives_the_targets_and_the_rule_in_pounds(sam: Path) -> None:
    with zipfile.ZipFile(sam / f"{FOLDER}.epub") as z:
        plan = etree.fromstring(z.read("EPUB/program/plan.xhtml"))
    said = " ".join(folded(" ".join(plan.itertext())).split())
    assert "130 lb in week 1, then +10 lb a week" in said
    assert "50%, 55%, and 45% of the training max, week by week (training max: 60 lb)" in said
    for week, targets in TARGETS.items():
        table = next(t for t in plan.iterfind(".//x:table", XHTML)
                     if "".join(t.find("x:caption", XHTML).itertext()) ==
                     f"Targets for week {week}")
        rows = [[" ".join("".join(c.itertext()).split()) for c in row]
                for row in table.iterfind("x:tbody/x:tr", XHTML)]
        assert rows == [[name, str(sets), f"{reps} per leg" if "Step" in name else str(reps),
                         load, "" if rir is None else str(rir)]
                        for name, (sets, reps, load, rir) in targets.items()]


def test_the_guide_speaks_pounds(sam: Path) -> None:
    said = [folded(c) for c in cues(sam / f"{FOLDER}-w1-tuesday-guide.vtt")]
    assert said[:3] == ["Week 1, Tuesday.",
                        "Romanian Deadlift: 3 sets of 8 reps at 130 pounds, 3 reps in reserve.",
                        "Dumbbell Step-Up: 2 sets of 8 reps on each leg at 30 pounds."]
    assert "Romanian Deadlift, set 2 of 3, 8 reps, 130 pounds." in said


def test_no_output_says_kilograms(sam: Path) -> None:
    """Every file of the program in pounds: no kg, no kilograms."""
    texts = {p.name: pdf_text(p) for p in sam.glob("*.pdf")}
    with zipfile.ZipFile(sam / f"{FOLDER}.epub") as z:
        texts.update({n: z.read(n).decode("utf-8") for n in z.namelist()
                      if n.endswith((".xhtml", ".opf", ".ncx"))})
    for path in [*sam.glob("*.html"), *sam.glob("*.vtt"), *sam.glob("*.json")]:
        texts[path.name] = path.read_text(encoding="utf-8")
    if ctypes.util.find_library("louis"):
        from kickback_export.engines.braille import louis

        body = " ".join(line.strip() for line in body_lines((sam / f"{FOLDER}.brf")
                                                            .read_bytes()))
        texts["brf"] = louis.back_translate(EN, body)
        assert "lb" in texts["brf"].lower()
    assert len(texts) > 10 and all(" lb" in t or "pounds" in t for n, t in texts.items()
                                   if n.endswith((".pdf", "plan.xhtml", ".vtt", ".html")))
    assert {name: KILOGRAMS.findall(text) for name, text in texts.items()
            if KILOGRAMS.search(text)} == {}
