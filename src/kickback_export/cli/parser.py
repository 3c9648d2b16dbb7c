"""The command line's parser: the commands, their options and each plug-in's, with help
that explains them."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from .. import __version__, registry

DEFAULT_SOURCE = "source"
DEFAULT_OUT = "outputs"
PLUGIN_COMMANDS = ("build", "formats", "book")
"""The commands that need the plug-ins; the others (and ``--help``) start without them."""
BOOK = "book"


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Shows a default only when it says something and the help does not already."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "default" in text or action.default in (None, False, argparse.SUPPRESS):
            return text
        return super()._get_help_string(action)


def _formats(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def _add_options(parser: argparse.ArgumentParser, title: str,
                 options: Sequence[registry.Option]) -> None:
    if not options:
        return
    group = parser.add_argument_group(title)
    for opt in options:
        if opt.flag:
            group.add_argument(f"--{opt.name}", dest=opt.dest, action="store_true", help=opt.help)
        else:
            group.add_argument(f"--{opt.name}", dest=opt.dest, type=opt.type,
                               choices=opt.choices, default=opt.default, help=opt.help)


def _plugin_options(parser: argparse.ArgumentParser, found: registry.Plugins) -> None:
    """One argument group per plug-in (discovery refused any option declared twice)."""
    for exporter in found.exporters.values():
        _add_options(parser, f"{exporter.name} options", registry.options_of(exporter))
    for collection in found.collections.values():
        _add_options(parser, f"{collection.name} options (collection)",
                     registry.options_of(collection))


def make_parser(found: registry.Plugins | None = None) -> argparse.ArgumentParser:
    """The command line; plug-in options are offered when ``found`` is given."""
    found = registry.Plugins() if found is None else found
    parser = argparse.ArgumentParser(
        prog="kickback-export",
        description=(
            "Turn structured exercise documents (YAML) into outputs that work for people who\n"
            "cannot see them, cannot hear them, or read them at a distance: a printable cue\n"
            "card, large print, an accessible EPUB and web page, braille, and a spoken audio\n"
            "guide with timed pauses. 'kickback-export formats' lists them."
        ),
        epilog="Run 'kickback-export COMMAND --help' for the options of a command.",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "build", help="export documents with every (or the chosen) format",
        description=(
            "Export each document into OUT/<slug>/ and list every file in OUT/manifest.json.\n"
            "Unchanged documents are skipped (see --force). Exit code: 0 all built,\n"
            "1 an export failed, 2 invalid input."
        ),
        formatter_class=_Formatter,
    )
    p.add_argument("paths", nargs="*", default=[DEFAULT_SOURCE], metavar="PATH",
                   help="documents or folders of documents")
    p.add_argument("-f", "--format", dest="formats", type=_formats, default=None,
                   metavar="NAMES", help="comma-separated formats and collections "
                   "(default: every format; see 'formats')")
    p.add_argument("-o", "--out", default=DEFAULT_OUT, type=Path, help="output folder")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="documents exported in parallel worker processes")
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="export on a Dask cluster: its scheduler (tcp://HOST:PORT), or 'local' "
                   "for --jobs worker processes here; OUT must be at the same path on every "
                   "worker (needs pip install 'kickback-export[dask]')")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.add_argument("--athlete", type=Path, default=None, metavar="FILE",
                   help="build programs for this athlete (a YAML file with 'kind: athlete': "
                   "training maxes, equipment): percentages become loads, loads round to "
                   "what the athlete can load; the outputs go to OUT/<athlete id>/")
    p.add_argument("--weeks", default=None, metavar="WEEKS",
                   help="a program's sheet pages and audio guides for these weeks only, "
                   "e.g. 1-2 or 1,3 (default: every week)")
    _plugin_options(p, found)

    sub.add_parser("formats", help="list the available output formats",
                   description="List the registered exporters, then the collections (outputs "
                   "made from many documents), with their descriptions.")

    p = sub.add_parser("validate", help="check documents without exporting",
                       description="Check documents; print one line per problem. Exit 2 if any.")
    p.add_argument("paths", nargs="*", default=[DEFAULT_SOURCE], metavar="PATH")
    p.add_argument("--athlete", type=Path, default=None, metavar="FILE",
                   help="check programs for this athlete (training maxes, equipment)")

    p = sub.add_parser(
        "import", help="turn exercise pages or data sets into documents",
        description=(
            "Write documents from another source; what it cannot give is left out or flagged\n"
            "in a comment at the top of each file. Importers are plug-ins (--from):\n"
            "  page              a page in the plain-text layout (title, overview paragraphs,\n"
            "                    'Instructions', 'Tips & Tricks', 'Frequently Asked Questions');\n"
            "                    with --language de, fr or es that language's headings\n"
            "                    ('Anleitung', 'Tipps & Tricks', 'Häufig gestellte Fragen';\n"
            "                    'Instructions', 'Trucs et astuces', 'Questions fréquentes';\n"
            "                    'Instrucciones', 'Consejos y trucos', 'Preguntas frecuentes')\n"
            "  free-exercise-db  its exercises.json (--id ID … or --all), photos copied from\n"
            "                    the exercises/ folder beside it\n"
            "Exit code: 0 when documents were written (refusals are listed), 2 when none\n"
            "could be or the source is unreadable."
        ),
        formatter_class=_Formatter,
    )
    p.add_argument("source", type=Path, metavar="SOURCE",
                   help="the page (PAGE.txt) or data file (exercises.json)")
    p.add_argument("--from", dest="importer", default="page", metavar="NAME",
                   help="the importer: page, free-exercise-db, or one a plug-in adds")
    p.add_argument("--id", dest="ids", action="append", default=None, metavar="ID",
                   help="an exercise to take from a collection (repeat for more)")
    p.add_argument("--all", dest="every", action="store_true",
                   help="take every exercise of a collection")
    p.add_argument("-o", "--output", default=None, metavar="FILE|DIR",
                   help="a FILE.yaml for one document, '-' for standard output, or a folder "
                   f"(default: {DEFAULT_SOURCE}/)")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.add_argument("--language", default=None, metavar="LANG",
                   help="the page's language: en, de, fr or es (its section headings and "
                   "phrasings; the document gets this language; default en)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")

    p = sub.add_parser(
        BOOK, help="bundle many exercises into one coaching e-book (EPUB)",
        description=(
            "Bundle exercises into one EPUB with a title page and grouped navigation: the\n"
            "'book' collection built into the folder of BOOK.epub (see 'build -f book')."
        ),
        formatter_class=_Formatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="documents or folders")
    book = found.collections.get(BOOK)
    _add_options(p, "book options",
                 [opt for opt in registry.options_of(book) if opt.name != "file"])
    p.add_argument("-o", "--output", required=True, type=Path, metavar="BOOK.epub")
    p.add_argument("--engine", default=None, metavar="NAME",
                   help="speech engine reading --narration aloud (default espeak; see 'voices')")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("-j", "--jobs", type=int, default=1,
                   help="exercises prepared in parallel worker processes")

    p = sub.add_parser(
        "check", help="verify built outputs: checksums, EPUBCheck, qpdf",
        description=(
            "Verify every output listed in OUT/manifest.json: the file is there and its sha256\n"
            "matches; EPUBs pass EPUBCheck (needs Java and the 'check' extra) and PDFs pass\n"
            "qpdf --check, when those tools are installed. Exit 1 if anything fails."
        ),
        formatter_class=_Formatter,
    )
    p.add_argument("out", nargs="?", default=DEFAULT_OUT, type=Path, metavar="OUT")

    p = sub.add_parser(
        "voices", help="list the speech engines and their voices",
        description=(
            "List each speech engine ('build --engine NAME') with its version and voices\n"
            "('--voice ID') and the languages they speak; an engine that cannot be used\n"
            "says what to install."
        ),
        formatter_class=_Formatter,
    )
    p.add_argument("--engine", default=None, metavar="NAME", help="only this engine")
    p.add_argument("--language", default=None, metavar="LANG",
                   help="only voices for this language (e.g. en, de)")

    p = sub.add_parser("schema", help="print the JSON Schema of a document format")
    p.add_argument("--kind", choices=("exercise", "workout", "program", "athlete"),
                   default="exercise", help="the kind of document")
    p.add_argument("-o", "--output", default="-", metavar="FILE")
    return parser


