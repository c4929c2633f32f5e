"""Schemas with several independent problems: Lamina must report every error Prisma 7.10.1 does,
in its order, with its spans (the expected text keeps Prisma's colours, which mark the spans).

`prisma_cli_multi_error/<case>.prisma` is the schema (as `prisma/schema.prisma`); `<case>.expected`
is the diagnostics part of the P1012 block `prisma validate` printed for it (between "Error code:
P1012" and "Validation Error Count"), recorded from the real CLI with `anchors/prisma/prisma.sh`.

What these pin down (each seen with Prisma 7.10.1): the name, type and attribute passes all run
whatever the earlier ones found (a duplicate name, an unknown type and a bad attribute are all
reported); the last pass (relations, constraint names, literal parsing...) runs only when they
found nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lamina.psl.diagnostics import Diagnostics
from lamina.psl.load import parse_and_validate
from lamina.psl.render import render_diagnostics

CASES = sorted(Path(__file__).with_name("prisma_cli_multi_error").glob("*.prisma"))


@pytest.mark.parametrize("schema", CASES, ids=[c.stem for c in CASES])
def test_same_errors_as_prisma_cli(schema):
    ast, diagnostics, datamodel = parse_and_validate([("prisma/schema.prisma", schema.read_text(encoding="utf-8"))])
    rendered = render_diagnostics(Diagnostics(errors=list(diagnostics.errors)), ast, color=True) if diagnostics.errors else ""
    assert rendered == schema.with_suffix(".expected").read_text(encoding="utf-8")
    assert (datamodel is None) == bool(diagnostics.errors)
