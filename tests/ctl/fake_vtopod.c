/*
 * fake_vtopod: a stand-in daemon for the vtopoctl show tests: the real
 * control socket server (vtopod/ctl_server) with handlers that answer from
 * JSON files written by hand: DIR/neighbors.json (filtered by address when
 * one is asked for), DIR/rib-FAMILY.json, DIR/rtc.json, DIR/memory.json.
 * A missing file is an error answer naming it.
 *
 * usage: fake_vtopod SOCKET DIR; prints "ready" once it listens, runs
 * until SIGTERM.
 */
#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtopod/ctl_server.h"

#define WATCH_MAX 80

static struct watch {
	int fd;
	unsigned events;
	ctl_io_cb cb;
	void *arg;
} watches[WATCH_MAX];

static volatile sig_atomic_t stop;

static struct watch *find(int fd)
{
	for (int i = 0; i < WATCH_MAX; i++)
		if (watches[i].fd == fd)
			return &watches[i];
	return NULL;
}

static int io_add(void *loop, int fd, unsigned events, ctl_io_cb cb, void *arg)
{
	struct watch *w = find(-1);

	(void)loop;
	if (w == NULL)
		return -1;
	*w = (struct watch){fd, events, cb, arg};
	return 0;
}

static int io_mod(void *loop, int fd, unsigned events)
{
	struct watch *w = find(fd);

	(void)loop;
	if (w == NULL)
		return -1;
	w->events = events;
	return 0;
}

static void io_del(void *loop, int fd)
{
	struct watch *w = find(fd);

	(void)loop;
	if (w != NULL)
		w->fd = -1;
}

static const char *dir;

static struct json_object *from_file(const char *name, char *err)
{
	char path[4096];
	struct json_object *o;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	o = json_object_from_file(path);
	if (o == NULL)
		snprintf(err, CTL_ERR_MAX, "fake_vtopod: no %s", name);
	return o;
}

static struct json_object *neighbors(void *ctx, const struct ipaddr *a, char *err)
{
	struct json_object *all = from_file("neighbors.json", err), *nbs, *one;
	char want[IPADDR_STRLEN];

	(void)ctx;
	if (all == NULL || a == NULL)
		return all;
	ipaddr_fmt(a, want, sizeof(want));
	json_object_object_get_ex(all, "neighbors", &nbs);
	one = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(nbs); i++) {
		struct json_object *nb = json_object_array_get_idx(nbs, i), *addr;

		if (json_object_object_get_ex(nb, "address", &addr) &&
		    strcmp(json_object_get_string(addr), want) == 0)
			json_object_array_add(one, json_object_get(nb));
	}
	json_object_put(all);
	if (json_object_array_length(one) == 0) {
		json_object_put(one);
		snprintf(err, CTL_ERR_MAX, "no neighbor %s", want);
		return NULL;
	}
	all = json_object_new_object();
	json_object_object_add(all, "neighbors", one);
	return all;
}

static struct json_object *rib(void *ctx, enum bgp_fam fam, const char *key, char *err)
{
	char name[64];

	(void)ctx;
	(void)key;
	snprintf(name, sizeof(name), "rib-%s.json", bgp_fam_table[fam].name);
	return from_file(name, err);
}

static struct json_object *rtc(void *ctx, char *err)
{
	(void)ctx;
	return from_file("rtc.json", err);
}

static struct json_object *memory(void *ctx, char *err)
{
	(void)ctx;
	return from_file("memory.json", err);
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	static const struct ctl_loop_ops ops = {io_add, io_mod, io_del};
	const struct ctl_handlers h = {NULL, neighbors, rib, rtc, memory};
	struct ctl_server *srv;
	char err[256];

	if (argc != 3) {
		fprintf(stderr, "usage: fake_vtopod SOCKET DIR\n");
		return 2;
	}
	dir = argv[2];
	for (int i = 0; i < WATCH_MAX; i++)
		watches[i].fd = -1;
	signal(SIGTERM, on_term);
	srv = ctl_server_start(argv[1], &h, &ops, NULL, err, sizeof(err));
	if (srv == NULL) {
		fprintf(stderr, "fake_vtopod: %s\n", err);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		struct pollfd p[WATCH_MAX];
		nfds_t n = 0;

		for (int i = 0; i < WATCH_MAX; i++)
			if (watches[i].fd >= 0)
				p[n++] = (struct pollfd){
				    watches[i].fd,
				    (short)((watches[i].events & CTL_EV_READ ? POLLIN : 0) |
					    (watches[i].events & CTL_EV_WRITE ? POLLOUT : 0)),
				    0};
		if (poll(p, n, 1000) < 0 && errno != EINTR)
			break;
		for (nfds_t i = 0; i < n; i++) {
			struct watch *w = find(p[i].fd);

			if (w != NULL && p[i].revents)
				w->cb(w->fd,
				      (p[i].revents & (POLLOUT | POLLERR | POLLHUP) ? CTL_EV_WRITE
										    : 0) |
					  (p[i].revents & (POLLIN | POLLERR | POLLHUP) ? CTL_EV_READ
										       : 0),
				      w->arg);
		}
	}
	ctl_server_stop(srv);
	return 0;
}
