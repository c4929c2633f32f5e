"""Printing for the migrate/db commands: stdout vs stderr as Prisma splits them, colour
decided in one place (`color_enabled`), the migration tree Prisma draws, and progress:
a transient line on a terminal, one plain line per step in logs (CI, `| tee`)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from collections.abc import Iterable, Iterator

# A thread's own sink for everything below (fleet.py runs one deploy per thread; their texts
# must not interleave on the terminal). contextlib.redirect_stdout would swap sys.stdout for
# every thread at once.
_local = threading.local()


@contextlib.contextmanager
def captured() -> Iterator[io.StringIO]:
    """Inside the block, this thread's out/err/progress text goes to the buffer yielded."""
    buffer = io.StringIO()
    previous = getattr(_local, "sink", None)
    _local.sink = buffer
    try:
        yield buffer
    finally:
        _local.sink = previous


def _sink():
    return getattr(_local, "sink", None)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def color_enabled(stream=None) -> bool:
    """The one place that decides colour, for every command and the schema diagnostics:
    NO_COLOR (https://no-color.org) turns it off, FORCE_COLOR (as CI systems set it) turns it
    on without a terminal, otherwise colour on a terminal that is not TERM=dumb."""
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force not in ("", "0", "false"):
        return True
    return _isatty(stream or sys.stdout) and os.environ.get("TERM") != "dumb"


def _tty(stream) -> bool:  # a live terminal for transient progress lines (not a colour question)
    return _isatty(stream) and os.environ.get("TERM") != "dumb"


def out(text: str = "") -> None:
    if (sink := _sink()) is not None:
        sink.write(text + "\n")
        return
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def err(text: str = "") -> None:
    if (sink := _sink()) is not None:
        sink.write(text + "\n")
        return
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def style(text: str, code: str, stream=None) -> str:
    """ANSI `code` ("1" bold, "32" green, "33" yellow, "31" red, "2" dim) on a TTY only."""
    return f"\x1b[{code}m{text}\x1b[0m" if color_enabled(stream or sys.stdout) else text


def bold(text: str, stream=None) -> str:
    return style(text, "1", stream)


def interactive() -> bool:
    """A human can answer prompts: stdin and stdout are terminals (and not CI)."""
    if os.environ.get("LAMINA_FORCE_INTERACTIVE"):
        return True
    try:
        return sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("CI")
    except (AttributeError, ValueError):
        return False


def can_encode(text: str, stream=None) -> bool:
    """Whether `stream` (stdout by default) can print `text` as is (a cp1252 console or a C
    locale cannot print box-drawing characters or ✔)."""
    try:
        text.encode(getattr(stream or sys.stdout, "encoding", None) or "utf-8")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def tree(root: str, names: Iterable[str]) -> str:
    branch = "└─" if can_encode("└─") else "+-"
    lines = [root]
    for name in names:
        lines.append(f"  {branch} {name}/")
        lines.append(f"    {branch} migration.sql")
    return "\n".join(lines)


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return word if n == 1 else (plural_word or word + "s")


def progress(text: str) -> None:
    """A transient line on a TTY stderr (overwritten by the next); nothing otherwise."""
    if _sink() is None and _tty(sys.stderr):
        sys.stderr.write("\r\x1b[2K" + text)
        sys.stderr.flush()


def progress_done() -> None:
    if _sink() is None and _tty(sys.stderr):
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()


def step_done(text: str) -> None:
    """A finished step (an applied migration with its duration) as one plain line on stderr when
    stderr is not a terminal, for CI logs; stdout keeps Prisma's text unchanged."""
    if _sink() is not None or not _tty(sys.stderr):
        err(text)
