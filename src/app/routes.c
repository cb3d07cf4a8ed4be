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
	/* administration */
	{ GET, "/admin/users", admin_users, ADM, false, 0 },
	{ POST, "/admin/users/{id}/role", admin_user_role, ADM, false, R_CSRF },
	/* site */
	{ GET, "/lang/{code}", site_lang, ANY, true, 0 },
	{ GET, "/healthz", site_healthz, ANY, true, 0 },
	{ GET, "/metrics", site_metrics, ANY, true, 0 },
};
const size_t app_nroutes = sizeof app_routes / sizeof *app_routes;
