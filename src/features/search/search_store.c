/* search_store.c — the search index (migrations/081, 082): bringing
 * it up to date with what the triggers noted (search_store_sync), finding
 * documents, and the documents linked to a theme.
 *
 * What is public, and so indexed, is decided here, per kind, by reading
 * the thing itself: a theme always; an action point once published and
 * not archived; a consultation once published (archived ones too: their
 * results stay public); a live poll once its report is attached to the
 * plan (its report is then public); a session once published, with its
 * report once that is published. A thing that is gone or not public is
 * taken out of the index.
 */
#include <string.h>

#include "../../store/db.h"
#include "search.h"

enum { BATCH = 200, BODY_KEEP = 4000 };

/* What one thing contributes to the index. */
typedef struct source {
	bool     found;    /* exists and is public */
	int64_t  plan_id;
	sb       title, body;
	int64_t  themes[64];
	size_t   nthemes;
} source;

static void add_theme(source *src, int64_t id)
{
	for (size_t i = 0; i < src->nthemes; i++)
		if (src->themes[i] == id)
			return;
	if (id > 0 && src->nthemes < sizeof src->themes / sizeof *src->themes)
		src->themes[src->nthemes++] = id;
}

static void add_text(sb *b, const char *t)
{
	if (t && *t)
		sb_printf(b, "%s%s", b->len ? "\n\n" : "", t);
}

/* ---- reading the things ---- */

static store_rc theme_row(const db_row *r, void *ctx)
{
	source *src = ctx;
	src->found = true;
	src->plan_id = db_int(r, 0);
	sb_puts(&src->title, db_text_ref(r, 1));
	add_text(&src->body, db_text_ref(r, 2));
	add_theme(src, db_int(r, 3));
	return STORE_OK;
}

static store_rc action_row(const db_row *r, void *ctx)
{
	source *src = ctx;
	src->found = db_int(r, 11) > 0 && db_int(r, 12) == 0; /* published, not archived */
	src->plan_id = db_int(r, 0);
	add_theme(src, db_int(r, 1));
	sb_puts(&src->title, db_text_ref(r, 2));
	for (int c = 3; c <= 10; c++)
		add_text(&src->body, db_text_ref(r, c));
	return STORE_OK;
}

static store_rc text_row(const db_row *r, void *ctx)
{
	source *src = ctx;
	for (int c = 0; c < db_ncols(r); c++)
		add_text(&src->body, db_text_ref(r, c));
	return STORE_OK;
}

static store_rc option_row(const db_row *r, void *ctx)
{
	source *src = ctx;
	add_text(&src->body, db_text_ref(r, 0));
	if (!db_isnull(r, 1))
		add_theme(src, db_int(r, 1));
	return STORE_OK;
}

static store_rc cons_row(const db_row *r, void *ctx)
{
	source *src = ctx;
	/* published, or archived (its results stay public); not a draft */
	src->found = strcmp(db_text_ref(r, 3), "draft") != 0;
	src->plan_id = db_int(r, 0);
	sb_puts(&src->title, db_text_ref(r, 1));
	add_text(&src->body, db_text_ref(r, 2));
	return STORE_OK;
}

static store_rc poll_row(const db_row *r, void *ctx)
{
	source *src = ctx;
	src->found = db_int(r, 2) != 0; /* the report is attached: public */
	src->plan_id = db_int(r, 0);
	sb_puts(&src->title, db_text_ref(r, 1));
	return STORE_OK;
}

static store_rc session_row(const db_row *r, void *ctx)
{
	source *src = ctx;
	src->found = !strcmp(db_text_ref(r, 6), "published");
	src->plan_id = db_int(r, 0);
	sb_puts(&src->title, db_text_ref(r, 1));
	for (int c = 2; c <= 4; c++)
		add_text(&src->body, db_text_ref(r, c));
	if (db_int(r, 7)) /* the report, once published */
		add_text(&src->body, db_text_ref(r, 5));
	return STORE_OK;
}

static store_rc theme_id_row(const db_row *r, void *ctx)
{
	add_theme(ctx, db_int(r, 0));
	return STORE_OK;
}

/* Reads thing (kind, id) into src (found false: gone or not public). */
static store_rc read_source(store *s, const char *kind, int64_t id, source *src)
{
	db_arg a[] = { DB_I(id) };
	store_rc rc;
	if (!strcmp(kind, "theme")) {
		return db_query(s, "SELECT plan_id, name, description, id FROM themes WHERE id = $1", a,
		                1, theme_row, src);
	}
	if (!strcmp(kind, "action")) {
		rc = db_query(s, "SELECT plan_id, theme_id, title, problem, status_quo, what, how_helps, "
		                 "ambition, minimal, maximal, needs, published_at, archived_at "
		                 "FROM action_points WHERE id = $1",
		              a, 1, action_row, src);
		if (rc == STORE_OK && src->found)
			rc = db_query(s, "SELECT o.name FROM action_holders h JOIN organisations o "
			                 "ON o.id = h.organisation_id WHERE h.action_id = $1 "
			                 "ORDER BY h.role, o.id",
			              a, 1, text_row, src);
		return rc;
	}
	if (!strcmp(kind, "consultation")) {
		rc = db_query(s, "SELECT plan_id, title, intro, status FROM cons_consultations "
		                 "WHERE id = $1",
		              a, 1, cons_row, src);
		if (rc == STORE_OK && src->found)
			rc = db_query(s, "SELECT prompt, help FROM cons_questions WHERE consultation_id = $1 "
			                 "ORDER BY position, id",
			              a, 1, text_row, src);
		if (rc == STORE_OK && src->found)
			rc = db_query(s, "SELECT o.label, o.theme_id FROM cons_options o JOIN cons_questions q "
			                 "ON q.id = o.question_id WHERE q.consultation_id = $1 "
			                 "ORDER BY q.position, o.position, o.id",
			              a, 1, option_row, src);
		return rc;
	}
	if (!strcmp(kind, "poll")) {
		rc = db_query(s, "SELECT COALESCE(plan_id, 0), title, attached FROM polls WHERE id = $1",
		              a, 1, poll_row, src);
		if (rc == STORE_OK && src->found)
			rc = db_query(s, "SELECT prompt FROM poll_questions WHERE poll_id = $1 "
			                 "ORDER BY position, id",
			              a, 1, text_row, src);
		return rc;
	}
	if (!strcmp(kind, "session")) {
		rc = db_query(s, "SELECT plan_id, title, description, address, organiser_name, report, "
		                 "status, report_published FROM agenda_sessions WHERE id = $1",
		              a, 1, session_row, src);
		if (rc == STORE_OK && src->found)
			rc = db_query(s, "SELECT theme_id FROM agenda_session_themes WHERE session_id = $1 "
			                 "ORDER BY theme_id",
			              a, 1, theme_id_row, src);
		return rc;
	}
	return STORE_OK; /* a kind this version does not index: nothing */
}

/* ---- writing the index ---- */

static store_rc unindex(store *s, const char *kind, int64_t id)
{
	db_arg a[] = { DB_S(kind), DB_I(id) };
	store_rc rc = db_exec(s, "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs "
	                         "WHERE kind = $1 AND ref_id = $2)",
	                      a, 2, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM search_docs WHERE kind = $1 AND ref_id = $2", a, 2, NULL,
		             NULL);
	return rc;
}

/* The text's first BODY_KEEP bytes, not cutting a character. */
static const char *kept(arena *a, const char *t)
{
	size_t n = strlen(t);
	if (n <= BODY_KEEP)
		return t;
	n = BODY_KEEP;
	while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
		n--;
	return arena_strndup(a, t, n);
}

static store_rc index_one(store *s, arena *a, bool stems_here, const char *kind, int64_t id)
{
	source src = { 0 };
	sb_init(&src.title);
	sb_init(&src.body);
	store_rc rc = read_source(s, kind, id, &src);
	if (rc == STORE_OK && (sb_failed(&src.title) || sb_failed(&src.body)))
		rc = STORE_ERROR;
	if (rc != STORE_OK || !src.found) {
		if (rc == STORE_OK)
			rc = unindex(s, kind, id);
		goto done;
	}
	const char *title = sb_str(&src.title), *body = search_plain(a, sb_str(&src.body));
	const char *keep = body ? kept(a, body) : NULL;
	/* SQLite's FTS5 gets our Dutch stems; PostgreSQL stems the words itself. */
	const char *ftitle = stems_here ? search_words(a, title, true) : title;
	const char *fbody = stems_here && body ? search_words(a, body, true) : body;
	if (!keep || !ftitle || !fbody) {
		rc = STORE_ERROR;
		goto done;
	}
	int64_t doc = 0;
	db_arg d[] = { DB_S(kind), DB_I(id), DB_I(src.plan_id), DB_S(title), DB_S(keep),
		       DB_I(db_now()) };
	rc = db_exec(s, "INSERT INTO search_docs (kind, ref_id, plan_id, title, body, indexed_at) "
	                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, ref_id) DO UPDATE SET "
	                "plan_id = excluded.plan_id, title = excluded.title, body = excluded.body, "
	                "indexed_at = excluded.indexed_at RETURNING id",
	             d, 6, &doc, NULL);
	db_arg f[] = { DB_I(doc), DB_S(ftitle), DB_S(fbody) };
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM search_fts WHERE rowid = $1", f, 1, NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "INSERT INTO search_fts (rowid, title, body) VALUES ($1, $2, $3)", f, 3,
		             NULL, NULL);
	if (rc == STORE_OK)
		rc = db_exec(s, "DELETE FROM search_doc_themes WHERE doc_id = $1", f, 1, NULL, NULL);
	for (size_t i = 0; rc == STORE_OK && i < src.nthemes; i++) {
		db_arg t[] = { DB_I(doc), DB_I(src.themes[i]) };
		rc = db_exec(s, "INSERT INTO search_doc_themes (doc_id, theme_id) VALUES ($1, $2)", t, 2,
		             NULL, NULL);
	}
done:
	sb_free(&src.title);
	sb_free(&src.body);
	return rc;
}

typedef struct dirty {
	int64_t     id, ref_id;
	const char *kind;
} dirty;

static store_rc dirty_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	dirty *d = db_vec_push(v);
	if (!d)
		return STORE_ERROR;
	d->id = db_int(r, 0);
	d->kind = db_text(v->a, r, 1);
	d->ref_id = db_int(r, 2);
	return d->kind ? STORE_OK : STORE_ERROR;
}

typedef struct sync_ctx {
	bool   stems_here;
	size_t done;   /* notes handled in this batch */
} sync_ctx;

/* One batch: re-index what up to BATCH notes name (each thing once), then
 * remove exactly those notes; notes written meanwhile stay for the next. */
static store_rc sync_tx(store *s, void *ctx)
{
	sync_ctx *c = ctx;
	c->done = 0;
	arena a;
	arena_init(&a, 0);
	db_vec v = { .a = &a, .size = sizeof(dirty) };
	db_arg lim[] = { DB_I(BATCH) };
	store_rc rc = db_query(s, "SELECT id, kind, ref_id FROM search_dirty ORDER BY id LIMIT $1", lim,
	                       1, dirty_row, &v);
	dirty *d = v.items;
	for (size_t i = 0; rc == STORE_OK && i < v.len; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = d[j].ref_id == d[i].ref_id && !strcmp(d[j].kind, d[i].kind);
		if (!seen) {
			/* In a savepoint: a thing a rule of the data refuses (its
			 * theme removed meanwhile) is left out, not the whole batch. */
			rc = store_begin(s);
			store_rc one = rc == STORE_OK ? index_one(s, &a, c->stems_here, d[i].kind,
			                                          d[i].ref_id)
			                              : rc;
			if (one == STORE_OK) {
				rc = store_commit(s);
			} else if (rc == STORE_OK) {
				store_rollback(s);
				rc = one == STORE_INVALID || one == STORE_CONFLICT ? STORE_OK : one;
			}
		}
		db_arg del[] = { DB_I(d[i].id) };
		if (rc == STORE_OK)
			rc = db_exec(s, "DELETE FROM search_dirty WHERE id = $1", del, 1, NULL, NULL);
	}
	c->done = v.len;
	arena_free(&a);
	return rc;
}

store_rc search_store_stems_here(store *s, bool *here)
{
	arena a;
	arena_init(&a, 0);
	const char *v = NULL;
	store_rc rc = store_meta_get(s, &a, "search_stems", &v);
	*here = rc != STORE_OK || !v || strcmp(v, "db") != 0;
	arena_free(&a);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static store_rc count_row(const db_row *r, void *ctx)
{
	*(int64_t *)ctx = db_int(r, 0);
	return STORE_OK;
}

store_rc search_store_sync(store *s)
{
	/* Most answers find nothing to do: one read, no write. */
	int64_t waiting = 0;
	db_arg one[] = { DB_I(1) };
	store_rc rc = db_query(s, "SELECT COUNT(*) FROM (SELECT id FROM search_dirty LIMIT $1) d", one,
	                       1, count_row, &waiting);
	if (rc != STORE_OK || !waiting)
		return rc;
	sync_ctx c = { 0 };
	rc = search_store_stems_here(s, &c.stems_here);
	do {
		if (rc == STORE_OK)
			rc = store_tx(s, sync_tx, &c);
	} while (rc == STORE_OK && c.done == BATCH);
	return rc;
}

/* ---- reading the index ---- */

static store_rc doc_row(const db_row *r, void *ctx)
{
	db_vec *v = ctx;
	search_doc *d = db_vec_push(v);
	if (!d)
		return STORE_ERROR;
	d->id = db_int(r, 0);
	d->kind = db_text(v->a, r, 1);
	d->ref_id = db_int(r, 2);
	d->title = db_text(v->a, r, 3);
	d->body = db_text(v->a, r, 4);
	return d->kind && d->title && d->body ? STORE_OK : STORE_ERROR;
}

store_rc search_store_find(store *s, arena *a, const char *expr, const char *kind, int limit,
                           search_doc **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(search_doc) };
	store_rc rc;
	if (kind) {
		db_arg args[] = { DB_S(expr), DB_S(kind), DB_I(limit) };
		rc = db_query(s, "SELECT d.id, d.kind, d.ref_id, d.title, d.body FROM search_fts($1) f "
		                 "JOIN search_docs d ON d.id = f.rowid WHERE d.kind = $2 "
		                 "ORDER BY f.rank, d.id LIMIT $3",
		              args, 3, doc_row, &v);
	} else {
		db_arg args[] = { DB_S(expr), DB_I(limit) };
		rc = db_query(s, "SELECT d.id, d.kind, d.ref_id, d.title, d.body FROM search_fts($1) f "
		                 "JOIN search_docs d ON d.id = f.rowid ORDER BY f.rank, d.id LIMIT $2",
		              args, 2, doc_row, &v);
	}
	*out = v.items;
	*n = v.len;
	return rc;
}

store_rc search_store_theme(store *s, arena *a, int64_t theme_id, search_doc **out, size_t *n)
{
	db_vec v = { .a = a, .size = sizeof(search_doc) };
	db_arg args[] = { DB_I(theme_id) };
	store_rc rc = db_query(s, "SELECT d.id, d.kind, d.ref_id, d.title, d.body "
	                          "FROM search_doc_themes t JOIN search_docs d ON d.id = t.doc_id "
	                          "WHERE t.theme_id = $1 AND d.kind <> 'theme' "
	                          "ORDER BY d.kind, lower(d.title), d.title, d.id",
	                       args, 1, doc_row, &v);
	*out = v.items;
	*n = v.len;
	return rc;
}
