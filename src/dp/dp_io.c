/*
 * dp_io: vtopo-dp's packet I/O.  Attachments and service interfaces are
 * read and written with AF_PACKET sockets (one SOCK_RAW socket bound to the
 * interface, PACKET_IGNORE_OUTGOING so that our own transmissions are not
 * read back), read in one of two ways (vtopo-dp -i):
 *
 *   packet   recvfrom(), one frame per system call, up to 64 per wakeup;
 *   tpacket  (the default: faster, bench/README.md "dp_pps")
 *            a TPACKET_V3 receive ring (PACKET_RX_RING, see the kernel's
 *            Documentation/networking/packet_mmap.rst): the kernel fills
 *            blocks of frames in shared memory and hands a block over when
 *            it is full or DP_RING_TOV_MS after its first frame; we forward
 *            every frame of each block handed over and give it back.  A
 *            socket that cannot have a ring is read with recvfrom().
 *
 * Frames are written with send() in both.  The underlay is a UDP socket on port 6635 (RFC 7510
 * s3) bound to the configured underlay address, so the kernel owns the
 * outer IP header and underlay ARP.  An interface that does not exist yet
 * is retried once a second.
 *
 * Not for: what is done with a packet (dp_fwd.c).
 */
#include "dp/dp_io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/ev.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

/* The TPACKET_V3 receive ring: DP_RING_BLOCKS blocks of DP_RING_BSIZE. */
#define DP_RING_BSIZE (1u << 18)
#define DP_RING_BLOCKS 16u
#define DP_RING_FSIZE 2048u /* frame_size: only bounds tp_frame_nr in V3 */
#define DP_RING_TOV_MS 1u   /* a block that is not full is retired after this */

struct dp_ring {
	uint8_t *map;
	size_t len;
	unsigned cur; /* the next block to look at */
};

int dp_io_send(struct dp_if *ifc, const void *frame, size_t len)
{
	if (ifc->fd < 0 || send(ifc->fd, frame, len, MSG_DONTWAIT) < 0)
		return -1;
	return 0;
}

static void if_read(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct dp_if *ifc = arg;
	struct dp_ctx *dp = ifc->owner;
	static uint8_t buf[65536];
	struct sockaddr_ll sll;
	socklen_t sl;
	ssize_t n;

	(void)loop;
	(void)events;
	for (int i = 0; i < 64; i++) { /* bounded per turn */
		sl = sizeof(sll);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sll, &sl);
		if (n < 0)
			return;
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		dp_fwd_frame(dp, ifc, buf, (size_t)n);
	}
}

static void ring_read(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct dp_if *ifc = arg;
	struct dp_ctx *dp = ifc->owner;
	struct dp_ring *ring = ifc->ring;

	(void)loop;
	(void)fd;
	(void)events;
	for (unsigned b = 0; b < DP_RING_BLOCKS; b++) { /* bounded per turn */
		uint8_t *blk = ring->map + (size_t)ring->cur * DP_RING_BSIZE;
		struct tpacket_block_desc *bd = (struct tpacket_block_desc *)blk;
		struct tpacket3_hdr *h;
		uint32_t n, off;

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			return;
		n = bd->hdr.bh1.num_pkts;
		off = bd->hdr.bh1.offset_to_first_pkt;
		for (uint32_t i = 0; i < n && off >= sizeof(*bd) && off < DP_RING_BSIZE; i++) {
			const struct sockaddr_ll *sll;

			h = (struct tpacket3_hdr *)(blk + off);
			sll =
			    (const struct sockaddr_ll *)((uint8_t *)h + TPACKET_ALIGN(sizeof(*h)));
			/* the kernel wrote the offsets; check them against the block all the same
			 */
			if ((size_t)off + h->tp_mac + h->tp_snaplen <= DP_RING_BSIZE &&
			    sll->sll_pkttype != PACKET_OUTGOING)
				dp_fwd_frame(dp, ifc, (uint8_t *)h + h->tp_mac, h->tp_snaplen);
			if (h->tp_next_offset == 0)
				break;
			off += h->tp_next_offset;
		}
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		ring->cur = (ring->cur + 1) % DP_RING_BLOCKS;
	}
}

/* PACKET_RX_RING version 3 on fd (not bound yet); 0 or -1. */
static int ring_open(struct dp_if *ifc, int fd)
{
	int v = TPACKET_V3;
	struct tpacket_req3 req = {
	    .tp_block_size = DP_RING_BSIZE,
	    .tp_block_nr = DP_RING_BLOCKS,
	    .tp_frame_size = DP_RING_FSIZE,
	    .tp_frame_nr = DP_RING_BSIZE / DP_RING_FSIZE * DP_RING_BLOCKS,
	    .tp_retire_blk_tov = DP_RING_TOV_MS,
	};
	struct dp_ring *ring;

	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return -1;
	if ((ring = calloc(1, sizeof(*ring))) == NULL)
		return -1;
	ring->len = (size_t)DP_RING_BSIZE * DP_RING_BLOCKS;
	ring->map = mmap(NULL, ring->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, fd, 0);
	if (ring->map == MAP_FAILED) /* MAP_LOCKED needs RLIMIT_MEMLOCK: try without */
		ring->map = mmap(NULL, ring->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring->map == MAP_FAILED) {
		free(ring);
		return -1;
	}
	ifc->ring = ring;
	return 0;
}

static void ring_close(struct dp_if *ifc)
{
	struct dp_ring *ring = ifc->ring;

	if (ring == NULL)
		return;
	munmap(ring->map, ring->len);
	free(ring);
	ifc->ring = NULL;
}

static int if_open(struct dp_ctx *dp, struct dp_if *ifc)
{
	struct ifreq ifr;
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
	int fd, one = 1;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifc->cfg.name) >= IFNAMSIZ)
		return -1;
	memcpy(ifr.ifr_name, ifc->cfg.name, strlen(ifc->cfg.name));
	if ((fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL))) < 0)
		return -1;
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		goto fail;
	sll.sll_ifindex = ifr.ifr_ifindex;
	ifc->ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		goto fail;
	memcpy(ifc->mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		goto fail;
	ifc->mtu = ifc->cfg.mtu ? ifc->cfg.mtu : (uint16_t)ifr.ifr_mtu;
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (dp->io_kind == DP_IO_TPACKET && ring_open(ifc, fd) != 0)
		fprintf(stderr, "vtopo-dp: %s: no TPACKET_V3 ring (%s), reading with recvfrom\n",
			ifc->cfg.name, strerror(errno));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		goto fail;
	ifc->owner = dp;
	if ((ifc->io = ev_io_add(dp->loop, fd, EV_READ, ifc->ring ? ring_read : if_read, ifc)) ==
	    NULL)
		goto fail;
	ifc->fd = fd;
	return 0;
fail:
	ring_close(ifc);
	close(fd);
	return -1;
}

static void if_up(void *arg, struct dp_if *ifc)
{
	(void)if_open(arg, ifc); /* retried by the timer when missing */
}

static void if_down(void *arg, struct dp_if *ifc)
{
	(void)arg;
	if (ifc->io)
		ev_io_del(ifc->io);
	if (ifc->fd >= 0)
		close(ifc->fd);
	ring_close(ifc);
	ifc->io = NULL;
	ifc->fd = -1;
}

static void if_retry(struct ev_loop *loop, void *arg)
{
	struct dp_ctx *dp = arg;

	(void)loop;
	for (size_t i = 0; i < dp->st.ifs.n; i++)
		if (dp->st.ifs.v[i]->fd < 0)
			(void)if_open(dp, dp->st.ifs.v[i]);
}

static void udp_read(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct dp_ctx *dp = arg;
	static uint8_t buf[65536];
	struct sockaddr_storage ss;
	socklen_t sl;
	struct ipaddr src;
	ssize_t n;

	(void)loop;
	(void)events;
	for (int i = 0; i < 64; i++) {
		sl = sizeof(ss);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&ss, &sl);
		if (n < 0)
			return;
		if (ss.ss_family == AF_INET6) { /* an IPv6 underlay */
			memset(&src, 0, sizeof(src));
			src.afi = AFI_IPV6;
			memcpy(src.b, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
		} else {
			ipaddr_from_v4(&src, ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr));
		}
		dp_fwd_udp(dp, &src, buf, (size_t)n);
	}
}

int dp_io_init(struct dp_ctx *dp, struct ev_timer *retry)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(DP_MPLS_UDP_PORT)};
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(DP_MPLS_UDP_PORT)};
	bool v6 = dp->underlay.afi == AFI_IPV6;
	int fd;

	dp->st.if_up = if_up;
	dp->st.if_down = if_down;
	dp->st.io_arg = dp;
	ev_timer_init(retry, if_retry, dp);
	ev_timer_start(dp->loop, retry, 1000, 1000);
	dp->udp_fd = -1;
	if (dp->underlay.afi != AFI_IPV4 && !v6)
		return 0; /* no underlay: a single-PE data plane */
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	memcpy(&sin.sin_addr, dp->underlay.b, 4);
	memcpy(&sin6.sin6_addr, dp->underlay.b, 16);
	/* an IPv6 underlay is IPv6 only: IPv4 PEs need an IPv4 one */
	if ((v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int)) < 0) ||
	    (v6 ? bind(fd, (struct sockaddr *)&sin6, sizeof(sin6))
		: bind(fd, (struct sockaddr *)&sin, sizeof(sin))) < 0 ||
	    (dp->udp_io = ev_io_add(dp->loop, fd, EV_READ, udp_read, dp)) == NULL) {
		close(fd);
		return -1;
	}
	dp->udp_fd = fd;
	return 0;
}

void dp_io_fini(struct dp_ctx *dp, struct ev_timer *retry)
{
	ev_timer_stop(dp->loop, retry);
	if (dp->udp_fd >= 0) {
		ev_io_del(dp->udp_io);
		close(dp->udp_fd);
	}
	dp->udp_fd = -1;
}
