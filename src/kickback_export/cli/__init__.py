"""The ``kickback-export`` command line: build, formats, validate, import, book, check,
schema, voices. :mod:`.parser` reads the line, :mod:`.commands` does the work; one error
that ends a command is one line and its exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from .. import errors, registry
from .commands import (
    cmd_book,
    cmd_build,
    cmd_check,
    cmd_formats,
    cmd_import,
    cmd_schema,
    cmd_validate,
    cmd_voices,
    err,
)
from .parser import BOOK, PLUGIN_COMMANDS, make_parser


def _command(argv: Sequence[str]) -> str | None:
    """The command named on the line (top-level options take no value)."""
    return next((token for token in argv if not token.startswith("-")), None)


def _report(exc: BaseException) -> int:
    """One line for an error that ends the command, and its exit code."""
    if isinstance(exc, errors.InputError):
        print(errors.one_line(exc), file=sys.stderr)  # it names the file or option itself
    elif isinstance(exc, errors.ExportError):
        err(f"error: {errors.one_line(exc)}")
    else:
        err(f"error: {type(exc).__name__}: {errors.one_line(exc)}")
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
            err(f"warning: {line}")
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
        with errors.warnings_as_lines():  # a deprecated form: one line per file and field
            return commands[args.command]()
    except KeyboardInterrupt:
        err("interrupted; finished outputs are kept, nothing half-written was left")
        return 130
    except Exception as exc:
        if os.environ.get("KICKBACK_EXPORT_DEBUG"):
            raise
        return _report(exc)


if __name__ == "__main__":
    sys.exit(main())
