/* act_rules.c — the rules of the action plan that hold without a request:
 * the status machine, when a milestone is late, how progress is computed,
 * safe Markdown for progress updates (md4c, no raw HTML, no script links)
 * and CSV quoting. Kept apart so the unit tests can check them directly.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../../util/text.h"
#include "act.h"

static const char *const statuses[] = { "idea", "seeking", "adopted", "in_progress",
	                                "completed", "stopped", NULL };

bool act_status_valid(const char *status)
{
	for (int i = 0; status && statuses[i]; i++)
		if (!strcmp(status, statuses[i]))
			return true;
	return false;
}

/* from → the statuses it may go to. Forward along the life cycle, a step
 * back where that is real (an adopted point whose holder leaves seeks a
 * new one; a completed point reopens), and stopping from anywhere but
 * completed; a stopped point may start again as an idea or seek a holder. */
static const struct { const char *from, *to[5]; } transitions[] = {
	{ "idea", { "seeking", "adopted", "stopped", NULL } },
	{ "seeking", { "idea", "adopted", "stopped", NULL } },
	{ "adopted", { "seeking", "in_progress", "stopped", NULL } },
	{ "in_progress", { "adopted", "completed", "stopped", NULL } },
	{ "completed", { "in_progress", NULL } },
	{ "stopped", { "idea", "seeking", NULL } },
};

bool act_transition_ok(const char *from, const char *to)
{
	if (!act_status_valid(from) || !act_status_valid(to))
		return false;
	for (size_t i = 0; i < sizeof transitions / sizeof *transitions; i++)
		if (!strcmp(transitions[i].from, from))
			for (int k = 0; transitions[i].to[k]; k++)
				if (!strcmp(transitions[i].to[k], to))
					return true;
	return false;
}

bool act_status_needs_lead(const char *status)
{
	return status && (!strcmp(status, "adopted") || !strcmp(status, "in_progress") ||
	                  !strcmp(status, "completed"));
}

bool act_milestone_late(const char *due_on, const char *done_on, int today)
{
	int due;
	if (done_on && *done_on)
		return false;
	return text_parse_date(due_on, &due) && due < today;
}

int act_progress(const char *status, int latest_percent, int milestones, int done)
{
	if (status && !strcmp(status, "completed"))
		return 100;
	if (latest_percent >= 0)
		return latest_percent > 100 ? 100 : latest_percent;
	if (milestones > 0)
		return done * 100 / milestones;
	return 0;
}

bool act_date_within(const char *d, const char *start, const char *end)
{
	int v, a, b;
	if (!text_parse_date(d, &v))
		return false;
	if (start && *start && text_parse_date(start, &a) && v < a)
		return false;
	if (end && *end && text_parse_date(end, &b) && v > b)
		return false;
	return true;
}

bool act_url_ok(const char *url)
{
	const char *rest;
	if (!url)
		return false;
	if (!strncasecmp(url, "https://", 8))
		rest = url + 8;
	else if (!strncasecmp(url, "http://", 7))
		rest = url + 7;
	else
		return false;
	if (!*rest || *rest == '/' || *rest == '.')
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	return true;
}

void act_csv_field(sb *out, const char *s)
{
	if (!s)
		s = "";
	bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
	bool quote = formula || strpbrk(s, ",\"\r\n;") != NULL;
	if (!quote) {
		sb_puts(out, s);
		return;
	}
	sb_putc(out, '"');
	if (formula)
		sb_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(out, '"');
		sb_putc(out, *s);
	}
	sb_putc(out, '"');
}

int act_today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}
