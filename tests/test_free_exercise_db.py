"""The free-exercise-db importer on the real data: every instruction sentence lands in its
document, in order; nothing is invented; what cannot be imported is refused in one line.

``tests/free_exercise_db/`` holds a handful of the data set's exercises (public domain:
its LICENSE.md), with the photos of five, so these tests run anywhere; where the whole
data set is present (``../shared/datasets/free-exercise-db``) all 873 are imported too.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from same import same

from kickback_export import load
from kickback_export.document.importers.free_exercise_db import read_entries, slugs

from conftest import ROOT

FIXTURE = Path(__file__).parent / "free_exercise_db" / "exercises.json"
DATA_SET = ROOT.parent / "shared" / "datasets" / "free-exercise-db" / "exercises.json"
WORD = re.compile(r"[\w'’]+")
LABEL = re.compile(r"\bTips?(?::|(?= [A-Z]))")
"""A tip's label in the data ("Tip:", "Tips:", "Tip Ideally"); "the tip of your nose" is
not one."""


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kickback_export", "import", *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def lands_in_order(instructions: list[str], doc: dict[str, Any]) -> bool:
    """The instructions' words (labels aside) are the steps' words with each tip's words
    taken out where it stood, the tips in their order."""
    rest = words(LABEL.sub(" ", " ".join(instructions)))
    at = 0
    for tip in doc.get("tips", []):
        want = words(tip)
        found = next((i for i in range(at, len(rest) - len(want) + 1)
                      if rest[i:i + len(want)] == want), None)
        if found is None:
            return False
        del rest[found:found + len(want)]
        at = found
    return rest == words(" ".join(step["text"] for step in doc["steps"]))


def written(folder: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.yaml"))}


@pytest.fixture(scope="module")
def fixture_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("fedb") / "docs"
    return out, run("--from", "free-exercise-db", FIXTURE, "--all", "-o", out)


@pytest.fixture(scope="module")
def docs(fixture_import: tuple[Path, Any]) -> dict[str, dict[str, Any]]:
    return written(fixture_import[0])


def test_imports_the_fixture_and_refuses_the_exercise_without_instructions(
        fixture_import: tuple[Path, Any], docs: dict[str, dict[str, Any]]) -> None:
    out, proc = fixture_import
    assert proc.returncode == 0, proc.stderr
    entries = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert len(docs) == len(entries) - 1
    assert ("exercises.json: Iron_Cross: not written: no instructions (a document needs at "
            "least one step)") in proc.stderr.splitlines()
    assert proc.stderr.splitlines()[-1] == (
        f"{len(entries)} exercise(s): {len(entries) - 1} written, 1 refused → {out}")
    for path in sorted(out.glob("*.yaml")):
        assert load(path).steps  # every written file is a valid document, pictures and all


def test_every_instruction_sentence_lands_in_order(docs: dict[str, dict[str, Any]]) -> None:
    entries = read_entries(FIXTURE)
    for entry, slug in zip(entries, slugs(entries), strict=True):
        if slug in docs:
            assert lands_in_order(entry.instructions, docs[slug]), slug


def test_tip_sentences_move_to_tips_without_their_label(
        docs: dict[str, dict[str, Any]]) -> None:
    assert docs["decline-reverse-crunch"]["tips"] == [
        "Your legs should be fully extended with a slight bend on the knee."]
    curl = docs["alternate-incline-dumbbell-curl"]
    assert curl["tips"] == ["Keep the elbows close to the torso.",
                            "Only the forearms should move."]
    # "torso.This" in the data: the space is restored, the sentence stays in its step
    assert curl["steps"][0]["text"].endswith("at arms length. This will be your starting "
                                             "position.")
    # a label left at the end of a paragraph ("… deltoids. Tips:") heads the next sentence
    inner = docs["seated-dumbbell-inner-biceps-curl"]
    assert inner["tips"] == ["Only the forearms should move."]
    assert inner["steps"][2]["text"].endswith("outer deltoids.")
    assert inner["steps"][3]["text"].startswith("Continue the movement")
    pullover = docs["front-raise-and-pullover"]  # "head . (Tip: the bar will travel …)."
    assert pullover["tips"] == ["the bar will travel approximately 180-degrees."]
    assert "above your head. At this point" in pullover["steps"][2]["text"]
    assert not any("Tip" in s["text"] for d in docs.values() for s in d["steps"])


def test_spacing_is_repaired_with_whitespace_only(docs: dict[str, dict[str, Any]]) -> None:
    entries = {e.id: e for e in read_entries(FIXTURE)}
    squat = docs["barbell-squat-to-a-bench"]  # an empty paragraph in the data is skipped
    source = [p for p in entries["Barbell_Squat_To_A_Bench"].instructions if p]
    assert len(squat["steps"]) == len(source)
    for entry_id in ("Lower_Back_Curl", "Overhead_Triceps", "Bodyweight_Walking_Lunge"):
        doc = docs[entry_id.lower().replace("_", "-")]
        assert ["".join(p.split()) for p in entries[entry_id].instructions] == [
            "".join(s["text"].split()) for s in doc["steps"]]


def test_fields_are_mapped_and_nothing_is_invented(docs: dict[str, dict[str, Any]]) -> None:
    for doc in docs.values():
        assert not {"summary", "overview", "prescription", "faq"} & set(doc)
        assert not any("cue" in step for step in doc["steps"])
        assert doc["language"] == "en"
    assert docs["overhead-triceps"]["level"] == "advanced"  # "expert" in the data
    lunge = docs["bodyweight-walking-lunge"]  # equipment null in the data
    assert "equipment" not in lunge
    assert docs["forward-drag-with-press"].get("equipment") is None  # "other" names nothing
    assert docs["lower-back-curl"]["equipment"] == ["body only"]
    assert docs["lower-back-curl"]["muscles"] == {"primary": [{"name": "abdominals"}]}
    assert docs["alternate-incline-dumbbell-curl"]["muscles"]["secondary"] == [
        {"name": "forearms"}]


def test_the_header_says_what_was_left_out_changed_and_must_be_reviewed(
        fixture_import: tuple[Path, Any]) -> None:
    out, proc = fixture_import
    head = [ln for ln in (out / "bodyweight-walking-lunge.yaml").read_text().splitlines()
            if ln.startswith("#")]
    text = " ".join(ln.lstrip("# ") for ln in head)
    assert "Imported from free-exercise-db, exercise Bodyweight_Walking_Lunge" in text
    assert "summary, overview, cues and prescription (the data set has none)" in text
    assert "equipment (none in the data)" in text
    assert "Review: the alt text of the 2 picture(s)" in text
    assert f"wrote {out / 'bodyweight-walking-lunge.yaml'} (left out equipment (none in the " \
           "data))" in proc.stderr
    assert f"wrote {out / 'alternate-incline-dumbbell-curl.yaml'} (2 of 2 picture(s) " \
           "referenced but absent)" in proc.stderr


def test_photos_are_copied_beside_the_document_with_caption_credit_and_alt(
        fixture_import: tuple[Path, Any], docs: dict[str, dict[str, Any]]) -> None:
    out, _ = fixture_import
    images = docs["decline-reverse-crunch"]["images"]
    assert [i["file"] for i in images] == ["decline-reverse-crunch/0.jpg",
                                           "decline-reverse-crunch/1.jpg"]
    assert [i["caption"] for i in images] == ["Start position", "End position"]
    assert images[0]["alt"] == "Decline Reverse Crunch, start position."
    assert {i["credit"] for i in images} == {"free-exercise-db"}
    assert {i["license"] for i in images} == {"public domain, the Unlicense"}
    source = FIXTURE.parent / "exercises" / "Decline_Reverse_Crunch"
    for n in (0, 1):
        copied = out / "decline-reverse-crunch" / f"{n}.jpg"
        assert same(copied, source / f"{n}.jpg")
    assert "images" not in docs["alternate-incline-dumbbell-curl"]  # absent in the copy


def test_ids_are_slugs_and_collisions_resolve_in_file_order(tmp_path: Path) -> None:
    entries = json.loads(FIXTURE.read_text(encoding="utf-8"))
    lunge = next(e for e in entries if e["id"] == "Bodyweight_Walking_Lunge")
    twins = [{**lunge, "id": "3_4_Sit-Up", "images": []},
             {**lunge, "id": "3-4-Sit_Up", "images": []}]
    data = tmp_path / "exercises.json"
    data.write_text(json.dumps(twins), encoding="utf-8")
    proc = run("--from", "free-exercise-db", data, "--id", "3-4-Sit_Up", "-o", tmp_path / "a")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["3-4-sit-up-2.yaml"]
    proc = run("--from", "free-exercise-db", data, "--all", "-o", tmp_path / "b")
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "3-4-sit-up-2.yaml", "3-4-sit-up.yaml"]


def test_existing_files_are_kept_unless_forced(tmp_path: Path) -> None:
    args = ("--from", "free-exercise-db", FIXTURE, "--id", "Lower_Back_Curl", "-o", tmp_path)
    assert run(*args).returncode == 0
    target = tmp_path / "lower-back-curl.yaml"
    target.write_text("# mine\n", encoding="utf-8")
    again = run(*args)
    assert again.returncode == 2
    assert f"{target}: not written: already exists (use --force to overwrite)" in again.stderr
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert run(*args, "--force").returncode == 0
    assert load(target).name == "Lower Back Curl"


def test_a_picture_path_leaving_the_data_set_is_left_out(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"\xff\xd8\xff" + b"private")
    entries = json.loads(FIXTURE.read_text(encoding="utf-8"))
    curl = next(e for e in entries if e["id"] == "Lower_Back_Curl")
    data = tmp_path / "set" / "exercises.json"
    data.parent.mkdir()
    (data.parent / "link.jpg").symlink_to(secret)
    curl = {**curl, "images": ["../secret.jpg", str(secret), "link.jpg"]}
    data.write_text(json.dumps([curl]), encoding="utf-8")
    proc = run("--from", "free-exercise-db", data, "--all", "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert "images" not in written(tmp_path / "out")["lower-back-curl"]
    assert not list((tmp_path / "out").glob("*/*"))
    assert proc.stderr.count("points outside the data set's folder") == 3


# --- bad input: one line, exit 2, nothing written -----------------------------------------

LUNGE = {"id": "Lunge", "name": "Lunge", "instructions": ["Step forward."]}
BAD: dict[str, tuple[bytes, tuple[str, ...], str]] = {
    "not-json": (b"[{\"id\": ", (), "exercises.json:1: not JSON: Expecting value (column 9)"),
    "not-utf8": (b"[\"\xff\"]", (), "exercises.json: not UTF-8 text (byte 0xff at offset 2)"),
    "top-level-object": (b'{"id": "x"}', (), "exercises.json: the top level is an object, "
                         "expected a list of exercises (free-exercise-db's exercises.json)"),
    "entry-not-object": (b'[1]', (), "exercises.json: [0]: entry: Input should be a valid "
                         "dictionary or instance of Entry"),
    "name-missing": (json.dumps([{"id": "a", "instructions": []}]).encode(), (),
                     "exercises.json: [0] a: name: Field required"),
    "instructions-not-list": (
        json.dumps([{**LUNGE, "instructions": "Step."}]).encode(), (),
        "exercises.json: [0] Lunge: instructions: Input should be a valid list"),
    "muscle-not-text": (json.dumps([{**LUNGE, "primaryMuscles": [3]}]).encode(), (),
                        "exercises.json: [0] Lunge: primaryMuscles.0: Input should be a "
                        "valid string"),
    "unknown-id": (json.dumps([LUNGE]).encode(), ("--id", "Lunges"),
                   "--id: no exercise 'Lunges' in exercises.json — did you mean 'Lunge'?"),
    "no-selection": (json.dumps([LUNGE]).encode(), ("--id",), "--from free-exercise-db: name "
                     "the exercises with --id ID … or take them all with --all"),
    "output-is-a-file": (json.dumps([LUNGE]).encode(), ("-o", "taken"),
                         "taken: is a file, expected the folder to write documents into"),
    "unknown-importer": (json.dumps([LUNGE]).encode(), ("--from", "free-exercise"),
                         "--from: unknown importer 'free-exercise' — did you mean "
                         "'free-exercise-db'? (known: free-exercise-db, page)"),
    "all-refused": (json.dumps([{**LUNGE, "instructions": [" "]}]).encode(), (), ""),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line_exit_2_and_writes_nothing(case: str, tmp_path: Path) -> None:
    content, extra, message = BAD[case]
    (tmp_path / "exercises.json").write_bytes(content)
    (tmp_path / "taken").write_text("a file\n", encoding="utf-8")
    args = ["--from", "free-exercise-db", "exercises.json", "--all", "-o", "out"]
    if extra == ("--id",):
        args.remove("--all")
    elif extra[:1] == ("--from",):
        args[1] = extra[1]
    elif extra[:1] == ("-o",):
        args[-1] = extra[1]
    elif extra:
        args = [a for a in args if a != "--all"] + list(extra)
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    if case == "all-refused":
        assert proc.stderr.splitlines() == [
            "exercises.json: Lunge: not written: its instructions are empty (a document "
            "needs at least one step)"]
    else:
        assert proc.stderr.splitlines() == [message]
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- the whole data set, where it is present ---------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    if not DATA_SET.is_file():
        pytest.skip(f"the free-exercise-db data set is not at {DATA_SET.parent}")
    out = tmp_path_factory.mktemp("corpus")
    yield out, run("--from", "free-exercise-db", DATA_SET, "--all", "-o", out, "-q")


def test_the_whole_data_set_imports_with_every_sentence_in_order(
        corpus: tuple[Path, Any]) -> None:
    out, proc = corpus
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    entries = read_entries(DATA_SET)
    refused = {ln.split(": ")[1]: ln for ln in proc.stderr.splitlines()
               if ": not written: " in ln}
    assert len(entries) == 873
    for entry, slug in zip(entries, slugs(entries), strict=True):
        path = out / f"{slug}.yaml"
        if entry.id in refused:
            assert not path.exists()
            assert re.fullmatch(rf"exercises\.json: {re.escape(entry.id)}: not written: .+",
                                refused[entry.id])
            continue
        doc = load(path)  # valid, pictures included
        data = doc.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        assert lands_in_order(entry.instructions, data), entry.id
    assert len(refused) == 5  # the five exercises without instructions
    assert sum(1 for _ in out.glob("*/*.jpg")) == 120  # the 60 with photos in the copy


# --- imported documents in every format ----------------------------------------------------

BUILT = ("decline-reverse-crunch", "bodyweight-walking-lunge")  # both with their two photos


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two imported documents with photos, built in every format by the command line."""
    root = tmp_path_factory.mktemp("fedb-build")
    proc = run("--from", "free-exercise-db", FIXTURE, "--id", "Decline_Reverse_Crunch",
               "--id", "Bodyweight_Walking_Lunge", "-o", root / "docs")
    assert proc.returncode == 0, proc.stderr
    done = subprocess.run([sys.executable, "-m", "kickback_export", "build", str(root / "docs"),
                           "-o", str(root / "out"), "--jobs", "2"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return root / "out"


@pytest.mark.slow
def test_imported_documents_build_in_every_format(built: Path) -> None:
    import wave

    for slug in BUILT:
        doc = load(built.parent / "docs" / f"{slug}.yaml")
        first_step = " ".join(words(doc.steps[0].text)[:6])
        folder = built / slug
        pdfs = sorted(p.name for p in folder.glob("*.pdf"))
        assert {f"{slug}-card.pdf", f"{slug}-large-print.pdf"} <= set(pdfs)
        for pdf in pdfs:
            subprocess.run(["qpdf", "--check", str(folder / pdf)], check=True,
                           capture_output=True)
            text = subprocess.run(["pdftotext", str(folder / pdf), "-"], check=True,
                                  capture_output=True, text=True).stdout
            assert first_step in " ".join(words(text)), pdf
            assert "unspecified" not in text
        page = (folder / f"{slug}.html").read_text(encoding="utf-8")
        assert doc.name in page and "unspecified" not in page
        assert set((folder / f"{slug}.brf").read_bytes()) <= set(range(0x20, 0x60)) | {10, 12, 13}
        with wave.open(str(folder / f"{slug}-guide.wav"), "rb") as w:
            assert w.getnframes() / w.getframerate() > 10  # every step read aloud


@pytest.mark.slow
def test_imported_epubs_pass_epubcheck_and_ace(built: Path, tmp_path: Path) -> None:
    from test_epub import _assert_epubcheck_clean, ace_violations, run_ace, run_epubcheck

    for slug in BUILT:
        epub = built / slug / f"{slug}.epub"
        _assert_epubcheck_clean(run_epubcheck(epub))
        report = run_ace(epub, tmp_path / slug)
        assert ace_violations(report) == []


# --- the page importer, the other plug-in ---------------------------------------------------

PAGE = """Wall Sit

Sit against a wall with your thighs level. Hold it.

Instructions
- Stand with your back to a wall.
- Slide down until your knees are bent at a right angle.

Tips & Tricks
- Breathe steadily.

Frequently Asked Questions
How long?
As long as you can keep good form.
"""


def test_the_page_importer_is_the_default_and_leaves_out_muscles_it_cannot_read(
        tmp_path: Path) -> None:
    page = tmp_path / "wall-sit.txt"
    page.write_text(PAGE, encoding="utf-8")
    proc = run(page, "-o", tmp_path / "docs")
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / "docs" / "wall-sit.yaml"
    assert proc.stderr.splitlines() == [f"wrote {target} (check: equipment, level)"]
    text = target.read_text(encoding="utf-8")
    header = " ".join(ln.removeprefix("# ") for ln in text.splitlines() if ln.startswith("#"))
    assert ("Left out: muscles (the page does not name them); summary (the page has none; "
            "its overview opens the document)." in header)
    data = yaml.safe_load(text)
    assert "muscles" not in data and "summary" not in data and "unspecified" not in text
    assert load(target).muscles is None
    same = run("--from", "page", page, "-o", "-")
    assert same.returncode == 0 and same.stdout == text
    refused = run(page, "--all", "-o", tmp_path / "other")
    assert refused.returncode == 2 and refused.stderr.startswith("--id/--all: a page is one")
    assert not (tmp_path / "other").exists()


def test_an_importer_from_another_package_is_used_through_its_entry_point(
        tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    from test_cli import install
    from test_cli import run as run_cli

    plugin = install(tmp_path_factory, Path(__file__).parent / "importer_pkg")
    source = tmp_path / "list.txt"
    source.write_text("Wall Sit: Lean on a wall. Hold.\nPlank:\nSquat: Step one.\n",
                      encoding="utf-8")
    proc = run_cli(["import", "--from", "lines", str(source), "-o", str(tmp_path / "out")],
                   plugin)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        "list.txt:2: not written: no steps after the name",
        f"3 exercise(s): 2 written, 1 refused → {tmp_path / 'out'}"]
    assert load(tmp_path / "out" / "wall-sit.yaml").steps[1].text == "Hold."
    assert "# Imported from list.txt, line 1.\n# Left out: everything but the name and " \
           "steps.\nid: wall-sit\n" in (tmp_path / "out" / "wall-sit.yaml").read_text()
    typo = run_cli(["import", "--from", "line", str(source)], plugin)
    assert typo.returncode == 2
    assert typo.stderr == ("--from: unknown importer 'line' — did you mean 'lines'? (known: "
                           "free-exercise-db, lines, page)\n")
