"""prisma-client-py compatibility: group_by's output shape, ordering rules and errors, on the
data its own group_by tests use (one Scotland profile, twenty Danish ones)."""

from __future__ import annotations

import pytest

from tests.client.compat_env import client, compat_envs, prisma  # noqa: F401  (fixtures)


@pytest.fixture
def profiles(client):
    with client.batch_() as batcher:
        batcher.profile.create({"description": "from scotland", "country": "Scotland", "city": "Edinburgh", "views": 250,
                                "user": {"create": {"name": "Tegan"}}})
        for i in range(20):
            city = "Copenhagen" if i >= 12 else None
            batcher.profile.create({"description": "description", "country": "Denmark", "city": city,
                                    "views": 1000 if city else 500, "user": {"create": {"name": "Robert"}}})
        for i in range(10):
            batcher.types.create({"integer": i})
    return client


def test_group_by_plain_and_ordered(profiles):
    db = profiles
    assert db.user.group_by(["name"], order={"name": "asc"}) == [{"name": "Robert"}, {"name": "Tegan"}]
    assert db.profile.group_by(["country"], order={"country": "desc"}) == [{"country": "Scotland"}, {"country": "Denmark"}]
    rows = db.profile.group_by(by=["country", "city"], order=[{"country": "asc"}, {"city": "desc"}])
    assert sorted(rows, key=lambda r: (r["country"], r["city"] or "")) == [
        {"city": None, "country": "Denmark"}, {"city": "Copenhagen", "country": "Denmark"},
        {"city": "Edinburgh", "country": "Scotland"},
    ]
    assert db.profile.group_by(["country"], take=1, order={"country": "desc"}) == [{"country": "Scotland"}]
    assert db.profile.group_by(["country"], skip=1, order={"country": "asc"}) == [{"country": "Scotland"}]
    assert db.profile.group_by(["country"], where={"description": {"contains": "scotland"}}, order={"country": "asc"}) == [
        {"country": "Scotland"}
    ]


def test_group_by_aggregates(profiles):
    db = profiles
    order = {"country": "asc"}
    assert db.profile.group_by(["country"], count=True, order=order) == [
        {"country": "Denmark", "_count": {"_all": 20}}, {"country": "Scotland", "_count": {"_all": 1}},
    ]
    assert db.profile.group_by(["country"], count={"city": True, "country": True}, order=order) == [
        {"country": "Denmark", "_count": {"city": 8, "country": 20}}, {"country": "Scotland", "_count": {"city": 1, "country": 1}},
    ]
    assert db.profile.group_by(["country"], avg={"views": True}, order=order) == [
        {"country": "Denmark", "_avg": {"views": 700.0}}, {"country": "Scotland", "_avg": {"views": 250.0}},
    ]
    assert db.profile.group_by(["country"], sum={"views": True}, order=order) == [
        {"country": "Denmark", "_sum": {"views": 14000}}, {"country": "Scotland", "_sum": {"views": 250}},
    ]
    assert db.profile.group_by(["country"], min={"views": True}, max={"views": True}, order=order) == [
        {"country": "Denmark", "_min": {"views": 500}, "_max": {"views": 1000}},
        {"country": "Scotland", "_min": {"views": 250}, "_max": {"views": 250}},
    ]
    assert db.types.group_by(["string"], avg={"integer": True, "bigint": True}, order={"string": "asc"}) == [
        {"string": "", "_avg": {"integer": 4.5, "bigint": 0.0}}
    ]
    docs = db.profile.group_by(by=["country", "city"], count={"_all": True, "city": True}, sum={"views": True},
                               order={"country": "desc"}, having={"views": {"_avg": {"gt": 200}}})
    assert sorted(docs, key=lambda r: (r["country"], r["city"] or "")) == [
        {"country": "Denmark", "city": None, "_count": {"_all": 12, "city": 0}, "_sum": {"views": 6000}},
        {"country": "Denmark", "city": "Copenhagen", "_count": {"_all": 8, "city": 8}, "_sum": {"views": 8000}},
        {"country": "Scotland", "city": "Edinburgh", "_count": {"_all": 1, "city": 1}, "_sum": {"views": 250}},
    ]


def test_group_by_having(profiles):
    db = profiles
    order = {"country": "asc"}
    assert db.profile.group_by(by=["country"], count=True, having={"views": {"_avg": {"gt": 600}}}, order=order) == [
        {"country": "Denmark", "_count": {"_all": 20}}
    ]
    either = {"OR": [{"views": {"_avg": {"equals": 700}}}, {"views": {"_sum": {"equals": 250}}}]}
    assert [r["country"] for r in db.profile.group_by(by=["country"], count=True, having=either, order=order)] == ["Denmark", "Scotland"]
    narrowed = {"OR": [{"views": {"_avg": {"equals": 700}}},
                       {"views": {"_sum": {"equals": 250}}, "NOT": [{"views": {"_min": {"equals": 250}}}]}]}
    assert [r["country"] for r in db.profile.group_by(by=["country"], count=True, having=narrowed, order=order)] == ["Denmark"]


def test_group_by_errors(profiles, prisma):
    db = profiles
    with pytest.raises(prisma.errors.DataError):
        db.profile.group_by(["country", "city"], order={"city": "desc", "country": "asc"})
    with pytest.raises(prisma.errors.InputError, match=r"Every field used for orderBy must be included in the by-arguments of the query\. Missing fields: country"):
        db.profile.group_by(["city"], order={"country": "asc"})
    with pytest.raises(TypeError, match="Missing argument: 'order' which is required when 'take' is present"):
        db.profile.group_by(["country"], take=1)
    with pytest.raises(TypeError, match="Missing argument: 'order' which is required when 'skip' is present"):
        db.profile.group_by(["country"], skip=1)
    with pytest.raises(prisma.errors.InputError, match="Every field used in `having` filters must either be an aggregation filter or be included in the selection of the query. Missing fields: views"):
        db.profile.group_by(by=["country"], count=True, having={"views": {"gt": 50}}, order={"country": "asc"})
