/* monitor_store_person.c — SQL for a person's own data in monitoring
 * (the account's "my data" download): their forum memberships, the
 * measurements they recorded, their reviews as a forum member, and the
 * concerns they flagged or answered. Read only; erasing an account is the
 * users row's ON DELETE rules (memberships go, contributions stay
 * anonymous).
 */
#include <string.h>

#include "../../store/db.h"
#include "monitor.h"

static store_rc member_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_member *m = db_vec_push(v);
	if (!m)
		return STORE_ERROR;
	m->id = db_int(r, 0);
	m->plan_id = db_int(r, 1);
	m->user_id = db_int(r, 2);
	m->org_id = db_int(r, 3);
	m->org_name = db_text(v->a, r, 4);
	m->sector = db_text(v->a, r, 5);
	m->role = db_text(v->a, r, 6);
	m->from_on = db_text(v->a, r, 7);
	m->until_on = db_text(v->a, r, 8);
	m->name = "";
	return m->org_name && m->sector && m->role && m->from_on && m->until_on ? STORE_OK
	                                                                       : STORE_ERROR;
}

static store_rc measurement_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_measurement *m = db_vec_push(v);
	if (!m)
		return STORE_ERROR;
	m->id = db_int(r, 0);
	m->indicator_id = db_int(r, 1);
	m->value = db_text(v->a, r, 2);
	m->measured_on = db_text(v->a, r, 3);
	m->source_url = db_text(v->a, r, 4);
	m->note = db_text(v->a, r, 5);
	m->created_at = db_int(r, 6);
	m->indicator_title = db_text(v->a, r, 7);
	m->author_name = "";
	return m->value && m->measured_on && m->source_url && m->note && m->indicator_title
		       ? STORE_OK : STORE_ERROR;
}

static store_rc review_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_assessment *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	x->action_id = db_int(r, 0);
	x->review_id = db_int(r, 1);
	x->voice = "forum";
	x->reviewer_name = "";
	x->org_name = "";
	const char **txt[] = { &x->action_title, &x->verifiable, &x->lens, &x->ogp_values,
		               &x->potential, &x->design_note, &x->completion, &x->opened,
		               &x->end_note };
	for (int i = 0; i < (int)(sizeof txt / sizeof *txt); i++)
		if (!(*txt[i] = db_text(v->a, r, 2 + i)))
			return STORE_ERROR;
	x->updated_at = db_int(r, 11);
	return STORE_OK;
}

static store_rc concern_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_concern *c = db_vec_push(v);
	if (!c)
		return STORE_ERROR;
	c->id = db_int(r, 0);
	c->action_id = db_int(r, 1);
	c->action_title = db_text(v->a, r, 2);
	c->body = db_text(v->a, r, 3);
	c->status = db_text(v->a, r, 4);
	c->answer = db_text(v->a, r, 5);
	c->close_note = db_text(v->a, r, 6);
	c->answered_at = db_int(r, 7);
	c->closed_at = db_int(r, 8);
	c->created_at = db_int(r, 9);
	c->author_id = db_int(r, 10);
	c->author_name = c->org_name = "";
	return c->action_title && c->body && c->status && c->answer && c->close_note ? STORE_OK
	                                                                          : STORE_ERROR;
}

store_rc monitor_store_person(store *s, arena *a, int64_t user_id, monitor_person *out)
{
	memset(out, 0, sizeof *out);
	db_arg args[] = { DB_I(user_id) };
	db_vec m = { .a = a, .size = sizeof(monitor_member) };
	store_rc rc = db_query(s, "SELECT m.id, m.plan_id, m.user_id, m.org_id, o.name, o.sector, "
	                          "m.role, m.from_on, m.until_on FROM monitor_members m JOIN "
	                          "organisations o ON o.id = m.org_id WHERE m.user_id = $1 "
	                          "ORDER BY m.from_on, m.id",
	                       args, 1, member_row, &m);
	db_vec x = { .a = a, .size = sizeof(monitor_measurement) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT m.id, m.indicator_id, m.value, m.measured_on, m.source_url, "
		                 "m.note, m.created_at, i.title FROM monitor_measurements m JOIN "
		                 "monitor_indicators i ON i.id = m.indicator_id WHERE m.author_id = $1 "
		                 "ORDER BY m.id",
		              args, 1, measurement_row, &x);
	db_vec r = { .a = a, .size = sizeof(monitor_assessment) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT r.action_id, r.id, p.title, r.verifiable, r.lens, r.ogp_values, "
		                 "r.potential, r.design_note, r.completion, r.opened, r.end_note, "
		                 "r.updated_at FROM monitor_reviews r JOIN action_points p ON "
		                 "p.id = r.action_id WHERE r.reviewer_id = $1 ORDER BY r.id",
		              args, 1, review_row, &r);
	db_vec c = { .a = a, .size = sizeof(monitor_concern) };
	if (rc == STORE_OK)
		rc = db_query(s, "SELECT c.id, c.action_id, p.title, c.body, c.status, c.answer, "
		                 "c.close_note, c.answered_at, c.closed_at, c.created_at, "
		                 "COALESCE(c.author_id, 0) FROM monitor_concerns c JOIN action_points p "
		                 "ON p.id = c.action_id WHERE c.author_id = $1 OR c.answered_by = $1 "
		                 "ORDER BY c.id",
		              args, 1, concern_row, &c);
	out->members = m.items;
	out->nmembers = m.len;
	out->measurements = x.items;
	out->nmeasurements = x.len;
	out->reviews = r.items;
	out->nreviews = r.len;
	out->concerns = c.items;
	out->nconcerns = c.len;
	return rc;
}
