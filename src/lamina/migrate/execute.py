"""`db execute --file F | --stdin [--url U | --schema S]`: run a SQL script as is."""

from __future__ import annotations

import sys
from pathlib import Path

from lamina.db.connection import DatabaseError, connect
from lamina.db.url import parse_url
from lamina.errors import LaminaError, bad_file, decode_text
from lamina.migrate.output import out


def read_script(file: str | None, stdin: bool) -> str:
    if bool(file) == bool(stdin):
        raise LaminaError("Either --stdin or --file must be provided.\nSee `lamina db execute -h`")
    if stdin:
        return decode_text(sys.stdin.buffer.read(), "standard input", " (db execute --stdin)")
    path = Path(file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LaminaError(f"Provided --file at {file} doesn't exist.") from None
    except IsADirectoryError:
        raise bad_file(file, "is a folder; --file takes a SQL file.") from None
    except OSError as exc:
        raise bad_file(file, f"cannot be read: {exc.strerror}.") from None
    return decode_text(data, file)


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
