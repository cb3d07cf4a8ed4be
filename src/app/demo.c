/* demo.c — loads the demo data set: every feature's part, in the order of
 * the feature list, inside one transaction, so the demo is either wholly
 * there or not at all. Refuses when it was loaded before. What the demo
 * holds is each feature's own business (its <feature>_demo.c).
 */
#include <stdio.h>
#include <time.h>

#include "app.h"

int app_demo_load(store *s, const app_feature *const *features, size_t nfeatures, char *err,
                  size_t errlen)
{
	arena a;
	arena_init(&a, 0);
	const char *loaded = NULL;
	if (store_meta_get(s, &a, "demo_loaded", &loaded) == STORE_OK) {
		snprintf(err, errlen, "the demo data is already loaded (on %s); nothing was changed",
		         loaded);
		arena_free(&a);
		return -1;
	}
	arena_free(&a);
	store_rc rc = store_begin(s);
	if (rc != STORE_OK)
		goto fail;
	for (size_t i = 0; i < nfeatures; i++)
		if (features[i]->demo && features[i]->demo(s, err, errlen) != 0) {
			store_rollback(s);
			return -1;
		}
	char today[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	rc = store_meta_set(s, "demo_loaded", today);
	if (rc == STORE_OK)
		rc = store_commit(s);
	if (rc == STORE_OK)
		return 0;
fail:
	store_rollback(s);
	snprintf(err, errlen, "could not load the demo data: %s; nothing was changed",
	         store_rc_name(rc));
	return -1;
}
