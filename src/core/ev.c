/*
 * ev: the epoll event loop (see ev.h for why it is ours).
 *
 * One turn: read the clock, wait in epoll_wait() until the earliest timer
 * (or not at all while idle work is pending), dispatch ready fds, fire due
 * timers in due order, run the idle hook once, free watchers deleted during
 * the turn.
 *
 * Not for: protocol logic, logging.
 */
#include "core/ev.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define EV_BATCH 64
#define EV_MAX_SIGNALS 8

struct ev_io {
	struct ev_loop *loop;
	int fd;
	uint32_t events;
	ev_io_cb cb;
	void *arg;
	bool dead;
	struct ev_io *next_dead;
};

struct ev_sig {
	int signo;
	ev_signal_cb cb;
	void *arg;
};

struct ev_loop {
	int epfd;
	uint64_t now;
	bool stop;
	/* timers: binary min-heap on (due_ms, seq) */
	struct ev_timer **heap;
	size_t n_heap, cap_heap;
	uint64_t seq;
	/* signals */
	int sigfd;
	struct ev_io *sigio;
	sigset_t sigmask;
	struct ev_sig sigs[EV_MAX_SIGNALS];
	size_t n_sigs;
	/* idle */
	ev_idle_cb idle;
	void *idle_arg;
	bool idle_pending;
	/* watchers deleted this turn */
	struct ev_io *dead;
};

static uint64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t ev_now(struct ev_loop *loop)
{
	return loop->now;
}
void ev_now_update(struct ev_loop *loop)
{
	loop->now = clock_ms();
}

struct ev_loop *ev_loop_new(void)
{
	struct ev_loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	loop->sigfd = -1;
	sigemptyset(&loop->sigmask);
	loop->now = clock_ms();
	return loop;
}

static void free_dead(struct ev_loop *loop)
{
	while (loop->dead) {
		struct ev_io *io = loop->dead;

		loop->dead = io->next_dead;
		free(io);
	}
}

void ev_loop_free(struct ev_loop *loop)
{
	if (!loop)
		return;
	if (loop->sigio)
		ev_io_del(loop->sigio);
	free_dead(loop);
	if (loop->sigfd >= 0)
		close(loop->sigfd);
	close(loop->epfd);
	free(loop->heap);
	free(loop);
}

/* ---- fd watchers ---- */

static uint32_t to_epoll(uint32_t events)
{
	return ((events & EV_READ) ? EPOLLIN : 0) | ((events & EV_WRITE) ? EPOLLOUT : 0);
}

struct ev_io *ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_cb cb, void *arg)
{
	struct ev_io *io = calloc(1, sizeof(*io));
	struct epoll_event ee = {0};

	if (!io)
		return NULL;
	*io = (struct ev_io){.loop = loop, .fd = fd, .events = events, .cb = cb, .arg = arg};
	ee.events = to_epoll(events);
	ee.data.ptr = io;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ee) < 0) {
		int e = errno;

		free(io);
		errno = e;
		return NULL;
	}
	return io;
}

int ev_io_set(struct ev_io *io, uint32_t events)
{
	struct epoll_event ee = {0};

	if (io->events == events)
		return 0;
	ee.events = to_epoll(events);
	ee.data.ptr = io;
	if (epoll_ctl(io->loop->epfd, EPOLL_CTL_MOD, io->fd, &ee) < 0)
		return -1;
	io->events = events;
	return 0;
}

uint32_t ev_io_events(const struct ev_io *io)
{
	return io->events;
}

void ev_io_del(struct ev_io *io)
{
	if (!io || io->dead)
		return;
	epoll_ctl(io->loop->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->dead = true;
	io->next_dead = io->loop->dead;
	io->loop->dead = io;
}

/* ---- timers ---- */

static bool heap_less(const struct ev_timer *a, const struct ev_timer *b)
{
	return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->seq < b->seq);
}

static void heap_place(struct ev_loop *loop, size_t i, struct ev_timer *t)
{
	loop->heap[i] = t;
	t->heap_idx = i + 1;
}

static void heap_up(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!heap_less(t, loop->heap[parent]))
			break;
		heap_place(loop, i, loop->heap[parent]);
		i = parent;
	}
	heap_place(loop, i, t);
}

static void heap_down(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= loop->n_heap)
			break;
		if (c + 1 < loop->n_heap && heap_less(loop->heap[c + 1], loop->heap[c]))
			c++;
		if (!heap_less(loop->heap[c], t))
			break;
		heap_place(loop, i, loop->heap[c]);
		i = c;
	}
	heap_place(loop, i, t);
}

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg)
{
	*t = (struct ev_timer){.cb = cb, .arg = arg};
}

void ev_timer_stop(struct ev_loop *loop, struct ev_timer *t)
{
	size_t i;
	struct ev_timer *last;

	if (!t->heap_idx)
		return;
	i = t->heap_idx - 1;
	t->heap_idx = 0;
	last = loop->heap[--loop->n_heap];
	if (i == loop->n_heap)
		return;
	heap_place(loop, i, last);
	heap_down(loop, i);
	heap_up(loop, last->heap_idx - 1);
}

static bool heap_grow(struct ev_loop *loop)
{
	size_t cap = loop->cap_heap ? loop->cap_heap * 2 : 64;
	struct ev_timer **h = realloc(loop->heap, cap * sizeof(*h));

	if (!h)
		return false;
	loop->heap = h;
	loop->cap_heap = cap;
	return true;
}

void ev_timer_start(struct ev_loop *loop, struct ev_timer *t, uint64_t after_ms, uint64_t period_ms)
{
	ev_timer_stop(loop, t);
	if (loop->n_heap == loop->cap_heap && !heap_grow(loop))
		abort(); /* invariant: out of memory for a 64-slot array is fatal */
	t->due_ms = loop->now + after_ms;
	t->period_ms = period_ms;
	t->seq = ++loop->seq;
	heap_place(loop, loop->n_heap++, t);
	heap_up(loop, loop->n_heap - 1);
}

uint64_t ev_timer_remaining(struct ev_loop *loop, const struct ev_timer *t)
{
	if (!t->heap_idx || t->due_ms <= loop->now)
		return 0;
	return t->due_ms - loop->now;
}

static int run_timers(struct ev_loop *loop)
{
	int n = 0;

	while (loop->n_heap > 0 && loop->heap[0]->due_ms <= loop->now) {
		struct ev_timer *t = loop->heap[0];

		ev_timer_stop(loop, t);
		if (t->period_ms)
			ev_timer_start(loop, t, t->period_ms, t->period_ms);
		t->cb(loop, t->arg);
		n++;
	}
	return n;
}

/* ---- signals ---- */

static void sig_read(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		for (size_t i = 0; i < loop->n_sigs; i++)
			if (loop->sigs[i].signo == (int)si.ssi_signo)
				loop->sigs[i].cb(loop, (int)si.ssi_signo, loop->sigs[i].arg);
	}
}

int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *arg)
{
	int fd;

	if (loop->n_sigs == EV_MAX_SIGNALS) {
		errno = ENOSPC;
		return -1;
	}
	sigaddset(&loop->sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &loop->sigmask, NULL) < 0)
		return -1;
	fd = signalfd(loop->sigfd, &loop->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (loop->sigfd < 0) {
		loop->sigfd = fd;
		loop->sigio = ev_io_add(loop, fd, EV_READ, sig_read, NULL);
		if (!loop->sigio)
			return -1;
	}
	loop->sigs[loop->n_sigs++] = (struct ev_sig){signo, cb, arg};
	return 0;
}

/* ---- the loop ---- */

void ev_idle_set(struct ev_loop *loop, ev_idle_cb cb, void *arg)
{
	loop->idle = cb;
	loop->idle_arg = arg;
	loop->idle_pending = cb != NULL;
}

static int poll_timeout(struct ev_loop *loop, int timeout_ms)
{
	uint64_t wait;

	if (loop->idle_pending)
		return 0;
	if (loop->n_heap == 0)
		return timeout_ms;
	wait = loop->heap[0]->due_ms > loop->now ? loop->heap[0]->due_ms - loop->now : 0;
	if (timeout_ms >= 0 && (uint64_t)timeout_ms < wait)
		return timeout_ms;
	return wait > INT32_MAX ? INT32_MAX : (int)wait;
}

static uint32_t from_epoll(uint32_t e)
{
	return ((e & EPOLLIN) ? EV_READ : 0) | ((e & EPOLLOUT) ? EV_WRITE : 0) |
	       ((e & (EPOLLERR | EPOLLHUP)) ? EV_ERROR : 0);
}

int ev_run_once(struct ev_loop *loop, int timeout_ms)
{
	struct epoll_event evs[EV_BATCH];
	int n, ran = 0;

	n = epoll_wait(loop->epfd, evs, EV_BATCH, poll_timeout(loop, timeout_ms));
	if (n < 0 && errno != EINTR)
		return -1;
	loop->now = clock_ms();
	for (int i = 0; i < n; i++) {
		struct ev_io *io = evs[i].data.ptr;

		if (io->dead)
			continue;
		io->cb(loop, io->fd, from_epoll(evs[i].events), io->arg);
		ran++;
	}
	ran += run_timers(loop);
	if (loop->idle) {
		loop->idle_pending = loop->idle(loop, loop->idle_arg);
		ran++;
	}
	free_dead(loop);
	return ran;
}

int ev_run(struct ev_loop *loop)
{
	loop->stop = false;
	while (!loop->stop)
		if (ev_run_once(loop, -1) < 0)
			return -1;
	return 0;
}

void ev_break(struct ev_loop *loop)
{
	loop->stop = true;
}
