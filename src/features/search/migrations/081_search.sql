-- 081_search.sql — the site's search index. search_docs holds one row per
-- public thing that can be found (a theme, a published action point, a
-- consultation, a live poll's public report), with its plain text for
-- excerpts and the themes it belongs to (search_doc_themes); search_fts
-- (SQLite FTS5, rowid = search_docs.id) holds the same words as Dutch
-- stems, made by the application with libstemmer (meta search_stems =
-- 'app'; the PostgreSQL twin stems with its 'dutch' configuration).
--
-- The index keeps up without the other features calling the search
-- feature: triggers on their tables note what changed in search_dirty
-- (kind, id), in the changing transaction; before it answers, the search
-- feature re-reads those things, re-indexes them and removes the notes.
-- Triggers never fire for counters (answers, votes), only for text and
-- visibility.

CREATE TABLE search_docs (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('theme', 'action', 'consultation', 'poll', 'session')),
  ref_id     BIGINT NOT NULL,
  plan_id    BIGINT NOT NULL DEFAULT 0,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL DEFAULT '',
  indexed_at BIGINT NOT NULL,
  UNIQUE (kind, ref_id)
);

CREATE TABLE search_doc_themes (
  doc_id   INTEGER NOT NULL REFERENCES search_docs(id) ON DELETE CASCADE,
  theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
  PRIMARY KEY (doc_id, theme_id)
);
CREATE INDEX search_doc_themes_theme ON search_doc_themes(theme_id);

CREATE TABLE search_dirty (
  id     INTEGER PRIMARY KEY,
  kind   TEXT NOT NULL,
  ref_id BIGINT NOT NULL
);

CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
-- A word in the title counts five times one in the text.
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
INSERT INTO meta (key, value) VALUES ('search_stems', 'app');

-- themes (of the plan feature)
CREATE TRIGGER search_themes_ins AFTER INSERT ON themes
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('theme', NEW.id); END;
CREATE TRIGGER search_themes_upd AFTER UPDATE ON themes
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('theme', NEW.id); END;
CREATE TRIGGER search_themes_del AFTER DELETE ON themes
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('theme', OLD.id); END;

-- action points, their holders and the holders' names (act)
CREATE TRIGGER search_actions_ins AFTER INSERT ON action_points
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('action', NEW.id); END;
CREATE TRIGGER search_actions_upd AFTER UPDATE ON action_points
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('action', NEW.id); END;
CREATE TRIGGER search_actions_del AFTER DELETE ON action_points
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('action', OLD.id); END;
CREATE TRIGGER search_holders_ins AFTER INSERT ON action_holders
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('action', NEW.action_id); END;
CREATE TRIGGER search_holders_del AFTER DELETE ON action_holders
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('action', OLD.action_id); END;
CREATE TRIGGER search_orgs_upd AFTER UPDATE OF name ON organisations
BEGIN
  INSERT INTO search_dirty (kind, ref_id)
    SELECT 'action', action_id FROM action_holders WHERE organisation_id = NEW.id;
END;

-- consultations, their questions and options (cons); a new answer only
-- counts (responses), which is no change to the text
CREATE TRIGGER search_cons_ins AFTER INSERT ON cons_consultations
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('consultation', NEW.id); END;
CREATE TRIGGER search_cons_upd AFTER UPDATE ON cons_consultations
WHEN NEW.responses = OLD.responses
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('consultation', NEW.id); END;
CREATE TRIGGER search_cons_del AFTER DELETE ON cons_consultations
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('consultation', OLD.id); END;
CREATE TRIGGER search_cons_q_ins AFTER INSERT ON cons_questions
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('consultation', NEW.consultation_id); END;
CREATE TRIGGER search_cons_q_upd AFTER UPDATE OF prompt, help ON cons_questions
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('consultation', NEW.consultation_id); END;
CREATE TRIGGER search_cons_q_del AFTER DELETE ON cons_questions
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('consultation', OLD.consultation_id); END;
CREATE TRIGGER search_cons_o_ins AFTER INSERT ON cons_options
BEGIN
  INSERT INTO search_dirty (kind, ref_id)
    SELECT 'consultation', consultation_id FROM cons_questions WHERE id = NEW.question_id;
END;
CREATE TRIGGER search_cons_o_upd AFTER UPDATE OF label, theme_id ON cons_options
BEGIN
  INSERT INTO search_dirty (kind, ref_id)
    SELECT 'consultation', consultation_id FROM cons_questions WHERE id = NEW.question_id;
END;
CREATE TRIGGER search_cons_o_del AFTER DELETE ON cons_options
BEGIN
  INSERT INTO search_dirty (kind, ref_id)
    SELECT 'consultation', consultation_id FROM cons_questions WHERE id = OLD.question_id;
END;

-- live polls and their questions (poll); votes only count (voters), which
-- is no change to the text
CREATE TRIGGER search_polls_ins AFTER INSERT ON polls
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('poll', NEW.id); END;
CREATE TRIGGER search_polls_upd AFTER UPDATE ON polls
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('poll', NEW.id); END;
CREATE TRIGGER search_polls_del AFTER DELETE ON polls
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('poll', OLD.id); END;
CREATE TRIGGER search_poll_q_ins AFTER INSERT ON poll_questions
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('poll', NEW.poll_id); END;
CREATE TRIGGER search_poll_q_upd AFTER UPDATE OF prompt ON poll_questions
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('poll', NEW.poll_id); END;
CREATE TRIGGER search_poll_q_del AFTER DELETE ON poll_questions
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('poll', OLD.poll_id); END;

-- What exists already gets indexed on the first search.
INSERT INTO search_dirty (kind, ref_id) SELECT 'theme', id FROM themes;
INSERT INTO search_dirty (kind, ref_id) SELECT 'action', id FROM action_points;
INSERT INTO search_dirty (kind, ref_id) SELECT 'consultation', id FROM cons_consultations;
INSERT INTO search_dirty (kind, ref_id) SELECT 'poll', id FROM polls;
