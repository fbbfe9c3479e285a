/*
 * mem: this process's resident set from /proc/self/statm (see mem.h).
 *
 * Not for: per-type accounting; other processes.
 */
#include "core/mem.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* One unsigned decimal field after optional blanks; false if there is none. */
static bool statm_field(const char **p, unsigned long long *v)
{
	char *end;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (!isdigit((unsigned char)**p))
		return false; /* strtoull would take "-1" */
	errno = 0;
	*v = strtoull(*p, &end, 10);
	if (errno)
		return false;
	*p = end;
	return true;
}

bool mem_statm_rss(const char *line, size_t page_size, size_t *rss)
{
	unsigned long long size, resident;
	const char *p = line;

	/* proc(5): the first two fields are total program size and resident
	 * set, in pages */
	if (!statm_field(&p, &size) || !statm_field(&p, &resident))
		return false;
	if (page_size && resident > SIZE_MAX / page_size)
		return false;
	*rss = (size_t)resident * page_size;
	return true;
}

size_t mem_rss(void)
{
	char line[256];
	size_t rss = 0;
	long page = sysconf(_SC_PAGESIZE);
	FILE *f = fopen("/proc/self/statm", "re");

	if (!f)
		return 0;
	if (page <= 0 || !fgets(line, sizeof(line), f) || !mem_statm_rss(line, (size_t)page, &rss))
		rss = 0;
	fclose(f);
	return rss;
}
