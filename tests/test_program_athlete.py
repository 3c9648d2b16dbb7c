"""A program built for an athlete (``--athlete``) and for some of its weeks (``--weeks``):
where the outputs go, what they are made from, and the athlete file as an input that is
never exported itself."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kickback_export", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


def rows(out: Path) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads((out / "manifest.json").read_text())["outputs"]
    return data


def test_each_athlete_s_outputs_go_to_a_folder_of_their_own(tmp_path: Path) -> None:
    for athlete, program in (("alex", "source/glute-program.yaml"),
                             ("sam", "source/pounds/hinge-program.yaml")):
        proc = run("build", program, "-o", str(tmp_path), "-f", "pdf", "--athlete",
                   f"source/athletes/{athlete}.yaml")
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.strip().endswith(f"→ {tmp_path / athlete / 'manifest.json'}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alex", "sam"]
    assert (tmp_path / "alex" / "glute-program" / "glute-program-sheet.pdf").is_file()
    assert (tmp_path / "sam" / "hinge-program" / "hinge-program-sheet.pdf").is_file()
    [row] = rows(tmp_path / "alex")
    assert "source/athletes/alex.yaml" in row["source"]  # what the sheet was made from


def test_a_changed_athlete_remakes_the_program_s_outputs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "source", src, ignore=shutil.ignore_patterns("pounds"))
    athlete = src / "athletes" / "alex.yaml"
    out = tmp_path / "out"

    def build() -> str:
        proc = run("build", str(src / "glute-program.yaml"), "-o", str(out), "-f", "pdf",
                   "--athlete", str(athlete))
        assert proc.returncode == 0, proc.stderr
        return proc.stderr

    assert "1 file(s) written" in build()
    assert "0 file(s) written, 1 unchanged" in build()
    athlete.write_text(athlete.read_text().replace("goblet-squat: 28", "goblet-squat: 32"))
    assert "1 file(s) written" in build()
    text = subprocess.run(["pdftotext", "-layout", str(out / "alex" / "glute-program" /
                                                        "glute-program-sheet.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    # 65 % of 32 kg is 20.8 kg: the 20 kg dumbbell (18 before, of 28 kg)
    assert "20 kg" in text.split("Week 1, Thursday")[1].split("Week 2")[0].replace("\xa0", " ")


def test_an_athlete_file_is_an_input_not_a_document(tmp_path: Path) -> None:
    """Named alone or in its folder it is read and checked, and nothing is made of it;
    ``build source`` does not go into ``source/athletes``."""
    proc = run("build", "source/athletes", "-o", str(tmp_path / "a"), "-q")
    assert proc.returncode == 0 and proc.stderr == ""
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").rglob("*.*"))
    proc = run("build", "source/athletes/alex.yaml", "-o", str(tmp_path / "b"), "-q")
    assert proc.returncode == 0
    assert proc.stderr.splitlines() == [
        "source/athletes/alex.yaml: a file of kind 'athlete' is an input, not exported: give "
        "it with --athlete"]
    proc = run("validate", "source/athletes")
    assert proc.returncode == 0 and proc.stderr.splitlines()[-1] == "2 valid, 0 problem(s)"
    proc = run("validate", "source")
    assert proc.returncode == 0, proc.stderr


def test_weeks_choose_the_sheet_s_pages(tmp_path: Path) -> None:
    proc = run("build", "source/glute-program.yaml", "-o", str(tmp_path), "-f", "pdf",
               "--weeks", "2,4")
    assert proc.returncode == 0, proc.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "glute-program" /
                                            "glute-program-sheet.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    days = [line for line in text.splitlines() if line.startswith("Week ")]
    assert days == ["Week 2, Monday: Thrust day", "Week 2, Thursday: Squat day",
                    "Week 4, Monday: Thrust day", "Week 4, Thursday: Squat day"]


def test_bad_weeks_are_one_line(tmp_path: Path) -> None:
    proc = run("build", "source/glute-program.yaml", "-o", str(tmp_path / "a"), "--weeks",
               "3-1")
    assert (proc.returncode, proc.stderr.splitlines()) == (
        2, ["--weeks: '3-1' is not weeks such as 1-3 or 1,3 (from 1 to 52)"])
    assert not (tmp_path / "a").exists()
    proc = run("build", "source/glute-program.yaml", "-o", str(tmp_path / "b"), "-q", "-f",
               "pdf", "--weeks", "5-6")
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "source/glute-program.yaml: --weeks 5, 6: 'glute-program' has 4 week(s)"]
    assert not (tmp_path / "b" / "glute-program").exists()


def test_an_athlete_in_other_units_is_converted_never_printed(tmp_path: Path) -> None:
    """Alex's numbers are in kilograms; a program in pounds takes them in pounds. By hand:
    Alex's hip thrust training max, 100 kg, is 100 / 0.45359237 = 220.46 lb; 70 % of it is
    154.32 lb. With the barbell, the nearest load Alex can make is 70 kg (20 kg bar, a pair
    of 20 and of 5 kg plates) = 154.32 lb, printed to 0.1 lb; the kickback's load, a rule
    without an implement, rounds to the program's 5 lb: 135 lb, written "61.2 kg"."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "source", src, ignore=shutil.ignore_patterns("pounds"))
    (src / "thrust-block.yaml").write_text("""\
kind: program
id: thrust-block
name: Thrust block
summary: One week in pounds for an athlete whose numbers are in kilograms.
units: lb
progression:
  - exercise: barbell-hip-thrust
    implement: barbell
    percent: 70
  - exercise: resistance-band-one-leg-kickback-bent-position
    load: {start: 61.2 kg}
weeks:
  - days: [{name: Monday, workout: thrust-day}]
""")
    proc = run("build", str(src / "thrust-block.yaml"), "-o", str(tmp_path / "out"), "-f",
               "pdf", "--athlete", str(src / "athletes" / "alex.yaml"))
    assert proc.returncode == 0, proc.stderr
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "out" / "alex" /
                                                        "thrust-block" / "thrust-block-sheet.pdf"),
                           "-"], check=True, capture_output=True, text=True).stdout
    text = " ".join(text.replace("\xa0", " ").split())
    assert "1 154.3 lb 10 –" in text and "1 135 lb 10 –" in text
    assert "kg" not in text


def test_the_athlete_schema_is_current() -> None:
    from kickback_export.document.schema import schema_text

    published = (ROOT / "schema" / "athlete.schema.json").read_text(encoding="utf-8")
    assert published == schema_text("athlete"), (
        "run: kickback-export schema --kind athlete -o schema/athlete.schema.json")
