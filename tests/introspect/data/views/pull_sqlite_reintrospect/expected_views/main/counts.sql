SELECT
  authorId,
  count(*) AS n
FROM
  Post
GROUP BY
  authorId;