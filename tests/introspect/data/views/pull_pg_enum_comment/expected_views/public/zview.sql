SELECT
  "User".id,
  "User".role,
  max("User".max) OVER () AS "max(x)"
FROM
  "User";