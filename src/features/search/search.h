/* search.h — the site's search: one box in every page's header, results
 * grouped by kind (action points, consultations, live poll reports,
 * sessions with their reports, themes), Dutch stemming (libstemmer
 * on SQLite FTS5; PostgreSQL's 'dutch' configuration), a page that works
 * without JavaScript (/search) and the API (/api/v1/search). It also gives
 * the theme page what the index knows is linked to a theme, for kinds
 * whose own feature does not show them there.
 *
 * The index keeps itself current: triggers (migrations/081, 082)
 * note every change to the indexed tables in search_dirty, in the changing
 * transaction; search_store_sync re-indexes what they noted before every
 * answer. No other feature calls this one.
 *
 *   search.c        the descriptor, the page, the API, the theme section
 *   search_text.c   words, Dutch stems, stop words, queries, excerpts
 *   search_store.c  the index: sync, query, a theme's documents
 */
#ifndef OPENPLAN_SEARCH_H
#define OPENPLAN_SEARCH_H

#include "../../app/app.h"

extern const app_feature search_feature;

/* ---- search_text.c ---- */
enum { SEARCH_Q_MAX = 200 };   /* characters of a query */

/* The words of text (letters and digits; hyphens and punctuation split
 * them), case folded, without Dutch stop words, each as its Dutch stem
 * (stem) or as folded (!stem), separated by single spaces. "" for none;
 * NULL when out of memory. */
const char *search_words(arena *a, const char *text, bool stem);
/* The expression for what a person typed, for search_fts($1): its words
 * (stems when stem) in double quotes, the last also as a prefix ("…"*);
 * NULL when nothing is left to search for. *stems gets the stems (for
 * excerpts), *nstems how many. */
const char *search_query_expr(arena *a, const char *typed, bool stem, const char ***stems,
                              size_t *nstems);
/* About `words` words of body around the first word whose stem is one of
 * stems[] (or starts with the last one), as a JSON array of
 * {"text":…,"hit":bool} pieces, with "…" where it is cut; from the start
 * when nothing matches. */
json_t *search_excerpt(arena *a, const char *body, const char *const *stems, size_t nstems,
                       size_t words);
/* Markdown as the plain text people read (for excerpts and the index). */
const char *search_plain(arena *a, const char *md);
/* The first `words` words of body, as plain text with "…" when cut. */
const char *search_snippet(arena *a, const char *body, size_t words);

/* ---- search_store.c ---- */
typedef struct search_doc {
	int64_t     id;
	const char *kind;    /* theme, action, consultation, poll, session */
	int64_t     ref_id;  /* the thing's own id */
	const char *title;
	const char *body;    /* plain text, for excerpts */
} search_doc;

/* Re-indexes everything the triggers noted since the last sync; after
 * it, the index holds every public thing as it is now. */
store_rc search_store_sync(store *s);
/* Whether the database wants the words stemmed by us (SQLite) or stems
 * them itself (PostgreSQL). */
store_rc search_store_stems_here(store *s, bool *here);
/* Documents matching expr (search_query_expr), best first, of one kind or
 * (kind NULL) all, at most limit. */
store_rc search_store_find(store *s, arena *a, const char *expr, const char *kind, int limit,
                           search_doc **out, size_t *n);
/* The documents linked to a theme (not the theme itself), by kind and title. */
store_rc search_store_theme(store *s, arena *a, int64_t theme_id, search_doc **out, size_t *n);

#endif
