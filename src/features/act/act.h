/* act.h — the action plan feature (act_*): act.c declares it (routes, the
 * account page's section); handlers (act_pages.c for
 * the public pages, exports and the account section; act_edit.c for the
 * organiser's and holder's forms; act_adopt.c for offers to adopt;
 * act_demo.c for the demo), and the rules they share
 * (act_rules.c: status machine, late milestones, progress, safe Markdown,
 * CSV fields), which the unit tests check without a server.
 */
#ifndef OPENPLAN_ACT_H
#define OPENPLAN_ACT_H

#include <stdbool.h>

#include "../../app/app.h"

extern const app_feature act_feature;
/* act_demo.c: the action points with holders, milestones, updates, an open offer. */
int act_demo(store *s, char *err, size_t errlen);

/* ---- rules (act_rules.c) ---- */
bool act_status_valid(const char *status);
/* May an action point go from status `from` to `to`? (Same status: no.) */
bool act_transition_ok(const char *from, const char *to);
/* Statuses that need a lead holder: adopted, in_progress, completed. */
bool act_status_needs_lead(const char *status);
/* A milestone is late when it is not done and its due date is before today
 * (ymd numbers, y*10000+m*100+d). Bad dates are never late. */
bool act_milestone_late(const char *due_on, const char *done_on, int today);
/* Percent complete: 100 when completed; else the latest update's percent;
 * else the share of milestones done; 0 without either. */
int  act_progress(const char *status, int latest_percent, int milestones, int done);
/* Is `d` ("YYYY-MM-DD") inside [start, end]? An empty bound is open. */
bool act_date_within(const char *d, const char *start, const char *end);
/* An evidence link: http:// or https:// with a host, no spaces. */
bool act_url_ok(const char *url);
/* Appends one CSV field (RFC 4180 quoting; a leading = + - @ gets a ' so
 * spreadsheets do not run it as a formula). */
void act_csv_field(sb *out, const char *s);
/* Today as y*10000+m*100+d (UTC). */
int  act_today(void);

/* ---- public pages (act_pages.c) ---- */
void act_plan(app_req *q);       /* /actions, /api/v1/action-points */
void act_state(app_req *q);      /* /actions/state */
void act_document(app_req *q);   /* /actions/document */
void act_csv_points(app_req *q);
void act_csv_milestones(app_req *q);
void act_show(app_req *q);       /* /actions/{id}, /api/v1/action-points/{id} */
/* The signed-in person's adoption offers and their outcome, for the
 * account page (accounts.c); a new array, or NULL when out of memory. */
json_t *act_account_offers(app_req *q);

/* ---- shared by act_pages.c and act_edit.c ---- */
/* Where a re-shown form goes on the action point page or edit page. */
typedef struct act_focus {
	const char *kind;   /* "milestone", "new_milestone", "update", "status", "holder",
	                     * "link", "decline", "point" */
	int64_t     id;
	json_t     *form, *errors; /* borrowed */
} act_focus;
/* The action point page (tpl "act_show") or the organiser's edit page
 * (tpl "act_edit"), with a form re-shown when focus is set. */
void act_render(app_req *q, int status, int64_t id, const char *tpl, const act_focus *f);
const char *act_status_label(const char *status);
/* May the signed-in person work on (milestones, updates) this action point? */
bool act_can_work(app_req *q, int64_t action_id);
json_t *act_status_options(app_req *q, const char *selected, bool any);
/* Adds the organiser's forms to the edit page model (act_edit.c). */
int act_edit_extras(app_req *q, json_t *m, const act_point *p, const act_focus *f);
/* The OGP values as options/checkboxes; codes in a comma-separated list. */
json_t *act_ogp_json(app_req *q, const char *codes, bool all);

/* Loads the action point named by {id}; answers 404 itself. */
bool act_load(app_req *q, act_point *p);
/* Redirects to /actions/{id}<where> with the "saved" message. */
void act_back(app_req *q, int64_t id, const char *where);
/* A form value that is a positive id, else 0. */
long long act_form_id(json_t *v, const char *name);

/* ---- forms (act_edit.c; adopting and offers in act_adopt.c) ---- */
void act_new(app_req *q);
void act_edit(app_req *q);
void act_status(app_req *q);
void act_holder_add(app_req *q);
void act_holder_remove(app_req *q);
void act_link_add(app_req *q);
void act_link_remove(app_req *q);
void act_milestone_add(app_req *q);
void act_milestone_update(app_req *q);
void act_milestone_delete(app_req *q);
void act_update_add(app_req *q);
void act_adopt(app_req *q);
void act_offer_accept(app_req *q);
void act_offer_decline(app_req *q);

#endif
