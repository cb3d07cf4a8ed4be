/* act_demo.c — the action plan's part of the demo: the action points that
 * the seeds name (Contract Register, Direct Duidelijk Brigade, the open
 * source toolbox, the algorithm register, active disclosure under the Woo,
 * publishing complaints, the organisation scan, Open Raadsinformatie and
 * the Pioniersnetwerk), in our own words, with holders from the seeds'
 * organisations, milestones, progress updates, a late milestone, links,
 * and an action point that seeks a holder with an open offer. All are
 * published; their late milestones count as already told.
 * Joris Bakker (Open State Foundation) is a holder's contact person, so
 * the holder's path can be tried with a demo account.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "act.h"

typedef struct { const char *org, *role, *contact; } demo_holder;
typedef struct { const char *title, *output, *due, *done; } demo_ms;
typedef struct { const char *on, *author; int percent; const char *body, *url; } demo_upd;
typedef struct {
	const char *theme, *title, *problem, *status_quo, *what, *how_helps, *ambition, *values;
	const char *minimal, *maximal, *needs, *start, *end, *status;
	demo_holder holders[3];
	demo_ms     ms[5];
	demo_upd    upd[3];
} demo_point;

static const struct { const char *name, *sector; } extra_orgs[] = {
	{ "Direct Duidelijk Brigade", "government" },
	{ "Gemeente Amsterdam", "government" },
	{ "Rijksprogramma voor Duurzaam Digitale Informatiehuishouding", "government" },
	{ "Raad voor de rechtspraak", "government" },
};

#define BZK "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"
#define LEP "Leer- en Expertisepunt Open Overheid"
#define OSF "Open State Foundation"

static const demo_point points[] = {
	{ "Open Inkoop", "Contract Register: open inkoopinformatie van het Rijk",
	  "Wat het Rijk inkoopt, bij wie en onder welke voorwaarden is moeilijk te vinden. Informatie staat verspreid en categorieplannen zijn lang en juridisch geschreven.",
	  "Er is een openbare Rijksaanbestedingskalender en TenderNed, maar geen plek die het hele inkoopproces laat zien en geen georganiseerde dialoog erover.",
	  "Onderzoeken hoe een platform voor alle openbare inkoopdata van het Rijk kan werken, en daarover met burgers, bedrijven en belangenorganisaties in gesprek gaan.",
	  "Als contracten en plannen vindbaar zijn en mensen erover kunnen meepraten, kan iedereen zien waar publiek geld naartoe gaat en kan het Rijk beter inkopen.",
	  "Eén register voor de keten van strategie tot contract en resultaat.",
	  "information,participation,accountability",
	  "Een inventarisatie van wat stakeholders willen weten, en een leesbare versie van drie categorieplannen.",
	  "Een werkend contractregister met monitoring van het opgeleverde resultaat en structurele dialoogsessies.",
	  "Decentrale overheden die willen aansluiten; menskracht voor de dialoog.",
	  "2021-01-01", "2022-06-30", "in_progress",
	  { { BZK, "lead", "sanne.devries@openplan.example" }, { OSF, "partner", "joris.bakker@openplan.example" } },
	  { { "Plan van aanpak voor de stakeholdergesprekken", "Een plan dat zegt welke stakeholders we bevragen en hoe.", "2021-01-31", "2021-01-28" },
	    { "Inventarisatie van de behoeften", "Een lijst met wensen van stakeholders.", "2021-04-30", "2021-05-20" },
	    { "Prototype van het contractregister", "Een prototype met de contracten van één inkoopcategorie.", "2022-03-31", "" },
	    { "Eerste dialoogsessie over een categorieplan", "Een verslag van de sessie.", "2022-06-15", "" } },
	  { { "2021-05-21", "joris.bakker@openplan.example", 30,
	      "De **inventarisatie** is klaar. Wat we vaak hoorden:\n\n- maak duidelijk wie eigenaar is van de data uit een contract;\n- laat ook zien wat er is opgeleverd, niet alleen wat is afgesproken;\n- maak informatie beter vindbaar.",
	      "https://www.open-overheid.nl/" },
	    { "2021-11-10", "sanne.devries@openplan.example", 45,
	      "Het prototype loopt vertraging op: de koppeling met de bestaande systemen is lastiger dan gedacht. We verwachten het prototype in het voorjaar.", "" } } },
	{ "Open Communicatie", "Direct Duidelijk Brigade",
	  "Brieven, websites en plannen van de overheid zijn vaak moeilijk te lezen. Dan kunnen mensen niet meedoen of meepraten.",
	  "Veel organisaties willen helder schrijven, maar weten niet hoe ze beginnen.",
	  "Een brigade van schrijvers helpt overheidsorganisaties teksten te herschrijven in begrijpelijke taal, te beginnen bij de categorieplannen van het Rijk.",
	  "Heldere teksten maken informatie echt toegankelijk: wie de tekst begrijpt, kan reageren.",
	  "Helder schrijven wordt de gewone manier van werken.",
	  "information,participation",
	  "Drie categorieplannen herschreven en getest met lezers.",
	  "Een aanpak die elke organisatie zelf kan gebruiken, met een netwerk van schrijvers.",
	  "Organisaties die teksten aanleveren; testlezers.",
	  "2021-01-01", "2022-12-31", "in_progress",
	  { { "Direct Duidelijk Brigade", "lead", "ruben.jansen@openplan.example" } },
	  { { "Samenwerking met Contract Register afgesproken", "Een afspraak over welke plannen we herschrijven.", "2021-03-31", "2021-03-15" },
	    { "Drie categorieplannen herschreven", "Drie leesbare samenvattingen.", "2021-12-31", "2022-02-14" },
	    { "Aanpak gedeeld met andere organisaties", "Een handreiking op de website.", "2022-12-31", "" } },
	  { { "2022-02-15", "ruben.jansen@openplan.example", 70,
	      "De drie samenvattingen zijn af en getest met twaalf lezers. Zij vonden de *nieuwe* versies veel beter te begrijpen.", "" } } },
	{ "Open Technologie", "Toolbox open source en een community van ontwikkelaars",
	  "Overheden ontwikkelen veel software, maar delen die weinig. Zo vinden organisaties het wiel steeds opnieuw uit.",
	  "De beleidslijn is 'open, tenzij', maar het is niet duidelijk hoe je open source werkt en wat er al beschikbaar is.",
	  "Een open toolbox met handvatten voor open source werken, een overzicht van beschikbare software en een community van ontwikkelaars rond developer.overheid.nl.",
	  "Met handvatten en een community kunnen overheden elkaars software gebruiken en samen onderhouden.",
	  "Open source wordt de standaard bij de overheid.",
	  "technology,accountability",
	  "Een eerste versie van de toolbox online.",
	  "Een actieve community die samen software beheert, met een overzicht van alle open source van de overheid.",
	  "Mensen voor beheer en onderhoud van gedeelde projecten.",
	  "2021-01-01", "2022-12-31", "in_progress",
	  { { BZK, "lead", "" } },
	  { { "Eerste versie van de toolbox", "Een toolbox met tien handvatten.", "2021-06-30", "2021-06-24" },
	    { "Start-up in residence challenge afgerond", "Nieuwe functies op developer.overheid.nl.", "2021-12-31", "2021-12-20" },
	    { "Overzicht van beschikbare open source", "Een vindbaar overzicht.", "2022-09-30", "2022-10-05" } },
	  { { "2021-12-21", "", 60,
	      "De challenge is afgerond. Ontwikkelaars kunnen nu op developer.overheid.nl discussiëren en live experimenteren.", "https://developer.overheid.nl/" } } },
	{ "Open Technologie", "Algoritmeregister en impact assessment",
	  "Overheden gebruiken algoritmen bij besluiten over mensen, maar vaak weet niemand buiten de organisatie welke en hoe.",
	  "Amsterdam heeft samen met Helsinki een register met drie algoritmen. Andere overheden hebben er nog geen.",
	  "Het register uitbreiden, inkoopvoorwaarden voor algoritmen opstellen en een impact assessment maken dat ook naar mensenrechten kijkt.",
	  "Wie weet welke algoritmen er zijn en hoe ze werken, kan vragen stellen en fouten melden.",
	  "Elke overheid publiceert haar algoritmen.",
	  "information,accountability,technology",
	  "Tien algoritmen van Amsterdam in het register.",
	  "Een register dat andere overheden ook gebruiken, met een getest impact assessment.",
	  "Gemeenten die willen meedoen.",
	  "2021-01-01", "2022-12-31", "in_progress",
	  { { "Gemeente Amsterdam", "lead", "" }, { "Vereniging van Nederlandse Gemeenten", "partner", "" } },
	  { { "Tien algoritmen in het register", "Tien beschrijvingen met techniek en gebruikte data.", "2021-09-30", "2021-10-12" },
	    { "Inkoopvoorwaarden voor algoritmen", "Modelvoorwaarden.", "2022-03-31", "2022-03-30" },
	    { "Impact assessment getest bij vijf gemeenten", "Een getest assessment.", "2022-09-30", "" } },
	  { { "2022-04-01", "", 55,
	      "De modelvoorwaarden voor het inkopen van algoritmen zijn klaar en gedeeld met de VNG.", "" } } },
	{ "Open Informatie", "Actieve openbaarmaking onder de Woo",
	  "Veel informatie komt pas naar buiten na een verzoek. Dat kost tijd en levert zwartgelakte pagina's op.",
	  "De Wet open overheid vraagt om actieve openbaarmaking, maar organisaties weten nog niet goed hoe.",
	  "Pilots waarin organisaties zelf informatie openbaar maken, met aandacht voor persoonlijke beleidsopvattingen.",
	  "Informatie die vooraf openbaar is, hoeft niet achteraf opgevraagd te worden.",
	  "Openbaarheid vooraf in plaats van achteraf.",
	  "information",
	  "Twee pilots met lessen voor andere organisaties.",
	  "Een ondersteunende actielijn die alle overheden helpt bij actieve openbaarmaking.",
	  "Bestuurders die openbaarheid op de agenda zetten.",
	  "2021-03-01", "2022-12-31", "adopted",
	  { { "Rijksprogramma voor Duurzaam Digitale Informatiehuishouding", "lead", "" } },
	  { { "Twee pilots gestart", "Afspraken met twee organisaties.", "2021-09-30", "2021-09-01" },
	    { "Lessen uit de pilots gedeeld", "Een handreiking voor andere overheden.", "2022-12-31", "" } },
	  { { NULL, NULL, 0, NULL, NULL } } },
	{ "Open Justice", "Klachten openbaar maken",
	  "Klachten laten zien waar het in een systeem misgaat, maar ze worden zelden openbaar gemaakt en dus niet samen geanalyseerd.",
	  "Onder de Woo moeten klachten actief openbaar worden, maar er is geen gedeelde manier om dat te doen.",
	  "Met koplopers een eenduidige manier ontwikkelen om klachten en gegevens over klachten te publiceren, met respect voor privacy.",
	  "Openbare klachten maken analyse mogelijk, zodat van losse klachten structurele verbeteringen komen.",
	  "Van incidenteel naar structureel leren van klachten.",
	  "information,accountability",
	  "Een verkenning met twee organisaties.",
	  "Een standaard voor het publiceren van klachten die meerdere organisaties gebruiken.",
	  "Een actiehouder, en organisaties die als koploper willen meedoen.",
	  "2021-06-01", "2022-12-31", "seeking",
	  { { NULL, NULL, NULL } }, { { NULL, NULL, NULL, NULL } }, { { NULL, NULL, 0, NULL, NULL } } },
	{ "Open Organisatie", "Organisatiescan open werken",
	  "Organisaties willen opener werken, maar weten niet waar ze staan en wat de volgende stap is.",
	  "Er zijn losse workshops en webinars, maar geen manier om de eigen organisatie te bekijken.",
	  "Een scan waarmee een organisatie zelf kijkt hoe open zij werkt, met suggesties voor de volgende stap.",
	  "Wie weet waar hij staat, kan gericht verbeteren en van anderen leren.",
	  "Een cultuur waarin open werken gewoon is.",
	  "participation,accountability",
	  "Een scan die tien organisaties hebben ingevuld.",
	  "Een scan met een leernetwerk in de Alliantie Open Overheid.",
	  "Organisaties die de scan willen proberen.",
	  "2021-01-01", "2022-12-31", "adopted",
	  { { LEP, "lead", "" } },
	  { { "Eerste versie van de scan", "Een vragenlijst met uitleg.", "2021-10-31", "2021-11-03" },
	    { "Tien organisaties hebben de scan ingevuld", "Een verslag met wat opviel.", "2022-10-31", "" } },
	  { { NULL, NULL, 0, NULL, NULL } } },
	{ "Open Democratie", "Open Raadsinformatie",
	  "Raadsstukken van gemeenten en provincies staan op veel verschillende systemen en zijn moeilijk te doorzoeken.",
	  "Een deel van de gemeenten levert raadsinformatie als open data; veel nog niet.",
	  "Raadsinformatie van alle gemeenten en provincies als open data beschikbaar maken, met een zoekfunctie voor iedereen.",
	  "Inwoners, journalisten en raadsleden kunnen volgen wat er besloten wordt en waarom.",
	  "Alle raadsinformatie van Nederland op één plek doorzoekbaar.",
	  "information,participation,technology",
	  "Twintig extra gemeenten aangesloten.",
	  "Alle gemeenten en provincies aangesloten.",
	  "Een actiehouder en leveranciers van raadsinformatiesystemen.",
	  "2021-03-01", "2022-12-31", "seeking",
	  { { NULL, NULL, NULL } }, { { NULL, NULL, NULL, NULL } }, { { NULL, NULL, 0, NULL, NULL } } },
	{ "Open Organisatie", "Pioniersnetwerk Open Overheid",
	  "Ambtenaren die open willen werken, staan er vaak alleen voor.",
	  "Er zijn enthousiaste pioniers, maar ze kennen elkaar niet.",
	  "Een netwerk van pioniers dat ervaringen, dilemma's en goede voorbeelden deelt.",
	  "Samen leren gaat sneller dan alleen, en goede voorbeelden inspireren anderen.",
	  "Een netwerk dat zichzelf draagt.",
	  "participation",
	  "Vier bijeenkomsten per jaar.",
	  "Een netwerk met regionale groepen en een eigen agenda.",
	  "",
	  "2021-01-01", "2022-06-30", "completed",
	  { { LEP, "lead", "" }, { "Netwerk Democratie", "partner", "amira.elhaddad@openplan.example" } },
	  { { "Eerste bijeenkomst", "Een verslag.", "2021-03-31", "2021-03-25" },
	    { "Tien goede voorbeelden gedeeld", "Tien voorbeelden op de website.", "2021-12-31", "2021-12-10" },
	    { "Netwerk draagt zichzelf", "Een eigen kerngroep.", "2022-06-30", "2022-06-20" } },
	  { { "2022-06-21", "amira.elhaddad@openplan.example", 100,
	      "De kerngroep heeft het netwerk overgenomen. Het actiepunt is daarmee klaar.", "" } } },
};

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
	return email && *email && store_user_by_email(s, a, email, &u) == STORE_OK ? u.id : 0;
}

int act_demo(store *s, char *err, size_t errlen)
{
	arena a;
	arena_init(&a, 0);
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < sizeof extra_orgs / sizeof *extra_orgs; i++)
		if (!find_org(s, &a, extra_orgs[i].name))
			rc = store_org_create(s, extra_orgs[i].name, extra_orgs[i].sector, NULL);
	plan pl;
	if (rc == STORE_OK)
		rc = store_plan_main(s, &a, &pl);
	int64_t plan_id = rc == STORE_OK ? pl.id : 0;
	int64_t ids[sizeof points / sizeof *points] = { 0 };
	int64_t organiser = find_user(s, &a, "sanne.devries@openplan.example");
	for (size_t i = 0; rc == STORE_OK && i < sizeof points / sizeof *points; i++) {
		const demo_point *d = &points[i];
		act_point p = { .plan_id = plan_id, .title = d->title, .problem = d->problem,
			        .status_quo = d->status_quo, .what = d->what, .how_helps = d->how_helps,
			        .ambition = d->ambition, .ogp_values = d->values, .minimal = d->minimal,
			        .maximal = d->maximal, .needs = d->needs, .starts_on = d->start,
			        .ends_on = d->end, .status = d->status, .stop_reason = "",
			        .published_at = (int64_t)time(NULL) };
		for (size_t t = 0; t < pl.nthemes; t++)
			if (!strcmp(pl.themes[t].name, d->theme))
				p.theme_id = pl.themes[t].id;
		if (!p.theme_id) {
			snprintf(err, errlen, "demo: no theme %s", d->theme);
			arena_free(&a);
			return -1;
		}
		rc = act_store_create(s, &p, organiser, &ids[i]);
		for (int h = 0; rc == STORE_OK && h < 3 && d->holders[h].org; h++) {
			int64_t org = find_org(s, &a, d->holders[h].org);
			rc = org ? act_store_holder_set(s, ids[i], org, d->holders[h].role,
			                                find_user(s, &a, d->holders[h].contact), organiser)
			         : STORE_NOTFOUND;
		}
		for (int m = 0; rc == STORE_OK && m < 5 && d->ms[m].title; m++) {
			act_milestone ms = { .action_id = ids[i], .title = d->ms[m].title,
				             .output = d->ms[m].output, .due_on = d->ms[m].due,
				             .done_on = d->ms[m].done };
			rc = act_store_milestone_add(s, &ms, organiser, NULL);
		}
		for (int u = 0; rc == STORE_OK && u < 3 && d->upd[u].on; u++) {
			act_update up = { .action_id = ids[i], .posted_on = d->upd[u].on,
				          .body = d->upd[u].body, .evidence_url = d->upd[u].url,
				          .percent = d->upd[u].percent, .quiet = true };
			int64_t author = find_user(s, &a, d->upd[u].author);
			rc = act_store_update_add(s, &up, author ? author : organiser, NULL);
		}
	}
	/* Open Inkoop wants to work with the Direct Duidelijk Brigade; the
	 * algorithm register with the open source toolbox. */
	if (rc == STORE_OK)
		rc = act_store_link_add(s, ids[0], ids[1], organiser);
	if (rc == STORE_OK)
		rc = act_store_link_add(s, ids[3], ids[2], organiser);
	/* Open Raadsinformatie seeks a holder; Open State Foundation offers. */
	int64_t joris = find_user(s, &a, "joris.bakker@openplan.example");
	if (rc == STORE_OK) {
		act_offer o = { .action_id = ids[7], .user_id = joris,
			        .org_id = find_org(s, &a, OSF), .org_name = OSF, .role = "lead",
			        .message = "Open State Foundation bouwt al aan Open Raadsinformatie en wil "
			                   "dit actiepunt trekken, samen met de leveranciers van "
			                   "raadsinformatiesystemen." };
		rc = joris && o.org_id ? act_store_offer_create(s, &o, NULL) : STORE_NOTFOUND;
	}
	/* The demo's late milestones are history, not news: nobody is told
	 * about them when the server starts (act_late.c). */
	if (rc == STORE_OK)
		rc = act_store_late_told(s, act_today());
	arena_free(&a);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "could not load the demo action points: %s", store_rc_name(rc));
		return -1;
	}
	return 0;
}
