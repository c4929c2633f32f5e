"""Prisma's single-migration conformance suite: empty -> schema must render Prisma's script.

Reads ../shared/conformance/prisma-engines/single-migration/ (see its README). The pass
rate per provider is printed at the end of the session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.helpers import script

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "prisma-engines" / "single-migration"
PROVIDERS = {"postgres": "postgresql", "sqlite": "sqlite", "mysql": "mysql", "vitess": "mysql"}
RESULTS: dict[str, list[bool]] = {}


def _cases():
    if not SUITE.is_dir():
        return []
    return sorted(SUITE.rglob("*.prisma"))


def parse_case(path: Path) -> tuple[str, str, str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    tags = [t.strip().lower() for t in lines[0].removeprefix("// tags=").split(",")]
    provider = next(PROVIDERS[t] for t in tags if t in PROVIDERS)
    marker = text.index("// Expected Migration:\n")
    schema = text[:marker]
    expected_lines = text[marker + len("// Expected Migration:\n"):].split("\n")
    out = []
    for line in expected_lines:
        if not line.startswith("//"):
            continue
        out.append(line[3:] if line.startswith("// ") else line[2:])
    return provider, schema, "\n".join(out).rstrip("\n") + "\n"


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    for provider, results in sorted(RESULTS.items()):
        print(f"\nsingle-migration conformance [{provider}]: {sum(results)}/{len(results)} pass")


@pytest.mark.parametrize("path", _cases(), ids=lambda p: str(p.relative_to(SUITE)))
def test_single_migration(path: Path, shared_dir, record_property) -> None:
    provider, schema, expected = parse_case(path)
    # Counted by tests/psl/conftest.py's pass-rate summary when the whole suite runs.
    record_property("conformance_suite", f"single-migration [{provider}]")
    got = script(None, schema, provider)
    RESULTS.setdefault(provider, []).append(got == expected)
    assert got == expected
