/* features.h — the list of openplan's features, the one place that names
 * them all (features.c). main.c hands the list to the application; no
 * file in src/app, src/http, src/store or src/web includes a feature.
 */
#ifndef OPENPLAN_FEATURES_H
#define OPENPLAN_FEATURES_H

#include "../app/app.h"

extern const app_feature *const features_all[];
extern const size_t features_count;

#endif
