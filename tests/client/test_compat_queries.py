"""prisma-client-py compatibility: the checks its database test suite makes on queries,
written for Lamina against the same schema shape (compat.prisma.in), generated as `prisma`."""

from __future__ import annotations

import datetime
import time

import pytest

from tests.client.compat_env import client, compat_envs, prisma  # noqa: F401  (fixtures)


def test_imports_as_prisma(prisma):
    import prisma as imported
    from prisma import Prisma, errors
    from prisma.models import Post, User

    assert imported is prisma and Prisma is prisma.Prisma and errors is prisma.errors
    assert User.__name__ == "User" and Post.__name__ == "Post"
    assert prisma.Json and prisma.Base64 and prisma.errors.PrismaError


def test_create_and_defaults(client, prisma):
    post = client.post.create({"title": "Hi", "published": True, "description": "d"})
    assert isinstance(post.id, str) and len(post.id) == 36  # uuid()
    assert (post.title, post.description, post.published, post.views) == ("Hi", "d", True, 0)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((post.created_at - now).total_seconds()) < 5 and post.created_at.tzinfo is not None
    assert post.author is None
    user = client.user.create({"name": "Robert"})
    assert user.name == "Robert" and isinstance(user.id, str)
    with_author = client.post.create({"title": "P", "author": {"create": {"name": "Bob"}}}, include={"author": True})
    assert with_author.author is not None and with_author.author.name == "Bob"
    profile = client.profile.create(
        data={"description": "bio", "country": "Scotland", "user_id": user.id}, include={"user": True}
    )
    assert profile.user is not None and profile.user.id == user.id


def test_create_errors(client, prisma):
    errors = prisma.errors
    with pytest.raises(TypeError):
        client.post.create()  # type: ignore[call-arg]
    with pytest.raises(errors.MissingRequiredValueError):
        client.post.create({"published": False})
    with pytest.raises(errors.MissingRequiredValueError, match="published"):
        client.post.create(data={"title": "Post", "published": None})
    with pytest.raises(errors.MissingRequiredValueError, match="author"):
        client.post.create(data={"title": "Post", "published": False, "author": None})
    client.user.create({"name": "Robert", "id": "user-1"})
    with pytest.raises(errors.UniqueViolationError, match="Unique constraint failed"):
        client.user.create({"name": "Robert", "id": "user-1"})
    assert client.post.create(data={"title": "Post", "description": None}).description is None


def test_find_many_filters_order_cursor(client, prisma):
    posts = [client.post.create({"title": f"Foo {i}", "published": i == 3}) for i in range(1, 5)]
    assert [p.id for p in client.post.find_many(where={"title": "Foo 1"})] == [posts[0].id]
    assert len(client.post.find_many(where={"OR": [{"title": "Foo 1"}, {"title": "Foo 2"}]})) == 2
    assert len(client.post.find_many(where={"title": {"contains": "Foo"}})) == 4
    assert [p.title for p in client.post.find_many(where={"title": {"not_in": ["Foo 1", "Foo 2", "Foo 3"]}})] == ["Foo 4"]
    assert [p.title for p in client.post.find_many(order={"title": "desc"})] == ["Foo 4", "Foo 3", "Foo 2", "Foo 1"]
    assert [p.title for p in client.post.find_many(order=[{"published": "desc"}, {"title": "asc"}])][:2] == ["Foo 3", "Foo 1"]
    found = client.post.find_many(cursor={"id": posts[1].id}, order={"title": "asc"})
    assert [p.title for p in found] == ["Foo 2", "Foo 3", "Foo 4"]
    assert [p.title for p in client.post.find_many(cursor={"id": posts[3].id}, order={"title": "asc"})] == ["Foo 4"]
    assert [p.title for p in client.post.find_many(take=2, skip=1, order={"title": "asc"})] == ["Foo 2", "Foo 3"]
    with pytest.raises(prisma.errors.DataError, match="Expected a minimum of 0 and at most 1 fields to be present, got 2"):
        client.post.find_many(order={"published": "desc", "title": "desc"})
    with pytest.raises(prisma.errors.FieldNotFoundError, match="desc"):
        client.post.find_many(order={"desc": None})


def test_find_many_distinct(client):
    for name, city in [("a", "X"), ("b", "X"), ("c", "Y")]:
        client.user.create({"name": name, "profile": {"create": {"description": name, "country": "Scotland", "city": city}}})
    found = client.profile.find_many(distinct=["city"], order={"city": "asc"})
    assert [p.city for p in found] == ["X", "Y"]
    assert len(client.profile.find_many(distinct=["country", "city"])) == 2


def test_relation_filters(client):
    with client.batch_() as batcher:
        batcher.user.create({"name": "Robert", "profile": {"create": {"description": "My very cool bio.", "country": "Scotland"}},
                             "posts": {"create": [{"title": "My first post", "published": True}, {"title": "My second post"}]}})
        batcher.user.create({"name": "Tegan", "profile": {"create": {"description": "Hello world, this is my bio.", "country": "Scotland"}},
                             "posts": {"create": [{"title": "Hello, world!", "published": True}, {"title": "My test post"}]}})
        batcher.user.create({"name": "Callum"})
    users = client.user.find_many(where={"profile": {"is": {"description": {"contains": "cool"}}}})
    assert [u.name for u in users] == ["Robert"] and users[0].profile is None
    assert [u.name for u in client.user.find_many(where={"profile": {"is": {"description": {"contains": "bio"}}}}, order={"name": "asc"})] == ["Robert", "Tegan"]
    assert [u.name for u in client.user.find_many(where={"profile": {"is_not": {"description": {"contains": "bio"}}}})] == ["Callum"]
    assert sorted(u.name for u in client.user.find_many(where={"posts": {"every": {"title": {"contains": "post"}}}})) == ["Callum", "Robert"]
    assert [u.name for u in client.user.find_many(where={"posts": {"some": {"title": {"contains": "post"}}}}, order={"name": "asc"})] == ["Robert", "Tegan"]
    assert [u.name for u in client.user.find_many(where={"posts": {"none": {"title": {"contains": "post"}}}})] == ["Callum"]
    assert client.user.find_many(where={"posts": {"some": {"title": "foo"}}}) == []


def test_find_unique_first_and_raise(client, prisma):
    errors = prisma.errors
    user = client.user.create({"name": "Robert"})
    assert client.user.find_unique(where={"id": user.id}) == user
    assert client.user.find_unique(where={"id": "missing"}) is None
    with pytest.raises(errors.RecordNotFoundError):
        client.user.find_unique_or_raise(where={"id": "missing"})
    with pytest.raises(errors.RecordNotFoundError):
        client.post.find_first_or_raise(where={"title": "nothing"})
    assert client.user.find_first(where={"name": {"startswith": "Rob"}}) == user
    assert client.user.find_first(where={"name": "x"}) is None
    client.user.create({"name": "Tegan"})
    assert client.user.find_first(order={"name": "desc"}).name == "Tegan"
    assert client.user.find_first(skip=1, order={"name": "asc"}).name == "Tegan"
    profile = client.profile.create({"description": "b", "country": "c", "user": {"connect": {"id": user.id}}})
    assert client.profile.find_unique(where={"user_id": user.id}) == profile


def test_compound_uniques(client):
    client.id3.create({"name": "a", "surname": "b"})
    assert client.id3.find_unique(where={"my_id": {"name": "a", "surname": "b"}}).name == "a"
    client.unique4.create({"name": "a", "surname": "b"})
    assert client.unique4.find_unique(where={"my_unique": {"name": "a", "surname": "b"}}) is not None
    record = client.unique2.create({"name": "Robert", "surname": "Craigie"})
    assert client.unique2.find_unique(where={"name_surname": {"name": "Robert", "surname": "Craigie"}}) == record
    updated = client.unique2.update(where={"surname": "Craigie"}, data={"surname": "George"})
    assert updated is not None and (updated.name, updated.surname) == ("Robert", "George")


def test_include(client):
    user = client.user.create({"name": "Robert", "posts": {"create": [{"title": f"Post {i}", "published": i % 2 == 0} for i in range(4)]}})
    found = client.user.find_unique(where={"id": user.id}, include={"posts": True, "profile": True})
    assert found is not None and found.profile is None and len(found.posts or []) == 4
    found = client.user.find_unique(where={"id": user.id}, include={"posts": {"where": {"published": True}, "order_by": {"title": "desc"}, "take": 1}})
    assert [p.title for p in found.posts] == ["Post 2"]
    found = client.user.find_unique(where={"id": user.id}, include={"posts": {"include": {"author": True}, "skip": 3, "order_by": {"title": "asc"}}})
    assert [(p.title, p.author.name) for p in found.posts] == [("Post 3", "Robert")]
    assert client.user.find_unique(where={"id": user.id}, include={"posts": False}).posts is None
    assert client.user.find_unique(where={"id": user.id}).posts is None
    post = client.post.find_first(include={"author": {"include": {"posts": {"take": 2}}}}, order={"title": "asc"})
    assert post.author is not None and len(post.author.posts) == 2


def test_update_and_relations(client, prisma):
    post = client.post.create({"title": "Hi from Create!", "published": True, "description": "desc", "author": {"create": {"name": "Bob"}}})
    time.sleep(0.002)  # timestamps keep milliseconds: a fast machine updated within the create's millisecond
    updated = client.post.update(where={"id": post.id}, data={"title": "Hi from Update!"})
    assert updated is not None and updated.title == "Hi from Update!"
    assert updated.updated_at > post.updated_at and updated.created_at == post.created_at
    updated = client.post.update(where={"id": post.id}, include={"author": True}, data={"published": False, "description": "Updated desc."})
    assert (updated.published, updated.description, updated.author.name) == (False, "Updated desc.", "Bob")
    assert client.post.update(where={"id": post.id}, data={"views": {"increment": 1}}).views == 1
    assert client.post.update(where={"id": post.id}, data={"description": None}).description is None
    assert client.post.update(where={"id": "wow"}, data={"title": "x"}) is None
    with pytest.raises(prisma.errors.MissingRequiredValueError, match="published"):
        client.post.update(where={"id": post.id}, data={"published": None})
    user = client.user.create({"name": "Robert"})
    for method in ("disconnect", "delete"):
        with_post = client.user.update(where={"id": user.id}, data={"posts": {"create": [{"title": "My post"}]}}, include={"posts": True})
        assert len(with_post.posts) == 1
        emptied = client.user.update(where={"id": user.id}, data={"posts": {method: [{"id": with_post.posts[0].id}]}}, include={"posts": True})
        assert emptied.posts == []
    renamed = client.user.update(where={"id": user.id}, data={"id": "abcd123"})
    assert renamed is not None and renamed.id == "abcd123"
    types = client.types.create({})
    assert client.types.update(where={"id": types.id}, data={"id": {"increment": 500}}).id == types.id + 500


def test_update_many_delete_and_delete_many(client):
    client.post.create({"title": "Test post 1", "published": False})
    client.post.create({"title": "Test post 2", "published": False})
    assert client.post.update_many(where={"published": False}, data={"published": True}) == 2
    assert client.post.update_many(where={"title": "nothing"}, data={"published": True}) == 0
    assert all(p.published for p in client.post.find_many())
    post = client.post.find_first(order={"title": "asc"})
    deleted = client.post.delete(where={"id": post.id})
    assert deleted is not None and deleted.id == post.id and deleted.title == "Test post 1"
    assert client.post.delete(where={"id": post.id}) is None
    assert client.post.delete_many(where={"title": "nope"}) == 0
    assert client.post.delete_many() == 1


def test_upsert(client):
    user_id = "abc123"
    data = {"create": {"id": user_id, "name": "Robert"}, "update": {"name": "Robert"}}
    user = client.user.upsert(where={"id": user_id}, data=data)
    assert (user.id, user.name) == (user_id, "Robert")
    data["update"] = {"name": "Roberto"}
    user = client.user.upsert(where={"id": user_id}, data=data, include={"posts": True})
    assert (user.id, user.name, user.posts) == (user_id, "Roberto", [])
    assert client.user.count() == 1


def test_count(client):
    with client.batch_() as batcher:
        batcher.post.create({"title": "Foo", "published": False})
        batcher.post.create({"title": "Foo 2", "published": False, "description": "A"})
        batcher.post.create({"title": "Foo 3", "published": False})
    assert client.post.count() == 3
    assert client.post.count(where={"title": "kdbsajdh"}) == 0
    assert client.post.count(take=1) == 1
    assert client.post.count(skip=1) == 2
    assert client.post.count(select={}) == {"_all": 3}
    assert client.post.count(select={"description": True}) == {"description": 1}
    assert client.post.count(select={"_all": True, "description": True}) == {"_all": 3, "description": 1}


def test_create_many(client):
    assert client.user.create_many([{"name": "Robert"}, {"name": "Tegan"}]) == 2
    assert client.user.count() == 2
    assert client.user.create_many(data=[{"id": "a", "name": "x"}, {"id": "b", "name": "y"}]) == 2


def test_include_where_and_pagination(client):
    user = client.user.create({"name": "Robert"})
    posts = [client.post.create({"title": f"Post {i}", "published": i in (2, 3), "author": {"connect": {"id": user.id}}})
             for i in range(1, 5)]
    found = client.user.find_unique_or_raise(where={"id": user.id}, include={"posts": {"order_by": {"title": "asc"}}})
    assert [(p.title, p.author, p.author_id) for p in found.posts] == [(f"Post {i}", None, user.id) for i in range(1, 5)]
    assert len(client.user.find_unique_or_raise(where={"id": user.id}, include={"posts": {"take": 1}}).posts) == 1
    by_time = client.user.find_unique_or_raise(where={"id": user.id}, include={"posts": {"where": {"id": posts[0].id, "created_at": posts[0].created_at}}})
    assert [p.id for p in by_time.posts] == [posts[0].id]
    ordered = {"order_by": {"title": "asc"}}
    forward = client.user.find_unique_or_raise(where={"id": user.id}, include={"posts": {"cursor": {"id": posts[0].id}, "take": 1, "skip": 1, **ordered}})
    assert [p.id for p in forward.posts] == [posts[1].id]
    backward = client.user.find_unique_or_raise(where={"id": user.id}, include={"posts": {"cursor": {"id": posts[1].id}, "take": -1, "skip": 1, **ordered}})
    assert [p.id for p in backward.posts] == [posts[0].id]
    either = client.user.find_unique_or_raise(where={"id": user.id}, include={"posts": {"where": {"OR": [{"published": True}, {"id": posts[0].id}]}, **ordered}})
    assert [(p.title, p.published) for p in either.posts] == [("Post 1", False), ("Post 2", True), ("Post 3", True)]
    nested = client.user.find_unique_or_raise(where={"id": user.id}, include={"profile": True, "posts": {"include": {"author": {"include": {"posts": True}}}}})
    assert nested.profile is None and all(len(p.author.posts) == 4 for p in nested.posts)


def test_model_based_access(client, prisma):
    from prisma import get_client
    from prisma.models import Types, User

    assert get_client() is client and client.is_registered()
    user = User.prisma().create(data={"name": "Robert"})
    assert User.prisma().find_unique(where={"id": user.id}) == user
    assert User.prisma().count() == 1 and User.prisma().find_many(where={"name": "Robert"}) == [user]
    record = Types.prisma().create({})
    assert Types.prisma().update(where={"id": record.id}, data={"id": {"increment": 500}}).id == record.id + 500
    assert User.prisma().delete(where={"id": user.id}) == user and User.prisma().find_first() is None


def test_error_classes_and_messages(client, prisma):
    import re

    from prisma.errors import FieldNotFoundError, ForeignKeyViolationError

    with pytest.raises(FieldNotFoundError, match="bad_field"):
        client.post.find_first(where={"bad_field": "foo"})
    with pytest.raises(FieldNotFoundError, match="data.foo"):
        client.post.create(data={"title": "foo", "published": True, "foo": "bar"})
    with pytest.raises(FieldNotFoundError, match="where.author.is.foo"):
        client.post.find_first(where={"author": {"is": {"foo": "bar"}}})

    class CustomPost(prisma.bases.BasePost):
        foo_field: str

    with pytest.raises(FieldNotFoundError, match=r"Field 'foo_field' not found in enclosing type 'Post'"):
        CustomPost.prisma().find_first()
    with pytest.raises(ForeignKeyViolationError, match=re.compile(r"foreign key constraint failed on the field", re.IGNORECASE)):
        client.post.create(data={"title": "foo", "published": True, "author_id": "cjld2cjxh0000qzrmn831i7rn"})


def test_find_first_combinations(client, prisma):
    from prisma.types import UserWhereInput

    for i, (published, views) in enumerate([(False, 100), (False, 0), (False, 0), (True, 500), (False, 0), (True, 0)], 1):
        client.post.create({"title": f"Test post {i}", "published": published, "views": views})
    title = lambda where, **kw: getattr(client.post.find_first(where=where, **kw), "title", None)  # noqa: E731
    assert title({"published": True}, order={"title": "asc"}) == "Test post 4"
    assert title({"published": True}, order={"title": "asc"}, skip=1) == "Test post 6"
    assert title({"title": {"contains": "not found"}}) is None
    assert title({"NOT": [{"published": True}]}, order={"title": "asc"}) == "Test post 1"
    assert title({"NOT": [{"title": {"contains": "1"}}, {"title": {"contains": "2"}}]}, order={"title": "asc"}) == "Test post 3"
    assert title({"title": {"contains": "Test"}, "AND": [{"published": True}]}, order={"title": "asc"}) == "Test post 4"
    assert title({"views": {"gt": 100}, "OR": [{"published": False}]}) is None
    assert title({"OR": [{"views": {"gt": 100}}, {"published": False}]}, order={"title": "asc"}) == "Test post 1"
    assert title({"OR": [{"views": {"gt": 100}}]}) == "Test post 4"
    query: UserWhereInput = {"OR": [{"name": {"startswith": "40"}}, {"name": {"contains": ", 40"}}, {"name": {"contains": "house"}}]}
    client.user.create({"name": "Robert house"})
    client.user.create({"name": "40 robert"})
    assert sorted(u.name for u in client.user.find_many(where=query)) == ["40 robert", "Robert house"]
