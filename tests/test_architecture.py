"""The package reads top to bottom: CLI → build → exporters → engines → content → document,
with the plug-in registry, errors and file helpers below them all.

These checks read the source (every import, those only for type checking included), so a
module that reaches back up, a kind branch outside the layers that know the kinds, or a
module grown past 400 lines fails here rather than in review.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kickback_export"
LAYERS = {"cli": 6, "build": 5, "exporters": 4, "engines": 3, "content": 2, "document": 1}
"""Each top-level room's layer; the rest (registry, errors, fsutil, languages, procutil)
is 0, the bottom. The package's ``__init__`` and ``__main__`` are its front door."""
KINDS_KNOWN = ("content", "document")
"""Where a document's kind may be told apart: the layers that build the text model."""


def _modules() -> dict[str, tuple[Path, ast.Module]]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return out


MODULES = _modules()


def _imports(name: str, path: Path, tree: ast.Module) -> list[tuple[str, str, int]]:
    """(module imported, name imported, line) of every import of the package."""
    out = []
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base) if (
                node.level) else (node.module or "")
            out += [(target, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.Import):
            out += [(alias.name, "", node.lineno) for alias in node.names]
    return [(t, n, line) for t, n, line in out if t.startswith("kickback_export")]


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(module: str) -> int:
    return LAYERS.get(_room(module), 0)


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [f"{name}:{line} imports {target}" for name, (path, tree) in MODULES.items()
              if name not in ("kickback_export", "kickback_export.__main__")
              for target, _, line in _imports(name, path, tree)
              if _layer(target) > _layer(name)]
    assert upward == []


def test_the_rooms_import_one_another_without_cycles() -> None:
    """Rooms: the top-level packages, and each medium of ``engines``."""
    def room(module: str) -> str:
        parts = module.split(".")
        return ".".join(parts[1:3]) if parts[1:2] == ["engines"] and len(parts) > 3 else (
            parts[1] if len(parts) > 1 else "")

    graph: dict[str, set[str]] = defaultdict(set)
    for name, (path, tree) in MODULES.items():
        for target, _, _ in _imports(name, path, tree):
            if room(target) != room(name) and room(name) and room(target):
                graph[room(name)].add(room(target))

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n}))
                   for n in graph[start])

    assert [r for r in list(graph) if reaches(r, r, {r})] == []


def test_no_module_imports_another_packages_private_names() -> None:
    found = [f"{name}:{line} imports {target}.{imported}"
             for name, (path, tree) in MODULES.items()
             for target, imported, line in _imports(name, path, tree)
             if imported.startswith("_") and not imported.startswith("__")
             and target.rsplit(".", 1)[0] != name.rsplit(".", 1)[0]]
    assert found == []


def _kind_classes() -> set[str]:
    """The classes of the document models: exercises, workouts, programs and their parts."""
    out = set()
    for name in ("kickback_export.document.model", "kickback_export.document.workout",
                 "kickback_export.document.plan"):
        out |= {n.name for n in MODULES[name][1].body if isinstance(n, ast.ClassDef)}
    return out


def test_no_kind_is_told_apart_outside_content_and_document() -> None:
    """Exporters, engines, the build and the command line render the text model: none of
    them asks which kind of document it came from (``isinstance`` on a model class)."""
    classes = _kind_classes()
    assert {"Exercise", "Workout", "Program", "ResolvedWorkout", "ResolvedProgram"} <= classes
    found = []
    for name, (_path, tree) in MODULES.items():
        if _room(name) in KINDS_KNOWN:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "isinstance" and len(node.args) == 2):
                names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
                names |= {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
                if names & classes:
                    found.append(f"{name}:{node.lineno}: isinstance(…, {sorted(names & classes)})")
    assert found == []


def test_exporters_and_engines_read_no_document_model() -> None:
    """They render the text model; the models are the content layer's to read. The build
    reads files through the loader and the kinds' registry, never a model."""
    models = ("kickback_export.document.model", "kickback_export.document.workout",
              "kickback_export.document.plan")
    found = [f"{name}:{line} imports {target}" for name, (path, tree) in MODULES.items()
             if _room(name) in ("exporters", "engines", "build", "cli")
             for target, _, line in _imports(name, path, tree)
             if target in models or (target == "kickback_export.document.loader"
                                     and _room(name) in ("exporters", "engines"))]
    assert found == []


def test_no_exporter_imports_another_and_the_cli_none() -> None:
    found = [f"{name} imports {target}" for name, (path, tree) in MODULES.items()
             for target, _, _ in _imports(name, path, tree)
             if target.startswith("kickback_export.exporters.") and target != name
             and (_room(name) in ("exporters", "cli"))]
    assert found == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_under_400_lines(name: str) -> None:
    lines = len(MODULES[name][0].read_text(encoding="utf-8").splitlines())
    assert lines <= 400, f"{MODULES[name][0].relative_to(PACKAGE)}: {lines} lines"
