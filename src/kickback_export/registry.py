"""Plug-in registry: exporters (one document → files), collections (many documents → one
output) and importers are discovered through entry points, so a third-party package adds
one without touching this one.

Every plug-in is checked against its contract when it is discovered. One that cannot be
used is left out with the exact reason, so a broken package neither takes the other
formats down nor fails later with a traceback. The values of the options plug-ins
declare are checked here too (:func:`check_values`), once, before a build writes
anything. Nothing heavy is imported here: listing the formats must not load a rendering
engine or the document model. The typed contracts exporters and collections keep, on
the text model, are :mod:`kickback_export.exporters`'s.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ContentError as ContentError
from .errors import OptionError, PluginError, one_line

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

EXPORTERS = "kickback_export.exporters"
COLLECTIONS = "kickback_export.collections"
IMPORTERS = "kickback_export.importers"
RESERVED = frozenset({"format", "out", "output", "force", "jobs", "quiet", "help", "version"})
"""Option names the command line uses itself."""
_OPTION_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


@dataclass(frozen=True)
class Option:
    """A plug-in-specific setting, offered on the command line as ``--<name>``."""

    name: str
    help: str
    default: Any = None
    type: type = str
    choices: Sequence[str] | None = None
    flag: bool = False  # a boolean switch (``--name``) rather than ``--name VALUE``
    check: Callable[[Any], object] | None = None
    """Raises ValueError, with the reason, for a value the plug-in cannot use."""

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")

    def value(self, value: Any) -> Any:
        """``value`` as the plug-in gets it (None: not given), or an OptionError."""
        if value is None:
            return None
        if self.flag:
            return bool(value)
        if isinstance(value, str) and self.type is not str:
            try:
                value = self.type(value)
            except (TypeError, ValueError) as exc:
                raise OptionError(f"--{self.name}: {one_line(exc)}") from None
        if self.choices is not None:
            value = str(value).lower()
            if value not in self.choices:
                raise OptionError(f"--{self.name}: unknown value '{value}' "
                                  f"(choose {', '.join(self.choices)})")
        if self.check is not None:
            try:
                self.check(value)
            except ValueError as exc:
                raise OptionError(f"--{self.name}: {one_line(exc)}") from None
        return value


@dataclass(frozen=True)
class Output:
    """One file a plug-in wrote."""

    path: Path
    media_type: str


@dataclass(frozen=True)
class Companion:
    """A file another exporter made of the same document for this build (an exporter's
    ``uses``): ``path`` to read it now, ``href`` where it lies relative to this exporter's
    own files once published (they share the document's folder)."""

    path: Path
    href: str
    media_type: str


@dataclass(frozen=True)
class Options:
    """Settings handed to a plug-in; each reads the ones it declared."""

    values: Mapping[str, Any] = field(default_factory=dict)
    jobs: int = 1
    """Documents being exported in parallel: a plug-in that starts processes of its own
    shares the cores with the other documents (``cores // jobs``)."""
    companions: Mapping[str, Sequence[Companion]] = field(default_factory=dict)
    """By exporter name, the files of the exporters this one ``uses`` that the build also
    makes of the document (made first); empty for the others."""

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name.replace("-", "_"))
        return default if value is None else value


_METHODS: dict[str, dict[str, tuple[str, ...]]] = {
    EXPORTERS: {"export": ("document", "out_dir", "options")},
    COLLECTIONS: {"part": ("document", "options"), "assemble": ("parts", "out_dir", "options")},
    IMPORTERS: {"run": ("source", "options")},
}
_KIND = {EXPORTERS: "exporter", COLLECTIONS: "collection", IMPORTERS: "importer"}


class UnknownFormat(OptionError):
    """``--format`` names nothing registered."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        guess = difflib.get_close_matches(name, known, n=1)
        hint = f" — did you mean '{guess[0]}'?" if guess else ""
        super().__init__(f"unknown format '{name}'{hint} (known: {', '.join(known) or 'none'})")


class UnusableFormat(OptionError):
    """``--format`` names a registered plug-in that was left out; the message says why."""


def options_of(plugin: object) -> tuple[Option, ...]:
    """The plug-in's options; none when it declares none."""
    return tuple(getattr(plugin, "options", None) or ())


def accepts(plugin: object, text: object) -> bool:
    """Whether the plug-in makes something of this text model (its optional ``accepts``;
    default: of every document)."""
    check = getattr(plugin, "accepts", None)
    return True if check is None else bool(check(text))


def check_values(plugins: Sequence[object], values: Mapping[str, Any]) -> dict[str, Any]:
    """The option values as the plug-ins get them: each declared option's value converted
    and checked once (:meth:`Option.value`), then each plug-in's optional
    ``check_options(options)`` for rules between its options; an OptionError names the
    first value that is not usable. Values no plug-in declares pass unchanged."""
    out = dict(values)
    for plugin in plugins:
        for opt in options_of(plugin):
            out[opt.dest] = opt.value(values.get(opt.dest))
    for plugin in plugins:  # rules between options: a plug-in's own ``check_options``
        check = getattr(plugin, "check_options", None)
        if check is not None:
            check(Options(out))
    return out


def uses_of(exporter: object) -> tuple[str, ...]:
    """The exporters whose files of the same document this one reads when both are built."""
    return tuple(getattr(exporter, "uses", None) or ())


def collections_of(exporter: object) -> tuple[str, ...]:
    """The collections built whenever this exporter is."""
    return tuple(getattr(exporter, "collections", None) or ())


def _type_name(value: object) -> str:
    return type(value).__name__


def _signature_problem(method: str, func: Any, expected: tuple[str, ...]) -> str | None:
    import inspect

    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):  # no signature to read (a builtin): trust it
        return None
    try:
        sig.bind(*expected)
    except TypeError:
        params = sig.parameters.values()
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        wanted = f"expected ({', '.join(expected)})"
        if len(positional) != len(expected) and not any(p.kind == p.VAR_POSITIONAL
                                                        for p in params):
            count = len(positional)
            return f"{method}() takes {count} argument{'' if count == 1 else 's'}, {wanted}"
        return f"{method}{sig} cannot be called as {method}({', '.join(expected)})"
    return None


def _option_problem(options: object) -> str | None:
    option = f"{Option.__module__}.Option"
    if isinstance(options, str | bytes) or not isinstance(options, Sequence):
        return f"'options' is {_type_name(options)}, expected a sequence of {option}"
    names: set[str] = set()
    for opt in options:
        if not isinstance(opt, Option):
            return f"'options' holds {_type_name(opt)}, expected {option}"
        if not isinstance(opt.name, str) or not _OPTION_NAME.match(opt.name):
            return f"option name {opt.name!r} is not lower-case letters, digits and dashes"
        if opt.name in RESERVED:
            return f"option '--{opt.name}' is one the command line uses itself"
        if opt.name in names:
            return f"option '--{opt.name}' is declared twice"
        names.add(opt.name)
    return None


def contract_problem(group: str, name: str, plugin: object) -> str | None:
    """Why ``plugin`` cannot be used as the ``group`` plug-in called ``name`` (None: it can)."""
    for attr in ("name", "description"):
        value = getattr(plugin, attr, None)
        if value is None:
            return f"no '{attr}' attribute"
        if not isinstance(value, str) or not value.strip():
            return f"'{attr}' is {_type_name(value)}, expected a non-empty str"
    if getattr(plugin, "name", None) != name:
        return f"its name '{getattr(plugin, 'name', None)}' differs from its entry point name"
    for method, expected in _METHODS[group].items():
        func = getattr(plugin, method, None)
        if func is None:
            return f"no '{method}' method"
        if not callable(func):
            return f"'{method}' is {_type_name(func)}, not a method"
        problem = _signature_problem(method, func, expected)
        if problem:
            return problem
    options = getattr(plugin, "options", None)
    if options is not None:
        problem = _option_problem(options)
        if problem:
            return problem
    if group in (EXPORTERS, COLLECTIONS):
        accept = getattr(plugin, "accepts", None)
        if accept is not None and not callable(accept):
            return f"'accepts' is {_type_name(accept)}, not a method"
    scope = getattr(plugin, "scope", "build") if group == COLLECTIONS else "build"
    if scope not in ("build", "folder"):  # what a collection is made from
        return f"'scope' is {scope!r}, expected 'build' or 'folder'"
    if group == EXPORTERS:
        for attr, what in (("collections", "collection"), ("uses", "exporter")):
            names = getattr(plugin, attr, None) or ()
            if isinstance(names, str) or not isinstance(names, Sequence) or not all(
                    isinstance(n, str) for n in names):
                return f"'{attr}' is {_type_name(names)}, expected a tuple of {what} names"
    return None


def _load(group: str, ep: EntryPoint) -> tuple[object | None, str | None]:
    """The plug-in object behind ``ep``, or None and why not."""
    try:
        obj = ep.load()
    except Exception as exc:
        return None, f"cannot be imported: {_type_name(exc)}: {one_line(exc)}"
    if isinstance(obj, type):
        try:
            obj = obj()
        except Exception as exc:
            return None, f"{obj.__name__}() failed: {_type_name(exc)}: {one_line(exc)}"
    return obj, contract_problem(group, ep.name, obj)


def _entry_points(group: str) -> Iterator[EntryPoint]:
    from importlib.metadata import entry_points

    yield from sorted(entry_points(group=group), key=lambda ep: (ep.name, ep.value))


@dataclass
class Plugins:
    """Every usable exporter and collection by name (in name order), and why the others were
    left out (one line each, keyed by name)."""

    exporters: dict[str, Any] = field(default_factory=dict)
    collections: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    """Lines for plug-ins left out because another one already has their name."""

    @property
    def lines(self) -> list[str]:
        """Every plug-in left out, one line each."""
        return [*self.problems.values(), *self.duplicates]

    @property
    def known(self) -> list[str]:
        return sorted({*self.exporters, *self.collections, *self.problems})

    def select(self, names: Sequence[str] | None) -> tuple[list[Any], list[Any]]:
        """The plug-ins named (every exporter when ``names`` is empty); a name that is not
        registered, or whose plug-in was left out, is an :class:`OptionError`."""
        if not names:
            return list(self.exporters.values()), []
        exporters: list[Any] = []
        collections: list[Any] = []
        for name in dict.fromkeys(names):
            if name in self.exporters:
                exporters.append(self.exporters[name])
            elif name in self.collections:
                collections.append(self.collections[name])
            elif name in self.problems:
                raise UnusableFormat(self.problems[name])
            else:
                raise UnknownFormat(name, self.known)
        return exporters, collections

    def attached(self, exporters: Sequence[Any]) -> tuple[list[Any], list[str]]:
        """The collections the ``exporters`` ask for, and a line for each that is missing."""
        found: dict[str, Any] = {}
        missing: list[str] = []
        for exporter in exporters:
            for name in collections_of(exporter):
                if name in self.collections:
                    found.setdefault(name, self.collections[name])
                else:
                    why = self.problems.get(name, f"collection '{name}' is not registered")
                    missing.append(f"{exporter.name}: {why}")
        return list(found.values()), missing


def plugins() -> Plugins:
    """Load and check every registered plug-in: exporters first, then collections, each in
    name order. A name or an option already taken by an earlier plug-in leaves the later
    one out, so which one is refused does not depend on installation order."""
    found = Plugins()
    owners: dict[str, str] = {}  # option name → the plug-in that declared it
    labels: dict[str, str] = {}  # plug-in name → "exporter 'txt' (pkg:Cls)"
    for group in (EXPORTERS, COLLECTIONS):
        kind = _KIND[group]
        for ep in _entry_points(group):
            label = f"{kind} '{ep.name}' ({ep.value})"
            if ep.name in labels:
                found.duplicates.append(f"{label}: the name is already taken by "
                                        f"{labels[ep.name]}; '{ep.value}' is left out")
                continue
            plugin, problem = _load(group, ep)
            if problem is None:
                for opt in options_of(plugin):
                    if opt.name in owners:
                        problem = (f"option '--{opt.name}' is also declared by "
                                   f"{labels[owners[opt.name]]}; '{ep.name}' is left out")
                        break
            labels[ep.name] = label
            if problem is not None:
                found.problems[ep.name] = f"{label}: {problem}"
                continue
            for opt in options_of(plugin):
                owners[opt.name] = ep.name
            target: dict[str, Any] = found.exporters if group == EXPORTERS else found.collections
            target[ep.name] = plugin
    return found


def discover(problems: list[str] | None = None) -> dict[str, Any]:
    """Every usable exporter, keyed by name, in name order; ``problems`` receives a line for
    each plug-in (exporter or collection) left out."""
    found = plugins()
    if problems is not None:
        problems.extend(found.lines)
    return found.exporters


def lookup(group: str, name: str) -> Any:
    """One plug-in by name, loaded and checked alone (a build worker needs no other)."""
    for ep in _entry_points(group):
        if ep.name == name:
            plugin, problem = _load(group, ep)
            if problem is not None:
                raise PluginError(f"{_KIND[group]} '{name}' ({ep.value}): {problem}")
            return plugin
    raise PluginError(f"{_KIND[group]} '{name}' is not registered")


def check_outputs(label: str, result: object, folder: Path) -> list[Output]:
    """``result`` as the list of Outputs it must be, each a file written inside ``folder``;
    otherwise a :class:`PluginError` naming the plug-in and what was expected."""
    expected = f"expected a list of {Output.__module__}.Output"
    if not isinstance(result, list | tuple):
        raise PluginError(f"{label} returned {_type_name(result)}, {expected}")
    for item in result:
        if not isinstance(item, Output):
            raise PluginError(f"{label} returned a list holding {_type_name(item)}, {expected}")
        path = Path(item.path)
        try:
            path.resolve().relative_to(folder.resolve())
        except ValueError:
            raise PluginError(f"{label} wrote {path} outside its output folder") from None
        if not path.is_file():
            raise PluginError(f"{label} listed {path}, which it did not write")
    return list(result)
