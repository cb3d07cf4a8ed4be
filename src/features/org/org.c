/* organisations.c — organisations (name and sector) and who belongs to
 * them. Everyone sees the list; only organisers see members' names and
 * manage memberships, since a membership later grants rights (an action
 * holder acts for an organisation).
 */
#include <string.h>

#include "../../util/text.h"
#include "org.h"

static const char *const sectors[] = { "government", "civil_society", "business", "academia",
	                               "other", NULL };
static const char *const sector_labels[] = { "Government", "Civil society", "Business",
	                                     "Academia", "Other" };
static void new_reshow(app_req *q);
static void show_reshow(app_req *q);

static const form_field org_fields[] = {
	{ "name", F_TEXT, true, 150, .label = "Name", .autocomplete = "organization" },
	{ "sector", F_CHOICE, true, 20, sectors, .label = "Sector", .choice_labels = sector_labels },
};
static const form_field member_fields[] = {
	{ "email", F_EMAIL, true, 254, .label = "E-mail address of their account" },
};
static const form_def new_form = FORM_DEF("new", org_fields, NULL, new_reshow);
static const form_def org_form = FORM_DEF("org", org_fields, NULL, show_reshow);
static const form_def member_form = FORM_DEF("member", member_fields, NULL, show_reshow);

static const char *sector_label(const char *s)
{
	for (int i = 0; sectors[i]; i++)
		if (!strcmp(s, sectors[i]))
			return sector_labels[i];
	return s;
}

/* An organisation as data (the API's "Organisation"). */
static json_t *org_data(const organisation *o)
{
	return json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)o->id, "name", o->name, "sector",
	                 o->sector, "members", (json_int_t)o->members);
}

/* The same with what a page shows: the sector's label. */
static json_t *org_json(const organisation *o)
{
	json_t *d = org_data(o);
	json_object_set_new(d, "sector_label", json_string(sector_label(o->sector)));
	return d;
}

static void org_list(app_req *q)
{
	organisation *orgs;
	size_t n;
	store_rc rc = store_org_list(q->app->db, q->a, &orgs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *a = json_array();
	int counts[5] = { 0 };
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(a, q->want_json ? org_data(&orgs[i]) : org_json(&orgs[i]));
		for (int k = 0; sectors[k]; k++)
			counts[k] += !strcmp(orgs[i].sector, sectors[k]);
	}
	if (q->want_json) {
		app_json(q, 200, json_pack("{s:o}", "organisations", a));
		return;
	}
	json_t *by = json_array();
	for (int k = 0; sectors[k]; k++)
		json_array_append_new(by, json_pack("{s:s,s:s,s:i}", "sector", sectors[k], "label",
		                                    sector_labels[k], "count", counts[k]));
	json_t *m = json_pack("{s:s,s:o,s:o,s:I}", "title", app_t(q, "Organisations"),
	                      "organisations", a, "by_sector", by, "total", (json_int_t)n);
	if (q->me && q->me->role >= ROLE_ORGANISER)
		json_object_set_new(m, "can_edit", json_true());
	app_page(q, 200, "org_list", m);
}

static void new_page(app_req *q, int status)
{
	json_t *m = json_pack("{s:s,s:o}", "title", app_t(q, "New organisation"), "form",
	                      form_view(q, &new_form, "", NULL, true));
	app_page(q, status, "org_new", m);
}

static void new_reshow(app_req *q)
{
	new_page(q, 422);
}

static void org_new(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		new_page(q, 200);
		return;
	}
	int64_t id = 0;
	store_rc rc = store_org_create(q->app->db, form_text(q, "name"), form_text(q, "sector"), &id);
	if (rc == STORE_CONFLICT) {
		form_fail(q, "name", "There is already an organisation with this name.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, arena_printf(q->a, "/organisations/%lld", (long long)id), "org_created");
}

static void show_page(app_req *q, int status, const organisation *o)
{
	if (q->want_json && status == 200) {
		app_json(q, 200, json_pack("{s:o}", "organisation", org_data(o)));
		return;
	}
	json_t *m = json_pack("{s:s,s:o}", "title", o->name, "organisation", org_json(o));
	if (q->me && q->me->role >= ROLE_ORGANISER) {
		user *users;
		size_t n;
		store_rc rc = store_org_members(q->app->db, q->a, o->id, &users, &n);
		if (rc != STORE_OK) {
			json_decref(m);
			app_store_error(q, rc);
			return;
		}
		json_t *mem = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(mem, json_pack("{s:I,s:s}", "id", (json_int_t)users[i].id,
			                                     "name", users[i].name));
		json_t *stored = json_pack("{s:s,s:s}", "name", o->name, "sector", o->sector);
		json_object_set_new(m, "manage", json_pack(
			"{s:o,s:o,s:o}", "member_list", mem, "form", form_view(q, &org_form, "org", stored, true),
			"member_form", form_view(q, &member_form, "member", NULL, true)));
	}
	app_page(q, status, "org_show", m);
}

static bool load(app_req *q, organisation *o)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? store_org_get(q->app->db, q->a, id, o) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

static void org_show(app_req *q)
{
	organisation o;
	if (load(q, &o))
		show_page(q, 200, &o);
}

static void show_reshow(app_req *q)
{
	organisation o;
	if (load(q, &o))
		show_page(q, 422, &o);
}

static void back(app_req *q, const organisation *o, const char *flash)
{
	app_redirect(q, arena_printf(q->a, "/organisations/%lld", (long long)o->id), flash);
}

static void org_update(app_req *q)
{
	organisation o;
	if (!load(q, &o))
		return;
	store_rc rc = store_org_update(q->app->db, o.id, form_text(q, "name"), form_text(q, "sector"));
	if (rc == STORE_CONFLICT) {
		form_fail(q, "name", "There is already an organisation with this name.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, &o, "org_saved");
}

static void org_member_add(app_req *q)
{
	organisation o;
	if (!load(q, &o))
		return;
	char *email = arena_strdup(q->a, form_text(q, "email"));
	if (!email) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	text_ascii_lower(email);
	user u;
	store_rc rc = store_user_by_email(q->app->db, q->a, email, &u);
	if (rc == STORE_OK)
		rc = store_membership_add(q->app->db, u.id, o.id);
	if (rc == STORE_NOTFOUND || rc == STORE_CONFLICT) {
		form_fail(q, "email", rc == STORE_NOTFOUND
			? "Nobody has an account with this e-mail address yet. Ask them to create one first."
			: "This person is already a member.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, &o, "org_member_added");
}

static void org_member_remove(app_req *q)
{
	organisation o;
	if (!load(q, &o))
		return;
	store_rc rc = store_membership_remove(q->app->db, app_param_id(q, "uid"), o.id);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, &o, "org_member_removed");
}

/* ---- the feature ---- */

static const app_route routes[] = {
	{ HTTP_GET, "/organisations", org_list, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/organisations", org_list, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET | HTTP_POST, "/organisations/new", org_new, ROLE_ORGANISER, false, R_CSRF, &new_form },
	{ HTTP_GET, "/organisations/{id}", org_show, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/organisations/{id}", org_show, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_POST, "/organisations/{id}", org_update, ROLE_ORGANISER, false, R_CSRF, &org_form },
	{ HTTP_POST, "/organisations/{id}/members", org_member_add, ROLE_ORGANISER, false, R_CSRF, &member_form },
	{ HTTP_POST, "/organisations/{id}/members/{uid}/delete", org_member_remove, ROLE_ORGANISER, false, R_CSRF },
};

/* What happened, said on the organisation's page. */
static const app_flash flashes[] = {
	{ "org_created", "The organisation is added. Add its members here." },
	{ "org_saved", "The organisation's name and sector are saved." },
	{ "org_member_added", "The member is added: they may now act for the organisation." },
	{ "org_member_removed", "The member is removed from the organisation." },
};

const app_feature org_feature = {
	.name = "org",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
};
