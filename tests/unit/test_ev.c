/* Unit tests for the event loop (core/ev): timer order, periodic timers,
 * fd readiness, deletion during dispatch, signals, the idle hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <signal.h>
#include <unistd.h>

#include "core/ev.h"

struct rec {
	int order[16];
	int n;
};

struct tctx {
	struct rec *rec;
	int id;
};

static void on_timer(struct ev_loop *loop, void *arg)
{
	struct tctx *t = arg;

	(void)loop;
	if (t->rec->n < 16)
		t->rec->order[t->rec->n++] = t->id;
}

static void run_until(struct ev_loop *loop, struct rec *rec, int n)
{
	for (int i = 0; i < 200 && rec->n < n; i++)
		assert_true(ev_run_once(loop, 50) >= 0);
}

/* Timers fire in due order whatever the arming order; equal due times in
 * arming order; a stopped timer never fires. */
static void test_timer_order(void **unused)
{
	(void)unused;
	struct ev_loop *loop = ev_loop_new();
	struct rec rec = {0};
	struct tctx ctx[6];
	struct ev_timer t[6];
	static const uint64_t after[6] = {30, 10, 20, 10, 5, 15};

	assert_non_null(loop);
	for (int i = 0; i < 6; i++) {
		ctx[i] = (struct tctx){&rec, i};
		ev_timer_init(&t[i], on_timer, &ctx[i]);
		ev_timer_start(loop, &t[i], after[i], 0);
	}
	ev_timer_stop(loop, &t[5]);
	assert_false(ev_timer_armed(&t[5]));
	run_until(loop, &rec, 5);
	assert_int_equal(rec.n, 5);
	static const int want[5] = {4, 1, 3, 2, 0};
	assert_memory_equal(rec.order, want, sizeof(want));
	for (int i = 0; i < 6; i++)
		assert_false(ev_timer_armed(&t[i]));
	ev_loop_free(loop);
}

/* A periodic timer keeps firing; re-arming moves a timer. */
static void test_timer_periodic(void **unused)
{
	(void)unused;
	struct ev_loop *loop = ev_loop_new();
	struct rec rec = {0};
	struct tctx p = {&rec, 1}, o = {&rec, 2};
	struct ev_timer tp, to;

	ev_timer_init(&tp, on_timer, &p);
	ev_timer_init(&to, on_timer, &o);
	ev_timer_start(loop, &tp, 2, 2);
	ev_timer_start(loop, &to, 1, 0);
	ev_timer_start(loop, &to, 1000, 0); /* moved far away */
	run_until(loop, &rec, 3);
	assert_int_equal(rec.n, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(rec.order[i], 1);
	assert_true(ev_timer_armed(&tp));
	assert_true(ev_timer_remaining(loop, &to) > 900);
	ev_timer_stop(loop, &tp);
	ev_timer_stop(loop, &to);
	ev_loop_free(loop);
}

struct ioctx {
	int reads, writes;
	char got[8];
	struct ev_io *other; /* deleted by the first callback */
};

static void on_io(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct ioctx *c = arg;

	(void)loop;
	if (events & EV_READ) {
		ssize_t n = read(fd, c->got, sizeof(c->got) - 1);

		assert_true(n > 0);
		c->reads++;
	}
	if (events & EV_WRITE)
		c->writes++;
	if (c->other) {
		ev_io_del(c->other);
		c->other = NULL;
	}
}

/* Read readiness delivers the bytes; write readiness is reported when
 * asked for; a watcher deleted by another callback in the same turn is
 * not called. */
static void test_fd_events(void **unused)
{
	(void)unused;
	struct ev_loop *loop = ev_loop_new();
	int p1[2], p2[2];
	struct ioctx c1 = {0}, c2 = {0};
	struct ev_io *w1, *w2, *ww;

	assert_int_equal(pipe(p1), 0);
	assert_int_equal(pipe(p2), 0);
	w1 = ev_io_add(loop, p1[0], EV_READ, on_io, &c1);
	w2 = ev_io_add(loop, p2[0], EV_READ, on_io, &c2);
	assert_non_null(w1);
	assert_non_null(w2);
	assert_int_equal(ev_run_once(loop, 0), 0); /* nothing ready */
	c1.other = w2;
	c2.other = w1;
	assert_int_equal(write(p1[1], "abc", 3), 3);
	assert_int_equal(write(p2[1], "xyz", 3), 3);
	assert_int_equal(ev_run_once(loop, 100), 1);
	assert_int_equal(c1.reads + c2.reads, 1);
	assert_true(strcmp(c1.got, "abc") == 0 || strcmp(c2.got, "xyz") == 0);
	/* the survivor still works */
	if (c1.reads) {
		assert_int_equal(write(p1[1], "d", 1), 1);
		assert_int_equal(ev_run_once(loop, 100), 1);
		assert_int_equal(c1.reads, 2);
		ev_io_del(w1);
	} else {
		assert_int_equal(write(p2[1], "d", 1), 1);
		assert_int_equal(ev_run_once(loop, 100), 1);
		assert_int_equal(c2.reads, 2);
		ev_io_del(w2);
	}
	/* write readiness */
	struct ioctx cw = {0};
	ww = ev_io_add(loop, p1[1], 0, on_io, &cw);
	assert_int_equal(ev_run_once(loop, 0), 0);
	assert_int_equal(ev_io_set(ww, EV_WRITE), 0);
	assert_int_equal(ev_run_once(loop, 100), 1);
	assert_int_equal(cw.writes, 1);
	ev_io_del(ww);
	ev_loop_free(loop);
	close(p1[0]), close(p1[1]), close(p2[0]), close(p2[1]);
}

static void on_sig(struct ev_loop *loop, int signo, void *arg)
{
	*(int *)arg = signo;
	ev_break(loop);
}

static void test_signal(void **unused)
{
	(void)unused;
	struct ev_loop *loop = ev_loop_new();
	int got = 0;

	assert_int_equal(ev_signal_add(loop, SIGUSR1, on_sig, &got), 0);
	assert_int_equal(kill(getpid(), SIGUSR1), 0);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(got, SIGUSR1);
	ev_loop_free(loop);
}

struct idlectx {
	int calls, left;
	struct rec *rec;
};

static bool on_idle(struct ev_loop *loop, void *arg)
{
	struct idlectx *c = arg;

	(void)loop;
	c->calls++;
	return --c->left > 0;
}

/* While idle work is pending the loop does not sleep, and a due timer
 * still fires between two idle slices. */
static void test_idle(void **unused)
{
	(void)unused;
	struct ev_loop *loop = ev_loop_new();
	struct rec rec = {0};
	struct tctx tc = {&rec, 7};
	struct ev_timer t;
	struct idlectx ic = {.left = 1000000};

	ev_timer_init(&t, on_timer, &tc);
	ev_timer_start(loop, &t, 5, 0);
	ev_idle_set(loop, on_idle, &ic);
	for (int i = 0; i < 1000000 && rec.n == 0; i++)
		assert_true(ev_run_once(loop, -1) >= 1);
	assert_int_equal(rec.n, 1);
	assert_true(ic.calls > 1);
	/* idle done: the loop sleeps again (bounded here by the timeout) */
	ic.left = 1;
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_int_equal(ev_run_once(loop, 10), 1);
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timer_order), cmocka_unit_test(test_timer_periodic),
	    cmocka_unit_test(test_fd_events),	cmocka_unit_test(test_signal),
	    cmocka_unit_test(test_idle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
