-- 003_actions.sql — the action plan: action points (OGP commitments) under
-- a plan's themes, their holder organisations and contact persons, links
-- between action points, milestones, progress updates, offers to adopt an
-- action point, and a version row for every change (who, when, what).
-- SQL that PostgreSQL also accepts (INTEGER PRIMARY KEY becomes BIGSERIAL).

CREATE TABLE action_points (
  id          INTEGER PRIMARY KEY,
  plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  theme_id    INTEGER NOT NULL REFERENCES themes(id),
  title       TEXT NOT NULL,
  problem     TEXT NOT NULL DEFAULT '',
  status_quo  TEXT NOT NULL DEFAULT '',
  what        TEXT NOT NULL DEFAULT '',
  how_helps   TEXT NOT NULL DEFAULT '',
  ambition    TEXT NOT NULL DEFAULT '',
  ogp_values  TEXT NOT NULL DEFAULT '',
  minimal     TEXT NOT NULL DEFAULT '',
  maximal     TEXT NOT NULL DEFAULT '',
  needs       TEXT NOT NULL DEFAULT '',
  starts_on   TEXT NOT NULL DEFAULT '',
  ends_on     TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL
              CHECK (status IN ('idea', 'seeking', 'adopted', 'in_progress', 'completed', 'stopped')),
  stop_reason TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX action_points_plan ON action_points(plan_id, theme_id);

CREATE TABLE action_holders (
  action_id       INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  role            TEXT NOT NULL CHECK (role IN ('lead', 'partner')),
  contact_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at      BIGINT NOT NULL,
  PRIMARY KEY (action_id, organisation_id)
);
CREATE INDEX action_holders_contact ON action_holders(contact_id);

CREATE TABLE action_links (
  from_id    INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  to_id      INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (from_id, to_id),
  CHECK (from_id <> to_id)
);

CREATE TABLE action_milestones (
  id         INTEGER PRIMARY KEY,
  action_id  INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  title      TEXT NOT NULL,
  output     TEXT NOT NULL DEFAULT '',
  due_on     TEXT NOT NULL,
  done_on    TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX action_milestones_action ON action_milestones(action_id, due_on);

CREATE TABLE action_updates (
  id           INTEGER PRIMARY KEY,
  action_id    INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  author_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  posted_on    TEXT NOT NULL,
  body         TEXT NOT NULL,
  evidence_url TEXT NOT NULL DEFAULT '',
  percent      INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
  created_at   BIGINT NOT NULL
);
CREATE INDEX action_updates_action ON action_updates(action_id, posted_on);

CREATE TABLE action_offers (
  id              INTEGER PRIMARY KEY,
  action_id       INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  organisation_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
  new_org_name    TEXT NOT NULL DEFAULT '',
  new_org_sector  TEXT NOT NULL DEFAULT '',
  role            TEXT NOT NULL CHECK (role IN ('lead', 'partner')),
  message         TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined')),
  reason          TEXT NOT NULL DEFAULT '',
  created_at      BIGINT NOT NULL,
  decided_at      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX action_offers_action ON action_offers(action_id, status);
CREATE INDEX action_offers_user ON action_offers(user_id);

CREATE TABLE action_versions (
  id         INTEGER PRIMARY KEY,
  action_id  INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  kind       TEXT NOT NULL,
  detail     TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX action_versions_action ON action_versions(action_id, id);
