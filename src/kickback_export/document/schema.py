"""The published JSON Schemas of the document kinds, generated from their models."""

from __future__ import annotations

import json

from . import kinds


def schema(kind: str = kinds.DEFAULT) -> dict[str, object]:
    """The JSON Schema of ``kind``; ``schema/<kind>.schema.json`` publishes it."""
    model = kinds.get(kind).model
    data = model.model_json_schema(by_alias=True, mode="validation")
    if "kind" not in model.model_fields:  # the loader takes the default kind's optional kind
        data["properties"] = {"kind": {"const": kind, "title": "Kind"}, **data["properties"]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **data}


def schema_text(kind: str = kinds.DEFAULT) -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"
