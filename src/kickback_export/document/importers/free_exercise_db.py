"""The ``free-exercise-db`` importer: the public-domain data set's ``exercises.json``.

Each entry becomes one English document: its instruction paragraphs the steps ("Tip:"
sentences moved to tips, spacing slips repaired: :mod:`.instructions`), its muscles,
equipment and level, and its start/end photos copied beside the document. The data has
no summary, overview, cues or prescription, and nothing is invented for them; category,
force and mechanic have no field in the format. What a single entry lacks is reported
in one line; an entry that cannot make a valid document is refused, not written.

The file itself must have the data set's shape (a list of objects with a text ``id``
and ``name``, lists of text for muscles, instructions and images): otherwise it is bad
input, one line, and nothing is written.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from ...errors import DocumentError, OptionError
from . import Imported, ImportOptions, Refusal, Result
from .instructions import repair_spacing, split_instructions
from .page import slugify
from .pictures import Photo, photos

MAX_BYTES = 64 * 1024 * 1024
LEVELS = {"beginner": "beginner", "intermediate": "intermediate", "expert": "advanced"}
NOT_EQUIPMENT = {"other"}
"""Values that name no piece of equipment (printed, "Equipment: other" tells nothing)."""
CAPTIONS = ("Start position", "End position")
CREDIT = "free-exercise-db"
LICENSE = "public domain, the Unlicense"
"""Printed together: "Credit: free-exercise-db (public domain, the Unlicense)"."""
ALWAYS_LEFT_OUT = ["summary, overview, cues and prescription (the data set has none)"]


class Entry(BaseModel):
    """One exercise as the data set writes it; types are checked, nothing is coerced."""

    model_config = ConfigDict(extra="ignore", strict=True)

    id: str
    name: str
    force: str | None = None
    level: str | None = None
    mechanic: str | None = None
    equipment: str | None = None
    primaryMuscles: list[str] = []  # the data set's keys
    secondaryMuscles: list[str] = []
    instructions: list[str] = []
    category: str | None = None
    images: list[str] = []


def read_entries(path: Path) -> list[Entry]:
    """The file's entries, or a one-line :class:`DocumentError` (exit 2)."""
    file = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DocumentError(file, f"larger than {MAX_BYTES // 2**20} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(file, exc.strerror or str(exc)) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DocumentError(file, f"not JSON: {exc.msg} (column {exc.colno})",
                            line=exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise DocumentError(file, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                            f"offset {exc.start})") from None
    except RecursionError:
        raise DocumentError(file, "not JSON the importer can read: nested too deeply") from None
    if not isinstance(data, list):
        raise DocumentError(file, f"the top level is {_kind(data)}, expected a list of "
                            "exercises (free-exercise-db's exercises.json)")
    try:
        return TypeAdapter(list[Entry]).validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        index, *where = first["loc"]
        entry = data[int(index)]
        ident = entry.get("id") if isinstance(entry, dict) else None
        label = f"[{index}]" + (f" {ident}" if isinstance(ident, str) else "")
        field = ".".join(str(part) for part in where) or "entry"
        raise DocumentError(file, f"{first['msg']}", field=f"{label}: {field}") from None


def _kind(value: object) -> str:
    names: dict[type, str] = {dict: "an object", str: "a string", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def slugs(entries: Sequence[Entry]) -> list[str]:
    """An id per entry, from the data set's id; a slug already taken gets ``-2``, ``-3`` …
    in file order, so the same file always gives the same ids."""
    taken: set[str] = set()
    out = []
    for entry in entries:
        base = slugify(entry.id) or slugify(entry.name) or "exercise"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base[:95]}-{n}"
        taken.add(slug)
        out.append(slug)
    return out


def select(entries: Sequence[Entry], ids: Sequence[str], file: str,
           every: bool) -> list[int]:
    """Indices of the entries asked for by their data-set id (or their slug)."""
    if every:
        return list(range(len(entries)))
    if not ids:
        raise OptionError("--from free-exercise-db: name the exercises with --id ID … or "
                          "take them all with --all")
    found: dict[str, list[int]] = {}
    for i, (entry, slug) in enumerate(zip(entries, slugs(entries), strict=True)):
        found.setdefault(entry.id, []).append(i)
        found.setdefault(slug, []).append(i)
    chosen: list[int] = []
    for ident in ids:
        if ident not in found:
            guess = difflib.get_close_matches(ident, [e.id for e in entries], n=1)
            hint = f" — did you mean '{guess[0]}'?" if guess else ""
            raise OptionError(f"--id: no exercise '{ident}' in {file}{hint}")
        chosen += [i for i in found[ident] if i not in chosen]
    return sorted(chosen)


def _muscles(entry: Entry, notes: list[str]) -> dict[str, Any] | None:
    primary = [repair_spacing(m) for m in entry.primaryMuscles if m.strip()]
    secondary = [repair_spacing(m) for m in entry.secondaryMuscles if m.strip()]
    if not primary:
        notes.append("muscles (no primary muscles in the data)")
        return None
    muscles: dict[str, Any] = {"primary": [{"name": m} for m in primary]}
    if secondary:
        muscles["secondary"] = [{"name": m} for m in secondary]
    return muscles


def _pictures(name: str, found: list[Photo]) -> list[dict[str, str]]:
    pictures = []
    for photo in found:
        caption = CAPTIONS[photo.index] if photo.index < len(CAPTIONS) else None
        where = caption.lower() if caption else f"picture {photo.index + 1}"
        picture = {"file": photo.file, "alt": f"{name}, {where}."}
        if caption:
            picture["caption"] = caption
        pictures.append({**picture, "credit": CREDIT, "license": LICENSE})
    return pictures


def convert(entry: Entry, slug: str, images_root: Path, label: str) -> Result:
    """One entry as a document, or why it cannot be one."""
    split = split_instructions(entry.instructions)
    if not split.steps:
        why = "no instructions" if not entry.instructions else "its instructions are empty"
        return Refusal(label, f"{why} (a document needs at least one step)")
    name = repair_spacing(entry.name)
    if not name:
        return Refusal(label, "the name is empty")
    gaps: list[str] = []  # this entry's own, beyond what the data set never has
    data: dict[str, Any] = {"id": slug, "name": name, "language": "en"}
    muscles = _muscles(entry, gaps)
    if muscles:
        data["muscles"] = muscles
    equipment = repair_spacing(entry.equipment or "")
    if equipment and equipment not in NOT_EQUIPMENT:
        data["equipment"] = [equipment]
    else:
        gaps.append(f"equipment ({'other' if equipment else 'none'} in the data)")
    if entry.level in LEVELS:
        data["level"] = LEVELS[entry.level]
    else:
        gaps.append(f"level ({entry.level or 'none'} in the data)")
    data["steps"] = [{"text": step} for step in split.steps]
    if split.tips:
        data["tips"] = split.tips
    found, photo_notes = photos(entry.images, images_root, slug)
    if found:
        data["images"] = _pictures(name, found)
    carried = {"category": entry.category, "force": entry.force, "mechanic": entry.mechanic}
    extra = ", ".join(f"{key} {value}" for key, value in carried.items() if value)
    left_out = list(ALWAYS_LEFT_OUT) + gaps
    if extra:
        left_out.append(f"{extra} (the format has no field for them)")
    changes = []
    if split.tips:
        changes.append(f"{len(split.tips)} \"Tip:\" sentence(s) moved from the instructions "
                       "to tips")
    if split.repaired:
        changes.append(f"spacing repaired in {split.repaired} instruction(s)")
    if split.empty:
        changes.append(f"{split.empty} empty instruction(s) skipped")
    return Imported(
        data, f"free-exercise-db, exercise {entry.id} (public domain)",
        left_out=left_out, changes=changes,
        review=[f"the alt text of the {len(found)} picture(s), made from the name"] if found
        else [],
        files={photo.file: photo.source for photo in found},
        notes=[*(["left out " + ", ".join(gaps)] if gaps else []), *photo_notes],
    )


class FreeExerciseDbImporter:
    """``import --from free-exercise-db exercises.json (--id ID … | --all) -o DIR``."""

    name = "free-exercise-db"
    description = "free-exercise-db's exercises.json (public domain; photos beside it)"

    def run(self, source: Path, options: ImportOptions) -> Sequence[Result]:
        if options.language not in (None, "en"):
            raise OptionError("--language: free-exercise-db is in English (leave it out)")
        entries = read_entries(source)
        chosen = select(entries, options.ids, source.name, options.every)
        ids = slugs(entries)
        root = images_root(source)
        return [convert(entries[i], ids[i], root, f"{source.name}: {entries[i].id}")
                for i in chosen]


def images_root(source: Path) -> Path:
    """Where the photos are: ``exercises/`` beside the JSON (the data set's layout), else
    the JSON's own folder."""
    beside = source.parent / "exercises"
    return beside if beside.is_dir() else source.parent
