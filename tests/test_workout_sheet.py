"""The visual outputs of a workout: the sheet (a tagged table with a log grid), the cue
cards imposed after it, large print, braille and the web page.

Each output is built once per module from two workouts (a "Glute day" of every block
kind, and twenty exercises in a row for a sheet that must go on to a second page) and
read back with the real tools: poppler's pdftotext and pdfinfo, qpdf, liblouis
back-translation, the Nu HTML Checker and axe-core.
"""

from __future__ import annotations

import copy
import ctypes.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_brf import EN, body_lines
from test_large_print import shown_text
from webcheck import axe_reports, nu_messages, nu_problems
from workouts import SOURCE_DIR, resolved_workout

from kickback_export import Exercise, load
from kickback_export.build import pipeline as build
from kickback_export.content.phrases import ENV
from kickback_export.content.text import text_of
from kickback_export.content.workout_list import workout_text
from kickback_export.document.workout import ResolvedWorkout, Workout
from kickback_export.engines.braille import louis
from kickback_export.errors import OptionError, exit_code
from kickback_export.exporters.brf import BrfExporter
from kickback_export.exporters.html import HtmlExporter, HtmlIndex
from kickback_export.exporters.large_print import LargePrintExporter
from kickback_export.exporters.pdf import PdfExporter
from kickback_export.registry import Options, check_values

from pdfcheck import run
from test_pseudo_locale import (
    DOCUMENT,
    LANG,
    english_messages,
    fragments,
    pseudo,
    texts,
    write_pseudo_catalog,
)

LONG_NAME = ("Single-leg hip thrust with a long resistance band looped around both knees "
             "and a pause at the top")
BILATERAL = {"sets": 3, "reps": 12, "sides": "none", "tempo": {"kick": 1, "hold": 1,
             "return": 2}, "rest": 60, "load": "heavy mini band"}
TIMED = {"sets": 2, "time": 30, "sides": "none", "rest": 30}
LOG_WORDS = ("Weight", "Reps", "RIR")


def variant(seed: dict[str, Any], **changes: Any) -> Exercise:
    data = copy.deepcopy(seed)
    data.update(changes)
    return Exercise.model_validate(data)


def folded(text: str) -> str:
    return " ".join(text.split())


# --- the structure tree as pdfinfo prints it ---------------------------------------------


@dataclass
class Elem:
    role: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str = ""
    kids: list[Elem] = field(default_factory=list)

    def walk(self) -> Iterator[Elem]:
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def find(self, role: str) -> list[Elem]:
        return [e for e in self.walk() if e.role == role]


def structure(path: Path) -> Elem:
    """Parse ``pdfinfo -struct-text``: elements by indentation, ``/Key value`` attribute
    lines, quoted text (a leaf's lines joined)."""
    root = Elem("(root)")
    stack: list[tuple[int, Elem]] = [(-1, root)]
    for line in run("pdfinfo", "-struct-text", path).splitlines():
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        if not body:
            continue
        if body.startswith('"'):
            stack[-1][1].text += body[1:-1]
        elif body.startswith("/"):
            key, _, value = body[1:].partition(" ")
            stack[-1][1].attrs[key] = value
        else:
            while stack[-1][0] >= indent:
                stack.pop()
            elem = Elem(body.split()[0].rstrip(":"))
            stack[-1][1].kids.append(elem)
            stack.append((indent, elem))
    return root


# --- shared builds -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def exercises(seed_doc: Exercise, seed_data: dict[str, Any]) -> dict[str, Exercise]:
    made = [
        seed_doc,  # 3 × 12 per leg with tempo
        variant(seed_data, id="glute-bridge", name="Glute bridge", prescription=BILATERAL),
        variant(seed_data, id="plank", name="Plank", prescription=TIMED),
        variant(seed_data, id="hip-thrust", name=LONG_NAME, prescription=BILATERAL),
    ]
    made += [variant(seed_data, id=f"station-{n:02d}", name=f"Station {n:02d} squat",
                     prescription={**BILATERAL, "sets": 2}) for n in range(1, 21)]
    return {e.id: e for e in made}


@pytest.fixture(scope="module")
def glute_day(exercises: dict[str, Exercise]) -> ResolvedWorkout:
    kick = "resistance-band-one-leg-kickback-bent-position"
    doc = Workout.model_validate({
        "kind": "workout", "id": "glute-day", "name": "Glute day",
        "summary": "Four glute exercises: a kickback, a superset and a timed circuit.",
        "notes": ["Add one rep a week; deload in week 4."],
        "warm_up": [{"name": "March in place", "seconds": 60}],
        "blocks": [
            {"exercise": kick},
            {"superset": [{"exercise": "glute-bridge"}, {"exercise": "hip-thrust", "reps": 8}],
             "transition": 15, "rest": 90},
            {"circuit": [{"exercise": "plank", "time": 40}, {"exercise": "glute-bridge",
                                                             "time": 30}],
             "rounds": 3, "rest": 10, "round_rest": 60},
        ],
        "cool_down": [{"name": "Hip flexor stretch", "seconds": 45}],
    })
    return ResolvedWorkout(doc, exercises)


@pytest.fixture(scope="module")
def twenty(exercises: dict[str, Exercise]) -> ResolvedWorkout:
    doc = Workout.model_validate({
        "kind": "workout", "id": "twenty", "name": "Twenty stations", "summary": "A long list.",
        "blocks": [{"exercise": f"station-{n:02d}"} for n in range(1, 21)]})
    return ResolvedWorkout(doc, exercises)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workout")


def _export(exporter: Any, workout: ResolvedWorkout, out: Path, name: str, **options: Any
            ) -> dict[str, Path]:
    folder = out / name
    return {o.path.name: o.path
            for o in exporter.export(text_of(workout), folder, Options(options))}


@pytest.fixture(scope="module")
def pdfs(glute_day: ResolvedWorkout, twenty: ResolvedWorkout, out: Path) -> dict[str, Path]:
    """The sheets: Glute day with the default four weeks and with the cards on A4, with two
    weeks on Letter, and the twenty-exercise workout."""
    made = _export(PdfExporter(), glute_day, out, "default", sheet="a4")
    two = _export(PdfExporter(), glute_day, out, "two", log_weeks=2, sheet="letter")
    long = _export(PdfExporter(), twenty, out, "twenty")
    duplex = _export(PdfExporter(), glute_day, out, "duplex", sheet="a4", duplex=True)
    return {"sheet": made["glute-day-workout.pdf"], "cards": made["glute-day-cards-a4.pdf"],
            "two": two["glute-day-workout.pdf"], "twenty": long["twenty-workout.pdf"],
            "duplex": duplex["glute-day-cards-a4.pdf"]}


@pytest.fixture(scope="module")
def sheet_tree(pdfs: dict[str, Path]) -> Elem:
    return structure(pdfs["sheet"])


@pytest.fixture(scope="module")
def sheet_text(pdfs: dict[str, Path]) -> str:
    return folded(run("pdftotext", "-raw", pdfs["sheet"], "-"))


# --- the sheet ---------------------------------------------------------------------------


def test_pdftotext_shows_every_exercise_label_and_prescription(
        sheet_text: str, glute_day: ResolvedWorkout) -> None:
    text = workout_text(glute_day)
    for group in text.blocks:
        for row in group.rows:
            assert row.label and row.label in sheet_text.split()
            for value in (row.name, row.dose, row.tempo, row.rest, row.load):
                assert folded(value) in sheet_text, value
    for line in ("Glute day", text.length, "Date:", "Notes:",
                 "Warm-up: March in place, 60 s", "Cool-down: Hip flexor stretch, 45 s",
                 "Block B: superset of 3 rounds, rest 90 seconds after each round",
                 "Block C: circuit of 3 rounds, rest 60 seconds between rounds",
                 "3 × 12 reps per leg, left first", "3 × 8 reps", "3 × 40 s",
                 "kick 1 s · squeeze 1 s · lower 2 s", "heavy mini band",
                 "C2 Glute bridge 3 × 30 s – 60 s"):  # the last station: the round rest
        assert line in sheet_text, line
    assert LONG_NAME in sheet_text  # wrapped inside its cell, every word kept


def test_the_log_grid_is_empty_cells_under_week_headers(
        pdfs: dict[str, Path], sheet_tree: Elem) -> None:
    layout = run("pdftotext", "-layout", pdfs["sheet"], "-")
    header = next(line for line in layout.splitlines() if "Week 1" in line)
    assert re.findall(r"Week \d", header) == ["Week 1", "Week 2", "Week 3", "Week 4"]
    assert all(layout.count(word) >= 4 for word in LOG_WORDS)
    (table,) = sheet_tree.find("Table")
    body = table.kids[2:]
    # 3 (kickback) + 3 + 3 (superset) + 3 + 3 (circuit rounds) set rows
    assert len(body) == 15
    for tr in body:
        tds = [c for c in tr.kids if c.role == "TD"]
        log = tds[-12:]  # four weeks × weight, reps, RIR
        assert [c.text for c in log] == [""] * 12
        assert tds[-13].text in ("1", "2", "3")  # the set number before them


def test_pdfinfo_struct_shows_a_table_with_scoped_headers(sheet_tree: Elem) -> None:
    (doc,) = sheet_tree.kids
    assert doc.role == "Document"
    assert [k.role for k in doc.kids][:2] == ["H1", "P"] and doc.kids[0].text == "Glute day"
    (table,) = doc.find("Table")
    assert {k.role for k in table.kids} == {"TR"}
    head1, head2 = table.kids[:2]
    assert [c.text for c in head1.kids] == ["Block", "Exercise", "Sets × reps", "Tempo", "Rest",
                                            "Load", "Set", "Week 1", "Week 2", "Week 3",
                                            "Week 4"]
    assert all(c.role == "TH" and c.attrs["Scope"] == "/Column" for c in head1.kids + head2.kids)
    assert [c.attrs.get("RowSpan") for c in head1.kids[:7]] == ["2"] * 7
    assert [c.attrs.get("ColSpan") for c in head1.kids[7:]] == ["3"] * 4
    assert [c.text for c in head2.kids] == list(LOG_WORDS) * 4
    names = [c for c in table.find("TH") if c.attrs.get("Scope") == "/Row"]
    assert [c.text for c in names] == ["Resistance Band One Leg Kickback (Bent Position)",
                                       "Glute bridge", LONG_NAME, "Plank", "Glute bridge"]
    assert [c.attrs["RowSpan"] for c in names] == ["3"] * 5


def test_title_language_and_tagging(pdfs: dict[str, Path]) -> None:
    for which in ("sheet", "twenty", "cards"):
        info = run("pdfinfo", pdfs[which])
        assert re.search(r"^Tagged:\s+yes$", info, re.M)
    info = run("pdfinfo", pdfs["sheet"])
    assert re.search(r"^Title:\s+Glute day$", info, re.M)
    assert re.search(r"^Page size:\s+841.89 x 595.276 pts \(A4\)$", info, re.M)  # landscape
    meta = run("pdfinfo", "-meta", pdfs["sheet"])
    assert "<rdf:li>en</rdf:li>" in meta


def test_qpdf_finds_no_errors(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "No syntax or stream encoding errors" in proc.stdout


def test_nothing_drawn_outside_the_margins(pdfs: dict[str, Path]) -> None:
    """Every word's box lies inside the page less a 10 mm edge: nothing is cut off."""
    edge = 10 / 25.4 * 72
    for which in ("sheet", "two", "twenty"):
        html = run("pdftotext", "-bbox", pdfs[which], "-")
        pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
        assert pages
        for width, height, words in pages:
            for box in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                  r'yMax="([\d.]+)"', words):
                x0, y0, x1, y1 = map(float, box)
                assert edge <= x0 and x1 <= float(width) - edge, (which, box)
                assert edge <= y0 and y1 <= float(height) - edge, (which, box)


def test_twenty_exercises_continue_with_the_header_repeated(
        pdfs: dict[str, Path], twenty: ResolvedWorkout) -> None:
    path = pdfs["twenty"]
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", path), re.M).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    page2 = run("pdftotext", "-layout", "-f", "2", "-l", "2", path, "-")
    header = next(line for line in page2.splitlines() if "Week 1" in line)
    assert all(w in header for w in ("Block", "Exercise", "Tempo", "Week 4"))
    assert "Page 2 of" in page2
    on_page = {n: run("pdftotext", "-f", str(n), "-l", str(n), path, "-")
               for n in range(1, pages + 1)}
    for k in range(1, 21):  # every exercise exactly once, on exactly one page
        name = f"Station {k:02d} squat"
        assert sum(text.count(name) for text in on_page.values()) == 1, name
    # the repeat is an artifact: the structure holds the header rows once
    table = structure(path).find("Table")[0]
    assert len([c for c in table.find("TH") if c.attrs.get("Scope") == "/Column"]) == 7 + 4 + 12


def test_log_weeks_changes_the_columns(pdfs: dict[str, Path]) -> None:
    layout = run("pdftotext", "-layout", pdfs["two"], "-")
    assert "Week 2" in layout and "Week 3" not in layout
    info = run("pdfinfo", pdfs["two"])
    assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)$", info, re.M)  # fits upright
    table = structure(pdfs["two"]).find("Table")[0]
    for tr in table.kids[2:]:
        assert [c.text for c in tr.kids if c.role == "TD"][-6:] == [""] * 6
    assert [c.text for c in table.kids[1].kids] == list(LOG_WORDS) * 2


@pytest.mark.parametrize(("weeks", "message"), [
    (0, "--log-weeks: 0 is not a number of weeks (1 or more)"),
    (9, "--log-weeks: 9 weeks of log do not fit across the a4 sheet, even sideways (at most 5)"),
])
def test_bad_log_weeks_is_one_line_and_writes_nothing(
        glute_day: ResolvedWorkout, tmp_path: Path, weeks: int, message: str) -> None:
    with pytest.raises(OptionError) as err:  # as the registry checks it, or as it is fitted
        values = check_values([PdfExporter()], {"log_weeks": weeks})
        PdfExporter().export(text_of(glute_day), tmp_path, Options(values))
    assert str(err.value) == message and exit_code(err.value) == 2
    assert not list(tmp_path.iterdir())


def bookmarks(path: Path) -> list[tuple[str, int]]:
    """(title, page index) of each top-level bookmark."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        pages = [p.objgen for p in pdf.pages]
        with pdf.open_outline() as outline:
            return [(str(item.title), pages.index(item.destination[0].objgen))
                    for item in outline.root]


def test_cards_of_every_exercise_follow_on_sheets(
        pdfs: dict[str, Path], glute_day: ResolvedWorkout) -> None:
    ids = glute_day.workout.exercise_ids()
    names = [glute_day.exercises[i].name for i in ids]
    (doc,) = structure(pdfs["cards"]).kids
    sections = [k for k in doc.kids if k.role == "Sect"]
    assert [s.find("H1")[0].text for s in sections] == names  # each card once, in order
    text = folded(run("pdftotext", pdfs["cards"], "-"))
    for i in ids:
        for step in glute_day.exercises[i].steps:
            assert folded(step.text) in text  # the back: every step, nothing left out
    marks = bookmarks(pdfs["cards"])
    assert [t.split(": ")[0] for t, _ in marks] == sorted(
        (t.split(": ")[0] for t, _ in marks), key=names.index)
    assert {t.split(": ")[0] for t, _ in marks} == set(names)


def test_duplex_cards_start_every_card_on_a_front(
        pdfs: dict[str, Path], glute_day: ResolvedWorkout) -> None:
    """A card with an odd number of sides is followed by a blank slot, so the next card's
    first side is never printed behind another card: it is on a sheet of fronts (the
    1st, 3rd … page), as a single card's first side is."""
    marks = bookmarks(pdfs["duplex"])
    sides = {len([t for t, _ in marks if t.startswith(f"{n}: ")])
             for n in (glute_day.exercises[i].name for i in glute_day.workout.exercise_ids())}
    assert any(n % 2 for n in sides)  # the padding is really needed here
    assert all(title and not title.endswith(": ") for title, _ in marks)
    firsts = [(t, page) for t, page in marks if " 1/" in t]  # each card's first side
    assert len(firsts) == len(glute_day.workout.exercise_ids())
    assert all(page % 2 == 0 for _, page in firsts), firsts


# --- large print, braille, web -----------------------------------------------------------


@pytest.fixture(scope="module")
def large_print(glute_day: ResolvedWorkout, out: Path) -> Path:
    return _export(LargePrintExporter(), glute_day, out, "lp")["glute-day-large-print.pdf"]


def test_large_print_is_a_list_at_18_points_and_up(
        large_print: Path, glute_day: ResolvedWorkout) -> None:
    shown = list(shown_text(large_print))
    assert shown and min(s.size for s in shown) >= 18 - 1e-6
    text = folded(run("pdftotext", "-raw", large_print, "-"))
    for group in workout_text(glute_day).groups:
        assert group.title in text
        for row in group.rows:
            assert folded(row.name) in text and folded(row.dose) in text
    assert "Week 1" not in text and "RIR" not in text  # no log grid
    tree = structure(large_print)
    assert tree.find("Table") == [] and len(tree.find("LI")) == 7
    proc = subprocess.run(["qpdf", "--check", str(large_print)], capture_output=True,
                          check=False)
    assert proc.returncode == 0


@pytest.mark.skipif(not ctypes.util.find_library("louis"), reason="liblouis not installed")
def test_braille_back_translates_every_exercise_without_log_cells(
        glute_day: ResolvedWorkout, out: Path) -> None:
    path = _export(BrfExporter(), glute_day, out, "brf")["glute-day.brf"]
    body = " ".join(line.strip() for line in body_lines(path.read_bytes()))  # no page numbers
    back = louis.back_translate(EN, body)
    words = " ".join(re.sub(r"[^\w]+", " ", back.lower()).split())
    for name in ["Glute day", *(e.name for e in glute_day.exercises.values()
                                if e.id in glute_day.workout.exercise_ids()),
                 "March in place", "Hip flexor stretch", "Block B superset of 3 rounds"]:
        assert " ".join(re.sub(r"[^\w]+", " ", name.lower()).split()) in words, name
    for log_word in ("weight", "rir", "week 1"):
        assert log_word not in words


@pytest.fixture(scope="module")
def web(glute_day: ResolvedWorkout, out: Path) -> Path:
    folder = out / "web"
    made = _export(HtmlExporter(), glute_day, folder, "glute-day")
    assert set(made) == {"glute-day.html", "glute-day.css"}
    HtmlIndex().assemble([HtmlIndex().part(text_of(glute_day), Options())], folder, Options())
    return made["glute-day.html"]


def test_web_page_lists_blocks_labels_and_doses(web: Path, glute_day: ResolvedWorkout) -> None:
    import lxml.html

    page = lxml.html.document_fromstring(web.read_bytes())
    assert page.get("lang") == "en"
    assert [h.text_content() for h in page.iter("h2")] == [
        g.title for g in workout_text(glute_day).groups]
    items = {li.get("id"): folded(li.text_content()) for li in page.iter("li") if li.get("id")}
    assert items["entry-b2"].startswith(f"B2 {LONG_NAME}3 × 8 reps")
    links = [a.get("href") for a in page.iter("a")]
    assert "../glute-bridge/glute-bridge.html" in links
    index = (web.parent.parent / "index.html").read_text(encoding="utf-8")
    assert "Workouts" in index and 'href="glute-day/glute-day.html"' in index


@pytest.mark.slow
def test_web_page_passes_the_nu_checker_and_axe(web: Path, tmp_path: Path) -> None:
    assert nu_problems(nu_messages(web, web.with_suffix(".css"), css=True)) == []
    report = axe_reports(web, pdf_dir=tmp_path)[str(web)]
    assert report["violations"] == [] and report["passes"] >= 10


# --- the sample, through the build -------------------------------------------------------


def test_the_sample_workout_builds_every_visual_output(tmp_path: Path) -> None:
    """`build source/glute-day.yaml` resolves the exercises beside it, and every format
    that declares workouts writes its files, listed in the manifest."""
    report = build.build([SOURCE_DIR / "glute-day.yaml"], ["pdf", "large-print", "brf", "html"],
                         tmp_path, {"sheet": "letter", "log_weeks": 3})
    assert report.problems == [] and report.exit_code == 0
    rows = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    listed = {r["path"] for r in rows if r["document"] == "glute-day"}
    made = {"glute-day-workout.pdf", "glute-day-cards-letter.pdf", "glute-day-large-print.pdf",
            "glute-day.brf", "glute-day.html", "glute-day.css"}
    assert listed == {f"glute-day/{name}" for name in made}
    assert {p.name for p in (tmp_path / "glute-day").iterdir()} == made
    workout = resolved_workout(SOURCE_DIR / "glute-day.yaml")
    sheet = folded(run("pdftotext", "-raw", tmp_path / "glute-day" / "glute-day-workout.pdf",
                       "-"))
    for group in workout_text(workout).blocks:
        for row in group.rows:
            assert folded(row.name) in sheet
    assert re.findall(r"Week \d", sheet) == ["Week 1", "Week 2", "Week 3"]
    cards = structure(tmp_path / "glute-day" / "glute-day-cards-letter.pdf")
    assert len(cards.find("Sect")) == len(workout.workout.exercise_ids()) == 5


# --- no hard-coded English -----------------------------------------------------------------


@pytest.mark.slow
def test_workout_outputs_show_only_catalog_words(tmp_path: Path) -> None:
    """Built in the pseudo-locale (see test_pseudo_locale), the sheet, the cards, the
    large print, the braille and the web page of a workout hold no English catalog
    message, and show the pseudo words for their headers."""
    write_pseudo_catalog(tmp_path / "locales")
    source = tmp_path / "source"
    source.mkdir()
    ex = DOCUMENT["id"]
    workout = {"kind": "workout", "id": "plumb-zorv", "name": "Plumb zorv", "language": LANG,
               "summary": "Quix dabbo.", "notes": ["Vemp rixo."],
               "warm_up": [{"name": "Zimble", "seconds": 30}],
               "blocks": [{"exercise": ex},
                          {"superset": [{"exercise": ex}, {"exercise": ex, "time": 20}],
                           "rest": 40},
                          {"circuit": [{"exercise": ex, "time": 15}], "rounds": 2}]}
    for doc in (DOCUMENT, workout):
        (source / f"{doc['id']}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                                  encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kickback_export", "build", str(source / "plumb-zorv.yaml"),
         "--format", "pdf,large-print,brf,html", "--sheet", "a4", "--out",
         str(tmp_path / "out"), "--quiet"],
        capture_output=True, text=True, env={**os.environ, ENV: str(tmp_path / "locales")},
        timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    outputs = texts(tmp_path / "out" / "plumb-zorv")
    assert set(outputs) == {"plumb-zorv-workout.pdf", "plumb-zorv-cards-a4.pdf",
                            "plumb-zorv-large-print.pdf", "plumb-zorv.brf", "plumb-zorv.html"}
    leaks = [f"{name}: {fragment!r}" for message in english_messages()
             for fragment in fragments(message) for name, text in outputs.items()
             if re.search(r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])", text)]
    assert not leaks, "\n".join(sorted(set(leaks)))
    sheet = outputs["plumb-zorv-workout.pdf"]
    for word in ("Exercise", "RIR", "Warm-up"):
        assert pseudo(word) in sheet, word
    assert pseudo("Warm-up") in outputs["plumb-zorv-large-print.pdf"]
    assert pseudo("Warm-up") in outputs["plumb-zorv.html"]


def test_german_sheet_on_letter_keeps_long_words_whole(tmp_path: Path) -> None:
    """German compounds ("Widerstandsband", "Wiederholungen") widen their columns when the
    paper has room, so four weeks of log on Letter still break no word; the headers are
    the German catalog's."""
    kick = load(SOURCE_DIR / "resistance-band-one-leg-kickback-bent-position-de.yaml")
    doc = Workout.model_validate({
        "kind": "workout", "id": "po-tag", "name": "Po-Tag", "language": "de",
        "summary": "Drei Übungen.",
        "blocks": [{"exercise": kick.id},
                   {"superset": [{"exercise": kick.id}, {"exercise": kick.id, "time": 20}]}]})
    for paper in ("a4", "letter"):
        (made, *_) = PdfExporter().export(text_of(ResolvedWorkout(doc, {kick.id: kick})),
                                          tmp_path / paper, Options({"sheet": paper}))
        words = run("pdftotext", "-raw", made.path, "-").split()
        for word in ("Widerstandsband", "Wiederholungen", "Übung", "Gewicht", "Woche"):
            assert word in words, (paper, word)
