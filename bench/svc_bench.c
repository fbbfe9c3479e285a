/*
 * svc_bench: service-chain resolution at scale, no sockets.
 *
 * One service-PE's out-VRF (S-PE-A of the draft's Figure 1) with the
 * service topology T = (Serv-A, Serv-B): N zone prefixes from PE-2 carry
 * T's RT, so each one resolves to "next node Serv-B" (draft s4.1.3).
 * Measures:
 *   resolve:  svc_vpn_route_update() of N prefixes with commits every 4096
 *             (the FIB backend only counts ops), routes/s;
 *   memory:   svc_bytes() (svc's own accounting: VPN table, VRF table,
 *             next hops, FIB desired state) and RSS growth, bytes/prefix;
 *   re-point: Serv-B's service route moves to another PE and label; time
 *             and FIB ops of that one update + commit (the indirection
 *             makes both independent of N);
 *   chain:    a node is inserted into T (Serv-C between A and B); time and
 *             FIB ops;
 *   last-hop: every node after Serv-A is removed, so each prefix takes its
 *             own next hop and label: the one chain change that walks the
 *             VRF (time and FIB ops grow with N; svc_work() does it 4096
 *             routes per call, the longest call is reported).
 * The re-point and chain figures are also taken at N=1000 in the same run
 * for comparison.  Asserts nothing about time.
 *
 * Usage: svc_bench [N] [4|6]   (default 1000000 prefixes, IPv6 /64s from
 * 2001:db8::/32; IPv4 uses /32s from 198.18.0.0/15, at most 131072)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "core/mem.h"
#include "svc/svc.h"

static uint64_t fib_ops;

static int count_apply(void *ctx, uint64_t gen, const struct fib_op *ops, size_t n)
{
	(void)ctx;
	(void)gen;
	(void)ops;
	fib_ops += n;
	return 0;
}

static const struct fib_backend_ops count_ops = {.name = "count", .apply = count_apply};

/* Finish queued walks 4096 routes per call, committing after each, as
 * vtopod's loop would; returns the longest single call in seconds. */
static double drain(struct svc *svc)
{
	double worst = 0;

	for (;;) {
		double t = bench_now();
		bool more = svc_work(svc, 4096);

		if (svc_commit(svc) != 0)
			more = false;
		t = bench_now() - t;
		if (t > worst)
			worst = t;
		if (!more)
			return worst;
	}
}

static void die(const char *what)
{
	fprintf(stderr, "svc_bench: %s failed\n", what);
	exit(1);
}

static struct ipaddr ip(const char *s)
{
	struct ipaddr a;

	if (ipaddr_parse(s, &a) != 0)
		die(s);
	return a;
}

static void service_route(struct svc *svc, const char *rd, const char *p, const char *nh,
			  uint32_t label)
{
	struct svc_vpn_route r;
	struct ecomm vpn;

	memset(&r, 0, sizeof(r));
	if (rd_parse(rd, &r.rd) != 0 || prefix_parse(p, &r.prefix) != 0 ||
	    ecomm_rt_parse("65000:100", &vpn) != 0)
		die("parse");
	r.nexthop = ip(nh);
	r.label = label;
	r.rts = &vpn;
	r.n_rts = 1;
	r.local_pref = 100;
	if (svc_vpn_route_update(svc, &r) != 0)
		die("service route");
}

static void topology(struct svc *svc, bool with_c)
{
	struct svc_topology t;

	memset(&t, 0, sizeof(t));
	strcpy(t.name, "T");
	if (ecomm_rt_parse("65000:1001", &t.rt) != 0)
		die("rt");
	t.hops[t.n_hops++].ip4 = ip("198.51.100.1");
	if (with_c)
		t.hops[t.n_hops++].ip4 = ip("198.51.100.3");
	t.hops[t.n_hops++].ip4 = ip("198.51.100.2");
	t.hops[0].ip6 = ip("2001:db8:100::1");
	t.hops[t.n_hops - 1].ip6 = ip("2001:db8:100::2");
	if (with_c)
		t.hops[1].ip6 = ip("2001:db8:100::3");
	if (svc_topology_set(svc, &t) != 0)
		die("topology");
}

static struct svc *setup(struct fib **fib)
{
	struct svc_config c;
	struct vrf_config v;
	struct svc_node n;
	struct svc *svc;

	memset(&c, 0, sizeof(c));
	c.local4 = ip("198.18.0.2");
	*fib = fib_new(&count_ops, NULL);
	svc = svc_new(&c, *fib, NULL, NULL);
	if (svc == NULL)
		die("svc_new");
	memset(&v, 0, sizeof(v));
	v.id = 3;
	strcpy(v.name, "in-a");
	if (rd_parse("65000:21", &v.rd) != 0 || svc_vrf_set(svc, &v) != 0)
		die("vrf in-a");
	v.id = 4;
	strcpy(v.name, "out-a");
	if (rd_parse("65000:22", &v.rd) != 0 || ecomm_rt_parse("65000:100", &v.import_rt[0]) ||
	    ecomm_rt_parse("65000:1001", &v.import_rt[1]))
		die("vrf out-a");
	v.n_import = 2;
	if (svc_vrf_set(svc, &v) != 0)
		die("vrf out-a");
	memset(&n, 0, sizeof(n));
	n.ifc = 31;
	strcpy(n.name, "serv-a");
	n.in_vrf = 3;
	n.out_vrf = 4;
	n.ip4 = ip("198.51.100.1");
	n.ip6 = ip("2001:db8:100::1");
	if (svc_node_set(svc, &n) != 0)
		die("node");
	topology(svc, false);
	service_route(svc, "65000:31", "198.51.100.2/32", "198.18.0.3", 3001);
	service_route(svc, "65000:31", "2001:db8:100::2/128", "198.18.0.3", 3002);
	service_route(svc, "65000:61", "198.51.100.3/32", "198.18.0.6", 6001);
	service_route(svc, "65000:61", "2001:db8:100::3/128", "198.18.0.6", 6002);
	(void)drain(svc);
	return svc;
}

static void zone_prefix(struct prefix *p, uint32_t i, bool v6)
{
	memset(p, 0, sizeof(*p));
	if (v6) {
		p->afi = AFI_IPV6;
		p->len = 64;
		p->b[0] = 0x20;
		p->b[1] = 0x01;
		p->b[2] = 0x0d;
		p->b[3] = 0xb8;
		p->b[4] = (uint8_t)(i >> 24);
		p->b[5] = (uint8_t)(i >> 16);
		p->b[6] = (uint8_t)(i >> 8);
		p->b[7] = (uint8_t)i;
	} else {
		uint32_t a = 0xc6120000u + i; /* 198.18.0.0/15 */

		p->afi = AFI_IPV4;
		p->len = 32;
		p->b[0] = (uint8_t)(a >> 24);
		p->b[1] = (uint8_t)(a >> 16);
		p->b[2] = (uint8_t)(a >> 8);
		p->b[3] = (uint8_t)a;
	}
}

struct result {
	double resolve_s, repoint_s, chain_s, walk_s, walk_worst_s;
	uint64_t repoint_ops, chain_ops, walk_ops;
	size_t bytes, rss;
};

static void run(uint32_t n, bool v6, struct result *res)
{
	struct fib *fib;
	struct svc *svc;
	struct ecomm rts[2];
	struct svc_vpn_route r;
	size_t rss0 = mem_rss();
	double t0;
	uint64_t ops0;

	svc = setup(&fib);
	if (ecomm_rt_parse("65000:2", &rts[0]) != 0 || ecomm_rt_parse("65000:1001", &rts[1]) != 0 ||
	    rd_parse("65000:41", &r.rd) != 0)
		die("parse");
	memset(&r, 0, sizeof(r));
	if (rd_parse("65000:41", &r.rd) != 0)
		die("rd");
	r.nexthop = ip("198.18.0.4");
	r.rts = rts;
	r.n_rts = 2;
	r.local_pref = 100;
	t0 = bench_now();
	for (uint32_t i = 0; i < n; i++) {
		zone_prefix(&r.prefix, i, v6);
		r.label = 16 + (i & 0xffff);
		if (svc_vpn_route_update(svc, &r) != 0)
			die("zone route");
		if ((i & 4095) == 4095 && svc_commit(svc) != 0)
			die("commit");
	}
	if (svc_commit(svc) != 0)
		die("commit");
	res->resolve_s = bench_now() - t0;
	res->bytes = svc_bytes(svc);
	res->rss = mem_rss() - rss0;

	ops0 = fib_ops;
	t0 = bench_now();
	service_route(svc, "65000:31", v6 ? "2001:db8:100::2/128" : "198.51.100.2/32", "198.18.0.5",
		      5005);
	if (svc_commit(svc) != 0)
		die("commit");
	res->repoint_s = bench_now() - t0;
	res->repoint_ops = fib_ops - ops0;

	ops0 = fib_ops;
	t0 = bench_now();
	topology(svc, true);
	(void)drain(svc);
	res->chain_s = bench_now() - t0;
	res->chain_ops = fib_ops - ops0;

	/* every node after Serv-A removed: out-a becomes the last hop and
	 * each prefix takes its own next hop and label (draft s4.1.3 step 4):
	 * a walk of the VRF, O(N) by nature */
	ops0 = fib_ops;
	t0 = bench_now();
	{
		struct svc_topology t;

		memset(&t, 0, sizeof(t));
		strcpy(t.name, "T");
		if (ecomm_rt_parse("65000:1001", &t.rt) != 0)
			die("rt");
		t.hops[0].ip4 = ip("198.51.100.1");
		t.hops[0].ip6 = ip("2001:db8:100::1");
		t.n_hops = 1;
		if (svc_topology_set(svc, &t) != 0)
			die("last hop");
		res->walk_worst_s = drain(svc);
	}
	res->walk_s = bench_now() - t0;
	res->walk_ops = fib_ops - ops0;
	svc_free(svc);
	fib_free(fib);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
	bool v6 = argc > 2 ? atoi(argv[2]) == 6 : true;
	struct result big, small;

	if (!v6 && n > 131072)
		n = 131072;
	if (n == 0)
		die("N");
	run(1000, v6, &small);
	run(n, v6, &big);
	printf("svc_bench: %u IPv%d prefixes behind one chain\n", n, v6 ? 6 : 4);
	printf("resolve:  %.3f s, %.0f prefixes/s\n", big.resolve_s, n / big.resolve_s);
	printf("memory:   %.1f bytes/prefix (svc accounting), %.1f bytes/prefix (RSS growth)\n",
	       (double)big.bytes / n, (double)big.rss / n);
	printf("re-point: N=%u: %.6f s, %llu FIB ops; N=1000: %.6f s, %llu FIB ops\n", n,
	       big.repoint_s, (unsigned long long)big.repoint_ops, small.repoint_s,
	       (unsigned long long)small.repoint_ops);
	printf("insert:   N=%u: %.6f s, %llu FIB ops; N=1000: %.6f s, %llu FIB ops\n", n,
	       big.chain_s, (unsigned long long)big.chain_ops, small.chain_s,
	       (unsigned long long)small.chain_ops);
	printf("last-hop: N=%u: %.3f s, %llu FIB ops (a walk: every prefix re-bound), "
	       "longest step %.6f s\n",
	       n, big.walk_s, (unsigned long long)big.walk_ops, big.walk_worst_s);
	/* a correctness check, not a timing one: the indirection must hold */
	if (big.repoint_ops != small.repoint_ops || big.chain_ops != small.chain_ops) {
		fprintf(stderr, "svc_bench: FIB ops depend on N\n");
		return 1;
	}
	return 0;
}
