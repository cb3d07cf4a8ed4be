/* monitor_due.c — monitoring's one piece of background work: a ticker
 * (util/ticker.c) started and stopped by the feature's hooks, that runs at start and then
 * every hour (OPENPLAN_MONITOR_CHECK_SECONDS to change it, for tests) and
 * tells the holders' contact persons about measurements that are due and
 * missing (monitor_store_tell_due: one event per indicator and due date,
 * marked in the same transaction, so several nodes or restarts never tell
 * twice). It does nothing else and holds no request.
 */
#include <stdio.h>

#include "../../util/ticker.h"
#include "monitor.h"

static ticker *watcher;

static void tick(void *arg)
{
	store *db = arg;
	int told = 0;
	store_rc rc = monitor_store_tell_due(db, monitor_today(), &told);
	if (rc != STORE_OK)
		fprintf(stderr, "level=warn msg=\"missing measurements: %s\"\n", store_rc_name(rc));
}

int monitor_due_start(app *ap, char *err, size_t errlen)
{
	long interval = ticker_env_seconds("OPENPLAN_MONITOR_CHECK_SECONDS", 3600, err, errlen);
	if (interval < 0)
		return -1;
	watcher = ticker_start(interval, tick, ap->db);
	if (!watcher) {
		snprintf(err, errlen, "cannot start the missing-measurement watcher");
		return -1;
	}
	return 0;
}

void monitor_due_stop(app *ap)
{
	(void)ap;
	ticker_stop(watcher);
	watcher = NULL;
}
