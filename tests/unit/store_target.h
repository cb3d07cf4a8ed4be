/* store_target.h — which database a store test opens. Without
 * OPENPLAN_TEST_PG it is the SQLite file the test names. With it (the
 * admin URL of a throwaway cluster, tests/pg/cluster.sh) it is one
 * PostgreSQL database per test program, made on first use and emptied
 * before every test (its schema dropped and migrated again), so the same
 * tests check the PostgreSQL backend.
 */
#ifndef OPENPLAN_STORE_TARGET_H
#define OPENPLAN_STORE_TARGET_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/backend.h"
#include "store/store.h"
#include "util/embed.h"

static inline bool on_pg(void)
{
	const char *u = getenv("OPENPLAN_TEST_PG");
	return u && *u;
}

/* The target for a test whose SQLite file would be `file`, into out. */
static inline void store_target(const char *file, char *out, size_t n)
{
	if (!on_pg()) {
		snprintf(out, n, "%s", file);
		return;
	}
	extern char *program_invocation_short_name;
	snprintf(out, n, "%s/u_%s_%d", getenv("OPENPLAN_TEST_PG"), program_invocation_short_name,
	         (int)getpid());
	for (char *p = strrchr(out, '/') + 1; *p; p++)
		if (*p == '-')
			*p = '_';
}

/* Opens the target; on PostgreSQL the database is made when missing and
 * emptied: a fresh schema, migrated. */
static inline store_rc store_target_open(const char *target, store **s, char *err, size_t n)
{
	if (on_pg()) {
		bool created;
		if (store_create(target, &created, err, n) != STORE_OK)
			return STORE_ERROR;
	}
	store_rc rc = store_open(target, s, err, n);
	if (rc != STORE_OK || !on_pg())
		return rc;
	if (db_script(*s, "DROP SCHEMA public CASCADE; CREATE SCHEMA public", err, n) != STORE_OK ||
	    db_migrate(*s, embed_files, embed_count, err, n) != STORE_OK) {
		store_close(*s);
		*s = NULL;
		return STORE_ERROR;
	}
	return STORE_OK;
}

#endif
