/* plan_demo.c — the base of the demo: the organisations of the seeds,
 * fictitious people (see the README for their accounts) and the plan
 * Actieplan Open Overheid 2020–2022 with its phases and themes. Facts come
 * from the seeds in shared/seeds; the texts are our own words. The other
 * features add their parts after this one (app_demo_load).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "plan.h"

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

#define N(a) (sizeof a / sizeof *a)

int plan_demo(store *s, char *err, size_t errlen)
{
	char hash[128];
	if (auth_hash_password(APP_DEMO_PASSWORD, hash) != 0) {
		snprintf(err, errlen, "could not hash the demo password (out of memory)");
		return -1;
	}
	int64_t org_ids[N(orgs)];
	int64_t plan_id = 0, phase_ids[N(phases)];
	store_rc rc = STORE_OK;
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
	if (rc != STORE_OK) {
		snprintf(err, errlen, "could not load the plan: %s", store_rc_name(rc));
		return -1;
	}
	return 0;
}
