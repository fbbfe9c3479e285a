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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ttl_no_ifaddr),
	    cmocka_unit_test(test_ttl_ifaddr),
	    cmocka_unit_test(test_frag_needed_no_ifaddr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
