/* account.h — the account feature: signing up, in and out, the account page
 * (where other features add their sections) and changing the password.
 */
#ifndef OPENPLAN_ACCOUNT_H
#define OPENPLAN_ACCOUNT_H

#include "../../app/app.h"

extern const app_feature account_feature;

#endif
