/* agenda_board.c — a session's idea board (what Miro did): columns the
 * organiser names, notes that signed-in participants add (short text,
 * optional theme), that the facilitator (an organiser) moves between
 * columns and groups, and dot voting with a budget per participant. The
 * page works with plain forms and a refresh; agenda.js makes it live over
 * the stream (agenda_live.c). Exports: CSV and JSON (the board's JSON is
 * the export). Note authors are shown to organisers only.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/text.h"
#include "agenda.h"

json_t *agenda_board_data(app_req *q, const agenda_board *b, bool organiser)
{
	json_t *cols = json_array();
	for (size_t i = 0; i < b->ncolumns; i++)
		json_array_append_new(cols, json_pack("{s:I,s:i,s:s}", "id", (json_int_t)b->columns[i].id,
		                                      "position", b->columns[i].position, "name",
		                                      b->columns[i].name));
	json_t *notes = json_array();
	for (size_t i = 0; i < b->nnotes; i++) {
		const agenda_note *n = &b->notes[i];
		json_t *o = json_pack("{s:I,s:I,s:I,s:s,s:I,s:I,s:b}", "id", (json_int_t)n->id,
		                      "column_id", (json_int_t)n->column_id, "group_id",
		                      (json_int_t)n->group_id, "text", n->body, "votes",
		                      (json_int_t)n->votes, "version", (json_int_t)n->version, "hidden",
		                      n->hidden);
		json_object_set_new(o, "theme", n->theme_id
			? json_pack("{s:I,s:s}", "id", (json_int_t)n->theme_id, "name", n->theme_name)
			: json_null());
		if (organiser)
			json_object_set_new(o, "author", n->author_id ? json_string(n->author_name)
			                                              : json_null());
		json_array_append_new(notes, o);
	}
	(void)q;
	return json_pack("{s:I,s:I,s:I,s:b,s:I,s:o,s:o}", "id", (json_int_t)b->id, "session_id",
	                 (json_int_t)b->session_id, "dots", (json_int_t)b->dots, "open", b->open,
	                 "version", (json_int_t)b->version, "columns", cols, "notes", notes);
}

/* The session and its board; answers 404 itself when either is missing. */
static bool load_board(app_req *q, agenda_session *x, agenda_board *b)
{
	if (!agenda_load(q, x))
		return false;
	store_rc rc = agenda_store_board(q->app->db, q->a, x->id, 0, b);
	if (rc == STORE_NOTFOUND) {
		app_error(q, 404, "This session has no board.");
		return false;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

/* The page: columns with their notes (grouped notes under their group),
 * the visitor's dots and the forms. */
static void board_page(app_req *q, int status)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	bool org = agenda_is_organiser(q);
	agenda_board b;
	store_rc rc = agenda_store_board(q->app->db, q->a, x.id, 0, &b);
	if (rc == STORE_NOTFOUND && !org) {
		app_error(q, 404, "This session has no board.");
		return;
	}
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		app_store_error(q, rc);
		return;
	}
	int64_t used = 0, *mine_ids = NULL, *mine_n = NULL;
	size_t nmine = 0;
	if (rc == STORE_OK && q->me)
		agenda_store_my_dots(q->app->db, q->a, b.id, q->me->id, &used, &mine_ids, &mine_n, &nmine);
	if (q->want_json) {
		if (status != 200 && form_failed(q)) {
			app_page(q, status, "agenda_board", json_object());
			return;
		}
		json_t *d = json_pack("{s:o}", "board", agenda_board_data(q, &b, org));
		if (q->me) {
			json_t *per = json_object();
			for (size_t i = 0; i < nmine; i++)
				json_object_set_new(per, arena_printf(q->a, "%lld", (long long)mine_ids[i]),
				                    json_integer(mine_n[i]));
			json_object_set_new(d, "my_dots", json_pack("{s:I,s:I,s:o}", "used", (json_int_t)used,
			                                            "left", (json_int_t)(b.dots - used),
			                                            "notes", per));
		}
		app_json(q, status, d);
		return;
	}
	json_t *m = json_pack("{s:s,s:o,s:b,s:b}", "title", x.title, "session",
	                      agenda_session_view(q, &x), "can_edit", org, "signed_in", q->me != NULL);
	plan p;
	json_t *themes = json_array();
	if (store_plan_get(q->app->db, q->a, x.plan_id, &p) == STORE_OK)
		for (size_t i = 0; i < p.nthemes; i++)
			json_array_append_new(themes, json_pack("{s:I,s:s}", "id", (json_int_t)p.themes[i].id,
			                                        "name", p.themes[i].name));
	json_object_set_new(m, "themes", themes);
	if (rc == STORE_NOTFOUND) {
		json_object_set_new(m, "board_form", form_view(q, &agenda_board_form, "board",
		                                               json_pack("{s:s,s:s}", "dots", "5",
		                                                         "columns", "Kansen\nRisico's\nOplossingen"),
		                                               true));
		if (form_failed(q))
			json_object_set_new(m, "has_errors", json_true());
		app_page(q, status, "agenda_board", m);
		return;
	}
	/* Where a failed form goes: the note's or column's own form. */
	int64_t posted_note = app_param_id(q, "nid"), posted_col = app_param_id(q, "cid");
	json_t *cols = json_array();
	json_t *group_opts = json_array();
	for (size_t i = 0; i < b.nnotes; i++)
		if (!b.notes[i].group_id)
			json_array_append_new(group_opts, json_pack("{s:I,s:s}", "id",
			                                            (json_int_t)b.notes[i].id, "text",
			                                            b.notes[i].body));
	for (size_t c = 0; c < b.ncolumns; c++) {
		json_t *notes = json_array();
		for (size_t i = 0; i < b.nnotes; i++) {
			const agenda_note *n = &b.notes[i];
			if (n->column_id != b.columns[c].id || n->group_id)
				continue;
			json_t *o = json_pack("{s:I,s:s,s:I}", "id", (json_int_t)n->id, "text", n->body,
			                      "votes", (json_int_t)n->votes);
			/* Every key set on every note: a missing one would be looked
			 * up in the note around it (templates search outwards). */
			json_object_set_new(o, "theme", n->theme_id ? json_string(n->theme_name) : json_null());
			json_object_set_new(o, "in_group", json_false());
			json_t *grouped = json_array();
			for (size_t j = 0; j < b.nnotes; j++) {
				const agenda_note *g = &b.notes[j];
				if (g->group_id != n->id)
					continue;
				json_t *go = json_pack("{s:I,s:s,s:I,s:b}", "id", (json_int_t)g->id, "text",
				                       g->body, "votes", (json_int_t)g->votes, "in_group", 1);
				json_object_set_new(go, "theme", g->theme_id ? json_string(g->theme_name)
				                                              : json_null());
				json_object_set_new(go, "grouped", json_array());
				json_array_append_new(grouped, go);
			}
			json_object_set_new(o, "grouped", grouped);
			json_array_append_new(notes, o);
		}
		json_t *col = json_pack("{s:I,s:s,s:o}", "id", (json_int_t)b.columns[c].id, "name",
		                        b.columns[c].name, "notes", notes);
		if (org)
			json_object_set_new(col, "edit", form_view(q, &agenda_column_edit_form,
			                                           arena_printf(q->a, "column-%lld",
			                                                        (long long)b.columns[c].id),
			                                           json_pack("{s:s}", "name", b.columns[c].name),
			                                           posted_col == b.columns[c].id));
		json_array_append_new(cols, col);
	}
	/* Every note (also grouped ones) gets its dots, author and forms. */
	json_t *col;
	size_t ci;
	json_array_foreach(cols, ci, col) {
		json_t *n;
		size_t ni;
		json_array_foreach(json_object_get(col, "notes"), ni, n) {
			for (size_t pass = 0; pass < 1 + json_array_size(json_object_get(n, "grouped")); pass++) {
				json_t *o = pass == 0 ? n : json_array_get(json_object_get(n, "grouped"), pass - 1);
				int64_t id = json_integer_value(json_object_get(o, "id"));
				int64_t mine = 0;
				for (size_t k = 0; k < nmine; k++)
					if (mine_ids[k] == id)
						mine = mine_n[k];
				json_object_set_new(o, "mine", json_integer(mine));
				json_object_set_new(o, "session_id", json_integer(x.id));
				if (org) {
					for (size_t k = 0; k < b.nnotes; k++)
						if (b.notes[k].id == id)
							json_object_set_new(o, "author", json_string(*b.notes[k].author_name
								? b.notes[k].author_name : app_t(q, "unknown")));
					int64_t cur_col = 0, cur_group = 0;
					for (size_t k = 0; k < b.nnotes; k++)
						if (b.notes[k].id == id) {
							cur_col = b.notes[k].column_id;
							cur_group = b.notes[k].group_id;
						}
					json_t *fv = form_view(q, &agenda_move_form,
					                       arena_printf(q->a, "move-%lld", (long long)id),
					                       json_pack("{s:I,s:I}", "column_id", (json_int_t)cur_col,
					                                 "group_id", (json_int_t)cur_group),
					                       posted_note == id);
					json_t *copts = json_array(), *gopts = json_array();
					const char *cv = json_string_value(json_object_get(json_object_get(
						json_object_get(fv, "f"), "column_id"), "value"));
					const char *gv = json_string_value(json_object_get(json_object_get(
						json_object_get(fv, "f"), "group_id"), "value"));
					for (size_t k = 0; k < b.ncolumns; k++) {
						char idb[24];
						snprintf(idb, sizeof idb, "%lld", (long long)b.columns[k].id);
						json_array_append_new(copts, json_pack("{s:s,s:s,s:b}", "value", idb,
						                                       "label", b.columns[k].name,
						                                       "selected", cv && !strcmp(cv, idb)));
					}
					size_t gk;
					json_t *go;
					json_array_foreach(group_opts, gk, go) {
						int64_t gid = json_integer_value(json_object_get(go, "id"));
						if (gid == id)
							continue;
						char idb[24];
						snprintf(idb, sizeof idb, "%lld", (long long)gid);
						json_array_append_new(gopts, json_pack("{s:s,s:s,s:b}", "value", idb,
						                                       "label", json_string_value(json_object_get(go, "text")),
						                                       "selected", gv && !strcmp(gv, idb)));
					}
					json_object_set_new(fv, "column_options", copts);
					json_object_set_new(fv, "group_options", gopts);
					json_object_set_new(o, "move", fv);
				}
			}
		}
	}
	json_t *board = json_pack("{s:I,s:I,s:b,s:I,s:o}", "id", (json_int_t)b.id, "dots",
	                          (json_int_t)b.dots, "open", b.open, "version", (json_int_t)b.version,
	                          "columns", cols);
	json_object_set_new(board, "empty", json_boolean(b.nnotes == 0));
	json_object_set_new(m, "board", board);
	json_object_set_new(m, "dots_used", json_integer(used));
	json_object_set_new(m, "dots_left", json_integer(b.dots - used));
	/* The two plural forms of a note's dot count, for the live script. */
	json_object_set_new(m, "dot_one", json_string(app_tn(q, "%d dot", "%d dots", 1)));
	json_object_set_new(m, "dot_many", json_string(app_tn(q, "%d dot", "%d dots", 2)));
	/* The note form: the column chosen as posted, else the first. */
	json_t *nf = form_view(q, &agenda_note_form, "note", NULL, posted_note == 0);
	const char *ncv = json_string_value(json_object_get(json_object_get(json_object_get(nf, "f"),
	                                                                    "column_id"), "value"));
	const char *ntv = json_string_value(json_object_get(json_object_get(json_object_get(nf, "f"),
	                                                                    "theme_id"), "value"));
	json_t *nco = json_array(), *nto = json_array();
	for (size_t k = 0; k < b.ncolumns; k++) {
		char idb[24];
		snprintf(idb, sizeof idb, "%lld", (long long)b.columns[k].id);
		json_array_append_new(nco, json_pack("{s:s,s:s,s:b}", "value", idb, "label",
		                                     b.columns[k].name, "selected", ncv && !strcmp(ncv, idb)));
	}
	size_t ti;
	json_t *th;
	json_array_foreach(themes, ti, th) {
		char idb[24];
		snprintf(idb, sizeof idb, "%lld", (long long)json_integer_value(json_object_get(th, "id")));
		json_array_append_new(nto, json_pack("{s:s,s:s,s:b}", "value", idb, "label",
		                                     json_string_value(json_object_get(th, "name")),
		                                     "selected", ntv && !strcmp(ntv, idb)));
	}
	json_object_set_new(nf, "column_options", nco);
	json_object_set_new(nf, "theme_options", nto);
	json_object_set_new(m, "note_form", nf);
	if (org) {
		char dots[24];
		snprintf(dots, sizeof dots, "%lld", (long long)b.dots);
		json_object_set_new(m, "settings_form", form_view(q, &agenda_settings_form, "settings",
		                                                  json_pack("{s:s,s:b}", "dots", dots,
		                                                            "open", b.open),
		                                                  true));
		json_object_set_new(m, "column_form", form_view(q, &agenda_column_form, "column", NULL, true));
	}
	json_decref(group_opts);
	if (form_failed(q))
		json_object_set_new(m, "has_errors", json_true());
	if (q->form && json_object_get(q->form->errors, "dot"))
		json_object_set(m, "dot_error", json_object_get(q->form->errors, "dot"));
	app_page(q, status, "agenda_board", m);
}

void agenda_board_page(app_req *q)
{
	board_page(q, 200);
}

void agenda_board_reshow(app_req *q)
{
	board_page(q, 422);
}

/* After a change: JSON clients get the note or an ok, pages go back. */
static void changed(app_req *q, const agenda_session *x, const char *anchor, const char *flash,
                    json_t *data)
{
	agenda_live_changed(q->app, x->id);
	if (q->want_json) {
		app_json(q, 200, data ? data : json_pack("{s:b}", "ok", 1));
		return;
	}
	json_decref(data);
	char *to = arena_printf(q->a, "/sessions/%lld/board%s", (long long)x->id, anchor ? anchor : "");
	app_redirect(q, to ? to : "/agenda", flash);
}

void agenda_board_create(app_req *q)
{
	agenda_session x;
	if (!agenda_load(q, &x))
		return;
	/* One column name per line; empty lines do not count. */
	const char *text = form_text(q, "columns");
	const char *names[AGENDA_COLUMNS_MAX + 1];
	size_t n = 0;
	char *copy = arena_strdup(q->a, text);
	for (char *save = NULL, *line = copy ? strtok_r(copy, "\r\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		char *t = text_trim(q->a, line);
		if (!t || !*t)
			continue;
		if (n == AGENDA_COLUMNS_MAX || text_utf8_len(t) > 60) {
			form_fail(q, "columns", n == AGENDA_COLUMNS_MAX
				? "Use at most 12 columns."
				: "A column name has at most 60 characters.");
			form_reshow(q);
			return;
		}
		names[n++] = t;
	}
	if (!n) {
		form_fail(q, "columns", "Fill in this field.");
		form_reshow(q);
		return;
	}
	store_rc rc = agenda_store_board_create(q->app->db, x.id, form_int(q, "dots"), names, n, NULL);
	if (rc == STORE_CONFLICT) {
		app_error(q, 409, "This session has a board already.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	changed(q, &x, "", "saved", NULL);
}

void agenda_board_settings(app_req *q)
{
	agenda_session x;
	agenda_board b;
	if (!load_board(q, &x, &b))
		return;
	store_rc rc = agenda_store_board_settings(q->app->db, b.id, form_int(q, "dots"),
	                                          form_bool(q, "open"));
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	changed(q, &x, "", "saved", NULL);
}

void agenda_column_add(app_req *q)
{
	agenda_session x;
	agenda_board b;
	if (!load_board(q, &x, &b))
		return;
	if (b.ncolumns >= AGENDA_COLUMNS_MAX) {
		form_fail(q, "name", "Use at most 12 columns.");
		form_reshow(q);
		return;
	}
	store_rc rc = agenda_store_column_add(q->app->db, b.id, form_text(q, "name"), NULL);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	changed(q, &x, "", "saved", NULL);
}

void agenda_column_rename(app_req *q)
{
	agenda_session x;
	agenda_board b;
	if (!load_board(q, &x, &b))
		return;
	store_rc rc = agenda_store_column_rename(q->app->db, b.id, app_param_id(q, "cid"),
	                                         form_text(q, "name"));
	if (rc == STORE_NOTFOUND) {
		app_error(q, 404, "This column is not on this board.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	changed(q, &x, "", "saved", NULL);
}

static json_t *note_json(int64_t id, int64_t column, const char *text)
{
	return json_pack("{s:{s:I,s:I,s:s}}", "note", "id", (json_int_t)id, "column_id",
	                 (json_int_t)column, "text", text);
}

void agenda_note_add(app_req *q)
{
	agenda_session x;
	agenda_board b;
	if (!load_board(q, &x, &b))
		return;
	if (!b.open) {
		app_error(q, 409, "This board is closed: it takes no new notes.");
		return;
	}
	int64_t id = 0, col = form_int(q, "column_id");
	store_rc rc = agenda_store_note_add(q->app->db, b.id, col, form_text(q, "body"),
	                                    form_int(q, "theme_id"), q->me->id, &id);
	if (rc == STORE_INVALID) {
		/* Which one: a column or theme of another board or plan. */
		bool col_ok = false;
		for (size_t i = 0; i < b.ncolumns; i++)
			col_ok |= b.columns[i].id == col;
		form_fail(q, col_ok ? "theme_id" : "column_id",
		          col_ok ? "Choose a theme of this plan." : "Choose a column of this board.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	changed(q, &x, arena_printf(q->a, "#note-%lld", (long long)id), "note_added",
	        note_json(id, col, form_text(q, "body")));
}

void agenda_note_move(app_req *q)
{
	agenda_session x;
	agenda_board b;
	if (!load_board(q, &x, &b))
		return;
	int64_t nid = app_param_id(q, "nid");
	store_rc rc = agenda_store_note_move(q->app->db, b.id, nid, form_int(q, "column_id"),
	                                     form_int(q, "group_id"));
	if (rc == STORE_NOTFOUND) {
		app_error(q, 404, "This note is not on this board.");
		return;
	}
	if (rc == STORE_INVALID) {
		bool col_ok = false;
		for (size_t i = 0; i < b.ncolumns; i++)
			col_ok |= b.columns[i].id == form_int(q, "column_id");
		form_fail(q, col_ok ? "group_id" : "column_id",
		          col_ok ? "Choose another note of this board to group with."
		                 : "Choose a column of this board.");
		form_reshow(q);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	changed(q, &x, arena_printf(q->a, "#note-%lld", (long long)nid), "saved", NULL);
}

void agenda_note_hide(app_req *q)
{
	agenda_session x;
	agenda_board b;
	if (!load_board(q, &x, &b))
		return;
	store_rc rc = agenda_store_note_hide(q->app->db, b.id, app_param_id(q, "nid"));
	if (rc == STORE_NOTFOUND) {
		app_error(q, 404, "This note is not on this board.");
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	changed(q, &x, "", "deleted", NULL);
}

void agenda_note_vote(app_req *q)
{
	agenda_session x;
	agenda_board b;
	if (!load_board(q, &x, &b))
		return;
	int64_t nid = app_param_id(q, "nid"), left = 0;
	bool add = !strcmp(form_text(q, "dot"), "add");
	store_rc rc = agenda_store_vote(q->app->db, b.id, nid, q->me->id, add ? 1 : -1, &left);
	if (rc == STORE_NOTFOUND) {
		app_error(q, 404, "This note is not on this board.");
		return;
	}
	if (rc == STORE_CONFLICT) {
		const char *msg = !b.open ? "This board is closed: dots can no longer change."
		                : add ? "You have used all your dots. Take a dot back from another note first."
		                      : "You have no dot on this note to take back.";
		if (q->want_json) {
			app_error(q, 409, msg);
			return;
		}
		form_fail(q, "dot", msg);
		board_page(q, 409);
		return;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	changed(q, &x, arena_printf(q->a, "#note-%lld", (long long)nid), NULL,
	        json_pack("{s:I,s:I}", "note_id", (json_int_t)nid, "dots_left", (json_int_t)left));
}

void agenda_board_stream(app_req *q)
{
	agenda_session x;
	agenda_board b;
	if (!load_board(q, &x, &b))
		return;
	long long since = 0;
	const char *s = http_query(q->r, "since");
	if (s && *s && !text_parse_int(s, 0, INT64_MAX, &since)) {
		app_error(q, 400, "This request could not be read");
		return;
	}
	agenda_live_stream(q, x.id, since);
}

typedef struct csv_ctx {
	sb                  *b;
	const agenda_board  *board;
	bool                 authors;
} csv_ctx;

static store_rc csv_row(const agenda_note *n, void *ctx)
{
	csv_ctx *c = ctx;
	const char *col = "";
	for (size_t i = 0; i < c->board->ncolumns; i++)
		if (c->board->columns[i].id == n->column_id)
			col = c->board->columns[i].name;
	sb_printf(c->b, "%lld,", (long long)n->id);
	agenda_csv_field(c->b, col);
	sb_putc(c->b, ',');
	agenda_csv_field(c->b, n->body);
	sb_putc(c->b, ',');
	agenda_csv_field(c->b, n->theme_name);
	sb_printf(c->b, ",%lld,", (long long)n->votes);
	if (n->group_id)
		sb_printf(c->b, "%lld", (long long)n->group_id);
	if (c->authors) {
		sb_putc(c->b, ',');
		agenda_csv_field(c->b, n->author_name);
	}
	sb_puts(c->b, "\r\n");
	return sb_failed(c->b) ? STORE_ERROR : STORE_OK;
}

void agenda_board_csv(app_req *q)
{
	agenda_session x;
	agenda_board b;
	if (!load_board(q, &x, &b))
		return;
	bool org = agenda_is_organiser(q);
	sb *out = &q->s->body;
	sb_puts(out, org ? "id,column,text,theme,dots,grouped_with,author\r\n"
	                 : "id,column,text,theme,dots,grouped_with\r\n");
	csv_ctx c = { out, &b, org };
	store_rc rc = agenda_store_board_export(q->app->db, q->a, b.id, csv_row, &c);
	if (rc != STORE_OK) {
		sb_free(out);
		sb_init(out);
		app_store_error(q, rc);
		return;
	}
	q->s->status = 200;
	q->s->content_type = "text/csv; charset=utf-8";
	http_resp_header(q->r, q->s, "Content-Disposition",
	                 arena_printf(q->a, "attachment; filename=\"session-%lld-board.csv\"",
	                              (long long)x.id));
	if (org)
		http_resp_header(q->r, q->s, "Cache-Control", "no-store");
}
