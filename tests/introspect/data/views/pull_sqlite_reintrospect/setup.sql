CREATE TABLE "User" (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, name TEXT);
CREATE TABLE Post (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, authorId INTEGER NOT NULL REFERENCES "User"(id));
CREATE VIEW PostInfo AS SELECT p.id, p.title, p.authorId, u.email FROM Post p join "User" u on u.id = p.authorId;
create view "user names" as select id, name as "full name", email mail from "User" where id != 0;
CREATE VIEW counts AS SELECT authorId, count(*) AS n FROM Post GROUP BY authorId;
