-- 050_cons_status.sql — consultations are drafts until an organiser
-- publishes them (status 'draft', seen only by organisers, with a
-- preview); one that has had answers is archived rather than deleted, so
-- its results stay accountable. Consultations made before this migration
-- were public already and stay 'published'. Hidden written answers are
-- counted per question for the public "not shown" line, and write-ins are
-- regrouped by their folded text when one is hidden; both need an index.

ALTER TABLE cons_consultations ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
  CHECK (status IN ('draft', 'published', 'archived'));

CREATE INDEX cons_answers_hidden ON cons_answers(question_id) WHERE hidden = 1;
CREATE INDEX cons_answers_norm ON cons_answers(question_id, norm) WHERE option_id IS NULL AND norm <> '';
