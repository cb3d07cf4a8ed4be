/* monitor_indicators.c — the plan's global criteria (organisers, on
 * /monitor/criteria) and, on an action point, its impact indicators and
 * their measurements (the contact persons of its holders, and organisers).
 * Every form is a table checked before the handler; the rules across
 * fields (a target that differs from the baseline in the better
 * direction, dates in order, nothing in the future, no unit change once
 * measured, no measurement before the baseline or twice on a day) are
 * checked in the forms' check functions and again by the store, where
 * another writer may have changed things meanwhile.
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "monitor.h"

static const char *number_ok(app_req *q, const char *v);
static void indicator_check(app_req *q);
static void measurement_check(app_req *q);
static void criteria_reshow(app_req *q);

static const form_field criterion_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Criterion",
	  .help = "What the plan wants to achieve, for example: more people involved in decisions." },
	{ "explanation", F_MULTILINE, false, 2000, .label = "Explanation" },
};
const form_def monitor_criterion_new_form = FORM_DEF("new-criterion", criterion_fields, NULL,
                                                     criteria_reshow);
const form_def monitor_criterion_form = FORM_DEF("criterion", criterion_fields, NULL,
                                                 criteria_reshow);

static const form_field indicator_fields[] = {
	{ "criterion_id", F_ID, true, 20, .label = "Global criterion" },
	{ "title", F_TEXT, true, 200, .label = "What is measured",
	  .help = "For example: municipalities connected to Open Raadsinformatie." },
	{ "unit", F_TEXT, true, 40, .label = "Unit",
	  .help = "For example: municipalities, percent or days." },
	{ "direction", F_CHOICE, true, 10, monitor_directions, .label = "Which way is better",
	  .choice_labels = monitor_direction_labels },
	{ "baseline_value", F_TEXT, true, 24, .label = "Baseline value", .check = number_ok,
	  .help = "A number, like 120 or 12,5 (no thousands separator)." },
	{ "baseline_on", F_DATE, true, 10, .label = "Date of the baseline" },
	{ "baseline_source", F_TEXT, false, 500, .label = "Source of the baseline",
	  .help = "Where the number comes from: a report, a register or a web address." },
	{ "target_value", F_TEXT, true, 24, .label = "Target value", .check = number_ok },
	{ "target_on", F_DATE, true, 10, .label = "Target date" },
	{ "frequency", F_CHOICE, true, 20, monitor_frequencies, .label = "How often it is measured",
	  .choice_labels = monitor_frequency_labels },
};
const form_def monitor_indicator_new_form = FORM_DEF("new-indicator", indicator_fields,
                                                     indicator_check, monitor_point_reshow);
const form_def monitor_indicator_form = FORM_DEF("indicator", indicator_fields, indicator_check,
                                                 monitor_point_reshow);

static const form_field measurement_fields[] = {
	{ "value", F_TEXT, true, 24, .label = "Value", .check = number_ok },
	{ "measured_on", F_DATE, true, 10, .label = "Date measured" },
	{ "source_url", F_URL, false, 500, .label = "Source or evidence (a web address)",
	  .help = "A web address that starts with http:// or https://." },
	{ "note", F_MULTILINE, false, 1000, .label = "Note" },
};
const form_def monitor_measurement_form = FORM_DEF("measurement", measurement_fields,
                                                   measurement_check, monitor_point_reshow);

static const char *number_ok(app_req *q, const char *v)
{
	(void)q;
	char c[MONITOR_NUM_MAX];
	const char *msg = "Fill in a number, like 120 or 12,5 (no thousands separator).";
	return monitor_number_parse(v, c) ? NULL : msg;
}

/* The canonical form of a field that passed number_ok. */
static const char *form_number(app_req *q, const char *name)
{
	char c[MONITOR_NUM_MAX];
	return monitor_number_parse(form_text(q, name), c) ? arena_strdup(q->a, c) : "";
}

/* A canonical number as a form shows it: the visitor's decimal sign, no
 * grouping (so it reads back as the same number). */
static const char *form_value(app_req *q, const char *canonical)
{
	char *v = arena_strdup(q->a, canonical);
	if (v && strcmp(q->lang, "en"))
		for (char *p = v; *p; p++)
			if (*p == '.')
				*p = ',';
	return v ? v : "";
}

static const char *today_text(app_req *q)
{
	int t = monitor_today();
	return arena_printf(q->a, "%04d-%02d-%02d", t / 10000, t / 100 % 100, t % 100);
}

/* ---- criteria ---- */

static void criteria_render(app_req *q, int status)
{
	plan pl;
	monitor_criterion *cs;
	size_t n;
	if (!monitor_load_plan(q, &pl))
		return;
	store_rc rc = monitor_store_criteria(q->app->db, q->a, pl.id, &cs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	int64_t posted = app_param_id(q, "cid");
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = monitor_criterion_data(&cs[i]);
		json_object_set_new(o, "edit", form_view(q, &monitor_criterion_form,
		                                         arena_printf(q->a, "crit-%lld",
		                                                      (long long)cs[i].id),
		                                         json_pack("{s:s,s:s}", "title", cs[i].title,
		                                                   "explanation", cs[i].explanation),
		                                         posted == cs[i].id));
		json_array_append_new(list, o);
	}
	json_t *m = json_pack("{s:s,s:{s:I,s:s},s:o,s:o}", "title", app_t(q, "Global criteria"),
	                      "plan", "id", (json_int_t)pl.id, "title", pl.title, "criteria", list,
	                      "new_criterion", form_view(q, &monitor_criterion_new_form, "new-crit",
	                                                 NULL, true));
	if (form_failed(q))
		json_object_set_new(m, "errors", json_true());
	app_page(q, status, "monitor_criteria", m);
}

static void criteria_reshow(app_req *q)
{
	criteria_render(q, 422);
}

void monitor_criteria_page(app_req *q)
{
	criteria_render(q, 200);
}

static void criteria_done(app_req *q, store_rc rc, const char *flash)
{
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/monitor/criteria", flash);
}

void monitor_criterion_add(app_req *q)
{
	plan pl;
	if (!monitor_load_plan(q, &pl))
		return;
	criteria_done(q, monitor_store_criterion_add(q->app->db, pl.id, form_text(q, "title"),
	                                             form_text(q, "explanation"), NULL),
	              "monitor_criterion_added");
}

void monitor_criterion_update(app_req *q)
{
	plan pl;
	if (!monitor_load_plan(q, &pl))
		return;
	int64_t id = app_param_id(q, "cid");
	criteria_done(q, monitor_store_criterion_update(q->app->db, pl.id, id, form_text(q, "title"),
	                                                form_text(q, "explanation")),
	              "monitor_criterion_saved");
}

void monitor_criterion_delete(app_req *q)
{
	plan pl;
	if (!monitor_load_plan(q, &pl))
		return;
	int64_t id = app_param_id(q, "cid");
	store_rc rc = monitor_store_criterion_delete(q->app->db, pl.id, id);
	if (rc == STORE_INVALID) {
		app_error(q, 409, "Indicators still use this criterion. Move or remove them first.");
		return;
	}
	criteria_done(q, rc, "monitor_criterion_removed");
}

/* ---- indicators ---- */

/* The indicator of {iid} on the action point p into x; answers 404
 * itself (false) when there is none there. */
static bool load_indicator(app_req *q, const act_point *p, monitor_indicator *x)
{
	int64_t iid = app_param_id(q, "iid");
	store_rc rc = iid ? monitor_store_indicator_get(q->app->db, q->a, iid, x) : STORE_NOTFOUND;
	if (rc == STORE_OK && x->action_id != p->id)
		rc = STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

/* Across the fields: a target other than the baseline and in the better
 * direction, the target date after the baseline date, no baseline in the
 * future; when editing, no unit change once measured and no measurement
 * before the baseline. */
static void indicator_check(app_req *q)
{
	double base = monitor_number_value(form_number(q, "baseline_value"));
	double target = monitor_number_value(form_number(q, "target_value"));
	bool higher = !strcmp(form_text(q, "direction"), "higher");
	if (!strcmp(form_number(q, "baseline_value"), form_number(q, "target_value")))
		form_fail(q, "target_value", "The target must differ from the baseline.");
	else if (higher && target < base)
		form_fail(q, "target_value", "Higher is better: the target must be above the baseline.");
	else if (!higher && target > base)
		form_fail(q, "target_value", "Lower is better: the target must be below the baseline.");
	int b = 0, t = 0;
	text_parse_date(form_text(q, "baseline_on"), &b);
	text_parse_date(form_text(q, "target_on"), &t);
	if (b > monitor_today())
		form_fail(q, "baseline_on", "The baseline date cannot be in the future.");
	if (t <= b)
		form_fail(q, "target_on", "The target date must be after the baseline date.");
	/* a criterion of the action point's own plan */
	act_point p;
	monitor_criterion c;
	int64_t id = app_param_id(q, "id");
	if (id && act_store_get(q->app->db, q->a, id, &p) == STORE_OK &&
	    (monitor_store_criterion_get(q->app->db, q->a, form_int(q, "criterion_id"), &c) !=
	             STORE_OK ||
	     c.plan_id != p.plan_id))
		form_fail(q, "criterion_id", "Choose one of the options.");
	int64_t iid = app_param_id(q, "iid");
	monitor_indicator x;
	if (!iid || monitor_store_indicator_get(q->app->db, q->a, iid, &x) != STORE_OK)
		return; /* new, or the handler answers 404 */
	if (x.measurements && strcmp(x.unit, form_text(q, "unit")))
		form_fail(q, "unit", "The unit cannot change once there are measurements. Add a new "
		                     "indicator for the new unit.");
	monitor_measurement *ms;
	size_t n;
	if (monitor_store_measurements(q->app->db, q->a, iid, 0, &ms, &n) == STORE_OK && n &&
	    strcmp(ms[0].measured_on, form_text(q, "baseline_on")) < 0)
		form_fail(q, "baseline_on", "There is a measurement before this date. The baseline "
		                            "comes first.");
}

/* The person may keep the indicators of this action point: holders'
 * contact persons of a published one, organisers; nobody on an archived
 * one. Answers 404/403/409 itself. */
static bool load_work(app_req *q, act_point *p)
{
	if (!monitor_load_point(q, p, true))
		return false;
	monitor_rights r;
	monitor_rights_of(q, p, &r);
	if (!r.organiser && !r.holder) {
		app_error(q, 403, "Only the holders of this action point and organisers may do this.");
		return false;
	}
	return true;
}

static void indicator_from_form(app_req *q, monitor_indicator *x)
{
	x->criterion_id = form_int(q, "criterion_id");
	x->title = form_text(q, "title");
	x->unit = form_text(q, "unit");
	x->direction = form_text(q, "direction");
	x->baseline_value = form_number(q, "baseline_value");
	x->baseline_on = form_text(q, "baseline_on");
	x->baseline_source = form_text(q, "baseline_source");
	x->target_value = form_number(q, "target_value");
	x->target_on = form_text(q, "target_on");
	x->frequency = form_text(q, "frequency");
}

void monitor_indicator_add(app_req *q)
{
	act_point p;
	if (!load_work(q, &p))
		return;
	monitor_indicator x = { .action_id = p.id };
	indicator_from_form(q, &x);
	int64_t id = 0;
	store_rc rc = monitor_store_indicator_add(q->app->db, &x, q->me->id, &id);
	if (rc == STORE_INVALID) {
		form_fail(q, "criterion_id", "Choose one of the options.");
		form_reshow(q);
		return;
	}
	monitor_done(q, p.id, rc, arena_printf(q->a, "#indicator-%lld", (long long)id),
	             "monitor_indicator_added");
}

void monitor_indicator_update(app_req *q)
{
	act_point p;
	monitor_indicator old;
	if (!load_work(q, &p) || !load_indicator(q, &p, &old))
		return;
	monitor_indicator x = { .id = old.id, .action_id = p.id };
	indicator_from_form(q, &x);
	store_rc rc = monitor_store_indicator_update(q->app->db, &x);
	if (rc == STORE_CONFLICT || rc == STORE_INVALID) {
		/* someone measured meanwhile */
		if (rc == STORE_CONFLICT)
			form_fail(q, "unit", "The unit cannot change once there are measurements. Add a "
			                     "new indicator for the new unit.");
		else
			form_fail(q, "baseline_on", "There is a measurement before this date. The "
			                            "baseline comes first.");
		form_reshow(q);
		return;
	}
	monitor_done(q, p.id, rc, arena_printf(q->a, "#indicator-%lld", (long long)x.id),
	             "monitor_indicator_saved");
}

void monitor_indicator_delete(app_req *q)
{
	act_point p;
	monitor_indicator x;
	if (!load_work(q, &p) || !load_indicator(q, &p, &x))
		return;
	monitor_done(q, p.id, monitor_store_indicator_delete(q->app->db, p.id, x.id), "#indicators",
	             "monitor_indicator_removed");
}

/* ---- measurements ---- */

/* Not in the future, not before the baseline, not twice on a day. */
static void measurement_check(app_req *q)
{
	int d = 0;
	text_parse_date(form_text(q, "measured_on"), &d);
	if (d > monitor_today()) {
		form_fail(q, "measured_on", "The date cannot be in the future.");
		return;
	}
	monitor_indicator x;
	int64_t iid = app_param_id(q, "iid");
	if (!iid || monitor_store_indicator_get(q->app->db, q->a, iid, &x) != STORE_OK)
		return; /* the handler answers 404 */
	if (strcmp(form_text(q, "measured_on"), x.baseline_on) < 0)
		form_fail(q, "measured_on", "The date cannot be before the baseline date of this "
		                            "indicator.");
}

void monitor_measurement_add(app_req *q)
{
	act_point p;
	monitor_indicator x;
	if (!load_work(q, &p) || !load_indicator(q, &p, &x))
		return;
	monitor_measurement m = { .indicator_id = x.id, .value = form_number(q, "value"),
		                  .measured_on = form_text(q, "measured_on"),
		                  .source_url = form_text(q, "source_url"),
		                  .note = form_text(q, "note") };
	store_rc rc = monitor_store_measurement_add(q->app->db, &m, q->me->id, NULL);
	if (rc == STORE_CONFLICT || rc == STORE_INVALID) {
		form_fail(q, "measured_on", rc == STORE_CONFLICT
			? "There is already a measurement on this date. Remove it first to correct it."
			: "The date cannot be before the baseline date of this indicator.");
		form_reshow(q);
		return;
	}
	monitor_done(q, p.id, rc, arena_printf(q->a, "#indicator-%lld", (long long)x.id),
	             "monitor_measured");
}

void monitor_measurement_delete(app_req *q)
{
	act_point p;
	monitor_indicator x;
	if (!load_work(q, &p) || !load_indicator(q, &p, &x))
		return;
	int64_t mid = app_param_id(q, "mid");
	monitor_done(q, p.id, mid ? monitor_store_measurement_delete(q->app->db, x.id, mid)
	                          : STORE_NOTFOUND,
	             arena_printf(q->a, "#indicator-%lld", (long long)x.id),
	             "monitor_measurement_removed");
}

/* ---- the forms on the action point's page ---- */

static json_t *criterion_options(const monitor_criterion *cs, size_t nc)
{
	json_t *a = json_array();
	for (size_t i = 0; i < nc; i++)
		json_array_append_new(a, json_pack("{s:I,s:s}", "value", (json_int_t)cs[i].id, "label",
		                                   cs[i].title));
	return a;
}

void monitor_indicator_forms(app_req *q, json_t *sec, const act_point *p, json_t *indicators,
                             const monitor_criterion *cs, size_t nc)
{
	(void)p;
	int64_t posted = app_param_id(q, "iid");
	size_t i;
	json_t *o;
	json_array_foreach(indicators, i, o) {
		int64_t id = (int64_t)json_integer_value(json_object_get(o, "id"));
		json_t *b = json_object_get(o, "baseline"), *t = json_object_get(o, "target");
		/* the canonical numbers again, from the JSON numbers' source text */
		const char *bv = json_string_value(json_object_get(o, "baseline_canonical"));
		const char *tv = json_string_value(json_object_get(o, "target_canonical"));
		json_t *v = json_pack("{s:I,s:O,s:O,s:O,s:s,s:O,s:O,s:s,s:O,s:O}", "criterion_id",
		                      (json_int_t)json_integer_value(json_object_get(o, "criterion_id")),
		                      "title", json_object_get(o, "title"), "unit",
		                      json_object_get(o, "unit"), "direction",
		                      json_object_get(o, "direction"), "baseline_value",
		                      form_value(q, bv ? bv : ""), "baseline_on",
		                      json_object_get(b, "on"), "baseline_source",
		                      json_object_get(b, "source"), "target_value",
		                      form_value(q, tv ? tv : ""), "target_on", json_object_get(t, "on"),
		                      "frequency", json_object_get(o, "frequency"));
		json_t *ef = form_view(q, &monitor_indicator_form,
		                       arena_printf(q->a, "ind-%lld", (long long)id), v, id == posted);
		monitor_field_options(ef, "criterion_id", criterion_options(cs, nc));
		json_object_set_new(o, "edit", ef);
		json_object_set_new(o, "measure", form_view(q, &monitor_measurement_form,
		                                            arena_printf(q->a, "meas-%lld",
		                                                         (long long)id),
		                                            json_pack("{s:s}", "measured_on",
		                                                      today_text(q)),
		                                            id == posted));
		json_object_del(o, "baseline_canonical");
		json_object_del(o, "target_canonical");
	}
	if (nc) {
		json_t *nf = form_view(q, &monitor_indicator_new_form, "new-ind",
		                       json_pack("{s:s,s:s}", "direction", "higher", "frequency",
		                                 "quarterly"), true);
		monitor_field_options(nf, "criterion_id", criterion_options(cs, nc));
		json_object_set_new(sec, "new_indicator", nf);
	}
}
