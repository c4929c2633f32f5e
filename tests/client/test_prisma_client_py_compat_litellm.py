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


# ------------------------------------------------------------------ item 4: prisma-client-py's public names

# prisma-client-py 0.15's `prisma.errors.__all__` and other public classes, and `prisma.engine.errors.__all__`
ERRORS = ["PrismaError", "DataError", "UniqueViolationError", "ForeignKeyViolationError", "MissingRequiredValueError",
          "RawQueryError", "TableNotFoundError", "RecordNotFoundError", "HTTPClientClosedError",
          "ClientNotConnectedError", "PrismaWarning", "UnsupportedSubclassWarning", "ClientNotRegisteredError",
          "ClientAlreadyRegisteredError", "UnsupportedDatabaseError", "FieldNotFoundError", "InputError",
          "TransactionError", "TransactionExpiredError", "TransactionNotStartedError", "BuilderError",
          "InvalidModelError", "UnknownModelError", "UnknownRelationalFieldError", "GeneratorError",
          "UnsupportedListTypeError"]
ENGINE_ERRORS = ["EngineError", "BinaryNotFoundError", "MismatchedVersionsError", "EngineConnectionError",
                 "EngineRequestError", "AlreadyConnectedError", "NotConnectedError", "UnprocessableEntityError"]


@pytest.mark.parametrize("provider", ["sqlite"])  # names only: the same package text on every database
def test_every_public_name_of_prisma_client_py_exists(pkg):
    import importlib

    errors = pkg.errors
    missing = [n for n in ERRORS if not hasattr(errors, n)]
    engine_errors = importlib.import_module(pkg.__name__ + ".engine.errors")
    missing += [f"engine.errors.{n}" for n in ENGINE_ERRORS if not hasattr(engine_errors, n)]
    missing += [f"engine.{n}" for n in ENGINE_ERRORS if not hasattr(pkg.engine, n)]
    missing += [n for n in ["Prisma", "Client", "Json", "Base64", "Metric", "Metrics", "MetricHistogram",
                            "register", "get_client", "Batch", "bases", "types", "models", "partials", "errors",
                            "fields"] if not hasattr(pkg, n)]
    assert missing == []
    assert issubclass(errors.HTTPClientClosedError, errors.PrismaError)
    assert str(errors.HTTPClientClosedError()) == "Cannot make a request from a closed client."
    assert issubclass(engine_errors.EngineError, errors.PrismaError)
    assert issubclass(errors.UnsupportedSubclassWarning, errors.PrismaWarning) and issubclass(errors.PrismaWarning, Warning)
    # the error Lamina raises when the database is unreachable is the engine one prisma-client-py raised
    assert engine_errors.EngineConnectionError is errors.EngineConnectionError
    assert pkg.Client is pkg.Prisma


def test_except_clauses_naming_them_catch_lamina_errors(db, pkg):
    """LiteLLM's handlers name HTTPClientClosedError beside the data errors: a handled error stays handled."""
    db.deployment.create(data={"model_name": "a", "model_id": "same"})
    with pytest.raises(pkg.errors.UniqueViolationError):
        try:
            db.deployment.create(data={"model_name": "b", "model_id": "same"})
        except (pkg.errors.HTTPClientClosedError, pkg.engine.errors.EngineError):
            pytest.fail("a unique violation is neither")


# ------------------------------------------------------------------ item 6: python -m <package>


def _run_package(pkg, *args: str, env: dict | None = None):
    import os
    import subprocess
    import sys
    from pathlib import Path

    folder = Path(pkg.__file__).parent.parent
    full = {**os.environ, **(env or {}), "PYTHONPATH": os.pathsep.join([str(folder), *sys.path])}
    return subprocess.run([sys.executable, "-m", pkg.__name__, *args], capture_output=True, text=True, env=full,
                          timeout=120)


def test_python_dash_m_package_runs_migrate_deploy(pkg, provider, request, tmp_path):
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    q = "`" if provider == "mysql" else '"'
    schema = tmp_path / "prisma" / "schema.prisma"
    (tmp_path / "prisma" / "migrations" / "20240101000000_init").mkdir(parents=True)
    schema.write_text(SCHEMA.replace("__PROVIDER__", provider).replace("__OUTPUT__", "../out")
                      .replace("__INTERFACE__", "sync"))
    (tmp_path / "prisma" / "migrations" / "20240101000000_init" / "migration.sql").write_text(
        f"CREATE TABLE {q}Marker{q} ({q}id{q} INTEGER NOT NULL PRIMARY KEY);\n")
    (tmp_path / "prisma" / "migrations" / "migration_lock.toml").write_text(f'provider = "{provider}"\n')
    done = _run_package(pkg, "migrate", "deploy", "--schema", str(schema), env={"DATABASE_URL": url})
    assert done.returncode == 0, done.stderr
    assert "20240101000000_init" in done.stdout
    with connect(url) as conn:
        assert conn.query(f"SELECT COUNT(*) FROM {q}Marker{q}")[0][0] == 0
        applied = conn.query(f"SELECT migration_name FROM {q}_prisma_migrations{q}")
    assert [r[0] for r in applied] == ["20240101000000_init"]


@pytest.mark.parametrize("provider", ["postgresql", "mysql"])
def test_deploy_takes_no_lock_when_prisma_s_switch_says_the_caller_holds_it(pkg, provider, request, tmp_path):
    """LiteLLM holds Prisma's advisory lock itself and runs `migrate deploy` with
    PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK=1; without the switch the same deploy waits and gives up (P1002)."""
    url = request.getfixturevalue({"postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    schema = tmp_path / "prisma" / "schema.prisma"
    (tmp_path / "prisma" / "migrations" / "20240101000000_init").mkdir(parents=True)
    schema.write_text(SCHEMA.replace("__PROVIDER__", provider).replace("__OUTPUT__", "../out").replace("__INTERFACE__", "sync"))
    q = "`" if provider == "mysql" else '"'
    (tmp_path / "prisma" / "migrations" / "20240101000000_init" / "migration.sql").write_text(
        f"CREATE TABLE {q}Marker{q} ({q}id{q} INTEGER NOT NULL PRIMARY KEY);\n")
    (tmp_path / "prisma" / "migrations" / "migration_lock.toml").write_text(f'provider = "{provider}"\n')
    with connect(url) as holder:
        if provider == "postgresql":
            holder.query("SELECT pg_advisory_lock(72707369)")
        else:
            holder.query("SELECT GET_LOCK('prisma_migrate', 0)")
            holder.query("SELECT GET_LOCK(?, 0)", [f"lamina_migrate:{url.rsplit('/', 1)[1]}"])
        env = {"DATABASE_URL": url, "PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT": "500"}
        waited = _run_package(pkg, "migrate", "deploy", "--schema", str(schema), env=env)
        assert waited.returncode != 0 and "P1002" in waited.stderr + waited.stdout
        done = _run_package(pkg, "migrate", "deploy", "--schema", str(schema),
                            env={**env, "PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK": "1"})
        assert done.returncode == 0, done.stderr
        assert holder.query(f"SELECT COUNT(*) FROM {q}Marker{q}")[0][0] == 0


@pytest.mark.parametrize("provider", ["sqlite"])  # no database involved
def test_python_dash_m_package_says_what_it_does_not_support(pkg):
    from lamina import __version__

    fetch = _run_package(pkg, "py", "fetch")
    assert fetch.returncode == 0 and "nothing to fetch" in fetch.stderr
    version = _run_package(pkg, "py", "version")
    assert version.returncode == 0 and __version__ in version.stdout
    studio = _run_package(pkg, "studio")
    assert studio.returncode == 1 and f"`{pkg.__name__} studio` is not supported by Lamina" in studio.stderr
    other = _run_package(pkg, "py", "dev")
    assert other.returncode == 1 and "prisma-client-py command that Lamina does not support" in other.stderr
    helped = _run_package(pkg, "--help")
    assert helped.returncode == 0 and "migrate" in helped.stdout


# ------------------------------------------------------------------ item 3: tuples and sets where lists go


def test_tuples_and_sets_are_taken_wherever_lists_are(db, provider):
    db.deployment.create_many(data=({"model_name": "a", "n": 1}, {"model_name": "b", "n": 2}, {"model_name": "c", "n": 2}))
    names = lambda rows: [r.model_name for r in rows]  # noqa: E731
    assert names(db.deployment.find_many(where={"OR": ({"model_name": "a"}, {"model_name": "c"})},
                                         order=({"n": "desc"}, {"model_name": "asc"}))) == ["c", "a"]
    assert names(db.deployment.find_many(where={"AND": ({"n": 2},), "NOT": ({"model_name": "b"},)})) == ["c"]
    assert names(db.deployment.find_many(where={"model_name": {"in": {"a", "b"}}}, order={"model_name": "asc"})) == ["a", "b"]
    assert names(db.deployment.find_many(where={"model_name": {"not_in": ("a", "b")}})) == ["c"]
    assert names(db.deployment.find_many(order=({"n": "asc"}, {"model_name": "desc"}), distinct=("n",))) == ["a", "c"]
    groups = db.deployment.group_by(by=("n",), count={"_all": True}, order=({"n": "desc"},))
    assert [(g["n"], g["_count"]["_all"]) for g in groups] == [(2, 2), (1, 1)]


def test_raw_query_parameters_take_tuples_and_sets(db, provider):
    db.deployment.create_many(data=[{"model_name": "a"}, {"model_name": "b"}, {"model_name": "c"}])
    if provider == "postgresql":  # the one database whose raw queries take an array parameter
        for value in (("a", "c"), {"a", "c"}, ["a", "c"]):
            rows = db.query_raw('SELECT model_name FROM "Deployment" WHERE model_name = ANY($1) ORDER BY model_name', value)
            assert [r["model_name"] for r in rows] == ["a", "c"]
    q = "`" if provider == "mysql" else '"'
    ph = "$1" if provider == "postgresql" else "?"
    assert db.execute_raw(f"UPDATE {q}Deployment{q} SET n = 5 WHERE model_name = {ph}", "b") == 1


# ------------------------------------------------------------------ item 5: Json path filters


def _path(provider: str, *keys: str):
    """Prisma's path: a list of keys on PostgreSQL, a JSON path text on MySQL and SQLite."""
    return list(keys) if provider == "postgresql" else "$" + "".join(f".{k}" for k in keys)


def test_json_path_filters(db, pkg, provider):
    Json = pkg.Json
    db.deployment.create_many(data=[
        {"model_name": "a", "litellm_params": Json({"flag": False, "name": "alpha", "tags": ["x", "y"], "n": 3,
                                                    "nested": {"k": "v"}})},
        {"model_name": "b", "litellm_params": Json({"flag": True, "name": "Beta", "tags": ["y"], "n": 10})},
        {"model_name": "c", "litellm_params": Json({"other": 1})},
    ])

    def names(flt):
        rows = db.deployment.find_many(where={"litellm_params": flt}, order={"model_name": "asc"})
        return [r.model_name for r in rows]

    p = lambda *keys: _path(provider, *keys)  # noqa: E731
    assert names({"path": p("flag"), "equals": Json(False)}) == ["a"]
    assert names({"path": p("flag"), "equals": Json(True)}) == ["b"]
    assert names({"path": p("flag"), "not": Json(True)}) == ["a"]  # no `flag` in c: matches neither
    assert names({"path": p("nested", "k"), "equals": Json("v")}) == ["a"]
    assert names({"path": p("nested"), "equals": Json({"k": "v"})}) == ["a"]
    assert names({"path": p("name"), "string_contains": "lph"}) == ["a"]
    assert names({"path": p("name"), "string_starts_with": "Be"}) == ["b"]
    assert names({"path": p("name"), "string_ends_with": "ta"}) == ["b"]
    assert names({"path": p("n"), "gt": 5}) == ["b"]
    assert names({"path": p("n"), "lte": 3}) == ["a"]
    assert names({"path": p("tags"), "array_starts_with": Json("x")}) == ["a"]
    assert names({"path": p("tags"), "array_ends_with": Json("y")}) == ["a", "b"]
    assert names({"path": p("name"), "string_contains": "100%"}) == []  # LIKE wildcards are literal
    if provider != "sqlite":  # Prisma has no array_contains on SQLite
        assert names({"path": p("tags"), "array_contains": ["y"]}) == ["a", "b"]
        assert names({"path": p("tags"), "array_contains": Json(["x", "y"])}) == ["a"]
        assert names({"path": p("name"), "string_contains": "BET", "mode": "insensitive"}) == ["b"]
    else:
        with pytest.raises(pkg.errors.InputError, match="not supported on SQLite"):
            names({"path": p("tags"), "array_contains": ["y"]})
    if provider != "postgresql":  # a list of keys is taken on MySQL and SQLite too
        assert names({"path": ["nested", "k"], "equals": Json("v")}) == ["a"]
    else:
        with pytest.raises(pkg.errors.InputError, match="list of keys"):
            names({"path": "$.flag", "equals": Json(False)})
    # inside AND/NOT and combined with other fields, as LiteLLM's queries do
    assert [r.model_name for r in db.deployment.find_many(where={
        "NOT": {"litellm_params": {"path": p("flag"), "equals": Json(True)}}, "model_name": {"in": ["a", "b"]}})] == ["a"]
    assert db.deployment.count(where={"litellm_params": {"path": p("flag"), "equals": Json(False)}}) == 1


# ------------------------------------------------------------------ DateTime written as ISO 8601 text


DT_SCHEMA = SCHEMA.replace("  n              Int     @default(0)", "  n              Int     @default(0)\n  at             DateTime?")


def test_datetime_text_is_parsed_as_prisma_s_engine_does(provider, request, tmp_path):
    """LiteLLM's spend logs give startTime/endTime as ISO text (prisma-client-py passes it to the engine)."""
    import datetime as dt

    pkg, loaded = generate(DT_SCHEMA, tmp_path, f"lamina_litellm_dt_{provider}", provider)
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    create_tables(loaded, url)
    client = pkg.Prisma(datasource={"url": url})
    client.connect()
    try:
        client.deployment.create_many(data=[{"model_name": "a", "at": "2024-05-06T07:08:09.123Z"},
                                            {"model_name": "b", "at": "2024-05-06T09:08:09.123+02:00"}])
        made = client.deployment.create(data={"model_name": "c", "at": "2024-05-06 07:08:09"})
        want = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.timezone.utc)
        assert [r.at for r in client.deployment.find_many(where={"at": {"gte": "2024-05-06T07:08:09.123Z"}},
                                                          order={"model_name": "asc"})] == [want, want]
        assert made.at == dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
        with pytest.raises(pkg.errors.DataError, match="Invalid DateTime text"):
            client.deployment.create(data={"model_name": "d", "at": "yesterday"})
    finally:
        client.disconnect()
