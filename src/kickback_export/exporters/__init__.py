"""Exporters: one small module per format, each loaded through its entry point.

An exporter renders a document's text model (:class:`~kickback_export.content.text.TextModel`);
it never asks what kind of document that model was made from, and it never decides
what to build or when: the build hands it each document that it ``accepts`` (by the
views the model offers) and publishes what it writes. Its options are declared once
(:class:`~kickback_export.registry.Option`) and their values checked by the registry
before the build starts. A collection makes one output from many documents: ``part``
per document, in the workers, then ``assemble`` in the calling process. No exporter
imports another.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..content.text import TextModel
    from ..registry import Option, Options, Output


@runtime_checkable
class Exporter(Protocol):
    """What a format plug-in provides. ``export`` writes its files into ``out_dir`` and
    lists them. Optional: ``options`` (none), ``check_options(options)`` (rules between
    its options, raising OptionError; run by the registry before the build),
    ``accepts(text) -> bool`` (default: every document), ``collections`` (names of
    collections built over the same documents whenever this format is), ``uses`` (names
    of exporters whose files of the same document it reads when the build makes them
    too: they are made first and handed over as ``options.companions``, and their inputs
    are part of this one's), ``version`` (part of its outputs' input hash)."""

    name: str
    description: str
    options: Sequence[Option]

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]: ...


@runtime_checkable
class Collection(Protocol):
    """An output made from many documents (the coaching e-book, the web index).

    Optional: ``scope``, what it is made from. ``"build"`` (the default): the documents of
    the build, as a book is made of the documents named. ``"folder"``: every document in
    the output folder, whichever build made it, as an index of the pages there; its parts
    are then kept in the manifest, so a build of one document assembles it from that
    document's part and the kept ones."""

    name: str
    description: str
    options: Sequence[Option]  # may be omitted (no options), as for exporters

    def part(self, text: TextModel, options: Options) -> Any:
        """Per-document work (build the section, render its narration); runs in the build's
        worker processes, so the result must pickle, and with ``scope = "folder"`` be JSON
        data (dicts, lists, strings, numbers; it comes back from the manifest as such).
        Raises ContentError for bad content."""

    def assemble(self, parts: Sequence[Any], out_dir: Path, options: Options) -> list[Output]:
        """Write the collection's files into ``out_dir`` (the build's staging folder) from the
        parts, given in the order of the documents (of a folder collection: of their
        sources' names); return them as Output objects."""


__all__ = ["Collection", "Exporter"]
