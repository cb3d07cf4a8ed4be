/* core.h — private to the store's core (store.c, notify.c, copy.c): the
 * store and its per-thread connections. Backends and the domain files do
 * not include it.
 */
#ifndef OPENPLAN_STORE_CORE_H
#define OPENPLAN_STORE_CORE_H

#include <pthread.h>
#include <stdatomic.h>

#include "backend.h"

enum { TL_SLOTS = 16 };

/* A notification held back until its transaction commits (backends
 * without notify: SQLite). */
typedef struct db_pending {
	int                depth; /* the transaction level that sent it */
	char              *channel, *payload;
	struct db_pending *next;
} db_pending;

/* This thread's connection to one store and the state of its transaction. */
typedef struct db_conn {
	db_bconn       *be;
	int             tx_depth;   /* store_begin nesting; 0: no write transaction */
	bool            tx_retry;   /* the outermost transaction is store_tx's */
	int             read_depth; /* store_read_begin nesting */
	bool            reading;    /* a read snapshot is open on the backend */
	db_pending     *pending;    /* oldest first */
	struct db_conn *next;
} db_conn;

typedef struct listener_reg {
	char                 channel[64];
	store_notify_fn      fn;
	void                *ctx;
	struct listener_reg *next;
} listener_reg;

typedef struct interned {
	struct interned *next;
	char             sql[];
} interned;

struct store {
	const db_backend *be;
	void             *shared;
	uint64_t          serial;
	pthread_mutex_t   lock;  /* conns, interned */
	db_conn          *conns;
	interned         *interned;
	pthread_mutex_t   nlock; /* listeners; held while a handler runs */
	listener_reg     *listeners;
	char              node[17]; /* this process's mark on what it sends */
	atomic_long       fault_countdown;
	atomic_int        fault_rc;
	atomic_bool       fault_fired;
};

/* This thread's connection to s, opened on first use; NULL (logged once)
 * when none can be opened. */
db_conn *conn(store *s);

/* notify.c */
void notify_init(store *s);
void notify_free(store *s);
/* The transaction level `depth` of c ended (0: the outermost): held-back
 * notifications of that level and deeper go out when it committed (at
 * depth 0) or move one level up (a released savepoint), and are dropped
 * when it rolled back. */
void notify_tx_end(store *s, db_conn *c, int depth, bool committed);

#endif
