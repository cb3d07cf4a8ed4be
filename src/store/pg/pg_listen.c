/* pg_listen.c — the PostgreSQL backend's notifications and its one
 * administrative step. A store that listens gets one listener thread with
 * its own connection: it LISTENs on every channel asked for, waits on the
 * socket (and on a pipe that wakes it for a new channel or to stop), and
 * hands each notification to the core. When the connection breaks it opens
 * a new one (once a second) and then tells the core "something may have
 * been missed" on every channel (a NULL payload). Also: creating the
 * database with the "C" locale for `openplan init`.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pg.h"

enum { MAX_CHANNELS = 32, IDLE_CHECK_MS = 5000 };

struct pg_listener {
	pg_shared      *sh;
	pthread_t       thread;
	pthread_mutex_t mu;       /* channels, stop */
	int             wake[2];  /* a byte here wakes the thread */
	char           *channels[MAX_CHANNELS];
	size_t          nchannels;
	bool            stop;
	db_deliver_fn   deliver;
	void           *ctx;
};

static void wake(pg_listener *l)
{
	ssize_t w = write(l->wake[1], "x", 1);
	(void)w;
}

/* LISTENs on the channels not yet listened to on this connection. false
 * when the connection failed. */
static bool listen_new(pg_listener *l, PGconn *pg, size_t *done)
{
	for (;;) {
		pthread_mutex_lock(&l->mu);
		char chan[80] = "";
		if (*done < l->nchannels)
			snprintf(chan, sizeof chan, "%s", l->channels[*done]);
		pthread_mutex_unlock(&l->mu);
		if (!*chan)
			return true;
		/* Channel names are checked by the core: [a-z0-9_] only. */
		char sql[128];
		snprintf(sql, sizeof sql, "LISTEN \"%s\"", chan);
		PGresult *res = PQexec(pg, sql);
		bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		PQclear(res);
		if (!ok)
			return false;
		(*done)++;
	}
}

/* Tells every channel that notifications may have been missed. */
static void deliver_missed(pg_listener *l)
{
	pthread_mutex_lock(&l->mu);
	size_t n = l->nchannels;
	char *names[MAX_CHANNELS];
	for (size_t i = 0; i < n; i++)
		names[i] = l->channels[i];
	pthread_mutex_unlock(&l->mu);
	/* Channel strings are never freed while the thread runs. */
	for (size_t i = 0; i < n; i++)
		l->deliver(l->ctx, names[i], NULL);
}

static bool stopping(pg_listener *l)
{
	pthread_mutex_lock(&l->mu);
	bool s = l->stop;
	pthread_mutex_unlock(&l->mu);
	return s;
}

static void *listener_main(void *arg)
{
	pg_listener *l = arg;
	PGconn *pg = NULL;
	size_t listened = 0;
	bool logged = false;
	while (!stopping(l)) {
		if (!pg) {
			char err[512];
			pg = pg_connect_raw(l->sh, err, sizeof err);
			if (pg) {
				PQsetNoticeProcessor(pg, pg_quiet, NULL);
				listened = 0;
			}
			if (pg && !listen_new(l, pg, &listened)) {
				snprintf(err, sizeof err, "LISTEN failed");
				PQfinish(pg);
				pg = NULL;
			}
			if (!pg) {
				if (!logged)
					fprintf(stderr, "level=error msg=\"database: notifications: %s\"\n", err);
				logged = true;
				struct pollfd w = { l->wake[0], POLLIN, 0 };
				poll(&w, 1, 1000);
				char buf[64];
				while (read(l->wake[0], buf, sizeof buf) > 0) {
				}
				continue;
			}
			if (logged)
				fprintf(stderr, "level=info msg=\"database: notifications restored\"\n");
			logged = false;
			/* Whatever was sent while nobody listened is lost: say so. */
			deliver_missed(l);
		}
		struct pollfd fds[2] = { { PQsocket(pg), POLLIN, 0 }, { l->wake[0], POLLIN, 0 } };
		int n = poll(fds, 2, IDLE_CHECK_MS);
		if (n < 0 && errno != EINTR)
			break;
		if (fds[1].revents) {
			char buf[64];
			while (read(l->wake[0], buf, sizeof buf) > 0) {
			}
		}
		bool ok = listen_new(l, pg, &listened);
		if (ok && n == 0) {
			/* Quiet for a while: make sure the server is still there. */
			PGresult *res = PQexec(pg, "SELECT 1");
			ok = PQresultStatus(res) == PGRES_TUPLES_OK;
			PQclear(res);
		}
		if (ok)
			ok = PQconsumeInput(pg) == 1;
		PGnotify *nt;
		while (ok && (nt = PQnotifies(pg))) {
			l->deliver(l->ctx, nt->relname, nt->extra);
			PQfreemem(nt);
		}
		if (!ok || PQstatus(pg) == CONNECTION_BAD) {
			fprintf(stderr, "level=error msg=\"database: notifications: connection lost\"\n");
			logged = true;
			PQfinish(pg);
			pg = NULL;
		}
	}
	PQfinish(pg);
	return NULL;
}

store_rc pg_listen_add(void *shared, const char *channel, db_deliver_fn deliver, void *ctx)
{
	pg_shared *sh = shared;
	pg_listener *l = sh->listener;
	if (!l) {
		if (!(l = calloc(1, sizeof *l)))
			return db_error("listen", "out of memory");
		l->sh = sh;
		l->deliver = deliver;
		l->ctx = ctx;
		pthread_mutex_init(&l->mu, NULL);
		if (pipe2(l->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
			pthread_mutex_destroy(&l->mu);
			free(l);
			return db_error("listen", "no pipe");
		}
		/* The thread takes no signals: they are the program's business. */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		int made = pthread_create(&l->thread, NULL, listener_main, l);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (made != 0) {
			close(l->wake[0]);
			close(l->wake[1]);
			pthread_mutex_destroy(&l->mu);
			free(l);
			return db_error("listen", "cannot start the listener thread");
		}
		sh->listener = l;
	}
	pthread_mutex_lock(&l->mu);
	store_rc rc = STORE_OK;
	bool known = false;
	for (size_t i = 0; i < l->nchannels; i++)
		known |= !strcmp(l->channels[i], channel);
	if (!known) {
		char *c = l->nchannels < MAX_CHANNELS ? strdup(channel) : NULL;
		if (c)
			l->channels[l->nchannels++] = c;
		else
			rc = STORE_ERROR;
	}
	pthread_mutex_unlock(&l->mu);
	if (rc != STORE_OK)
		return db_error("listen", "too many channels");
	wake(l);
	return STORE_OK;
}

void pg_listen_stop(void *shared)
{
	pg_shared *sh = shared;
	pg_listener *l = sh ? sh->listener : NULL;
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->stop = true;
	pthread_mutex_unlock(&l->mu);
	wake(l);
	pthread_join(l->thread, NULL);
	for (size_t i = 0; i < l->nchannels; i++)
		free(l->channels[i]);
	close(l->wake[0]);
	close(l->wake[1]);
	pthread_mutex_destroy(&l->mu);
	free(l);
	sh->listener = NULL;
}

/* ---- creating the database ----------------------------------------------------------- */

static const char *setting(const pg_shared *sh, const char *key)
{
	for (size_t i = 0; i < sh->nkw; i++)
		if (!strcmp(sh->keys[i], key))
			return sh->vals[i];
	return NULL;
}

/* Connects to the server's "postgres" database with the store's other
 * settings. */
static PGconn *connect_maintenance(pg_shared *sh)
{
	const char *keys[64], *vals[64];
	size_t n = 0;
	for (size_t i = 0; i < sh->nkw && n < 62; i++) {
		if (!strcmp(sh->keys[i], "dbname"))
			continue;
		keys[n] = sh->keys[i];
		vals[n++] = sh->vals[i];
	}
	keys[n] = "dbname";
	vals[n++] = "postgres";
	keys[n] = vals[n] = NULL;
	PGconn *pg = PQconnectdbParams(keys, vals, 0);
	if (PQstatus(pg) != CONNECTION_OK) {
		PQfinish(pg);
		return NULL;
	}
	return pg;
}

store_rc pg_create_database(void *shared, bool *created, char *err, size_t errlen)
{
	pg_shared *sh = shared;
	*created = false;
	PGconn *pg = pg_connect_raw(sh, err, errlen);
	if (pg) {
		PQfinish(pg);
		return STORE_OK;
	}
	/* The target did not answer. If the server does and the database is
	 * missing, make it; otherwise err keeps the first reason. */
	const char *name = setting(sh, "dbname");
	if (!name)
		name = setting(sh, "user");
	PGconn *m = name ? connect_maintenance(sh) : NULL;
	if (!m)
		return STORE_ERROR;
	store_rc rc = STORE_ERROR;
	const char *pv[] = { name };
	PGresult *res = PQexecParams(m, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, pv,
	                             NULL, NULL, 0);
	bool exists = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0;
	bool asked = PQresultStatus(res) == PGRES_TUPLES_OK;
	PQclear(res);
	char *ident = asked && !exists ? PQescapeIdentifier(m, name, strlen(name)) : NULL;
	if (ident) {
		char sql[512];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' "
		                          "LC_COLLATE 'C' LC_CTYPE 'C'", ident);
		PQfreemem(ident);
		res = PQexec(m, sql);
		if (PQresultStatus(res) == PGRES_COMMAND_OK) {
			*created = true;
			rc = STORE_OK;
		} else {
			char line[384];
			pg_one_line(sh, PQresultErrorMessage(res), line, sizeof line);
			snprintf(err, errlen, "cannot create database %s: %s", name, line);
		}
		PQclear(res);
	}
	PQfinish(m);
	return rc;
}
