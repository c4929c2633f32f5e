"""The runtime's view of the schema, built once from the literal the generator writes to `_meta.py`.

The generated package holds plain data (no import of the validator at run time); `Schema`
turns it into objects with everything the query compiler asks for precomputed: column
lists, unique keys by name, relation join columns.

A relation is described the same way whichever side holds the foreign key: rows of the
related model match when `related.<remote>` equals `this.<local>` (column by column).
For an implicit m:n relation `local`/`remote` are the two ids and `join` names the `_AToB`
table with the column pointing at this model (`join_self`) and at the other (`join_other`).
"""

from __future__ import annotations

from typing import Any


class FieldMeta:
    __slots__ = ("name", "db_name", "type", "required", "is_list", "default", "default_args", "updated_at", "is_id", "autoinc",
                 "enum", "enum_db", "enum_py")

    def __init__(self, spec: dict[str, Any]) -> None:
        self.name: str = spec["name"]
        self.db_name: str = spec["db"]
        self.type: str = spec["type"]  # scalar type name, or "Enum"
        self.enum: str | None = spec.get("enum")
        self.enum_db: dict[str, str] | None = spec.get("enum_db")  # value name -> database value, when `@map`ped
        self.enum_py: dict[str, str] | None = {v: k for k, v in self.enum_db.items()} if self.enum_db else None
        self.required: bool = spec.get("required", True)
        self.is_list: bool = spec.get("list", False)
        self.default: str | None = spec.get("default")  # DefaultKind value: now, cuid, uuid, value, autoincrement...
        self.default_args: list[Any] = spec.get("default_args", [])
        self.updated_at: bool = spec.get("updated_at", False)
        self.is_id: bool = spec.get("id", False)
        self.autoinc = self.default == "autoincrement"


class RelationMeta:
    __slots__ = ("name", "model", "related", "to_many", "local", "remote", "holds_fk", "join", "join_self", "join_other", "required")

    def __init__(self, model: str, spec: dict[str, Any]) -> None:
        self.name: str = spec["name"]
        self.model = model
        self.related: str = spec["related"]
        self.to_many: bool = spec["to_many"]
        self.required: bool = spec.get("required", False)
        self.local: list[str] = spec["local"]  # field names on this model
        self.remote: list[str] = spec["remote"]  # field names on the related model
        self.holds_fk: bool = spec.get("holds_fk", False)  # this model's `local` columns are the FK
        self.join: str | None = spec.get("join")
        self.join_self: str | None = spec.get("join_self")
        self.join_other: str | None = spec.get("join_other")


class ModelMeta:
    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        self.name = name
        self.db_name: str = spec["table"]
        self.db_schema: str | None = spec.get("schema")
        self.scalars: list[FieldMeta] = [FieldMeta(f) for f in spec["fields"]]
        self.fields: dict[str, FieldMeta] = {f.name: f for f in self.scalars}
        self.relations: dict[str, RelationMeta] = {r["name"]: RelationMeta(name, r) for r in spec.get("relations", [])}
        self.pk: list[str] = spec["pk"]
        # Every unique criterion by its client name: "email" -> [email], "orgId_email" -> [orgId, email].
        self.uniques: dict[str, list[str]] = dict(spec["uniques"])
        self.instance_name: str = spec.get("instance_name") or name.lower()  # the client's attribute
        self.is_view: bool = spec.get("view", False)  # a database view: read-only
        self.shard_key: list[str] = spec.get("shard_key", [])  # `@shardKey`/`@@shardKey` fields (MySQL, metadata only)
        self.compounds = {k: v for k, v in self.uniques.items() if len(v) > 1 or k not in self.fields}
        self.scalar_names: list[str] = [f.name for f in self.scalars]
        self.relation_names: list[str] = list(self.relations)
        self.rel_none: dict[str, None] = dict.fromkeys(self.relation_names)
        self.rel_keys: tuple[str, ...] = tuple(self.relation_names)
        self.all_fields_set: set[str] = set(self.scalar_names) | set(self.relation_names)
        self.n_fields = len(self.all_fields_set)
        self.cls: Any = None  # the pydantic model class, bound by the generated `models` module
        self.enum_classes: dict[str, Any] = {}
        self.cache: dict[Any, Any] = {}  # compiled SQL by (dialect, shape)

    def field_or_error(self, name: str) -> FieldMeta:
        try:
            return self.fields[name]
        except KeyError:
            from .errors import FieldNotFoundError

            raise FieldNotFoundError(f"Field '{name}' does not exist on model {self.name}", code="P2009") from None


class Schema:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.provider: str = spec["provider"]
        self.url_env: str | None = spec.get("url_env")
        self.url: str | None = spec.get("url")
        self.schema_dir: str | None = spec.get("schema_dir")  # relative to the package folder
        self.sqlite_timestamps: str = spec.get("sqlite_timestamp_format", "unixepoch-ms")
        self.models: dict[str, ModelMeta] = {n: ModelMeta(n, m) for n, m in spec["models"].items()}
        preview = set(spec.get("preview_features", ()))
        self.relation_joins = "relationJoins" in preview  # includes in one statement by default (joins.py)
        self.native_distinct = "nativeDistinct" in preview  # `distinct` as DISTINCT ON on PostgreSQL
        self.server_is_mariadb: bool | None = None  # MySQL only: asked by the first joined read

    def bind(self, classes: dict[str, Any], enums: Any = None) -> None:
        enum_classes = {n: getattr(enums, n) for n in dir(enums) if not n.startswith("_")} if enums else {}
        for name, cls in classes.items():
            self.models[name].cls = cls
            self.models[name].enum_classes = enum_classes
