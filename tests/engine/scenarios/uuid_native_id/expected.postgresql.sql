-- CreateTable
CREATE TABLE "Doc" (
    "id" UUID NOT NULL,
    "title" VARCHAR(200) NOT NULL,

    CONSTRAINT "Doc_pkey" PRIMARY KEY ("id")
);
