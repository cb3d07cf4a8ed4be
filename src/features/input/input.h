/* input.h — input and the reasoned response (input_*), issue 14. Every
 * piece of input is an input item: consultation answers with text, live
 * poll answers, ideas people share directly ("Deel een idee"). Organisers
 * triage them (theme, status, links to action points, duplicates, groups)
 * and answer with a reasoned response that keeps its versions; red threads
 * propose groups of similar items; the public sees what was done with the
 * input; each person sees their own input and hears when it changes.
 *
 * input.c declares the feature (routes and forms, sections on the plan,
 * action point and account pages, flash messages, demo, background work).
 * Files: input_store.c (items: lists, search, triage), input_store_groups.c
 * (groups, responses, links), input_store_threads.c (red-thread runs),
 * input_cluster.c (the clustering, no store), input_data.c (the API's
 * resources), input_inbox.c (the organisers' inbox and bulk actions),
 * input_triage.c (an item, a group: pages and changes), input_threads.c
 * (red threads: pages and the job), input_public.c (what we did with
 * your input: page, JSON, CSV), input_mine.c (my input, sharing an idea,
 * deleting one's own item, the sections), input_demo.c.
 *
 * The sources (consultations, polls) do not know this feature: triggers in
 * migrations/030_input.sql keep input_items in step with their tables.
 */
#ifndef OPENPLAN_INPUT_H
#define OPENPLAN_INPUT_H

#include <stdbool.h>

#include "../../app/app.h"

/* ---- codes ------------------------------------------------------------------------------ */
extern const char *const input_statuses[];       /* new, considering, …; NULL-terminated */
extern const char *const input_status_labels[];
/* A response's form check (items and groups): a status other than "new"
 * and a text, both messages at once (input_item.c). */
void input_respond_check(app_req *q);
extern const char *const input_answer_statuses[];/* the statuses a response may give */
extern const char *const input_answer_status_labels[];
extern const char *const input_sources[];        /* cons, poll, board, idea */
extern const char *const input_source_labels[];
bool        input_status_valid(const char *s);
bool        input_source_valid(const char *s);
const char *input_status_label(const char *status);
const char *input_source_label(const char *source);
const char *input_kind_label(const char *kind);

/* ---- items (input_store.c) --------------------------------------------------------------- */
typedef struct input_item {
	int64_t     id, plan_id;
	const char *source, *kind;
	int64_t     container_id, part_id;
	const char *container_title;  /* the consultation, poll or session ("" for ideas) */
	const char *part_title;       /* the question it answers ("" when none) */
	int64_t     author_id;        /* 0: anonymous */
	const char *author_name;      /* "" when anonymous */
	const char *text;             /* "" when removed */
	bool        hidden;           /* hidden as personal data at its source */
	bool        hidden_here;      /* hidden by an organiser */
	int         removed;          /* 0; 1 deleted by its author; 2 gone at its source */
	bool        is_public;        /* its source is public and it is not hidden */
	int64_t     theme_id;
	const char *theme_name;
	const char *status;
	int64_t     group_id;
	const char *group_title;
	int64_t     duplicate_of;
	int64_t     original_group_id; /* a duplicate: its original's group (0: none) */
	int64_t     created_at, updated_at;
	/* The response that answers it now: its group's, else its original's
	 * (a duplicate), else its own. answer_id 0: none yet. */
	int64_t     answer_id;
	int         answer_version;
	const char *answer_status, *answer_body;
	int64_t     answer_at;
	bool        answer_of_group;
} input_item;

/* What a list holds. Every field is a filter; 0, NULL or "" means any. */
typedef struct input_filter {
	int64_t     plan_id;
	const char *source;
	int64_t     container_id;   /* with source: one consultation, poll or session */
	int64_t     part_id;        /* with source: one question */
	int64_t     theme_id;       /* -1: items without a theme */
	const char *status;
	const char *query;          /* words to search (Dutch stems) */
	int64_t     group_id;
	int64_t     author_id;
	bool        public_only;    /* what the public may see: public, not hidden */
	bool        ungrouped;      /* not in a group, not a duplicate, not removed (red threads) */
	int64_t     before_id;      /* keyset paging: ids below this (0: from the newest) */
	int         limit;          /* at most (newest first); 0: 50 */
} input_filter;

/* The items of f, newest first. *more tells whether there are more after
 * the last one (ask again with before_id = the last id). */
store_rc input_store_list(store *s, arena *a, const input_filter *f, input_item **out, size_t *n,
                          bool *more);
/* Calls fn for every item of f (no limit), oldest first, strings borrowed
 * until fn returns (exports, red threads). */
store_rc input_store_each(store *s, const input_filter *f,
                          store_rc (*fn)(const input_item *it, void *ctx), void *ctx);
store_rc input_store_get(store *s, arena *a, int64_t id, input_item *out);

/* Counts of items per status (in input_statuses order, plus a total) for a
 * plan, or one container of a source; public_only counts only items whose
 * source is public (hidden and removed ones count: they are input that got
 * an answer, only their text is not shown). */
typedef struct input_counts {
	int64_t by_status[8];
	int64_t total;
} input_counts;
store_rc input_store_counts(store *s, int64_t plan_id, const char *source, int64_t container_id,
                            bool public_only, input_counts *out);

/* The plan and title of a public consultation (source "cons") or session
 * ("board"), for the public page of its input; STORE_NOTFOUND for a draft. */
store_rc input_store_container(store *s, arena *a, const char *source, int64_t id,
                               int64_t *plan_id, const char **title);

/* Stems and indexes up to max items whose text is new or changed. *done
 * (may be NULL) gets how many. */
store_rc input_store_index(store *s, int max, int *done);
/* The stems of a search as the index holds them ("klacht* publiceer*"),
 * or the words for PostgreSQL's to_tsquery; NULL when none count. */
const char *input_search_terms(arena *a, const char *query, bool pg);

/* A new idea on a plan (theme 0: none) by a signed-in person. */
store_rc input_store_idea_add(store *s, int64_t plan_id, int64_t theme_id, int64_t author_id,
                              const char *text, int64_t *id_out);
/* The author deletes their item: its text goes, it keeps counting.
 * STORE_NOTFOUND unless user_id wrote it; STORE_INVALID when already so. */
store_rc input_store_remove(store *s, int64_t id, int64_t user_id);
/* An organiser hides an item (personal data) or shows it again. */
store_rc input_store_hide(store *s, int64_t id, bool hidden);

/* ---- triage (input_store_groups.c) ------------------------------------------------------- */
/* Why a change was refused (the store's rules; handlers say them). */
typedef enum input_refusal {
	INPUT_OK = 0,
	INPUT_OTHER_PLAN,     /* an action point, item or group of another plan */
	INPUT_SELF,           /* a duplicate of itself; a group into itself */
	INPUT_GONE,           /* the item, group or action point does not exist */
	INPUT_NO_STATUS,      /* a response without a status other than "new" */
	INPUT_IN_GROUP,       /* marking an item that answers a group as a duplicate */
} input_refusal;

/* Theme (0: none) and status of one item, and of its duplicates. Tells the
 * authors when the status changes. */
store_rc input_store_triage(store *s, int64_t id, int64_t theme_id, const char *status,
                            int64_t actor_id);
/* A response version on an item (group_id 0) or a group (item_id 0) with
 * the status it gives, written by actor; sets the status on the item or
 * the group's members (and their duplicates) and tells their authors. */
store_rc input_store_respond(store *s, int64_t item_id, int64_t group_id, const char *status,
                             const char *body, int64_t actor_id, input_refusal *why);
/* Links an item or a group (the other 0) to an action point of its plan. */
store_rc input_store_link(store *s, int64_t item_id, int64_t group_id, int64_t action_id,
                          bool on, input_refusal *why);
/* Marks item id a duplicate of `of` (0: not a duplicate any more). */
store_rc input_store_duplicate(store *s, int64_t id, int64_t of, int64_t actor_id,
                               input_refusal *why);
/* Puts an item in a group (0: takes it out). */
store_rc input_store_group_item(store *s, int64_t id, int64_t group_id, int64_t actor_id,
                                input_refusal *why);

typedef struct input_group {
	int64_t     id, plan_id;
	const char *title, *terms, *status;
	int64_t     theme_id;
	const char *theme_name;
	int64_t     quote_item_id;
	int64_t     members;
	int64_t     created_at, updated_at;
	int64_t     answer_id;
	int         answer_version;
	const char *answer_status, *answer_body;
	int64_t     answer_at;
} input_group;

store_rc input_store_group_create(store *s, int64_t plan_id, const char *title, int64_t theme_id,
                                  const char *terms, int64_t quote_item_id, const int64_t *items,
                                  size_t nitems, int64_t actor_id, int64_t *id_out,
                                  input_refusal *why);
store_rc input_store_group_get(store *s, arena *a, int64_t id, input_group *out);
/* Groups of a plan (source/container: only groups with members from it),
 * newest first. */
store_rc input_store_groups(store *s, arena *a, int64_t plan_id, const char *source,
                            int64_t container_id, input_group **out, size_t *n);
store_rc input_store_group_update(store *s, int64_t id, const char *title, int64_t theme_id,
                                  const char *status, int64_t actor_id);
/* Moves every member of group `from` into group `into` (same plan), and
 * its links; `from` goes. Its responses stay with it: a group with a
 * response cannot be merged away (INPUT_NO_STATUS is not used: the
 * handler checks first). */
store_rc input_store_group_merge(store *s, int64_t from, int64_t into, int64_t actor_id,
                                 input_refusal *why);
/* Dissolves a group that has no response: its members stay, ungrouped.
 * STORE_INVALID when it has a response. */
store_rc input_store_group_delete(store *s, int64_t id);

typedef struct input_response {
	int64_t     id, item_id, group_id;
	int         version;
	const char *status, *body, *author_name;
	int64_t     created_at;
} input_response;
/* Every version of an item's (or a group's) response, newest first. */
store_rc input_store_responses(store *s, arena *a, int64_t item_id, int64_t group_id,
                               input_response **out, size_t *n);

typedef struct input_link {
	int64_t     item_id, group_id;  /* what is linked (one of them) */
	int64_t     action_id;
	const char *title, *status;     /* the action point's */
	int         percent;            /* its progress: -1 without updates */
	int64_t     published_at;
} input_link;
/* The action points an item leads to: its own links, its group's, and its
 * original's (a duplicate), each once. */
store_rc input_store_item_links(store *s, arena *a, int64_t item_id, input_link **out, size_t *n);
store_rc input_store_group_links(store *s, arena *a, int64_t group_id, input_link **out,
                                 size_t *n);
/* Every link of the items of a list (ids), for pages that show many. */
store_rc input_store_links_of(store *s, arena *a, const int64_t *ids, size_t nids,
                              input_link **out, size_t *n);
/* Every link of a plan's items and groups (each with item_id or group_id
 * set), for exports: one query, then the items stream. */
store_rc input_store_plan_links(store *s, arena *a, int64_t plan_id, input_link **out,
                                size_t *n);

/* An action point's plan (0 when it does not exist). */
int64_t  input_store_action_plan(store *s, int64_t action_id);
/* The published action points of a plan, for the link forms. */
store_rc input_store_actions(store *s, arena *a, int64_t plan_id, input_link **out, size_t *n);

/* What led to one action point: the groups and the items linked to it. */
store_rc input_store_for_action(store *s, arena *a, int64_t action_id, input_group **gs,
                                size_t *ng, input_item **is, size_t *ni);

/* Bulk: the same change for many items of a plan, in one transaction. */
typedef enum input_bulk_op { INPUT_BULK_STATUS, INPUT_BULK_THEME, INPUT_BULK_GROUP,
                             INPUT_BULK_NEW_GROUP, INPUT_BULK_HIDE } input_bulk_op;
store_rc input_store_bulk(store *s, int64_t plan_id, const int64_t *ids, size_t n,
                          input_bulk_op op, const char *status, int64_t id_arg,
                          const char *title, int64_t actor_id, int64_t *group_out,
                          input_refusal *why);

/* ---- red threads (input_cluster.c, input_store_threads.c) ------------------------------ */
typedef struct input_doc {
	int64_t     id;
	const char *text;
} input_doc;

typedef struct input_cthread {
	size_t     *members;    /* indexes into the docs, closest to the centre first */
	int        *scores;     /* similarity to the centre, per mille */
	size_t      n;
	const char *terms;      /* its characteristic words, "kennis, netwerk, ervaring" */
	const char *label;      /* a proposed name from the first of them */
	size_t      quote;      /* the index of its representative text */
} input_cthread;

typedef struct input_cdup {
	size_t a, b;            /* indexes into the docs, a < b */
	int    score;           /* per mille */
} input_cdup;

typedef struct input_clusters {
	input_cthread *threads; /* largest first */
	size_t         nthreads;
	input_cdup    *dups;    /* most alike first */
	size_t         ndups;
	size_t         unclustered;
} input_clusters;

/* Proposes red threads and likely duplicates for n texts; what it returns
 * comes from a. 0, or -1 when out of memory. */
int input_cluster(arena *a, const input_doc *docs, size_t n, input_clusters *out);
/* Splits n texts in two (every text goes to one of them). */
int input_cluster_split(arena *a, const input_doc *docs, size_t n, input_clusters *out);

typedef struct input_run {
	int64_t     id, plan_id;
	const char *scope;           /* plan, consultation, question, poll_question, theme, session */
	int64_t     scope_id;
	const char *status;          /* queued, running, done, failed */
	int         items, millis;
	int64_t     created_at, finished_at;
} input_run;

typedef struct input_thread {
	int64_t     id, run_id, group_id, quote_item_id;
	int         position;
	const char *label, *terms, *state, *quote_text;
	int64_t     size;
} input_thread;

typedef struct input_dup {
	int64_t     item_id, other_id;
	const char *text, *other_text;
	int         score;
} input_dup;

bool     input_scope_valid(const char *scope);
/* The sets of a plan's items a run may cluster: each consultation, each
 * question, each live poll question with input, each theme; with how many
 * items each holds. */
typedef struct input_scope {
	const char *scope;   /* consultation, question, poll_question, theme */
	int64_t     id;
	const char *label;
	int64_t     items;
} input_scope;
store_rc input_store_scopes(store *s, arena *a, int64_t plan_id, input_scope **out, size_t *n);
/* Marks runs that a stopped server left queued or running as failed. */
store_rc input_store_runs_abandon(store *s);
store_rc input_store_run_create(store *s, int64_t plan_id, const char *scope, int64_t scope_id,
                                int64_t actor_id, int64_t *id_out);
store_rc input_store_run_get(store *s, arena *a, int64_t id, input_run *out);
/* The newest run of a plan (0 when none). */
store_rc input_store_run_latest(store *s, int64_t plan_id, int64_t *id);
/* The items of a run's scope: not removed, not in a group, not a duplicate. */
store_rc input_store_run_docs(store *s, arena *a, const input_run *r, input_doc **out, size_t *n);
store_rc input_store_run_status(store *s, int64_t id, const char *status, int items, int millis);
/* Saves what the clustering proposed for a run and marks it done. */
store_rc input_store_run_save(store *s, int64_t run_id, const input_doc *docs,
                              const input_clusters *c, int millis);
store_rc input_store_threads(store *s, arena *a, int64_t run_id, input_thread **out, size_t *n);
store_rc input_store_thread_get(store *s, arena *a, int64_t id, input_thread *out);
store_rc input_store_thread_items(store *s, arena *a, int64_t thread_id, input_item **out,
                                  size_t *n);
store_rc input_store_dups(store *s, arena *a, int64_t run_id, input_dup **out, size_t *n);
/* An organiser's decision on a proposed thread. */
store_rc input_store_thread_accept(store *s, int64_t id, const char *title, int64_t actor_id,
                                   int64_t *group_out, input_refusal *why);
store_rc input_store_thread_rename(store *s, int64_t id, const char *title);
store_rc input_store_thread_merge(store *s, int64_t id, int64_t into, input_refusal *why);
store_rc input_store_thread_dismiss(store *s, int64_t id);
/* Replaces a proposed thread by the two halves of clusters c (over docs,
 * the thread's items). */
store_rc input_store_thread_split(store *s, int64_t id, const input_doc *docs,
                                  const input_clusters *c);

/* The demo's responses to input from before `input_before` are dated from
 * `answered_at` on (the seed answered in November 2020). */
store_rc input_store_demo_dates(store *s, int64_t input_before, int64_t answered_at);

/* ---- the feature ------------------------------------------------------------------------- */
extern const app_feature input_feature;
int  input_demo(store *s, char *err, size_t errlen);
int  input_start(app *ap, char *err, size_t errlen);
void input_stop(app *ap);
/* Queues red-thread run id on the feature's job pool; -1 when busy. */
int  input_jobs_submit_run(store *s, int64_t run_id);
/* Runs red-thread run id on this thread (the job; the demo). */
void input_run_now(store *s, int64_t run_id);

/* ---- data (input_data.c): the API's resources, codes not labels -------------------------- */
json_t *input_item_data(const input_item *it, bool organiser);
json_t *input_group_data(const input_group *g);
json_t *input_response_data(const input_response *r);
json_t *input_link_data(const input_link *l);
json_t *input_counts_data(const input_counts *c);
json_t *input_thread_data(const input_thread *t);
/* Page-only labels and fields added in place. */
void    input_item_view(app_req *q, json_t *o, const input_item *it);
void    input_group_view(app_req *q, json_t *o, const input_group *g);
void    input_response_view(app_req *q, json_t *o, const input_response *r);
void    input_link_view(app_req *q, json_t *o, const input_link *l);
/* Status options for a select (with "new" when with_new), one selected. */
json_t *input_status_options(app_req *q, const char *selected, bool with_new);
json_t *input_theme_options(app_req *q, const plan *p, int64_t selected);
/* "Wat je schreef…": a short excerpt of a text for a notification or title. */
const char *input_excerpt(arena *a, const char *text, size_t max_chars);
/* A date and time (seconds) written out in the visitor's language. */
const char *input_when(app_req *q, int64_t t);

/* ---- handlers ------------------------------------------------------------------------------- */
bool input_is_organiser(const app_req *q);
/* Redirects to location with a flash message; location NULL (the
 * request's memory ran out making it) answers the busy page instead. */
void input_go(app_req *q, const char *location, const char *flash);
/* Loads the plan named by path parameter {id}; answers 404 itself. */
bool input_load_plan(app_req *q, plan *p);

void input_inbox(app_req *q);         /* GET /input/plans/{id}/inbox */
void input_bulk(app_req *q);          /* POST the same */
void input_item_page(app_req *q);     /* /input/items/{iid} */
void input_item_triage(app_req *q);
void input_item_respond(app_req *q);
void input_item_link(app_req *q);
void input_item_unlink(app_req *q);
void input_item_duplicate(app_req *q);
void input_item_group(app_req *q);
void input_item_hide(app_req *q);
void input_item_remove(app_req *q);   /* the author */
void input_group_page(app_req *q);    /* /input/groups/{gid} */
void input_group_update(app_req *q);
void input_group_respond(app_req *q);
void input_group_link(app_req *q);
void input_group_unlink(app_req *q);
void input_group_merge(app_req *q);
void input_group_delete(app_req *q);
void input_threads(app_req *q);       /* /input/plans/{id}/threads: the page; POST starts a run */
void input_thread_accept(app_req *q);
void input_thread_rename(app_req *q);
void input_thread_merge(app_req *q);
void input_thread_split(app_req *q);
void input_thread_dismiss(app_req *q);
void input_public_plan(app_req *q);   /* /input/plans/{id}, its JSON */
void input_public_cons(app_req *q);   /* /input/consultations/{cid} */
void input_public_session(app_req *q);/* /input/sessions/{sid} */
void input_csv_plan(app_req *q);
void input_csv_cons(app_req *q);
void input_csv_session(app_req *q);
void input_mine(app_req *q);          /* /input/mine */
void input_idea(app_req *q);          /* /input/plans/{id}/ideas */

extern const form_def input_triage_form, input_respond_form, input_link_form,
	input_duplicate_form, input_group_item_form, input_hide_form, input_group_form,
	input_group_respond_form, input_group_link_form, input_merge_form, input_bulk_form,
	input_run_form, input_thread_form, input_rename_form, input_thread_merge_form,
	input_idea_form;
/* A link refused by the rules, said at the form's action field. */
void input_link_refused(app_req *q, input_refusal why);

/* Sections other pages show (input_mine.c). */
json_t *input_plan_section(app_req *q, int64_t plan_id);
json_t *input_action_section(app_req *q, int64_t action_id);
json_t *input_account_section(app_req *q, int64_t user_id);
/* A person's own input for /account/data (codes, no labels). */
json_t *input_mydata(app_req *q, int64_t user_id);

#endif
