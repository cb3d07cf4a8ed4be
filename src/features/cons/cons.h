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
void cons_show(app_req *q);
void cons_thanks(app_req *q);
void cons_results_page(app_req *q);
void cons_answers_page(app_req *q);
void cons_answer_hide(app_req *q);
void cons_answer_quote(app_req *q);
void cons_export_csv(app_req *q);
void cons_export_xlsx(app_req *q);
/* The plan's consultations for its page (the "consultations" section). */
json_t *cons_plan_summary(app_req *q, int64_t plan_id);
/* cons_demo.c: the September 2020 consultation with 48 responses. */
int cons_demo(store *s, char *err, size_t errlen);


/* Loads the consultation named by {cid}; answers 404 itself when absent. */
bool        cons_load(app_req *q, consultation *c);
/* "upcoming", "open" or "closed", by today's date (UTC). */
const char *cons_state(const consultation *c);
bool        cons_is_organiser(const app_req *q);
/* Organisers always; others when results are public now. */
bool        cons_results_visible(const app_req *q, const consultation *c);
/* The consultation's summary (no questions) as JSON. */
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
/* Percentage of count in total, rounded to whole numbers (0 when total 0). */
int   cons_percent(int64_t count, int64_t total);
/* "<nonce>.<mac>" where mac signs purpose and nonce with key. */
char *cons_token_make(arena *a, const unsigned char key[32], const char *purpose);
/* The nonce of a valid token for purpose, or NULL. */
char *cons_token_check(arena *a, const unsigned char key[32], const char *purpose,
                       const char *token);

#endif
