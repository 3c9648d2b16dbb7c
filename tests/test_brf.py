"""The BRF exporter: the braille reads back as the document, on correctly shaped pages."""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from same import same

from kickback_export import Exercise, languages
from kickback_export.content.exercise_page import heading
from kickback_export.content.phrases import phrases
from kickback_export.content.text import text_of
from kickback_export.engines.braille import braille, louis
from kickback_export.errors import ContentError, MissingPieceError, exit_code
from kickback_export.exporters import Exporter, brf
from kickback_export.fsutil import TMP_PREFIX
from kickback_export.registry import Options

pytestmark = pytest.mark.skipif(
    not ctypes.util.find_library("louis"), reason="liblouis (Debian liblouis20) not installed"
)

EN = "en-us-brf.dis,en-ueb-g2.ctb"
DIGITS = "JABCDEFGHI"  # braille ASCII letters a–j written as digits after the number sign
STEP = re.compile(r"^#[A-J]+4 ")  # "1. " → number sign, digits, period (dots 2-5-6 = "4")


# --- helpers ----------------------------------------------------------------------------------


def pages_of(data: bytes) -> list[list[str]]:
    """Split a BRF into pages of lines (line ends removed), checking CRLF on the way."""
    text = data.decode("ascii")
    assert "\n" not in text.replace("\r\n", ""), "bare LF or CR in output"
    assert text.endswith("\r\n")
    pages = []
    for page in text.split("\f"):
        assert page.endswith("\r\n"), "a page does not end with a complete line"
        pages.append(page[:-2].split("\r\n"))
    return pages


def page_number(line: str) -> int:
    token = line.strip()
    assert re.fullmatch(r"#[A-J]+", token), f"not a braille page number: {line!r}"
    return int("".join(str(DIGITS.index(c)) for c in token[1:]))


def words(text: str) -> list[str]:
    """Compare by words: case, punctuation and spacing are not what braille preserves."""
    return re.sub(r"[^\w]+", " ", text.lower()).split()


def body_lines(data: bytes) -> Iterator[str]:
    for page in pages_of(data):
        yield from page[: braille.TEXT_LINES]


def numbered_items(data: bytes) -> list[str]:
    """The braille of each numbered item, its runover lines joined back on."""
    items: list[str] = []
    current: list[str] | None = None
    for line in body_lines(data):
        if STEP.match(line):
            if current is not None:
                items.append(" ".join(current))
            current = [line]
        elif current is not None and line.startswith("  ") and line.strip():
            current.append(line.strip())
        elif current is not None:
            items.append(" ".join(current))
            current = None
    if current is not None:
        items.append(" ".join(current))
    return items


def headings(data: bytes) -> list[str]:
    """Lines in cell 5 after a blank line (the title, centred, comes before the first blank)."""
    lines = list(body_lines(data))
    start = lines.index("")
    return [
        line
        for before, line in zip(lines[start:], lines[start + 1 :], strict=False)
        if not before and line.startswith("    ") and line[4] != " "
    ]


@pytest.fixture(scope="module")
def seed_brf(seed_doc: Exercise) -> bytes:
    return brf.render(text_of(seed_doc))


# --- the seed document ------------------------------------------------------------------------


def test_steps_back_translate_to_the_document(seed_doc: Exercise, seed_brf: bytes) -> None:
    items = numbered_items(seed_brf)
    assert len(items) == len(seed_doc.steps)
    for number, (item, step) in enumerate(zip(items, seed_doc.steps, strict=True), start=1):
        back = louis.back_translate(EN, item)
        assert words(back) == words(f"{number}. {step.text}"), (item, back)


def test_every_text_field_is_in_the_braille(seed_doc: Exercise, seed_brf: bytes) -> None:
    back = words(louis.back_translate(EN, " ".join(line.strip() for line in body_lines(seed_brf))))
    joined = " " + " ".join(back) + " "
    wanted = [seed_doc.name, seed_doc.summary, *seed_doc.equipment, *seed_doc.setup,
              *seed_doc.tips, *seed_doc.cautions]
    wanted += [m.name for m in seed_doc.muscles.primary + seed_doc.muscles.secondary]
    wanted += [a for m in seed_doc.muscles.primary + seed_doc.muscles.secondary for a in m.anatomy]
    wanted += [t for qa in seed_doc.faq for t in (qa.question, qa.answer)]
    for text in wanted:
        assert " " + " ".join(words(text)) + " " in joined, text
    assert seed_doc.prescription is not None
    for fact in ("sets 3", "reps per side 12 per leg left leg first",
                 "rest between sets 45 seconds", "switching sides 10 seconds"):
        assert f" {fact} " in joined, fact


def test_sections_come_in_reading_order(seed_brf: bytes) -> None:
    found = [" ".join(words(louis.back_translate(EN, line))) for line in headings(seed_brf)]
    assert found == [  # the page's order; the overview restates the lists: left out
        "target muscles", "equipment", "setup", "instructions", "prescription", "tips",
        "cautions", "frequently asked questions",
    ]


def test_page_geometry(seed_brf: bytes) -> None:
    pages = pages_of(seed_brf)
    assert len(pages) >= 2
    assert seed_brf.count(b"\f") == len(pages) - 1
    numbers = []
    for page in pages:
        assert len(page) == braille.LINES
        assert all(len(line) <= braille.CELLS for line in page)
        assert all(line == line.rstrip() for line in page)
        last = page[-1]
        assert len(last) == braille.CELLS, "page number not at the right margin"
        numbers.append(page_number(last))
    assert numbers == list(range(1, len(pages) + 1))


def test_only_ascii_braille_bytes(seed_brf: bytes) -> None:
    allowed = set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}
    assert set(seed_brf) <= allowed


def test_title_is_centred_and_first(seed_doc: Exercise, seed_brf: bytes) -> None:
    lines = pages_of(seed_brf)[0]
    title_lines = []
    for line in lines:
        if not line:
            break
        title_lines.append(line)
    assert title_lines
    for line in title_lines:
        left = len(line) - len(line.lstrip())
        right = braille.CELLS - len(line)
        assert abs(left - right) <= 1
        assert left >= braille.CENTRE_MARGIN and right >= braille.CENTRE_MARGIN
    back = louis.back_translate(EN, " ".join(line.strip() for line in title_lines))
    assert words(back) == words(seed_doc.name)


def test_headings_are_not_stranded_at_the_foot_of_a_page(seed_brf: bytes) -> None:
    for page in pages_of(seed_brf):
        body = page[: braille.TEXT_LINES]
        for i, line in enumerate(body):
            if i and not body[i - 1] and line.startswith("    ,"):
                assert i + 1 < len(body) and body[i + 1].strip(), f"stranded heading {line!r}"


def test_deterministic(seed_doc: Exercise, seed_brf: bytes) -> None:
    assert brf.render(text_of(seed_doc)) == seed_brf


def test_export_writes_one_file(seed_doc: Exercise, tmp_path: Path) -> None:
    exporter = brf.BrfExporter()
    assert isinstance(exporter, Exporter)
    outputs = exporter.export(text_of(seed_doc), tmp_path, Options())
    assert [o.path.name for o in outputs] == [f"{seed_doc.slug}.brf"]
    assert outputs[0].media_type == "text/plain"
    assert outputs[0].path.parent == tmp_path
    assert same(outputs[0].path, brf.render(text_of(seed_doc)))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]


# --- layout units -----------------------------------------------------------------------------


def test_wrap_never_splits_words_that_fit() -> None:
    text = " ".join(["ABCDEFG", "HI", "JKLMNOPQRST"] * 20)
    lines = braille.wrap(text, 40, 2, 0)
    assert all(len(line) <= 40 for line in lines)
    assert lines[0].startswith("  A")
    assert " ".join(line.strip() for line in lines) == text


def test_wrap_hyphenates_only_an_overlong_word() -> None:
    lines = braille.wrap("AB " + "X" * 100 + " CD", 40, 0, 2)
    assert all(len(line) <= 40 for line in lines)
    assert lines[0] == "AB"
    pieces = [line.strip() for line in lines[1:-1]]
    assert all(p.endswith("-") for p in pieces)
    assert "".join(p[:-1] for p in pieces) + lines[-1].strip().split()[0] == "X" * 100


def test_long_word_in_a_step_stays_within_the_line(make_doc: Callable[..., Exercise]) -> None:
    doc = make_doc(steps=[{"text": "See " + "x" * 90 + " now."}])
    pages = pages_of(brf.render(text_of(doc)))
    assert all(len(line) <= braille.CELLS for page in pages for line in page)


def test_long_document_has_many_numbered_pages(make_doc: Callable[..., Exercise]) -> None:
    text = "Keep the band taut and the pelvis square while you move slowly. " * 6
    doc = make_doc(tips=[text.strip()] * 40)
    pages = pages_of(brf.render(text_of(doc)))
    assert len(pages) > 10
    assert [page_number(p[-1]) for p in pages] == list(range(1, len(pages) + 1))


# --- hostile but valid text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Type <script>alert('x')</script> & stop.", "type script alert x script stop"),
        ("Flex 💪 and smile 😀!", "flex flexed biceps and smile grinning face"),
        ("Family 👨\u200d👩\u200d👧 time.", "family man woman girl time"),
        ("Stand 🏋🏽\ufe0f tall.", "stand weight lifter tall"),
        ("Right\u202eto\u202cleft marks \u200fhere.", "righttoleft marks here"),
        ("Say שלום עולם now.", None),
        ("Math 𝐀𝐁 and ★ star.", None),
        ("Café naïve façade — ok… “quoted” ½.", "café naïve façade ok quoted"),
        ("Decomposed Cafe\u0301 and no\u00a0break\u2009spaces.",
         "decomposed café and no break spaces"),
    ],
)
def test_hostile_text_translates(
    make_doc: Callable[..., Exercise], text: str, expect: str | None
) -> None:
    data = brf.render(text_of(make_doc(steps=[{"text": text}])))
    assert set(data) <= set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}
    [item] = numbered_items(data)
    back = " ".join(words(louis.back_translate(EN, item)))
    if expect is not None:
        assert expect in back, back


ANY_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Cn")), min_size=1, max_size=300
).filter(lambda t: t.strip() != "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, language=st.sampled_from(["en", "de", "fr", "es"]))
def test_any_text_renders_or_is_a_content_error(
    seed_data: dict[str, Any], text: str, language: str
) -> None:
    data = {**seed_data, "language": language, "steps": [{"text": text}], "tips": [text]}
    doc = Exercise.model_validate(data)
    try:
        out = brf.render(text_of(doc))
    except ContentError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(("steps[0]", "tips[0]"))
        return
    assert set(out) <= set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}
    pages = pages_of(out)
    assert all(len(p) == braille.LINES for p in pages)
    assert all(len(line) <= braille.CELLS for p in pages for line in p)
    tables = braille.tables_for(language)
    expected = [louis.translate(tables, str(n)) for n in range(1, len(pages) + 1)]
    assert [p[-1].strip() for p in pages] == expected  # French uses Antoine digits


def test_unsupported_language_is_one_clear_line(make_doc: Callable[..., Exercise]) -> None:
    with pytest.raises(ContentError) as info:
        brf.render(text_of(make_doc(language="ja")))
    message = str(info.value)
    assert "\n" not in message
    assert "'ja'" in message and message.startswith("language:")


@pytest.mark.parametrize(
    ("language", "steps_heading"),
    [("de", "Ausführung"), ("de-CH", "Ausführung"), ("fr", "Exécution"),
     ("es-MX", "Ejecución"), ("en-GB", "Instructions")],
)
def test_other_languages_use_their_table(
    make_doc: Callable[..., Exercise], language: str, steps_heading: str
) -> None:
    doc = make_doc(
        language=language,
        steps=[{"text": "Stellen Sie sich auf das Standbein und atmen Sie ruhig."}],
    )
    data = brf.render(text_of(doc))
    assert set(data) <= set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}
    tables = braille.tables_for(language)
    assert tables.endswith(languages.language(language).braille)
    assert heading("instructions", phrases(language)) == steps_heading  # translated
    braille_heading = louis.translate(tables, steps_heading)
    assert any(line.strip() == braille_heading for line in body_lines(data))


def test_characters_a_table_lacks_are_named(make_doc: Callable[..., Exercise]) -> None:
    # es-g2 lacks "ß" and "#", and writes them with dot 7, which BRF cannot hold.
    tables = braille.tables_for("es")
    prepared = braille.prepare("Straße #1", tables)
    assert prepared == "Stra(latin small letter sharp s)e (number sign)1"
    data = brf.render(text_of(make_doc(language="es", steps=[{"text": "Straße #1"}])))
    assert set(data) <= set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}
    flowing = " ".join(line.strip() for line in body_lines(data))
    assert " ".join(louis.translate(tables, "1. " + prepared).split()) in flowing


def test_unnamed_character_without_6_dot_form_names_field(
    make_doc: Callable[..., Exercise],
) -> None:
    # A private-use character has no name; de-g2 escapes it with dot 7.
    with pytest.raises(ContentError) as info:
        brf.render(text_of(make_doc(language="de", tips=["Gut.", "Icon \ue000 hier"])))
    message = str(info.value)
    assert message.startswith("tips[1]:") and "U+E000" in message and "\n" not in message


def test_french_no_break_spaces_and_foreign_letters(make_doc: Callable[..., Exercise]) -> None:
    # fr-bfu writes U+00A0 with dot 7, and French puts it before ":" "?" "!" and inside « ».
    doc = make_doc(language="fr", steps=[{"text": "Prêt\u00a0? «\u00a0Allez\u00a0»\u202f!"}])
    assert set(brf.render(text_of(doc))) <= set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}
    # es-g2 has no "ç": the base letter is written rather than failing.
    doc = make_doc(language="es", steps=[{"text": "Haga el ejercicio en la façade."}])
    assert set(brf.render(text_of(doc))) <= set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}


def test_missing_table_names_language_and_package(
    make_doc: Callable[..., Exercise], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(languages.known(), "de", languages.Language("de", "xx-no-such-table.ctb"))
    with pytest.raises(louis.TableNotFound) as info:
        brf.render(text_of(make_doc(language="de")))
    message = str(info.value)
    assert "'de'" in message and "liblouis-data" in message and "\n" not in message


# --- the binding ------------------------------------------------------------------------------


def test_missing_library_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_library(*args: object, **kwargs: object) -> None:
        raise OSError("liblouis.so.20: cannot open shared object file")

    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    monkeypatch.setattr(ctypes, "CDLL", no_library)
    louis._lib.cache_clear()
    try:
        with pytest.raises(louis.LouisUnavailable, match="liblouis20"):
            louis.translate(EN, "hello")
    finally:
        monkeypatch.undo()
        louis._lib.cache_clear()
    assert louis.translate(EN, "hello") == "HELLO"


@pytest.mark.parametrize("size", [2, 4])
@pytest.mark.parametrize("text", ["", "plain", "Grüße", "𝐀 😀 שלום"])
def test_widechar_round_trip(size: int, text: str) -> None:
    units = louis.encode(text, size)
    assert all(0 <= u < (1 << (8 * size)) for u in units)
    assert louis.decode(units, size) == text


def test_utf16_units_split_astral_characters() -> None:
    assert louis.encode("😀", 2) == [0xD83D, 0xDE00]
    assert louis.decode([0xD83D], 2) == "\ufffd"  # a lone surrogate is not passed on


def test_char_size_is_supported() -> None:
    assert louis.char_size() in (2, 4)
    assert louis.version()


def test_output_buffer_grows_when_output_is_cut_short() -> None:
    # Each emoji expands to about nine cells (liblouis's escape notation), so a buffer
    # sized to the input is filled; liblouis then still reports all input as read.
    text = "😀" * 300
    braille = louis._call("lou_translateString", EN, text, 0, growth=1)
    assert braille == louis.translate(EN, text)
    assert len(braille) > 8 * len(text)


def test_long_text_round_trips() -> None:
    text = "Brace your midsection and keep your ribcage down. " * 80
    braille = louis.translate(EN, text)
    assert words(louis.back_translate(EN, braille)) == words(text)


def test_errors_follow_the_exit_code_rule() -> None:
    """A missing library or table is a missing system piece (exit 1); text liblouis cannot
    translate is the document's to fix (exit 2)."""
    for missing in (louis.LouisUnavailable, louis.TableNotFound):
        assert issubclass(missing, MissingPieceError) and issubclass(missing, louis.LouisError)
        assert exit_code(missing("x")) == 1
    assert issubclass(louis.TranslationError, ContentError)
    assert exit_code(louis.TranslationError("x")) == 2


def test_translation_failure_is_an_exception_not_a_crash() -> None:
    with pytest.raises(louis.TableNotFound):
        louis.check_table("en-us-brf.dis,xx-no-such-table.ctb")
    with pytest.raises(louis.TranslationError):
        louis.translate("en-us-brf.dis,xx-no-such-table.ctb", "hello")
    with pytest.raises(louis.TableNotFound):
        louis.translate("tablé.ctb", "hello")
