"""PDF/UA-1, declared and checked: every PDF the samples in source/ produce (cue cards,
card sheets on A4 and Letter, large print, workout sheets, a program's sheet) claims
PDF/UA-1 in its XMP (pdfuaid:part 1) and passes the two open checkers from PyPI, outloud
and pdfua.

Both checkers run in-process, once over every file (a module fixture shared by the
tests). veraPDF, the reference checker, needs a JVM and is not run here: see
docs/pdf-ua.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kickback_export.build import pipeline

from conftest import ROOT, missing_tool
from pdfcheck import Checked, outloud_check, pdfua_check, xmp_value

# every sample through both sheet sizes: options as `kickback-export build` takes them
BUILDS: dict[str, dict[str, object]] = {
    "a4": {"sheet": "a4", "duplex": True},
    "letter": {"sheet": "letter", "large_print_paper": "letter", "card_size": "4x6"},
}
KINDS = ("-card.pdf", "-cards-{sheet}.pdf", "-large-print.pdf", "-workout.pdf", "-sheet.pdf")

# outloud's semantic layer judges the workout sheet's log "mostly empty cells; this may
# not be a table" (TBL-012): the weight, reps and RIR cells are blank to write in, and
# they stay TDs so a screen reader moves through the log by row and column. Its running
# header heuristic (PAG-001: a line near the top or bottom of three pages that differs
# only in its digits) takes a program's pages for furniture: each page of its sheet starts
# with its training day's heading ("Week 3, Monday: Thrust day"), and in the sample's large
# print the goblet squat's target starts three pages (each a week's). Both are content,
# tagged as such. No other warning is expected from either checker.
EXPECTED_WARNINGS = {("-workout.pdf", "TBL-012"), ("-sheet.pdf", "PAG-001"),
                     ("glute-program-large-print.pdf", "PAG-001")}

Checker = Callable[[Path], Checked]
CHECKERS: dict[str, Checker] = {"outloud": outloud_check, "pdfua": pdfua_check}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("pdfua")
    for name, options in BUILDS.items():
        report = pipeline.build([ROOT / "source"], ["pdf", "large-print"], out / name, options)
        assert report.exit_code == 0, report.problems
    return sorted(out.rglob("*.pdf"))


@pytest.fixture(scope="module")
def checked(pdfs: list[Path]) -> dict[Path, dict[str, Checked]]:
    """Both checkers' word on every file, run once for the module."""
    try:
        import outloud  # noqa: F401
        import pdfua  # noqa: F401
    except ImportError as err:
        missing_tool(f"the PDF/UA checkers need the outloud and pdfua packages "
                     f"(the test extra): {err}")
    return {path: {name: check(path) for name, check in CHECKERS.items()} for path in pdfs}


def _report(checked: dict[Path, dict[str, Checked]], bad: list[Path], root: Path) -> str:
    return "\n".join(f"{p.relative_to(root)}\n" + "\n".join(c.lines() for c in checked[p].values())
                     for p in bad)


def test_every_kind_of_pdf_is_built(pdfs: list[Path]) -> None:
    """The checks below are only as good as this list: each build made every kind."""
    for name, options in BUILDS.items():
        names = [p.name for p in pdfs if p.parents[1].name == name]
        for kind in KINDS:
            end = kind.format(sheet=options["sheet"])
            assert any(n.endswith(end) for n in names), (name, end, names)


@pytest.mark.parametrize("checker", list(CHECKERS))
def test_no_errors(checker: str, checked: dict[Path, dict[str, Checked]],
                   pdfs: list[Path]) -> None:
    """0 errors, and every rule ran: a rule that could not check a file is no pass."""
    bad = [p for p in pdfs if checked[p][checker].errors or checked[p][checker].broken]
    head = f"{checker}: errors or unchecked rules in {len(bad)} of {len(pdfs)} files:\n"
    assert not bad, head + _report(checked, bad, pdfs[0].parents[2])


@pytest.mark.parametrize("checker", list(CHECKERS))
def test_no_unexpected_warnings(checker: str, checked: dict[Path, dict[str, Checked]],
                                pdfs: list[Path]) -> None:
    """Warnings too (a page number tagged as content is one): only the known ones."""
    def unexpected(path: Path) -> list[str]:
        return [rule for rule, _ in checked[path][checker].warnings
                if not any(path.name.endswith(kind) and rule == known
                           for kind, known in EXPECTED_WARNINGS)]

    bad = [p for p in pdfs if unexpected(p)]
    head = f"{checker}: unexpected warnings in {len(bad)} of {len(pdfs)} files:\n"
    assert not bad, head + _report(checked, bad, pdfs[0].parents[2])


def test_xmp_declares_pdf_ua_1(pdfs: list[Path]) -> None:
    for path in pdfs:
        assert xmp_value(path, "pdfuaid:part") == "1", path.name
        assert xmp_value(path, "dc:title"), path.name  # Matterhorn 06-003
