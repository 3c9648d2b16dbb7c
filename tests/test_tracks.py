"""The guide as tracks and a playlist, a rest that waits until the athlete is ready, and
the metronome: built once through the command line (``--tracks``, ``--metronome``), then
every MP3 decoded as a gapless player decodes it and measured, and the playlist read by
a real M3U parser (the ``m3u8`` package)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import earphones
import numpy as np
import pytest

from conftest import ROOT, SOURCE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
    pytest.mark.skipif(shutil.which("lame") is None, reason="the lame CLI decodes the MP3s"),
]

SR = earphones.SR
TOL = 0.020
READY_ID = "kickback-until-ready"
DOCS = {"seed": SOURCE.stem, "de": f"{SOURCE.stem}-de", "workout": "glute-day",
        "ready": READY_ID}


@dataclass
class Guide:
    folder: Path
    slug: str
    timeline: dict[str, Any]

    @property
    def mp3(self) -> Path:
        return self.folder / f"{self.slug}-guide.mp3"

    def decoded(self, name: str, tmp: Path) -> np.ndarray:
        return earphones.decode(self.folder / name, tmp / f"{self.slug}-{name}.wav")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four guides with tracks, one of them with an until-ready rest and the metronome."""
    root = tmp_path_factory.mktemp("tracks")
    ready = root / "src" / f"{READY_ID}.yaml"
    ready.parent.mkdir()
    text = SOURCE.read_text(encoding="utf-8")
    assert "\n  rest: 45\n" in text
    ready.write_text(text.replace(f"id: {SOURCE.stem}\n", f"id: {READY_ID}\n")
                     .replace("\n  rest: 45\n", "\n  rest: until-ready\n"), encoding="utf-8")
    files = [str(SOURCE), str(SOURCE.with_name(f"{SOURCE.stem}-de.yaml")),
             str(ROOT / "source" / "glute-day.yaml")]
    for args in ([*files, "--tracks"], [str(ready), "--tracks", "--metronome"]):
        proc = subprocess.run([sys.executable, "-m", "kickback_export", "build", *args,
                               "-f", "audio", "-o", str(root / "out"), "-q"],
                              capture_output=True, text=True, timeout=1200,
                              stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
    return root / "out"


def guide(out: Path, which: str) -> Guide:
    folder = out / DOCS[which]
    data = json.loads((folder / f"{DOCS[which]}-guide.timeline.json").read_text("utf-8"))
    return Guide(folder, DOCS[which], data)


def playlist(g: Guide) -> Any:
    import m3u8

    return m3u8.load(str(g.folder / f"{g.slug}.m3u8"))


@pytest.mark.parametrize("which", list(DOCS))
def test_the_playlist_lists_every_part_as_a_track(out: Path, which: str) -> None:
    g = guide(out, which)
    raw = (g.folder / f"{g.slug}.m3u8").read_text(encoding="utf-8")
    assert raw.startswith("#EXTM3U\n")
    tracks = playlist(g).segments
    parts = g.timeline["parts"]
    assert [t.title for t in tracks] == [p["title"] for p in parts]
    assert [t.uri for t in tracks] == [f"{g.slug}-tracks/{t['file']}"
                                       for t in g.timeline["tracks"]]
    assert all((g.folder / t.uri).is_file() for t in tracks)
    assert sorted(p.name for p in (g.folder / f"{g.slug}-tracks").iterdir()) == [
        t.uri.split("/")[1] for t in tracks]  # the numbered names sort as played
    for track, part, listed in zip(tracks, parts, g.timeline["tracks"], strict=True):
        if part["until_ready"]:
            assert track.duration == pytest.approx(300.0, abs=0.001)
        else:  # the continuous guide's stretch from 0.3 s before the part to the next
            assert track.duration == pytest.approx(listed["end"] - listed["start"], abs=0.001)
    if which != "ready":
        assert sum(t.duration for t in tracks) == pytest.approx(g.timeline["duration"],
                                                                abs=0.05 * len(tracks))


@pytest.mark.parametrize("which", ["seed", "workout", "ready"])
def test_each_track_is_tagged(out: Path, which: str) -> None:
    import mutagen.id3

    g = guide(out, which)
    tracks = playlist(g).segments
    for n, track in enumerate(tracks, 1):
        tags: Any = mutagen.id3.ID3(str(g.folder / track.uri))
        assert str(tags["TIT2"]) == track.title
        assert str(tags["TRCK"]) == f"{n}/{len(tracks)}"
        assert str(tags["TALB"]) == g.timeline["title"]
        assert str(tags["TPE1"]) == "kickback-export"


@pytest.mark.parametrize("which", ["seed", "de"])
def test_played_in_order_the_tracks_are_the_guide(out: Path, which: str,
                                                  tmp_path: Path) -> None:
    """Each decoded track is its stretch of the decoded guide, to the sample; joined they
    are the guide (no gap, no overlap, no click at the cuts)."""
    g = guide(out, which)
    whole = earphones.decode(g.mp3, tmp_path / "whole.wav").astype(np.int32)
    pieces = [g.decoded(t.uri, tmp_path).astype(np.int32) for t in playlist(g).segments]
    for piece, listed in zip(pieces, g.timeline["tracks"], strict=True):
        assert piece.size == round(listed["end"] * SR) - round(listed["start"] * SR)
    joined = np.concatenate(pieces)
    assert joined.size == whole.size
    assert int(np.abs(joined - whole).max()) <= 4  # the decoder's rounding, nothing heard


@pytest.mark.parametrize("which", list(DOCS))
def test_every_track_opens_on_the_floor_and_never_falls_silent(out: Path, which: str,
                                                                tmp_path: Path) -> None:
    g = guide(out, which)
    problems = {}
    for track in playlist(g).segments:
        got = earphones.heard(g.decoded(track.uri, tmp_path), loud=False)
        if got.problems():
            problems[track.title] = got.problems()
    assert problems == {}


@pytest.mark.parametrize("which", ["de", "workout", "ready"])
def test_the_decoded_guide_is_fit_for_earphones(out: Path, which: str, tmp_path: Path) -> None:
    """German, a workout and a metronome too: the -16 LUFS promise, the true peak, the
    lead-in and no digital silence, in the MP3 as decoded."""
    g = guide(out, which)
    got = earphones.heard(earphones.decode(g.mp3, tmp_path / "d.wav"))
    assert got.problems() == []
    master = earphones.heard(earphones.read_wav(g.folder / f"{g.slug}-guide.wav"))
    assert master.problems() == []
    assert g.timeline["loudness"]["integrated_lufs"] == pytest.approx(master.lufs, abs=0.05)


def test_an_until_ready_rest_waits_with_a_reminder_every_30_seconds(out: Path,
                                                                   tmp_path: Path) -> None:
    g = guide(out, "ready")
    rests = [(k, p) for k, p in enumerate(g.timeline["parts"]) if p["until_ready"]]
    assert len(rests) == 2  # between the three sets
    assert all(t["until_ready"] == p["until_ready"]
               for t, p in zip(g.timeline["tracks"], g.timeline["parts"], strict=True))
    tracks = playlist(g).segments
    for k, part in rests:
        pcm = g.decoded(tracks[k].uri, tmp_path)
        assert pcm.size == 300 * SR
        loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > earphones.SOUND)
        lead = g.timeline["tracks"][k]
        rest0 = part["start"] - lead["start"]  # where "Rest until you are ready." starts
        assert loud[0] / SR == pytest.approx(rest0, abs=TOL)
        said = [s for s in g.timeline["segments"] if s.get("part") == k
                and s["kind"] == "speech"]
        reminder = next(s for s in said if s.get("role") == "reminder")
        assert reminder["text"] == "Start the next set when you are ready."
        length = reminder["end"] - reminder["start"]
        heard_at = []
        for n in range(1, 10):  # 30 s, 60 s … 270 s: each heard where it should be
            at = rest0 + 30 * n
            i = int(np.searchsorted(loud, round((at - 0.1) * SR)))
            heard_at.append(loud[i] / SR)
            assert loud[i] / SR == pytest.approx(at, abs=TOL), n
        assert not np.any(loud > round((heard_at[-1] + length + 0.05) * SR))  # then quiet
    # in the continuous guide the rest lasts its planned 90 s, reminders included: from
    # "Rest until you are ready." to the next set's first rep
    for k, part in rests:
        first_rep = next(s for s in g.timeline["segments"] if s.get("rep") == 1
                         and s.get("set") == part["set"] and s.get("side") == part["side"])
        assert first_rep["start"] - part["start"] == pytest.approx(90.0, abs=0.001)
        said = [s["text"] for s in g.timeline["segments"]
                if s.get("part") == k and s["kind"] == "speech"]
        assert said[0] == "Rest until you are ready."
        assert said.count("Start the next set when you are ready.") >= 2


def test_the_metronome_ticks_softly_on_each_second(out: Path) -> None:
    """A tick at each second of each phase of a rep, 12 LU under the speech (measured:
    a tick heard alone, repeated long enough for BS.1770's blocks)."""
    g = guide(out, "ready")
    ticks = g.timeline["ticks"]
    seconds_of_reps = 3 * 2 * 12 * 4  # sets × sides × reps × 4 s a rep
    assert len(ticks) == seconds_of_reps
    pcm = earphones.read_wav(g.folder / f"{g.slug}-guide.wav")
    speech = [(s["start"], s["end"]) for s in g.timeline["segments"] if s["kind"] == "speech"]
    alone = [t for t in ticks if not any(a < t["end"] + 0.05 and t["start"] - 0.05 < b
                                         for a, b in speech)]
    assert len(alone) > 20
    for tick in alone:
        a, b = round(tick["start"] * SR), round(tick["end"] * SR)
        assert np.abs(pcm[a:b].astype(np.int32)).max() > earphones.SOUND
    t = alone[0]
    one = pcm[round(t["start"] * SR):round(t["end"] * SR)]
    lufs = earphones.loudness(np.tile(one, 40))
    assert lufs == pytest.approx(g.timeline["loudness"]["integrated_lufs"] - 12, abs=1.5)
    plain = guide(out, "seed")
    assert plain.timeline["ticks"] == []  # off unless asked


def test_each_set_track_opens_by_naming_what_starts(out: Path) -> None:
    g = guide(out, "workout")
    segs = g.timeline["segments"]
    for k, part in enumerate(g.timeline["parts"]):
        if part["kind"] != "set":
            continue
        first = next(s for s in segs if s.get("part") == k and s["kind"] == "speech")
        assert first["role"] in ("announce", "switch"), part
    said = [s["text"] for s in segs if s["kind"] == "speech"]
    assert "March in place, 60 seconds." in said  # the warm-up's first item, named
    assert "Go." in said and not [t for t in said if t.startswith("Keep going for")]
