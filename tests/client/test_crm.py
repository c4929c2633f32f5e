"""The CRM example's generated client on SQLite, PostgreSQL and MySQL: the demo script's questions."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest

from tests.client.helpers import create_tables, generate

REPO = Path(__file__).resolve().parents[2]
CRM = (REPO / "examples" / "crm" / "prisma" / "schema.prisma").read_text()
TEMPLATE = CRM.replace('output    = "../crm_client"', 'output    = "__OUTPUT__"').replace(
    'provider = "sqlite"', 'provider = "__PROVIDER__"')


def load_demo():
    spec = importlib.util.spec_from_file_location("crm_demo", REPO / "examples" / "crm" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def crm_packages(tmp_path_factory):
    root = tmp_path_factory.mktemp("crm")
    cache: dict = {}

    def get(provider: str):
        if provider not in cache:
            cache[provider] = generate(TEMPLATE, root / provider, f"crm_client_{provider}", provider)
        return cache[provider]

    return get


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_demo_runs_on_crm(crm_packages, provider, request):
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    module, loaded = crm_packages(provider)
    create_tables(loaded, url)
    demo = load_demo()
    with module.Prisma(datasource={"url": url}) as db:
        first = demo.run(db)
        again = demo.run(db)  # idempotent: upserts and a cleaned pipeline
        assert db.org.count() == 1 and db.contact.count() == 1
        attachment = db.attachment.create(data={
            "orgId": db.org.find_first_or_raise().id, "entityType": "deal", "entityId": "x", "fileName": "a.pdf",
            "mimeType": "application/pdf", "sizeBytes": 2**40, "storageKey": "k", "checksum": b"\x01\x02"})
        assert attachment.sizeBytes == 2**40 and attachment.checksum.decode() == b"\x01\x02"
    assert first == again
    assert first["contacts"] == ["Hank"] and first["tasks"] == ["Send the proposal"]
    assert first["deals"] == 3 and first["negotiating"] == ["Ada"]
    assert first["pipeline"]["WON"] == (1, Decimal("99000"))
    assert first["pipeline"]["NEGOTIATION"] == (1, Decimal("50000"))
    assert first["open"] == [("Globex renewal", Decimal("50000"), "Globex"), ("Initech pilot", Decimal("1200.5"), None)]
