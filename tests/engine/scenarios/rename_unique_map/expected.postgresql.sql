-- RenameIndex
ALTER INDEX "User_email_key" RENAME TO "uniq_email";
