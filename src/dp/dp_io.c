/*
 * dp_io: vtopo-dp's packet I/O.  Attachments and service interfaces are
 * read and written with AF_PACKET sockets (one SOCK_RAW socket bound to the
 * interface, PACKET_IGNORE_OUTGOING so that our own transmissions are not
 * read back), read in one of two ways (vtopo-dp -i):
 *
 *   packet   recvfrom(), one frame per system call, up to 64 per wakeup;
 *   tpacket  a TPACKET_V3 receive ring (PACKET_RX_RING, see the kernel's
 *            Documentation/networking/packet_mmap.rst): the kernel fills
 *            blocks of frames in shared memory and hands a block over when
 *            it is full or DP_RING_TOV_MS after its first frame; we forward
 *            every frame of each block handed over and give it back.  A
 *            socket that cannot have a ring is read with recvfrom().
 *   batch    (the default: the fastest, bench/README.md "dp_pps")
 *            the ring, and writes batched: while a read callback forwards
 *            what it read, frames and MPLS-in-UDP datagrams are copied into
 *            a queue per socket (DP_BATCH of up to DP_BATCH_BUF octets) and
 *            written with one sendmmsg() per queue when the callback ends
 *            or the queue is full; the underlay is read with recvmmsg().
 *            A send that fails in a batch is counted as the interface's
 *            drop (no-nexthop for the underlay), not traced.
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

/* The TPACKET_V3 receive ring: DP_RING_BLOCKS blocks of DP_RING_BSIZE,
 * at most DP_RING_TURN blocks forwarded per wakeup: a block holds some 500
 * small frames, and forwarding many blocks in one go sends bursts that
 * overflow the next PE's socket buffer and starve this process's other
 * sockets (bench/dp_pps saw the loss after Serv-A). */
#define DP_RING_BSIZE (1u << 16)
#define DP_RING_BLOCKS 64u
#define DP_RING_TURN 1u
#define DP_RING_FSIZE 2048u /* frame_size: only bounds tp_frame_nr in V3 */
#define DP_RING_TOV_MS 1u   /* a block that is not full is retired after this */

/* A transmit batch (-i batch) for one socket. */
#define DP_BATCH 32
#define DP_BATCH_BUF 2048
#define DP_UDP_RX_BUF 9300 /* PKT_MAX of dp_fwd.c and a label stack */

struct dp_txq {
	int fd;
	unsigned n;
	bool pending;	     /* on the pending list */
	struct dp_cnt *fail; /* where a failed send is counted */
	struct mmsghdr mm[DP_BATCH];
	struct iovec iov[DP_BATCH];
	struct sockaddr_in6 to[DP_BATCH]; /* room for either family */
	uint8_t buf[DP_BATCH][DP_BATCH_BUF];
};

/* Queues written to in this read callback; batching only inside one. */
#define DP_PENDING_MAX 64
static struct dp_txq *pending[DP_PENDING_MAX];
static unsigned n_pending;
static bool in_turn;
static struct dp_txq *udp_q;

static void txq_flush(struct dp_txq *q)
{
	unsigned sent = 0;

	while (sent < q->n) {
		int r = sendmmsg(q->fd, q->mm + sent, q->n - sent, MSG_DONTWAIT);
		if (r <= 0)
			break;
		sent += (unsigned)r;
	}
	for (unsigned i = sent; i < q->n; i++)
		dp_cnt_add(q->fail, q->iov[i].iov_len);
	q->n = 0;
}

/* Queue a copy of iov[0..niov-1] (to: the datagram's destination, tolen
 * octets, or NULL); -1 when it does not fit a slot (the caller sends it itself). */
static int txq_add(struct dp_txq *q, const void *to, unsigned tolen, const struct iovec *iov,
		   int niov)
{
	size_t len = 0;
	uint8_t *b = q->buf[q->n];

	for (int i = 0; i < niov; i++)
		len += iov[i].iov_len;
	if (len > DP_BATCH_BUF || tolen > sizeof(q->to[0]) ||
	    (!q->pending && n_pending == DP_PENDING_MAX))
		return -1;
	for (int i = 0, off = 0; i < niov; off += (int)iov[i].iov_len, i++)
		memcpy(b + off, iov[i].iov_base, iov[i].iov_len);
	q->iov[q->n] = (struct iovec){b, len};
	memset(&q->mm[q->n], 0, sizeof(q->mm[q->n]));
	q->mm[q->n].msg_hdr.msg_iov = &q->iov[q->n];
	q->mm[q->n].msg_hdr.msg_iovlen = 1;
	if (to) {
		memcpy(&q->to[q->n], to, tolen);
		q->mm[q->n].msg_hdr.msg_name = &q->to[q->n];
		q->mm[q->n].msg_hdr.msg_namelen = tolen;
	}
	if (!q->pending) {
		q->pending = true;
		pending[n_pending++] = q;
	}
	if (++q->n == DP_BATCH)
		txq_flush(q);
	return 0;
}

static void turn_begin(const struct dp_ctx *dp)
{
	in_turn = dp->io_kind == DP_IO_BATCH;
}

/* The end of a read callback: everything queued goes out. */
static void turn_end(void)
{
	for (unsigned i = 0; i < n_pending; i++) {
		txq_flush(pending[i]);
		pending[i]->pending = false;
	}
	n_pending = 0;
	in_turn = false;
}

struct dp_ring {
	uint8_t *map;
	size_t len;
	unsigned cur; /* the next block to look at */
};

int dp_io_send(struct dp_if *ifc, const void *frame, size_t len)
{
	struct iovec iov = {(void *)(uintptr_t)frame, len};

	if (ifc->fd < 0)
		return -1;
	if (in_turn && ifc->txq && txq_add(ifc->txq, NULL, 0, &iov, 1) == 0)
		return 0;
	return send(ifc->fd, frame, len, MSG_DONTWAIT) < 0 ? -1 : 0;
}

int dp_io_udp_send(struct dp_ctx *dp, const void *to, unsigned tolen, const struct iovec *iov,
		   int n)
{
	struct msghdr mh = {.msg_name = (void *)(uintptr_t)to,
			    .msg_namelen = tolen,
			    .msg_iov = (struct iovec *)(uintptr_t)iov,
			    .msg_iovlen = (size_t)n};

	if (dp->udp_fd < 0)
		return -1;
	if (in_turn && udp_q && txq_add(udp_q, to, tolen, iov, n) == 0)
		return 0;
	return sendmsg(dp->udp_fd, &mh, MSG_DONTWAIT) < 0 ? -1 : 0;
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
	turn_begin(dp);
	for (int i = 0; i < 64; i++) { /* bounded per turn */
		sl = sizeof(sll);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sll, &sl);
		if (n < 0)
			break;
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		dp_fwd_frame(dp, ifc, buf, (size_t)n);
	}
	turn_end();
}

static void ring_read(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct dp_if *ifc = arg;
	struct dp_ctx *dp = ifc->owner;
	struct dp_ring *ring = ifc->ring;

	(void)loop;
	(void)fd;
	(void)events;
	turn_begin(dp);
	for (unsigned b = 0; b < DP_RING_TURN; b++) { /* bounded per turn */
		uint8_t *blk = ring->map + (size_t)ring->cur * DP_RING_BSIZE;
		struct tpacket_block_desc *bd = (struct tpacket_block_desc *)blk;
		struct tpacket3_hdr *h;
		uint32_t n, off;

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			break;
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
	turn_end();
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
	if (dp->io_kind != DP_IO_PACKET && ring_open(ifc, fd) != 0)
		fprintf(stderr, "vtopo-dp: %s: no TPACKET_V3 ring (%s), reading with recvfrom\n",
			ifc->cfg.name, strerror(errno));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		goto fail;
	ifc->owner = dp;
	if (dp->io_kind == DP_IO_BATCH && (ifc->txq = calloc(1, sizeof(struct dp_txq))) != NULL) {
		((struct dp_txq *)ifc->txq)->fd = fd;
		((struct dp_txq *)ifc->txq)->fail = &ifc->drop;
	}
	if ((ifc->io = ev_io_add(dp->loop, fd, EV_READ, ifc->ring ? ring_read : if_read, ifc)) ==
	    NULL)
		goto fail;
	ifc->fd = fd;
	return 0;
fail:
	ring_close(ifc);
	free(ifc->txq);
	ifc->txq = NULL;
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
	free(ifc->txq);
	ifc->txq = NULL;
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

/* -i batch: DP_BATCH datagrams per recvmmsg(), two calls per turn. */
static void udp_read_batch(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct dp_ctx *dp = arg;
	static uint8_t bufs[DP_BATCH][DP_UDP_RX_BUF];
	static struct mmsghdr mm[DP_BATCH];
	static struct iovec iov[DP_BATCH];
	static struct sockaddr_storage from[DP_BATCH];
	struct ipaddr src;

	(void)loop;
	(void)events;
	turn_begin(dp);
	for (int turn = 0; turn < 2; turn++) {
		int n;
		for (unsigned i = 0; i < DP_BATCH; i++) {
			iov[i] = (struct iovec){bufs[i], sizeof(bufs[i])};
			mm[i].msg_hdr = (struct msghdr){.msg_name = &from[i],
							.msg_namelen = sizeof(from[i]),
							.msg_iov = &iov[i],
							.msg_iovlen = 1};
		}
		if ((n = recvmmsg(fd, mm, DP_BATCH, MSG_DONTWAIT, NULL)) <= 0)
			break;
		for (int i = 0; i < n; i++) {
			if (mm[i].msg_hdr.msg_flags & MSG_TRUNC) {
				dp_cnt_add(&dp->g[DP_G_BAD], mm[i].msg_len);
				continue;
			}
			if (from[i].ss_family == AF_INET6) { /* an IPv6 underlay */
				memset(&src, 0, sizeof(src));
				src.afi = AFI_IPV6;
				memcpy(src.b, &((struct sockaddr_in6 *)&from[i])->sin6_addr, 16);
			} else {
				ipaddr_from_v4(
				    &src, ntohl(((struct sockaddr_in *)&from[i])->sin_addr.s_addr));
			}
			dp_fwd_udp(dp, &src, bufs[i], mm[i].msg_len);
		}
		if (n < (int)DP_BATCH)
			break;
	}
	turn_end();
}

int dp_io_init(struct dp_ctx *dp, struct ev_timer *retry)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(DP_MPLS_UDP_PORT)};
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(DP_MPLS_UDP_PORT)};
	bool v6 = dp->underlay.afi == AFI_IPV6;
	int fd, rcvbuf = 4 << 20;

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
	/* room for bursts from the other PEs (the default is some 200 small
	 * datagrams); FORCE passes net.core.rmem_max, as root */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	memcpy(&sin.sin_addr, dp->underlay.b, 4);
	memcpy(&sin6.sin6_addr, dp->underlay.b, 16);
	/* an IPv6 underlay is IPv6 only: IPv4 PEs need an IPv4 one */
	if ((v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int)) < 0) ||
	    (v6 ? bind(fd, (struct sockaddr *)&sin6, sizeof(sin6))
		: bind(fd, (struct sockaddr *)&sin, sizeof(sin))) < 0 ||
	    (dp->udp_io = ev_io_add(dp->loop, fd, EV_READ,
				    dp->io_kind == DP_IO_BATCH ? udp_read_batch : udp_read, dp)) ==
		NULL) {
		close(fd);
		return -1;
	}
	dp->udp_fd = fd;
	if (dp->io_kind == DP_IO_BATCH && (udp_q = calloc(1, sizeof(*udp_q))) != NULL) {
		udp_q->fd = fd;
		udp_q->fail = &dp->g[DP_G_NO_NH];
	}
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
	free(udp_q);
	udp_q = NULL;
}
