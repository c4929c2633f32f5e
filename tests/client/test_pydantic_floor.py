"""The generated client works with the oldest pydantic pyproject allows (2.8.2, prisma-client-py's
own pin): a virtual environment with that pydantic in front of this one's packages generates a
client, imports it and runs queries on SQLite. The environment is kept between runs
(LAMINA_PYDANTIC_FLOOR_VENV, default ~/.cache/lamina/pydantic-2.8.2), so only the first run
installs anything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FLOOR = "2.8.2"

SCRIPT = r'''
import sys
from pathlib import Path
import pydantic
assert pydantic.VERSION == sys.argv[2], pydantic.VERSION
from lamina.client.generate import generate_all
from lamina.project import locate_schema
from lamina.psl.load import load_datamodel

root = Path(sys.argv[1])
generate_all(load_datamodel(locate_schema(root / "prisma" / "schema.prisma")))
sys.path.insert(0, str(root))
from shop import Base64, Json, Prisma
from shop.models import Item

db = Prisma(datasource={"url": f"file:{root / 'dev.db'}"})
db.connect()
db.execute_raw('CREATE TABLE "Item" (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, blob BLOB, data TEXT)')
made = db.item.create({"name": "a", "blob": Base64.encode(b"x"), "data": Json({"k": 1})})
found = db.item.find_unique(where={"id": made.id})
assert found.blob.decode() == b"x" and found.data == {"k": 1}, found
assert {"format": "byte", "type": "string"} in Item.model_json_schema()["properties"]["blob"]["anyOf"]
assert Item.model_validate({"id": 1, "name": "n", "blob": b"eA==", "data": None}).blob.decode() == b"x"
print("ok", pydantic.VERSION)
'''

SCHEMA = """\
generator client {
  provider = "lamina"
  output   = "../shop"
}

datasource db {
  provider = "sqlite"
  url      = "file:./dev.db"
}

model Item {
  id   Int    @id @default(autoincrement())
  name String
  blob Bytes?
  data Json?
}
"""


def _floor_python() -> Path:
    venv = Path(os.environ.get("LAMINA_PYDANTIC_FLOOR_VENV", Path.home() / ".cache" / "lamina" / f"pydantic-{FLOOR}"))
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    if not (venv / ".ready").exists():
        # this environment's packages (Lamina and its other dependencies) stay visible behind it
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"pydantic=={FLOOR}"], check=True)
        (venv / ".ready").write_text(FLOOR)
    return python


def test_generated_client_with_the_oldest_pydantic(tmp_path: Path) -> None:
    python = _floor_python()
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    src = Path(__file__).resolve().parents[2] / "src"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([str(python), "-c", SCRIPT, str(tmp_path), FLOOR], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == f"ok {FLOOR}"
