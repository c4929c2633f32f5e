"""Fixtures of the client tests: the test schema's generated package per provider and
interface (generated once per session), and a connected client on a fresh database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.client.helpers import create_tables, generate

HERE = Path(__file__).resolve().parent
SCHEMA = (HERE / "schema.prisma.in").read_text()
PROVIDERS = ["sqlite", "postgresql", "mysql"]
FIXTURES = {"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}


@pytest.fixture(scope="session")
def packages(tmp_path_factory):
    """(provider, interface) -> (module, loaded schema), generated on first use."""
    root = tmp_path_factory.mktemp("clients")
    cache: dict = {}

    def get(provider: str, interface: str = "sync"):
        key = (provider, interface)
        if key not in cache:
            name = f"lamina_test_{provider}_{interface}"
            cache[key] = generate(SCHEMA, root / name, name, provider, interface)
        return cache[key]

    return get


def database_url(request, provider: str) -> str:
    return request.getfixturevalue(FIXTURES[provider])


@pytest.fixture(params=PROVIDERS)
def provider(request) -> str:
    return request.param


@pytest.fixture
def url(request, provider) -> str:
    return database_url(request, provider)


@pytest.fixture
def client_module(packages, provider):
    return packages(provider)[0]


@pytest.fixture
def db(packages, provider, url):
    module, loaded = packages(provider)
    create_tables(loaded, url)
    client = module.Prisma(datasource={"url": url})
    client.connect()
    yield client
    client.disconnect()
