"""Where a bench run's figures go: appended, dated, to bench/results.md, and with `--docs` also
written into the bench's own section of docs/performance.md, between the markers
`<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, with the machine they were taken on. The text
around the markers (what the figures mean, what changed) is written by hand; the tables
between them only ever by a run, so that the published figures are always a real run's.
"""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.md"
DOCS = HERE.parent / "docs" / "performance.md"


def machine() -> str:
    cpu = "?"
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, load average {load}; "
            f"Python {platform.python_version()}")


def record(name: str, title: str, lines: list[str], *, docs: bool = False) -> None:
    """Append the run to results.md under `title`; with `docs`, replace the section `name` of
    docs/performance.md with it (the markers must be there: a run never invents a section)."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = [f"Measured {stamp} on {machine()}.", "", *lines]
    with open(RESULTS, "a", encoding="utf-8") as fh:
        fh.write(f"\n## {title} — {stamp}\n\n" + "\n".join(body) + "\n")
    if docs:
        write_section(name, "\n".join(body))


def write_section(name: str, body: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise SystemExit(f"docs/performance.md has no single {begin} ... {end} section to write")
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    DOCS.write_text(f"{head}{begin}\n{body}\n{end}{tail}", encoding="utf-8")
