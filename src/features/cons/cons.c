/* cons.c — the consultations feature as openplan sees it: its addresses
 * (who may call them, which change state) and its section on the plan's
 * page. The handlers live in the other cons_*.c files.
 */
#include "cons.h"

static const app_route routes[] = {
	{ HTTP_GET | HTTP_POST, "/plans/{id}/consultations/new", cons_new, ROLE_ORGANISER, false, R_CSRF, &cons_new_form },
	{ HTTP_GET | HTTP_POST, "/consultations/{cid}/edit", cons_edit, ROLE_ORGANISER, false, R_CSRF, &cons_settings_form },
	{ HTTP_POST, "/consultations/{cid}/status", cons_status, ROLE_ORGANISER, false, R_CSRF, &cons_status_form },
	{ HTTP_POST, "/consultations/{cid}/delete", cons_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/consultations/{cid}/questions", cons_question_add, ROLE_ORGANISER, false, R_CSRF, &cons_question_form },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}", cons_question_update, ROLE_ORGANISER, false, R_CSRF, &cons_question_update_form },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/move", cons_question_move, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/delete", cons_question_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/options", cons_option_add, ROLE_ORGANISER, false, R_CSRF, &cons_new_option_form },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/options/{oid}", cons_option_update, ROLE_ORGANISER, false, R_CSRF, &cons_option_form },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/options/{oid}/delete", cons_option_delete, ROLE_ORGANISER, false, R_CSRF },
	/* Answering: one page with a question per field of varying kinds; its
	 * checks are built from the consultation's questions (cons_answer.c),
	 * before anything is stored. */
	{ HTTP_GET | HTTP_POST, "/consultations/{cid}", cons_show, ROLE_PARTICIPANT, true, R_CSRF },
	{ HTTP_GET, "/api/v1/consultations/{cid}", cons_show, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_POST, "/api/v1/consultations/{cid}/responses", cons_show, ROLE_PARTICIPANT, true, R_API | R_CSRF },
	{ HTTP_GET, "/consultations/{cid}/thanks", cons_thanks, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/consultations/{cid}/results", cons_results_page, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/consultations/{cid}/results", cons_results_page, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET, "/consultations/{cid}/answers", cons_answers_page, ROLE_ORGANISER, false, 0 },
	{ HTTP_POST, "/consultations/{cid}/answers/{aid}/hide", cons_answer_hide, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/consultations/{cid}/answers/{aid}/quote", cons_answer_quote, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_GET, "/consultations/{cid}/export.csv", cons_export_csv, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/consultations/{cid}/export.xlsx", cons_export_xlsx, ROLE_ORGANISER, false, 0 },
};

/* What the redirects of this feature may say on the next page. */
static const app_flash flashes[] = {
	{ "cons_created", "The consultation is made as a draft. Add questions, then publish it." },
	{ "cons_published", "The consultation is published: everyone can see it now." },
	{ "cons_draft", "The consultation is a draft again: only organisers see it." },
	{ "cons_archived", "The consultation is archived: it takes no more answers; its results stay available." },
	{ "cons_deleted", "The consultation is deleted." },
};

static const app_section sections[] = {
	{ "plan", "consultations", "cons_plan_section", cons_plan_summary },
};

const app_feature cons_feature = {
	.name = "cons",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.demo = cons_demo,
};
