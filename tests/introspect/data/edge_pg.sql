CREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "Post" text);
CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "User" text, "authorId" integer NOT NULL REFERENCES "User"("id"));
CREATE TABLE "Profile" ("userId" integer PRIMARY KEY REFERENCES "User"("id") ON DELETE CASCADE);
CREATE TABLE "Node" ("id" SERIAL PRIMARY KEY, "leftId" integer REFERENCES "Node"("id"), "rightId" integer REFERENCES "Node"("id"));
