/* notify_pages.h — what the notify feature's files share: their handlers,
 * sections and forms, named by the descriptor in notify.c.
 */
#ifndef OPENPLAN_NOTIFY_PAGES_H
#define OPENPLAN_NOTIFY_PAGES_H

#include "notify.h"

extern const form_def notify_follow_form;
extern const form_def notify_settings_form;
void    notify_follow_post(app_req *q);
json_t *notify_plan_section(app_req *q, int64_t plan_id);
void    notify_follow_plan_page(app_req *q);
json_t *notify_action_section(app_req *q, int64_t id);
json_t *notify_session_section(app_req *q, int64_t id);
json_t *notify_account_section(app_req *q, int64_t user_id);
void    notify_settings(app_req *q);
void    notify_settings_post(app_req *q);
void    notify_unsubscribe(app_req *q);

#endif
