"""Speech engines as plug-ins: a third party's engine (tests/plugin_tone, a sine-tone
"voice" at 16 kHz) installed and used through ``--engine``, the ``voices`` command, the
one-line errors, and the clip cache keeping engines and voices apart.

The tone voice says each sentence as a tone of a known length, so the guide it speaks
can be measured exactly: the same timing contract as espeak-ng's.
"""

from __future__ import annotations

import json
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kickback_export.engines.audio import clips, speech, tts
from kickback_export.engines.audio.tts.base import VoiceInfo, pick
from kickback_export.errors import OptionError

from conftest import SOURCE
from test_audio import STEM, assert_pauses_exact, onset, read_pcm
from test_cli import install, run
from test_lifecycle import imported

TONE = Path(__file__).parent / "plugin_tone"
SR = clips.SAMPLE_RATE
RATE = 150  # words per minute: the tone voice's sentence lasts words × 60 / RATE seconds


@pytest.fixture(scope="module")
def tone_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install(tmp_path_factory, TONE)


@pytest.fixture(scope="module")
def tone_guide(tone_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seed's guide spoken by the third-party tone engine, through the command line."""
    tmp = tmp_path_factory.mktemp("tone")
    proc = run(["build", str(SOURCE), "-f", "audio", "--engine", "tone", "--voice", "a880",
                "--rate", str(RATE), "-o", str(tmp / "out"), "-q"], tone_path,
               KICKBACK_EXPORT_CACHE=str(tmp / "cache"))
    assert proc.returncode == 0, proc.stderr
    folder = next(p for p in (tmp / "out").iterdir() if p.is_dir())
    timeline = json.loads((folder / f"{STEM}.timeline.json").read_text(encoding="utf-8"))
    return {"pcm": read_pcm(folder / f"{STEM}.wav"), "timeline": timeline,
            "vtt": (folder / f"{STEM}.vtt").read_text(encoding="utf-8")}


def test_a_third_party_engine_speaks_the_guide(tone_guide: dict[str, Any]) -> None:
    timeline, pcm = tone_guide["timeline"], tone_guide["pcm"]
    assert timeline["voice"] == "a880"
    speech_segs = [s for s in timeline["segments"] if s["kind"] == "speech"]
    assert len(speech_segs) > 250
    for seg in speech_segs:
        # the clip's real length: the tone as long as its words, padding trimmed off
        expected = len(seg["text"].split()) * 60 / RATE
        assert seg["end"] - seg["start"] == pytest.approx(expected, abs=0.002), seg["text"]
        assert onset(pcm, seg["start"]) == pytest.approx(seg["start"], abs=0.02)
    # 16 kHz tones resampled to the track's rate keep their pitch
    longest = max(speech_segs, key=lambda s: s["end"] - s["start"])
    piece = pcm[round(longest["start"] * SR): round(longest["end"] * SR)].astype(float)
    spectrum = np.abs(np.fft.rfft(piece))
    assert np.fft.rfftfreq(piece.size, 1 / SR)[int(np.argmax(spectrum))] == pytest.approx(
        880, abs=2)


def test_a_third_party_engine_keeps_the_timing_contract(tone_guide: dict[str, Any]) -> None:
    assert_pauses_exact(tone_guide["pcm"], tone_guide["timeline"]["segments"])
    cues = tone_guide["vtt"].count(" --> ")
    assert cues == sum(1 for s in tone_guide["timeline"]["segments"] if s["kind"] == "speech")


def test_voices_lists_every_engine(tone_path: Path) -> None:
    proc = run(["voices"], tone_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("espeak (default): espeak-ng ")
    assert "tone: tone 1" in lines
    assert any(line.split()[:1] == ["a440"] and line.endswith("en, de") for line in lines)
    assert any(line.split()[:1] == ["gmw/de"] for line in lines)
    only = run(["voices", "--engine", "tone", "--language", "de"], tone_path)
    assert only.stdout.splitlines() == ["tone: tone 1",
                                        "  a440                     A 440 Hz"
                                        "                     en, de"]


def test_an_unknown_engine_or_voice_is_one_line(tone_path: Path, tmp_path: Path) -> None:
    for args, words in (
        (["--engine", "nope"], "--engine nope: no such speech engine (installed: espeak,"),
        (["--engine", "tone", "--voice", "a1000"], "--voice a1000: speech engine 'tone' has"),
    ):
        proc = run(["build", str(SOURCE), "-f", "audio,html", *args, "-o", str(tmp_path / "o"),
                    "-q", "--force"], tone_path)
        assert proc.returncode == 2, proc.stderr
        [line] = proc.stderr.splitlines()
        assert words in line
        assert list((tmp_path / "o").glob("*/*.html"))  # the other formats are built
    assert run(["voices", "--engine", "nope"]).returncode == 2


def test_listing_and_help_discover_no_speech_engine() -> None:
    for args in (["formats"], ["build", "--help"], ["--help"]):
        modules = imported(*args)
        assert "kickback_export.cli" in modules
        assert not [m for m in modules if m.startswith("kickback_export.engines")
                    or m.split(".")[0] in {"piper", "onnxruntime", "pyttsx3"}]


def test_the_cache_never_mixes_engines_or_models(tmp_path: Path) -> None:
    base = speech.Voice("joe", "joe", 175, "piper-tts 1.2.0; model sha256 aaaa", plugin="piper",
                        source=str(tmp_path / "a.onnx"))
    other_model = speech.Voice("joe", "joe", 175, "piper-tts 1.2.0; model sha256 bbbb",
                               plugin="piper")
    other_engine = speech.Voice("joe", "joe", 175, "piper-tts 1.2.0; model sha256 aaaa",
                                plugin="tone")
    moved = speech.Voice("joe", "joe", 175, "piper-tts 1.2.0; model sha256 aaaa", plugin="piper",
                         source=str(tmp_path / "elsewhere.onnx"))
    keys = [clips.clip_key("kick", v) for v in (base, other_model, other_engine, moved)]
    assert len(set(keys[:3])) == 3
    assert keys[3] == keys[0]  # the same model file elsewhere is the same voice


def test_voice_choice_by_name_then_language() -> None:
    voices = [VoiceInfo("a", "Alpha", ("en-GB",)), VoiceInfo("b", "Beta", ("en-US", "en"))]
    assert pick("x", voices, "en-US", None).id == "b"
    assert pick("x", voices, "en-AU", None).id == "a"  # same primary language
    assert pick("x", voices, "de", "alpha").id == "a"
    with pytest.raises(OptionError, match="has no voice for the document language 'fr'"):
        pick("x", voices, "fr", None)
    with pytest.raises(OptionError, match="'x' has no such voice"):
        pick("x", voices, "en", "gamma")
    assert tts.names()[0] == tts.DEFAULT == "espeak"


def test_resampling_keeps_length_and_pitch(tmp_path: Path) -> None:
    rate = 16000
    t = np.arange(rate) / rate
    tone = (np.sin(2 * np.pi * 300 * t) * 10000).astype(np.int16)
    path = tmp_path / "tone.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(tone.astype("<i2").tobytes())
    with pytest.raises(ValueError, match="expected mono 16-bit 22050 Hz"):
        clips.read_wav(path)
    out = clips.read_wav(path, any_rate=True)
    assert out.size == SR
    spectrum = np.abs(np.fft.rfft(out.astype(float)))
    assert int(np.argmax(spectrum)) == 300
