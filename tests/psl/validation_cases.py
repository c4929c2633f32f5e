"""Prisma's psl-validation conformance suite, read as its README says (shared by the test
module and the pass-rate summary in conftest.py)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "prisma-engines" / "psl-validation"
EXPECTED_FAILURES_FILE = Path(__file__).with_name("conformance_expected_failures.toml")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The one listed rule for skips: providers Lamina does not target.
SKIPPED_PROVIDERS = ("mongodb", "sqlserver", "cockroachdb")
PROVIDER = re.compile(r'^\s*provider\s*=\s*"([^"]*)"', re.M)


@dataclass
class Case:
    name: str  # upstream test name: relative path without .prisma, "/" -> "_"
    path: Path
    text: str
    expected: str  # "" when the schema must be valid

    @property
    def skip_reason(self) -> str | None:
        for provider in PROVIDER.findall(self.text):
            if provider in SKIPPED_PROVIDERS:
                return f"provider {provider} is not targeted by Lamina"
        return None


def expectation(text: str) -> str:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    start = len(lines)
    while start - 1 >= 1 and lines[start - 1].startswith("//"):
        start -= 1
    out = []
    for line in lines[start:]:
        while line.startswith("// "):
            line = line[3:]
        out.append(line + "\n")
    return "".join(out)


def load_cases() -> list[Case]:
    if not SUITE.is_dir():
        return []
    cases = []
    for path in sorted(SUITE.rglob("*.prisma")):
        text = path.read_bytes().decode("utf-8")
        name = str(path.relative_to(SUITE).with_suffix("")).replace("/", "_")
        cases.append(Case(name, path, text, expectation(text)))
    return cases


def expected_failures() -> dict[str, str]:
    data = tomllib.loads(EXPECTED_FAILURES_FILE.read_text(encoding="utf-8"))
    return dict(data.get("validation", {}))


def actual_output(text: str) -> tuple[str, bool]:
    """(rendered diagnostics with colours, has errors)."""
    from lamina.psl.parser import parse_schema
    from lamina.psl.render import render_diagnostics
    from lamina.psl.validate import validate

    ast, diagnostics = parse_schema([("schema.prisma", text)])
    validate(ast, diagnostics)
    return render_diagnostics(diagnostics, ast, color=True), diagnostics.has_errors


def strip(text: str) -> str:
    return ANSI.sub("", text)


def expects_errors(expected: str) -> bool:
    return any(line.startswith("error: ") for line in strip(expected).split("\n"))
