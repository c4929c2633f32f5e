"""What every migrate/db command starts from: the schema's location, its datasource and
the migrations folder, plus Prisma's header lines."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lamina.migrate.datasource import Datasource, load_datasource
from lamina.migrate.directory import migrations_dir
from lamina.migrate.output import err, out
from lamina.project import SchemaLocation


@dataclass
class Context:
    location: SchemaLocation
    datasource: Datasource
    migrations_dir: Path

    @property
    def url(self):
        return self.datasource.url

    @property
    def provider(self) -> str:
        return self.datasource.provider

    def display(self, path: Path) -> str:
        try:
            return os.path.relpath(path, Path.cwd())
        except ValueError:
            return str(path)

    @property
    def migrations_display(self) -> str:
        return self.display(self.migrations_dir)

    def header(self) -> None:
        err(f"Prisma schema loaded from {self.location.display()}.")
        out(self.datasource.describe())


def load_context(location: SchemaLocation, url_override: str | None = None, *, announced: bool = True) -> Context:
    """The context of a migrate/db command; first, as Prisma's CLI, the schema's configuration is
    checked (lamina.psl.get_config: P1012 on a syntax error or an invalid datasource/generator).
    `announced`: the command prints the "Prisma schema loaded from" line (`db pull --print` not)."""
    from lamina.psl.get_config import check_configuration

    check_configuration(location, announced=announced)
    ds = load_datasource(location, url_override)
    return Context(location, ds, migrations_dir(location))
