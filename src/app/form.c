/* form.c — declarative forms (the kcgi idea). A form is a table of fields
 * (form_def); the pipeline checks a POST against its route's form before
 * the handler runs (form_validate), keeps every value as entered for
 * re-showing the form, and writes one plain-language message per bad
 * field. Handlers read only values that passed (form_text, form_int, …);
 * a failed form goes back to its page (form_reshow) with no handler code.
 * form_view turns a table into what the shared field partial shows.
 * Never truncates silently; never trusts a value it did not check.
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

static bool url_ok(const char *v)
{
	size_t skip = strncmp(v, "https://", 8) == 0 ? 8 : strncmp(v, "http://", 7) == 0 ? 7 : 0;
	if (!skip || !v[skip] || v[skip] == '/')
		return false;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	return true;
}

static const char *type_message(app_req *q, const form_field *f, const char *v, char *buf,
                                size_t buflen);

/* The message for one value of field f, or NULL when it passes. buf holds
 * a formatted message. */
static const char *field_message(app_req *q, const form_field *f, const char *v, char *buf,
                                 size_t buflen)
{
	if (!*v) {
		if (!f->required)
			return NULL;
		return f->type == F_CHOICE || f->type == F_ID ? app_t(q, "Choose one of the options.")
		                                               : app_t(q, "Fill in this field.");
	}
	size_t len = text_utf8_len(v);
	if (f->type != F_INT && f->max && len > f->max) {
		snprintf(buf, buflen, app_t(q, "Use at most %zu characters; now there are %zu."), f->max,
		         len);
		return buf;
	}
	if (f->type != F_PASSWORD && text_has_control(v, f->type == F_MULTILINE))
		return app_t(q, "Remove the invisible control characters from this field.");
	const char *type_msg = type_message(q, f, v, buf, buflen);
	if (type_msg)
		return f->message ? app_t(q, f->message) : type_msg;
	if (f->check) {
		const char *msgid = f->check(q, v);
		if (msgid)
			return app_t(q, msgid);
	}
	return NULL;
}

/* The usual message when v is not of f's type, or NULL. */
static const char *type_message(app_req *q, const form_field *f, const char *v, char *buf,
                                size_t buflen)
{
	long long n;
	switch (f->type) {
	case F_EMAIL:
		if (!text_email_valid(v))
			return app_t(q, "Fill in an e-mail address, like name@example.nl.");
		break;
	case F_DATE:
		if (!text_parse_date(v, NULL))
			return app_t(q, "Fill in a date that exists, like 2020-09-01.");
		break;
	case F_CHOICE: {
		bool found = false;
		for (const char *const *c = f->choices; c && *c && !found; c++)
			found = strcmp(*c, v) == 0;
		if (!found)
			return app_t(q, "Choose one of the options.");
		break;
	}
	case F_ID:
		if (!text_parse_int(v, 1, INT64_MAX, &n))
			return app_t(q, "Choose one of the options.");
		break;
	case F_INT:
		if (!text_parse_int(v, f->min, f->max ? (long long)f->max : INT64_MAX, &n)) {
			snprintf(buf, buflen, app_t(q, "Fill in a whole number from %lld to %lld."),
			         f->min, f->max ? (long long)f->max : (long long)INT64_MAX);
			return buf;
		}
		break;
	case F_BOOL:
		if (strcmp(v, "1") && strcmp(v, "on") && strcmp(v, "true") && strcmp(v, "0") &&
		    strcmp(v, "false"))
			return app_t(q, "Choose yes or no.");
		break;
	case F_URL:
		if (!url_ok(v))
			return app_t(q, "Fill in a web address that starts with https:// or http://.");
		break;
	default:
		break;
	}
	return NULL;
}

/* The part named name of a multipart form, or NULL. */
static const http_kv *form_part(const http_req *r, const char *name)
{
	for (size_t i = 0; i < r->form.len; i++)
		if (strcmp(r->form.items[i].key, name) == 0)
			return &r->form.items[i];
	return NULL;
}

/* F_FILE: a file part (a text value in its place is not one), present
 * when required, at most max bytes. Its bytes are the handler's to check
 * (what kind of file it is). */
static const char *file_message(app_req *q, const form_field *f, char *buf, size_t buflen)
{
	const http_kv *kv = form_part(q->r, f->name);
	if (kv && !kv->file && kv->value_len)
		return app_t(q, "Choose a file on your computer to send.");
	if (!kv || !kv->file || kv->value_len == 0)
		return f->required ? app_t(q, "Choose a file on your computer to send.") : NULL;
	if (f->max && kv->value_len > f->max) {
		snprintf(buf, buflen, app_t(q, "The file is too large: at most %zu kB; this one is %zu kB."),
		         f->max / 1024, (kv->value_len + 1023) / 1024);
		return buf;
	}
	return NULL;
}

const char *form_file(app_req *q, const char *name, size_t *len)
{
	const http_kv *kv = form_part(q->r, name);
	if (!kv || !kv->file || kv->value_len == 0) {
		*len = 0;
		return NULL;
	}
	*len = kv->value_len;
	return kv->value;
}

int form_check(app_req *q, const form_field *f, size_t n, json_t **values, json_t **errors)
{
	*values = json_object();
	*errors = json_object();
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		if (f[i].type == F_FILE) {
			char fbuf[200];
			const char *msg = file_message(q, &f[i], fbuf, sizeof fbuf);
			if (msg) {
				json_object_set_new(*errors, f[i].name, json_string(msg));
				bad++;
			}
			continue;
		}
		const char *raw = http_form(q->r, f[i].name);
		const char *v = f[i].type == F_PASSWORD ? (raw ? raw : "") : text_trim(q->a, raw ? raw : "");
		if (!v)
			v = "";
		if (f[i].type != F_PASSWORD)
			json_object_set_new(*values, f[i].name, json_string(v));
		char buf[200];
		const char *msg = field_message(q, &f[i], v, buf, sizeof buf);
		if (msg) {
			json_object_set_new(*errors, f[i].name, json_string(msg));
			bad++;
		}
	}
	return bad;
}

int form_validate(app_req *q, const form_def *def)
{
	form_in *in = arena_calloc(q->a, 1, sizeof *in);
	if (!in)
		return -1;
	in->def = def;
	q->form = in;
	int bad = form_check(q, def->fields, def->nfields, &in->values, &in->errors);
	if (!in->values || !in->errors)
		return -1;
	if (bad == 0 && def->check) {
		def->check(q);
		bad = (int)json_object_size(in->errors);
	}
	return bad;
}

static const form_field *field_of(const form_def *def, const char *name)
{
	for (size_t i = 0; def && i < def->nfields; i++)
		if (strcmp(def->fields[i].name, name) == 0)
			return &def->fields[i];
	return NULL;
}

const char *form_text(app_req *q, const char *name)
{
	if (!q->form)
		return "";
	const form_field *f = field_of(q->form->def, name);
	if (f && f->type == F_PASSWORD) {
		const char *raw = http_form(q->r, name);
		return raw ? raw : "";
	}
	return form_str(q->form->values, name);
}

long long form_int(app_req *q, const char *name)
{
	long long v;
	return text_parse_int(form_text(q, name), INT64_MIN + 1, INT64_MAX, &v) ? v : 0;
}

bool form_bool(app_req *q, const char *name)
{
	const char *v = form_text(q, name);
	return !strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true");
}

void form_fail(app_req *q, const char *field, const char *msgid)
{
	if (q->form && !json_object_get(q->form->errors, field))
		form_error(q, q->form->errors, field, msgid);
}

bool form_failed(app_req *q)
{
	return q->form && json_object_size(q->form->errors) > 0;
}

void form_reshow(app_req *q)
{
	q->s->status = 422;
	if (q->form && q->form->def->reshow) {
		q->form->def->reshow(q);
		return;
	}
	app_error(q, 422, "Not everything is filled in correctly. Look at the messages at the fields.");
}

static const char *input_type(form_type t)
{
	switch (t) {
	case F_EMAIL: return "email";
	case F_PASSWORD: return "password";
	case F_DATE: return "date";
	case F_INT: return "number";
	case F_URL: return "url";
	default: return "text";
	}
}

json_t *form_view(app_req *q, const form_def *def, const char *prefix, json_t *values,
                  bool posted)
{
	bool failed = posted && q->form && q->form->def == def && json_object_size(q->form->errors);
	json_t *from = failed ? q->form->values : values;
	json_t *errors = failed ? q->form->errors : NULL;
	json_t *fields = json_object();
	if (!prefix)
		prefix = def->name;
	for (size_t i = 0; i < def->nfields; i++) {
		const form_field *f = &def->fields[i];
		const char *id = *prefix ? arena_printf(q->a, "%s-%s", prefix, f->name) : f->name;
		json_t *fv = json_pack("{s:s,s:s,s:s,s:b}", "id", id ? id : f->name, "name", f->name,
		                       "label", f->label ? f->label : f->name, "required", f->required);
		if (f->help)
			json_object_set_new(fv, "help", json_string(f->help));
		if (f->autocomplete)
			json_object_set_new(fv, "autocomplete", json_string(f->autocomplete));
		json_t *v = f->type == F_PASSWORD ? NULL : json_object_get(from, f->name);
		char num[32];
		const char *value = json_string_value(v);
		if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
			value = json_integer_value(v) || f->type == F_INT ? num : "";
		} else if (json_is_boolean(v)) {
			value = json_is_true(v) ? "1" : "";
		}
		json_object_set_new(fv, "value", json_string(value ? value : ""));
		const char *err = json_string_value(json_object_get(errors, f->name));
		if (err)
			json_object_set_new(fv, "error", json_string(err));
		if (f->help || err) {
			/* aria-describedby: the message first, then the hint */
			const char *desc = arena_printf(q->a, "%s%s%s%s%s", err ? id : "",
			                                err ? "-error" : "", err && f->help ? " " : "",
			                                f->help ? id : "", f->help ? "-desc" : "");
			json_object_set_new(fv, "describedby", json_string(desc ? desc : ""));
		}
		switch (f->type) {
		case F_MULTILINE:
			json_object_set_new(fv, "textarea", json_true());
			break;
		case F_CHOICE: {
			json_t *opts = json_array();
			for (size_t k = 0; f->choices && f->choices[k]; k++)
				json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", f->choices[k],
				                                      "label", f->choice_labels ? f->choice_labels[k]
				                                                                : f->choices[k],
				                                      "selected",
				                                      value && !strcmp(value, f->choices[k])));
			json_object_set_new(fv, "options", opts);
			json_object_set_new(fv, "select", json_true());
			break;
		}
		case F_FILE: {
			json_object_set_new(fv, "file", json_true());
			sb acc;
			sb_init(&acc);
			for (size_t k = 0; f->choices && f->choices[k]; k++)
				sb_printf(&acc, "%s%s", k ? "," : "", f->choices[k]);
			if (acc.len)
				json_object_set_new(fv, "accept", json_string(sb_str(&acc)));
			sb_free(&acc);
			break;
		}
		case F_BOOL:
			json_object_set_new(fv, "checkbox", json_true());
			json_object_set_new(fv, "checked", json_boolean(value && *value && strcmp(value, "0") &&
			                                                strcmp(value, "false")));
			break;
		default:
			json_object_set_new(fv, "input", json_string(input_type(f->type)));
			if (f->type == F_INT) {
				/* strings: a template shows "0", not nothing */
				snprintf(num, sizeof num, "%lld", f->min);
				json_object_set_new(fv, "min", json_string(num));
				if (f->max) {
					snprintf(num, sizeof num, "%zu", f->max);
					json_object_set_new(fv, "max", json_string(num));
				}
			}
			break;
		}
		json_object_set_new(fields, f->name, fv);
	}
	json_decref(values);
	return json_pack("{s:o,s:b}", "f", fields, "failed", failed);
}
