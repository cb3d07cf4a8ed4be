-- 005_events.sql — notification events. A change that someone should hear
-- about (an offer decided, a waitlist place, a response to input, a
-- progress update) writes one event in the same transaction as the change,
-- and one notification row per person it concerns. The site's list of
-- notifications, e-mail and digests all read these rows.

CREATE TABLE events (
  id          BIGSERIAL PRIMARY KEY,
  kind        TEXT NOT NULL,            -- 'act.offer_accepted', 'agenda.seat', …
  msgid       TEXT NOT NULL,            -- English text with one %s for the subject
  subject     TEXT NOT NULL DEFAULT '', -- what it is about (a title), shown for %s
  url         TEXT NOT NULL DEFAULT '', -- a local path: where to look
  object_type TEXT NOT NULL DEFAULT '', -- 'action', 'session', …
  object_id   BIGINT NOT NULL DEFAULT 0,
  actor_id    BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX events_object ON events(object_type, object_id);

CREATE TABLE notifications (
  id         BIGSERIAL PRIMARY KEY,
  event_id   BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  read_at    BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (event_id, user_id)
);
CREATE INDEX notifications_user ON notifications(user_id, id);
