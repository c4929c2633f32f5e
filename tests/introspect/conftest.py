"""`pg_db`: build a fresh PostgreSQL database from a script; its connections are closed
before the database is dropped (a forced drop of a database in use is slow)."""

from __future__ import annotations

import psycopg
import pytest


@pytest.fixture
def pg_db(postgres_url):
    opened: list[psycopg.Connection] = []

    def make(script: str) -> psycopg.Connection:
        conn = psycopg.connect(postgres_url, autocommit=True)
        opened.append(conn)
        conn.execute(script)
        return conn

    yield make
    for conn in opened:
        conn.close()
