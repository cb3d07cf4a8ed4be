/* demo.h — the demo data set: the Actieplan Open Overheid 2020–2022 as the
 * seeds describe it, with its organisations and fictitious people.
 */
#ifndef OPENPLAN_DEMO_H
#define OPENPLAN_DEMO_H

#include <stddef.h>

#include "../store/store.h"

/* Loads the demo in one transaction. Returns 0, or -1 with a message in
 * err (also when the demo is already loaded). */
int demo_load(store *s, char *err, size_t errlen);

/* The demo accounts' shared password, documented in the README. */
#define DEMO_PASSWORD "demo-wachtwoord"

#endif
