/* demo.h — the demo data set: the Actieplan Open Overheid 2020–2022 as the
 * seeds describe it, with its organisations and fictitious people.
 */
#ifndef OPENPLAN_DEMO_H
#define OPENPLAN_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"

/* Loads the demo in one transaction. Returns 0, or -1 with a message in
 * err (also when the demo is already loaded). */
int demo_load(store *s, char *err, size_t errlen);

/* Each feature adds its part of the demo: a function that runs inside
 * demo_load's transaction, after the plan, its phases and themes and the
 * organisations and people exist (find them through the store). Returns 0,
 * or -1 with a message in err. List it in demo_parts[] in demo.c. */
typedef int (*demo_part_fn)(store *s, int64_t plan_id, char *err, size_t errlen);

/* consultations_demo.c: the September 2020 consultation with 48 responses. */
int demo_consultations(store *s, int64_t plan_id, char *err, size_t errlen);

/* act_demo.c: the action points with holders, milestones, updates, an open offer. */
int demo_actions(store *s, int64_t plan_id, char *err, size_t errlen);

/* polls_demo.c: the live poll of the stakeholder forum of 18 March 2021. */
int demo_polls(store *s, int64_t plan_id, char *err, size_t errlen);

/* The demo accounts' shared password, documented in the README. */
#define DEMO_PASSWORD "demo-wachtwoord"

#endif
