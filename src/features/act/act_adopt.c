/* act_adopt.c — "adopt an action point": a signed-in person offers to hold
 * or co-hold an action point that seeks a holder, on behalf of an
 * organisation they are a member of, of another existing organisation (a
 * member of it must then confirm the offer first), or of a new one they
 * name (marked as new for the organiser). Organisers answer every open
 * offer from one inbox (/actions/offers) or the action point's edit page:
 * accept (the organisation becomes lead or partner, the person its
 * contact and member) or decline with a reason. Nobody's pending offer is
 * public: the public history shows an organisation once it is accepted.
 */
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "act.h"

static const char *const roles[] = { "lead", "partner", NULL };
static const char *const offer_role_labels[] = { "hold it (lead holder)", "co-hold it (partner)",
	                                         NULL };
static const char *const accept_labels[] = { "Lead holder", "Partner", NULL };
static const char *const sectors[] = { "government", "civil_society", "business", "academia",
	                               "other", NULL };
static const char *const sector_labels[] = { "Government", "Civil society", "Business",
	                                     "Academia", "Other", NULL };
static const char *const backs[] = { "edit", "inbox", NULL };

static void adopt_check(app_req *q);
static void adopt_reshow(app_req *q);
static void answer_reshow(app_req *q);

static const form_field adopt_fields[] = {
	{ "org_id", F_ID, false, 20, .label = "On behalf of" },
	{ "new_org_name", F_TEXT, false, 150, .label = "Name of the new organisation",
	  .autocomplete = "organization" },
	{ "new_org_sector", F_CHOICE, false, 20, sectors, .label = "Kind of organisation",
	  .choice_labels = sector_labels },
	{ "role", F_CHOICE, true, 10, roles, .label = "You offer to",
	  .choice_labels = offer_role_labels },
	{ "message", F_MULTILINE, true, 2000, .label = "Message to the organisers",
	  .help = "What will your organisation do, and what does it need?" },
};
/* Where the organiser answered: the edit page or the inbox (which page a
 * failed form comes back on, and where the answer leads). */
#define BACK_FIELD { "back", F_CHOICE, false, 10, backs, .label = "Back to" }
static const form_field accept_fields[] = {
	{ "role", F_CHOICE, true, 10, roles, .label = "Accept as", .choice_labels = accept_labels },
	BACK_FIELD,
};
static const form_field decline_fields[] = {
	{ "reason", F_MULTILINE, true, 1000, .label = "Reason for declining",
	  .help = "The person who offered sees it." },
	BACK_FIELD,
};
const form_def act_adopt_form = FORM_DEF("adopt", adopt_fields, adopt_check, adopt_reshow);
const form_def act_accept_form = FORM_DEF("accept", accept_fields, NULL, answer_reshow);
const form_def act_decline_form = FORM_DEF("decline", decline_fields, NULL, answer_reshow);

/* ---- offering ---- */

static json_t *field(json_t *view, const char *name)
{
	return json_object_get(json_object_get(view, "f"), name);
}

static void adopt_page(app_req *q, int status, const act_point *p)
{
	organisation *orgs, *mine;
	size_t n, nmine = 0;
	store_rc rc = store_org_list(q->app->db, q->a, &orgs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (store_user_orgs(q->app->db, q->a, q->me->id, &mine, &nmine) != STORE_OK)
		nmine = 0;
	json_t *form = form_view(q, &act_adopt_form, "ad", json_pack("{s:s}", "role", "lead"), true);
	long long sel = 0;
	text_parse_int(json_string_value(json_object_get(field(form, "org_id"), "value")), 1,
	               INT64_MAX, &sel);
	/* The person's own organisations first. */
	json_t *own = json_array(), *other = json_array();
	for (size_t i = 0; i < n; i++) {
		bool is_mine = false;
		for (size_t k = 0; k < nmine; k++)
			is_mine = is_mine || mine[k].id == orgs[i].id;
		json_array_append_new(is_mine ? own : other,
		                      json_pack("{s:I,s:s,s:b}", "value", (json_int_t)orgs[i].id,
		                                "label", orgs[i].name, "selected", orgs[i].id == sel));
	}
	json_object_set_new(field(form, "org_id"), "own", own);
	json_object_set_new(field(form, "org_id"), "other", other);
	json_t *m = json_pack("{s:s,s:{s:I,s:s},s:o,s:b}", "title", app_t(q, "Adopt an action point"),
	                      "point", "id", (json_int_t)p->id, "title", p->title, "form", form,
	                      "has_errors", form_failed(q));
	app_page(q, status, "act_adopt", m);
}

static void adopt_reshow(app_req *q)
{
	act_point p;
	if (act_load(q, &p))
		adopt_page(q, 422, &p);
}

/* One organisation: an existing one (a member offers, or a member must
 * confirm) or a new one that is not on the list yet. */
static void adopt_check(app_req *q)
{
	int64_t org = form_int(q, "org_id");
	const char *name = form_text(q, "new_org_name");
	organisation o;
	if (org) {
		if (store_org_get(q->app->db, q->a, org, &o) != STORE_OK)
			form_fail(q, "org_id", "Choose one of the options.");
		else if (*name)
			form_fail(q, "new_org_name", "Choose an organisation from the list, or name a new "
			                             "one, not both.");
		else if (!act_store_is_member(q->app->db, org, q->me->id) &&
		         act_store_org_members(q->app->db, org) == 0)
			form_fail(q, "org_id", "Nobody of this organisation has an account here yet to "
			                       "confirm your offer. Ask an organiser to add you to the "
			                       "organisation first.");
		return;
	}
	if (!*name) {
		form_fail(q, "org_id", "Choose an organisation, or name a new one.");
		return;
	}
	int64_t same = 0;
	if (act_store_org_named(q->app->db, name, &same) != STORE_OK || same)
		form_fail(q, "new_org_name", "An organisation with this name is on the list already: "
		                             "choose it there.");
	if (!*form_text(q, "new_org_sector"))
		form_fail(q, "new_org_sector", "Choose the kind of organisation.");
}

void act_adopt(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	if (strcmp(p.status, "seeking") || p.archived_at || !p.published_at) {
		app_error(q, 409, "This action point does not seek a holder at the moment.");
		return;
	}
	if (q->r->method != HTTP_POST) {
		adopt_page(q, 200, &p);
		return;
	}
	act_offer o = { .action_id = p.id, .action_title = p.title, .user_id = q->me->id,
		        .role = form_text(q, "role"), .message = form_text(q, "message"),
		        .org_id = form_int(q, "org_id"), .confirmation = "" };
	organisation existing;
	if (o.org_id) {
		store_rc rc = store_org_get(q->app->db, q->a, o.org_id, &existing);
		if (rc != STORE_OK) {
			app_store_error(q, rc);
			return;
		}
		o.org_name = existing.name;
		if (!act_store_is_member(q->app->db, o.org_id, q->me->id))
			o.confirmation = "pending";
	} else {
		o.org_name = form_text(q, "new_org_name");
		o.new_org_sector = form_text(q, "new_org_sector");
	}
	store_rc rc = act_store_offer_create(q->app->db, &o, NULL);
	if (rc == STORE_CONFLICT || rc == STORE_INVALID) {
		form_fail(q, o.org_id ? "org_id" : "new_org_name", rc == STORE_CONFLICT
			? "This organisation already has an open offer for this action point. "
			  "Wait for the organiser's answer."
			: "Nobody of this organisation has an account here yet to confirm your offer. "
			  "Ask an organiser to add you to the organisation first.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/account#offers", *o.confirmation ? "act_offer_to_confirm" : "act_offer_sent");
}

/* ---- answering (organisers) ---- */

static const char *offer_state(const act_offer *o)
{
	if (!strcmp(o->status, "accepted"))
		return "Accepted";
	if (!strcmp(o->confirmation, "refused"))
		return "Not confirmed by the organisation";
	if (!strcmp(o->status, "declined"))
		return "Declined";
	if (!strcmp(o->confirmation, "pending"))
		return "Waiting for the organisation to confirm";
	return "Waiting for an answer";
}

json_t *act_offer_view(app_req *q, const act_offer *o);
json_t *act_offer_view(app_req *q, const act_offer *o)
{
	int64_t posted = app_param_id(q, "oid");
	bool open = !strcmp(o->status, "open"), pending = !strcmp(o->confirmation, "pending");
	char day[16];
	time_t t = (time_t)o->created_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	json_t *v = json_pack("{s:I,s:I,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:s,s:s,s:s}",
	                      "id", (json_int_t)o->id, "action_id", (json_int_t)o->action_id,
	                      "action_title", o->action_title, "user_name", o->user_name,
	                      "org_name", o->org_name, "new_org", o->org_id == 0 && open, "role",
	                      o->role, "message", o->message, "status", o->status, "open", open,
	                      "answerable", open && !pending, "pending", open && pending,
	                      "confirmed", !strcmp(o->confirmation, "confirmed"), "partner",
	                      !strcmp(o->role, "partner"), "reason", o->reason, "state_label",
	                      app_t(q, offer_state(o)), "created_label", app_date(q, day));
	if (*o->confirmer_name)
		json_object_set_new(v, "confirmer_name", json_string(o->confirmer_name));
	if (open && !pending) {
		const char *pre = arena_printf(q->a, "acc-%lld", (long long)o->id);
		json_object_set_new(v, "accept", form_view(q, &act_accept_form, pre,
		                                           json_pack("{s:s}", "role", o->role),
		                                           posted == o->id));
		pre = arena_printf(q->a, "dec-%lld", (long long)o->id);
		json_object_set_new(v, "decline", form_view(q, &act_decline_form, pre, NULL,
		                                            posted == o->id));
	}
	return v;
}

static void inbox_page(app_req *q, int status)
{
	act_offer *os;
	size_t n;
	store_rc rc = act_store_offers_open(q->app->db, q->a, &os, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *answer = json_array(), *waiting = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(strcmp(os[i].confirmation, "pending") ? answer : waiting,
		                      act_offer_view(q, &os[i]));
	json_t *m = json_pack("{s:s,s:o,s:o,s:b,s:b}", "title", app_t(q, "Open offers to adopt"),
	                      "answer", answer, "waiting", waiting, "errors", form_failed(q),
	                      "in_inbox", true);
	app_page(q, status, "act_offers", m);
}

void act_offers_inbox(app_req *q)
{
	inbox_page(q, 200);
}

static void answer_reshow(app_req *q)
{
	if (!strcmp(form_text(q, "back"), "inbox"))
		inbox_page(q, 422);
	else
		act_render(q, 422, app_param_id(q, "id"), "act_edit");
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

static void answered(app_req *q, const act_point *p, const char *flash)
{
	if (!strcmp(form_text(q, "back"), "inbox"))
		app_redirect(q, "/actions/offers", flash);
	else
		act_back(q, p->id, "/edit#offers", flash);
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
	store_rc rc = act_store_offer_accept(q->app->db, o.id, form_text(q, "role"), q->me->id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, "A member of the organisation must confirm this offer first.");
		return;
	}
	if (rc == STORE_CONFLICT) {
		app_error(q, 409, "An organisation with this name exists by now. Decline this offer "
		                  "and ask the person to offer again on behalf of that organisation.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	answered(q, &p, "act_offer_accepted");
}

void act_offer_decline(app_req *q)
{
	act_point p;
	act_offer o;
	if (!load_offer(q, &p, &o))
		return;
	store_rc rc = act_store_offer_decline(q->app->db, o.id, form_text(q, "reason"), q->me->id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, "This offer has already been answered.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	answered(q, &p, "act_offer_declined");
}

/* ---- confirming (a member of the organisation) ---- */

/* The offer named by {oid}, for a member of its organisation (not the
 * offerer) or an organiser; answers 404/403 itself. */
static bool load_confirm(app_req *q, act_offer *o, bool *may)
{
	int64_t oid = app_param_id(q, "oid");
	store_rc rc = oid ? act_store_offer_get(q->app->db, q->a, oid, o) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	*may = o->org_id && o->user_id != q->me->id && act_store_is_member(q->app->db, o->org_id,
	                                                                   q->me->id);
	if (!*may && !act_is_organiser(q)) {
		app_error(q, 403, "Only members of the organisation this offer is made for may confirm it.");
		return false;
	}
	return true;
}

void act_offer_confirm_page(app_req *q)
{
	act_offer o;
	bool may;
	if (!load_confirm(q, &o, &may))
		return;
	json_t *v = act_offer_view(q, &o);
	json_object_set_new(v, "may_confirm", json_boolean(may && !strcmp(o.status, "open") &&
	                                                   !strcmp(o.confirmation, "pending")));
	app_page(q, 200, "act_confirm", json_pack("{s:s,s:o}", "title",
	                                          app_t(q, "Confirm an offer to adopt"), "offer", v));
}

static void confirm(app_req *q, bool yes)
{
	act_offer o;
	bool may;
	if (!load_confirm(q, &o, &may))
		return;
	if (!may) {
		app_error(q, 403, "Only members of the organisation this offer is made for may confirm it.");
		return;
	}
	store_rc rc = act_store_offer_confirm(q->app->db, o.id, yes, q->me->id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, "This offer does not wait for a confirmation (any more).");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, arena_printf(q->a, "/actions/offers/%lld", (long long)o.id),
	             yes ? "act_offer_confirmed" : "act_offer_refused");
}

void act_offer_confirm(app_req *q) { confirm(q, true); }
void act_offer_refuse(app_req *q) { confirm(q, false); }
