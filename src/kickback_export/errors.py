"""Every error class the package raises on purpose, and the one rule for exit codes.

The rule: a problem in a document or in what it asks for (its content, an option
value) is the user's to fix — exit code 2, one line naming the field. Anything else
that stops an export (a missing system package, an engine that crashed, an internal
consistency check) is a failure to export — exit code 1. Which class a ``raise``
uses decides it, so every raise here picks :class:`InputError` or
:class:`ExportError` on purpose; unexpected exceptions count as export failures.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO


class InputError(ValueError):
    """Bad input: the document, its content or an option value (exit code 2)."""


class ExportError(RuntimeError):
    """The input is fine but the export could not be made (exit code 1)."""


@dataclass
class DocumentError(InputError):
    """An invalid document: renders as ``FILE:LINE: FIELD: reason``."""

    file: str
    reason: str
    field: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        what = f" {self.field}:" if self.field else ""
        return f"{where}:{what} {self.reason}"


class DocumentWarning(UserWarning):
    """A document that still works but should be written differently (a deprecated form).
    Its message is the whole line: ``FILE:LINE: FIELD: what to write instead``."""


@contextmanager
def warnings_as_lines(stream: TextIO | None = None) -> Iterator[None]:
    """While inside, each :class:`DocumentWarning` is printed once, as its one line, on
    ``stream`` (standard error); other warnings are shown as Python shows them."""
    seen: set[str] = set()
    with warnings.catch_warnings():
        show = warnings.showwarning

        def one_line(message: Warning | str, category: type[Warning], filename: str,
                     lineno: int, file: TextIO | None = None, line: str | None = None,
                     ) -> None:
            if not issubclass(category, DocumentWarning):
                show(message, category, filename, lineno, file, line)
            elif str(message) not in seen:
                seen.add(str(message))
                print(message, file=stream or sys.stderr)

        warnings.simplefilter("always", DocumentWarning)
        warnings.showwarning = one_line
        yield


class ContentError(InputError):
    """The document is valid but part of it cannot be rendered in this format.

    One line naming the field and what is wrong, e.g.
    ``steps[2].text: character '𝄞' (U+1D11E) is not in the card font``.
    """


class OptionError(InputError):
    """An exporter or build option that cannot be used (``--card-size b9``)."""


class MissingPieceError(ExportError):
    """A system package the export needs is not installed; the message names it."""


class PluginError(ExportError):
    """An exporter plug-in that does not keep the exporter contract."""


def exit_code(exc: BaseException) -> int:
    """2 for bad input, 1 for everything else (see the module docstring)."""
    return 2 if isinstance(exc, InputError) else 1


def one_line(exc: BaseException) -> str:
    """The first line of the message (the class name when there is none)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
