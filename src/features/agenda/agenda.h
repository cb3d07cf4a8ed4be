/* agenda.h — sessions and the agenda (agenda_*): agenda.c declares the
 * feature (routes with their forms, sections on other pages, the board
 * hub's start and stop); agenda_time.c and agenda_rules.c hold the pure
 * logic (Europe/Amsterdam times, registration decisions, waitlist order,
 * ranking) that unit tests check without a server; agenda_store*.c the
 * SQL; agenda_pages.c the public agenda, a session's page and the
 * sections; agenda_edit.c the organiser's forms (session, report,
 * moderation, attendance, CSV); agenda_reg.c registering and cancelling;
 * agenda_board.c and agenda_live.c the idea board and its live screens;
 * agenda_table.c the table conversation; agenda_ical.c the calendar
 * files; agenda_demo.c the demo's sessions.
 */
#ifndef OPENPLAN_AGENDA_H
#define OPENPLAN_AGENDA_H

#include <stdbool.h>
#include <stdint.h>

#include "../../app/app.h"

/* ---- times (agenda_time.c) ----------------------------------------------------
 * Times are stored as UTC seconds and entered and shown in Europe/Amsterdam
 * (CET, UTC+1; CEST, UTC+2 from the last Sunday of March 01:00 UTC to the
 * last Sunday of October 01:00 UTC: the EU rule, in force since 1996). */
typedef struct agenda_local {
	int y, m, d, hh, mm, ss;
	int offset;   /* seconds east of UTC: 3600 or 7200 */
} agenda_local;

/* The local time in Amsterdam at UTC seconds t. */
void agenda_to_local(int64_t t, agenda_local *out);
/* The UTC seconds of a local Amsterdam wall-clock time. Returns 0 and sets
 * *out; -1 when the date or time does not exist (Feb 30, 25:00) and -2 when
 * the clock skips it (the spring-forward hour, 02:00–02:59 on the last
 * Sunday of March). In the autumn hour that happens twice the first one
 * (summer time) is taken. */
int  agenda_from_local(int y, int m, int d, int hh, int mm, int64_t *out);
/* "2020-10-14" and "14:00" (or "14:00:00") into UTC seconds; the same
 * codes as agenda_from_local, -1 also for text that is not a date or time. */
int  agenda_parse_local(const char *date, const char *time, int64_t *out);
/* Writes "YYYY-MM-DD" / "HH:MM" of t in Amsterdam into buffers of 11 / 6. */
void agenda_local_date(int64_t t, char out[11]);
void agenda_local_time(int64_t t, char out[6]);
/* ISO 8601 with the offset: "2020-10-14T14:00:00+02:00". */
void agenda_iso(int64_t t, char out[26]);

/* ---- rules (agenda_rules.c) --------------------------------------------------- */
/* What a person's attempt to register meets, in the order checked. */
typedef enum agenda_reg_verdict {
	AGENDA_REG_REGISTER,     /* a place */
	AGENDA_REG_WAITLIST,     /* full: on the waitlist */
	AGENDA_REG_FULL,         /* full and no waitlist */
	AGENDA_REG_NOT_YET,      /* before the registration window */
	AGENDA_REG_CLOSED,       /* after the registration window */
	AGENDA_REG_STARTED,      /* the session has started (or is past) */
	AGENDA_REG_UNAVAILABLE,  /* not published (draft, cancelled, submitted) */
} agenda_reg_verdict;

typedef struct agenda_reg_facts {
	const char *status;      /* the session's status */
	int64_t     now, starts_at, opens_at, closes_at; /* 0: no bound */
	int64_t     capacity;    /* 0: no limit */
	int64_t     registered;  /* places taken */
	bool        waitlist;
} agenda_reg_facts;

agenda_reg_verdict agenda_reg_decide(const agenda_reg_facts *f);
/* How many waitlisted people move up when `free` places open: the first
 * `free` in arrival order (at most `waiting`). Capacity 0 moves everyone. */
int64_t agenda_promotions(int64_t capacity, int64_t registered, int64_t waiting);
/* May a person cancel at time now? (Not from the start on.) */
bool    agenda_can_cancel(int64_t now, int64_t starts_at);
/* The 1-based place on the waitlist of the entry with arrival stamp seq
 * among the waiting stamps (any order); 0 when not among them. */
int64_t agenda_waitlist_place(const int64_t *waiting, size_t n, int64_t seq);

/* A ranked entry of a board: a note with the notes grouped under it. */
typedef struct agenda_rank_in {
	int64_t id, group_id, votes, created;  /* created: for ties (older first) */
} agenda_rank_in;
/* Orders the top-level notes (group_id 0, or a group_id not among them)
 * by the votes of the note and its group together, most first, ties by
 * age; writes their indexes into order and the totals into totals.
 * Returns how many were written. */
size_t agenda_rank(const agenda_rank_in *in, size_t n, size_t *order, int64_t *totals);

bool agenda_kind_valid(const char *kind);
bool agenda_mode_valid(const char *mode);
/* Does the session meet the agenda's filter? mode_filter: "", "online"
 * (online or both) or "physical" (physical or both). */
bool agenda_mode_matches(const char *mode, const char *mode_filter);
/* A meeting link: https:// or http:// with a host. */
bool agenda_url_ok(const char *url);
/* Appends one CSV field (RFC 4180; a leading = + - @ gets a '). */
void agenda_csv_field(sb *out, const char *s);

/* ---- the store (agenda_store.c, agenda_store_board.c) ----------------------- */
typedef struct agenda_ref {
	int64_t     id;
	const char *name;
} agenda_ref;

typedef struct agenda_session {
	int64_t     id, plan_id;
	const char *kind, *title, *description;
	int64_t     starts_at, ends_at;
	const char *mode, *meeting_url, *address;
	int64_t     capacity;
	bool        waitlist;
	int64_t     opens_at, closes_at;
	bool        attendees_public;
	const char *status, *organiser_name, *reject_reason;
	int64_t     submitted_by, created_by;
	int64_t     sequence, registered, waiting;
	const char *report;
	bool        report_published, report_board;
	int64_t     report_at, created_at, updated_at;
	bool        has_board;
	/* filled by agenda_store_get (and lists, for themes) */
	agenda_ref *themes;
	size_t      nthemes;
	agenda_ref *actions;
	size_t      nactions;
	agenda_ref *polls;
	size_t      npolls;
} agenda_session;

typedef struct agenda_filter {
	int64_t     theme_id;     /* 0: any */
	int64_t     action_id;    /* 0: any */
	const char *kind;         /* NULL or "": any */
	const char *mode;         /* "", "online", "physical" */
	int         when;         /* 0 every, 1 upcoming (not ended), -1 past (ended) */
	int64_t     now;
	const char *status;       /* "published" for the public agenda; NULL: any */
	bool        with_report;  /* only sessions with a published report */
	bool        include_cancelled; /* with status "published": cancelled ones too */
	int         limit;        /* 0: no limit */
} agenda_filter;

/* Create: *id_out gets the new session's id. The session's themes and
 * action points are written with it (theme_ids/action_ids). */
store_rc agenda_store_create(store *s, const agenda_session *x, const int64_t *theme_ids,
                             size_t nthemes, const int64_t *action_ids, size_t nactions,
                             int64_t *id_out);
/* Update every field an organiser edits, and the links; raises SEQUENCE.
 * STORE_INVALID when the capacity is below the places taken (nothing
 * written). Lowering nothing else; raising the capacity promotes from the
 * waitlist (with a notification each) in the same transaction. */
store_rc agenda_store_update(store *s, const agenda_session *x, const int64_t *theme_ids,
                             size_t nthemes, const int64_t *action_ids, size_t nactions,
                             int64_t actor_id);
store_rc agenda_store_get(store *s, arena *a, int64_t id, agenda_session *out);
/* Sessions by the filter, by start (upcoming: soonest first; past: most
 * recent first), with their themes, action points and poll reports. */
store_rc agenda_store_list(store *s, arena *a, const agenda_filter *f, agenda_session **out,
                           size_t *n);
/* status: published, cancelled (raises SEQUENCE, tells the registered),
 * rejected (with reason; tells the submitter), draft. */
store_rc agenda_store_set_status(store *s, int64_t id, const char *status, const char *reason,
                                 int64_t actor_id);
store_rc agenda_store_report_save(store *s, int64_t id, const char *report, bool published,
                                  bool board);
store_rc agenda_store_poll_attach(store *s, int64_t id, int64_t poll_id, bool attach);
/* Submitted events of one person (user_id > 0) or all waiting ones. */
store_rc agenda_store_submissions(store *s, arena *a, int64_t user_id, agenda_session **out,
                                  size_t *n);

typedef struct agenda_reg {
	int64_t     id, session_id, user_id;
	const char *status;       /* registered, waitlist, cancelled */
	int64_t     seq, place;   /* place: 1-based on the waitlist, 0 otherwise */
	bool        show_name;
	int         attended;     /* -1 not marked, 0 absent, 1 present */
	const char *name, *email; /* the person (organisers' views only) */
	const char *session_title;
	int64_t     session_starts;
	int64_t     created_at;
} agenda_reg;

/* Registers user for session in one transaction, under the session's row
 * lock: a place when one is free, else the waitlist (when the session has
 * one). Idempotent: an existing registration or waitlist entry is kept
 * (*verdict says which; show_name is updated). The checks of
 * agenda_reg_decide run inside the lock on fresh counts; *verdict tells
 * the outcome, and STORE_CONFLICT comes back for the refusals. */
store_rc agenda_store_register(store *s, int64_t session_id, int64_t user_id, bool show_name,
                               int64_t now, agenda_reg_verdict *verdict);
/* Cancels user's registration or waitlist entry; a freed place goes to the
 * first on the waitlist, who is told (agenda.seat) in the same
 * transaction. STORE_NOTFOUND when there was none; STORE_CONFLICT when the
 * session has started. *promoted (may be NULL) gets who moved up (0). */
store_rc agenda_store_cancel(store *s, int64_t session_id, int64_t user_id, int64_t now,
                             int64_t *promoted);
/* One person's registration for a session; STORE_NOTFOUND when none. */
store_rc agenda_store_reg_get(store *s, arena *a, int64_t session_id, int64_t user_id,
                              agenda_reg *out);
/* Every registration of a session (registered by arrival, then the
 * waitlist in order, then cancelled), with names and e-mail addresses. */
store_rc agenda_store_regs(store *s, arena *a, int64_t session_id, agenda_reg **out, size_t *n);
/* A person's registrations (upcoming and past), soonest first. */
store_rc agenda_store_user_regs(store *s, arena *a, int64_t user_id, agenda_reg **out,
                                size_t *n);
store_rc agenda_store_attendance(store *s, int64_t session_id, int64_t reg_id, int attended);

/* ---- board ---- */
typedef struct agenda_column {
	int64_t     id;
	int         position;
	const char *name;
} agenda_column;

typedef struct agenda_note {
	int64_t     id, column_id, group_id, theme_id, author_id, votes, version, created_at;
	const char *body, *theme_name, *author_name;
	bool        hidden;
} agenda_note;

typedef struct agenda_board {
	int64_t        id, session_id, dots, version;
	bool           open;
	agenda_column *columns;
	size_t         ncolumns;
	agenda_note   *notes;     /* visible notes, or (since > 0) changed ones incl. hidden */
	size_t         nnotes;
} agenda_board;

/* Creates a session's board with dots per participant and columns. */
store_rc agenda_store_board_create(store *s, int64_t session_id, int64_t dots,
                                   const char *const *columns, size_t ncolumns, int64_t *id_out);
/* The board of a session: columns and the notes changed after version
 * `since` (0: every visible note). STORE_NOTFOUND without a board. */
store_rc agenda_store_board(store *s, arena *a, int64_t session_id, int64_t since,
                            agenda_board *out);
store_rc agenda_store_board_settings(store *s, int64_t board_id, int64_t dots, bool open);
store_rc agenda_store_column_add(store *s, int64_t board_id, const char *name, int64_t *id_out);
store_rc agenda_store_column_rename(store *s, int64_t board_id, int64_t column_id,
                                    const char *name);
/* Adds a note; STORE_INVALID when the column is not on this board. */
store_rc agenda_store_note_add(store *s, int64_t board_id, int64_t column_id, const char *body,
                               int64_t theme_id, int64_t author_id, int64_t *id_out);
/* Moves a note to a column and group (0: none); STORE_INVALID when the
 * column or the group's note is not on this board or the group is the
 * note itself; STORE_NOTFOUND when the note is not on this board. */
store_rc agenda_store_note_move(store *s, int64_t board_id, int64_t note_id, int64_t column_id,
                                int64_t group_id);
store_rc agenda_store_note_hide(store *s, int64_t board_id, int64_t note_id);
/* Adds (delta 1) or takes back (delta -1) one dot of user on a note, in
 * one transaction under the board's row lock. STORE_CONFLICT when the
 * budget is spent (or no dot to take back); STORE_NOTFOUND when the note
 * is not on this board. *left gets the dots the person has left. */
store_rc agenda_store_vote(store *s, int64_t board_id, int64_t note_id, int64_t user_id,
                           int delta, int64_t *left);
/* Dots a person has used on a board, and per note (note ids and counts). */
store_rc agenda_store_my_dots(store *s, arena *a, int64_t board_id, int64_t user_id,
                              int64_t *used, int64_t **note_ids, int64_t **counts, size_t *n);
/* Streams every visible note with author names (exports). */
store_rc agenda_store_board_export(store *s, arena *a, int64_t board_id,
                                   store_rc (*row)(const agenda_note *n, void *ctx), void *ctx);

/* ---- table conversation ---- */
typedef struct agenda_person {
	int64_t     id;
	const char *name, *organisation;
	bool        consent;
} agenda_person;

typedef struct agenda_task {
	int64_t     id, session_id;
	int         position;
	const char *title, *minimal, *maximal, *involve, *needs;
	int64_t     lead_org_id, action_id;
	const char *lead_name, *action_title;
	bool        action_public;  /* the action point is published (not a draft) */
} agenda_task;

store_rc agenda_store_people(store *s, arena *a, int64_t session_id, agenda_person **out,
                             size_t *n);
store_rc agenda_store_person_add(store *s, int64_t session_id, const char *name,
                                 const char *org_name, bool consent, int64_t *id_out);
store_rc agenda_store_person_delete(store *s, int64_t session_id, int64_t id);
store_rc agenda_store_tasks(store *s, arena *a, int64_t session_id, agenda_task **out,
                            size_t *n);
store_rc agenda_store_task_get(store *s, arena *a, int64_t session_id, int64_t id,
                               agenda_task *out);
store_rc agenda_store_task_save(store *s, const agenda_task *t, int64_t *id_out);
store_rc agenda_store_task_move(store *s, int64_t session_id, int64_t id, int dir);
/* Creates a draft action point from the task (title, variants, needs, the
 * lead as holder) and links both ways, in one transaction. STORE_CONFLICT
 * when the task already has one. */
store_rc agenda_store_task_action(store *s, int64_t session_id, int64_t task_id,
                                  int64_t theme_id, int64_t user_id, int64_t *action_id);
/* Tasks that became an action point (for the action point's page). */
store_rc agenda_store_action_tasks(store *s, arena *a, int64_t action_id, agenda_task **out,
                                   size_t *n);

extern const app_feature agenda_feature;

/* ---- shared by the handlers (agenda_pages.c) ---- */
enum {
	AGENDA_NOTE_MAX = 280,     /* characters in a note */
	AGENDA_DOTS_MAX = 50,
	AGENDA_COLUMNS_MAX = 12,
};
const char *agenda_kind_label(const char *kind);
const char *agenda_mode_label(const char *mode);
const char *agenda_status_label(const char *status);
/* Loads the session named by {id}; answers 404 itself (also for a draft,
 * submitted or rejected session that the visitor may not see). */
bool agenda_load(app_req *q, agenda_session *x);
/* The answer when the request ran out of memory: 503, "too busy, try
 * again" (the page or JSON error; see app.c's answer_busy). */
void agenda_busy(app_req *q);
bool agenda_is_organiser(app_req *q);
/* The session as data (the API's "Session"): codes, ISO times. */
json_t *agenda_session_data(app_req *q, const agenda_session *x);
/* The same with what a page shows (labels, times written out). */
json_t *agenda_session_view(app_req *q, const agenda_session *x);
/* "dinsdag 1 december 2020, 14:00–16:00" in the visitor's language. */
const char *agenda_when_label(app_req *q, int64_t starts, int64_t ends);
/* Redirects to /sessions/{id}<where> with a flash message. */
void agenda_back(app_req *q, int64_t id, const char *where, const char *flash);
/* Ids posted under one name (checkboxes); false when one is not an id. */
bool agenda_form_ids(app_req *q, const char *name, int64_t **out, size_t *n);

/* ---- forms (agenda.c) ---- */
extern const form_def agenda_session_form, agenda_new_form, agenda_submit_form,
	agenda_reject_form, agenda_report_form, agenda_poll_form, agenda_register_form,
	agenda_attendance_form, agenda_board_form, agenda_settings_form, agenda_column_form,
	agenda_column_edit_form, agenda_note_form, agenda_move_form, agenda_vote_form,
	agenda_person_form, agenda_task_form, agenda_task_edit_form, agenda_direction_form,
	agenda_task_action_form;

/* ---- handlers ---- */
void agenda_list(app_req *q);          /* /agenda, /api/v1/sessions */
void agenda_theme(app_req *q);         /* /agenda/themes/{id} */
void agenda_show(app_req *q);          /* /sessions/{id}, /api/v1/sessions/{id} */
void agenda_show_reshow(app_req *q);
/* The session page again (status) with msgid said at the registration box. */
void agenda_show_problem(app_req *q, int status, const char *msgid);
void agenda_new(app_req *q);
void agenda_new_reshow(app_req *q);
void agenda_edit(app_req *q);
void agenda_edit_reshow(app_req *q);
void agenda_check_session(app_req *q);
void agenda_publish(app_req *q);
void agenda_cancel_session(app_req *q);
void agenda_report(app_req *q);
void agenda_report_reshow(app_req *q);
void agenda_report_poll(app_req *q);
void agenda_registrations(app_req *q);
void agenda_attendance(app_req *q);
void agenda_registrations_reshow(app_req *q);
void agenda_attendees_csv(app_req *q);
void agenda_submit(app_req *q);
void agenda_submit_reshow(app_req *q);
void agenda_check_submit(app_req *q);
void agenda_moderation(app_req *q);
void agenda_approve(app_req *q);
void agenda_reject(app_req *q);
void agenda_moderation_reshow(app_req *q);
void agenda_register(app_req *q);
void agenda_unregister(app_req *q);
void agenda_board_page(app_req *q);
void agenda_board_reshow(app_req *q);
void agenda_board_create(app_req *q);
void agenda_board_settings(app_req *q);
void agenda_column_add(app_req *q);
void agenda_column_rename(app_req *q);
void agenda_note_add(app_req *q);
void agenda_note_move(app_req *q);
void agenda_note_hide(app_req *q);
void agenda_note_vote(app_req *q);
void agenda_board_stream(app_req *q);
void agenda_board_csv(app_req *q);
void agenda_table_page(app_req *q);
void agenda_table_reshow(app_req *q);
void agenda_person_add(app_req *q);
void agenda_person_delete(app_req *q);
void agenda_task_add(app_req *q);
void agenda_task_update(app_req *q);
void agenda_task_move(app_req *q);
void agenda_task_action(app_req *q);
void agenda_ics_session(app_req *q);
void agenda_ics_all(app_req *q);
void agenda_ics_theme(app_req *q);

/* sections on other features' pages */
json_t *agenda_plan_section(app_req *q, int64_t plan_id);
json_t *agenda_action_section(app_req *q, int64_t action_id);
json_t *agenda_account_section(app_req *q, int64_t user_id);

/* the board as data (JSON answer and live messages) */
json_t *agenda_board_data(app_req *q, const agenda_board *b, bool organiser);

/* ---- live board (agenda_live.c) ---- */
/* Marks a board changed: its hub sends what changed within a tick. */
void agenda_live_changed(app *ap, int64_t session_id);
/* Makes this request a stream of the board's changes after `since`. */
void agenda_live_stream(app_req *q, int64_t session_id, int64_t since);
int  agenda_live_start(app *ap, char *err, size_t errlen);
void agenda_live_stop(app *ap);

/* agenda_demo.c */
int agenda_demo(store *s, char *err, size_t errlen);

#endif
