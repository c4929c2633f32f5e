"""Stand-in DDL for the client tests while the engine's renderer is not there: Prisma's
conventions (quoted model names, TEXT ids, `_AToB` join tables with A/B), enough for the
client to be exercised. `helpers.create_tables` prefers the engine when it is available."""

from __future__ import annotations

from lamina.datamodel import Arity, Datamodel, DefaultKind, ScalarType
from lamina.client.generator.meta import client_models, relation_spec, relation_fields, scalar_fields

_TYPES = {
    "sqlite": {ScalarType.STRING: "TEXT", ScalarType.INT: "INTEGER", ScalarType.BIGINT: "BIGINT", ScalarType.FLOAT: "REAL",
               ScalarType.DECIMAL: "DECIMAL", ScalarType.BOOLEAN: "BOOLEAN", ScalarType.DATETIME: "DATETIME",
               ScalarType.JSON: "JSONB", ScalarType.BYTES: "BLOB"},
    "mysql": {ScalarType.STRING: "VARCHAR(191)", ScalarType.INT: "INTEGER", ScalarType.BIGINT: "BIGINT",
              ScalarType.FLOAT: "DOUBLE", ScalarType.DECIMAL: "DECIMAL(65,30)", ScalarType.BOOLEAN: "BOOLEAN",
              ScalarType.DATETIME: "DATETIME(3)", ScalarType.JSON: "JSON", ScalarType.BYTES: "LONGBLOB"},
    "postgresql": {ScalarType.STRING: "TEXT", ScalarType.INT: "INTEGER", ScalarType.BIGINT: "BIGINT",
                   ScalarType.FLOAT: "DOUBLE PRECISION", ScalarType.DECIMAL: "DECIMAL(65,30)", ScalarType.BOOLEAN: "BOOLEAN",
                   ScalarType.DATETIME: "TIMESTAMP(3)", ScalarType.JSON: "JSONB", ScalarType.BYTES: "BYTEA"},
}


QUOTE = '"'


def q(name: str) -> str:
    return QUOTE + name + QUOTE


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def script(dm: Datamodel, provider: str) -> list[str]:
    global QUOTE
    QUOTE = "`" if provider == "mysql" else '"'
    out: list[str] = []
    if provider == "postgresql":
        for e in dm.enums:
            out.append(f"CREATE TYPE {q(e.db_name)} AS ENUM ({', '.join(_literal(v.db_name) for v in e.values)})")
    joins: dict[str, str] = {}
    for m in client_models(dm):
        cols = []
        pk = m.primary_key
        single_auto = False
        for f in scalar_fields(m):
            if f.type is None and provider == "mysql":
                t = "ENUM(" + ", ".join(_literal(v.db_name) for v in dm.enum(f.enum or "").values) + ")"  # type: ignore[union-attr]
            elif f.type is None:
                t = "TEXT" if provider == "sqlite" else q(dm.enum(f.enum or "").db_name)  # type: ignore[union-attr]
            else:
                t = _TYPES[provider][f.type]
            if f.arity is Arity.LIST:
                t += "[]"
            col = f"{q(f.db_name)} {t}"
            if f.default and f.default.kind is DefaultKind.AUTOINCREMENT:
                if provider == "sqlite":
                    col = f"{q(f.db_name)} INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT"
                    single_auto = True
                    cols.append(col)
                    continue
                col = (f"{q(f.db_name)} {t} AUTO_INCREMENT" if provider == "mysql"
                       else f"{q(f.db_name)} {'BIGSERIAL' if f.type is ScalarType.BIGINT else 'SERIAL'}")
            if f.arity is Arity.REQUIRED:
                col += " NOT NULL"
            if f.default and f.default.kind is DefaultKind.VALUE and not isinstance(f.default.value, list):
                col += f" DEFAULT {_literal(f.default.value)}"
            if f.default and f.default.kind is DefaultKind.NOW:
                col += " DEFAULT CURRENT_TIMESTAMP(3)" if provider == "mysql" else " DEFAULT CURRENT_TIMESTAMP"
            cols.append(col)
        if pk and not single_auto:
            cols.append(f"CONSTRAINT {q(m.db_name + '_pkey')} PRIMARY KEY ({', '.join(q(m.field(x.name).db_name) for x in pk.fields)})")  # type: ignore[union-attr]
        for rf in relation_fields(dm, m):
            spec = relation_spec(dm, m, rf)
            if spec.get("holds_fk"):
                r = dm.model(rf.related_model)
                assert r is not None
                on_delete = (rf.on_delete.value if rf.on_delete else ("Restrict" if rf.arity is Arity.REQUIRED else "SetNull"))
                action = {"Cascade": "CASCADE", "Restrict": "RESTRICT", "SetNull": "SET NULL", "NoAction": "NO ACTION", "SetDefault": "SET DEFAULT"}[on_delete]
                cols.append(
                    f"FOREIGN KEY ({', '.join(q(m.field(x).db_name) for x in spec['local'])}) "  # type: ignore[union-attr]
                    f"REFERENCES {q(r.db_name)} ({', '.join(q(r.field(x).db_name) for x in spec['remote'])}) "  # type: ignore[union-attr]
                    f"ON DELETE {action} ON UPDATE CASCADE"
                )
            elif spec.get("join") and spec["join"] not in joins:
                a_model = m if spec["join_self"] == "A" else dm.model(rf.related_model)
                b_model = dm.model(rf.related_model) if spec["join_self"] == "A" else m
                def idtype(model):  # noqa: ANN001, ANN202
                    f = model.field(model.primary_key.fields[0].name)
                    return "INTEGER" if f.type is ScalarType.INT else _TYPES[provider][ScalarType.STRING]
                joins[spec["join"]] = (
                    f"CREATE TABLE {q(spec['join'])} ("
                    f'{q("A")} {idtype(a_model)} NOT NULL REFERENCES {q(a_model.db_name)} ({q(a_model.field(a_model.primary_key.fields[0].name).db_name)}) ON DELETE CASCADE, '
                    f'{q("B")} {idtype(b_model)} NOT NULL REFERENCES {q(b_model.db_name)} ({q(b_model.field(b_model.primary_key.fields[0].name).db_name)}) ON DELETE CASCADE, '
                    f'PRIMARY KEY ({q("A")}, {q("B")}))'
                )
        out.append(f"CREATE TABLE {q(m.db_name)} (\n    " + ",\n    ".join(cols) + "\n)")
        for idx in m.indexes:
            if idx.kind.value == "unique":
                out.append(f"CREATE UNIQUE INDEX {q(idx.db_name)} ON {q(m.db_name)} ({', '.join(q(m.field(x.name).db_name) for x in idx.fields)})")  # type: ignore[union-attr]
    out.extend(joins.values())
    return out
