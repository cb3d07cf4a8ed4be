/* ticker.c — periodic background work on a thread of its own (ticker.h):
 * the thread runs its function, then sleeps on a condition variable until
 * the interval has passed or ticker_stop wakes it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ticker.h"

struct ticker {
	pthread_mutex_t mu;
	pthread_cond_t  wake;
	pthread_t       thread;
	bool            stopping;
	long            interval_s;
	ticker_fn       fn;
	void           *arg;
};

static void *run(void *p)
{
	ticker *t = p;
	pthread_mutex_lock(&t->mu);
	while (!t->stopping) {
		pthread_mutex_unlock(&t->mu);
		t->fn(t->arg);
		pthread_mutex_lock(&t->mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += t->interval_s;
		while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

ticker *ticker_start(long interval_s, ticker_fn fn, void *arg)
{
	ticker *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->wake, NULL);
	t->interval_s = interval_s > 0 ? interval_s : 1;
	t->fn = fn;
	t->arg = arg;
	if (pthread_create(&t->thread, NULL, run, t) != 0) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->mu);
		free(t);
		return NULL;
	}
	return t;
}

void ticker_stop(ticker *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->mu);
	t->stopping = true;
	pthread_cond_broadcast(&t->wake);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

long ticker_env_seconds(const char *name, long dflt, char *err, size_t errlen)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return dflt;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > 7 * 86400) {
		snprintf(err, errlen, "%s must be a number of seconds from 1 to 604800", name);
		return -1;
	}
	return v;
}
