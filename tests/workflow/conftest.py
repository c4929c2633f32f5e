from __future__ import annotations

import pytest

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from wf_helpers import make_project  # noqa: E402


@pytest.fixture(params=["sqlite", "postgresql"])
def project(request, tmp_path):
    """A project on SQLite (file `prisma/dev.db`) or on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return make_project(tmp_path, "sqlite", "file:./dev.db")
    return make_project(tmp_path, "postgresql", request.getfixturevalue("postgres_url"))


@pytest.fixture
def pg_project(tmp_path, postgres_url):
    return make_project(tmp_path, "postgresql", postgres_url)


@pytest.fixture
def sqlite_project(tmp_path):
    return make_project(tmp_path, "sqlite", "file:./dev.db")
