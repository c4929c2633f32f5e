"""MySQL/MariaDB rewrite the views and triggers naming a renamed table or column themselves
(lamina.dialects.mysql.dependents): which names change, and which do not."""

from __future__ import annotations

from lamina.dialects.mysql.dependents import _rewrite

RENAMED = {"User": "Person"}
COLUMNS = {("Person", "name"): "fullName"}


def test_a_view_as_mysql_keeps_it():
    """Every table as `database`.`table` (the database left out), every column through its
    table (renamed) or an alias (left: the alias's table is not known here); the view's own
    column names (AS) stay, so readers of the view see no change."""
    view = ("select `db`.`User`.`id` AS `id`,`db`.`User`.`name` AS `name`,`u`.`name` AS `other` "
            "from (`db`.`User` join `db`.`User` `u` on(`db`.`User`.`id` = `u`.`id`))")
    assert _rewrite(view, RENAMED, COLUMNS, "db") == (
        "select `Person`.`id` AS `id`,`Person`.`fullName` AS `name`,`u`.`name` AS `other` "
        "from (`Person` join `Person` `u` on(`Person`.`id` = `u`.`id`))")


def test_a_trigger_body_as_written():
    """Bare or quoted table names; NEW./OLD. columns of the trigger's table; strings, and a
    column named bare, left as written."""
    body = ("UPDATE User SET `name` = 'User name' WHERE `User`.`name` = NEW.name AND OLD.`name` IS NULL "
            "AND Audit.name = 'x'")
    assert _rewrite(body, RENAMED, COLUMNS, "db", on="Person") == (
        "UPDATE `Person` SET `name` = 'User name' WHERE `Person`.`fullName` = NEW.`fullName` AND OLD.`fullName` IS NULL "
        "AND Audit.name = 'x'")
