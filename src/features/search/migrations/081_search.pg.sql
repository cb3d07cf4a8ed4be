-- 081_search.pg.sql — 081_search.sql in PostgreSQL's spelling. The same
-- tables and the same triggers (as PL/pgSQL trigger functions); instead of
-- FTS5, search_fts is a table whose tsvector PostgreSQL makes with its
-- 'dutch' text search configuration (Snowball's Dutch stemmer and stop
-- words), so the application hands it the words as written (meta
-- search_stems = 'db'), and search_fts(q) is a function with the same
-- columns as FTS5's table-valued search_fts(q): rowid and rank (lower is
-- better), so the application's query is the same SQL on both backends.
-- q is what the application passes to FTS5: words, the last may end in *
-- (a prefix).

CREATE TABLE search_docs (
  id         BIGSERIAL PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('theme', 'action', 'consultation', 'poll', 'session')),
  ref_id     BIGINT NOT NULL,
  plan_id    BIGINT NOT NULL DEFAULT 0,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL DEFAULT '',
  indexed_at BIGINT NOT NULL,
  UNIQUE (kind, ref_id)
);

CREATE TABLE search_doc_themes (
  doc_id   BIGINT NOT NULL REFERENCES search_docs(id) ON DELETE CASCADE,
  theme_id BIGINT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
  PRIMARY KEY (doc_id, theme_id)
);
CREATE INDEX search_doc_themes_theme ON search_doc_themes(theme_id);

CREATE TABLE search_dirty (
  id     BIGSERIAL PRIMARY KEY,
  kind   TEXT NOT NULL,
  ref_id BIGINT NOT NULL
);

CREATE TABLE search_fts (
  rowid BIGINT PRIMARY KEY,
  title TEXT NOT NULL,
  body  TEXT NOT NULL,
  tsv   tsvector GENERATED ALWAYS AS (setweight(to_tsvector('dutch', title), 'A') ||
                                      setweight(to_tsvector('dutch', body), 'D')) STORED
);
CREATE INDEX search_fts_tsv ON search_fts USING GIN (tsv);
INSERT INTO meta (key, value) VALUES ('search_stems', 'db');

CREATE FUNCTION search_fts(q TEXT) RETURNS TABLE (rowid BIGINT, rank DOUBLE PRECISION)
LANGUAGE sql STABLE AS $$
  WITH words AS (
    SELECT string_agg(CASE WHEN w LIKE '%*' THEN rtrim(w, '*') || ':*' ELSE w END, ' & ') AS expr
    FROM regexp_split_to_table(regexp_replace(trim(q), '[^[:alnum:][:space:]*]', '', 'g'), '\s+') AS w
    WHERE w <> '' AND w <> '*'
  ), query AS (
    SELECT to_tsquery('dutch', expr) AS tq FROM words WHERE expr IS NOT NULL
  )
  SELECT f.rowid, -ts_rank(f.tsv, query.tq, 1)::double precision
  FROM search_fts f, query
  WHERE f.tsv @@ query.tq
$$;

-- search_mark(kind, column): notes the row's column as a thing of kind
-- that changed.
CREATE FUNCTION search_mark() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
  INSERT INTO search_dirty (kind, ref_id) VALUES (TG_ARGV[0], (r ->> TG_ARGV[1])::BIGINT);
  RETURN NULL;
END $$;

-- an organisation's new name: every action point it holds
CREATE FUNCTION search_mark_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_dirty (kind, ref_id)
    SELECT 'action', action_id FROM action_holders WHERE organisation_id = NEW.id;
  RETURN NULL;
END $$;

-- an option: its question's consultation
CREATE FUNCTION search_mark_option() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  qid BIGINT;
BEGIN
  IF TG_OP = 'DELETE' THEN qid := OLD.question_id; ELSE qid := NEW.question_id; END IF;
  INSERT INTO search_dirty (kind, ref_id)
    SELECT 'consultation', consultation_id FROM cons_questions WHERE id = qid;
  RETURN NULL;
END $$;

CREATE TRIGGER search_themes AFTER INSERT OR UPDATE OR DELETE ON themes
  FOR EACH ROW EXECUTE FUNCTION search_mark('theme', 'id');

CREATE TRIGGER search_actions AFTER INSERT OR UPDATE OR DELETE ON action_points
  FOR EACH ROW EXECUTE FUNCTION search_mark('action', 'id');
CREATE TRIGGER search_holders AFTER INSERT OR DELETE ON action_holders
  FOR EACH ROW EXECUTE FUNCTION search_mark('action', 'action_id');
CREATE TRIGGER search_orgs_upd AFTER UPDATE OF name ON organisations
  FOR EACH ROW EXECUTE FUNCTION search_mark_org();

CREATE TRIGGER search_cons AFTER INSERT OR DELETE ON cons_consultations
  FOR EACH ROW EXECUTE FUNCTION search_mark('consultation', 'id');
CREATE TRIGGER search_cons_upd AFTER UPDATE ON cons_consultations
  FOR EACH ROW WHEN (NEW.responses = OLD.responses)
  EXECUTE FUNCTION search_mark('consultation', 'id');
CREATE TRIGGER search_cons_q AFTER INSERT OR DELETE OR UPDATE OF prompt, help ON cons_questions
  FOR EACH ROW EXECUTE FUNCTION search_mark('consultation', 'consultation_id');
CREATE TRIGGER search_cons_o AFTER INSERT OR DELETE OR UPDATE OF label, theme_id ON cons_options
  FOR EACH ROW EXECUTE FUNCTION search_mark_option();

CREATE TRIGGER search_polls AFTER INSERT OR UPDATE OR DELETE ON polls
  FOR EACH ROW EXECUTE FUNCTION search_mark('poll', 'id');
CREATE TRIGGER search_poll_q AFTER INSERT OR DELETE OR UPDATE OF prompt ON poll_questions
  FOR EACH ROW EXECUTE FUNCTION search_mark('poll', 'poll_id');

INSERT INTO search_dirty (kind, ref_id) SELECT 'theme', id FROM themes;
INSERT INTO search_dirty (kind, ref_id) SELECT 'action', id FROM action_points;
INSERT INTO search_dirty (kind, ref_id) SELECT 'consultation', id FROM cons_consultations;
INSERT INTO search_dirty (kind, ref_id) SELECT 'poll', id FROM polls;
