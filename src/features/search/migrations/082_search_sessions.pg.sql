-- 082_search_sessions.pg.sql — 082_search_sessions.sql in PostgreSQL's
-- spelling (search_mark() is made by 081_search.pg.sql). Sessions in the
-- search index: the triggers note changes to the text, the status and the
-- report, never the places taken (registered, reg_seq).

CREATE TRIGGER search_sessions AFTER INSERT OR DELETE ON agenda_sessions
  FOR EACH ROW EXECUTE FUNCTION search_mark('session', 'id');
CREATE TRIGGER search_sessions_upd
  AFTER UPDATE OF plan_id, kind, title, description, address, organiser_name, status, report,
                  report_published ON agenda_sessions
  FOR EACH ROW EXECUTE FUNCTION search_mark('session', 'id');
CREATE TRIGGER search_session_themes AFTER INSERT OR DELETE ON agenda_session_themes
  FOR EACH ROW EXECUTE FUNCTION search_mark('session', 'session_id');

INSERT INTO search_dirty (kind, ref_id) SELECT 'session', id FROM agenda_sessions;
