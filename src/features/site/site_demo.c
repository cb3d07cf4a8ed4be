/* site_demo.c — the demo's site settings: the ministry that runs the
 * national action plan as the organisation behind the site, contact
 * details (a fictitious e-mail address; the ministry's public postal
 * address and the programme's website from the seeds), a privacy and an
 * accessibility statement in our own words, and a simple logo.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "site.h"

static const char privacy[] =
	"Het ministerie van Binnenlandse Zaken en Koninkrijksrelaties (BZK) is verantwoordelijk "
	"voor deze site en voor de persoonsgegevens die erop staan.\n\n"
	"## Waarvoor we uw gegevens gebruiken\n\n"
	"We gebruiken uw gegevens om samen met u het Actieplan Open Overheid te maken en uit te "
	"voeren: u kunt meedoen aan raadplegingen, meedenksessies en peilingen, een actiepunt "
	"adopteren en volgen wat er met uw inbreng gebeurt. De grondslag is onze publieke taak "
	"(artikel 6, lid 1, onder e AVG).\n\n"
	"## Hoe lang we ze bewaren\n\n"
	"Uw account bewaren we tot u het opheft. Uw antwoorden en bijdragen blijven deel van het "
	"actieplan, zonder uw naam.\n\n"
	"## Functionaris gegevensbescherming\n\n"
	"Vragen over privacy bij BZK kunt u stellen aan de functionaris gegevensbescherming van "
	"het ministerie, via het e-mailadres onderaan deze pagina.\n";

static const char accessibility[] =
	"Een extern bureau heeft de site onderzocht met de WCAG-EM-methode. Alle pagina's zijn ook "
	"op een telefoon van 320 pixels breed te gebruiken.\n\n"
	"## Wat nog niet werkt\n\n"
	"- De grafieken op de resultatenpagina's hebben een tabel met dezelfde cijfers, maar de "
	"kleuren van de balken zijn nog niet overal met elkaar te vergelijken.\n"
	"- Het presentatiescherm van een peiling is bedoeld voor een projector en toont de "
	"uitslag nog niet met een hoog contrast.\n\n"
	"We lossen dit op in de eerstvolgende versie.\n";

/* A plain mark: a blue tile with an open ring. */
static const char logo_svg[] =
	"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\" width=\"64\" height=\"64\">"
	"<rect width=\"64\" height=\"64\" rx=\"8\" fill=\"#01689b\"/>"
	"<circle cx=\"32\" cy=\"32\" r=\"17\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"7\" "
	"stroke-dasharray=\"80 27\"/></svg>";

int site_demo(store *s, char *err, size_t errlen)
{
	char checked[11];
	web_amsterdam_ymd((int64_t)time(NULL) - 45 * 86400, checked);
	site_settings st = {
		.site_name = "openplan",
		.org_name = "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
		.contact_email = "openoverheid@openplan.example",
		.contact_phone = "",
		.contact_address = "Postbus 20011\n2500 EA Den Haag",
		.contact_url = "https://www.open-overheid.nl",
		.privacy = privacy,
		.accessibility = accessibility,
		.a11y_status = "partial",
		.a11y_checked_on = checked,
	};
	int64_t version = 0;
	store_rc rc = site_store_save(s, &st, 0, &version);
	if (rc == STORE_OK) {
		const char *type = NULL;
		arena a;
		arena_init(&a, 0);
		rc = site_logo_check(logo_svg, sizeof logo_svg - 1, &type)
		             ? STORE_INVALID
		             : site_logo_save(s, &a, logo_svg, sizeof logo_svg - 1, type, 0, &version);
		arena_free(&a);
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "site settings: %s", store_rc_name(rc));
		return -1;
	}
	return 0;
}
