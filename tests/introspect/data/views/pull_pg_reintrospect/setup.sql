CREATE TABLE "User" (id serial primary key, email text not null unique, name text);
CREATE TABLE "Profile" (id serial primary key, bio text not null, "userId" int not null unique references "User"(id));
CREATE VIEW "UserInfo" AS SELECT u.id, email, name, bio FROM "User" u LEFT JOIN "Profile" p ON u.id = p."userId";
CREATE VIEW active_users AS SELECT id, email FROM "User" WHERE name IS NOT NULL;
CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM "User";
