/* act_pages.c — the public side of the action plan: the plan's action
 * points grouped by theme with filters (GET, no JavaScript), one action
 * point with everything about it, the state of all action points, the
 * printable document, CSV exports, and the account page's list of one's
 * own adoption offers. Every page is also JSON from the same model; JSON
 * leaves out people's names (contact persons, authors, who changed what).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "act.h"

static const char *const statuses[] = { "idea", "seeking", "adopted", "in_progress",
	                                "completed", "stopped", NULL };
static const char *const status_labels[] = { "Idea", "Seeking a holder", "Adopted",
	                                     "In progress", "Completed", "Stopped" };

const char *act_status_label(const char *status)
{
	for (int i = 0; statuses[i]; i++)
		if (!strcmp(status, statuses[i]))
			return status_labels[i];
	return status;
}

json_t *act_status_options(app_req *q, const char *selected, bool any)
{
	json_t *a = json_array();
	if (any)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", "", "label",
		                                   app_t(q, "All statuses"), "selected",
		                                   !selected || !*selected));
	for (int i = 0; statuses[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", statuses[i], "label",
		                                   app_t(q, status_labels[i]), "selected",
		                                   selected && !strcmp(selected, statuses[i])));
	return a;
}

static const char *const ogp_codes[] = { "information", "participation", "accountability",
	                                 "technology", NULL };

static const char *ogp_label(app_req *q, const char *code)
{
	if (!strcmp(code, "information"))
		return app_t(q, "Access to information");
	if (!strcmp(code, "participation"))
		return app_t(q, "Civic participation");
	if (!strcmp(code, "accountability"))
		return app_t(q, "Public accountability");
	if (!strcmp(code, "technology"))
		return app_t(q, "Technology and innovation for openness and accountability");
	return code;
}

static bool has_code(const char *codes, const char *code)
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

json_t *act_ogp_json(app_req *q, const char *codes, bool all)
{
	json_t *a = json_array();
	for (int i = 0; ogp_codes[i]; i++) {
		bool on = has_code(codes, ogp_codes[i]);
		if (all || on)
			json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", ogp_codes[i],
			                                   "label", ogp_label(q, ogp_codes[i]),
			                                   "selected", on));
	}
	return a;
}

static const char *kind_label(app_req *q, const char *k)
{
	if (!strcmp(k, "created")) return app_t(q, "Action point created");
	if (!strcmp(k, "edited")) return app_t(q, "Description changed");
	if (!strcmp(k, "status")) return app_t(q, "Status changed");
	if (!strcmp(k, "lead")) return app_t(q, "Lead holder set");
	if (!strcmp(k, "partner")) return app_t(q, "Partner set");
	if (!strcmp(k, "holder_removed")) return app_t(q, "Holder removed");
	if (!strcmp(k, "link")) return app_t(q, "Linked to another action point");
	if (!strcmp(k, "unlink")) return app_t(q, "Link removed");
	if (!strcmp(k, "milestone_added")) return app_t(q, "Milestone added");
	if (!strcmp(k, "milestone_changed")) return app_t(q, "Milestone changed");
	if (!strcmp(k, "milestone_removed")) return app_t(q, "Milestone removed");
	if (!strcmp(k, "update")) return app_t(q, "Progress update posted");
	if (!strcmp(k, "offer")) return app_t(q, "Offer to adopt");
	if (!strcmp(k, "offer_accepted")) return app_t(q, "Offer accepted");
	if (!strcmp(k, "offer_declined")) return app_t(q, "Offer declined");
	return k;
}

static const char *field_label(app_req *q, const char *f)
{
	if (!strcmp(f, "title")) return app_t(q, "Title");
	if (!strcmp(f, "theme")) return app_t(q, "Theme");
	if (!strcmp(f, "problem")) return app_t(q, "The problem");
	if (!strcmp(f, "status_quo")) return app_t(q, "The status quo");
	if (!strcmp(f, "what")) return app_t(q, "What the action point will do");
	if (!strcmp(f, "how_helps")) return app_t(q, "How that helps solve the problem");
	if (!strcmp(f, "ambition")) return app_t(q, "Ambition");
	if (!strcmp(f, "ogp_values")) return app_t(q, "OGP values");
	if (!strcmp(f, "minimal")) return app_t(q, "Minimal variant");
	if (!strcmp(f, "maximal")) return app_t(q, "Maximal variant");
	if (!strcmp(f, "needs")) return app_t(q, "Still needed");
	if (!strcmp(f, "starts_on")) return app_t(q, "Start date");
	if (!strcmp(f, "ends_on")) return app_t(q, "End date");
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
		return arena_printf(q->a, "%s → %s", app_t(q, act_status_label(from)),
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
			sb_puts(&b, field_label(q, f));
			p = e ? e + 1 : p + strlen(p);
		}
		const char *r = arena_strdup(q->a, sb_str(&b));
		sb_free(&b);
		return r;
	}
	return d;
}

static const char *role_label(app_req *q, const char *r)
{
	return !strcmp(r, "lead") ? app_t(q, "Lead holder") : app_t(q, "Partner");
}

static const char *offer_status_label(app_req *q, const char *s)
{
	if (!strcmp(s, "accepted"))
		return app_t(q, "Accepted");
	if (!strcmp(s, "declined"))
		return app_t(q, "Declined");
	return app_t(q, "Waiting for an answer");
}

static const char *when_label(app_req *q, int64_t t)
{
	char ymd[16], hm[8];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
	strftime(hm, sizeof hm, "%H:%M", &tm);
	return arena_printf(q->a, "%s %s UTC", app_date(q, ymd), hm);
}

static const char *iso_time(app_req *q, int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(q->a, buf);
}

bool act_can_work(app_req *q, int64_t action_id)
{
	if (!q->me)
		return false;
	return q->me->role >= ROLE_ORGANISER || act_store_is_contact(q->app->db, action_id, q->me->id);
}

/* A point in a list: enough for the plan page and the document's header. */
static json_t *point_summary(app_req *q, const act_point *p, int late)
{
	int progress = act_progress(p->status, p->percent, p->milestones, p->milestones_done);
	json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:o,s:s,s:s}",
	                      "id", (json_int_t)p->id, "title", p->title, "theme_id",
	                      (json_int_t)p->theme_id, "theme", p->theme_name, "status", p->status,
	                      "status_label", act_status_label(p->status), "progress", progress,
	                      "milestones_total", p->milestones, "milestones_done", p->milestones_done,
	                      "late_milestones", late, "ogp_values", act_ogp_json(q, p->ogp_values, false),
	                      "starts_on", p->starts_on, "ends_on", p->ends_on);
	json_object_set_new(o, "lead", p->lead_org_id
		? json_pack("{s:I,s:s}", "id", (json_int_t)p->lead_org_id, "name", p->lead_name)
		: json_null());
	json_object_set_new(o, "is_seeking", json_boolean(!strcmp(p->status, "seeking")));
	json_object_set_new(o, "is_stopped", json_boolean(!strcmp(p->status, "stopped")));
	if (!strcmp(p->status, "stopped"))
		json_object_set_new(o, "stop_reason", json_string(p->stop_reason));
	return o;
}

static json_t *holders_json(app_req *q, const act_holder *h, size_t n, int64_t action_id)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		if (action_id && h[i].action_id != action_id)
			continue;
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:b}", "org_id", (json_int_t)h[i].org_id,
		                      "org_name", h[i].org_name, "role", h[i].role, "role_label",
		                      role_label(q, h[i].role), "is_lead", !strcmp(h[i].role, "lead"));
		if (!q->want_json && *h[i].contact_name)
			json_object_set_new(o, "contact_name", json_string(h[i].contact_name));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *milestone_json(app_req *q, const act_milestone *m, int today)
{
	bool late = act_milestone_late(m->due_on, m->done_on, today);
	bool done = *m->done_on != 0;
	int due, fin;
	bool done_late = done && text_parse_date(m->due_on, &due) &&
	                 text_parse_date(m->done_on, &fin) && fin > due;
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:s}",
	                 "id", (json_int_t)m->id, "action_id", (json_int_t)m->action_id, "title",
	                 m->title, "output", m->output, "due_on", m->due_on, "due_label",
	                 app_date(q, m->due_on), "done_on", m->done_on, "done_label",
	                 app_date(q, m->done_on), "action_title", m->action_title, "late", late,
	                 "done", done, "done_late", done_late, "state",
	                 done ? "done" : late ? "late" : "open");
}

static json_t *update_json(app_req *q, const act_update *u)
{
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:i,s:s}", "id", (json_int_t)u->id,
	                      "action_id", (json_int_t)u->action_id, "action_title", u->action_title,
	                      "posted_on", u->posted_on, "posted_label", app_date(q, u->posted_on),
	                      "body", u->body, "percent", u->percent, "evidence_url", u->evidence_url);
	if (!q->want_json) {
		sb h;
		sb_init(&h);
		if (web_markdown(&h, u->body) == 0)
			json_object_set_new(o, "body_html", json_string(sb_str(&h)));
		sb_free(&h);
		if (*u->author_name)
			json_object_set_new(o, "author_name", json_string(u->author_name));
	}
	return o;
}

/* ---- the action plan page ---- */

static bool load_plan(app_req *q, plan *p)
{
	store_rc rc = store_plan_main(q->app->db, q->a, p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

/* Loads the plan and, for each list pointer that is not NULL, all its action
 * points, holders and milestones; answers the error itself and returns
 * false when one fails. */
static bool load_plan_lists(app_req *q, plan *pl, act_point **ps, size_t *np, act_holder **hs,
                            size_t *nh, act_milestone **ms, size_t *nm)
{
	if (!load_plan(q, pl))
		return false;
	store_rc rc = STORE_OK;
	if (ps)
		rc = act_store_list(q->app->db, q->a, pl->id, ps, np);
	if (rc == STORE_OK && hs)
		rc = act_store_holders(q->app->db, q->a, 0, pl->id, hs, nh);
	if (rc == STORE_OK && ms)
		rc = act_store_milestones(q->app->db, q->a, 0, pl->id, ms, nm);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

static bool holds(const act_holder *h, size_t n, int64_t action_id, int64_t org_id)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].action_id == action_id && h[i].org_id == org_id)
			return true;
	return false;
}

static int late_count(const act_milestone *ms, size_t n, int64_t action_id, int today)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += ms[i].action_id == action_id && act_milestone_late(ms[i].due_on, ms[i].done_on, today);
	return c;
}

void act_plan(app_req *q)
{
	plan pl;
	act_point *ps;
	act_holder *hs;
	act_milestone *ms;
	size_t np, nh, nm;
	if (!load_plan_lists(q, &pl, &ps, &np, &hs, &nh, &ms, &nm))
		return;
	/* Filters from the query string; a value that is not valid filters nothing. */
	long long f_theme = 0, holder = 0;
	const char *fs = http_query(q->r, "status"), *fv = http_query(q->r, "value");
	const char *ft = http_query(q->r, "theme"), *fh = http_query(q->r, "holder");
	if (ft && *ft && !text_parse_int(ft, 1, INT64_MAX, &f_theme))
		f_theme = 0;
	if (fh && *fh && !text_parse_int(fh, 1, INT64_MAX, &holder))
		holder = 0;
	if (fs && !act_status_valid(fs))
		fs = NULL;
	if (fv && !has_code("information,participation,accountability,technology", fv))
		fv = NULL;
	bool filtered = f_theme || holder || fs || fv;
	int today = act_today();

	json_t *groups = json_array(), *all = json_array();
	size_t shown = 0;
	for (size_t t = 0; t < pl.nthemes; t++) {
		json_t *items = json_array();
		for (size_t i = 0; i < np; i++) {
			const act_point *p = &ps[i];
			if (p->theme_id != pl.themes[t].id)
				continue;
			if ((f_theme && p->theme_id != f_theme) || (fs && strcmp(p->status, fs)) ||
			    (fv && !has_code(p->ogp_values, fv)) ||
			    (holder && !holds(hs, nh, p->id, holder)))
				continue;
			json_t *o = point_summary(q, p, late_count(ms, nm, p->id, today));
			json_object_set_new(o, "holders", holders_json(q, hs, nh, p->id));
			json_array_append(items, o);
			json_array_append_new(all, o);
			shown++;
		}
		if (json_array_size(items))
			json_array_append_new(groups, json_pack("{s:I,s:s,s:o}", "id",
			                                        (json_int_t)pl.themes[t].id, "name",
			                                        pl.themes[t].name, "points", items));
		else
			json_decref(items);
	}
	/* Options for the filters. */
	json_t *themes = json_array();
	for (size_t t = 0; t < pl.nthemes; t++)
		json_array_append_new(themes, json_pack("{s:I,s:s,s:b}", "value",
		                                        (json_int_t)pl.themes[t].id, "label",
		                                        pl.themes[t].name, "selected",
		                                        pl.themes[t].id == f_theme));
	json_t *holders = json_array();
	for (size_t i = 0; i < nh; i++) {
		bool seen = false;
		for (size_t k = 0; k < i; k++)
			seen = seen || hs[k].org_id == hs[i].org_id;
		if (!seen)
			json_array_append_new(holders, json_pack("{s:I,s:s,s:b}", "value",
			                                         (json_int_t)hs[i].org_id, "label",
			                                         hs[i].org_name, "selected",
			                                         hs[i].org_id == holder));
	}
	json_t *values = act_ogp_json(q, fv ? fv : "", true);
	json_t *m = json_pack("{s:s,s:{s:I,s:s},s:o,s:i,s:i,s:b,s:{s:o,s:o,s:o,s:o}}",
	                      "title", app_t(q, "Action points"), "plan", "id", (json_int_t)pl.id,
	                      "title", pl.title, "themes", groups, "shown", (int)shown, "total",
	                      (int)np, "filtered", filtered, "filters", "themes", themes,
	                      "statuses", act_status_options(q, fs, false), "holders", holders,
	                      "values", values);
	if (q->want_json) {
		/* The API: one flat list. */
		json_object_del(m, "themes");
		json_object_del(m, "filters");
		json_object_set_new(m, "action_points", all);
	} else {
		json_decref(all);
	}
	if (q->me && q->me->role >= ROLE_ORGANISER)
		json_object_set_new(m, "can_edit", json_true());
	app_page(q, 200, "act_plan", m);
}

/* ---- one action point ---- */

void act_render(app_req *q, int status, int64_t id, const char *tpl, const act_focus *f)
{
	act_point p;
	act_holder *hs;
	act_milestone *ms;
	act_update *us;
	act_version *vs;
	act_link *ls;
	size_t nh = 0, nm = 0, nu = 0, nv = 0, nl = 0;
	store_rc rc = id ? act_store_get(q->app->db, q->a, id, &p) : STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc = act_store_holders(q->app->db, q->a, id, 0, &hs, &nh);
	if (rc == STORE_OK)
		rc = act_store_milestones(q->app->db, q->a, id, 0, &ms, &nm);
	if (rc == STORE_OK)
		rc = act_store_updates(q->app->db, q->a, id, 0, 0, &us, &nu);
	if (rc == STORE_OK)
		rc = act_store_versions(q->app->db, q->a, id, &vs, &nv);
	if (rc == STORE_OK)
		rc = act_store_links(q->app->db, q->a, id, &ls, &nl);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	int today = act_today();
	json_t *pj = point_summary(q, &p, late_count(ms, nm, p.id, today));
	json_t *more = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "problem",
	                         p.problem, "status_quo", p.status_quo, "what", p.what, "how_helps",
	                         p.how_helps, "ambition", p.ambition, "minimal", p.minimal,
	                         "maximal", p.maximal, "needs", p.needs, "starts_label",
	                         app_date(q, p.starts_on), "ends_label", app_date(q, p.ends_on),
	                         "stop_reason", p.stop_reason);
	json_object_update(pj, more);
	json_decref(more);
	json_object_set_new(pj, "holders", holders_json(q, hs, nh, 0));
	json_t *mj = json_array();
	bool edit_ms = f && f->form && !strcmp(f->kind, "milestone");
	for (size_t i = 0; i < nm; i++) {
		json_t *o = milestone_json(q, &ms[i], today);
		/* Each milestone carries its own edit form for holders. */
		json_t *form = edit_ms && f->id == ms[i].id ? json_incref(f->form)
			: json_pack("{s:s,s:s,s:s,s:s}", "title", ms[i].title, "output", ms[i].output,
			            "due_on", ms[i].due_on, "done_on", ms[i].done_on);
		json_t *err = edit_ms && f->id == ms[i].id ? json_incref(f->errors) : json_object();
		if (!q->want_json)
			json_object_set_new(o, "edit", json_pack("{s:o,s:o}", "form", form, "errors", err));
		else {
			json_decref(form);
			json_decref(err);
		}
		json_array_append_new(mj, o);
	}
	json_object_set_new(pj, "milestones", mj);
	json_t *uj = json_array();
	for (size_t i = 0; i < nu; i++)
		json_array_append_new(uj, update_json(q, &us[i]));
	json_object_set_new(pj, "updates", uj);
	json_t *lj = json_array();
	for (size_t i = 0; i < nl; i++)
		json_array_append_new(lj, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)ls[i].id,
		                                    "title", ls[i].title, "status", ls[i].status,
		                                    "status_label", act_status_label(ls[i].status)));
	json_object_set_new(pj, "links", lj);
	json_t *hj = json_array();
	for (size_t i = 0; i < nv; i++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "at", iso_time(q, vs[i].created_at),
		                      "at_label", when_label(q, vs[i].created_at), "kind", vs[i].kind,
		                      "kind_label", kind_label(q, vs[i].kind), "detail", vs[i].detail);
		if (!q->want_json) {
			json_object_set_new(o, "who", json_string(*vs[i].user_name ? vs[i].user_name
			                                          : app_t(q, "the system")));
			json_object_set_new(o, "detail", json_string(detail_text(q, vs[i].kind,
			                                                         vs[i].detail)));
		}
		json_array_append_new(hj, o);
	}
	json_object_set_new(pj, "history", hj);

	json_t *m = json_pack("{s:s,s:o}", "title", p.title, "point", pj);
	if (!q->want_json) {
		bool work = act_can_work(q, id);
		bool org = q->me && q->me->role >= ROLE_ORGANISER;
		json_object_set_new(m, "can_work", json_boolean(work));
		json_object_set_new(m, "can_edit", json_boolean(org));
		json_object_set_new(m, "can_offer", json_boolean(!strcmp(p.status, "seeking")));
		if (work) {
			bool nms = f && f->form && !strcmp(f->kind, "new_milestone");
			bool upd = f && f->form && !strcmp(f->kind, "update");
			json_object_set_new(m, "new_milestone", json_pack(
				"{s:o,s:o}", "form", nms ? json_incref(f->form) : json_object(), "errors",
				nms ? json_incref(f->errors) : json_object()));
			char today_s[16];
			snprintf(today_s, sizeof today_s, "%04d-%02d-%02d", today / 10000,
			         today / 100 % 100, today % 100);
			json_t *uf = upd ? json_incref(f->form)
				: json_pack("{s:s,s:i}", "posted_on", today_s, "percent",
				            act_progress(p.status, p.percent, p.milestones, p.milestones_done));
			json_object_set_new(m, "new_update", json_pack(
				"{s:o,s:o}", "form", uf, "errors", upd ? json_incref(f->errors) : json_object()));
			if (nms || upd || edit_ms)
				json_object_set_new(m, "errors", json_true());
		}
		if (!strcmp(tpl, "act_edit") && act_edit_extras(q, m, &p, f) != 0) {
			json_decref(m);
			app_store_error(q, STORE_ERROR);
			return;
		}
	}
	app_page(q, status, tpl, m);
}

void act_show(app_req *q)
{
	act_render(q, 200, app_param_id(q, "id"), "act_show", NULL);
}

/* ---- the state of all action points ---- */

void act_state(app_req *q)
{
	plan pl;
	act_point *ps;
	act_milestone *ms;
	act_update *us;
	size_t np, nm, nu;
	if (!load_plan_lists(q, &pl, &ps, &np, NULL, NULL, &ms, &nm))
		return;
	store_rc rc = act_store_updates(q->app->db, q->a, 0, pl.id, 8, &us, &nu);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	int today = act_today();
	json_t *counts = json_array();
	for (int s = 0; statuses[s]; s++) {
		int c = 0;
		for (size_t i = 0; i < np; i++)
			c += !strcmp(ps[i].status, statuses[s]);
		json_array_append_new(counts, json_pack("{s:s,s:s,s:i}", "status", statuses[s],
		                                        "label", status_labels[s], "count", c));
	}
	json_t *late = json_array(), *upcoming = json_array();
	int done = 0;
	for (size_t i = 0; i < nm; i++) {
		done += *ms[i].done_on != 0;
		if (act_milestone_late(ms[i].due_on, ms[i].done_on, today))
			json_array_append_new(late, milestone_json(q, &ms[i], today));
		else if (!*ms[i].done_on)
			json_array_append_new(upcoming, milestone_json(q, &ms[i], today));
	}
	json_t *uj = json_array();
	for (size_t i = 0; i < nu; i++)
		json_array_append_new(uj, update_json(q, &us[i]));
	json_t *pj = json_array();
	int sum = 0;
	for (size_t i = 0; i < np; i++) {
		json_t *o = point_summary(q, &ps[i], late_count(ms, nm, ps[i].id, today));
		sum += (int)json_integer_value(json_object_get(o, "progress"));
		json_array_append_new(pj, o);
	}
	json_t *m = json_pack("{s:s,s:{s:I,s:s},s:i,s:o,s:i,s:i,s:i,s:o,s:o,s:o,s:o}", "title",
	                      app_t(q, "The state of all action points"), "plan", "id",
	                      (json_int_t)pl.id, "title", pl.title, "total", (int)np, "by_status",
	                      counts, "milestones_total", (int)nm, "milestones_done", done,
	                      "average_progress", np ? sum / (int)np : 0, "late_milestones", late,
	                      "open_milestones", upcoming, "recent_updates", uj, "action_points", pj);
	app_page(q, 200, "act_state", m);
}

/* ---- the whole plan as one document ---- */

void act_document(app_req *q)
{
	plan pl;
	act_point *ps;
	act_holder *hs;
	act_milestone *ms;
	act_link *ls;
	size_t np, nh, nm, nl;
	if (!load_plan_lists(q, &pl, &ps, &np, &hs, &nh, &ms, &nm))
		return;
	store_rc rc = STORE_OK;
	int today = act_today();
	json_t *groups = json_array();
	for (size_t t = 0; t < pl.nthemes; t++) {
		json_t *items = json_array();
		for (size_t i = 0; i < np; i++) {
			const act_point *p = &ps[i];
			if (p->theme_id != pl.themes[t].id)
				continue;
			json_t *o = point_summary(q, p, late_count(ms, nm, p->id, today));
			json_t *more = json_pack(
				"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "problem", p->problem,
				"status_quo", p->status_quo, "what", p->what, "how_helps", p->how_helps,
				"ambition", p->ambition, "minimal", p->minimal, "maximal", p->maximal,
				"needs", p->needs, "starts_label", app_date(q, p->starts_on),
				"ends_label", app_date(q, p->ends_on));
			json_object_update(o, more);
			json_decref(more);
			json_object_set_new(o, "holders", holders_json(q, hs, nh, p->id));
			json_t *mj = json_array();
			for (size_t k = 0; k < nm; k++)
				if (ms[k].action_id == p->id)
					json_array_append_new(mj, milestone_json(q, &ms[k], today));
			json_object_set_new(o, "milestones", mj);
			rc = act_store_links(q->app->db, q->a, p->id, &ls, &nl);
			json_t *lj = json_array();
			for (size_t k = 0; rc == STORE_OK && k < nl; k++)
				json_array_append_new(lj, json_pack("{s:I,s:s}", "id", (json_int_t)ls[k].id,
				                                    "title", ls[k].title));
			json_object_set_new(o, "links", lj);
			json_array_append_new(items, o);
		}
		if (json_array_size(items))
			json_array_append_new(groups, json_pack("{s:s,s:s,s:o}", "name", pl.themes[t].name,
			                                        "description", pl.themes[t].description,
			                                        "points", items));
		else
			json_decref(items);
	}
	if (rc != STORE_OK) {
		json_decref(groups);
		app_store_error(q, rc);
		return;
	}
	json_t *m = json_pack("{s:s,s:{s:I,s:s,s:s,s:s,s:s},s:o,s:i}", "title", pl.title, "plan",
	                      "id", (json_int_t)pl.id, "title", pl.title, "description",
	                      pl.description, "period_start_label", app_date(q, pl.period_start),
	                      "period_end_label", app_date(q, pl.period_end), "themes", groups,
	                      "total", (int)np);
	app_page(q, 200, "act_document", m);
}

/* ---- CSV ---- */

static void csv_answer(app_req *q, sb *b, const char *name)
{
	q->s->status = 200;
	q->s->content_type = "text/csv; charset=utf-8";
	http_resp_header(q->r, q->s, "Content-Disposition",
	                 arena_printf(q->a, "attachment; filename=\"%s\"", name));
	sb_free(&q->s->body);
	q->s->body = *b;
	if (sb_failed(&q->s->body)) {
		sb_init(&q->s->body);
		app_error(q, 500, "Something went wrong on our side. Please try again later.");
	}
}

static void csv_row(sb *b, const char *const *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(b, ',');
		act_csv_field(b, f[i]);
	}
	sb_puts(b, "\r\n");
}

void act_csv_points(app_req *q)
{
	plan pl;
	act_point *ps;
	act_holder *hs;
	size_t np, nh;
	if (!load_plan_lists(q, &pl, &ps, &np, &hs, &nh, NULL, NULL))
		return;
	sb b;
	sb_init(&b);
	static const char *const head[] = { "id", "theme", "title", "status", "stop_reason",
		"lead_holder", "partners", "ogp_values", "starts_on", "ends_on", "progress_percent",
		"milestones", "milestones_done", "problem", "status_quo", "what", "how_helps",
		"ambition", "minimal_variant", "maximal_variant", "needs" };
	csv_row(&b, head, sizeof head / sizeof *head);
	for (size_t i = 0; i < np; i++) {
		const act_point *p = &ps[i];
		sb partners;
		sb_init(&partners);
		for (size_t k = 0; k < nh; k++)
			if (hs[k].action_id == p->id && !strcmp(hs[k].role, "partner")) {
				if (partners.len)
					sb_puts(&partners, "; ");
				sb_puts(&partners, hs[k].org_name);
			}
		const char *f[] = {
			arena_printf(q->a, "%lld", (long long)p->id), p->theme_name, p->title, p->status,
			p->stop_reason, p->lead_name, arena_strdup(q->a, sb_str(&partners)),
			p->ogp_values, p->starts_on, p->ends_on,
			arena_printf(q->a, "%d", act_progress(p->status, p->percent, p->milestones,
			                                      p->milestones_done)),
			arena_printf(q->a, "%d", p->milestones), arena_printf(q->a, "%d", p->milestones_done),
			p->problem, p->status_quo, p->what, p->how_helps, p->ambition, p->minimal,
			p->maximal, p->needs };
		sb_free(&partners);
		csv_row(&b, f, sizeof f / sizeof *f);
	}
	csv_answer(q, &b, "action-points.csv");
}

void act_csv_milestones(app_req *q)
{
	plan pl;
	act_milestone *ms;
	size_t nm;
	if (!load_plan_lists(q, &pl, NULL, NULL, NULL, NULL, &ms, &nm))
		return;
	int today = act_today();
	sb b;
	sb_init(&b);
	static const char *const head[] = { "id", "action_point_id", "action_point", "title",
		                            "expected_output", "due_on", "done_on", "late" };
	csv_row(&b, head, sizeof head / sizeof *head);
	for (size_t i = 0; i < nm; i++) {
		const char *f[] = { arena_printf(q->a, "%lld", (long long)ms[i].id),
			arena_printf(q->a, "%lld", (long long)ms[i].action_id), ms[i].action_title,
			ms[i].title, ms[i].output, ms[i].due_on, ms[i].done_on,
			act_milestone_late(ms[i].due_on, ms[i].done_on, today) ? "yes" : "no" };
		csv_row(&b, f, sizeof f / sizeof *f);
	}
	csv_answer(q, &b, "milestones.csv");
}

/* ---- the account page's section ---- */

json_t *act_account_offers(app_req *q)
{
	act_offer *os;
	size_t n;
	if (!q->me || act_store_offers(q->app->db, q->a, 0, q->me->id, &os, &n) != STORE_OK)
		return json_array();
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack(
			"{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b}", "id", (json_int_t)os[i].id,
			"action_id", (json_int_t)os[i].action_id, "action_title", os[i].action_title,
			"org_name", os[i].org_name, "role_label", role_label(q, os[i].role), "status",
			os[i].status, "status_label", offer_status_label(q, os[i].status), "reason",
			os[i].reason, "accepted", !strcmp(os[i].status, "accepted"), "declined",
			!strcmp(os[i].status, "declined")));
	return a;
}
