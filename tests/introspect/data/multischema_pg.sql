CREATE SCHEMA billing;
CREATE TYPE billing."Plan" AS ENUM ('FREE', 'PRO');
CREATE TABLE "User" ("id" serial PRIMARY KEY);
CREATE TABLE billing."Invoice" ("id" serial PRIMARY KEY, "plan" billing."Plan" NOT NULL, "userId" integer NOT NULL REFERENCES public."User"("id"));
