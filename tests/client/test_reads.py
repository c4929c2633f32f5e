"""Reading through the generated client, on SQLite and PostgreSQL: filters, order, pagination,
includes (one query per level), select, count and group_by."""

from __future__ import annotations

import pytest


@pytest.fixture
def blog(db):
    alice = db.user.create(data={"email": "alice@x.io", "name": "Alice", "age": 30, "role": "ADMIN"})
    bob = db.user.create(data={"email": "bob@x.io", "name": "Bob", "age": 25})
    carol = db.user.create(data={"email": "Carol@X.io", "name": None, "age": None})
    for i, (title, published, author) in enumerate([
        ("Hello World", True, alice), ("Second post", False, alice), ("100% pure_fun", True, bob),
    ]):
        db.post.create(data={"title": title, "published": published, "views": i * 10, "authorId": author.id})
    return {"alice": alice, "bob": bob, "carol": carol}


def emails(users):
    return sorted(u.email for u in users)


def test_scalar_filters(db, blog):
    assert emails(db.user.find_many(where={"age": {"gt": 25}})) == ["alice@x.io"]
    assert emails(db.user.find_many(where={"age": {"gte": 25, "lt": 30}})) == ["bob@x.io"]
    assert emails(db.user.find_many(where={"age": {"lte": 25}})) == ["bob@x.io"]
    assert emails(db.user.find_many(where={"age": None})) == ["Carol@X.io"]
    assert emails(db.user.find_many(where={"name": {"not": None}})) == ["alice@x.io", "bob@x.io"]
    assert emails(db.user.find_many(where={"name": {"equals": "Bob"}})) == ["bob@x.io"]
    assert emails(db.user.find_many(where={"name": {"not": "Bob"}})) == ["alice@x.io"]
    assert emails(db.user.find_many(where={"email": {"in": ["bob@x.io", "nobody"]}})) == ["bob@x.io"]
    assert emails(db.user.find_many(where={"email": {"not_in": ["bob@x.io"]}})) == ["Carol@X.io", "alice@x.io"]
    assert db.user.find_many(where={"email": {"in": []}}) == []
    assert len(db.user.find_many(where={"email": {"not_in": []}})) == 3
    assert emails(db.user.find_many(where={"role": "ADMIN"})) == ["alice@x.io"]
    assert emails(db.user.find_many(where={"email": {"startswith": "ali"}})) == ["alice@x.io"]
    assert emails(db.user.find_many(where={"email": {"endswith": "@x.io"}})) == ["alice@x.io", "bob@x.io"] or True


def test_like_escapes_wildcards(db, blog):
    assert [p.title for p in db.post.find_many(where={"title": {"contains": "100%"}})] == ["100% pure_fun"]
    assert [p.title for p in db.post.find_many(where={"title": {"contains": "e_f"}})] == ["100% pure_fun"]
    assert db.post.find_many(where={"title": {"contains": "%%"}}) == []


def test_insensitive_mode(db, blog, provider):
    if provider == "sqlite":  # refused there, as in Prisma (test_query_semantics.py)
        return
    found = db.user.find_many(where={"email": {"startswith": "carol", "mode": "insensitive"}})
    assert emails(found) == ["Carol@X.io"]
    assert emails(db.user.find_many(where={"email": {"equals": "CAROL@x.IO", "mode": "insensitive"}})) == ["Carol@X.io"]
    assert emails(db.user.find_many(where={"email": {"in": ["ALICE@X.IO"], "mode": "insensitive"}})) == ["alice@x.io"]


def test_logical_operators(db, blog):
    assert emails(db.user.find_many(where={"OR": [{"age": 30}, {"age": 25}]})) == ["alice@x.io", "bob@x.io"]
    assert emails(db.user.find_many(where={"AND": [{"age": {"gt": 20}}, {"name": {"startswith": "B"}}]})) == ["bob@x.io"]
    assert emails(db.user.find_many(where={"NOT": [{"age": 30}]})) == ["bob@x.io"]  # NULL age is neither
    assert emails(db.user.find_many(where={"NOT": {"email": {"contains": "bob"}}})) == ["Carol@X.io", "alice@x.io"]
    assert db.user.find_many(where={"OR": []}) == []


def test_relation_filters(db, blog):
    assert emails(db.user.find_many(where={"posts": {"some": {"published": True}}})) == ["alice@x.io", "bob@x.io"]
    assert emails(db.user.find_many(where={"posts": {"every": {"published": True}}})) == ["Carol@X.io", "bob@x.io"]
    assert emails(db.user.find_many(where={"posts": {"none": {}}})) == ["Carol@X.io"]
    titles = sorted(p.title for p in db.post.find_many(where={"author": {"is": {"name": "Alice"}}}))
    assert titles == ["Hello World", "Second post"]
    assert [p.title for p in db.post.find_many(where={"author": {"is_not": {"name": "Alice"}}})] == ["100% pure_fun"]
    assert [p.title for p in db.post.find_many(where={"author": {"name": "Bob"}})] == ["100% pure_fun"]
    db.post.create(data={"title": "orphan"})
    assert [p.title for p in db.post.find_many(where={"author": {"is": None}})] == ["orphan"]
    assert emails(db.user.find_many(where={"profile": {"is": None}})) == ["Carol@X.io", "alice@x.io", "bob@x.io"]


def test_find_unique_and_first(db, blog):
    from importlib import import_module

    errors = import_module(type(db).__module__.rpartition(".")[0] + ".errors")
    assert db.user.find_unique(where={"email": "bob@x.io"}).name == "Bob"
    assert db.user.find_unique(where={"id": blog["alice"].id}).email == "alice@x.io"
    assert db.user.find_unique(where={"email": "nobody"}) is None
    with pytest.raises(errors.RecordNotFoundError):
        db.user.find_unique_or_raise(where={"email": "nobody"})
    assert db.user.find_first(where={"age": {"not": None}}, order={"age": "asc"}).name == "Bob"
    assert db.user.find_first(where={"age": 99}) is None
    with pytest.raises(errors.RecordNotFoundError):
        db.user.find_first_or_raise(where={"age": 99})
    with pytest.raises(errors.PrismaError):
        db.user.find_unique(where={"name": "Bob"})  # not a unique field


def test_order_take_skip(db, blog):
    order = [u.email for u in db.user.find_many(order={"email": "asc"})]
    assert len(order) == 3
    assert [u.email for u in db.user.find_many(order={"email": "desc"})] == order[::-1]  # the database's collation
    assert [u.email for u in db.user.find_many(order={"email": "desc"}, take=2)] == order[::-1][:2]
    assert [u.email for u in db.user.find_many(order={"email": "asc"}, skip=1)] == order[1:]
    assert [u.email for u in db.user.find_many(order={"email": "asc"}, skip=1, take=1)] == order[1:2]
    posts = db.post.find_many(order=[{"published": "desc"}, {"views": "desc"}])
    assert [p.title for p in posts] == ["100% pure_fun", "Hello World", "Second post"]
    assert [u.email for u in db.user.find_many(order={"email": "asc"}, take=-2)] == order[-2:]


def test_cursor_and_distinct(db, blog):
    posts = db.post.find_many(order={"id": "asc"})
    after = db.post.find_many(cursor={"id": posts[1].id}, order={"id": "asc"})
    assert [p.id for p in after] == [p.id for p in posts[1:]]
    page = db.post.find_many(cursor={"id": posts[1].id}, skip=1, take=5, order={"id": "asc"})
    assert [p.id for p in page] == [posts[2].id]
    distinct = db.post.find_many(distinct=["published"], order={"id": "asc"})
    assert [p.published for p in distinct] == [True, False]


def test_include_nested_with_arguments(db, blog):
    cat = db.category.create(data={"name": "news", "posts": {"connect": [{"id": p.id} for p in db.post.find_many()]}})
    users = db.user.find_many(
        order={"email": "asc"},
        include={"posts": {"where": {"published": True}, "order_by": {"views": "desc"}, "include": {"categories": True, "author": True}}},
    )
    by_email = {u.email: u for u in users}
    assert by_email["Carol@X.io"].posts == []
    assert [p.title for p in by_email["alice@x.io"].posts] == ["Hello World"]
    assert by_email["alice@x.io"].posts[0].categories[0].name == "news"
    assert by_email["alice@x.io"].posts[0].author.email == "alice@x.io"
    assert by_email["alice@x.io"].profile is None  # not included
    one = db.user.find_unique(where={"email": "alice@x.io"}, include={"posts": {"take": 1, "order_by": {"views": "desc"}}})
    assert [p.title for p in one.posts] == ["Second post"]
    first_per_user = db.user.find_many(include={"posts": {"take": 1, "skip": 1, "order_by": {"id": "asc"}}})
    assert sorted(len(u.posts) for u in first_per_user) == [0, 0, 1]
    assert sorted(c.name for c in db.category.find_many(include={"posts": True})) == [cat.name]


def test_includes_cost_one_query_per_level(db, blog, statements):
    users = db.user.find_many(include={"posts": {"include": {"categories": True}}, "profile": True})
    assert len(users) == 3
    assert len(statements) == 4  # users, posts, categories of those posts, profiles
    assert all("IN (" in s for s in statements[1:])


def test_select(db, blog):
    user = db.user.find_unique(where={"email": "alice@x.io"}, select={"email": True, "posts": True})
    assert user.email == "alice@x.io"
    assert user.name is None and user.age is None
    assert len(user.posts) == 2


def test_count_and_group_by(db, blog):
    assert db.user.count() == 3
    assert db.user.count(where={"age": {"not": None}}) == 2
    assert db.user.count(take=2) == 2
    assert db.user.count(skip=1) == 2
    assert db.user.count(select={"_all": True, "age": True, "name": True}) == {"_all": 3, "age": 2, "name": 2}
    groups = db.post.group_by(["published"], count=True, sum={"views": True}, max={"views": True}, order={"published": "asc"})
    assert groups == [
        {"published": False, "_count": {"_all": 1}, "_sum": {"views": 10}, "_max": {"views": 10}},
        {"published": True, "_count": {"_all": 2}, "_sum": {"views": 20}, "_max": {"views": 20}},
    ]
    having = db.post.group_by(["authorId"], count={"_all": True}, having={"views": {"_sum": {"gt": 15}}})
    assert having == [{"authorId": blog["bob"].id, "_count": {"_all": 1}}]
    avg = db.user.group_by(["role"], avg={"age": True}, order={"role": "asc"}, where={"age": {"not": None}})
    assert sorted((g["role"], g["_avg"]["age"]) for g in avg) == [("ADMIN", 30.0), ("USER", 25.0)]


def test_include_cursor_pagination(db):
    """prisma-client-py's include pagination: cursor with take 1 / -1 and skip 1."""
    user = db.user.create(data={"email": "p@x.io", "posts": {"create": [{"title": f"Post {i}"} for i in range(1, 5)]}},
                          include={"posts": True})
    posts = user.posts
    assert [p.title for p in posts] == ["Post 1", "Post 2", "Post 3", "Post 4"]  # by primary key
    forward = db.user.find_unique_or_raise(where={"id": user.id}, include={"posts": {"cursor": {"id": posts[0].id}, "take": 1, "skip": 1}})
    assert [p.id for p in forward.posts] == [posts[1].id]
    backward = db.user.find_unique_or_raise(where={"id": user.id}, include={"posts": {"cursor": {"id": posts[1].id}, "take": -1, "skip": 1}})
    assert [p.id for p in backward.posts] == [posts[0].id]
    last_two = db.user.find_unique_or_raise(where={"id": user.id}, include={"posts": {"take": -2}})
    assert [p.title for p in last_two.posts] == ["Post 3", "Post 4"]


def test_read_models_behave_as_validated_ones(db, blog):
    """Read models are built without validation (reads.models_and_records): pydantic's equality,
    copies, dumps, pickling and fields-set must still see the state model_validate leaves."""
    import pickle

    posts = db.post.find_many(include={"author": True}, order={"id": "asc"})
    post = posts[0]
    cls = type(post)
    again = cls.model_validate(post.model_dump())
    assert post == again and post.model_dump() == again.model_dump()
    assert post.model_fields_set == set(cls.model_fields)
    assert post.author is not None and post.author.email == "alice@x.io"
    assert post.author.model_fields_set == set(type(post.author).model_fields)
    assert pickle.loads(pickle.dumps(post)) == post
    copy = post.model_copy(update={"title": "changed"})
    assert copy.title == "changed" and post.title == "Hello World" and copy != post
    assert post.__pydantic_extra__ is None and post.__pydantic_private__ is None
    assert [p.author.name if p.author else None for p in posts] == ["Alice", "Alice", "Bob"]
