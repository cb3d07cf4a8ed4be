/* web.h — the presentation layer: HTML templates (files under
 * web/templates, embedded at build time, HTML-escaped by default) and the
 * interface language (GNU gettext .po catalogues under web/po).
 *
 * Template syntax (a small Mustache):
 *   {{name.path}}     value, HTML-escaped          {{.}} the current item
 *   {{#name}}…{{/name}} section: once per array item, once for an object or
 *                     a true value, never for false/null/""/0/[]
 *   {{#name?}}…{{/name?}} once when name is truthy, without iterating
 *   {{^name}}…{{/name}} inverted section
 *   {{_ "Text"}}      the text translated          {{t name}} a value translated
 *   {{n_ "%d thing" "%d things" name}}  the form for the number in name,
 *                     with %d replaced by it (gettext plural forms)
 *   {{> partial}}     another template             {{raw name}} unescaped (rare!)
 *   {{@nl}}           marks content written in Dutch (what people wrote, the
 *                     plan's names): ` lang="nl"` when the page is in another
 *                     language, nothing on a Dutch page; inside an opening
 *                     tag, <h1 class="…"{{@nl}}>{{title}}</h1> (WCAG 3.1.2)
 * A template file NAME.txt (known as "NAME.txt") is plain text: rendering
 * it (and the partials it includes) escapes nothing — an e-mail's text part.
 */
#ifndef OPENPLAN_WEB_H
#define OPENPLAN_WEB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/sb.h"

/* ---- i18n ---- */
int         i18n_load(char *err, size_t errlen);   /* parses the embedded catalogues */
void        i18n_free(void);
/* The translation of msgid into lang ("nl", "en"); msgid itself when none. */
const char *i18n_get(const char *lang, const char *msgid);
bool        i18n_has(const char *lang, const char *msgid);
/* The form of msgid/plural for n in lang (Dutch and English: msgstr[0]
 * when n is 1, msgstr[1] otherwise); the English forms when there is no
 * translation. Usually a printf format with one %lld for n. */
const char *i18n_nget(const char *lang, const char *msgid, const char *plural, long long n);
bool        i18n_lang_valid(const char *lang);

/* ---- Markdown ---- */
/* Appends md rendered as safe HTML (see markdown.c). Returns 0 or -1. */
int  web_markdown(sb *out, const char *md);

/* ---- shared page helpers ---- */
/* A "YYYY-MM-DD" date written out in lang ("3 september 2020"); "" for a
 * missing or impossible date. */
const char *web_date(arena *a, const char *lang, const char *ymd);
/* Times are shown in Europe/Amsterdam, whatever the server's zone: the
 * offset from UTC at utc (3600, or 7200 in summer time: the EU rule, from
 * 01:00 UTC on the last Sunday of March to the last Sunday of October). */
int         web_amsterdam_offset(int64_t utc);
/* The moment utc (seconds since the epoch) as Amsterdam date and time in
 * lang: "3 september 2020, 14.05 uur", "3 September 2020, 14:05". */
const char *web_datetime(arena *a, const char *lang, int64_t utc);
/* The same moment for <time datetime="…">: "2020-09-03T14:05:00+02:00". */
const char *web_datetime_iso(arena *a, int64_t utc);
/* The Amsterdam calendar date of utc as "YYYY-MM-DD" (out: 11 bytes). */
void        web_amsterdam_ymd(int64_t utc, char out[11]);
/* Today in Amsterdam as y*10000+m*100+d (what "open today" means). */
int         web_amsterdam_today(void);
/* A horizontal bar chart as inline SVG with <title> and <desc>; labels and
 * counts in the given order; widths relative to the largest count. The
 * page shows the same numbers in a table. */
void web_svg_bars(sb *out, const char *id, const char *title, const char *desc,
                  const char *const *labels, const int64_t *counts, size_t n);

/* A line chart over time as inline SVG with <title> and <desc>: the
 * measured values joined by a solid line with a dot each (a dot's own
 * <title> says its text), and, when given, a start point (square) and a
 * goal (diamond) joined by a dashed line — the planned path — with a
 * legend that names each by its label (the colours are never the only
 * difference: solid or dashed, dot, square or diamond). The y axis
 * starts at 0 unless a value is below it; its numbers use `decimal` as
 * the decimal sign. Nothing here is translated: the caller passes every
 * text. The page shows the same numbers in a table. */
typedef struct web_line_point {
	int64_t     x;       /* a position on the time axis: a day number */
	double      y;
	const char *text;    /* what the point says: "30 juni 2021: 128" */
} web_line_point;

typedef struct web_line {
	const char *id, *title, *desc;
	const web_line_point *points;  /* the measured values, oldest first */
	size_t      n;
	const web_line_point *start;   /* the baseline, or NULL */
	const web_line_point *goal;    /* the target, or NULL */
	const char *start_label;       /* the start point in the legend: "Nulmeting" */
	const char *goal_label;        /* the goal in the legend: "Doel" */
	const char *series_label;      /* the legend's line: "Gemeten" */
	const char *path_label;        /* the legend's dashed line (with start and goal) */
	const char *x_first, *x_last;  /* under the axis's ends: dates written out */
	char        decimal;           /* '.' or ',' */
} web_line;
void web_svg_line(sb *out, const web_line *c);

/* ---- templates ---- */
typedef struct tpl_set tpl_set;

/* Compiles every embedded template; on a syntax error names file and line. */
int  tpl_load(tpl_set **out, char *err, size_t errlen);
void tpl_free(tpl_set *t);
/* Renders template `name` with ctx into out. Returns 0, or -1 when the
 * template does not exist or output could not be allocated. */
int  tpl_render(const tpl_set *t, const char *name, json_t *ctx, const char *lang, sb *out);
/* Every msgid the templates use, for the catalogue-completeness test. */
int  tpl_each_msgid(const tpl_set *t, void (*fn)(const char *msgid, void *ctx), void *ctx);

#endif
