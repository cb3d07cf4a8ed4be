/* input_store.c — store queries for input items: lists with filters and
 * keyset paging (newest first, "ids below the last one", so page 2,000 of
 * 100,000 items costs what page 1 costs), full-text search, counts per
 * status, one item, indexing new and changed texts, ideas, and removing or
 * hiding an item. Triage, groups and responses are in
 * input_store_groups.c; red-thread runs in input_store_threads.c.
 *
 * Items come from the sources through triggers (migrations/030_input.sql);
 * the SQL here reads the sources' tables (cons_*, polls, poll_questions,
 * agenda_sessions) for titles and for whether a source is public, and
 * never writes them.
 *
 * Search. SQLite: an FTS5 table over each item's Dutch stems, which
 * input_store_index makes (stems IS NULL marks a new or changed text);
 * the query's words are stemmed the same way and matched as prefixes.
 * PostgreSQL: the 'dutch' text search configuration over the text itself
 * (a generated tsvector column). input_meta, written by each backend's
 * migration, says which; the two queries are separate statements.
 */
#include <string.h>
#include <time.h>

#include "../../store/db.h"
#include "../../util/words.h"
#include "input.h"

/* ---- codes -------------------------------------------------------------------------------- */

const char *const input_statuses[] = { "new", "considering", "taken_up", "partly",
	                               "not_taken_up", "out_of_scope", NULL };
const char *const input_status_labels[] = { "New", "Under consideration", "Taken up",
	                                    "Partly taken up", "Not taken up", "Out of scope",
	                                    NULL };
const char *const input_answer_statuses[] = { "considering", "taken_up", "partly",
	                                      "not_taken_up", "out_of_scope", NULL };
const char *const input_answer_status_labels[] = { "Under consideration", "Taken up",
	                                           "Partly taken up", "Not taken up",
	                                           "Out of scope", NULL };
const char *const input_sources[] = { "cons", "poll", "board", "idea", NULL };
const char *const input_source_labels[] = { "Consultation", "Live poll", "Session board",
	                                    "Idea", NULL };

static int index_of(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

bool input_status_valid(const char *s)
{
	return index_of(input_statuses, s) >= 0;
}

bool input_source_valid(const char *s)
{
	return index_of(input_sources, s) >= 0;
}

const char *input_status_label(const char *status)
{
	int i = index_of(input_statuses, status);
	return i >= 0 ? input_status_labels[i] : status;
}

const char *input_source_label(const char *source)
{
	int i = index_of(input_sources, source);
	return i >= 0 ? input_source_labels[i] : source;
}

const char *input_kind_label(const char *kind)
{
	static const char *const k[][2] = {
		{ "open", "Open answer" }, { "writein", "Written-in option" },
		{ "reason", "Reason (yes/no)" }, { "words", "Word cloud" },
		{ "note", "Note on a board" }, { "idea", "Idea" },
	};
	for (size_t i = 0; kind && i < sizeof k / sizeof *k; i++)
		if (!strcmp(k[i][0], kind))
			return k[i][1];
	return kind ? kind : "";
}

/* Today as "YYYY-MM-DD" (UTC), for whether a consultation is closed. */
static void today(char out[16])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* ---- rows ------------------------------------------------------------------------------------ */

/* Is the item's source public? T is the parameter holding today. A
 * consultation's answers are public once its results are (published, and
 * closed or open with results shown while open); a poll's once its report
 * is attached to the plan; a board's notes when its session is public;
 * ideas always. */
#define SOURCE_PUBLIC(T) \
	"((i.source = 'cons' AND EXISTS (SELECT 1 FROM cons_consultations c WHERE " \
	"c.id = i.container_id AND c.status <> 'draft' AND (c.closes_on < " T " OR " \
	"(c.results_public = 'while_open' AND c.opens_on <= " T ")))) OR (i.source = 'poll' AND " \
	"EXISTS (SELECT 1 FROM polls p WHERE p.id = i.container_id AND p.attached = 1)) OR " \
	"(i.source = 'board' AND EXISTS (SELECT 1 FROM agenda_sessions x WHERE " \
	"x.id = i.container_id AND x.status IN ('published', 'cancelled'))) OR i.source = 'idea')"
#define ITEM_PUBLIC(T) "(i.hidden = 0 AND i.hidden_here = 0 AND " SOURCE_PUBLIC(T) ")"

/* The response that answers an item now: its group's (or, for a
 * duplicate, its original's group's), else its original's or its own. */
#define ANSWER_ID \
	"COALESCE((SELECT max(r.id) FROM input_responses r WHERE r.group_id = " \
	"CASE WHEN i.duplicate_of IS NULL THEN i.group_id ELSE o.group_id END), " \
	"(SELECT max(r.id) FROM input_responses r WHERE r.item_id = COALESCE(i.duplicate_of, i.id)))"

#define ITEM_COLS(T) \
	"i.id, i.plan_id, i.source, i.kind, i.container_id, i.part_id, " \
	"CASE i.source WHEN 'cons' THEN (SELECT c.title FROM cons_consultations c WHERE " \
	"c.id = i.container_id) WHEN 'poll' THEN (SELECT p.title FROM polls p WHERE " \
	"p.id = i.container_id) WHEN 'board' THEN (SELECT x.title FROM agenda_sessions x WHERE " \
	"x.id = i.container_id) ELSE '' END, " \
	"CASE i.source WHEN 'cons' THEN (SELECT q.prompt FROM cons_questions q WHERE " \
	"q.id = i.part_id) WHEN 'poll' THEN (SELECT q.prompt FROM poll_questions q WHERE " \
	"q.id = i.part_id) ELSE '' END, " \
	"COALESCE(i.author_id, 0), COALESCE(u.name, ''), i.text, i.hidden, i.hidden_here, " \
	"i.removed, CASE WHEN " ITEM_PUBLIC(T) " THEN 1 ELSE 0 END, COALESCE(i.theme_id, 0), " \
	"COALESCE(t.name, ''), i.status, COALESCE(i.group_id, 0), COALESCE(g.title, ''), " \
	"COALESCE(i.duplicate_of, 0), i.created_at, i.updated_at, COALESCE(ar.id, 0), " \
	"COALESCE(ar.version, 0), COALESCE(ar.status, ''), COALESCE(ar.body, ''), " \
	"COALESCE(ar.created_at, 0), CASE WHEN ar.group_id IS NULL THEN 0 ELSE 1 END, " \
	"COALESCE(o.group_id, 0)"

#define ITEM_JOINS \
	" LEFT JOIN users u ON u.id = i.author_id LEFT JOIN themes t ON t.id = i.theme_id " \
	"LEFT JOIN input_groups g ON g.id = i.group_id " \
	"LEFT JOIN input_items o ON o.id = i.duplicate_of " \
	"LEFT JOIN input_responses ar ON ar.id = " ANSWER_ID

/* Every filter of input_filter; $1 plan, $2 source, $3 container, $4
 * part, $5 theme, $6 status, $7 group, $8 author, $9 public only, $10
 * ungrouped, $11 before id, $12 today, $13 limit. */
#define ITEM_FILTERS \
	" AND ($1 = 0 OR i.plan_id = $1) AND (CAST($2 AS TEXT) = '' OR i.source = $2) " \
	"AND ($3 = 0 OR i.container_id = $3) AND ($4 = 0 OR i.part_id = $4) " \
	"AND ($5 = 0 OR i.theme_id = $5 OR ($5 = -1 AND i.theme_id IS NULL)) " \
	"AND (CAST($6 AS TEXT) = '' OR i.status = $6) AND ($7 = 0 OR i.group_id = $7) " \
	"AND ($8 = 0 OR i.author_id = $8) AND ($9 = 0 OR " ITEM_PUBLIC("$12") ") " \
	"AND ($10 = 0 OR (i.group_id IS NULL AND i.duplicate_of IS NULL AND i.removed = 0)) " \
	"AND i.id < $11"

#define ITEM_FROM "SELECT " ITEM_COLS("$12") " FROM input_items i" ITEM_JOINS " WHERE "
#define NEWEST " ORDER BY i.id DESC LIMIT $13"
#define OLDEST " ORDER BY i.id LIMIT $13"

/* The same query led by the condition an index serves best (SQLite does
 * not use an index behind "$1 = 0 OR …"). */
enum { BY_PLAN, BY_STATUS, BY_THEME, BY_CONTAINER, BY_SOURCE, BY_AUTHOR, BY_GROUP, BY_ALL,
       BY_N };
#define LEADS(ORDER) { \
	ITEM_FROM "i.plan_id = $1" ITEM_FILTERS ORDER, \
	ITEM_FROM "i.plan_id = $1 AND i.status = $6" ITEM_FILTERS ORDER, \
	ITEM_FROM "i.plan_id = $1 AND i.theme_id = $5" ITEM_FILTERS ORDER, \
	ITEM_FROM "i.source = $2 AND i.container_id = $3" ITEM_FILTERS ORDER, \
	ITEM_FROM "i.plan_id = $1 AND i.source = $2" ITEM_FILTERS ORDER, \
	ITEM_FROM "i.author_id = $8" ITEM_FILTERS ORDER, \
	ITEM_FROM "i.group_id = $7" ITEM_FILTERS ORDER, \
	ITEM_FROM "1 = 1" ITEM_FILTERS ORDER }
static const char *const list_sql[BY_N] = LEADS(NEWEST);
static const char *const each_sql[BY_N] = LEADS(OLDEST);

/* Search: SQLite's FTS5 over stems ($14: "stem"* …), newest first. */
static const char *const fts_sql =
	"SELECT " ITEM_COLS("$12") " FROM input_fts JOIN input_items i ON i.id = input_fts.rowid"
	ITEM_JOINS " WHERE input_fts MATCH $14 AND input_fts.rowid < $11" ITEM_FILTERS
	" ORDER BY input_fts.rowid DESC LIMIT $13";
/* PostgreSQL's 'dutch' configuration ($14: word:* & …). */
static const char *const tsv_sql =
	ITEM_FROM "i.tsv @@ to_tsquery('dutch', $14)" ITEM_FILTERS NEWEST;

static int lead_of(const input_filter *f)
{
	if (f->group_id)
		return BY_GROUP;
	if (f->source && *f->source && f->container_id)
		return BY_CONTAINER;
	if (!f->plan_id)
		return f->author_id ? BY_AUTHOR : BY_ALL;
	if (f->status && *f->status)
		return BY_STATUS;
	if (f->theme_id > 0)
		return BY_THEME;
	if (f->source && *f->source)
		return BY_SOURCE;
	return BY_PLAN;
}

typedef struct row_ctx {
	arena  *a;      /* NULL: strings borrowed (each) */
	db_vec  v;
	size_t  limit;
	bool    more;
	store_rc (*fn)(const input_item *it, void *ctx);
	void   *fctx;
} row_ctx;

static const char *col_text(row_ctx *c, const db_row *r, int col)
{
	return c->a ? db_text(c->a, r, col) : db_text_ref(r, col);
}

static store_rc read_item(row_ctx *c, const db_row *r, input_item *x)
{
	*x = (input_item){
		.id = db_int(r, 0), .plan_id = db_int(r, 1), .source = col_text(c, r, 2),
		.kind = col_text(c, r, 3), .container_id = db_int(r, 4), .part_id = db_int(r, 5),
		.container_title = col_text(c, r, 6), .part_title = col_text(c, r, 7),
		.author_id = db_int(r, 8), .author_name = col_text(c, r, 9), .text = col_text(c, r, 10),
		.hidden = db_bool(r, 11), .hidden_here = db_bool(r, 12), .removed = (int)db_int(r, 13),
		.is_public = db_bool(r, 14), .theme_id = db_int(r, 15), .theme_name = col_text(c, r, 16),
		.status = col_text(c, r, 17), .group_id = db_int(r, 18),
		.group_title = col_text(c, r, 19), .duplicate_of = db_int(r, 20),
		.created_at = db_int(r, 21), .updated_at = db_int(r, 22), .answer_id = db_int(r, 23),
		.answer_version = (int)db_int(r, 24), .answer_status = col_text(c, r, 25),
		.answer_body = col_text(c, r, 26), .answer_at = db_int(r, 27),
		.answer_of_group = db_bool(r, 28), .original_group_id = db_int(r, 29),
	};
	bool ok = x->source && x->kind && x->text && x->status && x->answer_body &&
	          x->container_title && x->part_title && x->author_name && x->theme_name &&
	          x->group_title && x->answer_status;
	return ok ? STORE_OK : STORE_ERROR;
}

static store_rc item_row(const db_row *r, void *ctx)
{
	row_ctx *c = ctx;
	if (c->fn) {
		input_item it;
		store_rc rc = read_item(c, r, &it);
		return rc == STORE_OK ? c->fn(&it, c->fctx) : rc;
	}
	if (c->v.len == c->limit) {
		c->more = true;
		return STORE_OK;
	}
	input_item *x = db_vec_push(&c->v);
	return x ? read_item(c, r, x) : STORE_ERROR;
}

static store_rc text_row(const db_row *r, void *ctx)
{
	void **c = ctx;
	*(const char **)c[1] = db_text(c[0], r, 0);
	return *(const char **)c[1] ? STORE_OK : STORE_ERROR;
}

/* Which search the database has: true for PostgreSQL's tsvector (written
 * by each backend's spelling of migration 030). */
static store_rc search_is_pg(store *s, arena *a, bool *pg)
{
	const char *v = NULL;
	void *c[] = { a, &v };
	db_arg k[] = { DB_S("search") };
	store_rc rc = db_query(s, "SELECT value FROM input_meta WHERE key = $1", k, 1, text_row, c);
	*pg = rc == STORE_OK && v && !strcmp(v, "tsvector");
	return rc;
}

/* scratch: memory for the search terms (the caller's arena, or one of
 * input_store_each's own). */
static store_rc run_list(store *s, arena *scratch, const input_filter *f, bool each, row_ctx *c)
{
	char day[16];
	today(day);
	int limit = f->limit > 0 ? f->limit : 50;
	const char *terms = NULL;
	bool pg = false;
	if (f->query && *f->query) {
		store_rc rc = search_is_pg(s, scratch, &pg);
		if (rc != STORE_OK)
			return rc;
		terms = input_search_terms(scratch, f->query, pg);
		if (!terms)
			return STORE_OK; /* nothing in the query counts: no item matches */
	}
	db_arg args[] = {
		DB_I(f->plan_id), DB_S(f->source ? f->source : ""), DB_I(f->container_id),
		DB_I(f->part_id), DB_I(f->theme_id), DB_S(f->status ? f->status : ""),
		DB_I(f->group_id), DB_I(f->author_id), DB_I(f->public_only), DB_I(f->ungrouped),
		DB_I(f->before_id > 0 ? f->before_id : INT64_MAX), DB_S(day),
		DB_I(each ? INT64_MAX : limit + 1), DB_S(terms),
	};
	c->limit = (size_t)limit;
	if (terms)
		return db_query(s, pg ? tsv_sql : fts_sql, args, 14, item_row, c);
	int lead = lead_of(f);
	return db_query(s, each ? each_sql[lead] : list_sql[lead], args, 13, item_row, c);
}

store_rc input_store_list(store *s, arena *a, const input_filter *f, input_item **out, size_t *n,
                          bool *more)
{
	row_ctx c = { .a = a, .v = { .a = a, .size = sizeof **out } };
	store_rc rc = run_list(s, a, f, false, &c);
	*out = c.v.items;
	*n = c.v.len;
	if (more)
		*more = c.more;
	return rc;
}

store_rc input_store_each(store *s, const input_filter *f,
                          store_rc (*fn)(const input_item *it, void *ctx), void *ctx)
{
	arena scratch;
	arena_init(&scratch, 0);
	row_ctx c = { .fn = fn, .fctx = ctx };
	store_rc rc = run_list(s, &scratch, f, true, &c);
	arena_free(&scratch);
	return rc;
}

store_rc input_store_get(store *s, arena *a, int64_t id, input_item *out)
{
	char day[16];
	today(day);
	row_ctx c = { .a = a, .v = { .a = a, .size = sizeof *out }, .limit = 1 };
	db_arg args[] = { DB_I(id), DB_S(day) };
	store_rc rc = db_query(s, "SELECT " ITEM_COLS("$2") " FROM input_items i" ITEM_JOINS
	                          " WHERE i.id = $1",
	                       args, 2, item_row, &c);
	if (rc == STORE_OK && c.v.len == 0)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		*out = *(input_item *)c.v.items;
	return rc;
}

/* ---- counts ------------------------------------------------------------------------------------ */

static store_rc count_row(const db_row *r, void *ctx)
{
	input_counts *c = ctx;
	int i = index_of(input_statuses, db_text_ref(r, 0));
	int64_t n = db_int(r, 1);
	if (i >= 0)
		c->by_status[i] += n;
	c->total += n;
	return STORE_OK;
}

store_rc input_store_counts(store *s, int64_t plan_id, const char *source, int64_t container_id,
                            bool public_only, input_counts *out)
{
	char day[16];
	today(day);
	memset(out, 0, sizeof *out);
	/* input_counts holds them per source and container (kept by triggers);
	 * only the rows whose source is public count for the public. */
	db_arg a[] = { DB_I(plan_id), DB_S(source ? source : ""), DB_I(container_id),
		       DB_I(public_only), DB_S(day) };
	return db_query(s, "SELECT i.status, sum(i.n) FROM input_counts i WHERE i.plan_id = $1 AND "
	                   "(CAST($2 AS TEXT) = '' OR (i.source = $2 AND i.container_id = $3)) AND "
	                   "($4 = 0 OR " SOURCE_PUBLIC("$5") ") GROUP BY i.status",
	                a, 5, count_row, out);
}

/* ---- search and its index ------------------------------------------------------------------------ */

typedef struct terms_ctx {
	sb   b;
	bool pg;
	int  n;
} terms_ctx;

static int on_term(void *ctx, const char *w, size_t wl, const char *st, size_t sl)
{
	terms_ctx *c = ctx;
	if (c->n == 16)
		return 0; /* enough words */
	if (c->pg) {
		/* the word itself: PostgreSQL stems it with its own Dutch rules */
		sb_printf(&c->b, "%s%.*s:*", c->n ? " & " : "", (int)wl, w);
	} else {
		sb_printf(&c->b, "%s\"%.*s\"*", c->n ? " " : "", (int)sl, st);
	}
	c->n++;
	return 0;
}

const char *input_search_terms(arena *a, const char *query, bool pg)
{
	words_stemmer *st = words_stemmer_new();
	if (!st)
		return NULL;
	terms_ctx c = { .pg = pg };
	sb_init(&c.b);
	/* Words hold letters, marks and digits only, so neither query
	 * language sees an operator in them. */
	int rc = words_each(st, query, on_term, &c);
	words_stemmer_free(st);
	const char *out = rc == 0 && c.n && !sb_failed(&c.b) ? arena_strdup(a, sb_str(&c.b)) : NULL;
	sb_free(&c.b);
	return out;
}

typedef struct stem_ctx { sb b; } stem_ctx;

static int on_stem(void *ctx, const char *w, size_t wl, const char *st, size_t sl)
{
	(void)w;
	(void)wl;
	stem_ctx *c = ctx;
	if (c->b.len)
		sb_putc(&c->b, ' ');
	sb_append(&c->b, st, sl);
	return 0;
}

typedef struct pending { int64_t id; const char *text; } pending;

static store_rc pending_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	pending *p = db_vec_push(v);
	if (!p)
		return STORE_ERROR;
	p->id = db_int(r, 0);
	p->text = db_text(v->a, r, 1);
	return p->text ? STORE_OK : STORE_ERROR;
}

typedef struct index_ctx {
	int max, done;
} index_ctx;

static store_rc index_tx(store *s, void *ctx)
{
	index_ctx *c = ctx;
	c->done = 0;
	arena a;
	arena_init(&a, 0);
	db_vec v = { .a = &a, .size = sizeof(pending) };
	db_arg l[] = { DB_I(c->max) };
	store_rc rc = db_query(s, "SELECT id, text FROM input_items WHERE stems IS NULL ORDER BY id "
	                          "LIMIT $1", l, 1, pending_row, &v);
	words_stemmer *st = rc == STORE_OK && v.len ? words_stemmer_new() : NULL;
	if (rc == STORE_OK && v.len && !st)
		rc = STORE_ERROR;
	stem_ctx sc;
	sb_init(&sc.b);
	for (size_t i = 0; rc == STORE_OK && i < v.len; i++) {
		const pending *p = &((pending *)v.items)[i];
		sc.b.len = 0;
		sb_puts(&sc.b, ""); /* an empty text gets "" (indexed, nothing in it) */
		if (words_each(st, p->text, on_stem, &sc) != 0 || sb_failed(&sc.b)) {
			/* not valid text or out of memory: index it as nothing */
			sc.b.len = 0;
			sb_puts(&sc.b, "");
		}
		if (sb_failed(&sc.b)) {
			rc = STORE_ERROR;
			break;
		}
		/* The text must still be the one stemmed (a writer may have
		 * changed it since). */
		db_arg u[] = { DB_S(sb_str(&sc.b)), DB_I(p->id), DB_S(p->text) };
		rc = db_exec(s, "UPDATE input_items SET stems = $1 WHERE id = $2 AND stems IS NULL "
		                "AND text = $3", u, 3, NULL, NULL);
		c->done++;
	}
	sb_free(&sc.b);
	words_stemmer_free(st);
	arena_free(&a);
	return rc;
}

store_rc input_store_index(store *s, int max, int *done)
{
	index_ctx c = { max > 0 ? max : 1000, 0 };
	store_rc rc = store_tx(s, index_tx, &c);
	if (done)
		*done = rc == STORE_OK ? c.done : 0;
	return rc;
}

/* ---- ideas, removing, hiding ----------------------------------------------------------------------- */

store_rc input_store_idea_add(store *s, int64_t plan_id, int64_t theme_id, int64_t author_id,
                              const char *text, int64_t *id_out)
{
	int64_t now = db_now();
	db_arg a[] = { DB_I(plan_id), theme_id ? DB_I(theme_id) : DB_NUL, DB_I(author_id),
		       DB_S(text), DB_I(now) };
	return db_exec(s, "INSERT INTO input_items (plan_id, source, kind, theme_id, author_id, "
	                  "text, created_at, updated_at) VALUES ($1, 'idea', 'idea', $2, $3, $4, "
	                  "$5, $5) RETURNING id",
	               a, 5, id_out, NULL);
}

static store_rc int_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

store_rc input_store_remove(store *s, int64_t id, int64_t user_id)
{
	int changes = 0;
	db_arg a[] = { DB_I(id), DB_I(user_id), DB_I(db_now()) };
	store_rc rc = db_exec(s, "UPDATE input_items SET removed = 1, text = '', stems = NULL, "
	                         "updated_at = $3 WHERE id = $1 AND author_id = $2 AND removed = 0",
	                      a, 3, NULL, &changes);
	if (rc != STORE_OK || changes)
		return rc;
	int64_t found = 0;
	db_arg k[] = { DB_I(id), DB_I(user_id) };
	rc = db_query(s, "SELECT count(*) FROM input_items WHERE id = $1 AND author_id = $2", k, 2,
	              int_row, &found);
	return rc != STORE_OK ? rc : found ? STORE_INVALID : STORE_NOTFOUND;
}

store_rc input_store_hide(store *s, int64_t id, bool hidden)
{
	int changes = 0;
	db_arg a[] = { DB_I(hidden), DB_I(id) };
	store_rc rc = db_exec(s, "UPDATE input_items SET hidden_here = $1 WHERE id = $2", a, 2, NULL,
	                      &changes);
	return rc == STORE_OK && !changes ? STORE_NOTFOUND : rc;
}

typedef struct container_ctx {
	arena *a;
	int64_t *plan_id;
	const char **title;
	bool found;
} container_ctx;

static store_rc container_row(const db_row *r, void *ctx)
{
	container_ctx *c = ctx;
	c->found = true;
	*c->plan_id = db_int(r, 0);
	*c->title = db_text(c->a, r, 1);
	return *c->title ? STORE_OK : STORE_ERROR;
}

store_rc input_store_container(store *s, arena *a, const char *source, int64_t id,
                               int64_t *plan_id, const char **title)
{
	container_ctx c = { a, plan_id, title, false };
	db_arg k[] = { DB_I(id) };
	store_rc rc;
	if (!strcmp(source, "cons"))
		rc = db_query(s, "SELECT plan_id, title FROM cons_consultations WHERE id = $1 AND "
		                 "status <> 'draft'", k, 1, container_row, &c);
	else if (!strcmp(source, "board"))
		rc = db_query(s, "SELECT plan_id, title FROM agenda_sessions WHERE id = $1 AND "
		                 "status IN ('published', 'cancelled')", k, 1, container_row, &c);
	else
		return STORE_NOTFOUND;
	return rc == STORE_OK && !c.found ? STORE_NOTFOUND : rc;
}
