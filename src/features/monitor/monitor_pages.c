/* monitor_pages.c — what monitoring shows: its section on an action
 * point's page (indicators with their charts, the assessment in its
 * voices, concerns, and the forms of whoever may use them), the same as
 * data at /api/v1/action-points/{id}/monitoring, the dashboard of all
 * action points (/monitor: charts, each with its numbers in a table and as
 * JSON, from a fixed handful of queries however many action points and
 * measurements there are), the end-of-term self-assessment report
 * (/monitor/report, printable, and JSON), and the plan page's links.
 * Also the helpers every monitoring handler shares.
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "monitor.h"

/* ---- shared by the handlers ---- */

bool monitor_is_organiser(app_req *q)
{
	return q->me && q->me->role >= ROLE_ORGANISER;
}

void monitor_rights_of(app_req *q, const act_point *p, monitor_rights *r)
{
	memset(r, 0, sizeof *r);
	r->open = !p->archived_at;
	if (!q->me)
		return;
	r->organiser = monitor_is_organiser(q);
	if (!p->published_at)
		return; /* a draft: organisers only */
	r->holder = act_store_is_contact(q->app->db, p->id, q->me->id);
	r->member = monitor_store_is_member(q->app->db, p->plan_id, q->me->id, monitor_today(),
	                                    &r->member_org);
}

bool monitor_load_point(app_req *q, act_point *p, bool work)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? act_store_get(q->app->db, q->a, id, p) : STORE_NOTFOUND;
	if (rc == STORE_OK && !p->published_at && !monitor_is_organiser(q))
		rc = STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	if (work && p->archived_at) {
		app_error(q, 409, "This action point is archived: it can be read, not changed. "
		                  "An organiser can restore it.");
		return false;
	}
	return true;
}

void monitor_point_reshow(app_req *q)
{
	act_render(q, 422, app_param_id(q, "id"), "act_show");
}

void monitor_back(app_req *q, int64_t id, const char *where, const char *flash)
{
	app_redirect(q, arena_printf(q->a, "/actions/%lld%s", (long long)id, where), flash);
}

void monitor_done(app_req *q, int64_t id, store_rc rc, const char *where, const char *flash)
{
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	monitor_back(q, id, where, flash);
}

bool monitor_load_plan(app_req *q, plan *pl)
{
	store_rc rc = store_plan_main(q->app->db, q->a, pl);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

/* ---- the action point's section ---- */

/* The assessment as {holder, organiser, irm: object or null, forum: [..]}. */
static json_t *voices_data(app_req *q, const monitor_assessment *as, size_t na, int64_t action_id,
                           bool view)
{
	json_t *o = json_pack("{s:n,s:n,s:n,s:[]}", "holder", "organiser", "irm", "forum");
	for (size_t i = 0; i < na; i++) {
		if (as[i].action_id != action_id)
			continue;
		json_t *x = monitor_assessment_data(&as[i]);
		if (view)
			monitor_assessment_view(q, x, &as[i]);
		if (!strcmp(as[i].voice, "forum"))
			json_array_append_new(json_object_get(o, "forum"), x);
		else
			json_object_set_new(o, as[i].voice, x);
	}
	return o;
}

static json_t *reaction_data(const monitor_reaction *rs, size_t nr, int64_t action_id)
{
	for (size_t i = 0; i < nr; i++)
		if (rs[i].action_id == action_id)
			return json_pack("{s:s,s:I}", "body", rs[i].body, "updated_at",
			                 (json_int_t)rs[i].updated_at);
	return json_null();
}

typedef struct point_data {
	act_point p;
	monitor_criterion *cs;
	monitor_indicator *xs;
	monitor_measurement *ms;
	monitor_assessment *as;
	monitor_reaction *rs;
	monitor_concern *ks;
	size_t nc, nx, nm, na, nr, nk;
} point_data;

static store_rc load_point_data(app_req *q, int64_t id, point_data *d)
{
	memset(d, 0, sizeof *d);
	store *s = q->app->db;
	store_rc rc = act_store_get(s, q->a, id, &d->p);
	if (rc == STORE_OK && !d->p.published_at && !monitor_is_organiser(q))
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc = monitor_store_criteria(s, q->a, d->p.plan_id, &d->cs, &d->nc);
	if (rc == STORE_OK)
		rc = monitor_store_indicators(s, q->a, id, 0, &d->xs, &d->nx);
	if (rc == STORE_OK)
		rc = monitor_store_measurements(s, q->a, 0, id, &d->ms, &d->nm);
	if (rc == STORE_OK)
		rc = monitor_store_assessments(s, q->a, id, 0, &d->as, &d->na);
	if (rc == STORE_OK)
		rc = monitor_store_reactions(s, q->a, id, 0, &d->rs, &d->nr);
	if (rc == STORE_OK)
		rc = monitor_store_concerns(s, q->a, id, 0, &d->ks, &d->nk);
	return rc;
}

json_t *monitor_action_section(app_req *q, int64_t action_id)
{
	point_data d;
	if (load_point_data(q, action_id, &d) != STORE_OK)
		return NULL;
	monitor_rights r;
	monitor_rights_of(q, &d.p, &r);
	int today = monitor_today();
	json_t *inds = json_array();
	for (size_t i = 0; i < d.nx; i++) {
		monitor_state st;
		monitor_state_of(&d.xs[i], today, &st);
		json_t *o = monitor_indicator_data(&d.xs[i], &st, d.ms, d.nm);
		monitor_indicator_view(q, o, &d.xs[i], &st, d.ms, d.nm);
		json_array_append_new(inds, o);
	}
	json_t *ks = json_array();
	for (size_t i = 0; i < d.nk; i++) {
		json_t *o = monitor_concern_data(&d.ks[i]);
		monitor_concern_view(q, o, &d.ks[i]);
		json_array_append_new(ks, o);
	}
	json_t *voices = voices_data(q, d.as, d.na, action_id, true);
	json_t *reaction = reaction_data(d.rs, d.nr, action_id);
	json_t *sec = json_pack("{s:I,s:o,s:o,s:o,s:o,s:b,s:b}", "action_id", (json_int_t)action_id,
	                        "indicators", inds, "voices", voices, "reaction", reaction,
	                        "concerns", ks, "has_criteria", d.nc > 0, "is_open", r.open);
	bool edit = r.open && (r.organiser || r.holder);
	json_object_set_new(sec, "can_edit", json_boolean(edit));
	json_object_set_new(sec, "is_organiser", json_boolean(r.organiser));
	if (edit)
		monitor_indicator_forms(q, sec, &d.p, inds, d.cs, d.nc);
	monitor_assess_forms(q, sec, &d.p, &r, d.as, d.na,
	                     json_string_value(json_object_get(reaction, "body")), ks);
	return sec;
}

void monitor_point_api(app_req *q)
{
	int64_t id = app_param_id(q, "id");
	point_data d;
	store_rc rc = id ? load_point_data(q, id, &d) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	int today = monitor_today();
	json_t *inds = json_array(), *ks = json_array();
	for (size_t i = 0; i < d.nx; i++) {
		monitor_state st;
		monitor_state_of(&d.xs[i], today, &st);
		json_array_append_new(inds, monitor_indicator_data(&d.xs[i], &st, d.ms, d.nm));
	}
	for (size_t i = 0; i < d.nk; i++)
		json_array_append_new(ks, monitor_concern_data(&d.ks[i]));
	app_json(q, 200, json_pack("{s:{s:I,s:s},s:o,s:o,s:o,s:o}", "action_point", "id",
	                           (json_int_t)id, "title", d.p.title, "indicators", inds,
	                           "assessment", voices_data(q, d.as, d.na, id, false), "reaction",
	                           reaction_data(d.rs, d.nr, id), "concerns", ks));
}

/* ---- the dashboard ---- */

static const char *const progress_labels[] = { "0–24%", "25–49%", "50–74%", "75–99%", "100%" };
static const int progress_from[] = { 0, 25, 50, 75, 100 };
static const int progress_to[] = { 24, 49, 74, 99, 100 };

static int theme_index(const plan *pl, int64_t theme_id)
{
	for (size_t t = 0; t < pl->nthemes; t++)
		if (pl->themes[t].id == theme_id)
			return (int)t;
	return -1;
}

/* Adds a chart to the page's list: its SVG, its numbers as table rows,
 * and where the same numbers are as JSON (api, under key). */
static void add_chart(app_req *q, json_t *charts, const char *api, const char *key,
                      const char *title, const char *const *labels, bool translate,
                      const int64_t *counts, size_t n)
{
	char *id = arena_printf(q->a, "chart-%s", key);
	for (char *p = id; p && *p; p++)
		if (*p == '.' || *p == '_')
			*p = '-';
	json_t *c = id ? monitor_bars(q, id, app_t(q, title), labels, translate, counts, n) : NULL;
	if (!c)
		return;
	json_object_set_new(c, "title", json_string(app_t(q, title)));
	json_object_set_new(c, "key", json_string(key));
	json_object_set_new(c, "api", json_string(api));
	json_array_append_new(charts, c);
}

void monitor_dashboard(app_req *q)
{
	plan pl;
	act_point *ps;
	act_milestone *ms;
	monitor_indicator *xs;
	monitor_concern *ks;
	monitor_criterion *cs;
	size_t np, nm, nx, nk, nc;
	if (!monitor_load_plan(q, &pl))
		return;
	/* a fixed number of queries, however many action points and
	 * measurements: the plan, the action points, their milestones, the
	 * indicators with their latest measurement, the open concerns, the
	 * criteria */
	store *s = q->app->db;
	store_rc rc = act_store_list(s, q->a, pl.id, ACT_PUBLISHED, &ps, &np);
	if (rc == STORE_OK)
		rc = act_store_milestones(s, q->a, 0, pl.id, ACT_PUBLISHED, &ms, &nm);
	if (rc == STORE_OK)
		rc = monitor_store_indicators(s, q->a, 0, pl.id, &xs, &nx);
	if (rc == STORE_OK)
		rc = monitor_store_concerns(s, q->a, 0, pl.id, &ks, &nk);
	if (rc == STORE_OK)
		rc = monitor_store_criteria(s, q->a, pl.id, &cs, &nc);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	bool view = !q->want_json;
	int today = monitor_today();
	size_t nt = pl.nthemes;
	int64_t by_status[8] = { 0 }, progress[5] = { 0 };
	int64_t *by_theme = arena_calloc(q->a, nt + 1, sizeof *by_theme);
	int64_t *late_theme = arena_calloc(q->a, nt + 1, sizeof *late_theme);
	const char **theme_names = arena_calloc(q->a, nt + 1, sizeof *theme_names);
	if (!by_theme || !late_theme || !theme_names) {
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
		return;
	}
	for (size_t t = 0; t < nt; t++)
		theme_names[t] = pl.themes[t].name;
	for (size_t i = 0; i < np; i++) {
		for (int k = 0; act_statuses[k]; k++)
			by_status[k] += !strcmp(ps[i].status, act_statuses[k]);
		int t = theme_index(&pl, ps[i].theme_id);
		if (t >= 0)
			by_theme[t]++;
		int pr = act_progress(ps[i].status, ps[i].percent, ps[i].milestones,
		                      ps[i].milestones_done);
		progress[pr >= 100 ? 4 : pr >= 75 ? 3 : pr >= 50 ? 2 : pr >= 25 ? 1 : 0]++;
	}
	int64_t late_total = 0;
	for (size_t i = 0; i < nm; i++) {
		if (!act_milestone_late(ms[i].due_on, ms[i].done_on, today))
			continue;
		late_total++;
		for (size_t k = 0; k < np; k++)
			if (ps[k].id == ms[i].action_id) {
				int t = theme_index(&pl, ps[k].theme_id);
				if (t >= 0)
					late_theme[t]++;
				break;
			}
	}
	/* indicators: where each stands */
	int64_t by_state[4] = { 0 }, overdue = 0;
	json_t *ind_rows = json_array();
	for (size_t i = 0; i < nx; i++) {
		monitor_state st;
		monitor_state_of(&xs[i], today, &st);
		by_state[st.track]++;
		overdue += st.overdue;
		json_t *o = monitor_indicator_data(&xs[i], &st, NULL, 0);
		if (view)
			monitor_indicator_brief(q, o, &xs[i], &st);
		json_array_append_new(ind_rows, o);
	}
	int64_t open = 0, answered = 0;
	json_t *concerns = json_array();
	for (size_t i = 0; i < nk; i++) {
		open += !strcmp(ks[i].status, "open");
		answered += !strcmp(ks[i].status, "answered");
		json_t *o = monitor_concern_data(&ks[i]);
		if (view) {
			monitor_concern_view(q, o, &ks[i]);
			json_object_del(o, "author_name"); /* a page cached for everyone */
		}
		json_array_append_new(concerns, o);
	}

	json_t *st_j = json_array(), *th_j = json_array(), *pr_j = json_array(), *lt_j = json_array();
	json_t *ind_j = json_array();
	for (int k = 0; act_statuses[k]; k++)
		json_array_append_new(st_j, json_pack("{s:s,s:I}", "status", act_statuses[k], "count",
		                                      (json_int_t)by_status[k]));
	for (size_t t = 0; t < nt; t++) {
		json_array_append_new(th_j, json_pack("{s:I,s:s,s:I}", "theme_id",
		                                      (json_int_t)pl.themes[t].id, "theme",
		                                      pl.themes[t].name, "count",
		                                      (json_int_t)by_theme[t]));
		json_array_append_new(lt_j, json_pack("{s:I,s:s,s:I}", "theme_id",
		                                      (json_int_t)pl.themes[t].id, "theme",
		                                      pl.themes[t].name, "count",
		                                      (json_int_t)late_theme[t]));
	}
	for (int k = 0; k < 5; k++)
		json_array_append_new(pr_j, json_pack("{s:i,s:i,s:I}", "from", progress_from[k], "to",
		                                      progress_to[k], "count", (json_int_t)progress[k]));
	for (int k = 0; k < 4; k++)
		json_array_append_new(ind_j, json_pack("{s:s,s:I}", "state", monitor_track_codes[k],
		                                       "count", (json_int_t)by_state[k]));
	json_t *m = json_pack("{s:{s:I,s:s},s:i,s:o,s:o,s:o,s:I,s:o,s:{s:i,s:o,s:I,s:o},"
	                      "s:{s:I,s:I,s:o}}",
	                      "plan", "id", (json_int_t)pl.id, "title", pl.title, "action_points",
	                      (int)np, "by_status", st_j, "by_theme", th_j, "progress", pr_j,
	                      "late_milestones", (json_int_t)late_total, "late_by_theme", lt_j,
	                      "indicators", "total", (int)nx, "by_state", ind_j, "overdue",
	                      (json_int_t)overdue, "items", ind_rows, "concerns", "open",
	                      (json_int_t)open, "answered", (json_int_t)answered, "items", concerns);
	json_t *crit = json_array();
	for (size_t i = 0; i < nc; i++)
		json_array_append_new(crit, monitor_criterion_data(&cs[i]));
	json_object_set_new(m, "criteria", crit);
	if (!view) {
		app_json(q, 200, m);
		return;
	}
	json_t *charts = json_array();
	const char *api = "/api/v1/monitor";
	add_chart(q, charts, api, "by_status", N_("Action points per status"), act_status_labels, true,
	          by_status, 6);
	add_chart(q, charts, api, "by_theme", N_("Action points per theme"), theme_names, false,
	          by_theme, nt);
	add_chart(q, charts, api, "progress", N_("Progress of the action points"), progress_labels,
	          false, progress, 5);
	add_chart(q, charts, api, "late_by_theme", N_("Late milestones per theme"), theme_names, false,
	          late_theme, nt);
	add_chart(q, charts, api, "indicators.by_state", N_("Where the indicators stand"),
	          monitor_track_labels, true, by_state, 4);
	json_object_set_new(m, "charts", charts);
	json_object_set_new(m, "title", json_string(app_t(q, "Dashboard of the action plan")));
	json_object_set_new(m, "on_track", json_integer(by_state[MONITOR_ON_TRACK] +
	                                                by_state[MONITOR_ACHIEVED]));
	json_object_set_new(m, "off_track", json_integer(by_state[MONITOR_OFF_TRACK]));
	json_object_set_new(m, "can_manage", json_boolean(monitor_is_organiser(q)));
	app_page(q, 200, "monitor_dashboard", m);
}

/* ---- the self-assessment report ---- */

void monitor_report(app_req *q)
{
	plan pl;
	act_point *ps;
	act_holder *hs;
	monitor_indicator *xs;
	monitor_assessment *as;
	monitor_reaction *rs;
	size_t np, nh, nx, na, nr;
	if (!monitor_load_plan(q, &pl))
		return;
	store *s = q->app->db;
	store_rc rc = act_store_list(s, q->a, pl.id, ACT_PUBLISHED, &ps, &np);
	if (rc == STORE_OK)
		rc = act_store_holders(s, q->a, 0, pl.id, ACT_PUBLISHED, &hs, &nh);
	if (rc == STORE_OK)
		rc = monitor_store_indicators(s, q->a, 0, pl.id, &xs, &nx);
	if (rc == STORE_OK)
		rc = monitor_store_assessments(s, q->a, 0, pl.id, &as, &na);
	if (rc == STORE_OK)
		rc = monitor_store_reactions(s, q->a, 0, pl.id, &rs, &nr);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	bool view = !q->want_json;
	int today = monitor_today();
	/* the final text's levels; "not assessed" last */
	int64_t completion[6] = { 0 }, opened[6] = { 0 };
	json_t *points = json_array(), *groups = json_array();
	for (size_t t = 0; t < pl.nthemes; t++) {
		json_t *items = json_array();
		for (size_t i = 0; i < np; i++) {
			const act_point *p = &ps[i];
			if (p->theme_id != pl.themes[t].id)
				continue;
			json_t *voices = voices_data(q, as, na, p->id, view);
			json_t *fin = json_object_get(voices, "organiser");
			const char *c = json_string_value(json_object_get(json_object_get(fin, "end"),
			                                                  "completion"));
			const char *o = json_string_value(json_object_get(json_object_get(fin, "end"),
			                                                  "opened"));
			int ci = 5, oi = 5;
			for (int k = 0; c && monitor_completions[k]; k++)
				if (!strcmp(c, monitor_completions[k]))
					ci = k;
			for (int k = 0; o && monitor_openings[k]; k++)
				if (!strcmp(o, monitor_openings[k]))
					oi = k;
			completion[ci]++;
			opened[oi]++;
			json_t *inds = json_array();
			for (size_t k = 0; k < nx; k++) {
				if (xs[k].action_id != p->id)
					continue;
				monitor_state st;
				monitor_state_of(&xs[k], today, &st);
				json_t *x = monitor_indicator_data(&xs[k], &st, NULL, 0);
				if (view)
					monitor_indicator_brief(q, x, &xs[k], &st);
				json_array_append_new(inds, x);
			}
			json_t *pj = act_summary_data(p, 0, hs, nh);
			json_object_del(pj, "late_milestones");
			json_object_set_new(pj, "assessment", voices);
			json_object_set_new(pj, "reaction", reaction_data(rs, nr, p->id));
			json_object_set_new(pj, "indicators", inds);
			if (view) {
				act_summary_view(q, pj);
				json_array_append_new(items, pj);
			} else {
				json_array_append_new(points, pj);
			}
		}
		if (view && json_array_size(items))
			json_array_append_new(groups, json_pack("{s:s,s:o}", "name", pl.themes[t].name,
			                                        "points", items));
		else
			json_decref(items);
	}
	json_t *cj = json_array(), *oj = json_array();
	for (int k = 0; k < 6; k++) {
		json_array_append_new(cj, json_pack("{s:o,s:I}", "level",
		                                    k < 5 ? json_string(monitor_completions[k])
		                                          : json_null(),
		                                    "count", (json_int_t)completion[k]));
		json_array_append_new(oj, json_pack("{s:o,s:I}", "level",
		                                    k < 5 ? json_string(monitor_openings[k])
		                                          : json_null(),
		                                    "count", (json_int_t)opened[k]));
	}
	json_t *m = json_pack("{s:{s:I,s:s,s:s,s:s},s:i,s:o,s:o}", "plan", "id", (json_int_t)pl.id,
	                      "title", pl.title, "period_start", pl.period_start, "period_end",
	                      pl.period_end, "total", (int)np, "completion", cj, "opened", oj);
	if (!view) {
		json_object_set_new(m, "action_points", points);
		app_json(q, 200, m);
		return;
	}
	json_decref(points);
	const char *clabels[6], *olabels[6];
	for (int k = 0; k < 5; k++) {
		clabels[k] = monitor_completion_labels[k];
		olabels[k] = monitor_opening_labels[k];
	}
	clabels[5] = olabels[5] = N_("Not assessed yet");
	json_t *charts = json_array();
	const char *api = "/api/v1/monitor/report";
	add_chart(q, charts, api, "completion", N_("Completion, in the organiser's final text"), clabels,
	          true, completion, 6);
	add_chart(q, charts, api, "opened", N_("Did it open government? In the organiser's final text"),
	          olabels, true, opened, 6);
	json_object_set_new(m, "charts", charts);
	json_object_set_new(m, "themes", groups);
	json_object_set_new(m, "title", json_string(app_t(q, "End-of-term self-assessment")));
	json_object_set_new(m, "period_label", json_string(arena_printf(
		q->a, "%s – %s", app_date(q, pl.period_start), app_date(q, pl.period_end))));
	app_page(q, 200, "monitor_report", m);
}

/* ---- the plan page's section ---- */

json_t *monitor_plan_section(app_req *q, int64_t plan_id)
{
	monitor_indicator *xs;
	size_t nx;
	if (monitor_store_indicators(q->app->db, q->a, 0, plan_id, &xs, &nx) != STORE_OK)
		return NULL;
	int today = monitor_today();
	int64_t on = 0, off = 0;
	for (size_t i = 0; i < nx; i++) {
		monitor_state st;
		monitor_state_of(&xs[i], today, &st);
		on += st.track == MONITOR_ON_TRACK || st.track == MONITOR_ACHIEVED;
		off += st.track == MONITOR_OFF_TRACK;
	}
	return json_pack("{s:I,s:I,s:I}", "indicators", (json_int_t)nx, "on_track", (json_int_t)on,
	                 "off_track", (json_int_t)off);
}

/* ---- a person's own data ---- */

json_t *monitor_mydata(app_req *q, int64_t user_id)
{
	monitor_person pd;
	if (monitor_store_person(q->app->db, q->a, user_id, &pd) != STORE_OK)
		return NULL;
	int today = monitor_today();
	json_t *members = json_array(), *ms = json_array(), *rs = json_array(), *cs = json_array();
	for (size_t i = 0; i < pd.nmembers; i++)
		json_array_append_new(members, monitor_member_data(&pd.members[i], today));
	for (size_t i = 0; i < pd.nmeasurements; i++) {
		const monitor_measurement *m = &pd.measurements[i];
		json_array_append_new(ms, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I}", "id",
		                                    (json_int_t)m->id, "indicator_id",
		                                    (json_int_t)m->indicator_id, "indicator",
		                                    m->indicator_title, "value", m->value, "on",
		                                    m->measured_on, "source_url", m->source_url, "note",
		                                    m->note, "created_at", (json_int_t)m->created_at));
	}
	for (size_t i = 0; i < pd.nreviews; i++)
		json_array_append_new(rs, monitor_assessment_data(&pd.reviews[i]));
	for (size_t i = 0; i < pd.nconcerns; i++) {
		json_t *o = monitor_concern_data(&pd.concerns[i]);
		json_object_set_new(o, "flagged_by_you",
		                    json_boolean(pd.concerns[i].author_id == user_id));
		json_array_append_new(cs, o);
	}
	return json_pack("{s:o,s:o,s:o,s:o}", "forum_memberships", members, "measurements", ms,
	                 "reviews", rs, "concerns", cs);
}
