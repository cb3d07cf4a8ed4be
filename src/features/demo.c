/* demo.c — loads the demo plan. Facts (themes, organisations, dates) come
 * from the seeds in shared/seeds; the texts are our own words and the
 * people are fictitious. Later features add their parts here.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../app/app.h"
#include "demo.h"

static const struct { const char *name, *sector; } orgs[] = {
	{ "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "government" },
	{ "Leer- en Expertisepunt Open Overheid", "government" },
	{ "Vereniging van Nederlandse Gemeenten", "government" },
	{ "Nationale ombudsman", "government" },
	{ "Open State Foundation", "civil_society" },
	{ "Netwerk Democratie", "civil_society" },
	{ "Balans Communicatie", "business" },
};

static const struct { const char *name, *start, *end; } phases[] = {
	{ "Luisteren en ideeën ophalen", "2020-08-01", "2020-09-30" },
	{ "Meedenken over het concept", "2020-08-27", "2020-11-30" },
	{ "Dialoog en sneak preview", "2020-12-01", "2020-12-31" },
	{ "Actieplan publiceren", "2021-01-01", "2021-02-28" },
	{ "Uitvoeren", "2021-03-01", "2022-12-31" },
	{ "Evalueren", "2023-01-01", "2023-06-30" },
};
enum { CURRENT_PHASE = 4 }; /* Uitvoeren */

static const struct { const char *name, *description; } themes[] = {
	{ "Open Democratie", "Inwoners praten en beslissen mee over wat de overheid doet." },
	{ "Open Informatie", "Informatie van de overheid is vindbaar en openbaar, uit zichzelf en op verzoek." },
	{ "Open Communicatie", "De overheid schrijft en spreekt helder, zodat iedereen haar begrijpt." },
	{ "Open Technologie", "Open source, open standaarden en open data als gewone werkwijze." },
	{ "Open Organisatie", "Een cultuur waarin ambtenaren open werken en van fouten leren." },
	{ "Open Inkoop", "Wat de overheid inkoopt en bij wie, is voor iedereen te zien." },
	{ "Open Justice", "Open wetgeving en open rechtspraak: zien hoe regels en uitspraken tot stand komen." },
};

static const struct { const char *email, *name, *role; int org; } people[] = {
	{ "beheer@openplan.example", "Beheerder Demo", "admin", -1 },
	{ "sanne.devries@openplan.example", "Sanne de Vries", "organiser", 0 },
	{ "ruben.jansen@openplan.example", "Ruben Jansen", "organiser", 1 },
	{ "joris.bakker@openplan.example", "Joris Bakker", "participant", 4 },
	{ "amira.elhaddad@openplan.example", "Amira El Haddad", "participant", 5 },
};

/* The features' parts of the demo, in order (see demo.h). */
static const demo_part_fn demo_parts[] = {
	demo_consultations,
	demo_actions,
	demo_polls,
	NULL, /* end */
};

#define N(a) (sizeof a / sizeof *a)

int demo_load(store *s, char *err, size_t errlen)
{
	arena a;
	arena_init(&a, 0);
	const char *loaded = NULL;
	if (store_meta_get(s, &a, "demo_loaded", &loaded) == STORE_OK) {
		snprintf(err, errlen, "the demo data is already loaded (on %s); nothing was changed",
		         loaded);
		arena_free(&a);
		return -1;
	}
	char hash[128];
	if (auth_hash_password(DEMO_PASSWORD, hash) != 0) {
		snprintf(err, errlen, "could not hash the demo password (out of memory)");
		arena_free(&a);
		return -1;
	}
	int64_t org_ids[N(orgs)];
	int64_t plan_id = 0, phase_ids[N(phases)];
	store_rc rc = store_begin(s);
	for (size_t i = 0; rc == STORE_OK && i < N(orgs); i++)
		rc = store_org_create(s, orgs[i].name, orgs[i].sector, &org_ids[i]);
	for (size_t i = 0; rc == STORE_OK && i < N(people); i++) {
		role r;
		int64_t uid = 0;
		role_parse(people[i].role, &r);
		rc = store_user_create(s, people[i].email, people[i].name, hash, r, &uid);
		if (rc == STORE_OK && people[i].org >= 0)
			rc = store_membership_add(s, uid, org_ids[people[i].org]);
	}
	plan p = {
		.title = "Actieplan Open Overheid 2020–2022",
		.description =
			"Overheid en samenleving maken samen het Actieplan Open Overheid voor het Open "
			"Government Partnership. In september 2020 vulden 48 mensen de online consultatie "
			"in, en meer dan het dubbele aantal deed mee aan de meedenksessies over de thema's. "
			"Actiehouders werken de actiepunten uit; een stakeholderforum houdt vier keer per "
			"jaar toezicht op de uitvoering.",
		.period_start = "2020-08-01",
		.period_end = "2022-12-31",
		.status = "implementation",
	};
	if (rc == STORE_OK)
		rc = store_plan_create(s, &p, &plan_id);
	for (size_t i = 0; rc == STORE_OK && i < N(phases); i++)
		rc = store_phase_add(s, plan_id, phases[i].name, phases[i].start, phases[i].end,
		                     &phase_ids[i]);
	for (size_t i = 0; rc == STORE_OK && i < N(themes); i++)
		rc = store_theme_add(s, plan_id, themes[i].name, themes[i].description, NULL);
	if (rc == STORE_OK) {
		p.id = plan_id;
		p.current_phase = phase_ids[CURRENT_PHASE];
		rc = store_plan_update(s, &p);
	}
	for (size_t i = 0; rc == STORE_OK && demo_parts[i]; i++)
		if (demo_parts[i](s, plan_id, err, errlen) != 0) {
			store_rollback(s);
			arena_free(&a);
			return -1;
		}
	if (rc == STORE_OK) {
		char today[32];
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(today, sizeof today, "%Y-%m-%d", &tm);
		rc = store_meta_set(s, "demo_loaded", today);
	}
	if (rc == STORE_OK)
		rc = store_commit(s);
	if (rc != STORE_OK) {
		store_rollback(s);
		snprintf(err, errlen, "could not load the demo data: %s; nothing was changed",
		         store_rc_name(rc));
		arena_free(&a);
		return -1;
	}
	arena_free(&a);
	return 0;
}
