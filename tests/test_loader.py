"""Loading and validation: the seed loads; every malformed document gets its one-line error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kickback_export import DocumentError, load, parse
from kickback_export.document.importers.page import import_page

from conftest import ROOT, SOURCE

BAD = Path(__file__).parent / "bad_inputs"
EXPECTED: dict[str, dict[str, object]] = json.loads((BAD / "expected.json").read_text())


def test_seed_document_loads_with_prescription_and_cues() -> None:
    doc = load(SOURCE)
    assert doc.name == "Resistance Band One Leg Kickback (Bent Position)"
    assert doc.language == "en"
    assert len(doc.steps) == 8 and all(s.cue and s.pause for s in doc.steps)
    assert doc.prescription is not None and doc.prescription.sides == "both"
    assert doc.prescription.tempo.rep_seconds == 4
    assert (doc.prescription.tempo.notation, doc.prescription.tempo_start) == ("2-0-1-1",
                                                                              "lifting")
    assert [m.anatomy[0] for m in doc.muscles.secondary] == [
        "biceps femoris", "rectus abdominis", "erector spinae"]


def test_corpus_is_large_enough() -> None:
    assert len(EXPECTED) >= 30
    assert sorted(EXPECTED) == sorted(p.name for p in BAD.iterdir() if p.name != "expected.json")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_gives_one_clear_error(name: str) -> None:
    expected = EXPECTED[name]
    path = BAD / name
    with pytest.raises(DocumentError) as info:
        (import_page if name.endswith(".txt") else load)(path)
    err = info.value
    message = str(err)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert str(expected["contains"]) in message
    if expected["field"]:
        assert err.field == expected["field"]
    if expected["line"] is not None:
        assert err.line == expected["line"]


def test_bom_and_windows_line_endings_are_accepted() -> None:
    text = SOURCE.read_text(encoding="utf-8")
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    from kickback_export.document.loader import decode

    doc = parse(decode(data, "x.yaml"), "x.yaml")
    assert doc == load(SOURCE)


def test_text_is_folded_but_kept_verbatim() -> None:
    doc = load(SOURCE)
    body = (ROOT / "tests" / "pages" / f"{doc.slug}.txt").read_text(encoding="utf-8")
    for paragraph in doc.overview:
        assert paragraph in body


@pytest.mark.parametrize("name", ["missing-name.yaml", "alias-bomb.yaml", "binary-garbage.yaml"])
def test_cli_validate_exit_2_one_line_no_traceback(name: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kickback_export", "validate", str(BAD / name)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith(str(BAD / name))
    assert lines[-1] == "0 valid, 1 problem(s)"
