/* test_store_tx.c — the store's core (src/store/store.c, migrate.c) on a
 * temporary SQLite database: write transactions (nesting, store_tx and its
 * retries), read scopes beside a second connection, the migration runner,
 * and fault injection walked over every multi-row change: whichever
 * statement fails, the call answers an error and nothing is half-written.
 */
#include "unit.h"
#include "store_target.h"

#include <unistd.h>

#include "store/backend.h"
#include "store/store.h"
#include "features/act/act.h"
#include "features/cons/cons.h"
#include "features/poll/poll.h"

typedef struct fx {
	char   dir[64];
	char   path[192];
	store *s;
	arena  a;
} fx;

static void unlink_db(const char *db)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[256];
	for (size_t i = 0; i < ARRAY_LEN(suffix); i++) {
		snprintf(p, sizeof p, "%.200s%s", db, suffix[i]);
		unlink(p);
	}
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/openplan-tx-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	char file[96];
	snprintf(file, sizeof file, "%s/test.db", f->dir);
	store_target(file, f->path, sizeof f->path);
	char err[256] = "";
	if (store_target_open(f->path, &f->s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		rmdir(f->dir);
		free(f);
		return -1;
	}
	arena_init(&f->a, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	store_close(f->s);
	arena_free(&f->a);
	unlink_db(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

#define FX fx *f = *state; store *s = f->s; arena *a = &f->a; (void)s; (void)a

/* A second store on the same file: another connection, as another process
 * or node would have. */
static store *second(const fx *f)
{
	store *t = NULL;
	char err[256] = "";
	assert_int_equal(store_open(f->path, &t, err, sizeof err), STORE_OK);
	return t;
}

static size_t norgs(store *s, arena *a)
{
	organisation *o;
	size_t n = 0;
	assert_int_equal(store_org_list(s, a, &o, &n), STORE_OK);
	return n;
}

static bool has_org(store *s, arena *a, const char *name)
{
	organisation *o;
	size_t n = 0;
	assert_int_equal(store_org_list(s, a, &o, &n), STORE_OK);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(o[i].name, name))
			return true;
	return false;
}

/* ---- write transactions ------------------------------------------------------------- */

/* Creates "Try <call>", then answers fail_rc for the first fail_times calls. */
typedef struct try_ctx { int calls, fail_times; store_rc fail_rc; } try_ctx;

static store_rc try_fn(store *s, void *ctx)
{
	try_ctx *t = ctx;
	char name[32];
	snprintf(name, sizeof name, "Try %d", ++t->calls);
	store_rc rc = store_org_create(s, name, "other", NULL);
	if (rc == STORE_OK && t->calls <= t->fail_times)
		rc = t->fail_rc;
	return rc;
}

TEST(tx_commits_or_rolls_back_what_fn_did)
{
	FX;
	try_ctx ok = { 0 };
	assert_int_equal(store_tx(s, try_fn, &ok), STORE_OK);
	assert_int_equal(ok.calls, 1);
	assert_true(has_org(s, a, "Try 1"));
	try_ctx no = { .fail_times = 1, .fail_rc = STORE_CONFLICT };
	assert_int_equal(store_tx(s, try_fn, &no), STORE_CONFLICT);
	assert_int_equal(no.calls, 1); /* a refusal is not retried */
	assert_int_equal(norgs(s, a), 1);
}

TEST(tx_runs_again_when_the_backend_asks)
{
	FX;
	try_ctx t = { .fail_times = 2, .fail_rc = STORE_RETRY };
	assert_int_equal(store_tx(s, try_fn, &t), STORE_OK);
	assert_int_equal(t.calls, 3);
	assert_int_equal(norgs(s, a), 1); /* only the last attempt's work */
	assert_true(has_org(s, a, "Try 3"));
}

TEST(tx_gives_up_after_a_few_tries)
{
	FX;
	uint64_t errors = store_error_count();
	try_ctx t = { .fail_times = 1000, .fail_rc = STORE_RETRY };
	assert_int_equal(store_tx(s, try_fn, &t), STORE_ERROR);
	assert_int_equal(t.calls, 5);
	assert_int_equal(norgs(s, a), 0);
	assert_int_equal(store_error_count(), errors + 1);
}

TEST(tx_inside_a_transaction_is_a_savepoint)
{
	FX;
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_org_create(s, "Outer", "other", NULL), STORE_OK);
	try_ctx no = { .fail_times = 1, .fail_rc = STORE_INVALID };
	assert_int_equal(store_tx(s, try_fn, &no), STORE_INVALID);
	/* no retry inside another transaction: the busy database is an error */
	try_ctx busy = { .fail_times = 1, .fail_rc = STORE_RETRY };
	assert_int_equal(store_tx(s, try_fn, &busy), STORE_ERROR);
	assert_int_equal(busy.calls, 1);
	try_ctx ok = { .calls = 10 };
	assert_int_equal(store_tx(s, try_fn, &ok), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(norgs(s, a), 2);
	assert_true(has_org(s, a, "Outer"));
	assert_true(has_org(s, a, "Try 11"));
}

TEST(nested_rollback_undoes_only_the_inner_work)
{
	FX;
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_org_create(s, "A", "other", NULL), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_org_create(s, "B", "other", NULL), STORE_OK);
	store_rollback(s);
	assert_int_equal(store_org_create(s, "C", "other", NULL), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_true(has_org(s, a, "A"));
	assert_false(has_org(s, a, "B"));
	assert_true(has_org(s, a, "C"));
}

/* A busy database outside store_tx is an error, never STORE_RETRY. */
TEST(retry_never_leaves_the_store)
{
	FX;
	store_fault_inject(s, 1, STORE_RETRY);
	assert_int_equal(store_org_create(s, "X", "other", NULL), STORE_ERROR);
	assert_true(store_fault_fired(s));
	assert_int_equal(store_begin(s), STORE_OK);
	store_fault_inject(s, 1, STORE_RETRY);
	assert_int_equal(store_org_create(s, "X", "other", NULL), STORE_ERROR);
	store_rollback(s);
	store_fault_inject(s, 1, STORE_RETRY);
	assert_int_equal(store_begin(s), STORE_ERROR);
	assert_int_equal(store_commit(s), STORE_OK); /* nothing open */
	assert_int_equal(norgs(s, a), 0);
}

/* ---- read scopes --------------------------------------------------------------------- */

TEST(read_scope_sees_one_snapshot)
{
	FX;
	store *t = second(f);
	assert_int_equal(store_read_begin(s), STORE_OK);
	assert_int_equal(norgs(s, a), 0);
	assert_int_equal(store_org_create(t, "Elsewhere", "other", NULL), STORE_OK);
	assert_int_equal(norgs(s, a), 0); /* still the scope's snapshot */
	store_read_end(s);
	assert_int_equal(norgs(s, a), 1);
	store_close(t);
}

/* Writes inside a scope work even when another connection wrote after the
 * snapshot was taken (turning that snapshot into a write transaction would
 * fail with SQLITE_BUSY_SNAPSHOT), commit at once, and are seen by the
 * reads after them. */
TEST(write_inside_read_scope)
{
	FX;
	store *t = second(f);
	assert_int_equal(store_read_begin(s), STORE_OK);
	assert_int_equal(norgs(s, a), 0);
	assert_int_equal(store_org_create(t, "T1", "other", NULL), STORE_OK);
	assert_int_equal(store_org_create(s, "S1", "other", NULL), STORE_OK);
	assert_int_equal(norgs(s, a), 2);
	assert_int_equal(norgs(t, a), 2); /* committed, not held until the scope ends */
	assert_int_equal(store_org_create(t, "T2", "other", NULL), STORE_OK);
	try_ctx tc = { 0 };
	assert_int_equal(store_tx(s, try_fn, &tc), STORE_OK);
	assert_int_equal(norgs(s, a), 4);
	assert_int_equal(store_org_create(t, "T3", "other", NULL), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_org_create(s, "S2", "other", NULL), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(norgs(s, a), 6);
	/* after the write the scope holds a snapshot again */
	assert_int_equal(store_org_create(t, "T4", "other", NULL), STORE_OK);
	assert_int_equal(norgs(s, a), 6);
	store_read_end(s);
	assert_int_equal(norgs(s, a), 7);
	assert_int_equal(norgs(t, a), 7);
	store_close(t);
}

TEST(read_scopes_nest)
{
	FX;
	store *t = second(f);
	assert_int_equal(store_read_begin(s), STORE_OK);
	assert_int_equal(store_read_begin(s), STORE_OK);
	assert_int_equal(norgs(s, a), 0);
	assert_int_equal(store_org_create(t, "T", "other", NULL), STORE_OK);
	store_read_end(s);
	assert_int_equal(norgs(s, a), 0); /* the outer scope still holds */
	store_read_end(s);
	assert_int_equal(norgs(s, a), 1);
	store_read_end(s); /* one too many: harmless */
	assert_int_equal(norgs(s, a), 1);
	store_close(t);
}

TEST(read_scope_inside_a_write_transaction)
{
	FX;
	store *t = second(f);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_org_create(s, "Mine", "other", NULL), STORE_OK);
	assert_int_equal(store_read_begin(s), STORE_OK);
	assert_int_equal(norgs(s, a), 1); /* its own transaction's data */
	assert_int_equal(store_commit(s), STORE_OK);
	/* the scope goes on, with a snapshot taken after the commit */
	assert_int_equal(norgs(s, a), 1);
	assert_int_equal(store_org_create(t, "Theirs", "other", NULL), STORE_OK);
	assert_int_equal(norgs(s, a), 1);
	store_read_end(s);
	assert_int_equal(norgs(s, a), 2);
	/* a store closed with a scope open releases everything */
	store *u = second(f);
	assert_int_equal(store_read_begin(u), STORE_OK);
	assert_int_equal(norgs(u, a), 2);
	store_close(u);
	store_close(t);
}

/* ---- migrations ------------------------------------------------------------------------ */

#define EF(name, sql) { name, (const unsigned char *)(sql), sizeof(sql) - 1 }

TEST(migrations_found_in_every_folder)
{
	static const embed_file files[] = {
		EF("features/polls/migrations/004_polls.sql", "4"),
		EF("store/migrations/001_foundation.sql", "1"),
		EF("store/migrations/002_two.pg.sql", "2pg"),
		EF("store/migrations/002_two.sql", "2"),
		EF("features/sessions/migrations/003_sessions.sql", "3"),
		EF("web/templates/home.html", "x"),
		EF("store/migrations/README.md", "x"),
		EF("features/sessions/notes.sql", "x"),
	};
	db_migration m[ARRAY_LEN(files)];
	char err[256] = "";
	assert_int_equal(db_migrations_pick(files, ARRAY_LEN(files), NULL, m, err, sizeof err), 4);
	static const char *const want[] = { "store/migrations/001_foundation.sql",
		                            "store/migrations/002_two.sql",
		                            "features/sessions/migrations/003_sessions.sql",
		                            "features/polls/migrations/004_polls.sql" };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(m[i].version, i + 1);
		assert_string_equal(m[i].file->name, want[i]);
	}
	/* a backend with twins takes the twin where there is one */
	assert_int_equal(db_migrations_pick(files, ARRAY_LEN(files), ".pg.sql", m, err, sizeof err), 4);
	assert_string_equal(m[1].file->name, "store/migrations/002_two.pg.sql");
	assert_string_equal(m[2].file->name, "features/sessions/migrations/003_sessions.sql");
	/* and the embedded ones are the core's four */
	db_migration *all = calloc(embed_count, sizeof *all);
	assert_non_null(all);
	int n = db_migrations_pick(embed_files, embed_count, NULL, all, err, sizeof err);
	assert_true(n >= 4);
	assert_string_equal(all[0].file->name, "store/migrations/001_foundation.sql");
	free(all);
}

TEST(migrations_with_one_number_refused)
{
	static const embed_file clash[] = {
		EF("store/migrations/005_core.sql", "x"),
		EF("features/agenda/migrations/005_agenda.sql", "y"),
	};
	db_migration m[4];
	char err[256] = "";
	assert_int_equal(db_migrations_pick(clash, ARRAY_LEN(clash), NULL, m, err, sizeof err), -1);
	assert_contains(err, "store/migrations/005_core.sql");
	assert_contains(err, "features/agenda/migrations/005_agenda.sql");
	assert_contains(err, "number 5");
	static const embed_file twins[] = {
		EF("store/migrations/006_a.pg.sql", "x"),
		EF("store/migrations/006_b.pg.sql", "y"),
	};
	assert_int_equal(db_migrations_pick(twins, 2, ".pg.sql", m, err, sizeof err), -1);
	assert_int_equal(db_migrations_pick(twins, 2, NULL, m, err, sizeof err), 0);
	static const embed_file unnumbered[] = { EF("features/x/migrations/init.sql", "x") };
	assert_int_equal(db_migrations_pick(unnumbered, 1, NULL, m, err, sizeof err), -1);
	assert_contains(err, "features/x/migrations/init.sql");
}

typedef struct count1 { int64_t n; } count1;

static store_rc count1_row(const db_row *r, void *ctx)
{
	((count1 *)ctx)->n = db_int(r, 0);
	return STORE_OK;
}

TEST(migrate_runs_every_missing_number_in_order)
{
	FX;
	static const embed_file later[] = {
		/* 901 needs 900's table: only number order makes it work */
		EF("features/agenda/migrations/901_copy.sql", "CREATE TABLE f901 AS SELECT * FROM f900;"),
		EF("store/migrations/900_base.sql",
		   "CREATE TABLE f900 (a INTEGER); INSERT INTO f900 VALUES (1);"),
	};
	char err[256] = "";
	assert_int_equal(db_migrate(s, later, ARRAY_LEN(later), err, sizeof err), STORE_OK);
	assert_int_equal(store_schema_version(s), 901);
	count1 c = { 0 };
	assert_int_equal(db_query(s, "SELECT COUNT(*) FROM f901", NULL, 0, count1_row, &c), STORE_OK);
	assert_int_equal(c.n, 1);
	/* again: nothing runs twice */
	assert_int_equal(db_migrate(s, later, ARRAY_LEN(later), err, sizeof err), STORE_OK);
	/* a number below the highest, from a branch merged later, still runs */
	static const embed_file merged[] = {
		EF("features/polls/migrations/899_late.sql", "INSERT INTO f900 VALUES (2);"),
	};
	assert_int_equal(db_migrate(s, merged, 1, err, sizeof err), STORE_OK);
	assert_int_equal(db_query(s, "SELECT COUNT(*) FROM f900", NULL, 0, count1_row, &c), STORE_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(store_schema_version(s), 901);
}

/* Every migration has its PostgreSQL spelling beside it (NNN_name.pg.sql),
 * also those a feature adds later: SQLite's INTEGER PRIMARY KEY is no
 * 64-bit identity on PostgreSQL. */
TEST(every_migration_has_a_postgresql_twin)
{
	size_t plain = 0;
	for (size_t i = 0; i < embed_count; i++) {
		const char *n = embed_files[i].name;
		size_t len = strlen(n);
		if (!strstr(n, "/migrations/") || len < 4 || strcmp(n + len - 4, ".sql") ||
		    (len > 7 && !strcmp(n + len - 7, ".pg.sql")))
			continue;
		plain++;
		char twin[256];
		snprintf(twin, sizeof twin, "%.*s.pg.sql", (int)(len - 4), n);
		bool found = false;
		for (size_t k = 0; k < embed_count && !found; k++)
			found = !strcmp(embed_files[k].name, twin);
		if (!found)
			fail_msg("%s has no PostgreSQL twin %s", n, twin);
	}
	assert_true(plain >= 4);
}

TEST(failed_migration_leaves_nothing)
{
	FX;
	int before = store_schema_version(s);
	static const embed_file bad[] = {
		EF("features/x/migrations/950_bad.sql", "CREATE TABLE f950 (a INTEGER); NOT SQL AT ALL;"),
	};
	char err[256] = "";
	assert_int_equal(db_migrate(s, bad, 1, err, sizeof err), STORE_ERROR);
	assert_contains(err, "features/x/migrations/950_bad.sql");
	assert_int_equal(store_schema_version(s), before);
	/* the table of its first statement is not there: the fixed one creates it */
	static const embed_file good[] = {
		EF("features/x/migrations/950_bad.sql", "CREATE TABLE f950 (a INTEGER);"),
	};
	assert_int_equal(db_migrate(s, good, 1, err, sizeof err), STORE_OK);
	assert_int_equal(store_schema_version(s), 950);
	static const embed_file clash[] = {
		EF("store/migrations/960_a.sql", "SELECT 1;"),
		EF("features/b/migrations/960_b.sql", "SELECT 1;"),
	};
	assert_int_equal(db_migrate(s, clash, 2, err, sizeof err), STORE_ERROR);
	assert_contains(err, "both carry number 960");
	assert_int_equal(store_schema_version(s), 950);
}

/* ---- fault injection: nothing half-written ---------------------------------------------- */

/* Every table, as an order-free fingerprint: row count and a sum of row
 * hashes. SQL texts are literals: statements are kept by their address. */
static const char *const tables_sql[] = {
	"SELECT * FROM users", "SELECT * FROM sessions", "SELECT * FROM organisations",
	"SELECT * FROM memberships", "SELECT * FROM plans", "SELECT * FROM phases",
	"SELECT * FROM themes", "SELECT * FROM meta", "SELECT * FROM cons_consultations",
	"SELECT * FROM cons_questions", "SELECT * FROM cons_options",
	"SELECT * FROM cons_responses", "SELECT * FROM cons_answers", "SELECT * FROM cons_tally",
	"SELECT * FROM cons_writeins", "SELECT * FROM cons_used_tokens",
	"SELECT * FROM action_points", "SELECT * FROM action_holders",
	"SELECT * FROM action_links", "SELECT * FROM action_milestones",
	"SELECT * FROM action_updates", "SELECT * FROM action_offers",
	"SELECT * FROM action_versions", "SELECT * FROM polls", "SELECT * FROM poll_questions",
	"SELECT * FROM poll_options", "SELECT * FROM poll_votes", "SELECT * FROM poll_tallies",
	"SELECT * FROM schema_migrations",
};
enum { NTABLES = sizeof tables_sql / sizeof *tables_sql };

typedef struct fingerprint { uint64_t sum[NTABLES], rows[NTABLES]; } fingerprint;

static store_rc fp_row(const db_row *r, void *ctx)
{
	uint64_t *acc = ctx, h = 1469598103934665603ull;
	for (int c = 0; c < db_ncols(r); c++) {
		const char *t = db_isnull(r, c) ? "\x01null" : db_text_ref(r, c);
		for (; *t; t++)
			h = (h ^ (unsigned char)*t) * 1099511628211ull;
		h = (h ^ 0xffu) * 1099511628211ull;
	}
	acc[0] += h;
	acc[1]++;
	return STORE_OK;
}

static void take(store *s, fingerprint *fp)
{
	for (int i = 0; i < NTABLES; i++) {
		uint64_t acc[2] = { 0, 0 };
		assert_int_equal(db_query(s, tables_sql[i], NULL, 0, fp_row, acc), STORE_OK);
		fp->sum[i] = acc[0];
		fp->rows[i] = acc[1];
	}
}

typedef store_rc (*op_fn)(store *s, void *ctx);

/* Makes statement 1, 2, 3 … of op fail in turn: each time op must answer
 * an error and leave every table as it was. Ends with the run in which no
 * statement failed (op must succeed and change something) and returns how
 * many statements op ran. */
static long walk(store *s, op_fn op, void *ctx, const char *what)
{
	for (long n = 1; n < 1000; n++) {
		fingerprint before, after;
		take(s, &before);
		store_fault_inject(s, n, STORE_ERROR);
		store_rc rc = op(s, ctx);
		bool fired = store_fault_fired(s);
		store_fault_inject(s, 0, STORE_OK);
		take(s, &after);
		if (!fired) {
			if (rc != STORE_OK)
				fail_msg("%s: failed without a fault: %s", what, store_rc_name(rc));
			assert_true(memcmp(&before, &after, sizeof before) != 0);
			return n - 1;
		}
		if (rc == STORE_OK)
			fail_msg("%s: statement %ld failed, yet the call answered ok", what, n);
		for (int i = 0; i < NTABLES; i++)
			if (before.rows[i] != after.rows[i] || before.sum[i] != after.sum[i])
				fail_msg("%s: statement %ld failed and left a change in '%s'", what, n,
				         tables_sql[i] + 14);
	}
	fail_msg("%s: never finished", what);
	return 0;
}

/* A plan with a theme and an organiser, shared by the walks below. */
typedef struct world {
	int64_t plan, theme, organiser, participant;
} world;

static world make_world(store *s)
{
	world w = { 0 };
	plan p = { .title = "P", .description = "", .period_start = "2025-01-01",
		   .period_end = "2026-12-31", .status = "cocreation" };
	assert_int_equal(store_plan_create(s, &p, &w.plan), STORE_OK);
	assert_int_equal(store_theme_add(s, w.plan, "Open Informatie", "", &w.theme), STORE_OK);
	assert_int_equal(store_user_create(s, "org@example.org", "Organiser", "h", ROLE_ORGANISER,
	                                   &w.organiser), STORE_OK);
	assert_int_equal(store_user_create(s, "p@example.org", "Participant", "h", ROLE_PARTICIPANT,
	                                   &w.participant), STORE_OK);
	return w;
}

/* -- consultations -- */

typedef struct cons_op {
	int64_t               cons_id;
	const char           *browser, *nonce;
	const cons_answer_in *ans;
	size_t                n;
	bool                  replaced;
	const cons_question  *qn;
	int64_t               qid;
} cons_op;

static store_rc respond_op(store *s, void *ctx)
{
	cons_op *o = ctx;
	return cons_store_respond(s, o->cons_id, 0, o->browser, o->nonce, o->ans, o->n,
	                          &o->replaced);
}

static store_rc cons_question_op(store *s, void *ctx)
{
	cons_op *o = ctx;
	static const char *const labels[] = { "Ja", "Nee", "Weet niet" };
	return cons_store_question_add(s, o->cons_id, o->qn, labels, NULL, 3, &o->qid);
}

static int64_t tally_of(const cons_cell *c, size_t n, int64_t qid, int64_t oid)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].question_id == qid && c[i].option_id == oid)
			return c[i].count;
	return 0;
}

TEST(fault_walk_consultation)
{
	FX;
	world w = make_world(s);
	consultation c = { .plan_id = w.plan, .title = "C", .intro = "", .opens_on = "2020-01-01",
		           .closes_on = "2099-01-01", .results_public = "while_open" };
	int64_t cid = 0;
	assert_int_equal(cons_store_create(s, &c, &cid), STORE_OK);
	/* adding a question with options */
	cons_question multi = { .kind = "multiple", .prompt = "Which?", .help = "",
		                .allow_other = true, .max_length = 200, .low_label = "",
		                .high_label = "" };
	cons_op q = { .cons_id = cid, .qn = &multi };
	assert_true(walk(s, cons_question_op, &q, "question with options") >= 6);
	cons_question open = multi, scale = multi;
	open.kind = "text";
	scale.kind = "scale";
	int64_t qo = 0, qs = 0;
	assert_int_equal(cons_store_question_add(s, cid, &open, NULL, NULL, 0, &qo), STORE_OK);
	assert_int_equal(cons_store_question_add(s, cid, &scale, NULL, NULL, 0, &qs), STORE_OK);
	consultation full;
	assert_int_equal(cons_store_get(s, a, cid, &full), STORE_OK);
	assert_int_equal(full.questions[0].noptions, 3);
	int64_t qm = q.qid, ja = full.questions[0].options[0].id, nee = full.questions[0].options[1].id;

	/* a response with several answers: two options, a write-in, a text, a scale */
	cons_answer_in first[] = {
		{ .question_id = qm, .option_id = ja },
		{ .question_id = qm, .option_id = nee },
		{ .question_id = qm, .text = "Open Loket", .norm = "open loket" },
		{ .question_id = qo, .text = "Meer inspraak" },
		{ .question_id = qs, .has_value = true, .value = 4 },
	};
	cons_op r1 = { .cons_id = cid, .browser = "browser-1", .nonce = "nonce-1", .ans = first,
		       .n = ARRAY_LEN(first) };
	assert_true(walk(s, respond_op, &r1, "new response") >= 10);
	assert_false(r1.replaced);
	/* the same browser replaces it: old counts out, new counts in */
	cons_answer_in second[] = {
		{ .question_id = qm, .option_id = nee },
		{ .question_id = qm, .text = "Ander loket", .norm = "ander loket" },
		{ .question_id = qs, .has_value = true, .value = 2 },
	};
	cons_op r2 = { .cons_id = cid, .browser = "browser-1", .nonce = "nonce-2", .ans = second,
		       .n = ARRAY_LEN(second) };
	assert_true(walk(s, respond_op, &r2, "replaced response") >= 10);
	assert_true(r2.replaced);
	cons_results res;
	assert_int_equal(cons_store_get(s, a, cid, &full), STORE_OK);
	assert_int_equal(cons_store_results(s, a, &full, 10, true, &res), STORE_OK);
	assert_int_equal(res.respondents, 1);
	assert_int_equal(tally_of(res.options, res.noptions, qm, ja), 0);
	assert_int_equal(tally_of(res.options, res.noptions, qm, nee), 1);
	assert_int_equal(res.nwriteins, 1);
	assert_string_equal(res.wtext[0], "Ander loket");
	assert_int_equal(res.ntexts, 0);
}

/* -- polls -- */

typedef struct poll_op {
	int64_t            poll_id, qid;
	const char        *participant, *answer;
	const poll_item   *items;
	size_t             nitems;
	bool               replaced;
} poll_op;

static store_rc poll_question_op(store *s, void *ctx)
{
	poll_op *o = ctx;
	static const char *const opts[] = { "Workshops", "Nieuwsbrief", "Quiz" };
	return poll_store_question_add(s, o->poll_id, "ranking", "Wat eerst?", 1, 5, opts, 3,
	                               &o->qid);
}

static store_rc vote_op(store *s, void *ctx)
{
	poll_op *o = ctx;
	poll_vote_in v = { o->qid, o->participant, o->answer, o->items, o->nitems, NULL, 0 };
	return poll_store_vote(s, &v, &o->replaced, NULL);
}

static const poll_option *opt_of(const poll *p, size_t i) { return &p->questions[0].options[i]; }

TEST(fault_walk_poll)
{
	FX;
	world w = make_world(s);
	int64_t pid = 0;
	assert_int_equal(poll_store_create(s, w.plan, "Forum", "123456", "self", w.organiser, &pid),
	                 STORE_OK);
	/* creating a poll's question with its options */
	poll_op q = { .poll_id = pid };
	assert_true(walk(s, poll_question_op, &q, "poll question with options") >= 5);
	poll p;
	assert_int_equal(poll_store_get(s, a, pid, POLL_COUNTS_NONE, &p), STORE_OK);
	assert_int_equal(p.nquestions, 1);
	assert_int_equal(p.questions[0].noptions, 3);
	char *o[3];
	for (size_t i = 0; i < 3; i++)
		o[i] = arena_printf(a, "o:%lld", (long long)opt_of(&p, i)->id);
	/* a ranking vote counts three items */
	poll_item rank[] = { { o[0], "Workshops", 3 }, { o[1], "Nieuwsbrief", 2 },
		             { o[2], "Quiz", 1 } };
	poll_op v = { .qid = q.qid, .participant = "p1", .answer = "1,2,3", .items = rank,
		      .nitems = 3 };
	assert_true(walk(s, vote_op, &v, "new vote") >= 6);
	assert_false(v.replaced);
	/* the participant changes their mind: counts taken back, new ones added */
	poll_item again[] = { { o[2], "Quiz", 3 }, { o[1], "Nieuwsbrief", 2 },
		              { o[0], "Workshops", 1 } };
	poll_op v2 = { .qid = q.qid, .participant = "p1", .answer = "3,2,1", .items = again,
		       .nitems = 3 };
	assert_true(walk(s, vote_op, &v2, "replaced vote") >= 9);
	assert_true(v2.replaced);
	assert_int_equal(poll_store_get(s, a, pid, POLL_COUNTS_ALL, &p), STORE_OK);
	assert_int_equal(p.questions[0].voters, 1);
	assert_int_equal(opt_of(&p, 0)->n, 1);
	assert_int_equal(opt_of(&p, 0)->points, 1);
	assert_int_equal(opt_of(&p, 2)->points, 3);
}

/* A busy database at any statement of a vote: store_tx runs it again and
 * the vote counts exactly once. */
TEST(retry_walk_vote_counts_once)
{
	FX;
	world w = make_world(s);
	int64_t pid = 0;
	assert_int_equal(poll_store_create(s, w.plan, "Forum", "654321", "self", 0, &pid), STORE_OK);
	poll_op q = { .poll_id = pid };
	assert_int_equal(poll_question_op(s, &q), STORE_OK);
	poll p;
	assert_int_equal(poll_store_get(s, a, pid, POLL_COUNTS_NONE, &p), STORE_OK);
	poll_item it = { arena_printf(a, "o:%lld", (long long)opt_of(&p, 1)->id), "Nieuwsbrief", 1 };
	long n = 1;
	for (;; n++) {
		char who[32];
		snprintf(who, sizeof who, "p%ld", n);
		store_fault_inject(s, n, STORE_RETRY);
		poll_vote_in vi = { q.qid, who, "2", &it, 1, NULL, 0 };
		assert_int_equal(poll_store_vote(s, &vi, NULL, NULL), STORE_OK);
		bool fired = store_fault_fired(s);
		store_fault_inject(s, 0, STORE_OK);
		assert_int_equal(poll_store_get(s, a, pid, POLL_COUNTS_ALL, &p), STORE_OK);
		assert_int_equal(p.questions[0].voters, n);
		assert_int_equal(opt_of(&p, 1)->n, n);
		if (!fired)
			break;
	}
	assert_true(n >= 6);
}

/* -- adoption offers -- */

typedef struct accept_op { int64_t offer, user; } accept_op;

static store_rc accept_op_fn(store *s, void *ctx)
{
	accept_op *o = ctx;
	return act_store_offer_accept(s, o->offer, "lead", o->user);
}

TEST(fault_walk_offer_accept)
{
	FX;
	world w = make_world(s);
	act_point ap = { .plan_id = w.plan, .theme_id = w.theme, .title = "Contract Register",
		         .problem = "", .status_quo = "", .what = "", .how_helps = "", .ambition = "",
		         .ogp_values = "information", .minimal = "", .maximal = "", .needs = "",
		         .starts_on = "", .ends_on = "", .status = "seeking" };
	int64_t act = 0;
	assert_int_equal(act_store_create(s, &ap, w.organiser, &act), STORE_OK);
	/* an offer for an organisation that does not exist yet */
	act_offer of = { .action_id = act, .user_id = w.participant, .org_name = "Stichting Nieuw",
		         .new_org_sector = "civil_society", .role = "lead", .message = "Graag" };
	int64_t offer = 0;
	assert_int_equal(act_store_offer_create(s, &of, &offer), STORE_OK);
	accept_op op = { offer, w.organiser };
	assert_true(walk(s, accept_op_fn, &op, "accept offer") >= 8);
	act_point got;
	assert_int_equal(act_store_get(s, a, act, &got), STORE_OK);
	assert_string_equal(got.status, "adopted");
	assert_string_equal(got.lead_name, "Stichting Nieuw");
	assert_true(act_store_is_contact(s, act, w.participant));
	act_offer after;
	assert_int_equal(act_store_offer_get(s, a, offer, &after), STORE_OK);
	assert_string_equal(after.status, "accepted");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(tx_commits_or_rolls_back_what_fn_did),
		T(tx_runs_again_when_the_backend_asks),
		T(tx_gives_up_after_a_few_tries),
		T(tx_inside_a_transaction_is_a_savepoint),
		T(nested_rollback_undoes_only_the_inner_work),
		T(retry_never_leaves_the_store),
		T(read_scope_sees_one_snapshot),
		T(write_inside_read_scope),
		T(read_scopes_nest),
		T(read_scope_inside_a_write_transaction),
		cmocka_unit_test(migrations_found_in_every_folder),
		cmocka_unit_test(every_migration_has_a_postgresql_twin),
		cmocka_unit_test(migrations_with_one_number_refused),
		T(migrate_runs_every_missing_number_in_order),
		T(failed_migration_leaves_nothing),
		T(fault_walk_consultation),
		T(fault_walk_poll),
		T(retry_walk_vote_counts_once),
		T(fault_walk_offer_accept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
