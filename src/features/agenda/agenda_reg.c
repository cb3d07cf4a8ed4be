/* agenda_reg.c — registering for a session and cancelling, on the page
 * (forms, then back to the session with a message) and over the API
 * (JSON: the registration's state, or a 4xx with a JSON error). The store
 * decides under the session's row lock; this file only turns its verdict
 * into words.
 */
#include <string.h>
#include <time.h>

#include "agenda.h"

/* The refusal of a verdict: its message and status. */
static const char *refusal(agenda_reg_verdict v, int *status)
{
	*status = 409;
	switch (v) {
	case AGENDA_REG_FULL: return "This session is full and has no waitlist.";
	case AGENDA_REG_NOT_YET: return "Registration for this session has not opened yet.";
	case AGENDA_REG_CLOSED: return "Registration for this session is closed.";
	case AGENDA_REG_STARTED: return "This session has already started; you can no longer register.";
	default:
		*status = 404;
		return "This session does not take registrations.";
	}
}

static void answer(app_req *q, int64_t session_id, const char *flash)
{
	if (!q->want_json) {
		agenda_back(q, session_id, "#registration", flash);
		return;
	}
	agenda_reg r;
	store_rc rc = agenda_store_reg_get(q->app->db, q->a, session_id, q->me->id, &r);
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		app_store_error(q, rc);
		return;
	}
	bool none = rc == STORE_NOTFOUND || !strcmp(r.status, "cancelled");
	app_json(q, 200, json_pack("{s:{s:I,s:s,s:I}}", "registration", "session_id",
	                           (json_int_t)session_id, "status", none ? "none" : r.status,
	                           "place", (json_int_t)(none ? 0 : r.place)));
}

void agenda_register(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	agenda_reg_verdict v;
	store_rc rc = agenda_store_register(q->app->db, x.id, q->me->id, form_bool(q, "show_name"),
	                                    (int64_t)time(NULL), &v);
	if (rc == STORE_CONFLICT) {
		int status;
		const char *msg = refusal(v, &status);
		agenda_show_problem(q, status, msg);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	answer(q, x.id, v == AGENDA_REG_REGISTER ? "registered" : "waitlisted");
}

void agenda_unregister(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	store_rc rc = agenda_store_cancel(q->app->db, x.id, q->me->id, (int64_t)time(NULL), NULL);
	if (rc == STORE_CONFLICT) {
		agenda_show_problem(q, 409, "The session has started; you can no longer cancel.");
		return;
	}
	if (rc == STORE_NOTFOUND) {
		agenda_show_problem(q, 409, "You are not registered for this session.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	answer(q, x.id, "unregistered");
}
