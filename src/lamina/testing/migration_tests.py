"""Ready-made migration tests, as pytest-alembic ships them. In a test file of your project:

    from lamina.testing.migration_tests import *  # noqa: F401,F403

Each uses the `lamina_migrations` fixture (an empty database of its own).
"""

from __future__ import annotations

from typing import Any

import pytest

__all__ = ["test_lamina_migrations_apply_on_empty_database", "test_lamina_migrations_produce_the_schema",
           "test_lamina_down_migrations_round_trip"]


def test_lamina_migrations_apply_on_empty_database(lamina_migrations: Any) -> None:
    """Every migration applies on an empty database, one after the other."""
    lamina_migrations.check_every_migration_applies()


def test_lamina_migrations_produce_the_schema(lamina_migrations: Any) -> None:
    """The migrations, all applied, give the database the schema describes (no drift)."""
    lamina_migrations.check_migrations_produce_schema()


def test_lamina_down_migrations_round_trip(lamina_migrations: Any) -> None:
    """Every migration's down.sql undoes it exactly, and the migration applies again after it."""
    if lamina_migrations.check_down_round_trip() == 0:
        pytest.skip("no migration has a down.sql")
