/* agenda_pages.c — what everyone sees: the agenda with its filters (theme,
 * kind, online or physical; upcoming or past) that work without
 * JavaScript, a theme's sessions and reports, a session's page with the
 * visitor's registration state said plainly, and the sections this
 * feature adds to the plan's home page, an action point's page and the
 * account page. Also the helpers the other handler files share. Every page
 * is also JSON (data, not the view).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "agenda.h"

static const char *const kind_codes[] = { "thinkalong", "table", "forum", "holders", "public",
	                                  NULL };
static const char *const kind_labels[] = { "Think-along session", "Table conversation",
	                                   "Stakeholder-forum meeting", "Holders' meeting",
	                                   "Public event" };
static const char *const mode_codes[] = { "online", "physical", "both", NULL };
static const char *const mode_labels[] = { "Online", "On location", "Online and on location" };
static const char *const status_codes[] = { "draft", "published", "cancelled", "submitted",
	                                    "rejected", NULL };
static const char *const status_labels[] = { "Draft", "Published", "Cancelled",
	                                     "Waiting for moderation", "Rejected" };
static const char *const weekday_labels[] = { "Sunday", "Monday", "Tuesday", "Wednesday",
	                                      "Thursday", "Friday", "Saturday" };

static const char *label_of(const char *const *codes, const char *const *labels, const char *c)
{
	for (size_t i = 0; codes[i]; i++)
		if (c && !strcmp(codes[i], c))
			return labels[i];
	return c ? c : "";
}

const char *agenda_kind_label(const char *k) { return label_of(kind_codes, kind_labels, k); }
const char *agenda_mode_label(const char *m) { return label_of(mode_codes, mode_labels, m); }
const char *agenda_status_label(const char *s) { return label_of(status_codes, status_labels, s); }

bool agenda_is_organiser(app_req *q)
{
	return q->me && q->me->role >= ROLE_ORGANISER;
}

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* Drafts, submitted and rejected events are for organisers (and a
 * submitter sees their own submission). */
static bool visible(app_req *q, const agenda_session *x)
{
	if (!strcmp(x->status, "published") || !strcmp(x->status, "cancelled"))
		return true;
	if (agenda_is_organiser(q))
		return true;
	return q->me && x->submitted_by == q->me->id;
}

bool agenda_load(app_req *q, agenda_session *x)
{
	int64_t id = app_param_id(q, "id");
	store_rc rc = id ? agenda_store_get(q->app->db, q->a, id, x) : STORE_NOTFOUND;
	if (rc == STORE_OK && !visible(q, x))
		rc = STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

void agenda_busy(app_req *q)
{
	app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
}

void agenda_back(app_req *q, int64_t id, const char *where, const char *flash)
{
	char *to = arena_printf(q->a, "/sessions/%lld%s", (long long)id, where ? where : "");
	app_redirect(q, to ? to : "/agenda", flash);
}

bool agenda_form_ids(app_req *q, const char *name, int64_t **out, size_t *n)
{
	const http_kvlist *l = &q->r->form;
	*n = 0;
	*out = arena_calloc(q->a, l->len + 1, sizeof **out);
	if (!*out)
		return false;
	for (size_t i = 0; i < l->len; i++) {
		if (strcmp(l->items[i].key, name))
			continue;
		long long v;
		if (!*l->items[i].value)
			continue;
		if (!text_parse_int(l->items[i].value, 1, INT64_MAX, &v))
			return false;
		bool dup = false;
		for (size_t k = 0; k < *n; k++)
			dup |= (*out)[k] == v;
		if (!dup)
			(*out)[(*n)++] = (int64_t)v;
	}
	return true;
}

static const char *iso(app_req *q, int64_t t)
{
	char b[26];
	agenda_iso(t, b);
	return arena_strdup(q->a, b);
}

const char *agenda_when_label(app_req *q, int64_t starts, int64_t ends)
{
	agenda_local a, b;
	agenda_to_local(starts, &a);
	agenda_to_local(ends, &b);
	char d1[11], d2[11], t1[6], t2[6];
	agenda_local_date(starts, d1);
	agenda_local_date(ends, d2);
	agenda_local_time(starts, t1);
	agenda_local_time(ends, t2);
	int64_t day = (starts + a.offset) / 86400;
	const char *wd = app_t(q, weekday_labels[((day + 4) % 7 + 7) % 7]);
	if (!strcmp(d1, d2))
		return arena_printf(q->a, "%s %s, %s–%s", wd, app_date(q, d1), t1, t2);
	return arena_printf(q->a, "%s %s, %s – %s, %s", wd, app_date(q, d1), t1, app_date(q, d2), t2);
}

static const char *md_html(app_req *q, const char *md)
{
	sb b;
	sb_init(&b);
	web_markdown(&b, md);
	const char *out = sb_failed(&b) ? "" : arena_strdup(q->a, sb_str(&b));
	sb_free(&b);
	return out ? out : "";
}

static json_t *refs(const agenda_ref *r, size_t n, const char *name_key)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I,s:s}", "id", (json_int_t)r[i].id, name_key,
		                                   r[i].name));
	return a;
}

/* The visitor's registration, or NULL (signed out or none). */
static bool my_reg(app_req *q, const agenda_session *x, agenda_reg *r)
{
	return q->me && agenda_store_reg_get(q->app->db, q->a, x->id, q->me->id, r) == STORE_OK &&
	       strcmp(r->status, "cancelled");
}

static json_t *time_or_null(app_req *q, int64_t t)
{
	return t ? json_string(iso(q, t)) : json_null();
}

json_t *agenda_session_data(app_req *q, const agenda_session *x)
{
	agenda_reg r;
	bool registered = my_reg(q, x, &r) && !strcmp(r.status, "registered");
	bool link = registered || agenda_is_organiser(q);
	json_t *d = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:I,s:I,s:b,s:s,s:I,s:b}",
	                      "id", (json_int_t)x->id, "plan_id", (json_int_t)x->plan_id,
	                      "kind", x->kind, "title", x->title, "description", x->description,
	                      "starts_at", iso(q, x->starts_at), "ends_at", iso(q, x->ends_at),
	                      "mode", x->mode, "address", x->address, "waitlist", x->waitlist,
	                      "places_taken", (json_int_t)x->registered, "waiting",
	                      (json_int_t)x->waiting, "attendees_public", x->attendees_public,
	                      "status", x->status, "sequence", (json_int_t)x->sequence, "has_board",
	                      x->has_board);
	json_object_set_new(d, "capacity", x->capacity ? json_integer(x->capacity) : json_null());
	json_object_set_new(d, "meeting_url", link && *x->meeting_url ? json_string(x->meeting_url)
	                                                                : json_null());
	json_object_set_new(d, "registration_opens_at", time_or_null(q, x->opens_at));
	json_object_set_new(d, "registration_closes_at", time_or_null(q, x->closes_at));
	json_object_set_new(d, "organiser_name", json_string(x->organiser_name));
	json_object_set_new(d, "themes", refs(x->themes, x->nthemes, "name"));
	json_object_set_new(d, "action_points", refs(x->actions, x->nactions, "title"));
	json_object_set_new(d, "poll_reports", refs(x->polls, x->npolls, "title"));
	json_object_set_new(d, "report", x->report_published ? json_string(x->report) : json_null());
	return d;
}

json_t *agenda_session_view(app_req *q, const agenda_session *x)
{
	json_t *d = agenda_session_data(q, x);
	int64_t now = now_s();
	json_object_set_new(d, "kind_label", json_string(agenda_kind_label(x->kind)));
	json_object_set_new(d, "mode_label", json_string(agenda_mode_label(x->mode)));
	json_object_set_new(d, "status_label", json_string(agenda_status_label(x->status)));
	json_object_set_new(d, "when", json_string(agenda_when_label(q, x->starts_at, x->ends_at)));
	json_object_set_new(d, "past", json_boolean(x->ends_at <= now));
	json_object_set_new(d, "is_draft", json_boolean(!strcmp(x->status, "draft")));
	json_object_set_new(d, "is_cancelled", json_boolean(!strcmp(x->status, "cancelled")));
	json_object_set_new(d, "is_submitted", json_boolean(!strcmp(x->status, "submitted")));
	json_object_set_new(d, "is_rejected", json_boolean(!strcmp(x->status, "rejected")));
	json_object_set_new(d, "online", json_boolean(strcmp(x->mode, "physical") != 0));
	json_object_set_new(d, "physical", json_boolean(strcmp(x->mode, "online") != 0));
	json_object_set_new(d, "is_table", json_boolean(!strcmp(x->kind, "table")));
	if (x->capacity) {
		int64_t free_places = x->capacity - x->registered;
		json_object_set_new(d, "free", json_integer(free_places > 0 ? free_places : 0));
		json_object_set_new(d, "full", json_boolean(free_places <= 0));
	}
	if (x->opens_at)
		json_object_set_new(d, "opens_label", json_string(agenda_when_label(q, x->opens_at, x->opens_at)));
	if (x->closes_at)
		json_object_set_new(d, "closes_label", json_string(agenda_when_label(q, x->closes_at, x->closes_at)));
	json_object_set_new(d, "description_html", json_string(md_html(q, x->description)));
	return d;
}

/* ---- the agenda ---- */

static json_t *list_items(app_req *q, agenda_session *xs, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, q->want_json ? agenda_session_data(q, &xs[i])
		                                      : agenda_session_view(q, &xs[i]));
	return a;
}

static json_t *options(app_req *q, const char *const *codes, const char *const *labels,
                       const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; codes[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", codes[i], "label",
		                                   app_t(q, labels[i]), "selected",
		                                   selected && !strcmp(selected, codes[i])));
	return a;
}

/* The plan whose themes the filters offer: the newest one. */
static json_t *theme_options(app_req *q, int64_t selected, plan *p)
{
	json_t *a = json_array();
	if (store_plan_main(q->app->db, q->a, p) != STORE_OK)
		return a;
	for (size_t i = 0; i < p->nthemes; i++)
		json_array_append_new(a, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)p->themes[i].id,
		                                   "label", p->themes[i].name, "selected",
		                                   p->themes[i].id == selected));
	return a;
}

void agenda_list(app_req *q)
{
	const char *theme_q = http_query(q->r, "theme"), *kind = http_query(q->r, "kind");
	const char *mode = http_query(q->r, "mode"), *when = http_query(q->r, "when");
	long long tid = 0;
	if (theme_q && *theme_q && !text_parse_int(theme_q, 1, INT64_MAX, &tid)) {
		app_error(q, 400, "Choose a theme from the list.");
		return;
	}
	if (kind && *kind && !agenda_kind_valid(kind)) {
		app_error(q, 400, "Choose a kind of session from the list.");
		return;
	}
	if (mode && *mode && strcmp(mode, "online") && strcmp(mode, "physical")) {
		app_error(q, 400, "Choose online or on location.");
		return;
	}
	bool past = when && !strcmp(when, "past");
	agenda_filter f = { .theme_id = tid, .kind = kind, .mode = mode, .when = past ? -1 : 1,
		            .now = now_s(), .status = "published", .include_cancelled = true };
	agenda_session *xs;
	size_t n;
	store_rc rc = agenda_store_list(q->app->db, q->a, &f, &xs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (q->want_json) {
		app_json(q, 200, json_pack("{s:o}", "sessions", list_items(q, xs, n)));
		return;
	}
	plan p;
	json_t *m = json_pack("{s:s,s:o,s:b,s:b}", "title", app_t(q, "Agenda"), "sessions",
	                      list_items(q, xs, n), "past", past, "upcoming", !past);
	json_object_set_new(m, "themes", theme_options(q, tid, &p));
	json_object_set_new(m, "kinds", options(q, kind_codes, kind_labels, kind));
	json_object_set_new(m, "mode_online", json_boolean(mode && !strcmp(mode, "online")));
	json_object_set_new(m, "mode_physical", json_boolean(mode && !strcmp(mode, "physical")));
	json_object_set_new(m, "filtered", json_boolean(tid || (kind && *kind) || (mode && *mode)));
	json_object_set_new(m, "can_edit", json_boolean(agenda_is_organiser(q)));
	if (tid)
		json_object_set_new(m, "theme_feed", json_integer(tid));
	app_page(q, 200, "agenda_list", m);
}

void agenda_theme(app_req *q)
{
	int64_t tid = app_param_id(q, "id");
	plan p;
	const theme *th = NULL;
	/* The theme of any plan: find its plan through the newest one first. */
	if (store_plan_main(q->app->db, q->a, &p) == STORE_OK)
		for (size_t i = 0; i < p.nthemes; i++)
			if (p.themes[i].id == tid)
				th = &p.themes[i];
	if (!th) {
		app_store_error(q, STORE_NOTFOUND);
		return;
	}
	agenda_filter up = { .theme_id = tid, .when = 1, .now = now_s(), .status = "published",
		             .include_cancelled = true };
	agenda_filter done = { .theme_id = tid, .when = -1, .now = now_s(), .status = "published" };
	agenda_session *xs, *ys;
	size_t n, k;
	store_rc rc = agenda_store_list(q->app->db, q->a, &up, &xs, &n);
	if (rc == STORE_OK)
		rc = agenda_store_list(q->app->db, q->a, &done, &ys, &k);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *reports = json_array();
	for (size_t i = 0; i < k; i++) {
		if (!ys[i].report_published)
			continue;
		agenda_session full;
		if (agenda_store_get(q->app->db, q->a, ys[i].id, &full) != STORE_OK)
			continue;
		json_t *v = q->want_json ? agenda_session_data(q, &full) : agenda_session_view(q, &full);
		if (!q->want_json)
			json_object_set_new(v, "report_html", json_string(md_html(q, full.report)));
		json_array_append_new(reports, v);
	}
	json_t *m = json_pack("{s:{s:I,s:s,s:s},s:o,s:o,s:o}", "theme", "id", (json_int_t)th->id,
	                      "name", th->name, "description", th->description, "upcoming",
	                      list_items(q, xs, n), "past", list_items(q, ys, k), "reports", reports);
	if (q->want_json) {
		app_json(q, 200, m);
		return;
	}
	json_object_set_new(m, "title", json_string(th->name));
	app_page(q, 200, "agenda_theme", m);
}

/* ---- a session's page ---- */

/* The registration box: what the visitor's state is, said plainly, and
 * which form applies. */
static json_t *reg_state(app_req *q, const agenda_session *x)
{
	json_t *r = json_object();
	agenda_reg mine;
	int64_t now = now_s();
	if (my_reg(q, x, &mine)) {
		bool seat = !strcmp(mine.status, "registered");
		json_object_set_new(r, seat ? "registered" : "waiting", json_true());
		if (!seat)
			json_object_set_new(r, "place", json_integer(mine.place));
		json_object_set_new(r, "show_name", json_boolean(mine.show_name));
		json_object_set_new(r, "can_cancel", json_boolean(agenda_can_cancel(now, x->starts_at) &&
		                                                  !strcmp(x->status, "published")));
		return r;
	}
	agenda_reg_facts f = { x->status, now, x->starts_at, x->opens_at, x->closes_at, x->capacity,
		               x->registered, x->waitlist };
	switch (agenda_reg_decide(&f)) {
	case AGENDA_REG_REGISTER: json_object_set_new(r, "can_register", json_true()); break;
	case AGENDA_REG_WAITLIST: json_object_set_new(r, "can_wait", json_true()); break;
	case AGENDA_REG_FULL: json_object_set_new(r, "full", json_true()); break;
	case AGENDA_REG_NOT_YET: json_object_set_new(r, "not_yet", json_true()); break;
	case AGENDA_REG_CLOSED: json_object_set_new(r, "closed", json_true()); break;
	case AGENDA_REG_STARTED: json_object_set_new(r, "started", json_true()); break;
	default: json_object_set_new(r, "unavailable", json_true()); break;
	}
	json_object_set_new(r, "signed_out", json_boolean(!q->me));
	return r;
}

static json_t *attendees(app_req *q, const agenda_session *x)
{
	agenda_reg *rs;
	size_t n;
	json_t *names = json_array();
	int64_t others = 0;
	if (agenda_store_regs(q->app->db, q->a, x->id, &rs, &n) != STORE_OK)
		return names;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rs[i].status, "registered"))
			continue;
		if (rs[i].show_name)
			json_array_append_new(names, json_string(rs[i].name));
		else
			others++;
	}
	return json_pack("{s:o,s:I}", "names", names, "others", (json_int_t)others);
}

/* The table conversation: participants (names only with consent, unless
 * organiser) and the ranked tasks (their action point when published, or
 * also a draft when drafts). */
static json_t *table_data(app_req *q, const agenda_session *x, bool organiser, bool drafts)
{
	agenda_person *ps;
	agenda_task *ts;
	size_t np = 0, nt = 0;
	if (agenda_store_people(q->app->db, q->a, x->id, &ps, &np) != STORE_OK ||
	    agenda_store_tasks(q->app->db, q->a, x->id, &ts, &nt) != STORE_OK)
		return NULL;
	json_t *people = json_array();
	int64_t unnamed = 0;
	for (size_t i = 0; i < np; i++) {
		if (!ps[i].consent && !organiser) {
			unnamed++;
			continue;
		}
		json_t *p = json_pack("{s:s,s:s}", "name", ps[i].name, "organisation", ps[i].organisation);
		if (organiser) {
			json_object_set_new(p, "id", json_integer(ps[i].id));
			json_object_set_new(p, "consent", json_boolean(ps[i].consent));
		}
		json_array_append_new(people, p);
	}
	json_t *tasks = json_array();
	for (size_t i = 0; i < nt; i++) {
		json_t *t = json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)ts[i].id, "rank",
		                      (int)i + 1, "title", ts[i].title, "minimal", ts[i].minimal,
		                      "maximal", ts[i].maximal, "involve", ts[i].involve, "needs",
		                      ts[i].needs);
		json_object_set_new(t, "lead", ts[i].lead_org_id
			? json_pack("{s:I,s:s}", "id", (json_int_t)ts[i].lead_org_id, "name", ts[i].lead_name)
			: json_null());
		json_object_set_new(t, "action_point", ts[i].action_id && (drafts || ts[i].action_public)
			? json_pack("{s:I,s:s}", "id", (json_int_t)ts[i].action_id, "title", ts[i].action_title)
			: json_null());
		json_array_append_new(tasks, t);
	}
	return json_pack("{s:o,s:I,s:o}", "participants", people, "unnamed", (json_int_t)unnamed,
	                 "tasks", tasks);
}

/* The board's ranked list for the report: top-level notes by dots. */
static json_t *ranked(app_req *q, int64_t session_id)
{
	agenda_board b;
	if (agenda_store_board(q->app->db, q->a, session_id, 0, &b) != STORE_OK)
		return NULL;
	agenda_rank_in *in = arena_calloc(q->a, b.nnotes + 1, sizeof *in);
	size_t *order = arena_calloc(q->a, b.nnotes + 1, sizeof *order);
	int64_t *totals = arena_calloc(q->a, b.nnotes + 1, sizeof *totals);
	if (!in || !order || !totals)
		return NULL;
	for (size_t i = 0; i < b.nnotes; i++)
		in[i] = (agenda_rank_in){ b.notes[i].id, b.notes[i].group_id, b.notes[i].votes,
			                  b.notes[i].created_at };
	size_t k = agenda_rank(in, b.nnotes, order, totals);
	json_t *a = json_array();
	for (size_t i = 0; i < k; i++) {
		const agenda_note *n = &b.notes[order[i]];
		const char *col = "";
		for (size_t c = 0; c < b.ncolumns; c++)
			if (b.columns[c].id == n->column_id)
				col = b.columns[c].name;
		json_t *grouped = json_array();
		for (size_t j = 0; j < b.nnotes; j++)
			if (b.notes[j].group_id == n->id && j != order[i])
				json_array_append_new(grouped, json_string(b.notes[j].body));
		json_array_append_new(a, json_pack("{s:i,s:I,s:s,s:s,s:I,s:o}", "rank", (int)i + 1, "id",
		                                   (json_int_t)n->id, "text", n->body, "column", col,
		                                   "dots", (json_int_t)totals[order[i]], "grouped",
		                                   grouped));
	}
	return a;
}

static void show_page(app_req *q, int status, const agenda_session *x, const char *problem)
{
	bool org = agenda_is_organiser(q);
	if (q->want_json && form_failed(q)) {
		app_page(q, status, "agenda_show", json_object());
		return;
	}
	if (q->want_json) {
		json_t *d = agenda_session_data(q, x);
		agenda_reg mine;
		json_object_set_new(d, "registration",
		                    my_reg(q, x, &mine)
		                    ? json_pack("{s:s,s:I}", "status", mine.status, "place",
		                                (json_int_t)mine.place)
		                    : json_pack("{s:s,s:I}", "status", "none", "place", (json_int_t)0));
		if (x->attendees_public)
			json_object_set_new(d, "attendees", attendees(q, x));
		if (!strcmp(x->kind, "table")) {
			json_t *t = table_data(q, x, false, org);
			json_object_set_new(d, "table", t ? t : json_null());
		}
		if (x->report_published && x->report_board) {
			json_t *r = ranked(q, x->id);
			json_object_set_new(d, "board_ranking", r ? r : json_null());
		}
		if (problem) {
			json_decref(d);
			app_error(q, status, problem);
			return;
		}
		app_json(q, status, d);
		return;
	}
	json_t *v = agenda_session_view(q, x);
	json_t *m = json_pack("{s:s,s:o,s:o,s:b}", "title", x->title, "session", v, "reg",
	                      reg_state(q, x), "can_edit", org);
	if (problem)
		json_object_set_new(m, "problem", json_string(app_t(q, problem)));
	else if (form_failed(q) && json_object_get(q->form->errors, "show_name"))
		json_object_set(m, "problem", json_object_get(q->form->errors, "show_name"));
	if (x->attendees_public)
		json_object_set_new(m, "attendees", attendees(q, x));
	if (!strcmp(x->kind, "table")) {
		json_t *t = table_data(q, x, false, org);
		if (t)
			json_object_set_new(m, "table", t);
	}
	if (x->report_published || (org && *x->report)) {
		json_t *r = json_pack("{s:s,s:b}", "html", md_html(q, x->report), "published",
		                      x->report_published);
		if (x->report_board) {
			json_t *rk = ranked(q, x->id);
			if (rk)
				json_object_set_new(r, "ranking", rk);
		}
		json_object_set_new(m, "report", r);
	}
	json_object_set_new(m, "register_form", json_pack("{s:s}", "id", "register-show_name"));
	/* What other features add to a session's page (following it). */
	if (!strcmp(x->status, "published"))
		app_sections(q, "session", x->id, m);
	app_page(q, status, "agenda_show", m);
}

void agenda_show(app_req *q)
{
	agenda_session x;
	if (agenda_load(q, &x))
		show_page(q, 200, &x, NULL);
}

/* The session page again with a problem said at the registration box
 * (a refusal from the store, or a failed form). */
void agenda_show_problem(app_req *q, int status, const char *msgid)
{
	agenda_session x;
	if (agenda_load(q, &x))
		show_page(q, status, &x, msgid);
}

void agenda_show_reshow(app_req *q)
{
	agenda_session x;
	if (agenda_load(q, &x))
		show_page(q, 422, &x, NULL);
}

/* ---- sections on other pages ---- */

json_t *agenda_plan_section(app_req *q, int64_t plan_id)
{
	(void)plan_id;
	agenda_filter f = { .when = 1, .now = now_s(), .status = "published", .limit = 5 };
	agenda_session *xs;
	size_t n;
	if (agenda_store_list(q->app->db, q->a, &f, &xs, &n) != STORE_OK)
		return NULL;
	return list_items(q, xs, n);
}

json_t *agenda_action_section(app_req *q, int64_t action_id)
{
	agenda_filter f = { .action_id = action_id, .status = "published", .include_cancelled = true };
	agenda_session *xs;
	agenda_task *ts;
	size_t n, nt;
	if (agenda_store_list(q->app->db, q->a, &f, &xs, &n) != STORE_OK ||
	    agenda_store_action_tasks(q->app->db, q->a, action_id, &ts, &nt) != STORE_OK)
		return NULL;
	json_t *sessions = json_array(), *reports = json_array(), *tasks = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *v = q->want_json ? agenda_session_data(q, &xs[i]) : agenda_session_view(q, &xs[i]);
		if (xs[i].report_published) {
			if (!q->want_json)
				json_object_set_new(v, "report_html", json_string(md_html(q, xs[i].report)));
			json_array_append_new(reports, v);
		} else {
			json_array_append_new(sessions, v);
		}
	}
	for (size_t i = 0; i < nt; i++) {
		agenda_session x;
		if (agenda_store_get(q->app->db, q->a, ts[i].session_id, &x) != STORE_OK ||
		    !visible(q, &x))
			continue;
		json_array_append_new(tasks, json_pack("{s:I,s:s,s:I,s:s}", "task_id",
		                                       (json_int_t)ts[i].id, "task", ts[i].title,
		                                       "session_id", (json_int_t)x.id, "session",
		                                       x.title));
	}
	if (!json_array_size(sessions) && !json_array_size(reports) && !json_array_size(tasks)) {
		json_decref(sessions);
		json_decref(reports);
		json_decref(tasks);
		return NULL;
	}
	return json_pack("{s:o,s:o,s:o}", "sessions", sessions, "reports", reports, "from_tasks",
	                 tasks);
}

json_t *agenda_account_section(app_req *q, int64_t user_id)
{
	agenda_reg *rs;
	agenda_session *ss;
	size_t n, ns;
	if (agenda_store_user_regs(q->app->db, q->a, user_id, &rs, &n) != STORE_OK ||
	    agenda_store_submissions(q->app->db, q->a, user_id, &ss, &ns) != STORE_OK)
		return NULL;
	int64_t now = now_s();
	json_t *regs = json_array(), *subs = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_pack("{s:I,s:s,s:s,s:I,s:s}", "session_id", (json_int_t)rs[i].session_id,
		                      "title", rs[i].session_title, "status", rs[i].status, "place",
		                      (json_int_t)rs[i].place, "starts_at", iso(q, rs[i].session_starts));
		if (!q->want_json) {
			json_object_set_new(r, "when", json_string(agenda_when_label(q, rs[i].session_starts,
			                                                             rs[i].session_starts)));
			json_object_set_new(r, "waiting", json_boolean(!strcmp(rs[i].status, "waitlist")));
			json_object_set_new(r, "past", json_boolean(rs[i].session_starts <= now));
		}
		json_array_append_new(regs, r);
	}
	for (size_t i = 0; i < ns; i++) {
		json_t *r = json_pack("{s:I,s:s,s:s,s:s}", "session_id", (json_int_t)ss[i].id, "title",
		                      ss[i].title, "status", ss[i].status, "reason", ss[i].reject_reason);
		if (!q->want_json)
			json_object_set_new(r, "status_label", json_string(agenda_status_label(ss[i].status)));
		json_array_append_new(subs, r);
	}
	return json_pack("{s:o,s:o}", "registrations", regs, "submissions", subs);
}
