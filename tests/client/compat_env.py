"""Fixtures of the prisma-client-py compatibility tests: compat.prisma.in generated as the
package `prisma` (one per provider, sync interface), a database per provider per session with
its tables, and `prisma` put in sys.modules for each test, so that tests use
`prisma.errors`, `prisma.models`, `prisma.Json`... as prisma-client-py programs do."""

from __future__ import annotations

import importlib
import re
import sys
import uuid
from pathlib import Path
from types import ModuleType

import psycopg
import pytest

from tests.client.conftest import _drop_pg, _mysql, empty_tables
from lamina.client.generate import generate_all
from lamina.project import locate_schema
from lamina.psl.load import load_datamodel
from tests.client.helpers import create_tables
from tests.dburls import with_database

HERE = Path(__file__).resolve().parent
TEXT = (HERE / "compat.prisma.in").read_text()


# The schema's partial_type_generator script: partial models in `prisma.partials`.
PARTIALS = """\
from prisma.models import Post, User

User.create_partial("UserName", include={"name"})
Post.create_partial("PostTitleAuthor", include={"id", "title", "author"}, relations={"author": "UserName"})
Post.create_partial("PostScalars", exclude_relational_fields=True, optional={"title"})
print("partials created")
"""


def schema_for(provider: str) -> str:
    keep = {"pg": provider == "postgresql", "enum": provider != "sqlite", "mysql": provider == "mysql"}

    def line(text: str) -> str:
        mark = re.search(r"//(pg|enum|mysql)$", text)
        if mark is None:
            return text
        return text[: mark.start()].rstrip() if keep[mark.group(1)] else ""

    return "\n".join(line(t) for t in TEXT.splitlines()) + "\n"


def write_and_generate(text: str, folder: Path, provider: str, interface: str = "sync"):
    """Generate `folder/out/prisma` from the schema in `folder/schema` and import it as `prisma`
    (sys.path is restored after: each test installs its provider's modules instead)."""
    (folder / "schema" / "scripts").mkdir(parents=True)
    (folder / "schema" / "scripts" / "partials.py").write_text(PARTIALS)
    (folder / "schema" / "schema.prisma").write_text(
        text.replace("__PROVIDER__", provider).replace("__OUTPUT__", "../out/prisma").replace("__INTERFACE__", interface)
    )
    loaded = load_datamodel(locate_schema(folder / "schema" / "schema.prisma"))
    generate_all(loaded)
    for name in [n for n in sys.modules if n == "prisma" or n.startswith("prisma.")]:
        del sys.modules[name]
    sys.path.insert(0, str(folder / "out"))
    try:
        importlib.import_module("prisma")
    finally:
        sys.path.remove(str(folder / "out"))
    return loaded


@pytest.fixture(scope="session")
def compat_envs(request, tmp_path_factory):
    """provider -> (package modules by name, database URL), made on first use."""
    made: dict[tuple[str, str], tuple[dict[str, ModuleType], str]] = {}
    drops = []

    def get(provider: str, interface: str = "sync"):
        if (provider, interface) in made:
            return made[(provider, interface)]
        if interface != "sync":  # the same database as the sync package's
            _, url = get(provider)
            folder = tmp_path_factory.mktemp(f"compat_{provider}_{interface}")
            write_and_generate(schema_for(provider), folder, provider, interface)
            modules = {n: m for n, m in sys.modules.items() if n == "prisma" or n.startswith("prisma.")}
            made[(provider, interface)] = (modules, url)
            return made[(provider, interface)]
        folder = tmp_path_factory.mktemp(f"compat_{provider}")
        loaded = write_and_generate(schema_for(provider), folder, provider)
        modules = {n: m for n, m in sys.modules.items() if n == "prisma" or n.startswith("prisma.")}
        name = f"lamina_compat_{uuid.uuid4().hex[:10]}"
        if provider == "sqlite":
            url = f"file:{folder / 'compat.db'}"
        elif provider == "postgresql":
            server = request.getfixturevalue("postgres_server")
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            url = with_database(server, name)
            drops.append(lambda: _drop_pg(server, name))
        else:
            server = request.getfixturevalue("mysql_server")
            _mysql(server, f"CREATE DATABASE `{name}`")
            url = with_database(server, name)
            drops.append(lambda: _mysql(server, f"DROP DATABASE IF EXISTS `{name}`"))
        create_tables(loaded, url)
        made[(provider, interface)] = (modules, url)
        return made[(provider, interface)]

    yield get
    for drop in drops:
        drop()


@pytest.fixture
def prisma(compat_envs, provider, request):
    """The generated `prisma` package of `provider` (interface: the test module's `INTERFACE`,
    else sync), importable as `prisma` during the test."""
    modules, _ = compat_envs(provider, getattr(request.module, "INTERFACE", "sync"))
    for name in [n for n in sys.modules if n == "prisma" or n.startswith("prisma.")]:
        del sys.modules[name]
    sys.modules.update(modules)
    yield modules["prisma"]
    for name in modules:
        sys.modules.pop(name, None)


@pytest.fixture
def client(prisma, compat_envs, provider):
    """A connected, registered `prisma.Prisma()` on the emptied compat database (sync)."""
    _, url = compat_envs(provider)
    empty_tables(provider, url)
    db = prisma.Prisma(datasource={"url": url}, auto_register=True)
    db.connect()
    yield db
    if db.is_connected():
        db.disconnect()
    from lamina.client.runtime.client import _REGISTRY

    _REGISTRY.pop(db._package, None)  # the next test registers its own client
