"""The audio guide rendered with the real espeak-ng, then measured.

The guide is rendered once per session; every check reads the files back (WAV with the
stdlib ``wave`` module and numpy, MP3 tags with mutagen) and compares them with the
timeline JSON written beside them.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import queue
import shutil
import subprocess
import sys
import textwrap
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import earphones
import numpy as np
import numpy.typing as npt
import pytest
from same import digest, same

from kickback_export import Exercise
from kickback_export.content.exercise_text import build_timeline
from kickback_export.content.phrases import phrases
from kickback_export.content.text import text_of
from kickback_export.content.timeline import SlotOverflowError
from kickback_export.engines.audio import speech, speech_worker
from kickback_export.engines.audio.tags import guide_tags
from kickback_export.errors import ExportError, MissingPieceError, OptionError, exit_code
from kickback_export.exporters.audio import DEFAULT_RATE, AudioExporter
from kickback_export.registry import Options

from conftest import SOURCE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

SR = 22050
TOL = 0.020  # seconds: what "on time" means in the issue
STEM = "resistance-band-one-leg-kickback-bent-position-guide"


@dataclass
class Rendered:
    out: Path
    timeline: dict[str, Any]
    pcm: npt.NDArray[np.int16]
    outputs: list[Any]


def read_pcm(path: Path) -> npt.NDArray[np.int16]:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, SR)
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.int16)


def export(doc: Exercise, out: Path, **values: Any) -> list[Any]:
    return AudioExporter().export(text_of(doc), out, Options(values))


@pytest.fixture(scope="session")
def guide(seed_doc: Exercise, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    out = tmp_path_factory.mktemp("audio") / seed_doc.slug
    outputs = export(seed_doc, out)
    timeline = json.loads((out / f"{STEM}.timeline.json").read_text(encoding="utf-8"))
    return Rendered(out, timeline, read_pcm(out / f"{STEM}.wav"), outputs)


def idx(seconds: float) -> int:
    return round(seconds * SR)


_SOUND: dict[tuple[int, int], tuple[npt.NDArray[np.int16], npt.NDArray[np.intp]]] = {}


def sound(pcm: npt.NDArray[np.int16], threshold: int = earphones.SOUND
          ) -> npt.NDArray[np.intp]:
    """Indices of every sample of sound, over the floor (computed once per track; the
    track is held with them, so its id cannot be another's)."""
    key = (id(pcm), threshold)
    held = _SOUND.get(key)
    if held is None or held[0] is not pcm:
        held = _SOUND[key] = (pcm, np.flatnonzero(np.abs(pcm.astype(np.int32)) > threshold))
    return held[1]


def onset(pcm: npt.NDArray[np.int16], near: float, window: float = 0.1,
          threshold: int = earphones.SOUND) -> float:
    """Time of the first sample of sound from ``near - window`` on."""
    nz = sound(pcm, threshold)
    i = int(np.searchsorted(nz, max(0, idx(near - window))))
    assert i < nz.size, f"no sound after {near:.3f} s"
    return int(nz[i]) / SR


def test_outputs(guide: Rendered) -> None:
    names = sorted(o.path.name for o in guide.outputs)
    assert names == sorted(f"{STEM}{ext}" for ext in (".wav", ".mp3", ".vtt", ".timeline.json"))
    types = {o.path.suffix: o.media_type for o in guide.outputs}
    assert types == {".wav": "audio/wav", ".mp3": "audio/mpeg", ".vtt": "text/vtt",
                     ".json": "application/json"}
    assert not [p for p in guide.out.iterdir() if p.name.startswith(".kbx-tmp-")]


def test_track_length_loudness_and_floor(guide: Rendered) -> None:
    assert guide.pcm.size == idx(guide.timeline["duration"])
    got = earphones.heard(guide.pcm)
    assert got.problems() == []
    measured = guide.timeline["loudness"]  # what the timeline says is what is heard
    assert measured["integrated_lufs"] == pytest.approx(got.lufs, abs=0.05)
    assert measured["true_peak_dbtp"] == pytest.approx(got.dbtp, abs=0.3)
    assert (measured["target_lufs"], measured["floor_dbfs"]) == (-16.0, -65.0)
    assert guide.timeline["lead_in"] >= earphones.LEAD_IN


def pauses(segments: list[dict[str, Any]]) -> list[tuple[float, float]]:
    """Maximal runs of silence between two sounds, as (start, end)."""
    runs: list[tuple[float, float]] = []
    for i, seg in enumerate(segments):
        if seg["kind"] != "silence":
            continue
        if i and segments[i - 1]["kind"] == "silence":
            runs[-1] = (runs[-1][0], seg["end"])
        else:
            runs.append((seg["start"], seg["end"]))
    return runs


def test_every_pause_is_silent_and_as_long_as_asked(guide: Rendered) -> None:
    assert_pauses_exact(guide.pcm, guide.timeline["segments"])


def assert_pauses_exact(pcm: npt.NDArray[np.int16], segments: list[dict[str, Any]],
                        floor: bool = True, edge: float = 0.0,
                        threshold: int = earphones.SOUND) -> None:
    """Every pause of the timeline is the quiet floor (or, ``floor=False``, digital
    silence), as long as asked (±TOL), measured from the sound around it. ``edge``: the
    seconds at each end left to a codec's smear (pre-echo, ringing) for the floor check;
    ``threshold``: what counts as sound (higher through a codec, for the same reason)."""
    nz = sound(pcm, threshold)
    runs = pauses(segments)
    assert len(runs) > 100
    lo, hi = earphones.FLOOR_RANGE
    for start, end in runs:
        a, b = idx(start), idx(end)
        cut = max(idx(edge), 1)  # the JSON's times are rounded to the microsecond: a
        quiet = pcm[a + cut:max(a + cut, b - cut)]  # sample's doubt at each end
        assert np.abs(quiet.astype(np.int32)).max(initial=0) <= threshold, (
            f"sound inside the pause {start:.3f}–{end:.3f} s")
        if floor:
            assert lo <= earphones.dbfs(quiet) <= hi, f"the pause at {start:.3f} s"
            assert earphones.longest_zero_run(quiet) <= earphones.ZERO_RUN_MAX
        else:
            assert not quiet.any(), f"sound inside the pause {start:.3f}–{end:.3f} s"
        i = int(np.searchsorted(nz, a + cut))  # the sound after the pause
        j = int(np.searchsorted(nz, b - cut))  # the sound before it: nz[j - 1]
        measured_start = (int(nz[j - 1]) + 1) / SR if j else 0.0
        measured_end = int(nz[i]) / SR if i < nz.size else pcm.size / SR
        assert measured_end - measured_start == pytest.approx(end - start, abs=TOL)


def test_every_cue_starts_on_time(guide: Rendered) -> None:
    pcm = guide.pcm
    speech_segs = [s for s in guide.timeline["segments"] if s["kind"] == "speech"]
    assert len(speech_segs) > 250
    for seg in speech_segs:
        assert onset(pcm, seg["start"]) == pytest.approx(seg["start"], abs=TOL), seg["text"]
        a, b = idx(seg["start"]), idx(seg["end"])
        assert np.abs(pcm[a:b].astype(np.int32)).max() > earphones.SOUND


def test_reps_keep_the_tempo_without_drift(guide: Rendered, seed_doc: Exercise) -> None:
    p = seed_doc.prescription
    assert p is not None
    rep_s = p.tempo.rep_seconds
    kicks: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for seg in guide.timeline["segments"]:
        if seg.get("role") == "lift":  # the kick: a kickback's rep starts lifting
            kicks.setdefault((seg["set"], seg["side"]), []).append(seg)
    assert len(kicks) == p.sets * 2
    for segs in kicks.values():
        assert len(segs) == p.reps
        first = onset(guide.pcm, segs[0]["start"])
        for k, seg in enumerate(segs):
            measured = onset(guide.pcm, seg["start"])
            # on the tempo grid, measured from the set's first rep: no accumulated drift
            assert measured - first == pytest.approx(k * rep_s, abs=1.5 / SR)
            assert measured == pytest.approx(segs[0]["start"] + k * rep_s, abs=TOL)


def test_mp3_chapters_and_tags(guide: Rendered, seed_doc: Exercise) -> None:
    import mutagen.id3
    import mutagen.mp3

    ID3: Any = mutagen.id3.ID3
    MP3: Any = mutagen.mp3.MP3
    path = guide.out / f"{STEM}.mp3"
    tags: Any = ID3(str(path))
    assert str(tags["TIT2"]) == f"{seed_doc.name}: audio guide"
    assert str(tags["TPE1"]) == "kickback-export"
    assert str(tags["TALB"]) == seed_doc.name
    toc = tags.getall("CTOC")
    assert len(toc) == 1
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    assert list(toc[0].child_element_ids) == [f"chp{i}" for i in range(len(chaps))]
    for i, chapter in enumerate(guide.timeline["chapters"]):
        frame = chaps[f"chp{i}"]
        assert str(frame.sub_frames["TIT2"]) == chapter["title"]
        assert frame.start_time == round(chapter["start"] * 1000)
        assert frame.end_time == round(chapter["end"] * 1000)
    info: Any = MP3(str(path)).info
    assert info.channels == 1
    assert 64_000 <= info.bitrate <= 96_000
    assert info.length == pytest.approx(guide.timeline["duration"], abs=0.2)


@pytest.mark.skipif(shutil.which("lame") is None, reason="the lame CLI decodes the MP3")
def test_mp3_decodes_to_the_master_sample_for_sample(guide: Rendered, tmp_path: Path) -> None:
    """Decoded as a gapless player does (the LAME tag's delay and padding), the MP3 is the
    master's length to the sample, every cue starts on time (±20 ms), every pause
    is as long as asked, and the earphones get what the master promises."""
    pcm = earphones.decode(guide.out / f"{STEM}.mp3", tmp_path / "decoded.wav")
    assert pcm.size == guide.pcm.size
    for seg in [s for s in guide.timeline["segments"] if s["kind"] == "speech"]:
        assert onset(pcm, seg["start"], threshold=2 * earphones.SOUND) == pytest.approx(
            seg["start"], abs=TOL), seg["text"]
    assert_pauses_exact(pcm, guide.timeline["segments"], edge=0.03,
                        threshold=2 * earphones.SOUND)  # over the codec's pre-echo
    got = earphones.heard(pcm)
    assert got.problems() == []


def parse_vtt(text: str) -> list[tuple[str, str, str]]:
    assert text.startswith("WEBVTT\n")
    cues = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.split("\n")
        start, _, end = lines[1].partition(" --> ")
        cues.append((start, end, html.unescape("\n".join(lines[2:]))))
    return cues


def vtt_seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def assert_vtt_matches(vtt: Path, speech_segs: list[dict[str, Any]]) -> None:
    """One caption per speech segment of the timeline: its text, its times to the ms."""
    cues = parse_vtt(vtt.read_text(encoding="utf-8"))
    assert len(cues) == len(speech_segs)
    for (start, end, text), seg in zip(cues, speech_segs, strict=True):
        assert text == seg["text"]
        assert vtt_seconds(start) == pytest.approx(seg["start"], abs=0.0006)
        assert vtt_seconds(end) == pytest.approx(seg["end"], abs=0.0006)


def test_vtt_matches_the_timeline(guide: Rendered) -> None:
    assert_vtt_matches(guide.out / f"{STEM}.vtt",
                       [s for s in guide.timeline["segments"] if s["kind"] == "speech"])


def test_timeline_json_contract(guide: Rendered) -> None:
    tl = guide.timeline
    segs = tl["segments"]
    assert segs[0]["start"] == 0 and segs[-1]["end"] == tl["duration"]
    for a, b in itertools.pairwise(segs):
        assert a["end"] == b["start"]
    elements = {s.get("element") for s in segs}
    assert {"name", "summary", "step-1", "step-8", "tip-1", "tip-8"} <= elements
    assert tl["voice"] and tl["sample_rate"] == SR


def test_rebuild_is_byte_identical(guide: Rendered, seed_doc: Exercise, tmp_path: Path) -> None:
    """Same input and clip cache, new output folder: the same bytes, nothing re-synthesized."""
    out = tmp_path / seed_doc.slug
    export(seed_doc, out)
    for name in (f"{STEM}.wav", f"{STEM}.mp3", f"{STEM}.vtt", f"{STEM}.timeline.json"):
        assert same(out / name, guide.out / name)


def test_fresh_caches_give_identical_files_on_a_loaded_machine(tmp_path: Path) -> None:
    """Three builds through the command line, each from an empty clip cache, while a busy
    process runs on every core (speech processes start late and finish out of order):
    every output has the same bytes each time (compared by digest)."""
    import multiprocessing

    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(multiprocessing.cpu_count())]
    digests = []
    try:
        for name in ("a", "b", "c"):
            out = tmp_path / name
            proc = subprocess.run(
                [sys.executable, "-m", "kickback_export", "build", str(SOURCE), "-f", "audio",
                 "-o", str(out), "-q", "--tts-workers", "3", "--tracks"],
                capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL,
                env={**os.environ, "KICKBACK_EXPORT_CACHE": str(tmp_path / f"cache-{name}")})
            assert proc.returncode == 0, proc.stderr
            digests.append({p.relative_to(out).as_posix(): digest(p)
                            for p in sorted(out.rglob("*")) if p.is_file()
                            and p.name != "manifest.json"})
    finally:
        for p in busy:
            p.kill()
            p.wait()
    assert len(digests[0]) > 10  # the guide, its tracks and playlist
    for other in digests[1:]:
        assert other == digests[0]  # names and digests: a difference prints in a line


def test_warm_cache_needs_no_synthesis(
    guide: Rendered, seed_doc: Exercise, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("synthesized although every clip is cached")

    monkeypatch.setattr(speech, "run_workers", refuse)
    export(seed_doc, tmp_path / "again")


def test_options_change_the_guide(guide: Rendered, seed_doc: Exercise, tmp_path: Path) -> None:
    export(seed_doc, tmp_path, **{"no_guided": True, "tone": False, "default_pause": 2.0})
    tl = json.loads((tmp_path / f"{STEM}.timeline.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in tl["chapters"]] == ["intro", "technique"]
    assert tl["duration"] < guide.timeline["duration"] / 2
    pcm = read_pcm(tmp_path / f"{STEM}.wav")
    assert pcm.size == idx(tl["duration"])


def test_tone_is_rendered(seed_doc: Exercise, make_doc: Callable[..., Exercise],
                          tmp_path: Path) -> None:
    doc = make_doc(prescription={
        "sets": 1, "reps": 2, "sides": "none",
        "tempo": "2-0-1-1", "tempo_start": "lifting", "rest": 10,
    })
    export(doc, tmp_path, tone=True, no_guided=False)
    tl = json.loads((tmp_path / f"{STEM}.timeline.json").read_text(encoding="utf-8"))
    pcm = read_pcm(tmp_path / f"{STEM}.wav")
    tones = [s for s in tl["segments"] if s["kind"] == "tone"]
    assert len(tones) == 2
    for tone in tones:
        part = pcm[idx(tone["start"]) : idx(tone["end"])]
        assert np.abs(part.astype(np.int32)).max() > 1000
        # 880 Hz: about 2 * 880 * 0.15 zero crossings
        crossings = int(np.count_nonzero(np.diff(np.signbit(part[10:-10]))))
        assert 200 <= crossings <= 280


def test_too_fast_a_tempo_fails_clearly(make_doc: Callable[..., Exercise], tmp_path: Path) -> None:
    doc = make_doc(prescription={
        "sets": 1, "reps": 3, "sides": "none",
        "tempo": "1.5-0-0.15-0", "tempo_start": "lifting", "rest": 0,
    })
    with pytest.raises(SlotOverflowError) as err:
        export(doc, tmp_path)
    assert '"lift"' in str(err.value) and "lifting phase of rep 1" in str(err.value)
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_unknown_language_fails_clearly(make_doc: Callable[..., Exercise], tmp_path: Path) -> None:
    with pytest.raises(speech.VoiceError, match="no voice for the document language 'zz'"):
        export(make_doc(language="zz"), tmp_path)
    with pytest.raises(speech.VoiceError, match="no voice 'nonesuch'"):
        export(make_doc(), tmp_path, voice="nonesuch")


def test_voice_option(make_doc: Callable[..., Exercise]) -> None:
    assert speech.resolve_voice("en-US").id == "gmw/en-US"
    assert speech.resolve_voice("en", "en-us").id == "gmw/en-US"
    assert speech.resolve_voice("de").id == "gmw/de"


def test_errors_follow_the_exit_code_rule() -> None:
    """espeak-ng missing is a missing system piece (1); a voice or rate that cannot be used
    is the user's to fix (2); a synthesis that fails is an export failure (1)."""
    assert issubclass(speech.EngineMissingError, MissingPieceError)
    assert issubclass(speech.EngineMissingError, speech.SpeechError)
    assert issubclass(speech.VoiceError, OptionError)
    assert issubclass(speech.SpeechError, ExportError)
    assert [exit_code(c("x")) for c in (speech.EngineMissingError, speech.VoiceError,
                                        speech.SpeechError)] == [1, 2, 1]
    assert DEFAULT_RATE == speech.DEFAULT_RATE  # the option's default is the engine's
    from kickback_export.document.plan import READY
    from kickback_export.exporters.audio import READY as SAID_IN_HELP

    assert SAID_IN_HELP == READY  # --help says the until-ready length the plan uses


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_mp3_titles_come_from_the_catalog(make_doc: Callable[..., Exercise],
                                          language: str) -> None:
    """The MP3's own titles are catalog messages in the document's language; chapter titles
    are the timeline's (no synthesis needed: the tags depend on the timeline only)."""
    doc = make_doc(language=language)
    timeline = build_timeline(doc, lambda text: 1.0)
    tags = guide_tags(text_of(doc).title, doc.language, timeline)
    ph = phrases(language)
    title = str(tags["TIT2"])
    assert title == ph._("{name}: audio guide", name=doc.name)
    assert doc.name in title and "audio guide" not in title
    toc = str(tags.getall("CTOC")[0].sub_frames["TIT2"])
    assert toc == ph._("Chapters") and toc != "Chapters"
    chaps = tags.getall("CHAP")
    assert [str(c.sub_frames["TIT2"]) for c in chaps] == [c.title for c in timeline.chapters]


MISSING_ENGINE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kickback_export import load
    from kickback_export.content.text import text_of
    from kickback_export.exporters.audio import AudioExporter
    from kickback_export.registry import Options

    if __name__ == "__main__":
        try:
            AudioExporter().export(text_of(load(sys.argv[1])), Path(sys.argv[2]), Options({}))
        except Exception as exc:
            print(type(exc).__name__)
            print(str(exc))
            sys.exit(3)
    """
)


def test_missing_engine_fails_cleanly(tmp_path: Path) -> None:
    """PATH without espeak-ng: one line naming the apt package, and no output files."""
    script = tmp_path / "run.py"
    script.write_text(MISSING_ENGINE, encoding="utf-8")
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    source = Path(__file__).resolve().parents[1] / "source"
    doc = source / "resistance-band-one-leg-kickback-bent-position.yaml"
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, str(script), str(doc), str(out)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 3, done.stderr
    kind, message = done.stdout.splitlines()
    assert kind == "EngineMissingError"
    assert "espeak-ng" in message and "apt" in message
    assert not out.exists() or not list(out.iterdir())


FAKE_ESPEAK = """#!/bin/sh
case "$1" in
  --version) echo "eSpeak NG text-to-speech: 1.51  Data at: $KBX_FAKE_DATA" ;;
  *) echo "Error processing file '$KBX_FAKE_DATA/phontab': No such file or directory." >&2
     exit 1 ;;
esac
"""


def test_missing_voice_data_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """espeak-ng present but its data gone (a broken install): same one-line error."""
    fake = tmp_path / "bin" / "espeak-ng"
    fake.parent.mkdir()
    fake.write_text(FAKE_ESPEAK, encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    monkeypatch.setenv("KBX_FAKE_DATA", str(tmp_path / "gone"))
    with pytest.raises(speech.EngineMissingError) as err:
        speech.resolve_voice("en")
    assert "voice data is missing" in str(err.value) and "'espeak-ng'" in str(err.value)
    (tmp_path / "gone").mkdir()  # data folder there, but espeak-ng cannot read it
    with pytest.raises(speech.EngineMissingError, match=r"espeak-ng failed .*apt package"):
        speech.resolve_voice("en")


def test_engine_that_cannot_start_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """A library that cannot be loaded surfaces as EngineMissingError, one line."""
    from kickback_export.engines.audio.tts import espeak

    def broken(name: str) -> None:
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    monkeypatch.setattr(espeak.ctypes, "CDLL", broken)
    results: queue.Queue[tuple[str, Any]] = queue.Queue()
    speech_worker.work([(0, "hello")], "gmw/en", 175, "unused",
                       lambda kind, value: results.put((kind, value)))
    kind, (name, message) = results.get_nowait()
    assert (kind, name) == ("error", "EngineMissingError")
    assert "espeak-ng" in message and "apt" in message
    error = speech.rebuild_error(name, message)
    assert isinstance(error, speech.EngineMissingError) and "\n" not in str(error)


ORDERS = """
import hashlib, sys
from kickback_export.engines.audio.tts.espeak import EspeakSynthesizer
synth = EspeakSynthesizer("gmw/en", 175)
for text in sys.argv[1:]:
    print(hashlib.sha256(synth.synthesize(text)).hexdigest())
"""


def test_a_sentence_sounds_the_same_whatever_was_said_before() -> None:
    """espeak-ng carries state from one utterance to the next: each sentence is spoken from
    a fresh state, so its clip is the same bytes in any process, after anything, in any
    order, and said twice in a row (the race of two builds filling one cache)."""
    said = ["Rest for 45 seconds.", "Set 1 of 3, left leg, 12 reps.", "Three."]
    runs = [["Rest for 45 seconds.", *said], [*reversed(said), "Rest for 45 seconds."],
            ["A long sentence to change whatever state the voice keeps.", *said]]
    digests = []
    for texts in runs:
        out = subprocess.run([sys.executable, "-c", ORDERS, *texts], capture_output=True,
                             text=True, timeout=120, check=True).stdout.split()
        digests.append(dict(zip(texts, out, strict=True)))
    for text in said:
        assert len({d[text] for d in digests}) == 1, text
    first = digests[0]["Rest for 45 seconds."]
    assert subprocess.run([sys.executable, "-c", ORDERS, "Rest for 45 seconds.",
                           "Rest for 45 seconds."], capture_output=True, text=True,
                          timeout=120, check=True).stdout.split() == [first, first]


def test_clip_checks(tmp_path: Path) -> None:
    silent = np.zeros(1000, dtype=np.int16)
    assert speech.trim(silent).size == 0
    clip = np.array([0, 5, -300, 20, 400, 3, 0], dtype=np.int16)
    assert speech.trim(clip).tolist() == [-300, 20, 400]
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x00\x00")
    with pytest.raises(ValueError, match="not a readable WAV"):
        speech.read_wav(bad)
    with pytest.raises(ValueError, match="not a readable WAV"):
        speech.read_wav(tmp_path / "absent.wav")
    voice = speech.Voice("gmw/en", "English", 175, "espeak-ng 1.51")
    keys = {
        speech.clip_key("kick", voice),
        speech.clip_key("kick ", voice),
        speech.clip_key("kick", speech.Voice("gmw/en", "English", 180, "espeak-ng 1.51")),
        speech.clip_key("kick", speech.Voice("gmw/en-US", "English", 175, "espeak-ng 1.51")),
        speech.clip_key("kick", speech.Voice("gmw/en", "English", 175, "espeak-ng 1.52")),
    }
    assert len(keys) == 5


def test_partition_is_balanced_and_deterministic() -> None:
    texts = [f"sentence number {i} " * (i % 5 + 1) for i in range(30)]
    parts = speech.partition(texts, 2)
    assert parts == speech.partition(texts, 2)
    assert sorted(t for p in parts for t in p) == sorted(texts)
    loads = [sum(len(t) for t in p) for p in parts]
    assert max(loads) - min(loads) <= max(len(t) for t in texts) + 20
    for p in parts:  # each worker keeps document order
        assert p == [t for t in texts if t in p]


def test_the_first_clip_cached_for_a_sentence_is_the_one_every_build_uses(
    tmp_path: Path,
) -> None:
    """espeak-ng's clips of one sentence differ by a few samples between processes; two
    builds synthesizing it at once must both use the one the cache keeps (so a cold build
    equals a warm one)."""
    from kickback_export.engines.audio import clips
    from kickback_export.engines.audio.voices import Voice

    voice = Voice("gmw/en-US", "English (America)", 175, "espeak-ng test")
    first = np.array([0, 100, -100, 50], dtype=np.int16)
    second = np.array([0, 100, -100, 50, 25], dtype=np.int16)
    assert np.array_equal(clips.store(tmp_path, "Set 1 of 3.", voice, first), first)
    kept = clips.store(tmp_path, "Set 1 of 3.", voice, second)
    assert np.array_equal(kept, first)
    cached = clips.load_cached(tmp_path, "Set 1 of 3.", voice)
    assert cached is not None and np.array_equal(cached, first)
    assert [p.name for p in tmp_path.rglob("*") if p.name.startswith(".")] == []
