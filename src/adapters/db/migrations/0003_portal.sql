-- The citizen portal "La tua pratica on line": sign-in throttling, single-use sign-in links and the
-- anonymous satisfaction questionnaire (seed sections 5 and 10).

-- Failed sign-ins per case code ('code:FC-XXXX-XXXX') and per address ('ip:203.0.113.7'): growing delays,
-- then a temporary lock. The key of a code that does not exist is throttled alike, so nothing tells them apart.
CREATE TABLE portal_throttle (
  key              text PRIMARY KEY,
  failures         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,           -- no attempt is checked before this instant
  locked           boolean NOT NULL DEFAULT false,  -- the wait is a lock (recorded in the audit log), not a short delay
  updated_at       timestamptz NOT NULL
);

-- A sign-in link works once: its nonce is stored when used, until the link would have expired anyway.
CREATE TABLE portal_used_links (
  nonce       text PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX portal_used_links_expiry ON portal_used_links (expires_at);

-- One answer per case without linking answer and case: the marker is HMAC(secret, case id), kept apart
-- from the answers, with no time; the answer has a random id, the month only, and no reference to a case.
CREATE TABLE questionnaire_markers (
  marker  text PRIMARY KEY
);

CREATE TABLE questionnaire_answers (
  id          uuid PRIMARY KEY,          -- random (v4): no order to match against the markers
  month       date NOT NULL CHECK (extract(day FROM month) = 1),
  office_id   uuid REFERENCES offices(id),  -- aggregates per office are shown for groups of 5 answers or more
  clarity     smallint NOT NULL CHECK (clarity BETWEEN 1 AND 5),
  timeliness  smallint NOT NULL CHECK (timeliness BETWEEN 1 AND 5),
  courtesy    smallint NOT NULL CHECK (courtesy BETWEEN 1 AND 5),
  overall     smallint NOT NULL CHECK (overall BETWEEN 1 AND 5),
  comment     text NOT NULL DEFAULT '' CHECK (length(comment) <= 1000)
);
CREATE INDEX questionnaire_answers_month ON questionnaire_answers (month, office_id);
