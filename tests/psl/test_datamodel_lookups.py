"""Datamodel.model()/enum() answer from an index built on first use: it must give what a scan of
the lists gives, also after the lists grew or were replaced."""

from lamina.datamodel import EnumDef, EnumValueDef
from lamina.psl.load import parse_and_validate

SCHEMA = """
datasource db {
  provider = "postgresql"
}

enum Role {
  ADMIN
  USER
}

model User {
  id   Int  @id
  role Role
}
"""


def _datamodel():
    _, diagnostics, datamodel = parse_and_validate([("schema.prisma", SCHEMA)])
    assert datamodel is not None, diagnostics
    return datamodel


def test_lookups_find_what_a_scan_finds():
    dm = _datamodel()
    assert dm.model("User") is dm.models[0]
    assert dm.enum("Role") is dm.enums[0]
    assert dm.model("Nope") is None and dm.enum("Nope") is None


def test_an_appended_enum_is_found_after_an_earlier_lookup():
    dm = _datamodel()
    assert dm.enum("Status") is None  # builds the index
    status = EnumDef("Status", "Status", [EnumValueDef("ON", "ON")])
    dm.enums.append(status)
    assert dm.enum("Status") is status


def test_a_replaced_list_is_indexed_again_and_the_first_of_a_name_wins():
    dm = _datamodel()
    assert dm.enum("Role") is not None
    first = EnumDef("Role", "role_a", [])
    dm.enums = [first, EnumDef("Role", "role_b", [])]
    assert dm.enum("Role") is first
