"""Broken (and a few valid) schemas whose output was recorded from the real Prisma 7.10.1 CLI.

`prisma_cli_validate/<case>.prisma` is the schema (as `prisma/schema.prisma`);
`<case>.expected` is what `prisma validate` printed about it, colours stripped: the
"Prisma schema warning(s):" list, a blank line, then the diagnostics of the P1012 block
(errors only, as the CLI shows them). Empty means valid without warnings. Recorded with
`anchors/prisma/prisma.sh`; re-record the same way when Prisma's behaviour is re-checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lamina.psl.diagnostics import Diagnostics
from lamina.psl.load import parse_and_validate, warnings_block
from lamina.psl.render import render_diagnostics

CASES = sorted(Path(__file__).with_name("prisma_cli_validate").glob("*.prisma"))


@pytest.mark.parametrize("schema", CASES, ids=[c.stem for c in CASES])
def test_same_output_as_prisma_cli(schema):
    ast, diagnostics, datamodel = parse_and_validate([("prisma/schema.prisma", schema.read_text(encoding="utf-8"))])
    parts = []
    if diagnostics.warnings:
        parts.append(warnings_block(diagnostics))
    if diagnostics.errors:
        parts.append(render_diagnostics(Diagnostics(errors=list(diagnostics.errors)), ast))
    assert "\n".join(parts) == schema.with_suffix(".expected").read_text(encoding="utf-8")
    assert (datamodel is None) == bool(diagnostics.errors)
