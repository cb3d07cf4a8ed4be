/* ticker.h — periodic background work on a thread of its own: a function
 * that runs at once and then every N seconds until the ticker is stopped
 * (the action plan's late-milestone watcher, monitoring's missing-
 * measurement watcher). Stopping wakes a sleeping ticker at once and waits
 * for a run in progress to finish.
 */
#ifndef OPENPLAN_TICKER_H
#define OPENPLAN_TICKER_H

#include <stddef.h>

typedef struct ticker ticker;
typedef void (*ticker_fn)(void *arg);

/* Starts a thread that calls fn(arg) now and then every interval_s seconds.
 * NULL when out of memory or the thread cannot start. */
ticker *ticker_start(long interval_s, ticker_fn fn, void *arg);
/* Stops and frees t (NULL is fine): no run of fn starts after it returns. */
void    ticker_stop(ticker *t);

/* The interval from the environment variable `name`: `dflt` when unset or
 * empty, else a whole number of seconds from 1 to a week; -1 with a message
 * in err when it is anything else. */
long    ticker_env_seconds(const char *name, long dflt, char *err, size_t errlen);

#endif
