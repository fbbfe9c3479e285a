/*
 * main_ctl: wires the control socket server (ctl_server.h) into vtopod:
 * the server's fd-based loop calls onto the daemon's watcher-based event
 * loop (core/ev.h), and its show handlers onto the sessions and the RDE.
 *
 * Not for: the socket protocol (ctl_server.c) or the JSON models
 * (session_show.c, rde_show.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "core/ev.h"
#include "rde/rde.h"
#include "vtopod/ctl_server.h"
#include "vtopod/vtopod.h"

/* One watcher per fd the server asked for, indexed by fd. */
struct vtopod_ctl {
	struct vtopod *d;
	struct ctl_server *srv;
	struct ctl_watch {
		struct ev_io *io;
		ctl_io_cb cb;
		void *arg;
	} * w;
	size_t n_w;
};

static uint32_t to_ev(unsigned events)
{
	return ((events & CTL_EV_READ) ? EV_READ : 0) | ((events & CTL_EV_WRITE) ? EV_WRITE : 0);
}

static void on_io(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct vtopod_ctl *c = arg;
	unsigned ev = 0;

	(void)loop;
	if ((size_t)fd >= c->n_w || !c->w[fd].io)
		return;
	/* an error or hangup is delivered as readable: the server's read then
	 * sees the end of the connection */
	if (events & (EV_READ | EV_ERROR))
		ev |= CTL_EV_READ;
	if (events & EV_WRITE)
		ev |= CTL_EV_WRITE;
	c->w[fd].cb(fd, ev, c->w[fd].arg);
}

static int ctl_io_add(void *loop, int fd, unsigned events, ctl_io_cb cb, void *arg)
{
	struct vtopod_ctl *c = ((struct vtopod *)loop)->ctl;

	if (fd < 0)
		return -1;
	if ((size_t)fd >= c->n_w) {
		size_t n = (size_t)fd + 16;
		struct ctl_watch *w = realloc(c->w, n * sizeof(*w));

		if (!w)
			return -1;
		memset(w + c->n_w, 0, (n - c->n_w) * sizeof(*w));
		c->w = w;
		c->n_w = n;
	}
	c->w[fd].cb = cb;
	c->w[fd].arg = arg;
	c->w[fd].io = ev_io_add(c->d->loop, fd, to_ev(events), on_io, c);
	return c->w[fd].io ? 0 : -1;
}

static int ctl_io_mod(void *loop, int fd, unsigned events)
{
	struct vtopod_ctl *c = ((struct vtopod *)loop)->ctl;

	if (fd < 0 || (size_t)fd >= c->n_w || !c->w[fd].io)
		return -1;
	return ev_io_set(c->w[fd].io, to_ev(events));
}

static void ctl_io_del(void *loop, int fd)
{
	struct vtopod_ctl *c = ((struct vtopod *)loop)->ctl;

	if (fd < 0 || (size_t)fd >= c->n_w || !c->w[fd].io)
		return;
	ev_io_del(c->w[fd].io);
	c->w[fd].io = NULL;
}

static const struct ctl_loop_ops loop_ops = {ctl_io_add, ctl_io_mod, ctl_io_del};

/* ---- show handlers ---- */

static struct json_object *show_neighbors(void *ctx, const struct ipaddr *addr, char *err)
{
	struct vtopod *d = ctx;
	char text[IPADDR_STRLEN];
	struct json_object *o;

	if (!addr)
		return session_show_neighbors(d, NULL);
	ipaddr_fmt(addr, text, sizeof(text));
	o = session_show_neighbors(d, text);
	if (!o)
		snprintf(err, CTL_ERR_MAX, "no neighbor %s", text);
	return o;
}

static struct json_object *show_rib(void *ctx, enum bgp_fam fam, const char *key, char *err)
{
	struct vtopod *d = ctx;
	struct json_object *o = rde_show_rib(d->rde, fam, key);

	if (!o)
		snprintf(err, CTL_ERR_MAX, "cannot show the %s table", bgp_fam_table[fam].name);
	return o;
}

static struct json_object *show_rtc(void *ctx, char *err)
{
	struct json_object *o = rde_show_rtc(((struct vtopod *)ctx)->rde);

	if (!o)
		snprintf(err, CTL_ERR_MAX, "cannot show RT-Constraint state");
	return o;
}

static struct json_object *show_memory(void *ctx, char *err)
{
	struct json_object *o = rde_show_memory(((struct vtopod *)ctx)->rde);

	if (!o)
		snprintf(err, CTL_ERR_MAX, "cannot show memory");
	return o;
}

/* "show fib [VRF]", "show labels", "show service-topology [NAME]" */
static struct json_object *show_svc(void *ctx, const char *what, const char *arg, char *err)
{
	struct json_object *o = vtopod_svc_show(ctx, what, arg);

	if (!o)
		snprintf(err, CTL_ERR_MAX, "out of memory");
	return o;
}

/* "attach add|del", "show attachments" (vtopod_svc.c) */
static struct json_object *attach_add(void *ctx, const struct ctl_attach *a, char *err)
{
	return vtopod_svc_attach_add(ctx, a, err);
}

static struct json_object *attach_del(void *ctx, const char *name, char *err)
{
	return vtopod_svc_attach_del(ctx, name, err);
}

static struct json_object *show_attachments(void *ctx, char *err)
{
	struct json_object *o = vtopod_svc_attachments(ctx);

	if (!o)
		snprintf(err, CTL_ERR_MAX, "service topologies are not running");
	return o;
}

/* Create the socket's directory if it is missing (default /run/vtopo). */
static void make_parent_dir(const char *path)
{
	char *dir = strdup(path), *slash;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			/* ctl_server_start reports the failure with the path */
		}
	}
	free(dir);
}

/* "reload": the summary, or the refused paths and reasons in err */
static struct json_object *ctl_reload(void *ctx, char *err)
{
	struct vtopod *d = ctx;
	struct config_errors errs;
	struct json_object *summary = NULL;
	size_t used = 0;

	config_errors_init(&errs);
	if (vtopod_reload(d, &errs, &summary) < 0) {
		used = (size_t)snprintf(err, CTL_ERR_MAX, "configuration refused, nothing changed");
		for (size_t i = 0; i < errs.n && used < CTL_ERR_MAX; i++)
			used += (size_t)snprintf(err + used, CTL_ERR_MAX - used, "; %s: %s",
						 errs.v[i].path, errs.v[i].reason);
	} else if (!summary) {
		snprintf(err, CTL_ERR_MAX, "out of memory");
	} else {
		json_object_object_add(summary, "attachments", vtopod_svc_reload_changes(d));
	}
	config_errors_clear(&errs);
	return summary;
}

int vtopod_ctl_start(struct vtopod *d)
{
	struct ctl_handlers h = {
	    .ctx = d,
	    .neighbors = show_neighbors,
	    .rib = show_rib,
	    .rtc = show_rtc,
	    .memory = show_memory,
	    .reload = ctl_reload,
	    .svc = show_svc,
	    .attach_add = attach_add,
	    .attach_del = attach_del,
	    .attachments = show_attachments,
	};
	char err[256];

	d->ctl = calloc(1, sizeof(*d->ctl));
	if (!d->ctl)
		return -1;
	d->ctl->d = d;
	make_parent_dir(d->cfg->control_socket);
	d->ctl->srv = ctl_server_start(d->cfg->control_socket, &h, &loop_ops, d, err, sizeof(err));
	if (!d->ctl->srv) {
		log_warnx(&d->log, "control socket: %s", err);
		vtopod_ctl_stop(d);
		return -1;
	}
	return 0;
}

void vtopod_ctl_stop(struct vtopod *d)
{
	if (!d->ctl)
		return;
	if (d->ctl->srv)
		ctl_server_stop(d->ctl->srv);
	free(d->ctl->w);
	free(d->ctl);
	d->ctl = NULL;
}
