CREATE TYPE "my-status" AS ENUM ('in-progress', '1st', 'ok', 'with space');
CREATE TABLE "1table" ("id" serial PRIMARY KEY, "2col" text, "s" "my-status" DEFAULT 'in-progress', "camelCase" integer);
CREATE TABLE "order items" ("id" serial PRIMARY KEY, "tableId" integer REFERENCES "1table"("id"));
