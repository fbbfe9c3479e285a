/*
 * strnum: strict unsigned decimal parsing of a counted piece of text, shared
 * by the text parsers in lib (prefix, rd, label, ecomm).
 *
 * Only the digits 0-9 are accepted: no sign, no white space, no base prefix,
 * nothing after the number.  Not for: wire data (rbuf.h).
 */
#ifndef VTOPO_STRNUM_H
#define VTOPO_STRNUM_H

#include <stddef.h>
#include <stdint.h>

/* Parse the n characters at s as a decimal number no larger than max.
 * Returns 0, or -1 on an empty string, a non-digit or a value above max. */
static inline int strnum_u64(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || d > max || x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

#endif
