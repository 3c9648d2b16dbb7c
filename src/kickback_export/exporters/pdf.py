"""Printable cue cards: a front to glance at mid-set, a back with the full instructions.

The card is fitted once (:mod:`kickback_export.engines.print.card_layout`) and drawn twice
(:mod:`kickback_export.engines.print.card_draw`): one card side per page, always, and
optionally imposed on A4/Letter sheets with crop marks, backs mirrored for long-edge
duplex. A workout gets its sheet instead (:mod:`kickback_export.engines.print.workout_sheet`:
the table with its blank log, ``--log-weeks`` weeks wide) and, with ``--sheet``, the
cards of every exercise it uses imposed after it. The engines are imported by
:meth:`PdfExporter.export`, so listing formats or reading options loads no PDF library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OptionError
from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..document.model import Exercise
    from ..document.workout import ResolvedWorkout

CARD_SIZES = ("a6", "4x6", "5x8", "3x5")  # the sizes themselves: card_layout.CARD_SIZES
SHEETS = ("a4", "letter")  # pdf_page.PAPERS


def qr_target(template: str, doc: Exercise) -> str:
    """Fill ``{slug}``/``{id}``/``{lang}`` in the template (plain replacement, no format())."""
    url = template
    for key, value in (("slug", doc.slug), ("id", doc.id), ("lang", doc.language)):
        url = url.replace("{" + key + "}", value)
    if "{" in url or "}" in url:
        raise OptionError(
            f"--qr-url: unknown placeholder in '{template}' (use {{slug}} or {{lang}})"
        )
    return url


class PdfExporter:
    """Printable cue cards (see the module docstring)."""

    name = "pdf"
    description = ("Printable two-sided cue cards (tagged PDF), optionally imposed on sheets; "
                   "for a workout, its sheet with a blank training log")
    kinds = ("exercise", "workout")
    options = (
        Option("card-size", "card size: a6, or 4x6, 5x8, 3x5 inches", "a6", choices=CARD_SIZES),
        Option("sheet", "also impose the cards on a4 or letter sheets with crop marks (for "
               "a workout: the cue cards of every exercise it uses)",
               choices=SHEETS),
        Option("duplex", "on sheets, put backs behind fronts for long-edge duplex", False,
               type=bool, flag=True),
        Option("qr-url", "QR code on the back linking to this URL; {slug} is filled in"),
        Option("log-weeks", "weeks of blank weight/reps/RIR cells per set on a workout "
               "sheet (at most 5 fit across A4 or Letter)", 4, type=int),
    )

    def export(self, document: Exercise | ResolvedWorkout, out_dir: Path, options: Options
               ) -> list[Output]:
        size = str(options.get("card_size", "a6")).lower()
        if size not in CARD_SIZES:
            raise OptionError(
                f"--card-size: unknown size '{size}' (choose {', '.join(CARD_SIZES)})"
            )
        sheet = options.get("sheet")
        sheet = None if sheet is None else str(sheet).lower()
        if sheet is not None and sheet not in SHEETS:
            raise OptionError(f"--sheet: unknown sheet '{sheet}' (choose {', '.join(SHEETS)})")
        duplex = bool(options.get("duplex", False))
        if duplex and sheet is None:
            raise OptionError("--duplex needs --sheet a4 or --sheet letter")
        from ..document.workout import ResolvedWorkout

        if isinstance(document, ResolvedWorkout):
            return self._workout(document, out_dir, options, size, sheet, duplex)
        template = options.get("qr_url")
        url = qr_target(str(template), document) if template else None

        from .. import fsutil
        from ..engines.print import card_content, card_draw, card_layout
        from ..engines.print.pdf_tagging import load_fonts

        fonts = load_fonts()
        card = card_layout.layout(document, size, url, fonts)
        meta = card_content.metadata(document)
        # the build layer hands each document its own OUT/<slug>/
        target = out_dir / f"{document.slug}-card.pdf"
        fsutil.write_bytes(target, card_draw.render_card(card, meta, fonts))
        outputs = [Output(target, "application/pdf")]
        if sheet is not None:
            target = out_dir / f"{document.slug}-cards-{sheet}.pdf"
            fsutil.write_bytes(target, card_draw.render_sheets(card, meta, fonts, sheet, duplex))
            outputs.append(Output(target, "application/pdf"))
        return outputs

    def _workout(self, workout: ResolvedWorkout, out_dir: Path, options: Options, size: str,
                 sheet: str | None, duplex: bool) -> list[Output]:
        """The workout sheet (on the --sheet paper, else A4) and, with --sheet, the cue
        cards of every exercise it uses imposed on sheets."""
        weeks = int(options.get("log_weeks", 4))
        if weeks < 1:
            raise OptionError(f"--log-weeks: {weeks} is not a number of weeks (1 or more)")
        template = options.get("qr_url")

        from .. import fsutil
        from ..engines.print import workout_cards, workout_sheet
        from ..engines.print.pdf_tagging import load_fonts

        fonts = load_fonts()
        data = workout_sheet.render(workout_sheet.layout(workout, sheet or "a4", weeks, fonts))
        cards = None
        if sheet is not None:  # every card is fitted before anything is written
            stack = workout_cards.cards(
                workout, size, lambda doc: qr_target(str(template), doc) if template else None,
                fonts)
            cards = workout_cards.render_sheets(workout, stack, fonts, sheet, duplex)
        target = out_dir / f"{workout.slug}-workout.pdf"
        outputs = [Output(fsutil.write_bytes(target, data), "application/pdf")]
        if cards is not None:
            target = out_dir / f"{workout.slug}-cards-{sheet}.pdf"
            outputs.append(Output(fsutil.write_bytes(target, cards), "application/pdf"))
        return outputs
