-- RenameIndex
ALTER INDEX "User_email_idx" RENAME TO "by_email";
