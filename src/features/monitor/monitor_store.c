/* monitor_store.c — SQL for the plan's global criteria, the impact
 * indicators on action points and their measurements, and telling the
 * holders when a measurement is due and missing. The rules that a change
 * must keep against other writers (no unit change once measured, no
 * measurement before the baseline, one measurement a day, a criterion of
 * the action point's own plan) are conditions of the writing statement
 * itself, so two people at once cannot break them. Rights and the form's
 * own checks happen in the handlers. Assessments and concerns are in
 * monitor_store_assess.c, the forum in monitor_store_forum.c.
 */
#include <stdio.h>
#include <string.h>

#include "../../store/db.h"
#include "../../util/text.h"
#include "monitor.h"

static store_rc count_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

/* ---- criteria ---- */

#define CRITERION_COLS                                                                        \
	"c.id, c.plan_id, c.position, c.title, c.explanation, "                                \
	"(SELECT COUNT(*) FROM monitor_indicators i WHERE i.criterion_id = c.id) "              \
	"FROM monitor_criteria c "

static store_rc criterion_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_criterion *c = db_vec_push(v);
	if (!c)
		return STORE_ERROR;
	c->id = db_int(r, 0);
	c->plan_id = db_int(r, 1);
	c->position = (int)db_int(r, 2);
	c->title = db_text(v->a, r, 3);
	c->explanation = db_text(v->a, r, 4);
	c->indicators = db_int(r, 5);
	return c->title && c->explanation ? STORE_OK : STORE_ERROR;
}

store_rc monitor_store_criteria(store *s, arena *a, int64_t plan_id, monitor_criterion **out,
                                size_t *n)
{
	db_arg args[] = { DB_I(plan_id) };
	db_vec v = { .a = a, .size = sizeof(monitor_criterion) };
	store_rc rc = db_query(s, "SELECT " CRITERION_COLS "WHERE c.plan_id = $1 "
	                          "ORDER BY c.position, c.id",
	                       args, 1, criterion_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc monitor_store_criterion_get(store *s, arena *a, int64_t id, monitor_criterion *out)
{
	db_arg args[] = { DB_I(id) };
	db_vec v = { .a = a, .size = sizeof(monitor_criterion) };
	store_rc rc = db_query(s, "SELECT " CRITERION_COLS "WHERE c.id = $1", args, 1,
	                       criterion_row, &v);
	if (rc == STORE_OK && !v.len)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(monitor_criterion *)v.items;
	return rc;
}

store_rc monitor_store_criterion_add(store *s, int64_t plan_id, const char *title,
                                     const char *explanation, int64_t *id_out)
{
	int64_t now = db_now();
	db_arg a[] = { DB_I(plan_id), DB_S(title), DB_S(explanation), DB_I(now) };
	return db_exec(s, "INSERT INTO monitor_criteria (plan_id, position, title, explanation, "
	                  "created_at, updated_at) SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, "
	                  "$4, $4 FROM monitor_criteria WHERE plan_id = $1 RETURNING id",
	               a, 4, id_out, NULL);
}

store_rc monitor_store_criterion_update(store *s, int64_t plan_id, int64_t id, const char *title,
                                        const char *explanation)
{
	int changes = 0;
	db_arg a[] = { DB_S(title), DB_S(explanation), DB_I(db_now()), DB_I(id), DB_I(plan_id) };
	store_rc rc = db_exec(s, "UPDATE monitor_criteria SET title = $1, explanation = $2, "
	                         "updated_at = $3 WHERE id = $4 AND plan_id = $5",
	                      a, 5, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

store_rc monitor_store_criterion_delete(store *s, int64_t plan_id, int64_t id)
{
	/* The reference from monitor_indicators refuses it while in use
	 * (STORE_INVALID); one statement, so no indicator slips in between. */
	int changes = 0;
	db_arg a[] = { DB_I(id), DB_I(plan_id) };
	store_rc rc = db_exec(s, "DELETE FROM monitor_criteria WHERE id = $1 AND plan_id = $2", a, 2,
	                      NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

/* ---- indicators ---- */

#define INDICATOR_COLS                                                                         \
	"i.id, i.action_id, i.criterion_id, p.title, c.title, i.title, i.unit, i.direction, "   \
	"i.baseline_value, i.baseline_on, i.baseline_source, i.target_value, i.target_on, "     \
	"i.frequency, i.due_told, p.theme_id, i.updated_at, "                                   \
	"COALESCE((SELECT m.value FROM monitor_measurements m WHERE m.indicator_id = i.id "     \
	"ORDER BY m.measured_on DESC, m.id DESC LIMIT 1), ''), "                                \
	"COALESCE((SELECT MAX(m.measured_on) FROM monitor_measurements m "                      \
	"WHERE m.indicator_id = i.id), ''), "                                                   \
	"(SELECT COUNT(*) FROM monitor_measurements m WHERE m.indicator_id = i.id) "            \
	"FROM monitor_indicators i JOIN action_points p ON p.id = i.action_id "                 \
	"JOIN monitor_criteria c ON c.id = i.criterion_id "

static store_rc indicator_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	monitor_indicator *x = db_vec_push(v);
	if (!x)
		return STORE_ERROR;
	x->id = db_int(r, 0);
	x->action_id = db_int(r, 1);
	x->criterion_id = db_int(r, 2);
	const char **txt[] = { &x->action_title, &x->criterion_title, &x->title, &x->unit,
		               &x->direction, &x->baseline_value, &x->baseline_on,
		               &x->baseline_source, &x->target_value, &x->target_on, &x->frequency,
		               &x->due_told };
	for (int i = 0; i < (int)(sizeof txt / sizeof *txt); i++)
		if (!(*txt[i] = db_text(v->a, r, 3 + i)))
			return STORE_ERROR;
	x->theme_id = db_int(r, 15);
	x->updated_at = db_int(r, 16);
	x->last_value = db_text(v->a, r, 17);
	x->last_on = db_text(v->a, r, 18);
	x->measurements = db_int(r, 19);
	return x->last_value && x->last_on ? STORE_OK : STORE_ERROR;
}

store_rc monitor_store_indicators(store *s, arena *a, int64_t action_id, int64_t plan_id,
                                  monitor_indicator **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(monitor_indicator) };
	store_rc rc;
	if (action_id) {
		db_arg args[] = { DB_I(action_id) };
		rc = db_query(s, "SELECT " INDICATOR_COLS "WHERE i.action_id = $1 ORDER BY i.id", args,
		              1, indicator_row, &v);
	} else {
		db_arg args[] = { DB_I(plan_id) };
		rc = db_query(s, "SELECT " INDICATOR_COLS "WHERE p.plan_id = $1 AND p.published_at <> 0 "
		                 "AND p.archived_at = 0 ORDER BY i.action_id, i.id",
		              args, 1, indicator_row, &v);
	}
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc monitor_store_indicator_get(store *s, arena *a, int64_t id, monitor_indicator *out)
{
	db_arg args[] = { DB_I(id) };
	db_vec v = { .a = a, .size = sizeof(monitor_indicator) };
	store_rc rc = db_query(s, "SELECT " INDICATOR_COLS "WHERE i.id = $1", args, 1, indicator_row,
	                       &v);
	if (rc == STORE_OK && !v.len)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(monitor_indicator *)v.items;
	return rc;
}

store_rc monitor_store_indicator_add(store *s, const monitor_indicator *x, int64_t user_id,
                                     int64_t *id_out)
{
	int64_t now = db_now(), id = 0;
	db_arg a[] = { DB_I(x->action_id), DB_I(x->criterion_id), DB_S(x->title), DB_S(x->unit),
		       DB_S(x->direction), DB_S(x->baseline_value), DB_S(x->baseline_on),
		       DB_S(x->baseline_source), DB_S(x->target_value), DB_S(x->target_on),
		       DB_S(x->frequency), DB_I(user_id), DB_I(now) };
	/* The criterion must be one of the action point's own plan. (NULLIF:
	 * a typed 0 rather than an untyped NULL in a SELECT list, which
	 * PostgreSQL would take for text.) */
	store_rc rc = db_exec(s, "INSERT INTO monitor_indicators (action_id, criterion_id, title, "
	                         "unit, direction, baseline_value, baseline_on, baseline_source, "
	                         "target_value, target_on, frequency, created_by, created_at, "
	                         "updated_at) SELECT $1, c.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	                         "NULLIF($12, 0), $13, $13 FROM monitor_criteria c JOIN action_points p ON "
	                         "p.plan_id = c.plan_id WHERE c.id = $2 AND p.id = $1 RETURNING id",
	                      a, 13, &id, NULL);
	if (rc == STORE_OK && !id)
		rc = STORE_INVALID;
	if (id_out)
		*id_out = id;
	return rc;
}

static store_rc indicator_update_tx(store *s, void *ctx)
{
	const monitor_indicator *x = ctx;
	int64_t n = 0;
	db_arg k[] = { DB_I(x->id), DB_I(x->action_id) };
	store_rc rc = db_query(s, "SELECT COUNT(*) FROM monitor_indicators WHERE id = $1 AND "
	                          "action_id = $2",
	                       k, 2, count_row, &n);
	if (rc != STORE_OK)
		return rc;
	if (!n)
		return STORE_NOTFOUND;
	/* Each rule is a condition of the update: what another writer added in
	 * the meantime counts. */
	int changes = 0;
	db_arg u[] = { DB_S(x->unit), DB_I(x->id) };
	rc = db_exec(s, "UPDATE monitor_indicators SET unit = $1 WHERE id = $2 AND (unit = $1 OR "
	                "NOT EXISTS (SELECT 1 FROM monitor_measurements m WHERE m.indicator_id = $2))",
	             u, 2, NULL, &changes);
	if (rc != STORE_OK)
		return rc;
	if (!changes)
		return STORE_CONFLICT;
	db_arg a[] = { DB_I(x->criterion_id), DB_S(x->title), DB_S(x->direction),
		       DB_S(x->baseline_value), DB_S(x->baseline_on), DB_S(x->baseline_source),
		       DB_S(x->target_value), DB_S(x->target_on), DB_S(x->frequency), DB_I(db_now()),
		       DB_I(x->id), DB_I(x->action_id) };
	rc = db_exec(s, "UPDATE monitor_indicators SET criterion_id = $1, title = $2, direction = $3, "
	                "baseline_value = $4, baseline_on = $5, baseline_source = $6, "
	                "target_value = $7, target_on = $8, frequency = $9, updated_at = $10 "
	                "WHERE id = $11 AND action_id = $12 "
	                "AND NOT EXISTS (SELECT 1 FROM monitor_measurements m WHERE "
	                "m.indicator_id = $11 AND m.measured_on < $5) "
	                "AND EXISTS (SELECT 1 FROM monitor_criteria c JOIN action_points p ON "
	                "p.plan_id = c.plan_id WHERE c.id = $1 AND p.id = $12)",
	             a, 12, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_INVALID : rc;
}

store_rc monitor_store_indicator_update(store *s, const monitor_indicator *x)
{
	return store_tx(s, indicator_update_tx, (void *)x);
}

store_rc monitor_store_indicator_delete(store *s, int64_t action_id, int64_t id)
{
	int changes = 0;
	db_arg a[] = { DB_I(id), DB_I(action_id) };
	store_rc rc = db_exec(s, "DELETE FROM monitor_indicators WHERE id = $1 AND action_id = $2", a,
	                      2, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

/* ---- measurements ---- */

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
	m->author_name = db_text(v->a, r, 6);
	m->created_at = db_int(r, 7);
	return m->value && m->measured_on && m->source_url && m->note && m->author_name
		       ? STORE_OK : STORE_ERROR;
}

#define MEASUREMENT_COLS                                                                       \
	"m.id, m.indicator_id, m.value, m.measured_on, m.source_url, m.note, "                  \
	"COALESCE(u.name, ''), m.created_at FROM monitor_measurements m "                       \
	"LEFT JOIN users u ON u.id = m.author_id "

store_rc monitor_store_measurements(store *s, arena *a, int64_t indicator_id, int64_t action_id,
                                    monitor_measurement **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(monitor_measurement) };
	store_rc rc;
	if (indicator_id) {
		db_arg args[] = { DB_I(indicator_id) };
		rc = db_query(s, "SELECT " MEASUREMENT_COLS "WHERE m.indicator_id = $1 "
		                 "ORDER BY m.measured_on, m.id",
		              args, 1, measurement_row, &v);
	} else {
		db_arg args[] = { DB_I(action_id) };
		rc = db_query(s, "SELECT " MEASUREMENT_COLS "JOIN monitor_indicators i ON "
		                 "i.id = m.indicator_id WHERE i.action_id = $1 "
		                 "ORDER BY m.indicator_id, m.measured_on, m.id",
		              args, 1, measurement_row, &v);
	}
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc monitor_store_measurement_add(store *s, const monitor_measurement *m, int64_t user_id,
                                       int64_t *id_out)
{
	int64_t id = 0, same = 0;
	db_arg d[] = { DB_I(m->indicator_id), DB_S(m->measured_on) };
	store_rc rc = db_query(s, "SELECT COUNT(*) FROM monitor_measurements WHERE indicator_id = $1 "
	                          "AND measured_on = $2",
	                       d, 2, count_row, &same);
	if (rc == STORE_OK && same)
		return STORE_CONFLICT;
	/* The baseline date as it is when the row is written; a measurement of
	 * the same day that another writer adds first trips the unique rule
	 * (STORE_CONFLICT). */
	db_arg a[] = { DB_I(m->indicator_id), DB_S(m->value), DB_S(m->measured_on),
		       DB_S(m->source_url), DB_S(m->note), DB_I(user_id), DB_I(db_now()) };
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO monitor_measurements (indicator_id, value, measured_on, "
		                "source_url, note, author_id, created_at) SELECT i.id, $2, $3, $4, $5, "
		                "NULLIF($6, 0), $7 FROM monitor_indicators i WHERE i.id = $1 AND "
		                "i.baseline_on <= $3 "
		                "RETURNING id",
		             a, 7, &id, NULL);
	if (rc == STORE_OK && !id)
		rc = STORE_INVALID;
	if (id_out)
		*id_out = id;
	return rc;
}

store_rc monitor_store_measurement_delete(store *s, int64_t indicator_id, int64_t id)
{
	int changes = 0;
	db_arg a[] = { DB_I(id), DB_I(indicator_id) };
	store_rc rc = db_exec(s, "DELETE FROM monitor_measurements WHERE id = $1 AND "
	                         "indicator_id = $2",
	                      a, 2, NULL, &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

/* ---- due measurements ---- */

static void ymd_text(int ymd, char out[16])
{
	unsigned y = (unsigned)ymd / 10000 % 10000, m = (unsigned)ymd / 100 % 100;
	unsigned d = (unsigned)ymd % 100;
	snprintf(out, 16, "%04u-%02u-%02u", y, m, d);
}

/* The due date of x's next measurement when it is overdue on today (else
 * false). */
static bool overdue(const monitor_indicator *x, int today, char due[16])
{
	int last, target;
	const char *from = *x->last_on ? x->last_on : x->baseline_on;
	if (!text_parse_date(from, &last) || !text_parse_date(x->target_on, &target))
		return false;
	int d = monitor_next_due(last, target, monitor_frequency_months(x->frequency));
	if (!d || today <= d)
		return false;
	ymd_text(d, due);
	return true;
}

typedef struct due_ctx {
	const monitor_indicator *x;
	const char *due;
	bool tell;
	bool told;
} due_ctx;

/* Marks one overdue measurement (and tells the holders), unless another
 * node did first. */
static store_rc due_tx(store *s, void *ctx)
{
	due_ctx *c = ctx;
	c->told = false;
	int changes = 0;
	db_arg a[] = { DB_S(c->due), DB_I(c->x->id) };
	store_rc rc = db_exec(s, "UPDATE monitor_indicators SET due_told = $1 WHERE id = $2 AND "
	                         "due_told <> $1",
	                      a, 2, NULL, &changes);
	if (rc != STORE_OK || !changes || !c->tell)
		return rc;
	arena ar;
	arena_init(&ar, 0);
	int64_t *to = NULL;
	size_t n = 0;
	rc = act_store_contacts(s, &ar, c->x->action_id, 0, &to, &n);
	const char *url = arena_printf(&ar, "/actions/%lld#indicator-%lld",
	                               (long long)c->x->action_id, (long long)c->x->id);
	const char *subject = arena_printf(&ar, "%s — %s", c->x->title, c->x->action_title);
	if (rc == STORE_OK && n) {
		store_event e = { .kind = "monitor.measurement_due",
			          .msgid = N_("A measurement is due and missing: “%s”."),
			          .subject = subject ? subject : c->x->title,
			          .url = url ? url : "/actions", .object_type = "action",
			          .object_id = c->x->action_id,
			          /* a reminder for the holders, not news for followers */
			          .follower_msgid = STORE_EVENT_PERSONAL };
		rc = store_event_add(s, &e, to, n, NULL);
		c->told = rc == STORE_OK;
	}
	arena_free(&ar);
	return rc;
}

static store_rc walk_due(store *s, int today, bool tell, int *told)
{
	arena ar;
	arena_init(&ar, 0);
	monitor_indicator *xs = NULL;
	size_t n = 0;
	db_vec v = { .a = &ar, .size = sizeof(monitor_indicator) };
	store_rc rc = db_query(s, "SELECT " INDICATOR_COLS "WHERE p.published_at <> 0 AND "
	                          "p.archived_at = 0 ORDER BY i.id",
	                       NULL, 0, indicator_row, &v);
	xs = v.items;
	n = v.len;
	int count = 0;
	for (size_t i = 0; rc == STORE_OK && i < n; i++) {
		char due[16];
		if (!overdue(&xs[i], today, due) || !strcmp(xs[i].due_told, due))
			continue;
		due_ctx c = { &xs[i], due, tell, false };
		rc = store_tx(s, due_tx, &c);
		count += c.told;
	}
	arena_free(&ar);
	if (told)
		*told = count;
	return rc;
}

store_rc monitor_store_tell_due(store *s, int today, int *told)
{
	return walk_due(s, today, true, told);
}

store_rc monitor_store_due_told(store *s, int today)
{
	return walk_due(s, today, false, NULL);
}
