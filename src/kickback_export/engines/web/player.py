"""The spoken guide on a web page: a player, its captions, and links that seek it.

A phone at the gym needs no other app: the page plays the guide's MP3 in an ``<audio
controls>`` element with the WebVTT captions as a track in the page's language, and lists
the guide's chapters (and, when the guide was also cut into tracks, its parts) as links
that move the player there. Each link's address is the MP3 with a media fragment
(``guide.mp3#t=75.2``), so without script it still opens the guide at that moment; the
page's one small script makes it seek the player instead, and start it.

What is said when comes from the guide's timeline JSON (the audio's source of truth),
read here as data: this module knows the file format, not the code that wrote it.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...content.phrases import Phrases, phrases
from .xhtml import Builder

MP3, VTT, JSON = "audio/mpeg", "text/vtt", "application/json"
PLAYLIST = frozenset({"audio/x-mpegurl", "audio/mpegurl", "application/vnd.apple.mpegurl"})
PLAYER_ID = "guide-player"

SCRIPT = """\
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a[data-start]") : null;
  var player = document.getElementById("PLAYER");
  if (!link || !player || !player.play) return;
  event.preventDefault();
  player.currentTime = parseFloat(link.getAttribute("data-start"));
  player.play();
});
""".replace("PLAYER", PLAYER_ID)

STYLE = """\
.guide audio { width: 100%; margin: 0.5em 0; }
.guide time { font-variant-numeric: tabular-nums; }
@media print { .guide { display: none; } }
"""
"""Added to the page's stylesheet when it carries the guide (a player prints as nothing
useful, so the printed page leaves it out)."""


@dataclass(frozen=True)
class Mark:
    """A titled moment of the guide: a chapter or a part (a track of the playlist)."""

    title: str
    start: float
    depth: int = 0  # a chapter inside another (a workout's exercise in its block)


@dataclass(frozen=True)
class Guide:
    """What the page needs of a guide: its files (addresses beside the page), its length
    and its marks."""

    mp3: str
    captions: str | None
    duration: float
    chapters: tuple[Mark, ...]
    parts: tuple[Mark, ...] = ()
    playlist: str | None = None


def guide_of(files: Sequence[tuple[Path, str, str]]) -> Guide | None:
    """The guide among a document's audio files, each ``(path to read, address, media
    type)``; None when they hold no continuous MP3 and its timeline."""
    top = [f for f in files if "/" not in f[1]]  # the tracks lie in a folder of their own
    mp3 = next((f for f in top if f[2] == MP3), None)
    timeline = next((f for f in top if f[2] == JSON), None)
    if mp3 is None or timeline is None:
        return None
    data: dict[str, Any] = json.loads(timeline[0].read_text(encoding="utf-8"))
    captions = next((f[1] for f in top if f[2] == VTT), None)
    playlist = next((f[1] for f in top if f[2] in PLAYLIST), None)
    chapters = tuple(Mark(str(c["title"]), float(c["start"]), 1 if c.get("parent") else 0)
                     for c in data.get("chapters", ()))
    parts = tuple(Mark(str(p["title"]), float(p["start"]))
                  for p in data.get("parts", ())) if playlist else ()
    return Guide(mp3[1], captions, float(data["duration"]), chapters, parts, playlist)


def section(b: Builder, guide: Guide, language: str) -> ET.Element:
    """The guide's ``<section>``: heading, player, download links, chapters, parts."""
    p = phrases(language)
    node = ET.Element("section", {"class": "guide", "aria-labelledby": "guide-heading"})
    b.label(node, "h2", p._("Audio guide"), id="guide-heading")
    audio = b.el(node, "audio", controls="controls", preload="metadata", src=guide.mp3,
                 id=PLAYER_ID)
    if guide.captions:
        b.el(audio, "track", kind="captions", src=guide.captions, srclang=language,
             label=p.language_name(), default="default")
    download = p._("Download the audio guide (MP3)")
    b.label(audio, "a", download, href=guide.mp3)  # for a browser that plays no audio
    shown, iso = p.clock(guide.duration)
    downloads = b.el(node, "p")
    b.label(downloads, "a", download, href=guide.mp3).tail = " ("
    b.el(downloads, "time", shown, datetime=iso).tail = ")"
    if guide.playlist:
        b.label(b.el(node, "p"), "a", p._("Playlist: a track for each set and each rest (M3U)"),
                href=guide.playlist)
    _marks(b, node, p._("Chapters"), "guide-chapters", guide.mp3, guide.chapters)
    if guide.parts:
        _marks(b, node, p._("Tracks"), "guide-tracks", guide.mp3, guide.parts)
    b.el(node, "script", SCRIPT)
    return node


def _marks(b: Builder, parent: ET.Element, heading: str, hid: str, mp3: str,
           marks: Sequence[Mark]) -> None:
    """A heading and a list of links that seek the player (nested chapters indented)."""
    if not marks:
        return
    b.label(parent, "h3", heading, id=hid)
    top = b.el(parent, "ol", aria_labelledby=hid)
    inner: ET.Element | None = None
    for mark in marks:
        if mark.depth and len(top):
            if inner is None:
                inner = b.el(top[-1], "ol")
            item = b.el(inner, "li")
        else:
            item, inner = b.el(top, "li"), None
        b.el(item, "a", mark.title, href=f"{mp3}#t={mark.start:.3f}",
             data_start=f"{mark.start:.3f}").tail = " "
        shown, iso = Phrases.clock(mark.start)
        b.el(item, "time", shown, datetime=iso)
