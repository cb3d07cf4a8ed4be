/* routes.c — every address of the application in one table: methods,
 * pattern, handler, who may call it, and whether it changes state (CSRF).
 * The role-by-route test walks this table; add a row and a test row.
 */
#include "../features/features.h"

#define GET HTTP_GET
#define POST HTTP_POST
#define ANY ROLE_PARTICIPANT
#define ORG ROLE_ORGANISER
#define ADM ROLE_ADMIN

const app_route app_routes[] = {
	/* plan */
	{ GET, "/", plan_home, ANY, true, R_CACHE },
	{ GET, "/api/v1/plan", plan_home, ANY, true, R_API | R_CACHE },
	{ GET, "/plans/{id}", plan_show, ANY, true, R_CACHE },
	{ GET, "/api/v1/plans/{id}", plan_show, ANY, true, R_API | R_CACHE },
	{ GET | POST, "/plans/{id}/edit", plan_edit, ORG, false, R_CSRF },
	{ POST, "/plans/{id}/phases", plan_phase_add, ORG, false, R_CSRF },
	{ POST, "/plans/{id}/phases/{pid}", plan_phase_update, ORG, false, R_CSRF },
	{ POST, "/plans/{id}/phases/{pid}/move", plan_phase_move, ORG, false, R_CSRF },
	{ POST, "/plans/{id}/phases/{pid}/delete", plan_phase_delete, ORG, false, R_CSRF },
	{ POST, "/plans/{id}/themes", plan_theme_add, ORG, false, R_CSRF },
	{ POST, "/plans/{id}/themes/{tid}", plan_theme_update, ORG, false, R_CSRF },
	{ POST, "/plans/{id}/themes/{tid}/delete", plan_theme_delete, ORG, false, R_CSRF },
	/* accounts */
	{ GET | POST, "/signup", account_signup, ANY, true, R_CSRF },
	{ GET | POST, "/signin", account_signin, ANY, true, R_CSRF },
	{ POST, "/signout", account_signout, ANY, true, R_CSRF },
	{ GET, "/account", account_show, ANY, false, 0 },
	{ POST, "/account/password", account_password, ANY, false, R_CSRF },
	/* organisations */
	{ GET, "/organisations", org_list, ANY, true, R_CACHE },
	{ GET, "/api/v1/organisations", org_list, ANY, true, R_API | R_CACHE },
	{ GET | POST, "/organisations/new", org_new, ORG, false, R_CSRF },
	{ GET, "/organisations/{id}", org_show, ANY, true, R_CACHE },
	{ GET, "/api/v1/organisations/{id}", org_show, ANY, true, R_API | R_CACHE },
	{ POST, "/organisations/{id}", org_update, ORG, false, R_CSRF },
	{ POST, "/organisations/{id}/members", org_member_add, ORG, false, R_CSRF },
	{ POST, "/organisations/{id}/members/{uid}/delete", org_member_remove, ORG, false, R_CSRF },
	/* consultations */
	{ GET | POST, "/plans/{id}/consultations/new", cons_new, ORG, false, R_CSRF },
	{ GET | POST, "/consultations/{cid}/edit", cons_edit, ORG, false, R_CSRF },
	{ POST, "/consultations/{cid}/questions", cons_question_add, ORG, false, R_CSRF },
	{ POST, "/consultations/{cid}/questions/{qid}", cons_question_update, ORG, false, R_CSRF },
	{ POST, "/consultations/{cid}/questions/{qid}/move", cons_question_move, ORG, false, R_CSRF },
	{ POST, "/consultations/{cid}/questions/{qid}/delete", cons_question_delete, ORG, false, R_CSRF },
	{ POST, "/consultations/{cid}/questions/{qid}/options", cons_option_add, ORG, false, R_CSRF },
	{ POST, "/consultations/{cid}/questions/{qid}/options/{oid}", cons_option_update, ORG, false, R_CSRF },
	{ POST, "/consultations/{cid}/questions/{qid}/options/{oid}/delete", cons_option_delete, ORG, false, R_CSRF },
	{ GET | POST, "/consultations/{cid}", cons_show, ANY, true, R_CSRF },
	{ GET, "/api/v1/consultations/{cid}", cons_show, ANY, true, R_API },
	{ POST, "/api/v1/consultations/{cid}/responses", cons_show, ANY, true, R_API | R_CSRF },
	{ GET, "/consultations/{cid}/thanks", cons_thanks, ANY, true, 0 },
	{ GET, "/consultations/{cid}/results", cons_results_page, ANY, true, R_CACHE },
	{ GET, "/api/v1/consultations/{cid}/results", cons_results_page, ANY, true, R_API | R_CACHE },
	{ GET, "/consultations/{cid}/answers", cons_answers_page, ORG, false, 0 },
	{ POST, "/consultations/{cid}/answers/{aid}/hide", cons_answer_hide, ORG, false, R_CSRF },
	{ POST, "/consultations/{cid}/answers/{aid}/quote", cons_answer_quote, ORG, false, R_CSRF },
	{ GET, "/consultations/{cid}/export.csv", cons_export_csv, ORG, false, 0 },
	{ GET, "/consultations/{cid}/export.xlsx", cons_export_xlsx, ORG, false, 0 },
	/* action plan (features/act_pages.c, act_edit.c); holders' rights are
	 * checked per action point in the handlers */
	{ GET, "/actions", act_plan, ANY, true, 0 },
	{ GET, "/api/v1/action-points", act_plan, ANY, true, R_API },
	{ GET, "/actions/state", act_state, ANY, true, 0 },
	{ GET, "/actions/document", act_document, ANY, true, 0 },
	{ GET, "/actions/action-points.csv", act_csv_points, ANY, true, 0 },
	{ GET, "/actions/milestones.csv", act_csv_milestones, ANY, true, 0 },
	{ GET | POST, "/actions/new", act_new, ORG, false, R_CSRF },
	{ GET, "/actions/{id}", act_show, ANY, true, 0 },
	{ GET, "/api/v1/action-points/{id}", act_show, ANY, true, R_API },
	{ GET | POST, "/actions/{id}/edit", act_edit, ORG, false, R_CSRF },
	{ POST, "/actions/{id}/status", act_status, ORG, false, R_CSRF },
	{ POST, "/actions/{id}/holders", act_holder_add, ORG, false, R_CSRF },
	{ POST, "/actions/{id}/holders/{oid}/delete", act_holder_remove, ORG, false, R_CSRF },
	{ POST, "/actions/{id}/links", act_link_add, ORG, false, R_CSRF },
	{ POST, "/actions/{id}/links/{lid}/delete", act_link_remove, ORG, false, R_CSRF },
	{ POST, "/actions/{id}/milestones", act_milestone_add, ANY, false, R_CSRF },
	{ POST, "/actions/{id}/milestones/{mid}", act_milestone_update, ANY, false, R_CSRF },
	{ POST, "/actions/{id}/milestones/{mid}/delete", act_milestone_delete, ANY, false, R_CSRF },
	{ POST, "/actions/{id}/updates", act_update_add, ANY, false, R_CSRF },
	{ GET | POST, "/actions/{id}/adopt", act_adopt, ANY, false, R_CSRF },
	{ POST, "/actions/{id}/offers/{oid}/accept", act_offer_accept, ORG, false, R_CSRF },
	{ POST, "/actions/{id}/offers/{oid}/decline", act_offer_decline, ORG, false, R_CSRF },
	/* live polls (features/polls.c, polls_vote.c, polls_live.c; docs/polls-api.md) */
	{ GET, "/polls", poll_list, ORG, false, 0 },
	{ POST, "/polls", poll_create, ORG, false, R_CSRF },
	{ GET, "/polls/{id}", poll_show, ORG, false, 0 },
	{ GET, "/api/v1/polls/{id}", poll_show, ORG, false, R_API },
	{ POST, "/polls/{id}/questions", poll_question_add, ORG, false, R_CSRF },
	{ POST, "/polls/{id}/questions/{qid}/delete", poll_question_delete, ORG, false, R_CSRF },
	{ POST, "/polls/{id}/control", poll_control, ORG, false, R_CSRF },
	{ GET, "/polls/{id}/present", poll_present, ORG, false, 0 },
	{ GET, "/polls/{id}/qr.svg", poll_qr, ORG, false, 0 },
	{ GET, "/polls/{id}/stream", poll_stream, ORG, false, 0 },
	{ GET, "/polls/{id}/report", poll_report, ANY, true, 0 },
	{ GET, "/api/v1/polls/{id}/report", poll_report, ANY, true, R_API },
	{ GET, "/polls/{id}/report.csv", poll_report_csv, ANY, true, 0 },
	{ GET | POST, "/p", poll_join, ANY, true, R_CSRF | R_KEEPCACHE },
	{ GET, "/p/{code}", poll_participate, ANY, true, 0 },
	{ GET, "/api/v1/p/{code}", poll_participate, ANY, true, R_API },
	{ POST, "/p/{code}/vote", poll_vote, ANY, true, R_CSRF | R_KEEPCACHE },
	{ POST, "/api/v1/p/{code}/vote", poll_vote, ANY, true, R_API | R_CSRF | R_KEEPCACHE },
	{ GET, "/p/{code}/stream", poll_part_stream, ANY, true, 0 },
	{ GET, "/api/v1/p/{code}/stream", poll_part_stream, ANY, true, R_API },
	/* administration */
	{ GET, "/admin/users", admin_users, ADM, false, 0 },
	{ POST, "/admin/users/{id}/role", admin_user_role, ADM, false, R_CSRF },
	/* site */
	{ GET, "/lang/{code}", site_lang, ANY, true, 0 },
	{ GET, "/healthz", site_healthz, ANY, true, 0 },
	{ GET, "/metrics", site_metrics, ANY, true, 0 },
};
const size_t app_nroutes = sizeof app_routes / sizeof *app_routes;
