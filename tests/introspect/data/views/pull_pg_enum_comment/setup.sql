CREATE TYPE "Role" AS ENUM ('A','B');
CREATE TABLE "User" (id serial primary key, role "Role" not null, "max" int);
CREATE VIEW zview AS SELECT id, role, max("max") over () AS "max(x)" FROM "User";
CREATE VIEW aview AS SELECT id FROM "User";
COMMENT ON VIEW aview IS 'hello';
