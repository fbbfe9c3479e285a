/*
 * rde_bench: time and memory per route of the route decision engine for
 * VPN-IPv4 routes from one peer reflected to another, no sockets.
 *
 * Builds a stream of full UPDATEs (one attribute set, one label per
 * route, RD 65000:100) with our encoder, then times:
 *   in:  rde_update() on every message (decode, RFC 7606 checks, interning,
 *        RIB insert, decision process, queueing for the other peer);
 *   out: rde_work() until idle (Adj-RIB-Out, packing, UPDATE encoding);
 *        the send callback counts messages and bytes.
 * Memory: bytes per route from rde_show_memory ("total_bytes", the RDE's
 * own accounting) and from the process RSS growth across both phases.
 *
 * Usage: rde_bench [ROUTES]   (default 1000000)
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "core/mem.h"
#include "lib/ecomm.h"
#include "lib/rd.h"
#include "lib/wbuf.h"
#include "rde/rde.h"
#include "wire/msg.h"
#include "wire/nlri.h"
#include "wire/update.h"

struct out {
	uint64_t msgs, bytes;
};

static void cb_send(void *ctx, rde_peer_id peer, const uint8_t *msg, size_t len)
{
	struct out *o = ctx;

	(void)peer;
	(void)msg;
	o->msgs++;
	o->bytes += len;
}

static size_t cb_room(void *ctx, rde_peer_id peer)
{
	(void)ctx;
	(void)peer;
	return 1 << 20;
}

static unsigned build_update(struct wbuf *w, uint32_t first, unsigned max)
{
	uint8_t origin = 0, lp[4] = {0, 0, 0, 100};
	struct ecomm rt;
	struct bgp_nlri n;
	size_t hdr, mp, mark;
	unsigned i;

	if (ecomm_parse("target:65000:100", &rt) != 0)
		exit(1);
	hdr = bgp_hdr_begin(w, BGP_MSG_UPDATE);
	wbuf_u16(w, 0);
	mark = wbuf_mark(w);
	wbuf_u16(w, 0);
	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_ORIGIN, &origin, 1);
	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_AS_PATH, NULL, 0);
	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_LOCAL_PREF, lp, 4);
	mp = bgp_attr_begin(w, BGP_AF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI);
	wbuf_u16(w, BGP_AFI_IPV4);
	wbuf_u8(w, BGP_SAFI_VPN);
	wbuf_u8(w, 12);
	wbuf_zero(w, 8);
	wbuf_u32(w, 0xc6120001); /* 198.18.0.1 */
	wbuf_u8(w, 0);
	memset(&n, 0, sizeof(n));
	n.fam = BGP_FAM_VPNV4;
	n.pfx.afi = 1;
	n.labels.n = 1;
	if (rd_parse("65000:100", &n.rd) != 0)
		exit(1);
	for (i = 0; i < max; i++) {
		uint32_t k = first + i;
		size_t before = wbuf_mark(w);

		n.pfx.len = 32;
		n.pfx.b[0] = 10;
		n.pfx.b[1] = (uint8_t)(k >> 16);
		n.pfx.b[2] = (uint8_t)(k >> 8);
		n.pfx.b[3] = (uint8_t)k;
		n.labels.e[0] = label_entry(16 + (k & 0xffff), true);
		bgp_nlri_encode(w, &n, false, false);
		if (!wbuf_ok(w) || wbuf_room(w) < 11) {
			wbuf_truncate(w, before);
			break;
		}
	}
	bgp_attr_end(w, mp);
	bgp_attr_put(w, BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE, BGP_ATTR_EXT_COMMUNITIES, rt.b, 8);
	wbuf_patch_u16(w, mark, (uint16_t)(wbuf_len(w) - mark - 2));
	bgp_hdr_end(w, hdr);
	return i;
}

static rde_peer_id add_peer(struct rde *rde, const char *addr, const struct bgp_sess_params *sp)
{
	struct rde_peer_config pc;
	struct ipaddr local;
	rde_peer_id id;

	memset(&pc, 0, sizeof(pc));
	if (ipaddr_parse(addr, &pc.address) != 0)
		exit(1);
	pc.remote_as = 65000;
	pc.rr_client = true;
	pc.families = sp->fams;
	pc.name = addr;
	id = rde_peer_add(rde, &pc);
	ipaddr_from_v4(&local, 0xc6336401);
	rde_peer_up(rde, id, sp, pc.address.b[3], &local);
	return id;
}

int main(int argc, char **argv)
{
	unsigned routes = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000000;
	size_t cap = (size_t)routes * 20 + BGP_MAX_LEN * 4, len = 0, rss0, rss1;
	uint8_t *stream = malloc(cap);
	struct rde_config cfg = {
	    .local_as = 65000, .router_id = 0xc6336401, .cluster_id = 0xc6336401};
	struct bgp_sess_params sp;
	struct out out = {0};
	struct rde *rde;
	struct rbuf st;
	unsigned built = 0, msgs = 0;
	rde_peer_id from;
	double t0, t1, t2;
	struct json_object *mem;
	int64_t total;

	if (!stream)
		return 1;
	while (built < routes) {
		struct wbuf w;

		wbuf_init(&w, stream + len, BGP_MAX_LEN);
		built += build_update(&w, built, routes - built);
		len += wbuf_len(&w);
		msgs++;
	}
	bgp_sess_params_default(&sp);
	sp.ibgp = true;
	sp.fams = bgp_fam_bit(BGP_FAM_VPNV4);
	rde = rde_new(&cfg, cb_send, cb_room, &out);
	if (!rde)
		return 1;
	from = add_peer(rde, "192.0.2.1", &sp);
	add_peer(rde, "192.0.2.2", &sp);
	while (rde_work(rde, 1000))
		;
	out.msgs = out.bytes = 0;
	rss0 = mem_rss();
	t0 = bench_now();
	rbuf_init(&st, stream, len);
	while (!rbuf_empty(&st)) {
		struct bgp_verdict v;
		struct rbuf msg, body;
		uint8_t type;

		bgp_verdict_init(&v);
		if (bgp_hdr_split(&st, BGP_MAX_LEN, &type, &msg, &body, &v) != 1)
			return 1;
		rde_update(rde, from, &body, &v);
		if (v.action != BGP_ACT_OK)
			return 1;
	}
	t1 = bench_now();
	while (rde_work(rde, 1000))
		;
	t2 = bench_now();
	rss1 = mem_rss();
	mem = rde_show_memory(rde);
	total = json_object_get_int64(json_object_object_get(mem, "total_bytes"));
	printf("rde_bench: %u VPN-IPv4 routes in %u UPDATEs from one peer, reflected to one\n",
	       routes, msgs);
	printf("  in  (decode + RIB + decision): %7.3f s  %10.0f routes/s\n", t1 - t0,
	       routes / (t1 - t0));
	printf("  out (adj-out + encode):        %7.3f s  %10.0f routes/s  (%llu UPDATEs, %llu "
	       "bytes)\n",
	       t2 - t1, routes / (t2 - t1), (unsigned long long)out.msgs,
	       (unsigned long long)out.bytes);
	printf("  memory: %.1f bytes/route (RDE accounting, %lld bytes), %.1f bytes/route (RSS "
	       "growth)\n",
	       (double)total / routes, (long long)total, (double)(rss1 - rss0) / routes);
	printf("  %s\n", json_object_to_json_string_ext(json_object_object_get(mem, "types"),
							JSON_C_TO_STRING_PLAIN));
	json_object_put(mem);
	rde_free(rde);
	free(stream);
	return out.msgs == 0;
}
