/*
 * rbuf: the one bounds-checked cursor through which every wire byte is read.
 *
 * A struct rbuf is a view [pos, end) into a buffer owned by someone else;
 * `base` stays the start of the whole message so that offsets reported in
 * errors are message-relative, also from sub-views.  Every getter returns
 * false and leaves the cursor untouched when the input is too short.
 * Length-prefixed things are carved out with rbuf_sub() and must then be
 * consumed exactly (rbuf_empty()).
 *
 * Not for: writing (see wbuf.h), text parsing.
 */
#ifndef VTOPO_RBUF_H
#define VTOPO_RBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RBUF_MUST __attribute__((warn_unused_result))

struct rbuf {
	const uint8_t *base; /* start of the whole message (for offsets) */
	size_t pos;	     /* next byte to read, relative to base */
	size_t end;	     /* one past the last readable byte */
};

static inline void rbuf_init(struct rbuf *r, const void *p, size_t len)
{
	r->base = p;
	r->pos = 0;
	r->end = len;
}

static inline size_t rbuf_left(const struct rbuf *r)
{
	return r->end - r->pos;
}
static inline bool rbuf_empty(const struct rbuf *r)
{
	return r->pos == r->end;
}
/* Offset of the cursor from the start of the message. */
static inline size_t rbuf_off(const struct rbuf *r)
{
	return r->pos;
}

RBUF_MUST bool rbuf_u8(struct rbuf *r, uint8_t *v);
RBUF_MUST bool rbuf_u16(struct rbuf *r, uint16_t *v);
RBUF_MUST bool rbuf_u24(struct rbuf *r, uint32_t *v);
RBUF_MUST bool rbuf_u32(struct rbuf *r, uint32_t *v);
RBUF_MUST bool rbuf_u64(struct rbuf *r, uint64_t *v);
/* Read n bytes big-endian into a uint64_t (n <= 8). */
RBUF_MUST bool rbuf_uint(struct rbuf *r, size_t n, uint64_t *v);
RBUF_MUST bool rbuf_peek_u8(const struct rbuf *r, uint8_t *v);
RBUF_MUST bool rbuf_peek_u16(const struct rbuf *r, uint16_t *v);
RBUF_MUST bool rbuf_bytes(struct rbuf *r, void *dst, size_t n);
RBUF_MUST bool rbuf_skip(struct rbuf *r, size_t n);
/* Carve the next n bytes as a sub-view and advance past them. */
RBUF_MUST bool rbuf_sub(struct rbuf *r, size_t n, struct rbuf *sub);
/* Carve everything that is left, leaving r empty. */
void rbuf_rest(struct rbuf *r, struct rbuf *sub);
/* Read-only pointer to the unread bytes (length rbuf_left()); for copying a
 * whole validated view (interning, hex dumps), never for parsing. */
const uint8_t *rbuf_ptr(const struct rbuf *r);
/* Two views hold the same bytes. */
bool rbuf_equal(const struct rbuf *a, const struct rbuf *b);

#endif
