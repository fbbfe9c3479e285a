/*
 * show_table: what the show renderers share: aligned text tables and
 * tolerant access to the fields of the show model.
 *
 * Not for: any one command's layout (show_neighbors.c, show_rib.c, ...).
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/show.h"

static void table_add(struct show_table *t, va_list ap)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = realloc(t->cells, t->cap * t->ncols * sizeof(*t->cells));
		if (t->cells == NULL)
			abort(); /* out of memory in a command-line tool */
	}
	for (size_t i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);

		t->cells[t->nrows * t->ncols + i] = strdup(s ? s : "");
	}
	t->nrows++;
}

void show_table_init(struct show_table *t, unsigned right, size_t ncols, ...)
{
	va_list ap;

	*t = (struct show_table){.ncols = ncols, .right = right};
	va_start(ap, ncols);
	table_add(t, ap);
	va_end(ap);
}

void show_table_row(struct show_table *t, ...)
{
	va_list ap;

	va_start(ap, t);
	table_add(t, ap);
	va_end(ap);
}

static void table_line(const struct show_table *t, const size_t *w, size_t row, FILE *f)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);

	for (size_t i = 0; i < t->ncols; i++) {
		const char *s = t->cells[row * t->ncols + i];
		int pad = (int)w[i];

		if (i > 0)
			fputs("  ", m);
		fprintf(m, t->right & (1u << i) ? "%*s" : "%-*s", pad, s);
	}
	fclose(m);
	while (len > 0 && line[len - 1] == ' ')
		len--;
	fprintf(f, "%.*s\n", (int)len, line);
	free(line);
}

void show_table_print(struct show_table *t, FILE *f)
{
	size_t w[SHOW_COLS_MAX] = {0};

	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->ncols && i < SHOW_COLS_MAX; i++) {
			size_t l = strlen(t->cells[r * t->ncols + i]);

			if (l > w[i])
				w[i] = l;
		}
	for (size_t r = 0; r < t->nrows; r++)
		table_line(t, w, r, f);
	show_table_free(t);
}

void show_table_free(struct show_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	*t = (struct show_table){0};
}

const char *show_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

bool show_int(struct json_object *o, const char *key, int64_t *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

bool show_bool(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

struct json_object *show_arr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

const char *show_num(struct json_object *o, const char *key, char *buf, size_t len)
{
	int64_t v;

	if (!show_int(o, key, &v))
		return "-";
	snprintf(buf, len, "%" PRId64, v);
	return buf;
}

const char *show_duration(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(buf, len, "%" PRId64 "d %02d:%02d:%02d", s / 86400,
			 (int)(s % 86400 / 3600), (int)(s % 3600 / 60), (int)(s % 60));
	else
		snprintf(buf, len, "%02d:%02d:%02d", (int)(s / 3600), (int)(s % 3600 / 60),
			 (int)(s % 60));
	return buf;
}

const char *show_join(struct json_object *arr, const char *sep, char *buf, size_t len)
{
	size_t n = arr ? json_object_array_length(arr) : 0, off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		int w =
		    snprintf(buf + off, len - off, "%s%s", i ? sep : "", json_object_get_string(e));

		if (w > 0)
			off += (size_t)w;
	}
	return buf[0] ? buf : "-";
}
