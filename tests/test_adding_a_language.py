"""A new language is its phrase catalog and one metadata block; nothing in the package.

The test brings Italian, which the package does not have: ``it.po`` (a few messages; the
others read in English) and one block of ``languages.yaml`` (its braille table, how its
exercise pages are written), both in a folder named by ``KICKBACK_EXPORT_LOCALES``. An
Italian page is imported with its headings, and the document is built in every format.
And a build makes each document's page once, whatever the language and the formats
(the e-book and the web page used to build a page twice in a language without a catalog).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kickback_export.build import pipeline
from kickback_export.content import exercise_text
from kickback_export.engines.braille import braille, louis

from conftest import ROOT

HERE = Path(__file__).parent / "languages" / "it"
FORMATS = "pdf,epub,brf,large-print,html,audio"


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kickback_export", *args], env=env,
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.slow
def test_a_language_is_a_catalog_and_one_metadata_block(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locales = tmp_path / "locales"
    (locales / "it" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(HERE / "it.po", locales / "it" / "LC_MESSAGES" / "kickback_export.po")
    shutil.copy(HERE / "languages.yaml", locales / "languages.yaml")
    env = {**os.environ, "KICKBACK_EXPORT_LOCALES": str(locales)}
    src, out = tmp_path / "src", tmp_path / "out"
    imported = _run("import", "--from", "page", "--language", "it",
                    str(HERE / "ponte-glutei.txt"), "-o", str(src), env=env)
    assert imported.returncode == 0, imported.stderr
    [doc] = src.glob("*.yaml")
    text = doc.read_text(encoding="utf-8")
    assert "language: it" in text and "Scendi lentamente e ripeti." in text
    built = _run("build", str(src), "-o", str(out), "-f", FORMATS, env=env)
    assert built.returncode == 0, built.stderr
    folder = out / doc.stem
    page = (folder / f"{doc.stem}.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in page and ">Istruzioni</h2>" in page and ">Consigli</h2>" in page
    with zipfile.ZipFile(folder / f"{doc.stem}.epub") as epub:
        assert "Domande frequenti" in epub.read(f"EPUB/text/{doc.stem}.xhtml").decode()
    # braille through the language's own table (its digits share cells with letters, so
    # the braille is compared forward rather than read back)
    brf = (folder / f"{doc.stem}.brf").read_text(encoding="ascii")
    monkeypatch.setenv("KICKBACK_EXPORT_LOCALES", str(locales))
    tables = braille.tables_for("it")
    assert tables.endswith("it-it-comp6.utb")
    flowing = " ".join(brf.split())
    assert louis.translate(tables, "Scendi lentamente e ripeti.") in flowing
    vtt = (folder / f"{doc.stem}-guide.vtt").read_text(encoding="utf-8")
    assert "Sdraiati sulla schiena" in vtt  # spoken by the language's voice
    # ... and the package itself was not touched: its locales have no Italian
    assert not (ROOT / "src" / "kickback_export" / "locales" / "it").exists()
    assert "\nit:" not in (ROOT / "src/kickback_export/locales/languages.yaml").read_text()


def test_each_page_is_made_once_per_document(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """English and German documents, every page format: one text model (one page) each."""
    made: list[str] = []
    original = exercise_text.page

    def counted(document, ph):  # type: ignore[no-untyped-def]
        made.append(document.id)
        return original(document, ph)

    monkeypatch.setattr(exercise_text, "page", counted)
    sources = [ROOT / "source" / "resistance-band-one-leg-kickback-bent-position.yaml",
               ROOT / "source" / "resistance-band-one-leg-kickback-bent-position-de.yaml"]
    report = pipeline.build(sources, ["html", "epub", "brf", "large-print", "pdf"],
                            tmp_path / "out", jobs=1)
    assert report.problems == [] and len(report.written) >= 10
    assert sorted(made) == ["resistance-band-one-leg-kickback-bent-position",
                            "resistance-band-one-leg-kickback-bent-position-de"]
