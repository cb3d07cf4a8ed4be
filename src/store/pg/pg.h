/* pg.h — private to src/store/pg: what pg.c (statements, transactions),
 * pg_url.c (settings, connections) and pg_listen.c (LISTEN/NOTIFY,
 * creating the database) share: the connection settings parsed from the
 * URL, and helpers that keep the password out of every message.
 */
#ifndef OPENPLAN_PG_H
#define OPENPLAN_PG_H

#include <libpq-fe.h>
#include <stdatomic.h>

#include "../backend.h"

typedef struct pg_listener pg_listener;

/* What every connection of one store needs, from the URL (open). */
typedef struct pg_shared {
	char       **keys, **vals; /* for PQconnectdbParams; NULL-terminated */
	size_t       nkw;
	char        *password;     /* from the URL, to be kept out of messages */
	atomic_bool  checked;      /* the database's version, encoding and locale were checked */
	pg_listener *listener;     /* pg_listen.c; NULL until something listens */
} pg_shared;

/* Replaces every occurrence of the password in msg by "***". */
void    pg_redact(const pg_shared *sh, char *msg);
/* msg on one line (white space runs become one space), redacted, in out. */
void    pg_one_line(const pg_shared *sh, const char *msg, char *out, size_t outlen);
/* A notice processor that drops notices (they are not errors). */
void    pg_quiet(void *arg, const char *message);
/* A new connection with the store's settings; NULL with one line in err. */
PGconn *pg_connect_raw(pg_shared *sh, char *err, size_t errlen);

/* pg_url.c: the backend's open and close; the check that the database
 * is one openplan can use (PostgreSQL 12+, UTF-8, "C"), one line in err. */
void   *pg_open(const char *url, char *err, size_t errlen);
void    pg_close(void *shared);
bool    pg_check_database(pg_shared *sh, PGconn *pg, char *err, size_t errlen);

/* pg_listen.c: the backend's listen, listen_stop and create_database. */
store_rc pg_listen_add(void *shared, const char *channel, db_deliver_fn deliver, void *ctx);
void     pg_listen_stop(void *shared);
store_rc pg_create_database(void *shared, bool *created, char *err, size_t errlen);

#endif
