/* account_store.c — the account feature's SQL beyond the core's users and
 * sessions: single-use tokens of confirmation and password-reset links
 * (stored as hashes; good once, until they expire), a person's language
 * and whether their address is confirmed, and erasing an account (the
 * users row goes; what points at it was declared ON DELETE CASCADE for
 * personal data, ON DELETE SET NULL for contributions that stay,
 * anonymised). Through db.h only.
 */
#include <string.h>

#include "../../store/db.h"
#include "account.h"

store_rc account_store_token_create(store *s, int64_t user_id, const char *purpose,
                                    const char *token_hash, int64_t expires_at)
{
	int64_t now = db_now();
	/* Old tokens go when new ones are made: nothing expired is kept. */
	db_arg old[] = { DB_I(now - 86400) };
	store_rc rc = db_exec(s, "DELETE FROM account_tokens WHERE expires_at < $1", old, 1, NULL, NULL);
	db_arg a[] = { DB_S(token_hash), DB_I(user_id), DB_S(purpose), DB_I(now), DB_I(expires_at) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, "
		                "expires_at) VALUES ($1, $2, $3, $4, $5)",
		             a, 5, NULL, NULL);
	return rc;
}

typedef struct tok { int64_t user_id, expires_at; bool used, found; } tok;

static store_rc tok_row(const db_row *r, void *ctx)
{
	tok *t = ctx;
	t->found = true;
	t->user_id = db_int(r, 0);
	t->expires_at = db_int(r, 1);
	t->used = !db_isnull(r, 2);
	return STORE_OK;
}

store_rc account_store_token_check(store *s, const char *token_hash, const char *purpose,
                                   int64_t now, bool use, int64_t *user_id)
{
	tok t = { 0 };
	db_arg a[] = { DB_S(token_hash), DB_S(purpose) };
	store_rc rc = db_query(s, "SELECT user_id, expires_at, used_at FROM account_tokens WHERE "
	                          "token_hash = $1 AND purpose = $2",
	                       a, 2, tok_row, &t);
	if (rc != STORE_OK)
		return rc;
	if (!t.found)
		return STORE_NOTFOUND;
	if (t.used)
		return STORE_CONFLICT;
	if (t.expires_at <= now)
		return STORE_INVALID;
	*user_id = t.user_id;
	if (!use)
		return STORE_OK;
	int changes = 0;
	db_arg u[] = { DB_I(now), DB_S(token_hash) };
	rc = db_exec(s, "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND "
	                "used_at IS NULL",
	             u, 2, NULL, &changes);
	/* Another request used it first. */
	return rc == STORE_OK && !changes ? STORE_CONFLICT : rc;
}

store_rc account_store_confirm(store *s, int64_t user_id)
{
	db_arg a[] = { DB_I(user_id) };
	return db_exec(s, "UPDATE users SET email_confirmed = 1 WHERE id = $1", a, 1, NULL, NULL);
}

store_rc account_store_unconfirmed(store *s, int64_t user_id, const char *lang)
{
	db_arg a[] = { DB_S(lang), DB_I(user_id) };
	return db_exec(s, "UPDATE users SET email_confirmed = 0, lang = $1 WHERE id = $2", a, 2, NULL,
	               NULL);
}

store_rc account_store_set_lang(store *s, int64_t user_id, const char *lang)
{
	db_arg a[] = { DB_S(lang), DB_I(user_id) };
	return db_exec(s, "UPDATE users SET lang = $1 WHERE id = $2 AND lang <> $1", a, 2, NULL, NULL);
}

typedef struct extra_ctx { arena *a; account_extra *x; bool found; } extra_ctx;

static store_rc extra_row(const db_row *r, void *ctx)
{
	extra_ctx *c = ctx;
	c->found = true;
	c->x->lang = db_text(c->a, r, 0);
	c->x->confirmed = db_bool(r, 1);
	c->x->admins = db_int(r, 2);
	return c->x->lang ? STORE_OK : STORE_ERROR;
}

store_rc account_store_extra(store *s, arena *a, int64_t user_id, account_extra *out)
{
	extra_ctx c = { a, out, false };
	db_arg args[] = { DB_I(user_id) };
	store_rc rc = db_query(s, "SELECT lang, email_confirmed, (SELECT COUNT(*) FROM users "
	                          "WHERE role = 'admin') FROM users WHERE id = $1",
	                       args, 1, extra_row, &c);
	return rc == STORE_OK && !c.found ? STORE_NOTFOUND : rc;
}

store_rc account_store_erase(store *s, int64_t user_id)
{
	db_arg a[] = { DB_I(user_id) };
	int changes = 0;
	store_rc rc = db_exec(s, "DELETE FROM users WHERE id = $1", a, 1, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}
