-- 022_news.sql — the newsletter: its subscribers (no account needed;
-- double opt-in: 'pending' until the link in the confirmation mail is
-- followed) and its issues, written in Markdown by organisers. Sending an
-- issue fans out to one outbox row per active subscriber, in batches by
-- subscriber id (fanout_upto), off the request; delivered and failed are
-- counted when the last row is done.

CREATE TABLE news_subscribers (
  id              BIGSERIAL PRIMARY KEY,
  email           TEXT NOT NULL UNIQUE,
  lang            TEXT NOT NULL DEFAULT 'nl',
  status          TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
  confirm_hash    TEXT NOT NULL DEFAULT '',  -- hash of the confirmation link's token
  confirm_expires BIGINT NOT NULL DEFAULT 0,
  created_at      BIGINT NOT NULL,
  confirmed_at    BIGINT NOT NULL DEFAULT 0,
  unsubscribed_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX news_subscribers_active ON news_subscribers(id) WHERE status = 'active';

CREATE TABLE news_issues (
  id          BIGSERIAL PRIMARY KEY,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,                  -- Markdown
  status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'sent')),
  author_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  sent_at     BIGINT NOT NULL DEFAULT 0,      -- when sending started
  finished_at BIGINT NOT NULL DEFAULT 0,
  fanout_upto BIGINT NOT NULL DEFAULT 0,      -- subscribers up to this id have their row
  fanout_done INTEGER NOT NULL DEFAULT 0,
  recipients  BIGINT NOT NULL DEFAULT 0,
  delivered   BIGINT NOT NULL DEFAULT 0,
  failed      BIGINT NOT NULL DEFAULT 0
);
