/*
 * bgpgen: the route generator and the route sink of the daemon benchmark
 * (bench/run-peers), built on vtopo's codec.
 *
 *   bgpgen send  one BGP session to the device under test (DUT); the routes
 *                are encoded into whole UPDATE messages before any clock
 *                starts, then written as fast as TCP takes them.  Phases:
 *                announce, withdraw, flap (Cease, wait until the sink has
 *                seen every route withdrawn, reconnect, announce again).
 *   bgpgen sink  one session to the DUT; decodes every UPDATE
 *                (bgp_update_decode + bgp_nlri_decode), keeps one state bit
 *                per route and, per phase, reports the time from the
 *                senders' first byte (DIR/marks) until the table is
 *                complete (announce), empty (withdraw), or empty and then
 *                complete again (flap).  Exit 1 on timeout, on a prefix or
 *                route target it did not expect, or on a broken session.
 *
 * Several senders (one process each, distinct --first ranges) feed one sink
 * that expects the sum.  Coordination files: bench_sync.h.
 *
 * Not for: conformance testing of the DUT beyond "every route arrived".
 */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "bench_sync.h"
#include "bgp_client.h"
#include "bgp_routes.h"
#include "wire/msg.h"
#include "wire/update.h"

#define MAX_PHASES 16
#define CEASE 6		    /* RFC 4271 s4.5 */
#define CEASE_ADMIN_RESET 4 /* RFC 4486 s4 */
#define CEASE_CONN_REJECTED 5

enum phase { PH_ANNOUNCE, PH_WITHDRAW, PH_FLAP };
static const char *const phase_names[] = {"announce", "withdraw", "flap"};

struct opts {
	bool sink;
	const char *local, *remote, *sync, *name;
	bool listen;
	struct bgp_client_cfg sess;
	struct bgp_routes_cfg routes;
	enum phase phases[MAX_PHASES];
	unsigned n_phases;
	double timeout;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bgpgen send|sink [options]\n"
		"  --local IP --remote IP | --listen   session endpoints (TCP 179)\n"
		"  --as N --peer-as N --router-id IP --hold S\n"
		"  --family ipv4-vpn|ipv4-unicast      default ipv4-vpn\n"
		"  --routes N --first K                route numbers [K, K+N)\n"
		"  --attr-every K                      send: a new attribute set every K routes\n"
		"  --next-hop IP                       send: default the local address\n"
		"  --phases announce,withdraw,flap     default announce\n"
		"  --sync DIR --name NAME              coordination files (sink: required)\n"
		"  --timeout S                         per phase / handshake, default 600\n");
	exit(2);
}

static uint32_t parse_u32(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v > UINT32_MAX)
		usage();
	return (uint32_t)v;
}

static uint32_t parse_ip(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		usage();
	return ntohl(a.s_addr);
}

static void parse_phases(struct opts *o, char *list)
{
	o->n_phases = 0;
	for (char *t = strtok(list, ","); t; t = strtok(NULL, ",")) {
		unsigned p;

		for (p = 0; p < 3 && strcmp(t, phase_names[p]) != 0; p++)
			;
		if (p == 3 || o->n_phases == MAX_PHASES)
			usage();
		o->phases[o->n_phases++] = (enum phase)p;
	}
}

static void parse_opts(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {{"local", 1, 0, 'l'},
					   {"remote", 1, 0, 'r'},
					   {"listen", 0, 0, 'L'},
					   {"as", 1, 0, 'a'},
					   {"peer-as", 1, 0, 'p'},
					   {"router-id", 1, 0, 'i'},
					   {"hold", 1, 0, 'h'},
					   {"family", 1, 0, 'f'},
					   {"routes", 1, 0, 'n'},
					   {"first", 1, 0, 'k'},
					   {"attr-every", 1, 0, 'e'},
					   {"next-hop", 1, 0, 'N'},
					   {"phases", 1, 0, 'P'},
					   {"sync", 1, 0, 's'},
					   {"name", 1, 0, 'm'},
					   {"timeout", 1, 0, 't'},
					   {0, 0, 0, 0}};
	int c;

	if (argc < 2 || (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "sink") != 0))
		usage();
	*o = (struct opts){.sink = strcmp(argv[1], "sink") == 0, .name = argv[1], .timeout = 600};
	o->sess =
	    (struct bgp_client_cfg){.local_as = 65001, .hold_time = 240, .fam = BGP_FAM_VPNV4};
	o->routes = (struct bgp_routes_cfg){.fam = BGP_FAM_VPNV4, .count = 1000};
	o->n_phases = 1;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'l':
			o->local = optarg;
			break;
		case 'r':
			o->remote = optarg;
			break;
		case 'L':
			o->listen = true;
			break;
		case 'a':
			o->sess.local_as = parse_u32(optarg);
			break;
		case 'p':
			o->sess.peer_as = parse_u32(optarg);
			break;
		case 'i':
			o->sess.router_id = parse_ip(optarg);
			break;
		case 'h':
			o->sess.hold_time = (uint16_t)parse_u32(optarg);
			break;
		case 'f':
			o->sess.fam = bgp_fam_from_name(optarg);
			if (o->sess.fam != BGP_FAM_VPNV4 && o->sess.fam != BGP_FAM_IPV4_UNICAST)
				usage();
			break;
		case 'n':
			o->routes.count = parse_u32(optarg);
			break;
		case 'k':
			o->routes.first = parse_u32(optarg);
			break;
		case 'e':
			o->routes.attr_every = parse_u32(optarg);
			break;
		case 'N':
			o->routes.next_hop = parse_ip(optarg);
			break;
		case 'P':
			parse_phases(o, optarg);
			break;
		case 's':
			o->sync = optarg;
			break;
		case 'm':
			o->name = optarg;
			break;
		case 't':
			o->timeout = parse_u32(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (!o->remote && !o->listen) || (o->sink && !o->sync) ||
	    (uint64_t)o->routes.first + o->routes.count > BGP_ROUTES_MAX)
		usage();
	o->routes.fam = o->sess.fam;
	o->routes.local_as = o->sess.local_as;
	if (!o->sess.router_id)
		o->sess.router_id = o->local ? parse_ip(o->local) : 0x01010101;
	if (!o->routes.next_hop)
		o->routes.next_hop = o->local ? parse_ip(o->local) : 0;
}

/* Connect (or accept) and run the handshake. */
static bool session_up(const struct opts *o, struct bgp_client *c)
{
	double deadline = bgp_client_now() + o->timeout;
	int fd;

	/* a DUT that is still clearing the last session may accept the
	 * connection and then close it: retry the whole handshake */
	for (;;) {
		if (o->listen)
			fd = bgp_client_accept(o->local, deadline, c->err, sizeof(c->err));
		else
			fd = bgp_client_connect(o->local, o->remote, deadline, c->err,
						sizeof(c->err));
		if (fd >= 0 && bgp_client_open(c, fd, &o->sess, deadline))
			break;
		if (fd >= 0)
			bgp_client_close(c, CEASE, CEASE_CONN_REJECTED);
		if (fd < 0 || bgp_client_now() >= deadline || stop_flag) {
			fprintf(stderr, "bgpgen %s: session: %s\n", o->name, c->err);
			return false;
		}
		fprintf(stderr, "bgpgen %s: session: %s; retrying\n", o->name, c->err);
		poll(NULL, 0, 100);
	}
	if (o->sync)
		bench_sync_touch(o->sync, "%s.up", o->name);
	return true;
}

/*
 * Serve the session for up to `wait` seconds: read (handing UPDATEs to fn),
 * send KEEPALIVEs.  Returns 1 when done() said so, 0 at the deadline or on
 * a signal, -1 when the session broke.
 */
static int serve(struct bgp_client *c, double wait, bgp_client_update_fn fn, void *ctx,
		 bool (*done)(void *ctx), void *dctx)
{
	double deadline = bgp_client_now() + wait;

	for (;;) {
		double now = bgp_client_now(), ka = bgp_client_tick(c, now);
		double until = ka < deadline ? ka : deadline;
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		int ms;

		if (done && done(dctx))
			return 1;
		if (now >= deadline || stop_flag)
			return 0;
		if (bgp_client_pending(c)) {
			pfd.events |= POLLOUT;
			if (!bgp_client_flush(c) && c->fd < 0)
				return -1;
		}
		ms = (int)((until - now) * 1000) + 1;
		if (ms > 10)
			ms = 10; /* coordination files are polled */
		if (poll(&pfd, 1, ms) > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR)) &&
		    bgp_client_read(c, fn, ctx) < 0)
			return -1;
	}
}

/* ---- send ---- */

struct file_wait {
	const char *dir;
	char name[64];
};

static bool file_there(void *ctx)
{
	struct file_wait *f = ctx;

	return !f->dir || bench_sync_exists(f->dir, "%s", f->name);
}

/* Wait for DIR/NAME while keeping the session alive. */
static bool send_wait(const struct opts *o, struct bgp_client *c, const char *name)
{
	struct file_wait f = {.dir = o->sync};

	snprintf(f.name, sizeof(f.name), "%s", name);
	if (serve(c, 1e9, NULL, NULL, file_there, &f) == 1)
		return true;
	fprintf(stderr, "bgpgen %s: waiting for %s: %s\n", o->name, name,
		stop_flag ? "stopped" : c->err);
	return false;
}

/* Write the whole stream, a KEEPALIVE slipped in between blocks when due;
 * incoming bytes are read (and dropped) so the peer never blocks on us. */
static bool stream_send(struct bgp_client *c, const struct bgp_stream *s)
{
	for (size_t b = 0; b < s->n_blocks; b++) {
		size_t off = s->blocks[b], end = b + 1 < s->n_blocks ? s->blocks[b + 1] : s->len;

		bgp_client_tick(c, bgp_client_now());
		while (bgp_client_pending(c) || off < end) {
			struct pollfd pfd = {.fd = c->fd, .events = POLLIN | POLLOUT};
			long n;

			if (stop_flag || poll(&pfd, 1, 1000) < 0)
				return false;
			if ((pfd.revents & POLLIN) && bgp_client_read(c, NULL, NULL) < 0)
				return false;
			if (!(pfd.revents & POLLOUT))
				continue;
			if (bgp_client_pending(c)) {
				if (!bgp_client_flush(c) && c->fd < 0)
					return false;
				continue;
			}
			n = bgp_client_write(c, s->buf + off, end - off);
			if (n < 0)
				return false;
			off += (size_t)n;
		}
	}
	return true;
}

static bool send_phase(const struct opts *o, struct bgp_client *c, unsigned i,
		       const struct bgp_stream *ann, const struct bgp_stream *wd)
{
	const struct bgp_stream *s = o->phases[i] == PH_WITHDRAW ? wd : ann;
	double t0 = bgp_client_now(), t_up = t0;
	char name[32];

	if (o->sync)
		bench_sync_mark(o->sync, i, "start", t0);
	if (o->phases[i] == PH_FLAP) {
		bgp_client_close(c, CEASE, CEASE_ADMIN_RESET);
		snprintf(name, sizeof(name), "%u.down", i);
		while (o->sync && !bench_sync_exists(o->sync, "%s", name) && !stop_flag)
			poll(NULL, 0, 10);
		if (stop_flag || !session_up(o, c))
			return false;
		t_up = bgp_client_now();
		if (o->sync)
			bench_sync_mark(o->sync, i, "up", t_up);
	}
	if (!stream_send(c, s)) {
		fprintf(stderr, "bgpgen %s: sending: %s\n", o->name, c->err);
		return false;
	}
	double t1 = bgp_client_now();
	printf("bgpgen %s: phase %u %s: %u routes, %u messages, %zu bytes written in %.3f s",
	       o->name, i, phase_names[o->phases[i]], o->routes.count, s->n_msgs, s->len,
	       t1 - t_up);
	if (o->phases[i] == PH_FLAP)
		printf(" (down and reconnect %.3f s)", t_up - t0);
	printf("\n");
	fflush(stdout);
	return true;
}

static int run_send(const struct opts *o)
{
	struct bgp_stream ann = {0}, wd = {0};
	struct bgp_client c = {.fd = -1};
	bool need_wd = false, ok = false;
	char go[32];

	for (unsigned i = 0; i < o->n_phases; i++)
		need_wd |= o->phases[i] == PH_WITHDRAW;
	if (!session_up(o, &c))
		goto out;
	/* RFC 6793 s4.1: the AS_PATH format depends on the session */
	if (!bgp_stream_build(&ann, &o->routes, c.params.as4, false) ||
	    (need_wd && !bgp_stream_build(&wd, &o->routes, c.params.as4, true))) {
		fprintf(stderr, "bgpgen %s: could not encode the routes\n", o->name);
		goto out;
	}
	for (unsigned i = 0; i < o->n_phases; i++) {
		snprintf(go, sizeof(go), "go.%u", i);
		if (!send_wait(o, &c, go) || !send_phase(o, &c, i, &ann, &wd))
			goto out;
	}
	/* hold the routes until told to stop (SIGTERM), or leave at once
	 * when nothing coordinates us */
	ok = !o->sync || serve(&c, 1e9, NULL, NULL, NULL, NULL) == 0;
	if (!ok)
		fprintf(stderr, "bgpgen %s: session lost: %s\n", o->name, c.err);
out:
	bgp_client_close(&c, CEASE, CEASE_ADMIN_RESET);
	bgp_stream_free(&ann);
	bgp_stream_free(&wd);
	return ok ? 0 : 1;
}

/* ---- sink ---- */

struct sink {
	const struct opts *o;
	struct bgp_client c;
	uint8_t *present; /* one byte per route number - first */
	uint64_t n_present;
	uint64_t announced, withdrawn, dup, spurious, unknown, bad_rt, bad_msgs;
};

static void sink_nlri(struct sink *s, const struct bgp_nlri *n, bool announce,
		      const struct rbuf *ecomms)
{
	int64_t k = bgp_routes_index(n);
	uint32_t first = s->o->routes.first;

	if (k < first || k - first >= s->o->routes.count) {
		s->unknown++;
		return;
	}
	uint8_t *bit = &s->present[k - first];
	if (!announce) {
		s->withdrawn++;
		if (*bit) {
			*bit = 0;
			s->n_present--;
		} else {
			s->spurious++;
		}
		return;
	}
	s->announced++;
	if (n->fam == BGP_FAM_VPNV4) {
		struct rbuf r = *ecomms;
		struct ecomm want, have;
		bool found = false;

		bgp_routes_rt((uint32_t)k, &want);
		while (!found && rbuf_bytes(&r, have.b, 8))
			found = memcmp(have.b, want.b, 8) == 0;
		s->bad_rt += !found;
	}
	if (*bit) {
		s->dup++;
	} else {
		*bit = 1;
		s->n_present++;
	}
}

static bool sink_field(struct sink *s, struct rbuf f, enum bgp_fam fam, bool announce,
		       const struct rbuf *ecomms)
{
	struct bgp_verdict v;
	struct bgp_nlri n;

	bgp_verdict_init(&v);
	while (!rbuf_empty(&f)) {
		if (!bgp_nlri_decode(&f, fam, false, !announce, &n, &v, BGP_E_UPD_NLRI))
			return false;
		sink_nlri(s, &n, announce, ecomms);
	}
	return true;
}

static bool sink_update(void *ctx, struct rbuf *body)
{
	struct sink *s = ctx;
	enum bgp_fam fam = s->o->sess.fam;
	struct bgp_update u;
	struct bgp_verdict v;
	bool ok;

	bgp_verdict_init(&v);
	if (!bgp_update_decode(body, &s->c.params, &u, &v)) {
		s->bad_msgs++;
		return false;
	}
	/* RFC 7606 s2: treat-as-withdraw still names the routes to remove */
	bool as_withdraw = v.action >= BGP_ACT_TREAT_AS_WITHDRAW;
	s->bad_msgs += v.action != BGP_ACT_OK;
	ok = sink_field(s, u.withdrawn, BGP_FAM_IPV4_UNICAST, false, NULL);
	ok = ok && sink_field(s, u.nlri, BGP_FAM_IPV4_UNICAST, !as_withdraw, &u.a.ext_communities);
	if (ok && u.a.mp_fam == fam)
		ok = sink_field(s, u.a.mp_nlri, fam, !as_withdraw, &u.a.ext_communities);
	if (ok && u.a.mpu_fam == fam)
		ok = sink_field(s, u.a.mpu_nlri, fam, false, NULL);
	s->bad_msgs += !ok;
	return ok;
}

static bool sink_full(void *ctx)
{
	struct sink *s = ctx;

	return s->n_present == s->o->routes.count;
}

static bool sink_empty(void *ctx)
{
	struct sink *s = ctx;

	return s->n_present == 0;
}

static bool sink_wait(struct sink *s, bool (*cond)(void *), const char *what, double *t)
{
	int r = serve(&s->c, s->o->timeout, sink_update, s, cond, s);

	*t = bgp_client_now();
	if (r == 1)
		return true;
	fprintf(stderr, "bgpgen %s: %s: %s; %llu of %u routes present\n", s->o->name, what,
		r < 0	    ? s->c.err
		: stop_flag ? "stopped"
			    : "timeout",
		(unsigned long long)s->n_present, s->o->routes.count);
	return false;
}

static void sink_report(struct sink *s, unsigned i, double time, double down)
{
	printf("result phase=%u kind=%s routes=%u time=%.6f down=%.6f announced=%llu "
	       "withdrawn=%llu dup=%llu spurious=%llu unknown=%llu bad_rt=%llu bad_msgs=%llu\n",
	       i, phase_names[s->o->phases[i]], s->o->routes.count, time, down,
	       (unsigned long long)s->announced, (unsigned long long)s->withdrawn,
	       (unsigned long long)s->dup, (unsigned long long)s->spurious,
	       (unsigned long long)s->unknown, (unsigned long long)s->bad_rt,
	       (unsigned long long)s->bad_msgs);
	fflush(stdout);
}

/* Flap: from the sender's Cease until everything is withdrawn, plus from
 * its first byte on the new session until everything is back. */
static bool sink_phase(struct sink *s, unsigned i)
{
	const char *dir = s->o->sync;
	double t_end, t_down = 0, start, up;

	switch (s->o->phases[i]) {
	case PH_ANNOUNCE:
		if (!sink_wait(s, sink_full, "announce", &t_end))
			return false;
		break;
	case PH_WITHDRAW:
		if (!sink_wait(s, sink_empty, "withdraw", &t_end))
			return false;
		break;
	case PH_FLAP:
		if (!sink_wait(s, sink_empty, "flap (down)", &t_down))
			return false;
		bench_sync_touch(dir, "%u.down", i);
		if (!sink_wait(s, sink_full, "flap (up)", &t_end))
			return false;
		break;
	}
	start = bench_sync_mark_min(dir, i, "start");
	up = bench_sync_mark_min(dir, i, "up");
	if (start < 0 || (s->o->phases[i] == PH_FLAP && up < 0)) {
		fprintf(stderr, "bgpgen %s: phase %u: no start mark in %s/marks\n", s->o->name, i,
			dir);
		return false;
	}
	if (s->o->phases[i] == PH_FLAP)
		sink_report(s, i, (t_down - start) + (t_end - up), t_down - start);
	else
		sink_report(s, i, t_end - start, 0);
	bench_sync_touch(dir, "%u.done", i);
	return true;
}

static int run_sink(const struct opts *o)
{
	struct sink s = {.o = o, .c = {.fd = -1}};
	bool ok = false;

	s.present = calloc(o->routes.count ? o->routes.count : 1, 1);
	if (!s.present || !session_up(o, &s.c))
		goto out;
	ok = true;
	for (unsigned i = 0; ok && i < o->n_phases; i++)
		ok = sink_phase(&s, i);
	if (s.unknown || s.bad_rt || s.bad_msgs) {
		fprintf(stderr,
			"bgpgen %s: %llu unexpected prefixes, %llu without their route "
			"target, %llu bad messages\n",
			o->name, (unsigned long long)s.unknown, (unsigned long long)s.bad_rt,
			(unsigned long long)s.bad_msgs);
		ok = false;
	}
out:
	bgp_client_close(&s.c, CEASE, CEASE_ADMIN_RESET);
	free(s.present);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct opts o;

	parse_opts(&o, argc, argv);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	return o.sink ? run_sink(&o) : run_send(&o);
}
