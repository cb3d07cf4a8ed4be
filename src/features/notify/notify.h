/* notify.h — the notifications feature: a signed-in person's list of
 * what happened that concerns them (an offer decided, a waitlist place, a
 * response to their input …), with the unread count the page header
 * shows; following plans, themes, action points and sessions (a button
 * on their pages, a list on the account page); and per kind how a person
 * wants to hear of it by e-mail (now, a daily or weekly digest, none).
 * Features write the events themselves, in the transaction of the change,
 * through store_event_add (store.h); this feature reads them, and the mail
 * feature sends their e-mails.
 */
#ifndef OPENPLAN_NOTIFY_H
#define OPENPLAN_NOTIFY_H

#include "../../app/app.h"

extern const app_feature notify_feature;

/* The kinds a person chooses e-mail for: a prefix of event kinds and its
 * label (msgid). Kinds that match none follow the standard. */
typedef struct notify_kind {
	const char *prefix;   /* "act.offer_" */
	const char *label;
} notify_kind;
extern const notify_kind notify_kinds[];
extern const size_t notify_nkinds;
/* The most specific prefix of the catalogue that kind starts with, or the
 * kind itself. */
const char *notify_category(const char *kind);
/* The one-click address that turns off e-mail of kind's category for a
 * person (List-Unsubscribe), absolute; from the arena. */
const char *notify_unsubscribe_url(arena *a, const char *base, int64_t user_id, const char *kind);

/* ---- its store (notify_store.c) ---- */
typedef struct notify_follow {
	const char *object_type;
	int64_t     object_id;
	const char *title;     /* the object's title, "" when it is gone */
	bool        automatic;
} notify_follow;
store_rc notify_store_follows(store *s, arena *a, int64_t user_id, notify_follow **out, size_t *n);
store_rc notify_store_pref_get(store *s, arena *a, int64_t user_id, const char *kind,
                               const char **mail);
/* mail "" removes the preference (the standard applies again). */
store_rc notify_store_pref_set(store *s, int64_t user_id, const char *kind, const char *mail);
/* Whether an object of this type and id exists, and its title. */
store_rc notify_store_object(store *s, arena *a, const char *type, int64_t id, const char **title);

#endif
