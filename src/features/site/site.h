/* site.h — the site as a whole: what an admin sets for it (its name and
 * logo in the header; the organisation, contact details, privacy and
 * accessibility statements in the footer and on their pages), the frame
 * every page gets from it, the language switch, the health check and the
 * Prometheus metrics.
 *
 *   site.c        the descriptor: routes, flash messages, the frame hook
 *   site_pages.c  /accessibility, the privacy page's statement and the
 *                 admin's /admin/site
 *   site_logo.c   checking an uploaded logo (PNG or SVG) and serving it
 *   site_store.c  the settings row (migrations/080_site.sql)
 *   site_demo.c   the demo's settings
 */
#ifndef OPENPLAN_SITE_H
#define OPENPLAN_SITE_H

#include "../../app/app.h"

extern const app_feature site_feature;

/* The settings row; strings from the arena, "" when not set. */
typedef struct site_settings {
	int64_t     version;          /* goes up with every change */
	const char *site_name;
	const char *org_name;
	const char *contact_email;
	const char *contact_phone;
	const char *contact_address;  /* lines */
	const char *contact_url;
	const char *privacy;          /* Markdown */
	const char *accessibility;    /* Markdown */
	const char *a11y_status;      /* full, partial, first_measures, no_measures */
	const char *a11y_checked_on;  /* "YYYY-MM-DD" or "" */
	const char *logo_type;        /* "image/png", "image/svg+xml" or "" */
	const char *logo_hash;        /* hex, names the logo's address */
	int64_t     updated_at;
} site_settings;

/* site_store.c */
store_rc site_store_get(store *s, arena *a, site_settings *out);
store_rc site_store_version(store *s, int64_t *version);
/* Saves every text field of in (not the logo) and raises the version;
 * *version gets the new one. */
store_rc site_store_save(store *s, const site_settings *in, int64_t user_id, int64_t *version);
/* The logo: its media type, its bytes in base64 and its hash ("" when none). */
store_rc site_store_logo(store *s, arena *a, const char **type, const char **b64,
                         const char **hash);
/* Sets the logo (type "" removes it) and raises the version (*version). */
store_rc site_store_logo_set(store *s, const char *type, const char *b64, const char *hash,
                             int64_t user_id, int64_t *version);

/* site.c: the settings every page's frame shows, cached per process and
 * checked against the database's version every few seconds (so a change
 * on another node shows within seconds); a change here shows at once. */
/* After a change this node made: pages show version or newer from now on. */
void site_frame_want(int64_t version);
/* The status codes and their labels, in the Dutch model statement's order. */
extern const char *const site_a11y_statuses[];
extern const char *const site_a11y_status_labels[];

/* site_logo.c */
/* Whether bytes[0..len) is a logo we serve: a well-formed PNG (signature,
 * chunks with their CRCs, IHDR first, IEND last, at most 4096 × 4096) or an
 * SVG without scripts, event handlers, foreign objects, entities or
 * references outside itself. *type gets the media type; NULL, or the
 * msgid of what is wrong. */
const char *site_logo_check(const char *bytes, size_t len, const char **type);
/* Keeps a checked logo of that type (its bytes base64, named by a hash). */
store_rc site_logo_save(store *s, arena *a, const char *bytes, size_t len, const char *type,
                        int64_t user_id, int64_t *version);
void site_logo_serve(app_req *q);

/* site_pages.c */
/* The privacy page's section (page "privacy", the account feature's
 * /privacy): the admin's statement as HTML, or NULL when none is written
 * (the page then says what openplan itself does). */
json_t *site_privacy_section(app_req *q, int64_t id);
void site_accessibility(app_req *q);
void site_admin(app_req *q);
void site_logo_upload(app_req *q);
void site_logo_delete(app_req *q);
extern const form_def site_settings_form;
extern const form_def site_logo_form;

/* site_demo.c */
int site_demo(store *s, char *err, size_t errlen);

#endif
