/* site.h — site-wide addresses: the language switch, the health check and
 * the Prometheus metrics.
 */
#ifndef OPENPLAN_SITE_H
#define OPENPLAN_SITE_H

#include "../../app/app.h"

extern const app_feature site_feature;

#endif
