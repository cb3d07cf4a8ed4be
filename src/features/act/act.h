/* act.h — the action plan feature (act_*). act.c declares it (routes with
 * their forms, the account page's section, flash messages, the late
 * milestone watcher). Handlers: act_pages.c (the public pages and the
 * account section), act_data.c (the API's data: one builder per resource,
 * and the labels pages add to it), act_edit.c (organisers: describe,
 * status, holders, links, publish, archive, delete), act_work.c (holders:
 * milestones and progress updates), act_adopt.c (offers to adopt, their
 * confirmation by the organisation and the organisers' inbox),
 * act_export.c (CSV and XLSX), act_late.c (the watcher), act_demo.c.
 * Rules without a request (status machine, late milestones, progress)
 * are in act_rules.c, which the unit tests check without a server.
 */
#ifndef OPENPLAN_ACT_H
#define OPENPLAN_ACT_H

#include <stdbool.h>

#include "../../app/app.h"

/* ---- the store (act_store.c, act_store_offers.c) -------------------------------
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
	int64_t     published_at;  /* 0: a draft, seen only by organisers */
	int64_t     archived_at;   /* 0: not archived */
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
	bool        quiet;         /* adding: tell nobody (the demo's history) */
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
	const char *confirmation;  /* "", pending, confirmed, refused (see migration 060) */
	const char *confirmer_name;/* who confirmed or refused ("" when nobody) */
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

/* Which action points a list holds. */
enum {
	ACT_PUBLISHED = 1, /* published and not archived: what everyone sees */
	ACT_DRAFTS = 2,    /* drafts (not archived) */
	ACT_ARCHIVED = 4,  /* archived ones, draft or not */
};

store_rc act_store_list(store *s, arena *a, int64_t plan_id, int which, act_point **out,
                        size_t *n);
store_rc act_store_get(store *s, arena *a, int64_t id, act_point *out);
/* Streams the plan's action points of kinds `which` (exports): fn gets each
 * row in turn, its strings borrowed until it returns; a code other than
 * STORE_OK from fn stops and is returned. */
store_rc act_store_each_point(store *s, int64_t plan_id, int which,
                              store_rc (*fn)(const act_point *p, void *ctx), void *ctx);
/* Create/update write a version row by user_id (0: the system). A new
 * action point is a draft unless published_at is set. */
store_rc act_store_create(store *s, const act_point *p, int64_t user_id, int64_t *id_out);
store_rc act_store_update(store *s, const act_point *p, int64_t user_id, const char *detail);
/* Changes the status with a version row, and tells the holders' contact
 * persons (but not the actor) in the same transaction. */
store_rc act_store_set_status(store *s, int64_t id, const char *status, const char *reason,
                              int64_t user_id, const char *detail);
store_rc act_store_version_add(store *s, int64_t action_id, int64_t user_id, const char *kind,
                               const char *detail);
/* The history, newest first; without `private` it leaves out what is not
 * public (offers while pending or declined, and their confirmation). */
store_rc act_store_versions(store *s, arena *a, int64_t action_id, bool private,
                            act_version **out, size_t *n);
/* Publishes a draft (STORE_INVALID when it is not one). */
store_rc act_store_publish(store *s, int64_t id, int64_t user_id);
/* Archives (archive true) or restores an action point. STORE_INVALID when
 * it already is (not) archived. */
store_rc act_store_archive(store *s, int64_t id, bool archive, int64_t user_id);
/* Deletes a draft that has no history that matters: STORE_INVALID when it
 * is published, STORE_CONFLICT when it has holders, updates or offers. */
store_rc act_store_delete(store *s, int64_t id);

/* Holders of one action point (action_id > 0), or of the plan's action
 * points of kinds `which` (action_id 0). */
store_rc act_store_holders(store *s, arena *a, int64_t action_id, int64_t plan_id, int which,
                           act_holder **out, size_t *n);
/* Adds or changes a holder; a new lead makes the old lead a partner. */
store_rc act_store_holder_set(store *s, int64_t action_id, int64_t org_id, const char *role,
                              int64_t contact_id, int64_t user_id);
store_rc act_store_holder_remove(store *s, int64_t action_id, int64_t org_id, int64_t user_id);
/* Is user the contact person of an organisation that holds the action point? */
bool     act_store_is_contact(store *s, int64_t action_id, int64_t user_id);

/* Linked action points; drafts only with `drafts`. */
store_rc act_store_links(store *s, arena *a, int64_t action_id, bool drafts, act_link **out,
                         size_t *n);
store_rc act_store_link_add(store *s, int64_t from_id, int64_t to_id, int64_t user_id);
store_rc act_store_link_remove(store *s, int64_t from_id, int64_t to_id, int64_t user_id);

/* Milestones of one action point (action_id > 0) or of the plan's action
 * points of kinds `which`. */
store_rc act_store_milestones(store *s, arena *a, int64_t action_id, int64_t plan_id, int which,
                              act_milestone **out, size_t *n);
/* Streams the plan's milestones (of action points of kinds `which`) as
 * act_store_each_point does. */
store_rc act_store_each_milestone(store *s, int64_t plan_id, int which,
                                  store_rc (*fn)(const act_milestone *m, void *ctx), void *ctx);
store_rc act_store_milestone_add(store *s, const act_milestone *m, int64_t user_id,
                                 int64_t *id_out);
store_rc act_store_milestone_update(store *s, const act_milestone *m, int64_t user_id);
store_rc act_store_milestone_delete(store *s, int64_t action_id, int64_t id, int64_t user_id);
/* Tells the holders' contact persons of every published action point about
 * each milestone that is late on `today` (y*10000+m*100+d) and was not yet
 * told for its due date, one event per milestone, each in its own
 * transaction with the mark. *told (may be NULL) gets the number told. */
store_rc act_store_tell_late(store *s, int today, int *told);
/* Marks the milestones late on `today` as told, without telling (demo). */
store_rc act_store_late_told(store *s, int today);

/* Updates of one action point, newest first; or (action_id 0) the plan's
 * most recent `limit` of published action points. */
store_rc act_store_updates(store *s, arena *a, int64_t action_id, int64_t plan_id, int limit,
                           act_update **out, size_t *n);
/* Adds an update with a version row and tells the holders' contact
 * persons (but not the author) in the same transaction. */
store_rc act_store_update_add(store *s, const act_update *u, int64_t user_id, int64_t *id_out);

/* ---- offers (act_store_offers.c) ---- */
/* Creates an offer. STORE_CONFLICT when the same organisation (or new
 * name) has an open offer. With o->confirmation "pending" the members of
 * the organisation are told, in the same transaction, that one of them
 * must confirm it. */
store_rc act_store_offer_create(store *s, const act_offer *o, int64_t *id_out);
store_rc act_store_offer_get(store *s, arena *a, int64_t id, act_offer *out);
/* Offers on one action point (action_id > 0) or by one user (user_id > 0). */
store_rc act_store_offers(store *s, arena *a, int64_t action_id, int64_t user_id,
                          act_offer **out, size_t *n);
/* Every open offer, oldest first (the organisers' inbox). */
store_rc act_store_offers_open(store *s, arena *a, act_offer **out, size_t *n);
/* Open offers waiting for a member of one of user_id's organisations. */
store_rc act_store_offers_to_confirm(store *s, arena *a, int64_t user_id, act_offer **out,
                                     size_t *n);
/* Accepts in one transaction: creates the new organisation when needed
 * (STORE_CONFLICT when one of that name exists by now), makes it a holder
 * with `role` and the offerer its contact and member, moves a seeking
 * action point to adopted when it gets a lead, tells the offerer.
 * STORE_INVALID when the offer is declined or waits for confirmation. */
store_rc act_store_offer_accept(store *s, int64_t offer_id, const char *role, int64_t user_id);
store_rc act_store_offer_decline(store *s, int64_t offer_id, const char *reason, int64_t user_id);
/* A member of the offer's organisation confirms (or refuses: the offer is
 * declined) a pending offer; the offerer is told. STORE_INVALID when it is
 * not pending. */
store_rc act_store_offer_confirm(store *s, int64_t offer_id, bool confirm, int64_t user_id);
/* Is user a member of the organisation? */
bool     act_store_is_member(store *s, int64_t org_id, int64_t user_id);
/* How many members the organisation has. */
int64_t  act_store_org_members(store *s, int64_t org_id);
/* *id: the organisation with this name (case-insensitive for ASCII), or 0. */
store_rc act_store_org_named(store *s, const char *name, int64_t *id);

/* Shared by the store files: a version row (and the point's updated_at),
 * and the contact persons of an action point's holders except `except`. */
store_rc act_store_version(store *s, int64_t action_id, int64_t user_id, const char *kind,
                           const char *detail);
store_rc act_store_contacts(store *s, arena *a, int64_t action_id, int64_t except,
                            int64_t **out, size_t *n);

extern const app_feature act_feature;
/* act_demo.c: the action points with holders, milestones, updates, an open offer. */
int act_demo(store *s, char *err, size_t errlen);
/* act_late.c: the watcher that tells holders about late milestones. */
int  act_late_start(app *ap, char *err, size_t errlen);
void act_late_stop(app *ap);

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

/* ---- data and labels (act_data.c) ----
 * The API's resources, built from the store's rows: codes, dates and
 * numbers, no labels and no people's names. Pages add labels with the
 * *_view functions. */
extern const char *const act_statuses[];      /* the status codes, NULL-terminated */
extern const char *const act_status_labels[]; /* their msgids */
extern const char *const act_ogp_codes[];     /* the OGP value codes, NULL-terminated */
extern const char *const act_ogp_labels[];
const char *act_status_label(const char *status);
const char *act_role_label(const char *role);
bool        act_has_code(const char *codes, const char *code);
json_t *act_summary_data(const act_point *p, int late_milestones, const act_holder *hs, size_t nh);
json_t *act_holder_data(const act_holder *h);
json_t *act_milestone_data(const act_milestone *m, int today);
json_t *act_update_data(const act_update *u);
json_t *act_link_data(const act_link *l);
json_t *act_version_data(const act_version *v);
/* The whole action point. */
json_t *act_point_data(const act_point *p, int today, const act_holder *hs, size_t nh,
                       const act_milestone *ms, size_t nm, const act_update *us, size_t nu,
                       const act_link *ls, size_t nl, const act_version *vs, size_t nv);
/* Labels and page-only fields added in place to what the builders made. */
void act_summary_view(app_req *q, json_t *o);
void act_milestone_view(app_req *q, json_t *o);
void act_update_view(app_req *q, json_t *o, const act_update *u);
void act_history_view(app_req *q, json_t *o, const act_version *v);
/* The OGP values as options/checkboxes; codes in a comma-separated list. */
json_t *act_ogp_json(app_req *q, const char *codes, bool all);
json_t *act_status_options(app_req *q, const char *selected);
/* Late milestones of one action point among ms. */
int act_late_count(const act_milestone *ms, size_t n, int64_t action_id, int today);

/* ---- public pages (act_pages.c) ---- */
void act_plan(app_req *q);       /* /actions, /api/v1/action-points */
void act_state(app_req *q);      /* /actions/state, /api/v1/action-points/state */
void act_document(app_req *q);   /* /actions/document */
void act_show(app_req *q);       /* /actions/{id}, /api/v1/action-points/{id} */
/* The signed-in person's adoption offers and the ones waiting for them to
 * confirm, for the account page; a new object, or NULL when out of memory. */
json_t *act_account_offers(app_req *q);

/* ---- exports (act_export.c): streamed from the job pool ---- */
void act_csv_points(app_req *q);
void act_csv_milestones(app_req *q);
void act_xlsx_points(app_req *q);

/* ---- shared by the handlers ---- */
bool act_is_organiser(app_req *q);
/* The action point page (tpl "act_show") or the organiser's edit page
 * (tpl "act_edit") of action point id, with the posted form (q->form)
 * re-shown where it belongs when it failed. */
void act_render(app_req *q, int status, int64_t id, const char *tpl);
/* May the signed-in person work on (milestones, updates) this action point?
 * Holders' contact persons and organisers; nobody on an archived one, only
 * organisers on a draft. */
bool act_can_work(app_req *q, const act_point *p);
/* Adds the organiser's forms to the edit page model (act_edit.c). */
int act_edit_extras(app_req *q, json_t *m, const act_point *p);
/* Adds the holder's forms to the action point page model (act_work.c). */
void act_work_forms(app_req *q, json_t *m, json_t *point, const act_point *p, int today);
/* Loads the action point named by {id} that the person may see (drafts:
 * organisers only); answers 404 itself. */
bool act_load(app_req *q, act_point *p);
/* Redirects to /actions/{id}<where> with flash message `flash`. */
void act_back(app_req *q, int64_t id, const char *where, const char *flash);

/* ---- forms and handlers ---- */
extern const form_def act_point_new_form, act_point_form, act_status_form, act_holder_form,
	act_link_form, act_milestone_new_form, act_milestone_form, act_update_form,
	act_adopt_form, act_accept_form, act_decline_form;
void act_new(app_req *q);
void act_edit(app_req *q);
void act_status(app_req *q);
void act_holder_add(app_req *q);
void act_holder_remove(app_req *q);
void act_link_add(app_req *q);
void act_link_remove(app_req *q);
void act_publish(app_req *q);
void act_archive(app_req *q);
void act_restore(app_req *q);
void act_delete(app_req *q);
void act_milestone_add(app_req *q);
void act_milestone_update(app_req *q);
void act_milestone_delete(app_req *q);
void act_update_add(app_req *q);
void act_adopt(app_req *q);
void act_offer_accept(app_req *q);
void act_offer_decline(app_req *q);
void act_offers_inbox(app_req *q);   /* /actions/offers */
void act_offer_confirm_page(app_req *q);  /* /actions/offers/{oid} */
void act_offer_confirm(app_req *q);
void act_offer_refuse(app_req *q);

#endif
