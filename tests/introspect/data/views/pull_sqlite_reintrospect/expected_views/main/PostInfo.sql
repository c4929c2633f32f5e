SELECT
  p.id,
  p.title,
  p.authorId,
  u.email
FROM
  Post p
  JOIN "User" u ON u.id = p.authorId;