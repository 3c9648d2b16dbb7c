"""A document kind from outside the package: a gym checklist (one module, one entry point).

Its model, its text builder and its registration are all here; every format of
kickback-export renders it from the text model, and it names exercises, which the
resolver checks (unknown ids, other languages) like a workout's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kickback_export.content.script import ReadAloud
from kickback_export.content.text import (
    Cell,
    Context,
    Heading,
    Item,
    Items,
    Meta,
    Para,
    Part,
    Ref,
    Table,
    TextModel,
)
from kickback_export.document.kinds import Kind, Reference, Target


class Check(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    exercise: str | None = None


class Checklist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["checklist"]
    id: str
    name: str
    language: str = "en"
    summary: str
    checks: list[Check] = Field(min_length=1)
    kit: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class Resolved:
    checklist: Checklist
    exercises: Mapping[str, object]
    kind: str = "checklist"

    @property
    def id(self) -> str:
        return self.checklist.id

    @property
    def language(self) -> str:
        return self.checklist.language


def references(doc: Checklist) -> Iterator[Reference]:
    for i, check in enumerate(doc.checks):
        if check.exercise:
            yield Reference(f"checks[{i}].exercise", check.exercise, "exercise")


def resolve(doc: Checklist, targets: Mapping[str, Target]) -> Resolved:
    return Resolved(doc, {k: t.document for k, t in targets.items()})


def text(doc: Resolved, context: Context) -> TextModel:
    c = doc.checklist
    items = tuple(
        Item(title=context.text(doc.exercises[k.exercise]).title,
             ref=Ref(k.exercise, "exercise", context.available(k.exercise)),
             sub=Items((Item(k.text, field=f"checks[{i}].text"),)), id=f"check-{i + 1}")
        if k.exercise else Item(k.text, f"check-{i + 1}", field=f"checks[{i}].text")
        for i, k in enumerate(c.checks))
    blocks = [Para(c.summary, "summary", "summary", field="summary"),
              Part(Heading("Checks", 2, "checks-heading"), (Items(items, True, "checks"),),
                   "checks")]
    if c.kit:
        rows = tuple((Cell(k, header=True), Cell(v)) for k, v in c.kit.items())
        blocks.append(Table("Kit", (Cell("Item", True), Cell("Where", True)), rows, "kit"))
    model = TextModel(c.id, "checklist", c.language, c.name,
                      Part(Heading(c.name, 1, "name", field="name"), tuple(blocks)),
                      Meta(c.summary, "checklist"), "Checklists")
    return replace(model, script=ReadAloud(model))


KIND = Kind("checklist", Checklist, "kickback_export_checklist:text",
            "a checklist to go through before training", uses=("exercise",),
            references=references, resolve=resolve)
