"""An importer from another package: ``Name: step. step.`` on each line of a text file.

It only makes document data and refusals; the writer of kickback-export validates and
writes them, as for its own importers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from kickback_export.document.importers import Imported, ImportOptions, Refusal, Result


class LinesImporter:
    name = "lines"
    description = "one exercise a line: 'Name: step. step.'"

    def run(self, source: Path, options: ImportOptions) -> Sequence[Result]:
        results: list[Result] = []
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            name, _, rest = line.partition(":")
            steps = [s for s in re.split(r"(?<=\.)\s+", rest.strip()) if s]
            if not steps:
                results.append(Refusal(f"{source.name}:{number}", "no steps after the name"))
                continue
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            results.append(Imported({"id": slug, "name": name.strip(),
                                     "steps": [{"text": s} for s in steps]},
                                    f"{source.name}, line {number}",
                                    left_out=["everything but the name and steps"]))
        return results
