/* news_demo.c — the newsletter's part of `openplan demo`: the archive
 * holds the issue that told readers, in October 2020, where the
 * think-along sessions and the consultation for the 2020–2022 plan stood
 * (facts from the seeds, in our own words). Nobody is subscribed.
 */
#include <stdio.h>

#include "news.h"

static const char subject[] = "Nieuwsbrief Open Overheid — oktober 2020";
static const char body[] =
	"Het nieuwe **Actieplan Open Overheid 2020–2022** krijgt vorm. Deze maand lees je waar we staan.\n"
	"\n"
	"## Meedenksessies\n"
	"\n"
	"Tussen augustus en oktober dachten overheden, maatschappelijke organisaties en burgers mee "
	"in sessies over Open Organisatie, Open Technologie, Open Communicatie en Open Justice. Van "
	"elke sessie staat een verslag op de site. De actiehouders werken de ideeën nu uit tot "
	"acties.\n"
	"\n"
	"## De online consultatie\n"
	"\n"
	"In september kon iedereen een maand lang laten weten welke thema’s belangrijk zijn. 48 "
	"mensen deden mee. Open Technologie werd het vaakst gekozen, daarna Open Informatie en Open "
	"Communicatie. De resultaten staan bij het actieplan.\n"
	"\n"
	"## Wat komt er?\n"
	"\n"
	"In november volgt een update over de acties. Wil je een actiepunt adopteren? Kijk bij de "
	"actiepunten die nog een trekker zoeken.\n";

int news_demo(store *s, char *err, size_t errlen)
{
	int64_t id = 0;
	store_rc rc = news_store_issue_create(s, subject, body, 0, &id);
	if (rc == STORE_OK) /* 15 October 2020, 10:00 Amsterdam time */
		rc = news_store_issue_mark_sent(s, id, 1602748800);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "newsletter demo: %s", store_rc_name(rc));
		return -1;
	}
	return 0;
}
