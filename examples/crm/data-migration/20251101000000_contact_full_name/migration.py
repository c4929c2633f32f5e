"""Backfill contacts.full_name from the first and last names of the rows already there.

Runs after migration.sql (which adds the column), in the same transaction: if anything here
raises, the column is not added either, and the migration is recorded as failed.
`lamina migrate rollback` runs downgrade(db), then down.sql (which drops the column).
"""


def upgrade(db):
    rows = db.query('SELECT "id", "first_name", "last_name" FROM "contacts" WHERE "full_name" IS NULL')
    for contact_id, first, last in rows:
        full = " ".join(part.strip() for part in (first, last) if part and part.strip())
        db.execute('UPDATE "contacts" SET "full_name" = ? WHERE "id" = ?', (full, contact_id))


def downgrade(db):
    """Nothing to put back: the names were only copied into contacts.full_name, which down.sql drops."""
