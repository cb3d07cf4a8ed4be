/* admin.h — the administration feature: the user list where an admin gives
 * and takes roles.
 */
#ifndef OPENPLAN_ADMIN_H
#define OPENPLAN_ADMIN_H

#include "../../app/app.h"

extern const app_feature admin_feature;

#endif
