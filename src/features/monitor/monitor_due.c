/* monitor_due.c — monitoring's one piece of background work: a thread,
 * started and stopped by the feature's hooks, that wakes at start and then
 * every hour (OPENPLAN_MONITOR_CHECK_SECONDS to change it, for tests) and
 * tells the holders' contact persons about measurements that are due and
 * missing (monitor_store_tell_due: one event per indicator and due date,
 * marked in the same transaction, so several nodes or restarts never tell
 * twice). It does nothing else and holds no request.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "monitor.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static bool running, stopping;
static store *db;
static long interval = 3600;

static void *watch(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		pthread_mutex_unlock(&mu);
		int told = 0;
		store_rc rc = monitor_store_tell_due(db, monitor_today(), &told);
		if (rc != STORE_OK)
			fprintf(stderr, "level=warn msg=\"missing measurements: %s\"\n", store_rc_name(rc));
		pthread_mutex_lock(&mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += interval;
		while (!stopping && pthread_cond_timedwait(&wake, &mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

int monitor_due_start(app *ap, char *err, size_t errlen)
{
	const char *s = getenv("OPENPLAN_MONITOR_CHECK_SECONDS");
	if (s && *s) {
		char *end;
		long v = strtol(s, &end, 10);
		if (*end || v < 1 || v > 7 * 86400) {
			snprintf(err, errlen, "OPENPLAN_MONITOR_CHECK_SECONDS must be a number of seconds "
			                      "from 1 to 604800");
			return -1;
		}
		interval = v;
	}
	pthread_mutex_lock(&mu);
	db = ap->db;
	stopping = false;
	running = pthread_create(&thread, NULL, watch, NULL) == 0;
	pthread_mutex_unlock(&mu);
	if (!running) {
		snprintf(err, errlen, "cannot start the missing-measurement watcher");
		return -1;
	}
	return 0;
}

void monitor_due_stop(app *ap)
{
	(void)ap;
	pthread_mutex_lock(&mu);
	bool was = running;
	stopping = true;
	running = false;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&mu);
	if (was)
		pthread_join(thread, NULL);
}
