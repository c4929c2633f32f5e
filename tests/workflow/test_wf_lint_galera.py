"""`migrate lint`'s Galera rules (L5xx, lint/galera.py): each rule on a fixture, when they apply
(told by --galera / LAMINA_GALERA, or found on a cluster node), and L503's size from a real
MariaDB table. The cluster itself (found without being told, and deploy/dev's output) is in
test_wf_galera.py."""

from __future__ import annotations

import json
import re

from lamina.migrate.lint import lint_script
from lamina.migrate.lint.sizes import SMALL_TABLE_ROWS, TableSize
from wf_helpers import mysql_connect

FIXTURE = """CREATE TABLE `log` (`line` TEXT);
CREATE TABLE `a` (`id` INT NOT NULL, PRIMARY KEY (`id`));
-- a lock of our own
SELECT GET_LOCK('x', 1);
LOCK TABLES `a` WRITE;
ALTER TABLE `orders` ADD COLUMN `x` INT;
CREATE INDEX `i` ON `orders`(`x`);
ALTER TABLE `a` ADD COLUMN `y` INT;
ALTER TABLE `b` DROP PRIMARY KEY;
"""


def _l5(findings):
    return [(f.code, f.severity, f.line) for f in findings if f.code.startswith("L5")]


def test_each_rule_on_a_fixture_without_sizes():
    found = _l5(lint_script(FIXTURE, "mysql", "fixture", galera=True))
    assert found == [("L501", "warning", 1), ("L502", "warning", 4), ("L502", "warning", 5), ("L503", "info", 6),
                     ("L503", "info", 7), ("L501", "warning", 9), ("L503", "info", 9)]
    # `a` is created by the same migration: empty, so its ALTER holds nothing back (line 8)


def test_only_when_the_target_is_galera():
    assert _l5(lint_script(FIXTURE, "mysql", "fixture")) == []
    assert _l5(lint_script(FIXTURE.replace("`", '"'), "postgresql", "fixture", galera=True)) == []


def test_toi_is_weighed_by_the_table_size():
    sizes = {"orders": TableSize(2_500_000, 180 << 20), "b": TableSize(10)}
    findings = [f for f in lint_script(FIXTURE, "mysql", "fixture", galera=True, sizes=sizes,
                                       small_table_rows=SMALL_TABLE_ROWS) if f.code == "L503"]
    assert [(f.severity, f.line) for f in findings] == [("warning", 6), ("warning", 7), ("info", 9)]
    assert findings[0].message == (
        "ALTER TABLE on `orders` runs as total-order isolation: writes wait on every node of the cluster until it has "
        'finished. The table "orders" has about 2.5M rows (180 MB). For a change that old and new code both '
        "tolerate, apply it node by node as a "
        "rolling schema upgrade (SET SESSION wsrep_OSU_method='RSU'; each node leaves the cluster's flow while it "
        "runs, and a change the replication of rows cannot cross breaks the cluster): see \"Running on more than one "
        "server\" (docs/guides/more-than-one-server.md).")
    assert findings[2].message.endswith('The table "b" has about 10 rows, under the small-table threshold: brief.')


def test_suppression_comment_works_for_l5xx():
    text = "-- lamina-lint: ignore L502 a session-level guard only\nSELECT GET_LOCK('x', 1);\n"
    assert _l5(lint_script(text, "mysql", galera=True)) == []


def test_cli_told_by_option_or_environment(mysql_project):
    p = mysql_project
    p.add_migration("20250101000000_raw", "CREATE TABLE `log` (`line` TEXT);\nSELECT GET_LOCK('x', 1);\n")
    plain = p.run("migrate", "lint", "--fail-on", "warning")  # a single MariaDB server: no L5xx
    assert plain.code == 0 and plain.out == "No finding in 1 migration.\n", plain.both
    told = p.run("migrate", "lint", "20250101000000_raw", "--galera", "--fail-on", "warning")
    assert told.code == 1, told.both
    assert told.out.startswith("20250101000000_raw/migration.sql:1  L501 warning  table `log` has no primary key: "
                               "Galera replicates row changes by key")
    assert "20250101000000_raw/migration.sql:2  L502 warning  GET_LOCK locks only the node it runs on" in told.out
    assert told.out.endswith("2 findings (0 errors, 2 warnings) in 1 migration.\n")
    env = p.run("migrate", "lint", "--format", "json", env={"LAMINA_GALERA": "1"})
    assert [f["code"] for f in json.loads(env.out)["findings"]] == ["L501", "L502"]


def test_cli_l503_takes_the_size_from_the_database(mysql_project):
    p = mysql_project
    p.add_migration("20250101000000_init", "CREATE TABLE `big` (`id` INT NOT NULL PRIMARY KEY);\n"
                                           "CREATE TABLE `small` (`id` INT NOT NULL PRIMARY KEY);\n")
    assert p.run("migrate", "deploy").code == 0
    conn = mysql_connect(p.url)
    try:
        with conn.cursor() as cur:
            cur.execute(f"INSERT INTO `big` (`id`) SELECT seq FROM seq_1_to_{SMALL_TABLE_ROWS + 50_000}")
            conn.commit()
            cur.execute("ANALYZE TABLE `big`")
    finally:
        conn.close()
    p.add_migration("20250102000000_cols", "ALTER TABLE `big` ADD COLUMN `note` TEXT;\n"
                                           "ALTER TABLE `small` ADD COLUMN `note` TEXT;\n")
    r = p.run("migrate", "lint", "--galera", "--fail-on", "warning")  # pending: read from the database
    assert r.code == 1, r.both
    big, small = [line for line in r.out.splitlines() if " L503 " in line]
    assert re.match(r"20250102000000_cols/migration\.sql:1  L503 warning  ALTER TABLE on `big` runs as total-order "
                    r"isolation: .* The table \"big\" has about 1[45]\d(\.\d)?k rows \(\d+ MB\)\.", big), r.out
    assert re.match(r"20250102000000_cols/migration\.sql:2  L503 info  ALTER TABLE on `small` .* The table \"small\" has "
                    r"about 0 rows \(\d+ kB\), under the small-table threshold: brief\.$", small), r.out
    named = p.run("migrate", "lint", "20250102000000_cols", "--url", p.url, "--galera", "--format", "json")
    assert [(f["code"], f["severity"]) for f in json.loads(named.out)["findings"]] == [("L503", "warning"),
                                                                                       ("L503", "info")]
