/*
 * Unit test for fib/fib_dp, the vtopo-dp backend, against the real
 * vtopo-dp binary (started here on a private socket, no interfaces):
 * a fresh data plane asks for a resync, a plain batch is refused until the
 * resync batch has been acked, a refused op shows in the result, and after
 * the data plane restarts the backend reconnects and asks for a resync
 * again (the data plane has generation 0).  A held writer (a restarted
 * vtopod) sends nothing while the data plane keeps the old state marked
 * stale; at the release its resync sweeps what it did not restate; a data
 * plane without state releases the hold by itself.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fib/fib_dp.h"

static char sock[64];
static int resyncs;

static pid_t dp_start(void)
{
	pid_t pid = fork();
	struct stat st;

	assert_true(pid >= 0);
	if (pid == 0) {
		execl(VTOPO_DP_BIN, "vtopo-dp", "-s", sock, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && stat(sock, &st) != 0; i++) /* bounded wait */
		usleep(10000);
	assert_int_equal(stat(sock, &st), 0);
	return pid;
}

static void dp_stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	unlink(sock);
}

static void on_resync(void *arg)
{
	(void)arg;
	resyncs++;
}

static void run_until(struct ev_loop *loop, int *counter, int want)
{
	for (int i = 0; i < 100 && *counter < want; i++) /* bounded: 100 turns */
		(void)ev_run_once(loop, 100);
	assert_int_equal(*counter, want);
}

/* A resync batch of three ops: VRF 1 "red", 192.0.2.0/24 in it via nh 1. */
static void set_ops(struct fib_op *ops)
{
	memset(ops, 0, 3 * sizeof(*ops));
	ops[0].type = FIB_OP_RESYNC;
	ops[1].type = FIB_OP_VRF_SET;
	ops[1].u.vrf.id = 1;
	strcpy(ops[1].u.vrf.name, "red");
	ops[2].type = FIB_OP_ROUTE_SET;
	ops[2].u.route.vrf = 1;
	assert_int_equal(prefix_parse("192.0.2.0/24", &ops[2].u.route.prefix), 0);
	ops[2].u.route.nh = 1;
}

static void test_fib_dp(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct fib_dp *d;
	struct fib_op ops[3];
	pid_t pid;

	(void)state;
	snprintf(sock, sizeof(sock), "/tmp/test_fib_dp.%d.sock", (int)getpid());
	pid = dp_start();
	d = fib_dp_new(loop, sock, on_resync, NULL);
	assert_non_null(d);
	run_until(loop, &resyncs, 1); /* fresh data plane: resync */
	assert_true(fib_dp_connected(d));

	memset(ops, 0, sizeof(ops));
	ops[0].type = FIB_OP_VRF_SET;
	ops[0].u.vrf.id = 1;
	strcpy(ops[0].u.vrf.name, "red");
	assert_int_equal(fib_dp_ops.apply(d, 1, ops, 1), -1); /* not a resync */

	set_ops(ops);
	assert_int_equal(fib_dp_ops.apply(d, 2, ops, 3), 0);
	/* now plain batches go through; a route in an unknown VRF is refused */
	assert_int_equal(fib_dp_ops.apply(d, 3, &ops[2], 1), 0);
	ops[2].u.route.vrf = 9;
	assert_int_equal(fib_dp_ops.apply(d, 4, &ops[2], 1), -1);

	/* the data plane restarts: the backend reconnects and asks for a resync */
	dp_stop(pid);
	pid = dp_start();
	ops[2].u.route.vrf = 1;
	assert_int_equal(fib_dp_ops.apply(d, 5, &ops[2], 1), -1);
	run_until(loop, &resyncs, 2);
	assert_int_equal(fib_dp_ops.apply(d, 6, ops, 3), 0);

	fib_dp_ops.destroy(d);
	dp_stop(pid);
	ev_loop_free(loop);
}

/* The data plane's SHOW (JSON) through `vtopo-dp -s SOCK show`. */
static char *dp_show(void)
{
	char cmd[256];
	static char out[65536];
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s -s %s show", VTOPO_DP_BIN, sock);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	assert_int_equal(pclose(f), 0);
	return out;
}

/* The value of "resync-pending" in dp_show(): true or false. */
static bool pending(void)
{
	const char *p = strstr(dp_show(), "\"resync-pending\"");

	assert_non_null(p);
	p += strlen("\"resync-pending\"");
	while (*p == ' ' || *p == ':')
		p++;
	return strncmp(p, "true", 4) == 0;
}

static void test_fib_dp_hold(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct fib_dp *d;
	struct fib_op ops[3];
	pid_t pid;

	(void)state;
	resyncs = 0;
	snprintf(sock, sizeof(sock), "/tmp/test_fib_dp_h.%d.sock", (int)getpid());
	pid = dp_start();
	d = fib_dp_new(loop, sock, on_resync, NULL);
	run_until(loop, &resyncs, 1);
	set_ops(ops);
	assert_int_equal(fib_dp_ops.apply(d, 1, ops, 3), 0);
	fib_dp_ops.destroy(d); /* the writer goes; the data plane keeps state */

	d = fib_dp_new(loop, sock, on_resync, NULL);
	fib_dp_hold(d);
	for (int i = 0; i < 5; i++)
		(void)ev_run_once(loop, 100);
	assert_true(fib_dp_connected(d));
	assert_true(fib_dp_held(d));
	assert_true(fib_dp_has_state(d));
	assert_int_equal(resyncs, 1); /* held: the request is not passed on */
	assert_int_equal(fib_dp_ops.apply(d, 1, ops, 2), -1);
	/* the old state is stale but still there, and nothing was swept */
	assert_true(pending());
	assert_non_null(strstr(dp_show(), "\"192.0.2.0"));

	fib_dp_release(d); /* the owner answers with its resync */
	assert_int_equal(resyncs, 2);
	assert_int_equal(fib_dp_ops.apply(d, 1, ops, 2), 0); /* the route not restated */
	assert_false(pending());
	assert_null(strstr(dp_show(), "\"192.0.2.0"));
	fib_dp_ops.destroy(d);

	/* a data plane without state: nothing to keep, the hold goes at once */
	dp_stop(pid);
	pid = dp_start();
	d = fib_dp_new(loop, sock, on_resync, NULL);
	fib_dp_hold(d);
	run_until(loop, &resyncs, 3);
	assert_false(fib_dp_held(d));
	assert_false(fib_dp_has_state(d));
	fib_dp_ops.destroy(d);
	dp_stop(pid);
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fib_dp),
	    cmocka_unit_test(test_fib_dp_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
