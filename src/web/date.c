/* date.c — dates as pages show them: "3 september 2020" in Dutch, "3
 * September 2020" in English, from the "YYYY-MM-DD" the store keeps.
 */
#include <string.h>

#include "../util/text.h"
#include "web.h"

const char *web_date(arena *a, const char *lang, const char *ymd)
{
	static const char *const nl[] = { "januari", "februari", "maart", "april", "mei", "juni",
		                          "juli", "augustus", "september", "oktober", "november",
		                          "december" };
	static const char *const en[] = { "January", "February", "March", "April", "May", "June",
		                          "July", "August", "September", "October", "November",
		                          "December" };
	int v;
	if (!ymd || !text_parse_date(ymd, &v))
		return "";
	const char *const *months = lang && strcmp(lang, "en") == 0 ? en : nl;
	const char *s = arena_printf(a, "%d %s %d", v % 100, months[(v / 100) % 100 - 1], v / 10000);
	return s ? s : "";
}
