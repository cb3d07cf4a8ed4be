/* form.c — declarative form checking (the kcgi idea): a handler declares
 * its fields once in a table; form_check validates the posted values,
 * keeps every value as entered for re-showing the form, and writes one
 * plain-language message per bad field. Never truncates silently.
 */
#include <stdio.h>
#include <string.h>

#include "../util/text.h"
#include "app.h"

const char *form_str(json_t *values, const char *name)
{
	const char *s = json_string_value(json_object_get(values, name));
	return s ? s : "";
}

void form_error(app_req *q, json_t *errors, const char *field, const char *msgid)
{
	json_object_set_new(errors, field, json_string(app_t(q, msgid)));
}

int form_check(app_req *q, const form_field *f, size_t n, json_t **values, json_t **errors)
{
	*values = json_object();
	*errors = json_object();
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *raw = http_form(q->r, f[i].name);
		const char *v = f[i].type == F_PASSWORD ? (raw ? raw : "") : text_trim(q->a, raw ? raw : "");
		if (!v)
			v = "";
		if (f[i].type != F_PASSWORD)
			json_object_set_new(*values, f[i].name, json_string(v));
		const char *msg = NULL;
		char buf[200];
		size_t len = text_utf8_len(v);
		if (!*v) {
			if (f[i].required)
				msg = f[i].type == F_CHOICE ? "Choose one of the options." : "Fill in this field.";
		} else if (f[i].max && len > f[i].max) {
			snprintf(buf, sizeof buf, app_t(q, "Use at most %zu characters; now there are %zu."),
			         f[i].max, len);
			json_object_set_new(*errors, f[i].name, json_string(buf));
			bad++;
			continue;
		} else if (f[i].type != F_PASSWORD &&
		           text_has_control(v, f[i].type == F_MULTILINE)) {
			msg = "Remove the invisible control characters from this field.";
		} else {
			switch (f[i].type) {
			case F_EMAIL:
				if (!text_email_valid(v))
					msg = "Fill in an e-mail address, like name@example.nl.";
				break;
			case F_DATE:
				if (!text_parse_date(v, NULL))
					msg = "Fill in a date that exists, like 2020-09-01.";
				break;
			case F_CHOICE: {
				bool found = false;
				for (const char *const *c = f[i].choices; c && *c && !found; c++)
					found = strcmp(*c, v) == 0;
				if (!found)
					msg = "Choose one of the options.";
				break;
			}
			case F_ID: {
				long long id;
				if (!text_parse_int(v, 1, INT64_MAX, &id))
					msg = "Choose one of the options.";
				break;
			}
			default:
				break;
			}
		}
		if (msg) {
			form_error(q, *errors, f[i].name, msg);
			bad++;
		}
	}
	return bad;
}
