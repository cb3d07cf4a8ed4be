/* features.h — the handlers of every feature, named by their file:
 * plan_* (plan.c), account_* (accounts.c), org_* (organisations.c),
 * admin_* (admin.c), site_* (site.c). The route table in app/routes.c
 * ties them to addresses and roles.
 */
#ifndef OPENPLAN_FEATURES_H
#define OPENPLAN_FEATURES_H

#include "../app/app.h"

/* plan.c */
void plan_home(app_req *q);
void plan_show(app_req *q);
void plan_edit(app_req *q);
void plan_phase_add(app_req *q);
void plan_phase_update(app_req *q);
void plan_phase_move(app_req *q);
void plan_phase_delete(app_req *q);
void plan_theme_add(app_req *q);
void plan_theme_update(app_req *q);
void plan_theme_delete(app_req *q);

/* accounts.c */
void account_signup(app_req *q);
void account_signin(app_req *q);
void account_signout(app_req *q);
void account_show(app_req *q);
void account_password(app_req *q);

/* organisations.c */
void org_list(app_req *q);
void org_new(app_req *q);
void org_show(app_req *q);
void org_update(app_req *q);
void org_member_add(app_req *q);
void org_member_remove(app_req *q);

/* admin.c */
void admin_users(app_req *q);
void admin_user_role(app_req *q);

/* site.c */
void site_lang(app_req *q);
void site_healthz(app_req *q);
void site_metrics(app_req *q);

/* A date "YYYY-MM-DD" written out in the interface language. */
const char *feature_date(app_req *q, const char *ymd);

#endif
