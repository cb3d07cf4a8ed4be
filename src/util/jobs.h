/* jobs.h — a small pool of worker threads for long work (exports, later
 * newsletters and clustering), so that it never runs on the HTTP request
 * workers. Bounded twice: a fixed number of threads and a fixed queue;
 * when both are taken, jobs_submit refuses at once and the caller answers
 * "busy, try again" (a 503) instead of piling up work and memory.
 *
 * It does not cancel running jobs: a job checks its own stop condition
 * (an export sees its client go away through http_body_write).
 */
#ifndef OPENPLAN_JOBS_H
#define OPENPLAN_JOBS_H

#include <stdbool.h>

typedef struct jobs jobs;

/* A job: fn(arg) runs once on a pool thread. When the pool is freed before
 * a queued job started, fn still runs (so it can release what arg holds);
 * jobs_stopping() then tells it to finish quickly. */
typedef void (*jobs_fn)(void *arg);

/* Starts `threads` threads (at least 1) with room for `queue` waiting jobs
 * (0 = none: only as many jobs as threads). `nice` > 0 lowers the threads'
 * scheduling priority, so request workers win the CPU. NULL when out of
 * memory or no thread could start. */
jobs *jobs_new(unsigned threads, unsigned queue, int nice);
/* Queues fn(arg). Returns 0, or -1 when every thread is busy and the
 * queue is full, or the pool is stopping: then fn is not called and the
 * caller still owns arg. */
int   jobs_submit(jobs *p, jobs_fn fn, void *arg);
/* Jobs running plus waiting, for metrics and tests. */
unsigned jobs_pending(jobs *p);
/* True once jobs_free has begun: running jobs should wrap up. */
bool  jobs_stopping(jobs *p);
/* Refuses new jobs, runs what is queued, waits for every job, frees. */
void  jobs_free(jobs *p);

#endif
