/* fuzz_template.c — libFuzzer harness: the template engine. The input is
 * a template's source (this harness supplies the embedded-file table, so
 * the real templates are not linked in); when it compiles, it is rendered
 * with a model whose strings hold markup, which must come out escaped
 * unless the template asks for {{raw …}}. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/web.h"

/* The layout of util/embed.h's embed_file; defined writable here (the
 * library reads it through const), so that header is not included. */
typedef struct fuzz_embed {
	const char          *name;
	const unsigned char *data;
	size_t               len;
} fuzz_embed;
fuzz_embed   embed_files[1] = { { "web/templates/fuzz.html", NULL, 0 } };
const size_t embed_count = 1;

const fuzz_embed *embed_find(const char *name);
const fuzz_embed *embed_find(const char *name)
{
	return strcmp(name, embed_files[0].name) == 0 ? &embed_files[0] : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1);
	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	embed_files[0].data = (const unsigned char *)src;
	embed_files[0].len = size;
	tpl_set *t = NULL;
	char err[256];
	if (tpl_load(&t, err, sizeof err) == 0) {
		/* Model strings carry markup marked with \x01: without {{raw}},
		 * a '<' or '"' before the mark can only come from the template
		 * when the template itself holds \x01. */
		json_t *m = json_pack("{s:s,s:[s,s,{s:s}],s:{s:s,s:b},s:i,s:b,s:n}",
		                      "name", "<\x01\"&'>", "items", "<\x01a>", "b", "k", "\"\x01c",
		                      "obj", "x", "<\x01y>", "t", 1, "n", 3, "yes", 1, "none");
		sb out;
		sb_init(&out);
		tpl_render(t, "fuzz", m, "nl", &out);
		if (!strstr(src, "raw") && !memchr(src, 1, size))
			for (const char *p = sb_str(&out); (p = strchr(p, 1)); p++)
				if (p > sb_str(&out) && (p[-1] == '<' || p[-1] == '"'))
					__builtin_trap();
		sb_free(&out);
		json_decref(m);
		tpl_free(t);
	}
	free(src);
	return 0;
}
