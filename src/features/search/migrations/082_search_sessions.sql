-- 082_search_sessions.sql — sessions (the agenda feature) in the search
-- index: a published session is found by its title, description, place,
-- organiser and, once published, its report ("verslag"); its themes put
-- it on the theme pages. The triggers note changes to the text, the
-- status and the report, never the places taken (registered, reg_seq).

CREATE TRIGGER search_sessions_ins AFTER INSERT ON agenda_sessions
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('session', NEW.id); END;
CREATE TRIGGER search_sessions_upd
AFTER UPDATE OF plan_id, kind, title, description, address, organiser_name, status, report,
                report_published ON agenda_sessions
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('session', NEW.id); END;
CREATE TRIGGER search_sessions_del AFTER DELETE ON agenda_sessions
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('session', OLD.id); END;
CREATE TRIGGER search_session_themes_ins AFTER INSERT ON agenda_session_themes
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('session', NEW.session_id); END;
CREATE TRIGGER search_session_themes_del AFTER DELETE ON agenda_session_themes
BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('session', OLD.session_id); END;

INSERT INTO search_dirty (kind, ref_id) SELECT 'session', id FROM agenda_sessions;
