/* site_store.c — the site's settings: one row (site_settings, id 1, made
 * by the migration), read whole (without the logo's bytes) for the frame
 * and the pages, and changed by an admin. Every change raises version in
 * the same statement, so readers on every node can tell a newer copy.
 */
#include <string.h>

#include "../../store/db.h"
#include "site.h"

typedef struct get_ctx {
	arena         *a;
	site_settings *out;
	bool           found;
} get_ctx;

static const char *text(arena *a, const db_row *r, int col)
{
	const char *t = db_text(a, r, col);
	return t ? t : "";
}

static store_rc settings_row(const db_row *r, void *ctx)
{
	get_ctx *c = ctx;
	site_settings *o = c->out;
	o->version = db_int(r, 0);
	o->site_name = text(c->a, r, 1);
	o->org_name = text(c->a, r, 2);
	o->contact_email = text(c->a, r, 3);
	o->contact_phone = text(c->a, r, 4);
	o->contact_address = text(c->a, r, 5);
	o->contact_url = text(c->a, r, 6);
	o->privacy = text(c->a, r, 7);
	o->accessibility = text(c->a, r, 8);
	o->a11y_status = text(c->a, r, 9);
	o->a11y_checked_on = text(c->a, r, 10);
	o->logo_type = text(c->a, r, 11);
	o->logo_hash = text(c->a, r, 12);
	o->updated_at = db_int(r, 13);
	c->found = true;
	return STORE_OK;
}

store_rc site_store_get(store *s, arena *a, site_settings *out)
{
	memset(out, 0, sizeof *out);
	get_ctx c = { a, out, false };
	db_arg args[] = { DB_I(1) };
	store_rc rc = db_query(s, "SELECT version, site_name, org_name, contact_email, contact_phone, "
	                          "contact_address, contact_url, privacy, accessibility, a11y_status, "
	                          "a11y_checked_on, logo_type, logo_hash, updated_at "
	                          "FROM site_settings WHERE id = $1",
	                       args, 1, settings_row, &c);
	if (rc == STORE_OK && !c.found)
		rc = STORE_NOTFOUND;
	return rc;
}

static store_rc int_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

store_rc site_store_version(store *s, int64_t *version)
{
	*version = 0;
	db_arg args[] = { DB_I(1) };
	return db_query(s, "SELECT version FROM site_settings WHERE id = $1", args, 1, int_row,
	                version);
}

store_rc site_store_save(store *s, const site_settings *in, int64_t user_id, int64_t *version)
{
	db_arg args[] = { DB_S(in->site_name), DB_S(in->org_name), DB_S(in->contact_email),
		          DB_S(in->contact_phone), DB_S(in->contact_address), DB_S(in->contact_url),
		          DB_S(in->privacy), DB_S(in->accessibility), DB_S(in->a11y_status),
		          DB_S(in->a11y_checked_on), DB_I(db_now()),
		          user_id ? DB_I(user_id) : DB_NUL };
	*version = 0;
	store_rc rc = db_exec(s, "UPDATE site_settings SET version = version + 1, site_name = $1, "
	                         "org_name = $2, contact_email = $3, contact_phone = $4, "
	                         "contact_address = $5, contact_url = $6, privacy = $7, "
	                         "accessibility = $8, a11y_status = $9, a11y_checked_on = $10, "
	                         "updated_at = $11, updated_by = $12 WHERE id = 1 RETURNING version",
	                      args, 12, version, NULL);
	return rc == STORE_OK && !*version ? STORE_NOTFOUND : rc;
}

typedef struct logo_ctx {
	arena      *a;
	const char *type, *b64, *hash;
} logo_ctx;

static store_rc logo_row(const db_row *r, void *ctx)
{
	logo_ctx *c = ctx;
	c->type = text(c->a, r, 0);
	c->b64 = text(c->a, r, 1);
	c->hash = text(c->a, r, 2);
	return STORE_OK;
}

store_rc site_store_logo(store *s, arena *a, const char **type, const char **b64,
                         const char **hash)
{
	logo_ctx c = { a, "", "", "" };
	db_arg args[] = { DB_I(1) };
	store_rc rc = db_query(s, "SELECT logo_type, logo_data, logo_hash FROM site_settings "
	                          "WHERE id = $1",
	                       args, 1, logo_row, &c);
	*type = c.type;
	*b64 = c.b64;
	*hash = c.hash;
	return rc;
}

store_rc site_store_logo_set(store *s, const char *type, const char *b64, const char *hash,
                             int64_t user_id, int64_t *version)
{
	db_arg args[] = { DB_S(type), DB_S(b64), DB_S(hash), DB_I(db_now()),
		          user_id ? DB_I(user_id) : DB_NUL };
	*version = 0;
	store_rc rc = db_exec(s, "UPDATE site_settings SET version = version + 1, logo_type = $1, "
	                         "logo_data = $2, logo_hash = $3, updated_at = $4, updated_by = $5 "
	                         "WHERE id = 1 RETURNING version",
	                      args, 5, version, NULL);
	return rc == STORE_OK && !*version ? STORE_NOTFOUND : rc;
}
