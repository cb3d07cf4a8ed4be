/* monitor_forum.c — the stakeholder forum: its public page (/forum: the
 * members with their organisation and sector, the composition computed
 * live against the forum's rule, the members who also hold an action
 * point, the meetings with their reports and the cadence warnings, the
 * rules of procedure), the rules' versions (/forum/rules), and the
 * organisers' page (/forum/edit) with its forms: members, the rule and
 * cadence settings, a new version of the rules. Every page is also JSON,
 * without people's names.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "../agenda/agenda.h"
#include "monitor.h"

static void member_check(app_req *q);
static void edit_reshow(app_req *q);

static const char *const sectors[] = { "government", "civil_society", "business", "academia",
	                               "other", NULL };
static const char *const sector_names[] = { "Government", "Civil society", "Business",
	                                    "Academia", "Other", NULL };

/* Written out twice, not through a macro: tests/po_check.sh reads the
 * labels from the tables themselves. */
static const form_field member_new_fields[] = {
	{ "email", F_EMAIL, true, 254, .label = "E-mail address of the person",
	  .help = "They need an account; the address is never shown.", .autocomplete = "off" },
	{ "org_id", F_ID, true, 20, .label = "Organisation",
	  .help = "The organisation the person is a member for." },
	{ "role", F_CHOICE, true, 10, monitor_member_roles, .label = "Role in the forum",
	  .choice_labels = monitor_member_role_labels,
	  .help = "Observers are not counted in the composition." },
	{ "from_on", F_DATE, true, 10, .label = "Member from" },
	{ "until_on", F_DATE, false, 10, .label = "Member until",
	  .help = "Leave empty while the membership runs." },
};
static const form_field member_fields[] = {
	{ "org_id", F_ID, true, 20, .label = "Organisation",
	  .help = "The organisation the person is a member for." },
	{ "role", F_CHOICE, true, 10, monitor_member_roles, .label = "Role in the forum",
	  .choice_labels = monitor_member_role_labels,
	  .help = "Observers are not counted in the composition." },
	{ "from_on", F_DATE, true, 10, .label = "Member from" },
	{ "until_on", F_DATE, false, 10, .label = "Member until",
	  .help = "Leave empty while the membership runs." },
};
const form_def monitor_member_new_form = FORM_DEF("new-member", member_new_fields, member_check,
                                                  edit_reshow);
const form_def monitor_member_form = FORM_DEF("member", member_fields, member_check, edit_reshow);

static const form_field settings_fields[] = {
	{ "min_nongov", F_INT, true, 100, .min = 0, .label = "At least this percentage from "
	  "outside government", .help = "Of the chair and the members; observers do not count." },
	{ "meetings_per_year", F_INT, true, 12, .min = 2, .label = "Meetings a year by the forum's "
	  "own rule", .help = "The OGP asks for at least one meeting every six months." },
};
const form_def monitor_settings_form = FORM_DEF("forum-settings", settings_fields, NULL,
                                                edit_reshow);

static const form_field rules_fields[] = {
	{ "body", F_MULTILINE, true, 20000, .label = "Rules of procedure",
	  .help = "You may use Markdown: headings with #, lists with - and links like "
	          "[text](https://example.nl)." },
	{ "note", F_TEXT, false, 300, .label = "What changed in this version" },
};
const form_def monitor_rules_form = FORM_DEF("rules", rules_fields, NULL, edit_reshow);

/* ---- the forum's data ---- */

typedef struct forum_data {
	plan pl;
	monitor_forum f;
	monitor_member *ms;
	size_t nm;
	act_holder *hs;
	size_t nh;
	act_point *ps;
	size_t np;
	monitor_meeting *mt;
	size_t nmt;
	monitor_rules *rules;
	size_t nrules;
} forum_data;

static store_rc load_forum(app_req *q, forum_data *d)
{
	store *s = q->app->db;
	store_rc rc = store_plan_main(s, q->a, &d->pl);
	if (rc == STORE_OK)
		rc = monitor_store_forum(s, d->pl.id, &d->f);
	if (rc == STORE_OK)
		rc = monitor_store_members(s, q->a, d->pl.id, &d->ms, &d->nm);
	if (rc == STORE_OK)
		rc = act_store_holders(s, q->a, 0, d->pl.id, ACT_PUBLISHED, &d->hs, &d->nh);
	if (rc == STORE_OK)
		rc = act_store_list(s, q->a, d->pl.id, ACT_PUBLISHED, &d->ps, &d->np);
	if (rc == STORE_OK)
		rc = monitor_store_meetings(s, q->a, d->pl.id, &d->mt, &d->nmt);
	if (rc == STORE_OK)
		rc = monitor_store_rules(s, q->a, d->pl.id, &d->rules, &d->nrules);
	return rc;
}

static const char *point_title(const forum_data *d, int64_t id)
{
	for (size_t i = 0; i < d->np; i++)
		if (d->ps[i].id == id)
			return d->ps[i].title;
	return "";
}

/* Action points of which user is a holder's contact person (action ids
 * into out, at most max); or, with org, of which org is a holder. */
static size_t holdings(const forum_data *d, int64_t user_id, int64_t org_id, int64_t *out,
                       size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < d->nh && n < max; i++) {
		if ((user_id && d->hs[i].contact_id == user_id) || (org_id && d->hs[i].org_id == org_id)) {
			bool seen = false;
			for (size_t k = 0; k < n; k++)
				seen = seen || out[k] == d->hs[i].action_id;
			if (!seen)
				out[n++] = d->hs[i].action_id;
		}
	}
	return n;
}

static json_t *point_list(const forum_data *d, const int64_t *ids, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I,s:s}", "id", (json_int_t)ids[i], "title",
		                                   point_title(d, ids[i])));
	return a;
}

static bool counted(const monitor_member *m, int today)
{
	return strcmp(m->role, "observer") && monitor_member_current(m->from_on, m->until_on, today);
}

static const char *iso_day(app_req *q, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return arena_printf(q->a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* What is wrong with the forum, in plain words: its composition against
 * its own rule, members who supervise what they execute, and meetings
 * further apart than its own rule or the OGP's minimum. */
static json_t *warnings(app_req *q, const forum_data *d, int total, int pct, bool broken,
                        size_t dual, const monitor_cadence *c)
{
	json_t *w = json_array();
	if (!total)
		json_array_append_new(w, json_pack("{s:s}", "text", app_t(q, "The forum has no counted "
		                                                          "members today.")));
	else if (broken)
		json_array_append_new(w, json_pack("{s:s}", "text", arena_printf(
			q->a, app_t(q, "The composition breaks the forum's own rule: %d%% of the counted "
			               "members come from outside government, the rule asks for at least "
			               "%d%%."),
			pct, d->f.min_nongov)));
	if (dual)
		json_array_append_new(w, json_pack("{s:s}", "text", arena_printf(
			q->a, app_tn(q, "%lld member supervises and also holds an action point.",
			             "%lld members supervise and also hold an action point.",
			             (long long)dual),
			(long long)dual)));
	if (c->no_meetings) {
		json_array_append_new(w, json_pack("{s:s}", "text", app_t(q, "The forum has no meeting "
		                                                          "held or planned. The OGP asks "
		                                                          "for a meeting at least every "
		                                                          "six months.")));
		return w;
	}
	if (c->none_planned)
		json_array_append_new(w, json_pack("{s:s}", "text", app_t(q, "No next meeting of the "
		                                                          "forum is planned.")));
	if (c->rule_broken)
		json_array_append_new(w, json_pack("{s:s}", "text", arena_printf(
			q->a, c->none_planned
				? app_t(q, "It is %d days since the last meeting: longer than the forum's "
				           "own rule of %d meetings a year (at most %d days apart).")
				: app_t(q, "The next meeting is %d days after the last one: longer than the "
				           "forum's own rule of %d meetings a year (at most %d days apart)."),
			c->gap_days, d->f.per_year, c->rule_days)));
	if (c->ogp_broken)
		json_array_append_new(w, json_pack("{s:s}", "text", arena_printf(
			q->a, app_t(q, "That is also longer than the OGP's minimum of a meeting every six "
			               "months (%d days)."),
			MONITOR_OGP_MAX_DAYS)));
	return w;
}

/* The whole forum as data; with view, the page's labels and names too. */
static json_t *forum_json(app_req *q, const forum_data *d, bool view)
{
	int today = monitor_today();
	int64_t ids[64];
	bool names = view && q->me; /* the public sees organisations, not people */
	json_t *members = json_array(), *dual = json_array();
	int gov = 0, total = 0;
	int64_t by_sector[6] = { 0 };
	for (size_t i = 0; i < d->nm; i++) {
		const monitor_member *m = &d->ms[i];
		json_t *o = monitor_member_data(m, today);
		size_t n = holdings(d, m->user_id, 0, ids, 64);
		bool current = monitor_member_current(m->from_on, m->until_on, today);
		json_object_set_new(o, "holds", point_list(d, ids, n));
		size_t no = holdings(d, 0, m->org_id, ids + n, 64 - n);
		json_object_set_new(o, "organisation_holds", point_list(d, ids + n, no));
		if (current && n) {
			json_t *x = json_pack("{s:I,s:{s:I,s:s},s:o}", "member_id", (json_int_t)m->id,
			                      "organisation", "id", (json_int_t)m->org_id, "name",
			                      m->org_name, "action_points", point_list(d, ids, n));
			if (names)
				json_object_set_new(x, "name", json_string(m->name));
			if (view)
				json_object_set_new(x, "role_label", json_string(app_t(q, monitor_label(
					monitor_member_roles, monitor_member_role_labels, m->role))));
			json_array_append_new(dual, x);
		}
		if (counted(m, today)) {
			total++;
			gov += !strcmp(m->sector, "government");
			for (int k = 0; sectors[k]; k++)
				by_sector[k] += !strcmp(m->sector, sectors[k]);
		}
		if (names)
			json_object_set_new(o, "name", json_string(m->name));
		if (view) {
			json_object_set_new(o, "role_label", json_string(app_t(q, monitor_label(
				monitor_member_roles, monitor_member_role_labels, m->role))));
			json_object_set_new(o, "sector_label", json_string(app_t(q, monitor_label(
				sectors, sector_names, m->sector))));
			json_object_set_new(o, "from_label", json_string(app_date(q, m->from_on)));
			json_object_set_new(o, "until_label", json_string(app_date(q, m->until_on)));
			json_object_set_new(o, "is_dual", json_boolean(current && n));
		}
		json_array_append_new(members, o);
	}
	bool broken = monitor_composition_broken(gov, total, d->f.min_nongov);
	int pct = total ? (total - gov) * 100 / total : 0; /* down: 49.6% is not 50% */
	json_t *sector_j = json_array();
	for (int k = 0; sectors[k]; k++)
		json_array_append_new(sector_j, json_pack("{s:s,s:I}", "sector", sectors[k], "count",
		                                          (json_int_t)by_sector[k]));

	/* meetings: past ones (newest first) and coming ones */
	int64_t now = (int64_t)time(NULL);
	int64_t today_day = monitor_days(today);
	int64_t last = -1, next = -1;
	json_t *past = json_array(), *coming = json_array();
	for (size_t i = 0; i < d->nmt; i++) {
		const monitor_meeting *mt = &d->mt[i];
		char day[11]; /* the day in Amsterdam, as the agenda shows it */
		agenda_local_date(mt->starts_at, day);
		int ymd = 0;
		text_parse_date(day, &ymd);
		json_t *o = json_pack("{s:I,s:s,s:s,s:b,s:b}", "session_id", (json_int_t)mt->id, "title",
		                      mt->title, "on", day, "cancelled", mt->cancelled, "report",
		                      mt->has_report);
		if (view)
			json_object_set_new(o, "on_label", json_string(app_date(q, day)));
		bool is_past = mt->starts_at < now;
		if (!mt->cancelled) {
			if (is_past)
				last = monitor_days(ymd);
			else if (next < 0)
				next = monitor_days(ymd);
		}
		if (is_past)
			json_array_insert_new(past, 0, o);
		else
			json_array_append_new(coming, o);
	}
	monitor_cadence cad;
	monitor_cadence_of(last, next, today_day, d->f.per_year, &cad);
	json_t *cj = json_pack("{s:b,s:i,s:b,s:i,s:i,s:b,s:b}", "no_meetings", cad.no_meetings,
	                       "rule_days", cad.rule_days, "none_planned", cad.none_planned,
	                       "gap_days", cad.gap_days, "ogp_max_days",
	                       MONITOR_OGP_MAX_DAYS, "rule_broken", cad.rule_broken, "ogp_broken",
	                       cad.ogp_broken);
	json_t *rules = json_null();
	if (d->nrules) {
		rules = json_pack("{s:i,s:s,s:s,s:s}", "version", d->rules[0].version, "body",
		                  d->rules[0].body, "note", d->rules[0].note, "published_on",
		                  iso_day(q, d->rules[0].published_at));
		if (view) {
			sb h;
			sb_init(&h);
			if (web_markdown(&h, d->rules[0].body) == 0 && !sb_failed(&h))
				json_object_set_new(rules, "body_html", json_string(sb_str(&h)));
			sb_free(&h);
			json_object_set_new(rules, "published_label",
			                    json_string(app_date(q, iso_day(q, d->rules[0].published_at))));
		}
	}
	json_t *m = json_pack("{s:{s:I,s:s},s:{s:i,s:i},s:o,s:{s:i,s:i,s:i,s:i,s:b},s:o,s:o,"
	                      "s:{s:o,s:o},s:o,s:o}",
	                      "plan", "id", (json_int_t)d->pl.id, "title", d->pl.title, "settings",
	                      "min_nongov", d->f.min_nongov, "meetings_per_year", d->f.per_year,
	                      "members", members, "composition", "counted", total, "government",
	                      gov, "non_government", total - gov, "non_government_pct", pct,
	                      "rule_broken", broken, "by_sector", sector_j, "dual_role", dual,
	                      "meetings", "past", past, "next", coming, "cadence", cj, "rules", rules);
	if (view) {
		int64_t split[2] = { gov, total - gov };
		static const char *const split_labels[] = { "Government", "Not government" };
		json_t *c = monitor_bars(q, "chart-composition", app_t(q, "Composition of the forum"),
		                         split_labels, true, split, 2);
		if (c)
			json_object_set_new(m, "composition_chart", c);
		json_t *rows = json_array(); /* the sectors outside government */
		for (int k = 1; sectors[k]; k++)
			json_array_append_new(rows, json_pack("{s:s,s:I}", "label",
			                                      app_t(q, sector_names[k]), "count",
			                                      (json_int_t)by_sector[k]));
		json_object_set_new(m, "sector_rows", rows);
		json_object_set_new(m, "has_dual", json_boolean(json_array_size(dual) > 0));
		json_object_set_new(m, "show_names", json_boolean(names));
		json_object_set_new(m, "warnings", warnings(q, d, total, pct, broken,
		                                            json_array_size(dual), &cad));
	}
	return m;
}

/* ---- pages ---- */

void monitor_forum_page(app_req *q)
{
	forum_data d;
	memset(&d, 0, sizeof d);
	store_rc rc = load_forum(q, &d);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *m = forum_json(q, &d, !q->want_json);
	if (q->want_json) {
		app_json(q, 200, m);
		return;
	}
	json_object_set_new(m, "title", json_string(app_t(q, "Stakeholder forum")));
	json_object_set_new(m, "can_edit", json_boolean(monitor_is_organiser(q)));
	app_page(q, 200, "monitor_forum", m);
}

void monitor_rules_page(app_req *q)
{
	plan pl;
	monitor_rules *rs;
	size_t n;
	if (!monitor_load_plan(q, &pl))
		return;
	store_rc rc = monitor_store_rules(q->app->db, q->a, pl.id, &rs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *day = iso_day(q, rs[i].published_at);
		json_t *o = json_pack("{s:i,s:s,s:s,s:s}", "version", rs[i].version, "body", rs[i].body,
		                      "note", rs[i].note, "published_on", day);
		if (!q->want_json) {
			sb h;
			sb_init(&h);
			if (web_markdown(&h, rs[i].body) == 0 && !sb_failed(&h))
				json_object_set_new(o, "body_html", json_string(sb_str(&h)));
			sb_free(&h);
			json_object_set_new(o, "published_label", json_string(app_date(q, day)));
			json_object_set_new(o, "is_current", json_boolean(i == 0));
		}
		json_array_append_new(list, o);
	}
	json_t *m = json_pack("{s:{s:I,s:s},s:o}", "plan", "id", (json_int_t)pl.id, "title", pl.title,
	                      "versions", list);
	if (q->want_json) {
		app_json(q, 200, m);
		return;
	}
	json_object_set_new(m, "title", json_string(app_t(q, "Rules of procedure of the forum")));
	app_page(q, 200, "monitor_rules", m);
}

static json_t *org_options(app_req *q)
{
	organisation *os;
	size_t n;
	json_t *a = json_array();
	if (store_org_list(q->app->db, q->a, &os, &n) == STORE_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:I,s:s}", "value", (json_int_t)os[i].id,
			                                   "label", os[i].name));
	return a;
}

static void edit_render(app_req *q, int status)
{
	forum_data d;
	memset(&d, 0, sizeof d);
	store_rc rc = load_forum(q, &d);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *m = forum_json(q, &d, true);
	int64_t posted = app_param_id(q, "mid");
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(m, "members"), i, o) {
		const monitor_member *x = &d.ms[i];
		json_t *f = form_view(q, &monitor_member_form, arena_printf(q->a, "mem-%lld",
		                                                            (long long)x->id),
		                      json_pack("{s:I,s:s,s:s,s:s}", "org_id", (json_int_t)x->org_id,
		                                "role", x->role, "from_on", x->from_on, "until_on",
		                                x->until_on),
		                      posted == x->id);
		monitor_field_options(f, "org_id", org_options(q));
		json_object_set_new(o, "edit", f);
	}
	int t = monitor_today();
	json_t *nf = form_view(q, &monitor_member_new_form, "new-mem",
	                       json_pack("{s:s,s:s}", "role", "member", "from_on",
	                                 arena_printf(q->a, "%04d-%02d-%02d", t / 10000,
	                                              t / 100 % 100, t % 100)),
	                       true);
	monitor_field_options(nf, "org_id", org_options(q));
	json_object_set_new(m, "new_member", nf);
	json_object_set_new(m, "settings_form", form_view(q, &monitor_settings_form, "fs",
	                                                  json_pack("{s:i,s:i}", "min_nongov",
	                                                            d.f.min_nongov,
	                                                            "meetings_per_year",
	                                                            d.f.per_year),
	                                                  true));
	json_object_set_new(m, "rules_form", form_view(q, &monitor_rules_form, "fr",
	                                               d.nrules ? json_pack("{s:s}", "body",
	                                                                    d.rules[0].body)
	                                                        : NULL,
	                                               true));
	json_object_set_new(m, "title", json_string(app_t(q, "Manage the stakeholder forum")));
	if (form_failed(q))
		json_object_set_new(m, "errors", json_true());
	app_page(q, status, "monitor_forum_edit", m);
}

static void edit_reshow(app_req *q)
{
	edit_render(q, 422);
}

void monitor_forum_edit(app_req *q)
{
	edit_render(q, 200);
}

/* ---- forms ---- */

/* The person by e-mail address (new members), 0 when there is none. */
static int64_t person_of(app_req *q)
{
	user u;
	const char *email = form_text(q, "email");
	return *email && store_user_by_email(q->app->db, q->a, email, &u) == STORE_OK ? u.id : 0;
}

/* The end after the start, an organisation that exists, a person with an
 * account. */
static void member_check(app_req *q)
{
	if (*form_text(q, "until_on") && strcmp(form_text(q, "until_on"), form_text(q, "from_on")) < 0)
		form_fail(q, "until_on", "The end date cannot be before the start date.");
	organisation o;
	if (store_org_get(q->app->db, q->a, form_int(q, "org_id"), &o) != STORE_OK)
		form_fail(q, "org_id", "Choose one of the options.");
	if (q->form->def == &monitor_member_new_form && !person_of(q))
		form_fail(q, "email", "Nobody has an account with this e-mail address yet. Ask the "
		                      "person to sign up first.");
}

static void forum_done(app_req *q, store_rc rc, const char *flash)
{
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/forum/edit", flash);
}

static void member_save(app_req *q, int64_t id, int64_t user_id)
{
	plan pl;
	if (!monitor_load_plan(q, &pl))
		return;
	monitor_member x = { .id = id, .plan_id = pl.id, .user_id = user_id,
		             .org_id = form_int(q, "org_id"), .role = form_text(q, "role"),
		             .from_on = form_text(q, "from_on"), .until_on = form_text(q, "until_on") };
	store_rc rc = monitor_store_member_save(q->app->db, &x, NULL);
	if (rc == STORE_CONFLICT) {
		form_fail(q, "from_on", "This person is already a member of the forum in this period.");
		form_reshow(q);
		return;
	}
	forum_done(q, rc, id ? "monitor_member_saved" : "monitor_member_added");
}

void monitor_member_add(app_req *q)
{
	member_save(q, 0, person_of(q));
}

void monitor_member_update(app_req *q)
{
	monitor_member old;
	int64_t mid = app_param_id(q, "mid");
	store_rc rc = mid ? monitor_store_member_get(q->app->db, q->a, mid, &old) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	member_save(q, old.id, old.user_id);
}

void monitor_member_delete(app_req *q)
{
	plan pl;
	if (!monitor_load_plan(q, &pl))
		return;
	int64_t mid = app_param_id(q, "mid");
	forum_done(q, mid ? monitor_store_member_delete(q->app->db, pl.id, mid) : STORE_NOTFOUND,
	           "monitor_member_removed");
}

void monitor_settings_save(app_req *q)
{
	plan pl;
	if (!monitor_load_plan(q, &pl))
		return;
	forum_done(q, monitor_store_forum_set(q->app->db, pl.id, (int)form_int(q, "min_nongov"),
	                                      (int)form_int(q, "meetings_per_year")),
	           "monitor_settings_saved");
}

void monitor_rules_publish(app_req *q)
{
	plan pl;
	if (!monitor_load_plan(q, &pl))
		return;
	forum_done(q, monitor_store_rules_publish(q->app->db, pl.id, form_text(q, "body"),
	                                          form_text(q, "note"), q->me->id, NULL),
	           "monitor_rules_published");
}
