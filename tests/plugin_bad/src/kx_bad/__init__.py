"""Plug-ins that each break the contract in one way; discovery must name each reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kickback_export import fsutil
from kickback_export.registry import Option, Options, Output


class WordCount:
    name = "wordcount"
    description = "export() without its options argument"

    def export(self, document: Any, out_dir: Path) -> list[Output]:
        return []


class Nameless:
    description = "no name"

    def export(self, document: Any, out_dir: Path, options: Options) -> list[Output]:
        return []


class Blurbless:
    name = "blurbless"

    def export(self, document: Any, out_dir: Path, options: Options) -> list[Output]:
        return []


class Exportless:
    name = "exportless"
    description = "no export method"


class Stringly:
    name = "stringly"
    description = "export is not callable"
    export = "export"


class LooseOptions:
    name = "loose-options"
    description = "options that are not Option objects"
    options = ("--loose",)

    def export(self, document: Any, out_dir: Path, options: Options) -> list[Output]:
        return []


class Crashes:
    name = "crashes"
    description = "construction fails"

    def __init__(self) -> None:
        raise RuntimeError("no licence key")

    def export(self, document: Any, out_dir: Path, options: Options) -> list[Output]:
        return []


class ShadeA:
    name = "shade-a"
    description = "declares --shade first"
    options = (Option("shade", "a colour"),)

    def export(self, document: Any, out_dir: Path, options: Options) -> list[Output]:
        return []


class ShadeB(ShadeA):
    name = "shade-b"
    description = "declares --shade again"


class ReturnsPath:
    """Returns the path it wrote rather than a list of Output."""

    name = "paths"
    description = "returns a path"

    def export(self, document: Any, out_dir: Path, options: Options) -> Any:
        return fsutil.write_text(out_dir / f"{document.slug}.path.txt", document.title)


class Plain:
    """Keeps the contract without declaring options (they may be omitted)."""

    name = "plain"
    description = "a plain plug-in without options"

    def export(self, document: Any, out_dir: Path, options: Options) -> list[Output]:
        path = fsutil.write_text(out_dir / f"{document.slug}.plain.txt", document.title + "\n")
        return [Output(path, "text/plain")]


class HalfBook:
    """A collection whose assemble() forgets its options argument."""

    name = "halfbook"
    description = "assemble without options"

    def part(self, document: Any, options: Options) -> str:
        return str(document.slug)

    def assemble(self, parts: list[str], out_dir: Path) -> list[Output]:
        return []
