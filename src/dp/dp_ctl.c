/*
 * dp_ctl: the data-plane side of the FIB protocol (docs/fib-protocol.md) on
 * vtopo-dp's Unix socket.  Each connection says HELLO; a writer's ops are
 * collected between BATCH and COMMIT and applied at the COMMIT in one
 * piece (single-threaded, so no packet sees half a batch), then ACKed.
 * When the writer's HELLO names a generation other than ours (a restarted
 * vtopod says 0) we ask for a RESYNC and keep forwarding with what we have
 * until it arrives.  SHOW answers with the state and counters as JSON (or
 * only the labels view, what a restarted writer needs);
 * TRACE ("on FILTER", "off", "show") switches the per-packet trace
 * (dp_trace.h) and answers with it as JSON, or {"error": ...}.
 *
 * Not for: the codec (fib_proto.c), tables (dp_state.c).
 */
#include "dp/dp_ctl.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fib/fib_proto.h"

#define CTL_BUF (2 * FIB_PROTO_MAX)

struct ctl_conn {
	struct dp_ctl *ctl;
	struct ctl_conn *next;
	int fd;
	struct ev_io *io;
	uint8_t buf[CTL_BUF];
	size_t len;
	bool hello, in_batch;
	uint64_t batch_gen;
	struct fib_op *ops;
	size_t n_ops, cap_ops;
};

static int ctl_send(struct ctl_conn *c, const struct fib_msg *m)
{
	static uint8_t out[FIB_PROTO_MAX];
	struct wbuf w;
	size_t off = 0;

	wbuf_init(&w, out, sizeof(out));
	if (!fib_proto_encode(&w, m))
		return -1;
	while (off < wbuf_len(&w)) { /* replies are small; the socket blocks briefly */
		ssize_t n = send(c->fd, out + off, wbuf_len(&w) - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

static void conn_close(struct ctl_conn *c)
{
	struct ctl_conn **pp = &c->ctl->conns;

	while (*pp != c)
		pp = &(*pp)->next;
	*pp = c->next;
	ev_io_del(c->io);
	close(c->fd);
	free(c->ops);
	free(c);
}

static int conn_push(struct ctl_conn *c, const struct fib_op *op)
{
	if (c->n_ops == c->cap_ops) {
		size_t nc = c->cap_ops ? c->cap_ops * 2 : 64;
		struct fib_op *p = realloc(c->ops, nc * sizeof(*p));
		if (p == NULL)
			return -1;
		c->ops = p;
		c->cap_ops = nc;
	}
	c->ops[c->n_ops++] = *op;
	return 0;
}

/* SHOW: everything (an empty view), or "labels" (dp_state_labels_json:
 * what a restarted writer needs, of a size that does not grow with the
 * routes); an unknown view gets an error reply. */
static int ctl_show(struct ctl_conn *c, const struct fib_msg *req)
{
	struct dp_ctx *dp = c->ctl->dp;
	struct fib_msg m = {.type = FIB_MSG_SHOW_REPLY};
	size_t vlen = req->u.text.len;
	char *json;
	int rc;

	if (vlen == 0)
		json = dp_state_json(&dp->st, dp->g, dp_glob_names, DP_G_MAX);
	else if (vlen == 6 && memcmp(req->u.text.p, "labels", 6) == 0)
		json = dp_state_labels_json(&dp->st);
	else
		json = strdup("{\"error\": \"unknown show view (none for everything, labels)\"}");
	if (json == NULL)
		return -1;
	m.u.text.p = json;
	m.u.text.len = strlen(json);
	if (m.u.text.len > FIB_PROTO_MAX - FIB_PROTO_HDR) {
		m.u.text.p = "{\"error\": \"state too large for one reply\"}";
		m.u.text.len = strlen(m.u.text.p);
	}
	rc = ctl_send(c, &m);
	free(json);
	return rc;
}

/* TRACE: "on [FILTER]", "off" or "show"; the reply is the trace as JSON. */
static int ctl_trace(struct ctl_conn *c, const struct fib_msg *m)
{
	struct dp_trace *t = &c->ctl->dp->trace;
	struct fib_msg r = {.type = FIB_MSG_SHOW_REPLY};
	struct dp_trace_filter f;
	char cmd[512], err[256], *json = NULL;
	const char *e = NULL;
	int rc;

	if (m->u.text.len >= sizeof(cmd)) {
		e = "trace command too long";
	} else {
		memcpy(cmd, m->u.text.p, m->u.text.len);
		cmd[m->u.text.len] = '\0';
		if (strcmp(cmd, "on") == 0 || strncmp(cmd, "on ", 3) == 0) {
			if ((e = dp_trace_parse(cmd + 2, &f)) == NULL && dp_trace_on(t, &f) != 0)
				e = "out of memory";
		} else if (strcmp(cmd, "off") == 0) {
			dp_trace_off(t);
		} else if (strcmp(cmd, "show") != 0) {
			e = "unknown trace command (on [FILTER], off, show)";
		}
	}
	if (e) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "error", json_object_new_string(e));
		snprintf(err, sizeof(err), "%s",
			 json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		r.u.text.p = err;
	} else if ((json = dp_trace_json(t, FIB_PROTO_MAX - FIB_PROTO_HDR)) == NULL) {
		return -1;
	} else {
		r.u.text.p = json;
	}
	r.u.text.len = strlen(r.u.text.p);
	rc = ctl_send(c, &r);
	free(json);
	return rc;
}

/* One decoded message; -1 closes the connection. */
static int ctl_msg(struct ctl_conn *c, const struct fib_msg *m)
{
	struct dp_state *st = &c->ctl->dp->st;
	struct fib_msg r = {0};

	if (!c->hello && m->type != FIB_MSG_HELLO)
		return -1; /* the handshake comes first */
	switch (m->type) {
	case FIB_MSG_HELLO:
		if (m->u.hello.version != FIB_PROTO_VERSION)
			return -1;
		c->hello = true;
		/* no state, or not the writer's: ask for a restatement */
		if (m->u.hello.role == FIB_ROLE_WRITER &&
		    (st->gen == 0 || m->u.hello.gen != st->gen)) {
			/* what we hold is stale now, but it is all we have:
			 * keep forwarding with it until the resync commits */
			st->resync_pending = true;
			r.type = FIB_MSG_RESYNC_REQ;
			return ctl_send(c, &r);
		}
		return 0;
	case FIB_MSG_BATCH:
		c->in_batch = true;
		c->batch_gen = m->u.gen;
		c->n_ops = 0;
		return 0;
	case FIB_MSG_COMMIT:
		if (!c->in_batch || m->u.gen != c->batch_gen)
			return -1;
		r.type = FIB_MSG_ACK;
		r.u.ack.gen = m->u.gen;
		r.u.ack.status = dp_state_apply(st, m->u.gen, c->ops, c->n_ops);
		/* a new neighbour (a service node put into a chain) is resolved
		 * now, before packets need it */
		for (size_t i = 0; r.u.ack.status == 0 && i < c->n_ops; i++)
			if (c->ops[i].type == FIB_OP_NH_SET)
				dp_fwd_resolve(c->ctl->dp, &c->ops[i].u.nh);
		c->in_batch = false;
		c->n_ops = 0;
		return ctl_send(c, &r);
	case FIB_MSG_SHOW:
		return ctl_show(c, m);
	case FIB_MSG_TRACE:
		return ctl_trace(c, m);
	case FIB_MSG_RESYNC_REQ:
	case FIB_MSG_ACK:
	case FIB_MSG_SHOW_REPLY:
		return 0;
	default: /* an op */
		if (!c->in_batch)
			return -1;
		return conn_push(c, &m->u.op);
	}
}

static void ctl_read(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct ctl_conn *c = arg;
	struct fib_msg m;
	size_t off = 0, len;
	ssize_t n;
	int rc;

	(void)loop;
	(void)events;
	n = recv(fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		goto fail;
	if (n < 0)
		return;
	c->len += (size_t)n;
	while ((rc = fib_proto_frame(c->buf + off, c->len - off, &len)) == 1) {
		if (fib_proto_decode(c->buf + off, len, &m) != NULL || ctl_msg(c, &m) != 0)
			goto fail;
		off += len;
	}
	if (rc < 0)
		goto fail;
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
	return;
fail:
	conn_close(c);
}

static void ctl_accept(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct dp_ctl *ctl = arg;
	struct ctl_conn *c;
	struct fib_msg hello = {.type = FIB_MSG_HELLO};
	int cfd;

	(void)events;
	if ((cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) < 0)
		return;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(cfd);
		return;
	}
	c->ctl = ctl;
	c->fd = cfd;
	if ((c->io = ev_io_add(loop, cfd, EV_READ, ctl_read, c)) == NULL) {
		close(cfd);
		free(c);
		return;
	}
	c->next = ctl->conns;
	ctl->conns = c;
	hello.u.hello.version = FIB_PROTO_VERSION;
	hello.u.hello.role = FIB_ROLE_DP;
	hello.u.hello.gen = ctl->dp->st.gen;
	if (ctl_send(c, &hello) != 0)
		conn_close(c);
}

int dp_ctl_open(struct dp_ctl *ctl, struct dp_ctx *dp, const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	ctl->dp = dp;
	ctl->conns = NULL;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		return -1;
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 8) < 0 ||
	    (ctl->io = ev_io_add(dp->loop, fd, EV_READ, ctl_accept, ctl)) == NULL) {
		close(fd);
		return -1;
	}
	ctl->fd = fd;
	return 0;
}

void dp_ctl_close(struct dp_ctl *ctl)
{
	while (ctl->conns)
		conn_close(ctl->conns);
	ev_io_del(ctl->io);
	close(ctl->fd);
}
