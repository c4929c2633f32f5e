"""Syntax errors exactly as Prisma 7.10.1 prints them.

data/prisma_syntax_errors.json holds schemas full of syntax errors and the diagnostics
`prisma validate` printed for them (ANSI colours included; the file was called
prisma/schema.prisma). Prisma prints parser errors first, then validation errors, so the
rendered parser diagnostics must be a prefix of Prisma's output, and must be all of its parser
errors (the rest starts with a message the parser never produces).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lamina.psl.parser import parse_schema
from lamina.psl.render import render_diagnostics

CASES = json.loads((Path(__file__).parent / "data" / "prisma_syntax_errors.json").read_text(encoding="utf-8"))
PARSER_MESSAGES = (
    "Error validating: This line",
    "Error validating: This block is invalid",
    "Error validating: Invalid type definition",
    "This field declaration is invalid",
    "Field declarations don't require",
    "Fields are required by default",
    "To specify a list",
    "Optional lists are not supported",
)


@pytest.mark.parametrize("name", sorted(CASES))
def test_parser_errors_match_prisma(name: str) -> None:
    case = CASES[name]
    ast, diagnostics = parse_schema([("prisma/schema.prisma", case["schema"])])
    rendered = render_diagnostics(diagnostics, ast, color=True)
    expected = case["prisma_diagnostics"]
    assert diagnostics.errors, "the case has syntax errors"
    assert expected.startswith(rendered)
    rest = expected[len(rendered) :]
    first_rest_message = rest.split("\x1b[1m", 1)[1] if rest else ""
    assert not any(marker in first_rest_message.split("\n", 1)[0] for marker in PARSER_MESSAGES)
