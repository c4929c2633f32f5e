"""Prisma's reformat suites (../shared/conformance/prisma-engines/psl-reformat*), read as the
suite README says: X.prisma -> X.reformatted.prisma (missing expected file = empty), folders
D/ -> D.reformatted/; every expected output must also be a fixed point (idempotence)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from lamina.psl.format import format_schema

HERE = Path(__file__).resolve().parent
SUITES = HERE.parents[1].parent / "shared" / "conformance" / "prisma-engines"
EXPECTED_FAILURES = tomllib.loads((HERE / "conformance_expected_failures.toml").read_text()).get("reformat", {})


def _single_file_cases() -> list[str]:
    root = SUITES / "psl-reformat"
    if not root.is_dir():
        return []
    return sorted(
        str(p.relative_to(root))[: -len(".prisma")]
        for p in root.rglob("*.prisma")
        if not p.name.endswith(".reformatted.prisma")
    )


def _multi_file_cases() -> list[str]:
    root = SUITES / "psl-reformat-multi-file"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.endswith(".reformatted"))


def _mark(case_id: str, case: str):
    reason = EXPECTED_FAILURES.get(case_id)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, marks=marks, id=case)


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("case", [_mark(c, c) for c in _single_file_cases()])
def test_reformat(case: str, shared_dir: Path, record_property) -> None:
    record_property("conformance_suite", "psl-reformat")
    root = shared_dir / "conformance" / "prisma-engines" / "psl-reformat"
    source = _read(root / f"{case}.prisma")
    expected_path = root / f"{case}.reformatted.prisma"
    expected = _read(expected_path) if expected_path.exists() else ""
    [(_, actual)] = format_schema([("schema.prisma", source)])
    assert actual == expected
    [(_, again)] = format_schema([("schema.prisma", expected)])
    assert again == expected, "formatting the expected output changed it (not idempotent)"


@pytest.mark.parametrize("case", [_mark(f"psl-reformat-multi-file/{c}", c) for c in _multi_file_cases()])
def test_reformat_multi_file(case: str, shared_dir: Path, record_property) -> None:
    record_property("conformance_suite", "psl-reformat-multi-file")
    root = shared_dir / "conformance" / "prisma-engines" / "psl-reformat-multi-file"
    sources = [(p.name, _read(p)) for p in sorted((root / case).glob("*.prisma"))]
    expected = {p.name: _read(p) for p in sorted((root / f"{case}.reformatted").glob("*.prisma"))}
    actual = dict(format_schema(sources))
    for name, text in expected.items():
        assert actual.get(name) == text, f"{name} differs"
    again = dict(format_schema(list(expected.items())))
    assert again == expected, "formatting the expected output changed it (not idempotent)"
