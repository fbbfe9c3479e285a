/*
 * Unit tests for vtopod_svc: the configuration as svc sees it, checked
 * where it lands, in the RDE's locally originated VPN routes (what peers
 * get) and in a recording FIB backend (what a data plane gets):
 *   - a VRF's RD, its export RTs and export policy on its attachments' host
 *     routes (RFC 4364 s4.3.1, draft s2), per-attachment policy RTs (per-VM
 *     topologies, draft s4.2), labels by label mode (RFC 4364 s4.3.2);
 *   - an ingress VRF imports its topology's RT (yang ingress-vrf), the
 *     topology's preference becomes svc's priority;
 *   - attachments added and removed at run time (`vtopoctl attach`): the
 *     refusals, the routes, the FIB interface, and a reload that removes
 *     their VRF and gives it back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "fib/fib_record.h"
#include "vtopod/ctl_server.h"
#include "vtopod/vtopod.h"

static struct config *load(const char *json)
{
	char path[] = "/tmp/vtopo-svc-XXXXXX";
	int fd = mkstemp(path);
	struct config_errors errs;
	struct config *cfg = NULL;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(json, f);
	fclose(f);
	config_errors_init(&errs);
	if (config_load_dir(path, VTOPO_SRC_YANG_DIR, &cfg, &errs) != 0)
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s: %s\n", errs.v[i].path, errs.v[i].reason);
	unlink(path);
	assert_non_null(cfg);
	config_errors_clear(&errs);
	return cfg;
}

/* The PE: VRF blue (zone RT 65000:100, imports topology fw's RT 65000:7777,
 * export policy adds 65000:999 to every route, per-prefix labels) with attachments vma and vmb; VRF
 * red (zone RT 65000:200, per-vrf labels, vmr's route also gets 65000:555, the egress policy adds
 * topology fw's RT 65000:7777 to vmr only); topology fw with blue as ingress VRF.  FAMS: the
 * neighbor's families. */
#define PE_HEAD                                                                                    \
	"{\"vtopo:vtopo\": {\"global\": {\"as\": 65000, \"router-id\": \"192.0.2.100\"},"          \
	"\"neighbors\": {\"neighbor\": [{\"address\": \"192.0.2.1\", \"remote-as\": 65000,"        \
	"\"afi-safis\": {\"afi-safi\": [%s]}}]},"                                                  \
	"\"network-instances\": {\"network-instance\": ["                                          \
	"{\"name\": \"blue\", \"route-distinguisher\": \"65000:10\", \"label-mode\": "             \
	"\"per-prefix\","                                                                          \
	" \"vpn-targets\": {\"vpn-target\": [{\"route-target\": \"target:65000:100\", "            \
	"\"route-target-type\": \"both\"}, {\"route-target\": \"target:65000:7777\", "             \
	"\"route-target-type\": \"import\"}]},"                                                    \
	" \"export-policy\": {\"statement\": [{\"name\": \"all\", \"actions\": "                   \
	"{\"add-route-target\": [\"target:65000:999\"]}}]},"                                       \
	" \"attachments\": {\"attachment\": ["                                                     \
	"  {\"name\": \"vma\", \"interface\": \"tapa\", \"address\": [{\"ip\": \"198.51.100.1\", " \
	"\"prefix-length\": 24}]},"                                                                \
	"  {\"name\": \"vmb\", \"interface\": \"tapb\", \"address\": [{\"ip\": \"198.51.100.2\", " \
	"\"prefix-length\": 24}, {\"ip\": \"2001:db8:1::2\", \"prefix-length\": 64}]}]}}"
#define PE_RED                                                                                     \
	",{\"name\": \"red\", \"route-distinguisher\": \"65000:20\", \"label-mode\": \"per-vrf\"," \
	" \"vpn-targets\": {\"vpn-target\": [{\"route-target\": \"target:65000:200\", "            \
	"\"route-target-type\": \"both\"}]},"                                                      \
	" \"export-policy\": {\"statement\": [{\"name\": \"vm-r\", \"conditions\": "               \
	"{\"attachment\": \"vmr\"}, \"actions\": {\"add-route-target\": [\"target:65000:555\", "   \
	"\"target:65000:7777\"]}}]},"                                                              \
	" \"attachments\": {\"attachment\": ["                                                     \
	"  {\"name\": \"vmr\", \"interface\": \"tapr\", \"address\": [{\"ip\": "                   \
	"\"198.51.100.50\", "                                                                      \
	"\"prefix-length\": 24}]},"                                                                \
	"  {\"name\": \"vms\", \"interface\": \"taps\", \"address\": [{\"ip\": "                   \
	"\"198.51.100.51\", "                                                                      \
	"\"prefix-length\": 24}]}]}}"
#define PE_TAIL_TOPO                                                                               \
	"]}, \"service-nodes\": {\"service-node\": [{\"name\": \"fw\", \"address\": "              \
	"\"198.51.100.254\", \"interface\": \"fw0\", \"in-vrf\": \"blue\", \"out-vrf\": "          \
	"\"red\"}]},"                                                                              \
	"\"service-topologies\": {\"service-topology\": [{\"name\": \"fw\", \"route-target\": "    \
	"\"target:65000:7777\", \"address-family\": \"ipv4-vpn\", \"preference\": 10, "            \
	"\"service-node-sequence\": [\"198.51.100.254\"], \"ingress-vrf\": [\"blue\"]}]}}}"
#define PE_TAIL "]}}}"

#define FAMS_BOTH "{\"name\": \"ipv4-vpn\"}, {\"name\": \"ipv6-vpn\"}"
#define FAMS_V4 "{\"name\": \"ipv4-vpn\"}"

static void rde_send(void *ctx, rde_peer_id id, const uint8_t *msg, size_t len)
{
	(void)ctx;
	(void)id;
	(void)msg;
	(void)len;
}

static size_t rde_room(void *ctx, rde_peer_id id)
{
	(void)ctx;
	(void)id;
	return 1u << 20;
}

struct pe {
	struct vtopod d;
	struct fib_record *rec; /* owned by the FIB */
};

static struct config *pe_config(const char *fams, bool red, bool topo)
{
	char buf[8192];

	snprintf(buf, sizeof(buf), PE_HEAD "%s%s", fams, red ? PE_RED : "",
		 topo ? PE_TAIL_TOPO : PE_TAIL);
	return load(buf);
}

static void pe_start(struct pe *pe, struct config *cfg)
{
	struct rde_config rc = {.local_as = 65000, .router_id = 0xc0000264};

	memset(pe, 0, sizeof(*pe));
	pe->d.log.f = stderr;
	pe->d.log.level = 3; /* errors only */
	pe->d.cfg = cfg;
	pe->d.rde = rde_new(&rc, rde_send, rde_room, NULL);
	assert_non_null(pe->d.rde);
	pe->rec = fib_record_new(false);
	pe->d.fib_ops = &fib_record_ops;
	pe->d.fib_ctx = pe->rec;
	assert_int_equal(vtopod_svc_start(&pe->d), 0);
	while (vtopod_svc_work(&pe->d))
		;
}

static void pe_stop(struct pe *pe)
{
	vtopod_svc_stop(&pe->d);
	rde_free(pe->d.rde);
	config_free(pe->d.cfg);
}

/* A reload: the daemon's hook with the new configuration. */
static void pe_reload(struct pe *pe, struct config *cfg)
{
	struct config *old = pe->d.cfg;

	pe->d.cfg = cfg;
	pe->d.on_config(&pe->d, old, cfg, pe->d.on_config_arg);
	while (vtopod_svc_work(&pe->d))
		;
	config_free(old);
}

/* The locally originated path of RD:PREFIX in the RDE, or NULL (a new
 * reference in *hold). */
static struct json_object *local_path(struct pe *pe, enum bgp_fam fam, const char *key,
				      struct json_object **hold)
{
	struct json_object *rib = rde_show_rib(pe->d.rde, fam, key), *routes, *paths, *p;

	*hold = rib;
	assert_non_null(rib);
	if (!json_object_object_get_ex(rib, "routes", &routes) ||
	    json_object_array_length(routes) == 0)
		return NULL;
	assert_true(
	    json_object_object_get_ex(json_object_array_get_idx(routes, 0), "paths", &paths));
	for (size_t i = 0; i < json_object_array_length(paths); i++) {
		struct json_object *peer;

		p = json_object_array_get_idx(paths, i);
		if (json_object_object_get_ex(p, "peer", &peer) &&
		    strcmp(json_object_get_string(peer), "local") == 0)
			return p;
	}
	return NULL;
}

static bool has_route(struct pe *pe, enum bgp_fam fam, const char *key)
{
	struct json_object *hold;
	bool r = local_path(pe, fam, key, &hold) != NULL;

	json_object_put(hold);
	return r;
}

/* The path's route targets, sorted, space separated: "target:65000:100 ..." */
static void path_rts(struct pe *pe, enum bgp_fam fam, const char *key, char *out, size_t len)
{
	struct json_object *hold, *p = local_path(pe, fam, key, &hold), *ec;
	const char *v[16];
	size_t n = 0, used = 0;

	if (p == NULL)
		fail_msg("no local route %s", key);
	out[0] = '\0';
	if (json_object_object_get_ex(p, "ext_communities", &ec))
		for (size_t i = 0; i < json_object_array_length(ec) && n < 16; i++) {
			const char *s = json_object_get_string(json_object_array_get_idx(ec, i));

			if (strncmp(s, "target:", 7) == 0)
				v[n++] = s;
		}
	for (size_t i = 1; i < n; i++) /* insertion sort */
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s%s",
					 i ? " " : "", v[i]);
	json_object_put(hold);
}

static int64_t path_label(struct pe *pe, enum bgp_fam fam, const char *key)
{
	struct json_object *hold, *p = local_path(pe, fam, key, &hold), *l;
	int64_t v = -1;

	if (p == NULL)
		fail_msg("no local route %s", key);
	if (json_object_object_get_ex(p, "labels", &l) && json_object_array_length(l) == 1)
		v = json_object_get_int64(json_object_array_get_idx(l, 0));
	json_object_put(hold);
	return v;
}

#define RTS(pe, fam, key, want)                                                                    \
	do {                                                                                       \
		char got_[512];                                                                    \
		path_rts(pe, fam, key, got_, sizeof(got_));                                        \
		assert_string_equal(got_, want);                                                   \
	} while (0)

/* ---- the recording FIB ---- */

static const struct fib_vrf *fib_vrf_named(struct pe *pe, const char *name)
{
	const struct fib_store *st = fib_record_state(pe->rec);
	const struct fib_vrf *v;
	size_t i = 0;

	while ((v = htab_next((struct htab *)&st->vrfs, &i)) != NULL)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static const struct fib_if *fib_if_named(struct pe *pe, const char *name)
{
	const struct fib_store *st = fib_record_state(pe->rec);
	const struct fib_if *f;
	size_t i = 0;

	while ((f = htab_next((struct htab *)&st->ifs, &i)) != NULL)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The host route is in VRF vrf and sends to interface ifname, to the host
 * itself as gateway. */
static void fib_host_route(struct pe *pe, const char *vrf, const char *prefix, const char *ifname)
{
	const struct fib_vrf *v = fib_vrf_named(pe, vrf);
	const struct fib_if *f = fib_if_named(pe, ifname);
	const struct fib_nh *nh;
	fib_nh_id id;

	assert_non_null(v);
	assert_non_null(f);
	assert_int_equal(f->role, FIB_IF_ATTACH);
	assert_int_equal(f->vrf, v->id);
	id = fib_record_route(pe->rec, v->id, prefix);
	assert_int_not_equal(id, 0);
	nh = htab_get((struct htab *)&fib_record_state(pe->rec)->nhs, &id);
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_LOCAL);
	assert_int_equal(nh->ifc, f->id);
	assert_int_equal(fib_record_violations(pe->rec), 0);
}

static bool fib_has_route(struct pe *pe, const char *vrf, const char *prefix)
{
	const struct fib_vrf *v = fib_vrf_named(pe, vrf);

	return v != NULL && fib_record_route(pe->rec, v->id, prefix) != 0;
}

/* ---- the configuration as svc sees it ---- */

static void test_config_vrfs(void **state)
{
	struct pe pe;

	(void)state;
	pe_start(&pe, pe_config(FAMS_BOTH, true, false));
	/* blue: RD 65000:10, export RT and the policy's RT on each host route
	 * (RFC 4364 s4.3.1, draft s2), the IPv6 address as ipv6-vpn */
	RTS(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.1/32", "target:65000:100 target:65000:999");
	RTS(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.2/32", "target:65000:100 target:65000:999");
	RTS(&pe, BGP_FAM_VPNV6, "65000:10:2001:db8:1::2/128", "target:65000:100 target:65000:999");
	/* the subnet's length is the VM's, the route is a host route */
	assert_false(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.0/24"));
	/* red: a statement naming an attachment adds its RTs to that
	 * attachment's routes only (draft s4.2) */
	RTS(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.50/32",
	    "target:65000:200 target:65000:555 target:65000:7777");
	RTS(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.51/32", "target:65000:200");
	/* RFC 4364 s4.3.2: per-prefix, a label each; per-vrf, one */
	assert_int_not_equal(path_label(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.1/32"),
			     path_label(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.2/32"));
	assert_int_equal(path_label(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.50/32"),
			 path_label(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.51/32"));
	for (int i = 0; i < 2; i++) {
		int64_t l =
		    path_label(&pe, BGP_FAM_VPNV4,
			       i ? "65000:20:198.51.100.50/32" : "65000:10:198.51.100.1/32");

		assert_true(l >= 16 && l <= 1048575); /* RFC 3032 s2.1: 0-15 reserved */
	}
	/* the FIB: each attachment's interface in its VRF, its host routes
	 * to it */
	fib_host_route(&pe, "blue", "198.51.100.1/32", "tapa");
	fib_host_route(&pe, "blue", "2001:db8:1::2/128", "tapb");
	fib_host_route(&pe, "red", "198.51.100.50/32", "tapr");
	pe_stop(&pe);
}

/* The route of `show fib` data with that prefix, or NULL. */
static struct json_object *fib_route_json(struct json_object *fib, const char *prefix)
{
	struct json_object *vrfs, *routes, *p;

	assert_true(json_object_object_get_ex(fib, "vrfs", &vrfs));
	for (size_t i = 0; i < json_object_array_length(vrfs); i++) {
		if (!json_object_object_get_ex(json_object_array_get_idx(vrfs, i), "routes",
					       &routes))
			continue;
		for (size_t j = 0; j < json_object_array_length(routes); j++) {
			struct json_object *r = json_object_array_get_idx(routes, j);

			if (json_object_object_get_ex(r, "prefix", &p) &&
			    strcmp(json_object_get_string(p), prefix) == 0)
				return r;
		}
	}
	return NULL;
}

static void test_config_topology(void **state)
{
	struct pe pe;
	struct json_object *t, *o, *v;

	(void)state;
	pe_start(&pe, pe_config(FAMS_BOTH, true, true));
	/* red's vmr carries fw's RT: blue, fw's ingress VRF, imports it (yang
	 * ingress-vrf) and steers it to the first service node (draft
	 * s4.1.3); vms has no topology RT and blue does not import red's */
	t = vtopod_svc_show(&pe.d, "fib", "blue");
	assert_non_null(t);
	o = fib_route_json(t, "198.51.100.50/32");
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "topology", &v));
	assert_string_equal(json_object_get_string(v), "fw");
	/* to node fw: its interface, its address as gateway */
	assert_true(json_object_object_get_ex(o, "nexthop", &o));
	assert_true(json_object_object_get_ex(o, "interface", &v));
	assert_string_equal(json_object_get_string(v), "fw0");
	assert_true(json_object_object_get_ex(o, "gateway", &v));
	assert_string_equal(json_object_get_string(v), "198.51.100.254");
	assert_null(fib_route_json(t, "198.51.100.51/32"));
	json_object_put(t);
	/* yang: the highest preference steers; svc: the lowest priority */
	t = vtopod_svc_show(&pe.d, "service-topology", "fw");
	assert_int_equal(json_object_array_length(t), 1);
	o = json_object_array_get_idx(t, 0);
	assert_true(json_object_object_get_ex(o, "priority", &v));
	assert_int_equal(json_object_get_int64(v), 65535 - 10);
	assert_true(json_object_object_get_ex(o, "rt", &v));
	assert_string_equal(json_object_get_string(v), "target:65000:7777");
	json_object_put(t);
	/* the service node's address is exported from its in-VRF (draft
	 * s4.1.1) with blue's RD and RTs */
	RTS(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.254/32", "target:65000:100 target:65000:999");
	pe_stop(&pe);
}

/* ---- attachments at run time ---- */

static struct json_object *add(struct pe *pe, const char *line, char *err)
{
	char buf[512], *save = NULL;
	const char *w[32];
	struct ctl_attach a;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok_r(buf, " ", &save); t != NULL && n < 32;
	     t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	err[0] = '\0';
	if (ctl_attach_parse(w, n, &a, err) != 0)
		fail_msg("'%s': %s", line, err);
	return vtopod_svc_attach_add(&pe->d, &a, err);
}

static void add_ok(struct pe *pe, const char *line)
{
	char err[CTL_ERR_MAX];
	struct json_object *o = add(pe, line, err);

	if (o == NULL)
		fail_msg("'%s' refused: %s", line, err);
	json_object_put(o);
}

static void add_bad(struct pe *pe, const char *line, const char *want)
{
	char err[CTL_ERR_MAX];
	struct json_object *o = add(pe, line, err);

	if (o != NULL)
		fail_msg("'%s' was accepted", line);
	assert_string_equal(err, want);
}

/* "show attachments": the entry of name as {state, reason} text */
static void att_state(struct pe *pe, const char *name, char *out, size_t len)
{
	struct json_object *o = vtopod_svc_attachments(&pe->d), *arr, *v;

	snprintf(out, len, "absent");
	assert_true(json_object_object_get_ex(o, "attachments", &arr));
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *a = json_object_array_get_idx(arr, i), *r;

		json_object_object_get_ex(a, "name", &v);
		if (strcmp(json_object_get_string(v), name) != 0)
			continue;
		json_object_object_get_ex(a, "state", &v);
		snprintf(out, len, "%s%s%s", json_object_get_string(v),
			 json_object_object_get_ex(a, "reason", &r) ? ": " : "",
			 json_object_object_get_ex(a, "reason", &r) ? json_object_get_string(r)
								    : "");
	}
	json_object_put(o);
}

#define STATE(pe, name, want)                                                                      \
	do {                                                                                       \
		char st_[256];                                                                     \
		att_state(pe, name, st_, sizeof(st_));                                             \
		assert_string_equal(st_, want);                                                    \
	} while (0)

static void test_attach_add_del(void **state)
{
	struct pe pe;
	char err[CTL_ERR_MAX];
	struct json_object *o;

	(void)state;
	pe_start(&pe, pe_config(FAMS_BOTH, true, false));
	/* a VM comes up in blue: exported like a configured one */
	add_ok(&pe, "vm1 vrf blue address 198.51.100.5/32 address 2001:db8:1::5 interface tap1");
	RTS(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.5/32", "target:65000:100 target:65000:999");
	RTS(&pe, BGP_FAM_VPNV6, "65000:10:2001:db8:1::5/128", "target:65000:100 target:65000:999");
	fib_host_route(&pe, "blue", "198.51.100.5/32", "tap1");
	fib_host_route(&pe, "blue", "2001:db8:1::5/128", "tap1");
	STATE(&pe, "vm1", "active");
	/* with interfaces in two zones (draft s2): the same address in red,
	 * with red's RD and red's per-vrf label */
	add_ok(&pe, "vm1-red vrf red address 198.51.100.5");
	RTS(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.5/32", "target:65000:200");
	assert_int_equal(path_label(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.5/32"),
			 path_label(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.51/32"));
	fib_host_route(&pe, "red", "198.51.100.5/32", "vm1-red");

	/* refusals: nothing changes */
	add_bad(&pe, "vm2 vrf green address 198.51.100.6", "unknown network-instance 'green'");
	add_bad(&pe, "vm1 vrf red address 198.51.100.6",
		"attachment 'vm1' exists (added at run time)");
	add_bad(&pe, "vma vrf red address 198.51.100.6",
		"attachment 'vma' exists in the configuration (network-instance 'blue')");
	add_bad(&pe, "vm2 vrf red address 198.51.100.6 interface tapa",
		"interface 'tapa' is configured attachment 'vma''s");
	add_bad(&pe, "vm2 vrf red address 198.51.100.6 interface tap1",
		"interface 'tap1' is attachment 'vm1''s");
	add_bad(&pe, "vm2 vrf blue address 198.51.100.1",
		"address 198.51.100.1 is configured attachment 'vma''s in network-instance 'blue'");
	add_bad(&pe, "vm2 vrf blue address 198.51.100.7 address 2001:db8:1::5",
		"address 2001:db8:1::5 is attachment 'vm1''s in network-instance 'blue'");
	assert_false(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.7/32"));
	assert_false(fib_has_route(&pe, "blue", "198.51.100.7/32"));

	/* del: configured ones stay, unknown ones are named */
	assert_null(vtopod_svc_attach_del(&pe.d, "vma", err));
	assert_string_equal(err, "attachment 'vma' is in the configuration file "
				 "(network-instance 'blue'): remove it there and reload");
	assert_null(vtopod_svc_attach_del(&pe.d, "vm9", err));
	assert_string_equal(err, "no attachment 'vm9' added at run time");
	/* the VM goes away: withdrawn from the RDE and the FIB; its twin in
	 * red stays */
	o = vtopod_svc_attach_del(&pe.d, "vm1", err);
	assert_non_null(o);
	json_object_put(o);
	assert_false(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.5/32"));
	assert_false(has_route(&pe, BGP_FAM_VPNV6, "65000:10:2001:db8:1::5/128"));
	assert_false(fib_has_route(&pe, "blue", "198.51.100.5/32"));
	assert_null(fib_if_named(&pe, "tap1"));
	assert_true(has_route(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.5/32"));
	STATE(&pe, "vm1", "absent");
	/* its name, interface and addresses are free again */
	add_ok(&pe, "vm3 vrf blue address 198.51.100.5 interface tap1");
	assert_true(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.5/32"));
	assert_int_equal(fib_record_violations(pe.rec), 0);
	pe_stop(&pe);
}

/* The locally originated ipv4-vpn routes under rd ("65000:10"). */
static size_t local_routes(struct pe *pe, const char *rd)
{
	struct json_object *rib = rde_show_rib(pe->d.rde, BGP_FAM_VPNV4, NULL), *routes, *v;
	size_t n = 0, len = strlen(rd);

	assert_true(json_object_object_get_ex(rib, "routes", &routes));
	for (size_t i = 0; i < json_object_array_length(routes); i++) {
		struct json_object *r = json_object_array_get_idx(routes, i);

		if (json_object_object_get_ex(r, "prefix", &v) &&
		    strncmp(json_object_get_string(v), rd, len) == 0 &&
		    json_object_get_string(v)[len] == ':')
			n++;
	}
	json_object_put(rib);
	return n;
}

/* Many VMs come and go: each add and del moves only its own routes; a
 * name used again is a new attachment; a reload keeps them all. */
static void test_attach_many(void **state)
{
	enum { N = 300 };
	struct pe pe;
	char line[128], err[CTL_ERR_MAX];
	struct json_object *o;

	(void)state;
	pe_start(&pe, pe_config(FAMS_BOTH, true, false));
	assert_int_equal(local_routes(&pe, "65000:10"), 2); /* vma, vmb */
	for (int i = 0; i < N; i++) {
		snprintf(line, sizeof(line), "vm%d vrf blue address 198.18.%d.%d", i, i / 200,
			 1 + i % 200);
		add_ok(&pe, line);
	}
	assert_int_equal(local_routes(&pe, "65000:10"), 2 + N);
	for (int i = 0; i < N; i += 2) {
		snprintf(line, sizeof(line), "vm%d", i);
		o = vtopod_svc_attach_del(&pe.d, line, err);
		assert_non_null(o);
		json_object_put(o);
	}
	assert_int_equal(local_routes(&pe, "65000:10"), 2 + N / 2);
	assert_false(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.18.0.1/32")); /* vm0 */
	assert_true(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.18.0.2/32"));  /* vm1 */
	assert_false(fib_has_route(&pe, "blue", "198.18.0.1/32"));
	fib_host_route(&pe, "blue", "198.18.0.2/32", "vm1");
	/* vm0 again, elsewhere: a new attachment */
	add_ok(&pe, "vm0 vrf red address 198.18.0.1");
	RTS(&pe, BGP_FAM_VPNV4, "65000:20:198.18.0.1/32", "target:65000:200");
	fib_host_route(&pe, "red", "198.18.0.1/32", "vm0");
	assert_false(fib_has_route(&pe, "blue", "198.18.0.1/32"));
	pe_reload(&pe, pe_config(FAMS_BOTH, true, false));
	assert_int_equal(local_routes(&pe, "65000:10"), 2 + N / 2);
	assert_int_equal(local_routes(&pe, "65000:20"), 2 + 1);
	assert_int_equal(fib_record_violations(pe.rec), 0);
	pe_stop(&pe);
}

static void test_attach_family(void **state)
{
	struct pe pe;

	(void)state;
	/* only ipv4-vpn towards the neighbor: an IPv6 host route would reach
	 * nobody */
	pe_start(&pe, pe_config(FAMS_V4, false, false));
	add_bad(&pe, "vm1 vrf blue address 198.51.100.5 address 2001:db8:1::5",
		"address 2001:db8:1::5: ipv6-vpn is not enabled on any neighbor");
	assert_false(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.5/32"));
	add_ok(&pe, "vm1 vrf blue address 198.51.100.5");
	assert_true(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.5/32"));
	pe_stop(&pe);
}

static void test_attach_reload(void **state)
{
	struct pe pe;
	struct json_object *ch, *e, *v;

	(void)state;
	pe_start(&pe, pe_config(FAMS_BOTH, true, false));
	add_ok(&pe, "vm1 vrf blue address 198.51.100.5");
	add_ok(&pe, "vm2 vrf red address 198.51.100.6");
	/* a reload that keeps both VRFs keeps both attachments */
	pe_reload(&pe, pe_config(FAMS_BOTH, true, false));
	assert_true(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.5/32"));
	assert_true(has_route(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.6/32"));
	ch = vtopod_svc_reload_changes(&pe.d);
	assert_int_equal(json_object_array_length(ch), 0);
	json_object_put(ch);
	/* one without red: vm2 is withdrawn and says why, vm1 stays */
	pe_reload(&pe, pe_config(FAMS_BOTH, false, false));
	assert_true(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.5/32"));
	assert_false(has_route(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.6/32"));
	assert_false(fib_has_route(&pe, "red", "198.51.100.6/32"));
	assert_null(fib_if_named(&pe, "vm2"));
	fib_host_route(&pe, "blue", "198.51.100.5/32", "vm1");
	STATE(&pe, "vm2", "withdrawn: unknown network-instance 'red'");
	STATE(&pe, "vm1", "active");
	ch = vtopod_svc_reload_changes(&pe.d);
	assert_int_equal(json_object_array_length(ch), 1);
	e = json_object_array_get_idx(ch, 0);
	assert_true(json_object_object_get_ex(e, "name", &v));
	assert_string_equal(json_object_get_string(v), "vm2");
	assert_true(json_object_object_get_ex(e, "state", &v));
	assert_string_equal(json_object_get_string(v), "withdrawn");
	json_object_put(ch);
	/* red comes back: so does vm2 */
	pe_reload(&pe, pe_config(FAMS_BOTH, true, false));
	RTS(&pe, BGP_FAM_VPNV4, "65000:20:198.51.100.6/32", "target:65000:200");
	fib_host_route(&pe, "red", "198.51.100.6/32", "vm2");
	STATE(&pe, "vm2", "active");
	assert_int_equal(fib_record_violations(pe.rec), 0);
	pe_stop(&pe);
}

/* ---- static routes (RFC 8349 static-routes; docs/config.md) ---- */

/* blue (RD 65000:10, RT 65000:100, per-vrf) with vma on tapa, service
 * node fw (in blue, out red) on fw0; STATICS: blue's static routes */
#define ST_CONF(statics)                                                                           \
	"{\"vtopo:vtopo\": {\"global\": {\"as\": 65000, \"router-id\": \"192.0.2.100\"},"          \
	"\"neighbors\": {\"neighbor\": [{\"address\": \"192.0.2.1\", \"remote-as\": 65000,"        \
	"\"afi-safis\": {\"afi-safi\": [" FAMS_BOTH "]}}]},"                                       \
	"\"network-instances\": {\"network-instance\": ["                                          \
	"{\"name\": \"blue\", \"route-distinguisher\": \"65000:10\","                              \
	" \"vpn-targets\": {\"vpn-target\": [{\"route-target\": \"target:65000:100\", "            \
	"\"route-target-type\": \"both\"}]},"                                                      \
	" \"attachments\": {\"attachment\": [{\"name\": \"vma\", \"interface\": \"tapa\", "        \
	"\"address\": [{\"ip\": \"198.51.100.1\", \"prefix-length\": 24}]}]},"                     \
	" \"static-routes\": {\"route\": [" statics "]}},"                                         \
	"{\"name\": \"red\", \"route-distinguisher\": \"65000:20\","                               \
	" \"vpn-targets\": {\"vpn-target\": [{\"route-target\": \"target:65000:200\", "            \
	"\"route-target-type\": \"both\"}]}}]},"                                                   \
	"\"service-nodes\": {\"service-node\": [{\"name\": \"fw\", \"address\": "                  \
	"\"198.51.100.254\", \"interface\": \"fw0\", \"in-vrf\": \"blue\", \"out-vrf\": "          \
	"\"red\"}]}}}"
#define ST_CE "{\"destination-prefix\": \"192.0.2.0/24\", \"next-hop\": "                      \
	      "{\"next-hop-address\": \"198.51.100.1\"}}"
#define ST_LINK "{\"destination-prefix\": \"203.0.113.0/24\", \"next-hop\": "                  \
		"{\"outgoing-interface\": \"tapa\"}}"
#define ST_LINK_DROP "{\"destination-prefix\": \"203.0.113.0/24\", \"next-hop\": "             \
		     "{\"special-next-hop\": \"blackhole\"}}"
#define ST_AGG "{\"destination-prefix\": \"198.19.0.0/16\", \"next-hop\": "                    \
	       "{\"special-next-hop\": \"blackhole\"}}"
#define ST_IN "{\"destination-prefix\": \"0.0.0.0/0\", \"next-hop\": "                         \
	      "{\"outgoing-interface\": \"fw0\"}}"

static const struct fib_nh *fib_route_nh(struct pe *pe, const char *vrf, const char *prefix)
{
	const struct fib_vrf *v = fib_vrf_named(pe, vrf);
	fib_nh_id id = v ? fib_record_route(pe->rec, v->id, prefix) : 0;

	return id ? htab_get((struct htab *)&fib_record_state(pe->rec)->nhs, &id) : NULL;
}

/* Each kind from the file: exported with blue's RD, RT and label (RFC
 * 4364 s4.3.2), the in-VRF one out of fw0 not at all (draft s4.1.5); a
 * reload removing one withdraws it alone, one changing a next hop moves
 * it in the FIB. */
static void test_static_reload(void **state)
{
	struct pe pe;
	const struct fib_nh *nh;
	int64_t label;

	(void)state;
	pe_start(&pe, load(ST_CONF(ST_CE "," ST_LINK "," ST_AGG "," ST_IN)));
	label = path_label(&pe, BGP_FAM_VPNV4, "65000:10:198.51.100.1/32");
	RTS(&pe, BGP_FAM_VPNV4, "65000:10:192.0.2.0/24", "target:65000:100");
	RTS(&pe, BGP_FAM_VPNV4, "65000:10:203.0.113.0/24", "target:65000:100");
	RTS(&pe, BGP_FAM_VPNV4, "65000:10:198.19.0.0/16", "target:65000:100");
	assert_int_equal(path_label(&pe, BGP_FAM_VPNV4, "65000:10:192.0.2.0/24"), label);
	assert_int_equal(path_label(&pe, BGP_FAM_VPNV4, "65000:10:198.19.0.0/16"), label);
	assert_false(has_route(&pe, BGP_FAM_VPNV4, "65000:10:0.0.0.0/0"));
	nh = fib_route_nh(&pe, "blue", "192.0.2.0/24");
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_LOCAL);
	assert_int_equal(nh->ifc, fib_if_named(&pe, "tapa")->id);
	nh = fib_route_nh(&pe, "blue", "0.0.0.0/0");
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_LOCAL);
	assert_int_equal(nh->ifc, fib_if_named(&pe, "fw0")->id);
	nh = fib_route_nh(&pe, "blue", "198.19.0.0/16");
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_DROP);
	/* the CE subnet goes, the on-link one becomes a blackhole */
	pe_reload(&pe, load(ST_CONF(ST_LINK_DROP "," ST_AGG "," ST_IN)));
	assert_false(has_route(&pe, BGP_FAM_VPNV4, "65000:10:192.0.2.0/24"));
	assert_false(fib_has_route(&pe, "blue", "192.0.2.0/24"));
	assert_int_equal(path_label(&pe, BGP_FAM_VPNV4, "65000:10:203.0.113.0/24"), label);
	nh = fib_route_nh(&pe, "blue", "203.0.113.0/24");
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_DROP);
	assert_true(has_route(&pe, BGP_FAM_VPNV4, "65000:10:198.19.0.0/16"));
	assert_true(fib_has_route(&pe, "blue", "0.0.0.0/0"));
	assert_int_equal(fib_record_violations(pe.rec), 0);
	pe_stop(&pe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config_vrfs),	   cmocka_unit_test(test_config_topology),
	    cmocka_unit_test(test_attach_add_del), cmocka_unit_test(test_attach_family),
	    cmocka_unit_test(test_attach_reload),  cmocka_unit_test(test_attach_many),
	    cmocka_unit_test(test_static_reload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
