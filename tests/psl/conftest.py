"""Conformance pass rates: a test that calls `record_property("conformance_suite", NAME)` is
counted under NAME, and the rate per suite is printed at the end of the session (also under
pytest-xdist: reports travel to the controller with their user properties)."""

from __future__ import annotations

from collections import defaultdict

_TALLY: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


def pytest_runtest_logreport(report):
    suite = dict(report.user_properties).get("conformance_suite")
    if suite is None:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        outcome = "xfailed" if hasattr(report, "wasxfail") and report.outcome == "skipped" else report.outcome
        if hasattr(report, "wasxfail") and report.outcome == "passed":
            outcome = "xpassed"
        _TALLY[suite][outcome] += 1


def pytest_terminal_summary(terminalreporter):
    if not _TALLY:
        return
    terminalreporter.section("conformance pass rates")
    for suite in sorted(_TALLY):
        counts = _TALLY[suite]
        ran = counts["passed"] + counts["failed"] + counts["xfailed"] + counts["xpassed"]
        rate = 100.0 * counts["passed"] / ran if ran else 0.0
        terminalreporter.write_line(
            f"{suite}: {counts['passed']}/{ran} passed ({rate:.1f}%), "
            f"{counts['xfailed']} expected failures, {counts['failed']} failed, "
            f"{counts['skipped']} skipped"
        )
