-- 040_monitor.pg.sql — the PostgreSQL spelling of 040_monitor.sql (BIGSERIAL
-- and BIGINT ids); what follows is that file's opening. Monitoring and
-- accountability: the plan's global
-- criteria and the impact indicators that holders define under them on an
-- action point (baseline, target, how often measured) with their
-- measurements; the OGP's assessment of each action point in several
-- voices (the holder's self-assessment, the organiser's final text, the
-- independent reviewer's finding; each forum member's review apart) and
-- the holder's reaction to the finding; concerns that forum members flag on
-- an action point; the stakeholder forum of a plan (its composition rule
-- and cadence, its members, its rules of procedure in versions).
--
-- Numbers (baseline, target, measured values) are kept as canonical
-- decimal text ("12.5", "-3", "100": no leading zeros, no trailing decimal
-- zeros), written by monitor_number_parse, so equal numbers are equal text
-- on every backend. Dates are "YYYY-MM-DD" text, as elsewhere.
-- Forum changes first take the row of monitor_forums (an UPDATE: a row lock
-- on every backend), so version numbers and overlapping memberships are
-- decided one writer at a time.

CREATE TABLE monitor_criteria (
  id          BIGSERIAL PRIMARY KEY,
  plan_id     BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  title       TEXT NOT NULL,
  explanation TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX monitor_criteria_plan ON monitor_criteria(plan_id, position);

CREATE TABLE monitor_indicators (
  id              BIGSERIAL PRIMARY KEY,
  action_id       BIGINT NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  -- a criterion that indicators use cannot be removed
  criterion_id    BIGINT NOT NULL REFERENCES monitor_criteria(id),
  title           TEXT NOT NULL,             -- what is measured
  unit            TEXT NOT NULL,
  direction       TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
  baseline_value  TEXT NOT NULL,
  baseline_on     TEXT NOT NULL,
  baseline_source TEXT NOT NULL DEFAULT '',
  target_value    TEXT NOT NULL,
  target_on       TEXT NOT NULL,
  frequency       TEXT NOT NULL
                  CHECK (frequency IN ('monthly', 'quarterly', 'half_yearly', 'yearly')),
  -- the due date of a missing measurement the holders were told about ('': none)
  due_told        TEXT NOT NULL DEFAULT '',
  created_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  CHECK (target_value <> baseline_value),
  CHECK (target_on > baseline_on)
);
CREATE INDEX monitor_indicators_action ON monitor_indicators(action_id);
CREATE INDEX monitor_indicators_criterion ON monitor_indicators(criterion_id);

CREATE TABLE monitor_measurements (
  id           BIGSERIAL PRIMARY KEY,
  indicator_id BIGINT NOT NULL REFERENCES monitor_indicators(id) ON DELETE CASCADE,
  value        TEXT NOT NULL,
  measured_on  TEXT NOT NULL,
  source_url   TEXT NOT NULL DEFAULT '',
  note         TEXT NOT NULL DEFAULT '',
  author_id    BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at   BIGINT NOT NULL,
  UNIQUE (indicator_id, measured_on)         -- one value per day: a second is a mistake or a replay
);

-- The holder's self-assessment, the organiser's final text and the
-- independent reviewer's finding (entered by an organiser): one row per
-- action point and voice.
CREATE TABLE monitor_assessments (
  action_id   BIGINT NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  voice       TEXT NOT NULL CHECK (voice IN ('holder', 'organiser', 'irm')),
  verifiable  TEXT NOT NULL DEFAULT '' CHECK (verifiable IN ('', 'yes', 'no')),
  lens        TEXT NOT NULL DEFAULT '' CHECK (lens IN ('', 'yes', 'no')),
  ogp_values  TEXT NOT NULL DEFAULT '',      -- comma-separated codes, as action_points.ogp_values
  potential   TEXT NOT NULL DEFAULT '' CHECK (potential IN ('', 'unclear', 'modest', 'substantial')),
  design_note TEXT NOT NULL DEFAULT '',
  completion  TEXT NOT NULL DEFAULT ''
              CHECK (completion IN ('', 'no_evidence', 'not_started', 'limited', 'substantial', 'complete')),
  opened      TEXT NOT NULL DEFAULT ''
              CHECK (opened IN ('', 'worsened', 'did_not_change', 'marginal', 'major', 'outstanding')),
  end_note    TEXT NOT NULL DEFAULT '',
  updated_by  BIGINT REFERENCES users(id) ON DELETE SET NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (action_id, voice)
);

-- Each forum member's review of an action point (the forum's voice). An
-- erased account leaves its review, anonymous (reviewer_id NULL).
CREATE TABLE monitor_reviews (
  id          BIGSERIAL PRIMARY KEY,
  action_id   BIGINT NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  reviewer_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  org_id      BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
  verifiable  TEXT NOT NULL DEFAULT '' CHECK (verifiable IN ('', 'yes', 'no')),
  lens        TEXT NOT NULL DEFAULT '' CHECK (lens IN ('', 'yes', 'no')),
  ogp_values  TEXT NOT NULL DEFAULT '',
  potential   TEXT NOT NULL DEFAULT '' CHECK (potential IN ('', 'unclear', 'modest', 'substantial')),
  design_note TEXT NOT NULL DEFAULT '',
  completion  TEXT NOT NULL DEFAULT ''
              CHECK (completion IN ('', 'no_evidence', 'not_started', 'limited', 'substantial', 'complete')),
  opened      TEXT NOT NULL DEFAULT ''
              CHECK (opened IN ('', 'worsened', 'did_not_change', 'marginal', 'major', 'outstanding')),
  end_note    TEXT NOT NULL DEFAULT '',
  updated_at  BIGINT NOT NULL,
  UNIQUE (action_id, reviewer_id)
);

-- The holder's reaction to the independent reviewer's finding.
CREATE TABLE monitor_reactions (
  action_id  BIGINT PRIMARY KEY REFERENCES action_points(id) ON DELETE CASCADE,
  body       TEXT NOT NULL,
  updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  updated_at BIGINT NOT NULL
);

-- A concern a forum member flags on an action point: open, answered by a
-- holder, closed by an organiser.
CREATE TABLE monitor_concerns (
  id          BIGSERIAL PRIMARY KEY,
  action_id   BIGINT NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  author_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
  org_id      BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
  body        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  answer      TEXT NOT NULL DEFAULT '',
  answered_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  answered_at BIGINT NOT NULL DEFAULT 0,
  close_note  TEXT NOT NULL DEFAULT '',
  closed_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
  closed_at   BIGINT NOT NULL DEFAULT 0,
  created_at  BIGINT NOT NULL
);
CREATE INDEX monitor_concerns_action ON monitor_concerns(action_id, status);
CREATE INDEX monitor_concerns_status ON monitor_concerns(status, id);

-- The stakeholder forum of a plan: its composition rule (at least this
-- percentage of the counted members from outside government) and how often
-- it meets by its own rules. A plan without a row has the defaults.
CREATE TABLE monitor_forums (
  plan_id           BIGINT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
  min_nongov        INTEGER NOT NULL DEFAULT 50 CHECK (min_nongov BETWEEN 0 AND 100),
  meetings_per_year INTEGER NOT NULL DEFAULT 4 CHECK (meetings_per_year BETWEEN 2 AND 12),
  updated_at        BIGINT NOT NULL
);

CREATE TABLE monitor_members (
  id         BIGSERIAL PRIMARY KEY,
  plan_id    BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  org_id     BIGINT NOT NULL REFERENCES organisations(id),
  role       TEXT NOT NULL CHECK (role IN ('chair', 'member', 'observer')),
  from_on    TEXT NOT NULL,
  until_on   TEXT NOT NULL DEFAULT '',       -- '': no end
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (until_on = '' OR until_on >= from_on)
);
CREATE INDEX monitor_members_plan ON monitor_members(plan_id, from_on);
CREATE INDEX monitor_members_user ON monitor_members(user_id);

-- The forum's rules of procedure (Markdown), every published version kept.
CREATE TABLE monitor_forum_rules (
  id           BIGSERIAL PRIMARY KEY,
  plan_id      BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  body         TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',     -- what changed
  published_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  published_at BIGINT NOT NULL,
  UNIQUE (plan_id, version)
);
