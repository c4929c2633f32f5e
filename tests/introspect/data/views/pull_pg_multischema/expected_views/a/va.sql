SELECT
  t.id
FROM
  a.t;