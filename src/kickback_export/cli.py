"""The ``kickback-export`` command line: build, formats, validate, import, book, schema."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, errors, fsutil, registry

if TYPE_CHECKING:
    from .build import pipeline as build

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


def _err(message: str) -> None:
    print(f"kickback-export: {message}", file=sys.stderr)


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
    _plugin_options(p, found)

    sub.add_parser("formats", help="list the available output formats",
                   description="List the registered exporters, then the collections (outputs "
                   "made from many documents), with their descriptions.")

    p = sub.add_parser("validate", help="check documents without exporting",
                       description="Check documents; print one line per problem. Exit 2 if any.")
    p.add_argument("paths", nargs="*", default=[DEFAULT_SOURCE], metavar="PATH")

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
    p.add_argument("--kind", choices=("exercise", "workout", "program"), default="exercise",
                   help="the kind of document")
    p.add_argument("-o", "--output", default="-", metavar="FILE")
    return parser


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[str], None] | None]:
    if not enabled or total < 1:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  transient=True) as bar:
        job = bar.add_task("exporting", total=total)

        def step(label: str) -> None:
            bar.update(job, advance=1, description=label)

        yield step


def _values(args: argparse.Namespace, plugins: Sequence[object]) -> dict[str, object]:
    return {opt.dest: getattr(args, opt.dest, None)
            for plugin in plugins for opt in registry.options_of(plugin)}


def _build(args: argparse.Namespace, formats: Sequence[str] | None, out: Path,
           values: dict[str, object], found: registry.Plugins, quiet: bool) -> build.Report:
    """The one path into the build for ``build`` and ``book``: progress, then problems."""
    from .build import pipeline as build

    exporters, collections = found.select(formats)
    files, _ = build.collect(args.paths)
    interactive = sys.stderr.isatty() and not quiet
    from .build.cluster import executor_for  # imports Dask only for --dask

    with (executor_for(getattr(args, "dask", None), max(1, args.jobs),
                       None if quiet else _err) as (executor, jobs),
          _progress(interactive, len(files) * (len(exporters) + len(collections))) as step):
        report = build.build(args.paths, formats, out, values, force=args.force,
                             jobs=jobs, executor=executor, progress=step, plugins=found)
    for problem in report.problems:
        print(problem.message, file=sys.stderr)
    for note in report.notes:
        print(note, file=sys.stderr)
    return report


def cmd_build(args: argparse.Namespace, found: registry.Plugins) -> int:
    from .build.manifest import MANIFEST

    values = _values(args, [*found.exporters.values(), *found.collections.values()])
    report = _build(args, args.formats, args.out, values, found, args.quiet)
    if not args.quiet:
        print(
            f"{report.documents} document(s): {len(report.written)} file(s) written, "
            f"{len(report.unchanged)} unchanged, {len(report.problems)} problem(s) "
            f"→ {args.out / MANIFEST}",
            file=sys.stderr,
        )
    return report.exit_code


def cmd_book(args: argparse.Namespace, found: registry.Plugins) -> int:
    """``book`` is the short form of ``build -f book -o FOLDER --file NAME``."""
    from .build.pipeline import collect

    _, [book] = found.select([BOOK])
    files, missing = collect(args.paths)
    if not files and not missing:
        raise errors.InputError("no documents found in " + ", ".join(args.paths))
    values = {**_values(args, [book]), "file": args.output.name, "engine": args.engine}
    report = _build(args, [BOOK], args.output.parent, values, found, quiet=False)
    if report.exit_code:
        return report.exit_code
    exercises = report.kinds.get("exercise", 0)
    count = f"{exercises} exercise{'s' if exercises != 1 else ''}"
    if report.kinds.get("program"):  # its book holds the program's exercises, not these
        count = "a program"
    if any(entry.exporter == BOOK for entry in report.written):
        print(f"wrote {args.output} ({count})", file=sys.stderr)
    else:
        print(f"{args.output} is up to date ({count}; --force rebuilds)", file=sys.stderr)
    return 0


def cmd_formats(found: registry.Plugins) -> int:
    width = max(map(len, [*found.exporters, *found.collections]), default=0)
    for name, exporter in found.exporters.items():
        also = registry.collections_of(exporter)
        extra = f" (also makes: {', '.join(also)})" if also else ""
        print(f"{name:<{width}}  {exporter.description}{extra}")
    if found.collections:
        print("\ncollections, each one output made from many documents:")
        for name, collection in found.collections.items():
            print(f"{name:<{width}}  {collection.description}")
    from importlib.metadata import entry_points

    names = sorted(ep.name for ep in entry_points(group="kickback_export.kinds"))
    print(f"\ndocument kinds (a file's 'kind'; each format takes every kind): "
          f"{', '.join(names)}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .build.pipeline import validate

    valid, problems = validate(args.paths)
    for problem in problems:
        print(problem.message, file=sys.stderr)
    print(f"{valid} valid, {len(problems)} problem(s)", file=sys.stderr)
    return max((p.code for p in problems), default=0)


def cmd_import(args: argparse.Namespace) -> int:
    from .document.importers import ImportOptions, importer
    from .document.importers.writer import destination, write

    plugin = importer(args.importer)
    options = ImportOptions(tuple(args.ids or ()), args.every, args.language)
    results = plugin.run(args.source, options)
    dest = destination(args.output, Path(DEFAULT_SOURCE), results)
    interactive = sys.stderr.isatty() and not args.quiet
    with _progress(interactive and len(results) > 1, len(results)) as step:
        report = write(results, dest, force=args.force, progress=step)
    for refusal in report.refused:
        print(refusal, file=sys.stderr)
    if not args.quiet:
        for done in report.written:
            check = ", ".join(done.doc.defaulted)
            note = "; ".join([*([f"check: {check}"] if check else []), *done.doc.notes])
            if dest is not None and (note or len(results) == 1):
                print(f"wrote {done.path}" + (f" ({note})" if note else ""), file=sys.stderr)
        if len(results) > 1 or not results:
            print(f"{len(results)} exercise(s): {len(report.written)} written, "
                  f"{len(report.refused)} refused → {dest or 'standard output'}",
                  file=sys.stderr)
    return report.exit_code


def cmd_check(args: argparse.Namespace) -> int:
    from .build.check import check

    report = check(args.out)
    for tool in report.missing_tools:
        _err(f"warning: {tool}")
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(f"{report.checked} output(s) checked, {len(report.problems)} problem(s)",
          file=sys.stderr)
    return 1 if report.problems else 0


def cmd_voices(args: argparse.Namespace) -> int:
    """Engines and voices; 1 when the engine asked for cannot be used."""
    from .engines.audio import tts

    wanted = (args.language or "").lower().replace("_", "-")
    unusable = 0
    for engine in tts.listing(args.engine):
        default = " (default)" if engine.name == tts.DEFAULT else ""
        if engine.problem:
            unusable += 1
            print(f"{engine.name}{default}: not usable: {engine.problem}")
            continue
        print(f"{engine.name}{default}: {engine.version}")
        for voice in engine.voices:
            languages = [lang.lower().replace("_", "-") for lang in voice.languages]
            if wanted and not any(lang == wanted or lang.split("-")[0] == wanted
                                  for lang in languages):
                continue
            print(f"  {voice.id:<24} {voice.name:<28} {', '.join(voice.languages)}")
    return 1 if args.engine and unusable else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .document.schema import schema_text

    text = schema_text(args.kind)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        fsutil.write_text(Path(args.output), text)
    return 0


def _command(argv: Sequence[str]) -> str | None:
    """The command named on the line (top-level options take no value)."""
    return next((token for token in argv if not token.startswith("-")), None)


def _report(exc: BaseException) -> int:
    """One line for an error that ends the command, and its exit code."""
    if isinstance(exc, errors.InputError):
        print(errors.one_line(exc), file=sys.stderr)  # it names the file or option itself
    elif isinstance(exc, errors.ExportError):
        _err(f"error: {errors.one_line(exc)}")
    else:
        _err(f"error: {type(exc).__name__}: {errors.one_line(exc)}")
    return errors.exit_code(exc)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command(argv)
    found = registry.plugins() if command in PLUGIN_COMMANDS else registry.Plugins()
    if command == BOOK and not {"-h", "--help"} & set(argv):
        try:  # without the collection its options are unknown: say why it is missing
            found.select([BOOK])
        except errors.InputError as exc:
            return _report(exc)
    parser = make_parser(found)
    args = parser.parse_args(argv)
    if args.command in ("build", "formats"):
        for line in found.lines:
            _err(f"warning: {line}")
    commands: dict[str, Callable[[], int]] = {
        "build": lambda: cmd_build(args, found),
        "formats": lambda: cmd_formats(found),
        "validate": lambda: cmd_validate(args),
        "import": lambda: cmd_import(args),
        "book": lambda: cmd_book(args, found),
        "check": lambda: cmd_check(args),
        "schema": lambda: cmd_schema(args),
        "voices": lambda: cmd_voices(args),
    }
    try:
        return commands[args.command]()
    except KeyboardInterrupt:
        _err("interrupted; finished outputs are kept, nothing half-written was left")
        return 130
    except Exception as exc:
        if os.environ.get("KICKBACK_EXPORT_DEBUG"):
            raise
        return _report(exc)


if __name__ == "__main__":
    sys.exit(main())
