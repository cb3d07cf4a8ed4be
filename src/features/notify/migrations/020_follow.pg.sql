-- 020_follow.sql — following and how people want to hear of events.
-- A person follows an object (a plan, a theme, an action point, a
-- session): store_event_add (src/store/events.c) gives the followers of an
-- event's object a notification too. People are also made followers
-- automatically of what they created, offered on, registered for or gave
-- input on (store_follow_auto); an unfollow is kept (active = 0) so that
-- an automatic follow never comes back after the person said no.
-- Per person and per kind of event (a prefix such as 'act.' or
-- 'act.offer_'), how they want it by e-mail: now, in a daily or weekly
-- digest, or not at all.

CREATE TABLE follows (
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  object_type TEXT NOT NULL,              -- 'plan', 'theme', 'action', 'session', …
  object_id   BIGINT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1, -- 0: the person stopped following
  automatic   INTEGER NOT NULL DEFAULT 0, -- 1: followed because they took part
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (user_id, object_type, object_id)
);
CREATE INDEX follows_object ON follows(object_type, object_id);

CREATE TABLE notify_prefs (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind    TEXT NOT NULL,                  -- a kind prefix: 'act.offer_', 'agenda.'
  mail    TEXT NOT NULL CHECK (mail IN ('now', 'daily', 'weekly', 'none')),
  PRIMARY KEY (user_id, kind)
);

-- What followers read when the event's own text speaks to the people it
-- names ("Your offer …"); '' when it is the same text.
ALTER TABLE events ADD COLUMN follow_msgid TEXT NOT NULL DEFAULT '';
-- Why a person has the notification ('named' by the event, or 'follow'),
-- how it goes by e-mail (decided when it is written), and when a digest
-- took it (the outbox row of that digest).
ALTER TABLE notifications ADD COLUMN reason TEXT NOT NULL DEFAULT 'named';
ALTER TABLE notifications ADD COLUMN mail TEXT NOT NULL DEFAULT 'none';
ALTER TABLE notifications ADD COLUMN digest_id BIGINT;
CREATE INDEX notifications_digest ON notifications(mail, user_id)
  WHERE digest_id IS NULL AND mail IN ('daily', 'weekly');
