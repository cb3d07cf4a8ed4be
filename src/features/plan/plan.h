/* plan.h — the plan feature: the plan's page (the home page shows the
 * newest plan) with its period, status, phases and themes, the organiser's
 * editing of all of it (plan.c), and the base of the demo: organisations,
 * fictitious people and the 2020–2022 plan (plan_demo.c).
 */
#ifndef OPENPLAN_PLAN_H
#define OPENPLAN_PLAN_H

#include "../../app/app.h"

extern const app_feature plan_feature;

/* plan_demo.c: organisations, people, the plan with phases and themes. */
int plan_demo(store *s, char *err, size_t errlen);

#endif
