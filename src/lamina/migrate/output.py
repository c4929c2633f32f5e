"""Printing for the migrate/db commands: stdout vs stderr as Prisma splits them, colour
only on a TTY (and never with NO_COLOR), the migration tree Prisma draws."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable


def _tty(stream) -> bool:
    try:
        return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def err(text: str = "") -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def style(text: str, code: str, stream=None) -> str:
    """ANSI `code` ("1" bold, "32" green, "33" yellow, "31" red, "2" dim) on a TTY only."""
    return f"\x1b[{code}m{text}\x1b[0m" if _tty(stream or sys.stdout) else text


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
    if _tty(sys.stderr):
        sys.stderr.write("\r\x1b[2K" + text)
        sys.stderr.flush()


def progress_done() -> None:
    if _tty(sys.stderr):
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()
