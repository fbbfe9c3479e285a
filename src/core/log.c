/*
 * log: timestamped lines to a file or standard error (see log.h).
 *
 * Not for: deciding what to log; show output.
 */
#include "core/log.h"

#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static const char *const level_names[] = {
    "emergency", "alert", "critical", "error", "warning", "notice", "info", "debug",
};

const char *log_level_name(int level)
{
	if (level < 0 || level > LOG_LVL_DEBUG)
		return "unknown";
	return level_names[level];
}

int log_open(struct log *l, const char *path, int level)
{
	*l = (struct log){.f = stderr, .level = level};
	if (!path)
		return 0;
	l->f = fopen(path, "ae");
	if (!l->f) {
		int e = errno;

		l->f = stderr;
		errno = e;
		return -1;
	}
	setvbuf(l->f, NULL, _IOLBF, 0);
	l->own = true;
	return 0;
}

void log_close(struct log *l)
{
	if (l->own && l->f)
		fclose(l->f);
	l->f = stderr;
	l->own = false;
}

void log_vmsg(struct log *l, int level, const char *ctx_kind, const char *ctx_name, const char *fmt,
	      va_list ap)
{
	struct timeval tv;
	struct tm tm;
	char ts[32];

	if (!l || !log_enabled(l, level))
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(l->f, "%s.%03ldZ %s ", ts, (long)(tv.tv_usec / 1000), log_level_name(level));
	if (ctx_kind && ctx_name)
		fprintf(l->f, "%s %s: ", ctx_kind, ctx_name);
	vfprintf(l->f, fmt, ap);
	fputc('\n', l->f);
	fflush(l->f);
}

void log_msg(struct log *l, int level, const char *ctx_kind, const char *ctx_name, const char *fmt,
	     ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(l, level, ctx_kind, ctx_name, fmt, ap);
	va_end(ap);
}

void log_rl_init(struct log_rl *rl, uint32_t burst, uint32_t window_ms)
{
	*rl = (struct log_rl){.window_ms = window_ms, .burst = burst};
}

bool log_rl_allow(struct log_rl *rl, uint64_t now_ms, uint32_t *suppressed)
{
	*suppressed = 0;
	if (rl->count == 0 || now_ms - rl->window_start >= rl->window_ms) {
		rl->window_start = now_ms;
		rl->count = 0;
	}
	if (rl->count >= rl->burst) {
		rl->suppressed++;
		return false;
	}
	rl->count++;
	*suppressed = rl->suppressed;
	rl->suppressed = 0;
	return true;
}
