"""`generate` on an unchanged schema whose client folders are as the last run left them: answered
from the repeat-run cache (lamina.cache) without parsing, validating or rendering.

The entry (kind "generate") is keyed on the schema's files, the values of the environment
variables they name, the schema's folder (outputs are resolved against it) and the installed
package folder (where a prisma-client-py block without `output` writes). It records the schema's
warnings, each generator block's outcome, and a manifest of every file in each output folder
with its SHA-256. A run is served from it only while each folder still holds exactly those files
(no file missing, added or changed: a deleted or edited client is regenerated). Not cached:
`generate --sql` (it reads the database) and a block with a `partial_type_generator` (it runs a
script the key does not cover).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from lamina import cache

KIND = "generate"


@dataclass
class CachedRun:
    name: str
    output: Path | None  # None: skipped (another generator's provider)
    skipped: str | None
    manifest: dict[str, str]  # path inside the output folder -> sha256 of its bytes


@dataclass
class CachedGenerate:
    warnings: str
    runs: list[CachedRun]


def entry_key(sources: list[tuple[str, str]], schema_dir: Path, installed_dir: Path) -> str:
    return cache.schema_key(sources, str(schema_dir.resolve()), str(installed_dir))


def lookup(entry: str) -> CachedGenerate | None:
    """The recorded run, if every output folder still holds exactly the files it wrote."""
    payload = cache.get(KIND, entry)
    if payload is None:
        return None
    try:
        data = json.loads(payload)
        recorded = CachedGenerate(data["warnings"], [
            CachedRun(r["name"], Path(r["output"]) if r["output"] is not None else None, r["skipped"], r["manifest"])
            for r in data["runs"]])
    except (ValueError, KeyError, TypeError):
        return None
    for run in recorded.runs:
        if run.output is not None and folder_manifest(run.output) != run.manifest:
            return None
    return recorded


def remember(entry: str, recorded: CachedGenerate) -> None:
    runs = [{"name": r.name, "output": str(r.output) if r.output is not None else None, "skipped": r.skipped,
             "manifest": r.manifest} for r in recorded.runs]
    cache.put(KIND, entry, json.dumps({"warnings": recorded.warnings, "runs": runs}).encode("utf-8"))


def folder_manifest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (but Python's `__pycache__`) and the SHA-256 of its bytes; {}
    for a missing folder."""
    manifest: dict[str, str] = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            path = os.path.join(root, name)
            try:
                with open(path, "rb") as fh:
                    digest = hashlib.file_digest(fh, "sha256").hexdigest()
            except OSError:
                digest = ""
            manifest[os.path.relpath(path, folder)] = digest
    return manifest
