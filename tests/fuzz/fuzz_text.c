/*
 * libFuzzer target: the text parsers of src/lib (prefix, address, RD,
 * extended/standard/large communities, labels).  Whatever parses must
 * format and parse back to the same value.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ecomm.h"
#include "lib/label.h"
#include "lib/prefix.h"
#include "lib/rd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256], t[256];
	struct prefix p, p2;
	struct rd rd, rd2;
	struct ecomm e, e2;
	struct label_stack ls, ls2;
	uint32_t c, c2;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (prefix_parse(s, &p) == 0) {
		prefix_fmt(&p, t, sizeof(t));
		if (prefix_parse(t, &p2) != 0 || prefix_cmp(&p, &p2) != 0)
			abort();
	}
	if (rd_parse(s, &rd) == 0) {
		rd_fmt(&rd, t, sizeof(t));
		if (rd_parse(t, &rd2) != 0 || rd_cmp(&rd, &rd2) != 0)
			abort();
	}
	if (ecomm_parse(s, &e) == 0) {
		ecomm_fmt(&e, t, sizeof(t));
		if (ecomm_parse(t, &e2) != 0 || ecomm_cmp(&e, &e2) != 0)
			abort();
	}
	if (comm_parse(s, &c) == 0) {
		comm_fmt(c, t, sizeof(t));
		if (comm_parse(t, &c2) != 0 || c != c2)
			abort();
	}
	if (label_stack_parse(s, &ls) == 0) {
		label_stack_fmt(&ls, t, sizeof(t));
		if (label_stack_parse(t, &ls2) != 0 || ls.n != ls2.n ||
		    memcmp(ls.e, ls2.e, ls.n * sizeof(ls.e[0])) != 0)
			abort();
	}
	return 0;
}
