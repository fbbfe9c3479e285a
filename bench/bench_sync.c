/*
 * bench_sync: coordination files between the benchmark's processes (see
 * bench_sync.h).
 */
#include "bench_sync.h"

#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool path_make(char *buf, size_t len, const char *dir, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static bool path_make(char *buf, size_t len, const char *dir, const char *fmt, va_list ap)
{
	int n = snprintf(buf, len, "%s/", dir);

	if (n < 0 || (size_t)n >= len)
		return false;
	int m = vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	return m >= 0 && (size_t)m < len - (size_t)n;
}

bool bench_sync_touch(const char *dir, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	bool ok;
	int fd;

	va_start(ap, fmt);
	ok = path_make(path, sizeof(path), dir, fmt, ap);
	va_end(ap);
	if (!ok)
		return false;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

bool bench_sync_exists(const char *dir, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = path_make(path, sizeof(path), dir, fmt, ap);
	va_end(ap);
	return ok && access(path, F_OK) == 0;
}

bool bench_sync_mark(const char *dir, unsigned idx, const char *kind, double t)
{
	char path[PATH_MAX], line[128];
	int fd, n;
	bool ok;

	if (snprintf(path, sizeof(path), "%s/marks", dir) >= (int)sizeof(path))
		return false;
	n = snprintf(line, sizeof(line), "%u %s %.9f\n", idx, kind, t);
	if (n < 0 || n >= (int)sizeof(line))
		return false;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	ok = write(fd, line, (size_t)n) == n;
	close(fd);
	return ok;
}

double bench_sync_mark_min(const char *dir, unsigned idx, const char *kind)
{
	char path[PATH_MAX], k[32];
	double best = -1, t;
	unsigned i;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/marks", dir) >= (int)sizeof(path))
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%u %31s %lf", &i, k, &t) == 3) {
		if (i == idx && strcmp(k, kind) == 0 && (best < 0 || t < best))
			best = t;
	}
	fclose(f);
	return best;
}
