"""An EPUB section read aloud: an MP3 and a SMIL media overlay that highlights as it speaks.

The overlay's clip times are the element spans of the very timeline the MP3 was
rendered from (:mod:`kickback_export.engines.audio.render`), and the timeline speaks the
page's own blocks under the page's own ids (:mod:`kickback_export.content.reading`),
so highlighting and audio cannot drift apart. :func:`narrate_section` still checks
the result against the page; a mismatch is a bug here, not in the document.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...content.text import TextModel
from ...content.timeline import TimelineOptions
from ...errors import ExportError
from .section import STYLESHEET, STYLESHEET_RESOURCE, Narration, Resource, Section

if TYPE_CHECKING:
    from ..audio.render import Rendered

AUDIO_DIR = "audio"
OVERLAY_DIR = "overlays"
SMIL_TYPE = "application/smil+xml"
MP3_TYPE = "audio/mpeg"  # an EPUB core media type; WAV is not one
ACTIVE_CLASS = "-epub-media-overlay-active"

READ_ALOUD = TimelineOptions(read_aloud=True, tail=0.0)
"""The narration's layout: all the page's text as printed, short gaps, no trailing silence."""

NARRATED_STYLESHEET = STYLESHEET + f"""\
/* The element being read aloud: outlined in the text colour, so the reader's theme
   still decides how it looks. */
.{ACTIVE_CLASS} {{ outline: 0.1em solid currentColor; outline-offset: 0.1em; }}
"""
NARRATED_STYLESHEET_RESOURCE = dataclasses.replace(
    STYLESHEET_RESOURCE, data=NARRATED_STYLESHEET.encode("utf-8")
)


def clock(ms: int) -> str:
    """A SMIL full clock value, ``H:MM:SS.mmm``."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    sec, ms = divmod(rest, 1000)
    return f"{h}:{m:02d}:{sec:02d}.{ms:03d}"


def _relative(from_dir: str, file_name: str) -> str:
    return "../" * len(from_dir.split("/")) + file_name


def reads_out(pieces: Sequence[str], shown: str) -> bool:
    """Every spoken piece is the element's text, in order; only what has nothing to
    pronounce (a lone ":" after a label, say) may be left unsaid."""
    at = 0
    for piece in (" ".join(p.split()) for p in pieces):  # as ``shown``: spaces folded
        found = shown.find(piece, at)
        if found < 0:
            return False
        if any(c.isalnum() for c in shown[at:found]):
            return False
        at = found + len(piece)
    return not any(c.isalnum() for c in shown[at:])


def _check(section: Section, rendered: Rendered) -> None:
    """The overlay may only point at the page's elements, in page order, and each clip
    must say what its element shows (else the highlight would mislead)."""
    html = ET.fromstring(section.xhtml)
    order = {el.get("id"): i for i, el in enumerate(html.iter()) if el.get("id")}
    spans = rendered.timeline.element_spans()
    unknown = [el for el, _, _ in spans if el not in order]
    if unknown:
        raise ExportError(f"{section.file_name}: narration refers to missing id '{unknown[0]}'")
    if [order[el] for el, _, _ in spans] != sorted(order[el] for el, _, _ in spans):
        raise ExportError(f"{section.file_name}: narration is not in reading order")
    said: dict[str, list[str]] = {}
    for seg in rendered.timeline.speech():
        if seg.element is not None:
            said.setdefault(seg.element, []).append(seg.text)
    for node in html.iter():
        ident = node.get("id")
        shown = " ".join("".join(node.itertext()).split())
        if ident in said and not reads_out(said[ident], shown):
            raise ExportError(f"{section.file_name}: narration of '{ident}' is not its text")


def narrate_section(section: Section, rendered: Rendered) -> Section:
    """The section with its read-aloud: ``rendered`` (a :data:`READ_ALOUD` timeline and its
    track) becomes the MP3, and each element span of that timeline becomes one SMIL
    ``par`` pointing at the element with that id.

    Raises :class:`~kickback_export.errors.ExportError` when the timeline does not
    follow the page (see :func:`_check`).
    """
    from ..audio.render import mp3_bytes

    _check(section, rendered)
    audio = Resource(f"{section.uid}-audio", f"{AUDIO_DIR}/{section.slug}.mp3", MP3_TYPE,
                     mp3_bytes(rendered))
    text_href = _relative(OVERLAY_DIR, section.file_name)
    audio_href = _relative(OVERLAY_DIR, audio.file_name)
    smil = ET.Element("smil", {"xmlns": "http://www.w3.org/ns/SMIL",
                               "xmlns:epub": "http://www.idpf.org/2007/ops", "version": "3.0"})
    body = ET.SubElement(smil, "body")
    total = 0
    for element, start, end in rendered.timeline.element_spans():
        begin_ms, end_ms = round(start * 1000), round(end * 1000)
        total += end_ms - begin_ms
        par = ET.SubElement(body, "par", {"id": f"par-{element}"})
        ET.SubElement(par, "text", {"src": f"{text_href}#{element}"})
        ET.SubElement(par, "audio", {"src": audio_href, "clipBegin": clock(begin_ms),
                                     "clipEnd": clock(end_ms)})
    ET.indent(smil, " ")
    data = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(smil, encoding="unicode")
    overlay = Resource(f"{section.uid}-overlay", f"{OVERLAY_DIR}/{section.slug}.smil",
                       SMIL_TYPE, (data + "\n").encode("utf-8"))
    return dataclasses.replace(section, stylesheet=NARRATED_STYLESHEET_RESOURCE,
                               narration=Narration(audio, overlay, total))


def narrate(
    texts: Sequence[TextModel], sections: Sequence[Section], workers: int | None = None,
    *, engine: str | None = None,
) -> list[Section]:
    """Read-aloud for every section (each made from the text model beside it); the speech
    engine, numpy and LAME are loaded only here.

    The pages' sentences are synthesized in one batch by ``engine`` (a speech engine
    plug-in; default espeak-ng); ``workers`` caps the speech processes (default: one per
    core).
    """
    from ...content.script import ReadAloud
    from ..audio.render import render_many

    rendered = render_many([(ReadAloud(t), t.language) for t in texts], READ_ALOUD,
                           workers=workers, engine=engine)
    return [narrate_section(s, r) for s, r in zip(sections, rendered, strict=True)]
