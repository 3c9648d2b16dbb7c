"""The published JSON Schemas of the document formats, generated from the models."""

from __future__ import annotations

import json

from pydantic import BaseModel

from .model import Exercise
from .workout import Program, Workout

MODELS: dict[str, type[BaseModel]] = {"exercise": Exercise, "workout": Workout, "program": Program}
"""Each kind of document and its model; ``schema/<kind>.schema.json`` publishes its schema."""


def schema(kind: str = "exercise") -> dict[str, object]:
    data = MODELS[kind].model_json_schema(by_alias=True, mode="validation")
    if kind == "exercise":  # the loader takes an exercise's optional kind before the model
        properties = data["properties"]
        data["properties"] = {"kind": {"const": "exercise", "title": "Kind"}, **properties}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **data}


def schema_text(kind: str = "exercise") -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"
