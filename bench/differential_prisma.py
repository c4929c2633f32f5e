"""Differential test: Lamina against the real Prisma 7.10.1 CLI on seeded random schemas.

    python bench/differential_prisma.py [--seed 1] [--schemas 40] [--providers sqlite,postgresql,mysql]
                                        [--kinds empty,pair,format,validate,invalid] [--breaks 2-4] [--jobs 2]
                                        [--out /tmp/lamina_differential]

For each provider it generates `--schemas` valid schemas of the kind real projects have (every
scalar type and list, @db.* native types, defaults, @id/@@id, @unique/@@unique, @@index with
sort/length/type, @map/@@map, 1:1 / 1:n / implicit m:n / self / named relations with referential
actions and composite foreign keys, enums with @map, @@schema on postgresql, views, comments and
odd spacing), then runs both CLIs on the same files and compares stdout, stderr and exit code
byte for byte (Prisma's "Loaded Prisma config…" stderr lines and the "in 45ms" of `format` are
normalised away):

- `empty`:    `migrate diff --from-empty --to-schema S`, with and without `--script`;
- `pair`:     `migrate diff --from-schema A --to-schema B --script` (and the summary), B = A
              mutated (fields added, dropped, renamed, retyped, made optional, defaults, indexes,
              uniques, relations, enum values, map names);
- `format`:   `format` (stdout, stderr, exit code and the rewritten file);
- `validate`: `validate` on the valid schema;
- `invalid`:  `validate` and `format` on a subtly broken copy (typos, missing relation fields,
              bad attributes, duplicate names, wrong argument types): `--breaks` problems at once
              (default 2-4, each of another kind and in another model, so that the later
              validation stages are compared too; `--breaks 1`: one problem per schema).

MySQL runs `validate`/`format`/`invalid` only: the anchor's schema engine has no MySQL
connector. Every difference is written to `--out/<kind>-<provider>-<n>/` (schemas, both
outputs) and a tally is printed. Nothing here runs in CI: it needs Node and `../shared/anchors`
(it exits 0 saying so when they are absent), and each Prisma call takes about 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRISMA_SH = ROOT.parent / "shared" / "anchors" / "prisma" / "prisma.sh"
ANCHOR_DIR = Path(os.environ.get("PRISMA_ANCHOR_DIR", "/tmp/anchors/prisma"))

# ---------------------------------------------------------------------------------------------
# The schema model: small mutable records, rendered to text at the end.


@dataclass
class Field:
    name: str
    type: str
    arity: str = ""  # "", "?" or "[]"
    attrs: list[str] = field(default_factory=list)
    doc: str | None = None


@dataclass
class Block:
    keyword: str  # model, view or enum
    name: str
    fields: list[Field] = field(default_factory=list)  # enum values are Fields with type ""
    attrs: list[str] = field(default_factory=list)
    doc: str | None = None


@dataclass
class Schema:
    provider: str
    blocks: list[Block]
    schemas: list[str] = field(default_factory=list)
    preview: list[str] = field(default_factory=list)
    datasource_lines: list[str] = field(default_factory=list)  # extra lines (broken schemas)
    generator_lines: list[str] = field(default_factory=list)

    def block(self, name: str) -> Block:
        return next(b for b in self.blocks if b.name == name)


SCALARS = ["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"]

NATIVE = {
    "postgresql": {
        "String": ["VarChar(191)", "VarChar(32)", "Text", "Char(10)", "Uuid", "Xml", "Inet", "Bit(8)", "VarBit(4)"],
        "Int": ["SmallInt", "Integer", "Oid"],
        "BigInt": ["BigInt"],
        "Float": ["Real", "DoublePrecision"],
        "Decimal": ["Decimal(10, 2)", "Decimal(65, 30)", "Money"],
        "Boolean": ["Boolean"],
        "DateTime": ["Timestamp(6)", "Timestamptz(3)", "Date", "Time(0)", "Timetz(6)", "Timestamp"],
        "Json": ["Json", "JsonB"],
        "Bytes": ["ByteA"],
    },
    "mysql": {
        "String": ["VarChar(191)", "Text", "TinyText", "MediumText", "LongText", "Char(36)"],
        "Int": ["TinyInt", "SmallInt", "MediumInt", "Int", "UnsignedInt", "UnsignedSmallInt", "Year"],
        "BigInt": ["BigInt", "UnsignedBigInt"],
        "Float": ["Float", "Double"],
        "Decimal": ["Decimal(10, 2)"],
        "Boolean": ["TinyInt", "Bit(1)"],
        "DateTime": ["DateTime(3)", "Timestamp(0)", "Date", "Time(6)"],
        "Json": ["Json"],
        "Bytes": ["Blob", "LongBlob", "VarBinary(64)", "Binary(16)", "MediumBlob", "TinyBlob"],
    },
    "sqlite": {},
}

LITERALS = {
    "String": ['"hello"', '""', '"it\'s"', '"a \\"q\\""'],
    "Int": ["0", "42", "-7"],
    "BigInt": ["0", "9007199254740993"],
    "Float": ["1.5", "0", "-2.25"],
    "Decimal": ["2.50", "0", "10"],
    "Boolean": ["true", "false"],
    "DateTime": ['"2024-01-02T03:04:05.000Z"', '"2020-01-01T00:00:00+02:00"'],
    "Json": ['"{\\"a\\": 1}"', '"[]"'],
    "Bytes": ['""'],
}

WORDS = ["user", "post", "tag", "team", "order", "item", "note", "city", "price", "label", "score",
         "title", "status", "owner", "slug", "code", "count", "body", "level", "kind", "email", "url"]


def camel(words: list[str]) -> str:
    return words[0] + "".join(w.capitalize() for w in words[1:])


class Generator:
    """A seeded source of valid schemas for one provider, and of changes to them."""

    def __init__(self, seed: int, provider: str) -> None:
        self.rng = random.Random(f"{provider}:{seed}")
        self.provider = provider
        self.counter = 0

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def field_name(self, model: Block) -> str:
        taken = {f.name for f in model.fields}
        while True:
            name = camel(self.rng.sample(WORDS, self.rng.choice([1, 1, 2])))
            if name not in taken:
                return name

    # --- scalar fields --------------------------------------------------------------------

    def scalar_field(self, schema: Schema, model: Block, enums: list[Block]) -> Field:
        rng = self.rng
        types = SCALARS + [e.name for e in enums]
        ftype = rng.choice(types)
        f = Field(self.field_name(model), ftype)
        is_enum = ftype not in SCALARS
        lists_ok = self.provider == "postgresql" and ftype not in ("Json",)
        if lists_ok and self.chance(0.12):
            f.arity = "[]"
        elif self.chance(0.35):
            f.arity = "?"
        if not is_enum and self.provider in NATIVE and NATIVE[self.provider].get(ftype) and self.chance(0.4):
            native = rng.choice(NATIVE[self.provider][ftype])
            if not (f.arity == "[]" and native in ("Money", "Xml")):
                f.attrs.append(f"@db.{native}")
        if f.arity == "[]":
            if self.chance(0.3):
                f.attrs.insert(0, "@default([])")
            return f
        # Json defaults on SQLite: a known, deliberate divergence (tests/engine/test_scenarios.py DIVERGENCES)
        if self.chance(0.35) and not (ftype == "Json" and self.provider == "sqlite"):
            f.attrs.insert(0, f"@default({self.default_for(f, model, enums)})")
        elif ftype == "DateTime" and self.chance(0.2):
            f.attrs.append("@updatedAt")
        if ftype in ("String", "Int", "BigInt", "DateTime") and self.chance(0.12) and "@default" not in " ".join(f.attrs):
            f.attrs.append("@unique" if self.chance(0.7) else f'@unique(map: "{model.name}_{f.name}_uq")')
        if self.chance(0.15):
            f.attrs.append(f'@map("{f.name}_col")')
        return f

    def default_for(self, f: Field, model: Block, enums: list[Block]) -> str:
        rng = self.rng
        if f.type not in SCALARS:
            return rng.choice(self.enum_values(next(e for e in enums if e.name == f.type)))
        natives = " ".join(f.attrs)
        options = list(LITERALS[f.type])
        if f.type == "String" and "@db." not in natives.replace("@db.VarChar(191)", "").replace("@db.Text", ""):
            options += ["uuid()", "cuid()", "uuid(7)", "cuid(2)", "nanoid()", "ulid()"]
        if f.type == "String" and "Uuid" in natives:
            options = ["uuid()", 'dbgenerated("gen_random_uuid()")']
        if f.type == "String" and any(n in natives for n in ("Inet", "Bit", "VarBit", "Xml", "Char(10)")):
            options = ['"x"'] if "Char" in natives else ['dbgenerated("NULL")']
        if f.type == "DateTime":
            options += ["now()", "now()"]
        if f.type in ("Int", "BigInt") and self.provider == "postgresql" and self.chance(0.15):
            options.append("autoincrement()")
        if self.provider == "postgresql" and self.chance(0.1):
            options.append('dbgenerated("1")' if f.type in ("Int", "BigInt") else "dbgenerated()" if False else options[0])
        if f.type == "Json" and self.provider == "mysql":
            return rng.choice(['"{}"', '"[]"'])
        return rng.choice(options)

    @staticmethod
    def enum_values(enum: Block) -> list[str]:
        return [v.name for v in enum.fields]

    # --- whole schema ---------------------------------------------------------------------

    def enum(self) -> Block:
        name = self.fresh(self.rng.choice(["Role", "Status", "Kind", "Level"]))
        values = self.rng.sample(["ACTIVE", "INACTIVE", "PENDING", "ADMIN", "USER", "GUEST", "low", "high", "Draft"],
                                 self.rng.randint(1, 4))
        block = Block("enum", name, [Field(v, "") for v in values])
        for v in block.fields:
            if self.chance(0.2):
                v.attrs.append(f'@map("{v.name.lower()}_v")')
        if self.chance(0.2):
            block.attrs.append(f'@@map("{name.lower()}_enum")')
        return block

    def model(self, schema: Schema, enums: list[Block]) -> Block:
        rng = self.rng
        name = self.fresh(rng.choice(["User", "Post", "Account", "Invoice", "Product", "Comment", "Tag"]))
        model = Block("model", name)
        id_style = rng.choice(["int", "int", "uuid", "cuid", "compound", "string"])
        if id_style == "compound":
            model.fields += [Field("tenantId", "Int"), Field("code", "String", attrs=["@db.VarChar(64)"] if self.provider != "sqlite" else [])]
            model.attrs.append("@@id([tenantId, code])" if self.chance(0.7) else f'@@id([tenantId, code], map: "{name}_pk")')
        elif id_style == "int":
            attrs = ["@id", "@default(autoincrement())"] if self.chance(0.8) else ["@id"]
            if self.chance(0.1):
                attrs[0] = f'@id(map: "{name}_pk")'
            model.fields.append(Field("id", rng.choice(["Int", "Int", "BigInt"]) if self.provider != "sqlite" else "Int", attrs=attrs))
        else:
            default = {"uuid": "uuid()", "cuid": "cuid()", "string": None}[id_style]
            attrs = ["@id"] + ([f"@default({default})"] if default else [])
            if id_style == "uuid" and self.provider == "postgresql" and self.chance(0.5):
                attrs.append("@db.Uuid")
            model.fields.append(Field("id", "String", attrs=attrs))
        for _ in range(rng.randint(1, 6)):
            model.fields.append(self.scalar_field(schema, model, enums))
        if self.chance(0.3):
            model.fields.append(Field("createdAt", "DateTime", attrs=["@default(now())"] + (["@map(\"created_at\")"] if self.chance(0.5) else [])))
        self.block_indexes(model)
        if self.chance(0.25):
            model.attrs.append(f'@@map("{name.lower()}s")')
        if self.chance(0.2):
            model.doc = f"/// The {name} records."
        for f in model.fields:
            if self.chance(0.1):
                f.doc = f"/// About {f.name}."
        return model

    def indexable(self, model: Block) -> list[Field]:
        return [f for f in model.fields if f.arity != "[]" and f.type in ("String", "Int", "BigInt", "DateTime", "Boolean", "Float", "Decimal")
                and not any(a.startswith("@db.Text") or "Xml" in a or "Blob" in a or "Text" in a for a in f.attrs)]

    def block_indexes(self, model: Block) -> None:
        rng = self.rng
        candidates = self.indexable(model)
        if not candidates:
            return
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            cols = rng.sample(candidates, min(len(candidates), rng.randint(1, 2)))
            parts = []
            for c in cols:
                part = c.name
                if self.chance(0.25):
                    part += "(sort: Desc)"
                elif self.provider == "mysql" and c.type == "String" and self.chance(0.3):
                    part += "(length: 10)"
                parts.append(part)
            args = "[" + ", ".join(parts) + "]"
            kind = rng.choice(["@@index", "@@index", "@@unique"])
            if self.chance(0.2):
                args += f', map: "{model.name.lower()}_{"_".join(c.name for c in cols)}_{kind[2:]}"'
            elif kind == "@@unique" and self.chance(0.2):
                args += f', name: "{"_".join(c.name for c in cols)}Key"'
            if kind == "@@index" and self.provider == "postgresql" and self.chance(0.15):
                args += ", type: Hash" if len(cols) == 1 and "sort" not in args else ", type: BTree"
            model.attrs.append(f"{kind}({args})")

    def relation(self, schema: Schema, parent: Block, child: Block) -> None:
        """A 1:n or 1:1 (or self) relation from child to parent, by parent's id (possibly compound)."""
        rng = self.rng
        ids = self.id_fields(parent)
        relname = None
        existing = [f for f in child.fields if f.type == parent.name] + [f for f in parent.fields if f.type == child.name]
        if existing or parent is child or self.chance(0.15):
            relname = self.fresh("Rel")
        one_to_one = self.chance(0.25)
        optional = self.chance(0.4) or parent is child
        fk_names = []
        base = camel([parent.name.lower().rstrip("0123456789")]) if parent is not child else "parent"
        for idf in ids:
            name = f"{base}{idf.name[0].upper()}{idf.name[1:]}" if len(ids) > 1 else f"{base}Id"
            while any(f.name == name for f in child.fields):
                name += "X"
            fk = Field(name, idf.type, "?" if optional else "", [a for a in idf.attrs if a.startswith("@db.")])
            if one_to_one and len(ids) == 1:
                fk.attrs.append("@unique")
            child.fields.append(fk)
            fk_names.append(name)
        if one_to_one and len(ids) > 1:
            child.attrs.append(f"@@unique([{', '.join(fk_names)}])")
        args = []
        if relname:
            args.append(f'"{relname}"' if self.chance(0.6) else f'name: "{relname}"')
        args.append(f"fields: [{', '.join(fk_names)}]")
        args.append(f"references: [{', '.join(f.name for f in ids)}]")
        if self.chance(0.35):
            actions = ["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"]
            if not optional:
                actions.remove("SetNull")
            args.append(f"onDelete: {rng.choice(actions)}")
        if self.chance(0.2):
            args.append(f"onUpdate: {rng.choice(['Cascade', 'Restrict', 'NoAction'])}")
        if self.chance(0.1):
            args.append(f'map: "{child.name}_{fk_names[0]}_fk"')
        fwd = Field(self.unused(child, parent.name.lower().rstrip("0123456789") if parent is not child else "parent"), parent.name,
                    "?" if optional else "", [f"@relation({', '.join(args)})"])
        child.fields.append(fwd)
        back_attrs = [f'@relation("{relname}")'] if relname else []
        back = Field(self.unused(parent, child.name.lower().rstrip("0123456789") + ("" if one_to_one else "s")), child.name,
                     "?" if one_to_one else "[]", back_attrs)
        parent.fields.append(back)
        if self.chance(0.3) and not one_to_one:
            child.attrs.append(f"@@index([{', '.join(fk_names)}])")

    def many_to_many(self, a: Block, b: Block) -> None:
        if len(self.id_fields(a)) > 1 or len(self.id_fields(b)) > 1:
            return
        relname = self.fresh("Tags") if self.chance(0.4) or a is b else None
        attrs = [f'@relation("{relname}")'] if relname else []
        a.fields.append(Field(self.unused(a, b.name.lower().rstrip("0123456789") + "s"), b.name, "[]", list(attrs)))
        b.fields.append(Field(self.unused(b, a.name.lower().rstrip("0123456789") + "List"), a.name, "[]", list(attrs)))

    def unused(self, model: Block, name: str) -> str:
        while any(f.name == name for f in model.fields):
            name += "2"
        return name

    @staticmethod
    def id_fields(model: Block) -> list[Field]:
        for attr in model.attrs:
            if attr.startswith("@@id("):
                names = re.findall(r"\w+", attr[len("@@id(["):attr.index("]")])
                return [f for f in model.fields if f.name in names]
        return [f for f in model.fields if any(a.startswith("@id") for a in f.attrs)]

    def schema(self) -> Schema:
        rng = self.rng
        schema = Schema(self.provider, [])
        enums = [self.enum() for _ in range(rng.choice([0, 0, 1, 2]))]
        models = [self.model(schema, enums) for _ in range(rng.randint(1, 5))]
        for _ in range(rng.randint(0, 3)):
            child, parent = rng.choice(models), rng.choice(models)
            self.relation(schema, parent, child)
        if len(models) > 1 and self.chance(0.3):
            a, b = rng.sample(models, 2)
            self.many_to_many(a, b)
        schema.blocks = enums + models
        if self.provider == "postgresql" and self.chance(0.25):
            schema.schemas = ["public", "billing"]
            for b in schema.blocks:
                b.attrs.append(f'@@schema("{rng.choice(schema.schemas)}")')
        if self.provider != "sqlite" and self.chance(0.15):
            schema.preview.append("views")
            view = Block("view", self.fresh("Report"), [Field("id", "Int", attrs=["@unique"]), Field("total", "Int", "?")])
            if schema.schemas:
                view.attrs.append('@@schema("public")')
            schema.blocks.append(view)
        rng.shuffle(schema.blocks)
        return schema

    # --- changes ---------------------------------------------------------------------------

    def mutate(self, schema: Schema) -> tuple[Schema, str]:
        """A copy of `schema` with one or two changes of the kinds migrations are made of."""
        import copy

        new = copy.deepcopy(schema)
        names = []
        for _ in range(self.rng.choice([1, 1, 2, 3])):
            names.append(self.mutate_once(new))
        return new, "+".join(names)

    def mutate_once(self, s: Schema) -> str:
        rng = self.rng
        models = [b for b in s.blocks if b.keyword == "model"]
        enums = [b for b in s.blocks if b.keyword == "enum"]
        m = rng.choice(models)
        plain = [f for f in m.fields if f.type in SCALARS and not any(a.startswith(("@id", "@relation")) for a in f.attrs)
                 and not self.is_fk(m, f) and not any(re.search(rf"\b{f.name}\b", a) for a in m.attrs)]
        kind = rng.choice(["add_field", "drop_field", "rename_field", "retype", "nullability", "default", "index",
                           "unique", "relation", "enum_values", "map", "add_model", "drop_model", "native", "action",
                           "many_to_many", "schema_move", "enum_map", "relation_optional", "list"])
        if kind == "add_field":
            m.fields.append(self.scalar_field(s, m, enums))
        elif kind in ("drop_field", "rename_field", "retype", "nullability", "default", "native") and plain:
            f = rng.choice(plain)
            if kind == "drop_field":
                m.fields.remove(f)
            elif kind == "rename_field":
                f.name = self.unused(m, f.name + "New")
            elif kind == "retype":
                f.type = rng.choice([t for t in SCALARS if t != f.type and t != "Json" or s.provider == "postgresql"])
                f.attrs = [a for a in f.attrs if not a.startswith(("@db.", "@default", "@updatedAt"))]
                if f.arity == "[]" and f.type == "Json":
                    f.type = "String"
            elif kind == "nullability" and f.arity != "[]":
                f.arity = "" if f.arity == "?" else "?"
            elif kind == "default" and f.arity != "[]" and not (f.type == "Json" and s.provider == "sqlite"):
                old = [a for a in f.attrs if a.startswith("@default")]
                f.attrs = [a for a in f.attrs if not a.startswith(("@default", "@updatedAt"))]
                if not old or rng.random() < 0.5:
                    f.attrs.insert(0, f"@default({self.default_for(f, m, enums)})")
            elif kind == "native":
                f.attrs = [a for a in f.attrs if not a.startswith(("@db.", "@default"))]
                if NATIVE[s.provider].get(f.type):
                    f.attrs.append(f"@db.{rng.choice(NATIVE[s.provider][f.type])}")
        elif kind == "index":
            if m.attrs and rng.random() < 0.5 and any(a.startswith("@@index") for a in m.attrs):
                m.attrs.remove(rng.choice([a for a in m.attrs if a.startswith("@@index")]))
            else:
                self.block_indexes(m)
        elif kind == "unique" and plain:
            f = rng.choice(plain)
            if f.arity != "[]" and f.type not in ("Json", "Bytes"):
                if "@unique" in f.attrs:
                    f.attrs.remove("@unique")
                else:
                    f.attrs.append("@unique")
        elif kind == "relation":
            self.relation(s, rng.choice(models), m)
        elif kind == "enum_values" and enums:
            e = rng.choice(enums)
            if len(e.fields) > 1 and rng.random() < 0.5:
                e.fields.pop(rng.randrange(len(e.fields)))
                self.repair_enum_defaults(s, e)
            else:
                e.fields.append(Field(self.fresh("NEW_"), ""))
        elif kind == "map":
            if any(a.startswith("@@map") for a in m.attrs):
                m.attrs = [a for a in m.attrs if not a.startswith("@@map")]
            else:
                m.attrs.append(f'@@map("{m.name.lower()}_tbl")')
        elif kind == "add_model":
            s.blocks.append(self.model(s, enums))
            if s.schemas:
                s.blocks[-1].attrs.append('@@schema("billing")')
        elif kind == "drop_model" and len(models) > 1:
            self.drop_model(s, m)
        elif kind == "action":
            rel = [f for f in m.fields if any(a.startswith("@relation(") and "fields:" in a for a in f.attrs)]
            if rel:
                f = rng.choice(rel)
                attr = next(a for a in f.attrs if a.startswith("@relation("))
                stripped = re.sub(r", on(Delete|Update): \w+", "", attr)
                act = rng.choice(["Cascade", "Restrict", "NoAction"])
                f.attrs[f.attrs.index(attr)] = stripped[:-1] + f", onDelete: {act})" if stripped == attr else stripped
        elif kind == "many_to_many" and len(models) > 1:
            self.many_to_many(*rng.sample(models, 2))
        elif kind == "schema_move" and s.schemas:
            m.attrs = [a for a in m.attrs if not a.startswith("@@schema")] + [f'@@schema("{rng.choice(s.schemas)}")']
        elif kind == "enum_map" and enums:
            e = rng.choice(enums)
            v = rng.choice(e.fields)
            if v.attrs:
                v.attrs = []
            else:
                v.attrs.append(f'@map("{v.name.lower()}_m")')
        elif kind == "relation_optional":
            rel = [f for f in m.fields if any(a.startswith("@relation(") and "fields:" in a for a in f.attrs)
                   and not any("SetNull" in a for a in f.attrs)]
            if not rel:
                return self.mutate_once(s)
            f = rng.choice(rel)
            names = re.search(r"fields: \[([^\]]*)\]", next(a for a in f.attrs if a.startswith("@relation("))).group(1)
            new_arity = "" if f.arity == "?" else "?"
            f.arity = new_arity
            for g in m.fields:
                if g.name in [n.strip() for n in names.split(",")]:
                    g.arity = new_arity
        elif kind == "list" and s.provider == "postgresql" and plain:
            f = rng.choice(plain)
            f.arity = "" if f.arity == "[]" else "[]"
            f.attrs = [a for a in f.attrs if not a.startswith(("@default", "@unique", "@updatedAt", "@db.Money", "@db.Xml"))]
            if f.type == "Json":
                f.arity = ""
        else:
            return self.mutate_once(s)
        return kind

    @staticmethod
    def is_fk(model: Block, f: Field) -> bool:
        return any("fields:" in a and re.search(rf"fields: \[[^\]]*\b{f.name}\b", a) for g in model.fields for a in g.attrs)

    def repair_enum_defaults(self, s: Schema, e: Block) -> None:
        values = self.enum_values(e)
        for b in s.blocks:
            for f in b.fields:
                if f.type == e.name:
                    f.attrs = [a if not a.startswith("@default") or a[9:-1] in values else f"@default({values[0]})" for a in f.attrs]

    def drop_model(self, s: Schema, m: Block) -> None:
        s.blocks.remove(m)
        for b in s.blocks:
            if b.keyword != "model":
                continue
            fks = set()
            for f in list(b.fields):
                if f.type == m.name:
                    b.fields.remove(f)
                    for a in f.attrs:
                        found = re.search(r"fields: \[([^\]]*)\]", a)
                        if found:
                            fks |= {n.strip() for n in found.group(1).split(",")}
            b.fields = [f for f in b.fields if f.name not in fks]
            b.attrs = [a for a in b.attrs if not any(re.search(rf"\b{n}\b", a) for n in fks)]

    # --- subtly broken schemas -------------------------------------------------------------

    BREAKERS = ["type_typo", "drop_back_relation", "unknown_attribute", "duplicate_model", "duplicate_field",
                "default_wrong_type", "bad_references", "no_id", "bad_native", "duplicate_enum_value",
                "autoincrement_string", "bad_action", "missing_brace", "duplicate_map", "bad_index_field",
                "attribute_typo_arg", "native_wrong_arg", "list_optional", "relation_no_fields", "field_named_like_type",
                "config_problem", "empty_index", "duplicate_client_name", "enum_default_unknown", "ambiguous_relation"]

    def break_schema(self, schema: Schema, breaks: int = 1) -> tuple[str, str]:
        """Text of a subtly invalid variant of `schema` with `breaks` independent problems (each of
        another kind and, while there are enough, in another model), and their kinds joined by "+".
        Several at once show whether both tools go on to the later stages, in the same order."""
        import copy

        s = copy.deepcopy(schema)
        kinds: list[str] = []
        broken: set[str] = set()
        for _ in range(breaks):
            kinds.append(self.break_once(s, broken, exclude=kinds))
        text = render(s, self.rng)
        if "missing_brace" in kinds:  # a text-level break, so made on the rendered text, last
            pos = [i for i, ch in enumerate(text) if ch == "}"]
            i = self.rng.choice(pos)
            text = text[:i] + text[i + 1:]
        return text, "+".join(kinds)

    def break_once(self, s: Schema, broken: set[str], exclude: list[str]) -> str:
        """Break `s` in place once, in a model not in `broken` while there is one; the kind."""
        rng = self.rng
        kind = rng.choice(self.BREAKERS)
        while kind in exclude:
            kind = rng.choice(self.BREAKERS)
        models = [b for b in s.blocks if b.keyword == "model"]
        fresh = [b for b in models if b.name not in broken]
        m = rng.choice(fresh or models)
        broken.add(m.name)
        scalars = [f for f in m.fields if f.type in SCALARS and f.arity != "[]"]
        rels = [(b, f) for b in models for f in b.fields if any(a.startswith("@relation(") and "fields:" in a for a in f.attrs)]
        f = rng.choice(scalars) if scalars else m.fields[0]
        if kind == "type_typo":
            f.type = {"String": "Strin", "Int": "int", "DateTime": "Datetime", "Boolean": "Bool"}.get(f.type, f.type + "s")
        elif kind == "drop_back_relation" and rels:
            b, rf = rng.choice(rels)
            parent = s.block(rf.type)
            back = [g for g in parent.fields if g.type == b.name and g is not rf]
            if back:
                parent.fields.remove(back[0])
        elif kind == "unknown_attribute":
            f.attrs.append(rng.choice(["@uniq", "@index", "@default", "@db.Foo", "@map"]))
        elif kind == "duplicate_model":
            s.blocks.append(Block("model", m.name, [Field("id", "Int", attrs=["@id"])]))
        elif kind == "duplicate_field":
            m.fields.append(Field(f.name, "String", "?"))
        elif kind == "default_wrong_type":
            f.attrs = [a for a in f.attrs if not a.startswith("@default")] + [rng.choice(['@default("x")', "@default(1)", "@default(true)", "@default([1])", "@default(now)"])]
        elif kind == "bad_references" and rels:
            b, rf = rng.choice(rels)
            i = next(i for i, a in enumerate(rf.attrs) if a.startswith("@relation("))
            rf.attrs[i] = re.sub(r"references: \[(\w+)", r"references: [\1Missing", rf.attrs[i])
        elif kind == "no_id":
            for g in m.fields:
                g.attrs = [a for a in g.attrs if not a.startswith(("@id", "@unique"))]
            m.attrs = [a for a in m.attrs if not a.startswith(("@@id", "@@unique"))]
        elif kind == "bad_native":
            f.attrs = [a for a in f.attrs if not a.startswith("@db.")] + [rng.choice(["@db.VarChar(10)", "@db.Integer", "@db.Text", "@db.Uuid", "@db.TinyInt"])]
        elif kind == "duplicate_enum_value" and any(b.keyword == "enum" for b in s.blocks):
            e = next(b for b in s.blocks if b.keyword == "enum")
            e.fields.append(Field(e.fields[0].name, ""))
        elif kind == "autoincrement_string":
            f.attrs = [a for a in f.attrs if not a.startswith("@default")] + ["@default(autoincrement())"]
        elif kind == "bad_action" and rels:
            b, rf = rng.choice(rels)
            i = next(i for i, a in enumerate(rf.attrs) if a.startswith("@relation("))
            rf.attrs[i] = rf.attrs[i][:-1] + rng.choice([", onDelete: Foo)", ", onUpdate: SetNull)", ", onDelete: \"Cascade\")"])
        elif kind == "missing_brace":
            pass  # done by break_schema on the rendered text
        elif kind == "duplicate_map":
            others = [b for b in models if b is not m]
            if others:
                for b in (m, others[0]):
                    b.attrs = [a for a in b.attrs if not a.startswith("@@map")] + ['@@map("same_table")']
        elif kind == "bad_index_field":
            m.attrs.append(rng.choice(["@@index([nope])", "@@unique([id, nope])", "@@index(id)", "@@index([])", "@@index([id], map: 3)"]))
        elif kind == "attribute_typo_arg":
            f.attrs.append(rng.choice(['@map(name: "x", foo: 1)', "@map(1)", '@unique(sort: Up)', '@map("a", "b")']))
        elif kind == "native_wrong_arg":
            f.type = "String"
            f.attrs = [a for a in f.attrs if not a.startswith(("@db.", "@default"))] + [rng.choice(['@db.VarChar("a")', "@db.VarChar(1, 2)", "@db.VarChar", "@db.Char(-1)"])]
        elif kind == "list_optional":
            f.arity = "[]?" if rng.random() < 0.5 else "?[]"
        elif kind == "relation_no_fields" and rels:
            b, rf = rng.choice(rels)
            i = next(i for i, a in enumerate(rf.attrs) if a.startswith("@relation("))
            rf.attrs[i] = re.sub(r"fields: \[[^\]]*\], ", "", rf.attrs[i])
        elif kind == "config_problem":
            rng.choice([
                lambda: s.datasource_lines.append("  foo = 1"),
                lambda: s.datasource_lines.append(f'  provider = "{s.provider}"'),
                lambda: s.datasource_lines.append('  relationMode = "bogus"'),
                lambda: s.generator_lines.append('  previewFeatures = ["nope"]') if not s.preview else s.generator_lines.append("  output = 3"),
                lambda: s.generator_lines.append('  provider = "prisma-client"'),
            ])()
        elif kind == "empty_index":
            m.attrs.append(rng.choice(["@@index([])", "@@unique([])", '@@index([], map: "empty_idx")']))
        elif kind == "duplicate_client_name":
            m.attrs += [f'@@unique([{f.name}], name: "twice")', f'@@unique([{m.fields[0].name}, {f.name}], name: "twice")']
        elif kind == "enum_default_unknown" and any(g.type in {b.name for b in s.blocks if b.keyword == "enum"} for g in m.fields):
            g = next(g for g in m.fields if g.type in {b.name for b in s.blocks if b.keyword == "enum"})
            g.attrs = [a for a in g.attrs if not a.startswith("@default")] + ["@default(NOPE)"]
        elif kind == "ambiguous_relation" and rels:
            b, rf = rng.choice(rels)
            b.fields.append(Field(rf.name + "Again", rf.type, rf.arity, [a for a in rf.attrs if not a.startswith("@relation")]))
        elif kind == "field_named_like_type":
            m.fields.append(Field(rng.choice(["model", "enum", "Int", "1abc", "a-b"]), "String", "?"))
        else:
            f.attrs.append("@uniqe")
            kind = "unknown_attribute"
        return kind


# ---------------------------------------------------------------------------------------------
# Rendering, with the odd spacing real files have.


def render(s: Schema, rng: random.Random, odd: float = 0.25) -> str:
    def sp() -> str:
        return rng.choice([" ", "  ", "\t", " "]) if rng.random() < odd else " "

    out = []
    if rng.random() < 0.3:
        out.append("// This is your Prisma schema file,\n// learn more about it in the docs: https://pris.ly/d/prisma-schema\n")
    gen_lines = ['  provider = "prisma-client-js"']
    if s.preview:
        gen_lines.append(f"  previewFeatures = [{', '.join(chr(34) + p + chr(34) for p in s.preview)}]")
    gen_lines += s.generator_lines
    if rng.random() < 0.7 or s.preview or s.generator_lines:
        out.append("generator client {\n" + "\n".join(gen_lines) + "\n}\n")
    ds = [f'  provider{sp()}={sp()}"{s.provider}"']
    if s.schemas:
        ds.append(f"  schemas  = [{', '.join(chr(34) + x + chr(34) for x in s.schemas)}]")
    ds += s.datasource_lines
    out.append("datasource db {\n" + "\n".join(ds) + "\n}\n")
    for b in s.blocks:
        lines = []
        if b.doc:
            lines.append(b.doc)
        lines.append(f"{b.keyword}{sp()}{b.name}{sp()}{{")
        for f in b.fields:
            if f.doc:
                lines.append("  " + f.doc)
            pad = sp() if rng.random() < 0.5 else " " * rng.randint(1, 4)
            text = f"  {f.name}{pad}{f.type}{f.arity}" if f.type else f"  {f.name}"
            if f.attrs:
                text += (" " if f.type == "" else pad) + sp().join(f.attrs)
            if rng.random() < 0.05:
                text += " // trailing note"
            lines.append(text)
        if b.attrs:
            if rng.random() < 0.7:
                lines.append("")
            lines += [f"  {a}" for a in b.attrs]
        lines.append("}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Running both CLIs.


@dataclass
class Case:
    kind: str
    provider: str
    index: int
    files: dict[str, str]  # relative path -> text
    args: list[str]
    note: str = ""
    read_back: str | None = None  # a file both tools rewrite (format)


def lamina_cmd() -> list[str]:
    exe = shutil.which("lamina")
    return [exe] if exe else [sys.executable, "-m", "lamina"]


# Lamina's own additions on stderr, by design (docs: renames are asked about, never guessed).
_RENAME_HINT = re.compile(r"^⚠️  `[^\n]*Lamina does not guess renames[^\n]*\n", re.M)


def normalise(text: str) -> str:
    text = text.replace("Loaded Prisma config from prisma.config.ts.\n\n", "")
    text = _RENAME_HINT.sub("", text)
    return re.sub(r" in \d+ms", " in Nms", text)


def run_tool(tool: str, case: Case) -> tuple:
    with tempfile.TemporaryDirectory(prefix="lamina_h3_diff_") as tmp:
        for rel, text in case.files.items():
            path = Path(tmp) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        env = dict(os.environ, PRISMA_ANCHOR_SKIP_SETUP="1", NO_COLOR="1")
        env.pop("DATABASE_URL", None)
        if tool == "prisma":
            # validate/format read only the schema; the wrapper's config provider must be one it runs.
            provider = "postgresql" if case.provider == "mysql" else case.provider
            cmd = [str(PRISMA_SH), "-C", tmp, provider, *case.args]
        else:
            cmd = [*lamina_cmd(), *case.args]
        proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, env=env, timeout=180)
        written = (Path(tmp) / case.read_back).read_text() if case.read_back else None
        return proc.returncode, normalise(proc.stdout), normalise(proc.stderr), written


def make_cases(seed: int, count: int, providers: list[str], kinds: set[str], breaks: tuple[int, int] = (2, 4)) -> list[Case]:
    cases = []
    for provider in providers:
        gen = Generator(seed, provider)
        for i in range(count):
            s = gen.schema()
            text = render(s, gen.rng)
            schema_file = {"prisma/schema.prisma": text}
            can_diff = provider != "mysql"
            if "empty" in kinds and can_diff:
                for script in (["--script"], []):
                    cases.append(Case("empty" + ("-script" if script else "-summary"), provider, i, dict(schema_file),
                                      ["migrate", "diff", "--from-empty", "--to-schema", "prisma/schema.prisma", *script]))
            if "pair" in kinds and can_diff:
                after, note = gen.mutate(s)
                files = {"a.prisma": text, "b.prisma": render(after, gen.rng)}
                for script in (["--script"], []):
                    cases.append(Case("pair" + ("-script" if script else "-summary"), provider, i, dict(files),
                                      ["migrate", "diff", "--from-schema", "a.prisma", "--to-schema", "b.prisma", *script], note))
            if "format" in kinds:
                cases.append(Case("format", provider, i, dict(schema_file), ["format"], read_back="prisma/schema.prisma"))
            if "validate" in kinds:
                cases.append(Case("validate", provider, i, dict(schema_file), ["validate"]))
            if "invalid" in kinds:
                broken, note = gen.break_schema(s, gen.rng.randint(*breaks) if breaks[0] < breaks[1] else breaks[0])
                files = {"prisma/schema.prisma": broken}
                cases.append(Case("invalid-validate", provider, i, dict(files), ["validate"], note))
                cases.append(Case("invalid-format", provider, i, dict(files), ["format"], note, read_back="prisma/schema.prisma"))
    return cases


def compare(case: Case) -> tuple[Case, tuple, tuple]:
    return case, run_tool("prisma", case), run_tool("lamina", case)


def report(case: Case, prisma: tuple, lamina: tuple, out: Path) -> None:
    folder = out / f"{case.kind}-{case.provider}-{case.index}"
    folder.mkdir(parents=True, exist_ok=True)
    for rel, text in case.files.items():
        (folder / rel.replace("/", "_")).write_text(text)
    labels = ("exit", "stdout", "stderr", "written")
    for tool, result in (("prisma", prisma), ("lamina", lamina)):
        for label, value in zip(labels, result):
            if value is not None:
                (folder / f"{tool}.{label}").write_text(str(value))
    (folder / "command").write_text(" ".join(case.args) + f"\n# {case.note}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--schemas", type=int, default=40, help="schemas per provider")
    parser.add_argument("--providers", default="sqlite,postgresql,mysql")
    parser.add_argument("--kinds", default="empty,pair,format,validate,invalid")
    parser.add_argument("--breaks", default="2-4", help="problems per `invalid` schema: N or LO-HI")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "lamina_differential")
    parser.add_argument("--print", action="store_true", help="print the generated schemas and stop")
    args = parser.parse_args()
    lo, _, hi = args.breaks.partition("-")
    breaks = (int(lo), int(hi or lo))
    cases = make_cases(args.seed, args.schemas, args.providers.split(","), set(args.kinds.split(",")), breaks)
    if args.print:
        for c in cases:
            for rel, text in c.files.items():
                print(f"==== {c.kind} {c.provider} {c.index} {rel} {c.note}\n{text}")
        return 0
    if not (shutil.which("node") and PRISMA_SH.is_file() and (ANCHOR_DIR / "node_modules" / "prisma").is_dir()):
        print("skipped: the real Prisma CLI needs Node and ../shared/anchors (set up in PRISMA_ANCHOR_DIR)")
        return 0
    shutil.rmtree(args.out, ignore_errors=True)
    compared, differing, rejected = Counter(), Counter(), Counter()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for case, prisma, lamina in pool.map(compare, cases):
            key = f"{case.kind} [{case.provider}]"
            compared[key] += 1
            rejected[key] += prisma[0] != 0
            if prisma != lamina:
                differing[key] += 1
                report(case, prisma, lamina, args.out)
                print(f"DIFF {case.kind} {case.provider} #{case.index} {case.note}", flush=True)
    print(f"\n{'kind':32} compared  differing  (Prisma exited non-zero)")
    for key in sorted(compared):
        print(f"{key:32} {compared[key]:8}  {differing[key]:9}  ({rejected[key]})")
    print(f"differences written to {args.out}" if differing else "no differences")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
