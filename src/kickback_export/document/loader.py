"""Loading and validation: bytes on disk to a document, or one clear error line.

A document's top-level ``kind`` says what it is: absent or ``exercise`` an
:class:`Exercise`, ``workout`` a :class:`Workout`, ``program`` a :class:`Program`, or
any other registered kind (:mod:`.kinds`).
YAML is read with the safe loader after a scan of its events that refuses
anchors/aliases (no "billion laughs") and deep nesting. Validation errors are
mapped back to the YAML line of the offending field; a document that names others
keeps the line of every field (:class:`Loaded`), since its references are checked
later, against the other documents of a build (:mod:`.resolve`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import DocumentError as DocumentError
from ..errors import DocumentWarning
from . import kinds
from .kinds import kind_of as kind_of
from .model import Exercise
from .tempo import LEGACY, legacy_notation

Document = Any
"""What one file holds: an instance of its kind's model (``kind_of`` names the kind)."""

MAX_BYTES = 2_000_000
# libyaml's parser when PyYAML was built with it (12× faster); same safe semantics.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 20


@dataclass(frozen=True)
class Loaded:
    """A document with the file it came from and the YAML line of each field path
    (``blocks[1].superset[0].exercise``), for errors found when resolving it."""

    file: str
    document: Document
    lines: Mapping[str, int] = field(default_factory=dict)


def decode(data: bytes, file: str) -> str:
    if b"\x00" in data:
        raise DocumentError(file, "binary data (NUL byte), not a YAML text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DocumentError(
            file, f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})",
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _check_events(text: str, file: str) -> None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise DocumentError(file, "YAML anchors and aliases are not allowed", line=line)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise DocumentError(file, f"nested deeper than {MAX_DEPTH} levels", line=line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        lines = text.split("\n")
        if mark and mark.line < len(lines) and "\t" in _indent(lines[mark.line]):
            problem = "a tab indents this line; indent with spaces"  # PyYAML's words hide it
        raise DocumentError(
            file, f"YAML syntax error: {problem}", line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise DocumentError(file, f"YAML error: {exc}") from None


def _check_duplicate_keys(node: yaml.Node | None, file: str, path: str = "") -> None:
    """PyYAML keeps the last of two equal keys silently; a document must not rely on that."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            where = f"{path}.{name}" if path else name
            if name in seen:
                raise DocumentError(file, "key appears twice", field=where,
                                    line=key.start_mark.line + 1)
            seen.add(name)
            _check_duplicate_keys(value, file, where)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicate_keys(item, file, f"{path}[{i}]")


def _is_tag(part: int | str) -> bool:
    """A union member's tag (``<superset>``): in pydantic's location, not in the YAML."""
    return isinstance(part, str) and part.startswith("<")


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if _is_tag(part) or part == "[key]":  # a mapping's key: named by the part before
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + ("return" if part == "return_" else str(part))
    return out


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest YAML node that ``loc`` reaches."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if _is_tag(part):
            continue
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            key = "return" if part == "return_" else part
            match = next((kv for kv in node.value if kv[0].value == key), None)
            if match is None:
                break
            node = match[1] if match[1] is not None else match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _lines(node: yaml.Node | None, path: str = "", out: dict[str, int] | None = None
           ) -> dict[str, int]:
    """The line of every field path in the YAML tree."""
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            where = f"{path}.{key.value}" if path else str(key.value)
            out[where] = value.start_mark.line + 1
            _lines(value, where, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[f"{path}[{i}]"] = item.start_mark.line + 1
            _lines(item, f"{path}[{i}]", out)
    return out


_PATTERNS = {
    "id": "must be lower-case letters and digits joined by single hyphens, e.g. 'band-kickback'",
    "language": "must be a BCP 47 language tag such as 'en' or 'en-GB'",
}
_PATTERNS["exercise"] = _PATTERNS["workout"] = _PATTERNS["[key]"] = (
    "must be a document's id: lower-case letters and digits joined by single hyphens")
_PATTERNS["<mass>"] = "must be a number, or a number and kg or lb such as '60 kg'"


def _bare(loc: tuple[Any, ...], value: object) -> str | None:
    """An id where a workout's or program's entry belongs ("- glute-bridge"): what to write."""
    fields = [f for f in loc if isinstance(f, str) and not f.startswith("<")]
    if not isinstance(value, str) or not fields:
        return None
    if fields[-1] == "days":
        return f"a day is fields, not a bare value: write 'workout: {value}'"
    if fields[-1] in ("warm_up", "cool_down"):
        return (f"an item is fields, not a bare value: write 'exercise: {value}', or "
                f"'name: {value}' with its 'seconds'")
    if fields[-1] in ("blocks", "superset", "circuit"):
        return f"an entry is fields, not a bare value: write 'exercise: {value}'"
    return None


def _reason(err: Any) -> str:
    kind = err["type"]
    if kind == "literal_error" and err["loc"] and err["loc"][-1] == "<until-ready>":
        return f"must be seconds from 0 to 600, or 'until-ready' (got {err['input']!r})"
    if kind == "literal_error" and err["loc"] and err["loc"][-1] == "tempo_start":
        return ("must be 'lowering' or 'lifting', the phase a rep starts with "
                f"(got {err['input']!r})")
    if kind == "string_pattern_mismatch" and err["loc"] and err["loc"][-1] in _PATTERNS:
        return f"{_PATTERNS[err['loc'][-1]]} (got {err['input']!r})"
    if kind == "missing" and err["loc"] and err["loc"][-1] == "rounds":
        return "required field is missing: how many rounds the circuit is done"
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "model_type" and (bare := _bare(err["loc"], err.get("input"))):
        return bare
    if kind == "too_short" and err["loc"] and err["loc"][-1] == "superset":
        got = len(err["input"]) if isinstance(err.get("input"), list) else 0
        return f"a superset needs at least 2 exercises (got {got})"
    if kind == "too_short" and isinstance(err.get("input"), list | str):
        return "must not be empty"
    if kind == "too_long" and isinstance(err.get("input"), list):  # not "…after validation"
        return f"at most {err['ctx']['max_length']} items (got {len(err['input'])})"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def _compose(text: str, file: str) -> tuple[yaml.Node | None, dict[str, Any]]:
    """The YAML tree and data of a document, checked to be a mapping of fields."""
    _check_events(text, file)
    try:
        node = yaml.compose(text, Loader=_LOADER)
        _check_duplicate_keys(node, file)
        data = yaml.load(text, Loader=_LOADER)  # a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise DocumentError(file, problem, line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise DocumentError(file, " ".join(f"YAML error: {exc}".split())) from None
    if data is None:
        raise DocumentError(file, "empty document")
    if not isinstance(data, dict):
        raise DocumentError(
            file, f"top level must be a mapping of fields, not {type(data).__name__}", line=1
        )
    return node, data


def _kind(data: dict[str, Any], node: yaml.Node | None, file: str) -> kinds.Kind:
    name = data.get("kind", kinds.DEFAULT)
    known = kinds.registered().found
    if not isinstance(name, str) or name not in known:
        quoted = [f"'{k}'" for k, kind in known.items() if kind.exported]  # documents
        choices = " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
        raise DocumentError(file, f"must be {choices} (got {name!r})",
                            field="kind", line=_line_of(node, ("kind",)))
    kind = known[name]
    if "kind" not in kind.model.model_fields:
        data.pop("kind", None)  # the default kind: the model has no field for it
    return kind


def parse_loaded(text: str, file: str) -> Loaded:
    """Validate YAML text into the document its ``kind`` names (``file`` names it in
    errors), with the line of each field of a workout or program."""
    node, data = _compose(text, file)
    kind = _kind(data, node, file)
    try:
        document = kind.model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        more = exc.error_count() - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise DocumentError(
            file, _reason(first) + suffix, field=_field_path(loc) or "(document)",
            line=_line_of(node, loc),
        ) from None
    if kind.name in ("exercise", "workout"):
        for field_, line, advice in _deprecated(node):
            warnings.warn(DocumentWarning(str(DocumentError(file, advice, field_, line))),
                          stacklevel=2)
    lines = {} if kind.references is None else _lines(node)
    return Loaded(file, document, lines)


def _deprecated(node: yaml.Node | None, path: str = "") -> Iterator[tuple[str, int, str]]:
    """Each deprecated form in a valid document — the ``{kick, hold, return}`` tempo, the
    ``kick``/``return`` cue names — with its field, line and what to write instead."""
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _deprecated(item, f"{path}[{i}]")
    if not isinstance(node, yaml.MappingNode):
        return
    keys = {str(k.value) for k, _ in node.value}
    for key, value in node.value:
        where = f"{path}.{key.value}" if path else str(key.value)
        inner = ({str(k.value): v.value for k, v in value.value if isinstance(v, yaml.ScalarNode)}
                 if isinstance(value, yaml.MappingNode) else {})
        if key.value == "tempo" and LEGACY & inner.keys():
            start = "" if "tempo_start" in keys else " with tempo_start: lifting"
            yield where, key.start_mark.line + 1, (
                f'kick/hold/return is deprecated; write tempo: "{legacy_notation(inner)}"'
                f"{start}")
        elif key.value == "cues" and {"kick", "return"} & inner.keys():
            renamed = {"kick": "lift", "return": "lower"}
            new = {renamed.get(k, k): v for k, v in inner.items()}
            order = {k: new[k] for k in ("lift", "hold", "lower") if k in new}
            flow = yaml.safe_dump(order, default_flow_style=True, sort_keys=False,
                                  width=10_000, allow_unicode=True).strip()
            yield where, key.start_mark.line + 1, (
                f"kick and return are deprecated; write cues: {flow}")
        yield from _deprecated(value, where)


def parse_any(text: str, file: str) -> Document:
    """Validate YAML text into an exercise, a workout or a program."""
    return parse_loaded(text, file).document


def _exercise(document: Document, file: str) -> Exercise:
    if not isinstance(document, Exercise):
        raise DocumentError(file, f"this is a {kind_of(document)}; an exercise is expected "
                            "here", field="kind")
    return document


def load_input(path: str | Path, kind: str) -> Loaded:
    """A build's input file (``--athlete``): a document of ``kind``, or one error line."""
    try:
        loaded = load_loaded(path)
    except DocumentError as exc:
        if exc.field != "kind":
            raise
        raise DocumentError(exc.file, f"must be '{kind}': --{kind} takes {_a(kind)} file "
                            f"({exc.reason.rpartition('(')[2].rstrip(')')})", field="kind",
                            line=exc.line) from None
    if kind_of(loaded.document) != kind:
        raise DocumentError(str(path), f"this is {_a(kind_of(loaded.document))}; {_a(kind)} "
                            "file is expected here", field="kind")
    return loaded


def _a(kind: str) -> str:
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def parse(text: str, file: str) -> Exercise:
    """Validate YAML text into an :class:`Exercise` (``file`` names it in errors)."""
    return _exercise(parse_any(text, file), file)


def read(path: str | Path) -> bytes:
    """The raw bytes of a document, or a :class:`DocumentError` saying why not."""
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(file, f"file is {size} bytes; the limit is {MAX_BYTES}")
        return path.read_bytes()
    except IsADirectoryError:
        raise DocumentError(file, "is a folder, not a document") from None
    except OSError as exc:
        raise DocumentError(file, exc.strerror or str(exc)) from None


def load_loaded_bytes(data: bytes, file: str) -> Loaded:
    """Validate a document's bytes read from ``file`` (any kind), and load the pictures
    of an exercise beside it."""
    loaded = parse_loaded(decode(data, file), file)
    if getattr(loaded.document, "images", None):  # pictures beside the file
        from .images import attach

        attach(loaded.document, file)
    return loaded


def load_loaded(path: str | Path) -> Loaded:
    """Read and validate one document of any kind, keeping its file and field lines."""
    return load_loaded_bytes(read(path), str(path))


def load_any(path: str | Path) -> Document:
    """Read and validate one document: an exercise, a workout or a program."""
    return load_loaded(path).document


def load_bytes(data: bytes, file: str) -> Exercise:
    """Validate an exercise document's bytes read from ``file``, and load its pictures."""
    return _exercise(load_loaded_bytes(data, file).document, file)


def load(path: str | Path) -> Exercise:
    """Read and validate one exercise document."""
    return load_bytes(read(path), str(path))
