"""What LiteLLM's proxy (a prisma-client-py user) needs of the generated client, issue 19:
fields named `model_*`, JSON text written to Json fields, tuples and sets where lists go,
prisma-client-py's error names, Json path filters, `python -m <package>`. On SQLite,
PostgreSQL and MariaDB, each test on a fresh database."""

from __future__ import annotations

import json

import pytest

from lamina.db.connection import connect
from lamina.errors import LaminaError
from tests.client.helpers import create_tables, generate

SCHEMA = """
generator client {
  provider  = "lamina"
  output    = "__OUTPUT__"
  interface = "__INTERFACE__"
}

datasource db {
  provider = "__PROVIDER__"
  url      = env("DATABASE_URL")
}

model Deployment {
  id             String  @id @default(uuid())
  model_name     String
  model_id       String? @unique
  model_info     Json?
  litellm_params Json    @default("{}")
  n              Int     @default(0)
}
"""

PROVIDERS = ["sqlite", "postgresql", "mysql"]


@pytest.fixture(scope="session")
def packages(tmp_path_factory):
    cache: dict = {}

    def get(provider: str):
        if provider not in cache:
            name = f"lamina_litellm_compat_{provider}"
            cache[provider] = generate(SCHEMA, tmp_path_factory.mktemp(name), name, provider)
        return cache[provider]

    return get


@pytest.fixture(params=PROVIDERS)
def provider(request) -> str:
    return request.param


@pytest.fixture
def url(request, provider, packages) -> str:
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    create_tables(packages(provider)[1], url)
    return url


@pytest.fixture
def pkg(packages, provider):
    return packages(provider)[0]


@pytest.fixture
def db(pkg, url):
    client = pkg.Prisma(datasource={"url": url})
    client.connect()
    yield client
    client.disconnect()


def _json_type(provider: str, url: str, id_: str, column: str = "litellm_params") -> str:
    """The JSON type of the stored value, as the database sees it (object, string...)."""
    sql = {
        "sqlite": f'SELECT json_type("{column}") FROM "Deployment" WHERE id = ?',
        "postgresql": f'SELECT jsonb_typeof("{column}") FROM "Deployment" WHERE id = ?',
        "mysql": f"SELECT JSON_TYPE(`{column}`) FROM `Deployment` WHERE id = ?",
    }[provider]
    with connect(url) as conn:
        return str(conn.query(sql, [id_])[0][0]).lower()


# ------------------------------------------------------------------ item 1: `model_*` fields


def test_model_prefixed_fields_are_generated_and_usable(db, pkg):
    made = db.deployment.create(data={"model_name": "gpt-4o", "model_id": "m1", "model_info": {"mode": "chat"}})
    assert made.model_name == "gpt-4o" and made.model_id == "m1"
    found = db.deployment.find_unique(where={"model_id": "m1"})
    assert found is not None and found.model_info == {"mode": "chat"}
    assert db.deployment.count(where={"model_name": {"startswith": "gpt"}}) == 1
    assert found.model_dump()["model_name"] == "gpt-4o"  # pydantic's own method still there


@pytest.mark.parametrize("field", ["model_dump", "model_config", "json", "dict", "copy", "prisma", "create_partial"])
def test_fields_shadowing_the_model_class_attributes_are_refused(tmp_path, field):
    text = SCHEMA.replace("  n              Int", f"  {field} Int\n  n              Int")
    with pytest.raises(LaminaError, match=rf"The field `Deployment\.{field}` cannot be a Python attribute"):
        generate(text, tmp_path, "lamina_litellm_refused", "sqlite")


# ------------------------------------------------------------------ item 2: JSON text into Json fields


def test_json_text_is_stored_as_the_value_it_spells(db, pkg, provider, url):
    """prisma-client-py sends a str given to a Json field as JSON text that the engine parses:
    `json.dumps({...})` stores the object (LiteLLM writes every dict that way)."""
    text = json.dumps({"api_key": "k", "rpm": 10})
    a = db.deployment.create(data={"model_name": "a", "litellm_params": text, "model_info": "[1, 2]"})
    assert a.litellm_params == {"api_key": "k", "rpm": 10} and a.model_info == [1, 2]
    assert _json_type(provider, url, a.id) == "object"
    assert _json_type(provider, url, a.id, "model_info") == "array"

    updated = db.deployment.update(where={"id": a.id}, data={"litellm_params": json.dumps({"rpm": 20})})
    assert updated is not None and updated.litellm_params == {"rpm": 20}
    assert _json_type(provider, url, a.id) == "object"

    up = db.deployment.upsert(where={"model_id": "u"}, data={
        "create": {"model_name": "u", "model_id": "u", "litellm_params": '{"x": true}'},
        "update": {"litellm_params": '{"x": false}'},
    })
    assert up.litellm_params == {"x": True}
    up = db.deployment.upsert(where={"model_id": "u"}, data={
        "create": {"model_name": "u", "model_id": "u", "litellm_params": '{"x": true}'},
        "update": {"litellm_params": '{"x": false}'},
    })
    assert up.litellm_params == {"x": False} and _json_type(provider, url, up.id) == "object"

    db.deployment.create_many(data=[{"model_name": "m1", "litellm_params": '{"n": 1}'},
                                    {"model_name": "m2", "litellm_params": "2"}])
    rows = {r.model_name: r for r in db.deployment.find_many(where={"model_name": {"in": ["m1", "m2"]}})}
    assert rows["m1"].litellm_params == {"n": 1} and rows["m2"].litellm_params == 2
    assert _json_type(provider, url, rows["m1"].id) == "object"
    assert _json_type(provider, url, rows["m2"].id) in ("integer", "number")

    # the same rows as writing the dict itself: equal as JSON (and as text where the database keeps text)
    b = db.deployment.create(data={"model_name": "b", "litellm_params": pkg.Json({"api_key": "k", "rpm": 10})})
    c = db.deployment.create(data={"model_name": "c", "litellm_params": text})
    with connect(url) as conn:
        q = {"sqlite": '"', "postgresql": '"', "mysql": "`"}[provider]
        col = f"{q}litellm_params{q}"
        stored = {r[0]: r[1] for r in conn.query(f"SELECT id, {col} FROM {q}Deployment{q}")}
    assert stored[b.id] == stored[c.id]


def test_json_wrapper_of_a_string_stays_a_json_string(db, provider, url, pkg):
    a = db.deployment.create(data={"model_name": "a", "litellm_params": pkg.Json('{"a": 1}')})
    assert a.litellm_params == '{"a": 1}'
    assert _json_type(provider, url, a.id) in ("string", "text")  # SQLite's json_type says 'text'
    assert db.deployment.find_first(where={"litellm_params": {"equals": pkg.Json('{"a": 1}')}}) is not None


def test_invalid_json_text_is_a_data_error(db, pkg):
    with pytest.raises(pkg.errors.DataError, match="Invalid JSON text for a Json field"):
        db.deployment.create(data={"model_name": "a", "litellm_params": "{not json"})
    assert db.deployment.count() == 0
