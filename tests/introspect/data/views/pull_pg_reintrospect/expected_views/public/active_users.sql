SELECT
  "User".id,
  "User".email
FROM
  "User"
WHERE
  ("User".name IS NOT NULL);