"""Lamina for test suites: the pytest plugin's fixtures (`lamina.testing.plugin`, loaded through
the `pytest11` entry point) and the helpers they return.

    def test_signup(lamina_client):                 # the generated client on a migrated test database
        lamina_client.user.create(data={"email": "a@x.io"})

    def test_migrations(lamina_migrations):         # pytest-alembic's checks, for Lamina migrations
        lamina_migrations.check_migrations_produce_schema()

docs/guides/testing.md describes the fixtures, options and isolation modes.
"""

from lamina.testing.database import TestDatabase, truncate_all
from lamina.testing.migrations import MigrationsHelper

__all__ = ["MigrationsHelper", "TestDatabase", "truncate_all"]
