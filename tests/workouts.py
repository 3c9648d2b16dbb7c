"""Workouts and programs for tests: resolved from files (or data) against folders of documents.

``resolved_workout(path)`` loads the workout at ``path`` and resolves it against the
documents of its own folder and ``source/`` (the first of two documents with one id
wins); name folders to use only theirs. A dict in place of a path is a workout (or
program) given as data. Documents of those folders that do not resolve are ignored
unless the one asked for needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kickback_export.content.script import Session
from kickback_export.content.timeline import SpeechDuration, TimelineOptions
from kickback_export.content.track import Timeline
from kickback_export.content.workout_list import workout_text
from kickback_export.document.loader import Loaded, load_loaded, parse_loaded
from kickback_export.document.plan import Plan
from kickback_export.document.resolve import resolve_all
from kickback_export.document.workout import ResolvedProgram, ResolvedWorkout

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "source"
SUFFIXES = (".yaml", ".yml")


def _target(doc: str | Path | dict[str, Any]) -> Loaded:
    if isinstance(doc, dict):
        return parse_loaded(yaml.safe_dump(doc, sort_keys=False), "<data>.yaml")
    return load_loaded(doc)


def _resolved(doc: str | Path | dict[str, Any], dirs: tuple[str | Path, ...]) -> object:
    target = _target(doc)
    folders = [Path(d) for d in dirs] or [  # its own folder first: its documents win
        *([] if isinstance(doc, dict) else [Path(doc).parent]), SOURCE_DIR]
    own = None if isinstance(doc, dict) else Path(doc).resolve()
    files = {p.resolve(): p for f in folders for p in sorted(f.iterdir())
             if p.suffix in SUFFIXES and p.is_file() and p.resolve() != own}
    others = []
    for file in files.values():
        try:
            loaded = load_loaded(file)
        except Exception:  # a bad neighbour only matters if the document needs it
            continue
        if loaded.document.id != target.document.id:
            others.append(loaded)
    resolution = resolve_all([target, *others])
    mine = [p for p in resolution.problems if p.file == target.file]
    if mine:
        raise mine[0]
    return resolution.documents[target.document.id]


def resolved_workout(doc: str | Path | dict[str, Any], *dirs: str | Path) -> ResolvedWorkout:
    """The workout at ``doc`` (a path, or its data as a dict) with its exercises, found in
    ``dirs`` (default: the workout's own folder, then ``source/``)."""
    resolved = _resolved(doc, dirs)
    assert isinstance(resolved, ResolvedWorkout), f"{doc} is not a workout"
    return resolved


def resolved_program(doc: str | Path | dict[str, Any], *dirs: str | Path) -> ResolvedProgram:
    """The program at ``doc`` (a path, or its data) with its workouts and their exercises,
    found in ``dirs`` (default: the program's own folder, then ``source/``)."""
    resolved = _resolved(doc, dirs)
    assert isinstance(resolved, ResolvedProgram), f"{doc} is not a program"
    return resolved


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as a YAML document at ``path`` (for a test's own workouts)."""
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def session(p: Plan) -> Session:
    """A plan's guided session with its blocks' titles (as the workout's text model has it)."""
    return Session(p, {g.key: g.title for g in workout_text(p).groups})


def session_timeline(p: Plan, seconds: SpeechDuration, options: TimelineOptions | None = None,
                     full_technique: bool = False) -> Timeline:
    """The plan's track laid out with ``seconds`` for each sentence."""
    options = options or TimelineOptions(full_technique=full_technique)
    if full_technique:
        options = TimelineOptions(**{**vars(options), "full_technique": True})
    return session(p).timeline(options, seconds)


def session_texts(p: Plan, options: TimelineOptions | None = None,
                  full_technique: bool = False) -> list[str]:
    """Every distinct sentence of the plan's track."""
    options = options or TimelineOptions(full_technique=full_technique)
    return session(p).texts(options)
