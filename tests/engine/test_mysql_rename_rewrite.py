"""MySQL/MariaDB rewrite the views and triggers naming a renamed table or column themselves
(lamina.dialects.mysql.rename_rewrite): which names change, which do not, and which are left
as written with a note because the query does not tell."""

from __future__ import annotations

import pytest

from lamina.dialects.mysql.lexer import tokenize
from lamina.dialects.mysql.rename_rewrite import Renames, rewrite

RENAMES = Renames({"User": "Person"}, {("Person", "name"): "fullName"})
# The columns of each table before the migration, as information_schema.COLUMNS gives them.
KNOWN = {"User": frozenset({"id", "name", "email"}), "Audit": frozenset({"id", "userid", "what"}),
         "Team": frozenset({"id", "name"})}


def _rewritten(sql: str, on: str | None = "Audit") -> str:
    result = rewrite(sql, RENAMES, "db", KNOWN, on)
    assert result.unsure == (), result.unsure
    return result.sql


def test_the_tokens_give_the_sql_back():
    sql = "BEGIN -- name\n # x\n SELECT a.`b``c`, 'it''s \\' name', \"q\", @v, @@sql_mode, 1.5e3 /* name */ FROM t;END"
    assert "".join(t.text for t in tokenize(sql)) == sql


def test_a_view_as_mysql_keeps_it():
    """Every table as `database`.`table` (the database left out), every column through its
    table or an alias (the alias's table found in the query); the view's own column names (AS)
    stay, so readers of the view see no change."""
    view = ("select `db`.`User`.`id` AS `id`,`db`.`User`.`name` AS `name`,`u`.`name` AS `other` "
            "from (`db`.`User` join `db`.`User` `u` on(`db`.`User`.`id` = `u`.`id`))")
    assert _rewritten(view, None) == (
        "select `Person`.`id` AS `id`,`Person`.`fullName` AS `name`,`u`.`fullName` AS `other` "
        "from (`Person` join `Person` `u` on(`Person`.`id` = `u`.`id`))")


def test_a_view_with_a_correlated_subquery_and_a_derived_table():
    view = ("select `d`.`n` AS `n` from ((select `db`.`User`.`name` AS `n`,`db`.`User`.`id` AS `id` "
            "from `db`.`User`) `d` join `db`.`Team` `u` on(`u`.`id` = `d`.`id`)) where `u`.`name` in "
            "(select `x`.`name` from `db`.`User` `x` where `x`.`id` = `u`.`id`)")
    assert _rewritten(view, None) == (
        "select `d`.`n` AS `n` from ((select `Person`.`fullName` AS `n`,`Person`.`id` AS `id` "
        "from `Person`) `d` join `Team` `u` on(`u`.`id` = `d`.`id`)) where `u`.`name` in "
        "(select `x`.`fullName` from `Person` `x` where `x`.`id` = `u`.`id`)")


def test_the_database_is_left_out_of_every_name():
    """Of tables, columns and stored functions: the migration runs in other databases."""
    view = "select `db`.`slug`(`db`.`User`.`name`) AS `s` from `db`.`User` where `db`.`User`.`id` > 0"
    assert _rewritten(view, None) == "select `slug`(`Person`.`fullName`) AS `s` from `Person` where `Person`.`id` > 0"
    assert rewrite(view, Renames({}, {}), "db", {}).sql == (
        "select `slug`(`User`.`name`) AS `s` from `User` where `User`.`id` > 0")


def test_a_trigger_body_as_written():
    """Bare or quoted table names; NEW./OLD. columns of the trigger's table; a bare column of a
    statement on the table; strings and comments as written; another table's column kept."""
    body = ("UPDATE User SET `name` = 'User name' /* name */ WHERE `User`.`name` = NEW.name AND OLD.`name` IS NULL "
            "AND Audit.name = 'x'")
    assert _rewritten(body, on="Person") == (
        "UPDATE `Person` SET `fullName` = 'User name' /* name */ WHERE `Person`.`fullName` = NEW.`fullName` "
        "AND OLD.`fullName` IS NULL AND Audit.name = 'x'")


@pytest.mark.parametrize(("body", "expected"), [
    ("UPDATE User AS u SET u.name = 'renamed' WHERE u.id = NEW.userId",
     "UPDATE `Person` AS u SET u.`fullName` = 'renamed' WHERE u.id = NEW.userId"),
    ("INSERT INTO Audit (userId, what) SELECT u.id, CONCAT('new ', name) FROM User u WHERE u.id = NEW.id",
     "INSERT INTO Audit (userId, what) SELECT u.id, CONCAT('new ', `fullName`) FROM `Person` u WHERE u.id = NEW.id"),
    ("BEGIN\n  DECLARE n INT; -- name\n  SELECT COUNT(*) INTO n FROM Audit a JOIN User b ON b.id = a.userId\n"
     "  WHERE name = '' OR b.name IS NULL;\n  IF n > 0 THEN SET NEW.what = name; END IF;\nEND",
     "BEGIN\n  DECLARE n INT; -- name\n  SELECT COUNT(*) INTO n FROM Audit a JOIN `Person` b ON b.id = a.userId\n"
     "  WHERE `fullName` = '' OR b.`fullName` IS NULL;\n  IF n > 0 THEN SET NEW.what = name; END IF;\nEND"),
    ("DELETE FROM Audit WHERE what IN (SELECT name FROM User WHERE id = userId)",
     "DELETE FROM Audit WHERE what IN (SELECT `fullName` FROM `Person` WHERE id = userId)"),
    # Team's own `name`, and the innermost query's table first (as the server resolves it).
    ("UPDATE Team SET name = (SELECT MAX(name) FROM User WHERE User.id = Team.id)",
     "UPDATE Team SET name = (SELECT MAX(`fullName`) FROM `Person` WHERE `Person`.id = Team.id)"),
    # A derived table's column keeps its name for the query around it, and an alias its own.
    ("SELECT d.name INTO @n FROM (SELECT name FROM User) d, Audit WHERE d.name = what",
     "SELECT d.name INTO @n FROM (SELECT `fullName` AS `name` FROM `Person`) d, Audit WHERE d.name = what"),
    ("SELECT CASE WHEN name = 'a' THEN 1 END name INTO @n FROM User ORDER BY name",
     "SELECT CASE WHEN `fullName` = 'a' THEN 1 END name INTO @n FROM `Person` ORDER BY name"),
    ("SELECT id INTO @n FROM User WHERE EXTRACT(YEAR FROM name) = 1 AND LEFT(name, 1) = 'n'",
     "SELECT id INTO @n FROM `Person` WHERE EXTRACT(YEAR FROM `fullName`) = 1 AND LEFT(`fullName`, 1) = 'n'"),
    ("SELECT COUNT(*) INTO @n FROM (SELECT name FROM Team UNION SELECT name FROM User) d WHERE d.name = 'x'",
     "SELECT COUNT(*) INTO @n FROM (SELECT name FROM Team UNION SELECT `fullName` AS `name` FROM `Person`) d "
     "WHERE d.name = 'x'"),
    ("INSERT INTO User (id, name) SELECT id, what FROM Audit ON DUPLICATE KEY UPDATE name = VALUES(name)",
     "INSERT INTO `Person` (id, `fullName`) SELECT id, what FROM Audit ON DUPLICATE KEY UPDATE "
     "`fullName` = VALUES(`fullName`)"),
    ("SELECT name INTO @n FROM User WHERE id = 1 FOR UPDATE",
     "SELECT `fullName` INTO @n FROM `Person` WHERE id = 1 FOR UPDATE"),
])
def test_columns_named_bare_or_through_an_alias(body, expected):
    assert _rewritten(body) == expected


def test_the_rename_back_gives_the_body_again():
    """The down migration's rewrite undoes the up's, to the same text but quoting (what its
    verification compares)."""
    body = "SELECT d.name INTO @n FROM (SELECT name FROM User) d"
    up = _rewritten(body)
    back = rewrite(up, Renames({"Person": "User"}, {("User", "fullName"): "name"}),
                   "db", {"Person": frozenset({"id", "fullname", "email"})}, "Audit")
    assert back.sql == "SELECT d.name INTO @n FROM (SELECT `name` FROM `User`) d"


@pytest.mark.parametrize(("body", "why"), [
    ("SELECT COUNT(*) INTO @n FROM (SELECT * FROM Audit) AS d, User WHERE name = NEW.what",
     "its query also reads a table whose columns are not known"),
    ("SELECT COUNT(*) INTO @n FROM User, Team WHERE name = 'x'",
     "more than one table of its query has a column `name`"),
    ("SELECT id INTO @n FROM User JOIN Team USING (name)", "a column of `JOIN ... USING`, of both tables"),
    ("BEGIN DECLARE name TEXT; SELECT id INTO @n FROM User WHERE name = 'x'; END",
     "the trigger declares a variable `name`"),
    ("SELECT LOWER(email) AS name INTO @n FROM User GROUP BY name", "its select list has an alias `name` too"),
])
def test_a_bare_name_the_query_does_not_tell_is_left_with_a_note(body, why):
    result = rewrite(body, RENAMES, "db", KNOWN, "Audit")
    assert "`Person`" in result.sql and "fullName" not in result.sql
    assert len(result.unsure) == 1 and result.unsure[0].startswith("`name` in `") and why in result.unsure[0]
