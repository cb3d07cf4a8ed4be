/* act_store_offers.c — store queries for offers to adopt an action point:
 * making one (and, when the offerer is not a member of the organisation,
 * telling its members that one of them must confirm it), the organisers'
 * inbox of open offers, confirming or refusing by the organisation, and
 * accepting or declining by an organiser. Each change runs in one
 * transaction with its version row and the event that tells the people it
 * concerns.
 */
#include <string.h>

#include "../../store/db.h"
#include "act.h"

store_rc act_store_holder_put(store *s, int64_t action_id, int64_t org_id, const char *hrole,
                              int64_t contact_id);

static store_rc count_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

bool act_store_is_member(store *s, int64_t org_id, int64_t user_id)
{
	int64_t n = 0;
	db_arg a[] = { DB_I(org_id), DB_I(user_id) };
	return db_query(s, "SELECT COUNT(*) FROM memberships WHERE organisation_id = $1 AND "
	                   "user_id = $2",
	                a, 2, count_row, &n) == STORE_OK && n > 0;
}

int64_t act_store_org_members(store *s, int64_t org_id)
{
	int64_t n = 0;
	db_arg a[] = { DB_I(org_id) };
	if (db_query(s, "SELECT COUNT(*) FROM memberships WHERE organisation_id = $1", a, 1,
	             count_row, &n) != STORE_OK)
		return 0;
	return n;
}

store_rc act_store_org_named(store *s, const char *name, int64_t *id)
{
	*id = 0;
	db_arg q[] = { DB_S(name) };
	return db_query(s, "SELECT id FROM organisations WHERE LOWER(name) = LOWER($1) ORDER BY id "
	                   "LIMIT 1",
	                q, 1, count_row, id);
}

#define OFFER_COLS                                                                             \
	"f.id, f.action_id, p.title, f.user_id, us.name, COALESCE(f.organisation_id, 0), "      \
	"COALESCE(o.name, f.new_org_name), f.new_org_sector, f.role, f.message, f.status, "      \
	"f.reason, f.created_at, f.decided_at, f.confirmation, COALESCE(cu.name, '') "          \
	"FROM action_offers f "                                                                  \
	"JOIN action_points p ON p.id = f.action_id JOIN users us ON us.id = f.user_id "         \
	"LEFT JOIN organisations o ON o.id = f.organisation_id "                                 \
	"LEFT JOIN users cu ON cu.id = f.confirmed_by "

static store_rc offer_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	act_offer *o = db_vec_push(v);
	if (!o)
		return STORE_ERROR;
	o->id = db_int(r, 0);
	o->action_id = db_int(r, 1);
	o->action_title = db_text(v->a, r, 2);
	o->user_id = db_int(r, 3);
	o->user_name = db_text(v->a, r, 4);
	o->org_id = db_int(r, 5);
	o->org_name = db_text(v->a, r, 6);
	o->new_org_sector = db_text(v->a, r, 7);
	o->role = db_text(v->a, r, 8);
	o->message = db_text(v->a, r, 9);
	o->status = db_text(v->a, r, 10);
	o->reason = db_text(v->a, r, 11);
	o->created_at = db_int(r, 12);
	o->decided_at = db_int(r, 13);
	o->confirmation = db_text(v->a, r, 14);
	o->confirmer_name = db_text(v->a, r, 15);
	return o->action_title && o->user_name && o->org_name && o->new_org_sector && o->role &&
	               o->message && o->status && o->reason && o->confirmation && o->confirmer_name
	       ? STORE_OK : STORE_ERROR;
}

static store_rc id_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	int64_t *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	*x = db_int(r, 0);
	return STORE_OK;
}

typedef struct create_ctx { const act_offer *o; int64_t *id_out; } create_ctx;

static store_rc create_tx(store *s, void *ctx)
{
	create_ctx *c = ctx;
	const act_offer *o = c->o;
	int64_t n = 0;
	db_arg q[] = { DB_I(o->action_id), DB_I(o->org_id), DB_S(o->org_id ? "" : o->org_name) };
	store_rc rc = db_query(s, "SELECT COUNT(*) FROM action_offers f LEFT JOIN organisations g ON "
	                          "g.id = f.organisation_id WHERE f.action_id = $1 AND "
	                          "f.status = 'open' AND (f.organisation_id = $2 OR "
	                          "LOWER(COALESCE(g.name, f.new_org_name)) = LOWER($3))",
	                       q, 3, count_row, &n);
	if (rc == STORE_OK && n)
		return STORE_CONFLICT;
	bool pending = o->confirmation && !strcmp(o->confirmation, "pending");
	db_arg a[] = { DB_I(o->action_id), DB_I(o->user_id), o->org_id ? DB_I(o->org_id) : DB_NUL,
		       DB_S(o->org_id ? "" : o->org_name),
		       DB_S(o->org_id ? "" : o->new_org_sector), DB_S(o->role), DB_S(o->message),
		       DB_I(db_now()), DB_S(pending ? "pending" : "") };
	int64_t id = 0;
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO action_offers (action_id, user_id, organisation_id, "
		                "new_org_name, new_org_sector, role, message, created_at, confirmation) "
		                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
		             a, 9, &id, NULL);
	/* A version row for organisers; the public history leaves it out
	 * (act_store_versions) until the offer is accepted. */
	if (rc == STORE_OK)
		rc = act_store_version(s, o->action_id, o->user_id, "offer", o->org_name);
	/* The offerer hears of what happens with the action point (store.h). */
	if (rc == STORE_OK)
		rc = store_follow_auto(s, o->user_id, "action", o->action_id);
	if (rc == STORE_OK && pending) {
		/* The organisation's members: one of them confirms. */
		arena ar;
		arena_init(&ar, 0);
		db_arg m[] = { DB_I(o->org_id), DB_I(o->user_id) };
		db_vec v = { .a = &ar, .size = sizeof(int64_t) };
		rc = db_query(s, "SELECT user_id FROM memberships WHERE organisation_id = $1 AND "
		                 "user_id <> $2 ORDER BY user_id",
		              m, 2, id_row, &v);
		const char *url = arena_printf(&ar, "/actions/offers/%lld", (long long)id);
		if (rc == STORE_OK && v.len) {
			store_event e = { .kind = "act.offer_to_confirm",
				          .msgid = "Someone offers on behalf of your organisation to adopt "
				                   "“%s”. Confirm or refuse the offer.",
				          .subject = o->action_title, .url = url ? url : "/account",
				          .object_type = "action", .object_id = o->action_id,
				          .actor_id = o->user_id, .follower_msgid = STORE_EVENT_PERSONAL };
			rc = store_event_add(s, &e, v.items, v.len, NULL);
		} else if (rc == STORE_OK) {
			rc = STORE_INVALID; /* nobody could confirm it */
		}
		arena_free(&ar);
	}
	if (rc == STORE_OK && c->id_out)
		*c->id_out = id;
	return rc;
}

store_rc act_store_offer_create(store *s, const act_offer *o, int64_t *id_out)
{
	create_ctx c = { o, id_out };
	return store_tx(s, create_tx, &c);
}

store_rc act_store_offer_get(store *s, arena *a, int64_t id, act_offer *out)
{
	db_arg args[] = { DB_I(id) };
	db_vec v = { .a = a, .size = sizeof(act_offer) };
	store_rc rc = db_query(s, "SELECT " OFFER_COLS "WHERE f.id = $1", args, 1, offer_row, &v);
	if (rc == STORE_OK && !v.len)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		memcpy(out, v.items, sizeof *out);
	return rc;
}

store_rc act_store_offers(store *s, arena *a, int64_t action_id, int64_t user_id,
                          act_offer **out, size_t *n)
{
	db_arg args[] = { DB_I(action_id), DB_I(user_id) };
	db_vec v = { .a = a, .size = sizeof(act_offer) };
	store_rc rc = db_query(s, "SELECT " OFFER_COLS "WHERE (f.action_id = $1 AND $1 > 0) OR "
	                          "(f.user_id = $2 AND $2 > 0) ORDER BY f.id DESC",
	                       args, 2, offer_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc act_store_offers_open(store *s, arena *a, act_offer **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(act_offer) };
	store_rc rc = db_query(s, "SELECT " OFFER_COLS "WHERE f.status = 'open' AND "
	                          "p.archived_at = 0 ORDER BY f.id",
	                       NULL, 0, offer_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc act_store_offers_to_confirm(store *s, arena *a, int64_t user_id, act_offer **out,
                                     size_t *n)
{
	db_arg args[] = { DB_I(user_id), DB_I(user_id) };
	db_vec v = { .a = a, .size = sizeof(act_offer) };
	store_rc rc = db_query(s, "SELECT " OFFER_COLS "WHERE f.status = 'open' AND "
	                          "f.confirmation = 'pending' AND f.user_id <> $1 AND "
	                          "f.organisation_id IN (SELECT organisation_id FROM memberships "
	                          "WHERE user_id = $2) ORDER BY f.id",
	                       args, 2, offer_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

/* Tells the offerer what became of their offer, in the deciding
 * transaction (store.h: notification events). Followers of the action
 * point read follower_msgid, or are not told (STORE_EVENT_PERSONAL). */
static store_rc offer_event(store *s, arena *a, const act_offer *o, int64_t actor,
                            const char *kind, const char *msgid, const char *follower_msgid)
{
	const char *url = arena_printf(a, "/actions/%lld", (long long)o->action_id);
	store_event e = { .kind = kind, .msgid = msgid, .subject = o->action_title,
		          .url = url ? url : "/account", .object_type = "action",
		          .object_id = o->action_id, .actor_id = actor,
		          .follower_msgid = follower_msgid };
	return store_event_add(s, &e, &o->user_id, 1, NULL);
}

typedef struct accept_ctx { int64_t offer_id, user_id; const char *role; } accept_ctx;

/* act_store_offer_accept's transaction (store_tx may run it more than once). */
static store_rc accept_tx(store *s, void *ctx)
{
	accept_ctx *c = ctx;
	arena ar;
	arena_init(&ar, 0);
	act_offer o;
	store_rc rc = act_store_offer_get(s, &ar, c->offer_id, &o);
	if (rc == STORE_OK && !strcmp(o.status, "accepted"))
		goto done; /* accepting twice changes nothing */
	if (rc == STORE_OK && (strcmp(o.status, "open") || !strcmp(o.confirmation, "pending")))
		rc = STORE_INVALID;
	int64_t org = rc == STORE_OK ? o.org_id : 0;
	if (rc == STORE_OK && !org) {
		/* A new organisation; one of that name made since is not the
		 * offerer's to act for. */
		int64_t same = 0;
		rc = act_store_org_named(s, o.org_name, &same);
		if (rc == STORE_OK && same)
			rc = STORE_CONFLICT;
		if (rc == STORE_OK)
			rc = store_org_create(s, o.org_name, o.new_org_sector, &org);
	}
	if (rc == STORE_OK)
		rc = act_store_holder_put(s, o.action_id, org, c->role, o.user_id);
	db_arg u[] = { DB_I(org), DB_I(db_now()), DB_I(c->offer_id) };
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE action_offers SET status = 'accepted', organisation_id = $1, "
		                "decided_at = $2 WHERE id = $3",
		             u, 3, NULL, NULL);
	if (rc == STORE_OK && !strcmp(c->role, "lead")) {
		db_arg st[] = { DB_I(o.action_id) };
		rc = db_exec(s, "UPDATE action_points SET status = 'adopted' WHERE id = $1 AND "
		                "status IN ('idea', 'seeking')",
		             st, 1, NULL, NULL);
	}
	if (rc == STORE_OK)
		rc = act_store_version(s, o.action_id, c->user_id, "offer_accepted", o.org_name);
	if (rc == STORE_OK)
		rc = offer_event(s, &ar, &o, c->user_id, "act.offer_accepted",
		                 "Your offer to adopt “%s” was accepted.", "“%s” has a new holder.");
done:
	arena_free(&ar);
	return rc;
}

store_rc act_store_offer_accept(store *s, int64_t offer_id, const char *hrole, int64_t user_id)
{
	accept_ctx c = { offer_id, user_id, hrole };
	return store_tx(s, accept_tx, &c);
}

typedef struct decide_ctx {
	int64_t offer_id, user_id;
	const char *reason;
	int what;
} decide_ctx;
enum { DECIDE_DECLINE, DECIDE_CONFIRM, DECIDE_REFUSE };

/* Declining (an organiser), confirming or refusing (a member of the
 * organisation): one transaction each. */
static store_rc decide_tx(store *s, void *ctx)
{
	decide_ctx *c = ctx;
	arena ar;
	arena_init(&ar, 0);
	act_offer o;
	store_rc rc = act_store_offer_get(s, &ar, c->offer_id, &o);
	if (rc == STORE_OK && strcmp(o.status, "open"))
		rc = STORE_INVALID;
	if (rc == STORE_OK && c->what != DECIDE_DECLINE && strcmp(o.confirmation, "pending"))
		rc = STORE_INVALID;
	if (rc != STORE_OK)
		goto done;
	int64_t now = db_now();
	switch (c->what) {
	case DECIDE_DECLINE: {
		db_arg u[] = { DB_S(c->reason), DB_I(now), DB_I(c->offer_id) };
		rc = db_exec(s, "UPDATE action_offers SET status = 'declined', reason = $1, "
		                "decided_at = $2 WHERE id = $3",
		             u, 3, NULL, NULL);
		if (rc == STORE_OK)
			rc = act_store_version(s, o.action_id, c->user_id, "offer_declined", o.org_name);
		if (rc == STORE_OK)
			rc = offer_event(s, &ar, &o, c->user_id, "act.offer_declined",
			                 "Your offer to adopt “%s” was declined. The reason is on your "
			                 "account page.", STORE_EVENT_PERSONAL);
		break;
	}
	case DECIDE_CONFIRM: {
		db_arg u[] = { DB_I(c->user_id), DB_I(now), DB_I(c->offer_id) };
		rc = db_exec(s, "UPDATE action_offers SET confirmation = 'confirmed', confirmed_by = $1, "
		                "confirmed_at = $2 WHERE id = $3",
		             u, 3, NULL, NULL);
		if (rc == STORE_OK)
			rc = act_store_version(s, o.action_id, c->user_id, "offer_confirmed", o.org_name);
		if (rc == STORE_OK)
			rc = offer_event(s, &ar, &o, c->user_id, "act.offer_confirmed",
			                 "Your organisation confirmed your offer to adopt “%s”. "
			                 "An organiser answers it next.", STORE_EVENT_PERSONAL);
		break;
	}
	case DECIDE_REFUSE: {
		db_arg u[] = { DB_I(c->user_id), DB_I(now), DB_I(now), DB_I(c->offer_id) };
		rc = db_exec(s, "UPDATE action_offers SET confirmation = 'refused', status = 'declined', "
		                "confirmed_by = $1, confirmed_at = $2, decided_at = $3 WHERE id = $4",
		             u, 4, NULL, NULL);
		if (rc == STORE_OK)
			rc = act_store_version(s, o.action_id, c->user_id, "offer_refused", o.org_name);
		if (rc == STORE_OK)
			rc = offer_event(s, &ar, &o, c->user_id, "act.offer_refused",
			                 "Your organisation did not confirm your offer to adopt “%s”.",
			                 STORE_EVENT_PERSONAL);
		break;
	}
	}
done:
	arena_free(&ar);
	return rc;
}

store_rc act_store_offer_decline(store *s, int64_t offer_id, const char *reason, int64_t user_id)
{
	decide_ctx c = { offer_id, user_id, reason, DECIDE_DECLINE };
	return store_tx(s, decide_tx, &c);
}

store_rc act_store_offer_confirm(store *s, int64_t offer_id, bool confirm, int64_t user_id)
{
	decide_ctx c = { offer_id, user_id, "", confirm ? DECIDE_CONFIRM : DECIDE_REFUSE };
	return store_tx(s, decide_tx, &c);
}
