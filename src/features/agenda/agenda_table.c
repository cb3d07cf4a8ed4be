/* agenda_table.c — the table conversation of a session: who sat at the
 * table (names public only with their consent), the tasks in the order
 * the group ranked them, and per task the minimal and maximal variant, a
 * possible lead organisation, whom to involve and what is needed. From a
 * task the organiser makes a draft action point that carries these
 * fields; the task and the action point then link to each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agenda.h"

static json_t *org_options(app_req *q, int64_t selected)
{
	organisation *os;
	size_t n;
	json_t *a = json_array();
	if (store_org_list(q->app->db, q->a, &os, &n) != STORE_OK)
		return a;
	for (size_t i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)os[i].id);
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", id, "label", os[i].name,
		                                   "selected", os[i].id == selected));
	}
	return a;
}

/* The lead chosen in a form view: as posted when that form failed. */
static int64_t chosen_lead(json_t *fv)
{
	const char *v = json_string_value(json_object_get(json_object_get(json_object_get(fv, "f"),
	                                                                  "lead_org_id"), "value"));
	return v ? strtoll(v, NULL, 10) : 0;
}

static void table_page(app_req *q, int status)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	agenda_person *ps;
	agenda_task *ts;
	size_t np, nt;
	store_rc rc = agenda_store_people(q->app->db, q->a, x.id, &ps, &np);
	if (rc == STORE_OK)
		rc = agenda_store_tasks(q->app->db, q->a, x.id, &ts, &nt);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	int64_t posted_task = app_param_id(q, "tid");
	const char *failed = q->form && form_failed(q) ? q->form->def->name : "";
	json_t *people = json_array();
	for (size_t i = 0; i < np; i++)
		json_array_append_new(people, json_pack("{s:I,s:s,s:s,s:b}", "id", (json_int_t)ps[i].id,
		                                        "name", ps[i].name, "organisation",
		                                        ps[i].organisation, "consent", ps[i].consent));
	plan p;
	json_t *themes = json_array();
	if (store_plan_get(q->app->db, q->a, x.plan_id, &p) == STORE_OK)
		for (size_t i = 0; i < p.nthemes; i++) {
			bool on = x.nthemes && x.themes[0].id == p.themes[i].id;
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)p.themes[i].id);
			json_array_append_new(themes, json_pack("{s:s,s:s,s:b}", "value", id, "label",
			                                        p.themes[i].name, "selected", on));
		}
	json_t *tasks = json_array();
	for (size_t i = 0; i < nt; i++) {
		const agenda_task *t = &ts[i];
		char lead[24] = "";
		if (t->lead_org_id)
			snprintf(lead, sizeof lead, "%lld", (long long)t->lead_org_id);
		json_t *fv = form_view(q, &agenda_task_edit_form,
		                       arena_printf(q->a, "task-%lld", (long long)t->id),
		                       json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "title", t->title, "minimal",
		                                 t->minimal, "maximal", t->maximal, "lead_org_id", lead,
		                                 "involve", t->involve, "needs", t->needs),
		                       posted_task == t->id);
		json_object_set_new(fv, "org_options", org_options(q, chosen_lead(fv)));
		json_t *o = json_pack("{s:I,s:i,s:s,s:o,s:b,s:b}", "id", (json_int_t)t->id, "rank",
		                      (int)i + 1, "title", t->title, "edit", fv, "first", i == 0, "last",
		                      i + 1 == nt);
		if (t->action_id)
			json_object_set_new(o, "action_point", json_pack("{s:I,s:s}", "id",
			                                                 (json_int_t)t->action_id, "title",
			                                                 t->action_title));
		else
			json_object_set_new(o, "themes", json_deep_copy(themes));
		if (posted_task == t->id && !strcmp(failed, "task-action"))
			json_object_set(o, "action_error", json_object_get(q->form->errors, "theme_id"));
		json_array_append_new(tasks, o);
	}
	json_t *nf = form_view(q, &agenda_task_form, "task", NULL, posted_task == 0);
	json_object_set_new(nf, "org_options", org_options(q, chosen_lead(nf)));
	json_t *m = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "title", x.title, "session",
	                      agenda_session_view(q, &x), "people", people, "tasks", tasks,
	                      "person_form", form_view(q, &agenda_person_form, "person", NULL, true),
	                      "task_form", nf);
	json_decref(themes);
	if (form_failed(q))
		json_object_set_new(m, "has_errors", json_true());
	app_page(q, status, "agenda_table", m);
}

void agenda_table_page(app_req *q)
{
	table_page(q, 200);
}

void agenda_table_reshow(app_req *q)
{
	table_page(q, 422);
}

static void back(app_req *q, int64_t id, const char *flash)
{
	char *to = arena_printf(q->a, "/sessions/%lld/table", (long long)id);
	app_redirect(q, to ? to : "/agenda", flash);
}

/* A lead that is not an organisation: said at the field. */
static bool lead_ok(app_req *q)
{
	int64_t id = form_int(q, "lead_org_id");
	organisation o;
	if (!id || store_org_get(q->app->db, q->a, id, &o) == STORE_OK)
		return true;
	form_fail(q, "lead_org_id", "Choose one of the options.");
	form_reshow(q);
	return false;
}

void agenda_person_add(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	store_rc rc = agenda_store_person_add(q->app->db, x.id, form_text(q, "name"),
	                                      form_text(q, "organisation"), form_bool(q, "consent"),
	                                      NULL);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, x.id, "saved");
}

void agenda_person_delete(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	store_rc rc = agenda_store_person_delete(q->app->db, x.id, app_param_id(q, "pid"));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, x.id, "deleted");
}

static void task_save(app_req *q, int64_t id)
{
	agenda_session x;
	if (!agenda_load(q, &x) || !lead_ok(q))
		return;
	agenda_task t = { .id = id, .session_id = x.id, .title = form_text(q, "title"),
		          .minimal = form_text(q, "minimal"), .maximal = form_text(q, "maximal"),
		          .involve = form_text(q, "involve"), .needs = form_text(q, "needs"),
		          .lead_org_id = form_int(q, "lead_org_id") };
	store_rc rc = agenda_store_task_save(q->app->db, &t, NULL);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, x.id, "saved");
}

void agenda_task_add(app_req *q)
{
	task_save(q, 0);
}

void agenda_task_update(app_req *q)
{
	task_save(q, app_param_id(q, "tid"));
}

void agenda_task_move(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	store_rc rc = agenda_store_task_move(q->app->db, x.id, app_param_id(q, "tid"),
	                                     !strcmp(form_text(q, "direction"), "up") ? -1 : 1);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	back(q, x.id, "saved");
}

void agenda_task_action(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	int64_t action = 0;
	store_rc rc = agenda_store_task_action(q->app->db, x.id, app_param_id(q, "tid"),
	                                       form_int(q, "theme_id"), q->me->id, &action);
	if (rc == STORE_INVALID) {
		form_fail(q, "theme_id", "Choose a theme of this plan.");
		form_reshow(q);
		return;
	}
	if (rc == STORE_CONFLICT) {
		app_error(q, 409, "This task has an action point already.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	char *to = arena_printf(q->a, "/actions/%lld", (long long)action);
	app_redirect(q, to ? to : "/actions", "action_created");
}
