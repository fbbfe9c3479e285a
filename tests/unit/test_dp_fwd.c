/*
 * Unit tests for dp/dp_fwd: the ICMP errors vtopo-dp sends (RFC 792) when
 * it is programmed as vtopod programs it, with no address on its
 * interfaces.  Frames go out through a stub of dp_io_send that keeps the
 * last one; packets are built by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dp/dp_fwd.h"

static uint8_t sent[2048];
static size_t sent_len;
static unsigned n_sent;

int dp_io_send(struct dp_if *ifc, const void *frame, size_t len)
{
	(void)ifc;
	if (len > sizeof(sent))
		return -1;
	memcpy(sent, frame, len);
	sent_len = len;
	n_sent++;
	return 0;
}

int dp_io_udp_send(struct dp_ctx *dp, const void *to, unsigned tolen, const struct iovec *iov,
		   int n)
{
	struct msghdr mh = {.msg_name = (void *)(uintptr_t)to,
			    .msg_namelen = tolen,
			    .msg_iov = (struct iovec *)(uintptr_t)iov,
			    .msg_iovlen = (size_t)n};

	return sendmsg(dp->udp_fd, &mh, MSG_DONTWAIT) >= 0 ? 0 : -1;
}

static const uint8_t host_mac[6] = {0x02, 0, 0, 0, 0, 0x10};

static void addr(const char *s, struct ipaddr *a)
{
	assert_int_equal(ipaddr_parse(s, a), 0);
}

static void pfx(const char *s, unsigned len, struct prefix *p)
{
	struct ipaddr a;

	addr(s, &a);
	memset(p, 0, sizeof(*p));
	p->afi = a.afi;
	p->len = (uint8_t)len;
	memcpy(p->b, a.b, sizeof(p->b));
}

/* VRF 1; interface 1 (the host's, address ifaddr or none); 203.0.113.10/32
 * on it, 203.0.113.70/32 through a tunnel to PE 198.18.0.4 label 16 (as
 * vtopod programs PE-1 of Figure 1) */
static struct dp_if *setup(struct dp_ctx *dp, const char *ifaddr)
{
	struct fib_op ops[6];
	struct dp_if *ifc;

	memset(dp, 0, sizeof(*dp));
	memset(ops, 0, sizeof(ops));
	dp_state_init(&dp->st);
	/* an underlay socket; these packets never reach it */
	dp->udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(dp->udp_fd >= 0);
	dp->underlay_mtu = 1500;
	addr("198.18.0.1", &dp->underlay);
	ops[0].type = FIB_OP_VRF_SET;
	ops[0].u.vrf.id = 1;
	strcpy(ops[0].u.vrf.name, "zone1");
	ops[1].type = FIB_OP_IF_SET;
	ops[1].u.ifc.id = 1;
	strcpy(ops[1].u.ifc.name, "vm1-if");
	ops[1].u.ifc.role = FIB_IF_ATTACH;
	ops[1].u.ifc.vrf = 1;
	if (ifaddr) {
		pfx(ifaddr, 26, &ops[1].u.ifc.addr[0]);
		ops[1].u.ifc.n_addr = 1;
	}
	ops[2].type = FIB_OP_NH_SET;
	ops[2].u.nh.id = 1;
	ops[2].u.nh.type = FIB_NH_LOCAL;
	ops[2].u.nh.ifc = 1;
	ops[3].type = FIB_OP_NH_SET;
	ops[3].u.nh.id = 2;
	ops[3].u.nh.type = FIB_NH_TUNNEL;
	addr("198.18.0.4", &ops[3].u.nh.pe);
	ops[3].u.nh.labels[0] = 16;
	ops[3].u.nh.n_labels = 1;
	ops[4].type = FIB_OP_ROUTE_SET;
	ops[4].u.route.vrf = 1;
	pfx("203.0.113.10", 32, &ops[4].u.route.prefix);
	ops[4].u.route.nh = 1;
	ops[5].type = FIB_OP_ROUTE_SET;
	ops[5].u.route.vrf = 1;
	pfx("203.0.113.70", 32, &ops[5].u.route.prefix);
	ops[5].u.route.nh = 2;
	assert_int_equal(dp_state_apply(&dp->st, 1, ops, 6), 0);
	ifc = dp_if_get(&dp->st, 1);
	assert_non_null(ifc);
	/* what dp_io would have found: an open socket, a MAC, an MTU; and
	 * the host's MAC, as if it had sent an ARP request */
	ifc->fd = 0;
	ifc->mtu = 1500;
	memcpy(ifc->mac, (uint8_t[6]){0x02, 0, 0, 0, 0, 0x01}, 6);
	memcpy(&ifc->arp[0].ip, (uint8_t[4]){203, 0, 113, 10}, 4);
	memcpy(ifc->arp[0].mac, host_mac, 6);
	ifc->n_arp = 1;
	sent_len = 0;
	n_sent = 0;
	return ifc;
}

static void teardown(struct dp_ctx *dp)
{
	close(dp->udp_fd);
	dp_state_free(&dp->st);
}

static uint16_t sum16(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet + IPv4 echo request 203.0.113.10 -> 203.0.113.70 with this TTL */
static size_t echo_frame(uint8_t *f, const struct dp_if *ifc, uint8_t ttl)
{
	uint8_t *ip = f + 14;

	memset(f, 0, 14 + 28);
	memcpy(f, ifc->mac, 6);
	memcpy(f + 6, host_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = 28;
	ip[8] = ttl;
	ip[9] = 1;
	memcpy(ip + 12, (uint8_t[4]){203, 0, 113, 10}, 4);
	memcpy(ip + 16, (uint8_t[4]){203, 0, 113, 70}, 4);
	ip[20] = 8; /* echo request */
	ip[24] = 0x12;
	ip[26] = 0x00;
	ip[27] = 0x01;
	uint16_t c = sum16(ip + 20, 8);
	ip[22] = (uint8_t)(c >> 8);
	ip[23] = (uint8_t)c;
	c = sum16(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	return 14 + 28;
}

/* The ICMP error sent back to the host: its source, type and code. */
static void assert_icmp_error(const char *src, uint8_t type, uint8_t code)
{
	const uint8_t *ip = sent + 14;
	struct ipaddr a;

	assert_int_equal(n_sent, 1);
	assert_true(sent_len >= 14 + 28);
	assert_memory_equal(sent, host_mac, 6);
	assert_int_equal(ip[9], 1);
	addr(src, &a);
	assert_memory_equal(ip + 12, a.b, 4);
	assert_memory_equal(ip + 16, ((uint8_t[4]){203, 0, 113, 10}), 4);
	assert_int_equal(sum16(ip, 20), 0);
	assert_int_equal(ip[20], type);
	assert_int_equal(ip[21], code);
	/* the quote: the original header (RFC 792) */
	assert_memory_equal(ip + 28 + 12, ((uint8_t[4]){203, 0, 113, 10}), 4);
}

/* RFC 792 time exceeded for a TTL-1 packet on an interface without an
 * address: from the router's own address (RFC 1812 s4.3.2.4), not
 * silently dropped */
static void test_ttl_no_ifaddr(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup(&dp, NULL);
	uint8_t f[64];
	size_t n = echo_frame(f, ifc, 1);

	(void)state;
	dp_fwd_frame(&dp, ifc, f, n);
	assert_icmp_error("198.18.0.1", 11, 0);
	assert_int_equal(dp.g[DP_G_TTL_EXPIRED].pkts, 1);
	teardown(&dp);
}

/* ... and from the interface's own address when it has one */
static void test_ttl_ifaddr(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup(&dp, "203.0.113.1");
	uint8_t f[64];
	size_t n = echo_frame(f, ifc, 1);

	(void)state;
	dp_fwd_frame(&dp, ifc, f, n);
	assert_icmp_error("203.0.113.1", 11, 0);
	teardown(&dp);
}

/* RFC 1191 fragmentation needed, the same way: a 1500-octet DF packet
 * does not fit the tunnel (32 octets of IPv4/UDP/label, RFC 7510 s5) */
static void test_frag_needed_no_ifaddr(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup(&dp, NULL);
	static uint8_t f[14 + 1500];
	uint8_t *ip = f + 14;
	size_t n = echo_frame(f, ifc, 64);

	(void)state;
	(void)n;
	ip[2] = 1500 >> 8;
	ip[3] = 1500 & 0xff;
	ip[6] = 0x40; /* DF */
	ip[10] = ip[11] = 0;
	uint16_t c = sum16(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	dp_fwd_frame(&dp, ifc, f, sizeof(f));
	assert_icmp_error("198.18.0.1", 3, 4);
	assert_int_equal(sent[14 + 26] << 8 | sent[14 + 27], 1500 - 32);
	teardown(&dp);
}

/* RFC 1122 s2.3.2.2: packets to a neighbour not yet resolved wait for
 * its ARP reply instead of being dropped (a service node put into a
 * running chain loses none of its first packets); at most DP_ARP_WAIT,
 * the oldest given up first, sent oldest first once the reply comes. */
static void test_arp_wait(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup(&dp, NULL);
	static const uint8_t node_mac[6] = {0x02, 0, 0, 0, 0, 0x70};
	struct fib_op op;
	uint8_t f[64];
	size_t n;

	(void)state;
	/* 203.0.113.70 now on the interface itself, its MAC unknown */
	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_ROUTE_SET;
	op.u.route.vrf = 1;
	pfx("203.0.113.70", 32, &op.u.route.prefix);
	op.u.route.nh = 1;
	assert_int_equal(dp_state_apply(&dp.st, 2, &op, 1), 0);
	for (uint8_t ttl = 64; ttl > 64 - (DP_ARP_WAIT + 1); ttl--) {
		n = echo_frame(f, ifc, ttl);
		dp_fwd_frame(&dp, ifc, f, n);
		/* each an ARP request for 203.0.113.70 (RFC 826), nothing else */
		assert_int_equal(sent[12] << 8 | sent[13], 0x0806);
		assert_int_equal(sent[14 + 7], 1);
		assert_memory_equal(sent + 14 + 24, ((uint8_t[4]){203, 0, 113, 70}), 4);
	}
	assert_int_equal(n_sent, DP_ARP_WAIT + 1);
	assert_int_equal(dp.g[DP_G_ARP_MISS].pkts, DP_ARP_WAIT + 1);
	assert_int_equal(ifc->drop.pkts, 1); /* the oldest, TTL 64 */

	/* the reply: the kept packets go to the node's MAC */
	memset(f, 0, sizeof(f));
	memcpy(f, ifc->mac, 6);
	memcpy(f + 6, node_mac, 6);
	f[12] = 0x08, f[13] = 0x06;
	f[15] = 1, f[16] = 0x08, f[18] = 6, f[19] = 4, f[21] = 2;
	memcpy(f + 22, node_mac, 6);
	memcpy(f + 28, (uint8_t[4]){203, 0, 113, 70}, 4);
	memcpy(f + 32, ifc->mac, 6);
	n_sent = 0;
	dp_fwd_frame(&dp, ifc, f, 14 + 28);
	assert_int_equal(n_sent, DP_ARP_WAIT);
	assert_memory_equal(sent, node_mac, 6);
	assert_int_equal(sent[12] << 8 | sent[13], 0x0800);
	/* the last sent is the newest (TTL 64 - DP_ARP_WAIT), decremented once */
	assert_int_equal(sent[14 + 8], 64 - DP_ARP_WAIT - 1);
	assert_int_equal(sum16(sent + 14, 20), 0);
	assert_memory_equal(sent + 14 + 16, ((uint8_t[4]){203, 0, 113, 70}), 4);
	/* nothing left: another reply sends nothing */
	n_sent = 0;
	dp_fwd_frame(&dp, ifc, f, 14 + 28);
	assert_int_equal(n_sent, 0);
	teardown(&dp);
}

/* An ARP request from the host for tip; n_sent and sent tell the answer. */
static void arp_ask(struct dp_ctx *dp, struct dp_if *ifc, const uint8_t *tip)
{
	uint8_t f[64];

	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	memcpy(f + 6, host_mac, 6);
	f[12] = 0x08, f[13] = 0x06;
	f[15] = 1, f[16] = 0x08, f[18] = 6, f[19] = 4, f[21] = 1; /* RFC 826 request */
	memcpy(f + 22, host_mac, 6);
	memcpy(f + 28, (uint8_t[4]){203, 0, 113, 10}, 4);
	memcpy(f + 38, tip, 4);
	n_sent = 0;
	dp_fwd_frame(dp, ifc, f, 14 + 28);
}

/* Draft s4.1.5: a destination steered by a flow rule alone, with no route
 * in the VRF (a service out-VRF that imports the flow route but not the
 * zone's routes), is answered by proxy-ARP all the same, or the service
 * node could never send the flow back; a destination outside every
 * rule's destination prefix and every route is not. */
static void test_arp_flow_only(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup(&dp, NULL);
	/* RFC 8955 s4.2.2: destination 203.0.113.80/32, protocol TCP, port 80 */
	static const uint8_t comp[] = {0x01, 32, 203, 0, 113, 80, 0x03, 0x81, 6, 0x05, 0x91, 0, 80};
	static const uint8_t t80[4] = {203, 0, 113, 80}, t81[4] = {203, 0, 113, 81};
	struct fib_op op;

	(void)state;
	arp_ask(&dp, ifc, t80);
	assert_int_equal(n_sent, 0); /* no route, no rule: not answered */
	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_FLOW_SET;
	op.u.flow.vrf = 1;
	op.u.flow.id = 1;
	op.u.flow.afi = AFI_IPV4;
	memcpy(op.u.flow.nlri, comp, sizeof(comp));
	op.u.flow.nlri_len = sizeof(comp);
	op.u.flow.nh = 2;
	assert_int_equal(dp_state_apply(&dp.st, 2, &op, 1), 0);
	arp_ask(&dp, ifc, t80);
	assert_int_equal(n_sent, 1);
	assert_memory_equal(sent, host_mac, 6);
	assert_int_equal(sent[14 + 7], 2);		 /* a reply */
	assert_memory_equal(sent + 14 + 8, ifc->mac, 6); /* sender: vtopo-dp */
	assert_memory_equal(sent + 14 + 14, t80, 4);	 /* for 203.0.113.80 */
	assert_memory_equal(sent + 14 + 24, ((uint8_t[4]){203, 0, 113, 10}), 4);
	assert_int_equal(dp.g[DP_G_ARP_PROXY].pkts, 1);
	arp_ask(&dp, ifc, t81);
	assert_int_equal(n_sent, 0);
	teardown(&dp);
}

/* A LOCAL next hop installed with a gateway not yet resolved is resolved
 * at once (a service node put into a chain), one already known is not
 * asked again, other next hops send nothing. */
static void test_resolve_on_install(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup(&dp, NULL);
	struct fib_nh nh;

	(void)state;
	(void)ifc;
	memset(&nh, 0, sizeof(nh));
	nh.type = FIB_NH_LOCAL;
	nh.ifc = 1;
	addr("203.0.113.99", &nh.gw);
	dp_fwd_resolve(&dp, &nh);
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent[12] << 8 | sent[13], 0x0806);
	assert_int_equal(sent[14 + 7], 1);
	assert_memory_equal(sent + 14 + 24, ((uint8_t[4]){203, 0, 113, 99}), 4);
	addr("203.0.113.10", &nh.gw); /* known (setup) */
	dp_fwd_resolve(&dp, &nh);
	assert_int_equal(n_sent, 1);
	addr("2001:db8:1::99", &nh.gw); /* IPv6: an NS */
	dp_fwd_resolve(&dp, &nh);
	assert_int_equal(n_sent, 2);
	assert_int_equal(sent[12] << 8 | sent[13], 0x86dd);
	assert_int_equal(sent[14 + 40], 135);
	nh.type = FIB_NH_TUNNEL;
	dp_fwd_resolve(&dp, &nh);
	nh.type = FIB_NH_LOCAL;
	nh.ifc = 9; /* no such interface */
	dp_fwd_resolve(&dp, &nh);
	assert_int_equal(n_sent, 2);
	teardown(&dp);
}

/* A LOCAL next hop with an IPv6 gateway cannot carry IPv4: the packet is
 * dropped and counted (no-nexthop), not sent to the destination as if it
 * were on the link (an ARP request for it nobody answers, the packet kept
 * and lost without a count).  A label that moved from an IPv4 service
 * node's next hop to its IPv6 one while a peer still sent IPv4 did that. */
static void test_v6_gateway_for_v4(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup(&dp, "203.0.113.1");
	struct fib_op op;
	uint8_t f[64];
	size_t n;

	(void)state;
	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_NH_SET;
	op.u.nh.id = 2;
	op.u.nh.type = FIB_NH_LOCAL;
	op.u.nh.ifc = 1;
	addr("2001:db8:1::99", &op.u.nh.gw);
	assert_int_equal(dp_state_apply(&dp.st, 2, &op, 1), 0);
	n = echo_frame(f, ifc, 64);
	dp_fwd_frame(&dp, ifc, f, n);
	assert_int_equal(dp.g[DP_G_NO_NH].pkts, 1);
	assert_int_equal(dp.g[DP_G_ARP_MISS].pkts, 0);
	assert_int_equal(n_sent, 0);
	teardown(&dp);
}

/* --- IPv6 --- */

/* zone 1 of Figure 1 in IPv6: VRF 1, interface 1 (the host's, address
 * ifaddr or none); 2001:db8:1::10/128 on it, 2001:db8:2::10/128 through a
 * tunnel to PE 198.18.0.4 label 16; the host's MAC known, as after its
 * first Neighbor Solicitation */
static const uint8_t h6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x10};
static const uint8_t r6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x10};
/* RFC 4291 appendix A: MAC 02:00:00:00:00:01 -> interface id 0000:00ff:fe00:0001 */
static const uint8_t dp_ll[16] = {0xfe, 0x80, [11] = 0xff, [12] = 0xfe, [15] = 0x01};
static const uint8_t host_ll[16] = {0xfe, 0x80, [11] = 0xff, [12] = 0xfe, [15] = 0x10};

static struct dp_if *setup6(struct dp_ctx *dp, const char *ifaddr)
{
	struct fib_op ops[4];
	struct dp_if *ifc = setup(dp, NULL);

	memset(ops, 0, sizeof(ops));
	ops[0].type = FIB_OP_ROUTE_SET;
	ops[0].u.route.vrf = 1;
	pfx("2001:db8:1::10", 128, &ops[0].u.route.prefix);
	ops[0].u.route.nh = 1;
	ops[1].type = FIB_OP_ROUTE_SET;
	ops[1].u.route.vrf = 1;
	pfx("2001:db8:2::10", 128, &ops[1].u.route.prefix);
	ops[1].u.route.nh = 2;
	ops[2].type = FIB_OP_IF_SET;
	ops[2].u.ifc.id = 1;
	strcpy(ops[2].u.ifc.name, "vm1-if");
	ops[2].u.ifc.role = FIB_IF_ATTACH;
	ops[2].u.ifc.vrf = 1;
	if (ifaddr) {
		pfx(ifaddr, 64, &ops[2].u.ifc.addr[0]);
		ops[2].u.ifc.n_addr = 1;
	}
	assert_int_equal(dp_state_apply(&dp->st, 2, ops, 3), 0);
	memcpy(ifc->nd[0].ip, h6, 16);
	memcpy(ifc->nd[0].mac, host_mac, 6);
	ifc->n_nd = 1;
	return ifc;
}

/* the ICMPv6 checksum (RFC 8200 s8.1) over the pseudo-header, computed
 * here independently: 0 when right */
static uint16_t sum6(const uint8_t *ip)
{
	uint32_t s = 0;
	size_t n = (size_t)(ip[4] << 8 | ip[5]);
	uint8_t ph[40];

	memcpy(ph, ip + 8, 32);
	memset(ph + 32, 0, 8);
	ph[34] = ip[4];
	ph[35] = ip[5];
	ph[39] = ip[6];
	for (size_t i = 0; i < 40; i += 2)
		s += (uint32_t)(ph[i] << 8 | ph[i + 1]);
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(ip[40 + i] << 8 | ip[40 + i + 1]);
	if (n & 1)
		s += (uint32_t)ip[40 + n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void fill_sum6(uint8_t *ip)
{
	ip[42] = ip[43] = 0;
	uint16_t c = sum6(ip);
	ip[42] = (uint8_t)(c >> 8);
	ip[43] = (uint8_t)c;
}

/* Ethernet + IPv6 header, next header nxt, plen octets of payload */
static uint8_t *frame6(uint8_t *f, const uint8_t *dmac, const uint8_t *src, const uint8_t *dst,
		       uint8_t nxt, uint8_t hlim, size_t plen)
{
	uint8_t *ip = f + 14;

	memset(f, 0, 14 + 40 + plen);
	memcpy(f, dmac, 6);
	memcpy(f + 6, host_mac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	ip[0] = 0x60;
	ip[4] = (uint8_t)(plen >> 8);
	ip[5] = (uint8_t)plen;
	ip[6] = nxt;
	ip[7] = hlim;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	return ip;
}

/* an NS from the host's link-local address for target (RFC 4861 s4.3),
 * with its source link-layer address option, to the solicited-node
 * multicast address */
static size_t ns_frame(uint8_t *f, const uint8_t *src, const uint8_t *target)
{
	uint8_t dst[16] = {0xff, 0x02, [11] = 1, [12] = 0xff};
	uint8_t dmac[6] = {0x33, 0x33, 0xff};
	uint8_t *ip, *m;

	memcpy(dst + 13, target + 13, 3);
	memcpy(dmac + 3, target + 13, 3);
	ip = frame6(f, dmac, src, dst, 58, 255, 32);
	m = ip + 40;
	m[0] = 135;
	memcpy(m + 8, target, 16);
	m[24] = 1;
	m[25] = 1;
	memcpy(m + 26, host_mac, 6);
	fill_sum6(ip);
	return 14 + 40 + 32;
}

/* proxy-ND: an NS for a zone-2 address the VRF routes through the tunnel
 * is answered, as RFC 4861 s4.4/s7.2.4/s7.2.8 say: NA to the host's MAC
 * and address, from vtopo-dp's link-local address, hop limit 255, R and S
 * set, O clear (a proxy), the target, our MAC in the target link-layer
 * address option, a valid checksum */
static void test_nd_proxy(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, NULL);
	uint8_t f[128];
	const uint8_t *ip = sent + 14, *m = ip + 40;

	(void)state;
	ifc->n_nd = 0;
	dp_fwd_frame(&dp, ifc, f, ns_frame(f, host_ll, r6));
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent_len, 14 + 40 + 32);
	assert_memory_equal(sent, host_mac, 6);
	assert_memory_equal(sent + 6, ifc->mac, 6);
	assert_int_equal(sent[12] << 8 | sent[13], 0x86dd);
	assert_int_equal(ip[0] >> 4, 6);
	assert_int_equal(ip[4] << 8 | ip[5], 32);
	assert_int_equal(ip[6], 58);
	assert_int_equal(ip[7], 255);
	assert_memory_equal(ip + 8, dp_ll, 16);
	assert_memory_equal(ip + 24, host_ll, 16);
	assert_int_equal(m[0], 136);
	assert_int_equal(m[1], 0);
	assert_int_equal(sum6(ip), 0);
	assert_int_equal(m[4], 0xc0); /* R, S; not O */
	assert_memory_equal(m + 8, r6, 16);
	assert_int_equal(m[24], 2);
	assert_int_equal(m[25], 1);
	assert_memory_equal(m + 26, ifc->mac, 6);
	/* the solicitation's source was learnt (s7.2.3) */
	assert_int_equal(ifc->n_nd, 1);
	assert_memory_equal(ifc->nd[0].ip, host_ll, 16);
	assert_int_equal(dp.g[DP_G_ND_ADVERT].pkts, 1);
	teardown(&dp);
}

/* not answered: the host's own address (it lives on this very link),
 * Duplicate Address Detection (unspecified source, RFC 4862 s5.4.2), an
 * address the VRF does not route, an NS with a bad checksum or a hop limit
 * below 255 (RFC 4861 s7.1.1) */
static void test_nd_not_answered(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, NULL);
	static const uint8_t unspec[16], other[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 9, [15] = 1};
	uint8_t f[128];
	size_t n;

	(void)state;
	dp_fwd_frame(&dp, ifc, f, ns_frame(f, host_ll, h6));
	n = ns_frame(f, unspec, r6); /* DAD: no source link-layer option */
	memset(f + 14 + 40 + 24, 0, 8);
	f[14 + 5] = 24;
	fill_sum6(f + 14);
	dp_fwd_frame(&dp, ifc, f, n - 8);
	dp_fwd_frame(&dp, ifc, f, ns_frame(f, host_ll, other));
	n = ns_frame(f, host_ll, r6);
	f[14 + 40 + 3] ^= 1; /* checksum */
	dp_fwd_frame(&dp, ifc, f, n);
	n = ns_frame(f, host_ll, r6);
	f[14 + 7] = 254; /* hop limit */
	dp_fwd_frame(&dp, ifc, f, n);
	assert_int_equal(n_sent, 0);
	assert_int_equal(dp.g[DP_G_BAD].pkts, 2);
	teardown(&dp);
}

/* an echo request h6 -> r6 (RFC 4443 s4.1) of plen octets */
static uint8_t *echo6(uint8_t *f, const struct dp_if *ifc, uint8_t hlim, size_t plen)
{
	uint8_t *ip = frame6(f, ifc->mac, h6, r6, 58, hlim, plen);

	ip[40] = 128;
	ip[45] = 1;
	fill_sum6(ip);
	return ip;
}

/* RFC 4443 s3.3: hop limit 1 -> Time Exceeded, code 0, from the
 * interface's address, to the source, quoting the packet */
static void test_hlim_expired(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, "2001:db8:1::1");
	static const uint8_t me[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1};
	uint8_t f[128];
	const uint8_t *ip = sent + 14;

	(void)state;
	echo6(f, ifc, 1, 16);
	dp_fwd_frame(&dp, ifc, f, 14 + 40 + 16);
	assert_int_equal(n_sent, 1);
	assert_memory_equal(sent, host_mac, 6);
	assert_int_equal(sent[12] << 8 | sent[13], 0x86dd);
	assert_int_equal(ip[6], 58);
	assert_memory_equal(ip + 8, me, 16);
	assert_memory_equal(ip + 24, h6, 16);
	assert_int_equal(ip[40], 3);
	assert_int_equal(ip[41], 0);
	assert_int_equal(ip[4] << 8 | ip[5], 8 + 40 + 16);
	assert_int_equal(sum6(ip), 0);
	assert_memory_equal(ip + 48, f + 14, 40 + 16); /* the whole packet */
	assert_int_equal(dp.g[DP_G_TTL_EXPIRED].pkts, 1);
	teardown(&dp);
}

/* ... with no IPv6 address on the interface or in the VRF (vtopod gives
 * none) and an IPv4 underlay: from the underlay address 198.18.0.1 in
 * the local-use prefix 64:ff9b:1::/96 (RFC 8215; RFC 6052 s2.2: the IPv4
 * address in the last 32 bits); with no underlay address at all: counted,
 * nothing sent */
static void test_hlim_expired_underlay_source(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, NULL);
	static const uint8_t emb[16] = {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, [12] = 198, 18, 0, 1};
	uint8_t f[128];

	(void)state;
	echo6(f, ifc, 1, 16);
	dp_fwd_frame(&dp, ifc, f, 14 + 40 + 16);
	assert_int_equal(n_sent, 1);
	assert_memory_equal(sent + 14 + 8, emb, 16);
	assert_int_equal(sent[14 + 40], 3);
	assert_int_equal(sum6(sent + 14), 0);
	memset(&dp.underlay, 0, sizeof(dp.underlay));
	/* (to the host's own link: no tunnel without an underlay) */
	memcpy(f + 14 + 24, h6, 16);
	fill_sum6(f + 14);
	dp_fwd_frame(&dp, ifc, f, 14 + 40 + 16);
	assert_int_equal(n_sent, 1);
	assert_int_equal(dp.g[DP_G_TTL_EXPIRED].pkts, 2);
	assert_int_equal(dp.g[DP_G_NO_SRC6].pkts, 1);
	teardown(&dp);
}

/* RFC 4443 s3.2 Packet Too Big: 1500 octets do not fit the tunnel (IPv4
 * 20 + UDP 8 + one label 4, RFC 7510 s5): MTU 1468, the quote cut to the
 * minimum MTU (1280 in all, s2.4 (c)); never fragmented */
static void test_packet_too_big(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, "2001:db8:1::1");
	static uint8_t f[14 + 1500];
	const uint8_t *ip = sent + 14;

	(void)state;
	echo6(f, ifc, 64, 1500 - 40);
	dp_fwd_frame(&dp, ifc, f, sizeof(f));
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent_len, 14 + 1280);
	assert_int_equal(ip[40], 2);
	assert_int_equal(ip[41], 0);
	assert_int_equal(ip[44] << 24 | ip[45] << 16 | ip[46] << 8 | ip[47], 1500 - 32);
	assert_int_equal(sum6(ip), 0);
	assert_int_equal(dp.g[DP_G_PKT_TOO_BIG].pkts, 1);
	assert_int_equal(dp.g[DP_G_ENCAP].pkts, 0);
	teardown(&dp);
}

/* from the underlay: label 16 -> LOCAL to the host; what follows the
 * bottom label is IPv6 by its first nibble (RFC 7510 s3); out with
 * EtherType 0x86dd and the hop limit decremented.  An unresolved
 * neighbour gets an NS to its solicited-node address (RFC 4861 s7.2.2) */
static void test_decap6(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, NULL);
	struct fib_op ops[2];
	struct ipaddr pe;
	uint8_t f[128], p[4 + 40 + 16];
	const uint8_t *ip = sent + 14;

	(void)state;
	memset(ops, 0, sizeof(ops));
	ops[0].type = FIB_OP_LABEL_SET;
	ops[0].u.label.label = 16;
	ops[0].u.label.nh = 1;
	ops[1].type = FIB_OP_PEER_SET;
	addr("198.18.0.4", &ops[1].u.peer.addr);
	assert_int_equal(dp_state_apply(&dp.st, 3, ops, 2), 0);
	addr("198.18.0.4", &pe);
	/* label 16, BoS, TTL 63; the echo reply r6 -> h6 */
	echo6(f, ifc, 63, 16);
	memcpy(f + 14 + 8, r6, 16);
	memcpy(f + 14 + 24, h6, 16);
	f[14 + 40] = 129;
	fill_sum6(f + 14);
	p[0] = 0;
	p[1] = 0x01;
	p[2] = 0x01;
	p[3] = 63;
	memcpy(p + 4, f + 14, 40 + 16);
	dp_fwd_udp(&dp, &pe, p, sizeof(p));
	assert_int_equal(dp.g[DP_G_DECAP].pkts, 1);
	assert_int_equal(n_sent, 1);
	assert_memory_equal(sent, host_mac, 6);
	assert_int_equal(sent[12] << 8 | sent[13], 0x86dd);
	assert_int_equal(ip[7], 62);
	assert_memory_equal(ip + 8, r6, 16);
	/* the neighbour forgotten: an NS for it instead */
	ifc->n_nd = 0;
	n_sent = 0;
	p[4 + 7] = 63;
	dp_fwd_udp(&dp, &pe, p, sizeof(p));
	assert_int_equal(n_sent, 1);
	assert_memory_equal(sent, ((uint8_t[6]){0x33, 0x33, 0xff, 0, 0, 0x10}), 6);
	assert_int_equal(ip[7], 255);
	assert_memory_equal(ip + 8, dp_ll, 16);
	assert_memory_equal(ip + 24,
			    ((uint8_t[16]){0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 0x10}), 16);
	assert_int_equal(ip[40], 135);
	assert_memory_equal(ip + 48, h6, 16);
	assert_int_equal(ip[64], 1); /* source link-layer address option */
	assert_memory_equal(ip + 66, ifc->mac, 6);
	assert_int_equal(sum6(ip), 0);
	/* its NA (s4.4), unicast to us, teaches the MAC */
	{
		uint8_t *na = frame6(f, ifc->mac, h6, dp_ll, 58, 255, 32);
		na[40] = 136;
		na[44] = 0x60;
		memcpy(na + 48, h6, 16);
		na[64] = 2;
		na[65] = 1;
		memcpy(na + 66, host_mac, 6);
		fill_sum6(na);
		dp_fwd_frame(&dp, ifc, f, 14 + 40 + 32);
	}
	assert_int_equal(ifc->n_nd, 1);
	assert_memory_equal(ifc->nd[0].mac, host_mac, 6);
	teardown(&dp);
}

/* RFC 8956: an IPv6 FlowSpec rule of the ingress VRF (upper-layer
 * protocol TCP, destination port 23) sends matching packets to its nh
 * (DROP here) before LPM; other ports follow the route */
static void test_flowspec6(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, NULL);
	struct fib_op ops[2];
	static const uint8_t comp[] = {0x03, 0x81, 0x06, 0x05, 0x81, 23};
	uint8_t f[128], *ip;

	(void)state;
	memset(ops, 0, sizeof(ops));
	ops[0].type = FIB_OP_NH_SET;
	ops[0].u.nh.id = 9;
	ops[0].u.nh.type = FIB_NH_DROP;
	ops[1].type = FIB_OP_FLOW_SET;
	ops[1].u.flow.vrf = 1;
	ops[1].u.flow.id = 1;
	ops[1].u.flow.afi = AFI_IPV6;
	memcpy(ops[1].u.flow.nlri, comp, sizeof(comp));
	ops[1].u.flow.nlri_len = sizeof(comp);
	ops[1].u.flow.nh = 9;
	assert_int_equal(dp_state_apply(&dp.st, 3, ops, 2), 0);
	close(dp.udp_fd); /* nothing leaves the machine */
	dp.udp_fd = -1;
	/* a TCP SYN to port 23 from the host, behind a Destination Options
	 * header (RFC 8200 s4.6) */
	ip = frame6(f, ifc->mac, h6, r6, 60, 64, 8 + 20);
	ip[40] = 6; /* next: TCP, length 0 (8 octets) */
	ip[48] = 0x9c;
	ip[49] = 0x40;
	ip[51] = 23;
	ip[60] = 0x50;
	ip[61] = 0x02;
	dp_fwd_frame(&dp, ifc, f, 14 + 40 + 28);
	assert_int_equal(dp.g[DP_G_DROP_NH].pkts, 1);
	assert_int_equal(dp.st.flows.v[0].cnt.pkts, 1);
	ip[51] = 80;
	dp_fwd_frame(&dp, ifc, f, 14 + 40 + 28);
	assert_int_equal(dp.g[DP_G_DROP_NH].pkts, 1);
	assert_int_equal(dp.st.flows.v[0].cnt.pkts, 1);
	assert_int_equal(dp.g[DP_G_NO_NH].pkts, 1); /* the tunnel, socket closed below */
	teardown(&dp);
}

/* RFC 4291 s2.5.6: a packet to a link-local address not ours stays on
 * its link */
static void test_linklocal_not_forwarded(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, NULL);
	uint8_t f[128], *ip;
	static const uint8_t ll[16] = {0xfe, 0x80, [15] = 0x77};

	(void)state;
	ip = echo6(f, ifc, 64, 16);
	memcpy(ip + 24, ll, 16);
	fill_sum6(ip);
	dp_fwd_frame(&dp, ifc, f, 14 + 40 + 16);
	assert_int_equal(n_sent, 0);
	assert_int_equal(dp.g[DP_G_SCOPE].pkts, 1);
	teardown(&dp);
}

/* ECMP over IPv6 (draft s3.4.2): nh 10 spreads over two gateways on the
 * host's link by the hash of the 5-tuple taken past the extension
 * headers (RFC 8200 s4); the member is dp_hash() of a key built here from
 * the packet's fields % 2, and with the symmetric hash a flow and its
 * reverse take the same one */
static const uint8_t gw_mac[2][6] = {{0x02, 0, 0, 0, 0, 0xa0}, {0x02, 0, 0, 0, 0, 0xa1}};

static size_t tcp6(uint8_t *f, const struct dp_if *ifc, const uint8_t *src, const uint8_t *dst,
		   uint16_t sport, uint16_t dport)
{
	/* a Hop-by-Hop Options header (8 octets of padding) before TCP */
	uint8_t *ip = frame6(f, ifc->mac, src, dst, 0, 64, 8 + 20);

	ip[40] = 6;
	ip[42] = 1; /* PadN, 4 octets */
	ip[43] = 4;
	ip[48] = (uint8_t)(sport >> 8);
	ip[49] = (uint8_t)sport;
	ip[50] = (uint8_t)(dport >> 8);
	ip[51] = (uint8_t)dport;
	ip[60] = 0x50;
	ip[61] = 0x02;
	return 14 + 40 + 28;
}

static int member_sent(void)
{
	for (int i = 0; i < 2; i++)
		if (memcmp(sent, gw_mac[i], 6) == 0)
			return i;
	return -1;
}

static void ecmp6(enum fib_hash mode)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, NULL);
	struct fib_op ops[5];
	uint8_t f[128];
	unsigned used = 0;

	memset(ops, 0, sizeof(ops));
	for (int i = 0; i < 2; i++) {
		ops[i].type = FIB_OP_NH_SET;
		ops[i].u.nh.id = 11 + (unsigned)i;
		ops[i].u.nh.type = FIB_NH_LOCAL;
		ops[i].u.nh.ifc = 1;
		addr(i ? "2001:db8:1::a1" : "2001:db8:1::a0", &ops[i].u.nh.gw);
		memcpy(ifc->nd[1 + i].ip, ops[i].u.nh.gw.b, 16);
		memcpy(ifc->nd[1 + i].mac, gw_mac[i], 6);
	}
	ifc->n_nd = 3;
	ops[2].type = FIB_OP_NH_SET;
	ops[2].u.nh.id = 10;
	ops[2].u.nh.type = FIB_NH_ECMP;
	ops[2].u.nh.hash = mode;
	ops[2].u.nh.n_members = 2;
	ops[2].u.nh.members[0] = 11;
	ops[2].u.nh.members[1] = 12;
	for (int i = 0; i < 2; i++) {
		ops[3 + i].type = FIB_OP_ROUTE_SET;
		ops[3 + i].u.route.vrf = 1;
		pfx(i ? "2001:db8:2::10" : "2001:db8:1::10", 128, &ops[3 + i].u.route.prefix);
		ops[3 + i].u.route.nh = 10;
	}
	assert_int_equal(dp_state_apply(&dp.st, 3, ops, 5), 0);
	for (uint16_t sport = 40000; sport < 40016; sport++) {
		struct dp_flowkey k = {.afi = AFI_IPV6, .proto = 6, .sport = sport, .dport = 80};
		memcpy(k.src, h6, 16);
		memcpy(k.dst, r6, 16);
		n_sent = 0;
		dp_fwd_frame(&dp, ifc, f, tcp6(f, ifc, h6, r6, sport, 80));
		assert_int_equal(n_sent, 1);
		int fwd = member_sent();
		assert_int_equal(fwd, (int)(dp_hash(&k, mode) % 2));
		used |= 1u << fwd;
		if (mode != FIB_HASH_SYMMETRIC)
			continue;
		n_sent = 0;
		dp_fwd_frame(&dp, ifc, f, tcp6(f, ifc, r6, h6, 80, sport));
		assert_int_equal(n_sent, 1);
		assert_int_equal(member_sent(), fwd);
	}
	assert_int_equal(used, 3); /* 16 flows use both members */
	teardown(&dp);
}

static void test_ecmp6_5tuple(void **state)
{
	(void)state;
	ecmp6(FIB_HASH_5TUPLE);
}

static void test_ecmp6_symmetric(void **state)
{
	(void)state;
	ecmp6(FIB_HASH_SYMMETRIC);
}

/* The neighbour tables are bounded (DP_ARP_MAX): past it the oldest
 * entries are replaced, the newest sender is always found, nothing is
 * written beside the table (IPv4 ARP requests, RFC 826, and IPv6 NS,
 * RFC 4861 s7.2.3, from 3 * DP_ARP_MAX senders) */
static void test_neigh_table_full(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, NULL);
	uint8_t f[128], src[16];
	unsigned found;

	(void)state;
	for (unsigned i = 0; i < 3 * DP_ARP_MAX; i++) {
		memset(f, 0, 14 + 28);
		memset(f, 0xff, 6);
		memcpy(f + 6, host_mac, 6);
		f[12] = 0x08;
		f[13] = 0x06;
		memcpy(f + 14, ((uint8_t[8]){0, 1, 8, 0, 6, 4, 0, 1}), 8);
		memcpy(f + 22, host_mac, 6);
		memcpy(f + 28, ((uint8_t[4]){10, 0, (uint8_t)(i >> 8), (uint8_t)i}), 4);
		memcpy(f + 38, ((uint8_t[4]){203, 0, 113, 70}), 4);
		dp_fwd_frame(&dp, ifc, f, 14 + 28);
		memcpy(src, host_ll, 16);
		src[14] = (uint8_t)(i >> 8);
		src[15] = (uint8_t)i;
		dp_fwd_frame(&dp, ifc, f, ns_frame(f, src, r6));
	}
	found = 0;
	for (unsigned i = 0; i < DP_ARP_MAX; i++) {
		found += !memcmp(&ifc->arp[i].ip, ((uint8_t[4]){10, 0, 0, 3 * DP_ARP_MAX - 1}), 4);
		src[15] = (uint8_t)(3 * DP_ARP_MAX - 1);
		found += !memcmp(ifc->nd[i].ip, src, 16);
		assert_memory_equal(ifc->arp[i].mac, host_mac, 6);
		assert_memory_equal(ifc->nd[i].mac, host_mac, 6);
	}
	assert_int_equal(found, 2);
	/* + the host's entries setup() seeded */
	assert_int_equal(ifc->n_arp, 3 * DP_ARP_MAX + 1);
	assert_int_equal(ifc->n_nd, 3 * DP_ARP_MAX + 1);
	teardown(&dp);
}

/* RFC 4861 s7.2.2: a packet to a neighbour being resolved waits for it
 * (as test_arp_wait for IPv4): NS out, then the neighbour's own NS
 * teaches vtopo-dp its MAC and the packet goes, hop limit decremented once */
static void test_nd_wait(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, NULL);
	struct fib_op op;
	uint8_t f[128], *ip;

	(void)state;
	/* 2001:db8:2::10 now on the interface itself, its MAC unknown */
	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_ROUTE_SET;
	op.u.route.vrf = 1;
	pfx("2001:db8:2::10", 128, &op.u.route.prefix);
	op.u.route.nh = 1;
	assert_int_equal(dp_state_apply(&dp.st, 3, &op, 1), 0);
	ip = frame6(f, ifc->mac, h6, r6, 58, 64, 8);
	ip[40] = 128; /* echo request */
	fill_sum6(ip);
	dp_fwd_frame(&dp, ifc, f, 14 + 40 + 8);
	assert_int_equal(n_sent, 1); /* the NS for 2001:db8:2::10, nothing else */
	assert_int_equal(sent[14 + 40], 135);
	assert_memory_equal(sent + 14 + 40 + 8, r6, 16);
	assert_int_equal(ifc->drop.pkts, 0);

	/* 2001:db8:2::10 solicits the host (same link: not answered) */
	n_sent = 0;
	dp_fwd_frame(&dp, ifc, f, ns_frame(f, r6, h6));
	assert_int_equal(n_sent, 1);
	assert_memory_equal(sent, host_mac, 6);
	assert_int_equal(sent[12] << 8 | sent[13], 0x86dd);
	assert_int_equal(sent[14 + 7], 63);
	assert_memory_equal(sent + 14 + 24, r6, 16);
	assert_int_equal(sent[14 + 40], 128);
	teardown(&dp);
}

/* RFC 4443 s2.4 (f): ICMPv6 errors are rate-limited.  200 expired
 * packets in a row (far faster than the refill of 100 a second): the
 * first burst of 64 is answered, most of the rest counted, not sent */
static void test_icmp6_rate_limit(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, "2001:db8:1::1");
	uint8_t f[128];

	(void)state;
	for (int i = 0; i < 200; i++) {
		echo6(f, ifc, 1, 16);
		dp_fwd_frame(&dp, ifc, f, 14 + 40 + 16);
	}
	assert_int_equal(dp.g[DP_G_TTL_EXPIRED].pkts, 200);
	assert_true(n_sent >= 64 && n_sent < 200);
	assert_int_equal(dp.g[DP_G_ICMP6_RL].pkts, 200 - n_sent);
	teardown(&dp);
}

/* The per-packet trace: a matching packet records its path (in, VRF,
 * route, nh, the drop reason, the ICMP error it caused); one that does not
 * match, or any packet with the trace off, records nothing. */
static void test_trace(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup(&dp, NULL);
	struct dp_trace_filter f;
	uint8_t fr[64];
	size_t n;

	(void)state;
	n = echo_frame(fr, ifc, 1);
	dp_fwd_frame(&dp, ifc, fr, n); /* off: nothing */
	assert_int_equal(dp.trace.n, 0);
	assert_null(dp_trace_parse("vrf zone1 dst 203.0.113.64/26 proto icmp", &f));
	assert_int_equal(dp_trace_on(&dp.trace, &f), 0);
	n = echo_frame(fr, ifc, 1);
	dp_fwd_frame(&dp, ifc, fr, n);
	assert_int_equal(dp.trace.n, 1);
	const struct dp_trace_pkt *p = &dp.trace.ring[0];
	assert_true(p->n_steps >= 6);
	assert_string_equal(p->step[0],
			    "packet 203.0.113.10 -> 203.0.113.70 proto 1 ttl 1 length 28");
	assert_string_equal(p->step[1], "in interface vm1-if, vrf 1");
	assert_string_equal(p->step[2], "vrf zone1 (1): route 203.0.113.70/32 -> nh 2");
	assert_string_equal(p->step[3], "nh 2: tunnel");
	assert_string_equal(p->step[4], "drop: ttl expired");
	assert_string_equal(p->step[5], "icmp error type 11 code 0 sent back");
	/* the error's own way back is part of the same packet's trace */
	assert_string_equal(p->step[6], "vrf zone1 (1): route 203.0.113.10/32 -> nh 1");
	assert_null(dp.trace.cur);
	/* not matching: the filter wants zone 2 as destination */
	assert_null(dp_trace_parse("dst 203.0.113.10", &f));
	assert_int_equal(dp_trace_on(&dp.trace, &f), 0);
	n = echo_frame(fr, ifc, 1);
	dp_fwd_frame(&dp, ifc, fr, n);
	assert_int_equal(dp.trace.n, 0);
	dp_trace_free(&dp.trace);
	teardown(&dp);
}

/* An IPv6 underlay (vtopo-dp -u with an IPv6 address, the FIB's PE
 * addresses IPv6): MPLS-in-UDP over IPv6 to port 6635 of the PE (here
 * [::1], read back by the test), label stack then packet (RFC 7510 s3);
 * Packet Too Big counts the 40-octet outer header (1500 - 40 - 8 - 4);
 * a tunnel to an IPv4 PE has no socket and is dropped; decapsulation from
 * an IPv6 peer */
static void test_underlay6(void **state)
{
	struct dp_ctx dp;
	struct dp_if *ifc = setup6(&dp, "2001:db8:1::1");
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_port = htons(6635)};
	struct fib_op ops[3];
	static uint8_t f[14 + 1500];
	uint8_t got[256];
	int rx;
	ssize_t n;

	(void)state;
	rx = socket(AF_INET6, SOCK_DGRAM, 0);
	sa.sin6_addr = in6addr_loopback;
	if (rx < 0 || bind(rx, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (rx >= 0)
			close(rx);
		teardown(&dp);
		skip(); /* no IPv6 loopback, or port 6635 of ::1 taken */
	}
	close(dp.udp_fd);
	dp.udp_fd = socket(AF_INET6, SOCK_DGRAM, 0);
	addr("::1", &dp.underlay);
	memset(ops, 0, sizeof(ops));
	ops[0].type = FIB_OP_NH_SET;
	ops[0].u.nh.id = 2;
	ops[0].u.nh.type = FIB_NH_TUNNEL;
	addr("::1", &ops[0].u.nh.pe);
	ops[0].u.nh.labels[0] = 16;
	ops[0].u.nh.n_labels = 1;
	ops[1].type = FIB_OP_PEER_SET;
	addr("::1", &ops[1].u.peer.addr);
	ops[2].type = FIB_OP_LABEL_SET;
	ops[2].u.label.label = 17;
	ops[2].u.label.nh = 1;
	assert_int_equal(dp_state_apply(&dp.st, 3, ops, 3), 0);
	echo6(f, ifc, 64, 16);
	dp_fwd_frame(&dp, ifc, f, 14 + 40 + 16);
	assert_int_equal(dp.g[DP_G_ENCAP].pkts, 1);
	n = recv(rx, got, sizeof(got), 0);
	assert_int_equal(n, 4 + 40 + 16);
	assert_memory_equal(got, ((uint8_t[4]){0, 0x01, 0x01, 63}), 4); /* 16, BoS, TTL */
	assert_int_equal(got[4] >> 4, 6);
	assert_int_equal(got[4 + 7], 63);
	assert_memory_equal(got + 4 + 24, r6, 16);
	/* too big for the IPv6 tunnel */
	n_sent = 0;
	echo6(f, ifc, 64, 1500 - 40);
	dp_fwd_frame(&dp, ifc, f, sizeof(f));
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent[14 + 40], 2);
	assert_int_equal(sent[14 + 46] << 8 | sent[14 + 47], 1500 - 40 - 8 - 4);
	/* back: label 17 from the IPv6 peer ::1 to the host */
	n_sent = 0;
	got[2] = 0x11; /* label 17, BoS */
	memcpy(got + 4 + 8, r6, 16);
	memcpy(got + 4 + 24, h6, 16);
	dp_fwd_udp(&dp, &dp.underlay, got, 4 + 40 + 16);
	assert_int_equal(dp.g[DP_G_DECAP].pkts, 1);
	assert_int_equal(n_sent, 1);
	assert_memory_equal(sent, host_mac, 6);
	assert_int_equal(sent[14 + 7], 62);
	/* an IPv4 PE behind an IPv6 underlay: no socket for it */
	addr("198.18.0.4", &ops[0].u.nh.pe);
	assert_int_equal(dp_state_apply(&dp.st, 4, ops, 1), 0);
	echo6(f, ifc, 64, 16);
	dp_fwd_frame(&dp, ifc, f, 14 + 40 + 16);
	assert_int_equal(dp.g[DP_G_ENCAP].pkts, 1);
	assert_int_equal(dp.g[DP_G_NO_NH].pkts, 1);
	close(rx);
	teardown(&dp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ttl_no_ifaddr),
	    cmocka_unit_test(test_ttl_ifaddr),
	    cmocka_unit_test(test_frag_needed_no_ifaddr),
	    cmocka_unit_test(test_arp_wait),
	    cmocka_unit_test(test_arp_flow_only),
	    cmocka_unit_test(test_resolve_on_install),
	    cmocka_unit_test(test_nd_wait),
	    cmocka_unit_test(test_nd_proxy),
	    cmocka_unit_test(test_nd_not_answered),
	    cmocka_unit_test(test_hlim_expired),
	    cmocka_unit_test(test_hlim_expired_underlay_source),
	    cmocka_unit_test(test_packet_too_big),
	    cmocka_unit_test(test_decap6),
	    cmocka_unit_test(test_flowspec6),
	    cmocka_unit_test(test_linklocal_not_forwarded),
	    cmocka_unit_test(test_ecmp6_5tuple),
	    cmocka_unit_test(test_ecmp6_symmetric),
	    cmocka_unit_test(test_neigh_table_full),
	    cmocka_unit_test(test_icmp6_rate_limit),
	    cmocka_unit_test(test_trace),
	    cmocka_unit_test(test_underlay6),
	    cmocka_unit_test(test_v6_gateway_for_v4),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
