-- 002_consultations.sql — consultations: a questionnaire on a plan, open
-- between two dates, its questions and options (options may be tied to the
-- plan's themes), responses (one per signed-in person or per signed browser
-- token) and their answers, and the one-time form tokens already used.
-- Counts are kept incrementally in cons_tally, in the same transaction as
-- the answers, so a results page reads a few rows per question; write-ins
-- are counted per folded text in cons_writeins the same way.

CREATE TABLE cons_consultations (
  id              INTEGER PRIMARY KEY,
  plan_id         INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  title           TEXT NOT NULL,
  intro           TEXT NOT NULL DEFAULT '',
  opens_on        TEXT NOT NULL,
  closes_on       TEXT NOT NULL,
  allow_anonymous INTEGER NOT NULL DEFAULT 0,
  results_public  TEXT NOT NULL DEFAULT 'after_close'
                  CHECK (results_public IN ('while_open', 'after_close')),
  responses       BIGINT NOT NULL DEFAULT 0,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX cons_consultations_plan ON cons_consultations(plan_id, opens_on);

CREATE TABLE cons_questions (
  id              INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES cons_consultations(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  kind            TEXT NOT NULL
                  CHECK (kind IN ('single', 'multiple', 'text', 'yesno', 'ranking', 'scale')),
  prompt          TEXT NOT NULL,
  help            TEXT NOT NULL DEFAULT '',
  required        INTEGER NOT NULL DEFAULT 0,
  max_choices     INTEGER NOT NULL DEFAULT 0,
  allow_other     INTEGER NOT NULL DEFAULT 0,
  max_length      INTEGER NOT NULL DEFAULT 1000,
  low_label       TEXT NOT NULL DEFAULT '',
  high_label      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cons_questions_cons ON cons_questions(consultation_id, position);

CREATE TABLE cons_options (
  id          INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES cons_questions(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  label       TEXT NOT NULL,
  theme_id    INTEGER REFERENCES themes(id) ON DELETE SET NULL
);
CREATE INDEX cons_options_question ON cons_options(question_id, position);

CREATE TABLE cons_responses (
  id              INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES cons_consultations(id) ON DELETE CASCADE,
  user_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
  browser_hash    TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX cons_responses_user ON cons_responses(consultation_id, user_id);
CREATE UNIQUE INDEX cons_responses_browser ON cons_responses(consultation_id, browser_hash);

-- One row per chosen option (choice, ranking with value = position), per
-- write-in (option_id NULL, text and its normalised form), per open text,
-- yes/no (value 1 or 0, text = why) and scale (value 1..5).
CREATE TABLE cons_answers (
  id          INTEGER PRIMARY KEY,
  response_id INTEGER NOT NULL REFERENCES cons_responses(id) ON DELETE CASCADE,
  question_id INTEGER NOT NULL REFERENCES cons_questions(id) ON DELETE CASCADE,
  option_id   INTEGER REFERENCES cons_options(id) ON DELETE CASCADE,
  value       INTEGER,
  text        TEXT NOT NULL DEFAULT '',
  norm        TEXT NOT NULL DEFAULT '',
  hidden      INTEGER NOT NULL DEFAULT 0,
  quoted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cons_answers_question ON cons_answers(question_id, option_id, value);
CREATE INDEX cons_answers_option ON cons_answers(option_id, value);
CREATE INDEX cons_answers_response ON cons_answers(response_id);
CREATE INDEX cons_answers_text ON cons_answers(question_id, id) WHERE text <> '';
CREATE INDEX cons_answers_quoted ON cons_answers(question_id) WHERE quoted = 1;

-- Counts per question: option_id > 0 an option (value -1 for a choice, the
-- place for a ranking); option_id 0 with a value (yes/no 1/0, scale 1..5);
-- option_id -1: responses that answered the question; -2: non-empty texts.
CREATE TABLE cons_tally (
  question_id INTEGER NOT NULL REFERENCES cons_questions(id) ON DELETE CASCADE,
  option_id   BIGINT NOT NULL,
  value       BIGINT NOT NULL,
  n           BIGINT NOT NULL,
  PRIMARY KEY (question_id, option_id, value)
);

-- Write-ins grouped by their folded text: how often, and one spelling (the
-- first in byte order, so "Open Loket" before "open loket").
CREATE TABLE cons_writeins (
  question_id INTEGER NOT NULL REFERENCES cons_questions(id) ON DELETE CASCADE,
  norm        TEXT NOT NULL,
  text        TEXT NOT NULL,
  n           BIGINT NOT NULL,
  PRIMARY KEY (question_id, norm)
);

CREATE TABLE cons_used_tokens (
  nonce           TEXT PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES cons_consultations(id) ON DELETE CASCADE,
  used_at         BIGINT NOT NULL
);
