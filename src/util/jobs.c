/* jobs.c — the bounded job pool behind jobs.h: a ring of waiting jobs under
 * one mutex, two condition variables (work to do / a job finished), and
 * threads that sleep while there is nothing to do (no polling).
 */
#include "jobs.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef struct job {
	jobs_fn fn;
	void   *arg;
} job;

struct jobs {
	pthread_mutex_t mu;
	pthread_cond_t  work;      /* a job was queued, or stopping */
	pthread_t      *threads;
	unsigned        nthreads;
	job            *ring;
	unsigned        cap, head, len;  /* waiting jobs */
	unsigned        running;
	bool            stopping;
	int             nice;
};

static void *worker(void *arg)
{
	jobs *p = arg;
	if (p->nice > 0) /* Linux: the priority of this thread alone */
		setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), p->nice);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->len == 0 && !p->stopping)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->len == 0) /* stopping and nothing left */
			break;
		job j = p->ring[p->head];
		p->head = (p->head + 1) % p->cap;
		p->len--;
		p->running++;
		pthread_mutex_unlock(&p->mu);
		j.fn(j.arg);
		pthread_mutex_lock(&p->mu);
		p->running--;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

jobs *jobs_new(unsigned threads, unsigned queue, int nice)
{
	if (threads == 0)
		threads = 1;
	jobs *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->cap = threads + queue; /* a submitted job waits here until a thread takes it */
	p->nice = nice;
	p->ring = calloc(p->cap, sizeof *p->ring);
	p->threads = calloc(threads, sizeof *p->threads);
	if (!p->ring || !p->threads)
		goto fail;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	for (unsigned i = 0; i < threads; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			break;
		p->nthreads++;
	}
	if (p->nthreads == 0) {
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	return p;
fail:
	free(p->ring);
	free(p->threads);
	free(p);
	return NULL;
}

int jobs_submit(jobs *p, jobs_fn fn, void *arg)
{
	int rc = -1;
	pthread_mutex_lock(&p->mu);
	/* Room is threads + queue in total: running jobs count against it. */
	if (!p->stopping && p->len + p->running < p->cap) {
		p->ring[(p->head + p->len) % p->cap] = (job){ fn, arg };
		p->len++;
		pthread_cond_signal(&p->work);
		rc = 0;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

unsigned jobs_pending(jobs *p)
{
	pthread_mutex_lock(&p->mu);
	unsigned n = p->len + p->running;
	pthread_mutex_unlock(&p->mu);
	return n;
}

bool jobs_stopping(jobs *p)
{
	pthread_mutex_lock(&p->mu);
	bool s = p->stopping;
	pthread_mutex_unlock(&p->mu);
	return s;
}

void jobs_free(jobs *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p->ring);
	free(p->threads);
	free(p);
}
