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

static int today_ymd(void)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
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

static json_t *plan_json(app_req *q, const plan *p)
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
		json_array_append_new(phases, json_pack(
			"{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "id", (json_int_t)ph->id,
			"number", (int)i + 1, "name", ph->name, "starts_on", ph->starts_on,
			"ends_on", ph->ends_on, "starts_label", app_date(q, ph->starts_on),
			"ends_label", app_date(q, ph->ends_on), "current", !strcmp(state, "current"),
			"done", !strcmp(state, "done"), "state", state));
	}
	json_t *themes = json_array();
	for (size_t i = 0; i < p->nthemes; i++)
		json_array_append_new(themes, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)p->themes[i].id,
		                                        "name", p->themes[i].name, "description",
		                                        p->themes[i].description));
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)p->id,
	                 "title", p->title, "description", p->description,
	                 "period_start", p->period_start, "period_end", p->period_end,
	                 "period_start_label", app_date(q, p->period_start),
	                 "period_end_label", app_date(q, p->period_end), "status", p->status,
	                 "status_label", status_label(p->status), "phases", phases, "themes", themes);
}

static void show(app_req *q, store_rc rc, plan *p)
{
	if (rc == STORE_NOTFOUND && !http_param(q->r, "id")) {
		/* An empty database: say so instead of a 404. */
		json_t *m = json_pack("{s:n,s:s}", "plan", "title", app_t(q, "No plan yet"));
		app_page(q, 200, "plan_home", m);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *pj = plan_json(q, p);
	json_t *m = json_pack("{s:s,s:o}", "title", p->title, "plan", pj);
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

/* ---- editing ---- */

static const form_field plan_fields[] = {
	{ "title", F_TEXT, true, 200, NULL },
	{ "description", F_MULTILINE, false, 5000, NULL },
	{ "period_start", F_DATE, true, 10, NULL },
	{ "period_end", F_DATE, true, 10, NULL },
	{ "status", F_CHOICE, true, 20, statuses },
	{ "current_phase", F_TEXT, false, 20, NULL },
};
static const form_field phase_fields[] = {
	{ "name", F_TEXT, true, 120, NULL },
	{ "starts_on", F_DATE, false, 10, NULL },
	{ "ends_on", F_DATE, false, 10, NULL },
};
static const form_field theme_fields[] = {
	{ "name", F_TEXT, true, 80, NULL },
	{ "description", F_MULTILINE, false, 1000, NULL },
};
#define NF(a) (sizeof a / sizeof *a)

/* Where re-shown values and messages go on the edit page. */
typedef struct edit_focus {
	const char *kind; /* "plan", "phase", "new_phase", "theme", "new_theme" */
	int64_t     id;
	json_t     *form, *errors;
} edit_focus;

static json_t *sub(json_t *form, json_t *errors)
{
	return json_pack("{s:o,s:o}", "form", form ? form : json_object(), "errors",
	                 errors ? errors : json_object());
}

static void edit_page(app_req *q, int status, const plan *p, edit_focus *f)
{
	json_t *pj = plan_json(q, p);
	json_t *m = json_pack("{s:s,s:o}", "title", p->title, "plan", pj);
	bool is = f && f->form;
	/* The plan form. */
	json_t *pf;
	if (is && !strcmp(f->kind, "plan")) {
		pf = sub(json_incref(f->form), json_incref(f->errors));
	} else {
		json_t *v = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "title", p->title, "description",
		                      p->description, "period_start", p->period_start, "period_end",
		                      p->period_end, "status", p->status, "current_phase",
		                      (json_int_t)p->current_phase);
		pf = sub(v, NULL);
	}
	const char *st = form_str(json_object_get(pf, "form"), "status");
	json_t *opts = json_array();
	for (int i = 0; statuses[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", statuses[i], "label",
		                                      status_labels[i], "selected", !strcmp(st, statuses[i])));
	json_object_set_new(pf, "status_options", opts);
	json_t *cur = json_object_get(json_object_get(pf, "form"), "current_phase");
	long long curid = json_is_integer(cur) ? json_integer_value(cur) : 0;
	if (json_is_string(cur))
		text_parse_int(json_string_value(cur), 1, INT64_MAX, &curid);
	json_t *popts = json_array();
	for (size_t i = 0; i < p->nphases; i++)
		json_array_append_new(popts, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)p->phases[i].id,
		                                       "label", p->phases[i].name, "selected",
		                                       p->phases[i].id == curid));
	json_object_set_new(pf, "phase_options", popts);
	json_object_set_new(pf, "auto_phase", json_boolean(curid == 0));
	json_object_set_new(m, "plan_form", pf);

	/* Each phase and theme carries its own form. */
	json_t *phases = json_object_get(pj, "phases");
	size_t i;
	json_t *ph;
	json_array_foreach(phases, i, ph) {
		int64_t id = (int64_t)json_integer_value(json_object_get(ph, "id"));
		json_t *s = is && !strcmp(f->kind, "phase") && f->id == id
			? sub(json_incref(f->form), json_incref(f->errors))
			: sub(json_pack("{s:O,s:O,s:O}", "name", json_object_get(ph, "name"), "starts_on",
			                json_object_get(ph, "starts_on"), "ends_on",
			                json_object_get(ph, "ends_on")), NULL);
		json_object_set_new(s, "first", json_boolean(i == 0));
		json_object_set_new(s, "last", json_boolean(i + 1 == json_array_size(phases)));
		json_object_set_new(ph, "edit", s);
	}
	json_t *themes = json_object_get(pj, "themes");
	json_t *th;
	json_array_foreach(themes, i, th) {
		int64_t id = (int64_t)json_integer_value(json_object_get(th, "id"));
		json_object_set_new(th, "edit", is && !strcmp(f->kind, "theme") && f->id == id
			? sub(json_incref(f->form), json_incref(f->errors))
			: sub(json_pack("{s:O,s:O}", "name", json_object_get(th, "name"), "description",
			                json_object_get(th, "description")), NULL));
	}
	json_object_set_new(m, "new_phase", is && !strcmp(f->kind, "new_phase")
		? sub(json_incref(f->form), json_incref(f->errors)) : sub(NULL, NULL));
	json_object_set_new(m, "new_theme", is && !strcmp(f->kind, "new_theme")
		? sub(json_incref(f->form), json_incref(f->errors)) : sub(NULL, NULL));
	if (f && f->form)
		json_object_set_new(m, "has_errors", json_true());
	app_page(q, status, "plan_edit", m);
}

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

static void done(app_req *q, const plan *p, store_rc rc)
{
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	char *to = arena_printf(q->a, "/plans/%lld/edit", (long long)p->id);
	app_redirect(q, to ? to : "/", "saved");
}

static void reshow(app_req *q, const plan *p, const char *kind, int64_t id, json_t *v, json_t *e)
{
	edit_focus f = { kind, id, v, e };
	edit_page(q, 422, p, &f);
	json_decref(v);
	json_decref(e);
}

/* End on or after start, when both are given. */
static void check_order(app_req *q, json_t *v, json_t *e, const char *from, const char *to)
{
	int a, b;
	if (!json_object_get(e, from) && !json_object_get(e, to) &&
	    text_parse_date(form_str(v, from), &a) && text_parse_date(form_str(v, to), &b) && b < a)
		form_error(q, e, to, "The end date must be on or after the start date.");
}

static void plan_edit(app_req *q)
{
	plan p;
	if (!load(q, &p))
		return;
	if (q->r->method != HTTP_POST) {
		edit_page(q, 200, &p, NULL);
		return;
	}
	json_t *v, *e;
	form_check(q, plan_fields, NF(plan_fields), &v, &e);
	check_order(q, v, e, "period_start", "period_end");
	long long cur = 0;
	const char *cs = form_str(v, "current_phase");
	if (*cs) {
		bool ok = text_parse_int(cs, 1, INT64_MAX, &cur);
		bool found = false;
		for (size_t i = 0; ok && i < p.nphases; i++)
			found |= p.phases[i].id == cur;
		if (!found)
			form_error(q, e, "current_phase", "Choose one of the options.");
	}
	if (json_object_size(e)) {
		reshow(q, &p, "plan", 0, v, e);
		return;
	}
	plan np = p;
	np.title = form_str(v, "title");
	np.description = form_str(v, "description");
	np.period_start = form_str(v, "period_start");
	np.period_end = form_str(v, "period_end");
	np.status = form_str(v, "status");
	np.current_phase = cur;
	store_rc rc = store_plan_update(q->app->db, &np);
	done(q, &p, rc);
	json_decref(v);
	json_decref(e);
}

static void plan_phase_add(app_req *q)
{
	plan p;
	if (!load(q, &p))
		return;
	json_t *v, *e;
	form_check(q, phase_fields, NF(phase_fields), &v, &e);
	check_order(q, v, e, "starts_on", "ends_on");
	if (json_object_size(e)) {
		reshow(q, &p, "new_phase", 0, v, e);
		return;
	}
	done(q, &p, store_phase_add(q->app->db, p.id, form_str(v, "name"), form_str(v, "starts_on"),
	                            form_str(v, "ends_on"), NULL));
	json_decref(v);
	json_decref(e);
}

static void plan_phase_update(app_req *q)
{
	plan p;
	if (!load(q, &p))
		return;
	int64_t pid = app_param_id(q, "pid");
	json_t *v, *e;
	form_check(q, phase_fields, NF(phase_fields), &v, &e);
	check_order(q, v, e, "starts_on", "ends_on");
	if (json_object_size(e)) {
		reshow(q, &p, "phase", pid, v, e);
		return;
	}
	done(q, &p, store_phase_update(q->app->db, p.id, pid, form_str(v, "name"),
	                               form_str(v, "starts_on"), form_str(v, "ends_on")));
	json_decref(v);
	json_decref(e);
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
	                             !strcmp(dir, "up") ? -1 : 1));
}

static void plan_phase_delete(app_req *q)
{
	plan p;
	if (!load(q, &p))
		return;
	done(q, &p, store_phase_delete(q->app->db, p.id, app_param_id(q, "pid")));
}

static void theme_save(app_req *q, bool add)
{
	plan p;
	if (!load(q, &p))
		return;
	int64_t tid = add ? 0 : app_param_id(q, "tid");
	json_t *v, *e;
	form_check(q, theme_fields, NF(theme_fields), &v, &e);
	store_rc rc = STORE_OK;
	if (!json_object_size(e)) {
		rc = add ? store_theme_add(q->app->db, p.id, form_str(v, "name"),
		                           form_str(v, "description"), NULL)
		         : store_theme_update(q->app->db, p.id, tid, form_str(v, "name"),
		                              form_str(v, "description"));
		if (rc == STORE_CONFLICT)
			form_error(q, e, "name", "This plan already has a theme with this name.");
	}
	if (json_object_size(e)) {
		reshow(q, &p, add ? "new_theme" : "theme", tid, v, e);
		return;
	}
	done(q, &p, rc);
	json_decref(v);
	json_decref(e);
}

static void plan_theme_add(app_req *q) { theme_save(q, true); }
static void plan_theme_update(app_req *q) { theme_save(q, false); }

static void plan_theme_delete(app_req *q)
{
	plan p;
	if (!load(q, &p))
		return;
	done(q, &p, store_theme_delete(q->app->db, p.id, app_param_id(q, "tid")));
}

/* ---- the feature ---- */

static const app_route routes[] = {
	{ HTTP_GET, "/", plan_home, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/plan", plan_home, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET, "/plans/{id}", plan_show, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/plans/{id}", plan_show, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET | HTTP_POST, "/plans/{id}/edit", plan_edit, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/plans/{id}/phases", plan_phase_add, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/plans/{id}/phases/{pid}", plan_phase_update, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/plans/{id}/phases/{pid}/move", plan_phase_move, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/plans/{id}/phases/{pid}/delete", plan_phase_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/plans/{id}/themes", plan_theme_add, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/plans/{id}/themes/{tid}", plan_theme_update, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/plans/{id}/themes/{tid}/delete", plan_theme_delete, ROLE_ORGANISER, false, R_CSRF },
};

const app_feature plan_feature = {
	.name = "plan",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.demo = plan_demo,
};
