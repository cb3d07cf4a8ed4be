-- 060_act_drafts_offers.sql — action points are drafts until an organiser
-- publishes them, and are archived (not deleted) once they have history
-- that matters; an offer to adopt on behalf of an organisation the offerer
-- is not a member of waits for a member of that organisation to confirm
-- it; a late milestone is told to its holders once per due date.

-- 0: a draft (only organisers see it); else when it was published.
ALTER TABLE action_points ADD COLUMN published_at BIGINT NOT NULL DEFAULT 0;
-- 0: not archived; else when it was archived (readable, no longer listed or worked on).
ALTER TABLE action_points ADD COLUMN archived_at BIGINT NOT NULL DEFAULT 0;
-- Everything made before drafts existed was public.
UPDATE action_points SET published_at = created_at;
CREATE INDEX action_points_visible ON action_points(plan_id, archived_at, published_at);

-- '': no confirmation needed (a member offered, or a new organisation);
-- 'pending': a member of the organisation must confirm before organisers
-- can accept; 'confirmed'; 'refused' (the offer is then declined).
ALTER TABLE action_offers ADD COLUMN confirmation TEXT NOT NULL DEFAULT ''
  CHECK (confirmation IN ('', 'pending', 'confirmed', 'refused'));
ALTER TABLE action_offers ADD COLUMN confirmed_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE action_offers ADD COLUMN confirmed_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX action_offers_open ON action_offers(status, id);

-- The due date for which the holders were told that the milestone is late
-- ('' when never); a new due date that passes is told again.
ALTER TABLE action_milestones ADD COLUMN late_told_due TEXT NOT NULL DEFAULT '';
-- Milestones already late before this existed are not news.
UPDATE action_milestones SET late_told_due = due_on WHERE done_on = '' AND due_on < date('now');
