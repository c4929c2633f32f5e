"""Schema shapes: implicit m:n self-relations (A/B as Prisma assigns them), compound ids and
compound foreign keys, `@map`ped enum values."""

from __future__ import annotations


def test_self_many_to_many_columns(db, provider):
    plankton = db.animal.create(data={"name": "Plankton"})
    salmon = db.animal.create(data={"name": "Salmon", "a_eats": {"connect": [{"id": plankton.id}]}})
    db.animal.create(data={"name": "Bear", "a_eats": {"connect": [{"name": "Salmon"}]}})
    q = "`" if provider == "mysql" else '"'
    rows = db.query_raw(f"SELECT {q}A{q} AS a, {q}B{q} AS b FROM {q}_FoodChain{q}")
    ids = {a.id: a.name for a in db.animal.find_many()}
    assert sorted((ids[r["a"]], ids[r["b"]]) for r in rows) == [("Plankton", "Salmon"), ("Salmon", "Bear")]
    found = db.animal.find_unique_or_raise(where={"id": salmon.id}, include={"a_eats": True, "b_eatenBy": True})
    assert [a.name for a in found.a_eats] == ["Plankton"] and [a.name for a in found.b_eatenBy] == ["Bear"]
    assert [a.name for a in db.animal.find_many(where={"b_eatenBy": {"some": {"name": "Bear"}}})] == ["Salmon"]


def test_compound_ids_and_foreign_keys(db):
    db.zoo.create(data={"city": "Berlin", "name": "Tierpark"})
    zoo = db.zoo.create(data={"city": "Berlin", "name": "Zoo"})
    animal = db.animal.create(data={"name": "Panda"})
    visit = db.visit.create(
        data={"zoo": {"connect": {"city_name": {"city": "Berlin", "name": "Zoo"}}}, "animal": {"connect": {"id": animal.id}}},
        include={"zoo": True},
    )
    assert visit.zooCity == "Berlin" and visit.zoo is not None and visit.zoo.name == "Zoo"
    zoos = db.zoo.find_many(include={"visits": {"include": {"animal": True}}}, order={"name": "asc"})
    assert [(z.name, [v.animal.name for v in z.visits]) for z in zoos] == [("Tierpark", []), ("Zoo", ["Panda"])]
    assert db.zoo.find_unique(where={"city_name": {"city": "Berlin", "name": "Zoo"}}) == zoo.model_copy(update={})
    assert db.zoo.count(where={"visits": {"some": {"animal": {"is": {"name": "Panda"}}}}}) == 1
    assert db.zoo.delete(where={"city_name": {"city": "Berlin", "name": "Tierpark"}}) is not None


def test_mapped_enum_values(db, client_module, provider):
    Level = client_module.enums.Level
    high = db.animal.create(data={"name": "Tiger", "level": Level.HIGH})
    db.animal.create(data={"name": "Cat"})
    assert high.level is Level.HIGH
    assert [a.name for a in db.animal.find_many(where={"level": "HIGH"})] == ["Tiger"]
    assert [a.name for a in db.animal.find_many(where={"level": {"in": [Level.LOW]}})] == ["Cat"]
    q = "`" if provider == "mysql" else '"'
    stored = db.query_raw(f"SELECT {q}level{q} AS level FROM {q}Animal{q} WHERE {q}name{q} = " + ("$1" if provider == "postgresql" else "?"), "Tiger")
    assert stored == [{"level": "high"}]
    groups = db.animal.group_by(["level"], count=True, order={"level": "asc"})
    assert sorted((g["level"], g["_count"]["_all"]) for g in groups) == [(Level.HIGH, 1), (Level.LOW, 1)]
    assert all(isinstance(g["level"], Level) for g in groups)
