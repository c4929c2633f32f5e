"""Migrations and `db execute` files with triggers, procedures and functions: MySQL/MariaDB's
compound statements (BEGIN ... END with `;` inside, DELIMITER blocks as the `mysql` client runs
them), PostgreSQL's dollar-quoted bodies and SQLite's trigger bodies, applied whole."""

from __future__ import annotations

from lamina.db.split import split_statements

MYSQL_ROUTINES = """-- CreateTable
CREATE TABLE `Account` (`id` INT NOT NULL, `balance` INT NULL, `note` VARCHAR(191) NULL, PRIMARY KEY (`id`));

-- a trigger whose body holds `;`, IF ... END IF and the IF() function
CREATE TRIGGER `Account_bi` BEFORE INSERT ON `Account` FOR EACH ROW
BEGIN
  IF NEW.balance IS NULL THEN
    SET NEW.balance = IF(NEW.id > 100, 1, 0);
  END IF;
  SET NEW.note = CONCAT('opened; id=', NEW.id);
END;

CREATE PROCEDURE `credit`(IN account INT, IN amount INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  add_loop: LOOP
    SET i = i + 1;
    IF i > amount THEN LEAVE add_loop; END IF;
    UPDATE `Account` SET balance = balance + 1 WHERE id = account;
  END LOOP add_loop;
END;

DELIMITER $$
CREATE FUNCTION `doubled`(x INT) RETURNS INT DETERMINISTIC
BEGIN
  RETURN CASE WHEN x IS NULL THEN 0 ELSE x * 2 END;
END$$
DELIMITER ;

INSERT INTO `Account` (`id`) VALUES (7);
"""


def test_mysql_splitter_keeps_routine_bodies_whole():
    statements = split_statements(MYSQL_ROUTINES, "mysql")
    assert len(statements) == 5
    assert statements[1].startswith("-- a trigger") and statements[1].endswith("END;")
    assert statements[2].startswith("CREATE PROCEDURE") and statements[2].endswith("END;")
    # the DELIMITER lines are the client's, never sent; the custom delimiter is not either
    assert statements[3].startswith("CREATE FUNCTION") and statements[3].endswith("END")
    assert statements[4] == "INSERT INTO `Account` (`id`) VALUES (7);"
    assert not any("DELIMITER" in s for s in statements)


def test_mysql_splitter_tells_functions_and_clauses_from_blocks():
    script = ("CREATE PROCEDURE p() BEGIN DROP TABLE IF EXISTS t; SELECT REPEAT('a', 2), "
              "CASE 1 WHEN 1 THEN 'x' END; WHILE 0 DO SELECT 1; END WHILE; END;\nSELECT 2;")
    assert split_statements(script, "mysql") == [script.split("\n")[0], "SELECT 2;"]
    assert split_statements("BEGIN NOT ATOMIC IF 1 THEN SELECT 1; END IF; END;\nSELECT 2;", "mysql") == [
        "BEGIN NOT ATOMIC IF 1 THEN SELECT 1; END IF; END;", "SELECT 2;"]
    assert split_statements("DELIMITER //\nSELECT 'a;b'//\nDELIMITER ;\nSELECT 1;", "mysql") == ["SELECT 'a;b'", "SELECT 1;"]


def test_mysql_migration_with_trigger_procedure_function_deploys(mysql_project):
    p = mysql_project
    p.add_migration("20250101000000_routines", MYSQL_ROUTINES)
    r = p.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert p.query("SELECT id, balance, note FROM `Account`") == [(7, 0, "opened; id=7")]
    p.query("CALL `credit`(7, 3)")
    assert p.query("SELECT balance, `doubled`(balance) FROM `Account`") == [(3, 6)]
    assert [row[0] for row in p.history() if row[2] is not None] == ["20250101000000_routines"]


def test_mysql_db_execute_runs_delimiter_blocks(mysql_project, tmp_path):
    p = mysql_project
    script = tmp_path / "routines.sql"
    script.write_text(MYSQL_ROUTINES)
    r = p.run("db", "execute", "--file", str(script))
    assert r.code == 0, r.both
    assert p.query("SELECT note FROM `Account`") == [("opened; id=7",)]
    stdin = p.run("db", "execute", "--stdin", input="DELIMITER $$\nCREATE FUNCTION `tripled`(x INT) RETURNS INT "
                  "DETERMINISTIC BEGIN RETURN x * 3; END$$\nDELIMITER ;\n")
    assert stdin.code == 0, stdin.both
    assert p.query("SELECT `tripled`(2)") == [(6,)]


def test_mysql_failing_statement_in_routine_script_is_named(mysql_project):
    p = mysql_project
    p.add_migration("20250101000000_bad", MYSQL_ROUTINES.replace("INSERT INTO `Account`", "INSERT INTO `Missing`"))
    r = p.run("migrate", "deploy")
    assert r.code == 1
    assert "20250101000000_bad" in r.both
    assert "Missing" in r.both
    assert "Statement 5 of 5 failed" in r.both  # each routine counts as one statement


PG_ROUTINE = """CREATE TABLE "Account" ("id" INTEGER NOT NULL PRIMARY KEY, "note" TEXT);
CREATE FUNCTION stamp() RETURNS trigger AS $body$
BEGIN
  NEW.note := 'opened; id=' || NEW.id;
  RETURN NEW;
END;
$body$ LANGUAGE plpgsql;
CREATE TRIGGER "Account_bi" BEFORE INSERT ON "Account" FOR EACH ROW EXECUTE FUNCTION stamp();
INSERT INTO "Account" ("id") VALUES (7);
"""

SQLITE_ROUTINE = """CREATE TABLE "Account" ("id" INTEGER NOT NULL PRIMARY KEY, "note" TEXT);
CREATE TRIGGER "Account_ai" AFTER INSERT ON "Account" BEGIN
  UPDATE "Account" SET "note" = 'opened; id=' || NEW."id" WHERE "id" = NEW."id";
END;
INSERT INTO "Account" ("id") VALUES (7);
"""


def test_postgres_and_sqlite_routine_bodies_deploy(tx_project):
    p = tx_project
    p.add_migration("20250101000000_routines", PG_ROUTINE if p.provider == "postgresql" else SQLITE_ROUTINE)
    r = p.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert p.query('SELECT "id", "note" FROM "Account"') == [(7, "opened; id=7")]
