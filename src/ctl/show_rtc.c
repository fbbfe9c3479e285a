/*
 * show_rtc: `vtopoctl show rt-constraint` as text: the route targets
 * vtopod originates itself, then per neighbor whether it asked for the
 * default (all routes, RFC 4684 s4) and the RTC keys it announced, one per
 * line (docs/ctl-json.md "show rt-constraint").
 *
 * Not for: fetching it (show.c).
 */
#include <json-c/json.h>

#include "ctl/show.h"

void show_rtc_text(FILE *f, struct json_object *data)
{
	struct json_object *peers = show_arr(data, "peers");
	size_t n = peers ? json_object_array_length(peers) : 0;
	struct show_table t;
	char local[4096];

	fprintf(f, "Local route targets: %s\n",
		show_join(show_arr(data, "local"), " ", local, sizeof(local)));
	show_table_init(&t, 0, 3, "Neighbor", "Default", "Route targets");
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(peers, i);
		struct json_object *rts = show_arr(p, "route_targets");
		size_t nrt = rts ? json_object_array_length(rts) : 0;
		const char *peer = show_str(p, "peer"),
			   *def = show_bool(p, "default") ? "yes" : "no";

		if (nrt == 0)
			show_table_row(&t, peer ? peer : "-", def, "-");
		for (size_t j = 0; j < nrt; j++)
			show_table_row(&t,
				       j      ? ""
				       : peer ? peer
					      : "-",
				       j ? "" : def,
				       json_object_get_string(json_object_array_get_idx(rts, j)));
	}
	if (n > 0)
		show_table_print(&t, f);
	else
		show_table_free(&t);
}
