/*
 * show: `vtopoctl show ...`: the text renderers of the show model
 * (docs/ctl-json.md), one per command in show_*.c, and the small helpers
 * they share (show_table.c).  Each renderer takes the response's `data`
 * object as the daemon sent it and prints text; keys it does not find are
 * printed as "-" and never fail, so an older vtopoctl still renders a
 * newer daemon's answer.
 *
 * Not for: the socket (ctl_client.c), the command line (show.c).
 */
#ifndef VTOPO_SHOW_H
#define VTOPO_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;

/* `detail`: one neighbor was asked for; print everything known about it. */
void show_neighbors_text(FILE *f, struct json_object *data, bool detail);
void show_rib_text(FILE *f, struct json_object *data);
void show_rtc_text(FILE *f, struct json_object *data);
void show_memory_text(FILE *f, struct json_object *data);
void show_fib_text(FILE *f, struct json_object *data);
void show_labels_text(FILE *f, struct json_object *data);
void show_topology_text(FILE *f, struct json_object *data);
void show_attachments_text(FILE *f, struct json_object *data);
/* One attachment (the answer of `attach add|del`). */
void show_attachment_text(FILE *f, struct json_object *a);

/* ---- helpers (show_table.c) ---- */

/* A text table: columns separated by two spaces, widths from the content,
 * right-aligned where the bit of `right` is set; no trailing blanks. */
#define SHOW_COLS_MAX 12
struct show_table {
	size_t ncols;
	unsigned right;
	char **cells; /* nrows * ncols, row 0 is the header */
	size_t nrows, cap;
};

void show_table_init(struct show_table *t, unsigned right, size_t ncols, ...);
/* Add a row of ncols cells (copied; NULL prints as empty). */
void show_table_row(struct show_table *t, ...);
/* Print the header and the rows, and free the table. */
void show_table_print(struct show_table *t, FILE *f);
/* Free without printing. */
void show_table_free(struct show_table *t);

/* Field access that tolerates absent keys and other types. */
const char *show_str(struct json_object *o, const char *key); /* NULL if absent */
bool show_int(struct json_object *o, const char *key, int64_t *v);
bool show_bool(struct json_object *o, const char *key);
struct json_object *show_arr(struct json_object *o, const char *key); /* NULL if absent */
/* Text of a number member, or "-" (buf at least 24 bytes). */
const char *show_num(struct json_object *o, const char *key, char *buf, size_t len);
/* Seconds as "HH:MM:SS", or "Nd HH:MM:SS" from a day on. */
const char *show_duration(int64_t secs, char *buf, size_t len);
/* The strings of an array joined by sep into buf; "-" when empty/absent. */
const char *show_join(struct json_object *arr, const char *sep, char *buf, size_t len);

#endif
