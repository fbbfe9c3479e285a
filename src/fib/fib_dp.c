/*
 * fib_dp: FIB backend for vtopo-dp (docs/fib-protocol.md), client side.
 *
 * apply() is synchronous: it writes BATCH, the ops and COMMIT and waits (at
 * most FIB_DP_WAIT_MS) for the ACK, so that the control plane knows the
 * batch landed.  When the data plane asked for a resync and the batch is
 * not one, apply() refuses it (fib.h: the batch is kept and offered again
 * after the resync) and the resync callback runs.  A lost connection is
 * retried from a timer (100 ms, doubling up to a second: a restarted data
 * plane is replayed promptly); on reconnect the HELLO exchange decides
 * whether a resync is needed (the data plane's rule, restated here).
 * While held (fib_dp.h) every batch is refused without being sent, so
 * fib.c keeps the resync for the release.
 *
 * Not for: the desired state (fib.c), the codec (fib_proto.c).
 */
#include "fib/fib_dp.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fib/fib_proto.h"

#define FIB_DP_WAIT_MS 2000
#define FIB_DP_RETRY_MS 100
#define FIB_DP_RETRY_MAX_MS 1000

struct fib_dp {
	struct ev_loop *loop;
	struct sockaddr_un sun;
	int fd;
	struct ev_io *io;
	struct ev_timer retry;
	uint64_t gen;	 /* last generation the data plane acked */
	uint64_t dp_gen; /* the data plane's: its HELLO, then our acked batches */
	unsigned retry_ms;
	bool need_resync;
	bool hold;
	void (*resync)(void *arg);
	void *arg;
	uint8_t in[2 * FIB_PROTO_MAX];
	size_t in_len;
	uint8_t out[FIB_PROTO_MAX];
};

static void dp_close(struct fib_dp *d)
{
	if (d->io)
		ev_io_del(d->io);
	if (d->fd >= 0)
		close(d->fd);
	d->io = NULL;
	d->fd = -1;
	d->in_len = 0;
	d->dp_gen = 0;
	d->retry_ms = FIB_DP_RETRY_MS;
	if (!ev_timer_armed(&d->retry))
		ev_timer_start(d->loop, &d->retry, d->retry_ms, 0);
}

static int dp_write(struct fib_dp *d, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(d->fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pfd = {.fd = d->fd, .events = POLLOUT};
			if (poll(&pfd, 1, FIB_DP_WAIT_MS) <= 0)
				return -1;
			continue;
		}
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int dp_send(struct fib_dp *d, const struct fib_msg *m)
{
	struct wbuf w;

	wbuf_init(&w, d->out, sizeof(d->out));
	if (!fib_proto_encode(&w, m))
		return -1;
	return dp_write(d, d->out, wbuf_len(&w));
}

/* Next message, waiting up to FIB_DP_WAIT_MS when block is set.  Returns
 * 1 with *m, 0 when nothing (yet), -1 on a broken connection. */
static int dp_recv(struct fib_dp *d, struct fib_msg *m, bool block)
{
	size_t len;
	int f;

	for (;;) {
		if ((f = fib_proto_frame(d->in, d->in_len, &len)) == 1) {
			static uint8_t one[FIB_PROTO_MAX];
			memcpy(one, d->in, len); /* SHOW-REPLY text points into it */
			memmove(d->in, d->in + len, d->in_len - len);
			d->in_len -= len;
			return fib_proto_decode(one, len, m) == NULL ? 1 : -1;
		}
		if (f < 0)
			return -1;
		if (block) {
			struct pollfd pfd = {.fd = d->fd, .events = POLLIN};
			if (poll(&pfd, 1, FIB_DP_WAIT_MS) <= 0)
				return -1;
		}
		ssize_t n = recv(d->fd, d->in + d->in_len, sizeof(d->in) - d->in_len, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return -1;
		if (n < 0)
			return 0;
		d->in_len += (size_t)n;
	}
}

/* Unsolicited messages: a RESYNC-REQUEST from the data plane. */
static void dp_readable(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct fib_dp *d = arg;
	struct fib_msg m;
	int rc;

	(void)loop;
	(void)fd;
	(void)events;
	while ((rc = dp_recv(d, &m, false)) == 1)
		if (m.type == FIB_MSG_RESYNC_REQ)
			d->need_resync = true;
	if (rc < 0) {
		dp_close(d);
		return;
	}
	if (d->need_resync && d->resync && !d->hold)
		d->resync(d->arg);
}

static int dp_connect(struct fib_dp *d)
{
	struct fib_msg m = {.type = FIB_MSG_HELLO};
	uint64_t dpgen;

	if ((d->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		return -1;
	if (connect(d->fd, (struct sockaddr *)&d->sun, sizeof(d->sun)) < 0)
		goto fail;
	if (dp_recv(d, &m, true) != 1 || m.type != FIB_MSG_HELLO ||
	    m.u.hello.version != FIB_PROTO_VERSION || m.u.hello.role != FIB_ROLE_DP)
		goto fail;
	dpgen = m.u.hello.gen;
	d->dp_gen = dpgen;
	if (dpgen == 0)
		d->hold = false; /* nothing to keep: replay at once */
	m = (struct fib_msg){.type = FIB_MSG_HELLO};
	m.u.hello.version = FIB_PROTO_VERSION;
	m.u.hello.role = FIB_ROLE_WRITER;
	m.u.hello.gen = d->gen;
	if (dp_send(d, &m) != 0)
		goto fail;
	/* the data plane will ask: no state there, or not ours */
	if (dpgen == 0 || dpgen != d->gen)
		d->need_resync = true;
	if ((d->io = ev_io_add(d->loop, d->fd, EV_READ, dp_readable, d)) == NULL)
		goto fail;
	return 0;
fail:
	close(d->fd);
	d->fd = -1;
	return -1;
}

static void dp_retry(struct ev_loop *loop, void *arg)
{
	struct fib_dp *d = arg;

	(void)loop;
	if (d->fd >= 0)
		return;
	if (dp_connect(d) != 0) {
		d->retry_ms =
		    d->retry_ms * 2 < FIB_DP_RETRY_MAX_MS ? d->retry_ms * 2 : FIB_DP_RETRY_MAX_MS;
		ev_timer_start(d->loop, &d->retry, d->retry_ms, 0);
		return;
	}
	d->retry_ms = FIB_DP_RETRY_MS;
	if (d->need_resync && d->resync && !d->hold)
		d->resync(d->arg);
}

static int dp_apply(void *ctx, uint64_t gen, const struct fib_op *ops, size_t n)
{
	struct fib_dp *d = ctx;
	struct fib_msg m = {.type = FIB_MSG_BATCH};
	bool resync = n > 0 && ops[0].type == FIB_OP_RESYNC;

	if (d->fd < 0 && dp_connect(d) != 0) {
		dp_close(d);
		return -1;
	}
	if (d->hold) {
		errno = EAGAIN; /* fib.c keeps the resync for the release */
		return -1;
	}
	if (d->need_resync && !resync)
		return -1; /* kept by fib.c; offered again after the resync */
	m.u.gen = gen;
	if (dp_send(d, &m) != 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		m = (struct fib_msg){.type = (uint16_t)(FIB_MSG_OP_BASE + ops[i].type)};
		m.u.op = ops[i];
		if (dp_send(d, &m) != 0)
			goto fail;
	}
	m = (struct fib_msg){.type = FIB_MSG_COMMIT};
	m.u.gen = gen;
	if (dp_send(d, &m) != 0)
		goto fail;
	for (;;) {
		if (dp_recv(d, &m, true) != 1)
			goto fail;
		if (m.type == FIB_MSG_RESYNC_REQ && !resync)
			d->need_resync = true;
		if (m.type == FIB_MSG_ACK && m.u.ack.gen == gen)
			break;
	}
	d->gen = gen;
	d->dp_gen = gen;
	if (resync)
		d->need_resync = false;
	return m.u.ack.status == 0 ? 0 : -1;
fail:
	dp_close(d);
	return -1;
}

static void dp_destroy(void *ctx)
{
	struct fib_dp *d = ctx;

	if (d->io)
		ev_io_del(d->io);
	if (d->fd >= 0)
		close(d->fd);
	ev_timer_stop(d->loop, &d->retry);
	free(d);
}

const struct fib_backend_ops fib_dp_ops = {
    .name = "vtopo-dp",
    .apply = dp_apply,
    .destroy = dp_destroy,
};

struct fib_dp *fib_dp_new(struct ev_loop *loop, const char *path, void (*resync)(void *arg),
			  void *arg)
{
	struct fib_dp *d;

	if (strlen(path) >= sizeof(d->sun.sun_path) || (d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->loop = loop;
	d->sun.sun_family = AF_UNIX;
	memcpy(d->sun.sun_path, path, strlen(path));
	d->fd = -1;
	d->resync = resync;
	d->arg = arg;
	d->retry_ms = FIB_DP_RETRY_MS;
	ev_timer_init(&d->retry, dp_retry, d);
	ev_timer_start(loop, &d->retry, 0, 0);
	return d;
}

bool fib_dp_connected(const struct fib_dp *d)
{
	return d->fd >= 0;
}

void fib_dp_hold(struct fib_dp *d)
{
	d->hold = true;
}

void fib_dp_release(struct fib_dp *d)
{
	if (!d->hold)
		return;
	d->hold = false;
	if (d->fd >= 0 && d->need_resync && d->resync)
		d->resync(d->arg);
}

bool fib_dp_held(const struct fib_dp *d)
{
	return d->hold;
}

static char *fetch_show(const char *path, const char *view, bool *closed)
{
	struct fib_dp *d;
	struct fib_msg m = {.type = FIB_MSG_HELLO};
	char *text = NULL;

	if (strlen(path) >= sizeof(d->sun.sun_path) || (d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->sun.sun_family = AF_UNIX;
	memcpy(d->sun.sun_path, path, strlen(path));
	d->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (d->fd < 0 || connect(d->fd, (struct sockaddr *)&d->sun, sizeof(d->sun)) < 0)
		goto out;
	if (dp_recv(d, &m, true) != 1 || m.type != FIB_MSG_HELLO ||
	    m.u.hello.version != FIB_PROTO_VERSION || m.u.hello.role != FIB_ROLE_DP)
		goto out;
	m = (struct fib_msg){.type = FIB_MSG_HELLO};
	m.u.hello.version = FIB_PROTO_VERSION;
	m.u.hello.role = FIB_ROLE_SHOW;
	if (dp_send(d, &m) != 0)
		goto out;
	m = (struct fib_msg){.type = FIB_MSG_SHOW};
	if (view) {
		m.u.text.p = view;
		m.u.text.len = strlen(view);
	}
	if (dp_send(d, &m) != 0)
		goto out;
	*closed = true; /* unless a reply comes */
	while (dp_recv(d, &m, true) == 1) {
		*closed = false;
		if (m.type != FIB_MSG_SHOW_REPLY)
			continue;
		if ((text = malloc(m.u.text.len + 1)) != NULL) {
			memcpy(text, m.u.text.p, m.u.text.len);
			text[m.u.text.len] = '\0';
		}
		break;
	}
out:
	if (d->fd >= 0)
		close(d->fd);
	free(d);
	return text;
}

char *fib_dp_fetch_show(const char *path, const char *view)
{
	bool closed = false;
	char *text = fetch_show(path, view, &closed);

	/* a data plane of before views refuses a SHOW with a body */
	if (text == NULL && view != NULL && closed)
		text = fetch_show(path, NULL, &closed);
	return text;
}

bool fib_dp_has_state(const struct fib_dp *d)
{
	return d->fd >= 0 && d->dp_gen != 0;
}
