/* agenda_edit.c — the organiser's forms: a new session and editing one
 * (times entered in Europe/Amsterdam, place, capacity, registration window,
 * themes and action points), publishing and cancelling, the report with
 * attached live-poll reports, registrations and attendance with the CSV of
 * attendees; and events that others submit, with their moderation.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../util/text.h"
#include "../act/act.h"
#include "../poll/poll.h"
#include "agenda.h"

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* A local date and time from two fields; an empty time takes dflt. A
 * message at the time field when the clock skips that hour. */
static bool read_when(app_req *q, const char *date_f, const char *time_f, const char *dflt,
                      int64_t *out)
{
	const char *d = form_text(q, date_f), *t = form_text(q, time_f);
	if (!*t)
		t = dflt;
	int rc = agenda_parse_local(d, t, out);
	if (rc == -2)
		form_fail(q, time_f, "This time does not exist in the Netherlands: the clocks go forward an hour that night. Choose another time.");
	else if (rc != 0)
		form_fail(q, time_f, "Fill in a time like 14:00.");
	return rc == 0;
}

/* The session as posted (fields that passed their checks). Cross-field
 * rules fail at their field; returns false when one did. */
static bool read_session(app_req *q, agenda_session *x, int64_t **themes, size_t *nthemes,
                         int64_t **actions, size_t *nactions)
{
	memset(x, 0, sizeof *x);
	x->title = form_text(q, "title");
	x->kind = form_text(q, "kind");
	x->description = form_text(q, "description");
	x->mode = form_text(q, "mode");
	x->meeting_url = form_text(q, "meeting_url");
	x->address = form_text(q, "address");
	x->capacity = form_int(q, "capacity");
	x->waitlist = form_bool(q, "waitlist");
	x->attendees_public = form_bool(q, "attendees_public");
	x->organiser_name = "";
	bool ok = read_when(q, "date", "start_time", "", &x->starts_at);
	const char *end_date = *form_text(q, "end_date") ? form_text(q, "end_date") : form_text(q, "date");
	if (agenda_parse_local(end_date, form_text(q, "end_time"), &x->ends_at) != 0) {
		form_fail(q, "end_time", "Fill in a time like 14:00.");
		ok = false;
	}
	if (ok && x->ends_at <= x->starts_at) {
		form_fail(q, "end_time", "The end must be after the start.");
		ok = false;
	}
	if (strcmp(x->mode, "physical") && !*x->meeting_url) {
		form_fail(q, "meeting_url", "Fill in the meeting link of an online session.");
		ok = false;
	}
	if (strcmp(x->mode, "online") && !*x->address) {
		form_fail(q, "address", "Fill in the address of a session on location.");
		ok = false;
	}
	if (*form_text(q, "opens_time") && !*form_text(q, "opens_date")) {
		form_fail(q, "opens_date", "Fill in the date too, or leave the time empty.");
		ok = false;
	}
	if (*form_text(q, "closes_time") && !*form_text(q, "closes_date")) {
		form_fail(q, "closes_date", "Fill in the date too, or leave the time empty.");
		ok = false;
	}
	if (*form_text(q, "opens_date") && !read_when(q, "opens_date", "opens_time", "00:00", &x->opens_at))
		ok = false;
	if (*form_text(q, "closes_date") && !read_when(q, "closes_date", "closes_time", "23:59", &x->closes_at))
		ok = false;
	if (ok && x->opens_at && x->closes_at && x->closes_at <= x->opens_at) {
		form_fail(q, "closes_date", "Registration must close after it opens.");
		ok = false;
	}
	if (ok && x->closes_at && x->closes_at > x->starts_at) {
		form_fail(q, "closes_date", "Registration must close before the session starts.");
		ok = false;
	}
	if (ok && x->opens_at && x->opens_at >= x->starts_at) {
		form_fail(q, "opens_date", "Registration must open before the session starts.");
		ok = false;
	}
	if (!agenda_form_ids(q, "theme", themes, nthemes)) {
		form_fail(q, "themes", "Choose themes from the list.");
		ok = false;
	}
	if (!agenda_form_ids(q, "action", actions, nactions)) {
		form_fail(q, "actions", "Choose action points from the list.");
		ok = false;
	}
	return ok;
}

void agenda_check_session(app_req *q)
{
	agenda_session x;
	int64_t *t, *a;
	size_t nt, na;
	read_session(q, &x, &t, &nt, &a, &na);
}

/* The stored values of a session as the form shows them. */
static json_t *session_values(const agenda_session *x)
{
	char d[11], t1[6], t2[6], d2[11], od[11] = "", ot[6] = "", cd[11] = "", ct[6] = "";
	agenda_local_date(x->starts_at, d);
	agenda_local_time(x->starts_at, t1);
	agenda_local_date(x->ends_at, d2);
	agenda_local_time(x->ends_at, t2);
	if (x->opens_at) {
		agenda_local_date(x->opens_at, od);
		agenda_local_time(x->opens_at, ot);
	}
	if (x->closes_at) {
		agenda_local_date(x->closes_at, cd);
		agenda_local_time(x->closes_at, ct);
	}
	json_t *v = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s,s:b}",
	                      "title", x->title, "kind", x->kind, "description", x->description,
	                      "date", d, "start_time", t1, "end_time", t2, "mode", x->mode,
	                      "meeting_url", x->meeting_url, "address", x->address, "waitlist",
	                      x->waitlist, "opens_date", od, "opens_time", ot, "closes_date", cd,
	                      "closes_time", ct, "attendees_public", x->attendees_public);
	json_object_set_new(v, "end_date", json_string(strcmp(d, d2) ? d2 : ""));
	json_object_set_new(v, "capacity", json_string(""));
	if (x->capacity) {
		char c[24];
		snprintf(c, sizeof c, "%lld", (long long)x->capacity);
		json_object_set_new(v, "capacity", json_string(c));
	}
	return v;
}

/* Makes the time fields of a form view time inputs. */
static void time_inputs(json_t *view, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		json_t *f = json_object_get(json_object_get(view, "f"), names[i]);
		if (f)
			json_object_set_new(f, "input", json_string("time"));
	}
}

static const char *const session_times[] = { "start_time", "end_time", "opens_time",
	                                     "closes_time", NULL };

/* The plan's published action points as checkboxes: as posted, else as
 * stored. */
static void act_list_for(app_req *q, int64_t plan_id, const agenda_session *x, bool posted,
                         const int64_t *pa, size_t npa, json_t *out)
{
	act_point *ps;
	size_t n;
	if (act_store_list(q->app->db, q->a, plan_id, ACT_PUBLISHED, &ps, &n) != STORE_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		bool on = false;
		if (posted)
			for (size_t k = 0; k < npa; k++)
				on |= pa[k] == ps[i].id;
		else if (x)
			for (size_t k = 0; k < x->nactions; k++)
				on |= x->actions[k].id == ps[i].id;
		json_array_append_new(out, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)ps[i].id,
		                                     "title", ps[i].title, "checked", on));
	}
}

/* The session form's page: new (x NULL) or edit, with themes and action
 * points of the plan as checkboxes. */
static void form_page(app_req *q, int status, const agenda_session *x)
{
	plan p;
	int64_t plan_id = x ? x->plan_id : 0;
	store_rc rc = plan_id ? store_plan_get(q->app->db, q->a, plan_id, &p)
	                      : store_plan_main(q->app->db, q->a, &p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	const form_def *def = x ? &agenda_session_form : &agenda_new_form;
	json_t *values = x ? session_values(x)
	                   : json_pack("{s:s,s:s,s:b}", "kind", "thinkalong", "mode", "online",
	                               "waitlist", 1);
	json_t *fv = form_view(q, def, "session", values, true);
	time_inputs(fv, session_times);
	/* Checked themes and action points: as posted, else as stored. */
	bool posted = form_failed(q);
	int64_t *pt = NULL, *pa = NULL;
	size_t npt = 0, npa = 0;
	if (posted) {
		agenda_form_ids(q, "theme", &pt, &npt);
		agenda_form_ids(q, "action", &pa, &npa);
	}
	json_t *themes = json_array();
	for (size_t i = 0; i < p.nthemes; i++) {
		bool on = false;
		if (posted)
			for (size_t k = 0; k < npt; k++)
				on |= pt[k] == p.themes[i].id;
		else if (x)
			for (size_t k = 0; k < x->nthemes; k++)
				on |= x->themes[k].id == p.themes[i].id;
		json_array_append_new(themes, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)p.themes[i].id,
		                                        "name", p.themes[i].name, "checked", on));
	}
	json_t *actions = json_array();
	act_list_for(q, p.id, x, posted, pa, npa, actions);
	json_t *m = json_pack("{s:s,s:o,s:o,s:o,s:b}", "title",
	                      x ? x->title : app_t(q, "New session"), "form", fv, "themes", themes,
	                      "actions", actions, "is_new", x == NULL);
	if (x)
		json_object_set_new(m, "session", json_pack("{s:I,s:s}", "id", (json_int_t)x->id,
		                                            "title", x->title));
	if (posted) {
		json_object_set_new(m, "has_errors", json_true());
		json_t *e = q->form->errors;
		if (json_object_get(e, "themes"))
			json_object_set(m, "themes_error", json_object_get(e, "themes"));
		if (json_object_get(e, "actions"))
			json_object_set(m, "actions_error", json_object_get(e, "actions"));
	}
	app_page(q, status, "agenda_edit", m);
}

void agenda_new_reshow(app_req *q)
{
	form_page(q, 422, NULL);
}

void agenda_edit_reshow(app_req *q)
{
	agenda_session x;
	if (agenda_load(q, &x))
		form_page(q, 422, &x);
}

/* A store refusal of the links or the capacity, said at its field. */
static bool save_failed(app_req *q, store_rc rc, const char *field, const char *msgid)
{
	if (rc != STORE_INVALID)
		return false;
	form_fail(q, field, msgid);
	form_reshow(q);
	return true;
}

void agenda_new(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		form_page(q, 200, NULL);
		return;
	}
	plan p;
	store_rc rc = store_plan_main(q->app->db, q->a, &p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	agenda_session x;
	int64_t *t, *a, id = 0;
	size_t nt, na;
	read_session(q, &x, &t, &nt, &a, &na);
	x.plan_id = p.id;
	x.status = "draft";
	x.created_by = q->me->id;
	rc = agenda_store_create(q->app->db, &x, t, nt, a, na, &id);
	if (save_failed(q, rc, "themes", "Choose themes and action points of this plan."))
		return;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	agenda_back(q, id, "", "saved");
}

void agenda_edit(app_req *q)
{
	agenda_session old;
	if (!agenda_load(q, &old))
		return;
	if (q->r->method != HTTP_POST) {
		form_page(q, 200, &old);
		return;
	}
	agenda_session x;
	int64_t *t, *a;
	size_t nt, na;
	read_session(q, &x, &t, &nt, &a, &na);
	x.id = old.id;
	x.plan_id = old.plan_id;
	x.organiser_name = old.organiser_name;
	if (x.capacity && x.capacity < old.registered) {
		char *said = arena_printf(q->a, app_tn(q, "%lld person is registered already: the number of places cannot be lower.",
		                                      "%lld people are registered already: the number of places cannot be lower.",
		                                      (long long)old.registered),
		                         (long long)old.registered);
		if (!said) {
			agenda_busy(q);
			return;
		}
		json_object_set_new(q->form->errors, "capacity", json_string(said));
		form_reshow(q);
		return;
	}
	store_rc rc = agenda_store_update(q->app->db, &x, t, nt, a, na, q->me->id);
	if (rc == STORE_INVALID && x.capacity) {
		/* Someone registered in the meantime: the same check, fresh. */
		agenda_session now;
		if (agenda_store_get(q->app->db, q->a, old.id, &now) == STORE_OK &&
		    x.capacity < now.registered) {
			form_fail(q, "capacity", "More people are registered than this number of places.");
			form_reshow(q);
			return;
		}
	}
	if (save_failed(q, rc, "themes", "Choose themes and action points of this plan."))
		return;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	agenda_back(q, x.id, "", "saved");
}

static void set_status(app_req *q, const char *status, const char *reason, const char *flash,
                       const char *refused)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	store_rc rc = agenda_store_set_status(q->app->db, x.id, status, reason, q->me->id);
	if (rc == STORE_CONFLICT) {
		agenda_show_problem(q, 409, refused);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (!strcmp(status, "rejected")) {
		app_redirect(q, "/agenda/moderation", flash);
		return;
	}
	agenda_back(q, x.id, "", flash);
}

void agenda_publish(app_req *q)
{
	set_status(q, "published", "", "published", "Only a draft can be published.");
}

void agenda_cancel_session(app_req *q)
{
	set_status(q, "cancelled", "", "cancelled", "Only a published session can be cancelled.");
}

void agenda_approve(app_req *q)
{
	set_status(q, "published", "", "approved", "This event is not waiting for moderation.");
}

void agenda_reject(app_req *q)
{
	set_status(q, "rejected", form_text(q, "reason"), "rejected",
	           "This event is not waiting for moderation.");
}

/* ---- the report ---- */

static void report_page(app_req *q, int status, const agenda_session *x)
{
	json_t *fv = form_view(q, &agenda_report_form, "report",
	                       json_pack("{s:s,s:b,s:b}", "report", x->report, "board",
	                                 x->report_board, "published", x->report_published),
	                       true);
	poll *ps;
	size_t n;
	json_t *polls = json_array();
	if (poll_store_list(q->app->db, q->a, &ps, &n) == STORE_OK)
		for (size_t i = 0; i < n; i++) {
			bool on = false;
			for (size_t k = 0; k < x->npolls; k++)
				on |= x->polls[k].id == ps[i].id;
			if (!on)
				json_array_append_new(polls, json_pack("{s:I,s:s}", "id", (json_int_t)ps[i].id,
				                                       "title", ps[i].title));
		}
	json_t *attached = json_array();
	for (size_t k = 0; k < x->npolls; k++)
		json_array_append_new(attached, json_pack("{s:I,s:s}", "id", (json_int_t)x->polls[k].id,
		                                          "title", x->polls[k].name));
	json_t *pf = form_view(q, &agenda_poll_form, "poll", NULL, true);
	json_t *m = json_pack("{s:s,s:{s:I,s:s,s:b},s:o,s:o,s:o,s:o}", "title",
	                      app_t(q, "Report"), "session", "id", (json_int_t)x->id, "title",
	                      x->title, "has_board", x->has_board, "form", fv, "poll_form", pf,
	                      "polls", polls, "attached", attached);
	if (form_failed(q))
		json_object_set_new(m, "has_errors", json_true());
	app_page(q, status, "agenda_report", m);
}

void agenda_report_reshow(app_req *q)
{
	agenda_session x;
	if (agenda_load(q, &x))
		report_page(q, 422, &x);
}

void agenda_report(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	if (q->r->method != HTTP_POST) {
		report_page(q, 200, &x);
		return;
	}
	if (form_bool(q, "published") && !*form_text(q, "report")) {
		form_fail(q, "report", "Write the report before you publish it.");
		form_reshow(q);
		return;
	}
	store_rc rc = agenda_store_report_save(q->app->db, x.id, form_text(q, "report"),
	                                       form_bool(q, "published"), form_bool(q, "board"));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	agenda_back(q, x.id, "#report", "saved");
}

void agenda_report_poll(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	int64_t pid = app_param_id(q, "pid");
	bool attach = pid == 0;
	if (attach)
		pid = form_int(q, "poll_id");
	store_rc rc = agenda_store_poll_attach(q->app->db, x.id, pid, attach);
	if (rc == STORE_OK && attach) {
		/* INSERT … SELECT wrote nothing when the poll does not exist. */
		agenda_session y;
		bool found = false;
		if (agenda_store_get(q->app->db, q->a, x.id, &y) == STORE_OK)
			for (size_t i = 0; i < y.npolls; i++)
				found |= y.polls[i].id == pid;
		if (!found) {
			form_fail(q, "poll_id", "Choose one of the options.");
			form_reshow(q);
			return;
		}
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	char *to = arena_printf(q->a, "/sessions/%lld/report", (long long)x.id);
	app_redirect(q, to ? to : "/agenda", "saved");
}

/* ---- registrations, attendance, CSV ---- */

static const char *attended_code(int a)
{
	return a == 1 ? "present" : a == 0 ? "absent" : "unknown";
}

static void regs_page(app_req *q, int status)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	agenda_reg *rs;
	size_t n;
	store_rc rc = agenda_store_regs(q->app->db, q->a, x.id, &rs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	int64_t posted = q->form && form_failed(q) ? form_int(q, "registration_id") : 0;
	json_t *reg = json_array(), *wait = json_array();
	int64_t cancelled = 0;
	for (size_t i = 0; i < n; i++) {
		char when[11];
		agenda_local_date(rs[i].created_at, when);
		json_t *r = json_pack("{s:I,s:s,s:s,s:s,s:I,s:b,s:s}", "id", (json_int_t)rs[i].id,
		                      "name", rs[i].name, "email", rs[i].email, "status", rs[i].status,
		                      "place", (json_int_t)rs[i].place, "show_name", rs[i].show_name,
		                      "attended", attended_code(rs[i].attended));
		if (!strcmp(rs[i].status, "registered")) {
			json_object_set_new(r, "registered_on", json_string(app_date(q, when)));
			json_t *fv = form_view(q, &agenda_attendance_form,
			                       arena_printf(q->a, "attendance-%lld", (long long)rs[i].id),
			                       json_pack("{s:I,s:s}", "registration_id", (json_int_t)rs[i].id,
			                                 "attended", attended_code(rs[i].attended)),
			                       posted == rs[i].id);
			json_object_set_new(r, "form", fv);
			json_array_append_new(reg, r);
		} else if (!strcmp(rs[i].status, "waitlist")) {
			json_array_append_new(wait, r);
		} else {
			cancelled++;
			json_decref(r);
		}
	}
	if (q->want_json && form_failed(q)) {
		json_decref(reg);
		json_decref(wait);
		app_page(q, status, "agenda_registrations", json_object());
		return;
	}
	if (q->want_json) {
		app_json(q, status, json_pack("{s:I,s:o,s:o,s:I}", "session_id", (json_int_t)x.id,
		                              "registered", reg, "waitlist", wait, "cancelled",
		                              (json_int_t)cancelled));
		return;
	}
	json_t *m = json_pack("{s:s,s:o,s:o,s:o,s:I,s:b}", "title", app_t(q, "Registrations"),
	                      "session", agenda_session_view(q, &x), "registered", reg, "waitlist",
	                      wait, "cancelled", (json_int_t)cancelled, "started",
	                      x.starts_at <= now_s());
	if (form_failed(q))
		json_object_set_new(m, "has_errors", json_true());
	app_page(q, status, "agenda_registrations", m);
}

void agenda_registrations(app_req *q)
{
	regs_page(q, 200);
}

void agenda_registrations_reshow(app_req *q)
{
	regs_page(q, 422);
}

void agenda_attendance(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	const char *a = form_text(q, "attended");
	int v = !strcmp(a, "present") ? 1 : !strcmp(a, "absent") ? 0 : -1;
	store_rc rc = agenda_store_attendance(q->app->db, x.id, form_int(q, "registration_id"), v);
	if (rc == STORE_NOTFOUND) {
		form_fail(q, "registration_id", "Choose a registration of this session.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	agenda_back(q, x.id, "/registrations", "saved");
}

void agenda_attendees_csv(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	agenda_reg *rs;
	size_t n;
	store_rc rc = agenda_store_regs(q->app->db, q->a, x.id, &rs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	sb *b = &q->s->body;
	sb_puts(b, "name,email,status,waitlist_place,registered_at,attended,name_on_public_list\r\n");
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(rs[i].status, "cancelled"))
			continue;
		char place[24] = "", at[26];
		if (rs[i].place)
			snprintf(place, sizeof place, "%lld", (long long)rs[i].place);
		agenda_iso(rs[i].created_at, at);
		agenda_csv_field(b, rs[i].name);
		sb_putc(b, ',');
		agenda_csv_field(b, rs[i].email);
		sb_printf(b, ",%s,%s,%s,%s,%s\r\n", rs[i].status, place, at,
		          attended_code(rs[i].attended), rs[i].show_name ? "yes" : "no");
	}
	if (sb_failed(b)) {
		agenda_busy(q);
		return;
	}
	q->s->status = 200;
	q->s->content_type = "text/csv; charset=utf-8";
	http_resp_header(q->r, q->s, "Content-Disposition",
	                 arena_printf(q->a, "attachment; filename=\"session-%lld-attendees.csv\"",
	                              (long long)x.id));
	/* Personal data: never kept in a cache. */
	http_resp_header(q->r, q->s, "Cache-Control", "no-store");
}

/* ---- submitted events and moderation ---- */

static const char *const submit_times[] = { "start_time", "end_time", NULL };

static void submit_page(app_req *q, int status)
{
	json_t *fv = form_view(q, &agenda_submit_form, "submit", NULL, true);
	time_inputs(fv, submit_times);
	json_t *m = json_pack("{s:s,s:o}", "title", app_t(q, "Submit an event"), "form", fv);
	if (form_failed(q))
		json_object_set_new(m, "has_errors", json_true());
	app_page(q, status, "agenda_submit", m);
}

void agenda_submit_reshow(app_req *q)
{
	submit_page(q, 422);
}

/* The submitted event as a session; false when a rule across fields fails. */
static bool read_submit(app_req *q, agenda_session *x)
{
	memset(x, 0, sizeof *x);
	x->kind = "public";
	x->title = form_text(q, "title");
	x->description = form_text(q, "description");
	x->address = form_text(q, "address");
	x->meeting_url = form_text(q, "meeting_url");
	x->organiser_name = form_text(q, "organiser_name");
	x->mode = *x->address && *x->meeting_url ? "both" : *x->address ? "physical" : "online";
	x->status = "submitted";
	bool ok = read_when(q, "date", "start_time", "", &x->starts_at);
	if (agenda_parse_local(form_text(q, "date"), form_text(q, "end_time"), &x->ends_at) != 0) {
		form_fail(q, "end_time", "Fill in a time like 14:00.");
		ok = false;
	}
	if (ok && x->ends_at <= x->starts_at) {
		form_fail(q, "end_time", "The end must be after the start.");
		ok = false;
	}
	if (ok && x->starts_at <= now_s()) {
		form_fail(q, "date", "This date is in the past. Submit events that are still to come.");
		ok = false;
	}
	if (!*x->address && !*x->meeting_url) {
		form_fail(q, "address", "Fill in the place, the link, or both.");
		ok = false;
	}
	return ok;
}

void agenda_check_submit(app_req *q)
{
	agenda_session x;
	read_submit(q, &x);
}

void agenda_submit(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		submit_page(q, 200);
		return;
	}
	plan p;
	store_rc rc = store_plan_main(q->app->db, q->a, &p);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	agenda_session x;
	read_submit(q, &x);
	x.plan_id = p.id;
	x.submitted_by = q->me->id;
	x.created_by = q->me->id;
	int64_t id = 0;
	rc = agenda_store_create(q->app->db, &x, NULL, 0, NULL, 0, &id);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	if (q->want_json) {
		app_json(q, 201, json_pack("{s:{s:I,s:s}}", "session", "id", (json_int_t)id, "status",
		                           "submitted"));
		return;
	}
	app_redirect(q, "/account#agenda", "submitted");
}

static void moderation_page(app_req *q, int status)
{
	agenda_session *xs;
	size_t n;
	store_rc rc = agenda_store_submissions(q->app->db, q->a, 0, &xs, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	int64_t posted = app_param_id(q, "id");
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		user u;
		json_t *v = agenda_session_view(q, &xs[i]);
		if (store_user_by_id(q->app->db, q->a, xs[i].submitted_by, &u) == STORE_OK)
			json_object_set_new(v, "submitter", json_string(u.name));
		json_object_set_new(v, "reject", form_view(q, &agenda_reject_form,
		                                           arena_printf(q->a, "reject-%lld",
		                                                        (long long)xs[i].id),
		                                           NULL, posted == xs[i].id));
		json_array_append_new(items, v);
	}
	json_t *m = json_pack("{s:s,s:o}", "title", app_t(q, "Submitted events"), "submissions", items);
	if (form_failed(q))
		json_object_set_new(m, "has_errors", json_true());
	app_page(q, status, "agenda_moderation", m);
}

void agenda_moderation(app_req *q)
{
	moderation_page(q, 200);
}

void agenda_moderation_reshow(app_req *q)
{
	agenda_session x;
	if (agenda_load(q, &x))
		moderation_page(q, 422);
}
