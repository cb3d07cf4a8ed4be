/* agenda.c — sessions and the agenda as openplan sees them: the forms
 * (one table each), the addresses with who may call them, the sections on
 * the plan's home page, action points' pages and the account page, the
 * flash messages, the demo and the live board's hub.
 */
#include <string.h>

#include "agenda.h"

static const char *const kinds[] = { "thinkalong", "table", "forum", "holders", "public", NULL };
static const char *const kind_labels[] = { "Think-along session", "Table conversation",
	                                   "Stakeholder-forum meeting", "Holders' meeting",
	                                   "Public event" };
static const char *const modes[] = { "online", "physical", "both", NULL };
static const char *const mode_labels[] = { "Online", "On location", "Online and on location" };
static const char *const dot_codes[] = { "add", "remove", NULL };
static const char *const dot_labels[] = { "Give a dot", "Take a dot back" };
static const char *const attended_codes[] = { "present", "absent", "unknown", NULL };
static const char *const attended_labels[] = { "Present", "Absent", "Not marked" };
static const char *const direction_codes[] = { "up", "down", NULL };
static const char *const direction_labels[] = { "Move up", "Move down" };

/* "14:00": a time of day. */
static const char *check_time(app_req *q, const char *v)
{
	(void)q;
	bool ok = strlen(v) == 5 && v[2] == ':' && v[0] >= '0' && v[0] <= '2' && v[1] >= '0' &&
	          v[1] <= '9' && v[3] >= '0' && v[3] <= '5' && v[4] >= '0' && v[4] <= '9' &&
	          (v[0] - '0') * 10 + (v[1] - '0') < 24;
	return ok ? NULL : "Fill in a time like 14:00.";
}

static const form_field session_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Title" },
	{ "kind", F_CHOICE, true, 20, kinds, .label = "Kind", .choice_labels = kind_labels },
	{ "description", F_MULTILINE, false, 20000, .label = "Description",
	  .help = "Markdown: **bold**, *italic*, lists and links." },
	{ "date", F_DATE, true, 10, .label = "Date" },
	{ "start_time", F_TEXT, true, 5, .label = "Start time", .check = check_time,
	  .help = "Dutch time (Europe/Amsterdam)." },
	{ "end_time", F_TEXT, true, 5, .label = "End time", .check = check_time },
	{ "end_date", F_DATE, false, 10, .label = "End date",
	  .help = "Only when the session ends on another day." },
	{ "mode", F_CHOICE, true, 20, modes, .label = "Where", .choice_labels = mode_labels },
	{ "meeting_url", F_URL, false, 500, .label = "Meeting link",
	  .help = "Only people who are registered see it." },
	{ "address", F_TEXT, false, 300, .label = "Address" },
	{ "capacity", F_INT, false, 100000, .min = 1, .label = "Number of places",
	  .help = "Leave empty when there is no limit." },
	{ "waitlist", F_BOOL, false, 5, .label = "Keep a waitlist when the session is full" },
	{ "opens_date", F_DATE, false, 10, .label = "Registration opens on",
	  .help = "Leave empty to open registration when the session is published." },
	{ "opens_time", F_TEXT, false, 5, .label = "Opens at", .check = check_time },
	{ "closes_date", F_DATE, false, 10, .label = "Registration closes on",
	  .help = "Leave empty to keep registration open until the start." },
	{ "closes_time", F_TEXT, false, 5, .label = "Closes at", .check = check_time },
	{ "attendees_public", F_BOOL, false, 5, .label = "Show a public list of attendees",
	  .help = "Each attendee decides for themselves whether their name is on it." },
};
const form_def agenda_session_form =
	FORM_DEF("session", session_fields, agenda_check_session, agenda_edit_reshow);
const form_def agenda_new_form =
	FORM_DEF("session", session_fields, agenda_check_session, agenda_new_reshow);

static const form_field submit_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Title" },
	{ "date", F_DATE, true, 10, .label = "Date" },
	{ "start_time", F_TEXT, true, 5, .label = "Start time", .check = check_time },
	{ "end_time", F_TEXT, true, 5, .label = "End time", .check = check_time },
	{ "address", F_TEXT, false, 300, .label = "Place", .help = "The address, when people meet on location." },
	{ "meeting_url", F_URL, false, 500, .label = "Link", .help = "The link, when the event is online." },
	{ "organiser_name", F_TEXT, true, 200, .label = "Organising organisation",
	  .autocomplete = "organization" },
	{ "description", F_MULTILINE, true, 5000, .label = "Description" },
};
const form_def agenda_submit_form =
	FORM_DEF("submit", submit_fields, agenda_check_submit, agenda_submit_reshow);

static const form_field reject_fields[] = {
	{ "reason", F_MULTILINE, true, 1000, .label = "Reason",
	  .help = "The person who submitted the event sees this." },
};
const form_def agenda_reject_form =
	FORM_DEF("reject", reject_fields, NULL, agenda_moderation_reshow);

static const form_field report_fields[] = {
	{ "report", F_MULTILINE, false, 50000, .label = "Report",
	  .help = "Markdown: headings (##), lists, links." },
	{ "board", F_BOOL, false, 5, .label = "Put the board's ranked list in the report" },
	{ "published", F_BOOL, false, 5, .label = "Publish the report" },
};
const form_def agenda_report_form = FORM_DEF("report", report_fields, NULL, agenda_report_reshow);

static const form_field poll_fields[] = {
	{ "poll_id", F_ID, true, 20, .label = "Live poll" },
};
const form_def agenda_poll_form = FORM_DEF("poll", poll_fields, NULL, agenda_report_reshow);

static const form_field register_fields[] = {
	{ "show_name", F_BOOL, false, 5, .label = "Show my name on the public list of attendees" },
};
const form_def agenda_register_form =
	FORM_DEF("register", register_fields, NULL, agenda_show_reshow);

static const form_field attendance_fields[] = {
	{ "registration_id", F_ID, true, 20, .label = "Registration" },
	{ "attended", F_CHOICE, true, 10, attended_codes, .label = "Attended",
	  .choice_labels = attended_labels },
};
const form_def agenda_attendance_form =
	FORM_DEF("attendance", attendance_fields, NULL, agenda_registrations_reshow);

static const form_field board_fields[] = {
	{ "dots", F_INT, true, AGENDA_DOTS_MAX, .min = 1, .label = "Dots per participant" },
	{ "columns", F_MULTILINE, true, 1000, .label = "Columns",
	  .help = "One name per line, for example Kansen, Risico's, Oplossingen." },
};
const form_def agenda_board_form = FORM_DEF("board", board_fields, NULL, agenda_board_reshow);

static const form_field settings_fields[] = {
	{ "dots", F_INT, true, AGENDA_DOTS_MAX, .min = 1, .label = "Dots per participant" },
	{ "open", F_BOOL, false, 5, .label = "Open for notes and dots" },
};
const form_def agenda_settings_form =
	FORM_DEF("settings", settings_fields, NULL, agenda_board_reshow);

static const form_field column_fields[] = {
	{ "name", F_TEXT, true, 60, .label = "Column name" },
};
const form_def agenda_column_form = FORM_DEF("column", column_fields, NULL, agenda_board_reshow);
const form_def agenda_column_edit_form =
	FORM_DEF("column-edit", column_fields, NULL, agenda_board_reshow);

static const form_field note_fields[] = {
	{ "body", F_MULTILINE, true, AGENDA_NOTE_MAX, .label = "Your note" },
	{ "column_id", F_ID, true, 20, .label = "Column" },
	{ "theme_id", F_ID, false, 20, .label = "Theme (optional)" },
};
const form_def agenda_note_form = FORM_DEF("note", note_fields, NULL, agenda_board_reshow);

static const form_field move_fields[] = {
	{ "column_id", F_ID, true, 20, .label = "Column" },
	{ "group_id", F_ID, false, 20, .label = "Group with" },
};
const form_def agenda_move_form = FORM_DEF("move", move_fields, NULL, agenda_board_reshow);

static const form_field vote_fields[] = {
	{ "dot", F_CHOICE, true, 10, dot_codes, .label = "Dot", .choice_labels = dot_labels },
};
const form_def agenda_vote_form = FORM_DEF("vote", vote_fields, NULL, agenda_board_reshow);

static const form_field person_fields[] = {
	{ "name", F_TEXT, true, 120, .label = "Name" },
	{ "organisation", F_TEXT, false, 200, .label = "Organisation" },
	{ "consent", F_BOOL, false, 5, .label = "Agrees to have their name shown" },
};
const form_def agenda_person_form = FORM_DEF("person", person_fields, NULL, agenda_table_reshow);

static const form_field task_fields[] = {
	{ "title", F_TEXT, true, 200, .label = "Task" },
	{ "minimal", F_MULTILINE, false, 2000, .label = "Minimal variant" },
	{ "maximal", F_MULTILINE, false, 2000, .label = "Maximal variant" },
	{ "lead_org_id", F_ID, false, 20, .label = "Possible lead (organisation)" },
	{ "involve", F_MULTILINE, false, 1000, .label = "Whom to involve" },
	{ "needs", F_MULTILINE, false, 1000, .label = "What is needed" },
};
const form_def agenda_task_form = FORM_DEF("task", task_fields, NULL, agenda_table_reshow);
const form_def agenda_task_edit_form =
	FORM_DEF("task-edit", task_fields, NULL, agenda_table_reshow);

static const form_field direction_fields[] = {
	{ "direction", F_CHOICE, true, 4, direction_codes, .label = "Direction",
	  .choice_labels = direction_labels },
};
const form_def agenda_direction_form =
	FORM_DEF("direction", direction_fields, NULL, agenda_table_reshow);

static const form_field task_action_fields[] = {
	{ "theme_id", F_ID, true, 20, .label = "Theme of the action point" },
};
const form_def agenda_task_action_form =
	FORM_DEF("task-action", task_action_fields, NULL, agenda_table_reshow);

#define O ROLE_ORGANISER
#define P ROLE_PARTICIPANT

static const app_route routes[] = {
	{ HTTP_GET, "/agenda", agenda_list, P, true, 0 },
	{ HTTP_GET, "/api/v1/sessions", agenda_list, P, true, R_API },
	{ HTTP_GET, "/agenda/calendar.ics", agenda_ics_all, P, true, 0 },
	{ HTTP_GET | HTTP_POST, "/agenda/new", agenda_new, O, false, R_CSRF, &agenda_new_form },
	{ HTTP_GET | HTTP_POST, "/agenda/submit", agenda_submit, P, false, R_CSRF, &agenda_submit_form },
	{ HTTP_GET, "/agenda/moderation", agenda_moderation, O, false, 0 },
	{ HTTP_GET, "/agenda/themes/{id}", agenda_theme, P, true, 0 },
	{ HTTP_GET, "/api/v1/agenda/themes/{id}", agenda_theme, P, true, R_API },
	{ HTTP_GET, "/agenda/themes/{id}/calendar.ics", agenda_ics_theme, P, true, 0 },
	{ HTTP_GET, "/sessions/{id}", agenda_show, P, true, 0 },
	{ HTTP_GET, "/api/v1/sessions/{id}", agenda_show, P, true, R_API },
	{ HTTP_GET, "/sessions/{id}/calendar.ics", agenda_ics_session, P, true, 0 },
	{ HTTP_GET | HTTP_POST, "/sessions/{id}/edit", agenda_edit, O, false, R_CSRF, &agenda_session_form },
	{ HTTP_POST, "/sessions/{id}/publish", agenda_publish, O, false, R_CSRF },
	{ HTTP_POST, "/sessions/{id}/cancel", agenda_cancel_session, O, false, R_CSRF },
	{ HTTP_POST, "/sessions/{id}/approve", agenda_approve, O, false, R_CSRF },
	{ HTTP_POST, "/sessions/{id}/reject", agenda_reject, O, false, R_CSRF, &agenda_reject_form },
	{ HTTP_GET | HTTP_POST, "/sessions/{id}/report", agenda_report, O, false, R_CSRF, &agenda_report_form },
	{ HTTP_POST, "/sessions/{id}/report/polls", agenda_report_poll, O, false, R_CSRF, &agenda_poll_form },
	{ HTTP_POST, "/sessions/{id}/report/polls/{pid}/delete", agenda_report_poll, O, false, R_CSRF },
	{ HTTP_GET, "/sessions/{id}/registrations", agenda_registrations, O, false, 0 },
	{ HTTP_POST, "/sessions/{id}/attendance", agenda_attendance, O, false, R_CSRF, &agenda_attendance_form },
	{ HTTP_GET, "/sessions/{id}/attendees.csv", agenda_attendees_csv, O, false, 0 },
	{ HTTP_POST, "/sessions/{id}/register", agenda_register, P, false, R_CSRF, &agenda_register_form },
	{ HTTP_POST, "/api/v1/sessions/{id}/register", agenda_register, P, false, R_API | R_CSRF, &agenda_register_form },
	{ HTTP_POST, "/sessions/{id}/unregister", agenda_unregister, P, false, R_CSRF },
	{ HTTP_POST, "/api/v1/sessions/{id}/unregister", agenda_unregister, P, false, R_API | R_CSRF },
	{ HTTP_GET, "/sessions/{id}/board", agenda_board_page, P, true, 0 },
	{ HTTP_GET, "/api/v1/sessions/{id}/board", agenda_board_page, P, true, R_API },
	{ HTTP_GET, "/sessions/{id}/board/stream", agenda_board_stream, P, true, 0 },
	{ HTTP_GET, "/sessions/{id}/board.csv", agenda_board_csv, P, true, 0 },
	{ HTTP_POST, "/sessions/{id}/board", agenda_board_create, O, false, R_CSRF, &agenda_board_form },
	{ HTTP_POST, "/sessions/{id}/board/settings", agenda_board_settings, O, false, R_CSRF, &agenda_settings_form },
	{ HTTP_POST, "/sessions/{id}/board/columns", agenda_column_add, O, false, R_CSRF, &agenda_column_form },
	{ HTTP_POST, "/sessions/{id}/board/columns/{cid}", agenda_column_rename, O, false, R_CSRF, &agenda_column_edit_form },
	{ HTTP_POST, "/sessions/{id}/board/notes", agenda_note_add, P, false, R_CSRF | R_KEEPCACHE, &agenda_note_form },
	{ HTTP_POST, "/api/v1/sessions/{id}/board/notes", agenda_note_add, P, false, R_API | R_CSRF | R_KEEPCACHE, &agenda_note_form },
	{ HTTP_POST, "/sessions/{id}/board/notes/{nid}/move", agenda_note_move, O, false, R_CSRF | R_KEEPCACHE, &agenda_move_form },
	{ HTTP_POST, "/api/v1/sessions/{id}/board/notes/{nid}/move", agenda_note_move, O, false, R_API | R_CSRF | R_KEEPCACHE, &agenda_move_form },
	{ HTTP_POST, "/sessions/{id}/board/notes/{nid}/hide", agenda_note_hide, O, false, R_CSRF | R_KEEPCACHE },
	{ HTTP_POST, "/sessions/{id}/board/notes/{nid}/vote", agenda_note_vote, P, false, R_CSRF | R_KEEPCACHE, &agenda_vote_form },
	{ HTTP_POST, "/api/v1/sessions/{id}/board/notes/{nid}/vote", agenda_note_vote, P, false, R_API | R_CSRF | R_KEEPCACHE, &agenda_vote_form },
	{ HTTP_GET, "/sessions/{id}/table", agenda_table_page, O, false, 0 },
	{ HTTP_POST, "/sessions/{id}/table/people", agenda_person_add, O, false, R_CSRF, &agenda_person_form },
	{ HTTP_POST, "/sessions/{id}/table/people/{pid}/delete", agenda_person_delete, O, false, R_CSRF },
	{ HTTP_POST, "/sessions/{id}/tasks", agenda_task_add, O, false, R_CSRF, &agenda_task_form },
	{ HTTP_POST, "/sessions/{id}/tasks/{tid}", agenda_task_update, O, false, R_CSRF, &agenda_task_edit_form },
	{ HTTP_POST, "/sessions/{id}/tasks/{tid}/move", agenda_task_move, O, false, R_CSRF, &agenda_direction_form },
	{ HTTP_POST, "/sessions/{id}/tasks/{tid}/action", agenda_task_action, O, false, R_CSRF, &agenda_task_action_form },
};

static json_t *account_section(app_req *q, int64_t user_id)
{
	(void)user_id; /* always the signed-in person */
	return q->me ? agenda_account_section(q, q->me->id) : NULL;
}

static const app_section sections[] = {
	{ "plan", "sessions", "agenda_plan_section", agenda_plan_section },
	{ "action", "agenda", "agenda_action_section", agenda_action_section },
	{ "account", "agenda", "agenda_account_section", account_section },
};

static const app_flash flashes[] = {
	{ "registered", "You are registered. You will find the session under “Your account”." },
	{ "waitlisted", "The session is full: you are on the waitlist. When a place comes free, you move up and we tell you." },
	{ "unregistered", "Your registration is cancelled." },
	{ "published", "The session is published: it is in the agenda now." },
	{ "cancelled", "The session is cancelled. Everyone who registered is told." },
	{ "approved", "The event is approved and in the agenda now." },
	{ "rejected", "The event is rejected. The person who submitted it sees your reason." },
	{ "submitted", "Thank you! An organiser looks at your event before it shows in the agenda." },
	{ "note_added", "Your note is on the board." },
	{ "action_created", "A draft action point is made from this task." },
};

const app_feature agenda_feature = {
	.name = "agenda",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.demo = agenda_demo,
	.start = agenda_live_start,
	.stop = agenda_live_stop,
};
