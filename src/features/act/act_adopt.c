/* act_adopt.c — "adopt an action point": a signed-in person offers, on
 * behalf of an existing organisation or a new one they name, to hold or
 * co-hold an action point that seeks a holder; organisers accept (the
 * organisation becomes lead or partner, the person its contact and
 * member) or decline with a reason. The offerer sees the outcome on the
 * account page (act_account_offers in act_pages.c).
 */
#include <string.h>

#include "../../util/text.h"
#include "act.h"

#define NF(a) (sizeof a / sizeof *a)

static const char *const roles[] = { "lead", "partner", NULL };
static const char *const sectors[] = { "government", "civil_society", "business", "academia",
	                               "other", NULL };

static void drop(json_t *v, json_t *e)
{
	json_decref(v);
	json_decref(e);
}

static const form_field decline_fields[] = {
	{ "reason", F_MULTILINE, true, 1000, NULL },
};
static const form_field accept_fields[] = {
	{ "role", F_CHOICE, true, 10, roles },
};
static const form_field adopt_fields[] = {
	{ "org_id", F_TEXT, false, 20, NULL },
	{ "new_org_name", F_TEXT, false, 150, NULL },
	{ "new_org_sector", F_CHOICE, false, 20, sectors },
	{ "role", F_CHOICE, true, 10, roles },
	{ "message", F_MULTILINE, true, 2000, NULL },
};
/* ---- adopting an action point ---- */

static void adopt_page(app_req *q, int status, const act_point *p, json_t *v, json_t *e)
{
	organisation *orgs;
	size_t n;
	store_rc rc = store_org_list(q->app->db, q->a, &orgs, &n);
	if (rc != STORE_OK) {
		drop(v, e);
		app_store_error(q, rc);
		return;
	}
	/* The person's own organisations first. */
	organisation *mine;
	size_t nmine = 0;
	if (store_user_orgs(q->app->db, q->a, q->me->id, &mine, &nmine) != STORE_OK)
		nmine = 0;
	long long sel = act_form_id(v, "org_id");
	json_t *own = json_array(), *other = json_array();
	for (size_t i = 0; i < n; i++) {
		bool is_mine = false;
		for (size_t k = 0; k < nmine; k++)
			is_mine = is_mine || mine[k].id == orgs[i].id;
		json_array_append_new(is_mine ? own : other,
		                      json_pack("{s:I,s:s,s:b}", "value", (json_int_t)orgs[i].id,
		                                "label", orgs[i].name, "selected", orgs[i].id == sel));
	}
	const char *want_role = form_str(v, "role");
	const char *sector = form_str(v, "new_org_sector");
	json_t *sect = json_array();
	static const char *const sector_labels[] = { "Government", "Civil society", "Business",
		                                     "Academia", "Other" };
	for (int i = 0; sectors[i]; i++)
		json_array_append_new(sect, json_pack("{s:s,s:s,s:b}", "value", sectors[i], "label",
		                                      app_t(q, sector_labels[i]), "selected",
		                                      !strcmp(sector, sectors[i])));
	json_t *m = json_pack("{s:s,s:{s:I,s:s},s:o,s:o,s:o,s:o,s:o,s:b,s:b}", "title",
	                      app_t(q, "Adopt an action point"), "point", "id", (json_int_t)p->id,
	                      "title", p->title, "form", v, "errors", e, "own_orgs", own,
	                      "other_orgs", other, "sector_options", sect, "role_partner",
	                      !strcmp(want_role, "partner"), "has_errors", json_object_size(e) > 0);
	app_page(q, status, "act_adopt", m);
}

void act_adopt(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	if (strcmp(p.status, "seeking")) {
		app_error(q, 409, "This action point does not seek a holder at the moment.");
		return;
	}
	if (q->r->method != HTTP_POST) {
		adopt_page(q, 200, &p, json_object(), json_object());
		return;
	}
	json_t *v, *e;
	form_check(q, adopt_fields, NF(adopt_fields), &v, &e);
	act_offer o = { .action_id = p.id, .user_id = q->me->id };
	o.role = form_str(v, "role");
	o.message = form_str(v, "message");
	const char *org = form_str(v, "org_id");
	const char *name = form_str(v, "new_org_name");
	organisation existing;
	if (!json_object_get(e, "org_id") && *org) {
		long long id;
		if (!text_parse_int(org, 1, INT64_MAX, &id) ||
		    store_org_get(q->app->db, q->a, id, &existing) != STORE_OK)
			form_error(q, e, "org_id", "Choose one of the options.");
		else {
			o.org_id = id;
			o.org_name = existing.name;
			if (*name)
				form_error(q, e, "new_org_name", "Choose an organisation from the list, or "
				                                 "name a new one, not both.");
		}
	} else if (!json_object_get(e, "org_id")) {
		if (!*name && !json_object_get(e, "new_org_name"))
			form_error(q, e, "org_id", "Choose an organisation, or name a new one.");
		else if (*name) {
			o.org_name = name;
			o.new_org_sector = form_str(v, "new_org_sector");
			if (!*o.new_org_sector && !json_object_get(e, "new_org_sector"))
				form_error(q, e, "new_org_sector", "Choose the kind of organisation.");
		}
	}
	store_rc rc = STORE_OK;
	if (!json_object_size(e)) {
		rc = act_store_offer_create(q->app->db, &o, NULL);
		if (rc == STORE_CONFLICT)
			form_error(q, e, o.org_id ? "org_id" : "new_org_name",
			           "This organisation already has an open offer for this action point. "
			           "Wait for the organiser's answer.");
	}
	if (json_object_size(e)) {
		adopt_page(q, 422, &p, v, e);
		return;
	}
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/account#offers", "saved");
}

/* The offer named by {oid} on the action point named by {id}. */
static bool load_offer(app_req *q, act_point *p, act_offer *o)
{
	if (!act_load(q, p))
		return false;
	int64_t oid = app_param_id(q, "oid");
	store_rc rc = oid ? act_store_offer_get(q->app->db, q->a, oid, o) : STORE_NOTFOUND;
	if (rc == STORE_OK && o->action_id != p->id)
		rc = STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

void act_offer_accept(app_req *q)
{
	act_point p;
	act_offer o;
	if (!load_offer(q, &p, &o))
		return;
	if (!strcmp(o.status, "declined")) {
		app_error(q, 409, "This offer was declined earlier; it cannot be accepted any more.");
		return;
	}
	json_t *v, *e;
	form_check(q, accept_fields, NF(accept_fields), &v, &e);
	if (json_object_size(e) && strcmp(o.status, "accepted")) {
		act_focus f = { "accept", o.id, v, e };
		act_render(q, 422, p.id, "act_edit", &f);
		drop(v, e);
		return;
	}
	store_rc rc = act_store_offer_accept(q->app->db, o.id, form_str(v, "role"), q->me->id);
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "/edit#offers");
}

void act_offer_decline(app_req *q)
{
	act_point p;
	act_offer o;
	if (!load_offer(q, &p, &o))
		return;
	if (strcmp(o.status, "open")) {
		app_error(q, 409, "This offer has already been answered.");
		return;
	}
	json_t *v, *e;
	form_check(q, decline_fields, NF(decline_fields), &v, &e);
	if (json_object_size(e)) {
		act_focus f = { "decline", o.id, v, e };
		act_render(q, 422, p.id, "act_edit", &f);
		drop(v, e);
		return;
	}
	store_rc rc = act_store_offer_decline(q->app->db, o.id, form_str(v, "reason"), q->me->id);
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "/edit#offers");
}

