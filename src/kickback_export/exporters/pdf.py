"""Printable PDFs: what a document offers for paper.

A document with a cue card (an exercise) gets its card: a front to glance at mid-set,
a back with the full instructions, fitted once (:mod:`kickback_export.engines.print.card_layout`)
and drawn twice (:mod:`kickback_export.engines.print.card_draw`): one card side per page,
always, and optionally imposed on A4/Letter sheets with crop marks, backs mirrored for
long-edge duplex. A document with a sheet (a workout) gets its sheet
(:mod:`kickback_export.engines.print.sheet`: the table with its blank log,
``--log-weeks`` weeks wide; a program's: a page per training day, each set's target
beside the cells to log what was done) and, with ``--sheet``, the cards of every
document it uses imposed together. Any other document is printed as its page at a regular size. The
engines are imported by :meth:`PdfExporter.export`, so listing formats or reading options
loads no PDF library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.text import TextModel

CARD_SIZES = ("a6", "4x6", "5x8", "3x5")  # the sizes themselves: card_layout.CARD_SIZES
SHEETS = ("a4", "letter")  # pdf_page.PAPERS
PLACEHOLDERS = ("slug", "id", "lang")
PDF = "application/pdf"


def qr_target(template: str, text: TextModel) -> str:
    """Fill ``{slug}``/``{id}``/``{lang}`` in the template (plain replacement, no format())."""
    url = template
    for key, value in (("slug", text.slug), ("id", text.id), ("lang", text.language)):
        url = url.replace("{" + key + "}", value)
    return url


def _check_qr(template: Any) -> None:
    rest = str(template)
    for key in PLACEHOLDERS:
        rest = rest.replace("{" + key + "}", "")
    if "{" in rest or "}" in rest:
        raise ValueError(f"unknown placeholder in '{template}' (use {{slug}} or {{lang}})")


def _check_weeks(weeks: Any) -> None:
    if int(weeks) < 1:
        raise ValueError(f"{weeks} is not a number of weeks (1 or more)")


class PdfExporter:
    """Printable cue cards, workout sheets and pages (see the module docstring)."""

    name = "pdf"
    description = ("Printable two-sided cue cards (tagged PDF), optionally imposed on sheets; "
                   "for a workout, its sheet with a blank training log")
    options = (
        Option("card-size", "card size: a6, or 4x6, 5x8, 3x5 inches", "a6", choices=CARD_SIZES),
        Option("sheet", "also impose the cards on a4 or letter sheets with crop marks (for "
               "a workout: the cue cards of every exercise it uses)",
               choices=SHEETS),
        Option("duplex", "on sheets, put backs behind fronts for long-edge duplex", False,
               type=bool, flag=True),
        Option("qr-url", "QR code on the back linking to this URL; {slug} is filled in",
               check=_check_qr),
        Option("log-weeks", "weeks of blank weight/reps/RIR cells per set on a workout "
               "sheet (at most 5 fit across A4 or Letter)", 4, type=int, check=_check_weeks),
    )

    @staticmethod
    def check_options(options: Options) -> None:
        """Checked by the registry before a build starts."""
        from ..errors import OptionError

        if options.get("duplex", False) and options.get("sheet") is None:
            raise OptionError("--duplex needs --sheet a4 or --sheet letter")

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        if text.card is not None:
            return self._card(text, out_dir, options)
        if text.sheet is not None or text.sheets is not None:
            return self._sheet(text, out_dir, options)
        return self._page(text, out_dir, options)

    @staticmethod
    def _qr(options: Options, text: TextModel) -> str | None:
        template = options.get("qr_url")
        return qr_target(str(template), text) if template else None

    def _card(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        from .. import fsutil
        from ..engines.print import card_content, card_draw, card_layout
        from ..engines.print.pdf_tagging import load_fonts

        fonts = load_fonts()
        card = card_layout.layout(text.card, options.get("card_size", "a6"),
                                  self._qr(options, text), fonts)
        meta = card_content.metadata(text)
        target = out_dir / f"{text.slug}-card.pdf"
        outputs = [Output(fsutil.write_bytes(target, card_draw.render_card(card, meta, fonts)),
                          PDF)]
        sheet = options.get("sheet")
        if sheet is not None:
            data = card_draw.render_sheets(card, meta, fonts, sheet,
                                           bool(options.get("duplex", False)))
            target = out_dir / f"{text.slug}-cards-{sheet}.pdf"
            outputs.append(Output(fsutil.write_bytes(target, data), PDF))
        return outputs

    def _sheet(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        """The sheet (on the --sheet paper, else A4) and, with --sheet, the cue cards of
        every document it uses imposed on sheets."""
        from .. import fsutil
        from ..engines.print import card_stack
        from ..engines.print import sheet as log_sheet
        from ..engines.print.pdf_tagging import load_fonts

        fonts = load_fonts()
        sheet = options.get("sheet")
        data = log_sheet.render(log_sheet.layout(
            text, sheet or "a4", int(options.get("log_weeks", 4)), fonts))
        cards = None
        if sheet is not None:  # every card is fitted before anything is written
            stack = card_stack.cards(text.uses, options.get("card_size", "a6"),
                                        lambda used: self._qr(options, used), fonts)
            if stack:
                cards = card_stack.render_sheets(text, stack, fonts, sheet,
                                                    bool(options.get("duplex", False)))
        target = out_dir / f"{text.slug}-{log_sheet.kind(text)}.pdf"
        outputs = [Output(fsutil.write_bytes(target, data), PDF)]
        if cards is not None:
            target = out_dir / f"{text.slug}-cards-{sheet}.pdf"
            outputs.append(Output(fsutil.write_bytes(target, cards), PDF))
        return outputs

    def _page(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        """A document with neither a card nor a sheet: its page at a regular size."""
        from .. import fsutil
        from ..content.phrases import phrases
        from ..engines.print import large_print_layout as engine
        from ..engines.print import pdf_page

        ph = phrases(text.language)
        meta = pdf_page.metadata(text, text.meta.summary or text.title,
                                 ph.pgettext("PDF keyword", "printable page"))
        data = engine.render(engine.layout(text, options.get("sheet") or "a4",
                                           sizes=engine.REGULAR), meta)
        target = fsutil.write_bytes(out_dir / f"{text.slug}.pdf", data)
        return [Output(target, PDF)]
