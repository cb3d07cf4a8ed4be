/* store.h — the one interface to openplan's data. All SQL lives behind it
 * (sqlite.c today; a PostgreSQL backend follows with the same functions).
 * Handlers never see a database handle.
 *
 * Conventions: functions return a store_rc; rows come back in structs
 * whose strings are allocated from the arena passed in; every change of
 * more than one row runs in one transaction.
 */
#ifndef OPENPLAN_STORE_H
#define OPENPLAN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

typedef enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND,   /* no such row */
	STORE_CONFLICT,   /* a uniqueness rule refused the change */
	STORE_INVALID,    /* a reference or check refused the change */
	STORE_ERROR,      /* the database failed; logged and counted */
} store_rc;

typedef struct store store;

/* Opens (creating when absent) and migrates the database at path. */
store_rc    store_open(const char *path, store **out, char *err, size_t errlen);
void        store_close(store *s);
int         store_schema_version(store *s);
uint64_t    store_error_count(void);
const char *store_rc_name(store_rc rc);

/* ---- users, sessions ------------------------------------------------------ */
typedef enum role { ROLE_PARTICIPANT = 0, ROLE_ORGANISER = 1, ROLE_ADMIN = 2 } role;
const char *role_name(role r);
bool        role_parse(const char *s, role *out);

typedef struct user {
	int64_t     id;
	const char *email;
	const char *name;
	const char *password_hash;
	role        role;
	int64_t     created_at;
} user;

store_rc store_user_create(store *s, const char *email, const char *name,
                           const char *password_hash, role r, int64_t *id_out);
store_rc store_user_by_email(store *s, arena *a, const char *email, user *out);
store_rc store_user_by_id(store *s, arena *a, int64_t id, user *out);
store_rc store_user_set_password(store *s, int64_t id, const char *password_hash);
store_rc store_user_set_role(store *s, int64_t id, role r);
store_rc store_user_list(store *s, arena *a, user **out, size_t *n);

/* Sessions are stored by a hash of their token, never the token itself. */
store_rc store_session_create(store *s, const char *token_hash, int64_t user_id,
                              int64_t expires_at);
store_rc store_session_user(store *s, arena *a, const char *token_hash, int64_t now,
                            user *out);
store_rc store_session_delete(store *s, const char *token_hash);
/* Signs a user out everywhere except the session kept (NULL: everywhere). */
store_rc store_session_delete_user(store *s, int64_t user_id, const char *keep_hash);

/* ---- organisations ---------------------------------------------------------- */
typedef struct organisation {
	int64_t     id;
	const char *name;
	const char *sector;  /* government, civil_society, business, academia, other */
	int64_t     members;
} organisation;

bool     org_sector_valid(const char *sector);
store_rc store_org_create(store *s, const char *name, const char *sector, int64_t *id_out);
store_rc store_org_update(store *s, int64_t id, const char *name, const char *sector);
store_rc store_org_get(store *s, arena *a, int64_t id, organisation *out);
store_rc store_org_list(store *s, arena *a, organisation **out, size_t *n);
store_rc store_org_members(store *s, arena *a, int64_t org_id, user **out, size_t *n);
store_rc store_user_orgs(store *s, arena *a, int64_t user_id, organisation **out, size_t *n);
store_rc store_membership_add(store *s, int64_t user_id, int64_t org_id);
store_rc store_membership_remove(store *s, int64_t user_id, int64_t org_id);

/* ---- plan, phases, themes --------------------------------------------------- */
typedef struct phase {
	int64_t     id;
	int         position;
	const char *name;
	const char *starts_on; /* "YYYY-MM-DD" or "" */
	const char *ends_on;
} phase;

typedef struct theme {
	int64_t     id;
	const char *name;
	const char *description;
} theme;

typedef struct plan {
	int64_t     id;
	const char *title;
	const char *description;
	const char *period_start;
	const char *period_end;
	const char *status;        /* draft, cocreation, implementation, evaluation, closed */
	int64_t     current_phase; /* 0 when none chosen */
	int64_t     updated_at;
	phase      *phases;
	size_t      nphases;
	theme      *themes;
	size_t      nthemes;
} plan;

bool     plan_status_valid(const char *status);
/* The plan the home page shows: the most recently created one. */
store_rc store_plan_main(store *s, arena *a, plan *out);
store_rc store_plan_get(store *s, arena *a, int64_t id, plan *out);
store_rc store_plan_create(store *s, const plan *p, int64_t *id_out);
store_rc store_plan_update(store *s, const plan *p);
store_rc store_phase_add(store *s, int64_t plan_id, const char *name, const char *starts_on,
                         const char *ends_on, int64_t *id_out);
store_rc store_phase_update(store *s, int64_t plan_id, int64_t id, const char *name,
                            const char *starts_on, const char *ends_on);
store_rc store_phase_delete(store *s, int64_t plan_id, int64_t id);
/* Moves a phase one place up (dir < 0) or down (dir > 0). */
store_rc store_phase_move(store *s, int64_t plan_id, int64_t id, int dir);
store_rc store_theme_add(store *s, int64_t plan_id, const char *name, const char *description,
                         int64_t *id_out);
store_rc store_theme_update(store *s, int64_t plan_id, int64_t id, const char *name,
                            const char *description);
store_rc store_theme_delete(store *s, int64_t plan_id, int64_t id);

/* ---- demo and generic ------------------------------------------------------- */
store_rc store_begin(store *s);
store_rc store_commit(store *s);
void     store_rollback(store *s);
bool     store_is_empty(store *s);   /* no plan yet */
store_rc store_meta_get(store *s, arena *a, const char *key, const char **value);
store_rc store_meta_set(store *s, const char *key, const char *value);

#endif
