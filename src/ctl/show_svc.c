/*
 * show_svc: `vtopoctl show fib|labels|service-topology` as text: per VRF
 * each prefix with how it is reached and which service topology steered
 * it, then its FlowSpec rules in match order with their chain and next hop
 * (draft s4.1.5); the local labels; each topology's hops and per-VRF chain state with
 * the pending reason in words (docs/ctl-json.md).  The resolved next hop
 * is printed as the daemon's compact JSON object.
 *
 * Not for: fetching it (show.c).
 */
#include <json-c/json.h>

#include "ctl/show.h"

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static const char *nh_text(struct json_object *o)
{
	struct json_object *nh;

	if (!json_object_object_get_ex(o, "nexthop", &nh))
		return "-";
	return json_object_to_json_string_ext(nh, JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
}

static void flows_text(FILE *f, struct json_object *v)
{
	struct json_object *fs = show_arr(v, "flows");
	size_t m = fs ? json_object_array_length(fs) : 0;
	struct show_table t;

	if (m == 0)
		return;
	fprintf(f, "Flows of VRF %s\n", or_dash(show_str(v, "name")));
	show_table_init(&t, 0x1, 6, "Prio", "RD", "Match", "Topology", "State", "Next hop");
	for (size_t j = 0; j < m; j++) {
		struct json_object *r = json_object_array_get_idx(fs, j);
		const char *st = show_str(r, "reason");
		char b[24];

		show_table_row(&t, show_num(r, "priority", b, sizeof(b)),
			       or_dash(show_str(r, "rd")), or_dash(show_str(r, "match")),
			       or_dash(show_str(r, "topology")),
			       st ? st : or_dash(show_str(r, "state")), nh_text(r));
	}
	show_table_print(&t, f);
}

void show_fib_text(FILE *f, struct json_object *data)
{
	struct json_object *vrfs = show_arr(data, "vrfs");
	size_t n = vrfs ? json_object_array_length(vrfs) : 0;
	char gen[24];

	fprintf(f, "FIB generation %s, data plane: %s\n", show_num(data, "generation", gen, 24),
		or_dash(show_str(data, "dataplane")));
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(vrfs, i),
				   *rs = show_arr(v, "routes");
		size_t m = rs ? json_object_array_length(rs) : 0;
		struct show_table t;

		fprintf(f, "\nVRF %s\n", or_dash(show_str(v, "name")));
		show_table_init(&t, 0, 5, "Prefix", "Via", "Topology", "State", "Next hop");
		for (size_t j = 0; j < m; j++) {
			struct json_object *r = json_object_array_get_idx(rs, j);
			const char *st = show_str(r, "reason");

			show_table_row(&t, or_dash(show_str(r, "prefix")),
				       or_dash(show_str(r, "via")),
				       or_dash(show_str(r, "topology")),
				       st ? st : or_dash(show_str(r, "state")), nh_text(r));
		}
		show_table_print(&t, f);
		flows_text(f, v);
	}
}

void show_labels_text(FILE *f, struct json_object *data)
{
	size_t n = json_object_is_type(data, json_type_array) ? json_object_array_length(data) : 0;
	struct show_table t;

	show_table_init(&t, 0x1, 5, "Label", "Mode", "VRF", "Prefix/gateway", "Action");
	for (size_t i = 0; i < n; i++) {
		struct json_object *l = json_object_array_get_idx(data, i);
		const char *pg = show_str(l, "prefix");
		char b[24];

		show_table_row(&t, show_num(l, "label", b, sizeof(b)), or_dash(show_str(l, "mode")),
			       or_dash(show_str(l, "vrf")),
			       pg ? pg : or_dash(show_str(l, "gateway")),
			       or_dash(show_str(l, "action")));
	}
	show_table_print(&t, f);
}

static void topo_text(FILE *f, struct json_object *o)
{
	struct json_object *hops = show_arr(o, "hops"), *vrfs = show_arr(o, "vrfs");
	size_t nh = hops ? json_object_array_length(hops) : 0;
	size_t nv = vrfs ? json_object_array_length(vrfs) : 0;
	struct show_table t;
	char b[24];

	fprintf(f, "Service topology %s, RT %s, priority %s\n", or_dash(show_str(o, "name")),
		or_dash(show_str(o, "rt")), show_num(o, "priority", b, sizeof(b)));
	show_table_init(&t, 0x1, 6, "Hop", "IPv4", "IPv6", "Interface", "In/out VRF", "Reason");
	for (size_t i = 0; i < nh; i++) {
		struct json_object *h = json_object_array_get_idx(hops, i);
		char io[128], ix[24];

		snprintf(io, sizeof(io), "%s/%s", or_dash(show_str(h, "in_vrf")),
			 or_dash(show_str(h, "out_vrf")));
		show_table_row(&t, show_num(h, "index", ix, sizeof(ix)),
			       or_dash(show_str(h, "ip4")), or_dash(show_str(h, "ip6")),
			       or_dash(show_str(h, "interface")), io,
			       or_dash(show_str(h, "reason")));
	}
	show_table_print(&t, f);
	show_table_init(&t, 0, 6, "VRF", "Family", "Next node", "Service IP", "State", "Next hop");
	for (size_t i = 0; i < nv; i++) {
		struct json_object *c = json_object_array_get_idx(vrfs, i);
		const char *why = show_str(c, "reason");
		char nn[24];

		show_table_row(&t, or_dash(show_str(c, "vrf")), or_dash(show_str(c, "afi")),
			       show_num(c, "next_node", nn, sizeof(nn)),
			       or_dash(show_str(c, "service_ip")),
			       why ? why : or_dash(show_str(c, "state")), nh_text(c));
	}
	show_table_print(&t, f);
}

void show_topology_text(FILE *f, struct json_object *data)
{
	size_t n = json_object_is_type(data, json_type_array) ? json_object_array_length(data) : 0;

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			fputc('\n', f);
		topo_text(f, json_object_array_get_idx(data, i));
	}
}

/* one attachment: "NAME in VRF (interface IF, ORIGIN): STATE" and its
 * addresses with their labels */
void show_attachment_text(FILE *f, struct json_object *a)
{
	struct json_object *as = show_arr(a, "addresses");
	size_t n = as ? json_object_array_length(as) : 0;
	const char *why = show_str(a, "reason");
	char b[24];

	fprintf(f, "attachment %s in %s (interface %s, %s): %s%s%s\n", or_dash(show_str(a, "name")),
		or_dash(show_str(a, "vrf")), or_dash(show_str(a, "interface")),
		or_dash(show_str(a, "origin")), or_dash(show_str(a, "state")), why ? ": " : "",
		why ? why : "");
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(as, i);

		fprintf(f, "  %s label %s\n", or_dash(show_str(e, "address")),
			show_num(e, "label", b, sizeof(b)));
	}
}

void show_attachments_text(FILE *f, struct json_object *data)
{
	struct json_object *as = show_arr(data, "attachments");
	size_t n = as ? json_object_array_length(as) : 0;
	struct show_table t;

	show_table_init(&t, 0, 7, "Name", "VRF", "Interface", "Origin", "State", "Addresses",
			"Labels");
	for (size_t i = 0; i < n; i++) {
		struct json_object *a = json_object_array_get_idx(as, i),
				   *ad = show_arr(a, "addresses");
		size_t m = ad ? json_object_array_length(ad) : 0;
		const char *why = show_str(a, "reason");
		char addrs[512] = "", labels[256] = "", st[256], b[24];
		size_t la = 0, ll = 0;

		for (size_t j = 0; j < m; j++) {
			struct json_object *e = json_object_array_get_idx(ad, j);

			la += (size_t)snprintf(addrs + la,
					       la < sizeof(addrs) ? sizeof(addrs) - la : 0, "%s%s",
					       j ? " " : "", or_dash(show_str(e, "address")));
			ll += (size_t)snprintf(
			    labels + ll, ll < sizeof(labels) ? sizeof(labels) - ll : 0, "%s%s",
			    j ? " " : "", show_num(e, "label", b, sizeof(b)));
		}
		snprintf(st, sizeof(st), "%s%s%s", or_dash(show_str(a, "state")), why ? ": " : "",
			 why ? why : "");
		show_table_row(&t, or_dash(show_str(a, "name")), or_dash(show_str(a, "vrf")),
			       or_dash(show_str(a, "interface")), or_dash(show_str(a, "origin")),
			       st, m ? addrs : "-", m ? labels : "-");
	}
	show_table_print(&t, f);
}
