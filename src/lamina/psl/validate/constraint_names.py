"""Constraint-name namespaces: which database names must be unique, and where (per provider).

PostgreSQL: primary keys, indexes and unique constraints share one namespace per schema;
a model's primary key must also differ from its indexes and foreign keys. SQLite: indexes
and unique constraints are global. MySQL: foreign keys are global; indexes per table.
"""

from __future__ import annotations

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
    """Made once per validation; checks every primary key, index and foreign key. Nothing is
    kept per model (a model's own names are read again where a check needs them: a few per
    model), and the spans of the messages are worked out only for a clash (an attribute's span
    scans the text)."""

    def __init__(self, ctx: Context, fk_names: dict[int, str]) -> None:
        self.ctx = ctx
        self.fk_names = fk_names  # id(FieldInfo of the FK side) -> constraint name
        self.kinds, self.scope = GLOBAL_SCOPES.get(ctx.provider or "", (set(), ""))
        self.multi_schema = ctx.provider in MULTI_SCHEMA
        self.model_scope = MODEL_SCOPES.get(ctx.provider or "")
        self.mysql = ctx.provider == "mysql"
        # How many models' constraints have each name, by (schema, name) where namespaces are
        # per schema, else by name alone.
        self.global_counts: dict[object, int] = {}
        kinds = self.kinds
        if not kinds:
            return
        counts = self.global_counts
        count_pk, count_fk = "pk" in kinds, "fk" in kinds
        count_key, count_idx = "key" in kinds, "idx" in kinds
        for model in ctx.models.values():
            if model.is_view:
                continue
            schema = model.schema
            multi = self.multi_schema
            pk = model.pk
            if count_pk and pk is not None and pk.db_name:
                key: object = (schema, pk.db_name) if multi else pk.db_name
                counts[key] = counts.get(key, 0) + 1
            if count_key or count_idx:
                for idx in model.indexes:
                    if count_key if idx.kind is dm.IndexKind.UNIQUE else count_idx:
                        key = (schema, idx.db_name) if multi else idx.db_name
                        counts[key] = counts.get(key, 0) + 1
            if count_fk:
                for info in model.relations:
                    name = fk_names.get(id(info))
                    if name is not None:
                        key = (schema, name) if multi else name
                        counts[key] = counts.get(key, 0) + 1

    def _message(self, label: str, name: str, scope: str) -> str:
        return (
            f'Error parsing attribute "{label}": The given constraint name `{name}` has to be unique in the following '
            f"namespace: {scope}. Please provide a different name using the `map` argument."
        )

    def _global_clash(self, model: ModelInfo, kind: str, name: str) -> bool:
        if kind not in self.kinds:
            return False
        key: object = (model.schema, name) if self.multi_schema else name
        return self.global_counts.get(key, 0) > 1

    def _fk_count(self, model: ModelInfo, name: str) -> int:
        """How many of the model's foreign keys are named `name`."""
        fk_names = self.fk_names
        count = 0
        for info in model.relations:
            if fk_names.get(id(info)) == name:
                count += 1
        return count

    def check_primary_key(self, model: ModelInfo) -> None:
        pk = model.pk
        if pk is None or not pk.db_name or model.is_view:
            return
        label = "@id" if pk.on_field is not None else "@@id"
        if self._global_clash(model, "pk", pk.db_name):
            self.ctx.error(self._message(label, pk.db_name, self.scope), self._span(pk.attribute, pk.map))
        model_scope = self.model_scope
        if model_scope:
            if any(idx.db_name == pk.db_name for idx in model.indexes) or self._fk_count(model, pk.db_name):
                self.ctx.error(
                    self._message(label, pk.db_name, model_scope.format(model=model.name)), self._span(pk.attribute, pk.map)
                )

    def _span(self, attr: ast.Attribute, map_name: str | None) -> ast.Span:
        """The `map:` argument that gave the name, else the whole attribute (Prisma 7.10.1, seen)."""
        if map_name is not None:
            return self.ctx.argument_span(attr, "map")
        return self.ctx.aspan(attr)

    def check_index(self, model: ModelInfo, idx: IndexInfo) -> None:
        if model.is_view:
            return
        if self._global_clash(model, _kind(idx), idx.db_name):
            self.ctx.error(self._message(self._label(idx), idx.db_name, self.scope), self._span(idx.attribute, idx.map))
        if self.mysql:
            same = [i for i in model.indexes if i.db_name == idx.db_name]
            if len(same) > 1:
                self.ctx.error(
                    self._message(self._label(idx), idx.db_name, MYSQL_MODEL_SCOPE.format(model=model.name)),
                    self._span(idx.attribute, idx.map),
                )

    @staticmethod
    def _label(idx: IndexInfo) -> str:
        return ("@" if idx.on_field is not None else "@@") + idx.attribute.name

    def check_foreign_key(self, model: ModelInfo, info: FieldInfo, attr: ast.Attribute | None) -> None:
        name = self.fk_names.get(id(info))
        if name is None:
            return
        if self._global_clash(model, "fk", name):
            self.ctx.error(self._message("@relation", name, self.scope), self._fk_span(info, attr))
        model_scope = self.model_scope
        if model_scope:
            count = self._fk_count(model, name)
            for idx in model.indexes:
                if idx.db_name == name:
                    count += 1
            if count > 1:
                self.ctx.error(self._message("@relation", name, model_scope.format(model=model.name)), self._fk_span(info, attr))

    def _fk_span(self, info: FieldInfo, attr: ast.Attribute | None) -> ast.Span:
        """The `map:` argument that gave the name, else the field from its name through the end
        of its line, with or without an `@relation` (Prisma 7.10.1, seen)."""
        if attr is not None and info.relation and info.relation.map:
            return self.ctx.argument_span(attr, "map")
        start = info.span.start
        return self.ctx.through_line_end(ast.Span(start, start, info.span.file))
