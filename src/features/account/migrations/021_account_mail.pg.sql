-- 021_account_mail.sql — what accounts need for e-mail: the language a
-- person reads mail in, whether their address is confirmed, and the
-- single-use tokens of confirmation and password-reset links (stored as
-- hashes only; a token is good once, until it expires).
-- Accounts made before sign-up confirmed addresses, and accounts an
-- administrator makes (openplan user add), count as confirmed: only
-- sign-up asks for a confirmation.

ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'nl';
ALTER TABLE users ADD COLUMN email_confirmed INTEGER NOT NULL DEFAULT 1;

CREATE TABLE account_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL CHECK (purpose IN ('confirm', 'reset')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);
