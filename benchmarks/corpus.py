"""The library the batch benchmarks build: real where the data set is present.

:func:`library` imports free-exercise-db (``../shared/datasets/free-exercise-db``, 873 real
exercises) when it is there; elsewhere it generates N documents varied from the source
document and the importer's test pages: different names and ids, muscle groups, numbers and
lengths of steps and tips, prescriptions. Deterministic for a given N and seed.

    python benchmarks/corpus.py 500 /tmp/corpus
"""

from __future__ import annotations

import copy
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from kickback_export.document.importers.page import import_page
from kickback_export.document.model import Exercise

ROOT = Path(__file__).resolve().parents[1]
DATA_SET = ROOT.parent / "shared" / "datasets" / "free-exercise-db" / "exercises.json"
MUSCLES = [
    ("glutes", "gluteus maximus"), ("hamstrings", "biceps femoris"), ("quads", "rectus femoris"),
    ("chest", "pectoralis major"), ("back", "latissimus dorsi"), ("shoulders", "deltoid"),
    ("core", "rectus abdominis"), ("calves", "gastrocnemius"), ("biceps", "biceps brachii"),
    ("triceps", "triceps brachii"), ("outer hip", "gluteus medius"),
]
VARIANTS = ["Band", "Cable", "Dumbbell", "Kettlebell", "Single-Arm", "Tempo", "Paused", "Deficit"]


def seed_variants(
    count: int,
    seed: int = 7,
    muscles: Sequence[tuple[str, str | None]] = MUSCLES,
    variants: Sequence[str] = VARIANTS,
) -> list[dict[str, Any]]:
    """``count`` variants of the source document alone (names, muscles, 4–12 steps, some
    tips), the same for the same arguments: the single-format benchmarks' input."""
    rng = random.Random(seed)
    base = yaml.safe_load(
        (ROOT / "source" / "resistance-band-one-leg-kickback-bent-position.yaml").read_text()
    )
    docs = []
    for i in range(count):
        doc = copy.deepcopy(base)
        doc["id"] = f"exercise-{i + 1:04d}"
        doc["name"] = f"{rng.choice(list(variants))} {base['name']} {i + 1}"
        picked = rng.sample(list(muscles), 2)
        doc["muscles"] = {
            part: [{"name": name, **({"anatomy": [anatomy]} if anatomy else {})}]
            for part, (name, anatomy) in zip(("primary", "secondary"), picked, strict=True)
        }
        doc["steps"] = (base["steps"] * 2)[: rng.randint(4, 12)]
        doc["tips"] = base["tips"][: rng.randint(2, len(base["tips"]))]
        docs.append(doc)
    return docs


def _bases() -> list[dict[str, Any]]:
    source = yaml.safe_load(
        (ROOT / "source" / "resistance-band-one-leg-kickback-bent-position.yaml").read_text()
    )
    # the English pages only: the recorded figures are for English documents
    pages = sorted(p for p in (ROOT / "tests" / "pages").glob("*.txt")
                   if p.stem.rsplit("-", 1)[-1] not in ("de", "fr", "es"))
    return [source] + [import_page(p).data for p in pages]


def make_document(i: int, rng: random.Random, bases: list[dict[str, Any]]) -> dict[str, Any]:
    doc = dict(rng.choice(bases))
    name = f"{rng.choice(VARIANTS)} {doc['name']} {i + 1}"
    doc["id"] = f"exercise-{i + 1:04d}"
    doc["name"] = name
    doc.pop("aliases", None)
    primary, secondary = rng.sample(MUSCLES, 2)
    doc["muscles"] = {
        "primary": [{"name": primary[0], "anatomy": [primary[1]]}],
        "secondary": [{"name": secondary[0], "anatomy": [secondary[1]]}],
    }
    steps = list(doc["steps"])
    steps = (steps * 3)[: rng.randint(3, min(12, len(steps) * 3))]
    doc["steps"] = steps
    doc["tips"] = list(doc.get("tips", []))[: rng.randint(1, 8)]
    if rng.random() < 0.8:
        doc["prescription"] = {
            "sets": rng.randint(2, 4), "reps": rng.choice([6, 8, 10, 12]),
            "sides": rng.choice(["both", "none"]),
            "tempo": {"kick": 1, "hold": rng.choice([0, 1]), "return": rng.choice([2, 3])},
            "rest": rng.choice([30, 45, 60, 90]),
        }
    Exercise.model_validate(doc)
    return doc


class _NoAliases(yaml.SafeDumper):
    """Documents may not use anchors: write repeated steps out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def make_corpus(n: int, folder: Path, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    bases = _bases()
    paths = []
    for i in range(n):
        path = folder / f"exercise-{i + 1:04d}.yaml"
        text = yaml.dump(
            make_document(i, rng, bases), Dumper=_NoAliases, sort_keys=False, allow_unicode=True
        )
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def real_corpus(folder: Path, n: int | None = None) -> list[Path]:
    """The first ``n`` exercises of free-exercise-db (all when None) imported into ``folder``
    with their photos; empty where the data set is absent. Refused exercises are skipped."""
    if not DATA_SET.is_file():
        return []
    from kickback_export.document.importers import ImportOptions, importer
    from kickback_export.document.importers.writer import write

    results = importer("free-exercise-db").run(DATA_SET, ImportOptions(every=True))
    report = write(results[:n] if n else results, folder)
    return [done.path for done in report.written]


def library(n: int, folder: Path) -> list[Path]:
    """The real corpus (up to ``n`` documents) where it is present, else ``n`` generated."""
    return real_corpus(folder, n) or make_corpus(n, folder)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("corpus")
    print(f"{len(make_corpus(count, out))} documents in {out}")
