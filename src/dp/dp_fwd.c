/*
 * dp_fwd: vtopo-dp's packet path (IPv4 and IPv6).
 *
 *   attachment frame -> ARP (answer for our addresses and, proxy-ARP, for
 *   anything the VRF routes), Neighbor Discovery (the same for IPv6,
 *   RFC 4861 s7.2.8 proxy advertisements), or IPv4/IPv6 -> VRF of the
 *   interface: FlowSpec rules in priority order, then LPM -> next-hop
 *   object -> out
 *   underlay UDP 6635 -> PE peer check -> label table -> IPv4 or IPv6 by
 *   the first nibble after the bottom label (RFC 7510 s3) -> next-hop object
 *
 * Next-hop objects resolve recursively (LOOKUP in another VRF, ECMP over
 * members) up to DP_DEPTH_MAX.  The TTL is checked and decremented once per
 * data-plane hop, at the leaf (LOCAL or TUNNEL), and an expired packet is
 * answered with ICMP time exceeded (RFC 792) from the VRF.  A packet that
 * does not fit the egress (after encapsulation, RFC 7510 s5) is answered with
 * ICMP fragmentation needed (RFC 1191) when DF is set, dropped otherwise.
 * IPv6 is the same with the hop limit, ICMPv6 Time Exceeded (RFC 4443
 * s3.3) and Packet Too Big (s3.2): IPv6 is never fragmented in transit
 * (RFC 8200 s5).
 *
 * A packet that matches the trace filter (dp_trace.h) records its path:
 * TR() at each decision, one test of a NULL pointer when nothing is traced.
 *
 * Not for: sockets (dp_io.c), tables (dp_state.c).
 */
#include "dp/dp_fwd.h"

#include <arpa/inet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "lib/rbuf.h"

#define DP_DEPTH_MAX 8
#define ETH_HLEN_ 14
#define ARP_LEN 28
#define PKT_MAX 9216

/* one step of the packet being traced, if it is */
#define TR(dp, ...)                                                                                \
	do {                                                                                       \
		if (__builtin_expect((dp)->trace.cur != NULL, 0))                                  \
			dp_trace_step(&(dp)->trace, __VA_ARGS__);                                  \
	} while (0)

const char *const dp_glob_names[DP_G_MAX] = {
    [DP_G_NOT_PEER] = "decap-not-peer",
    [DP_G_DECAP] = "decap",
    [DP_G_ENCAP] = "encap",
    [DP_G_NO_LABEL] = "no-label",
    [DP_G_TTL_EXPIRED] = "ttl-expired",
    [DP_G_FRAG_NEEDED] = "frag-needed",
    [DP_G_TOO_BIG] = "too-big-dropped",
    [DP_G_ARP_MISS] = "arp-miss",
    [DP_G_NO_NH] = "no-nexthop",
    [DP_G_DROP_NH] = "drop-nexthop",
    [DP_G_BAD] = "malformed",
    [DP_G_NOT_IPV4] = "not-ipv4",
    [DP_G_ARP_PROXY] = "arp-replies",
    [DP_G_ICMP_ECHO] = "icmp-echo-replies",
    [DP_G_ND_ADVERT] = "nd-adverts",
    [DP_G_PKT_TOO_BIG] = "packet-too-big",
    [DP_G_SCOPE] = "ipv6-scope-dropped",
    [DP_G_NO_SRC6] = "icmp6-no-source",
    [DP_G_ICMP6_RL] = "icmp6-rate-limited",
};

/* One IPv4 or IPv6 packet being forwarded: a mutable copy with its parsed
 * header. */
struct pkt {
	uint8_t *ip;
	size_t len;
	struct dp_if *in; /* NULL when it came from the underlay */
	fib_vrf_id vrf;	  /* context for ICMP errors */
	bool v6;	  /* IPv6 (RFC 8200 s3 header) */
};

/* IPv6 header fields (RFC 8200 s3) */
#define IP6_HLEN 40
#define IP6_NXT 6
#define IP6_HLIM 7
#define IP6_SRC 8
#define IP6_DST 24

static uint16_t csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void ip4_csum(uint8_t *ip)
{
	put16(ip + 10, 0);
	put16(ip + 10, csum(ip, (ip[0] & 0xf) * 4u, 0));
}

/* Our IPv4 address on an interface, 0 if none. */
static uint32_t if_addr4(const struct dp_if *ifc)
{
	uint32_t a;

	for (unsigned i = 0; i < ifc->cfg.n_addr; i++)
		if (ifc->cfg.addr[i].afi == AFI_IPV4) {
			memcpy(&a, ifc->cfg.addr[i].b, 4);
			return a;
		}
	return 0;
}

static uint32_t vrf_addr4(struct dp_ctx *dp, fib_vrf_id vrf)
{
	for (size_t i = 0; i < dp->st.ifs.n; i++)
		if (dp->st.ifs.v[i]->cfg.vrf == vrf && if_addr4(dp->st.ifs.v[i]))
			return if_addr4(dp->st.ifs.v[i]);
	return 0;
}

static bool is_our_addr(struct dp_ctx *dp, fib_vrf_id vrf, uint32_t a)
{
	for (size_t i = 0; i < dp->st.ifs.n; i++) {
		const struct dp_if *ifc = dp->st.ifs.v[i];
		if (ifc->cfg.vrf != vrf)
			continue;
		for (unsigned j = 0; j < ifc->cfg.n_addr; j++)
			if (ifc->cfg.addr[j].afi == AFI_IPV4 && !memcmp(ifc->cfg.addr[j].b, &a, 4))
				return true;
	}
	return false;
}

static void ip4_route(struct dp_ctx *dp, struct pkt *pk, int depth);
static void ip6_route(struct dp_ctx *dp, struct pkt *pk, int depth);
static void vrf_route(struct dp_ctx *dp, struct pkt *pk, int depth, uint8_t afi);
static void icmp6_error(struct dp_ctx *dp, const struct pkt *pk, uint8_t type, uint8_t code,
			uint32_t param);
static void nd_solicit(struct dp_if *ifc, const uint8_t *target);
static const uint8_t *nd_find(const struct dp_if *ifc, const uint8_t *ip);

/* RFC 792: an ICMP error about pk (its header + 8 octets), routed in the
 * VRF the packet was in. */
static void icmp4_error(struct dp_ctx *dp, const struct pkt *pk, uint8_t type, uint8_t code,
			uint16_t mtu)
{
	uint8_t buf[20 + 8 + 60 + 8];
	size_t quote = (pk->ip[0] & 0xf) * 4u + 8;
	uint32_t src = pk->in ? if_addr4(pk->in) : 0;
	struct pkt e = {.ip = buf, .in = NULL, .vrf = pk->vrf};

	if (pk->ip[9] == IPPROTO_ICMP && pk->len > 20 && pk->ip[20] != 8 && pk->ip[20] != 0)
		return; /* RFC 1122 s3.2.2: no error about an ICMP error */
	if (src == 0)
		src = vrf_addr4(dp, pk->vrf);
	/* RFC 1812 s4.3.2.4: with no address on the interface, the router's
	 * own (here its underlay address); vtopod gives its interfaces none */
	if (src == 0 && dp->underlay.afi == AFI_IPV4)
		memcpy(&src, dp->underlay.b, 4);
	if (src == 0)
		return;
	if (quote > pk->len)
		quote = pk->len;
	memset(buf, 0, 28);
	buf[0] = 0x45;
	put16(buf + 2, (uint16_t)(28 + quote));
	buf[8] = 64;
	buf[9] = IPPROTO_ICMP;
	memcpy(buf + 12, &src, 4);
	memcpy(buf + 16, pk->ip + 12, 4);
	ip4_csum(buf);
	buf[20] = type;
	buf[21] = code;
	put16(buf + 26, mtu); /* RFC 1191 s4: next-hop MTU, 0 otherwise */
	memcpy(buf + 28, pk->ip, quote);
	put16(buf + 22, csum(buf + 20, 8 + quote, 0));
	e.len = 28 + quote;
	buf[8]++; /* the leaf decrements it once */
	TR(dp, "icmp error type %u code %u sent back", type, code);
	ip4_route(dp, &e, 1);
}

/* Draft s4.1.5: a flow rule alone (no route in the VRF) may steer traffic
 * to dst; the service node sending it back into its out-VRF resolves dst
 * first, so proxy-ARP and proxy-ND answer for it too. */
static bool flow_covers(struct dp_ctx *dp, fib_vrf_id vrf, uint8_t afi, const uint8_t *dst)
{
	for (size_t i = 0; i < dp->st.flows.n; i++) {
		const struct dp_flow *f = &dp->st.flows.v[i];

		if (f->cfg.vrf == vrf && f->cfg.afi == afi &&
		    dp_flow_dst_may_match(f->cfg.nlri, f->cfg.nlri_len, afi, dst))
			return true;
	}
	return false;
}

/* --- ARP (RFC 826) --- */

static const uint8_t *arp_find(const struct dp_if *ifc, uint32_t ip)
{
	for (unsigned i = 0; i < ifc->n_arp && i < DP_ARP_MAX; i++)
		if (ifc->arp[i].ip == ip)
			return ifc->arp[i].mac;
	return NULL;
}

static void arp_learn(struct dp_if *ifc, uint32_t ip, const uint8_t *mac)
{
	unsigned i;

	for (i = 0; i < ifc->n_arp && i < DP_ARP_MAX; i++)
		if (ifc->arp[i].ip == ip)
			break;
	/* not found: the next slot, round robin once the table is full */
	if (i == ifc->n_arp || i == DP_ARP_MAX)
		i = ifc->n_arp++ % DP_ARP_MAX;
	ifc->arp[i].ip = ip;
	memcpy(ifc->arp[i].mac, mac, 6);
}

/* Keep pk for neighbour ip (4 or 16 octets) until its ARP or NA answers
 * (RFC 1122 s2.3.2.2, RFC 4861 s7.2.2); false when it cannot be kept (too
 * long).  A full ring gives up its oldest packet. */
static bool neigh_wait(struct dp_if *ifc, bool v6, const void *ip, const struct pkt *pk)
{
	struct dp_arp_wait *w;

	if (pk->len > DP_ARP_WAIT_LEN)
		return false;
	/* a ring: the slot after the newest is the oldest */
	w = &ifc->wait[ifc->n_wait++ % DP_ARP_WAIT];
	if (w->len != 0)
		dp_cnt_add(&ifc->drop, w->len);
	memset(w->ip, 0, sizeof(w->ip));
	memcpy(w->ip, ip, v6 ? 16 : 4);
	w->v6 = v6;
	w->len = (uint16_t)pk->len;
	memcpy(w->pkt, pk->ip, pk->len);
	return true;
}

static void eth_send(struct dp_if *ifc, const uint8_t *mac, bool v6, const uint8_t *ip, size_t len)
{
	static uint8_t frame[ETH_HLEN_ + PKT_MAX];

	memcpy(frame, mac, 6);
	memcpy(frame + 6, ifc->mac, 6);
	put16(frame + 12, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IP);
	memcpy(frame + ETH_HLEN_, ip, len);
	if (dp_io_send(ifc, frame, ETH_HLEN_ + len) == 0)
		dp_cnt_add(&ifc->tx, ETH_HLEN_ + len);
	else
		dp_cnt_add(&ifc->drop, len);
}

/* ip answered with mac: the packets kept for it go, oldest first */
static void neigh_flush(struct dp_if *ifc, bool v6, const void *ip, const uint8_t *mac)
{
	for (unsigned k = 0; k < DP_ARP_WAIT; k++) {
		struct dp_arp_wait *w = &ifc->wait[(ifc->n_wait + k) % DP_ARP_WAIT];

		if (w->len != 0 && w->v6 == v6 && memcmp(w->ip, ip, v6 ? 16 : 4) == 0) {
			eth_send(ifc, mac, v6, w->pkt, w->len);
			w->len = 0;
		}
	}
}

static void arp_send(struct dp_if *ifc, uint16_t op, const uint8_t *dmac, uint32_t sip,
		     const uint8_t *tmac, uint32_t tip)
{
	uint8_t f[ETH_HLEN_ + ARP_LEN];

	memcpy(f, dmac, 6);
	memcpy(f + 6, ifc->mac, 6);
	put16(f + 12, ETHERTYPE_ARP);
	put16(f + 14, 1);      /* hardware: Ethernet */
	put16(f + 16, 0x0800); /* protocol: IPv4 */
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, op);
	memcpy(f + 22, ifc->mac, 6);
	memcpy(f + 28, &sip, 4);
	memcpy(f + 32, tmac, 6);
	memcpy(f + 38, &tip, 4);
	if (dp_io_send(ifc, f, sizeof(f)) == 0)
		dp_cnt_add(&ifc->tx, sizeof(f));
}

static void arp_input(struct dp_ctx *dp, struct dp_if *in, struct rbuf *r)
{
	uint16_t htype, ptype, op;
	uint8_t hlen, plen, smac[6], tmac[6];
	uint32_t sip, tip;
	struct dp_vrf *v;

	if (!rbuf_u16(r, &htype) || !rbuf_u16(r, &ptype) || !rbuf_u8(r, &hlen) ||
	    !rbuf_u8(r, &plen) || !rbuf_u16(r, &op) || !rbuf_bytes(r, smac, 6) ||
	    !rbuf_bytes(r, &sip, 4) || !rbuf_bytes(r, tmac, 6) || !rbuf_bytes(r, &tip, 4) ||
	    htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4) {
		dp_cnt_add(&dp->g[DP_G_BAD], 0);
		return;
	}
	if (sip != 0) {
		arp_learn(in, sip, smac);
		neigh_flush(in, false, &sip, smac);
	}
	if (op != 1 || tip == sip)
		return; /* a reply (learnt above) or a gratuitous ARP */
	/* our own address; else proxy-ARP for what the VRF routes elsewhere
	 * or one of its flow rules may steer */
	if (!is_our_addr(dp, in->cfg.vrf, tip)) {
		struct dp_route *rt;
		v = dp_vrf_get(&dp->st, in->cfg.vrf);
		rt = v ? dp_lpm_lookup(&v->lpm4, (const uint8_t *)&tip, 32) : NULL;
		if (rt == NULL &&
		    !(v && flow_covers(dp, v->cfg.id, AFI_IPV4, (const uint8_t *)&tip)))
			return;
		struct dp_nh *nh = rt ? dp_nh_get(&dp->st, rt->nh) : NULL;
		/* the target lives on this very link: let it answer itself */
		if (nh && nh->cfg.type == FIB_NH_LOCAL && nh->cfg.ifc == in->cfg.id)
			return;
	}
	arp_send(in, 2, smac, tip, smac, sip);
	dp_cnt_add(&dp->g[DP_G_ARP_PROXY], 0);
}

/* --- output --- */

static bool pkt_df(const struct pkt *pk)
{
	return pk->ip[6] & 0x40;
}

/* TTL at the leaf: false when expired (ICMP sent). */
static bool ttl_dec(struct dp_ctx *dp, struct pkt *pk)
{
	if (pk->v6) { /* RFC 8200 s3: hop limit; RFC 4443 s3.3 */
		if (pk->ip[IP6_HLIM] <= 1) {
			dp_cnt_add(&dp->g[DP_G_TTL_EXPIRED], pk->len);
			icmp6_error(dp, pk, 3, 0, 0); /* hop limit exceeded in transit */
			return false;
		}
		pk->ip[IP6_HLIM]--;
		return true;
	}
	if (pk->ip[8] <= 1) {
		TR(dp, "drop: ttl expired");
		dp_cnt_add(&dp->g[DP_G_TTL_EXPIRED], pk->len);
		icmp4_error(dp, pk, 11, 0, 0); /* RFC 792: time exceeded in transit */
		return false;
	}
	pk->ip[8]--;
	ip4_csum(pk->ip);
	return true;
}

static bool mtu_ok(struct dp_ctx *dp, struct pkt *pk, size_t mtu, size_t overhead)
{
	if (pk->len + overhead <= mtu)
		return true;
	TR(dp, "drop: %zu octets do not fit MTU %zu", pk->len + overhead, mtu);
	if (pk->v6) { /* RFC 8200 s5: no fragmentation in transit */
		dp_cnt_add(&dp->g[DP_G_PKT_TOO_BIG], pk->len);
		icmp6_error(dp, pk, 2, 0, (uint32_t)(mtu - overhead)); /* RFC 4443 s3.2 */
		return false;
	}
	if (pkt_df(pk)) { /* RFC 1191 s4 */
		dp_cnt_add(&dp->g[DP_G_FRAG_NEEDED], pk->len);
		icmp4_error(dp, pk, 3, 4, (uint16_t)(mtu - overhead));
	} else {
		dp_cnt_add(&dp->g[DP_G_TOO_BIG], pk->len);
	}
	return false;
}

static void out_local(struct dp_ctx *dp, const struct fib_nh *nh, struct pkt *pk)
{
	struct dp_if *ifc = dp_if_get(&dp->st, nh->ifc);
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6];
	uint32_t gw = 0;
	const uint8_t *mac;

	if (ifc == NULL || ifc->fd < 0) {
		TR(dp, "drop: output interface %u missing or down", (unsigned)nh->ifc);
		dp_cnt_add(&dp->g[DP_G_NO_NH], pk->len);
		return;
	}
	if (pk->v6) {
		/* the gateway, or the destination itself when connected */
		const uint8_t *gw6 = nh->gw.afi == AFI_IPV6 ? nh->gw.b : pk->ip + IP6_DST;
		if (nh->gw.afi == AFI_IPV4) { /* an IPv4 gateway for IPv6: unusable */
			TR(dp, "drop: IPv4 gateway for an IPv6 packet");
			dp_cnt_add(&dp->g[DP_G_NO_NH], pk->len);
			return;
		}
		if (!mtu_ok(dp, pk, ifc->mtu, 0) || !ttl_dec(dp, pk))
			return;
		if ((mac = nd_find(ifc, gw6)) == NULL) { /* RFC 4861 s7.2.2 */
			TR(dp, "drop: %s: no neighbor entry yet, solicitation sent", ifc->cfg.name);
			dp_cnt_add(&dp->g[DP_G_ARP_MISS], pk->len);
			if (!neigh_wait(ifc, true, gw6, pk))
				dp_cnt_add(&ifc->drop, pk->len);
			nd_solicit(ifc, gw6);
			return;
		}
	} else {
		if (nh->gw.afi == AFI_IPV6) { /* an IPv6 gateway for IPv4: unusable */
			TR(dp, "drop: IPv6 gateway for an IPv4 packet");
			dp_cnt_add(&dp->g[DP_G_NO_NH], pk->len);
			return;
		}
		if (nh->gw.afi == AFI_IPV4)
			memcpy(&gw, nh->gw.b, 4);
		else
			memcpy(&gw, pk->ip + 16, 4); /* connected: the destination itself */
		if (!mtu_ok(dp, pk, ifc->mtu, 0) || !ttl_dec(dp, pk))
			return;
		if ((mac = arp_find(ifc, gw)) == NULL) {
			TR(dp, "%s: no ARP entry yet, request sent (packet kept or dropped)",
			   ifc->cfg.name);
			dp_cnt_add(&dp->g[DP_G_ARP_MISS], pk->len);
			if (!neigh_wait(ifc, false, &gw, pk))
				dp_cnt_add(&ifc->drop, pk->len);
			arp_send(ifc, 1, bcast, if_addr4(ifc), zero, gw);
			return;
		}
	}
	if (__builtin_expect(dp->trace.cur != NULL, 0)) {
		char a[IPADDR_STRLEN];
		struct ipaddr x = {.afi = pk->v6 ? AFI_IPV6 : AFI_IPV4};
		memcpy(x.b,
		       pk->v6 ? (nh->gw.afi == AFI_IPV6 ? nh->gw.b : pk->ip + IP6_DST)
			      : (const uint8_t *)&gw,
		       pk->v6 ? 16 : 4);
		dp_trace_step(&dp->trace, "out interface %s to %s, ttl %u", ifc->cfg.name,
			      ipaddr_fmt(&x, a, sizeof(a)), pk->v6 ? pk->ip[IP6_HLIM] : pk->ip[8]);
	}
	eth_send(ifc, mac, pk->v6, pk->ip, pk->len);
}

void dp_fwd_resolve(struct dp_ctx *dp, const struct fib_nh *nh)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6];
	struct dp_if *ifc;
	uint32_t gw;

	if (nh->type != FIB_NH_LOCAL || nh->gw.afi == 0)
		return;
	ifc = dp_if_get(&dp->st, nh->ifc);
	if (ifc == NULL || ifc->fd < 0)
		return;
	if (nh->gw.afi == AFI_IPV6) {
		if (nd_find(ifc, nh->gw.b) == NULL)
			nd_solicit(ifc, nh->gw.b);
		return;
	}
	memcpy(&gw, nh->gw.b, 4);
	if (arp_find(ifc, gw) == NULL)
		arp_send(ifc, 1, bcast, if_addr4(ifc), zero, gw);
}

/* RFC 7510 s3: UDP to port 6635 carrying the label stack (RFC 3032 s2.1)
 * and the packet; the outer IP/UDP header is the kernel's. */
static void out_tunnel(struct dp_ctx *dp, const struct fib_nh *nh, struct pkt *pk)
{
	uint8_t stack[4 * FIB_LABELS_MAX];
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(DP_MPLS_UDP_PORT)};
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(DP_MPLS_UDP_PORT)};
	struct iovec iov[2];
	const void *to = &sin;
	unsigned tolen = sizeof(sin);
	/* outer IPv4 or IPv6 header, UDP, the labels (RFC 7510 s5) */
	size_t over = (nh->pe.afi == AFI_IPV6 ? 40 : 20) + 8 + 4u * nh->n_labels;

	/* the underlay socket is of the underlay address's family */
	if (nh->pe.afi != dp->underlay.afi || dp->udp_fd < 0) {
		TR(dp, "drop: no underlay of the PE's family for the tunnel");
		dp_cnt_add(&dp->g[DP_G_NO_NH], pk->len);
		return;
	}
	if (nh->pe.afi == AFI_IPV6) {
		memcpy(&sin6.sin6_addr, nh->pe.b, 16);
		to = &sin6;
		tolen = sizeof(sin6);
	} else {
		memcpy(&sin.sin_addr, nh->pe.b, 4);
	}
	if (!mtu_ok(dp, pk, dp->underlay_mtu, over) || !ttl_dec(dp, pk))
		return;
	for (unsigned i = 0; i < nh->n_labels; i++) {
		/* RFC 3032 s2.4.3: the label TTL is the IP TTL / hop limit */
		uint32_t e = nh->labels[i] << 12 | (i + 1u == nh->n_labels) << 8 |
			     pk->ip[pk->v6 ? IP6_HLIM : 8];
		stack[4 * i] = (uint8_t)(e >> 24);
		stack[4 * i + 1] = (uint8_t)(e >> 16);
		stack[4 * i + 2] = (uint8_t)(e >> 8);
		stack[4 * i + 3] = (uint8_t)e;
	}
	iov[0] = (struct iovec){stack, 4u * nh->n_labels};
	iov[1] = (struct iovec){pk->ip, pk->len};
	if (__builtin_expect(dp->trace.cur != NULL, 0)) {
		char pe[IPADDR_STRLEN], ls[12 * FIB_LABELS_MAX] = "";
		size_t o = 0;
		for (unsigned i = 0; i < nh->n_labels && o < sizeof(ls); i++)
			o += (size_t)snprintf(ls + o, sizeof(ls) - o, "%s%u", i ? " " : "",
					      nh->labels[i]);
		dp_trace_step(&dp->trace, "encap MPLS-in-UDP to PE %s labels %s ttl %u",
			      ipaddr_fmt(&nh->pe, pe, sizeof(pe)), ls,
			      pk->ip[pk->v6 ? IP6_HLIM : 8]);
	}
	if (dp_io_udp_send(dp, to, tolen, iov, 2) == 0) {
		dp_cnt_add(&dp->g[DP_G_ENCAP], pk->len);
	} else {
		TR(dp, "drop: underlay send failed");
		dp_cnt_add(&dp->g[DP_G_NO_NH], pk->len);
	}
}

/* IPv6: the upper-layer header past the extension headers of RFC 8200
 * s4 that carry a length (Hop-by-Hop, Routing, Destination Options: (len +
 * 1) * 8 octets) and the Fragment header (8 octets).  Returns its offset
 * (pk->len when there is none to read), the protocol, and the fragment
 * offset and M flag (s4.5) in *frag (0 when not a fragment). */
static size_t ip6_upper(const struct pkt *pk, uint8_t *proto, uint16_t *frag, bool *is_frag)
{
	size_t off = IP6_HLEN;
	uint8_t nx = pk->ip[IP6_NXT];

	*frag = 0;
	*is_frag = false;
	for (int n = 0; n < 8; n++) {
		if (nx == 0 || nx == 43 || nx == 60) {
			if (off + 8 > pk->len)
				break;
			nx = pk->ip[off];
			off += (pk->ip[off + 1] + 1u) * 8;
		} else if (nx == 44) {
			if (off + 8 > pk->len)
				break;
			*is_frag = true;
			*frag = get16(pk->ip + off + 2); /* offset << 3 | M */
			nx = pk->ip[off];
			off += 8;
		} else {
			*proto = nx;
			return off;
		}
	}
	*proto = nx;
	return pk->len;
}

static void flow_key6(const struct pkt *pk, struct dp_flowkey *k)
{
	uint16_t frag;
	bool is_frag;
	size_t off = ip6_upper(pk, &k->proto, &frag, &is_frag);

	k->afi = AFI_IPV6;
	memcpy(k->src, pk->ip + IP6_SRC, 16);
	memcpy(k->dst, pk->ip + IP6_DST, 16);
	if ((k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP) && off + 4 <= pk->len &&
	    (frag & 0xfff8) == 0) {
		k->sport = get16(pk->ip + off);
		k->dport = get16(pk->ip + off + 2);
	}
}

static void flow_key(const struct pkt *pk, struct dp_flowkey *k)
{
	size_t ihl = (pk->ip[0] & 0xf) * 4u;

	memset(k, 0, sizeof(*k));
	if (pk->v6) {
		flow_key6(pk, k);
		return;
	}
	k->afi = AFI_IPV4;
	k->proto = pk->ip[9];
	memcpy(k->src, pk->ip + 12, 4);
	memcpy(k->dst, pk->ip + 16, 4);
	if ((k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP) && pk->len >= ihl + 4 &&
	    (get16(pk->ip + 6) & 0x1fff) == 0) {
		k->sport = get16(pk->ip + ihl);
		k->dport = get16(pk->ip + ihl + 2);
	}
}

static void nh_out(struct dp_ctx *dp, fib_nh_id id, struct pkt *pk, int depth)
{
	struct dp_nh *nh = dp_nh_get(&dp->st, id);
	struct dp_flowkey k;

	if (nh == NULL || depth > DP_DEPTH_MAX) {
		TR(dp, "drop: nh %u %s", (unsigned)id, nh ? "too deep" : "missing");
		dp_cnt_add(&dp->g[DP_G_NO_NH], pk->len);
		return;
	}
	dp_cnt_add(&nh->cnt, pk->len);
	switch (nh->cfg.type) {
	case FIB_NH_LOCAL:
		TR(dp, "nh %u: local", (unsigned)id);
		out_local(dp, &nh->cfg, pk);
		return;
	case FIB_NH_TUNNEL:
		TR(dp, "nh %u: tunnel", (unsigned)id);
		out_tunnel(dp, &nh->cfg, pk);
		return;
	case FIB_NH_LOOKUP:
		TR(dp, "nh %u: lookup in vrf %u", (unsigned)id, (unsigned)nh->cfg.vrf);
		pk->vrf = nh->cfg.vrf;
		if (pk->v6)
			ip6_route(dp, pk, depth + 1);
		else
			ip4_route(dp, pk, depth + 1);
		return;
	case FIB_NH_ECMP: {
		unsigned m;
		flow_key(pk, &k);
		m = dp_hash(&k, nh->cfg.hash) % nh->cfg.n_members;
		TR(dp, "nh %u: ecmp member %u of %u: nh %u", (unsigned)id, m + 1, nh->cfg.n_members,
		   (unsigned)nh->cfg.members[m]);
		nh_out(dp, nh->cfg.members[m], pk, depth + 1);
		return;
	}
	default:
		TR(dp, "drop: nh %u is a drop next hop", (unsigned)id);
		dp_cnt_add(&dp->g[DP_G_DROP_NH], pk->len);
		return;
	}
}

static void pkt_info(const struct pkt *pk, struct dp_pkt_info *pi)
{
	size_t ihl = (pk->ip[0] & 0xf) * 4u;
	uint16_t fo = get16(pk->ip + 6);
	bool first = (fo & 0x1fff) == 0;

	memset(pi, 0, sizeof(*pi));
	pi->afi = AFI_IPV4;
	pi->proto = pk->ip[9];
	pi->src = pk->ip + 12;
	pi->dst = pk->ip + 16;
	pi->pkt_len = (uint16_t)pk->len;
	pi->dscp = pk->ip[1] >> 2;
	/* RFC 8955 s4.2.2.12: DF 1, IsF 2, FF 4, LF 8 */
	pi->frag = (fo & 0x4000 ? 1 : 0) | ((fo & 0x3fff) ? 2 : 0) |
		   (first && (fo & 0x2000) ? 4 : 0) | (!first && !(fo & 0x2000) ? 8 : 0);
	if (!first)
		return;
	if ((pi->proto == IPPROTO_TCP || pi->proto == IPPROTO_UDP) && pk->len >= ihl + 4) {
		pi->has_ports = true;
		pi->sport = get16(pk->ip + ihl);
		pi->dport = get16(pk->ip + ihl + 2);
	}
	if (pi->proto == IPPROTO_TCP && pk->len >= ihl + 14) {
		pi->has_tcpflags = true;
		pi->tcp_flags = pk->ip[ihl + 13];
	}
	if (pi->proto == IPPROTO_ICMP && pk->len >= ihl + 2) {
		pi->has_icmp = true;
		pi->icmp_type = pk->ip[ihl];
		pi->icmp_code = pk->ip[ihl + 1];
	}
}

/* IPv4 lookup in pk->vrf (vrf_route). */
static void ip4_route(struct dp_ctx *dp, struct pkt *pk, int depth)
{
	vrf_route(dp, pk, depth, AFI_IPV4);
}

/* RFC 792 echo: answer pings to our own addresses. */
static void icmp4_echo(struct dp_ctx *dp, struct pkt *pk)
{
	size_t ihl = (pk->ip[0] & 0xf) * 4u;
	uint8_t tmp[4];

	if (pk->ip[9] != IPPROTO_ICMP || pk->len < ihl + 8 || pk->ip[ihl] != 8)
		return;
	memcpy(tmp, pk->ip + 12, 4);
	memcpy(pk->ip + 12, pk->ip + 16, 4);
	memcpy(pk->ip + 16, tmp, 4);
	pk->ip[8] = 65; /* the leaf decrements it */
	ip4_csum(pk->ip);
	pk->ip[ihl] = 0;
	put16(pk->ip + ihl + 2, 0);
	put16(pk->ip + ihl + 2, csum(pk->ip + ihl, pk->len - ihl, 0));
	dp_cnt_add(&dp->g[DP_G_ICMP_ECHO], pk->len);
	TR(dp, "echo request to our address: reply");
	ip4_route(dp, pk, 1);
}

/* Check an IPv4 header (RFC 791) and trim the packet to its total length. */
static bool ip4_check(uint8_t *ip, size_t len, struct pkt *pk)
{
	struct rbuf r;
	uint8_t vihl;
	uint16_t tot;

	rbuf_init(&r, ip, len);
	if (!rbuf_u8(&r, &vihl) || !rbuf_skip(&r, 1) || !rbuf_u16(&r, &tot))
		return false;
	if ((vihl >> 4) != 4 || (vihl & 0xf) < 5 || tot < (vihl & 0xf) * 4u || tot > len ||
	    tot > PKT_MAX || csum(ip, (vihl & 0xf) * 4u, 0) != 0)
		return false;
	pk->ip = ip;
	pk->len = tot;
	return true;
}

/* Start tracing pk (IPv4 or IPv6) when it matches the trace filter. */
static void trace_begin(struct dp_ctx *dp, const struct pkt *pk)
{
	struct dp_vrf *v = dp_vrf_get(&dp->st, pk->vrf);
	char s[IPADDR_STRLEN], d[IPADDR_STRLEN];
	struct ipaddr a = {.afi = pk->v6 ? AFI_IPV6 : AFI_IPV4};
	unsigned n = pk->v6 ? 16 : 4;
	const uint8_t *src = pk->ip + (pk->v6 ? IP6_SRC : 12),
		      *dst = pk->ip + (pk->v6 ? IP6_DST : 16);
	uint8_t proto = pk->ip[pk->v6 ? IP6_NXT : 9], ttl = pk->ip[pk->v6 ? IP6_HLIM : 8];

	if (!dp_trace_match(&dp->trace.f, pk->vrf, v ? v->cfg.name : NULL, a.afi, src, dst, proto))
		return;
	dp_trace_begin(&dp->trace);
	memcpy(a.b, src, n);
	ipaddr_fmt(&a, s, sizeof(s));
	memcpy(a.b, dst, n);
	ipaddr_fmt(&a, d, sizeof(d));
	TR(dp, "packet %s -> %s proto %u ttl %u length %zu", s, d, proto, ttl, pk->len);
}

static void ip4_input(struct dp_ctx *dp, struct pkt *pk, uint8_t *ip, size_t len)
{
	uint32_t dst;

	if (!ip4_check(ip, len, pk)) {
		dp_cnt_add(&dp->g[DP_G_BAD], len);
		return;
	}
	if (__builtin_expect(dp->trace.on, 0)) {
		trace_begin(dp, pk);
		TR(dp, "in interface %s, vrf %u", pk->in->cfg.name, (unsigned)pk->vrf);
	}
	memcpy(&dst, pk->ip + 16, 4);
	if (is_our_addr(dp, pk->vrf, dst))
		icmp4_echo(dp, pk);
	else
		ip4_route(dp, pk, 0);
	dp_trace_end(&dp->trace);
}

/* --- IPv6: addresses, ICMPv6 (RFC 4443), Neighbor Discovery (RFC 4861) --- */

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static bool ip6_is_mc(const uint8_t *a)
{
	return a[0] == 0xff; /* RFC 4291 s2.7 */
}

static bool ip6_is_ll(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80; /* fe80::/10, RFC 4291 s2.5.6 */
}

static bool ip6_is_unspec(const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

/* The interface's link-local address: fe80::/64 and the modified EUI-64
 * identifier of its MAC (RFC 4291 s2.5.1 and appendix A, RFC 4862 s5.3).
 * It is the source of vtopo-dp's ND messages and a gateway address a host
 * may use. */
static void if_ll6(const struct dp_if *ifc, uint8_t *a)
{
	memset(a, 0, 16);
	a[0] = 0xfe;
	a[1] = 0x80;
	a[8] = ifc->mac[0] ^ 0x02;
	a[9] = ifc->mac[1];
	a[10] = ifc->mac[2];
	a[11] = 0xff;
	a[12] = 0xfe;
	memcpy(a + 13, ifc->mac + 3, 3);
}

/* Our IPv6 address on an interface (from the FIB), NULL if none. */
static const uint8_t *if_addr6(const struct dp_if *ifc)
{
	for (unsigned i = 0; i < ifc->cfg.n_addr; i++)
		if (ifc->cfg.addr[i].afi == AFI_IPV6)
			return ifc->cfg.addr[i].b;
	return NULL;
}

static const uint8_t *vrf_addr6(struct dp_ctx *dp, fib_vrf_id vrf)
{
	for (size_t i = 0; i < dp->st.ifs.n; i++)
		if (dp->st.ifs.v[i]->cfg.vrf == vrf && if_addr6(dp->st.ifs.v[i]))
			return if_addr6(dp->st.ifs.v[i]);
	return NULL;
}

/* Is a ours: the link-local address of in, or an IPv6 address of the VRF? */
static bool is_our_addr6(struct dp_ctx *dp, const struct dp_if *in, const uint8_t *a)
{
	uint8_t ll[16];

	if_ll6(in, ll);
	if (memcmp(a, ll, 16) == 0)
		return true;
	for (size_t i = 0; i < dp->st.ifs.n; i++) {
		const struct dp_if *ifc = dp->st.ifs.v[i];
		if (ifc->cfg.vrf != in->cfg.vrf)
			continue;
		for (unsigned j = 0; j < ifc->cfg.n_addr; j++)
			if (ifc->cfg.addr[j].afi == AFI_IPV6 && !memcmp(ifc->cfg.addr[j].b, a, 16))
				return true;
	}
	return false;
}

/* RFC 8200 s8.1: the upper-layer checksum over the pseudo-header (source,
 * destination, upper-layer length, next header) and the n octets at l4. */
static uint16_t csum6(const uint8_t *ip, const uint8_t *l4, size_t n, uint8_t proto)
{
	uint32_t sum = (uint32_t)(n >> 16) + (uint32_t)(n & 0xffff) + proto;

	for (size_t i = 0; i < 32; i += 2)
		sum += get16(ip + IP6_SRC + i);
	return csum(l4, n, sum);
}

static void ip6_hdr(uint8_t *ip, const uint8_t *src, const uint8_t *dst, uint16_t plen, uint8_t nxt,
		    uint8_t hlim)
{
	memset(ip, 0, 8);
	ip[0] = 0x60; /* version 6, traffic class and flow label 0 */
	put16(ip + 4, plen);
	ip[IP6_NXT] = nxt;
	ip[IP6_HLIM] = hlim;
	memcpy(ip + IP6_SRC, src, 16);
	memcpy(ip + IP6_DST, dst, 16);
}

/* RFC 4443 s2.4 (f): ICMPv6 errors MUST be rate-limited, with a token
 * bucket as it recommends (bursts such as a traceroute pass): at most
 * DP_ICMP6_BURST at once, refilled with DP_ICMP6_PER_S a second.  One
 * bucket per data plane. */
#define DP_ICMP6_BURST 64
#define DP_ICMP6_PER_S 100

static bool icmp6_allow(struct dp_ctx *dp)
{
	struct timespec ts;
	uint64_t now, add;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	if (dp->icmp6_refill_ms == 0) /* first use: a full bucket */
		dp->icmp6_tokens = DP_ICMP6_BURST;
	add = (now - dp->icmp6_refill_ms) * DP_ICMP6_PER_S / 1000;
	if (add > 0 || dp->icmp6_refill_ms == 0) {
		dp->icmp6_tokens =
		    (unsigned)(add >= DP_ICMP6_BURST - dp->icmp6_tokens ? DP_ICMP6_BURST
									: dp->icmp6_tokens + add);
		dp->icmp6_refill_ms = now;
	}
	if (dp->icmp6_tokens == 0)
		return false;
	dp->icmp6_tokens--;
	return true;
}

/* RFC 4443 s2.4: an ICMPv6 error about pk with as much of it as fits the
 * minimum MTU (s2.4 (c), 1280 octets), routed in the VRF the packet was
 * in.  Its source, as for IPv4: the receiving interface's address, any
 * IPv6 address of the VRF, the underlay address if it is IPv6; else
 * (vtopod gives vtopo-dp's interfaces no address) the IPv4 underlay
 * address embedded in the local-use prefix 64:ff9b:1::/96 (RFC 8215, RFC
 * 6052 s2.2), so a traceroute6 names the PE by its underlay address as
 * traceroute does (RFC 1812 s4.3.2.4).  With none, the error is counted
 * (icmp6-no-source) and not sent. */
static void icmp6_error(struct dp_ctx *dp, const struct pkt *pk, uint8_t type, uint8_t code,
			uint32_t param)
{
	static uint8_t buf[1280];
	uint8_t embedded[16];
	const uint8_t *src = NULL;
	size_t quote = pk->len;
	uint8_t proto = 0;
	uint16_t frag;
	bool is_frag;
	size_t off = ip6_upper(pk, &proto, &frag, &is_frag);
	struct pkt e = {.ip = buf, .in = NULL, .vrf = pk->vrf, .v6 = true};

	/* s2.4 (e): none about an ICMPv6 error, a multicast destination
	 * (Packet Too Big excepted) or an unspecified or multicast source */
	if (proto == IPPROTO_ICMPV6 && off < pk->len && pk->ip[off] < 128)
		return;
	if (ip6_is_mc(pk->ip + IP6_SRC) || ip6_is_unspec(pk->ip + IP6_SRC) ||
	    (ip6_is_mc(pk->ip + IP6_DST) && type != 2))
		return;
	if (pk->in)
		src = if_addr6(pk->in);
	if (src == NULL)
		src = vrf_addr6(dp, pk->vrf);
	if (src == NULL && dp->underlay.afi == AFI_IPV6)
		src = dp->underlay.b;
	if (src == NULL && dp->underlay.afi == AFI_IPV4) {
		static const uint8_t wkp[12] = {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01};
		memcpy(embedded, wkp, 12);
		memcpy(embedded + 12, dp->underlay.b, 4);
		src = embedded;
	}
	if (src == NULL) {
		dp_cnt_add(&dp->g[DP_G_NO_SRC6], pk->len);
		return;
	}
	if (!icmp6_allow(dp)) {
		dp_cnt_add(&dp->g[DP_G_ICMP6_RL], pk->len);
		return;
	}
	if (quote > sizeof(buf) - IP6_HLEN - 8)
		quote = sizeof(buf) - IP6_HLEN - 8;
	ip6_hdr(buf, src, pk->ip + IP6_SRC, (uint16_t)(8 + quote), IPPROTO_ICMPV6, 64);
	buf[40] = type;
	buf[41] = code;
	put16(buf + 42, 0);
	put32(buf + 44, param); /* s3.2: the MTU; s3.3: unused, 0 */
	memcpy(buf + 48, pk->ip, quote);
	put16(buf + 42, csum6(buf, buf + 40, 8 + quote, IPPROTO_ICMPV6));
	e.len = 48 + quote;
	buf[IP6_HLIM]++; /* the leaf decrements it once */
	ip6_route(dp, &e, 1);
}

static const uint8_t *nd_find(const struct dp_if *ifc, const uint8_t *ip)
{
	for (unsigned i = 0; i < ifc->n_nd && i < DP_ARP_MAX; i++)
		if (memcmp(ifc->nd[i].ip, ip, 16) == 0)
			return ifc->nd[i].mac;
	return NULL;
}

static void nd_learn(struct dp_if *ifc, const uint8_t *ip, const uint8_t *mac)
{
	unsigned i;

	for (i = 0; i < ifc->n_nd && i < DP_ARP_MAX; i++)
		if (memcmp(ifc->nd[i].ip, ip, 16) == 0)
			break;
	if (i == ifc->n_nd || i == DP_ARP_MAX)
		i = ifc->n_nd++ % DP_ARP_MAX;
	memcpy(ifc->nd[i].ip, ip, 16);
	memcpy(ifc->nd[i].mac, mac, 6);
	neigh_flush(ifc, true, ip, mac);
}

/* An NS (135) or NA (136) from the interface's link-local address with
 * one link-layer address option, ours (RFC 4861 s4.3, s4.4, s4.6.1). */
static void nd_send(struct dp_if *ifc, const uint8_t *dmac, const uint8_t *dst, uint8_t type,
		    uint32_t flags, const uint8_t *target)
{
	uint8_t f[ETH_HLEN_ + IP6_HLEN + 32], src[16];
	uint8_t *ip = f + ETH_HLEN_, *m = ip + IP6_HLEN;

	if_ll6(ifc, src);
	memcpy(f, dmac, 6);
	memcpy(f + 6, ifc->mac, 6);
	put16(f + 12, ETHERTYPE_IPV6);
	ip6_hdr(ip, src, dst, 32, IPPROTO_ICMPV6, 255); /* s7.1: hop limit 255 */
	memset(m, 0, 32);
	m[0] = type;
	put32(m + 4, flags);
	memcpy(m + 8, target, 16);
	m[24] = type == 135 ? 1 : 2; /* source / target link-layer address */
	m[25] = 1;		     /* 8 octets */
	memcpy(m + 26, ifc->mac, 6);
	put16(m + 2, csum6(ip, m, 32, IPPROTO_ICMPV6));
	if (dp_io_send(ifc, f, sizeof(f)) == 0)
		dp_cnt_add(&ifc->tx, sizeof(f));
}

/* RFC 4861 s7.2.2: resolve target with an NS to its solicited-node
 * multicast address ff02::1:ffXX:XXXX (RFC 4291 s2.7.1), on Ethernet
 * 33:33 and the address's last 32 bits (RFC 2464 s7). */
static void nd_solicit(struct dp_if *ifc, const uint8_t *target)
{
	uint8_t dst[16] = {0xff, 0x02, [11] = 0x01, [12] = 0xff};
	uint8_t dmac[6] = {0x33, 0x33, 0xff};

	memcpy(dst + 13, target + 13, 3);
	memcpy(dmac + 3, target + 13, 3);
	nd_send(ifc, dmac, dst, 135, 0, target);
}

/* The link-layer address option of kind want (1 source, 2 target) among
 * the options (RFC 4861 s4.6); NULL when absent or an option is malformed
 * (s7.1.1: a zero length). */
static const uint8_t *nd_lladdr(const uint8_t *opt, size_t n, uint8_t want)
{
	while (n >= 2) {
		size_t l = opt[1] * 8u;
		if (l == 0 || l > n)
			return NULL;
		if (opt[0] == want && l >= 8)
			return opt + 2;
		opt += l;
		n -= l;
	}
	return NULL;
}

/* Does vtopo-dp answer an NS for target on in?  Its own addresses; and,
 * as a proxy (RFC 4861 s7.2.8; draft s2: the PE is the hosts' gateway),
 * what the VRF routes or a flow rule of it may steer (flow_covers),
 * except link-local addresses and what lives on this very link (it
 * answers itself). */
static bool nd_answers(struct dp_ctx *dp, struct dp_if *in, const uint8_t *target, bool *own)
{
	struct dp_vrf *v;
	struct dp_route *rt;
	struct dp_nh *nh;

	*own = is_our_addr6(dp, in, target);
	if (*own)
		return true;
	if (ip6_is_ll(target) || (v = dp_vrf_get(&dp->st, in->cfg.vrf)) == NULL)
		return false;
	if ((rt = dp_lpm_lookup(&v->lpm6, target, 128)) == NULL)
		return flow_covers(dp, v->cfg.id, AFI_IPV6, target);
	nh = dp_nh_get(&dp->st, rt->nh);
	return !(nh && nh->cfg.type == FIB_NH_LOCAL && nh->cfg.ifc == in->cfg.id);
}

/* Neighbor Discovery input (RFC 4861): learn the sender of an NS and the
 * target of an NA; answer an NS vtopo-dp answers (nd_answers) with a
 * solicited NA, R set (a router), O set for its own addresses only
 * (s7.2.8: a proxy's does not override).  Returns false when pk is no NS
 * or NA (then it is handled as any other packet). */
static bool nd_input(struct dp_ctx *dp, struct dp_if *in, struct pkt *pk, const uint8_t *smac)
{
	const uint8_t *m = pk->ip + IP6_HLEN, *target = m + 8, *ll;
	size_t n = pk->len - IP6_HLEN;
	bool own;

	if (pk->ip[IP6_NXT] != IPPROTO_ICMPV6 || n < 1 || (m[0] != 135 && m[0] != 136))
		return false;
	/* s7.1.1, s7.1.2: hop limit 255, checksum, code 0, 24 octets or
	 * more, not a multicast target */
	if (pk->ip[IP6_HLIM] != 255 || n < 24 || m[1] != 0 ||
	    csum6(pk->ip, m, n, IPPROTO_ICMPV6) != 0 || ip6_is_mc(target)) {
		dp_cnt_add(&dp->g[DP_G_BAD], pk->len);
		return true;
	}
	if (m[0] == 136) {
		ll = nd_lladdr(m + 24, n - 24, 2);
		nd_learn(in, target, ll ? ll : smac);
		return true;
	}
	/* an unspecified source is Duplicate Address Detection (RFC 4862
	 * s5.4.2): not answered, the host's addresses are its own */
	if (ip6_is_unspec(pk->ip + IP6_SRC))
		return true;
	ll = nd_lladdr(m + 24, n - 24, 1);
	nd_learn(in, pk->ip + IP6_SRC, ll ? ll : smac);
	if (!nd_answers(dp, in, target, &own))
		return true;
	/* s7.2.4: to the solicitation's source, S set */
	nd_send(in, ll ? ll : smac, pk->ip + IP6_SRC, 136,
		0x80000000u | 0x40000000u | (own ? 0x20000000u : 0), target);
	dp_cnt_add(&dp->g[DP_G_ND_ADVERT], 0);
	return true;
}

/* --- IPv6 forwarding --- */

static void pkt_info6(const struct pkt *pk, struct dp_pkt_info *pi)
{
	uint16_t frag;
	bool is_frag;
	size_t off;

	memset(pi, 0, sizeof(*pi));
	pi->afi = AFI_IPV6;
	off = ip6_upper(pk, &pi->proto, &frag, &is_frag); /* RFC 8956 s3.3 */
	pi->src = pk->ip + IP6_SRC;
	pi->dst = pk->ip + IP6_DST;
	pi->pkt_len = (uint16_t)pk->len;
	/* DSCP: the six high bits of the traffic class (RFC 8200 s7) */
	pi->dscp = (uint8_t)((pk->ip[0] & 0xf) << 2 | pk->ip[1] >> 6);
	pi->flow_label = (uint32_t)(pk->ip[1] & 0xf) << 16 | get16(pk->ip + 2); /* s3.7 */
	if (is_frag) { /* RFC 8956 s3.6: IsF 2, FF 4, LF 8 (no DF in IPv6) */
		bool first = (frag & 0xfff8) == 0, more = frag & 1;
		pi->frag = (!first ? 2 : 0) | (first && more ? 4 : 0) | (!first && !more ? 8 : 0);
		if (!first)
			return;
	}
	if ((pi->proto == IPPROTO_TCP || pi->proto == IPPROTO_UDP) && off + 4 <= pk->len) {
		pi->has_ports = true;
		pi->sport = get16(pk->ip + off);
		pi->dport = get16(pk->ip + off + 2);
	}
	if (pi->proto == IPPROTO_TCP && off + 14 <= pk->len) {
		pi->has_tcpflags = true;
		pi->tcp_flags = pk->ip[off + 13];
	}
	if (pi->proto == IPPROTO_ICMPV6 && off + 2 <= pk->len) { /* RFC 8956 s3.4, s3.5 */
		pi->has_icmp = true;
		pi->icmp_type = pk->ip[off];
		pi->icmp_code = pk->ip[off + 1];
	}
}

/* Look the packet up in pk->vrf: FlowSpec rules of the family first
 * (RFC 8955 s5.1 for IPv4, RFC 8956 for IPv6; the order is the writer's:
 * priority), then LPM on the destination address. */
static void vrf_route(struct dp_ctx *dp, struct pkt *pk, int depth, uint8_t afi)
{
	struct dp_vrf *v = dp_vrf_get(&dp->st, pk->vrf);
	struct dp_pkt_info pi;
	struct dp_route *rt;

	if (v == NULL || depth > DP_DEPTH_MAX) {
		TR(dp, "drop: vrf %u %s", (unsigned)pk->vrf, v ? "too deep" : "missing");
		dp_cnt_add(&dp->g[DP_G_NO_NH], pk->len);
		return;
	}
	dp_cnt_add(&v->lookups, pk->len);
	if (dp->st.flows.n) {
		if (afi == AFI_IPV4)
			pkt_info(pk, &pi);
		else
			pkt_info6(pk, &pi);
		for (size_t i = 0; i < dp->st.flows.n; i++) {
			struct dp_flow *f = &dp->st.flows.v[i];
			if (f->cfg.vrf != pk->vrf || f->cfg.afi != afi ||
			    !dp_flow_match(f->cfg.nlri, f->cfg.nlri_len, afi, &pi))
				continue;
			dp_cnt_add(&f->cnt, pk->len);
			dp_cnt_add(&v->flow_hits, pk->len);
			TR(dp, "vrf %s (%u): flowspec rule %u -> nh %u", v->cfg.name,
			   (unsigned)pk->vrf, (unsigned)f->cfg.id, (unsigned)f->cfg.nh);
			nh_out(dp, f->cfg.nh, pk, depth + 1);
			return;
		}
	}
	rt = afi == AFI_IPV4 ? dp_lpm_lookup(&v->lpm4, pk->ip + 16, 32)
			     : dp_lpm_lookup(&v->lpm6, pk->ip + IP6_DST, 128);
	if (rt == NULL) {
		TR(dp, "vrf %s (%u): no route: drop", v->cfg.name, (unsigned)pk->vrf);
		dp_cnt_add(&v->no_route, pk->len);
		return;
	}
	dp_cnt_add(&rt->cnt, pk->len);
	if (__builtin_expect(dp->trace.cur != NULL, 0)) {
		char p[PREFIX_STRLEN];
		dp_trace_step(&dp->trace, "vrf %s (%u): route %s -> nh %u", v->cfg.name,
			      (unsigned)pk->vrf, prefix_fmt(&rt->prefix, p, sizeof(p)),
			      (unsigned)rt->nh);
	}
	nh_out(dp, rt->nh, pk, depth + 1);
}

/* IPv6 lookup in pk->vrf (vrf_route). */
static void ip6_route(struct dp_ctx *dp, struct pkt *pk, int depth)
{
	vrf_route(dp, pk, depth, AFI_IPV6);
}

/* Check an IPv6 header (RFC 8200 s3) and trim the packet to its payload
 * length. */
static bool ip6_check(uint8_t *ip, size_t len, struct pkt *pk)
{
	struct rbuf r;
	uint8_t v;
	uint16_t plen;

	rbuf_init(&r, ip, len);
	if (!rbuf_u8(&r, &v) || !rbuf_skip(&r, 3) || !rbuf_u16(&r, &plen) ||
	    !rbuf_skip(&r, IP6_HLEN - 6))
		return false;
	if ((v >> 4) != 6 || IP6_HLEN + (size_t)plen > len || IP6_HLEN + (size_t)plen > PKT_MAX)
		return false;
	pk->ip = ip;
	pk->len = IP6_HLEN + (size_t)plen;
	pk->v6 = true;
	return true;
}

/* RFC 4443 s4.2: answer an echo request to one of our addresses, on the
 * link it came from (to the sender's MAC). */
static void icmp6_echo(struct dp_ctx *dp, struct pkt *pk, const uint8_t *smac)
{
	static uint8_t frame[ETH_HLEN_ + PKT_MAX];
	uint8_t *ip = frame + ETH_HLEN_, *m = ip + IP6_HLEN;
	size_t n = pk->len - IP6_HLEN;

	if (pk->ip[IP6_NXT] != IPPROTO_ICMPV6 || n < 8 || pk->ip[IP6_HLEN] != 128 ||
	    csum6(pk->ip, pk->ip + IP6_HLEN, n, IPPROTO_ICMPV6) != 0)
		return;
	memcpy(frame, smac, 6);
	memcpy(frame + 6, pk->in->mac, 6);
	put16(frame + 12, ETHERTYPE_IPV6);
	ip6_hdr(ip, pk->ip + IP6_DST, pk->ip + IP6_SRC, (uint16_t)n, IPPROTO_ICMPV6, 64);
	memcpy(m, pk->ip + IP6_HLEN, n);
	m[0] = 129;
	put16(m + 2, 0);
	put16(m + 2, csum6(ip, m, n, IPPROTO_ICMPV6));
	if (dp_io_send(pk->in, frame, ETH_HLEN_ + pk->len) == 0) {
		dp_cnt_add(&pk->in->tx, ETH_HLEN_ + pk->len);
		dp_cnt_add(&dp->g[DP_G_ICMP_ECHO], pk->len);
	}
}

static void ip6_input(struct dp_ctx *dp, struct pkt *pk, uint8_t *ip, size_t len,
		      const uint8_t *smac, bool mcast)
{
	if (!ip6_check(ip, len, pk)) {
		dp_cnt_add(&dp->g[DP_G_BAD], len);
		return;
	}
	/* ND first: an NS may be unicast to the very address it asks about
	 * (RFC 4861 s7.3.3 reachability probes) */
	if (nd_input(dp, pk->in, pk, smac))
		return;
	if (mcast || ip6_is_mc(pk->ip + IP6_DST))
		return; /* router solicitations, MLD: nothing vtopo-dp needs */
	if (is_our_addr6(dp, pk->in, pk->ip + IP6_DST)) {
		icmp6_echo(dp, pk, smac);
		return;
	}
	/* RFC 4291 s2.5.6: link-local packets stay on their link */
	if (ip6_is_ll(pk->ip + IP6_SRC) || ip6_is_ll(pk->ip + IP6_DST) ||
	    ip6_is_unspec(pk->ip + IP6_SRC) || ip6_is_mc(pk->ip + IP6_SRC)) {
		dp_cnt_add(&dp->g[DP_G_SCOPE], pk->len);
		return;
	}
	if (__builtin_expect(dp->trace.on, 0)) {
		trace_begin(dp, pk);
		TR(dp, "in interface %s, vrf %u", pk->in->cfg.name, (unsigned)pk->vrf);
	}
	ip6_route(dp, pk, 0);
	dp_trace_end(&dp->trace);
}

void dp_fwd_frame(struct dp_ctx *dp, struct dp_if *in, uint8_t *frame, size_t len)
{
	struct rbuf r;
	uint8_t dmac[6];
	uint16_t type;
	struct pkt pk = {.in = in, .vrf = in->cfg.vrf};

	dp_cnt_add(&in->rx, len);
	rbuf_init(&r, frame, len);
	if (!rbuf_bytes(&r, dmac, 6) || !rbuf_skip(&r, 6) || !rbuf_u16(&r, &type)) {
		dp_cnt_add(&dp->g[DP_G_BAD], len);
		return;
	}
	if (type == ETHERTYPE_ARP) {
		arp_input(dp, in, &r);
	} else if (type == ETHERTYPE_IP) {
		if (memcmp(dmac, in->mac, 6) != 0)
			return; /* not for us (broadcast IP is not forwarded) */
		ip4_input(dp, &pk, frame + rbuf_off(&r), rbuf_left(&r));
	} else if (type == ETHERTYPE_IPV6) {
		bool mcast = dmac[0] & 1; /* ND to solicited-node multicast */
		if (!mcast && memcmp(dmac, in->mac, 6) != 0)
			return;
		ip6_input(dp, &pk, frame + rbuf_off(&r), rbuf_left(&r), frame + 6, mcast);
	} else {
		dp_cnt_add(&dp->g[DP_G_NOT_IPV4], len);
	}
}

void dp_fwd_udp(struct dp_ctx *dp, const struct ipaddr *src, uint8_t *p, size_t len)
{
	struct dp_peer *peer = dp_peer_get(&dp->st, src);
	struct dp_label *l;
	struct rbuf r;
	uint32_t e, top;
	struct dp_nh *nh;
	struct pkt pk = {.in = NULL};
	uint8_t *ip;

	if (peer == NULL) { /* RFC 7510 s5: accept only from configured PEs */
		dp_cnt_add(&dp->g[DP_G_NOT_PEER], len);
		return;
	}
	dp_cnt_add(&peer->rx, len);
	rbuf_init(&r, p, len);
	if (!rbuf_u32(&r, &top)) {
		dp_cnt_add(&dp->g[DP_G_BAD], len);
		return;
	}
	/* the top label selects the nh; inner entries down to BoS are popped */
	for (e = top; !(e & 0x100);)
		if (!rbuf_u32(&r, &e)) {
			dp_cnt_add(&dp->g[DP_G_BAD], len);
			return;
		}
	dp_cnt_add(&dp->g[DP_G_DECAP], len);
	if ((l = dp_labels_get(&dp->st.labels, top >> 12)) == NULL) {
		dp_cnt_add(&dp->g[DP_G_NO_LABEL], len);
		return;
	}
	dp_cnt_add(&l->cnt, len);
	/* RFC 7510 s3, RFC 3032 s2.2: the first nibble after the bottom
	 * label tells IPv4 from IPv6 */
	ip = p + rbuf_off(&r);
	if (rbuf_left(&r) == 0 ||
	    !((ip[0] >> 4) == 4 ? ip4_check(ip, rbuf_left(&r), &pk)
				: (ip[0] >> 4) == 6 && ip6_check(ip, rbuf_left(&r), &pk))) {
		dp_cnt_add(&dp->g[DP_G_NOT_IPV4], len);
		return;
	}
	/* context for ICMP errors: the VRF behind the label */
	nh = dp_nh_get(&dp->st, l->nh);
	if (nh && nh->cfg.type == FIB_NH_LOOKUP)
		pk.vrf = nh->cfg.vrf;
	else if (nh && nh->cfg.type == FIB_NH_LOCAL && dp_if_get(&dp->st, nh->cfg.ifc))
		pk.vrf = dp_if_get(&dp->st, nh->cfg.ifc)->cfg.vrf;
	if (__builtin_expect(dp->trace.on, 0)) {
		char a[IPADDR_STRLEN];
		trace_begin(dp, &pk);
		TR(dp, "in underlay from PE %s, label %u -> nh %u", ipaddr_fmt(src, a, sizeof(a)),
		   top >> 12, (unsigned)l->nh);
	}
	nh_out(dp, l->nh, &pk, 0);
	dp_trace_end(&dp->trace);
}
