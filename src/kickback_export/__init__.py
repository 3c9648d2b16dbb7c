"""kickback-export: one structured exercise document, many accessible outputs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["DocumentError", "Exercise", "__version__", "load", "parse"]

if TYPE_CHECKING:
    from .document.loader import DocumentError, load, parse
    from .document.model import Exercise


def __getattr__(name: str) -> Any:
    """Loaded on first use, so a speech worker process that imports one submodule does not
    pay for pydantic and the models."""
    if name in ("DocumentError", "load", "parse"):
        from .document import loader

        return getattr(loader, name)
    if name == "Exercise":
        from .document.model import Exercise

        return Exercise
    raise AttributeError(f"module 'kickback_export' has no attribute {name!r}")
