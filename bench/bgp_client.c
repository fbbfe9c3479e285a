/*
 * bgp_client: TCP setup, the OPEN/KEEPALIVE handshake and message framing
 * for the benchmark generator (see bgp_client.h for what it is not).
 */
#include "bgp_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/wbuf.h"
#include "wire/msg.h"

#define RX_CHUNK (256u * 1024u)

double bgp_client_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void errf(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void errf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static bool sockaddr_make(const char *ip, uint16_t port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	return !ip || inet_pton(AF_INET, ip, &sa->sin_addr) == 1;
}

static int sock_new(const char *local, uint16_t port, char *err, size_t errlen)
{
	struct sockaddr_in sa;
	int fd, one = 1;

	if (!sockaddr_make(local, port, &sa)) {
		errf(err, errlen, "bad local address %s", local);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		errf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if ((local || port) && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		errf(err, errlen, "bind %s: %s", local ? local : "*", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int bgp_client_connect(const char *local, const char *remote, double deadline, char *err,
		       size_t errlen)
{
	struct sockaddr_in sa;

	if (!sockaddr_make(remote, BGP_PORT, &sa) || !remote) {
		errf(err, errlen, "bad remote address %s", remote ? remote : "(none)");
		return -1;
	}
	for (;;) {
		int fd = sock_new(local, 0, err, errlen);

		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		errf(err, errlen, "connect %s: %s", remote, strerror(errno));
		close(fd);
		if (bgp_client_now() >= deadline)
			return -1;
		usleep(100 * 1000); /* the peer may still be clearing the last session */
	}
}

int bgp_client_accept(const char *local, double deadline, char *err, size_t errlen)
{
	struct pollfd pfd;
	int lfd = sock_new(local, BGP_PORT, err, errlen), fd = -1;

	if (lfd < 0)
		return -1;
	if (listen(lfd, 4) != 0) {
		errf(err, errlen, "listen: %s", strerror(errno));
		goto out;
	}
	pfd = (struct pollfd){.fd = lfd, .events = POLLIN};
	while (fd < 0) {
		double left = deadline - bgp_client_now();

		if (left <= 0) {
			errf(err, errlen, "nobody connected to %s", local ? local : "*");
			goto out;
		}
		if (poll(&pfd, 1, (int)(left * 1000) + 1) > 0)
			fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	}
out:
	close(lfd);
	return fd;
}

static bool write_all(int fd, const uint8_t *p, size_t len, double deadline)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		if (bgp_client_now() >= deadline)
			return false;
		poll(&(struct pollfd){.fd = fd, .events = POLLOUT}, 1, 100);
	}
	return true;
}

/* Next whole message into type/body (blocking until deadline); the view
 * stays valid until the next call. */
static bool read_msg(struct bgp_client *c, double deadline, uint8_t *type, struct rbuf *body)
{
	struct bgp_verdict v;
	struct rbuf st, msg;
	size_t used;
	int r;

	for (;;) {
		bgp_verdict_init(&v);
		rbuf_init(&st, c->rx, c->rx_len);
		r = bgp_hdr_split(&st, BGP_MAX_LEN, type, &msg, body, &v);
		if (r < 0) {
			errf(c->err, sizeof(c->err), "bad message header (%s)",
			     bgp_err_desc(v.err)->name);
			return false;
		}
		if (r == 1)
			break;
		if (c->rx_cap - c->rx_len == 0 || bgp_client_now() >= deadline) {
			errf(c->err, sizeof(c->err), "timeout in the handshake");
			return false;
		}
		poll(&(struct pollfd){.fd = c->fd, .events = POLLIN}, 1, 100);
		ssize_t n = read(c->fd, c->rx + c->rx_len, c->rx_cap - c->rx_len);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			errf(c->err, sizeof(c->err), "connection closed in the handshake");
			return false;
		}
		if (n > 0)
			c->rx_len += (size_t)n;
	}
	/* copy the message out so the buffer can be compacted */
	used = rbuf_off(&st);
	memcpy(c->hs_msg, c->rx, used);
	memmove(c->rx, c->rx + used, c->rx_len - used);
	c->rx_len -= used;
	rbuf_init(&msg, c->hs_msg, used);
	if (!rbuf_skip(&msg, BGP_HDR_LEN))
		return false;
	*body = msg;
	return true;
}

static void local_caps(const struct bgp_client_cfg *cfg, struct bgp_open *o)
{
	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	o->my_as = cfg->local_as > UINT16_MAX ? BGP_AS_TRANS : (uint16_t)cfg->local_as;
	o->hold_time = cfg->hold_time;
	o->bgp_id = cfg->router_id;
	o->caps.mp = bgp_fam_bit(cfg->fam); /* RFC 4760 s8 */
	o->caps.route_refresh = true;	    /* RFC 2918 */
	o->caps.as4 = true;		    /* RFC 6793 */
	o->caps.as4_asn = cfg->local_as;
}

/* RFC 4271 s8.2.2: OpenSent -> OpenConfirm -> Established. */
static bool handshake(struct bgp_client *c, double deadline)
{
	uint8_t buf[BGP_MAX_LEN], type;
	struct bgp_open mine, theirs;
	struct bgp_verdict v;
	struct rbuf body;
	struct wbuf w;

	local_caps(&c->cfg, &mine);
	wbuf_init(&w, buf, sizeof(buf));
	bgp_open_encode(&w, &mine);
	if (!wbuf_ok(&w) || !write_all(c->fd, buf, wbuf_len(&w), deadline)) {
		errf(c->err, sizeof(c->err), "could not send OPEN");
		return false;
	}
	if (!read_msg(c, deadline, &type, &body))
		return false;
	bgp_verdict_init(&v);
	if (type != BGP_MSG_OPEN || !bgp_open_decode(&body, &theirs, &v) ||
	    v.action != BGP_ACT_OK) {
		errf(c->err, sizeof(c->err), "expected a valid OPEN, got %s",
		     type == BGP_MSG_NOTIFICATION ? "a NOTIFICATION" : "something else");
		return false;
	}
	if (c->cfg.peer_as && bgp_open_asn(&theirs) != c->cfg.peer_as) {
		errf(c->err, sizeof(c->err), "peer is AS %u, expected %u", bgp_open_asn(&theirs),
		     c->cfg.peer_as);
		return false;
	}
	bgp_caps_negotiate(&mine.caps, &theirs.caps, bgp_open_asn(&theirs) == c->cfg.local_as,
			   &c->params);
	if (!(c->params.fams & bgp_fam_bit(c->cfg.fam))) {
		errf(c->err, sizeof(c->err), "%s was not negotiated",
		     bgp_fam_table[c->cfg.fam].name);
		return false;
	}
	/* RFC 4271 s4.2: the smaller hold time of the two */
	c->hold = theirs.hold_time < mine.hold_time ? theirs.hold_time : mine.hold_time;
	wbuf_init(&w, buf, sizeof(buf));
	bgp_keepalive_encode(&w);
	if (!write_all(c->fd, buf, wbuf_len(&w), deadline)) {
		errf(c->err, sizeof(c->err), "could not send KEEPALIVE");
		return false;
	}
	if (!read_msg(c, deadline, &type, &body))
		return false;
	if (type != BGP_MSG_KEEPALIVE) {
		errf(c->err, sizeof(c->err), "expected KEEPALIVE, got message type %u", type);
		return false;
	}
	return true;
}

bool bgp_client_open(struct bgp_client *c, int fd, const struct bgp_client_cfg *cfg,
		     double deadline)
{
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->cfg = *cfg;
	c->rx_cap = RX_CHUNK + BGP_MAX_LEN;
	c->rx = malloc(c->rx_cap);
	if (!c->rx) {
		errf(c->err, sizeof(c->err), "out of memory");
		return false;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (!handshake(c, deadline))
		return false;
	c->next_ka = bgp_client_now() + (c->hold ? c->hold / 3.0 : 1e9);
	return true;
}

/* One whole message from the front of the receive buffer; 1, 0 (need
 * more) or -1 (session over). */
static int dispatch(struct bgp_client *c, struct rbuf *st, bgp_client_update_fn fn, void *ctx)
{
	struct bgp_verdict v;
	struct bgp_notify n;
	struct rbuf msg, body;
	uint8_t type;
	int r;

	bgp_verdict_init(&v);
	r = bgp_hdr_split(st, BGP_MAX_LEN, &type, &msg, &body, &v);
	if (r <= 0) {
		if (r < 0)
			errf(c->err, sizeof(c->err), "bad message header (%s)",
			     bgp_err_desc(v.err)->name);
		return r;
	}
	switch (type) {
	case BGP_MSG_UPDATE:
		c->rx_updates++;
		if (fn && !fn(ctx, &body)) {
			errf(c->err, sizeof(c->err), "UPDATE rejected");
			return -1;
		}
		return 1;
	case BGP_MSG_NOTIFICATION:
		if (bgp_notify_decode(&body, &n, &v))
			errf(c->err, sizeof(c->err), "NOTIFICATION %s/%u received",
			     bgp_notify_code_name(n.code) ? bgp_notify_code_name(n.code) : "?",
			     n.subcode);
		else
			errf(c->err, sizeof(c->err), "bad NOTIFICATION received");
		return -1;
	case BGP_MSG_OPEN:
		errf(c->err, sizeof(c->err), "OPEN on an established session");
		return -1;
	default: /* KEEPALIVE, ROUTE-REFRESH: nothing to do */
		return 1;
	}
}

int bgp_client_read(struct bgp_client *c, bgp_client_update_fn fn, void *ctx)
{
	ssize_t n;
	struct rbuf st;
	size_t used;
	int r;

	if (c->rx_cap - c->rx_len < RX_CHUNK) {
		errf(c->err, sizeof(c->err), "receive buffer full");
		return -1;
	}
	n = read(c->fd, c->rx + c->rx_len, RX_CHUNK);
	if (n == 0) {
		errf(c->err, sizeof(c->err), "connection closed by the peer");
		return -1;
	}
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	c->rx_len += (size_t)n;
	rbuf_init(&st, c->rx, c->rx_len);
	while ((r = dispatch(c, &st, fn, ctx)) == 1)
		;
	if (r < 0)
		return -1;
	used = rbuf_off(&st);
	memmove(c->rx, c->rx + used, c->rx_len - used);
	c->rx_len -= used;
	return 0;
}

static void urgent_add(struct bgp_client *c, const uint8_t *p, size_t len)
{
	if (c->urgent_len + len > sizeof(c->urgent))
		return; /* KEEPALIVEs already queued say the same */
	memcpy(c->urgent + c->urgent_len, p, len);
	c->urgent_len += len;
}

double bgp_client_tick(struct bgp_client *c, double now)
{
	uint8_t buf[BGP_HDR_LEN];
	struct wbuf w;

	if (now >= c->next_ka) {
		wbuf_init(&w, buf, sizeof(buf));
		bgp_keepalive_encode(&w);
		urgent_add(c, buf, wbuf_len(&w));
		c->next_ka = now + c->hold / 3.0; /* RFC 4271 s4.4 */
	}
	return c->next_ka;
}

bool bgp_client_pending(const struct bgp_client *c)
{
	return c->urgent_off < c->urgent_len;
}

long bgp_client_write(struct bgp_client *c, const uint8_t *p, size_t len)
{
	ssize_t n = write(c->fd, p, len);

	if (n >= 0)
		return (long)n;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	errf(c->err, sizeof(c->err), "write: %s", strerror(errno));
	return -1;
}

bool bgp_client_flush(struct bgp_client *c)
{
	while (bgp_client_pending(c)) {
		long n =
		    bgp_client_write(c, c->urgent + c->urgent_off, c->urgent_len - c->urgent_off);

		if (n <= 0)
			return false;
		c->urgent_off += (size_t)n;
	}
	c->urgent_off = c->urgent_len = 0;
	return true;
}

/* Read until the peer closes too, so that close() does not reset the
 * connection (and lose the NOTIFICATION) over unread input. */
static void drain(int fd, double deadline)
{
	uint8_t buf[4096];

	while (bgp_client_now() < deadline) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return;
		if (n < 0)
			poll(&(struct pollfd){.fd = fd, .events = POLLIN}, 1, 50);
	}
}

void bgp_client_close(struct bgp_client *c, uint8_t code, uint8_t subcode)
{
	uint8_t buf[64];
	struct wbuf w;

	if (c->fd >= 0) {
		wbuf_init(&w, buf, sizeof(buf));
		bgp_notify_encode(&w, code, subcode, NULL, 0);
		if (!bgp_client_pending(c) || bgp_client_flush(c))
			write_all(c->fd, buf, wbuf_len(&w), bgp_client_now() + 1);
		shutdown(c->fd, SHUT_WR);
		drain(c->fd, bgp_client_now() + 1);
		close(c->fd);
	}
	c->fd = -1;
	free(c->rx);
	c->rx = NULL;
	c->rx_len = c->rx_cap = 0;
}
