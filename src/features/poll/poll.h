/* poll.h — the live polls feature (poll_*): poll.c declares it (routes,
 * the plan page's section, the broadcaster's start and stop);
 * poll_pages.c: organiser pages and report; poll_vote.c: participant
 * pages, the participant cookie and vote counting; poll_live.c:
 * Server-Sent Events and the coalescing broadcaster; poll_words.c:
 * word-cloud normalisation; poll_demo.c: the forum's poll of 18 March 2021.
 */
#ifndef OPENPLAN_POLL_H
#define OPENPLAN_POLL_H

#include "../../app/app.h"

/* ---- the store (poll_store.c) ------------------------------------------------ */
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

store_rc poll_store_create(store *s, int64_t plan_id, const char *title, const char *code,
                           const char *mode, int64_t user_id, int64_t *id_out);
/* with_counts also loads every question's tallies and option counts. */
store_rc poll_store_get(store *s, arena *a, int64_t id, bool with_counts, poll *out);
store_rc poll_store_by_code(store *s, arena *a, const char *code, bool with_counts, poll *out);
store_rc poll_store_list(store *s, arena *a, poll **out, size_t *n);
/* Polls whose report is attached to the plan. */
store_rc poll_store_list_plan(store *s, arena *a, int64_t plan_id, poll **out, size_t *n);
/* Saves mode, status, current_question, show_results, attached, plan_id, title. */
store_rc poll_store_update(store *s, const poll *p);
store_rc poll_store_question_add(store *s, int64_t poll_id, const char *kind, const char *prompt,
                                 int scale_min, int scale_max, const char *const *options,
                                 size_t noptions, int64_t *id_out);
store_rc poll_store_question_delete(store *s, int64_t poll_id, int64_t question_id);
store_rc poll_store_question_lock(store *s, int64_t poll_id, int64_t question_id, bool locked);
/* Removes every answer and count (a test run). */
store_rc poll_store_reset(store *s, int64_t poll_id);
/* Records a participant's answer, replacing an earlier one: takes back the
 * earlier answer's counts and adds these, with n = n ± 1 in one transaction.
 * *replaced tells whether there was an earlier answer. */
store_rc poll_store_vote(store *s, int64_t question_id, const char *participant,
                         const char *answer, const poll_item *items, size_t nitems,
                         bool *replaced);
/* A participant's answers to a poll's questions: question ids and answers. */
store_rc poll_store_my_answers(store *s, arena *a, int64_t poll_id, const char *participant,
                               int64_t **qids, const char ***answers, size_t *n);
/* The answers given to a question (open answers), newest first. */
store_rc poll_store_answers(store *s, arena *a, int64_t question_id, size_t limit,
                            const char ***out, size_t *n);

extern const app_feature poll_feature;

/* ---- handlers ---- */
void poll_list(app_req *q);
void poll_create(app_req *q);
void poll_show(app_req *q);
void poll_question_add(app_req *q);
void poll_question_delete(app_req *q);
void poll_control(app_req *q);
void poll_present(app_req *q);
void poll_qr(app_req *q);
void poll_stream(app_req *q);
void poll_report(app_req *q);
void poll_report_csv(app_req *q);
void poll_join(app_req *q);
void poll_participate(app_req *q);
void poll_vote(app_req *q);
void poll_part_stream(app_req *q);
/* The poll reports attached to a plan, for the plan's page ("polls"). */
json_t *poll_plan_reports(app_req *q, int64_t plan_id);
/* poll_demo.c: the live poll of the stakeholder forum of 18 March 2021. */
int poll_demo(store *s, char *err, size_t errlen);

enum {
	POLL_OPEN_MAX = 500,     /* characters in an open answer */
	POLL_WORDS_MAX = 100,    /* characters in a word-cloud answer */
	POLL_WORDS_PER_ANSWER = 5,
	POLL_VOTE_LIMIT = 20,    /* votes per participant … */
	POLL_VOTE_WINDOW = 10,   /* … per this many seconds */
};

/* ---- polls_words.c ---- */
bool   poll_stop_word(const char *w);
/* Splits text into normalised words (case folded, stop words left out),
 * each once, as items "w:<Dutch stem>" with the word as label. Returns the
 * number written to out (at most max). */
size_t poll_words(arena *a, const char *text, poll_item *out, size_t max);

/* ---- polls_vote.c ---- */
/* The items an answer adds to the counts, after checking it against the
 * question. Returns NULL and sets *msgid (with *status) when it is wrong. */
typedef struct poll_answer {
	const char *answer;  /* as stored: text, value or option ids "12,14" */
	poll_item   items[64];
	size_t      nitems;
} poll_answer;
bool poll_answer_check(arena *a, const poll_question *q, const int64_t *opts, size_t nopts,
                       const char *text, long long value, bool has_value, poll_answer *out,
                       int *status, const char **msgid);
/* The participant id in a valid signed cookie value, else NULL. */
const char *poll_cookie_check(app *ap, arena *a, const char *cookie);
/* A new signed cookie value for a new participant. */
const char *poll_cookie_new(app *ap, arena *a);

/* ---- polls_live.c ---- */
/* The poll as JSON for screens: state, and with results the counts. */
json_t *poll_snapshot(const poll *p, bool results, store *s, arena *a);
/* Marks a poll changed: results (a vote) or state (open, lock, show …). */
void    poll_live_changed(app *ap, int64_t poll_id, bool state);
/* Adds "value" and "width" (0–100, of the largest) to a snapshot
 * question's options and scale rows, for bars. */
void    poll_bars(json_t *jq, const poll_question *pq);
/* Makes this request a stream of the poll's snapshots. */
void    poll_live_stream(app_req *q, const poll *p, bool presenter);
/* The broadcaster's owner hooks: ready to run for ap (it starts with the
 * first listener), and stopped with every stream closed. */
int     poll_live_start(app *ap, char *err, size_t errlen);
void    poll_live_stop(app *ap);

/* ---- polls.c ---- */
const char *poll_kind_label(const char *kind);

#endif
