/* act_data.c — the action plan's resources as data, one builder per
 * resource (action point, its summary, holder, milestone, update, link,
 * history entry): codes, ISO dates and numbers, never labels and never
 * people's names, as /api/v1 answers them (described in openapi.json).
 * Pages take the same objects and add what they show beside them with the
 * *_view functions: labels in the visitor's language, dates written out,
 * names of contact persons and authors, rendered Markdown.
 */
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "act.h"

const char *const act_statuses[] = { "idea", "seeking", "adopted", "in_progress", "completed",
	                             "stopped", NULL };
const char *const act_status_labels[] = { "Idea", "Seeking a holder", "Adopted", "In progress",
	                                  "Completed", "Stopped", NULL };
const char *const act_ogp_codes[] = { "information", "participation", "accountability",
	                              "technology", NULL };
const char *const act_ogp_labels[] = { "Access to information", "Civic participation",
	                               "Public accountability",
	                               "Technology and innovation for openness and accountability",
	                               NULL };

const char *act_status_label(const char *status)
{
	for (int i = 0; act_statuses[i]; i++)
		if (!strcmp(status, act_statuses[i]))
			return act_status_labels[i];
	return status;
}

const char *act_role_label(const char *r)
{
	return !strcmp(r, "lead") ? "Lead holder" : "Partner";
}

bool act_has_code(const char *codes, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = codes; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, code, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

static json_t *codes_array(const char *codes)
{
	json_t *a = json_array();
	for (int i = 0; act_ogp_codes[i]; i++)
		if (act_has_code(codes, act_ogp_codes[i]))
			json_array_append_new(a, json_string(act_ogp_codes[i]));
	return a;
}

int act_late_count(const act_milestone *ms, size_t n, int64_t action_id, int today)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += ms[i].action_id == action_id && act_milestone_late(ms[i].due_on, ms[i].done_on, today);
	return c;
}

json_t *act_holder_data(const act_holder *h)
{
	return json_pack("{s:I,s:s,s:s}", "org_id", (json_int_t)h->org_id, "org_name", h->org_name,
	                 "role", h->role);
}

json_t *act_summary_data(const act_point *p, int late, const act_holder *hs, size_t nh)
{
	int progress = act_progress(p->status, p->percent, p->milestones, p->milestones_done);
	json_t *holders = json_array();
	for (size_t i = 0; i < nh; i++)
		if (hs[i].action_id == p->id)
			json_array_append_new(holders, act_holder_data(&hs[i]));
	json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:o,s:s,s:s,s:o,s:b,s:b}",
	                      "id", (json_int_t)p->id, "title", p->title, "theme_id",
	                      (json_int_t)p->theme_id, "theme", p->theme_name, "status", p->status,
	                      "stop_reason", p->stop_reason, "progress", progress,
	                      "milestones_total", p->milestones, "milestones_done",
	                      p->milestones_done, "late_milestones", late, "ogp_values",
	                      codes_array(p->ogp_values), "starts_on", p->starts_on, "ends_on",
	                      p->ends_on, "holders", holders, "draft", p->published_at == 0,
	                      "archived", p->archived_at != 0);
	json_object_set_new(o, "lead", p->lead_org_id
		? json_pack("{s:I,s:s}", "id", (json_int_t)p->lead_org_id, "name", p->lead_name)
		: json_null());
	return o;
}

json_t *act_milestone_data(const act_milestone *m, int today)
{
	bool late = act_milestone_late(m->due_on, m->done_on, today);
	bool done = *m->done_on != 0;
	int due, fin;
	bool done_late = done && text_parse_date(m->due_on, &due) &&
	                 text_parse_date(m->done_on, &fin) && fin > due;
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b}", "id", (json_int_t)m->id,
	                 "action_id", (json_int_t)m->action_id, "action_title", m->action_title,
	                 "title", m->title, "output", m->output, "due_on", m->due_on, "done_on",
	                 m->done_on, "state", done ? "done" : late ? "late" : "open", "late", late,
	                 "done_late", done_late);
}

json_t *act_update_data(const act_update *u)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:i,s:s}", "id", (json_int_t)u->id, "action_id",
	                 (json_int_t)u->action_id, "action_title", u->action_title, "posted_on",
	                 u->posted_on, "body", u->body, "percent", u->percent, "evidence_url",
	                 u->evidence_url);
}

json_t *act_link_data(const act_link *l)
{
	return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)l->id, "title", l->title, "status",
	                 l->status);
}

static const char *iso_time(char buf[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

json_t *act_version_data(const act_version *v)
{
	char at[32];
	return json_pack("{s:s,s:s,s:s}", "at", iso_time(at, v->created_at), "kind", v->kind,
	                 "detail", v->detail);
}

json_t *act_point_data(const act_point *p, int today, const act_holder *hs, size_t nh,
                       const act_milestone *ms, size_t nm, const act_update *us, size_t nu,
                       const act_link *ls, size_t nl, const act_version *vs, size_t nv)
{
	json_t *o = act_summary_data(p, act_late_count(ms, nm, p->id, today), hs, nh);
	json_t *more = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "problem", p->problem,
	                         "status_quo", p->status_quo, "what", p->what, "how_helps",
	                         p->how_helps, "ambition", p->ambition, "minimal", p->minimal,
	                         "maximal", p->maximal, "needs", p->needs);
	json_object_update(o, more);
	json_decref(more);
	json_t *a = json_array();
	for (size_t i = 0; i < nm; i++)
		json_array_append_new(a, act_milestone_data(&ms[i], today));
	json_object_set_new(o, "milestones", a);
	a = json_array();
	for (size_t i = 0; i < nu; i++)
		json_array_append_new(a, act_update_data(&us[i]));
	json_object_set_new(o, "updates", a);
	a = json_array();
	for (size_t i = 0; i < nl; i++)
		json_array_append_new(a, act_link_data(&ls[i]));
	json_object_set_new(o, "links", a);
	a = json_array();
	for (size_t i = 0; i < nv; i++)
		json_array_append_new(a, act_version_data(&vs[i]));
	json_object_set_new(o, "history", a);
	return o;
}

/* ---- what pages add ---- */

json_t *act_ogp_json(app_req *q, const char *codes, bool all)
{
	json_t *a = json_array();
	for (int i = 0; act_ogp_codes[i]; i++) {
		bool on = act_has_code(codes, act_ogp_codes[i]);
		if (all || on)
			json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", act_ogp_codes[i],
			                                   "label", app_t(q, act_ogp_labels[i]),
			                                   "selected", on));
	}
	return a;
}

json_t *act_status_options(app_req *q, const char *selected)
{
	json_t *a = json_array();
	for (int i = 0; act_statuses[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", act_statuses[i], "label",
		                                   app_t(q, act_status_labels[i]), "selected",
		                                   selected && !strcmp(selected, act_statuses[i])));
	return a;
}

/* The holders of a summary get their role's label. */
static void holders_view(app_req *q, json_t *holders)
{
	size_t i;
	json_t *h;
	json_array_foreach(holders, i, h) {
		const char *r = json_string_value(json_object_get(h, "role"));
		json_object_set_new(h, "role_label", json_string(app_t(q, act_role_label(r ? r : ""))));
		json_object_set_new(h, "is_lead", json_boolean(r && !strcmp(r, "lead")));
	}
}

void act_summary_view(app_req *q, json_t *o)
{
	const char *status = json_string_value(json_object_get(o, "status"));
	if (!status)
		return;
	sb codes;
	sb_init(&codes);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(o, "ogp_values"), i, v) {
		if (codes.len)
			sb_putc(&codes, ',');
		sb_puts(&codes, json_string_value(v) ? json_string_value(v) : "");
	}
	json_object_set_new(o, "ogp_values", act_ogp_json(q, sb_str(&codes), false));
	sb_free(&codes);
	json_object_set_new(o, "status_label", json_string(act_status_label(status)));
	json_object_set_new(o, "is_seeking", json_boolean(!strcmp(status, "seeking")));
	json_object_set_new(o, "is_stopped", json_boolean(!strcmp(status, "stopped")));
	const char *s = json_string_value(json_object_get(o, "starts_on"));
	const char *e = json_string_value(json_object_get(o, "ends_on"));
	json_object_set_new(o, "starts_label", json_string(app_date(q, s ? s : "")));
	json_object_set_new(o, "ends_label", json_string(app_date(q, e ? e : "")));
	holders_view(q, json_object_get(o, "holders"));
}

void act_milestone_view(app_req *q, json_t *o)
{
	const char *due = json_string_value(json_object_get(o, "due_on"));
	const char *done = json_string_value(json_object_get(o, "done_on"));
	json_object_set_new(o, "due_label", json_string(app_date(q, due ? due : "")));
	json_object_set_new(o, "done_label", json_string(app_date(q, done ? done : "")));
	json_object_set_new(o, "done", json_boolean(done && *done));
}

void act_update_view(app_req *q, json_t *o, const act_update *u)
{
	json_object_set_new(o, "posted_label", json_string(app_date(q, u->posted_on)));
	sb h;
	sb_init(&h);
	if (web_markdown(&h, u->body) == 0)
		json_object_set_new(o, "body_html", json_string(sb_str(&h)));
	sb_free(&h);
	if (*u->author_name)
		json_object_set_new(o, "author_name", json_string(u->author_name));
}

static const char *kind_label(const char *k)
{
	static const char *const kinds[][2] = {
		{ "created", "Action point created" }, { "edited", "Description changed" },
		{ "status", "Status changed" }, { "lead", "Lead holder set" },
		{ "partner", "Partner set" }, { "holder_removed", "Holder removed" },
		{ "link", "Linked to another action point" }, { "unlink", "Link removed" },
		{ "milestone_added", "Milestone added" }, { "milestone_changed", "Milestone changed" },
		{ "milestone_removed", "Milestone removed" }, { "update", "Progress update posted" },
		{ "offer", "Offer to adopt" }, { "offer_accepted", "Offer accepted" },
		{ "offer_declined", "Offer declined" },
		{ "offer_confirmed", "Offer confirmed by the organisation" },
		{ "offer_refused", "Offer not confirmed by the organisation" },
		{ "published", "Published" }, { "archived", "Archived" }, { "restored", "Restored" },
	};
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(k, kinds[i][0]))
			return kinds[i][1];
	return k;
}

static const char *field_label(const char *f)
{
	static const char *const fields[][2] = {
		{ "title", "Title" }, { "theme", "Theme" }, { "problem", "The problem" },
		{ "status_quo", "The status quo" }, { "what", "What the action point will do" },
		{ "how_helps", "How that helps solve the problem" }, { "ambition", "Ambition" },
		{ "ogp_values", "OGP values" }, { "minimal", "Minimal variant" },
		{ "maximal", "Maximal variant" }, { "needs", "Still needed" },
		{ "starts_on", "Start date" }, { "ends_on", "End date" },
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (!strcmp(f, fields[i][0]))
			return fields[i][1];
	return f;
}

/* A version's detail for people: changed fields by their labels, a status
 * change as "Idea → Seeking a holder"; other details are names or titles. */
static const char *detail_text(app_req *q, const char *kind, const char *d)
{
	if (!strcmp(kind, "status")) {
		const char *gt = strchr(d, '>');
		if (!gt)
			return d;
		char *from = arena_strndup(q->a, d, (size_t)(gt - d));
		return arena_printf(q->a, "%s → %s", app_t(q, act_status_label(from ? from : "")),
		                    app_t(q, act_status_label(gt + 1)));
	}
	if (!strcmp(kind, "edited")) {
		sb b;
		sb_init(&b);
		for (const char *p = d; *p;) {
			const char *e = strchr(p, ',');
			char *f = arena_strndup(q->a, p, e ? (size_t)(e - p) : strlen(p));
			if (b.len)
				sb_puts(&b, ", ");
			sb_puts(&b, app_t(q, field_label(f ? f : "")));
			p = e ? e + 1 : p + strlen(p);
		}
		const char *r = arena_strdup(q->a, sb_str(&b));
		sb_free(&b);
		return r ? r : d;
	}
	return d;
}

void act_history_view(app_req *q, json_t *o, const act_version *v)
{
	time_t tt = (time_t)v->created_at;
	struct tm tm;
	char ymd[16], hm[8];
	gmtime_r(&tt, &tm);
	strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
	strftime(hm, sizeof hm, "%H:%M", &tm);
	json_object_set_new(o, "at_label", json_string(arena_printf(q->a, "%s %s UTC",
	                                                            app_date(q, ymd), hm)));
	json_object_set_new(o, "kind_label", json_string(app_t(q, kind_label(v->kind))));
	json_object_set_new(o, "who", json_string(*v->user_name ? v->user_name
	                                          : app_t(q, "the system")));
	json_object_set_new(o, "detail", json_string(detail_text(q, v->kind, v->detail)));
}
