/* input_data.c — input's resources as data, one builder per resource
 * (item, group, response version, link to an action point, counts, red
 * thread): codes, ISO times and numbers, never labels and never people's
 * names, as /api/v1 answers them (described in openapi.json). A removed or
 * hidden item has no text in them. Pages take the same objects and add
 * what they show beside them with the *_view functions: labels in the
 * visitor's language, dates written out, rendered Markdown.
 */
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "input.h"

static const char *iso_time(char out[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer((json_int_t)id) : json_null();
}

const char *input_excerpt(arena *a, const char *text, size_t max_chars)
{
	if (!text)
		return "";
	/* whole code points, white space collapsed */
	sb b;
	sb_init(&b);
	size_t chars = 0;
	bool space = false, cut = false;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
	utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(text);
	for (utf8proc_ssize_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, len - i, &cp);
		if (k <= 0)
			break;
		if (cp == ' ' || cp == '\n' || cp == '\r' || cp == '\t') {
			space = b.len > 0;
		} else {
			if (chars >= max_chars) {
				cut = true;
				break;
			}
			if (space) {
				sb_putc(&b, ' ');
				chars++;
			}
			space = false;
			sb_append(&b, (const char *)p + i, (size_t)k);
			chars++;
		}
		i += k;
	}
	if (cut)
		sb_puts(&b, "…");
	const char *out = sb_failed(&b) ? "" : arena_strdup(a, sb_str(&b));
	sb_free(&b);
	return out ? out : "";
}

static json_t *answer_data(const input_item *it)
{
	char at[32];
	if (!it->answer_id)
		return json_null();
	return json_pack("{s:i,s:s,s:s,s:s,s:b}", "version", it->answer_version, "status",
	                 it->answer_status, "body", it->answer_body, "at",
	                 iso_time(at, it->answer_at), "of_group", it->answer_of_group);
}

json_t *input_item_data(const input_item *it, bool organiser)
{
	char at[32];
	/* The text only when it may be read: not removed; hidden ones only for
	 * organisers (and, on their own pages, authors: the caller decides). */
	bool show = !it->removed && (organiser || (!it->hidden && !it->hidden_here));
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:I,s:I,s:o,s:b,s:b,s:s,s:o,s:o,s:o,s:s,s:o}",
	                      "id", (json_int_t)it->id, "plan_id", (json_int_t)it->plan_id,
	                      "source", it->source, "kind", it->kind, "container_id",
	                      (json_int_t)it->container_id, "question_id",
	                      (json_int_t)(strcmp(it->source, "board") && strcmp(it->source, "idea")
	                                   ? it->part_id : 0),
	                      "text", show ? json_string(it->text) : json_null(), "removed",
	                      it->removed != 0, "public", it->is_public, "status", it->status,
	                      "theme_id", id_or_null(it->theme_id), "group_id",
	                      id_or_null(it->group_id), "duplicate_of", id_or_null(it->duplicate_of),
	                      "created_at", iso_time(at, it->created_at), "response",
	                      answer_data(it));
	if (organiser && o) {
		json_object_set_new(o, "hidden", json_boolean(it->hidden || it->hidden_here));
		json_object_set_new(o, "anonymous", json_boolean(it->author_id == 0));
	}
	return o;
}

json_t *input_group_data(const input_group *g)
{
	char at[32];
	json_t *answer = json_null();
	if (g->answer_id)
		answer = json_pack("{s:i,s:s,s:s,s:s,s:b}", "version", g->answer_version, "status",
		                   g->answer_status, "body", g->answer_body, "at",
		                   iso_time(at, g->answer_at), "of_group", 1);
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:I,s:o,s:o}", "id", (json_int_t)g->id,
	                 "plan_id", (json_int_t)g->plan_id, "title", g->title, "terms", g->terms,
	                 "status", g->status, "theme_id", id_or_null(g->theme_id), "members",
	                 (json_int_t)g->members, "quote_item_id", id_or_null(g->quote_item_id),
	                 "response", answer);
}

json_t *input_response_data(const input_response *r)
{
	char at[32];
	return json_pack("{s:i,s:s,s:s,s:s}", "version", r->version, "status", r->status, "body",
	                 r->body, "at", iso_time(at, r->created_at));
}

json_t *input_link_data(const input_link *l)
{
	return json_pack("{s:I,s:s,s:s,s:i}", "action_id", (json_int_t)l->action_id, "title",
	                 l->title, "status", l->status, "progress", l->percent);
}

json_t *input_counts_data(const input_counts *c)
{
	json_t *a = json_array();
	for (int i = 0; input_statuses[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:I}", "status", input_statuses[i], "count",
		                                   (json_int_t)c->by_status[i]));
	return json_pack("{s:I,s:o}", "total", (json_int_t)c->total, "by_status", a);
}

json_t *input_thread_data(const input_thread *t)
{
	return json_pack("{s:I,s:i,s:s,s:s,s:s,s:I,s:o,s:o}", "id", (json_int_t)t->id, "position",
	                 t->position, "label", t->label, "terms", t->terms, "state", t->state,
	                 "size", (json_int_t)t->size, "quote_item_id",
	                 id_or_null(t->quote_item_id), "group_id", id_or_null(t->group_id));
}

/* ---- what pages add ------------------------------------------------------------------------- */

const char *input_when(app_req *q, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char ymd[16], hm[8];
	gmtime_r(&tt, &tm);
	strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
	strftime(hm, sizeof hm, "%H:%M", &tm);
	const char *s = arena_printf(q->a, "%s %s UTC", app_date(q, ymd), hm);
	return s ? s : "";
}

static const char *md_html(app_req *q, const char *md)
{
	sb h;
	sb_init(&h);
	const char *out = web_markdown(&h, md) == 0 && !sb_failed(&h) ? arena_strdup(q->a, sb_str(&h))
	                                                                : NULL;
	sb_free(&h);
	return out ? out : "";
}

static const char *answer_status_label(const char *status)
{
	return input_status_label(status);
}

void input_item_view(app_req *q, json_t *o, const input_item *it)
{
	json_object_set_new(o, "status_label", json_string(app_t(q, input_status_label(it->status))));
	json_object_set_new(o, "source_label", json_string(app_t(q, input_source_label(it->source))));
	json_object_set_new(o, "kind_label", json_string(app_t(q, input_kind_label(it->kind))));
	json_object_set_new(o, "created_label", json_string(input_when(q, it->created_at)));
	json_object_set_new(o, "container_title", json_string(it->container_title));
	json_object_set_new(o, "question", json_string(it->part_title));
	json_object_set_new(o, "theme_name", json_string(it->theme_name));
	json_object_set_new(o, "group_title", json_string(it->group_title));
	json_object_set_new(o, "status_class", json_string(it->status));
	if (it->removed)
		json_object_set_new(o, "removed_label",
		                    json_string(app_t(q, it->removed == 1 ? "Deleted by the person who wrote it."
		                                                          : "Withdrawn at its source.")));
	if (it->answer_id) {
		json_t *r = json_object_get(o, "response");
		json_object_set_new(r, "status_label",
		                    json_string(app_t(q, answer_status_label(it->answer_status))));
		json_object_set_new(r, "at_label", json_string(input_when(q, it->answer_at)));
		json_object_set_new(r, "body_html", json_string(md_html(q, it->answer_body)));
	}
	/* where it came from, as a link when there is a page for it */
	const char *from = NULL;
	if (!strcmp(it->source, "cons"))
		from = arena_printf(q->a, "/consultations/%lld/results", (long long)it->container_id);
	else if (!strcmp(it->source, "poll"))
		from = arena_printf(q->a, "/polls/%lld/report", (long long)it->container_id);
	if (from)
		json_object_set_new(o, "source_url", json_string(from));
}

void input_group_view(app_req *q, json_t *o, const input_group *g)
{
	json_object_set_new(o, "status_label", json_string(app_t(q, input_status_label(g->status))));
	json_object_set_new(o, "status_class", json_string(g->status));
	json_object_set_new(o, "theme_name", json_string(g->theme_name));
	if (g->answer_id) {
		json_t *r = json_object_get(o, "response");
		json_object_set_new(r, "status_label",
		                    json_string(app_t(q, answer_status_label(g->answer_status))));
		json_object_set_new(r, "at_label", json_string(input_when(q, g->answer_at)));
		json_object_set_new(r, "body_html", json_string(md_html(q, g->answer_body)));
	}
}

void input_response_view(app_req *q, json_t *o, const input_response *r)
{
	json_object_set_new(o, "status_label", json_string(app_t(q, input_status_label(r->status))));
	json_object_set_new(o, "at_label", json_string(input_when(q, r->created_at)));
	json_object_set_new(o, "body_html", json_string(md_html(q, r->body)));
	json_object_set_new(o, "who", json_string(*r->author_name ? r->author_name
	                                                          : app_t(q, "an organiser")));
}

void input_link_view(app_req *q, json_t *o, const input_link *l)
{
	static const char *const st[][2] = {
		{ "idea", "Idea" }, { "seeking", "Seeking a holder" }, { "adopted", "Adopted" },
		{ "in_progress", "In progress" }, { "completed", "Completed" }, { "stopped", "Stopped" },
	};
	const char *label = l->status;
	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		if (!strcmp(st[i][0], l->status))
			label = st[i][1];
	json_object_set_new(o, "status_label", json_string(app_t(q, label)));
	json_object_set_new(o, "has_progress", json_boolean(l->percent >= 0));
}

json_t *input_status_options(app_req *q, const char *selected, bool with_new)
{
	json_t *a = json_array();
	for (int i = with_new ? 0 : 1; input_statuses[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", input_statuses[i], "label",
		                                   app_t(q, input_status_labels[i]), "selected",
		                                   selected && !strcmp(selected, input_statuses[i])));
	return a;
}

json_t *input_theme_options(app_req *q, const plan *p, int64_t selected)
{
	(void)q;
	json_t *a = json_array();
	for (size_t t = 0; t < p->nthemes; t++)
		json_array_append_new(a, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)p->themes[t].id,
		                                   "label", p->themes[t].name, "selected",
		                                   p->themes[t].id == selected));
	return a;
}
