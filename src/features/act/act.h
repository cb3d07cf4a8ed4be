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

/* ---- the store (act_store.c) -------------------------------------------------
 * Action points under a plan's themes, their holders, links, milestones,
 * progress updates, adoption offers and versions. Every change that a
 * person makes is written together with a version row (act_version). */
typedef struct act_point {
	int64_t     id, plan_id, theme_id;
	const char *theme_name;
	const char *title, *problem, *status_quo, *what, *how_helps, *ambition;
	const char *ogp_values;    /* comma-separated codes: information,participation,… */
	const char *minimal, *maximal, *needs;
	const char *starts_on, *ends_on; /* "YYYY-MM-DD" or "" */
	const char *status;        /* idea, seeking, adopted, in_progress, completed, stopped */
	const char *stop_reason;
	int64_t     updated_at;
	/* filled by lists and act_store_get */
	int64_t     lead_org_id;   /* 0 when none */
	const char *lead_name;     /* "" when none */
	int         percent;       /* latest update's percent, -1 when none */
	int         milestones, milestones_done;
} act_point;

typedef struct act_holder {
	int64_t     action_id, org_id;
	const char *org_name;
	const char *role;          /* lead, partner */
	int64_t     contact_id;    /* 0 when none */
	const char *contact_name;  /* "" when none */
} act_holder;

typedef struct act_milestone {
	int64_t     id, action_id;
	const char *action_title;
	const char *title, *output, *due_on, *done_on;
} act_milestone;

typedef struct act_update {
	int64_t     id, action_id;
	const char *action_title;
	const char *posted_on, *body, *evidence_url;
	int         percent;
	const char *author_name;
	int64_t     created_at;
} act_update;

typedef struct act_offer {
	int64_t     id, action_id;
	const char *action_title;
	int64_t     user_id;
	const char *user_name;
	int64_t     org_id;        /* 0: a new organisation, named below */
	const char *org_name;      /* the existing one's name, or the new name */
	const char *new_org_sector;
	const char *role;          /* lead, partner */
	const char *message, *status, *reason;  /* status: open, accepted, declined */
	int64_t     created_at, decided_at;
} act_offer;

typedef struct act_version {
	int64_t     id;
	const char *user_name;     /* "" when unknown */
	const char *kind, *detail;
	int64_t     created_at;
} act_version;

typedef struct act_link {
	int64_t     id;
	const char *title, *status;
} act_link;

store_rc act_store_list(store *s, arena *a, int64_t plan_id, act_point **out, size_t *n);
store_rc act_store_get(store *s, arena *a, int64_t id, act_point *out);
/* Create/update write a version row by user_id (0: the system). */
store_rc act_store_create(store *s, const act_point *p, int64_t user_id, int64_t *id_out);
store_rc act_store_update(store *s, const act_point *p, int64_t user_id, const char *detail);
store_rc act_store_set_status(store *s, int64_t id, const char *status, const char *reason,
                              int64_t user_id, const char *detail);
store_rc act_store_version_add(store *s, int64_t action_id, int64_t user_id, const char *kind,
                               const char *detail);
store_rc act_store_versions(store *s, arena *a, int64_t action_id, act_version **out, size_t *n);

/* Holders of one action point (action_id > 0) or of all of a plan's. */
store_rc act_store_holders(store *s, arena *a, int64_t action_id, int64_t plan_id,
                           act_holder **out, size_t *n);
/* Adds or changes a holder; a new lead makes the old lead a partner. */
store_rc act_store_holder_set(store *s, int64_t action_id, int64_t org_id, const char *role,
                              int64_t contact_id, int64_t user_id);
store_rc act_store_holder_remove(store *s, int64_t action_id, int64_t org_id, int64_t user_id);
/* Is user the contact person of an organisation that holds the action point? */
bool     act_store_is_contact(store *s, int64_t action_id, int64_t user_id);

store_rc act_store_links(store *s, arena *a, int64_t action_id, act_link **out, size_t *n);
store_rc act_store_link_add(store *s, int64_t from_id, int64_t to_id, int64_t user_id);
store_rc act_store_link_remove(store *s, int64_t from_id, int64_t to_id, int64_t user_id);

/* Milestones of one action point (action_id > 0) or of all of a plan's. */
store_rc act_store_milestones(store *s, arena *a, int64_t action_id, int64_t plan_id,
                              act_milestone **out, size_t *n);
store_rc act_store_milestone_add(store *s, const act_milestone *m, int64_t user_id,
                                 int64_t *id_out);
store_rc act_store_milestone_update(store *s, const act_milestone *m, int64_t user_id);
store_rc act_store_milestone_delete(store *s, int64_t action_id, int64_t id, int64_t user_id);

/* Updates of one action point, newest first; or (action_id 0) the plan's
 * most recent `limit`. */
store_rc act_store_updates(store *s, arena *a, int64_t action_id, int64_t plan_id, int limit,
                           act_update **out, size_t *n);
store_rc act_store_update_add(store *s, const act_update *u, int64_t user_id, int64_t *id_out);

/* STORE_CONFLICT when the same organisation (or new name) has an open offer. */
store_rc act_store_offer_create(store *s, const act_offer *o, int64_t *id_out);
store_rc act_store_offer_get(store *s, arena *a, int64_t id, act_offer *out);
/* Offers on one action point (action_id > 0) or by one user. */
store_rc act_store_offers(store *s, arena *a, int64_t action_id, int64_t user_id,
                          act_offer **out, size_t *n);
/* Accepts in one transaction: creates the new organisation when needed,
 * makes it a holder with `role` and the offerer its contact and member,
 * moves a seeking action point to adopted when it gets a lead. */
store_rc act_store_offer_accept(store *s, int64_t offer_id, const char *role, int64_t user_id);
store_rc act_store_offer_decline(store *s, int64_t offer_id, const char *reason, int64_t user_id);

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
