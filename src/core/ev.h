/*
 * ev: vtopod's event loop: epoll for file descriptors, a binary heap of
 * timers on CLOCK_MONOTONIC, signals through one signalfd, and an idle hook
 * for bounded background work.
 *
 * Why not libevent: the session layer frames BGP messages in place in its
 * own large buffers (no copy into an evbuffer chain and back out), the
 * route decision engine must run with a work budget once per turn without
 * starving sockets (libevent's idle/priority machinery does not give that
 * guarantee directly), and the daemon wants exactly one owner of time: the
 * loop reads the monotonic clock once per turn and every timer and
 * "uptime" in that turn sees the same now.  That needs about 400 lines.
 *
 * Contract: single-threaded.  Callbacks may add and delete watchers and
 * timers, including their own and ones with events pending in the same
 * turn (deleted watchers are skipped and freed at the end of the turn).
 *
 * Not for: anything BGP; logging (the loop reports errors as values).
 */
#ifndef VTOPO_EV_H
#define VTOPO_EV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EV_READ 0x1u
#define EV_WRITE 0x4u /* EPOLLOUT */
#define EV_ERROR 0x8u /* EPOLLERR; also set for EPOLLHUP */

struct ev_loop;
struct ev_io;

typedef void (*ev_io_cb)(struct ev_loop *loop, int fd, uint32_t events, void *arg);
typedef void (*ev_timer_cb)(struct ev_loop *loop, void *arg);
typedef void (*ev_signal_cb)(struct ev_loop *loop, int signo, void *arg);
/* Idle work: do a bounded amount, return true while more is pending. */
typedef bool (*ev_idle_cb)(struct ev_loop *loop, void *arg);

/* A timer lives in its owner's struct; the loop only links it into its heap. */
struct ev_timer {
	ev_timer_cb cb;
	void *arg;
	uint64_t due_ms;    /* monotonic */
	uint64_t period_ms; /* 0 = one-shot */
	size_t heap_idx;    /* index + 1 in the heap, 0 = not armed */
	uint64_t seq;	    /* arming order: ties fire first-armed first */
};

struct ev_loop *ev_loop_new(void);
/* Closes the epoll and signal fds; watchers' fds belong to their owners. */
void ev_loop_free(struct ev_loop *loop);

/* Watch fd for events (EV_READ | EV_WRITE).  Returns NULL on error (errno). */
struct ev_io *ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_cb cb, void *arg);
int ev_io_set(struct ev_io *io, uint32_t events);
uint32_t ev_io_events(const struct ev_io *io);
/* Stop watching (the fd stays open) and free the watcher. */
void ev_io_del(struct ev_io *io);

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg);
/* Arm (or re-arm) to fire after after_ms, then every period_ms if non-zero. */
void ev_timer_start(struct ev_loop *loop, struct ev_timer *t, uint64_t after_ms,
		    uint64_t period_ms);
void ev_timer_stop(struct ev_loop *loop, struct ev_timer *t);
static inline bool ev_timer_armed(const struct ev_timer *t)
{
	return t->heap_idx != 0;
}
/* Milliseconds until t fires (0 when due or not armed). */
uint64_t ev_timer_remaining(struct ev_loop *loop, const struct ev_timer *t);

/* Deliver signo through the loop's signalfd (the signal is blocked for the
 * process).  Returns 0, or -1 (errno). */
int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *arg);

/* One idle hook, run once per turn after I/O and timers; while it returns
 * true the loop polls without sleeping. */
void ev_idle_set(struct ev_loop *loop, ev_idle_cb cb, void *arg);

/* The loop's clock: CLOCK_MONOTONIC in milliseconds, read once per turn. */
uint64_t ev_now(struct ev_loop *loop);
/* Re-read the clock (after a long callback). */
void ev_now_update(struct ev_loop *loop);

/* Run one turn; timeout_ms < 0 = block until something happens.  Returns
 * the number of callbacks run, or -1 on an epoll error. */
int ev_run_once(struct ev_loop *loop, int timeout_ms);
/* Run until ev_break().  Returns 0, or -1 on an epoll error. */
int ev_run(struct ev_loop *loop);
void ev_break(struct ev_loop *loop);

#endif
