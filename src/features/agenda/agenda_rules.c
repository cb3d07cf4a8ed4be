/* agenda_rules.c — the agenda's rules as pure functions: may a person
 * register (and for a place or the waitlist), how many move up when places
 * free, a place on the waitlist, the board's ranked list, and the checks
 * of codes and links. The store applies them inside its transactions; the
 * unit tests check them without a server.
 */
#include <stdlib.h>
#include <string.h>

#include "agenda.h"

static const char *const kinds[] = { "thinkalong", "table", "forum", "holders", "public", NULL };
static const char *const modes[] = { "online", "physical", "both", NULL };

static bool one_of(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

bool agenda_kind_valid(const char *kind) { return one_of(kinds, kind); }
bool agenda_mode_valid(const char *mode) { return one_of(modes, mode); }

bool agenda_mode_matches(const char *mode, const char *f)
{
	if (!f || !*f)
		return true;
	if (!strcmp(mode, "both"))
		return !strcmp(f, "online") || !strcmp(f, "physical");
	return !strcmp(mode, f);
}

agenda_reg_verdict agenda_reg_decide(const agenda_reg_facts *f)
{
	if (!f->status || strcmp(f->status, "published"))
		return AGENDA_REG_UNAVAILABLE;
	if (f->now >= f->starts_at)
		return AGENDA_REG_STARTED;
	if (f->opens_at && f->now < f->opens_at)
		return AGENDA_REG_NOT_YET;
	if (f->closes_at && f->now >= f->closes_at)
		return AGENDA_REG_CLOSED;
	if (f->capacity <= 0 || f->registered < f->capacity)
		return AGENDA_REG_REGISTER;
	return f->waitlist ? AGENDA_REG_WAITLIST : AGENDA_REG_FULL;
}

int64_t agenda_promotions(int64_t capacity, int64_t registered, int64_t waiting)
{
	if (waiting <= 0)
		return 0;
	if (capacity <= 0)
		return waiting;
	int64_t free_places = capacity - registered;
	if (free_places <= 0)
		return 0;
	return free_places < waiting ? free_places : waiting;
}

bool agenda_can_cancel(int64_t now, int64_t starts_at)
{
	return now < starts_at;
}

int64_t agenda_waitlist_place(const int64_t *waiting, size_t n, int64_t seq)
{
	bool found = false;
	int64_t before = 0;
	for (size_t i = 0; i < n; i++) {
		if (waiting[i] == seq)
			found = true;
		else if (waiting[i] < seq)
			before++;
	}
	return found ? before + 1 : 0;
}

typedef struct rank_ctx {
	const agenda_rank_in *in;
	const int64_t        *totals;
} rank_ctx;

static _Thread_local rank_ctx cur;

static int by_total(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (cur.totals[x] != cur.totals[y])
		return cur.totals[x] > cur.totals[y] ? -1 : 1;
	if (cur.in[x].created != cur.in[y].created)
		return cur.in[x].created < cur.in[y].created ? -1 : 1;
	return cur.in[x].id < cur.in[y].id ? -1 : cur.in[x].id > cur.in[y].id;
}

size_t agenda_rank(const agenda_rank_in *in, size_t n, size_t *order, int64_t *totals)
{
	/* totals is indexed like in; only top-level entries are ranked. */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool top = in[i].group_id == 0;
		if (!top) {
			top = true;
			for (size_t j = 0; j < n; j++)
				if (in[j].id == in[i].group_id && j != i)
					top = false;
		}
		totals[i] = in[i].votes;
		if (top)
			order[k++] = i;
	}
	for (size_t i = 0; i < n; i++) {
		if (in[i].group_id == 0)
			continue;
		for (size_t t = 0; t < k; t++)
			if (in[order[t]].id == in[i].group_id && order[t] != i)
				totals[order[t]] += in[i].votes;
	}
	cur = (rank_ctx){ in, totals };
	qsort(order, k, sizeof *order, by_total);
	return k;
}

bool agenda_url_ok(const char *v)
{
	size_t skip = strncmp(v, "https://", 8) == 0 ? 8 : strncmp(v, "http://", 7) == 0 ? 7 : 0;
	if (!skip || !v[skip] || v[skip] == '/' || v[skip] == '.')
		return false;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	return true;
}

void agenda_csv_field(sb *out, const char *s)
{
	if (!s)
		s = "";
	bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
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
