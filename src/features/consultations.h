/* consultations.h — private to the consultation feature (consultations*.c):
 * what its files share. The handlers themselves are declared in
 * features.h. The pure functions at the end (folding write-ins, bar charts,
 * percentages, signed tokens) are unit-tested in tests/unit/test_consultations.c.
 */
#ifndef OPENPLAN_CONSULTATIONS_H
#define OPENPLAN_CONSULTATIONS_H

#include "features.h"

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
/* A horizontal bar chart as inline SVG with <title> and <desc>; labels and
 * counts in the given order; widths relative to the largest count. */
void  cons_svg_bars(sb *out, const char *id, const char *title, const char *desc,
                    const char *const *labels, const int64_t *counts, size_t n);
/* "<nonce>.<mac>" where mac signs purpose and nonce with key. */
char *cons_token_make(arena *a, const unsigned char key[32], const char *purpose);
/* The nonce of a valid token for purpose, or NULL. */
char *cons_token_check(arena *a, const unsigned char key[32], const char *purpose,
                       const char *token);

#endif
