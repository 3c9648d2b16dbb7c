"""Nothing invented, nothing doubled: the Turkish get-up imported from its page (no cues)
prints each step once on its card, on fewer sides than the six it took when the steps
were printed twice; a document without muscles, equipment, level or summary, built in
every format (audio too), says nothing of them: no "unspecified", no "It trains the …".

One import and one build on the command line; every assertion reads their files.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from kickback_export.engines.braille import louis

from pdfcheck import run, struct_leaves

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tests" / "pages" / "turkish-get-up.txt"
BARE = {
    "id": "bare-plank",
    "name": "Plank",
    "steps": [{"text": "Lie face down with your forearms on the floor."},
              {"text": "Lift your hips so that your body makes a straight line."}],
}
NEVER = ("unspecified", "it trains", "targets", "target muscles", "equipment", "level",
         "you will need", "summary")


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kickback_export", *map(str, args)],
                          capture_output=True, text=True, timeout=900,
                          stdin=subprocess.DEVNULL)


def folded(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page imported, and it and the bare document built in every format."""
    root = tmp_path_factory.mktemp("omissions")
    imported = cli("import", PAGE, "-o", root / "turkish-get-up.yaml")
    assert imported.returncode == 0, imported.stderr
    (root / "bare-plank.yaml").write_text(yaml.safe_dump(BARE), encoding="utf-8")
    proc = cli("build", root / "turkish-get-up.yaml", root / "bare-plank.yaml", "--out",
               root / "out", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.fixture(scope="module")
def getup_steps(built: Path) -> list[str]:
    data = yaml.safe_load((built / "turkish-get-up.yaml").read_text(encoding="utf-8"))
    assert "muscles" not in data and all("cue" not in s for s in data["steps"])
    return [folded(s["text"]) for s in data["steps"]]


def test_imported_card_prints_each_step_once(built: Path, getup_steps: list[str]) -> None:
    card = built / "out" / "turkish-get-up" / "turkish-get-up-card.pdf"
    raw = folded(run("pdftotext", "-raw", card, "-"))
    for number, step in enumerate(getup_steps, start=1):
        assert raw.count(step) == 1, step  # a step split between sides is still joined
        assert len(re.findall(rf"(?<!\d){number}\. ", raw)) == 1, number
    leaves = struct_leaves(card)
    assert [leaves.count(s) for s in getup_steps] == [1] * len(getup_steps)


def test_imported_card_takes_fewer_sides_and_repeats_no_section(built: Path) -> None:
    card = built / "out" / "turkish-get-up" / "turkish-get-up-card.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", card)).group(1))  # type: ignore[union-attr]
    assert pages < 6
    lines = [ln.strip() for ln in run("pdftotext", "-raw", card, "-").splitlines()]
    headings = [ln for ln in lines if ln in ("Cues", "How to do it", "Tips", "Summary")]
    assert headings == ["How to do it", "Tips"]  # no "Cues" repeating the steps
    data = yaml.safe_load((built / "turkish-get-up.yaml").read_text(encoding="utf-8"))
    raw = folded(" ".join(lines))
    assert "summary" not in data  # the page has none: no first sentence said twice
    for text in data["tips"]:
        assert raw.count(folded(text)) == 1, text
    for paragraph in data["overview"]:
        assert raw.count(folded(paragraph)) <= 1, paragraph


def _texts(folder: Path) -> dict[str, str]:
    """What a reader gets from each output, as text: PDFs through pdftotext, zip
    members, braille back-translated, the captions and the timeline as they are."""
    out = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".pdf":
            out[path.name] = run("pdftotext", path, "-")
        elif path.suffix == ".epub":
            with zipfile.ZipFile(path) as zf:
                out.update({f"{path.name}!{n}": zf.read(n).decode("utf-8", "replace")
                            for n in zf.namelist() if not n.endswith((".jpg", ".png"))})
        elif path.suffix == ".brf":
            cells = " ".join(ln.strip() for ln in path.read_text(encoding="ascii").splitlines())
            out[path.name] = louis.back_translate("en-us-brf.dis,en-ueb-g2.ctb", cells)
        elif path.suffix == ".html":  # the page, not its player's script
            out[path.name] = re.sub(r"<script>.*?</script>", "",
                                    path.read_text(encoding="utf-8"), flags=re.S)
        elif path.suffix in (".vtt", ".json"):
            out[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix in (".mp3", ".wav"):
            out[path.name] = path.read_bytes().decode("latin-1")  # ID3 and chapter titles
    return out


def test_a_document_without_muscles_says_nothing_of_them(built: Path) -> None:
    texts = _texts(built / "out" / "bare-plank")
    assert {"bare-plank-card.pdf", "bare-plank-large-print.pdf", "bare-plank.brf",
            "bare-plank.html", "bare-plank-guide.vtt", "bare-plank-guide.timeline.json",
            "bare-plank-guide.mp3"} <= set(texts)
    assert any(n.startswith("bare-plank.epub!") for n in texts)
    for name, text in texts.items():
        if name.endswith((".css", ".mp3", ".wav")):
            continue
        low = " ".join(re.findall(r"[a-z]+", text.lower())).replace("wcag level aa", "")
        for words in NEVER:
            assert f" {words} " not in f" {low} ", (name, words)
    for name in ("bare-plank-card.pdf", "bare-plank-large-print.pdf", "bare-plank.html",
                 "bare-plank-guide.vtt", "bare-plank.epub!EPUB/text/bare-plank.xhtml"):
        assert BARE["steps"][1]["text"] in folded(texts[name]), name  # the reading is real
    assert "lift your hips" in texts["bare-plank.brf"].lower()
    for name in ("bare-plank-guide.mp3", "bare-plank-guide.wav"):
        assert "unspecified" not in texts[name].lower()
    spoken = json.loads(texts["bare-plank-guide.timeline.json"])["segments"]
    said = " ".join(s["text"] for s in spoken if s["kind"] == "speech")
    assert said.startswith("Plank") and "trains" not in said


def test_imported_document_without_muscles_says_nothing_of_them(built: Path) -> None:
    for name, text in _texts(built / "out" / "turkish-get-up").items():
        if name.endswith(".timeline.json"):  # what it says, not its keys ("target_lufs")
            text = " ".join(s["text"] for s in json.loads(text)["segments"]
                            if s["kind"] == "speech")
        low = text.lower()
        assert "unspecified" not in low and "it trains" not in low, name
        assert "target" not in low and "primary" not in low, name
