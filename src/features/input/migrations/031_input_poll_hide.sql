-- 031_input_poll_hide.sql — a live poll's answer hidden at its source
-- (poll_votes.hidden: personal data) is hidden as input
-- too, in the hiding's own transaction, as input_cons_hide does for
-- consultations. A poll that gets a plan brings its hidden answers hidden.
-- Numbers run globally and this runs before the polls' own 071, so the
-- flag the trigger watches is added here: poll_votes.hidden (1: hidden as
-- personal data by an organiser of the poll; see 071_poll_hidden for the
-- rest of hiding: the answer's id and the per-question count).
ALTER TABLE poll_votes ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER input_poll_hide AFTER UPDATE OF hidden ON poll_votes
WHEN NEW.hidden <> OLD.hidden
BEGIN
  UPDATE input_items SET hidden = NEW.hidden
  WHERE source = 'poll' AND part_id = NEW.question_id AND ref_id = 0 AND ref_key = NEW.participant;
END;

DROP TRIGGER input_poll_plan;
CREATE TRIGGER input_poll_plan AFTER UPDATE OF plan_id ON polls
WHEN NEW.plan_id IS NOT NULL AND (OLD.plan_id IS NULL OR OLD.plan_id <> NEW.plan_id)
BEGIN
  DELETE FROM input_item_links WHERE item_id IN
    (SELECT id FROM input_items WHERE source = 'poll' AND container_id = NEW.id);
  UPDATE input_items SET plan_id = NEW.plan_id, theme_id = NULL, group_id = NULL,
                         duplicate_of = NULL
  WHERE source = 'poll' AND container_id = NEW.id;
  INSERT INTO input_items (plan_id, source, kind, container_id, part_id, ref_id, ref_key,
                           text, hidden, created_at, updated_at)
  SELECT NEW.plan_id, 'poll', CASE q.kind WHEN 'open' THEN 'open' ELSE 'words' END, NEW.id, q.id,
         0, v.participant, v.answer, v.hidden, v.created_at, v.created_at
  FROM poll_votes v, poll_questions q
  WHERE q.poll_id = NEW.id AND v.question_id = q.id AND q.kind IN ('open', 'words')
    AND v.answer <> ''
  ON CONFLICT (source, part_id, ref_id, ref_key) WHERE source <> 'idea' DO NOTHING;
END;
