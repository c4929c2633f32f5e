from __future__ import annotations

import pytest

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from wf_helpers import make_project  # noqa: E402


def _project(request, tmp_path, provider: str):
    if provider == "sqlite":
        return make_project(tmp_path, "sqlite", "file:./dev.db")
    url = request.getfixturevalue("postgres_url" if provider == "postgresql" else "mysql_url")
    return make_project(tmp_path, provider, url)


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def project(request, tmp_path):
    """A project on SQLite (file `prisma/dev.db`), or a fresh PostgreSQL or MySQL/MariaDB database."""
    return _project(request, tmp_path, request.param)


@pytest.fixture(params=["sqlite", "postgresql"])
def tx_project(request, tmp_path):
    """The dialects with transactional DDL (a failing migration leaves nothing behind)."""
    return _project(request, tmp_path, request.param)


@pytest.fixture
def mysql_project(tmp_path, mysql_url):
    return make_project(tmp_path, "mysql", mysql_url)


@pytest.fixture
def pg_project(tmp_path, postgres_url):
    return make_project(tmp_path, "postgresql", postgres_url)


@pytest.fixture
def sqlite_project(tmp_path):
    return make_project(tmp_path, "sqlite", "file:./dev.db")
