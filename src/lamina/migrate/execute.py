"""`db execute --file F | --stdin [--url U | --schema S]`: run a SQL script as is."""

from __future__ import annotations

import sys
from pathlib import Path

from lamina.db.connection import DatabaseError, connect
from lamina.db.url import parse_url
from lamina.errors import LaminaError
from lamina.migrate.output import out


def read_script(file: str | None, stdin: bool) -> str:
    if bool(file) == bool(stdin):
        raise LaminaError("Either --stdin or --file must be provided.\nSee `lamina db execute -h`")
    if stdin:
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LaminaError(f"Provided --file at {file} doesn't exist.") from None
    except UnicodeDecodeError:
        raise LaminaError(f"Provided --file at {file} is not valid UTF-8.") from None


def run_execute(script: str, url: str, base_dir: Path | None = None) -> int:
    target = parse_url(url, base_dir or Path.cwd())
    with connect(target, create=True) as conn:
        try:
            conn.execute_script(script)
        except DatabaseError as exc:
            code = f"\nDatabase error code: {exc.db_code}" if exc.db_code else ""
            raise LaminaError(f"{exc.message}{code}") from None
    out("Script executed successfully.")
    return 0
