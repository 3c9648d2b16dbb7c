"""The ``kickback-export`` command line: build, formats, validate, import, book, schema."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import __version__, build, fsutil, registry
from .document.loader import DocumentError, load

DEFAULT_SOURCE = "source"
DEFAULT_OUT = "outputs"


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


def _add_exporter_options(parser: argparse.ArgumentParser, exporters: dict[str, Any]) -> None:
    taken: set[str] = set()
    for exporter in exporters.values():
        opts = list(getattr(exporter, "options", ()))
        if not opts:
            continue
        group = parser.add_argument_group(f"{exporter.name} options")
        for opt in opts:
            if opt.name in taken:
                continue
            taken.add(opt.name)
            if opt.flag:
                group.add_argument(f"--{opt.name}", dest=opt.dest, action="store_true",
                                   help=opt.help)
            else:
                group.add_argument(f"--{opt.name}", dest=opt.dest, type=opt.type,
                                   choices=opt.choices, default=opt.default, help=opt.help)


def make_parser(exporters: dict[str, Any] | None = None) -> argparse.ArgumentParser:
    exporters = registry.discover() if exporters is None else exporters
    parser = argparse.ArgumentParser(
        prog="kickback-export",
        description=(
            "Turn structured exercise documents (YAML) into a printable PDF cue card, an\n"
            "accessible EPUB and a spoken audio guide with timed pauses."
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
                   metavar="NAMES", help="comma-separated formats (default: all; see 'formats')")
    p.add_argument("-o", "--out", default=DEFAULT_OUT, type=Path, help="output folder")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="documents exported in parallel worker processes")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    _add_exporter_options(p, exporters)

    sub.add_parser("formats", help="list the available output formats",
                   description="List the registered exporters with their descriptions.")

    p = sub.add_parser("validate", help="check documents without exporting",
                       description="Check documents; print one line per problem. Exit 2 if any.")
    p.add_argument("paths", nargs="*", default=[DEFAULT_SOURCE], metavar="PATH")

    p = sub.add_parser(
        "import", help="turn an exercise page (plain text) into a document",
        description=(
            "Read a page in the plain-text layout (title, overview paragraphs, 'Instructions',\n"
            "'Tips & Tricks' and 'Frequently Asked Questions' sections) and write a document.\n"
            "Fields the page cannot give are left out or flagged in a comment at the top."
        ),
        formatter_class=_Formatter,
    )
    p.add_argument("page", type=Path, metavar="PAGE.txt")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="where to write ('-' for standard output; default source/<slug>.yaml)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser(
        "book", help="bundle many exercises into one coaching e-book (EPUB)",
        description="Bundle exercises into one EPUB with a title page and grouped navigation.",
        formatter_class=_Formatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="documents or folders")
    p.add_argument("--title", required=True, help="book title")
    p.add_argument("--author", default=None, help="book author")
    p.add_argument("--group-by", choices=["muscle", "none"], default="muscle",
                   help="navigation grouping")
    p.add_argument("--narration", action="store_true",
                   help="embed synchronized spoken narration (EPUB media overlays)")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="BOOK.epub")

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

    p = sub.add_parser("schema", help="print the JSON Schema of the document format")
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


def cmd_build(args: argparse.Namespace, exporters: dict[str, Any]) -> int:
    values = {
        opt.dest: getattr(args, opt.dest, None)
        for exp in exporters.values() for opt in getattr(exp, "options", ())
    }
    chosen = registry.select(args.formats, exporters)
    files, _ = build.collect(args.paths)
    interactive = sys.stderr.isatty() and not args.quiet
    with _progress(interactive, len(files) * len(chosen)) as step:
        report = build.build(args.paths, args.formats, args.out, values, force=args.force,
                             jobs=max(1, args.jobs), progress=step)
    for problem in report.problems:
        print(problem.message, file=sys.stderr)
    if not args.quiet:
        print(
            f"{report.documents} document(s): {len(report.written)} file(s) written, "
            f"{len(report.unchanged)} unchanged, {len(report.problems)} problem(s) "
            f"→ {args.out / build.MANIFEST}",
            file=sys.stderr,
        )
    return report.exit_code


def cmd_validate(args: argparse.Namespace) -> int:
    files, problems = build.collect(args.paths)
    messages = [p.message for p in problems]
    ok = 0
    for file in files:
        try:
            load(file)
            ok += 1
        except DocumentError as exc:
            messages.append(str(exc))
    for message in messages:
        print(message, file=sys.stderr)
    print(f"{ok} valid, {len(messages)} problem(s)", file=sys.stderr)
    return 2 if messages else 0


def cmd_import(args: argparse.Namespace) -> int:
    from .document.importer import import_page

    imported = import_page(args.page)
    text = imported.to_yaml()
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(args.output or Path(DEFAULT_SOURCE) / f"{imported.data['id']}.yaml")
    if target.exists() and not args.force:
        _err(f"{target}: already exists (use --force to overwrite)")
        return 2
    fsutil.write_text(target, text)
    note = f" (check: {', '.join(imported.defaulted)})" if imported.defaulted else ""
    print(f"wrote {target}{note}", file=sys.stderr)
    return 0


def cmd_book(args: argparse.Namespace) -> int:
    try:  # looked up at run time: the CLI depends on no exporter module
        epub = importlib.import_module("kickback_export.exporters.epub")
    except ImportError as exc:
        _err(f"the epub exporter is not available: {exc}")
        return 1
    files, missing = build.collect(args.paths)
    if missing:
        print(missing[0].message, file=sys.stderr)
        return 2
    documents = [load(f) for f in files]
    if not documents:
        _err("no documents found in " + ", ".join(args.paths))
        return 2
    kwargs: dict[str, Any] = {"title": args.title, "author": args.author,
                              "group_by": args.group_by}
    if args.narration:
        kwargs["narration"] = True
    try:
        epub.build_book(documents, args.output, **kwargs)
    except (ValueError, registry.ContentError) as exc:
        _err(str(exc).splitlines()[0])
        return 2
    count = f"{len(documents)} exercise{'s' if len(documents) != 1 else ''}"
    print(f"wrote {args.output} ({count})", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check

    report = check(args.out)
    for tool in report.missing_tools:
        _err(f"warning: {tool}")
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(f"{report.checked} output(s) checked, {len(report.problems)} problem(s)",
          file=sys.stderr)
    return 1 if report.problems else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .document.schema import schema_text

    if args.output == "-":
        sys.stdout.write(schema_text())
    else:
        fsutil.write_text(Path(args.output), schema_text())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    problems: list[str] = []
    exporters = registry.discover(problems)
    parser = make_parser(exporters)
    args = parser.parse_args(argv)
    if args.command in ("build", "formats"):
        for problem in problems:
            _err(f"warning: {problem}")
    try:
        if args.command == "build":
            return cmd_build(args, exporters)
        if args.command == "formats":
            width = max((len(n) for n in exporters), default=0)
            for name, exporter in exporters.items():
                print(f"{name:<{width}}  {exporter.description}")
            return 0
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "import":
            return cmd_import(args)
        if args.command == "book":
            return cmd_book(args)
        if args.command == "schema":
            return cmd_schema(args)
        if args.command == "check":
            return cmd_check(args)
    except (DocumentError, registry.UnknownFormat) as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        _err("interrupted; finished outputs are kept, nothing half-written was left")
        return 130
    except Exception as exc:
        if os.environ.get("KICKBACK_EXPORT_DEBUG"):
            raise
        _err(f"error: {type(exc).__name__}: {exc}".splitlines()[0])
        return 1
    parser.error(f"unknown command {args.command}")
    return 2




if __name__ == "__main__":
    sys.exit(main())
