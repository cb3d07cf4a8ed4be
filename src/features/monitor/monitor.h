/* monitor.h — monitoring and accountability (monitor_*): the plan's global
 * criteria and the impact indicators under them on an action point, with
 * measurements, a line chart and whether they are on track; the OGP's
 * assessment of each action point in several voices; concerns that forum
 * members flag; the stakeholder forum (members, composition, cadence,
 * rules of procedure); the dashboard of all action points and the
 * end-of-term self-assessment report.
 *
 * monitor.c declares the feature (routes with their forms, the action
 * point page's section, flash messages, the checker's start and stop).
 * monitor_rules.c holds what needs no server (numbers, dates, on track,
 * due measurements, cadence, composition), checked by unit tests;
 * monitor_store*.c the SQL; monitor_data.c the API's data and the labels
 * pages add; monitor_indicators.c (criteria, indicators, measurements),
 * monitor_assess.c (assessments, reviews, reactions, concerns),
 * monitor_forum.c (the forum's pages and forms), monitor_pages.c (the
 * action point's section, the dashboard, the report) are the handlers;
 * monitor_due.c the thread that tells holders about missing measurements;
 * monitor_demo.c the demo's part.
 */
#ifndef OPENPLAN_MONITOR_H
#define OPENPLAN_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "../../app/app.h"
#include "../act/act.h"

/* ---- rules (monitor_rules.c) ---------------------------------------------------- */

enum { MONITOR_NUM_MAX = 24 };  /* room for a canonical number and its written form */

/* Reads a number as a person types it: an optional minus, digits, and at
 * most one decimal separator (a comma or a point) with digits after it;
 * no thousands separators, no spaces inside, no exponent. Writes the
 * canonical form into out ("12.5", "-3", "0": a point, no leading zeros,
 * no trailing decimal zeros). false when s is not such a number or has
 * more than 15 digits or more than 6 decimals. */
bool   monitor_number_parse(const char *s, char out[MONITOR_NUM_MAX]);
/* The value of a canonical number (0 for text that is not one). */
double monitor_number_value(const char *canonical);
/* A canonical number written for lang: "nl" uses a decimal comma and
 * groups thousands with points ("1.234,5"), "en" the other way round
 * ("1,234.5"). */
void   monitor_number_format(const char *canonical, const char *lang, char out[MONITOR_NUM_MAX]);

/* Days since 1970-01-01 of a date y*10000+m*100+d (proleptic Gregorian). */
int64_t monitor_days(int ymd);
/* The date `months` months after ymd, the day clamped to the month's
 * length (31 January + 1 month = 28 or 29 February). */
int     monitor_add_months(int ymd, int months);
/* Today as y*10000+m*100+d (UTC). OPENPLAN_MONITOR_TODAY=YYYY-MM-DD in the
 * environment pins it, for tests of dates that move. */
int     monitor_today(void);

/* How often an indicator is measured: a code and its months (0: unknown). */
extern const char *const monitor_frequencies[];       /* NULL-terminated */
extern const char *const monitor_frequency_labels[];
int monitor_frequency_months(const char *code);

/* The straight path from the baseline to the target that "on track" is
 * measured against. */
typedef struct monitor_path {
	bool   higher;       /* higher values are better */
	int    base_ymd;
	double base;
	int    target_ymd;
	double target;
} monitor_path;

typedef enum monitor_track {
	MONITOR_NOT_MEASURED = 0, /* no measurement yet */
	MONITOR_ON_TRACK,         /* at or beyond the path on the measurement's date */
	MONITOR_OFF_TRACK,        /* behind the path */
	MONITOR_ACHIEVED,         /* the target is reached */
} monitor_track;
extern const char *const monitor_track_codes[];       /* by monitor_track */
extern const char *const monitor_track_labels[];

/* The value the path expects on date ymd: the baseline before the
 * baseline date, the target from the target date on, in between on the
 * straight line. */
double        monitor_expected(const monitor_path *p, int ymd);
/* Where an indicator stands after its latest measurement (value on ymd):
 * achieved when the value reached the target in the better direction;
 * else on track when it is at or beyond the expected value of that date
 * (a measurement after the target date is measured against the target
 * itself); else off track. Not measured when !measured. */
monitor_track monitor_track_of(const monitor_path *p, bool measured, int ymd, double value);
/* The date the next measurement is due: `months` after the latest one
 * (the baseline date when there is none), but not after the target date;
 * 0 when the latest measurement is on or after the target date (the
 * measuring is done) or the dates are bad. A measurement is missing when
 * today is after that date. */
int           monitor_next_due(int last_ymd, int target_ymd, int months);

/* The forum's cadence: how far apart its meetings are. */
enum { MONITOR_OGP_MAX_DAYS = 184 };  /* "at least every six months": six months are at most 184 days */
typedef struct monitor_cadence {
	int  rule_days;     /* the longest gap the forum's own rule allows */
	bool no_meetings;   /* none held and none planned */
	bool none_planned;  /* no next meeting */
	int  gap_days;      /* from the last meeting (or today when none was held) to
	                     * the next one (or to today when none is planned) */
	bool rule_broken;   /* gap_days > rule_days */
	bool ogp_broken;    /* gap_days > MONITOR_OGP_MAX_DAYS */
} monitor_cadence;
/* last_day, next_day: day numbers (monitor_days) of the latest meeting
 * that started before today and the first one from today on, -1 when
 * there is none; per_year: the forum's own rule (2 to 12 meetings a
 * year). */
void monitor_cadence_of(int64_t last_day, int64_t next_day, int64_t today_day, int per_year,
                        monitor_cadence *out);

/* Is the forum's composition rule broken: fewer than min_pct percent of
 * the counted members from outside government? Never with no members. */
bool monitor_composition_broken(int government, int total, int min_pct);

/* Is a membership from..until (until "" = open) current on today? */
bool monitor_member_current(const char *from_on, const char *until_on, int today);

/* ---- the store (monitor_store.c: criteria, indicators, measurements) ------------ */

typedef struct monitor_criterion {
	int64_t     id, plan_id;
	int         position;
	const char *title, *explanation;
	int64_t     indicators;   /* how many indicators are under it */
} monitor_criterion;

typedef struct monitor_indicator {
	int64_t     id, action_id, criterion_id;
	const char *action_title, *criterion_title;
	const char *title, *unit, *direction;
	const char *baseline_value, *baseline_on, *baseline_source;
	const char *target_value, *target_on, *frequency;
	const char *due_told;
	int64_t     theme_id, updated_at;
	/* filled by lists: the latest measurement ("" when none) and the count */
	const char *last_value, *last_on;
	int64_t     measurements;
} monitor_indicator;

typedef struct monitor_measurement {
	int64_t     id, indicator_id;
	const char *value, *measured_on, *source_url, *note;
	const char *author_name;  /* "" when unknown (pages only) */
	int64_t     created_at;
	const char *indicator_title; /* filled by monitor_store_person only */
} monitor_measurement;

store_rc monitor_store_criteria(store *s, arena *a, int64_t plan_id, monitor_criterion **out,
                                size_t *n);
store_rc monitor_store_criterion_get(store *s, arena *a, int64_t id, monitor_criterion *out);
store_rc monitor_store_criterion_add(store *s, int64_t plan_id, const char *title,
                                     const char *explanation, int64_t *id_out);
store_rc monitor_store_criterion_update(store *s, int64_t plan_id, int64_t id, const char *title,
                                        const char *explanation);
/* STORE_INVALID when indicators still use it. */
store_rc monitor_store_criterion_delete(store *s, int64_t plan_id, int64_t id);

/* Indicators of one action point (action_id > 0), or of every published,
 * not archived action point of the plan (action_id 0), each with its
 * latest measurement and count; by action point, then id. */
store_rc monitor_store_indicators(store *s, arena *a, int64_t action_id, int64_t plan_id,
                                  monitor_indicator **out, size_t *n);
store_rc monitor_store_indicator_get(store *s, arena *a, int64_t id, monitor_indicator *out);
/* Creates an indicator; STORE_INVALID when the criterion is not of the
 * action point's plan. */
store_rc monitor_store_indicator_add(store *s, const monitor_indicator *x, int64_t user_id,
                                     int64_t *id_out);
/* Changes an indicator (x->id of x->action_id). In one transaction and
 * against concurrent measurements: STORE_CONFLICT when the unit changes
 * while measurements exist, STORE_INVALID when a measurement is dated
 * before the new baseline date or the criterion is not of the plan,
 * STORE_NOTFOUND when it is not there. */
store_rc monitor_store_indicator_update(store *s, const monitor_indicator *x);
store_rc monitor_store_indicator_delete(store *s, int64_t action_id, int64_t id);

/* Measurements of one indicator, oldest first (indicator_id > 0), or of
 * every indicator of one action point (indicator_id 0). */
store_rc monitor_store_measurements(store *s, arena *a, int64_t indicator_id, int64_t action_id,
                                    monitor_measurement **out, size_t *n);
/* Adds a measurement; STORE_INVALID when it is dated before the
 * indicator's baseline date (checked again in the transaction),
 * STORE_CONFLICT when the indicator has one on that date. */
store_rc monitor_store_measurement_add(store *s, const monitor_measurement *m, int64_t user_id,
                                       int64_t *id_out);
store_rc monitor_store_measurement_delete(store *s, int64_t indicator_id, int64_t id);

/* Tells the holders' contact persons of every published, not archived
 * action point about each indicator whose next measurement is overdue on
 * `today` and was not yet told for that due date: one event each, in its
 * own transaction with the mark, so several nodes never tell twice.
 * *told (may be NULL) gets the number told. */
store_rc monitor_store_tell_due(store *s, int today, int *told);
/* Marks every overdue measurement as told, without telling (the demo). */
store_rc monitor_store_due_told(store *s, int today);

/* ---- the store (monitor_store_assess.c: assessments, reviews, concerns) ---------- */

extern const char *const monitor_voices[];  /* holder, forum, organiser, irm */

typedef struct monitor_assessment {
	int64_t     action_id;
	const char *action_title;
	const char *voice;          /* holder, forum, organiser, irm */
	int64_t     review_id;      /* forum: the review's id */
	int64_t     reviewer_id;    /* forum: the member (0: an erased account) */
	const char *reviewer_name;  /* forum: "" when erased (pages only) */
	int64_t     org_id;         /* forum: the member's organisation (0: none) */
	const char *org_name;
	const char *verifiable, *lens, *ogp_values, *potential, *design_note;
	const char *completion, *opened, *end_note;
	int64_t     updated_at;
	bool        quiet;          /* writing: tell nobody (the demo's history) */
} monitor_assessment;

typedef struct monitor_reaction {
	int64_t     action_id;
	const char *body;
	int64_t     updated_at;
} monitor_reaction;

typedef struct monitor_concern {
	int64_t     id, action_id;
	const char *action_title;
	int64_t     author_id;
	const char *author_name;    /* pages only */
	int64_t     org_id;
	const char *org_name;
	const char *body, *status, *answer, *close_note;
	int64_t     answered_at, closed_at, created_at;
	bool        quiet;          /* adding: tell nobody (the demo's history) */
} monitor_concern;

/* Every assessment of one action point (action_id > 0), or of every
 * published, not archived action point of the plan (action_id 0): the
 * holder's, organiser's and reviewer's rows and the forum members'
 * reviews, by action point. */
store_rc monitor_store_assessments(store *s, arena *a, int64_t action_id, int64_t plan_id,
                                   monitor_assessment **out, size_t *n);
/* Writes the holder's, organiser's or reviewer's assessment (voice), or a
 * forum member's own review (voice "forum": reviewer_id, org_id), in one
 * statement (insert or update). The IRM's finding tells the holders. */
store_rc monitor_store_assessment_set(store *s, const monitor_assessment *x, int64_t user_id);
store_rc monitor_store_reactions(store *s, arena *a, int64_t action_id, int64_t plan_id,
                                 monitor_reaction **out, size_t *n);
store_rc monitor_store_reaction_set(store *s, int64_t action_id, const char *body,
                                    int64_t user_id);

/* Concerns of one action point (action_id > 0, newest first), or every
 * not closed concern of the plan's published action points (action_id 0,
 * oldest first). */
store_rc monitor_store_concerns(store *s, arena *a, int64_t action_id, int64_t plan_id,
                                monitor_concern **out, size_t *n);
store_rc monitor_store_concern_get(store *s, arena *a, int64_t id, monitor_concern *out);
/* Flags a concern and tells the holders' contact persons and the
 * organisers, in one transaction. */
store_rc monitor_store_concern_add(store *s, const monitor_concern *c, int64_t *id_out);
/* A holder answers (again, while it is not closed): STORE_INVALID when it
 * is closed. Tells the member who flagged it, unless quiet. */
store_rc monitor_store_concern_answer(store *s, int64_t action_id, int64_t id,
                                      const char *answer, int64_t user_id, bool quiet);
/* An organiser closes it: STORE_INVALID when it is closed already. Tells
 * the member and the holders. */
store_rc monitor_store_concern_close(store *s, int64_t action_id, int64_t id, const char *note,
                                     int64_t user_id);

/* ---- the store (monitor_store_forum.c: the forum) ------------------------------------ */

typedef struct monitor_forum {
	int64_t plan_id;
	int     min_nongov;         /* percent */
	int     per_year;           /* meetings a year by its own rule */
} monitor_forum;

typedef struct monitor_member {
	int64_t     id, plan_id, user_id;
	const char *name;           /* the person's name (pages only) */
	int64_t     org_id;
	const char *org_name, *sector;
	const char *role, *from_on, *until_on;
} monitor_member;

typedef struct monitor_rules {
	int64_t     id;
	int         version;
	const char *body, *note;
	int64_t     published_at;
} monitor_rules;

/* A meeting of the forum: a session of kind "forum" (agenda). */
typedef struct monitor_meeting {
	int64_t     id;
	const char *title;
	int64_t     starts_at, ends_at;
	bool        cancelled;
	bool        has_report;
} monitor_meeting;

/* The forum's settings (the defaults when none are stored). */
store_rc monitor_store_forum(store *s, int64_t plan_id, monitor_forum *out);
store_rc monitor_store_forum_set(store *s, int64_t plan_id, int min_nongov, int per_year);
/* Members of the plan's forum, by role (chair first), name. */
store_rc monitor_store_members(store *s, arena *a, int64_t plan_id, monitor_member **out,
                               size_t *n);
store_rc monitor_store_member_get(store *s, arena *a, int64_t id, monitor_member *out);
/* Adds or changes (x->id > 0) a membership. STORE_CONFLICT when the
 * person's membership overlaps another of theirs in time. */
store_rc monitor_store_member_save(store *s, const monitor_member *x, int64_t *id_out);
store_rc monitor_store_member_delete(store *s, int64_t plan_id, int64_t id);
/* Is user a member of the plan's forum on `today` (any role)? *org_id
 * (may be NULL) gets the organisation they are a member for. */
bool     monitor_store_is_member(store *s, int64_t plan_id, int64_t user_id, int today,
                                 int64_t *org_id);
/* The rules of procedure, newest first (bodies included). */
store_rc monitor_store_rules(store *s, arena *a, int64_t plan_id, monitor_rules **out,
                             size_t *n);
/* Publishes a new version (its number is the next one). */
store_rc monitor_store_rules_publish(store *s, int64_t plan_id, const char *body,
                                     const char *note, int64_t user_id, int *version_out);
/* The forum's meetings: the agenda's sessions of kind "forum" that are
 * published or cancelled, by start. */
store_rc monitor_store_meetings(store *s, arena *a, int64_t plan_id, monitor_meeting **out,
                                size_t *n);

/* ---- a person's own data (monitor_store_person.c) ---------------------------------- */

/* Everything monitoring keeps about one person: their forum memberships,
 * the measurements they recorded, their reviews as a forum member, and the
 * concerns they flagged or answered. */
typedef struct monitor_person {
	monitor_member      *members;
	size_t               nmembers;
	monitor_measurement *measurements;
	size_t               nmeasurements;
	monitor_assessment  *reviews;
	size_t               nreviews;
	monitor_concern     *concerns;
	size_t               nconcerns;
} monitor_person;
store_rc monitor_store_person(store *s, arena *a, int64_t user_id, monitor_person *out);

/* ---- data and labels (monitor_data.c) ------------------------------------------------ */

extern const char *const monitor_directions[];
extern const char *const monitor_direction_labels[];
extern const char *const monitor_yes_no[];
extern const char *const monitor_yes_no_labels[];
extern const char *const monitor_potentials[];
extern const char *const monitor_potential_labels[];
extern const char *const monitor_completions[];
extern const char *const monitor_completion_labels[];
extern const char *const monitor_openings[];
extern const char *const monitor_opening_labels[];
extern const char *const monitor_voice_labels[];
extern const char *const monitor_member_roles[];
extern const char *const monitor_member_role_labels[];
extern const char *const monitor_concern_statuses[];
extern const char *const monitor_concern_status_labels[];
/* The label of code among codes (the same order as labels); code itself
 * when it is not there. */
const char *monitor_label(const char *const *codes, const char *const *labels, const char *code);

/* Where an indicator stands on `today`: its path, its track, and the due
 * date of the next measurement (0: none due any more). */
typedef struct monitor_state {
	monitor_path  path;
	monitor_track track;
	double        expected;  /* on the latest measurement's date */
	int           next_due;
	bool          overdue;
} monitor_state;
void monitor_state_of(const monitor_indicator *x, int today, monitor_state *out);

json_t *monitor_criterion_data(const monitor_criterion *c);
/* An indicator with its state; measurements (may be NULL) adds them. */
json_t *monitor_indicator_data(const monitor_indicator *x, const monitor_state *st,
                               const monitor_measurement *ms, size_t nm);
json_t *monitor_assessment_data(const monitor_assessment *x);
json_t *monitor_concern_data(const monitor_concern *c);
json_t *monitor_member_data(const monitor_member *m, int today);

/* The page's labels added in place (dates written out, numbers in the
 * visitor's language, the chart). */
void monitor_indicator_view(app_req *q, json_t *o, const monitor_indicator *x,
                            const monitor_state *st, const monitor_measurement *ms, size_t nm);
/* What a list of indicators shows (the dashboard, the report): where it
 * stands and its numbers, without dates written out or the chart. */
void monitor_indicator_brief(app_req *q, json_t *o, const monitor_indicator *x,
                             const monitor_state *st);
void monitor_assessment_view(app_req *q, json_t *o, const monitor_assessment *x);
void monitor_concern_view(app_req *q, json_t *o, const monitor_concern *c);
/* A number for the page: canonical text written in the visitor's language. */
const char *monitor_num(app_req *q, const char *canonical);
/* A bar chart with its table rows: labels (msgids when translate) and
 * counts, as {"svg":…, "rows":[{label, count}]}. */
json_t *monitor_bars(app_req *q, const char *id, const char *title, const char *const *labels,
                     bool translate, const int64_t *counts, size_t n);
/* Makes field `field` of a form view (form_view) a select of the shared
 * field partial with these options ({value, label}; integer values are
 * written out), the field's value selected. Steals options. */
void monitor_field_options(json_t *form, const char *field, json_t *options);

/* ---- handlers and what they share ------------------------------------------------------ */

/* The signed-in person's rights on an action point. */
typedef struct monitor_rights {
	bool organiser;   /* organisers and admins */
	bool holder;      /* the contact person of one of its holders */
	bool member;      /* a current member of the plan's forum */
	int64_t member_org;
	bool open;        /* published and not archived: work may be done on it */
} monitor_rights;
void monitor_rights_of(app_req *q, const act_point *p, monitor_rights *r);
bool monitor_is_organiser(app_req *q);

/* Loads the action point of {id} that the person may see, answering 404
 * itself; with `work`, also refuses (409) an archived one. */
bool monitor_load_point(app_req *q, act_point *p, bool work);
/* The action point's page again (422) with the failed form at its place. */
void monitor_point_reshow(app_req *q);
/* Back to the action point's page, at `where`, with a flash message. */
void monitor_back(app_req *q, int64_t id, const char *where, const char *flash);
/* Answers a store result: redirect with flash, or the error page. */
void monitor_done(app_req *q, int64_t id, store_rc rc, const char *where, const char *flash);
/* The main plan, or the error answered. */
bool monitor_load_plan(app_req *q, plan *pl);

extern const form_def monitor_criterion_new_form, monitor_criterion_form,
	monitor_indicator_new_form, monitor_indicator_form, monitor_measurement_form,
	monitor_assessment_form, monitor_review_form, monitor_reaction_form, monitor_concern_form,
	monitor_answer_form, monitor_close_form, monitor_member_new_form, monitor_member_form,
	monitor_settings_form, monitor_rules_form;

/* monitor_indicators.c */
void monitor_criteria_page(app_req *q);     /* /monitor/criteria (organisers) */
void monitor_criterion_add(app_req *q);
void monitor_criterion_update(app_req *q);
void monitor_criterion_delete(app_req *q);
void monitor_indicator_add(app_req *q);
void monitor_indicator_update(app_req *q);
void monitor_indicator_delete(app_req *q);
void monitor_measurement_add(app_req *q);
void monitor_measurement_delete(app_req *q);
/* The forms of the indicators' part of the action point's section. */
void monitor_indicator_forms(app_req *q, json_t *sec, const act_point *p, json_t *indicators,
                             const monitor_criterion *cs, size_t nc);

/* monitor_assess.c */
void monitor_assessment_save(app_req *q);   /* /actions/{id}/assessments/{voice} */
void monitor_review_save(app_req *q);       /* /actions/{id}/review */
void monitor_reaction_save(app_req *q);
void monitor_concern_add(app_req *q);
void monitor_concern_answer(app_req *q);
void monitor_concern_close(app_req *q);
void monitor_assess_forms(app_req *q, json_t *sec, const act_point *p, const monitor_rights *r,
                          const monitor_assessment *as, size_t na, const char *reaction,
                          json_t *concerns);

/* monitor_forum.c */
void monitor_forum_page(app_req *q);        /* /forum, /api/v1/forum */
void monitor_forum_edit(app_req *q);        /* /forum/edit */
void monitor_rules_page(app_req *q);        /* /forum/rules, /api/v1/forum/rules */
void monitor_member_add(app_req *q);
void monitor_member_update(app_req *q);
void monitor_member_delete(app_req *q);
void monitor_settings_save(app_req *q);
void monitor_rules_publish(app_req *q);

/* monitor_pages.c */
json_t *monitor_action_section(app_req *q, int64_t action_id);
void monitor_point_api(app_req *q);         /* /api/v1/action-points/{id}/monitoring */
void monitor_dashboard(app_req *q);         /* /monitor, /api/v1/monitor */
void monitor_report(app_req *q);            /* /monitor/report, /api/v1/monitor/report */
json_t *monitor_plan_section(app_req *q, int64_t plan_id);
/* The "mydata" section: what monitoring keeps about the person user_id. */
json_t *monitor_mydata(app_req *q, int64_t user_id);

/* monitor_due.c: the thread that tells holders about missing measurements. */
int  monitor_due_start(app *ap, char *err, size_t errlen);
void monitor_due_stop(app *ap);

/* monitor_demo.c */
int monitor_demo(store *s, char *err, size_t errlen);

extern const app_feature monitor_feature;

#endif
