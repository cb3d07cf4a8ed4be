/* monitor_demo.c — monitoring's part of the demo, from the seeds in our
 * own words: global criteria from the stakeholder forum's suggestions of
 * 18 March 2021 ("global criteria within which action holders shape their
 * own measurement"; some action points are about transparency, others
 * about open contact); indicators with baselines, targets and
 * measurements on Contract Register (categorieplannen published — behind
 * its path, as the prototype is late), the Direct Duidelijk Brigade
 * (organisations taking part), Open Raadsinformatie (municipalities
 * connected, from the 100 of the 2018 holders' meeting) and the
 * Pioniersnetwerk; the forum with members of the seeds' organisations, in
 * which government members outnumber the others and two members also hold
 * an action point, so both warnings show; its rules of procedure in two
 * versions; assessments in every voice on a few action points, with a
 * reviewer's finding that the holder corrects (as the 2018 holders wanted
 * to), and concerns. People are fictitious. Nothing in it tells anybody:
 * it is history, not news.
 */
#include <stdio.h>
#include <string.h>

#include "monitor.h"

#define N(a) (sizeof a / sizeof *a)

static const struct { const char *title, *explanation; } criteria[] = {
	{ "Meer informatie openbaar voordat erom gevraagd wordt",
	  "De overheid maakt informatie uit zichzelf openbaar. Actiehouders kiezen zelf wat ze tellen: "
	  "gepubliceerde documenten, aangesloten organisaties, datasets." },
	{ "Meer mensen betrokken bij besluiten",
	  "Inwoners, organisaties en bedrijven praten mee over wat de overheid doet. Het forum stelde "
	  "voor ook landelijke bronnen als 'Waar staat je gemeente?' en een enquête onder de doelgroep "
	  "te gebruiken." },
	{ "Open contact: de overheid is bereikbaar en begrijpelijk",
	  "Sommige actiepunten gaan meer over open contact dan over transparantie, zei het forum. Denk "
	  "aan begrijpelijke teksten en organisaties die daaraan meedoen." },
	{ "Open werken wordt de gewone manier van werken",
	  "Ambtenaren en organisaties werken open en leren van elkaar; te volgen aan netwerken en "
	  "organisaties die meedoen." },
};

typedef struct { const char *on, *value; } demo_measure;
typedef struct {
	const char *action;   /* the start of the action point's title */
	int criterion;
	const char *title, *unit, *direction, *base, *base_on, *source, *target, *target_on, *freq;
	demo_measure ms[9];
} demo_indicator;

/* Contract Register first: its indicator is number 1 on action point 1. */
static const demo_indicator indicators[] = {
	{ "Contract Register", 0, "Categorieplannen openbaar gepubliceerd", "categorieplannen",
	  "higher", "0", "2021-01-04", "Overzicht van Rijksinkoop, januari 2021", "12", "2022-06-30",
	  "quarterly",
	  { { "2021-03-31", "1" }, { "2021-06-30", "2" }, { "2021-09-30", "3" }, { "2021-12-31", "4" },
	    { "2022-03-31", "5" } } },
	{ "Direct Duidelijk Brigade", 2, "Organisaties die meedoen", "organisaties", "higher", "3",
	  "2021-01-15", "Aanmeldingen bij de brigade", "25", "2022-12-31", "half_yearly",
	  { { "2021-06-30", "8" }, { "2021-12-31", "14" }, { "2022-06-30", "21" },
	    { "2022-12-31", "26" } } },
	{ "Open Raadsinformatie", 0, "Gemeenten aangesloten op Open Raadsinformatie", "gemeenten",
	  "higher", "100", "2018-06-26",
	  "Actiehoudersbijeenkomst van 26 juni 2018: 100 gemeenten aangesloten", "150", "2022-12-31",
	  "half_yearly",
	  { { "2018-12-31", "105" }, { "2019-06-30", "112" }, { "2019-12-31", "118" },
	    { "2020-06-30", "124" }, { "2020-12-31", "130" }, { "2021-06-30", "136" },
	    { "2021-12-31", "141" }, { "2022-06-30", "146" } } },
	{ "Pioniersnetwerk", 3, "Pioniers in het netwerk", "deelnemers", "higher", "40", "2021-01-01",
	  "Ledenlijst van het netwerk", "150", "2022-06-30", "quarterly",
	  { { "2021-03-31", "55" }, { "2021-06-30", "78" }, { "2021-09-30", "96" },
	    { "2021-12-31", "118" }, { "2022-03-31", "139" }, { "2022-06-30", "157" } } },
};

static const struct { const char *name, *sector; } new_orgs[] = {
	{ "Gemeente Utrecht", "government" },
	{ "Universiteit Utrecht", "academia" },
};

#define BZK "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"
#define LEP "Leer- en Expertisepunt Open Overheid"

/* The forum: chair and members (government outnumbers the others), an
 * observer, and a member who left. Joris and Amira hold action points. */
static const struct {
	const char *email, *name, *org, *role, *from, *until;
} members[] = {
	{ "marloes.dijkstra@openplan.example", "Marloes Dijkstra", BZK, "chair", "2020-12-01", "" },
	{ "pieter.vandam@openplan.example", "Pieter van Dam", LEP, "member", "2020-12-01", "" },
	{ "ingrid.smit@openplan.example", "Ingrid Smit", "Vereniging van Nederlandse Gemeenten",
	  "member", "2020-12-01", "" },
	{ "kees.hoekstra@openplan.example", "Kees Hoekstra", "Gemeente Amsterdam", "member",
	  "2021-03-18", "" },
	{ "laura.bos@openplan.example", "Laura Bos", "Gemeente Utrecht", "member", "2021-03-18", "" },
	{ "joris.bakker@openplan.example", NULL, "Open State Foundation", "member", "2020-12-01", "" },
	{ "amira.elhaddad@openplan.example", NULL, "Netwerk Democratie", "member", "2020-12-01", "" },
	{ "femke.visser@openplan.example", "Femke Visser", "Universiteit Utrecht", "member",
	  "2020-12-01", "" },
	{ "thomas.mulder@openplan.example", "Thomas Mulder", "Nationale ombudsman", "observer",
	  "2021-03-18", "" },
	{ "hanna.degroot@openplan.example", "Hanna de Groot", "Balans Communicatie", "member",
	  "2020-12-01", "2021-12-31" },
};

static const char rules_v1[] =
	"## Taak\n\n"
	"Het stakeholderforum houdt toezicht op het Actieplan Open Overheid: het volgt de actiepunten, "
	"stelt vragen aan actiehouders en geeft advies aan het ministerie van BZK.\n\n"
	"## Samenstelling\n\n"
	"Leden komen van overheden, maatschappelijke organisaties, bedrijven en de wetenschap. Er is "
	"een voorzitter. Waarnemers mogen meepraten.\n\n"
	"## Vergaderingen\n\n"
	"Het forum komt vier keer per jaar bijeen. De verslagen zijn openbaar.\n";

static const char rules_v2[] =
	"## Taak\n\n"
	"Het stakeholderforum houdt toezicht op het Actieplan Open Overheid: het volgt de actiepunten, "
	"stelt vragen aan actiehouders en geeft advies aan het ministerie van BZK. Het forum bestaat "
	"omdat het Open Government Partnership een toezichthoudende groep vraagt.\n\n"
	"## Samenstelling\n\n"
	"- Leden komen van overheden, maatschappelijke organisaties, bedrijven en de wetenschap.\n"
	"- Ten minste de helft van de voorzitter en de leden komt van buiten de overheid.\n"
	"- Waarnemers mogen meepraten en tellen niet mee in de verhouding.\n\n"
	"## Dubbele rollen\n\n"
	"Een lid dat zelf een actiepunt uitvoert, meldt dat. Het beoordeelt dat actiepunt niet namens "
	"het forum; voor dat actiepunt spreekt het als actiehouder.\n\n"
	"## Vergaderingen\n\n"
	"Het forum komt vier keer per jaar bijeen, en nooit minder dan eens per zes maanden (de "
	"minimumeis van het OGP). De verslagen zijn openbaar.\n";

static int64_t find_org(store *s, arena *a, const char *name)
{
	organisation *os;
	size_t n;
	if (store_org_list(s, a, &os, &n) != STORE_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(os[i].name, name))
			return os[i].id;
	return 0;
}

static int64_t find_user(store *s, arena *a, const char *email)
{
	user u;
	return store_user_by_email(s, a, email, &u) == STORE_OK ? u.id : 0;
}

static int64_t find_point(const act_point *ps, size_t n, const char *start)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(ps[i].title, start, strlen(start)))
			return ps[i].id;
	return 0;
}

typedef struct demo_ctx {
	arena a;
	store *s;
	int64_t plan_id;
	act_point *ps;
	size_t np;
	int64_t crit[N(criteria)];
} demo_ctx;

static store_rc demo_indicators(demo_ctx *d, int64_t author)
{
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < N(criteria); i++)
		rc = monitor_store_criterion_add(d->s, d->plan_id, criteria[i].title,
		                                 criteria[i].explanation, &d->crit[i]);
	for (size_t i = 0; rc == STORE_OK && i < N(indicators); i++) {
		const demo_indicator *x = &indicators[i];
		monitor_indicator ind = { .action_id = find_point(d->ps, d->np, x->action),
			                  .criterion_id = d->crit[x->criterion], .title = x->title,
			                  .unit = x->unit, .direction = x->direction,
			                  .baseline_value = x->base, .baseline_on = x->base_on,
			                  .baseline_source = x->source, .target_value = x->target,
			                  .target_on = x->target_on, .frequency = x->freq };
		int64_t id = 0;
		rc = ind.action_id ? monitor_store_indicator_add(d->s, &ind, author, &id)
		                   : STORE_NOTFOUND;
		for (size_t k = 0; rc == STORE_OK && k < N(x->ms) && x->ms[k].on; k++) {
			monitor_measurement m = { .indicator_id = id, .value = x->ms[k].value,
				                  .measured_on = x->ms[k].on, .source_url = "",
				                  .note = "" };
			rc = monitor_store_measurement_add(d->s, &m, author, NULL);
		}
	}
	return rc;
}

static store_rc demo_forum(demo_ctx *d, const char *hash)
{
	store *s = d->s;
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < N(new_orgs); i++)
		if (!find_org(s, &d->a, new_orgs[i].name))
			rc = store_org_create(s, new_orgs[i].name, new_orgs[i].sector, NULL);
	for (size_t i = 0; rc == STORE_OK && i < N(members); i++) {
		int64_t uid = find_user(s, &d->a, members[i].email);
		int64_t org = find_org(s, &d->a, members[i].org);
		if (!uid && members[i].name) {
			rc = store_user_create(s, members[i].email, members[i].name, hash, ROLE_PARTICIPANT,
			                       &uid);
			if (rc == STORE_OK && org)
				rc = store_membership_add(s, uid, org);
		}
		monitor_member m = { .plan_id = d->plan_id, .user_id = uid, .org_id = org,
			             .role = members[i].role, .from_on = members[i].from,
			             .until_on = members[i].until };
		if (rc == STORE_OK)
			rc = uid && org ? monitor_store_member_save(s, &m, NULL) : STORE_NOTFOUND;
	}
	int64_t organiser = find_user(s, &d->a, "sanne.devries@openplan.example");
	if (rc == STORE_OK)
		rc = monitor_store_forum_set(s, d->plan_id, 50, 4);
	if (rc == STORE_OK)
		rc = monitor_store_rules_publish(s, d->plan_id, rules_v1, "Eerste versie.", organiser,
		                                 NULL);
	if (rc == STORE_OK)
		rc = monitor_store_rules_publish(s, d->plan_id, rules_v2,
		                                 "Na het forum van 18 maart 2021: de verhouding overheid "
		                                 "en niet-overheid, en dubbele rollen.",
		                                 organiser, NULL);
	return rc;
}

typedef struct {
	const char *action, *voice, *reviewer;
	const char *verifiable, *lens, *values, *potential, *design_note;
	const char *completion, *opened, *end_note;
} demo_assessment;

static const demo_assessment assessments[] = {
	{ "Contract Register", "holder", NULL, "yes", "yes", "information,participation,accountability",
	  "substantial",
	  "Elke stap is te controleren: de gepubliceerde categorieplannen en de verslagen van de "
	  "dialoogsessies staan online.",
	  "limited", "marginal",
	  "De inventarisatie is af en vijf categorieplannen zijn openbaar. Het prototype van het "
	  "register loopt vertraging op door de koppeling met bestaande systemen." },
	{ "Contract Register", "forum", "femke.visser@openplan.example", "yes", "yes",
	  "information,accountability", "modest",
	  "Openbaar maken alleen is nog geen dialoog. Het actiepunt zegt weinig over wie er gaat "
	  "meepraten.",
	  "limited", "did_not_change",
	  "Vijf van de twaalf plannen staan online. Er is nog geen gesprek met burgers of bedrijven "
	  "over een plan gevoerd." },
	{ "Contract Register", "organiser", NULL, "yes", "yes", "information,participation,accountability",
	  "substantial",
	  "Het actiepunt volgt de hele keten van strategie tot contract; de stappen zijn te "
	  "controleren.",
	  "limited", "marginal",
	  "Vijf categorieplannen zijn openbaar en leesbaar samengevat. Het register zelf komt in het "
	  "volgende actieplan." },
	{ "Contract Register", "irm", NULL, "yes", "yes", "information", "modest",
	  "Het actiepunt is te controleren, maar het doel voor de dialoog is vaag.",
	  "limited", "did_not_change",
	  "De onderzoeker vond twee gepubliceerde categorieplannen en geen register." },
	{ "Direct Duidelijk Brigade", "holder", NULL, "yes", "yes", "information,participation",
	  "modest", "Herschreven teksten en deelnemende organisaties zijn te tellen.",
	  "complete", "marginal",
	  "Drie categorieplannen zijn herschreven en getest met twaalf lezers; 26 organisaties doen "
	  "mee." },
	{ "Direct Duidelijk Brigade", "forum", "joris.bakker@openplan.example", "yes", "yes",
	  "information", "modest",
	  "Begrijpelijke taal helpt, maar de open-overheidslens is smal: het gaat om teksten, niet om "
	  "meebeslissen.",
	  "complete", "marginal", "Wat beloofd was, is gedaan; de aanpak staat online." },
	{ "Direct Duidelijk Brigade", "organiser", NULL, "yes", "yes", "information,participation",
	  "modest", "Te controleren aan de herschreven plannen en de deelnemers.",
	  "complete", "marginal",
	  "Afgerond. De handreiking wordt ook buiten het Rijk gebruikt." },
	{ "Pioniersnetwerk", "holder", NULL, "yes", "yes", "participation", "substantial",
	  "Het aantal pioniers en de bijeenkomsten zijn te volgen.",
	  "complete", "major",
	  "De kerngroep heeft het netwerk overgenomen; er doen 157 pioniers mee." },
	{ "Pioniersnetwerk", "forum", "femke.visser@openplan.example", "yes", "no", "participation",
	  "modest",
	  "Een netwerk van ambtenaren is waardevol, maar inwoners doen er niet aan mee.",
	  "complete", "marginal",
	  "Het netwerk draagt zichzelf. Of de overheid daardoor opener werkt, is nog niet gemeten." },
	{ "Pioniersnetwerk", "organiser", NULL, "yes", "yes", "participation", "substantial",
	  "Te volgen aan de deelnemers en de gedeelde voorbeelden.",
	  "complete", "major",
	  "Afgerond: het netwerk heeft een eigen kerngroep en agenda." },
};

static store_rc demo_assessments(demo_ctx *d, int64_t organiser)
{
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < N(assessments); i++) {
		const demo_assessment *x = &assessments[i];
		int64_t reviewer = x->reviewer ? find_user(d->s, &d->a, x->reviewer) : 0;
		int64_t org = 0;
		if (reviewer)
			monitor_store_is_member(d->s, d->plan_id, reviewer, monitor_today(), &org);
		monitor_assessment a = { .action_id = find_point(d->ps, d->np, x->action),
			                 .voice = x->voice, .reviewer_id = reviewer, .org_id = org,
			                 .verifiable = x->verifiable, .lens = x->lens,
			                 .ogp_values = x->values, .potential = x->potential,
			                 .design_note = x->design_note, .completion = x->completion,
			                 .opened = x->opened, .end_note = x->end_note, .quiet = true };
		rc = a.action_id ? monitor_store_assessment_set(d->s, &a, reviewer ? reviewer : organiser)
		                 : STORE_NOTFOUND;
	}
	/* The holder corrects the reviewer, as the holders of 2018 wanted to. */
	int64_t joris = find_user(d->s, &d->a, "joris.bakker@openplan.example");
	if (rc == STORE_OK)
		rc = monitor_store_reaction_set(
			d->s, find_point(d->ps, d->np, "Contract Register"),
			"De onderzoeker telt twee categorieplannen. Op 31 maart 2022 waren het er vijf; ze "
			"staan bij de metingen van de indicator, met de datum van publicatie. Het register is "
			"inderdaad nog niet klaar.",
			joris);
	/* Concerns: one answered, one open. */
	int64_t femke = find_user(d->s, &d->a, "femke.visser@openplan.example");
	int64_t femke_org = 0;
	monitor_store_is_member(d->s, d->plan_id, femke, monitor_today(), &femke_org);
	int64_t cr = find_point(d->ps, d->np, "Contract Register");
	monitor_concern c1 = { .action_id = cr, .author_id = femke, .org_id = femke_org,
		               .body = "De indicator loopt achter en het prototype is vertraagd. Hoe "
		                       "voorkomen jullie dat alleen de inventarisatie overblijft?",
		               .quiet = true };
	int64_t cid = 0;
	if (rc == STORE_OK)
		rc = monitor_store_concern_add(d->s, &c1, &cid);
	if (rc == STORE_OK)
		rc = monitor_store_concern_answer(d->s, cr, cid,
		                                  "We publiceren dit voorjaar vijf plannen extra en "
		                                  "bespreken het eerste plan in een dialoogsessie in juni.",
		                                  joris, true);
	monitor_concern c2 = { .action_id = find_point(d->ps, d->np, "Algoritmeregister"),
		               .author_id = femke, .org_id = femke_org,
		               .body = "Het register telt alleen algoritmen van Amsterdam. Doen andere "
		                       "gemeenten al mee, en wie beslist welke algoritmen erin komen?",
		               .quiet = true };
	if (rc == STORE_OK)
		rc = c2.action_id ? monitor_store_concern_add(d->s, &c2, NULL) : STORE_NOTFOUND;
	return rc;
}

int monitor_demo(store *s, char *err, size_t errlen)
{
	char hash[128];
	if (auth_hash_password(APP_DEMO_PASSWORD, hash) != 0) {
		snprintf(err, errlen, "could not hash the demo password (out of memory)");
		return -1;
	}
	demo_ctx d = { .s = s };
	arena_init(&d.a, 0);
	plan pl;
	store_rc rc = store_plan_main(s, &d.a, &pl);
	if (rc == STORE_OK) {
		d.plan_id = pl.id;
		rc = act_store_list(s, &d.a, pl.id, ACT_PUBLISHED, &d.ps, &d.np);
	}
	int64_t organiser = rc == STORE_OK ? find_user(s, &d.a, "sanne.devries@openplan.example") : 0;
	if (rc == STORE_OK)
		rc = demo_indicators(&d, organiser);
	if (rc == STORE_OK)
		rc = demo_forum(&d, hash);
	if (rc == STORE_OK)
		rc = demo_assessments(&d, organiser);
	/* The demo's missing measurements are history, not news: nobody is
	 * told about them when the server starts (monitor_due.c). */
	if (rc == STORE_OK)
		rc = monitor_store_due_told(s, monitor_today());
	arena_free(&d.a);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "could not load the demo's monitoring: %s", store_rc_name(rc));
		return -1;
	}
	return 0;
}
