"""Fixtures of the reliability suite: a throw-away project per test (tests/workflow's helpers)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))

from wf_helpers import make_project  # noqa: E402


@pytest.fixture
def make(request, tmp_path):
    """make(provider) -> a Project on a fresh database of that provider."""
    def build(provider: str):
        if provider == "sqlite":
            return make_project(tmp_path, "sqlite", "file:./dev.db")
        url = request.getfixturevalue("postgres_url" if provider == "postgresql" else "mysql_url")
        return make_project(tmp_path, provider, url)

    return build
