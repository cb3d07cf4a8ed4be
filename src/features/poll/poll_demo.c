/* poll_demo.c — the demo's live poll: the stakeholder forum of 18 March
 * 2021 asked its members three questions live (how to keep action holders
 * involved, what action-holder meetings should be like — a word cloud —
 * and how to measure impact). The poll is closed, its report attached to
 * the plan, and the answers are like those the forum gave, written anew
 * by fictitious participants.
 */
#include <stdio.h>
#include <string.h>

#include "poll.h"

typedef struct demo_q {
	const char *kind, *prompt;
	const char *answers[14];
} demo_q;

static const demo_q questions[] = {
	{ "open", "Hoe houden we actiehouders betrokken?",
	  { "Organiseer af en toe een workshop met alle actiehouders",
	    "Deel tussentijdse resultaten, ook als ze nog niet af zijn",
	    "Een nieuwsbrief of een plek op het platform waar iedereen updates zet",
	    "Bijeenkomsten die steeds door een andere actiehouder worden georganiseerd",
	    "Vertel elkaar regelmatig waar je mee bezig bent", NULL } },
	{ "words", "Hoe ziet een goede actiehoudersbijeenkomst eruit? (een paar woorden)",
	  { "teambuilding", "inspirerende spreker, mooie case", "quiz", "use-cases delen",
	    "creatieve workshops", "podcast, filmpje", "design sessie", "Workshops",
	    "quiz over elkaars resultaten", "teambuilding, quiz", "workshops", "workshops", NULL } },
	{ "open", "Welke ideeën hebben jullie voor het meten van impact?",
	  { "Kijk naar landelijke initiatieven zoals 'Waar staat je gemeente?'",
	    "Vraag de Nationale ombudsman wat die merkt",
	    "Organiseer een publiek debat en meet zo de impact in de samenleving",
	    "Een korte enquête onder de doelgroep",
	    "Vraag actiehouders om een update over hun impact",
	    "Sluit aan bij de richtlijnen van het OGP", NULL } },
};

int poll_demo(store *s, char *err, size_t errlen)
{
	arena a;
	arena_init(&a, 1u << 22);
	int64_t poll_id = 0;
	plan pl;
	store_rc rc = store_plan_main(s, &a, &pl);
	int64_t plan_id = rc == STORE_OK ? pl.id : 0;
	if (rc == STORE_OK)
		rc = poll_store_create(s, plan_id, "Stakeholderforum 18 maart 2021: betrokkenheid en impact",
	                                "210318", "presenter", 0, &poll_id);
	for (size_t i = 0; rc == STORE_OK && i < sizeof questions / sizeof *questions; i++) {
		const demo_q *dq = &questions[i];
		int64_t qid = 0;
		rc = poll_store_question_add(s, poll_id, dq->kind, dq->prompt, 1, 5, NULL, 0, &qid);
		for (int k = 0; rc == STORE_OK && dq->answers[k]; k++) {
			poll_item items[POLL_WORDS_PER_ANSWER];
			const char *msgid = NULL;
			int n = !strcmp(dq->kind, "words")
			        ? poll_words(&a, dq->answers[k], items, POLL_WORDS_PER_ANSWER, &msgid) : 0;
			char who[32];
			snprintf(who, sizeof who, "demo-participant-%02d", k + 1);
			poll_vote_in v = { qid, who, dq->answers[k], items, n > 0 ? (size_t)n : 0, NULL, 0 };
			rc = n < 0 ? STORE_ERROR : poll_store_vote(s, &v, NULL, NULL);
		}
	}
	poll p;
	if (rc == STORE_OK)
		rc = poll_store_get(s, &a, poll_id, POLL_COUNTS_NONE, &p);
	if (rc == STORE_OK) {
		p.status = "closed";
		p.attached = true;
		p.current_question = p.nquestions ? p.questions[p.nquestions - 1].id : 0;
		rc = poll_store_update(s, &p);
	}
	arena_free(&a);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "demo poll: %s", store_rc_name(rc));
		return -1;
	}
	return 0;
}
