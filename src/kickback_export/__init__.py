"""kickback-export: one structured exercise document, many accessible outputs."""

from .loader import DocumentError, load, parse
from .model import Exercise

__version__ = "0.1.0"
__all__ = ["DocumentError", "Exercise", "__version__", "load", "parse"]
