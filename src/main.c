/* main.c — the openplan command: init, demo, serve, user, routes, copy,
 * backup. Parses flags and environment, then hands over to the store
 * (init, demo, user, copy, backup), to the HTTP server with the
 * application and its features (serve), or prints the features' route
 * table (routes). A database URL is never printed with its password.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/auth.h"
#include "features/features.h"
#include "util/text.h"

static const char usage_main[] =
	"usage: openplan COMMAND [OPTIONS]\n"
	"\n"
	"Commands:\n"
	"  init    create or migrate the database\n"
	"  demo    load the demo plan (Actieplan Open Overheid 2020-2022)\n"
	"  serve   serve the web application\n"
	"  user    add a user (user add) or reset a password (user passwd)\n"
	"  routes  print every address, who may call it and how (--json for tools)\n"
	"  copy    copy a SQLite database into PostgreSQL (--from FILE.db --to URL)\n"
	"  backup  write a consistent copy of a SQLite database while it is in use\n"
	"\n"
	"--db takes a file path (SQLite) or a postgresql://user:password@host:port/dbname URL.\n"
	"Run 'openplan COMMAND --help' for the options of a command.\n";

static const char usage_init[] =
	"usage: openplan init [--db FILE|URL]\n"
	"Creates the database when absent and applies pending migrations. A PostgreSQL\n"
	"database that does not exist yet is created (UTF-8, \"C\" collation; the user\n"
	"needs CREATEDB), through the server's \"postgres\" database.\n"
	"  --db FILE|URL  SQLite file or postgresql:// URL (default: $OPENPLAN_DB or openplan.db)\n";
static const char usage_demo[] =
	"usage: openplan demo [--db FILE|URL]\n"
	"Loads the demo plan into the database; refuses when it is already loaded.\n"
	"  --db FILE|URL  SQLite file or postgresql:// URL (default: $OPENPLAN_DB or openplan.db)\n";
static const char usage_copy[] =
	"usage: openplan copy --from FILE.db --to postgresql://… [--force]\n"
	"Copies every row of a SQLite database (migrated first) into a PostgreSQL database\n"
	"(created and migrated when needed), in one transaction, keeping ids; then compares\n"
	"the row count of every table. Refuses a target that has data unless --force, which\n"
	"replaces it. Stop the nodes that write to the source first, or copy a backup.\n";
static const char usage_backup[] =
	"usage: openplan backup --db FILE --to BACKUP.db\n"
	"Writes a consistent copy of a SQLite database while it is in use (SQLite's online\n"
	"backup API). BACKUP.db must not exist. To restore: stop the server and put the copy\n"
	"in the database's place (or openplan copy --from BACKUP.db --to postgresql://…).\n"
	"For PostgreSQL use pg_dump and pg_restore (docs/deploy.md).\n";
static const char usage_serve[] =
	"usage: openplan serve [--db FILE|URL] [--listen HOST:PORT] [--base-url URL] [--https]\n"
	"  --db FILE|URL       SQLite file or postgresql:// URL (default: $OPENPLAN_DB or\n"
	"                      openplan.db); several nodes may serve one PostgreSQL database\n"
	"  --listen HOST:PORT  address to listen on (default: $OPENPLAN_LISTEN or 127.0.0.1:8080;\n"
	"                      port 0 picks a free port, printed at start)\n"
	"  --metrics-listen HOST:PORT  also serve /metrics there, without signing in (for\n"
	"                      Prometheus on a private address); on the main address\n"
	"                      /metrics is for admins only\n"
	"  --base-url URL      public address, e.g. https://openplan.example.nl\n"
	"  --https             served behind HTTPS: cookies get the Secure flag\n"
	"                      (implied by a base URL that starts with https://)\n"
	"  --threads N         worker threads (default: the number of cores; four times that\n"
	"                      on PostgreSQL, where threads wait for the network)\n"
	"  --smtp-url URL      mail server: smtp://host:587 (STARTTLS when offered) or\n"
	"                      smtps://host:465 (default: $OPENPLAN_SMTP_URL; none: mail waits\n"
	"                      in the outbox, admins read it at /admin/outbox)\n"
	"  --mail-from ADDR    the sender's address (default: $OPENPLAN_MAIL_FROM or\n"
	"                      openplan@ the base URL's host)\n"
	"  --trusted-proxy ADDR  a reverse proxy at ADDR: for its connections the client is\n"
	"                      the right-most X-Forwarded-For address (otherwise the header\n"
	"                      is ignored)\n"
	"Environment: OPENPLAN_IP_LIMIT (sign-in/up attempts per IP per 10 minutes, default 30),\n"
	"OPENPLAN_BODY_LIMIT (largest request body in bytes, default 1048576),\n"
	"OPENPLAN_PER_IP_CONNECTIONS (open connections per client address, default 256),\n"
	"OPENPLAN_READ_TIMEOUT (seconds to receive a whole request, default 30),\n"
	"OPENPLAN_SMTP_USER and OPENPLAN_SMTP_PASSWORD (never on the command line),\n"
	"OPENPLAN_SMTP_STARTTLS (try, require or off; default try).\n";
static const char usage_routes[] =
	"usage: openplan routes [--json]\n"
	"Prints every route of every feature: methods, pattern, who may call it\n"
	"(public, participant, organiser, admin), and its flags (csrf, api, cache,\n"
	"keepcache). --json prints the same as a JSON array with each route's form\n"
	"(its fields, types and limits), for tests and tools.\n";
static const char usage_user[] =
	"usage: openplan user add --db FILE --email E --name N --role admin|organiser|participant\n"
	"       openplan user passwd --db FILE --email E\n"
	"The password is read from standard input (one line, at least 10 characters).\n";


typedef struct opts {
	const char *db, *listen, *base_url, *email, *name, *role, *trusted_proxy, *metrics_listen,
	           *smtp_url, *mail_from, *from, *to;
	bool        https, help, force;
	unsigned    threads;
} opts;

/* Parses the flags shared by all commands; returns 0, or 2 on bad usage. */
static int parse_opts(int argc, char **argv, opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },     { "listen", required_argument, NULL, 'l' },
		{ "metrics-listen", required_argument, NULL, 'm' },
		{ "base-url", required_argument, NULL, 'b' }, { "https", no_argument, NULL, 's' },
		{ "email", required_argument, NULL, 'e' },  { "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },   { "threads", required_argument, NULL, 't' },
		{ "trusted-proxy", required_argument, NULL, 'p' },
		{ "smtp-url", required_argument, NULL, 'S' }, { "mail-from", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },         { "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 'o' },     { "force", no_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	o->db = getenv("OPENPLAN_DB") ? getenv("OPENPLAN_DB") : "openplan.db";
	o->listen = getenv("OPENPLAN_LISTEN") ? getenv("OPENPLAN_LISTEN") : "127.0.0.1:8080";
	o->smtp_url = getenv("OPENPLAN_SMTP_URL");
	o->mail_from = getenv("OPENPLAN_MAIL_FROM");
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'l': o->listen = optarg; break;
		case 'm': o->metrics_listen = optarg; break;
		case 'b': o->base_url = optarg; break;
		case 's': o->https = true; break;
		case 'e': o->email = optarg; break;
		case 'n': o->name = optarg; break;
		case 'r': o->role = optarg; break;
		case 'p': o->trusted_proxy = optarg; break;
		case 'S': o->smtp_url = optarg; break;
		case 'F': o->mail_from = optarg; break;
		case 't': {
			long long t;
			if (!text_parse_int(optarg, 1, 256, &t))
				return 2;
			o->threads = (unsigned)t;
			break;
		}
		case 'h': o->help = true; break;
		case 'f': o->from = optarg; break;
		case 'o': o->to = optarg; break;
		case 'X': o->force = true; break;
		default: return 2;
		}
	}
	if (optind < argc)
		return 2;
	return 0;
}

static int bad_usage(const char *usage, const char *why)
{
	if (why)
		fprintf(stderr, "openplan: %s\n", why);
	fputs(usage, stderr);
	return 2;
}

static int open_store(const char *path, store **s)
{
	char err[512];
	if (store_open(path, s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "openplan: %s\n", err);
		return 1;
	}
	return 0;
}

/* Creates a missing PostgreSQL database (SQLite makes its file itself). */
static int create_db(const char *target)
{
	char err[512], shown[512];
	bool created = false;
	if (store_create(target, &created, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "openplan: %s\n", err);
		return 1;
	}
	store_target_display(target, shown, sizeof shown);
	if (created)
		printf("openplan: created database %s\n", shown);
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	opts o = { 0 };
	if (parse_opts(argc, argv, &o))
		return bad_usage(usage_init, "unknown or incomplete option");
	if (o.help) {
		fputs(usage_init, stdout);
		return 0;
	}
	store *s;
	if (create_db(o.db) || open_store(o.db, &s))
		return 1;
	char shown[512];
	store_target_display(o.db, shown, sizeof shown);
	printf("openplan: database %s is at schema version %d\n", shown, store_schema_version(s));
	store_close(s);
	return 0;
}

static void print_line(const char *line, void *ctx)
{
	(void)ctx;
	printf("  %s\n", line);
}

static int cmd_copy(int argc, char **argv)
{
	opts o = { 0 };
	if (parse_opts(argc, argv, &o))
		return bad_usage(usage_copy, "unknown or incomplete option");
	if (o.help) {
		fputs(usage_copy, stdout);
		return 0;
	}
	if (!o.from || !o.to)
		return bad_usage(usage_copy, "--from and --to are required");
	if (!strncmp(o.from, "postgres", 8))
		return bad_usage(usage_copy, "--from is a SQLite file");
	if (access(o.from, R_OK) != 0) {
		fprintf(stderr, "openplan: cannot read %s\n", o.from);
		return 1;
	}
	store *from = NULL, *to = NULL;
	if (open_store(o.from, &from) || create_db(o.to) || open_store(o.to, &to)) {
		store_close(from);
		return 1;
	}
	char err[512] = "", shown[512];
	store_target_display(o.to, shown, sizeof shown);
	printf("openplan: copying %s into %s\n", o.from, shown);
	store_rc rc = store_copy(from, to, o.force, print_line, NULL, err, sizeof err);
	if (rc == STORE_OK)
		printf("openplan: copied; every table has the same number of rows on both sides\n");
	else
		fprintf(stderr, "openplan: %s\n", err);
	store_close(to);
	store_close(from);
	return rc == STORE_OK ? 0 : 1;
}

static int cmd_backup(int argc, char **argv)
{
	opts o = { 0 };
	if (parse_opts(argc, argv, &o))
		return bad_usage(usage_backup, "unknown or incomplete option");
	if (o.help) {
		fputs(usage_backup, stdout);
		return 0;
	}
	if (!o.to)
		return bad_usage(usage_backup, "--to is required");
	store *s;
	if (open_store(o.db, &s))
		return 1;
	char err[512] = "";
	store_rc rc = store_backup(s, o.to, err, sizeof err);
	if (rc == STORE_OK)
		printf("openplan: backup of %s written to %s (schema version %d)\n", o.db, o.to,
		       store_schema_version(s));
	else
		fprintf(stderr, "openplan: %s\n", err);
	store_close(s);
	return rc == STORE_OK ? 0 : 1;
}

static int cmd_demo(int argc, char **argv)
{
	opts o = { 0 };
	if (parse_opts(argc, argv, &o))
		return bad_usage(usage_demo, "unknown or incomplete option");
	if (o.help) {
		fputs(usage_demo, stdout);
		return 0;
	}
	if (sodium_init() < 0)
		return 1;
	store *s;
	if (open_store(o.db, &s))
		return 1;
	char err[512];
	int rc = app_demo_load(s, features_all, features_count, err, sizeof err);
	char shown[512];
	store_target_display(o.db, shown, sizeof shown);
	if (rc != 0)
		fprintf(stderr, "openplan: %s\n", err);
	else
		printf("openplan: demo plan loaded into %s\n", shown);
	store_close(s);
	return rc ? 1 : 0;
}

/* Reads one line (the password) from standard input. */
static int read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	size_t len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (text_utf8_len(buf) < 10 || !text_utf8_valid(buf, len))
		return -1;
	return 0;
}

static int cmd_user(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_user, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	bool add = !strcmp(argv[1], "add");
	if (!add && strcmp(argv[1], "passwd"))
		return bad_usage(usage_user, "unknown user command");
	opts o = { 0 };
	if (parse_opts(argc - 1, argv + 1, &o))
		return bad_usage(usage_user, "unknown or incomplete option");
	if (o.help) {
		fputs(usage_user, stdout);
		return 0;
	}
	role r = ROLE_PARTICIPANT;
	if (!o.email || (add && (!o.name || !o.role)))
		return bad_usage(usage_user, add ? "--email, --name and --role are required"
		                                 : "--email is required");
	if (!text_email_valid(o.email))
		return bad_usage(usage_user, "--email is not an e-mail address");
	if (add && !role_parse(o.role, &r))
		return bad_usage(usage_user, "--role must be admin, organiser or participant");
	char pw[256];
	if (read_password(pw, sizeof pw)) {
		fprintf(stderr, "openplan: give a password of at least 10 characters on standard input\n");
		return 2;
	}
	const char *weak = auth_password_problem(pw, o.email, o.name);
	if (weak) {
		fprintf(stderr, "openplan: %s\n", weak);
		sodium_memzero(pw, sizeof pw);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	char hash[128];
	if (auth_hash_password(pw, hash)) {
		fprintf(stderr, "openplan: could not hash the password (out of memory)\n");
		return 1;
	}
	sodium_memzero(pw, sizeof pw);
	store *s;
	if (open_store(o.db, &s))
		return 1;
	char email[300];
	snprintf(email, sizeof email, "%s", o.email);
	text_ascii_lower(email);
	int ret = 0;
	if (add) {
		store_rc rc = store_user_create(s, email, o.name, hash, r, NULL);
		if (rc == STORE_CONFLICT) {
			fprintf(stderr, "openplan: there is already a user with e-mail %s\n", email);
			ret = 1;
		} else if (rc != STORE_OK) {
			fprintf(stderr, "openplan: could not add the user: %s\n", store_rc_name(rc));
			ret = 1;
		} else {
			printf("openplan: added %s (%s)\n", email, role_name(r));
		}
	} else {
		arena a;
		arena_init(&a, 0);
		user u;
		store_rc rc = store_user_by_email(s, &a, email, &u);
		if (rc == STORE_OK)
			rc = store_user_set_password(s, u.id, hash);
		if (rc == STORE_OK)
			rc = store_session_delete_user(s, u.id, NULL);
		if (rc != STORE_OK) {
			fprintf(stderr, "openplan: could not reset the password of %s: %s\n", email,
			        store_rc_name(rc));
			ret = 1;
		} else {
			printf("openplan: password of %s reset; their sessions are signed out\n", email);
		}
		arena_free(&a);
	}
	store_close(s);
	return ret;
}

static unsigned env_uint(const char *name, unsigned def)
{
	long long v;
	const char *s = getenv(name);
	return s && text_parse_int(s, 1, 100000000, &v) ? (unsigned)v : def;
}

/* "HOST:PORT" into its parts; 0, or -1 when it is not that. */
static int split_listen(const char *s, char *host, size_t hostlen, unsigned *port)
{
	const char *colon = strrchr(s, ':');
	long long p;
	if (!colon || colon == s || (size_t)(colon - s) >= hostlen ||
	    !text_parse_int(colon + 1, 0, 65535, &p))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	*port = (unsigned)p;
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	opts o = { 0 };
	if (parse_opts(argc, argv, &o))
		return bad_usage(usage_serve, "unknown or incomplete option");
	if (o.help) {
		fputs(usage_serve, stdout);
		return 0;
	}
	char host[64], mhost[64];
	unsigned port, mport = 0;
	if (split_listen(o.listen, host, sizeof host, &port) != 0)
		return bad_usage(usage_serve, "--listen must look like 127.0.0.1:8080");
	if (o.metrics_listen && split_listen(o.metrics_listen, mhost, sizeof mhost, &mport) != 0)
		return bad_usage(usage_serve, "--metrics-listen must look like 127.0.0.1:9100");

	app_config cfg = {
		.db_path = o.db,
		.listen = o.listen,
		.base_url = o.base_url,
		.https = o.https || (o.base_url && !strncmp(o.base_url, "https://", 8)),
		.body_limit = env_uint("OPENPLAN_BODY_LIMIT", 1u << 20),
		.session_ttl = 14L * 86400,
		.ip_limit = env_uint("OPENPLAN_IP_LIMIT", 30),
		.threads = o.threads,
		.smtp_url = o.smtp_url && *o.smtp_url ? o.smtp_url : NULL,
		.mail_from = o.mail_from && *o.mail_from ? o.mail_from : NULL,
	};
	/* On PostgreSQL a worker thread waits for the network at every
	 * statement: more threads than cores keep the cores busy. */
	if (!cfg.threads && !strncmp(o.db, "postgres", 8)) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		cfg.threads = (unsigned)(n > 0 && n < 64 ? 4 * n : 8);
	}
	/* Blocked before any thread starts (the application's and the store's
	 * start in app_init and app_start), so they all inherit the mask and
	 * the main thread alone takes the signals, with sigwait. */
	sigset_t stopset;
	sigemptyset(&stopset);
	sigaddset(&stopset, SIGINT);
	sigaddset(&stopset, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stopset, NULL);
	signal(SIGPIPE, SIG_IGN);
	app ap;
	char err[512];
	if (app_init(&ap, &cfg, features_all, features_count, err, sizeof err) != 0 ||
	    app_start(&ap, err, sizeof err) != 0) {
		fprintf(stderr, "openplan: %s\n", err);
		app_free(&ap);
		return 1;
	}

	http_config hc = {
		.listen_host = host,
		.port = (uint16_t)port,
		.body_limit = cfg.body_limit,
		.threads = cfg.threads,
		.conn_limit = 20000,  /* http_start raises the descriptor limit to fit */
		.per_ip_limit = env_uint("OPENPLAN_PER_IP_CONNECTIONS", 0),
		.read_timeout = env_uint("OPENPLAN_READ_TIMEOUT", 0),
		.trusted_proxy = o.trusted_proxy,
		.secure_cookies = cfg.https,
		/* test hook only (tests/e2e/faults.mjs) */
		.fault_header = getenv("OPENPLAN_FAULT_HEADER") && !strcmp(getenv("OPENPLAN_FAULT_HEADER"), "1"),
		.dispatch = app_dispatch,
		.done = app_done,
		.ctx = &ap,
	};
	http_server *srv = http_start(&hc, err, sizeof err);
	if (!srv) {
		fprintf(stderr, "openplan: %s\n", err);
		app_free(&ap);
		return 1;
	}
	http_server *msrv = NULL;
	if (o.metrics_listen) {
		http_config mc = {
			.listen_host = mhost,
			.port = (uint16_t)mport,
			.body_limit = 1024,
			.threads = 1,
			.conn_limit = 64,
			.dispatch = app_metrics_dispatch,
			.ctx = &ap,
		};
		msrv = http_start(&mc, err, sizeof err);
		if (!msrv) {
			fprintf(stderr, "openplan: --metrics-listen: %s\n", err);
			http_stop(srv, 1000);
			app_free(&ap);
			return 1;
		}
		fprintf(stderr, "openplan: metrics on http://%s:%u/metrics\n", mhost, http_port(msrv));
	}
	char shown[512];
	store_target_display(o.db, shown, sizeof shown);
	fprintf(stderr, "openplan: serving %s on http://%s:%u/\n", shown, host, http_port(srv));
	fflush(stderr);
	int sig = 0;
	sigwait(&stopset, &sig);
	fprintf(stderr, "openplan: stopping (signal %d); finishing requests in flight\n", sig);
	if (msrv)
		http_stop(msrv, 1000);
	http_stop(srv, 10000);
	app_free(&ap);
	fprintf(stderr, "openplan: stopped\n");
	return 0;
}

static const char *role_word(const app_route *rt)
{
	return rt->public ? "public" : role_name(rt->min_role);
}

/* A form's table as data: what the generated bad-input tests post. */
static json_t *form_json(const form_def *def)
{
	static const char *const types[] = { "text", "multiline", "email", "password", "date",
		                             "choice", "id", "int", "bool", "url", "file" };
	json_t *fields = json_array();
	for (size_t i = 0; i < def->nfields; i++) {
		const form_field *f = &def->fields[i];
		json_t *fj = json_pack("{s:s,s:s,s:b}", "name", f->name, "type", types[f->type],
		                       "required", f->required);
		if (f->max)
			json_object_set_new(fj, f->type == F_INT ? "max_value"
			                        : f->type == F_FILE ? "max_bytes" : "max_length",
			                    json_integer((json_int_t)f->max));
		if (f->type == F_INT)
			json_object_set_new(fj, "min_value", json_integer(f->min));
		if (f->choices) {
			json_t *c = json_array();
			for (size_t k = 0; f->choices[k]; k++)
				json_array_append_new(c, json_string(f->choices[k]));
			json_object_set_new(fj, "choices", c);
		}
		json_array_append_new(fields, fj);
	}
	return json_pack("{s:s,s:o}", "name", def->name, "fields", fields);
}

static int cmd_routes(int argc, char **argv)
{
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_routes, stdout);
			return 0;
		} else {
			return bad_usage(usage_routes, "unknown option");
		}
	}
	static const struct { int flag; const char *name; } flags[] = {
		{ R_CSRF, "csrf" }, { R_API, "api" }, { R_CACHE, "cache" }, { R_KEEPCACHE, "keepcache" },
	};
	json_t *all = json_array();
	for (size_t f = 0; f < features_count; f++) {
		const app_feature *ft = features_all[f];
		for (size_t i = 0; i < ft->nroutes; i++) {
			const app_route *rt = &ft->routes[i];
			json_t *methods = json_array(), *fl = json_array();
			if (rt->methods & HTTP_GET)
				json_array_append_new(methods, json_string("GET"));
			if (rt->methods & HTTP_POST)
				json_array_append_new(methods, json_string("POST"));
			for (size_t k = 0; k < sizeof flags / sizeof *flags; k++)
				if (rt->flags & flags[k].flag)
					json_array_append_new(fl, json_string(flags[k].name));
			json_t *row = json_pack("{s:s,s:o,s:s,s:s,s:b,s:o}", "feature", ft->name, "methods",
			                        methods, "pattern", rt->pattern, "role", role_word(rt),
			                        "public", rt->public, "flags", fl);
			if (rt->form)
				json_object_set_new(row, "form", form_json(rt->form));
			json_array_append_new(all, row);
		}
	}
	if (json) {
		char *txt = json_dumps(all, JSON_INDENT(1));
		if (txt)
			puts(txt);
		app_json_free(txt);
	} else {
		size_t i;
		json_t *r;
		json_array_foreach(all, i, r) {
			sb line;
			sb_init(&line);
			size_t k;
			json_t *v;
			json_array_foreach(json_object_get(r, "methods"), k, v)
				sb_printf(&line, "%s%s", k ? "," : "", json_string_value(v));
			sb_printf(&line, "\t%s\t%s\t%s", json_string_value(json_object_get(r, "pattern")),
			          json_string_value(json_object_get(r, "role")),
			          json_string_value(json_object_get(r, "feature")));
			json_array_foreach(json_object_get(r, "flags"), k, v)
				sb_printf(&line, "%s%s", k ? "," : "\t", json_string_value(v));
			puts(sb_str(&line));
			sb_free(&line);
		}
	}
	json_decref(all);
	return 0;
}

int main(int argc, char **argv)
{
	app_memory_init();
	if (argc < 2)
		return bad_usage(usage_main, NULL);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(cmd, "init"))
		return cmd_init(argc - 1, argv + 1);
	if (!strcmp(cmd, "demo"))
		return cmd_demo(argc - 1, argv + 1);
	if (!strcmp(cmd, "serve"))
		return cmd_serve(argc - 1, argv + 1);
	if (!strcmp(cmd, "user"))
		return cmd_user(argc - 1, argv + 1);
	if (!strcmp(cmd, "routes"))
		return cmd_routes(argc - 1, argv + 1);
	if (!strcmp(cmd, "copy"))
		return cmd_copy(argc - 1, argv + 1);
	if (!strcmp(cmd, "backup"))
		return cmd_backup(argc - 1, argv + 1);
	return bad_usage(usage_main, "unknown command");
}
