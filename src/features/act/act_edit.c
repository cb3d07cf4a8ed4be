/* act_edit.c — the action plan's forms: organisers create and edit
 * action points, change their status, holders and links; holders (the
 * contact person of a holding organisation) and organisers keep milestones
 * and post progress updates. Adopting and answering offers is in
 * act_adopt.c. Rights on an object are checked here (the route table
 * checks the role).
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "act.h"

#define NF(a) (sizeof a / sizeof *a)

static const char *const statuses[] = { "idea", "seeking", "adopted", "in_progress",
	                                "completed", "stopped", NULL };
static const char *const new_statuses[] = { "idea", "seeking", NULL };
static const char *const roles[] = { "lead", "partner", NULL };

static const form_field point_fields[] = {
	{ "title", F_TEXT, true, 200, NULL },
	{ "theme_id", F_ID, true, 20, NULL },
	{ "problem", F_MULTILINE, false, 5000, NULL },
	{ "status_quo", F_MULTILINE, false, 5000, NULL },
	{ "what", F_MULTILINE, false, 5000, NULL },
	{ "how_helps", F_MULTILINE, false, 5000, NULL },
	{ "ambition", F_MULTILINE, false, 5000, NULL },
	{ "minimal", F_MULTILINE, false, 5000, NULL },
	{ "maximal", F_MULTILINE, false, 5000, NULL },
	{ "needs", F_MULTILINE, false, 5000, NULL },
	{ "starts_on", F_DATE, false, 10, NULL },
	{ "ends_on", F_DATE, false, 10, NULL },
};
static const form_field new_status_field[] = {
	{ "status", F_CHOICE, true, 20, new_statuses },
};
static const form_field status_fields[] = {
	{ "status", F_CHOICE, true, 20, statuses },
	{ "reason", F_MULTILINE, false, 1000, NULL },
};
static const form_field holder_fields[] = {
	{ "org_id", F_ID, true, 20, NULL },
	{ "role", F_CHOICE, true, 10, roles },
	{ "contact_email", F_EMAIL, false, 254, NULL },
};
static const form_field link_fields[] = {
	{ "other_id", F_ID, true, 20, NULL },
};
static const form_field milestone_fields[] = {
	{ "title", F_TEXT, true, 200, NULL },
	{ "output", F_MULTILINE, false, 2000, NULL },
	{ "due_on", F_DATE, true, 10, NULL },
	{ "done_on", F_DATE, false, 10, NULL },
};
static const form_field update_fields[] = {
	{ "posted_on", F_DATE, true, 10, NULL },
	{ "body", F_MULTILINE, true, 10000, NULL },
	{ "evidence_url", F_TEXT, false, 500, NULL },
	{ "percent", F_TEXT, true, 3, NULL },
};

static void drop(json_t *v, json_t *e)
{
	json_decref(v);
	json_decref(e);
}

/* Loads the action point named by {id}; answers 404 itself. */
bool act_load(app_req *q, act_point *p)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? act_store_get(q->app->db, q->a, id, p) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

/* Loads the action point and checks that the signed-in person holds it
 * (or organises); answers 404/403 itself. */
static bool load_work(app_req *q, act_point *p)
{
	if (!act_load(q, p))
		return false;
	if (!act_can_work(q, p->id)) {
		app_error(q, 403, "Only the holders of this action point and organisers may do this.");
		return false;
	}
	return true;
}

void act_back(app_req *q, int64_t id, const char *where)
{
	app_redirect(q, arena_printf(q->a, "/actions/%lld%s", (long long)id, where), "saved");
}

/* ---- the action point form (new and edit) ---- */

/* Collects the checked OGP values ("ogp_values", several) into codes;
 * false when one is not an OGP value. */
static bool ogp_codes(app_req *q, const char **out)
{
	static const char *const ok[] = { "information", "participation", "accountability",
		                          "technology", NULL };
	sb b;
	sb_init(&b);
	bool good = true;
	for (int k = 0; ok[k]; k++) {
		bool on = false;
		for (size_t i = 0; i < q->r->form.len; i++)
			if (!strcmp(q->r->form.items[i].key, "ogp_values") &&
			    !strcmp(q->r->form.items[i].value, ok[k]))
				on = true;
		if (on) {
			if (b.len)
				sb_putc(&b, ',');
			sb_puts(&b, ok[k]);
		}
	}
	for (size_t i = 0; i < q->r->form.len; i++)
		if (!strcmp(q->r->form.items[i].key, "ogp_values")) {
			bool known = false;
			for (int k = 0; ok[k]; k++)
				known = known || !strcmp(q->r->form.items[i].value, ok[k]);
			good = good && known;
		}
	*out = arena_strdup(q->a, sb_str(&b));
	sb_free(&b);
	return good;
}

static json_t *theme_options(const plan *pl, long long selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < pl->nthemes; i++)
		json_array_append_new(a, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)pl->themes[i].id,
		                                   "label", pl->themes[i].name, "selected",
		                                   pl->themes[i].id == selected));
	return a;
}

long long act_form_id(json_t *v, const char *name)
{
	long long id = 0;
	json_t *x = json_object_get(v, name);
	if (json_is_integer(x))
		return json_integer_value(x);
	if (!text_parse_int(form_str(v, name), 1, INT64_MAX, &id))
		return 0;
	return id;
}

/* The point form's part of a model: values, messages, options. */
static json_t *point_form(app_req *q, const plan *pl, json_t *v, json_t *e, const char *codes)
{
	json_t *f = json_pack("{s:o,s:o,s:o,s:o}", "form", v, "errors", e, "theme_options",
	                      theme_options(pl, act_form_id(v, "theme_id")), "ogp_options",
	                      act_ogp_json(q, codes, true));
	return f;
}

/* Checks a filled-in point form; fills p. Adds messages to e. */
static void point_check(app_req *q, const plan *pl, json_t *v, json_t *e, act_point *p,
                        int64_t existing_id)
{
	p->title = form_str(v, "title");
	p->theme_id = act_form_id(v, "theme_id");
	p->problem = form_str(v, "problem");
	p->status_quo = form_str(v, "status_quo");
	p->what = form_str(v, "what");
	p->how_helps = form_str(v, "how_helps");
	p->ambition = form_str(v, "ambition");
	p->minimal = form_str(v, "minimal");
	p->maximal = form_str(v, "maximal");
	p->needs = form_str(v, "needs");
	p->starts_on = form_str(v, "starts_on");
	p->ends_on = form_str(v, "ends_on");
	p->plan_id = pl->id;
	if (!ogp_codes(q, &p->ogp_values))
		form_error(q, e, "ogp_values", "Choose from the OGP values shown.");
	if (!json_object_get(e, "theme_id")) {
		bool found = false;
		for (size_t i = 0; i < pl->nthemes; i++)
			found = found || pl->themes[i].id == p->theme_id;
		if (!found)
			form_error(q, e, "theme_id", "Choose one of the themes of this plan.");
	}
	int a, b;
	if (!json_object_get(e, "starts_on") && !json_object_get(e, "ends_on") &&
	    text_parse_date(p->starts_on, &a) && text_parse_date(p->ends_on, &b) && b < a)
		form_error(q, e, "ends_on", "The end date is before the start date.");
	if (existing_id && !json_object_get(e, "starts_on") && !json_object_get(e, "ends_on")) {
		/* The new period must still hold every milestone. */
		act_milestone *ms;
		size_t n;
		if (act_store_milestones(q->app->db, q->a, existing_id, 0, &ms, &n) == STORE_OK)
			for (size_t i = 0; i < n; i++)
				if (!act_date_within(ms[i].due_on, p->starts_on, p->ends_on)) {
					form_error(q, e, "ends_on", "A milestone falls outside this period. "
					                            "Change the milestone first, or choose other dates.");
					break;
				}
	}
}

static void new_page(app_req *q, int status, const plan *pl, json_t *v, json_t *e,
                     const char *codes)
{
	json_t *m = json_pack("{s:s,s:b,s:o}", "title", app_t(q, "New action point"), "is_new", 1,
	                      "point_form", point_form(q, pl, v, e, codes));
	json_object_set_new(json_object_get(m, "point_form"), "status_options",
	                    json_pack("[{s:s,s:s,s:b},{s:s,s:s,s:b}]", "value", "idea", "label",
	                              app_t(q, "Idea"), "selected",
	                              strcmp(form_str(v, "status"), "seeking") != 0, "value",
	                              "seeking", "label", app_t(q, "Seeking a holder"), "selected",
	                              !strcmp(form_str(v, "status"), "seeking")));
	if (json_object_size(e))
		json_object_set_new(m, "errors", json_true());
	app_page(q, status, "act_edit", m);
}

void act_new(app_req *q)
{
	plan pl;
	store_rc rc = store_plan_main(q->app->db, q->a, &pl);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (q->r->method != HTTP_POST) {
		new_page(q, 200, &pl, json_object(), json_object(), "");
		return;
	}
	json_t *v, *e, *sv, *se;
	form_check(q, point_fields, NF(point_fields), &v, &e);
	form_check(q, new_status_field, 1, &sv, &se);
	json_object_update(v, sv);
	json_object_update(e, se);
	drop(sv, se);
	act_point p = { 0 };
	point_check(q, &pl, v, e, &p, 0);
	p.status = form_str(v, "status");
	p.stop_reason = "";
	if (json_object_size(e)) {
		new_page(q, 422, &pl, v, e, p.ogp_values);
		return;
	}
	int64_t id = 0;
	rc = act_store_create(q->app->db, &p, q->me->id, &id);
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, id, "");
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
	return r;
}

void act_edit(app_req *q)
{
	act_point old;
	if (!act_load(q, &old))
		return;
	if (q->r->method != HTTP_POST) {
		act_render(q, 200, old.id, "act_edit", NULL);
		return;
	}
	plan pl;
	store_rc rc = store_plan_get(q->app->db, q->a, old.plan_id, &pl);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *v, *e;
	form_check(q, point_fields, NF(point_fields), &v, &e);
	act_point p = old;
	point_check(q, &pl, v, e, &p, old.id);
	if (json_object_size(e)) {
		/* Keep the checked OGP values when re-showing. */
		json_object_set_new(v, "ogp_values", json_string(p.ogp_values));
		act_focus f = { "point", old.id, v, e };
		act_render(q, 422, old.id, "act_edit", &f);
		drop(v, e);
		return;
	}
	const char *detail = changed_fields(q, &old, &p);
	rc = *detail ? act_store_update(q->app->db, &p, q->me->id, detail) : STORE_OK;
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, old.id, "");
}

/* ---- status ---- */

void act_status(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	json_t *v, *e;
	form_check(q, status_fields, NF(status_fields), &v, &e);
	const char *to = form_str(v, "status");
	if (!json_object_get(e, "status")) {
		if (!strcmp(to, p.status))
			form_error(q, e, "status", "The action point already has this status.");
		else if (!act_transition_ok(p.status, to)) {
			char buf[300];
			snprintf(buf, sizeof buf,
			         app_t(q, "This status change makes no sense: an action point that is "
			                  "“%s” cannot become “%s”."),
			         app_t(q, act_status_label(p.status)), app_t(q, act_status_label(to)));
			json_object_set_new(e, "status", json_string(buf));
		} else if (act_status_needs_lead(to) && !p.lead_org_id)
			form_error(q, e, "status", "Add a lead holder first: an action point with this "
			                           "status needs one.");
	}
	if (!json_object_get(e, "reason") && !strcmp(to, "stopped") && !*form_str(v, "reason"))
		form_error(q, e, "reason", "Give the reason why the action point stops.");
	if (json_object_size(e)) {
		act_focus f = { "status", p.id, v, e };
		act_render(q, 422, p.id, "act_edit", &f);
		drop(v, e);
		return;
	}
	store_rc rc = act_store_set_status(q->app->db, p.id, to,
	                                   !strcmp(to, "stopped") ? form_str(v, "reason") : "",
	                                   q->me->id, arena_printf(q->a, "%s>%s", p.status, to));
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "/edit");
}

/* ---- holders ---- */

void act_holder_add(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	json_t *v, *e;
	form_check(q, holder_fields, NF(holder_fields), &v, &e);
	organisation o;
	int64_t org = act_form_id(v, "org_id"), contact = 0;
	if (!json_object_get(e, "org_id") && store_org_get(q->app->db, q->a, org, &o) != STORE_OK)
		form_error(q, e, "org_id", "Choose one of the options.");
	const char *email = form_str(v, "contact_email");
	if (!json_object_get(e, "contact_email") && *email) {
		char *low = arena_strdup(q->a, email);
		text_ascii_lower(low);
		user u;
		if (store_user_by_email(q->app->db, q->a, low, &u) == STORE_OK)
			contact = u.id;
		else
			form_error(q, e, "contact_email", "Nobody has an account with this e-mail address yet. "
			                                  "Ask them to create one first.");
	}
	if (json_object_size(e)) {
		act_focus f = { "holder", p.id, v, e };
		act_render(q, 422, p.id, "act_edit", &f);
		drop(v, e);
		return;
	}
	store_rc rc = act_store_holder_set(q->app->db, p.id, org, form_str(v, "role"), contact,
	                                   q->me->id);
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "/edit");
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
	store_rc rc = org ? act_store_holder_remove(q->app->db, p.id, org, q->me->id) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "/edit");
}

/* ---- links ---- */

void act_link_add(app_req *q)
{
	act_point p, other;
	if (!act_load(q, &p))
		return;
	json_t *v, *e;
	form_check(q, link_fields, NF(link_fields), &v, &e);
	int64_t oid = act_form_id(v, "other_id");
	store_rc rc = STORE_OK;
	if (!json_object_get(e, "other_id")) {
		if (oid == p.id || act_store_get(q->app->db, q->a, oid, &other) != STORE_OK ||
		    other.plan_id != p.plan_id)
			form_error(q, e, "other_id", "Choose another action point of this plan.");
		else {
			rc = act_store_link_add(q->app->db, p.id, oid, q->me->id);
			if (rc == STORE_CONFLICT)
				form_error(q, e, "other_id", "These action points are already linked.");
		}
	}
	if (json_object_size(e)) {
		act_focus f = { "link", p.id, v, e };
		act_render(q, 422, p.id, "act_edit", &f);
		drop(v, e);
		return;
	}
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "/edit");
}

void act_link_remove(app_req *q)
{
	act_point p;
	if (!act_load(q, &p))
		return;
	int64_t lid = app_param_id(q, "lid");
	store_rc rc = lid ? act_store_link_remove(q->app->db, p.id, lid, q->me->id) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "/edit");
}

/* ---- milestones (holders and organisers) ---- */

static void milestone_check(app_req *q, const act_point *p, json_t *v, json_t *e,
                            act_milestone *m)
{
	m->action_id = p->id;
	m->title = form_str(v, "title");
	m->output = form_str(v, "output");
	m->due_on = form_str(v, "due_on");
	m->done_on = form_str(v, "done_on");
	if (!json_object_get(e, "due_on") && !act_date_within(m->due_on, p->starts_on, p->ends_on))
		form_error(q, e, "due_on", "Choose a due date within the period of the action point.");
	int d;
	if (!json_object_get(e, "done_on") && text_parse_date(m->done_on, &d) && d > act_today())
		form_error(q, e, "done_on", "The date done cannot be in the future.");
}

void act_milestone_add(app_req *q)
{
	act_point p;
	if (!load_work(q, &p))
		return;
	json_t *v, *e;
	form_check(q, milestone_fields, NF(milestone_fields), &v, &e);
	act_milestone m = { 0 };
	milestone_check(q, &p, v, e, &m);
	if (json_object_size(e)) {
		act_focus f = { "new_milestone", 0, v, e };
		act_render(q, 422, p.id, "act_show", &f);
		drop(v, e);
		return;
	}
	store_rc rc = act_store_milestone_add(q->app->db, &m, q->me->id, NULL);
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "#milestones");
}

void act_milestone_update(app_req *q)
{
	act_point p;
	if (!load_work(q, &p))
		return;
	int64_t mid = app_param_id(q, "mid");
	act_milestone *ms;
	size_t n;
	bool found = false;
	if (act_store_milestones(q->app->db, q->a, p.id, 0, &ms, &n) == STORE_OK)
		for (size_t i = 0; i < n; i++)
			found = found || ms[i].id == mid;
	if (!found) {
		app_store_error(q, STORE_NOTFOUND);
		return;
	}
	json_t *v, *e;
	form_check(q, milestone_fields, NF(milestone_fields), &v, &e);
	act_milestone m = { 0 };
	milestone_check(q, &p, v, e, &m);
	m.id = mid;
	if (json_object_size(e)) {
		act_focus f = { "milestone", mid, v, e };
		act_render(q, 422, p.id, "act_show", &f);
		drop(v, e);
		return;
	}
	store_rc rc = act_store_milestone_update(q->app->db, &m, q->me->id);
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "#milestones");
}

void act_milestone_delete(app_req *q)
{
	act_point p;
	if (!load_work(q, &p))
		return;
	int64_t mid = app_param_id(q, "mid");
	store_rc rc = mid ? act_store_milestone_delete(q->app->db, p.id, mid, q->me->id)
	                  : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "#milestones");
}

/* ---- progress updates (holders and organisers) ---- */

void act_update_add(app_req *q)
{
	act_point p;
	if (!load_work(q, &p))
		return;
	json_t *v, *e;
	form_check(q, update_fields, NF(update_fields), &v, &e);
	act_update u = { .action_id = p.id };
	u.posted_on = form_str(v, "posted_on");
	u.body = form_str(v, "body");
	u.evidence_url = form_str(v, "evidence_url");
	long long pct = 0;
	int d;
	if (!json_object_get(e, "posted_on") && text_parse_date(u.posted_on, &d) && d > act_today())
		form_error(q, e, "posted_on", "The date cannot be in the future.");
	if (!json_object_get(e, "evidence_url") && *u.evidence_url && !act_url_ok(u.evidence_url))
		form_error(q, e, "evidence_url", "Fill in a web address that starts with http:// or https://.");
	if (!json_object_get(e, "percent") && !text_parse_int(form_str(v, "percent"), 0, 100, &pct))
		form_error(q, e, "percent", "Fill in a whole number from 0 to 100.");
	u.percent = (int)pct;
	if (json_object_size(e)) {
		act_focus f = { "update", 0, v, e };
		act_render(q, 422, p.id, "act_show", &f);
		drop(v, e);
		return;
	}
	store_rc rc = act_store_update_add(q->app->db, &u, q->me->id, NULL);
	drop(v, e);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	act_back(q, p.id, "#updates");
}

/* ---- the organiser's edit page model ---- */

int act_edit_extras(app_req *q, json_t *m, const act_point *p, const act_focus *f)
{
	plan pl;
	if (store_plan_get(q->app->db, q->a, p->plan_id, &pl) != STORE_OK)
		return -1;
	bool is = f && f->form;
	const char *kind = is ? f->kind : "";
	/* The point's own form. */
	json_t *v, *e;
	if (!strcmp(kind, "point")) {
		v = json_incref(f->form);
		e = json_incref(f->errors);
	} else {
		v = json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title", p->title,
		              "theme_id", (json_int_t)p->theme_id, "problem", p->problem, "status_quo",
		              p->status_quo, "what", p->what, "how_helps", p->how_helps, "ambition",
		              p->ambition, "minimal", p->minimal, "maximal", p->maximal, "needs",
		              p->needs, "starts_on", p->starts_on, "ends_on", p->ends_on);
		e = json_object();
	}
	const char *codes = !strcmp(kind, "point") ? form_str(f->form, "ogp_values") : p->ogp_values;
	json_object_set_new(m, "point_form", point_form(q, &pl, v, e, codes));

	/* Status: the statuses this one may go to. */
	json_t *opts = json_array();
	const char *want = !strcmp(kind, "status") ? form_str(f->form, "status") : "";
	for (int i = 0; statuses[i]; i++)
		if (act_transition_ok(p->status, statuses[i]))
			json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", statuses[i],
			                                      "label", app_t(q, act_status_label(statuses[i])),
			                                      "selected", !strcmp(want, statuses[i])));
	bool sfk = !strcmp(kind, "status");
	json_object_set_new(m, "status_form", json_pack(
		"{s:o,s:o,s:o}", "options", opts, "form", sfk ? json_incref(f->form) : json_object(),
		"errors", sfk ? json_incref(f->errors) : json_object()));

	/* Holders: the add form's organisation options. */
	organisation *orgs;
	size_t n;
	if (store_org_list(q->app->db, q->a, &orgs, &n) != STORE_OK)
		return -1;
	bool hf = !strcmp(kind, "holder");
	long long sel = hf ? act_form_id(f->form, "org_id") : 0;
	json_t *oo = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(oo, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)orgs[i].id,
		                                    "label", orgs[i].name, "selected", orgs[i].id == sel));
	json_object_set_new(m, "holder_form", json_pack(
		"{s:o,s:o,s:o,s:b}", "org_options", oo, "form",
		hf ? json_incref(f->form) : json_object(), "errors",
		hf ? json_incref(f->errors) : json_object(), "partner",
		hf && !strcmp(form_str(f->form, "role"), "partner")));

	/* Links: the other action points of the plan. */
	act_point *ps;
	size_t np;
	if (act_store_list(q->app->db, q->a, p->plan_id, &ps, &np) != STORE_OK)
		return -1;
	bool lf = !strcmp(kind, "link");
	long long lsel = lf ? act_form_id(f->form, "other_id") : 0;
	json_t *lo = json_array();
	for (size_t i = 0; i < np; i++)
		if (ps[i].id != p->id)
			json_array_append_new(lo, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)ps[i].id,
			                                    "label", ps[i].title, "selected",
			                                    ps[i].id == lsel));
	json_object_set_new(m, "link_form", json_pack(
		"{s:o,s:o}", "options", lo, "errors", lf ? json_incref(f->errors) : json_object()));

	/* Offers to adopt, newest first, with accept and decline forms. */
	act_offer *os;
	size_t no;
	if (act_store_offers(q->app->db, q->a, p->id, 0, &os, &no) != STORE_OK)
		return -1;
	json_t *oj = json_array();
	for (size_t i = 0; i < no; i++) {
		bool dec = (!strcmp(kind, "decline") || !strcmp(kind, "accept")) && f->id == os[i].id;
		json_array_append_new(oj, json_pack(
			"{s:I,s:s,s:s,s:b,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:s,s:o,s:o}", "id", (json_int_t)os[i].id,
			"user_name", os[i].user_name, "org_name", os[i].org_name, "new_org",
			os[i].org_id == 0, "role", os[i].role, "message", os[i].message, "status",
			os[i].status, "open", !strcmp(os[i].status, "open"), "accepted",
			!strcmp(os[i].status, "accepted"), "declined", !strcmp(os[i].status, "declined"), "partner",
			!strcmp(os[i].role, "partner"), "reason", os[i].reason, "form",
			dec ? json_incref(f->form) : json_object(), "errors",
			dec ? json_incref(f->errors) : json_object()));
	}
	json_object_set_new(m, "offers", oj);
	if (is)
		json_object_set_new(m, "errors", json_true());
	return 0;
}
