/* act_edit.c — the organiser's forms on an action point: create (a draft)
 * and describe it, change its status, holders and links, publish,
 * archive, restore or delete it; and the edit page's model. Each form is a
 * table (form_def) named in its route row: the pipeline checks it before
 * the handler, and a failed one comes back here (reshow) with a message
 * per field. Milestones and updates are in act_work.c, offers in
 * act_adopt.c. The route table checks the role.
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "act.h"

static const char *const new_statuses[] = { "idea", "seeking", NULL };
static const char *const new_status_labels[] = { "Idea", "Seeking a holder", NULL };
static const char *const roles[] = { "lead", "partner", NULL };
static const char *const role_labels[] = { "Lead holder", "Partner", NULL };

static void point_check(app_req *q);
static void status_check(app_req *q);
static void holder_check(app_req *q);
static void link_check(app_req *q);
static void edit_reshow(app_req *q);
static void new_reshow(app_req *q);

#define POINT_FIELDS                                                                           \
	{ "title", F_TEXT, true, 200, .label = "Title" },                                      \
	{ "theme_id", F_ID, true, 20, .label = "Theme" },                                      \
	{ "problem", F_MULTILINE, false, 5000, .label = "The problem" },                       \
	{ "status_quo", F_MULTILINE, false, 5000, .label = "The status quo" },                 \
	{ "what", F_MULTILINE, false, 5000, .label = "What the action point will do" },        \
	{ "how_helps", F_MULTILINE, false, 5000, .label = "How that helps solve the problem" }, \
	{ "ambition", F_MULTILINE, false, 5000, .label = "Ambition" },                         \
	/* every checked value is checked by point_check; this is the first */                 \
	{ "ogp_values", F_TEXT, false, 200, .label = "OGP values it serves" },                 \
	{ "minimal", F_MULTILINE, false, 5000, .label = "Minimal variant" },                   \
	{ "maximal", F_MULTILINE, false, 5000, .label = "Maximal variant" },                   \
	{ "needs", F_MULTILINE, false, 5000, .label = "Still needed",                          \
	  .help = "For example sponsors, partners or knowledge." },                            \
	{ "starts_on", F_DATE, false, 10, .label = "Start date" },                             \
	{ "ends_on", F_DATE, false, 10, .label = "End date" }

static const form_field point_fields[] = { POINT_FIELDS };
static const form_field new_point_fields[] = {
	POINT_FIELDS,
	{ "status", F_CHOICE, true, 20, new_statuses, .label = "Status",
	  .choice_labels = new_status_labels },
};
static const form_field status_fields[] = {
	{ "status", F_CHOICE, true, 20, act_statuses, .label = "New status",
	  .choice_labels = act_status_labels },
	{ "reason", F_MULTILINE, false, 1000, .label = "Reason (when it stops)" },
};
static const form_field holder_fields[] = {
	{ "org_id", F_ID, true, 20, .label = "Organisation" },
	{ "role", F_CHOICE, true, 10, roles, .label = "Role", .choice_labels = role_labels },
	{ "contact_email", F_EMAIL, false, 254, .label = "E-mail address of the contact person",
	  .help = "They need an account. The contact person may keep milestones and post progress "
	          "updates.",
	  .autocomplete = "off" },
};
static const form_field link_fields[] = {
	{ "other_id", F_ID, true, 20, .label = "Works together with" },
};
const form_def act_point_new_form = FORM_DEF("new-point", new_point_fields, point_check, new_reshow);
const form_def act_point_form = FORM_DEF("point", point_fields, point_check, edit_reshow);
const form_def act_status_form = FORM_DEF("status", status_fields, status_check, edit_reshow);
const form_def act_holder_form = FORM_DEF("holder", holder_fields, holder_check, edit_reshow);
const form_def act_link_form = FORM_DEF("link", link_fields, link_check, edit_reshow);

static void edit_reshow(app_req *q)
{
	act_render(q, 422, app_param_id(q, "id"), "act_edit");
}

/* Answers a store result: back to the page with a flash message, or the error. */
static void done(app_req *q, int64_t id, store_rc rc, const char *where, const char *flash)
{
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, id, where, flash);
}

/* ---- the action point form (new and edit) ---- */

/* The checked OGP values ("ogp_values", several) as codes in their fixed
 * order; false when one posted is not an OGP value. */
static bool ogp_codes(app_req *q, const char **out)
{
	sb b;
	sb_init(&b);
	bool good = true;
	for (size_t i = 0; i < q->r->form.len; i++)
		if (!strcmp(q->r->form.items[i].key, "ogp_values")) {
			bool known = false;
			for (int k = 0; act_ogp_codes[k]; k++)
				known = known || !strcmp(q->r->form.items[i].value, act_ogp_codes[k]);
			good = good && known;
		}
	for (int k = 0; act_ogp_codes[k]; k++)
		for (size_t i = 0; i < q->r->form.len; i++)
			if (!strcmp(q->r->form.items[i].key, "ogp_values") &&
			    !strcmp(q->r->form.items[i].value, act_ogp_codes[k])) {
				if (b.len)
					sb_putc(&b, ',');
				sb_puts(&b, act_ogp_codes[k]);
				break;
			}
	*out = arena_strdup(q->a, sb_str(&b));
	sb_free(&b);
	return good && *out;
}

/* Across the fields: every OGP value known (and kept as codes for the
 * handler and the re-shown form), a theme of this plan, the end after the
 * start, and (editing) a period that still holds every milestone. */
static void point_check(app_req *q)
{
	const char *codes = "";
	if (!ogp_codes(q, &codes))
		form_fail(q, "ogp_values", "Choose from the OGP values shown.");
	json_object_set_new(q->form->values, "ogp_values", json_string(codes ? codes : ""));
	plan pl;
	act_point old;
	int64_t id = q->form->def == &act_point_form ? app_param_id(q, "id") : 0;
	store_rc rc = id ? act_store_get(q->app->db, q->a, id, &old) : STORE_OK;
	if (rc == STORE_OK)
		rc = id ? store_plan_get(q->app->db, q->a, old.plan_id, &pl)
		        : store_plan_main(q->app->db, q->a, &pl);
	if (rc != STORE_OK)
		return; /* the handler answers */
	bool found = false;
	for (size_t i = 0; i < pl.nthemes; i++)
		found = found || pl.themes[i].id == form_int(q, "theme_id");
	if (!found)
		form_fail(q, "theme_id", "Choose one of the themes of this plan.");
	const char *from = form_text(q, "starts_on"), *to = form_text(q, "ends_on");
	int a, b;
	if (text_parse_date(from, &a) && text_parse_date(to, &b) && b < a)
		form_fail(q, "ends_on", "The end date is before the start date.");
	act_milestone *ms;
	size_t n;
	if (id && act_store_milestones(q->app->db, q->a, id, 0, 0, &ms, &n) == STORE_OK)
		for (size_t i = 0; i < n; i++)
			if (!act_date_within(ms[i].due_on, from, to)) {
				form_fail(q, "ends_on", "A milestone falls outside this period. "
				                        "Change the milestone first, or choose other dates.");
				break;
			}
}

/* The action point as the handler read it from the checked form. */
static void point_from_form(app_req *q, act_point *p)
{
	p->title = form_text(q, "title");
	p->theme_id = form_int(q, "theme_id");
	p->problem = form_text(q, "problem");
	p->status_quo = form_text(q, "status_quo");
	p->what = form_text(q, "what");
	p->how_helps = form_text(q, "how_helps");
	p->ambition = form_text(q, "ambition");
	p->ogp_values = form_text(q, "ogp_values");
	p->minimal = form_text(q, "minimal");
	p->maximal = form_text(q, "maximal");
	p->needs = form_text(q, "needs");
	p->starts_on = form_text(q, "starts_on");
	p->ends_on = form_text(q, "ends_on");
}

static json_t *field(json_t *view, const char *name)
{
	return json_object_get(json_object_get(view, "f"), name);
}

/* The point form's view: the fields, the theme options and the OGP boxes. */
static json_t *point_view(app_req *q, const form_def *def, const plan *pl, json_t *values)
{
	json_t *v = form_view(q, def, "ap", values, true);
	long long theme_sel = 0;
	text_parse_int(json_string_value(json_object_get(field(v, "theme_id"), "value")), 1,
	               INT64_MAX, &theme_sel);
	json_t *themes = json_array();
	for (size_t i = 0; i < pl->nthemes; i++)
		json_array_append_new(themes, json_pack("{s:I,s:s,s:b}", "value",
		                                        (json_int_t)pl->themes[i].id, "label",
		                                        pl->themes[i].name, "selected",
		                                        pl->themes[i].id == theme_sel));
	json_object_set_new(field(v, "theme_id"), "choices", themes);
	const char *codes = json_string_value(json_object_get(field(v, "ogp_values"), "value"));
	json_object_set_new(field(v, "ogp_values"), "choices", act_ogp_json(q, codes ? codes : "", true));
	return v;
}

static void new_page(app_req *q, int status)
{
	plan pl;
	store_rc rc = store_plan_main(q->app->db, q->a, &pl);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *m = json_pack("{s:s,s:b,s:o}", "title", app_t(q, "New action point"), "is_new", 1,
	                      "point_form", point_view(q, &act_point_new_form, &pl,
	                                               json_pack("{s:s}", "status", "idea")));
	if (form_failed(q))
		json_object_set_new(m, "errors", json_true());
	app_page(q, status, "act_edit", m);
}

static void new_reshow(app_req *q)
{
	new_page(q, 422);
}

void act_new(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		new_page(q, 200);
		return;
	}
	plan pl;
	store_rc rc = store_plan_main(q->app->db, q->a, &pl);
	act_point p = { .plan_id = rc == STORE_OK ? pl.id : 0, .status = form_text(q, "status"),
		        .stop_reason = "" };
	point_from_form(q, &p);
	int64_t id = 0;
	if (rc == STORE_OK)
		rc = act_store_create(q->app->db, &p, q->me->id, &id);
	done(q, id, rc, "", "act_created");
}

/* Which fields changed, as codes for the history ("title,needs"). */
static const char *changed_fields(app_req *q, const act_point *a, const act_point *b)
{
	sb s;
	sb_init(&s);
#define CMP(f)                                                   \
	if (strcmp(a->f, b->f)) {                                \
		if (s.len)                                       \
			sb_putc(&s, ',');                        \
		sb_puts(&s, #f);                                 \
	}
	CMP(title) CMP(problem) CMP(status_quo) CMP(what) CMP(how_helps) CMP(ambition)
	CMP(ogp_values) CMP(minimal) CMP(maximal) CMP(needs) CMP(starts_on) CMP(ends_on)
#undef CMP
	if (a->theme_id != b->theme_id) {
		if (s.len)
			sb_putc(&s, ',');
		sb_puts(&s, "theme");
	}
	const char *r = arena_strdup(q->a, sb_str(&s));
	sb_free(&s);
	return r ? r : "";
}

void act_edit(app_req *q)
{
	act_point old;
	if (!act_load(q, &old))
		return;
	if (q->r->method != HTTP_POST) {
		act_render(q, 200, old.id, "act_edit");
		return;
	}
	act_point p = old;
	point_from_form(q, &p);
	const char *detail = changed_fields(q, &old, &p);
	done(q, old.id, *detail ? act_store_update(q->app->db, &p, q->me->id, detail) : STORE_OK,
	     "", "act_saved");
}

/* ---- status ---- */

static void status_check(app_req *q)
{
	act_point p;
	int64_t id = app_param_id(q, "id");
	if (!id || act_store_get(q->app->db, q->a, id, &p) != STORE_OK)
		return;
	const char *to = form_text(q, "status");
	if (!strcmp(to, p.status)) {
		form_fail(q, "status", "The action point already has this status.");
	} else if (!act_transition_ok(p.status, to)) {
		char buf[300];
		snprintf(buf, sizeof buf,
		         app_t(q, "This status change makes no sense: an action point that is “%s” "
		                  "cannot become “%s”."),
		         app_t(q, act_status_label(p.status)), app_t(q, act_status_label(to)));
		/* Already in the visitor's language: set it as it is. */
		json_object_set_new(q->form->errors, "status", json_string(buf));
	} else if (act_status_needs_lead(to) && !p.lead_org_id) {
		form_fail(q, "status", "Add a lead holder first: an action point with this status "
		                       "needs one.");
	}
	if (!strcmp(to, "stopped") && !*form_text(q, "reason"))
		form_fail(q, "reason", "Give the reason why the action point stops.");
}

void act_status(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	const char *to = form_text(q, "status");
	done(q, p.id, act_store_set_status(q->app->db, p.id, to,
	                                   !strcmp(to, "stopped") ? form_text(q, "reason") : "",
	                                   q->me->id, arena_printf(q->a, "%s>%s", p.status, to)),
	     "/edit", "act_status");
}

/* ---- holders ---- */

/* The contact person's account, by e-mail address; 0 when there is none. */
static int64_t contact_of(app_req *q)
{
	const char *email = form_text(q, "contact_email");
	char *low = *email ? arena_strdup(q->a, email) : NULL;
	user u;
	if (!low)
		return 0;
	text_ascii_lower(low);
	return store_user_by_email(q->app->db, q->a, low, &u) == STORE_OK ? u.id : 0;
}

static void holder_check(app_req *q)
{
	organisation o;
	if (store_org_get(q->app->db, q->a, form_int(q, "org_id"), &o) != STORE_OK)
		form_fail(q, "org_id", "Choose one of the options.");
	if (*form_text(q, "contact_email") && !contact_of(q))
		form_fail(q, "contact_email", "Nobody has an account with this e-mail address yet. "
		                              "Ask them to create one first.");
}

void act_holder_add(app_req *q)
{
	act_point p;
	if (act_load(q, &p))
		done(q, p.id, act_store_holder_set(q->app->db, p.id, form_int(q, "org_id"),
		                                   form_text(q, "role"), contact_of(q), q->me->id),
		     "/edit", "act_holder");
}

void act_holder_remove(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	int64_t org = app_param_id(q, "oid");
	if (org == p.lead_org_id && act_status_needs_lead(p.status)) {
		app_error(q, 409, "This is the lead holder of an action point that needs one. "
		                  "Choose another lead holder first, or change the status.");
		return;
	}
	done(q, p.id, org ? act_store_holder_remove(q->app->db, p.id, org, q->me->id) : STORE_NOTFOUND,
	     "/edit", "act_holder_removed");
}

/* ---- links ---- */

static void link_check(app_req *q)
{
	act_point p, other;
	int64_t id = app_param_id(q, "id"), oid = form_int(q, "other_id");
	if (!id || act_store_get(q->app->db, q->a, id, &p) != STORE_OK)
		return;
	if (oid == id || act_store_get(q->app->db, q->a, oid, &other) != STORE_OK ||
	    other.plan_id != p.plan_id)
		form_fail(q, "other_id", "Choose another action point of this plan.");
}

void act_link_add(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	store_rc rc = act_store_link_add(q->app->db, p.id, form_int(q, "other_id"), q->me->id);
	if (rc == STORE_CONFLICT) {
		form_fail(q, "other_id", "These action points are already linked.");
		form_reshow(q);
		return;
	}
	done(q, p.id, rc, "/edit", "act_linked");
}

void act_link_remove(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	int64_t lid = app_param_id(q, "lid");
	done(q, p.id, lid ? act_store_link_remove(q->app->db, p.id, lid, q->me->id) : STORE_NOTFOUND,
	     "/edit", "act_unlinked");
}

/* ---- publishing, archiving, deleting ---- */

void act_publish(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	store_rc rc = act_store_publish(q->app->db, p.id, q->me->id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, p.archived_at ? "An archived action point cannot be published. "
		                                  "Restore it first."
		                                : "This action point is published already.");
		return;
	}
	done(q, p.id, rc, "", "act_published");
}

void act_archive(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	store_rc rc = act_store_archive(q->app->db, p.id, true, q->me->id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, "This action point is archived already.");
		return;
	}
	done(q, p.id, rc, "", "act_archived");
}

void act_restore(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	store_rc rc = act_store_archive(q->app->db, p.id, false, q->me->id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, "This action point is not archived.");
		return;
	}
	done(q, p.id, rc, "", "act_restored");
}

void act_delete(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	store_rc rc = act_store_delete(q->app->db, p.id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, "A published action point is not deleted, so that what it promised "
		                  "stays accountable. Archive it instead.");
		return;
	}
	if (rc == STORE_CONFLICT) {
		app_error(q, 409, "This draft has holders, progress updates or offers to adopt: "
		                  "archive it instead, so that its history is kept.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/actions", "act_deleted");
}

/* ---- the organiser's edit page model ---- */

/* An offer to adopt as the edit page and the inbox show it, with its
 * accept and decline forms (the posted one keeps what was typed). */
json_t *act_offer_view(app_req *q, const act_offer *o);

int act_edit_extras(app_req *q, json_t *m, const act_point *p)
{
	plan pl;
	if (store_plan_get(q->app->db, q->a, p->plan_id, &pl) != STORE_OK)
		return -1;
	json_object_set_new(m, "point_form", point_view(q, &act_point_form, &pl, json_pack(
		"{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title", p->title,
		"theme_id", (json_int_t)p->theme_id, "problem", p->problem, "status_quo",
		p->status_quo, "what", p->what, "how_helps", p->how_helps, "ambition", p->ambition,
		"ogp_values", p->ogp_values, "minimal", p->minimal, "maximal", p->maximal, "needs",
		p->needs, "starts_on", p->starts_on, "ends_on", p->ends_on)));

	/* Status: the current one (the default) and those it may go to. */
	json_t *sf = form_view(q, &act_status_form, "st", json_pack("{s:s}", "status", p->status),
	                       true);
	const char *want = json_string_value(json_object_get(field(sf, "status"), "value"));
	json_t *opts = json_array();
	for (int i = 0; act_statuses[i]; i++) {
		bool now = !strcmp(p->status, act_statuses[i]);
		if (now || act_transition_ok(p->status, act_statuses[i]))
			json_array_append_new(opts, json_pack("{s:s,s:s,s:b,s:b}", "value", act_statuses[i],
			                                      "label", app_t(q, act_status_labels[i]),
			                                      "selected", want && !strcmp(want, act_statuses[i]),
			                                      "current", now));
	}
	json_object_set_new(field(sf, "status"), "choices", opts);
	json_object_set_new(m, "status_form", sf);

	/* Holders: the add form's organisation options. */
	organisation *orgs;
	size_t n;
	if (store_org_list(q->app->db, q->a, &orgs, &n) != STORE_OK)
		return -1;
	json_t *hf = form_view(q, &act_holder_form, "h", json_pack("{s:s}", "role", "lead"), true);
	long long sel = 0;
	text_parse_int(json_string_value(json_object_get(field(hf, "org_id"), "value")), 1,
	               INT64_MAX, &sel);
	json_t *oo = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(oo, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)orgs[i].id,
		                                    "label", orgs[i].name, "selected", orgs[i].id == sel));
	json_object_set_new(field(hf, "org_id"), "choices", oo);
	json_object_set_new(m, "holder_form", hf);

	/* Links: the other action points of the plan. */
	act_point *ps;
	size_t np;
	if (act_store_list(q->app->db, q->a, p->plan_id, ACT_PUBLISHED | ACT_DRAFTS, &ps, &np) !=
	    STORE_OK)
		return -1;
	json_t *lf = form_view(q, &act_link_form, "l", NULL, true);
	long long lsel = 0;
	text_parse_int(json_string_value(json_object_get(field(lf, "other_id"), "value")), 1,
	               INT64_MAX, &lsel);
	json_t *lo = json_array();
	for (size_t i = 0; i < np; i++)
		if (ps[i].id != p->id)
			json_array_append_new(lo, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)ps[i].id,
			                                    "label", ps[i].title, "selected",
			                                    ps[i].id == lsel));
	json_object_set_new(field(lf, "other_id"), "choices", lo);
	json_object_set_new(m, "link_form", lf);

	/* Offers to adopt, newest first, with accept and decline forms. */
	act_offer *os;
	size_t no;
	if (act_store_offers(q->app->db, q->a, p->id, 0, &os, &no) != STORE_OK)
		return -1;
	json_t *oj = json_array();
	for (size_t i = 0; i < no; i++)
		json_array_append_new(oj, act_offer_view(q, &os[i]));
	json_object_set_new(m, "offers", oj);
	return 0;
}
