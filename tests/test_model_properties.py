"""Property tests of the format: generated documents survive YAML and validate the same."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings

from kickback_export import Exercise, parse

from strategies import documents


@settings(max_examples=60, deadline=None)
@given(documents())
def test_generated_documents_round_trip_through_yaml(data: dict[str, Any]) -> None:
    model = Exercise.model_validate(data)
    text = yaml.safe_dump(model.model_dump(mode="json", by_alias=True, exclude_none=True),
                          allow_unicode=True, sort_keys=False)
    again = parse(text, "generated.yaml")
    assert again == model
    assert all(s.text == s.text.strip() and "  " not in s.text for s in again.steps)
