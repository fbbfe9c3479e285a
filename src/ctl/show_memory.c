/*
 * show_memory: `vtopoctl show memory` as text: objects and bytes per type,
 * the total the daemon counted and its resident set size
 * (docs/ctl-json.md "show memory").
 *
 * Not for: fetching it (show.c).
 */
#include <json-c/json.h>

#include "ctl/show.h"

void show_memory_text(FILE *f, struct json_object *data)
{
	struct json_object *types = show_arr(data, "types");
	size_t n = types ? json_object_array_length(types) : 0;
	struct show_table t;
	char total[24], rss[24];

	/* Objects and Bytes right-aligned: bits 1 and 2 */
	show_table_init(&t, 0x6, 3, "Type", "Objects", "Bytes");
	for (size_t i = 0; i < n; i++) {
		struct json_object *ty = json_object_array_get_idx(types, i);
		const char *name = show_str(ty, "type");
		char o[24], b[24];

		show_table_row(&t, name ? name : "-", show_num(ty, "objects", o, sizeof(o)),
			       show_num(ty, "bytes", b, sizeof(b)));
	}
	show_table_row(&t, "total", "", show_num(data, "total_bytes", total, sizeof(total)));
	show_table_print(&t, f);
	fprintf(f, "Resident set size: %s bytes\n", show_num(data, "rss_bytes", rss, sizeof(rss)));
}
