"""What each command does, once its line is parsed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .. import errors, fsutil, registry
from .parser import BOOK, DEFAULT_SOURCE

if TYPE_CHECKING:
    from ..build import pipeline as build

def err(message: str) -> None:
    print(f"kickback-export: {message}", file=sys.stderr)


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
    from ..build import pipeline as build

    exporters, collections = found.select(formats)
    files, _ = build.collect(args.paths)
    interactive = sys.stderr.isatty() and not quiet
    from ..build.cluster import executor_for  # imports Dask only for --dask

    with (executor_for(getattr(args, "dask", None), max(1, args.jobs),
                       None if quiet else err) as (executor, jobs),
          _progress(interactive, len(files) * (len(exporters) + len(collections))) as step):
        report = build.build(args.paths, formats, out, values, force=args.force,
                             jobs=jobs, executor=executor, progress=step, plugins=found,
                             waiting=None if quiet else err,
                             athlete=getattr(args, "athlete", None),
                             weeks=getattr(args, "weeks", None))
    for problem in report.problems:
        print(problem.message, file=sys.stderr)
    for note in report.notes:
        print(note, file=sys.stderr)
    return report


def cmd_build(args: argparse.Namespace, found: registry.Plugins) -> int:
    from ..build.manifest import MANIFEST

    values = _values(args, [*found.exporters.values(), *found.collections.values()])
    report = _build(args, args.formats, args.out, values, found, args.quiet)
    if not args.quiet:
        print(
            f"{report.documents} document(s): {len(report.written)} file(s) written, "
            f"{len(report.unchanged)} unchanged, {len(report.problems)} problem(s) "
            f"→ {(report.out or args.out) / MANIFEST}",
            file=sys.stderr,
        )
    return report.exit_code


def cmd_book(args: argparse.Namespace, found: registry.Plugins) -> int:
    """``book`` is the short form of ``build -f book -o FOLDER --file NAME``."""
    from ..build.pipeline import collect

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
    print(f"\ndocument kinds (a file's 'kind'): {', '.join(names)};"
          " a format that makes nothing of a kind skips it and says so, and a kind that is "
          "an input (an athlete's file) is read, never exported")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..build.pipeline import validate

    valid, problems = validate(args.paths, args.athlete)
    for problem in problems:
        print(problem.message, file=sys.stderr)
    print(f"{valid} valid, {len(problems)} problem(s)", file=sys.stderr)
    return max((p.code for p in problems), default=0)


def cmd_import(args: argparse.Namespace) -> int:
    from ..document.importers import ImportOptions, importer
    from ..document.importers.writer import destination, write

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
    from ..build.check import check

    report = check(args.out)
    for tool in report.missing_tools:
        err(f"warning: {tool}")
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(f"{report.checked} output(s) checked, {len(report.problems)} problem(s)",
          file=sys.stderr)
    return 1 if report.problems else 0


def cmd_voices(args: argparse.Namespace) -> int:
    """Engines and voices; 1 when the engine asked for cannot be used."""
    from ..engines.audio import tts

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
    from ..document.schema import schema_text

    text = schema_text(args.kind)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        fsutil.write_text(Path(args.output), text)
    return 0


