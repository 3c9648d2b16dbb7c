"""Large-print PDF: the whole document on A4 or Letter, 18 pt and up, steps never split.

Layout and drawing are :mod:`kickback_export.engines.print.large_print_layout` (APH/UKAAF
practice) on the page module the cue card uses; they are imported by
:meth:`LargePrintExporter.export`, so listing formats loads no PDF library. A workout
is its sheet's content as a list (:mod:`kickback_export.engines.print.workout_large_print`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OptionError
from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..document.model import Exercise
    from ..document.workout import ResolvedWorkout

PAPERS = ("a4", "letter")  # the sizes themselves: pdf_page.PAPERS


class LargePrintExporter:
    """Large-print A4/Letter PDF (see the module docstring)."""

    name = "large-print"
    description = "Large-print A4/Letter PDF (18 pt and up, tagged), steps never split"
    kinds = ("exercise", "workout")
    options = (
        Option("large-print-paper", "paper size of the large-print PDF: a4 or letter", "a4",
               choices=PAPERS),
    )

    def export(self, document: Exercise | ResolvedWorkout, out_dir: Path, options: Options
               ) -> list[Output]:
        paper = str(options.get("large_print_paper", "a4")).lower()
        if paper not in PAPERS:
            raise OptionError(
                f"--large-print-paper: unknown paper '{paper}' (choose {', '.join(PAPERS)})"
            )

        from .. import fsutil
        from ..document.workout import ResolvedWorkout
        from ..engines.print import large_print_layout as engine

        if isinstance(document, ResolvedWorkout):  # the workout sheet's content, as a list
            from ..engines.print import workout_large_print as workout

            data = engine.render(workout.layout(document, paper), workout.metadata(document))
        else:
            data = engine.render(engine.layout(document, paper), engine.metadata(document))
        target = out_dir / f"{document.slug}-large-print.pdf"
        fsutil.write_bytes(target, data)
        return [Output(target, "application/pdf")]
