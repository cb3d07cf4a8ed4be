-- 023_outbox.sql — the outbox: every e-mail openplan sends is first a row
-- here, written in the same transaction as the change that causes it
-- (a sign-up, an event, a newsletter being sent). The sender thread
-- (src/features/mail) delivers due rows, retries with a growing pause,
-- and marks a row sent (its body is then dropped) or failed (with the
-- server's answer). A message is built either when it is queued (message
-- holds it: links with single-use tokens) or when it is sent, from its
-- notification, digest or newsletter; its Message-ID comes from the row,
-- so a retry sends the same one. Rows are removed 30 days after they are
-- done.

CREATE TABLE mail_outbox (
  id              BIGSERIAL PRIMARY KEY,
  kind            TEXT NOT NULL,   -- 'account.confirm', 'notify.event', 'notify.digest', 'news.issue', …
  user_id         BIGINT REFERENCES users(id) ON DELETE CASCADE,
  to_addr         TEXT NOT NULL DEFAULT '',  -- when no account (newsletter, an erased account)
  subject         TEXT NOT NULL DEFAULT '',  -- for the admin's list
  message         TEXT,                      -- the whole message when built at queueing
  notification_id BIGINT REFERENCES notifications(id) ON DELETE CASCADE,
  issue_id        BIGINT REFERENCES news_issues(id) ON DELETE CASCADE,
  subscriber_id   BIGINT REFERENCES news_subscribers(id) ON DELETE CASCADE,
  status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_at         BIGINT NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      BIGINT NOT NULL,
  done_at         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mail_outbox_due ON mail_outbox(next_at, id) WHERE status = 'queued';
CREATE INDEX mail_outbox_issue ON mail_outbox(issue_id, status) WHERE issue_id IS NOT NULL;
CREATE INDEX mail_outbox_done ON mail_outbox(done_at) WHERE status <> 'queued';
CREATE INDEX mail_outbox_user ON mail_outbox(user_id);
