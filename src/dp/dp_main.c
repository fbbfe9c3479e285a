/*
 * vtopo-dp: the userspace data plane.  Programmed only through the FIB
 * protocol on its Unix socket (docs/fib-protocol.md); forwards between
 * AF_PACKET attachments and MPLS-in-UDP (RFC 7510) to other PEs.
 *
 *   vtopo-dp -s SOCKET [-u UNDERLAY-ADDR] [-m UNDERLAY-MTU] [-i packet|tpacket|batch]
 *   vtopo-dp -s SOCKET show      state and counters as JSON
 *   vtopo-dp -s SOCKET trace on [vrf V] [src PFX] [dst PFX] [proto P]
 *   vtopo-dp -s SOCKET trace off|show   the per-packet trace (dp_trace.h)
 *
 * Not for: BGP, configuration files.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/ev.h"
#include "dp/dp_ctl.h"
#include "dp/dp_io.h"
#include "fib/fib_proto.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: vtopo-dp -s SOCKET [-u UNDERLAY-ADDR] [-m UNDERLAY-MTU] "
		   "[-i packet|tpacket|batch]\n"
		   "       vtopo-dp -s SOCKET show [labels]\n"
		   "       vtopo-dp -s SOCKET trace on [vrf NAME|ID] [src PREFIX] [dst PREFIX] "
		   "[proto icmp|tcp|udp|N]\n"
		   "       vtopo-dp -s SOCKET trace off|show\n");
}

static int send_msg(int fd, const struct fib_msg *m)
{
	uint8_t buf[256];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	if (!fib_proto_encode(&w, m))
		return -1;
	return send(fd, buf, wbuf_len(&w), MSG_NOSIGNAL) == (ssize_t)wbuf_len(&w) ? 0 : -1;
}

/* `show` and `trace`: a read-only client of our own protocol; req is
 * SHOW, or TRACE with its text.  A reply {"error": ...} fails (1). */
static int ask(const char *path, const struct fib_msg *req)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	static uint8_t buf[2 * FIB_PROTO_MAX];
	struct fib_msg m = {.type = FIB_MSG_HELLO};
	size_t have = 0, len;
	int fd, rc = 1;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "vtopo-dp: %s: %s\n", path, strerror(errno));
		goto out;
	}
	m.u.hello.version = FIB_PROTO_VERSION;
	m.u.hello.role = FIB_ROLE_SHOW;
	if (send_msg(fd, &m) != 0)
		goto out;
	if (send_msg(fd, req) != 0)
		goto out;
	for (;;) {
		ssize_t n;
		int f;
		while ((f = fib_proto_frame(buf, have, &len)) == 1) {
			if (fib_proto_decode(buf, len, &m) != NULL)
				goto out;
			if (m.type == FIB_MSG_SHOW_REPLY) {
				static const char epfx[] = "{\"error\":";
				bool err = m.u.text.len >= sizeof(epfx) - 1 &&
					   !memcmp(m.u.text.p, epfx, sizeof(epfx) - 1);
				fprintf(err ? stderr : stdout, "%.*s\n", (int)m.u.text.len,
					m.u.text.p);
				rc = err ? 1 : 0;
				goto out;
			}
			memmove(buf, buf + len, have - len);
			have -= len;
		}
		if (f < 0 || (n = recv(fd, buf + have, sizeof(buf) - have, 0)) <= 0)
			goto out;
		have += (size_t)n;
	}
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

static void on_signal(struct ev_loop *loop, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	ev_break(loop);
}

int main(int argc, char **argv)
{
	static struct dp_ctx dp;
	struct dp_ctl ctl;
	struct ev_timer retry;
	const char *sock = NULL;
	int c;

	dp.underlay_mtu = 1500;
	dp.io_kind = DP_IO_BATCH; /* the fastest (bench/dp_pps) */
	while ((c = getopt(argc, argv, "s:u:m:i:h")) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'u':
			if (ipaddr_parse(optarg, &dp.underlay) != 0) { /* IPv4 or IPv6 */
				fprintf(stderr, "vtopo-dp: bad underlay address %s\n", optarg);
				return 2;
			}
			break;
		case 'm':
			dp.underlay_mtu = (uint16_t)atoi(optarg);
			if (dp.underlay_mtu < 576) {
				fprintf(stderr, "vtopo-dp: underlay MTU below 576\n");
				return 2;
			}
			break;
		case 'i':
			if (strcmp(optarg, "packet") == 0) {
				dp.io_kind = DP_IO_PACKET;
			} else if (strcmp(optarg, "tpacket") == 0) {
				dp.io_kind = DP_IO_TPACKET;
			} else if (strcmp(optarg, "batch") == 0) {
				dp.io_kind = DP_IO_BATCH;
			} else {
				fprintf(
				    stderr,
				    "vtopo-dp: unknown I/O backend %s (packet, tpacket, batch)\n",
				    optarg);
				return 2;
			}
			break;
		default:
			usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (sock == NULL) {
		usage(stderr);
		return 2;
	}
	if (optind < argc && strcmp(argv[optind], "show") == 0) {
		struct fib_msg req = {.type = FIB_MSG_SHOW};
		if (optind + 1 < argc) { /* the view: labels */
			if (optind + 2 < argc || strcmp(argv[optind + 1], "labels") != 0) {
				fprintf(stderr, "vtopo-dp: show takes no view but 'labels'\n");
				return 2;
			}
			req.u.text.p = argv[optind + 1];
			req.u.text.len = strlen(argv[optind + 1]);
		}
		return ask(sock, &req);
	}
	if (optind < argc && strcmp(argv[optind], "trace") == 0) {
		struct fib_msg req = {.type = FIB_MSG_TRACE};
		char text[512];
		size_t n = 0;
		for (int i = optind + 1; i < argc; i++) {
			int w = snprintf(text + n, sizeof(text) - n, "%s%s", n ? " " : "", argv[i]);
			if (w < 0 || (size_t)w >= sizeof(text) - n) {
				fprintf(stderr, "vtopo-dp: trace command too long\n");
				return 2;
			}
			n += (size_t)w;
		}
		if (n == 0) {
			usage(stderr);
			return 2;
		}
		req.u.text.p = text;
		req.u.text.len = n;
		return ask(sock, &req);
	}
	dp_state_init(&dp.st);
	if ((dp.loop = ev_loop_new()) == NULL || dp_io_init(&dp, &retry) != 0 ||
	    dp_ctl_open(&ctl, &dp, sock) != 0) {
		fprintf(stderr, "vtopo-dp: %s\n", strerror(errno));
		return 1;
	}
	(void)ev_signal_add(dp.loop, SIGTERM, on_signal, NULL);
	(void)ev_signal_add(dp.loop, SIGINT, on_signal, NULL);
	signal(SIGPIPE, SIG_IGN);
	(void)ev_run(dp.loop);
	dp_ctl_close(&ctl);
	dp_io_fini(&dp, &retry);
	dp_trace_free(&dp.trace);
	dp_state_free(&dp.st);
	unlink(sock);
	ev_loop_free(dp.loop);
	return 0;
}
