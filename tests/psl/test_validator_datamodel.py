"""The resolved datamodel of real schemas: the CRM example, constraint names, relations, defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamina import datamodel as dm
from lamina.psl import names
from lamina.psl.load import parse_and_validate

REPO = Path(__file__).resolve().parents[2]
CRM = REPO / "examples" / "crm" / "prisma" / "schema.prisma"


def load(text: str) -> dm.Datamodel:
    ast, diagnostics, datamodel = parse_and_validate([("schema.prisma", text)])
    assert not diagnostics.errors, [d.message for d in diagnostics.errors]
    assert datamodel is not None
    return datamodel


def errors(text: str) -> list[str]:
    _, diagnostics, datamodel = parse_and_validate([("schema.prisma", text)])
    assert datamodel is None
    return [d.message for d in diagnostics.errors]


@pytest.fixture(scope="module")
def crm() -> dm.Datamodel:
    return load(CRM.read_text(encoding="utf-8"))


def relation(model: dm.Datamodel, name: str) -> dm.Relation:
    (found,) = [r for r in model.relations if r.name == name]
    return found


def test_crm_models_and_config(crm):
    assert [m.name for m in crm.models] == [
        "Org", "User", "Company", "Contact", "Deal", "Lead", "Activity", "Task", "Note",
        "Attachment", "SavedView", "Notification", "Webhook",
    ]  # fmt: skip
    assert crm.provider is dm.Provider.SQLITE
    assert crm.datasource.url == dm.EnvValue(env_var="DATABASE_URL")
    assert crm.generators[0].provider.value == "lamina"
    assert crm.generators[0].output.value == "../crm_client"
    assert crm.generators[0].config == {"interface": "sync"}
    assert [e.name for e in crm.enums] == ["Role", "DealStage", "LeadStatus", "TaskStatus", "TaskPriority", "ActivityType"]


def test_crm_names_after_map(crm):
    user = crm.model("User")
    assert user.db_name == "users"
    assert user.field("orgId").db_name == "org_id"
    assert user.primary_key.fields[0].name == "id"
    assert user.primary_key.db_name is None  # SQLite has no named primary keys
    index, unique = user.indexes  # Prisma's order: @unique fields, then @@index, @@unique, @@fulltext
    assert (unique.kind, unique.db_name, [f.name for f in unique.fields]) == (
        dm.IndexKind.UNIQUE,
        "users_org_id_email_key",
        ["orgId", "email"],
    )
    assert (index.kind, index.db_name) == (dm.IndexKind.NORMAL, "users_org_id_idx")
    activity = crm.model("Activity")
    assert activity.indexes[0].db_name == "activities_org_id_occurred_at_idx"
    assert activity.indexes[0].fields[1].sort is dm.SortOrder.DESC
    lead = crm.model("Lead")
    assert [(i.db_name, i.defined_on_field) for i in lead.indexes] == [
        ("leads_converted_contact_id_key", True),
        ("leads_org_id_status_idx", False),
        ("leads_org_id_email_key", False),
    ]


def test_crm_relations_paired(crm):
    org_user = relation(crm, "OrgToUser")
    assert org_user.kind is dm.RelationKind.ONE_TO_MANY
    assert (org_user.referencing_model, org_user.referencing_field) == ("User", "org")
    assert (org_user.referenced_model, org_user.back_field) == ("Org", "users")
    assert (org_user.fields, org_user.references) == (["orgId"], ["id"])
    assert org_user.fk_name == "users_org_id_fkey"
    assert (org_user.on_delete, org_user.on_update) == (dm.ReferentialAction.CASCADE, dm.ReferentialAction.CASCADE)

    hierarchy = relation(crm, "CompanyHierarchy")
    assert hierarchy.is_self
    assert (hierarchy.referencing_field, hierarchy.back_field) == ("parent", "subsidiaries")
    assert hierarchy.on_delete is dm.ReferentialAction.SET_NULL

    converted = relation(crm, "ContactToLead")
    assert converted.kind is dm.RelationKind.ONE_TO_ONE
    assert (converted.referencing_model, converted.back_field) == ("Lead", "convertedFrom")

    m2m = relation(crm, "ContactToDeal")
    assert m2m.kind is dm.RelationKind.IMPLICIT_MANY_TO_MANY
    assert m2m.join_table == "_ContactToDeal"
    assert {m2m.referencing_model, m2m.referenced_model} == {"Contact", "Deal"}
    assert m2m.fk_name is None

    owner = relation(crm, "CompanyOwner")
    assert (owner.referencing_model, owner.referenced_model, owner.back_field) == ("Company", "User", "ownedCompanies")


def test_crm_fields_and_defaults(crm):
    org = crm.model("Org")
    id_field = org.field("id")
    assert id_field.type is dm.ScalarType.STRING
    assert id_field.default == dm.DefaultValue(dm.DefaultKind.CUID)
    assert org.field("createdAt").default.kind is dm.DefaultKind.NOW
    assert org.field("updatedAt").is_updated_at
    assert org.documentation == "A tenant: a customer organisation using the CRM."
    deal = crm.model("Deal")
    assert deal.field("amount").type is dm.ScalarType.DECIMAL
    assert deal.field("amount").default == dm.DefaultValue(dm.DefaultKind.VALUE, "0")
    assert deal.field("currency").default.value == "USD"
    stage = deal.field("stage")
    assert (stage.type, stage.enum, stage.default.value) == (None, "DealStage", "PROSPECTING")
    assert crm.model("Note").field("pinned").default.value is False
    assert crm.model("Lead").field("score").default.value == 0
    assert crm.model("SavedView").field("filters").type is dm.ScalarType.JSON
    rel = crm.model("User").field("org")
    assert isinstance(rel, dm.RelationField) and rel.on_delete is dm.ReferentialAction.CASCADE
    assert crm.model("Webhook").field("events").documentation.startswith("Event names")


POSTGRES = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'


def test_default_constraint_names_postgres():
    model = load(
        POSTGRES
        + """
model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
  tags  String[]
}

model Post {
  id       Int   @id
  authorId Int?
  author   User? @relation(fields: [authorId], references: [id])
  title    String @db.VarChar(200)

  @@index([authorId])
}
"""
    )
    user, post = model.model("User"), model.model("Post")
    assert user.primary_key.db_name == "User_pkey"
    assert user.indexes[0].db_name == "User_email_key"
    assert post.indexes[0].db_name == "Post_authorId_idx"
    rel = relation(model, "PostToUser")
    assert rel.fk_name == "Post_authorId_fkey"
    assert (rel.on_delete, rel.on_update) == (dm.ReferentialAction.SET_NULL, dm.ReferentialAction.CASCADE)
    assert post.field("title").native_type == dm.NativeType("VarChar", ("200",))
    assert user.field("tags").is_list


def test_required_relation_defaults_to_restrict_and_explicit_maps():
    model = load(
        POSTGRES
        + """
model A {
  id Int @id(map: "a_pk")
  bs B[]
}

model B {
  id  Int @id
  aId Int
  a   A   @relation(fields: [aId], references: [id], map: "b_to_a")

  @@unique([aId, id], map: "b_uniq", name: "pair")
}
"""
    )
    rel = relation(model, "AToB")
    assert (rel.on_delete, rel.on_update, rel.fk_name) == (
        dm.ReferentialAction.RESTRICT,
        dm.ReferentialAction.CASCADE,
        "b_to_a",
    )
    assert model.model("A").primary_key.db_name == "a_pk"
    assert model.model("A").primary_key.db_name_explicit
    index = model.model("B").indexes[0]
    assert (index.db_name, index.name, index.db_name_explicit) == ("b_uniq", "pair", True)


def test_names_are_truncated_to_the_provider_limit():
    long_table = "t" * 70
    assert names.primary_key_name(long_table, "postgresql") == "t" * 58 + "_pkey"
    assert len(names.unique_index_name(long_table, ["a"], "postgresql")) == 63
    assert names.index_name(long_table, ["a"], "mysql") == "t" * 60 + "_idx"
    assert names.foreign_key_name("Post", ["authorId"], "sqlite") == "Post_authorId_fkey"
    # Cut in bytes, backing up to a character boundary.
    assert names.index_name("é" * 40, ["a"], "postgresql").encode() == ("é" * 29).encode() + b"_idx"
    assert names.default_relation_name("User", "Post") == "PostToUser"
    assert names.m2m_ab_unique_name("_CategoryToPost", "postgresql") == "_CategoryToPost_AB_pkey"
    assert names.m2m_ab_unique_name("_CategoryToPost", "sqlite") == "_CategoryToPost_AB_unique"
    assert names.m2m_b_index_name("_CategoryToPost", "sqlite") == "_CategoryToPost_B_index"


def test_long_names_as_prisma_cuts_them():
    """Names printed by Prisma 7.10.1 (`migrate diff --from-empty --script`, PostgreSQL)."""
    model_name = "AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMoreChars"
    model = load(
        POSTGRES
        + f"""
model {model_name} {{
  id    Int   @id
  wide  Int   @unique
  other Int
  parentId Int?
  parent   {model_name}? @relation("selfy", fields: [parentId], references: [id])
  children {model_name}[] @relation("selfy")
  tags     Tag[]

  @@index([other, wide])
}}

model Tag {{
  id     Int @id
  things {model_name}[]
}}
"""
    )
    long = model.model(model_name)
    assert long.primary_key.db_name == "AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMoreCh_pkey"
    assert long.indexes[0].db_name == "AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMoreCha_key"
    assert long.indexes[1].db_name == "AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMoreCha_idx"
    assert relation(model, "selfy").fk_name == "AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMoreCh_fkey"
    table = relation(model, f"{model_name}ToTag").join_table
    assert table == "_AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMoreCharsT"
    assert names.m2m_ab_unique_name(table, "postgresql") == "_AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMo_AB_pkey"
    assert names.m2m_b_index_name(table, "postgresql") == "_AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMo_B_index"
    assert names.m2m_foreign_key_name(table, "A", "postgresql") == "_AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMor_A_fkey"


def test_implicit_m2m_and_named_relations():
    model = load(
        POSTGRES
        + """
model Post {
  id         Int        @id
  categories Category[] @relation("tags")
}

model Category {
  id    Int    @id
  posts Post[] @relation("tags")
}
"""
    )
    rel = relation(model, "tags")
    assert rel.kind is dm.RelationKind.IMPLICIT_MANY_TO_MANY
    assert rel.join_table == "_tags"


def test_sqlite_rejects_scalar_lists_but_accepts_enums():
    message = errors(
        'datasource db {\n  provider = "sqlite"\n  url = "file:dev.db"\n}\n'
        "enum E {\n  A\n}\nmodel M {\n  id Int @id\n  e E\n  tags String[]\n}\n"
    )
    assert message == [
        'Field "tags" in model "M" can\'t be a list. The current connector does not support lists of primitive types.'
    ]


def test_native_types_belong_to_their_provider():
    assert errors(POSTGRES + "model M {\n  id Int @id\n  a String @db.TinyText\n}\n") == [
        "Native type TinyText is not supported for postgresql connector."
    ]
    assert errors(POSTGRES + "model M {\n  id Int @id\n  a Int @db.VarChar(3)\n}\n") == [
        "Native type VarChar is not compatible with declared field type Int, expected field type String."
    ]


def test_missing_opposite_relation_field():
    (message,) = errors(
        POSTGRES
        + "model User {\n  id Int @id\n}\nmodel Post {\n  id Int @id\n  authorId Int\n"
        "  author User @relation(fields: [authorId], references: [id])\n}\n"
    )
    assert message == (
        "Error validating field `author` in model `Post`: The relation field `author` on model `Post` is missing "
        "an opposite relation field on the model `User`. Either run `prisma format` or add it manually."
    )


def test_validator_never_raises_on_garbage():
    for text in ["model {", "model A { id Int @id @default(", "datasource db { provider = 1 }", "\x00\xff", "enum E {}"]:
        parse_and_validate([("schema.prisma", text)])
