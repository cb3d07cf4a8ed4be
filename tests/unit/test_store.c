/* test_store.c — the store (src/store) on a temporary SQLite database:
 * the domain functions, the neutral row API and its parameters, 64-bit ids
 * and the order of names. Transactions, read scopes, migrations and fault
 * injection are in test_store_tx.c. */
#include "unit.h"
#include "store_target.h"

#include <fcntl.h>
#include <unistd.h>

#include "store/db.h"
#include "store/store.h"
#include "features/act/act.h"
#include "features/cons/cons.h"
#include "features/poll/poll.h"
#include "util/sb.h"

typedef struct fx {
	char   dir[64];
	char   path[192];
	store *s;
	arena  a;
} fx;

/* Removes a database file and SQLite's companions of it. */
static void unlink_db(const char *db)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[256];
	for (size_t i = 0; i < ARRAY_LEN(suffix); i++) {
		snprintf(p, sizeof p, "%.200s%s", db, suffix[i]);
		unlink(p);
	}
}

static void remove_db_files(const fx *f)
{
	char p[160];
	unlink_db(f->path);
	snprintf(p, sizeof p, "%s/garbage", f->dir);
	unlink(p);
	rmdir(f->dir);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/openplan-unit-XXXXXX");
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
		remove_db_files(f);
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
	remove_db_files(f);
	free(f);
	return 0;
}

#define FX fx *f = *state; store *s = f->s; arena *a = &f->a; (void)s; (void)a

static int64_t mkuser(store *s, const char *email, const char *name)
{
	int64_t id = 0;
	assert_int_equal(store_user_create(s, email, name, "hash$1", ROLE_PARTICIPANT, &id), STORE_OK);
	assert_true(id > 0);
	return id;
}

static int64_t mkplan(store *s, const char *title)
{
	plan p = { .title = title, .description = "desc", .period_start = "2025-01-01",
		   .period_end = "2026-12-31", .status = "draft" };
	int64_t id = 0;
	assert_int_equal(store_plan_create(s, &p, &id), STORE_OK);
	assert_true(id > 0);
	return id;
}

static int64_t mkphase(store *s, int64_t plan_id, const char *name)
{
	int64_t id = 0;
	assert_int_equal(store_phase_add(s, plan_id, name, "", "", &id), STORE_OK);
	assert_true(id > 0);
	return id;
}

/* Phase names of a plan in order, joined by ',' */
static const char *phase_order(store *s, arena *a, int64_t plan_id)
{
	plan p;
	assert_int_equal(store_plan_get(s, a, plan_id, &p), STORE_OK);
	sb b;
	sb_init(&b);
	for (size_t i = 0; i < p.nphases; i++) {
		if (i)
			sb_putc(&b, ',');
		sb_puts(&b, p.phases[i].name);
	}
	const char *out = arena_strdup(a, sb_str(&b));
	sb_free(&b);
	return out;
}

/* ---- opening -------------------------------------------------------------------------- */

TEST(open_migrates)
{
	FX;
	assert_true(store_schema_version(s) >= 1);
	assert_true(store_is_empty(s));
}

TEST(reopen_is_idempotent)
{
	FX;
	int v = store_schema_version(s);
	int64_t uid = mkuser(s, "keep@example.org", "Keep");
	store_close(s);
	f->s = NULL;
	char err[256] = "";
	assert_int_equal(store_open(f->path, &f->s, err, sizeof err), STORE_OK);
	assert_non_null(f->s);
	assert_int_equal(store_schema_version(f->s), v);
	user u;
	assert_int_equal(store_user_by_id(f->s, a, uid, &u), STORE_OK);
	assert_string_equal(u.email, "keep@example.org");
	/* and a third time, still the same */
	store_close(f->s);
	assert_int_equal(store_open(f->path, &f->s, err, sizeof err), STORE_OK);
	assert_int_equal(store_schema_version(f->s), v);
}

TEST(open_garbage_file_fails)
{
	FX;
	char path[160];
	snprintf(path, sizeof path, "%s/garbage", f->dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	unsigned char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);
	store *g = (store *)1;
	char err[256] = "";
	assert_int_equal(store_open(path, &g, err, sizeof err), STORE_ERROR);
	assert_null(g);
	assert_true(strlen(err) > 0);
	assert_contains(err, "garbage");
}

TEST(open_in_missing_directory_fails)
{
	FX;
	char path[200];
	snprintf(path, sizeof path, "%s/no/such/dir/x.db", f->dir);
	store *g = (store *)1;
	char err[256] = "";
	assert_int_equal(store_open(path, &g, err, sizeof err), STORE_ERROR);
	assert_null(g);
	assert_true(strlen(err) > 0);
}

TEST(names_and_enums)
{
	assert_string_equal(store_rc_name(STORE_OK), "ok");
	assert_string_equal(store_rc_name(STORE_NOTFOUND), "not found");
	assert_string_equal(store_rc_name(STORE_CONFLICT), "conflict");
	assert_string_equal(store_rc_name(STORE_INVALID), "invalid");
	assert_string_equal(store_rc_name(STORE_ERROR), "database error");
	assert_string_equal(role_name(ROLE_ADMIN), "admin");
	assert_string_equal(role_name(ROLE_ORGANISER), "organiser");
	assert_string_equal(role_name((role)7), "participant");
	role r = ROLE_ADMIN;
	assert_true(role_parse("participant", &r));
	assert_int_equal(r, ROLE_PARTICIPANT);
	assert_false(role_parse("Admin", &r));
	assert_false(role_parse(NULL, &r));
	assert_true(org_sector_valid("civil_society"));
	assert_false(org_sector_valid("civil society"));
	assert_false(org_sector_valid(NULL));
	assert_true(plan_status_valid("cocreation"));
	assert_false(plan_status_valid("open"));
	assert_false(plan_status_valid(NULL));
}

/* ---- users ---------------------------------------------------------------------------- */

TEST(user_create_and_read_back)
{
	FX;
	int64_t id = 0;
	assert_int_equal(store_user_create(s, "ann@example.org", "Ann", "argon$x", ROLE_ORGANISER, &id),
	                 STORE_OK);
	assert_true(id > 0);
	user u;
	assert_int_equal(store_user_by_email(s, a, "ann@example.org", &u), STORE_OK);
	assert_int_equal(u.id, id);
	assert_string_equal(u.name, "Ann");
	assert_string_equal(u.password_hash, "argon$x");
	assert_int_equal(u.role, ROLE_ORGANISER);
	assert_true(u.created_at > 1600000000);
	user v;
	assert_int_equal(store_user_by_id(s, a, id, &v), STORE_OK);
	assert_string_equal(v.email, "ann@example.org");
	assert_int_equal(v.role, ROLE_ORGANISER);
}

TEST(user_not_found)
{
	FX;
	mkuser(s, "x@example.org", "X");
	user u;
	assert_int_equal(store_user_by_email(s, a, "y@example.org", &u), STORE_NOTFOUND);
	assert_int_equal(store_user_by_email(s, a, "X@example.org", &u), STORE_NOTFOUND);
	assert_int_equal(store_user_by_id(s, a, 999999, &u), STORE_NOTFOUND);
}

TEST(user_duplicate_email_conflicts)
{
	FX;
	int64_t first = mkuser(s, "dup@example.org", "One");
	int64_t id = -5;
	assert_int_equal(store_user_create(s, "dup@example.org", "Two", "h", ROLE_ADMIN, &id),
	                 STORE_CONFLICT);
	user u;
	assert_int_equal(store_user_by_email(s, a, "dup@example.org", &u), STORE_OK);
	assert_int_equal(u.id, first);
	assert_string_equal(u.name, "One");
	user *list;
	size_t n;
	assert_int_equal(store_user_list(s, a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
}

TEST(user_set_role_and_password)
{
	FX;
	int64_t id = mkuser(s, "r@example.org", "R");
	assert_int_equal(store_user_set_role(s, id, ROLE_ADMIN), STORE_OK);
	assert_int_equal(store_user_set_password(s, id, "new$hash"), STORE_OK);
	user u;
	assert_int_equal(store_user_by_id(s, a, id, &u), STORE_OK);
	assert_int_equal(u.role, ROLE_ADMIN);
	assert_string_equal(u.password_hash, "new$hash");
	assert_int_equal(store_user_set_role(s, id + 100, ROLE_ADMIN), STORE_NOTFOUND);
	assert_int_equal(store_user_set_password(s, id + 100, "h"), STORE_NOTFOUND);
}

TEST(user_list_ordered_by_name)
{
	FX;
	mkuser(s, "c@example.org", "Carol");
	mkuser(s, "a@example.org", "Alice");
	mkuser(s, "b@example.org", "Bob");
	user *list = NULL;
	size_t n = 0;
	assert_int_equal(store_user_list(s, a, &list, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].name, "Alice");
	assert_string_equal(list[1].name, "Bob");
	assert_string_equal(list[2].name, "Carol");
	assert_string_equal(list[2].email, "c@example.org");
}

/* ---- sessions --------------------------------------------------------------------------- */

TEST(session_create_and_lookup)
{
	FX;
	int64_t uid = mkuser(s, "s@example.org", "Sess");
	assert_int_equal(store_session_create(s, "hash-1", uid, 2000), STORE_OK);
	user u;
	assert_int_equal(store_session_user(s, a, "hash-1", 1000, &u), STORE_OK);
	assert_int_equal(u.id, uid);
	assert_string_equal(u.email, "s@example.org");
	assert_int_equal(store_session_user(s, a, "hash-2", 1000, &u), STORE_NOTFOUND);
}

TEST(session_expired_not_found)
{
	FX;
	int64_t uid = mkuser(s, "s@example.org", "Sess");
	assert_int_equal(store_session_create(s, "h", uid, 2000), STORE_OK);
	user u;
	assert_int_equal(store_session_user(s, a, "h", 1999, &u), STORE_OK);
	assert_int_equal(store_session_user(s, a, "h", 2000, &u), STORE_NOTFOUND); /* at expiry */
	assert_int_equal(store_session_user(s, a, "h", 2001, &u), STORE_NOTFOUND);
}

TEST(session_delete)
{
	FX;
	int64_t uid = mkuser(s, "s@example.org", "Sess");
	assert_int_equal(store_session_create(s, "h1", uid, 2000), STORE_OK);
	assert_int_equal(store_session_create(s, "h2", uid, 2000), STORE_OK);
	assert_int_equal(store_session_delete(s, "h1"), STORE_OK);
	user u;
	assert_int_equal(store_session_user(s, a, "h1", 1000, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(s, a, "h2", 1000, &u), STORE_OK);
	/* deleting what is not there is not an error */
	assert_int_equal(store_session_delete(s, "h1"), STORE_OK);
}

TEST(session_delete_user_keeps_one)
{
	FX;
	int64_t uid = mkuser(s, "s@example.org", "Sess");
	int64_t other = mkuser(s, "o@example.org", "Other");
	assert_int_equal(store_session_create(s, "k1", uid, 2000), STORE_OK);
	assert_int_equal(store_session_create(s, "k2", uid, 2000), STORE_OK);
	assert_int_equal(store_session_create(s, "k3", uid, 2000), STORE_OK);
	assert_int_equal(store_session_create(s, "o1", other, 2000), STORE_OK);
	assert_int_equal(store_session_delete_user(s, uid, "k2"), STORE_OK);
	user u;
	assert_int_equal(store_session_user(s, a, "k1", 1000, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(s, a, "k2", 1000, &u), STORE_OK);
	assert_int_equal(store_session_user(s, a, "k3", 1000, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(s, a, "o1", 1000, &u), STORE_OK);
	assert_int_equal(u.id, other);
	/* NULL keeps none */
	assert_int_equal(store_session_delete_user(s, uid, NULL), STORE_OK);
	assert_int_equal(store_session_user(s, a, "k2", 1000, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(s, a, "o1", 1000, &u), STORE_OK);
}

TEST(session_duplicate_and_unknown_user)
{
	FX;
	int64_t uid = mkuser(s, "s@example.org", "Sess");
	assert_int_equal(store_session_create(s, "same", uid, 2000), STORE_OK);
	assert_int_equal(store_session_create(s, "same", uid, 3000), STORE_CONFLICT);
	assert_int_equal(store_session_create(s, "orphan", uid + 1000, 2000), STORE_INVALID);
}

/* ---- organisations and memberships -------------------------------------------------------- */

TEST(org_create_get_list)
{
	FX;
	int64_t z = 0, b = 0;
	assert_int_equal(store_org_create(s, "Zeta", "government", &z), STORE_OK);
	assert_int_equal(store_org_create(s, "Beta", "academia", &b), STORE_OK);
	assert_true(z > 0 && b > 0 && z != b);
	organisation o;
	assert_int_equal(store_org_get(s, a, z, &o), STORE_OK);
	assert_string_equal(o.name, "Zeta");
	assert_string_equal(o.sector, "government");
	assert_int_equal(o.members, 0);
	organisation *list;
	size_t n;
	assert_int_equal(store_org_list(s, a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "Beta");
	assert_int_equal(list[0].id, b);
	assert_string_equal(list[1].name, "Zeta");
	assert_int_equal(store_org_get(s, a, z + b + 100, &o), STORE_NOTFOUND);
}

TEST(org_list_empty)
{
	FX;
	organisation *list = (organisation *)1;
	size_t n = 99;
	assert_int_equal(store_org_list(s, a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
}

TEST(org_update)
{
	FX;
	int64_t id = 0;
	assert_int_equal(store_org_create(s, "Old", "business", &id), STORE_OK);
	assert_int_equal(store_org_update(s, id, "New", "other"), STORE_OK);
	organisation o;
	assert_int_equal(store_org_get(s, a, id, &o), STORE_OK);
	assert_string_equal(o.name, "New");
	assert_string_equal(o.sector, "other");
	assert_int_equal(store_org_update(s, id + 50, "X", "other"), STORE_NOTFOUND);
}

TEST(org_duplicate_name_conflicts)
{
	FX;
	int64_t a1 = 0, a2 = 0;
	assert_int_equal(store_org_create(s, "Same", "business", &a1), STORE_OK);
	assert_int_equal(store_org_create(s, "Same", "academia", &a2), STORE_CONFLICT);
	assert_int_equal(store_org_create(s, "Other", "academia", &a2), STORE_OK);
	assert_int_equal(store_org_update(s, a2, "Same", "academia"), STORE_CONFLICT);
	organisation o;
	assert_int_equal(store_org_get(s, a, a2, &o), STORE_OK);
	assert_string_equal(o.name, "Other");
}

TEST(org_invalid_sector_refused)
{
	FX;
	int64_t id = 0;
	assert_int_equal(store_org_create(s, "Bad", "aliens", &id), STORE_INVALID);
	organisation *list;
	size_t n;
	assert_int_equal(store_org_list(s, a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
}

TEST(membership_add_remove)
{
	FX;
	int64_t u1 = mkuser(s, "m1@example.org", "Mia");
	int64_t u2 = mkuser(s, "m2@example.org", "Abe");
	int64_t org = 0;
	assert_int_equal(store_org_create(s, "Club", "civil_society", &org), STORE_OK);
	assert_int_equal(store_membership_add(s, u1, org), STORE_OK);
	assert_int_equal(store_membership_add(s, u2, org), STORE_OK);
	organisation o;
	assert_int_equal(store_org_get(s, a, org, &o), STORE_OK);
	assert_int_equal(o.members, 2);
	user *members;
	size_t n;
	assert_int_equal(store_org_members(s, a, org, &members, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(members[0].name, "Abe"); /* by name */
	assert_string_equal(members[1].name, "Mia");
	organisation *orgs;
	assert_int_equal(store_user_orgs(s, a, u1, &orgs, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(orgs[0].name, "Club");

	assert_int_equal(store_membership_remove(s, u1, org), STORE_OK);
	assert_int_equal(store_membership_remove(s, u1, org), STORE_NOTFOUND);
	assert_int_equal(store_user_orgs(s, a, u1, &orgs, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_org_get(s, a, org, &o), STORE_OK);
	assert_int_equal(o.members, 1);
}

TEST(membership_duplicate_conflicts)
{
	FX;
	int64_t u = mkuser(s, "m@example.org", "M");
	int64_t org = 0;
	assert_int_equal(store_org_create(s, "Club", "other", &org), STORE_OK);
	assert_int_equal(store_membership_add(s, u, org), STORE_OK);
	assert_int_equal(store_membership_add(s, u, org), STORE_CONFLICT);
	user *members;
	size_t n;
	assert_int_equal(store_org_members(s, a, org, &members, &n), STORE_OK);
	assert_int_equal(n, 1);
}

TEST(membership_unknown_rows_invalid)
{
	FX;
	int64_t u = mkuser(s, "m@example.org", "M");
	int64_t org = 0;
	assert_int_equal(store_org_create(s, "Club", "other", &org), STORE_OK);
	assert_int_equal(store_membership_add(s, u + 100, org), STORE_INVALID);
	assert_int_equal(store_membership_add(s, u, org + 100), STORE_INVALID);
}

/* ---- plans ----------------------------------------------------------------------------------- */

TEST(plan_create_get)
{
	FX;
	plan p = { .title = "Plan A", .description = "Line 1\nLine 2", .period_start = "2025-01-01",
		   .period_end = "2026-12-31", .status = "cocreation" };
	int64_t id = 0;
	assert_int_equal(store_plan_create(s, &p, &id), STORE_OK);
	plan g;
	assert_int_equal(store_plan_get(s, a, id, &g), STORE_OK);
	assert_int_equal(g.id, id);
	assert_string_equal(g.title, "Plan A");
	assert_string_equal(g.description, "Line 1\nLine 2");
	assert_string_equal(g.period_start, "2025-01-01");
	assert_string_equal(g.period_end, "2026-12-31");
	assert_string_equal(g.status, "cocreation");
	assert_int_equal(g.current_phase, 0);
	assert_int_equal(g.nphases, 0);
	assert_int_equal(g.nthemes, 0);
	assert_true(g.updated_at > 1600000000);
	assert_false(store_is_empty(s));
	assert_int_equal(store_plan_get(s, a, id + 1, &g), STORE_NOTFOUND);
}

TEST(plan_invalid_status_refused)
{
	FX;
	plan p = { .title = "P", .description = "", .period_start = "2025-01-01",
		   .period_end = "2025-12-31", .status = "bogus" };
	int64_t id = 0;
	assert_int_equal(store_plan_create(s, &p, &id), STORE_INVALID);
	assert_true(store_is_empty(s));
}

TEST(plan_update)
{
	FX;
	int64_t id = mkplan(s, "Before");
	int64_t ph = mkphase(s, id, "One");
	plan p = { .id = id, .title = "After", .description = "new", .period_start = "2025-02-01",
		   .period_end = "2025-03-01", .status = "closed", .current_phase = ph };
	assert_int_equal(store_plan_update(s, &p), STORE_OK);
	plan g;
	assert_int_equal(store_plan_get(s, a, id, &g), STORE_OK);
	assert_string_equal(g.title, "After");
	assert_string_equal(g.description, "new");
	assert_string_equal(g.period_start, "2025-02-01");
	assert_string_equal(g.status, "closed");
	assert_int_equal(g.current_phase, ph);
	/* clearing the current phase */
	p.current_phase = 0;
	assert_int_equal(store_plan_update(s, &p), STORE_OK);
	assert_int_equal(store_plan_get(s, a, id, &g), STORE_OK);
	assert_int_equal(g.current_phase, 0);
	p.id = id + 77;
	assert_int_equal(store_plan_update(s, &p), STORE_NOTFOUND);
	p.id = id;
	p.status = "nope";
	assert_int_equal(store_plan_update(s, &p), STORE_INVALID);
}

TEST(plan_main_returns_newest)
{
	FX;
	plan g;
	assert_int_equal(store_plan_main(s, a, &g), STORE_NOTFOUND);
	mkplan(s, "Old plan");
	int64_t newer = mkplan(s, "New plan");
	assert_int_equal(store_plan_main(s, a, &g), STORE_OK);
	assert_int_equal(g.id, newer);
	assert_string_equal(g.title, "New plan");
}

TEST(phases_added_in_order)
{
	FX;
	int64_t pid = mkplan(s, "P");
	int64_t id = 0;
	assert_int_equal(store_phase_add(s, pid, "A", "2025-01-01", "2025-02-01", &id), STORE_OK);
	mkphase(s, pid, "B");
	mkphase(s, pid, "C");
	plan g;
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_int_equal(g.nphases, 3);
	assert_int_equal(g.phases[0].id, id);
	assert_string_equal(g.phases[0].starts_on, "2025-01-01");
	assert_string_equal(g.phases[0].ends_on, "2025-02-01");
	assert_string_equal(g.phases[1].starts_on, "");
	assert_true(g.phases[0].position < g.phases[1].position);
	assert_true(g.phases[1].position < g.phases[2].position);
	assert_string_equal(phase_order(s, a, pid), "A,B,C");
}

TEST(phase_add_to_missing_plan)
{
	FX;
	int64_t id = 0;
	assert_int_equal(store_phase_add(s, 12345, "X", "", "", &id), STORE_NOTFOUND);
}

TEST(phase_move_up_swaps_positions)
{
	FX;
	int64_t pid = mkplan(s, "P");
	int64_t pa = mkphase(s, pid, "A");
	int64_t pb = mkphase(s, pid, "B");
	mkphase(s, pid, "C");
	plan before;
	assert_int_equal(store_plan_get(s, a, pid, &before), STORE_OK);
	assert_int_equal(store_phase_move(s, pid, pb, -1), STORE_OK);
	assert_string_equal(phase_order(s, a, pid), "B,A,C");
	plan after;
	assert_int_equal(store_plan_get(s, a, pid, &after), STORE_OK);
	/* B took A's position and A took B's */
	assert_int_equal(after.phases[0].id, pb);
	assert_int_equal(after.phases[0].position, before.phases[0].position);
	assert_int_equal(after.phases[1].id, pa);
	assert_int_equal(after.phases[1].position, before.phases[1].position);
}

TEST(phase_move_down)
{
	FX;
	int64_t pid = mkplan(s, "P");
	int64_t pa = mkphase(s, pid, "A");
	mkphase(s, pid, "B");
	mkphase(s, pid, "C");
	assert_int_equal(store_phase_move(s, pid, pa, +1), STORE_OK);
	assert_string_equal(phase_order(s, a, pid), "B,A,C");
	assert_int_equal(store_phase_move(s, pid, pa, +1), STORE_OK);
	assert_string_equal(phase_order(s, a, pid), "B,C,A");
}

TEST(phase_move_first_up_and_last_down_are_noops)
{
	FX;
	int64_t pid = mkplan(s, "P");
	int64_t pa = mkphase(s, pid, "A");
	mkphase(s, pid, "B");
	int64_t pc = mkphase(s, pid, "C");
	assert_int_equal(store_phase_move(s, pid, pa, -1), STORE_OK);
	assert_string_equal(phase_order(s, a, pid), "A,B,C");
	assert_int_equal(store_phase_move(s, pid, pc, +1), STORE_OK);
	assert_string_equal(phase_order(s, a, pid), "A,B,C");
}

TEST(phase_move_unknown_or_other_plan)
{
	FX;
	int64_t p1 = mkplan(s, "P1");
	int64_t p2 = mkplan(s, "P2");
	int64_t ph = mkphase(s, p1, "A");
	assert_int_equal(store_phase_move(s, p2, ph, -1), STORE_NOTFOUND);
	assert_int_equal(store_phase_move(s, p1, ph + 100, -1), STORE_NOTFOUND);
	/* the store still works after the failed transactions */
	mkphase(s, p1, "B");
	assert_string_equal(phase_order(s, a, p1), "A,B");
}

TEST(phase_update)
{
	FX;
	int64_t pid = mkplan(s, "P");
	int64_t ph = mkphase(s, pid, "A");
	assert_int_equal(store_phase_update(s, pid, ph, "A2", "2025-05-01", "2025-06-01"), STORE_OK);
	plan g;
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_string_equal(g.phases[0].name, "A2");
	assert_string_equal(g.phases[0].starts_on, "2025-05-01");
	assert_string_equal(g.phases[0].ends_on, "2025-06-01");
	assert_int_equal(store_phase_update(s, pid, ph + 9, "x", "", ""), STORE_NOTFOUND);
}

TEST(phase_delete)
{
	FX;
	int64_t pid = mkplan(s, "P");
	mkphase(s, pid, "A");
	int64_t pb = mkphase(s, pid, "B");
	mkphase(s, pid, "C");
	assert_int_equal(store_phase_delete(s, pid, pb), STORE_OK);
	assert_string_equal(phase_order(s, a, pid), "A,C");
	assert_int_equal(store_phase_delete(s, pid, pb), STORE_NOTFOUND);
	/* a new phase goes after the last one */
	mkphase(s, pid, "D");
	assert_string_equal(phase_order(s, a, pid), "A,C,D");
}

TEST(phase_delete_clears_current_phase)
{
	FX;
	int64_t pid = mkplan(s, "P");
	int64_t ph = mkphase(s, pid, "A");
	plan g;
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	g.current_phase = ph;
	assert_int_equal(store_plan_update(s, &g), STORE_OK);
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_int_equal(g.current_phase, ph);
	assert_int_equal(store_phase_delete(s, pid, ph), STORE_OK);
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_int_equal(g.current_phase, 0);
	assert_int_equal(g.nphases, 0);
}

TEST(phase_delete_in_other_plan_refused)
{
	FX;
	int64_t p1 = mkplan(s, "P1");
	int64_t p2 = mkplan(s, "P2");
	int64_t ph = mkphase(s, p1, "A");
	assert_int_equal(store_phase_delete(s, p2, ph), STORE_NOTFOUND);
	assert_string_equal(phase_order(s, a, p1), "A");
}

/* ---- themes ---------------------------------------------------------------------------------- */

TEST(theme_add_update_delete)
{
	FX;
	int64_t pid = mkplan(s, "P");
	int64_t t1 = 0, t2 = 0;
	assert_int_equal(store_theme_add(s, pid, "Climate", "Warm", &t1), STORE_OK);
	assert_int_equal(store_theme_add(s, pid, "Access", "", &t2), STORE_OK);
	plan g;
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_int_equal(g.nthemes, 2);
	assert_int_equal(g.themes[0].id, t1); /* by position, not name */
	assert_string_equal(g.themes[0].description, "Warm");
	assert_string_equal(g.themes[1].name, "Access");

	assert_int_equal(store_theme_update(s, pid, t1, "Climate 2", "Warmer"), STORE_OK);
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_string_equal(g.themes[0].name, "Climate 2");
	assert_string_equal(g.themes[0].description, "Warmer");

	assert_int_equal(store_theme_delete(s, pid, t1), STORE_OK);
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_int_equal(g.nthemes, 1);
	assert_int_equal(g.themes[0].id, t2);
	assert_int_equal(store_theme_delete(s, pid, t1), STORE_NOTFOUND);
	assert_int_equal(store_theme_update(s, pid, t1, "x", ""), STORE_NOTFOUND);
}

TEST(theme_duplicate_name_conflicts)
{
	FX;
	int64_t pid = mkplan(s, "P");
	int64_t t1 = 0, t2 = 0;
	assert_int_equal(store_theme_add(s, pid, "Same", "", &t1), STORE_OK);
	assert_int_equal(store_theme_add(s, pid, "Same", "again", &t2), STORE_CONFLICT);
	assert_int_equal(store_theme_add(s, pid, "Different", "", &t2), STORE_OK);
	assert_int_equal(store_theme_update(s, pid, t2, "Same", ""), STORE_CONFLICT);
	plan g;
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_int_equal(g.nthemes, 2);
	assert_string_equal(g.themes[1].name, "Different");
	/* the same name in another plan is fine */
	int64_t other = mkplan(s, "Q");
	int64_t t3 = 0;
	assert_int_equal(store_theme_add(s, other, "Same", "", &t3), STORE_OK);
}

TEST(theme_add_to_missing_plan)
{
	FX;
	int64_t id = 0;
	assert_int_equal(store_theme_add(s, 4242, "T", "", &id), STORE_NOTFOUND);
}

/* ---- transactions, meta, exact values -------------------------------------------------------- */

TEST(transaction_rollback_leaves_nothing)
{
	FX;
	assert_int_equal(store_begin(s), STORE_OK);
	int64_t id = 0;
	assert_int_equal(store_org_create(s, "Ghost", "other", &id), STORE_OK);
	organisation *list;
	size_t n;
	assert_int_equal(store_org_list(s, a, &list, &n), STORE_OK);
	assert_int_equal(n, 1); /* visible inside the transaction */
	store_rollback(s);
	assert_int_equal(store_org_list(s, a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	organisation o;
	assert_int_equal(store_org_get(s, a, id, &o), STORE_NOTFOUND);
}

TEST(transaction_commit_keeps)
{
	FX;
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK); /* nested */
	int64_t id = 0;
	assert_int_equal(store_org_create(s, "Kept", "other", &id), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	/* visible from a fresh handle on the same file */
	store *t = NULL;
	char err[256] = "";
	assert_int_equal(store_open(f->path, &t, err, sizeof err), STORE_OK);
	organisation o;
	assert_int_equal(store_org_get(t, a, id, &o), STORE_OK);
	assert_string_equal(o.name, "Kept");
	store_close(t);
}

TEST(transaction_rollback_undoes_nested_work)
{
	FX;
	int64_t pid = mkplan(s, "P");
	assert_int_equal(store_begin(s), STORE_OK);
	mkphase(s, pid, "Inside"); /* its own nested transaction */
	store_rollback(s);
	plan g;
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_int_equal(g.nphases, 0);
	assert_int_equal(store_commit(s), STORE_OK); /* commit without begin: no-op */
}

TEST(meta_get_set_overwrite)
{
	FX;
	const char *v = "untouched";
	assert_int_equal(store_meta_get(s, a, "secret", &v), STORE_NOTFOUND);
	assert_int_equal(store_meta_set(s, "secret", "one"), STORE_OK);
	assert_int_equal(store_meta_get(s, a, "secret", &v), STORE_OK);
	assert_string_equal(v, "one");
	assert_int_equal(store_meta_set(s, "secret", "two"), STORE_OK);
	assert_int_equal(store_meta_get(s, a, "secret", &v), STORE_OK);
	assert_string_equal(v, "two");
	assert_int_equal(store_meta_set(s, "empty", ""), STORE_OK);
	assert_int_equal(store_meta_get(s, a, "empty", &v), STORE_OK);
	assert_string_equal(v, "");
}

TEST(values_stored_exactly)
{
	FX;
	const char *nasty = "O'Brien \"quoted\"; DROP TABLE users; -- $1 ? %s \\ \xc3\xa9 \xf0\x9f\x98\x80";
	int64_t uid = 0;
	assert_int_equal(store_user_create(s, "q'@example.org", nasty, "h'\"", ROLE_PARTICIPANT, &uid),
	                 STORE_OK);
	user u;
	assert_int_equal(store_user_by_email(s, a, "q'@example.org", &u), STORE_OK);
	assert_string_equal(u.name, nasty);
	assert_string_equal(u.password_hash, "h'\"");

	int64_t org = 0;
	assert_int_equal(store_org_create(s, nasty, "other", &org), STORE_OK);
	organisation o;
	assert_int_equal(store_org_get(s, a, org, &o), STORE_OK);
	assert_string_equal(o.name, nasty);

	assert_int_equal(store_meta_set(s, "k'; --", nasty), STORE_OK);
	const char *v = NULL;
	assert_int_equal(store_meta_get(s, a, "k'; --", &v), STORE_OK);
	assert_string_equal(v, nasty);

	int64_t pid = mkplan(s, nasty);
	int64_t t = 0;
	assert_int_equal(store_theme_add(s, pid, nasty, "a\nb\tc", &t), STORE_OK);
	plan g;
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_string_equal(g.title, nasty);
	assert_string_equal(g.themes[0].name, nasty);
	assert_string_equal(g.themes[0].description, "a\nb\tc");

	/* the users table is still there */
	user *list;
	size_t n;
	assert_int_equal(store_user_list(s, a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
}


TEST(create_without_id_out_still_stores)
{
	FX;
	assert_int_equal(store_user_create(s, "noid@example.org", "N", "h", ROLE_PARTICIPANT, NULL),
	                 STORE_OK);
	user u;
	assert_int_equal(store_user_by_email(s, a, "noid@example.org", &u), STORE_OK);
	assert_int_equal(store_org_create(s, "NoId", "other", NULL), STORE_OK);
	organisation *list;
	size_t n;
	assert_int_equal(store_org_list(s, a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	int64_t pid = mkplan(s, "P");
	assert_int_equal(store_phase_add(s, pid, "A", "", "", NULL), STORE_OK);
	assert_int_equal(store_theme_add(s, pid, "T", "", NULL), STORE_OK);
	plan g;
	assert_int_equal(store_plan_get(s, a, pid, &g), STORE_OK);
	assert_int_equal(g.nphases, 1);
	assert_int_equal(g.nthemes, 1);
}

TEST(several_stores_open_at_once)
{
	FX;
	store *t[3] = { NULL };
	char err[256] = "", path[3][160];
	for (int i = 0; i < 3; i++) {
		snprintf(path[i], sizeof path[i], "%s/extra%d.db", f->dir, i);
		assert_int_equal(store_open(path[i], &t[i], err, sizeof err), STORE_OK);
		assert_int_equal(store_meta_set(t[i], "who", path[i]), STORE_OK);
	}
	assert_int_equal(store_meta_set(s, "who", "main"), STORE_OK);
	const char *v;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_meta_get(t[i], a, "who", &v), STORE_OK);
		assert_string_equal(v, path[i]);
	}
	assert_int_equal(store_meta_get(s, a, "who", &v), STORE_OK);
	assert_string_equal(v, "main");
	for (int i = 0; i < 3; i++) {
		store_close(t[i]);
		unlink_db(path[i]);
	}
}

/* Regression (fixed in the store's per-thread connection table, now in
 * src/store/store.c conn_err, which had TL_SLOTS = 4): a thread remembered the
 * connections of at most four stores. Opening a fifth store while a
 * transaction is open on the first evicts the first store's connection
 * from the thread-local table (slot 0 is overwritten); store_commit() then
 * runs on a brand-new connection whose tx_depth is 0, returns STORE_OK and
 * commits nothing. The insert made inside the transaction is lost (rolled
 * back when the store is closed). */
TEST(commit_survives_more_than_four_open_stores)
{
	FX;
	assert_int_equal(store_begin(s), STORE_OK);
	int64_t id = 0;
	assert_int_equal(store_org_create(s, "InTx", "other", &id), STORE_OK);
	store *t[4] = { NULL };
	char err[256] = "", path[4][160];
	for (int i = 0; i < 4; i++) {
		snprintf(path[i], sizeof path[i], "%s/more%d.db", f->dir, i);
		assert_int_equal(store_open(path[i], &t[i], err, sizeof err), STORE_OK);
	}
	assert_int_equal(store_commit(s), STORE_OK);
	organisation *list;
	size_t n = 0;
	store_rc rc = store_org_list(s, a, &list, &n);
	for (int i = 0; i < 4; i++) {
		store_close(t[i]);
		unlink_db(path[i]);
	}
	assert_int_equal(rc, STORE_OK);
	assert_int_equal(n, 1); /* the committed organisation is there */
}

/* ---- the neutral row API and its parameters ---------------------------------------------- */

typedef struct pair_ctx { int64_t i; const char *t; int rows; arena *a; } pair_ctx;

static store_rc pair_row(const db_row *r, void *ctx)
{
	pair_ctx *p = ctx;
	p->rows++;
	p->i = db_int(r, 0);
	p->t = db_text(p->a, r, 1);
	return p->t ? STORE_OK : STORE_ERROR;
}

/* SQLite numbers a $N parameter by its first appearance, so "$2 … $1"
 * makes $2 index 1. Bound by index (the old db_bind), $2 got the first
 * argument: 10 - 3 = 7 and "a/b". Bound by name it is 3 - 10 and "b/a". */
TEST(params_bind_by_number_not_by_appearance)
{
	FX;
	pair_ctx p = { .a = a };
	db_arg args[] = { DB_I(10), DB_I(3) };
	assert_int_equal(db_query(s, "SELECT $2 - $1, $1 || '/' || $2", args, 2, pair_row, &p),
	                 STORE_OK);
	assert_int_equal(p.rows, 1);
	assert_int_equal(p.i, -7);
	assert_string_equal(p.t, "10/3");
	db_arg txt[] = { DB_S("a"), DB_S("b") };
	assert_int_equal(db_query(s, "SELECT 0, $2 || '/' || $1", txt, 2, pair_row, &p), STORE_OK);
	assert_string_equal(p.t, "b/a");
	/* and through a domain write: the name lands in name, the email in email */
	int64_t id = 0;
	db_arg u[] = { DB_S("rev@example.org"), DB_S("Reversed"), DB_I(db_now()) };
	assert_int_equal(db_exec(s, "INSERT INTO users (name, email, password_hash, created_at) "
	                            "VALUES ($2, $1, 'h', $3) RETURNING id",
	                         u, 3, &id, NULL), STORE_OK);
	user got;
	assert_int_equal(store_user_by_id(s, a, id, &got), STORE_OK);
	assert_string_equal(got.email, "rev@example.org");
	assert_string_equal(got.name, "Reversed");
}

/* As PostgreSQL does: every argument used, no $N beyond them, no other
 * parameter syntax. */
TEST(params_must_match_the_arguments)
{
	FX;
	pair_ctx p = { .a = a };
	db_arg two[] = { DB_I(1), DB_I(2) };
	uint64_t errors = store_error_count();
	assert_int_equal(db_query(s, "SELECT $1, 'x'", two, 2, pair_row, &p), STORE_ERROR);
	assert_int_equal(db_query(s, "SELECT $1 + $3, 'x'", two, 2, pair_row, &p), STORE_ERROR);
	assert_int_equal(db_query(s, "SELECT ?, 'x'", two, 1, pair_row, &p), STORE_ERROR);
	assert_int_equal(db_query(s, "SELECT :a, 'x'", two, 1, pair_row, &p), STORE_ERROR);
	assert_int_equal(p.rows, 0);
	assert_int_equal(store_error_count(), errors + 4);
	/* the same $N twice is one argument */
	assert_int_equal(db_query(s, "SELECT $1 + $1, 'x'", two, 1, pair_row, &p), STORE_OK);
	assert_int_equal(p.i, 2);
}

typedef struct cols_ctx {
	arena      *a;
	int         n;
	int64_t     big, zero;
	bool        null_is_null, one_is_null, yes, no;
	const char *copy, *null_text;
	size_t      ref_len;
} cols_ctx;

static store_rc cols_row(const db_row *r, void *ctx)
{
	cols_ctx *c = ctx;
	c->n = db_ncols(r);
	c->big = db_int(r, 0);
	c->null_is_null = db_isnull(r, 1);
	c->one_is_null = db_isnull(r, 3);
	c->zero = db_int(r, 1);
	c->null_text = db_text(c->a, r, 1);
	c->copy = db_text(c->a, r, 2);
	c->ref_len = strlen(db_text_ref(r, 2));
	c->yes = db_bool(r, 3);
	c->no = db_bool(r, 4);
	return STORE_OK;
}

TEST(row_accessors)
{
	FX;
	cols_ctx c = { .a = a };
	db_arg args[] = { DB_I(INT64_MAX), DB_NUL, DB_S("h\xc3\xa9llo"), DB_I(1), DB_I(0) };
	assert_int_equal(db_query(s, "SELECT $1, $2, $3, $4, $5", args, 5, cols_row, &c), STORE_OK);
	assert_int_equal(c.n, 5);
	assert_true(c.big == INT64_MAX);
	assert_true(c.null_is_null);
	assert_false(c.one_is_null);
	assert_int_equal(c.zero, 0);
	assert_string_equal(c.null_text, "");
	assert_string_equal(c.copy, "h\xc3\xa9llo");
	assert_int_equal(c.ref_len, 6);
	assert_true(c.yes);
	assert_false(c.no);
}

static store_rc ignore_row(const db_row *r, void *ctx)
{
	(void)r;
	(void)ctx;
	return STORE_OK;
}

/* Ids beyond 32 bits survive every layer: a row with such an id is found,
 * joined and referenced, and the next id after it is bigger still. */
TEST(ids_are_64_bit)
{
	FX;
	const int64_t big = INT64_C(5000000000);
	db_arg u[] = { DB_I(big), DB_I(db_now()) };
	assert_int_equal(db_exec(s, "INSERT INTO users (id, email, name, password_hash, created_at) "
	                            "VALUES ($1, 'big@example.org', 'Big', 'h', $2)",
	                         u, 2, NULL, NULL), STORE_OK);
	if (on_pg()) {
		/* A row given its own id does not move PostgreSQL's identity
		 * sequence (only openplan copy gives ids; it sets the sequence
		 * past them afterwards, the same way). */
		db_arg t[] = { DB_S("users") };
		assert_int_equal(db_query(s, "SELECT setval(pg_get_serial_sequence($1, 'id'), "
		                             "(SELECT MAX(id) FROM users))", t, 1, ignore_row, NULL),
		                 STORE_OK);
	}
	int64_t next = mkuser(s, "next@example.org", "Next");
	assert_true(next == big + 1);
	int64_t org = 0;
	assert_int_equal(store_org_create(s, "Org", "other", &org), STORE_OK);
	assert_int_equal(store_membership_add(s, big, org), STORE_OK);
	user *members;
	size_t n;
	assert_int_equal(store_org_members(s, a, org, &members, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_true(members[0].id == big);
	user one;
	assert_int_equal(store_user_by_id(s, a, big, &one), STORE_OK);
	assert_string_equal(one.name, "Big");
	assert_int_equal(store_session_create(s, "big-session", big, 2000), STORE_OK);
	assert_int_equal(store_session_user(s, a, "big-session", 1000, &one), STORE_OK);
	assert_true(one.id == big);
}

/* Names that people read are ordered by lower(name), name, id (see
 * store.h): ASCII case does not split the list, equal names keep id
 * order, letters outside ASCII come after z on every backend. */
#define ECLAIR "\xc3\x89" "clair" /* Éclair */

TEST(names_order_without_ascii_case)
{
	FX;
	static const char *const names[] = { "bob", "Zeta", ECLAIR, "alice", "Alice", "carol",
		                             "Bob" };
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		char email[64];
		snprintf(email, sizeof email, "u%zu@example.org", i);
		mkuser(s, email, names[i]);
		assert_int_equal(store_org_create(s, names[i], "other", NULL), STORE_OK);
	}
	int64_t twin = mkuser(s, "twin@example.org", "bob"); /* the same name again */
	static const char *const want[] = { "Alice", "alice", "Bob", "bob", "carol", "Zeta",
		                            ECLAIR };
	user *u;
	size_t n;
	assert_int_equal(store_user_list(s, a, &u, &n), STORE_OK);
	assert_int_equal(n, ARRAY_LEN(names) + 1);
	for (size_t i = 0, k = 0; i < n; i++, k++) {
		if (u[i].id == twin) {
			assert_string_equal(u[i - 1].name, "bob"); /* after the older "bob" */
			k--;
			continue;
		}
		assert_string_equal(u[i].name, want[k]);
	}
	organisation *o;
	assert_int_equal(store_org_list(s, a, &o, &n), STORE_OK);
	assert_int_equal(n, ARRAY_LEN(want));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(o[i].name, want[i]);
}

TEST(open_unreachable_postgresql_says_why_without_password)
{
	FX;
	store *g = (store *)1;
	char err[256] = "";
	/* Port 1 on loopback refuses at once. */
	assert_int_equal(store_open("postgresql://app:s3cret@127.0.0.1:1/openplan", &g, err,
	                            sizeof err), STORE_ERROR);
	assert_null(g);
	assert_contains(err, "PostgreSQL");
	assert_not_contains(err, "s3cret");
	assert_null(strchr(err, '\n'));
	assert_int_equal(store_open("postgres://x:s3cret@127.0.0.1:1/z", &g, err, sizeof err),
	                 STORE_ERROR);
	assert_null(g);
	assert_not_contains(err, "s3cret");
	/* A URL libpq cannot read. */
	assert_int_equal(store_open("postgresql://x:s3cret@[::1/z", &g, err, sizeof err), STORE_ERROR);
	assert_not_contains(err, "s3cret");
}

TEST(target_display_hides_the_password)
{
	char out[256];
	store_target_display("postgresql://app:s3cret@db.example:5432/openplan", out, sizeof out);
	assert_string_equal(out, "postgresql://app:***@db.example:5432/openplan");
	store_target_display("postgres://app@db/x?password=s3cret&sslmode=require", out, sizeof out);
	assert_string_equal(out, "postgres://app@db/x?password=***&sslmode=require");
	store_target_display("postgresql://db/x", out, sizeof out);
	assert_string_equal(out, "postgresql://db/x");
	store_target_display("/var/lib/openplan/openplan.db", out, sizeof out);
	assert_string_equal(out, "/var/lib/openplan/openplan.db");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(open_migrates),
		T(reopen_is_idempotent),
		T(open_garbage_file_fails),
		T(open_in_missing_directory_fails),
		cmocka_unit_test(names_and_enums),
		T(user_create_and_read_back),
		T(user_not_found),
		T(user_duplicate_email_conflicts),
		T(user_set_role_and_password),
		T(user_list_ordered_by_name),
		T(session_create_and_lookup),
		T(session_expired_not_found),
		T(session_delete),
		T(session_delete_user_keeps_one),
		T(session_duplicate_and_unknown_user),
		T(org_create_get_list),
		T(org_list_empty),
		T(org_update),
		T(org_duplicate_name_conflicts),
		T(org_invalid_sector_refused),
		T(membership_add_remove),
		T(membership_duplicate_conflicts),
		T(membership_unknown_rows_invalid),
		T(plan_create_get),
		T(plan_invalid_status_refused),
		T(plan_update),
		T(plan_main_returns_newest),
		T(phases_added_in_order),
		T(phase_add_to_missing_plan),
		T(phase_move_up_swaps_positions),
		T(phase_move_down),
		T(phase_move_first_up_and_last_down_are_noops),
		T(phase_move_unknown_or_other_plan),
		T(phase_update),
		T(phase_delete),
		T(phase_delete_clears_current_phase),
		T(phase_delete_in_other_plan_refused),
		T(theme_add_update_delete),
		T(theme_duplicate_name_conflicts),
		T(theme_add_to_missing_plan),
		T(transaction_rollback_leaves_nothing),
		T(transaction_commit_keeps),
		T(transaction_rollback_undoes_nested_work),
		T(meta_get_set_overwrite),
		T(values_stored_exactly),
		T(create_without_id_out_still_stores),
		T(several_stores_open_at_once),
		T(commit_survives_more_than_four_open_stores),
		T(params_bind_by_number_not_by_appearance),
		T(params_must_match_the_arguments),
		T(row_accessors),
		T(ids_are_64_bit),
		T(names_order_without_ascii_case),
		T(open_unreachable_postgresql_says_why_without_password),
		cmocka_unit_test(target_display_hides_the_password),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
