-- 001_foundation.sql — accounts, sessions, organisations, the plan, its
-- phases and themes. Types and syntax kept to what PostgreSQL also accepts
-- (apart from INTEGER PRIMARY KEY, which the PostgreSQL migrations spell
-- as BIGSERIAL).

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL DEFAULT 'participant'
                CHECK (role IN ('participant', 'organiser', 'admin')),
  created_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE organisations (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  sector     TEXT NOT NULL
             CHECK (sector IN ('government', 'civil_society', 'business', 'academia', 'other')),
  created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  created_at      BIGINT NOT NULL,
  PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_org ON memberships(organisation_id);

CREATE TABLE plans (
  id               INTEGER PRIMARY KEY,
  title            TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  period_start     TEXT NOT NULL,
  period_end       TEXT NOT NULL,
  status           TEXT NOT NULL
                   CHECK (status IN ('draft', 'cocreation', 'implementation', 'evaluation', 'closed')),
  current_phase_id INTEGER,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);

CREATE TABLE phases (
  id        INTEGER PRIMARY KEY,
  plan_id   INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  name      TEXT NOT NULL,
  starts_on TEXT NOT NULL DEFAULT '',
  ends_on   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX phases_plan ON phases(plan_id, position);

CREATE TABLE themes (
  id          INTEGER PRIMARY KEY,
  plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position    INTEGER NOT NULL,
  UNIQUE (plan_id, name)
);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
