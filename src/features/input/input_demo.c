/* input_demo.c — the demo's input and reasoned responses, as the seeds
 * report them (seeds 001 and 003, "Uitkomsten consultatie"): the themes
 * named once in the September 2020 consultation answered in two groups
 * (Open Wetsontwerp and Open Rechtspraak explored under Open Justice; the
 * others not taken up as a theme of their own, with the reason); the
 * answers about the Alliance Open Overheid grouped into red threads like
 * the seed's six; the ideas answered one by one and linked to the action
 * points they led to; the notes on the board of the think-along session
 * on Open Inkoop answered together and linked to the Contract Register;
 * and a fictitious participant, Lotte Visser, who
 * shared ideas herself and whose "My input" shows a status that changed,
 * with the notifications she got. Then one red-thread run over what is
 * left ungrouped, for the organisers to look at. Responses are our own
 * words.
 */
#include <stdio.h>
#include <string.h>

#include "input.h"

#define N(a) (sizeof a / sizeof *a)

typedef struct demo_ctx {
	store  *s;
	arena   a;
	int64_t plan_id, organiser, lotte;
	plan    p;
	input_item *items;   /* the plan's items */
	size_t  nitems;
	input_link *actions;
	size_t  nactions;
} demo_ctx;

static store_rc collect(const input_item *it, void *ctx)
{
	demo_ctx *c = ctx;
	input_item *x = &c->items[c->nitems++];
	*x = *it;
	x->text = arena_strdup(&c->a, it->text);
	x->kind = arena_strdup(&c->a, it->kind);
	x->container_title = arena_strdup(&c->a, it->container_title);
	return x->text && x->kind && x->container_title ? STORE_OK : STORE_ERROR;
}

static store_rc load_items(demo_ctx *c)
{
	c->nitems = 0;
	c->items = arena_calloc(&c->a, 4096, sizeof *c->items);
	if (!c->items)
		return STORE_ERROR;
	input_filter f = { .plan_id = c->plan_id };
	return input_store_each(c->s, &f, collect, c);
}

/* The item with this text (0 when the demo's sources lack it). */
static int64_t item(const demo_ctx *c, const char *text)
{
	for (size_t i = 0; i < c->nitems; i++)
		if (!strcmp(c->items[i].text, text))
			return c->items[i].id;
	return 0;
}

static int64_t action(const demo_ctx *c, const char *title_start)
{
	for (size_t i = 0; i < c->nactions; i++)
		if (!strncmp(c->actions[i].title, title_start, strlen(title_start)))
			return c->actions[i].action_id;
	return 0;
}

static int64_t theme_id_of(const demo_ctx *c, const char *name)
{
	for (size_t t = 0; name && t < c->p.nthemes; t++)
		if (!strcmp(c->p.themes[t].name, name))
			return c->p.themes[t].id;
	return 0;
}

static store_rc user_id(demo_ctx *c, const char *email, int64_t *id)
{
	user u;
	store_rc rc = store_user_by_email(c->s, &c->a, email, &u);
	*id = rc == STORE_OK ? u.id : 0;
	return rc;
}

/* A group of the items with these texts, with a response and links. */
static store_rc group(demo_ctx *c, const char *title, const char *theme_name,
                      const char *const *texts, size_t ntexts, const char *status,
                      const char *response, const char *const *actions, size_t nactions)
{
	int64_t ids[32];
	size_t n = 0;
	for (size_t i = 0; i < ntexts && n < N(ids); i++) {
		int64_t id = item(c, texts[i]);
		if (id)
			ids[n++] = id;
	}
	if (!n)
		return STORE_OK;
	int64_t gid = 0;
	input_refusal why;
	store_rc rc = input_store_group_create(c->s, c->plan_id, title, theme_id_of(c, theme_name), "",
	                                       ids[0], ids, n, c->organiser, &gid, &why);
	if (rc == STORE_OK && theme_name)
		rc = input_store_group_update(c->s, gid, title, theme_id_of(c, theme_name), "new",
		                              c->organiser);
	if (rc == STORE_OK && response)
		rc = input_store_respond(c->s, 0, gid, status, response, c->organiser, &why);
	for (size_t i = 0; rc == STORE_OK && i < nactions; i++) {
		int64_t aid = action(c, actions[i]);
		if (aid)
			rc = input_store_link(c->s, 0, gid, aid, true, &why);
	}
	return rc;
}

/* One item answered on its own, with a theme and a link. */
static store_rc answer(demo_ctx *c, const char *text, const char *theme_name, const char *status,
                       const char *response, const char *action_title)
{
	int64_t id = item(c, text);
	if (!id)
		return STORE_OK;
	input_refusal why;
	store_rc rc = input_store_triage(c->s, id, theme_id_of(c, theme_name), NULL, c->organiser);
	if (rc == STORE_OK && response)
		rc = input_store_respond(c->s, id, 0, status, response, c->organiser, &why);
	else if (rc == STORE_OK)
		rc = input_store_triage(c->s, id, theme_id_of(c, theme_name), status, c->organiser);
	int64_t aid = action_title ? action(c, action_title) : 0;
	if (rc == STORE_OK && aid)
		rc = input_store_link(c->s, id, 0, aid, true, &why);
	return rc;
}

/* ---- the themes named once --------------------------------------------------------------------- */

static const char *const justice[] = { "Open Wetsontwerp", "Open Rechtspraak" };
static const char *const once[] = {
	"Open besluitvorming overheidsorganen",
	"Open Collectieve Upskilling van Nederlandse workforce",
	"Open data Estonia",
	"Open Innovatie",
	"Open Loket",
	"Open Projecten (next level participatieprojecten, intern en extern)",
	"Open Standaarden",
	"Open verantwoordelijkheid, wie is voor welke beslissing aanspreekbaar",
};
static const char *const justice_actions[] = { "Klachten openbaar maken" };

/* ---- the Alliance: the seed's six red threads ---------------------------------------------------- */

static const char *const t_together[] = {
	"Omdat open overheid alleen lukt als overheid en samenleving het samen doen.",
	"Het netwerk maken we samen; daar wil ik aan bijdragen.",
};
static const char *const t_listen[] = {
	"Goed luisteren naar elkaar is belangrijk, en zo'n alliantie kan daarvoor zorgen.",
	"Als er tweerichtingsverkeer is en niet alles van één partij komt.",
	"Ik kan onze ervaring met open data inbrengen en wil ook iets terug leren.",
	"Het lijkt me waardevol om dilemma's te bespreken met mensen buiten mijn organisatie.",
};
static const char *const t_learn[] = {
	"Kennis delen met mensen uit andere disciplines die hetzelfde doel hebben, dat brengt ons verder.",
	"Ik wil ervaringen uitwisselen en leren van de fouten die anderen al maakten.",
	"Een netwerk van beleidsmakers en uitvoerders helpt om elkaars werk te begrijpen.",
	"Als kleine gemeente hebben we de kennis van anderen hard nodig.",
};
static const char *const t_act[] = {
	"Samen kunnen we concrete afspraken maken in plaats van ieder voor zich.",
	"Alleen als we ook echt dingen doen en niet alleen praten.",
	"Als het concrete afspraken en producten oplevert.",
	"Als we samen aan concrete opgaven werken.",
};
static const char *const t_balance[] = {
	"Als organisaties eruit kunnen halen wat ze nodig hebben, zonder overal aan mee te moeten doen.",
	"Als er een goede balans is tussen vrijheid en betrokkenheid.",
};
static const char *const t_small[] = {
	"Als er ruimte is voor kleine, slagvaardige samenwerkingen.",
	"Graag, zolang het niet verplichtend wordt en er ruimte is voor kleine samenwerkingen.",
};
static const char *const alliance_actions[] = { "Pioniersnetwerk" };

int input_demo(store *s, char *err, size_t errlen)
{
	demo_ctx c = { .s = s };
	arena_init(&c.a, 0);
	store_rc rc = store_plan_main(s, &c.a, &c.p);
	c.plan_id = c.p.id;
	if (rc == STORE_OK)
		rc = user_id(&c, "sanne.devries@openplan.example", &c.organiser);
	if (rc == STORE_OK)
		rc = input_store_actions(s, &c.a, c.plan_id, &c.actions, &c.nactions);
	/* Lotte Visser, a participant who wrote on session boards (the agenda's
	 * demo) and shares ideas herself; made here when the agenda left her out. */
	if (rc == STORE_OK && user_id(&c, "lotte.visser@openplan.example", &c.lotte) == STORE_NOTFOUND) {
		char hash[128];
		rc = auth_hash_password(APP_DEMO_PASSWORD, hash) == 0
		             ? store_user_create(s, "lotte.visser@openplan.example", "Lotte Visser", hash,
		                                 ROLE_PARTICIPANT, &c.lotte)
		             : STORE_ERROR;
	}
	int64_t idea1 = 0, idea2 = 0, idea3 = 0;
	if (rc == STORE_OK)
		rc = input_store_idea_add(s, c.plan_id, theme_id_of(&c, "Open Communicatie"), c.lotte,
		                          "Zet de verslagen van alle meedenksessies op één pagina, en "
		                          "vertel erbij wat er met de inbreng is gedaan.", &idea1);
	if (rc == STORE_OK)
		rc = input_store_idea_add(s, c.plan_id, theme_id_of(&c, "Open Inkoop"), c.lotte,
		                          "Zet ook de contracten van gemeenten in het contractregister, "
		                          "niet alleen die van het Rijk.", &idea2);
	if (rc == STORE_OK)
		rc = input_store_idea_add(s, c.plan_id, 0, c.lotte,
		                          "Maak een toolbox met open source oplossingen die gemeenten "
		                          "kunnen hergebruiken!", &idea3);
	if (rc == STORE_OK)
		rc = load_items(&c);

	/* The themes named once (seed: "Naast de thema's die het meest relevant
	 * gevonden worden, zijn onderstaande onderwerpen één keer genoemd"). */
	if (rc == STORE_OK)
		rc = group(&c, "Open Wetsontwerp en Open Rechtspraak: verkennen onder Open Justice",
		           "Open Justice", justice, N(justice), "considering",
		           "Open Wetsontwerp en Open Rechtspraak liggen in elkaars verlengde. Ze passen bij "
		           "**Open Justice**, een thema dat het Open Government Partnership aanreikt.\n\n"
		           "Daarom verkennen we of en hoe Open Justice een plek krijgt in het actieplan. In "
		           "de meedenksessie Open Justice van 5 oktober 2020 kwamen twee sporen naar voren: "
		           "klachten openbaar maken, en uitspraken en andere informatie van de rechtspraak "
		           "publiceren.",
		           justice_actions, N(justice_actions));
	if (rc == STORE_OK)
		rc = group(&c, "Thema's die één keer genoemd zijn", NULL, once, N(once), "not_taken_up",
		           "Deze onderwerpen zijn elk één keer genoemd. Daarom krijgen ze **geen eigen "
		           "plek** in het actieplan.\n\n"
		           "Veel ervan raken wel aan de thema's die in het plan staan, en soms overlappen ze: "
		           "open standaarden en open innovatie aan Open Technologie, open besluitvorming en "
		           "open verantwoordelijkheid aan Open Democratie en Open Informatie. Daar nemen we "
		           "ze mee.",
		           NULL, 0);

	/* The Alliance: the red threads the seed distils from the answers. */
	static const char alliance_response[] =
		"Dit nemen we mee bij het vormgeven van de **Alliantie Open Overheid**: een netwerk "
		"voor het delen van kennis, ervaring en dilemma's, dat we dit najaar met partners "
		"starten.";
	struct { const char *title; const char *const *texts; size_t n; const char *status; } threads[] = {
		{ "Het netwerk maken we samen", t_together, N(t_together), "taken_up" },
		{ "Goed luisteren naar elkaar: tweerichtingsverkeer", t_listen, N(t_listen), "taken_up" },
		{ "Van elkaar leren, zoals beleidsmakers en uitvoerders", t_learn, N(t_learn), "taken_up" },
		{ "Samen aan concrete opgaven: niet alleen praten, ook doen", t_act, N(t_act), "taken_up" },
		{ "Een balans tussen flexibiliteit en betrokkenheid", t_balance, N(t_balance), "taken_up" },
		{ "Ruimte voor kleinere, slagvaardige samenwerkingen", t_small, N(t_small), "partly" },
	};
	for (size_t i = 0; rc == STORE_OK && i < N(threads); i++)
		rc = group(&c, threads[i].title, "Open Organisatie", threads[i].texts, threads[i].n,
		           threads[i].status, i == 5
		           ? "De alliantie wordt een plek waar ook kleinere samenwerkingen kunnen ontstaan. "
		             "Hoe dat gaat, bepalen de deelnemers samen; we beginnen met één groot netwerk."
		           : alliance_response,
		           alliance_actions, i == 0 || i == 2 ? N(alliance_actions) : 0);

	/* The ideas, answered one by one and linked to what they led to. */
	if (rc == STORE_OK)
		rc = answer(&c, "Laat zien welke contracten de overheid sluit en met wie.", "Open Inkoop",
		            "taken_up", "Dit is het doel van het actiepunt **Contract Register**: alle "
		            "openbare inkoopinformatie van het Rijk op één plek, en het gesprek erover.",
		            "Contract Register");
	if (rc == STORE_OK)
		rc = answer(&c, "Maak de broncode van overheidsapps standaard openbaar, zoals bij de CoronaMelder.",
		            "Open Technologie", "partly",
		            "BZK werkt aan een beleidslijn *open, tenzij* en een toolbox open source. Dat "
		            "alle apps standaard open zijn, regelt het actieplan niet: dat beslist elke "
		            "organisatie zelf.",
		            "Toolbox open source");
	if (rc == STORE_OK)
		rc = answer(&c, "Maak een toolbox met open source oplossingen die gemeenten kunnen hergebruiken.",
		            "Open Technologie", "taken_up",
		            "Precies dit doet het actiepunt **Toolbox open source en een community van "
		            "ontwikkelaars**.",
		            "Toolbox open source");
	if (rc == STORE_OK)
		rc = answer(&c, "Schrijf brieven aan inwoners in gewone taal; test ze vooraf met lezers.",
		            "Open Communicatie", "taken_up",
		            "De **Direct Duidelijk Brigade** helpt overheden hun brieven begrijpelijk te "
		            "maken, en test ze met lezers.",
		            "Direct Duidelijk Brigade");
	if (rc == STORE_OK)
		rc = answer(&c, "Een vervolg op Open Wob: verzoeken en antwoorden samen online zetten.",
		            "Open Informatie", "taken_up",
		            "Een vervolg op Open Wob is in de maak, samen met het actiepunt over actieve "
		            "openbaarmaking onder de Woo.",
		            "Actieve openbaarmaking");
	if (rc == STORE_OK)
		rc = answer(&c, "Publiceer besluiten van gemeenteraden op één vindbare plek, met de stukken erbij.",
		            "Open Democratie", "taken_up",
		            "Dit is **Open Raadsinformatie**: raadsstukken van gemeenten als open data. Het "
		            "actiepunt zoekt nog een houder.",
		            "Open Raadsinformatie");
	if (rc == STORE_OK)
		rc = answer(&c, "Geef ambtenaren ruimte om open te werken, ook als het nog niet af is.",
		            "Open Organisatie", "partly",
		            "De organisatiescan laat organisaties zien waar open werken vastloopt; ruimte "
		            "maken blijft aan de organisatie zelf.",
		            "Organisatiescan");
	if (rc == STORE_OK)
		rc = answer(&c, "Zet open standaarden verplicht in aanbestedingen.", "Open Inkoop",
		            "out_of_scope",
		            "Open standaarden zijn voor de overheid al verplicht via *pas toe of leg uit*. "
		            "Dat regelt de wet, niet het actieplan.",
		            NULL);
	if (rc == STORE_OK)
		rc = answer(&c, "Organiseer meer meedenksessies in de regio, ook na corona online.",
		            "Open Democratie", "considering", NULL, NULL);
	if (rc == STORE_OK)
		rc = answer(&c, "Betrek jongeren bij het actieplan via scholen en mbo's.", "Open Democratie",
		            "considering", NULL, NULL);

	/* The notes on the board of the think-along session on Open Inkoop
	 * (14 October 2020) went to the Contract Register. */
	int64_t notes[32];
	size_t nn = 0;
	for (size_t i = 0; i < c.nitems && nn < N(notes); i++)
		if (!strcmp(c.items[i].kind, "note") &&
		    !strcmp(c.items[i].container_title, "Meedenksessie Open Inkoop"))
			notes[nn++] = c.items[i].id;
	int64_t inkoop = 0;
	input_refusal why;
	if (rc == STORE_OK && nn)
		rc = input_store_group_create(s, c.plan_id, "Meedenksessie Open Inkoop: wat deelnemers "
		                              "meegaven voor het Contract Register",
		                              theme_id_of(&c, "Open Inkoop"), "", notes[0], notes, nn,
		                              c.organiser, &inkoop, &why);
	if (rc == STORE_OK && inkoop)
		rc = input_store_respond(s, 0, inkoop, "taken_up",
		                         "De actiehouder van het **Contract Register** heeft deze punten "
		                         "meegenomen in het plan van aanpak:\n\n"
		                         "- wie eigenaar is van contractdata, leggen we vast in de contracten;\n"
		                         "- de categorieplannen herschrijven we samen met de Direct Duidelijk "
		                         "Brigade in begrijpelijke taal;\n"
		                         "- het register verwijst naar TenderNed in plaats van het over te doen;\n"
		                         "- de dialoog met belanghebbenden organiseren we structureel, in de "
		                         "eerste fase van het project.",
		                         c.organiser, &why);
	if (rc == STORE_OK && inkoop && action(&c, "Contract Register"))
		rc = input_store_link(s, 0, inkoop, action(&c, "Contract Register"), true, &why);
	int64_t plain = item(&c, "Categorieplannen herschrijven in begrijpelijke taal");
	if (rc == STORE_OK && plain && action(&c, "Direct Duidelijk Brigade"))
		rc = input_store_link(s, plain, 0, action(&c, "Direct Duidelijk Brigade"), true, &why);

	/* Lotte's ideas: the first answered twice (the status changed, she was
	 * told both times), the second linked to the Contract Register. */
	if (rc == STORE_OK && idea1)
		rc = input_store_respond(s, idea1, 0, "considering",
		                         "Goed idee. We kijken of de verslagen een plek kunnen krijgen bij "
		                         "het actieplan op de website.",
		                         c.organiser, &why);
	if (rc == STORE_OK && idea1)
		rc = input_store_respond(s, idea1, 0, "taken_up",
		                         "De verslagen van de meedenksessies staan nu samen op één pagina, "
		                         "met per sessie wat de actiehouders met de inbreng deden. Zie ook "
		                         "*Wat we met je inbreng deden*.",
		                         c.organiser, &why);
	if (rc == STORE_OK && idea2)
		rc = input_store_respond(s, idea2, 0, "partly",
		                         "Het Contract Register begint met de contracten van het Rijk. Of "
		                         "gemeenten kunnen aansluiten, verkent het actiepunt met "
		                         "decentrale overheden.",
		                         c.organiser, &why);
	if (rc == STORE_OK && idea2 && action(&c, "Contract Register"))
		rc = input_store_link(s, idea2, 0, action(&c, "Contract Register"), true, &why);

	/* The seed's answers came in November 2020 (16 November, 10:00 UTC),
	 * answers to input from before 2021. */
	if (rc == STORE_OK)
		rc = input_store_demo_dates(s, 1609459200, 1605520800);

	/* Red threads over what is left ungrouped, for the organisers. */
	int64_t run = 0;
	if (rc == STORE_OK)
		rc = input_store_run_create(s, c.plan_id, "plan", 0, c.organiser, &run);
	if (rc == STORE_OK)
		input_run_now(s, run);
	/* Search finds the demo's input from the start. */
	int done = 0;
	do {
		if (rc == STORE_OK)
			rc = input_store_index(s, 2000, &done);
	} while (rc == STORE_OK && done > 0);
	arena_free(&c.a);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "could not load the demo input: %s", store_rc_name(rc));
		return -1;
	}
	return 0;
}
