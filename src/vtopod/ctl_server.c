/*
 * ctl_server: the control socket's I/O: the listening Unix socket, the
 * clients, their request and response buffers.  Each client reads one
 * request line (at most CTL_REQUEST_MAX bytes), gets one response line and
 * is closed; docs/ctl-json.md has the protocol.  Every socket is
 * non-blocking and every callback does a bounded amount of work.
 *
 * Not for: what a request means (ctl_cmd.c), the event loop itself.
 */
#include "vtopod/ctl_server.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define ACCEPT_PER_TURN 16
#define WRITE_PER_TURN (256 * 1024) /* bytes sent to one client per callback */
#define IN_INITIAL 1024

struct ctl_client {
	struct ctl_server *srv;
	struct ctl_client *prev, *next;
	int fd;
	char *in; /* request bytes so far */
	size_t in_len, in_cap;
	char *out; /* the response line, once there is one */
	size_t out_len, out_off;
	bool lingering; /* response sent, waiting for the client to close */
	size_t drained; /* bytes read and dropped since */
};

struct ctl_server {
	int fd;
	char *path;
	dev_t dev; /* of the socket file we made, to remove only ours */
	ino_t ino;
	struct ctl_handlers h;
	struct ctl_loop_ops ops;
	void *loop;
	struct ctl_client *clients;
	size_t nclients;
};

static void client_drop(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;

	srv->ops.io_del(srv->loop, c->fd);
	close(c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		srv->clients = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	srv->nclients--;
	free(c->in);
	free(c->out);
	free(c);
}

/* Send what the socket takes now.  Returns false when the client is done
 * (all sent) or gone (an error: out_off < out_len). */
static bool client_flush(struct ctl_client *c)
{
	size_t sent = 0;

	while (c->out_off < c->out_len && sent < WRITE_PER_TURN) {
		size_t n = c->out_len - c->out_off;
		ssize_t r;

		if (n > WRITE_PER_TURN - sent)
			n = WRITE_PER_TURN - sent;
		r = send(c->fd, c->out + c->out_off, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK;
		c->out_off += (size_t)r;
		sent += (size_t)r;
	}
	return c->out_off < c->out_len;
}

/*
 * The response is out: end our side, then read and drop what the client
 * still sends until it closes.  Closing a Unix socket with unread input
 * makes the peer's read fail with ECONNRESET instead of the end of file
 * (a client that sent more than one line, or too long a line, would see
 * that), so the close waits for the client's, up to CTL_REQUEST_MAX bytes.
 */
static void client_linger(struct ctl_client *c)
{
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	if (shutdown(c->fd, SHUT_WR) != 0 ||
	    c->srv->ops.io_mod(c->srv->loop, c->fd, CTL_EV_READ) != 0)
		client_drop(c);
	else
		c->lingering = true;
}

static void client_drain(struct ctl_client *c)
{
	char buf[4096];

	for (;;) {
		ssize_t r = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r <= 0 || (c->drained += (size_t)r) > CTL_REQUEST_MAX) {
			client_drop(c);
			return;
		}
	}
}

/* client_flush() is over: all sent, or the client is gone. */
static void client_done(struct ctl_client *c)
{
	if (c->out_off < c->out_len)
		client_drop(c);
	else
		client_linger(c);
}

static void client_respond(struct ctl_client *c, char *line)
{
	free(c->in);
	c->in = NULL;
	c->in_len = c->in_cap = 0;
	c->out = line;
	c->out_len = line ? strlen(line) : 0;
	c->out_off = 0;
	/* the response may go out at once; else wait for room */
	if (!client_flush(c))
		client_done(c);
	else if (c->srv->ops.io_mod(c->srv->loop, c->fd, CTL_EV_WRITE) != 0)
		client_drop(c);
}

/* The error text is ours: no quotes or backslashes to escape. */
__attribute__((format(printf, 1, 2))) static char *error_line(const char *fmt, ...)
{
	char err[CTL_ERR_MAX], *line = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, sizeof(err), fmt, ap);
	va_end(ap);
	if (asprintf(&line, "{\"ok\":false,\"error\":\"%s\"}\n", err) < 0)
		return NULL;
	return line;
}

/* Make room for more input: 0, or -1 when the request is already
 * CTL_REQUEST_MAX bytes without its end, or -2 when out of memory. */
static int client_grow(struct ctl_client *c)
{
	size_t cap = c->in_cap ? c->in_cap * 2 : IN_INITIAL;
	char *in;

	if (c->in_len < c->in_cap)
		return 0;
	if (c->in_cap >= CTL_REQUEST_MAX)
		return -1;
	if (cap > CTL_REQUEST_MAX)
		cap = CTL_REQUEST_MAX;
	in = realloc(c->in, cap);
	if (in == NULL)
		return -2;
	c->in = in;
	c->in_cap = cap;
	return 0;
}

/* Read what is there; answer once a line (or the end of input) is in. */
static void client_read(struct ctl_client *c)
{
	const struct ctl_handlers *h = &c->srv->h;

	for (;;) {
		size_t scan = c->in_len;
		int g = client_grow(c);
		char *nl;
		ssize_t r;

		if (g == -1)
			client_respond(
			    c, error_line("request too long (over %d bytes)", CTL_REQUEST_MAX));
		if (g == -2)
			client_drop(c);
		if (g != 0)
			return;
		r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r < 0 || (r == 0 && c->in_len == 0)) {
			client_drop(c); /* gone, or closed without asking */
			return;
		}
		if (r == 0) { /* end of input ends the request too */
			client_respond(c, ctl_request_handle(h, c->in, c->in_len));
			return;
		}
		c->in_len += (size_t)r;
		nl = memchr(c->in + scan, '\n', c->in_len - scan);
		if (nl != NULL) {
			client_respond(c, ctl_request_handle(h, c->in, (size_t)(nl - c->in)));
			return;
		}
	}
}

static void client_cb(int fd, unsigned events, void *arg)
{
	struct ctl_client *c = arg;

	(void)fd;
	if (c->lingering)
		client_drain(c);
	else if (c->out != NULL && events & CTL_EV_WRITE && !client_flush(c))
		client_done(c);
	else if (c->out == NULL && events & CTL_EV_READ)
		client_read(c);
}

/* More clients than CTL_CLIENTS_MAX: say so if the socket takes it, close. */
static void refuse(int fd)
{
	static const char msg[] = "{\"ok\":false,\"error\":\"too many clients, try again\"}\n";

	if (send(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
		/* nothing more to do for it */
	}
	close(fd);
}

static void client_new(struct ctl_server *srv, int fd)
{
	struct ctl_client *c;

	if (srv->nclients >= CTL_CLIENTS_MAX || (c = calloc(1, sizeof(*c))) == NULL) {
		refuse(fd);
		return;
	}
	c->srv = srv;
	c->fd = fd;
	if (srv->ops.io_add(srv->loop, fd, CTL_EV_READ, client_cb, c) != 0) {
		close(fd);
		free(c);
		return;
	}
	c->next = srv->clients;
	if (c->next != NULL)
		c->next->prev = c;
	srv->clients = c;
	srv->nclients++;
}

static void listen_cb(int fd, unsigned events, void *arg)
{
	struct ctl_server *srv = arg;

	(void)events;
	for (int i = 0; i < ACCEPT_PER_TURN; i++) {
		int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (c < 0 && errno == EINTR)
			continue;
		if (c < 0)
			return; /* EAGAIN, or a client that left before accept */
		client_new(srv, c);
	}
}

/* ---- start and stop ---- */

static int fail(char *err, size_t errlen, const char *path, const char *what, int e)
{
	snprintf(err, errlen, "control socket %s: %s%s%s", path, what, e ? ": " : "",
		 e ? strerror(e) : "");
	return -1;
}

/* The path is free, or held by a dead socket (removed here). */
static int path_claim(const char *path, const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st;
	int fd, r, e;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : fail(err, errlen, path, "cannot stat", errno);
	if (!S_ISSOCK(st.st_mode))
		return fail(err, errlen, path, "exists and is not a socket", 0);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(err, errlen, path, "socket", errno);
	/* a listener accepts at once (or is busy: EAGAIN); a dead one refuses */
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	e = errno;
	close(fd);
	if (r == 0 || e == EAGAIN)
		return fail(err, errlen, path, "another vtopod is running on it", 0);
	if (e != ECONNREFUSED)
		return fail(err, errlen, path, "cannot check the old socket", e);
	if (unlink(path) != 0 && errno != ENOENT)
		return fail(err, errlen, path, "cannot remove the stale socket", errno);
	return 0;
}

static int sock_open(struct ctl_server *srv, const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st;
	mode_t old;
	int r;

	srv->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->fd < 0)
		return fail(err, errlen, srv->path, "socket", errno);
	old = umask(0117); /* born 0660: no window with wider rights */
	r = bind(srv->fd, (const struct sockaddr *)sa, sizeof(*sa));
	umask(old);
	if (r != 0)
		return fail(err, errlen, srv->path, "bind", errno);
	if (chmod(srv->path, 0660) != 0 || lstat(srv->path, &st) != 0)
		return fail(err, errlen, srv->path, "chmod", errno);
	srv->dev = st.st_dev;
	srv->ino = st.st_ino;
	if (listen(srv->fd, 16) != 0)
		return fail(err, errlen, srv->path, "listen", errno);
	if (srv->ops.io_add(srv->loop, srv->fd, CTL_EV_READ, listen_cb, srv) != 0)
		return fail(err, errlen, srv->path, "cannot watch the socket", 0);
	return 0;
}

/* Remove the socket file if it is still the one we made. */
static void path_release(struct ctl_server *srv)
{
	struct stat st;

	if (srv->ino != 0 && lstat(srv->path, &st) == 0 && st.st_dev == srv->dev &&
	    st.st_ino == srv->ino)
		unlink(srv->path);
}

struct ctl_server *ctl_server_start(const char *path, const struct ctl_handlers *h,
				    const struct ctl_loop_ops *ops, void *loop, char *err,
				    size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct ctl_server *srv;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fail(err, errlen, path, "path too long", 0);
		return NULL;
	}
	memcpy(sa.sun_path, path, strlen(path));
	if (path_claim(path, &sa, err, errlen) != 0)
		return NULL;
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL || (srv->path = strdup(path)) == NULL) {
		free(srv);
		fail(err, errlen, path, "out of memory", 0);
		return NULL;
	}
	srv->h = *h;
	srv->ops = *ops;
	srv->loop = loop;
	if (sock_open(srv, &sa, err, errlen) != 0) {
		if (srv->fd >= 0)
			close(srv->fd);
		path_release(srv);
		free(srv->path);
		free(srv);
		return NULL;
	}
	return srv;
}

void ctl_server_stop(struct ctl_server *srv)
{
	if (srv == NULL)
		return;
	while (srv->clients != NULL)
		client_drop(srv->clients);
	srv->ops.io_del(srv->loop, srv->fd);
	close(srv->fd);
	path_release(srv);
	free(srv->path);
	free(srv);
}

size_t ctl_server_clients(const struct ctl_server *srv)
{
	return srv->nclients;
}
