/*
 * libFuzzer target: vtopo-dp's packet path (dp/dp_fwd.c) on untrusted
 * frames and MPLS-in-UDP payloads: Ethernet, ARP, IPv4, IPv6 with its
 * extension headers, Neighbor Discovery options, ICMP/ICMPv6 errors,
 * label stacks.  The first input byte picks the path (even: a frame on
 * the attachment, odd: a UDP payload from the PE peer); the rest is the
 * frame or payload.  One state programmed once: both families, every
 * next-hop type, FlowSpec rules in both families, a tunnel to 127.0.0.1
 * (loopback only).  Frames and datagrams "sent" go to stubs.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dp/dp_fwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int dp_io_send(struct dp_if *ifc, const void *frame, size_t len)
{
	(void)ifc;
	(void)frame;
	(void)len;
	return 0;
}

int dp_io_udp_send(struct dp_ctx *dp, const void *to, unsigned tolen, const struct iovec *iov,
		   int n)
{
	(void)dp;
	(void)to;
	(void)tolen;
	(void)iov;
	(void)n;
	return 0;
}

static void pfx(const char *s, unsigned len, struct prefix *p)
{
	struct ipaddr a;

	if (ipaddr_parse(s, &a) != 0)
		abort();
	memset(p, 0, sizeof(*p));
	p->afi = a.afi;
	p->len = (uint8_t)len;
	memcpy(p->b, a.b, sizeof(p->b));
}

static struct fib_op *op(struct fib_op *ops, size_t *n, enum fib_op_type t)
{
	memset(&ops[*n], 0, sizeof(ops[*n]));
	ops[*n].type = t;
	return &ops[(*n)++];
}

static void route(struct fib_op *ops, size_t *n, unsigned vrf, const char *p, unsigned len,
		  unsigned nh)
{
	struct fib_op *o = op(ops, n, FIB_OP_ROUTE_SET);

	o->u.route.vrf = vrf;
	pfx(p, len, &o->u.route.prefix);
	o->u.route.nh = nh;
}

static struct dp_ctx *setup(void)
{
	static struct dp_ctx dp;
	/* FlowSpec: TCP port 23 (RFC 8955 s4 / RFC 8956 s3 components) */
	static const uint8_t fs[] = {0x03, 0x81, 0x06, 0x04, 0x81, 23};
	struct fib_op ops[40], *o;
	size_t n = 0;
	struct dp_if *ifc;

	memset(&dp, 0, sizeof(dp));
	dp_state_init(&dp.st);
	dp.udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
	dp.underlay_mtu = 1500;
	(void)ipaddr_parse("127.0.0.1", &dp.underlay);
	for (unsigned v = 1; v <= 2; v++) {
		o = op(ops, &n, FIB_OP_VRF_SET);
		o->u.vrf.id = v;
		strcpy(o->u.vrf.name, v == 1 ? "zone" : "svc");
	}
	for (unsigned i = 1; i <= 2; i++) {
		o = op(ops, &n, FIB_OP_IF_SET);
		o->u.ifc.id = i;
		strcpy(o->u.ifc.name, i == 1 ? "att" : "svc");
		o->u.ifc.role = i == 1 ? FIB_IF_ATTACH : FIB_IF_SERVICE;
		o->u.ifc.vrf = i;
		if (i == 1) {
			pfx("203.0.113.1", 26, &o->u.ifc.addr[0]);
			pfx("2001:db8:1::1", 64, &o->u.ifc.addr[1]);
			o->u.ifc.n_addr = 2;
		}
	}
	o = op(ops, &n, FIB_OP_NH_SET); /* 1: connected on the attachment */
	o->u.nh.id = 1;
	o->u.nh.type = FIB_NH_LOCAL;
	o->u.nh.ifc = 1;
	o = op(ops, &n, FIB_OP_NH_SET); /* 2: service node, IPv4 */
	o->u.nh.id = 2;
	o->u.nh.type = FIB_NH_LOCAL;
	o->u.nh.ifc = 2;
	(void)ipaddr_parse("198.51.100.1", &o->u.nh.gw);
	o = op(ops, &n, FIB_OP_NH_SET); /* 3: service node, IPv6 */
	o->u.nh.id = 3;
	o->u.nh.type = FIB_NH_LOCAL;
	o->u.nh.ifc = 2;
	(void)ipaddr_parse("2001:db8:100::1", &o->u.nh.gw);
	o = op(ops, &n, FIB_OP_NH_SET); /* 4: tunnel, two labels */
	o->u.nh.id = 4;
	o->u.nh.type = FIB_NH_TUNNEL;
	(void)ipaddr_parse("127.0.0.1", &o->u.nh.pe);
	o->u.nh.labels[0] = 16;
	o->u.nh.labels[1] = 17;
	o->u.nh.n_labels = 2;
	o = op(ops, &n, FIB_OP_NH_SET); /* 5: lookup in VRF 2 */
	o->u.nh.id = 5;
	o->u.nh.type = FIB_NH_LOOKUP;
	o->u.nh.vrf = 2;
	o = op(ops, &n, FIB_OP_NH_SET); /* 6: symmetric ECMP */
	o->u.nh.id = 6;
	o->u.nh.type = FIB_NH_ECMP;
	o->u.nh.hash = FIB_HASH_SYMMETRIC;
	o->u.nh.n_members = 2;
	o->u.nh.members[0] = 1;
	o->u.nh.members[1] = 4;
	o = op(ops, &n, FIB_OP_NH_SET); /* 7: drop */
	o->u.nh.id = 7;
	o->u.nh.type = FIB_NH_DROP;
	route(ops, &n, 1, "203.0.113.0", 26, 1);
	route(ops, &n, 1, "203.0.113.64", 26, 6);
	route(ops, &n, 1, "0.0.0.0", 0, 5);
	route(ops, &n, 1, "2001:db8:1::", 64, 1);
	route(ops, &n, 1, "2001:db8:2::", 64, 6);
	route(ops, &n, 1, "::", 0, 5);
	route(ops, &n, 2, "0.0.0.0", 0, 2);
	route(ops, &n, 2, "::", 0, 3);
	route(ops, &n, 2, "203.0.113.0", 26, 1);
	route(ops, &n, 2, "2001:db8:1::", 64, 1);
	route(ops, &n, 2, "2001:db8:3::", 48, 4);
	for (unsigned a = 0; a < 2; a++) {
		o = op(ops, &n, FIB_OP_FLOW_SET);
		o->u.flow.vrf = 1;
		o->u.flow.id = a + 1;
		o->u.flow.afi = a ? AFI_IPV6 : AFI_IPV4;
		memcpy(o->u.flow.nlri, fs, sizeof(fs));
		o->u.flow.nlri_len = sizeof(fs);
		o->u.flow.nh = 7;
	}
	for (unsigned l = 16; l <= 17; l++) {
		o = op(ops, &n, FIB_OP_LABEL_SET);
		o->u.label.label = l;
		o->u.label.nh = l == 16 ? 5 : 1;
	}
	o = op(ops, &n, FIB_OP_PEER_SET);
	(void)ipaddr_parse("127.0.0.1", &o->u.peer.addr);
	if (dp_state_apply(&dp.st, 1, ops, n) != 0)
		abort();
	for (unsigned i = 1; i <= 2; i++) {
		ifc = dp_if_get(&dp.st, i);
		ifc->fd = 0;
		ifc->mtu = 1500;
		memcpy(ifc->mac, (uint8_t[6]){0x02, 0, 0, 0, 0, (uint8_t)i}, 6);
	}
	return &dp;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dp_ctx *dp;
	static uint8_t buf[9216 + 64];
	struct ipaddr peer;

	if (dp == NULL)
		dp = setup();
	if (size < 1 || size - 1 > sizeof(buf))
		return 0;
	memcpy(buf, data + 1, size - 1); /* the packet path writes in place */
	if (data[0] & 1) {
		(void)ipaddr_parse("127.0.0.1", &peer);
		dp_fwd_udp(dp, &peer, buf, size - 1);
	} else {
		dp_fwd_frame(dp, dp_if_get(&dp->st, 1), buf, size - 1);
	}
	return 0;
}
