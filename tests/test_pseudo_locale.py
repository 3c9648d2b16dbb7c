"""No hard-coded English: every format, built in a generated pseudo-locale, shows and says
only catalog words.

A pseudo catalog for ``en-XA`` wraps and accents every message of the English catalog
(``Instructions`` → ``⟦Ínstrúçtíóñs⟧``, fields kept). A document in that language
whose own text holds none of the catalog's English is built with every format; the
text of every output
(pdftotext and PDF metadata, XHTML and HTML text, VTT, timeline JSON, ID3 titles, the
BRF back-translated) may then hold no English catalog message, and must hold the pseudo
messages each format is expected to show.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from kickback_export.content import catalogs
from kickback_export.content.phrases import DOMAIN, ENV

pytestmark = pytest.mark.slow

ACCENTS = str.maketrans("aceinouyAEIOUY", "áçéíñóúýÁÉÍÓÚÝ")  # letters braille keeps
FIELD = re.compile(r"(\{[^{}]*\})")
LANG = "en-XA"

DOCUMENT: dict[str, Any] = {
    "id": "zorbel-vantic",
    "name": "Zorbel vantic",
    "language": LANG,
    "summary": "Quorv dabbik plenx.",
    "overview": ["Vumo trazzle kipnor wex."],
    "muscles": {"primary": [{"name": "glorbs", "anatomy": ["glorbus maximus"]}],
                "secondary": [{"name": "hamplets"}]},
    "equipment": ["zibbon"],
    "level": "beginner",
    "setup": ["Flonk zibbon."],
    "steps": [{"text": "Prell glorbs."}, {"text": "Drov zimply."}],
    "tips": ["Keb zorbly."],
    "cautions": ["Nix wembly."],
    "faq": [{"question": "Wib zorbel?", "answer": "Yop vantic."}],
    "image_description": "Plonk zorbing zibbon.",
    "prescription": {"sets": 2, "reps": 2, "sides": "both", "limb": "glib",
                     "tempo": "3-0-3-2", "tempo_start": "lifting", "rest": 12, "switch": 8,
                     "load": "grob plink"},
}


def pseudo(message: str) -> str:
    """Accent the words, keep the ``{fields}``, wrap the whole."""
    parts = FIELD.split(message)
    return "⟦" + "".join(p if FIELD.fullmatch(p) else p.translate(ACCENTS) for p in parts) + "⟧"


def write_pseudo_catalog(locales: Path, folder: str = "en_XA") -> None:
    """The pseudo catalog of every template message, as ``locales/<folder>/LC_MESSAGES``."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="en", domain=DOMAIN)
    for message in catalogs.template():
        if not message.id:
            continue
        string = (tuple(pseudo(m) for m in message.id) if isinstance(message.id, tuple)
                  else pseudo(message.id))
        catalog.add(message.id, string, context=message.context)
    messages = locales / folder / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with open(messages / f"{DOMAIN}.po", "wb") as fh:
        write_po(fh, catalog)


def english_messages() -> list[str]:
    out = []
    for message in catalogs.template():
        if message.id:
            out.extend(message.id if isinstance(message.id, tuple) else [message.id])
    return out


def fragments(message: str) -> list[str]:
    """The literal words of a message (between its fields) that would betray it."""
    out = []
    for part in FIELD.split(message):
        if FIELD.fullmatch(part):
            continue
        words = part.strip(" ,.:;()×·\u00a0")
        if re.search(r"[A-Za-z]{3}", words):
            out.append(words)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pseudo")
    write_pseudo_catalog(root / "locales")
    source = root / "source"
    source.mkdir()
    (source / "zorbel-vantic.yaml").write_text(yaml.safe_dump(DOCUMENT, allow_unicode=True),
                                               encoding="utf-8")
    env = {**os.environ, ENV: str(root / "locales")}
    proc = subprocess.run(
        [sys.executable, "-m", "kickback_export", "build", str(source), "--out",
         str(root / "out"), "--jobs", "1", "--quiet"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return root / "out"


# identifiers that read like words but are not prose (a specification's name)
MACHINE_VALUES = re.compile(r'<meta property="dcterms:conformsTo"[^>]*>[^<]*</meta>')


def _markup_text(raw: str) -> str:
    """Element text and the attributes people read (alt, title, aria-label, content)."""
    raw = MACHINE_VALUES.sub(" ", raw)
    said = re.findall(r'(?:alt|title|aria-label|content)="([^"]*)"', raw)
    return re.sub(r"<[^>]+>", " ", raw) + " " + " ".join(said)


def _pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    said = [line.split(":", 1)[1] for line in info.splitlines()
            if line.split(":", 1)[0] in ("Title", "Subject", "Keywords", "Author", "Creator")]
    return text + "\n" + "\n".join(said)


def _id3_text(path: Path) -> str:
    from mutagen.id3 import ID3

    tags = ID3(path)
    out = []
    for frame in tags.values():
        out.append(str(frame))
        for sub in getattr(frame, "sub_frames", {}).values():
            out.append(str(sub))
    return "\n".join(out)


def _timeline_text(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    said = [s.get("text", "") for s in data["segments"]]
    return "\n".join([data.get("title", ""), *(c["title"] for c in data["chapters"]), *said])


def _brf_text(path: Path) -> str:
    from kickback_export.engines.braille import louis

    lines = path.read_bytes().decode("ascii").replace("\f", "\n").splitlines()
    return louis.back_translate("en-us-brf.dis,en-ueb-g2.ctb",
                               " ".join(line.strip() for line in lines))


READERS = {".pdf": _pdf_text, ".mp3": _id3_text, ".brf": _brf_text}


def texts(out: Path) -> dict[str, str]:
    """Every output's readable text, by file name."""
    found: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        name = path.name
        if path.suffix in READERS:
            found[name] = READERS[path.suffix](path)
        elif name.endswith(".timeline.json"):
            found[name] = _timeline_text(path)
        elif path.suffix in (".html", ".vtt"):
            found[name] = _markup_text(path.read_text(encoding="utf-8"))
        elif path.suffix == ".epub":
            with zipfile.ZipFile(path) as zf:
                found[name] = "\n".join(
                    _markup_text(zf.read(n).decode("utf-8")) for n in zf.namelist()
                    if n.endswith((".xhtml", ".opf", ".smil")))
    return found


def test_no_english_catalog_message_in_any_output(built: Path) -> None:
    outputs = texts(built)
    kinds = {Path(n).suffix for n in outputs} | {".json" for n in outputs if n.endswith(".json")}
    assert {".pdf", ".epub", ".mp3", ".vtt", ".json", ".brf", ".html"} <= kinds, sorted(outputs)
    leaks = []
    for message in english_messages():
        for fragment in fragments(message):
            pattern = re.compile(r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])")
            for name, text in outputs.items():
                if pattern.search(text):
                    leaks.append(f"{name}: {fragment!r} (from {message!r})")
    assert not leaks, "\n".join(sorted(set(leaks)))


def test_every_output_shows_the_pseudo_words(built: Path) -> None:
    outputs = texts(built)
    side, kick = pseudo("left"), pseudo("lift")  # the catalog's word for the first phase
    instructions, sets = pseudo("Instructions"), pseudo("Sets")
    expected = {
        "zorbel-vantic-card.pdf": [side, kick],
        "zorbel-vantic-large-print.pdf": [instructions, sets, kick],
        "zorbel-vantic.epub": [instructions, sets, kick],
        "zorbel-vantic.html": [instructions, sets, kick],
        "zorbel-vantic-guide.vtt": [pseudo("Guided sets."), kick],
        "zorbel-vantic-guide.timeline.json": [pseudo("Guided sets."), kick],
        "zorbel-vantic-guide.mp3": [pseudo("Guided sets")],
    }
    for name, wanted in expected.items():
        assert name in outputs, sorted(outputs)
        for message in wanted:
            assert message in outputs[name], (name, message)
    braille = unicodedata.normalize("NFC", outputs["zorbel-vantic.brf"])
    for message in (instructions, sets):  # braille writes the brackets its own way
        assert message.strip("⟦⟧") in braille, message


def test_the_load_is_shown_in_every_visual_output_and_said_in_each_set(built: Path) -> None:
    outputs = texts(built)
    load = DOCUMENT["prescription"]["load"]
    for name in ("zorbel-vantic-card.pdf", "zorbel-vantic-large-print.pdf",
                 "zorbel-vantic.epub", "zorbel-vantic.html", "zorbel-vantic.brf"):
        assert load in " ".join(outputs[name].split()), name
    data = json.loads((built / "zorbel-vantic" / "zorbel-vantic-guide.timeline.json")
                      .read_text(encoding="utf-8"))
    said = [s["text"] for s in data["segments"] if s.get("role") == "announce"]
    with_load = [text for text in said if load in text]
    rx = DOCUMENT["prescription"]
    assert len(with_load) == rx["sets"] * 2, said  # every set, on each side
