"""EPUB Accessibility 1.1 discovery metadata: what a publication offers a reader who
cannot see it, hear it, or change how it looks, in the book's language.

Ace checks each of these is present; the summary says it in words, from what the
sections are (pictured, narrated, with pictures given in words) and what the book adds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ...content.phrases import Phrases, phrases
from ...errors import ExportError
from .narration import ACTIVE_CLASS, clock
from .section import Section


def discovery(ph: Phrases, images_described: bool, narrated: bool,
                   pictured: bool = False, note: str | None = None,
                   throughout: bool = True) -> Iterator[tuple[str, str]]:
    """EPUB Accessibility 1.1 discovery metadata; Ace checks each of these is present.
    Pictures are visual content, and text is still sufficient: each has its alt text.
    Audio alone suffices only when every page is narrated (``throughout``); ``note``
    adds a sentence about pages other than exercises."""
    yield "schema:accessMode", "textual"
    if pictured:
        yield "schema:accessMode", "visual"
    if narrated:
        yield "schema:accessMode", "auditory"
    yield "schema:accessModeSufficient", "textual"
    if narrated and throughout:
        yield "schema:accessModeSufficient", "auditory"
    for feature in (
        "structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability",
    ):
        yield "schema:accessibilityFeature", feature
    if narrated:
        yield "schema:accessibilityFeature", "synchronizedAudioText"
    if pictured:
        yield "schema:accessibilityFeature", "alternativeText"
    yield "schema:accessibilityHazard", "none"
    summary = [_pictured_summary(ph, narrated)] if pictured else [ph._(
        "This publication is text with synchronized narration in a synthetic voice: the "
        "whole text of each exercise, headings included, is read aloud in reading order "
        "and highlighted as it is spoken. It has no images or video."
    ) if narrated else ph._("This publication is text only, with no images, audio or video.")]
    if pictured:
        summary.append(ph._("Every picture has a text alternative that says what it shows."))
    elif images_described:
        summary.append(ph._("The picture each exercise refers to is described in words."))
    summary.append(ph._(
        "Each exercise is one section with headings, numbered steps and lists in a logical "
        "reading order, and the table of contents links to every exercise. No fonts or "
        "colours are fixed, so reading-system settings for size, spacing and theme apply."
    ))
    summary += [note] if note else []
    yield "schema:accessibilitySummary", " ".join(summary)
    yield "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def _pictured_summary(ph: Phrases, narrated: bool) -> str:
    if narrated:
        return ph._(
            "This publication is text with pictures and synchronized narration in a synthetic "
            "voice: the whole text of each exercise, headings included, is read aloud in "
            "reading order and highlighted as it is spoken. It has no video.")
    return ph._("This publication is text with pictures, and no audio or video.")


def metadata(book: Any, sections: Sequence[Section], language: str,
              note: str | None = None, throughout: bool = True) -> None:
    narrations = [s.narration for s in sections if s.narration is not None]
    if narrations and len(narrations) != len(sections):
        raise ExportError("a book is narrated throughout or not at all")
    for prop, value in discovery(phrases(language),
                                      all(s.image_described for s in sections),
                                      narrated=bool(narrations),
                                      pictured=any(s.pictures for s in sections),
                                      note=note, throughout=throughout):
        book.add_metadata(None, "meta", value, {"property": prop})
    if narrations:
        for n in narrations:
            book.add_metadata(None, "meta", clock(n.duration_ms),
                              {"property": "media:duration", "refines": f"#{n.overlay.uid}"})
        book.add_metadata(None, "meta", clock(sum(n.duration_ms for n in narrations)),
                          {"property": "media:duration"})
        book.add_metadata(None, "meta", ACTIVE_CLASS, {"property": "media:active-class"})
