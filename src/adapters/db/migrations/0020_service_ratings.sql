-- "Quanto è stato facile usare questo servizio?" (the Designers Italia rating of a service page): a number from 1 to 5
-- and its month, nothing else, not even the office. Like the questionnaire's answers (0013) a rating is written
-- into a holding table and the worker's job rewrites it in shuffled order, so that no rating keeps the transaction
-- id (xmin) or the place in the row order that could tie it to what the citizen did just before; the ratings of
-- the months that have ended are published together into service_ratings.
CREATE TABLE service_ratings_held (
  month     date NOT NULL CHECK (extract(day FROM month) = 1),
  rating    smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  -- false until the job has rewritten the row
  shuffled  boolean NOT NULL DEFAULT false
);

CREATE TABLE service_ratings (
  id      uuid PRIMARY KEY,
  month   date NOT NULL CHECK (extract(day FROM month) = 1),
  rating  smallint NOT NULL CHECK (rating BETWEEN 1 AND 5)
);
CREATE INDEX service_ratings_month ON service_ratings (month);
