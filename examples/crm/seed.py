"""Seed the CRM with a demo tenant: an org with users, companies, contacts, deals and tasks.

    cd examples/crm
    export DATABASE_URL=file:./dev.db          # or postgresql://... or mysql://...
    lamina migrate dev                          # applies prisma/migrations and generates ./crm_client
    lamina db seed                              # runs this file ([tool.lamina] seed in pyproject.toml)

It is written with the generated client (prisma-client-py's API; only the import names
`crm_client` instead of `prisma`), so the same code runs on SQLite, PostgreSQL and MySQL: ids
(`@default(cuid())`), timestamps and the Decimal amounts are the client's business. It is
idempotent: the demo org (slug "demo") is deleted first, and the relations' `onDelete:
Cascade` removes everything that belongs to it. Everything runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

USERS = [("ada@demo.test", "Ada Lovelace", "OWNER"), ("grace@demo.test", "Grace Hopper", "ADMIN"),
         ("linus@demo.test", "Linus Torvalds", "MEMBER")]
COMPANIES = [("Globex", "globex.test", "Manufacturing"), ("Initech", "initech.test", "Software"),
             ("Umbrella", "umbrella.test", "Pharma")]
CONTACTS = [("Hank", "Scorpio", "Globex"), ("Bill", "Lumbergh", "Initech"), ("Peter", "Gibbons", "Initech"),
            ("Alice", "Wesker", "Umbrella")]
DEALS = [("Globex renewal", "Globex", "48000.00", "PROPOSAL"), ("Initech TPS licences", "Initech", "12500.50", "QUALIFIED"),
         ("Umbrella pilot", "Umbrella", "9900.00", "WON")]
TASKS = [("Send proposal", "HIGH"), ("Book demo", "MEDIUM"), ("Follow up on pricing", "URGENT"), ("Kick-off call", "LOW")]


def seed(db: Any) -> dict[str, int]:
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    # A seed is many statements: a longer transaction timeout than the 5 s default of tx().
    with db.tx(timeout=dt.timedelta(seconds=60)) as tx:
        tx.org.delete_many(where={"slug": "demo"})
        org = tx.org.create(data={"name": "Demo Corp", "slug": "demo"})
        users = {email: tx.user.create(data={"orgId": org.id, "email": email, "name": name, "role": role})
                 for email, name, role in USERS}
        owner = users["ada@demo.test"].id
        companies = {name: tx.company.create(data={"orgId": org.id, "name": name, "domain": domain,
                                                   "industry": industry, "ownerId": owner})
                     for name, domain, industry in COMPANIES}
        for first, last, company in CONTACTS:
            tx.contact.create(data={"orgId": org.id, "companyId": companies[company].id, "ownerId": owner,
                                    "firstName": first, "lastName": last,
                                    "email": f"{first.lower()}@{company.lower()}.test"})
        deals = [tx.deal.create(data={"orgId": org.id, "companyId": companies[company].id, "ownerId": owner,
                                      "title": title, "amount": Decimal(amount), "stage": stage,
                                      "closeDate": now + dt.timedelta(days=30)})
                 for title, company, amount, stage in DEALS]
        for i, (title, priority) in enumerate(TASKS):
            tx.task.create(data={"orgId": org.id, "title": title, "priority": priority,
                                 "dueAt": now + dt.timedelta(days=i + 1),
                                 "assigneeId": users["grace@demo.test"].id, "dealId": deals[i % len(deals)].id})
    return {"orgs": 1, "users": len(USERS), "companies": len(COMPANIES), "contacts": len(CONTACTS),
            "deals": len(DEALS), "tasks": len(TASKS)}


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from crm_client import Prisma
    except ImportError:
        print("Generate the client first: `lamina generate` (or `lamina migrate dev`).", file=sys.stderr)
        return 1
    with Prisma() as db:
        counts = seed(db)
    print("Seeded the demo org: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
