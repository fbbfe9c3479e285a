/*
 * session_io: vtopod's sockets.  Listen sockets (IPv4 and IPv6,
 * SO_REUSEADDR, IPV6_V6ONLY), accepting, non-blocking active connects
 * bound to the configured local address, TCP-MD5 keys (RFC 2385), the
 * input buffer each connection reads into and the output buffer it writes
 * from in large writes.
 *
 * Not for: what the bytes mean (session_msg.c), state (session.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/wbuf.h"
#include "vtopod/vtopod.h"

/* ---- addresses ---- */

static socklen_t sa_from_ipaddr(const struct ipaddr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->afi == AFI_IPV6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->b, 16);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	memcpy(&s4->sin_addr, a->b, 4);
	return sizeof(*s4);
}

static void ipaddr_from_sa(const struct sockaddr_storage *ss, struct ipaddr *a, uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

		*port = ntohs(s6->sin6_port);
		if (memcmp(&s6->sin6_addr, mapped, 12) == 0) {
			a->afi = AFI_IPV4;
			memcpy(a->b, (const uint8_t *)&s6->sin6_addr + 12, 4);
		} else {
			a->afi = AFI_IPV6;
			memcpy(a->b, &s6->sin6_addr, 16);
		}
		return;
	}
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

	*port = ntohs(s4->sin_port);
	a->afi = AFI_IPV4;
	memcpy(a->b, &s4->sin_addr, 4);
}

static void conn_fill_addrs(struct conn *c)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(c->fd, (struct sockaddr *)&ss, &sl) == 0)
		ipaddr_from_sa(&ss, &c->local, &c->lport);
	sl = sizeof(ss);
	if (getpeername(c->fd, (struct sockaddr *)&ss, &sl) == 0)
		ipaddr_from_sa(&ss, &c->remote, &c->rport);
}

/* ---- TCP-MD5, RFC 2385 ---- */

/* Install (key != NULL) the key for segments to and from `peer` on fd. */
static int md5_set(int fd, const struct ipaddr *peer, const char *key)
{
	struct tcp_md5sig sig;
	size_t len = strlen(key);

	memset(&sig, 0, sizeof(sig));
	sa_from_ipaddr(peer, 0, &sig.tcpm_addr);
	if (len > TCP_MD5SIG_MAXKEYLEN)
		len = TCP_MD5SIG_MAXKEYLEN; /* the model limits it to 80 */
	sig.tcpm_keylen = (uint16_t)len;
	memcpy(sig.tcpm_key, key, len);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig));
}

/* Segments the kernel dropped for TCP-MD5 reasons in this network
 * namespace (/proc/net/netstat TcpExt TCPMD5NotFound + TCPMD5Unexpected +
 * TCPMD5Failure).  Linux reports a wrong password nowhere else: the
 * segments are dropped silently (RFC 2385 s2). */
uint64_t session_md5_failures(void)
{
	FILE *f = fopen("/proc/net/netstat", "re");
	char names[4096], vals[4096];
	uint64_t sum = 0;

	if (!f)
		return 0;
	while (fgets(names, sizeof(names), f) && fgets(vals, sizeof(vals), f)) {
		char *sn, *sv, *n, *v;

		if (strncmp(names, "TcpExt:", 7) != 0)
			continue;
		n = strtok_r(names, " \n", &sn);
		v = strtok_r(vals, " \n", &sv);
		while (n && v) {
			if (strcmp(n, "TCPMD5NotFound") == 0 || strcmp(n, "TCPMD5Failure") == 0 ||
			    strcmp(n, "TCPMD5Unexpected") == 0)
				sum += strtoull(v, NULL, 10);
			n = strtok_r(NULL, " \n", &sn);
			v = strtok_r(NULL, " \n", &sv);
		}
	}
	fclose(f);
	return sum;
}

/* ---- buffers ---- */

static struct conn *conn_new(struct peer *p, int fd, bool outbound)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->in = malloc(SESS_IN_CAP);
	if (!c->in) {
		free(c);
		return NULL;
	}
	c->peer = p;
	c->fd = fd;
	c->outbound = outbound;
	return c;
}

void conn_free(struct conn *c)
{
	if (!c)
		return;
	ev_io_del(c->io);
	if (c->fd >= 0)
		close(c->fd);
	free(c->in);
	free(c->out.buf);
	free(c);
}

size_t conn_out_pending(const struct conn *c)
{
	return c->out.len - c->out.off;
}

static bool obuf_reserve(struct obuf *o, size_t n)
{
	if (o->off > 0 && o->len + n > o->cap) {
		memmove(o->buf, o->buf + o->off, o->len - o->off);
		o->len -= o->off;
		o->off = 0;
	}
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 65536;
		uint8_t *b;

		while (cap < o->len + n)
			cap *= 2;
		b = realloc(o->buf, cap);
		if (!b)
			return false;
		o->buf = b;
		o->cap = cap;
	}
	return true;
}

/* Write as much as the socket takes: one large write of everything pending. */
static int obuf_write(struct conn *c)
{
	while (c->out.off < c->out.len) {
		ssize_t n = write(c->fd, c->out.buf + c->out.off, c->out.len - c->out.off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		c->out.off += (size_t)n;
	}
	c->out.off = c->out.len = 0;
	return 0;
}

void conn_send(struct conn *c, const uint8_t *msg, size_t len)
{
	uint8_t type = len > 18 ? msg[18] : 0;

	if (!obuf_reserve(&c->out, len)) {
		log_peer_errx(c->peer, "out of memory for %zu output bytes, message dropped", len);
		return;
	}
	memcpy(c->out.buf + c->out.len, msg, len);
	c->out.len += len;
	if (c == c->peer->conn && type >= BGP_MSG_OPEN && type <= BGP_MSG_ROUTE_REFRESH)
		c->peer->msgs_out[type]++;
	if (c->io && !c->connecting)
		ev_io_set(c->io, EV_READ | EV_WRITE);
}

void conn_flush_now(struct conn *c)
{
	if (c && c->fd >= 0 && !c->connecting)
		(void)obuf_write(c);
}

void session_send_notify(struct peer *p, struct conn *c, uint8_t code, uint8_t subcode,
			 const uint8_t *data, size_t len, const char *reason)
{
	uint8_t buf[BGP_MAX_LEN];
	struct wbuf w;
	const char *cn = bgp_notify_code_name(code), *sn = bgp_notify_subcode_name(code, subcode);

	if (!c)
		return;
	wbuf_init(&w, buf, sizeof(buf));
	bgp_notify_encode(&w, code, subcode, data, len > BGP_MAX_LEN - 21 ? 0 : len);
	if (!wbuf_ok(&w))
		return;
	conn_send(c, buf, wbuf_len(&w));
	conn_flush_now(c);
	log_peer_warnx(p, "sent NOTIFICATION %u/%u (%s/%s)%s%s", code, subcode, cn ? cn : "?",
		       sn ? sn : "?", reason ? ": " : "", reason ? reason : "");
	if (c == p->conn) {
		p->last_error = (struct sess_last_error){
		    .dir = SESS_DIR_SENT, .code = code, .subcode = subcode};
		snprintf(p->last_error.reason, sizeof(p->last_error.reason), "%s",
			 reason ? reason : (sn ? sn : ""));
	}
}

void session_send_keepalive(struct peer *p)
{
	uint8_t buf[BGP_HDR_LEN];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	bgp_keepalive_encode(&w);
	if (p->conn && wbuf_ok(&w))
		conn_send(p->conn, buf, wbuf_len(&w));
}

/* ---- reading and writing ---- */

static void conn_io(struct ev_loop *loop, int fd, uint32_t events, void *arg);

static void conn_connected(struct conn *c)
{
	struct peer *p = c->peer;
	int err = 0;
	socklen_t sl = sizeof(err);

	c->connecting = false;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
		err = errno;
	if (err) {
		log_peer_info(p, "connect failed: %s", strerror(err));
		if (!session_alt_take_over(p, "our connection failed"))
			peer_event(p, FSM_EV_TCP_CONNECTION_FAILS);
		return;
	}
	conn_fill_addrs(c);
	ev_io_set(c->io, EV_READ);
	log_peer_info(p, "TCP connection established (outbound, local port %u)", c->lport);
	peer_event(p, FSM_EV_TCP_CR_ACKED);
}

/* The peer closed or reset the connection. */
static void conn_lost(struct peer *p, struct conn *c, const char *why)
{
	if (c == p->alt) {
		conn_free(c);
		p->alt = NULL;
		return;
	}
	log_peer_notice(p, "TCP connection lost: %s", why);
	if (!session_alt_take_over(p, "connection lost"))
		peer_event(p, FSM_EV_TCP_CONNECTION_FAILS);
}

static void conn_read(struct peer *p, struct conn *c)
{
	ssize_t n;

	if (c->in_off > 0) {
		memmove(c->in, c->in + c->in_off, c->in_len - c->in_off);
		c->in_len -= c->in_off;
		c->in_off = 0;
	}
	n = read(c->fd, c->in + c->in_len, SESS_IN_CAP - c->in_len);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			conn_lost(p, c, strerror(errno));
		return;
	}
	if (n == 0) {
		conn_lost(p, c, "closed by the peer");
		return;
	}
	c->in_len += (size_t)n;
	session_input(p, c);
}

static void conn_io(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct conn *c = arg;
	struct peer *p = c->peer;

	(void)loop;
	(void)fd;
	if (c->connecting) {
		conn_connected(c);
		return;
	}
	if (events & EV_WRITE) {
		if (obuf_write(c) < 0) {
			conn_lost(p, c, strerror(errno));
			return;
		}
		if (conn_out_pending(c) == 0)
			ev_io_set(c->io, EV_READ);
	}
	if (events & (EV_READ | EV_ERROR))
		conn_read(p, c);
}

int conn_connect(struct peer *p)
{
	const struct config_neighbor *n = p->cfg;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct conn *c;
	int fd;

	fd = socket(n->address.afi == AFI_IPV6 ? AF_INET6 : AF_INET,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (n->auth_password && md5_set(fd, &n->address, n->auth_password) < 0) {
		log_peer_errx(p, "cannot set the TCP-MD5 key on the connecting socket: %s",
			      strerror(errno));
		goto fail;
	}
	if (n->local_address.afi) {
		sl = sa_from_ipaddr(&n->local_address, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
			log_peer_warnx(p, "cannot bind to the local address: %s", strerror(errno));
			goto fail;
		}
	}
	sl = sa_from_ipaddr(&n->address, n->port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		log_peer_info(p, "connect: %s", strerror(errno));
		goto fail;
	}
	c = conn_new(p, fd, true);
	if (!c)
		goto fail;
	c->connecting = true;
	c->io = ev_io_add(p->d->loop, fd, EV_WRITE, conn_io, c);
	if (!c->io) {
		conn_free(c);
		return -1;
	}
	conn_free(p->conn);
	p->conn = c;
	return 0;
fail:
	close(fd);
	return -1;
}

/* ---- listening ---- */

static void listener_accept(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct vtopod *d = arg;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct ipaddr remote;
	uint16_t port;
	struct peer *p;
	struct conn *c;
	int cfd;

	(void)loop;
	(void)events;
	cfd = accept4(fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	ipaddr_from_sa(&ss, &remote, &port);
	p = session_peer_by_addr(d, &remote);
	if (!p) {
		char buf[IPADDR_STRLEN];

		log_info(&d->log, "connection from %s refused: not a configured neighbor",
			 ipaddr_fmt(&remote, buf, sizeof(buf)));
		close(cfd);
		return;
	}
	c = conn_new(p, cfd, false);
	if (!c) {
		close(cfd);
		return;
	}
	conn_fill_addrs(c);
	c->io = ev_io_add(d->loop, cfd, EV_READ, conn_io, c);
	if (!c->io) {
		conn_free(c);
		return;
	}
	session_incoming(p, c);
}

static int listen_one(struct vtopod *d, const struct ipaddr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl = sa_from_ipaddr(a, port, &ss);
	struct listener *l;
	char buf[IPADDR_STRLEN];
	int one = 1, fd;

	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a->afi == AFI_IPV6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	/* RFC 2385: a key per configured neighbor of this family */
	for (size_t i = 0; i < d->n_peers; i++) {
		const struct config_neighbor *n = d->peers[i]->cfg;

		if (n->auth_password && n->address.afi == a->afi &&
		    md5_set(fd, &n->address, n->auth_password) < 0)
			log_peer_errx(d->peers[i],
				      "cannot set the TCP-MD5 key on the listen socket: %s",
				      strerror(errno));
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 64) < 0) {
		log_errx(&d->log, "cannot listen on [%s]:%u: %s", ipaddr_fmt(a, buf, sizeof(buf)),
			 port, strerror(errno));
		close(fd);
		return -1;
	}
	l = &d->listeners[d->n_listeners];
	*l = (struct listener){.fd = fd, .addr = *a, .port = port};
	l->io = ev_io_add(d->loop, fd, EV_READ, listener_accept, d);
	if (!l->io) {
		close(fd);
		return -1;
	}
	d->n_listeners++;
	log_info(&d->log, "listening on [%s]:%u", ipaddr_fmt(a, buf, sizeof(buf)), port);
	return 0;
}

int session_listen(struct vtopod *d)
{
	const struct config *cfg = d->cfg;
	size_t want = cfg->n_listen ? cfg->n_listen : 2;
	int ok = 0;

	d->listeners = calloc(want, sizeof(*d->listeners));
	if (!d->listeners)
		return -1;
	if (cfg->n_listen == 0) {
		/* docs/config.md: every address, IPv4 and IPv6, port 179 */
		struct ipaddr any4 = {.afi = AFI_IPV4}, any6 = {.afi = AFI_IPV6};

		ok += listen_one(d, &any4, BGP_PORT) == 0;
		ok += listen_one(d, &any6, BGP_PORT) == 0;
	} else {
		for (size_t i = 0; i < cfg->n_listen; i++)
			ok += listen_one(d, &cfg->listen[i].address, cfg->listen[i].port) == 0;
	}
	return ok > 0 ? 0 : -1;
}

void session_listen_close(struct vtopod *d)
{
	for (size_t i = 0; i < d->n_listeners; i++) {
		ev_io_del(d->listeners[i].io);
		close(d->listeners[i].fd);
	}
	free(d->listeners);
	d->listeners = NULL;
	d->n_listeners = 0;
}
