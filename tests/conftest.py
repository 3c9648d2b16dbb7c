"""Shared fixtures: the seed document, a factory for variants, and a shared audio cache."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

from kickback_export import Exercise, load

# CI replays the same generated examples every run (reproducible); developers' runs explore.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "resistance-band-one-leg-kickback-bent-position.yaml"


@pytest.fixture(scope="session", autouse=True)
def _shared_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One clip cache for the whole run, so each sentence is synthesized once per run."""
    if "KICKBACK_EXPORT_CACHE" not in os.environ:
        os.environ["KICKBACK_EXPORT_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def seed_data() -> dict[str, Any]:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="session")
def seed_doc() -> Exercise:
    return load(SOURCE)


@pytest.fixture
def make_doc(seed_data: dict[str, Any]) -> Callable[..., Exercise]:
    """Build a valid variant of the seed: ``make_doc(id="x", tips=[...])``."""

    def make(**changes: Any) -> Exercise:
        data = copy.deepcopy(seed_data)
        data.update(changes)
        return Exercise.model_validate(data)

    return make


def missing_tool(message: str) -> None:
    """Skip when a validator is absent on a developer machine; fail in CI, where the set-up
    installs every tool, so a validation can never be skipped silently there."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI installs it: see scripts/bootstrap.sh)")
    pytest.skip(message)


def cli(*args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``kickback-export ARGS…`` as a user runs it, from the project folder by default."""
    return subprocess.run([sys.executable, "-m", "kickback_export", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL)
