/*
 * label: MPLS label stacks as carried in BGP NLRI (RFC 8277 s2), with the
 * text form "100/200"; see label.h.
 *
 * Not for: the data plane's 4-octet label stack entry with TTL (RFC 3032
 * s2.1); that lives with the data plane.
 */
#include "lib/label.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/strnum.h"

bool label_is_withdraw(uint32_t entry)
{
	/* RFC 8277 s2.4: 0x800000 (RFC 3107 compatibility) or 0x000000 */
	entry &= 0xFFFFFFu;
	return entry == LABEL_WITHDRAW_ENTRY || entry == 0;
}

/* Set the bottom-of-stack bit on the last entry only (RFC 3032 s2.1). */
static void label_stack_fix_bos(struct label_stack *ls)
{
	for (unsigned i = 0; i < ls->n; i++) {
		ls->e[i] &= ~1u;
		if (i + 1 == ls->n)
			ls->e[i] |= 1u;
	}
}

int label_stack_push(struct label_stack *ls, uint32_t value)
{
	if (ls->n >= LABEL_STACK_MAX || value > MPLS_LABEL_MAX)
		return -1;
	ls->e[ls->n++] = label_entry(value, true);
	label_stack_fix_bos(ls);
	return 0;
}

int label_stack_parse(const char *s, struct label_stack *ls)
{
	struct label_stack t = {0};

	for (;;) {
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);
		uint64_t v;

		/* 20-bit label field, RFC 3032 s2.1 */
		if (strnum_u64(s, n, MPLS_LABEL_MAX, &v) < 0)
			return -1;
		if (label_stack_push(&t, (uint32_t)v) < 0)
			return -1;
		if (!slash)
			break;
		s = slash + 1;
	}
	*ls = t;
	return 0;
}

char *label_stack_fmt(const struct label_stack *ls, char *buf, size_t len)
{
	unsigned n = ls->n < LABEL_STACK_MAX ? ls->n : LABEL_STACK_MAX;
	size_t off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%" PRIu32, i ? "/" : "",
				 label_value(ls->e[i]));
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}
