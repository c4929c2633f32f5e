"""`migrate lint` weighs the locking findings (L2xx PostgreSQL, L4xx MySQL/MariaDB) by the size of
the table, read from the database it lints against: the size in the message, info below the
small-table threshold (--small-table-rows, [tool.lamina] lint_small_table_rows, the environment)."""

from __future__ import annotations

import re

import pytest

from lamina.migrate.lint import lint_script
from lamina.migrate.lint.sizes import TableSize, about

SCHEMA = "model Order {\n  id    Int    @id\n  total Int\n  note  String?\n}\n"
CHANGE = {
    "postgresql": 'CREATE INDEX "Order_total_idx" ON "Order"("total");\n',
    "mysql": "ALTER TABLE `Order` MODIFY `total` BIGINT NOT NULL;\n",
}
CODE = {"postgresql": "L201", "mysql": "L401"}


def test_the_size_in_the_finding_and_the_threshold():
    sizes = {"Order": TableSize(2_345_678, 180 << 20), "Tag": TableSize(40, 8192)}
    big = lint_script('CREATE INDEX "i" ON "Order"("total");\n', "postgresql", sizes=sizes, small_table_rows=100_000)
    assert [(f.code, f.severity) for f in big] == [("L201", "warning")]
    assert big[0].message.endswith(' The table "Order" has about 2.3M rows (180 MB).')
    small = lint_script('CREATE INDEX "i" ON "Tag"("x");\n', "postgresql", sizes=sizes, small_table_rows=100_000)
    assert [(f.code, f.severity) for f in small] == [("L201", "info")]
    assert small[0].message.endswith(' The table "Tag" has about 40 rows (8 kB), under the small-table threshold '
                                     "(100k rows): the lock is brief.")
    # a table the database does not know (created by an earlier pending migration): as without sizes
    unknown = lint_script('CREATE INDEX "i" ON "New"("x");\n', "postgresql", sizes=sizes, small_table_rows=100_000)
    assert unknown == lint_script('CREATE INDEX "i" ON "New"("x");\n', "postgresql")
    # destructive findings never depend on the size
    dropped = lint_script('ALTER TABLE "Tag" DROP COLUMN "x";\n', "postgresql", sizes=sizes, small_table_rows=100_000)
    assert {(f.code, f.severity) for f in dropped} == {("L102", "error"), ("L302", "warning")}
    assert [about(n) for n in (840, 1_000, 41_250, 2_300_000, 7_000_000_000)] == ["840", "1k", "41.2k", "2.3M", "7B"]


@pytest.fixture(params=["postgresql", "mysql"])
def busy(request, tmp_path):
    """A project whose `Order` table has 1,500 rows (statistics fresh) and a pending migration
    that locks it."""
    from wf_helpers import make_project

    provider = request.param
    url = request.getfixturevalue("postgres_url" if provider == "postgresql" else "mysql_url")
    p = make_project(tmp_path, provider, url)
    p.write_schema(SCHEMA)
    r = p.run("migrate", "dev", "--name", "init", "--skip-generate")
    assert r.code == 0, r.both
    values = ", ".join(f"({i}, {i * 3})" for i in range(1, 1501))
    p.query(p.sql(f'INSERT INTO "Order" (id, total) VALUES {values}'))
    p.query('ANALYZE "Order"' if provider == "postgresql" else "ANALYZE TABLE `Order`")
    p.add_migration("20990101000000_lock_order", CHANGE[provider])
    return p


def _finding(out: str, code: str) -> str:
    (line,) = [x for x in out.splitlines() if f" {code} " in x]
    return line


def test_pending_migrations_are_weighed_by_the_database(busy):
    p, code = busy, CODE[busy.provider]
    # below the default threshold (100k rows): info, and --fail-on warning passes
    r = p.run("migrate", "lint", "--fail-on", "warning")
    assert r.code == 0, r.both
    line = _finding(r.out, code)
    assert f"{code} info " in line
    assert re.search(r'The table "Order" has about 1\.\dk rows \(\d+ kB\), under the small-table threshold '
                     r"\(100k rows\): the lock is brief\.$", line), line
    # a threshold under the table's size: a warning that names the size
    r = p.run("migrate", "lint", "--fail-on", "warning", "--small-table-rows", "1000")
    assert r.code == 1, r.both
    line = _finding(r.out, code)
    assert f"{code} warning " in line and re.search(r'The table "Order" has about 1\.\dk rows \(\d+ kB\)\.$', line), line
    # the same threshold from pyproject.toml, then from the environment
    (p.root / "pyproject.toml").write_text("[tool.lamina]\nlint_small_table_rows = 1_000\n")
    assert f"{code} warning " in _finding(p.run("migrate", "lint").out, code)
    (p.root / "pyproject.toml").unlink()
    r = p.run("migrate", "lint", env={"LAMINA_LINT_SMALL_TABLE_ROWS": "1000"})
    assert f"{code} warning " in _finding(r.out, code)
    r = p.run("migrate", "lint", env={"LAMINA_LINT_SMALL_TABLE_ROWS": "many"})
    assert r.code == 1 and "LAMINA_LINT_SMALL_TABLE_ROWS: expected a number of rows, got `many`." in r.err


def test_named_migrations_read_sizes_only_with_url(busy):
    p, code = busy, CODE[busy.provider]
    # without --url a named migration is linted without a database, as before: a warning, no size
    r = p.run("migrate", "lint", "20990101000000_lock_order", "--fail-on", "warning")
    assert r.code == 1 and f"{code} warning " in _finding(r.out, code) and "about" not in r.out
    r = p.run("migrate", "lint", "20990101000000_lock_order", "--fail-on", "warning", "--url", p.url,
              env={"DATABASE_URL": None})
    assert r.code == 0, r.both
    assert f"{code} info " in _finding(r.out, code) and 'table "Order" has about 1.' in r.out
    data = p.run("migrate", "lint", "--format", "json").out
    assert '"severity": "info"' in data and "has about 1." in data
