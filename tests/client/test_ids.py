"""Client-side default values have the shapes Prisma's engine gives them."""

from __future__ import annotations

import re
import uuid

from lamina.client.runtime import ids


def test_id_formats() -> None:
    assert re.fullmatch(r"c[0-9a-z]{24}", ids.cuid())
    assert len({ids.cuid() for _ in range(1000)}) == 1000
    assert re.fullmatch(r"[a-z][0-9a-z]{23}", ids.cuid2())
    assert uuid.UUID(ids.uuid4()).version == 4
    v7 = uuid.UUID(ids.uuid7())
    assert v7.version == 7 and v7.variant == uuid.RFC_4122
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", ids.ulid())
    assert re.fullmatch(r"[A-Za-z0-9_-]{21}", ids.nanoid()) and len(ids.nanoid(8)) == 8
    assert ids.generate("cuid", ["2"]) != ids.generate("cuid", [])
    assert ids.now().microsecond % 1000 == 0 and ids.now().tzinfo is not None
