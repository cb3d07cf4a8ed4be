/* org.h — the organisations feature: organisations by sector and their
 * members; organisers manage memberships.
 */
#ifndef OPENPLAN_ORG_H
#define OPENPLAN_ORG_H

#include "../../app/app.h"

extern const app_feature org_feature;

#endif
