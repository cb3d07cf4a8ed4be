/* monitor_data.c — monitoring's resources as data, one builder per
 * resource (criterion, indicator with its state and measurements,
 * assessment, concern, forum member): codes, ISO dates and numbers, never
 * labels and never people's names, as /api/v1 answers them. Pages take
 * the same objects and add what they show with the *_view functions:
 * labels in the visitor's language, dates written out, numbers with the
 * visitor's decimal sign, the line chart of an indicator. Also the code
 * tables and their msgids, and small helpers for charts and select fields.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "monitor.h"

const char *const monitor_directions[] = { "higher", "lower", NULL };
const char *const monitor_direction_labels[] = { "Higher is better", "Lower is better", NULL };
const char *const monitor_yes_no[] = { "yes", "no", NULL };
const char *const monitor_yes_no_labels[] = { "Yes", "No", NULL };
const char *const monitor_potentials[] = { "unclear", "modest", "substantial", NULL };
const char *const monitor_potential_labels[] = { "Unclear", "Modest", "Substantial", NULL };
const char *const monitor_completions[] = { "no_evidence", "not_started", "limited",
	                                    "substantial", "complete", NULL };
const char *const monitor_completion_labels[] = { "No evidence available", "Not started",
	                                          "Limited", "Substantial", "Complete", NULL };
const char *const monitor_openings[] = { "worsened", "did_not_change", "marginal", "major",
	                                 "outstanding", NULL };
const char *const monitor_opening_labels[] = { "Worsened", "Did not change", "Marginal", "Major",
	                                       "Outstanding", NULL };
const char *const monitor_voice_labels[] = { "The holder's self-assessment",
	                                     "The stakeholder forum's review",
	                                     "The organiser's final text",
	                                     "The independent reviewer's finding", NULL };
const char *const monitor_member_roles[] = { "chair", "member", "observer", NULL };
const char *const monitor_member_role_labels[] = { "Chair", "Member", "Observer", NULL };
const char *const monitor_concern_statuses[] = { "open", "answered", "closed", NULL };
const char *const monitor_concern_status_labels[] = { "Open", "Answered", "Closed", NULL };

const char *monitor_label(const char *const *codes, const char *const *labels, const char *code)
{
	for (int i = 0; code && codes[i]; i++)
		if (!strcmp(codes[i], code))
			return labels[i];
	return code ? code : "";
}

/* ---- an indicator's state ---- */

void monitor_state_of(const monitor_indicator *x, int today, monitor_state *out)
{
	memset(out, 0, sizeof *out);
	monitor_path *p = &out->path;
	p->higher = !strcmp(x->direction, "higher");
	text_parse_date(x->baseline_on, &p->base_ymd);
	text_parse_date(x->target_on, &p->target_ymd);
	p->base = monitor_number_value(x->baseline_value);
	p->target = monitor_number_value(x->target_value);
	int last = 0;
	bool measured = *x->last_on && text_parse_date(x->last_on, &last);
	out->track = monitor_track_of(p, measured, last,
	                              measured ? monitor_number_value(x->last_value) : 0);
	out->expected = measured ? monitor_expected(p, last) : p->base;
	out->next_due = monitor_next_due(measured ? last : p->base_ymd, p->target_ymd,
	                                 monitor_frequency_months(x->frequency));
	out->overdue = out->next_due && today > out->next_due;
}

/* ---- data ---- */

/* A canonical number as a JSON number: an integer when it is whole. */
static json_t *num_json(const char *canonical)
{
	if (!strchr(canonical, '.')) {
		long long v;
		if (text_parse_int(canonical, -999999999999999LL, 999999999999999LL, &v))
			return json_integer(v);
	}
	return json_real(monitor_number_value(canonical));
}

static json_t *ymd_json(int ymd)
{
	char d[16];
	if (!ymd)
		return json_null();
	snprintf(d, sizeof d, "%04d-%02d-%02d", ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100);
	return json_string(d);
}

json_t *monitor_criterion_data(const monitor_criterion *c)
{
	return json_pack("{s:I,s:i,s:s,s:s,s:I}", "id", (json_int_t)c->id, "position", c->position,
	                 "title", c->title, "explanation", c->explanation, "indicators",
	                 (json_int_t)c->indicators);
}

json_t *monitor_indicator_data(const monitor_indicator *x, const monitor_state *st,
                               const monitor_measurement *ms, size_t nm)
{
	/* the expected value rounded to what people read: 2 decimals */
	double e = st->expected;
	json_t *expected = *x->last_on ? json_real((double)(long long)(e * 100 + (e < 0 ? -0.5 : 0.5)) / 100)
	                               : json_null();
	json_t *o = json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:{s:o,s:s,s:s},s:{s:o,s:s},s:s,"
	                      "s:s,s:o,s:o,s:b,s:I}",
	                      "id", (json_int_t)x->id, "action_id", (json_int_t)x->action_id,
	                      "action_title", x->action_title, "criterion_id",
	                      (json_int_t)x->criterion_id, "criterion", x->criterion_title, "title",
	                      x->title, "unit", x->unit, "direction", x->direction, "baseline",
	                      "value", num_json(x->baseline_value), "on", x->baseline_on, "source",
	                      x->baseline_source, "target", "value", num_json(x->target_value), "on",
	                      x->target_on, "frequency", x->frequency, "state",
	                      monitor_track_codes[st->track], "expected", expected, "next_due",
	                      ymd_json(st->next_due), "overdue", st->overdue, "measurement_count",
	                      (json_int_t)x->measurements);
	json_object_set_new(o, "latest", *x->last_on
		? json_pack("{s:o,s:s}", "value", num_json(x->last_value), "on", x->last_on)
		: json_null());
	if (ms) {
		json_t *a = json_array();
		for (size_t i = 0; i < nm; i++)
			if (ms[i].indicator_id == x->id)
				json_array_append_new(a, json_pack("{s:I,s:o,s:s,s:s,s:s}", "id",
				                                   (json_int_t)ms[i].id, "value",
				                                   num_json(ms[i].value), "on",
				                                   ms[i].measured_on, "source_url",
				                                   ms[i].source_url, "note", ms[i].note));
		json_object_set_new(o, "measurements", a);
	}
	return o;
}

static json_t *codes_array(const char *codes)
{
	json_t *a = json_array();
	for (int i = 0; act_ogp_codes[i]; i++)
		if (act_has_code(codes, act_ogp_codes[i]))
			json_array_append_new(a, json_string(act_ogp_codes[i]));
	return a;
}

/* "" as null: a level not given yet. */
static json_t *code_or_null(const char *code)
{
	return code && *code ? json_string(code) : json_null();
}

json_t *monitor_assessment_data(const monitor_assessment *x)
{
	json_t *o = json_pack("{s:I,s:s,s:{s:o,s:o,s:o,s:o,s:s},s:{s:o,s:o,s:s},s:I}", "action_id",
	                      (json_int_t)x->action_id, "voice", x->voice, "design", "verifiable",
	                      code_or_null(x->verifiable), "lens", code_or_null(x->lens),
	                      "ogp_values", codes_array(x->ogp_values), "potential",
	                      code_or_null(x->potential), "explanation", x->design_note, "end",
	                      "completion", code_or_null(x->completion), "opened",
	                      code_or_null(x->opened), "explanation", x->end_note, "updated_at",
	                      (json_int_t)x->updated_at);
	if (!strcmp(x->voice, "forum"))
		json_object_set_new(o, "organisation", x->org_id
			? json_pack("{s:I,s:s}", "id", (json_int_t)x->org_id, "name", x->org_name)
			: json_null());
	return o;
}

json_t *monitor_concern_data(const monitor_concern *c)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:o}", "id", (json_int_t)c->id,
	                 "action_id", (json_int_t)c->action_id, "action_title", c->action_title,
	                 "body", c->body, "status", c->status, "answer", c->answer, "created_at",
	                 (json_int_t)c->created_at, "answered_at", (json_int_t)c->answered_at,
	                 "closed_at", (json_int_t)c->closed_at, "organisation", c->org_id
	                 ? json_pack("{s:I,s:s}", "id", (json_int_t)c->org_id, "name", c->org_name)
	                 : json_null());
}

json_t *monitor_member_data(const monitor_member *m, int today)
{
	return json_pack("{s:I,s:{s:I,s:s,s:s},s:s,s:s,s:s,s:b}", "id", (json_int_t)m->id,
	                 "organisation", "id", (json_int_t)m->org_id, "name", m->org_name,
	                 "sector", m->sector, "role", m->role, "from", m->from_on, "until",
	                 m->until_on, "current", monitor_member_current(m->from_on, m->until_on, today));
}

/* ---- views ---- */

const char *monitor_num(app_req *q, const char *canonical)
{
	char buf[MONITOR_NUM_MAX];
	monitor_number_format(canonical, q->lang, buf);
	return arena_strdup(q->a, buf);
}

static const char *ymd_label(app_req *q, int ymd)
{
	char d[16];
	snprintf(d, sizeof d, "%04d-%02d-%02d", ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100);
	return app_date(q, d);
}

/* The line chart of an indicator: its measurements, baseline and target. */
static const char *indicator_chart(app_req *q, const monitor_indicator *x,
                                   const monitor_state *st, const monitor_measurement *ms,
                                   size_t nm)
{
	size_t n = 0;
	for (size_t i = 0; i < nm; i++)
		n += ms[i].indicator_id == x->id;
	web_line_point *pts = arena_calloc(q->a, n + 1, sizeof *pts);
	if (!pts)
		return NULL;
	size_t k = 0;
	int latest = 0;
	for (size_t i = 0; i < nm; i++) {
		int d;
		if (ms[i].indicator_id != x->id || !text_parse_date(ms[i].measured_on, &d))
			continue;
		pts[k].x = monitor_days(d);
		pts[k].y = monitor_number_value(ms[i].value);
		pts[k].text = arena_printf(q->a, "%s: %s %s", app_date(q, ms[i].measured_on),
		                           monitor_num(q, ms[i].value), x->unit);
		latest = d > latest ? d : latest;
		k++;
	}
	web_line_point start = { monitor_days(st->path.base_ymd), st->path.base,
		                 arena_printf(q->a, "%s %s, %s", monitor_num(q, x->baseline_value),
		                              x->unit, app_date(q, x->baseline_on)) };
	web_line_point goal = { monitor_days(st->path.target_ymd), st->path.target,
		                arena_printf(q->a, "%s %s, %s", monitor_num(q, x->target_value),
		                             x->unit, app_date(q, x->target_on)) };
	/* the time axis runs from the baseline to the target, or to a later
	 * measurement */
	const char *first = app_date(q, x->baseline_on);
	const char *last = latest > st->path.target_ymd ? ymd_label(q, latest)
	                                                : app_date(q, x->target_on);
	sb desc;
	sb_init(&desc);
	sb_printf(&desc, app_t(q, "Line chart of %s, in %s."), x->title, x->unit);
	sb_putc(&desc, ' ');
	sb_printf(&desc, app_t(q, "Baseline %s on %s; target %s on %s."),
	          monitor_num(q, x->baseline_value), app_date(q, x->baseline_on),
	          monitor_num(q, x->target_value), app_date(q, x->target_on));
	if (k) {
		sb_putc(&desc, ' ');
		sb_printf(&desc, app_tn(q, "%lld measurement, the latest %s on %s.",
		                        "%lld measurements, the latest %s on %s.", (long long)k),
		          (long long)k, monitor_num(q, x->last_value), app_date(q, x->last_on));
	}
	sb_putc(&desc, ' ');
	sb_puts(&desc, app_t(q, monitor_track_labels[st->track]));
	sb_putc(&desc, '.');
	char id[40];
	snprintf(id, sizeof id, "ind-chart-%lld", (long long)x->id);
	web_line c = { .id = id, .title = x->title, .desc = sb_str(&desc), .points = pts, .n = k,
		       .start = &start, .goal = &goal, .start_label = app_t(q, "Baseline"),
		       .goal_label = app_t(q, "Target"), .series_label = app_t(q, "Measured"),
		       .path_label = app_t(q, "Straight path from baseline to target"),
		       .x_first = first, .x_last = last,
		       .decimal = strcmp(q->lang, "en") ? ',' : '.' };
	sb out;
	sb_init(&out);
	web_svg_line(&out, &c);
	const char *r = sb_failed(&out) || sb_failed(&desc) ? NULL : arena_strdup(q->a, sb_str(&out));
	sb_free(&out);
	sb_free(&desc);
	return r;
}

void monitor_indicator_view(app_req *q, json_t *o, const monitor_indicator *x,
                            const monitor_state *st, const monitor_measurement *ms, size_t nm)
{
	json_object_set_new(o, "direction_label",
	                    json_string(app_t(q, monitor_label(monitor_directions,
	                                                       monitor_direction_labels,
	                                                       x->direction))));
	json_object_set_new(o, "frequency_label",
	                    json_string(app_t(q, monitor_label(monitor_frequencies,
	                                                       monitor_frequency_labels,
	                                                       x->frequency))));
	json_object_set_new(o, "state_label", json_string(app_t(q, monitor_track_labels[st->track])));
	json_object_set_new(o, "is_off_track", json_boolean(st->track == MONITOR_OFF_TRACK));
	json_object_set_new(o, "baseline_canonical", json_string(x->baseline_value));
	json_object_set_new(o, "target_canonical", json_string(x->target_value));
	json_object_set_new(o, "baseline_text", json_string(monitor_num(q, x->baseline_value)));
	json_object_set_new(o, "baseline_on_label", json_string(app_date(q, x->baseline_on)));
	json_object_set_new(o, "target_text", json_string(monitor_num(q, x->target_value)));
	json_object_set_new(o, "target_on_label", json_string(app_date(q, x->target_on)));
	if (*x->last_on) {
		json_object_set_new(o, "latest_text", json_string(monitor_num(q, x->last_value)));
		json_object_set_new(o, "latest_on_label", json_string(app_date(q, x->last_on)));
		char e[MONITOR_NUM_MAX], canon[MONITOR_NUM_MAX];
		snprintf(e, sizeof e, "%.2f", st->expected);
		if (monitor_number_parse(e, canon))
			json_object_set_new(o, "expected_text", json_string(monitor_num(q, canon)));
	}
	if (st->next_due)
		json_object_set_new(o, "next_due_label", json_string(ymd_label(q, st->next_due)));
	if (ms) {
		size_t i;
		json_t *m;
		size_t k = 0;
		json_array_foreach(json_object_get(o, "measurements"), i, m) {
			while (k < nm && ms[k].indicator_id != x->id)
				k++;
			if (k >= nm)
				break;
			json_object_set_new(m, "value_text", json_string(monitor_num(q, ms[k].value)));
			json_object_set_new(m, "indicator_id", json_integer((json_int_t)x->id));
			json_object_set_new(m, "on_label", json_string(app_date(q, ms[k].measured_on)));
			k++;
		}
		const char *svg = indicator_chart(q, x, st, ms, nm);
		if (svg)
			json_object_set_new(o, "chart_svg", json_string(svg));
	}
}

void monitor_indicator_brief(app_req *q, json_t *o, const monitor_indicator *x,
                             const monitor_state *st)
{
	json_object_set_new(o, "state_label", json_string(app_t(q, monitor_track_labels[st->track])));
	json_object_set_new(o, "baseline_text", json_string(monitor_num(q, x->baseline_value)));
	json_object_set_new(o, "target_text", json_string(monitor_num(q, x->target_value)));
	if (*x->last_on)
		json_object_set_new(o, "latest_text", json_string(monitor_num(q, x->last_value)));
}

void monitor_assessment_view(app_req *q, json_t *o, const monitor_assessment *x)
{
	json_t *d = json_object_get(o, "design"), *e = json_object_get(o, "end");
	if (*x->verifiable)
		json_object_set_new(d, "verifiable_label", json_string(app_t(q, monitor_label(
			monitor_yes_no, monitor_yes_no_labels, x->verifiable))));
	if (*x->lens)
		json_object_set_new(d, "lens_label", json_string(app_t(q, monitor_label(
			monitor_yes_no, monitor_yes_no_labels, x->lens))));
	if (*x->potential)
		json_object_set_new(d, "potential_label", json_string(app_t(q, monitor_label(
			monitor_potentials, monitor_potential_labels, x->potential))));
	json_object_set_new(d, "values_list", act_ogp_json(q, x->ogp_values, false));
	if (*x->completion)
		json_object_set_new(e, "completion_label", json_string(app_t(q, monitor_label(
			monitor_completions, monitor_completion_labels, x->completion))));
	if (*x->opened)
		json_object_set_new(e, "opened_label", json_string(app_t(q, monitor_label(
			monitor_openings, monitor_opening_labels, x->opened))));
	json_object_set_new(o, "voice_label", json_string(app_t(q, monitor_label(
		monitor_voices, monitor_voice_labels, x->voice))));
	/* people's names only for signed-in visitors: the public sees the
	 * organisation */
	if (q->me && x->reviewer_name && *x->reviewer_name)
		json_object_set_new(o, "reviewer_name", json_string(x->reviewer_name));
	json_object_set_new(o, "has_design", json_boolean(*x->verifiable || *x->lens ||
	                                                  *x->ogp_values || *x->potential ||
	                                                  *x->design_note));
	json_object_set_new(o, "has_end", json_boolean(*x->completion || *x->opened ||
	                                               *x->end_note));
}

void monitor_concern_view(app_req *q, json_t *o, const monitor_concern *c)
{
	json_object_set_new(o, "status_label", json_string(app_t(q, monitor_label(
		monitor_concern_statuses, monitor_concern_status_labels, c->status))));
	json_object_set_new(o, "is_closed", json_boolean(!strcmp(c->status, "closed")));
	json_object_set_new(o, "is_open", json_boolean(!strcmp(c->status, "open")));
	if (q->me && *c->author_name)
		json_object_set_new(o, "author_name", json_string(c->author_name));
	char ymd[16];
	time_t t = (time_t)c->created_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
	json_object_set_new(o, "created_on", json_string(ymd));
	json_object_set_new(o, "created_label", json_string(app_date(q, ymd)));
}

/* ---- charts and fields ---- */

json_t *monitor_bars(app_req *q, const char *id, const char *title, const char *const *labels,
                     bool translate, const int64_t *counts, size_t n)
{
	const char **shown = arena_calloc(q->a, n + 1, sizeof *shown);
	if (!shown)
		return NULL;
	sb desc;
	sb_init(&desc);
	int64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += counts[i];
	sb_printf(&desc, app_t(q, "Bar chart, %lld in all."), (long long)total);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		shown[i] = translate ? app_t(q, labels[i]) : labels[i];
		sb_printf(&desc, " %s: %lld.", shown[i], (long long)counts[i]);
		json_array_append_new(rows, json_pack("{s:s,s:I}", "label", shown[i], "count",
		                                      (json_int_t)counts[i]));
	}
	sb out;
	sb_init(&out);
	web_svg_bars(&out, id, title, sb_str(&desc), shown, counts, n);
	json_t *o = sb_failed(&out) || sb_failed(&desc)
		? NULL
		: json_pack("{s:s,s:s,s:o,s:I}", "id", id, "svg", sb_str(&out), "rows", rows, "total",
		            (json_int_t)total);
	if (!o)
		json_decref(rows);
	sb_free(&out);
	sb_free(&desc);
	return o;
}

void monitor_field_options(json_t *form, const char *field, json_t *options)
{
	json_t *f = json_object_get(json_object_get(form, "f"), field);
	if (!f) {
		json_decref(options);
		return;
	}
	const char *v = json_string_value(json_object_get(f, "value"));
	size_t i;
	json_t *o;
	json_array_foreach(options, i, o) {
		json_t *val = json_object_get(o, "value");
		char num[32];
		const char *s = json_string_value(val);
		if (json_is_integer(val)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(val));
			json_object_set_new(o, "value", json_string(num));
			s = num;
		}
		json_object_set_new(o, "selected", json_boolean(v && s && !strcmp(v, s)));
	}
	json_object_del(f, "input");
	json_object_set_new(f, "select", json_true());
	json_object_set_new(f, "options", options);
}
