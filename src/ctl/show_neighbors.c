/*
 * show_neighbors: `vtopoctl show neighbors [ADDRESS]` as text: one line per
 * neighbor (address, AS, state, time in state, prefixes received and
 * accepted over all families), and with ADDRESS everything the daemon
 * said about that neighbor.  Input: {"neighbors": [...]} of
 * docs/ctl-json.md.
 *
 * Not for: fetching it (show.c).
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <string.h>

#include "ctl/show.h"

/* Sum of one counter of "prefixes" over the families; false if none. */
static bool prefix_sum(struct json_object *nb, const char *key, int64_t *sum)
{
	struct json_object *pfx;
	bool any = false;
	int64_t v;

	*sum = 0;
	if (!json_object_object_get_ex(nb, "prefixes", &pfx) ||
	    !json_object_is_type(pfx, json_type_object))
		return false;
	json_object_object_foreach(pfx, fam, counts)
	{
		(void)fam;
		if (show_int(counts, key, &v)) {
			*sum += v;
			any = true;
		}
	}
	return any;
}

static const char *sum_text(struct json_object *nb, const char *key, char *buf, size_t len)
{
	int64_t v;

	if (!prefix_sum(nb, key, &v))
		return "-";
	snprintf(buf, len, "%" PRId64, v);
	return buf;
}

static const char *dash(const char *s);

/* RFC 4724 helper state: "restarting" / "waiting-end-of-rib", or NULL */
static const char *gr_state(struct json_object *nb)
{
	struct json_object *g;
	const char *st;

	if (!json_object_object_get_ex(nb, "graceful_restart", &g))
		return NULL;
	st = show_str(g, "state");
	return st && strcmp(st, "none") != 0 ? st : NULL;
}

static void detail_gr(FILE *f, struct json_object *nb)
{
	struct json_object *g;
	char n[24], t[24];

	if (!json_object_object_get_ex(nb, "graceful_restart", &g) || !show_bool(g, "enabled"))
		return;
	fprintf(f, "  Graceful restart (helper): %s, %s stale routes", dash(show_str(g, "state")),
		show_num(g, "stale_routes", n, sizeof(n)));
	if (show_str(g, "state") && !strcmp(show_str(g, "state"), "restarting"))
		fprintf(f, ", restart time left %ss",
			show_num(g, "restart_remaining", t, sizeof(t)));
	fprintf(f, "\n");
}

static void table(FILE *f, struct json_object *nbs)
{
	size_t n = nbs ? json_object_array_length(nbs) : 0;
	struct show_table t;

	/* Received and Accepted right-aligned: bits 4 and 5 */
	show_table_init(&t, 0x30, 6, "Neighbor", "AS", "State", "Up/Down", "Received", "Accepted");
	for (size_t i = 0; i < n; i++) {
		struct json_object *nb = json_object_array_get_idx(nbs, i);
		char as[24], up[32], rx[24], acc[24], st[64];
		int64_t secs;

		/* "idle (restarting)": the peer's routes are kept (RFC 4724) */
		snprintf(st, sizeof(st), "%s%s%s%s", dash(show_str(nb, "state")),
			 gr_state(nb) ? " (" : "", gr_state(nb) ? gr_state(nb) : "",
			 gr_state(nb) ? ")" : "");
		show_table_row(
		    &t, show_str(nb, "address"), show_num(nb, "remote_as", as, sizeof(as)), st,
		    show_int(nb, "uptime", &secs) ? show_duration(secs, up, sizeof(up)) : "-",
		    sum_text(nb, "received", rx, sizeof(rx)),
		    sum_text(nb, "accepted", acc, sizeof(acc)));
	}
	show_table_print(&t, f);
}

static void detail_caps(FILE *f, struct json_object *nb)
{
	static const char *const flags[][2] = {{"as4", "as4"},
					       {"route_refresh", "route-refresh"},
					       {"enhanced_route_refresh", "enhanced-route-refresh"},
					       {"extended_message", "extended-message"},
					       {"graceful_restart", "graceful-restart"}};
	struct json_object *caps;
	char buf[512];
	bool any = false;

	if (!json_object_object_get_ex(nb, "capabilities", &caps))
		return;
	fprintf(f, "  Capabilities:");
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (show_bool(caps, flags[i][0])) {
			fprintf(f, " %s", flags[i][1]);
			any = true;
		}
	fprintf(f, "%s\n", any ? "" : " -");
	if (show_arr(caps, "add_path_receive") != NULL)
		fprintf(f, "  ADD-PATH receive: %s\n",
			show_join(show_arr(caps, "add_path_receive"), " ", buf, sizeof(buf)));
	if (show_arr(caps, "add_path_send") != NULL)
		fprintf(f, "  ADD-PATH send: %s\n",
			show_join(show_arr(caps, "add_path_send"), " ", buf, sizeof(buf)));
}

static void detail_messages(FILE *f, struct json_object *nb)
{
	static const char *const kinds[][2] = {
	    {"open", "open"},
	    {"update", "update"},
	    {"notification", "notification"},
	    {"keepalive", "keepalive"},
	    {"route_refresh", "route-refresh"},
	    {"total", "total"},
	};
	struct json_object *msgs, *sent = NULL, *rcvd = NULL;
	struct show_table t;

	if (!json_object_object_get_ex(nb, "messages", &msgs))
		return;
	json_object_object_get_ex(msgs, "sent", &sent);
	json_object_object_get_ex(msgs, "received", &rcvd);
	fprintf(f, "  Messages:\n");
	show_table_init(&t, 0x6, 3, "    Type", "Sent", "Received");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char name[32], s[24], r[24];

		snprintf(name, sizeof(name), "    %s", kinds[i][1]);
		show_table_row(&t, name, show_num(sent, kinds[i][0], s, sizeof(s)),
			       show_num(rcvd, kinds[i][0], r, sizeof(r)));
	}
	show_table_print(&t, f);
}

static void detail_prefixes(FILE *f, struct json_object *nb)
{
	struct json_object *pfx;
	struct show_table t;

	if (!json_object_object_get_ex(nb, "prefixes", &pfx) ||
	    !json_object_is_type(pfx, json_type_object))
		return;
	fprintf(f, "  Prefixes:\n");
	show_table_init(&t, 0x1e, 5, "    Family", "Received", "Accepted", "Best", "Advertised");
	json_object_object_foreach(pfx, fam, c)
	{
		char name[64], a[24], b[24], d[24], e[24];

		snprintf(name, sizeof(name), "    %s", fam);
		show_table_row(&t, name, show_num(c, "received", a, sizeof(a)),
			       show_num(c, "accepted", b, sizeof(b)),
			       show_num(c, "best", d, sizeof(d)),
			       show_num(c, "advertised", e, sizeof(e)));
	}
	show_table_print(&t, f);
}

static void detail_error(FILE *f, struct json_object *nb)
{
	struct json_object *e;
	const char *reason;
	char c[24], s[24];

	if (!json_object_object_get_ex(nb, "last_error", &e))
		return;
	reason = show_str(e, "reason");
	fprintf(f, "  Last error: %s %s/%s %s / %s%s%s%s\n",
		show_str(e, "direction") ? show_str(e, "direction") : "-",
		show_num(e, "code", c, sizeof(c)), show_num(e, "subcode", s, sizeof(s)),
		show_str(e, "code_name") ? show_str(e, "code_name") : "-",
		show_str(e, "subcode_name") ? show_str(e, "subcode_name") : "-", reason ? " (" : "",
		reason ? reason : "", reason ? ")" : "");
}

static const char *dash(const char *s)
{
	return s ? s : "-";
}

static void detail(FILE *f, struct json_object *nb)
{
	char a[24], b[24], c[24], up[32], fams[512];
	int64_t secs;

	fprintf(f, "Neighbor %s, remote AS %s, local AS %s\n", dash(show_str(nb, "address")),
		show_num(nb, "remote_as", a, sizeof(a)), show_num(nb, "local_as", b, sizeof(b)));
	if (show_str(nb, "description"))
		fprintf(f, "  Description: %s\n", show_str(nb, "description"));
	fprintf(f, "  State: %s for %s\n", dash(show_str(nb, "state")),
		show_int(nb, "uptime", &secs) ? show_duration(secs, up, sizeof(up)) : "-");
	fprintf(f, "  Remote router ID: %s\n", dash(show_str(nb, "remote_id")));
	if (show_str(nb, "local_address"))
		fprintf(f, "  Transport: local %s port %s, remote port %s\n",
			show_str(nb, "local_address"), show_num(nb, "local_port", a, sizeof(a)),
			show_num(nb, "remote_port", b, sizeof(b)));
	fprintf(f, "  Hold time: %s, keepalive: %s\n", show_num(nb, "hold_time", a, sizeof(a)),
		show_num(nb, "keepalive", c, sizeof(c)));
	fprintf(f, "  Options:%s%s%s%s\n", show_bool(nb, "passive") ? " passive" : "",
		show_bool(nb, "rr_client") ? " rr-client" : "", show_bool(nb, "md5") ? " md5" : "",
		show_bool(nb, "passive") || show_bool(nb, "rr_client") || show_bool(nb, "md5")
		    ? ""
		    : " -");
	fprintf(f, "  Families: %s\n",
		show_join(show_arr(nb, "families"), " ", fams, sizeof(fams)));
	detail_caps(f, nb);
	detail_gr(f, nb);
	detail_error(f, nb);
	detail_messages(f, nb);
	detail_prefixes(f, nb);
}

void show_neighbors_text(FILE *f, struct json_object *data, bool with_detail)
{
	struct json_object *nbs = show_arr(data, "neighbors");
	size_t n = nbs ? json_object_array_length(nbs) : 0;

	if (!with_detail) {
		table(f, nbs);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			fputc('\n', f);
		detail(f, json_object_array_get_idx(nbs, i));
	}
}
