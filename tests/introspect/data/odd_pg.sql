CREATE TABLE "Person" ("id" SERIAL PRIMARY KEY, "first name" TEXT NOT NULL, "createdAt" timestamp(6) DEFAULT now(), "score" integer DEFAULT -1, "ratio" numeric DEFAULT 0.5, "tags" text[] DEFAULT ARRAY['a','b']::text[], "doc" jsonb DEFAULT '{}'::jsonb, "code" char(3), "v" varchar, "tz" timestamptz(3), "ip" inet, "vec" tsvector);
CREATE TABLE "user-data" ("id" integer NOT NULL, "authorId" integer NOT NULL REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION, "reviewerId" integer REFERENCES "Person"("id"), CONSTRAINT "ud_pk" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "weird_name" ON "user-data"("authorId", "reviewerId");
CREATE INDEX "user-data_reviewerId_idx" ON "user-data" USING HASH ("reviewerId");
CREATE TABLE "nokey" ("a" integer, "b" text);
CREATE TABLE "Other" ("id" text PRIMARY KEY, "personId" integer UNIQUE REFERENCES "Person"("id") ON DELETE CASCADE);
COMMENT ON COLUMN "Other"."id" IS 'the id';
COMMENT ON TABLE "Other" IS 'other table';
CREATE INDEX "expr_idx" ON "Person"((score + 1));
