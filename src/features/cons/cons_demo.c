/* consultations_demo.c — the demo's part for consultations: the online
 * consultation of September 2020 (seeds 001 and 003) with 48 illustrative,
 * anonymous responses. Open Technologie is named most, then Open Informatie,
 * then Open Communicatie; the ten themes the seed lists as "named once" are
 * each written in exactly once; most would join the Alliance. The answers
 * and reasons are our own words; the respondents are fictitious.
 */
#include <stdio.h>
#include <string.h>

#include "cons.h"

enum { RESPONDENTS = 48 };

/* How many of the 48 name each theme (by the demo plan's theme names). */
static const struct { const char *theme; int count; } theme_counts[] = {
	{ "Open Technologie", 31 }, { "Open Informatie", 26 }, { "Open Communicatie", 21 },
	{ "Open Democratie", 15 }, { "Open Organisatie", 12 }, { "Open Inkoop", 8 },
	{ "Open Justice", 6 },
};

static const char *const named_once[] = {
	"Open besluitvorming overheidsorganen",
	"Open Collectieve Upskilling van Nederlandse workforce",
	"Open data Estonia",
	"Open Innovatie",
	"Open Loket",
	"Open Projecten (next level participatieprojecten, intern en extern)",
	"Open Standaarden",
	"Open verantwoordelijkheid, wie is voor welke beslissing aanspreekbaar",
	"Open Wetsontwerp",
	"Open Rechtspraak",
};

static const char *const ideas[] = {
	"Maak de broncode van overheidsapps standaard openbaar, zoals bij de CoronaMelder.",
	"Publiceer besluiten van gemeenteraden op één vindbare plek, met de stukken erbij.",
	"Schrijf brieven aan inwoners in gewone taal; test ze vooraf met lezers.",
	"Laat zien welke contracten de overheid sluit en met wie.",
	"Geef ambtenaren ruimte om open te werken, ook als het nog niet af is.",
	"Een vervolg op Open Wob: verzoeken en antwoorden samen online zetten.",
	"Organiseer meer meedenksessies in de regio, ook na corona online.",
	"Zet open standaarden verplicht in aanbestedingen.",
	"Maak een toolbox met open source oplossingen die gemeenten kunnen hergebruiken.",
	"Betrek jongeren bij het actieplan via scholen en mbo's.",
};

/* Reasons in our own words: the first for those who would join. */
static const char *const yes_reasons[] = {
	"Kennis delen met mensen uit andere disciplines die hetzelfde doel hebben, dat brengt ons verder.",
	"Ik geloof dat openheid zorgt voor vertrouwen en betrokkenheid van inwoners.",
	"Ik wil ervaringen uitwisselen en leren van de fouten die anderen al maakten.",
	"Samen kunnen we concrete afspraken maken in plaats van ieder voor zich.",
	"Een netwerk van beleidsmakers en uitvoerders helpt om elkaars werk te begrijpen.",
	"Als kleine gemeente hebben we de kennis van anderen hard nodig.",
	"Het lijkt me waardevol om dilemma's te bespreken met mensen buiten mijn organisatie.",
	"Graag, zolang het niet verplichtend wordt en er ruimte is voor kleine samenwerkingen.",
	"Omdat open overheid alleen lukt als overheid en samenleving het samen doen.",
	"Ik kan onze ervaring met open data inbrengen en wil ook iets terug leren.",
	"Het netwerk maken we samen; daar wil ik aan bijdragen.",
	"Goed luisteren naar elkaar is belangrijk, en zo'n alliantie kan daarvoor zorgen.",
};
static const char *const no_reasons[] = {
	"Weer een nieuwe club; ik zie nog niet wat die toevoegt.",
	"Alleen als we ook echt dingen doen en niet alleen praten.",
	"Ik heb er op dit moment geen tijd voor.",
	"Er zijn al genoeg netwerken over dit onderwerp.",
	"Ik wacht eerst af wat de eerste resultaten zijn.",
};

static const char *const value_answers[] = {
	"Als het concrete afspraken en producten oplevert.",
	"Als organisaties eruit kunnen halen wat ze nodig hebben, zonder overal aan mee te moeten doen.",
	"Als er tweerichtingsverkeer is en niet alles van één partij komt.",
	"Als er ruimte is voor kleine, slagvaardige samenwerkingen.",
	"Als we samen aan concrete opgaven werken.",
	"Als er een goede balans is tussen vrijheid en betrokkenheid.",
};

#define N(a) (sizeof a / sizeof *a)

static int fail(char *err, size_t errlen, const char *what, store_rc rc)
{
	snprintf(err, errlen, "could not load the demo consultation (%s): %s", what,
	         store_rc_name(rc));
	return -1;
}

int cons_demo(store *s, char *err, size_t errlen)
{
	arena a;
	arena_init(&a, 0);
	plan p;
	store_rc rc = store_plan_main(s, &a, &p);
	int64_t plan_id = p.id;
	if (rc != STORE_OK) {
		arena_free(&a);
		return fail(err, errlen, "plan", rc);
	}
	consultation c = {
		.plan_id = plan_id,
		.title = "Online consultatie Actieplan Open Overheid",
		.intro = "De hele maand september staat dit formulier open om jouw ideeën voor het "
		         "nieuwe **Actieplan Open Overheid** te delen.\n\n"
		         "We vragen je welke thema's je het meest interesseren, welke ideeën je hebt, "
		         "en of je mee wilt doen aan de *Alliantie Open Overheid*: een netwerk voor het "
		         "delen van kennis, ervaring en dilemma's.",
		.opens_on = "2020-09-01",
		.closes_on = "2020-09-30",
		.allow_anonymous = true,
		.results_public = "after_close",
		.status = "published",
	};
	int64_t cid = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0;
	rc = cons_store_create(s, &c, &cid);
	const char *labels[N(theme_counts)];
	int64_t tids[N(theme_counts)];
	for (size_t i = 0; i < N(theme_counts); i++) {
		labels[i] = theme_counts[i].theme;
		tids[i] = 0;
		for (size_t t = 0; t < p.nthemes; t++)
			if (!strcmp(p.themes[t].name, labels[i]))
				tids[i] = p.themes[t].id;
	}
	cons_question qs[] = {
		{ .kind = "multiple", .prompt = "In welke thema's ben jij het meest geïnteresseerd?",
		  .help = "Kies er zoveel als je wilt. Mis je een thema? Vul het in bij 'anders'.",
		  .required = true, .allow_other = true, .max_length = 200, .low_label = "",
		  .high_label = "" },
		{ .kind = "text", .prompt = "Welke ideeën heb je voor het nieuwe actieplan?", .help = "",
		  .max_length = 2000, .low_label = "", .high_label = "" },
		{ .kind = "yesno", .prompt = "Zou jij je aansluiten bij de Alliantie Open Overheid?",
		  .help = "Vertel ons ook waarom wel of niet.", .required = true, .max_length = 1000,
		  .low_label = "", .high_label = "" },
		{ .kind = "text", .prompt = "Wanneer heeft dit netwerk meerwaarde voor jou?", .help = "",
		  .max_length = 2000, .low_label = "", .high_label = "" },
	};
	int64_t *qids[] = { &q1, &q2, &q3, &q4 };
	for (size_t i = 0; rc == STORE_OK && i < N(qs); i++)
		rc = cons_store_question_add(s, cid, &qs[i], i == 0 ? labels : NULL,
		                             i == 0 ? tids : NULL, i == 0 ? N(theme_counts) : 0, qids[i]);
	consultation full;
	if (rc == STORE_OK)
		rc = cons_store_get(s, &a, cid, &full);
	if (rc != STORE_OK) {
		arena_free(&a);
		return fail(err, errlen, "questions", rc);
	}
	const cons_question *mq = &full.questions[0];
	size_t yes_i = 0, no_i = 0;
	for (int r = 0; rc == STORE_OK && r < RESPONDENTS; r++) {
		cons_answer_in ans[16];
		size_t n = 0;
		/* Respondent r names theme k when (5r + 7k) mod 48 < count: a
		 * permutation of 0..47 for each k, so each count is exact. */
		for (size_t k = 0; k < N(theme_counts); k++)
			if ((5 * r + 7 * (int)k) % RESPONDENTS < theme_counts[k].count)
				ans[n++] = (cons_answer_in){ .question_id = q1,
				                             .option_id = mq->options[k].id };
		if (r < (int)N(named_once))
			ans[n++] = (cons_answer_in){ .question_id = q1, .text = named_once[r],
			                             .norm = cons_fold(&a, named_once[r]) };
		if (r % 4 == 1 && (size_t)(r / 4) < N(ideas))
			ans[n++] = (cons_answer_in){ .question_id = q2, .text = ideas[r / 4] };
		/* 37 would join, 11 would not. */
		bool yes = r % 48 < 37;
		const char *why = "";
		if (yes && r % 3 == 0 && yes_i < N(yes_reasons))
			why = yes_reasons[yes_i++];
		if (!yes && no_i < N(no_reasons) && r % 2 == 1)
			why = no_reasons[no_i++];
		ans[n++] = (cons_answer_in){ .question_id = q3, .has_value = true, .value = yes,
		                             .text = why };
		if (r % 7 == 2 && (size_t)(r / 7) < N(value_answers))
			ans[n++] = (cons_answer_in){ .question_id = q4, .text = value_answers[r / 7] };
		char nonce[32], who[48];
		snprintf(nonce, sizeof nonce, "demo-%d", r);
		snprintf(who, sizeof who, "demo-respondent-%d", r);
		bool replaced;
		rc = cons_store_respond(s, cid, 0, who, nonce, ans, n, &replaced);
	}
	/* The answers came in during September 2020 (1 September 00:00 UTC). */
	if (rc == STORE_OK)
		rc = cons_store_backdate(s, cid, 1598918400, 30 * 86400);
	/* The organisers picked the first reason to join as a quote. */
	cons_answer_in *mine;
	size_t nm;
	int64_t at;
	if (rc == STORE_OK)
		rc = cons_store_my_answers(s, &a, cid, 0, "demo-respondent-0", &mine, &nm, &at);
	for (size_t i = 0; rc == STORE_OK && i < nm; i++)
		if (mine[i].question_id == q3 && *mine[i].text)
			rc = cons_store_answer_flag(s, cid, mine[i].id, true, true);
	arena_free(&a);
	return rc == STORE_OK ? 0 : fail(err, errlen, "responses", rc);
}
