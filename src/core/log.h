/*
 * log: vtopod's log, to a file or standard error, with syslog levels,
 * context helpers and rate limiting for per-packet paths.
 *
 * A struct log is owned by the daemon and passed down (no global logger):
 * anything that logs holds a pointer to it.  The context helpers take any
 * object with `log` (struct log *) and `name` (string) members, e.g. a
 * peer: log_peer_warnx(peer, "hold timer expired") prints
 * "2024-05-01T10:00:00.123Z warning neighbor 192.0.2.2: hold timer expired".
 *
 * Not for: decoders (they never log), show output.
 */
#ifndef VTOPO_LOG_H
#define VTOPO_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* RFC 5424 s6.2.1 severities (same numbers as enum config_log_level). */
enum log_level {
	LOG_LVL_ERR = 3,
	LOG_LVL_WARNING = 4,
	LOG_LVL_NOTICE = 5,
	LOG_LVL_INFO = 6,
	LOG_LVL_DEBUG = 7,
};

struct log {
	FILE *f;   /* stderr when not opened on a file */
	bool own;  /* f was opened by log_open() */
	int level; /* messages above this level are dropped */
};

/* path NULL = standard error.  Returns 0, or -1 (errno) when the file
 * cannot be opened (the log then stays on standard error). */
int log_open(struct log *l, const char *path, int level);
void log_close(struct log *l);
static inline bool log_enabled(const struct log *l, int level)
{
	return level <= l->level;
}

/* ctx_kind/ctx_name: "neighbor", "192.0.2.2"; both may be NULL. */
__attribute__((format(printf, 5, 6))) void log_msg(struct log *l, int level, const char *ctx_kind,
						   const char *ctx_name, const char *fmt, ...);
__attribute__((format(printf, 5, 0))) void log_vmsg(struct log *l, int level, const char *ctx_kind,
						    const char *ctx_name, const char *fmt,
						    va_list ap);
const char *log_level_name(int level);

#define log_errx(l, ...) log_msg((l), LOG_LVL_ERR, NULL, NULL, __VA_ARGS__)
#define log_warnx(l, ...) log_msg((l), LOG_LVL_WARNING, NULL, NULL, __VA_ARGS__)
#define log_notice(l, ...) log_msg((l), LOG_LVL_NOTICE, NULL, NULL, __VA_ARGS__)
#define log_info(l, ...) log_msg((l), LOG_LVL_INFO, NULL, NULL, __VA_ARGS__)
#define log_debug(l, ...) log_msg((l), LOG_LVL_DEBUG, NULL, NULL, __VA_ARGS__)

#define log_peer_errx(p, ...) log_msg((p)->log, LOG_LVL_ERR, "neighbor", (p)->name, __VA_ARGS__)
#define log_peer_warnx(p, ...)                                                                     \
	log_msg((p)->log, LOG_LVL_WARNING, "neighbor", (p)->name, __VA_ARGS__)
#define log_peer_notice(p, ...)                                                                    \
	log_msg((p)->log, LOG_LVL_NOTICE, "neighbor", (p)->name, __VA_ARGS__)
#define log_peer_info(p, ...) log_msg((p)->log, LOG_LVL_INFO, "neighbor", (p)->name, __VA_ARGS__)
#define log_peer_debug(p, ...) log_msg((p)->log, LOG_LVL_DEBUG, "neighbor", (p)->name, __VA_ARGS__)

/*
 * Rate limit for per-packet paths: at most `burst` messages per `window_ms`;
 * the first message of the next window reports how many were suppressed.
 * Usage:
 *	unsigned dropped;
 *	if (log_rl_allow(&peer->rl, now, &dropped))
 *		log_peer_warnx(peer, "...%s", dropped ? " (and more suppressed)" : "");
 */
struct log_rl {
	uint64_t window_start;
	uint32_t window_ms;
	uint32_t burst;
	uint32_t count;
	uint32_t suppressed;
};

void log_rl_init(struct log_rl *rl, uint32_t burst, uint32_t window_ms);
/* true when a message may be logged now; *suppressed gets the number
 * dropped since the last allowed one (and is reset). */
bool log_rl_allow(struct log_rl *rl, uint64_t now_ms, uint32_t *suppressed);

#endif
