-- 071_poll_hidden.sql — organisers hide what a participant typed (personal
-- data) in open and word-cloud answers, as consultations do (issue 16).
--   poll_votes.id          a number to name one answer by (the rowid; the
--                          trigger below gives each new answer its own)
--   poll_votes.hidden      1: hidden as personal data (the column comes
--                          with 031_input_poll_hide, which runs first and
--                          copies it to input); left out of every
--                          screen, report and export; a word-cloud
--                          answer's entries are taken out of poll_tallies and
--                          poll_word_forms while hidden (put back when shown)
--   poll_questions.hidden  how many of the question's answers are hidden
--                          (n = n ± 1 with the answer's flag): "2 answers
--                          are not shown" costs no query
-- A new answer of the same participant replaces the text: it is shown
-- again until an organiser hides it (poll_store.c).
ALTER TABLE poll_votes ADD COLUMN id INTEGER;
UPDATE poll_votes SET id = rowid;
CREATE UNIQUE INDEX poll_votes_id ON poll_votes(id);
CREATE INDEX poll_votes_question_id ON poll_votes(question_id, id);
CREATE TRIGGER poll_votes_id AFTER INSERT ON poll_votes WHEN NEW.id IS NULL
BEGIN
  UPDATE poll_votes SET id = NEW.rowid WHERE rowid = NEW.rowid;
END;

ALTER TABLE poll_questions ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0;
