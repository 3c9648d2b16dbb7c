"""What an audio file says about itself: ID3 tags (the guide's chapters, a track's number
and title) and the WebVTT captions. Words are catalog messages in the document's
language; :data:`ARTIST` is a name, not a phrase."""

from __future__ import annotations

import html
import importlib
from typing import Any

from ...content.phrases import phrases
from ...content.track import Timeline

ARTIST = "kickback-export"  # the program that made the file


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _id3() -> Any:
    return importlib.import_module("mutagen.id3")  # its partial type hints stop at calls


def guide_tags(title: str, language: str, timeline: Timeline) -> Any:
    """Title/artist/album and one CHAP frame per chapter under a top-level CTOC.

    A chapter with parts (a workout's block) is a CTOC of its parts' CHAP frames
    instead, so players that only read CHAP frames list each part once.
    """
    ph = phrases(language)
    id3 = _id3()
    CHAP, CTOC, TALB, TIT2, TPE1, CTOCFlags = (
        id3.CHAP, id3.CTOC, id3.TALB, id3.TIT2, id3.TPE1, id3.CTOCFlags
    )
    tags = id3.ID3()
    tags.add(TIT2(encoding=3, text=[ph._("{name}: audio guide", name=title)]))
    tags.add(TPE1(encoding=3, text=[ARTIST]))
    tags.add(TALB(encoding=3, text=[title]))
    ids = [f"chp{i}" for i in range(len(timeline.chapters))]
    parts = {i: [ids[k] for k, c in enumerate(timeline.chapters) if c.parent == chapter.id]
             for i, chapter in enumerate(timeline.chapters)}
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=[f"toc{i}" if parts[i] else ids[i]
                               for i, c in enumerate(timeline.chapters) if c.parent is None],
            sub_frames=[TIT2(encoding=3, text=[ph._("Chapters")])],
        )
    )
    for i, chapter in enumerate(timeline.chapters):
        if parts[i]:
            tags.add(CTOC(element_id=f"toc{i}", flags=CTOCFlags.ORDERED,
                          child_element_ids=parts[i],
                          sub_frames=[TIT2(encoding=3, text=[chapter.title])]))
    for i, (cid, chapter) in enumerate(zip(ids, timeline.chapters, strict=True)):
        if parts[i]:
            continue
        tags.add(
            CHAP(
                element_id=cid,
                start_time=_ms(chapter.start),
                end_time=_ms(chapter.end),
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    return tags


def track_tags(title: str, album: str, number: int, total: int) -> Any:
    """A track's title, its number of the total, the album (the document) and artist."""
    id3 = _id3()
    tags = id3.ID3()
    tags.add(id3.TIT2(encoding=3, text=[title]))
    tags.add(id3.TALB(encoding=3, text=[album]))
    tags.add(id3.TPE1(encoding=3, text=[ARTIST]))
    tags.add(id3.TRCK(encoding=3, text=[f"{number}/{total}"]))
    return tags


def _vtt_time(seconds: float) -> str:
    ms = _ms(seconds)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def vtt_text(timeline: Timeline) -> str:
    """WebVTT: one cue per spoken segment at its real time (``WEBVTT`` is the format's
    signature, not a phrase)."""
    lines = ["WEBVTT", ""]
    for i, seg in enumerate(timeline.speech(), 1):
        text = html.escape(seg.text, quote=False)
        lines += [str(i), f"{_vtt_time(seg.start)} --> {_vtt_time(seg.end)}", text, ""]
    return "\n".join(lines)
