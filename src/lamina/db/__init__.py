"""Database access for the migration workflow: URLs, connections, errors, admin, shadow.

    from lamina.db import parse_url, connect, mask

    url = parse_url("postgresql://u:pw@localhost/app?schema=tenant", base_dir=schema_dir)
    with connect(url) as conn:           # P1000/P1001/P1003 as LaminaError on failure
        conn.query("SELECT 1 WHERE 1 = ?", (1,))   # `?` placeholders on every provider
        with conn.transaction():
            conn.execute_script(sql)

Drivers (psycopg, pymysql) are imported only when a connection to that provider is opened.
"""

from __future__ import annotations

from lamina.db.url import DatabaseUrl, mask, parse_url
from lamina.db.connection import Connection, DatabaseError, connect

__all__ = ["Connection", "DatabaseError", "DatabaseUrl", "connect", "mask", "parse_url"]
