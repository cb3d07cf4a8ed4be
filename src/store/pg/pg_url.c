/* pg_url.c — the PostgreSQL backend's settings: the connection URL read
 * with libpq's own parser (with openplan's defaults where it says nothing),
 * new connections, the check that a database is one openplan can use
 * (version, UTF-8, the "C" collation), and messages on one line without the
 * password. Statements and transactions are in pg.c.
 */
#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

/* Replaces every occurrence of the password in msg by "***" (by as many
 * stars as it has characters when it is shorter: msg never grows). */
void pg_redact(const pg_shared *sh, char *msg)
{
	if (!sh || !sh->password || !*sh->password)
		return;
	size_t n = strlen(sh->password), k = n < 3 ? n : 3;
	for (char *p = msg; (p = strstr(p, sh->password)); p += k) {
		memset(p, '*', k);
		memmove(p + k, p + n, strlen(p + n) + 1);
	}
}

/* libpq's messages span lines ("connection to server … failed: FATAL: …"):
 * one line, redacted, in out. */
void pg_one_line(const pg_shared *sh, const char *msg, char *out, size_t outlen)
{
	size_t j = 0;
	bool space = false, line = false;
	for (const char *p = msg ? msg : ""; *p && j + 1 < outlen; p++) {
		bool ws = *p == '\n' || *p == '\r' || *p == '\t' || *p == ' ';
		if (ws) {
			space = j > 0;
			line |= j > 0 && *p == '\n';
			continue;
		}
		/* A line that ends without punctuation gets a semicolon. */
		if (line && j + 3 < outlen && !strchr(".:;", out[j - 1]))
			out[j++] = ';';
		if (space && j + 2 < outlen)
			out[j++] = ' ';
		space = line = false;
		out[j++] = *p;
	}
	out[j] = '\0';
	pg_redact(sh, out);
}

static void shared_free(pg_shared *sh)
{
	if (!sh)
		return;
	for (size_t i = 0; i < sh->nkw; i++) {
		free(sh->keys[i]);
		free(sh->vals[i]);
	}
	free(sh->keys);
	free(sh->vals);
	free(sh->password);
	free(sh);
}

static bool has_key(const PQconninfoOption *o, const char *key)
{
	for (; o->keyword; o++)
		if (!strcmp(o->keyword, key) && o->val && *o->val)
			return true;
	return false;
}

/* Parses the URL with libpq's own parser and keeps its settings, with
 * openplan's defaults where the URL says nothing: a 5 s connect timeout,
 * TCP keepalives, the application name; the client encoding is UTF-8. */
void *pg_open(const char *url, char *err, size_t errlen)
{
	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &perr);
	pg_shared *sh = calloc(1, sizeof *sh);
	if (!opts || !sh) {
		char line[256];
		pg_one_line(NULL, perr ? perr : "out of memory", line, sizeof line);
		/* libpq may quote the part it could not read: never the password. */
		snprintf(err, errlen, "the PostgreSQL URL cannot be read: %s",
		         strstr(line, "\"") ? "check its form (postgresql://user:password@host:port/dbname)"
		                            : line);
		goto fail;
	}
	static const char *const defaults[][2] = {
		{ "connect_timeout", "5" }, { "keepalives", "1" }, { "keepalives_idle", "30" },
		{ "keepalives_interval", "10" }, { "keepalives_count", "3" },
		{ "application_name", "openplan" },
	};
	size_t n = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		n++;
	n += sizeof defaults / sizeof *defaults + 2;
	sh->keys = calloc(n, sizeof *sh->keys);
	sh->vals = calloc(n, sizeof *sh->vals);
	if (!sh->keys || !sh->vals)
		goto oom;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || !*o->val || !strcmp(o->keyword, "client_encoding"))
			continue;
		if (!strcmp(o->keyword, "password") && !(sh->password = strdup(o->val)))
			goto oom;
		sh->keys[sh->nkw] = strdup(o->keyword);
		sh->vals[sh->nkw] = strdup(o->val);
		if (!sh->keys[sh->nkw++] || !sh->vals[sh->nkw - 1])
			goto oom;
	}
	for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++) {
		if (has_key(opts, defaults[i][0]))
			continue;
		sh->keys[sh->nkw] = strdup(defaults[i][0]);
		sh->vals[sh->nkw] = strdup(defaults[i][1]);
		if (!sh->keys[sh->nkw++] || !sh->vals[sh->nkw - 1])
			goto oom;
	}
	sh->keys[sh->nkw] = strdup("client_encoding");
	sh->vals[sh->nkw] = strdup("UTF8");
	if (!sh->keys[sh->nkw++] || !sh->vals[sh->nkw - 1])
		goto oom;
	PQconninfoFree(opts);
	return sh;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	PQfreemem(perr);
	PQconninfoFree(opts);
	shared_free(sh);
	return NULL;
}

void pg_close(void *shared)
{
	pg_listen_stop(shared);
	shared_free(shared);
}

void pg_quiet(void *arg, const char *message)
{
	/* Notices ("relation already exists, skipping") are not errors. */
	(void)arg;
	(void)message;
}

PGconn *pg_connect_raw(pg_shared *sh, char *err, size_t errlen)
{
	PGconn *pg = PQconnectdbParams((const char *const *)sh->keys,
	                               (const char *const *)sh->vals, 0);
	if (pg && PQstatus(pg) == CONNECTION_OK)
		return pg;
	char line[512];
	pg_one_line(sh, pg ? PQerrorMessage(pg) : "out of memory", line, sizeof line);
	snprintf(err, errlen, "cannot connect to PostgreSQL: %s", line);
	PQfinish(pg);
	return NULL;
}

/* What openplan needs of the database: PostgreSQL 12 or newer, UTF-8, and
 * the "C" collation and character classes, so text sorts in byte order
 * and lower() folds ASCII only, exactly as on SQLite (see store.h). */
bool pg_check_database(pg_shared *sh, PGconn *pg, char *err, size_t errlen)
{
	PGresult *res = PQexec(pg, "SELECT current_setting('server_version_num')::int, "
	                              "datcollate, datctype, pg_encoding_to_char(encoding), "
	                              "current_database() FROM pg_database "
	                              "WHERE datname = current_database()");
	bool ok = false;
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		char line[256];
		pg_one_line(sh, PQresultErrorMessage(res), line, sizeof line);
		snprintf(err, errlen, "cannot read the database's settings: %s", line);
	} else if (atoi(PQgetvalue(res, 0, 0)) < 120000) {
		snprintf(err, errlen, "PostgreSQL 12 or newer is needed (this is %s)",
		         PQgetvalue(res, 0, 0));
	} else if (strcmp(PQgetvalue(res, 0, 3), "UTF8")) {
		snprintf(err, errlen, "database %s has encoding %s; openplan needs UTF8",
		         PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 3));
	} else if ((strcmp(PQgetvalue(res, 0, 1), "C") && strcmp(PQgetvalue(res, 0, 1), "POSIX")) ||
	           (strcmp(PQgetvalue(res, 0, 2), "C") && strcmp(PQgetvalue(res, 0, 2), "POSIX"))) {
		snprintf(err, errlen, "database %s has collation %s; openplan needs \"C\": create it with "
		                      "CREATE DATABASE … TEMPLATE template0 ENCODING 'UTF8' "
		                      "LC_COLLATE 'C' LC_CTYPE 'C' (or let openplan init create it)",
		         PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 1));
	} else {
		ok = true;
	}
	PQclear(res);
	return ok;
}

