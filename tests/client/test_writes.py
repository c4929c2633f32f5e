"""Writing through the generated client on SQLite and PostgreSQL: defaults, @updatedAt,
atomic updates, upsert, nested writes on every relation kind, create_many."""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone

import pytest


def errors_of(db):
    from importlib import import_module

    return import_module(type(db).__module__.rpartition(".")[0] + ".errors")


def test_create_applies_client_defaults(db):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    user = db.user.create(data={"email": "a@x.io"})
    assert re.fullmatch(r"c[0-9a-z]{24}", user.id)
    assert user.role == "USER" and user.points == 0.0 and user.name is None
    assert user.createdAt >= before and user.createdAt.tzinfo is not None
    assert user.updatedAt == user.createdAt or abs((user.updatedAt - user.createdAt).total_seconds()) < 1
    post = db.post.create(data={"title": "t"})
    assert isinstance(post.id, int) and post.published is False and post.views == 0
    kitchen = db.kitchen.create(data={
        "big": 1, "dec": "1.5", "blob": b"x", "data": {}, "at": datetime.now(timezone.utc), "flt": 1.0,
        "flag": True, "code": "a", "region": "b"})
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", kitchen.id)
    assert len(kitchen.nano) == 21


def test_missing_required_value(db):
    with pytest.raises(errors_of(db).MissingRequiredValueError):
        db.user.create(data={"name": "no email"})  # type: ignore[typeddict-item]


def test_update_atomic_and_updated_at(db):
    user = db.user.create(data={"email": "a@x.io", "age": 10, "points": 1.5})
    time.sleep(0.01)
    updated = db.user.update(where={"id": user.id}, data={"age": {"increment": 5}, "points": {"multiply": 4}})
    assert updated is not None and updated.age == 15 and updated.points == 6.0
    assert updated.updatedAt > user.updatedAt and updated.createdAt == user.createdAt
    updated = db.user.update(where={"email": "a@x.io"}, data={"age": {"decrement": 3}, "points": {"divide": 2}})
    assert updated.age == 12 and updated.points == 3.0
    assert db.user.update(where={"email": "a@x.io"}, data={"age": {"set": 1}, "name": "Al"}).age == 1
    assert db.user.update(where={"email": "a@x.io"}, data={"age": {"divide": 2}}).age == 0  # integer division
    assert db.user.update(where={"email": "nobody"}, data={"age": 1}) is None


def test_update_many_delete_many_delete(db):
    for i in range(4):
        db.post.create(data={"title": f"p{i}", "views": i})
    assert db.post.update_many(where={"views": {"gte": 2}}, data={"published": True}) == 2
    assert db.post.count(where={"published": True}) == 2
    assert db.post.delete_many(where={"published": False}) == 2
    remaining = db.post.find_many(order={"id": "asc"})
    deleted = db.post.delete(where={"id": remaining[0].id})
    assert deleted is not None and deleted.title == "p2"
    assert db.post.delete(where={"id": remaining[0].id}) is None
    assert db.post.delete_many() == 1
    assert db.post.count() == 0


def test_upsert(db):
    data = {"create": {"email": "u@x.io", "name": "new"}, "update": {"name": "updated"}}
    first = db.user.upsert(where={"email": "u@x.io"}, data=data)
    assert first.name == "new"
    second = db.user.upsert(where={"email": "u@x.io"}, data=data, include={"posts": True})
    assert second.id == first.id and second.name == "updated" and second.posts == []
    assert db.user.count() == 1


def test_delete_with_include_returns_relations(db):
    user = db.user.create(data={"email": "a@x.io", "profile": {"create": {"bio": "hi"}}})
    deleted = db.user.delete(where={"id": user.id}, include={"profile": True})
    assert deleted.profile.bio == "hi"
    assert db.profile.count() == 0  # onDelete: Cascade


def test_nested_create_on_every_side(db):
    user = db.user.create(
        data={
            "email": "a@x.io",
            "profile": {"create": {"bio": "bio"}},
            "posts": {"create": [{"title": "one", "categories": {"create": [{"name": "c1"}]}}, {"title": "two"}]},
        },
        include={"profile": True, "posts": {"include": {"categories": True}, "order_by": {"title": "asc"}}},
    )
    assert user.profile.bio == "bio" and user.profile.userId == user.id
    assert [p.title for p in user.posts] == ["one", "two"]
    assert [c.name for c in user.posts[0].categories] == ["c1"]
    post = db.post.create(data={"title": "three", "author": {"connect": {"email": "a@x.io"}},
                                "categories": {"connect": [{"name": "c1"}], "connect_or_create": [
                                    {"where": {"name": "c2"}, "create": {"name": "c2"}}]}},
                          include={"author": True, "categories": {"order_by": {"name": "asc"}}})
    assert post.author.id == user.id and [c.name for c in post.categories] == ["c1", "c2"]
    other = db.post.create(data={"title": "four", "author": {"connect_or_create": {
        "where": {"email": "b@x.io"}, "create": {"email": "b@x.io"}}}}, include={"author": True})
    assert other.author.email == "b@x.io"
    with pytest.raises(errors_of(db).RecordNotFoundError):
        db.post.create(data={"title": "x", "author": {"connect": {"email": "nobody"}}})
    assert db.post.count(where={"title": "x"}) == 0  # the nested write was atomic


def test_nested_update_relations(db):
    user = db.user.create(data={"email": "a@x.io", "posts": {"create": [{"title": "p1"}, {"title": "p2"}, {"title": "p3"}]}})
    posts = {p.title: p for p in db.post.find_many()}
    loose = db.post.create(data={"title": "loose"})
    u = db.user.update(where={"id": user.id}, data={"posts": {"connect": [{"id": loose.id}], "disconnect": [{"id": posts["p1"].id}]}},
                       include={"posts": {"order_by": {"title": "asc"}}})
    assert [p.title for p in u.posts] == ["loose", "p2", "p3"]
    u = db.user.update(where={"id": user.id}, data={"posts": {"delete": [{"id": posts["p2"].id}]}}, include={"posts": True})
    assert sorted(p.title for p in u.posts) == ["loose", "p3"] and db.post.count() == 3
    u = db.user.update(where={"id": user.id}, data={"posts": {"set": [{"id": posts["p1"].id}]}}, include={"posts": True})
    assert [p.title for p in u.posts] == ["p1"] and db.post.count() == 3
    u = db.user.update(where={"id": user.id}, data={"profile": {"create": {"bio": "b"}}}, include={"profile": True})
    assert u.profile.bio == "b"
    u = db.user.update(where={"id": user.id}, data={"profile": {"delete": True}}, include={"profile": True})
    assert u.profile is None and db.profile.count() == 0
    p = db.post.update(where={"id": posts["p1"].id}, data={"author": {"disconnect": True}}, include={"author": True})
    assert p.author is None and p.authorId is None
    p = db.post.update(where={"id": posts["p1"].id}, data={"author": {"connect": {"id": user.id}},
                                                           "categories": {"create": [{"name": "a"}, {"name": "b"}]}},
                       include={"author": True, "categories": True})
    assert p.author.id == user.id and sorted(c.name for c in p.categories) == ["a", "b"]
    p = db.post.update(where={"id": posts["p1"].id}, data={"categories": {"disconnect": [{"name": "a"}]}}, include={"categories": True})
    assert [c.name for c in p.categories] == ["b"] and db.category.count() == 2
    p = db.post.update(where={"id": posts["p1"].id}, data={"categories": {"set": [{"name": "a"}]}}, include={"categories": True})
    assert [c.name for c in p.categories] == ["a"]
    p = db.post.update(where={"id": posts["p1"].id}, data={"categories": {"delete": [{"name": "a"}]}}, include={"categories": True})
    assert p.categories == [] and [c.name for c in db.category.find_many()] == ["b"]


def test_create_many(db, provider):
    assert db.category.create_many(data=[{"name": "a"}, {"name": "b"}]) == 2
    if provider == "sqlite":  # as Prisma: no skipDuplicates on SQLite
        with pytest.raises(errors_of(db).UnsupportedDatabaseError, match="create_many_skip_duplicates is not supported by sqlite"):
            db.category.create_many(data=[{"name": "b"}, {"name": "c"}], skip_duplicates=True)
        db.category.create_many(data=[{"name": "c"}])
    else:
        assert db.category.create_many(data=[{"name": "b"}, {"name": "c"}], skip_duplicates=True) == 1
    with pytest.raises(errors_of(db).UniqueViolationError):
        db.category.create_many(data=[{"name": "a"}])
    users = db.user.create_many(data=[{"email": "1@x"}, {"email": "2@x", "age": 3}])
    assert users == 2 and all(u.id.startswith("c") for u in db.user.find_many())


def test_constraint_errors(db):
    errors = errors_of(db)
    db.user.create(data={"email": "a@x.io"})
    with pytest.raises(errors.UniqueViolationError) as info:
        db.user.create(data={"email": "a@x.io"})
    assert "email" in str(info.value)
    with pytest.raises(errors.ForeignKeyViolationError):
        db.post.create(data={"title": "t", "authorId": "missing"})
    assert isinstance(info.value, errors.DataError) and isinstance(info.value, errors.PrismaError)


def test_create_many_and_return(db, provider):
    if provider == "mysql":
        with pytest.raises(errors_of(db).UnsupportedDatabaseError):
            db.category.create_many_and_return(data=[{"name": "a"}])
        return
    created = db.category.create_many_and_return(data=[{"name": "a"}, {"name": "b"}])
    assert sorted(c.name for c in created) == ["a", "b"] and all(isinstance(c.id, int) for c in created)
    if provider == "sqlite":
        with pytest.raises(errors_of(db).UnsupportedDatabaseError, match="skip_duplicates is not supported"):
            db.category.create_many_and_return(data=[{"name": "b"}, {"name": "c"}], skip_duplicates=True)
        return
    again = db.category.create_many_and_return(data=[{"name": "b"}, {"name": "c"}], skip_duplicates=True)
    assert [c.name for c in again] == ["c"]


def test_null_on_required_and_changing_keys(db):
    errors = errors_of(db)
    post = db.post.create(data={"title": "t"})
    with pytest.raises(errors.MissingRequiredValueError, match="published"):
        db.post.update(where={"id": post.id}, data={"published": None})  # type: ignore[typeddict-item]
    with pytest.raises(errors.MissingRequiredValueError, match="title"):
        db.post.create(data={"title": None})  # type: ignore[typeddict-item]
    moved = db.post.update(where={"id": post.id}, data={"id": {"increment": 500}})
    assert moved is not None and moved.id == post.id + 500
    user = db.user.create(data={"email": "a@x.io"})
    renamed = db.user.update(where={"email": "a@x.io"}, data={"email": "b@x.io", "id": "abcd123"})
    assert renamed is not None and (renamed.id, renamed.email) == ("abcd123", "b@x.io") and user.id != renamed.id
