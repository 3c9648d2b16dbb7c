"""Large-print PDF: a document's page on A4 or Letter, 18 pt and up, items never split.

Layout and drawing are :mod:`kickback_export.engines.print.large_print_layout` (APH/UKAAF
practice), walking the document's text model; they are imported by
:meth:`LargePrintExporter.export`, so listing formats loads no PDF library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.text import TextModel

PAPERS = ("a4", "letter")  # the sizes themselves: pdf_page.PAPERS


class LargePrintExporter:
    """Large-print A4/Letter PDF (see the module docstring)."""

    name = "large-print"
    description = "Large-print A4/Letter PDF (18 pt and up, tagged), steps never split"
    options = (
        Option("large-print-paper", "paper size of the large-print PDF: a4 or letter", "a4",
               choices=PAPERS),
    )

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        from .. import fsutil
        from ..engines.print import large_print_layout as engine

        paper = options.get("large_print_paper", "a4")
        data = engine.render(engine.layout(text, paper), engine.metadata(text))
        target = fsutil.write_bytes(out_dir / f"{text.slug}-large-print.pdf", data)
        return [Output(target, "application/pdf")]
