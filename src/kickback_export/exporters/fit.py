"""FIT workout files: a session on the wrist, step by step.

Garmin and other FIT-reading watches guide a strength workout from a FIT workout
file: the exercise and its reps (or time) on the screen, a vibration when a rest ends,
the lap button to move on. A text model with a ``plan`` (a workout, an exercise with a
dose) becomes ``<slug>.fit``; one with a ``schedule`` (a program) becomes one file per
training day, ``<program>-w1-d1-<workout>.fit``, each with that week's targets, beside its
other outputs. Copy them
into the ``GARMIN/NewFiles`` folder of a watch connected over USB
(docs/watch-and-calendar.md). The engine (:mod:`kickback_export.engines.watch`) is
imported by :meth:`FitExporter.export`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.text import TextModel

MEDIA_TYPE = "application/vnd.ant.fit"
STEP_LIMIT = 4096  # FIT's own: a step's message_index has 12 bits (engines.watch.steps)


def _check_steps(value: Any) -> None:
    if not 1 <= int(value) <= STEP_LIMIT:
        raise ValueError(f"{value} is not a number of steps from 1 to {STEP_LIMIT}")


class FitExporter:
    """Writes FIT workout files (see the module docstring)."""

    name = "fit"
    description = "FIT workout files for Garmin and other watches (a program: one a day)"
    options: Sequence[Option] = (
        Option("fit-max-steps", "refuse a workout of more steps than your watch takes "
               "(default: FIT's limit, 4096). To train with a .fit file, copy it into the "
               "GARMIN/NewFiles folder of the watch connected over USB",
               STEP_LIMIT, type=int, check=_check_steps),
    )

    @staticmethod
    def accepts(text: TextModel) -> bool:
        """A plan to walk through, or a schedule of them."""
        return text.plan is not None or text.schedule is not None

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        from .. import fsutil
        from ..engines.watch.files import files

        made = files(text, int(options.get("fit_max_steps", STEP_LIMIT)))
        return [Output(fsutil.write_bytes(out_dir / f.name, f.data), MEDIA_TYPE) for f in made]
