"""A plain-Python tour of the CRM through the generated Lamina client.

    cd examples/crm
    export DATABASE_URL=file:./dev.db      # or postgresql://...
    lamina migrate dev --name init          # creates the tables and generates ./crm_client
    python demo.py

Everything below is prisma-client-py's API: only the import names `crm_client` instead of `prisma`.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any


def run(db: Any) -> dict[str, Any]:
    """Create a tenant with a small sales pipeline, then ask the questions a CRM asks."""
    org = db.org.upsert(
        where={"slug": "acme"},
        data={"create": {"name": "Acme Corp", "slug": "acme"}, "update": {"name": "Acme Corp"}},
    )
    db.deal.delete_many(where={"orgId": org.id})  # re-runs start from a clean pipeline
    owner = db.user.upsert(
        where={"orgId_email": {"orgId": org.id, "email": "ada@acme.test"}},
        data={"create": {"email": "ada@acme.test", "name": "Ada", "role": "OWNER", "org": {"connect": {"id": org.id}}},
              "update": {"role": "OWNER"}},
    )
    company = db.company.upsert(
        where={"orgId_domain": {"orgId": org.id, "domain": "globex.test"}},
        data={"create": {"name": "Globex", "domain": "globex.test", "orgId": org.id, "ownerId": owner.id}, "update": {}},
    )
    # One nested write: a deal, its contact and its first task, atomically.
    deal = db.deal.create(
        data={
            "title": "Globex renewal",
            "amount": Decimal("48000.00"),
            "stage": "PROPOSAL",
            "org": {"connect": {"id": org.id}},
            "company": {"connect": {"id": company.id}},
            "owner": {"connect": {"id": owner.id}},
            "contacts": {"connect_or_create": [{
                "where": {"orgId_email": {"orgId": org.id, "email": "hank@globex.test"}},
                "create": {"firstName": "Hank", "lastName": "Scorpio", "email": "hank@globex.test", "orgId": org.id},
            }]},
            "tasks": {"create": [{"title": "Send the proposal", "priority": "HIGH", "orgId": org.id}]},
        },
        include={"contacts": True, "tasks": True},
    )
    for title, amount, stage in [("Initech pilot", "1200.50", "QUALIFIED"), ("Umbrella deal", "99000", "WON")]:
        db.deal.create(data={"title": title, "amount": Decimal(amount), "stage": stage, "orgId": org.id, "ownerId": owner.id})
    db.deal.update(where={"id": deal.id}, data={"stage": "NEGOTIATION", "amount": {"increment": Decimal("2000")}})

    pipeline = db.deal.group_by(
        ["stage"], where={"orgId": org.id}, count=True, sum={"amount": True}, order={"stage": "asc"},
    )
    open_deals = db.deal.find_many(
        where={"orgId": org.id, "stage": {"not_in": ["WON", "LOST"]}},
        include={"company": True, "contacts": {"order_by": {"lastName": "asc"}}},
        order={"amount": "desc"},
    )
    busy = db.user.find_many(where={"orgId": org.id, "ownedDeals": {"some": {"stage": "NEGOTIATION"}}})
    return {
        "org": org.name,
        "deal": deal.title,
        "contacts": [c.firstName for c in deal.contacts],
        "tasks": [t.title for t in deal.tasks],
        "pipeline": {str(g["stage"]): (g["_count"]["_all"], g["_sum"]["amount"]) for g in pipeline},
        "open": [(d.title, d.amount, d.company.name if d.company else None) for d in open_deals],
        "negotiating": [u.name for u in busy],
        "deals": db.deal.count(where={"orgId": org.id}),
    }


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from crm_client import Prisma
    except ImportError:
        sys.exit("Generate the client first: `lamina generate` (or `lamina migrate dev`).")
    with Prisma() as db:
        summary = run(db)
    print(f"{summary['org']}: {summary['deals']} deals")
    for stage, (count, total) in summary["pipeline"].items():
        print(f"  {stage:<12} {count:>2} deal(s)  {total:>12}")
    print("Open, largest first:")
    for title, amount, company in summary["open"]:
        print(f"  {title:<16} {amount:>12}  {company or '-'}")
    print("Negotiating:", ", ".join(summary["negotiating"]) or "nobody")


if __name__ == "__main__":
    main()
