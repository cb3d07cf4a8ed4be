/* poll.h — the live polls feature (poll_*), its one header.
 *   poll.c          the descriptor: routes with their forms, the plan
 *                   page's section, flash messages, the hub's start/stop
 *   poll_pages.c    organisers: the list, a new poll, the poll's page with
 *                   its settings, questions and controls; deleting a draft
 *   poll_report.c   the report (page, CSV, JSON) and the plan's section
 *   poll_present.c  the presenter's projector screen, its QR code, stream
 *   poll_answers.c  the typed answers of a question, each hidden (personal
 *                   data) or shown again by the poll's maker
 *   poll_vote.c     participants: /p, the phone page, voting (form and
 *                   JSON), the ended page, the participant's stream
 *   poll_answer.c   an answer read from the form or JSON, checked
 *   poll_data.c     the API's data (one builder per resource), shares that
 *                   add up, the word-cloud layout
 *   poll_limit.c    the server secret, the participant cookie, networks,
 *                   and the per-address limits on codes and joins
 *   poll_live.c     the hub: Server-Sent Events that send only what changed
 *   poll_words.c    word-cloud entries: whole phrases, keyed by their stems
 *   poll_store.c    its SQL (through src/store/db.h only)
 *   poll_demo.c     the forum's poll of 18 March 2021
 */
#ifndef OPENPLAN_POLL_H
#define OPENPLAN_POLL_H

#include "../../app/app.h"

/* ---- the store (poll_store.c) ------------------------------------------------ */
typedef struct poll_option {
	int64_t     id;
	const char *label;
	int64_t     n, points;  /* from the tallies, when counts were loaded */
} poll_option;

typedef struct poll_tally {
	const char *item;   /* "o:ID", "s:VALUE", "w:KEY" */
	const char *label;  /* words: the spelling typed most often */
	int64_t     n, points;
} poll_tally;

typedef struct poll_question {
	int64_t      id;
	int          position;
	const char  *kind;   /* single, multiple, open, words, ranking, scale */
	const char  *prompt;
	int          scale_min, scale_max;
	bool         locked;
	bool         counted; /* tallies and option counts were loaded */
	int64_t      voters;
	int64_t      hidden;  /* answers hidden as personal data (open, words) */
	poll_option *options;
	size_t       noptions;
	poll_tally  *tallies;  /* with counts: every item counted, most counted first */
	size_t       ntallies;
} poll_question;

typedef struct poll {
	int64_t        id, plan_id, current_question, created_by, created_at, updated_at;
	const char    *title, *code;
	const char    *mode;    /* presenter (one question at a time), self (own pace) */
	const char    *status;  /* draft, open, closed */
	const char    *hall_net; /* the presenter's network (keyed hash), or "" */
	bool           show_results, attached, shared_network;
	poll_question *questions;
	size_t         nquestions;
} poll;

/* What poll_store_get loads besides the poll, its questions and options. */
enum { POLL_COUNTS_NONE = 0, POLL_COUNTS_ALL = -1 /* any other value: that question's id */ };

/* One count an answer adds: item, its label (words: the spelling typed),
 * ranking points. */
typedef struct poll_item {
	const char *item, *label;
	int64_t     points;
} poll_item;

/* A vote to record. net (the participant's network, keyed hash) and cap:
 * a participant new to this question is refused (capped) when cap
 * participants of the same network have answered it already. */
typedef struct poll_vote_in {
	int64_t          question_id;
	const char      *participant, *answer;
	const poll_item *items;
	size_t           nitems;
	const char      *net;
	int64_t          cap;
} poll_vote_in;

store_rc poll_store_create(store *s, int64_t plan_id, const char *title, const char *code,
                           const char *mode, int64_t user_id, int64_t *id_out);
/* counts: POLL_COUNTS_NONE, POLL_COUNTS_ALL, or one question's id. */
store_rc poll_store_get(store *s, arena *a, int64_t id, int64_t counts, poll *out);
store_rc poll_store_by_code(store *s, arena *a, const char *code, int64_t counts, poll *out);
store_rc poll_store_list(store *s, arena *a, poll **out, size_t *n);
/* Polls whose report is public on the plan's page (attached, not drafts). */
store_rc poll_store_list_plan(store *s, arena *a, int64_t plan_id, poll **out, size_t *n);
/* Saves title, mode, status, current_question, show_results, attached,
 * shared_network, plan_id. */
store_rc poll_store_update(store *s, const poll *p);
/* Records the presenter's network when it changed. */
store_rc poll_store_set_hall(store *s, int64_t poll_id, const char *net);
/* Deletes a poll nobody answered; STORE_CONFLICT when someone did. */
store_rc poll_store_delete(store *s, int64_t poll_id);
store_rc poll_store_question_add(store *s, int64_t poll_id, const char *kind, const char *prompt,
                                 int scale_min, int scale_max, const char *const *options,
                                 size_t noptions, int64_t *id_out);
/* STORE_CONFLICT when someone answered it (reset a test run first). */
store_rc poll_store_question_delete(store *s, int64_t poll_id, int64_t question_id);
store_rc poll_store_question_lock(store *s, int64_t poll_id, int64_t question_id, bool locked);
/* Removes every answer and count (a test run). */
store_rc poll_store_reset(store *s, int64_t poll_id);
/* Records a participant's answer, replacing an earlier one: takes back the
 * earlier answer's counts and adds these, n = n ± 1, in one transaction.
 * *replaced: there was an earlier answer. *capped: refused, nothing
 * recorded (the network's allowance; the call returns STORE_CONFLICT). */
store_rc poll_store_vote(store *s, const poll_vote_in *v, bool *replaced, bool *capped);
/* A participant's answers to a poll's questions: question ids and answers. */
store_rc poll_store_my_answers(store *s, arena *a, int64_t poll_id, const char *participant,
                               int64_t **qids, const char ***answers, size_t *n);
/* The answers given to a question (open answers), newest first. */
store_rc poll_store_answers(store *s, arena *a, int64_t question_id, size_t limit,
                            const char ***out, size_t *n);
/* A typed answer (open, words) as organisers review it. */
typedef struct poll_text {
	int64_t     id, created_at;
	const char *text;
	bool        hidden;
} poll_text;
/* A question's typed answers, hidden ones too, newest first: limit of them
 * with an id below before (0: from the newest). */
store_rc poll_store_texts(store *s, arena *a, int64_t question_id, int64_t before, size_t limit,
                          poll_text **out, size_t *n);
/* Hides an answer typed into an open or word-cloud question of the poll
 * (personal data), or shows it again: a word-cloud answer's entries leave
 * the counts and come back, the question's hidden count moves by one, in
 * one transaction. STORE_NOTFOUND when the poll has no such answer;
 * nothing changes when it already is as asked. *question_id: its question. */
store_rc poll_store_hide(store *s, int64_t poll_id, int64_t answer_id, bool hidden,
                         int64_t *question_id);
/* The question of a typed answer of the poll (0 when there is none). */
store_rc poll_store_text_question(store *s, int64_t poll_id, int64_t answer_id, int64_t *qid);
/* Whether anyone answered any question of the poll. */
store_rc poll_store_has_answers(store *s, int64_t poll_id, bool *out);

extern const app_feature poll_feature;

/* ---- handlers ---- */
void poll_list(app_req *q);
void poll_create(app_req *q);
void poll_list_reshow(app_req *q);
void poll_show(app_req *q);
void poll_show_reshow(app_req *q);
void poll_settings(app_req *q);
void poll_delete(app_req *q);
void poll_question_add(app_req *q);
void poll_question_delete(app_req *q);
void poll_control(app_req *q);
void poll_present(app_req *q);
void poll_qr(app_req *q);
void poll_stream(app_req *q);
void poll_report(app_req *q);
void poll_report_csv(app_req *q);
void poll_join(app_req *q);
void poll_join_reshow(app_req *q);
bool poll_join_allowed(app_req *q);
void poll_participate(app_req *q);
void poll_vote(app_req *q);
void poll_vote_api(app_req *q);
void poll_vote_reshow(app_req *q);
bool poll_vote_allowed(app_req *q);
void poll_part_stream(app_req *q);
void poll_answers_page(app_req *q);
void poll_answer_hide(app_req *q);
void poll_answers_reshow(app_req *q);
/* The signed-in organiser made this poll, or is an administrator: who may
 * see and hide what participants typed. */
bool poll_holds(app_req *q, const poll *p);
/* The poll reports on a plan's page ("polls"): [{id, title}]. */
json_t *poll_plan_reports(app_req *q, int64_t plan_id);
/* poll_demo.c: the live poll of the stakeholder forum of 18 March 2021. */
int poll_demo(store *s, char *err, size_t errlen);

/* Loads the poll named by the path's id with counts (see poll_store_get);
 * answers 404/503 itself and returns false when it cannot. */
bool poll_load(app_req *q, int64_t counts, poll *p);
/* Answers 503: the request ran out of memory. */
void poll_busy(app_req *q);
/* A question of the poll, or NULL. */
const poll_question *poll_question_of(const poll *p, int64_t id);
/* The question the presenter's screen shows (presenter mode: the open
 * question; self-paced: the one chosen to show), or NULL. */
const poll_question *poll_current(const poll *p);
/* The report is public: attached to the plan and not a draft. */
bool poll_report_public(const poll *p);
/* "open", "closed", … as the interface says it (a msgid). */
const char *poll_status_label(const char *status);
const char *poll_kind_label(const char *kind);
/* The address participants type, without the code (never a bare "/p"):
 * from --base-url, else the request's Host. display: without "https://". */
const char *poll_join_base(app_req *q, bool display);

enum {
	POLL_OPEN_MAX = 500,     /* characters in an open answer */
	POLL_WORDS_MAX = 100,    /* characters in a word-cloud answer */
	POLL_WORDS_PER_ANSWER = 5,
	POLL_OPTIONS_MAX = 20,
	POLL_VOTE_LIMIT = 20,    /* votes per participant … */
	POLL_VOTE_WINDOW = 10,   /* … per this many seconds */
};

/* ---- poll_words.c ---- */
bool   poll_stop_word(const char *w);
/* Splits a word-cloud answer into entries at commas, semicolons and line
 * breaks; an entry of several words stays whole ("open source"). Each
 * becomes an item "w:<key>" (its words case folded and stemmed, Dutch stop
 * words left out, joined by a space) with the entry as typed (trimmed,
 * spaces collapsed) as its label; each key once. Returns how many were
 * written to out (at most max); 0 with *msgid set when nothing counts; -1
 * when out of memory. */
int    poll_words(arena *a, const char *text, poll_item *out, size_t max, const char **msgid);

/* ---- poll_answer.c ---- */
/* An answer as it came: from the phone's form or the JSON API. */
typedef struct poll_posted {
	int64_t     question;
	int64_t     opts[64];
	int         places[64];   /* ranking: the place given to opts[i] */
	size_t      nopts;
	const char *text;
	long long   value;
	bool        has_value;
	bool        ranked;       /* rank_ID fields came (a ranking by places) */
} poll_posted;
/* Reads the form: option=ID (choices) or rank_ID=PLACE (a ranking, ordered
 * by place). False when a value is not a number; what could be read is in
 * *in all the same, to show again. */
bool        poll_posted_form(app_req *q, poll_posted *in);
/* Reads a JSON vote {"question", "options", "value", "text"}; false when
 * it cannot be read. */
bool        poll_posted_json(app_req *q, poll_posted *in);
/* A ranking that gives two options one place: which, in the visitor's
 * words; NULL when none does. */
const char *poll_ranking_tie(app_req *q, const poll_question *pq, const poll_posted *in);
/* The items an answer adds to the counts, after checking it against the
 * question. False with *field (the form field at fault), *msgid and
 * *status when it is wrong or memory ran out (503). */
typedef struct poll_answer {
	const char *answer;  /* as stored: text, value, or option ids "12,14" */
	poll_item   items[64];
	size_t      nitems;
} poll_answer;
bool poll_answer_check(arena *a, const poll_question *q, const int64_t *opts, size_t nopts,
                       const char *text, long long value, bool has_value, poll_answer *out,
                       int *status, const char **field, const char **msgid);

/* ---- poll_limit.c ---- */
/* The participant id in a valid signed cookie value, else NULL. */
const char *poll_cookie_check(app *ap, arena *a, const char *cookie);
/* A new signed cookie value for a new participant; NULL when out of memory
 * or the server secret cannot be had. */
const char *poll_cookie_new(app *ap, arena *a);
/* The client's network as a keyed hash (16 hex digits): its IPv4 address,
 * or the /64 of its IPv6 address. NULL when out of memory. */
const char *poll_net(app *ap, arena *a, const char *ip);
/* Wrong codes: false when this address has typed too many lately (then
 * no code is looked up for it); poll_limit_code_miss counts one. */
bool        poll_limit_code_ok(app_req *q);
void        poll_limit_code_miss(app_req *q);
/* A new participant from this address: false when too many joined from it
 * lately. */
bool        poll_limit_join(app_req *q);
/* How many participants of one network may answer a question: the hall's
 * network (the presenter's, or any when the organiser says participants
 * share one connection) gets the hall's size. */
int64_t     poll_net_cap(const poll *p, const char *net);
/* The limits, read once from the environment (see docs/polls-api.md). */
typedef struct poll_limits {
	unsigned code_misses, joins; /* per address per POLL_LIMIT_WINDOW */
	int64_t  net_voters, hall_voters;
} poll_limits;
enum { POLL_LIMIT_WINDOW = 600 };
const poll_limits *poll_limits_get(void);

/* ---- poll_data.c: the API's data ---- */
/* How much of a question's results a builder includes. */
typedef enum {
	POLL_R_NONE,    /* the question only */
	POLL_R_LIVE,    /* counts, the 40 most named words, the 20 latest answers */
	POLL_R_REPORT,  /* counts, every word, every answer */
} poll_results;
/* The Poll resource: codes and ids, no labels. */
json_t *poll_data(const poll *p);
/* The Question resource with as much of its results as asked (open
 * answers come from the store). NULL when out of memory. */
json_t *poll_question_data(store *s, arena *a, const poll_question *q, poll_results r);
/* Percentages of total, rounded so that they add up to 100 when the
 * counts add up to total (largest remainders; single choice, scale), or
 * each rounded on its own when they need not (several answers each). */
void    poll_shares(const int64_t *n, size_t k, int64_t total, int *pct);
/* A scale's average (0 when nobody answered). */
double  poll_scale_average(const poll_question *q, int64_t *count);
/* The count of item "s:VALUE" of a scale question. */
int64_t poll_scale_count(const poll_question *q, int value);

/* A word cloud: each word's place (its centre) and type size in a
 * POLL_CLOUD_W × POLL_CLOUD_H box, biggest in the middle, none
 * overlapping; words that do not fit are left out. */
enum { POLL_CLOUD_W = 1600, POLL_CLOUD_H = 800, POLL_CLOUD_WORDS = 40 };
typedef struct poll_cloud_word {
	const char *word;
	int64_t     n;
	int         x, y, size, tone;
} poll_cloud_word;
size_t  poll_cloud(const poll_tally *t, size_t n, poll_cloud_word *out, size_t max);

/* ---- poll_present.c ---- */
/* A question's results as a chart view (labels, shares, bar widths, the
 * cloud's layout for presenters), for the presenter's screen and the
 * phone. NULL when out of memory. */
json_t *poll_chart(app_req *q, const poll_question *pq, bool presenter);

/* ---- poll_live.c ---- */
/* The one entry point of the hub: this poll changed (a vote, a state
 * change, or — later — a note from another node). Cheap: marks it; the
 * broadcaster reads the poll again and sends each kind of listener an
 * event only when what that kind may see changed. */
void    poll_live_changed(app *ap, int64_t poll_id);
/* Makes this request a stream of the poll's events. */
void    poll_live_stream(app_req *q, const poll *p, bool presenter);
/* One event's data: the poll's state and, for presenters (or participants
 * while results are shown), the current question's counts. NULL when out
 * of memory. sig: the state's signature (pages load again when it moves). */
json_t *poll_event_data(store *s, arena *a, const poll *p, bool presenter);
/* The signature of what a screen is built from (status, mode, the open
 * question for presenters and one-at-a-time participants, locks, results
 * shown); NULL when out of memory. */
const char *poll_sig(arena *a, const poll *p, bool presenter);
/* The hub's owner hooks: ready to run for ap (the broadcaster starts with
 * the first listener), and stopped with every stream closed. */
int     poll_live_start(app *ap, char *err, size_t errlen);
void    poll_live_stop(app *ap);

#endif
