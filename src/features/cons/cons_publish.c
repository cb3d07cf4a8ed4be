/* cons_publish.c — a consultation's life: a draft (seen only by
 * organisers, who can preview it) until an organiser publishes it;
 * publishing one without questions is refused at the field. One nobody
 * answered can be deleted, or made a draft again; one with answers is
 * archived instead (it takes no more answers and leaves the plan's list,
 * but its page and results stay at their addresses, so what people said
 * stays accountable).
 */
#include <string.h>

#include "cons.h"

static const char *const statuses[] = { "draft", "published", "archived", NULL };
static const char *const status_labels[] = { "Draft", "Published", "Archived" };

static void check_status(app_req *q);
static void status_reshow(app_req *q);

static const form_field status_fields[] = {
	{ "status", F_CHOICE, true, 20, statuses, .label = "Status", .choice_labels = status_labels },
};
const form_def cons_status_form = FORM_DEF("status", status_fields, check_status, status_reshow);

static const char *const NO_QUESTIONS =
	"Add at least one question before you publish this consultation.";
static const char *const ANSWERED =
	"People have answered this consultation, so it cannot become a draft again. Archive it if it should leave the plan's page.";

static void check_status(app_req *q)
{
	consultation c;
	int64_t id = app_param_id(q, "cid");
	if (!id || cons_store_get(q->app->db, q->a, id, &c) != STORE_OK)
		return; /* the reshow or the handler answers 404 */
	const char *to = form_text(q, "status");
	if (!strcmp(to, "published") && c.nquestions == 0)
		form_fail(q, "status", NO_QUESTIONS);
	else if (!strcmp(to, "draft") && c.responses > 0)
		form_fail(q, "status", ANSWERED);
}

static void status_reshow(app_req *q)
{
	consultation c;
	if (cons_load(q, &c))
		cons_edit_page(q, 422, &c);
}

const char *cons_status_label(const char *status)
{
	for (int i = 0; statuses[i]; i++)
		if (!strcmp(statuses[i], status))
			return status_labels[i];
	return status;
}

void cons_publish_view(app_req *q, const consultation *c, json_t *m)
{
	bool draft = !strcmp(c->status, "draft"), archived = !strcmp(c->status, "archived");
	json_t *v = json_pack("{s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:b,s:o}", "code", c->status, "label",
	                      cons_status_label(c->status), "is_draft", draft, "is_published",
	                      !draft && !archived, "is_archived", archived, "can_delete",
	                      c->responses == 0, "can_unpublish", !draft && c->responses == 0,
	                      "can_archive", !draft && !archived && c->responses > 0, "form",
	                      form_view(q, &cons_status_form, "status", NULL, true));
	if (v)
		json_object_set_new(m, "publish", v);
}

void cons_status(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	const char *to = form_text(q, "status");
	store_rc rc = cons_store_set_status(q->app->db, c.id, to, q->me->id);
	if (rc == STORE_INVALID || rc == STORE_CONFLICT) {
		/* A question was removed or an answer came in meanwhile. */
		form_fail(q, "status", rc == STORE_INVALID ? NO_QUESTIONS : ANSWERED);
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	char *where = arena_printf(q->a, "/consultations/%lld/edit", (long long)c.id);
	if (!where) {
		cons_oom(q);
		return;
	}
	app_redirect(q, where, !strcmp(to, "published") ? "cons_published"
	                       : !strcmp(to, "archived") ? "cons_archived" : "cons_draft");
}

void cons_delete(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	store_rc rc = cons_store_delete(q->app->db, c.id);
	if (rc == STORE_CONFLICT) {
		app_error(q, 409, "People have answered this consultation, so it cannot be deleted. Archive it instead: its results stay available.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	char *where = arena_printf(q->a, "/plans/%lld", (long long)c.plan_id);
	if (!where) {
		cons_oom(q);
		return;
	}
	app_redirect(q, where, "cons_deleted");
}
