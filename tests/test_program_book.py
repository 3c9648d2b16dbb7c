"""The program e-book (``epub`` of a program): plan tables, workouts, exercises once, index.

One book is built per session (through the ``epub`` exporter) and read by every test;
EPUBCheck and Ace each run once on it.
"""

from __future__ import annotations

import pickle
import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from same import same
from workouts import resolved_program

from kickback_export import Exercise, load
from kickback_export.content.phrases import cap
from kickback_export.content.text import text_of
from kickback_export.document.model import Prescription
from kickback_export.document.workout import Program, ResolvedProgram, ResolvedWorkout, Workout
from kickback_export.errors import OptionError
from kickback_export.exporters.epub import EpubBook, EpubExporter
from kickback_export.registry import Options

from conftest import ROOT
from test_cli import run
from test_epub import (
    EPUB_TYPE,
    NS,
    XML_LANG,
    _assert_epubcheck_clean,
    ace_violations,
    normalised,
    read_zip,
    run_ace,
    run_epubcheck,
    xml,
)

REPS = {"sets": 2, "reps": 15, "sides": "none", "rest": 60,
        "tempo": {"kick": 1, "hold": 1, "return": 2}}
TIMED = {"sets": 2, "time": 30, "sides": "none", "rest": 30}
OPS_ROLE = "role"


def _variant(seed: Exercise, **changes: Any) -> Exercise:
    data = seed.model_dump(by_alias=True, exclude_none=True)
    return Exercise.model_validate({**data, **changes})


def _resolved(workout: Workout, exercises: dict[str, Exercise]) -> ResolvedWorkout:
    return ResolvedWorkout(workout, {i: exercises[i] for i in workout.exercise_ids()})


def _program(exercises: dict[str, Exercise], language: str = "en") -> ResolvedProgram:
    kick = next(iter(exercises))
    glute = Workout.model_validate({
        "kind": "workout", "id": "glute-day", "name": "Glute day", "language": language,
        "summary": "Glutes first, then a band hinge and a short circuit.",
        "warm_up": [{"name": "March in place", "seconds": 60}],
        "blocks": [
            {"exercise": kick},
            {"superset": [{"exercise": "glute-bridge"}, {"exercise": "band-good-morning"}],
             "transition": 10, "rest": 90},
            {"circuit": [{"exercise": "plank", "time": 30},
                         {"exercise": "glute-bridge", "reps": 12}], "rounds": 3},
        ],
        "cool_down": [{"name": "Easy walk", "seconds": 120}],
        "notes": ["Keep the band light in the first week."],
    })
    core = Workout.model_validate({
        "kind": "workout", "id": "core-day", "name": "Core day", "language": language,
        "summary": "A plank and a hinge.",
        "blocks": [{"exercise": "plank"}, {"exercise": "band-good-morning", "sets": 2}],
    })
    program = Program.model_validate({
        "kind": "program", "id": "glute-block", "name": "Two weeks of glutes",
        "language": language, "summary": "A short block: learn the moves, then add a set.",
        "weeks": [
            {"days": [{"workout": "glute-day", "name": "Monday"},
                      {"name": "Wednesday", "note": "Walk for 30 minutes."},
                      {"workout": "core-day", "name": "Friday"}],
             "notes": ["Learn the moves with a light band."]},
            {"days": [{"workout": "glute-day"}, {"workout": "core-day", "note": "Add a set."},
                      {"workout": "glute-day"}]},
        ],
    })
    return ResolvedProgram(program, {w.id: _resolved(w, exercises) for w in (glute, core)})


@pytest.fixture(scope="module")
def exercises(seed_doc: Exercise) -> dict[str, Exercise]:
    """The kickback, an imported exercise with two photos, and two variants of the seed."""
    hinge = load(ROOT / "tests" / "pictures" / "band-good-morning.yaml")
    hinge = hinge.model_copy(update={"prescription": Prescription.model_validate(REPS)})
    bridge = _variant(seed_doc, id="glute-bridge", name="Glute bridge", equipment=["mat"],
                      muscles={"primary": [{"name": "glutes"}],
                               "secondary": [{"name": "hamstrings"}]}, prescription=REPS)
    plank = _variant(seed_doc, id="plank", name="Plank", equipment=["mat", "timer"],
                     muscles={"primary": [{"name": "core"}]}, prescription=TIMED)
    return {e.id: e for e in (seed_doc, bridge, hinge, plank)}


@pytest.fixture(scope="module")
def program(exercises: dict[str, Exercise]) -> ResolvedProgram:
    return _program(exercises)


@pytest.fixture(scope="module")
def book(program: ResolvedProgram, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("program-book") / program.slug
    [out] = EpubExporter().export(text_of(program), out_dir, Options())
    assert out.media_type == "application/epub+zip"
    assert out.path == out_dir / "glute-block.epub"
    return out.path


@pytest.fixture(scope="module")
def files(book: Path) -> dict[str, bytes]:
    return read_zip(book)


@pytest.fixture(scope="module")
def spine(files: dict[str, bytes]) -> list[str]:
    """The content documents in reading order, as paths inside the zip."""
    package = xml(files["EPUB/content.opf"])
    hrefs = {i.get("id"): i.get("href") for i in package.iterfind(".//opf:item", NS)}
    return [f"EPUB/{hrefs[ref.get('idref')]}" for ref in package.iterfind(".//opf:itemref", NS)]


def _page(files: dict[str, bytes], name: str) -> etree._Element:
    return xml(files[name])


def _lines(page: etree._Element) -> list[str]:
    """The text of each heading, paragraph and list item of a page's body, in order."""
    tags = {f"{{{NS['x']}}}{t}" for t in ("h1", "h2", "p", "li")}
    body = page.find("x:body", NS)
    return [normalised(el) for el in body.iter() if el.tag in tags
            and not el.findall("x:p", NS)]


def _links(files: dict[str, bytes], name: str) -> list[tuple[str, str]]:
    """``(target path in the zip, link text)`` of every link of a page, targets checked to
    exist (with their fragment, when there is one)."""
    out = []
    for a in _page(files, name).iterfind(".//x:a", NS):
        href, _, fragment = a.get("href").partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(name), href))
        assert target in files, (name, href)
        if fragment:
            assert xml(files[target]).find(f".//*[@id='{fragment}']") is not None, href
        out.append((target, normalised(a)))
    return out


# --- validators ------------------------------------------------------------------------------


@pytest.mark.slow
def test_epubcheck_clean(book: Path) -> None:
    _assert_epubcheck_clean(run_epubcheck(book))


@pytest.mark.slow
def test_ace_no_violations_and_metadata(book: Path,
                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    report = run_ace(book, tmp_path_factory.mktemp("ace-program"))
    assert ace_violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    meta = report["a11y-metadata"]
    assert meta["empty"] == []
    assert {"schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
            "schema:accessibilityHazard", "schema:accessibilitySummary",
            "dcterms:conformsTo"} <= set(meta["present"])


# --- the plan --------------------------------------------------------------------------------


def test_plan_has_one_captioned_table_per_week_with_scoped_headers(
        files: dict[str, bytes], program: ResolvedProgram) -> None:
    page = _page(files, "EPUB/program/plan.xhtml")
    tables = page.findall(".//x:table", NS)
    assert len(tables) == len(program.program.weeks) == 2
    for n, (table, week) in enumerate(zip(tables, program.program.weeks, strict=True), 1):
        assert normalised(table.find("x:caption", NS)) == f"Week {n}"
        head = table.findall("x:thead/x:tr/x:th", NS)
        noted = any(d.note for d in week.days)
        assert [normalised(th) for th in head] == ["Day", "Workout", *(["Note"] * noted)]
        assert {th.get("scope") for th in head} == {"col"}
        rows = table.findall("x:tbody/x:tr", NS)
        assert len(rows) == len(week.days)
        for k, (row, day) in enumerate(zip(rows, week.days, strict=True), 1):
            th, workout = row[0], row[1]
            assert (th.tag, th.get("scope")) == (f"{{{NS['x']}}}th", "row")
            assert normalised(th) == (day.name or f"Day {k}")
            if day.workout:
                [a] = workout.findall("x:a", NS)
                assert a.get("href") == f"../workouts/{day.workout}.xhtml"
                assert normalised(a) == program.workouts[day.workout].name
            else:
                assert normalised(workout) == "Rest day"
            assert len(row) == 2 + noted and all(c.tag.endswith("td") for c in row[1:])
    # every header cell of the page has a scope; the week's notes follow its table
    assert all(th.get("scope") for th in page.iterfind(".//x:th", NS))
    [notes] = page.findall(".//x:ul[@class='notes']", NS)
    assert notes.get("aria-label") == "Notes for week 1"
    assert [normalised(li) for li in notes] == ["Learn the moves with a light band."]
    targets = {t for t, _ in _links(files, "EPUB/program/plan.xhtml")}
    assert targets == {f"EPUB/workouts/{w}.xhtml" for w in program.workouts}


# --- the workouts ----------------------------------------------------------------------------


def test_workouts_list_their_blocks_and_link_to_existing_exercise_sections(
        files: dict[str, bytes], program: ResolvedProgram) -> None:
    for wid, workout in program.workouts.items():
        name = f"EPUB/workouts/{wid}.xhtml"
        page = _page(files, name)
        chapter = page.find("x:body/x:section", NS)
        assert chapter.get(EPUB_TYPE) == "chapter"
        # the workout's own page, as its web page has it: label, linked name, dose lines
        labels = [normalised(s) for s in page.iterfind(".//x:li/x:span[@class='label']", NS)]
        the_plan = workout.plan
        assert labels == [e.label for b in the_plan.blocks for e in b.entries if e.label]
        links = _links(files, name)
        assert all(t.startswith("EPUB/text/") for t, _ in links)
        assert [t for t, _ in links] == [
            f"EPUB/text/{e.exercise.slug}.xhtml"
            for b in the_plan.blocks for e in b.entries if e.exercise]
        assert {t for t, _ in links} == {f"EPUB/text/{i}.xhtml"
                                         for i in workout.workout.exercise_ids()}
        assert all(text == workout.exercises[posixpath.basename(t)[:-6]].name
                   for t, text in links)
    glute = _lines(_page(files, "EPUB/workouts/glute-day.xhtml"))
    for words in (["Warm-up"], ["60 s"], ["Block A"],  # worded as the sheet words them
                  ["Block B: superset of 2 rounds", "Rest 90 seconds after each round"],
                  ["2 × 15 reps", "Tempo: 2-0-1-1 (lift 1 s · hold 1 s · lower 2 s)",
                   "Rest: 10 s"],
                  ["Block C: circuit of 3 rounds", "Rest 60 seconds between rounds"],
                  ["3 × 30 s", "Rest: 15 s"], ["Cool-down"],
                  ["Keep the band light in the first week."]):
        assert any(glute[i:i + len(words)] == words for i in range(len(glute))), words


# --- exercises, index, navigation ------------------------------------------------------------


def test_each_exercise_section_appears_once_after_the_plan_and_workouts(
        spine: list[str], files: dict[str, bytes], program: ResolvedProgram) -> None:
    assert spine == [
        "EPUB/titlepage.xhtml", "EPUB/nav.xhtml", "EPUB/program/plan.xhtml",
        "EPUB/workouts/glute-day.xhtml", "EPUB/workouts/core-day.xhtml",
        *(f"EPUB/text/{slug}.xhtml" for slug in program.exercises()),
        "EPUB/program/index.xhtml"]
    assert len(program.exercises()) == 4
    assert sorted(n for n in files if n.startswith("EPUB/text/")) == sorted(
        f"EPUB/text/{slug}.xhtml" for slug in program.exercises())
    for slug, ex in program.exercises().items():  # the exercise's own section, whole
        page = _page(files, f"EPUB/text/{slug}.xhtml")
        assert normalised(page.find(".//x:h1", NS)) == ex.name
    assert sum(n.startswith("EPUB/images/band-good-morning-") for n in files) == 2


def test_index_lists_every_muscle_and_equipment_with_links(
        files: dict[str, bytes], program: ResolvedProgram) -> None:
    name = "EPUB/program/index.xhtml"
    page = _page(files, name)
    assert page.find("x:body", NS).get(EPUB_TYPE) == "backmatter"
    index = page.find("x:body/x:section", NS)
    assert (index.get(EPUB_TYPE), index.get(OPS_ROLE)) == ("index", "doc-index")
    exercises = program.exercises().values()
    expected = {
        "by-muscle": {cap(m.name): {e.slug for e in exercises if e.muscles and m.name in
                                    [x.name for x in (*e.muscles.primary, *e.muscles.secondary)]}
                      for ex in exercises if ex.muscles
                      for m in (*ex.muscles.primary, *ex.muscles.secondary)},
        "by-equipment": {cap(q): {e.slug for e in exercises if q in e.equipment}
                         for ex in exercises for q in ex.equipment},
    }
    assert {"Glutes", "Hamstrings", "Core", "Lower back"} <= set(expected["by-muscle"])
    assert {"Mat", "Timer", "Band"} <= set(expected["by-equipment"])
    for ident, terms in expected.items():
        [part] = index.findall(f"x:section[@id='{ident}']", NS)
        found = {}
        for li in part.findall("x:ul/x:li", NS):
            links = li.findall(".//x:a", NS)
            found[normalised(li.find("x:span", NS))] = {
                posixpath.basename(a.get("href"))[:-6] for a in links}
        assert found == terms
    assert all(t.startswith("EPUB/text/") for t, _ in _links(files, name))


def test_navigation_landmarks_language_and_summary(
        files: dict[str, bytes], program: ResolvedProgram) -> None:
    nav = _page(files, "EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@id='toc']/x:ol", NS)
    assert [normalised(li.find("x:*", NS)) for li in toc] == [
        "Plan", "Workouts", "Exercises", "Index"]
    hrefs = {a.get("href") for a in toc.iterfind(".//x:a", NS)}
    assert {"program/plan.xhtml#week-1", "program/plan.xhtml#week-2",
            "workouts/glute-day.xhtml", "workouts/core-day.xhtml", "program/index.xhtml",
            "program/index.xhtml#by-muscle", "program/index.xhtml#by-equipment",
            *(f"text/{slug}.xhtml" for slug in program.exercises())} <= hrefs
    landmarks = {a.get(EPUB_TYPE): a.get("href")
                 for a in nav.iterfind(".//x:nav[@id='landmarks']//x:a", NS)}
    assert landmarks["bodymatter"] == "program/plan.xhtml"
    assert landmarks["index"] == "program/index.xhtml"
    _links(files, "EPUB/nav.xhtml")  # every entry reaches its target
    package = xml(files["EPUB/content.opf"])
    assert package.get(XML_LANG) == "en"
    assert package.findtext(".//dc:title", namespaces=NS) == "Two weeks of glutes"
    summary = package.findtext(".//opf:meta[@property='schema:accessibilitySummary']",
                               namespaces=NS)
    assert "index lists the exercises by muscle and by equipment" in summary
    title = normalised(_page(files, "EPUB/titlepage.xhtml"))
    assert "2 weeks, 2 workouts, and 4 exercises" in title


def test_language_comes_from_the_program(tmp_path: Path) -> None:
    """A German program: the package, its pages and the wording the book adds."""
    stem = "resistance-band-one-leg-kickback-bent-position"
    kick = load(ROOT / "source" / f"{stem}-de.yaml")
    exercises = {kick.id: kick,
                 **{e.id: e for e in (
                     _variant(kick, id="glute-bridge", name="Glute-Brücke", prescription=REPS),
                     _variant(kick, id="band-good-morning", name="Good Morning mit Band",
                              prescription=REPS),
                     _variant(kick, id="plank", name="Unterarmstütz", prescription=TIMED))}}
    [out] = EpubExporter().export(text_of(_program(exercises, "de")), tmp_path, Options())
    files = read_zip(out.path)
    assert xml(files["EPUB/content.opf"]).get(XML_LANG) == "de"
    page = _page(files, "EPUB/program/plan.xhtml")
    assert page.get(XML_LANG) == "de"
    assert [normalised(c) for c in page.iterfind(".//x:caption", NS)] == ["Woche 1", "Woche 2"]
    assert "Ruhetag" in normalised(page)
    glute = normalised(_page(files, "EPUB/workouts/glute-day.xhtml"))
    assert "Block B: Supersatz" in glute and "Aufwärmen" in glute
    assert normalised(_page(files, "EPUB/program/index.xhtml").find(".//x:h1", NS)) == (
        "Register")


def test_every_word_the_book_adds_comes_from_the_catalog(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a pseudo-locale (every catalog message wrapped and accented) no English catalog
    message is left in any page of the book, and the book's own words are there."""
    from kickback_export.content.phrases import ENV

    from test_pseudo_locale import (
        DOCUMENT,
        _markup_text,
        english_messages,
        fragments,
        pseudo,
        write_pseudo_catalog,
    )

    language = "en-XP"  # a tag of this test's own: phrases are cached per language
    write_pseudo_catalog(tmp_path / "locales", "en_XP")
    monkeypatch.setenv(ENV, str(tmp_path / "locales"))
    first = Exercise.model_validate({**DOCUMENT, "language": language})
    exercises = {e.id: e for e in (
        first,
        _variant(first, id="glute-bridge", name="Quib dax", equipment=["wobbet"],
                 muscles={"primary": [{"name": "flimbs"}]}, prescription=REPS),
        _variant(first, id="band-good-morning", name="Vorp lenk", prescription=REPS),
        _variant(first, id="plank", name="Plozz", prescription=TIMED))}
    resolved = _program(exercises, language)
    names = {"glute-day": "Zibbo vex", "core-day": "Quarn plit"}
    resolved = ResolvedProgram(
        resolved.program.model_copy(update={"name": "Flenk blorp", "summary": "Drib vonk."}),
        {wid: ResolvedWorkout(w.workout.model_copy(update={
            "name": names[wid], "summary": "Wemb.", "notes": [], "warm_up": [],
            "cool_down": []}), w.exercises) for wid, w in resolved.workouts.items()})
    weeks = [w.model_copy(update={"notes": ["Plib."], "days": [
        d.model_copy(update={"name": None, "note": d.note and "Krob."}) for d in w.days]})
        for w in resolved.program.weeks]
    resolved = ResolvedProgram(resolved.program.model_copy(update={"weeks": weeks}),
                               resolved.workouts)
    [out] = EpubExporter().export(text_of(resolved), tmp_path / "out", Options())
    pages = {n: _markup_text(data.decode("utf-8")) for n, data in read_zip(out.path).items()
             if n.endswith((".xhtml", ".opf"))}
    text = "\n".join(pages.values())
    leaks = {(fragment, message) for message in english_messages()
             for fragment in fragments(message)
             if re.search(r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])", text)}
    assert not leaks, sorted(leaks)
    for message in ("Plan", "Workouts", "Index", "By muscle", "By equipment", "Rest day",
                    "Day", "Workout", "Note", "Block {label}"):
        assert pseudo(message).format(label="A") in text, message
    assert pseudo("Week {n}").format(n=2) in pages["EPUB/program/plan.xhtml"]
    assert pseudo("Day {n}").format(n=3) in pages["EPUB/program/plan.xhtml"]


@pytest.mark.slow
def test_narrated_book_reads_the_exercises_aloud_and_says_what_is_not(
        exercises: dict[str, Exercise], tmp_path: Path) -> None:
    """``--epub-narration``: every exercise has its media overlay; the plan, workouts and
    index have none, so audio alone is not claimed to suffice; EPUBCheck stays clean."""
    plain = {k: e.model_copy(update={"images": [], "image_description": None})
             for k, e in exercises.items()}  # read-aloud of pictures is not this test's
    resolved = _program(plain)
    [out] = EpubExporter().export(text_of(resolved), tmp_path, Options({"epub_narration": True}))
    _assert_epubcheck_clean(run_epubcheck(out.path))
    package = xml(read_zip(out.path)["EPUB/content.opf"])
    overlays = {i.get("href"): i.get("media-overlay")
                for i in package.iterfind(".//opf:item", NS)
                if i.get("media-type") == "application/xhtml+xml"}
    assert {h for h, o in overlays.items() if o} == {
        f"text/{slug}.xhtml" for slug in resolved.exercises()}
    meta = [(m.get("property"), m.text) for m in package.iterfind(".//opf:meta", NS)]
    assert ("schema:accessMode", "auditory") in meta
    assert ("schema:accessibilityFeature", "synchronizedAudioText") in meta
    assert ("schema:accessModeSufficient", "auditory") not in meta
    summary = dict(meta)["schema:accessibilitySummary"]
    assert summary.endswith("The plan, the workouts and the index are not read aloud.")


def test_book_of_a_program_is_the_program_book(
        book: Path, program: ResolvedProgram, exercises: dict[str, Exercise],
        seed_doc: Exercise, tmp_path: Path) -> None:
    """The ``book`` collection given a program (parts pickled, as from workers): the same
    bytes as ``epub`` of the program under its own title; an exercise the program does not
    use is left out; two programs are refused."""
    collection = EpubBook()
    options = Options({"title": program.name, "file": "program.epub"})
    extra = _variant(seed_doc, id="not-in-the-program", name="Unused")
    documents: list[Exercise | ResolvedProgram] = [*exercises.values(), extra, program]
    parts = [pickle.loads(pickle.dumps(collection.part(text_of(d), options))) for d in documents]
    [out] = collection.assemble(parts, tmp_path, options)
    assert same(out.path, book)
    titled = Options({"title": "Glute Block", "author": "Coach K", "file": "titled.epub"})
    [out] = collection.assemble(parts, tmp_path, titled)
    files = read_zip(out.path)
    assert xml(files["EPUB/content.opf"]).findtext(".//dc:title", namespaces=NS) == "Glute Block"
    assert "EPUB/text/not-in-the-program.xhtml" not in files
    other = ResolvedProgram(program.program.model_copy(update={"id": "other"}),
                            program.workouts)
    with pytest.raises(OptionError, match="a book holds one program, not 'glute-block', "
                                          "'other'"):
        collection.assemble([*parts, collection.part(text_of(other), options)], tmp_path, options)


@pytest.mark.slow
def test_the_sample_program_book(tmp_path: Path) -> None:
    """The program in ``source/`` resolved from its files: EPUBCheck 0/0, Ace 0, a table
    of days and one of targets per week, every exercise once, and no rest between sets
    for a single set."""
    resolved = resolved_program(ROOT / "source" / "glute-program.yaml")
    [out] = EpubExporter().export(text_of(resolved), tmp_path, Options())
    _assert_epubcheck_clean(run_epubcheck(out.path))
    report = run_ace(out.path, tmp_path / "ace")
    assert ace_violations(report) == []
    files = read_zip(out.path)
    plan_page = _page(files, "EPUB/program/plan.xhtml")
    assert len(plan_page.findall(".//x:table", NS)) == 2 * len(resolved.program.weeks) == 8
    assert sorted(n for n in files if n.startswith("EPUB/text/")) == sorted(
        f"EPUB/text/{slug}.xhtml" for slug in resolved.exercises())
    for wid in resolved.workouts:
        _links(files, f"EPUB/workouts/{wid}.xhtml")
    warm_up = _page(files, "EPUB/workouts/thrust-day.xhtml").find(
        ".//x:section[@aria-labelledby='block-warm-up']", NS)
    assert "Rest" not in normalised(warm_up)


def test_book_command_on_a_folder_with_a_program(tmp_path: Path) -> None:
    """``kickback-export book source/``: the build hands the program to the collection,
    and the book is the program's (the exercises in other languages are left out)."""
    target = tmp_path / "glute.epub"
    proc = run(["book", str(ROOT / "source"), "--title", "Glute block", "-o", str(target)])
    assert proc.returncode == 0, proc.stderr
    files = read_zip(target)
    resolved = resolved_program(ROOT / "source" / "glute-program.yaml")
    assert sorted(n for n in files if n.startswith("EPUB/text/")) == sorted(
        f"EPUB/text/{slug}.xhtml" for slug in resolved.exercises())
    assert "EPUB/program/plan.xhtml" in files
    assert xml(files["EPUB/content.opf"]).findtext(".//dc:title", namespaces=NS) == (
        "Glute block")
