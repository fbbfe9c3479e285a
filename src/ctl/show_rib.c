/*
 * show_rib: `vtopoctl show rib FAMILY [PREFIX]` as text: one line per
 * path, best first with a '*', the prefix on the first path of each route
 * (docs/ctl-json.md "show rib").  The AS path ends with the origin code
 * (i igp, e egp, ? incomplete) as routers print it; a path received with
 * an ADD-PATH identifier shows it after the peer ("192.0.2.1#2").
 *
 * Not for: fetching it (show.c).
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <string.h>

#include "ctl/show.h"

static const char *origin_code(const char *origin)
{
	if (origin == NULL)
		return NULL;
	if (strcmp(origin, "igp") == 0)
		return "i";
	if (strcmp(origin, "egp") == 0)
		return "e";
	if (strcmp(origin, "incomplete") == 0)
		return "?";
	return origin;
}

static const char *as_path_text(struct json_object *p, char *buf, size_t len)
{
	const char *path = show_str(p, "as_path"), *o = origin_code(show_str(p, "origin"));

	if (path == NULL && o == NULL)
		return "-";
	snprintf(buf, len, "%s%s%s", path ? path : "", path && *path && o ? " " : "", o ? o : "");
	return buf;
}

static const char *peer_text(struct json_object *p, char *buf, size_t len)
{
	const char *peer = show_str(p, "peer");
	int64_t id;

	if (!show_int(p, "path_id", &id))
		return peer ? peer : "-";
	snprintf(buf, len, "%s#%" PRId64, peer ? peer : "-", id);
	return buf;
}

static void path_row(struct show_table *t, const char *prefix, struct json_object *p)
{
	char labels[256], lp[24], med[24], path[4096], peer[80], age[32];
	const char *nh = show_str(p, "next_hop"), *reason = show_str(p, "reason");
	int64_t secs;
	/* "S": kept through the peer's graceful restart (RFC 4724 s4.2) */
	const char *mark = show_bool(p, "stale") ? (show_bool(p, "best") ? "*S" : "S")
						 : (show_bool(p, "best") ? "*" : "");

	show_table_row(t, mark, prefix, nh ? nh : "-",
		       show_join(show_arr(p, "labels"), ",", labels, sizeof(labels)),
		       show_num(p, "local_pref", lp, sizeof(lp)),
		       show_num(p, "med", med, sizeof(med)), as_path_text(p, path, sizeof(path)),
		       peer_text(p, peer, sizeof(peer)),
		       show_int(p, "age", &secs) ? show_duration(secs, age, sizeof(age)) : "-",
		       reason ? reason : "-");
}

void show_rib_text(FILE *f, struct json_object *data)
{
	struct json_object *routes = show_arr(data, "routes");
	size_t n = routes ? json_object_array_length(routes) : 0, npaths = 0;
	const char *fam = show_str(data, "family");
	struct show_table t;

	/* LocPrf and MED right-aligned: bits 4 and 5 */
	show_table_init(&t, 0x30, 10, "", "Prefix", "Next hop", "Labels", "LocPrf", "MED",
			"AS path", "Peer", "Age", "Reason");
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(routes, i);
		struct json_object *paths = show_arr(r, "paths");
		size_t np = paths ? json_object_array_length(paths) : 0;
		const char *key = show_str(r, "prefix");

		for (size_t j = 0; j < np; j++)
			path_row(&t, j == 0 ? (key ? key : "-") : "",
				 json_object_array_get_idx(paths, j));
		npaths += np;
	}
	fprintf(f, "%s: %zu route%s, %zu path%s\n", fam ? fam : "-", n, n == 1 ? "" : "s", npaths,
		npaths == 1 ? "" : "s");
	if (npaths > 0)
		show_table_print(&t, f);
	else
		show_table_free(&t);
}
