"""The CRM example's own tests, written as a Lamina user writes them: the pytest plugin
(`lamina.testing`) gives each session a database with prisma/migrations deployed and the
generated client (`crm_client`) bound to it.

    cd examples/crm && python -m pytest -n 2

Lamina's suite runs them (tests/pytest_plugin/test_plugin.py::test_crm_example_tests).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seed import CONTACTS, DEALS, seed  # noqa: E402

from lamina.testing.migration_tests import *  # noqa: E402,F401,F403  (the migrations apply and produce the schema)


def test_seed_creates_the_demo_tenant(lamina_client):
    counts = seed(lamina_client)
    assert lamina_client.contact.count() == counts["contacts"] == len(CONTACTS)
    deals = lamina_client.deal.find_many(order={"title": "asc"}, include={"company": True})
    assert [d.company.name for d in deals] == ["Globex", "Initech", "Umbrella"]
    assert len(deals) == len(DEALS)


def test_each_test_starts_with_an_empty_database(lamina_client):
    assert lamina_client.org.count() == 0


def test_deleting_the_org_deletes_its_data(lamina_client):
    seed(lamina_client)
    lamina_client.org.delete(where={"slug": "demo"})
    assert (lamina_client.user.count(), lamina_client.contact.count(), lamina_client.deal.count()) == (0, 0, 0)


def test_seed_is_idempotent(lamina_client):
    seed(lamina_client)
    seed(lamina_client)
    assert lamina_client.org.count() == 1


def test_raw_sql_is_rolled_back(lamina_db):
    lamina_db.execute("INSERT INTO orgs (id, name, slug, created_at, updated_at) VALUES ('o1', 'A', 'a', 0, 0)")
    assert lamina_db.query("SELECT count(*) FROM orgs") == [(1,)]


def test_raw_sql_left_nothing(lamina_db):
    assert lamina_db.query("SELECT count(*) FROM orgs") == [(0,)]
