/*
 * ctl_client: one request to vtopod over its Unix socket, with timeouts on
 * the connect and on every wait for the daemon.
 *
 * Not for: the commands (show.c) or their output (show_*.c).
 */
#include "ctl/ctl_client.h"

#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define RETRY_MS 50 /* the daemon's backlog is full: connect again after */

/* err = the formatted message, then ": strerror(e)" when e is not 0 */
__attribute__((format(printf, 4, 5))) static int fail(char *err, size_t errlen, int e,
						      const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	n = strlen(err);
	if (e != 0 && n < errlen)
		snprintf(err + n, errlen - n, ": %s", strerror(e));
	return -1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for `events`; 1, 0 on timeout, -1 on error. */
static int wait_fd(int fd, short events, int ms)
{
	struct pollfd p = {.fd = fd, .events = events};
	int r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	return r;
}

static int sock_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	long deadline = now_ms() + CTL_CONNECT_TIMEOUT_MS;
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return fail(err, errlen, 0, "cannot connect to %s: path too long", path);
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(err, errlen, errno, "cannot connect to %s", path);
	while ((r = connect(fd, (struct sockaddr *)&sa, sizeof(sa))) != 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		if (e == EAGAIN && now_ms() < deadline) { /* backlog full */
			wait_fd(-1, 0, RETRY_MS);
			continue;
		}
		close(fd);
		if (e == ENOENT || e == ECONNREFUSED)
			return fail(err, errlen, 0, "cannot connect to %s: %s (is vtopod running?)",
				    path, strerror(e));
		if (e == EAGAIN)
			return fail(err, errlen, 0, "cannot connect to %s: the daemon is busy",
				    path);
		return fail(err, errlen, e, "cannot connect to %s", path);
	}
	return fd;
}

static int sock_send(int fd, const char *path, const char *s, size_t len, char *err, size_t errlen)
{
	size_t off = 0;

	while (off < len) {
		ssize_t r = send(fd, s + off, len - off, MSG_NOSIGNAL);

		if (r >= 0) {
			off += (size_t)r;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return fail(err, errlen, errno, "%s: cannot send the request", path);
		if (wait_fd(fd, POLLOUT, CTL_REPLY_TIMEOUT_MS) <= 0)
			return fail(err, errlen, 0, "%s: the daemon does not read its socket",
				    path);
	}
	return 0;
}

/* Read up to the first newline (or the end of file); the line, to free. */
static char *sock_recv(int fd, const char *path, char *err, size_t errlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;

	for (;;) {
		ssize_t r;

		if (len + 1 >= cap) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap)) == NULL) {
				fail(err, errlen, ENOMEM, "%s: response too large", path);
				goto fail;
			}
			buf = nb;
		}
		r = recv(fd, buf + len, cap - len - 1, 0);
		if (r > 0) {
			if (memchr(buf + len, '\n', (size_t)r) != NULL) {
				len += (size_t)r;
				break;
			}
			len += (size_t)r;
			continue;
		}
		if (r == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			fail(err, errlen, errno, "%s: cannot read the response", path);
			goto fail;
		}
		if (wait_fd(fd, POLLIN, CTL_REPLY_TIMEOUT_MS) <= 0) {
			snprintf(err, errlen, "%s: no response from the daemon within %d s", path,
				 CTL_REPLY_TIMEOUT_MS / 1000);
			goto fail;
		}
	}
	if (len == 0) {
		fail(err, errlen, 0, "%s: the daemon closed the connection without a response",
		     path);
		goto fail;
	}
	buf[len] = '\0';
	return buf;
fail:
	free(buf);
	return NULL;
}

static char *request_line(const char *cmd, const char *const *args, size_t nargs)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();
	char *line = NULL;

	json_object_object_add(o, "command", json_object_new_string(cmd));
	for (size_t i = 0; i < nargs; i++)
		json_object_array_add(a, json_object_new_string(args[i]));
	json_object_object_add(o, "args", a);
	if (asprintf(&line, "%s\n",
		     json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							   JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		line = NULL;
	json_object_put(o);
	return line;
}

/* {"ok": true, "data": ...} or {"ok": false, "error": "..."} */
static enum ctl_client_result reply_parse(const char *path, const char *line,
					  struct json_object **data, char *err, size_t errlen)
{
	struct json_object *o = json_tokener_parse(line), *ok, *v;
	enum ctl_client_result res = CTL_CLIENT_TRANSPORT;

	if (o == NULL || !json_object_object_get_ex(o, "ok", &ok) ||
	    !json_object_is_type(ok, json_type_boolean)) {
		fail(err, errlen, 0, "%s: invalid response from the daemon", path);
	} else if (json_object_get_boolean(ok)) {
		if (json_object_object_get_ex(o, "data", &v)) {
			*data = json_object_get(v);
			res = CTL_CLIENT_OK;
		} else {
			fail(err, errlen, 0, "%s: response without data", path);
		}
	} else {
		snprintf(err, errlen, "%s",
			 json_object_object_get_ex(o, "error", &v) ? json_object_get_string(v)
								   : "error");
		res = CTL_CLIENT_REFUSED;
	}
	json_object_put(o);
	return res;
}

enum ctl_client_result ctl_client_request(const char *path, const char *cmd,
					  const char *const *args, size_t nargs,
					  struct json_object **data, char *err, size_t errlen)
{
	enum ctl_client_result res = CTL_CLIENT_TRANSPORT;
	char *req = request_line(cmd, args, nargs), *line = NULL;
	int fd = -1;

	*data = NULL;
	if (req == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	fd = sock_connect(path, err, errlen);
	if (fd < 0 || sock_send(fd, path, req, strlen(req), err, errlen) != 0)
		goto out;
	line = sock_recv(fd, path, err, errlen);
	if (line != NULL)
		res = reply_parse(path, line, data, err, errlen);
out:
	if (fd >= 0)
		close(fd);
	free(req);
	free(line);
	return res;
}
