/* store.h — the one interface to openplan's data. All SQL lives behind it,
 * in the domain files of src/store (accounts.c, plans.c, …) that reach a
 * database only through the backend-neutral db.h; the backends live in
 * src/store/sqlite/ (today) and src/store/pg/ (next). Handlers never see a
 * database handle.
 *
 * Conventions: functions return a store_rc; rows come back in structs
 * whose strings are allocated from the arena passed in; ids are int64_t;
 * every change of more than one row runs in one transaction.
 *
 * Text order, the same on every backend: text compares and sorts in byte
 * order of its UTF-8 (SQLite's BINARY collation; PostgreSQL's "C"
 * collation, which the PostgreSQL backend must give every text column).
 * Lists that people read by name (users, organisations, holders, linked
 * action points) sort by lower(name), name, id: ASCII letters without case
 * first (lower() folds only ASCII on both: SQLite without ICU, PostgreSQL
 * under "C"), then byte order, then id, so equal names keep a stable
 * order. Letters outside ASCII sort after 'z' ("Zeta" < "Éclair"); a Dutch
 * collation would need ICU on both backends and is not attempted.
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
	STORE_RETRY,      /* internal to src/store: the backend asks for the whole
	                   * transaction to run again (SQLite BUSY; PostgreSQL
	                   * serialization_failure, deadlock_detected). store_tx
	                   * retries; no public function returns it. */
} store_rc;

typedef struct store store;

/* Opens and migrates a database: a postgresql:// (or postgres://) URL
 * selects PostgreSQL (not built yet: it answers a clear error), anything
 * else is the path of a SQLite file, created when absent. On failure *out
 * is NULL and err says why in one line (never a password). */
store_rc    store_open(const char *url_or_path, store **out, char *err, size_t errlen);
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

/* ---- transactions and read scopes -------------------------------------------
 * store_begin/commit/rollback: a write transaction on this thread's
 * connection. They nest: an inner begin is a savepoint, an inner rollback
 * undoes only the inner work, and only the outermost commit makes the work
 * durable. commit without begin is a no-op. */
store_rc store_begin(store *s);
store_rc store_commit(store *s);
void     store_rollback(store *s);

/* Runs fn in one write transaction and commits when it returns STORE_OK
 * (rolls back and returns its code otherwise). When the backend reports a
 * failure that a new attempt may cure (another writer held the database;
 * PostgreSQL's serialization failures and deadlocks) it rolls back and runs
 * fn again, a few times with a short growing pause. So fn must be safe to
 * run again: it resets what it hands back through ctx and does nothing
 * outside the store that it cannot repeat. Inside another transaction
 * (store_begin or store_tx) fn runs in a savepoint and is not retried: the
 * outermost transaction is what a retry must repeat. */
store_rc store_tx(store *s, store_rc (*fn)(store *s, void *ctx), void *ctx);

/* One read snapshot for a run of reads on this thread, for example a whole
 * GET request: between store_read_begin and store_read_end every query
 * sees the database as it was at the scope's first query, and takes no
 * lock of its own (a quarter of a signed-in page's time went to per-query
 * locking). Call store_read_end exactly once for every store_read_begin,
 * whatever begin returned (an error only means that the reads run without a
 * shared snapshot). Scopes nest; only the outermost one counts.
 *
 * Writes inside a scope are allowed and see the newest data, not the
 * snapshot: store_begin/store_tx (and a single-statement change) first end
 * the snapshot, then take the write transaction; after it ends, later reads
 * in the scope see a fresh snapshot that includes the write. A scope opened
 * inside a write transaction reads that transaction's data. Keep scopes
 * short (one request; never an event stream): a SQLite snapshot keeps the
 * write-ahead log from being checkpointed past it. */
store_rc store_read_begin(store *s);
void     store_read_end(store *s);

/* ---- demo and generic ------------------------------------------------------- */
bool     store_is_empty(store *s);   /* no plan yet */
store_rc store_meta_get(store *s, arena *a, const char *key, const char **value);
store_rc store_meta_set(store *s, const char *key, const char *value);

/* ---- consultations (store/consultations.c) ---------------------------------
 * A consultation is open from opens_on to closes_on (dates, inclusive).
 * Once it has a response its questions and options are frozen: adding,
 * removing, moving or changing the meaning answers STORE_CONFLICT; wording
 * may still change. */
typedef struct cons_option {
	int64_t     id;
	int64_t     question_id;
	int         position;
	const char *label;
	int64_t     theme_id;    /* 0 when not tied to a theme */
	const char *theme_name;  /* "" when none */
} cons_option;

typedef struct cons_question {
	int64_t      id;
	int          position;
	const char  *kind;       /* single, multiple, text, yesno, ranking, scale */
	const char  *prompt;
	const char  *help;
	bool         required;
	int          max_choices; /* multiple: 0 = no limit */
	bool         allow_other; /* single/multiple: a write-in "other" */
	int          max_length;  /* characters of open text, why or other */
	const char  *low_label;   /* scale: what 1 and 5 mean */
	const char  *high_label;
	cons_option *options;
	size_t       noptions;
} cons_question;

typedef struct consultation {
	int64_t        id;
	int64_t        plan_id;
	const char    *title;
	const char    *intro;        /* Markdown */
	const char    *opens_on;     /* YYYY-MM-DD */
	const char    *closes_on;
	bool           allow_anonymous;
	const char    *results_public; /* while_open, after_close */
	int64_t        responses;
	cons_question *questions;
	size_t         nquestions;
} consultation;

store_rc store_cons_create(store *s, const consultation *c, int64_t *id_out);
store_rc store_cons_update(store *s, const consultation *c);
/* With questions, options and the number of responses. */
store_rc store_cons_get(store *s, arena *a, int64_t id, consultation *out);
/* A plan's consultations (without questions), newest first. */
store_rc store_cons_list(store *s, arena *a, int64_t plan_id, consultation **out, size_t *n);
/* Adds a question with its options (theme_ids[i] 0 for none). */
store_rc store_cons_question_add(store *s, int64_t cons_id, const cons_question *qn,
                                 const char *const *labels, const int64_t *theme_ids,
                                 size_t nopt, int64_t *id_out);
/* wording_only: only prompt, help and scale labels change (allowed when frozen). */
store_rc store_cons_question_update(store *s, int64_t cons_id, const cons_question *qn,
                                    bool wording_only);
store_rc store_cons_question_delete(store *s, int64_t cons_id, int64_t qid);
store_rc store_cons_question_move(store *s, int64_t cons_id, int64_t qid, int dir);
store_rc store_cons_option_add(store *s, int64_t cons_id, int64_t qid, const char *label,
                               int64_t theme_id);
store_rc store_cons_option_update(store *s, int64_t cons_id, int64_t qid, int64_t oid,
                                  const char *label);
store_rc store_cons_option_delete(store *s, int64_t cons_id, int64_t qid, int64_t oid);

/* One answer row (see the migration): option_id 0 for none, has_value for value. */
typedef struct cons_answer_in {
	int64_t     id;
	int64_t     question_id;
	int64_t     option_id;
	bool        has_value;
	int64_t     value;
	const char *text;
	const char *norm;        /* write-ins: the text folded for grouping */
} cons_answer_in;

/* Saves a response in one transaction: marks the one-time form nonce used
 * (STORE_CONFLICT, nothing saved, when it was used before) and replaces the
 * earlier response of the same user (user_id > 0) or browser (browser_hash). */
store_rc store_cons_respond(store *s, int64_t cons_id, int64_t user_id, const char *browser_hash,
                            const char *nonce, const cons_answer_in *ans, size_t n,
                            bool *replaced);
/* Spreads the times of a consultation's responses over [from, from+span)
 * seconds (for imported or demo data that was given on other days). */
store_rc store_cons_backdate(store *s, int64_t cons_id, int64_t from, int64_t span);
/* The earlier answers of a user or browser; STORE_NOTFOUND when none. */
store_rc store_cons_my_answers(store *s, arena *a, int64_t cons_id, int64_t user_id,
                               const char *browser_hash, cons_answer_in **out, size_t *n,
                               int64_t *updated_at);

/* Aggregates, computed with GROUP BY. A cell: per question (option_id 0)
 * or option, per value, a count (and for options the sum of values). */
typedef struct cons_cell {
	int64_t question_id, option_id, value, count, sum;
} cons_cell;
typedef struct cons_text {
	int64_t     id, question_id, value;
	bool        has_value, hidden, quoted;
	const char *text;
} cons_text;
typedef struct cons_results {
	int64_t    respondents;
	cons_cell *answered;  size_t nanswered;  /* question_id → responses that answered */
	cons_cell *options;   size_t noptions;   /* option_id → count, sum of value */
	cons_cell *values;    size_t nvalues;    /* question_id, option_id (ranking) or 0, value → count */
	cons_cell *writeins;  size_t nwriteins;  /* question_id, count; text in wtext[i] */
	const char **wtext;
	cons_text *texts;     size_t ntexts;     /* open answers and reasons, newest first */
} cons_results;
/* In `answered`, sum is the number of non-empty texts of the question. */
/* For c as store_cons_get loaded it. texts: at most text_limit per
 * question, plus every quoted one; hidden ones only when include_hidden. */
store_rc store_cons_results(store *s, arena *a, const consultation *c, size_t text_limit,
                            bool include_hidden, cons_results *out);
store_rc store_cons_answer_flag(store *s, int64_t cons_id, int64_t answer_id, bool quoted,
                                bool on);
/* A page of a question's texts (hidden ones too), newest first, with ids
 * below before_id (0: from the newest). */
store_rc store_cons_texts(store *s, arena *a, int64_t qid, int64_t before_id, size_t limit,
                          cons_text **out, size_t *n);

/* Every answer, ordered by response and question position, for exports.
 * A row's texts are valid only during the call to fn: the export allocates
 * nothing per row, whatever its size. */
typedef struct cons_export_row {
	int64_t     response_id, created_at, updated_at, question_id, option_id, value;
	bool        has_value;
	const char *user_name, *user_email, *text;
} cons_export_row;
typedef store_rc (*cons_export_fn)(const cons_export_row *row, void *ctx);
store_rc store_cons_export(store *s, int64_t cons_id, cons_export_fn fn, void *ctx);

/* ---- action plan (store/actions.c) ------------------------------------------
 * Action points under a plan's themes, their holders, links, milestones,
 * progress updates, adoption offers and versions. Every change that a
 * person makes is written together with a version row (act_version). */
typedef struct act_point {
	int64_t     id, plan_id, theme_id;
	const char *theme_name;
	const char *title, *problem, *status_quo, *what, *how_helps, *ambition;
	const char *ogp_values;    /* comma-separated codes: information,participation,… */
	const char *minimal, *maximal, *needs;
	const char *starts_on, *ends_on; /* "YYYY-MM-DD" or "" */
	const char *status;        /* idea, seeking, adopted, in_progress, completed, stopped */
	const char *stop_reason;
	int64_t     updated_at;
	/* filled by lists and store_act_get */
	int64_t     lead_org_id;   /* 0 when none */
	const char *lead_name;     /* "" when none */
	int         percent;       /* latest update's percent, -1 when none */
	int         milestones, milestones_done;
} act_point;

typedef struct act_holder {
	int64_t     action_id, org_id;
	const char *org_name;
	const char *role;          /* lead, partner */
	int64_t     contact_id;    /* 0 when none */
	const char *contact_name;  /* "" when none */
} act_holder;

typedef struct act_milestone {
	int64_t     id, action_id;
	const char *action_title;
	const char *title, *output, *due_on, *done_on;
} act_milestone;

typedef struct act_update {
	int64_t     id, action_id;
	const char *action_title;
	const char *posted_on, *body, *evidence_url;
	int         percent;
	const char *author_name;
	int64_t     created_at;
} act_update;

typedef struct act_offer {
	int64_t     id, action_id;
	const char *action_title;
	int64_t     user_id;
	const char *user_name;
	int64_t     org_id;        /* 0: a new organisation, named below */
	const char *org_name;      /* the existing one's name, or the new name */
	const char *new_org_sector;
	const char *role;          /* lead, partner */
	const char *message, *status, *reason;  /* status: open, accepted, declined */
	int64_t     created_at, decided_at;
} act_offer;

typedef struct act_version {
	int64_t     id;
	const char *user_name;     /* "" when unknown */
	const char *kind, *detail;
	int64_t     created_at;
} act_version;

typedef struct act_link {
	int64_t     id;
	const char *title, *status;
} act_link;

store_rc store_act_list(store *s, arena *a, int64_t plan_id, act_point **out, size_t *n);
store_rc store_act_get(store *s, arena *a, int64_t id, act_point *out);
/* Create/update write a version row by user_id (0: the system). */
store_rc store_act_create(store *s, const act_point *p, int64_t user_id, int64_t *id_out);
store_rc store_act_update(store *s, const act_point *p, int64_t user_id, const char *detail);
store_rc store_act_set_status(store *s, int64_t id, const char *status, const char *reason,
                              int64_t user_id, const char *detail);
store_rc store_act_version_add(store *s, int64_t action_id, int64_t user_id, const char *kind,
                               const char *detail);
store_rc store_act_versions(store *s, arena *a, int64_t action_id, act_version **out, size_t *n);

/* Holders of one action point (action_id > 0) or of all of a plan's. */
store_rc store_act_holders(store *s, arena *a, int64_t action_id, int64_t plan_id,
                           act_holder **out, size_t *n);
/* Adds or changes a holder; a new lead makes the old lead a partner. */
store_rc store_act_holder_set(store *s, int64_t action_id, int64_t org_id, const char *role,
                              int64_t contact_id, int64_t user_id);
store_rc store_act_holder_remove(store *s, int64_t action_id, int64_t org_id, int64_t user_id);
/* Is user the contact person of an organisation that holds the action point? */
bool     store_act_is_contact(store *s, int64_t action_id, int64_t user_id);

store_rc store_act_links(store *s, arena *a, int64_t action_id, act_link **out, size_t *n);
store_rc store_act_link_add(store *s, int64_t from_id, int64_t to_id, int64_t user_id);
store_rc store_act_link_remove(store *s, int64_t from_id, int64_t to_id, int64_t user_id);

/* Milestones of one action point (action_id > 0) or of all of a plan's. */
store_rc store_act_milestones(store *s, arena *a, int64_t action_id, int64_t plan_id,
                              act_milestone **out, size_t *n);
store_rc store_act_milestone_add(store *s, const act_milestone *m, int64_t user_id,
                                 int64_t *id_out);
store_rc store_act_milestone_update(store *s, const act_milestone *m, int64_t user_id);
store_rc store_act_milestone_delete(store *s, int64_t action_id, int64_t id, int64_t user_id);

/* Updates of one action point, newest first; or (action_id 0) the plan's
 * most recent `limit`. */
store_rc store_act_updates(store *s, arena *a, int64_t action_id, int64_t plan_id, int limit,
                           act_update **out, size_t *n);
store_rc store_act_update_add(store *s, const act_update *u, int64_t user_id, int64_t *id_out);

/* STORE_CONFLICT when the same organisation (or new name) has an open offer. */
store_rc store_act_offer_create(store *s, const act_offer *o, int64_t *id_out);
store_rc store_act_offer_get(store *s, arena *a, int64_t id, act_offer *out);
/* Offers on one action point (action_id > 0) or by one user. */
store_rc store_act_offers(store *s, arena *a, int64_t action_id, int64_t user_id,
                          act_offer **out, size_t *n);
/* Accepts in one transaction: creates the new organisation when needed,
 * makes it a holder with `role` and the offerer its contact and member,
 * moves a seeking action point to adopted when it gets a lead. */
store_rc store_act_offer_accept(store *s, int64_t offer_id, const char *role, int64_t user_id);
store_rc store_act_offer_decline(store *s, int64_t offer_id, const char *reason, int64_t user_id);

/* ---- live polls (polls.c) ---------------------------------------------------- */
typedef struct poll_option {
	int64_t     id;
	const char *label;
	int64_t     n, points;  /* from the tallies, when loaded with counts */
} poll_option;

typedef struct poll_tally {
	const char *item;   /* "o:ID", "s:VALUE", "w:STEM" */
	const char *label;
	int64_t     n, points;
} poll_tally;

typedef struct poll_question {
	int64_t      id;
	int          position;
	const char  *kind;   /* single, multiple, open, words, ranking, scale */
	const char  *prompt;
	int          scale_min, scale_max;
	bool         locked;
	int64_t      voters;
	poll_option *options;
	size_t       noptions;
	poll_tally  *tallies;  /* with counts: every item, most counted first */
	size_t       ntallies;
} poll_question;

typedef struct poll {
	int64_t        id, plan_id, current_question, created_by, updated_at;
	const char    *title, *code, *mode, *status;  /* mode: presenter, self; status: draft, open, closed */
	bool           show_results, attached;
	poll_question *questions;
	size_t         nquestions;
} poll;

/* One count an answer adds: item, its label, ranking points. */
typedef struct poll_item {
	const char *item, *label;
	int64_t     points;
} poll_item;

store_rc store_poll_create(store *s, int64_t plan_id, const char *title, const char *code,
                           const char *mode, int64_t user_id, int64_t *id_out);
/* with_counts also loads every question's tallies and option counts. */
store_rc store_poll_get(store *s, arena *a, int64_t id, bool with_counts, poll *out);
store_rc store_poll_by_code(store *s, arena *a, const char *code, bool with_counts, poll *out);
store_rc store_poll_list(store *s, arena *a, poll **out, size_t *n);
/* Polls whose report is attached to the plan. */
store_rc store_poll_list_plan(store *s, arena *a, int64_t plan_id, poll **out, size_t *n);
/* Saves mode, status, current_question, show_results, attached, plan_id, title. */
store_rc store_poll_update(store *s, const poll *p);
store_rc store_poll_question_add(store *s, int64_t poll_id, const char *kind, const char *prompt,
                                 int scale_min, int scale_max, const char *const *options,
                                 size_t noptions, int64_t *id_out);
store_rc store_poll_question_delete(store *s, int64_t poll_id, int64_t question_id);
store_rc store_poll_question_lock(store *s, int64_t poll_id, int64_t question_id, bool locked);
/* Removes every answer and count (a test run). */
store_rc store_poll_reset(store *s, int64_t poll_id);
/* Records a participant's answer, replacing an earlier one: takes back the
 * earlier answer's counts and adds these, with n = n ± 1 in one transaction.
 * *replaced tells whether there was an earlier answer. */
store_rc store_poll_vote(store *s, int64_t question_id, const char *participant,
                         const char *answer, const poll_item *items, size_t nitems,
                         bool *replaced);
/* A participant's answers to a poll's questions: question ids and answers. */
store_rc store_poll_my_answers(store *s, arena *a, int64_t poll_id, const char *participant,
                               int64_t **qids, const char ***answers, size_t *n);
/* The answers given to a question (open answers), newest first. */
store_rc store_poll_answers(store *s, arena *a, int64_t question_id, size_t limit,
                            const char ***out, size_t *n);

#endif
