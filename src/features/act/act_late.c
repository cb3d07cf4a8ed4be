/* act_late.c — the action plan's one piece of background work: a ticker
 * (util/ticker.c) started and stopped by the feature's hooks, that runs at start and then
 * every hour (OPENPLAN_LATE_CHECK_SECONDS to change it, for tests) and
 * tells the holders' contact persons about milestones that have become
 * late (act_store_tell_late: one event per milestone and due date, marked
 * in the same transaction, so several nodes or restarts never tell twice).
 */
#include <stdio.h>

#include "../../util/ticker.h"
#include "act.h"

static ticker *watcher;

static void tick(void *arg)
{
	store *db = arg;
	int told = 0;
	store_rc rc = act_store_tell_late(db, act_today(), &told);
	if (rc != STORE_OK)
		fprintf(stderr, "level=warn msg=\"late milestones: %s\"\n", store_rc_name(rc));
}

int act_late_start(app *ap, char *err, size_t errlen)
{
	long interval = ticker_env_seconds("OPENPLAN_LATE_CHECK_SECONDS", 3600, err, errlen);
	if (interval < 0)
		return -1;
	watcher = ticker_start(interval, tick, ap->db);
	if (!watcher) {
		snprintf(err, errlen, "cannot start the late-milestone watcher");
		return -1;
	}
	return 0;
}

void act_late_stop(app *ap)
{
	(void)ap;
	ticker_stop(watcher);
	watcher = NULL;
}
