/* agenda_demo.c — the demo's sessions, from the seeds' facts in our own
 * words: the think-along sessions of August–October 2020 with their
 * reports and boards, linked to their themes and action points (Open
 * Inkoop to Contract Register, Open Communicatie to the Direct Duidelijk
 * Brigade …); the table conversation "Cultuur van Open Overheid" of 17
 * June with its six ranked tasks; the sneak preview of 1 December 2020
 * with registrations and a waitlist; the stakeholder forum, four times a
 * year, with the report of 18 March 2021 and its live poll attached; the
 * next forum meeting (upcoming, with an open board) and one submitted
 * event waiting for moderation. People are fictitious.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../act/act.h"
#include "../poll/poll.h"
#include "agenda.h"

#define N(a) (sizeof a / sizeof *a)

/* Fictitious participants: registrations, notes and dots. */
static const struct { const char *email, *name; } people[] = {
	{ "lotte.visser@openplan.example", "Lotte Visser" },
	{ "daan.smit@openplan.example", "Daan Smit" },
	{ "noor.bos@openplan.example", "Noor Bos" },
	{ "milan.dekker@openplan.example", "Milan Dekker" },
	{ "eva.mulder@openplan.example", "Eva Mulder" },
	{ "sem.vandijk@openplan.example", "Sem van Dijk" },
	{ "fenna.meijer@openplan.example", "Fenna Meijer" },
	{ "youssef.amrani@openplan.example", "Youssef Amrani" },
	{ "iris.kok@openplan.example", "Iris Kok" },
	{ "bram.peters@openplan.example", "Bram Peters" },
	{ "sara.hendriks@openplan.example", "Sara Hendriks" },
	{ "thijs.vanleeuwen@openplan.example", "Thijs van Leeuwen" },
	{ "maud.brouwer@openplan.example", "Maud Brouwer" },
	{ "jesse.dejong@openplan.example", "Jesse de Jong" },
	{ "zoe.vermeulen@openplan.example", "Zoë Vermeulen" },
};

typedef struct demo_note { int col; const char *text; int votes; } demo_note;

typedef struct demo_session {
	const char *kind, *title, *date, *start, *end, *mode, *address, *description;
	const char *themes[3];
	const char *actions[3];   /* title prefixes */
	const char *report;
	const char *columns[4];
	demo_note   notes[10];
} demo_session;

static const char *const online = "https://meet.openplan.example/";

static const demo_session sessions[] = {
	{ "thinkalong", "Meedenksessie Open Technologie (deel I)", "2020-08-27", "14:00", "16:00",
	  "online", "",
	  "We verzamelen ideeën voor het thema **Open Technologie**, met de nadruk op open source. "
	  "Iedereen die met software bij de overheid werkt of erover meedenkt, is welkom.",
	  { "Open Technologie" }, { "Toolbox open source" },
	  "## Waar ging het over\n\n"
	  "In deze eerste sessie over Open Technologie ging het vooral over open source. Deelnemers "
	  "zetten hun ideeën en vragen op het bord. Drie dingen vielen op:\n\n"
	  "- Overheden bouwen vaak hetzelfde opnieuw; delen van code bespaart geld en tijd.\n"
	  "- Open source is niet alleen iets voor programmeurs: ook inkopers, juristen en bestuurders "
	  "moeten weten wat het vraagt.\n"
	  "- Een plek om code én kennis te delen ontbreekt nog.\n\n"
	  "## Wat we ermee doen\n\n"
	  "De punten gaan mee naar het actiepunt over een toolbox voor open source. In oktober volgt "
	  "een tweede sessie.",
	  { "Kansen", "Risico's", "Oplossingen" },
	  { { 0, "Gemeenten kunnen elkaars software hergebruiken", 6 },
	    { 0, "Open source maakt meedenken door burgers makkelijker", 3 },
	    { 1, "Niemand voelt zich eigenaar van gedeelde code", 4 },
	    { 1, "Inkoopregels passen nog niet bij open source", 5 },
	    { 2, "Een toolbox met licenties, voorbeelden en contracten", 7 },
	    { 2, "Een community van ontwikkelaars bij overheden", 4 } } },
	{ "thinkalong", "Meedenksessie Open Justice", "2020-10-05", "15:00", "16:30", "online", "",
	  "Open wetgeving en open rechtspraak: hoe zien mensen hoe regels en uitspraken tot stand "
	  "komen?",
	  { "Open Justice" }, { "Klachten openbaar maken" },
	  "## Twee sporen\n\n"
	  "Tijdens de sessie tekenden zich twee sporen af: open wetgeving (hoe komt een wet tot stand, "
	  "en wie kan meelezen) en open rechtspraak (uitspraken vindbaar en begrijpelijk maken).\n\n"
	  "## Vervolg\n\n"
	  "We verkennen of en hoe Open Justice een eigen plek krijgt in het actieplan. Het openbaar "
	  "maken van klachten is een eerste concreet idee.",
	  { NULL }, { { 0, NULL, 0 } } },
	{ "thinkalong", "Meedenksessie Open Inkoop", "2020-10-14", "10:00", "12:00", "online", "",
	  "Over Open Inkoop, en vooral het project **Contract Register**: een platform voor alle "
	  "openbare inkoopdata van het Rijk, en de dialoog erover.",
	  { "Open Inkoop" }, { "Contract Register", "Direct Duidelijk Brigade" },
	  "## Het Contract Register\n\n"
	  "Het project onderzoekt hoe een platform voor alle openbare inkoopdata van het Rijk kan "
	  "werken, en hoe we daarover met burgers, bedrijven en belangenorganisaties in gesprek gaan.\n\n"
	  "## Wat deelnemers meegaven\n\n"
	  "- Maak duidelijk wie eigenaar is van de data die uit een contract komt.\n"
	  "- Laat ook de maatschappelijke impact zien: wat leverde een contract op?\n"
	  "- Vertel vooraf wat er met je mening gebeurt, en organiseer de dialoog structureel.\n"
	  "- Maak categorieplannen leesbaarder.\n\n"
	  "## Afspraken\n\n"
	  "De actiehouder verkent een samenwerking met de Direct Duidelijk Brigade om de "
	  "categorieplannen in begrijpelijke taal te schrijven. Het project kent drie fases in "
	  "anderhalf jaar: consultatie, technisch ontwerp en hergebruik stimuleren.",
	  { "Kansen", "Risico's", "Oplossingen" },
	  { { 0, "Een keten van strategie, contract en resultaat zichtbaar maken", 5 },
	    { 0, "Bedrijven zien eerder welke opdrachten eraan komen", 3 },
	    { 1, "Onduidelijk wie eigenaar is van contractdata", 6 },
	    { 1, "Dubbel werk naast TenderNed", 2 },
	    { 2, "Leg vast welke data openbaar moet, al in het contract", 4 },
	    { 2, "Categorieplannen herschrijven in begrijpelijke taal", 6 },
	    { 2, "Een stakeholderforum dat regelmatig bij elkaar komt", 3 } } },
	{ "thinkalong", "Meedenksessie Open Organisatie", "2020-10-19", "13:30", "15:00", "online", "",
	  "Hoe werk je open als organisatie? Over cultuur, capaciteit en de ruimte die ambtenaren "
	  "voelen om het gesprek aan te gaan.",
	  { "Open Organisatie" }, { "Organisatiescan" },
	  "## Ervaringen\n\n"
	  "Deelnemers vertelden hoe vrij ambtenaren zich voelen om open te werken. Openbaarheid moet "
	  "op de agenda van bestuurders staan, en fouten maken moet mogen.\n\n"
	  "## Vervolg\n\n"
	  "De ideeën gaan naar de organisatiescan: een manier waarop een organisatie zelf kijkt hoe "
	  "open zij werkt.",
	  { "Kansen", "Risico's", "Oplossingen" },
	  { { 0, "Leidinggevenden die het goede voorbeeld geven", 5 },
	    { 1, "Angst om fouten te maken", 4 },
	    { 2, "Een scan om de eigen organisatie te bekijken", 6 } } },
	{ "thinkalong", "Meedenksessie Open Technologie (deel II)", "2020-10-27", "14:00", "16:00",
	  "online", "",
	  "Het vervolg op de sessie van augustus: open source, algoritmen en de community eromheen.",
	  { "Open Technologie" }, { "Toolbox open source", "Algoritmeregister" },
	  "## Vervolg op deel I\n\n"
	  "We bespraken de punten van augustus verder. Community vorming bleek belangrijk: verbinding "
	  "en kennisuitwisseling helpen om verder te komen met open source en algoritmen.\n\n"
	  "## Vragen\n\n"
	  "Doet BZK iets met open hardware? Op dit moment niet, maar het onderwerp is interessant en "
	  "raakt aan de andere actiepunten.",
	  { NULL }, { { 0, NULL, 0 } } },
	{ "thinkalong", "Meedenksessie Open Communicatie", "2020-10-29", "10:00", "11:30", "online", "",
	  "Met de actiehouder van de **Direct Duidelijk Brigade**: begrijpelijke taal, zodat iedereen "
	  "mee kan doen.",
	  { "Open Communicatie" }, { "Direct Duidelijk Brigade" },
	  "## Direct Duidelijk\n\n"
	  "De Direct Duidelijk Brigade helpt overheden met begrijpelijke taal. Dat draagt bij aan "
	  "inclusie: iedereen moet mee kunnen doen.\n\n"
	  "## Wat opviel\n\n"
	  "- Er wordt vaak aangenomen dat de basis op orde is. Dat is niet zo.\n"
	  "- Heldere communicatie hoort bij alle thema's, niet bij één actiepunt.\n"
	  "- Misschien is naast taalniveau ook meer aandacht voor gedrag nodig.",
	  { "Kansen", "Risico's", "Oplossingen" },
	  { { 0, "Heldere taal maakt alle actiepunten sterker", 4 },
	    { 1, "Aandacht alleen voor taalniveau, niet voor gedrag", 3 },
	    { 2, "Een hulplijn waar organisaties teksten kunnen voorleggen", 5 } } },
};

/* The table conversation of 17 June: its six tasks, in the group's order. */
static const struct {
	const char *title, *minimal, *maximal, *lead, *involve, *needs;
} tasks[] = {
	{ "Versimpelen regels, informatie vinden",
	  "Eén overzicht van de regels die het vaakst vragen oproepen, in gewone taal.",
	  "Regels herschrijven met de mensen die ze gebruiken.", "", "Burgers, uitvoerders", "" },
	{ "Burgers en bedrijven betrekken",
	  "Bij elk nieuw plan vooraf zeggen wat er met inbreng gebeurt.",
	  "Een vaste vorm van meedenken bij elke organisatie.", "Netwerk Democratie",
	  "Gemeenten, maatschappelijke organisaties", "" },
	{ "Ambassadeurschap", "Een lijst van ambassadeurs die hun ervaring delen.",
	  "Een netwerk van ambassadeurs in elke overheidsorganisatie.", "", "", "Tijd van leidinggevenden" },
	{ "Overall visie", "Een korte visie op open overheid van het kabinet.",
	  "Een visie die ministeries samen uitwerken, met doelen per jaar.", "", "SG-overleg", "" },
	{ "Verzamelen best practices",
	  "Selecteer vijf interessante voorbeelden en verspreid ze via bijeenkomsten, de website en het netwerk.",
	  "Gebruik de vijf voorbeelden voor een escape-bus: een spel dat rondrijdt en dat je speelt met "
	  "minister, bewoners en belanghebbenden, als aanleiding voor het gesprek over open overheid.",
	  "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
	  "KING, VNG, onderwijs, lokaal bestuur", "Sponsors" },
	{ "Know how: hoe krijg je openheid?", "Een handreiking met de lessen van de koplopers.",
	  "Een leergang open werken voor ambtenaren.", "Leer- en Expertisepunt Open Overheid",
	  "Opleidingsinstituten", "" },
};

static const struct { const char *name, *org; bool consent; } table_people[] = {
	{ "Karin de Wit", "Ministerie van BZK", true },
	{ "Joost Verhoeven", "Gemeente", true },
	{ "Anouk Jacobs", "", false },
	{ "Peter van den Berg", "Nationale ombudsman", true },
	{ "Linda Kuipers", "", false },
	{ "Ravi Ramdin", "VNG", true },
	{ "Els Postma", "", true },
	{ "Marco Willems", "", false },
};

typedef struct demo_ctx {
	store  *s;
	arena   a;
	int64_t plan_id, organiser, users[N(people)];
	plan    p;
	act_point *acts;
	size_t  nacts;
	char   *err;
	size_t  errlen;
} demo_ctx;

static int64_t theme_id(demo_ctx *c, const char *name)
{
	for (size_t i = 0; name && i < c->p.nthemes; i++)
		if (!strcmp(c->p.themes[i].name, name))
			return c->p.themes[i].id;
	return 0;
}

static int64_t action_id(demo_ctx *c, const char *prefix)
{
	for (size_t i = 0; prefix && i < c->nacts; i++)
		if (!strncmp(c->acts[i].title, prefix, strlen(prefix)))
			return c->acts[i].id;
	return 0;
}

static int64_t at(const char *date, const char *time)
{
	int64_t t = 0;
	agenda_parse_local(date, time, &t);
	return t;
}

/* Creates a session (published) with its links; 0 on failure. */
static int64_t add(demo_ctx *c, const char *kind, const char *title, int64_t starts, int64_t ends,
                   const char *mode, const char *address, const char *desc, const char *const *themes,
                   const char *const *actions, int64_t capacity)
{
	int64_t th[3], ac[3], id = 0;
	size_t nt = 0, na = 0;
	for (size_t i = 0; i < 3 && themes && themes[i]; i++)
		if ((th[nt] = theme_id(c, themes[i])))
			nt++;
	for (size_t i = 0; i < 3 && actions && actions[i]; i++)
		if ((ac[na] = action_id(c, actions[i])))
			na++;
	agenda_session x = { .plan_id = c->plan_id, .kind = kind, .title = title,
		             .description = desc, .starts_at = starts, .ends_at = ends, .mode = mode,
		             .meeting_url = strcmp(mode, "physical") ? online : "",
		             .address = address, .capacity = capacity, .waitlist = true,
		             .status = "published", .organiser_name = "", .created_by = c->organiser };
	if (agenda_store_create(c->s, &x, th, nt, ac, na, &id) != STORE_OK)
		return 0;
	return id;
}

static store_rc board(demo_ctx *c, int64_t session, const char *const *cols, const demo_note *notes,
                      size_t nnotes, bool open, const char *theme_name)
{
	size_t ncols = 0;
	while (ncols < 4 && cols[ncols])
		ncols++;
	int64_t bid = 0;
	store_rc rc = agenda_store_board_create(c->s, session, 5, cols, ncols, &bid);
	agenda_board b;
	if (rc == STORE_OK)
		rc = agenda_store_board(c->s, &c->a, session, 0, &b);
	for (size_t i = 0; rc == STORE_OK && i < nnotes && notes[i].text; i++) {
		int64_t nid = 0;
		rc = agenda_store_note_add(c->s, bid, b.columns[notes[i].col].id, notes[i].text,
		                           i % 2 ? theme_id(c, theme_name) : 0, c->users[i % N(people)], &nid);
		/* Dots from different people, within each one's budget. */
		for (int v = 0; rc == STORE_OK && v < notes[i].votes; v++)
			rc = agenda_store_vote(c->s, bid, nid, c->users[(i + (size_t)v) % N(people)], 1, NULL);
	}
	if (rc == STORE_OK && !open)
		rc = agenda_store_board_settings(c->s, bid, 5, false);
	return rc;
}

static store_rc report(demo_ctx *c, int64_t id, const char *text, bool with_board)
{
	return agenda_store_report_save(c->s, id, text, true, with_board);
}

static int fail(demo_ctx *c, const char *what, store_rc rc)
{
	snprintf(c->err, c->errlen, "agenda demo: %s (%s)", what, store_rc_name(rc));
	arena_free(&c->a);
	return -1;
}

int agenda_demo(store *s, char *err, size_t errlen)
{
	demo_ctx c = { .s = s, .err = err, .errlen = errlen };
	arena_init(&c.a, 16u << 20);
	user org;
	store_rc rc = store_plan_main(s, &c.a, &c.p);
	if (rc == STORE_OK)
		rc = store_user_by_email(s, &c.a, "sanne.devries@openplan.example", &org);
	if (rc != STORE_OK)
		return fail(&c, "the plan and its organiser", rc);
	c.plan_id = c.p.id;
	c.organiser = org.id;
	rc = act_store_list(s, &c.a, c.plan_id, ACT_PUBLISHED, &c.acts, &c.nacts);
	/* The demo password's hash, shared by every demo person. */
	for (size_t i = 0; rc == STORE_OK && i < N(people); i++)
		rc = store_user_create(s, people[i].email, people[i].name, org.password_hash,
		                       ROLE_PARTICIPANT, &c.users[i]);
	if (rc != STORE_OK)
		return fail(&c, "people", rc);

	/* The think-along sessions, with reports and boards. */
	for (size_t i = 0; i < N(sessions); i++) {
		const demo_session *d = &sessions[i];
		int64_t id = add(&c, d->kind, d->title, at(d->date, d->start), at(d->date, d->end),
		                 d->mode, d->address, d->description, d->themes, d->actions, 0);
		if (!id)
			return fail(&c, d->title, STORE_ERROR);
		bool has_board = d->columns[0] != NULL;
		rc = has_board ? board(&c, id, d->columns, d->notes, N(d->notes), false, d->themes[0])
		               : STORE_OK;
		/* Some people registered beforehand, and most came. */
		for (size_t u = 0; rc == STORE_OK && u < 6; u++) {
			agenda_reg_verdict v;
			rc = agenda_store_register(s, id, c.users[(i + u) % N(people)], u % 3 == 0,
			                           at(d->date, d->start) - 86400 * 3, &v);
		}
		if (rc == STORE_OK)
			rc = report(&c, id, d->report, has_board);
		if (rc != STORE_OK)
			return fail(&c, d->title, rc);
	}

	/* The table conversation of 17 June. */
	static const char *const table_themes[] = { "Open Organisatie", NULL };
	int64_t table = add(&c, "table", "Tafelgesprek Cultuur van Open Overheid",
	                    at("2020-06-17", "13:00"), at("2020-06-17", "15:30"), "physical",
	                    "Ministerie van BZK, Turfmarkt 147, Den Haag",
	                    "Een van de tafels van de dag over het nieuwe actieplan: wat moet er "
	                    "gebeuren voor een cultuur van open overheid? De groep bepaalt samen de "
	                    "volgorde van de opgaven.",
	                    table_themes, NULL, 12);
	if (!table)
		return fail(&c, "table conversation", STORE_ERROR);
	for (size_t i = 0; rc == STORE_OK && i < N(table_people); i++)
		rc = agenda_store_person_add(s, table, table_people[i].name, table_people[i].org,
		                             table_people[i].consent, NULL);
	for (size_t i = 0; rc == STORE_OK && i < N(tasks); i++) {
		organisation *os;
		size_t no;
		int64_t lead = 0;
		if (*tasks[i].lead && store_org_list(s, &c.a, &os, &no) == STORE_OK)
			for (size_t k = 0; k < no; k++)
				if (!strcmp(os[k].name, tasks[i].lead))
					lead = os[k].id;
		agenda_task t = { .session_id = table, .title = tasks[i].title,
			          .minimal = tasks[i].minimal, .maximal = tasks[i].maximal,
			          .involve = tasks[i].involve, .needs = tasks[i].needs, .lead_org_id = lead };
		rc = agenda_store_task_save(s, &t, NULL);
	}
	if (rc == STORE_OK)
		rc = report(&c, table,
		            "## Belangrijkste opgaven\n\n"
		            "De groep bepaalde samen de volgorde van zes opgaven (zie hieronder). Als "
		            "kansen en risico's noemden de deelnemers: je kwetsbaar opstellen, "
		            "veiligheid en vertrouwen, creativiteit ontwikkelen en soms buiten de regels "
		            "durven gaan.\n\n"
		            "## Uitgewerkt: best practices delen\n\n"
		            "Via een ludieke actie ambassadeurs werven en de beste voorbeelden uit "
		            "Nederland onder de aandacht brengen. De vijf meest interessante voorbeelden "
		            "worden de basis voor een spel over open overheid.\n\n"
		            "## Hartekreten\n\n"
		            "- Fouten mogen maken en daarvan leren, gesteund door leidinggevenden.\n"
		            "- Van een risicocultuur naar een kansencultuur.\n"
		            "- Niet alleen BZK: breng het naar het SG-overleg.",
		            false);
	if (rc != STORE_OK)
		return fail(&c, "table conversation", rc);

	/* The sneak preview of 1 December: full, with a waitlist. */
	static const char *const preview_themes[] = { "Open Democratie", "Open Informatie", NULL };
	int64_t preview = add(&c, "public", "Online sneak preview van het nieuwe actieplan",
	                      at("2020-12-01", "15:00"), at("2020-12-01", "16:30"), "online", "",
	                      "De actiehouders presenteren de actiepunten van het nieuwe actieplan. "
	                      "Meld je aan: je krijgt de link na je aanmelding.",
	                      preview_themes, NULL, 12);
	if (!preview)
		return fail(&c, "sneak preview", STORE_ERROR);
	for (size_t u = 0; rc == STORE_OK && u < N(people); u++) {
		agenda_reg_verdict v;
		rc = agenda_store_register(s, preview, c.users[u], u % 2 == 0,
		                           at("2020-11-10", "09:00") + (int64_t)u * 3600, &v);
	}
	if (rc != STORE_OK)
		return fail(&c, "sneak preview registrations", rc);

	/* The stakeholder forum, four times a year; 18 March 2021 with its report
	 * and the live poll attached. */
	static const char *const forum_dates[] = { "2021-03-18", "2021-06-17", "2021-09-16",
		                                   "2021-12-09" };
	static const char *const forum_themes[] = { "Open Democratie", NULL };
	poll pl;
	bool have_poll = poll_store_by_code(s, &c.a, "210318", false, &pl) == STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < N(forum_dates); i++) {
		int64_t id = add(&c, "forum", i == 0 ? "Stakeholderforum: blik op de toekomst"
		                                     : "Bijeenkomst stakeholderforum",
		                 at(forum_dates[i], "14:00"), at(forum_dates[i], "16:00"), "online", "",
		                 "Het stakeholderforum houdt toezicht op het actieplan en komt vier keer per "
		                 "jaar bij elkaar.",
		                 forum_themes, NULL, 30);
		if (!id)
			return fail(&c, "forum", STORE_ERROR);
		if (i == 0 && have_poll)
			rc = agenda_store_poll_attach(s, id, pl.id, true);
		if (i == 0 && rc == STORE_OK)
			rc = report(&c, id,
			            "## Elkaar leren kennen\n\n"
			            "Het forum kwam voor het eerst bij elkaar sinds de lancering van het "
			            "actieplan. In een rondje open actualiteiten vertelden leden waar hun "
			            "organisatie mee bezig is, van open data over verkiezingen tot een "
			            "bijeenkomst over online participatie.\n\n"
			            "## De toekomst van het forum\n\n"
			            "- Het forum blijft vier keer per jaar bij elkaar komen.\n"
			            "- Meer gemeenten en maatschappelijke organisaties betrekken.\n"
			            "- Het verschil tussen actiehouders en stakeholders helder maken: "
			            "sommige leden hebben nu twee rollen.\n\n"
			            "## Live peiling\n\n"
			            "Met een live peiling vroegen we hoe we actiehouders betrokken houden, hoe "
			            "een goede actiehoudersbijeenkomst eruitziet en hoe we impact meten. De "
			            "antwoorden staan in het bijgevoegde verslag van de peiling.",
			            false);
	}
	if (rc != STORE_OK)
		return fail(&c, "forum", rc);

	/* Holders review their progress. */
	static const char *const holder_actions[] = { "Contract Register", "Direct Duidelijk Brigade",
		                                      "Toolbox open source" };
	if (!add(&c, "holders", "Actiehoudersbijeenkomst: voortgang", at("2021-06-24", "10:00"),
	         at("2021-06-24", "12:30"), "both", "Leer- en Expertisepunt Open Overheid, Den Haag",
	         "Actiehouders vertellen elkaar waar ze staan: wat lukt, wat schuurt, en waar ze "
	         "elkaar kunnen helpen.",
	         NULL, holder_actions, 25))
		return fail(&c, "holders' meeting", STORE_ERROR);

	/* The next forum meeting: upcoming, with an open board for topics. */
	time_t now = time(NULL);
	int64_t next_day = ((int64_t)now / 86400 + 30) * 86400;
	char nd[11];
	agenda_local_date(next_day, nd);
	static const char *const next_cols[] = { "Onderwerpen", "Vragen aan actiehouders", NULL };
	static const demo_note next_notes[] = {
		{ 0, "Hoe meten we de impact van het actieplan?", 2 },
		{ 0, "Meer gemeenten in het forum", 1 },
		{ 1, "Welke mijlpalen lopen achter, en waarom?", 3 },
	};
	int64_t next = add(&c, "forum", "Volgende bijeenkomst stakeholderforum", at(nd, "14:00"),
	                   at(nd, "16:00"), "both", "Ministerie van BZK, Turfmarkt 147, Den Haag",
	                   "De volgende bijeenkomst van het stakeholderforum. Zet vooraf op het bord "
	                   "welke onderwerpen je wilt bespreken, en geef je stippen aan wat jij het "
	                   "belangrijkst vindt.",
	                   forum_themes, NULL, 30);
	if (!next)
		return fail(&c, "next forum", STORE_ERROR);
	rc = board(&c, next, next_cols, next_notes, N(next_notes), true, "Open Democratie");
	for (size_t u = 0; rc == STORE_OK && u < 4; u++) {
		agenda_reg_verdict v;
		rc = agenda_store_register(s, next, c.users[u], u != 1, (int64_t)now, &v);
	}
	if (rc != STORE_OK)
		return fail(&c, "next forum", rc);

	/* An event that someone submitted, waiting for an organiser. */
	user amira;
	rc = store_user_by_email(s, &c.a, "amira.elhaddad@openplan.example", &amira);
	char sd[11];
	agenda_local_date(((int64_t)now / 86400 + 45) * 86400, sd);
	agenda_session sub = { .plan_id = c.plan_id, .kind = "public",
		               .title = "Meetup online participatie", .description =
		               "Een avond over online participatie: wat werkt, wat niet, en wat "
		               "gemeenten van elkaar kunnen leren.",
		               .starts_at = at(sd, "19:30"), .ends_at = at(sd, "21:30"),
		               .mode = "physical", .meeting_url = "", .address = "Pakhuis de Zwijger, Amsterdam",
		               .status = "submitted", .organiser_name = "Netwerk Democratie",
		               .submitted_by = rc == STORE_OK ? amira.id : 0,
		               .created_by = rc == STORE_OK ? amira.id : 0 };
	if (rc == STORE_OK)
		rc = agenda_store_create(s, &sub, NULL, 0, NULL, 0, NULL);
	if (rc != STORE_OK)
		return fail(&c, "submitted event", rc);
	arena_free(&c.a);
	return 0;
}
