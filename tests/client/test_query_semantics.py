"""Query semantics that must hold on every database: raw SQL text reaches the database as
written, bad query arguments are refused with the client's validation error before any SQL
runs, and case-insensitive filters either match Unicode case or are refused (SQLite)."""

from __future__ import annotations

import asyncio

import pytest


def _table(provider: str, name: str) -> str:
    return f"`{name}`" if provider == "mysql" else f'"{name}"'


def test_raw_without_parameters_keeps_percent_signs(db, provider):
    """PyMySQL only interpolates (and turns `%%` into `%`) when given arguments: a raw statement
    without any must reach MySQL unchanged, or '50%' is stored as '50%%'."""
    t = _table(provider, "Category")
    assert db.execute_raw(f"INSERT INTO {t} (name) VALUES ('50%')") == 1
    assert db.execute_raw(f"INSERT INTO {t} (name) VALUES ('a%%b')") == 1
    assert sorted(c.name for c in db.category.find_many()) == ["50%", "a%%b"]
    assert db.query_first("SELECT '100%' AS v") == {"v": "100%"}
    assert [r["name"] for r in db.query_raw(f"SELECT name FROM {t} WHERE name LIKE '%%b'")] == ["a%%b"]
    # with parameters the placeholders are still bound and literal `%` still kept
    ph = "$1" if provider == "postgresql" else "?"
    assert db.execute_raw(f"INSERT INTO {t} (name) VALUES ({ph})", "7%") == 1
    assert db.query_first(f"SELECT name, '10%' AS pct FROM {t} WHERE name = {ph}", "7%") == {"name": "7%", "pct": "10%"}


def test_raw_without_parameters_keeps_percent_signs_asyncio(packages, provider, url):
    module, _ = packages(provider, "asyncio")
    t = _table(provider, "Category")

    async def run() -> list[str]:
        client = module.Prisma(datasource={"url": url})
        await client.connect()
        try:
            await client.execute_raw(f"INSERT INTO {t} (name) VALUES ('50%')")
            first = await client.query_first("SELECT '100%' AS v")
            return [first["v"]] + [c.name for c in await client.category.find_many()]
        finally:
            await client.disconnect()

    assert asyncio.run(run()) == ["100%", "50%"]


def test_unknown_select_field_is_refused_before_sql(db, client_module, statements):
    errors = client_module.errors
    db.user.create(data={"email": "a@x.io"})
    statements.clear()
    with pytest.raises(errors.FieldNotFoundError, match="Unknown field `nope` for select statement on model `User`"):
        db.user.find_many(select={"nope": True})
    with pytest.raises(errors.FieldNotFoundError, match="nope"):
        db.user.find_first(select={"email": True, "nope": True})
    with pytest.raises(errors.FieldNotFoundError, match="needs at least one truthy value"):
        db.user.find_many(select={"email": False})
    with pytest.raises(errors.FieldNotFoundError, match="nope"):
        db.user.find_many(include={"posts": {"select": {"nope": True}}})
    assert statements == []
    # a valid select still reads what it names
    assert [u.email for u in db.user.find_many(select={"email": True})] == ["a@x.io"]


def test_sort_direction_must_be_asc_or_desc(db, client_module, statements):
    errors = client_module.errors
    for direction in ("ascending", "DESC", "", None, 1):
        with pytest.raises(errors.FieldNotFoundError, match="Expected SortOrder"):
            db.user.find_many(order={"email": direction})
    with pytest.raises(errors.FieldNotFoundError, match="Expected SortOrder"):
        db.user.find_many(order={"email": {"sort": "up"}})
    with pytest.raises(errors.FieldNotFoundError, match="nulls"):
        db.user.find_many(order={"name": {"sort": "asc", "nulls": "middle"}})
    with pytest.raises(errors.FieldNotFoundError, match="Expected SortOrder"):
        db.user.find_many(include={"posts": {"order_by": {"title": "sideways"}}})
    assert statements == []
    assert db.user.find_many(order={"email": "desc"}) == []


@pytest.mark.parametrize("args", [{"take": 1.5}, {"take": "1"}, {"take": True}, {"skip": 0.5}, {"skip": -1}])
def test_take_and_skip_must_be_integers(db, client_module, statements, args):
    errors = client_module.errors
    with pytest.raises(errors.FieldNotFoundError, match=f"Argument `{next(iter(args))}`"):
        db.user.find_many(**args)
    with pytest.raises(errors.FieldNotFoundError, match=f"Argument `{next(iter(args))}`"):
        db.user.count(**args)
    with pytest.raises(errors.FieldNotFoundError, match=f"Argument `{next(iter(args))}`"):
        db.user.find_many(include={"posts": args})
    assert statements == []


def test_insensitive_mode_matches_unicode_case_or_is_refused(db, client_module, provider, statements):
    db.user.create(data={"email": "u@x.io", "name": "Ünïcödé"})
    db.user.create(data={"email": "a@x.io", "name": "ASCII"})
    where = {"name": {"contains": "ünï", "mode": "insensitive"}}
    if provider == "sqlite":  # SQLite folds ASCII only: refused, as Prisma refuses `mode` there
        statements.clear()
        with pytest.raises(client_module.errors.FieldNotFoundError, match="not supported on SQLite"):
            db.user.find_many(where=where)
        with pytest.raises(client_module.errors.FieldNotFoundError, match="not supported on SQLite"):
            db.user.count(where={"name": {"equals": "ascii", "mode": "insensitive"}})
        assert statements == []
        return
    assert [u.name for u in db.user.find_many(where=where)] == ["Ünïcödé"]
    assert [u.name for u in db.user.find_many(where={"name": {"equals": "üNÏCÖDÉ", "mode": "insensitive"}})] == ["Ünïcödé"]
    assert [u.name for u in db.user.find_many(where={"name": {"in": ["ascii"], "mode": "insensitive"}})] == ["ASCII"]
    with pytest.raises(client_module.errors.FieldNotFoundError, match="QueryMode"):
        db.user.find_many(where={"name": {"equals": "x", "mode": "loose"}})
