"""Prisma's psl-validation suite: Lamina's diagnostics must equal Prisma's expected output.

Three checks per in-scope case, each counted as its own suite in the pass-rate summary
(tests/psl/conftest.py): `exact` (with ANSI colours), `plain` (colours stripped) and
`valid/invalid` (errors reported or not). Cases for mongodb/sqlserver/cockroachdb are
skipped by one rule (validation_cases.SKIPPED_PROVIDERS); every other known failure is
listed with its reason in conformance_expected_failures.toml under [validation]:
`"<case>" = "reason"` fails every check, and `"<case> (exact)" = "reason"` fails only
the exact one, and `"<case> (message)" = "reason"` fails exact and plain but agrees on
valid/invalid.
"""

from __future__ import annotations

import pytest

from validation_cases import actual_output, expected_failures, expects_errors, load_cases, strip

CASES = load_cases()
FAILURES = expected_failures() if CASES else {}


def _param(case, mode):
    marks = []
    if case.skip_reason:
        marks.append(pytest.mark.skip(reason=case.skip_reason))
    reason = FAILURES.get(case.name)
    if reason is None and mode in ("exact", "plain"):
        reason = FAILURES.get(f"{case.name} (message)")
    if reason is None and mode == "exact":
        reason = FAILURES.get(f"{case.name} (exact)")
    if reason is not None:
        marks.append(pytest.mark.xfail(reason=reason, strict=True))
    return pytest.param(case, id=case.name, marks=marks)


@pytest.fixture(autouse=True)
def _needs_suite(shared_dir):
    return shared_dir


@pytest.mark.parametrize("case", [_param(c, "exact") for c in CASES])
def test_exact(case, record_property):
    record_property("conformance_suite", "psl-validation exact")
    actual, _ = actual_output(case.text)
    assert actual == case.expected


@pytest.mark.parametrize("case", [_param(c, "plain") for c in CASES])
def test_plain(case, record_property):
    record_property("conformance_suite", "psl-validation plain")
    actual, _ = actual_output(case.text)
    assert strip(actual) == strip(case.expected)


@pytest.mark.parametrize("case", [_param(c, "valid/invalid") for c in CASES])
def test_valid_invalid_agreement(case, record_property):
    record_property("conformance_suite", "psl-validation valid/invalid")
    _, has_errors = actual_output(case.text)
    assert has_errors == expects_errors(case.expected)


def test_expected_failures_name_real_cases():
    names = {c.name for c in CASES}
    for key in FAILURES:
        assert key.removesuffix(" (exact)").removesuffix(" (message)") in names, f"unknown case in conformance_expected_failures.toml: {key}"
