/*
 * decode_bench: VPN-IPv4 NLRI decode throughput of the wire codec.
 *
 * Builds a stream of full UPDATE messages (MP_REACH_NLRI for ipv4-vpn, one
 * label, RD type 0, /24../32 prefixes, a realistic attribute set with a
 * route target) with our own encoder, then times, in the same run:
 *   anchor: a plain pass over the same bytes (sum of all bytes), the floor
 *           any decoder has to pay to touch the input once;
 *   decode: header split + bgp_update_decode (full RFC 7606 validation,
 *           which walks every NLRI once) + a second walk of every NLRI with
 *           bgp_nlri_decode into a struct, as a RIB would.
 * Prints NLRIs per second for both and the ratio decode/anchor.
 *
 * Usage: decode_bench [ROUTES] [ROUNDS]   (default 1000000 routes, 5 rounds)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "lib/ecomm.h"
#include "lib/rbuf.h"
#include "lib/rd.h"
#include "lib/wbuf.h"
#include "wire/msg.h"
#include "wire/nlri.h"
#include "wire/update.h"

/* One UPDATE holding NLRIs [first, first+n) ; returns how many fit. */
static unsigned build_update(struct wbuf *w, uint32_t first, unsigned max)
{
	static const uint8_t aspath[] = {2,    2, 0, 0,	   0xfd,
					 0xe9, 0, 0, 0xfd, 0xea}; /* 65001 65002 */
	struct ecomm rt;
	struct bgp_nlri n;
	size_t hdr, mp, mark;
	unsigned i;
	uint8_t origin = 0;
	uint8_t lp[4] = {0, 0, 0, 100};

	if (ecomm_parse("target:65000:100", &rt) != 0)
		exit(1);
	hdr = bgp_hdr_begin(w, BGP_MSG_UPDATE);
	wbuf_u16(w, 0); /* withdrawn routes length */
	mark = wbuf_mark(w);
	wbuf_u16(w, 0); /* total path attribute length */
	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_ORIGIN, &origin, 1);
	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_AS_PATH, aspath, sizeof(aspath));
	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_LOCAL_PREF, lp, 4);
	mp = bgp_attr_begin(w, BGP_AF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI);
	wbuf_u16(w, BGP_AFI_IPV4);
	wbuf_u8(w, BGP_SAFI_VPN);
	wbuf_u8(w, 12); /* RD 0 + IPv4 next hop, RFC 4364 s4.3.2 */
	wbuf_zero(w, 8);
	wbuf_u32(w, 0xc6120001); /* 198.18.0.1 */
	wbuf_u8(w, 0);		 /* reserved */
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
		/* keep room for the ext-communities attribute (3 + 8) */
		if (!wbuf_ok(w) || wbuf_room(w) < 11) {
			wbuf_truncate(w, before);
			break;
		}
	}
	bgp_attr_end(w, mp);
	bgp_attr_put(w, BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE, BGP_ATTR_EXT_COMMUNITIES, rt.b, 8);
	wbuf_patch_u16(w, mark, (uint16_t)(wbuf_mark(w) - mark - 2));
	bgp_hdr_end(w, hdr);
	return i;
}

int main(int argc, char **argv)
{
	unsigned routes = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000000;
	unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 5;
	size_t cap = (size_t)routes * 20 + BGP_MAX_LEN * 4;
	uint8_t *stream = malloc(cap);
	struct bgp_sess_params p;
	size_t len = 0;
	unsigned built = 0, msgs = 0;
	double best_dec = 1e9, best_anchor = 1e9;
	volatile uint64_t sink = 0;

	if (!stream)
		return 1;
	while (built < routes) {
		struct wbuf w;

		wbuf_init(&w, stream + len, BGP_MAX_LEN);
		built += build_update(&w, built, routes - built);
		if (!wbuf_ok(&w))
			return 1;
		len += wbuf_len(&w);
		msgs++;
	}
	bgp_sess_params_default(&p);
	p.ibgp = true; /* PE to route reflector: LOCAL_PREF is expected */
	for (unsigned r = 0; r < rounds; r++) {
		double t0 = bench_now();
		uint64_t s = 0;

		for (size_t i = 0; i < len; i++)
			s += stream[i];
		sink += s;
		double t1 = bench_now();
		struct rbuf st;
		unsigned seen = 0;

		rbuf_init(&st, stream, len);
		while (!rbuf_empty(&st)) {
			struct bgp_verdict v;
			struct bgp_update u;
			struct bgp_nlri n;
			struct rbuf msg, body, f;
			uint8_t type;

			bgp_verdict_init(&v);
			if (bgp_hdr_split(&st, BGP_MAX_LEN, &type, &msg, &body, &v) != 1 ||
			    !bgp_update_decode(&body, &p, &u, &v) || v.action != BGP_ACT_OK) {
				fprintf(stderr, "decode_bench: our own stream did not decode: %s\n",
					bgp_err_desc(v.err)->name);
				return 1;
			}
			f = u.a.mp_nlri;
			while (!rbuf_empty(&f)) {
				if (!bgp_nlri_decode(&f, BGP_FAM_VPNV4, false, false, &n, &v,
						     BGP_E_MP_REACH_NLRI))
					return 1;
				seen++;
				sink += n.pfx.b[3];
			}
		}
		double t2 = bench_now();
		if (seen != routes) {
			fprintf(stderr, "decode_bench: saw %u of %u routes\n", seen, routes);
			return 1;
		}
		if (t1 - t0 < best_anchor)
			best_anchor = t1 - t0;
		if (t2 - t1 < best_dec)
			best_dec = t2 - t1;
	}
	printf("decode_bench: %u VPN-IPv4 routes in %u UPDATEs (%zu bytes), best of %u rounds\n",
	       routes, msgs, len, rounds);
	printf("  anchor (one pass over the bytes): %8.3f s  %12.0f routes/s\n", best_anchor,
	       routes / best_anchor);
	printf("  decode (validate + walk NLRI):    %8.3f s  %12.0f routes/s\n", best_dec,
	       routes / best_dec);
	printf("  decode time / anchor time: %.1f\n", best_dec / best_anchor);
	free(stream);
	return sink == 0xdeadbeef; /* keep the loops */
}
