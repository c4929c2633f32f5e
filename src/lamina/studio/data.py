"""The studio's data: every read and write goes through a client generated for the project's
schema, so rows are validated exactly as the application's own client validates them (types,
enums, required fields, defaults, unique and foreign-key errors), and every value is bound.

`Studio.open(loaded, url)` generates that client into a private temporary folder and
connects it; the pages call the methods below with form values (text) and get rows back.
"""

from __future__ import annotations

import base64
import importlib
import json
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lamina.datamodel import Arity, Datamodel, Model, Relation, RelationField, ScalarField

PAGE_SIZES = (25, 50, 100, 200)
FILTER_OPS = ("equals", "not", "contains", "startsWith", "gt", "gte", "lt", "lte", "in", "null", "notnull")


class InputError(Exception):
    """A value typed into the studio that is not a value of its field's type."""


@dataclass
class Page:
    rows: list[dict[str, Any]]  # scalar values by field name
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def parse_value(field: ScalarField, text: str, tz_offset_minutes: int = 0) -> Any:
    """A form's text as a value of `field`'s type. DateTime comes from the browser's local time
    (`datetime-local`), shifted to UTC by the browser's offset."""
    kind = field.enum and "Enum" or (field.type.value if field.type else "Unsupported")
    text = text.strip() if kind not in ("String", "Json") else text
    try:
        if kind in ("Int", "BigInt"):
            return int(text)
        if kind == "Float":
            return float(text)
        if kind == "Decimal":
            return Decimal(text)
        if kind == "Boolean":
            if text.lower() not in ("true", "false"):
                raise ValueError
            return text.lower() == "true"
        if kind == "DateTime":
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if value.tzinfo is None:  # the browser's local time
                value = (value + timedelta(minutes=tz_offset_minutes)).replace(tzinfo=timezone.utc)
            return value
        if kind == "Json":
            return json.loads(text)
        if kind == "Bytes":
            return base64.b64decode(text, validate=True)
    except (ValueError, InvalidOperation, json.JSONDecodeError) as exc:
        detail = f": {exc.msg}" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputError(f"`{field.name}` needs a value of type {kind}, not {text!r}{detail}.") from None
    return text  # String, Enum (the client checks the value), Unsupported


def display(value: Any) -> str:
    """A value as the table shows it (DateTime as ISO 8601 UTC: the page shows it in local time)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "decode") and type(value).__name__ == "Base64":  # the client's Base64
        return str(value)
    if hasattr(value, "value") and type(value).__module__.endswith("enums"):
        return str(value.value)
    return str(value)


class Studio:
    def __init__(self, dm: Datamodel, client: Any, folder: tempfile.TemporaryDirectory[str]) -> None:
        self.dm = dm
        self.db = client
        self._folder = folder
        self.models = {m.name: m for m in dm.models if not m.ignored}

    @classmethod
    def open(cls, loaded: Any, url: str) -> "Studio":
        from lamina.client.generate import GeneratorRun, generate_one

        folder = tempfile.TemporaryDirectory(prefix="lamina-studio-")
        package = f"lamina_studio_{uuid.uuid4().hex[:12]}"
        generate_one(loaded, GeneratorRun("studio", Path(folder.name) / package, "sync"))
        sys.path.insert(0, folder.name)
        try:
            module = importlib.import_module(package)
        finally:
            sys.path.remove(folder.name)
        client = module.Prisma(datasource={"url": url})
        client.connect()
        return cls(loaded.datamodel, client, folder)

    def close(self) -> None:
        self.db.disconnect()
        self._folder.cleanup()

    # ---------------------------------------------------------------- schema facts the pages need

    def model(self, name: str) -> Model:
        try:
            return self.models[name]
        except KeyError:
            raise InputError(f"There is no model {name!r} in the schema.") from None

    @staticmethod
    def scalars(model: Model) -> list[ScalarField]:
        return [f for f in model.fields if isinstance(f, ScalarField) and not f.ignored and f.unsupported is None]

    @staticmethod
    def relations(model: Model) -> list[RelationField]:
        return [f for f in model.fields if isinstance(f, RelationField) and not f.ignored]

    def relation_of(self, model: Model, field: RelationField) -> Relation | None:
        """The schema's relation a relation field of `model` is a side of."""
        return next((r for r in self.dm.relations
                     if (r.referencing_model == model.name and r.referencing_field == field.name)
                     or (r.referenced_model == model.name and r.back_field == field.name)), None)

    def enum_values(self, field: ScalarField) -> list[str]:
        enum = self.dm.enum(field.enum) if field.enum else None
        return [v.name for v in enum.values] if enum else []

    def key_of(self, model: Model, row: dict[str, Any]) -> dict[str, Any]:
        """The row's primary key (or first unique) as a `where` for find_unique/update/delete."""
        names = [f.name for f in model.primary_key.fields] if model.primary_key else \
            [ix.fields[0].name for ix in model.indexes if ix.kind.value == "unique"][:1]
        return {n: row[n] for n in names}

    def actions(self, model: Model) -> Any:
        return getattr(self.db, self.db._schema.models[model.name].instance_name)

    # ---------------------------------------------------------------- reads

    def counts(self) -> dict[str, int]:
        return {name: self.actions(m).count() for name, m in self.models.items()}

    def where_from(self, model: Model, filters: dict[str, tuple[str, str]], raw: str | None) -> dict[str, Any]:
        """The client's where-syntax from the page's filters ({field: (op, text)}) and a raw `where` JSON."""
        where: dict[str, Any] = {}
        if raw:
            try:
                parsed = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InputError(f"The where filter is not JSON: {exc.msg}.") from None
            if not isinstance(parsed, dict):
                raise InputError("The where filter must be a JSON object.")
            where.update(parsed)
        fields = {f.name: f for f in self.scalars(model)}
        for name, (op, text) in filters.items():
            field = fields.get(name)
            if field is None or op not in FILTER_OPS:
                raise InputError(f"Cannot filter {model.name} by {name!r} with {op!r}.")
            if op == "null":
                where[name] = None
            elif op == "notnull":
                where[name] = {"not": None}
            elif op == "in":
                where[name] = {"in": [parse_value(field, t) for t in text.split(",") if t.strip()]}
            else:
                where[name] = {op: parse_value(field, text)}
        return where

    def page(self, model: Model, where: dict[str, Any], sort: str | None, desc: bool, page: int, per_page: int) -> Page:
        actions = self.actions(model)
        names = {f.name for f in self.scalars(model)}
        order = [{sort: "desc" if desc else "asc"}] if sort in names else None
        total = actions.count(where=where)
        page = max(1, min(page, max(1, -(-total // per_page))))
        args: dict[str, Any] = {"where": where, "take": per_page, "skip": (page - 1) * per_page}
        if order:
            args["order"] = order
        records = actions.find_many(**args)
        return Page([{n: getattr(rec, n) for n in names} for rec in records], total, page, per_page)

    def row(self, model: Model, key: dict[str, Any]) -> dict[str, Any] | None:
        rec = self.actions(model).find_unique(where=self._typed_key(model, key))
        if rec is None:
            return None
        return {f.name: getattr(rec, f.name) for f in self.scalars(model)}

    def _typed_key(self, model: Model, key: dict[str, Any]) -> dict[str, Any]:
        """A key from a URL (JSON) with values of the fields' types (a DateTime id arrives as text)."""
        fields = {f.name: f for f in self.scalars(model)}
        typed = {}
        for name, value in key.items():
            if name not in fields:
                raise InputError(f"{model.name} has no field {name!r}.")
            typed[name] = parse_value(fields[name], value) if isinstance(value, str) and fields[name].type and \
                fields[name].type.value not in ("String",) and not fields[name].enum else value
        if len(typed) > 1:  # a compound key: the client's criterion for it (`orgId_email`, or its `name:`)
            uniques = self.db._schema.models[model.name].uniques
            name = next((n for n, fields in uniques.items() if set(fields) == set(typed) and len(fields) > 1),
                        "_".join(typed))
            return {name: typed}
        return typed

    # ---------------------------------------------------------------- writes

    def data_from_form(self, model: Model, form: dict[str, str], creating: bool, tz_offset: int) -> dict[str, Any]:
        """Field values from a form. Left empty on create: omitted (its default applies, or the
        client says it is required). On edit: an empty text is "", an empty other value of an
        optional field is null; the NULL box sets an optional field to null."""
        data: dict[str, Any] = {}
        for field in self.scalars(model):
            if field.is_updated_at or field.name not in form:
                continue
            text = form[field.name]
            if form.get(f"{field.name}.__null") == "on":
                data[field.name] = None
            elif text == "" and creating:
                continue
            elif text == "" and (field.enum or field.type is None or field.type.value != "String"):
                if field.arity == Arity.OPTIONAL:
                    data[field.name] = None
            else:
                data[field.name] = parse_value(field, text, tz_offset)
        return data

    def create(self, model: Model, data: dict[str, Any]) -> dict[str, Any]:
        rec = self.actions(model).create(data=data)
        return self.key_of(model, {f.name: getattr(rec, f.name) for f in self.scalars(model)})

    def update(self, model: Model, key: dict[str, Any], data: dict[str, Any]) -> None:
        self.actions(model).update(where=self._typed_key(model, key), data=data)

    def delete(self, model: Model, key: dict[str, Any]) -> None:
        self.actions(model).delete(where=self._typed_key(model, key))
