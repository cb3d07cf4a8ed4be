/* act_pages.c — the public side of the action plan: the plan's action
 * points grouped by theme with filters (GET, no JavaScript), one action
 * point with everything about it, the state of all action points, the
 * printable document, and the account page's list of one's own offers
 * (and of offers waiting for one's confirmation). Drafts are seen only by
 * organisers (with a preview banner); archived action points stay
 * readable at their address. Every page is also JSON: the data of
 * act_data.c, without labels or people's names.
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "act.h"

bool act_is_organiser(app_req *q)
{
	return q->me && q->me->role >= ROLE_ORGANISER;
}

bool act_can_work(app_req *q, const act_point *p)
{
	if (!q->me || p->archived_at)
		return false;
	if (act_is_organiser(q))
		return true;
	return p->published_at && act_store_is_contact(q->app->db, p->id, q->me->id);
}

bool act_load(app_req *q, act_point *p)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? act_store_get(q->app->db, q->a, id, p) : STORE_NOTFOUND;
	if (rc == STORE_OK && !p->published_at && !act_is_organiser(q))
		rc = STORE_NOTFOUND; /* a draft: as if it did not exist */
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

void act_back(app_req *q, int64_t id, const char *where, const char *flash)
{
	app_redirect(q, arena_printf(q->a, "/actions/%lld%s", (long long)id, where), flash);
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

/* Loads the plan and, for each list pointer that is not NULL, the action
 * points of kinds `which`, their holders and milestones; answers the error
 * itself and returns false when one fails. */
static bool load_plan_lists(app_req *q, plan *pl, int which, act_point **ps, size_t *np,
                            act_holder **hs, size_t *nh, act_milestone **ms, size_t *nm)
{
	if (!load_plan(q, pl))
		return false;
	store_rc rc = STORE_OK;
	if (ps)
		rc = act_store_list(q->app->db, q->a, pl->id, which, ps, np);
	if (rc == STORE_OK && hs)
		rc = act_store_holders(q->app->db, q->a, 0, pl->id, which, hs, nh);
	if (rc == STORE_OK && ms)
		rc = act_store_milestones(q->app->db, q->a, 0, pl->id, which, ms, nm);
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

void act_plan(app_req *q)
{
	plan pl;
	act_point *ps;
	act_holder *hs;
	act_milestone *ms;
	size_t np, nh, nm;
	bool org = act_is_organiser(q);
	/* Organisers see the drafts too; everybody sees the archived ones
	 * apart, at the bottom. */
	int which = ACT_PUBLISHED | ACT_ARCHIVED | (org ? ACT_DRAFTS : 0);
	if (!load_plan_lists(q, &pl, which, &ps, &np, &hs, &nh, &ms, &nm))
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
	if (fv && !act_has_code("information,participation,accountability,technology", fv))
		fv = NULL;
	bool filtered = f_theme || holder || fs || fv;
	int today = act_today();

	json_t *groups = json_array(), *all = json_array(), *archived = json_array();
	size_t shown = 0, total = 0, drafts = 0;
	for (size_t t = 0; t < pl.nthemes; t++) {
		json_t *items = json_array();
		for (size_t i = 0; i < np; i++) {
			const act_point *p = &ps[i];
			if (p->theme_id != pl.themes[t].id)
				continue;
			if (p->archived_at) {
				if (!q->want_json)
					json_array_append_new(archived, json_pack("{s:I,s:s}", "id",
					                                          (json_int_t)p->id, "title",
					                                          p->title));
				continue;
			}
			total++;
			drafts += !p->published_at;
			if ((f_theme && p->theme_id != f_theme) || (fs && strcmp(p->status, fs)) ||
			    (fv && !act_has_code(p->ogp_values, fv)) ||
			    (holder && !holds(hs, nh, p->id, holder)))
				continue;
			json_t *o = act_summary_data(p, act_late_count(ms, nm, p->id, today), hs, nh);
			if (q->want_json) {
				json_array_append_new(all, o);
			} else {
				act_summary_view(q, o);
				json_array_append_new(items, o);
			}
			shown++;
		}
		if (json_array_size(items))
			json_array_append_new(groups, json_pack("{s:I,s:s,s:o}", "id",
			                                        (json_int_t)pl.themes[t].id, "name",
			                                        pl.themes[t].name, "points", items));
		else
			json_decref(items);
	}
	if (q->want_json) {
		json_decref(groups);
		json_decref(archived);
		app_json(q, 200, json_pack("{s:{s:I,s:s},s:i,s:i,s:o}", "plan", "id", (json_int_t)pl.id,
		                           "title", pl.title, "total", (int)total, "shown", (int)shown,
		                           "action_points", all));
		return;
	}
	json_decref(all);
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
	json_t *m = json_pack("{s:s,s:{s:I,s:s},s:o,s:i,s:i,s:b,s:{s:o,s:o,s:o,s:o},s:o}",
	                      "title", app_t(q, "Action points"), "plan", "id", (json_int_t)pl.id,
	                      "title", pl.title, "themes", groups, "shown", (int)shown, "total",
	                      (int)total, "filtered", filtered, "filters", "themes", themes,
	                      "statuses", act_status_options(q, fs), "holders", holders,
	                      "values", act_ogp_json(q, fv ? fv : "", true), "archived", archived);
	if (org) {
		act_offer *os;
		size_t no = 0;
		if (act_store_offers_open(q->app->db, q->a, &os, &no) != STORE_OK)
			no = 0;
		json_object_set_new(m, "can_edit", json_true());
		json_object_set_new(m, "open_offers", json_integer((json_int_t)no));
		json_object_set_new(m, "drafts", json_integer((json_int_t)drafts));
	}
	app_page(q, 200, "act_plan", m);
}

/* ---- one action point ---- */

void act_render(app_req *q, int status, int64_t id, const char *tpl)
{
	act_point p;
	act_holder *hs;
	act_milestone *ms;
	act_update *us;
	act_version *vs;
	act_link *ls;
	size_t nh = 0, nm = 0, nu = 0, nv = 0, nl = 0;
	bool org = act_is_organiser(q);
	store_rc rc = id ? act_store_get(q->app->db, q->a, id, &p) : STORE_NOTFOUND;
	if (rc == STORE_OK && !p.published_at && !org)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc = act_store_holders(q->app->db, q->a, id, 0, 0, &hs, &nh);
	if (rc == STORE_OK)
		rc = act_store_milestones(q->app->db, q->a, id, 0, 0, &ms, &nm);
	if (rc == STORE_OK)
		rc = act_store_updates(q->app->db, q->a, id, 0, 0, &us, &nu);
	if (rc == STORE_OK)
		rc = act_store_versions(q->app->db, q->a, id, org, &vs, &nv);
	if (rc == STORE_OK)
		rc = act_store_links(q->app->db, q->a, id, org, &ls, &nl);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	int today = act_today();
	json_t *pj = act_point_data(&p, today, hs, nh, ms, nm, us, nu, ls, nl, vs, nv);
	if (q->want_json && !form_failed(q)) {
		app_json(q, status, json_pack("{s:o}", "point", pj));
		return;
	}
	/* What the page shows beside the data. */
	act_summary_view(q, pj);
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(pj, "holders"), i, o)
		if (*hs[i].contact_name)
			json_object_set_new(o, "contact_name", json_string(hs[i].contact_name));
	json_array_foreach(json_object_get(pj, "milestones"), i, o)
		act_milestone_view(q, o);
	json_array_foreach(json_object_get(pj, "updates"), i, o)
		act_update_view(q, o, &us[i]);
	json_array_foreach(json_object_get(pj, "links"), i, o)
		json_object_set_new(o, "status_label", json_string(act_status_label(ls[i].status)));
	json_array_foreach(json_object_get(pj, "history"), i, o)
		act_history_view(q, o, &vs[i]);

	json_t *m = json_pack("{s:s,s:o}", "title", p.title, "point", pj);
	bool work = act_can_work(q, &p);
	json_object_set_new(m, "can_work", json_boolean(work));
	json_object_set_new(m, "can_edit", json_boolean(org));
	json_object_set_new(m, "can_offer", json_boolean(!strcmp(p.status, "seeking") &&
	                                                 p.published_at && !p.archived_at));
	json_object_set_new(m, "is_draft", json_boolean(!p.published_at));
	json_object_set_new(m, "is_archived", json_boolean(p.archived_at != 0));
	if (work)
		act_work_forms(q, m, pj, &p, today);
	if (!strcmp(tpl, "act_edit") && act_edit_extras(q, m, &p) != 0) {
		json_decref(m);
		app_store_error(q, STORE_ERROR);
		return;
	}
	if (form_failed(q))
		json_object_set_new(m, "errors", json_true());
	/* Sections that other features add to an action point's page (its
	 * sessions, reports, following it, the input that led to it) go here;
	 * the template shows them with {{#sections}}{{>* tpl}}{{/sections}}. */
	if (!q->want_json && !strcmp(tpl, "act_show"))
		app_sections(q, "action", id, m);
	app_page(q, status, tpl, m);
}

void act_show(app_req *q)
{
	act_render(q, 200, app_param_id(q, "id"), "act_show");
}

/* ---- the state of all action points ---- */

void act_state(app_req *q)
{
	plan pl;
	act_point *ps;
	act_milestone *ms;
	act_update *us;
	size_t np, nm, nu;
	if (!load_plan_lists(q, &pl, ACT_PUBLISHED, &ps, &np, NULL, NULL, &ms, &nm))
		return;
	store_rc rc = act_store_updates(q->app->db, q->a, 0, pl.id, 8, &us, &nu);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	bool view = !q->want_json;
	int today = act_today();
	json_t *counts = json_array();
	for (int s = 0; act_statuses[s]; s++) {
		int c = 0;
		for (size_t i = 0; i < np; i++)
			c += !strcmp(ps[i].status, act_statuses[s]);
		json_t *o = json_pack("{s:s,s:i}", "status", act_statuses[s], "count", c);
		if (view)
			json_object_set_new(o, "label", json_string(act_status_labels[s]));
		json_array_append_new(counts, o);
	}
	json_t *late = json_array(), *upcoming = json_array();
	int done = 0;
	for (size_t i = 0; i < nm; i++) {
		done += *ms[i].done_on != 0;
		if (*ms[i].done_on)
			continue;
		json_t *o = act_milestone_data(&ms[i], today);
		if (view)
			act_milestone_view(q, o);
		json_array_append_new(act_milestone_late(ms[i].due_on, ms[i].done_on, today) ? late
		                                                                           : upcoming, o);
	}
	json_t *uj = json_array();
	for (size_t i = 0; i < nu; i++) {
		json_t *o = act_update_data(&us[i]);
		if (view) {
			act_update_view(q, o, &us[i]);
			json_object_del(o, "author_name");
		}
		json_array_append_new(uj, o);
	}
	json_t *pj = json_array();
	int sum = 0;
	for (size_t i = 0; i < np; i++) {
		json_t *o = act_summary_data(&ps[i], act_late_count(ms, nm, ps[i].id, today), NULL, 0);
		sum += (int)json_integer_value(json_object_get(o, "progress"));
		if (view)
			act_summary_view(q, o);
		json_array_append_new(pj, o);
	}
	json_t *m = json_pack("{s:{s:I,s:s},s:i,s:o,s:i,s:i,s:i,s:o,s:o,s:o,s:o}", "plan", "id",
	                      (json_int_t)pl.id, "title", pl.title, "total", (int)np, "by_status",
	                      counts, "milestones_total", (int)nm, "milestones_done", done,
	                      "average_progress", np ? sum / (int)np : 0, "late_milestones", late,
	                      "open_milestones", upcoming, "recent_updates", uj, "action_points", pj);
	if (!view) {
		app_json(q, 200, m);
		return;
	}
	json_object_set_new(m, "title", json_string(app_t(q, "The state of all action points")));
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
	if (!load_plan_lists(q, &pl, ACT_PUBLISHED, &ps, &np, &hs, &nh, &ms, &nm))
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
			if (rc == STORE_OK)
				rc = act_store_links(q->app->db, q->a, p->id, false, &ls, &nl);
			if (rc != STORE_OK)
				nl = 0;
			json_t *o = act_point_data(p, today, hs, nh, NULL, 0, NULL, 0, ls, nl, NULL, 0);
			json_t *mj = json_object_get(o, "milestones");
			for (size_t k = 0; k < nm; k++)
				if (ms[k].action_id == p->id) {
					json_t *x = act_milestone_data(&ms[k], today);
					act_milestone_view(q, x);
					json_array_append_new(mj, x);
				}
			json_object_set_new(o, "late_milestones",
			                    json_integer(act_late_count(ms, nm, p->id, today)));
			act_summary_view(q, o);
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

/* ---- the account page's section ---- */

static const char *offer_status_label(const act_offer *o)
{
	if (!strcmp(o->status, "accepted"))
		return "Accepted";
	if (!strcmp(o->confirmation, "refused"))
		return "Not confirmed by the organisation";
	if (!strcmp(o->status, "declined"))
		return "Declined";
	if (!strcmp(o->confirmation, "pending"))
		return "Waiting for your organisation to confirm";
	return "Waiting for an answer";
}

json_t *act_account_offers(app_req *q)
{
	act_offer *os, *cs;
	size_t n, nc;
	if (!q->me || act_store_offers(q->app->db, q->a, 0, q->me->id, &os, &n) != STORE_OK ||
	    act_store_offers_to_confirm(q->app->db, q->a, q->me->id, &cs, &nc) != STORE_OK)
		return json_pack("{s:[],s:[]}", "mine", "to_confirm");
	json_t *mine = json_array(), *confirm = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)os[i].id,
		                      "action_id", (json_int_t)os[i].action_id, "action_title",
		                      os[i].action_title, "org_name", os[i].org_name, "role",
		                      os[i].role, "status", os[i].status, "reason", os[i].reason);
		if (!q->want_json) {
			json_object_set_new(o, "role_label", json_string(app_t(q, act_role_label(os[i].role))));
			json_object_set_new(o, "status_label", json_string(app_t(q, offer_status_label(&os[i]))));
		}
		json_array_append_new(mine, o);
	}
	for (size_t i = 0; i < nc; i++)
		json_array_append_new(confirm, json_pack("{s:I,s:I,s:s,s:s}", "id", (json_int_t)cs[i].id,
		                                         "action_id", (json_int_t)cs[i].action_id,
		                                         "action_title", cs[i].action_title,
		                                         "org_name", cs[i].org_name));
	return json_pack("{s:o,s:o}", "mine", mine, "to_confirm", confirm);
}
