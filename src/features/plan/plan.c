/* plan.c — the plan: its page (the home page shows the newest plan) with
 * period, status, phases as steps and themes; and the organiser's editing
 * of all of it on one page. Every page here is also JSON (same model).
 */
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "plan.h"

static const char *const statuses[] = { "draft", "cocreation", "implementation", "evaluation",
	                                "closed", NULL };
static const char *const status_labels[] = { "Draft", "Co-creation", "Implementation",
	                                     "Evaluation", "Closed" };

static const char *status_label(const char *s)
{
	for (int i = 0; statuses[i]; i++)
		if (strcmp(statuses[i], s) == 0)
			return status_labels[i];
	return s;
}

static int today_ymd(void);

/* The phase to mark as current: the organiser's choice, else the one whose
 * dates hold today. */
static int64_t current_phase(const plan *p)
{
	if (p->current_phase)
		return p->current_phase;
	int today = today_ymd();
	for (size_t i = 0; i < p->nphases; i++) {
		int a, b;
		if (text_parse_date(p->phases[i].starts_on, &a) && text_parse_date(p->phases[i].ends_on, &b) &&
		    a <= today && today <= b)
			return p->phases[i].id;
	}
	return 0;
}

/* Today where the plan is made: a phase starts at midnight in Amsterdam. */
static int today_ymd(void)
{
	return web_amsterdam_today();
}

/* "done", "current" or "upcoming": before or after the current phase when
 * there is one, else by the phase's own dates. */
static const char *phase_state(const phase *ph, int64_t cur, bool before_current, int today)
{
	if (cur)
		return ph->id == cur ? "current" : before_current ? "done" : "upcoming";
	int end;
	if (text_parse_date(ph->ends_on, &end) && end < today)
		return "done";
	return "upcoming";
}

/* The plan as data (the API's "Plan"): codes and dates, no labels. */
static json_t *plan_data(const plan *p)
{
	int64_t cur = current_phase(p);
	int today = today_ymd();
	json_t *phases = json_array();
	bool before_current = cur != 0;
	for (size_t i = 0; i < p->nphases; i++) {
		const phase *ph = &p->phases[i];
		const char *state = phase_state(ph, cur, before_current, today);
		if (ph->id == cur)
			before_current = false;
		json_array_append_new(phases, json_pack("{s:I,s:i,s:s,s:s,s:s,s:s}", "id",
		                                        (json_int_t)ph->id, "position", (int)i + 1,
		                                        "name", ph->name, "starts_on", ph->starts_on,
		                                        "ends_on", ph->ends_on, "state", state));
	}
	json_t *themes = json_array();
	for (size_t i = 0; i < p->nthemes; i++)
		json_array_append_new(themes, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)p->themes[i].id,
		                                        "name", p->themes[i].name, "description",
		                                        p->themes[i].description));
	json_t *d = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)p->id,
	                      "title", p->title, "description", p->description,
	                      "period_start", p->period_start, "period_end", p->period_end,
	                      "status", p->status, "phases", phases, "themes", themes);
	/* the organiser's choice; null: the phase whose dates hold today */
	json_object_set_new(d, "current_phase_id", p->current_phase
		? json_integer((json_int_t)p->current_phase) : json_null());
	return d;
}

/* The same data with what a page shows beside it: dates written out,
 * labels, the step number and state flags. */
static json_t *plan_json(app_req *q, const plan *p)
{
	json_t *d = plan_data(p);
	json_object_set_new(d, "period_start_label", json_string(app_date(q, p->period_start)));
	json_object_set_new(d, "period_end_label", json_string(app_date(q, p->period_end)));
	json_object_set_new(d, "status_label", json_string(status_label(p->status)));
	size_t i;
	json_t *ph;
	json_array_foreach(json_object_get(d, "phases"), i, ph) {
		const char *state = json_string_value(json_object_get(ph, "state"));
		json_object_set_new(ph, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(ph, "starts_label", json_string(app_date(q, p->phases[i].starts_on)));
		json_object_set_new(ph, "ends_label", json_string(app_date(q, p->phases[i].ends_on)));
		json_object_set_new(ph, "current", json_boolean(!strcmp(state, "current")));
		json_object_set_new(ph, "done", json_boolean(!strcmp(state, "done")));
	}
	return d;
}

static void show(app_req *q, store_rc rc, plan *p)
{
	if (rc == STORE_NOTFOUND && !http_param(q->r, "id")) {
		/* An empty database: say so instead of a 404. */
		if (q->want_json) {
			app_json(q, 200, json_pack("{s:n}", "plan"));
			return;
		}
		json_t *m = json_pack("{s:n,s:s}", "plan", "title", app_t(q, "No plan yet"));
		app_page(q, 200, "plan_home", m);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (q->want_json) {
		json_t *d = json_pack("{s:o}", "plan", plan_data(p));
		app_sections(q, "plan", p->id, d);
		app_json(q, 200, d);
		return;
	}
	json_t *m = json_pack("{s:s,s:o}", "title", p->title, "plan", plan_json(q, p));
	if (q->me && q->me->role >= ROLE_ORGANISER)
		json_object_set_new(m, "can_edit", json_true());
	app_sections(q, "plan", p->id, m);
	app_page(q, 200, "plan_home", m);
}

static void plan_home(app_req *q)
{
	plan p;
	show(q, store_plan_main(q->app->db, q->a, &p), &p);
}

static void plan_show(app_req *q)
{
	plan p;
	int64_t id = app_param_id(q, "id");
	show(q, id ? store_plan_get(q->app->db, q->a, id, &p) : STORE_NOTFOUND, &p);
}

/* ---- editing ----
 * One page holds every form of the plan: the plan itself, each phase and
 * theme, and a new phase and theme. The pipeline checks a posted form
 * against its table; a failed one comes back here (reshow) with the
 * values as entered, in the instance that was posted. */

static void check_plan(app_req *q);
static void check_phase(app_req *q);
static void reshow(app_req *q);

static const form_field plan_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Title" },
	{ "description", F_MULTILINE, false, 5000, .label = "Description" },
	{ "period_start", F_DATE, true, 10, .label = "Start of the period" },
	{ "period_end", F_DATE, true, 10, .label = "End of the period" },
	{ "status", F_CHOICE, true, 20, statuses, .label = "Status", .choice_labels = status_labels },
	{ "current_phase", F_ID, false, 20, .label = "Current phase" },
};
static const form_field phase_fields[] = {
	{ "name", F_TEXT, true, 120, .label = "Name" },
	{ "starts_on", F_DATE, false, 10, .label = "Starts on" },
	{ "ends_on", F_DATE, false, 10, .label = "Ends on" },
};
static const form_field theme_fields[] = {
	{ "name", F_TEXT, true, 80, .label = "Name" },
	{ "description", F_MULTILINE, false, 1000, .label = "Description" },
};
static const form_def plan_form = FORM_DEF("plan", plan_fields, check_plan, reshow);
static const form_def phase_form = FORM_DEF("phase", phase_fields, check_phase, reshow);
static const form_def new_phase_form = FORM_DEF("new-phase", phase_fields, check_phase, reshow);
static const form_def theme_form = FORM_DEF("theme", theme_fields, NULL, reshow);
static const form_def new_theme_form = FORM_DEF("new-theme", theme_fields, NULL, reshow);

/* Loads the plan named in the path; answers 404 itself when it is not there. */
static bool load(app_req *q, plan *p)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? store_plan_get(q->app->db, q->a, id, p) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

/* End on or after start, when both are given. */
static void check_order(app_req *q, const char *from, const char *to)
{
	int a, b;
	if (text_parse_date(form_text(q, from), &a) && text_parse_date(form_text(q, to), &b) && b < a)
		form_fail(q, to, "The end date must be on or after the start date.");
}

static void check_phase(app_req *q)
{
	check_order(q, "starts_on", "ends_on");
}

static void check_plan(app_req *q)
{
	check_order(q, "period_start", "period_end");
	int64_t cur = form_int(q, "current_phase");
	plan p;
	if (!cur || !load(q, &p))
		return;
	bool found = false;
	for (size_t i = 0; i < p.nphases; i++)
		found |= p.phases[i].id == cur;
	if (!found)
		form_fail(q, "current_phase", "Choose one of the options.");
}

static void edit_page(app_req *q, int status, const plan *p)
{
	json_t *pj = plan_json(q, p);
	json_t *m = json_pack("{s:s,s:o}", "title", p->title, "plan", pj);
	json_t *pf = form_view(q, &plan_form, "plan",
	                       json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "title", p->title, "description",
	                                 p->description, "period_start", p->period_start,
	                                 "period_end", p->period_end, "status", p->status,
	                                 "current_phase", (json_int_t)p->current_phase), true);
	/* The current phase: chosen from this plan's phases, or by dates. */
	long long curid = 0;
	text_parse_int(json_string_value(json_object_get(json_object_get(json_object_get(pf, "f"),
	                                 "current_phase"), "value")), 1, INT64_MAX, &curid);
	json_t *popts = json_array();
	for (size_t i = 0; i < p->nphases; i++)
		json_array_append_new(popts, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)p->phases[i].id,
		                                       "label", p->phases[i].name, "selected",
		                                       p->phases[i].id == curid));
	json_object_set_new(pf, "phase_options", popts);
	json_object_set_new(pf, "auto_phase", json_boolean(curid == 0));
	json_object_set_new(m, "plan_form", pf);

	/* Each phase and theme carries its own form; the posted one keeps what
	 * was typed. */
	int64_t posted_phase = app_param_id(q, "pid"), posted_theme = app_param_id(q, "tid");
	json_t *phases = json_object_get(pj, "phases");
	size_t i;
	json_t *ph;
	json_array_foreach(phases, i, ph) {
		int64_t id = (int64_t)json_integer_value(json_object_get(ph, "id"));
		json_t *e = form_view(q, &phase_form, arena_printf(q->a, "phase-%lld", (long long)id),
		                      json_incref(ph), id == posted_phase);
		json_object_set_new(e, "first", json_boolean(i == 0));
		json_object_set_new(e, "last", json_boolean(i + 1 == json_array_size(phases)));
		json_object_set_new(ph, "edit", e);
	}
	json_t *th;
	json_array_foreach(json_object_get(pj, "themes"), i, th) {
		int64_t id = (int64_t)json_integer_value(json_object_get(th, "id"));
		json_object_set_new(th, "edit", form_view(q, &theme_form,
		                                          arena_printf(q->a, "theme-%lld", (long long)id),
		                                          json_incref(th), id == posted_theme));
	}
	json_object_set_new(m, "new_phase", form_view(q, &new_phase_form, "new-phase", NULL, true));
	json_object_set_new(m, "new_theme", form_view(q, &new_theme_form, "new-theme", NULL, true));
	if (form_failed(q))
		json_object_set_new(m, "has_errors", json_true());
	app_page(q, status, "plan_edit", m);
}

static void reshow(app_req *q)
{
	plan p;
	if (load(q, &p))
		edit_page(q, 422, &p);
}

/* Back to the edit page, saying what happened (flash: see flashes[]). */
static void done(app_req *q, const plan *p, store_rc rc, const char *flash)
{
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	char *to = arena_printf(q->a, "/plans/%lld/edit", (long long)p->id);
	app_redirect(q, to ? to : "/", flash);
}

static void plan_edit(app_req *q)
{
	plan p;
	if (!load(q, &p))
		return;
	if (q->r->method != HTTP_POST) {
		edit_page(q, 200, &p);
		return;
	}
	plan np = p;
	np.title = form_text(q, "title");
	np.description = form_text(q, "description");
	np.period_start = form_text(q, "period_start");
	np.period_end = form_text(q, "period_end");
	np.status = form_text(q, "status");
	np.current_phase = form_int(q, "current_phase");
	done(q, &p, store_plan_update(q->app->db, &np), "plan_saved");
}

static void plan_phase_add(app_req *q)
{
	plan p;
	if (load(q, &p))
		done(q, &p, store_phase_add(q->app->db, p.id, form_text(q, "name"),
		                            form_text(q, "starts_on"), form_text(q, "ends_on"), NULL),
		     "plan_phase_added");
}

static void plan_phase_update(app_req *q)
{
	plan p;
	if (load(q, &p))
		done(q, &p, store_phase_update(q->app->db, p.id, app_param_id(q, "pid"),
		                               form_text(q, "name"), form_text(q, "starts_on"),
		                               form_text(q, "ends_on")),
		     "plan_phase_saved");
}

static void plan_phase_move(app_req *q)
{
	plan p;
	if (!load(q, &p))
		return;
	const char *dir = http_form(q->r, "direction");
	if (!dir || (strcmp(dir, "up") && strcmp(dir, "down"))) {
		app_error(q, 400, "Choose whether to move the phase up or down.");
		return;
	}
	done(q, &p, store_phase_move(q->app->db, p.id, app_param_id(q, "pid"),
	                             !strcmp(dir, "up") ? -1 : 1),
	     !strcmp(dir, "up") ? "plan_phase_up" : "plan_phase_down");
}

static void plan_phase_delete(app_req *q)
{
	plan p;
	if (!load(q, &p))
		return;
	done(q, &p, store_phase_delete(q->app->db, p.id, app_param_id(q, "pid")), "plan_phase_removed");
}

static void theme_save(app_req *q, bool add)
{
	plan p;
	if (!load(q, &p))
		return;
	store_rc rc = add ? store_theme_add(q->app->db, p.id, form_text(q, "name"),
	                                    form_text(q, "description"), NULL)
	                  : store_theme_update(q->app->db, p.id, app_param_id(q, "tid"),
	                                       form_text(q, "name"), form_text(q, "description"));
	if (rc == STORE_CONFLICT) {
		form_fail(q, "name", "This plan already has a theme with this name.");
		form_reshow(q);
		return;
	}
	done(q, &p, rc, add ? "plan_theme_added" : "plan_theme_saved");
}

static void plan_theme_add(app_req *q) { theme_save(q, true); }
static void plan_theme_update(app_req *q) { theme_save(q, false); }

static void plan_theme_delete(app_req *q)
{
	plan p;
	if (!load(q, &p))
		return;
	store_rc rc = store_theme_delete(q->app->db, p.id, app_param_id(q, "tid"));
	if (rc == STORE_INVALID) {
		app_error(q, 409, "This theme still has action points. Give them another theme first; then the theme can be removed.");
		return;
	}
	done(q, &p, rc, "plan_theme_removed");
}

/* ---- the feature ---- */

static const app_route routes[] = {
	{ HTTP_GET, "/", plan_home, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/plan", plan_home, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET, "/plans/{id}", plan_show, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/plans/{id}", plan_show, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET | HTTP_POST, "/plans/{id}/edit", plan_edit, ROLE_ORGANISER, false, R_CSRF, &plan_form },
	{ HTTP_POST, "/plans/{id}/phases", plan_phase_add, ROLE_ORGANISER, false, R_CSRF, &new_phase_form },
	{ HTTP_POST, "/plans/{id}/phases/{pid}", plan_phase_update, ROLE_ORGANISER, false, R_CSRF, &phase_form },
	{ HTTP_POST, "/plans/{id}/phases/{pid}/move", plan_phase_move, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/plans/{id}/phases/{pid}/delete", plan_phase_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/plans/{id}/themes", plan_theme_add, ROLE_ORGANISER, false, R_CSRF, &new_theme_form },
	{ HTTP_POST, "/plans/{id}/themes/{tid}", plan_theme_update, ROLE_ORGANISER, false, R_CSRF, &theme_form },
	{ HTTP_POST, "/plans/{id}/themes/{tid}/delete", plan_theme_delete, ROLE_ORGANISER, false, R_CSRF },
};

/* What happened, said on the edit page a change leads back to. */
static const app_flash flashes[] = {
	{ "plan_saved", "The plan is saved: its page shows the new title, period and status." },
	{ "plan_phase_added", "The phase is added at the end of the steps." },
	{ "plan_phase_saved", "The phase is saved." },
	{ "plan_phase_up", "The phase is moved one step earlier." },
	{ "plan_phase_down", "The phase is moved one step later." },
	{ "plan_phase_removed", "The phase is removed from the steps." },
	{ "plan_theme_added", "The theme is added. It has its own page now." },
	{ "plan_theme_saved", "The theme is saved." },
	{ "plan_theme_removed", "The theme is removed." },
};

const app_feature plan_feature = {
	.name = "plan",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.demo = plan_demo,
};
