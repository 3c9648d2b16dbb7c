"""`kickback-export book`: the short form that runs the `book` collection through the build."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from test_cli import run
from test_lifecycle import documents, snapshot


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
    assert one.read_bytes() == two.read_bytes() == (tmp_path / "long" / "b.epub").read_bytes()


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
    assert snapshot(target.parent) == before


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
