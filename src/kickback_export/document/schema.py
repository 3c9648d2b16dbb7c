"""The published JSON Schema of the document format, generated from the models."""

from __future__ import annotations

import json

from .model import Exercise


def schema() -> dict[str, object]:
    data = Exercise.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **data}


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
