"""Seed the CRM with a demo tenant: an org with users, companies, contacts, deals and tasks.

    cd examples/crm
    export DATABASE_URL=file:./dev.db          # or postgresql://...
    lamina migrate dev                          # creates/applies prisma/migrations/20251026090416_init
    lamina db seed                              # runs this file ([tool.lamina] seed in pyproject.toml)

It uses Lamina's small database layer (`lamina.db.connect`, `?` placeholders on every
database) rather than the generated client, so it runs before `lamina generate` too. It is
idempotent: the demo org (slug "demo") is deleted first, and the foreign keys' ON DELETE
CASCADE removes everything that belongs to it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
import time
from decimal import Decimal
from pathlib import Path

from lamina.db import connect, parse_url

HERE = Path(__file__).resolve().parent


def new_id() -> str:
    """A cuid-like id (Prisma's @default(cuid()) is filled by the client, so the seed makes its own)."""
    return "c" + format(int(time.time() * 1000), "x") + secrets.token_hex(8)


def stamp(conn, when: dt.datetime):
    # DateTime on SQLite: integer milliseconds, as Prisma's native engine and the Lamina client store it.
    return int(when.timestamp() * 1000) if conn.provider == "sqlite" else when


def seed(conn) -> dict[str, int]:
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    ts = stamp(conn, now)
    if conn.provider == "sqlite":
        conn.execute("PRAGMA foreign_keys = ON")  # so that deleting the org cascades
    counts = {"orgs": 1, "users": 0, "companies": 0, "contacts": 0, "deals": 0, "tasks": 0}
    with conn.transaction():
        conn.execute('DELETE FROM "orgs" WHERE "slug" = ?', ("demo",))
        org = new_id()
        conn.execute('INSERT INTO "orgs" ("id", "name", "slug", "created_at", "updated_at") VALUES (?, ?, ?, ?, ?)',
                     (org, "Demo Corp", "demo", ts, ts))
        users = {}
        for email, name, role in [("ada@demo.test", "Ada Lovelace", "OWNER"), ("grace@demo.test", "Grace Hopper", "ADMIN"),
                                  ("linus@demo.test", "Linus Torvalds", "MEMBER")]:
            users[email] = new_id()
            conn.execute('INSERT INTO "users" ("id", "org_id", "email", "name", "role", "created_at", "updated_at") '
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", (users[email], org, email, name, role, ts, ts))
            counts["users"] += 1
        owner = users["ada@demo.test"]
        companies = {}
        for name, domain, industry in [("Globex", "globex.test", "Manufacturing"), ("Initech", "initech.test", "Software"),
                                       ("Umbrella", "umbrella.test", "Pharma")]:
            companies[name] = new_id()
            conn.execute('INSERT INTO "companies" ("id", "org_id", "name", "domain", "industry", "owner_id", "created_at", '
                         '"updated_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                         (companies[name], org, name, domain, industry, owner, ts, ts))
            counts["companies"] += 1
        for first, last, company in [("Hank", "Scorpio", "Globex"), ("Bill", "Lumbergh", "Initech"),
                                     ("Peter", "Gibbons", "Initech"), ("Alice", "Wesker", "Umbrella")]:
            conn.execute('INSERT INTO "contacts" ("id", "org_id", "company_id", "owner_id", "first_name", "last_name", '
                         '"email", "created_at", "updated_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                         (new_id(), org, companies[company], owner, first, last,
                          f"{first.lower()}@{company.lower()}.test", ts, ts))
            counts["contacts"] += 1
        deals = []
        for title, company, amount, stage in [("Globex renewal", "Globex", "48000.00", "PROPOSAL"),
                                              ("Initech TPS licences", "Initech", "12500.50", "QUALIFIED"),
                                              ("Umbrella pilot", "Umbrella", "9900.00", "WON")]:
            deal = new_id()
            deals.append(deal)
            close = stamp(conn, now + dt.timedelta(days=30))
            value = str(Decimal(amount)) if conn.provider == "sqlite" else Decimal(amount)
            conn.execute('INSERT INTO "deals" ("id", "org_id", "company_id", "owner_id", "title", "amount", "currency", '
                         '"stage", "close_date", "created_at", "updated_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                         (deal, org, companies[company], owner, title, value, "USD", stage, close, ts, ts))
            counts["deals"] += 1
        for i, (title, priority) in enumerate([("Send proposal", "HIGH"), ("Book demo", "MEDIUM"),
                                               ("Follow up on pricing", "URGENT"), ("Kick-off call", "LOW")]):
            conn.execute('INSERT INTO "tasks" ("id", "org_id", "title", "status", "priority", "due_at", "assignee_id", '
                         '"deal_id", "created_at", "updated_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                         (new_id(), org, title, "TODO", priority, stamp(conn, now + dt.timedelta(days=i + 1)),
                          users["grace@demo.test"], deals[i % len(deals)], ts, ts))
            counts["tasks"] += 1
    return counts


def main() -> int:
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("DATABASE_URL is not set (copy .env.example to .env).", file=sys.stderr)
        return 1
    # A relative SQLite path is relative to the schema's folder, as in `lamina migrate`.
    with connect(parse_url(url, HERE / "prisma")) as conn:
        counts = seed(conn)
    print("Seeded the demo org: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
