/* theme.h — a page per theme of a plan (/themes/{id}): its name and
 * description, the plan it belongs to, the plan's other themes, and what
 * every feature has on the theme (app_sections, page "theme": action
 * points, consultations, live polls, sessions, reports). The theme cards
 * on the plan's page lead here.
 */
#ifndef OPENPLAN_THEME_H
#define OPENPLAN_THEME_H

#include "../../app/app.h"

extern const app_feature theme_feature;

typedef struct theme_sibling {
	int64_t     id;
	const char *name;
} theme_sibling;

typedef struct theme_page {
	int64_t        id, plan_id;
	const char    *name, *description, *plan_title;
	theme_sibling *themes;   /* every theme of the plan, in its order */
	size_t         nthemes;
} theme_page;

/* theme_store.c: the theme with its plan's title and themes. */
store_rc theme_store_get(store *s, arena *a, int64_t id, theme_page *out);

#endif
