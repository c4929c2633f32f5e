"""What `--targets` prints: a live progress bar on a terminal (stderr), one plain line per
finished target otherwise (CI logs), then a summary table on stdout; or, with `--json`, only
the report as JSON on stdout."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable

from lamina.migrate.fleet import FleetReport, TargetResult
from lamina.migrate.output import _tty, out, plural

_LABEL = {"applied": "applied", "up_to_date": "up to date", "failed": "FAILED", "skipped": "skipped",
          "pending": "pending", "applying": "being applied", "drifted": "drifted", "diverged": "diverged",
          "unmanaged": "not managed", "error": "ERROR"}


class Progress:
    """Called once per finished target (under the fleet's lock)."""

    def __init__(self, total: int, verb: str, quiet: bool = False) -> None:
        self.total = total
        self.verb = verb
        self.done = 0
        self.failed = 0
        self.quiet = quiet  # --json: nothing but the report
        self.live = not quiet and _tty(sys.stderr)

    def __call__(self, result: TargetResult) -> None:
        self.done += 1
        self.failed += result.state in ("failed", "diverged", "unmanaged", "error")
        if self.quiet:
            return
        if self.live:
            width = max(10, min(40, shutil.get_terminal_size((80, 20)).columns - 50))
            filled = width * self.done // self.total
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r\x1b[2K{self.verb} [{bar}] {self.done}/{self.total}"
                             + (f", {self.failed} failed" if self.failed else ""))
            if self.done == self.total:
                sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
        else:
            sys.stderr.write(f"[{self.done}/{self.total}] {_line(result)}\n")
            sys.stderr.flush()


def _what(r: TargetResult) -> str:
    if r.state == "applied":
        return f"{len(r.applied)} {plural(len(r.applied), 'migration')} applied"
    if r.state == "pending":
        return f"{len(r.pending)} pending"
    if r.state in ("failed", "skipped") and r.error:
        return r.error
    if r.state == "failed" and r.failed:
        return "failed: " + ", ".join(r.failed)
    if r.state == "applying":
        return f"{', '.join(r.failed)} being applied by {r.applying}"
    if r.state == "drifted":
        return "changed after applied: " + ", ".join(r.drifted)
    if r.error:
        return r.error
    return ""


def _line(r: TargetResult) -> str:
    what = _what(r)
    return f"{r.target}: {_LABEL.get(r.state, r.state)}" + (f" ({what})" if what and r.state != "failed" else
                                                            f": {what}" if what else "")


def table(report: FleetReport, columns: list[tuple[str, Callable[[TargetResult], object]]]) -> str:
    rows = [[title for title, _ in columns]] + [[str(get(r)) for _, get in columns] for r in report.results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.ljust(widths[i]) if i < len(row) - 1 else cell for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_deploy_summary(report: FleetReport, as_json: bool) -> None:
    if as_json:
        out(json.dumps(report.to_json(), indent=2))
        return
    out(table(report, [("target", lambda r: r.target), ("result", lambda r: _LABEL.get(r.state, r.state)),
                       ("applied", lambda r: len(r.applied) if r.state == "applied" else "-"),
                       ("error", lambda r: r.error or "")]))
    out()
    out(f"{len(report.results)} {plural(len(report.results), 'database')} in {report.seconds:.1f}s: "
        f"{report.count('applied')} updated, {report.count('up_to_date')} already up to date, "
        f"{report.count('failed')} failed" + (f", {report.count('skipped')} skipped" if report.count("skipped") else "")
        + ".")


def print_status_summary(report: FleetReport, as_json: bool) -> None:
    if as_json:
        data = report.to_json()
        data["ok"] = all(r.state == "up_to_date" for r in report.results)
        out(json.dumps(data, indent=2))
        return
    out(table(report, [("target", lambda r: r.target), ("state", lambda r: _LABEL.get(r.state, r.state)),
                       ("pending", lambda r: len(r.pending)),
                       ("failed", lambda r: ", ".join(r.failed) or "-"),
                       ("drifted", lambda r: ", ".join(r.drifted) or "-"),
                       ("error", lambda r: r.error or "")]))
    out()
    states: dict[str, int] = {}
    for r in report.results:
        states[r.state] = states.get(r.state, 0) + 1
    out(f"{len(report.results)} {plural(len(report.results), 'database')}: "
        + ", ".join(f"{n} {_LABEL.get(s, s)}" for s, n in sorted(states.items())) + ".")


# ---------------------------------------------------------------- the commands


def run_deploy_targets(location, targets_path: str, *, concurrency: int, fail_fast: bool, as_json: bool,
                       ignore_checksums: bool = False) -> int:
    """`lamina migrate deploy --targets FILE`: exit 1 when any target failed."""
    from lamina.migrate.fleet import deploy_one, load_project, read_targets, run_each
    from lamina.migrate.status import found_line

    project = load_project(location)
    targets = read_targets(targets_path, project.provider)
    if not as_json:
        out(f"{found_line(len(project.local), project.migrations_display)}; "
            f"{len(targets)} {plural(len(targets), 'database')}, {min(concurrency, len(targets))} at a time")
        out()
    report = run_each(targets, deploy_one(project.local, ignore_checksums), concurrency=concurrency,
                      fail_fast=fail_fast, on_result=Progress(len(targets), "Deploying", quiet=as_json))
    print_deploy_summary(report, as_json)
    return 0 if report.ok else 1


def run_status_targets(location, targets_path: str, *, concurrency: int, as_json: bool) -> int:
    """`lamina migrate status --targets FILE`: exit 0 only when every target is up to date."""
    from lamina.migrate.fleet import load_project, read_targets, run_each, status_one

    project = load_project(location)
    targets = read_targets(targets_path, project.provider)
    report = run_each(targets, status_one(project.local), concurrency=concurrency, error_state="error",
                      on_result=Progress(len(targets), "Checking", quiet=as_json))
    print_status_summary(report, as_json)
    return 0 if all(r.state == "up_to_date" for r in report.results) else 1
