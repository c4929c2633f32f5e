SELECT
  id,
  name AS "full name",
  email AS mail
FROM
  "User"
WHERE
  id <> 0;