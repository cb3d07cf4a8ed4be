/* poll_store.c — store queries for live polls: polls and their join codes,
 * questions and options, answers (one per participant per question), the
 * running counts, the per-network counts that keep one machine from
 * voting for a hall, and the spellings typed into word clouds. A vote
 * changes counts only with n = n + 1 / n - 1 in SQL, inside one
 * transaction with the answer itself, so concurrent votes are never lost.
 * SQL only through src/store/db.h.
 */
#include <stdlib.h>
#include <string.h>

#include "../../store/db.h"
#include "../../util/sb.h"
#include "poll.h"

#define POLL_COLS "id, COALESCE(plan_id, 0), title, code, mode, status, " \
	"COALESCE(current_question_id, 0), show_results, attached, COALESCE(created_by, 0), " \
	"created_at, updated_at, shared_network, COALESCE(hall_net, '')"

static store_rc poll_row_into(const db_row *r, arena *a, poll *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_int(r, 0);
	p->plan_id = db_int(r, 1);
	p->title = db_text(a, r, 2);
	p->code = db_text(a, r, 3);
	p->mode = db_text(a, r, 4);
	p->status = db_text(a, r, 5);
	p->current_question = db_int(r, 6);
	p->show_results = db_bool(r, 7);
	p->attached = db_bool(r, 8);
	p->created_by = db_int(r, 9);
	p->created_at = db_int(r, 10);
	p->updated_at = db_int(r, 11);
	p->shared_network = db_bool(r, 12);
	p->hall_net = db_text(a, r, 13);
	return p->title && p->code && p->mode && p->status && p->hall_net ? STORE_OK : STORE_ERROR;
}

typedef struct one_ctx { arena *a; poll *p; bool found; } one_ctx;

static store_rc one_row(const db_row *r, void *ctx)
{
	one_ctx *c = ctx;
	c->found = true;
	return poll_row_into(r, c->a, c->p);
}

static store_rc list_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	poll *p = db_vec_push(v);
	return p ? poll_row_into(r, v->a, p) : STORE_ERROR;
}

static store_rc question_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	poll_question *q = db_vec_push(v);
	if (!q)
		return STORE_ERROR;
	q->id = db_int(r, 0);
	q->position = (int)db_int(r, 1);
	q->kind = db_text(v->a, r, 2);
	q->prompt = db_text(v->a, r, 3);
	q->scale_min = (int)db_int(r, 4);
	q->scale_max = (int)db_int(r, 5);
	q->locked = db_bool(r, 6);
	q->voters = db_int(r, 7);
	q->hidden = db_int(r, 8);
	return q->kind && q->prompt ? STORE_OK : STORE_ERROR;
}

/* Rows of options or tallies, each with its question id first; placed in
 * the question they belong to (questions are few). */
typedef struct child_ctx { arena *a; poll *p; bool tallies; } child_ctx;

static poll_question *find_q(poll *p, int64_t id)
{
	for (size_t i = 0; i < p->nquestions; i++)
		if (p->questions[i].id == id)
			return &p->questions[i];
	return NULL;
}

/* Room for one more item in an arena array that doubles at powers of two
 * (arena memory is not given back); NULL when out of memory. */
static void *grow(arena *a, void *items, size_t len, size_t size)
{
	if (len && (len & (len - 1)))
		return items;
	size_t cap = len ? len * 2 : 4;
	void *n = arena_alloc(a, cap * size);
	if (n && len)
		memcpy(n, items, len * size);
	return n;
}

static store_rc child_row(const db_row *r, void *ctx)
{
	child_ctx *c = ctx;
	poll_question *q = find_q(c->p, db_int(r, 0));
	if (!q)
		return STORE_OK;
	if (c->tallies) {
		poll_tally *t = grow(c->a, q->tallies, q->ntallies, sizeof *t);
		if (!t)
			return STORE_ERROR;
		q->tallies = t;
		t = &q->tallies[q->ntallies++];
		t->item = db_text(c->a, r, 1);
		t->label = db_text(c->a, r, 2);
		t->n = db_int(r, 3);
		t->points = db_int(r, 4);
		if (!t->item || !t->label)
			return STORE_ERROR;
		if (!strncmp(t->item, "o:", 2)) {
			int64_t oid = strtoll(t->item + 2, NULL, 10);
			for (size_t i = 0; i < q->noptions; i++)
				if (q->options[i].id == oid) {
					q->options[i].n = t->n;
					q->options[i].points = t->points;
				}
		}
		return STORE_OK;
	}
	poll_option *o = grow(c->a, q->options, q->noptions, sizeof *o);
	if (!o)
		return STORE_ERROR;
	q->options = o;
	o = &q->options[q->noptions++];
	memset(o, 0, sizeof *o);
	o->id = db_int(r, 1);
	o->label = db_text(c->a, r, 2);
	return o->label ? STORE_OK : STORE_ERROR;
}

/* A tally's label: for word-cloud entries the spelling typed most often
 * (the earliest of equals), else the label it was counted with. */
#define TALLY_COLS "t.question_id, t.item, " \
	"COALESCE((SELECT f.form FROM poll_word_forms f WHERE f.question_id = t.question_id " \
	"AND f.item = t.item AND f.n > 0 ORDER BY f.n DESC, f.first_seq, f.form LIMIT 1), t.label), " \
	"t.n, t.points"

static store_rc load_poll(store *s, arena *a, const char *sql, db_arg arg, int64_t counts,
                          poll *out)
{
	one_ctx c = { a, out, false };
	store_rc rc = db_query(s, sql, &arg, 1, one_row, &c);
	if (rc != STORE_OK)
		return rc;
	if (!c.found)
		return STORE_NOTFOUND;
	db_arg id[] = { DB_I(out->id) };
	db_vec qv = { .a = a, .size = sizeof(poll_question) };
	rc = db_query(s, "SELECT id, position, kind, prompt, scale_min, scale_max, locked, voters, "
	                 "hidden FROM poll_questions WHERE poll_id = $1 ORDER BY position, id",
	              id, 1, question_row, &qv);
	if (rc != STORE_OK)
		return rc;
	out->questions = qv.items;
	out->nquestions = qv.len;
	child_ctx cc = { a, out, false };
	rc = db_query(s, "SELECT o.question_id, o.id, o.label FROM poll_options o "
	                 "JOIN poll_questions q ON q.id = o.question_id WHERE q.poll_id = $1 "
	                 "ORDER BY o.question_id, o.position, o.id",
	              id, 1, child_row, &cc);
	if (rc != STORE_OK || counts == POLL_COUNTS_NONE)
		return rc;
	cc.tallies = true;
	if (counts == POLL_COUNTS_ALL) {
		for (size_t i = 0; i < out->nquestions; i++)
			out->questions[i].counted = true;
		return db_query(s, "SELECT " TALLY_COLS " FROM poll_tallies t "
		                   "JOIN poll_questions q ON q.id = t.question_id "
		                   "WHERE q.poll_id = $1 AND (t.n > 0 OR t.points > 0) "
		                   "ORDER BY t.question_id, t.n DESC, t.points DESC, t.item",
		                id, 1, child_row, &cc);
	}
	poll_question *pq = find_q(out, counts);
	if (!pq)
		return STORE_OK;
	pq->counted = true;
	db_arg qid[] = { DB_I(counts) };
	return db_query(s, "SELECT " TALLY_COLS " FROM poll_tallies t "
	                   "WHERE t.question_id = $1 AND (t.n > 0 OR t.points > 0) "
	                   "ORDER BY t.n DESC, t.points DESC, t.item",
	                qid, 1, child_row, &cc);
}

store_rc poll_store_get(store *s, arena *a, int64_t id, int64_t counts, poll *out)
{
	return load_poll(s, a, "SELECT " POLL_COLS " FROM polls WHERE id = $1", DB_I(id), counts, out);
}

store_rc poll_store_by_code(store *s, arena *a, const char *code, int64_t counts, poll *out)
{
	return load_poll(s, a, "SELECT " POLL_COLS " FROM polls WHERE code = $1", DB_S(code), counts,
	                 out);
}

store_rc poll_store_list(store *s, arena *a, poll **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(poll) };
	store_rc rc = db_query(s, "SELECT " POLL_COLS " FROM polls ORDER BY created_at DESC, id DESC",
	                       NULL, 0, list_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc poll_store_list_plan(store *s, arena *a, int64_t plan_id, poll **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(poll) };
	db_arg args[] = { DB_I(plan_id) };
	store_rc rc = db_query(s, "SELECT " POLL_COLS " FROM polls WHERE plan_id = $1 AND attached = 1 "
	                          "AND status <> 'draft' ORDER BY created_at, id",
	                       args, 1, list_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc poll_store_create(store *s, int64_t plan_id, const char *title, const char *code,
                           const char *mode, int64_t user_id, int64_t *id_out)
{
	int64_t now = db_now();
	db_arg a[] = { plan_id ? DB_I(plan_id) : DB_NUL, DB_S(title), DB_S(code), DB_S(mode),
		       user_id ? DB_I(user_id) : DB_NUL, DB_I(now), DB_I(now) };
	return db_exec(s, "INSERT INTO polls (plan_id, title, code, mode, created_by, created_at, "
	                  "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	               a, 7, id_out, NULL);
}

store_rc poll_store_update(store *s, const poll *p)
{
	db_arg a[] = { DB_S(p->title), DB_S(p->mode), DB_S(p->status),
		       p->current_question ? DB_I(p->current_question) : DB_NUL,
		       DB_I(p->show_results), DB_I(p->attached), p->plan_id ? DB_I(p->plan_id) : DB_NUL,
		       DB_I(db_now()), DB_I(p->id), DB_I(p->shared_network) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE polls SET title = $1, mode = $2, status = $3, "
	                         "current_question_id = $4, show_results = $5, attached = $6, "
	                         "plan_id = $7, updated_at = $8, shared_network = $10 WHERE id = $9",
	                      a, 10, NULL, &changes);
	return rc == STORE_OK && changes == 0 ? STORE_NOTFOUND : rc;
}

store_rc poll_store_set_hall(store *s, int64_t poll_id, const char *net)
{
	db_arg a[] = { DB_S(net), DB_I(poll_id) };
	return db_exec(s, "UPDATE polls SET hall_net = $1 WHERE id = $2 "
	                  "AND (hall_net IS NULL OR hall_net <> $1)", a, 2, NULL, NULL);
}

static store_rc flag_row(const db_row *r, void *ctx)
{
	(void)r;
	*(bool *)ctx = true;
	return STORE_OK;
}

store_rc poll_store_has_answers(store *s, int64_t poll_id, bool *out)
{
	*out = false;
	db_arg a[] = { DB_I(poll_id) };
	return db_query(s, "SELECT 1 FROM poll_votes v JOIN poll_questions q ON q.id = v.question_id "
	                   "WHERE q.poll_id = $1 LIMIT 1", a, 1, flag_row, out);
}

static store_rc delete_tx(store *s, void *ctx)
{
	int64_t id = *(int64_t *)ctx;
	bool answered = false;
	store_rc rc = poll_store_has_answers(s, id, &answered);
	if (rc != STORE_OK)
		return rc;
	if (answered)
		return STORE_CONFLICT;
	db_arg a[] = { DB_I(id) };
	int changes = 0;
	rc = db_exec(s, "DELETE FROM polls WHERE id = $1", a, 1, NULL, &changes);
	return rc == STORE_OK && changes == 0 ? STORE_NOTFOUND : rc;
}

store_rc poll_store_delete(store *s, int64_t poll_id)
{
	return store_tx(s, delete_tx, &poll_id);
}

typedef struct qadd_ctx {
	int64_t            poll_id;
	const char        *kind, *prompt;
	int                scale_min, scale_max;
	const char *const *options;
	size_t             noptions;
	int64_t            id;
} qadd_ctx;

static store_rc question_add_tx(store *s, void *ctx)
{
	qadd_ctx *c = ctx;
	db_arg a[] = { DB_I(c->poll_id), DB_S(c->kind), DB_S(c->prompt), DB_I(c->scale_min),
		       DB_I(c->scale_max) };
	store_rc rc = db_exec(s, "INSERT INTO poll_questions (poll_id, position, kind, prompt, "
	                         "scale_min, scale_max) VALUES ($1, (SELECT COALESCE(MAX(position), "
	                         "0) + 1 FROM poll_questions WHERE poll_id = $1), $2, $3, $4, $5) "
	                         "RETURNING id",
	                      a, 5, &c->id, NULL);
	for (size_t i = 0; rc == STORE_OK && i < c->noptions; i++) {
		db_arg o[] = { DB_I(c->id), DB_I((int64_t)i + 1), DB_S(c->options[i]) };
		rc = db_exec(s, "INSERT INTO poll_options (question_id, position, label) "
		                "VALUES ($1, $2, $3)", o, 3, NULL, NULL);
	}
	if (rc == STORE_OK) {
		db_arg u[] = { DB_I(db_now()), DB_I(c->poll_id) };
		rc = db_exec(s, "UPDATE polls SET updated_at = $1 WHERE id = $2", u, 2, NULL, NULL);
	}
	return rc;
}

store_rc poll_store_question_add(store *s, int64_t poll_id, const char *kind, const char *prompt,
                                 int scale_min, int scale_max, const char *const *options,
                                 size_t noptions, int64_t *id_out)
{
	qadd_ctx c = { poll_id, kind, prompt, scale_min, scale_max, options, noptions, 0 };
	store_rc rc = store_tx(s, question_add_tx, &c);
	if (rc == STORE_OK && id_out)
		*id_out = c.id;
	return rc;
}

typedef struct qdel_ctx { int64_t poll_id, question_id; } qdel_ctx;

static store_rc question_delete_tx(store *s, void *ctx)
{
	qdel_ctx *c = ctx;
	/* An answered question stays: its report is accountable. */
	bool answered = false;
	db_arg q[] = { DB_I(c->question_id) };
	store_rc rc = db_query(s, "SELECT 1 FROM poll_votes WHERE question_id = $1 LIMIT 1", q, 1,
	                       flag_row, &answered);
	if (rc != STORE_OK)
		return rc;
	if (answered)
		return STORE_CONFLICT;
	db_arg a[] = { DB_I(c->poll_id), DB_I(c->question_id) };
	rc = db_exec(s, "UPDATE polls SET current_question_id = NULL "
	                "WHERE id = $1 AND current_question_id = $2", a, 2, NULL, NULL);
	int changes = 0;
	if (rc == STORE_OK) {
		db_arg d[] = { DB_I(c->question_id), DB_I(c->poll_id) };
		rc = db_exec(s, "DELETE FROM poll_questions WHERE id = $1 AND poll_id = $2", d, 2,
		             NULL, &changes);
	}
	return rc == STORE_OK && changes == 0 ? STORE_NOTFOUND : rc;
}

store_rc poll_store_question_delete(store *s, int64_t poll_id, int64_t question_id)
{
	qdel_ctx c = { poll_id, question_id };
	return store_tx(s, question_delete_tx, &c);
}

store_rc poll_store_question_lock(store *s, int64_t poll_id, int64_t question_id, bool locked)
{
	db_arg a[] = { DB_I(locked), DB_I(question_id), DB_I(poll_id) };
	int changes = 0;
	store_rc rc = db_exec(s, "UPDATE poll_questions SET locked = $1 WHERE id = $2 AND poll_id = $3",
	                      a, 3, NULL, &changes);
	return rc == STORE_OK && changes == 0 ? STORE_NOTFOUND : rc;
}

static store_rc reset_tx(store *s, void *ctx)
{
	db_arg a[] = { DB_I(*(int64_t *)ctx) };
	store_rc rc = db_exec(s, "DELETE FROM poll_votes WHERE question_id IN "
	                         "(SELECT id FROM poll_questions WHERE poll_id = $1)", a, 1, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM poll_tallies WHERE question_id IN "
		                "(SELECT id FROM poll_questions WHERE poll_id = $1)", a, 1, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM poll_nets WHERE question_id IN "
		                "(SELECT id FROM poll_questions WHERE poll_id = $1)", a, 1, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM poll_word_forms WHERE question_id IN "
		                "(SELECT id FROM poll_questions WHERE poll_id = $1)", a, 1, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "UPDATE poll_questions SET voters = 0, locked = 0, hidden = 0 "
		                "WHERE poll_id = $1",
		             a, 1, NULL, NULL);
	return rc;
}

store_rc poll_store_reset(store *s, int64_t poll_id)
{
	return store_tx(s, reset_tx, &poll_id);
}

typedef struct items_ctx { arena *a; const char *items; bool found, hidden; } items_ctx;

/* An answer's items text and whether it is hidden. */
static store_rc items_row(const db_row *r, void *ctx)
{
	items_ctx *c = ctx;
	c->found = true;
	c->items = db_text(c->a, r, 0);
	c->hidden = db_bool(r, 1);
	return c->items ? STORE_OK : STORE_ERROR;
}

/* Counts one item: n + 1 and its points; a word-cloud entry's spelling
 * too. */
static store_rc tally_add(store *s, int64_t qid, const char *item, const char *label,
                          int64_t points)
{
	db_arg t[] = { DB_I(qid), DB_S(item), DB_S(label), DB_I(points) };
	store_rc rc = db_exec(s, "INSERT INTO poll_tallies (question_id, item, label, n, points) "
	                         "VALUES ($1, $2, $3, 1, $4) ON CONFLICT (question_id, item) DO UPDATE "
	                         "SET n = poll_tallies.n + 1, points = poll_tallies.points + excluded.points",
	                      t, 4, NULL, NULL);
	if (rc == STORE_OK && !strncmp(item, "w:", 2)) {
		db_arg f[] = { DB_I(qid), DB_S(item), DB_S(label) };
		rc = db_exec(s, "INSERT INTO poll_word_forms (question_id, item, form, n, first_seq) "
		                "VALUES ($1, $2, $3, 1, (SELECT COALESCE(MAX(first_seq), 0) + 1 "
		                "FROM poll_word_forms WHERE question_id = $1)) "
		                "ON CONFLICT (question_id, item, form) "
		                "DO UPDATE SET n = poll_word_forms.n + 1", f, 3, NULL, NULL);
	}
	return rc;
}

/* Takes back (sign -1) or counts again (+1, an answer shown again) what an
 * answer's items text records: "item<TAB>points[<TAB>spelling]" lines.
 * items is cut up in place. */
static store_rc retally(store *s, int64_t qid, char *items, int sign)
{
	store_rc rc = STORE_OK;
	char *save = NULL;
	for (char *line = strtok_r(items, "\n", &save); rc == STORE_OK && line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char *form = strchr(tab + 1, '\t');
		if (form)
			*form++ = '\0';
		int64_t points = strtoll(tab + 1, NULL, 10);
		if (sign > 0) {
			rc = tally_add(s, qid, line, form ? form : "", points);
			continue;
		}
		db_arg a[] = { DB_I(points), DB_I(qid), DB_S(line) };
		rc = db_exec(s, "UPDATE poll_tallies SET n = n - 1, points = points - $1 "
		                "WHERE question_id = $2 AND item = $3", a, 3, NULL, NULL);
		if (rc == STORE_OK && form) {
			db_arg f[] = { DB_I(qid), DB_S(line), DB_S(form) };
			rc = db_exec(s, "UPDATE poll_word_forms SET n = n - 1 WHERE question_id = $1 "
			                "AND item = $2 AND form = $3", f, 3, NULL, NULL);
		}
	}
	return rc;
}

typedef struct vote_ctx {
	const poll_vote_in *v;
	const char         *record;
	bool                replaced, capped;
} vote_ctx;

/* poll_store_vote's transaction (store_tx may run it more than once). The
 * participant's row is taken (the insert, or the update that returns its
 * items) before the earlier answer is read, so two votes of one
 * participant at once take turns: the later takes back exactly what the
 * earlier added. A participant new to the question is counted for its
 * network first: beyond the allowance nothing is recorded. voters changes
 * last, to hold that one row per question for the shortest time. */
static store_rc vote_tx(store *s, void *ctx)
{
	vote_ctx *c = ctx;
	const poll_vote_in *v = c->v;
	int64_t now = db_now();
	c->replaced = c->capped = false;
	db_arg row[] = { DB_I(v->question_id), DB_S(v->participant), DB_S(v->answer),
		         DB_S(c->record), DB_I(now) };
	int64_t fresh = 0;
	store_rc rc = db_exec(s, "INSERT INTO poll_votes (question_id, participant, answer, items, "
	                         "created_at) VALUES ($1, $2, $3, $4, $5) "
	                         "ON CONFLICT (question_id, participant) DO NOTHING RETURNING 1",
	                      row, 5, &fresh, NULL);
	if (rc != STORE_OK)
		return rc;
	c->replaced = !fresh;
	if (fresh && v->net) {
		db_arg n[] = { DB_I(v->question_id), DB_S(v->net), DB_I(v->cap) };
		int changes = 0;
		rc = db_exec(s, "INSERT INTO poll_nets (question_id, net, n) VALUES ($1, $2, 1) "
		                "ON CONFLICT (question_id, net) DO UPDATE SET n = poll_nets.n + 1 "
		                "WHERE poll_nets.n < $3", n, 3, NULL, &changes);
		if (rc == STORE_OK && changes == 0) {
			c->capped = true;
			return STORE_CONFLICT;
		}
	}
	if (rc == STORE_OK && c->replaced) {
		arena a;
		arena_init(&a, 1u << 20);
		items_ctx old = { &a, NULL, false };
		db_arg k[] = { DB_I(v->question_id), DB_S(v->participant) };
		rc = db_query(s, "UPDATE poll_votes SET created_at = created_at WHERE question_id = $1 "
		                 "AND participant = $2 RETURNING items, hidden", k, 2, items_row, &old);
		/* A hidden answer's counts were taken back when it was hidden. */
		if (rc == STORE_OK && old.found && !old.hidden)
			rc = retally(s, v->question_id, (char *)old.items, -1);
		arena_free(&a);
		/* The new text is shown until an organiser hides it. */
		if (rc == STORE_OK)
			rc = db_exec(s, "UPDATE poll_votes SET answer = $3, items = $4, created_at = $5, "
			                "hidden = 0 WHERE question_id = $1 AND participant = $2", row, 5,
			             NULL, NULL);
		if (rc == STORE_OK && old.hidden) {
			db_arg q[] = { DB_I(v->question_id) };
			rc = db_exec(s, "UPDATE poll_questions SET hidden = hidden - 1 WHERE id = $1", q, 1,
			             NULL, NULL);
		}
	}
	for (size_t i = 0; rc == STORE_OK && i < v->nitems; i++)
		rc = tally_add(s, v->question_id, v->items[i].item, v->items[i].label,
		               v->items[i].points);
	if (rc == STORE_OK && fresh) {
		db_arg q[] = { DB_I(v->question_id) };
		rc = db_exec(s, "UPDATE poll_questions SET voters = voters + 1 WHERE id = $1", q, 1,
		             NULL, NULL);
	}
	return rc;
}

store_rc poll_store_vote(store *s, const poll_vote_in *v, bool *replaced, bool *capped)
{
	/* What the answer adds, kept with it so a new answer can take it back. */
	sb rec;
	sb_init(&rec);
	for (size_t i = 0; i < v->nitems; i++) {
		sb_printf(&rec, "%s\t%lld", v->items[i].item, (long long)v->items[i].points);
		if (!strncmp(v->items[i].item, "w:", 2))
			sb_printf(&rec, "\t%s", v->items[i].label);
		sb_putc(&rec, '\n');
	}
	if (sb_failed(&rec)) {
		sb_free(&rec);
		return STORE_ERROR;
	}
	vote_ctx c = { v, sb_str(&rec), false, false };
	store_rc rc = store_tx(s, vote_tx, &c);
	sb_free(&rec);
	if (replaced)
		*replaced = rc == STORE_OK && c.replaced;
	if (capped)
		*capped = rc == STORE_CONFLICT && c.capped;
	return rc;
}

typedef struct mine_ctx { db_vec q, ans; } mine_ctx;

static store_rc mine_row(const db_row *r, void *ctx)
{
	mine_ctx *m = ctx;
	int64_t *id = db_vec_push(&m->q);
	const char **an = db_vec_push(&m->ans);
	if (!id || !an)
		return STORE_ERROR;
	*id = db_int(r, 0);
	*an = db_text(m->ans.a, r, 1);
	return *an ? STORE_OK : STORE_ERROR;
}

store_rc poll_store_my_answers(store *s, arena *a, int64_t poll_id, const char *participant,
                               int64_t **qids, const char ***answers, size_t *n)
{
	mine_ctx m = { { .a = a, .size = sizeof(int64_t) }, { .a = a, .size = sizeof(char *) } };
	db_arg args[] = { DB_I(poll_id), DB_S(participant) };
	store_rc rc = db_query(s, "SELECT v.question_id, v.answer FROM poll_votes v "
	                          "JOIN poll_questions q ON q.id = v.question_id "
	                          "WHERE q.poll_id = $1 AND v.participant = $2",
	                       args, 2, mine_row, &m);
	*qids = m.q.items;
	*answers = m.ans.items;
	*n = m.q.len;
	return rc;
}

static store_rc text_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	const char **t = db_vec_push(v);
	if (!t)
		return STORE_ERROR;
	*t = db_text(v->a, r, 0);
	return *t ? STORE_OK : STORE_ERROR;
}

store_rc poll_store_answers(store *s, arena *a, int64_t question_id, size_t limit,
                            const char ***out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(char *) };
	db_arg args[] = { DB_I(question_id), DB_I((int64_t)limit) };
	store_rc rc = db_query(s, "SELECT answer FROM poll_votes WHERE question_id = $1 "
	                          "AND hidden = 0 ORDER BY created_at DESC, participant LIMIT $2",
	                       args, 2, text_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

static store_rc answer_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	poll_text *t = db_vec_push(v);
	if (!t)
		return STORE_ERROR;
	t->id = db_int(r, 0);
	t->text = db_text(v->a, r, 1);
	t->hidden = db_bool(r, 2);
	t->created_at = db_int(r, 3);
	return t->text ? STORE_OK : STORE_ERROR;
}

store_rc poll_store_texts(store *s, arena *a, int64_t question_id, int64_t before, size_t limit,
                          poll_text **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(poll_text) };
	db_arg args[] = { DB_I(question_id), DB_I(before > 0 ? before : INT64_MAX),
		          DB_I((int64_t)limit) };
	store_rc rc = db_query(s, "SELECT id, answer, hidden, created_at FROM poll_votes "
	                          "WHERE question_id = $1 AND id < $2 AND answer <> '' "
	                          "ORDER BY id DESC LIMIT $3",
	                       args, 3, answer_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}

typedef struct hide_ctx {
	int64_t poll_id, answer_id, question_id;
	bool    hidden;
} hide_ctx;

typedef struct hide_row_ctx { arena *a; int64_t qid; const char *items; bool found, hidden; } hide_row_ctx;

static store_rc hide_row(const db_row *r, void *ctx)
{
	hide_row_ctx *c = ctx;
	c->found = true;
	c->qid = db_int(r, 0);
	c->items = db_text(c->a, r, 1);
	c->hidden = db_bool(r, 2);
	return c->items ? STORE_OK : STORE_ERROR;
}

/* poll_store_hide's transaction: the answer's row is taken first (an
 * update that returns it), so a vote replacing it at the same time waits
 * and then sees the flag, and counts are taken back or given back once. */
static store_rc hide_tx(store *s, void *ctx)
{
	hide_ctx *c = ctx;
	arena a;
	arena_init(&a, 1u << 16);
	hide_row_ctx row = { &a, 0, NULL, false, false };
	db_arg k[] = { DB_I(c->answer_id), DB_I(c->poll_id) };
	store_rc rc = db_query(s, "UPDATE poll_votes SET created_at = created_at WHERE id = $1 "
	                          "AND answer <> '' AND question_id IN (SELECT id FROM poll_questions "
	                          "WHERE poll_id = $2 AND kind IN ('open', 'words')) "
	                          "RETURNING question_id, items, hidden",
	                       k, 2, hide_row, &row);
	if (rc == STORE_OK && !row.found)
		rc = STORE_NOTFOUND;
	if (rc != STORE_OK || row.hidden == c->hidden)
		goto done;
	c->question_id = row.qid;
	db_arg u[] = { DB_I(c->hidden), DB_I(c->answer_id) };
	rc = db_exec(s, "UPDATE poll_votes SET hidden = $1 WHERE id = $2", u, 2, NULL, NULL);
	if (rc == STORE_OK)
		rc = retally(s, row.qid, (char *)row.items, c->hidden ? -1 : 1);
	if (rc == STORE_OK) {
		db_arg q[] = { DB_I(c->hidden ? 1 : -1), DB_I(row.qid) };
		rc = db_exec(s, "UPDATE poll_questions SET hidden = hidden + $1 WHERE id = $2", q, 2,
		             NULL, NULL);
	}
	if (rc == STORE_OK) {
		db_arg p[] = { DB_I(db_now()), DB_I(c->poll_id) };
		rc = db_exec(s, "UPDATE polls SET updated_at = $1 WHERE id = $2", p, 2, NULL, NULL);
	}
done:
	c->question_id = row.qid;
	arena_free(&a);
	return rc;
}

store_rc poll_store_hide(store *s, int64_t poll_id, int64_t answer_id, bool hidden,
                         int64_t *question_id)
{
	hide_ctx c = { poll_id, answer_id, 0, hidden };
	store_rc rc = store_tx(s, hide_tx, &c);
	if (question_id)
		*question_id = rc == STORE_OK ? c.question_id : 0;
	return rc;
}

static store_rc id_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

store_rc poll_store_text_question(store *s, int64_t poll_id, int64_t answer_id, int64_t *qid)
{
	*qid = 0;
	db_arg a[] = { DB_I(answer_id), DB_I(poll_id) };
	return db_query(s, "SELECT v.question_id FROM poll_votes v "
	                   "JOIN poll_questions q ON q.id = v.question_id "
	                   "WHERE v.id = $1 AND q.poll_id = $2 AND q.kind IN ('open', 'words') "
	                   "AND v.answer <> ''", a, 2, id_row, qid);
}
