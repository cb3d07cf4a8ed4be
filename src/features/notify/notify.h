/* notify.h — the notifications feature: a signed-in person's list of
 * what happened that concerns them (an offer decided, a waitlist place, a
 * response to their input …), with the unread count the page header
 * shows. Features write the events themselves, in the transaction of the
 * change, through store_event_add (store.h); this feature only reads them.
 */
#ifndef OPENPLAN_NOTIFY_H
#define OPENPLAN_NOTIFY_H

#include "../../app/app.h"

extern const app_feature notify_feature;

#endif
