-- 030_input.sql — input and the reasoned response (issue 14). Every piece
-- of input is an input item with its source and author (NULL when
-- anonymous): consultation answers with text (open answers, write-ins,
-- yes/no reasons), open and word-cloud answers of live polls, notes on
-- session boards, and ideas people share directly. Organisers give an item a theme, a status, links
-- to action points, mark it a duplicate or put it in a group; a reasoned
-- response belongs to an item or a group and keeps its versions.
--
-- How items follow their sources: triggers on the sources' tables
-- (cons_answers, cons_responses, poll_votes, polls, agenda_notes) keep
-- input_items in step inside the source's own transaction, so an item exists as soon as
-- the answer does, a source's "hidden" flag (personal data) is copied at
-- once, and the consultation and poll features stay unaware of input.
-- Searching needs Dutch stems, which SQL cannot make: the input feature
-- stems new and changed texts in C (stems IS NULL marks them) and this
-- file's FTS5 table indexes the stems; PostgreSQL's twin uses its 'dutch'
-- text search configuration instead. input_meta says which.

CREATE TABLE input_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO input_meta (key, value) VALUES ('search', 'fts5');

-- A group of items that one response answers (an accepted red thread, or
-- items an organiser put together). Its status is copied to its members.
CREATE TABLE input_groups (
  id            INTEGER PRIMARY KEY,
  plan_id       INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  title         TEXT NOT NULL,
  theme_id      INTEGER REFERENCES themes(id) ON DELETE SET NULL,
  status        TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'considering', 'taken_up', 'partly', 'not_taken_up', 'out_of_scope')),
  terms         TEXT NOT NULL DEFAULT '',     -- characteristic terms of the red thread
  quote_item_id BIGINT NOT NULL DEFAULT 0,    -- its representative item (0: none)
  created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE INDEX input_groups_plan ON input_groups(plan_id, id);

-- source: cons, poll, board or idea; kind: open, writein, reason (cons),
-- open, words (poll), note (board), idea. The source's key: container_id
-- (consultation, poll, session; 0 for ideas), part_id (question; board),
-- ref_id (response; note) and ref_key (a poll participant's random id).
-- author_id is SET NULL when an account is erased: the input stays,
-- anonymous, so counts and results stay right.
-- hidden: hidden as personal data at the source; hidden_here: hidden by an
-- organiser in input's views. removed: 0, 1 deleted by its author, 2 gone
-- at its source; a removed item has no text but still counts.
-- status is the item's own, or copied from its group or its original.
CREATE TABLE input_items (
  id           INTEGER PRIMARY KEY,
  plan_id      INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  source       TEXT NOT NULL CHECK (source IN ('cons', 'poll', 'board', 'idea')),
  kind         TEXT NOT NULL CHECK (kind IN ('open', 'writein', 'reason', 'words', 'note', 'idea')),
  container_id BIGINT NOT NULL DEFAULT 0,
  part_id      BIGINT NOT NULL DEFAULT 0,
  ref_id       BIGINT NOT NULL DEFAULT 0,
  ref_key      TEXT NOT NULL DEFAULT '',
  author_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  text         TEXT NOT NULL,
  hidden       INTEGER NOT NULL DEFAULT 0,
  hidden_here  INTEGER NOT NULL DEFAULT 0,
  removed      INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1, 2)),
  theme_id     INTEGER REFERENCES themes(id) ON DELETE SET NULL,
  status       TEXT NOT NULL DEFAULT 'new'
               CHECK (status IN ('new', 'considering', 'taken_up', 'partly', 'not_taken_up', 'out_of_scope')),
  group_id     INTEGER REFERENCES input_groups(id) ON DELETE SET NULL,
  duplicate_of INTEGER REFERENCES input_items(id) ON DELETE SET NULL,
  stems        TEXT,                          -- NULL: to be stemmed and indexed
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL,
  CHECK (duplicate_of IS NULL OR duplicate_of <> id)
);
CREATE UNIQUE INDEX input_items_source ON input_items(source, part_id, ref_id, ref_key)
  WHERE source <> 'idea';
CREATE INDEX input_items_plan ON input_items(plan_id, id);
CREATE INDEX input_items_plan_status ON input_items(plan_id, status, id);
CREATE INDEX input_items_plan_source ON input_items(plan_id, source, id);
CREATE INDEX input_items_plan_theme ON input_items(plan_id, theme_id, id);
CREATE INDEX input_items_container ON input_items(source, container_id, id);
CREATE INDEX input_items_author ON input_items(author_id, id);
CREATE INDEX input_items_group ON input_items(group_id);
CREATE INDEX input_items_duplicate ON input_items(duplicate_of);
CREATE INDEX input_items_unindexed ON input_items(id) WHERE stems IS NULL;

-- Counts per plan, source, container and status, kept by triggers on
-- input_items in the same transaction (n = n + 1 in SQL, never a value
-- read back), so the counts of 100,000 items are a few rows.
CREATE TABLE input_counts (
  plan_id      INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  source       TEXT NOT NULL,
  container_id BIGINT NOT NULL,
  status       TEXT NOT NULL,
  n            BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (plan_id, source, container_id, status)
);
CREATE TRIGGER input_count_in AFTER INSERT ON input_items
BEGIN
  INSERT INTO input_counts (plan_id, source, container_id, status, n)
  VALUES (NEW.plan_id, NEW.source, NEW.container_id, NEW.status, 1)
  ON CONFLICT (plan_id, source, container_id, status) DO UPDATE SET n = input_counts.n + 1;
END;
CREATE TRIGGER input_count_out AFTER DELETE ON input_items
BEGIN
  UPDATE input_counts SET n = n - 1 WHERE plan_id = OLD.plan_id AND source = OLD.source
    AND container_id = OLD.container_id AND status = OLD.status;
END;
CREATE TRIGGER input_count_move AFTER UPDATE OF plan_id, status, container_id ON input_items
WHEN NEW.plan_id <> OLD.plan_id OR NEW.status <> OLD.status OR NEW.container_id <> OLD.container_id
BEGIN
  UPDATE input_counts SET n = n - 1 WHERE plan_id = OLD.plan_id AND source = OLD.source
    AND container_id = OLD.container_id AND status = OLD.status;
  INSERT INTO input_counts (plan_id, source, container_id, status, n)
  VALUES (NEW.plan_id, NEW.source, NEW.container_id, NEW.status, 1)
  ON CONFLICT (plan_id, source, container_id, status) DO UPDATE SET n = input_counts.n + 1;
END;

-- Links to the action points input led to: of an item, or of a group.
CREATE TABLE input_item_links (
  item_id    INTEGER NOT NULL REFERENCES input_items(id) ON DELETE CASCADE,
  action_id  INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (item_id, action_id)
);
CREATE INDEX input_item_links_action ON input_item_links(action_id);
CREATE TABLE input_group_links (
  group_id   INTEGER NOT NULL REFERENCES input_groups(id) ON DELETE CASCADE,
  action_id  INTEGER NOT NULL REFERENCES action_points(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (group_id, action_id)
);
CREATE INDEX input_group_links_action ON input_group_links(action_id);

-- Reasoned responses, every version kept: of an item or of a group, each
-- version with the status it gave, who wrote it and when.
CREATE TABLE input_responses (
  id         INTEGER PRIMARY KEY,
  item_id    INTEGER REFERENCES input_items(id) ON DELETE CASCADE,
  group_id   INTEGER REFERENCES input_groups(id) ON DELETE CASCADE,
  version    INTEGER NOT NULL,
  status     TEXT NOT NULL
             CHECK (status IN ('considering', 'taken_up', 'partly', 'not_taken_up', 'out_of_scope')),
  body       TEXT NOT NULL,
  author_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  CHECK ((item_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX input_responses_item ON input_responses(item_id, version)
  WHERE item_id IS NOT NULL;
CREATE UNIQUE INDEX input_responses_group ON input_responses(group_id, version)
  WHERE group_id IS NOT NULL;

-- Red threads: a run clusters a set of items (scope: 'plan', 'question',
-- 'poll_question', 'theme', 'consultation', 'session') off the request
-- workers; its proposed threads and likely duplicates wait for an
-- organiser, who accepts (a group), renames, merges, splits or dismisses.
CREATE TABLE input_runs (
  id          INTEGER PRIMARY KEY,
  plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  scope       TEXT NOT NULL,
  scope_id    BIGINT NOT NULL DEFAULT 0,
  status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  items       INTEGER NOT NULL DEFAULT 0,
  millis      INTEGER NOT NULL DEFAULT 0,
  created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at  BIGINT NOT NULL,
  finished_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX input_runs_plan ON input_runs(plan_id, id);

CREATE TABLE input_threads (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES input_runs(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  label         TEXT NOT NULL,
  terms         TEXT NOT NULL DEFAULT '',
  quote_item_id BIGINT NOT NULL DEFAULT 0,
  state         TEXT NOT NULL DEFAULT 'proposed'
                CHECK (state IN ('proposed', 'accepted', 'dismissed', 'merged', 'split')),
  group_id      INTEGER REFERENCES input_groups(id) ON DELETE SET NULL
);
CREATE INDEX input_threads_run ON input_threads(run_id, position);

CREATE TABLE input_thread_items (
  thread_id INTEGER NOT NULL REFERENCES input_threads(id) ON DELETE CASCADE,
  item_id   INTEGER NOT NULL REFERENCES input_items(id) ON DELETE CASCADE,
  score     INTEGER NOT NULL DEFAULT 0,       -- similarity to the thread, per mille
  PRIMARY KEY (thread_id, item_id)
);
CREATE INDEX input_thread_items_item ON input_thread_items(item_id);

CREATE TABLE input_dups (
  run_id   INTEGER NOT NULL REFERENCES input_runs(id) ON DELETE CASCADE,
  item_id  INTEGER NOT NULL REFERENCES input_items(id) ON DELETE CASCADE,
  other_id INTEGER NOT NULL REFERENCES input_items(id) ON DELETE CASCADE,
  score    INTEGER NOT NULL,                  -- per mille
  PRIMARY KEY (run_id, item_id, other_id)
);

-- Full-text search over the stems (words_each in src/util/words.c), kept
-- in step with input_items.stems.
CREATE VIRTUAL TABLE input_fts USING fts5(stems, content='input_items', content_rowid='id',
  tokenize='unicode61 remove_diacritics 0');
CREATE TRIGGER input_fts_set AFTER UPDATE OF stems ON input_items
BEGIN
  INSERT INTO input_fts (input_fts, rowid, stems) SELECT 'delete', OLD.id, OLD.stems
    WHERE OLD.stems IS NOT NULL;
  INSERT INTO input_fts (rowid, stems) SELECT NEW.id, NEW.stems WHERE NEW.stems IS NOT NULL;
END;
CREATE TRIGGER input_fts_out AFTER DELETE ON input_items WHEN OLD.stems IS NOT NULL
BEGIN
  INSERT INTO input_fts (input_fts, rowid, stems) VALUES ('delete', OLD.id, OLD.stems);
END;

-- ---- consultations: answers with text ----------------------------------------
-- A response holds at most one text per question (the open answer, the
-- write-in or the yes/no reason), so (question, response) names the item;
-- a replaced response deletes its answers and inserts new ones in one
-- transaction, which brings a triaged item back with its new text.
CREATE TRIGGER input_cons_in AFTER INSERT ON cons_answers WHEN NEW.text <> ''
BEGIN
  INSERT INTO input_items (plan_id, source, kind, container_id, part_id, ref_id, ref_key,
                           author_id, text, hidden, created_at, updated_at)
  SELECT c.plan_id, 'cons',
         CASE q.kind WHEN 'text' THEN 'open' WHEN 'yesno' THEN 'reason' ELSE 'writein' END,
         c.id, q.id, r.id, '', r.user_id, NEW.text, NEW.hidden, r.created_at, r.updated_at
  FROM cons_responses r, cons_questions q, cons_consultations c
  WHERE r.id = NEW.response_id AND q.id = NEW.question_id AND c.id = q.consultation_id
  ON CONFLICT (source, part_id, ref_id, ref_key) WHERE source <> 'idea' DO UPDATE SET
    text = excluded.text, hidden = excluded.hidden, author_id = excluded.author_id,
    removed = 0, stems = NULL, updated_at = excluded.updated_at;
END;
CREATE TRIGGER input_cons_hide AFTER UPDATE OF hidden ON cons_answers WHEN NEW.text <> ''
BEGIN
  UPDATE input_items SET hidden = NEW.hidden
  WHERE source = 'cons' AND part_id = NEW.question_id AND ref_id = NEW.response_id AND ref_key = '';
END;
-- Gone at the source: an item nobody triaged goes; a triaged one keeps its
-- place (and its count) without its text.
CREATE TRIGGER input_cons_out AFTER DELETE ON cons_answers WHEN OLD.text <> ''
BEGIN
  DELETE FROM input_items
  WHERE source = 'cons' AND part_id = OLD.question_id AND ref_id = OLD.response_id AND ref_key = ''
    AND status = 'new' AND theme_id IS NULL AND group_id IS NULL AND duplicate_of IS NULL
    AND hidden_here = 0
    AND NOT EXISTS (SELECT 1 FROM input_item_links l WHERE l.item_id = input_items.id)
    AND NOT EXISTS (SELECT 1 FROM input_responses p WHERE p.item_id = input_items.id)
    AND NOT EXISTS (SELECT 1 FROM input_items d WHERE d.duplicate_of = input_items.id);
  UPDATE input_items SET removed = 2, text = '', stems = NULL
  WHERE source = 'cons' AND part_id = OLD.question_id AND ref_id = OLD.response_id AND ref_key = '';
END;
-- The demo and imports date responses after their answers are in.
CREATE TRIGGER input_cons_dated AFTER UPDATE OF created_at ON cons_responses
BEGIN
  UPDATE input_items SET created_at = NEW.created_at WHERE source = 'cons' AND ref_id = NEW.id;
END;

-- ---- live polls: open and word-cloud answers ----------------------------------
-- Polls without a plan give no items until they get one. Participants are
-- anonymous (a random id from a signed cookie): no author.
CREATE TRIGGER input_poll_in AFTER INSERT ON poll_votes WHEN NEW.answer <> ''
BEGIN
  INSERT INTO input_items (plan_id, source, kind, container_id, part_id, ref_id, ref_key,
                           text, created_at, updated_at)
  SELECT p.plan_id, 'poll', CASE q.kind WHEN 'open' THEN 'open' ELSE 'words' END, p.id, q.id, 0,
         NEW.participant, NEW.answer, NEW.created_at, NEW.created_at
  FROM poll_questions q, polls p
  WHERE q.id = NEW.question_id AND p.id = q.poll_id AND q.kind IN ('open', 'words')
    AND p.plan_id IS NOT NULL
  ON CONFLICT (source, part_id, ref_id, ref_key) WHERE source <> 'idea' DO UPDATE SET
    text = excluded.text, removed = 0, stems = NULL, updated_at = excluded.updated_at;
END;
CREATE TRIGGER input_poll_change AFTER UPDATE OF answer ON poll_votes WHEN NEW.answer <> OLD.answer
BEGIN
  UPDATE input_items SET text = NEW.answer, removed = 0, stems = NULL, updated_at = NEW.created_at
  WHERE source = 'poll' AND part_id = NEW.question_id AND ref_id = 0 AND ref_key = NEW.participant;
END;
CREATE TRIGGER input_poll_out AFTER DELETE ON poll_votes
BEGIN
  DELETE FROM input_items
  WHERE source = 'poll' AND part_id = OLD.question_id AND ref_id = 0 AND ref_key = OLD.participant
    AND status = 'new' AND theme_id IS NULL AND group_id IS NULL AND duplicate_of IS NULL
    AND hidden_here = 0
    AND NOT EXISTS (SELECT 1 FROM input_item_links l WHERE l.item_id = input_items.id)
    AND NOT EXISTS (SELECT 1 FROM input_responses p WHERE p.item_id = input_items.id)
    AND NOT EXISTS (SELECT 1 FROM input_items d WHERE d.duplicate_of = input_items.id);
  UPDATE input_items SET removed = 2, text = '', stems = NULL
  WHERE source = 'poll' AND part_id = OLD.question_id AND ref_id = 0 AND ref_key = OLD.participant;
END;
-- A poll that gets a plan brings its answers; one that moves to another
-- plan takes its items along, without the old plan's triage.
CREATE TRIGGER input_poll_plan AFTER UPDATE OF plan_id ON polls
WHEN NEW.plan_id IS NOT NULL AND (OLD.plan_id IS NULL OR OLD.plan_id <> NEW.plan_id)
BEGIN
  DELETE FROM input_item_links WHERE item_id IN
    (SELECT id FROM input_items WHERE source = 'poll' AND container_id = NEW.id);
  UPDATE input_items SET plan_id = NEW.plan_id, theme_id = NULL, group_id = NULL,
                         duplicate_of = NULL
  WHERE source = 'poll' AND container_id = NEW.id;
  INSERT INTO input_items (plan_id, source, kind, container_id, part_id, ref_id, ref_key,
                           text, created_at, updated_at)
  SELECT NEW.plan_id, 'poll', CASE q.kind WHEN 'open' THEN 'open' ELSE 'words' END, NEW.id, q.id,
         0, v.participant, v.answer, v.created_at, v.created_at
  FROM poll_votes v, poll_questions q
  WHERE q.poll_id = NEW.id AND v.question_id = q.id AND q.kind IN ('open', 'words')
    AND v.answer <> ''
  ON CONFLICT (source, part_id, ref_id, ref_key) WHERE source <> 'idea' DO NOTHING;
END;

-- ---- sessions: notes on idea boards ------------------------------------------
-- A note is input of its author on a session's board; its theme comes
-- along. Notes are hidden by organisers of the session (personal data) and
-- never edited or deleted one by one.
CREATE TRIGGER input_note_in AFTER INSERT ON agenda_notes WHEN NEW.body <> ''
BEGIN
  INSERT INTO input_items (plan_id, source, kind, container_id, part_id, ref_id, ref_key,
                           author_id, text, hidden, theme_id, created_at, updated_at)
  SELECT s.plan_id, 'board', 'note', s.id, b.id, NEW.id, '', NEW.author_id, NEW.body,
         NEW.hidden, NEW.theme_id, NEW.created_at, NEW.created_at
  FROM agenda_boards b, agenda_sessions s
  WHERE b.id = NEW.board_id AND s.id = b.session_id
  ON CONFLICT (source, part_id, ref_id, ref_key) WHERE source <> 'idea' DO NOTHING;
END;
CREATE TRIGGER input_note_hide AFTER UPDATE OF hidden ON agenda_notes
WHEN NEW.hidden <> OLD.hidden
BEGIN
  UPDATE input_items SET hidden = NEW.hidden
  WHERE source = 'board' AND part_id = NEW.board_id AND ref_id = NEW.id AND ref_key = '';
END;
CREATE TRIGGER input_note_out AFTER DELETE ON agenda_notes
BEGIN
  DELETE FROM input_items
  WHERE source = 'board' AND part_id = OLD.board_id AND ref_id = OLD.id AND ref_key = ''
    AND status = 'new' AND theme_id IS NULL AND group_id IS NULL
    AND duplicate_of IS NULL AND hidden_here = 0
    AND NOT EXISTS (SELECT 1 FROM input_item_links l WHERE l.item_id = input_items.id)
    AND NOT EXISTS (SELECT 1 FROM input_responses p WHERE p.item_id = input_items.id)
    AND NOT EXISTS (SELECT 1 FROM input_items d WHERE d.duplicate_of = input_items.id);
  UPDATE input_items SET removed = 2, text = '', stems = NULL
  WHERE source = 'board' AND part_id = OLD.board_id AND ref_id = OLD.id AND ref_key = '';
END;
