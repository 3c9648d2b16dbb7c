"""The state of one build, from the old manifest to the new one: what is unchanged, what
each document still needs, what was published, and the problems, each with its exit code.
:mod:`.build` drives it; this module only keeps the accounts. Other builds may write into
the same folder meanwhile: the manifest is read again, under the folder's lock, to merge
this build's rows into it (:meth:`BuildState.conclude`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import errors, registry
from ..document.kinds import DEFAULT as DEFAULT_KIND
from . import manifest
from .collections import Collections
from .manifest import MANIFEST
from .manifest import Entry as Entry
from .report import Problem, Report, Source, display, input_key, where_prefix
from .runner import Failure, Result, Staged, Task

if TYPE_CHECKING:
    from ..content.text import Context, TextModel
    from ..document.loader import Loaded
    from ..exporters import Collection as Plugin
    from ..exporters import Exporter


@dataclass
class Resolved:
    """What :meth:`BuildState.resolve` found: each document that resolved (its place in the
    build, source, resolved document, the hash of every file it is made from, the names of
    the others) and the ids of the documents with outputs in ``OUT`` after the build
    (its pages may link to those)."""

    documents: list[tuple[int, Source, Any, str, tuple[str, ...]]]
    linked: frozenset[str]


class BuildState:
    """The state of one build, from the old manifest to the new one."""

    def __init__(self, out: Path, values: Mapping[str, Any], force: bool,
                 exporters: Sequence[Exporter], report: Report,
                 progress: Callable[[str], None] | None, named: set[Path] | None = None) -> None:
        self.out, self.values, self.force = out, values, force
        self.exporters = exporters
        self.named = named  # the files given by name when formats were (None: no formats)
        self.kinds: dict[str, str] = {}  # source name → the kind of its document
        self.texts: dict[str, TextModel] = {}  # source name → its text model
        self.digests: list[tuple[str, str]] = []  # each source and its hash, as read
        self.borrowed: dict[str, str] = {}  # a used file outside the build → its hash
        self.report = report
        self.progress = progress
        self.old = manifest.read(out)
        self.sources: dict[str, dict[str, Any]] = {}
        self.seen: dict[str, str] = {}  # document id → the source that has it
        self.done: dict[str, list[Entry]] = {}
        self.keys: dict[str, str] = {}
        self.failed: set[str] = set()
        self.stamps: dict[str, manifest.Stamp | None] = {}  # what this build published
        self.collections = Collections(out, values, force, self.old, self.problem, progress,
                                       report.unchanged)

    def problem(self, exc: BaseException, prefix: str = "") -> None:
        """One line for ``exc``, with the exit code the error rule gives it."""
        message = f"{prefix}{errors.one_line(exc)}"
        self.report.problems.append(Problem(message, errors.exit_code(exc)))

    def plan_collections(self, collections: Sequence[Plugin], sources: Sequence[Source],
                         complete: bool, owners: Mapping[str, Collection[str]]) -> None:
        """Skip each build's collection whose documents and options are unchanged; gather
        the others' parts (:meth:`.collections.Collections.plan`)."""
        self.digests = [(s.name, s.digest) for s in sources]
        self.collections.plan(collections, self.digests, complete, owners)

    def unchanged(self, source: Source) -> bool:
        """The source's bytes and every export's inputs are as the manifest says (or the
        exporter made nothing of it for the same inputs), its files are in place and no
        collection needs it: not even parsed again. Only a document that names no other
        can be: the others depend on more files than their own."""
        from ..document import kinds

        known = self.old.sources.get(source.name, {})
        document = known.get("document")
        kind = kinds.registered().found.get(str(known.get("kind", kinds.DEFAULT)))
        if (self.force or known.get("sha256") != source.digest or not isinstance(document, str)
                or kind is None or kind.references is not None or document in self.seen):
            return False
        kept = self.collections.reusable(document, source.digest)
        if kept is None:
            return False
        keys: dict[str, str] = known.get("declined") or {}
        declined = {e.name for e in self.exporters
                    if keys.get(e.name) == input_key(source.digest, e, self.values)}
        made = [(e, f"{document}/{e.name}") for e in self.exporters if e.name not in declined]
        if not all(self.old.inputs.get(pair) == self.key(source.digest, e, declined)
                   and manifest.still_there(self.out, self.old.rows.get(pair, []))
                   for e, pair in made):
            return False
        self.seen[document] = source.name
        self.collections.keep(document, kept)
        self.sources[source.name] = known
        self.kinds[source.name] = kind.name
        self.count(kind.name)
        for _, pair in made:
            self.report.unchanged.extend(self.old.rows[pair])
        return True

    def text(self, source: Source, document: Any, context: Context) -> TextModel | None:
        """The document's text model, made once (None: it cannot be, reported)."""
        try:
            text = context.text(document)
        except Exception as exc:
            self.problem(exc, f"{source.name}: ")
            self.failed.add(source.name)
            self.spoil()
            return None
        self.texts[source.name] = text
        return text

    def key(self, digest: str, exporter: Exporter, declined: Collection[str]) -> str:
        """An export's input hash; with those of the exporters it ``uses`` that make
        something of the document in this build (their files are its input too)."""
        key = input_key(digest, exporter, self.values)
        used = [input_key(digest, e, self.values) for e in self.exporters
                if e.name in registry.uses_of(exporter) and e.name not in declined]
        return hashlib.sha256("\n".join([key, *used]).encode()).hexdigest() if used else key

    def companions(self, slug: str, exports: Sequence[str], declined: Collection[str]
                   ) -> dict[str, tuple[registry.Companion, ...]]:
        """The published files of the used exporters that are not made again (unchanged),
        for the exports that use them; those made again are handed over by the worker."""
        wanted = {u for e in self.exporters if e.name in exports
                  for u in registry.uses_of(e)} - set(exports) - set(declined)
        return {name: tuple(registry.Companion(self.out / row.path,
                                               row.path.removeprefix(f"{slug}/"),
                                               row.media_type)
                            for row in self.old.rows.get(f"{slug}/{name}", []))
                for name in sorted(wanted) if any(e.name == name for e in self.exporters)}

    def todo(self, text: TextModel, source: Source, inputs: str = ""
             ) -> tuple[list[str], list[str], dict[str, tuple[registry.Companion, ...]]]:
        """The exports and collection parts still to make from a document's text model,
        each export after those it uses; ``inputs``: the hash of every file a document
        that names others is made from. Third: the files already published of the
        exporters the exports use (:meth:`companions`)."""
        key_of = inputs or source.digest
        self.seen[text.slug] = source.name
        declined = {e.name: input_key(key_of, e, self.values) for e in self.exporters
                    if not registry.accepts(e, text)}
        self.sources[source.name] = {
            "sha256": source.digest, "document": text.slug,
            **({} if text.kind == DEFAULT_KIND else {"kind": text.kind}),
            **({"declined": declined} if declined else {})}
        self.kinds[source.name] = text.kind
        self.count(text.kind)
        if declined:
            self.skip(source, list(declined), text.kind)
        exports: list[str] = []
        for exporter in self.exporters:
            if exporter.name in declined:
                continue
            pair = f"{text.slug}/{exporter.name}"
            key = self.key(key_of, exporter, declined)
            previous = self.old.rows.get(pair, [])
            if (not self.force and self.old.inputs.get(pair) == key
                    and manifest.still_there(self.out, previous)):
                self.report.unchanged.extend(previous)
                continue
            self.keys[pair] = key
            exports.append(exporter.name)
        used = {u for e in self.exporters if e.name in exports for u in registry.uses_of(e)}
        exports.sort(key=lambda name: name not in used)  # what is used is made first
        return (exports, self.collections.wanted(text, source.name, key_of),
                self.companions(text.slug, exports, declined))

    def count(self, kind: str) -> None:
        self.report.documents += 1
        self.report.kinds[kind] = self.report.kinds.get(kind, 0) + 1

    def skip(self, source: Source, names: Sequence[str], kind: str) -> None:
        """Formats named on the command line that make nothing of this kind: one line, an
        error when the file was named too and none of them makes its kind."""
        if self.named is None:
            return  # the default build: formats skip the kinds they do not make, silently
        line = f"{source.name}: no {kind} outputs in {', '.join(names)}"
        if source.file.resolve() in self.named and len(names) == len(self.exporters):
            self.report.problems.append(Problem(line, 2))
        else:
            self.report.notes.append(line + "; skipped")

    def parse(self, source: Source) -> Loaded | None:
        """The source's document; None when it is bad (reported: no collection is complete)."""
        from ..document.loader import load_loaded_bytes

        assert source.raw is not None
        try:
            return load_loaded_bytes(source.raw, str(source.file))
        except Exception as exc:
            self.problem(exc, where_prefix(exc, source))
            self.spoil()
            return None

    def duplicate(self, source: Source, slug: str, line: int | None = None) -> bool:
        """Another source of the build already has this id: reported."""
        if slug not in self.seen:
            return False
        self.problem(errors.DocumentError(
            source.name, f"'{slug}' is already used by {self.seen[slug]}", field="id",
            line=line))
        self.spoil()
        return True

    def resolve(self, held: Sequence[tuple[int, Source, Loaded]], alone: Sequence[Loaded],
                sources: Sequence[Source], given: Sequence[Loaded] = (),
                given_sources: Sequence[Source] = (), salt: Sequence[tuple[str, str]] = ()
                ) -> Resolved:
        """Each held document that resolves, with the hash of every file it is made from and
        the names of the others; a line for each that does not. ``given``: the build's
        inputs (the athlete) with their sources; ``salt``: more of every input hash."""
        from ..document.resolve import neighbours, resolve_all

        fresh = [(i, s, d) for i, s, d in held
                 if not self.duplicate(s, d.document.id, d.lines.get("id"))]
        library: dict[str, tuple[Source, Loaded]] = {}  # named documents beside them
        building = [*alone, *(d for _, _, d in fresh)]
        extra = neighbours(building, lambda file: self.borrow(file, library))
        resolution = resolve_all([*building, *extra], given)
        for problem in resolution.problems:
            self.problem(problem)
            self.spoil()
        by_file = {str(s.file): s for s in [*sources, *given_sources]}
        linked = self.exported({d.document.id for d in building}, library)
        for name, (source, loaded) in library.items():
            by_file.setdefault(name, source)
            info = {"sha256": source.digest, "document": loaded.document.id}
            self.sources.setdefault(source.name, info)
        out = []
        for index, source, loaded in fresh:
            document = resolution.documents.get(loaded.document.id)
            if document is None:
                continue
            uses = resolution.uses.get(loaded.document.id, ())
            used = [by_file[f] for f in resolution.files_of(loaded.document.id)[1:]]
            for other in used:
                if str(other.file) in library and other.raw is not None:
                    self.borrowed[other.name] = hashlib.sha256(other.raw).hexdigest()
            named = [(s.name, s.digest) for s in (source, *used)] + list(salt)
            # its pages link to those with outputs: one linked later is remade
            named += [("without outputs", i) for i in uses if i not in linked]
            inputs = hashlib.sha256(repr(named).encode("utf-8")).hexdigest()
            out.append((index, source, document, inputs, tuple(s.name for s in used)))
        return Resolved(out, linked)

    def exported(self, building: set[str], library: dict[str, tuple[Source, Loaded]]
                 ) -> frozenset[str]:
        """The documents whose outputs are in ``OUT`` after this build: those it builds, and
        those only read from a document's folder that an earlier build left there (every
        format of this build that made something of them)."""
        def left(doc_id: str) -> bool:
            rows = [self.old.rows.get(f"{doc_id}/{e.name}", []) for e in self.exporters]
            made = [r for r in rows if r]
            return bool(made) and all(manifest.still_there(self.out, r) for r in made)

        earlier = {d.document.id for _, d in library.values() if left(d.document.id)}
        return frozenset(building | earlier)

    def borrow(self, file: Path, library: dict[str, tuple[Source, Loaded]]) -> Loaded | None:
        """A document outside the build that a workout or program names: read for its
        content and hash, never exported (None when it cannot be used)."""
        from ..document import images
        from ..document.loader import load_loaded_bytes, read

        source = Source(file, display(file))
        try:
            source.raw = read(file)
            loaded = load_loaded_bytes(source.raw, str(file))
        except Exception:  # not named by anything the build uses: not its problem
            return None
        source.digest = images.digest(hashlib.sha256(source.raw).hexdigest(), loaded.document)
        library[str(file)] = (source, loaded)
        return loaded

    def spoil(self) -> None:
        """A document of the build is bad: no collection can be made complete."""
        self.collections.spoil()

    def finish(self, task: Task, results: Result) -> None:
        for kind, name, result in results:
            if isinstance(result, Failure):
                where = f"{name}: " if result.option else f"{task.source}: {name}: "
                problem = Problem(where + result.message, result.code)
                if problem not in self.report.problems:
                    self.report.problems.append(problem)
                if kind == "export":
                    self.failed.add(task.source)
                else:
                    self.collections.gathering[name].failed = True
            elif kind == "export":
                self.published(task, name, result)
            else:
                why = self.collections.arrived(name, task.index, task.text.slug, result)
                if why is not None:
                    self.report.problems.append(Problem(f"{task.source}: {name}: {why}"))
            if self.progress:
                self.progress(f"{task.text.slug}/{name}")

    def published(self, task: Task, name: str, staged: Staged) -> None:
        """Publish what a worker staged (here, so the manifest lists all that is published)."""
        try:
            rows = staged.publish(self.out, self.stamps)
        except Exception as exc:
            self.problem(exc, f"{task.source}: {name}: ")
            self.failed.add(task.source)
            return
        self.done[f"{task.text.slug}/{name}"] = rows
        self.report.written.extend(rows)

    def conclude(self, sources: Sequence[Source]) -> None:
        """Merge this build's rows into the manifest as it is now, assemble the collections
        from it and write it (run under the folder's lock: other builds may have written
        since this one started)."""
        fresh = manifest.read(self.out)
        rows, inputs = self.merge(fresh)
        extra = sorted(self.borrowed)  # what workouts used from outside the build
        names = (*(s.name for s in sources), *extra)
        key = [*self.digests, *((n, self.borrowed[n]) for n in extra)]
        made, parts = self.collections.assemble(self.texts, names, key, rows, fresh)
        for pair, pair_rows, pair_key in made:
            rows[pair], inputs[pair] = pair_rows, pair_key
            self.report.written.extend(pair_rows)
        entries = [e for pair_rows in rows.values() for e in pair_rows]
        listed = {name for e in entries for name in e.sources}
        known = dict(self.sources)
        for name in self.failed:  # a failed export keeps what the manifest said before
            known.pop(name, None)
        for name, info in fresh.sources.items():
            known.setdefault(name, info)
        known = {name: info for name, info in known.items() if name in listed}
        if entries or (self.out / MANIFEST).exists():  # a build that made nothing leaves no trace
            manifest.write(self.out, entries, inputs, known, parts)

    def merge(self, fresh: manifest.Manifest) -> tuple[dict[str, list[Entry]], dict[str, str]]:
        """The rows and input hashes of each output: those this build made, and the others
        as listed now while their files are there (also when remaking them failed). A file
        another build published since this one did is listed as it is on disk."""
        rows: dict[str, list[Entry]] = {}
        inputs: dict[str, str] = {}
        for pair, listed in fresh.rows.items():
            kept = [e for e in listed if (self.out / e.path).is_file()]
            if kept and pair not in self.done:
                rows[pair] = kept
                if pair in fresh.inputs:
                    inputs[pair] = fresh.inputs[pair]
        for pair, ours in self.done.items():
            if manifest.intact(self.out, ours, self.stamps):
                rows[pair], inputs[pair] = ours, self.keys[pair]
                continue
            found, theirs = manifest.as_on_disk(self.out, ours, fresh.rows.get(pair, []))
            if found:
                rows[pair] = found
            if theirs and pair in fresh.inputs:
                inputs[pair] = fresh.inputs[pair]
        return rows, inputs
