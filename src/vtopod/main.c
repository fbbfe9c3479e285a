/*
 * vtopod: the BGP/MPLS-VPN service-chaining daemon's process.
 *
 *	vtopod [-f FILE] [-n] [-d] [-v] [-F|--fib-socket PATH]
 *
 * -f the configuration (JSON instance data of YANG module vtopo,
 * docs/config.md); -n check it and exit (0, or 1 after printing every
 * error as "PATH: reason"); -d log to standard error whatever the file
 * says; -v log at debug level; -F (--fib-socket) program the FIB into
 * vtopo-dp at PATH (docs/fib-protocol.md), otherwise it is kept in process
 * only.  vtopod does not fork: run it under a
 * service manager.  SIGTERM and SIGINT send Cease / Administrative
 * Shutdown (RFC 4486, RFC 9003) to every established peer and exit;
 * SIGUSR1 exits for a graceful restart (RFC 4724): sessions are closed
 * without a NOTIFICATION, so that helpers keep our routes, and vtopo-dp
 * keeps forwarding;
 * SIGHUP reloads the configuration file (reload.c).
 *
 * The environment variable VTOPO_YANG_DIR points the configuration loader
 * at a YANG directory other than the installed one (tests, uninstalled
 * builds).
 *
 * Not for: protocol logic.  struct vtopod owns everything; signals arrive
 * through the event loop's signalfd, so no handler touches global state.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "vtopod/vtopod.h"

#define DEFAULT_CONFIG "/etc/vtopo/vtopod.json"
#define RDE_BUDGET 256
/* After this many turns of RDE work that sent nothing (peers blocked on
 * output room), wait for I/O or this long instead of spinning. */
#define RDE_IDLE_SPINS 8
#define RDE_KICK_MS 20

static void usage(void)
{
	fprintf(stderr, "usage: vtopod [-f FILE] [-n] [-d] [-v] [-F|--fib-socket PATH]\n");
	exit(2);
}

static int load(const char *path, struct config **cfg)
{
	struct config_errors errs;
	const char *yang = getenv("VTOPO_YANG_DIR");
	int rc;

	config_errors_init(&errs);
	rc = config_load_dir(path, yang && *yang ? yang : NULL, cfg, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s: %s\n", errs.v[i].path[0] ? errs.v[i].path : path,
			errs.v[i].reason);
	config_errors_clear(&errs);
	return rc;
}

static void on_term(struct ev_loop *loop, int signo, void *arg)
{
	struct vtopod *d = arg;

	log_notice(&d->log, "signal %d: shutting down", signo);
	session_peers_shutdown(d, "vtopod shutting down");
	ev_break(loop);
}

/* RFC 4724 s4.2: a session lost without NOTIFICATION keeps its routes at
 * the helpers; vtopo-dp keeps forwarding until the next vtopod resyncs it */
static void on_gr_stop(struct ev_loop *loop, int signo, void *arg)
{
	struct vtopod *d = arg;

	log_notice(&d->log, "signal %d: exiting for a graceful restart, no NOTIFICATION sent",
		   signo);
	d->stopping = true;
	ev_break(loop);
}

static void on_hup(struct ev_loop *loop, int signo, void *arg)
{
	struct vtopod *d = arg;
	struct config_errors errs;

	(void)loop;
	(void)signo;
	/* errors are logged by vtopod_reload; the daemon carries on */
	config_errors_init(&errs);
	(void)vtopod_reload(d, &errs, NULL);
	config_errors_clear(&errs);
}

static void on_rde_kick(struct ev_loop *loop, void *arg)
{
	(void)loop;
	(void)arg; /* waking the loop is the point: the idle hook runs every turn */
}

/* Bounded RDE work once per turn (HOUSE-STYLE principle 10).  rde_work()
 * also reports work that waits for output room; when a few turns in a row
 * send nothing and do no other work we stop polling and let socket writability (or a short
 * timer) wake us. */
static bool rde_idle(struct ev_loop *loop, void *arg)
{
	struct vtopod *d = arg;
	uint64_t before = d->rde_sends, units = rde_work_units(d->rde);
	bool more = rde_work(d->rde, d->rde_budget);

	d->rde_more = more;

	if (vtopod_svc_work(d)) {
		d->rde_idle_spins = 0;
		return true;
	}

	if (!more) {
		d->rde_idle_spins = 0;
		return false;
	}
	if (d->rde_sends != before || rde_work_units(d->rde) != units) {
		d->rde_idle_spins = 0;
		return true;
	}
	if (++d->rde_idle_spins < RDE_IDLE_SPINS)
		return true;
	if (!ev_timer_armed(&d->t_rde_kick))
		ev_timer_start(loop, &d->t_rde_kick, RDE_KICK_MS, 0);
	return false;
}

static int vtopod_init(struct vtopod *d, struct config *cfg, bool to_stderr, bool verbose)
{
	struct rde_config rc = {0};

	d->cfg = cfg;
	d->rde_budget = RDE_BUDGET;
	if (getrandom(&d->rng, sizeof(d->rng), 0) != sizeof(d->rng) || d->rng == 0)
		d->rng = (uint64_t)time(NULL) * 2654435761u | 1;
	if (log_open(&d->log, to_stderr ? NULL : cfg->log_file,
		     verbose ? LOG_LVL_DEBUG : (int)cfg->log_level) < 0)
		fprintf(stderr, "vtopod: cannot open log file %s, logging to stderr\n",
			cfg->log_file);
	d->loop = ev_loop_new();
	if (!d->loop)
		return -1;
	ev_timer_init(&d->t_rde_kick, on_rde_kick, d);
	rc.local_as = cfg->as;
	rc.router_id = cfg->router_id;
	rc.cluster_id = cfg->cluster_id;
	d->rde = rde_new(&rc, session_rde_send, session_rde_room, d);
	if (!d->rde)
		return -1;
	if (session_peers_create(d) < 0)
		return -1;
	vtopod_rtc_apply(d); /* RFC 4684 s3: our VRFs' import targets */
	if (vtopod_svc_start(d) < 0)
		return -1;
	if (ev_signal_add(d->loop, SIGTERM, on_term, d) < 0 ||
	    ev_signal_add(d->loop, SIGINT, on_term, d) < 0 ||
	    ev_signal_add(d->loop, SIGUSR1, on_gr_stop, d) < 0 ||
	    ev_signal_add(d->loop, SIGHUP, on_hup, d) < 0)
		return -1;
	ev_idle_set(d->loop, rde_idle, d);
	return 0;
}

static void vtopod_fini(struct vtopod *d)
{
	if (d->loop) {
		vtopod_ctl_stop(d);
		ev_timer_stop(d->loop, &d->t_rde_kick);
		session_peers_free(d);
		session_listen_close(d);
	}
	vtopod_svc_stop(d);
	if (d->rde)
		rde_free(d->rde);
	ev_loop_free(d->loop);
	config_free(d->cfg);
	log_close(&d->log);
}

int main(int argc, char **argv)
{
	const char *path = DEFAULT_CONFIG;
	bool check = false, to_stderr = false, verbose = false;
	struct vtopod d = {0};
	struct config *cfg = NULL;
	int ch, rc = 1;

	static const struct option longopts[] = {{"fib-socket", required_argument, NULL, 'F'},
						 {NULL, 0, NULL, 0}};

	while ((ch = getopt_long(argc, argv, "f:ndvF:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			d.fib_socket = optarg;
			break;
		case 'f':
			path = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 'd':
			to_stderr = true;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (load(path, &cfg) < 0)
		return 1;
	if (check) {
		config_free(cfg);
		printf("configuration OK\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN); /* a peer closing is seen as EPIPE on write */
	d.cfg_path = path;
	if (vtopod_init(&d, cfg, to_stderr, verbose) < 0) {
		fprintf(stderr, "vtopod: initialisation failed\n");
		goto out;
	}
	if (session_listen(&d) < 0)
		log_warnx(&d.log, "no listen socket: only outbound sessions will come up");
	if (vtopod_ctl_start(&d) < 0) {
		fprintf(stderr, "vtopod: cannot start the control socket on %s (see the log)\n",
			cfg->control_socket);
		goto out;
	}
	log_notice(&d.log, "vtopod started: AS %u, %zu neighbors", cfg->as, d.n_peers);
	session_peers_start(&d);
	rc = ev_run(d.loop) < 0 ? 1 : 0;
	log_notice(&d.log, "vtopod stopped");
out:
	vtopod_fini(&d);
	return rc;
}
