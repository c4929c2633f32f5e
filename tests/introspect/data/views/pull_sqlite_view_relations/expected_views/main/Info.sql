SELECT
  id,
  id AS userId,
  email
FROM
  "User";