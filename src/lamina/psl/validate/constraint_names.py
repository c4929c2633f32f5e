"""Constraint-name namespaces: which database names must be unique, and where (per provider).

PostgreSQL: primary keys, indexes and unique constraints share one namespace per schema;
a model's primary key must also differ from its indexes and foreign keys. SQLite: indexes
and unique constraints are global. MySQL: foreign keys are global; indexes per table.
"""

from __future__ import annotations

from collections import Counter

from lamina import datamodel as dm
from lamina.psl import ast
from lamina.psl.validate.context import Context, FieldInfo, IndexInfo, ModelInfo

MULTI_SCHEMA = {"postgresql", "cockroachdb", "sqlserver"}
GLOBAL_SCOPES = {
    "postgresql": ({"pk", "key", "idx"}, "global for primary key, indexes and unique constraints"),
    "cockroachdb": ({"pk", "key", "idx"}, "global for primary key, indexes and unique constraints"),
    "sqlite": ({"key", "idx"}, "global for indexes and unique constraints"),
    "mysql": ({"fk"}, "global for foreign keys"),
}
MODEL_SCOPES = {
    "postgresql": "on model `{model}` for primary key, indexes, unique constraints and foreign keys",
    "cockroachdb": "on model `{model}` for primary key, indexes, unique constraints and foreign keys",
}
MYSQL_MODEL_SCOPE = "on model `{model}` for indexes and unique constraints"


def _kind(idx: IndexInfo) -> str:
    return "key" if idx.kind is dm.IndexKind.UNIQUE else "idx"


class Namespaces:
    def __init__(self, ctx: Context, fk_names: dict[int, str]) -> None:
        self.ctx = ctx
        self.fk_names = fk_names  # id(FieldInfo of the FK side) -> constraint name
        self._cache: dict[int, list[tuple[str, str]]] = {}
        self.kinds, self.scope = GLOBAL_SCOPES.get(ctx.provider or "", (set(), ""))
        self.global_counts: Counter[tuple[str | None, str]] = Counter()
        for model in ctx.models.values():
            if model.is_view:
                continue
            for kind, name in self._names(model):
                if kind in self.kinds:
                    self.global_counts[(self._schema(model), name)] += 1

    def _schema(self, model: ModelInfo) -> str | None:
        return model.schema if self.ctx.provider in MULTI_SCHEMA else None

    def _names(self, model: ModelInfo) -> list[tuple[str, str]]:
        cached = self._cache.get(id(model))
        if cached is not None:
            return cached
        out = []
        if model.pk is not None and model.pk.db_name:
            out.append(("pk", model.pk.db_name))
        out.extend((_kind(idx), idx.db_name) for idx in model.indexes)
        for info in model.fields.values():
            if id(info) in self.fk_names:
                out.append(("fk", self.fk_names[id(info)]))
        self._cache[id(model)] = out
        return out

    def _message(self, label: str, name: str, scope: str) -> str:
        return (
            f'Error parsing attribute "{label}": The given constraint name `{name}` has to be unique in the following '
            f"namespace: {scope}. Please provide a different name using the `map` argument."
        )

    def _global_clash(self, model: ModelInfo, kind: str, name: str) -> bool:
        return kind in self.kinds and self.global_counts[(self._schema(model), name)] > 1

    def check_primary_key(self, model: ModelInfo) -> None:
        pk = model.pk
        if pk is None or not pk.db_name or model.is_view:
            return
        label = "@id" if pk.on_field is not None else "@@id"
        span = self.ctx.aspan(pk.attribute)
        if self._global_clash(model, "pk", pk.db_name):
            self.ctx.error(self._message(label, pk.db_name, self.scope), span)
        model_scope = MODEL_SCOPES.get(self.ctx.provider or "")
        if model_scope:
            others = [name for kind, name in self._names(model) if kind != "pk"]
            if pk.db_name in others:
                self.ctx.error(self._message(label, pk.db_name, model_scope.format(model=model.name)), span)

    def check_index(self, model: ModelInfo, idx: IndexInfo) -> None:
        if model.is_view:
            return
        label = ("@" if idx.on_field is not None else "@@") + idx.attribute.name
        span = self.ctx.aspan(idx.attribute)
        if self._global_clash(model, _kind(idx), idx.db_name):
            self.ctx.error(self._message(label, idx.db_name, self.scope), span)
        if self.ctx.provider == "mysql":
            same = [i for i in model.indexes if i.db_name == idx.db_name]
            if len(same) > 1:
                self.ctx.error(self._message(label, idx.db_name, MYSQL_MODEL_SCOPE.format(model=model.name)), span)

    def check_foreign_key(self, model: ModelInfo, info: FieldInfo, attr: ast.Attribute) -> None:
        name = self.fk_names.get(id(info))
        if name is None:
            return
        span = self.ctx.argument_span(attr, "map") if info.relation and info.relation.map else self.ctx.aspan(attr)
        if self._global_clash(model, "fk", name):
            self.ctx.error(self._message("@relation", name, self.scope), span)
        model_scope = MODEL_SCOPES.get(self.ctx.provider or "")
        if model_scope:
            names = [n for kind, n in self._names(model) if kind in ("fk", "key", "idx")]
            if names.count(name) > 1:
                self.ctx.error(self._message("@relation", name, model_scope.format(model=model.name)), span)
