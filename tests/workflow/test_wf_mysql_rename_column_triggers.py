"""MySQL/MariaDB: a column renamed by `migrate dev` (`--rename`) under triggers and a view that
name it through a table alias, bare in a statement on its table, or in a compound body. RENAME
COLUMN rewrites none of them; `migrate dev` writes them again naming the new column, so the
writes that fire them work after dev, after the rollback (the old name again) and after deploy.
A trigger whose query does not tell which table a bare name is of is left as written, and
`migrate dev` names it in its warning and in the migration's header."""

from __future__ import annotations

from test_wf_down_views import with_hand_made_migration
from wf_helpers import rollback_and_deploy_again
from test_wf_rename_rebuild import BODY

OBJECTS = """CREATE TRIGGER `Audit_rename` AFTER UPDATE ON `Audit` FOR EACH ROW
  UPDATE `User` AS u SET u.name = 'renamed' WHERE u.id = NEW.userId AND NEW.what = 'rename';
CREATE TRIGGER `User_audit` AFTER INSERT ON `User` FOR EACH ROW
  INSERT INTO `Audit` (userId, what) SELECT u.id, CONCAT('insert ', name) FROM `User` u WHERE u.id = NEW.id;
CREATE TRIGGER `User_touch` BEFORE UPDATE ON `User` FOR EACH ROW
BEGIN
  DECLARE named INT; -- how many users have the new name
  SELECT COUNT(*) INTO named FROM `User` WHERE name = NEW.name;
  SET NEW.updatedAt = named;
END;
CREATE TRIGGER `Audit_check` BEFORE DELETE ON `Audit` FOR EACH ROW
  SET @seen = (SELECT COUNT(*) FROM (SELECT id FROM `Audit`) AS d, `User` WHERE name = OLD.what);
CREATE VIEW `UserNames` AS SELECT u.id, u.name FROM `User` AS u;
"""
RENAMED = BODY.replace("  name      String?\n", "  fullName  String?\n", 1)
TRIGGERS = ["Audit_check", "Audit_rename", "User_audit", "User_touch"]


def _assert_objects_work(project, column: str) -> None:
    """The triggers and the view name `column` (not the other name) and work: the audit row
    of an insert, the rename through the trigger on Audit, the count of the users an update
    gives the same name, the view."""
    other = "name" if column == "fullName" else "fullName"
    triggers = dict(project.query("SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS "
                                  "WHERE TRIGGER_SCHEMA = DATABASE()"))
    assert sorted(triggers) == TRIGGERS
    for name in ("Audit_rename", "User_audit", "User_touch"):
        assert column in triggers[name] and f"{other}`" not in triggers[name], triggers[name]
    project.query(f"INSERT INTO `User` (`email`, `{column}`) VALUES ('c@x', 'Cy')")
    (uid,), = project.query("SELECT `id` FROM `User` WHERE `email` = 'c@x'")
    assert project.query(f"SELECT `what` FROM `Audit` WHERE `userId` = {uid}") == [("insert Cy",)]
    project.query(f"UPDATE `Audit` SET `what` = 'rename' WHERE `userId` = {uid}")
    assert project.query(f"SELECT `{column}`, `updatedAt` FROM `User` WHERE `id` = {uid}") == [("renamed", 0)]
    assert project.query("SELECT `name` FROM `UserNames` ORDER BY `id`") == [("Ann",), ("renamed",)]
    project.query(f"UPDATE `User` SET `updatedAt` = 0, `{column}` = 'Ann' WHERE `id` = {uid}")
    assert project.query(f"SELECT `updatedAt` FROM `User` WHERE `id` = {uid}") == [(1,)]  # the other Ann
    project.query(f"DELETE FROM `User` WHERE `id` = {uid}")
    project.query(f"UPDATE `Audit` SET `userId` = 0 WHERE `userId` = {uid}")  # Audit_check: no delete


def test_renamed_column_under_aliased_and_bare_trigger_references(mysql_project):
    project = with_hand_made_migration(mysql_project, BODY, "objects", OBJECTS)
    project.query("INSERT INTO `User` (`email`, `name`) VALUES ('a@x', 'Ann')")
    _assert_objects_work(project, "name")

    project.write_schema(RENAMED)
    r = project.run("migrate", "dev", "--name", "full_name", "--rename", "User.name=fullName")
    assert r.code == 0, r.both
    warning = ("The trigger `Audit_check` may name a column this migration renames where Lamina cannot tell: "
               "`name` in `")
    assert warning + "d, `User` WHERE name = OLD.what` (it may be `User`.`name`, renamed to `fullName`" in r.out, r.both
    script = next(project.migrations.glob("*_full_name")).joinpath("migration.sql").read_text()
    assert script.startswith("/*\n  Warnings:\n") and warning in script.split("*/", 1)[0], script
    _assert_objects_work(project, "fullName")
    (check,), = project.query("SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_NAME = 'Audit_check'")
    assert "WHERE name = OLD.what" in check  # left as written, as the warning says

    rollback_and_deploy_again(project, lambda up: _assert_objects_work(project, "fullName" if up else "name"))
