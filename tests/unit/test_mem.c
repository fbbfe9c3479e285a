/* Unit tests for core/mem: the statm parser against lines in the proc(5)
 * format, and mem_rss against the kernel's other report of the same
 * number (VmRSS in /proc/self/status, in kB) and against memory the test
 * itself touches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/mem.h"

/* proc(5): "size resident shared text lib data dt", in pages */
static void test_statm_parse(void **state)
{
	size_t rss = 7;

	(void)state;
	assert_true(mem_statm_rss("2150 534 418 251 0 164 0\n", 4096, &rss));
	assert_int_equal(rss, 534 * 4096);
	assert_true(mem_statm_rss("  10\t3", 65536, &rss));
	assert_int_equal(rss, 3 * 65536);
	assert_true(mem_statm_rss("0 0 0 0 0 0 0", 4096, &rss));
	assert_int_equal(rss, 0);
}

static void test_statm_malformed(void **state)
{
	static const char *const bad[] = {
	    "",	      "\n",	    "2150",
	    "2150\n", "2150 x 418", "-1 5",
	    "5 -1",   "abc 1 2",    "1 99999999999999999999999999", /* overflows */
	};
	size_t rss = 7;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(mem_statm_rss(bad[i], 4096, &rss));
		assert_int_equal(rss, 7); /* untouched */
	}
	/* resident * page_size would not fit a size_t */
	assert_false(mem_statm_rss("1 18446744073709551615", 4096, &rss));
	assert_int_equal(rss, 7);
}

/* VmRSS from /proc/self/status in bytes, 0 if absent. */
static size_t status_vmrss(void)
{
	char line[256];
	unsigned long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return (size_t)kb * 1024;
}

static void test_rss_matches_status(void **state)
{
	size_t a, b, c;

	(void)state;
	if (!status_vmrss())
		skip(); /* no /proc */
	/* the two reads are not atomic: bracket one by the other and allow
	 * for the pages the reads themselves touch */
	a = status_vmrss();
	b = mem_rss();
	c = status_vmrss();
	assert_true(b > 0);
	assert_true(b + (1u << 20) >= (a < c ? a : c));
	assert_true(b <= (a > c ? a : c) + (1u << 20));
}

static void test_rss_grows_with_touched_memory(void **state)
{
	const size_t n = 64u << 20;
	size_t before, after;
	unsigned char *p;

	(void)state;
	if (!mem_rss())
		skip();
	before = mem_rss();
	p = malloc(n);
	assert_non_null(p);
	memset(p, 0xa5, n); /* every page resident */
	after = mem_rss();
	/* at least three quarters of what was touched is counted */
	assert_true(after >= before + n / 4 * 3);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_statm_parse),
	    cmocka_unit_test(test_statm_malformed),
	    cmocka_unit_test(test_rss_matches_status),
	    cmocka_unit_test(test_rss_grows_with_touched_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
