/*
 * dp_fwd: the packet path of vtopo-dp.  Frames from attachments
 * (dp_fwd_frame) and MPLS-in-UDP payloads from the underlay (dp_fwd_udp)
 * go through the VRF (FlowSpec, then LPM), next-hop objects and out.
 *
 * Not for: sockets (dp_io.c), table updates (dp_state.c).
 */
#ifndef VTOPO_DP_FWD_H
#define VTOPO_DP_FWD_H

#include "dp/dp_state.h"
#include "dp/dp_trace.h"

#define DP_MPLS_UDP_PORT 6635 /* RFC 7510 s3 */

enum dp_glob {
	DP_G_NOT_PEER,	  /* MPLS-in-UDP from an address that is no PE peer */
	DP_G_DECAP,	  /* MPLS-in-UDP accepted */
	DP_G_ENCAP,	  /* MPLS-in-UDP sent */
	DP_G_NO_LABEL,	  /* label not in the table */
	DP_G_TTL_EXPIRED, /* ICMP time exceeded sent (or due) */
	DP_G_FRAG_NEEDED, /* ICMP fragmentation needed sent */
	DP_G_TOO_BIG,	  /* too big without DF: dropped (no fragmentation) */
	DP_G_ARP_MISS,	  /* next hop not resolved yet */
	DP_G_NO_NH,	  /* nh id without object, or recursion too deep */
	DP_G_DROP_NH,	  /* DROP next hop */
	DP_G_BAD,	  /* malformed packet */
	DP_G_NOT_IPV4,	  /* neither IPv4 nor IPv6 (nor ARP): not forwarded */
	DP_G_ARP_PROXY,	  /* ARP replies sent */
	DP_G_ICMP_ECHO,	  /* echo replies for our own addresses */
	DP_G_ND_ADVERT,	  /* Neighbor Advertisements sent (RFC 4861 s7.2.4) */
	DP_G_PKT_TOO_BIG, /* ICMPv6 Packet Too Big sent (RFC 4443 s3.2) */
	DP_G_SCOPE,	  /* IPv6 link-local or multicast: not forwarded */
	DP_G_NO_SRC6,	  /* ICMPv6 error due, no IPv6 address to send it from */
	DP_G_ICMP6_RL,	  /* ICMPv6 errors not sent: rate limit (RFC 4443 s2.4 (f)) */
	DP_G_MAX
};
extern const char *const dp_glob_names[DP_G_MAX];

/* How attachments and service interfaces are read (dp_io.c). */
enum dp_io_kind {
	DP_IO_PACKET,  /* recvfrom() on an AF_PACKET socket, one frame a call */
	DP_IO_TPACKET, /* a TPACKET_V3 receive ring (PACKET_RX_RING) */
	DP_IO_BATCH,   /* the ring, and every write batched: sendmmsg()/recvmmsg() */
};

struct dp_ctx {
	struct dp_state st;
	enum dp_io_kind io_kind;
	struct ev_loop *loop;
	struct ipaddr underlay;
	uint16_t underlay_mtu;
	int udp_fd;
	struct ev_io *udp_io;
	struct dp_cnt g[DP_G_MAX];
	/* ICMPv6 error token bucket (dp_fwd.c): tokens, refilled at (ms) */
	unsigned icmp6_tokens;
	uint64_t icmp6_refill_ms;
	struct dp_trace trace; /* off unless switched on (dp_ctl.c) */
};

void dp_fwd_frame(struct dp_ctx *dp, struct dp_if *in, uint8_t *frame, size_t len);
void dp_fwd_udp(struct dp_ctx *dp, const struct ipaddr *src, uint8_t *p, size_t len);
/* A LOCAL next hop with a gateway whose MAC is not known yet: ask for it
 * (ARP request or NS) now, so that its first packets find it. */
void dp_fwd_resolve(struct dp_ctx *dp, const struct fib_nh *nh);

/* dp_io.c: send a frame on an interface; send a datagram (iov[0..n-1]) on
 * the underlay socket.  0, or -1 when it could not go (or be queued). */
struct iovec;
int dp_io_send(struct dp_if *ifc, const void *frame, size_t len);
int dp_io_udp_send(struct dp_ctx *dp, const void *to, unsigned tolen, const struct iovec *iov,
		   int n);

#endif
