"""`kickback-export book`: the short form that runs the `book` collection through the build."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from same import same, same_files

from conftest import ROOT
from test_cli import run
from test_epub import _assert_epubcheck_clean, ace_violations, run_ace, run_epubcheck
from test_lifecycle import documents, snapshot

STEM = "resistance-band-one-leg-kickback-bent-position"
KICKBACK = {  # the same exercise in four languages
    "es": ROOT / "source" / f"{STEM}-es.yaml",
    "en": ROOT / "source" / f"{STEM}.yaml",
    "de": ROOT / "source" / f"{STEM}-de.yaml",
    "fr": ROOT / "tests" / "languages" / f"{STEM}-fr.yaml",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML = "{http://www.w3.org/1999/xhtml}"


def book(*args: str | Path) -> tuple[int, list[str]]:
    proc = run(["book", *map(str, args)])
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stderr.splitlines()


def titles(path: Path) -> list[str]:
    """The exercise titles in the book's reading order (its XHTML sections)."""
    with zipfile.ZipFile(path) as zf:
        assert zf.read("mimetype") == b"application/epub+zip"
        return sorted(n for n in zf.namelist() if n.startswith("EPUB/text/"))


def test_book_is_built_listed_and_skipped_when_unchanged(tmp_path: Path) -> None:
    src = tmp_path / "src"
    paths = documents(src, 3)
    target = tmp_path / "out" / "band.epub"
    code, lines = book(src, "--title", "Band Work", "--author", "Coach", "-o", target)
    assert (code, lines) == (0, [f"wrote {target} (3 exercises)"])
    assert titles(target) == [f"EPUB/text/exercise-{i}.xhtml" for i in range(3)]
    rows = json.loads((target.parent / "manifest.json").read_text())["outputs"]
    assert rows == [{
        "document": "book:band.epub", "source": [str(p) for p in paths], "exporter": "book",
        "path": "band.epub", "media_type": "application/epub+zip",
        "size": target.stat().st_size, "sha256": rows[0]["sha256"]}]
    stamp = target.stat().st_mtime_ns
    code, lines = book(src, "--title", "Band Work", "--author", "Coach", "-o", target)
    assert (code, lines) == (0, [f"{target} is up to date (3 exercises; --force rebuilds)"])
    assert target.stat().st_mtime_ns == stamp
    assert book(src, "--title", "Band Work", "--author", "Coach", "-o", target, "--force") == (
        0, [f"wrote {target} (3 exercises)"])
    assert target.stat().st_mtime_ns != stamp
    # a second book in the same folder is a second row; the first stays listed
    other = target.with_name("short.epub")
    assert book(paths[0], "--title", "Short", "-o", other)[0] == 0
    rows = json.loads((target.parent / "manifest.json").read_text())["outputs"]
    assert sorted(r["document"] for r in rows) == ["book:band.epub", "book:short.epub"]
    assert [r["source"] for r in rows if r["path"] == "short.epub"] == [[str(paths[0])]]


def test_short_and_long_form_and_jobs_make_the_same_book(tmp_path: Path) -> None:
    src = tmp_path / "src"
    documents(src, 5)
    one = tmp_path / "one" / "b.epub"
    two = tmp_path / "two" / "b.epub"
    assert book(src, "--title", "T", "--group-by", "none", "-o", one, "-j", "1")[0] == 0
    assert book(src, "--title", "T", "--group-by", "none", "-o", two, "-j", "2")[0] == 0
    long = run(["build", str(src), "-f", "book", "--title", "T", "--group-by", "none",
                "--file", "b.epub", "-o", str(tmp_path / "long"), "-q"])
    assert long.returncode == 0, long.stderr
    assert same(one, two) and same(two, tmp_path / "long" / "b.epub")


def test_a_bad_document_or_option_writes_no_book(tmp_path: Path) -> None:
    src = tmp_path / "src"
    documents(src, 2)
    target = tmp_path / "out" / "b.epub"
    assert book(src, "--title", "T", "-o", target)[0] == 0
    before = snapshot(target.parent)
    bad = src / "d2.yaml"
    bad.write_text((src / "d0.yaml").read_text().replace("sets: 3", "sets: three"))
    code, lines = book(src, "--title", "T", "-o", target)
    assert code == 2 and len(lines) == 1 and "prescription.sets" in lines[0]
    bad.write_text((src / "d0.yaml").read_text())
    code, lines = book(src, "--title", "T", "-o", target)
    assert (code, lines) == (2, [f"{bad}: id: 'exercise-0' is already used by {src / 'd0.yaml'}"])
    bad.unlink()
    assert book(src, "-o", target, "--force") == (2, ["book: --title: a book needs a title"])
    assert book(src, tmp_path / "nope", "--title", "T", "-o", target, "--force") == (
        2, [f"{tmp_path / 'nope'}: no such file or folder"])
    empty = tmp_path / "empty"
    empty.mkdir()
    assert book(empty, "--title", "T", "-o", target) == (
        2, [f"no documents found in {empty}"])
    assert same_files(snapshot(target.parent), before)


def test_without_the_book_plugin_book_says_why(tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'kickback_export.exporters.epub':\n"
        "            raise ImportError('simulated: the epub module is gone')\n"
        "sys.meta_path.insert(0, Block())\n")
    target = tmp_path / "b.epub"
    proc = run(["book", str(tmp_path), "--title", "T", "-o", str(target)], hooks)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "collection 'book' (kickback_export.exporters.epub:EpubBook): cannot be imported: "
        "ImportError: simulated: the epub module is gone"]
    assert run(["book", "--help"], hooks).returncode == 0
    assert not target.exists()


def test_a_book_of_mixed_languages_is_refused_in_one_line(tmp_path: Path) -> None:
    target = tmp_path / "out" / "b.epub"
    code, lines = book(KICKBACK["en"], KICKBACK["de"], KICKBACK["fr"], "--title", "T",
                       "-o", target)
    assert (code, lines) == (2, [
        "book: the exercises are in more than one language: en (1), de (1), fr (1); a book "
        "is in one language unless --allow-mixed-languages is given"])
    assert not target.parent.exists() or not any(target.parent.iterdir())
    long = run(["build", str(KICKBACK["de"]), str(KICKBACK["en"]), "-f", "book", "--title", "T",
                "-o", str(tmp_path / "long"), "-q"])
    assert long.returncode == 2 and "de (1), en (1)" in long.stderr
    assert len(long.stderr.splitlines()) == 1
    # one language with regional variants is one language
    gb = tmp_path / "gb.yaml"
    gb.write_text(KICKBACK["en"].read_text(encoding="utf-8").replace(
        "language: en", "language: en-GB").replace(f"id: {STEM}", "id: kickback-gb"),
        encoding="utf-8")
    assert book(KICKBACK["en"], gb, "--title", "T", "-o", target)[0] == 0


@pytest.fixture(scope="module")
def mixed_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Spanish first, then English, German and French; grouped by muscle, so the reading
    order (Fessiers, Gesäß, Glutes, Glúteos) does not start with the first exercise."""
    target = tmp_path_factory.mktemp("mixed") / "b.epub"
    code, lines = book(*KICKBACK.values(), "--title", "Glúteos", "--allow-mixed-languages",
                       "-o", target)
    assert (code, lines) == (0, [f"wrote {target} (4 exercises)"])
    return target


def _part(book_path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(book_path) as zf:
        return etree.fromstring(zf.read(f"EPUB/{name}"))


def test_a_mixed_book_has_the_first_exercise_language_and_each_section_its_own(
        mixed_book: Path) -> None:
    opf = _part(mixed_book, "content.opf")
    assert opf.get(XML_LANG) == "es"
    dc = "{http://purl.org/dc/elements/1.1/}language"
    languages = [el.text for el in opf.iter(dc)]
    assert languages[0] == "es" and sorted(languages) == ["de", "en", "es", "fr"]
    for page in ("nav.xhtml", "titlepage.xhtml"):
        root = _part(mixed_book, page)
        assert (root.get("lang"), root.get(XML_LANG)) == ("es", "es"), page
    for language, path in KICKBACK.items():
        root = _part(mixed_book, f"text/{path.stem}.xhtml")
        assert (root.get("lang"), root.get(XML_LANG)) == (language, language), path.stem
    # a contents entry in another language than the book's says which one it is in
    [toc] = [n for n in _part(mixed_book, "nav.xhtml").iter(f"{XHTML}nav") if n.get("id") == "toc"]
    links = {a.get("href"): a for a in toc.iter(f"{XHTML}a")}
    for language, path in KICKBACK.items():
        link = links[f"text/{path.stem}.xhtml"]
        expected = None if language == "es" else language
        assert (link.get("lang"), link.get(XML_LANG)) == (expected, expected), path.stem


@pytest.mark.slow
def test_a_mixed_book_passes_epubcheck_and_ace(mixed_book: Path, tmp_path: Path) -> None:
    _assert_epubcheck_clean(run_epubcheck(mixed_book))
    assert ace_violations(run_ace(mixed_book, tmp_path)) == []
