/* cons.h — the consultations feature (cons_*): a questionnaire on a plan,
 * open between two dates, its answers and results. cons.c declares the
 * feature (routes, the plan page's section); cons_edit.c is the organiser's
 * editing, cons_answer.c answering, cons_results.c the results and the
 * organiser's answers page, cons_export.c CSV and XLSX, cons_demo.c the
 * September 2020 consultation, cons_logic.c what they share. The pure functions at the end (folding write-ins, bar charts,
 * percentages, signed tokens) are unit-tested in tests/unit/test_consultations.c.
 */
#ifndef OPENPLAN_CONS_H
#define OPENPLAN_CONS_H

#include "../../app/app.h"

/* ---- the store (cons_store.c, cons_store_results.c) ------------------------
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
	const char    *status;       /* draft, published, archived (NULL on create:
	                              * published, as before drafts; the organiser's
	                              * form makes drafts) */
	int64_t        responses;
	cons_question *questions;
	size_t         nquestions;
} consultation;

store_rc cons_store_create(store *s, const consultation *c, int64_t *id_out);
store_rc cons_store_update(store *s, const consultation *c);
/* Sets the status (draft, published, archived). STORE_INVALID when
 * publishing one without questions; STORE_CONFLICT when making one that
 * has answers a draft again; STORE_NOTFOUND when there is no such one.
 * A draft's first publication tells the followers of the consultation,
 * its plan and its options' themes ("plan.consultation", in the same
 * transaction); actor (0: the system) is not told. */
store_rc cons_store_set_status(store *s, int64_t id, const char *status, int64_t actor);
/* Deletes one nobody answered, with its questions. STORE_CONFLICT when it
 * has answers (archive it instead). */
store_rc cons_store_delete(store *s, int64_t id);
/* With questions, options and the number of responses. */
store_rc cons_store_get(store *s, arena *a, int64_t id, consultation *out);
/* A plan's consultations (without questions), newest first. */
store_rc cons_store_list(store *s, arena *a, int64_t plan_id, consultation **out, size_t *n);
/* Adds a question with its options (theme_ids[i] 0 for none). */
store_rc cons_store_question_add(store *s, int64_t cons_id, const cons_question *qn,
                                 const char *const *labels, const int64_t *theme_ids,
                                 size_t nopt, int64_t *id_out);
/* wording_only: only prompt, help and scale labels change (allowed when frozen). */
store_rc cons_store_question_update(store *s, int64_t cons_id, const cons_question *qn,
                                    bool wording_only);
store_rc cons_store_question_delete(store *s, int64_t cons_id, int64_t qid);
store_rc cons_store_question_move(store *s, int64_t cons_id, int64_t qid, int dir);
store_rc cons_store_option_add(store *s, int64_t cons_id, int64_t qid, const char *label,
                               int64_t theme_id);
store_rc cons_store_option_update(store *s, int64_t cons_id, int64_t qid, int64_t oid,
                                  const char *label);
store_rc cons_store_option_delete(store *s, int64_t cons_id, int64_t qid, int64_t oid);

/* One answer row (see the migration): option_id 0 for none, has_value for value. */
typedef struct cons_answer_in {
	int64_t     id;
	int64_t     question_id;
	int64_t     option_id;
	bool        has_value;
	int64_t     value;
	const char *text;
	const char *norm;        /* write-ins: the text folded for grouping */
	bool        hidden;      /* hidden by an organiser (read back from the store) */
} cons_answer_in;

/* Saves a response in one transaction: marks the one-time form nonce used
 * (STORE_CONFLICT, nothing saved, when it was used before) and replaces the
 * earlier response of the same user (user_id > 0) or browser (browser_hash). */
store_rc cons_store_respond(store *s, int64_t cons_id, int64_t user_id, const char *browser_hash,
                            const char *nonce, const cons_answer_in *ans, size_t n,
                            bool *replaced);
/* Spreads the times of a consultation's responses over [from, from+span)
 * seconds (for imported or demo data that was given on other days). */
store_rc cons_store_backdate(store *s, int64_t cons_id, int64_t from, int64_t span);
/* The earlier answers of a user or browser; STORE_NOTFOUND when none. */
store_rc cons_store_my_answers(store *s, arena *a, int64_t cons_id, int64_t user_id,
                               const char *browser_hash, cons_answer_in **out, size_t *n,
                               int64_t *updated_at);

/* The consultations a person answered (signed in), for their own data. */
typedef struct cons_mine {
	int64_t     id;
	const char *title;
	int64_t     created_at, updated_at;
} cons_mine;
store_rc cons_store_mine(store *s, arena *a, int64_t user_id, cons_mine **out, size_t *n);

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
	cons_cell *hidden;    size_t nhidden;    /* question_id → texts organisers hid */
} cons_results;
/* In `answered`, sum is the number of non-empty texts of the question. */
/* For c as cons_store_get loaded it. texts: at most text_limit per
 * question, plus every quoted one; hidden ones only when include_hidden. */
store_rc cons_store_results(store *s, arena *a, const consultation *c, size_t text_limit,
                            bool include_hidden, cons_results *out);
/* Hides (quoted false) or quotes an answer with text (open text, reason,
 * write-in) of the consultation; a hidden write-in leaves its group's
 * count and shown spelling (cons_writeins). STORE_NOTFOUND when no such. */
store_rc cons_store_answer_flag(store *s, int64_t cons_id, int64_t answer_id, bool quoted,
                                bool on);
/* Adds d to a write-in group's count and sets its shown spelling to the
 * first of the texts still shown ("" when none): inside a transaction. */
store_rc cons_store_writein_regroup(store *s, int64_t qid, const char *norm, int d);
/* A page of a question's texts (hidden ones too), newest first, with ids
 * below before_id (0: from the newest). */
store_rc cons_store_texts(store *s, arena *a, int64_t qid, int64_t before_id, size_t limit,
                          cons_text **out, size_t *n);

/* Every answer, ordered by response and question position, for exports.
 * A row's texts are valid only during the call to fn: the export allocates
 * nothing per row, whatever its size. */
typedef struct cons_export_row {
	int64_t     response_id, created_at, updated_at, question_id, option_id, value;
	bool        has_value, hidden;
	const char *user_name, *user_email, *text;
} cons_export_row;
typedef store_rc (*cons_export_fn)(const cons_export_row *row, void *ctx);
store_rc cons_store_export(store *s, int64_t cons_id, cons_export_fn fn, void *ctx);

extern const app_feature cons_feature;

/* ---- handlers (cons_edit.c, cons_answer.c, cons_results.c, cons_export.c) ---- */
void cons_new(app_req *q);
void cons_edit(app_req *q);
void cons_question_add(app_req *q);
void cons_question_update(app_req *q);
void cons_question_move(app_req *q);
void cons_question_delete(app_req *q);
void cons_option_add(app_req *q);
void cons_option_update(app_req *q);
void cons_option_delete(app_req *q);
void cons_status(app_req *q);
void cons_delete(app_req *q);
void cons_show(app_req *q);
void cons_thanks(app_req *q);
void cons_results_page(app_req *q);
void cons_answers_page(app_req *q);
void cons_answer_hide(app_req *q);
void cons_answer_quote(app_req *q);
void cons_export_csv(app_req *q);
void cons_export_xlsx(app_req *q);
/* The forms of the organiser's pages (cons_edit.c, cons_publish.c), named
 * in the route table. */
extern const form_def cons_new_form, cons_settings_form, cons_question_form,
	cons_question_update_form, cons_option_form, cons_new_option_form, cons_status_form;
/* The edit page with every form (a failed one keeps what was typed). */
void cons_edit_page(app_req *q, int status, const consultation *c);
/* The status part of the edit page (publish, archive, delete) into m. */
void cons_publish_view(app_req *q, const consultation *c, json_t *m);
/* "Draft", "Published", "Archived" (msgids). */
const char *cons_status_label(const char *status);
/* The plan's consultations for its page (the "consultations" section). */
json_t *cons_plan_summary(app_req *q, int64_t plan_id);
/* cons_demo.c: the September 2020 consultation with 48 responses. */
int cons_demo(store *s, char *err, size_t errlen);


/* Loads the consultation named by {cid}; answers 404 itself when absent. */
bool        cons_load(app_req *q, consultation *c);
/* The same for what the public may see: a draft is 404 except for
 * organisers (who get its preview). */
bool        cons_load_visible(app_req *q, consultation *c);
/* A draft only for organisers; published and archived for everyone. */
bool        cons_visible(const app_req *q, const consultation *c);
/* Published and open today: answers are taken. */
bool        cons_accepting(const consultation *c);
/* Out of request memory: a clear 503 page or JSON error. */
void        cons_oom(app_req *q);
/* app_page and app_json, unless any allocation of this request failed
 * (a NULL from the arena or jansson that left a part out): then 503. */
void        cons_page(app_req *q, int status, const char *tpl, json_t *model);
void        cons_json(app_req *q, int status, json_t *model);
/* "upcoming", "open" or "closed", by today's date (UTC); archived: closed. */
const char *cons_state(const consultation *c);
bool        cons_is_organiser(const app_req *q);
/* Organisers always; others when results are public now. */
bool        cons_results_visible(const app_req *q, const consultation *c);
/* The consultation (no questions) as data: the API's "Consultation". */
json_t     *cons_data(const app_req *q, const consultation *c);
/* The same for a page (HTML): with dates written out, labels and flags;
 * for JSON just cons_data. NULL when out of memory. */
json_t     *cons_summary_json(app_req *q, const consultation *c);
/* The intro Markdown rendered with md4c, raw HTML not passed through. */
char       *cons_markdown(app_req *q, const char *md);
const char *cons_kind_label(const char *kind);
/* The server secret for signed tokens (kept in the meta table). */
bool        cons_secret(app_req *q, unsigned char key[32]);

/* ---- pure logic (unit-tested) ---- */
/* Write-in text folded for grouping: trimmed, inner white space collapsed,
 * Unicode case-folded and NFKC-normalised. "" for blank text. */
char *cons_fold(arena *a, const char *text);
/* A time (UTC seconds) as Europe/Amsterdam wall-clock time for exports:
 * "YYYY-MM-DD HH:MM:SS", which Dutch Excel reads as a date and time. */
void  cons_export_time(int64_t utc, char out[20]);
/* Percentage of count in total, rounded to whole numbers (0 when total 0). */
int   cons_percent(int64_t count, int64_t total);
/* "<nonce>.<mac>" where mac signs purpose and nonce with key. */
char *cons_token_make(arena *a, const unsigned char key[32], const char *purpose);
/* The nonce of a valid token for purpose, or NULL. */
char *cons_token_check(arena *a, const unsigned char key[32], const char *purpose,
                       const char *token);

#endif
