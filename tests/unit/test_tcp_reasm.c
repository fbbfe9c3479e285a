/* Unit tests for the TCP stream reassembler of the decoder CLI
 * (src/ctl/tcp_reasm.c).  Expected byte streams follow from RFC 9293 s3.4:
 * a segment with sequence number S carries stream bytes S, S+1, ...; the
 * SYN occupies one number, so data starts at ISN + 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ctl/tcp_reasm.h"

/* The stream "abcdefghijklmnopqrstuvwxyz", byte i at sequence number base + i. */
static const uint8_t abc[] = "abcdefghijklmnopqrstuvwxyz";

static void feed(struct tcp_reasm *r, uint32_t base, size_t from, size_t to,
		 enum tcp_reasm_res want)
{
	assert_int_equal(tcp_reasm_add(r, base + (uint32_t)from, abc + from, to - from), want);
}

static void assert_stream(struct tcp_reasm *r, const char *want)
{
	size_t len;
	const uint8_t *d = tcp_reasm_data(r, &len);

	assert_int_equal(len, strlen(want));
	assert_memory_equal(d, want, len);
}

static void test_in_order(void **state)
{
	(void)state;
	struct tcp_reasm r;

	tcp_reasm_init(&r, 1024);
	tcp_reasm_syn(&r, 999); /* data starts at 1000 */
	feed(&r, 1000, 0, 5, TCP_REASM_OK);
	feed(&r, 1000, 5, 10, TCP_REASM_OK);
	assert_stream(&r, "abcdefghij");
	tcp_reasm_consume(&r, 3);
	assert_stream(&r, "defghij");
	feed(&r, 1000, 10, 12, TCP_REASM_OK);
	assert_stream(&r, "defghijkl");
	assert_int_equal(tcp_reasm_take_gaps(&r), 0);
	tcp_reasm_free(&r);
}

static void test_out_of_order(void **state)
{
	(void)state;
	struct tcp_reasm r;

	tcp_reasm_init(&r, 1024);
	tcp_reasm_syn(&r, 99);
	feed(&r, 100, 0, 4, TCP_REASM_OK);
	feed(&r, 100, 8, 12, TCP_REASM_HELD); /* hole at 4..8 */
	feed(&r, 100, 16, 20, TCP_REASM_HELD);
	assert_stream(&r, "abcd");
	feed(&r, 100, 12, 16, TCP_REASM_HELD); /* still the hole at 4..8 */
	assert_stream(&r, "abcd");
	feed(&r, 100, 4, 8, TCP_REASM_OK); /* fills it: everything drains */
	assert_stream(&r, "abcdefghijklmnopqrst");
	assert_int_equal(r.ooo_bytes, 0);
	assert_int_equal(tcp_reasm_take_gaps(&r), 0);
	tcp_reasm_free(&r);
}

static void test_retransmit_overlap(void **state)
{
	(void)state;
	struct tcp_reasm r;

	tcp_reasm_init(&r, 1024);
	tcp_reasm_syn(&r, 4999);
	feed(&r, 5000, 0, 10, TCP_REASM_OK);
	feed(&r, 5000, 0, 10, TCP_REASM_DUP); /* exact retransmission */
	feed(&r, 5000, 2, 6, TCP_REASM_DUP);  /* inside what we have */
	feed(&r, 5000, 6, 14, TCP_REASM_OK);  /* overlaps: only 10..14 is new */
	assert_stream(&r, "abcdefghijklmn");
	/* held segments that overlap each other and the filler */
	feed(&r, 5000, 18, 22, TCP_REASM_HELD);
	feed(&r, 5000, 16, 20, TCP_REASM_HELD);
	feed(&r, 5000, 12, 17, TCP_REASM_OK);
	assert_stream(&r, "abcdefghijklmnopqrstuv");
	/* the same after the buffer was consumed */
	tcp_reasm_consume(&r, 22);
	feed(&r, 5000, 20, 24, TCP_REASM_OK);
	assert_stream(&r, "wx");
	tcp_reasm_free(&r);
}

static void test_sequence_wraps(void **state)
{
	(void)state;
	struct tcp_reasm r;
	const uint32_t base = 0xfffffffau; /* byte 6 is at sequence number 0 */

	tcp_reasm_init(&r, 1024);
	tcp_reasm_syn(&r, base - 1);
	feed(&r, base, 8, 12, TCP_REASM_HELD);
	feed(&r, base, 0, 4, TCP_REASM_OK);
	feed(&r, base, 3, 9, TCP_REASM_OK);
	assert_stream(&r, "abcdefghijkl");
	feed(&r, base, 0, 6, TCP_REASM_DUP);
	tcp_reasm_free(&r);
}

static void test_gap_on_bound(void **state)
{
	(void)state;
	struct tcp_reasm r;

	/* at most 10 bytes buffered: the hole at 4..6 is given up */
	tcp_reasm_init(&r, 10);
	tcp_reasm_syn(&r, 0);
	feed(&r, 1, 0, 4, TCP_REASM_OK);
	feed(&r, 1, 6, 10, TCP_REASM_HELD);
	assert_int_equal(tcp_reasm_take_gaps(&r), 0);
	feed(&r, 1, 10, 14, TCP_REASM_HELD); /* 4 + 8 > 10 */
	assert_int_equal(tcp_reasm_take_gaps(&r), 1);
	assert_int_equal(r.lost, 2);	/* "ef" never seen */
	assert_int_equal(r.dropped, 4); /* "abcd", cut off by the hole */
	assert_stream(&r, "ghijklmn");
	/* the late filler is old news now */
	feed(&r, 1, 4, 6, TCP_REASM_DUP);
	assert_stream(&r, "ghijklmn");
	tcp_reasm_free(&r);
}

static void test_flush_at_end(void **state)
{
	(void)state;
	struct tcp_reasm r;

	tcp_reasm_init(&r, 1024);
	tcp_reasm_syn(&r, 0);
	feed(&r, 1, 0, 3, TCP_REASM_OK);
	feed(&r, 1, 5, 8, TCP_REASM_HELD);
	feed(&r, 1, 10, 12, TCP_REASM_HELD);
	tcp_reasm_consume(&r, 3);
	assert_true(tcp_reasm_flush(&r));
	assert_stream(&r, "fgh");
	tcp_reasm_consume(&r, 3);
	assert_true(tcp_reasm_flush(&r));
	assert_stream(&r, "kl");
	assert_false(tcp_reasm_flush(&r));
	assert_int_equal(tcp_reasm_take_gaps(&r), 2);
	assert_int_equal(r.lost, 4);
	tcp_reasm_free(&r);
}

static void test_syn_restarts(void **state)
{
	(void)state;
	struct tcp_reasm r;

	tcp_reasm_init(&r, 1024);
	/* mid-connection capture: the first segment starts the stream */
	feed(&r, 70000, 0, 4, TCP_REASM_OK);
	feed(&r, 70000, 6, 8, TCP_REASM_HELD);
	assert_stream(&r, "abcd");
	/* a new connection: everything before is forgotten */
	tcp_reasm_syn(&r, 99);
	assert_stream(&r, "");
	assert_int_equal(r.ooo_bytes, 0);
	feed(&r, 100, 0, 3, TCP_REASM_OK);
	tcp_reasm_syn(&r, 99); /* retransmitted SYN: no reset */
	assert_stream(&r, "abc");
	tcp_reasm_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_order),	       cmocka_unit_test(test_out_of_order),
	    cmocka_unit_test(test_retransmit_overlap), cmocka_unit_test(test_sequence_wraps),
	    cmocka_unit_test(test_gap_on_bound),       cmocka_unit_test(test_flush_at_end),
	    cmocka_unit_test(test_syn_restarts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
