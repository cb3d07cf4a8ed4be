/* app.h — the application layer between HTTP and the features: the
 * request pipeline (session, language, CSRF, role check, dispatch), the
 * route table, and the helpers every handler uses to answer with a page,
 * JSON, a redirect or an error. Handlers are short because parsing and
 * checks happened before them.
 */
#ifndef OPENPLAN_APP_H
#define OPENPLAN_APP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../http/http.h"
#include "../store/store.h"
#include "../web/web.h"

typedef struct app_config {
	const char *db_path;
	const char *listen;       /* "127.0.0.1:8080" */
	const char *base_url;     /* "http://127.0.0.1:8080" */
	bool        https;        /* Secure cookies */
	size_t      body_limit;
	long        session_ttl;  /* seconds */
	unsigned    ip_limit;     /* sign-in/sign-up attempts per IP per 10 minutes */
	unsigned    threads;
	const char *smtp_url;     /* smtp:// or smtps://; NULL: mail waits in the outbox */
	const char *mail_from;    /* the sender's address; NULL: openplan@ the base URL's host */
} app_config;

/* An embedded script (src/web/static/NAME.js), served under a
 * content-hashed address with a long cache lifetime. */
typedef struct app_script {
	char        name[32];   /* "poll" */
	char        url[80];    /* "/static/poll-<hash>.js" */
	const void *data;
	size_t      len;
} app_script;

typedef struct app_feature   app_feature;
typedef struct app_route_ref app_route_ref;

typedef struct app {
	app_config cfg;
	store     *db;
	const app_feature *const *features;
	size_t     nfeatures;
	app_route_ref *routes;     /* every feature's routes, in list order */
	http_route_pattern *patterns; /* the same, for the router */
	size_t     nroutes;
	size_t     started;        /* features whose start hook ran */
	tpl_set   *tpl;
	char       css_path[64];  /* "/static/app-<hash>.css" */
	const void *css;
	size_t     css_len;
	app_script scripts[16];
	size_t     nscripts;
	char      *openapi;        /* the API's description (openapi.c) */
	size_t     openapi_len;
	/* "Busy, try again" (503) made at start, so it can be sent when a
	 * request's memory has run out: HTML in Dutch and English, and JSON. */
	char      *busy_html[2];
	char      *busy_json;
} app;

/* Route flags */
enum {
	R_CSRF = 1,   /* state change: needs a valid CSRF token */
	R_API  = 2,   /* JSON by default (under /api/v1) */
	R_CACHE = 4,  /* public page: what anonymous visitors get may be cached
	               * until the next state change (see page cache in app.c);
	               * only for pages that hold no form (no per-visitor token) */
	R_KEEPCACHE = 8, /* a POST that changes no cached page (a live-poll vote) */
};

typedef struct app_req {
	app        *app;
	http_req   *r;
	http_resp  *s;
	arena      *a;
	user       *me;            /* NULL when signed out */
	user        me_store;
	const char *session_hash;  /* hash of the session token, when signed in */
	const char *lang;          /* "nl" or "en" */
	const char *csrf;          /* the token forms carry (bound to the session) */
	const char *pre;           /* a new pre-session binding set by this response */
	bool        want_json;
	struct form_in *form;      /* the posted form, when the route declares one */
	bool        personal_slot; /* the page is cached for its role: the header's
	                            * personal part is filled in afterwards */
} app_req;

typedef void (*app_handler)(app_req *q);

/* One address of a feature: methods, pattern ("/polls/{id}"; a path
 * parameter named id or ending in "id" must be a positive integer, else
 * 404 before the handler), handler, who may call it and its flags. */
typedef struct app_route {
	int         methods;
	const char *pattern;
	app_handler handler;
	role        min_role;      /* who may call it (ROLE_PARTICIPANT = any signed-in user) */
	bool        public;        /* no sign-in needed */
	int         flags;
	const struct form_def *form; /* POST: checked before the handler (see form.c) */
} app_route;

/* A part that a feature adds to a page another feature owns (the plan's
 * page shows the plan's consultations and poll reports; the account page
 * shows a person's offers). The owner calls app_sections(); it knows no
 * feature by name. */
typedef struct app_section {
	const char *page;   /* "plan", "account", … */
	const char *key;    /* the key its data gets in the page's model and JSON */
	const char *tpl;    /* the partial that shows it on the page, or NULL */
	/* Builds the section for object `id` (the plan's id, the user's id);
	 * NULL leaves it out. */
	json_t   *(*build)(app_req *q, int64_t id);
} app_section;

/* A message shown once on the next page after a redirect (a "flash"):
 * app_redirect(q, where, key) names it by key. */
typedef struct app_flash {
	const char *key;    /* "offer_sent" */
	const char *msgid;  /* "Your offer is sent." */
} app_flash;

/* A feature: everything it adds to openplan, declared in one place (its
 * folder's <name>.c). The feature list in src/features/features.c names
 * them; src/app knows only this type. */
struct app_feature {
	const char        *name;       /* its folder and prefix: "poll" */
	const app_route   *routes;
	size_t             nroutes;
	const app_section *sections;
	size_t             nsections;
	const app_flash   *flashes;    /* what its redirects may say */
	size_t             nflashes;
	/* Its part of the demo, inside the demo's one transaction, after the
	 * features before it in the list. 0, or -1 with a message in err. */
	int  (*demo)(store *s, char *err, size_t errlen);
	/* Background work it owns (hubs, senders): started when serving
	 * begins, stopped (in reverse list order) before the store closes. */
	int  (*start)(app *ap, char *err, size_t errlen);
	void (*stop)(app *ap);
	/* What it adds to the frame of every page (head.html, foot.html): the
	 * site's name, logo and footer. Called for every page rendered, so it
	 * must be cheap and never fail the page; what it adds is part of
	 * cached pages, so it may depend only on the data and the language. */
	void (*chrome)(app_req *q, json_t *frame);
};

/* A route as the application holds it: the row and its feature. */
struct app_route_ref {
	const app_route   *route;
	const app_feature *feature;
};

/* Marks a string as a msgid to translate later (where it is shown), as
 * gettext's N_() does: tests/po_check.sh collects these too. */
#define N_(s) s

/* ---- lifecycle ---- */
/* Sets up the application with its features (the list in
 * src/features/features.c) and opens the store. */
int  app_init(app *ap, const app_config *cfg, const app_feature *const *features,
              size_t nfeatures, char *err, size_t errlen);
/* Starts the features' background work (serve only). */
int  app_start(app *ap, char *err, size_t errlen);
/* Stops what app_start started, closes the store, frees everything. */
void app_free(app *ap);
/* Loads every feature's demo data in one transaction; refuses when the
 * demo is already loaded. 0, or -1 with a message in err. */
int  app_demo_load(store *s, const app_feature *const *features, size_t nfeatures,
                   char *err, size_t errlen);
/* The shared password of the demo's fictitious people (see README). */
#define APP_DEMO_PASSWORD "demo-wachtwoord"
/* Adds to model the sections every feature gives for `page` and object id:
 * each under its key, and (for HTML) a "sections" list that the page's
 * template shows with {{#sections}}{{>* tpl}}{{/sections}}. */
void app_sections(app_req *q, const char *page, int64_t id, json_t *model);
/* The page cache's generation: it changes whenever data may have changed,
 * on this node (a POST) or on another (heard through the store). A
 * feature that keeps its own copy of data for every page (the site's
 * frame) checks it again when this has moved, so no page is cached with
 * an old copy. */
uint64_t app_data_gen(void);
void app_dispatch(http_req *r, http_resp *s, void *ctx);
void app_done(http_req *r, http_resp *s, size_t bytes, void *ctx);
void app_metrics(app_req *q);   /* /metrics */
/* The dispatch of the separate metrics address (--metrics-listen): only
 * GET /metrics, no sessions, nothing else. */
void app_metrics_dispatch(http_req *r, http_resp *s, void *ctx);
/* The API's description, from web/openapi.json and every feature's
 * features/F/openapi.json (built once by app_init; served by app_openapi). */
int  app_openapi_build(app *ap, char *err, size_t errlen);
void app_openapi(app_req *q);

/* ---- memory (see memory.c) ---- */
/* Once, first thing in main: jansson allocates from the arena of the
 * request running on the thread (app_memory_use), else from malloc. */
void   app_memory_init(void);
/* Makes this thread's JSON come from a (NULL: malloc); returns the one
 * before. The pipeline sets it around each request. */
arena *app_memory_use(arena *a);
/* Frees what jansson returned (json_dumps text), wherever it came from. */
void   app_json_free(void *p);

/* ---- answering ---- */
/* Renders template `tpl` with model (stolen) as HTML, or the model as JSON
 * when JSON was asked for. */
void app_page(app_req *q, int status, const char *tpl, json_t *model);
void app_json(app_req *q, int status, json_t *model);  /* steals model */
/* A page (or JSON error) explaining what went wrong; msgid is translated. */
void app_error(app_req *q, int status, const char *msgid);
void app_redirect(app_req *q, const char *location, const char *flash);
const char *app_t(app_req *q, const char *msgid);     /* translate */
/* The plural form for n ("%lld respondent" / "%lld respondents"), in the
 * visitor's language; a printf format the caller fills with n. */
const char *app_tn(app_req *q, const char *msgid, const char *plural, long long n);
/* A "YYYY-MM-DD" date written out in the visitor's language. */
const char *app_date(app_req *q, const char *ymd);
int64_t     app_param_id(app_req *q, const char *name); /* 0 when not a positive id */
/* Handles a store failure: 404 for NOTFOUND, 409 when a rule of the data
 * refused it (INVALID: something still refers to it; CONFLICT), 500
 * otherwise. */
void app_store_error(app_req *q, store_rc rc);

/* ---- forms (see form.c) ----
 * One declarative table per form (the kcgi idea). A route names its form;
 * the pipeline checks what was posted against it before the handler runs:
 * a handler sees only values that passed, read with form_text/form_int/…
 * When a check fails, the handler is not called: the form's reshow
 * function shows the page again with the values as entered and a message
 * per field (422), or a JSON client gets {"error":{…,"fields":{…}}}. */
typedef enum {
	F_TEXT, F_MULTILINE, F_EMAIL, F_PASSWORD, F_DATE, F_CHOICE, F_ID, F_INT, F_BOOL, F_URL,
	F_FILE, /* a file of a multipart form: max is in bytes; choices (optional)
	         * the media types the input offers to pick (its accept=) */
} form_type;

typedef struct form_field {
	const char        *name;
	form_type          type;
	bool               required;
	size_t             max;       /* characters (code points); F_INT: the largest value */
	const char *const *choices;   /* F_CHOICE: the codes, NULL-terminated */
	const char        *label;     /* msgid of the label */
	const char        *help;      /* msgid of a hint shown under the label, or NULL */
	const char *const *choice_labels; /* msgids shown for the choices, same order */
	long long          min;       /* F_INT: the smallest value */
	/* A rule beyond the type: the msgid of what is wrong, or NULL. */
	const char      *(*check)(app_req *q, const char *value);
	const char        *autocomplete; /* the input's autocomplete attribute, or NULL */
	const char        *message;   /* msgid said when the value is not of its type or
	                               * not one of the choices, instead of the usual one */
} form_field;

typedef struct form_def {
	const char       *name;      /* which form ("phase"): ids on the page, which one failed */
	const form_field *fields;
	size_t            nfields;
	/* Rules across fields, run when every field passed; adds messages with
	 * form_fail. */
	void            (*check)(app_req *q);
	/* Shows the page that holds this form again, from q->form (status 422);
	 * it loads what the page needs, so a missing object still answers 404. */
	app_handler       reshow;
	/* Runs before any field is checked, so even a malformed attempt counts
	 * (rate limits); false when it has answered the request itself. */
	bool            (*before)(app_req *q);
} form_def;

#define FORM_DEF(nm, fields_, check_, reshow_) \
	{ nm, fields_, sizeof fields_ / sizeof *fields_, check_, reshow_, NULL }
#define FORM_DEF_GUARDED(nm, fields_, check_, reshow_, before_) \
	{ nm, fields_, sizeof fields_ / sizeof *fields_, check_, reshow_, before_ }

/* What the pipeline made of a posted form. */
typedef struct form_in {
	const form_def *def;
	json_t         *values;   /* every field as entered (trimmed; never passwords) */
	json_t         *errors;   /* field name → message, in the visitor's language */
} form_in;

/* Checks the posted form against def into q->form. Returns the number of
 * fields with a message; -1 when out of memory. */
int         form_validate(app_req *q, const form_def *def);
/* The value of a field that passed: trimmed text ("" when empty); a
 * password as typed. */
const char *form_text(app_req *q, const char *name);
/* F_INT, F_ID: the number (0 when empty). F_BOOL: checked or not. */
long long   form_int(app_req *q, const char *name);
/* F_FILE: the file's bytes (not a C string; *len says how many), or NULL
 * when none was sent. */
const char *form_file(app_req *q, const char *name, size_t *len);
bool        form_bool(app_req *q, const char *name);
/* A message at a field, after the checks (a name already taken, …). */
void        form_fail(app_req *q, const char *field, const char *msgid);
bool        form_failed(app_req *q);
/* Shows the form again: status 422 and the form's reshow function. */
void        form_reshow(app_req *q);
/* The view of a form for the field partial ({{> field}}): {"f":{name:
 * field}, "failed":bool}, each field with its id ("<prefix>-<name>"),
 * label, help, value and message. Values come from q->form when this form
 * was posted and failed and `posted` says this instance is the one (a
 * page may show the same form for every phase), else from `values` (the
 * stored object, stolen; may be NULL). */
json_t     *form_view(app_req *q, const form_def *def, const char *prefix, json_t *values,
                      bool posted);

/* The older hand-called check (handlers not yet on form_def): validates
 * the posted form against the table. *values gets every field as entered
 * (trimmed, except passwords); *errors a message per bad field. Returns
 * the number of bad fields. */
int  form_check(app_req *q, const form_field *f, size_t n, json_t **values, json_t **errors);
void form_error(app_req *q, json_t *errors, const char *field, const char *msgid);
const char *form_str(json_t *values, const char *name);

/* ---- auth (see auth.c) ---- */
int   auth_hash_password(const char *password, char out[128]);
bool  auth_check_password(const char *hash, const char *password);
char *auth_token(arena *a);                           /* 256-bit, base64url */
char *auth_token_hash(arena *a, const char *token);   /* hex BLAKE2b */
int   auth_sign_in(app_req *q, int64_t user_id);      /* new session + cookies */
void  auth_sign_out(app_req *q);
/* Fixed-window counter; true while key has had fewer than limit hits. */
bool  ratelimit_hit(const char *key, unsigned limit, unsigned window_s);
void  ratelimit_reset(const char *key);
void  ratelimit_free(void);

#endif
