/* openapi.c — the API's description (/api/v1/openapi.json), put together
 * once at start from the shared part (web/openapi.json: info, errors,
 * common schemas) and each feature's own features/F/openapi.json (its
 * paths and schemas). A path or schema name defined twice is an error at
 * start, so two features cannot silently describe the same thing. The
 * end-to-end test api.mjs checks real answers against it.
 */
#include <stdio.h>
#include <string.h>

#include "../util/embed.h"
#include "app.h"

/* Adds every key of src[section] to dst[section]; a key already there is
 * an error. */
static int merge(json_t *dst, json_t *src, const char *section, const char *file, char *err,
                 size_t errlen)
{
	json_t *from = json_object_get(src, section);
	if (!from)
		return 0;
	json_t *to = json_object_get(dst, section);
	const char *key;
	json_t *v;
	json_object_foreach(from, key, v) {
		if (json_object_get(to, key)) {
			snprintf(err, errlen, "%s: %s \"%s\" is described twice", file, section, key);
			return -1;
		}
		json_object_set(to, key, v);
	}
	return 0;
}

int app_openapi_build(app *ap, char *err, size_t errlen)
{
	const embed_file *base = embed_find("web/openapi.json");
	json_error_t je;
	json_t *doc = base ? json_loadb((const char *)base->data, base->len, 0, &je) : NULL;
	if (!doc) {
		snprintf(err, errlen, "web/openapi.json: %s", base ? je.text : "not built in");
		return -1;
	}
	json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
	for (size_t i = 0; i < embed_count; i++) {
		const embed_file *f = &embed_files[i];
		const char *slash = strncmp(f->name, "features/", 9) ? NULL : strchr(f->name + 9, '/');
		if (!slash || strcmp(slash, "/openapi.json") != 0)
			continue;
		json_t *part = json_loadb((const char *)f->data, f->len, 0, &je);
		if (!part) {
			snprintf(err, errlen, "%s:%d: %s", f->name, je.line, je.text);
			json_decref(doc);
			return -1;
		}
		json_t *pschemas = json_object_get(json_object_get(part, "components"), "schemas");
		json_t *wrap = json_pack("{s:O}", "schemas", pschemas ? pschemas : json_object());
		json_t *holder = json_pack("{s:O}", "schemas", schemas);
		int rc = merge(doc, part, "paths", f->name, err, errlen);
		if (rc == 0 && pschemas)
			rc = merge(holder, wrap, "schemas", f->name, err, errlen);
		json_decref(wrap);
		json_decref(holder);
		json_decref(part);
		if (rc) {
			json_decref(doc);
			return -1;
		}
	}
	ap->openapi = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!ap->openapi) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ap->openapi_len = strlen(ap->openapi);
	return 0;
}

void app_openapi(app_req *q)
{
	q->s->status = 200;
	q->s->content_type = "application/json";
	q->s->static_body = q->app->openapi;
	q->s->static_len = q->app->openapi_len;
}
