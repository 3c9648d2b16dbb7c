"""A minimal ctypes binding to liblouis, the braille translator.

Debian ships the shared library (``liblouis20``) and its tables
(``liblouis-data``); its Python binding belongs to the system Python, not to a
virtualenv, so the few calls needed are bound here directly. Everything
crossing the C boundary is checked on this side: buffers are sized here (see
:func:`_call` for why that matters), failures become one-line exceptions
(:class:`LouisError` when liblouis is unusable, :class:`TranslationError` when
a text is not translated), and liblouis's log output is captured instead of
being printed to stderr. The library itself is loaded on the first call, so
importing this module costs nothing. Exit codes follow :mod:`kickback_export.errors`:
a missing library or table is a missing system piece (1), text liblouis cannot
translate is a content error (2).

liblouis keeps global state (compiled-table cache, log callback) and is not
documented as thread-safe, so every call holds one module-wide lock.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import threading
from typing import Any

from ...errors import ContentError, ExportError, MissingPieceError

DEBIAN_PACKAGE = "liblouis20"
TABLES_PACKAGE = "liblouis-data"

NO_UNDEFINED = 128
"""Translation mode: drop characters the table does not define instead of escaping them."""

_LOG_ERROR = 40000  # LOU_LOG_ERROR
_MAX_GROWTH = 64  # output may be at most this many times the input (plus slack)
_SLACK = 64  # widechars kept free at the end of every output buffer

_lock = threading.RLock()
_messages: list[str] = []

_LogCallback = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p)


def _collect(level: int, message: bytes | None) -> None:
    if level >= _LOG_ERROR and message:
        _messages.append(message.decode("utf-8", "replace").strip())


# Must stay referenced for as long as the library may call it.
_callback = _LogCallback(_collect)


class LouisError(ExportError):
    """liblouis is unusable or failed; the message is one line."""


class LouisUnavailable(LouisError, MissingPieceError):
    """The shared library cannot be loaded."""


class TableNotFound(LouisError, MissingPieceError):
    """A table list does not compile (usually: a table file is not installed)."""


class TranslationError(ContentError):
    """The text cannot be translated (as opposed to liblouis itself failing)."""


@functools.cache
def _lib() -> Any:
    """Load and declare the library once; raise :class:`LouisUnavailable` if absent."""
    name = ctypes.util.find_library("louis") or "liblouis.so.20"
    try:
        lib = ctypes.CDLL(name)
        lib.lou_version.restype = ctypes.c_char_p
        lib.lou_version.argtypes = []
        lib.lou_charSize.restype = ctypes.c_int
        lib.lou_charSize.argtypes = []
        lib.lou_checkTable.restype = ctypes.c_int
        lib.lou_checkTable.argtypes = [ctypes.c_char_p]
        lib.lou_registerLogCallback.restype = None
        lib.lou_registerLogCallback.argtypes = [_LogCallback]
        for func in (lib.lou_translateString, lib.lou_backTranslateString):
            func.restype = ctypes.c_int
            func.argtypes = [
                ctypes.c_char_p,  # tableList
                ctypes.c_void_p,  # inbuf (widechar *)
                ctypes.POINTER(ctypes.c_int),  # inlen: in = length, out = consumed
                ctypes.c_void_p,  # outbuf (widechar *)
                ctypes.POINTER(ctypes.c_int),  # outlen: in = capacity, out = length
                ctypes.c_void_p,  # typeform (unused)
                ctypes.c_void_p,  # spacing (unused)
                ctypes.c_int,  # mode
            ]
    except (OSError, AttributeError) as exc:
        raise LouisUnavailable(
            f"liblouis cannot be loaded ({exc}); install the Debian package {DEBIAN_PACKAGE}"
        ) from None
    lib.lou_registerLogCallback(_callback)
    size = lib.lou_charSize()
    if size not in (2, 4):
        raise LouisUnavailable(f"liblouis uses {size}-byte characters; only 2 or 4 are supported")
    return lib


def version() -> str:
    with _lock:
        raw = _lib().lou_version()
    return raw.decode("ascii", "replace") if raw else "unknown"


def char_size() -> int:
    """Bytes per liblouis ``widechar``: 4 (UTF-32) on Debian, 2 (UTF-16) in some builds."""
    with _lock:
        return int(_lib().lou_charSize())


def encode(text: str, size: int) -> list[int]:
    """Code units of ``text`` as liblouis reads them: code points, or UTF-16 units."""
    if size == 4:
        return [ord(c) for c in text]
    data = text.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def decode(units: list[int], size: int) -> str:
    """The inverse of :func:`encode`; anything unrepresentable becomes U+FFFD."""
    if size == 4:
        return "".join(chr(u) if u <= 0x10FFFF else "\ufffd" for u in units)
    raw = b"".join(u.to_bytes(2, "little") for u in units)
    return raw.decode("utf-16-le", "replace")


def _table_arg(tables: str) -> bytes:
    try:
        return tables.encode("ascii")
    except UnicodeEncodeError:
        raise TableNotFound(f"table list {tables!r} is not ASCII") from None


def _last_error() -> str:
    return _messages[-1] if _messages else "no details from liblouis"


def check_table(tables: str) -> None:
    """Compile ``tables`` (a comma-separated list) or raise :class:`TableNotFound`."""
    arg = _table_arg(tables)
    with _lock:
        lib = _lib()
        _messages.clear()
        if not lib.lou_checkTable(arg):
            details = "; ".join(m for m in _messages if "errors found" not in m)
            raise TableNotFound(f"tables {tables} do not load: {details or 'unknown error'}")


def table_exists(tables: str) -> bool:
    try:
        check_table(tables)
    except TableNotFound:
        return False
    return True


def _call(func_name: str, tables: str, text: str, mode: int, growth: int) -> str:
    """Run a liblouis string translation with an output buffer that is never too small.

    Two liblouis 3.24 behaviours shape the buffer handling. An output capacity
    below the input length can corrupt liblouis's own heap on long input (the
    process aborts), so the capacity is always at least the input length plus
    slack. And a full buffer is not reported: the output is cut short while
    ``*inlen`` may still claim that everything was read. So output that comes
    within ``_SLACK`` units of the capacity is treated as cut short, and the
    call is repeated with a larger buffer.
    """
    if not text:
        return ""
    arg = _table_arg(tables)
    with _lock:
        lib = _lib()
        func = getattr(lib, func_name)
        size = int(lib.lou_charSize())
        units = encode(text, size)
        ctype = ctypes.c_uint32 if size == 4 else ctypes.c_uint16
        inbuf = (ctype * len(units))(*units)
        limit = _MAX_GROWTH * len(units) + _SLACK
        capacity = max(growth, 1) * len(units) + _SLACK
        while True:
            outbuf = (ctype * capacity)()
            inlen = ctypes.c_int(len(units))
            outlen = ctypes.c_int(capacity)
            _messages.clear()
            ok = func(arg, inbuf, ctypes.byref(inlen), outbuf, ctypes.byref(outlen), None, None,
                      mode)
            if not ok:
                raise TranslationError(f"liblouis could not translate the text: {_last_error()}")
            if inlen.value >= len(units) and 0 <= outlen.value <= capacity - _SLACK:
                return decode(list(outbuf[: outlen.value]), size)
            if capacity >= limit:
                raise TranslationError(
                    f"liblouis output exceeds {_MAX_GROWTH}x the input length; text not translated"
                )
            capacity = min(capacity * 4, limit)


def translate(tables: str, text: str, mode: int = 0) -> str:
    """Print text to braille, rendered through the display table in ``tables``."""
    return _call("lou_translateString", tables, text, mode, growth=16)


def back_translate(tables: str, braille: str, mode: int = 0) -> str:
    """Braille (as the display table renders it) back to print; grade 2 is not lossless."""
    return _call("lou_backTranslateString", tables, braille, mode, growth=16)
