-- 004_polls.sql — live polls: a poll with a 6-digit join code, its
-- questions and options, one answer per participant per question, and the
-- running counts (tallies) the presenter's screen shows. Counts change only
-- with n = n + 1 / n - 1 in the database, inside the vote's transaction.

CREATE TABLE polls (
  id            INTEGER PRIMARY KEY,
  plan_id       INTEGER REFERENCES plans(id) ON DELETE SET NULL,
  title         TEXT NOT NULL,
  code          TEXT NOT NULL UNIQUE,
  mode          TEXT NOT NULL DEFAULT 'presenter' CHECK (mode IN ('presenter', 'self')),
  status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  current_question_id INTEGER,
  show_results  INTEGER NOT NULL DEFAULT 0,
  attached      INTEGER NOT NULL DEFAULT 0,
  created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE INDEX polls_plan ON polls(plan_id);

CREATE TABLE poll_questions (
  id         INTEGER PRIMARY KEY,
  poll_id    INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'open', 'words', 'ranking', 'scale')),
  prompt     TEXT NOT NULL,
  scale_min  INTEGER NOT NULL DEFAULT 1,
  scale_max  INTEGER NOT NULL DEFAULT 5,
  locked     INTEGER NOT NULL DEFAULT 0,
  voters     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX poll_questions_poll ON poll_questions(poll_id, position);

CREATE TABLE poll_options (
  id          INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES poll_questions(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  label       TEXT NOT NULL
);
CREATE INDEX poll_options_question ON poll_options(question_id, position);

-- The answer as given, one per participant (an opaque random id from the
-- signed cookie) per question; a new answer replaces the old one. items
-- holds what the answer added to poll_tallies ("item<TAB>points" lines), so
-- a replaced answer's counts can be taken back exactly.
CREATE TABLE poll_votes (
  question_id INTEGER NOT NULL REFERENCES poll_questions(id) ON DELETE CASCADE,
  participant TEXT NOT NULL,
  answer      TEXT NOT NULL,
  items       TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (question_id, participant)
);

-- Counts per question and item: "o:<option id>" (choices; ranking points
-- in points), "s:<value>" (scale), "w:<stem>" (word cloud; label is the
-- first spelling seen).
CREATE TABLE poll_tallies (
  question_id INTEGER NOT NULL REFERENCES poll_questions(id) ON DELETE CASCADE,
  item        TEXT NOT NULL,
  label       TEXT NOT NULL,
  n           BIGINT NOT NULL DEFAULT 0,
  points      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (question_id, item)
);
