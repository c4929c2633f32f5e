-- DropIndex
DROP INDEX "User_email_idx";
