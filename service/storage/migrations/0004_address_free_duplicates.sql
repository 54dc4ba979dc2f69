-- Duplicates are found by thread and body alone: whether the sender's
-- address matches must not change the answer to a submission (a guesser
-- could otherwise test addresses against public comments). The old index
-- also led with email_hash, which no lookup uses that way any more.
DROP INDEX comments_duplicates;

CREATE INDEX comments_body_on_thread ON comments (thread, body_hash)
  WHERE body_hash IS NOT NULL;
