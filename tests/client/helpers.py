"""Generate a client package from schema text and create its tables with Lamina's engine."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from lamina.client.generate import generate_all
from lamina.db.connection import connect
from lamina.dialects import get_dialect
from lamina.errors import LaminaError
from lamina.project import locate_schema
from lamina.psl.load import load_datamodel
from lamina.sql.calculate import calculate
from lamina.sql.diff import diff
from lamina.sql.schema import SqlSchema


def generate(schema_text: str, folder: Path, package: str, provider: str, interface: str = "sync") -> tuple[ModuleType, object]:
    """Write the schema for `provider`, generate `package` into `folder`, import it."""
    text = schema_text.replace("__PROVIDER__", provider).replace("__OUTPUT__", f"../{package}")
    text = text.replace("__INTERFACE__", interface)
    (folder / "prisma").mkdir(parents=True, exist_ok=True)
    (folder / "prisma" / "schema.prisma").write_text(text)
    loaded = load_datamodel(locate_schema(folder / "prisma" / "schema.prisma"))
    generate_all(loaded)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    return importlib.import_module(package), loaded


def create_tables(loaded: object, url: str) -> None:
    dm = loaded.datamodel  # type: ignore[attr-defined]
    try:
        dialect = get_dialect(dm.provider.value)
        script = dialect.render_script(diff(SqlSchema(), calculate(dm, dialect), dialect))
    except (ImportError, LaminaError):  # the engine has no renderer for it yet: Prisma-shaped stand-in DDL
        from tests.client.ddl import script as stand_in

        script = ";\n".join(stand_in(dm, dm.provider.value)) + ";\n"
    with connect(url, create=True) as conn:
        conn.execute_script(script)
