"""Braille Ready File (BRF) exporter: contracted braille for embossers and braille displays.

Translation is done by liblouis (Unified English Braille grade 2 for English, the
national grade 2 table of each other language with one); the document's text model is
laid out in BANA formats by :mod:`kickback_export.engines.braille.page` and on braille
cells by :mod:`kickback_export.engines.braille.braille` (40 × 25): the title centred,
headings in cell 5, lists in 1-3 format, prose the lists restate left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.text import TextModel

MEDIA_TYPE = "text/plain"
"""BRF has no registered media type; its bytes are plain ASCII text, so ``text/plain``
is the accurate registered type (``application/x-brf`` is unregistered and unknown to
most software, which identifies BRF by its ``.brf`` suffix anyway)."""


def render(text: TextModel) -> bytes:
    """The whole BRF file of a document; deterministic for a given liblouis version."""
    from ..content.phrases import phrases
    from ..engines.braille.braille import emboss
    from ..engines.braille.page import blocks

    return emboss(blocks(text, phrases(text.language)), text.language)


class BrfExporter:
    """Writes ``<slug>.brf``: contracted braille formatted for 40 × 25 embossed pages."""

    name = "brf"
    description = "Braille Ready File (contracted braille, 40 cells × 25 lines) via liblouis"
    options: Sequence[Option] = ()

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        from .. import fsutil

        path = fsutil.write_bytes(out_dir / f"{text.slug}.brf", render(text))
        return [Output(path=path, media_type=MEDIA_TYPE)]
