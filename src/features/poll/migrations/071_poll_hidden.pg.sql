-- 071_poll_hidden.pg.sql — PostgreSQL's spelling of 071_poll_hidden.sql
-- (the answer's id is a BIGSERIAL, numbered as rows come in): organisers
-- hide what a participant typed (personal data) in open and word-cloud
-- answers, as consultations do (issue 16).
--   poll_votes.id          a number to name one answer by
--   poll_votes.hidden      1: hidden as personal data (the column comes
--                          with 031_input_poll_hide, which runs first and
--                          copies it to input); left out of every
--                          screen, report and export; a word-cloud
--                          answer's entries are taken out of poll_tallies and
--                          poll_word_forms while hidden (put back when shown)
--   poll_questions.hidden  how many of the question's answers are hidden
--                          (n = n ± 1 with the answer's flag)
-- A new answer of the same participant replaces the text: it is shown
-- again until an organiser hides it (poll_store.c).
ALTER TABLE poll_votes ADD COLUMN id BIGSERIAL;
CREATE UNIQUE INDEX poll_votes_id ON poll_votes(id);
CREATE INDEX poll_votes_question_id ON poll_votes(question_id, id);

ALTER TABLE poll_questions ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0;
