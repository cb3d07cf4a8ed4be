-- 010_agenda.sql — sessions and the agenda: sessions of a plan (five kinds)
-- with their times (UTC seconds: unambiguous; entered and shown in
-- Europe/Amsterdam), place, capacity and registration window; the themes
-- and action points they are about; registrations with a waitlist; events
-- that others submit (a session with status 'submitted' until an organiser
-- approves or rejects it); the session's report and the live-poll reports
-- attached to it; the idea board (columns, notes, dots); and the table
-- conversation (participants, ranked tasks).
--
-- Registration changes of one session are serialised by an UPDATE of the
-- session's reg_seq (a row lock on every backend) before anything is
-- counted, so capacity is never exceeded; reg_seq also stamps arrival order
-- on the waitlist. Board changes bump agenda_boards.version and stamp the
-- changed note, so live screens can ask for "everything after version V".

CREATE TABLE agenda_sessions (
  id               INTEGER PRIMARY KEY,
  plan_id          INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL
                   CHECK (kind IN ('thinkalong', 'table', 'forum', 'holders', 'public')),
  title            TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  starts_at        BIGINT NOT NULL,
  ends_at          BIGINT NOT NULL,
  mode             TEXT NOT NULL CHECK (mode IN ('online', 'physical', 'both')),
  meeting_url      TEXT NOT NULL DEFAULT '',
  address          TEXT NOT NULL DEFAULT '',
  capacity         INTEGER NOT NULL DEFAULT 0,   -- 0: no limit
  waitlist         INTEGER NOT NULL DEFAULT 1,   -- a full session takes a waitlist
  reg_opens_at     BIGINT NOT NULL DEFAULT 0,    -- 0: open from publication
  reg_closes_at    BIGINT NOT NULL DEFAULT 0,    -- 0: until the start
  attendees_public INTEGER NOT NULL DEFAULT 0,
  status           TEXT NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'published', 'cancelled', 'submitted', 'rejected')),
  organiser_name   TEXT NOT NULL DEFAULT '',     -- the organising organisation (submitted events)
  reject_reason    TEXT NOT NULL DEFAULT '',
  submitted_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  sequence         INTEGER NOT NULL DEFAULT 0,   -- iCalendar SEQUENCE: raised on every change
  reg_seq          BIGINT NOT NULL DEFAULT 0,    -- row lock and arrival stamp for registrations
  registered       INTEGER NOT NULL DEFAULT 0,   -- places taken
  report           TEXT NOT NULL DEFAULT '',     -- the "verslag" (Markdown)
  report_published INTEGER NOT NULL DEFAULT 0,
  report_board     INTEGER NOT NULL DEFAULT 0,   -- the board's ranked list goes into the report
  report_at        BIGINT NOT NULL DEFAULT 0,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX agenda_sessions_start ON agenda_sessions(status, starts_at);
CREATE INDEX agenda_sessions_plan ON agenda_sessions(plan_id);

CREATE TABLE agenda_session_themes (
  session_id INTEGER NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
  theme_id   INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
  PRIMARY KEY (session_id, theme_id)
);
CREATE INDEX agenda_session_themes_theme ON agenda_session_themes(theme_id);

CREATE TABLE agenda_session_actions (
  session_id INTEGER NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
  action_id  INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  PRIMARY KEY (session_id, action_id)
);
CREATE INDEX agenda_session_actions_action ON agenda_session_actions(action_id);

CREATE TABLE agenda_session_polls (
  session_id INTEGER NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
  poll_id    INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
  PRIMARY KEY (session_id, poll_id)
);

-- One row per person per session; a cancelled registration keeps its row
-- (status 'cancelled') so registering again is one row too.
CREATE TABLE agenda_registrations (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status     TEXT NOT NULL CHECK (status IN ('registered', 'waitlist', 'cancelled')),
  seq        BIGINT NOT NULL,               -- arrival order (the session's reg_seq)
  show_name  INTEGER NOT NULL DEFAULT 0,    -- consent: name on the public attendee list
  attended   INTEGER NOT NULL DEFAULT -1,   -- -1 not marked, 0 absent, 1 present
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (session_id, user_id)
);
CREATE INDEX agenda_registrations_queue ON agenda_registrations(session_id, status, seq);
CREATE INDEX agenda_registrations_user ON agenda_registrations(user_id);

CREATE TABLE agenda_boards (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL UNIQUE REFERENCES agenda_sessions(id) ON DELETE CASCADE,
  dots       INTEGER NOT NULL DEFAULT 5,   -- dots per participant
  is_open    INTEGER NOT NULL DEFAULT 1,   -- notes and dots accepted
  version    BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE agenda_columns (
  id       INTEGER PRIMARY KEY,
  board_id INTEGER NOT NULL REFERENCES agenda_boards(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name     TEXT NOT NULL
);
CREATE INDEX agenda_columns_board ON agenda_columns(board_id, position);

CREATE TABLE agenda_notes (
  id         INTEGER PRIMARY KEY,
  board_id   INTEGER NOT NULL REFERENCES agenda_boards(id) ON DELETE CASCADE,
  column_id  INTEGER NOT NULL REFERENCES agenda_columns(id) ON DELETE CASCADE,
  group_id   INTEGER NOT NULL DEFAULT 0,    -- the note it is grouped under (0: none)
  body       TEXT NOT NULL,
  theme_id   INTEGER REFERENCES themes(id) ON DELETE SET NULL,
  author_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  votes      BIGINT NOT NULL DEFAULT 0,
  hidden     INTEGER NOT NULL DEFAULT 0,
  version    BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX agenda_notes_board ON agenda_notes(board_id, version);

CREATE TABLE agenda_votes (
  note_id  INTEGER NOT NULL REFERENCES agenda_notes(id) ON DELETE CASCADE,
  board_id INTEGER NOT NULL REFERENCES agenda_boards(id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  n        INTEGER NOT NULL,
  PRIMARY KEY (note_id, user_id)
);
CREATE INDEX agenda_votes_user ON agenda_votes(board_id, user_id);

-- The table conversation: who sat at the table (names public only with
-- consent) and its tasks in the ranked order, with what each needs.
CREATE TABLE agenda_table_people (
  id           INTEGER PRIMARY KEY,
  session_id   INTEGER NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  organisation TEXT NOT NULL DEFAULT '',
  consent      INTEGER NOT NULL DEFAULT 0,
  created_at   BIGINT NOT NULL
);
CREATE INDEX agenda_table_people_session ON agenda_table_people(session_id);

CREATE TABLE agenda_tasks (
  id          INTEGER PRIMARY KEY,
  session_id  INTEGER NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  title       TEXT NOT NULL,
  minimal     TEXT NOT NULL DEFAULT '',
  maximal     TEXT NOT NULL DEFAULT '',
  lead_org_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
  involve     TEXT NOT NULL DEFAULT '',
  needs       TEXT NOT NULL DEFAULT '',
  action_id   INTEGER REFERENCES action_points(id) ON DELETE SET NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX agenda_tasks_session ON agenda_tasks(session_id, position);
CREATE INDEX agenda_tasks_action ON agenda_tasks(action_id);
